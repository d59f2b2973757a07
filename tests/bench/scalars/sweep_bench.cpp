// Sweep benchmarks (issue 19). Each generates its own log directory in a temporary folder with the
// repo's EventWriter, then opens it the way the window does: a ScalarFeed over a LogdirWatcher
// feeding a ScalarsDashboard on this (GUI) thread.
#include "tests/bench/scalars/sweep_bench.h"
#include "tests/bench/stall_meter.h"

#include "core/proto/crc32c.h"
#include "core/proto/event.pb.h"
#include "core/summary/event_writer.h"
#include "core/summary/logdir_watcher.h"
#include "core/summary/record_io.h"
#include "tests/bench/bench.h"
#include "ui/scalars/run_list_model.h"
#include "ui/scalars/scalar_chart.h"
#include "ui/scalars/scalar_feed.h"
#include "ui/scalars/scalar_store.h"
#include "ui/scalars/scalars_dashboard.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QListView>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdint>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <random>
#include <sys/resource.h>
#include <ctime>
#include <thread>
#include <vector>

using namespace scopeviz;
using namespace scopeviz::ui;

namespace scopeviz::bench {
namespace {

const char* const TagNames[] = {"train/loss",    "train/accuracy", "train/learning_rate", "train/grad_norm",
                                "eval/loss",     "eval/accuracy",  "eval/top5",           "system/throughput",
                                "system/memory", "train/weight_norm"};

std::string tagName(int t)
{
    const int n = int(std::size(TagNames));
    return t < n ? TagNames[t] : std::string(TagNames[t % n]) + "_" + std::to_string(t / n);
}

/// Run names of a grid sweep: 10 learning rates x 10 batch sizes x seeds.
std::string runName(int r)
{
    static const char* lrs[] = {"1e-4", "2e-4", "5e-4", "1e-3", "2e-3", "5e-3", "1e-2", "2e-2", "5e-2", "1e-1"};
    static const int bss[] = {16, 32, 48, 64, 96, 128, 192, 256, 384, 512};
    return "lr" + std::string(lrs[r % 10]) + "_bs" + std::to_string(bss[(r / 10) % 10]) + "_seed" +
           std::to_string(r / 100);
}

/// A training-like value for (run, tag, step): decay per learning rate, per-run offset and noise.
double valueAt(int run, int tag, int step, uint32_t& rng)
{
    rng = rng * 1664525u + 1013904223u;
    const double noise = (double(rng >> 8) / double(1u << 24) - 0.5) * 0.08;
    const double rate = 0.5 + double(run % 10) * 0.35;
    const double decay = std::exp(-double(step) * rate / 400.0);
    const double base = 0.2 + 0.03 * double((run / 10) % 10) + 0.01 * double(tag);
    return (tag % 2 == 0 ? base + 2.0 * decay : 1.0 - base - 0.6 * decay) * (1.0 + noise);
}

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

void loadLine()
{
    double load[3] = {0, 0, 0};
    if (getloadavg(load, 3) == 3) {
        report("sweep_machine_load_1min", load[0], "load");
        report("sweep_machine_load_5min", load[1], "load");
    }
}

/// Watches every ScalarChart paint of the application.
class PaintWatch : public QObject {
public:
    std::function<void(ScalarChart*)> onPaint;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::Paint)
            if (auto* chart = qobject_cast<ScalarChart*>(watched); chart && onPaint)
                onPaint(chart);
        return false;
    }
};

/// Runs the event loop until `done()` or `timeoutMs`; returns done().
bool spinUntil(const std::function<bool()>& done, int timeoutMs, int wakeMs = 5)
{
    QElapsedTimer t;
    t.start();
    QTimer wake;
    wake.start(wakeMs);
    while (!done() && t.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    return done();
}

std::string eventFileOf(const QString& runDir)
{
    const QStringList files = QDir(runDir).entryList({QStringLiteral("*tfevents*")}, QDir::Files, QDir::Name);
    return files.isEmpty() ? std::string() : QDir(runDir).filePath(files.front()).toStdString();
}

struct OpenResult {
    double firstPaintMs = -1;
    double loadedMs = -1;
    double worstStallMs = 0;
    double worstBusyMs = 0;
};

/// Opens `dir` in a dashboard and reports when the first chart with data was painted and when every
/// point was in the store. Leaves feed and dashboard running for the caller.
OpenResult openAndLoad(ScalarFeed& feed, ScalarsDashboard& d, std::size_t expectedPoints, int timeoutMs)
{
    OpenResult r;
    PaintWatch watch;
    const double t0 = now();
    watch.onPaint = [&](ScalarChart* c) {
        if (r.firstPaintMs < 0 && c->drawnPoints() > 0 && c->showsAllCurves()) // not a partial dense image
            r.firstPaintMs = (now() - t0) * 1e3;
    };
    qApp->installEventFilter(&watch);
    StallMeter stall;
    stall.start();
    d.setFeed(&feed);
    d.resize(1600, 1000);
    d.show();
    feed.start();
    const bool known = expectedPoints != SIZE_MAX;
    spinUntil([&] { return (!known || d.store().pointCount() >= expectedPoints) && r.firstPaintMs >= 0; }, timeoutMs);
    if (!known) // not known: until nothing arrived for a second
        for (std::size_t seen = 0; seen != d.store().pointCount();) {
            seen = d.store().pointCount();
            spinUntil([] { return false; }, 1000);
        }
    if (known && d.store().pointCount() >= expectedPoints)
        r.loadedMs = (now() - t0) * 1e3;
    // The charts painted after the last batch belong to the load too.
    spinUntil([] { return false; }, 150);
    stall.stop();
    r.worstStallMs = stall.worstMs();
    r.worstBusyMs = stall.worstBusyMs();
    qApp->removeEventFilter(&watch);
    return r;
}

} // namespace

