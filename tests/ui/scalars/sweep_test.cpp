// Sweep-size log directories (issue 19): run colours, the run list at 10,000 runs, grouping from the
// run list, charts with many runs, and feed batches bounded to what the GUI absorbs in a frame.
#include "core/summary/event_writer.h"
#include "core/summary/logdir_watcher.h"
#include "ui/scalars/decimation.h"
#include "ui/scalars/run_colors.h"
#include "ui/scalars/run_list_model.h"
#include "ui/scalars/scalar_chart.h"
#include "ui/scalars/scalar_feed.h"
#include "ui/scalars/scalar_store.h"
#include "ui/scalars/scalars_dashboard.h"

#include <QElapsedTimer>
#include <QImage>
#include <QListView>
#include <QSet>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>

#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <random>

using namespace scopeviz;
using namespace scopeviz::ui;

namespace {

std::string sweepRun(int r)
{
    static const char* lrs[] = {"1e-4", "3e-4", "1e-3", "3e-3", "1e-2"};
    return "lr" + std::string(lrs[r % 5]) + "_bs" + std::to_string(16 << ((r / 5) % 4)) + "_seed" + std::to_string(r / 20);
}

ScalarSeriesBatch series(const std::string& run, const std::string& tag, int count, double offset)
{
    ScalarSeriesBatch b{run, tag, {}};
    for (int i = 0; i < count; ++i)
        b.points.push_back({i, 1.7e9 + i, offset + std::sin(i * 0.05)});
    return b;
}

WatchBatch sweep(int runs, int points, const std::vector<std::string>& tags = {"loss"})
{
    WatchBatch b;
    for (int r = 0; r < runs; ++r) {
        RunEvent e;
        e.kind = RunEvent::Kind::RunAdded;
        e.run = sweepRun(r);
        b.events.push_back(e);
        for (const std::string& t : tags)
            b.scalars.push_back(series(e.run, t, points, r * 0.01));
    }
    return b;
}

void showDashboard(ScalarsDashboard& d, QSize size = QSize(1400, 900))
{
    d.resize(size);
    d.show();
    QVERIFY(QTest::qWaitForWindowExposed(&d));
}

QListView* runView(ScalarsDashboard& d) { return d.findChild<QListView*>(); }

/// A source returning prepared batches, as a LogdirWatcher would.
class QueueSource : public ScalarSource {
public:
    void push(WatchBatch b)
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(std::move(b));
    }
    WatchBatch poll() override
    {
        std::lock_guard lock(m_mutex);
        if (m_queue.empty())
            return {};
        WatchBatch b = std::move(m_queue.front());
        m_queue.erase(m_queue.begin());
        return b;
    }

private:
    std::mutex m_mutex;
    std::vector<WatchBatch> m_queue;
};

/// Every point per (run, tag), applied the documented way (events, then points).
using Points = std::map<std::pair<std::string, std::string>, std::vector<int64_t>>;
void applyTo(Points& into, const WatchBatch& b)
{
    for (const RunEvent& e : b.events)
        if (e.kind == RunEvent::Kind::Purge)
            for (auto& [key, steps] : into)
                if (key.first == e.run && (e.tag.empty() || key.second == e.tag))
                    std::erase_if(steps, [&](int64_t s) { return s >= e.step; });
    for (const ScalarSeriesBatch& s : b.scalars)
        for (const ScalarPoint& p : s.points)
            into[{s.run, s.tag}].push_back(p.step);
}

} // namespace

