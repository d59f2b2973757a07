#pragma once
// What a log-directory watcher hands to its consumers: appended scalar points
// per (run, tag) (and, when asked for, histograms, images, audio and text),
// and run-level events, in batches.
#include "core/summary/event_reader.h"
#include "core/summary/histogram_columns.h"

#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <iterator>
#include <type_traits>
#include <string>
#include <vector>

namespace scopeviz {

/// One logged scalar value.
struct ScalarPoint {
    int64_t step = 0;
    double wallTime = 0; ///< seconds since the Unix epoch
    double value = 0;    ///< NaN and Inf are kept as they are
};

/// One logged image, audio or text value, with its payloads.
struct MediaPoint {
    int64_t step = 0;
    double wallTime = 0;
    SummaryKind kind = SummaryKind::Image;
    std::vector<std::string> items;  ///< encoded images, encoded clips (WAV), or text elements
    std::vector<std::string> labels; ///< audio: a label per clip (may be empty)
    int64_t width = 0;               ///< images: as declared by the writer (0 = read the image)
    int64_t height = 0;
    double sampleRate = 0;           ///< audio: 0 = read the WAV header
    std::vector<int64_t> shape;      ///< text: the tensor's shape (rank 2 is a table)
};

/// Points appended to one (run, tag) series since the last batch, in file order.
template <class Point>
struct SeriesBatch {
    std::string run; ///< path relative to the logdir; "." for the logdir itself
    std::string tag;
    std::vector<Point> points;
};
using ScalarSeriesBatch = SeriesBatch<ScalarPoint>;
using MediaSeriesBatch = SeriesBatch<MediaPoint>;

/// Histograms appended to one (run, tag) since the last batch, in file order, already in the columns
/// the GUI's store keeps (decoded, trimmed to display form and given their percentiles on the watcher's
/// thread).
struct HistogramSeriesBatch {
    std::string run;
    std::string tag;
    HistogramColumns columns;
};

// What consumers do with a series batch of any kind: weigh, split and join its points. A batch's weight is
// what storing it costs the GUI thread, in scalar points: a histogram weighs one point plus a third of one
// per bucket (a stored bucket is 8 bytes, a scalar point 24), so a batch of histograms is bounded by the
// buckets it brings, not by their number.
template <class Point>
std::size_t batchWeight(const SeriesBatch<Point>& s)
{
    return s.points.size();
}
inline std::size_t histogramWeight(const HistogramColumns& c, std::size_t from, std::size_t to)
{
    return (to - from) + (c.firstBucket[to] - c.firstBucket[from]) / 3;
}
inline std::size_t batchWeight(const HistogramSeriesBatch& s) { return histogramWeight(s.columns, 0, s.columns.size()); }

/// Moves the first points of `s` weighing at most `weight` (at least one) into a new batch of the same
/// (run, tag).
template <class Point>
SeriesBatch<Point> takeFront(SeriesBatch<Point>& s, std::size_t weight)
{
    const auto cut = s.points.begin() + std::ptrdiff_t(std::clamp<std::size_t>(weight, 1, s.points.size()));
    SeriesBatch<Point> front{s.run, s.tag,
                             std::vector<Point>(std::make_move_iterator(s.points.begin()), std::make_move_iterator(cut))};
    s.points.erase(s.points.begin(), cut);
    return front;
}
inline HistogramSeriesBatch takeFront(HistogramSeriesBatch& s, std::size_t weight)
{
    std::size_t n = 1;
    while (n < s.columns.size() && histogramWeight(s.columns, 0, n + 1) <= weight)
        ++n;
    HistogramSeriesBatch front{s.run, s.tag, {}};
    front.columns.append(s.columns, 0, n);
    s.columns.dropFront(n);
    return front;
}

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
    std::vector<HistogramSeriesBatch> histograms; ///< when asked for (LogdirWatcher::setCollectRich)
    std::vector<MediaSeriesBatch> media;          ///< images, audio and text, when asked for
    bool empty() const
    {
        return scalars.empty() && events.empty() && summaries.empty() && histograms.empty() && media.empty();
    }
};

/// Drops the points of list[first...] (a vector or deque of series batches) that a Purge `e` covers: same
/// run, same tag (or any tag when e.tag is empty), step >= e.step.
template <class List>
void purgeSeries(List& list, size_t first, const RunEvent& e)
{
    using Batch = typename List::value_type;
    for (size_t i = first; i < list.size(); ++i) {
        Batch& s = list[i];
        if (s.run != e.run || (!e.tag.empty() && s.tag != e.tag))
            continue;
        if constexpr (std::is_same_v<Batch, HistogramSeriesBatch>)
            s.columns.dropFromStep(e.step);
        else
            std::erase_if(s.points, [&](const auto& p) { return p.step >= e.step; });
    }
}

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
    append(into.histograms, part.histograms);
    append(into.media, part.media);
}

} // namespace scopeviz
