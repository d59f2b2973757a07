// Fast layered layout for one big cluster.
//
// dot gives beautiful drawings but its crossing minimisation and network-simplex
// passes grow much faster than linearly: 5000 nodes take 14-18 s (docs/toolchain.md
// §5). A TensorFlow scope can hold thousands of direct children (a flattened
// import, a scope with thousands of constants), and the GUI must never freeze on
// one, so above LayoutSettings::maxDotChildren / maxDotEdges we lay the cluster
// out ourselves with the classic Sugiyama recipe, cut down to what is linear
// or O(n log n):
//
// 1. Cycles. An iterative depth-first search (no recursion: a 10k-long chain
//    must not overflow the stack) reverses every back edge. Reversing back
//    edges of a DFS always leaves a DAG, and the reverse post-order of the same
//    search is a topological order for free. Self-loops and edges with
//    constraint=false take no part in ranking.
// 2. Ranks. Longest path from the sources, then every pure source is pulled up
//    to just below its nearest consumer, so a variable feeding an op deep in
//    the graph sits next to that op instead of in one huge first rank. Nodes
//    with no edges at all are set aside and drawn as a grid after the ranks.
// 3. Order. Inside a rank nodes start in DFS discovery order (chains stay
//    together), then three barycenter sweeps (down, up, down) sort each rank by
//    the mean normalised position of its neighbours in the ranks already
//    fixed. No dummy nodes are inserted for long edges: their far endpoint
//    simply counts as a neighbour, which keeps the cost O((V+E) log V).
// 4. Wrapping. A rank wider than about sqrt(total area) is cut into several
//    rows, so 10,000 independent constants form a block, not a line 600,000
//    points long.
// 5. Coordinates. Each row is placed to minimise the squared distance of each
//    box to the mean x of its neighbours, subject to keeping the order and the
//    gaps. That is an isotonic regression, solved exactly in O(k) with the
//    pool-adjacent-violators algorithm, one down and one up pass. Rows are
//    stacked with rankSep; BottomToTop flips them.
// 6. Edges are S-shaped cubic curves between facing sides of the two boxes;
//    they may cross other boxes, which is why the result carries a warning and
//    EdgePath::approximate.
#include "core/layout/layered_fallback.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace scopeviz::layout::detail {

