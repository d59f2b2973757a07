#pragma once
// The live feed: polls a log-directory watcher on a worker thread and hands
// batches to the GUI thread.
//
// The watcher (core/summary LogdirWatcher) is Qt-free and has no threads; it
// reads only new bytes on each poll(). The feed decides WHEN to poll: right
// after the file system reports a change (QFileSystemWatcher on the logdir,
// the run directories and their event files, new sub-directories as they
// appear, and the nearest existing ancestor of a logdir that does not exist
// (yet, or any more); a short delay coalesces bursts of inotify events), and
// on a fallback timer (1 s) for everything inotify misses (network file
// systems, deeply nested runs created at once). Polls that return data are
// queued (PendingBatches) and emitted at most every 80 ms, so the
// GUI applies a few batches a second instead of one per record (docs/style.md,
// model/view rule 5); from a writer's flush to the repaint of the chart this keeps the
// latency near 50 ms median, under 100 ms at the 95th percentile
// (scopeviz_bench_scalars, scalars_latency_*). The batch crosses threads as an
// immutable std::shared_ptr<const WatchBatch> through postTo (ui/common/handoff.h).
//
// Big directories (a sweep of 1,000 runs) are loaded in steps sized to the GUI:
// a poll reads at most maxBytesPerPoll (48 MiB, about 0.1 s of reading, shared
// among the runs, which the watcher reads in parallel; the polls in between
// read on only where the limit stopped), an emitted batch carries at most
// maxPointsPerBatch points (what the GUI thread stores in a few ms; the rest
// waits, events always go with the first part), and the worker stops reading
// ahead while more than sixteen batches' worth waits. Meanwhile the feed says
// it is catchingUp(), and the dashboards redraw less often, since every redraw
// competes with reading for the cores. While such a backlog lasts batches
// leave as fast as the GUI takes them (six may be on their way, so the GUI has some to apply while the
// worker is inside a poll); otherwise at most every min-emit interval. On the
// GUI thread the feed emits them one per pass of the event loop, never two back
// to back. The worker runs at nice +2 on Linux (its read threads inherit it), so
// the GUI thread gets a core first. When a big directory (over 200 watched
// paths) is idle, the fallback poll backs off to 4x its interval; file
// notifications still trigger polls at once.
#include "core/summary/scalar_batch.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

class QFileSystemWatcher;
class QTimer;

