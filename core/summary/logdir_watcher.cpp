// LogdirWatcher: discovery, per-run reading and TensorBoard's purge rules.
// The class comment in logdir_watcher.h lists the behaviour; notes here are
// about how.
//
// - Discovery runs on every poll (opendir/readdir, stat only for symlinks and
//   unknown d_types), so new runs and files appear within one poll and
//   deleted ones disappear (except that polls reading on where a byte limit
//   stopped the last one reuse its listing, for up to a second). Directories
//   are identified by (device, inode) to survive symlink cycles.
// - Each file keeps an EventReader, which closes its descriptor between polls
//   and only reads appended bytes, so polling every file of every run is cheap
//   (one open + fstat + close for an unchanged file).
// - Scalars are grouped per (run, tag) in the batch through a hash map keyed
//   by the tag's bytes (heterogeneous lookup: no string is built per point).
// - Purges are applied to the batch being built as well as reported, which is
//   what makes "apply events, then scalars" correct for any mix of points and
//   restarts within one poll.
// - Runs are independent: each is read into a WatchBatch of its own (pollRun
//   touches only its RunState), on up to 8 threads taking runs in turn, and the
//   batches are joined in run order (appendWatchBatch), as TensorBoard's Rust
//   loader reads runs in parallel. Discovery stays on the calling thread.
#include "core/summary/logdir_watcher.h"

#include "core/util/strings.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <filesystem>
#include <sys/stat.h>
#include <unordered_map>

