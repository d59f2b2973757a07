// One gradient rule per op type, each written after the TF 1.15 Python
// gradient function of the same op (math_grad.py, nn_grad.py, array_grad.py)
// so that it creates the same ops, in the same order, under the same names:
// e.g. the broadcasting binary ops build `Shape`, `Shape_1`,
// `BroadcastGradientArgs`, `Sum`, `Reshape`, `Sum_1`, `Reshape_1`, and
// reduce_mean builds `Reshape/shape`, `Reshape`, `Shape`, `Tile`, `Shape_1`,
// `Shape_2`, `Const`, `Prod`, `Const_1`, `Prod_1`, `Maximum/y`, `Maximum`,
// `floordiv`, `Cast`, `truediv`.
//
// Deliberate simplifications (documented where they occur):
//  * SoftmaxCrossEntropyWithLogits ignores a non-zero gradient arriving at its
//    backprop output (TF adds a second-order term with BatchMatMul/Squeeze);
//    such a gradient raises LookupError rather than being silently dropped.
//  * Second-order rules for the *Grad ops, DynamicStitch and Prod are not
//    in the table: differentiating through them raises LookupError.
#include "core/train/grad_rules.h"

#include "core/scope/variable_scope.h"
#include "core/train/gradients.h"
#include "core/util/error.h"
#include "core/util/strings.h"

#include <unordered_map>

namespace scopeviz::train::detail {
namespace {

using ops::Input;

Output g0(const GradVec& grads) { return *grads[0]; }

Output in(const Operation& op, int i) { return op.inputs()[size_t(i)]; }
Output out(const Operation& op, int i) { return Output{op.id(), i}; }

/// Attrs with the outputs given to Graph::createOp (op types without a shape function:
/// Switch, Merge, Pack, Unpack, Transpose, ConcatV2, ConcatOffset, Slice, ...).
AttrList withOutputs(AttrList a, std::vector<DType> types, std::vector<Shape> shapes)
{
    a.set("_scopeviz_output_types", AttrValue::typeList(std::move(types)));
    a.set("_scopeviz_output_shapes", AttrValue::shapeList(std::move(shapes)));
    return a;
}

AttrList typed(std::initializer_list<std::pair<const char*, AttrValue>> attrs)
{
    AttrList a;
    for (const auto& [k, v] : attrs)
        a.set(k, v);
    return a;
}

/// array_ops.shape_n(xs): one "ShapeN" op with an int32 shape per input (always an op,
/// even for fully known shapes).
OpId shapeN(GradBuilder& b, const std::vector<Output>& xs)
{
    std::vector<std::pair<std::string, ops::Input>> args;
    std::vector<Shape> shapes;
    for (const Output& x : xs) {
        args.emplace_back("input", x);
        const Shape& s = b.info(x).shape;
        shapes.push_back(s.rankKnown() ? Shape(std::vector<int64_t>{int64_t(s.rank())}) : Shape());
    }
    AttrList a = typed({{"T", AttrValue::type(b.dtype(xs[0]))}, {"N", AttrValue::integer(int64_t(xs.size()))},
                        {"out_type", AttrValue::type(DType::Int32)}});
    return b.wrapper("ShapeN", std::move(args),
                     withOutputs(std::move(a), std::vector<DType>(xs.size(), DType::Int32), std::move(shapes)));
}

/// _ShapesFullySpecifiedAndEqual. The incoming gradient's static shape is merged
/// with the forward output's, as TF's set_shape on every gradient makes it.
bool shapesFullySpecifiedAndEqual(GradBuilder& b, const Operation& op, Output grad)
{
    const Shape& x = b.info(in(op, 0)).shape;
    const Shape& y = b.info(in(op, 1)).shape;
    auto gs = b.info(grad).shape.mergeWith(b.info(out(op, 0)).shape);
    Shape g = gs ? *gs : b.info(grad).shape;
    return x.isFullyDefined() && x == y && x == g;
}

struct Bcast {
    Output sx, sy, rx, ry;
};

/// sx = shape(x); sy = shape(y); rx, ry = broadcast_gradient_args(sx, sy)
Bcast broadcastArgs(GradBuilder& b, const Operation& op)
{
    Bcast r;
    r.sx = b.shape(in(op, 0));
    r.sy = b.shape(in(op, 1));
    OpId args = b.wrapper("BroadcastGradientArgs", {{"s0", r.sx}, {"s1", r.sy}});
    r.rx = Output{args, 0};
    r.ry = Output{args, 1};
    return r;
}

// ---- element-wise binary ------------------------------------------------------

GradVec addGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    Output grad = g0(grads);
    if (shapesFullySpecifiedAndEqual(b, op, grad))
        return {grad, grad};
    Bcast bc = broadcastArgs(b, op);
    Output gx = b.reshape(b.sum(grad, bc.rx), bc.sx);
    Output gy = b.reshape(b.sum(grad, bc.ry), bc.sy);
    return {gx, gy};
}

GradVec subGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    Output grad = g0(grads);
    if (shapesFullySpecifiedAndEqual(b, op, grad))
        return {grad, b.op("Neg", {{"x", grad}})};
    Bcast bc = broadcastArgs(b, op);
    Output gx = b.reshape(b.sum(grad, bc.rx), bc.sx);
    Output sy = b.sum(grad, bc.ry);
    Output gy = b.reshape(b.op("Neg", {{"x", sy}}), bc.sy);
    return {gx, gy};
}

GradVec mulGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    Output grad = g0(grads), x = in(op, 0), y = in(op, 1);
    DType t = b.dtype(grad);
    if (shapesFullySpecifiedAndEqual(b, op, grad) && (t == DType::Int32 || t == DType::Float))
        return {b.op("Mul", {{"x", grad}, {"y", y}}), b.op("Mul", {{"x", grad}, {"y", x}})};
    Bcast bc = broadcastArgs(b, op);
    Output gx = b.reshape(b.sum(b.op("Mul", {{"x", grad}, {"y", y}}), bc.rx), bc.sx);
    Output gy = b.reshape(b.sum(b.op("Mul", {{"x", x}, {"y", grad}}), bc.ry), bc.sy);
    return {gx, gy};
}

