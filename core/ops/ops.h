#pragma once
// Op builders with TensorFlow 1.x's naming (docs/scoping.md §6). Generated
// wrappers (`add`, `matmul`, ...) open a name scope named after the op type
// (or the caller's name), convert literal arguments to Consts named after the
// argument inside it (`Add/y`), and create the op verbatim under that scope.
// Python-level composites (`reduceMean`, `truncatedNormal`, losses, the
// overloaded operators `plus`/`minus`/`times`/`divide`) follow the
// structure of their TF 1.15 counterparts so that every child op gets TF's name.
#include "core/graph/graph.h"
#include "core/tensor/tensor.h"

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scopeviz {
struct Variable;
}

namespace scopeviz::ops {

/// An op argument: a graph tensor, or a literal converted to a Const where it is used.
class Input {
public:
    Input(Output o) : m_output(o) {}
    Input(const Variable& v);
    Input(double v) : m_literal{v}, m_isInt(false) {}
    Input(float v) : m_literal{double(v)}, m_isInt(false) {}
    Input(int v) : m_literal{double(v)}, m_isInt(true) {}
    Input(int64_t v) : m_literal{double(v)}, m_isInt(true) {}
    Input(const Tensor& t) : m_tensor(t) {}
    /// A rank-1 integer literal (shapes, axes).
    static Input ints(std::vector<int64_t> v);

