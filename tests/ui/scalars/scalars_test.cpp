// Tests of the live scalar dashboard: store, decimation, smoothing, run
// comparison, export, the dashboard widget and the live feed.
#include "tests/support/test_data.h"
#include "core/summary/event_writer.h"
#include "core/summary/logdir_watcher.h"
#include "ui/common/theme.h"
#include "ui/scalars/chart_grid.h"
#include "ui/scalars/decimation.h"
#include "ui/scalars/run_colors.h"
#include "ui/scalars/run_comparison.h"
#include "ui/scalars/run_list_model.h"
#include "ui/scalars/scalar_chart.h"
#include "ui/scalars/scalar_export.h"
#include "ui/scalars/scalar_feed.h"
#include "ui/scalars/scalar_smoothing.h"
#include "ui/scalars/scalar_store.h"
#include "ui/scalars/scalars_dashboard.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>

using namespace scopeviz;
using namespace scopeviz::ui;

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
constexpr double Inf = std::numeric_limits<double>::infinity();

ScalarSeriesBatch seriesBatch(const std::string& run, const std::string& tag, int64_t first, int64_t count,
                              int64_t stride = 1, double wall0 = 1.7e9)
{
    ScalarSeriesBatch b{run, tag, {}};
    for (int64_t i = 0; i < count; ++i) {
        const int64_t step = first + i * stride;
        // float32 values, as TensorFlow logs them (simple_value)
        const float v = float(std::sin(double(step) * 0.01) + double(run.size()));
        b.points.push_back(ScalarPoint{step, wall0 + double(step) * 0.5, double(v)});
    }
    return b;
}

RunEvent runEvent(RunEvent::Kind kind, const std::string& run)
{
    RunEvent e;
    e.kind = kind;
    e.run = run;
    return e;
}

ScalarSeries makeSeries(const std::vector<int64_t>& steps, const std::vector<double>& values)
{
    ScalarSeries s;
    for (std::size_t i = 0; i < steps.size(); ++i)
        s.append(ScalarPoint{steps[i], 1000.0 + double(i), values[i]});
    return s;
}

QStringList readLines(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

/// A source that hands out queued batches, as a LogdirWatcher would.
class FakeSource : public ScalarSource {
public:
    void push(WatchBatch b)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_queue.push_back(std::move(b));
    }
    WatchBatch poll() override
    {
        ++polls;
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_queue.empty())
            return {};
        WatchBatch b = std::move(m_queue.front());
        m_queue.erase(m_queue.begin());
        return b;
    }
    std::atomic<int> polls{0};

private:
    std::mutex m_mutex;
    std::vector<WatchBatch> m_queue;
};

} // namespace

class ScalarsTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { SCOPEVIZ_REQUIRE_TEST_DATA(); }
    // ---- store
    void storeKeepsEveryPointInCompactColumns();
    void storePurgeDropsStepsFromRestart();
    void storeKeepsDuplicateSteps();
    void storeKeepsAndFlagsNonFinite();
    void storeMergesOutOfOrderPoints();
    void storeKeepsExactDoubles();
    void storeErrorAndRemovedRunsKeepPoints();
    // ---- decimation
    void decimationKeepsSingleSpikeVisible();
    void decimationShowsExactPointsWhenZoomedIn();
    void decimationLogXAndTimeAxes();
    void decimationMarksNonFinite();
    // ---- smoothing
    void smoothingIsWeightedByStepDistance();
    void smoothingOfOldPointsNeverChanges();
    void smoothingSkipsNaN();
    void smoothingAveragesDuplicateSteps();
    // ---- comparison
    void groupKeyFromRegex();
    void aggregateMeanAndBandAlignedByStep();
    // ---- export
    void exportWritesEveryPoint();
    // ---- run list
    void runListModelIsConsistent();
    // ---- dashboard
    void dashboardCreatesOneChartPerTagInPrefixSections();
    void dashboardTagFilterHidesCharts();
    void dashboardRunCheckboxHidesSeries();
    void dashboardErrorEventMarksRunAndKeepsPoints();
    void dashboardExportCsvContainsEveryPoint();
    void dashboardMarksNaNAndInf();
    void dashboardTitleClickEmitsTag();
    void dashboardHoverShowsEveryRun();
    void dashboardLinksXAcrossCharts();
    void dashboardGroupsRunsIntoMeanAndBand();
    void dashboardStaysVirtualWithThousandTags();
    void dashboardExportsImages();
    void dashboardReadsRealEventFile();
    // ---- feed
    void mergeKeepsPurgeSemantics();
    void feedDeliversBatchesToDashboard();
    void feedFollowsLiveEventFile();
    void feedReportsAnyExceptionAndKeepsPolling();
    // ---- real event files, through the GUI's path (feed -> dashboard -> export)
    void realEventFileThroughFeed_data();
    void realEventFileThroughFeed();
    void realLogdirOfAllFilesThroughFeed();
    void truncatedTailShowsValidPointsWithoutError();
    // ---- bad input, end to end (event file on disk -> watcher -> feed -> dashboard)
    void feedKeepsPointsWhenLogdirDeletedAndPicksUpRecreatedDir();
    void feedMarksTruncatedFileAndKeepsEarlierPoints();
    void feedMarksReplacedFile();
    void feedMarksCorruptRecordWithFileAndOffset();
    void feedPurgesOnSessionRestart();
    void feedPurgesWhenStepsGoBackwardsWithoutFileVersion();
    void feedKeepsDuplicateSteps();
    void feedMarksNaNAndInfValues();
    void feedShowsUnreadableDirectoryInBanner();
};

// ---------------------------------------------------------------------------
// store

void ScalarsTest::storeKeepsEveryPointInCompactColumns()
{
    ScalarStore store;
    const int64_t n = 1'000'000;
    WatchBatch b;
    b.scalars.push_back(seriesBatch("run", "loss", 0, n));
    store.apply(b);
    QCOMPARE(store.pointCount(), std::size_t(n));
    const ScalarSeries& s = store.series(store.findSeries(store.findRun("run"), store.findTag("loss")));
    QCOMPARE(s.size(), std::size_t(n));
    QCOMPARE(s.step(123456), int64_t(123456));
    QCOMPARE(s.wallTime(123456), 1.7e9 + 123456 * 0.5);
    QCOMPARE(s.value(123456), double(float(std::sin(double(123456) * 0.01) + 3)));
    // 8 (step) + 8 (wall) + 4 (value) bytes, plus less than a block of slack.
    QVERIFY2(store.bytesPerPoint() <= 24.0, qPrintable(QString::number(store.bytesPerPoint())));
    QVERIFY(store.bytesPerPoint() >= 20.0);
}

void ScalarsTest::storePurgeDropsStepsFromRestart()
{
    ScalarStore store;
    WatchBatch b;
    b.scalars.push_back(seriesBatch("a", "loss", 0, 100));
    b.scalars.push_back(seriesBatch("a", "acc", 0, 100));
    b.scalars.push_back(seriesBatch("b", "loss", 0, 100));
    store.apply(b);
    // Restart of run a at step 60 (every tag), with the restarted points in the same batch.
    WatchBatch restart;
    RunEvent purge = runEvent(RunEvent::Kind::Purge, "a");
    purge.step = 60;
    restart.events.push_back(purge);
    restart.scalars.push_back(seriesBatch("a", "loss", 60, 5));
    const StoreChanges ch = store.apply(restart);
    QCOMPARE(ch.series.size(), std::size_t(2));
    const int a = store.findRun("a");
    const ScalarSeries& loss = store.series(store.findSeries(a, store.findTag("loss")));
    const ScalarSeries& acc = store.series(store.findSeries(a, store.findTag("acc")));
    QCOMPARE(loss.size(), std::size_t(65)); // 0..59 then the restarted 60..64
    QCOMPARE(loss.step(64), int64_t(64));
    QCOMPARE(acc.size(), std::size_t(60));
    QCOMPARE(store.series(store.findSeries(store.findRun("b"), store.findTag("loss"))).size(), std::size_t(100));
    // A tag-specific purge touches only that tag.
    QCOMPARE(store.purge("a", "acc", 10), std::size_t(50));
    QCOMPARE(loss.size(), std::size_t(65));
    // INT64_MIN purges everything (file replaced).
    QCOMPARE(store.purge("a", "", std::numeric_limits<int64_t>::min()), std::size_t(75));
    QCOMPARE(store.pointCount(), std::size_t(100));
}

void ScalarsTest::storeKeepsDuplicateSteps()
{
    ScalarStore store;
    const ScalarPoint pts[] = {{1, 10, 1.0}, {2, 11, 2.0}, {2, 12, 3.0}, {3, 13, 4.0}};
    store.append("r", "t", pts, 4);
    const ScalarPoint more[] = {{3, 14, 5.0}};
    store.append("r", "t", more, 1);
    const ScalarSeries& s = store.series(0);
    QCOMPARE(s.size(), std::size_t(5));
    QCOMPARE(s.value(1), 2.0); // arrival order kept among duplicates
    QCOMPARE(s.value(2), 3.0);
    QCOMPARE(s.value(4), 5.0);
    QCOMPARE(s.typicalStep(), int64_t(1));
}

void ScalarsTest::storeKeepsAndFlagsNonFinite()
{
    ScalarStore store;
    const ScalarPoint pts[] = {{0, 1, 1.0}, {1, 2, NaN}, {2, 3, Inf}, {3, 4, -Inf}, {4, 5, 2.0}};
    store.append("r", "t", pts, 5);
    const ScalarSeries& s = store.series(0);
    QCOMPARE(s.size(), std::size_t(5));
    QVERIFY(std::isnan(s.value(1)));
    QCOMPARE(s.value(2), Inf);
    QCOMPARE(s.value(3), -Inf);
    QCOMPARE(s.nonFinite(1), NonFinite::NaN);
    QCOMPARE(s.nonFinite(2), NonFinite::PosInf);
    QCOMPARE(s.nonFinite(3), NonFinite::NegInf);
    QCOMPARE(s.nonFinite(4), NonFinite::None);
    QCOMPARE(s.nonFiniteIndices(), (std::vector<std::size_t>{1, 2, 3}));
}

