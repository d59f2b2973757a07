// Tests of the hierarchical layout engine: geometry a user would see (no
// overlaps, children inside their scope, edges attached to their boxes,
// inputs at the bottom), caching and stability when scopes expand and
// collapse, bad input, the fast fallback for huge clusters, and cancellation.
#include "core/layout/layout_engine.h"
#include "tests/core/layout/synthetic_tree.h"

#include <QtTest>

#include <chrono>
#include <cmath>
#include <future>
#include <limits>

using namespace scopeviz::layout;

namespace {

LayoutNodeInput leaf(uint64_t id, double w = 60, double h = 24)
{
    LayoutNodeInput n;
    n.id = id;
    n.width = w;
    n.height = h;
    return n;
}

LayoutNodeInput clusterChild(uint64_t id, int cluster)
{
    LayoutNodeInput n;
    n.id = id;
    n.cluster = cluster;
    return n;
}

LayoutEdgeInput edge(uint64_t from, uint64_t to)
{
    LayoutEdgeInput e;
    e.from = from;
    e.to = to;
    return e;
}

/// Root (id 100) with a, b (expanded: x, y, z), c, d.
LayoutRequest nestedRequest()
{
    LayoutRequest r;
    LayoutClusterInput root;
    root.id = 100;
    root.children = {leaf(1), clusterChild(2, 1), leaf(3, 80, 30), leaf(4)};
    root.edges = {edge(1, 2), edge(2, 3), edge(1, 4), edge(4, 3)};
    LayoutClusterInput b;
    b.id = 2;
    b.children = {leaf(21), leaf(22, 90, 24), leaf(23)};
    b.edges = {edge(21, 22), edge(22, 23), edge(21, 23)};
    r.clusters = {root, b};
    return r;
}

bool inside(const NodeBox& inner, const NodeBox& outer, double tol = 0.01)
{
    return inner.x >= outer.x - tol && inner.y >= outer.y - tol && inner.x + inner.w <= outer.x + outer.w + tol &&
           inner.y + inner.h <= outer.y + outer.h + tol;
}

bool overlap(const NodeBox& a, const NodeBox& b)
{
    const double tol = 0.01;
    return a.x < b.x + b.w - tol && b.x < a.x + a.w - tol && a.y < b.y + b.h - tol && b.y < a.y + a.h - tol;
}

double distanceToBox(Point p, const NodeBox& b)
{
    const double dx = std::max({b.x - p.x, 0.0, p.x - (b.x + b.w)});
    const double dy = std::max({b.y - p.y, 0.0, p.y - (b.y + b.h)});
    return std::hypot(dx, dy);
}

/// No two children of one cluster overlap (sweep over x, so 10k boxes stay cheap).
int countOverlaps(const LayoutResult& r)
{
    std::map<int, std::vector<int>> byParent;
    for (size_t i = 0; i < r.boxes.size(); ++i)
        byParent[r.boxes[i].parent].push_back(int(i));
    int overlaps = 0;
    for (auto& [parent, members] : byParent) {
        std::sort(members.begin(), members.end(), [&](int a, int b) { return r.boxes[size_t(a)].x < r.boxes[size_t(b)].x; });
        for (size_t i = 0; i < members.size(); ++i) {
            const NodeBox& a = r.boxes[size_t(members[i])];
            for (size_t j = i + 1; j < members.size() && r.boxes[size_t(members[j])].x < a.x + a.w; ++j)
                overlaps += overlap(a, r.boxes[size_t(members[j])]) ? 1 : 0;
        }
    }
    return overlaps;
}

bool allInsideParents(const LayoutResult& r)
{
    for (const NodeBox& b : r.boxes)
        if (b.parent >= 0 && !inside(b, r.boxes[size_t(b.parent)]))
            return false;
    return true;
}

bool containsWarning(const LayoutResult& r, const char* text)
{
    for (const std::string& w : r.warnings)
        if (w.find(text) != std::string::npos)
            return true;
    return false;
}

bool sameGeometry(const LayoutResult& a, const LayoutResult& b)
{
    if (a.boxes.size() != b.boxes.size() || a.edges.size() != b.edges.size())
        return false;
    for (size_t i = 0; i < a.boxes.size(); ++i) {
        const NodeBox &p = a.boxes[i], &q = b.boxes[i];
        if (p.id != q.id || p.x != q.x || p.y != q.y || p.w != q.w || p.h != q.h)
            return false;
    }
    for (size_t i = 0; i < a.edges.size(); ++i) {
        if (a.edges[i].bezier.size() != b.edges[i].bezier.size())
            return false;
        for (size_t k = 0; k < a.edges[i].bezier.size(); ++k)
            if (a.edges[i].bezier[k].x != b.edges[i].bezier[k].x || a.edges[i].bezier[k].y != b.edges[i].bezier[k].y)
                return false;
    }
    return true;
}

/// A small scope tree: root with 8 scopes in a chain with branches; each scope has 3-8 sub-scopes of 4-9 ops.
synth::Tree smallTree()
{
    synth::Tree t;
    synth::Rng rng(3);
    std::vector<int> scopes;
    for (int s = 0; s < 8; ++s) {
        const int scope = t.add(0, 120, 34);
        scopes.push_back(scope);
        const int subs = 3 + rng.below(6);
        int prevLast = -1;
        for (int k = 0; k < subs; ++k) {
            const int sub = t.add(scope, 100, 30);
            const int ops = 4 + rng.below(6);
            int prev = -1;
            for (int o = 0; o < ops; ++o) {
                const int op = t.add(sub, 50 + rng.below(60), 24);
                if (prev >= 0)
                    t.leafEdges.push_back({prev, op});
                prev = op;
            }
            if (prevLast >= 0)
                t.leafEdges.push_back({prevLast, t.firstLeaf(sub)});
            prevLast = t.lastLeaf(sub);
        }
    }
    const int edges[][2] = {{0, 1}, {1, 2}, {1, 3}, {2, 4}, {3, 4}, {4, 5}, {0, 6}, {6, 5}, {5, 7}, {3, 7}};
    for (const auto& e : edges)
        t.leafEdges.push_back({t.lastLeaf(scopes[size_t(e[0])]), t.firstLeaf(scopes[size_t(e[1])])});
    return t;
}

/// Root (id 100): a chain 1 -> ... -> 9 with box 5 a scope (collapsed 80x30, or expanded into four ops),
/// plus side leaves 10 and 11 fed by box 1. Expanded children carry their collapsed size.
LayoutRequest chainRequest(bool expanded)
{
    LayoutRequest r;
    LayoutClusterInput root;
    root.id = 100;
    for (uint64_t i = 1; i <= 9; ++i) {
        if (i == 5 && expanded) {
            LayoutNodeInput c = clusterChild(5, 1);
            c.collapsedWidth = 80;
            c.collapsedHeight = 30;
            root.children.push_back(c);
        } else {
            root.children.push_back(i == 5 ? leaf(5, 80, 30) : leaf(i));
        }
        if (i > 1)
            root.edges.push_back(edge(i - 1, i));
    }
    root.children.push_back(leaf(10, 120, 24));
    root.children.push_back(leaf(11, 120, 24));
    root.edges.push_back(edge(1, 10));
    root.edges.push_back(edge(10, 11));
    r.clusters = {root};
    if (expanded) {
        LayoutClusterInput s;
        s.id = 5;
        for (uint64_t i = 51; i <= 54; ++i)
            s.children.push_back(leaf(i, 70, 24));
        s.edges = {edge(51, 53), edge(52, 53), edge(52, 54)};
        r.clusters.push_back(s);
    }
    return r;
}

/// A box's top-left in its parent's content coordinates (those pins are given in).
Point contentPos(const LayoutResult& r, const NodeBox& b)
{
    const NodeBox& p = r.boxes[size_t(b.parent)];
    return {b.x - (p.x + p.origin.x), b.y - (p.y + p.origin.y)};
}

} // namespace

