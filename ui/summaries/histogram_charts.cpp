#include "ui/summaries/histogram_charts.h"

#include "ui/common/theme.h"
#include "ui/summaries/summary_store.h"

#include <QElapsedTimer>
#include <QImage>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace scopeviz::ui {

namespace {

constexpr int kLeft = 46, kRight = 12, kTop = 8, kBottom = 22;
constexpr int kMaxOverlay = 40;
/// Offset mode: the height share a ridge may rise; the rest of the plot is the depth the ridges recede into.
constexpr double kRidgeShare = 0.35;

/// Maps values to pixels linearly.
struct Scale {
    double v0, v1;
    double p0, p1;
    double operator()(double v) const { return v1 == v0 ? (p0 + p1) / 2 : p0 + (v - v0) / (v1 - v0) * (p1 - p0); }
    double inverse(double p) const { return p1 == p0 ? v0 : v0 + (p - p0) / (p1 - p0) * (v1 - v0); }
};

void drawXAxis(QPainter& p, const QRect& plot, const Scale& x, bool compact)
{
    p.setPen(p.pen().color());
    const QFontMetrics fm(p.font());
    for (double t : niceTicks(x.v0, x.v1, std::max(2, plot.width() / 70))) {
        const int px = int(std::lround(x(t)));
        p.drawLine(px, plot.bottom() + 1, px, plot.bottom() + 4);
        const QString label = tickLabel(t, compact);
        p.drawText(QRect(px - 40, plot.bottom() + 4, 80, fm.height()), Qt::AlignHCenter | Qt::AlignTop, label);
    }
}

void drawYAxis(QPainter& p, const QRect& plot, const Scale& y)
{
    const QFontMetrics fm(p.font());
    for (double t : niceTicks(y.v0, y.v1, std::max(2, plot.height() / 40))) {
        const int py = int(std::lround(y(t)));
        p.drawLine(plot.left() - 4, py, plot.left() - 1, py);
        p.drawText(QRect(0, py - fm.height() / 2, plot.left() - 6, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
                   tickLabel(t));
    }
}

/// The value axis of a histogram chart: the series' range, widened when it is a single value, plus 2 %.
Scale valueScale(const HistogramSeries& s, const QRect& plot)
{
    double lo = s.lo, hi = s.hi;
    if (!(hi > lo)) {
        lo -= 0.5;
        hi += 0.5;
    }
    const double pad = (hi - lo) * 0.02;
    return Scale{lo - pad, hi + pad, double(plot.left()), double(plot.right())};
}

/// The step axis of a distribution chart: first to last step (one step wide for a single one).
Scale stepScale(const HistogramSeries& s, const QRect& plot)
{
    const double s0 = double(s.steps.front()), s1 = double(s.steps.back());
    return Scale{s0, s1 > s0 ? s1 : s0 + 1, double(plot.left()), double(plot.right())};
}

QColor blend(const QColor& a, const QColor& b, double t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t), float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

} // namespace

std::vector<double> niceTicks(double lo, double hi, int maxTicks)
{
    std::vector<double> out;
    if (!std::isfinite(lo) || !std::isfinite(hi) || maxTicks < 1)
        return out;
    if (hi < lo)
        std::swap(lo, hi);
    if (hi == lo)
        return {lo};
    const double raw = (hi - lo) / maxTicks;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    double step = mag;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * mag >= raw) {
            step = m * mag;
            break;
        }
    for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9 && out.size() < 100; t += step)
        out.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
    return out;
}

QString tickLabel(double v, bool compact)
{
    const double a = std::abs(v);
    if (compact && a >= 1e6)
        return QString::number(v / 1e6, 'g', 3) + QLatin1Char('M');
    if (compact && a >= 1e4)
        return QString::number(v / 1e3, 'g', 3) + QLatin1Char('k');
    if (a >= 1e4 || (a < 1e-3 && a > 0))
        return QString::number(v, 'g', 2);
    return QString::number(v, 'g', 3);
}

