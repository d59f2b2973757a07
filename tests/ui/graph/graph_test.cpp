// The graph explorer as a user meets it: the scope tree model, expanding a
// scope from the graph, the shared-variable highlight, search, export, box
// sizes that fit names, and reusing scopes marked as such. (Bad input and the
// window's docks are tested in tests/ui/mainwindow.)
#include "tests/support/test_data.h"
#include "core/hierarchy/tree_report.h"
#include "ui/common/graph_selection_model.h"
#include "ui/graph/graph_search.h"
#include "ui/graph/graph_view.h"
#include "ui/inspector/inspector.h"
#include "tests/ui/support/window_test_util.h"
#include "ui/mainwindow/main_window.h"
#include "ui/scope/scope_panel.h"
#include "ui/scope/scope_tree_model.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QImage>
#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QSortFilterProxyModel>

#include <algorithm>

using namespace scopeviz;
using namespace scopeviz::ui;
using hierarchy::Item;
using namespace scopeviz::ui::testing;

namespace {

hierarchy::ScopeId scopeOf(const MainWindow& w, const char* path) { return w.document()->tree->findScope(path); }

/// The series whose base name is `base`, or -1.
int32_t seriesNamed(const hierarchy::ScopeTree& t, const char* base)
{
    for (size_t k = 0; k < t.series().size(); ++k)
        if (t.series()[k].base == base)
            return int32_t(k);
    return -1;
}

/// Scope items of a scope (the rows the tree lists without ops when there is no series).
int scopeItems(const hierarchy::ScopeTree& t, hierarchy::ScopeId s)
{
    const auto& items = t.scope(s).items;
    return int(std::count_if(items.begin(), items.end(), [](const Item& it) { return it.isScope(); }));
}
} // namespace

class GraphTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { SCOPEVIZ_REQUIRE_TEST_DATA(); }
    void treeModelPassesTheModelTester();
    void doubleClickExpandsInGraphAndTree();
    void treeExpansionExpandsTheGraph();
    void sharedVariableHighlightsExactlyItsConsumers();
    void searchRevealsANodeThreeLevelsDeep();
    void exportWritesSvgWithVisibleNames();
    void inspectorListsSummariesOfAScope();
    void boxesFitTheirNames();
    void reusingScopesAreMarkedInTreeAndGraph();
    void treeSelectionBringsConsumersIntoView();
    void treeAndGraphShareOneSelectionModel();
    void hoverLeavesTheSelectionHighlight();
    void treeListsASeriesAsOneRow();
    void seriesRowSelectsTheSeriesAndMemberRowsTheirScope();
};

