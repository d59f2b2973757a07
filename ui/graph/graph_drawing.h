#pragma once
// GraphDrawing: the painted form of one (visible graph, layout result) pair.
//
// Why one drawing instead of one QGraphicsItem per node: a fully expanded
// InceptionV3 has 11k boxes and 15k edges. QGraphicsScene's per-item
// bookkeeping (BSP tree, per-item paint calls, state saves) dominates at that
// size, so the view owns a single canvas item that asks this class to paint.
// Everything that does not depend on the zoom (colours, elided labels, edge
// paths, bundles) is computed once here; paint() only culls by bounding
// rectangle (a linear scan over contiguous arrays: ~30 us for 30k entries)
// and draws with pens and brushes prepared in advance. Level of detail: names
// are written inside their boxes only while that text is at least
// kScopeLabelPx high on screen; below that zoom they move to the label layer
// (graph_labels.h), fixed-size labels placed so that they never overlap. Other
// small text (edge shapes, details) is skipped below ~6 px, boxes smaller than
// 3 px are plain rectangles, edges thinner than a pixel apart are drawn without
// arrows.
//
// Items hold ids, not data (docs/style.md): a DrawNode knows its NodeKey and
// visible-node index; names and types are looked up in the ScopeTree.
#include "core/hierarchy/visible_graph.h"
#include "core/layout/layout_types.h"
#include "ui/common/graph_document.h"
#include "ui/common/theme.h"
#include "ui/graph/graph_highlight.h"
#include "ui/graph/graph_labels.h"

#include <QColor>
#include <QFont>
#include <QPainterPath>
#include <QRectF>
#include <QString>
#include <QTransform>

#include <memory>
#include <vector>

class QPainter;

namespace scopeviz::ui {

/// How a node is drawn.
enum class NodeStyle : uint8_t {
    NameScope,     ///< collapsed name scope box / name-scope frame
    VariableScope, ///< collapsed variable scope box / frame with a coloured title band
    Op,            ///< an op pill
    Variable,      ///< a variable op (VariableV2, VarHandleOp, ...)
    Const,         ///< a small Const pill
    Series,        ///< stacked boxes with "xN"
    AuxArea,       ///< auxiliary side area frame
    Root,          ///< the root frame (not drawn)
};

/// One drawn box or frame.
struct DrawNode {
    QRectF rect;                 ///< final rectangle, scene coordinates
    QRectF from;                 ///< rectangle at animation start
    hierarchy::NodeKey key = 0;  ///< stable key
    int32_t vis = -1;            ///< index into VisibleGraph::nodes()
    int32_t parent = -1;         ///< enclosing DrawNode, -1 for the root
    NodeStyle style = NodeStyle::Op;
    bool frame = false;          ///< drawn as an open frame
    int depth = 0;
    int sharedUsers = 0;         ///< >1: draw a "used N times" badge (VariableIndex::uses)
    bool reusesShared = false;   ///< the badge is hollow: the scope reuses shared variables created elsewhere
    QString label;               ///< elided name
    QString detail;              ///< op type, "· 7 ops" or "×N"
    QColor fill;
};

/// One drawn edge.
struct DrawEdge {
    QPainterPath path;        ///< the layout's bezier, scene coordinates
    QPainterPath bundled;     ///< path from the bundle's fan point when bundled
    QPointF base, tip;        ///< arrow from base to tip
    QRectF bounds;            ///< culling rectangle
    QPointF labelPos;         ///< where the label goes
    QString label;            ///< tensor shape or count
    int32_t from = -1, to = -1; ///< DrawNode indices
    int32_t vis = -1;         ///< index into VisibleGraph::edges()
    int32_t bundle = -1;      ///< index into bundles, -1 when not part of one
    float width = 1;          ///< cosmetic pen width, px
    bool arrow = false;
    bool control = false;     ///< only control dependencies: dashed
    bool reference = false;   ///< a ref / resource flows: marked at the tail
    bool variable = false;    ///< carries a variable's value only
};

/// Edges from one variable source to several consumers, drawn as one trunk when bundling is on.
struct EdgeBundle {
    QPainterPath trunk;  ///< from the source to the fan point
    QPointF fan;         ///< where the branches split
    QRectF bounds;
    int count = 0;       ///< edges merged
};

/// A name shown by the label layer.
struct PlacedLabel {
    int32_t node = -1;  ///< DrawNode index
    QRectF rect;        ///< its plate, device pixels
    QString text;       ///< the name as drawn (elided in the middle when long)
    bool bold = false;  ///< scope, series or frame name (ops are regular)
};

/// The painted form of a visible graph and its layout; immutable once built.
class GraphDrawing {
public:
    /// Builds the drawing; `shift` is added to every coordinate (keeps the clicked node still).
    GraphDrawing(DocumentPtr doc, std::shared_ptr<const hierarchy::VisibleGraph> vg,
                 std::shared_ptr<const layout::LayoutResult> result, QPointF shift = {}, Theme theme = {});