/// _RealDivGrad and _DivNoNanGrad: gx = sum(grad / y), gy = sum(grad * ((-x / y) / y)), each
/// reduced over its broadcast axes and reshaped, with `div` the op's own division.
template <class Div>
GradVec divGrad(GradBuilder& b, const Operation& op, const GradVec& grads, Div&& div)
{
    Output grad = g0(grads), x = in(op, 0), y = in(op, 1);
    Bcast bc = broadcastArgs(b, op);
    Output gx = b.reshape(b.sum(div(grad, y), bc.rx), bc.sx);
    Output negX = b.op("Neg", {{"x", x}});
    Output q = div(div(negX, y), y);
    Output gy = b.reshape(b.sum(b.binaryOperator("mul", "Mul", grad, q), bc.ry), bc.sy);
    return {gx, gy};
}

GradVec realDivGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    return divGrad(b, op, grads, [&](Output x, Output y) { return b.op("RealDiv", {{"x", x}, {"y", y}}); });
}

/// math_ops.div_no_nan(x, y): the DivNoNan op named after its scope "div_no_nan".
GradVec divNoNanGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    return divGrad(b, op, grads,
                   [&](Output x, Output y) { return b.op("DivNoNan", {{"x", x}, {"y", y}}, {}, "div_no_nan"); });
}

/// _PowGrad: gx = sum(grad * (y * pow(x, y - 1))), gy = sum(grad * (z * log(x))) with log(x)
/// taken as 0 where x <= 0 (Greater, ones_like, Select, Log, zeros_like, Select_1).
GradVec powGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    Output grad = g0(grads), x = in(op, 0), y = in(op, 1), z = out(op, 0);
    Bcast bc = broadcastArgs(b, op);
    Output p = b.op("Pow", {{"x", x}, {"y", b.binaryOperator("sub", "Sub", y, ops::Input(1))}});
    Output yp = b.binaryOperator("mul", "Mul", y, p);
    Output gx = b.reshape(b.sum(b.op("Mul", {{"x", grad}, {"y", yp}}), bc.rx), bc.sx);
    Output mask = b.binaryOperator("Greater", "Greater", x, ops::Input(0));
    Output safeX = b.op("Select", {{"condition", mask}, {"t", x}, {"e", b.onesLike(x)}});
    Output logX = b.op("Select", {{"condition", mask}, {"t", b.op("Log", {{"x", safeX}})}, {"e", b.zerosLike(x)}});
    Output zl = b.binaryOperator("mul", "Mul", z, logX);
    Output gy = b.reshape(b.sum(b.op("Mul", {{"x", grad}, {"y", zl}}), bc.ry), bc.sy);
    return {gx, gy};
}

/// _FloorModGrad: (grad, grad * -floor_div(x, y)), each reduced to its input's shape.
GradVec floorModGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    Output grad = g0(grads);
    Bcast bc = broadcastArgs(b, op);
    Output floorXY = b.op("FloorDiv", {{"x", in(op, 0)}, {"y", in(op, 1)}});
    Output gx = b.reshape(b.sum(grad, bc.rx), bc.sx);
    Output negFloor = b.op("Neg", {{"x", floorXY}});
    Output gy = b.reshape(b.sum(b.binaryOperator("mul", "Mul", grad, negFloor), bc.ry), bc.sy);
    return {gx, gy};
}

/// _SinGrad / _CosGrad: grad * cos(x), -grad * sin(x), built under ^grad.
GradVec sinGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    Output grad = g0(grads);
    GradBuilder::ControlDependencies deps(b, {grad.op});
    return {b.binaryOperator("mul", "Mul", grad, b.op("Cos", {{"x", in(op, 0)}}))};
}

GradVec cosGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    Output grad = g0(grads);
    GradBuilder::ControlDependencies deps(b, {grad.op});
    Output neg = b.op("Neg", {{"x", grad}});
    return {b.binaryOperator("mul", "Mul", neg, b.op("Sin", {{"x", in(op, 0)}}))};
}

/// _MaximumMinimumGrad: the gradient goes to x where selector(x, y) holds, else to y.
GradVec maxMinGrad(GradBuilder& b, const Operation& op, const GradVec& grads, const char* selector)
{
    Output grad = g0(grads), x = in(op, 0), y = in(op, 1);
    Output sx = b.shape(x);
    Output sy = b.shape(y);
    Output gradShape = b.shape(grad);
    Output zeros = b.zeros(gradShape, b.dtype(grad));
    Output mask = b.op(selector, {{"x", x}, {"y", y}});
    OpId args = b.wrapper("BroadcastGradientArgs", {{"s0", sx}, {"s1", sy}});
    Output xgrad = b.op("Select", {{"condition", mask}, {"t", grad}, {"e", zeros}});
    Output ygrad = b.op("Select", {{"condition", mask}, {"t", zeros}, {"e", grad}});
    Output gx = b.reshape(b.sum(xgrad, Output{args, 0}), sx);
    Output gy = b.reshape(b.sum(ygrad, Output{args, 1}), sy);
    return {gx, gy};
}

GradVec maximumGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    return maxMinGrad(b, op, grads, "GreaterEqual");
}

GradVec minimumGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    return maxMinGrad(b, op, grads, "LessEqual");
}

GradVec squaredDifferenceGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    Output grad = g0(grads), x = in(op, 0), y = in(op, 1);
    Output xGrad;
    {
        // with ops.control_dependencies([grad]): x_grad = scalar_mul(2.0, grad) * (x - y)
        GradBuilder::ControlDependencies cd(b, {grad.op});
        Output two = b.constant(Tensor::filled(b.dtype(grad), {}, 2.0), "scalar");
        Output scaled = b.op("Mul", {{"x", two}, {"y", grad}});
        Output diff = b.binaryOperator("sub", "Sub", x, y);
        xGrad = b.binaryOperator("mul", "Mul", scaled, diff);
    }
    if (shapesFullySpecifiedAndEqual(b, op, grad))
        return {xGrad, b.op("Neg", {{"x", xGrad}})};
    Bcast bc = broadcastArgs(b, op);
    Output gx = b.reshape(b.sum(xGrad, bc.rx), bc.sx);
    Output gy = b.op("Neg", {{"x", b.reshape(b.sum(xGrad, bc.ry), bc.sy)}});
    return {gx, gy};
}

