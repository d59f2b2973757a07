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
//    from the variable's *forward reads* (below). Each reader is charged to a
//    *scope instance*. Let O be the variable's owner scope (the scope
//    enclosing the variable op, e.g. `bn1` for `bn1/beta`) and C the scope
//    enclosing the reader. If C is O or lies inside O, the instance is O: the
//    owner's own use. Otherwise the instance is the child of the lowest
//    common ancestor of O and C on C's side, i.e. C's path cut one component
//    after the point where it diverges from O's path: `bn1_1/batchnorm/mul`
//    reading `bn1/beta` is charged to `bn1_1`;
//    `module_apply_default/InceptionV3/InceptionV3/Conv/Conv2D` reading
//    `module/InceptionV3/Conv/weights` is charged to `module_apply_default`,
//    and `module/InceptionV3/InceptionV3/Conv/...` to
//    `module/InceptionV3/InceptionV3`. When C is an ancestor of O, the
//    instance is C itself. The variable is shared when its readers span at
//    least two distinct instances (the owner's own use counts as one).
//
// Forward reads. Only a read that belongs to the model's forward computation
// counts; a variable read by its own summaries and by one layer
// (`layer1/weights/summaries/Mean` and `layer1/Wx_plus_b/MatMul` in
// TensorBoard's mnist_with_summaries) is not shared, nor is one read by an
// optimizer whose scope the user named freely (`train_step/`). Every op is
// judged by what it does, never by a user-chosen scope name:
//
//  * Bookkeeping by type (bookkeepingKind): summaries, checkpoint ops,
//    Assign* / Scatter* (initializers, moving-average and optimizer-state
//    updates, restores), initialization checks, and optimizer updates
//    (Apply* / ResourceApply* / SparseApply*).
//  * Gradient computation: the gradient kernels (`*Grad`, `*GradV2`,
//    `Conv2DBackpropFilter`, `BroadcastGradientArgs`, ...), the ops in the
//    name scope tf.gradients opens for itself (`gradients`, `gradients_N`,
//    Keras' `gradient_tape`, at any depth, so `train_step/gradients/...`
//    too), and everything computed from those: the backward pass starts at
//    them, and its data flows only further into the backward pass and the
//    optimizer. (`Conv2DBackpropInput` alone is no evidence: it is also the
//    forward op of a transposed convolution.)
//  * An ONNX parameter copy (isParameterCopy): PyTorch's exporter merges
//    equal-valued parameters and writes each duplicate as an `Identity_N`
//    of the survivor, which says nothing about the model's structure; it is
//    treated as bookkeeping.
//  * Every other op is model computation. It is *live*, i.e. part of the
//    forward computation, when its value reaches a result: it has no data
//    consumer (an output, such as InceptionV3's logits or the seed's
//    evaluation tower); or a gradient op consumes it (the loss that
//    tf.gradients differentiates, and the activations the backward pass
//    uses); or a summary logs it and it depends on input data (a loss or an
//    accuracy logged with tf.summary.scalar); or a live op consumes it.
//    "Depends on input data" means reachable from a data source (an op
//    without data inputs that is not a constant or a variable: Placeholder,
//    iterators, queues, readers; also Placeholder* and random ops), so
//    `summaries/stddev` of a weight, a function of the weight alone, is not a
//    result, and neither is an optimizer's `beta1_power * beta1`, which only
//    feeds an Assign.
//
// Starting at the variable op we follow its value through the ops that only
// pass it on (Identity, RefIdentity, ReadVariableOp, and Enter / RefEnter
// into a while-loop frame); every other live model op reached is a
// *reader*. Bookkeeping, gradient ops and model ops that are not live are
// neither counted nor followed. Slot variables (`w/Adam`) and
// `beta1_power`, read only by Apply ops and Assigns, have no readers.
//
// The readers are kept per variable (ScopeTree::variableReaders, in op
// order): the graph's highlight, the inspector's list and `--print-tree`
// all show these, and both kinds of evidence charge them to their users.
//
// Applications within one instance. A function applied twice without a new
// scope of its own puts both applications into the same scope instance: the
// GAN in tests/data/graphs builds its discriminator at the root for real
// images (`Conv2D_3 = conv2d(x_placeholder, d_w1/read)`) and for generated
// ones (`Conv2D_5 = conv2d(Sigmoid, d_w1/read)`), and calls its generator 63
// times at the root (`MatMul`, `MatMul_5` ... `MatMul_66` read `g_w1`; its
// batch norms get scopes `bn1`, `bn1_1`, ... and are shared by instance).
// Within each instance we therefore count the variable's *applications*:
//
//  * An application candidate is a reader that applies the value to data:
//    another of its inputs depends on input data (see "depends on input
//    data" above). `Shape(w)` or `Reshape(w, const)` are not candidates.
//  * Candidates are grouped by op type and by the input the value enters
//    (Conv2D filter, the right-hand side of an Add, ...): two applications
//    of one function make the same op from the same variable. Different op
//    types in one layer (`MatMul(x, w)` and an `L2Loss(w)` penalty) are
//    never two applications.
//  * Candidates that apply the value to the same value are one application
//    built twice; only the first in op order is kept. "The same value" is
//    value numbering: two ops compute the same value when they have the
//    same type, the same attributes (constants by dtype, shape and their
//    first elements, AttrValue::toString) and inputs of the same values;
//    data sources, variables, queue and iterator reads, and loop merges
//    (which also cut while-loop cycles) each produce a value of their own.
//    Numbers are computed on demand, by a depth-first walk upstream from
//    the candidates' other inputs, memoized over the whole graph.
//  * In each group, an application starts at a member that no other member
//    feeds, directly or through other live model ops. Such starting members
//    are pairwise independent: neither is upstream of the other. The steps
//    of an unrolled RNN (`MatMul_1` consumes the state `MatMul` computed) are
//    one chain and so one application; so is a tied-weight decoder reading
//    the encoder's output.
//  * The instance has as many applications as its largest group has
//    starting members, at least one. The variable is shared when its uses,
//    the scope instances with each instance counted once per application,
//    number two or more; the marks say "2 scopes", "2 applications" (one
//    instance) or "64 applications in 2 scopes" (sharingText). The reuse
//    trace's users are counted the same way.
//
// The discriminator's d_w1 ... d_b4 are so shared (2 applications: the real
// branch starts at `x_placeholder`, the generated one at `z_placeholder`).
// The generator's g_w1 ... g_b4 are not: its 63 calls all compute the same
// value from `z_placeholder` (`MatMul_5` and `MatMul_6` are both
// `z_placeholder x g_w1`, and so on down the layers), so each group keeps
// one member. (Its batch norms stay shared by the instance rule: each call
// has its own `bn1_N` scope, and scope instances are not value-numbered.)
//
// Rejected: counting every pair of same-type readers that are not upstream
// of each other. That makes the 63 identical generator calls 63
// applications of g_w1, although they are one computation repeated; and
// without the "applied to data" condition, `Shape(w)` and `Shape_1(w)`
// would count. Not recognised: two applications in sequence, f(f(x)), which
// look like an unrolled loop; applications whose op types differ; and two
// constants that differ only beyond the elements AttrValue::toString shows
// (taken as equal, so at worst a sharing is missed, never invented).
//
// Cost: the grouping is O(reads log reads) per variable; a group of two or
// more candidates costs one multi-source walk downstream over live model
// ops plus the value numbers upstream of its members (memoized). Such
// groups are rare (InceptionV3: variables phase about 1.7 ms of a 20 ms
// tree build), so the analysis stays close to O(ops + edges).
#include "core/hierarchy/shared_variables.h"

