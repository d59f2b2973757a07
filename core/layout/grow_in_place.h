#pragma once
// Placing a cluster's children around a reference layout: expanded children grow around the place
// their collapsed box had, pinned children stay where the user put them (see grow_in_place.cpp).
#include "core/layout/hierarchical_layout.h"

#include <optional>
#include <string>
#include <vector>

namespace scopeviz::layout::detail {

/// What the placement needs besides the reference layout.
struct GrowInput {
    /// Final size of each child (expanded children at their own layout's size).
    std::vector<Rect> sizes;
    /// Pinned top-left of each child in the cluster's content coordinates, or nullopt.
    std::vector<std::optional<Point>> pins;
    /// Child index of each edge's tail and head, by input edge index (-1 when the edge was dropped).
    std::vector<std::pair<int, int>> ends;
    double padding = 10;
    double paddingTop = 24;
    /// Names the cluster in warnings ("cluster 12: ").
    std::string warningPrefix;
};

/// Clusters with more children than this are laid out from their final sizes (pushing is quadratic).
constexpr size_t MaxGrowInPlaceChildren = 2000;

/// The cluster's layout when its children take their final sizes and pins starting from `reference`
/// (the layout with every expanded child at its collapsed size and no pins). Boxes in the way are
/// pushed apart; edges whose ends moved are re-routed as S-curves. Deterministic: the same input gives
/// the same layout, so collapsing a scope again returns every box exactly.
std::shared_ptr<const ClusterLayout> growInPlace(const ClusterLayout& reference, const GrowInput& input,
                                                 const LayoutSettings& settings);

} // namespace scopeviz::layout::detail