class LayoutTest : public QObject {
    Q_OBJECT

private slots:
    void nestedLayoutIsWellFormed();
    void inputsAreDrawnBelowTheirConsumers();
    void expandingAScopeRelaysOnlyItsPath();
    void collapsingAgainRestoresTheExactDrawing();
    void expandingMovesSiblingsLessThanTheirSize();
    void badEdgesAreDroppedWithAWarning();
    void selfLoopsCyclesAndDuplicatesAreLaidOut();
    void invalidSizesAreReplaced();
    void badClusterReferencesDoNotHang();
    void emptyAndMinimumSizedClusters();
    void tenThousandChildrenUseTheFallback();
    void fallbackBreaksCycles();
    void denseCyclicClustersDoNotStallDot();
    void anchorShiftKeepsTheExpandedScopeStill();
    void expandedScopeGrowsAroundItsCollapsedPlace();
    void pinnedChildStaysWhereItWasPut();
    void newerRequestCancelsOlder();
    void cancelStopsSubmittedWork();
};

void LayoutTest::nestedLayoutIsWellFormed()
{
    LayoutEngine engine;
    const LayoutRequest req = nestedRequest();
    const auto r = engine.layoutNow(req);
    QVERIFY(!r->cancelled);
    QCOMPARE(r->boxes.size(), size_t(8));
    QCOMPARE(r->edges.size(), size_t(7));
    QCOMPARE(r->boxes[0].id, uint64_t(100));
    QCOMPARE(r->boxes[0].depth, 0);
    QVERIFY(r->warnings.empty());
    QCOMPARE(countOverlaps(*r), 0);
    QVERIFY(allInsideParents(*r));

    // The expanded scope leaves room for its title and padding around its children.
    const NodeBox* b = findBox(*r, 2);
    QVERIFY(b && b->isCluster && b->depth == 1);
    for (uint64_t id : {21, 22, 23}) {
        const NodeBox* c = findBox(*r, id);
        QVERIFY(c);
        QCOMPARE(c->depth, 2);
        QCOMPARE(&r->boxes[size_t(c->parent)], b);
        QVERIFY(c->y >= b->y + req.clusters[1].paddingTop - 0.01);
        QVERIFY(c->x >= b->x + req.clusters[1].padding - 0.01);
        QVERIFY(c->x + c->w <= b->x + b->w - req.clusters[1].padding + 0.01);
        QVERIFY(c->y + c->h <= b->y + b->h - req.clusters[1].padding + 0.01);
    }
    // Leaf sizes are the requested ones.
    QCOMPARE(findBox(*r, 22)->w, 90.0);
    QCOMPARE(findBox(*r, 3)->h, 30.0);
    QCOMPARE(r->bounds.w, r->boxes[0].w);

    for (const EdgePath& e : r->edges) {
        QVERIFY(e.bezier.size() >= 4);
        QCOMPARE((e.bezier.size() - 1) % 3, size_t(0));
        QVERIFY(!e.approximate);
        const NodeBox* from = nullptr;
        const NodeBox* to = nullptr;
        for (const NodeBox& box : r->boxes)
            if (box.parent == e.owner) {
                if (box.id == e.from)
                    from = &box;
                if (box.id == e.to)
                    to = &box;
            }
        QVERIFY(from && to);
        QVERIFY2(distanceToBox(e.bezier.front(), *from) < 2.0, "edge starts at its tail box");
        const Point end = e.hasArrow ? e.arrowTip : e.bezier.back();
        QVERIFY2(distanceToBox(end, *to) < 2.0, "edge ends at its head box");
        for (const Point& p : e.bezier)
            QVERIFY(inside(NodeBox{0, p.x, p.y, 0, 0}, r->boxes[size_t(e.owner)], 0.5));
    }
}

