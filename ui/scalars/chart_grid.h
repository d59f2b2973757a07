#pragma once
// The scrollable grid of charts, one per tag, in collapsible sections.
//
// Virtualised so that 1,000 tags cost nothing while scrolled away: the grid
// computes every card's rectangle itself (section headers are painted, not
// widgets), and only cards that intersect the scroll area's viewport get a
// ScalarChart. Charts leaving the viewport go back to a small pool and are
// re-bound to whatever scrolls into view, so the number of QCustomPlot widgets
// stays at about one screenful however many tags there are.
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QStringList>
#include <QWidget>

#include <functional>
#include <vector>

namespace scopeviz::ui {

class ScalarChart;
class ScalarsContext;

/// Virtualised grid of tag charts grouped by prefix.
class ChartGrid : public QWidget {
    Q_OBJECT
public:
    /// One section: a tag prefix and its tags (already filtered and sorted).
    struct Section {
        QString prefix;
        QStringList tags;
        std::vector<int> tagIds;
        bool operator==(const Section&) const = default;
    };

    /// Height of a section header, in pixels.
    static constexpr int HeaderHeight = 34;
    /// Height of a chart card.
    static constexpr int CardHeight = 270;    ///< the tallest a chart gets
    static constexpr int MinCardHeight = 170; ///< the shortest, when the dock is low
    /// Minimum width of a chart card (decides the number of columns).
    static constexpr int MinCardWidth = 300;
    /// Outer margin and gap between cards.
    static constexpr int Gap = 12;

    /// A grid drawing from `ctx` (not owned).
    explicit ChartGrid(ScalarsContext* ctx, QWidget* parent = nullptr);

    /// Replaces the sections (collapsed state is kept per prefix).
    void setSections(std::vector<Section> sections);
    /// What the grid says when it has no section (no data yet, or a filter that hides every chart).
    void setEmptyText(const QString& text);
    const QString& emptyText() const { return m_emptyText; }
    /// The sections shown.
    const std::vector<Section>& sections() const { return m_sections; }
    /// Collapses or expands a section.
    void setCollapsed(const QString& prefix, bool collapsed);
    /// True when a section is collapsed.
    bool isCollapsed(const QString& prefix) const { return m_collapsed.contains(prefix); }

    /// The chart currently showing `tag`, or nullptr when it is out of view.
    ScalarChart* chartFor(const QString& tag) const { return m_bound.value(tag, nullptr); }
    /// Every chart currently bound to a tag (i.e. in view).
    QList<ScalarChart*> boundCharts() const { return m_bound.values(); }
    /// Rectangle of a tag's card in grid coordinates (null when hidden or collapsed).
    QRect cardRect(const QString& tag) const;
    /// Number of ScalarChart widgets in existence (bound + pooled).
    int chartWidgetCount() const { return int(m_bound.size() + m_pool.size()); }
    /// Binds charts to the cards in view and releases the others (after scrolling or resizing).
    void updateBindings();
    /// How a newly bound chart gets its first replot (default: at once). The dashboard queues them,
    /// so that ten charts of 1,000 runs scrolled into view are drawn one per pass of the event loop.
    void setReplotter(std::function<void(ScalarChart*)> replot) { m_replot = std::move(replot); }

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    /// Card height: a row of charts fits the visible height, between MinCardHeight and CardHeight.
    int cardHeight() const;
    QSize sizeHint() const override;

signals:
    /// A chart widget was created (connect its signals once).
    void chartCreated(ScalarChart* chart);
    /// A chart was bound to a tag that scrolled into view.
    void chartBound(ScalarChart* chart);
    /// A section header was clicked and the section collapsed or expanded.
    void sectionToggled(const QString& prefix, bool collapsed);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void moveEvent(QMoveEvent* event) override;
    void showEvent(QShowEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QPointer<QWidget> m_watchedViewport;
    struct Card {
        QRect rect;
        int section;
        int index;
    };
    struct Header {
        QRect rect;
        int section;
    };
    void relayout();
    int layoutFor(int width, std::vector<Card>* cards, std::vector<Header>* headers) const;
    QRect visibleArea() const;

    ScalarsContext* m_ctx;
    std::vector<Section> m_sections;
    QString m_emptyText;
    QSet<QString> m_collapsed;
    std::vector<Card> m_cards;
    std::vector<Header> m_headers;
    QHash<QString, ScalarChart*> m_bound;
    std::vector<ScalarChart*> m_pool;
    bool m_inRelayout = false;
    std::function<void(ScalarChart*)> m_replot;
};

} // namespace scopeviz::ui
