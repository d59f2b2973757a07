// Shared-variable analysis.
//
// The question a user asks: "which variables are used by more than one part
// of the model, where were they made, and who reuses them?" (tensorboard
// #3118). We answer it per variable op (VariableV2, Variable, VarHandleOp,
// AutoReloadVariable) with two sources of evidence.
//
// 1. Engine graphs (a reuse trace exists and the variable came from
//    get_variable): the trace is the truth. The owner is the name scope in
//    effect at the creating get_variable call (its Created event; e.g.
//    `my_net` for `my_net/weights`); every Reused event for the same variable
//    adds a user, the name scope at that call (e.g. `my_net_1`), with the
//    reuse mode in effect (True or AUTO_REUSE). The variable is shared when
//    the owner and the reusers span at least two distinct scopes. A reuse
//    from the owner's own scope (AUTO_REUSE in a loop) is not sharing.
//
// 2. Imported graphs, and tf.Variable variables of engine graphs: inferred
//    from reads. Starting at the variable op we follow its value forward:
//    through the variable's own read ops (Identity / RefIdentity /
//    ReadVariableOp whose names lie inside the variable's scope, e.g.
//    `bn1/beta/read`) and through Enter / RefEnter (which only carry the
//    value into a while-loop frame). Every other op reached is a *reader*,
//    unless it is training or bookkeeping machinery, which is neither counted
//    nor followed: ops under `gradients*/`, optimizer scopes (`Adam`,
//    `GradientDescent`, `Momentum`, `RMSProp`, `Adagrad`, `Adadelta`, `Ftrl`,
//    `train`, `training`, `optimizer`, with `_N` suffixes), `save*/`,
//    `init*`, `report_uninitialized*`, any `Initializer`, `Assign` or
//    `IsInitialized` component, and op types Apply* / ResourceApply* /
//    SparseApply* / Assign* / Scatter* / VarIsInitializedOp /
//    IsVariableInitialized / checkpoint ops / *Summary. Nor is an ONNX
//    parameter copy (isParameterCopy): PyTorch's exporter merges
//    equal-valued parameters and writes the duplicates as `Identity_N` of
//    the survivor, which says nothing about the model's structure.
//
//    Each reader is charged to a *scope instance*. Let O be the variable's
//    owner scope (the scope enclosing the variable op, e.g. `bn1` for
//    `bn1/beta`) and C the scope enclosing the reader. If C is O or lies
//    inside O, the instance is O: the owner's own use. Otherwise the
//    instance is the child of lowest common ancestor of O and C on C's side,
//    i.e. C's path cut one component after the point where it diverges from
//    O's path: `bn1_1/batchnorm/mul` reading `bn1/beta` is charged to
//    `bn1_1`; `module_apply_default/InceptionV3/InceptionV3/Conv/Conv2D`
//    reading `module/InceptionV3/Conv/weights` is charged to
//    `module_apply_default`, and `module/InceptionV3/InceptionV3/Conv/...`
//    to `module/InceptionV3/InceptionV3`. When C is an ancestor of O, the
//    instance is C itself. The variable is shared when its readers span at
//    least two distinct instances (the owner's own use counts as one).
//
// Reads are counted in both cases (VariableRecord::reads); a trace variable's
// users get the reads charged to their scope.
#include "core/hierarchy/shared_variables.h"

#include "core/hierarchy/scope_tree.h"
#include "core/hierarchy/tree_builder.h"
#include "core/util/strings.h"

#include <algorithm>
#include <unordered_map>

