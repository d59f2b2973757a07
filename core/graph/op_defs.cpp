// Shape functions of the built-in ops. Each mirrors TensorFlow's shape
// inference closely enough that build-time errors name the op and both
// shapes, as TF's "Dimensions must be equal, but are 64 and 32 for 'MatMul'
// (op: 'MatMul') with input shapes: [?,64], [32,512]." does.
#include "core/graph/graph.h"
#include "core/graph/op_registry.h"
#include "core/util/error.h"
#include "core/util/strings.h"

namespace scopeviz::detail {
namespace {

DType attrType(ShapeContext& c, const char* name, DType fallback)
{
    const AttrValue* v = c.attrs().find(name);
    return v && v->kind() == AttrValue::Kind::Type ? v->t() : fallback;
}

bool attrBool(ShapeContext& c, const char* name, bool fallback = false)
{
    const AttrValue* v = c.attrs().find(name);
    return v && v->kind() == AttrValue::Kind::Bool ? v->b() : fallback;
}

/// Merges two dimensions; fails with TF's text when both are known and differ.
int64_t mergeDim(ShapeContext& c, int64_t a, int64_t b)
{
    if (a >= 0 && b >= 0 && a != b)
        c.fail(cat("Dimensions must be equal, but are ", a, " and ", b));
    return a >= 0 ? a : b;
}

/// Shape from a constant int tensor (shape arguments of Fill, random ops, Reshape).
Shape shapeFromConst(ShapeContext& c, int input, int rankHint = -1)
{
    const Tensor* t = c.constInput(input);
    if (!t) {
        Shape s = c.inputShape(input);
        if (s.rankKnown() && s.rank() == 1 && s.dim(0) >= 0)
            return Shape::unknownDims(int(s.dim(0)));
        return rankHint >= 0 ? Shape::unknownDims(rankHint) : Shape();
    }
    std::vector<int64_t> dims;
    for (int64_t i = 0; i < t->numElements(); ++i)
        dims.push_back(int64_t(t->toDouble(i)));
    return Shape(dims);
}

void setTypeAttr(ShapeContext& c, DType t)
{
    if (!c.attrs().has("T"))
        c.attrs().set("T", AttrValue::type(baseType(t)));
}

} // namespace

// Shared with op_defs_train.cpp (declared in op_registry.h).
Shape broadcastShapes(ShapeContext& c, const Shape& a, const Shape& b)
{
    if (!a.rankKnown() || !b.rankKnown())
        return Shape();
    int r = std::max(a.rank(), b.rank());
    std::vector<int64_t> out(static_cast<size_t>(r), 0);
    for (int i = 0; i < r; ++i) {
        int ia = a.rank() - r + i, ib = b.rank() - r + i;
        int64_t da = ia >= 0 ? a.dim(ia) : 1, db = ib >= 0 ? b.dim(ib) : 1;
        if (da == 1)
            out[size_t(i)] = db;
        else if (db == 1)
            out[size_t(i)] = da;
        else if (da < 0 || db < 0)
            out[size_t(i)] = da < 0 ? (db < 0 ? -1 : db) : da;
        else if (da != db)
            c.fail(cat("Dimensions must be equal, but are ", da, " and ", db));
        else
            out[size_t(i)] = da;
    }
    return Shape(out);
}

void binaryShape(ShapeContext& c)
{
    c.expectSameType(0, 1);
    setTypeAttr(c, c.inputType(0));
    c.setOutput(0, baseType(c.inputType(0)), broadcastShapes(c, c.inputShape(0), c.inputShape(1)));
}

void comparisonShape(ShapeContext& c)
{
    c.expectSameType(0, 1);
    setTypeAttr(c, c.inputType(0));
    c.setOutput(0, DType::Bool, broadcastShapes(c, c.inputShape(0), c.inputShape(1)));
}

namespace {

// --- shape functions --------------------------------------------------------

void placeholderShape(ShapeContext& c)
{
    const AttrValue* s = c.attrs().find("shape");
    c.setOutput(0, attrType(c, "dtype", DType::Float), s && s->kind() == AttrValue::Kind::Shape ? s->s() : Shape());
}

void constShape(ShapeContext& c)
{
    const AttrValue* v = c.attrs().find("value");
    if (!v || v->kind() != AttrValue::Kind::Tensor)
        c.fail("Const needs a 'value' tensor attr");
    c.attrs().set("dtype", AttrValue::type(v->tensor().dtype()));
    c.setOutput(0, v->tensor().dtype(), v->tensor().shape());
}

void variableShape(ShapeContext& c)
{
    const AttrValue* s = c.attrs().find("shape");
    c.setOutput(0, makeRef(attrType(c, "dtype", DType::Float)),
                s && s->kind() == AttrValue::Kind::Shape ? s->s() : Shape());
    // Set after reading: AttrList::set may reallocate and invalidate `s`.
    if (!c.attrs().has("container"))
        c.attrs().set("container", AttrValue::string(""));
    if (!c.attrs().has("shared_name"))
        c.attrs().set("shared_name", AttrValue::string(""));
}

void assignShape(ShapeContext& c)
{
    if (!isRef(c.inputType(0)))
        c.fail("Assign requires a reference (variable) as its first input");
    c.expectSameType(0, 1);
    setTypeAttr(c, c.inputType(1));
    if (!c.attrs().has("validate_shape"))
        c.attrs().set("validate_shape", AttrValue::boolean(true));
    if (!c.attrs().has("use_locking"))
        c.attrs().set("use_locking", AttrValue::boolean(true));
    Shape out = c.inputShape(1);
    if (attrBool(c, "validate_shape", true)) {
        auto m = c.inputShape(0).mergeWith(c.inputShape(1));
        if (!m)
            c.fail(cat("Shapes must be equal rank, but are ", c.inputShape(0).rank(), " and ", c.inputShape(1).rank()));
        out = *m;
    }
    c.setOutput(0, c.inputType(0), out);
}

/// Variable updates (AssignAdd, ApplyGradientDescent, ...): output = ref input 0.
void refUpdateShape(ShapeContext& c)
{
    setTypeAttr(c, c.inputType(0));
    if (!c.attrs().has("use_locking"))
        c.attrs().set("use_locking", AttrValue::boolean(false));
    c.setOutput(0, c.inputType(0), c.inputShape(0));
}

void unaryShape(ShapeContext& c)
{
    setTypeAttr(c, c.inputType(0));
    c.setOutput(0, baseType(c.inputType(0)), c.inputShape(0));
}

void floatUnaryShape(ShapeContext& c)
{
    c.expectType(0, {DType::Float, DType::Double, DType::Half});
    unaryShape(c);
}




void addNShape(ShapeContext& c)
{
    if (c.numInputs() == 0)
        c.fail("AddN needs at least one input");
    Shape s = c.inputShape(0);
    for (int i = 1; i < c.numInputs(); ++i) {
        c.expectSameType(0, i);
        auto m = s.mergeWith(c.inputShape(i));
        if (!m)
            c.fail("Shapes must be equal");
        s = *m;
    }
    setTypeAttr(c, c.inputType(0));
    c.attrs().set("N", AttrValue::integer(c.numInputs()));
    c.setOutput(0, baseType(c.inputType(0)), s);
}

void matMulShape(ShapeContext& c)
{
    c.expectSameType(0, 1);
    c.expectType(0, {DType::Float, DType::Double, DType::Int32, DType::Int64, DType::Half});
    bool ta = attrBool(c, "transpose_a"), tb = attrBool(c, "transpose_b");
    c.attrs().set("transpose_a", AttrValue::boolean(ta));
    c.attrs().set("transpose_b", AttrValue::boolean(tb));
    setTypeAttr(c, c.inputType(0));
    Shape a = c.inputShape(0), b = c.inputShape(1);
    if (a.rankKnown() && a.rank() != 2)
        c.fail(cat("Shape must be rank 2 but is rank ", a.rank()));
    if (b.rankKnown() && b.rank() != 2)
        c.fail(cat("Shape must be rank 2 but is rank ", b.rank()));
    int64_t m = a.rankKnown() ? a.dim(ta ? 1 : 0) : -1, k1 = a.rankKnown() ? a.dim(ta ? 0 : 1) : -1;
    int64_t k2 = b.rankKnown() ? b.dim(tb ? 1 : 0) : -1, n = b.rankKnown() ? b.dim(tb ? 0 : 1) : -1;
    mergeDim(c, k1, k2);
    c.setOutput(0, baseType(c.inputType(0)), Shape{m, n});
}

void biasAddShape(ShapeContext& c)
{
    c.expectSameType(0, 1);
    setTypeAttr(c, c.inputType(0));
    if (!c.attrs().has("data_format"))
        c.attrs().set("data_format", AttrValue::string("NHWC"));
    Shape v = c.inputShape(0), b = c.inputShape(1);
    if (b.rankKnown() && b.rank() != 1)
        c.fail(cat("Shape must be rank 1 but is rank ", b.rank()));
    if (v.rankKnown() && v.rank() < 2)
        c.fail(cat("Shape must be at least rank 2 but is rank ", v.rank()));
    if (v.rankKnown() && b.rankKnown()) {
        // NCHW puts the channels (the bias dimension) at 1 for rank >= 3.
        const AttrValue* fmt = c.attrs().find("data_format");
        const bool nchw = fmt && fmt->kind() == AttrValue::Kind::String && fmt->str() == "NCHW" && v.rank() >= 3;
        std::vector<int64_t> d = v.dims();
        int64_t& channels = nchw ? d[1] : d.back();
        channels = mergeDim(c, channels, b.dim(0));
        v = Shape(d);
    }
    c.setOutput(0, baseType(c.inputType(0)), v);
}

void randomShape(ShapeContext& c)
{
    c.expectType(0, {DType::Int32, DType::Int64});
    if (!c.attrs().has("seed"))
        c.attrs().set("seed", AttrValue::integer(0));
    if (!c.attrs().has("seed2"))
        c.attrs().set("seed2", AttrValue::integer(0));
    c.attrs().set("T", AttrValue::type(baseType(c.inputType(0))));
    c.setOutput(0, attrType(c, "dtype", DType::Float), shapeFromConst(c, 0));
}

void fillShape(ShapeContext& c)
{
    c.expectType(0, {DType::Int32, DType::Int64});
    setTypeAttr(c, c.inputType(1));
    c.attrs().set("index_type", AttrValue::type(baseType(c.inputType(0))));
    Shape v = c.inputShape(1);
    if (v.rankKnown() && v.rank() != 0)
        c.fail(cat("Shape must be rank 0 but is rank ", v.rank()));
    c.setOutput(0, baseType(c.inputType(1)), shapeFromConst(c, 0));
}

void reshapeShape(ShapeContext& c)
{
    setTypeAttr(c, c.inputType(0));
    c.attrs().set("Tshape", AttrValue::type(baseType(c.inputType(1))));
    Shape in = c.inputShape(0);
    Shape target = shapeFromConst(c, 1);
    if (!target.rankKnown() || !c.constInput(1)) {
        c.setOutput(0, baseType(c.inputType(0)), target);
        return;
    }
    std::vector<int64_t> d = target.dims();
    int unknown = -1;
    int64_t known = 1;
    for (size_t i = 0; i < d.size(); ++i) {
        if (d[i] == -1) {
            if (unknown >= 0)
                c.fail("Cannot infer multiple unknown dimensions in shape");
            unknown = int(i);
        } else if (d[i] < 0) {
            c.fail(cat("Size ", i, " must be non-negative, not ", d[i]));
        } else {
            known *= d[i];
        }
    }
    int64_t n = in.numElements();
    if (n >= 0) {
        if (unknown >= 0) {
            if (known == 0 || n % known != 0)
                c.fail(cat("Cannot reshape a tensor with ", n, " elements to shape ", target.toDebugString(), " (",
                           known, " elements)"));
            d[size_t(unknown)] = n / known;
        } else if (known != n) {
            c.fail(cat("Cannot reshape a tensor with ", n, " elements to shape ", target.toDebugString(), " (", known,
                       " elements)"));
        }
    }
    c.setOutput(0, baseType(c.inputType(0)), Shape(d));
}

void shapeShape(ShapeContext& c)
{
    setTypeAttr(c, c.inputType(0));
    DType out = attrType(c, "out_type", DType::Int32);
    c.attrs().set("out_type", AttrValue::type(out));
    Shape in = c.inputShape(0);
    c.setOutput(0, out, in.rankKnown() ? Shape{int64_t(in.rank())} : Shape{-1});
}

void reductionShape(ShapeContext& c)
{
    setTypeAttr(c, c.inputType(0));
    c.expectType(1, {DType::Int32, DType::Int64});
    c.attrs().set("Tidx", AttrValue::type(baseType(c.inputType(1))));
    bool keep = attrBool(c, "keep_dims");
    c.attrs().set("keep_dims", AttrValue::boolean(keep));
    Shape in = c.inputShape(0);
    const Tensor* axes = c.constInput(1);
    if (!in.rankKnown() || !axes) {
        c.setOutput(0, baseType(c.inputType(0)), keep && in.rankKnown() ? Shape::unknownDims(in.rank()) : Shape());
        return;
    }
    std::vector<bool> reduce(size_t(in.rank()), false);
    for (int64_t i = 0; i < axes->numElements(); ++i) {
        int64_t a = int64_t(axes->toDouble(i));
        if (a < -in.rank() || a >= in.rank())
            c.fail(cat("Invalid reduction dimension ", a, " for input with ", in.rank(), " dimensions."));
        reduce[size_t(a < 0 ? a + in.rank() : a)] = true;
    }
    std::vector<int64_t> d;
    for (int i = 0; i < in.rank(); ++i) {
        if (!reduce[size_t(i)])
            d.push_back(in.dim(i));
        else if (keep)
            d.push_back(1);
    }
    c.setOutput(0, baseType(c.inputType(0)), Shape(d));
}

void argMaxShape(ShapeContext& c)
{
    setTypeAttr(c, c.inputType(0));
    c.attrs().set("Tidx", AttrValue::type(baseType(c.inputType(1))));
    DType out = attrType(c, "output_type", DType::Int64);
    c.attrs().set("output_type", AttrValue::type(out));
    Shape in = c.inputShape(0);
    const Tensor* axis = c.constInput(1);
    if (!in.rankKnown() || !axis) {
        c.setOutput(0, out, in.rankKnown() ? Shape::unknownDims(in.rank() - 1) : Shape());
        return;
    }
    int64_t a = int64_t(axis->toDouble(0));
    if (a < -in.rank() || a >= in.rank())
        c.fail(cat("Expected dimension in the range [", -in.rank(), ", ", in.rank(), "), but got ", a));
    if (a < 0)
        a += in.rank();
    std::vector<int64_t> d;
    for (int i = 0; i < in.rank(); ++i)
        if (i != a)
            d.push_back(in.dim(i));
    c.setOutput(0, out, Shape(d));
}

void castShape(ShapeContext& c)
{
    c.attrs().set("SrcT", AttrValue::type(baseType(c.inputType(0))));
    if (!c.attrs().has("Truncate"))
        c.attrs().set("Truncate", AttrValue::boolean(false));
    c.setOutput(0, attrType(c, "DstT", DType::Float), c.inputShape(0));
}

void sparseXentShape(ShapeContext& c)
{
    c.expectType(0, {DType::Float, DType::Double, DType::Half});
    c.expectType(1, {DType::Int32, DType::Int64});
    setTypeAttr(c, c.inputType(0));
    c.attrs().set("Tlabels", AttrValue::type(baseType(c.inputType(1))));
    Shape f = c.inputShape(0), l = c.inputShape(1);
    if (f.rankKnown() && f.rank() != 2)
        c.fail(cat("Shape must be rank 2 but is rank ", f.rank()));
    if (l.rankKnown() && l.rank() != 1)
        c.fail(cat("Shape must be rank 1 but is rank ", l.rank()));
    int64_t batch = mergeDim(c, f.rankKnown() ? f.dim(0) : -1, l.rankKnown() ? l.dim(0) : -1);
    c.setOutput(0, baseType(c.inputType(0)), Shape{batch});
    c.setOutput(1, baseType(c.inputType(0)), Shape{batch, f.rankKnown() ? f.dim(1) : -1});
}

void xentShape(ShapeContext& c)
{
    c.expectType(0, {DType::Float, DType::Double, DType::Half});
    c.expectSameType(0, 1);
    setTypeAttr(c, c.inputType(0));
    Shape f = c.inputShape(0), l = c.inputShape(1);
    if (f.rankKnown() && f.rank() != 2)
        c.fail(cat("Shape must be rank 2 but is rank ", f.rank()));
    if (l.rankKnown() && l.rank() != 2)
        c.fail(cat("Shape must be rank 2 but is rank ", l.rank()));
    int64_t batch = mergeDim(c, f.rankKnown() ? f.dim(0) : -1, l.rankKnown() ? l.dim(0) : -1);
    int64_t classes = mergeDim(c, f.rankKnown() ? f.dim(1) : -1, l.rankKnown() ? l.dim(1) : -1);
    c.setOutput(0, baseType(c.inputType(0)), Shape{batch});
    c.setOutput(1, baseType(c.inputType(0)), Shape{batch, classes});
}

void noOpShape(ShapeContext&) {}

void summaryShape(ShapeContext& c)
{
    if (c.numInputs() >= 2)
        setTypeAttr(c, c.inputType(1));
    c.setOutput(0, DType::String, Shape::scalar());
}

// ImageSummary, AudioSummaryV2 and TensorSummaryV2 check only their types at
// build time, as TensorFlow's (ScalarShape) do; shapes are checked by the kernels.
void imageSummaryShape(ShapeContext& c)
{
    c.expectType(0, {DType::String});
    c.expectType(1, {DType::UInt8, DType::Float, DType::Half, DType::Double});
    summaryShape(c);
}

void audioSummaryShape(ShapeContext& c)
{
    c.expectType(0, {DType::String});
    // Inputs of one fixed type (no type attr): TF's op_def_library words the mismatch differently.
    const char* names[] = {"tag", "tensor", "sample_rate"};
    for (int i : {1, 2})
        if (baseType(c.inputType(i)) != DType::Float)
            throw TypeError(cat("Input '", names[i], "' of 'AudioSummaryV2' Op has type ", dtypeName(c.inputType(i)),
                                " that does not match expected type of float32."));
    c.setOutput(0, DType::String, Shape::scalar());
}

void tensorSummaryShape(ShapeContext& c)
{
    c.expectType(0, {DType::String});
    c.expectType(2, {DType::String});
    summaryShape(c);
}

void mergeSummaryShape(ShapeContext& c)
{
    for (int i = 0; i < c.numInputs(); ++i)
        c.expectType(i, {DType::String});
    c.attrs().set("N", AttrValue::integer(c.numInputs()));
    c.setOutput(0, DType::String, Shape::scalar());
}

} // namespace

void registerBuiltinOps(OpRegistry& r)
{
    r.add(makeOpDef("Placeholder", {}, placeholderShape));
    r.add(makeOpDef("Const", {}, constShape));
    r.add(makeOpDef("VariableV2", {}, variableShape, true));
    const std::pair<const char*, ShapeFn> refOps[] = {
        {"Assign", assignShape}, {"AssignAdd", refUpdateShape}, {"AssignSub", refUpdateShape}};
    for (auto [op, fn] : refOps) {
        OpDef d = makeOpDef(op, {"ref", "value"}, fn, true);
        d.colocateWithRef = true;
        r.add(d);
    }
    r.add(makeOpDef("Identity", {"input"}, unaryShape));
    r.add(makeOpDef("TruncatedNormal", {"shape"}, randomShape, true));
    r.add(makeOpDef("RandomUniform", {"shape"}, randomShape, true));
    r.add(makeOpDef("RandomStandardNormal", {"shape"}, randomShape, true));
    r.add(makeOpDef("Fill", {"dims", "value"}, fillShape));
    for (const char* op : {"Mul", "Add", "AddV2", "Sub", "RealDiv", "DivNoNan", "Pow", "Maximum", "Minimum", "SquaredDifference"})
        r.add(makeOpDef(op, {"x", "y"}, binaryShape));
    r.add(makeOpDef("Equal", {"x", "y"}, comparisonShape));
    r.add(makeOpDef("Greater", {"x", "y"}, comparisonShape));
    r.add(makeOpDef("MatMul", {"a", "b"}, matMulShape));
    r.add(makeOpDef("BiasAdd", {"value", "bias"}, biasAddShape));
    for (const char* op : {"Relu", "Sigmoid", "Tanh", "Softmax", "Exp", "Log", "Sqrt", "Rsqrt", "Reciprocal"})
        r.add(makeOpDef(op, {"features"}, floatUnaryShape));
    for (const char* op : {"Square", "Neg", "Abs", "ZerosLike", "OnesLike", "StopGradient"})
        r.add(makeOpDef(op, {"x"}, unaryShape));
    {
        OpDef d = makeOpDef("AddN", {}, addNShape);
        d.variadic = true;
        r.add(d);
    }
    r.add(makeOpDef("SparseSoftmaxCrossEntropyWithLogits", {"features", "labels"}, sparseXentShape));
    r.add(makeOpDef("SoftmaxCrossEntropyWithLogits", {"features", "labels"}, xentShape));
    r.add(makeOpDef("Mean", {"input", "reduction_indices"}, reductionShape));
    r.add(makeOpDef("Sum", {"input", "reduction_indices"}, reductionShape));
    r.add(makeOpDef("Max", {"input", "reduction_indices"}, reductionShape));
    r.add(makeOpDef("Prod", {"input", "reduction_indices"}, reductionShape));
    r.add(makeOpDef("ArgMax", {"input", "dimension"}, argMaxShape));
    r.add(makeOpDef("Cast", {"x"}, castShape));
    r.add(makeOpDef("Reshape", {"tensor", "shape"}, reshapeShape));
    r.add(makeOpDef("Shape", {"input"}, shapeShape));
    r.add(makeOpDef("NoOp", {}, noOpShape, true));
    r.add(makeOpDef("ScalarSummary", {"tags", "values"}, summaryShape));
    r.add(makeOpDef("HistogramSummary", {"tag", "values"}, summaryShape));
    r.add(makeOpDef("ImageSummary", {"tag", "tensor"}, imageSummaryShape));
    {
        OpDef d = makeOpDef("AudioSummaryV2", {"tag", "tensor", "sample_rate"}, audioSummaryShape);
        d.typeAttr.clear();
        r.add(d);
    }
    r.add(makeOpDef("TensorSummaryV2", {"tag", "tensor", "serialized_summary_metadata"}, tensorSummaryShape));
    {
        OpDef d = makeOpDef("MergeSummary", {}, mergeSummaryShape);
        d.variadic = true;
        r.add(d);
    }
    registerTrainingOps(r);
}

} // namespace scopeviz::detail
