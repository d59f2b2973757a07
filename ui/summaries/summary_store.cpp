#include "ui/summaries/summary_store.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace scopeviz::ui {

namespace {

std::string key(const std::string& run, const std::string& tag)
{
    std::string k;
    k.reserve(run.size() + tag.size() + 1);
    k += run;
    k += '\0';
    k += tag;
    return k;
}

std::size_t payloadBytes(const MediaPoint& p)
{
    std::size_t n = 0;
    for (const std::string& s : p.items)
        n += s.size();
    for (const std::string& s : p.labels)
        n += s.size();
    return n;
}

template <class T>
std::size_t capacityBytes(const std::vector<T>& v)
{
    return v.capacity() * sizeof(T);
}

/// The value range of `s` after a purge.
void recomputeRange(HistogramSeries& s)
{
    s.lo = s.hi = 0;
    bool any = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const std::size_t n = s.bucketCount(i);
        if (n == 0)
            continue;
        const float lo = s.lefts[i], hi = s.rights[s.firstBucket[i] + n - 1];
        s.lo = any ? std::min(s.lo, lo) : lo;
        s.hi = any ? std::max(s.hi, hi) : hi;
        any = true;
    }
}

} // namespace

void histogramPercentiles(const float* lefts, const float* rights, const float* counts, std::size_t n,
                          std::array<float, 9>& out)
{
    if (n == 0) {
        out.fill(0);
        return;
    }
    const double lo = lefts[0], hi = rights[n - 1];
    double total = 0;
    for (std::size_t i = 0; i < n; ++i)
        total += std::max(0.0f, counts[i]);
    if (!(total > 0)) {
        out.fill(float(hi));
        out[0] = float(lo);
        return;
    }
    // The targets rise, so one walk over the buckets serves all nine .
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
        const double left = before > 0 ? std::max(double(lefts[i]), lo) : lo;
        const double right = std::min(double(rights[i]), hi);
        out[q++] = float(left + (target - before) / c * (right - left));
    }
}

std::size_t HistogramSeries::indexOfStep(int64_t step) const
{
    return std::size_t(std::lower_bound(steps.begin(), steps.end(), step) - steps.begin());
}

std::size_t MediaSeries::indexAtOrBefore(int64_t step) const
{
    auto it = std::upper_bound(points.begin(), points.end(), step,
                               [](int64_t s, const MediaPoint& p) { return s < p.step; });
    return it == points.begin() ? 0 : std::size_t(it - points.begin()) - 1;
}

int SummaryStore::findRun(const std::string& name) const
{
    auto it = m_runIndex.find(name);
    return it == m_runIndex.end() ? -1 : it->second;
}

const std::string& SummaryStore::runLabel(int index) const
{
    const std::string& name = m_runs[std::size_t(index)];
    return name == "." && !m_topLabel.empty() ? m_topLabel : name;
}

int SummaryStore::runIndex(const std::string& name)
{
    auto [it, added] = m_runIndex.emplace(name, int(m_runs.size()));
    if (added)
        m_runs.push_back(name);
    return it->second;
}

int SummaryStore::findHistogram(const std::string& run, const std::string& tag) const
{
    auto it = m_histogramIndex.find(key(run, tag));
    return it == m_histogramIndex.end() ? -1 : it->second;
}

int SummaryStore::findMedia(const std::string& run, const std::string& tag) const
{
    auto it = m_mediaIndex.find(key(run, tag));
    return it == m_mediaIndex.end() ? -1 : it->second;
}

