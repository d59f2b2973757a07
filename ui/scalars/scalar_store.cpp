#include "ui/scalars/scalar_store.h"

#include "ui/scalars/run_colors.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace scopeviz::ui {

ScalarStore::ScalarStore() = default;
ScalarStore::~ScalarStore() = default;

int ScalarStore::findRun(const std::string& name) const
{
    auto it = m_runIndex.find(name);
    return it == m_runIndex.end() ? -1 : it->second;
}

int ScalarStore::findRunByLabel(const std::string& label) const
{
    for (int r = 0; r < int(m_runs.size()); ++r)
        if (m_runs[std::size_t(r)].label == label)
            return r;
    return findRun(label);
}

std::string ScalarStore::labelFor(const std::string& name) const
{
    return name == "." && !m_topRunLabel.empty() ? m_topRunLabel : name;
}

void ScalarStore::setTopRunLabel(const std::string& label)
{
    m_topRunLabel = label;
    if (const int r = findRun("."); r >= 0)
        m_runs[std::size_t(r)].label = labelFor(".");
}

int ScalarStore::findTag(const std::string& name) const
{
    auto it = m_tagIndex.find(name);
    return it == m_tagIndex.end() ? -1 : it->second;
}

int ScalarStore::findSeries(int run, int tag) const
{
    auto it = m_seriesIndex.find((uint64_t(uint32_t(run)) << 32) | uint32_t(tag));
    return it == m_seriesIndex.end() ? -1 : it->second;
}

int ScalarStore::ensureRun(const std::string& name, bool* added)
{
    auto it = m_runIndex.find(name);
    if (it != m_runIndex.end())
        return it->second;
    const int index = int(m_runs.size());
    RunInfo info;
    info.name = name;
    info.label = labelFor(name);
    info.colorIndex = runColorIndex(name, m_runs.empty() ? -1 : m_runs.back().colorIndex);
    m_runs.push_back(std::move(info));
    m_runSeries.emplace_back();
    m_runIndex.emplace(name, index);
    if (added)
        *added = true;
    return index;
}

int ScalarStore::ensureTag(const std::string& name, bool* added)
{
    auto it = m_tagIndex.find(name);
    if (it != m_tagIndex.end())
        return it->second;
    const int index = int(m_tags.size());
    m_tags.push_back(name);
    m_tagSeries.emplace_back();
    m_tagIndex.emplace(name, index);
    if (added)
        *added = true;
    return index;
}

int ScalarStore::ensureSeries(int run, int tag)
{
    const uint64_t key = (uint64_t(uint32_t(run)) << 32) | uint32_t(tag);
    auto it = m_seriesIndex.find(key);
    if (it != m_seriesIndex.end())
        return it->second;
    const int id = int(m_series.size());
    m_series.push_back(SeriesSlot{std::make_unique<ScalarSeries>(), run, tag});
    // Keep a tag's series in run order so charts list runs consistently.
    auto& ofTag = m_tagSeries[std::size_t(tag)];
    auto pos = std::upper_bound(ofTag.begin(), ofTag.end(), run,
                                [this](int r, int sid) { return r < m_series[std::size_t(sid)].run; });
    ofTag.insert(pos, id);
    m_runSeries[std::size_t(run)].push_back(id);
    m_seriesIndex.emplace(key, id);
    return id;
}

int ScalarStore::append(const std::string& run, const std::string& tag, const ScalarPoint* points, std::size_t count)
{
    const int r = ensureRun(run);
    const int id = ensureSeries(r, ensureTag(tag));
    appendTo(r, id, points, count);
    return id;
}

void ScalarStore::appendTo(int r, int id, const ScalarPoint* points, std::size_t count)
{
    if (count == 0)
        return;
    ScalarSeries& s = *m_series[std::size_t(id)].data;
    s.append(points, count);
    m_points += count;
    RunInfo& info = m_runs[std::size_t(r)];
    for (std::size_t i = 0; i < count; ++i) {
        const double w = points[i].wallTime;
        if (std::isfinite(w) && !(w >= info.firstWall))
            info.firstWall = w;
    }
}

std::size_t ScalarStore::purgeSeries(int id, int64_t step, StoreChanges* changes)
{
    const std::size_t dropped = m_series[std::size_t(id)].data->purgeFrom(step);
    m_points -= dropped;
    if (dropped && changes)
        changes->series.push_back(id);
    return dropped;
}

std::size_t ScalarStore::purge(const std::string& run, const std::string& tag, int64_t step)
{
    const int r = findRun(run);
    if (r < 0)
        return 0;
    std::size_t dropped = 0;
    if (tag.empty()) {
        for (int id : m_runSeries[std::size_t(r)])
            dropped += purgeSeries(id, step, nullptr);
    } else {
        const int t = findTag(tag);
        const int id = t < 0 ? -1 : findSeries(r, t);
        if (id >= 0)
            dropped += purgeSeries(id, step, nullptr);
    }
    return dropped;
}

