#include "ui/graph/graph_minimap.h"

#include "ui/common/theme.h"
#include "ui/graph/graph_view.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>

namespace scopeviz::ui {

GraphMinimap::GraphMinimap(GraphView* view) : QWidget(view), m_view(view)
{
    setObjectName("minimap");
    setFixedSize(170, 110);
    setCursor(Qt::PointingHandCursor);
}

void GraphMinimap::rebuild()
{
    const GraphDrawing* d = m_view->drawing();
    m_image = QImage(size(), QImage::Format_ARGB32_Premultiplied);
    m_image.fill(Qt::transparent);
    if (!d || d->bounds().isEmpty())
        return;
    QRectF b = d->bounds();
    double s = std::min((width() - 8) / b.width(), (height() - 8) / b.height());
    m_xf = QTransform();
    m_xf.translate(4 + (width() - 8 - b.width() * s) / 2, 4 + (height() - 8 - b.height() * s) / 2);
    m_xf.scale(s, s);
    m_xf.translate(-b.x(), -b.y());
    QPainter p(&m_image);
    p.setTransform(m_xf);
    DrawHighlight none;
    d->paint(p, b, s, none, false); // no label layer: names would cover the whole overview
}

void GraphMinimap::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const Theme theme = m_view->theme();
    p.setPen(theme.dark ? QColor(90, 90, 96) : QColor(180, 180, 188));
    p.setBrush(theme.dark ? QColor(35, 35, 38, 230) : QColor(255, 255, 255, 230));
    p.drawRect(rect().adjusted(0, 0, -1, -1));
    p.drawImage(0, 0, m_image);
    QRectF vis = m_view->mapToScene(m_view->viewport()->rect()).boundingRect();
    QColor hl = theme.color(ThemeColor::Highlight);
    p.setPen(QPen(hl, 1.5));
    hl.setAlpha(25);
    p.setBrush(hl);
    p.drawRect(m_xf.mapRect(vis).intersected(QRectF(rect()).adjusted(1, 1, -1, -1)));
}

void GraphMinimap::mousePressEvent(QMouseEvent* e) { moveTo(e->position()); }

void GraphMinimap::mouseMoveEvent(QMouseEvent* e)
{
    if (e->buttons() & Qt::LeftButton)
        moveTo(e->position());
}

void GraphMinimap::moveTo(QPointF pos)
{
    bool ok = false;
    QTransform inv = m_xf.inverted(&ok);
    if (ok)
        m_view->centerOn(inv.map(pos));
}

} // namespace scopeviz::ui