int SummaryStore::appendHistograms(const std::string& run, const std::string& tag, const HistogramPoint* points,
                                   std::size_t count)
{
    auto [it, added] = m_histogramIndex.emplace(key(run, tag), int(m_histograms.size()));
    if (added) {
        HistogramSeries s;
        s.run = runIndex(run);
        s.tag = tag;
        s.firstBucket.push_back(0);
        m_histograms.push_back(std::move(s));
    }
    HistogramSeries& s = m_histograms[std::size_t(it->second)];
    // Room for the whole batch at once (the columns grow once per batch, not once per value).
    std::size_t buckets = 0;
    for (std::size_t k = 0; k < count; ++k)
        buckets += points[k].histogram.buckets.size();
    auto grow = [](auto& v, std::size_t more) {
        if (v.size() + more > v.capacity())
            v.reserve(std::max(v.size() + more, v.capacity() + v.capacity() / 2));
    };
    grow(s.rights, buckets);
    grow(s.counts, buckets);
    for (auto* v : {&s.mins, &s.maxs, &s.nums, &s.lefts})
        grow(*v, count);
    grow(s.steps, count);
    grow(s.wallTimes, count);
    grow(s.firstBucket, count);
    grow(s.percentiles, count);
    std::vector<float> lefts;
    for (std::size_t k = 0; k < count; ++k) {
        const HistogramPoint& p = points[k];
        const Histogram& h = p.histogram;
        // TensorBoard's display form (tensorBoardBuckets) without a copy: empty buckets at both ends dropped,
        // the outer edges at min and max; TF2's [k, 3] tensors are already in that form.
        std::size_t b0 = 0, b1 = h.buckets.size();
        if (!h.tensorForm) {
            while (b0 < b1 && !(h.buckets[b0].count > 0))
                ++b0;
            while (b1 > b0 && !(h.buckets[b1 - 1].count > 0))
                --b1;
        }
        const std::size_t n = b1 - b0;
        s.steps.push_back(p.step);
        s.wallTimes.push_back(p.wallTime);
        s.mins.push_back(float(h.min));
        s.maxs.push_back(float(h.max));
        s.nums.push_back(float(h.num));
        const std::size_t at = s.rights.size();
        lefts.resize(n);
        for (std::size_t b = b0; b < b1; ++b) {
            const bool first = b == b0, last = b + 1 == b1;
            lefts[b - b0] = float(first && !h.tensorForm ? h.min : h.buckets[b].left);
            s.rights.push_back(float(last && !h.tensorForm ? h.max : h.buckets[b].right));
            s.counts.push_back(float(h.buckets[b].count));
        }
        s.lefts.push_back(n ? lefts[0] : float(h.min));
        s.firstBucket.push_back(uint32_t(s.rights.size()));
        std::array<float, 9> pct;
        if (n > 0) {
            histogramPercentiles(lefts.data(), s.rights.data() + at, s.counts.data() + at, n, pct);
            const float lo = lefts[0], hi = s.rights[at + n - 1];
            if (std::isfinite(lo) && std::isfinite(hi)) {
                if (at == 0) {
                    s.lo = lo;
                    s.hi = hi;
                } else {
                    s.lo = std::min(s.lo, lo);
                    s.hi = std::max(s.hi, hi);
                }
            }
        } else {
            pct.fill(float(h.min));
        }
        s.percentiles.push_back(pct);
    }
    return it->second;
}

int SummaryStore::appendMedia(const std::string& run, const std::string& tag, std::vector<MediaPoint> points)
{
    auto [it, added] = m_mediaIndex.emplace(key(run, tag), int(m_media.size()));
    if (added) {
        MediaSeries s;
        s.run = runIndex(run);
        s.tag = tag;
        s.kind = points.empty() ? SummaryKind::Image : points.front().kind;
        m_media.push_back(std::move(s));
    }
    MediaSeries& s = m_media[std::size_t(it->second)];
    for (MediaPoint& p : points) {
        s.bytes += payloadBytes(p);
        s.points.push_back(std::move(p));
    }
    return it->second;
}

