// Benchmarks of the scalar dashboard: ingest, memory per point, decimated
// replot of 10 runs x 1M points, smoothing, a 1,000-tag refresh, and the
// latency from a writer's flush to the repaint of the chart showing the point.
// The sweep benchmarks (issue 19: 1,000 and 10,000 runs) are in sweep_bench.cpp.
//   scopeviz_bench_scalars [--quick] [--latency-only] [--sweep-only] [--screenshot out.png]
//                          [--write-sweep DIR RUNS TAGS STEPS] [--sweep-screenshot DIR OUT.png GROUP_REGEX]
#include "core/summary/event_writer.h"
#include "core/summary/logdir_watcher.h"
#include "tests/bench/bench.h"
#include "tests/bench/live_writer.h"
#include "tests/bench/scalars/sweep_bench.h"
#include "ui/common/theme.h"
#include "ui/scalars/chart_grid.h"
#include "ui/scalars/decimation.h"
#include "ui/scalars/scalar_chart.h"
#include "ui/scalars/scalar_feed.h"
#include "ui/scalars/scalar_store.h"
#include "ui/scalars/scalars_context.h"
#include "ui/scalars/scalars_dashboard.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QScrollArea>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <ctime>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace scopeviz;
using namespace scopeviz::ui;
using bench::now;
using bench::report;

