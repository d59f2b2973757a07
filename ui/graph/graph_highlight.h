#pragma once
// Highlighting of the graph drawing: what the pointer hovers and what is
// selected. The levels are kept in two layers: the selection layer changes
// only when the selection or the drawing changes (it walks the drawing once
// and asks the document's VariableIndex for a shared variable's readers, never
// the graph), and the hover layer is laid on top of it through a per-node list
// of incident edges, so a hover change touches only the hovered node's edges
// and the ones of the node hovered before.
#include "core/hierarchy/hierarchy_types.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace scopeviz::ui {

class GraphDrawing;

/// How strongly a node or edge is highlighted (higher wins when two reasons meet).
enum class HighlightLevel : uint8_t {
    None = 0,     ///< not highlighted
    Hover = 1,    ///< an edge of the hovered node, or the node at its other end
    Consumer = 2, ///< a consumer of the selected shared variable, or an edge of the selection
    Selected = 3, ///< the selected node (nodes only)
};

/// Highlight state handed to GraphDrawing::paint.
struct DrawHighlight {
    std::vector<HighlightLevel> node; ///< per DrawNode; empty: nothing highlighted
    std::vector<HighlightLevel> edge; ///< per DrawEdge; empty: nothing highlighted
    bool bundle = false;              ///< draw variable bundles
    double progress = 1;              ///< animation progress, 1 = final
    /// Construction replay (ui/replay): ops with id >= cutoff do not exist yet and nodes made only of
    /// them are drawn as faint ghosts, their edges left out; -1: no replay, everything exists.
    int32_t cutoff = -1;
    int32_t newest = -1;              ///< replay: DrawNode of the newest op or of a scope just opened, drawn as selected (-1 none)
    /// Level to paint node i with (the replay's newest node counts as selected).
    HighlightLevel nodeLevel(size_t i) const
    {
        if (int32_t(i) == newest)
            return HighlightLevel::Selected;
        return node.empty() ? HighlightLevel::None : node[i];
    }
};

/// Keeps a DrawHighlight up to date for one drawing as hover and selection change.
class GraphHighlighter {
public:
    /// Starts over for a new drawing (null: nothing drawn); hover cleared, selection kept.
    void setDrawing(std::shared_ptr<const GraphDrawing> drawing);
    /// The hovered node (draw index, -1 none); O(edges of the old and new node).
    void setHover(int node);
    /// The selected item; recomputes the selection layer (O(drawn nodes + edges + readers)).
    void setSelection(std::optional<hierarchy::Item> item);
    /// The hovered node, or -1.
    int hover() const { return m_hover; }
    /// Levels to paint.
    const DrawHighlight& state() const { return m_state; }
    /// Mutable flags (bundle, progress).
    DrawHighlight& state() { return m_state; }
    /// Draw index of the node showing the selection, or -1.
    int selectedNode() const { return m_selectedNode; }

private:
    void applyHover(int node, bool on);

    std::shared_ptr<const GraphDrawing> m_drawing;
    std::vector<int32_t> m_incidentOffsets; // CSR: edges touching each draw node
    std::vector<int32_t> m_incident;
    std::vector<HighlightLevel> m_selNode, m_selEdge; // selection layer
    DrawHighlight m_state;                            // selection layer + hover
    std::optional<hierarchy::Item> m_selected;
    int m_selectedNode = -1;
    int m_hover = -1;
};

} // namespace scopeviz::ui