    /// Paints what intersects `exposed` at level of detail `lod` (device px per scene unit); without
    /// `labelLayer`, names too small to read are left out instead of becoming labels (the minimap).
    void paint(QPainter& p, const QRectF& exposed, double lod, const DrawHighlight& hl, bool labelLayer = true) const;
    /// True when names are written inside their boxes at `lod`; false when the label layer shows them.
    static bool namesInBoxes(double lod);
    /// The label layer's labels at transform `sceneToDevice` that intersect `deviceRect` (empty when
    /// names are written inside their boxes); exactly what paint() draws there.
    std::vector<PlacedLabel> placedLabels(const QTransform& sceneToDevice, const QRectF& deviceRect) const;
    /// Deepest node containing `pos` (frames only count in their title band unless nothing else does), or -1.
    int nodeAt(QPointF pos) const;
    /// The DrawNode of a key, or -1.
    int find(hierarchy::NodeKey key) const;

    /// Nodes in paint order (frames before their children).
    const std::vector<DrawNode>& nodes() const { return m_nodes; }
    /// Edges.
    const std::vector<DrawEdge>& edges() const { return m_edges; }
    /// Bundles of variable edges.
    const std::vector<EdgeBundle>& bundles() const { return m_bundles; }
    /// Bounding rectangle of the drawing.
    QRectF bounds() const { return m_bounds; }
    /// The visible graph drawn.
    const hierarchy::VisibleGraph& visible() const { return *m_vg; }
    /// The layout drawn.
    const layout::LayoutResult& layout() const { return *m_result; }
    /// The document.
    const DocumentPtr& document() const { return m_doc; }
    /// The colours it was built with and paints in.
    const Theme& theme() const { return m_theme; }
    /// Sets animation start rectangles from a previous drawing (new nodes grow out of their old ancestor).
    void setAnimationStart(const GraphDrawing* previous);
    /// Label font (scene units).
    static QFont labelFont();
    /// Smallest op id a node stands for (a scope's first op, a series' earliest member): the node
    /// exists in a construction replay once the cutoff passes it (DrawHighlight::cutoff).
    int32_t birth(int node) const { return m_birth[size_t(node)]; }
    /// True when node `i` is not built yet at the highlight's replay cutoff.
    bool isGhost(size_t i, const DrawHighlight& hl) const { return hl.cutoff >= 0 && m_birth[i] >= hl.cutoff; }

private:
    void buildNodes();
    void buildEdges();
    void paintNode(QPainter& p, const DrawNode& n, const QRectF& r, double lod, HighlightLevel flag) const;
    void paintMaybeGhost(QPainter& p, size_t i, const QRectF& r, double lod, const DrawHighlight& hl) const;
    void buildLabelCandidates();
    void buildBirths();
    bool isGhostEdge(size_t e, const DrawHighlight& hl) const { return hl.cutoff >= 0 && m_edgeBirth[e] >= hl.cutoff; }
    QString labelName(const DrawNode& n) const;
    QRectF labelBounds() const;
    std::vector<PlacedLabel> labelsIn(const QTransform& xf, const QRectF& deviceRect, double lod, double progress) const;
    void paintLabels(QPainter& p, const QRectF& exposed, double lod, const DrawHighlight& hl) const;

    /// One placement of the label layer, at one zoom.
    struct LabelPlacement {
        double zoom = 0;
        std::vector<LabelSlot> kept;
        std::vector<QString> texts; // per slot, elided to the slot's width; made when first in view
    };
    LabelPlacement& labelPlacement(double zoom) const;
    QString labelText(const LabelSlot& slot) const;

    DocumentPtr m_doc;
    std::shared_ptr<const hierarchy::VisibleGraph> m_vg;
    std::shared_ptr<const layout::LayoutResult> m_result;
    QPointF m_shift;
    Theme m_theme;
    std::vector<DrawNode> m_nodes;
    std::vector<DrawEdge> m_edges;
    std::vector<EdgeBundle> m_bundles;
    std::vector<QLineF> m_edgeLines;  // one straight segment per edge, for far-away views
    std::vector<int32_t> m_nodeOfVis; // VisibleGraph node index -> DrawNode, -1
    std::vector<int32_t> m_birth;     // per DrawNode: smallest op id it stands for (construction replay)
    std::vector<int32_t> m_edgeBirth; // per DrawEdge: the later birth of its two ends
    QRectF m_bounds;
    QFont m_font, m_boldFont, m_smallFont;
    QFont m_labelFont, m_labelBoldFont;          // the label layer's, in device pixels
    std::vector<LabelCandidate> m_labelCandidates; // largest box first (graph_labels.h)
    // The last few placements by zoom; paint() runs on the GUI thread only, so a cache in a const
    // drawing needs no lock. A repaint at an unchanged zoom (hover, selection) reuses its placement.
    mutable std::vector<LabelPlacement> m_labelCache;
    mutable size_t m_labelCacheNext = 0;
};

/// The layout request of a visible graph with box widths measured in the label fonts, so that a name
/// fits its box unelided up to kMaxBoxWidth (the core's SizePolicy only counts characters).
layout::LayoutRequest measuredLayoutRequest(const hierarchy::VisibleGraph& vg, uint64_t generation = 0);
/// Opacity of a node not built yet at a construction replay's step.
constexpr double kGhostOpacity = 0.12;
/// Opacity of the replay's newest node while it is not built yet (a scope just opened, still empty).
constexpr double kNewGhostOpacity = 0.55;
/// Widest box; longer names are elided in the middle.
constexpr double kMaxBoxWidth = 300;

/// "?×512"-style text of a shape ("scalar" for rank 0, "" when unknown).
QString shapeText(const Shape& s);

} // namespace scopeviz::ui
