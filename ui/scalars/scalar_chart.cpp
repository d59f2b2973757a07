#include "ui/scalars/scalar_chart.h"

#include "ui/common/theme.h"
#include "ui/scalars/scalar_export.h"
#include "ui/scalars/scalars_context.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>
#include <QSvgGenerator>
#include <QTimer>
#include <QToolTip>

#include <climits>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

namespace scopeviz::ui {

// ---------------------------------------------------------------------------
// Tick labels

namespace {

/// 1500 -> "1.5k", 2000000 -> "2M": steps of long runs stay short and readable.
QString siLabel(double v)
{
    const double a = std::fabs(v);
    struct Unit {
        double scale;
        const char* suffix;
    };
    static const Unit units[] = {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
    for (const Unit& u : units)
        if (a >= u.scale)
            return QString::number(v / u.scale, 'g', 4) + QLatin1String(u.suffix);
    return QString::number(v, 'g', 6);
}

class SiTicker : public QCPAxisTicker {
protected:
    QString getTickLabel(double tick, const QLocale&, QChar, int) override { return siLabel(tick); }
};

class SiLogTicker : public QCPAxisTickerLog {
protected:
    QString getTickLabel(double tick, const QLocale&, QChar, int) override { return siLabel(tick); }
};

/// Durations in seconds with human steps (15 s, 5 min, 2 h, 1 d) and labels like "1h30m".
class DurationTicker : public QCPAxisTicker {
protected:
    double getTickStep(const QCPRange& range) override
    {
        static const double steps[] = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30,
                                       60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
                                       172800, 604800, 1209600, 2592000};
        const double ideal = range.size() / std::max(1, tickCount());
        for (double s : steps)
            if (s >= ideal)
                return s;
        return cleanMantissa(ideal);
    }
    QString getTickLabel(double tick, const QLocale&, QChar, int) override
    {
        const bool neg = tick < 0;
        double s = std::fabs(tick);
        QString out;
        if (s < 60) {
            out = QString::number(s, 'g', 3) + QLatin1Char('s');
        } else if (s < 3600) {
            const int m = int(s / 60), sec = int(std::lround(s)) % 60;
            out = sec ? QStringLiteral("%1m%2s").arg(m).arg(sec, 2, 10, QLatin1Char('0')) : QStringLiteral("%1m").arg(m);
        } else if (s < 86400) {
            const int h = int(s / 3600), m = int(std::lround(s / 60)) % 60;
            out = m ? QStringLiteral("%1h%2m").arg(h).arg(m, 2, 10, QLatin1Char('0')) : QStringLiteral("%1h").arg(h);
        } else {
            const int d = int(s / 86400), h = int(std::lround(s / 3600)) % 24;
            out = h ? QStringLiteral("%1d%2h").arg(d).arg(h) : QStringLiteral("%1d").arg(d);
        }
        return neg ? QLatin1Char('-') + out : out;
    }
};

QString formatValue(double v)
{
    if (std::isnan(v))
        return QStringLiteral("NaN");
    if (std::isinf(v))
        return v > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf");
    return QString::number(v, 'g', 6);
}

QColor withAlpha(QColor c, int a)
{
    c.setAlpha(a);
    return c;
}

QColor blend(const QColor& a, const QColor& b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

/// Hands points to a graph through a buffer that is kept between calls: a fresh QVector per
/// graph and refresh made the allocator return and re-fault its pages every time, which cost
/// more than decimating. Clearing the container first leaves `buf` unshared, so it is
/// rewritten in place and then shared with the container again.
void setGraphData(QCPGraph* g, const std::vector<CurvePoint>& pts, QVector<QCPGraphData>& buf)
{
    g->data()->clear();
    buf.resize(qsizetype(pts.size()));
    QCPGraphData* d = buf.data();
    for (std::size_t i = 0; i < pts.size(); ++i) {
        d[i].key = pts[i].x;
        d[i].value = pts[i].y;
    }
    g->data()->set(buf, true);
}

/// The main curve of a run is drawn bold where that is cheap: Qt's raster engine strokes
/// lines up to 1 px with a fast cosmetic stroker, wider ones an order of magnitude slower
/// (measured: 37 ms vs 11 ms for 10 dense curves). Dense curves (about one point per pixel
/// or more, which look like filled bands anyway) stay 1 px; sparse ones get 1.8 px.
void emphasize(QCPGraph* g, std::size_t points, int columns)
{
    QPen pen = g->pen();
    const double w = points * 5 < std::size_t(columns) * 4 ? 1.8 : 1.0;
    if (pen.widthF() != w) {
        pen.setWidthF(w);
        g->setPen(pen);
    }
}

uint64_t mixKey(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 29);
}

uint64_t bitsOf(double d)
{
    uint64_t u;
    std::memcpy(&u, &d, sizeof u);
    return u;
}

} // namespace

// ---------------------------------------------------------------------------
// NaN / Inf markers: drawn in pixel space along the top and bottom edges of the
// axis rect, so they stay visible whatever the y range (and on log axes).

namespace detail {

class NonFiniteLayer : public QCPLayerable {
public:
    struct Mark {
        double x;
        NonFinite kind;
    };

    explicit NonFiniteLayer(QCustomPlot* plot) : QCPLayerable(plot, QStringLiteral("axes")) {}

