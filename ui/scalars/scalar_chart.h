#pragma once
// One chart of the scalar dashboard: the curves of one tag for the shown runs
// (or groups), drawn from decimated copies of the full data.
//
// The chart owns no data. Right before every replot (QCustomPlot's
// beforeReplot) it checks a key made of the data versions, the view settings,
// the x range and its pixel width; only when that key changed does it
// re-decimate (O(visible points)) and hand QCustomPlot about 4 points per pixel
// column per curve. Pan and zoom therefore re-decimate for the new range, and a
// replot that changed nothing (hover, repaint) costs nothing extra.
//
// Charts are pooled by the grid: bind() points a chart at another tag.
#include "ui/scalars/decimation.h"

#include <qcustomplot.h>

#include <QHash>
#include <QImage>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <vector>

namespace scopeviz::ui {

class ScalarsContext;
struct ChartCurve;

namespace detail {
class NonFiniteLayer;
class DenseCurveLayer;
}

/// A QCustomPlot showing one tag of a ScalarsContext.
class ScalarChart : public QCustomPlot {
    Q_OBJECT
public:
    /// A chart reading from `ctx` (not owned).
    explicit ScalarChart(ScalarsContext* ctx, QWidget* parent = nullptr);
    ~ScalarChart() override;

    /// Shows tag `tagId` (named `tag`), resetting zoom; -1 unbinds.
    void bind(int tagId, const QString& tag);
    /// The tag shown ("" when unbound).
    const QString& tag() const { return m_tag; }
    /// The tag id shown (-1 when unbound).
    int tagId() const { return m_tagId; }
    /// Names of the runs (or groups) currently drawn.
    QStringList shownCurves() const;
    /// True when the last preparation drew its curves in one pass into an image (more than
    /// DenseCurveThreshold curves): unselected curves 1 px and, when runs are selected, faint.
    bool denseMode() const { return m_dense; }
    /// How many dense images were completed (tests: off-screen charts render nothing).
    uint64_t denseRenderCount() const { return m_denseRenders; }
    /// How many slices the dense images were rendered in (one per curve batch that fit the budget).
    uint64_t denseSliceCount() const { return m_denseSlices; }
    /// True when the last paint showed every curve of the last preparation; false while a dense image
    /// is still being rendered in slices (the previous image is shown meanwhile).
    bool showsAllCurves() const { return !m_dense || m_denseComplete; }
    /// Replots with every curve drawn before it returns. A plain replot() renders a changed dense image
    /// in slices of about the slice budget each, one per pass of the event loop, showing the previous
    /// image until the new one is complete (so 1,000 curves never hold the GUI thread); exports and
    /// the dashboard's refreshNow() render it whole.
    void replotWhole();
    /// Time the last completed dense image took to render, all slices together (ms).
    double lastDenseImageMs() const { return m_lastImageMs; }
    /// Time one dense slice may take (default 8 ms; 0: one curve per slice, for tests).
    void setDenseSliceBudget(double ms) { m_sliceBudgetMs = ms; }
    /// How many times the chart re-decimated its curves (data, settings or view changed) since it was made.
    uint64_t decimationCount() const { return m_decimations; }
    /// Number of points handed to QCustomPlot by the last preparation (all graphs).
    std::size_t drawnPoints() const { return m_drawnPoints; }
    /// Number of NaN/Inf markers drawn.
    int markerCount() const;
    /// Where the clickable title is, in widget coordinates.
    QRect titleRect() const;

    /// Forces re-decimation at the next replot (data or settings changed).
    void invalidate() { m_key = 0; }
    /// Re-decimates if needed, without painting (used by replot and by tests).
    void prepare();

    /// True while the x range follows the data.
    bool autoX() const { return m_autoX; }
    /// Applies an x range chosen on another (linked) chart.
    void setLinkedXRange(const QCPRange& range);
    /// Back to ranges that follow the data.
    void resetView();

    /// Hover read-out at x (plot coordinates): one line per shown curve; also sets hoverText().
    QString hoverTextAt(double x);
    /// The last hover read-out (plain text).
    const QString& hoverText() const { return m_hoverPlain; }