void ScalarsTest::storeMergesOutOfOrderPoints()
{
    ScalarSeries s;
    const ScalarPoint a[] = {{0, 0, 0}, {10, 1, 10}, {20, 2, 20}};
    s.append(a, 3);
    const ScalarPoint b[] = {{15, 3, 15}, {5, 4, 5}, {25, 5, 25}};
    s.append(b, 3);
    QCOMPARE(s.size(), std::size_t(6));
    for (std::size_t i = 0; i < s.size(); ++i) {
        QCOMPARE(s.step(i), int64_t(i * 5));
        QCOMPARE(s.value(i), double(i * 5));
    }
    QVERIFY(!s.wallSorted()); // wall times now go backwards in step order
}

void ScalarsTest::storeKeepsExactDoubles()
{
    ScalarSeries s;
    const ScalarPoint pts[] = {{0, 0, 0.1}, {1, 0, 1e300}, {2, 0, 0.5}, {3, 0, -1e-310}};
    s.append(pts, 4);
    QCOMPARE(s.value(0), 0.1);     // not 0.10000000149011612
    QCOMPARE(s.value(1), 1e300);   // beyond float range: kept, drawn at the float limit
    QVERIFY(std::isfinite(s.drawValue(1)));
    QCOMPARE(s.nonFinite(1), NonFinite::None);
    QCOMPARE(s.value(2), 0.5);
    QCOMPARE(s.value(3), -1e-310);
}

void ScalarsTest::storeErrorAndRemovedRunsKeepPoints()
{
    ScalarStore store;
    WatchBatch b;
    b.events.push_back(runEvent(RunEvent::Kind::RunAdded, "a"));
    b.scalars.push_back(seriesBatch("a", "loss", 0, 50));
    store.apply(b);
    WatchBatch err;
    RunEvent e = runEvent(RunEvent::Kind::FileError, "a");
    e.file = "a/events.out.tfevents.1";
    e.offset = 4242;
    e.message = "a/events.out.tfevents.1: corrupt record at offset 4242 (CRC mismatch)";
    err.events.push_back(e);
    err.events.push_back(runEvent(RunEvent::Kind::RunRemoved, "a"));
    QVERIFY(store.apply(err).runsChanged);
    const RunInfo& info = store.run(store.findRun("a"));
    QVERIFY(info.hasError);
    QVERIFY(info.removed);
    QVERIFY(QString::fromStdString(info.errorMessage).contains("4242"));
    QCOMPARE(store.pointCount(), std::size_t(50));
}

// ---------------------------------------------------------------------------
// decimation

