#include "ui/scalars/scalar_feed.h"

#include "ui/common/handoff.h"

#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QTimer>

#include <algorithm>
#include <exception>
#include <unordered_map>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace scopeviz::ui {

ScalarSource::~ScalarSource() = default;
void ScalarSource::setMaxBytesPerPoll(uint64_t) {}
bool ScalarSource::hasMore() const { return false; }

std::size_t watchBatchItems(const WatchBatch& batch)
{
    std::size_t n = batch.summaries.size();
    for (const ScalarSeriesBatch& sb : batch.scalars)
        n += sb.points.size();
    for (const HistogramSeriesBatch& sb : batch.histograms)
        n += batchWeight(sb);
    for (const MediaSeriesBatch& sb : batch.media)
        n += sb.points.size();
    return n;
}

namespace {

/// The feed worker's nice value (the GUI thread's is 0).
[[maybe_unused]] constexpr int ReaderNice = 2;

/// Moves series from the front of `from` into `out` until `left` points were taken, splitting the last one;
/// returns the weight taken.
template <class Batch>
std::size_t takeSeriesFront(std::deque<Batch>& from, std::vector<Batch>& out, std::size_t& left)
{
    std::size_t taken = 0;
    while (!from.empty() && left > 0) {
        Batch& sb = from.front();
        const std::size_t weight = batchWeight(sb);
        if (weight <= left) {
            left -= weight;
            taken += weight;
            out.push_back(std::move(sb));
            from.pop_front();
            continue;
        }
        // Split the series: its first points now, the rest with the next part.
        out.push_back(takeFront(sb, left));
        taken += batchWeight(out.back());
        left = 0;
    }
    return taken;
}

template <class Batch>
void appendSeries(std::deque<Batch>& into, std::vector<Batch>&& next)
{
    for (Batch& sb : next)
        into.push_back(std::move(sb));
}

template <class Batch>
std::size_t dropEmptySeries(std::deque<Batch>& list)
{
    std::erase_if(list, [](const Batch& sb) { return batchWeight(sb) == 0; });
    std::size_t items = 0;
    for (const Batch& sb : list)
        items += batchWeight(sb);
    return items;
}

} // namespace

void PendingBatches::add(WatchBatch&& batch)
{
    bool purged = false;
    for (const RunEvent& e : batch.events) {
        if (e.kind != RunEvent::Kind::Purge)
            continue;
        purgeSeries(m_scalars, 0, e);
        purgeSeries(m_histograms, 0, e);
        purgeSeries(m_media, 0, e);
        purged = true;
    }
    if (purged) // rare: drop what the purges emptied, and count again
        m_items = m_summaries.size() + dropEmptySeries(m_scalars) + dropEmptySeries(m_histograms) +
                  dropEmptySeries(m_media);
    m_items += watchBatchItems(batch);
    m_events.insert(m_events.end(), std::make_move_iterator(batch.events.begin()),
                    std::make_move_iterator(batch.events.end()));
    m_summaries.insert(m_summaries.end(), std::make_move_iterator(batch.summaries.begin()),
                       std::make_move_iterator(batch.summaries.end()));
    appendSeries(m_scalars, std::move(batch.scalars));
    appendSeries(m_histograms, std::move(batch.histograms));
    appendSeries(m_media, std::move(batch.media));
}

WatchBatch PendingBatches::take(std::size_t maxPoints)
{
    WatchBatch out;
    out.events = std::exchange(m_events, {});
    out.summaries = std::exchange(m_summaries, {});
    m_items -= out.summaries.size();
    // Scalars first, then histograms, images, audio and text, one budget for all.
    std::size_t left = maxPoints;
    m_items -= takeSeriesFront(m_scalars, out.scalars, left);
    m_items -= takeSeriesFront(m_histograms, out.histograms, left);
    m_items -= takeSeriesFront(m_media, out.media, left);
    return out;
}

