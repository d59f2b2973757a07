#pragma once
// Text reports for the command line: `scopeviz --print-tree` (printTree) and
// `scopeviz --layout-stats` (layoutStats). Library functions; app/ wires them.
#include "core/hierarchy/layout_bridge.h"
#include "core/hierarchy/scope_tree.h"
#include "core/hierarchy/variable_index.h"
#include "core/layout/layout_engine.h"

#include <ostream>
#include <string>
#include <vector>

namespace scopeviz::hierarchy {

/// What printTree shows.
struct PrintTreeOptions {
    /// Also list every op leaf (type after the name); otherwise only scopes and variables.
    bool ops = false;
    /// Print series members one by one instead of one `[series xN]` line.
    bool expandSeries = false;
    /// Deepest scope level printed (-1 = all).
    int maxDepth = -1;
};

/// Prints the scope tree, indented two spaces per level:
///
///     my_net/  15 ops  [variable scope]
///       weights  VariableV2  7 ops  [created in my_net/, reused in my_net_1/]  [shared: 2 scopes]
///     bn1_[1-11]/  [series x11]  220 ops
///
/// Scopes end in '/', with their op count (anchor included); variables show their type, how they were
/// made and used (trace: created / reused; imported: the scopes that read them; a scope that applies the
/// variable several times lists them, `(root) (2 applications: Conv2D_3, Conv2D_5)`) and
/// `[shared: N scopes]` or `[shared: N applications]` (sharingText; the document's VariableIndex decides
/// what is shared, as in the GUI).
void printTree(const VariableIndex& index, std::ostream& out, const PrintTreeOptions& options = {});

/// The expansion named on a command line: "all" (every scope and series), or scope paths (each also
/// opens its ancestors; entries may be comma-separated). Paths that name no scope go to `unknown`.
ExpansionState expansionFromArguments(const ScopeTree& tree, const std::vector<std::string>& arguments,
                                      std::vector<std::string>* unknown = nullptr);

/// What layoutStats measured.
struct LayoutStatsReport {
    /// Visible nodes.
    int visibleNodes = 0;
    /// Visible edges (stubs to side areas included).
    int visibleEdges = 0;
    /// Frames (layout clusters).
    int clusters = 0;
    /// Boxes in the layout.
    int boxes = 0;
    /// Routed edges in the layout.
    int edges = 0;
    /// Clusters laid out afresh.
    int laidOut = 0;
    /// Clusters reused from the engine's cache.
    int fromCache = 0;
    /// Clusters laid out by the fast layered fallback.
    int fallback = 0;
    /// Seconds to build the visible graph and the request.
    double buildSeconds = 0;
    /// Seconds of the layout itself.
    double layoutSeconds = 0;
    /// Arguments that named no scope.
    std::vector<std::string> unknownScopes;
    /// Warnings of the layout.
    std::vector<std::string> warnings;
};

/// Lays out the expansion named by `arguments` (see expansionFromArguments) synchronously and prints
/// the time and counts. Uses `engine` when given (so its cache counts), otherwise a fresh engine.
LayoutStatsReport layoutStats(const ScopeTree& tree, const std::vector<std::string>& arguments, std::ostream& out,
                              layout::LayoutEngine* engine = nullptr, const SizePolicy& sizes = {});

} // namespace scopeviz::hierarchy
