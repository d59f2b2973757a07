#include "ui/scalars/chart_grid.h"

#include "ui/scalars/scalar_chart.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace scopeviz::ui {

ChartGrid::ChartGrid(ScalarsContext* ctx, QWidget* parent) : QWidget(parent), m_ctx(ctx)
{
    QSizePolicy sp(QSizePolicy::Preferred, QSizePolicy::Preferred);
    sp.setHeightForWidth(true);
    setSizePolicy(sp);
    setAutoFillBackground(false);
}

int ChartGrid::layoutFor(int width, std::vector<Card>* cards, std::vector<Header>* headers) const
{
    const int avail = std::max(MinCardWidth, width - 2 * Gap);
    const int cols = std::max(1, (avail + Gap) / (MinCardWidth + Gap));
    const int cardW = (avail - (cols - 1) * Gap) / cols;
    const int cardH = cardHeight();
    int y = Gap / 2;
    for (int s = 0; s < int(m_sections.size()); ++s) {
        const Section& sec = m_sections[std::size_t(s)];
        if (headers)
            headers->push_back(Header{QRect(Gap, y, avail, HeaderHeight), s});
        y += HeaderHeight;
        if (m_collapsed.contains(sec.prefix))
            continue;
        const int n = int(sec.tags.size());
        for (int i = 0; i < n; ++i) {
            const int row = i / cols, col = i % cols;
            if (cards)
                cards->push_back(Card{QRect(Gap + col * (cardW + Gap), y + row * (cardH + Gap), cardW, cardH), s, i});
        }
        const int rows = (n + cols - 1) / cols;
        y += rows * (cardH + Gap);
    }
    return y + Gap / 2;
}

int ChartGrid::cardHeight() const
{
    // A whole row of charts fits the visible height where it can: a low dock gets
    // shorter charts rather than charts cut in half.
    const int viewport = parentWidget() ? parentWidget()->height() : CardHeight + HeaderHeight + Gap;
    return std::clamp(viewport - HeaderHeight - 2 * Gap, MinCardHeight, CardHeight);
}

int ChartGrid::heightForWidth(int width) const { return layoutFor(width, nullptr, nullptr); }

QSize ChartGrid::sizeHint() const
{
    const int w = std::max(width(), MinCardWidth + 2 * Gap);
    return QSize(w, heightForWidth(w));
}

void ChartGrid::relayout()
{
    if (m_inRelayout)
        return;
    m_inRelayout = true;
    m_cards.clear();
    m_headers.clear();
    const int h = layoutFor(width(), &m_cards, &m_headers);
    updateGeometry();
    // Take the new height now rather than at the scroll area's next layout pass, so that
    // scrolling to a card right after a change (scrollToTag) already has the right range.
    const int want = std::max(h, parentWidget() ? parentWidget()->height() : 0);
    if (want != height())
        resize(width(), want);
    m_inRelayout = false;
    update();
    updateBindings();
}

void ChartGrid::setEmptyText(const QString& text)
{
    if (text == m_emptyText)
        return;
    m_emptyText = text;
    update();
}

void ChartGrid::setSections(std::vector<Section> sections)
{
    if (sections == m_sections)
        return; // a selection that filters to the same charts costs nothing
    m_sections = std::move(sections);
    relayout();
}

void ChartGrid::setCollapsed(const QString& prefix, bool collapsed)
{
    if (collapsed == m_collapsed.contains(prefix))
        return;
    if (collapsed)
        m_collapsed.insert(prefix);
    else
        m_collapsed.remove(prefix);
    relayout();
    emit sectionToggled(prefix, collapsed);
}

QRect ChartGrid::cardRect(const QString& tag) const
{
    for (const Card& c : m_cards)
        if (m_sections[std::size_t(c.section)].tags[c.index] == tag)
            return c.rect;
    return {};
}

QRect ChartGrid::visibleArea() const
{
    // Inside a scroll area the parent is the viewport and our position is minus the scroll offset.
    if (!parentWidget())
        return rect();
    return QRect(-pos(), parentWidget()->size()).intersected(rect());
}

void ChartGrid::updateBindings()
{
    if (!isVisible())
        return;
    const QRect vis = visibleArea();
    QSet<QString> wanted;
    for (const Card& c : m_cards)
        if (c.rect.intersects(vis))
            wanted.insert(m_sections[std::size_t(c.section)].tags[c.index]);
    for (auto it = m_bound.begin(); it != m_bound.end();) {
        if (!wanted.contains(it.key())) {
            ScalarChart* chart = it.value();
            chart->hide();
            chart->bind(-1, QString());
            m_pool.push_back(chart);
            it = m_bound.erase(it);
        } else {
            ++it;
        }
    }
    std::vector<ScalarChart*> fresh;
    for (const Card& c : m_cards) {
        if (!c.rect.intersects(vis))
            continue;
        const Section& sec = m_sections[std::size_t(c.section)];
        const QString& tag = sec.tags[c.index];
        ScalarChart* chart = m_bound.value(tag, nullptr);
        if (!chart) {
            if (!m_pool.empty()) {
                chart = m_pool.back();
                m_pool.pop_back();
            } else {
                chart = new ScalarChart(m_ctx, this);
                emit chartCreated(chart);
            }
            chart->bind(sec.tagIds[std::size_t(c.index)], tag);
            m_bound.insert(tag, chart);
            fresh.push_back(chart);
        }
        chart->setGeometry(c.rect.adjusted(1, 1, -1, -1));
        chart->show();
    }
    // Keep a small reserve for scrolling; free the rest.
    while (m_pool.size() > 6) {
        m_pool.back()->deleteLater();
        m_pool.pop_back();
    }
    for (ScalarChart* chart : fresh) {
        emit chartBound(chart);
        if (m_replot)
            m_replot(chart);
        else
            chart->replot();
    }
}