namespace {

/// Writes `runs` runs into `dir` on every core, `fill` writing run r's events; returns the bytes.
long long writeRuns(const QString& dir, int runs, const std::function<void(EventWriter&, int)>& fill)
{
    std::atomic<int> next{0};
    std::atomic<long long> bytes{0};
    auto work = [&] {
        for (int r; (r = next.fetch_add(1)) < runs;) {
            const std::string runDir = QDir(dir).filePath(QString::fromStdString(runName(r))).toStdString();
            EventWriter w(runDir);
            w.setFlushSecs(0);
            fill(w, r);
            (void)w.flush();
            const std::string path = w.filePath();
            (void)w.close();
            std::ifstream f(path, std::ios::binary | std::ios::ate);
            bytes += static_cast<long long>(f.tellg());
        }
    };
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < std::max(2u, std::thread::hardware_concurrency()); ++i)
        pool.emplace_back(work);
    work();
    for (auto& t : pool)
        t.join();
    return bytes;
}

} // namespace

long long writeSweep(const QString& dir, int runs, int tags, int steps)
{
    return writeRuns(dir, runs, [&](EventWriter& w, int r) {
        uint32_t rng = uint32_t(r) * 2654435761u + 1;
        for (int s = 0; s < steps; ++s)
            for (int t = 0; t < tags; ++t)
                w.addScalar(tagName(t), valueAt(r, t, s, rng), s, 1.7e9 + double(r) + double(s) * 0.5);
    });
}

namespace {

/// Writes the sweep into `tmp`, reporting how long that took and its size; returns the bytes.
long long generate(const QTemporaryDir& tmp, const std::string& name, int runs, int tags, int steps)
{
    const double g0 = now();
    const long long bytes = writeSweep(tmp.path(), runs, tags, steps);
    report(name + "_generate_s", now() - g0, "s");
    report(name + "_bytes_mb", double(bytes) / 1e6, "MB");
    loadLine();
    return bytes;
}

} // namespace

