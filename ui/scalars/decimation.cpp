#include "ui/scalars/decimation.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>

namespace scopeviz::ui {
namespace {

constexpr std::size_t None = std::numeric_limits<std::size_t>::max();

/// Maps x to a pixel column (equal slices in linear or log space).
struct ColumnMap {
    bool log = false;
    double t0 = 0;
    double width = 1;
    int columns = 1;

    ColumnMap(const DecimationRequest& r) : log(r.logX), columns(std::max(1, r.columns))
    {
        const double a = log ? std::log10(r.xLo) : r.xLo;
        const double b = log ? std::log10(r.xHi) : r.xHi;
        t0 = a;
        width = (b - a) / columns;
        if (!(width > 0))
            width = 1e-300;
    }
    int column(double x) const
    {
        const double t = log ? std::log10(x) : x;
        const double c = std::floor((t - t0) / width);
        if (!(c >= 0))
            return 0;
        return c >= columns ? columns - 1 : int(c);
    }
    /// Smallest x of column c.
    double start(int c) const
    {
        const double t = t0 + double(c) * width;
        return log ? std::pow(10.0, t) : t;
    }
};

/// First/last/min/max finite indices of one column.
struct ColumnStats {
    std::size_t first = None, last = None, lo = None, hi = None;
    float vlo = std::numeric_limits<float>::infinity();
    float vhi = -std::numeric_limits<float>::infinity();

    void scan(const float* p, std::size_t n, std::size_t base, bool logY)
    {
        for (std::size_t k = 0; k < n; ++k) {
            const float v = p[k];
            const bool ok = logY ? (v > 0 && v <= FLT_MAX) : (std::fabs(v) <= FLT_MAX); // false for NaN/Inf
            if (!ok)
                continue;
            const std::size_t idx = base + k;
            if (first == None)
                first = idx;
            last = idx;
            if (v < vlo) {
                vlo = v;
                lo = idx;
            }
            if (v > vhi) {
                vhi = v;
                hi = idx;
            }
        }
    }
};

bool drawable(float v, bool logY) { return logY ? (v > 0 && v <= FLT_MAX) : std::fabs(v) <= FLT_MAX; }

/// The values being decimated: the raw float column or a smoothed scratch buffer over [base, base + size).
struct ValueSource {
    const ScalarSeries* series = nullptr;
    const std::vector<float>* smoothed = nullptr;
    std::size_t base = 0;

