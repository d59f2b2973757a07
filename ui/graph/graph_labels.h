#pragma once
// Semantic zoom: where names go when the boxes are too small to hold them.
//
// The problem. GraphDrawing writes names inside their boxes in an 11-unit font in scene
// coordinates, so on screen the text shrinks with the zoom. A mid-size graph fitted into the
// window (the DQN log's 60 top-level boxes, InceptionV3 with `module` open) sits at 30-60 % zoom,
// where that text is 3-7 px: unreadable, and below 6 px it was not drawn at all. The first view of
// such a graph had no words in it.
//
// The approach is the one maps use for place names. Below the zoom where a name drawn inside its
// box would be at least kScopeLabelPx high, names are not drawn in scene units at all: they become
// labels of a fixed screen size (kScopeLabelPx bold for scopes, series and frames, kOpLabelPx for
// ops) laid over the picture, and a greedy pass decides which of them fit:
//
//   1. Candidates. Every box except the root is one. GraphDrawing builds the list once per
//      drawing, ordered by box area, largest first (then shallower first, then paint order), with
//      each name's width in the label font. Ordering by area is what makes larger boxes win when
//      space runs short: an open scope's title beats the names of its children, a top-level scope
//      beats an op.
//   2. Anchors. A collapsed scope or series gets its name centred on the box; the name may stick out
//      of a small box (like a town's name centred on its dot) but never grows beyond kMaxLabelPx,
//      where it is elided in the middle. When that spot is taken, the name may sit just above the
//      box, then just below it (a map's second and third choices; in a wide, flat graph most boxes
//      share one row, and only these find room). Left and right of the box were tried and dropped:
//      on the DQN graph they placed a few more names, but a name between two boxes no longer said
//      which one it belonged to. An open scope (a frame) gets its name at its
//      top-left corner, in the title band once the band is tall enough, and centred over the frame
//      when the frame is narrower than the name; failing that, just above the frame. An op's name
//      stays on its box: it may be at most kOpOverflow times as wide as the box (a short name on a
//      pill drawn for a longer one), elided if at least kMinOpLabelPx of it fits that, or it is not
//      shown. So op names appear as their boxes become big enough on screen to hold them. (Tried
//      first: op names strictly inside the pill, clear of its round caps. At the fit zoom of a
//      100-op graph that hid "add" and "Relu" and cut "Reshape_1" to "Re…_1", where the old 7 px
//      in-box text could still be read.)
//      A label that would stick out of the drawing's margin is moved back inside it, so that a
//      fitted view never cuts one at the window's edge.
//   3. Greedy placement. Walking the candidates in order, a label is placed at the first of its
//      positions whose rectangle (plus kLabelGap) overlaps no label placed before; otherwise it is
//      skipped. Overlaps are
//      found with a uniform grid of kGridPx cells over screen space, so each test costs a few
//      lookups instead of a scan of everything placed. The walk stops at the first box smaller
//      than kMinBoxAreaPx on screen: the order is by area, so every later box is smaller still.
//
// Placement is done for the whole drawing at one zoom, in screen pixels relative to the scene
// origin (scene coordinates times the zoom), not for the visible rectangle. Panning is a
// translation, so the same placement serves every pan position: labels never jump or swap while the
// user drags, and the scrolled pixels QGraphicsView blits stay consistent with the strips it
// repaints. Tried first and rejected: placing per visible rectangle, which made labels appear and
// vanish at the window's edges while panning and left half labels where blitted and repainted areas
// met. GraphDrawing keeps the last few placements by zoom (a wheel step is a new zoom, a repaint for
// hover or selection is not), so a repaint at an unchanged zoom costs only the drawing.
//
// Costs: the candidate list is built with the drawing (a sort of n boxes). A placement walks boxes
// only down to kMinBoxAreaPx, so at the fit zoom of a fully expanded InceptionV3 (17k boxes) it
// touches a few hundred; at 15 % zoom a few thousand, with a few grid lookups each. Just below the
// zoom where names move into their boxes every box is a candidate: the worst case. gui_bench
// measures a placement at a zoom not seen before (December 2026, 2 shared cores, median of 6 runs):
// 0.08 ms at fit, 0.8 ms at 15 %, 5 ms at 80 %. A grid of one vector per cell cost 7 ms there
// (an allocation per cell); the grid keeps one hash entry per cell and links the labels in it.
// Label texts are made, and elided, only when a label is first in view.
//
// This file is geometry only, as the layout is (docs/style.md "Layout never paints"): widths in,
// rectangles out. GraphDrawing measures the names, elides and paints them.
#include <QRectF>

#include <cstdint>
#include <vector>

namespace scopeviz::ui {

/// Screen font size of scope, series and frame names in the label layer, px (bold).
constexpr double kScopeLabelPx = 10;
/// Screen font size of op names in the label layer, px.
constexpr double kOpLabelPx = 9;
/// Longest label in the label layer, px; longer names are elided.
constexpr double kMaxLabelPx = 170;
/// How much wider than its box an op's name may be.
constexpr double kOpOverflow = 1.6;
/// Shortest elided op name worth showing, px.
constexpr double kMinOpLabelPx = 34;
/// Horizontal padding inside a label's plate, px.
constexpr double kLabelPad = 3;
/// Space kept free between two labels, px.
constexpr double kLabelGap = 2;
/// Boxes smaller than this on screen get no label, px².
constexpr double kMinBoxAreaPx = 40;
/// Cell size of the overlap grid, px.
constexpr double kGridPx = 48;
/// Height of an open frame's title band, scene units.
constexpr double kTitleBand = 22;

/// How a label sits on its box.
enum class LabelAnchor : uint8_t {
    Centred, ///< centred on the box, may stick out of it (collapsed scopes, series)
    Op,      ///< centred, at most kOpOverflow times as wide as the box (ops)
    Frame,   ///< top-left corner, in the title band (open scopes, the auxiliary area)
};

/// One box that may get a label.
struct LabelCandidate {
    QRectF box;            ///< the box, scene coordinates
    int32_t node = -1;     ///< DrawNode index
    float textWidth = 0;   ///< the whole name in the label font, px
    LabelAnchor anchor = LabelAnchor::Centred;
};

/// A label the placement kept.
struct LabelSlot {
    int32_t candidate = -1; ///< index into the candidate list
    float textWidth = 0;    ///< width of the text drawn, px (less than the candidate's when elided)
    uint8_t position = 0;   ///< which of labelPositions() it took
};

/// Font size of a label on this anchor, px.
double labelFontPx(LabelAnchor anchor);
/// Height of a label's plate on this anchor, px.
double labelHeight(LabelAnchor anchor);
/// Number of places a label may take on this anchor (0 is the preferred one).
int labelPositions(LabelAnchor anchor);
/// Width the text of `c` may take on a box of `screenBox` (device px); 0 when it gets no label.
double labelTextRoom(const LabelCandidate& c, const QRectF& screenBox);
/// The plate of a label with text `textWidth` px wide at `position` on a box of `screenBox` at `zoom`,
/// moved inside `screenBounds` (the drawing's margin) where it would stick out of it; all in device px.
QRectF labelRect(LabelAnchor anchor, int position, const QRectF& screenBox, double textWidth, double zoom,
                 const QRectF& screenBounds);
/// Greedy placement of `candidates` (in priority order) at `zoom` inside `bounds` (scene): the labels
/// kept, none overlapping.
std::vector<LabelSlot> placeLabels(const std::vector<LabelCandidate>& candidates, double zoom, const QRectF& bounds);

} // namespace scopeviz::ui