class SweepTest : public QObject {
    Q_OBJECT

private slots:
    void runColoursAreStableAndDistinctForNeighbours()
    {
        WatchBatch b = sweep(1000, 1);
        ScalarStore first, second;
        first.apply(b);
        second.apply(b);
        QSet<QRgb> used;
        for (int r = 0; r < first.runCount(); ++r) {
            // The same run gets the same colour in another session...
            QCOMPARE(first.run(r).colorIndex, second.run(r).colorIndex);
            // ...from its name's hash (or the next one far enough from the run above it)...
            QCOMPARE(first.run(r).colorIndex,
                     runColorIndex(first.run(r).name, r == 0 ? -1 : first.run(r - 1).colorIndex));
            // ...and neighbours in the run list differ in hue.
            if (r > 0)
                QVERIFY2(runColorsDistinct(first.run(r).colorIndex, first.run(r - 1).colorIndex),
                         first.run(r).name.c_str());
            used.insert(runColor(first.run(r).colorIndex).rgb());
        }
        QCOMPARE(used.size(), RunPaletteSize); // a sweep uses the whole palette, not one grey
        // A run alone keeps the colour of its name, whatever else the directory holds.
        ScalarStore alone;
        WatchBatch one;
        one.scalars.push_back(series("lr1e-3_bs32_seed4", "loss", 1, 0));
        alone.apply(one);
        QCOMPARE(alone.run(0).colorIndex, runColorIndex("lr1e-3_bs32_seed4", -1));
        // The run list shows the colour the charts draw.
        RunListModel model(&first);
        QCOMPARE(model.data(model.index(7), RunColorRole).value<QColor>(), runColor(first.run(7).colorIndex));
    }

