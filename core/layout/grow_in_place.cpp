// Grow in place: expanding a scope keeps everybody else where they were.
//
// The problem. A cluster is laid out by dot (or the fallback) from its
// children's sizes. When one child is expanded its size jumps, and dot, asked
// again, is free to place everything anew: ranks keep their order, but rows are
// re-centred, so on InceptionV3 the siblings of an expanded block moved by up
// to 19-38 times their own size, and the eye loses its place.
//
// The approach. A cluster with expanded or pinned children is not laid out
// from its final sizes. Instead, the engine first lays it out (through the
// same per-cluster cache) as if every expanded child were collapsed: that is
// the reference, exactly the picture the user had before expanding, and it is
// a cache hit whenever the collapsed state was shown before. This file then
// starts from the reference positions and
//
//  1. gives each expanded child its full size around the centre its collapsed
//     box had (the box grows around its place);
//  2. puts each pinned child's top-left corner at its pin (content
//     coordinates of the cluster: those of the reference frame's top-left);
//  3. pushes apart what now overlaps. The grown and pinned boxes are the
//     first movers. A box that overlaps a mover (with half the usual node and
//     rank gaps kept free) is pushed just far enough away from it: sideways
//     when, in the reference, it sat beside the mover (apart in x but not in
//     y; when apart in both, whichever centre offset is larger relative to
//     the two boxes' sizes), else up or down. Pushing along the other axis
//     would take more than the growth.
//     Deciding from the reference and not from the overlap keeps the choice
//     the same however much the box grew; a box pushed by
//     something that was itself pushed keeps that push's direction, so a
//     column above a grown block moves up as one, and a row beside it moves
//     sideways as one. Pinned boxes are never pushed. Boxes that do not touch
//     anything that moved stay exactly where they were;
//  4. grows the frame to hold the content (it never shrinks below the
//     reference frame, so the title and the other boxes keep their room), and
//     records where the content coordinates start inside it (origin);
//  5. keeps dot's curve for every edge whose two ends did not move; bends
//     it along with its ends when they only moved (shifted from the tail's
//     move at the start to the head's move at the end, so a column pushed as
//     one keeps its curves exactly); and re-routes edges at a box that grew
//     or shrank as simple S-curves between the boxes' sides.
//
// Why not the alternatives. (a) Re-running dot with the old positions as
// pos/pin hints: dot's "pos" is honoured by neato/fdp only, and neato with
// pinned nodes moves the unpinned ones freely, loses the ranks and costs a
// full layout per click. (b) Stretching the whole plane (everything right of
// the grown box moves right by the growth, everything above moves up): never
// overlaps, but moves every sibling, also those nowhere near. (c) Shifting
// only the grown box's rank: leaves the ranks above and below overlapping a
// box that grew taller than one rank. Pushing only what is in the way moves
// the fewest boxes; what it cannot avoid is moving the boxes in the grown
// box's own column or row, by about half the growth.
//
// Cost: O(n) per push for n children, at most 64 pushes per child; dot
// clusters have at most a few hundred children, so this stays far below a dot
// run. Clusters above MaxGrowInPlaceChildren (only the fast fallback's) are
// laid out from their final sizes instead, and their pins are ignored with a
// warning.
// The result depends only on the reference, the sizes and the pins, never on
// what was shown before, so collapsing a scope again returns every box
// exactly, and the cache stays correct.
#include "core/layout/grow_in_place.h"

#include "core/layout/layered_fallback.h"

#include <algorithm>
#include <cmath>
#include <deque>

