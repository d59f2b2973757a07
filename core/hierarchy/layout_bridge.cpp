#include "core/hierarchy/layout_bridge.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace scopeviz::hierarchy {

namespace {

int digits(int32_t v)
{
    int d = 1;
    while (v >= 10) {
        v /= 10;
        ++d;
    }
    return d;
}

} // namespace

layout::Point SizePolicy::boxSize(const VisibleNode& node) const
{
    double w = double(node.label.size()) * charWidth + labelPadding;
    double h = opHeight;
    switch (node.kind) {
    case NodeKind::Op:
        break;
    case NodeKind::Scope:
        w += double(digits(node.opCount)) * digitWidth + 8;
        h = scopeHeight;
        break;
    case NodeKind::Series:
        w += double(digits(node.opCount)) * digitWidth + 14;
        h = seriesHeight;
        break;
    case NodeKind::AuxArea:
        h = scopeHeight;
        break;
    }
    return {std::clamp(w, minWidth, maxWidth), h};
}

double SizePolicy::titleWidth(const VisibleNode& node) const
{
    return std::clamp(double(node.label.size()) * charWidth + labelPadding, minWidth, maxWidth);
}

layout::LayoutRequest toLayoutRequest(const VisibleGraph& graph, const SizePolicy& policy, uint64_t generation)
{
    layout::LayoutRequest req;
    req.generation = generation;
    req.root = 0;
    const auto& nodes = graph.nodes();
    req.clusters.resize(size_t(graph.numClusters()));
    for (const VisibleNode& n : nodes) {
        if (n.cluster < 0)
            continue;
        layout::LayoutClusterInput& c = req.clusters[size_t(n.cluster)];
        c.id = n.key;
        c.paddingTop = n.kind == NodeKind::AuxArea ? policy.framePaddingTop * 0.8 : policy.framePaddingTop;
        c.padding = policy.framePadding;
        c.minWidth = n.parent < 0 ? 0 : policy.titleWidth(n);
        c.children.reserve(n.children.size());
        for (int32_t ci : n.children) {
            const VisibleNode& child = nodes[size_t(ci)];
            layout::LayoutNodeInput in;
            in.id = child.key;
            if (child.cluster >= 0) {
                in.cluster = child.cluster;
                if (child.kind != NodeKind::AuxArea) { // an expanded scope or series grows around its collapsed box
                    const layout::Point sz = policy.boxSize(child);
                    in.collapsedWidth = sz.x;
                    in.collapsedHeight = sz.y;
                }
            } else {
                const layout::Point sz = policy.boxSize(child);
                in.width = sz.x;
                in.height = sz.y;
            }
            c.children.push_back(in);
        }
    }
    const auto& edges = graph.edges();
    for (size_t i = 0; i < edges.size(); ++i) {
        const VisibleEdge& e = edges[i];
        if (e.auxiliary || e.from == e.to)
            continue;
        const int32_t cl = nodes[size_t(e.owner)].cluster;
        if (cl < 0)
            continue;
        layout::LayoutEdgeInput in;
        in.from = nodes[size_t(e.from)].key;
        in.to = nodes[size_t(e.to)].key;
        in.key = uint64_t(i);
        in.weight = 1 + std::floor(std::log2(double(std::max(1, e.stats.count))));
        in.constraint = e.stats.hasData();
        req.clusters[size_t(cl)].edges.push_back(in);
    }
    return req;
}

StabilityFigures measureStability(const layout::LayoutResult& before, const layout::LayoutResult& after,
                                  NodeKey changed)
{
    StabilityFigures f;
    std::unordered_map<uint64_t, size_t> oldIndex;
    oldIndex.reserve(before.boxes.size());
    for (size_t i = 0; i < before.boxes.size(); ++i)
        oldIndex.emplace(before.boxes[i].id, i);
    std::vector<std::vector<size_t>> kids(after.boxes.size());
    size_t p = after.boxes.size();
    for (size_t i = 0; i < after.boxes.size(); ++i) {
        const int parent = after.boxes[i].parent;
        if (parent >= 0 && size_t(parent) < kids.size())
            kids[size_t(parent)].push_back(i);
        if (after.boxes[i].id == changed && p == after.boxes.size())
            p = i;
    }
    if (p == after.boxes.size() || !oldIndex.count(changed))
        return f;
    while (after.boxes[p].parent >= 0) {
        const size_t frame = size_t(after.boxes[p].parent);
        const layout::NodeBox& pa = after.boxes[p];
        const auto pit = oldIndex.find(pa.id);
        if (pit == oldIndex.end())
            break;
        const layout::NodeBox& pb = before.boxes[pit->second];
        const double growW = std::abs(pa.w - pb.w), growH = std::abs(pa.h - pb.h);
        for (size_t q : kids[frame]) {
            if (q == p)
                continue;
            const layout::NodeBox& qa = after.boxes[q];
            const auto qit = oldIndex.find(qa.id);
            if (qit == oldIndex.end())
                continue;
            const layout::NodeBox& qb = before.boxes[qit->second];
            const double dx = std::abs((qa.x - (pa.x + pa.w / 2)) - (qb.x - (pb.x + pb.w / 2)));
            const double dy = std::abs((qa.y - pa.y) - (qb.y - pb.y));
            const double w = std::max(qa.w, 1e-9), h = std::max(qa.h, 1e-9);
            f.maxRatio = std::max({f.maxRatio, dx / w, dy / h});
            f.maxExcessRatio = std::max({f.maxExcessRatio, std::max(0.0, dx - growW) / w, std::max(0.0, dy - growH) / h});
            f.movedLessThanSize += (dx < w && dy < h) ? 1 : 0;
            ++f.compared;
        }
        p = frame;
    }
    return f;
}

bool sameGeometry(const layout::LayoutResult& a, const layout::LayoutResult& b, double tolerance)
{
    if (a.boxes.size() != b.boxes.size())
        return false;
    std::unordered_map<uint64_t, size_t> index;
    index.reserve(b.boxes.size());
    for (size_t i = 0; i < b.boxes.size(); ++i)
        index.emplace(b.boxes[i].id, i);
    for (const layout::NodeBox& x : a.boxes) {
        const auto it = index.find(x.id);
        if (it == index.end())
            return false;
        const layout::NodeBox& y = b.boxes[it->second];
        if (std::abs(x.x - y.x) > tolerance || std::abs(x.y - y.y) > tolerance || std::abs(x.w - y.w) > tolerance ||
            std::abs(x.h - y.h) > tolerance)
            return false;
    }
    return true;
}

} // namespace scopeviz::hierarchy
