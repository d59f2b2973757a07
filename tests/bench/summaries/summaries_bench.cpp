// Benchmarks of the dashboards beside Scalars (issue: histograms, distributions, images, audio, text):
//   - histogram ingest: 20 tags x 10,000 steps x 30 buckets, from the event file to the store, one thread
//     doing both and, as in the app, the feed's worker decoding while the GUI thread stores;
//   - repaint of a histogram / distribution chart holding 10,000 steps (CPU time of the painting thread);
//   - bytes per stored bucket;
//   - image step slider on a tag with 10,000 images: from the slider move to the image on screen;
//   - live latency from a histogram's flush to the repaint of its chart;
//   - a sweep of 1,000 runs x 2 histogram tags x 50 steps and an image tag x 10 steps, opened in the
//     Histograms, Distributions and Images dashboards: time to the first card and to every value stored,
//     and the GUI thread's worst stall meanwhile (the sweep issue: histograms and images from 1,000 runs
//     do not freeze the window).
//   scopeviz_bench_summaries [--quick] [--ingest-only] [--sweep-only]
#include "tests/bench/bench.h"
#include "tests/bench/live_writer.h"
#include "tests/bench/stall_meter.h"
#include "core/proto/event.pb.h"
#include "core/summary/event_writer.h"
#include "core/summary/logdir_watcher.h"
#include "ui/scalars/scalar_feed.h"
#include "ui/summaries/histogram_charts.h"
#include "ui/summaries/media_cards.h"
#include "ui/summaries/summary_dashboard.h"
#include "ui/summaries/summary_store.h"

#include <QApplication>
#include <QBuffer>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QImage>
#include <QPaintEvent>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <functional>
#include <random>
#include <thread>

using namespace scopeviz;
using namespace scopeviz::ui;
using bench::now;
using bench::report;

