#pragma once
// GradBuilder: builds ops the way TF 1.15's Python layer does inside gradient
// functions and optimizers, so every op gets TF's name.
//
// Three Python mechanisms matter for names and edges:
//  * generated wrappers (`gen_math_ops.mul`) open a name scope named after the
//    op type, create literal arguments as Consts named after the argument
//    (`ExpandDims/dim`), then the op verbatim under that scope;
//  * overloaded operators (`a * b`) use lower-case scope names (`mul`);
//  * `array_ops.shape(x)` / `size(x)` return a Const when x's static shape is
//    fully defined, and a Shape/Size op otherwise.
// And two context managers:
//  * control_dependencies(deps): every op created inside gets the deps as
//    control inputs, except that TF skips deps that are already data inputs,
//    and skips a block's deps entirely for an op whose data input was itself
//    created inside that block (it is "dominated"). We mirror both rules, so
//    `gradients/Square_grad/Const` carries `^grad` while `Mul` does not.
//  * colocate_with(op): `_class = ["loc:@<root>"]` on the ops created inside.
#include "core/graph/graph.h"
#include "core/ops/ops.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scopeviz::train::detail {

/// Op building with TF 1.15's Python naming (see the file comment).
class GradBuilder {
public:
    explicit GradBuilder(Graph& g);
    ~GradBuilder();
    GradBuilder(const GradBuilder&) = delete;
    GradBuilder& operator=(const GradBuilder&) = delete;

    /// The graph ops are built into.
    Graph& graph() { return m_g; }
    /// Static dtype and shape of a tensor.
    const OutputInfo& info(Output o) const { return m_g.info(o); }
    /// The (non-ref) dtype of a tensor.
    DType dtype(Output o) const { return baseType(m_g.info(o).dtype); }

    /// A generated wrapper: scope `name` (default: the type), literal inputs as
    /// Consts named after their argument, the op created verbatim. Returns the op.
    OpId wrapper(std::string_view type, std::vector<std::pair<std::string, ops::Input>> inputs, AttrList attrs = {},
                 std::string_view name = "", std::optional<DType> literalType = std::nullopt);
    /// Output 0 of wrapper().
    Output op(std::string_view type, std::vector<std::pair<std::string, ops::Input>> inputs, AttrList attrs = {},
              std::string_view name = "");
    /// An overloaded operator: scope `scopeName` ("mul", "sub", "add", ...), literals "x"/"y".
    Output binaryOperator(std::string_view scopeName, std::string_view type, ops::Input x, ops::Input y);
    /// Creates an op directly (Graph.create_op), applying the control-dependency rules.
    OpId create(std::string_view type, std::string_view name, std::vector<Output> inputs, AttrList attrs = {});

    /// constant_op.constant(value, name) (default name "Const").
    Output constant(const Tensor& value, std::string_view name = "Const");
    /// array_ops.shape: a Const when the shape is fully defined, else a Shape op.
    Output shape(Output x, std::string_view name = "Shape");
    /// array_ops.size: a Const when the shape is fully defined, else a Size op.
    Output size(Output x);
    /// array_ops.reshape(x, shape) ("Reshape", with "Reshape/shape" for a literal).
    Output reshape(Output x, ops::Input shape);
    /// gen_math_ops._sum(x, axes) ("Sum", literal axes as "Sum/reduction_indices").
    Output sum(Output x, ops::Input axes, bool keepDims = false);
    /// reduce_sum / reduce_prod over all axes: "Const" (the axes) then "Sum"/"Prod".
    Output reduceAll(std::string_view type, Output x);
    /// gen_math_ops.mat_mul.
    Output matmul(Output a, Output b, bool transposeA, bool transposeB);
    /// math_ops.cast: x itself when the dtype matches, else "Cast".
    Output cast(Output x, DType t);
    /// array_ops.zeros(shapeTensor, dtype): "zeros/Const" + Fill "zeros".
    Output zeros(Output shape, DType t);
    /// array_ops.zeros_like(x, optimize): "zeros_like" (a Const when small and fully defined).
    Output zerosLike(Output x, bool optimize = true);
    /// array_ops.ones_like(x): "ones_like/Shape" (a Const when fully defined), "ones_like/Const", Fill "ones_like".
    Output onesLike(Output x);
    /// array_ops.expand_dims(x, axis): "ExpandDims/dim" + "ExpandDims".
    Output expandDims(Output x, int axis);
    /// _safe_shape_div(x, y) = x // maximum(y, 1): "Maximum/y", "Maximum", "floordiv".
    Output safeShapeDiv(Output x, Output y);
    /// math_ops.reduced_shape(input_shape, axes): the kept-dims shape of a reduction.
    Output reducedShape(Output inputShape, Output axes);

    /// `with ops.control_dependencies(deps)` (RAII).
    class ControlDependencies {
    public:
        ControlDependencies(GradBuilder& b, std::vector<OpId> deps);
        ~ControlDependencies();
        ControlDependencies(const ControlDependencies&) = delete;
        ControlDependencies& operator=(const ControlDependencies&) = delete;

    private:
        GradBuilder& m_b;
    };
    /// `with ops.colocate_with(op)` (RAII); `ignoreExisting` with an invalid op clears colocation.
    class Colocate {
    public:
        Colocate(GradBuilder& b, OpId op, bool ignoreExisting = false);
        ~Colocate();
        Colocate(const Colocate&) = delete;
        Colocate& operator=(const Colocate&) = delete;

    private:
        GradBuilder& m_b;
        std::string m_saved;
    };
    /// TF's op.colocation_groups()[0]: the op's `_class` entry, else "loc:@<name>".
    std::string colocationGroup(OpId op) const;

private:
    struct Frame {
        std::vector<OpId> deps;
        OpId firstOp; ///< ops created inside the block have ids >= firstOp
    };
    std::vector<OpId> controlInputsFor(const std::vector<Output>& inputs) const;
    void syncThreadDeps();

    Graph& m_g;
    std::vector<OpId> m_base; ///< control deps in effect when the builder was made
    std::vector<Frame> m_frames;
};

/// control_flow_ops.tuple(tensors): `tuple/group_deps` (a NoOp gated on every tensor's op)
/// and one `tuple/control_dependency[_N]` Identity per tensor, colocated with its producer.
std::vector<std::optional<Output>> tuple(GradBuilder& b, const std::vector<std::optional<Output>>& tensors);

/// tensor_util.constant_value for the cases gradient rules need (Const, Shape of a fully known tensor).
std::optional<Tensor> constantValue(const Graph& g, Output t);

} // namespace scopeviz::train::detail
