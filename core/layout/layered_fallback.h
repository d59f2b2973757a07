#pragma once
// Fast layered layout for clusters too big for dot (see layered_fallback.cpp).
#include "core/layout/flat_graph.h"

namespace scopeviz::layout::detail {

/// Lays out a big cluster in O((V+E) log V): ranks, barycenter order, straight curves. Never fails unless cancelled.
FlatLayout layeredLayout(const FlatGraph& graph, const LayoutSettings& settings,
                         const std::atomic<bool>* cancel);

/// Nodes plus the virtual nodes dot would add for long edges (estimated with our own ranking): what dot's cost grows with.
long long dotWorkEstimate(const FlatGraph& graph);

/// Routes one edge between two placed boxes as an S-curve (used by the fallback and when dot gives no spline).
FlatRoute routeBetween(const Rect& tail, const Rect& head, bool selfLoop);

} // namespace scopeviz::layout::detail