void ChartGrid::paintEvent(QPaintEvent* event)
{
    QPainter p(this);
    const QPalette pal = palette();
    p.fillRect(event->rect(), pal.color(QPalette::Window));
    p.setRenderHint(QPainter::Antialiasing);
    const QColor text = pal.color(QPalette::WindowText);
    const QColor dim = QColor::fromRgbF(text.redF() * 0.55f + pal.color(QPalette::Window).redF() * 0.45f,
                                        text.greenF() * 0.55f + pal.color(QPalette::Window).greenF() * 0.45f,
                                        text.blueF() * 0.55f + pal.color(QPalette::Window).blueF() * 0.45f);
    if (m_sections.empty()) {
        p.setPen(dim);
        p.drawText(rect().adjusted(0, 40, 0, 0), Qt::AlignHCenter | Qt::AlignTop,
                   m_emptyText.isEmpty()
                       ? tr("No scalar data yet.\nCurves appear here as soon as event files are written.")
                       : m_emptyText);
        return;
    }
    QFont bold = font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.05);
    for (const Header& h : m_headers) {
        if (!h.rect.intersects(event->rect()))
            continue;
        const Section& sec = m_sections[std::size_t(h.section)];
        const bool collapsed = m_collapsed.contains(sec.prefix);
        // Disclosure triangle.
        const QPointF c(h.rect.left() + 8, h.rect.center().y() + 1);
        QPainterPath tri;
        if (collapsed) {
            tri.moveTo(c + QPointF(-3, -5));
            tri.lineTo(c + QPointF(4, 0));
            tri.lineTo(c + QPointF(-3, 5));
        } else {
            tri.moveTo(c + QPointF(-5, -3));
            tri.lineTo(c + QPointF(5, -3));
            tri.lineTo(c + QPointF(0, 4));
        }
        tri.closeSubpath();
        p.setPen(Qt::NoPen);
        p.setBrush(dim);
        p.drawPath(tri);
        const bool ungrouped = std::any_of(sec.tags.cbegin(), sec.tags.cend(),
                                           [](const QString& t) { return t.contains(QLatin1Char('/')); });
        const QString title = !sec.prefix.isEmpty() ? sec.prefix : ungrouped ? tr("Other tags") : tr("(top level)");
        p.setFont(bold);
        p.setPen(text);
        const QRect textRect = h.rect.adjusted(22, 0, 0, 0);
        p.drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft, title);
        const int tw = QFontMetrics(bold).horizontalAdvance(title);
        p.setFont(font());
        p.setPen(dim);
        p.drawText(textRect.adjusted(tw + 10, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft,
                   sec.tags.size() == 1 ? QObject::tr("1 chart") : QObject::tr("%1 charts").arg(sec.tags.size()));
        p.setPen(QPen(QColor(dim.red(), dim.green(), dim.blue(), 60), 1));
        p.drawLine(QPointF(h.rect.left(), h.rect.bottom() - 3.5), QPointF(h.rect.right(), h.rect.bottom() - 3.5));
    }
    // Card frames (the charts sit 1 px inside); empty while a card has no chart yet.
    const QColor base = pal.color(QPalette::Base);
    const QColor border = QColor::fromRgbF(base.redF() * 0.82f, base.greenF() * 0.82f, base.blueF() * 0.84f);
    p.setBrush(base);
    p.setPen(QPen(border, 1));
    for (const Card& c : m_cards)
        if (c.rect.intersects(event->rect()))
            p.drawRoundedRect(QRectF(c.rect).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
}

void ChartGrid::mousePressEvent(QMouseEvent* event)
{
    for (const Header& h : m_headers) {
        if (h.rect.contains(event->pos())) {
            const QString prefix = m_sections[std::size_t(h.section)].prefix;
            setCollapsed(prefix, !m_collapsed.contains(prefix));
            return;
        }
    }
    QWidget::mousePressEvent(event);
}

void ChartGrid::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    relayout();
}

void ChartGrid::moveEvent(QMoveEvent* event)
{
    QWidget::moveEvent(event);
    updateBindings();
}

void ChartGrid::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    // Chart heights follow the viewport (cardHeight), which can change without this
    // widget being resized when its content is taller than the viewport.
    if (parentWidget() && parentWidget() != m_watchedViewport) {
        if (m_watchedViewport)
            m_watchedViewport->removeEventFilter(this);
        m_watchedViewport = parentWidget();
        m_watchedViewport->installEventFilter(this);
        relayout();
    }
    updateBindings();
}

bool ChartGrid::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_watchedViewport && event->type() == QEvent::Resize)
        relayout();
    return QWidget::eventFilter(watched, event);
}

} // namespace scopeviz::ui
