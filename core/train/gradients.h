#pragma once
// tf.gradients (TensorFlow 1.15, graph mode): builds the backward graph into
// the same Graph, under TF's names (docs/scoping.md §3, §6): everything inside a
// uniquified name scope `gradients` (`gradients_1`, ...), the default
// `grad_ys` as `gradients/Shape` + `gradients/grad_ys_0` + `gradients/Fill`,
// each op's gradient under `gradients/<op name>_grad/`, sums of several
// incoming gradients as `gradients/AddN`, `gradients/AddN_1`, ...
//
//     Output loss = ...;
//     auto grads = train::gradients(g, {loss}, {weights.ref(), biases.ref()});
//     // grads[0] -> e.g. "gradients/my_net/MatMul_grad/MatMul_1"
//
// The gradient of each op type comes from one rule in a table
// (core/train/grad_rules.cpp), written after TF's own gradient functions so
// that the ops they create, and their order, match.
#include "core/graph/graph.h"
#include "core/util/error.h"

#include <optional>
#include <string>
#include <vector>

namespace scopeviz::train {

/// Python's LookupError: no gradient rule for an op on the path (TF's text:
/// "No gradient defined for operation '<name>' (op type: <type>)").
class LookupError : public Error {
public:
    using Error::Error;
};

/// Optional arguments of tf.gradients.
struct GradientsOptions {
    /// Name of the scope holding every gradient op (uniquified).
    std::string name = "gradients";
    /// gate_gradients: wrap the input gradients of every op with more than one
    /// of them in `tuple/group_deps` + `tuple/control_dependency` (what
    /// Optimizer.compute_gradients asks for with GATE_OP).
    bool gateGradients = false;
    /// Tensors treated as constants (stop_gradients).
    std::vector<Output> stopGradients;
};

/// One gradient per x: d(sum of ys)/dx, or nullopt when x does not affect the ys.
using GradientList = std::vector<std::optional<Output>>;

/// tf.gradients(ys, xs, grad_ys). `gradYs` is empty or has one entry per y
/// (nullopt = ones, as TF's default). xs may be variable refs (`v.ref()`), reads
/// (`v.value()`) or any float tensor. Throws LookupError for an op on the path
/// without a gradient rule, ValueError/TypeError for bad arguments.
GradientList gradients(Graph& g, const std::vector<Output>& ys, const std::vector<Output>& xs,
                       const std::vector<std::optional<Output>>& gradYs = {}, const GradientsOptions& options = {});

/// True when op type `type` has a gradient rule (differentiable or explicitly not).
bool hasGradientRule(std::string_view type);
/// True when op type `type` is registered as differentiable.
bool isDifferentiable(std::string_view type);

} // namespace scopeviz::train
