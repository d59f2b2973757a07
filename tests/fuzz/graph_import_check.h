#pragma once
// The checks every graph-import fuzz target makes on an import's outcome.
#include "core/graph/graph.h"
#include "core/hierarchy/scope_tree.h"
#include "core/io/graphdef_io.h"
#include "tests/fuzz/fuzz_support.h"

#include <sstream>

namespace scopeviz::fuzz {

/// An import either fails, naming its source and leaving the Graph empty, or
/// returns a graph whose op count matches its report, which lists, exports and
/// imports again, and whose scope tree (what the GUI and --print-tree show) builds.
inline void checkImport(const Expected<ImportResult>& r, const Graph& g)
{
    if (!r.ok()) {
        SCOPEVIZ_FUZZ_CHECK(r.error().rfind("<bytes>", 0) == 0);
        SCOPEVIZ_FUZZ_CHECK(g.numOps() == 0);
        return;
    }
    SCOPEVIZ_FUZZ_CHECK(g.numOps() == r->opsAdded);
    SCOPEVIZ_FUZZ_CHECK(r->nodeCount <= kMaxGraphNodes);
    SCOPEVIZ_FUZZ_CHECK(int(r->warnings.size()) <= r->warningCount);
    std::ostringstream os;
    listOps(g, os);
    const std::string bytes = serializeGraphDef(g);
    Graph again;
    auto back = importGraphDefBytes(bytes, again);
    SCOPEVIZ_FUZZ_CHECK(back.ok() || g.numOps() == 0);
    if (back.ok())
        SCOPEVIZ_FUZZ_CHECK(again.numOps() == g.numOps());
    const auto tree = hierarchy::buildScopeTree(g);
    SCOPEVIZ_FUZZ_CHECK(tree && tree->numScopes() >= 1);
}

} // namespace scopeviz::fuzz