    float at(std::size_t i) const { return smoothed ? (*smoothed)[i - base] : series->drawValue(i); }
    template <class F>
    void segments(std::size_t a, std::size_t b, F&& f) const
    {
        if (smoothed)
            f(smoothed->data() + (a - base), b - a, a);
        else
            series->values().forEachSegment(a, b, f);
    }
};

/// Visible index range [i0, i1) for monotonic x.
void visibleRange(const ScalarSeries& s, const DecimationRequest& r, std::size_t& i0, std::size_t& i1)
{
    const std::size_t n = s.size();
    if (r.map.usesStep()) {
        i0 = detail::lowerBound(s.steps(), 0, n, r.xLo);
        i1 = detail::upperBound(s.steps(), 0, n, r.xHi);
        if (r.logX)
            i0 = std::max(i0, detail::upperBound(s.steps(), 0, n, int64_t(0)));
    } else {
        i0 = detail::lowerBound(s.walls(), 0, n, r.xLo + r.map.offset);
        i1 = detail::upperBound(s.walls(), 0, n, r.xHi + r.map.offset);
        if (r.logX)
            i0 = std::max(i0, detail::upperBound(s.walls(), 0, n, r.map.offset));
    }
    if (i1 < i0)
        i1 = i0;
}

/// Index of the first column boundary at or after x, in the series' search key (step or wall).
std::size_t columnEnd(const ScalarSeries& s, const DecimationRequest& r, std::size_t from, std::size_t to, double xEnd)
{
    if (r.map.usesStep())
        return detail::gallopLowerBound(s.steps(), from, to, xEnd);
    return detail::gallopLowerBound(s.walls(), from, to, xEnd + r.map.offset);
}

std::vector<float>& scratch()
{
    thread_local std::vector<float> buf;
    return buf;
}

void emitColumn(const ScalarSeries& s, const DecimationRequest& r, const ValueSource& vals, const ColumnStats& st,
                std::vector<CurvePoint>& out, DecimationStats& stats)
{
    std::size_t idx[4];
    int k = 0;
    switch (r.envelope) {
    case Envelope::Full:
        idx[k++] = st.first;
        idx[k++] = st.lo;
        idx[k++] = st.hi;
        idx[k++] = st.last;
        break;
    case Envelope::Lower: idx[k++] = st.lo; break;
    case Envelope::Upper: idx[k++] = st.hi; break;
    }
    std::sort(idx, idx + k);
    std::size_t prev = None;
    for (int j = 0; j < k; ++j) {
        if (idx[j] == None || idx[j] == prev)
            continue;
        prev = idx[j];
        const double y = vals.at(idx[j]);
        out.push_back(CurvePoint{r.map.x(s, idx[j]), y});
        stats.yMin = std::min(stats.yMin, y);
        stats.yMax = std::max(stats.yMax, y);
    }
}

void emitPoint(const ScalarSeries& s, const DecimationRequest& r, const ValueSource& vals, std::size_t i,
               std::vector<CurvePoint>& out, DecimationStats& stats, bool countInExtent)
{
    const double y = vals.at(i);
    out.push_back(CurvePoint{r.map.x(s, i), y});
    if (countInExtent) {
        stats.yMin = std::min(stats.yMin, y);
        stats.yMax = std::max(stats.yMax, y);
    }
}

DecimationStats decimateUnsorted(const ScalarSeries& s, const DecimationRequest& r, std::vector<CurvePoint>& out)
{
    DecimationStats stats;
    stats.yMin = std::numeric_limits<double>::infinity();
    stats.yMax = -std::numeric_limits<double>::infinity();
    const std::size_t n = s.size();
    ValueSource vals{&s, nullptr, 0};
    if (r.smoothed) {
        auto& buf = scratch();
        buf.resize(n);
        s.smoothed(r.smoothing, 0, n, buf.data());
        vals.smoothed = &buf;
    }
    const ColumnMap cm(r);
    std::vector<ColumnStats> cols(std::size_t(cm.columns));
    for (std::size_t i = 0; i < n; ++i) {
        const double x = r.map.x(s, i);
        if (!(x >= r.xLo && x <= r.xHi) || (r.logX && x <= 0))
            continue;
        ++stats.visible;
        const float v = vals.at(i);
        cols[std::size_t(cm.column(x))].scan(&v, 1, i, r.logY);
    }
    for (const ColumnStats& st : cols)
        if (st.first != None)
            emitColumn(s, r, vals, st, out, stats);
    std::stable_sort(out.begin(), out.end(), [](const CurvePoint& a, const CurvePoint& b) { return a.x < b.x; });
    return stats;
}

/// Extremes of one block for the dense path.
struct BlockStats {
    std::size_t first = None, last = None, lo = None, hi = None;
    float vfirst = 0, vlast = 0, vlo = 0, vhi = 0;
};

/// Raw extremes of block b from its summary (rescanned when log y must skip values <= 0).
bool rawBlock(const ScalarSeries& s, std::size_t b, bool logY, BlockStats& out)
{
    const BlockSummary& sum = s.summaries()[b];
    if (sum.firstAt == NoneInBlock)
        return false;
    const std::size_t base = b << SummaryShift;
    if (logY && !(sum.lo > 0)) {
        ColumnStats st;
        std::size_t n = 0;
        const float* p = s.values().contiguous(base, std::min(s.size(), base + SummaryBlock), n);
        st.scan(p, n, base, true);
        if (st.first == None)
            return false;
        out = BlockStats{st.first, st.last, st.lo, st.hi, s.drawValue(st.first), s.drawValue(st.last), st.vlo, st.vhi};
        return true;
    }
    out.first = base + sum.firstAt;
    out.last = base + sum.lastAt;
    out.lo = base + sum.loAt;
    out.hi = base + sum.hiAt;
    out.vfirst = sum.first;
    out.vlast = sum.last;
    out.vlo = sum.lo;
    out.vhi = sum.hi;
    return true;
}

/// Smoothed extremes of block b.
bool smoothedBlock(const BlockSummary& sum, std::size_t b, bool logY, BlockStats& out)
{
    if (sum.firstAt == NoneInBlock)
        return false;
    const std::size_t base = b << SummaryShift;
    out = BlockStats{base + sum.firstAt, base + sum.lastAt, base + sum.loAt, base + sum.hiAt,
                     sum.first, sum.last, sum.lo, sum.hi};
    if (logY) {
        // Smoothed values <= 0 cannot be drawn on a log axis: keep the positive extremes only.
        if (!(out.vhi > 0))
            return false;
        if (!(out.vlo > 0)) {
            out.lo = out.hi;
            out.vlo = out.vhi;
        }
        if (!(out.vfirst > 0)) {
            out.first = out.hi;
            out.vfirst = out.vhi;
        }
        if (!(out.vlast > 0)) {
            out.last = out.hi;
            out.vlast = out.vhi;
        }
    }
    return true;
}

/// Exact extremes over [from, to) (a block cut by the edge of the visible range).
bool partialBlock(const ScalarSeries& s, const DecimationRequest& r, std::size_t from, std::size_t to, BlockStats& out)
{
    if (from >= to)
        return false;
    float buf[SummaryBlock];
    const std::size_t n = to - from;
    if (r.smoothed)
        s.smoothed(r.smoothing, from, to, buf);
    else
        for (std::size_t i = 0; i < n; ++i)
            buf[i] = s.drawValue(from + i);
    ColumnStats st;
    st.scan(buf, n, from, r.logY);
    if (st.first == None)
        return false;
    out = BlockStats{st.first, st.last, st.lo, st.hi, buf[st.first - from], buf[st.last - from], st.vlo, st.vhi};
    return true;
}

/// Dense view (hundreds of points per pixel column or more): walks 64-point block summaries
/// instead of points, assigning each block to the column of its first finite point. The
/// assignment is off by less than one block, i.e. well under a pixel at this density, and
/// every block's extremes are kept, so spikes stay visible. O(visible points / 64).
void decimateBlocks(const ScalarSeries& s, const DecimationRequest& r, std::size_t i0, std::size_t i1,
                    std::vector<CurvePoint>& out, DecimationStats& stats)
{
    const ColumnMap cm(r);
    const std::vector<BlockSummary>* sm = r.smoothed ? &s.smoothedBlocks(r.smoothing) : nullptr;
    BlockStats col, blk;
    int curCol = -1;
    auto flush = [&] {
        if (curCol < 0)
            return;
        std::size_t idx[4];
        float val[4];
        int k = 0;
        auto add = [&](std::size_t i, float v) {
            idx[k] = i;
            val[k] = v;
            ++k;
        };
        switch (r.envelope) {
        case Envelope::Full:
            add(col.first, col.vfirst);
            add(col.lo, col.vlo);
            add(col.hi, col.vhi);
            add(col.last, col.vlast);
            break;
        case Envelope::Lower: add(col.lo, col.vlo); break;
        case Envelope::Upper: add(col.hi, col.vhi); break;
        }
        // Emit in index order, each point once.
        for (int a = 1; a < k; ++a)
            for (int b = a; b > 0 && idx[b] < idx[b - 1]; --b) {
                std::swap(idx[b], idx[b - 1]);
                std::swap(val[b], val[b - 1]);
            }
        for (int a = 0; a < k; ++a) {
            if (a > 0 && idx[a] == idx[a - 1])
                continue;
            out.push_back(CurvePoint{r.map.x(s, idx[a]), val[a]});
            stats.yMin = std::min(stats.yMin, double(val[a]));
            stats.yMax = std::max(stats.yMax, double(val[a]));
        }
    };
    // Column boundaries in index space (one galloping search per column), so that assigning
    // a block to its column reads no x value: reading the step of every block would touch
    // a new cache line per 64 points and dominate the cost.
    std::vector<std::size_t> bound(std::size_t(cm.columns) + 1, i1);
    bound[0] = i0;
    for (int c = 1; c < cm.columns; ++c)
        bound[std::size_t(c)] = columnEnd(s, r, bound[std::size_t(c - 1)], i1, cm.start(c));
    int c = 0;
    const std::size_t b0 = i0 >> SummaryShift, b1 = (i1 - 1) >> SummaryShift;
    for (std::size_t b = b0; b <= b1; ++b) {
        const std::size_t base = b << SummaryShift, end = std::min(s.size(), base + SummaryBlock);
        bool has;
        if (base < i0 || end > i1) // cut by the visible range: only its visible points
            has = partialBlock(s, r, std::max(base, i0), std::min(end, i1), blk);
        else
            has = sm ? smoothedBlock((*sm)[b], b, r.logY, blk) : rawBlock(s, b, r.logY, blk);
        if (!has)
            continue;
        while (c + 1 < cm.columns && blk.first >= bound[std::size_t(c + 1)])
            ++c;
        if (c != curCol) {
            flush();
            curCol = c;
            col = blk;
            continue;
        }
        col.last = blk.last;
        col.vlast = blk.vlast;
        if (blk.vlo < col.vlo) {
            col.lo = blk.lo;
            col.vlo = blk.vlo;
        }
        if (blk.vhi > col.vhi) {
            col.hi = blk.hi;
            col.vhi = blk.vhi;
        }
    }
    flush();
}

/// Above this many visible points per column, draw from block summaries.
constexpr std::size_t DensePointsPerColumn = 256;

} // namespace

DecimationStats decimate(const ScalarSeries& s, const DecimationRequest& r, std::vector<CurvePoint>& out)
{
    out.clear();
    DecimationStats stats;
    stats.yMin = std::numeric_limits<double>::infinity();
    stats.yMax = -std::numeric_limits<double>::infinity();
    const std::size_t n = s.size();
    if (n == 0 || !(r.xHi >= r.xLo) || (r.logX && !(r.xHi > 0)))
        return stats;
    DecimationRequest req = r;
    if (req.logX && !(req.xLo > 0))
        req.xLo = req.xHi * 1e-12;
    if (!req.map.monotonic(s))
        return decimateUnsorted(s, req, out);

    std::size_t i0 = 0, i1 = 0;
    visibleRange(s, req, i0, i1);
    stats.visible = i1 - i0;

    // Neighbours just outside the range (nearest drawable ones), so lines reach the edges.
    auto drawableX = [&](std::size_t i) { return !req.logX || req.map.x(s, i) > 0; };
    std::size_t before = None, after = None;
    for (std::size_t i = i0, tries = 0; i > 0 && tries < 64; --i, ++tries) {
        if (!drawableX(i - 1))
            break;
        if (drawable(s.drawValue(i - 1), req.logY) || req.smoothed) {
            before = i - 1;
            break;
        }
    }
    for (std::size_t i = i1, tries = 0; i < n && tries < 64; ++i, ++tries) {
        if (drawable(s.drawValue(i), req.logY) || req.smoothed) {
            after = i;
            break;
        }
    }

    const bool dense = stats.visible > DensePointsPerColumn * std::size_t(std::max(1, req.columns));
    if (dense) {
        // Edge neighbours: their (smoothed) values individually; the body from block summaries.
        auto edge = [&](std::size_t i) {
            const double y = req.smoothed ? s.smoothedAt(req.smoothing, i) : double(s.drawValue(i));
            if (drawable(float(y), req.logY))
                out.push_back(CurvePoint{req.map.x(s, i), y});
        };
        if (before != None)
            edge(before);
        decimateBlocks(s, req, i0, i1, out, stats);
        if (after != None)
            edge(after);
        return stats;
    }

    ValueSource vals{&s, nullptr, 0};
    if (req.smoothed) {
        const std::size_t e0 = before != None ? before : i0;
        const std::size_t e1 = after != None ? after + 1 : i1;
        auto& buf = scratch();
        buf.resize(e1 - e0);
        s.smoothed(req.smoothing, e0, e1, buf.data());
        vals.smoothed = &buf;
        vals.base = e0;
        if (before != None && !drawable(vals.at(before), req.logY))
            before = None;
        if (after != None && !drawable(vals.at(after), req.logY))
            after = None;
    }

    out.reserve(std::size_t(std::max(1, req.columns)) * (req.envelope == Envelope::Full ? 4 : 1) + 2);
    if (before != None)
        emitPoint(s, req, vals, before, out, stats, false);

    const ColumnMap cm(req);
    std::size_t i = i0;
    while (i < i1) {
        const int c = cm.column(req.map.x(s, i));
        const std::size_t j = c >= cm.columns - 1 ? i1 : std::max(i + 1, columnEnd(s, req, i + 1, i1, cm.start(c + 1)));
        if (j - i <= 4 && req.envelope == Envelope::Full) {
            for (std::size_t k = i; k < j; ++k)
                if (drawable(vals.at(k), req.logY))
                    emitPoint(s, req, vals, k, out, stats, true);
        } else {
            ColumnStats st;
            vals.segments(i, j, [&](const float* p, std::size_t m, std::size_t base) { st.scan(p, m, base, req.logY); });
            emitColumn(s, req, vals, st, out, stats);
        }
        i = j;
    }

    if (after != None)
        emitPoint(s, req, vals, after, out, stats, false);
    return stats;
}

DecimationStats valueExtent(const ScalarSeries& s, const DecimationRequest& r)
{
    DecimationStats stats;
    stats.yMin = std::numeric_limits<double>::infinity();
    stats.yMax = -std::numeric_limits<double>::infinity();
    DecimationRequest req = r;
    req.smoothed = false;
    if (s.empty() || !(req.xHi >= req.xLo) || (req.logX && !(req.xHi > 0)))
        return stats;
    if (req.logX && !(req.xLo > 0))
        req.xLo = req.xHi * 1e-12;
    if (!req.map.monotonic(s)) {
        thread_local std::vector<CurvePoint> points;
        return decimateUnsorted(s, req, points);
    }
    // decimate() counts every drawable visible value in its extent (each column's extremes, or all
    // of its points), never the neighbours outside: the extremes of whole blocks, and of the points
    // of the blocks cut by the range.
    std::size_t i0 = 0, i1 = 0;
    visibleRange(s, req, i0, i1);
    stats.visible = i1 - i0;
    if (i0 >= i1)
        return stats;
    BlockStats blk;
    const std::size_t b0 = i0 >> SummaryShift, b1 = (i1 - 1) >> SummaryShift;
    for (std::size_t b = b0; b <= b1; ++b) {
        const std::size_t base = b << SummaryShift, end = std::min(s.size(), base + SummaryBlock);
        const bool has = (base < i0 || end > i1) ? partialBlock(s, req, std::max(base, i0), std::min(end, i1), blk)
                                                 : rawBlock(s, b, req.logY, blk);
        if (!has)
            continue;
        stats.yMin = std::min(stats.yMin, double(blk.vlo));
        stats.yMax = std::max(stats.yMax, double(blk.vhi));
    }
    return stats;
}

void nonFiniteMarkers(const ScalarSeries& s, const DecimationRequest& r, std::vector<NonFiniteMarker>& out)
{
    out.clear();
    const auto& nf = s.nonFiniteIndices();
    if (nf.empty() || !(r.xHi >= r.xLo))
        return;
    DecimationRequest req = r;
    if (req.logX && !(req.xLo > 0))
        req.xLo = req.xHi * 1e-12;
    const ColumnMap cm(req);
    // One marker per (column, kind): kinds are NaN, +Inf, -Inf.
    std::vector<uint8_t> seen(std::size_t(cm.columns), 0);
    auto add = [&](std::size_t i) {
        const double x = req.map.x(s, i);
        if (!(x >= req.xLo && x <= req.xHi) || (req.logX && x <= 0))
            return;
        const NonFinite kind = s.nonFinite(i);
        const uint8_t bit = uint8_t(1u << int(kind));
        uint8_t& flags = seen[std::size_t(cm.column(x))];
        if (flags & bit)
            return;
        flags |= bit;
        out.push_back(NonFiniteMarker{x, kind});
    };
    if (req.map.monotonic(s)) {
        std::size_t i0 = 0, i1 = 0;
        visibleRange(s, req, i0, i1);
        for (auto it = std::lower_bound(nf.begin(), nf.end(), i0); it != nf.end() && *it < i1; ++it)
            add(*it);
    } else {
        for (std::size_t i : nf)
            add(i);
    }
}

std::size_t nearestIndex(const ScalarSeries& s, const XMapping& map, double x)
{
    const std::size_t n = s.size();
    if (n == 0)
        return 0;
    if (!map.monotonic(s)) {
        std::size_t best = 0;
        double bestD = std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < n; ++i) {
            const double d = std::fabs(map.x(s, i) - x);
            if (d <= bestD) {
                bestD = d;
                best = i;
            }
        }
        return best;
    }
    std::size_t j = map.usesStep() ? detail::lowerBound(s.steps(), 0, n, x)
                                   : detail::lowerBound(s.walls(), 0, n, x + map.offset);
    if (j >= n)
        j = n - 1;
    else if (j > 0 && std::fabs(map.x(s, j - 1) - x) < std::fabs(map.x(s, j) - x))
        j = j - 1;
    // Among duplicates of that x, show the latest logged.
    while (j + 1 < n && map.x(s, j + 1) == map.x(s, j))
        ++j;
    return j;
}

bool xExtent(const ScalarSeries& s, const XMapping& map, bool logX, double& lo, double& hi)
{
    const std::size_t n = s.size();
    if (n == 0)
        return false;
    if (map.monotonic(s)) {
        std::size_t first = 0;
        if (logX) {
            first = map.usesStep() ? detail::upperBound(s.steps(), 0, n, int64_t(0))
                                   : detail::upperBound(s.walls(), 0, n, map.offset);
            if (first >= n)
                return false;
        }
        lo = map.x(s, first);
        hi = map.x(s, n - 1);
        return true;
    }
    lo = s.minWall() - map.offset;
    hi = s.maxWall() - map.offset;
    if (logX) {
        if (!(hi > 0))
            return false;
        if (!(lo > 0)) {
            lo = hi;
            for (std::size_t i = 0; i < n; ++i) {
                const double x = map.x(s, i);
                if (x > 0 && x < lo)
                    lo = x;
            }
        }
    }
    return true;
}

} // namespace scopeviz::ui
