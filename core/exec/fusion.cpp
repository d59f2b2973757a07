// Kernel fusion at plan time.
//
// A dense layer relu(x W + b) runs as MatMul, Add (or BiasAdd), Relu: after
// the GEMM, two more passes over its output, each reading and writing the whole
// activation. Its gradient is the mirror image: ReluGrad, then the bias
// gradient, a column sum over the same matrix (a Sum over the batch axis, as
// TF's Add gradient builds it, or BiasAddGrad). On a 2-core machine with GEMMs
// through OpenBLAS, these passes are a visible share of a training step. So
// when the Session builds a plan it looks for two patterns and gives the
// matching steps fused kernels (core/exec/kernels/fused_kernels.cpp):
//
//  1. Bias + Relu. Relu(P) where P = AddV2(X, b) (`x + b`; also the older Add)
//     or BiasAdd(X, b), X statically
//     [?, n], b statically [n], float or double, and P is read by that Relu
//     alone: not fetched, not fed, no other data or control reader. The Relu
//     step computes max(X + b, 0) in one pass (in X's buffer when the Session
//     lets it go) and the Add step is dropped. X, the GEMM output, stays a
//     value of its own, so anything else reading it (the gradient's Shape op)
//     is unaffected. The arithmetic is the same (one add, one max per element),
//     so results are identical to the unfused ops.
//  2. ReluGrad + column sum. ReluGrad(G, F) whose result D is read by a Sum
//     (the bias side of an Add gradient) or a BiasAddGrad: the ReluGrad step
//     computes D and, in the same pass, D's column sums into a hidden output;
//     the Sum or BiasAddGrad step keeps its place and inputs and gets the
//     hidden value as an extra input. At run time it checks that the sums are
//     what it computes (a matrix, reduced over axis 0 alone, which
//     BroadcastGradientArgs only tells at run time) and returns a copy of them,
//     else it runs its own kernel. The sums are accumulated row after row in
//     the order the Sum kernel uses, so a Sum's result is identical;
//     BiasAddGrad adds four rows at a time, so there the two agree up to
//     float rounding.
//
// Users see nothing of it: op names, error texts and every fetched value are
// unchanged, and fetching or feeding the intermediate (P) turns pattern 1 off.
// SessionOptions::fuseOps = false runs every op's own kernel, which the tests
// use as the reference. Considered and left out: fusing the bias and Relu into
// the GEMM itself (OpenBLAS has no epilogue; a beta = 1 GEMM over a
// bias-filled output still needs a pass to write it), and the head layer's
// bias add without activation (10 columns: nothing to gain).
#include "core/exec/fusion.h"

#include <unordered_map>

namespace scopeviz::exec::detail {

namespace {

int64_t pack(Output o) { return (int64_t(o.op) << 32) | int64_t(uint32_t(o.index)); }

bool floatType(DType t)
{
    t = baseType(t);
    return t == DType::Float || t == DType::Double;
}

/// BiasAdd in NHWC, or on a matrix (where NCHW means the same).
bool biasAddOnLastDim(const Operation& o, int rank)
{
    const AttrValue* f = o.attrs().find("data_format");
    return rank == 2 || !f || f->kind() != AttrValue::Kind::String || f->str() != "NCHW";
}

} // namespace

FusionPlan planFusions(const Graph& g, const std::vector<OpId>& order, const std::function<bool(Output)>& isFed,
                       const std::function<bool(Output)>& isFetched)
{
    FusionPlan plan;
    // Data readers of every value the run computes, and ops that are control inputs.
    std::unordered_map<int64_t, std::vector<OpId>> readers;
    std::unordered_map<OpId, int> controlReaders;
    for (OpId id : order) {
        const Operation& o = g.op(id);
        for (const Output& in : o.inputs())
            if (!isFed(in))
                readers[pack(in)].push_back(id);
        for (OpId c : o.controlInputs())
            ++controlReaders[c];
    }
    auto onlyReader = [&](Output v, OpId reader) {
        auto it = readers.find(pack(v));
        return it != readers.end() && it->second.size() == 1 && it->second[0] == reader;
    };
    std::unordered_map<OpId, uint8_t> inOrder;
    for (OpId id : order)
        inOrder[id] = 1;

    for (OpId id : order) {
        const Operation& o = g.op(id);
        // 1. Relu(AddV2(X, b)) / Relu(BiasAdd(X, b)).
        if (o.type() == "Relu" && o.inputs().size() == 1) {
            const Output p = o.inputs()[0];
            if (isFed(p) || isFetched(p) || !inOrder.count(p.op) || !onlyReader(p, id) || controlReaders.count(p.op))
                continue;
            const Operation& add = g.op(p.op);
            const std::string& at = add.type();
            if ((at != "AddV2" && at != "Add" && at != "BiasAdd") || add.inputs().size() != 2 || add.numOutputs() != 1)
                continue;
            const OutputInfo& xi = g.info(add.inputs()[0]);
            const OutputInfo& bi = g.info(add.inputs()[1]);
            const DType t = baseType(xi.dtype);
            if (!floatType(t) || baseType(bi.dtype) != t || baseType(o.outputs()[0].dtype) != t)
                continue;
            if (xi.shape.rank() != 2 || bi.shape.rank() != 1 || bi.shape.dim(0) < 0 ||
                xi.shape.dim(1) != bi.shape.dim(0))
                continue;
            if (add.type() == "BiasAdd" && !biasAddOnLastDim(add, 2))
                continue;
            plan.steps.push_back(FusedStep{id, &biasReluKernel(), {add.inputs()[0], add.inputs()[1]}, 0});
            plan.dropped.push_back(add.id());
            continue;
        }
        // 2. ReluGrad read by Sum / BiasAddGrad.
        if (o.type() == "ReluGrad" && o.inputs().size() == 2 && floatType(o.outputs()[0].dtype)) {
            const Output d{id, 0};
            auto it = readers.find(pack(d));
            if (it == readers.end())
                continue;
            std::vector<FusedStep> takers;
            for (OpId r : it->second) {
                const Operation& ro = g.op(r);
                if (ro.inputs().empty() || ro.inputs()[0] != d)
                    continue;
                bool dup = false;
                for (const FusedStep& f : takers)
                    dup = dup || f.op == r;
                if (dup)
                    continue;
                if (ro.type() == "Sum" && ro.inputs().size() == 2) {
                    takers.push_back(FusedStep{r, &sumFromColumnSumKernel(), {ro.inputs()[0], ro.inputs()[1],
                                                                                Output{id, o.numOutputs()}}, 0});
                } else if (ro.type() == "BiasAddGrad" && ro.inputs().size() == 1 && biasAddOnLastDim(ro, 2)) {
                    takers.push_back(
                        FusedStep{r, &biasAddGradFromColumnSumKernel(), {ro.inputs()[0], Output{id, o.numOutputs()}}, 0});
                }
            }
            if (takers.empty())
                continue;
            plan.steps.push_back(FusedStep{id, &reluGradColumnSumKernel(), o.inputs(), 1});
            plan.steps.insert(plan.steps.end(), takers.begin(), takers.end());
        }
    }
    return plan;
}

} // namespace scopeviz::exec::detail