namespace {

using bench::percentile;

/// CPU time of the calling thread in ms: what a paint costs the GUI thread, whatever else the machine runs.
double threadCpuMs() { return bench::threadCpuSeconds() * 1e3; }

/// A Summary.Value with a 30-bucket HistogramProto of a normal distribution drifting with `step`.
void addHistogram(tfproto::Summary& s, const std::string& tag, int64_t step, int buckets)
{
    auto* v = s.add_value();
    v->set_tag(tag);
    auto* h = v->mutable_histo();
    const double centre = 0.001 * double(step), width = 1.0 + 0.0001 * double(step);
    h->set_min(centre - 3 * width);
    h->set_max(centre + 3 * width);
    h->set_num(1000);
    h->set_sum(1000 * centre);
    h->set_sum_squares(1000 * (centre * centre + width * width));
    for (int b = 0; b < buckets; ++b) {
        const double right = centre - 3 * width + 6 * width * double(b + 1) / buckets;
        const double z = (right - centre) / width;
        h->add_bucket_limit(right);
        h->add_bucket(std::round(1000.0 / buckets * 2.5 * std::exp(-0.5 * z * z)));
    }
}

/// Paints once per call and reports the step its series ends at, after each paint.
class PaintProbe : public QObject {
public:
    PaintProbe(SeriesChart* chart, std::function<void(int64_t)> onPaint) : m_chart(chart), m_onPaint(std::move(onPaint))
    {
        chart->installEventFilter(this);
    }
    bool eventFilter(QObject* o, QEvent* e) override
    {
        if (o == m_chart && e->type() == QEvent::Paint) {
            m_chart->removeEventFilter(this);
            QCoreApplication::sendEvent(m_chart, e); // paint first, then look at what was painted
            m_chart->installEventFilter(this);
            if (m_chart->series() && m_chart->series()->size() > 0)
                m_onPaint(m_chart->series()->steps.back());
            return true;
        }
        return false;
    }

private:
    SeriesChart* m_chart;
    std::function<void(int64_t)> m_onPaint;
};

/// What following a log directory through the app's feed took (followLogdir).
struct FeedRun {
    double doneMs = -1;       ///< from the start to `done`
    double firstCardMs = -1;  ///< to the dashboard's first card (with a dashboard)
    double worstStallMs = 0;  ///< the GUI thread's longest time away from its event loop (wall clock)
    double worstBusyMs = 0;   ///< the most CPU time it spent in one such stretch (its own work)
    int pages = 0;            ///< the dashboard's pages at the end
};

/// Follows `dir` as the app does (the feed's worker reads and decodes, the GUI thread stores and, when
/// `makeBoard` is given, shows the dashboard it makes) until `done` holds, and then until the dashboard
/// painted what came last. The stall is how long the window would not answer meanwhile (StallMeter).
FeedRun followLogdir(const QString& dir, const std::function<SummaryDashboard*(SummaryHub&)>& makeBoard,
                     const std::function<bool(const SummaryStore&)>& done)
{
    auto source = std::make_unique<ScalarSourceAdapter<LogdirWatcher>>(dir.toStdString());
    source->watcher().setCollectRich(true);
    ScalarFeed feed(std::move(source), dir);
    SummaryHub hub;
    hub.setFeed(&feed);
    std::unique_ptr<SummaryDashboard> board(makeBoard ? makeBoard(hub) : nullptr);
    if (board) {
        board->resize(1280, 700);
        board->show();
    }
    FeedRun run;
    QTimer wake;
    wake.start(5);
    bench::StallMeter stall;
    stall.start();
    const double t0 = now();
    feed.start();
    QElapsedTimer guard;
    guard.start();
    while ((!done(hub.store()) || (board && board->cardCount() == 0)) && guard.elapsed() < 120000) {
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        if (board && run.firstCardMs < 0 && board->cardCount() > 0)
            run.firstCardMs = (now() - t0) * 1e3;
    }
    run.doneMs = (now() - t0) * 1e3;
    if (board) {
        // The cards' refresh after the last batch, and its paint.
        for (QElapsedTimer settle; !settle.isValid() || settle.elapsed() < 300;) {
            if (!settle.isValid())
                settle.start();
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        }
        run.pages = board->pageCount();
    }
    stall.stop();
    run.worstStallMs = stall.worstMs();
    run.worstBusyMs = stall.worstBusyMs();
    feed.stop();
    return run;
}

void benchIngest(bool quick)
{
    const int tags = 20, steps = quick ? 2000 : 10000, buckets = 30;
    QTemporaryDir dir;
    {
        EventWriter w(dir.path().toStdString());
        w.setFlushSecs(0);
        for (int64_t step = 0; step < steps; ++step) {
            tfproto::Summary s;
            for (int t = 0; t < tags; ++t)
                addHistogram(s, "layer" + std::to_string(t / 2) + (t % 2 ? "/biases" : "/weights"), step, buckets);
            w.addSummary(s.SerializeAsString(), step, 1.7e9 + double(step));
        }
        (void)w.close();
    }
    uint64_t fileBytes = 0;
    for (const QFileInfo& f : QDir(dir.path()).entryInfoList(QDir::Files))
        fileBytes += uint64_t(f.size());
    // Best of three: the file is in the page cache after the first.
    double bestRead = 1e9, bestStore = 1e9, bestReadCpu = 1e9, bestStoreCpu = 1e9;
    std::size_t stored = 0, bucketsStored = 0, bytes = 0;
    for (int rep = 0; rep < 3; ++rep) {
        LogdirWatcher watcher(dir.path().toStdString());
        watcher.setCollectRich(true);
        const double t0 = now(), c0 = threadCpuMs();
        const WatchBatch batch = watcher.poll();
        const double t1 = now(), c1 = threadCpuMs();
        SummaryStore store;
        store.apply(batch);
        const double t2 = now(), c2 = threadCpuMs();
        bestRead = std::min(bestRead, (t1 - t0) * 1e3);
        bestStore = std::min(bestStore, (t2 - t1) * 1e3);
        bestReadCpu = std::min(bestReadCpu, c1 - c0);
        bestStoreCpu = std::min(bestStoreCpu, c2 - c1);
        stored = store.histogramValues();
        bucketsStored = store.bucketCount();
        bytes = store.histogramBytes();
    }
    const double total = bestRead + bestStore;
    report("summaries_histogram_ingest_values", double(stored), "histograms");
    report("summaries_histogram_ingest_file_mb", double(fileBytes) / 1e6, "MB");
    report("summaries_histogram_ingest_read_ms", bestRead, "ms");
    report("summaries_histogram_ingest_store_ms", bestStore, "ms");
    report("summaries_histogram_ingest_ms", total, "ms");
    // The same work in CPU time of the (single) ingesting thread: what it costs on a machine of its own.
    report("summaries_histogram_ingest_read_cpu_ms", bestReadCpu, "ms");
    report("summaries_histogram_ingest_store_cpu_ms", bestStoreCpu, "ms");
    report("summaries_histogram_ingest_cpu_ms", bestReadCpu + bestStoreCpu, "ms");
    report("summaries_histogram_ingest_cpu_vs_goal_200ms", (bestReadCpu + bestStoreCpu) / 200.0 * (quick ? 5.0 : 1.0),
           "ratio");
    report("summaries_histogram_ingest_vs_goal_200ms", total / 200.0 * (quick ? 5.0 : 1.0), "ratio");
    report("summaries_histogram_ingest_mb_per_s", double(fileBytes) / 1e6 / (total / 1e3), "MB/s");
    // In the app, decoding runs on the feed's worker and storing on the GUI thread, batch by batch, so the two
    // overlap: from opening the directory to the last histogram stored.
    {
        const FeedRun run = followLogdir(dir.path(), nullptr, [&](const SummaryStore& st) {
            return st.histogramValues() >= stored;
        });
        const double ms = run.doneMs;
        report("summaries_histogram_ingest_live_ms", ms, "ms");
        report("summaries_histogram_ingest_live_worst_gui_stall_ms", run.worstStallMs, "ms");
        report("summaries_histogram_ingest_live_worst_gui_busy_cpu_ms", run.worstBusyMs, "ms");
        report("summaries_histogram_ingest_live_vs_goal_200ms", ms / 200.0 * (quick ? 5.0 : 1.0), "ratio");
    }
    report("summaries_histogram_bytes_per_bucket", double(bytes) / double(std::max<std::size_t>(1, bucketsStored)),
           "B");
    report("summaries_histogram_decoded_bytes_per_bucket", double(sizeof(HistogramBucket)), "B");
}

void benchRepaint(bool quick)
{
    const int steps = quick ? 2000 : 10000;
    SummaryStore store;
    HistogramColumns pts;
    for (int64_t s = 0; s < steps; ++s) {
        Histogram h;
        const double c = 0.001 * double(s);
        h.min = c - 3;
        h.max = c + 3;
        for (int b = 0; b < 30; ++b) {
            const double l = c - 3 + 0.2 * b, r = l + 0.2, z = (r - c);
            h.buckets.push_back({l, r, std::round(100 * std::exp(-0.5 * z * z))});
        }
        h.tensorForm = true;
        pts.append(s, 0.0, h);
    }
    const int id = store.appendHistograms("run", "layer/weights", pts);
    auto time = [&](SeriesChart& chart, const char* name) {
        chart.resize(380, 250);
        chart.setSeries(&store.histogram(id), QColor(220, 90, 40));
        std::vector<double> ms;
        for (int i = 0; i < 60; ++i) {
            const double c0 = threadCpuMs();
            chart.paintOffscreen();
            ms.push_back(threadCpuMs() - c0);
        }
        report(std::string("summaries_repaint_") + name + "_p95", percentile(ms, 0.95), "ms");
        report(std::string("summaries_repaint_") + name + "_p95_vs_goal_16ms", percentile(ms, 0.95) / 16.0, "ratio");
    };
    HistogramChart offset;
    time(offset, "histogram_offset");
    HistogramChart overlay;
    overlay.setMode(HistogramMode::Overlay);
    time(overlay, "histogram_overlay");
    DistributionChart dist;
    time(dist, "distribution");
    report("summaries_repaint_steps", double(steps), "steps");
}

void benchImageSlider(bool quick)
{
    const int images = quick ? 2000 : 10000;
    SummaryHub hub;
    WatchBatch batch;
    MediaSeriesBatch series{"run", "input/image/0", {}};
    std::mt19937 rng(7);
    std::size_t bytes = 0;
    for (int i = 0; i < images; ++i) {
        QImage img(64, 64, QImage::Format_RGB32);
        for (int y = 0; y < 64; ++y)
            for (int x = 0; x < 64; ++x)
                img.setPixel(x, y, qRgb((x * 4 + i) & 255, (y * 4 + i / 3) & 255, int(rng() & 255)));
        QByteArray png;
        QBuffer buf(&png);
        buf.open(QIODevice::WriteOnly);
        img.save(&buf, "PNG");
        MediaPoint p;
        p.step = i;
        p.kind = SummaryKind::Image;
        p.width = p.height = 64;
        p.items = {png.toStdString()};
        bytes += std::size_t(png.size());
        series.points.push_back(std::move(p));
    }
    batch.media.push_back(std::move(series));
    hub.applyBatch(batch);
    SummaryDashboard board(SummaryView::Images, &hub);
    board.resize(900, 600);
    board.show();
    board.refreshNow();
    auto* card = qobject_cast<ImageCard*>(board.cardFor("run", "input/image/0"));
    if (!card) {
        std::printf("image slider: no card\n");
        return;
    }
    QTimer wake;
    wake.start(5);
    auto showAndWait = [&](int index) {
        const double t0 = now();
        card->setIndex(index);
        const QString key = card->shownKey();
        QElapsedTimer guard;
        guard.start();
        while (!hub.imageCache()->contains(key) && guard.elapsed() < 5000)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        QCoreApplication::processEvents(); // the decoded() delivery that puts it on screen
        card->view()->repaint();
        return (now() - t0) * 1e3;
    };
    std::vector<double> jump, stepNext;
    std::uniform_int_distribution<int> pick(0, images - 1);
    for (int i = 0; i < 200; ++i)
        jump.push_back(showAndWait(pick(rng)));
    int at = images / 2;
    showAndWait(at);
    for (int i = 0; i < 200; ++i)
        stepNext.push_back(showAndWait(++at));
    report("summaries_image_slider_images", double(images), "images");
    report("summaries_image_slider_mb", double(bytes) / 1e6, "MB");
    report("summaries_image_slider_jump_p95", percentile(jump, 0.95), "ms");
    report("summaries_image_slider_jump_p95_vs_goal_50ms", percentile(jump, 0.95) / 50.0, "ratio");
    report("summaries_image_slider_next_p95", percentile(stepNext, 0.95), "ms");
    report("summaries_image_slider_next_p95_vs_goal_50ms", percentile(stepNext, 0.95) / 50.0, "ratio");
}

void benchLiveLatency(bool quick)
{
    const int samples = quick ? 30 : 100;
    QTemporaryDir dir;
    EventWriter writer(dir.filePath(QStringLiteral("run")).toStdString());
    writer.setFlushSecs(0);
    auto write = [&writer](int64_t step) {
        tfproto::Summary s;
        addHistogram(s, "my_net/weights", step, 30);
        writer.addSummary(s.SerializeAsString(), step);
    };
    for (int64_t i = 0; i < 1000; ++i) // a run that has been logging for a while
        write(i);
    (void)writer.flush();
    auto source = std::make_unique<ScalarSourceAdapter<LogdirWatcher>>(dir.path().toStdString());
    source->watcher().setCollectRich(true);
    ScalarFeed feed(std::move(source), dir.path());
    SummaryHub hub;
    hub.setFeed(&feed);
    SummaryDashboard board(SummaryView::Histograms, &hub);
    board.resize(900, 500);
    board.show();
    QTimer wake;
    wake.start(20);
    feed.start();
    QElapsedTimer guard;
    guard.start();
    SeriesChart* chart = nullptr;
    while (guard.elapsed() < 30000) {
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        board.refreshNow();
        if (QWidget* card = board.cardFor("run", "my_net/weights"))
            chart = card->findChild<SeriesChart*>();
        if (chart && chart->series() && chart->series()->size() >= 1000)
            break;
    }
    if (!chart) {
        std::printf("live latency: the chart never appeared\n");
        return;
    }
    std::vector<double> paintedAt(std::size_t(samples), -1);
    int painted = 0;
    PaintProbe probe(chart, [&](int64_t shown) {
        const double t = now();
        while (painted < samples && 1000 + painted <= shown)
            paintedAt[std::size_t(painted++)] = t;
    });
    const std::vector<double> flushedAt = bench::writeWhileShowing(
        samples, [&](int k) { write(1000 + k); }, [&] { (void)writer.flush(); }, [&] { return painted >= samples; });
    feed.stop();
    std::vector<double> total;
    for (int k = 0; k < samples; ++k)
        if (flushedAt[std::size_t(k)] >= 0 && paintedAt[std::size_t(k)] >= 0)
            total.push_back((paintedAt[std::size_t(k)] - flushedAt[std::size_t(k)]) * 1e3);
    report("summaries_live_latency_median", percentile(total, 0.5), "ms");
    report("summaries_live_latency_p95", percentile(total, 0.95), "ms");
    report("summaries_live_latency_p95_vs_goal_200ms", percentile(total, 0.95) / 200.0, "ratio");
    report("summaries_live_latency_samples", double(total.size()), "flushes");
}

} // namespace

