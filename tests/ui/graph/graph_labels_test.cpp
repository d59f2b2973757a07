// Semantic zoom (ui/graph/graph_labels.h) as a user meets it: the first, fitted view of a mid-size
// graph shows names, the largest scopes' among them, at a readable size, none covering another and
// none cut at the window's edge; op names appear as their boxes grow; panning moves labels with the
// graph instead of reshuffling them. The checks read the view's placed labels, which are exactly what
// its canvas paints.
#include "tests/support/test_data.h"
#include "core/hierarchy/tree_report.h"
#include "ui/common/graph_document.h"
#include "ui/graph/graph_view.h"

#include <QScrollBar>
#include <QTest>

#include <algorithm>

using namespace scopeviz;
using namespace scopeviz::ui;

namespace {

const QString kDqn = QStringLiteral(SCOPEVIZ_TESTDATA "/events/tf1-keras-breakout-dqn-31k-scalars");
const QString kIncV3 = QStringLiteral(SCOPEVIZ_TESTDATA "/graphs/tf1.14-inceptionv3-hub-11040-nodes.graphdef.pb");
const QString kXla = QStringLiteral(SCOPEVIZ_TESTDATA "/graphs/tf1-xla-demo-118-nodes.pbtxt");

/// Until the view has laid out and finished animating; false on timeout.
bool waitIdle(const GraphView& v, int ms = 30000)
{
    QTest::qWait(20);
    for (int waited = 0; v.isBusy() && waited < ms; waited += 10)
        QTest::qWait(10);
    return !v.isBusy() && v.drawing();
}

/// Shows `v` at `size` and opens `path` with `expand` (tree_report.h syntax, "" for nothing), fitted;
/// "" or what failed.
QString open(GraphView& v, const QString& path, const char* expand = "", QSize size = QSize(900, 560))
{
    v.resize(size);
    v.show();
    if (!QTest::qWaitForWindowExposed(&v))
        return QStringLiteral("view not shown");
    LoadResult r = loadPath(path);
    if (!r.document)
        return "cannot load " + path + ": " + r.error;
    v.setDocument(r.document);
    if (*expand) // before the first layout, as `scopeviz FILE --expand ...` does: that layout is fitted
        v.setExpansion(hierarchy::expansionFromArguments(*r.document->tree, {expand}));
    return waitIdle(v) ? QString() : QStringLiteral("no layout shown");
}

QString nameOf(const GraphView& v, int node)
{
    const DrawNode& n = v.drawing()->nodes()[size_t(node)];
    if (n.style == NodeStyle::AuxArea)
        return QStringLiteral("auxiliary");
    const auto label = v.drawing()->visible().nodes()[size_t(n.vis)].label;
    return QString::fromUtf8(label.data(), qsizetype(label.size()));
}

/// "" when the labels in view are readable, each the (possibly elided) name of its
/// box, and no two overlap; else what is wrong.
QString checkLabels(const GraphView& v, const std::vector<PlacedLabel>& labels)
{
    for (size_t i = 0; i < labels.size(); ++i) {
        const PlacedLabel& a = labels[i];
        if (a.rect.height() < kOpLabelPx)
            return QString("'%1' is %2 px high").arg(a.text).arg(a.rect.height());
        const QString full = nameOf(v, a.node);
        if (a.text != full && !a.text.contains(QChar(0x2026)))
            return QString("'%1' shown for '%2'").arg(a.text, full);
        for (size_t j = i + 1; j < labels.size(); ++j)
            if (a.rect.intersects(labels[j].rect))
                return QString("'%1' overlaps '%2'").arg(a.text, labels[j].text);
    }
    return {};
}

/// True when no label is cut at the viewport's edge (what a fitted view promises).
bool fullyInside(const GraphView& v, const std::vector<PlacedLabel>& labels)
{
    const QRectF viewport(v.viewport()->rect());
    return std::all_of(labels.begin(), labels.end(), [&](const PlacedLabel& l) { return viewport.contains(l.rect); });
}

/// Draw indices of the `k` largest top-level scope boxes, frames and series.
std::vector<int> largestTopLevel(const GraphView& v, size_t k)
{
    const auto& nodes = v.drawing()->nodes();
    std::vector<int> top;
    for (size_t i = 0; i < nodes.size(); ++i) {
        const DrawNode& n = nodes[i];
        const bool container = n.style == NodeStyle::NameScope || n.style == NodeStyle::VariableScope ||
                               n.style == NodeStyle::Series;
        if (container && n.parent >= 0 && nodes[size_t(n.parent)].style == NodeStyle::Root)
            top.push_back(int(i));
    }
    auto area = [&](int i) { return nodes[size_t(i)].rect.width() * nodes[size_t(i)].rect.height(); };
    std::stable_sort(top.begin(), top.end(), [&](int a, int b) { return area(a) > area(b); });
    top.resize(std::min(top.size(), k));
    return top;
}

bool hasLabel(const std::vector<PlacedLabel>& labels, int node)
{
    return std::any_of(labels.begin(), labels.end(), [node](const PlacedLabel& l) { return l.node == node; });
}

/// "" when a fitted view's labels are the label layer's, pass checkLabels, are all in view and include
/// the three largest top-level scopes'; else what is wrong.
QString checkFitted(const GraphView& v, const std::vector<PlacedLabel>& labels)
{
    if (GraphDrawing::namesInBoxes(v.transform().m11()))
        return QStringLiteral("fitted at a zoom where names fit inside boxes");
    if (QString bad = checkLabels(v, labels); !bad.isEmpty())
        return bad;
    if (!fullyInside(v, labels))
        return QStringLiteral("a label is cut at the viewport's edge");
    const auto top = largestTopLevel(v, 3);
    if (top.size() < 3)
        return QStringLiteral("fewer than 3 top-level scopes");
    for (int node : top)
        if (!hasLabel(labels, node))
            return "no label for the large top-level scope " + nameOf(v, node);
    return {};
}

} // namespace

class GraphLabelsTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { SCOPEVIZ_REQUIRE_TEST_DATA(); }
    void fittedDqnGraphShowsItsLargestScopes();
    void fittedInceptionWithModuleOpenShowsItsScopes();
    void opNamesAppearAsTheirBoxesGrow();
    void panningMovesLabelsWithTheGraph();
};

void GraphLabelsTest::fittedDqnGraphShowsItsLargestScopes()
{
    GraphView v;
    const QString err = open(v, kDqn);
    QVERIFY2(err.isEmpty(), qPrintable(err));
    // About 60 top-level boxes fitted: far below the zoom where names fit inside boxes.
    const auto labels = v.placedLabels();
    QVERIFY2(labels.size() >= 15, qPrintable(QString::number(labels.size())));
    const QString bad = checkFitted(v, labels);
    QVERIFY2(bad.isEmpty(), qPrintable(bad));
    const auto top = largestTopLevel(v, 1);
    // Zoomed out further, space runs short: fewer names, still the largest scope's, still no overlaps.
    v.zoomBy(0.5);
    const auto fewer = v.placedLabels();
    QVERIFY(!fewer.empty() && fewer.size() < labels.size());
    QVERIFY(hasLabel(fewer, top.front()));
    const QString badFewer = checkLabels(v, fewer);
    QVERIFY2(badFewer.isEmpty(), qPrintable(badFewer));
}

void GraphLabelsTest::fittedInceptionWithModuleOpenShowsItsScopes()
{
    GraphView v;
    const QString err = open(v, kIncV3, "module");
    QVERIFY2(err.isEmpty(), qPrintable(err));
    const auto labels = v.placedLabels();
    const QString bad = checkFitted(v, labels);
    QVERIFY2(bad.isEmpty(), qPrintable(bad));
    // The open module's frame is named, and so are the scopes inside it.
    auto labelled = [&](const char* name) {
        return std::any_of(labels.begin(), labels.end(), [&](const PlacedLabel& l) { return l.text == name; });
    };
    for (const char* name : {"module", "InceptionV3", "hub_input", "hub_output", "module_apply_default"})
        QVERIFY2(labelled(name), name);
}

void GraphLabelsTest::opNamesAppearAsTheirBoxesGrow()
{
    GraphView v;
    const QString err = open(v, kXla);
    QVERIFY2(err.isEmpty(), qPrintable(err));
    auto shows = [&](const char* name, bool bold) {
        const auto labels = v.placedLabels();
        return std::any_of(labels.begin(), labels.end(),
                           [&](const PlacedLabel& l) { return l.text == name && l.bold == bold; });
    };
    // Far out, the scope's name is there and the op's is not: its pill is a few pixels.
    v.setTransform(QTransform::fromScale(0.25, 0.25));
    v.centerOn(v.drawing()->bounds().center());
    QVERIFY(!v.placedLabels().empty());
    QVERIFY(shows("gradients", true));
    QVERIFY(!shows("Relu", false));
    // Closer, but still below the zoom where names fit inside boxes: the op's name appears.
    v.setTransform(QTransform::fromScale(0.7, 0.7));
    const Operation* relu = v.document()->graph->findOp("Relu");
    QVERIFY(relu);
    const auto centre = v.nodeCenter(hierarchy::opKey(relu->id()));
    QVERIFY(centre);
    v.centerOn(*centre);
    QVERIFY(shows("Relu", false));
    const QString bad = checkLabels(v, v.placedLabels());
    QVERIFY2(bad.isEmpty(), qPrintable(bad));
    // At 1:1 the names are written inside the boxes and the label layer stands down.
    v.resetZoom();
    QVERIFY(GraphDrawing::namesInBoxes(v.transform().m11()));
    QVERIFY(v.placedLabels().empty());
}

void GraphLabelsTest::panningMovesLabelsWithTheGraph()
{
    GraphView v;
    const QString err = open(v, kIncV3, "module", QSize(600, 400));
    QVERIFY2(err.isEmpty(), qPrintable(err));
    v.setTransform(QTransform::fromScale(0.8, 0.8)); // larger than the view: something to scroll
    QVERIFY(!GraphDrawing::namesInBoxes(v.transform().m11()));
    const auto before = v.placedLabels();
    QVERIFY(!before.empty());
    const QPointF origin = v.mapFromScene(QPointF(0, 0));
    v.horizontalScrollBar()->setValue(v.horizontalScrollBar()->value() + 37);
    v.verticalScrollBar()->setValue(v.verticalScrollBar()->value() + 23);
    const QPointF shift = QPointF(v.mapFromScene(QPointF(0, 0))) - origin;
    QVERIFY(!shift.isNull());
    // Every label still in view is the same name at the same place on the graph.
    const auto after = v.placedLabels();
    const QRectF viewport(v.viewport()->rect());
    int compared = 0;
    for (const PlacedLabel& a : before) {
        const QRectF moved = a.rect.translated(shift);
        if (!viewport.contains(moved))
            continue;
        auto it = std::find_if(after.begin(), after.end(), [&](const PlacedLabel& b) { return b.node == a.node; });
        QVERIFY2(it != after.end(), qPrintable(a.text));
        QCOMPARE(it->text, a.text);
        QVERIFY(std::abs(it->rect.left() - moved.left()) < 0.01 && std::abs(it->rect.top() - moved.top()) < 0.01);
        ++compared;
    }
    QVERIFY(compared > 3);
}

QTEST_MAIN(GraphLabelsTest)
#include "graph_labels_test.moc"