std::vector<double> resampleHistogram(const HistogramSeries& s, std::size_t i, double lo, double hi, int bins)
{
    std::vector<double> out(std::size_t(std::max(bins, 1)), 0.0);
    const double width = (hi - lo) / double(out.size());
    const std::size_t n = s.bucketCount(i);
    if (!(width > 0) || n == 0)
        return out;
    const uint32_t first = s.firstBucket[i];
    for (std::size_t b = 0; b < n; ++b) {
        const double l = s.bucketLeft(i, b), r = s.rights[first + b], c = s.counts[first + b];
        if (!(c > 0) || !std::isfinite(l) || !std::isfinite(r))
            continue;
        if (r <= l) { // a point mass (one value): all of it in its bin
            const auto k = std::size_t(std::clamp((l - lo) / width, 0.0, double(out.size() - 1)));
            out[k] += c / width;
            continue;
        }
        const double density = c / (r - l);
        const auto k0 = std::size_t(std::clamp(std::floor((l - lo) / width), 0.0, double(out.size() - 1)));
        const auto k1 = std::size_t(std::clamp(std::floor((r - lo) / width), 0.0, double(out.size() - 1)));
        for (std::size_t k = k0; k <= k1; ++k) {
            const double bl = lo + double(k) * width, br = bl + width;
            const double overlap = std::min(r, br) - std::max(l, bl);
            if (overlap > 0)
                out[k] += density * overlap / width;
        }
    }
    return out;
}

