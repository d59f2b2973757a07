// Building the visible graph of an expansion state.
//
// Frames are filled one at a time from a work list that starts with the
// root. For an expanded scope S every item of S gets a *display path*: the
// visible nodes from S's frame down to the item, at most three deep:
//
//     [side area]  [series]  item
//
// The side area is there when the item (or its series) is auxiliary by the
// rules or by the user's override; the series when the item belongs to a
// series that is not ungrouped; the item's own node only when its series is
// expanded (or it is in none). An expanded child scope is queued and filled
// the same way; a collapsed one is a box.
//
// Edges come from the tree's aggregated sibling edges of S only (the edges
// of every deeper level are charged to deeper scopes). For an edge a -> b,
// the first position where the display paths of a and b differ names the
// frame the edge is drawn in (S itself, the side area, or an expanded series)
// and its two ends; when one path is a prefix of the other the edge is inside
// a collapsed series and not drawn. Edges that land on the same pair of
// nodes are merged (counts, dtypes, sizes, flags). An edge between the main
// area and the side area is kept, flagged auxiliary, with its end at the item
// inside the side area; the GUI draws it as a stub and the layout ignores it.
//
// Cost: O(items of the open frames + their aggregated edges); nothing is
// done for the inside of collapsed scopes.
#include "core/hierarchy/visible_graph.h"

#include <algorithm>
#include <array>

