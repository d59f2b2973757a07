#pragma once
// The reuse trace as text: how a graph was built (name scopes and variable
// scopes entered and left, every get_variable and its outcome, each with its
// source line), written beside a GraphDef so that a graph that travels as a
// GraphDef (a script run by scopeviz hands over its graph that way) keeps the
// story of its names. A GraphDef has no place for it.
//
// Format: a first line "scopeviz-trace 1", then one line per event with ten
// tab-separated fields: kind, outcome, reuse, op count, requested name, full
// name, name scope, variable scope, source, variable index. Kind, outcome
// and reuse are the words of core/graph's enums (enter_name_scope, created,
// True, ...). In the text fields a backslash, a tab and a line end are written
// \\, \t and \n.
#include "core/graph/graph.h"

#include <string>
#include <string_view>

namespace scopeviz {

/// The trace of `g` in the format above.
std::string traceToText(const Graph& g);

/// What readTraceText kept, and why it stopped.
struct TraceTextResult {
    int events = 0;    ///< events added to the graph
    std::string error; ///< empty, or the fault ("line 7: ...") after which nothing more was read
};

/// Appends the events of `text` to `g`'s trace (their op counts kept). Everything up to the first bad line is
/// kept; `source` names the text in the error ("graph.pb.trace").
TraceTextResult readTraceText(std::string_view text, Graph& g, std::string_view source);

} // namespace scopeviz
