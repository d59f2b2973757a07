#pragma once
// Per-pixel-column decimation of a full-resolution series, at draw time.
//
// The visible x range is split into `columns` equal slices (equal in log space
// for a log axis), one per pixel of the plot. For each slice that holds points
// we emit the first, the minimum, the maximum and the last finite point, in
// index order, so a line through them covers exactly the vertical extent a
// full-resolution line would paint in that pixel column: a single spike among
// millions of points stays visible, and the picture does not change from one
// refresh to the next (no sampling). Slices with four points or fewer are
// emitted as they are, so zooming in shows the exact data.
//
// Cost: two binary searches for the visible index range, then one galloping
// search per non-empty column and one pass over the visible points (per
// contiguous block, no per-point division), i.e. O(visible points). When a
// column holds hundreds of points or more, the series' 64-point block summaries
// (min/max kept on append; for the smoothed curve, built once per smoothing
// value) are walked instead, which divides the work by 64. The output
// holds at most 4 * columns + 2 points (the +2 are the neighbours just outside
// the range, so lines reach the plot edges). If wall times are not monotonic
// in step order (clock jumps), time axes fall back to one linear pass.
//
// Non-finite values never enter the min/max (they would wreck the y range);
// they are reported separately by nonFiniteMarkers() so the plot can mark them.
#include "ui/scalars/scalar_series.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace scopeviz::ui {

/// What the horizontal axis shows.
enum class XAxisMode { Step, Relative, Wall };

/// How a series' points map to x: the step, or the wall time minus an offset.
struct XMapping {
    XAxisMode mode = XAxisMode::Step;
    double offset = 0; ///< subtracted from wall times (the run's first wall time for Relative, 0 for Wall)

    /// True when x is the step.
    bool usesStep() const { return mode == XAxisMode::Step; }
    /// x of point i.
    double x(const ScalarSeries& s, std::size_t i) const
    {
        return usesStep() ? double(s.step(i)) : s.wallTime(i) - offset;
    }
    /// True when x grows with the index (so binary searches apply).
    bool monotonic(const ScalarSeries& s) const { return usesStep() || s.wallSorted(); }
};

/// One output point of a decimated curve.
struct CurvePoint {
    double x = 0;
    double y = 0;
};

/// Which points of a column to keep.
enum class Envelope {
    Full,  ///< first, min, max, last (line curves)
    Lower, ///< the minimum only (lower edge of a band)
    Upper, ///< the maximum only (upper edge of a band)
};

/// What to decimate and for which view.
struct DecimationRequest {
    double xLo = 0;             ///< visible x range
    double xHi = 1;
    int columns = 1000;         ///< pixel columns of the plot
    bool logX = false;          ///< columns equal in log space; x <= 0 not drawable
    bool logY = false;          ///< values <= 0 not drawable
    XMapping map;               ///< point -> x
    bool smoothed = false;      ///< decimate the smoothed curve instead of the raw values
    double smoothing = 0;       ///< slider value for the smoothed curve
    Envelope envelope = Envelope::Full;
};

/// Extent of the emitted points.
struct DecimationStats {
    double yMin = 0;            ///< smallest finite y emitted (valid when points > 0)
    double yMax = 0;            ///< largest finite y emitted
    std::size_t visible = 0;    ///< points of the series inside the x range
};

/// Decimates `series` for `req` into `out` (cleared first); x ascending.
DecimationStats decimate(const ScalarSeries& series, const DecimationRequest& req, std::vector<CurvePoint>& out);

/// The y extent and visible count that decimate() would report for `req` (raw values only:
/// `req.smoothed` must be false), without emitting points: O(visible points / 64) through the
/// block summaries. For charts that draw a curve themselves and need only its extent.
DecimationStats valueExtent(const ScalarSeries& series, const DecimationRequest& req);

/// A NaN/Inf point to mark on a plot.
struct NonFiniteMarker {
    double x = 0;
    NonFinite kind = NonFinite::NaN;
};

/// NaN/Inf points inside the x range, at most one per (pixel column, kind).
void nonFiniteMarkers(const ScalarSeries& series, const DecimationRequest& req, std::vector<NonFiniteMarker>& out);

/// Index of the point whose x is nearest to `x` (series non-empty); ties go to the later point.
std::size_t nearestIndex(const ScalarSeries& series, const XMapping& map, double x);

/// Smallest and largest x of the series (positive x only when logX); false when none.
bool xExtent(const ScalarSeries& series, const XMapping& map, bool logX, double& lo, double& hi);

} // namespace scopeviz::ui
