#include "ui/scalars/scalar_series.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace scopeviz::ui {

double ScalarSeries::value(std::size_t i) const
{
    if (!m_exact.empty()) {
        auto it = std::lower_bound(m_exact.begin(), m_exact.end(), i,
                                   [](const std::pair<std::size_t, double>& e, std::size_t k) { return e.first < k; });
        if (it != m_exact.end() && it->first == i)
            return it->second;
    }
    return double(m_value[i]);
}

NonFinite ScalarSeries::nonFinite(std::size_t i) const
{
    const float v = m_value[i];
    if (std::isnan(v))
        return NonFinite::NaN;
    if (std::isinf(v))
        return v > 0 ? NonFinite::PosInf : NonFinite::NegInf;
    return NonFinite::None;
}

void ScalarSeries::pushBack(const ScalarPoint& p)
{
    const std::size_t index = m_step.size();
    float f = float(p.value);
    if (std::isfinite(p.value)) {
        if (!std::isfinite(f)) {
            // A finite double beyond float range: draw it at the float limit, keep it exactly.
            f = std::copysign(FLT_MAX, float(p.value));
            m_exact.emplace_back(index, p.value);
        } else if (double(f) != p.value) {
            m_exact.emplace_back(index, p.value);
        }
    } else {
        m_nonFinite.push_back(index);
    }
    if (index > 0) {
        const int64_t prev = m_step.back();
        if (m_typicalStep == 0 && p.step > prev)
            m_typicalStep = p.step - prev;
        if (p.wallTime < m_wall.back())
            m_wallSorted = false;
        m_minWall = std::min(m_minWall, p.wallTime);
        m_maxWall = std::max(m_maxWall, p.wallTime);
    } else {
        m_minWall = m_maxWall = p.wallTime;
    }
    m_step.push_back(p.step);
    m_wall.push_back(p.wallTime);
    m_value.push_back(f);
    summarize(index, f);
}

void ScalarSeries::summarize(std::size_t index, float v)
{
    const std::size_t b = index >> SummaryShift;
    if (b == m_summary.size())
        m_summary.emplace_back();
    if (!std::isfinite(v))
        return;
    m_summary[b].add(uint8_t(index & (SummaryBlock - 1)), v);
}

void ScalarSeries::append(const ScalarPoint* points, std::size_t count)
{
    if (count == 0)
        return;
    ++m_version;
    // Fast path: the batch continues the series in step order.
    std::size_t sorted = 0;
    int64_t last = empty() ? std::numeric_limits<int64_t>::min() : m_step.back();
    while (sorted < count && points[sorted].step >= last) {
        last = points[sorted].step;
        ++sorted;
    }
    if (sorted == count) {
        const std::size_t need = size() + count;
        m_step.reserve(need);
        m_wall.reserve(need);
        m_value.reserve(need);
        for (std::size_t i = 0; i < count; ++i)
            pushBack(points[i]);
        return;
    }

    // Out of order: merge the new points into the tail from the first step they touch.
    // Existing points keep their place before new points with the same step (stable).
    std::vector<ScalarPoint> incoming(points, points + count);
    std::stable_sort(incoming.begin(), incoming.end(),
                     [](const ScalarPoint& a, const ScalarPoint& b) { return a.step < b.step; });
    const std::size_t start = upperBoundStep(incoming.front().step);
    std::vector<ScalarPoint> tail;
    tail.reserve(size() - start);
    for (std::size_t i = start; i < size(); ++i)
        tail.push_back(ScalarPoint{step(i), wallTime(i), value(i)});
    truncate(start);
    std::vector<ScalarPoint> merged;
    merged.reserve(tail.size() + incoming.size());
    std::merge(tail.begin(), tail.end(), incoming.begin(), incoming.end(), std::back_inserter(merged),
               [](const ScalarPoint& a, const ScalarPoint& b) { return a.step < b.step; });
    for (const ScalarPoint& p : merged)
        pushBack(p);
}

std::size_t ScalarSeries::purgeFrom(int64_t s)
{
    const std::size_t keep = lowerBoundStep(s);
    const std::size_t dropped = size() - keep;
    if (dropped) {
        ++m_version;
        truncate(keep);
    }
    return dropped;
}

void ScalarSeries::truncate(std::size_t n)
{
    if (n >= size())
        return;
    m_step.truncate(n);
    m_wall.truncate(n);
    m_value.truncate(n);
    m_nonFinite.erase(std::lower_bound(m_nonFinite.begin(), m_nonFinite.end(), n), m_nonFinite.end());
    m_exact.erase(std::lower_bound(m_exact.begin(), m_exact.end(), n,
                                   [](const std::pair<std::size_t, double>& e, std::size_t k) { return e.first < k; }),
                  m_exact.end());
    m_smooth.invalidateFrom(n);
    // Rebuild the summary of the (now partial) last block.
    const std::size_t keepBlocks = n >> SummaryShift;
    m_summary.resize(keepBlocks);
    for (std::size_t i = keepBlocks << SummaryShift; i < n; ++i)
        summarize(i, m_value[i]);
    recomputeDerived(0);
}

void ScalarSeries::recomputeDerived(std::size_t)
{
    // Rare (purge, out-of-order merge): one linear pass is fine.
    m_wallSorted = true;
    m_typicalStep = 0;
    m_minWall = m_maxWall = std::numeric_limits<double>::quiet_NaN();
    const std::size_t n = size();
    for (std::size_t i = 0; i < n; ++i) {
        const double w = m_wall[i];
        if (i == 0) {
            m_minWall = m_maxWall = w;
            continue;
        }
        if (w < m_wall[i - 1])
            m_wallSorted = false;
        m_minWall = std::min(m_minWall, w);
        m_maxWall = std::max(m_maxWall, w);
        if (m_typicalStep == 0 && m_step[i] > m_step[i - 1])
            m_typicalStep = m_step[i] - m_step[i - 1];
    }
}

std::size_t ScalarSeries::bytesUsed() const
{
    return sizeof(*this) + m_step.bytes() + m_wall.bytes() + m_value.bytes() +
           m_summary.capacity() * sizeof(BlockSummary) + m_nonFinite.capacity() * sizeof(std::size_t) + m_exact.capacity() * sizeof(m_exact[0]) + m_smooth.bytes();
}

} // namespace scopeviz::ui
