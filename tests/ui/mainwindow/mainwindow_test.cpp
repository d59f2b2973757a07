// The window as a user meets it: bad input leaves the open graph alone and says
// what happened; the graph gets most of the window; the scalars filter follows
// the selection without hiding every chart; dock layout survives a restart;
// shortcuts, the dark palette and the minimap work.
#include "tests/support/test_data.h"
#include "core/hierarchy/tree_report.h"
#include "core/summary/event_writer.h"
#include "ui/common/theme.h"
#include "ui/graph/graph_search.h"
#include "ui/graph/graph_view.h"
#include "ui/inspector/inspector.h"
#include "tests/ui/support/window_test_util.h"
#include "ui/mainwindow/live_session.h"
#include "ui/mainwindow/main_window.h"
#include "ui/scalars/scalar_store.h"
#include "ui/scalars/scalars_dashboard.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <set>

using namespace scopeviz;
using namespace scopeviz::ui;
using hierarchy::Item;
using namespace scopeviz::ui::testing;

namespace {

/// A log directory whose run "train" logs the seed demo's tags.
void writeSeedScalars(const QString& logdir)
{
    EventWriter writer((logdir + "/train").toStdString());
    for (int step = 0; step < 20; ++step) {
        writer.addScalar("summary/loss", 1.0 / (step + 1), step);
        writer.addScalar("summary/accuracy", step / 20.0, step);
    }
    QVERIFY(writer.close().ok());
}

QAction* actionWithShortcut(MainWindow& w, const QKeySequence& key)
{
    for (QAction* a : w.findChildren<QAction*>())
        if (a->shortcuts().contains(key))
            return a;
    return nullptr;
}
} // namespace

class MainWindowTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void badInputKeepsTheGraphOpen_data();
    void badInputKeepsTheGraphOpen();
    void damagedGraphWithNothingOpenShowsWhatWasRead();
    void graphDominatesTheWindow();
    void scalarsFilterFollowsTheSelection();
    void chartTitleSelectsItsSummaryOp();
    void dockLayoutIsSavedThroughQSettings();
    void shortcutsAreBoundOnceAndWork();
    void liveRunShortcutsDoNotCollide();
    void statusBarKeepsTheCounts();
    void darkPaletteReachesTheGraph();
    void minimapShowsWhenPartOfTheGraphIsOffScreen();
    void exportViewWritesWhatIsShown();
    void logDirGraphIsImportedOnce();
    void onnxModelOpensWithItsProperties();
};

void MainWindowTest::initTestCase()
{
    SCOPEVIZ_REQUIRE_TEST_DATA();
    // Settings go to a throw-away location, never the user's.
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("scopeviz-test");
    QCoreApplication::setApplicationName("mainwindow_test");
}

void MainWindowTest::init()
{
    QSettings().clear();
    applyTheme(false);
}

void MainWindowTest::badInputKeepsTheGraphOpen_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("not a graph") << "text";
    QTest::newRow("truncated pb") << "truncated";
    QTest::newRow("empty logdir") << "logdir";
    QTest::newRow("missing file") << "missing";
}

