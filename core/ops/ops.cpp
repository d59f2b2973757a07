#include "core/ops/ops.h"

#include "core/graph/name_scope.h"
#include "core/ops/get_variable.h"
#include "core/util/error.h"
#include "core/util/strings.h"

#include <algorithm>
#include <cstring>

namespace scopeviz::ops {

namespace {

/// Opens the wrapper scope: `name` if given, else `fallback` (§6.2 step 2).
std::unique_ptr<NameScope> wrapperScope(Graph& g, std::string_view name, std::string_view fallback)
{
    return openOpScope(g, name.empty() ? fallback : name);
}

Output out0(OpId id) { return Output{id, 0}; }

Tensor literalTensor(const std::vector<double>& values, const std::vector<int64_t>& dims, DType t)
{
    Tensor out(t, dims);
    for (size_t i = 0; i < values.size(); ++i) {
        switch (out.dtype()) {
        case DType::Float: out.data<float>()[i] = float(values[i]); break;
        case DType::Double: out.data<double>()[i] = values[i]; break;
        case DType::Int32: out.data<int32_t>()[i] = int32_t(values[i]); break;
        case DType::Int64: out.data<int64_t>()[i] = int64_t(values[i]); break;
        case DType::Bool: out.data<bool>()[i] = values[i] != 0; break;
        case DType::UInt8: out.data<uint8_t>()[i] = uint8_t(values[i]); break;
        default: {
            // The other numeric types (float16, bfloat16, int8/16, uint16/32/64): one element at a time.
            const int size = dtypeSize(t);
            if (size <= 0 || t == DType::Complex64 || t == DType::Complex128)
                throw TypeError(cat("Cannot convert a literal to ", dtypeName(t)));
            const Tensor one = Tensor::filled(t, {}, values[i]);
            std::memcpy(static_cast<char*>(out.rawData()) + i * size_t(size), one.rawData(), size_t(size));
        }
        }
    }
    return out;
}

} // namespace

Input::Input(const Variable& v) : m_output(v.value()) {}

Input Input::ints(std::vector<int64_t> v)
{
    Input in;
    in.m_dims = {int64_t(v.size())};
    for (int64_t x : v)
        in.m_literal.push_back(double(x));
    in.m_isInt = true;
    return in;
}

Output Input::resolve(Graph& g, std::string_view argName, std::optional<DType> hint) const
{
    if (m_output.valid())
        return m_output;
    if (m_tensor)
        return constant(g, *m_tensor, argName);
    DType t = hint ? baseType(*hint) : (m_isInt ? DType::Int32 : DType::Float);
    if (hint && m_isInt == false && isInteger(t)) {
        for (double v : m_literal)
            if (v != double(int64_t(v)))
                throw TypeError(cat("Cannot convert ", formatDouble(v), " to EagerTensor of dtype ", dtypeName(t)));
    }
    return constant(g, literalTensor(m_literal, m_dims, t), argName);
}

Output placeholder(Graph& g, DType dtype, Shape shape, std::string_view name)
{
    AttrList a;
    a.set("dtype", AttrValue::type(dtype));
    a.set("shape", AttrValue::shape(std::move(shape)));
    return out0(g.createWrapperOp("Placeholder", name, {}, std::move(a)));
}

Output constant(Graph& g, const Tensor& value, std::string_view name)
{
    AttrList a;
    a.set("value", AttrValue::tensor(value));
    a.set("dtype", AttrValue::type(value.dtype()));
    return out0(g.createOp("Const", name.empty() ? "Const" : name, {}, std::move(a)));
}

Output constant(Graph& g, double value, DType dtype, std::string_view name)
{
    return constant(g, literalTensor({value}, {}, dtype), name);
}

namespace {
Output zerosOrOnes(Graph& g, const std::vector<int64_t>& shape, DType dtype, std::string_view name,
                   const char* fallback, double value)
{
    auto s = wrapperScope(g, name, fallback);
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    if (n < 1000)
        return constant(g, Tensor::filled(dtype, shape, value), s->scope());
    Output dims = constant(g, Tensor::fromVector<int32_t>(std::vector<int32_t>(shape.begin(), shape.end()),
                                                          {int64_t(shape.size())}),
                           "shape_as_tensor");
    Output v = constant(g, value, dtype, "Const");
    return out0(g.createOp("Fill", s->scope(), {dims, v}));
}
} // namespace

Output zeros(Graph& g, const std::vector<int64_t>& shape, DType dtype, std::string_view name)
{
    return zerosOrOnes(g, shape, dtype, name, "zeros", 0);
}

Output ones(Graph& g, const std::vector<int64_t>& shape, DType dtype, std::string_view name)
{
    return zerosOrOnes(g, shape, dtype, name, "ones", 1);
}

OpId apply(Graph& g, std::string_view type, std::string_view name, std::vector<std::pair<std::string, Input>> inputs,
           AttrList attrs, std::optional<DType> literalType)
{
    // Nothing to convert: the wrapper scope would stay empty, so name the op directly.
    if (std::all_of(inputs.begin(), inputs.end(), [](const auto& in) { return in.second.isTensor(); })) {
        std::vector<Output> tensors;
        tensors.reserve(inputs.size());
        for (auto& [argName, in] : inputs)
            tensors.push_back(in.output());
        return g.createWrapperOp(type, name, std::move(tensors), std::move(attrs));
    }
    auto s = wrapperScope(g, name, type);
    // Literals take the dtype of the first tensor argument, as convert_to_tensor does.
    std::optional<DType> hint = literalType;
    if (!hint)
        for (auto& [argName, in] : inputs)
            if (in.isTensor()) {
                hint = baseType(g.info(in.output()).dtype);
                break;
            }
    std::vector<Output> resolved;
    resolved.reserve(inputs.size());
    for (auto& [argName, in] : inputs)
        resolved.push_back(in.resolve(g, argName, hint));
    return g.createOp(type, s->scope(), std::move(resolved), std::move(attrs));
}

// Tensor-only calls (the common case) skip apply's argument list and go straight to the graph.
#define SCOPEVIZ_UNARY(fn, type, arg)                                                                                 \
    Output fn(Graph& g, Input x, std::string_view name)                                                               \
    {                                                                                                                 \
        if (x.isTensor())                                                                                             \
            return out0(g.createWrapperOp(type, name, {x.output()}));                                                 \
        return out0(apply(g, type, name, {{arg, x}}));                                                                \
    }
#define SCOPEVIZ_BINARY(fn, type)                                                                                     \
    Output fn(Graph& g, Input x, Input y, std::string_view name)                                                      \
    {                                                                                                                 \
        if (x.isTensor() && y.isTensor())                                                                             \
            return out0(g.createWrapperOp(type, name, {x.output(), y.output()}));                                     \
        return out0(apply(g, type, name, {{"x", x}, {"y", y}}));                                                      \
    }

SCOPEVIZ_UNARY(identity, "Identity", "input")
SCOPEVIZ_UNARY(relu, "Relu", "features")
SCOPEVIZ_UNARY(sigmoid, "Sigmoid", "x")
SCOPEVIZ_UNARY(tanh, "Tanh", "x")
SCOPEVIZ_UNARY(softmax, "Softmax", "logits")
SCOPEVIZ_UNARY(square, "Square", "x")
SCOPEVIZ_UNARY(neg, "Neg", "x")
SCOPEVIZ_BINARY(add, "Add")
SCOPEVIZ_BINARY(multiply, "Mul")
SCOPEVIZ_BINARY(subtract, "Sub")
SCOPEVIZ_BINARY(realDiv, "RealDiv")
SCOPEVIZ_BINARY(maximum, "Maximum")
SCOPEVIZ_BINARY(equal, "Equal")
#undef SCOPEVIZ_UNARY
#undef SCOPEVIZ_BINARY

Output fill(Graph& g, Input dims, Input value, std::string_view name)
{
    auto s = wrapperScope(g, name, "Fill");
    Output d = dims.resolve(g, "dims", DType::Int32);
    Output v = value.resolve(g, "value");
    return out0(g.createOp("Fill", s->scope(), {d, v}));
}

Output matmul(Graph& g, Input a, Input b, bool transposeA, bool transposeB, std::string_view name)
{
    AttrList attrs;
    attrs.set("transpose_a", AttrValue::boolean(transposeA));
    attrs.set("transpose_b", AttrValue::boolean(transposeB));
    return out0(apply(g, "MatMul", name, {{"a", a}, {"b", b}}, std::move(attrs)));
}

Output biasAdd(Graph& g, Input value, Input bias, std::string_view name)
{
    return out0(apply(g, "BiasAdd", name, {{"value", value}, {"bias", bias}}));
}

Output reshape(Graph& g, Input tensor, Input shape, std::string_view name)
{
    auto s = wrapperScope(g, name, "Reshape");
    Output t = tensor.resolve(g, "tensor");
    Output sh = shape.resolve(g, "shape", DType::Int32);
    return out0(g.createOp("Reshape", s->scope(), {t, sh}));
}

Output shape(Graph& g, Input x, DType outType, std::string_view name)
{
    // array_ops.shape (optimize=True): name_scope(name, "Shape"); a fully defined
    // static shape becomes a Const named after the scope, otherwise a Shape op.
    auto s = wrapperScope(g, name, "Shape");
    Output xo = x.resolve(g, "Const");
    const Shape& known = g.info(xo).shape;
    if (known.isFullyDefined()) {
        const std::vector<int64_t>& dims = known.dims();
        const std::vector<int64_t> rank{int64_t(dims.size())};
        if (baseType(outType) == DType::Int64)
            return constant(g, Tensor::fromVector<int64_t>(dims, rank), s->scope());
        return constant(g, Tensor::fromVector<int32_t>(std::vector<int32_t>(dims.begin(), dims.end()), rank),
                        s->scope());
    }
    AttrList a;
    a.set("out_type", AttrValue::type(outType));
    return out0(g.createOp("Shape", s->scope(), {xo}, std::move(a)));
}

Output assign(Graph& g, Output ref, Input value, bool validateShape, bool useLocking, std::string_view name)
{
    AttrList a;
    a.set("validate_shape", AttrValue::boolean(validateShape));
    a.set("use_locking", AttrValue::boolean(useLocking));
    return out0(apply(g, "Assign", name, {{"ref", ref}, {"value", value}}, std::move(a),
                      baseType(g.info(ref).dtype)));
}

namespace {
/// The overloaded-operator pattern of math_ops.binary_op_wrapper (§6.3).
Output binaryOperator(Graph& g, const char* scopeName, const char* type, const Input& x, const Input& y)
{
    if (x.isTensor() && y.isTensor()) // no Python scalar to convert: `S/` stays empty
        return out0(g.createWrapperOp(type, scopeName, {x.output(), y.output()}));
    auto s = openOpScope(g, scopeName);
    std::optional<DType> hint;
    if (x.isTensor())
        hint = baseType(g.info(x.output()).dtype);
    else if (y.isTensor())
        hint = baseType(g.info(y.output()).dtype);
    Output xo = x.resolve(g, "x", hint);
    Output yo = y.resolve(g, "y", hint);
    return out0(g.createOp(type, s->scope(), {xo, yo}));
}
} // namespace

Output plus(Graph& g, Input x, Input y) { return binaryOperator(g, "add", "AddV2", x, y); }
Output minus(Graph& g, Input x, Input y) { return binaryOperator(g, "sub", "Sub", x, y); }
Output times(Graph& g, Input x, Input y) { return binaryOperator(g, "mul", "Mul", x, y); }
Output divide(Graph& g, Input x, Input y) { return binaryOperator(g, "truediv", "RealDiv", x, y); }
Output negate(Graph& g, Input x) { return neg(g, x); }

namespace {
Output reduction(Graph& g, const char* type, Input x, std::optional<std::vector<int64_t>> axis, bool keepDims,
                 std::string_view name)
{
    // _ReductionDims: without an axis, a Const of all axes in the *current* scope.
    Output xo = x.resolve(g, "input");
    Input axes = Input::ints({});
    if (axis) {
        axes = Input::ints(*axis);
    } else {
        const Shape& s = g.info(xo).shape;
        if (!s.rankKnown())
            throw ValueError(cat("reduce over all axes of '", g.tensorName(xo), "' needs a known rank"));
        std::vector<int32_t> all;
        for (int i = 0; i < s.rank(); ++i)
            all.push_back(i);
        axes = constant(g, Tensor::fromVector<int32_t>(all, {int64_t(all.size())}));
    }
    AttrList a;
    a.set("keep_dims", AttrValue::boolean(keepDims));
    auto scope = wrapperScope(g, name, type);
    Output ax = axes.resolve(g, "reduction_indices", DType::Int32);
    return out0(g.createOp(type, scope->scope(), {xo, ax}, std::move(a)));
}
} // namespace

Output reduceMean(Graph& g, Input x, std::optional<std::vector<int64_t>> axis, bool keepDims, std::string_view name)
{
    return reduction(g, "Mean", x, std::move(axis), keepDims, name);
}

Output reduceSum(Graph& g, Input x, std::optional<std::vector<int64_t>> axis, bool keepDims, std::string_view name)
{
    return reduction(g, "Sum", x, std::move(axis), keepDims, name);
}

Output argmax(Graph& g, Input x, int64_t axis, DType outputType, std::string_view name)
{
    AttrList a;
    a.set("output_type", AttrValue::type(outputType));
    auto s = wrapperScope(g, name, "ArgMax");
    Output xo = x.resolve(g, "input");
    Output d = constant(g, Tensor::scalar<int32_t>(int32_t(axis)), "dimension");
    return out0(g.createOp("ArgMax", s->scope(), {xo, d}, std::move(a)));
}

Output cast(Graph& g, Input x, DType dtype, std::string_view name)
{
    if (x.isTensor() && baseType(g.info(x.output()).dtype) == baseType(dtype))
        return x.output();
    auto s = wrapperScope(g, name, "Cast");
    Output xo = x.resolve(g, "x");
    if (baseType(g.info(xo).dtype) == baseType(dtype))
        return xo;
    AttrList a;
    a.set("DstT", AttrValue::type(baseType(dtype)));
    return out0(g.createOp("Cast", s->scope(), {xo}, std::move(a)));
}

Output sparseSoftmaxCrossEntropyWithLogits(Graph& g, Input labels, Input logits, std::string_view name)
{
    auto s = wrapperScope(g, name, "SparseSoftmaxCrossEntropyWithLogits");
    Output l = labels.resolve(g, "labels", DType::Int64);
    Output z = logits.resolve(g, "logits");
    const Shape ls = g.info(l).shape, zs = g.info(z).shape;
    shape(g, l); // labels_shape, kept for reshaping the result (named "Shape"); built before the checks
    if (zs.rankKnown() && zs.rank() == 0)
        throw ValueError(cat("Logits cannot be scalars - received shape ", zs.toString(), "."));
    if (zs.rankKnown() && ls.rankKnown() && ls.rank() != zs.rank() - 1)
        throw ValueError(cat("Rank mismatch: Rank of labels (received ", ls.rank(),
                             ") should equal rank of logits minus 1 (received ", zs.rank(), ")."));
    // name=name: the kernel is named after the scope's *requested* name, inside the scope.
    std::string kernelName(name.empty() ? "SparseSoftmaxCrossEntropyWithLogits" : name);
    OpId k = g.createOp("SparseSoftmaxCrossEntropyWithLogits", kernelName, {z, l});
    return out0(k);
}

Output softmaxCrossEntropyWithLogitsV2(Graph& g, Input labels, Input logits, std::string_view name)
{
    auto s = wrapperScope(g, name, "softmax_cross_entropy_with_logits");
    Output z = logits.resolve(g, "logits");
    Output l = labels.resolve(g, "labels", baseType(g.info(z).dtype));
    std::string kernelName(name.empty() ? "softmax_cross_entropy_with_logits" : name);
    return out0(g.createOp("SoftmaxCrossEntropyWithLogits", kernelName, {z, l}));
}

std::pair<int64_t, int64_t> randomSeeds(Graph& g, std::optional<int64_t> opSeed)
{
    constexpr int64_t kDefaultGraphSeed = 87654321;
    constexpr int64_t kMaxInt32 = 2147483647;
    auto truncate = [](int64_t s) { return s % (int64_t(1) << 31); };
    std::pair<int64_t, int64_t> seeds{0, 0};
    if (g.seed()) {
        int64_t op = opSeed ? *opSeed : g.nextOpSeed();
        seeds = {truncate(*g.seed()), truncate(op)};
    } else if (opSeed) {
        seeds = {kDefaultGraphSeed, truncate(*opSeed)};
    }
    if (seeds.first == 0 && seeds.second == 0 && (g.seed() || opSeed))
        seeds = {0, kMaxInt32};
    return seeds;
}

namespace {
Output shapeConst(Graph& g, const std::vector<int64_t>& shape)
{
    std::vector<int32_t> dims(shape.begin(), shape.end());
    return constant(g, Tensor::fromVector<int32_t>(dims, {int64_t(dims.size())}), "shape");
}

/// Seeds are taken after the argument Consts exist, as get_seed reads _last_id then.
AttrList randomAttrs(Graph& g, DType dtype, std::optional<int64_t> seed)
{
    auto [s1, s2] = randomSeeds(g, seed);
    AttrList a;
    a.set("dtype", AttrValue::type(dtype));
    a.set("seed", AttrValue::integer(s1));
    a.set("seed2", AttrValue::integer(s2));
    return a;
}
} // namespace

namespace {
/// mean + stddev * <standard sample>, as random_ops.py builds random_normal and truncated_normal.
Output scaledNormal(Graph& g, std::string_view sampleOp, std::string_view defaultName, const std::vector<int64_t>& shape,
                    double mean, double stddev, DType dtype, std::optional<int64_t> seed, std::string_view name)
{
    auto s = wrapperScope(g, name, defaultName);
    Output sh = shapeConst(g, shape);
    Output m = constant(g, mean, dtype, "mean");
    Output sd = constant(g, stddev, dtype, "stddev");
    Output rnd = out0(g.createOp(sampleOp, "", {sh}, randomAttrs(g, dtype, seed)));
    Output mul = binaryOperator(g, "mul", "Mul", rnd, sd);
    return out0(g.createOp("Add", s->scope(), {mul, m}));
}
} // namespace

Output truncatedNormal(Graph& g, const std::vector<int64_t>& shape, double mean, double stddev, DType dtype,
                       std::optional<int64_t> seed, std::string_view name)
{
    return scaledNormal(g, "TruncatedNormal", "truncated_normal", shape, mean, stddev, dtype, seed, name);
}

Output randomNormal(Graph& g, const std::vector<int64_t>& shape, double mean, double stddev, DType dtype,
                    std::optional<int64_t> seed, std::string_view name)
{
    return scaledNormal(g, "RandomStandardNormal", "random_normal", shape, mean, stddev, dtype, seed, name);
}

Output randomUniform(Graph& g, const std::vector<int64_t>& shape, double minval, double maxval, DType dtype,
                     std::optional<int64_t> seed, std::string_view name)
{
    auto s = wrapperScope(g, name, "random_uniform");
    Output sh = shapeConst(g, shape);
    Output lo = constant(g, minval, dtype, "min");
    Output hi = constant(g, maxval, dtype, "max");
    Output rnd = out0(g.createOp("RandomUniform", "", {sh}, randomAttrs(g, dtype, seed)));
    Output range = binaryOperator(g, "sub", "Sub", hi, lo);
    Output mul = binaryOperator(g, "mul", "Mul", rnd, range);
    return out0(g.createOp("Add", s->scope(), {mul, lo}));
}

OpId noOp(Graph& g, std::string_view name, std::vector<OpId> controlInputs)
{
    auto s = wrapperScope(g, name, "NoOp");
    return g.createOp("NoOp", s->scope(), {}, {}, std::move(controlInputs));
}

OpId group(Graph& g, std::vector<OpId> ops, std::string_view name)
{
    auto s = wrapperScope(g, name, "group_deps");
    return g.createOp("NoOp", s->scope(), {}, {}, std::move(ops));
}

OpId globalVariablesInitializer(Graph& g)
{
    std::vector<OpId> assigns;
    for (const Output& v : g.collection("variables")) {
        int idx = g.variableOfOp(v.op);
        if (idx >= 0 && g.variable(idx).assignOp >= 0)
            assigns.push_back(g.variable(idx).assignOp);
    }
    return group(g, std::move(assigns), "init");
}

} // namespace scopeviz::ops