namespace scopeviz::ui {

/// What a ScalarFeed polls. Called only on the feed's worker thread.
struct ScalarSource {
    virtual ~ScalarSource();
    /// Everything new since the last call (may be empty). Must not block for long.
    virtual WatchBatch poll() = 0;
    /// Asks the source to read at most about `bytes` per poll (0 = no limit); a source may ignore it.
    virtual void setMaxBytesPerPoll(uint64_t bytes);
    /// True when the last poll stopped at that limit with more to read.
    virtual bool hasMore() const;
};

/// Adapts any class with `WatchBatch poll()` (such as LogdirWatcher) to ScalarSource:
/// `std::make_unique<ScalarSourceAdapter<LogdirWatcher>>(path)`.
template <class Watcher>
class ScalarSourceAdapter : public ScalarSource {
public:
    /// Constructs the watcher in place from `args`.
    template <class... Args>
    explicit ScalarSourceAdapter(Args&&... args) : m_watcher(std::forward<Args>(args)...)
    {
    }
    WatchBatch poll() override { return m_watcher.poll(); }
    void setMaxBytesPerPoll(uint64_t bytes) override
    {
        if constexpr (requires { m_watcher.setMaxBytesPerPoll(bytes); })
            m_watcher.setMaxBytesPerPoll(bytes);
    }
    bool hasMore() const override
    {
        if constexpr (requires { m_watcher.hasMore(); })
            return m_watcher.hasMore();
        return false;
    }
    /// The adapted watcher.
    Watcher& watcher() { return m_watcher; }

private:
    Watcher m_watcher;
};

/// An immutable batch shared between threads.
using WatchBatchPtr = std::shared_ptr<const WatchBatch>;

/// What a feed has read and not yet handed to the GUI thread: polls queued in order and taken from the front
/// in bounded parts. Adding costs what is added and taking what is taken, never what is waiting (a sweep
/// keeps tens of thousands of series waiting while the GUI catches up).
class PendingBatches {
public:
    /// Queues what a poll read, keeping the meaning of "events first, then points": a Purge in `batch`
    /// also drops the matching points still waiting. Series are not joined with waiting ones of the same
    /// (run, tag); a part may carry a series more than once, in order.
    void add(WatchBatch&& batch);
    /// Takes the first part: every event and summary row, then scalar points, histograms and media values in
    /// order up to `maxPoints` in all, a histogram weighing more with its buckets (batchWeight; a series may
    /// be split, and the part exceeds `maxPoints` by one histogram at most). Applying the parts in order is
    /// the same as applying the batches added. New kinds of items in WatchBatch are split here.
    WatchBatch take(std::size_t maxPoints);
    /// What is waiting, as watchBatchItems() counts it.
    std::size_t items() const { return m_items; }
    bool empty() const
    {
        return m_events.empty() && m_summaries.empty() && m_scalars.empty() && m_histograms.empty() && m_media.empty();
    }

private:
    std::vector<RunEvent> m_events;
    std::vector<SummaryValueRow> m_summaries;
    std::deque<ScalarSeriesBatch> m_scalars;
    std::deque<HistogramSeriesBatch> m_histograms;
    std::deque<MediaSeriesBatch> m_media;
    std::size_t m_items = 0;
};

/// Scalar points, histograms (weighted by their buckets, batchWeight), media values and summary rows a batch
/// carries: the measure of how long the GUI takes to apply it.
std::size_t watchBatchItems(const WatchBatch& batch);

/// How much a feed hands the GUI thread at once (see the file comment).
struct FeedLimits {
    int fallbackMs = 1000;                  ///< poll at least this often
    int minEmitMs = 80;                     ///< between two batches when there is no backlog
    std::size_t maxPointsPerBatch = 50000; ///< per emitted batch
    uint64_t maxBytesPerPoll = 48u << 20;   ///< asked of the source (see the file comment)
};

namespace detail {

/// The part of ScalarFeed that lives on the worker thread.
class FeedWorker : public QObject {
    Q_OBJECT
public:
    /// Where batches go: `deliver(batch, moreFollows)` runs on `receiver`'s thread (postTo, whose order
    /// ThreadSanitizer sees); `moreFollows` when more was waiting or left to read as the batch left.
    using Deliver = std::function<void(const WatchBatchPtr&, bool)>;

    FeedWorker(std::unique_ptr<ScalarSource> source, QString logdir, const FeedLimits& limits,
               std::shared_ptr<std::atomic<int>> inFlight, QObject* receiver, Deliver deliver);
    ~FeedWorker() override;

    /// Creates timers and watches (on the worker thread) and polls once.
    void begin();
    /// Stops timers (on the worker thread).
    void finish();
    /// Polls soon (coalesced).
    void pollSoon();
    /// The GUI thread took a batch: the next may leave.
    void batchTaken();

signals:
    void failed(const QString& message);

private:
    void beginNow();
    /// Polls the source; poll() runs it guarded.
    void poll();
    void pollNow();
    void emitPending();
    void updateWatches(const std::vector<RunEvent>& events);
    void watchDirectory(const QString& dir, bool withSubdirs);
    /// Appends `dir` and its event files to `out`, those not watched yet.
    void pathsToWatch(const QString& dir, QStringList& out) const;
    void addWatches(const QStringList& paths);
    void forgetIfUnwatched(const QString& path, const QStringList& stillWatched);
    void watchMissingLogdir();

    void scheduleEmit();
    /// More than a batch waits, or the source has more to read.
    bool backlog() const;