void LayoutTest::inputsAreDrawnBelowTheirConsumers()
{
    LayoutEngine engine; // default: BottomToTop like TensorBoard
    const auto r = engine.layoutNow(nestedRequest());
    QVERIFY(findBox(*r, 1)->y > findBox(*r, 2)->y + findBox(*r, 2)->h - 0.01);
    QVERIFY(findBox(*r, 21)->y > findBox(*r, 22)->y);

    LayoutSettings topDown;
    topDown.rankDir = RankDir::TopToBottom;
    LayoutEngine down(topDown);
    const auto t = down.layoutNow(nestedRequest());
    QVERIFY(findBox(*t, 1)->y + findBox(*t, 1)->h < findBox(*t, 2)->y + 0.01);
}

void LayoutTest::expandingAScopeRelaysOnlyItsPath()
{
    const synth::Tree t = synth::inceptionLike(4);
    LayoutEngine engine;
    synth::Expansion e = synth::rootOnly(t);
    const int blockA = t.nodes[0].children[0], blockB = t.nodes[0].children[2];
    e[size_t(blockA)] = e[size_t(blockB)] = 1;
    const auto first = engine.layoutNow(synth::buildRequest(t, e));
    QCOMPARE(first->clustersLaidOut, 3);
    QCOMPARE(first->clustersFromCache, 0);

    const int sub = t.nodes[size_t(blockA)].children[3];
    e[size_t(sub)] = 1;
    const auto second = engine.layoutNow(synth::buildRequest(t, e));
    // Only the sub-scope is laid out: block A and the root start from their layouts with it (and
    // block B) collapsed, which are cached, and grow it in place.
    QCOMPARE(second->clustersLaidOut, 1);
    QCOMPARE(second->clustersFromCache, 3);
    QVERIFY(findBox(*second, t.nodes[size_t(sub)].id)->isCluster);

    // Expanding something inside block B now: block A and its sub-scope come from the cache.
    const int subB = t.nodes[size_t(blockB)].children[1];
    e[size_t(subB)] = 1;
    const auto third = engine.layoutNow(synth::buildRequest(t, e));
    QCOMPARE(third->clustersLaidOut, 1);
    QCOMPARE(third->clustersFromCache, 4);
    QCOMPARE(engine.cachedClusters(), size_t(3 + 1 + 1));
}

