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

} // namespace

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

int SummaryStore::appendHistograms(const std::string& run, const std::string& tag, const HistogramColumns& columns)
{
    auto [it, added] = m_histogramIndex.emplace(key(run, tag), int(m_histograms.size()));
    if (added) {
        HistogramSeries s;
        s.run = runIndex(run);
        s.tag = tag;
        m_histograms.push_back(std::move(s));
    }
    m_histograms[std::size_t(it->second)].append(columns);
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
        dropped += s.dropFromStep(step);
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
        if (b.columns.empty())
            continue;
        const int before = histogramCount();
        ch.histograms.push_back(appendHistograms(b.run, b.tag, b.columns));
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
        n += sizeof s + s.tag.capacity() + s.capacityBytes();
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