// ---- linear algebra and nn ----------------------------------------------------

GradVec matMulGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    Output grad = g0(grads), a = in(op, 0), bb = in(op, 1);
    const AttrValue* ta = op.attrs().find("transpose_a");
    const AttrValue* tb = op.attrs().find("transpose_b");
    bool tA = ta && ta->b(), tB = tb && tb->b();
    Output gA, gB;
    if (!tA && !tB) {
        gA = b.matmul(grad, bb, false, true);
        gB = b.matmul(a, grad, true, false);
    } else if (!tA && tB) {
        gA = b.matmul(grad, bb, false, false);
        gB = b.matmul(grad, a, true, false);
    } else if (tA && !tB) {
        gA = b.matmul(bb, grad, false, true);
        gB = b.matmul(a, grad, false, false);
    } else {
        gA = b.matmul(bb, grad, true, true);
        gB = b.matmul(grad, a, true, true);
    }
    return {gA, gB};
}

GradVec biasAddGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    Output grad = g0(grads);
    AttrList a;
    if (const AttrValue* f = op.attrs().find("data_format"))
        a.set("data_format", *f);
    return {grad, b.op("BiasAddGrad", {{"out_backprop", grad}}, std::move(a))};
}

GradVec reluGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    return {b.op("ReluGrad", {{"gradients", g0(grads)}, {"features", out(op, 0)}})};
}

/// Sigmoid/Tanh: the *Grad op of (y, dy), created under control_dependencies([grad]).
GradVec outputGradWithDeps(GradBuilder& b, const Operation& op, const GradVec& grads, const char* type)
{
    Output grad = g0(grads);
    GradBuilder::ControlDependencies cd(b, {grad.op});
    return {b.op(type, {{"y", out(op, 0)}, {"dy", grad}})};
}

GradVec sigmoidGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    return outputGradWithDeps(b, op, grads, "SigmoidGrad");
}

GradVec tanhGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    return outputGradWithDeps(b, op, grads, "TanhGrad");
}

/// Sqrt/Rsqrt/Reciprocal: the *Grad op of (y, dy), no control dependency.
GradVec outputGrad(GradBuilder& b, const Operation& op, const GradVec& grads, const char* type)
{
    return {b.op(type, {{"y", out(op, 0)}, {"dy", g0(grads)}})};
}

GradVec sqrtGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    return outputGrad(b, op, grads, "SqrtGrad");
}

GradVec rsqrtGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    return outputGrad(b, op, grads, "RsqrtGrad");
}

GradVec reciprocalGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    return outputGrad(b, op, grads, "ReciprocalGrad");
}

GradVec softmaxGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    // (grad - sum(grad * softmax, -1, keepdims)) * softmax
    Output grad = g0(grads), softmax = out(op, 0);
    Output prod = b.binaryOperator("mul", "Mul", grad, softmax);
    Output sumChannels = b.sum(prod, Input(-1), true);
    Output diff = b.binaryOperator("sub", "Sub", grad, sumChannels);
    return {b.binaryOperator("mul", "Mul", diff, softmax)};
}

GradVec logSoftmaxGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    // grad - sum(grad, -1, keepdims) * exp(logsoftmax)
    Output grad = g0(grads);
    Output softmax = b.op("Exp", {{"x", out(op, 0)}});
    Output s = b.sum(grad, Input(-1), true);
    Output m = b.binaryOperator("mul", "Mul", s, softmax);
    return {b.binaryOperator("sub", "Sub", grad, m)};
}

GradVec expGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    Output grad = g0(grads);
    GradBuilder::ControlDependencies cd(b, {grad.op});
    return {b.binaryOperator("mul", "Mul", grad, out(op, 0))};
}

GradVec logGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    Output grad = g0(grads);
    GradBuilder::ControlDependencies cd(b, {grad.op});
    Output r = b.op("Reciprocal", {{"x", in(op, 0)}});
    return {b.binaryOperator("mul", "Mul", grad, r)};
}

GradVec squareGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    Output grad = g0(grads), x = in(op, 0);
    GradBuilder::ControlDependencies cd(b, {grad.op});
    Output two = b.constant(Tensor::filled(b.dtype(x), {}, 2.0));
    Output twoX = b.op("Mul", {{"x", x}, {"y", two}});
    return {b.op("Mul", {{"x", grad}, {"y", twoX}})};
}

GradVec negGrad(GradBuilder& b, const Operation&, const GradVec& grads) { return {b.op("Neg", {{"x", g0(grads)}})}; }

GradVec absGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    Output sign = b.op("Sign", {{"x", in(op, 0)}});
    return {b.binaryOperator("mul", "Mul", g0(grads), sign)};
}

GradVec signGrad(GradBuilder& b, const Operation& op, const GradVec&) { return {b.zerosLike(in(op, 0))}; }

GradVec identityGrad(GradBuilder&, const Operation&, const GradVec& grads) { return {g0(grads)}; }

GradVec addNGrad(GradBuilder&, const Operation& op, const GradVec& grads)
{
    return GradVec(op.inputs().size(), g0(grads));
}

GradVec selectGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    Output c = in(op, 0), grad = g0(grads);
    Output zeros = b.zerosLike(in(op, 1));
    return {std::nullopt, b.op("Select", {{"condition", c}, {"t", grad}, {"e", zeros}}),
            b.op("Select", {{"condition", c}, {"t", zeros}, {"e", grad}})};
}

