// The construction replay (core/hierarchy/construction_replay.h): what the
// Replay dock says at each step. The graph is
// resources/examples/name_vs_variable_scope.py built through the C++ API with
// the script's line numbers as sources: at each step the student reads which
// call happened, which ops exist, and which name scopes and variable scopes
// (with their reuse) are open (docs/scoping.md §8: variable_scope opens a name
// scope, uniquified to vs_1/ when vs was used; §10: get_variable ignores the
// name scope).
#include "core/hierarchy/construction_replay.h"
#include "core/io/graphdef_io.h"
#include "tests/support/lesson_graph.h"

#include <QtTest>

#include <memory>
#include <string>

using namespace scopeviz;
using hierarchy::ConstructionReplay;
using hierarchy::ReplayEvent;

namespace {

using testing::buildNameVsVariableScope;

/// The first step whose description is `text`, or -1.
int stepDescribed(const ConstructionReplay& r, const std::string& text)
{
    for (int k = 1; k <= r.size(); ++k)
        if (r.describe(k) == text)
            return k;
    return -1;
}

} // namespace

class ConstructionReplayTest : public QObject {
    Q_OBJECT
private slots:
    void timelineHasEveryOpAndEveryTraceEventOnce()
    {
        auto g = buildNameVsVariableScope();
        const ConstructionReplay r(g);
        QVERIFY(r.hasTrace());
        QCOMPARE(r.size(), g->numOps() + int(g->trace().size()));
        QCOMPARE(r.cutoff(0), 0);
        QCOMPARE(r.cutoff(r.size()), g->numOps());
        QCOMPARE(QString::fromStdString(r.describe(0)), QStringLiteral("nothing built yet"));
        QVERIFY(r.stack(0).empty());
        // Op i is created after every trace event that saw fewer than i + 1 ops, in id order.
        int nextOp = 0;
        for (int k = 1; k <= r.size(); ++k) {
            const ReplayEvent& e = r.event(k);
            if (e.kind == ReplayEvent::Kind::Op) {
                QCOMPARE(e.index, nextOp);
                QCOMPARE(r.stepOfOp(nextOp), k);
                ++nextOp;
            } else {
                QCOMPARE(g->trace()[size_t(e.index)].opCount, nextOp);
            }
            QCOMPARE(r.cutoff(k), nextOp);
        }
        QCOMPARE(nextOp, g->numOps());
    }

    void insideReusingVariableScopeTheStacksShowItsNameScopeAndReuse()
    {
        const ConstructionReplay r(buildNameVsVariableScope());
        const int k = stepDescribed(r, "get_variable('v2') reused vs/v2 (line 17)");
        QVERIFY(k > 0);
        QCOMPARE(QString::fromStdString(r.describeStacks(k)),
                 QStringLiteral("name scopes: vs_1/ ; variable scopes: vs (reuse=True)"));
        const auto stack = r.stack(k);
        QCOMPARE(int(stack.size()), 1);
        QVERIFY(stack[0].variable);
        QCOMPARE(stack[0].reuse, Reuse::True);
        QCOMPARE(QString::fromStdString(r.source(k).file), QStringLiteral("lesson.py"));
        QCOMPARE(r.source(k).line, 17);
        // The scope's opening is its own event, with its line.
        QVERIFY(stepDescribed(r, "variable_scope('vs', reuse=True) opened vs_1/ (line 16)") == k - 1);
        QCOMPARE(r.source(k - 1).line, 16);
        QCOMPARE(QString::fromStdString(std::string(r.openedNameScope(k - 1))), QStringLiteral("vs_1/"));
        QVERIFY(r.openedNameScope(k).empty()); // get_variable opens nothing
    }

    void anOpEventNamesTheOpAndItsEnclosingScopesLine()
    {
        auto g = buildNameVsVariableScope();
        const ConstructionReplay r(g);
        const OpId c3 = g->findOp("vs_1/c3")->id();
        const int k = r.stepOfOp(c3);
        QCOMPARE(QString::fromStdString(r.describe(k)), QStringLiteral("op vs_1/c3 (Const) created"));
        QCOMPARE(r.cutoff(k), c3 + 1);
        QCOMPARE(r.cutoff(k - 1), c3);
        QCOMPARE(r.newestOp(k), c3);
        QCOMPARE(r.source(k).line, 16); // the variable_scope that holds it
    }

    void nestedNameScopeInsideVariableScopeStacksBoth()
    {
        const ConstructionReplay r(buildNameVsVariableScope());
        const int k = stepDescribed(r, "get_variable('v3') created vs/v3 (line 22)");
        QVERIFY(k > 0);
        QCOMPARE(QString::fromStdString(r.describeStacks(k)),
                 QStringLiteral("name scopes: vs_2/ > vs_2/inner/ ; variable scopes: vs (reuse=False)"));
        // Every scope is closed at the end.
        QCOMPARE(QString::fromStdString(r.describeStacks(r.size())),
                 QStringLiteral("name scopes: (none) ; variable scopes: (none)"));
        // Closing is an event too.
        QVERIFY(stepDescribed(r, "name_scope vs_2/inner/ closed") > k);
        QVERIFY(stepDescribed(r, "variable_scope vs closed") > 0);
    }

    void importedGraphWithoutTraceReplaysOpByOp()
    {
        auto built = buildNameVsVariableScope();
        auto g = std::make_shared<Graph>();
        QVERIFY(importGraphDefBytes(serializeGraphDef(*built), *g).ok());
        const ConstructionReplay r(g);
        QVERIFY(!r.hasTrace());
        QCOMPARE(r.size(), g->numOps());
        for (int k = 1; k <= r.size(); ++k) {
            QCOMPARE(r.cutoff(k), k);
            QCOMPARE(r.newestOp(k), k - 1);
        }
        QCOMPARE(QString::fromStdString(r.describe(1)),
                 QString::fromStdString("op " + std::string(g->op(0).name()) + " (" + g->op(0).type() + ") created"));
        QVERIFY(!r.source(1).valid());
    }

    void sourceLinesKeepTheInnermostFrame()
    {
        const auto s = hierarchy::parseSourceLine("/tmp/lesson.py:15;/tmp/lesson.py:24");
        QCOMPARE(QString::fromStdString(s.file), QStringLiteral("/tmp/lesson.py"));
        QCOMPARE(s.line, 15);
        QVERIFY(!hierarchy::parseSourceLine("no line here").valid());
        QVERIFY(!hierarchy::parseSourceLine("file.py:x").valid());
    }
};

QTEST_GUILESS_MAIN(ConstructionReplayTest)
#include "construction_replay_test.moc"