namespace scopeviz {
namespace {

struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// TensorBoard parses the number after "brain.Event:"; anything unparsable is -1.
double parseFileVersion(std::string_view version)
{
    constexpr std::string_view prefix = "brain.Event:";
    const size_t at = version.rfind(prefix);
    const std::string rest(at == std::string_view::npos ? version : version.substr(at + prefix.size()));
    char* end = nullptr;
    const double v = std::strtod(rest.c_str(), &end);
    return (rest.empty() || end != rest.c_str() + rest.size()) ? -1 : v;
}

std::string joinPath(const std::string& dir, const std::string& name)
{
    if (dir.empty())
        return name;
    return dir.back() == '/' ? dir + name : dir + "/" + name;
}

// Threads for reading `runs` runs: a thread is worth starting for a few runs' worth of files.
unsigned readThreadsFor(unsigned requested, size_t runs)
{
    unsigned n = requested;
    if (n == 0)
        n = std::min(8u, std::max(1u, std::thread::hardware_concurrency()));
    return unsigned(std::min<size_t>(n, std::max<size_t>(1, runs / 4)));
}

// Calls work(i) for every i < count on `threads` threads (the caller being one of them), each
// taking the next index; returns when all are done. The first exception is rethrown.
template <class F>
void runParallel(size_t count, unsigned threads, F&& work)
{
    if (threads <= 1 || count <= 1) {
        for (size_t i = 0; i < count; ++i)
            work(i);
        return;
    }
    std::atomic<size_t> next{0};
    std::exception_ptr error;
    std::mutex errorMutex;
    auto loop = [&] {
        for (size_t i; (i = next.fetch_add(1)) < count;) {
            try {
                work(i);
            } catch (...) {
                std::lock_guard lock(errorMutex);
                if (!error)
                    error = std::current_exception();
            }
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back(loop);
    loop();
    for (std::thread& t : pool)
        t.join();
    if (error)
        std::rethrow_exception(error);
}

RunEvent makeEvent(RunEvent::Kind kind, std::string run, std::string message)
{
    RunEvent e;
    e.kind = kind;
    e.run = std::move(run);
    e.message = std::move(message);
    return e;
}

} // namespace

// Receives one run's events during a poll and turns them into batch entries.
class LogdirWatcher::Collector final : public EventVisitor {
public:
    Collector(WatchBatch& batch, const std::string& runName, RunState& run, bool collectSummaries, bool collectRich)
        : m_batch(batch), m_runName(runName), m_run(run), m_firstSeries(batch.scalars.size()),
          m_firstHistograms(batch.histograms.size()), m_firstMedia(batch.media.size()),
          m_collectSummaries(collectSummaries), m_collectRich(collectRich)
    {
    }

    void setFile(const std::string& path) { m_file = path; }

    void onEvent(const EventHeader& h, EventKind kind) override
    {
        m_outOfOrder = false;
        if (kind != EventKind::Summary)
            return;
        // Files without a (>= 2) version: a step going backwards is a restart (TensorBoard's rule).
        if (!(m_run.fileVersion >= 2) && m_run.hasRecentStep && h.step < m_run.mostRecentStep) {
            m_outOfOrder = true;
            m_purgedTags.clear();
        }
        m_run.mostRecentStep = h.step;
        m_run.hasRecentStep = true;
    }

    void onScalar(const EventHeader& h, std::string_view tag, double value) override
    {
        purgeIfBackwards(h, tag);
        series(tag).points.push_back({h.step, h.wallTime, value});
    }

    void onHistogram(const EventHeader& h, std::string_view tag, const Histogram& histogram) override
    {
        purgeIfBackwards(h, tag);
        richSeries(m_batch.histograms, m_histogramIndex, tag).columns.append(h.step, h.wallTime, histogram);
    }

    void onMedia(const EventHeader& h, std::string_view tag, const MediaValue& v) override
    {
        purgeIfBackwards(h, tag);
        MediaPoint p;
        p.step = h.step;
        p.wallTime = h.wallTime;
        p.kind = v.kind;
        p.items.assign(v.items.begin(), v.items.end());
        p.labels.assign(v.labels.begin(), v.labels.end());
        p.width = v.width;
        p.height = v.height;
        p.sampleRate = v.sampleRate;
        p.shape = v.shape;
        richSeries(m_batch.media, m_mediaIndex, tag).points.push_back(std::move(p));
    }

    void onFileVersion(const EventHeader&, std::string_view version) override
    {
        m_run.fileVersion = parseFileVersion(version);
    }

    void onSessionLog(const EventHeader& h, SessionStatus status, std::string_view, std::string_view) override
    {
        if (status == SessionStatus::Start && m_run.fileVersion >= 2)
            purge({}, h.step,
                  cat(m_file, ": session restarted at step ", h.step, " (offset ", h.offset,
                      "); dropping points with step >= ", h.step));
    }

    void onGraph(const EventHeader& h, GraphSource source, std::string_view graphDef) override
    {
        RunEvent e = makeEvent(RunEvent::Kind::GraphFound, m_runName,
                               cat(m_file, ": ", source == GraphSource::GraphDef ? "graph_def" : "meta_graph_def",
                                   " at offset ", h.offset));
        e.file = m_file;
        e.offset = h.offset;
        e.step = h.step;
        e.payload.assign(graphDef.data(), graphDef.size());
        m_batch.events.push_back(std::move(e));
    }

    bool wantsHistograms() const override { return m_collectRich; }
    bool wantsMedia() const override { return m_collectRich; }
    bool wantsSummaryValues() const override { return m_collectSummaries; }

    void onSummaryValue(const EventHeader& h, std::string_view tag, const SummaryValueInfo& info) override
    {
        m_batch.summaries.push_back({m_runName, std::string(tag), h.step, summaryKindName(info), info.detail, h.offset});
    }

private:
    // Runs log their tags in the same order at every step, so the series after the last one used (or that
    // one again, or this run's first) is checked (length, then bytes) before hashing.
    ScalarSeriesBatch& series(std::string_view tag)
    {
        auto& list = m_batch.scalars;
        auto same = [&](size_t i) {
            const std::string& t = list[i].tag;
            return t.size() == tag.size() && std::memcmp(t.data(), tag.data(), tag.size()) == 0;
        };
        if (m_last != kNone) {
            const size_t next = m_last + 1 < list.size() ? m_last + 1 : m_firstSeries;
            if (same(next))
                return list[m_last = next];
            if (same(m_last))
                return list[m_last];
        }
        auto it = m_index.find(tag);
        if (it == m_index.end()) {
            it = m_index.emplace(std::string(tag), list.size()).first;
            list.push_back({m_runName, std::string(tag), {}});
        }
        return list[m_last = it->second];
    }

    // The series of `tag` in `list` (histograms or media), created on first use.
    template <class Batch>
    Batch& richSeries(std::vector<Batch>& list,
                      std::unordered_map<std::string, size_t, StringHash, std::equal_to<>>& index, std::string_view tag)
    {
        auto it = index.find(tag);
        if (it == index.end()) {
            it = index.emplace(std::string(tag), list.size()).first;
            list.push_back(Batch{m_runName, std::string(tag), {}});
        }
        return list[it->second];
    }

    // TensorBoard's restart rule for files without a version: the first value of each tag in an event whose
    // step went backwards drops that tag's points with step >= it.
    void purgeIfBackwards(const EventHeader& h, std::string_view tag)
    {
        if (!m_outOfOrder || std::find(m_purgedTags.begin(), m_purgedTags.end(), tag) != m_purgedTags.end())
            return;
        m_purgedTags.emplace_back(tag);
        purge(std::string(tag), h.step,
              cat(m_file, ": step ", h.step, " of tag ", tag, " at offset ", h.offset,
                  " goes backwards; dropping its points with step >= ", h.step));
    }

    // Reports a purge and applies it to this run's points already in the batch.
    void purge(std::string tag, int64_t step, std::string message)
    {
        RunEvent e = makeEvent(RunEvent::Kind::Purge, m_runName, std::move(message));
        e.tag = std::move(tag);
        e.step = step;
        purgeSeries(m_batch.scalars, m_firstSeries, e);
        purgeSeries(m_batch.histograms, m_firstHistograms, e);
        purgeSeries(m_batch.media, m_firstMedia, e);
        e.file = m_file;
        m_batch.events.push_back(std::move(e));
    }

    WatchBatch& m_batch;
    const std::string& m_runName;
    RunState& m_run;
    const size_t m_firstSeries; // this run's series are batch.scalars[m_firstSeries...]
    const size_t m_firstHistograms;
    const size_t m_firstMedia;
    const bool m_collectSummaries;
    const bool m_collectRich;
    std::unordered_map<std::string, size_t, StringHash, std::equal_to<>> m_histogramIndex;
    std::unordered_map<std::string, size_t, StringHash, std::equal_to<>> m_mediaIndex;
    std::string m_file;
    std::unordered_map<std::string, size_t, StringHash, std::equal_to<>> m_index;
    static constexpr size_t kNone = SIZE_MAX;
    size_t m_last = kNone; // the series of the last scalar
    bool m_outOfOrder = false;
    std::vector<std::string> m_purgedTags; // tags already purged for the current out-of-order event
};

LogdirWatcher::LogdirWatcher(std::string path) : m_path(std::move(path))
{
    while (m_path.size() > 1 && m_path.back() == '/')
        m_path.pop_back();
}

LogdirWatcher::~LogdirWatcher() = default;

std::vector<std::string> LogdirWatcher::runs() const
{
    std::vector<std::string> names;
    for (const auto& [name, run] : m_runs)
        names.push_back(name);
    return names;
}

void LogdirWatcher::logdirMissing(WatchBatch& batch, const std::string& message)
{
    if (m_root == RootState::Missing)
        return;
    for (const auto& [name, run] : m_runs)
        batch.events.push_back(makeEvent(RunEvent::Kind::RunRemoved, name, cat("run ", name, " disappeared")));
    m_runs.clear();
    batch.events.push_back(makeEvent(RunEvent::Kind::LogdirMissing, {}, message));
    m_root = RootState::Missing;
}

void LogdirWatcher::walk(const std::string& dir, const std::string& rel, int depth,
                         std::set<std::pair<uint64_t, uint64_t>>& visited, std::map<std::string, Listing>& found,
                         std::map<std::string, std::string>& errors)
{
    DIR* d = ::opendir(dir.c_str());
    if (!d) {
        errors[dir] = cat(dir, ": cannot read directory: ", std::strerror(errno));
        return;
    }
    std::vector<std::string> files, subdirs;
    while (dirent* e = ::readdir(d)) {
        const char* name = e->d_name;
        if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0)
            continue;
        bool isDir = e->d_type == DT_DIR;
        bool isReg = e->d_type == DT_REG;
        if (e->d_type == DT_LNK || e->d_type == DT_UNKNOWN) {
            const std::string full = joinPath(dir, name);
            struct stat st {};
            if (::stat(full.c_str(), &st) != 0) {
                if (errno != ENOENT) // a dangling symlink is not worth a report; a loop or EACCES is
                    errors[full] = cat(full, ": cannot read: ", std::strerror(errno));
                continue;
            }
            isDir = S_ISDIR(st.st_mode);
            isReg = S_ISREG(st.st_mode);
        }
        if (isReg && std::strstr(name, "tfevents"))
            files.emplace_back(name);
        else if (isDir)
            subdirs.emplace_back(name);
    }
    ::closedir(d);
    if (!files.empty()) {
        std::sort(files.begin(), files.end());
        found[rel] = Listing{dir, std::move(files), false};
    }
    if (depth >= 64)
        return;
    std::sort(subdirs.begin(), subdirs.end());
    for (const std::string& sub : subdirs) {
        const std::string full = joinPath(dir, sub);
        struct stat st {};
        if (::stat(full.c_str(), &st) != 0)
            continue;
        if (!visited.insert({uint64_t(st.st_dev), uint64_t(st.st_ino)}).second)
            continue; // a symlink cycle, or a second path to a directory already walked
        walk(full, rel == "." ? sub : rel + "/" + sub, depth + 1, visited, found, errors);
    }
}

void LogdirWatcher::discover(WatchBatch& batch, std::map<std::string, Listing>& found)
{
    struct stat st {};
    std::map<std::string, std::string> errors;
    const bool statOk = ::stat(m_path.c_str(), &st) == 0;
    if (statOk && S_ISREG(st.st_mode)) {
        // One event file: a run named after its directory.
        const std::filesystem::path p = std::filesystem::path(m_path);
        std::error_code ec;
        std::filesystem::path parent = std::filesystem::absolute(p, ec).parent_path();
        std::string name = parent.filename().string();
        if (name.empty())
            name = ".";
        found[name] = Listing{p.has_parent_path() ? p.parent_path().string() : std::string("."),
                              {p.filename().string()}, true};
    } else if (statOk && S_ISDIR(st.st_mode)) {
        std::set<std::pair<uint64_t, uint64_t>> visited{{uint64_t(st.st_dev), uint64_t(st.st_ino)}};
        walk(m_path, ".", 0, visited, found, errors);
    } else {
        errors[m_path] = cat(m_path, ": neither a directory nor an event file");
    }
    // Report each directory problem once, and again only after it went away and came back.
    for (const auto& [path, message] : errors) {
        auto it = m_reportedDirErrors.find(path);
        if (it != m_reportedDirErrors.end() && it->second == message)
            continue;
        RunEvent e = makeEvent(RunEvent::Kind::FileError, {}, message);
        e.file = path;
        batch.events.push_back(std::move(e));
    }
    m_reportedDirErrors = std::move(errors);
}

void LogdirWatcher::resetRun(RunState& run) const
{
    run.files.clear();
    run.fileVersion = -1;
    run.mostRecentStep = 0;
    run.hasRecentStep = false;
}

bool LogdirWatcher::pollRun(const std::string& name, RunState& run, const Listing& listing, WatchBatch& batch,
                            uint64_t budget) const
{
    const size_t scalarsMark = batch.scalars.size();
    const size_t histogramsMark = batch.histograms.size();
    const size_t mediaMark = batch.media.size();
    const size_t eventsMark = batch.events.size();
    const size_t summariesMark = batch.summaries.size();
    const bool limited = budget != UINT64_MAX;
    bool more = false;
    for (int attempt = 0; attempt < 2; ++attempt) {
        Collector collector(batch, name, run, m_collectSummaries, m_collectRich);
        std::string replaced;
        for (const std::string& base : listing.files) {
            if (!listing.directMode && endsWith(base, ".profile-empty"))
                continue; // profiler placeholder: makes a run, holds no summaries
            FileState& fs = run.files[base];
            const std::string path = joinPath(listing.dir, base);
            if (!fs.reader)
                fs.reader = std::make_unique<EventReader>(path);
            if (limited && budget == 0)
                return true;
            collector.setFile(path);
            const uint64_t before = fs.reader->offset();
            const ReadStatus st = fs.reader->poll(collector, budget);
            if (limited) {
                const uint64_t used = fs.reader->offset() - (st.restarted ? 0 : before);
                budget -= std::min(budget, used);
                more = more || st.more;
            }
            if (st.restarted && attempt == 0) {
                replaced = path;
                break;
            }
            switch (st.code) {
            case ReadStatus::Code::Dead:
            case ReadStatus::Code::IoError:
                if (fs.reportedError != st.message) {
                    RunEvent e = makeEvent(RunEvent::Kind::FileError, name, st.message);
                    e.file = path;
                    e.offset = st.offset;
                    batch.events.push_back(std::move(e));
                    fs.reportedError = st.message;
                }
                break;
            case ReadStatus::Code::Missing: break; // vanished since the listing; the next poll drops it
            default: fs.reportedError.clear(); break;
            }
        }
        if (replaced.empty())
            return more;
        // A file was replaced or truncated: what we delivered for this run no
        // longer matches the disk. Drop it all (here and at the consumer) and
        // read the run again from the start.
        batch.scalars.erase(batch.scalars.begin() + std::ptrdiff_t(scalarsMark), batch.scalars.end());
        batch.events.erase(batch.events.begin() + std::ptrdiff_t(eventsMark), batch.events.end());
        batch.summaries.erase(batch.summaries.begin() + std::ptrdiff_t(summariesMark), batch.summaries.end());
        batch.histograms.erase(batch.histograms.begin() + std::ptrdiff_t(histogramsMark), batch.histograms.end());
        batch.media.erase(batch.media.begin() + std::ptrdiff_t(mediaMark), batch.media.end());
        RunEvent e = makeEvent(RunEvent::Kind::Purge, name,
                               cat(replaced, " was replaced or truncated; re-reading run ", name, " from the start"));
        e.file = replaced;
        e.step = INT64_MIN;
        batch.events.push_back(std::move(e));
        resetRun(run);
    }
    return more;
}

WatchBatch LogdirWatcher::poll()
{
    WatchBatch batch;
    // Reading on where the byte limit stopped the last poll: the listing is that poll's, and only the
    // runs it stopped are read (a 1,000-run sweep is read in dozens of polls; listing 1,000 directories
    // and opening every file for each of them cost a fifth of the load).
    const auto now = std::chrono::steady_clock::now();
    const bool continuing = m_hasMore && now - m_lastFullPoll < kFullPollInterval;
    m_hasMore = false;

    struct stat st {};
    if (::stat(m_path.c_str(), &st) != 0) {
        const int err = errno;
        if (err == ENOENT || err == ENOTDIR) {
            logdirMissing(batch, cat(m_path, ": log directory does not exist"));
        } else {
            logdirMissing(batch, cat(m_path, ": cannot access: ", std::strerror(err)));
        }
        return batch;
    }
    if (m_root == RootState::Missing)
        batch.events.push_back(makeEvent(RunEvent::Kind::LogdirFound, {}, cat(m_path, ": log directory found")));
    m_root = RootState::Present;

    std::map<std::string, Listing>& found = m_listing;
    if (!continuing) {
        found.clear();
        discover(batch, found);
        m_lastFullPoll = now;
        for (auto it = m_runs.begin(); it != m_runs.end();) {
            if (found.count(it->first)) {
                ++it;
                continue;
            }
            batch.events.push_back(
                makeEvent(RunEvent::Kind::RunRemoved, it->first, cat("run ", it->first, " disappeared")));
            it = m_runs.erase(it);
        }
    }
    // Each run is read into a batch of its own (its RunAdded first), on a few threads when there are
    // many runs; the batches are then joined in run order, so the result is what reading the runs one
    // after the other would give. A byte limit is shared equally among the runs.
    struct Job {
        const std::string* name;
        RunState* run;
        const Listing* listing;
        WatchBatch part;
        bool more = false;
    };
    std::vector<Job> jobs;
    jobs.reserve(found.size());
    for (const auto& [name, listing] : found) {
        if (continuing) {
            auto run = m_runs.find(name);
            if (run == m_runs.end() || !run->second.more)
                continue;
        }
        auto [it, added] = m_runs.try_emplace(name);
        Job job{&name, &it->second, &listing, {}};
        if (added) {
            it->second.dir = listing.dir;
            job.part.events.push_back(makeEvent(RunEvent::Kind::RunAdded, name, cat("run ", name, " found in ", listing.dir)));
            if (!m_seenRuns.insert(name).second) {
                RunEvent e = makeEvent(RunEvent::Kind::Purge, name,
                                       cat("run ", name, " reappeared; reading it again from the start"));
                e.step = INT64_MIN;
                job.part.events.push_back(std::move(e));
            }
        }
        jobs.push_back(std::move(job));
    }
    const uint64_t share =
        m_maxBytesPerPoll == 0 ? UINT64_MAX : std::max<uint64_t>(1, m_maxBytesPerPoll / std::max<size_t>(1, jobs.size()));
    runParallel(jobs.size(), readThreadsFor(m_readThreads, jobs.size()), [&](size_t i) {
        Job& j = jobs[i];
        j.more = pollRun(*j.name, *j.run, *j.listing, j.part, share);
    });
    for (Job& j : jobs) {
        j.run->more = j.more;
        m_hasMore = m_hasMore || j.more;
        appendWatchBatch(batch, std::move(j.part));
    }
    // Series that a purge emptied carry nothing.
    std::erase_if(batch.scalars, [](const ScalarSeriesBatch& s) { return s.points.empty(); });
    return batch;
}

} // namespace scopeviz