/// Opens `dir` in a dashboard of `view` through the app's feed; reports the time to the first card, to
/// `expected` values stored (counted by `stored`), and the GUI thread's worst stall meanwhile.
void openSweep(const QString& dir, SummaryView view, const std::string& prefix, std::size_t expected,
               const std::function<std::size_t(const SummaryStore&)>& stored)
{
    const FeedRun run = followLogdir(dir, [&](SummaryHub& hub) { return new SummaryDashboard(view, &hub); },
                                     [&](const SummaryStore& st) { return stored(st) >= expected; });
    report(prefix + "_first_card_ms", run.firstCardMs, "ms");
    report(prefix + "_all_loaded_ms", run.doneMs, "ms");
    report(prefix + "_worst_gui_stall_ms", run.worstStallMs, "ms");
    report(prefix + "_worst_gui_stall_vs_goal_50ms", run.worstStallMs / 50.0, "ratio");
    report(prefix + "_worst_gui_busy_cpu_ms", run.worstBusyMs, "ms");
    report(prefix + "_pages", double(run.pages), "pages");
}

void benchSweep(bool quick)
{
    const int runs = quick ? 200 : 1000, steps = 50, imageSteps = 10;
    QTemporaryDir dir;
    QByteArray png;
    {
        QImage img(28, 28, QImage::Format_Grayscale8);
        for (int y = 0; y < 28; ++y)
            for (int x = 0; x < 28; ++x)
                img.setPixel(x, y, qRgb(x * 9, y * 9, 0));
        QBuffer buf(&png);
        buf.open(QIODevice::WriteOnly);
        img.save(&buf, "PNG");
    }
    for (int r = 0; r < runs; ++r) {
        const std::string run = dir.filePath(QString::asprintf("lr%03d_seed%d", r / 10, r % 10)).toStdString();
        EventWriter w(run);
        w.setFlushSecs(0);
        for (int64_t step = 0; step < steps; ++step) {
            tfproto::Summary s;
            addHistogram(s, "layer/weights", step + r, 30);
            addHistogram(s, "layer/biases", step - r, 30);
            if (step < imageSteps) {
                auto* v = s.add_value();
                v->set_tag("input/image/0");
                auto* im = v->mutable_image();
                im->set_width(28);
                im->set_height(28);
                im->set_colorspace(1);
                im->set_encoded_image_string(png.toStdString());
            }
            w.addSummary(s.SerializeAsString(), step, 1.7e9 + double(step));
        }
        (void)w.close();
    }
    const std::string prefix = "summaries_sweep_" + std::to_string(runs) + "runs_";
    const std::size_t histograms = std::size_t(runs) * 2 * steps, images = std::size_t(runs) * imageSteps;
    auto countHistograms = [](const SummaryStore& st) { return st.histogramValues(); };
    openSweep(dir.path(), SummaryView::Histograms, prefix + "histograms", histograms, countHistograms);
    openSweep(dir.path(), SummaryView::Distributions, prefix + "distributions", histograms, countHistograms);
    openSweep(dir.path(), SummaryView::Images, prefix + "images", images,
              [](const SummaryStore& st) { return st.mediaValues(SummaryKind::Image); });
    report("summaries_sweep_histograms", double(histograms), "histograms");
    report("summaries_sweep_images", double(images), "images");
}

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    bool quick = false, ingestOnly = false, sweepOnly = false;
    for (int i = 1; i < argc; ++i) {
        quick = quick || std::strcmp(argv[i], "--quick") == 0;
        ingestOnly = ingestOnly || std::strcmp(argv[i], "--ingest-only") == 0;
        sweepOnly = sweepOnly || std::strcmp(argv[i], "--sweep-only") == 0;
    }
    if (sweepOnly) {
        benchSweep(quick);
        return 0;
    }
    benchIngest(quick);
    if (ingestOnly)
        return 0;
    benchRepaint(quick);
    benchImageSlider(quick);
    benchLiveLatency(quick);
    benchSweep(quick);
    return 0;
}
