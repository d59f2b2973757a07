#pragma once
// Synthetic scope trees for the layout tests and benchmark: a tree of scopes
// with leaf-level edges, and a tiny stand-in for the visible-graph builder
// that turns an expansion state into a LayoutRequest (edges aggregated to the
// children of their lowest common expanded ancestor). Also the stability
// measure reported by the benchmark and asserted by the tests.
#include "core/layout/layout_types.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

namespace scopeviz::layout::synth {

/// A scope or op in the synthetic tree.
struct Node {
    uint64_t id = 0;
    int parent = -1;
    int depth = 0;
    std::vector<int> children;
    double w = 100; ///< size when drawn collapsed (or as a leaf)
    double h = 30;
};

/// A scope tree with edges between leaves; node 0 is the root.
struct Tree {
    std::vector<Node> nodes;
    std::vector<std::pair<int, int>> leafEdges;

    Tree() { nodes.push_back({1, -1, 0, {}, 0, 0}); }
    /// Adds a node under `parent`; ids are index + 1.
    int add(int parent, double w, double h)
    {
        const int v = int(nodes.size());
        nodes.push_back({uint64_t(v) + 1, parent, nodes[size_t(parent)].depth + 1, {}, w, h});
        nodes[size_t(parent)].children.push_back(v);
        return v;
    }
    bool isLeaf(int v) const { return nodes[size_t(v)].children.empty(); }
    size_t leafCount() const
    {
        size_t n = 0;
        for (size_t v = 0; v < nodes.size(); ++v)
            n += isLeaf(int(v)) ? 1 : 0;
        return n;
    }
    /// First and last leaf under v (in child order).
    int firstLeaf(int v) const
    {
        while (!isLeaf(v))
            v = nodes[size_t(v)].children.front();
        return v;
    }
    int lastLeaf(int v) const
    {
        while (!isLeaf(v))
            v = nodes[size_t(v)].children.back();
        return v;
    }
};

/// Deterministic small PRNG (so layouts are reproducible).
struct Rng {
    uint64_t s;
    explicit Rng(uint64_t seed) : s(seed * 2654435761u + 1) {}
    uint32_t next()
    {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        return uint32_t(s >> 33);
    }
    int below(int n) { return int(next() % uint32_t(n)); }
};

/// Expansion state: expanded[v] for every tree node (the root is always treated as expanded).
using Expansion = std::vector<char>;

inline Expansion rootOnly(const Tree& t)
{
    Expansion e(t.nodes.size(), 0);
    e[0] = 1;
    return e;
}

/// Builds the request a visible-graph builder would send for this expansion state.
inline LayoutRequest buildRequest(const Tree& t, const Expansion& expandedIn, uint64_t generation = 0)
{
    const size_t n = t.nodes.size();
    Expansion expanded = expandedIn;
    expanded[0] = 1;
    // rep[v]: the visible node standing for v (v itself when all its ancestors are expanded).
    std::vector<int> rep(n, 0), clusterOf(n, -1);
    LayoutRequest req;
    req.generation = generation;
    req.root = 0;
    std::vector<int> order{0};
    rep[0] = 0;
    for (size_t i = 0; i < order.size(); ++i) {
        const int v = order[i];
        const bool open = rep[size_t(v)] == v && expanded[size_t(v)] && !t.isLeaf(v);
        for (int c : t.nodes[size_t(v)].children) {
            rep[size_t(c)] = open ? c : rep[size_t(v)];
            order.push_back(c);
        }
        if (open) {
            clusterOf[size_t(v)] = int(req.clusters.size());
            LayoutClusterInput cl;
            cl.id = t.nodes[size_t(v)].id;
            req.clusters.push_back(std::move(cl));
        }
    }
    for (size_t v = 0; v < n; ++v) {
        if (clusterOf[v] < 0)
            continue;
        LayoutClusterInput& cl = req.clusters[size_t(clusterOf[v])];
        for (int c : t.nodes[v].children) {
            LayoutNodeInput in;
            in.id = t.nodes[size_t(c)].id;
            in.width = t.nodes[size_t(c)].w;
            in.height = t.nodes[size_t(c)].h;
            in.cluster = clusterOf[size_t(c)];
            if (in.cluster >= 0) { // as toLayoutRequest does: an expanded scope grows around its collapsed box
                in.collapsedWidth = in.width;
                in.collapsedHeight = in.height;
            }
            cl.children.push_back(in);
        }
    }
    std::map<std::pair<int, std::pair<int, int>>, int> aggregated;
    for (const auto& [a0, b0] : t.leafEdges) {
        int a = rep[size_t(a0)], b = rep[size_t(b0)];
        if (a == b)
            continue;
        while (t.nodes[size_t(a)].depth > t.nodes[size_t(b)].depth)
            a = t.nodes[size_t(a)].parent;
        while (t.nodes[size_t(b)].depth > t.nodes[size_t(a)].depth)
            b = t.nodes[size_t(b)].parent;
        if (a == b)
            continue; // one is inside the other: cannot happen for visible nodes
        while (t.nodes[size_t(a)].parent != t.nodes[size_t(b)].parent) {
            a = t.nodes[size_t(a)].parent;
            b = t.nodes[size_t(b)].parent;
        }
        ++aggregated[{t.nodes[size_t(a)].parent, {a, b}}];
    }
    for (const auto& [k, count] : aggregated) {
        LayoutEdgeInput e;
        e.from = t.nodes[size_t(k.second.first)].id;
        e.to = t.nodes[size_t(k.second.second)].id;
        e.key = uint64_t(count);
        req.clusters[size_t(clusterOf[size_t(k.first)])].edges.push_back(e);
    }
    return req;
}

/// An InceptionV3-like scope tree: `blocks` top blocks of 20-40 sub-blocks of 12-24 ops, ~1.3 edges per op.
inline Tree inceptionLike(int blocks = 20, uint64_t seed = 7)
{
    Tree t;
    Rng rng(seed);
    int previousConcat = -1;
    for (int b = 0; b < blocks; ++b) {
        const int block = t.add(0, 130, 36);
        const int subCount = 20 + rng.below(21);
        std::vector<int> subs;
        for (int s = 0; s < subCount; ++s) {
            const int sub = t.add(block, 110, 32);
            subs.push_back(sub);
            const int ops = 12 + rng.below(13);
            std::vector<int> leaves;
            for (int k = 0; k < ops; ++k)
                leaves.push_back(t.add(sub, 50 + rng.below(70), 24));
            for (int k = 0; k + 1 < ops; ++k)
                t.leafEdges.push_back({leaves[size_t(k)], leaves[size_t(k) + 1]});
            for (int k = 0; k < ops * 3 / 10; ++k) {
                const int a = rng.below(ops - 2);
                const int c = a + 2 + rng.below(ops - a - 2);
                t.leafEdges.push_back({leaves[size_t(a)], leaves[size_t(c)]});
            }
        }
        // Sub-block 0 feeds four branches that meet in the last sub-block (a "mixed" block).
        const int input = subs.front(), concat = subs.back();
        std::vector<int> lastOfBranch(4, input);
        for (int s = 1; s + 1 < subCount; ++s) {
            int& last = lastOfBranch[size_t(s % 4)];
            t.leafEdges.push_back({t.lastLeaf(last), t.firstLeaf(subs[size_t(s)])});
            last = subs[size_t(s)];
        }
        for (int last : lastOfBranch)
            t.leafEdges.push_back({t.lastLeaf(last), t.firstLeaf(concat)});
        if (previousConcat >= 0)
            t.leafEdges.push_back({t.lastLeaf(previousConcat), t.firstLeaf(input)});
        previousConcat = concat;
    }
    return t;
}

/// A uniform tree: `depth` levels below the root of `fanout` children each; leaves chained per parent,
/// sibling subtrees chained at every level.
inline Tree uniformTree(int depth, int fanout)
{
    Tree t;
    std::vector<int> level{0};
    for (int d = 0; d < depth; ++d) {
        std::vector<int> next;
        next.reserve(level.size() * size_t(fanout));
        for (int p : level)
            for (int k = 0; k < fanout; ++k)
                next.push_back(t.add(p, d + 1 == depth ? 60 : 110, d + 1 == depth ? 24 : 32));
        level.swap(next);
    }
    for (size_t v = 0; v < t.nodes.size(); ++v) {
        const auto& kids = t.nodes[v].children;
        for (size_t k = 0; k + 1 < kids.size(); ++k)
            t.leafEdges.push_back({t.lastLeaf(kids[k]), t.firstLeaf(kids[k + 1])});
    }
    return t;
}

/// `scopes` scopes of 3-8 sub-scopes (chains of 4-9 ops) wired as a random DAG at the top level.
inline Tree randomScopeDag(int scopes, uint64_t seed = 3)
{
    Tree t;
    Rng rng(seed);
    std::vector<int> top;
    for (int s = 0; s < scopes; ++s) {
        const int scope = t.add(0, 120, 34);
        top.push_back(scope);
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
    for (int s = 1; s < scopes; ++s) {
        t.leafEdges.push_back({t.lastLeaf(top[size_t(rng.below(s))]), t.firstLeaf(top[size_t(s)])});
        if (s % 2)
            t.leafEdges.push_back({t.lastLeaf(top[size_t(rng.below(s))]), t.firstLeaf(top[size_t(s)])});
    }
    return t;
}

/// How much siblings moved when one scope was expanded (see measureStability).
struct Stability {
    /// max over siblings of max(|dx|/w, |dy|/h): below 1 means every sibling still overlaps its old place.
    double maxRatio = 0;
    /// Same, counting only movement beyond the expanded scope's growth (dx - growth in width, ...).
    double maxExcessRatio = 0;
    /// Fraction of sibling pairs still in the same order: left/right within a row, above/below across rows.
    double orderKept = 1;
    int siblings = 0;
    /// Siblings that moved less than their own size (ratio < 1).
    int stayed = 0;
};

/// Compares the layouts before and after expanding `expandedId`, level by level up to the root: at each
/// ancestor A, A's other children are compared in A's frame, anchored at the top-left (or top-centre, or
/// with anchorCentre the centre) of the child of A that contains the expanded scope (the GUI keeps that
/// point still: the centre since the layout grows scopes in place).
inline Stability measureStability(const LayoutResult& before, const LayoutResult& after, uint64_t expandedId,
                                  bool anchorTopCenter = true, bool anchorCentre = false)
{
    Stability s;
    std::unordered_map<uint64_t, int> inBefore;
    for (size_t i = 0; i < before.boxes.size(); ++i)
        inBefore.emplace(before.boxes[i].id, int(i));
    std::vector<std::vector<int>> kids(after.boxes.size());
    int p = -1;
    for (size_t i = 0; i < after.boxes.size(); ++i) {
        if (after.boxes[i].parent >= 0)
            kids[size_t(after.boxes[i].parent)].push_back(int(i));
        if (after.boxes[i].id == expandedId && p < 0)
            p = int(i);
    }
    if (p < 0 || !inBefore.count(expandedId))
        return s;
    long pairs = 0, kept = 0;
    auto sign = [](double v) { return v > 0.5 ? 1 : (v < -0.5 ? -1 : 0); };
    while (after.boxes[size_t(p)].parent >= 0) {
        const int a = after.boxes[size_t(p)].parent;
        const NodeBox& pa = after.boxes[size_t(p)];
        const NodeBox& pb = before.boxes[size_t(inBefore.at(pa.id))];
        const double gw = std::max(0.0, pa.w - pb.w), gh = std::max(0.0, pa.h - pb.h);
        const auto& sib = kids[size_t(a)];
        for (int si : sib) {
            const NodeBox& sa = after.boxes[size_t(si)];
            const auto it = inBefore.find(sa.id);
            if (it == inBefore.end())
                continue;
            const NodeBox& sb = before.boxes[size_t(it->second)];
            if (si != p) {
                const double ax = anchorTopCenter ? pa.w / 2 : 0, bx = anchorTopCenter ? pb.w / 2 : 0;
                const double dx = std::abs((sa.x - pa.x - ax) - (sb.x - pb.x - bx));
                const double ay = anchorCentre ? pa.h / 2 : 0, by = anchorCentre ? pb.h / 2 : 0;
                const double dy = std::abs((sa.y - pa.y - ay) - (sb.y - pb.y - by));
                s.maxRatio = std::max({s.maxRatio, dx / sa.w, dy / sa.h});
                s.stayed += (dx < sa.w && dy < sa.h) ? 1 : 0;
                s.maxExcessRatio = std::max({s.maxExcessRatio, std::max(0.0, dx - gw) / sa.w,
                                             std::max(0.0, dy - gh) / sa.h});
                ++s.siblings;
            }
            for (int ti : sib) {
                if (ti <= si)
                    continue;
                const NodeBox& ta = after.boxes[size_t(ti)];
                const auto jt = inBefore.find(ta.id);
                if (jt == inBefore.end())
                    continue;
                const NodeBox& tb = before.boxes[size_t(jt->second)];
                // Boxes side by side (overlapping rows) must stay in left/right order; boxes in different
                // rows must stay above/below each other.
                const bool sideBySide = tb.y < sb.y + sb.h && sb.y < tb.y + tb.h;
                const bool same = sideBySide
                                      ? sign(ta.center().x - sa.center().x) == sign(tb.center().x - sb.center().x)
                                      : sign(ta.center().y - sa.center().y) == sign(tb.center().y - sb.center().y);
                ++pairs;
                kept += same ? 1 : 0;
            }
        }
        p = a;
    }
    s.orderKept = pairs ? double(kept) / double(pairs) : 1.0;
    return s;
}

} // namespace scopeviz::layout::synth
