#pragma once
// Every scalar point of every (run, tag), as delivered by a log-directory
// watcher in WatchBatch form. Qt-free; lives on the GUI thread of the dashboard.
//
// A batch is applied events first, then points: a Purge in a batch removes
// what EARLIER batches delivered (a restarted run), and the restarted points
// that come with it are kept. Removed runs keep their points; a FileError
// marks the run and keeps everything delivered before the fault.
//
// What a user sees for each kind of trouble (RunInfo, shown by RunListModel):
// - corrupt record (bad CRC, not an Event): error marker naming file and
//   offset; points read before it stay; nothing after it is read.
// - file replaced or truncated: the watcher re-reads the run from the start
//   in the same batch, so the points the file still holds (those before a
//   cut) stay on screen without flicker, points no longer on disk go, and the
//   run carries a warning marker naming the file. Errors reported before are
//   cleared by such a full re-read (a still-broken file reports again).
// - restart (TensorBoard's purge rule): points from before the restart with
//   step >= S are dropped; the run's tooltip says so, no marker.
// - a file that ends inside a record: nothing. That is the normal state of a
//   file being written (docs/formats.md §1, SOURCES.md on the truncated TF 0.12
//   file), and a reader cannot tell a finished file from one whose writer is
//   about to append the rest; the complete records are shown and the rest is
//   read as soon as it arrives.
// - directory removed / log directory missing: `removed` (greyed, points
//   kept) and the dashboard's banner; a re-created run is read again.
// - a directory that cannot be listed (no permission, symlink loop): not a
//   run; logdirProblem(), shown in the dashboard's banner.
#include "core/summary/scalar_batch.h"
#include "ui/scalars/scalar_series.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace scopeviz::ui {

/// What the dashboard knows about one run.
struct RunInfo {
    std::string name;        ///< path relative to the logdir ("." for the logdir itself): the key
    std::string label;       ///< what the user sees: `name`, or for "." the top run's name (see setTopRunLabel)
    int colorIndex = 0;      ///< run palette index (runColor()): from the name's hash, distinct from the run above
    bool removed = false;    ///< its directory disappeared (points are kept)
    bool hasError = false;   ///< a file of the run is unreadable or corrupt
    std::string errorMessage; ///< the latest FileError text (names file and offset)
    int errorCount = 0;      ///< how many FileError events arrived
    bool hasWarning = false;  ///< a file of the run was replaced or truncated and the run re-read
    std::string warningMessage; ///< the latest such notice (names the file)
    std::string restartMessage; ///< the latest restart (purge) notice, empty when none
    double firstWall = std::numeric_limits<double>::quiet_NaN(); ///< earliest wall time of any point (relative-time origin)
};

/// What one apply() changed, so views can refresh only that.
struct StoreChanges {
    std::vector<int> series;   ///< ids of series whose points changed (sorted, unique)
    std::vector<int> newTags;  ///< tag ids seen for the first time
    bool runsChanged = false;  ///< a run was added, removed, or got an error
    bool logdirChanged = false; ///< LogdirMissing / LogdirFound arrived
    /// True when nothing changed.
    bool empty() const { return series.empty() && newTags.empty() && !runsChanged && !logdirChanged; }
};

/// All points of all (run, tag) series, in compact columns.
class ScalarStore {
public:
    ScalarStore();
    ~ScalarStore();
    ScalarStore(const ScalarStore&) = delete;
    ScalarStore& operator=(const ScalarStore&) = delete;

    /// Applies a watcher batch (events first, then points) and reports what changed.
    StoreChanges apply(const WatchBatch& batch);
    /// Appends points to (run, tag), creating both if new; returns the series id.
    int append(const std::string& run, const std::string& tag, const ScalarPoint* points, std::size_t count);
    /// Drops points with step >= `step` of `run` (every tag when `tag` is empty); returns how many.
    std::size_t purge(const std::string& run, const std::string& tag, int64_t step);

    /// Number of runs (in order of appearance).
    int runCount() const { return int(m_runs.size()); }
    /// Run by index.
    const RunInfo& run(int index) const { return m_runs[std::size_t(index)]; }
    /// Index of a run by name, or -1.
    int findRun(const std::string& name) const;
    /// Index of a run by what the user sees (its label, or its name), or -1.
    int findRunByLabel(const std::string& label) const;
    /// Names the run at the top of the log directory (key "."), which would otherwise show as ".":
    /// the directory's name, or a script's. Applies to that run now and when it appears.
    void setTopRunLabel(const std::string& label);
    /// Number of tags (in order of appearance).
    int tagCount() const { return int(m_tags.size()); }
    /// Tag name by index.
    const std::string& tag(int index) const { return m_tags[std::size_t(index)]; }
    /// Index of a tag by name, or -1.
    int findTag(const std::string& name) const;

    /// Number of series.
    int seriesCount() const { return int(m_series.size()); }
    /// Series by id.
    const ScalarSeries& series(int id) const { return *m_series[std::size_t(id)].data; }
    /// Run index of a series.
    int seriesRun(int id) const { return m_series[std::size_t(id)].run; }
    /// Tag index of a series.
    int seriesTag(int id) const { return m_series[std::size_t(id)].tag; }
    /// Series id of (run, tag), or -1.
    int findSeries(int run, int tag) const;
    /// Series ids of a tag, in run order of appearance.
    const std::vector<int>& seriesOfTag(int tag) const { return m_tagSeries[std::size_t(tag)]; }

    /// True after LogdirMissing until LogdirFound.
    bool logdirMissing() const { return m_logdirMissing; }
    /// The latest problem of the log directory that belongs to no run (a sub-directory that cannot
    /// be listed, a symlink loop), or empty. The watcher reports each such problem once, so it stays.
    const std::string& logdirProblem() const { return m_logdirProblem; }
    /// Total number of points held.
    std::size_t pointCount() const { return m_points; }
    /// Heap bytes held by all series (columns, side tables, checkpoints, bookkeeping).
    std::size_t bytesUsed() const;
    /// bytesUsed() / pointCount() (0 when empty).
    double bytesPerPoint() const;

private:
    struct SeriesSlot {
        std::unique_ptr<ScalarSeries> data;
        int run = 0;
        int tag = 0;
    };
    int ensureRun(const std::string& name, bool* added = nullptr);
    std::string labelFor(const std::string& name) const;
    int ensureTag(const std::string& name, bool* added = nullptr);
    int ensureSeries(int run, int tag);
    /// Appends to series `id` of run `run`.
    void appendTo(int run, int id, const ScalarPoint* points, std::size_t count);
    std::size_t purgeSeries(int id, int64_t step, StoreChanges* changes);

    std::vector<RunInfo> m_runs;
    std::unordered_map<std::string, int> m_runIndex;
    std::string m_topRunLabel; ///< shown for the run "." (empty: ".")
    std::vector<std::string> m_tags;
    std::unordered_map<std::string, int> m_tagIndex;
    std::vector<SeriesSlot> m_series;
    std::vector<std::vector<int>> m_tagSeries;
    std::vector<std::vector<int>> m_runSeries;
    std::unordered_map<uint64_t, int> m_seriesIndex; ///< (run << 32 | tag) -> id
    std::size_t m_points = 0;
    bool m_logdirMissing = false;
    std::string m_logdirProblem;
};

} // namespace scopeviz::ui
