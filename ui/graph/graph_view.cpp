#include "ui/graph/graph_view.h"

#include "core/hierarchy/layout_bridge.h"
#include "core/hierarchy/shared_variables.h"
#include "ui/common/theme.h"

#include <QFileInfo>
#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QHelpEvent>
#include <QImage>
#include <QKeyEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QStyleOptionGraphicsItem>
#include <QSvgGenerator>
#include <QToolTip>
#include <QVariantAnimation>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <unordered_set>

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
        m_view->m_drawing->paint(*p, opt->exposedRect, lod, m_view->m_highlight);
    }

private:
    GraphView* m_view;
    QRectF m_bounds;
};

// ---- minimap ----------------------------------------------------------------------

/// A small overview in the view's corner: the drawing in miniature and the viewport rectangle; click to move.
class GraphMinimap : public QWidget {
public:
    explicit GraphMinimap(GraphView* view) : QWidget(view), m_view(view)
    {
        setObjectName("minimap");
        setFixedSize(170, 110);
        setCursor(Qt::PointingHandCursor);
    }
    void rebuild()
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
        d->paint(p, b, s, none);
    }
    void paintEvent(QPaintEvent*) override
    {
        QPainter p(this);
        const bool dark = isDarkTheme();
        p.setPen(dark ? QColor(90, 90, 96) : QColor(180, 180, 188));
        p.setBrush(dark ? QColor(35, 35, 38, 230) : QColor(255, 255, 255, 230));
        p.drawRect(rect().adjusted(0, 0, -1, -1));
        p.drawImage(0, 0, m_image);
        QRectF vis = m_view->mapToScene(m_view->viewport()->rect()).boundingRect();
        QColor hl = themeColor(ThemeColor::Highlight);
        p.setPen(QPen(hl, 1.5));
        hl.setAlpha(25);
        p.setBrush(hl);
        p.drawRect(m_xf.mapRect(vis).intersected(QRectF(rect()).adjusted(1, 1, -1, -1)));
    }
    void mousePressEvent(QMouseEvent* e) override { moveTo(e->position()); }
    void mouseMoveEvent(QMouseEvent* e) override
    {
        if (e->buttons() & Qt::LeftButton)
            moveTo(e->position());
    }

private:
    void moveTo(QPointF pos)
    {
        bool ok = false;
        QTransform inv = m_xf.inverted(&ok);
        if (ok)
            m_view->centerOn(inv.map(pos));
    }
    GraphView* m_view;
    QImage m_image;
    QTransform m_xf;
};

// ---- helpers ----------------------------------------------------------------------

namespace {

/// Ops that read variable `v` for the forward computation (directly, or through its read op).
std::vector<OpId> variableConsumers(const Graph& g, const hierarchy::ScopeTree& tree, int32_t v)
{
    const auto& rec = tree.variables()[size_t(v)];
    const std::string name(tree.opName(rec.op));
    std::vector<OpId> sources{rec.op};
    for (const char* suffix : {"/read", "/Read/ReadVariableOp"})
        if (const Operation* r = g.findOp(name + suffix))
            sources.push_back(r->id());
    std::vector<OpId> out;
    for (OpId id = 0; id < g.numOps(); ++id) {
        const Operation& op = g.op(id);
        bool reads = false;
        for (const Output& in : op.inputs())
            if (std::find(sources.begin(), sources.end(), in.op) != sources.end())
                reads = true;
        if (!reads || std::find(sources.begin(), sources.end(), id) != sources.end())
            continue;
        if (!hierarchy::trainingMachineryReason(op.name(), op.type()).empty())
            continue;
        out.push_back(id);
    }
    return out;
}

} // namespace

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
    m_anim = new QVariantAnimation(this);
    m_anim->setDuration(150);
    m_anim->setStartValue(0.0);
    m_anim->setEndValue(1.0);
    m_anim->setEasingCurve(QEasingCurve::OutCubic);
    connect(m_anim, &QVariantAnimation::valueChanged, this, [this](const QVariant& v) {
        m_highlight.progress = v.toDouble();
        viewport()->update();
    });
    connect(m_anim, &QVariantAnimation::finished, this, [this] {
        m_highlight.progress = 1;
        viewport()->update();
        m_minimap->rebuild();
        m_minimap->update();
    });
}

