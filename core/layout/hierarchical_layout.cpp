// Hierarchical layout: every expanded scope laid out on its own, then composed.
//
// Laying out the whole visible graph in one dot call (with dot's own cluster
// subgraphs) is what makes big TensorFlow graphs unusable: dot's cost grows
// much faster than linearly, Graphviz 2.42 collapses ranks of clusters
// (docs/toolchain.md §5-6), and any click re-lays out everything, so the picture
// jumps. Instead we follow TensorBoard: each expanded cluster is a small flat
// graph of its direct children, and a child scope is just a box whose size
// comes from its own layout.
//
// Pass 1 (bottom-up). Clusters are visited children first. A leaf's size comes
// from the request; an expanded child's size is the box its own layout needs.
// With the sizes known, a cluster is laid out by dot (DotContext) or, when it
// has more than maxDotChildren children or maxDotEdges edges, or its long
// edges would make dot build more than maxDotWork nodes and bends (dot's time
// follows that, not the child count), by the linear layered fallback. The result is stored relative to the cluster's own
// top-left corner: positions of children, edge curves, and the box size
// (content plus paddingTop/padding, at least minWidth/minHeight).
//
// Pass 2 (top-down). Starting from the root at (0,0) each child's relative
// position is added to its cluster's origin, giving absolute boxes and curves.
// This is linear in the number of visible boxes and edges.
//
// Cache. A cluster's layout depends only on its children (ids, order), its
// edges, its paddings, the children's sizes and the settings. All of this is
// hashed (in O(children + edges), much cheaper than any layout) into a full
// key; the builder's contentHash is mixed in but not trusted alone. A hit
// reuses the stored relative layout unchanged. Expanding one scope changes
// only its own content and the sizes along the path to the root, so only that
// scope and its ancestors are laid out again; everything else is a hit.
// Collapsing it again restores the old sizes, so every cluster is a hit and
// the drawing comes back exactly. Entries are dropped least recently used
// first beyond LayoutSettings::cacheCapacity.
//
// Stability. Untouched clusters are cache hits, so their insides do not move
// at all. An ancestor of the expanded scope is laid out again with the same
// children and edges, only one child bigger; dot's ranks and order do not
// depend on sizes (see dot_layout.cpp), so its siblings keep their rank and
// their left-to-right order, but dot re-centres rows and they still jumped by
// many times their size. So when the request gives an expanded child's
// collapsed size (LayoutNodeInput::collapsedWidth/Height) or pins a child, the
// cluster is laid out with its expanded children collapsed (the reference:
// the picture before the expansion, usually a cache hit), and grow_in_place.cpp
// grows the expanded children around their collapsed places, puts pinned
// children at their pins and pushes apart only what is in the way. That step
// is a pure function of the reference, sizes and pins, so collapsing returns
// every box exactly. Without collapsed sizes the cluster is laid out afresh
// from its final sizes, as before.
//
// Robustness. Bad input never stops the layout: edges naming unknown ids are
// dropped, duplicate ids attach edges to the first of them, invalid sizes are
// replaced, a cluster index used twice (or a cycle of clusters) is drawn as a
// plain box, and each case leaves a warning naming the cluster id. The cluster
// tree is walked with explicit stacks so deep nesting cannot overflow the
// call stack.
#include "core/layout/hierarchical_layout.h"

#include "core/layout/dot_layout.h"
#include "core/layout/grow_in_place.h"
#include "core/layout/layered_fallback.h"
#include "core/util/strings.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>

