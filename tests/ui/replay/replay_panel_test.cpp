// The Replay dock (ui/replay/replay_panel.h) in a whole window: at a step the
// graph shows only the ops created so far (the rest are ghosts), the newest op
// is highlighted, the panel names the event, shows the open name and variable
// scopes with their reuse, and highlights the script line; the last step shows
// the whole graph, closing the dock ends the replay, and a graph imported
// without a trace replays op by op. The graph is
// resources/examples/name_vs_variable_scope.py built through the C++ API with
// a temporary copy of a script as its source file.
#include "core/hierarchy/construction_replay.h"
#include "core/io/graphdef_io.h"
#include "tests/support/lesson_graph.h"
#include "tests/ui/support/window_test_util.h"
#include "ui/graph/graph_view.h"
#include "ui/replay/replay_panel.h"

#include <QDockWidget>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QSlider>
#include <QTextBlock>
#include <QtTest>

#include <set>

using namespace scopeviz;
using namespace scopeviz::ui;
using hierarchy::NodeKind;

namespace {

/// The step whose description is `text`, or -1.
int stepDescribed(const hierarchy::ConstructionReplay& r, const std::string& text)
{
    for (int k = 1; k <= r.size(); ++k)
        if (r.describe(k) == text)
            return k;
    return -1;
}

/// Drawn op nodes: op id -> built (true) or ghost (false) at the view's replay state.
std::map<OpId, bool> drawnOps(const GraphView& view)
{
    std::map<OpId, bool> out;
    const GraphDrawing& d = *view.drawing();
    const std::vector<hierarchy::NodeKey> built = view.builtNodes();
    const std::set<hierarchy::NodeKey> builtSet(built.begin(), built.end());
    for (const DrawNode& n : d.nodes()) {
        const hierarchy::VisibleNode& vn = d.visible().nodes()[size_t(n.vis)];
        if (vn.kind == NodeKind::Op)
            out[vn.id] = builtSet.count(n.key) > 0;
    }
    return out;
}

/// Whether the drawn node of scope `path` is built at the view's replay state.
bool scopeBuilt(const GraphView& view, const char* path)
{
    const GraphDrawing& d = *view.drawing();
    const hierarchy::ScopeId s = view.document()->tree->findScope(path);
    const int32_t vis = d.visible().nodeShowing({hierarchy::Item::Kind::Scope, s});
    const int node = d.find(d.visible().nodes()[size_t(vis)].key);
    return !d.isGhost(size_t(node), view.highlight());
}

/// Shows `w` with `doc` open and laid out; false when that does not happen.
bool openInWindow(MainWindow& w, DocumentPtr doc)
{
    w.resize(1400, 900);
    w.show();
    if (!QTest::qWaitForWindowExposed(&w))
        return false;
    w.setDocument(std::move(doc));
    return ui::testing::waitIdle(w);
}

} // namespace

