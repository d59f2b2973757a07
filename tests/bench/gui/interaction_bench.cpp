// GUI interaction benchmark (offscreen): GUI-thread time per hover change and
// per selection change in a whole MainWindow, on InceptionV3 (fully expanded:
// every box drawn) and on the generated 100,000-op graph (the path to one
// innermost scope expanded). A hover change is a mouse move onto another node
// (hit test + highlight); a selection change goes through the selection model
// to the graph view, the scope tree and the inspector (reported whole, then the
// inspector alone and everything but the inspector). Painting is not counted
// (gui_bench measures frames). Goal: p95 <= 2 ms each.
//   scopeviz_bench_gui_interaction [--quick]
#include "tests/bench/bench.h"
#include "tests/bench/gui/wait_shown.h"
#include "tests/core/hierarchy/graph_fixtures.h"

#include "core/hierarchy/scope_tree.h"
#include "ui/common/graph_document.h"
#include "ui/common/graph_selection_model.h"
#include "ui/graph/graph_view.h"
#include "ui/inspector/inspector.h"
#include "ui/mainwindow/main_window.h"

#include <QApplication>
#include <QMouseEvent>

#include <algorithm>
#include <iostream>
#include <random>
#include <string>

using namespace scopeviz;
using namespace scopeviz::ui;
using hierarchy::Item;

