// tf.gradients, after TF 1.15's gradients_util._GradientsHelper.
//
// How it works:
//  1. Open the name scope `gradients` (uniquified) and mark `gradients/uid` as
//     used, as TF does for its gradient uid.
//  2. Default grad_ys: `Shape` (a Const when y's shape is fully defined),
//     `grad_ys_<i>` (Const 1 of y's dtype), `Fill`. Given grad_ys pass through
//     an Identity `grad_ys_<i>`.
//  3. Reachability: ops reachable forward from the xs' ops through
//     float-valued tensors ("reached"); walking back from the ys' ops over
//     reached ops gives the "between" ops, and every between op counts its
//     consumers that are between ops (pending count).
//  4. A queue starts with the ys' ops. For each op popped: the gradients that
//     arrived on each output are summed with AddN when there are several
//     (`gradients/AddN`, colocated with the first summand); float outputs
//     without a gradient get `zeros_like` when another output has one; the
//     op's rule runs inside `gradients/<op name>_grad/`; with gate_gradients
//     the results go through control_flow_ops.tuple. Each input's gradient is
//     recorded, the input's pending count drops, and inputs whose count reaches
//     zero are queued (in input order, which fixes the creation order and hence
//     every `_N` suffix).
//  5. xs' ops with no between inputs are stop ops: their gradients are summed
//     but no rule runs (a VariableV2 has none). The result for x is the summed
//     gradient of its output, or nullopt when nothing reached it.
//
// Not reproduced: while loops / control-flow state, IndexedSlices,
// colocate_gradients_with_ops, aggregation methods other than ADD_N, and
// set_shape on each gradient (Graph has no way to refine a static shape; the
// rules merge the forward shape where TF's decisions depend on it).
#include "core/train/gradients.h"

#include "core/scope/variable_scope.h"
#include "core/train/grad_builder.h"
#include "core/train/grad_rules.h"
#include "core/util/strings.h"

#include <algorithm>
#include <deque>
#include <unordered_map>
#include <unordered_set>