    void clear() { m_marks.clear(); }
    void add(const std::vector<NonFiniteMarker>& marks)
    {
        for (const NonFiniteMarker& m : marks)
            m_marks.push_back(Mark{m.x, m.kind});
    }
    int count() const { return int(m_marks.size()); }

protected:
    QRect clipRect() const override { return mParentPlot->axisRect()->rect().adjusted(-8, -8, 8, 8); }
    void applyDefaultAntialiasingHint(QCPPainter* p) const override
    {
        applyAntialiasingHint(p, mAntialiased, QCP::aeScatters);
    }
    void draw(QCPPainter* p) override
    {
        if (m_marks.empty())
            return;
        QCPAxisRect* ar = mParentPlot->axisRect();
        QCPAxis* x = ar->axis(QCPAxis::atBottom);
        const QColor red = themeColor(ThemeColor::Error, mParentPlot->palette());
        p->setPen(QPen(Qt::white, 1));
        p->setBrush(red);
        const double top = ar->top() + 1, bottom = ar->bottom() - 1;
        for (const Mark& m : m_marks) {
            const double px = x->coordToPixel(m.x);
            if (px < ar->left() - 1 || px > ar->right() + 1)
                continue;
            QPolygonF tri;
            switch (m.kind) {
            case NonFinite::PosInf:
                tri << QPointF(px, top) << QPointF(px - 5, top + 9) << QPointF(px + 5, top + 9);
                p->drawPolygon(tri);
                break;
            case NonFinite::NegInf:
                tri << QPointF(px, bottom) << QPointF(px - 5, bottom - 9) << QPointF(px + 5, bottom - 9);
                p->drawPolygon(tri);
                break;
            case NonFinite::NaN: {
                // A hollow downward triangle hanging from the top edge: "no value here".
                p->setBrush(Qt::NoBrush);
                p->setPen(QPen(red, 1.6));
                tri << QPointF(px - 5, top + 1) << QPointF(px + 5, top + 1) << QPointF(px, top + 10);
                p->drawPolygon(tri);
                p->setPen(QPen(Qt::white, 1));
                p->setBrush(red);
                break;
            }
            case NonFinite::None:
                break;
            }
        }
    }

private:
    std::vector<Mark> m_marks;
};

/// The curves of a chart with many runs, drawn into one image per change of data or view
/// (ScalarChart::drawDense, in slices during ingest) and blitted below the graphs of selected runs.
class DenseCurveLayer : public QCPLayerable {
public:
    explicit DenseCurveLayer(ScalarChart* chart) : QCPLayerable(chart, QStringLiteral("main")), m_chart(chart) {}

    void setKey(uint64_t key) { m_key = key; }
    uint64_t key() const { return m_key; }

protected:
    QRect clipRect() const override { return mParentPlot->axisRect()->rect(); }
    void applyDefaultAntialiasingHint(QCPPainter*) const override {}
    void draw(QCPPainter* p) override
    {
        if (m_key == 0)
            return;
        const QRect area = mParentPlot->axisRect()->rect();
        if (area.width() <= 0 || area.height() <= 0)
            return;
        const QCPRange yr = mParentPlot->yAxis->range();
        uint64_t key = m_key ^ (uint64_t(area.width()) << 40) ^ (uint64_t(area.height()) << 20);
        key = key * 0x9e3779b97f4a7c15ull ^ std::hash<double>{}(yr.lower) ^ (std::hash<double>{}(yr.upper) << 1);
        m_chart->drawDense(p, area, key ? key : 1);
    }

private:
    ScalarChart* m_chart;
    uint64_t m_key = 0;
};

} // namespace detail

namespace {

/// dst = src + dst * (255 - a) / 255 on premultiplied ARGB, two channels at a time.
inline uint32_t blendOver(uint32_t dst, uint32_t src, uint32_t inverseAlpha)
{
    const uint32_t rb = (((dst & 0x00ff00ffu) * inverseAlpha) >> 8) & 0x00ff00ffu;
    const uint32_t ag = (((dst >> 8) & 0x00ff00ffu) * inverseAlpha) & 0xff00ff00u;
    return src + rb + ag;
}

/// Blends a 1 px line from (x0, y0) to (x1, y1) (pixel centres) into `img`, clipped to it; the
/// first pixel is left out when `skipFirst` (it is the last pixel of the previous segment).
/// A DDA in 16.16 fixed point: one blend per pixel, no floating point inside the loop.
void blendLine(QImage& img, double x0, double y0, double x1, double y1, uint32_t src, uint32_t inverseAlpha,
               bool skipFirst)
{
    const double w = img.width() - 0.5, h = img.height() - 0.5;
    // Liang-Barsky clipping to [-0.5, w] x [-0.5, h].
    double t0 = 0, t1 = 1;
    const double dx = x1 - x0, dy = y1 - y0;
    const double p[4] = {-dx, dx, -dy, dy}, q[4] = {x0 + 0.5, w - x0, y0 + 0.5, h - y0};
    for (int i = 0; i < 4; ++i) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return;
            continue;
        }
        const double t = q[i] / p[i];
        if (p[i] < 0)
            t0 = std::max(t0, t);
        else
            t1 = std::min(t1, t);
        if (t0 > t1)
            return;
    }
    if (t0 > 0)
        skipFirst = false;
    const int width = img.width(), height = img.height();
    const int ax = std::clamp(int(std::floor(x0 + t0 * dx + 0.5)), 0, width - 1);
    const int ay = std::clamp(int(std::floor(y0 + t0 * dy + 0.5)), 0, height - 1);
    const int bx = std::clamp(int(std::floor(x0 + t1 * dx + 0.5)), 0, width - 1);
    const int by = std::clamp(int(std::floor(y0 + t1 * dy + 0.5)), 0, height - 1);
    const int n = std::max(std::abs(bx - ax), std::abs(by - ay));
    uint32_t* bits = reinterpret_cast<uint32_t*>(img.bits());
    const qsizetype stride = img.bytesPerLine() / 4;
    const int32_t sx = n ? ((bx - ax) * 65536) / n : 0, sy = n ? ((by - ay) * 65536) / n : 0;
    int32_t fx = ax * 65536 + 32768, fy = ay * 65536 + 32768;
    int i = 0;
    if (skipFirst) {
        if (n == 0)
            return;
        fx += sx;
        fy += sy;
        i = 1;
    }
    for (; i <= n; ++i, fx += sx, fy += sy) {
        uint32_t& d = bits[qsizetype(fy >> 16) * stride + (fx >> 16)];
        d = blendOver(d, src, inverseAlpha);
    }
}

} // namespace

// ---------------------------------------------------------------------------