/// The attrs of a convolution or pooling op that its gradient op repeats.
AttrList windowAttrs(const Operation& op, std::initializer_list<const char*> names)
{
    AttrList a;
    for (const char* n : names)
        if (const AttrValue* v = op.attrs().find(n))
            a.set(n, *v);
    return a;
}

GradVec conv2DGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    Output grad = g0(grads);
    const auto names = {"strides", "padding", "data_format", "dilations", "use_cudnn_on_gpu", "explicit_paddings"};
    const OpId shapes = shapeN(b, {in(op, 0), in(op, 1)}); // shape_0, shape_1 = array_ops.shape_n([...])
    Output inputSizes{shapes, 0}, filterSizes{shapes, 1};
    return {b.op("Conv2DBackpropInput", {{"input_sizes", inputSizes}, {"filter", in(op, 1)}, {"out_backprop", grad}},
                 windowAttrs(op, names)),
            b.op("Conv2DBackpropFilter", {{"input", in(op, 0)}, {"filter_sizes", filterSizes}, {"out_backprop", grad}},
                 windowAttrs(op, names))};
}

GradVec maxPoolGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    return {b.op("MaxPoolGrad", {{"orig_input", in(op, 0)}, {"orig_output", out(op, 0)}, {"grad", g0(grads)}},
                 windowAttrs(op, {"ksize", "strides", "padding", "data_format"}))};
}

GradVec avgPoolGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    return {b.op("AvgPoolGrad", {{"orig_input_shape", b.shape(in(op, 0))}, {"grad", g0(grads)}},
                 windowAttrs(op, {"ksize", "strides", "padding", "data_format"}))};
}

/// GatherV2 along axis 0: the gradient as a dense tensor of the params' shape, the rows summed
/// by index (UnsortedSegmentSum; TensorFlow hands an IndexedSlices to the optimizer instead).
GradVec gatherV2Grad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    const Shape& params = b.info(in(op, 0)).shape;
    const Operation& axisOp = b.graph().op(in(op, 2).op);
    const AttrValue* axis = axisOp.type() == "Const" ? axisOp.attrs().find("value") : nullptr;
    if (!axis || axis->tensor().toDouble(0) != 0 || !params.rankKnown() || params.rank() == 0 || params.dim(0) < 0)
        return {std::nullopt, std::nullopt, std::nullopt};
    Output rows = b.constant(Tensor::scalar<int32_t>(int32_t(params.dim(0))), "num_segments");
    return {b.op("UnsortedSegmentSum", {{"data", g0(grads)}, {"segment_ids", in(op, 1)}, {"num_segments", rows}}),
            std::nullopt, std::nullopt};
}

/// L2Loss: x * dy (nn_grad.py _L2LossGrad).
GradVec l2LossGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    return {b.binaryOperator("mul", "Mul", in(op, 0), g0(grads))};
}

/// Reshape, ExpandDims and Squeeze: reshape the gradient back to the input's shape (no gradient
/// for a shape or axis input).
GradVec reshapeToInputGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    Output grad = g0(grads);
    Output s = b.shape(in(op, 0));
    GradVec r(op.inputs().size());
    r[0] = b.reshape(grad, s);
    return r;
}

GradVec castGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    DType src = b.dtype(in(op, 0)), dst = b.dtype(g0(grads));
    if (isFloating(src) && isFloating(dst))
        return {b.cast(g0(grads), src)};
    return {std::nullopt};
}

GradVec fillGrad(GradBuilder& b, const Operation&, const GradVec& grads)
{
    return {std::nullopt, b.reduceAll("Sum", g0(grads))};
}

// ---- reductions ----------------------------------------------------------------

/// _SumGrad: tile the gradient back over the reduced axes. Fast path when every
/// axis of an input of known rank is reduced (Reshape to ones + Tile).
Output sumGradValue(GradBuilder& b, const Operation& op, Output grad)
{
    const Shape& inShape = b.info(in(op, 0)).shape;
    if (inShape.rankKnown()) {
        std::optional<Tensor> axes = constantValue(b.graph(), in(op, 1));
        const int rank = inShape.rank();
        bool all = axes && axes->rank() == 1 && axes->numElements() == rank;
        for (int i = 0; all && i < rank; ++i)
            all = int64_t(axes->toDouble(i)) == i;
        if (all) {
            Output reshaped = b.reshape(grad, Input::ints(std::vector<int64_t>(size_t(rank), 1)));
            Output inputShape;
            if (inShape.isFullyDefined()) {
                Tensor dims(DType::Int32, {int64_t(rank)});
                for (int i = 0; i < rank; ++i)
                    dims.data<int32_t>()[i] = int32_t(inShape.dim(i));
                inputShape = b.constant(dims);
            } else {
                inputShape = b.shape(in(op, 0));
            }
            return b.op("Tile", {{"input", reshaped}, {"multiples", inputShape}});
        }
    }
    Output inputShape = b.shape(in(op, 0));
    Output keptDims, tileScaling;
    {
        GradBuilder::Colocate co(b, inputShape.op);
        keptDims = b.reducedShape(inputShape, in(op, 1));
        tileScaling = b.safeShapeDiv(inputShape, keptDims);
    }
    Output reshaped = b.reshape(grad, keptDims);
    return b.op("Tile", {{"input", reshaped}, {"multiples", tileScaling}});
}

GradVec sumGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    return {sumGradValue(b, op, g0(grads)), std::nullopt};
}

GradVec meanGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    Output sumG = sumGradValue(b, op, g0(grads));
    const Shape& inShape = b.info(in(op, 0)).shape;
    const Shape& outShape = b.info(out(op, 0)).shape;
    Output factor;
    if (inShape.isFullyDefined() && outShape.isFullyDefined()) {
        int64_t f = inShape.numElements() / std::max<int64_t>(outShape.numElements(), 1);
        factor = b.constant(Tensor::filled(b.dtype(sumG), {}, double(f)));
    } else {
        Output inputShape = b.shape(in(op, 0));
        Output outputShape = b.shape(out(op, 0));
        Output inSize = b.reduceAll("Prod", inputShape);
        Output outSize = b.reduceAll("Prod", outputShape);
        factor = b.safeShapeDiv(inSize, outSize);
    }
    Output scale = b.cast(factor, b.dtype(sumG));
    auto scope = openOpScope(b.graph(), "truediv");
    return {Output{b.create("RealDiv", scope->scope(), {sumG, scale}), 0}, std::nullopt};
}