void GraphTest::treeModelPassesTheModelTester()
{
    ScopeTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDocument(makeSeedDocument());
    QVERIFY(model.rowCount() >= 4); // my_net, my_net_1, head, head_1, summary, ...
    QSortFilterProxyModel proxy;
    proxy.setRecursiveFilteringEnabled(true);
    proxy.setSourceModel(&model);
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setFilterFixedString("weights");
    QVERIFY(proxy.rowCount() >= 2); // my_net (holds weights) and head
    model.setShowOps(true);
    auto r = loadPath(kIncV3);
    QVERIFY2(r.document, qPrintable(r.error));
    model.setDocument(r.document);
    QVERIFY(model.rowCount() > 0);
    // The shared-variable badge is on a variable used by two module applications.
    const auto& t = *r.document->tree;
    auto v = std::find_if(t.variables().begin(), t.variables().end(), [](const auto& rec) { return rec.shared; });
    QVERIFY(v != t.variables().end());
    QModelIndex idx = model.indexOf(Item{Item::Kind::Op, v->op});
    QVERIFY(idx.isValid());
    QVERIFY(model.data(idx.siblingAtColumn(ScopeTreeModel::SharedColumn)).toString().startsWith(QStringLiteral("⇄")));
    model.setDocument(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

void GraphTest::doubleClickExpandsInGraphAndTree()
{
    MainWindow w;
    w.resize(1200, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.openSeedDemo();
    QVERIFY(waitIdle(w));
    GraphView* g = w.graphView();
    const auto myNet = scopeOf(w, "my_net");
    QVERIFY(myNet > 0);
    QVERIFY(!g->isScopeExpanded(myNet));
    auto c = g->nodeCenter(hierarchy::scopeKey(myNet));
    QVERIFY(c);
    const QPoint pos = g->mapFromScene(*c);
    QTest::mouseDClick(g->viewport(), Qt::LeftButton, {}, pos);
    QVERIFY(g->isScopeExpanded(myNet));
    QVERIFY(waitIdle(w));
    // The graph now draws my_net as a frame with its MatMul inside.
    QVERIFY(g->nodeCenter(hierarchy::opKey(opOf(w, "my_net/MatMul"))));
    // ... and the tree row is expanded.
    QTreeView* tv = w.scopePanel()->view();
    auto* proxy = qobject_cast<QSortFilterProxyModel*>(tv->model());
    QModelIndex row = proxy->mapFromSource(w.scopePanel()->model()->indexOf(Item{Item::Kind::Scope, myNet}));
    QVERIFY(row.isValid());
    QVERIFY(tv->isExpanded(row));
    // Double-click on the frame title collapses it again, in both.
    c = g->nodeCenter(hierarchy::scopeKey(myNet));
    auto frame = g->drawing()->nodes()[size_t(g->drawing()->find(hierarchy::scopeKey(myNet)))].rect;
    QTest::mouseDClick(g->viewport(), Qt::LeftButton, {}, g->mapFromScene(QPointF(frame.center().x(), frame.top() + 8)));
    QVERIFY(!g->isScopeExpanded(myNet));
    QVERIFY(!tv->isExpanded(row));
    QVERIFY(waitIdle(w));
    // Double-click on the scope's row in the tree does the same, and selects it in the graph.
    // (A real double-click is press, release, then the double-click press: QTest's sends only the latter.)
    const QPoint rowPos = tv->visualRect(row).center();
    QTest::mouseClick(tv->viewport(), Qt::LeftButton, {}, rowPos);
    QTest::mouseDClick(tv->viewport(), Qt::LeftButton, {}, rowPos);
    QVERIFY(tv->isExpanded(row));
    QVERIFY(g->isScopeExpanded(myNet));
    QVERIFY(g->selectedItem() && g->selectedItem()->id == myNet);
    QVERIFY(waitIdle(w));
    QVERIFY(g->nodeCenter(hierarchy::opKey(opOf(w, "my_net/MatMul"))));
    QTest::mouseClick(tv->viewport(), Qt::LeftButton, {}, tv->visualRect(row).center());
    QTest::mouseDClick(tv->viewport(), Qt::LeftButton, {}, tv->visualRect(row).center());
    QVERIFY(!tv->isExpanded(row));
    QVERIFY(!g->isScopeExpanded(myNet));
}

void GraphTest::treeExpansionExpandsTheGraph()
{
    MainWindow w;
    w.show();
    w.openSeedDemo();
    QVERIFY(waitIdle(w));
    const auto head = scopeOf(w, "head");
    QTreeView* tv = w.scopePanel()->view();
    auto* proxy = qobject_cast<QSortFilterProxyModel*>(tv->model());
    QModelIndex row = proxy->mapFromSource(w.scopePanel()->model()->indexOf(Item{Item::Kind::Scope, head}));
    tv->expand(row);
    QVERIFY(w.graphView()->isScopeExpanded(head));
    // Selecting in the tree selects in the graph and fills the inspector.
    tv->setCurrentIndex(row);
    QVERIFY(w.graphView()->selectedItem());
    QCOMPARE(w.graphView()->selectedItem()->id, head);
    QVERIFY(w.inspector()->html().contains("head"));
}

void GraphTest::sharedVariableHighlightsExactlyItsConsumers()
{
    MainWindow w;
    w.show();
    w.openSeedDemo();
    QVERIFY(waitIdle(w));
    GraphView* g = w.graphView();
    const auto myNet = scopeOf(w, "my_net"), myNet1 = scopeOf(w, "my_net_1");
    const OpId weights = opOf(w, "my_net/weights");
    QVERIFY(myNet > 0 && myNet1 > 0 && weights >= 0);
    const auto& rec = w.document()->tree->variables()[size_t(w.document()->tree->variableOfOp(weights))];
    QVERIFY(rec.shared);
    // Both expanded: the two MatMuls that read the weights, nothing else.
    g->setScopeExpanded(myNet, true);
    g->setScopeExpanded(myNet1, true);
    QVERIFY(waitIdle(w));
    g->selectItem(Item{Item::Kind::Op, weights});
    auto hl = g->highlightedNodes();
    std::sort(hl.begin(), hl.end());
    std::vector<hierarchy::NodeKey> expected{hierarchy::opKey(opOf(w, "my_net/MatMul")),
                                             hierarchy::opKey(opOf(w, "my_net_1/MatMul"))};
    std::sort(expected.begin(), expected.end());
    QCOMPARE(hl, expected);
    QVERIFY(g->highlightedEdgeCount() >= 2);
    // my_net_1 collapsed: its box stands for the consumer inside it.
    g->setScopeExpanded(myNet1, false);
    QVERIFY(waitIdle(w));
    g->selectItem(Item{Item::Kind::Op, weights});
    hl = g->highlightedNodes();
    std::sort(hl.begin(), hl.end());
    expected = {hierarchy::opKey(opOf(w, "my_net/MatMul")), hierarchy::scopeKey(myNet1)};
    std::sort(expected.begin(), expected.end());
    QCOMPARE(hl, expected);
    // An unshared op highlights no consumers.
    g->selectItem(Item{Item::Kind::Op, opOf(w, "my_net/MatMul")});
    QVERIFY(g->highlightedNodes().empty());
}

void GraphTest::searchRevealsANodeThreeLevelsDeep()
{
    MainWindow w;
    w.show();
    QSignalSpy done(&w, &MainWindow::loadFinished);
    w.openPath(kIncV3);
    QVERIFY(done.wait(30000));
    QVERIFY(waitIdle(w, 30000));
    const auto& t = *w.document()->tree;
    // A node at depth >= 3 (three scopes above it).
    const char* name = "module/InceptionV3/Conv2d_1a_3x3/weights";
    QVERIFY(w.document()->graph->findOp(name));
    const OpId op = opOf(w, name);
    QVERIFY(t.scope(t.opEnclosingScope(op)).depth >= 3);
    QVERIFY(w.searchBar()->search(QStringLiteral("InceptionV3/Conv2d_1a_3x3/weights")) > 0);
    auto results = searchGraph(*w.document(), QStringLiteral("InceptionV3/Conv2d_1a_3x3/weights"));
    auto it = std::find_if(results.begin(), results.end(), [op](const Item& i) { return i.isOp() && i.id == op; });
    QVERIFY(it != results.end());
    w.searchBar()->activateResult(int(it - results.begin()));
    QVERIFY(waitIdle(w, 30000));
    GraphView* g = w.graphView();
    QVERIFY(g->selectedItem() && g->selectedItem()->id == op);
    for (auto s = t.opParent(op); s > 0; s = t.scope(s).parent)
        QVERIFY(g->isScopeExpanded(s));
    // It is drawn as its own node, and centred.
    const int showing = g->drawing()->visible().nodeShowingOp(op);
    QVERIFY(showing >= 0);
    auto c = g->nodeCenter(g->drawing()->visible().nodes()[size_t(showing)].key);
    QVERIFY(c);
    QVERIFY(g->viewport()->rect().contains(g->mapFromScene(*c)));
    // type: queries find ops by type.
    QVERIFY(searchGraph(*w.document(), "type:VarHandleOp", 10000).size() == 376);
}

void GraphTest::exportWritesSvgWithVisibleNames()
{
    QTemporaryDir dir;
    auto doc = makeSeedDocument();
    const QString svg = dir.filePath("seed.svg");
    hierarchy::ExpansionState st;
    st.expand(doc->tree->findScope("my_net"));
    QCOMPARE(exportGraph(doc, svg, st), QString());
    QFile f(svg);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray text = f.readAll();
    QVERIFY(text.size() > 1000);
    for (const char* visible : {"my_net", "my_net_1", "head", "MatMul", "weights"})
        QVERIFY2(text.contains(QByteArray(">") + visible) || text.contains(visible), visible);
    QVERIFY(text.contains("<text"));
    const QString png = dir.filePath("seed.png");
    QCOMPARE(exportGraph(doc, png, {}), QString());
    QVERIFY(QImage(png).width() > 100);
    QVERIFY(!exportGraph(doc, dir.filePath("seed.gif"), {}).isEmpty()); // unknown format: a clear error
}

void GraphTest::inspectorListsSummariesOfAScope()
{
    MainWindow w;
    w.show();
    w.openSeedDemo();
    QVERIFY(waitIdle(w));
    const auto s = scopeOf(w, "summary");
    QVERIFY(s > 0);
    QSignalSpy prefix(w.inspector(), &Inspector::scopePrefixChanged);
    w.graphView()->selectItem(Item{Item::Kind::Scope, s});
    QVERIFY(w.inspector()->html().contains("summary/loss"));
    QVERIFY(w.inspector()->html().contains("summary/accuracy"));
    QCOMPARE(prefix.last().first().toString(), QStringLiteral("summary"));
    // A variable shows where it was created and each reuse.
    w.graphView()->selectItem(Item{Item::Kind::Op, opOf(w, "my_net/weights")});
    const QString html = w.inspector()->html();
    QVERIFY(html.contains("created here"));
    QVERIFY(html.contains("reused"));
    // ... and the ops that read it through my_net/weights/read, in both towers; the
    // histogram summary and the initializer are not forward computation.
    const QString readBy = html.mid(html.indexOf("Read by"));
    QVERIFY2(readBy.contains(">my_net/MatMul<") && readBy.contains(">my_net_1/MatMul<"), qPrintable(readBy));
    QVERIFY2(!readBy.contains("summary/weights") && !readBy.contains("Assign"), qPrintable(readBy));
}

void GraphTest::boxesFitTheirNames()
{
    // Short names are never cut ("su...ry", "Ar...ax"): boxes are measured with the label fonts.
    // Returns "" or what is wrong.
    auto check = [](const GraphView& g, int maxFull) -> QString {
        const GraphDrawing* d = g.drawing();
        if (!d)
            return "no drawing";
        int checked = 0;
        for (const DrawNode& n : d->nodes()) {
            if (n.style == NodeStyle::Root || n.vis < 0)
                continue;
            const auto& vn = d->visible().nodes()[size_t(n.vis)];
            const QString full = QString::fromUtf8(vn.label.data(), qsizetype(vn.label.size()));
            if (n.style == NodeStyle::AuxArea || full.size() > maxFull)
                continue;
            if (n.label != full)
                return QString("'%1' drawn as '%2' in a box %3 wide").arg(full, n.label).arg(n.rect.width());
            // Collapsed scopes of ordinary names keep their "· N ops" too.
            if (!n.frame && full.size() <= 24 && (n.style == NodeStyle::NameScope || n.style == NodeStyle::VariableScope) &&
                !n.detail.endsWith(" ops"))
                return full + ": detail cut to " + n.detail;
            ++checked;
        }
        return checked > 3 ? QString() : QString("only %1 boxes checked").arg(checked);
    };
    MainWindow w;
    w.show();
    w.openSeedDemo();
    QVERIFY(waitIdle(w));
    QString err = check(*w.graphView(), 40);
    QVERIFY2(err.isEmpty(), qPrintable(err));
    for (const char* name : {"summary", "ArgMax", "SparseSoftmaxCrossEntropyWithLogits"}) {
        const auto s = scopeOf(w, name);
        QVERIFY2(s > 0, name);
        const int d = w.graphView()->drawing()->find(hierarchy::scopeKey(s));
        QVERIFY2(d >= 0, name);
        QCOMPARE(w.graphView()->drawing()->nodes()[size_t(d)].label, QString::fromLatin1(name));
    }
    w.graphView()->expandAll();
    QVERIFY(waitIdle(w));
    err = check(*w.graphView(), 40);
    QVERIFY2(err.isEmpty(), qPrintable(err));
    // InceptionV3: top level and one block open; long generated names may be elided, the usual ones not.
    QSignalSpy done(&w, &MainWindow::loadFinished);
    w.openPath(kIncV3);
    QVERIFY(done.wait(30000));
    QVERIFY(waitIdle(w, 30000));
    err = check(*w.graphView(), 30);
    QVERIFY2(err.isEmpty(), qPrintable(err));
    const auto block = w.document()->tree->findScope("module_apply_default/InceptionV3/InceptionV3/Mixed_6a");
    QVERIFY(block > 0);
    w.graphView()->reveal(Item{Item::Kind::Scope, block});
    w.graphView()->setScopeExpanded(block, true);
    QVERIFY(waitIdle(w, 30000));
    err = check(*w.graphView(), 30);
    QVERIFY2(err.isEmpty(), qPrintable(err));

    // The inspector of a scope that reuses 376 variables counts them and lists the first 40.
    const auto model = w.document()->tree->findScope("module/InceptionV3/InceptionV3");
    QVERIFY(model > 0);
    w.graphView()->selectItem(Item{Item::Kind::Scope, model});
    const QString html = w.inspector()->html();
    QVERIFY2(QRegularExpression("Variables reused here(<[^>]*>)* \\(376\\)").match(html).hasMatch(), qPrintable(html.left(3000)));
    QVERIFY(html.contains(QString::fromUtf8("… and 336 more")));
}

void GraphTest::reusingScopesAreMarkedInTreeAndGraph()
{
    MainWindow w;
    w.show();
    w.openSeedDemo();
    QVERIFY(waitIdle(w));
    ScopeTreeModel* m = w.scopePanel()->model();
    auto shared = [&](const char* path) {
        return m->data(m->indexOf(Item{Item::Kind::Scope, scopeOf(w, path)}).siblingAtColumn(ScopeTreeModel::SharedColumn))
            .toString();
    };
    // my_net / head create weights and biases; my_net_1 / head_1 reuse both.
    QCOMPARE(shared("my_net"), QStringLiteral("owns 2"));
    QCOMPARE(shared("head"), QStringLiteral("owns 2"));
    QCOMPARE(shared("my_net_1"), QStringLiteral("reuses 2"));
    QCOMPARE(shared("head_1"), QStringLiteral("reuses 2"));
    QCOMPARE(shared("summary"), QString());
    QCOMPARE(m->data(m->indexOf(Item{Item::Kind::Scope, scopeOf(w, "my_net_1")}), SharedReusesRole).toInt(), 2);
    QVERIFY(m->data(m->indexOf(Item{Item::Kind::Scope, scopeOf(w, "head_1")}), Qt::ToolTipRole)
                .toString()
                .contains("reuses 2 shared variables"));
    // In the graph, the collapsed boxes of both sides carry the badge; the reusing side a hollow one.
    const GraphDrawing* d = w.graphView()->drawing();
    for (const char* path : {"my_net", "head", "my_net_1", "head_1"}) {
        const int i = d->find(hierarchy::scopeKey(scopeOf(w, path)));
        QVERIFY2(i >= 0, path);
        const DrawNode& n = d->nodes()[size_t(i)];
        QVERIFY2(n.sharedUsers == 2, path);
        QCOMPARE(n.reusesShared, QByteArray(path).endsWith("_1"));
    }
    const int sum = d->find(hierarchy::scopeKey(scopeOf(w, "summary")));
    QCOMPARE(d->nodes()[size_t(sum)].sharedUsers, 0);
}

void GraphTest::treeSelectionBringsConsumersIntoView()
{
    MainWindow w;
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.openSeedDemo();
    QVERIFY(waitIdle(w));
    GraphView* g = w.graphView();
    g->setScopeExpanded(scopeOf(w, "my_net"), true);
    g->setScopeExpanded(scopeOf(w, "my_net_1"), true);
    QVERIFY(waitIdle(w));
    // Zoomed in far on a corner, away from everything.
    g->resetZoom();
    g->zoomBy(2.5);
    g->centerOn(g->drawing()->bounds().bottomRight() + QPointF(200, 200));
    // Selecting the shared variable in the tree: it and both MatMuls that read it come into view, readable.
    QTreeView* tv = w.scopePanel()->view();
    auto* proxy = qobject_cast<QSortFilterProxyModel*>(tv->model());
    const QModelIndex row =
        proxy->mapFromSource(w.scopePanel()->model()->indexOf(Item{Item::Kind::Scope, scopeOf(w, "my_net/weights")}));
    QVERIFY(row.isValid());
    tv->setCurrentIndex(row);
    QVERIFY(g->selectedItem());
    QCOMPARE(g->highlightedNodes().size(), size_t(2));
    const QRectF frame = g->selectionFrame();
    QVERIFY(!frame.isEmpty());
    QVERIFY(g->mapToScene(g->viewport()->rect()).boundingRect().contains(frame));
    QVERIFY(g->transform().m11() >= 0.55);
    QVERIFY(g->transform().m11() <= 2.5);
    // Selecting it again while all is in view does not move the view.
    const QTransform before = g->viewportTransform();
    g->showItem(Item{Item::Kind::Op, opOf(w, "my_net/weights")});
    QCOMPARE(g->viewportTransform(), before);
}

void GraphTest::treeAndGraphShareOneSelectionModel()
{
    // Expansion and selection live in one model: a change made in the tree reaches the graph and a
    // change made in the graph reaches the tree, each announced exactly once (no echo back and forth).
    MainWindow w;
    QVERIFY(showSeedDemo(w));
    GraphSelectionModel* m = w.selectionModel();
    QVERIFY(m && w.graphView()->selectionModel() == m);
    GraphView* g = w.graphView();
    QTreeView* tv = w.scopePanel()->view();
    auto* proxy = qobject_cast<QSortFilterProxyModel*>(tv->model());
    auto rowOf = [&](Item it) { return proxy->mapFromSource(w.scopePanel()->model()->indexOf(it)); };
    const auto myNet = scopeOf(w, "my_net"), myNet1 = scopeOf(w, "my_net_1"), head = scopeOf(w, "head");
    QSignalSpy expanded(m, &GraphSelectionModel::expansionChanged);
    QSignalSpy reset(m, &GraphSelectionModel::expansionReset);
    QSignalSpy selected(m, &GraphSelectionModel::selectionChanged);
    QSignalSpy layouts(g, &GraphView::layoutShown);

    // Tree -> graph.
    tv->expand(rowOf(Item{Item::Kind::Scope, myNet}));
    QCOMPARE(expanded.count(), 1);
    QVERIFY(g->isScopeExpanded(myNet));
    QVERIFY(waitIdle(w));
    QVERIFY(g->nodeCenter(hierarchy::opKey(opOf(w, "my_net/MatMul"))));
    // Graph -> tree.
    g->setScopeExpanded(myNet1, true);
    QCOMPARE(expanded.count(), 2);
    QVERIFY(tv->isExpanded(rowOf(Item{Item::Kind::Scope, myNet1})));
    g->setScopeExpanded(myNet, false);
    QCOMPARE(expanded.count(), 3);
    QVERIFY(!tv->isExpanded(rowOf(Item{Item::Kind::Scope, myNet})));
    // Asking for what already is announces nothing.
    g->setScopeExpanded(myNet1, true);
    tv->expand(rowOf(Item{Item::Kind::Scope, myNet1}));
    QCOMPARE(expanded.count(), 3);
    QVERIFY(waitIdle(w));
    QCOMPARE(reset.count(), 0);
    const int layoutsAfterExpanding = int(layouts.count());
    QVERIFY(layoutsAfterExpanding >= 1);

    // Tree -> graph selection (and the inspector).
    tv->setCurrentIndex(rowOf(Item{Item::Kind::Scope, head}));
    QCOMPARE(selected.count(), 1);
    QVERIFY(g->selectedItem() && *g->selectedItem() == (Item{Item::Kind::Scope, head}));
    QVERIFY(w.inspector()->html().contains("head"));
    // Graph -> tree selection: a click on the MatMul inside my_net_1.
    const OpId mm = opOf(w, "my_net_1/MatMul");
    const auto c = g->nodeCenter(hierarchy::opKey(mm));
    QVERIFY(c);
    QTest::mouseClick(g->viewport(), Qt::LeftButton, {}, g->mapFromScene(*c));
    QCOMPARE(selected.count(), 2);
    QVERIFY(g->selectedItem() && *g->selectedItem() == (Item{Item::Kind::Op, mm}));
    // (Op rows are listed only with "Ops" checked: the tree then shows no current op row.)
    // Selecting it again changes nothing.
    g->selectItem(Item{Item::Kind::Op, mm});
    QCOMPARE(selected.count(), 2);
    // Selection is not expansion: neither view relaid out or announced expansion meanwhile.
    QVERIFY(waitIdle(w));
    QCOMPARE(expanded.count(), 3);
    QCOMPARE(int(layouts.count()), layoutsAfterExpanding);
    // Selecting a scope in the graph makes it the tree's current row.
    g->selectItem(Item{Item::Kind::Scope, myNet});
    QCOMPARE(selected.count(), 3);
    QCOMPARE(tv->currentIndex(), rowOf(Item{Item::Kind::Scope, myNet}));
}

void GraphTest::hoverLeavesTheSelectionHighlight()
{
    MainWindow w;
    QVERIFY(showSeedDemo(w));
    GraphView* g = w.graphView();
    g->setExpansion(hierarchy::expansionFromArguments(*w.document()->tree, {"my_net,my_net_1"}));
    QVERIFY(waitIdle(w));
    g->selectItem(Item{Item::Kind::Op, opOf(w, "my_net/weights")});
    const auto before = g->highlight().node;
    const auto edgesBefore = g->highlight().edge;
    QCOMPARE(g->highlightedNodes().size(), size_t(2));
    // Hover the head scope's box: its edges light up as hover, the selection's stay as they were.
    const int h = g->drawing()->find(hierarchy::scopeKey(scopeOf(w, "head")));
    QVERIFY(h >= 0);
    g->setHoveredNode(h);
    int hoverEdges = 0;
    for (size_t i = 0; i < g->drawing()->edges().size(); ++i) {
        const auto& e = g->drawing()->edges()[i];
        if (e.from == h || e.to == h) {
            QVERIFY(g->highlight().edge[i] >= HighlightLevel::Hover);
            ++hoverEdges;
        } else {
            QCOMPARE(g->highlight().edge[i], edgesBefore[i]);
        }
    }
    QVERIFY(hoverEdges > 0);
    QCOMPARE(g->highlightedNodes().size(), size_t(2));
    QCOMPARE(g->highlight().node[size_t(h)], before[size_t(h)]);
    // Moving off restores exactly the selection's highlight.
    g->setHoveredNode(-1);
    QVERIFY(g->highlight().node == before);
    QVERIFY(g->highlight().edge == edgesBefore);
}

QTEST_MAIN(GraphTest)
#include "graph_test.moc"

void GraphTest::treeListsASeriesAsOneRow()
{
    // InceptionV3's 376 `checkpoint_initializer_N` scopes are one series box in the graph; the tree
    // lists them as one row, labelled as the box is (its label and the member count), whose children
    // are the 376 members in order. Graphs without series are listed exactly as before.
    ScopeTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto r = loadPath(kIncV3);
    QVERIFY2(r.document, qPrintable(r.error));
    model.setDocument(r.document);
    const auto& t = *r.document->tree;
    const int32_t k = seriesNamed(t, "checkpoint_initializer");
    QVERIFY(k >= 0);
    const auto& ser = t.series()[size_t(k)];
    QCOMPARE(int(ser.members.size()), 376);
    QCOMPARE(ser.parent, hierarchy::RootScope);
    const QModelIndex row = model.indexOfSeries(k);
    QVERIFY(row.isValid());
    QVERIFY(!model.parent(row).isValid()); // a top-level row, in the place of its first member
    const QString label = model.data(row).toString();
    QCOMPARE(label, QStringLiteral("checkpoint_initializer, checkpoint_initializer_[1-375] ×376"));
    QCOMPARE(label, QString::fromStdString(hierarchy::seriesTitle(ser)));
    QCOMPARE(model.data(row, ItemKindRole).toInt(), 2);
    QCOMPARE(model.data(row.siblingAtColumn(ScopeTreeModel::OpsColumn)).toInt(), ser.opCount);
    QCOMPARE(model.seriesOf(row), k);
    QCOMPARE(model.itemOf(row), ser.members.front()); // selecting the row selects the series, as the box does
    // The members, in member order, each a child of the series row.
    QCOMPARE(model.rowCount(row), 376);
    QCOMPARE(model.data(model.index(0, 0, row)).toString(), QStringLiteral("checkpoint_initializer"));
    QCOMPARE(model.data(model.index(375, 0, row)).toString(), QStringLiteral("checkpoint_initializer_375"));
    for (int i = 0; i < 376; ++i) {
        const QModelIndex m = model.index(i, 0, row);
        QCOMPARE(model.itemOf(m), ser.members[size_t(i)]);
        QCOMPARE(model.seriesOf(m), -1);
        QCOMPARE(model.parent(m), row);
        QCOMPARE(model.indexOf(ser.members[size_t(i)]), m);
    }
    // The top level: one row instead of 376, and no member among its rows.
    QCOMPARE(model.rowCount(), scopeItems(t, hierarchy::RootScope) - 376 + 1);
    for (int i = 0; i < model.rowCount(); ++i)
        QVERIFY(!model.data(model.index(i, 0)).toString().startsWith(QStringLiteral("checkpoint_initializer_")));
    // Every scope series of the graph has its row with all its members.
    for (size_t j = 0; j < t.series().size(); ++j)
        if (t.series()[j].members.front().isScope())
            QCOMPARE(model.rowCount(model.indexOfSeries(int32_t(j))), int(t.series()[j].members.size()));
    // The filter finds the series row (and its members) by the members' name.
    QSortFilterProxyModel proxy;
    proxy.setRecursiveFilteringEnabled(true);
    proxy.setSourceModel(&model);
    proxy.setFilterFixedString("checkpoint_initializer_375");
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.rowCount(proxy.index(0, 0)), 1);

    // The seed demo has no series: every scope lists its child scopes, nothing else.
    const DocumentPtr seed = makeSeedDocument();
    model.setDocument(seed);
    const auto& st = *seed->tree;
    QVERIFY(st.series().empty());
    QCOMPARE(model.rowCount(), scopeItems(st, hierarchy::RootScope));
    for (hierarchy::ScopeId s = 1; s < st.numScopes(); ++s) {
        const QModelIndex i = model.indexOf(Item{Item::Kind::Scope, s});
        QVERIFY(i.isValid());
        QCOMPARE(model.rowCount(i), scopeItems(st, s));
        QCOMPARE(model.data(i, ItemKindRole).toInt(), 0);
    }
}

void GraphTest::seriesRowSelectsTheSeriesAndMemberRowsTheirScope()
{
    // In the window: clicking a member row selects that scope in the graph; clicking the series row
    // selects the series (the box), and the row stays current; opening the row opens the box.
    MainWindow w;
    w.resize(1200, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.openPath(kIncV3);
    QVERIFY(waitIdle(w, 60000));
    const auto& t = *w.document()->tree;
    const int32_t k = seriesNamed(t, "checkpoint_initializer");
    QVERIFY(k >= 0);
    const auto& ser = t.series()[size_t(k)];
    GraphSelectionModel* m = w.selectionModel();
    QTreeView* tv = w.scopePanel()->view();
    auto* proxy = qobject_cast<QSortFilterProxyModel*>(tv->model());
    ScopeTreeModel* model = w.scopePanel()->model();
    const QModelIndex seriesRow = proxy->mapFromSource(model->indexOfSeries(k));
    QVERIFY(seriesRow.isValid());

    // A member row: that scope. The tree opens the series row to show it, and so the graph opens the box.
    const auto key = hierarchy::seriesKey(t, k);
    const Item member17 = ser.members[17];
    tv->setCurrentIndex(proxy->mapFromSource(model->indexOf(member17)));
    QVERIFY(m->selectedItem() && *m->selectedItem() == member17);
    QVERIFY(tv->isExpanded(seriesRow));
    QVERIFY(m->expansion().expanded.count(key));
    // Closing the box in the graph closes the row.
    QVERIFY(m->toggle(key));
    QVERIFY(!tv->isExpanded(seriesRow));
    // The series row: the series (its first member), drawn as the series box; the tree keeps the row.
    tv->setCurrentIndex(seriesRow);
    QVERIFY(m->selectedItem() && *m->selectedItem() == ser.members.front());
    QCOMPARE(tv->currentIndex(), seriesRow);
    QVERIFY(waitIdle(w));
    QVERIFY(w.graphView()->nodeCenter(key));
    // Selected in the graph while the box is closed: the tree shows the series row.
    m->select(Item{Item::Kind::Scope, -1});
    QVERIFY(!tv->selectionModel()->isSelected(seriesRow));
    m->select(ser.members.front());
    QCOMPARE(tv->currentIndex(), seriesRow);
    QVERIFY(tv->selectionModel()->isSelected(seriesRow));
    // Opening the row opens the box; a member selected then is shown by its own row.
    tv->expand(seriesRow);
    QVERIFY(m->expansion().expanded.count(key));
    m->select(member17);
    QCOMPARE(proxy->mapToSource(tv->currentIndex()), model->indexOf(member17));
    // Closing the box in the graph closes the row.
    QVERIFY(m->toggle(key));
    QVERIFY(!tv->isExpanded(seriesRow));
}