namespace scopeviz::layout::detail {

namespace {

/// Room kept free between pushed boxes, points: an arrowhead still fits (dot keeps nodeSep/rankSep, 18/28).
constexpr double MinGap = 6;

enum Direction : int8_t { None = -1, Right = 0, Left = 1, Down = 2, Up = 3 };

bool sameRect(const Rect& a, const Rect& b)
{
    return a.x == b.x && a.y == b.y && a.w == b.w && a.h == b.h;
}

} // namespace

std::shared_ptr<const ClusterLayout> growInPlace(const ClusterLayout& reference, const GrowInput& input,
                                                 const LayoutSettings& settings)
{
    const size_t n = reference.children.size();
    auto out = std::make_shared<ClusterLayout>();
    out->warnings = reference.warnings;
    out->fallback = reference.fallback;
    out->structureKey = reference.structureKey;
    out->edgeIndex = reference.edgeIndex;

    // Steps 1 and 2: final sizes around the reference centres, pins where the user put them.
    std::vector<Rect> rects(reference.children);
    std::vector<char> fixed(n, 0);
    std::deque<size_t> movers;
    std::vector<char> queued(n, 0);
    for (size_t i = 0; i < n && i < input.sizes.size(); ++i) {
        const Rect& ref = rects[i];
        const Rect& size = input.sizes[i];
        Rect r{ref.x + ref.w / 2 - size.w / 2, ref.y + ref.h / 2 - size.h / 2, size.w, size.h};
        if (i < input.pins.size() && input.pins[i]) {
            r.x = input.pins[i]->x;
            r.y = input.pins[i]->y;
            fixed[i] = 1;
        }
        if (!sameRect(r, ref)) {
            movers.push_back(i);
            queued[i] = 1;
        }
        rects[i] = r;
    }

    // Step 3: push apart what overlaps, starting from the boxes that grew or were pinned.
    const double gapX = std::min(settings.nodeSep, MinGap), gapY = std::min(settings.rankSep, MinGap);
    std::vector<Direction> dir(n, None);
    size_t budget = 64 * n + 64;
    while (!movers.empty() && budget > 0) {
        const size_t x = movers.front();
        movers.pop_front();
        queued[x] = 0;
        const Rect m = rects[x];
        const double l = m.x - gapX, r = m.x + m.w + gapX, t = m.y - gapY, b = m.y + m.h + gapY;
        for (size_t k = 0; k < n; ++k) {
            Rect& o = rects[k];
            if (k == x || fixed[k] || !(o.x < r && o.x + o.w > l && o.y < b && o.y + o.h > t))
                continue;
            const double amount[4] = {r - o.x, o.x + o.w - l, b - o.y, o.y + o.h - t};
            Direction d = dir[x];
            if (d != None) {
                // A pushed box only pushes what lay beyond it in that direction; a box that was behind it is
                // on its own way (the two keep their order, so nothing is pushed twice as far).
                const Rect& a = reference.children[x];
                const Rect& q = reference.children[k];
                const double ahead[4] = {q.x + q.w / 2 - (a.x + a.w / 2), a.x + a.w / 2 - (q.x + q.w / 2),
                                         q.y + q.h / 2 - (a.y + a.h / 2), a.y + a.h / 2 - (q.y + q.h / 2)};
                if (ahead[d] < 0)
                    continue;
            }
            if (d == None) {
                // Side and axis from the reference places, not from the overlap: they then do not depend on how
                // much the box grew, so a sibling is pushed the same way before and after a nested expansion.
                const Rect& a = fixed[x] ? m : reference.children[x];
                const Rect& q = reference.children[k];
                const double dx = (q.x + q.w / 2) - (a.x + a.w / 2), dy = (q.y + q.h / 2) - (a.y + a.h / 2);
                // Only along an axis on which the two were apart: the other would need more than the growth.
                const bool apartX = q.x >= a.x + a.w || q.x + q.w <= a.x;
                const bool apartY = q.y >= a.y + a.h || q.y + q.h <= a.y;
                const bool sideways =
                    apartX && (!apartY || std::abs(dx) / (a.w + q.w) >= std::abs(dy) / (a.h + q.h));
                d = sideways ? (dx >= 0 ? Right : Left) : (dy >= 0 ? Down : Up);
            }
            switch (d) {
            case Right: o.x += amount[Right]; break;
            case Left: o.x -= amount[Left]; break;
            case Down: o.y += amount[Down]; break;
            case Up: o.y -= amount[Up]; break;
            case None: break;
            }
            dir[k] = d;
            if (!queued[k]) {
                movers.push_back(k);
                queued[k] = 1;
            }
            --budget;
        }
    }
    if (budget == 0)
        out->warnings.push_back(input.warningPrefix + "pushing boxes apart did not settle; some may overlap");

    // Step 4: the frame holds the content and never shrinks below the reference frame.
    double left = 0, top = 0, right = reference.width, bottom = reference.height;
    for (const Rect& r : rects) {
        left = std::min(left, r.x - input.padding);
        top = std::min(top, r.y - input.paddingTop);
        right = std::max(right, r.x + r.w + input.padding);
        bottom = std::max(bottom, r.y + r.h + input.padding);
    }
    out->width = right - left;
    out->height = bottom - top;
    out->origin = {-left, -top};
    out->children.resize(n);
    for (size_t i = 0; i < n; ++i)
        out->children[i] = {rects[i].x - left, rects[i].y - top, rects[i].w, rects[i].h};

    // Step 5: dot's curves where both ends stayed, S-curves where either moved.
    out->routes.reserve(reference.routes.size());
    for (size_t j = 0; j < reference.routes.size(); ++j) {
        const int k = reference.edgeIndex[j];
        const auto [from, to] = k >= 0 && size_t(k) < input.ends.size() ? input.ends[size_t(k)] : std::pair{-1, -1};
        FlatRoute route = reference.routes[j];
        if (from >= 0 && to >= 0 && (!sameRect(rects[size_t(from)], reference.children[size_t(from)]) ||
                                     !sameRect(rects[size_t(to)], reference.children[size_t(to)]))) {
            const Rect &t0 = reference.children[size_t(from)], &h0 = reference.children[size_t(to)];
            const Rect &t1 = rects[size_t(from)], &h1 = rects[size_t(to)];
            if (t0.w == t1.w && t0.h == t1.h && h0.w == h1.w && h0.h == h1.h && route.bezier.size() > 1) {
                // Both ends only moved: dot's curve, bent from the tail's move to the head's (a column pushed
                // as one keeps its curves exactly).
                const Point dt{t1.x - t0.x, t1.y - t0.y}, dh{h1.x - h0.x, h1.y - h0.y};
                const double last = double(route.bezier.size() - 1);
                for (size_t q = 0; q < route.bezier.size(); ++q) {
                    const double f = double(q) / last;
                    route.bezier[q].x += dt.x + (dh.x - dt.x) * f;
                    route.bezier[q].y += dt.y + (dh.y - dt.y) * f;
                }
                route.arrowTip = {route.arrowTip.x + dh.x, route.arrowTip.y + dh.y};
            } else {
                route = routeBetween(t1, h1, from == to); // an end changed size: a fresh S-curve between the sides
            }
        }
        for (Point& p : route.bezier)
            p = {p.x - left, p.y - top};
        route.arrowTip = {route.arrowTip.x - left, route.arrowTip.y - top};
        out->routes.push_back(std::move(route));
    }
    return out;
}

} // namespace scopeviz::layout::detail
