#pragma once
// Internal: the phases of buildScopeTree, each defined in the file of its
// topic. Only core/hierarchy includes this.
#include "core/graph/graph.h"
#include "core/hierarchy/scope_tree.h"

#include <string>

namespace scopeviz::hierarchy::detail {

/// The phases of buildScopeTree (friends of ScopeTree).
class TreeBuilder {
public:
    /// Names, scopes, anchors, items, op counts, scope kinds (scope_tree.cpp).
    static void buildStructure(const Graph& g, ScopeTree& t);
    /// Aggregated sibling edges and the per-scope in/out lists (scope_tree.cpp).
    static void buildEdges(const Graph& g, ScopeTree& t);
    /// Owners, users and the shared flag of every variable op (shared_variables.cpp).
    static void analyzeVariables(const Graph& g, ScopeTree& t);
    /// Series of similar siblings (series.cpp).
    static void detectSeries(ScopeTree& t);
    /// Auxiliary marks with their reasons (auxiliary.cpp).
    static void markAuxiliary(ScopeTree& t);
    /// Records a warning, keeping at most options().maxWarnings of them.
    static void warn(ScopeTree& t, std::string text);
    /// Appends the "... and N more" line when warnings were dropped.
    static void finishWarnings(ScopeTree& t);
};

} // namespace scopeviz::hierarchy::detail