void MainWindowTest::badInputKeepsTheGraphOpen()
{
    QFETCH(QString, kind);
    QTemporaryDir dir;
    QString path;
    if (kind == "text") {
        path = dir.filePath("notes.pb");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not a graph at all\n");
    } else if (kind == "truncated") {
        path = dir.filePath("inception_half.pb");
        QFile in(kIncV3);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(in.read(in.size() / 2));
    } else if (kind == "logdir") {
        path = dir.filePath("empty_logs");
        QVERIFY(QDir().mkpath(path));
    } else {
        path = dir.filePath("gone.pb");
    }
    MainWindow w;
    w.show();
    w.openSeedDemo();
    QVERIFY(waitIdle(w));
    const DocumentPtr before = w.document();
    const int opsBefore = before->graph->numOps();
    QSignalSpy done(&w, &MainWindow::loadFinished);
    w.openPath(path);
    QVERIFY(done.wait(30000));
    QVERIFY(waitIdle(w));

    // The previous graph is still the one shown, everywhere.
    QCOMPARE(w.document(), before);
    QCOMPARE(w.document()->graph->numOps(), opsBefore);
    QCOMPARE(w.graphView()->document(), before);
    QVERIFY(w.graphView()->drawing());
    QVERIFY(w.windowTitle().startsWith(before->title));

    // The message bar says what happened, naming the file, and that the graph stays.
    const QString msg = w.messageText();
    QVERIFY2(!msg.isEmpty(), "the user is told what happened");
    QVERIFY2(msg.contains(QFileInfo(path).fileName()), qPrintable(msg));
    QVERIFY2(msg.contains(before->title + " stays open"), qPrintable(msg));
    if (kind == "text" || kind == "truncated" || kind == "missing")
        QVERIFY2(w.statusBar()->currentMessage().contains(QFileInfo(path).fileName()),
                 qPrintable(w.statusBar()->currentMessage()));
    if (kind == "text")
        QVERIFY2(msg.contains("not a TensorFlow graph"), qPrintable(msg));
    if (kind == "truncated") {
        // Where the file breaks: a byte offset.
        QVERIFY2(QRegularExpression("at byte \\d+").match(msg).hasMatch(), qPrintable(msg));
        // The readable part is offered, not forced on the user.
        const DocumentPtr partial = w.offeredPartialDocument();
        QVERIFY(partial);
        QVERIFY(partial->partial);
        QVERIFY(partial->graph->numOps() > 0);
        w.openOfferedPartial();
        QVERIFY(waitIdle(w));
        QCOMPARE(w.document(), partial);
        QCOMPARE(w.graphView()->document(), partial);
        QVERIFY2(w.messageText().contains("at byte"), qPrintable(w.messageText()));
        QVERIFY(!w.offeredPartialDocument());
    }
    if (kind == "logdir")
        QVERIFY2(msg.contains("holds no graph"), qPrintable(msg));
}

void MainWindowTest::damagedGraphWithNothingOpenShowsWhatWasRead()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("cut.pb");
    {
        QFile in(kIncV3);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(in.read(in.size() / 3));
    }
    MainWindow w;
    w.show();
    QSignalSpy done(&w, &MainWindow::loadFinished);
    w.openPath(path);
    QVERIFY(done.wait(30000));
    QVERIFY(waitIdle(w));
    QVERIFY(w.document());
    QVERIFY(w.document()->partial);
    QVERIFY(w.graphView()->drawing());
    QVERIFY2(w.messageText().contains("cut.pb"), qPrintable(w.messageText()));
    QVERIFY2(QRegularExpression("at byte \\d+").match(w.messageText()).hasMatch(), qPrintable(w.messageText()));
}

