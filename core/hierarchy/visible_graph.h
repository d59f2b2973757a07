#pragma once
// The visible graph of one expansion state: which boxes are drawn (collapsed
// scopes, op leaves, series, auxiliary side areas), which of them are open
// frames (clusters), and the aggregated edges between them. It is what the
// GUI draws and what layout_bridge.h turns into a layout::LayoutRequest.
// The algorithm is described at the top of visible_graph.cpp.
#include "core/hierarchy/scope_tree.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace scopeviz::hierarchy {

/// What a visible node shows.
enum class NodeKind : uint8_t {
    Scope = 1,   ///< a scope, collapsed (box) or expanded (frame)
    Op = 2,      ///< an op leaf (a scope's anchor op included)
    Series = 3,  ///< a series of similar siblings, collapsed or expanded
    AuxArea = 4, ///< the auxiliary side area of an expanded scope (always a frame)
};

/// Stable id of a visible node across expansion states; also the layout id.
using NodeKey = uint64_t;

/// Key of a node: kind in the top byte, id below.
constexpr NodeKey makeKey(NodeKind kind, uint32_t id) { return (uint64_t(kind) << 56) | id; }
/// The kind encoded in a key.
constexpr NodeKind keyKind(NodeKey key) { return NodeKind(uint8_t(key >> 56)); }
/// The id encoded in a key (ScopeId, OpId, Item::packed() of a series' first member, ScopeId of an aux area).
constexpr uint32_t keyId(NodeKey key) { return uint32_t(key & 0xFFFFFFFFull); }
/// Key of a scope.
constexpr NodeKey scopeKey(ScopeId s) { return makeKey(NodeKind::Scope, uint32_t(s)); }
/// Key of an op leaf.
constexpr NodeKey opKey(OpId op) { return makeKey(NodeKind::Op, uint32_t(op)); }
/// Key of a scope's auxiliary area.
constexpr NodeKey auxAreaKey(ScopeId s) { return makeKey(NodeKind::AuxArea, uint32_t(s)); }
/// Key of an item (scope or op leaf).
inline NodeKey itemKey(Item it) { return it.isScope() ? scopeKey(it.id) : opKey(it.id); }
/// Key of a series (stable while its first member stays first).
NodeKey seriesKey(const ScopeTree& tree, int32_t series);

/// What the user opened, ungrouped and moved: the input of buildVisibleGraph.
struct ExpansionState {
    /// Expanded scopes and series (keys); the root is always expanded.
    std::unordered_set<NodeKey> expanded;
    /// Series drawn as their separate members (series keys).
    std::unordered_set<NodeKey> ungrouped;
    /// Per-item overrides of the auxiliary rules (scope, op or series keys).
    std::unordered_map<NodeKey, AuxPlacement> auxiliary;

    /// Expands one scope.
    void expand(ScopeId s) { expanded.insert(scopeKey(s)); }
    /// Collapses one scope (its descendants keep their state for when it opens again).
    void collapse(ScopeId s) { expanded.erase(scopeKey(s)); }
    /// True when the scope is expanded (the root always is).
    bool isExpanded(ScopeId s) const { return s == RootScope || expanded.count(scopeKey(s)) > 0; }
    /// Expands a scope and every ancestor, and the series on the way, so that the scope is visible and open.
    void reveal(const ScopeTree& tree, ScopeId s);
    /// Everything expanded: every scope and every series.
    static ExpansionState all(const ScopeTree& tree);
};

/// One drawn node.
struct VisibleNode {
    /// Stable key (layout id).
    NodeKey key = 0;
    /// What it shows.
    NodeKind kind = NodeKind::Scope;
    /// ScopeId, OpId, series index, or for AuxArea the scope whose side area it is.
    int32_t id = -1;
    /// Index of the enclosing frame in VisibleGraph::nodes(), -1 for the root.
    int32_t parent = -1;
    /// 0 for the root frame.
    int32_t depth = 0;
    /// True when drawn as a frame with its children inside.
    bool expanded = false;
    /// True when it sits in an auxiliary side area.
    bool auxiliary = false;
    /// Why it was moved aside (rule explanation or ForcedAuxReason); empty otherwise.
    std::string_view auxReason;
    /// Text to draw (scope name, op label, series label, "auxiliary").
    std::string_view label;
    /// Ops it stands for.
    int32_t opCount = 0;
    /// Frames: children in drawing order (creation order, series at their first member, side area last).
    std::vector<int32_t> children;
    /// Frames: index into LayoutRequest::clusters (preorder); -1 for boxes.
    int32_t cluster = -1;
};

/// One drawn edge between two children of the same frame.
struct VisibleEdge {
    /// Tail node index (for an auxiliary edge, the item inside the side area rather than the area).
    int32_t from = -1;
    /// Head node index (same rule).
    int32_t to = -1;
    /// The frame both ends are children of.
    int32_t owner = -1;
    /// Merged statistics of every op-level edge it stands for.
    EdgeStats stats;
    /// True when it links the main area to the side area: drawn as a stub, not laid out.
    bool auxiliary = false;
};

/// The drawn graph of one expansion state. Refers to the tree's strings: keep the tree alive.
class VisibleGraph {
public:
    /// Nodes; nodes()[0] is the root frame.
    const std::vector<VisibleNode>& nodes() const { return m_nodes; }
    /// Edges, in building order (frame by frame).
    const std::vector<VisibleEdge>& edges() const { return m_edges; }
    /// The node with this key (a layout box id), or -1.
    int32_t find(NodeKey key) const;
    /// The visible node that shows an item: itself, or its collapsed series or ancestor.
    int32_t nodeShowing(Item item) const;
    /// The visible node that shows an op.
    int32_t nodeShowingOp(OpId op) const { return nodeShowing(Item{Item::Kind::Op, op}); }
    /// Number of frames (LayoutRequest clusters).
    int32_t numClusters() const { return m_numClusters; }
    /// The tree it was built from.
    const ScopeTree& tree() const { return *m_tree; }

private:
    friend VisibleGraph buildVisibleGraph(const ScopeTree& tree, const ExpansionState& state);
    const ScopeTree* m_tree = nullptr;
    std::vector<VisibleNode> m_nodes;
    std::vector<VisibleEdge> m_edges;
    std::unordered_map<NodeKey, int32_t> m_byKey;
    int32_t m_numClusters = 0;
};

/// Builds the visible graph of `state`. Linear in the visible items and the edges of the open frames.
VisibleGraph buildVisibleGraph(const ScopeTree& tree, const ExpansionState& state);

} // namespace scopeviz::hierarchy