namespace {

using bench::percentile;

bool waitIdle(MainWindow& w, double timeoutS = 300) { return bench::waitShown(*w.graphView(), timeoutS); }

void reportTimes(const std::string& name, const std::vector<double>& seconds)
{
    const double p50 = percentile(seconds, 0.50) * 1000, p95 = percentile(seconds, 0.95) * 1000;
    bench::report(name + "_p50", p50, "ms");
    bench::report(name + "_p95", p95, "ms");
    bench::report(name + "_p95_vs_goal", p95 / 2.0, "ratio");
}

/// Hover: mouse moves onto successive drawn nodes (and off them, every fourth move).
std::vector<double> hoverTimes(MainWindow& w, int moves)
{
    GraphView* v = w.graphView();
    const auto& nodes = v->drawing()->nodes();
    std::vector<int> leaves;
    for (int i = 0; i < int(nodes.size()); ++i)
        if (!nodes[size_t(i)].frame && nodes[size_t(i)].style != NodeStyle::Root)
            leaves.push_back(i);
    std::mt19937 rng(7);
    std::vector<double> out;
    out.reserve(size_t(moves));
    for (int m = 0; m < moves && !leaves.empty(); ++m) {
        const int n = leaves[rng() % leaves.size()];
        QRectF r = nodes[size_t(n)].rect;
        QPointF scenePos = (m % 4 == 3) ? r.topLeft() - QPointF(3, 3) : r.center();
        v->centerOn(scenePos); // the point must be on screen for the event to be plausible
        QCoreApplication::processEvents();
        const QPoint pos = v->mapFromScene(scenePos);
        QMouseEvent e(QEvent::MouseMove, QPointF(pos), v->viewport()->mapToGlobal(QPointF(pos)), Qt::NoButton,
                      Qt::NoButton, Qt::NoModifier);
        const double t = bench::now();
        QCoreApplication::sendEvent(v->viewport(), &e);
        out.push_back(bench::now() - t);
    }
    return out;
}

/// Selection: ops (shared variables among them) and scopes, through the selection model.
std::vector<double> selectionTimes(MainWindow& w, int changes, SelectionFocus focus, bool sharedOnly)
{
    const auto& doc = *w.document();
    const auto& index = *doc.index;
    std::vector<Item> items;
    for (int32_t v = 0; v < index.numVariables(); ++v)
        if (!sharedOnly || index.isShared(v))
            items.push_back(Item{Item::Kind::Op, index.record(v).op});
    if (!sharedOnly) {
        std::mt19937 rng(11);
        for (int i = 0; i < 200; ++i)
            items.push_back(Item{Item::Kind::Op, int32_t(rng() % uint32_t(doc.tree->numOps()))});
        for (int i = 0; i < 100; ++i)
            items.push_back(Item{Item::Kind::Scope, 1 + int32_t(rng() % uint32_t(doc.tree->numScopes() - 1))});
    }
    std::vector<double> out;
    if (items.empty())
        return out;
    std::mt19937 rng(13);
    for (int c = 0; c < changes; ++c) {
        const Item it = items[rng() % items.size()];
        const double t = bench::now();
        w.selectionModel()->select(it, focus);
        out.push_back(bench::now() - t);
        QCoreApplication::processEvents(); // the paint that follows is not counted
    }
    return out;
}

/// Inspector alone: the rich text of random ops, variables and scopes laid out in its QTextBrowser.
std::vector<double> inspectorTimes(MainWindow& w, int changes)
{
    const auto& doc = *w.document();
    std::mt19937 rng(5);
    std::vector<double> out;
    for (int i = 0; i < changes; ++i) {
        Item it{Item::Kind::Op, int32_t(rng() % uint32_t(doc.tree->numOps()))};
        if (i % 3 == 0)
            it = Item{Item::Kind::Scope, 1 + int32_t(rng() % uint32_t(doc.tree->numScopes() - 1))};
        else if (i % 3 == 1 && doc.index->numVariables() > 0)
            it = Item{Item::Kind::Op, doc.index->record(int32_t(rng() % uint32_t(doc.index->numVariables()))).op};
        const double t = bench::now();
        w.inspector()->showItem(it);
        out.push_back(bench::now() - t);
    }
    return out;
}

int measure(MainWindow& w, const std::string& tag, bool quick)
{
    const int n = quick ? 100 : 400;
    reportTimes("gui_" + tag + "_hover", hoverTimes(w, n));
    // The whole window: model -> graph highlight, scope tree, inspector, scalars filter.
    reportTimes("gui_" + tag + "_select", selectionTimes(w, n, SelectionFocus::Keep, false));
    reportTimes("gui_" + tag + "_select_from_tree", selectionTimes(w, n / 2, SelectionFocus::Show, false));
    // Its parts: the inspector's rich text alone, then everything but the inspector.
    reportTimes("gui_" + tag + "_inspector_only", inspectorTimes(w, n / 2));
    QObject::disconnect(w.selectionModel(), &GraphSelectionModel::selectionChanged, &w, nullptr);
    reportTimes("gui_" + tag + "_select_graph_and_tree", selectionTimes(w, n, SelectionFocus::Keep, false));
    const auto shared = selectionTimes(w, n / 2, SelectionFocus::Keep, true);
    if (!shared.empty())
        reportTimes("gui_" + tag + "_select_graph_and_tree_shared_variable", shared);
    bench::report("gui_" + tag + "_drawn_boxes", double(w.graphView()->drawing()->nodes().size()), "boxes");
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    bool quick = false;
    for (int i = 1; i < argc; ++i)
        quick |= std::string(argv[i]) == "--quick";

    {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        LoadResult r = loadPath(QStringLiteral(SCOPEVIZ_TESTDATA "/graphs/tf1.14-inceptionv3-hub-11040-nodes.graphdef.pb"));
        if (!r.document) {
            std::cerr << "cannot load InceptionV3: " << r.error.toStdString() << "\n";
            return 1;
        }
        w.setDocument(r.document);
        w.graphView()->expandAll();
        if (!waitIdle(w))
            return 1;
        measure(w, "incv3", quick);
    }
    {
        auto g = std::make_shared<Graph>();
        hierarchy::fixtures::buildGeneratedGraph(*g, quick ? 3 : 4, 10);
        DocumentPtr doc = makeDocument(std::move(g), GraphDocument::Source::GraphFile, QStringLiteral("generated.pb"));
        bench::report("gui_generated_ops", double(doc->tree->numOps()), "ops");
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        w.setDocument(doc);
        // The path down to the first innermost scope, open.
        hierarchy::ScopeId s = hierarchy::RootScope;
        while (!doc->tree->scope(s).children.empty())
            s = doc->tree->scope(s).children.front();
        w.selectionModel()->setScopeExpanded(s, true);
        if (!waitIdle(w))
            return 1;
        measure(w, "generated", quick);
    }
    return 0;
}
