// Replay scrubbing benchmark (offscreen): GUI-thread time of one step of the
// Replay dock on an engine-built graph of more than 10,000 ops with a reuse
// trace (towers of variable scopes, name scopes and get_variable calls, every
// other tower reusing the previous one's variables), fully expanded so that
// every op is a drawn box. A step is the slider moving: the panel's labels, the
// source highlight and the graph view's replay state (cutoff and newest node);
// the repaint that follows is measured apart. Reported: building the timeline
// once, one step forward, a jump to a random step, and a full repaint at a
// step (the source view shows a temporary script file). Goal: step p95 <= 50 ms.
//   scopeviz_bench_replay [--quick]
#include "tests/bench/bench.h"
#include "tests/bench/gui/wait_shown.h"

#include "core/graph/name_scope.h"
#include "core/hierarchy/construction_replay.h"
#include "core/ops/get_variable.h"
#include "core/ops/ops.h"
#include "core/scope/variable_scope.h"
#include "ui/common/graph_document.h"
#include "ui/graph/graph_view.h"
#include "ui/mainwindow/main_window.h"
#include "ui/replay/replay_panel.h"

#include <QApplication>
#include <QFile>
#include <QSlider>
#include <QTemporaryDir>

#include <algorithm>
#include <iostream>
#include <random>
#include <string>

using namespace scopeviz;
using namespace scopeviz::ui;

namespace {

using bench::percentile;

void reportTimes(const std::string& name, const std::vector<double>& seconds)
{
    bench::report(name + "_p50", percentile(seconds, 0.50) * 1000, "ms");
    bench::report(name + "_p95", percentile(seconds, 0.95) * 1000, "ms");
}

/// Towers of scopes as a tutorial script builds them, until the graph has at least `minOps` ops.
std::shared_ptr<Graph> buildTowers(int minOps, const std::string& file)
{
    auto g = std::make_shared<Graph>();
    for (int t = 0; g->numOps() < minOps; ++t) {
        const bool reuse = t % 2 == 1;
        VariableScopeOptions vo;
        vo.source = file + ":" + std::to_string(10 + t % 7);
        vo.reuse = reuse ? Reuse::True : Reuse::None;
        VariableScope tower(*g, "tower_" + std::to_string(t / 2), vo);
        Output x = ops::constant(*g, 1.0, DType::Float, "x");
        for (int layer = 0; layer < 4; ++layer) {
            NameScope ns(*g, std::string("layer") + std::to_string(layer), std::nullopt, false,
                         file + ":" + std::to_string(20 + layer));
            VariableScopeOptions inner;
            inner.source = file + ":" + std::to_string(30 + layer);
            VariableScope vs(*g, "dense" + std::to_string(layer), inner);
            GetVariableOptions go;
            go.shape = Shape({1});
            go.source = file + ":" + std::to_string(40 + layer);
            const Variable w = getVariable(*g, "w", go);
            x = ops::relu(*g, ops::add(*g, ops::multiply(*g, x, w.value()), ops::constant(*g, 0.5)));
        }
    }
    return g;
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    const bool quick = argc > 1 && std::string(argv[1]) == "--quick";
    const int minOps = 10000;

    // A script file of 60 lines, so that every step also moves the source highlight.
    QTemporaryDir dir;
    const QString script = dir.filePath(QStringLiteral("towers.py"));
    {
        QFile f(script);
        if (!f.open(QIODevice::WriteOnly))
            return 1;
        for (int i = 1; i <= 60; ++i)
            f.write(QStringLiteral("x = layer(x)  # line %1\n").arg(i).toUtf8());
    }
    double t0 = bench::now();
    std::shared_ptr<const Graph> graph = buildTowers(minOps, script.toStdString());
    bench::report("replay_graph_ops", graph->numOps(), "ops");
    bench::report("replay_graph_build_s", bench::now() - t0, "s");
    t0 = bench::now();
    const hierarchy::ConstructionReplay once(graph);
    bench::report("replay_timeline_build_ms", (bench::now() - t0) * 1000, "ms");
    bench::report("replay_events", once.size(), "events");

    MainWindow w;
    w.resize(1600, 1000);
    w.show();
    w.setDocument(makeDocument(graph, GraphDocument::Source::Script, script));
    GraphView* view = w.graphView();
    if (!bench::waitShown(*view, 600)) {
        std::cerr << "replay_bench: the graph was not laid out\n";
        return 1;
    }
    view->expandAll();
    t0 = bench::now();
    if (!bench::waitShown(*view, 900)) {
        std::cerr << "replay_bench: the expanded graph was not laid out\n";
        return 1;
    }
    bench::report("replay_expand_all_layout_s", bench::now() - t0, "s");
    bench::report("replay_drawn_nodes", double(view->drawing()->nodes().size()), "nodes");

    ReplayPanel* panel = w.replayPanel();
    const int n = panel->stepCount();
    w.showReplayStep(n / 2);
    QApplication::processEvents();
    QSlider* slider = panel->slider();

    const int steps = quick ? 100 : 400;
    std::vector<double> forward, jump, paint;
    int k = n / 3;
    slider->setValue(k);
    for (int i = 0; i < steps; ++i) {
        t0 = bench::now();
        slider->setValue(++k); // what a drag or a step button does
        forward.push_back(bench::now() - t0);
        if (view->replayCutoff() != panel->replay()->cutoff(k)) {
            std::cerr << "replay_bench: the view did not follow the step\n";
            return 1;
        }
        QApplication::processEvents(); // the repaint it asked for, not timed
    }
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> any(0, n);
    for (int i = 0; i < steps; ++i) {
        const int to = any(rng);
        t0 = bench::now();
        slider->setValue(to);
        jump.push_back(bench::now() - t0);
        QApplication::processEvents();
    }
    view->fitAll();
    for (int i = 0; i < (quick ? 10 : 30); ++i) {
        slider->setValue(any(rng));
        t0 = bench::now();
        view->viewport()->repaint();
        paint.push_back(bench::now() - t0);
    }
    reportTimes("replay_scrub_step", forward);
    reportTimes("replay_scrub_random", jump);
    reportTimes("replay_repaint_fit", paint);
    bench::report("replay_scrub_step_p95_vs_goal",
                  percentile(std::max(forward, jump, [](const auto& a, const auto& b) {
                      return percentile(a, 0.95) < percentile(b, 0.95);
                  }), 0.95) * 1000 / 50.0,
                  "ratio");
    return 0;
}
