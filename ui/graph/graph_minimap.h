#pragma once
// GraphMinimap: the overview in the graph view's corner: the drawing in
// miniature and the viewport rectangle; a click or drag moves the view.
#include <QImage>
#include <QTransform>
#include <QWidget>

namespace scopeviz::ui {

class GraphView;

/// A small overview of a GraphView's drawing; a child widget of the view.
class GraphMinimap : public QWidget {
public:
    /// An overview of `view`, placed by the view.
    explicit GraphMinimap(GraphView* view);
    /// Renders the view's current drawing into the cached picture (after a new layout).
    void rebuild();

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;

private:
    void moveTo(QPointF pos);
    GraphView* m_view;
    QImage m_image;
    QTransform m_xf;
};

} // namespace scopeviz::ui