namespace scopeviz::layout::detail {

namespace {

constexpr double MaxSize = 1e6;
constexpr size_t MaxWarnings = 200;

uint64_t mix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

/// Order-dependent 64-bit hash of a sequence of values.
struct Hasher {
    uint64_t h = 0x243F6A8885A308D3ull;
    void add(uint64_t v) { h = mix(h ^ mix(v)); }
    void add(double v) { add(std::bit_cast<uint64_t>(v == 0 ? 0.0 : v)); }
    void add(int v) { add(uint64_t(int64_t(v))); }
    void add(bool v) { add(uint64_t(v ? 1 : 2)); }
};

double sanitizeExtent(double v, double replacement, bool& bad)
{
    if (!std::isfinite(v) || v <= 0) {
        bad = true;
        return replacement;
    }
    if (v > MaxSize) {
        bad = true;
        return MaxSize;
    }
    return v;
}

double sanitizePadding(double v)
{
    if (!std::isfinite(v) || v < 0)
        return 0;
    return std::min(v, 1e4);
}

double sanitizeMinimum(double v)
{
    if (!std::isfinite(v) || v < 0)
        return 0;
    return std::min(v, MaxSize);
}

int sanitizeWeight(double w)
{
    if (!std::isfinite(w))
        return 1;
    return int(std::lround(std::clamp(w, 0.0, 100.0)));
}

/// Keeps the first few occurrences of a kind of warning and counts the rest.
class WarningSink {
public:
    WarningSink(std::vector<std::string>& out, std::string prefix) : m_out(out), m_prefix(std::move(prefix)) {}
    ~WarningSink()
    {
        if (m_dropped > 0)
            m_out.push_back(cat(m_prefix, "... and ", m_dropped, " more problems of this kind"));
    }
    void add(const std::string& text)
    {
        if (m_kept < 5) {
            m_out.push_back(m_prefix + text);
            ++m_kept;
        } else {
            ++m_dropped;
        }
    }

private:
    std::vector<std::string>& m_out;
    std::string m_prefix;
    int m_kept = 0;
    int m_dropped = 0;
};

void appendWarning(LayoutResult& result, const std::string& text, size_t& dropped)
{
    if (result.warnings.size() < MaxWarnings)
        result.warnings.push_back(text);
    else
        ++dropped;
}

} // namespace

HierarchicalLayouter::HierarchicalLayouter(LayoutSettings settings)
{
    setSettings(settings);
}

HierarchicalLayouter::~HierarchicalLayouter() = default;

void HierarchicalLayouter::clearCache()
{
    m_cache.clear();
}

void HierarchicalLayouter::setSettings(const LayoutSettings& settings)
{
    m_settings = settings;
    LayoutSettings& s = m_settings;
    if (!std::isfinite(s.nodeSep) || s.nodeSep < 0)
        s.nodeSep = 18;
    if (!std::isfinite(s.rankSep) || s.rankSep < 0)
        s.rankSep = 28;
    if (!std::isfinite(s.invalidSizeReplacement) || s.invalidSizeReplacement <= 0)
        s.invalidSizeReplacement = 16;
    s.cacheCapacity = std::max(s.cacheCapacity, 16);
    Hasher h;
    h.add(int(s.rankDir));
    h.add(s.nodeSep);
    h.add(s.rankSep);
    h.add(s.maxDotChildren);
    h.add(s.maxDotEdges);
    h.add(uint64_t(s.maxDotWork));
    m_settingsHash = h.h;
    clearCache();
}

void HierarchicalLayouter::evictIfNeeded()
{
    const size_t capacity = size_t(m_settings.cacheCapacity);
    if (m_cache.size() <= capacity)
        return;
    // Drop the least recently used quarter in one go so eviction stays amortised O(1).
    std::vector<uint64_t> uses;
    uses.reserve(m_cache.size());
    for (const auto& [key, entry] : m_cache)
        uses.push_back(entry.lastUse);
    const size_t drop = m_cache.size() - capacity * 3 / 4;
    std::nth_element(uses.begin(), uses.begin() + long(drop - 1), uses.end());
    const uint64_t cutoff = uses[drop - 1];
    for (auto it = m_cache.begin(); it != m_cache.end();)
        it = it->second.lastUse <= cutoff ? m_cache.erase(it) : std::next(it);
}

std::shared_ptr<const ClusterLayout> HierarchicalLayouter::layoutCluster(const LayoutClusterInput& cluster,
                                                                         const std::vector<Rect>& sizes,
                                                                         uint64_t structureKey,
                                                                         const std::atomic<bool>* cancel)
{
    auto layout = std::make_shared<ClusterLayout>();
    layout->structureKey = structureKey;
    const std::string prefix = cat("cluster ", cluster.id, ": ");
    const size_t n = cluster.children.size();

    // Children and edges by index; duplicate ids keep their boxes, edges use the first.
    FlatGraph graph;
    graph.nodes.resize(n);
    std::unordered_map<uint64_t, int> index;
    index.reserve(n * 2);
    {
        WarningSink dup(layout->warnings, prefix);
        for (size_t i = 0; i < n; ++i) {
            graph.nodes[i].w = sizes[i].w;
            graph.nodes[i].h = sizes[i].h;
            if (!index.emplace(cluster.children[i].id, int(i)).second)
                dup.add(cat("duplicate child id ", cluster.children[i].id, "; edges attach to its first box"));
        }
    }
    {
        WarningSink bad(layout->warnings, prefix);
        for (size_t k = 0; k < cluster.edges.size(); ++k) {
            const LayoutEdgeInput& e = cluster.edges[k];
            const auto from = index.find(e.from), to = index.find(e.to);
            if (from == index.end() || to == index.end()) {
                bad.add(cat("edge ", e.from, " -> ", e.to, " dropped: no child with id ",
                            from == index.end() ? e.from : e.to));
                continue;
            }
            graph.edges.push_back({from->second, to->second, sanitizeWeight(e.weight), e.constraint});
            layout->edgeIndex.push_back(int(k));
        }
    }

    FlatLayout flat;
    if (n == 0) {
        flat.ok = true;
    } else if (n == 1 && graph.edges.empty()) {
        flat.ok = true;
        flat.width = graph.nodes[0].w;
        flat.height = graph.nodes[0].h;
        flat.centers = {{flat.width / 2, flat.height / 2}};
    } else {
        const bool tooBig = int(n) > m_settings.maxDotChildren || int(graph.edges.size()) > m_settings.maxDotEdges;
        // Long edges become chains of virtual nodes inside dot, and its cost follows them, not the
        // children: 200 children with 600 random edges spanning ~90 ranks took 50 s.
        const long long work = tooBig ? 0 : dotWorkEstimate(graph);
        const bool tooLong = work > m_settings.maxDotWork;
        if (!tooBig && !tooLong) {
            if (!m_dot)
                m_dot = std::make_unique<DotContext>();
            flat = m_dot->layout(graph, m_settings);
            for (const std::string& w : flat.warnings)
                layout->warnings.push_back(prefix + w);
            if (!flat.ok)
                layout->warnings.push_back(prefix + "dot failed; used the fast layered layout");
        } else if (tooLong) {
            layout->warnings.push_back(cat(prefix, n, " children with ", graph.edges.size(), " long edges (about ", work,
                                           " nodes and edge bends for dot, limit ", m_settings.maxDotWork,
                                           "); used the fast layered layout, edges may cross boxes"));
        } else {
            layout->warnings.push_back(cat(prefix, n, " children and ", graph.edges.size(),
                                           " edges exceed the dot limits (", m_settings.maxDotChildren, " / ",
                                           m_settings.maxDotEdges,
                                           "); used the fast layered layout, edges may cross boxes"));
        }
        if (!flat.ok) {
            flat = layeredLayout(graph, m_settings, cancel);
            layout->fallback = true;
            if (!flat.ok)
                return nullptr; // cancelled
        }
    }

    const double padding = sanitizePadding(cluster.padding);
    const double paddingTop = sanitizePadding(cluster.paddingTop);
    const double minWidth = sanitizeMinimum(cluster.minWidth);
    const double minHeight = sanitizeMinimum(cluster.minHeight);
    layout->width = std::max({minWidth, flat.width + 2 * padding, 1.0});
    layout->height = std::max({minHeight, flat.height + paddingTop + padding, 1.0});
    const double ox = padding + std::max(0.0, (layout->width - 2 * padding - flat.width) / 2);
    const double oy = paddingTop + std::max(0.0, (layout->height - paddingTop - padding - flat.height) / 2);

    layout->children.resize(n);
    for (size_t i = 0; i < n; ++i) {
        const Point c = flat.centers[i];
        layout->children[i] = {ox + c.x - sizes[i].w / 2, oy + c.y - sizes[i].h / 2, sizes[i].w, sizes[i].h};
    }
    layout->routes = std::move(flat.routes);
    for (FlatRoute& r : layout->routes) {
        for (Point& p : r.bezier)
            p = {p.x + ox, p.y + oy};
        r.arrowTip = {r.arrowTip.x + ox, r.arrowTip.y + oy};
    }
    return layout;
}

LayoutResult HierarchicalLayouter::run(const LayoutRequest& request, const std::atomic<bool>* cancel)
{
    const auto started = std::chrono::steady_clock::now();
    LayoutResult result;
    result.generation = request.generation;
    size_t droppedWarnings = 0;
    auto finish = [&]() {
        if (droppedWarnings > 0)
            result.warnings.push_back(cat("... and ", droppedWarnings, " more warnings"));
        result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return result;
    };
    auto cancelled = [&]() {
        LayoutResult c;
        c.generation = request.generation;
        c.cancelled = true;
        c.clustersLaidOut = result.clustersLaidOut;
        c.clustersFromCache = result.clustersFromCache;
        c.clustersFallback = result.clustersFallback;
        c.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return c;
    };

    const int clusterCount = int(request.clusters.size());
    if (request.root < 0 || request.root >= clusterCount) {
        result.warnings.push_back(cat("root cluster index ", request.root, " is out of range (", clusterCount,
                                      " clusters); nothing to lay out"));
        return finish();
    }
    ++m_tick;

    // Which child of which cluster is really expanded: each cluster index may be used once.
    std::vector<std::vector<int>> childCluster(static_cast<size_t>(clusterCount));
    std::vector<char> reached(static_cast<size_t>(clusterCount), 0);
    std::vector<int> preorder;
    {
        std::vector<int> stack{request.root};
        reached[size_t(request.root)] = 1;
        while (!stack.empty()) {
            const int c = stack.back();
            stack.pop_back();
            preorder.push_back(c);
            const LayoutClusterInput& in = request.clusters[size_t(c)];
            std::vector<int>& kids = childCluster[size_t(c)];
            kids.assign(in.children.size(), -1);
            for (size_t i = 0; i < in.children.size(); ++i) {
                const int k = in.children[i].cluster;
                if (k < 0)
                    continue;
                if (k >= clusterCount) {
                    appendWarning(result, cat("cluster ", in.id, ": child ", in.children[i].id, " names cluster index ",
                                              k, " which does not exist; drawn as a plain box"),
                                  droppedWarnings);
                } else if (reached[size_t(k)]) {
                    appendWarning(result, cat("cluster ", in.id, ": child ", in.children[i].id, " names cluster index ",
                                              k, " which is already placed elsewhere (or is an ancestor); drawn as a plain box"),
                                  droppedWarnings);
                } else {
                    reached[size_t(k)] = 1; // the first child naming a cluster gets it
                    kids[i] = k;
                }
            }
            for (size_t i = kids.size(); i-- > 0;)
                if (kids[i] >= 0)
                    stack.push_back(kids[i]);
        }
    }
    if (int(preorder.size()) < clusterCount)
        appendWarning(result, cat(clusterCount - int(preorder.size()), " clusters are not reachable from the root and are ignored"),
                      droppedWarnings);

    // Pass 1: bottom-up, children before parents (reverse pre-order).
    std::vector<std::shared_ptr<const ClusterLayout>> layouts(static_cast<size_t>(clusterCount));
    std::vector<Rect> sizes;
    for (auto it = preorder.rbegin(); it != preorder.rend(); ++it) {
        if (isCancelled(cancel))
            return cancelled();
        const int c = *it;
        const LayoutClusterInput& in = request.clusters[size_t(c)];
        const size_t n = in.children.size();
        sizes.assign(n, Rect{});
        int badSizes = 0;
        for (size_t i = 0; i < n; ++i) {
            const int k = childCluster[size_t(c)][i];
            if (k >= 0) {
                sizes[i].w = layouts[size_t(k)]->width;
                sizes[i].h = layouts[size_t(k)]->height;
            } else {
                bool bad = false;
                sizes[i].w = sanitizeExtent(in.children[i].width, m_settings.invalidSizeReplacement, bad);
                sizes[i].h = sanitizeExtent(in.children[i].height, m_settings.invalidSizeReplacement, bad);
                badSizes += bad ? 1 : 0;
            }
        }
        if (badSizes > 0)
            appendWarning(result, cat("cluster ", in.id, ": ", badSizes,
                                      " children have a zero, negative, huge or non-numeric size; replaced"),
                          droppedWarnings);

        // Grow in place (grow_in_place.cpp): an expanded child with a collapsed size, or a pinned child, makes
        // this cluster start from its reference layout (expanded children collapsed, no pins).
        std::vector<Rect> refSizes = sizes;
        std::vector<std::optional<Point>> pins;
        for (size_t i = 0; i < n; ++i) {
            const LayoutNodeInput& child = in.children[i];
            if (childCluster[size_t(c)][i] >= 0 && std::isfinite(child.collapsedWidth) && child.collapsedWidth > 0 &&
                std::isfinite(child.collapsedHeight) && child.collapsedHeight > 0) {
                refSizes[i].w = std::min(child.collapsedWidth, MaxSize);
                refSizes[i].h = std::min(child.collapsedHeight, MaxSize);
            }
            if (child.pinned && std::isfinite(child.pin.x) && std::isfinite(child.pin.y)) {
                pins.resize(n);
                pins[i] = Point{std::clamp(child.pin.x, -MaxSize, MaxSize), std::clamp(child.pin.y, -MaxSize, MaxSize)};
            }
        }
        bool grows = !pins.empty();
        for (size_t i = 0; i < n && !grows; ++i)
            grows = refSizes[i].w != sizes[i].w || refSizes[i].h != sizes[i].h;
        if (grows && n > MaxGrowInPlaceChildren) {
            if (!pins.empty())
                appendWarning(result, cat("cluster ", in.id, ": ", n, " children are too many to keep pins (limit ",
                                          MaxGrowInPlaceChildren, "); pins ignored"),
                              droppedWarnings);
            grows = false;
            pins.clear();
            refSizes = sizes;
        }

        Hasher structure;
        structure.add(in.id);
        structure.add(in.contentHash);
        structure.add(in.paddingTop);
        structure.add(in.padding);
        structure.add(in.minWidth);
        structure.add(in.minHeight);
        structure.add(uint64_t(n));
        for (const LayoutNodeInput& child : in.children)
            structure.add(child.id);
        structure.add(uint64_t(in.edges.size()));
        for (const LayoutEdgeInput& e : in.edges) {
            structure.add(e.from);
            structure.add(e.to);
            structure.add(e.weight);
            structure.add(e.constraint);
        }
        Hasher full;
        full.add(structure.h);
        full.add(m_settingsHash);
        for (const Rect& r : refSizes) {
            full.add(r.w);
            full.add(r.h);
        }

        std::shared_ptr<const ClusterLayout> layout;
        const auto hit = m_cache.find(full.h);
        if (hit != m_cache.end() && hit->second.layout->structureKey == structure.h) {
            hit->second.lastUse = m_tick;
            layout = hit->second.layout;
            ++result.clustersFromCache;
        } else {
            layout = layoutCluster(in, refSizes, structure.h, cancel);
            if (!layout)
                return cancelled();
            m_cache[full.h] = {layout, m_tick};
            ++result.clustersLaidOut;
        }
        if (grows) {
            GrowInput grow;
            grow.sizes = sizes;
            grow.pins = std::move(pins);
            grow.padding = sanitizePadding(in.padding);
            grow.paddingTop = sanitizePadding(in.paddingTop);
            grow.warningPrefix = cat("cluster ", in.id, ": ");
            std::unordered_map<uint64_t, int> index;
            index.reserve(n * 2);
            for (size_t i = 0; i < n; ++i)
                index.emplace(in.children[i].id, int(i));
            grow.ends.reserve(in.edges.size());
            for (const LayoutEdgeInput& e : in.edges) {
                const auto from = index.find(e.from), to = index.find(e.to);
                grow.ends.emplace_back(from == index.end() ? -1 : from->second, to == index.end() ? -1 : to->second);
            }
            layout = growInPlace(*layout, grow, m_settings);
        }
        if (layout->fallback)
            ++result.clustersFallback;
        for (const std::string& w : layout->warnings)
            appendWarning(result, w, droppedWarnings);
        layouts[size_t(c)] = std::move(layout);
    }
    if (isCancelled(cancel))
        return cancelled();

    // Pass 2: top-down composition of absolute boxes and curves.
    const ClusterLayout& rootLayout = *layouts[size_t(request.root)];
    result.bounds = {0, 0, rootLayout.width, rootLayout.height};
    result.boxes.push_back({request.clusters[size_t(request.root)].id, 0, 0, rootLayout.width, rootLayout.height,
                            true, 0, -1, request.root, rootLayout.origin});
    struct Pending {
        int cluster;
        int box;
    };
    std::vector<Pending> stack{{request.root, 0}};
    while (!stack.empty()) {
        const Pending p = stack.back();
        stack.pop_back();
        const LayoutClusterInput& in = request.clusters[size_t(p.cluster)];
        const ClusterLayout& layout = *layouts[size_t(p.cluster)];
        const NodeBox frame = result.boxes[size_t(p.box)];
        const size_t first = result.boxes.size();
        for (size_t i = 0; i < in.children.size(); ++i) {
            const Rect& r = layout.children[i];
            const int k = childCluster[size_t(p.cluster)][i];
            result.boxes.push_back({in.children[i].id, frame.x + r.x, frame.y + r.y, r.w, r.h, k >= 0,
                                    frame.depth + 1, p.box, k, k >= 0 ? layouts[size_t(k)]->origin : Point{}});
        }
        for (size_t i = in.children.size(); i-- > 0;)
            if (childCluster[size_t(p.cluster)][i] >= 0)
                stack.push_back({childCluster[size_t(p.cluster)][i], int(first + i)});
        for (size_t j = 0; j < layout.routes.size(); ++j) {
            const LayoutEdgeInput& e = in.edges[size_t(layout.edgeIndex[j])];
            const FlatRoute& r = layout.routes[j];
            EdgePath path;
            path.from = e.from;
            path.to = e.to;
            path.key = e.key;
            path.owner = p.box;
            path.bezier.reserve(r.bezier.size());
            for (const Point& q : r.bezier)
                path.bezier.push_back({frame.x + q.x, frame.y + q.y});
            path.arrowTip = {frame.x + r.arrowTip.x, frame.y + r.arrowTip.y};
            path.hasArrow = r.hasArrow;
            path.approximate = r.approximate;
            result.edges.push_back(std::move(path));
        }
    }
    evictIfNeeded();
    return finish();
}

} // namespace scopeviz::layout::detail