namespace {

constexpr double ArrowLength = 8;

/// Compressed adjacency lists: targets of node v are adj[start[v] .. start[v+1]).
struct Csr {
    std::vector<int> start;
    std::vector<int> adj;
    std::pair<const int*, const int*> of(int v) const
    {
        return {adj.data() + start[size_t(v)], adj.data() + start[size_t(v) + 1]};
    }
    size_t degree(int v) const { return size_t(start[size_t(v) + 1] - start[size_t(v)]); }
};

Csr buildCsr(int n, const std::vector<std::pair<int, int>>& pairs)
{
    Csr c;
    c.start.assign(size_t(n) + 1, 0);
    for (const auto& [a, b] : pairs)
        ++c.start[size_t(a) + 1];
    for (size_t i = 1; i < c.start.size(); ++i)
        c.start[i] += c.start[i - 1];
    c.adj.resize(pairs.size());
    std::vector<int> fill(c.start.begin(), c.start.end() - 1);
    for (const auto& [a, b] : pairs)
        c.adj[size_t(fill[size_t(a)]++)] = b;
    return c;
}

/// Places boxes of one row in the given order as close as possible (least squares)
/// to their desired centres while keeping at least `sep` between neighbours.
void isotonicPlace(const std::vector<int>& row, const std::vector<double>& width,
                   const std::vector<double>& desired, double sep, std::vector<double>& x)
{
    const size_t k = row.size();
    if (k == 0)
        return;
    // Shift each target by the minimum cumulative offset; the shifted values
    // must then only be non-decreasing.
    std::vector<double> offset(k, 0.0);
    for (size_t i = 1; i < k; ++i)
        offset[i] = offset[i - 1] + (width[size_t(row[i - 1])] + width[size_t(row[i])]) / 2 + sep;
    struct Block {
        double sum;
        int count;
        double mean() const { return sum / count; }
    };
    std::vector<Block> blocks;
    blocks.reserve(k);
    for (size_t i = 0; i < k; ++i) {
        blocks.push_back({desired[size_t(row[i])] - offset[i], 1});
        while (blocks.size() > 1 && blocks[blocks.size() - 2].mean() >= blocks.back().mean()) {
            Block b = blocks.back();
            blocks.pop_back();
            blocks.back().sum += b.sum;
            blocks.back().count += b.count;
        }
    }
    size_t i = 0;
    for (const Block& b : blocks) {
        const double m = b.mean();
        for (int j = 0; j < b.count; ++j, ++i)
            x[size_t(row[i])] = m + offset[i];
    }
}

/// Steps 1 and 2 of the essay: acyclic orientation, topological order, ranks.
struct Ranking {
    std::vector<int> rank;
    std::vector<int> discovery;
    std::vector<int> postorder;
    Csr succ;
    Csr pred;
};

Ranking rankNodes(const FlatGraph& g)
{
    const int n = int(g.nodes.size());
    // 1. Cycle breaking and topological order by one iterative DFS.
    std::vector<std::pair<int, int>> raw;
    raw.reserve(g.edges.size());
    for (const FlatEdge& e : g.edges)
        if (e.constraint && e.from != e.to)
            raw.push_back({e.from, e.to});
    const Csr fwd = buildCsr(n, raw);
    std::vector<char> state(static_cast<size_t>(n), 0); // 0 new, 1 on stack, 2 done
    std::vector<int> discovery(static_cast<size_t>(n), 0), postorder;
    postorder.reserve(static_cast<size_t>(n));
    std::vector<std::pair<int, int>> dag; // oriented edges
    dag.reserve(raw.size());
    {
        int time = 0;
        std::vector<std::pair<int, int>> stack; // node, next adjacency slot
        for (int root = 0; root < n; ++root) {
            if (state[size_t(root)] != 0)
                continue;
            stack.push_back({root, fwd.start[size_t(root)]});
            state[size_t(root)] = 1;
            discovery[size_t(root)] = time++;
            while (!stack.empty()) {
                auto& [v, next] = stack.back();
                if (next < fwd.start[size_t(v) + 1]) {
                    const int wv = fwd.adj[size_t(next++)];
                    const int vv = v;
                    if (state[size_t(wv)] == 1) {
                        dag.push_back({wv, vv}); // back edge: reverse it
                    } else {
                        dag.push_back({vv, wv});
                        if (state[size_t(wv)] == 0) {
                            state[size_t(wv)] = 1;
                            discovery[size_t(wv)] = time++;
                            stack.push_back({wv, fwd.start[size_t(wv)]});
                        }
                    }
                } else {
                    state[size_t(v)] = 2;
                    postorder.push_back(v);
                    stack.pop_back();
                }
            }
        }
    }
    Csr succ = buildCsr(n, dag);
    std::vector<std::pair<int, int>> rev;
    rev.reserve(dag.size());
    for (const auto& [a, b] : dag)
        rev.push_back({b, a});
    Csr pred = buildCsr(n, rev);

    // 2. Longest-path ranks in topological order (reverse post-order), then pull sources up.
    std::vector<int> rank(static_cast<size_t>(n), 0);
    for (auto it = postorder.rbegin(); it != postorder.rend(); ++it) {
        auto [b, e] = succ.of(*it);
        for (const int* p = b; p != e; ++p)
            rank[size_t(*p)] = std::max(rank[size_t(*p)], rank[size_t(*it)] + 1);
    }
    for (int v : postorder) { // post-order: successors first
        if (pred.degree(v) == 0 && succ.degree(v) > 0) {
            int m = std::numeric_limits<int>::max();
            auto [b, e] = succ.of(v);
            for (const int* p = b; p != e; ++p)
                m = std::min(m, rank[size_t(*p)]);
            rank[size_t(v)] = m - 1;
        }
    }
    return {std::move(rank), std::move(discovery), std::move(postorder), std::move(succ), std::move(pred)};
}

} // namespace

