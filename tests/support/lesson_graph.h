#pragma once
// resources/examples/name_vs_variable_scope.py built through the C++ API, with
// the script's line numbers as trace sources ("lesson.py:N" unless a path is
// given), for the tests that read the reuse trace (explain, construction
// replay, the Replay dock).
#include "core/graph/name_scope.h"
#include "core/ops/get_variable.h"
#include "core/ops/ops.h"
#include "core/scope/variable_scope.h"

#include <memory>
#include <string>

namespace scopeviz::testing {

/// variable_scope options with a source line and a reuse.
inline VariableScopeOptions at(const std::string& source, Reuse reuse = Reuse::None)
{
    VariableScopeOptions o;
    o.source = source;
    o.reuse = reuse;
    return o;
}

/// get_variable(name, [1]) called from `source`.
inline Variable getVar(Graph& g, const char* name, const std::string& source)
{
    GetVariableOptions o;
    o.shape = Shape({1});
    o.source = source;
    return getVariable(g, name, o);
}

/// The whole script (lines 8 to 22): ns, vs, vs with reuse=True (vs_1/), vs with name_scope inner (vs_2/inner/).
inline std::shared_ptr<Graph> buildNameVsVariableScope(const std::string& file = "lesson.py")
{
    auto g = std::make_shared<Graph>();
    const auto line = [&file](int n) { return file + ":" + std::to_string(n); };
    {
        NameScope ns(*g, std::string_view("ns"), std::nullopt, false, line(8));
        getVar(*g, "v1", line(9));
        ops::constant(*g, 1.0, DType::Float, "c1");
    }
    {
        VariableScope vs(*g, "vs", at(line(12)));
        getVar(*g, "v2", line(13));
        ops::constant(*g, 1.0, DType::Float, "c2");
    }
    {
        VariableScope vs(*g, "vs", at(line(16), Reuse::True));
        getVar(*g, "v2", line(17));
        ops::constant(*g, 1.0, DType::Float, "c3");
    }
    {
        VariableScope vs(*g, "vs", at(line(20)));
        NameScope inner(*g, std::string_view("inner"), std::nullopt, false, line(21));
        getVar(*g, "v3", line(22));
    }
    return g;
}

} // namespace scopeviz::testing
