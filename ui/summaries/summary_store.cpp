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

} // namespace

double histogramPercentile(const float* lefts, const float* rights, const float* counts, std::size_t n,
                           int basisPoints)
{
    if (n == 0)
        return 0;
    const double lo = lefts[0];
    const double hi = rights[n - 1];
    double total = 0;
    for (std::size_t i = 0; i < n; ++i)
        total += std::max(0.0f, counts[i]);
    if (!(total > 0))
        return basisPoints <= 0 ? lo : hi;
    const double target = double(basisPoints) / 10000.0 * total;
    double before = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double c = std::max(0.0f, counts[i]);
        const double after = before + c;
        if (after > target && c > 0) {
            // The crossing bucket; a bucket preceded by no mass starts at the minimum.
            const double left = before > 0 ? std::max(double(lefts[i]), lo) : lo;
            const double right = std::min(double(rights[i]), hi);
            return left + (target - before) / c * (right - left);
        }
        before = after;
    }
    return hi;
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
    std::vector<HistogramBucket> shown;
    for (std::size_t k = 0; k < count; ++k) {
        const HistogramPoint& p = points[k];
        shown = tensorBoardBuckets(p.histogram);
        s.steps.push_back(p.step);
        s.wallTimes.push_back(p.wallTime);
        s.mins.push_back(float(p.histogram.min));
        s.maxs.push_back(float(p.histogram.max));
        s.nums.push_back(float(p.histogram.num));
        s.lefts.push_back(shown.empty() ? float(p.histogram.min) : float(shown.front().left));
        const std::size_t at = s.rights.size();
        for (const HistogramBucket& b : shown) {
            s.rights.push_back(float(b.right));
            s.counts.push_back(float(b.count));
        }
        s.firstBucket.push_back(uint32_t(s.rights.size()));
        // Percentiles over this step's buckets (lefts are the previous rights, the first the step's left).
        const std::size_t n = shown.size();
        std::array<float, 9> pct{};
        if (n > 0) {
            std::vector<float> lefts(n);
            lefts[0] = s.lefts.back();
            for (std::size_t b = 1; b < n; ++b)
                lefts[b] = s.rights[at + b - 1];
            for (std::size_t q = 0; q < pct.size(); ++q)
                pct[q] = float(histogramPercentile(lefts.data(), s.rights.data() + at, s.counts.data() + at, n,
                                                   kDistributionBasisPoints[q]));
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
            for (std::size_t b = 0; b < n; ++b) {
                const double w = double(s.rights[at + b]) - double(lefts[b]);
                const double d = w > 0 ? s.counts[at + b] / w : s.counts[at + b];
                if (std::isfinite(d))
                    s.maxDensity = std::max(s.maxDensity, d);
            }
        } else {
            pct.fill(float(p.histogram.min));
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

void SummaryStore::recompute(HistogramSeries& s) const
{
    s.lo = s.hi = 0;
    s.maxDensity = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const std::size_t n = s.bucketCount(i);
        if (n == 0)
            continue;
        const float lo = s.lefts[i], hi = s.rights[s.firstBucket[i] + n - 1];
        if (i == 0) {
            s.lo = lo;
            s.hi = hi;
        }
        s.lo = std::min(s.lo, lo);
        s.hi = std::max(s.hi, hi);
        for (std::size_t b = 0; b < n; ++b) {
            const double w = double(s.rights[s.firstBucket[i] + b]) - double(s.bucketLeft(i, b));
            const double c = s.counts[s.firstBucket[i] + b];
            const double d = w > 0 ? c / w : c;
            if (std::isfinite(d))
                s.maxDensity = std::max(s.maxDensity, d);
        }
    }
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
            recompute(out);
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