GraphView::~GraphView() { m_engine.cancel(); }

void GraphView::setDocument(DocumentPtr doc)
{
    m_doc = std::move(doc);
    m_engine.clearCache();
    m_state = {};
    m_selected.reset();
    m_hover = -1;
    m_drawing.reset();
    m_fitOnNext = true;
    relayout(0);
    emit expansionReset();
}

void GraphView::setExpansion(hierarchy::ExpansionState state, NodeKey anchor)
{
    m_state = std::move(state);
    relayout(anchor);
    emit expansionReset();
}

void GraphView::setScopeExpanded(hierarchy::ScopeId s, bool expanded)
{
    if (!m_doc || s <= hierarchy::RootScope || s >= m_doc->tree->numScopes() || m_state.isExpanded(s) == expanded)
        return;
    if (expanded) {
        // Opening a scope inside a collapsed series opens the series too, so the scope becomes visible.
        m_state.reveal(*m_doc->tree, s);
    } else {
        m_state.collapse(s);
    }
    relayout(hierarchy::scopeKey(s));
    emit scopeExpansionChanged(s, expanded);
}

void GraphView::expandAll()
{
    if (!m_doc)
        return;
    setExpansion(hierarchy::ExpansionState::all(*m_doc->tree));
    m_fitOnNext = true;
}

void GraphView::collapseAll()
{
    setExpansion({});
    m_fitOnNext = true;
}

bool GraphView::toggleNode(NodeKey key)
{
    if (!m_doc)
        return false;
    const NodeKind kind = hierarchy::keyKind(key);
    if (kind == NodeKind::Scope) {
        const auto s = hierarchy::ScopeId(hierarchy::keyId(key));
        setScopeExpanded(s, !m_state.isExpanded(s));
        return true;
    }
    if (kind == NodeKind::Series) {
        if (m_state.expanded.count(key))
            m_state.expanded.erase(key);
        else
            m_state.expanded.insert(key);
        relayout(key);
        return true;
    }
    return false;
}

