// Fuzz target: the names given to --expand and --select (app/cli.cpp): the one
// parser of --expand, hierarchy::expansionFromArguments, and the scope and op
// lookups of --select, against the scope tree of the seed demo graph. Input
// lines are the arguments.
//
// Invariants, beyond "no crash, no sanitizer report": every name reported
// unknown comes from the arguments; a scope found by path has that path; every
// expanded key names an existing scope or series; the visible graph of the
// expansion builds.
#include "core/demo/seed_demo.h"
#include "core/graph/graph.h"
#include "core/hierarchy/scope_tree.h"
#include "core/hierarchy/tree_report.h"
#include "core/hierarchy/visible_graph.h"
#include "tests/fuzz/fuzz_support.h"

#include <memory>
#include <string>
#include <vector>

using namespace scopeviz;

namespace {

struct Fixture {
    Graph graph;
    std::shared_ptr<const hierarchy::ScopeTree> tree;
    Fixture()
    {
        demo::buildSeedDemo(graph, true);
        tree = hierarchy::buildScopeTree(graph);
    }
};

const Fixture& fixture()
{
    static const Fixture f;
    return f;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const Fixture& f = fixture();
    const hierarchy::ScopeTree& tree = *f.tree;
    const std::string input(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> args;
    for (size_t start = 0;;) {
        const size_t nl = input.find('\n', start);
        args.push_back(input.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
        if (nl == std::string::npos)
            break;
        start = nl + 1;
    }

    std::vector<std::string> unknown;
    const hierarchy::ExpansionState state = hierarchy::expansionFromArguments(tree, args, &unknown);
    for (const std::string& u : unknown) {
        bool fromInput = false;
        for (const std::string& a : args)
            fromInput = fromInput || a.find(u) != std::string::npos;
        SCOPEVIZ_FUZZ_CHECK(fromInput);
    }
    for (const hierarchy::NodeKey key : state.expanded) {
        const auto kind = hierarchy::keyKind(key);
        if (kind == hierarchy::NodeKind::Scope)
            SCOPEVIZ_FUZZ_CHECK(hierarchy::keyId(key) < uint32_t(tree.numScopes()));
    }
    (void)hierarchy::buildVisibleGraph(tree, state);

    for (const std::string& a : args) { // --select
        const hierarchy::ScopeId id = tree.findScope(a);
        if (id > hierarchy::RootScope) {
            SCOPEVIZ_FUZZ_CHECK(id < tree.numScopes());
            SCOPEVIZ_FUZZ_CHECK(tree.findScope(tree.path(id)) == id);
        }
        if (const Operation* op = f.graph.findOp(a))
            SCOPEVIZ_FUZZ_CHECK(f.graph.findOp(op->name()) == op);
    }
    return 0;
}
