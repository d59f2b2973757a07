#pragma once
// VariableIndex: per-document answers to "which ops read this variable" and
// "is it shared", built once (on the loading thread) next to the scope tree,
// so that the graph view, the inspector and `--print-tree` ask one place and
// never scan the graph per hover or per selection. The rules are explained at
// the top of variable_index.cpp.
#include "core/graph/graph.h"
#include "core/hierarchy/hierarchy_types.h"
#include "core/hierarchy/shared_variables.h"

#include <memory>
#include <span>
#include <vector>

namespace scopeviz::hierarchy {

/// How one scope takes part in variable sharing.
struct ScopeSharing {
    /// Shared variables created inside the scope (its subtree).
    int32_t owns = 0;
    /// Shared variables created elsewhere that the scope's subtree reads or reuses.
    int32_t reuses = 0;
    /// Largest "used by N scopes" among those variables (the badge number).
    int32_t users = 0;
};

/// Readers, consumers and sharing of one graph's variables; immutable once built.
class VariableIndex {
public:
    /// Builds the index of `graph`, whose scope tree is `tree` (O(ops + edges)).
    static std::shared_ptr<const VariableIndex> build(const Graph& graph, std::shared_ptr<const ScopeTree> tree);

    /// The scope tree the index was built with.
    const ScopeTree& tree() const { return *m_tree; }
    /// Number of variables (same as tree().variables().size()).
    int32_t numVariables() const;
    /// The variable's record (owner, users) from the shared-variable analysis.
    const VariableRecord& record(int32_t variable) const;
    /// The variable an item stands for (a variable op, or the scope a variable op anchors), or -1.
    int32_t variableOf(Item item) const;
    /// True when at least two distinct scope instances use the variable (shared_variables.cpp).
    bool isShared(int32_t variable) const;
    /// Number of distinct scopes using the variable (the "shared: N scopes" figure).
    int32_t sharedScopes(int32_t variable) const;
    /// Number of shared variables.
    int32_t numShared() const { return m_numShared; }
    /// Forward-computation ops that read the variable (directly, through its `/read` Identity or a
    /// ReadVariableOp), in op order; summaries, saving, initialization, gradients and optimizers
    /// excluded. The same reads decide sharing (ScopeTree::variableReaders, shared_variables.cpp).
    std::span<const OpId> readers(int32_t variable) const;
    /// Every op taking an output of `op` as data or control input, once each, in op order.
    std::span<const OpId> consumers(OpId op) const;
    /// Per-scope sharing figures (zero for scopes outside the tree).
    const ScopeSharing& scopeSharing(ScopeId scope) const;

private:
    std::shared_ptr<const ScopeTree> m_tree;
    std::vector<int32_t> m_consumerOffsets; // CSR over ops
    std::vector<OpId> m_consumers;
    std::vector<ScopeSharing> m_sharing; // per scope
    int32_t m_numShared = 0;
};

} // namespace scopeviz::hierarchy
