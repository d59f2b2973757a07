#pragma once
// Histograms of one (run, tag) in TensorBoard's display form, as compact
// float columns: what a log-directory watcher hands over (WatchBatch) and
// what the GUI's summary store keeps, so that storing a batch is appending
// columns, not converting histograms.
//
// Display form: empty buckets at both ends dropped and the outermost edges
// replaced by min and max (TF2's [k, 3] tensors are already in that form).
// Per bucket: its right edge and count (8 bytes); per step: its left edge,
// min, max, count, wall time and the nine percentiles of TensorBoard's
// Distributions dashboard, computed once when the histogram is appended.
#include "core/summary/event_reader.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace scopeviz {

/// TensorBoard's Distributions percentiles, in basis points: min, 6.68 %, 15.87 %, 30.85 %, 50 %, 69.15 %,
/// 84.13 %, 93.32 %, max (the normal distribution's -inf, -1.5σ, -1σ, -0.5σ, 0, … +inf).
inline constexpr std::array<int, 9> kDistributionBasisPoints = {0, 668, 1587, 3085, 5000, 6915, 8413, 9332, 10000};

/// The nine kDistributionBasisPoints percentiles of one histogram, in one pass: for each, the value below
/// which that share of the mass lies, interpolating linearly inside the bucket where the cumulative count
/// crosses it; a bucket that no mass precedes starts at the histogram's minimum (TensorBoard's
/// compressHistogram). Bucket i is (`lefti`, `rights[i]`], with lefti = `firstLeft` for i = 0 and
/// `rights[i-1]` after it, in increasing order.
void histogramPercentiles(float firstLeft, const float* rights, const float* counts, std::size_t n,
                          std::array<float, 9>& out);

/// Histograms in arrival order, as columns.
struct HistogramColumns {
    std::vector<int64_t> steps;
    std::vector<double> wallTimes;
    std::vector<float> mins, maxs, nums;
    std::vector<uint32_t> firstBucket{0}; ///< step i's buckets are [firstBucket[i], firstBucket[i+1]) (one extra entry)
    std::vector<float> lefts;             ///< left edge of step i's first bucket (= its min in display form)
    std::vector<float> rights;            ///< per bucket
    std::vector<float> counts;            ///< per bucket
    std::vector<std::array<float, 9>> percentiles; ///< per step, at kDistributionBasisPoints
    float lo = 0, hi = 0;                 ///< finite value range over all steps (for a shared x axis)
    bool ranged = false;                  ///< lo and hi hold a range (some step had finite, non-empty buckets)

    std::size_t size() const { return steps.size(); }
    bool empty() const { return steps.empty(); }
    std::size_t bucketCount(std::size_t i) const { return firstBucket[i + 1] - firstBucket[i]; }
    /// Left edge of bucket b of step i.
    float bucketLeft(std::size_t i, std::size_t b) const
    {
        return b == 0 ? lefts[i] : rights[firstBucket[i] + b - 1];
    }
    /// Index of the first step >= `step`, or size() (steps in order).
    std::size_t indexOfStep(int64_t step) const;

    /// Appends `h` in display form, with its percentiles.
    void append(int64_t step, double wallTime, const Histogram& h);
    /// Appends steps [from, to) of `other`.
    void append(const HistogramColumns& other, std::size_t from = 0, std::size_t to = SIZE_MAX);
    /// Drops steps [0, n) (the front of a batch that was handed on).
    void dropFront(std::size_t n);
    /// Drops every step >= `step` (a restart); returns how many.
    std::size_t dropFromStep(int64_t step);
    /// Heap bytes of the columns.
    std::size_t capacityBytes() const;

private:
    void extendRange(std::size_t i);
    void reserveMore(std::size_t values, std::size_t buckets);
};

} // namespace scopeviz
