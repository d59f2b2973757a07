#pragma once
// GraphView: the graph explorer's canvas. It listens to a GraphSelectionModel
// (expansion and selection live there; the scope tree listens to the same
// model) and writes user actions only through it. On every expansion change it
// builds the visible graph on a worker thread, hands the immutable snapshot to
// the LayoutEngine (its own worker), keeps the old picture until the new result
// arrives (stale generations are dropped), then animates boxes from their old
// to their new places. One canvas item paints a GraphDrawing (see
// graph_drawing.h for why not one item per node); the highlight (graph_highlight.h),
// the minimap (graph_minimap.h) and export (graph_export.h) live beside it.
#include "core/hierarchy/visible_graph.h"
#include "core/layout/layout_engine.h"
#include "ui/common/graph_document.h"
#include "ui/common/graph_selection_model.h"
#include "ui/common/theme.h"
#include "ui/graph/graph_drawing.h"
#include "ui/graph/graph_export.h"
#include "ui/graph/graph_highlight.h"
#include "ui/graph/graph_pins.h"

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

    /// Listens to `model` (not owned) instead of the view's own; adopts its document and state.
    void setSelectionModel(GraphSelectionModel* model);
    /// The model holding expansion and selection.
    GraphSelectionModel* selectionModel() const { return m_model; }

    /// Shows a document with nothing expanded, fitted once laid out (through the model).
    void setDocument(DocumentPtr doc);
    /// The document shown.
    const DocumentPtr& document() const { return m_doc; }
    /// The current expansion state (the model's).
    const hierarchy::ExpansionState& expansion() const { return m_model->expansion(); }
    /// Replaces the expansion state (relayout; `anchor` stays still on screen).
    void setExpansion(hierarchy::ExpansionState state, hierarchy::NodeKey anchor = 0);
    /// Expands or collapses one scope.
    void setScopeExpanded(hierarchy::ScopeId s, bool expanded);
    /// True when the scope is expanded.
    bool isScopeExpanded(hierarchy::ScopeId s) const { return m_model->isScopeExpanded(s); }
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
    std::optional<hierarchy::Item> selectedItem() const { return m_model->selectedItem(); }
    /// Keys of the nodes highlighted as consumers of the selected shared variable.
    std::vector<hierarchy::NodeKey> highlightedNodes() const;
    /// Number of edges drawn highlighted.
    int highlightedEdgeCount() const;
    /// Hovers a drawn node (draw index, -1 none) as the pointer does (benchmarks, tests).
    void setHoveredNode(int drawIndex);
    /// The highlight state painted.
    const DrawHighlight& highlight() const { return m_highlighter.state(); }

    /// Construction replay (ui/replay): ops with ids >= `cutoff` are drawn as faint ghosts without
    /// their edges, and the node showing `newest` is highlighted; a cutoff of -1 ends the replay. Only
    /// the highlight state changes and the viewport is repainted: no relayout.
    void setReplayState(int32_t cutoff, std::optional<hierarchy::Item> newest);
    /// The replay cutoff painted (-1 without a replay).
    int32_t replayCutoff() const { return m_highlighter.state().cutoff; }
    /// Draw index of the node highlighted as the replay's newest, or -1.
    int replayNewestNode() const { return m_highlighter.state().newest; }
    /// Keys of the drawn nodes that exist at the replay cutoff (all drawn nodes without a replay).
    std::vector<hierarchy::NodeKey> builtNodes() const;

    /// Fits the whole drawing into the view.
    void fitAll();
    /// Zoom 1:1.
    void resetZoom();
    /// Zooms by a factor around the view centre.
    void zoomBy(double factor);
    /// Bundles a shared variable's edges into one trunk.
    void setBundleSharedEdges(bool on);
    /// True while bundling.
    bool bundleSharedEdges() const { return m_highlighter.state().bundle; }
    /// Colours to draw in (the drawing is rebuilt in them).
    void setTheme(const Theme& theme);
    /// The colours drawn in.
    const Theme& theme() const { return m_theme; }

    /// True while a visible graph is being built, a layout is pending or the animation runs.
    bool isBusy() const;
    /// The current drawing (null before the first layout).
    const GraphDrawing* drawing() const { return m_drawing.get(); }
    /// The label layer's labels in the viewport now, in viewport pixels (empty at zooms where names
    /// are written inside their boxes); what the canvas paints (graph_labels.h).
    std::vector<PlacedLabel> placedLabels() const;
    /// Scene position of a node's centre (for tests), or nullopt when not drawn.
    std::optional<QPointF> nodeCenter(hierarchy::NodeKey key) const;
    /// Writes the current drawing to an .svg or .png file; returns "" or an error text.
    QString exportTo(const QString& path) const;
    /// Renders the current viewport contents into an image (benchmarks).
    void renderViewport(QImage& image, const QTransform& transform) const;
    /// The layout engine (benchmarks, export).
    layout::LayoutEngine& engine() { return m_engine; }
    /// Pins a drawn node so that its top-left corner stays at `sceneTopLeft` (what dropping a dragged box does).
    bool pinNode(hierarchy::NodeKey key, QPointF sceneTopLeft);
    /// Removes a node's pin; the layout places it again (its context menu's "Unpin").
    bool unpinNode(hierarchy::NodeKey key);
    /// True when the node is pinned.
    bool isPinned(hierarchy::NodeKey key) const { return m_pins->isPinned(key); }
    /// The pins of the shown document (graph_pins.h).
    const GraphPins& pins() const { return *m_pins; }

