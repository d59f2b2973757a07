#pragma once
// Kernel fusion chosen when the Session builds an execution plan (see
// fusion.cpp): a step may run a fused kernel over other inputs than its op's,
// and a step the fusion makes redundant is left out. Users never see it: op
// names, error texts and every value a run fetches stay as without fusion.
#include "core/exec/kernel.h"
#include "core/graph/graph.h"

#include <functional>
#include <vector>

namespace scopeviz::exec::detail {

/// One plan step that runs a fused kernel instead of its op's own.
struct FusedStep {
    OpId op = -1;                 ///< the op whose step runs `kernel`
    const KernelDef* kernel = nullptr;
    /// The step's inputs, replacing the op's. Output{x, i} with i >= numOutputs of x
    /// names a hidden output of x's (fused) step.
    std::vector<Output> inputs;
    int hiddenOutputs = 0;        ///< outputs after the op's own, read only by other fused steps
};

/// What a plan changes: the fused steps and the ops left out.
struct FusionPlan {
    std::vector<FusedStep> steps;
    std::vector<OpId> dropped;
};

/// The fusions for a run that executes `order` (pruned, topological). `isFed` and
/// `isFetched` tell about the run's feeds and fetches: a fetched or fed
/// intermediate is never fused away.
FusionPlan planFusions(const Graph& g, const std::vector<OpId>& order, const std::function<bool(Output)>& isFed,
                       const std::function<bool(Output)>& isFetched);

/// The fused kernels (core/exec/kernels/fused_kernels.cpp).
/// relu(x + bias) for x [rows, n] and bias [n] (inputs: x, bias).
const KernelDef& biasReluKernel();
/// ReluGrad (inputs: gradients, features) plus a hidden output: the column sums of
/// its result when that is a matrix (else left unset).
const KernelDef& reluGradColumnSumKernel();
/// Sum (inputs: x, axes, column sums of x): the precomputed sums when they are what
/// the Sum asks for, else the Sum kernel itself.
const KernelDef& sumFromColumnSumKernel();
/// BiasAddGrad (inputs: x, column sums of x): likewise.
const KernelDef& biasAddGradFromColumnSumKernel();

} // namespace scopeviz::exec::detail