void MainWindowTest::graphDominatesTheWindow()
{
    MainWindow w;
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.openSeedDemo();
    QVERIFY(waitIdle(w));
    // No curves yet: the scalars dock is small, the graph gets most of the height.
    QVERIFY2(w.scalarsDock()->height() <= w.height() / 5, qPrintable(QString::number(w.scalarsDock()->height())));
    QVERIFY2(w.graphView()->height() >= w.height() * 0.6, qPrintable(QString::number(w.graphView()->height())));
    // Curves arrive: the dock grows once to about 40 % (a row of charts fits), the graph still dominates.
    QTemporaryDir dir;
    writeSeedScalars(dir.path());
    w.followLogdir(dir.path());
    QTRY_VERIFY_WITH_TIMEOUT(w.scalars()->store().tagCount() >= 2, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(w.scalarsDock()->height() >= w.height() * 0.33, 5000);
    QVERIFY2(w.scalarsDock()->height() <= w.height() * 0.45, qPrintable(QString::number(w.scalarsDock()->height())));
    QVERIFY(w.graphView()->height() >= w.height() * 0.45);

    // --expand my_net,my_net_1 --select my_net/weights: the weights and both consumers are in view.
    w.graphView()->setExpansion(hierarchy::expansionFromArguments(*w.document()->tree, {"my_net,my_net_1"}));
    QVERIFY(w.selectByName("my_net/weights"));
    QVERIFY(waitIdle(w));
    GraphView* g = w.graphView();
    QCOMPARE(g->highlightedNodes().size(), size_t(2));
    const QRectF frame = g->selectionFrame();
    const QRectF shown = g->mapToScene(g->viewport()->rect()).boundingRect();
    QVERIFY2(shown.contains(frame), "the selected variable and its consumers are all on screen");
    QVERIFY(g->transform().m11() >= 0.55); // readable
}

void MainWindowTest::chartTitleSelectsItsSummaryOp()
{
    // Clicking a chart's title selects the summary op that writes its tag (issue: linking).
    QTemporaryDir dir;
    writeSeedScalars(dir.path());
    MainWindow w;
    w.show();
    w.openSeedDemo();
    QVERIFY(waitIdle(w));
    w.followLogdir(dir.path());
    QTRY_VERIFY_WITH_TIMEOUT(w.scalars()->store().tagCount() >= 2, 10000);
    emit w.scalars()->tagTitleClicked(QStringLiteral("summary/loss"));
    const auto sel = w.graphView()->selectedItem();
    QVERIFY(sel && sel->kind == hierarchy::Item::Kind::Op);
    QCOMPARE(std::string(w.document()->graph->op(sel->id).name()), std::string("summary/loss"));
    // A tag that no op of this graph writes leaves the selection and says so.
    emit w.scalars()->tagTitleClicked(QStringLiteral("eval/unknown"));
    QCOMPARE(w.graphView()->selectedItem()->id, sel->id);
    QVERIFY2(w.statusBar()->currentMessage().contains("eval/unknown"), qPrintable(w.statusBar()->currentMessage()));
}

void MainWindowTest::scalarsFilterFollowsTheSelection()
{
    QTemporaryDir dir;
    writeSeedScalars(dir.path());
    MainWindow w;
    w.show();
    w.openSeedDemo();
    QVERIFY(waitIdle(w));
    w.followLogdir(dir.path());
    QTRY_VERIFY_WITH_TIMEOUT(w.scalars()->store().tagCount() >= 2, 10000);
    ScalarsDashboard* sc = w.scalars();
    GraphView* g = w.graphView();
    const auto& t = *w.document()->tree;
    // A variable with no curves under its name scope: the filter stays, every chart stays.
    g->selectItem(Item{Item::Kind::Op, opOf(w, "my_net/weights")});
    QCOMPARE(sc->tagFilter(), QString());
    QCOMPARE(sc->visibleTags().size(), 2);
    // The same through its scope row (the variable's own scope stands for it).
    g->selectItem(Item{Item::Kind::Scope, t.findScope("my_net/weights")});
    QCOMPARE(sc->tagFilter(), QString());
    // A scope: its name-scope path, as a path prefix (my_net does not catch my_net_1).
    g->selectItem(Item{Item::Kind::Scope, t.findScope("summary")});
    QCOMPARE(sc->tagFilter(), QStringLiteral("^summary/"));
    QCOMPARE(sc->visibleTags().size(), 2);
    g->selectItem(Item{Item::Kind::Scope, t.findScope("my_net")});
    QCOMPARE(sc->tagFilter(), QStringLiteral("^my_net/"));
    // An op whose name scope has curves: filtered to them.
    g->selectItem(Item{Item::Kind::Scope, -1});
    QCOMPARE(sc->tagFilter(), QString());
    g->selectItem(Item{Item::Kind::Op, opOf(w, "summary/loss")});
    QCOMPARE(sc->tagFilter(), QStringLiteral("^summary/"));
    QCOMPARE(sc->visibleTags().size(), 2);
    // An op elsewhere leaves it as it is.
    g->selectItem(Item{Item::Kind::Op, opOf(w, "my_net/MatMul")});
    QCOMPARE(sc->tagFilter(), QStringLiteral("^summary/"));
    // A filter the user typed survives clearing the selection.
    sc->setTagFilter("accuracy");
    g->selectItem(Item{Item::Kind::Scope, -1});
    QCOMPARE(sc->tagFilter(), QStringLiteral("accuracy"));
}

void MainWindowTest::dockLayoutIsSavedThroughQSettings()
{
    int scalarsHeight = 0;
    {
        MainWindow w;
        w.resize(1300, 850);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.resizeDocks({w.scalarsDock()}, {300}, Qt::Vertical);
        w.findChild<QDockWidget*>("inspectorDock")->hide();
        QTRY_VERIFY(std::abs(w.scalarsDock()->height() - 300) < 30);
        scalarsHeight = w.scalarsDock()->height();
        w.close();
    }
    QVERIFY(QSettings().contains("window/state"));
    MainWindow w2;
    w2.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w2));
    QVERIFY(!w2.findChild<QDockWidget*>("inspectorDock")->isVisible());
    QTRY_VERIFY2(std::abs(w2.scalarsDock()->height() - scalarsHeight) < 30,
                 qPrintable(QString("%1 vs %2").arg(w2.scalarsDock()->height()).arg(scalarsHeight)));
    QCOMPARE(w2.size(), QSize(1300, 850));
    // A restored layout is the user's: arriving curves do not resize it.
    QTemporaryDir dir;
    writeSeedScalars(dir.path());
    w2.followLogdir(dir.path());
    QTRY_VERIFY_WITH_TIMEOUT(w2.scalars()->store().tagCount() >= 2, 10000);
    QTest::qWait(50);
    QVERIFY(std::abs(w2.scalarsDock()->height() - scalarsHeight) < 30);
}