void LayoutTest::collapsingAgainRestoresTheExactDrawing()
{
    const synth::Tree t = smallTree();
    LayoutEngine engine;
    synth::Expansion e = synth::rootOnly(t);
    e[size_t(t.nodes[0].children[1])] = 1;
    const LayoutRequest before = synth::buildRequest(t, e);
    const auto r0 = engine.layoutNow(before);
    for (int scope : t.nodes[0].children) {
        for (int sub : {-1, 0}) {
            synth::Expansion open = e;
            const int target = sub < 0 ? scope : t.nodes[size_t(scope)].children[0];
            if (e[size_t(target)])
                continue; // already open
            open[size_t(scope)] = 1;
            open[size_t(target)] = 1;
            const auto r1 = engine.layoutNow(synth::buildRequest(t, open));
            QVERIFY(!sameGeometry(*r0, *r1));
            const auto r2 = engine.layoutNow(before);
            QCOMPARE(r2->clustersLaidOut, 0);
            QVERIFY2(sameGeometry(*r0, *r2), "expand then collapse returns every box and edge to its old place");
        }
    }
}

void LayoutTest::expandingMovesSiblingsLessThanTheirSize()
{
    // Expand each scope of the small tree in turn (from the all-collapsed view) and each first
    // sub-scope inside an expanded scope; siblings must keep their order and only shift to make room.
    const synth::Tree t = smallTree();
    double worstExcess = 0, worstOrder = 1;
    for (int scope : t.nodes[0].children) {
        for (int level = 0; level < 2; ++level) {
            LayoutEngine engine;
            synth::Expansion e = synth::rootOnly(t);
            int target = scope;
            if (level == 1) {
                e[size_t(scope)] = 1;
                target = t.nodes[size_t(scope)].children[0];
            }
            const auto before = engine.layoutNow(synth::buildRequest(t, e));
            e[size_t(target)] = 1;
            const auto after = engine.layoutNow(synth::buildRequest(t, e));
            const synth::Stability s = synth::measureStability(*before, *after, t.nodes[size_t(target)].id);
            QVERIFY(s.siblings > 0);
            worstExcess = std::max(worstExcess, s.maxExcessRatio);
            worstOrder = std::min(worstOrder, s.orderKept);
        }
    }
    // Siblings in the way must move by the scope's growth (often many times their own size), so
    // the bound is on movement beyond that growth: with grow in place (grow_in_place.cpp) none.
    // Only what is in the way is pushed, so a pushed column can pass a box beside it that stayed:
    // measured 0.964 of sibling pairs in the same order (every pair while dot re-laid everything out).
    qInfo("worst excess displacement / own size %.3f, order kept %.3f", worstExcess, worstOrder);
    QVERIFY2(worstExcess < 0.01, "no sibling moves further than the expanded scope grew");
    QVERIFY2(worstOrder >= 0.9, "siblings keep their order, but for a few next to a pushed column");
}

