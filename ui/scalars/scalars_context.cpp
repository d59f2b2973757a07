#include "ui/scalars/scalars_context.h"

#include "ui/common/theme.h"
#include "ui/scalars/run_colors.h"
#include "ui/scalars/run_list_model.h"

#include <QHash>

#include <algorithm>
#include <cmath>

namespace scopeviz::ui {
namespace {

uint64_t mix(uint64_t h, uint64_t v)
{
    // splitmix64 step: order-sensitive and well spread, enough for cache keys.
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 29);
}

} // namespace

ScalarsContext::ScalarsContext() = default;
ScalarsContext::~ScalarsContext() = default;

void ScalarsContext::settingsChanged()
{
    ++m_settingsVersion;
}

void ScalarsContext::setRunFilter(const QRegularExpression& re)
{
    m_runFilter = re;
    ++m_filterVersion;
}

void ScalarsContext::updateShown() const
{
    const quint64 key = mix(mix(m_filterVersion, m_runModel ? m_runModel->visibilityVersion() : 0), 0);
    const std::size_t n = std::size_t(m_store.runCount());
    if (key == m_shownKey && m_shown.size() == n)
        return;
    // Only new runs need the filter when neither it nor a check state changed.
    const std::size_t from = key == m_shownKey ? m_shown.size() : 0;
    m_shown.resize(n);
    const bool filtering = !m_runFilter.pattern().isEmpty() && m_runFilter.isValid();
    for (std::size_t r = from; r < n; ++r) {
        bool on = !m_runModel || m_runModel->isChecked(int(r));
        if (on && filtering)
            on = m_runFilter.match(QString::fromStdString(m_store.run(int(r)).label)).hasMatch();
        m_shown[r] = on;
    }
    m_shownCount = int(std::count(m_shown.begin(), m_shown.end(), char(1)));
    m_shownKey = key;
}

bool ScalarsContext::runShown(int run) const
{
    updateShown();
    return run >= 0 && std::size_t(run) < m_shown.size() && m_shown[std::size_t(run)];
}

int ScalarsContext::shownRunCount() const
{
    updateShown();
    return m_shownCount;
}

void ScalarsContext::setSelectedRuns(std::vector<int> runs)
{
    std::vector<char> selected(std::size_t(m_store.runCount()), 0);
    for (int r : runs)
        if (r >= 0 && r < int(selected.size()))
            selected[std::size_t(r)] = 1;
    if (selected == m_selected)
        return;
    m_selected = std::move(selected);
    m_selectedCount = int(std::count(m_selected.begin(), m_selected.end(), char(1)));
    ++m_selectionVersion;
}

void ScalarsContext::regroup()
{
    // Group keys are computed once per run and regex: a refresh during ingest only adds new runs.
    const QString pattern = m_settings.groupRegex.pattern();
    const bool fresh = pattern != m_groupPattern;
    std::vector<int> groupOf = fresh ? std::vector<int>{} : m_groupOfRun;
    std::vector<QString> names = fresh ? std::vector<QString>{} : m_groupNames;
    QHash<QString, int> index = fresh ? QHash<QString, int>{} : m_groupIndex;
    for (int r = int(groupOf.size()); r < m_store.runCount(); ++r) {
        const QString key = runGroupKey(QString::fromStdString(m_store.run(r).label), m_settings.groupRegex);
        auto it = index.find(key);
        if (it == index.end()) {
            it = index.insert(key, int(names.size()));
            names.push_back(key);
        }
        groupOf.push_back(it.value());
    }
    m_groupPattern = pattern;
    m_groupIndex = std::move(index);
    // A group wears the colour of its first run, so the run list still reads as the legend.
    std::vector<int> colors(names.size(), -1);
    for (int r = 0; r < int(groupOf.size()); ++r)
        if (colors[std::size_t(groupOf[std::size_t(r)])] < 0)
            colors[std::size_t(groupOf[std::size_t(r)])] = m_store.run(r).colorIndex;
    m_groupColor = std::move(colors);
    if (groupOf != m_groupOfRun || names != m_groupNames) {
        m_groupOfRun = std::move(groupOf);
        m_groupNames = std::move(names);
        ++m_groupVersion;
        m_aggregates.clear();
    }
    // Mean first wall time per group (origin of the wall-clock axis for a group's mean curve).
    m_groupFirstWall.assign(m_groupNames.size(), 0.0);
    std::vector<int> counts(m_groupNames.size(), 0);
    for (int r = 0; r < int(m_groupOfRun.size()); ++r) {
        const double w = m_store.run(r).firstWall;
        if (std::isfinite(w)) {
            m_groupFirstWall[std::size_t(m_groupOfRun[std::size_t(r)])] += w;
            ++counts[std::size_t(m_groupOfRun[std::size_t(r)])];
        }
    }
    for (std::size_t g = 0; g < counts.size(); ++g)
        if (counts[g])
            m_groupFirstWall[g] /= counts[g];
}