void benchSweepOpen(bool quick)
{
    const int runs = quick ? 200 : 1000, tags = 10, steps = quick ? 500 : 1000;
    const std::string name = "sweep_" + std::to_string(runs) + "runs";
    QTemporaryDir tmp;
    const long long bytes = generate(tmp, name, runs, tags, steps);

    // Ceilings on this machine (the files are in the page cache): reading them with CRC32C over every
    // byte on one thread, and the watcher alone (read, check, decode, group on its read threads).
    {
        std::vector<std::string> files;
        for (int r = 0; r < runs; ++r)
            files.push_back(eventFileOf(QDir(tmp.path()).filePath(QString::fromStdString(runName(r)))));
        std::vector<char> buf(1 << 20);
        uint32_t crc = 0;
        const double r0 = now();
        for (const std::string& f : files) {
            std::ifstream in(f, std::ios::binary);
            while (in.read(buf.data(), std::streamsize(buf.size())) || in.gcount() > 0)
                crc = crc32cExtend(crc, buf.data(), std::size_t(in.gcount()));
        }
        const double readS = now() - r0;
        report(name + "_ceiling_read_crc32c_1thread_mb_per_s", double(bytes) / 1e6 / readS, "MB/s");
        LogdirWatcher w(tmp.path().toStdString());
        std::size_t points = 0;
        const double w0 = now();
        for (WatchBatch b = w.poll(); !b.empty(); b = w.poll())
            for (const ScalarSeriesBatch& sb : b.scalars)
                points += sb.points.size();
        const double watchS = now() - w0;
        report(name + "_ceiling_watcher_alone_mb_per_s", double(bytes) / 1e6 / watchS, "MB/s");
        report(name + "_ceiling_watcher_alone_s", watchS, "s");
        if (points != std::size_t(runs) * tags * steps || crc == 1)
            std::printf("unexpected: the watcher read %zu points\n", points);
    }

    const std::size_t expected = std::size_t(runs) * tags * steps;
    ScalarFeed feed(std::make_unique<ScalarSourceAdapter<LogdirWatcher>>(tmp.path().toStdString()), tmp.path());
    ScalarsDashboard d;
    const double c0 = cpuSeconds();
    const OpenResult r = openAndLoad(feed, d, expected, 120000);
    const double loadCpu = cpuSeconds() - c0;
    report(name + "_first_paint_ms", r.firstPaintMs, "ms");
    report(name + "_first_paint_vs_goal_1000ms", r.firstPaintMs / 1000.0, "ratio");
    report(name + "_all_points_loaded_ms", r.loadedMs, "ms");
    report(name + "_all_points_loaded_vs_goal_2000ms", r.loadedMs / 2000.0, "ratio");
    report(name + "_load_mb_per_s", r.loadedMs > 0 ? double(bytes) / 1e6 / (r.loadedMs / 1e3) : 0, "MB/s");
    report(name + "_load_cpu_s", loadCpu, "s");
    report(name + "_worst_gui_stall_ms", r.worstStallMs, "ms");
    report(name + "_worst_gui_stall_vs_goal_50ms", r.worstStallMs / 50.0, "ratio");
    report(name + "_worst_gui_busy_cpu_ms", r.worstBusyMs, "ms");
    report(name + "_points", double(d.store().pointCount()), "points");

    // Idle: nothing is written; the feed keeps following (file watches and its fallback poll).
    spinUntil([] { return false; }, 1500, 100);
    const double i0 = now(), ic0 = cpuSeconds();
    spinUntil([] { return false; }, quick ? 3000 : 6000, 250); // the benchmark's own wake-ups: 4 a second
    const double idlePct = (cpuSeconds() - ic0) / (now() - i0) * 100.0;
    report(name + "_idle_cpu_pct_of_one_core", idlePct, "%");
    report(name + "_idle_cpu_vs_goal_2pct", idlePct / 2.0, "ratio");

    // A point appended to a random run shows in the chart of its tag (in view: the first section).
    const QString tag = d.visibleTags().value(0);
    const int tagIndex = int(std::find_if(std::begin(TagNames), std::end(TagNames),
                                          [&](const char* n) { return tag == QLatin1String(n); }) -
                             std::begin(TagNames));
    const int samples = quick ? 20 : 40;
    std::mt19937 rng(19);
    std::vector<double> latencies;
    for (int k = 0; k < samples; ++k) {
        const int run = int(rng() % uint32_t(runs));
        const std::string file = eventFileOf(QDir(tmp.path()).filePath(QString::fromStdString(runName(run))));
        ScalarChart* chart = d.chartForTag(tag);
        if (file.empty() || !chart || tagIndex >= tags)
            break;
        const uint64_t before = chart->decimationCount();
        const int runIndex = d.store().findRun(runName(run));
        const int series = d.store().findSeries(runIndex, d.store().findTag(tag.toStdString()));
        const int64_t step = steps + k;
        tfproto::Event e;
        e.set_wall_time(1.7e9 + double(steps + k));
        e.set_step(step);
        auto* v = e.mutable_summary()->add_value();
        v->set_tag(tag.toStdString());
        v->set_simple_value(0.5f);
        std::string rec;
        appendRecord(rec, e.SerializeAsString());
        double shownAt = -1;
        PaintWatch watch;
        watch.onPaint = [&](ScalarChart* c) {
            if (c == chart && shownAt < 0 && c->decimationCount() > before && c->showsAllCurves() && series >= 0 &&
                !d.store().series(series).empty() &&
                d.store().series(series).step(d.store().series(series).size() - 1) >= step)
                shownAt = now();
        };
        qApp->installEventFilter(&watch);
        const double t0 = now();
        {
            std::ofstream f(file, std::ios::binary | std::ios::app);
            f.write(rec.data(), std::streamsize(rec.size()));
        }
        spinUntil([&] { return shownAt >= 0; }, 5000);
        qApp->removeEventFilter(&watch);
        latencies.push_back(shownAt >= 0 ? (shownAt - t0) * 1e3 : 5000.0);
        spinUntil([] { return false; }, 30 + int(rng() % 40));
    }
    feed.stop();
    report(name + "_append_to_paint_median_ms", bench::percentile(latencies, 0.5), "ms");
    report(name + "_append_to_paint_p95_ms", bench::percentile(latencies, 0.95), "ms");
    report(name + "_append_to_paint_p95_vs_goal_200ms", bench::percentile(latencies, 0.95) / 200.0, "ratio");
    report(name + "_append_samples", double(latencies.size()), "appends");
    loadLine();
}