void LayoutTest::badEdgesAreDroppedWithAWarning()
{
    LayoutEngine engine;
    LayoutRequest r;
    LayoutClusterInput root;
    root.id = 9;
    root.children = {leaf(1), leaf(2), leaf(3)};
    root.edges = {edge(1, 2), edge(2, 77), edge(88, 3), edge(2, 3)};
    r.clusters = {root};
    const auto res = engine.layoutNow(r);
    QCOMPARE(res->boxes.size(), size_t(4));
    QCOMPARE(res->edges.size(), size_t(2));
    QVERIFY(containsWarning(*res, "no child with id 77"));
    QVERIFY(containsWarning(*res, "no child with id 88"));
    QVERIFY(containsWarning(*res, "cluster 9"));

    // Many bad edges: warnings are summarised, not one per edge.
    for (uint64_t k = 0; k < 1000; ++k)
        r.clusters[0].edges.push_back(edge(1000 + k, 1));
    const auto many = engine.layoutNow(r);
    QVERIFY(many->warnings.size() < 20);
    QVERIFY(containsWarning(*many, "more problems"));
}

void LayoutTest::selfLoopsCyclesAndDuplicatesAreLaidOut()
{
    LayoutEngine engine;
    LayoutRequest r;
    LayoutClusterInput root;
    root.id = 5;
    root.children = {leaf(1), leaf(2), leaf(3), leaf(2, 40, 40)};
    root.edges = {edge(1, 2), edge(2, 3), edge(3, 1), edge(2, 2)};
    r.clusters = {root};
    const auto res = engine.layoutNow(r);
    QCOMPARE(res->boxes.size(), size_t(5)); // both boxes with id 2 are kept
    QCOMPARE(res->edges.size(), size_t(4));
    QVERIFY(containsWarning(*res, "duplicate child id 2"));
    QCOMPARE(countOverlaps(*res), 0);
    QVERIFY(allInsideParents(*res));
    for (const EdgePath& e : res->edges) {
        QVERIFY(e.bezier.size() >= 4);
        QCOMPARE((e.bezier.size() - 1) % 3, size_t(0));
    }
    const EdgePath& loop = res->edges[3];
    QCOMPARE(loop.from, loop.to);
    QVERIFY(distanceToBox(loop.bezier.front(), *findBox(*res, 2)) < 2.0);
}

void LayoutTest::invalidSizesAreReplaced()
{
    LayoutEngine engine;
    LayoutRequest r;
    LayoutClusterInput root;
    root.id = 5;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    root.children = {leaf(1, 0, 0), leaf(2, -5, 20), leaf(3, nan, nan), leaf(4, inf, 10), leaf(5, 30, 20)};
    root.edges = {edge(1, 2), edge(2, 3), edge(3, 4), edge(4, 5)};
    root.padding = nan;
    root.paddingTop = -3;
    r.clusters = {root};
    const auto res = engine.layoutNow(r);
    QCOMPARE(res->boxes.size(), size_t(6));
    for (const NodeBox& b : res->boxes) {
        QVERIFY(std::isfinite(b.x) && std::isfinite(b.y));
        QVERIFY(std::isfinite(b.w) && b.w > 0);
        QVERIFY(std::isfinite(b.h) && b.h > 0);
    }
    QCOMPARE(findBox(*res, 5)->w, 30.0);
    QVERIFY(containsWarning(*res, "4 children have a zero, negative, huge or non-numeric size"));
    QCOMPARE(countOverlaps(*res), 0);
    QVERIFY(allInsideParents(*res));
}

void LayoutTest::badClusterReferencesDoNotHang()
{
    LayoutEngine engine;
    LayoutRequest r;
    LayoutClusterInput root, a, b;
    root.id = 1;
    root.children = {clusterChild(10, 1), clusterChild(11, 0), clusterChild(12, 7), clusterChild(13, 1)};
    a.id = 10;
    a.children = {clusterChild(20, 2), leaf(21)};
    b.id = 20;
    b.children = {clusterChild(30, 1), clusterChild(31, 0), leaf(32)}; // cycles back up
    r.clusters = {root, a, b};
    const auto res = engine.layoutNow(r);
    QVERIFY(!res->cancelled);
    QCOMPARE(res->boxes.size(), size_t(1 + 4 + 2 + 3));
    QVERIFY(findBox(*res, 10)->isCluster);
    QVERIFY(!findBox(*res, 11)->isCluster);
    QVERIFY(!findBox(*res, 13)->isCluster);
    QVERIFY(!findBox(*res, 30)->isCluster);
    QVERIFY(containsWarning(*res, "does not exist"));
    QVERIFY(containsWarning(*res, "already placed elsewhere"));
    QVERIFY(allInsideParents(*res));

    r.root = 5;
    const auto none = engine.layoutNow(r);
    QVERIFY(none->boxes.empty());
    QVERIFY(containsWarning(*none, "out of range"));
    const auto empty = engine.layoutNow(LayoutRequest{});
    QVERIFY(empty->boxes.empty());
}

