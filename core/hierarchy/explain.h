#pragma once
// "Why this name?": the story of an op, scope or variable name, told in plain
// words from the graph's reuse trace (core/graph TraceEvent), for students
// learning how name scopes and variable scopes name things. The inspector and
// `scopeviz --explain NAME` print the same text.
//
// With a trace (a graph built by the engine, or a script's graph handed over
// with its trace), every scope on the name's path is traced to the call that
// opened it, with its source line, and a `_N` suffix to the earlier call that
// had taken the name; a variable made by get_variable is traced to the call
// that created it and to every call that reused it, with the reuse setting
// that decided it; a get_variable that failed is explained by the earlier call
// that created the variable, or by the absence of one. Without a trace (an
// imported GraphDef) the text says what the name itself shows: which suffixes
// TensorFlow added because a name was taken.
#include "core/graph/graph.h"

#include <string>
#include <string_view>

namespace scopeviz::hierarchy {

/// What explainName found.
struct Explanation {
    bool found = false; ///< the name is an op, a scope, or a get_variable call of the trace
    std::string text;   ///< the explanation, or why there is none ("no op or scope named ...")
};

/// Explains `name`: an op name ("vs_1/c3", a ":0" suffix is ignored), a scope path ("vs_1" or "vs_1/"),
/// or the full name of a variable that get_variable created, reused or failed to find.
Explanation explainName(const Graph& g, std::string_view name);

} // namespace scopeviz::hierarchy
