#pragma once
// Plain input and output types of the hierarchical layout. The visible-graph
// builder fills a LayoutRequest (a tree of expanded clusters, each holding its
// direct children and the edges between them); the engine returns a
// LayoutResult with absolute boxes and edge curves the GUI draws as they are.
// Coordinates are points, y grows downwards, (0,0) is the root's top-left.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace scopeviz::layout {

/// A point in layout coordinates (points, y down).
struct Point {
    double x = 0;
    double y = 0;
};

/// An axis-aligned rectangle: top-left corner plus size (points, y down).
struct Rect {
    double x = 0;
    double y = 0;
    double w = 0;
    double h = 0;
};

/// One direct child of a cluster: a fixed-size box, or an expanded scope whose size comes from its own layout.
struct LayoutNodeInput {
    /// Caller's id; unique among the children of one cluster (duplicates are laid out, with a warning).
    uint64_t id = 0;
    /// Box width in points; ignored for an expanded child (cluster >= 0).
    double width = 0;
    /// Box height in points; ignored for an expanded child (cluster >= 0).
    double height = 0;
    /// Index into LayoutRequest::clusters when this child is expanded, else -1.
    int cluster = -1;
    /// For an expanded child: width of its box when collapsed; with collapsedHeight, it grows around that box's place.
    double collapsedWidth = 0;
    /// For an expanded child: height of its box when collapsed (0: laid out afresh around its full size).
    double collapsedHeight = 0;
    /// True when the user pinned this child: its top-left corner goes to `pin`.
    bool pinned = false;
    /// Pinned top-left corner in the cluster's content coordinates (NodeBox::origin of the cluster's box).
    Point pin;
    /// True when this child is an expanded scope.
    bool isCluster() const { return cluster >= 0; }
};

/// An edge between two direct children of the same cluster (the builder aggregates deeper edges to this level).
struct LayoutEdgeInput {
    /// Id of the tail child.
    uint64_t from = 0;
    /// Id of the head child.
    uint64_t to = 0;
    /// Caller's tag, copied to EdgePath::key (e.g. an index into the builder's aggregated edges).
    uint64_t key = 0;
    /// How strongly dot keeps the edge short and straight (rounded, clamped to 0..100).
    double weight = 1;
    /// False: the edge does not influence ranks (e.g. a control dependency drawn as a side edge).
    bool constraint = true;
};

/// One expanded scope: its direct children, the edges among them, and its frame.
struct LayoutClusterInput {
    /// Caller's id of the scope (part of the cache key, named in warnings).
    uint64_t id = 0;
    /// Direct children in a stable order (the order is part of the content).
    std::vector<LayoutNodeInput> children;
    /// Edges between direct children.
    std::vector<LayoutEdgeInput> edges;
    /// Room above the content for the scope's title, in points.
    double paddingTop = 24;
    /// Room on the other three sides, in points.
    double padding = 10;
    /// Smallest box width (e.g. the title's width), in points.
    double minWidth = 0;
    /// Smallest box height, in points.
    double minHeight = 0;
    /// Builder's hash of the content; the engine also hashes children and edges itself, so 0 is fine.
    uint64_t contentHash = 0;
};

/// Everything visible: the tree of expanded clusters starting at `root`.
struct LayoutRequest {
    /// All expanded clusters; children refer to them by index.
    std::vector<LayoutClusterInput> clusters;
    /// Index of the top cluster (the whole graph).
    int root = 0;
    /// Caller's counter, copied to the result so stale results can be recognised.
    uint64_t generation = 0;
};

/// A placed box: a leaf, a collapsed scope or an expanded scope (cluster).
struct NodeBox {
    /// The child's id (the cluster's id for the root box).
    uint64_t id = 0;
    /// Top-left x, absolute, points.
    double x = 0;
    /// Top-left y, absolute, points, y down.
    double y = 0;
    /// Width in points.
    double w = 0;
    /// Height in points.
    double h = 0;
    /// True for an expanded scope (drawn as a frame around its children).
    bool isCluster = false;
    /// Nesting depth: 0 for the root cluster, 1 for its children, ...
    int depth = 0;
    /// Index into LayoutResult::boxes of the enclosing cluster, -1 for the root.
    int parent = -1;
    /// Index into LayoutRequest::clusters when isCluster, else -1.
    int cluster = -1;
    /// For a cluster: where its content coordinates (those of pins) start, relative to the box's top-left.
    Point origin;
    /// Centre of the box.
    Point center() const { return {x + w / 2, y + h / 2}; }
};

