#include "core/summary/histogram_columns.h"

#include <algorithm>
#include <cmath>

namespace scopeviz {

void histogramPercentiles(float firstLeft, const float* rights, const float* counts, std::size_t n,
                          std::array<float, 9>& out)
{
    if (n == 0) {
        out.fill(0);
        return;
    }
    const double lo = firstLeft, hi = rights[n - 1];
    double total = 0;
    for (std::size_t i = 0; i < n; ++i)
        total += std::max(0.0f, counts[i]);
    if (!(total > 0)) {
        out.fill(float(hi));
        out[0] = float(lo);
        return;
    }
    // The targets rise, so one walk over the buckets serves all nine.
    std::size_t q = 0, i = 0;
    double before = 0;
    while (q < out.size()) {
        const double target = double(kDistributionBasisPoints[q]) / 10000.0 * total;
        while (i < n && !(before + std::max(0.0f, counts[i]) > target && counts[i] > 0)) {
            before += std::max(0.0f, counts[i]);
            ++i;
        }
        if (i == n) {
            for (; q < out.size(); ++q)
                out[q] = float(hi);
            return;
        }
        const double c = counts[i];
        const double bucketLeft = i == 0 ? lo : double(rights[i - 1]);
        const double left = before > 0 ? std::max(bucketLeft, lo) : lo;
        const double right = std::min(double(rights[i]), hi);
        out[q++] = float(left + (target - before) / c * (right - left));
    }
}

std::size_t HistogramColumns::indexOfStep(int64_t step) const
{
    return std::size_t(std::lower_bound(steps.begin(), steps.end(), step) - steps.begin());
}

void HistogramColumns::reserveMore(std::size_t values, std::size_t buckets)
{
    // Geometric growth by hand: a batch appends many values at once, and reserve() alone would
    // grow to exactly what is asked each time.
    auto grow = [](auto& v, std::size_t more) {
        if (v.size() + more > v.capacity())
            v.reserve(std::max(v.size() + more, v.capacity() + v.capacity() / 2));
    };
    grow(rights, buckets);
    grow(counts, buckets);
    for (auto* v : {&mins, &maxs, &nums, &lefts})
        grow(*v, values);
    grow(steps, values);
    grow(wallTimes, values);
    grow(firstBucket, values);
    grow(percentiles, values);
}

void HistogramColumns::extendRange(std::size_t i)
{
    const std::size_t n = bucketCount(i);
    if (n == 0)
        return;
    const float l = lefts[i], h = rights[firstBucket[i] + n - 1];
    if (!std::isfinite(l) || !std::isfinite(h))
        return;
    lo = ranged ? std::min(lo, l) : l;
    hi = ranged ? std::max(hi, h) : h;
    ranged = true;
}

void HistogramColumns::append(int64_t step, double wallTime, const Histogram& h)
{
    const auto [b0, b1] = displayBucketRange(h);
    const std::size_t n = b1 - b0;
    reserveMore(1, n);
    const std::size_t at = rights.size();
    const bool trim = !h.tensorForm; // a HistogramProto's outer edges become min and max
    for (std::size_t b = b0; b < b1; ++b) {
        rights.push_back(float(b + 1 == b1 && trim ? h.max : h.buckets[b].right));
        counts.push_back(float(h.buckets[b].count));
    }
    const float left = n == 0 ? float(h.min) : float(trim ? h.min : h.buckets[b0].left);
    steps.push_back(step);
    wallTimes.push_back(wallTime);
    mins.push_back(float(h.min));
    maxs.push_back(float(h.max));
    nums.push_back(float(h.num));
    lefts.push_back(left);
    firstBucket.push_back(uint32_t(rights.size()));
    std::array<float, 9> pct;
    if (n > 0)
        histogramPercentiles(left, rights.data() + at, counts.data() + at, n, pct);
    else
        pct.fill(float(h.min));
    percentiles.push_back(pct);
    extendRange(size() - 1);
}

void HistogramColumns::append(const HistogramColumns& other, std::size_t from, std::size_t to)
{
    to = std::min(to, other.size());
    if (from >= to)
        return;
    const uint32_t b0 = other.firstBucket[from], b1 = other.firstBucket[to];
    reserveMore(to - from, b1 - b0);
    auto copy = [&](auto& into, const auto& src, std::size_t a, std::size_t b) {
        into.insert(into.end(), src.begin() + std::ptrdiff_t(a), src.begin() + std::ptrdiff_t(b));
    };
    const uint32_t shift = uint32_t(rights.size()) - b0;
    copy(steps, other.steps, from, to);
    copy(wallTimes, other.wallTimes, from, to);
    copy(mins, other.mins, from, to);
    copy(maxs, other.maxs, from, to);
    copy(nums, other.nums, from, to);
    copy(lefts, other.lefts, from, to);
    copy(percentiles, other.percentiles, from, to);
    copy(rights, other.rights, b0, b1);
    copy(counts, other.counts, b0, b1);
    for (std::size_t i = from; i < to; ++i)
        firstBucket.push_back(other.firstBucket[i + 1] + shift);
    // The range of the appended part: `other`'s own when it is whole.
    if (from == 0 && to == other.size()) {
        if (other.ranged) {
            lo = ranged ? std::min(lo, other.lo) : other.lo;
            hi = ranged ? std::max(hi, other.hi) : other.hi;
            ranged = true;
        }
    } else {
        for (std::size_t i = size() - (to - from); i < size(); ++i)
            extendRange(i);
    }
}

void HistogramColumns::dropFront(std::size_t n)
{
    n = std::min(n, size());
    if (n == 0)
        return;
    const uint32_t b = firstBucket[n];
    auto erase = [](auto& v, std::size_t k) { v.erase(v.begin(), v.begin() + std::ptrdiff_t(k)); };
    erase(steps, n);
    erase(wallTimes, n);
    erase(mins, n);
    erase(maxs, n);
    erase(nums, n);
    erase(lefts, n);
    erase(percentiles, n);
    erase(rights, b);
    erase(counts, b);
    erase(firstBucket, n);
    for (uint32_t& f : firstBucket)
        f -= b;
    lo = hi = 0;
    ranged = false;
    for (std::size_t i = 0; i < size(); ++i)
        extendRange(i);
}

std::size_t HistogramColumns::dropFromStep(int64_t step)
{
    // Steps arrive in order except after restarts, which are dropped here: keep the values before the
    // first one at or past `step` and every later one below it.
    HistogramColumns kept;
    std::size_t dropped = 0;
    std::size_t runStart = 0;
    for (std::size_t i = 0; i <= size(); ++i) {
        if (i == size() || steps[i] >= step) {
            kept.append(*this, runStart, i);
            runStart = i + 1;
            dropped += i < size();
        }
    }
    if (dropped > 0)
        *this = std::move(kept);
    return dropped;
}

std::size_t HistogramColumns::capacityBytes() const
{
    auto bytes = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
    return bytes(steps) + bytes(wallTimes) + bytes(mins) + bytes(maxs) + bytes(nums) + bytes(firstBucket) +
           bytes(lefts) + bytes(rights) + bytes(counts) + bytes(percentiles);
}

} // namespace scopeviz