    void runListFiltersAndTogglesTenThousandRuns()
    {
        ScalarsDashboard d;
        showDashboard(d);
        d.applyBatch(sweep(10000, 3));
        d.refreshNow();
        QListView* view = runView(d);
        QVERIFY(view);
        QCOMPARE(view->model()->rowCount(), 10000);
        ScalarChart* chart = d.chartForTag("loss");
        QVERIFY(chart);
        QCOMPARE(chart->shownCurves().size(), 10000);

        // Filter by regex: the list and the charts keep the matching runs only.
        d.setRunFilter("^lr1e-3_bs32_seed\\d*7$");
        int expected = 0;
        for (int r = 0; r < 10000; ++r)
            expected += QRegularExpression("^lr1e-3_bs32_seed\\d*7$").match(QString::fromStdString(sweepRun(r))).hasMatch();
        QVERIFY(expected > 0 && expected < 1000);
        QCOMPARE(view->model()->rowCount(), expected);
        QCOMPARE(chart->shownCurves().size(), expected);
        for (const QString& name : chart->shownCurves())
            QVERIFY(name.startsWith("lr1e-3_bs32_seed") && name.endsWith('7'));

        // None, then All, through the buttons the user clicks.
        d.setRunFilter(QString());
        QCOMPARE(view->model()->rowCount(), 10000);
        auto button = [&](const QString& text) {
            for (QToolButton* b : d.findChildren<QToolButton*>())
                if (b->text() == text)
                    return b;
            return static_cast<QToolButton*>(nullptr);
        };
        QVERIFY(button("None") && button("All"));
        button("None")->click();
        d.refreshNow();
        QVERIFY(chart->shownCurves().isEmpty());
        QCOMPARE(view->model()->index(9999, 0).data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
        button("All")->click();
        d.refreshNow();
        QCOMPARE(chart->shownCurves().size(), 10000);
        QCOMPARE(view->model()->index(9999, 0).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        // The list is virtual: scrolling to the end shows the last run without creating 10,000 widgets.
        view->scrollToBottom();
        QTRY_VERIFY2(view->indexAt(QPoint(5, 5)).row() > 9900,
                     qPrintable(QStringLiteral("row %1 at the top of a %2 px list scrolled to the end")
                                    .arg(view->indexAt(QPoint(5, 5)).row())
                                    .arg(view->viewport()->height())));
    }

    void groupingFromTheRunListDrawsABand()
    {
        ScalarsDashboard d;
        showDashboard(d);
        d.applyBatch(sweep(60, 200));
        d.refreshNow();
        QCOMPARE(ScalarsDashboard::groupRegexFor("lr1e-3_bs32_seed2"), QStringLiteral("_seed\\d+$"));
        QCOMPARE(ScalarsDashboard::groupRegexFor("trial7-lr0.1"), QStringLiteral("\\.\\d+$"));
        QVERIFY(ScalarsDashboard::groupRegexFor("baseline").isEmpty());
        // What the run list's "Group runs differing only in _seed\d+$" does.
        d.groupRunsLike("lr1e-3_bs32_seed2");
        d.refreshNow();
        ScalarChart* chart = d.chartForTag("loss");
        QVERIFY(chart);
        // 60 runs = 5 learning rates x 4 batch sizes x 3 seeds: 20 groups of 3.
        QCOMPARE(chart->shownCurves().size(), 20);
        QVERIFY(chart->shownCurves().contains("lr1e-3_bs32"));
        int bands = 0;
        for (int i = 0; i < chart->graphCount(); ++i)
            if (chart->graph(i)->channelFillGraph() && chart->graph(i)->brush().style() != Qt::NoBrush)
                ++bands;
        QCOMPARE(bands, 20);
        chart->hoverTextAt(50);
        QVERIFY(chart->hoverText().contains("lr1e-3_bs32 (3 runs)"));
    }

    void manyRunsAreDrawnInOnePassAndSelectedRunsOnTop()
    {
        ScalarsDashboard d;
        showDashboard(d);
        d.setSmoothing(0);
        d.applyBatch(sweep(300, 500));
        d.refreshNow();
        ScalarChart* chart = d.chartForTag("loss");
        QVERIFY(chart);
        QVERIFY(chart->denseMode());
        QCOMPARE(chart->graphCount(), 0); // no QCPGraph per run: one image
        chart->replot();
        const QImage all = chart->grab().toImage();
        auto countColour = [](const QImage& img, QColor c) {
            int n = 0;
            for (int y = 0; y < img.height(); ++y)
                for (int x = 0; x < img.width(); ++x) {
                    const QColor p = img.pixelColor(x, y);
                    n += std::abs(p.red() - c.red()) + std::abs(p.green() - c.green()) + std::abs(p.blue() - c.blue()) < 12;
                }
            return n;
        };
        // Select two runs: they get graphs of their own, drawn in full colour over the faint rest.
        d.setSelectedRuns({5, 250});
        d.refreshNow();
        QCOMPARE(chart->graphCount(), 2);
        QVERIFY(chart->denseMode());
        chart->replot();
        const QImage selected = chart->grab().toImage();
        const QColor c5 = runColor(d.store().run(5).colorIndex);
        QVERIFY2(countColour(selected, c5) > 30, qPrintable(QString::number(countColour(selected, c5))));
        // The unselected runs are fainter than before: fewer strongly coloured pixels overall.
        auto strong = [](const QImage& img) {
            int n = 0;
            for (int y = 0; y < img.height(); ++y)
                for (int x = 0; x < img.width(); ++x)
                    n += img.pixelColor(x, y).saturation() > 60;
            return n;
        };
        QVERIFY2(strong(selected) < strong(all) / 2, qPrintable(QStringLiteral("%1 vs %2").arg(strong(selected)).arg(strong(all))));
        // The hover read-out names the selected runs first and does not list 300 lines.
        chart->hoverTextAt(100);
        const QStringList lines = chart->hoverText().split('\n');
        QCOMPARE(lines.size(), 21);
        QVERIFY(lines[0].startsWith(QString::fromStdString(d.store().run(5).label) + ":"));
        QVERIFY(lines[1].startsWith(QString::fromStdString(d.store().run(250).label) + ":"));
        QVERIFY(lines.last().contains("280 more"));
        // Below the threshold, every run is a graph as before.
        d.setRunFilter("_seed1$");
        d.refreshNow();
        QVERIFY(!chart->denseMode());
        QVERIFY(chart->graphCount() > 0);
    }

    void chartsRepaintOncePerFrameAndNotOffScreen()
    {
        ScalarsDashboard d;
        showDashboard(d, QSize(1200, 700));
        std::vector<std::string> tags;
        for (int t = 0; t < 40; ++t)
            tags.push_back("m/tag" + std::to_string(100 + t));
        d.applyBatch(sweep(100, 50, tags));
        d.refreshNow();
        ScalarChart* top = d.chartForTag("m/tag100");
        QVERIFY(top);
        QVERIFY(!d.chartForTag("m/tag139")); // off screen: no chart at all
        const uint64_t before = top->decimationCount();
        const uint64_t rendersBefore = top->denseRenderCount();
        // Ten batches during ingest, as fast as the feed can hand them over.
        for (int k = 0; k < 10; ++k) {
            WatchBatch b;
            for (int r = 0; r < 100; ++r)
                for (const std::string& t : tags)
                    b.scalars.push_back({sweepRun(r), t, {{50 + k, 1.7e9, 0.5}}});
            d.applyBatch(b);
        }
        QTRY_VERIFY(top->decimationCount() > before);
        QTest::qWait(100);
        // Coalesced: one refresh for the ten batches (two if the refresh timer fell in between).
        QVERIFY2(top->decimationCount() - before <= 2, qPrintable(QString::number(top->decimationCount() - before)));
        QVERIFY(top->denseRenderCount() - rendersBefore <= 2);
    }

    void chartsWaitWhileTheFeedCatchesUpAndShowAllOnceItHas()
    {
        // A big directory arrives as 300 batches. While the feed catches up, each redraw competes with
        // reading, so the charts are redrawn at most every quarter second (not after every few batches);
        // once it has caught up, the last points are drawn without waiting for a far-off redraw.
        auto source = std::make_unique<QueueSource>();
        source->push(sweep(300, 2000, {"loss", "acc"}));
        ScalarFeed feed(std::move(source));
        feed.setMaxPointsPerBatch(4000);
        ScalarsDashboard d;
        d.setFeed(&feed);
        showDashboard(d);
        bool sawCatchingUp = false;
        connect(&feed, &ScalarFeed::batchReady, this, [&] { sawCatchingUp = sawCatchingUp || feed.catchingUp(); });
        QElapsedTimer clock;
        clock.start();
        feed.start();
        QTRY_VERIFY(d.chartForTag("loss") && d.chartForTag("loss")->decimationCount() > 0);
        ScalarChart* chart = d.chartForTag("loss");
        const uint64_t first = d.refreshCount();
        const qint64 firstMs = clock.elapsed();
        QTRY_VERIFY_WITH_TIMEOUT(d.store().pointCount() == std::size_t(300 * 2000 * 2), 20000);
        const qint64 loadMs = clock.elapsed() - firstMs;
        const uint64_t during = d.refreshCount() - first;
        QVERIFY(sawCatchingUp);
        QVERIFY(!feed.catchingUp());
        QVERIFY2(during <= uint64_t(loadMs / 250 + 1),
                 qPrintable(QStringLiteral("%1 redraws in %2 ms of loading").arg(during).arg(loadMs)));
        // Caught up: every run's last step is drawn within the normal refresh gap (3x the last redraw's cost,
        // at most 1.2 s), not the catching-up one (up to 2 s).
        QTRY_VERIFY_WITH_TIMEOUT(chart->xAxis->range().upper >= 1999, 1500);
        feed.stop();
    }

    void feedBatchesAreBoundedAndLoseNothing()
    {
        // One poll that reads a whole sweep, with a restart in the middle of it.
        WatchBatch huge = sweep(200, 2000, {"loss", "acc"});
        RunEvent purge;
        purge.kind = RunEvent::Kind::Purge;
        purge.run = sweepRun(3);
        purge.step = 1500;
        WatchBatch restart;
        restart.events.push_back(purge);
        restart.scalars.push_back(series(sweepRun(3), "loss", 10, 7));
        Points expected;
        applyTo(expected, huge);
        applyTo(expected, restart);

        auto source = std::make_unique<QueueSource>();
        QueueSource* src = source.get();
        src->push(std::move(huge));
        ScalarFeed feed(std::move(source));
        feed.setMaxPointsPerBatch(50000);
        Points got;
        std::size_t largest = 0;
        int batches = 0, withEvents = 0;
        // A zero-interval timer ticks once per pass of the event loop: a batch per pass at most means
        // no two batches are applied without a tick in between (the GUI stays responsive).
        QTimer passes;
        int pass = 0, lastPass = -1, backToBack = 0;
        connect(&passes, &QTimer::timeout, this, [&] { ++pass; });
        passes.start(0);
        connect(&feed, &ScalarFeed::batchReady, this, [&](const WatchBatchPtr& b) {
            backToBack += pass == lastPass ? 1 : 0;
            lastPass = pass;
            largest = std::max(largest, watchBatchItems(*b));
            ++batches;
            withEvents += b->events.empty() ? 0 : 1;
            applyTo(got, *b);
            if (batches == 3)
                src->push(restart);
        });
        feed.start();
        QTRY_VERIFY_WITH_TIMEOUT(got == expected, 20000);
        feed.stop();
        QVERIFY2(largest <= 50000, qPrintable(QString::number(largest)));
        QVERIFY(batches >= 16); // 800,010 points in batches of at most 50,000
        QCOMPARE(withEvents, 2); // the RunAdded events with the first part, the purge with its batch
        QCOMPARE(backToBack, 0);
    }

    void denseImageInSlicesIsTheImageInOneGo()
    {
        // Two dashboards over the same sweep: one chart renders its dense image in one go (replot), the
        // other one curve per pass of the event loop (replot with no time budget), as during ingest.
        for (const double smoothing : {0.0, 0.6}) {
            const WatchBatch data = sweep(120, 1500);
            ScalarsDashboard whole, sliced;
            for (ScalarsDashboard* d : {&whole, &sliced}) {
                showDashboard(*d, QSize(900, 600));
                d->setSmoothing(smoothing);
                d->applyBatch(data);
                d->refreshNow();
            }
            ScalarChart* a = whole.chartForTag("loss");
            ScalarChart* b = sliced.chartForTag("loss");
            QVERIFY(a && b && a->denseMode() && b->denseMode());
            a->replotWhole();
            QVERIFY(a->showsAllCurves());
            const QImage one = a->grab().toImage();

            // New points: both charts need a new image.
            WatchBatch more;
            for (int r = 0; r < 120; ++r)
                more.scalars.push_back({sweepRun(r), "loss", {{1500, 1.7e9 + 1500, 2.0 + r * 0.01}}});
            whole.applyBatch(more);
            sliced.applyBatch(more);
            whole.refreshNow();
            a->replotWhole();
            const QImage oneMore = a->grab().toImage();
            QVERIFY(oneMore != one);

            b->setDenseSliceBudget(0);
            b->invalidate();
            const uint64_t slices = b->denseSliceCount(), images = b->denseRenderCount();
            b->replot();
            QVERIFY(!b->showsAllCurves()); // the previous image is shown meanwhile
            QTRY_VERIFY(b->showsAllCurves());
            QVERIFY2(b->denseSliceCount() - slices >= 100, qPrintable(QString::number(b->denseSliceCount() - slices)));
            QCOMPARE(b->denseRenderCount() - images, uint64_t(1));
            QCOMPARE(b->grab().toImage(), oneMore);
        }
    }

    void valueExtentIsTheExtentOfTheDecimatedCurve()
    {
        // Dense charts take each curve's y extent from block summaries instead of decimating it: the
        // same numbers for any view, with NaN/Inf, values <= 0 on a log axis and clock jumps.
        std::mt19937 rng(7);
        std::uniform_real_distribution<double> u(-1, 1);
        for (int trial = 0; trial < 60; ++trial) {
            ScalarSeries s;
            const int n = 1 + int(rng() % 5000);
            std::vector<ScalarPoint> pts;
            for (int i = 0; i < n; ++i) {
                double v = u(rng) * (trial % 3 == 0 ? 1e3 : 1.0) + (trial % 2 ? 0.5 : 0.0);
                if (rng() % 97 == 0)
                    v = std::numeric_limits<double>::quiet_NaN();
                if (rng() % 211 == 0)
                    v = -std::numeric_limits<double>::infinity();
                const double wall = 1.7e9 + i - (trial % 5 == 0 && i > n / 2 ? 100.0 : 0.0); // a clock jump
                pts.push_back({int64_t(i * 2), wall, v});
            }
            s.append(pts.data(), pts.size());
            for (int view = 0; view < 6; ++view) {
                DecimationRequest r;
                r.map.mode = view % 3 == 0 ? XAxisMode::Wall : XAxisMode::Step;
                const double lo = r.map.usesStep() ? 0 : 1.7e9, span = r.map.usesStep() ? 2.0 * n : double(n);
                r.xLo = lo + span * (view < 2 ? -0.05 : u(rng) * 0.5 + 0.25);
                r.xHi = lo + span * (view < 2 ? 1.05 : u(rng) * 0.5 + 0.8);
                r.columns = view % 2 ? 37 : 700;
                r.logY = view == 4;
                r.logX = view == 5;
                std::vector<CurvePoint> out;
                const DecimationStats d = decimate(s, r, out);
                const DecimationStats e = valueExtent(s, r);
                QCOMPARE(e.visible, d.visible);
                if (std::isfinite(d.yMin) || std::isfinite(e.yMin)) {
                    QCOMPARE(e.yMin, d.yMin);
                    QCOMPARE(e.yMax, d.yMax);
                }
            }
        }
    }

    void takeFrontKeepsTheMeaningOfABatch()
    {
        WatchBatch b = sweep(3, 10);
        RunEvent purge;
        purge.kind = RunEvent::Kind::Purge;
        purge.run = sweepRun(0);
        purge.step = 5;
        b.events.push_back(purge);
        const WatchBatch whole = b;
        PendingBatches pending;
        pending.add(std::move(b));
        const WatchBatch front = pending.take(15);
        QCOMPARE(watchBatchItems(front), std::size_t(15));
        QCOMPARE(front.events.size(), whole.events.size());
        QCOMPARE(pending.items(), std::size_t(15));
        const WatchBatch rest = pending.take(100);
        QVERIFY(rest.events.empty());
        QVERIFY(pending.empty());
        Points split, together;
        applyTo(split, front);
        applyTo(split, rest);
        applyTo(together, whole);
        QCOMPARE(split, together);
    }

    void pendingPollsTakenInPartsAreThePollsApplied()
    {
        // The feed queues poll after poll while the GUI takes parts of any size: short series of many runs,
        // the same (run, tag) in many polls, restarts now and then. Applying the parts gives exactly what
        // applying the polls gives, and the count of what waits is always exact.
        std::mt19937 rng(7);
        PendingBatches pending;
        Points expected, got;
        std::vector<int64_t> nextStep(6, 0);
        for (int poll = 0; poll < 200; ++poll) {
            WatchBatch b;
            if (rng() % 10 == 0) { // a restart of run r at a step it already passed
                const int r = int(rng() % 6);
                RunEvent purge;
                purge.kind = RunEvent::Kind::Purge;
                purge.run = sweepRun(r);
                purge.tag = rng() % 2 ? std::string() : std::string("loss");
                purge.step = nextStep[std::size_t(r)] / 2;
                b.events.push_back(purge);
                if (purge.tag.empty())
                    nextStep[std::size_t(r)] = purge.step;
            }
            for (int r = 0; r < 6; ++r) {
                const int n = int(rng() % 20);
                for (const char* tag : {"loss", "acc"}) {
                    ScalarSeriesBatch sb{sweepRun(r), tag, {}};
                    for (int i = 0; i < n; ++i)
                        sb.points.push_back({nextStep[std::size_t(r)] + i, 0.0, double(i)});
                    b.scalars.push_back(std::move(sb));
                }
                nextStep[std::size_t(r)] += n;
            }
            std::erase_if(b.scalars, [](const ScalarSeriesBatch& sb) { return sb.points.empty(); });
            applyTo(expected, b);
            pending.add(std::move(b));
            std::size_t waiting = 0;
            for (int parts = int(rng() % 3); parts > 0 && !pending.empty(); --parts) {
                const std::size_t before = pending.items();
                const WatchBatch part = pending.take(1 + rng() % 60);
                waiting = before - watchBatchItems(part);
                QCOMPARE(pending.items(), waiting);
                applyTo(got, part);
            }
        }
        while (!pending.empty())
            applyTo(got, pending.take(37));
        QCOMPARE(pending.items(), std::size_t(0));
        QCOMPARE(got, expected);
    }

    void takeFrontCarriesHistogramsAndMedia()
    {
        // The dashboards beside Scalars get their values through the same bounded batches: nothing stays
        // behind, and the order within a series is kept across the cut.
        WatchBatch b = sweep(1, 4);
        HistogramSeriesBatch h{sweepRun(0), "w", {}};
        for (int64_t s = 0; s < 5; ++s)
            h.columns.append(s, 0.0, Histogram{});
        b.histograms.push_back(h);
        MediaSeriesBatch m{sweepRun(0), "img", {}};
        m.points.resize(3);
        for (int64_t s = 0; s < 3; ++s)
            m.points[std::size_t(s)].step = s;
        b.media.push_back(m);
        QCOMPARE(watchBatchItems(b), std::size_t(4 + 5 + 3));
        PendingBatches pending;
        pending.add(std::move(b));
        std::vector<int64_t> histogramSteps, mediaSteps;
        int batches = 0;
        while (!pending.empty() && batches < 10) {
            const WatchBatch front = pending.take(5);
            QVERIFY(watchBatchItems(front) <= 5);
            for (const auto& sb : front.histograms)
                histogramSteps.insert(histogramSteps.end(), sb.columns.steps.begin(), sb.columns.steps.end());
            for (const auto& sb : front.media)
                for (const auto& p : sb.points)
                    mediaSteps.push_back(p.step);
            ++batches;
        }
        QCOMPARE(batches, 3);
        QCOMPARE(histogramSteps, (std::vector<int64_t>{0, 1, 2, 3, 4}));
        QCOMPARE(mediaSteps, (std::vector<int64_t>{0, 1, 2}));
    }

    void histogramBatchesAreBoundedByTheirBuckets()
    {
        // 20,000 histograms of 30 buckets arrive at once (a log of histograms opened): each batch the GUI
        // stores holds about as many bytes as a full batch of scalars, not 150,000 histograms, so storing
        // one never holds the GUI for long. Nothing is lost or reordered across the cuts.
        WatchBatch b;
        HistogramSeriesBatch h{sweepRun(0), "layer/weights", {}};
        Histogram hist;
        hist.tensorForm = true;
        for (int k = 0; k < 30; ++k)
            hist.buckets.push_back({double(k), double(k + 1), 1.0});
        hist.max = 30;
        for (int64_t s = 0; s < 20000; ++s)
            h.columns.append(s, 0.0, hist);
        b.histograms.push_back(std::move(h));
        QCOMPARE(watchBatchItems(b), std::size_t(20000 * (1 + 10)));
        PendingBatches pending;
        pending.add(std::move(b));
        std::vector<int64_t> steps;
        std::size_t largest = 0;
        int batches = 0;
        while (!pending.empty() && batches < 100) {
            const WatchBatch front = pending.take(150000);
            QVERIFY(watchBatchItems(front) <= 150000);
            for (const auto& sb : front.histograms) {
                largest = std::max(largest, sb.columns.rights.size());
                steps.insert(steps.end(), sb.columns.steps.begin(), sb.columns.steps.end());
                QCOMPARE(sb.columns.firstBucket.back(), uint32_t(sb.columns.rights.size()));
            }
            ++batches;
        }
        QCOMPARE(batches, 2);
        QCOMPARE(largest, std::size_t(13636 * 30)); // 150,000 / 11 histograms per batch
        QCOMPARE(steps.size(), std::size_t(20000));
        QVERIFY(std::is_sorted(steps.begin(), steps.end()));
    }
};

QTEST_MAIN(SweepTest)
#include "sweep_test.moc"