    /// Saves the chart as PNG (2x pixel density) at the given logical size (0 = current).
    bool exportPng(const QString& path, int width = 0, int height = 0);
    /// Saves the chart as SVG at the given size (0 = current).
    bool exportSvg(const QString& path, int width = 0, int height = 0);
    /// Writes every point of the shown runs' series as CSV.
    bool exportCsv(const QString& path, QString* error = nullptr) const;
    /// Writes every point of the shown runs' series as JSON.
    bool exportJson(const QString& path, QString* error = nullptr) const;
    /// Series ids of the shown runs (every member of a shown group).
    std::vector<int> shownSeries() const;

signals:
    /// The title was clicked.
    void titleClicked(const QString& tag);
    /// The user panned or zoomed x (for linking).
    void userXRangeChanged(const QCPRange& range);
    /// The user asked to reset the view (double-click).
    void resetRequested();

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    struct CurveGraphs {
        QCPGraph* raw = nullptr;
        QCPGraph* smooth = nullptr;
        QCPGraph* lower = nullptr; ///< group band
        QCPGraph* upper = nullptr;
    };

    friend class detail::DenseCurveLayer;
    /// The dense layer's drawing: the image of the curves without a graph of their own for `key`
    /// (data, view, size and y range), rendered now or in slices, blitted at `area`.
    void drawDense(QPainter* painter, const QRect& area, uint64_t key);
    void startDenseJob(const QRect& area, uint64_t key);
    /// Renders curves of the job until `budgetMs` passed (< 0: all); true when the image is complete.
    bool runDenseJob(double budgetMs);
    void continueDenseJob();
    void applyStyle();
    void rebuildGraphs(const std::vector<ChartCurve>& curves, bool smoothing, bool grouping);
    void configureAxes();
    void setRangeGuarded(QCPAxis* axis, const QCPRange& r);
    void updateTitle();
    void onXRangeChanged(const QCPRange& r);
    void onYRangeChanged(const QCPRange& r);

    ScalarsContext* m_ctx;
    int m_tagId = -1;
    QString m_tag;
    QCPTextElement* m_title = nullptr;
    QCPItemStraightLine* m_cursor = nullptr;
    detail::NonFiniteLayer* m_markers = nullptr;
    detail::DenseCurveLayer* m_denseLayer = nullptr;
    bool m_dense = false;
    uint64_t m_denseRenders = 0;
    uint64_t m_denseSlices = 0;
    struct DenseRequest {
        double xLo = 0, xHi = 1;
        bool logX = false, logY = false;
        double smoothing = 0;
    } m_denseReq;
    /// A dense image being rendered: what it draws and how, fixed when it starts.
    struct DenseJob {
        bool active = false;
        uint64_t key = 0;
        DenseRequest req;
        double yLo = 0, yHi = 1;
        int alpha = 150;
        std::vector<ChartCurve> curves;
        std::size_t next = 0;
        QImage image;
    } m_job;
    QTimer* m_denseTimer = nullptr; ///< zero-interval: the next slice, on the next pass of the event loop
    QImage m_denseShown;          ///< the last complete dense image
    uint64_t m_denseShownKey = 0; ///< its key
    bool m_denseComplete = true;  ///< the last paint showed the image of the current key
    bool m_whole = false;         ///< inside replotWhole() or an export
    bool m_showOnly = false;      ///< replotting to show a finished image: no new one is started
    uint64_t m_requestedKey = 0;  ///< the key of the last draw that asked for an image
    double m_jobMs = 0;           ///< time spent on the current job's slices
    double m_lastImageMs = 0;     ///< ... and on the last completed image's
    double m_sliceBudgetMs = 8;
    std::vector<CurveGraphs> m_graphs;
    std::vector<ChartCurve> m_curves;
    QString m_structure;
    uint64_t m_key = 0;
    quint64 m_axesVersion = ~quint64(0);
    bool m_autoX = true;
    bool m_autoY = true;
    bool m_settingRange = false;
    bool m_preparing = false;
    std::size_t m_drawnPoints = 0;
    uint64_t m_decimations = 0;
    QString m_hoverPlain;
    std::vector<CurvePoint> m_scratch;
    QHash<QCPGraph*, QVector<QCPGraphData>> m_buffers; ///< reused point buffers per graph
};

} // namespace scopeviz::ui