/// _MinOrMaxGrad: the gradient is shared equally by the selected elements.
GradVec maxGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    Output grad = g0(grads);
    Output inputShape = b.shape(in(op, 0));
    Output kept = b.reducedShape(inputShape, in(op, 1));
    Output y = b.reshape(out(op, 0), kept);
    grad = b.reshape(grad, kept);
    Output indicators = b.cast(b.op("Equal", {{"x", y}, {"y", in(op, 0)}}), b.dtype(grad));
    Output numSelected = b.reshape(b.sum(indicators, in(op, 1)), kept);
    Output share;
    {
        auto scope = openOpScope(b.graph(), "div");
        share = Output{b.create("RealDiv", scope->scope(), {indicators, numSelected}), 0};
    }
    return {b.binaryOperator("mul", "Mul", share, grad), std::nullopt};
}

// ---- losses ----------------------------------------------------------------------

/// _BroadcastMul(vec, mat): expand_dims(vec, -1) * mat.
Output broadcastMul(GradBuilder& b, Output vec, Output mat)
{
    Output v = b.expandDims(vec, -1);
    return b.binaryOperator("mul", "Mul", v, mat);
}

GradVec sparseXentGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    // The gradient w.r.t. the logits is the kernel's second output, scaled per row.
    // PreventGradient keeps a second derivative from silently being wrong, as in TF.
    AttrList a;
    a.set("message", AttrValue::string("Currently there is no way to take the second derivative of "
                                       "sparse_softmax_cross_entropy_with_logits due to the fused implementation's "
                                       "interaction with tf.gradients()"));
    Output backprop = b.op("PreventGradient", {{"input", out(op, 1)}}, std::move(a));
    return {broadcastMul(b, g0(grads), backprop), std::nullopt};
}

bool isZeroGradient(GradBuilder& b, Output g)
{
    const Operation& o = b.graph().op(g.op);
    if (o.type() == "ZerosLike")
        return true;
    std::optional<Tensor> v = constantValue(b.graph(), g);
    if (!v)
        return false;
    for (int64_t i = 0; i < v->numElements(); ++i)
        if (v->toDouble(i) != 0)
            return false;
    return true;
}

GradVec xentGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    Output gradLoss = g0(grads);
    Output grad = broadcastMul(b, gradLoss, out(op, 1));
    if (grads.size() > 1 && grads[1] && !isZeroGradient(b, *grads[1]))
        throw LookupError(cat("Second derivative of '", op.name(),
                              "' through its backprop output is not supported (op type: ", op.type(), ")"));
    Output logSoftmax = b.op("LogSoftmax", {{"logits", in(op, 0)}});
    Output neg = b.op("Neg", {{"x", logSoftmax}});
    return {grad, broadcastMul(b, gradLoss, neg)};
}

GradVec preventGradient(GradBuilder&, const Operation& op, const GradVec&)
{
    const AttrValue* m = op.attrs().find("message");
    throw LookupError(cat("Gradient explicitly disabled. Reason: ",
                          m && m->kind() == AttrValue::Kind::String ? m->str() : std::string()));
}

// ---- array ops (array_grad.py) -----------------------------------------------------

int64_t intAttr(const Operation& op, std::string_view name, int64_t fallback)
{
    const AttrValue* a = op.attrs().find(name);
    return a && a->kind() == AttrValue::Kind::Int ? a->i() : fallback;
}

/// The static shape of forward input i, which its gradient has.
Shape inShape(GradBuilder& b, const Operation& op, int i) { return b.info(in(op, i)).shape; }

/// The rank of forward input 0, which the gradient needs to know; LookupError when it is unknown.
int64_t inputRank(GradBuilder& b, const Operation& op)
{
    const Shape& s = b.info(in(op, 0)).shape;
    if (!s.rankKnown())
        throw LookupError(cat("No gradient defined for operation '", op.name(), "' (op type: ", op.type(),
                              ") with an input of unknown rank"));
    return s.rank();
}

/// array_ops.concat(values, axis, name="concat"): ConcatV2 "concat".
Output concatOp(GradBuilder& b, const std::vector<Output>& values, ops::Input axis, const Shape& shape)
{
    std::vector<std::pair<std::string, ops::Input>> args;
    for (const Output& v : values)
        args.emplace_back("values", v);
    const DType axisType = axis.isTensor() ? b.dtype(axis.output()) : DType::Int32;
    args.emplace_back("axis", std::move(axis));
    const DType t = b.dtype(values[0]);
    AttrList a = typed({{"T", AttrValue::type(t)}, {"N", AttrValue::integer(int64_t(values.size()))},
                        {"Tidx", AttrValue::type(axisType)}});
    return b.op("ConcatV2", std::move(args), withOutputs(std::move(a), {t}, {shape}), "concat");
}

/// _PackGrad: unstack(grad, num=N, axis=axis) ("unstack").
GradVec packGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    const Output grad = g0(grads);
    const int64_t n = int64_t(op.inputs().size());
    const DType t = b.dtype(grad);
    AttrList a = typed({{"T", AttrValue::type(t)}, {"num", AttrValue::integer(n)},
                        {"axis", AttrValue::integer(intAttr(op, "axis", 0))}});
    std::vector<Shape> shapes;
    for (int64_t i = 0; i < n; ++i)
        shapes.push_back(inShape(b, op, int(i)));
    OpId u = b.wrapper("Unpack", {{"value", grad}},
                       withOutputs(std::move(a), std::vector<DType>(size_t(n), t), std::move(shapes)), "unstack");
    GradVec r;
    for (int64_t i = 0; i < n; ++i)
        r.push_back(Output{u, int32_t(i)});
    return r;
}