    bool isTensor() const { return m_output.valid(); }
    Output output() const { return m_output; }
    /// The tensor, creating a Const named `argName` in the current name scope if needed.
    Output resolve(Graph& g, std::string_view argName, std::optional<DType> dtypeHint = std::nullopt) const;

private:
    Input() = default;
    Output m_output;
    std::optional<Tensor> m_tensor;
    std::vector<double> m_literal;
    std::vector<int64_t> m_dims;
    bool m_isInt = false;
};

// ---- constants and placeholders ---------------------------------------------
/// tf.placeholder (op "Placeholder").
Output placeholder(Graph& g, DType dtype, Shape shape = Shape(), std::string_view name = "");
/// tf.constant (op "Const", created directly: no child scope).
Output constant(Graph& g, const Tensor& value, std::string_view name = "");
Output constant(Graph& g, double value, DType dtype = DType::Float, std::string_view name = "");
/// tf.zeros / tf.ones (a Const below 1000 elements, else Fill).
Output zeros(Graph& g, const std::vector<int64_t>& shape, DType dtype = DType::Float, std::string_view name = "");
Output ones(Graph& g, const std::vector<int64_t>& shape, DType dtype = DType::Float, std::string_view name = "");
Output fill(Graph& g, Input dims, Input value, std::string_view name = "");

// ---- generated wrappers -----------------------------------------------------
/// Creates any registered op the way a generated wrapper does (§6.2).
OpId apply(Graph& g, std::string_view type, std::string_view name, std::vector<std::pair<std::string, Input>> inputs,
           AttrList attrs = {}, std::optional<DType> literalType = std::nullopt);
Output identity(Graph& g, Input x, std::string_view name = "");
Output add(Graph& g, Input x, Input y, std::string_view name = "");      ///< tf.add: "Add"
Output multiply(Graph& g, Input x, Input y, std::string_view name = ""); ///< tf.multiply: "Mul"
Output subtract(Graph& g, Input x, Input y, std::string_view name = ""); ///< tf.subtract: "Sub"
Output realDiv(Graph& g, Input x, Input y, std::string_view name = "");  ///< "RealDiv"
Output maximum(Graph& g, Input x, Input y, std::string_view name = "");
Output matmul(Graph& g, Input a, Input b, bool transposeA = false, bool transposeB = false, std::string_view name = "");
Output biasAdd(Graph& g, Input value, Input bias, std::string_view name = "");
Output relu(Graph& g, Input x, std::string_view name = "");
Output sigmoid(Graph& g, Input x, std::string_view name = "");
Output tanh(Graph& g, Input x, std::string_view name = "");
Output softmax(Graph& g, Input x, std::string_view name = "");
Output square(Graph& g, Input x, std::string_view name = "");
Output neg(Graph& g, Input x, std::string_view name = "");
Output equal(Graph& g, Input x, Input y, std::string_view name = "");
Output reshape(Graph& g, Input tensor, Input shape, std::string_view name = "");
Output shape(Graph& g, Input x, DType outType = DType::Int32, std::string_view name = "");
Output assign(Graph& g, Output ref, Input value, bool validateShape = true, bool useLocking = true,
              std::string_view name = "");

// ---- overloaded operators (§6.3): lower-case default names ---------------------
Output plus(Graph& g, Input x, Input y);   ///< x + y: "add" (AddV2)
Output minus(Graph& g, Input x, Input y);  ///< x - y: "sub"
Output times(Graph& g, Input x, Input y);  ///< x * y: "mul"
Output divide(Graph& g, Input x, Input y); ///< x / y: "truediv" (RealDiv)
Output negate(Graph& g, Input x);          ///< -x: "Neg"

// ---- composites --------------------------------------------------------------
/// tf.reduce_mean / reduce_sum: with no axis, a Const of all axes is created
/// in the current scope (named "Const"), then "Mean"/"Sum".
Output reduceMean(Graph& g, Input x, std::optional<std::vector<int64_t>> axis = std::nullopt, bool keepDims = false,
                  std::string_view name = "");
Output reduceSum(Graph& g, Input x, std::optional<std::vector<int64_t>> axis = std::nullopt, bool keepDims = false,
                 std::string_view name = "");
/// tf.argmax (v1): "ArgMax" with a "dimension" Const.
Output argmax(Graph& g, Input x, int64_t axis, DType outputType = DType::Int64, std::string_view name = "");
/// tf.cast: "Cast" (returns x itself when the dtype already matches).
Output cast(Graph& g, Input x, DType dtype, std::string_view name = "");
/// tf.nn.sparse_softmax_cross_entropy_with_logits: scope
/// "SparseSoftmaxCrossEntropyWithLogits" holding "Shape" and the kernel op.
Output sparseSoftmaxCrossEntropyWithLogits(Graph& g, Input labels, Input logits, std::string_view name = "");
/// tf.nn.softmax_cross_entropy_with_logits_v2.
Output softmaxCrossEntropyWithLogitsV2(Graph& g, Input labels, Input logits, std::string_view name = "");
/// tf.random.truncated_normal / random_normal / random_uniform (composite, §6.3).
Output truncatedNormal(Graph& g, const std::vector<int64_t>& shape, double mean = 0, double stddev = 1,
                       DType dtype = DType::Float, std::optional<int64_t> seed = std::nullopt,
                       std::string_view name = "");
Output randomNormal(Graph& g, const std::vector<int64_t>& shape, double mean = 0, double stddev = 1,
                    DType dtype = DType::Float, std::optional<int64_t> seed = std::nullopt, std::string_view name = "");
Output randomUniform(Graph& g, const std::vector<int64_t>& shape, double minval = 0, double maxval = 1,
                     DType dtype = DType::Float, std::optional<int64_t> seed = std::nullopt,
                     std::string_view name = "");
/// tf.no_op.
OpId noOp(Graph& g, std::string_view name = "", std::vector<OpId> controlInputs = {});
/// tf.group: a NoOp (default name "group_deps") with control inputs.
OpId group(Graph& g, std::vector<OpId> ops, std::string_view name = "");
/// tf.global_variables_initializer(): NoOp "init" with control inputs from every variable's Assign.
OpId globalVariablesInitializer(Graph& g);

/// TF's get_seed: (graph seed, op seed) -> (seed, seed2) attrs for a random op.
std::pair<int64_t, int64_t> randomSeeds(Graph& g, std::optional<int64_t> opSeed);

} // namespace scopeviz::ops