namespace scopeviz::train {

using detail::GradBuilder;
using detail::GradVec;

namespace {

/// backprop_util.IsTrainable / _IsBackpropagatable: float types (and their refs).
bool isTrainable(DType t)
{
    t = baseType(t);
    return t == DType::Float || t == DType::Double || t == DType::Half || t == DType::BFloat16 ||
           t == DType::Complex64 || t == DType::Complex128 || t == DType::Resource || t == DType::Variant;
}

std::string shapeText(const Shape& s) { return s.toString(); }

} // namespace

bool hasGradientRule(std::string_view type) { return detail::findGradRule(type) != nullptr; }

bool isDifferentiable(std::string_view type)
{
    const detail::GradRule* r = detail::findGradRule(type);
    return r && r->fn;
}

GradientList gradients(Graph& g, const std::vector<Output>& ys, const std::vector<Output>& xs,
                       const std::vector<std::optional<Output>>& gradYs, const GradientsOptions& options)
{
    if (ys.empty())
        throw ValueError("gradients() needs at least one y");
    if (!gradYs.empty() && gradYs.size() != ys.size())
        throw ValueError(cat("Passed ", gradYs.size(), " grad_ys for ", ys.size(), " ys"));
    auto checkTensor = [&](const Output& t) {
        if (t.op < 0 || t.op >= g.numOps() || t.index < 0 || t.index >= g.op(t.op).numOutputs())
            throw ValueError("gradients(): a tensor is not in this graph");
    };
    for (const Output& t : ys)
        checkTensor(t);
    for (const Output& t : xs)
        checkTensor(t);

    NameScope gradScope(g, options.name);
    g.uniqueName("uid");
    GradBuilder b(g);

    // ---- grad_ys (_DefaultGradYs) ----
    std::vector<Output> initial;
    for (size_t i = 0; i < ys.size(); ++i) {
        const Output y = ys[i];
        const std::optional<Output> given = gradYs.empty() ? std::nullopt : gradYs[i];
        if (!given) {
            DType t = baseType(g.info(y).dtype);
            if (t == DType::Complex64 || t == DType::Complex128)
                throw TypeError(cat("Gradients of complex tensors must set grad_ys (y.dtype = ", dtypeRepr(t), ")"));
            Output shape = b.shape(y);
            Output one = b.constant(Tensor::filled(t, {}, 1), cat("grad_ys_", i));
            initial.push_back(b.op("Fill", {{"dims", shape}, {"value", one}}));
        } else {
            DType yt = baseType(g.info(y).dtype), gt = baseType(g.info(*given).dtype);
            if (isFloating(yt) && !isFloating(gt))
                throw TypeError(cat("Gradient type ", dtypeName(gt), " generated for real tensor ", g.tensorName(y),
                                    " with type ", dtypeName(yt), " must be real"));
            if (isInteger(yt) && !isInteger(gt))
                throw TypeError(cat("Gradient type ", dtypeName(gt), " generated for integer tensor ",
                                    g.tensorName(y), " with type ", dtypeName(yt), " must be integer"));
            initial.push_back(b.op("Identity", {{"input", *given}}, {}, cat("grad_ys_", i)));
        }
    }

    // ---- consumers, reached ops (_MarkReachedOps) ----
    const int n = g.numOps();
    std::vector<std::vector<OpId>> consumers(static_cast<size_t>(n));
    for (OpId id = 0; id < n; ++id)
        for (const Output& in : g.op(id).inputs())
            if (in.op >= 0 && in.op < n)
                consumers[size_t(in.op)].push_back(id);
    std::vector<char> reached(size_t(n), 0);
    {
        std::deque<OpId> queue;
        for (const Output& x : xs)
            queue.push_back(x.op);
        while (!queue.empty()) {
            OpId op = queue.front();
            queue.pop_front();
            if (reached[size_t(op)])
                continue;
            reached[size_t(op)] = 1;
            const Operation& o = g.op(op);
            for (int k = 0; k < o.numOutputs(); ++k) {
                if (!isTrainable(o.outputs()[size_t(k)].dtype))
                    continue;
                for (OpId c : consumers[size_t(op)]) {
                    const auto& ins = g.op(c).inputs();
                    if (std::any_of(ins.begin(), ins.end(), [&](const Output& in) { return in == Output{op, k}; }))
                        queue.push_back(c);
                }
            }
        }
    }
    std::unordered_set<OpId> reachableToOps;
    for (const Output& y : ys)
        if (reached[size_t(y.op)])
            reachableToOps.insert(y.op);

    // ---- between ops and pending counts (_PendingCount) ----
    std::vector<char> between(size_t(n), 0);
    std::vector<OpId> betweenList;
    {
        std::deque<OpId> queue;
        for (const Output& y : ys)
            queue.push_back(y.op);
        while (!queue.empty()) {
            OpId op = queue.front();
            queue.pop_front();
            if (!reached[size_t(op)])
                continue;
            between[size_t(op)] = 1;
            betweenList.push_back(op);
            reached[size_t(op)] = 0;
            for (const Output& in : g.op(op).inputs())
                queue.push_back(in.op);
        }
    }
    std::vector<int> pending(size_t(n), 0);
    for (OpId op : betweenList)
        for (const Output& in : g.op(op).inputs())
            if (between[size_t(in.op)])
                ++pending[size_t(in.op)];

    // ---- stop ops (_StopOps) ----
    std::unordered_set<OpId> stopOps;
    for (const Output& x : xs) {
        bool stop = true;
        for (const Output& in : g.op(x.op).inputs())
            if (pending[size_t(in.op)] > 0) {
                stop = false;
                break;
            }
        if (stop)
            stopOps.insert(x.op);
    }
    for (const Output& s : options.stopGradients)
        stopOps.insert(s.op);

    // grads: op -> per output, the list of gradients received
    std::unordered_map<OpId, std::vector<std::vector<Output>>> grads;
    auto setGrad = [&](Output t, Output grad) {
        auto& per = grads[t.op];
        if (per.empty())
            per.resize(size_t(g.op(t.op).numOutputs()));
        per[size_t(t.index)].push_back(grad);
    };
    for (size_t i = 0; i < ys.size(); ++i)
        setGrad(ys[i], initial[i]);

    std::deque<OpId> queue;
    {
        std::unordered_set<OpId> seen;
        for (const Output& y : ys)
            if (pending[size_t(y.op)] == 0 && reachableToOps.count(y.op) && seen.insert(y.op).second)
                queue.push_back(y.op);
    }

    // aggregated gradient per processed op output (what _GetGrad reads)
    std::unordered_map<OpId, GradVec> aggregated;

    while (!queue.empty()) {
        const OpId opId = queue.front();
        queue.pop_front();
        const Operation& op = g.op(opId);

        // _AggregatedGrads
        GradVec outGrads(size_t(op.numOutputs()));
        if (auto it = grads.find(opId); it != grads.end()) {
            for (size_t k = 0; k < it->second.size(); ++k) {
                const auto& list = it->second[k];
                if (list.empty())
                    continue;
                if (list.size() == 1) {
                    outGrads[k] = list[0];
                    continue;
                }
                GradBuilder::Colocate co(b, list[0].op, true);
                std::vector<std::pair<std::string, ops::Input>> args;
                for (const Output& t : list)
                    args.emplace_back("inputs", t);
                outGrads[k] = b.op("AddN", std::move(args));
            }
        }
        aggregated[opId] = outGrads;

        const bool hasOutGrads = std::any_of(outGrads.begin(), outGrads.end(), [](const auto& t) { return bool(t); });
        detail::GradFn fn = nullptr;
        if (hasOutGrads && !stopOps.count(opId)) {
            const detail::GradRule* rule = detail::findGradRule(op.type());
            if (!rule)
                throw LookupError(cat("No gradient defined for operation '", op.name(), "' (op type: ", op.type(),
                                      ")"));
            fn = rule->fn;
        }

        GradVec inGrads(op.inputs().size());
        if (fn && hasOutGrads) {
            // Outputs that got no gradient but could carry one get zeros (ZerosLikeOutsideLoop).
            for (size_t k = 0; k < outGrads.size(); ++k)
                if (!outGrads[k] && isTrainable(op.outputs()[k].dtype))
                    outGrads[k] = op.type() == "Switch" || op.type() == "RefSwitch"
                                      ? detail::switchZeros(b, op, int(k))
                                      : b.zerosLike(Output{opId, int32_t(k)}, false);
            std::string scopeName = cat(op.name(), "_grad");
            auto opScope = openOpScope(g, scopeName);
            inGrads = fn(b, op, outGrads);
            if (inGrads.size() != op.inputs().size())
                throw ValueError(cat("Num gradients ", inGrads.size(), " generated for op ", op.name(),
                                     " do not match num inputs ", op.inputs().size()));
            int present = 0;
            for (const auto& t : inGrads)
                present += t ? 1 : 0;
            if (options.gateGradients && present > 1)
                inGrads = detail::tuple(b, inGrads);
        }
        for (size_t i = 0; i < inGrads.size(); ++i) {
            if (!inGrads[i])
                continue;
            const Output tIn = op.inputs()[i];
            const Shape& want = g.info(tIn).shape;
            const Shape& got = g.info(*inGrads[i]).shape;
            if (!want.isCompatibleWith(got))
                throw ValueError(cat("Incompatible shapes between op input and calculated input gradient.  Forward "
                                     "operation: ",
                                     op.name(), ".  Input index: ", i, ". Original input shape: ", shapeText(want),
                                     ".  Calculated input gradient shape: ", shapeText(got)));
            setGrad(tIn, *inGrads[i]);
        }

        // _UpdatePendingAndEnqueueReady
        for (const Output& in : op.inputs()) {
            int& p = pending[size_t(in.op)];
            --p;
            if (p == 0)
                queue.push_back(in.op);
        }
    }

    GradientList result;
    for (const Output& x : xs) {
        auto it = aggregated.find(x.op);
        if (it == aggregated.end() || size_t(x.index) >= it->second.size())
            result.push_back(std::nullopt);
        else
            result.push_back(it->second[size_t(x.index)]);
    }
    return result;
}

} // namespace scopeviz::train