namespace scopeviz::hierarchy {

bool isVariableOpType(std::string_view type)
{
    return type == "VariableV2" || type == "Variable" || type == "VarHandleOp" || type == "AutoReloadVariable";
}

namespace {

/// Strips a TensorFlow uniquifier suffix: "Adam_1" -> "Adam".
std::string_view withoutNumberSuffix(std::string_view s)
{
    const size_t u = s.rfind('_');
    if (u == std::string_view::npos || u + 1 == s.size())
        return s;
    for (size_t i = u + 1; i < s.size(); ++i)
        if (s[i] < '0' || s[i] > '9')
            return s;
    return s.substr(0, u);
}

bool isOptimizerScope(std::string_view first)
{
    static const char* const names[] = {"Adam",     "GradientDescent", "Momentum",  "RMSProp",  "Adagrad",
                                        "AdagradDA", "Adadelta",       "Ftrl",      "ProximalAdagrad",
                                        "ProximalGradientDescent",     "train",     "training", "optimizer",
                                        "Optimizer", "SGD",            "Nadam",     "Adamax"};
    const std::string_view base = withoutNumberSuffix(first);
    for (const char* n : names)
        if (base == n)
            return true;
    return false;
}

} // namespace

bool isParameterCopy(const Operation& op)
{
    const AttrValue* a = op.attrs().find("onnx_parameter_copy");
    return a && a->kind() == AttrValue::Kind::Bool && a->b();
}

std::string_view trainingMachineryReason(std::string_view name, std::string_view type)
{
    if (startsWith(type, "Apply") || startsWith(type, "ResourceApply") || startsWith(type, "SparseApply") ||
        startsWith(type, "ResourceSparseApply"))
        return "optimizer update";
    if (startsWith(type, "Assign") || startsWith(type, "Scatter") || startsWith(type, "ResourceScatter"))
        return "assignment";
    if (type == "VarIsInitializedOp" || type == "IsVariableInitialized")
        return "initialization check";
    if (type == "SaveV2" || type == "Save" || type == "SaveSlices" || type == "RestoreV2" || type == "Restore" ||
        type == "RestoreSlice" || type == "MergeV2Checkpoints")
        return "checkpointing";
    if (endsWith(type, "Summary") || startsWith(type, "Write") || type == "MergeSummary")
        return "summary";
    const size_t slash = name.find('/');
    const std::string_view first = name.substr(0, slash);
    if (startsWith(first, "gradients"))
        return "gradient computation";
    if (isOptimizerScope(first))
        return "optimizer";
    const std::string_view firstBase = withoutNumberSuffix(first);
    if (firstBase == "save")
        return "checkpointing";
    if (firstBase == "init" || startsWith(first, "report_uninitialized"))
        return "initialization";
    size_t p = 0;
    while (p <= name.size()) {
        size_t q = name.find('/', p);
        if (q == std::string_view::npos)
            q = name.size();
        const std::string_view c = name.substr(p, q - p);
        if (c == "Initializer" || c == "IsInitialized")
            return "initialization";
        if (withoutNumberSuffix(c) == "Assign")
            return "assignment";
        p = q + 1;
    }
    return {};
}

namespace detail {

void TreeBuilder::analyzeVariables(const Graph& g, ScopeTree& t)
{
    const int n = g.numOps();
    t.m_variables.clear();

    // Consumers of each op's outputs (data edges only), as CSR.
    std::vector<int32_t> offsets(size_t(n) + 1, 0);
    for (int v = 0; v < n; ++v)
        for (const Output& in : g.op(v).inputs())
            if (in.op >= 0 && in.op < n)
                ++offsets[size_t(in.op) + 1];
    for (int i = 0; i < n; ++i)
        offsets[size_t(i) + 1] += offsets[size_t(i)];
    std::vector<int32_t> consumers(static_cast<size_t>(offsets[size_t(n)]));
    {
        std::vector<int32_t> fill(offsets.begin(), offsets.end() - 1);
        for (int v = 0; v < n; ++v)
            for (const Output& in : g.op(v).inputs())
                if (in.op >= 0 && in.op < n)
                    consumers[size_t(fill[size_t(in.op)]++)] = v;
    }

    // Machinery classification per op, computed on demand: 0 unknown, 1 counts, 2 excluded.
    std::vector<uint8_t> machinery(size_t(n), 0);
    auto excluded = [&](OpId op) {
        uint8_t& m = machinery[size_t(op)];
        if (m == 0)
            m = trainingMachineryReason(t.opName(op), t.opType(op)).empty() && !isParameterCopy(g.op(op)) ? 1 : 2;
        return m == 2;
    };

    const auto& scopes = t.m_scopes;
    auto instanceOf = [&](ScopeId owner, ScopeId c) -> ScopeId {
        if (t.isAncestorOrSelf(owner, c))
            return owner;
        ScopeId a = owner, b = c, below = c;
        while (scopes[size_t(b)].depth > scopes[size_t(a)].depth) {
            below = b;
            b = scopes[size_t(b)].parent;
        }
        while (scopes[size_t(a)].depth > scopes[size_t(b)].depth)
            a = scopes[size_t(a)].parent;
        while (a != b) {
            below = b;
            a = scopes[size_t(a)].parent;
            b = scopes[size_t(b)].parent;
        }
        // b is the LCA; `below` its child on c's side, or c itself when c is the LCA (an ancestor of owner).
        return b == c ? c : below;
    };

    // Trace: Reused events per graph variable.
    std::vector<std::vector<int32_t>> reusedEvents(size_t(g.numVariables()));
    const auto& trace = g.trace();
    for (size_t i = 0; i < trace.size(); ++i) {
        const TraceEvent& e = trace[i];
        if (e.kind == TraceEvent::Kind::GetVariable && e.outcome == TraceEvent::Outcome::Reused && e.variable >= 0 &&
            size_t(e.variable) < reusedEvents.size())
            reusedEvents[size_t(e.variable)].push_back(int32_t(i));
    }
    auto stripSlash = [](std::string_view s) {
        while (!s.empty() && s.back() == '/')
            s.remove_suffix(1);
        return std::string(s);
    };

    std::vector<int32_t> visited(size_t(n), -1);
    std::vector<OpId> stack;
    std::vector<std::pair<ScopeId, int32_t>> instances; // (instance, reads) in order of appearance
    for (int v = 0; v < n; ++v) {
        if (!isVariableOpType(t.opType(v)))
            continue;
        VariableRecord rec;
        rec.op = v;
        const ScopeId owner = t.opEnclosingScope(v);
        const ScopeId ownScope = t.opParent(v); // the variable's own scope when it is an anchor
        const bool anchored = t.isAnchor(v);

        // Readers, charged to scope instances.
        instances.clear();
        stack.clear();
        const int32_t stamp = v;
        visited[size_t(v)] = stamp;
        auto pushConsumers = [&](OpId op) {
            for (int32_t k = offsets[size_t(op)]; k < offsets[size_t(op) + 1]; ++k) {
                const OpId c = consumers[size_t(k)];
                if (visited[size_t(c)] != stamp) {
                    visited[size_t(c)] = stamp;
                    stack.push_back(c);
                }
            }
        };
        pushConsumers(v);
        while (!stack.empty()) {
            const OpId c = stack.back();
            stack.pop_back();
            if (excluded(c))
                continue;
            const std::string& type = t.opType(c);
            const bool ownRead = (type == "Identity" || type == "RefIdentity" || type == "ReadVariableOp") &&
                                 anchored && t.isAncestorOrSelf(ownScope, t.opParent(c));
            if (ownRead || type == "Enter" || type == "RefEnter") {
                pushConsumers(c);
                continue;
            }
            const ScopeId inst = instanceOf(owner, t.opEnclosingScope(c));
            auto it = std::find_if(instances.begin(), instances.end(),
                                   [&](const auto& p) { return p.first == inst; });
            if (it == instances.end())
                instances.emplace_back(inst, 1);
            else
                ++it->second;
            ++rec.reads;
        }

        const int gv = g.variableOfOp(v);
        const VariableInfo* info = gv >= 0 ? &g.variable(gv) : nullptr;
        if (info && info->fromGetVariable && info->traceIndex >= 0 && size_t(info->traceIndex) < trace.size()) {
            rec.graphVariable = gv;
            rec.evidence = VariableEvidence::Trace;
            rec.ownerPath = stripSlash(trace[size_t(info->traceIndex)].nameScope);
            rec.ownerScope = t.findScope(rec.ownerPath);
            VariableUser own;
            own.path = rec.ownerPath;
            own.scope = rec.ownerScope;
            own.owner = true;
            own.calls = 1;
            rec.users.push_back(own);
            for (int32_t ei : reusedEvents[size_t(gv)]) {
                const TraceEvent& e = trace[size_t(ei)];
                const std::string p = stripSlash(e.nameScope);
                auto it = std::find_if(rec.users.begin(), rec.users.end(),
                                       [&](const VariableUser& u) { return u.path == p; });
                if (it == rec.users.end()) {
                    VariableUser u;
                    u.path = p;
                    u.scope = t.findScope(p);
                    u.reused = true;
                    u.reuseMode = e.reuse;
                    u.calls = 1;
                    rec.users.push_back(u);
                } else {
                    ++it->calls;
                    if (!it->reused && !it->owner) {
                        it->reused = true;
                        it->reuseMode = e.reuse;
                    }
                }
            }
            for (const auto& [inst, reads] : instances)
                for (VariableUser& u : rec.users)
                    if (u.scope >= 0 && u.scope == inst)
                        u.reads += reads;
            rec.sharedScopes = int32_t(rec.users.size());
        } else {
            rec.graphVariable = gv;
            rec.evidence = VariableEvidence::Inferred;
            rec.ownerScope = owner;
            rec.ownerPath = std::string(t.path(owner));
            VariableUser own;
            own.path = rec.ownerPath;
            own.scope = owner;
            own.owner = true;
            rec.users.push_back(own);
            // Other scopes in creation order (bn1_1 before bn1_2), whatever order the walk met them in.
            std::sort(instances.begin(), instances.end(), [&](const auto& x, const auto& y) {
                return scopes[size_t(x.first)].firstOp < scopes[size_t(y.first)].firstOp;
            });
            int32_t distinct = 0;
            for (const auto& [inst, reads] : instances) {
                ++distinct;
                if (inst == owner) {
                    rec.users[0].reads += reads;
                    continue;
                }
                VariableUser u;
                u.scope = inst;
                u.path = std::string(t.path(inst));
                u.reads = reads;
                rec.users.push_back(u);
            }
            rec.sharedScopes = distinct;
        }
        rec.shared = rec.sharedScopes >= 2;

        const int32_t idx = int32_t(t.m_variables.size());
        t.m_opVariable[size_t(v)] = idx;
        if (anchored)
            t.m_scopes[size_t(ownScope)].variable = idx;
        t.m_variables.push_back(std::move(rec));
    }
}

} // namespace detail

} // namespace scopeviz::hierarchy
