#include "app/cli.h"

#include "core/demo/seed_demo.h"
#include "core/demo/seed_run.h"
#include "core/graph/graph.h"
#include "core/hierarchy/scope_tree.h"
#include "core/hierarchy/tree_report.h"
#include "core/io/graphdef_io.h"
#include "core/summary/scalar_csv.h"
#include "core/util/error.h"

#include <iostream>
#include <memory>

namespace scopeviz::app {
namespace {

/// Loads the graph the options name: the seed demo, or a graph/event file.
std::unique_ptr<Graph> loadGraph(const Options& o, std::ostream& err)
{
    auto g = std::make_unique<Graph>();
    if (o.paths.isEmpty() || o.demo == "seed") {
        demo::buildSeedDemo(*g, true);
        return g;
    }
    const std::string path = o.paths.first().toStdString();
    auto r = importGraphFile(path, *g);
    if (!r.ok()) {
        err << "scopeviz: " << r.error() << '\n';
        return nullptr;
    }
    for (const std::string& w : r->warnings)
        err << "scopeviz: warning: " << w << '\n';
    return g;
}

std::vector<std::string> expansionArguments(const Options& o)
{
    std::vector<std::string> args;
    for (const QString& s : o.expand.split(',', Qt::SkipEmptyParts))
        args.push_back(s.trimmed().toStdString());
    return args;
}

} // namespace

bool isHeadless(const Options& o)
{
    return o.listOps || o.printTree || o.train || o.dumpScalars || o.layoutStats;
}

int runHeadless(const Options& o, std::ostream& out, std::ostream& err)
{
    try {
        if (o.train) {
            demo::SeedRunOptions r;
            r.logdir = o.logdir.toStdString();
            r.steps = o.steps;
            return demo::runSeedTrainingCli(r, out, err);
        }
        if (o.dumpScalars) {
            std::vector<std::string> paths;
            for (const QString& p : o.paths)
                paths.push_back(p.toStdString());
            if (paths.empty()) {
                err << "scopeviz: --dump-scalars needs event files or log directories\n";
                return 2;
            }
            auto r = dumpScalarsCsv(paths, out, err);
            return r.ok() ? 0 : 1;
        }
        auto g = loadGraph(o, err);
        if (!g)
            return 1;
        if (o.listOps) {
            listOps(*g, out);
            return 0;
        }
        auto tree = hierarchy::buildScopeTree(*g);
        if (o.printTree) {
            hierarchy::printTree(*hierarchy::VariableIndex::build(*g, tree), out);
            return 0;
        }
        if (o.layoutStats) {
            auto args = expansionArguments(o);
            auto report = hierarchy::layoutStats(*tree, args, out);
            return report.unknownScopes.empty() ? 0 : 1;
        }
        return 2;
    } catch (const Error& e) {
        err << "scopeviz: " << e.what() << '\n';
        return 1;
    }
}

} // namespace scopeviz::app
