// VariableIndex.
//
// Readers are the shared-variable analysis' forward readers
// (ScopeTree::variableReaders, shared_variables.cpp): the ops of the forward
// computation that read the variable, through its `/read` Identity or a
// ReadVariableOp, in creation order; summaries, savers, initializers,
// gradients and optimizers excluded. The rule has that one home; the graph
// view highlights exactly these ops (shown by their deepest visible node),
// the inspector lists them, and the sharing verdict counts them.
//
// Sharing is the shared-variable analysis' verdict (shared_variables.cpp),
// unchanged; the index adds per-scope figures for the tree's badge: for every
// shared variable, each scope on the owner's path "owns" it, and each scope
// on a user's path up to (not into) the scope that also holds the owner
// "reuses" it, counted once per variable.
//
// Consumers (data and control) of every op are kept as one CSR array, so
// "who uses this op" never scans the graph.
#include "core/hierarchy/variable_index.h"

#include "core/hierarchy/scope_tree.h"

#include <algorithm>

namespace scopeviz::hierarchy {

std::shared_ptr<const VariableIndex> VariableIndex::build(const Graph& g, std::shared_ptr<const ScopeTree> treePtr)
{
    auto idx = std::make_shared<VariableIndex>();
    const ScopeTree& tree = *treePtr;
    idx->m_tree = std::move(treePtr);
    const int n = g.numOps();

    // Consumers of each op, data and control, once each, in op order (CSR).
    std::vector<int32_t>& off = idx->m_consumerOffsets;
    off.assign(size_t(n) + 1, 0);
    std::vector<int32_t> last(size_t(n), -1); // last consumer counted per producer (dedupe)
    auto forEachProducer = [&](OpId v, auto&& f) {
        const Operation& op = g.op(v);
        for (const Output& in : op.inputs())
            if (in.op >= 0 && in.op < n)
                f(in.op);
        for (OpId c : op.controlInputs())
            if (c >= 0 && c < n)
                f(c);
    };
    for (OpId v = 0; v < n; ++v)
        forEachProducer(v, [&](OpId p) {
            if (last[size_t(p)] != v) {
                last[size_t(p)] = v;
                ++off[size_t(p) + 1];
            }
        });
    for (int i = 0; i < n; ++i)
        off[size_t(i) + 1] += off[size_t(i)];
    idx->m_consumers.resize(size_t(off[size_t(n)]));
    {
        std::vector<int32_t> fill(off.begin(), off.end() - 1);
        std::fill(last.begin(), last.end(), -1);
        for (OpId v = 0; v < n; ++v)
            forEachProducer(v, [&](OpId p) {
                if (last[size_t(p)] != v) {
                    last[size_t(p)] = v;
                    idx->m_consumers[size_t(fill[size_t(p)]++)] = v;
                }
            });
    }

    // Per-scope sharing figures.
    const auto& vars = tree.variables();
    auto& out = idx->m_sharing;
    out.assign(size_t(tree.numScopes()), ScopeSharing{});
    std::vector<int32_t> counted(out.size(), -1); // last variable counted as reused, per scope
    for (int32_t v = 0; v < int32_t(vars.size()); ++v) {
        const auto& rec = vars[size_t(v)];
        if (!rec.shared)
            continue;
        ++idx->m_numShared;
        for (ScopeId s = rec.ownerScope; s > RootScope; s = tree.scope(s).parent) {
            ++out[size_t(s)].owns;
            out[size_t(s)].users = std::max(out[size_t(s)].users, rec.sharedScopes);
        }
        for (const auto& u : rec.users) {
            if (u.owner || u.scope < 0 || (u.reads == 0 && !u.reused))
                continue;
            // Up to (not into) the scope that also holds the owner: there the sharing is internal.
            for (ScopeId s = u.scope; s > RootScope; s = tree.scope(s).parent) {
                if (rec.ownerScope >= 0 && tree.isAncestorOrSelf(s, rec.ownerScope))
                    break;
                if (counted[size_t(s)] == v)
                    break; // another user below the same scope already counted it, and its ancestors
                counted[size_t(s)] = v;
                ++out[size_t(s)].reuses;
                out[size_t(s)].users = std::max(out[size_t(s)].users, rec.sharedScopes);
            }
        }
    }
    return idx;
}

const VariableRecord& VariableIndex::record(int32_t variable) const { return m_tree->variables()[size_t(variable)]; }

int32_t VariableIndex::variableOf(Item item) const
{
    if (item.id < 0)
        return -1;
    if (item.isOp())
        return item.id < m_tree->numOps() ? m_tree->variableOfOp(item.id) : -1;
    return item.id < m_tree->numScopes() ? m_tree->scope(item.id).variable : -1;
}

bool VariableIndex::isShared(int32_t variable) const
{
    return variable >= 0 && variable < numVariables() && record(variable).shared;
}

int32_t VariableIndex::sharedScopes(int32_t variable) const
{
    return variable >= 0 && variable < numVariables() ? record(variable).sharedScopes : 0;
}

int32_t VariableIndex::numVariables() const { return int32_t(m_tree->variables().size()); }

std::span<const OpId> VariableIndex::readers(int32_t variable) const { return m_tree->variableReaders(variable); }

std::span<const OpId> VariableIndex::consumers(OpId op) const
{
    if (op < 0 || size_t(op) + 1 >= m_consumerOffsets.size())
        return {};
    return {m_consumers.data() + m_consumerOffsets[size_t(op)],
            size_t(m_consumerOffsets[size_t(op) + 1] - m_consumerOffsets[size_t(op)])};
}

const ScopeSharing& VariableIndex::scopeSharing(ScopeId scope) const
{
    static const ScopeSharing none;
    return scope >= 0 && size_t(scope) < m_sharing.size() ? m_sharing[size_t(scope)] : none;
}

} // namespace scopeviz::hierarchy
