#pragma once
// Every histogram, image, audio clip and text value of every (run, tag), as
// delivered by a log-directory watcher (WatchBatch::histograms and ::media).
// Qt-free; lives on the GUI thread beside the scalar store, fed by the same
// batches, with the same rules: events first, then points; a Purge drops what
// earlier batches delivered with step >= S; removed runs keep their data.
//
// Every step is kept (TensorBoard keeps 500 histograms and 10 images per tag
// by reservoir sampling); only the drawing picks what fits in the pixels.
//
// Histograms are held as the watcher delivers them: HistogramColumns, in
// TensorBoard's display form with their percentiles, so storing a batch is
// appending columns. Images, audio and text keep their encoded payloads as
// written (PNG, WAV, UTF-8).
#include "core/summary/scalar_batch.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

namespace scopeviz::ui {

/// All histograms of one (run, tag), in arrival order, as columns.
struct HistogramSeries : HistogramColumns {
    int run = 0;
    std::string tag;
};

/// All images, audio clips or texts of one (run, tag), in arrival order.
struct MediaSeries {
    int run = 0;
    std::string tag;
    SummaryKind kind = SummaryKind::Image;
    std::vector<MediaPoint> points;
    std::size_t bytes = 0; ///< payload bytes held
    /// Index of the point at `step` or the last before it (0 when none is before).
    std::size_t indexAtOrBefore(int64_t step) const;
};

/// What one apply() changed.
struct SummaryChanges {
    std::vector<int> histograms; ///< ids of histogram series that changed (sorted, unique)
    std::vector<int> media;      ///< ids of media series that changed (sorted, unique)
    bool seriesAdded = false;    ///< a new series (and maybe a new run) appeared
    bool purged = false;         ///< data was dropped
    bool empty() const { return histograms.empty() && media.empty() && !seriesAdded && !purged; }
};

/// The non-scalar summaries of a log directory.
class SummaryStore {
public:
    /// Applies a watcher batch (Purge events first, then points).
    SummaryChanges apply(const WatchBatch& batch);
    /// Appends histograms to (run, tag); returns the series id.
    int appendHistograms(const std::string& run, const std::string& tag, const HistogramColumns& columns);
    /// Appends media values to (run, tag); returns the series id.
    int appendMedia(const std::string& run, const std::string& tag, std::vector<MediaPoint> points);
    /// Drops data of `run` (every tag when `tag` is empty) with step >= `step`; returns how many values.
    std::size_t purge(const std::string& run, const std::string& tag, int64_t step);

    /// Runs in order of appearance.
    const std::vector<std::string>& runs() const { return m_runs; }
    int findRun(const std::string& name) const;
    /// Names the run at the top of the log directory (key ".") as the scalar dashboard does.
    void setTopRunLabel(const std::string& label) { m_topLabel = label; }
    /// What the user sees for run `index`.
    const std::string& runLabel(int index) const;

    int histogramCount() const { return int(m_histograms.size()); }
    const HistogramSeries& histogram(int id) const { return m_histograms[std::size_t(id)]; }
    int mediaCount() const { return int(m_media.size()); }
    const MediaSeries& media(int id) const { return m_media[std::size_t(id)]; }
    /// Series id of (run, tag) of the given kind, or -1.
    int findHistogram(const std::string& run, const std::string& tag) const;
    int findMedia(const std::string& run, const std::string& tag) const;

    /// Histogram values held, buckets held, and heap bytes of the histogram columns.
    std::size_t histogramValues() const;
    std::size_t bucketCount() const;
    std::size_t histogramBytes() const;
    /// Media values of a kind, and their payload bytes.
    std::size_t mediaValues(SummaryKind kind) const;
    std::size_t mediaBytes() const;

private:
    int runIndex(const std::string& name);

    std::vector<std::string> m_runs;
    std::unordered_map<std::string, int> m_runIndex;
    std::string m_topLabel;
    // Deques: a series keeps its address while others are added, so views may hold pointers to it.
    std::deque<HistogramSeries> m_histograms;
    std::deque<MediaSeries> m_media;
    std::unordered_map<std::string, int> m_histogramIndex; ///< run '\0' tag -> id
    std::unordered_map<std::string, int> m_mediaIndex;
};

} // namespace scopeviz::ui