long long dotWorkEstimate(const FlatGraph& g)
{
    const Ranking r = rankNodes(g);
    long long work = (long long)g.nodes.size();
    for (int v = 0; v < int(g.nodes.size()); ++v) {
        auto [b, e] = r.succ.of(v);
        for (const int* p = b; p != e; ++p)
            work += std::max(0, r.rank[size_t(*p)] - r.rank[size_t(v)] - 1);
    }
    return work;
}

FlatRoute routeBetween(const Rect& t, const Rect& h, bool selfLoop)
{
    FlatRoute r;
    r.approximate = true;
    r.hasArrow = true;
    if (selfLoop) {
        const double right = t.x + t.w;
        const double cy = t.y + t.h / 2;
        const double reach = std::max(10.0, std::min(16.0, t.h));
        const Point start{right, cy - t.h / 4};
        r.arrowTip = {right, cy + t.h / 4};
        const Point base{right + std::min(ArrowLength, reach / 2), r.arrowTip.y};
        r.bezier = {start, {right + reach, start.y - reach / 2}, {right + reach, base.y + reach / 2}, base};
        return r;
    }
    const double tcx = t.x + t.w / 2, tcy = t.y + t.h / 2;
    const double hcx = h.x + h.w / 2, hcy = h.y + h.h / 2;
    const bool headBelow = h.y >= t.y + t.h;
    const bool headAbove = h.y + h.h <= t.y;
    if (headBelow || headAbove) {
        const double dir = headBelow ? 1.0 : -1.0;
        const Point start{tcx, headBelow ? t.y + t.h : t.y};
        r.arrowTip = {hcx, headBelow ? h.y : h.y + h.h};
        const double gap = std::abs(r.arrowTip.y - start.y);
        const Point base{r.arrowTip.x, r.arrowTip.y - dir * std::min(ArrowLength, gap / 3)};
        const double mid = (start.y + base.y) / 2;
        r.bezier = {start, {start.x, mid}, {base.x, mid}, base};
        return r;
    }
    const bool headRight = h.x >= t.x + t.w;
    const bool headLeft = h.x + h.w <= t.x;
    if (headRight || headLeft) {
        const double dir = headRight ? 1.0 : -1.0;
        const Point start{headRight ? t.x + t.w : t.x, tcy};
        r.arrowTip = {headRight ? h.x : h.x + h.w, hcy};
        const double gap = std::abs(r.arrowTip.x - start.x);
        const Point base{r.arrowTip.x - dir * std::min(ArrowLength, gap / 3), r.arrowTip.y};
        const double mid = (start.x + base.x) / 2;
        r.bezier = {start, {mid, start.y}, {mid, base.y}, base};
        return r;
    }
    // Overlapping boxes (should not happen): centre to centre, no arrow.
    r.hasArrow = false;
    r.arrowTip = {hcx, hcy};
    r.bezier = straightCubic({tcx, tcy}, {hcx, hcy});
    return r;
}