ScalarChart::ScalarChart(ScalarsContext* ctx, QWidget* parent) : QCustomPlot(parent), m_ctx(ctx)
{
    setNoAntialiasingOnDrag(true);
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    axisRect()->setRangeDrag(Qt::Horizontal);
    axisRect()->setRangeZoom(Qt::Horizontal);
    axisRect()->setRangeZoomFactor(0.85);

    plotLayout()->insertRow(0);
    QFont titleFont = font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 0.95);
    titleFont.setBold(true);
    m_title = new QCPTextElement(this, QString(), titleFont);
    m_title->setMargins(QMargins(8, 6, 8, 0));
    plotLayout()->addElement(0, 0, m_title);
    connect(m_title, &QCPTextElement::clicked, this, [this] { emit titleClicked(m_tag); });

    m_denseLayer = new detail::DenseCurveLayer(this);
    m_denseTimer = new QTimer(this);
    m_denseTimer->setSingleShot(true);
    connect(m_denseTimer, &QTimer::timeout, this, &ScalarChart::continueDenseJob);
    m_markers = new detail::NonFiniteLayer(this);
    m_cursor = new QCPItemStraightLine(this);
    m_cursor->setLayer(QStringLiteral("overlay"));
    m_cursor->point1->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_cursor->point2->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_cursor->point1->setCoords(0, 0);
    m_cursor->point2->setCoords(0, 1);
    m_cursor->setVisible(false);
    m_cursor->setSelectable(false);

    connect(this, &QCustomPlot::beforeReplot, this, &ScalarChart::prepare);
    connect(xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, &ScalarChart::onXRangeChanged);
    connect(yAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, &ScalarChart::onYRangeChanged);
    applyStyle();
}

ScalarChart::~ScalarChart() = default;

void ScalarChart::applyStyle()
{
    const QPalette pal = palette();
    const QColor bg = pal.color(QPalette::Base);
    const QColor fg = pal.color(QPalette::Text);
    const QColor axisColor = blend(fg, bg, 0.55);
    const QColor gridColor = blend(fg, bg, 0.9);
    setBackground(bg);
    axisRect()->setBackground(bg);
    QFont tickFont = font();
    tickFont.setPointSizeF(tickFont.pointSizeF() * 0.82);
    QFont labelFont = tickFont;
    for (QCPAxis* a : {xAxis, yAxis}) {
        a->setBasePen(QPen(axisColor, 1));
        a->setTickPen(QPen(axisColor, 1));
        a->setSubTickPen(Qt::NoPen);
        a->setTickLengthIn(0);
        a->setTickLengthOut(4);
        a->setTickLabelFont(tickFont);
        a->setTickLabelColor(blend(fg, bg, 0.3));
        a->setLabelFont(labelFont);
        a->setLabelColor(blend(fg, bg, 0.45));
        a->setLabelPadding(2);
        a->grid()->setPen(QPen(gridColor, 1));
        a->grid()->setZeroLinePen(QPen(blend(fg, bg, 0.8), 1));
        a->grid()->setSubGridVisible(false);
        a->ticker()->setTickCount(5);
    }
    yAxis->setNumberFormat(QStringLiteral("gb"));
    yAxis->setNumberPrecision(4);
    m_title->setTextColor(fg);
    m_title->setSelectedTextColor(fg);
    QPen cursorPen(blend(fg, bg, 0.5), 1, Qt::DashLine);
    m_cursor->setPen(cursorPen);
}

void ScalarChart::bind(int tagId, const QString& tag)
{
    if (m_tagId >= 0 && m_tagId != tagId)
        m_ctx->dropAggregates(m_tagId);
    m_tagId = tagId;
    m_tag = tag;
    m_autoX = m_autoY = true;
    axisRect()->setRangeDrag(Qt::Horizontal);
    m_structure.clear();
    m_curves.clear();
    m_graphs.clear();
    clearGraphs();
    m_buffers.clear();
    m_markers->clear();
    m_denseLayer->setKey(0);
    m_job = DenseJob{};
    m_denseTimer->stop();
    m_denseShown = QImage();
    m_denseShownKey = 0;
    m_denseComplete = true;
    m_dense = false;
    m_cursor->setVisible(false);
    m_key = 0;
    m_axesVersion = ~quint64(0);
    m_drawnPoints = 0;
    updateTitle();
}

void ScalarChart::updateTitle()
{
    const QFontMetrics fm(m_title->font());
    const int avail = std::max(40, width() - 24);
    m_title->setText(fm.elidedText(m_tag, Qt::ElideMiddle, avail));
}

void ScalarChart::setRangeGuarded(QCPAxis* axis, const QCPRange& r)
{
    m_settingRange = true;
    axis->setRange(r);
    m_settingRange = false;
}

void ScalarChart::onXRangeChanged(const QCPRange& r)
{
    if (m_settingRange || m_preparing)
        return;
    m_autoX = false;
    emit userXRangeChanged(r);
}

void ScalarChart::onYRangeChanged(const QCPRange&)
{
    if (m_settingRange || m_preparing)
        return;
    m_autoY = false;
    axisRect()->setRangeDrag(Qt::Horizontal | Qt::Vertical);
}

void ScalarChart::setLinkedXRange(const QCPRange& range)
{
    m_autoX = false;
    setRangeGuarded(xAxis, range);
    replot(rpQueuedReplot);
}

void ScalarChart::resetView()
{
    m_autoX = m_autoY = true;
    axisRect()->setRangeDrag(Qt::Horizontal);
    m_key = 0;
    replot(rpQueuedReplot);
}

