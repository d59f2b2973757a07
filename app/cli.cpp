#include "app/cli.h"

#include "core/demo/seed_demo.h"
#include "core/graph/graph.h"
#include "core/util/error.h"

#include <iostream>
#include <map>
#include <memory>

namespace scopeviz::app {
namespace {

/// Loads the graph the options name: the seed demo, or (later) a file.
std::unique_ptr<Graph> loadGraph(const Options& o, std::ostream& err)
{
    auto g = std::make_unique<Graph>();
    if (o.paths.isEmpty() || o.demo == "seed") {
        demo::buildSeedDemo(*g, true);
        return g;
    }
    err << "scopeviz: cannot open " << o.paths.first().toStdString() << ": graph files are not supported yet\n";
    return nullptr;
}

void listOps(const Graph& g, std::ostream& out)
{
    for (OpId i = 0; i < g.numOps(); ++i) {
        const Operation& op = g.op(i);
        out << op.name() << '\t' << op.type() << '\t';
        bool first = true;
        for (const Output& in : op.inputs()) {
            out << (first ? "" : ",") << g.op(in.op).name();
            if (in.index)
                out << ':' << in.index;
            first = false;
        }
        for (OpId c : op.controlInputs()) {
            out << (first ? "" : ",") << '^' << g.op(c).name();
            first = false;
        }
        out << '\n';
    }
}

} // namespace

bool isHeadless(const Options& o)
{
    return o.listOps || o.printTree || o.train || o.dumpScalars || o.layoutStats || !o.exportPath.isEmpty();
}

int runHeadless(const Options& o, std::ostream& out, std::ostream& err)
{
    try {
        if (o.listOps) {
            auto g = loadGraph(o, err);
            if (!g)
                return 1;
            listOps(*g, out);
            return 0;
        }
        err << "scopeviz: this command is not available yet\n";
        return 2;
    } catch (const Error& e) {
        err << "scopeviz: " << e.what() << '\n';
        return 1;
    }
}

} // namespace scopeviz::app