    std::unique_ptr<ScalarSource> m_source;
    QString m_logdir;
    FeedLimits m_limits;
    QObject* m_receiver;
    Deliver m_deliver;
    std::shared_ptr<std::atomic<int>> m_inFlight; ///< batches emitted and not yet taken by the GUI thread
    QFileSystemWatcher* m_fs = nullptr;
    QTimer* m_fallback = nullptr;
    QTimer* m_soon = nullptr;
    QTimer* m_emitTimer = nullptr;
    QElapsedTimer m_sinceEmit;
    PendingBatches m_pending;
    bool m_pollDeferred = false; ///< a poll was skipped because the pending batch was full
    QSet<QString> m_watched;
    QString m_ancestor; ///< nearest existing ancestor of a missing logdir, watched for its return
    bool m_stopped = false;
};

} // namespace detail

/// Polls a ScalarSource on a worker thread and emits batches on the GUI thread.
class ScalarFeed : public QObject {
    Q_OBJECT
public:
    /// A feed over `source`; `logdir` (may be empty) is watched for file changes.
    explicit ScalarFeed(std::unique_ptr<ScalarSource> source, const QString& logdir = {}, QObject* parent = nullptr);
    /// Stops the worker thread and waits for it.
    ~ScalarFeed() override;

    /// Fallback poll interval in ms (default 1000); set before start().
    void setFallbackInterval(int ms) { m_limits.fallbackMs = ms; }
    /// Minimum interval between two emitted batches in ms (default 80); set before start().
    void setMinEmitInterval(int ms) { m_limits.minEmitMs = ms; }
    /// Most scalar points one emitted batch carries (default 50,000); set before start().
    void setMaxPointsPerBatch(std::size_t points) { m_limits.maxPointsPerBatch = std::max<std::size_t>(1, points); }
    /// Bytes the source is asked to read per poll at most (default 48 MiB, 0 = no limit); set before start().
    void setMaxBytesPerPoll(uint64_t bytes) { m_limits.maxBytesPerPoll = bytes; }
    /// Starts polling on the worker thread.
    void start();
    /// Stops polling and joins the worker thread (pending data is dropped).
    void stop();
    /// True between start() and stop().
    bool isRunning() const { return m_thread.isRunning(); }
    /// Asks for a poll now (e.g. after the user pressed "reload").
    void pollNow();
    /// The watched log directory.
    const QString& logdir() const { return m_logdir; }
    /// True while the feed is catching up: when the last batch delivered left the worker, more was waiting
    /// or left to read right away (a big directory being opened), or another batch has arrived since. So it
    /// is false while the last batch of a backlog is applied. Consumers may redraw less often meanwhile.
    bool catchingUp() const { return m_catchingUp; }

signals:
    /// New data, on the GUI thread; at most one every min-emit interval.
    void batchReady(const scopeviz::ui::WatchBatchPtr& batch);
    /// poll() threw; the feed keeps polling.
    void sourceFailed(const QString& message);

private:
    /// Emits the oldest batch that arrived from the worker; the next one waits for another pass of the
    /// event loop, so that two batches are never applied back to back.
    void deliverNext();

    std::unique_ptr<ScalarSource> m_source; ///< until start() hands it to the worker
    std::vector<std::pair<WatchBatchPtr, bool>> m_arrived; ///< from the worker, not yet emitted; more follows
    bool m_catchingUp = false; ///< see catchingUp()
    uint64_t m_runs = 0;       ///< start() and stop() calls: batches of an earlier start are dropped
    QTimer* m_deliverTimer = nullptr;       ///< zero-interval: the next pass of the event loop
    QString m_logdir;
    FeedLimits m_limits;
    std::shared_ptr<std::atomic<int>> m_inFlight = std::make_shared<std::atomic<int>>(0);
    QThread m_thread;
    detail::FeedWorker* m_worker = nullptr;
};

} // namespace scopeviz::ui

Q_DECLARE_METATYPE(scopeviz::ui::WatchBatchPtr)