class ReplayPanelTest : public QObject {
    Q_OBJECT
private slots:
    void midStepShowsTheGraphStacksAndLineOfThatMoment()
    {
        QTemporaryDir dir;
        const QString script = dir.filePath("lesson.py");
        {
            QFile f(script);
            QVERIFY(f.open(QIODevice::WriteOnly));
            for (int i = 1; i <= 30; ++i)
                f.write(QStringLiteral("# line %1\n").arg(i).toUtf8());
        }
        auto graph = scopeviz::testing::buildNameVsVariableScope(script.toStdString());
        MainWindow w;
        QVERIFY(openInWindow(w, makeDocument(graph, GraphDocument::Source::Script, script)));
        GraphView& view = *w.graphView();
        QCOMPARE(view.replayCutoff(), -1); // the dock is closed: the whole graph

        ReplayPanel& panel = *w.replayPanel();
        const hierarchy::ConstructionReplay& r = *panel.replay();
        const int k = stepDescribed(r, "get_variable('v2') reused vs/v2 (line 17)");
        QVERIFY(k > 0 && k < r.size());
        w.showReplayStep(k);
        QVERIFY(ui::testing::waitIdle(w));
        QTRY_VERIFY(w.replayDock()->isVisible());
        QCOMPARE(panel.step(), k);
        QCOMPARE(view.replayCutoff(), r.cutoff(k));

        // The small graph is opened up; its ops are built exactly when created before step k.
        const auto ops = drawnOps(view);
        QCOMPARE(int(ops.size()), graph->numOps());
        int built = 0;
        for (const auto& [op, isBuilt] : ops) {
            QCOMPARE(isBuilt, op < r.cutoff(k));
            built += isBuilt;
        }
        QVERIFY(built > 0 && built < graph->numOps());
        QVERIFY(scopeBuilt(view, "vs"));
        QVERIFY(!scopeBuilt(view, "vs_1")); // its first op, c3, comes after this get_variable
        QVERIFY(view.document()->tree->findScope("vs/v3") >= 0);
        QVERIFY(!scopeBuilt(view, "vs/v3")); // made by a later get_variable

        QCOMPARE(panel.eventLabel()->text(),
                 QStringLiteral("event %1 of %2: get_variable('v2') reused vs/v2 (line 17)").arg(k).arg(r.size()));
        QVERIFY(panel.stacksLabel()->text().contains(QStringLiteral("name scopes: vs_1/")));
        QVERIFY(panel.stacksLabel()->text().contains(QStringLiteral("variable scopes: vs (reuse=True)")));
        QCOMPARE(panel.highlightedLine(), 17);
        QCOMPARE(panel.sourceView()->textCursor().block().text(), QStringLiteral("# line 17"));

        // One step back, variable_scope('vs', reuse=True) has just opened vs_1/: the scope is highlighted
        // where it will appear, still a ghost (no op yet).
        panel.setStep(k - 1);
        QCOMPARE(panel.highlightedLine(), 16);
        const int opened = view.replayNewestNode();
        QVERIFY(opened >= 0);
        const hierarchy::VisibleNode& ovn =
            view.drawing()->visible().nodes()[size_t(view.drawing()->nodes()[size_t(opened)].vis)];
        QCOMPARE(ovn.kind, NodeKind::Scope);
        QCOMPARE(ovn.id, view.document()->tree->findScope("vs_1"));
        QVERIFY(!scopeBuilt(view, "vs_1"));

        // Then the op vs_1/c3 appears and is highlighted as the newest.
        panel.setStep(r.stepOfOp(graph->findOp("vs_1/c3")->id()));
        QVERIFY(scopeBuilt(view, "vs_1"));
        const int newest = view.replayNewestNode();
        QVERIFY(newest >= 0);
        const hierarchy::VisibleNode& vn = view.drawing()->visible().nodes()[size_t(view.drawing()->nodes()[size_t(newest)].vis)];
        QCOMPARE(vn.kind, NodeKind::Op);
        QCOMPARE(vn.id, graph->findOp("vs_1/c3")->id());
        QCOMPARE(panel.highlightedLine(), 16); // the variable_scope that holds it

        // The last step shows the whole graph.
        panel.setStep(r.size());
        for (const auto& [op, isBuilt] : drawnOps(view))
            QVERIFY(isBuilt);
        QCOMPARE(panel.stacksLabel()->text(), QStringLiteral("name scopes: (none)\nvariable scopes: (none)"));

        // Back to the middle, then close the dock: the replay ends.
        panel.setStep(k);
        w.replayDock()->close();
        QTRY_COMPARE(view.replayCutoff(), -1);
        QCOMPARE(view.replayNewestNode(), -1);
    }

    void importedGraphReplaysOpByOp()
    {
        auto built = scopeviz::testing::buildNameVsVariableScope();
        auto graph = std::make_shared<Graph>();
        QVERIFY(importGraphDefBytes(serializeGraphDef(*built), *graph).ok());
        QVERIFY(graph->trace().empty());
        MainWindow w;
        QVERIFY(openInWindow(w, makeDocument(graph, GraphDocument::Source::GraphFile, QStringLiteral("lesson.pb"))));
        w.showReplayStep(5);
        QVERIFY(ui::testing::waitIdle(w));
        ReplayPanel& panel = *w.replayPanel();
        GraphView& view = *w.graphView();
        QCOMPARE(panel.stepCount(), graph->numOps());
        QCOMPARE(view.replayCutoff(), 5);
        QVERIFY(panel.eventLabel()->text().startsWith(
            QStringLiteral("event 5 of %1: op %2 (").arg(graph->numOps()).arg(QString::fromUtf8(graph->op(4).name()))));
        QVERIFY(panel.stacksLabel()->text().contains(QStringLiteral("no construction record")));
        QCOMPARE(panel.highlightedLine(), 0);
        for (const auto& [op, isBuilt] : drawnOps(view))
            QCOMPARE(isBuilt, op < 5);
        // The step buttons and the slider move one op at a time.
        panel.slider()->setValue(6);
        QCOMPARE(view.replayCutoff(), 6);
        QCOMPARE(panel.step(), 6);
    }

    void playingRunsToTheEnd()
    {
        auto graph = scopeviz::testing::buildNameVsVariableScope();
        MainWindow w;
        QVERIFY(openInWindow(w, makeDocument(graph, GraphDocument::Source::Script, QStringLiteral("lesson.py"))));
        w.showReplayStep(0);
        QVERIFY(ui::testing::waitIdle(w));
        ReplayPanel& panel = *w.replayPanel();
        QCOMPARE(w.graphView()->replayCutoff(), 0);
        panel.setPlaying(true);
        QVERIFY(panel.isPlaying());
        QTRY_VERIFY_WITH_TIMEOUT(panel.step() > 3, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(panel.step() == panel.stepCount(), 30000);
        QVERIFY(!panel.isPlaying()); // stops at the end
        QCOMPARE(w.graphView()->replayCutoff(), graph->numOps());
    }
};

QTEST_MAIN(ReplayPanelTest)
#include "replay_panel_test.moc"
