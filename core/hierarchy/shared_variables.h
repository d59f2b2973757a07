#pragma once
// Shared-variable analysis: for every variable op, where it lives (its owner
// scope), which scopes use it, and whether it is shared. The rules are
// explained at the top of shared_variables.cpp.
#include "core/graph/graph.h"
#include "core/hierarchy/hierarchy_types.h"

#include <string>
#include <vector>

namespace scopeviz::hierarchy {

/// Where the sharing information of a variable comes from.
enum class VariableEvidence : uint8_t {
    Trace,    ///< the engine's reuse trace (get_variable Created / Reused events)
    Inferred, ///< reads of the variable's value in the graph (imported graphs, tf.Variable)
};

/// One scope that uses a variable.
struct VariableUser {
    /// Scope path without trailing '/' ("" = root).
    std::string path;
    /// The scope node with that path, or -1 when no op lives there.
    ScopeId scope = -1;
    /// Forward-computation ops of this scope instance that read the variable (ScopeTree::variableReaders).
    int32_t reads = 0;
    /// Trace: get_variable calls from this scope (created or reused).
    int32_t calls = 0;
    /// True for the owner (trace: the creating call's scope).
    bool owner = false;
    /// Trace: the variable was handed out here by a Reused get_variable call.
    bool reused = false;
    /// Trace: reuse mode in effect at the (first) reusing call.
    Reuse reuseMode = Reuse::None;
    /// Independent applications among this instance's reads: 0 without reads, 1 normally, 2 or more when
    /// the instance applies the variable several times to different data (the discriminator's `Conv2D_3`
    /// and `Conv2D_5` at the root; shared_variables.cpp).
    int32_t applications = 0;
    /// The reader op that starts each application, in op order, when there are two or more.
    std::vector<OpId> applicationOps;
};

/// A variable op with its owner and users.
struct VariableRecord {
    /// The variable op (VariableV2, Variable, VarHandleOp, ...).
    OpId op = -1;
    /// Index into Graph::variables() for engine-built variables, else -1.
    int32_t graphVariable = -1;
    /// Owner scope path (trace: name scope of the creating call; inferred: the op's enclosing scope).
    std::string ownerPath;
    /// Owner scope node, or -1 when no op lives there.
    ScopeId ownerScope = -1;
    /// Users: the owner first (also when it does not read the variable), then the others in order of appearance.
    std::vector<VariableUser> users;
    /// Forward-computation reads in total: the number of ScopeTree::variableReaders (summaries, saving,
    /// initialization, gradients and optimizers excluded).
    int32_t reads = 0;
    /// Where the information comes from.
    VariableEvidence evidence = VariableEvidence::Inferred;
    /// Distinct using scope instances, owner included when it uses the variable.
    int32_t sharedScopes = 0;
    /// Distinct uses: each using scope instance counts once, or once per application when it applies the
    /// variable several times (VariableUser::applications); never less than sharedScopes.
    int32_t applications = 0;
    /// True when the variable has at least two uses: two scope instances, or two applications within one
    /// (see shared_variables.cpp).
    bool shared = false;
};

/// The figure of a shared variable's mark, the same in `--print-tree`, the inspector and the scope tree:
/// "2 scopes" when every scope instance applies it once, else "2 applications" (one scope) or
/// "64 applications in 2 scopes".
std::string sharingText(const VariableRecord& v);

/// True for op types that hold variable state (VariableV2, Variable, VarHandleOp, AutoReloadVariable).
bool isVariableOpType(std::string_view type);

/// True for an imported ONNX `Identity_N` that PyTorch's exporter made to deduplicate two
/// equal-valued parameters (attr `onnx_parameter_copy`, set by core/onnx): a copy, not a
/// use, so sharing never counts or follows it (docs/formats.md §9).
bool isParameterCopy(const Operation& op);

/// What an op does when it is bookkeeping rather than model computation, judged by its type alone:
/// "summary", "checkpointing", "assignment", "initialization check", "optimizer update" (Apply*,
/// ResourceApply*, SparseApply*) or "gradient computation" (gradient kernels such as ReluGrad,
/// BiasAddGrad, Conv2DBackpropFilter, BroadcastGradientArgs); "" for any other op. The analysis also
/// counts as gradient computation everything computed from such ops and the ops tf.gradients builds
/// in its own `gradients` name scope (shared_variables.cpp).
std::string_view bookkeepingKind(std::string_view type);

} // namespace scopeviz::hierarchy