/// _UnpackGrad: stack(grads, axis=axis) ("stack"; gradients.cpp made the missing ones zeros).
GradVec unpackGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    std::vector<std::pair<std::string, ops::Input>> args;
    for (const auto& gr : grads)
        args.emplace_back("values", *gr);
    const DType t = b.dtype(*grads[0]);
    AttrList a = typed({{"T", AttrValue::type(t)}, {"N", AttrValue::integer(int64_t(grads.size()))},
                        {"axis", AttrValue::integer(intAttr(op, "axis", 0))}});
    return {b.op("Pack", std::move(args), withOutputs(std::move(a), {t}, {inShape(b, op, 0)}), "stack")};
}

/// _TransposeGrad: transpose(grad, invert_permutation(perm)) ("InvertPermutation", "transpose").
GradVec transposeGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    const Output perm = in(op, 1);
    const DType pt = b.dtype(perm);
    Output inv = b.op("InvertPermutation", {{"x", perm}},
                      withOutputs(typed({{"T", AttrValue::type(pt)}}), {pt}, {b.info(perm).shape}));
    const DType t = b.dtype(g0(grads));
    Output x = b.op("Transpose", {{"x", g0(grads)}, {"perm", inv}},
                    withOutputs(typed({{"T", AttrValue::type(t)}, {"Tperm", AttrValue::type(pt)}}), {t},
                                {inShape(b, op, 0)}),
                    "transpose");
    return {x, std::nullopt};
}

/// _ConcatGradV2: the gradient sliced back into the inputs: concat_dim % rank ("Rank",
/// "mod"), the inputs' shapes (Consts "Shape", "Shape_1", ... when all are fully
/// known, else one "ShapeN"), "ConcatOffset", then one "Slice" per input.
GradVec concatV2Grad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    const Output grad = g0(grads);
    const size_t n = op.inputs().size() - 1;
    if (n == 1)
        return {grad, std::nullopt};
    const Output axis = in(op, int(n));
    const int64_t rank0 = inputRank(b, op);
    Output rank;
    {
        auto scope = openOpScope(b.graph(), "Rank");
        rank = ops::constant(b.graph(), Tensor::scalar<int32_t>(int32_t(rank0)), scope->scope());
    }
    const Output dim = b.binaryOperator("mod", "FloorMod", axis, b.cast(rank, b.dtype(axis)));
    bool known = true;
    for (size_t i = 0; i < n; ++i)
        known = known && inShape(b, op, int(i)).isFullyDefined();
    const DType it = DType::Int32;
    const Shape vec(std::vector<int64_t>{rank0});
    std::vector<Output> sizes;
    if (known) {
        for (size_t i = 0; i < n; ++i)
            sizes.push_back(b.shape(in(op, int(i))));
    } else {
        std::vector<Output> xs(op.inputs().begin(), op.inputs().begin() + std::ptrdiff_t(n));
        OpId sn = shapeN(b, xs);
        for (size_t i = 0; i < n; ++i)
            sizes.push_back(Output{sn, int32_t(i)});
    }
    std::vector<std::pair<std::string, ops::Input>> args{{"concat_dim", dim}};
    for (const Output& sz : sizes)
        args.emplace_back("shape", sz);
    OpId offset = b.wrapper("ConcatOffset", std::move(args),
                            withOutputs(typed({{"N", AttrValue::integer(int64_t(n))}}), std::vector<DType>(n, it),
                                        std::vector<Shape>(n, vec)));
    GradVec r;
    const DType t = b.dtype(grad);
    for (size_t i = 0; i < n; ++i)
        r.push_back(b.op("Slice", {{"input", grad}, {"begin", Output{offset, int32_t(i)}}, {"size", sizes[i]}},
                         withOutputs(typed({{"T", AttrValue::type(t)}, {"Index", AttrValue::type(it)}}), {t},
                                     {inShape(b, op, int(i))})));
    r.push_back(std::nullopt);
    return r;
}

/// _TileGrad: the gradient reshaped to interleaved (multiple, size) pairs and summed over the
/// multiples: "Shape", "stack", "transpose" (perm Const "transpose/perm"), "Reshape", "Size",
/// "range", "Reshape_1", "Sum" (given the input's static shape, as TF's set_shape does).
GradVec tileGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    const Output x = in(op, 0), multiples = in(op, 1);
    const Shape xs = inShape(b, op, 0);
    const int64_t r = inputRank(b, op);
    const DType it = b.dtype(multiples);
    const Output inputShape = b.shape(x);
    const Output stacked = b.op("Pack", {{"values", multiples}, {"values", inputShape}},
                                withOutputs(typed({{"T", AttrValue::type(it)}, {"N", AttrValue::integer(2)},
                                                   {"axis", AttrValue::integer(0)}}),
                                            {it}, {Shape(std::vector<int64_t>{2, r})}),
                                "stack");
    // array_ops.transpose(a) of known rank: perm = (rank - 1) - arange(rank) as a literal.
    const Output transposed = b.op("Transpose", {{"x", stacked}, {"perm", Tensor::fromVector<int32_t>({1, 0}, {2})}},
                                   withOutputs(typed({{"T", AttrValue::type(it)}, {"Tperm", AttrValue::type(DType::Int32)}}),
                                               {it}, {Shape(std::vector<int64_t>{r, 2})}),
                                   "transpose");
    const Output splitShape = b.reshape(transposed, Tensor::fromVector<int32_t>({-1}, {1}));
    const Output axes = b.op("Range", {{"start", Tensor::scalar<int32_t>(0)}, {"limit", b.size(splitShape)},
                                       {"delta", Tensor::scalar<int32_t>(2)}},
                             {}, "range");
    const Output reshaped = b.reshape(g0(grads), splitShape);
    const DType t = b.dtype(reshaped);
    return {b.op("Sum", {{"input", reshaped}, {"reduction_indices", axes}},
                 withOutputs(typed({{"T", AttrValue::type(t)}, {"Tidx", AttrValue::type(DType::Int32)},
                                    {"keep_dims", AttrValue::boolean(false)}}),
                             {t}, {xs})),
            std::nullopt};
}

