#include "ui/graph/graph_view.h"

#include "core/hierarchy/layout_bridge.h"
#include "ui/common/handoff.h"
#include "ui/graph/graph_minimap.h"

#include <QContextMenuEvent>
#include <QCoreApplication>
#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QHelpEvent>
#include <QImage>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QStyleOptionGraphicsItem>
#include <QThreadPool>
#include <QToolTip>
#include <QVariantAnimation>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <exception>

namespace scopeviz::ui {

using hierarchy::Item;
using hierarchy::NodeKey;
using hierarchy::NodeKind;

// ---- canvas: the one scene item ------------------------------------------------

/// Paints the view's GraphDrawing; holds no data of its own.
class GraphCanvas : public QGraphicsItem {
public:
    explicit GraphCanvas(GraphView* view) : m_view(view) { setFlag(ItemUsesExtendedStyleOption, true); }
    QRectF boundingRect() const override { return m_bounds; }
    void setBounds(const QRectF& r)
    {
        prepareGeometryChange();
        m_bounds = r;
    }
    void paint(QPainter* p, const QStyleOptionGraphicsItem* opt, QWidget*) override
    {
        if (!m_view->m_drawing)
            return;
        const double lod = QStyleOptionGraphicsItem::levelOfDetailFromTransform(p->worldTransform());
        m_view->m_drawing->paint(*p, opt->exposedRect, lod, m_view->m_highlighter.state());
    }

private:
    GraphView* m_view;
    QRectF m_bounds;
};

// ---- GraphView --------------------------------------------------------------------------

GraphView::GraphView(QWidget* parent) : QGraphicsView(parent)
{
    setObjectName("graphView");
    auto* scene = new QGraphicsScene(this);
    scene->setItemIndexMethod(QGraphicsScene::NoIndex);
    setScene(scene);
    m_canvas = new GraphCanvas(this);
    scene->addItem(m_canvas);
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setOptimizationFlags(QGraphicsView::DontSavePainterState | QGraphicsView::DontAdjustForAntialiasing);
    setDragMode(QGraphicsView::NoDrag);
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    m_minimap = new GraphMinimap(this);
    m_busy = new QLabel(tr("laying out…"), this);
    m_busy->setObjectName("layingOut");
    m_busy->setStyleSheet("QLabel#layingOut { background: rgba(128,128,128,60); border-radius: 4px; padding: 3px 8px; }");
    m_busy->hide();
    m_pins = new GraphPins(scene, this);
    m_anim = new QVariantAnimation(this);
    m_anim->setDuration(150);
    m_anim->setStartValue(0.0);
    m_anim->setEndValue(1.0);
    m_anim->setEasingCurve(QEasingCurve::OutCubic);
    connect(m_anim, &QVariantAnimation::valueChanged, this, [this](const QVariant& v) {
        m_highlighter.state().progress = v.toDouble();
        viewport()->update();
    });
    connect(m_anim, &QVariantAnimation::finished, this, [this] {
        m_highlighter.state().progress = 1;
        viewport()->update();
        m_minimap->rebuild();
        m_minimap->update();
    });
    setSelectionModel(new GraphSelectionModel(this)); // until a shared one is set
}

GraphView::~GraphView() { m_engine.cancel(); }

void GraphView::setSelectionModel(GraphSelectionModel* model)
{
    if (!model || model == m_model)
        return;
    for (auto& c : m_modelConnections)
        disconnect(c);
    if (m_model && m_model->parent() == this)
        m_model->deleteLater();
    m_model = model;
    m_modelConnections[0] = connect(m_model, &GraphSelectionModel::documentChanged, this, &GraphView::onDocumentChanged);
    m_modelConnections[1] = connect(m_model, &GraphSelectionModel::expansionChanged, this,
                                    [this](const std::vector<hierarchy::ScopeId>&, bool, NodeKey anchor) { relayout(anchor); });
    m_modelConnections[2] = connect(m_model, &GraphSelectionModel::expansionReset, this,
                                    [this](NodeKey anchor) { relayout(anchor); });
    m_modelConnections[3] = connect(m_model, &GraphSelectionModel::selectionChanged, this, &GraphView::onSelectionChanged);
    m_modelConnections[4] = connect(m_model, &GraphSelectionModel::focusRequested, this, &GraphView::onFocusRequested);
    if (m_model->document() != m_doc) {
        onDocumentChanged(m_model->document());
        relayout(0);
    }
    onSelectionChanged(m_model->selectedItem().value_or(Item{Item::Kind::Scope, -1}));
}

void GraphView::setDocument(DocumentPtr doc) { m_model->setDocument(std::move(doc)); }

void GraphView::onDocumentChanged(const DocumentPtr& doc)
{
    m_doc = doc;
    ++m_generation; // whatever is in flight belongs to the old document
    m_pending = false;
    m_busy->hide();
    m_engine.clearCache();
    m_pins->setDocument(doc);
    m_drawing.reset();
    m_pendingGraph.reset();
    m_highlighter.setDrawing(nullptr);
    m_highlighter.state().newest = -1; // a draw index of the old drawing; the replay sets it again
    m_centreOnNext.reset();
    m_fitOnNext = true;
}

void GraphView::setExpansion(hierarchy::ExpansionState state, NodeKey anchor)
{
    m_model->setExpansion(std::move(state), anchor);
}

void GraphView::setScopeExpanded(hierarchy::ScopeId s, bool expanded) { m_model->setScopeExpanded(s, expanded); }

void GraphView::expandAll()
{
    if (!m_doc)
        return;
    m_fitOnNext = true;
    m_model->setExpansion(hierarchy::ExpansionState::all(*m_doc->tree));
}

void GraphView::collapseAll()
{
    m_fitOnNext = true;
    m_model->setExpansion({});
}

bool GraphView::toggleNode(NodeKey key) { return m_model->toggle(key); }

void GraphView::selectItem(Item item) { m_model->select(item); }

void GraphView::reveal(Item item) { m_model->reveal(item); }

void GraphView::showItem(Item item) { m_model->select(item, SelectionFocus::Show); }

void GraphView::onSelectionChanged(Item item)
{
    m_highlighter.setSelection(item.id >= 0 ? std::optional<Item>(item) : std::nullopt);
    viewport()->update();
}

void GraphView::onFocusRequested(Item item, SelectionFocus focus)
{
    m_centreOnNext = item;
    m_centreReveals = focus == SelectionFocus::Reveal;
    if (!m_pending)
        centreOnPending();
}

void GraphView::setReplayState(int32_t cutoff, std::optional<Item> newest)
{
    m_highlighter.state().cutoff = cutoff;
    m_replayNewest = cutoff >= 0 ? newest : std::nullopt;
    applyReplayNewest();
    viewport()->update();
    m_minimap->update();
}

void GraphView::applyReplayNewest()
{
    // O(1) with VisibleGraph::nodeShowing and the drawing's key index: a slider step stays cheap.
    int node = -1;
    if (m_drawing && m_replayNewest) {
        const auto& vg = m_drawing->visible();
        const int32_t vis = vg.nodeShowing(*m_replayNewest);
        node = vis >= 0 ? m_drawing->find(vg.nodes()[size_t(vis)].key) : -1;
    }
    m_highlighter.state().newest = node;
}

std::vector<NodeKey> GraphView::builtNodes() const
{
    std::vector<NodeKey> out;
    if (!m_drawing)
        return out;
    const auto& nodes = m_drawing->nodes();
    for (size_t i = 0; i < nodes.size(); ++i)
        if (nodes[i].style != NodeStyle::Root && !m_drawing->isGhost(i, m_highlighter.state()))
            out.push_back(nodes[i].key);
    return out;
}

void GraphView::setHoveredNode(int drawIndex)
{
    if (drawIndex == m_highlighter.hover())
        return;
    m_highlighter.setHover(drawIndex);
    viewport()->update();
}

void GraphView::setTheme(const Theme& theme)
{
    m_theme = theme;
    if (m_doc)
        relayout(0); // colours are baked into the drawing
    m_minimap->update();
}

void GraphView::relayout(NodeKey anchor, QPointF anchorMove)
{
    if (!m_doc)
        return;
    m_pendingAnchorMove = anchorMove;
    // The visible graph is built on a worker from a copy of the state; the result comes back as an
    // immutable snapshot. Newer requests win: a result whose generation is stale is dropped.
    const uint64_t gen = ++m_generation;
    m_pendingAnchor = anchor;
    m_pending = true;
    m_busy->show();
    QPointer<GraphView> self(this);
    startOnPool(*QThreadPool::globalInstance(), [self, gen, doc = m_doc, state = m_model->expansion()] {
        std::shared_ptr<const hierarchy::VisibleGraph> vg;
        layout::LayoutRequest req;
        QString error;
        try {
            auto built = std::make_shared<const hierarchy::VisibleGraph>(hierarchy::buildVisibleGraph(*doc->tree, state));
            req = measuredLayoutRequest(*built, gen);
            vg = std::move(built);
        } catch (const std::exception& e) {
            error = QStringLiteral("Cannot build the visible graph: %1").arg(QString::fromUtf8(e.what()));
        } catch (...) {
            error = QStringLiteral("Cannot build the visible graph: unknown error");
        }
        postTo(QCoreApplication::instance(),
            [self, gen, vg = std::move(vg), req = std::move(req), error]() mutable {
                if (!self)
                    return;
                if (!error.isEmpty()) {
                    if (gen == self->m_generation) {
                        self->m_pending = false;
                        self->m_busy->hide();
                    }
                    emit self->errorOccurred(error);
                    return;
                }
                self->onVisibleGraph(std::move(vg), std::move(req), gen);
            });
    });
}

void GraphView::onVisibleGraph(std::shared_ptr<const hierarchy::VisibleGraph> vg, layout::LayoutRequest req,
                               uint64_t gen)
{
    if (gen != m_generation)
        return; // a newer expansion is on its way
    m_pendingGraph = std::move(vg);
    applyPins(req, m_pins->pins()); // pinned boxes are inputs of the layout
    QPointer<GraphView> self(this);
    m_engine.submit(std::move(req), [self, gen](std::shared_ptr<const layout::LayoutResult> r) {
        if (!self)
            return;
        postTo(self.data(), [self, r, gen] {
            if (self)
                self->onLayout(r, gen);
        });
    });
}

void GraphView::onLayout(std::shared_ptr<const layout::LayoutResult> result, uint64_t generation)
{
    if (!result || result->cancelled || generation != m_generation || !m_pendingGraph)
        return; // a newer request is on its way: keep the old picture
    m_pending = false;
    m_busy->hide();
    QPointF shift;
    if (m_drawing && m_pendingAnchor) {
        // Keep the clicked node's centre where it was (it grows around its place, grow_in_place.cpp), or
        // move it by exactly what the user dragged it by.
        if (auto d = layout::centreShift(m_drawing->layout(), *result, m_pendingAnchor)) {
            shift = QPointF(d->x, d->y) + m_pendingAnchorMove +
                    QPointF(m_drawing->bounds().topLeft() -
                            QPointF(m_drawing->layout().bounds.x, m_drawing->layout().bounds.y));
        }
    }
    auto drawing = std::make_shared<GraphDrawing>(m_doc, m_pendingGraph, result, shift, m_theme);
    const bool animate = m_drawing && m_pendingAnchor && drawing->nodes().size() < 20000;
    if (animate)
        drawing->setAnimationStart(m_drawing.get());
    m_drawing = std::move(drawing);
    m_pendingGraph.reset();
    const QRectF b = m_drawing->bounds();
    m_canvas->setBounds(b.adjusted(-40, -40, 40, 40));
    QRectF visible = mapToScene(viewport()->rect()).boundingRect();
    scene()->setSceneRect(m_fitOnNext ? b.adjusted(-40, -40, 40, 40)
                                      : b.adjusted(-40, -40, 40, 40).united(visible));
    m_highlighter.setDrawing(m_drawing);
    applyReplayNewest();
    m_pins->showMarks(m_drawing.get());
    if (m_fitOnNext) {
        m_fitOnNext = false;
        fitAll();
    }
    centreOnPending();
    if (animate) {
        m_highlighter.state().progress = 0;
        m_anim->stop();
        m_anim->start();
    } else {
        m_highlighter.state().progress = 1;
        m_minimap->rebuild();
    }
    updateMinimapVisibility();
    viewport()->update();
    emit layoutShown();
}

void GraphView::centreOnPending()
{
    if (!m_centreOnNext || !m_drawing)
        return;
    m_centreOnNext.reset();
    frameSelection(m_centreReveals);
}

QRectF GraphView::selectionFrame() const
{
    if (!m_drawing || !selectedItem())
        return {};
    const auto& vg = m_drawing->visible();
    const int32_t vi = vg.nodeShowing(*selectedItem());
    const int sel = vi >= 0 ? m_drawing->find(vg.nodes()[size_t(vi)].key) : -1;
    if (sel < 0)
        return {};
    QRectF r = m_drawing->nodes()[size_t(sel)].rect;
    const auto& levels = m_highlighter.state().node;
    for (size_t i = 0; i < levels.size(); ++i)
        if (levels[i] == HighlightLevel::Consumer)
            r = r.united(m_drawing->nodes()[i].rect);
    return r;
}

void GraphView::frameSelection(bool revealing)
{
    // Labels are drawn from ~55 % zoom; a revealed node is shown at no less than 80 % unless its
    // consumers need room, and never below 55 %: past that, the selected node wins and stays in view,
    // and the highlighted edges lead to the consumers off screen (the minimap shows the rest).
    constexpr double kReadable = 0.55, kRevealZoom = 0.8, kMargin = 40;
    const QRectF frame = selectionFrame();
    if (frame.isEmpty())
        return;
    const auto& vg = m_drawing->visible();
    const QRectF selRect =
        m_drawing->nodes()[size_t(m_drawing->find(vg.nodes()[size_t(vg.nodeShowing(*selectedItem()))].key))].rect;
    const QSizeF vp = QSizeF(viewport()->size()) - QSizeF(2 * kMargin, 2 * kMargin);
    if (vp.width() < 20 || vp.height() < 20)
        return;
    const double fit = std::min(vp.width() / frame.width(), vp.height() / frame.height());
    const double current = transform().m11();
    double scale = current;
    if (revealing) {
        const double upper = std::max(fit, kReadable);
        scale = std::clamp(current, std::min(kRevealZoom, upper), upper);
    } else if (fit < current) // it does not fit as it is: zoom out as far as needed, but keep it readable
        scale = std::max(fit, std::min(current, kReadable));
    if (std::abs(scale - current) > 1e-6)
        setTransform(QTransform::fromScale(scale, scale));
    const QRectF visible = mapToScene(viewport()->rect()).boundingRect();
    const QRectF inner = visible.adjusted(kMargin / scale, kMargin / scale, -kMargin / scale, -kMargin / scale);
    // A frame fitted to the view before is exactly as large as `inner`: allow a pixel of rounding.
    if (!revealing && inner.adjusted(-1 / scale, -1 / scale, 1 / scale, 1 / scale).contains(frame)) {
        updateMinimapVisibility();
        return; // already in view: do not move what the user is looking at
    }
    // Centre the frame. When it is larger than the view, the selected node keeps the middle half of the
    // view, leaning towards its consumers (never the edge, where the minimap sits).
    QPointF c = frame.center();
    const QPointF lean = frame.center() - selRect.center();
    if (frame.width() > inner.width())
        c.setX(selRect.center().x() + std::clamp(lean.x(), -inner.width() / 4, inner.width() / 4));
    if (frame.height() > inner.height())
        c.setY(selRect.center().y() + std::clamp(lean.y(), -inner.height() / 4, inner.height() / 4));
    if (!revealing && frame.width() <= inner.width() && frame.height() <= inner.height()) {
        // Pan as little as needed.
        c = visible.center();
        if (frame.left() < inner.left())
            c.rx() -= inner.left() - frame.left();
        else if (frame.right() > inner.right())
            c.rx() += frame.right() - inner.right();
        if (frame.top() < inner.top())
            c.ry() -= inner.top() - frame.top();
        else if (frame.bottom() > inner.bottom())
            c.ry() += frame.bottom() - inner.bottom();
    }
    // The minimap covers the bottom-right corner: the selected node must not end up under it.
    {
        const QPointF vc = QRectF(viewport()->rect()).center();
        const QRectF selOnScreen((selRect.topLeft() - c) * scale + vc, selRect.size() * scale);
        const QRectF mini = QRectF(m_minimap->geometry()).translated(-viewport()->pos()).adjusted(-10, -10, 10, 10);
        if (selOnScreen.intersects(mini)) {
            const double up = selOnScreen.bottom() - mini.top(), left = selOnScreen.right() - mini.left();
            if (up <= left)
                c.ry() += up / scale;
            else
                c.rx() += left / scale;
        }
    }
    // The scene rectangle must allow the scroll: grow it around the target when needed.
    const QRectF want(c - QPointF(visible.width() / 2, visible.height() / 2), visible.size());
    if (!sceneRect().contains(want))
        scene()->setSceneRect(sceneRect().united(want));
    centerOn(c);
    updateMinimapVisibility();
}

bool GraphView::isBusy() const { return m_pending || m_anim->state() == QAbstractAnimation::Running; }

std::optional<QPointF> GraphView::nodeCenter(NodeKey key) const
{
    if (!m_drawing)
        return std::nullopt;
    int i = m_drawing->find(key);
    if (i < 0)
        return std::nullopt;
    return m_drawing->nodes()[size_t(i)].rect.center();
}

std::vector<PlacedLabel> GraphView::placedLabels() const
{
    if (!m_drawing)
        return {};
    return m_drawing->placedLabels(viewportTransform(), QRectF(viewport()->rect()));
}

std::optional<Item> GraphView::itemOfNode(int drawIndex) const
{
    if (!m_drawing || drawIndex < 0)
        return std::nullopt;
    const auto& vn = m_drawing->visible().nodes()[size_t(m_drawing->nodes()[size_t(drawIndex)].vis)];
    switch (vn.kind) {
    case NodeKind::Scope: return Item{Item::Kind::Scope, vn.id};
    case NodeKind::Op: return Item{Item::Kind::Op, vn.id};
    case NodeKind::Series: {
        const auto& ser = m_doc->tree->series();
        if (vn.id >= 0 && size_t(vn.id) < ser.size() && !ser[size_t(vn.id)].members.empty())
            return ser[size_t(vn.id)].members.front();
        return std::nullopt;
    }
    default: return std::nullopt;
    }
}

std::vector<NodeKey> GraphView::highlightedNodes() const
{
    std::vector<NodeKey> out;
    if (!m_drawing)
        return out;
    const auto& levels = m_highlighter.state().node;
    for (size_t i = 0; i < levels.size(); ++i)
        if (levels[i] == HighlightLevel::Consumer)
            out.push_back(m_drawing->nodes()[i].key);
    return out;
}

int GraphView::highlightedEdgeCount() const
{
    const auto& levels = m_highlighter.state().edge;
    return int(std::count(levels.begin(), levels.end(), HighlightLevel::Consumer));
}

void GraphView::fitAll()
{
    if (!m_drawing)
        return;
    // The scene is the drawing with a margin, and the fit leaves a little more room than that: a fitted
    // graph has nothing to scroll, so it shows no scroll bars (rounding would otherwise leave a 1 px range).
    const QRectF b = m_drawing->bounds();
    scene()->setSceneRect(b.adjusted(-40, -40, 40, 40));
    fitInView(b.adjusted(-48, -48, 48, 48), Qt::KeepAspectRatio);
    // Do not blow a tiny graph up beyond 1.5x: it looks like a toy.
    if (transform().m11() > 1.5)
        setTransform(QTransform::fromScale(1.5, 1.5));
    centerOn(b.center());
    updateMinimapVisibility();
}

void GraphView::resetZoom()
{
    QPointF c = mapToScene(viewport()->rect().center());
    setTransform(QTransform());
    centerOn(c);
}

void GraphView::zoomBy(double factor)
{
    const double s = transform().m11() * factor;
    if (s < 0.01 || s > 8)
        return;
    scale(factor, factor);
    updateMinimapVisibility();
}

void GraphView::setBundleSharedEdges(bool on)
{
    m_highlighter.state().bundle = on;
    viewport()->update();
}

void GraphView::wheelEvent(QWheelEvent* e)
{
    const double steps = e->angleDelta().y() / 120.0;
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    zoomBy(std::pow(1.2, steps));
    e->accept();
}

void GraphView::mousePressEvent(QMouseEvent* e)
{
    m_pressPos = e->pos();
    m_lastPan = e->pos();
    m_panning = e->button() == Qt::MiddleButton || e->button() == Qt::LeftButton;
    if (e->button() == Qt::LeftButton && m_drawing) {
        const QPointF pos = mapToScene(e->pos());
        m_pins->press(m_drawing.get(), m_drawing->nodeAt(pos), pos); // a box pressed may be dragged to pin it
    }
    if (e->button() == Qt::MiddleButton)
        viewport()->setCursor(Qt::ClosedHandCursor);
    e->accept();
}

void GraphView::mouseMoveEvent(QMouseEvent* e)
{
    if ((e->buttons() & Qt::LeftButton) &&
        m_pins->move(mapToScene(e->pos()), (e->pos() - m_pressPos).manhattanLength() > 3))
        return;
    if (m_panning && (e->buttons() & (Qt::LeftButton | Qt::MiddleButton))) {
        if ((e->pos() - m_pressPos).manhattanLength() > 3) {
            viewport()->setCursor(Qt::ClosedHandCursor);
            QPoint d = e->pos() - m_lastPan;
            horizontalScrollBar()->setValue(horizontalScrollBar()->value() - d.x());
            verticalScrollBar()->setValue(verticalScrollBar()->value() - d.y());
        }
        m_lastPan = e->pos();
        return;
    }
    if (!m_drawing)
        return;
    int h = m_drawing->nodeAt(mapToScene(e->pos()));
    if (h >= 0 && m_drawing->nodes()[size_t(h)].frame)
        h = -1;
    setHoveredNode(h);
}

void GraphView::mouseReleaseEvent(QMouseEvent* e)
{
    viewport()->unsetCursor();
    const bool click = (e->pos() - m_pressPos).manhattanLength() <= 3;
    m_panning = false;
    if (e->button() == Qt::LeftButton) {
        if (const auto drop = m_pins->release(mapToScene(e->pos()))) {
            pinNode(drop->first, drop->second);
            return;
        }
    }
    if (!click || e->button() != Qt::LeftButton || !m_drawing)
        return;
    int n = m_drawing->nodeAt(mapToScene(e->pos()));
    auto item = itemOfNode(n);
    m_model->select(item.value_or(Item{Item::Kind::Scope, -1}));
}

void GraphView::mouseDoubleClickEvent(QMouseEvent* e)
{
    if (!m_drawing || e->button() != Qt::LeftButton)
        return;
    int n = m_drawing->nodeAt(mapToScene(e->pos()));
    if (n < 0)
        return;
    m_model->toggle(m_drawing->nodes()[size_t(n)].key);
}

void GraphView::keyPressEvent(QKeyEvent* e)
{
    const std::optional<Item> selected = m_model->selectedItem();
    if (selected && selected->isScope() && (e->key() == Qt::Key_Plus || e->key() == Qt::Key_Equal)) {
        m_model->setScopeExpanded(selected->id, true);
        return;
    }
    if (selected && (e->key() == Qt::Key_Minus)) {
        hierarchy::ScopeId s = selected->isScope() ? selected->id : m_doc->tree->opParent(selected->id);
        if (selected->isScope() && !m_model->isScopeExpanded(s))
            s = m_doc->tree->scope(s).parent;
        if (s > hierarchy::RootScope) {
            m_model->select(Item{Item::Kind::Scope, s});
            m_model->setScopeExpanded(s, false);
        }
        return;
    }
    QGraphicsView::keyPressEvent(e);
}

bool GraphView::pinNode(NodeKey key, QPointF sceneTopLeft)
{
    const int i = m_drawing ? m_drawing->find(key) : -1;
    if (i < 0)
        return false;
    const QPointF move = sceneTopLeft - m_drawing->nodes()[size_t(i)].rect.topLeft();
    if (!m_pins->pin(*m_drawing, key, sceneTopLeft))
        return false;
    relayout(key, move); // the box lands where it was dropped, the rest stays
    return true;
}

bool GraphView::unpinNode(NodeKey key)
{
    if (!m_pins->unpin(key))
        return false;
    // The box goes back to its laid-out place: keep its scope still, not the box.
    const int i = m_drawing ? m_drawing->find(key) : -1;
    const int parent = i >= 0 ? m_drawing->nodes()[size_t(i)].parent : -1;
    relayout(parent >= 0 ? m_drawing->nodes()[size_t(parent)].key : 0);
    return true;
}

void GraphView::contextMenuEvent(QContextMenuEvent* e)
{
    const int n = m_drawing ? m_drawing->nodeAt(mapToScene(e->pos())) : -1;
    if (n < 0 || m_drawing->nodes()[size_t(n)].parent < 0)
        return QGraphicsView::contextMenuEvent(e);
    const DrawNode& node = m_drawing->nodes()[size_t(n)];
    const NodeKey key = node.key;
    QMenu menu(this);
    if (m_pins->isPinned(key))
        connect(menu.addAction(tr("Unpin")), &QAction::triggered, this, [this, key] { unpinNode(key); });
    else
        connect(menu.addAction(tr("Pin here")), &QAction::triggered, this,
                [this, key, at = node.rect.topLeft()] { pinNode(key, at); });
    menu.exec(e->globalPos());
}

bool GraphView::viewportEvent(QEvent* e)
{
    if (e->type() == QEvent::ToolTip && m_drawing) {
        auto* he = static_cast<QHelpEvent*>(e);
        int n = m_drawing->nodeAt(mapToScene(he->pos()));
        auto item = itemOfNode(n);
        if (item) {
            const auto& tree = *m_doc->tree;
            QString tip;
            if (item->isOp())
                tip = QStringLiteral("<b>%1</b><br>%2").arg(QString::fromStdString(std::string(tree.opName(item->id))),
                                                           QString::fromStdString(tree.opType(item->id)));
            else
                tip = QStringLiteral("<b>%1</b><br>%2 ops — double-click to %3")
                          .arg(QString::fromStdString(std::string(tree.path(item->id))))
                          .arg(tree.scope(item->id).descendantOps)
                          .arg(m_model->isScopeExpanded(item->id) ? tr("collapse") : tr("expand"));
            QToolTip::showText(he->globalPos(), tip, this);
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QGraphicsView::viewportEvent(e);
}

void GraphView::resizeEvent(QResizeEvent* e)
{
    QGraphicsView::resizeEvent(e);
    placeOverlays();
    updateMinimapVisibility();
}

void GraphView::scrollContentsBy(int dx, int dy)
{
    QGraphicsView::scrollContentsBy(dx, dy);
    updateMinimapVisibility();
}

void GraphView::updateMinimapVisibility()
{
    // The overview only helps when part of the drawing is off screen.
    const bool all = !m_drawing || mapToScene(viewport()->rect()).boundingRect().contains(m_drawing->bounds());
    m_minimap->setVisible(!all);
    m_minimap->update();
}

void GraphView::placeOverlays()
{
    QRect vp = viewport()->geometry();
    m_minimap->move(vp.right() - m_minimap->width() - 10, vp.bottom() - m_minimap->height() - 10);
    m_busy->adjustSize();
    m_busy->move(vp.left() + 10, vp.top() + 10);
}

void GraphView::renderViewport(QImage& image, const QTransform& transform) const
{
    if (!m_drawing)
        return;
    QPainter p(&image);
    p.setTransform(transform);
    bool ok = false;
    QRectF exposed = transform.inverted(&ok).mapRect(QRectF(image.rect()));
    m_drawing->paint(p, exposed, QStyleOptionGraphicsItem::levelOfDetailFromTransform(transform), m_highlighter.state());
}

QString GraphView::exportTo(const QString& path) const
{
    if (!m_drawing)
        return tr("Nothing to export: no graph is shown.");
    DrawHighlight hl = m_highlighter.state();
    hl.progress = 1;
    return writeDrawing(*m_drawing, hl, path);
}

} // namespace scopeviz::ui
