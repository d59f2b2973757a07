#pragma once
// getVariable (tf.get_variable, docs/scoping.md §9) and Variable() (tf.Variable, §10).
//
// The full name comes from the variable-scope chain only; the ops are built
// from the root name scope under `name_scope(full)` (§9.3, §9.7). The store
// decides create-vs-reuse from the scope's reuse flag (§9.5), and every call
// is recorded in the graph's reuse trace with its outcome.
#include "core/graph/graph.h"
#include "core/ops/initializers.h"

#include <optional>
#include <source_location>
#include <string>
#include <string_view>
#include <vector>

namespace scopeviz {

/// Handle to a variable of a graph.
struct Variable {
    Graph* graph = nullptr;
    int index = -1;

    bool valid() const { return graph && index >= 0; }
    const VariableInfo& info() const { return graph->variable(index); }
    /// The value read by consumers: the `<var>/read` snapshot.
    Output value() const { return Output{info().readOp, 0}; }
    /// The reference output of the VariableV2 op.
    Output ref() const { return Output{info().op, 0}; }
    /// `v.name`, e.g. "my_net/weights:0".
    std::string name() const { return std::string(graph->op(info().op).name()) + ":0"; }
    /// The initializer (Assign) op.
    OpId initializer() const { return info().assignOp; }
    bool operator==(const Variable& o) const { return graph == o.graph && index == o.index; }
};

/// Optional arguments of getVariable.
struct GetVariableOptions {
    std::optional<Shape> shape;          ///< nullopt = shape=None
    std::optional<DType> dtype;          ///< nullopt = the scope's dtype
    InitializerPtr initializer;          ///< callable initializer
    std::optional<Tensor> initialValue;  ///< a constant initializer (non-callable)
    std::optional<Output> initialTensor; ///< a Tensor initializer: used as is, no Initializer ops
    std::optional<bool> trainable;
    std::vector<std::string> collections; ///< empty = ["variables"] (+ "trainable_variables")
    bool local = false;                   ///< get_local_variable
    std::string definedAt;                ///< frames for "Originally defined at:" (Python passes its traceback)
    /// Where the call is, for the trace ("file:line", callers after ';'); empty: the C++ caller's location.
    std::string source;
};

/// tf.get_variable(name, ...). Throws ValueError with TensorFlow's texts.
Variable getVariable(Graph& g, std::string_view name, const GetVariableOptions& options = {},
                     std::source_location loc = std::source_location::current());
/// tf.get_variable(name, shape, dtype, initializer).
Variable getVariable(Graph& g, std::string_view name, std::vector<int64_t> shape, DType dtype = DType::Float,
                     InitializerPtr initializer = nullptr,
                     std::source_location loc = std::source_location::current());

/// tf.Variable(initial_value, name=...): named from the current *name* scope (§10).
Variable makeVariable(Graph& g, const Tensor& initialValue, std::string_view name = "", bool trainable = true);
/// tf.Variable(initializer-callable, shape).
Variable makeVariable(Graph& g, const InitializerPtr& init, std::vector<int64_t> shape, DType dtype = DType::Float,
                      std::string_view name = "", bool trainable = true);

} // namespace scopeviz
