#pragma once
// What a log-directory watcher hands to its consumers: appended scalar points
// per (run, tag), and run-level events, in batches.
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

namespace scopeviz {

/// One logged scalar value.
struct ScalarPoint {
    int64_t step = 0;
    double wallTime = 0; ///< seconds since the Unix epoch
    double value = 0;    ///< NaN and Inf are kept as they are
};

/// Points appended to one (run, tag) series since the last batch, in file order.
struct ScalarSeriesBatch {
    std::string run; ///< path relative to the logdir; "." for the logdir itself
    std::string tag;
    std::vector<ScalarPoint> points;
};

/// One summary value of any kind, classified (collected only when the watcher is asked to; see
/// LogdirWatcher::setCollectSummaries).
struct SummaryValueRow {
    std::string run;
    std::string tag;
    int64_t step = 0;
    std::string kind;   ///< summaryKindName(): scalar, histogram, image, audio, text, tensor:<plugin>
    std::string detail; ///< see SummaryKind
    uint64_t offset = 0; ///< file offset of the record holding it
};

/// Something that happened to a run or the log directory.
struct RunEvent {
    enum class Kind {
        RunAdded,      ///< a directory with event files appeared
        RunRemoved,    ///< the run's directory disappeared (its points are kept by consumers)
        FileError,     ///< a file is unreadable or corrupt from `offset` on; earlier records were delivered
        Purge,         ///< drop points of `run` (all tags when `tag` is empty) with step >= `step` (restart)
        GraphFound,    ///< a graph_def or meta_graph_def record was read; `payload` holds the GraphDef bytes
        LogdirMissing, ///< the log directory does not exist (yet, or any more)
        LogdirFound,   ///< the log directory exists again
    };
    Kind kind = Kind::RunAdded;
    std::string run;
    std::string file;     ///< for FileError and GraphFound
    uint64_t offset = 0;  ///< for FileError: byte offset of the bad record
    std::string message;  ///< human-readable text naming file and offset
    std::string tag;      ///< for Purge; empty = every tag
    int64_t step = 0;     ///< for Purge
    std::string payload;  ///< for GraphFound: serialized GraphDef
};

/// Everything a watcher poll produced.
struct WatchBatch {
    std::vector<ScalarSeriesBatch> scalars;
    std::vector<RunEvent> events;
    std::vector<SummaryValueRow> summaries; ///< every summary value in file order per run, when asked for
    bool empty() const { return scalars.empty() && events.empty() && summaries.empty(); }
};

/// Appends `part` to `into`, vector by vector (a watcher joins the batches of the runs it read in
/// parallel this way, in run order). Every vector WatchBatch gains must be appended here too.
inline void appendWatchBatch(WatchBatch& into, WatchBatch&& part)
{
    auto append = [](auto& to, auto& from) {
        if (to.empty())
            to = std::move(from);
        else
            to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
    };
    append(into.scalars, part.scalars);
    append(into.events, part.events);
    append(into.summaries, part.summaries);
}

} // namespace scopeviz