void benchSweepRunList(bool quick)
{
    const int runs = quick ? 3000 : 10000, tags = 2, steps = 100;
    const std::string name = "sweep_" + std::to_string(runs) + "runs";
    QTemporaryDir tmp;
    const long long bytes = generate(tmp, name, runs, tags, steps);
    ScalarFeed feed(std::make_unique<ScalarSourceAdapter<LogdirWatcher>>(tmp.path().toStdString()), tmp.path());
    ScalarsDashboard d;
    const OpenResult r = openAndLoad(feed, d, std::size_t(runs) * tags * steps, 120000);
    report(name + "_first_paint_ms", r.firstPaintMs, "ms");
    report(name + "_first_paint_vs_goal_2000ms", r.firstPaintMs / 2000.0, "ratio");
    report(name + "_all_points_loaded_ms", r.loadedMs, "ms");
    report(name + "_load_mb_per_s", r.loadedMs > 0 ? double(bytes) / 1e6 / (r.loadedMs / 1e3) : 0, "MB/s");
    report(name + "_worst_gui_stall_ms", r.worstStallMs, "ms");
    report(name + "_worst_gui_busy_cpu_ms", r.worstBusyMs, "ms");
    report(name + "_runs_listed", double(d.runModel()->rowCount()), "runs");

    // Each operation twice: until the run list shows its effect (the list repainted), and until the
    // charts are redrawn for it as well.
    QListView* list = d.findChild<QListView*>();
    auto timed = [&](const std::string& op, const std::function<void()>& prepare, const std::function<void()>& f) {
        std::vector<double> listMs, chartsMs;
        for (int rep = 0; rep < 5; ++rep) {
            prepare();
            d.refreshNow();
            QCoreApplication::processEvents();
            const double t0 = now();
            f();
            if (list)
                list->viewport()->repaint();
            const double t1 = now();
            d.refreshNow();
            QCoreApplication::processEvents();
            // Until every chart in view shows its complete image (dense images may follow in slices).
            spinUntil([&] {
                for (const QString& tag : d.visibleTags())
                    if (ScalarChart* c = d.chartForTag(tag); c && !c->showsAllCurves())
                        return false;
                return true;
            }, 10000, 1);
            listMs.push_back((t1 - t0) * 1e3);
            chartsMs.push_back((now() - t0) * 1e3);
        }
        report(name + "_runlist_" + op + "_ms", bench::percentile(listMs, 0.5), "ms");
        report(name + "_runlist_" + op + "_worst_ms", bench::percentile(listMs, 1.0), "ms");
        report(name + "_runlist_" + op + "_vs_goal_50ms", bench::percentile(listMs, 1.0) / 50.0, "ratio");
        report(name + "_runlist_" + op + "_with_charts_redrawn_ms", bench::percentile(chartsMs, 0.5), "ms");
    };
    int flip = 0;
    const auto nothing = [] {};
    timed("filter_regex", nothing, [&] {
        d.setRunFilter(++flip % 2 ? QStringLiteral("lr1e-3_bs(32|64)_seed\\d*7$") : QStringLiteral("bs128"));
    });
    timed("filter_clear", [&] { d.setRunFilter(QStringLiteral("seed1")); }, [&] { d.setRunFilter(QString()); });
    timed("none", [&] { d.runModel()->setAllChecked(true); }, [&] { d.runModel()->setAllChecked(false); });
    timed("all", [&] { d.runModel()->setAllChecked(false); }, [&] { d.runModel()->setAllChecked(true); });
    feed.stop();
    loadLine();
}

void sweepScreenshots(const QString& dir, const QString& out, const QString& groupRegex)
{
    ScalarFeed feed(std::make_unique<ScalarSourceAdapter<LogdirWatcher>>(dir.toStdString()), dir);
    ScalarsDashboard d;
    const OpenResult r = openAndLoad(feed, d, SIZE_MAX, 20000); // until the directory is idle
    (void)r;
    spinUntil([] { return false; }, 1000);
    auto save = [&](const QString& suffix) {
        d.refreshNow();
        QString path = out;
        path.replace(QLatin1String(".png"), suffix + QLatin1String(".png"));
        d.grab().save(path);
        std::printf("screenshot %s (%d runs, %zu points)\n", qPrintable(path), d.store().runCount(), d.store().pointCount());
    };
    save(QString());
    d.setRunGrouping(true, groupRegex);
    save(QStringLiteral("_grouped"));
    d.setRunGrouping(false);
    d.setSelectedRuns({3, d.store().runCount() / 2});
    save(QStringLiteral("_selected"));
    feed.stop();
}

} // namespace scopeviz::bench