void ScalarChart::configureAxes()
{
    const ChartSettings& st = m_ctx->settings();
    const bool logX = st.logX && st.xMode != XAxisMode::Wall;
    xAxis->setScaleType(logX ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    yAxis->setScaleType(st.logY ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    QSharedPointer<QCPAxisTicker> xt;
    switch (st.xMode) {
    case XAxisMode::Step:
        xt = logX ? QSharedPointer<QCPAxisTicker>(new SiLogTicker) : QSharedPointer<QCPAxisTicker>(new SiTicker);
        xAxis->setLabel(QStringLiteral("step"));
        break;
    case XAxisMode::Relative:
        xt = logX ? QSharedPointer<QCPAxisTicker>(new SiLogTicker) : QSharedPointer<QCPAxisTicker>(new DurationTicker);
        xAxis->setLabel(logX ? QStringLiteral("relative time (s)") : QStringLiteral("relative time"));
        break;
    case XAxisMode::Wall: {
        auto dt = QSharedPointer<QCPAxisTickerDateTime>(new QCPAxisTickerDateTime);
        dt->setDateTimeFormat(QStringLiteral("MMM d\nhh:mm"));
        dt->setDateTimeSpec(Qt::LocalTime);
        xt = dt;
        xAxis->setLabel(QString());
        break;
    }
    }
    xt->setTickCount(5);
    xAxis->setTicker(xt);
    QSharedPointer<QCPAxisTicker> yt = st.logY ? QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog)
                                               : QSharedPointer<QCPAxisTicker>(new QCPAxisTicker);
    yt->setTickCount(5);
    yAxis->setTicker(yt);
}

void ScalarChart::rebuildGraphs(const std::vector<ChartCurve>& curves, bool smoothing, bool grouping)
{
    clearGraphs();
    m_buffers.clear();
    m_graphs.assign(curves.size(), CurveGraphs{});
    // In dense mode only selected curves get graphs (drawn on top, bold); the others go to the image.
    auto own = [&](std::size_t i) { return !m_dense || curves[i].selected; };
    // Creation order is drawing order: bands, then faint raw curves, then smoothed curves on top.
    if (grouping) {
        for (std::size_t i = 0; i < curves.size(); ++i) {
            if (!own(i))
                continue;
            CurveGraphs& g = m_graphs[i];
            g.lower = addGraph();
            g.upper = addGraph();
            g.lower->setPen(QPen(withAlpha(curves[i].color, 70), 0.8));
            g.upper->setPen(QPen(withAlpha(curves[i].color, 70), 0.8));
            g.upper->setBrush(withAlpha(curves[i].color, 56));
            g.upper->setChannelFillGraph(g.lower);
        }
    }
    for (std::size_t i = 0; i < curves.size(); ++i) {
        if (!own(i))
            continue;
        CurveGraphs& g = m_graphs[i];
        g.raw = addGraph();
        g.raw->setPen(smoothing ? QPen(withAlpha(curves[i].color, 64), 1.0) : QPen(curves[i].color, 1.0));
    }
    if (smoothing) {
        for (std::size_t i = 0; i < curves.size(); ++i) {
            if (!own(i))
                continue;
            CurveGraphs& g = m_graphs[i];
            g.smooth = addGraph();
            g.smooth->setPen(QPen(curves[i].color, 1.0));
        }
    }
    for (int i = 0; i < graphCount(); ++i) {
        graph(i)->setSelectable(QCP::stNone);
        graph(i)->setAdaptiveSampling(true);
    }
    if (m_dense) // the selected runs among many: bold, over the faint rest
        for (const CurveGraphs& g : m_graphs)
            for (QCPGraph* graph : {g.raw, g.smooth})
                if (graph && (graph == g.smooth || !g.smooth)) {
                    QPen pen = graph->pen();
                    pen.setWidthF(2.2);
                    graph->setPen(pen);
                }
}

void ScalarChart::prepare()
{

    if (m_preparing || m_tagId < 0 || !m_ctx)
        return;
    m_preparing = true;
    const ChartSettings& st = m_ctx->settings();
    const bool smoothing = st.smoothing > 0;
    const bool logX = st.logX && st.xMode != XAxisMode::Wall;
    std::vector<ChartCurve> curves = m_ctx->curvesForTag(m_tagId);

    const quint64 view = m_ctx->viewVersion();
    if (view != m_axesVersion) {
        configureAxes();
        m_axesVersion = view;
    }
    m_dense = int(curves.size()) > DenseCurveThreshold;
    QString structure = QStringLiteral("%1|%2|%3|").arg(smoothing).arg(st.grouping).arg(m_dense);
    for (const ChartCurve& c : curves) {
        structure += QString::number(int(c.kind));
        structure += QLatin1Char(c.selected ? '*' : ':');
        structure += QString::number(c.index);
        structure += QLatin1Char(',');
    }
    if (structure != m_structure) {
        rebuildGraphs(curves, smoothing, st.grouping);
        m_structure = structure;
        m_key = 0;
    }
    m_curves = std::move(curves);

    // Aggregates first: their extents feed the automatic x range.
    std::vector<const RunAggregate*> aggs(m_curves.size(), nullptr);
    uint64_t data = view;
    for (std::size_t i = 0; i < m_curves.size(); ++i) {
        data = mixKey(data, m_ctx->dataVersion(m_curves[i]));
        if (m_curves[i].kind == ChartCurve::Kind::Group)
            aggs[i] = &m_ctx->aggregate(m_tagId, m_curves[i]);
    }

    if (m_autoX) {
        double lo = std::numeric_limits<double>::infinity(), hi = -lo;
        for (std::size_t i = 0; i < m_curves.size(); ++i) {
            const ScalarSeries& s = aggs[i] ? aggs[i]->mean : m_ctx->store().series(m_curves[i].seriesId);
            double a, b;
            if (xExtent(s, m_curves[i].map, logX, a, b)) {
                lo = std::min(lo, a);
                hi = std::max(hi, b);
            }
        }
        QCPRange r;
        if (!(lo <= hi)) {
            r = logX ? QCPRange(1, 10) : QCPRange(0, 1);
        } else if (logX) {
            if (hi <= lo)
                hi = lo * 10;
            r = QCPRange(lo / 1.15, hi * 1.15);
        } else {
            if (hi <= lo) {
                const double pad = std::max(1.0, std::fabs(lo) * 0.05);
                lo -= pad;
                hi += pad;
            }
            const double pad = (hi - lo) * 0.02;
            r = QCPRange(lo - pad, hi + pad);
        }
        setRangeGuarded(xAxis, r);
    }

    const int columns = std::max(16, width());
    const QCPRange xr = xAxis->range();
    uint64_t key = mixKey(data, bitsOf(xr.lower));
    key = mixKey(key, bitsOf(xr.upper));
    key = mixKey(key, uint64_t(columns) * 2 + (m_autoY ? 1 : 0));
    key = key ? key : 1;
    updateTitle();
    if (key == m_key) {
        m_preparing = false;
        return;
    }
    m_key = key;
    ++m_decimations;

    DecimationRequest req;
    req.xLo = xr.lower;
    req.xHi = xr.upper;
    req.columns = columns;
    req.logX = logX;
    req.logY = st.logY;
    req.smoothing = st.smoothing;
    double yLo = std::numeric_limits<double>::infinity(), yHi = -yLo;
    auto extend = [&](const DecimationStats& s) {
        yLo = std::min(yLo, s.yMin);
        yHi = std::max(yHi, s.yMax);
    };
    m_drawnPoints = 0;
    m_markers->clear();
    m_denseReq = DenseRequest{req.xLo, req.xHi, req.logX, req.logY, req.smoothing};
    m_denseLayer->setKey(m_dense ? key : 0);
    std::vector<NonFiniteMarker> marks;
    const ScalarStore& store = m_ctx->store();
    for (std::size_t i = 0; i < m_curves.size(); ++i) {
        const ChartCurve& c = m_curves[i];
        CurveGraphs& g = m_graphs[i];
        req.map = c.map;
        req.envelope = Envelope::Full;
        if (!g.raw) {
            // Drawn by the dense layer: here only the extent (of the raw values, as for graphs) and markers.
            const ScalarSeries& s = c.kind == ChartCurve::Kind::Run ? store.series(c.seriesId) : aggs[i]->mean;
            req.smoothed = false;
            const DecimationStats st = valueExtent(s, req);
            extend(st);
            m_drawnPoints += st.visible;
            if (c.kind == ChartCurve::Kind::Run) {
                nonFiniteMarkers(s, req, marks);
                m_markers->add(marks);
            }
            continue;
        }
        if (c.kind == ChartCurve::Kind::Run) {
            const ScalarSeries& s = store.series(c.seriesId);
            req.smoothed = false;
            extend(decimate(s, req, m_scratch));
            setGraphData(g.raw, m_scratch, m_buffers[g.raw]);
            m_drawnPoints += m_scratch.size();
            if (!g.smooth && !m_dense)
                emphasize(g.raw, m_scratch.size(), columns);
            if (g.smooth) {
                req.smoothed = true;
                decimate(s, req, m_scratch);
                setGraphData(g.smooth, m_scratch, m_buffers[g.smooth]);
                if (!m_dense)
                    emphasize(g.smooth, m_scratch.size(), columns);
                m_drawnPoints += m_scratch.size();
            }
            req.smoothed = false;
            nonFiniteMarkers(s, req, marks);
            m_markers->add(marks);
        } else {
            const RunAggregate& a = *aggs[i];
            req.smoothed = smoothing;
            req.envelope = Envelope::Lower;
            extend(decimate(a.lower, req, m_scratch));
            setGraphData(g.lower, m_scratch, m_buffers[g.lower]);
            m_drawnPoints += m_scratch.size();
            req.envelope = Envelope::Upper;
            extend(decimate(a.upper, req, m_scratch));
            setGraphData(g.upper, m_scratch, m_buffers[g.upper]);
            m_drawnPoints += m_scratch.size();
            req.envelope = Envelope::Full;
            req.smoothed = false;
            extend(decimate(a.mean, req, m_scratch));
            setGraphData(g.raw, m_scratch, m_buffers[g.raw]);
            m_drawnPoints += m_scratch.size();
            if (!g.smooth)
                emphasize(g.raw, m_scratch.size(), columns);
            if (g.smooth) {
                req.smoothed = true;
                decimate(a.mean, req, m_scratch);
                setGraphData(g.smooth, m_scratch, m_buffers[g.smooth]);
                emphasize(g.smooth, m_scratch.size(), columns);
                m_drawnPoints += m_scratch.size();
            }
            // Members' NaN/Inf are left out of the mean; mark them all the same.
            req.smoothed = false;
            for (int id : c.members) {
                XMapping mm = c.map;
                if (st.xMode == XAxisMode::Relative)
                    mm.offset = store.run(store.seriesRun(id)).firstWall;
                req.map = mm;
                nonFiniteMarkers(store.series(id), req, marks);
                m_markers->add(marks);
            }
        }
    }

    if (m_autoY) {
        QCPRange r;
        if (!(yLo <= yHi)) {
            r = st.logY ? QCPRange(0.1, 10) : QCPRange(0, 1);
        } else if (st.logY) {
            if (yHi <= yLo) {
                yLo /= 2;
                yHi *= 2;
            }
            const double f = std::pow(yHi / yLo, 0.06);
            r = QCPRange(yLo / f, yHi * f);
        } else {
            if (yHi <= yLo) {
                const double pad = std::max(1e-9, std::fabs(yLo) * 0.1);
                yLo -= pad;
                yHi += pad;
            }
            const double pad = (yHi - yLo) * 0.06;
            r = QCPRange(yLo - pad, yHi + pad);
        }
        setRangeGuarded(yAxis, r);
    }
    m_preparing = false;
}

void ScalarChart::replotWhole()
{
    m_whole = true;
    replot();
    m_whole = false;
}

void ScalarChart::drawDense(QPainter* painter, const QRect& area, uint64_t key)
{

    if (!m_showOnly)
        m_requestedKey = key;
    if ((key != m_denseShownKey || m_denseShown.size() != area.size()) && !(m_showOnly && !m_job.active)) {
        // A job for older data of the same size finishes first: its image is newer than the shown one.
        if (!m_job.active || m_job.image.size() != area.size())
            startDenseJob(area, key);
        if (!m_whole) {
            runDenseJob(m_sliceBudgetMs);
        } else {
            runDenseJob(-1);
            if (m_denseShownKey != key) { // that finished job drew older data or another view
                startDenseJob(area, key);
                runDenseJob(-1);
            }
        }
        if (m_job.active && !m_denseTimer->isActive())
            m_denseTimer->start(0);
    }
    m_denseComplete = key == m_denseShownKey && m_denseShown.size() == area.size();
    if (m_denseShown.size() == area.size())
        painter->drawImage(area.topLeft(), m_denseShown);
}

void ScalarChart::startDenseJob(const QRect& area, uint64_t key)
{
    m_job.active = true;
    m_job.key = key;
    m_job.req = m_denseReq;
    const QCPRange yr = yAxis->range();
    m_job.yLo = yr.lower;
    m_job.yHi = yr.upper;
    // Unselected curves are faint when some runs are selected, else translucent so that overlaps show.
    m_job.alpha = m_ctx->anySelected() ? 40 : 150;
    m_job.curves.clear();
    for (std::size_t i = 0; i < m_curves.size(); ++i)
        if (i >= m_graphs.size() || !m_graphs[i].raw) // the others have graphs of their own
            m_job.curves.push_back(m_curves[i]);
    m_job.next = 0;
    m_jobMs = 0;
    if (m_job.image.size() != area.size())
        m_job.image = QImage(area.size(), QImage::Format_ARGB32_Premultiplied);
    m_job.image.fill(Qt::transparent);
}

void ScalarChart::continueDenseJob()
{
    if (!m_job.active)
        return;
    if (runDenseJob(m_sliceBudgetMs)) {
        // Show it, and start the image the last replot asked for if this one is older. Data that
        // arrived without a replot waits for the owner's next one (the dashboard coalesces them).
        m_showOnly = m_denseShownKey == m_requestedKey;
        replot();
        m_showOnly = false;
    }
    else if (!m_denseTimer->isActive())
        m_denseTimer->start(0);
}

bool ScalarChart::runDenseJob(double budgetMs)
{

    // One pass per curve over its visible points: each pixel column gets one vertical span from
    // the lowest to the highest point in it (joined to the previous column's last point), columns
    // skipped by sparse data get a line. Cost: O(visible points + pixels covered) per curve, no
    // intermediate point list. The mapping is the one of the job's start, so an image rendered in
    // slices is the one rendered in one go.
    ++m_denseSlices;
    QElapsedTimer clock;
    clock.start();
    struct Account {
        QElapsedTimer& clock;
        double& ms;
        ~Account() { ms += double(clock.nsecsElapsed()) / 1e6; }
    } account{clock, m_jobMs};
    DenseJob& job = m_job;
    QImage& image = job.image;
    const DenseRequest& dr = job.req;
    const int width = image.width(), height = image.height();
    uint32_t* bits = reinterpret_cast<uint32_t*>(image.bits());
    const qsizetype stride = image.bytesPerLine() / 4;
    const bool smoothed = dr.smoothing > 0; // the smoothed curve only: 1,000 noisy raw curves are a blur
    // Pixel coordinates as QCPAxis maps them (log axes: linear in the logarithm), from the job's ranges.
    const bool logAxisX = xAxis->scaleType() == QCPAxis::stLogarithmic;
    const bool logAxisY = yAxis->scaleType() == QCPAxis::stLogarithmic;
    const double x0 = logAxisX ? std::log(dr.xLo) : dr.xLo, x1 = logAxisX ? std::log(dr.xHi) : dr.xHi;
    const double y0 = logAxisY ? std::log(job.yLo) : job.yLo, y1 = logAxisY ? std::log(job.yHi) : job.yHi;
    const double xScale = double(width) / (x1 - x0), yScale = double(height) / (y1 - y0);
    auto toPx = [&](double x) { return ((logAxisX ? std::log(x) : x) - x0) * xScale; };
    auto toPy = [&](double y) { return (y1 - (logAxisY ? std::log(y) : y)) * yScale; };
    const ScalarStore& store = m_ctx->store();
    std::vector<float> values;
    const uint32_t inverse = 255u - uint32_t(job.alpha);
    const std::size_t first = job.next;
    for (; job.next < job.curves.size(); ++job.next) {
        if (budgetMs >= 0 && job.next > first && clock.nsecsElapsed() > qint64(budgetMs * 1e6))
            break; // at least one curve per slice
        const ChartCurve& c = job.curves[job.next];
        if (c.kind == ChartCurve::Kind::Run && (c.seriesId < 0 || c.seriesId >= store.seriesCount()))
            continue;
        const ScalarSeries& s = c.kind == ChartCurve::Kind::Run ? store.series(c.seriesId) : m_ctx->aggregate(m_tagId, c).mean;
        if (s.empty())
            continue;
        // Visible points plus one neighbour on each side, so that lines reach the edges.
        std::size_t i0 = 0, i1 = s.size();
        if (c.map.monotonic(s)) {
            const std::size_t a = nearestIndex(s, c.map, dr.xLo), b = nearestIndex(s, c.map, dr.xHi);
            i0 = a > 0 ? a - 1 : 0;
            i1 = std::min(s.size(), b + 2);
        }
        values.resize(i1 - i0);
        if (smoothed)
            s.smoothed(dr.smoothing, i0, i1, values.data());
        const uint32_t src = qPremultiply(qRgba(c.color.red(), c.color.green(), c.color.blue(), job.alpha));
        auto span = [&](int col, double ya, double yb) {
            if (col < 0 || col >= width)
                return;
            int lo = int(std::floor(std::min(ya, yb) + 0.5)), hi = int(std::floor(std::max(ya, yb) + 0.5));
            lo = std::max(lo, 0);
            hi = std::min(hi, height - 1);
            for (int y = lo; y <= hi; ++y) {
                uint32_t& d = bits[qsizetype(y) * stride + col];
                d = blendOver(d, src, inverse);
            }
        };
        bool have = false;       // a column is open
        int col = 0;             // the open column
        double lo = 0, hi = 0;   // its extent so far
        double lastX = 0, lastY = 0;
        for (std::size_t k = i0; k < i1; ++k) {
            const double v = smoothed ? double(values[k - i0]) : s.value(k);
            const double x = c.map.x(s, k);
            if (!std::isfinite(v) || (dr.logY && v <= 0) || (dr.logX && x <= 0))
                continue;
            const double px = toPx(x), py = toPy(v);
            if (!std::isfinite(px) || !std::isfinite(py))
                continue;
            const int pc = int(std::floor(px + 0.5));
            if (have && pc == col) {
                lo = std::min(lo, py);
                hi = std::max(hi, py);
            } else {
                if (have) {
                    span(col, lo, hi);
                    if (pc == col + 1) { // the step between neighbouring columns joins them
                        lo = std::min(lastY, py);
                        hi = std::max(lastY, py);
                    } else {
                        blendLine(image, lastX, lastY, px, py, src, inverse, true);
                        lo = hi = py;
                    }
                } else {
                    lo = hi = py;
                }
                col = pc;
                have = true;
            }
            lastX = px;
            lastY = py;
        }
        if (have)
            span(col, lo, hi);
    }
    if (job.next < job.curves.size())
        return false;
    ++m_denseRenders;
    m_lastImageMs = m_jobMs + double(clock.nsecsElapsed()) / 1e6;
    std::swap(m_denseShown, job.image);
    m_denseShownKey = job.key;
    job.active = false;
    job.curves.clear();
    return true;
}

QStringList ScalarChart::shownCurves() const
{
    QStringList names;
    for (const ChartCurve& c : m_curves)
        names << c.name;
    return names;
}

int ScalarChart::markerCount() const { return m_markers->count(); }

QRect ScalarChart::titleRect() const { return m_title->outerRect(); }

std::vector<int> ScalarChart::shownSeries() const
{
    std::vector<int> ids;
    for (const ChartCurve& c : m_ctx->curvesForTag(m_tagId)) {
        if (c.kind == ChartCurve::Kind::Run)
            ids.push_back(c.seriesId);
        else
            ids.insert(ids.end(), c.members.begin(), c.members.end());
    }
    return ids;
}

QString ScalarChart::hoverTextAt(double x)
{
    const ChartSettings& st = m_ctx->settings();
    const ScalarStore& store = m_ctx->store();
    const bool smoothing = st.smoothing > 0;
    QString html = QStringLiteral("<table cellspacing='0' cellpadding='1'>");
    QStringList plain;
    auto xText = [&](const ScalarSeries& s, std::size_t i, const XMapping& map) {
        switch (st.xMode) {
        case XAxisMode::Step: return QStringLiteral("step %1").arg(s.step(i));
        case XAxisMode::Relative: return QStringLiteral("step %1, %2 s").arg(s.step(i)).arg(map.x(s, i), 0, 'g', 6);
        case XAxisMode::Wall:
            return QStringLiteral("step %1, %2")
                .arg(s.step(i))
                .arg(QDateTime::fromMSecsSinceEpoch(qint64(map.x(s, i) * 1000)).toString(QStringLiteral("yyyy-MM-dd hh:mm:ss")));
        }
        return QString();
    };
    // With many curves the read-out lists the selected runs first and stops after MaxHoverLines.
    constexpr int MaxHoverLines = 20;
    std::vector<const ChartCurve*> order;
    for (const ChartCurve& c : m_curves)
        if (c.selected)
            order.push_back(&c);
    for (const ChartCurve& c : m_curves)
        if (!c.selected)
            order.push_back(&c);
    const int omitted = std::max(0, int(order.size()) - MaxHoverLines);
    order.resize(order.size() - std::size_t(omitted));
    for (const ChartCurve* curve : order) {
        const ChartCurve& c = *curve;
        const QString swatch = QStringLiteral("<span style='color:%1'>&#9679;</span>").arg(c.color.name());
        QString line, cells;
        if (c.kind == ChartCurve::Kind::Run) {
            const ScalarSeries& s = store.series(c.seriesId);
            if (s.empty())
                continue;
            const std::size_t i = nearestIndex(s, c.map, x);
            const double raw = s.value(i);
            const QString where = xText(s, i, c.map);
            if (smoothing && s.nonFinite(i) == NonFinite::None) {
                const double sm = s.smoothedAt(st.smoothing, i);
                line = QStringLiteral("%1: %2 (raw %3) at %4").arg(c.name, formatValue(sm), formatValue(raw), where);
                cells = QStringLiteral("<td><b>%1</b></td><td>&nbsp;raw %2</td>").arg(formatValue(sm), formatValue(raw));
            } else {
                line = QStringLiteral("%1: %2 at %3").arg(c.name, formatValue(raw), where);
                cells = QStringLiteral("<td><b>%1</b></td><td></td>").arg(formatValue(raw));
            }
            if (c.hasError)
                line += QStringLiteral(" [file error]");
            cells += QStringLiteral("<td>&nbsp;%1%2</td>")
                         .arg(where.toHtmlEscaped(), c.hasError ? QStringLiteral(" &#9888;") : QString());
        } else {
            const RunAggregate& a = m_ctx->aggregate(m_tagId, c);
            if (a.mean.empty())
                continue;
            const std::size_t i = nearestIndex(a.mean, c.map, x);
            const double mean = smoothing ? a.mean.smoothedAt(st.smoothing, i) : a.mean.value(i);
            const QString band = st.band == BandMode::MinMax ? QStringLiteral("min %1, max %2") : QStringLiteral("-std %1, +std %2");
            const QString bandText = band.arg(formatValue(a.lower.value(i)), formatValue(a.upper.value(i)));
            line = QStringLiteral("%1 (%2 runs): mean %3, %4 at step %5")
                       .arg(c.name)
                       .arg(a.members)
                       .arg(formatValue(mean), bandText)
                       .arg(a.mean.step(i));
            cells = QStringLiteral("<td><b>%1</b></td><td>&nbsp;%2</td><td>&nbsp;step %3</td>")
                        .arg(formatValue(mean), bandText.toHtmlEscaped())
                        .arg(a.mean.step(i));
        }
        plain << line;
        html += QStringLiteral("<tr><td>%1&nbsp;%2&nbsp;</td>%3</tr>").arg(swatch, c.name.toHtmlEscaped(), cells);
    }
    if (omitted > 0) {
        const QString more = tr("… and %1 more (select runs in the list to see them here)").arg(omitted);
        plain << more;
        html += QStringLiteral("<tr><td colspan='4'><i>%1</i></td></tr>").arg(more.toHtmlEscaped());
    }
    html += QStringLiteral("</table>");
    m_hoverPlain = plain.join(QLatin1Char('\n'));
    return plain.isEmpty() ? QString() : html;
}

void ScalarChart::mousePressEvent(QMouseEvent* event)
{
    // Shift+drag zooms to a box; plain drag pans.
    setSelectionRectMode((event->modifiers() & Qt::ShiftModifier) ? QCP::srmZoom : QCP::srmNone);
    QToolTip::hideText();
    QCustomPlot::mousePressEvent(event);
}

void ScalarChart::mouseMoveEvent(QMouseEvent* event)
{
    QCustomPlot::mouseMoveEvent(event);
    const QPoint pos = event->pos();
    const bool inside = axisRect()->rect().contains(pos);
    setCursor(m_title->outerRect().contains(pos) ? Qt::PointingHandCursor : Qt::ArrowCursor);
    if (event->buttons() != Qt::NoButton || !inside || m_curves.empty()) {
        if (m_cursor->visible()) {
            m_cursor->setVisible(false);
            layer(QStringLiteral("overlay"))->replot();
        }
        return;
    }
    const double x = xAxis->pixelToCoord(pos.x());
    const QString html = hoverTextAt(x);
    m_cursor->point1->setCoords(x, 0);
    m_cursor->point2->setCoords(x, 1);
    m_cursor->setVisible(true);
    layer(QStringLiteral("overlay"))->replot();
    if (!html.isEmpty())
        QToolTip::showText(event->globalPosition().toPoint() + QPoint(14, 10), html, this);
}

void ScalarChart::leaveEvent(QEvent* event)
{
    QCustomPlot::leaveEvent(event);
    if (m_cursor->visible()) {
        m_cursor->setVisible(false);
        layer(QStringLiteral("overlay"))->replot();
    }
    QToolTip::hideText();
}

void ScalarChart::mouseDoubleClickEvent(QMouseEvent* event)
{
    QCustomPlot::mouseDoubleClickEvent(event);
    if (axisRect()->rect().contains(event->pos())) {
        resetView();
        emit resetRequested();
    }
}

void ScalarChart::wheelEvent(QWheelEvent* event)
{
    // Wheel zooms x; Ctrl+wheel zooms y.
    if (event->modifiers() & Qt::ControlModifier) {
        axisRect()->setRangeZoom(Qt::Vertical);
        QCustomPlot::wheelEvent(event);
        axisRect()->setRangeZoom(Qt::Horizontal);
    } else {
        QCustomPlot::wheelEvent(event);
    }
}

void ScalarChart::contextMenuEvent(QContextMenuEvent* event)
{
    QToolTip::hideText();
    QString base = m_tag;
    base.replace(QLatin1Char('/'), QLatin1Char('_'));
    if (base.isEmpty())
        base = QStringLiteral("chart");
    auto ask = [this, base](const QString& title, const QString& ext, const QString& filter) {
        return QFileDialog::getSaveFileName(this, title, base + ext, filter);
    };
    auto report = [this](bool ok, const QString& path, const QString& error = {}) {
        if (!ok)
            QMessageBox::warning(this, tr("Export failed"),
                                 tr("Could not write %1%2").arg(path, error.isEmpty() ? QString() : QStringLiteral(": ") + error));
    };
    QMenu menu(this);
    menu.addAction(tr("Reset view"), this, [this] {
        resetView();
        emit resetRequested();
    });
    menu.addSeparator();
    menu.addAction(tr("Save image as PNG…"), this, [=, this] {
        const QString p = ask(tr("Save chart as PNG"), QStringLiteral(".png"), tr("PNG image (*.png)"));
        if (!p.isEmpty())
            report(exportPng(p), p);
    });
    menu.addAction(tr("Save image as SVG…"), this, [=, this] {
        const QString p = ask(tr("Save chart as SVG"), QStringLiteral(".svg"), tr("SVG image (*.svg)"));
        if (!p.isEmpty())
            report(exportSvg(p), p);
    });
    menu.addAction(tr("Copy image"), this, [this] { QApplication::clipboard()->setPixmap(toPixmap(0, 0, 2.0)); });
    menu.addSeparator();
    menu.addAction(tr("Export data as CSV…"), this, [=, this] {
        const QString p = ask(tr("Export chart data as CSV"), QStringLiteral(".csv"), tr("CSV (*.csv)"));
        QString err;
        if (!p.isEmpty())
            report(exportCsv(p, &err), p, err);
    });
    menu.addAction(tr("Export data as JSON…"), this, [=, this] {
        const QString p = ask(tr("Export chart data as JSON"), QStringLiteral(".json"), tr("JSON (*.json)"));
        QString err;
        if (!p.isEmpty())
            report(exportJson(p, &err), p, err);
    });
    menu.exec(event->globalPos());
}

bool ScalarChart::exportPng(const QString& path, int w, int h)
{
    if (w <= 0)
        w = width();
    if (h <= 0)
        h = height();
    m_key = 0;
    prepare();
    m_whole = true; // an export shows every curve
    const bool ok = savePng(path, w, h, 2.0);
    m_whole = false;
    return ok;
}

bool ScalarChart::exportSvg(const QString& path, int w, int h)
{
    if (w <= 0)
        w = width();
    if (h <= 0)
        h = height();
    m_key = 0;
    prepare();
    QSvgGenerator gen;
    gen.setFileName(path);
    gen.setSize(QSize(w, h));
    gen.setViewBox(QRect(0, 0, w, h));
    gen.setTitle(m_tag);
    gen.setDescription(QStringLiteral("scopeviz scalar chart"));
    QCPPainter painter;
    if (!painter.begin(&gen))
        return false;
    m_whole = true; // an export shows every curve
    toPainter(&painter, w, h);
    m_whole = false;
    painter.end();
    return QFileInfo(path).size() > 0;
}

namespace {

bool writeData(const ScalarStore& store, const std::vector<int>& ids, const QString& path, QString* error, bool json)
{
    std::ofstream os(QFile::encodeName(path).toStdString(), std::ios::binary | std::ios::trunc);
    if (!os) {
        if (error)
            *error = QStringLiteral("cannot open the file for writing");
        return false;
    }
    if (json)
        writeJson(os, store, ids);
    else
        writeCsv(os, store, ids);
    os.flush();
    if (!os) {
        if (error)
            *error = QStringLiteral("write failed (disk full?)");
        return false;
    }
    return true;
}

} // namespace

bool ScalarChart::exportCsv(const QString& path, QString* error) const
{
    return writeData(m_ctx->store(), shownSeries(), path, error, false);
}

bool ScalarChart::exportJson(const QString& path, QString* error) const
{
    return writeData(m_ctx->store(), shownSeries(), path, error, true);
}

} // namespace scopeviz::ui