void ScalarsTest::decimationKeepsSingleSpikeVisible()
{
    ScalarSeries s;
    const std::size_t n = 1'000'000, spike = 777'777;
    std::vector<ScalarPoint> pts(n);
    for (std::size_t i = 0; i < n; ++i)
        pts[i] = ScalarPoint{int64_t(i), double(i), 0.5 + 0.4 * std::sin(double(i) * 0.001)};
    pts[spike].value = 1000;
    s.append(pts.data(), n);

    DecimationRequest r;
    r.xLo = 0;
    r.xHi = double(n - 1);
    r.columns = 800;
    std::vector<CurvePoint> out;
    const DecimationStats st = decimate(s, r, out);
    QCOMPARE(st.visible, n);
    QVERIFY2(out.size() <= std::size_t(4 * 800 + 2), qPrintable(QString::number(out.size())));
    QVERIFY(out.size() >= 800);
    QCOMPARE(st.yMax, 1000.0);
    bool found = false;
    for (const CurvePoint& p : out)
        found = found || (p.x == double(spike) && p.y == 1000.0);
    QVERIFY(found);
    for (std::size_t i = 1; i < out.size(); ++i)
        QVERIFY(out[i].x >= out[i - 1].x);
    // Same picture on every refresh (no sampling).
    std::vector<CurvePoint> again;
    decimate(s, r, again);
    QCOMPARE(again.size(), out.size());
    // The smoothed curve is bounded the same way, and keeps the true extremes of the full smoothed series.
    r.smoothed = true;
    r.smoothing = 0.9;
    const DecimationStats sst = decimate(s, r, out);
    QVERIFY(out.size() <= std::size_t(4 * 800 + 2));
    std::vector<float> full(n);
    s.smoothed(0.9, 0, n, full.data());
    QCOMPARE(sst.yMax, double(*std::max_element(full.begin(), full.end())));
    QCOMPARE(sst.yMin, double(*std::min_element(full.begin(), full.end())));
    // Zoomed to a range cut mid-block: the dense path agrees with the exact one on extremes.
    r.smoothed = false;
    r.xLo = 1000.5;
    r.xHi = 900'000.5;
    const DecimationStats cut = decimate(s, r, out);
    QCOMPARE(out[1].x, 1001.0); // first visible point (after the left neighbour)
    QCOMPARE(cut.yMax, 1000.0);
    // A restart that drops the spike drops it from the picture too (summaries follow purges).
    s.purgeFrom(700'000);
    r.xLo = 0;
    r.xHi = 699'999;
    const DecimationStats purged = decimate(s, r, out);
    QVERIFY(purged.yMax < 1.0);
    s.append(ScalarPoint{700'000, 0, -50.0});
    r.xHi = 700'000;
    QCOMPARE(decimate(s, r, out).yMin, -50.0);
}

void ScalarsTest::decimationShowsExactPointsWhenZoomedIn()
{
    ScalarSeries s;
    for (int i = 0; i < 10000; ++i)
        s.append(ScalarPoint{i * 10, double(i), double(i % 7)});
    DecimationRequest r;
    r.xLo = 1000;
    r.xHi = 1200; // steps 1000..1200: 21 points, fewer than columns
    r.columns = 400;
    std::vector<CurvePoint> out;
    const DecimationStats st = decimate(s, r, out);
    QCOMPARE(st.visible, std::size_t(21));
    QCOMPARE(out.size(), std::size_t(23)); // + one neighbour on each side
    QCOMPARE(out.front().x, 990.0);
    QCOMPARE(out[1].x, 1000.0);
    QCOMPARE(out[1].y, double(100 % 7));
    QCOMPARE(out.back().x, 1210.0);
}

void ScalarsTest::decimationLogXAndTimeAxes()
{
    ScalarSeries s;
    for (int i = 0; i <= 100000; ++i)
        s.append(ScalarPoint{i, 5000.0 + i * 2.0, double(i)});
    DecimationRequest r;
    r.logX = true;
    r.xLo = 1;
    r.xHi = 100000;
    r.columns = 300;
    std::vector<CurvePoint> out;
    decimate(s, r, out);
    QVERIFY(out.size() <= std::size_t(4 * 300 + 2));
    for (const CurvePoint& p : out)
        QVERIFY(p.x > 0); // step 0 is not drawable on a log axis
    QCOMPARE(out.front().x, 1.0);
    // Relative time: x = wall - first wall.
    r = DecimationRequest{};
    r.map.mode = XAxisMode::Relative;
    r.map.offset = 5000.0;
    r.xLo = 0;
    r.xHi = 20;
    r.columns = 100;
    decimate(s, r, out);
    QCOMPARE(out.size(), std::size_t(12)); // 0,2,...,20 + right neighbour
    QCOMPARE(out[5].x, 10.0);
    QCOMPARE(out[5].y, 5.0);
    double lo = 0, hi = 0;
    QVERIFY(xExtent(s, r.map, false, lo, hi));
    QCOMPARE(lo, 0.0);
    QCOMPARE(hi, 200000.0);
}

void ScalarsTest::decimationMarksNonFinite()
{
    ScalarSeries s;
    for (int i = 0; i < 1000; ++i)
        s.append(ScalarPoint{i, double(i), i == 500 ? NaN : (i == 600 ? Inf : double(i))});
    DecimationRequest r;
    r.xLo = 0;
    r.xHi = 999;
    r.columns = 100;
    std::vector<CurvePoint> out;
    const DecimationStats st = decimate(s, r, out);
    QCOMPARE(st.yMax, 999.0); // Inf does not enter the y range
    for (const CurvePoint& p : out)
        QVERIFY(std::isfinite(p.y));
    std::vector<NonFiniteMarker> marks;
    nonFiniteMarkers(s, r, marks);
    QCOMPARE(marks.size(), std::size_t(2));
    QCOMPARE(marks[0].x, 500.0);
    QCOMPARE(marks[0].kind, NonFinite::NaN);
    QCOMPARE(marks[1].kind, NonFinite::PosInf);
    QCOMPARE(nearestIndex(s, r.map, 499.6), std::size_t(500));
}

// ---------------------------------------------------------------------------
// smoothing

void ScalarsTest::smoothingIsWeightedByStepDistance()
{
    // Steps 0, 1, 2, 5 (a gap of three steps), s = 0.5 per step.
    const std::vector<int64_t> steps{0, 1, 2, 5};
    const std::vector<double> values{1, 0, 1, 0};
    const std::vector<double> sm = smoothSteps(steps, values, 0.5, 1);
    // By hand: decay 0.5 for gaps of 1, 0.125 for the gap of 3; debiased by the accumulated weight.
    const double expected[] = {1.0, 1.0 / 3.0, 5.0 / 7.0, 5.0 / 63.0};
    for (int i = 0; i < 4; ++i)
        QVERIFY2(std::fabs(sm[std::size_t(i)] - expected[i]) < 1e-12, qPrintable(QString::number(sm[std::size_t(i)])));
    // TensorBoard's index EMA gives 1/3 at the last point: the gap is ignored there.
    const double indexEma = 0.3125 / (1 - 0.0625);
    QVERIFY(std::fabs(sm[3] - indexEma) > 0.2);
    // The series derives its unit (first gap = 1) and gives the same values.
    const ScalarSeries s = makeSeries(steps, values);
    QCOMPARE(s.typicalStep(), int64_t(1));
    for (int i = 0; i < 4; ++i)
        QVERIFY(std::fabs(s.smoothedAt(0.5, std::size_t(i)) - expected[i]) < 1e-12);
    // Evenly logged every 10 steps: the unit is 10 steps, so this equals the index EMA.
    const ScalarSeries even = makeSeries({0, 10, 20, 30}, {1, 0, 1, 0});
    QCOMPARE(even.typicalStep(), int64_t(10));
    QVERIFY(std::fabs(even.smoothedAt(0.5, 3) - indexEma) < 1e-12);
}

void ScalarsTest::smoothingOfOldPointsNeverChanges()
{
    ScalarSeries s;
    for (int i = 0; i < 20000; ++i)
        s.append(ScalarPoint{int64_t(i) * 3, double(i), std::sin(i * 0.01) + (i % 13) * 0.1});
    std::vector<float> before(s.size());
    s.smoothed(0.95, 0, s.size(), before.data());
    // Append more: a gap, a NaN, duplicates, a large batch.
    s.append(ScalarPoint{70000, 1, 5.0});
    s.append(ScalarPoint{70003, 2, NaN});
    s.append(ScalarPoint{70003, 3, 7.0});
    for (int i = 0; i < 10000; ++i)
        s.append(ScalarPoint{80000 + int64_t(i) * 3, 4, double(i % 5)});
    std::vector<float> after(20000);
    s.smoothed(0.95, 0, 20000, after.data());
    QVERIFY(std::memcmp(before.data(), after.data(), before.size() * sizeof(float)) == 0);
    // Resuming from a checkpoint gives the same values as a full pass.
    std::vector<float> tail(500);
    s.smoothed(0.95, 12000, 12500, tail.data());
    for (int i = 0; i < 500; ++i)
        QCOMPARE(tail[std::size_t(i)], before[std::size_t(12000 + i)]);
    // ... and as the reference implementation.
    std::vector<int64_t> steps;
    std::vector<double> values;
    for (std::size_t i = 0; i < s.size(); ++i) {
        steps.push_back(s.step(i));
        values.push_back(s.drawValue(i));
    }
    const std::vector<double> ref = smoothSteps(steps, values, 0.95, s.typicalStep());
    std::vector<float> all(s.size());
    s.smoothed(0.95, 0, s.size(), all.data());
    for (std::size_t i = 0; i < s.size(); i += 997)
        QCOMPARE(all[i], float(ref[i]));
}

void ScalarsTest::smoothingSkipsNaN()
{
    const std::vector<double> sm = smoothSteps({0, 1, 2}, {1, NaN, 3}, 0.5, 1);
    QCOMPARE(sm[0], 1.0);
    QCOMPARE(sm[1], 1.0); // the estimate carries over the NaN
    // 3 is two steps after the last finite point: decay 0.25.
    QVERIFY(std::fabs(sm[2] - 19.0 / 7.0) < 1e-12);
    const std::vector<double> lead = smoothSteps({0, 1}, {NaN, 2}, 0.5, 1);
    QVERIFY(std::isnan(lead[0]));
    QCOMPARE(lead[1], 2.0);
    const std::vector<double> inf = smoothSteps({0, 1, 2}, {1, Inf, 1}, 0.9, 1);
    QCOMPARE(inf[2], 1.0);
}

void ScalarsTest::smoothingAveragesDuplicateSteps()
{
    // Two values logged at step 1 count as one observation (their mean): no spurious weight, no division by zero.
    const std::vector<double> sm = smoothSteps({0, 1, 1}, {0, 2, 4}, 0.5, 1);
    QCOMPARE(sm[0], 0.0);
    QVERIFY(std::fabs(sm[1] - 4.0 / 3.0) < 1e-12);
    QVERIFY(std::fabs(sm[2] - 2.0) < 1e-12);
    // Only duplicates: the mean so far.
    const std::vector<double> same = smoothSteps({7, 7, 7}, {1, 2, 6}, 0.99, 1);
    QCOMPARE(same[2], 3.0);
    // smoothing 0: raw values.
    const std::vector<double> raw = smoothSteps({0, 1, 5}, {3, 1, 4}, 0.0, 1);
    QCOMPARE(raw, (std::vector<double>{3, 1, 4}));
}

// ---------------------------------------------------------------------------
// comparison

void ScalarsTest::groupKeyFromRegex()
{
    const QRegularExpression suffix(QStringLiteral("[_-]seed\\d+$"));
    QCOMPARE(runGroupKey("lr0.1_seed1", suffix), QStringLiteral("lr0.1"));
    QCOMPARE(runGroupKey("lr0.1_seed22", suffix), QStringLiteral("lr0.1"));
    QCOMPARE(runGroupKey("baseline", suffix), QStringLiteral("baseline"));
    const QRegularExpression capture(QStringLiteral("^(.*)/run\\d+$"));
    QCOMPARE(runGroupKey("adam/run3", capture), QStringLiteral("adam"));
}

void ScalarsTest::aggregateMeanAndBandAlignedByStep()
{
    // Two runs on the same steps and one logging every other step: interpolated in between.
    const ScalarSeries a = makeSeries({0, 1, 2, 3, 4}, {0, 1, 2, 3, 4});
    const ScalarSeries b = makeSeries({0, 1, 2, 3, 4}, {2, 3, 4, 5, 6});
    const ScalarSeries c = makeSeries({0, 2, 4}, {4, NaN, 8});
    RunAggregate agg;
    aggregateRuns({{&a, 1000}, {&b, 1000}, {&c, 1000}}, BandMode::MinMax, agg);
    QCOMPARE(agg.members, 3);
    QCOMPARE(agg.mean.size(), std::size_t(5));
    // Step 1: a=1, b=3, c interpolated between 4 (step 0) and 8 (step 4, the NaN skipped) = 5.
    QCOMPARE(agg.mean.value(1), 3.0);
    QCOMPARE(agg.lower.value(1), 1.0);
    QCOMPARE(agg.upper.value(1), 5.0);
    // Step 4: 4, 6, 8.
    QCOMPARE(agg.mean.value(4), 6.0);
    RunAggregate sd;
    aggregateRuns({{&a, 1000}, {&b, 1000}}, BandMode::StdDev, sd);
    QCOMPARE(sd.mean.value(0), 1.0);
    QCOMPARE(sd.lower.value(0), 0.0);
    QCOMPARE(sd.upper.value(0), 2.0);
    // No extrapolation beyond a member's range.
    const ScalarSeries shortRun = makeSeries({0, 1}, {10, 10});
    RunAggregate partial;
    aggregateRuns({{&a, 1000}, {&shortRun, 1000}}, BandMode::MinMax, partial);
    QCOMPARE(partial.mean.value(4), 4.0);
}

// ---------------------------------------------------------------------------
// export

void ScalarsTest::exportWritesEveryPoint()
{
    ScalarStore store;
    const ScalarPoint pts[] = {{1, 1.5, 0.1}, {2, 2.5, NaN}, {3, 3.5, -Inf}, {4, 4.5, 1e300}};
    store.append("run, \"quoted\"", "loss", pts, 4);
    std::ostringstream csv;
    writeCsv(csv, store, {0});
    const std::string text = csv.str();
    QCOMPARE(QString::fromStdString(text),
             QStringLiteral("run,tag,step,wall_time,value\n"
                            "\"run, \"\"quoted\"\"\",loss,1,1.5,0.1\n"
                            "\"run, \"\"quoted\"\"\",loss,2,2.5,nan\n"
                            "\"run, \"\"quoted\"\"\",loss,3,3.5,-inf\n"
                            "\"run, \"\"quoted\"\"\",loss,4,4.5,1e+300\n"));
    std::ostringstream json;
    writeJson(json, store, {0});
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(json.str()), &err);
    QCOMPARE(err.error, QJsonParseError::NoError);
    const QJsonObject series = doc.object()["series"].toArray()[0].toObject();
    QCOMPARE(series["run"].toString(), QStringLiteral("run, \"quoted\""));
    QCOMPARE(series["step"].toArray().size(), 4);
    QCOMPARE(series["value"].toArray()[1].toString(), QStringLiteral("NaN"));
    QCOMPARE(series["value"].toArray()[3].toDouble(), 1e300);
}

// ---------------------------------------------------------------------------
// run list

void ScalarsTest::runListModelIsConsistent()
{
    ScalarStore store;
    RunListModel model(&store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    WatchBatch b;
    b.scalars.push_back(seriesBatch("a", "t", 0, 3));
    b.scalars.push_back(seriesBatch("b", "t", 0, 3));
    store.apply(b);
    model.syncWithStore();
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.data(model.index(1), Qt::DisplayRole).toString(), QStringLiteral("b"));
    QCOMPARE(model.data(model.index(1), RunColorRole).value<QColor>(), runColor(store.run(1).colorIndex));
    QVERIFY(model.setData(model.index(0), Qt::Unchecked, Qt::CheckStateRole));
    QVERIFY(!model.isChecked(0));
    QVERIFY(model.isChecked(1));
}

// ---------------------------------------------------------------------------
// dashboard

namespace {

WatchBatch twoRunsThreeTags(int64_t points = 200)
{
    WatchBatch b;
    for (const char* run : {"adam", "sgd"}) {
        b.events.push_back(runEvent(RunEvent::Kind::RunAdded, run));
        for (const char* tag : {"summary/loss", "summary/accuracy", "summary/lr"})
            b.scalars.push_back(seriesBatch(run, tag, 0, points));
    }
    return b;
}

void showDashboard(ScalarsDashboard& d, QSize size = QSize(1400, 900))
{
    d.resize(size);
    d.show();
    QVERIFY(QTest::qWaitForWindowExposed(&d));
}

} // namespace

void ScalarsTest::dashboardCreatesOneChartPerTagInPrefixSections()
{
    ScalarsDashboard d;
    showDashboard(d);
    d.applyBatch(twoRunsThreeTags());
    d.refreshNow();
    QCOMPARE(d.sections(), QStringList{"summary"});
    QCOMPARE(d.tagsInSection("summary"), (QStringList{"summary/accuracy", "summary/loss", "summary/lr"}));
    for (const QString& tag : d.visibleTags()) {
        ScalarChart* c = d.chartForTag(tag);
        QVERIFY2(c, qPrintable(tag));
        QVERIFY(c->isVisible());
        QCOMPARE(c->shownCurves(), (QStringList{"adam", "sgd"}));
        QVERIFY(c->drawnPoints() > 0);
    }
    // A second prefix makes a second section; top-level tags come last.
    WatchBatch more;
    more.scalars.push_back(seriesBatch("adam", "train/grad_norm", 0, 10));
    more.scalars.push_back(seriesBatch("adam", "epoch", 0, 10));
    d.applyBatch(more);
    d.refreshNow();
    QCOMPARE(d.sections(), (QStringList{"summary", "train", ""}));
    QCOMPARE(d.runModel()->rowCount(), 2);
}

void ScalarsTest::dashboardTagFilterHidesCharts()
{
    ScalarsDashboard d;
    showDashboard(d);
    WatchBatch b = twoRunsThreeTags();
    b.scalars.push_back(seriesBatch("adam", "eval/loss", 0, 10));
    d.applyBatch(b);
    d.refreshNow();
    QCOMPARE(d.visibleTags().size(), 4);
    d.setTagFilter("loss");
    QCOMPARE(d.visibleTags(), (QStringList{"eval/loss", "summary/loss"}));
    QVERIFY(!d.chartForTag("summary/accuracy"));
    d.setTagPrefixFilter("summary/");
    QCOMPARE(d.tagFilter(), QStringLiteral("^summary/"));
    QCOMPARE(d.visibleTags(), (QStringList{"summary/accuracy", "summary/loss", "summary/lr"}));
    QVERIFY(d.grid()->emptyText().isEmpty());
    d.setTagFilter("[unclosed"); // invalid regex: matched literally, no crash
    QCOMPARE(d.visibleTags(), QStringList{});
    // Data is there but hidden: the empty grid says so (not "no scalar data yet").
    QVERIFY2(d.grid()->emptyText().contains("No chart matches the tag filter") &&
                 d.grid()->emptyText().contains("[unclosed") && d.grid()->emptyText().contains("4 tags"),
             qPrintable(d.grid()->emptyText()));
    d.setTagFilter(QString());
    QCOMPARE(d.visibleTags().size(), 4);
    QVERIFY(d.grid()->emptyText().isEmpty());
}

void ScalarsTest::dashboardRunCheckboxHidesSeries()
{
    ScalarsDashboard d;
    showDashboard(d);
    d.applyBatch(twoRunsThreeTags());
    d.refreshNow();
    ScalarChart* c = d.chartForTag("summary/loss");
    QVERIFY(c);
    RunListModel* m = d.runModel();
    QVERIFY(m->setData(m->index(0), Qt::Unchecked, Qt::CheckStateRole)); // adam
    d.refreshNow();
    QCOMPARE(c->shownCurves(), QStringList{"sgd"});
    m->setData(m->index(0), Qt::Checked, Qt::CheckStateRole);
    d.setRunFilter("^s");
    QCOMPARE(c->shownCurves(), QStringList{"sgd"});
    d.setRunFilter(QString());
    QCOMPARE(c->shownCurves(), (QStringList{"adam", "sgd"}));
}

void ScalarsTest::dashboardErrorEventMarksRunAndKeepsPoints()
{
    ScalarsDashboard d;
    showDashboard(d);
    d.applyBatch(twoRunsThreeTags(100));
    WatchBatch err;
    RunEvent e = runEvent(RunEvent::Kind::FileError, "sgd");
    e.file = "sgd/events.out.tfevents.1";
    e.offset = 777;
    e.message = "sgd/events.out.tfevents.1: corrupt record at offset 777";
    err.events.push_back(e);
    d.applyBatch(err);
    d.refreshNow();
    RunListModel* m = d.runModel();
    const QModelIndex sgd = m->index(1);
    QCOMPARE(m->data(sgd, Qt::DisplayRole).toString(), QStringLiteral("sgd"));
    QVERIFY(m->data(sgd, RunErrorRole).toString().contains("offset 777"));
    QVERIFY(m->data(sgd, Qt::ToolTipRole).toString().contains("offset 777"));
    QVERIFY(m->data(m->index(0), RunErrorRole).toString().isEmpty());
    QVERIFY(m->data(sgd, Qt::DecorationRole).value<QIcon>().cacheKey() !=
            m->data(m->index(0), Qt::DecorationRole).value<QIcon>().cacheKey());
    // Its points are kept and still drawn.
    QCOMPARE(d.store().pointCount(), std::size_t(600));
    QCOMPARE(d.chartForTag("summary/loss")->shownCurves(), (QStringList{"adam", "sgd"}));
    ScalarChart* c = d.chartForTag("summary/loss");
    c->hoverTextAt(50);
    QVERIFY(c->hoverText().contains("sgd: "));
    QVERIFY(c->hoverText().contains("[file error]"));
}

void ScalarsTest::dashboardExportCsvContainsEveryPoint()
{
    ScalarsDashboard d;
    showDashboard(d);
    WatchBatch b;
    b.scalars.push_back(seriesBatch("adam", "loss", 0, 50000));
    b.scalars.push_back(seriesBatch("sgd", "loss", 0, 30000, 3));
    d.applyBatch(b);
    QTemporaryDir dir;
    const QString csv = dir.filePath("loss.csv");
    QVERIFY(d.exportCsv("loss", csv));
    const QStringList lines = readLines(csv);
    QCOMPARE(lines.size(), 1 + 50000 + 30000);
    QCOMPARE(lines[0], QStringLiteral("run,tag,step,wall_time,value"));
    QVERIFY(lines[1].startsWith("adam,loss,0,1700000000,"));
    QVERIFY(lines.last().startsWith("sgd,loss,89997,"));
    // Unchecked runs are not exported (the chart's data is what is shown).
    d.setRunVisible("sgd", false);
    QVERIFY(d.exportCsv("loss", csv));
    QCOMPARE(readLines(csv).size(), 1 + 50000);
    const QString json = dir.filePath("loss.json");
    QVERIFY(d.exportJson("loss", json));
    QFile f(json);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
    QCOMPARE(doc.object()["series"].toArray()[0].toObject()["value"].toArray().size(), 50000);
}

void ScalarsTest::dashboardMarksNaNAndInf()
{
    ScalarsDashboard d;
    showDashboard(d);
    WatchBatch b;
    ScalarSeriesBatch s{"r", "loss", {}};
    for (int i = 0; i < 100; ++i)
        s.points.push_back(ScalarPoint{i, double(i), i == 40 ? NaN : (i == 70 ? Inf : i == 80 ? -Inf : double(i))});
    b.scalars.push_back(s);
    d.applyBatch(b);
    d.refreshNow();
    ScalarChart* c = d.chartForTag("loss");
    QVERIFY(c);
    QCOMPARE(c->markerCount(), 3);
    // The y range is that of the finite values.
    QVERIFY(c->yAxis->range().upper < 120);
    QVERIFY(c->yAxis->range().lower > -10);
    QVERIFY(c->hoverTextAt(40).contains("NaN"));
    QVERIFY(c->hoverTextAt(70).contains("+Inf"));
}

void ScalarsTest::dashboardTitleClickEmitsTag()
{
    ScalarsDashboard d;
    showDashboard(d);
    d.applyBatch(twoRunsThreeTags());
    d.refreshNow();
    QSignalSpy spy(&d, &ScalarsDashboard::tagTitleClicked);
    ScalarChart* c = d.chartForTag("summary/lr");
    QVERIFY(c);
    const QPoint at = c->titleRect().center();
    QTest::mousePress(c, Qt::LeftButton, {}, at);
    QTest::mouseRelease(c, Qt::LeftButton, {}, at);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("summary/lr"));
}

void ScalarsTest::dashboardHoverShowsEveryRun()
{
    ScalarsDashboard d;
    showDashboard(d);
    d.applyBatch(twoRunsThreeTags());
    d.setSmoothing(0);
    d.refreshNow();
    ScalarChart* c = d.chartForTag("summary/loss");
    const QString text = c->hoverTextAt(100.2);
    QVERIFY(!text.isEmpty());
    const QStringList lines = c->hoverText().split('\n');
    QCOMPARE(lines.size(), 2);
    // Nearest point is step 100; values are sin(1) + len(run).
    QCOMPARE(lines[0], QStringLiteral("adam: %1 at step 100").arg(double(float(std::sin(1.0) + 4)), 0, 'g', 6));
    QVERIFY(lines[1].startsWith("sgd: "));
    d.setSmoothing(0.6);
    d.refreshNow();
    c->hoverTextAt(100);
    QVERIFY(c->hoverText().contains("(raw "));
}

void ScalarsTest::dashboardLinksXAcrossCharts()
{
    ScalarsDashboard d;
    showDashboard(d);
    d.applyBatch(twoRunsThreeTags());
    d.refreshNow();
    ScalarChart* a = d.chartForTag("summary/loss");
    ScalarChart* b = d.chartForTag("summary/lr");
    a->xAxis->setRange(20, 80); // as a user zoom would
    QCOMPARE(b->xAxis->range().lower, 20.0);
    QCOMPARE(b->xAxis->range().upper, 80.0);
    QVERIFY(!b->autoX());
    d.setLinkX(false);
    a->xAxis->setRange(30, 40);
    QCOMPARE(b->xAxis->range().lower, 20.0);
    a->resetView();
    a->replot();
    QVERIFY(a->autoX());
    QVERIFY(a->xAxis->range().upper >= 199);
}

void ScalarsTest::dashboardGroupsRunsIntoMeanAndBand()
{
    ScalarsDashboard d;
    showDashboard(d);
    WatchBatch b;
    for (const char* run : {"adam_seed1", "adam_seed2", "sgd_seed1", "sgd_seed2", "sgd_seed3"})
        b.scalars.push_back(seriesBatch(run, "loss", 0, 500));
    d.applyBatch(b);
    d.setRunGrouping(true);
    d.refreshNow();
    ScalarChart* c = d.chartForTag("loss");
    QCOMPARE(c->shownCurves(), (QStringList{"adam", "sgd"}));
    c->hoverTextAt(10);
    QVERIFY(c->hoverText().contains("adam (2 runs)"));
    QVERIFY(c->hoverText().contains("sgd (3 runs)"));
    d.setBandMode(BandMode::StdDev);
    d.refreshNow();
    c->hoverTextAt(10);
    QVERIFY(c->hoverText().contains("std"));
    d.setRunGrouping(true, "(.*)_seed\\d");
    d.refreshNow();
    QCOMPARE(c->shownCurves(), (QStringList{"adam", "sgd"}));
    d.setRunGrouping(false);
    d.refreshNow();
    QCOMPARE(c->shownCurves().size(), 5);
}

void ScalarsTest::dashboardStaysVirtualWithThousandTags()
{
    ScalarsDashboard d;
    showDashboard(d, QSize(1200, 800));
    WatchBatch b;
    for (int t = 0; t < 1000; ++t)
        b.scalars.push_back(seriesBatch("run", "layer" + std::to_string(t / 50) + "/metric" + std::to_string(t), 0, 100));
    d.applyBatch(b);
    d.refreshNow();
    QCOMPARE(d.visibleTags().size(), 1000);
    QCOMPARE(d.sections().size(), 20);
    // Natural order: layer2 before layer10.
    QCOMPARE(d.sections()[2], QStringLiteral("layer2"));
    const int widgets = d.grid()->chartWidgetCount();
    QVERIFY2(widgets > 0 && widgets <= 24, qPrintable(QString::number(widgets)));
    // Scrolling far down binds the charts there and reuses widgets.
    ScalarChart* far = d.scrollToTag("layer19/metric999");
    QVERIFY(far);
    QCOMPARE(far->tag(), QStringLiteral("layer19/metric999"));
    QVERIFY(far->drawnPoints() > 0);
    QVERIFY(!d.chartForTag("layer0/metric0"));
    QVERIFY(d.grid()->chartWidgetCount() <= 24);
    // Collapsing a section removes its cards.
    d.grid()->setCollapsed("layer19", true);
    QVERIFY(!d.chartForTag("layer19/metric999"));
}

void ScalarsTest::dashboardExportsImages()
{
    ScalarsDashboard d;
    showDashboard(d);
    d.applyBatch(twoRunsThreeTags());
    QTemporaryDir dir;
    const QString png = dir.filePath("loss.png"), svg = dir.filePath("loss.svg");
    QVERIFY(d.exportPng("summary/loss", png, 600, 380));
    QVERIFY(d.exportSvg("summary/loss", svg, 600, 380));
    QImage img(png);
    QCOMPARE(img.size(), QSize(1200, 760)); // 2x for crisp slides
    QFile f(svg);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray text = f.readAll();
    QVERIFY(text.contains("<svg"));
    QVERIFY(text.contains("summary/loss"));
    // A tag scrolled out of view still exports.
    d.setTagFilter("accuracy");
    QVERIFY(d.exportPng("summary/loss", png, 300, 200));
}

void ScalarsTest::dashboardReadsRealEventFile()
{
    // 31,444 points in 4 tags of 7,861 steps each (testdata SOURCES.md).
    const QString dir = QStringLiteral(SCOPEVIZ_TESTDATA) + "/events/tf1-keras-breakout-dqn-31k-scalars";
    LogdirWatcher watcher(dir.toStdString());
    ScalarsDashboard d;
    showDashboard(d);
    d.applyBatch(watcher.poll());
    d.refreshNow();
    QCOMPARE(d.store().pointCount(), std::size_t(31444));
    QCOMPARE(d.visibleTags().size(), 4);
    // Four one-tag prefixes share one section rather than taking a row each.
    QCOMPARE(d.sections(), QStringList{QString()});
    QCOMPARE(d.tagsInSection(QString()), (QStringList{"Average_Loss/Episode", "Average_Max_Q/Episode",
                                                      "Duration/Episode", "Total_Reward/Episode"}));
    ScalarChart* c = d.scrollToTag("Total_Reward/Episode");
    QVERIFY(c);
    QVERIFY(c->drawnPoints() > 0);
    QTemporaryDir tmp;
    QVERIFY(d.exportCsv("Total_Reward/Episode", tmp.filePath("r.csv")));
    const QStringList lines = readLines(tmp.filePath("r.csv"));
    QCOMPARE(lines.size(), 1 + 7861);
    QVERIFY(lines[1].startsWith(".,Total_Reward/Episode,319,"));
    QVERIFY(lines.last().startsWith(".,Total_Reward/Episode,8179,"));
}

// ---------------------------------------------------------------------------
// feed

void ScalarsTest::mergeKeepsPurgeSemantics()
{
    PendingBatches pending;
    WatchBatch first;
    first.scalars.push_back(seriesBatch("a", "loss", 90, 11)); // 90..100, not yet delivered
    first.scalars.push_back(seriesBatch("b", "loss", 90, 11)); // another run: kept
    pending.add(std::move(first));
    WatchBatch next;
    RunEvent purge = runEvent(RunEvent::Kind::Purge, "a");
    purge.step = 50;
    next.events.push_back(purge);
    next.scalars.push_back(seriesBatch("a", "loss", 50, 5));
    pending.add(std::move(next));
    QCOMPARE(pending.items(), std::size_t(5 + 11)); // a's 90..100 dropped, 50..54 kept
    const WatchBatch out = pending.take(1000);
    QVERIFY(pending.empty());
    QCOMPARE(out.scalars.size(), std::size_t(2)); // the emptied series is gone
    QCOMPARE(out.scalars[0].run, std::string("b"));
    QCOMPARE(out.scalars[1].points.size(), std::size_t(5));
    QCOMPARE(out.scalars[1].points.front().step, int64_t(50));
    QCOMPARE(out.events.size(), std::size_t(1));
    ScalarStore store;
    store.append("a", "loss", seriesBatch("a", "loss", 0, 90).points.data(), 90);
    store.apply(out);
    QCOMPARE(store.pointCount(), std::size_t(55 + 11));
}

void ScalarsTest::feedReportsAnyExceptionAndKeepsPolling()
{
    // A source that throws a std::exception, then something that is not one, then
    // delivers: both failures are reported and the worker thread keeps going.
    struct ThrowingSource : ScalarSource {
        std::atomic<int> calls{0};
        WatchBatch poll() override
        {
            const int n = calls++;
            if (n == 0)
                throw std::runtime_error("the disk went away");
            if (n == 1)
                throw 42;
            WatchBatch b;
            if (n == 2)
                b.scalars.push_back(seriesBatch("live", "loss", 0, 10));
            return b;
        }
    };
    ScalarFeed feed(std::make_unique<ThrowingSource>());
    feed.setFallbackInterval(20);
    QSignalSpy failures(&feed, &ScalarFeed::sourceFailed);
    QSignalSpy batches(&feed, &ScalarFeed::batchReady);
    feed.start();
    QTRY_COMPARE_WITH_TIMEOUT(batches.count(), 1, 5000);
    QCOMPARE(failures.count(), 2);
    QVERIFY(failures.at(0).at(0).toString().contains("the disk went away"));
    QVERIFY(failures.at(1).at(0).toString().contains("unknown error"));
}

void ScalarsTest::feedDeliversBatchesToDashboard()
{
    auto source = std::make_unique<FakeSource>();
    FakeSource* fake = source.get();
    for (int i = 0; i < 10; ++i) {
        WatchBatch b;
        b.scalars.push_back(seriesBatch("live", "loss", i * 100, 100));
        fake->push(std::move(b));
    }
    ScalarFeed feed(std::move(source));
    feed.setFallbackInterval(50);
    ScalarsDashboard d;
    showDashboard(d);
    d.setFeed(&feed);
    QSignalSpy spy(&feed, &ScalarFeed::batchReady);
    feed.start();
    QTRY_COMPARE_WITH_TIMEOUT(d.store().pointCount(), std::size_t(1000), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(d.chartForTag("loss") != nullptr, 5000);
    QVERIFY(spy.count() >= 1);
    QVERIFY(spy.count() < 10); // coalesced
    // More data later reaches the chart too.
    WatchBatch late;
    late.scalars.push_back(seriesBatch("live", "loss", 1000, 500));
    fake->push(std::move(late));
    QTRY_COMPARE_WITH_TIMEOUT(d.store().pointCount(), std::size_t(1500), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(d.chartForTag("loss")->xAxis->range().upper >= 1499, 5000);
    feed.stop();
    QVERIFY(!feed.isRunning());
}

void ScalarsTest::feedFollowsLiveEventFile()
{
    // End to end: an event file being written, the real LogdirWatcher, the feed, the dashboard.
    QTemporaryDir logdir;
    QVERIFY(logdir.isValid());
    const std::string runDir = logdir.filePath("run1").toStdString();
    EventWriter writer(runDir);
    writer.setFlushSecs(0);
    for (int i = 0; i < 100; ++i)
        writer.addScalar("train/loss", 1.0 / (i + 1), i);
    QVERIFY(writer.flush().ok());
    ScalarFeed feed(std::make_unique<ScalarSourceAdapter<LogdirWatcher>>(logdir.path().toStdString()), logdir.path());
    feed.setFallbackInterval(3000); // appends below must be noticed by the file watch, long before this
    ScalarsDashboard d;
    showDashboard(d);
    d.setFeed(&feed);
    feed.start();
    QTRY_COMPARE_WITH_TIMEOUT(d.store().pointCount(), std::size_t(100), 5000);
    for (int i = 100; i < 150; ++i)
        writer.addScalar("train/loss", 1.0 / (i + 1), i);
    QVERIFY(writer.flush().ok());
    QTRY_COMPARE_WITH_TIMEOUT(d.store().pointCount(), std::size_t(150), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(d.chartForTag("train/loss") != nullptr, 5000);
    QCOMPARE(d.runModel()->data(d.runModel()->index(0), Qt::DisplayRole).toString(), QStringLiteral("run1"));
    QVERIFY(writer.close().ok());
    feed.stop();
}

// ---------------------------------------------------------------------------
// real event files and bad input, through the path the GUI uses:
// event file on disk -> LogdirWatcher -> ScalarFeed (worker thread) -> ScalarsDashboard -> export

namespace {

/// What MainWindow::followLogdir builds: a dashboard fed by a ScalarFeed over a LogdirWatcher.
struct LiveDashboard {
    explicit LiveDashboard(const QString& logdir, int fallbackMs = 250)
        : feed(std::make_unique<ScalarSourceAdapter<LogdirWatcher>>(logdir.toStdString()), logdir)
    {
        feed.setFallbackInterval(fallbackMs);
        dashboard.setFeed(&feed);
        showDashboard(dashboard);
        feed.start();
    }
    ~LiveDashboard() { feed.stop(); }

    ScalarFeed feed;
    ScalarsDashboard dashboard;
};

QString testdataEvents(const QString& folder)
{
    return QStringLiteral(SCOPEVIZ_TESTDATA) + QStringLiteral("/events/") + folder;
}

/// Tag -> number of points of one run, as the dashboard holds them.
std::map<std::string, int> pointsPerTag(const ScalarStore& store, const std::string& run)
{
    std::map<std::string, int> out;
    const int r = store.findRun(run);
    for (int id = 0; id < store.seriesCount(); ++id)
        if (store.seriesRun(id) == r)
            out[store.tag(store.seriesTag(id))] = int(store.series(id).size());
    return out;
}

/// The points of (run, tag), or nullptr.
const ScalarSeries* findSeries(const ScalarStore& store, const std::string& run, const std::string& tag)
{
    const int r = store.findRun(run), t = store.findTag(tag);
    const int id = r < 0 || t < 0 ? -1 : store.findSeries(r, t);
    return id < 0 ? nullptr : &store.series(id);
}

/// Exports every tag of the dashboard as CSV and counts the rows per tag (empty map on failure).
std::map<std::string, int> exportedRowsPerTag(ScalarsDashboard& d, const QString& dir)
{
    std::map<std::string, int> rows;
    const QString path = dir + QStringLiteral("/export.csv");
    for (const QString& tag : d.visibleTags()) {
        if (!d.exportCsv(tag, path))
            return {};
        const QStringList lines = readLines(path);
        if (lines.isEmpty() || lines[0] != QStringLiteral("run,tag,step,wall_time,value"))
            return {};
        for (qsizetype i = 1; i < lines.size(); ++i)
            ++rows[lines[i].split(QLatin1Char(',')).value(1).toStdString()];
    }
    return rows;
}

/// The run list's text for `role` of the run named `run`.
QString runRole(ScalarsDashboard& d, const std::string& run, int role)
{
    d.refreshNow();
    const int r = d.store().findRun(run);
    return r < 0 ? QString() : d.runModel()->data(d.runModel()->index(r), role).toString();
}

QByteArray fileBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeBytes(const QString& path, const QByteArray& bytes, bool append = false)
{
    QFile f(path);
    if (!f.open(append ? QIODevice::Append : QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(bytes) == bytes.size();
}

/// The framed records of an event file's bytes (whole records only; checksums not checked).
std::vector<QByteArray> framedRecords(const QByteArray& bytes)
{
    std::vector<QByteArray> out;
    qsizetype at = 0;
    while (at + qsizetype(kRecordHeaderSize) <= bytes.size()) {
        uint64_t length = 0;
        std::memcpy(&length, bytes.constData() + at, sizeof length);
        const qsizetype size = qsizetype(kRecordHeaderSize + length + kRecordFooterSize);
        if (at + size > bytes.size())
            break;
        out.push_back(bytes.mid(at, size));
        at += size;
    }
    return out;
}

/// Writes `count` points of "loss" (step i, value value(i)) into a new event file in `runDir`; returns its path.
template <class Value>
std::string writeRunFile(const QString& runDir, int count, Value&& value)
{
    EventWriter w(runDir.toStdString());
    for (int i = 0; i < count; ++i)
        w.addScalar("loss", value(i), i);
    return w.close().ok() ? w.filePath() : std::string();
}

/// The records (file_version first) of an event file that `fill` writes through an EventWriter.
template <class Fill>
std::vector<QByteArray> recordsWrittenBy(Fill&& fill)
{
    QTemporaryDir scratch;
    EventWriter w(scratch.path().toStdString());
    fill(w);
    if (!w.close().ok())
        return {};
    return framedRecords(fileBytes(QString::fromStdString(w.filePath())));
}

QByteArray joined(const std::vector<QByteArray>& records, std::size_t from = 0)
{
    QByteArray out;
    for (std::size_t i = from; i < records.size(); ++i)
        out += records[i];
    return out;
}

/// True when a visible label of the dashboard contains `text` (the log-directory banner).
bool showsLabel(const ScalarsDashboard& d, const QString& text)
{
    for (const QLabel* l : d.findChildren<QLabel*>())
        if (l->isVisible() && l->text().contains(text))
            return true;
    return false;
}

} // namespace

void ScalarsTest::realEventFileThroughFeed_data()
{
    // Tags and point counts from tests/data/events/SOURCES.md. `exact`: the listed tags are all
    // of them; otherwise SOURCES.md names only some (the GAN file: 747 simple_values over 47 tags,
    // i.e. its 51 tags less 3 histogram tags and the custom_scalars string tensor).
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QStringList>("tags");
    QTest::addColumn<QList<int>>("counts");
    QTest::addColumn<bool>("exact");
    QTest::addColumn<int>("tagCount");
    QTest::addColumn<int>("total");
    const int n = 7861;
    QTest::newRow("tf1-estimator") << "tf1-estimator-tensorboard-functionaltest"
                                   << QStringList{"loss", "global_step/sec"} << QList<int>{30, 28} << true << 2 << 58;
    QTest::newRow("tf1-keras-dqn") << "tf1-keras-breakout-dqn-31k-scalars"
                                   << QStringList{"Total_Reward/Episode", "Average_Max_Q/Episode", "Duration/Episode",
                                                  "Average_Loss/Episode"}
                                   << QList<int>{n, n, n, n} << true << 4 << 31444;
    QTest::newRow("tf2-keras-tensors") << "tf2-keras-tensor-scalars-graph"
                                       << QStringList{"epoch_loss", "epoch_Euclidean", "epoch_cosine_similarity"}
                                       << QList<int>{1000, 1000, 1000} << true << 3 << 3000;
    QTest::newRow("gan-custom-scalars") << "python-writer-gan-custom-scalars-histos" << QStringList{"D/loss", "dice"}
                                        << QList<int>{31, 12} << false << 47 << 747;
    QTest::newRow("catboost") << "catboost-cpp-writer" << QStringList{"MultiClass"} << QList<int>{10} << true << 1 << 10;
    // Files without scalars: a run appears, no tag does (images, histograms, graphs are not scalars).
    for (const char* folder : {"tf0.12-graph-truncated-last-record", "tf1-graph-only-while-loops", "tf2-profile-empty",
                               "pytorch-summarywriter-graph-image", "tensorboardx-histograms",
                               "tensorboardx-2018-onnx-graph-no-file-version"})
        QTest::newRow(folder) << folder << QStringList{} << QList<int>{} << true << 0 << 0;
}

void ScalarsTest::realEventFileThroughFeed()
{
    QFETCH(QString, folder);
    QFETCH(QStringList, tags);
    QFETCH(QList<int>, counts);
    QFETCH(bool, exact);
    QFETCH(int, tagCount);
    QFETCH(int, total);
    LiveDashboard live(testdataEvents(folder));
    ScalarsDashboard& d = live.dashboard;
    // The first poll reads every complete record and announces the run in the same batch.
    QTRY_COMPARE_WITH_TIMEOUT(d.store().runCount(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(int(d.store().pointCount()), total, 10000);
    d.refreshNow();
    const ScalarStore& store = d.store();
    QCOMPARE(store.run(0).name, std::string("."));
    // The run at the top of the opened directory is named after the directory, never ".".
    QCOMPARE(d.runModel()->data(d.runModel()->index(0), Qt::DisplayRole).toString(), folder);
    const std::map<std::string, int> perTag = pointsPerTag(store, ".");
    QCOMPARE(store.tagCount(), tagCount);
    QCOMPARE(int(perTag.size()), tagCount);
    for (qsizetype i = 0; i < tags.size(); ++i) {
        const auto it = perTag.find(tags[i].toStdString());
        QVERIFY2(it != perTag.end(), qPrintable(tags[i]));
        QCOMPARE(it->second, counts[i]);
    }
    if (exact)
        QCOMPARE(int(perTag.size()), int(tags.size()));
    // One chart per tag, and the CSV export holds every point of every tag.
    QCOMPARE(int(d.visibleTags().size()), tagCount);
    QTemporaryDir tmp;
    const std::map<std::string, int> rows = exportedRowsPerTag(d, tmp.path());
    QVERIFY(rows == perTag);
    if (!perTag.empty()) { // the run column of the export is named after the directory too
        const QStringList exported = readLines(tmp.filePath(QStringLiteral("export.csv")));
        QVERIFY(exported.size() > 1);
        QVERIFY2(exported[1].startsWith(folder + QLatin1Char(',')), qPrintable(exported[1]));
    }
    // No file problem is shown for any of them: the TF 0.12 file's cut last record is "not yet", not an error.
    QVERIFY(!store.run(0).hasError);
    QVERIFY(!store.run(0).hasWarning);
    QCOMPARE(runRole(d, ".", RunErrorRole), QString());
    QCOMPARE(runRole(d, ".", RunWarningRole), QString());
}

void ScalarsTest::realLogdirOfAllFilesThroughFeed()
{
    // The whole events folder as one log directory: 13 runs, every scalar of SOURCES.md.
    LiveDashboard live(QStringLiteral(SCOPEVIZ_TESTDATA) + QStringLiteral("/events"));
    ScalarsDashboard& d = live.dashboard;
    QTRY_COMPARE_WITH_TIMEOUT(d.store().runCount(), 13, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(int(d.store().pointCount()), 58 + 31444 + 3000 + 747 + 10 + 270 + 30, 10000);
    QCOMPARE(d.store().tagCount(), 2 + 4 + 3 + 47 + 1 + 10); // mnist's train and test share their 10 tags
    QCOMPARE(pointsPerTag(d.store(), "tf1-keras-breakout-dqn-31k-scalars").at("Duration/Episode"), 7861);
    for (int r = 0; r < d.store().runCount(); ++r) {
        QVERIFY2(!d.store().run(r).hasError, d.store().run(r).errorMessage.c_str());
        QVERIFY(!d.store().run(r).hasWarning);
    }
}

void ScalarsTest::truncatedTailShowsValidPointsWithoutError()
{
    // What a user sees for a file that ends inside a record (a copy taken while the writer was
    // buffering, or a writer that died): every complete record, and no error marker, because the
    // same bytes are what a healthy file looks like between two writes of its writer. If the rest
    // ever arrives it is read: here, the second half of the DQN file is appended later.
    const QString src = testdataEvents(QStringLiteral("tf1-keras-breakout-dqn-31k-scalars")) +
                        QStringLiteral("/events.out.tfevents.1496968668.young-System-Product-Name");
    const QByteArray all = fileBytes(src);
    const std::vector<QByteArray> records = framedRecords(all);
    QCOMPARE(int(records.size()), 7864);
    qsizetype cut = 0;
    for (std::size_t i = 0; i < 4000; ++i)
        cut += records[i].size();
    cut += records[4000].size() / 2; // inside record 4000
    QTemporaryDir logdir;
    const QString path = logdir.filePath(QFileInfo(src).fileName());
    QVERIFY(writeBytes(path, all.left(cut)));
    const int expected = int(EventReader(path.toStdString()).poll().scalars.size());
    QVERIFY(expected > 0 && expected < 31444);

    LiveDashboard live(logdir.path());
    ScalarsDashboard& d = live.dashboard;
    QTRY_COMPARE_WITH_TIMEOUT(int(d.store().pointCount()), expected, 10000);
    QCOMPARE(runRole(d, ".", RunErrorRole), QString());
    QCOMPARE(runRole(d, ".", RunWarningRole), QString());
    QVERIFY(d.chartForTag(QStringLiteral("Average_Loss/Episode")));

    QVERIFY(writeBytes(path, all.mid(cut), true));
    QTRY_COMPARE_WITH_TIMEOUT(int(d.store().pointCount()), 31444, 10000);
    QCOMPARE(runRole(d, ".", RunErrorRole), QString());
    QCOMPARE(runRole(d, ".", RunWarningRole), QString());
    QTemporaryDir tmp;
    const std::map<std::string, int> rows = exportedRowsPerTag(d, tmp.path());
    QCOMPARE(int(rows.size()), 4);
    for (const auto& [tag, count] : rows)
        QCOMPARE(count, 7861);
}

void ScalarsTest::feedKeepsPointsWhenLogdirDeletedAndPicksUpRecreatedDir()
{
    QTemporaryDir parent;
    const QString logdir = parent.filePath(QStringLiteral("project/logs"));
    const QString run1 = QDir(logdir).filePath(QStringLiteral("run1"));
    QVERIFY(!writeRunFile(run1, 50, [](int) { return 1.0; }).empty());
    // No fallback poll within the test: the file system watch alone must notice deletion and re-creation.
    LiveDashboard live(logdir, 600000);
    ScalarsDashboard& d = live.dashboard;
    QTRY_COMPARE_WITH_TIMEOUT(int(d.store().pointCount()), 50, 10000);

    QVERIFY(QDir(parent.filePath(QStringLiteral("project"))).removeRecursively()); // two levels gone
    QTRY_VERIFY_WITH_TIMEOUT(d.store().logdirMissing(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(d.runModel()->data(d.runModel()->index(0), RunRemovedRole).toBool(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(showsLabel(d, QStringLiteral("does not exist")), 10000);
    QCOMPARE(int(d.store().pointCount()), 50); // kept, and still drawn
    QTRY_VERIFY_WITH_TIMEOUT(d.chartForTag(QStringLiteral("loss")), 10000);
    QCOMPARE(d.chartForTag(QStringLiteral("loss"))->shownCurves(), QStringList{"run1"});

    // Created again (a new training job): its runs are read from the start.
    QVERIFY(!writeRunFile(run1, 20, [](int) { return 2.0; }).empty());
    QVERIFY(!writeRunFile(QDir(logdir).filePath(QStringLiteral("run2")), 10, [](int) { return 3.0; }).empty());
    QTRY_VERIFY_WITH_TIMEOUT(!d.store().logdirMissing(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(d.store().runCount(), 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(int(d.store().pointCount()), 30, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!showsLabel(d, QStringLiteral("does not exist")), 10000);
    QVERIFY(!d.runModel()->data(d.runModel()->index(0), RunRemovedRole).toBool());
    const ScalarSeries* s = findSeries(d.store(), "run1", "loss");
    QVERIFY(s);
    QCOMPARE(s->size(), std::size_t(20));
    QCOMPARE(s->value(0), 2.0);
    QTRY_COMPARE_WITH_TIMEOUT(d.chartForTag(QStringLiteral("loss"))->shownCurves(), (QStringList{"run1", "run2"}), 10000);
}

void ScalarsTest::feedMarksTruncatedFileAndKeepsEarlierPoints()
{
    QTemporaryDir logdir;
    const std::string file = writeRunFile(logdir.filePath(QStringLiteral("run")), 100, [](int i) { return 0.5 * i; });
    QVERIFY(!file.empty());
    LiveDashboard live(logdir.path());
    ScalarsDashboard& d = live.dashboard;
    QTRY_COMPARE_WITH_TIMEOUT(int(d.store().pointCount()), 100, 10000);

    // Cut in place (same inode) inside record 41: the version record and steps 0..39 remain whole.
    const QString path = QString::fromStdString(file);
    const std::vector<QByteArray> records = framedRecords(fileBytes(path));
    QCOMPARE(int(records.size()), 101);
    qsizetype cut = 5;
    for (std::size_t i = 0; i <= 40; ++i)
        cut += records[i].size();
    QVERIFY(QFile::resize(path, cut));

    QTRY_VERIFY_WITH_TIMEOUT(!runRole(d, "run", RunWarningRole).isEmpty(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(int(d.store().pointCount()), 40, 10000);
    const QString warning = runRole(d, "run", RunWarningRole);
    QVERIFY2(warning.contains(path) && warning.contains(QStringLiteral("truncated")), qPrintable(warning));
    QVERIFY(runRole(d, "run", Qt::ToolTipRole).contains(QStringLiteral("file changed")));
    QCOMPARE(runRole(d, "run", RunErrorRole), QString());
    const ScalarSeries* s = findSeries(d.store(), "run", "loss");
    QVERIFY(s);
    for (std::size_t i = 0; i < s->size(); ++i) {
        QCOMPARE(s->step(i), int64_t(i));
        QCOMPARE(s->value(i), 0.5 * double(i));
    }
    // The chart follows: the curve now ends at step 39.
    QTRY_VERIFY_WITH_TIMEOUT(d.chartForTag(QStringLiteral("loss")) &&
                                 d.chartForTag(QStringLiteral("loss"))->xAxis->range().upper < 45,
                             10000);
}

void ScalarsTest::feedMarksReplacedFile()
{
    QTemporaryDir logdir;
    const std::string file = writeRunFile(logdir.filePath(QStringLiteral("run")), 100, [](int) { return 1.0; });
    QVERIFY(!file.empty());
    LiveDashboard live(logdir.path(), 600000); // the file system watch alone must follow the new file
    ScalarsDashboard& d = live.dashboard;
    QTRY_COMPARE_WITH_TIMEOUT(int(d.store().pointCount()), 100, 10000);

    // A new file (new inode) renamed over the old one, as sync tools do.
    const std::vector<QByteArray> fresh = recordsWrittenBy([](EventWriter& w) {
        for (int i = 0; i < 30; ++i)
            w.addScalar("loss", 7.0, i);
    });
    QCOMPARE(int(fresh.size()), 31);
    QTemporaryDir scratch;
    QVERIFY(writeBytes(scratch.filePath(QStringLiteral("new")), joined(fresh)));
    std::error_code ec;
    std::filesystem::rename(scratch.filePath(QStringLiteral("new")).toStdString(), file, ec);
    QVERIFY2(!ec, ec.message().c_str());

    QTRY_COMPARE_WITH_TIMEOUT(int(d.store().pointCount()), 30, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(runRole(d, "run", RunWarningRole).contains(QString::fromStdString(file)), 10000);
    QCOMPARE(runRole(d, "run", RunErrorRole), QString());
    QCOMPARE(findSeries(d.store(), "run", "loss")->value(29), 7.0);
    // Appends to the new file are followed.
    QVERIFY(writeBytes(QString::fromStdString(file),
                       recordsWrittenBy([](EventWriter& w) { w.addScalar("loss", 8.0, 30); }).at(1), true));
    QTRY_COMPARE_WITH_TIMEOUT(int(findSeries(d.store(), "run", "loss")->size()), 31, 10000);
}

void ScalarsTest::feedMarksCorruptRecordWithFileAndOffset()
{
    QTemporaryDir logdir;
    const QString path =
        QString::fromStdString(writeRunFile(logdir.filePath(QStringLiteral("run")), 50, [](int) { return 1.0; }));
    QVERIFY(!path.isEmpty());
    LiveDashboard live(logdir.path());
    ScalarsDashboard& d = live.dashboard;
    QTRY_COMPARE_WITH_TIMEOUT(int(d.store().pointCount()), 50, 10000);

    // Step 50 with one payload bit flipped (its data CRC no longer matches), then a valid step 51.
    const std::vector<QByteArray> extra = recordsWrittenBy([](EventWriter& w) {
        w.addScalar("loss", 9.0, 50);
        w.addScalar("loss", 9.0, 51);
    });
    QCOMPARE(int(extra.size()), 3);
    QByteArray bad = extra[1];
    bad[bad.size() - 6] = char(bad[bad.size() - 6] ^ 0x20);
    const qint64 offset = QFileInfo(path).size();
    QVERIFY(writeBytes(path, bad + extra[2], true));

    QTRY_VERIFY_WITH_TIMEOUT(!runRole(d, "run", RunErrorRole).isEmpty(), 10000);
    const QString error = runRole(d, "run", RunErrorRole);
    QVERIFY2(error.contains(path) && error.contains(QString::number(offset)), qPrintable(error));
    QVERIFY(runRole(d, "run", Qt::ToolTipRole).contains(QString::number(offset)));
    // A later poll (it finds run2) still has not read past the bad record; earlier points stay drawn.
    QVERIFY(!writeRunFile(logdir.filePath(QStringLiteral("run2")), 1, [](int) { return 1.0; }).empty());
    QTRY_COMPARE_WITH_TIMEOUT(d.store().runCount(), 2, 10000);
    QCOMPARE(int(findSeries(d.store(), "run", "loss")->size()), 50);
    d.refreshNow();
    ScalarChart* c = d.chartForTag(QStringLiteral("loss"));
    QVERIFY(c);
    QVERIFY(c->shownCurves().contains(QStringLiteral("run")));
    c->hoverTextAt(10);
    QVERIFY(c->hoverText().contains(QStringLiteral("[file error]")));
}

void ScalarsTest::feedPurgesOnSessionRestart()
{
    // file_version 2 (every EventWriter file): a SessionLog START at step S drops points with step >= S
    // (TensorBoard's purge_orphaned_data, docs/formats.md §7), of every tag.
    QTemporaryDir logdir;
    EventWriter w(logdir.filePath(QStringLiteral("run")).toStdString());
    w.setFlushSecs(0);
    for (int i = 0; i < 100; ++i) {
        w.addScalar("loss", 1.0, i);
        w.addScalar("acc", 0.5, i);
    }
    QVERIFY(w.flush().ok());
    LiveDashboard live(logdir.path());
    ScalarsDashboard& d = live.dashboard;
    QTRY_COMPARE_WITH_TIMEOUT(int(d.store().pointCount()), 200, 10000);

    // The job restarts from its step-50 checkpoint.
    w.addSessionLog(SessionStatus::Start, 50);
    for (int i = 50; i < 80; ++i)
        w.addScalar("loss", 2.0, i);
    QVERIFY(w.flush().ok());
    QTRY_COMPARE_WITH_TIMEOUT(int(d.store().pointCount()), 80 + 50, 10000);
    const ScalarSeries* loss = findSeries(d.store(), "run", "loss");
    QCOMPARE(loss->size(), std::size_t(80));
    for (std::size_t i = 0; i < loss->size(); ++i) {
        QCOMPARE(loss->step(i), int64_t(i));
        QCOMPARE(loss->value(i), i < 50 ? 1.0 : 2.0);
    }
    QCOMPARE(findSeries(d.store(), "run", "acc")->size(), std::size_t(50));
    QTRY_VERIFY_WITH_TIMEOUT(runRole(d, "run", Qt::ToolTipRole).contains(QStringLiteral("restarted at step 50")), 10000);
    QCOMPARE(runRole(d, "run", RunErrorRole), QString());
    QVERIFY(w.close().ok());
}

void ScalarsTest::feedPurgesWhenStepsGoBackwardsWithoutFileVersion()
{
    // No file_version record (CatBoost, tensorboardX 1.x): a step lower than the previous one is a
    // restart for the tags of that event; a repeated step is not.
    const std::vector<QByteArray> first = recordsWrittenBy([](EventWriter& w) {
        for (int i = 0; i < 100; ++i) {
            w.addScalar("loss", 1.0, i);
            w.addScalar("acc", 1.0, i);
        }
    });
    QCOMPARE(int(first.size()), 201);
    QTemporaryDir logdir;
    const QString path = logdir.filePath(QStringLiteral("events.out.tfevents.1700000000.noversion"));
    QVERIFY(writeBytes(path, joined(first, 1))); // without the version record
    LiveDashboard live(logdir.path());
    ScalarsDashboard& d = live.dashboard;
    QTRY_COMPARE_WITH_TIMEOUT(int(d.store().pointCount()), 200, 10000);

    const std::vector<QByteArray> again = recordsWrittenBy([](EventWriter& w) {
        for (int i = 50; i < 60; ++i)
            w.addScalar("loss", 2.0, i);
        w.addScalar("loss", 3.0, 59); // a repeat: kept
    });
    QVERIFY(writeBytes(path, joined(again, 1), true));
    QTRY_COMPARE_WITH_TIMEOUT(int(findSeries(d.store(), ".", "loss")->size()), 61, 10000);
    const ScalarSeries* loss = findSeries(d.store(), ".", "loss");
    QCOMPARE(loss->value(49), 1.0);
    QCOMPARE(loss->value(50), 2.0);
    QCOMPARE(loss->step(60), int64_t(59));
    QCOMPARE(loss->value(60), 3.0);
    QCOMPARE(findSeries(d.store(), ".", "acc")->size(), std::size_t(100));
    QTRY_VERIFY_WITH_TIMEOUT(runRole(d, ".", Qt::ToolTipRole).contains(QStringLiteral("goes backwards")), 10000);
}

void ScalarsTest::feedKeepsDuplicateSteps()
{
    QTemporaryDir logdir;
    {
        EventWriter w(logdir.filePath(QStringLiteral("run")).toStdString());
        for (int i = 0; i < 10; ++i)
            w.addScalar("loss", double(i), i);
        // Several threads logging the same step (docs/formats.md §7); in a version-2 file not a restart.
        w.addScalar("loss", 100.0, 5);
        w.addScalar("loss", 200.0, 5);
        QVERIFY(w.close().ok());
    }
    LiveDashboard live(logdir.path());
    ScalarsDashboard& d = live.dashboard;
    QTRY_COMPARE_WITH_TIMEOUT(int(d.store().pointCount()), 12, 10000);
    const ScalarSeries* s = findSeries(d.store(), "run", "loss");
    QCOMPARE(s->step(5), int64_t(5));
    QCOMPARE(s->step(7), int64_t(5));
    QCOMPARE(s->value(5), 5.0); // arrival order among equal steps
    QCOMPARE(s->value(6), 100.0);
    QCOMPARE(s->value(7), 200.0);
    QCOMPARE(s->step(8), int64_t(6));
    QTemporaryDir tmp;
    QVERIFY(d.exportCsv(QStringLiteral("loss"), tmp.filePath(QStringLiteral("loss.csv"))));
    const QStringList lines = readLines(tmp.filePath(QStringLiteral("loss.csv")));
    QCOMPARE(lines.size(), 1 + 12);
    QCOMPARE(lines.filter(QRegularExpression(QStringLiteral("^run,loss,5,"))).size(), 3);
    QCOMPARE(runRole(d, "run", RunErrorRole), QString());
}

void ScalarsTest::feedMarksNaNAndInfValues()
{
    QTemporaryDir logdir;
    QVERIFY(!writeRunFile(logdir.filePath(QStringLiteral("run")), 10, [](int i) {
                 return i == 3 ? NaN : i == 5 ? Inf : i == 7 ? -Inf : double(i);
             }).empty());
    LiveDashboard live(logdir.path());
    ScalarsDashboard& d = live.dashboard;
    QTRY_COMPARE_WITH_TIMEOUT(int(d.store().pointCount()), 10, 10000);
    d.setSmoothing(0);
    d.refreshNow();
    ScalarChart* c = d.chartForTag(QStringLiteral("loss"));
    QVERIFY(c);
    QCOMPARE(c->markerCount(), 3);
    QVERIFY(c->hoverTextAt(3).contains(QStringLiteral("NaN")));
    QVERIFY(c->hoverTextAt(5).contains(QStringLiteral("+Inf")));
    QVERIFY(c->hoverTextAt(7).contains(QStringLiteral("-Inf")));
    // The y range is that of the finite values.
    QVERIFY(std::isfinite(c->yAxis->range().lower) && std::isfinite(c->yAxis->range().upper));
    QVERIFY(c->yAxis->range().upper < 20);
    QTemporaryDir tmp;
    QVERIFY(d.exportCsv(QStringLiteral("loss"), tmp.filePath(QStringLiteral("loss.csv"))));
    const QStringList lines = readLines(tmp.filePath(QStringLiteral("loss.csv")));
    QCOMPARE(lines.size(), 11);
    QVERIFY(lines[4].startsWith(QStringLiteral("run,loss,3,")) && lines[4].endsWith(QStringLiteral(",nan")));
    QVERIFY(lines[6].endsWith(QStringLiteral(",inf")));
    QVERIFY(lines[8].endsWith(QStringLiteral(",-inf")));
}

void ScalarsTest::feedShowsUnreadableDirectoryInBanner()
{
    // A directory the watcher cannot list belongs to no run: it is named in the banner, not
    // listed as a nameless run; the readable runs load as usual.
    QTemporaryDir logdir;
    QVERIFY(!writeRunFile(logdir.filePath(QStringLiteral("run")), 10, [](int) { return 1.0; }).empty());
    std::error_code ec;
    std::filesystem::create_directory_symlink("loop", logdir.filePath(QStringLiteral("loop")).toStdString(), ec);
    QVERIFY2(!ec, ec.message().c_str());
    LiveDashboard live(logdir.path());
    ScalarsDashboard& d = live.dashboard;
    QTRY_COMPARE_WITH_TIMEOUT(int(d.store().pointCount()), 10, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(showsLabel(d, QStringLiteral("cannot be read")), 10000);
    QVERIFY(showsLabel(d, logdir.filePath(QStringLiteral("loop"))));
    QCOMPARE(d.store().runCount(), 1);
    QCOMPARE(d.runModel()->rowCount(), 1);
    QCOMPARE(runRole(d, "run", RunErrorRole), QString());
}

QTEST_MAIN(ScalarsTest)
#include "scalars_test.moc"