namespace scopeviz::hierarchy {

NodeKey seriesKey(const ScopeTree& tree, int32_t series)
{
    return makeKey(NodeKind::Series, tree.series()[size_t(series)].members.front().packed());
}

void ExpansionState::reveal(const ScopeTree& tree, ScopeId s)
{
    for (ScopeId x = s; x > RootScope; x = tree.scope(x).parent) {
        expanded.insert(scopeKey(x));
        const int32_t ser = tree.scope(x).series;
        if (ser >= 0)
            expanded.insert(seriesKey(tree, ser));
    }
}

ExpansionState ExpansionState::all(const ScopeTree& tree)
{
    ExpansionState st;
    st.expanded.reserve(size_t(tree.numScopes()) + tree.series().size());
    for (ScopeId s = 1; s < tree.numScopes(); ++s)
        st.expanded.insert(scopeKey(s));
    for (size_t i = 0; i < tree.series().size(); ++i)
        st.expanded.insert(seriesKey(tree, int32_t(i)));
    return st;
}

int32_t VisibleGraph::find(NodeKey key) const
{
    const auto it = m_byKey.find(key);
    return it == m_byKey.end() ? -1 : it->second;
}

int32_t VisibleGraph::nodeShowing(Item item) const
{
    Item cur = item;
    for (;;) {
        const int32_t own = find(itemKey(cur));
        if (own >= 0)
            return own;
        const int32_t ser = m_tree->seriesOf(cur);
        if (ser >= 0) {
            const int32_t sn = find(seriesKey(*m_tree, ser));
            if (sn >= 0 && !m_nodes[size_t(sn)].expanded)
                return sn;
        }
        const ScopeId p = m_tree->itemParent(cur);
        if (p < 0)
            return 0;
        cur = Item{Item::Kind::Scope, p};
    }
}

namespace {

constexpr std::string_view AuxAreaLabel = "auxiliary";

struct DisplayPath {
    std::array<int32_t, 3> node{-1, -1, -1};
    int len = 0;
    void push(int32_t n) { node[size_t(len++)] = n; }
};

} // namespace

VisibleGraph buildVisibleGraph(const ScopeTree& tree, const ExpansionState& state)
{
    VisibleGraph vg;
    vg.m_tree = &tree;
    auto& nodes = vg.m_nodes;

    auto isExpanded = [&](NodeKey k) { return state.expanded.count(k) > 0; };
    auto addNode = [&](VisibleNode n, bool linkToParent) {
        const int32_t idx = int32_t(nodes.size());
        if (n.parent >= 0) {
            n.depth = nodes[size_t(n.parent)].depth + 1;
            if (linkToParent)
                nodes[size_t(n.parent)].children.push_back(idx);
        }
        vg.m_byKey.emplace(n.key, idx);
        nodes.push_back(std::move(n));
        return idx;
    };
    // (visible node, scope) pairs whose frames still need filling.
    std::vector<std::pair<int32_t, ScopeId>> work;
    auto addItemNode = [&](Item it, int32_t parent, bool aux, std::string_view reason) {
        VisibleNode n;
        n.key = itemKey(it);
        n.kind = it.isScope() ? NodeKind::Scope : NodeKind::Op;
        n.id = it.id;
        n.parent = parent;
        n.auxiliary = aux;
        n.auxReason = aux ? reason : std::string_view();
        n.label = tree.itemName(it);
        n.opCount = tree.itemOpCount(it);
        n.expanded = it.isScope() && isExpanded(n.key);
        const int32_t idx = addNode(std::move(n), true);
        if (it.isScope() && nodes[size_t(idx)].expanded)
            work.emplace_back(idx, it.id);
        return idx;
    };
    // Side-area placement of a display item: the user's override, else the rules.
    auto placement = [&](NodeKey key, std::string_view ruleReason, std::string_view& reason) {
        const auto it = state.auxiliary.find(key);
        const AuxPlacement p = it == state.auxiliary.end() ? AuxPlacement::Auto : it->second;
        if (p == AuxPlacement::ForceAux) {
            reason = ForcedAuxReason;
            return true;
        }
        if (p == AuxPlacement::ForceMain)
            return false;
        reason = ruleReason;
        return !ruleReason.empty();
    };

    VisibleNode root;
    root.key = scopeKey(RootScope);
    root.kind = NodeKind::Scope;
    root.id = RootScope;
    root.expanded = true;
    root.opCount = tree.numScopes() > 0 ? tree.scope(RootScope).descendantOps : 0;
    addNode(std::move(root), false);
    work.emplace_back(0, RootScope);

    std::vector<int32_t> posOfScope(size_t(tree.numScopes()), -1), posOfOp(size_t(tree.numOps()), -1);
    std::vector<DisplayPath> paths;
    std::unordered_map<int32_t, std::pair<int32_t, std::unordered_map<uint32_t, int32_t>>> seriesNodes;
    std::unordered_map<uint64_t, int32_t> edgeIndex;

    while (!work.empty()) {
        const int32_t x = work.back().first;
        const ScopeId S = work.back().second;
        work.pop_back();
        const ScopeNode& sn = tree.scope(S);
        const auto& items = sn.items;
        int32_t auxNode = -1;
        auto sideArea = [&]() {
            if (auxNode < 0) {
                VisibleNode a;
                a.key = auxAreaKey(S);
                a.kind = NodeKind::AuxArea;
                a.id = S;
                a.parent = x;
                a.expanded = true;
                a.label = AuxAreaLabel;
                auxNode = addNode(std::move(a), false); // linked last, after the main children
            }
            return auxNode;
        };
        seriesNodes.clear();
        paths.assign(items.size(), DisplayPath{});

        for (size_t i = 0; i < items.size(); ++i) {
            const Item it = items[i];
            (it.isScope() ? posOfScope[size_t(it.id)] : posOfOp[size_t(it.id)]) = int32_t(i);
            DisplayPath& path = paths[i];
            const bool anchor = it.isOp() && it.id == sn.anchor;
            const int32_t ser = tree.seriesOf(it);
            const NodeKey sk = ser >= 0 ? seriesKey(tree, ser) : 0;
            if (ser >= 0 && !state.ungrouped.count(sk)) {
                auto found = seriesNodes.find(ser);
                if (found == seriesNodes.end()) {
                    const Series& series = tree.series()[size_t(ser)];
                    // A series is auxiliary by the rules only when every member is.
                    std::string_view rule = tree.auxiliaryReason(series.members.front());
                    for (const Item& m : series.members)
                        if (tree.auxiliaryReason(m).empty())
                            rule = {};
                    std::string_view reason;
                    const bool aux = placement(sk, rule, reason);
                    VisibleNode n;
                    n.key = sk;
                    n.kind = NodeKind::Series;
                    n.id = ser;
                    n.parent = aux ? sideArea() : x;
                    n.auxiliary = aux;
                    n.auxReason = aux ? reason : std::string_view();
                    n.label = series.label;
                    n.opCount = series.opCount;
                    n.expanded = isExpanded(sk);
                    const int32_t sidx = addNode(std::move(n), true);
                    std::unordered_map<uint32_t, int32_t> members;
                    if (nodes[size_t(sidx)].expanded)
                        for (const Item& m : series.members)
                            members.emplace(m.packed(), addItemNode(m, sidx, false, {}));
                    found = seriesNodes.emplace(ser, std::make_pair(sidx, std::move(members))).first;
                }
                const int32_t sidx = found->second.first;
                if (nodes[size_t(sidx)].auxiliary)
                    path.push(auxNode);
                path.push(sidx);
                const auto m = found->second.second.find(it.packed());
                if (m != found->second.second.end())
                    path.push(m->second);
            } else {
                std::string_view reason;
                const bool aux = !anchor && placement(itemKey(it), tree.auxiliaryReason(it), reason);
                const int32_t parent = aux ? sideArea() : x;
                const int32_t idx = addItemNode(it, parent, aux, reason);
                if (aux)
                    path.push(auxNode);
                path.push(idx);
            }
        }
        if (auxNode >= 0)
            nodes[size_t(x)].children.push_back(auxNode);

        // Edges of this frame (and of its side area and expanded series).
        edgeIndex.clear();
        auto pos = [&](Item it) { return it.isScope() ? posOfScope[size_t(it.id)] : posOfOp[size_t(it.id)]; };
        for (const AggregatedEdge& e : tree.edgesIn(S)) {
            const int32_t pa = pos(e.from), pb = pos(e.to);
            if (pa < 0 || pb < 0)
                continue;
            const DisplayPath& f = paths[size_t(pa)];
            const DisplayPath& t = paths[size_t(pb)];
            int k = 0;
            while (k < f.len && k < t.len && f.node[size_t(k)] == t.node[size_t(k)])
                ++k;
            if (k == f.len || k == t.len)
                continue; // inside one collapsed node
            const int32_t owner = k == 0 ? x : f.node[size_t(k) - 1];
            int32_t from = f.node[size_t(k)], to = t.node[size_t(k)];
            const bool aux = k == 0 && auxNode >= 0 && ((from == auxNode) != (to == auxNode));
            if (aux) {
                if (from == auxNode && k + 1 < f.len)
                    from = f.node[size_t(k) + 1];
                if (to == auxNode && k + 1 < t.len)
                    to = t.node[size_t(k) + 1];
            }
            const uint64_t key = (uint64_t(uint32_t(from)) << 32) | uint32_t(to);
            auto [slot, inserted] = edgeIndex.try_emplace(key, int32_t(vg.m_edges.size()));
            if (inserted) {
                VisibleEdge ve;
                ve.from = from;
                ve.to = to;
                ve.owner = owner;
                ve.stats = e.stats;
                ve.auxiliary = aux;
                vg.m_edges.push_back(ve);
            } else {
                vg.m_edges[size_t(slot->second)].stats.merge(e.stats);
            }
        }
    }

    // Cluster indices in preorder (a frame before the frames inside it).
    std::vector<int32_t> stack{0};
    while (!stack.empty()) {
        const int32_t v = stack.back();
        stack.pop_back();
        VisibleNode& n = nodes[size_t(v)];
        if (!n.expanded)
            continue;
        n.cluster = vg.m_numClusters++;
        for (auto c = n.children.rbegin(); c != n.children.rend(); ++c)
            stack.push_back(*c);
    }
    return vg;
}

} // namespace scopeviz::hierarchy