namespace {

using bench::percentile;

/// A plausible training curve: exponential decay, noise, rare spikes.
ScalarSeriesBatch curve(const std::string& run, const std::string& tag, int64_t first, int64_t count, uint32_t seed,
                        double scale = 1.0, double tau = 2e5)
{
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(0.0, 0.05);
    ScalarSeriesBatch b{run, tag, {}};
    b.points.resize(std::size_t(count));
    for (int64_t i = 0; i < count; ++i) {
        const int64_t step = first + i;
        double v = scale * (0.2 + 2.0 * std::exp(-double(step) / tau)) * (1.0 + noise(rng));
        // float32 values, as TensorFlow logs them (simple_value).
        b.points[std::size_t(i)] = ScalarPoint{step, 1.7e9 + double(step) * 0.05, double(float(v))};
    }
    return b;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

/// CPU seconds of this process (all threads): unlike wall time, not inflated when other
/// jobs share the machine's two cores.
double cpuNow()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

double g_lastCpuMs = 0; ///< CPU ms (median) of the last timeMs() call

/// Median wall ms of `reps` calls of f after one warm-up call (CPU ms in g_lastCpuMs).
template <class F>
double timeMs(int reps, F&& f)
{
    f();
    std::vector<double> t, c;
    for (int i = 0; i < reps; ++i) {
        const double t0 = now(), c0 = cpuNow();
        f();
        t.push_back((now() - t0) * 1e3);
        c.push_back((cpuNow() - c0) * 1e3);
    }
    g_lastCpuMs = median(c);
    return median(t);
}

/// Reports a wall-time figure, its CPU time and, when a goal is given, wall / goal.
void reportMs(const std::string& name, double wallMs, double goalMs = 0)
{
    report(name + "_ms", wallMs, "ms");
    report(name + "_cpu_ms", g_lastCpuMs, "ms");
    if (goalMs > 0)
        report(name + "_vs_goal_" + std::to_string(int(goalMs)) + "ms", wallMs / goalMs, "ratio");
}

void benchStoreAndReplot(bool quick)
{
    const int runs = 10;
    const int64_t perRun = quick ? 100'000 : 1'000'000;
    const int64_t chunk = 10'000; // a live feed delivers a few thousand points per series per batch
    ScalarsContext ctx;
    const long rss0 = bench::currentRssBytes();

    // Ingest: batches of `chunk` points per run, as a feed would deliver them. Generation is not timed.
    double ingest = 0;
    for (int64_t first = 0; first < perRun; first += chunk) {
        WatchBatch batch;
        for (int r = 0; r < runs; ++r)
            batch.scalars.push_back(curve("run" + std::to_string(r), "loss", first, std::min(chunk, perRun - first),
                                          uint32_t(r * 7919 + first), 1.0 + 0.1 * r));
        const double t0 = now();
        ctx.store().apply(batch);
        ingest += now() - t0;
    }
    const double points = double(runs) * double(perRun);
    const double ingest10M = ingest * (1e7 / points);
    report(quick ? "scalars_ingest_1M_s" : "scalars_ingest_10M_s", ingest, "s");
    report("scalars_ingest_points_per_s", points / ingest, "points/s");
    report("scalars_ingest_10M_vs_goal_2s", ingest10M / 2.0, "ratio");

    const double bpp = ctx.store().bytesPerPoint();
    report("scalars_store_bytes_per_point", bpp, "B");
    report("scalars_store_bytes_per_point_vs_goal_24", bpp / 24.0, "ratio");
    const long rss1 = bench::currentRssBytes();
    report("scalars_rss_bytes_per_point", double(rss1 - rss0) / points, "B");

    // Replot: all 10 runs in one 1000 px chart, fully zoomed out (every point visible).
    ScalarChart chart(&ctx);
    chart.resize(1000, 420);
    chart.show();
    QApplication::processEvents();
    chart.bind(ctx.store().findTag("loss"), "loss");
    const int reps = quick ? 5 : 7;
    auto fullReplot = [&] {
        chart.invalidate();
        chart.replot();
    };
    ctx.settings().smoothing = 0;
    ctx.settingsChanged();
    const double raw = timeMs(reps, fullReplot);
    const std::string sz = quick ? "10x100k" : "10x1M";
    reportMs("scalars_replot_" + sz + "_raw", raw, 30);
    report("scalars_replot_points_handed_to_qcustomplot", double(chart.drawnPoints()), "points");

    const double rawPrepare = timeMs(reps, [&] {
        chart.invalidate();
        chart.prepare();
    });
    reportMs("scalars_replot_" + sz + "_raw_decimation_part", rawPrepare);
    const double rawDraw = timeMs(reps, [&] { chart.replot(); });
    reportMs("scalars_replot_" + sz + "_raw_drawing_part", rawDraw);

    ctx.settings().smoothing = 0.6;
    ctx.settingsChanged();
    const double smooth = timeMs(reps, fullReplot);
    reportMs("scalars_replot_" + sz + "_smoothed", smooth, 30);
    const double smoothPrepare = timeMs(reps, [&] {
        chart.invalidate();
        chart.prepare();
    });
    reportMs("scalars_replot_" + sz + "_smoothed_decimation_part", smoothPrepare);
    const double smoothDraw = timeMs(reps, [&] { chart.replot(); });
    reportMs("scalars_replot_" + sz + "_smoothed_drawing_part", smoothDraw);

    // Pan: every replot sees a new x range (re-decimation each time, as while dragging).
    double shift = 0;
    const double span = double(perRun) * 0.5;
    const double pan = timeMs(reps, [&] {
        shift += double(perRun) * 0.01;
        chart.setLinkedXRange(QCPRange(shift, shift + span));
        chart.replot();
    });
    reportMs("scalars_pan_half_range_smoothed", pan);
    chart.setLinkedXRange(QCPRange(perRun * 0.5, perRun * 0.51));
    const double zoomed = timeMs(reps, fullReplot);
    reportMs("scalars_replot_zoomed_1pct_smoothed", zoomed);
    const double zoomedPrepare = timeMs(reps, [&] {
        chart.invalidate();
        chart.prepare();
    });
    reportMs("scalars_replot_zoomed_1pct_smoothed_decimation_part", zoomedPrepare);
    report("scalars_replot_zoomed_points_handed_to_qcustomplot", double(chart.drawnPoints()), "points");
    const double cached = timeMs(reps, [&] { chart.replot(); });
    reportMs("scalars_replot_zoomed_drawing_only", cached);

    // Decimation alone, every point of one run visible.
    const ScalarSeries& s0 = ctx.store().series(0);
    DecimationRequest req;
    req.xLo = 0;
    req.xHi = double(perRun);
    req.columns = 1000;
    std::vector<CurvePoint> out;
    const double dec = timeMs(reps, [&] { decimate(s0, req, out); });
    reportMs("scalars_decimate_1_run", dec);
    report("scalars_decimate_ns_per_point", dec * 1e6 / double(perRun), "ns");

    // Live append: 1,000 new points per run, then the refresh of the chart.
    int64_t next = perRun;
    const double live = timeMs(reps, [&] {
        WatchBatch b;
        for (int r = 0; r < runs; ++r)
            b.scalars.push_back(curve("run" + std::to_string(r), "loss", next, 1000, uint32_t(r + next)));
        next += 1000;
        ctx.store().apply(b);
        chart.setLinkedXRange(QCPRange(0, double(next)));
        chart.replot();
    });
    reportMs("scalars_live_append_10x1000_and_replot", live);
}

void benchSmoothing(bool quick)
{
    const int64_t n = quick ? 200'000 : 1'000'000;
    ScalarSeries s;
    const ScalarSeriesBatch b = curve("r", "t", 0, n, 1);
    s.append(b.points.data(), b.points.size());
    std::vector<float> buf(static_cast<std::size_t>(n));
    double sm = 0.6;
    // Full: a new smoothing value invalidates every checkpoint.
    const double full = timeMs(5, [&] {
        sm += 0.001;
        s.smoothed(sm, 0, std::size_t(n), buf.data());
    });
    reportMs(quick ? "scalars_smooth_200k_full" : "scalars_smooth_1M_full", full);
    report("scalars_smooth_ns_per_point", full * 1e6 / double(n), "ns");
    // Incremental: append 1,000 points, evaluate only the new ones (old values are never recomputed).
    int64_t next = n;
    std::vector<float> tail(1000);
    const double inc = timeMs(50, [&] {
        const ScalarSeriesBatch more = curve("r", "t", next, 1000, uint32_t(next));
        next += 1000;
        s.append(more.points.data(), more.points.size());
        s.smoothed(sm, s.size() - 1000, s.size(), tail.data());
    });
    report("scalars_smooth_incremental_append_1000_us", inc * 1e3, "us");
    // Random access (tooltip): one value deep inside the series.
    const double one = timeMs(50, [&] { (void)s.smoothedAt(sm, std::size_t(n / 2 + 123)); });
    report("scalars_smooth_value_at_us", one * 1e3, "us");
}

void benchManyTags(bool quick)
{
    const int tags = 1000;
    const int64_t points = quick ? 200 : 1000;
    ScalarsDashboard d;
    d.resize(1500, 950);
    d.show();
    QApplication::processEvents();
    WatchBatch b;
    for (int t = 0; t < tags; ++t)
        for (int r = 0; r < 3; ++r)
            b.scalars.push_back(curve("run" + std::to_string(r), "group" + std::to_string(t / 40) + "/metric" + std::to_string(t),
                                      0, points, uint32_t(t * 3 + r)));
    double t0 = now();
    d.applyBatch(b);
    d.refreshNow();
    QApplication::processEvents();
    report("scalars_dashboard_1000_tags_first_show_ms", (now() - t0) * 1e3, "ms");
    report("scalars_dashboard_chart_widgets", double(d.grid()->chartWidgetCount()), "widgets");
    // A live batch touching every tag: only the charts in view replot.
    int64_t next = points;
    const double live = timeMs(5, [&] {
        WatchBatch l;
        for (int t = 0; t < tags; ++t)
            for (int r = 0; r < 3; ++r)
                l.scalars.push_back(curve("run" + std::to_string(r), "group" + std::to_string(t / 40) + "/metric" + std::to_string(t),
                                          next, 10, uint32_t(t + r + next)));
        next += 10;
        d.applyBatch(l);
        d.refreshNow();
    });
    reportMs("scalars_dashboard_1000_tags_live_batch", live);
    // Scrolling one screen: rebinding pooled charts to new tags.
    QScrollArea* area = d.findChild<QScrollArea*>();
    int pos = 0;
    const double scroll = timeMs(5, [&] {
        pos += area->viewport()->height();
        area->verticalScrollBar()->setValue(pos);
        QApplication::processEvents();
    });
    reportMs("scalars_dashboard_scroll_one_screen", scroll);
}

/// The highest step a chart's last replot put on screen (-1 when none).
int64_t lastDrawnStep(ScalarChart* chart)
{
    double hi = -std::numeric_limits<double>::infinity();
    for (int i = 0; i < chart->graphCount(); ++i) {
        const auto data = chart->graph(i)->data();
        if (!data->isEmpty())
            hi = std::max(hi, (data->constEnd() - 1)->key);
    }
    hi = std::min(hi, chart->xAxis->range().upper); // only what lies inside the x range is visible
    return std::isfinite(hi) ? int64_t(std::floor(hi)) : -1;
}

/// Calls `onPaint(lastDrawnStep)` whenever the chart receives a paint event. A paint copies the
/// buffers of the chart's last replot to the screen, so that step is what the user now sees.
class PaintProbe : public QObject {
public:
    PaintProbe(ScalarChart* chart, std::function<void(int64_t)> onPaint) : m_chart(chart), m_onPaint(std::move(onPaint))
    {
        chart->installEventFilter(this);
    }
    ~PaintProbe() override { m_chart->removeEventFilter(this); }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (watched == m_chart && event->type() == QEvent::Paint)
            m_onPaint(lastDrawnStep(m_chart));
        return false;
    }

private:
    ScalarChart* m_chart;
    std::function<void(int64_t)> m_onPaint;
};

/// Latency from an EventWriter's flush into a watched log directory to the repaint of the chart
/// showing that step: the whole live path (inotify, LogdirWatcher poll on the feed's worker thread,
/// batching, queued signal, store, dashboard refresh, decimation, replot, paint). A writer thread
/// flushes one new step every 30-50 ms (a fast training loop logging every step); each sample is
/// the time from just before its flush() to the first paint of the chart whose curve reaches it.
void benchLatency(bool quick)
{
    using namespace std::chrono_literals;
    const int samples = quick ? 30 : 100;
    const int64_t history = 20000; // the job has been logging for a while when the dashboard opens
    QTemporaryDir dir;
    EventWriter writer(dir.filePath(QStringLiteral("run")).toStdString());
    writer.setFlushSecs(0);
    for (int64_t i = 0; i < history; ++i)
        writer.addScalar("train/loss", 0.2 + 2.0 * std::exp(-double(i) / 5000.0), i);
    if (!writer.flush().ok()) {
        std::printf("latency: cannot write %s\n", writer.filePath().c_str());
        return;
    }

    ScalarFeed feed(std::make_unique<ScalarSourceAdapter<LogdirWatcher>>(dir.path().toStdString()), dir.path());
    ScalarsDashboard d;
    d.resize(1400, 900);
    d.setFeed(&feed);
    d.show();
    QTimer wake; // keeps the waits below responsive whatever else happens
    wake.start(20);
    feed.start();
    QElapsedTimer guard;
    guard.start();
    ScalarChart* chart = nullptr;
    while (guard.elapsed() < 30000) {
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        chart = d.chartForTag(QStringLiteral("train/loss"));
        if (chart && lastDrawnStep(chart) >= history - 1)
            break;
    }
    if (!chart || lastDrawnStep(chart) < history - 1) {
        std::printf("latency: the chart never showed the history\n");
        return;
    }

    std::vector<double> arrivedAt(std::size_t(samples), -1), paintedAt(std::size_t(samples), -1);
    int batches = 0;
    QObject::connect(&feed, &ScalarFeed::batchReady, &d, [&](const WatchBatchPtr& batch) {
        const double t = now();
        ++batches;
        for (const ScalarSeriesBatch& sb : batch->scalars)
            for (const ScalarPoint& p : sb.points) {
                const int64_t k = p.step - history;
                if (k >= 0 && k < samples && arrivedAt[std::size_t(k)] < 0)
                    arrivedAt[std::size_t(k)] = t;
            }
    });
    int painted = 0; // samples [0, painted) have been on screen
    PaintProbe probe(chart, [&](int64_t shown) {
        const double t = now();
        while (painted < samples && history + painted <= shown)
            paintedAt[std::size_t(painted++)] = t;
    });

    const std::vector<double> flushedAt = bench::writeWhileShowing(
        samples, [&](int k) { writer.addScalar("train/loss", 0.2 + 0.01 * (k % 7), history + k); },
        [&] { (void)writer.flush(); }, [&] { return painted >= samples; });
    feed.stop();

    std::vector<double> total, pipe, gui;
    for (int k = 0; k < samples; ++k) {
        const double f = flushedAt[std::size_t(k)], a = arrivedAt[std::size_t(k)], p = paintedAt[std::size_t(k)];
        if (f < 0 || p < 0)
            continue;
        total.push_back((p - f) * 1e3);
        if (a >= 0) {
            pipe.push_back((a - f) * 1e3);
            gui.push_back((p - a) * 1e3);
        }
    }
    report("scalars_latency_median", percentile(total, 0.5), "ms");
    report("scalars_latency_p95", percentile(total, 0.95), "ms");
    report("scalars_latency_max", percentile(total, 1.0), "ms");
    report("scalars_latency_median_vs_goal_200ms", percentile(total, 0.5) / 200.0, "ratio");
    report("scalars_latency_p95_vs_goal_200ms", percentile(total, 0.95) / 200.0, "ratio");
    report("scalars_latency_flush_to_batch_median", percentile(pipe, 0.5), "ms");
    report("scalars_latency_batch_to_paint_median", percentile(gui, 0.5), "ms");
    report("scalars_latency_samples", double(total.size()), "flushes");
    report("scalars_latency_batches", double(batches), "batches");
}

/// A dashboard fed with synthetic runs, grabbed to a PNG.
void screenshot(const QString& path)
{
    ScalarsDashboard d;
    d.resize(1560, 980);
    WatchBatch b;
    const char* runs[] = {"adam_lr1e-3_seed1", "adam_lr1e-3_seed2", "adam_lr1e-3_seed3", "sgd_lr1e-1_seed1",
                          "sgd_lr1e-1_seed2", "sgd_lr1e-1_seed3"};
    for (int r = 0; r < 6; ++r) {
        const bool adam = r < 3;
        b.events.push_back(RunEvent{RunEvent::Kind::RunAdded, runs[r], "", 0, "", "", 0, ""});
        const int64_t n = 20000 - r * 1500;
        std::mt19937 rng(uint32_t(r + 1));
        std::normal_distribution<double> noise(0, 1);
        ScalarSeriesBatch loss{runs[r], "summary/loss", {}}, acc{runs[r], "summary/accuracy", {}},
            lr{runs[r], "summary/learning_rate", {}}, gn{runs[r], "train/grad_norm", {}},
            el{runs[r], "eval/loss", {}}, ea{runs[r], "eval/accuracy", {}};
        const double tau = adam ? 2500 : 6000;
        for (int64_t s = 0; s < n; s += 10) {
            const double w = 1.7e9 + r * 30.0 + double(s) * (adam ? 0.11 : 0.09);
            const double base = 0.15 + 2.2 * std::exp(-double(s) / tau) + 0.02 * r;
            loss.points.push_back({s, w, base * (1 + 0.12 * noise(rng))});
            acc.points.push_back({s, w, std::min(0.995, 0.98 - 0.85 * std::exp(-double(s) / (tau * 1.2)) + 0.012 * noise(rng))});
            lr.points.push_back({s, w, (adam ? 1e-3 : 1e-1) * 0.5 * (1 + std::cos(M_PI * double(s) / 20000.0))});
            double g = 1.5 * std::exp(-double(s) / 8000) + 0.3 + 0.1 * std::fabs(noise(rng));
            if (r == 4 && s == 9000)
                g = std::numeric_limits<double>::quiet_NaN();
            if (r == 4 && s == 12000)
                g = std::numeric_limits<double>::infinity();
            if (r == 1 && s == 6000)
                g = 9.0; // a single spike among thousands of points
            gn.points.push_back({s, w, g});
            if (s % 500 == 0) {
                el.points.push_back({s, w, base * 1.08 + 0.01 * noise(rng)});
                ea.points.push_back({s, w, std::min(0.99, 0.96 - 0.85 * std::exp(-double(s) / (tau * 1.3)))});
            }
        }
        for (auto* sb : {&loss, &acc, &lr, &gn, &el, &ea})
            b.scalars.push_back(std::move(*sb));
    }
    RunEvent err{RunEvent::Kind::FileError, "sgd_lr1e-1_seed3", "sgd_lr1e-1_seed3/events.out.tfevents.1700000000.host", 48213,
                 "sgd_lr1e-1_seed3/events.out.tfevents.1700000000.host: corrupt record at offset 48213 (CRC mismatch)", "", 0, ""};
    b.events.push_back(err);
    d.applyBatch(b);
    d.show();
    d.refreshNow();
    for (int i = 0; i < 5; ++i)
        QApplication::processEvents();
    d.grab().save(path);
    std::printf("screenshot %s\n", qPrintable(path));
    QString chart = path;
    chart.replace(QLatin1String(".png"), QLatin1String("_grad_norm.png"));
    d.exportPng(QStringLiteral("train/grad_norm"), chart, 560, 340);
    chart.replace(QLatin1String(".png"), QLatin1String(".svg"));
    d.exportSvg(QStringLiteral("train/grad_norm"), chart, 560, 340);
    std::printf("chart %s (+ .png)\n", qPrintable(chart));
    // The same chart on the other horizontal axes, and log-log.
    for (auto [mode, suffix] : {std::pair{XAxisMode::Relative, "_relative.png"}, std::pair{XAxisMode::Wall, "_wall.png"}}) {
        d.setXAxisMode(mode);
        QString p = path;
        p.replace(QLatin1String(".png"), QLatin1String(suffix));
        d.exportPng(QStringLiteral("summary/loss"), p, 560, 340);
    }
    d.setXAxisMode(XAxisMode::Step);
    d.setLogX(true);
    d.setLogY(true);
    QString logPath = path;
    logPath.replace(QLatin1String(".png"), QLatin1String("_loglog.png"));
    d.exportPng(QStringLiteral("summary/loss"), logPath, 560, 340);
    d.setLogX(false);
    d.setLogY(false);
    d.setRunGrouping(true);
    d.refreshNow();
    for (int i = 0; i < 5; ++i)
        QApplication::processEvents();
    QString grouped = path;
    grouped.replace(QLatin1String(".png"), QLatin1String("_grouped.png"));
    d.grab().save(grouped);
    std::printf("screenshot %s\n", qPrintable(grouped));
    QString groupedChart = path;
    groupedChart.replace(QLatin1String(".png"), QLatin1String("_grouped_loss.png"));
    d.exportPng(QStringLiteral("summary/loss"), groupedChart, 560, 340);
}

} // namespace

