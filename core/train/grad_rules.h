#pragma once
// The gradient rule table (tinygrad style): one rule per differentiable op
// type, plus the types TF registers as NotDifferentiable.
#include "core/train/grad_builder.h"

#include <optional>
#include <string_view>
#include <vector>

namespace scopeviz::train::detail {

/// Gradients of an op's outputs (nullopt: that output gets none), or of its inputs.
using GradVec = std::vector<std::optional<Output>>;

/// A rule: builds the input gradients of `op` from its output gradients, in the
/// current name scope (`gradients/<op>_grad/`). Returns one entry per input.
using GradFn = GradVec (*)(GradBuilder& b, const Operation& op, const GradVec& grads);

/// One table entry; `fn == nullptr` marks an op as not differentiable (TF's ops.NotDifferentiable).
struct GradRule {
    GradFn fn = nullptr;
};

/// The rule for an op type, or nullptr when the type has no entry at all (TF's LookupError).
const GradRule* findGradRule(std::string_view type);

/// ZerosLikeOutsideLoop for output `index` of a tf.cond's Switch that got no gradient:
/// `Switch` of the data, an `Identity` pivot, `Shape`, then `zeros` under ^pivot.
Output switchZeros(GradBuilder& b, const Operation& op, int index);

} // namespace scopeviz::train::detail