std::vector<std::size_t> pickSteps(std::size_t n, std::size_t maxDrawn)
{
    std::vector<std::size_t> out;
    if (n == 0 || maxDrawn == 0)
        return out;
    if (n <= maxDrawn) {
        out.resize(n);
        for (std::size_t i = 0; i < n; ++i)
            out[i] = i;
        return out;
    }
    if (maxDrawn == 1)
        return {n - 1};
    for (std::size_t k = 0; k < maxDrawn; ++k)
        out.push_back(std::size_t(std::llround(double(k) * double(n - 1) / double(maxDrawn - 1))));
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

// ---- SeriesChart ----

SeriesChart::SeriesChart(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void SeriesChart::setSeries(const HistogramSeries* series, QColor color)
{
    m_series = series;
    m_color = color;
    update();
}

void SeriesChart::seriesChanged() { update(); }

QRect SeriesChart::plotRect() const
{
    return QRect(kLeft, kTop, std::max(10, width() - kLeft - kRight), std::max(10, height() - kTop - kBottom));
}

void SeriesChart::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    p.setPen(palette().color(QPalette::Text));
    draw(p, plotRect());
}

double SeriesChart::paintOffscreen(QImage* out)
{
    QImage img(size(), QImage::Format_ARGB32_Premultiplied);
    QElapsedTimer t;
    t.start();
    {
        QPainter p(&img);
        p.fillRect(img.rect(), palette().base());
        p.setPen(palette().color(QPalette::Text));
        draw(p, plotRect());
    }
    const double ms = double(t.nsecsElapsed()) / 1e6;
    if (out)
        *out = std::move(img);
    return ms;
}

// ---- HistogramChart ----

HistogramChart::HistogramChart(QWidget* parent) : SeriesChart(parent) {}

void HistogramChart::setMode(HistogramMode mode)
{
    m_mode = mode;
    update();
}

std::size_t HistogramChart::maxDrawn(const QRect& plot) const
{
    if (m_mode == HistogramMode::Overlay)
        return kMaxOverlay;
    return std::size_t(std::max(1, int(plot.height() * (1 - kRidgeShare)) / 4)); // a ridge per 4 pixel rows
}

std::vector<std::size_t> HistogramChart::drawnSteps() const
{
    return m_series ? pickSteps(m_series->size(), maxDrawn(plotRect())) : std::vector<std::size_t>{};
}

void HistogramChart::draw(QPainter& p, const QRect& plot)
{
    const QColor text = palette().color(QPalette::Text);
    if (!m_series || m_series->size() == 0) {
        p.drawText(plot, Qt::AlignCenter, tr("No histograms"));
        return;
    }
    const HistogramSeries& s = *m_series;
    const Scale x = valueScale(s, plot);
    const double lo = x.v0, hi = x.v1;
    const int bins = std::clamp(plot.width() / 4, 8, 120);
    const std::vector<std::size_t> drawn = pickSteps(s.size(), maxDrawn(plot));
    std::vector<std::vector<double>> curves;
    curves.reserve(drawn.size());
    double peak = 0;
    for (std::size_t i : drawn) {
        curves.push_back(resampleHistogram(s, i, lo, hi, bins));
        for (double d : curves.back())
            peak = std::max(peak, d);
    }
    if (!(peak > 0))
        peak = 1;
    const double binPx = double(plot.width()) / bins;
    p.setRenderHint(QPainter::Antialiasing, true);
    const QColor back = isDarkPalette(palette()) ? QColor(70, 70, 70) : QColor(200, 200, 200);
    const std::size_t n = drawn.size();
    // Offset: the newest ridge sits on the bottom edge, older ones step up and back; a ridge may rise 35 % of
    // the plot. Overlay: every curve on the bottom edge.
    const double amplitude = m_mode == HistogramMode::Offset ? plot.height() * kRidgeShare : plot.height() * 0.95;
    const double depth = m_mode == HistogramMode::Offset ? plot.height() - amplitude : 0.0;
    for (std::size_t k = 0; k < n; ++k) {
        const double age = n > 1 ? double(n - 1 - k) / double(n - 1) : 0.0; // 1 = oldest
        const double base = plot.bottom() - depth * age;
        QPolygonF line;
        line.reserve(bins + 2);
        line << QPointF(plot.left(), base);
        for (int b = 0; b < bins; ++b)
            line << QPointF(plot.left() + (b + 0.5) * binPx, base - curves[k][std::size_t(b)] / peak * amplitude);
        line << QPointF(plot.right(), base);
        const QColor c = blend(m_color, back, 0.75 * age);
        const bool hovered = drawn[k] < s.size() && s.steps[drawn[k]] == m_hoverStep;
        if (m_mode == HistogramMode::Offset) {
            QColor fill = c;
            fill.setAlphaF(0.85f);
            p.setBrush(fill);
            QPen pen(hovered ? text : c.darker(130), hovered ? 2.0 : 0.0); // cosmetic: the cheap hairline path
            pen.setCosmetic(true);
            p.setPen(pen);
            p.drawPolygon(line);
        } else {
            QColor stroke = c;
            stroke.setAlphaF(float(0.35 + 0.65 * (1 - age)));
            QPen pen(hovered ? text : stroke, hovered ? 2.0 : 1.0);
            pen.setCosmetic(true);
            p.setPen(pen);
            p.drawPolyline(line);
        }
    }
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setPen(text);
    drawXAxis(p, plot, x, false);
    // Step labels on the left: the newest at the bottom, the oldest at the top (offset); a density axis (overlay).
    const QFontMetrics fm(p.font());
    if (m_mode == HistogramMode::Offset) {
        const Scale y{double(s.steps[drawn.back()]), double(s.steps[drawn.front()]), double(plot.bottom()),
                      double(plot.bottom() - depth)};
        for (double t : niceTicks(y.v0, y.v1, std::max(2, int(depth) / 30))) {
            const int py = int(std::lround(y(t)));
            p.drawText(QRect(0, py - fm.height(), plot.left() - 4, fm.height()), Qt::AlignRight | Qt::AlignBottom,
                       tickLabel(t, true));
        }
    } else {
        drawYAxis(p, plot, Scale{0, peak, double(plot.bottom()), double(plot.bottom() - amplitude)});
    }
    if (m_hoverStep != INT64_MIN)
        p.drawText(plot.adjusted(0, 0, -4, 0), Qt::AlignTop | Qt::AlignRight, tr("step %1").arg(m_hoverStep));
}

int64_t HistogramChart::stepAt(QPoint pos) const
{
    if (!m_series || m_series->size() == 0)
        return -1;
    const QRect plot = plotRect();
    const std::vector<std::size_t> drawn = drawnSteps();
    if (m_mode == HistogramMode::Overlay || drawn.size() < 2)
        return m_series->steps[drawn.back()];
    // Offset: the ridge whose baseline is nearest below the pointer.
    const double depth = plot.height() * (1 - kRidgeShare);
    const double age = std::clamp((plot.bottom() - pos.y()) / depth, 0.0, 1.0);
    const auto k = std::size_t(std::lround((1 - age) * double(drawn.size() - 1)));
    return m_series->steps[drawn[k]];
}

void HistogramChart::mouseMoveEvent(QMouseEvent* e)
{
    const int64_t step = stepAt(e->position().toPoint());
    if (step != m_hoverStep) {
        m_hoverStep = step;
        update();
    }
    if (!m_series || m_series->size() == 0)
        return;
    const HistogramSeries& s = *m_series;
    const std::size_t i = std::min(s.indexOfStep(step), s.size() - 1);
    const QRect plot = plotRect();
    const double v = valueScale(s, plot).inverse(e->position().x());
    double count = 0;
    for (std::size_t b = 0; b < s.bucketCount(i); ++b)
        if (v >= s.bucketLeft(i, b) && v <= s.rights[s.firstBucket[i] + b])
            count = s.counts[s.firstBucket[i] + b];
    QToolTip::showText(e->globalPosition().toPoint(),
                       tr("step %1\nvalue %2: %3 in its bucket\n%4 values, min %5, max %6")
                           .arg(s.steps[i])
                           .arg(tickLabel(v))
                           .arg(count, 0, 'g', 4)
                           .arg(double(s.nums[i]), 0, 'g', 6)
                           .arg(double(s.mins[i]), 0, 'g', 4)
                           .arg(double(s.maxs[i]), 0, 'g', 4),
                       this);
}

void HistogramChart::leaveEvent(QEvent*)
{
    m_hoverStep = INT64_MIN;
    update();
}

// ---- DistributionChart ----

DistributionChart::DistributionChart(QWidget* parent) : SeriesChart(parent) {}

void DistributionChart::draw(QPainter& p, const QRect& plot)
{
    const QColor text = palette().color(QPalette::Text);
    if (!m_series || m_series->size() == 0) {
        p.drawText(plot, Qt::AlignCenter, tr("No histograms"));
        return;
    }
    const HistogramSeries& s = *m_series;
    double vlo = s.percentiles[0][0], vhi = s.percentiles[0][8];
    for (const auto& q : s.percentiles) {
        vlo = std::min(vlo, double(q[0]));
        vhi = std::max(vhi, double(q[8]));
    }
    if (!(vhi > vlo)) {
        vlo -= 0.5;
        vhi += 0.5;
    }
    const double pad = (vhi - vlo) * 0.04;
    const Scale y{vlo - pad, vhi + pad, double(plot.bottom()), double(plot.top())};
    const Scale x = stepScale(s, plot);
    // One column per pixel: for each band the lowest low and highest high of the steps drawn there.
    const int columns = std::max(1, plot.width());
    struct Column {
        bool used = false;
        std::array<float, 9> lo, hi;
    };
    std::vector<Column> col(std::size_t(columns) + 1);
    for (std::size_t i = 0; i < s.size(); ++i) {
        const int c = std::clamp(int(x(double(s.steps[i]))) - plot.left(), 0, columns);
        Column& k = col[std::size_t(c)];
        const auto& q = s.percentiles[i];
        if (!k.used) {
            k.lo = q;
            k.hi = q;
            k.used = true;
        } else {
            for (int j = 0; j < 9; ++j) {
                k.lo[std::size_t(j)] = std::min(k.lo[std::size_t(j)], q[std::size_t(j)]);
                k.hi[std::size_t(j)] = std::max(k.hi[std::size_t(j)], q[std::size_t(j)]);
            }
        }
    }
    std::vector<int> xs;
    for (int c = 0; c <= columns; ++c)
        if (col[std::size_t(c)].used)
            xs.push_back(c);
    p.setRenderHint(QPainter::Antialiasing, true);
    // Bands from the outside in: (min, max), (7 %, 93 %), (16 %, 84 %), (31 %, 69 %); then the median.
    for (int band = 0; band < 4; ++band) {
        QPolygonF poly;
        for (int c : xs)
            poly << QPointF(plot.left() + c, y(col[std::size_t(c)].hi[std::size_t(8 - band)]));
        for (auto it = xs.rbegin(); it != xs.rend(); ++it)
            poly << QPointF(plot.left() + *it, y(col[std::size_t(*it)].lo[std::size_t(band)]));
        if (xs.size() == 1) // one step: a bar a few pixels wide
            poly = QPolygonF(QRectF(plot.left() + xs[0] - 2, y(col[std::size_t(xs[0])].hi[std::size_t(8 - band)]), 4,
                                    y(col[std::size_t(xs[0])].lo[std::size_t(band)]) -
                                        y(col[std::size_t(xs[0])].hi[std::size_t(8 - band)])));
        QColor fill = m_color;
        fill.setAlphaF(float(0.18 + 0.17 * band));
        p.setPen(Qt::NoPen);
        p.setBrush(fill);
        p.drawPolygon(poly);
    }
    QPolygonF median;
    for (int c : xs)
        median << QPointF(plot.left() + c, y(0.5 * (col[std::size_t(c)].lo[4] + col[std::size_t(c)].hi[4])));
    p.setPen(QPen(m_color.darker(140), 1.5));
    p.setBrush(Qt::NoBrush);
    p.drawPolyline(median);
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setPen(text);
    drawXAxis(p, plot, x, true);
    drawYAxis(p, plot, y);
    if (m_hoverX >= plot.left() && m_hoverX <= plot.right()) {
        p.setPen(QPen(text, 1, Qt::DotLine));
        p.drawLine(m_hoverX, plot.top(), m_hoverX, plot.bottom());
    }
}

void DistributionChart::mouseMoveEvent(QMouseEvent* e)
{
    m_hoverX = int(e->position().x());
    update();
    if (!m_series || m_series->size() == 0)
        return;
    const HistogramSeries& s = *m_series;
    const QRect plot = plotRect();
    const Scale x = stepScale(s, plot);
    const auto step = int64_t(std::llround(x.inverse(e->position().x())));
    const std::size_t i = std::min(s.indexOfStep(step), s.size() - 1);
    const auto& q = s.percentiles[i];
    QToolTip::showText(e->globalPosition().toPoint(),
                       tr("step %1\nmax %2\n93%: %3\n84%: %4\n69%: %5\nmedian %6\n31%: %7\n16%: %8\n7%: %9\nmin %10")
                           .arg(s.steps[i])
                           .arg(double(q[8]), 0, 'g', 4)
                           .arg(double(q[7]), 0, 'g', 4)
                           .arg(double(q[6]), 0, 'g', 4)
                           .arg(double(q[5]), 0, 'g', 4)
                           .arg(double(q[4]), 0, 'g', 4)
                           .arg(double(q[3]), 0, 'g', 4)
                           .arg(double(q[2]), 0, 'g', 4)
                           .arg(double(q[1]), 0, 'g', 4)
                           .arg(double(q[0]), 0, 'g', 4),
                       this);
}

} // namespace scopeviz::ui