int main(int argc, char** argv)
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    bool quick = false;
    bool latencyOnly = false;
    bool sweepOnly = false;
    QString shot;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--quick") == 0)
            quick = true;
        else if (std::strcmp(argv[i], "--latency-only") == 0)
            latencyOnly = true;
        else if (std::strcmp(argv[i], "--sweep-only") == 0)
            sweepOnly = true;
        else if (std::strcmp(argv[i], "--sweep-screenshot") == 0 && i + 3 < argc) {
            QApplication app(argc, argv);
            applyTheme(false);
            bench::sweepScreenshots(QString::fromLocal8Bit(argv[i + 1]), QString::fromLocal8Bit(argv[i + 2]),
                                    QString::fromLocal8Bit(argv[i + 3]));
            return 0;
        } else if (std::strcmp(argv[i], "--write-sweep") == 0 && i + 4 < argc) {
            const QString dir = QString::fromLocal8Bit(argv[i + 1]);
            const long long bytes = bench::writeSweep(dir, std::atoi(argv[i + 2]), std::atoi(argv[i + 3]), std::atoi(argv[i + 4]));
            std::printf("wrote %s (%.1f MB)\n", qPrintable(dir), double(bytes) / 1e6);
            return 0;
        }
        else if (std::strcmp(argv[i], "--screenshot") == 0 && i + 1 < argc)
            shot = QString::fromLocal8Bit(argv[++i]);
    }
    QApplication app(argc, argv);
    applyTheme(false);
    if (!shot.isEmpty()) {
        screenshot(shot);
        return 0;
    }
    if (!sweepOnly)
        benchLatency(quick);
    if (latencyOnly)
        return 0;
    bench::benchSweepOpen(quick);
    bench::benchSweepRunList(quick);
    if (sweepOnly)
        return 0;
    benchSmoothing(quick);
    benchStoreAndReplot(quick);
    benchManyTags(quick);
    report("scalars_peak_rss_mb", double(bench::peakRssBytes()) / 1048576.0, "MB");
    return 0;
}
