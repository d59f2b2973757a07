#pragma once
// The charts of the Histograms and Distributions dashboards, painted directly
// (no plotting library): one (run, tag) series each.
//
// Both draw from the store's columns and decimate to the pixels: the offset
// view draws at most one ridge per 3 pixel rows, the overlay at most 60
// curves, the distribution bands one column per pixel (the extreme values of
// the steps that fall in it), so a repaint costs the same for 100 steps as
// for 100,000. Every step stays in the store: hovering shows the exact value
// of the nearest drawn step.
#include <QColor>
#include <QWidget>

#include <cstdint>
#include <vector>

namespace scopeviz::ui {

struct HistogramSeries;

/// TensorBoard's two histogram modes.
enum class HistogramMode {
    Offset,  ///< one ridge per step, stacked in depth, newest in front
    Overlay, ///< every step on one baseline, newest darkest
};

/// Round tick positions covering [lo, hi]: at most about `maxTicks`.
std::vector<double> niceTicks(double lo, double hi, int maxTicks);
/// A short label for a tick value (3 significant digits, k/M suffixes for large steps when `compact`).
QString tickLabel(double v, bool compact = false);

/// Density of `s`'s step `i` resampled into `bins` equal bins over [lo, hi] (count per unit of value,
/// spreading each bucket's count over the bins it overlaps).
std::vector<double> resampleHistogram(const HistogramSeries& s, std::size_t i, double lo, double hi, int bins);

/// Indices of at most `maxDrawn` steps of an `n`-step series, evenly spread, always with the first and last.
std::vector<std::size_t> pickSteps(std::size_t n, std::size_t maxDrawn);

/// Base of both charts: the series, its colour, and the plot margins.
class SeriesChart : public QWidget {
    Q_OBJECT
public:
    explicit SeriesChart(QWidget* parent = nullptr);
    /// The series drawn (not owned; nullptr for none). Call update() or seriesChanged() when it grows.
    void setSeries(const HistogramSeries* series, QColor color);
    const HistogramSeries* series() const { return m_series; }
    /// The data grew or was purged: repaint soon.
    void seriesChanged();
    /// Paints into an image of the widget's size (benchmarks, tests); returns how long in ms.
    double paintOffscreen(QImage* out = nullptr);
    QSize sizeHint() const override { return {360, 240}; }
    QSize minimumSizeHint() const override { return {200, 140}; }

protected:
    /// Draws the chart into `rect`.
    virtual void draw(QPainter& p, const QRect& rect) = 0;
    void paintEvent(QPaintEvent*) override;
    QRect plotRect() const;

    const HistogramSeries* m_series = nullptr;
    QColor m_color;
};

/// The Histograms dashboard's chart.
class HistogramChart : public SeriesChart {
    Q_OBJECT
public:
    explicit HistogramChart(QWidget* parent = nullptr);
    void setMode(HistogramMode mode);
    HistogramMode mode() const { return m_mode; }
    /// Steps drawn at the current size, by index into the series (newest last).
    std::vector<std::size_t> drawnSteps() const;
    /// The step whose ridge (offset) or curve (overlay) is nearest to `pos`, or -1.
    int64_t stepAt(QPoint pos) const;

protected:
    void draw(QPainter& p, const QRect& rect) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void leaveEvent(QEvent* e) override;

private:
    std::size_t maxDrawn(const QRect& plot) const;
    HistogramMode m_mode = HistogramMode::Offset;
    int64_t m_hoverStep = INT64_MIN;
};

/// The Distributions dashboard's chart: percentile bands over steps.
class DistributionChart : public SeriesChart {
    Q_OBJECT
public:
    explicit DistributionChart(QWidget* parent = nullptr);

protected:
    void draw(QPainter& p, const QRect& rect) override;
    void mouseMoveEvent(QMouseEvent* e) override;

private:
    int m_hoverX = -1;
};

} // namespace scopeviz::ui