/// _StridedSliceGrad: "Shape" (of the input, in begin's dtype) and "StridedSliceGrad" with the op's masks.
GradVec stridedSliceGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    const Output begin = in(op, 1);
    const DType it = b.dtype(begin);
    const Output shape = b.cast(b.shape(in(op, 0)), it);
    AttrList a = typed({{"T", AttrValue::type(b.dtype(g0(grads)))}, {"Index", AttrValue::type(it)}});
    for (const char* mask : {"begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask"})
        a.set(mask, AttrValue::integer(intAttr(op, mask, 0)));
    return {b.op("StridedSliceGrad",
                 {{"shape", shape}, {"begin", begin}, {"end", in(op, 2)}, {"strides", in(op, 3)}, {"dy", g0(grads)}},
                 withOutputs(std::move(a), {b.dtype(g0(grads))}, {inShape(b, op, 0)})),
            std::nullopt, std::nullopt, std::nullopt};
}

/// _SliceGrad: the gradient padded back to the input's shape: "Rank", "Shape", "stack" of
/// [rank, 1], "Reshape" of begin, "Shape_1" - size ("sub") - begin ("sub_1"), "Reshape_1",
/// "concat" of the two columns, "Pad".
GradVec sliceGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    const Output x = in(op, 0), begin = in(op, 1);
    const Shape xs = inShape(b, op, 0);
    const int64_t r = inputRank(b, op);
    const DType it = b.dtype(begin);
    Output rank;
    {
        auto scope = openOpScope(b.graph(), "Rank");
        rank = ops::constant(b.graph(), Tensor::scalar<int32_t>(int32_t(r)), scope->scope());
    }
    const Output sliceSize = b.shape(out(op, 0));
    Output shape;
    {
        // array_ops.stack([input_rank, 1]): the literal becomes the Const "stack/1".
        auto scope = openOpScope(b.graph(), "stack");
        const Output one = b.constant(Tensor::scalar<int32_t>(1), "1");
        const OpId pack = b.create("Pack", scope->scope(), {rank, one},
                                   withOutputs(typed({{"T", AttrValue::type(DType::Int32)}, {"N", AttrValue::integer(2)},
                                                      {"axis", AttrValue::integer(0)}}),
                                               {DType::Int32}, {Shape(std::vector<int64_t>{2})}));
        shape = Output{pack, 0};
    }
    const Output before = b.reshape(begin, shape);
    const Output rest = b.binaryOperator("sub", "Sub", b.binaryOperator("sub", "Sub", b.shape(x, "Shape_1"), sliceSize),
                                         begin);
    const Output after = b.reshape(rest, shape);
    const Output paddings = concatOp(b, {before, after}, ops::Input(1), Shape(std::vector<int64_t>{r, 2}));
    const DType t = b.dtype(g0(grads));
    return {b.op("Pad", {{"input", g0(grads)}, {"paddings", paddings}},
                 withOutputs(typed({{"T", AttrValue::type(t)}, {"Tpaddings", AttrValue::type(it)}}), {t}, {xs})),
            std::nullopt, std::nullopt};
}

/// _SplitGrad / _SplitVGrad: concat(grads, axis) ("concat"; missing gradients are zeros).
GradVec splitGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    std::vector<Output> values;
    for (const auto& gr : grads)
        values.push_back(*gr);
    if (op.type() == "Split")
        return {std::nullopt, concatOp(b, values, in(op, 0), inShape(b, op, 1))};
    return {concatOp(b, values, in(op, 2), inShape(b, op, 0)), std::nullopt, std::nullopt};
}

// ---- control flow (control_flow_grad.py, v1 cond) -----------------------------------

/// True when the Merge is a tf.cond's: `<scope>/Merge*` beside `<scope>/pred_id`, whose op is returned.
const Operation* condPredicate(const Graph& g, const Operation& merge)
{
    const std::string_view name = merge.name();
    const size_t slash = name.rfind('/');
    if (slash == std::string_view::npos)
        return nullptr;
    return g.findOp(cat(name.substr(0, slash), "/pred_id"));
}

/// _MergeGrad in a CondContext: the gradient switched by the cond's predicate
/// (`cond_grad`): output 0 to the false branch's input, output 1 to the true branch's.
GradVec mergeGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    const Operation* pred = condPredicate(b.graph(), op);
    if (!pred || op.inputs().size() != 2)
        throw LookupError(cat("No gradient defined for operation '", op.name(),
                              "' (op type: Merge): only the Merge of a tf.cond is differentiable"));
    const Output grad = g0(grads);
    const DType t = b.dtype(grad);
    const Shape& s = b.info(grad).shape;
    OpId sw = b.wrapper("Switch", {{"data", grad}, {"pred", Output{pred->id(), 0}}},
                        withOutputs({{Symbol("T"), AttrValue::type(t)}}, {t, t}, {s, s}), "cond_grad");
    return {Output{sw, 0}, Output{sw, 1}};
}

/// _SwitchGrad in a CondContext: merge(grad, name="cond_grad") (gradients.cpp gave the
/// untaken output its zeros, switchZeros); no gradient for the predicate.
GradVec switchGrad(GradBuilder& b, const Operation& op, const GradVec& grads)
{
    if (!grads[0] || !grads[1])
        return {std::nullopt, std::nullopt};
    const DType t = b.dtype(*grads[0]);
    Shape s = b.info(*grads[0]).shape;
    if (auto m = s.mergeWith(b.info(*grads[1]).shape))
        s = *m;
    OpId merge = b.wrapper("Merge", {{"inputs", *grads[0]}, {"inputs", *grads[1]}},
                           withOutputs({{Symbol("T"), AttrValue::type(t)}, {Symbol("N"), AttrValue::integer(2)}},
                                       {t, DType::Int32}, {s, Shape(std::vector<int64_t>{})}),
                           "cond_grad");
    (void)op;
    return {Output{merge, 0}, std::nullopt};
}