void LayoutTest::emptyAndMinimumSizedClusters()
{
    LayoutEngine engine;
    LayoutRequest r;
    LayoutClusterInput root, e;
    root.id = 1;
    root.children = {clusterChild(2, 1), leaf(3)};
    root.edges = {edge(2, 3)};
    e.id = 2;
    e.minWidth = 150;
    e.minHeight = 60;
    r.clusters = {root, e};
    const auto res = engine.layoutNow(r);
    QCOMPARE(findBox(*res, 2)->w, 150.0);
    QCOMPARE(findBox(*res, 2)->h, 60.0);
    QVERIFY(allInsideParents(*res));
}

void LayoutTest::tenThousandChildrenUseTheFallback()
{
    LayoutEngine engine;
    LayoutRequest r;
    LayoutClusterInput root;
    root.id = 1;
    synth::Rng rng(11);
    for (uint64_t i = 0; i < 10000; ++i)
        root.children.push_back(leaf(i + 1, 40 + rng.below(80), 24));
    for (uint64_t i = 0; i < 13000; ++i) {
        const uint64_t a = 1 + uint64_t(rng.below(10000));
        const uint64_t b = 1 + uint64_t(rng.below(10000));
        root.edges.push_back(edge(a, b)); // random: cycles and self-loops included
    }
    r.clusters = {root};
    const auto res = engine.layoutNow(r);
    QCOMPARE(res->boxes.size(), size_t(10001));
    QCOMPARE(res->edges.size(), size_t(13000));
    QCOMPARE(res->clustersFallback, 1);
    QVERIFY(containsWarning(*res, "fast layered layout"));
    QCOMPARE(countOverlaps(*res), 0);
    QVERIFY(allInsideParents(*res));
    for (const EdgePath& e : res->edges) {
        QVERIFY(e.approximate);
        QCOMPARE(e.bezier.size(), size_t(4));
    }
    // Not a 10,000-box line: the drawing stays within a sensible aspect ratio.
    QVERIFY(res->bounds.w < 20 * res->bounds.h && res->bounds.h < 20 * res->bounds.w);

    // 10,000 unconnected children form a block, not a row.
    root.edges.clear();
    r.clusters = {root};
    const auto grid = engine.layoutNow(r);
    QCOMPARE(grid->boxes.size(), size_t(10001));
    QVERIFY(grid->bounds.w < 5 * grid->bounds.h && grid->bounds.h < 5 * grid->bounds.w);
    QCOMPARE(countOverlaps(*grid), 0);
}

void LayoutTest::fallbackBreaksCycles()
{
    LayoutSettings s;
    s.maxDotChildren = 3; // force the fallback on a small cycle
    LayoutEngine engine(s);
    LayoutRequest r;
    LayoutClusterInput root;
    root.id = 1;
    for (uint64_t i = 1; i <= 6; ++i)
        root.children.push_back(leaf(i));
    for (uint64_t i = 1; i <= 6; ++i)
        root.edges.push_back(edge(i, i % 6 + 1)); // a ring
    root.edges.push_back(edge(3, 3));
    r.clusters = {root};
    const auto res = engine.layoutNow(r);
    QCOMPARE(res->clustersFallback, 1);
    QCOMPARE(res->boxes.size(), size_t(7));
    QCOMPARE(countOverlaps(*res), 0);
    QVERIFY(allInsideParents(*res));
    // The ring is drawn as a chain: five of six edges point up (BottomToTop), one goes back down.
    int up = 0;
    for (const EdgePath& e : res->edges)
        if (e.from != e.to && findBox(*res, e.to)->y < findBox(*res, e.from)->y)
            ++up;
    QCOMPARE(up, 5);
}

