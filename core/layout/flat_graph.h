#pragma once
// The single-cluster problem both layout back ends solve: boxes of fixed size
// plus edges by index, already validated. Internal to core/layout.
#include "core/layout/layout_types.h"

#include <atomic>
#include <string>
#include <vector>

namespace scopeviz::layout::detail {

/// A fixed-size box.
struct FlatNode {
    double w = 0;
    double h = 0;
};

/// A validated edge between node indices (self-loops allowed).
struct FlatEdge {
    int from = 0;
    int to = 0;
    int weight = 1;
    bool constraint = true;
};

/// One cluster's content, ready for a back end.
struct FlatGraph {
    std::vector<FlatNode> nodes;
    std::vector<FlatEdge> edges;
};

/// One routed edge, relative to the content's top-left corner.
struct FlatRoute {
    std::vector<Point> bezier;
    Point arrowTip;
    bool hasArrow = false;
    bool approximate = false;
};

/// A back end's answer: centres relative to the content's top-left corner (y down).
struct FlatLayout {
    bool ok = false;
    double width = 0;
    double height = 0;
    std::vector<Point> centers;
    std::vector<FlatRoute> routes; ///< one per FlatGraph edge
    std::vector<std::string> warnings;
};

/// A straight connection drawn as one cubic segment (4 control points).
inline std::vector<Point> straightCubic(Point a, Point b)
{
    return {a, {a.x + (b.x - a.x) / 3, a.y + (b.y - a.y) / 3},
            {a.x + 2 * (b.x - a.x) / 3, a.y + 2 * (b.y - a.y) / 3}, b};
}

/// True when the caller asked to stop.
inline bool isCancelled(const std::atomic<bool>* cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

} // namespace scopeviz::layout::detail
