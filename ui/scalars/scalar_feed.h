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
// merged into one pending batch which is emitted at most every 80 ms, so the
// GUI applies a few batches a second instead of one per record (docs/style.md,
// model/view rule 5); from a writer's flush to the repaint of the chart this keeps the
// latency near 50 ms median, under 100 ms at the 95th percentile
// (scopeviz_bench_scalars, scalars_latency_*). The batch crosses threads as an
// immutable std::shared_ptr<const WatchBatch> through a queued signal.
#include "core/summary/scalar_batch.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSet>
#include <QString>
#include <QThread>

#include <memory>
#include <utility>

class QFileSystemWatcher;
class QTimer;

namespace scopeviz::ui {

/// What a ScalarFeed polls. Called only on the feed's worker thread.
struct ScalarSource {
    virtual ~ScalarSource();
    /// Everything new since the last call (may be empty). Must not block for long.
    virtual WatchBatch poll() = 0;
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
    /// The adapted watcher.
    Watcher& watcher() { return m_watcher; }

private:
    Watcher m_watcher;
};

/// An immutable batch shared between threads.
using WatchBatchPtr = std::shared_ptr<const WatchBatch>;

/// Appends `next` to `into`, keeping the meaning of "events first, then points":
/// a Purge in `next` also drops the matching points still pending in `into`.
void mergeWatchBatch(WatchBatch& into, WatchBatch&& next);

namespace detail {

/// The part of ScalarFeed that lives on the worker thread.
class FeedWorker : public QObject {
    Q_OBJECT
public:
    FeedWorker(std::unique_ptr<ScalarSource> source, QString logdir, int fallbackMs, int minEmitMs);
    ~FeedWorker() override;

    /// Creates timers and watches (on the worker thread) and polls once.
    void begin();
    /// Stops timers (on the worker thread).
    void finish();
    /// Polls soon (coalesced).
    void pollSoon();

signals:
    void batchReady(const scopeviz::ui::WatchBatchPtr& batch);
    void failed(const QString& message);

private:
    void beginNow();
    /// Polls the source; poll() runs it guarded.
    void poll();
    void pollNow();
    void emitPending();
    void updateWatches(const WatchBatch& batch);
    void watchDirectory(const QString& dir, bool withSubdirs);
    void forgetIfUnwatched(const QString& path, const QStringList& stillWatched);
    void watchMissingLogdir();

    std::unique_ptr<ScalarSource> m_source;
    QString m_logdir;
    int m_fallbackMs;
    int m_minEmitMs;
    QFileSystemWatcher* m_fs = nullptr;
    QTimer* m_fallback = nullptr;
    QTimer* m_soon = nullptr;
    QTimer* m_emitTimer = nullptr;
    QElapsedTimer m_sinceEmit;
    WatchBatch m_pending;
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
    void setFallbackInterval(int ms) { m_fallbackMs = ms; }
    /// Minimum interval between two emitted batches in ms (default 80); set before start().
    void setMinEmitInterval(int ms) { m_minEmitMs = ms; }
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

signals:
    /// New data, on the GUI thread; at most one every min-emit interval.
    void batchReady(const scopeviz::ui::WatchBatchPtr& batch);
    /// poll() threw; the feed keeps polling.
    void sourceFailed(const QString& message);

private:
    std::unique_ptr<ScalarSource> m_source; ///< until start() hands it to the worker
    QString m_logdir;
    int m_fallbackMs = 1000;
    int m_minEmitMs = 80;
    QThread m_thread;
    detail::FeedWorker* m_worker = nullptr;
};

} // namespace scopeviz::ui

Q_DECLARE_METATYPE(scopeviz::ui::WatchBatchPtr)