void LayoutTest::denseCyclicClustersDoNotStallDot()
{
    // 150 children with 450 random edges (cycles everywhere) would keep dot busy for many seconds;
    // the engine sees the long edges coming and uses the fast layout instead.
    LayoutEngine engine;
    LayoutRequest r;
    LayoutClusterInput root;
    root.id = 77;
    synth::Rng rng(9);
    for (uint64_t i = 1; i <= 150; ++i)
        root.children.push_back(leaf(i));
    for (int k = 0; k < 450; ++k)
        root.edges.push_back(edge(1 + uint64_t(rng.below(150)), 1 + uint64_t(rng.below(150))));
    r.clusters = {root};
    const auto res = engine.layoutNow(r);
    QCOMPARE(res->boxes.size(), size_t(151));
    QCOMPARE(res->clustersFallback, 1);
    QVERIFY(containsWarning(*res, "long edges"));
    QCOMPARE(countOverlaps(*res), 0);
}

void LayoutTest::anchorShiftKeepsTheExpandedScopeStill()
{
    const synth::Tree t = smallTree();
    LayoutEngine engine;
    synth::Expansion e = synth::rootOnly(t);
    const auto before = engine.layoutNow(synth::buildRequest(t, e));
    const int scope = t.nodes[0].children[3];
    e[size_t(scope)] = 1;
    const auto after = engine.layoutNow(synth::buildRequest(t, e));
    const uint64_t id = t.nodes[size_t(scope)].id;
    const auto shift = anchorShift(*before, *after, id);
    QVERIFY(shift.has_value());
    const NodeBox* b = findBox(*before, id);
    const NodeBox* a = findBox(*after, id);
    QCOMPARE(a->x + a->w / 2 + shift->x, b->x + b->w / 2);
    QCOMPARE(a->y + shift->y, b->y);
    QVERIFY(!anchorShift(*before, *after, 999999).has_value());
}

void LayoutTest::expandedScopeGrowsAroundItsCollapsedPlace()
{
    LayoutEngine engine;
    const auto before = engine.layoutNow(chainRequest(false));
    const auto after = engine.layoutNow(chainRequest(true));
    QVERIFY(before->warnings.empty() && after->warnings.empty());
    // The expanded box keeps its centre (relative to the content around it) and really grew.
    const NodeBox* b = findBox(*before, 5);
    const NodeBox* a = findBox(*after, 5);
    QVERIFY(a->isCluster && a->w > b->w && a->h > b->h);
    const Point pb = contentPos(*before, *b), pa = contentPos(*after, *a);
    QCOMPARE(pa.x + a->w / 2, pb.x + b->w / 2);
    QCOMPARE(pa.y + a->h / 2, pb.y + b->h / 2);
    const auto shift = centreShift(*before, *after, 5);
    QVERIFY(shift.has_value());
    QCOMPARE(a->center().x + shift->x, b->center().x);
    QCOMPARE(a->center().y + shift->y, b->center().y);
    // Nothing overlaps, and the far ends of the chain do not move at all.
    QCOMPARE(countOverlaps(*after), 0);
    QVERIFY(allInsideParents(*after));
    int still = 0;
    for (uint64_t id : {1, 9}) {
        const Point p0 = contentPos(*before, *findBox(*before, id)), p1 = contentPos(*after, *findBox(*after, id));
        still += p0.x == p1.x && p0.y == p1.y ? 1 : 0;
    }
    QCOMPARE(still, 2);
    // Edges still join their boxes.
    for (const EdgePath& e : after->edges) {
        const NodeBox* from = findBox(*after, e.from);
        const NodeBox* to = findBox(*after, e.to);
        QVERIFY(distanceToBox(e.bezier.front(), *from) < 2.0);
        QVERIFY(distanceToBox(e.hasArrow ? e.arrowTip : e.bezier.back(), *to) < 2.0);
    }
    // Collapsing returns every box and curve exactly, from the cache.
    const auto back = engine.layoutNow(chainRequest(false));
    QVERIFY(sameGeometry(*before, *back));
    QCOMPARE(back->clustersLaidOut, 0);
}

void LayoutTest::pinnedChildStaysWhereItWasPut()
{
    LayoutEngine engine;
    const auto free = engine.layoutNow(chainRequest(false));
    for (const bool expanded : {false, true}) {
        LayoutRequest r = chainRequest(expanded);
        r.clusters[0].children[6].pinned = true; // box 7, moved far to the right of the chain
        r.clusters[0].children[6].pin = {420, 40};
        const auto pinned = engine.layoutNow(r);
        const Point p = contentPos(*pinned, *findBox(*pinned, 7));
        QCOMPARE(p.x, 420.0);
        QCOMPARE(p.y, 40.0);
        QCOMPARE(countOverlaps(*pinned), 0);
        QVERIFY(allInsideParents(*pinned));
        for (const EdgePath& e : pinned->edges)
            if (e.to == 7)
                QVERIFY(distanceToBox(e.hasArrow ? e.arrowTip : e.bezier.back(), *findBox(*pinned, 7)) < 2.0);
    }
    // Unpinned, the box is back at its laid-out place.
    const auto unpinned = engine.layoutNow(chainRequest(false));
    QVERIFY(sameGeometry(*free, *unpinned));
}

