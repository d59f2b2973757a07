#pragma once
// Variable initializers (tf.*_initializer). Each builds its ops in the current
// name scope, which getVariable sets to `<var>/Initializer/` (§9.7).
#include "core/graph/graph.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace scopeviz {

/// A callable initializer: builds the initial value for a fully defined shape.
class Initializer {
public:
    virtual ~Initializer() = default;
    /// Builds the initial value in the current name scope.
    virtual Output build(Graph& g, const std::vector<int64_t>& shape, DType dtype) const = 0;
    /// Python-style description, e.g. "truncated_normal_initializer(mean=0.0, stddev=0.1)".
    virtual std::string describe() const = 0;
};

using InitializerPtr = std::shared_ptr<const Initializer>;

/// Constructors mirroring TensorFlow's initializers.
namespace initializers {
InitializerPtr zeros();
InitializerPtr ones();
/// constant_initializer(value): a Const `<var>/Initializer/Const` filled with value.
InitializerPtr constant(double value);
/// constant_initializer(list): values reshaped to the variable's shape.
InitializerPtr constant(std::vector<double> values);
InitializerPtr truncatedNormal(double mean = 0.0, double stddev = 1.0, std::optional<int64_t> seed = std::nullopt);
InitializerPtr randomNormal(double mean = 0.0, double stddev = 1.0, std::optional<int64_t> seed = std::nullopt);
InitializerPtr randomUniform(double minval = 0.0, double maxval = 1.0, std::optional<int64_t> seed = std::nullopt);
/// glorot_uniform_initializer: uniform in ±sqrt(6 / (fan_in + fan_out)) (the float default).
InitializerPtr glorotUniform(std::optional<int64_t> seed = std::nullopt);
} // namespace initializers

} // namespace scopeviz
