#pragma once
// LogdirWatcher: follows a TensorBoard log directory (or one event file) and
// reports what was appended since the last poll. Call poll() from one thread,
// periodically; with many runs, a poll reads the runs on a few short-lived
// threads of its own (setReadThreads) and returns when all are done.
#include "core/summary/event_reader.h"
#include "core/summary/scalar_batch.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace scopeviz {

/// Watches a log directory the way TensorBoard does (docs/formats.md §7).
///
/// Runs are the directories (at any depth, symlinks followed) that directly
/// contain a file whose basename contains "tfevents"; the run name is the path
/// relative to the log directory, "." for the directory itself. Files named
/// "*.profile-empty" make a directory a run but are never read. Every poll
/// reads the bytes appended to every event file of every run, files of a run
/// in name order (while a byte limit leaves data unread, polls in between
/// read on only where it stopped: kFullPollInterval). If the path is a file,
/// it is read as the only file of one run named after its directory.
///
/// How to apply a WatchBatch: apply `events` in order first, then append
/// `scalars`. A Purge applies to points delivered by earlier polls; points of
/// the same batch that it would have dropped are already gone from `scalars`.
///
/// What is reported:
/// - RunAdded / RunRemoved when a run directory appears or disappears. A run
///   that comes back after being removed is read again from the start, so it
///   is followed by a Purge of everything (step = INT64_MIN, tag empty).
/// - Purge, TensorBoard's restart rule: with file_version >= 2 a SessionLog
///   START at step S drops every tag's points with step >= S; in files without
///   a version (or version < 2) a summary whose step is lower than the
///   previous summary's drops that event's tags' points with step >= its step.
///   Repeated steps are kept.
/// - A file that was replaced (new inode) or truncated invalidates what was
///   derived from it: Purge of the whole run (step = INT64_MIN), then every
///   file of the run is read again from offset 0.
/// - FileError, once per problem: a corrupt record (the file's earlier points
///   were delivered and are kept; nothing after it is read), an unreadable
///   file, or a directory that cannot be listed (e.g. no permission, symlink
///   loop); reported with the path and, for records, the byte offset.
/// - GraphFound for every graph_def and every meta_graph_def's graph_def.
/// - LogdirMissing when the path does not exist (also on the first poll) and
///   LogdirFound when it exists again; all runs are then removed and, once
///   back, read from offset 0.
class LogdirWatcher {
public:
    /// Watches `path` (a log directory, or one event file). Nothing is read until poll().
    explicit LogdirWatcher(std::string path);
    ~LogdirWatcher();
    LogdirWatcher(const LogdirWatcher&) = delete;
    LogdirWatcher& operator=(const LogdirWatcher&) = delete;

    /// Looks for new runs and files and reads what was appended since the last poll.
    WatchBatch poll();

    /// Limits the bytes of records one poll reads (0 = unlimited), to keep polls short on huge logs.
    /// The limit is shared equally among the runs (each reads at least one record when it has one),
    /// so every run's curves grow together while a big directory loads.
    void setMaxBytesPerPoll(uint64_t bytes) { m_maxBytesPerPoll = bytes; }
    /// How many threads read runs in parallel during a poll: 0 (the default) = one per core, up to 8;
    /// 1 = read on the calling thread only. Runs are read into batches of their own and joined in run
    /// order, so the result does not depend on this number.
    void setReadThreads(unsigned threads) { m_readThreads = threads; }
    /// Also collects every summary value, classified, into WatchBatch::summaries (for --dump-summaries).
    /// Purges do not apply to them: they list what the files hold, in file order.
    void setCollectSummaries(bool on) { m_collectSummaries = on; }
    /// Also collects histograms, images, audio and text into WatchBatch::histograms and ::media (the
    /// dashboards beside Scalars). Purges apply to them as to scalars.
    void setCollectRich(bool on) { m_collectRich = on; }
    /// True when the last poll stopped at the byte limit with data left to read.
    bool hasMore() const { return m_hasMore; }
    /// While hasMore(), a poll goes on reading only the runs the byte limit stopped, with the last
    /// poll's listing of runs and files; at least this often a poll lists the directory again and reads
    /// every run (new runs, new files, appends to runs already read to their end).
    static constexpr std::chrono::milliseconds kFullPollInterval{1000};

    /// The watched path.
    const std::string& path() const { return m_path; }
    /// Names of the runs currently known, sorted.
    std::vector<std::string> runs() const;

private:
    struct FileState {
        std::unique_ptr<EventReader> reader;
        std::string reportedError; // last error reported, so each problem is reported once
    };
    struct RunState {
        std::string dir;
        std::map<std::string, FileState> files; // by basename
        double fileVersion = -1;                // TensorBoard's parsed file_version; -1 = none
        int64_t mostRecentStep = 0;
        bool hasRecentStep = false;
        bool more = false; // the last poll's byte budget stopped this run with data left
    };
    struct Listing {
        std::string dir;
        std::vector<std::string> files; // basenames, sorted
        bool directMode = false;        // the watched path is this file
    };
    enum class RootState { Unknown, Present, Missing };
    class Collector;

    void logdirMissing(WatchBatch& batch, const std::string& message);
    void discover(WatchBatch& batch, std::map<std::string, Listing>& found);
    void walk(const std::string& dir, const std::string& rel, int depth, std::set<std::pair<uint64_t, uint64_t>>& visited,
              std::map<std::string, Listing>& found, std::map<std::string, std::string>& errors);
    /// Reads what was appended to one run into `batch` (the run's own batch). Touches only `run`:
    /// runs are read in parallel. Returns true when the run's byte budget stopped it with data left.
    bool pollRun(const std::string& name, RunState& run, const Listing& listing, WatchBatch& batch,
                 uint64_t budget) const;
    void resetRun(RunState& run) const;

    std::string m_path;
    std::map<std::string, RunState> m_runs;
    std::map<std::string, Listing> m_listing; // what the last full poll's discovery found
    std::chrono::steady_clock::time_point m_lastFullPoll{};
    std::set<std::string> m_seenRuns;
    std::map<std::string, std::string> m_reportedDirErrors; // path -> message
    RootState m_root = RootState::Unknown;
    uint64_t m_maxBytesPerPoll = 0;
    unsigned m_readThreads = 0;
    bool m_hasMore = false;
    bool m_collectSummaries = false;
    bool m_collectRich = false;
};

} // namespace scopeviz
