#pragma once
// ScopeTree: the scope hierarchy of any graph (engine-built or imported),
// built once from the op names and handed to the GUI as an immutable snapshot
// (std::shared_ptr<const ScopeTree>). It never refers back to the Graph.
//
// What it holds:
//  * scopes: one node per `/`-separated name prefix, with kind (name scope or
//    variable scope), children in creation order, op counts;
//  * items: the children of a scope, a mix of child scopes and op leaves;
//  * aggregated edges between siblings (the edges of every expansion state,
//    see scope_tree.cpp);
//  * the shared-variable analysis (shared_variables.h), the series
//    (series.h) and the auxiliary marks (auxiliary.h).
//
// Anchor rule. TensorFlow freely gives an op the name of a scope: the
// VariableV2 op `my_net/weights` is also the scope of `my_net/weights/Assign`,
// `my_net/weights/read` and `my_net/weights/Initializer/...`. The scope node
// stands for both: the op is the scope's *anchor*. It is not a sibling leaf
// next to the scope; it lives inside the scope as its own item (first among
// equals, in creation order). Collapsed, the scope box carries the anchor's
// edges; expanded, the anchor is drawn as a leaf inside the frame, like
// TensorBoard does. So every op has exactly one place: an op leaf in its
// container scope, where the container of an anchor is the scope it anchors.
//
// Names. Empty components (`a//b`, a leading or trailing `/`) are dropped,
// with a warning: `a//b/` is placed as `a/b`. An empty name is an op leaf at
// the root labelled "(unnamed)".
#include "core/graph/graph.h"
#include "core/hierarchy/auxiliary.h"
#include "core/hierarchy/hierarchy_types.h"
#include "core/hierarchy/series.h"
#include "core/hierarchy/shared_variables.h"
#include "core/tensor/dtype.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace scopeviz::hierarchy {

/// An aggregated edge between two items of the same scope.
struct AggregatedEdge {
    /// The scope whose items are connected (the lowest common ancestor of the op edges).
    ScopeId parent = RootScope;
    /// Tail item (child of `parent`).
    Item from;
    /// Head item (child of `parent`).
    Item to;
    /// Merged statistics.
    EdgeStats stats;
};

/// One scope node.
struct ScopeNode {
    /// Own index.
    ScopeId id = RootScope;
    /// Parent scope, -1 for the root.
    ScopeId parent = -1;
    /// 0 for the root, 1 for top-level scopes, ...
    int32_t depth = 0;
    /// Name scope or variable scope.
    ScopeKind kind = ScopeKind::Name;
    /// The op whose name equals this scope's path (see the anchor rule), or -1.
    OpId anchor = -1;
    /// Smallest op id in the subtree (children are ordered by it).
    OpId firstOp = -1;
    /// Ops in the subtree, including the anchor.
    int32_t descendantOps = 0;
    /// Children in creation order of their first op: child scopes and op leaves (the anchor included).
    std::vector<Item> items;
    /// Child scopes only, in creation order.
    std::vector<ScopeId> children;
    /// Op leaves only (anchor included), in creation order.
    std::vector<OpId> ops;
    /// Index into ScopeTree::variables() when the anchor is a variable op, else -1.
    int32_t variable = -1;
    /// Index into ScopeTree::series() when this scope is a series member, else -1.
    int32_t series = -1;
    /// First index into ScopeTree::edges() of the edges between this scope's items.
    int32_t edgeBegin = 0;
    /// One past the last such index.
    int32_t edgeEnd = 0;
    /// Offset of the path in the tree's name storage (use ScopeTree::path()).
    uint32_t pathOffset = 0;
    /// Length of the path.
    uint32_t pathLength = 0;
    /// Offset of the last component within the name storage.
    uint32_t nameOffset = 0;
};

/// Options of buildScopeTree.
struct HierarchyOptions {
    /// Series detection (threshold and which items may form series).
    SeriesOptions series;
    /// Rules that move items to a scope's auxiliary side area.
    AuxiliaryRules auxiliary;
    /// At most this many warnings are kept (the rest are counted in one line).
    int maxWarnings = 100;
};

/// The scope hierarchy of one graph: immutable once built.
class ScopeTree {
public:
    /// An empty tree; buildScopeTree fills it.
    ScopeTree();
    ~ScopeTree();
    ScopeTree(const ScopeTree&) = delete;
    ScopeTree& operator=(const ScopeTree&) = delete;

    // ---- scopes -----------------------------------------------------------
    /// Number of scope nodes (the root included).
    int numScopes() const { return int(m_scopes.size()); }
    /// A scope node; 0 is the root.
    const ScopeNode& scope(ScopeId id) const { return m_scopes[size_t(id)]; }
    /// Full path without a trailing '/', e.g. "my_net/weights"; "" for the root.
    std::string_view path(ScopeId id) const;
    /// Last path component, e.g. "weights"; "" for the root.
    std::string_view name(ScopeId id) const;
    /// The scope with this path (a trailing '/' and empty components are ignored), or -1.
    ScopeId findScope(std::string_view path) const;
    /// True when `ancestor` is `s` or one of its ancestors.
    bool isAncestorOrSelf(ScopeId ancestor, ScopeId s) const;
    /// The scope's in-edges among its siblings (indices into edges()).
    std::span<const int32_t> inEdges(ScopeId id) const;
    /// The scope's out-edges among its siblings (indices into edges()).
    std::span<const int32_t> outEdges(ScopeId id) const;