namespace detail {
namespace {

/// Batches on their way to the GUI thread at once: enough that the GUI has some to apply while the
/// worker is busy in a poll (tens of ms for a sweep); the feed hands them over one per pass of the
/// GUI's event loop, so more in flight never means more at once.
constexpr int MaxInFlight = 6;
/// Batches' worth of points read ahead at most.
constexpr std::size_t ReadAhead = 16;
/// Watched paths (run directories and event files) past which an idle directory's fallback polls slow down.
constexpr qsizetype BigDirectoryPaths = 200;

} // namespace

FeedWorker::FeedWorker(std::unique_ptr<ScalarSource> source, QString logdir, const FeedLimits& limits,
                       std::shared_ptr<std::atomic<int>> inFlight, QObject* receiver, Deliver deliver)
    : m_source(std::move(source)), m_logdir(std::move(logdir)), m_limits(limits), m_receiver(receiver),
      m_deliver(std::move(deliver)), m_inFlight(std::move(inFlight))
{
    m_source->setMaxBytesPerPoll(m_limits.maxBytesPerPoll);
}

FeedWorker::~FeedWorker() = default;

namespace {

/// Runs one of the worker's entry points (slots called by its event loop): an
/// exception becomes failed(), shown by the dashboard, and never reaches the loop.
template <class F>
void guarded(FeedWorker& worker, F&& f)
{
    try {
        f();
    } catch (const std::exception& e) {
        emit worker.failed(QString::fromUtf8(e.what()));
    } catch (...) {
        emit worker.failed(QStringLiteral("unknown error while following the log directory"));
    }
}

} // namespace

void FeedWorker::begin()
{
    guarded(*this, [this] { beginNow(); });
}

void FeedWorker::beginNow()
{
#ifdef __linux__
    // Reading yields to the GUI thread: on Linux the nice value is per thread, and the watcher's read
    // threads inherit it from this one. A few steps only, so that a busy machine still lends it its share.
    setpriority(PRIO_PROCESS, pid_t(syscall(SYS_gettid)), ReaderNice);
#endif
    m_fs = new QFileSystemWatcher(this);
    m_fallback = new QTimer(this);
    m_soon = new QTimer(this);
    m_emitTimer = new QTimer(this);
    m_soon->setSingleShot(true);
    m_emitTimer->setSingleShot(true);
    connect(m_fallback, &QTimer::timeout, this, &FeedWorker::poll);
    connect(m_soon, &QTimer::timeout, this, &FeedWorker::poll);
    connect(m_emitTimer, &QTimer::timeout, this, [this] { guarded(*this, [this] { emitPending(); }); });
    connect(m_fs, &QFileSystemWatcher::fileChanged, this, [this](const QString& path) {
        guarded(*this, [&] {
            forgetIfUnwatched(path, m_fs->files());
            if (!m_watched.contains(path) && QFileInfo(path).isFile() && m_fs->addPath(path))
                m_watched.insert(path); // replaced by a new file (new inode): follow the new one
            pollSoon();
        });
    });
    connect(m_fs, &QFileSystemWatcher::directoryChanged, this, [this](const QString& dir) {
        guarded(*this, [&] {
            if (dir == m_ancestor) {
                // Something changed on the way to the missing logdir: maybe it is back.
                watchMissingLogdir();
            } else {
                forgetIfUnwatched(dir, m_fs->directories());
                watchDirectory(dir, true); // new event files in a run, or new (possibly nested) run directories
            }
            pollSoon();
        });
    });
    m_sinceEmit.start();
    if (!m_logdir.isEmpty()) {
        watchDirectory(m_logdir, true);
        watchMissingLogdir();
    }
    m_fallback->start(m_limits.fallbackMs);
    poll();
}

void FeedWorker::finish()
{
    m_stopped = true;
    if (m_fallback) {
        m_fallback->stop();
        m_soon->stop();
        m_emitTimer->stop();
    }
}

void FeedWorker::pollSoon()
{
    // A few ms of delay merges the burst of notifications a single write produces.
    if (m_soon && !m_soon->isActive() && !m_stopped)
        m_soon->start(15);
}

void FeedWorker::poll()
{
    guarded(*this, [this] { pollNow(); });
}

void FeedWorker::pollNow()
{
    if (m_stopped)
        return;
    // Reading ahead stops while a few batches' worth is waiting for the GUI thread.
    if (m_pending.items() >= ReadAhead * m_limits.maxPointsPerBatch) {
        m_pollDeferred = true;
        return;
    }
    m_pollDeferred = false;
    WatchBatch batch = m_source->poll();
    // The byte limit stopped the poll: read on at once (after the events already queued, such as
    // batchTaken()), since there is no burst of notifications to merge.
    const bool more = m_source->hasMore();
    if (more && !m_stopped)
        m_soon->start(0);
    // A big directory that stays idle is polled less often by the fallback timer (up to 4x its
    // interval): file notifications still start a poll at once, and each fallback poll of a
    // 1,000-run sweep lists and opens every run's files.
    const int fallback = batch.empty() && m_watched.size() > BigDirectoryPaths
                             ? std::min(m_fallback->interval() * 2, 4 * m_limits.fallbackMs)
                             : m_limits.fallbackMs;
    if (fallback != m_fallback->interval())
        m_fallback->setInterval(fallback);
    if (batch.empty())
        return;
    // The runs' events stay with the merged batch; the watches are set up once it may have left, so
    // that 10,000 new runs (as many directory listings and watches) do not delay the first paint.
    std::vector<RunEvent> runEvents;
    for (const RunEvent& e : batch.events)
        if (e.kind == RunEvent::Kind::RunAdded || e.kind == RunEvent::Kind::RunRemoved ||
            e.kind == RunEvent::Kind::LogdirMissing || e.kind == RunEvent::Kind::LogdirFound)
            runEvents.push_back(e);
    m_pending.add(std::move(batch));
    // More may be waiting (a watcher may cap what one poll reads): look again shortly.
    if (!more)
        m_soon->start(20);
    scheduleEmit();
    updateWatches(runEvents);
}

bool FeedWorker::backlog() const
{
    // A backlog: more than a batch waits, or the source has more to read (catching up with a big file).
    return m_pending.items() > m_limits.maxPointsPerBatch || m_source->hasMore();
}

void FeedWorker::scheduleEmit()
{
    if (m_pending.empty() || m_stopped)
        return;
    const bool behind = backlog();
    const qint64 since = m_sinceEmit.elapsed();
    const int inFlight = m_inFlight->load();
    if (behind ? inFlight < MaxInFlight : (inFlight == 0 && since >= m_limits.minEmitMs))
        emitPending();
    else if (!m_emitTimer->isActive() && inFlight == 0)
        m_emitTimer->start(int(std::max<qint64>(0, m_limits.minEmitMs - since)));
    // Otherwise batchTaken() comes back here.
}

void FeedWorker::batchTaken()
{
    m_inFlight->fetch_sub(1);
    guarded(*this, [this] {
        if (m_pollDeferred && m_pending.items() < ReadAhead * m_limits.maxPointsPerBatch)
            pollSoon();
        scheduleEmit();
    });
}

void FeedWorker::emitPending()
{
    if (m_pending.empty() || m_stopped)
        return;
    if (m_inFlight->load() >= MaxInFlight)
        return; // batchTaken() emits the rest
    WatchBatch part = m_pending.take(m_limits.maxPointsPerBatch);
    auto out = std::make_shared<const WatchBatch>(std::move(part));
    m_sinceEmit.restart();
    m_inFlight->fetch_add(1);
    postTo(m_receiver, [deliver = m_deliver, out, more = !m_pending.empty() || m_source->hasMore()] {
        deliver(out, more);
    });
}

void FeedWorker::watchDirectory(const QString& dir, bool withSubdirs)
{
    QStringList paths;
    pathsToWatch(dir, paths);
    if (withSubdirs) {
        // A writer creates its run directory, then the file in it: watch new directories at once, so
        // the file's creation is noticed without waiting for the fallback poll. One level per change.
        const QDir d(dir);
        for (const QString& sub : d.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            const QString path = d.filePath(sub);
            if (!m_watched.contains(path))
                pathsToWatch(path, paths);
        }
    }
    addWatches(paths);
}

void FeedWorker::pathsToWatch(const QString& dir, QStringList& out) const
{
    if (!QFileInfo(dir).isDir())
        return;
    if (!m_watched.contains(dir))
        out << dir;
    // Event files are appended in place; only watching the files themselves reports that.
    const QDir d(dir);
    for (const QString& f : d.entryList({QStringLiteral("*tfevents*")}, QDir::Files)) {
        const QString path = d.filePath(f);
        if (!m_watched.contains(path))
            out << path;
    }
}

void FeedWorker::addWatches(const QStringList& paths)
{
    if (paths.isEmpty())
        return;
    // One call for all: QFileSystemWatcher checks each path against those it watches.
    const QStringList failed = m_fs->addPaths(paths);
    const QSet<QString> notWatched(failed.begin(), failed.end());
    for (const QString& p : paths)
        if (!notWatched.contains(p))
            m_watched.insert(p);
}

void FeedWorker::forgetIfUnwatched(const QString& path, const QStringList& stillWatched)
{
    // QFileSystemWatcher drops the watch of a path that was deleted or renamed away.
    if (m_watched.contains(path) && !stillWatched.contains(path))
        m_watched.remove(path);
}

void FeedWorker::watchMissingLogdir()
{
    // While the logdir does not exist, watch its nearest existing ancestor (it cannot watch a
    // path that is not there), so that its re-creation is noticed within a poll, not a fallback period.
    QString ancestor;
    if (!QFileInfo(m_logdir).isDir()) {
        // QDir::cdUp() refuses to leave a directory that does not exist, so walk the path text.
        QString path = QDir::cleanPath(QFileInfo(m_logdir).absoluteFilePath());
        for (QString up = QFileInfo(path).path(); up != path; path = up, up = QFileInfo(path).path()) {
            if (QFileInfo(up).isDir()) {
                ancestor = up;
                break;
            }
        }
    } else {
        watchDirectory(m_logdir, true);
    }
    if (ancestor == m_ancestor)
        return;
    if (!m_ancestor.isEmpty() && !m_watched.contains(m_ancestor))
        m_fs->removePath(m_ancestor);
    m_ancestor = ancestor;
    if (!m_ancestor.isEmpty() && !m_watched.contains(m_ancestor) && !m_fs->addPath(m_ancestor))
        m_ancestor.clear();
}

void FeedWorker::updateWatches(const std::vector<RunEvent>& events)
{
    if (m_logdir.isEmpty())
        return;
    QStringList added; // the new runs' directories and files, watched in one call
    for (const RunEvent& e : events) {
        switch (e.kind) {
        case RunEvent::Kind::RunAdded:
            pathsToWatch(e.run == "." ? m_logdir : QDir(m_logdir).filePath(QString::fromStdString(e.run)), added);
            break;
        case RunEvent::Kind::LogdirFound:
            watchMissingLogdir(); // drops the ancestor watch, watches the logdir again
            break;
        case RunEvent::Kind::RunRemoved:
        case RunEvent::Kind::LogdirMissing: {
            // inotify drops watches of deleted paths by itself; forget them so they can be re-added.
            QStringList still = m_fs->files() + m_fs->directories();
            still.removeAll(m_ancestor);
            m_watched = QSet<QString>(still.begin(), still.end());
            if (e.kind == RunEvent::Kind::LogdirMissing)
                watchMissingLogdir();
            break;
        }
        default:
            break;
        }
    }
    addWatches(added);
}

} // namespace detail