const std::unordered_map<std::string_view, GradRule>& table()
{
    static const std::unordered_map<std::string_view, GradRule> t = {
        {"Add", {addGrad}},
        {"AddV2", {addGrad}},
        {"Sub", {subGrad}},
        {"Mul", {mulGrad}},
        {"RealDiv", {realDivGrad}},
        {"DivNoNan", {divNoNanGrad}},
        {"Pow", {powGrad}},
        {"FloorMod", {floorModGrad}},
        {"Sin", {sinGrad}},
        {"Cos", {cosGrad}},
        {"Maximum", {maximumGrad}},
        {"Minimum", {minimumGrad}},
        {"SquaredDifference", {squaredDifferenceGrad}},
        {"MatMul", {matMulGrad}},
        {"BiasAdd", {biasAddGrad}},
        {"Relu", {reluGrad}},
        {"Sigmoid", {sigmoidGrad}},
        {"Tanh", {tanhGrad}},
        {"Softmax", {softmaxGrad}},
        {"LogSoftmax", {logSoftmaxGrad}},
        {"Exp", {expGrad}},
        {"Log", {logGrad}},
        {"Sqrt", {sqrtGrad}},
        {"Rsqrt", {rsqrtGrad}},
        {"Reciprocal", {reciprocalGrad}},
        {"Square", {squareGrad}},
        {"Neg", {negGrad}},
        {"Abs", {absGrad}},
        {"Sign", {signGrad}},
        {"Identity", {identityGrad}},
        {"AddN", {addNGrad}},
        {"Select", {selectGrad}},
        {"Reshape", {reshapeToInputGrad}},
        {"Conv2D", {conv2DGrad}},
        {"MaxPool", {maxPoolGrad}},
        {"AvgPool", {avgPoolGrad}},
        {"L2Loss", {l2LossGrad}},
        {"GatherV2", {gatherV2Grad}},
        {"Squeeze", {reshapeToInputGrad}},
        {"ExpandDims", {reshapeToInputGrad}},
        {"Cast", {castGrad}},
        {"Fill", {fillGrad}},
        {"Sum", {sumGrad}},
        {"Mean", {meanGrad}},
        {"Max", {maxGrad}},
        {"SparseSoftmaxCrossEntropyWithLogits", {sparseXentGrad}},
        {"SoftmaxCrossEntropyWithLogits", {xentGrad}},
        {"PreventGradient", {preventGradient}},
        {"Pack", {packGrad}},
        {"Unpack", {unpackGrad}},
        {"Transpose", {transposeGrad}},
        {"ConcatV2", {concatV2Grad}},
        {"Split", {splitGrad}},
        {"Tile", {tileGrad}},
        {"StridedSlice", {stridedSliceGrad}},
        {"Slice", {sliceGrad}},
        {"SplitV", {splitGrad}},
        {"Merge", {mergeGrad}},
        {"RefMerge", {mergeGrad}},
        {"Switch", {switchGrad}},
        {"RefSwitch", {switchGrad}},
        // ops.NotDifferentiable(...) in TF: no gradient flows through these.
        {"InvertPermutation", {}},
        {"Floor", {}}, // TF's _FloorGrad, _CeilGrad and _RoundGrad return None
        {"Ceil", {}},
        {"Round", {}},
        {"ConcatOffset", {}},
        {"ShapeN", {}},
        {"Where", {}},
        {"NotEqual", {}},
        {"LogicalAnd", {}},
        {"LogicalOr", {}},
        {"LogicalNot", {}},
        {"Const", {}},
        {"Placeholder", {}},
        {"VariableV2", {}},
        {"Assign", {}},
        {"AssignAdd", {}},
        {"AssignSub", {}},
        {"ApplyGradientDescent", {}},
        {"ApplyMomentum", {}},
        {"ApplyAdam", {}},
        {"RandomUniform", {}},
        {"TruncatedNormal", {}},
        {"RandomStandardNormal", {}},
        {"Shape", {}},
        {"Size", {}},
        {"Range", {}},
        {"BroadcastGradientArgs", {}},
        {"FloorDiv", {}},
        {"Equal", {}},
        {"Greater", {}},
        {"GreaterEqual", {}},
        {"Less", {}},
        {"LessEqual", {}},
        {"ArgMax", {}},
        {"ZerosLike", {}},
        {"OnesLike", {}},
        {"StopGradient", {}},
        {"NoOp", {}},
        {"ScalarSummary", {}},
        {"HistogramSummary", {}},
        {"MergeSummary", {}},
    };
    return t;
}

} // namespace

Output switchZeros(GradBuilder& b, const Operation& op, int index)
{
    // ZerosLikeOutsideLoop for a Switch in a cond: zeros that exist only when output
    // `index` is the taken one, shaped like the data and gated on an Identity pivot.
    const Output data = in(op, 0);
    const DType t = b.dtype(data);
    const Shape& s = b.info(data).shape;
    OpId sw = b.wrapper("Switch", {{"data", data}, {"pred", in(op, 1)}},
                        withOutputs({{Symbol("T"), AttrValue::type(t)}}, {t, t}, {s, s}));
    const Output switchVal{sw, index};
    const Output pivot = b.op("Identity", {{"input", switchVal}});
    AttrList shapeAttrs; // shape_internal(optimize=False): always a Shape op
    shapeAttrs.set("out_type", AttrValue::type(DType::Int32));
    const Output shape = b.op("Shape", {{"input", switchVal}}, std::move(shapeAttrs));
    GradBuilder::ControlDependencies deps(b, {pivot.op});
    return b.zeros(shape, t);
}

const GradRule* findGradRule(std::string_view type)
{
    const auto& t = table();
    auto it = t.find(type);
    return it == t.end() ? nullptr : &it->second;
}

} // namespace scopeviz::train::detail