void GraphView::relayout(NodeKey anchor)
{
    if (!m_doc)
        return;
    auto vg = std::make_shared<hierarchy::VisibleGraph>(hierarchy::buildVisibleGraph(*m_doc->tree, m_state));
    const uint64_t gen = ++m_generation;
    layout::LayoutRequest req = measuredLayoutRequest(*vg, gen);
    m_pendingGraph = std::move(vg);
    m_pendingAnchor = anchor;
    m_pending = true;
    m_busy->show();
    QPointer<GraphView> self(this);
    m_engine.submit(std::move(req), [self, gen](std::shared_ptr<const layout::LayoutResult> r) {
        if (!self)
            return;
        QMetaObject::invokeMethod(
            self.data(),
            [self, r, gen] {
                if (self)
                    self->onLayout(r, gen);
            },
            Qt::QueuedConnection);
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
        // Keep the clicked node's top-centre where it was: the scope grows sideways and down.
        if (auto d = layout::anchorShift(m_drawing->layout(), *result, m_pendingAnchor)) {
            const layout::NodeBox* old = layout::findBox(m_drawing->layout(), m_pendingAnchor);
            (void)old;
            shift = QPointF(d->x, d->y) + QPointF(m_drawing->bounds().topLeft() -
                                                  QPointF(m_drawing->layout().bounds.x, m_drawing->layout().bounds.y));
        }
    }
    auto drawing = std::make_shared<GraphDrawing>(m_doc, m_pendingGraph, result, shift);
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
    m_hover = -1;
    updateHighlight();
    if (m_fitOnNext) {
        m_fitOnNext = false;
        fitAll();
    }
    centreOnPending();
    if (animate) {
        m_highlight.progress = 0;
        m_anim->stop();
        m_anim->start();
    } else {
        m_highlight.progress = 1;
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
    if (!m_drawing || !m_selected)
        return {};
    const auto& vg = m_drawing->visible();
    const int32_t vi = vg.nodeShowing(*m_selected);
    const int sel = vi >= 0 ? m_drawing->find(vg.nodes()[size_t(vi)].key) : -1;
    if (sel < 0)
        return {};
    QRectF r = m_drawing->nodes()[size_t(sel)].rect;
    for (size_t i = 0; i < m_highlight.node.size(); ++i)
        if (m_highlight.node[i] == 2)
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
        m_drawing->nodes()[size_t(m_drawing->find(vg.nodes()[size_t(vg.nodeShowing(*m_selected))].key))].rect;
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
    if (!revealing && inner.contains(frame)) {
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

void GraphView::selectItem(Item item)
{
    if (item.id < 0)
        m_selected.reset();
    else
        m_selected = item;
    updateHighlight();
    viewport()->update();
    emit selectionChanged(m_selected.value_or(Item{Item::Kind::Scope, -1}));
}

void GraphView::reveal(Item item)
{
    if (!m_doc || item.id < 0)
        return;
    const auto& tree = *m_doc->tree;
    hierarchy::ExpansionState st = m_state;
    const hierarchy::ScopeId container = item.isScope() ? tree.scope(item.id).parent : tree.opParent(item.id);
    if (container > hierarchy::RootScope)
        st.reveal(tree, container);
    if (item.isOp() && tree.seriesOfOp(item.id) >= 0)
        st.expanded.insert(hierarchy::seriesKey(tree, tree.seriesOfOp(item.id)));
    if (item.isScope() && tree.scope(item.id).series >= 0)
        st.expanded.insert(hierarchy::seriesKey(tree, tree.scope(item.id).series));
    const bool changed = st.expanded != m_state.expanded;
    m_centreOnNext = item;
    m_centreReveals = true;
    if (changed) {
        std::vector<hierarchy::ScopeId> opened;
        for (hierarchy::ScopeId x = container; x > hierarchy::RootScope; x = tree.scope(x).parent)
            if (!m_state.isExpanded(x))
                opened.push_back(x);
        m_state = std::move(st);
        relayout(0);
        for (auto s : opened)
            emit scopeExpansionChanged(s, true);
    }
    selectItem(item);
    if (!changed && !m_pending)
        centreOnPending();
}

void GraphView::showItem(Item item)
{
    selectItem(item);
    if (!m_selected)
        return;
    m_centreOnNext = item;
    m_centreReveals = false;
    if (!m_pending)
        centreOnPending();
}

void GraphView::updateHighlight()
{
    if (!m_drawing)
        return;
    const auto& nodes = m_drawing->nodes();
    const auto& edges = m_drawing->edges();
    m_highlight.node.assign(nodes.size(), 0);
    m_highlight.edge.assign(edges.size(), 0);
    const auto& vg = m_drawing->visible();
    // Hover: the node's own edges.
    if (m_hover >= 0) {
        for (size_t i = 0; i < edges.size(); ++i)
            if (edges[i].from == m_hover || edges[i].to == m_hover) {
                m_highlight.edge[i] = 1;
                int other = edges[i].from == m_hover ? edges[i].to : edges[i].from;
                if (other >= 0)
                    m_highlight.node[size_t(other)] = std::max<uint8_t>(m_highlight.node[size_t(other)], 1);
            }
    }
    if (!m_selected)
        return;
    const int32_t selVis = vg.nodeShowing(*m_selected);
    const int sel = selVis >= 0 ? m_drawing->find(vg.nodes()[size_t(selVis)].key) : -1;
    if (sel < 0)
        return;
    m_highlight.node[size_t(sel)] = 3;
    const auto& tree = *m_doc->tree;
    int32_t var = -1;
    if (m_selected->isOp())
        var = tree.variableOfOp(m_selected->id);
    else
        var = tree.scope(m_selected->id).variable;
    if (var < 0 || !tree.variables()[size_t(var)].shared) {
        for (size_t i = 0; i < edges.size(); ++i)
            if (edges[i].from == sel || edges[i].to == sel)
                m_highlight.edge[i] = 2;
        return;
    }
    // A shared variable: every consumer, shown by the deepest visible node that contains it.
    std::vector<uint8_t> inB(nodes.size(), 0), inA(nodes.size(), 0);
    auto mark = [&](int32_t visIndex) {
        if (visIndex < 0)
            return;
        int d = m_drawing->find(vg.nodes()[size_t(visIndex)].key);
        if (d < 0 || d == sel || nodes[size_t(d)].frame || nodes[size_t(d)].style == NodeStyle::Root)
            return;
        m_highlight.node[size_t(d)] = std::max<uint8_t>(m_highlight.node[size_t(d)], 2);
    };
    const auto& rec = tree.variables()[size_t(var)];
    for (const auto& u : rec.users)
        if (u.scope >= 0 && (!u.owner || u.reads > 0))
            mark(vg.nodeShowing(Item{Item::Kind::Scope, u.scope}));
    for (OpId op : variableConsumers(*m_doc->graph, tree, var))
        mark(vg.nodeShowingOp(op));
    for (size_t i = 0; i < nodes.size(); ++i)
        if (m_highlight.node[i] == 2)
            for (int a = int(i); a >= 0; a = nodes[size_t(a)].parent)
                inB[size_t(a)] = 1;
    for (int a = sel; a >= 0; a = nodes[size_t(a)].parent)
        inA[size_t(a)] = 1;
    for (size_t i = 0; i < edges.size(); ++i) {
        const auto& e = edges[i];
        if (e.from < 0 || e.to < 0)
            continue;
        const auto& st = vg.edges()[size_t(e.vis)].stats;
        if (st.variableCount > 0 && ((inA[size_t(e.from)] && inB[size_t(e.to)]) || (inB[size_t(e.from)] && inA[size_t(e.to)])))
            m_highlight.edge[i] = 2;
    }
}

std::vector<NodeKey> GraphView::highlightedNodes() const
{
    std::vector<NodeKey> out;
    if (!m_drawing)
        return out;
    for (size_t i = 0; i < m_highlight.node.size(); ++i)
        if (m_highlight.node[i] == 2)
            out.push_back(m_drawing->nodes()[i].key);
    return out;
}

int GraphView::highlightedEdgeCount() const
{
    return int(std::count(m_highlight.edge.begin(), m_highlight.edge.end(), uint8_t(2)));
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
    m_highlight.bundle = on;
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
    if (e->button() == Qt::MiddleButton)
        viewport()->setCursor(Qt::ClosedHandCursor);
    e->accept();
}

void GraphView::mouseMoveEvent(QMouseEvent* e)
{
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
    if (h != m_hover) {
        m_hover = h;
        updateHighlight();
        viewport()->update();
    }
}

void GraphView::mouseReleaseEvent(QMouseEvent* e)
{
    viewport()->unsetCursor();
    const bool click = (e->pos() - m_pressPos).manhattanLength() <= 3;
    m_panning = false;
    if (!click || e->button() != Qt::LeftButton || !m_drawing)
        return;
    int n = m_drawing->nodeAt(mapToScene(e->pos()));
    auto item = itemOfNode(n);
    selectItem(item.value_or(Item{Item::Kind::Scope, -1}));
}

void GraphView::mouseDoubleClickEvent(QMouseEvent* e)
{
    if (!m_drawing || e->button() != Qt::LeftButton)
        return;
    int n = m_drawing->nodeAt(mapToScene(e->pos()));
    if (n < 0)
        return;
    toggleNode(m_drawing->nodes()[size_t(n)].key);
}

void GraphView::keyPressEvent(QKeyEvent* e)
{
    if (m_selected && m_selected->isScope() && (e->key() == Qt::Key_Plus || e->key() == Qt::Key_Equal)) {
        setScopeExpanded(m_selected->id, true);
        return;
    }
    if (m_selected && (e->key() == Qt::Key_Minus)) {
        hierarchy::ScopeId s = m_selected->isScope() ? m_selected->id : m_doc->tree->opParent(m_selected->id);
        if (m_selected->isScope() && !m_state.isExpanded(s))
            s = m_doc->tree->scope(s).parent;
        if (s > hierarchy::RootScope) {
            selectItem(Item{Item::Kind::Scope, s});
            setScopeExpanded(s, false);
        }
        return;
    }
    QGraphicsView::keyPressEvent(e);
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
                          .arg(m_state.isExpanded(item->id) ? tr("collapse") : tr("expand"));
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
    m_drawing->paint(p, exposed, QStyleOptionGraphicsItem::levelOfDetailFromTransform(transform), m_highlight);
}

QString GraphView::exportTo(const QString& path) const
{
    if (!m_drawing)
        return tr("Nothing to export: no graph is shown.");
    DrawHighlight hl = m_highlight;
    hl.progress = 1;
    return writeDrawing(*m_drawing, hl, path);
}

// ---- export -----------------------------------------------------------------------

QString writeDrawing(const GraphDrawing& drawing, const DrawHighlight& hl, const QString& path)
{
    const QRectF b = drawing.bounds().adjusted(-16, -16, 16, 16);
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QColor bg = isDarkTheme() ? QColor(30, 30, 32) : Qt::white;
    if (suffix == "svg") {
        QSvgGenerator gen;
        gen.setFileName(path);
        gen.setSize(b.size().toSize());
        gen.setViewBox(QRectF(QPointF(0, 0), b.size()));
        gen.setTitle(drawing.document()->title);
        gen.setDescription(QStringLiteral("scopeviz graph export"));
        QPainter p;
        if (!p.begin(&gen))
            return QStringLiteral("Cannot write %1").arg(path);
        p.fillRect(QRectF(QPointF(0, 0), b.size()), bg);
        p.translate(-b.topLeft());
        drawing.paint(p, b, 1.0, hl);
        p.end();
    } else if (suffix == "png" || suffix == "jpg" || suffix == "jpeg") {
        // 2x for crisp slides, but never beyond 16k pixels a side.
        double scale = std::min(2.0, 16000.0 / std::max(b.width(), b.height()));
        QImage img((b.size() * scale).toSize().expandedTo(QSize(1, 1)), QImage::Format_ARGB32_Premultiplied);
        if (img.isNull())
            return QStringLiteral("Cannot allocate an image for %1").arg(path);
        img.fill(bg);
        QPainter p(&img);
        p.scale(scale, scale);
        p.translate(-b.topLeft());
        drawing.paint(p, b, scale, hl);
        p.end();
        if (!img.save(path))
            return QStringLiteral("Cannot write %1").arg(path);
    } else {
        return QStringLiteral("Unknown export format '%1' (use .svg or .png)").arg(suffix);
    }
    QFileInfo fi(path);
    if (!fi.exists() || fi.size() == 0)
        return QStringLiteral("Cannot write %1").arg(path);
    return {};
}

QString exportGraph(const DocumentPtr& doc, const QString& path, const hierarchy::ExpansionState& state, bool bundle)
{
    if (!doc || !doc->tree)
        return QStringLiteral("No graph to export");
    auto vg = std::make_shared<hierarchy::VisibleGraph>(hierarchy::buildVisibleGraph(*doc->tree, state));
    layout::LayoutEngine engine;
    auto result = engine.layoutNow(measuredLayoutRequest(*vg));
    if (!result || result->boxes.empty())
        return QStringLiteral("Layout failed for %1").arg(doc->title);
    GraphDrawing drawing(doc, vg, result);
    DrawHighlight hl;
    hl.bundle = bundle;
    return writeDrawing(drawing, hl, path);
}

} // namespace scopeviz::ui