void LayoutTest::newerRequestCancelsOlder()
{
    // Big request: 12 clusters of 300 children laid out by dot (about a second of work).
    LayoutRequest big;
    big.generation = 1;
    LayoutClusterInput root;
    root.id = 1;
    synth::Rng rng(5);
    for (int c = 0; c < 12; ++c) {
        root.children.push_back(clusterChild(1000 + uint64_t(c), c + 1));
        LayoutClusterInput cl;
        cl.id = 1000 + uint64_t(c);
        for (uint64_t i = 0; i < 300; ++i)
            cl.children.push_back(leaf(i + 1));
        for (uint64_t i = 1; i < 300; ++i) // local edges, so dot (not the fallback) does the work
            cl.edges.push_back(edge(i, std::min<uint64_t>(300, i + 1 + uint64_t(rng.below(3)))));
        big.clusters.push_back(cl);
    }
    big.clusters.insert(big.clusters.begin(), root);
    LayoutRequest small = nestedRequest();
    small.generation = 2;

    LayoutEngine engine;
    // The worker is held in the callback of a first layout until both requests are queued, so that the
    // newer one always meets the older one still waiting (on a loaded machine the older could otherwise
    // finish before the newer is submitted).
    std::promise<void> gate;
    std::shared_future<void> gateOpen = gate.get_future().share();
    LayoutRequest first = nestedRequest();
    first.generation = 0;
    engine.submit(first, [gateOpen](std::shared_ptr<const LayoutResult>) { gateOpen.wait(); });
    std::promise<std::shared_ptr<const LayoutResult>> p1, p2;
    engine.submit(big, [&](std::shared_ptr<const LayoutResult> r) { p1.set_value(r); });
    engine.submit(small, [&](std::shared_ptr<const LayoutResult> r) { p2.set_value(r); });
    gate.set_value();
    auto f1 = p1.get_future(), f2 = p2.get_future();
    QVERIFY(f1.wait_for(std::chrono::seconds(120)) == std::future_status::ready);
    QVERIFY(f2.wait_for(std::chrono::seconds(120)) == std::future_status::ready);
    const auto r1 = f1.get(), r2 = f2.get();
    QVERIFY(r1->cancelled);
    QCOMPARE(r1->generation, uint64_t(1));
    QVERIFY(r1->boxes.empty());
    QVERIFY(!r2->cancelled);
    QCOMPARE(r2->generation, uint64_t(2));
    QCOMPARE(r2->boxes.size(), size_t(8));
}

void LayoutTest::cancelStopsSubmittedWork()
{
    LayoutEngine engine;
    LayoutRequest big;
    LayoutClusterInput root;
    root.id = 1;
    for (int c = 0; c < 50; ++c) {
        root.children.push_back(clusterChild(100 + uint64_t(c), c + 1));
        LayoutClusterInput cl;
        cl.id = 100 + uint64_t(c);
        for (uint64_t i = 0; i < 200; ++i) {
            cl.children.push_back(leaf(i + 1));
            if (i > 0)
                cl.edges.push_back(edge(i, i + 1));
        }
        big.clusters.push_back(cl);
    }
    big.clusters.insert(big.clusters.begin(), root);
    std::promise<std::shared_ptr<const LayoutResult>> p;
    engine.submit(big, [&](std::shared_ptr<const LayoutResult> r) { p.set_value(r); });
    engine.cancel();
    auto f = p.get_future();
    QVERIFY(f.wait_for(std::chrono::seconds(120)) == std::future_status::ready);
    QVERIFY(f.get()->cancelled);
    // The engine still works afterwards.
    QCOMPARE(engine.layoutNow(nestedRequest())->boxes.size(), size_t(8));
}

QTEST_GUILESS_MAIN(LayoutTest)
#include "layout_test.moc"