#include "core/hierarchy/scope_tree.h"
#include "core/hierarchy/tree_builder.h"
#include "core/util/strings.h"

#include <algorithm>
#include <span>
#include <unordered_map>

namespace scopeviz::hierarchy {

bool isVariableOpType(std::string_view type)
{
    return type == "VariableV2" || type == "Variable" || type == "VarHandleOp" || type == "AutoReloadVariable";
}

namespace {

/// True for a gradient kernel's type: `*Grad` with an optional `V<n>` (ReluGrad, FusedBatchNormGradV3,
/// MaxPoolGradGrad), the filter half of a convolution's backward pass, and the broadcast helper of the
/// gradients of binary ops. Conv2DBackpropInput is left out: transposed convolutions use it forward.
bool isGradientKernel(std::string_view type)
{
    std::string_view t = type;
    const size_t v = t.rfind('V');
    if (v != std::string_view::npos && v + 1 < t.size() &&
        std::all_of(t.begin() + std::ptrdiff_t(v) + 1, t.end(), [](char c) { return c >= '0' && c <= '9'; }))
        t = t.substr(0, v);
    return endsWith(t, "Grad") || endsWith(t, "BackpropFilter") || type == "BroadcastGradientArgs" ||
           type == "SymbolicGradient";
}

/// True when a name component is a scope tf.gradients (or Keras' GradientTape) opens for itself:
/// `gradients`, `gradients_3`, `gradient_tape`.
bool isGradientScopeComponent(std::string_view c)
{
    auto numbered = [&](std::string_view base) {
        if (!startsWith(c, base))
            return false;
        const std::string_view rest = c.substr(base.size());
        return rest.empty() || (rest.size() >= 2 && rest[0] == '_' &&
                                std::all_of(rest.begin() + 1, rest.end(), [](char ch) { return ch >= '0' && ch <= '9'; }));
    };
    return numbered("gradients") || numbered("gradient_tape");
}

/// True when one of the scopes enclosing the op (not its own last component) is a gradient scope.
bool inGradientScope(std::string_view name)
{
    size_t p = 0;
    for (size_t q = name.find('/'); q != std::string_view::npos; p = q + 1, q = name.find('/', p))
        if (isGradientScopeComponent(name.substr(p, q - p)))
            return true;
    return false;
}

/// Ops that only pass a variable's value on: its `/read` snapshot, ReadVariableOp, loop-frame entry.
bool passesValueOn(std::string_view type)
{
    return type == "Identity" || type == "RefIdentity" || type == "ReadVariableOp" || type == "Enter" ||
           type == "RefEnter";
}

/// True for ops that bring input data into the graph (a data source, see the header comment).
bool isDataSource(const Operation& op)
{
    const std::string& type = op.type();
    if (startsWith(type, "Placeholder") || startsWith(type, "Random") || type == "TruncatedNormal" ||
        type == "Multinomial" || type == "ParameterizedTruncatedNormal")
        return true;
    return op.inputs().empty() && type != "Const" && type != "HostConst" && !isVariableOpType(type);
}

/// True for ops whose every run yields a new value, so that no other op computes the same one: data
/// sources, variables, loop merges (which also break the cycles of while loops), queue and iterator
/// reads and other stateful sources.
bool producesFreshValues(const Operation& op)
{
    const std::string& type = op.type();
    return isDataSource(op) || isVariableOpType(type) || type == "Merge" || type == "RefMerge" ||
           type == "NextIteration" || type == "RefNextIteration" || startsWith(type, "Queue") ||
           startsWith(type, "Iterator") || startsWith(type, "Reader") || startsWith(type, "Stateful");
}

/// The role of an op in the analysis.
enum class Role : uint8_t {
    Model,       ///< model computation
    Summary,     ///< a summary op
    Bookkeeping, ///< checkpoint, assignment, initialization check or optimizer update
    Gradient,    ///< the backward pass
};

} // namespace

bool isParameterCopy(const Operation& op)
{
    const AttrValue* a = op.attrs().find("onnx_parameter_copy");
    return a && a->kind() == AttrValue::Kind::Bool && a->b();
}

std::string_view bookkeepingKind(std::string_view type)
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
    if (isGradientKernel(type))
        return "gradient computation";
    return {};
}