void MainWindowTest::liveRunShortcutsDoNotCollide()
{
    // The Run toolbar of a live session adds Start (F5) and Stop (Shift+F5): no File action may share them,
    // or Qt treats the key as ambiguous and neither fires.
    MainWindow w;
    w.show();
    LiveSession* s = LiveSession::trainSeed(&w, 5, false);
    QVERIFY(s);
    QVERIFY(waitIdle(w));
    std::map<QString, QString> owner;
    for (QAction* a : w.findChildren<QAction*>())
        for (const QKeySequence& k : a->shortcuts()) {
            const auto [it, fresh] = owner.emplace(k.toString(), a->text());
            QVERIFY2(fresh, qPrintable(QStringLiteral("%1 is bound to both '%2' and '%3'").arg(k.toString(), it->second, a->text())));
        }
    QAction* start = actionWithShortcut(w, QKeySequence("F5"));
    QAction* reload = actionWithShortcut(w, QKeySequence("Ctrl+R"));
    QVERIFY(start && reload);
    QCOMPARE(start->objectName(), QStringLiteral("runStart"));
    QCOMPARE(reload->objectName(), QStringLiteral("fileReload"));
}

void MainWindowTest::onnxModelOpensWithItsProperties()
{
    // An ONNX model opens like a graph file; the checker's complaint reaches the message bar, the
    // status bar names the model's IR and opsets, and the inspector lists its properties until
    // something is selected (tests/data/onnx/SOURCES.md).
    const QString dir = QStringLiteral(SCOPEVIZ_TESTDATA "/onnx/");
    MainWindow w;
    w.show();
    w.openPath(dir + "checker_fails.onnx");
    QVERIFY(waitIdle(w));
    QVERIFY(w.document());
    QCOMPARE(w.document()->graph->numOps(), 4);
    QVERIFY2(w.messageText().contains("onnx checker"), qPrintable(w.messageText()));

    w.openPath(dir + "tied_lm.onnx");
    QVERIFY(waitIdle(w));
    QVERIFY(w.document()->title == "tied_lm.onnx");
    QVERIFY2(w.statusBar()->currentMessage().contains("ONNX IR 7, opset ai.onnx 14, producer pytorch"),
             qPrintable(w.statusBar()->currentMessage()));
    auto* counts = w.statusBar()->findChild<QLabel*>("statusCounts");
    QVERIFY2(counts->text().contains("1 shared"), qPrintable(counts->text()));
    QString html = w.inspector()->html();
    QVERIFY2(html.contains("opset_import") && html.contains("ai.onnx 14") && html.contains("passed"), qPrintable(html));
    // Selected by the name in the file, the tied embedding shows its two users.
    QVERIFY(w.selectByName("embed.weight"));
    QVERIFY(waitIdle(w));
    html = w.inspector()->html();
    QVERIFY2(html.contains("shared, used by 2 scopes") && html.contains("lm_head"), qPrintable(html));
    // PyTorch's names are not explained as TensorFlow's suffixes (ViT's `encoder_layer_3` is a
    // ModuleList entry, not a second `encoder_layer`).
    w.openPath(dir + "vit_b_16.onnx");
    QVERIFY(waitIdle(w));
    QVERIFY(w.selectByName("encoder/layers/encoder_layer_3"));
    QVERIFY(waitIdle(w));
    QVERIFY2(!w.inspector()->html().contains("Why this name?"), qPrintable(w.inspector()->html()));
}

