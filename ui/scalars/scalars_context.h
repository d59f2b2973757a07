#pragma once
// The state the dashboard's charts read: the store, the view settings, which
// runs are shown, how runs are grouped, and cached group aggregates. One per
// dashboard, GUI thread only; charts hold a pointer to it and a tag id, never
// data of their own (the QtNodes rule: views hold ids, the model holds data).
#include "ui/scalars/decimation.h"
#include "ui/scalars/run_comparison.h"
#include "ui/scalars/scalar_store.h"

#include <QColor>
#include <QHash>
#include <QRegularExpression>
#include <QString>

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

namespace scopeviz::ui {

class RunListModel;

/// View settings shared by every chart of a dashboard.
struct ChartSettings {
    double smoothing = 0.6;              ///< EMA slider value in [0, 0.999]
    XAxisMode xMode = XAxisMode::Step;   ///< what the horizontal axis shows
    bool logX = false;                   ///< logarithmic x axis
    bool logY = false;                   ///< logarithmic y axis
    bool linkX = true;                   ///< zoom/pan of one chart's x applies to all
    bool grouping = false;               ///< draw groups of runs as mean + band
    BandMode band = BandMode::MinMax;    ///< band of a group
    QRegularExpression groupRegex{QStringLiteral("[_-]seed\\d+$")}; ///< see runGroupKey()
};

/// One curve of a chart: a run, or a group of runs when grouping is on.
struct ChartCurve {
    enum class Kind { Run, Group };
    Kind kind = Kind::Run;
    int index = 0;              ///< run index or group index
    QString name;               ///< run name or group key
    QColor color;
    int seriesId = -1;          ///< Run: the series of (run, tag)
    std::vector<int> members;   ///< Group: the member series ids
    XMapping map;               ///< point -> x for this curve
    bool hasError = false;      ///< Run: a file of the run is corrupt
    bool selected = false;      ///< Run: selected in the run list (Group: a member is)
};

/// Past this many curves in one chart, curves are drawn in one pass into an image (ScalarChart's dense
/// layer) and, when runs are selected in the run list, the others are drawn thin and faint.
constexpr int DenseCurveThreshold = 40;

/// Shared state of one dashboard.
class ScalarsContext {
public:
    ScalarsContext();
    ~ScalarsContext();

    /// The data.
    ScalarStore& store() { return m_store; }
    const ScalarStore& store() const { return m_store; }
    /// View settings (call settingsChanged() after changing them).
    ChartSettings& settings() { return m_settings; }
    const ChartSettings& settings() const { return m_settings; }
    /// Records a settings change (charts compare viewVersion()).
    void settingsChanged();

    /// The run list (check states); set once by the dashboard.
    void setRunModel(const RunListModel* model) { m_runModel = model; }
    /// Run-name filter (runs not matching are hidden like unchecked ones).
    void setRunFilter(const QRegularExpression& re);
    const QRegularExpression& runFilter() const { return m_runFilter; }
    /// True when run `run` is checked and matches the run filter (cached per run: the filter is
    /// matched once per run and filter, not at every chart refresh).
    bool runShown(int run) const;
    /// Number of runs shown.
    int shownRunCount() const;
    /// Runs selected in the run list (drawn on top, the others faint in charts past DenseCurveThreshold).
    void setSelectedRuns(std::vector<int> runs);
    /// True when run `run` is selected in the run list.
    bool runSelected(int run) const { return run >= 0 && run < int(m_selected.size()) && m_selected[std::size_t(run)]; }
    /// True when any run is selected.
    bool anySelected() const { return m_selectedCount > 0; }
    /// Recomputes group membership (after new runs or a new group regex).
    void regroup();
    /// Group index of a run (valid after regroup()).
    int groupOf(int run) const;
    /// Number of groups.
    int groupCount() const { return int(m_groupNames.size()); }

    /// Changes whenever anything a chart draws from may have changed, except point data.
    quint64 viewVersion() const;
    /// The curves a chart of `tag` draws, in run (or group) order.
    std::vector<ChartCurve> curvesForTag(int tag) const;
    /// Mean and band of a group curve (cached until its members change).
    const RunAggregate& aggregate(int tag, const ChartCurve& groupCurve);
    /// Forgets cached aggregates of a tag (its chart went out of view).
    void dropAggregates(int tag);
    /// Combined version of a curve's data.
    uint64_t dataVersion(const ChartCurve& c) const;

private:
    struct AggregateEntry {
        uint64_t key = 0;
        RunAggregate agg;
    };

    ScalarStore m_store;
    ChartSettings m_settings;
    const RunListModel* m_runModel = nullptr;
    QRegularExpression m_runFilter;
    void updateShown() const;

    mutable std::vector<char> m_shown;       ///< runShown() per run
    mutable int m_shownCount = 0;
    mutable quint64 m_shownKey = ~quint64(0); ///< (filter, check states) m_shown was computed for
    std::vector<char> m_selected;
    int m_selectedCount = 0;
    quint64 m_selectionVersion = 0;
    QString m_groupPattern;                  ///< the regex m_groupOfRun was computed with
    QHash<QString, int> m_groupIndex;        ///< group key -> index
    std::vector<int> m_groupOfRun;
    std::vector<QString> m_groupNames;
    std::vector<int> m_groupColor; ///< colour index of each group (its first run's)
    std::vector<double> m_groupFirstWall;
    quint64 m_settingsVersion = 0;
    quint64 m_filterVersion = 0;
    quint64 m_groupVersion = 0;
    std::map<std::pair<int, int>, std::unique_ptr<AggregateEntry>> m_aggregates;
};

} // namespace scopeviz::ui
