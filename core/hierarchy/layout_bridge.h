#pragma once
// From a VisibleGraph to the layout engine and back: box sizes (SizePolicy),
// the LayoutRequest (one cluster per open frame), and the figures that tell
// whether a layout stayed put when a scope was expanded or collapsed.
#include "core/hierarchy/visible_graph.h"
#include "core/layout/layout_types.h"

#include <cstdint>
#include <string>

namespace scopeviz::hierarchy {

/// How big boxes are. Labels are measured by character count (the GUI elides what does not fit).
struct SizePolicy {
    /// Average glyph width of the label font, points.
    double charWidth = 6.6;
    /// Room left and right of a label, together.
    double labelPadding = 18;
    /// Width per digit of the op-count badge drawn on collapsed scopes and series.
    double digitWidth = 6.0;
    /// Narrowest box.
    double minWidth = 40;
    /// Widest box (longer labels are elided).
    double maxWidth = 280;
    /// Height of an op leaf.
    double opHeight = 22;
    /// Height of a collapsed scope.
    double scopeHeight = 30;
    /// Height of a collapsed series (drawn as a stack).
    double seriesHeight = 36;
    /// Room above a frame's content for its title.
    double framePaddingTop = 26;
    /// Room on the other sides of a frame's content.
    double framePadding = 10;

    /// Width x and height y of a node drawn as a box.
    layout::Point boxSize(const VisibleNode& node) const;
    /// Smallest width of a frame (its title must fit).
    double titleWidth(const VisibleNode& node) const;
};

/// The layout request of a visible graph: one cluster per frame (cluster index = VisibleNode::cluster),
/// children with box sizes from `policy`, the non-auxiliary edges between direct children
/// (key = index into VisibleGraph::edges(); pure control edges do not constrain ranks).
/// Layout box ids are NodeKeys: VisibleGraph::find(box.id) maps a box back to its node.
layout::LayoutRequest toLayoutRequest(const VisibleGraph& graph, const SizePolicy& policy = {},
                                      uint64_t generation = 0);

/// How far other boxes moved when one node was expanded (or collapsed).
struct StabilityFigures {
    /// Boxes compared: at each level from the node up to the root, the other children of that frame.
    int compared = 0;
    /// Of those, how many moved less than their own width and height.
    int movedLessThanSize = 0;
    /// Largest displacement over own size (max of |dx|/w and |dy|/h).
    double maxRatio = 0;
    /// Same, counting only movement beyond the growth of the frame on the path (room that must be made).
    double maxExcessRatio = 0;
};

/// Compares two layouts of the same graph before and after `changed` was expanded or collapsed. At each
/// level the other children are measured relative to the top-centre of the child on the path to `changed`
/// (the GUI keeps the clicked node's top-centre still, layout::anchorShift).
StabilityFigures measureStability(const layout::LayoutResult& before, const layout::LayoutResult& after,
                                  NodeKey changed);

/// True when every box of `a` has a box with the same id in `b` at the same place and size (within tol), and vice versa.
bool sameGeometry(const layout::LayoutResult& a, const layout::LayoutResult& b, double tolerance = 1e-6);

} // namespace scopeviz::hierarchy