ScalarFeed::ScalarFeed(std::unique_ptr<ScalarSource> source, const QString& logdir, QObject* parent)
    : QObject(parent), m_source(std::move(source)), m_logdir(logdir)
{
    qRegisterMetaType<WatchBatchPtr>("scopeviz::ui::WatchBatchPtr");
    m_thread.setObjectName(QStringLiteral("scalar-feed"));
    m_deliverTimer = new QTimer(this);
    m_deliverTimer->setSingleShot(true);
    connect(m_deliverTimer, &QTimer::timeout, this, &ScalarFeed::deliverNext);
}

ScalarFeed::~ScalarFeed() { stop(); }

void ScalarFeed::start()
{
    if (m_thread.isRunning() || !m_source)
        return;
    m_inFlight->store(0);
    m_catchingUp = false;
    // Queued: the worker posts batches to our thread, we emit them, one per pass of the event loop
    // (receivers apply it right there), then tell the worker that the next batch may leave.
    auto arrived = [this, run = ++m_runs](const WatchBatchPtr& batch, bool moreFollows) {
        if (run != m_runs)
            return; // posted before stop(): dropped, as stop() drops what has arrived
        m_arrived.emplace_back(batch, moreFollows);
        if (!m_deliverTimer->isActive())
            m_deliverTimer->start(0);
    };
    m_worker = new detail::FeedWorker(std::move(m_source), m_logdir, m_limits, m_inFlight, this, arrived);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::started, m_worker, &detail::FeedWorker::begin);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &detail::FeedWorker::failed, this, &ScalarFeed::sourceFailed, Qt::QueuedConnection);
    m_thread.start();
}

