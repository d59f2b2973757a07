#pragma once
// The live scalar dashboard (a dock's content): the run list on the left
// (which is the legend), a grid of charts per tag grouped by prefix on the
// right, and the view controls (smoothing, x axis, log scales, run grouping).
//
// Data arrives as WatchBatch (from a ScalarFeed or applyBatch()). Each batch
// only marks what changed; a refresh runs at most every ~60 ms and replots
// only the charts that are in view and whose data or settings changed.
#include "core/summary/scalar_batch.h"
#include "ui/scalars/decimation.h"
#include "ui/scalars/run_comparison.h"

#include <qcustomplot.h>

#include <QElapsedTimer>
#include <QPointer>
#include <QRegularExpression>
#include <QSet>
#include <QTimer>
#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QScrollArea;
class QSlider;
class QSortFilterProxyModel;

namespace scopeviz::ui {

class ChartGrid;
class RunListModel;
class ScalarChart;
class ScalarFeed;
class ScalarStore;
class ScalarsContext;

/// Live scalar dashboard: run list, chart grid and view controls.
class ScalarsDashboard : public QWidget {
    Q_OBJECT
public:
    /// An empty dashboard.
    explicit ScalarsDashboard(QWidget* parent = nullptr);
    ~ScalarsDashboard() override;

    /// Receives batches from `feed` from now on (nullptr detaches). The feed is not owned.
    /// Follows `feed`. The run at the top of its log directory is shown as `topRunName`, or, when that is
    /// empty, as the directory's own name (never ".").
    void setFeed(ScalarFeed* feed, const QString& topRunName = {});
    /// Applies one batch (points and run events); the screen follows within ~60 ms.
    void applyBatch(const WatchBatch& batch);
    /// Performs any pending refresh now (tests, exports): charts are replotted before it returns.
    void refreshNow();
    /// How many times the charts were refreshed (new data, settings, runs) since the dashboard was made.
    uint64_t refreshCount() const { return m_refreshes; }
    /// Selects runs in the run list (by index in the store); past DenseCurveThreshold curves the
    /// others are drawn thin and faint.
    void setSelectedRuns(const std::vector<int>& runs);
    /// Groups runs like `run` (by name): the regex matches its last "<word><number>" part, e.g.
    /// "_seed3" in "lr1e-3_seed3", so that the runs differing only there share a mean and band.
    void groupRunsLike(const QString& run);
    /// The regex groupRunsLike() uses for `run` (empty when the name has no number).
    static QString groupRegexFor(const QString& run);

    /// Shows only tags matching `regex` (case-insensitive; invalid patterns match literally).
    void setTagFilter(const QString& regex);
    /// The tag filter text.
    QString tagFilter() const;
    /// Shows only tags under `prefix` (e.g. "summary/"), as the graph view does for a selected scope.
    void setTagPrefixFilter(const QString& prefix);
    /// Shows only runs matching `regex`.
    void setRunFilter(const QString& regex);
    /// Checks or unchecks a run by name.
    void setRunVisible(const QString& run, bool visible);

    /// Smoothing slider value in [0, 0.999].
    void setSmoothing(double s);
    double smoothing() const;
    /// What the horizontal axis shows.
    void setXAxisMode(XAxisMode mode);
    XAxisMode xAxisMode() const;
    /// Logarithmic x / y axes.
    void setLogX(bool on);
    void setLogY(bool on);
    /// Links the x range of all charts.
    void setLinkX(bool on);
    /// Draws groups of runs (by `regex`, see runGroupKey) as mean + band; empty regex keeps the current one.
    void setRunGrouping(bool on, const QString& regex = {});
    /// Min-max or +-std band for groups.
    void setBandMode(BandMode mode);