std::string sharingText(const VariableRecord& v)
{
    if (v.applications <= v.sharedScopes)
        return cat(v.sharedScopes, v.sharedScopes == 1 ? " scope" : " scopes");
    if (v.sharedScopes <= 1)
        return cat(v.applications, " applications");
    return cat(v.applications, " applications in ", v.sharedScopes, " scopes");
}

namespace detail {

void TreeBuilder::analyzeVariables(const Graph& g, ScopeTree& t)
{
    const int n = g.numOps();
    t.m_variables.clear();
    t.m_readerOffsets.assign(1, 0);
    t.m_readers.clear();
    bool anyVariable = false;
    for (OpId v = 0; v < n && !anyVariable; ++v)
        anyVariable = isVariableOpType(t.opType(v));
    if (!anyVariable)
        return; // frozen and generated graphs: nothing to analyse

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
    auto consumersOf = [&](OpId op) {
        return std::span<const int32_t>(consumers.data() + offsets[size_t(op)],
                                        size_t(offsets[size_t(op) + 1] - offsets[size_t(op)]));
    };

    // Roles by type and gradient scope, then the backward pass grown along the data flow.
    std::vector<Role> role(size_t(n), Role::Model);
    std::vector<OpId> stack;
    for (OpId v = 0; v < n; ++v) {
        const std::string_view kind = bookkeepingKind(t.opType(v));
        if (kind == "gradient computation" || (kind.empty() && inGradientScope(t.opName(v))))
            role[size_t(v)] = Role::Gradient;
        else if (kind == "summary")
            role[size_t(v)] = Role::Summary;
        else if (!kind.empty() || isParameterCopy(g.op(v)))
            role[size_t(v)] = Role::Bookkeeping;
        if (role[size_t(v)] == Role::Gradient)
            stack.push_back(v);
    }
    while (!stack.empty()) {
        const OpId x = stack.back();
        stack.pop_back();
        for (OpId c : consumersOf(x))
            if (role[size_t(c)] == Role::Model) {
                role[size_t(c)] = Role::Gradient;
                stack.push_back(c);
            }
    }

    // Ops that depend on input data: everything reachable from a data source.
    std::vector<uint8_t> fromData(size_t(n), 0);
    for (OpId v = 0; v < n; ++v)
        if (isDataSource(g.op(v))) {
            fromData[size_t(v)] = 1;
            stack.push_back(v);
        }
    while (!stack.empty()) {
        const OpId x = stack.back();
        stack.pop_back();
        for (OpId c : consumersOf(x))
            if (!fromData[size_t(c)]) {
                fromData[size_t(c)] = 1;
                stack.push_back(c);
            }
    }

    // Live model ops: those whose value reaches a result, grown backwards from the results.
    std::vector<uint8_t> live(size_t(n), 0);
    for (OpId v = 0; v < n; ++v) {
        if (role[size_t(v)] != Role::Model)
            continue;
        const auto cs = consumersOf(v);
        const bool result = cs.empty() || std::any_of(cs.begin(), cs.end(), [&](OpId c) {
                                return role[size_t(c)] == Role::Gradient ||
                                       (role[size_t(c)] == Role::Summary && fromData[size_t(v)]);
                            });
        if (result) {
            live[size_t(v)] = 1;
            stack.push_back(v);
        }
    }
    while (!stack.empty()) {
        const OpId x = stack.back();
        stack.pop_back();
        for (const Output& in : g.op(x).inputs())
            if (in.op >= 0 && in.op < n && role[size_t(in.op)] == Role::Model && !live[size_t(in.op)]) {
                live[size_t(in.op)] = 1;
                stack.push_back(in.op);
            }
    }

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
    std::vector<std::pair<OpId, int32_t>> hits; // (reader, the input its value enters)
    std::vector<OpId> found;
    std::vector<ScopeId> foundInstance;
    std::vector<std::pair<ScopeId, int32_t>> instances; // (instance, reads) in order of appearance

    // Applications within one instance (see the header comment).
    struct Candidate {
        ScopeId instance;
        OpId op;
        int32_t slot;
    };
    std::vector<Candidate> candidates;
    std::vector<Candidate> group;
    std::vector<std::pair<ScopeId, std::vector<OpId>>> applied; // instances applying it twice or more
    std::vector<int32_t> reached(size_t(n), -1);
    int32_t walk = 0;
    auto appliedToData = [&](OpId c, int32_t slot) {
        const auto& ins = g.op(c).inputs();
        for (size_t i = 0; i < ins.size(); ++i)
            if (int32_t(i) != slot && ins[i].op >= 0 && ins[i].op < n && fromData[size_t(ins[i].op)])
                return true;
        return false;
    };
    // Value numbers (see the header comment), computed on demand for the inputs of candidates only.
    std::vector<int32_t> valueNumber(size_t(n), -1);
    std::vector<uint8_t> onPath(size_t(n), 0);
    std::unordered_map<std::string, int32_t> valueIds;
    int32_t nextValue = 0;
    struct Frame {
        OpId op;
        size_t next;
        bool cycle;
    };
    std::vector<Frame> frames;
    std::string key;
    auto valueOf = [&](OpId root) {
        if (valueNumber[size_t(root)] >= 0)
            return valueNumber[size_t(root)];
        frames.assign(1, Frame{root, 0, false});
        onPath[size_t(root)] = 1;
        while (!frames.empty()) {
            Frame& f = frames.back();
            const Operation& op = g.op(f.op);
            const bool unique = producesFreshValues(op);
            const auto& ins = op.inputs();
            bool descended = false;
            while (!unique && f.next < ins.size()) {
                const OpId in = ins[f.next++].op;
                if (in < 0 || in >= n || valueNumber[size_t(in)] >= 0)
                    continue;
                if (onPath[size_t(in)]) {
                    f.cycle = true; // a loop without Merge (malformed graphs): give up on equality here
                    continue;
                }
                onPath[size_t(in)] = 1;
                frames.push_back(Frame{in, 0, false});
                descended = true;
                break;
            }
            if (descended)
                continue;
            int32_t& vn = valueNumber[size_t(f.op)];
            if (unique || f.cycle) {
                vn = nextValue++;
            } else {
                key = op.type();
                for (const Attr& a : op.attrs()) {
                    key += '\x1f';
                    key += a.name.view();
                    key += '=';
                    key += a.value.toString();
                }
                for (const Output& in : ins) {
                    key += '\x1e';
                    key += std::to_string(in.op >= 0 && in.op < n ? valueNumber[size_t(in.op)] : -1);
                    key += ':';
                    key += std::to_string(in.index);
                }
                vn = valueIds.try_emplace(key, nextValue).first->second;
                if (vn == nextValue)
                    ++nextValue;
            }
            onPath[size_t(f.op)] = 0;
            frames.pop_back();
        }
        return valueNumber[size_t(root)];
    };
    // The values a candidate applies the variable to: its other inputs' value numbers.
    auto appliedValues = [&](const Candidate& m) {
        std::vector<std::pair<int32_t, int32_t>> v;
        const auto& ins = g.op(m.op).inputs();
        for (size_t i = 0; i < ins.size(); ++i)
            if (int32_t(i) != m.slot)
                v.emplace_back(ins[i].op >= 0 && ins[i].op < n ? valueOf(ins[i].op) : -1, ins[i].index);
        return v;
    };
    std::vector<std::pair<std::vector<std::pair<int32_t, int32_t>>, size_t>> keyed;
    auto applicationsOf = [&](ScopeId inst) -> const std::vector<OpId>* {
        for (const auto& [s, ops] : applied)
            if (s == inst)
                return &ops;
        return nullptr;
    };
    auto setApplications = [&](VariableUser& u, ScopeId inst) {
        if (const std::vector<OpId>* ops = applicationsOf(inst)) {
            u.applications = int32_t(ops->size());
            u.applicationOps = *ops;
        } else if (u.reads > 0) {
            u.applications = 1;
        }
    };
    for (int v = 0; v < n; ++v) {
        if (!isVariableOpType(t.opType(v)))
            continue;
        VariableRecord rec;
        rec.op = v;
        const ScopeId owner = t.opEnclosingScope(v);
        const ScopeId ownScope = t.opParent(v); // the variable's own scope when it is an anchor
        const bool anchored = t.isAnchor(v);

        // Forward readers (see the header comment), in op order.
        hits.clear();
        stack.assign(1, v);
        visited[size_t(v)] = v;
        while (!stack.empty()) {
            const OpId x = stack.back();
            stack.pop_back();
            for (OpId c : consumersOf(x)) {
                if (visited[size_t(c)] == v)
                    continue;
                visited[size_t(c)] = v;
                if (role[size_t(c)] != Role::Model || !live[size_t(c)])
                    continue;
                if (passesValueOn(t.opType(c))) {
                    stack.push_back(c);
                } else {
                    const auto& ins = g.op(c).inputs();
                    int32_t slot = 0;
                    while (size_t(slot) < ins.size() && ins[size_t(slot)].op != x)
                        ++slot;
                    hits.emplace_back(c, slot);
                }
            }
        }
        std::sort(hits.begin(), hits.end());
        found.clear();
        for (const auto& h : hits)
            found.push_back(h.first);
        t.m_readers.insert(t.m_readers.end(), found.begin(), found.end());
        t.m_readerOffsets.push_back(int32_t(t.m_readers.size()));
        rec.reads = int32_t(found.size());
        foundInstance.clear();
        for (OpId c : found)
            foundInstance.push_back(instanceOf(owner, t.opEnclosingScope(c)));

        // Applications within each instance: candidates grouped by instance, type and slot.
        candidates.clear();
        for (size_t i = 0; i < hits.size(); ++i)
            if (appliedToData(hits[i].first, hits[i].second))
                candidates.push_back(Candidate{foundInstance[i], hits[i].first, hits[i].second});
        applied.clear();
        if (candidates.size() >= 2) {
            std::sort(candidates.begin(), candidates.end(), [&](const Candidate& a, const Candidate& b) {
                if (a.instance != b.instance)
                    return a.instance < b.instance;
                if (t.opType(a.op) != t.opType(b.op))
                    return t.opType(a.op) < t.opType(b.op);
                return a.slot != b.slot ? a.slot < b.slot : a.op < b.op;
            });
            for (size_t b = 0, e = 0; b < candidates.size(); b = e) {
                e = b + 1;
                while (e < candidates.size() && candidates[e].instance == candidates[b].instance &&
                       candidates[e].slot == candidates[b].slot &&
                       t.opType(candidates[e].op) == t.opType(candidates[b].op))
                    ++e;
                if (e - b < 2)
                    continue;
                // One member per distinct value applied to (the first in op order is kept).
                keyed.clear();
                for (size_t i = b; i < e; ++i)
                    keyed.emplace_back(appliedValues(candidates[i]), i);
                std::sort(keyed.begin(), keyed.end());
                group.clear();
                for (size_t i = 0; i < keyed.size(); ++i)
                    if (i == 0 || keyed[i].first != keyed[i - 1].first)
                        group.push_back(candidates[keyed[i].second]);
                if (group.size() < 2)
                    continue;
                // Everything downstream of a member, over live model ops: members reached are fed by another.
                ++walk;
                for (const Candidate& m : group)
                    for (OpId c : consumersOf(m.op))
                        if (reached[size_t(c)] != walk && role[size_t(c)] == Role::Model && live[size_t(c)]) {
                            reached[size_t(c)] = walk;
                            stack.push_back(c);
                        }
                while (!stack.empty()) {
                    const OpId x = stack.back();
                    stack.pop_back();
                    for (OpId c : consumersOf(x))
                        if (reached[size_t(c)] != walk && role[size_t(c)] == Role::Model && live[size_t(c)]) {
                            reached[size_t(c)] = walk;
                            stack.push_back(c);
                        }
                }
                std::vector<OpId> starts;
                for (const Candidate& m : group)
                    if (reached[size_t(m.op)] != walk)
                        starts.push_back(m.op);
                if (starts.size() < 2)
                    continue;
                std::sort(starts.begin(), starts.end());
                const ScopeId inst = candidates[b].instance;
                if (!applied.empty() && applied.back().first == inst) {
                    if (starts.size() > applied.back().second.size())
                        applied.back().second = std::move(starts);
                } else {
                    applied.emplace_back(inst, std::move(starts));
                }
            }
        }

        // Readers charged to scope instances.
        instances.clear();
        for (ScopeId inst : foundInstance) {
            auto it = std::find_if(instances.begin(), instances.end(),
                                   [&](const auto& p) { return p.first == inst; });
            if (it == instances.end())
                instances.emplace_back(inst, 1);
            else
                ++it->second;
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
            for (VariableUser& u : rec.users) {
                if (u.scope >= 0)
                    setApplications(u, u.scope);
                rec.applications += std::max<int32_t>(1, u.applications);
            }
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
                VariableUser* u = &rec.users[0];
                if (inst != owner) {
                    u = &rec.users.emplace_back();
                    u->scope = inst;
                    u->path = std::string(t.path(inst));
                }
                u->reads += reads;
                setApplications(*u, inst);
                rec.applications += u->applications;
            }
            rec.sharedScopes = distinct;
        }
        rec.shared = rec.applications >= 2;

        const int32_t idx = int32_t(t.m_variables.size());
        t.m_opVariable[size_t(v)] = idx;
        if (anchored)
            t.m_scopes[size_t(ownScope)].variable = idx;
        t.m_variables.push_back(std::move(rec));
    }
}

} // namespace detail

} // namespace scopeviz::hierarchy