    // ---- ops --------------------------------------------------------------
    /// Number of ops of the graph the tree was built from.
    int numOps() const { return int(m_opParent.size()); }
    /// The op's name as placed (empty components dropped).
    std::string_view opName(OpId op) const;
    /// The op's label inside its container: its last name component, or "(unnamed)".
    std::string_view opLabel(OpId op) const;
    /// The op's type, e.g. "MatMul".
    const std::string& opType(OpId op) const { return m_typeNames[size_t(m_opType[size_t(op)])]; }
    /// Interned type index of an op (equal types, equal indices).
    int32_t opTypeIndex(OpId op) const { return m_opType[size_t(op)]; }
    /// The scope whose item the op is: its name scope, or the scope it anchors.
    ScopeId opParent(OpId op) const { return m_opParent[size_t(op)]; }
    /// The scope named by the op's name without its last component (differs from opParent for anchors).
    ScopeId opEnclosingScope(OpId op) const;
    /// True when the op anchors a scope (its name is also a scope's path).
    bool isAnchor(OpId op) const { return scope(opParent(op)).anchor == op; }
    /// Index into variables() when the op is a variable op, else -1.
    int32_t variableOfOp(OpId op) const;
    /// Index into series() when the op leaf is a series member, else -1.
    int32_t seriesOfOp(OpId op) const;

    // ---- items ------------------------------------------------------------
    /// Display name of an item (scope name or op label).
    std::string_view itemName(Item item) const;
    /// Ops represented by an item (1 for an op leaf).
    int32_t itemOpCount(Item item) const;
    /// The scope containing an item.
    ScopeId itemParent(Item item) const;
    /// Series of an item, or -1.
    int32_t seriesOf(Item item) const;
    /// Why an item is auxiliary by the rules ("" when it is not).
    std::string_view auxiliaryReason(Item item) const;

    // ---- edges, variables, series -----------------------------------------
    /// All aggregated sibling edges, grouped by parent scope (see ScopeNode::edgeBegin).
    const std::vector<AggregatedEdge>& edges() const { return m_edges; }
    /// The aggregated edges between the items of one scope.
    std::span<const AggregatedEdge> edgesIn(ScopeId id) const;
    /// Variable ops with their owner and users (shared_variables.h).
    const std::vector<VariableRecord>& variables() const { return m_variables; }
    /// The forward-computation ops that read a variable (index into variables()), in op order: the reads
    /// the sharing verdict counts (shared_variables.cpp). Empty for an index out of range.
    std::span<const OpId> variableReaders(int32_t variable) const;
    /// Series of similar siblings (series.h).
    const std::vector<Series>& series() const { return m_series; }
    /// Number of variables marked shared.
    int numSharedVariables() const;

    // ---- about the build ----------------------------------------------------
    /// Options the tree was built with.
    const HierarchyOptions& options() const { return m_options; }
    /// True when the graph had a reuse trace (engine-built), so variable sharing comes from it.
    bool hasTrace() const { return m_hasTrace; }
    /// Bad input met while building (odd names, edges to missing ops), capped.
    const std::vector<std::string>& warnings() const { return m_warnings; }
    /// Seconds spent in buildScopeTree.
    double buildSeconds() const { return m_buildSeconds; }
    /// Seconds per build phase ("structure", "edges", "variables", "series", "auxiliary"), for benchmarks.
    const std::vector<std::pair<std::string, double>>& phaseSeconds() const { return m_phases; }

private:
    friend std::shared_ptr<const ScopeTree> buildScopeTree(const Graph& g, const HierarchyOptions& options);
    friend class detail::TreeBuilder;

    HierarchyOptions m_options;
    std::string m_names;                    // normalized op names, concatenated
    std::vector<uint32_t> m_opNameOffset;   // per op
    std::vector<uint32_t> m_opNameLength;   // per op
    std::vector<uint32_t> m_opLabelOffset;  // per op: offset of the last component
    std::vector<int32_t> m_opType;          // per op: index into m_typeNames
    std::vector<ScopeId> m_opParent;        // per op
    std::vector<int32_t> m_opVariable;      // per op, -1
    std::vector<int32_t> m_opSeries;        // per op, -1
    std::vector<int32_t> m_opAux;           // per op: index into m_auxReasons, -1
    std::vector<int32_t> m_scopeAux;        // per scope: index into m_auxReasons, -1
    std::vector<std::string> m_typeNames;
    std::vector<ScopeNode> m_scopes;
    std::vector<AggregatedEdge> m_edges;
    std::vector<int32_t> m_inOffsets, m_inIndex, m_outOffsets, m_outIndex; // CSR per scope
    std::vector<VariableRecord> m_variables;
    std::vector<int32_t> m_readerOffsets;   // CSR over m_variables: forward readers
    std::vector<OpId> m_readers;
    std::vector<Series> m_series;
    std::vector<std::string> m_auxReasons;
    std::vector<std::string> m_warnings;
    // Open-addressing index of child scopes by (parent, name); a slot holds the hash and the
    // child's id, the name is compared through the child's own name. Size is a power of two.
    struct ChildSlot {
        uint64_t hash = 0;
        ScopeId parent = -1;
        ScopeId id = -1;
    };
    std::vector<ChildSlot> m_childSlots;
    size_t m_childCount = 0;
    static uint64_t childHash(ScopeId parent, std::string_view name);
    ScopeId findChild(ScopeId parent, std::string_view name, uint64_t hash) const;
    void insertChild(ScopeId parent, uint64_t hash, ScopeId id);
    int m_droppedWarnings = 0;
    bool m_hasTrace = false;
    double m_buildSeconds = 0;
    std::vector<std::pair<std::string, double>> m_phases;
};

/// Builds the scope tree of `g` with the shared-variable analysis, series and auxiliary marks.
/// Never throws on odd input: problems become warnings().
std::shared_ptr<const ScopeTree> buildScopeTree(const Graph& g, const HierarchyOptions& options = {});

} // namespace scopeviz::hierarchy