/// A routed edge between two boxes of the same cluster.
struct EdgePath {
    /// Tail child id.
    uint64_t from = 0;
    /// Head child id.
    uint64_t to = 0;
    /// LayoutEdgeInput::key, passed through.
    uint64_t key = 0;
    /// Index into LayoutResult::boxes of the cluster the edge belongs to.
    int owner = -1;
    /// Cubic Bezier control points (3m+1 of them), absolute, y down, from the tail; ends at the arrow's base when hasArrow.
    std::vector<Point> bezier;
    /// Where the arrowhead's point touches the head box (valid when hasArrow).
    Point arrowTip;
    /// True when an arrowhead is drawn from bezier.back() to arrowTip.
    bool hasArrow = false;
    /// True when the curve is a cheap straight/S-curve from the fast fallback, not a dot spline.
    bool approximate = false;
};

/// The drawing: boxes (every cluster before its children, so drawing in order paints frames first), edges, statistics.
struct LayoutResult {
    /// Every box; boxes[0] is the root cluster unless the request was empty or cancelled.
    std::vector<NodeBox> boxes;
    /// Every edge of every cluster.
    std::vector<EdgePath> edges;
    /// Bounding rectangle of the whole drawing (the root box).
    Rect bounds;
    /// LayoutRequest::generation of the request this answers.
    uint64_t generation = 0;
    /// Wall time spent on the worker for this request, seconds.
    double seconds = 0;
    /// Clusters laid out afresh (dot or fallback).
    int clustersLaidOut = 0;
    /// Clusters reused unchanged from the cache.
    int clustersFromCache = 0;
    /// Clusters laid out with the fast layered fallback instead of dot.
    int clustersFallback = 0;
    /// True when a newer request or cancel() stopped this one; boxes and edges are then empty.
    bool cancelled = false;
    /// Human-readable notes about bad input and fallbacks (each names the cluster id).
    std::vector<std::string> warnings;
};

/// Direction in which edges flow.
enum class RankDir {
    BottomToTop, ///< Inputs at the bottom, as TensorBoard draws graphs.
    TopToBottom, ///< Inputs at the top.
};

/// Knobs of the engine; changing them invalidates the cache.
struct LayoutSettings {
    /// Edge direction.
    RankDir rankDir = RankDir::BottomToTop;
    /// Horizontal gap between boxes of one rank, points.
    double nodeSep = 18;
    /// Vertical gap between ranks, points.
    double rankSep = 28;
    /// Clusters with more children than this use the fast layered fallback.
    int maxDotChildren = 400;
    /// Clusters with more edges than this use the fast layered fallback.
    int maxDotEdges = 1200;
    /// Clusters whose children plus long-edge bends (estimated) exceed this use the fallback; dot's time follows it.
    long long maxDotWork = 2000;
    /// Cached cluster layouts kept (least recently used dropped first).
    int cacheCapacity = 50000;
    /// Size used for a child whose width or height is zero, negative or not a number.
    double invalidSizeReplacement = 16;
};

/// First box with this id, or nullptr.
const NodeBox* findBox(const LayoutResult& result, uint64_t id);

/// Translation to add to `after` so box `id` keeps the midpoint of its top edge from `before` (the scope the user
/// expanded grows sideways and down, its neighbours move least); nullopt if the id is absent in either.
std::optional<Point> anchorShift(const LayoutResult& before, const LayoutResult& after, uint64_t id);

/// Translation to add to `after` so box `id` keeps its centre from `before` (an expanded scope grows around its
/// place, see grow_in_place.cpp); nullopt if the id is absent in either.
std::optional<Point> centreShift(const LayoutResult& before, const LayoutResult& after, uint64_t id);

} // namespace scopeviz::layout
