// Ops created by gradients and optimizers (core/train). Kept apart so the
// forward op set stays easy to read. The set is small and closed: exactly
// what TF 1.15's gradient functions and optimizers build for the forward ops
// we support, under TF's own type names, inputs and attrs, so a graph built
// here exports like TensorFlow's.
//
// Shape functions follow TF's C++ shape inference where it matters for the
// user (the merged shape of a variable update, the rank of a stitched shape);
// anything value-dependent that is not a Const stays unknown.
#include "core/graph/graph.h"
#include "core/graph/op_registry.h"
#include "core/util/strings.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace scopeviz::detail {
namespace {

DType attrType(ShapeContext& c, const char* name, DType fallback)
{
    const AttrValue* v = c.attrs().find(name);
    return v && v->kind() == AttrValue::Kind::Type ? v->t() : fallback;
}

void setDefault(ShapeContext& c, const char* name, AttrValue v)
{
    if (!c.attrs().has(name))
        c.attrs().set(name, std::move(v));
}

void setTypeAttr(ShapeContext& c, const char* attr, DType t)
{
    if (!c.attrs().has(attr))
        c.attrs().set(attr, AttrValue::type(baseType(t)));
}

/// TF's InferenceContext::Merge, with its error text.
Shape merge(ShapeContext& c, const Shape& a, const Shape& b)
{
    if (!a.rankKnown())
        return b;
    if (!b.rankKnown())
        return a;
    if (a.rank() != b.rank())
        c.fail(cat("Shapes must be equal rank, but are ", a.rank(), " and ", b.rank()));
    std::vector<int64_t> d(size_t(a.rank()));
    for (int i = 0; i < a.rank(); ++i) {
        int64_t x = a.dim(i), y = b.dim(i);
        if (x >= 0 && y >= 0 && x != y)
            c.fail(cat("Dimension ", i, " in both shapes must be equal, but are ", x, " and ", y, ". Shapes are ",
                       a.toDebugString(), " and ", b.toDebugString()));
        d[size_t(i)] = x >= 0 ? x : y;
    }
    return Shape(d);
}

void expectRank(ShapeContext& c, int input, int rank)
{
    Shape s = c.inputShape(input);
    if (s.rankKnown() && s.rank() != rank)
        c.fail(cat("Shape must be rank ", rank, " but is rank ", s.rank()));
}

const std::initializer_list<DType> kFloatTypes = {DType::Float, DType::Double, DType::Half};
const std::initializer_list<DType> kIndexTypes = {DType::Int32, DType::Int64};


// --- shape functions --------------------------------------------------------

void broadcastGradientArgsShape(ShapeContext& c)
{
    c.expectType(0, kIndexTypes);
    c.expectSameType(0, 1);
    expectRank(c, 0, 1);
    expectRank(c, 1, 1);
    setTypeAttr(c, "T", c.inputType(0));
    c.setOutput(0, baseType(c.inputType(0)), Shape{-1});
    c.setOutput(1, baseType(c.inputType(0)), Shape{-1});
}

/// ReluGrad(gradients, features), SigmoidGrad(y, dy), ...: the merged shape of both inputs.
void elementwiseGradShape(ShapeContext& c)
{
    c.expectType(0, kFloatTypes);
    c.expectSameType(0, 1);
    setTypeAttr(c, "T", c.inputType(0));
    c.setOutput(0, baseType(c.inputType(0)), merge(c, c.inputShape(0), c.inputShape(1)));
}

void biasAddGradShape(ShapeContext& c)
{
    setTypeAttr(c, "T", c.inputType(0));
    setDefault(c, "data_format", AttrValue::string("NHWC"));
    const AttrValue* f = c.attrs().find("data_format");
    bool nchw = f && f->kind() == AttrValue::Kind::String && f->str() == "NCHW";
    Shape s = c.inputShape(0);
    if (!s.rankKnown()) {
        c.setOutput(0, baseType(c.inputType(0)), Shape{-1});
        return;
    }
    if (s.rank() < 2)
        c.fail(cat("Shape must be at least rank 2 but is rank ", s.rank()));
    c.setOutput(0, baseType(c.inputType(0)), Shape{nchw ? s.dim(1) : s.dim(-1)});
}

void tileShape(ShapeContext& c)
{
    setTypeAttr(c, "T", c.inputType(0));
    c.expectType(1, kIndexTypes);
    c.attrs().set("Tmultiples", AttrValue::type(baseType(c.inputType(1))));
    expectRank(c, 1, 1);
    Shape in = c.inputShape(0), m = c.inputShape(1);
    if (in.rankKnown() && m.rankKnown() && m.dim(0) >= 0 && m.dim(0) != in.rank())
        c.fail(cat("Shape must be rank ", m.dim(0), " but is rank ", in.rank()));
    int rank = in.rankKnown() ? in.rank() : (m.rankKnown() && m.dim(0) >= 0 ? int(m.dim(0)) : -1);
    if (rank < 0) {
        c.setOutput(0, baseType(c.inputType(0)), Shape());
        return;
    }
    const Tensor* mult = c.constInput(1);
    std::vector<int64_t> d(size_t(rank), -1);
    for (int i = 0; i < rank; ++i) {
        int64_t k = mult ? int64_t(mult->toDouble(i)) : -1;
        int64_t x = in.rankKnown() ? in.dim(i) : -1;
        d[size_t(i)] = k >= 0 && x >= 0 ? k * x : (k == 0 ? 0 : -1);
    }
    c.setOutput(0, baseType(c.inputType(0)), Shape(d));
}

void expandDimsShape(ShapeContext& c)
{
    setTypeAttr(c, "T", c.inputType(0));
    c.expectType(1, kIndexTypes);
    c.attrs().set("Tdim", AttrValue::type(baseType(c.inputType(1))));
    Shape in = c.inputShape(0);
    const Tensor* dim = c.constInput(1);
    if (!in.rankKnown()) {
        c.setOutput(0, baseType(c.inputType(0)), Shape());
        return;
    }
    if (!dim) {
        c.setOutput(0, baseType(c.inputType(0)), Shape::unknownDims(in.rank() + 1));
        return;
    }
    if (dim->numElements() != 1)
        c.fail(cat("'dim' input must be a tensor with a single value"));
    int64_t a = int64_t(dim->toDouble(0));
    int r = in.rank();
    if (a < -1 - r || a > r)
        c.fail(cat("Tried to expand dim index ", a, " for tensor with ", r, " dimensions."));
    if (a < 0)
        a += r + 1;
    std::vector<int64_t> d = in.dims();
    d.insert(d.begin() + a, 1);
    c.setOutput(0, baseType(c.inputType(0)), Shape(d));
}

void sizeShape(ShapeContext& c)
{
    setTypeAttr(c, "T", c.inputType(0));
    DType out = attrType(c, "out_type", DType::Int32);
    c.attrs().set("out_type", AttrValue::type(out));
    c.setOutput(0, out, Shape::scalar());
}

void rangeShape(ShapeContext& c)
{
    for (int i = 0; i < 3; ++i) {
        c.expectType(i, {DType::Int32, DType::Int64, DType::Float, DType::Double});
        expectRank(c, i, 0);
    }
    c.expectSameType(0, 1);
    c.expectSameType(0, 2);
    DType t = baseType(c.inputType(0));
    c.attrs().set("Tidx", AttrValue::type(t));
    const Tensor *s = c.constInput(0), *l = c.constInput(1), *d = c.constInput(2);
    if (!s || !l || !d) {
        c.setOutput(0, t, Shape{-1});
        return;
    }
    double start = s->toDouble(0), limit = l->toDouble(0), delta = d->toDouble(0);
    if (delta == 0)
        c.fail("Requires delta != 0");
    if (delta > 0 && start > limit)
        c.fail(cat("Requires start <= limit when delta > 0: ", formatDouble(start), "/", formatDouble(limit)));
    if (delta < 0 && start < limit)
        c.fail(cat("Requires start >= limit when delta < 0: ", formatDouble(start), "/", formatDouble(limit)));
    int64_t n = isInteger(t) ? (std::abs(int64_t(limit) - int64_t(start)) + std::abs(int64_t(delta)) - 1) /
                                   std::abs(int64_t(delta))
                             : int64_t(std::ceil(std::abs((limit - start) / delta)));
    c.setOutput(0, t, Shape{n});
}

/// DynamicStitch(indices_0..N-1, data_0..N-1): rank-1 indices, output [max index + 1] + data's trailing dims.
void dynamicStitchShape(ShapeContext& c)
{
    if (c.numInputs() < 2 || c.numInputs() % 2 != 0)
        c.fail("DynamicStitch needs N index tensors and N data tensors");
    const int n = c.numInputs() / 2;
    c.attrs().set("N", AttrValue::integer(n));
    setTypeAttr(c, "T", c.inputType(n));
    int64_t maxIndex = -1;
    bool allConst = true;
    Shape trailing;
    for (int i = 0; i < n; ++i) {
        c.expectType(i, {DType::Int32});
        c.expectSameType(n, n + i);
        if (const Tensor* idx = c.constInput(i)) {
            for (int64_t k = 0; k < idx->numElements(); ++k)
                maxIndex = std::max(maxIndex, int64_t(idx->toDouble(k)));
        } else {
            allConst = false;
        }
        Shape is = c.inputShape(i), ds = c.inputShape(n + i);
        if (is.rankKnown() && ds.rankKnown()) {
            if (ds.rank() < is.rank())
                c.fail(cat("Shape must be at least rank ", is.rank(), " but is rank ", ds.rank()));
            std::vector<int64_t> t(ds.dims().begin() + is.rank(), ds.dims().end());
            trailing = merge(c, trailing, Shape(t));
        }
    }
    std::vector<int64_t> d{allConst ? maxIndex + 1 : -1};
    if (!trailing.rankKnown()) {
        c.setOutput(0, baseType(c.inputType(n)), Shape());
        return;
    }
    d.insert(d.end(), trailing.dims().begin(), trailing.dims().end());
    c.setOutput(0, baseType(c.inputType(n)), Shape(d));
}



void selectShape(ShapeContext& c)
{
    c.expectType(0, {DType::Bool});
    c.expectSameType(1, 2);
    setTypeAttr(c, "T", c.inputType(1));
    Shape out = merge(c, c.inputShape(1), c.inputShape(2));
    Shape cond = c.inputShape(0);
    // Select: the condition is the same shape as t/e, or a vector along their first dimension.
    if (cond.rankKnown() && out.rankKnown() && cond.rank() != out.rank() &&
        !(cond.rank() == 1 && out.rank() >= 1))
        c.fail(cat("Shapes must be equal rank, but are ", cond.rank(), " and ", out.rank()));
    if (cond.rankKnown() && out.rankKnown() && cond.rank() == out.rank())
        out = merge(c, cond, out);
    c.setOutput(0, baseType(c.inputType(1)), out);
}

void passThroughShape(ShapeContext& c)
{
    setTypeAttr(c, "T", c.inputType(0));
    setDefault(c, "message", AttrValue::string(""));
    c.setOutput(0, baseType(c.inputType(0)), c.inputShape(0));
}

void unaryShape(ShapeContext& c)
{
    setTypeAttr(c, "T", c.inputType(0));
    c.setOutput(0, baseType(c.inputType(0)), c.inputShape(0));
}

void logSoftmaxShape(ShapeContext& c)
{
    c.expectType(0, kFloatTypes);
    setTypeAttr(c, "T", c.inputType(0));
    Shape s = c.inputShape(0);
    if (s.rankKnown() && s.rank() < 1)
        c.fail(cat("Shape must be at least rank 1 but is rank ", s.rank()));
    c.setOutput(0, baseType(c.inputType(0)), s);
}

/// Shared part of the Apply* ops: input 0 is the ref variable, `sameShape` inputs
/// (slots and the gradient) must merge with it, `scalars` must be rank 0.
void applyShape(ShapeContext& c, std::initializer_list<int> sameShape, std::initializer_list<int> scalars)
{
    if (!isRef(c.inputType(0)))
        c.fail("Input 'var' of an Apply op must be a reference (variable)");
    c.expectType(0, kFloatTypes);
    for (int i = 1; i < c.numInputs(); ++i)
        c.expectSameType(0, i);
    setTypeAttr(c, "T", c.inputType(0));
    setDefault(c, "use_locking", AttrValue::boolean(false));
    Shape s = c.inputShape(0);
    for (int i : scalars)
        expectRank(c, i, 0);
    for (int i : sameShape)
        s = merge(c, s, c.inputShape(i));
    c.setOutput(0, c.inputType(0), s);
}

void applyGradientDescentShape(ShapeContext& c) { applyShape(c, {2}, {1}); }

void applyMomentumShape(ShapeContext& c)
{
    setDefault(c, "use_nesterov", AttrValue::boolean(false));
    if (!isRef(c.inputType(1)))
        c.fail("Input 'accum' of ApplyMomentum must be a reference (variable)");
    applyShape(c, {1, 3}, {2, 4});
}

void applyAdamShape(ShapeContext& c)
{
    setDefault(c, "use_nesterov", AttrValue::boolean(false));
    if (!isRef(c.inputType(1)) || !isRef(c.inputType(2)))
        c.fail("Inputs 'm' and 'v' of ApplyAdam must be references (variables)");
    applyShape(c, {1, 2, 9}, {3, 4, 5, 6, 7, 8});
}

/// The shape held by constant input i (Conv2DBackpropInput's input_sizes, AvgPoolGrad's
/// orig_input_shape), else rank `rank` with unknown dimensions.
Shape shapeOfConstInput(ShapeContext& c, int i, int rank)
{
    const Tensor* t = c.constInput(i);
    if (!t)
        return Shape::unknownDims(rank);
    std::vector<int64_t> d;
    for (int64_t k = 0; k < t->numElements(); ++k)
        d.push_back(int64_t(t->toDouble(k)));
    return Shape(d);
}

void conv2DBackpropInputShape(ShapeContext& c) { c.setOutput(0, baseType(c.inputType(1)), shapeOfConstInput(c, 0, 4)); }
void conv2DBackpropFilterShape(ShapeContext& c) { c.setOutput(0, baseType(c.inputType(0)), shapeOfConstInput(c, 1, 4)); }
void maxPoolGradShape(ShapeContext& c) { c.setOutput(0, baseType(c.inputType(0)), c.inputShape(0)); }
void avgPoolGradShape(ShapeContext& c) { c.setOutput(0, baseType(c.inputType(1)), shapeOfConstInput(c, 0, 4)); }

/// UnsortedSegmentSum (the dense gradient of GatherV2): [num_segments] + data.shape[rank(segment_ids):].
void unsortedSegmentSumShape(ShapeContext& c)
{
    const Shape& data = c.inputShape(0);
    const Shape& ids = c.inputShape(1);
    const Tensor* n = c.constInput(2);
    if (!data.rankKnown() || !ids.rankKnown()) {
        c.setOutput(0, baseType(c.inputType(0)), Shape());
        return;
    }
    std::vector<int64_t> d{n ? int64_t(n->toDouble(0)) : -1};
    for (int k = ids.rank(); k < data.rank(); ++k)
        d.push_back(data.dim(k));
    c.setOutput(0, baseType(c.inputType(0)), Shape(d));
}

} // namespace