    /// The data.
    const ScalarStore& store() const;
    /// The run list model (check state = shown).
    RunListModel* runModel() const { return m_runModel; }
    /// Section prefixes shown, in order ("" is the top level).
    QStringList sections() const;
    /// Tags of a section, in order.
    QStringList tagsInSection(const QString& prefix) const;
    /// Every tag passing the filter, in display order.
    QStringList visibleTags() const;
    /// The chart showing `tag`, or nullptr when it is not in view.
    ScalarChart* chartForTag(const QString& tag) const;
    /// Scrolls so that `tag`'s chart is in view (expanding its section); returns the chart.
    ScalarChart* scrollToTag(const QString& tag);
    /// The chart grid (tests).
    ChartGrid* grid() const { return m_grid; }

    /// Writes every point of `tag` for the shown runs as CSV.
    bool exportCsv(const QString& tag, const QString& path, QString* error = nullptr);
    /// Writes every point of `tag` for the shown runs as JSON.
    bool exportJson(const QString& tag, const QString& path, QString* error = nullptr);
    /// Saves `tag`'s chart as PNG / SVG at the given size.
    bool exportPng(const QString& tag, const QString& path, int width = 640, int height = 400);
    bool exportSvg(const QString& tag, const QString& path, int width = 640, int height = 400);

signals:
    /// The title of a tag's chart was clicked (the graph view can show the op that wrote it).
    void tagTitleClicked(const QString& tag);

private:
    void buildUi();
    void scheduleRefresh();
    /// The refresh itself; `queued`: charts replot at the next pass of the event loop (at most one
    /// replot per chart per pass), as the timer-driven refresh during ingest does. Otherwise they
    /// replot now, with their dense images whole (`wholeImages`) or continued in slices.
    void refresh(bool queued, bool wholeImages = true);
    void runListMenu(const QPoint& pos);
    /// Replots the next chart of the replot queue (one per pass of the event loop).
    void replotNext();
    /// Queues a chart's replot (each chart once).
    void queueReplot(ScalarChart* chart);
    /// Replots every queued chart now; dense images whole, or begun and continued in slices.
    void flushReplots(bool wholeImages = true);
    void rebuildSections();
    void settingsChanged();
    void onChartCreated(ScalarChart* chart);
    void onUserXRange(ScalarChart* source, const QCPRange& range);
    void resetAllViews();
    void updateStatus();
    template <class F>
    bool withChart(const QString& tag, F&& f);

    std::unique_ptr<ScalarsContext> m_ctx;
    RunListModel* m_runModel = nullptr;
    QSortFilterProxyModel* m_runProxy = nullptr;
    ChartGrid* m_grid = nullptr;
    QScrollArea* m_scroll = nullptr;
    QLineEdit* m_tagFilter = nullptr;
    QLineEdit* m_runFilter = nullptr;
    QListView* m_runView = nullptr;
    QLabel* m_runCount = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_banner = nullptr;
    QSlider* m_smoothSlider = nullptr;
    QLabel* m_smoothValue = nullptr;
    QComboBox* m_xMode = nullptr;
    QCheckBox* m_logX = nullptr;
    QCheckBox* m_logY = nullptr;
    QCheckBox* m_linkX = nullptr;
    QCheckBox* m_group = nullptr;
    QLineEdit* m_groupRegex = nullptr;
    QComboBox* m_band = nullptr;

    QPointer<ScalarFeed> m_feed;
    QMetaObject::Connection m_feedConnection;
    QTimer m_refreshTimer;
    QElapsedTimer m_sinceRefresh;
    QTimer m_replotTimer;                    ///< drives replotNext()
    QList<QPointer<ScalarChart>> m_replotQueue; ///< charts waiting for their replot, each once
    double m_refreshCostMs = 0;              ///< replot time of the refresh being drawn
    double m_lastRefreshCostMs = 0;          ///< replot time of the last complete refresh
    uint64_t m_refreshes = 0;                ///< refreshCount()
    QSet<int> m_dirtyTags;
    bool m_tagFilterValid = true; ///< the tag filter parses as a regular expression
    bool m_allDirty = false;
    bool m_sectionsDirty = false;
    bool m_runsDirty = false;
    QRegularExpression m_tagRegex;
    QStringList m_tagNames; ///< QString copies of the store's tags, by tag id
    bool m_hasSharedX = false;
    QCPRange m_sharedX;
};

} // namespace scopeviz::ui