signals:
    /// A new layout is shown (after the animation starts).
    void layoutShown();
    /// Building the visible graph failed on the worker (the message names what went wrong).
    void errorOccurred(const QString& message);

protected:
    void wheelEvent(QWheelEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    void mouseDoubleClickEvent(QMouseEvent* e) override;
    void keyPressEvent(QKeyEvent* e) override;
    void contextMenuEvent(QContextMenuEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;
    void scrollContentsBy(int dx, int dy) override;
    bool viewportEvent(QEvent* e) override;

private:
    friend class GraphCanvas;
    void onDocumentChanged(const DocumentPtr& doc);
    void onSelectionChanged(hierarchy::Item item);
    void onFocusRequested(hierarchy::Item item, SelectionFocus focus);
    void relayout(hierarchy::NodeKey anchor, QPointF anchorMove = {});
    void onVisibleGraph(std::shared_ptr<const hierarchy::VisibleGraph> vg, layout::LayoutRequest request,
                        uint64_t generation);
    void onLayout(std::shared_ptr<const layout::LayoutResult> result, uint64_t generation);
    std::optional<hierarchy::Item> itemOfNode(int drawIndex) const;
    void placeOverlays();
    void updateMinimapVisibility();
    void centreOnPending();
    void frameSelection(bool reveal);
    void applyReplayNewest();

    GraphSelectionModel* m_model = nullptr;
    QMetaObject::Connection m_modelConnections[5];
    DocumentPtr m_doc;
    Theme m_theme;
    layout::LayoutEngine m_engine;
    uint64_t m_generation = 0;
    std::shared_ptr<const hierarchy::VisibleGraph> m_pendingGraph;
    hierarchy::NodeKey m_pendingAnchor = 0;
    QPointF m_pendingAnchorMove; // where the anchor goes from its old place (a dropped box), scene units
    bool m_pending = false;
    bool m_fitOnNext = false;
    std::optional<hierarchy::Item> m_replayNewest; // the replay's newest op or scope
    std::optional<hierarchy::Item> m_centreOnNext;
    bool m_centreReveals = true; // m_centreOnNext came from reveal() (may zoom in) rather than showItem()
    std::shared_ptr<const GraphDrawing> m_drawing;
    GraphHighlighter m_highlighter;
    GraphCanvas* m_canvas = nullptr;
    GraphMinimap* m_minimap = nullptr;
    QLabel* m_busy = nullptr;
    GraphPins* m_pins = nullptr;
    QVariantAnimation* m_anim = nullptr;
    QPoint m_pressPos;
    QPoint m_lastPan;
    bool m_panning = false;
};

} // namespace scopeviz::ui
