// One graph built on one thread while another reads it (docs/scoping.md §13 allows
// building one graph from several threads). The reader sees a consistent prefix:
// every op below numOps() is complete, its name finds it again, its variable scope
// and the variables, collections and trace can be read while they grow. Built with
// -fsanitize=thread this test is also the data-race check of Graph's accessors.
#include "core/graph/graph.h"
#include "core/ops/ops.h"
#include "core/ops/get_variable.h"
#include "core/scope/variable_scope.h"
#include "tests/core/scope/scope_test_util.h"

#include <QtTest>

#include <atomic>
#include <string>
#include <thread>

using namespace scopeviz;
using namespace scopeviz::testing;

class GraphThreadsTest : public QObject {
    Q_OBJECT

private slots:
    void readsWhileAnotherThreadBuilds();
};

void GraphThreadsTest::readsWhileAnotherThreadBuilds()
{
    Graph g;
    constexpr int kLayers = 3000;
    std::atomic<bool> done{false};
    std::thread builder([&] {
        for (int i = 0; i < kLayers; ++i) {
            VariableScope vs(g, "layer" + std::to_string(i));
            NameScope ns(g, "block");
            Output a = ops::constant(g, double(i), DType::Float, "a");
            Output b = ops::add(g, a, a, "sum");
            (void)ops::identity(g, b);
            if (i % 10 == 0)
                (void)getVariable(g, "w", std::vector<int64_t>{2});
        }
        done = true;
    });

    // Everything the reader saw that was wrong, as text (QVERIFY only works on the test thread).
    std::string problems;
    int rounds = 0;
    size_t lastVariables = 0, lastTrace = 0, lastItems = 0;
    while (!done.load() || rounds == 0) {
        ++rounds;
        const int n = g.numOps();
        for (int i = std::max(0, n - 64); i < n; ++i) {
            const Operation& op = g.op(i);
            const std::string name(op.name());
            if (op.id() != i)
                problems += "op " + std::to_string(i) + " has id " + std::to_string(op.id()) + "\n";
            if (g.findOp(name) != &op)
                problems += "findOp(" + name + ") does not find op " + std::to_string(i) + "\n";
            if (!g.nameInUse(name))
                problems += name + " is not in names_in_use\n";
            if (name.rfind("layer", 0) == 0 && op.variableScope().rfind("layer", 0) != 0)
                problems += name + " has variable scope '" + op.variableScope() + "'\n";
            for (const Output& in : op.inputs())
                if (in.op >= i || g.op(in.op).numOutputs() <= in.index)
                    problems += name + " has a bad input\n";
        }
        const size_t variables = g.variables().size();
        const size_t trace = g.trace().size();
        const size_t items = g.collection("variables").size();
        if (variables < lastVariables || trace < lastTrace || items < lastItems)
            problems += "variables, trace or a collection shrank\n";
        lastVariables = variables;
        lastTrace = trace;
        lastItems = items;
    }
    builder.join();

    QVERIFY2(problems.empty(), problems.substr(0, 2000).c_str());
    QVERIFY(rounds > 1);
    QCOMPARE(g.numOps(), int(g.findOp("layer2999/block/Identity")->id()) + 1);
    QCOMPARE(int(g.variables().size()), kLayers / 10);
    QCOMPARE(int(g.collection("variables").size()), kLayers / 10);
    QCOMPARE(qs(g.op(g.variables().back().op).name()), QStringLiteral("layer2990/w"));
}

QTEST_GUILESS_MAIN(GraphThreadsTest)
#include "graph_threads_test.moc"