FlatLayout layeredLayout(const FlatGraph& g, const LayoutSettings& s, const std::atomic<bool>* cancel)
{
    FlatLayout out;
    const int n = int(g.nodes.size());
    out.centers.assign(static_cast<size_t>(n), Point{});
    std::vector<double> w(static_cast<size_t>(n)), h(static_cast<size_t>(n));
    for (int v = 0; v < n; ++v) {
        w[size_t(v)] = g.nodes[size_t(v)].w;
        h[size_t(v)] = g.nodes[size_t(v)].h;
    }

    // 1-2. Acyclic orientation and ranks.
    Ranking ranking = rankNodes(g);
    if (isCancelled(cancel))
        return out;
    std::vector<int>& rank = ranking.rank;
    const std::vector<int>& discovery = ranking.discovery;
    const Csr& succ = ranking.succ;
    const Csr& pred = ranking.pred;
    std::vector<char> isolated(static_cast<size_t>(n), 0);
    int minRank = std::numeric_limits<int>::max(), maxRank = -1;
    for (int v = 0; v < n; ++v) {
        isolated[size_t(v)] = pred.degree(v) == 0 && succ.degree(v) == 0;
        if (!isolated[size_t(v)]) {
            minRank = std::min(minRank, rank[size_t(v)]);
            maxRank = std::max(maxRank, rank[size_t(v)]);
        }
    }
    const int rankCount = maxRank < 0 ? 0 : maxRank - minRank + 1;
    std::vector<std::vector<int>> ranks(static_cast<size_t>(rankCount));
    std::vector<int> byDiscovery(static_cast<size_t>(n));
    std::iota(byDiscovery.begin(), byDiscovery.end(), 0);
    std::sort(byDiscovery.begin(), byDiscovery.end(),
              [&](int a, int b) { return discovery[size_t(a)] < discovery[size_t(b)]; });
    for (int v : byDiscovery)
        if (!isolated[size_t(v)]) {
            rank[size_t(v)] -= minRank;
            ranks[size_t(rank[size_t(v)])].push_back(v);
        }

    // 3. Barycenter sweeps on normalised positions.
    std::vector<double> pos(static_cast<size_t>(n), 0.5);
    auto renumber = [&](const std::vector<int>& r) {
        for (size_t i = 0; i < r.size(); ++i)
            pos[size_t(r[i])] = (double(i) + 0.5) / double(r.size());
    };
    for (const auto& r : ranks)
        renumber(r);
    std::vector<double> bary(static_cast<size_t>(n), 0.0);
    auto sortRank = [&](std::vector<int>& r, const Csr& side) {
        for (int v : r) {
            auto [b, e] = side.of(v);
            if (b == e) {
                bary[size_t(v)] = pos[size_t(v)];
                continue;
            }
            double sum = 0;
            for (const int* p = b; p != e; ++p)
                sum += pos[size_t(*p)];
            bary[size_t(v)] = sum / double(e - b);
        }
        std::stable_sort(r.begin(), r.end(), [&](int a, int b) { return bary[size_t(a)] < bary[size_t(b)]; });
        renumber(r);
    };
    for (int sweep = 0; sweep < 3; ++sweep) {
        if (isCancelled(cancel))
            return out;
        if (sweep % 2 == 0) {
            for (int r = 1; r < rankCount; ++r)
                sortRank(ranks[size_t(r)], pred);
        } else {
            for (int r = rankCount - 2; r >= 0; --r)
                sortRank(ranks[size_t(r)], succ);
        }
    }

    // 4. Wrap wide ranks into rows; isolated nodes form rows after the last rank.
    double area = 0, widest = 0;
    for (int v = 0; v < n; ++v) {
        area += (w[size_t(v)] + s.nodeSep) * (h[size_t(v)] + s.rankSep);
        widest = std::max(widest, w[size_t(v)]);
    }
    const double widthLimit = std::max(widest, std::sqrt(area * 1.6));
    std::vector<std::vector<int>> rows;
    auto wrap = [&](const std::vector<int>& r) {
        double total = 0;
        for (int v : r)
            total += w[size_t(v)] + s.nodeSep;
        const double pieces = std::ceil(total / widthLimit);
        const double target = total / std::max(1.0, pieces);
        rows.emplace_back();
        double used = 0;
        for (int v : r) {
            const double add = w[size_t(v)] + s.nodeSep;
            if (!rows.back().empty() && used + add > target * 1.0001 + 1e-9 && used > 0) {
                rows.emplace_back();
                used = 0;
            }
            rows.back().push_back(v);
            used += add;
        }
    };
    for (const auto& r : ranks)
        wrap(r);
    std::vector<int> loners;
    for (int v = 0; v < n; ++v)
        if (isolated[size_t(v)])
            loners.push_back(v);
    if (!loners.empty())
        wrap(loners);
    std::vector<int> rowOf(static_cast<size_t>(n), 0);
    for (size_t r = 0; r < rows.size(); ++r)
        for (int v : rows[r])
            rowOf[size_t(v)] = int(r);

    // 5. x by isotonic regression towards the neighbours' mean, y by stacking rows.
    std::vector<double> x(static_cast<size_t>(n), 0.0), desired(static_cast<size_t>(n), 0.0);
    for (const auto& row : rows) {
        double total = 0;
        for (int v : row)
            total += w[size_t(v)] + s.nodeSep;
        double cursor = -total / 2;
        for (int v : row) {
            x[size_t(v)] = cursor + w[size_t(v)] / 2;
            cursor += w[size_t(v)] + s.nodeSep;
        }
    }
    auto placeRow = [&](const std::vector<int>& row, const Csr& side) {
        for (int v : row) {
            auto [b, e] = side.of(v);
            if (b == e) {
                desired[size_t(v)] = x[size_t(v)];
                continue;
            }
            double sum = 0;
            for (const int* p = b; p != e; ++p)
                sum += x[size_t(*p)];
            desired[size_t(v)] = sum / double(e - b);
        }
        isotonicPlace(row, w, desired, s.nodeSep, x);
    };
    for (size_t r = 1; r < rows.size(); ++r)
        placeRow(rows[r], pred);
    if (isCancelled(cancel))
        return out;
    for (size_t r = rows.size(); r-- > 0;)
        placeRow(rows[r], succ);

    std::vector<double> rowY(rows.size(), 0.0);
    double cursor = 0;
    for (size_t r = 0; r < rows.size(); ++r) {
        double tallest = 0;
        for (int v : rows[r])
            tallest = std::max(tallest, h[size_t(v)]);
        rowY[r] = cursor + tallest / 2;
        cursor += tallest + s.rankSep;
    }
    const double totalHeight = rows.empty() ? 0 : cursor - s.rankSep;
    for (int v = 0; v < n; ++v) {
        double y = rowY[size_t(rowOf[size_t(v)])];
        if (s.rankDir == RankDir::BottomToTop)
            y = totalHeight - y;
        out.centers[size_t(v)] = {x[size_t(v)], y};
    }

    // 6. Edges, then normalise everything to a (0,0) top-left including curves.
    auto rectOf = [&](int v) {
        const Point c = out.centers[size_t(v)];
        return Rect{c.x - w[size_t(v)] / 2, c.y - h[size_t(v)] / 2, w[size_t(v)], h[size_t(v)]};
    };
    out.routes.reserve(g.edges.size());
    for (const FlatEdge& e : g.edges)
        out.routes.push_back(routeBetween(rectOf(e.from), rectOf(e.to), e.from == e.to));
    double minX = std::numeric_limits<double>::infinity(), minY = minX;
    double maxX = -minX, maxY = -minX;
    for (int v = 0; v < n; ++v) {
        const Rect r = rectOf(v);
        minX = std::min(minX, r.x);
        minY = std::min(minY, r.y);
        maxX = std::max(maxX, r.x + r.w);
        maxY = std::max(maxY, r.y + r.h);
    }
    for (const FlatRoute& r : out.routes)
        for (const Point& p : r.bezier) {
            minX = std::min(minX, p.x);
            minY = std::min(minY, p.y);
            maxX = std::max(maxX, p.x);
            maxY = std::max(maxY, p.y);
        }
    if (n == 0)
        minX = minY = maxX = maxY = 0;
    for (Point& c : out.centers)
        c = {c.x - minX, c.y - minY};
    for (FlatRoute& r : out.routes) {
        for (Point& p : r.bezier)
            p = {p.x - minX, p.y - minY};
        r.arrowTip = {r.arrowTip.x - minX, r.arrowTip.y - minY};
    }
    out.width = maxX - minX;
    out.height = maxY - minY;
    out.ok = true;
    return out;
}

} // namespace scopeviz::layout::detail
