#include "ui/scalars/scalar_smoothing.h"

#include "ui/scalars/scalar_series.h"

#include <algorithm>
#include <cmath>

namespace scopeviz::ui {

double StepSmoother::decayFor(int64_t gap)
{
    if (gap == m_st.cachedGap)
        return m_st.cachedDecay;
    m_st.cachedGap = gap;
    m_st.cachedDecay = m_s <= 0 ? 0.0 : std::pow(m_s, double(gap) / m_typical);
    return m_st.cachedDecay;
}

std::vector<double> smoothSteps(const std::vector<int64_t>& steps, const std::vector<double>& values, double smoothing,
                                int64_t typicalStep)
{
    StepSmoother sm(smoothing, typicalStep);
    std::vector<double> out(std::min(steps.size(), values.size()));
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = sm.push(steps[i], values[i]);
    return out;
}

void SmoothingCache::invalidateFrom(std::size_t index)
{
    // Checkpoint k is the state before point k*K: still valid when k*K <= index.
    const std::size_t keep = index / CheckpointInterval + 1;
    if (m_checkpoints.size() > keep)
        m_checkpoints.resize(keep);
    // Block summaries are rebuilt from the start (purges and out-of-order merges are rare).
    m_blocks.clear();
    m_blocksDone = 0;
    m_blockState = SmootherState{};
}

void SmoothingCache::prepare(const ScalarSeries& series, double smoothing, std::size_t upTo)
{
    if (smoothing != m_smoothing || series.typicalStep() != m_typical) {
        m_smoothing = smoothing;
        m_typical = series.typicalStep();
        m_checkpoints.clear();
        m_blocks.clear();
        m_blocksDone = 0;
        m_blockState = SmootherState{};
    }
    if (m_checkpoints.empty())
        m_checkpoints.push_back(SmootherState{});
    const std::size_t need = upTo / CheckpointInterval; // index of the checkpoint to resume from
    const auto& steps = series.steps();
    const auto& values = series.values();
    while (m_checkpoints.size() <= need) {
        const std::size_t from = (m_checkpoints.size() - 1) * CheckpointInterval;
        const std::size_t to = from + CheckpointInterval;
        StepSmoother sm(smoothing, m_typical, m_checkpoints.back());
        for (std::size_t i = from; i < to; ++i)
            sm.push(steps[i], values[i]);
        m_checkpoints.push_back(sm.state());
    }
}

void SmoothingCache::evaluate(const ScalarSeries& series, double smoothing, std::size_t i0, std::size_t i1, float* out)
{
    i1 = std::min(i1, series.size());
    if (i0 >= i1)
        return;
    prepare(series, smoothing, i0);
    std::size_t k = i0 / CheckpointInterval;
    StepSmoother sm(smoothing, m_typical, m_checkpoints[k]);
    const auto& steps = series.steps();
    const auto& values = series.values();
    std::size_t i = k * CheckpointInterval;
    for (; i < i0; ++i)
        sm.push(steps[i], values[i]);
    // Walk contiguous block pieces; record checkpoints we pass for later calls.
    while (i < i1) {
        std::size_t n = 0;
        const int64_t* sp = steps.contiguous(i, i1, n);
        const float* vp = values.contiguous(i, i1, n);
        for (std::size_t j = 0; j < n; ++j) {
            const std::size_t idx = i + j;
            if ((idx & (CheckpointInterval - 1)) == 0 && idx / CheckpointInterval == m_checkpoints.size())
                m_checkpoints.push_back(sm.state());
            out[idx - i0] = float(sm.push(sp[j], vp[j]));
        }
        i += n;
    }
}

const std::vector<BlockSummary>& SmoothingCache::blocks(const ScalarSeries& series, double smoothing)
{
    prepare(series, smoothing, 0);
    const std::size_t n = series.size();
    if (m_blocks.size() == m_blocksDone && m_blocksDone * SummaryBlock >= n)
        return m_blocks;
    m_blocks.resize(m_blocksDone); // drop a partial last block; it is recomputed below
    StepSmoother sm(smoothing, m_typical, m_blockState);
    const auto& steps = series.steps();
    const auto& values = series.values();
    for (std::size_t b = m_blocksDone; b * SummaryBlock < n; ++b) {
        const std::size_t from = b * SummaryBlock, to = std::min(n, from + SummaryBlock);
        BlockSummary blk;
        std::size_t cnt = 0;
        const int64_t* sp = steps.contiguous(from, to, cnt);
        const float* vp = values.contiguous(from, to, cnt); // blocks of 64 never straddle column blocks
        for (std::size_t j = 0; j < cnt; ++j) {
            const std::size_t idx = from + j;
            if ((idx & (CheckpointInterval - 1)) == 0 && idx / CheckpointInterval == m_checkpoints.size())
                m_checkpoints.push_back(sm.state());
            const float v = float(sm.push(sp[j], vp[j]));
            if (!std::isfinite(v))
                continue;
            blk.add(uint8_t(j), v);
        }
        m_blocks.push_back(blk);
        if (to - from == SummaryBlock) {
            m_blockState = sm.state();
            ++m_blocksDone;
        }
    }
    return m_blocks;
}

double SmoothingCache::valueAt(const ScalarSeries& series, double smoothing, std::size_t i)
{
    if (i >= series.size())
        return std::numeric_limits<double>::quiet_NaN();
    prepare(series, smoothing, i);
    const std::size_t k = i / CheckpointInterval;
    StepSmoother sm(smoothing, m_typical, m_checkpoints[k]);
    double v = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t j = k * CheckpointInterval; j <= i; ++j)
        v = sm.push(series.step(j), series.drawValue(j));
    return v;
}

} // namespace scopeviz::ui