void registerTrainingOps(OpRegistry& r)
{
    r.add(makeOpDef("BroadcastGradientArgs", {"s0", "s1"}, broadcastGradientArgsShape));
    r.add(makeOpDef("ReluGrad", {"gradients", "features"}, elementwiseGradShape));
    for (const char* op : {"SigmoidGrad", "TanhGrad", "SqrtGrad", "RsqrtGrad", "ReciprocalGrad"})
        r.add(makeOpDef(op, {"y", "dy"}, elementwiseGradShape));
    r.add(makeOpDef("BiasAddGrad", {"out_backprop"}, biasAddGradShape));
    r.add(makeOpDef("Tile", {"input", "multiples"}, tileShape));
    r.add(makeOpDef("ExpandDims", {"input", "dim"}, expandDimsShape));
    r.add(makeOpDef("Size", {"input"}, sizeShape));
    r.add(makeOpDef("Range", {"start", "limit", "delta"}, rangeShape));
    {
        OpDef d = makeOpDef("DynamicStitch", {}, dynamicStitchShape);
        d.variadic = true;
        r.add(d);
    }
    for (const char* op : {"FloorDiv", "FloorMod"})
        r.add(makeOpDef(op, {"x", "y"}, binaryShape));
    for (const char* op : {"GreaterEqual", "Less", "LessEqual"})
        r.add(makeOpDef(op, {"x", "y"}, comparisonShape));
    r.add(makeOpDef("Select", {"condition", "t", "e"}, selectShape));
    r.add(makeOpDef("PreventGradient", {"input"}, passThroughShape));
    r.add(makeOpDef("LogSoftmax", {"logits"}, logSoftmaxShape));
    r.add(makeOpDef("Sign", {"x"}, unaryShape));
    for (const char* op : {"Sin", "Cos", "Floor", "Ceil", "Round"})
        r.add(makeOpDef(op, {"x"}, unaryShape));
    // Gradients of the convolution and pooling ops built by the Python layer (compat.v1 tf.nn).
    r.add(makeOpDef("Conv2DBackpropInput", {"input_sizes", "filter", "out_backprop"}, conv2DBackpropInputShape));
    r.add(makeOpDef("Conv2DBackpropFilter", {"input", "filter_sizes", "out_backprop"}, conv2DBackpropFilterShape));
    r.add(makeOpDef("MaxPoolGrad", {"orig_input", "orig_output", "grad"}, maxPoolGradShape));
    r.add(makeOpDef("AvgPoolGrad", {"orig_input_shape", "grad"}, avgPoolGradShape));
    r.add(makeOpDef("UnsortedSegmentSum", {"data", "segment_ids", "num_segments"}, unsortedSegmentSumShape));
    const std::pair<const char*, std::vector<std::string>> applyInputs[] = {
        {"ApplyGradientDescent", {"var", "alpha", "delta"}},
        {"ApplyMomentum", {"var", "accum", "lr", "grad", "momentum"}},
        {"ApplyAdam", {"var", "m", "v", "beta1_power", "beta2_power", "lr", "beta1", "beta2", "epsilon", "grad"}},
    };
    const ShapeFn applyFns[] = {applyGradientDescentShape, applyMomentumShape, applyAdamShape};
    for (size_t i = 0; i < std::size(applyInputs); ++i) {
        OpDef d = makeOpDef(applyInputs[i].first, applyInputs[i].second, applyFns[i], true);
        d.colocateWithRef = true;
        r.add(d);
    }
}

} // namespace scopeviz::detail
