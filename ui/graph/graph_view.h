#pragma once
// GraphView: the graph explorer's canvas. It owns the expansion state, asks
// the LayoutEngine (worker thread) for a layout whenever it changes, keeps the
// old picture until the new result arrives (stale generations are dropped),
// then animates boxes from their old to their new places. One canvas item
// paints a GraphDrawing (see graph_drawing.h for why not one item per node).
#include "core/hierarchy/visible_graph.h"
#include "core/layout/layout_engine.h"
#include "ui/common/graph_document.h"
#include "ui/graph/graph_drawing.h"

#include <QGraphicsView>
#include <QPointer>

#include <memory>
#include <optional>
#include <vector>

class QLabel;
class QVariantAnimation;

namespace scopeviz::ui {

class GraphCanvas;
class GraphMinimap;

/// The zoomable, pannable view of the visible graph.
class GraphView : public QGraphicsView {
    Q_OBJECT
public:
    explicit GraphView(QWidget* parent = nullptr);
    ~GraphView() override;

    /// Shows a document with nothing expanded, fitted once laid out.
    void setDocument(DocumentPtr doc);
    /// The document shown.
    const DocumentPtr& document() const { return m_doc; }
    /// The current expansion state.
    const hierarchy::ExpansionState& expansion() const { return m_state; }
    /// Replaces the expansion state (relayout; `anchor` stays still on screen).
    void setExpansion(hierarchy::ExpansionState state, hierarchy::NodeKey anchor = 0);
    /// Expands or collapses one scope.
    void setScopeExpanded(hierarchy::ScopeId s, bool expanded);
    /// True when the scope is expanded.
    bool isScopeExpanded(hierarchy::ScopeId s) const { return m_state.isExpanded(s); }
    /// Expands every scope and series.
    void expandAll();
    /// Collapses everything to the top level.
    void collapseAll();
    /// Toggles the node under a key (scope or series); false when it cannot expand.
    bool toggleNode(hierarchy::NodeKey key);

    /// Selects an item (scope or op); Item{.., -1} clears. Does not change expansion.
    void selectItem(hierarchy::Item item);
    /// Expands the item's ancestors, selects it and frames it once laid out: a shared variable
    /// together with its highlighted consumers (fitted where they fit at a readable zoom), any
    /// other item centred.
    void reveal(hierarchy::Item item);
    /// Selects an item without changing the expansion and pans (zooming out only if needed) so that
    /// the node showing it and its highlighted consumers are in view (a selection made elsewhere).
    void showItem(hierarchy::Item item);
    /// Scene rectangle that frames the selection: its node and the highlighted consumers (empty without one).
    QRectF selectionFrame() const;
    /// The selected item, if any.
    std::optional<hierarchy::Item> selectedItem() const { return m_selected; }
    /// Keys of the nodes highlighted as consumers of the selected shared variable.
    std::vector<hierarchy::NodeKey> highlightedNodes() const;
    /// Number of edges drawn highlighted.
    int highlightedEdgeCount() const;

    /// Fits the whole drawing into the view.
    void fitAll();
    /// Zoom 1:1.
    void resetZoom();
    /// Zooms by a factor around the view centre.
    void zoomBy(double factor);
    /// Bundles a shared variable's edges into one trunk.
    void setBundleSharedEdges(bool on);
    /// True while bundling.
    bool bundleSharedEdges() const { return m_highlight.bundle; }

    /// True while a layout is pending or the animation runs.
    bool isBusy() const;
    /// The current drawing (null before the first layout).
    const GraphDrawing* drawing() const { return m_drawing.get(); }
    /// Scene position of a node's centre (for tests), or nullopt when not drawn.
    std::optional<QPointF> nodeCenter(hierarchy::NodeKey key) const;
    /// Writes the current drawing to an .svg or .png file; returns "" or an error text.
    QString exportTo(const QString& path) const;
    /// Renders the current viewport contents into an image (benchmarks).
    void renderViewport(QImage& image, const QTransform& transform) const;
    /// The layout engine (benchmarks, export).
    layout::LayoutEngine& engine() { return m_engine; }

signals:
    /// A scope was expanded or collapsed (by the user or programmatically).
    void scopeExpansionChanged(hierarchy::ScopeId scope, bool expanded);
    /// Everything may have changed (expand all / collapse all / new document).
    void expansionReset();
    /// The selection changed (id -1: nothing selected).
    void selectionChanged(hierarchy::Item item);
    /// A new layout is shown (after the animation starts).
    void layoutShown();

protected:
    void wheelEvent(QWheelEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    void mouseDoubleClickEvent(QMouseEvent* e) override;
    void keyPressEvent(QKeyEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;
    void scrollContentsBy(int dx, int dy) override;
    bool viewportEvent(QEvent* e) override;

private:
    friend class GraphCanvas;
    friend class GraphMinimap;
    void relayout(hierarchy::NodeKey anchor);
    void onLayout(std::shared_ptr<const layout::LayoutResult> result, uint64_t generation);
    void updateHighlight();
    std::optional<hierarchy::Item> itemOfNode(int drawIndex) const;
    void placeOverlays();
    void updateMinimapVisibility();
    void centreOnPending();
    void frameSelection(bool reveal);

    DocumentPtr m_doc;
    layout::LayoutEngine m_engine;
    hierarchy::ExpansionState m_state;
    uint64_t m_generation = 0;
    std::shared_ptr<const hierarchy::VisibleGraph> m_pendingGraph;
    hierarchy::NodeKey m_pendingAnchor = 0;
    bool m_pending = false;
    bool m_fitOnNext = false;
    std::optional<hierarchy::Item> m_centreOnNext;
    bool m_centreReveals = true; // m_centreOnNext came from reveal() (may zoom in) rather than showItem()
    std::shared_ptr<GraphDrawing> m_drawing;
    GraphCanvas* m_canvas = nullptr;
    GraphMinimap* m_minimap = nullptr;
    QLabel* m_busy = nullptr;
    QVariantAnimation* m_anim = nullptr;
    DrawHighlight m_highlight;
    std::optional<hierarchy::Item> m_selected;
    int m_hover = -1;
    QPoint m_pressPos;
    QPoint m_lastPan;
    bool m_panning = false;
};

/// Lays out `doc` with `state` synchronously and writes an .svg or .png; returns "" or an error text.
QString exportGraph(const DocumentPtr& doc, const QString& path, const hierarchy::ExpansionState& state,
                    bool bundle = false);
/// Writes a drawing to an .svg (real text) or .png file; returns "" or an error text.
QString writeDrawing(const GraphDrawing& drawing, const DrawHighlight& hl, const QString& path);

} // namespace scopeviz::ui