int ScalarsContext::groupOf(int run) const
{
    return run >= 0 && run < int(m_groupOfRun.size()) ? m_groupOfRun[std::size_t(run)] : -1;
}

quint64 ScalarsContext::viewVersion() const
{
    uint64_t h = mix(0, m_settingsVersion);
    h = mix(h, m_filterVersion);
    h = mix(h, m_groupVersion);
    h = mix(h, m_runModel ? m_runModel->visibilityVersion() : 0);
    h = mix(h, m_selectionVersion);
    return h;
}

std::vector<ChartCurve> ScalarsContext::curvesForTag(int tag) const
{
    std::vector<ChartCurve> curves;
    if (tag < 0 || tag >= m_store.tagCount())
        return curves;
    const XAxisMode mode = m_settings.xMode;
    if (!m_settings.grouping) {
        for (int id : m_store.seriesOfTag(tag)) {
            const int r = m_store.seriesRun(id);
            if (!runShown(r))
                continue;
            const RunInfo& info = m_store.run(r);
            ChartCurve c;
            c.kind = ChartCurve::Kind::Run;
            c.index = r;
            c.name = QString::fromStdString(info.label);
            c.color = runColor(info.colorIndex);
            c.seriesId = id;
            c.map.mode = mode;
            c.map.offset = mode == XAxisMode::Relative && std::isfinite(info.firstWall) ? info.firstWall : 0.0;
            c.hasError = info.hasError;
            c.selected = runSelected(r);
            curves.push_back(std::move(c));
        }
        return curves;
    }
    // Grouped: one curve per group that has shown members with data for this tag.
    std::map<int, std::size_t> slot;
    for (int id : m_store.seriesOfTag(tag)) {
        const int r = m_store.seriesRun(id);
        if (!runShown(r) || m_store.series(id).empty())
            continue;
        const int g = groupOf(r);
        if (g < 0)
            continue;
        auto it = slot.find(g);
        if (it == slot.end()) {
            ChartCurve c;
            c.kind = ChartCurve::Kind::Group;
            c.index = g;
            c.name = m_groupNames[std::size_t(g)];
            c.color = runColor(m_groupColor[std::size_t(g)]);
            c.map.mode = mode;
            // The aggregate's wall column holds the mean relative time.
            c.map.offset = mode == XAxisMode::Wall ? -m_groupFirstWall[std::size_t(g)] : 0.0;
            it = slot.emplace(g, curves.size()).first;
            curves.push_back(std::move(c));
        }
        ChartCurve& c = curves[it->second];
        c.members.push_back(id);
        c.hasError = c.hasError || m_store.run(r).hasError;
        c.selected = c.selected || runSelected(r);
    }
    return curves;
}

uint64_t ScalarsContext::dataVersion(const ChartCurve& c) const
{
    if (c.kind == ChartCurve::Kind::Run)
        return mix(uint64_t(c.seriesId), m_store.series(c.seriesId).version());
    uint64_t h = mix(1, uint64_t(m_settings.band));
    for (int id : c.members)
        h = mix(mix(h, uint64_t(id)), m_store.series(id).version());
    return h;
}

const RunAggregate& ScalarsContext::aggregate(int tag, const ChartCurve& c)
{
    auto& entry = m_aggregates[{tag, c.index}];
    if (!entry)
        entry = std::make_unique<AggregateEntry>();
    const uint64_t key = dataVersion(c);
    if (entry->key != key || entry->agg.members == 0) {
        std::vector<AggregateMember> members;
        for (int id : c.members)
            members.push_back(AggregateMember{&m_store.series(id), m_store.run(m_store.seriesRun(id)).firstWall});
        aggregateRuns(members, m_settings.band, entry->agg);
        entry->key = key;
    }
    return entry->agg;
}

void ScalarsContext::dropAggregates(int tag)
{
    for (auto it = m_aggregates.begin(); it != m_aggregates.end();) {
        if (it->first.first == tag)
            it = m_aggregates.erase(it);
        else
            ++it;
    }
}

} // namespace scopeviz::ui
