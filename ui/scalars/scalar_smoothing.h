#pragma once
// Step-weighted, debiased exponential moving average.
//
// TensorBoard smooths over the point index after downsampling, so its curve
// depends on how densely a run logged and on which points the sampler kept,
// and its past changes as data arrives. Here the weight of history depends on
// the STEP DISTANCE between points, on the full series:
//
//   decay_k   = s ^ ((step_k - step_{k-1}) / typicalStep)
//   acc_k     = decay_k * acc_{k-1} + (1 - decay_k) * value_k
//   weight_k  = decay_k * weight_{k-1} + (1 - decay_k)          (acc_0 = weight_0 = 0)
//   smooth_k  = acc_k / weight_k                                 (TensorBoard's debiasing)
//
// `s` is the slider value: the weight the previous estimate keeps across a
// gap of one typical step. `typicalStep` is the series' first positive step
// gap, fixed once seen, so appending points never rescales the past; with
// evenly spaced steps the result equals TensorBoard's index EMA, with a gap the
// history decays as if the missing points had been there.
//
// Every smoothed value is a function of its prefix only, so it never changes
// when points are appended. Non-finite values are skipped (the estimate carries
// over them). Points sharing a step (duplicates) count as one observation: the
// k-th duplicate sees the mean of the k values logged at that step so far,
// blended once with the history before that step.
//
// Storage: nothing per point. A SmoothingCache keeps the EMA state every
// CheckpointInterval points, so any range can be evaluated by resuming from the
// nearest checkpoint; appending extends the checkpoints incrementally.
#include "ui/scalars/block_summary.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace scopeviz::ui {

class ScalarSeries;

/// The state of the step-weighted EMA after some prefix of a series.
struct SmootherState {
    double accBefore = 0;    ///< EMA numerator before the current step group
    double weightBefore = 0; ///< EMA weight before the current step group
    double decay = 0;        ///< decay applied between the previous group and the current one
    double groupSum = 0;     ///< sum of finite values at the current step
    int64_t groupCount = 0;  ///< number of finite values at the current step (0 = none yet)
    int64_t groupStep = 0;   ///< the current step
    int64_t cachedGap = -1;  ///< last gap for which `cachedDecay` was computed (pow is costly)
    double cachedDecay = 0;
};

/// Step-weighted debiased EMA over points fed in step order.
class StepSmoother {
public:
    /// `smoothing` in [0, 1): weight of the previous estimate across one typical step.
    StepSmoother(double smoothing, int64_t typicalStep, SmootherState state = {})
        : m_s(smoothing), m_typical(typicalStep > 0 ? double(typicalStep) : 1.0), m_st(state)
    {
    }

    /// Feeds one point; returns the smoothed value at it (the carried estimate for a non-finite value).
    double push(int64_t step, double value)
    {
        if (!(value - value == 0)) // NaN or +-Inf: skipped, estimate carries over
            return estimate();
        if (m_st.groupCount > 0 && step == m_st.groupStep) {
            m_st.groupSum += value;
            ++m_st.groupCount;
        } else {
            if (m_st.groupCount > 0) {
                const double mean = m_st.groupSum / double(m_st.groupCount);
                m_st.accBefore = m_st.decay * m_st.accBefore + (1 - m_st.decay) * mean;
                m_st.weightBefore = m_st.decay * m_st.weightBefore + (1 - m_st.decay);
                m_st.decay = decayFor(step - m_st.groupStep);
            } else {
                // First finite point: any decay < 1 gives the point itself after debiasing.
                m_st.decay = m_s;
            }
            m_st.groupStep = step;
            m_st.groupSum = value;
            m_st.groupCount = 1;
        }
        return estimate();
    }

    /// The smoothed value after the points fed so far (NaN before the first finite point).
    double estimate() const
    {
        if (m_st.groupCount == 0)
            return std::numeric_limits<double>::quiet_NaN();
        const double mean = m_st.groupSum / double(m_st.groupCount);
        const double acc = m_st.decay * m_st.accBefore + (1 - m_st.decay) * mean;
        const double w = m_st.decay * m_st.weightBefore + (1 - m_st.decay);
        return w > 0 ? acc / w : mean;
    }

    /// The state, to resume later.
    const SmootherState& state() const { return m_st; }

private:
    double decayFor(int64_t gap);

    double m_s;
    double m_typical;
    SmootherState m_st;
};

/// Reference evaluation over plain arrays (tests, aggregates): one smoothed value per point.
std::vector<double> smoothSteps(const std::vector<int64_t>& steps, const std::vector<double>& values, double smoothing,
                                int64_t typicalStep);

/// Per-series checkpoints of the smoother for one smoothing value, built lazily and incrementally.
class SmoothingCache {
public:
    /// Points between checkpoints: resuming costs at most this many EMA updates.
    static constexpr std::size_t CheckpointInterval = 4096;

    /// Writes the smoothed values of points [i0, i1) of `series` into out[0 .. i1-i0).
    void evaluate(const ScalarSeries& series, double smoothing, std::size_t i0, std::size_t i1, float* out);
    /// The smoothed value at point i.
    double valueAt(const ScalarSeries& series, double smoothing, std::size_t i);
    /// Per-block extremes of the smoothed curve over the whole series (zoomed-out drawing).
    const std::vector<BlockSummary>& blocks(const ScalarSeries& series, double smoothing);
    /// Forgets every checkpoint after point `index` (the series changed from there on).
    void invalidateFrom(std::size_t index);
    /// Heap bytes held.
    std::size_t bytes() const
    {
        return m_checkpoints.capacity() * sizeof(SmootherState) + m_blocks.capacity() * sizeof(BlockSummary);
    }

private:
    void prepare(const ScalarSeries& series, double smoothing, std::size_t upTo);

    double m_smoothing = -1;
    int64_t m_typical = -1;
    std::vector<SmootherState> m_checkpoints; ///< state before point k * CheckpointInterval
    std::vector<BlockSummary> m_blocks;      ///< complete blocks, then possibly one partial block
    std::size_t m_blocksDone = 0;             ///< complete blocks in m_blocks
    SmootherState m_blockState;               ///< state before block m_blocksDone
};

} // namespace scopeviz::ui
