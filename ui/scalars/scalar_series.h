#pragma once
// Every point of one (run, tag) curve, in compact columns sorted by step.
//
// Columns: step int64 (8 B), wall time double (8 B), value float (4 B): 20 bytes
// a point plus less than one block of slack per column (see ChunkedColumn).
// Values are kept as float because TensorFlow's scalar summaries are float32
// (Summary.Value.simple_value); a double value that float cannot hold exactly
// (from a float64 tensor summary) is also kept exactly in a sparse side table,
// so export and tooltips never lose data. NaN and +-Inf are stored as they are
// and their indices are listed, so plots can mark them instead of dropping them.
//
// Points stay sorted by step (stable: duplicates keep arrival order), which is
// what makes drawing O(visible points) by binary search. Appends in step order
// cost O(1) a point; an out-of-order batch is merged into the tail.
#include "core/summary/scalar_batch.h"
#include "ui/scalars/block_summary.h"
#include "ui/scalars/chunked_column.h"
#include "ui/scalars/scalar_smoothing.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace scopeviz::ui {

/// How a point's value is special, for markers.
enum class NonFinite : uint8_t { None, NaN, PosInf, NegInf };

/// All points of one (run, tag) curve in compact columns, sorted by step.
class ScalarSeries {
public:
    /// Number of points.
    std::size_t size() const { return m_step.size(); }
    /// True when there are no points.
    bool empty() const { return m_step.empty(); }
    /// Step of point i.
    int64_t step(std::size_t i) const { return m_step[i]; }
    /// Wall time (seconds since the epoch) of point i.
    double wallTime(std::size_t i) const { return m_wall[i]; }
    /// Value of point i as stored for drawing (float; finite doubles beyond float range are clamped).
    float drawValue(std::size_t i) const { return m_value[i]; }
    /// Exact value of point i as it was logged.
    double value(std::size_t i) const;
    /// Whether point i is NaN, +Inf or -Inf.
    NonFinite nonFinite(std::size_t i) const;
    /// Sorted indices of the NaN/Inf points.
    const std::vector<std::size_t>& nonFiniteIndices() const { return m_nonFinite; }

    /// Step column, for binary searches.
    const detail::ChunkedColumn<int64_t>& steps() const { return m_step; }
    /// Wall-time column.
    const detail::ChunkedColumn<double>& walls() const { return m_wall; }
    /// Value column (float).
    const detail::ChunkedColumn<float>& values() const { return m_value; }

    /// Min/max summary of each block of 64 points (the last one may be partial).
    const std::vector<BlockSummary>& summaries() const { return m_summary; }

    /// True while wall times are non-decreasing in step order (so time axes can binary-search).
    bool wallSorted() const { return m_wallSorted; }
    /// Smallest and largest wall time (NaN when empty).
    double minWall() const { return m_minWall; }
    double maxWall() const { return m_maxWall; }
    /// The first positive gap between consecutive steps (0 until there is one); the smoother's unit.
    int64_t typicalStep() const { return m_typicalStep; }
    /// Bumped by every change; caches compare it.
    uint64_t version() const { return m_version; }

    /// Appends points (any order; kept sorted by step, duplicates kept).
    void append(const ScalarPoint* points, std::size_t count);
    /// Appends one point.
    void append(const ScalarPoint& p) { append(&p, 1); }
    /// Drops every point with step >= `step` (a restarted run); returns how many were dropped.
    std::size_t purgeFrom(int64_t step);

    /// First index whose step is >= s.
    std::size_t lowerBoundStep(int64_t s) const { return detail::lowerBound(m_step, 0, size(), s); }
    /// First index whose step is > s.
    std::size_t upperBoundStep(int64_t s) const { return detail::upperBound(m_step, 0, size(), s); }

    /// Smoothed values of points [i0, i1) for smoothing `s` into out (step-weighted EMA).
    void smoothed(double s, std::size_t i0, std::size_t i1, float* out) const { m_smooth.evaluate(*this, s, i0, i1, out); }
    /// Smoothed value at point i.
    double smoothedAt(double s, std::size_t i) const { return m_smooth.valueAt(*this, s, i); }
    /// Summaries of the smoothed curve per block of 64 points, for every point.
    const std::vector<BlockSummary>& smoothedBlocks(double s) const { return m_smooth.blocks(*this, s); }

    /// Heap bytes held by the columns, side tables and smoothing checkpoints.
    std::size_t bytesUsed() const;

private:
    void pushBack(const ScalarPoint& p);
    void truncate(std::size_t n);
    void recomputeDerived(std::size_t from);
    void summarize(std::size_t index, float v);

    detail::ChunkedColumn<int64_t> m_step;
    detail::ChunkedColumn<double> m_wall;
    detail::ChunkedColumn<float> m_value;
    std::vector<BlockSummary> m_summary;                ///< one per 64 points
    std::vector<std::size_t> m_nonFinite;               ///< indices of NaN/Inf values
    std::vector<std::pair<std::size_t, double>> m_exact; ///< (index, value) where float is not exact
    bool m_wallSorted = true;
    double m_minWall = std::numeric_limits<double>::quiet_NaN();
    double m_maxWall = std::numeric_limits<double>::quiet_NaN();
    int64_t m_typicalStep = 0;
    uint64_t m_version = 0;
    mutable SmoothingCache m_smooth;
};

} // namespace scopeviz::ui