void MainWindowTest::statusBarKeepsTheCounts()
{
    // The graph's counts stay visible while transient messages ("Opened ...") come and go.
    MainWindow w;
    w.show();
    w.openPath(kIncV3);
    QVERIFY(waitIdle(w));
    auto* counts = w.statusBar()->findChild<QLabel*>("statusCounts");
    QVERIFY(counts);
    QVERIFY2(counts->isVisible() && counts->text().startsWith("11040 ops,") && counts->text().contains("376 shared"),
             qPrintable(counts->text()));
    w.statusBar()->showMessage("something else", 10);
    QTest::qWait(50);
    QVERIFY(counts->isVisible());
    QVERIFY(counts->text().startsWith("11040 ops,"));
}

void MainWindowTest::shortcutsAreBoundOnceAndWork()
{
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    w.openSeedDemo();
    QVERIFY(waitIdle(w));
    // Every shortcut is bound to one action only (an ambiguous one does nothing in Qt).
    std::set<QString> seen;
    for (QAction* a : w.findChildren<QAction*>())
        for (const QKeySequence& k : a->shortcuts()) {
            const QString s = k.toString();
            QVERIFY2(seen.insert(s).second, qPrintable("shortcut bound twice: " + s));
        }
    for (const char* k : {"Ctrl+O", "Ctrl+F", "F", "Ctrl+0", "Ctrl+Shift+E", "Ctrl+Shift+C", "Ctrl+B", "Ctrl+E",
                          "Ctrl+Shift+D", "Ctrl+R"})
        QVERIFY2(actionWithShortcut(w, QKeySequence(k)), k);

    GraphView* g = w.graphView();
    const auto myNet = w.document()->tree->findScope("my_net");
    g->setFocus();
    QTest::keyClick(&w, Qt::Key_E, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(g->isScopeExpanded(myNet));
    QVERIFY(waitIdle(w));
    QTest::keyClick(&w, Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(!g->isScopeExpanded(myNet));
    QVERIFY(waitIdle(w));
    g->setFocus();
    g->zoomBy(3);
    QTest::keyClick(&w, Qt::Key_0, Qt::ControlModifier);
    QCOMPARE(g->transform().m11(), 1.0);
    QTest::keyClick(&w, Qt::Key_F);
    QTRY_VERIFY(g->mapToScene(g->viewport()->rect()).boundingRect().contains(g->drawing()->bounds())); // all in view
    QTest::keyClick(&w, Qt::Key_B, Qt::ControlModifier);
    QVERIFY(g->bundleSharedEdges());
    QTest::keyClick(&w, Qt::Key_F, Qt::ControlModifier);
    QVERIFY(w.searchBar()->isVisible());
    QTRY_VERIFY(w.searchBar()->field()->hasFocus());
    // Typing "f" into the search field types, it does not fit the view.
    QTest::keyClick(w.searchBar()->field(), Qt::Key_F);
    QCOMPARE(w.searchBar()->field()->text(), QStringLiteral("f"));
}

void MainWindowTest::darkPaletteReachesTheGraph()
{
    MainWindow w;
    w.resize(1200, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.openSeedDemo();
    QVERIFY(waitIdle(w));
    QAction* dark = actionWithShortcut(w, QKeySequence("Ctrl+Shift+D"));
    QVERIFY(dark && dark->isCheckable());
    dark->setChecked(true);
    QVERIFY(waitIdle(w));
    QVERIFY(isDarkPalette(w.palette()) && w.graphView()->theme().dark);
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 100);
    QVERIFY(QSettings().value("view/dark").toBool());
    // The graph is redrawn in dark colours: its background and box fills are dark.
    const QImage shot = w.graphView()->viewport()->grab().toImage();
    QVERIFY(qGray(shot.pixel(5, 5)) < 100);
    const auto* d = w.graphView()->drawing();
    QVERIFY(d);
    int boxes = 0, darkBoxes = 0;
    for (const DrawNode& n : d->nodes())
        if (!n.frame && n.style != NodeStyle::Root) {
            ++boxes;
            darkBoxes += n.fill.lightness() < 140;
        }
    QVERIFY(boxes > 0);
    QVERIFY2(darkBoxes * 10 >= boxes * 9, qPrintable(QString("%1 of %2").arg(darkBoxes).arg(boxes)));
    dark->setChecked(false);
    QVERIFY(waitIdle(w));
    QVERIFY(!isDarkPalette(w.palette()) && !w.graphView()->theme().dark);
    QVERIFY(qGray(w.graphView()->viewport()->grab().toImage().pixel(5, 5)) > 200);
}

void MainWindowTest::minimapShowsWhenPartOfTheGraphIsOffScreen()
{
    MainWindow w;
    w.resize(1200, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.openSeedDemo();
    QVERIFY(waitIdle(w));
    GraphView* g = w.graphView();
    auto* mini = g->findChild<QWidget*>("minimap");
    QVERIFY(mini);
    g->fitAll();
    QVERIFY(!mini->isVisible()); // everything in view: no overview needed
    g->zoomBy(4);
    QVERIFY(mini->isVisible());
    // Clicking the minimap's corner moves the view there.
    const QPointF before = g->mapToScene(g->viewport()->rect().center());
    QTest::mouseClick(mini, Qt::LeftButton, {}, QPoint(6, 6));
    const QPointF after = g->mapToScene(g->viewport()->rect().center());
    QVERIFY(QLineF(before, after).length() > 20);
}

void MainWindowTest::exportViewWritesWhatIsShown()
{
    MainWindow w;
    w.show();
    w.openSeedDemo();
    QVERIFY(waitIdle(w));
    w.graphView()->setScopeExpanded(w.document()->tree->findScope("my_net_1"), true);
    QVERIFY(waitIdle(w));
    QTemporaryDir dir;
    const QString svg = dir.filePath("view.svg");
    QVERIFY(w.exportView(svg));
    QFile f(svg);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray text = f.readAll();
    QVERIFY(text.size() > 1000);
    // Names of the boxes shown, unelided, as real text.
    for (const char* name : {"my_net_1", "MatMul", "summary", "ArgMax", "head_1"})
        QVERIFY2(text.contains(QByteArray(">") + name + "<"), name);
    QVERIFY(!w.exportView(dir.filePath("view.bmp")));
    QVERIFY2(w.messageText().contains("bmp"), qPrintable(w.messageText()));
}

void MainWindowTest::logDirGraphIsImportedOnce()
{
    // Opening a log directory parsed its graph twice (once to find the event file holding it, once to
    // load it): the found graph is the one shown.
    const QString dir = QStringLiteral(SCOPEVIZ_TESTDATA "/events/tf1-graph-only-while-loops");
    LoadResult r = loadPath(dir);
    QVERIFY(r.isLogDir);
    QVERIFY(r.document && r.document->graph->numOps() > 0);
    QCOMPARE(r.graphImports, 1);
    QCOMPARE(r.document->source, GraphDocument::Source::LogDir);
    // A single graph file: one parse as well.
    LoadResult f = loadPath(kIncV3);
    QVERIFY(f.document);
    QCOMPARE(f.graphImports, 1);
}

QTEST_MAIN(MainWindowTest)
#include "mainwindow_test.moc"
