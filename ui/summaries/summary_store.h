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
// Histograms are held in TensorBoard's display form (empty buckets at both
// ends dropped, outer edges at min and max) as compact float columns: per
// bucket its right edge and count (8 bytes), per step its left edge, min, max,
// count and the nine percentiles of the Distributions dashboard. Images, audio
// and text keep their encoded payloads as written (PNG, WAV, UTF-8).
#include "core/summary/scalar_batch.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

namespace scopeviz::ui {

/// TensorBoard's Distributions percentiles, in basis points: min, 6.68 %, 15.87 %, 30.85 %, 50 %, 69.15 %,
/// 84.13 %, 93.32 %, max (the normal distribution's -inf, -1.5σ, -1σ, -0.5σ, 0, … +inf).
inline constexpr std::array<int, 9> kDistributionBasisPoints = {0, 668, 1587, 3085, 5000, 6915, 8413, 9332, 10000};

/// The nine kDistributionBasisPoints percentiles of one histogram, in one pass: for each, the value below
/// which that share of the mass lies, interpolating linearly inside the bucket where the cumulative count
/// crosses it; a bucket that no mass precedes starts at the histogram's minimum (TensorBoard's
/// compressHistogram). `lefts[i]`..`rights[i]` is bucket i, in increasing order.
void histogramPercentiles(const float* lefts, const float* rights, const float* counts, std::size_t n,
                          std::array<float, 9>& out);

/// All histograms of one (run, tag), in arrival order, as columns.
struct HistogramSeries {
    int run = 0;
    std::string tag;
    std::vector<int64_t> steps;
    std::vector<double> wallTimes;
    std::vector<float> mins, maxs, nums;
    std::vector<uint32_t> firstBucket; ///< step i's buckets are [firstBucket[i], firstBucket[i+1]) (one extra entry)
    std::vector<float> lefts;          ///< left edge of step i's first bucket (= its min in display form)
    std::vector<float> rights;         ///< per bucket
    std::vector<float> counts;         ///< per bucket
    std::vector<std::array<float, 9>> percentiles; ///< per step, at kDistributionBasisPoints
    float lo = 0, hi = 0;              ///< value range over all steps (for a shared x axis)

    std::size_t size() const { return steps.size(); }
    std::size_t bucketCount(std::size_t i) const { return firstBucket[i + 1] - firstBucket[i]; }
    /// Left edge of bucket b of step i.
    float bucketLeft(std::size_t i, std::size_t b) const
    {
        return b == 0 ? lefts[i] : rights[firstBucket[i] + b - 1];
    }
    /// Index of the first step >= `step`, or size().
    std::size_t indexOfStep(int64_t step) const;
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
    int appendHistograms(const std::string& run, const std::string& tag, const HistogramPoint* points,
                         std::size_t count);
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