void ScalarFeed::deliverNext()
{
    if (m_arrived.empty())
        return;
    const auto [batch, moreFollows] = m_arrived.front();
    m_arrived.erase(m_arrived.begin());
    m_catchingUp = moreFollows || !m_arrived.empty();
    emit batchReady(batch);
    if (auto* worker = m_worker)
        postTo(worker, [worker] { worker->batchTaken(); });
    if (!m_arrived.empty())
        m_deliverTimer->start(0); // after timers and input had their turn
}

void ScalarFeed::stop()
{
    if (!m_thread.isRunning())
        return;
    // The worker stops its timers and ends its own event loop, so no batch leaves after this. A
    // queued call through postTo, whose order ThreadSanitizer sees, instead of a blocking one
    // (Qt's semaphore is invisible to it, docs/toolchain.md §10).
    if (auto* worker = m_worker)
        postTo(worker, [worker] {
            worker->finish();
            QThread::currentThread()->quit();
        });
    else
        m_thread.quit();
    m_thread.wait();
    m_worker = nullptr; // deleted by deleteLater as the thread finished
    m_arrived.clear();
    ++m_runs;
    m_catchingUp = false;
    m_deliverTimer->stop();
}

void ScalarFeed::pollNow()
{
    if (auto* worker = m_worker)
        postTo(worker, [worker] { worker->pollSoon(); });
}

} // namespace scopeviz::ui