StoreChanges ScalarStore::apply(const WatchBatch& batch)
{
    StoreChanges ch;
    for (const RunEvent& e : batch.events) {
        switch (e.kind) {
        case RunEvent::Kind::RunAdded: {
            bool added = false;
            const int r = ensureRun(e.run, &added);
            RunInfo& info = m_runs[std::size_t(r)];
            if (added || info.removed)
                ch.runsChanged = true;
            info.removed = false;
            break;
        }
        case RunEvent::Kind::RunRemoved: {
            const int r = findRun(e.run);
            if (r >= 0 && !m_runs[std::size_t(r)].removed) {
                m_runs[std::size_t(r)].removed = true;
                ch.runsChanged = true;
            }
            break;
        }
        case RunEvent::Kind::FileError: {
            if (e.run.empty()) { // a directory problem, not a file of a run
                m_logdirProblem = e.message.empty() ? e.file + ": cannot be read" : e.message;
                ch.logdirChanged = true;
                break;
            }
            const int r = ensureRun(e.run);
            RunInfo& info = m_runs[std::size_t(r)];
            info.hasError = true;
            ++info.errorCount;
            info.errorMessage = e.message.empty() ? e.file + ": unreadable from offset " + std::to_string(e.offset)
                                                  : e.message;
            ch.runsChanged = true;
            break;
        }
        case RunEvent::Kind::Purge: {
            const int r = findRun(e.run);
            if (r < 0)
                break;
            RunInfo& info = m_runs[std::size_t(r)];
            if (e.step == std::numeric_limits<int64_t>::min()) {
                // The whole run is read again from the start: errors still present are reported again.
                if (info.hasError)
                    ch.runsChanged = true;
                info.hasError = false;
                info.errorMessage.clear();
                if (!e.file.empty()) { // a file was replaced or truncated (not just a run that came back)
                    info.hasWarning = true;
                    info.warningMessage = e.message.empty() ? e.file + " was replaced or truncated" : e.message;
                    ch.runsChanged = true;
                }
            } else {
                info.restartMessage = e.message;
                ch.runsChanged = true;
            }
            if (e.tag.empty()) {
                for (int id : m_runSeries[std::size_t(r)])
                    purgeSeries(id, e.step, &ch);
            } else {
                const int t = findTag(e.tag);
                const int id = t < 0 ? -1 : findSeries(r, t);
                if (id >= 0)
                    purgeSeries(id, e.step, &ch);
            }
            break;
        }
        case RunEvent::Kind::LogdirMissing:
            ch.logdirChanged = !m_logdirMissing;
            m_logdirMissing = true;
            break;
        case RunEvent::Kind::LogdirFound:
            ch.logdirChanged = m_logdirMissing;
            m_logdirMissing = false;
            break;
        case RunEvent::Kind::GraphFound:
            break; // graphs are the graph view's business
        }
    }
    // A batch lists a run's series one after the other, and runs log a few tags in rotation: the last run
    // and the last few tags are compared before they are looked up (a sweep's batch brings thousands of
    // short series).
    const std::string* lastRun = nullptr;
    int r = -1;
    std::array<std::pair<const std::string*, int>, 16> recentTags{};
    std::size_t nextTag = 0;
    for (const ScalarSeriesBatch& sb : batch.scalars) {
        if (!lastRun || *lastRun != sb.run) {
            bool runAdded = false;
            r = ensureRun(sb.run, &runAdded);
            lastRun = &sb.run;
            if (runAdded)
                ch.runsChanged = true;
        }
        int t = -1;
        for (const auto& [name, id] : recentTags)
            if (name && *name == sb.tag) {
                t = id;
                break;
            }
        if (t < 0) {
            bool tagAdded = false;
            t = ensureTag(sb.tag, &tagAdded);
            if (tagAdded)
                ch.newTags.push_back(t);
            recentTags[nextTag++ % recentTags.size()] = {&sb.tag, t};
        }
        const int id = ensureSeries(r, t);
        appendTo(r, id, sb.points.data(), sb.points.size());
        if (!sb.points.empty())
            ch.series.push_back(id);
    }
    std::sort(ch.series.begin(), ch.series.end());
    ch.series.erase(std::unique(ch.series.begin(), ch.series.end()), ch.series.end());
    return ch;
}

std::size_t ScalarStore::bytesUsed() const
{
    std::size_t bytes = sizeof(*this) + m_runs.capacity() * sizeof(RunInfo) + m_series.capacity() * sizeof(SeriesSlot) +
                        m_tags.capacity() * sizeof(std::string) + m_seriesIndex.size() * 32;
    for (const auto& slot : m_series)
        bytes += slot.data->bytesUsed();
    for (const auto& v : m_tagSeries)
        bytes += sizeof(v) + v.capacity() * sizeof(int);
    for (const auto& v : m_runSeries)
        bytes += sizeof(v) + v.capacity() * sizeof(int);
    return bytes;
}

double ScalarStore::bytesPerPoint() const
{
    return m_points ? double(bytesUsed()) / double(m_points) : 0.0;
}

} // namespace scopeviz::ui