std::size_t SummaryStore::purge(const std::string& run, const std::string& tag, int64_t step)
{
    std::size_t dropped = 0;
    for (HistogramSeries& s : m_histograms) {
        if (m_runs[std::size_t(s.run)] != run || (!tag.empty() && s.tag != tag))
            continue;
        // Steps arrive in order within a series except after restarts, which are purged here: keep the
        // values before the first one at or past `step` and every later one below it.
        std::size_t keep = 0;
        HistogramSeries out;
        out.run = s.run;
        out.tag = s.tag;
        out.firstBucket.push_back(0);
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (s.steps[i] >= step) {
                ++dropped;
                continue;
            }
            ++keep;
            out.steps.push_back(s.steps[i]);
            out.wallTimes.push_back(s.wallTimes[i]);
            out.mins.push_back(s.mins[i]);
            out.maxs.push_back(s.maxs[i]);
            out.nums.push_back(s.nums[i]);
            out.lefts.push_back(s.lefts[i]);
            out.percentiles.push_back(s.percentiles[i]);
            const auto b0 = s.rights.begin() + s.firstBucket[i], b1 = s.rights.begin() + s.firstBucket[i + 1];
            out.rights.insert(out.rights.end(), b0, b1);
            out.counts.insert(out.counts.end(), s.counts.begin() + s.firstBucket[i],
                              s.counts.begin() + s.firstBucket[i + 1]);
            out.firstBucket.push_back(uint32_t(out.rights.size()));
        }
        if (keep != s.size()) {
            recomputeRange(out);
            s = std::move(out);
        }
    }
    for (MediaSeries& s : m_media) {
        if (m_runs[std::size_t(s.run)] != run || (!tag.empty() && s.tag != tag))
            continue;
        const std::size_t before = s.points.size();
        std::erase_if(s.points, [&](const MediaPoint& p) {
            if (p.step < step)
                return false;
            s.bytes -= payloadBytes(p);
            return true;
        });
        dropped += before - s.points.size();
    }
    return dropped;
}

SummaryChanges SummaryStore::apply(const WatchBatch& batch)
{
    SummaryChanges ch;
    for (const RunEvent& e : batch.events) {
        if (e.kind == RunEvent::Kind::Purge && findRun(e.run) >= 0 && purge(e.run, e.tag, e.step) > 0)
            ch.purged = true;
    }
    for (const HistogramSeriesBatch& b : batch.histograms) {
        if (b.points.empty())
            continue;
        const int before = histogramCount();
        ch.histograms.push_back(appendHistograms(b.run, b.tag, b.points.data(), b.points.size()));
        ch.seriesAdded = ch.seriesAdded || histogramCount() != before;
    }
    for (const MediaSeriesBatch& b : batch.media) {
        if (b.points.empty())
            continue;
        const int before = mediaCount();
        ch.media.push_back(appendMedia(b.run, b.tag, b.points));
        ch.seriesAdded = ch.seriesAdded || mediaCount() != before;
    }
    for (auto* v : {&ch.histograms, &ch.media}) {
        std::sort(v->begin(), v->end());
        v->erase(std::unique(v->begin(), v->end()), v->end());
    }
    return ch;
}

std::size_t SummaryStore::histogramValues() const
{
    std::size_t n = 0;
    for (const HistogramSeries& s : m_histograms)
        n += s.size();
    return n;
}

std::size_t SummaryStore::bucketCount() const
{
    std::size_t n = 0;
    for (const HistogramSeries& s : m_histograms)
        n += s.rights.size();
    return n;
}

std::size_t SummaryStore::histogramBytes() const
{
    std::size_t n = 0;
    for (const HistogramSeries& s : m_histograms)
        n += sizeof s + s.tag.capacity() + capacityBytes(s.steps) + capacityBytes(s.wallTimes) +
             capacityBytes(s.mins) + capacityBytes(s.maxs) + capacityBytes(s.nums) + capacityBytes(s.firstBucket) +
             capacityBytes(s.lefts) + capacityBytes(s.rights) + capacityBytes(s.counts) +
             capacityBytes(s.percentiles);
    return n;
}

std::size_t SummaryStore::mediaValues(SummaryKind kind) const
{
    std::size_t n = 0;
    for (const MediaSeries& s : m_media)
        if (s.kind == kind)
            n += s.points.size();
    return n;
}

std::size_t SummaryStore::mediaBytes() const
{
    std::size_t n = 0;
    for (const MediaSeries& s : m_media)
        n += s.bytes;
    return n;
}

} // namespace scopeviz::ui
