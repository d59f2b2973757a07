#include "core/train/grad_builder.h"

#include "core/scope/variable_scope.h"
#include "core/util/error.h"
#include "core/util/strings.h"

#include <algorithm>

namespace scopeviz::train::detail {

namespace {
bool contains(const std::vector<OpId>& v, OpId x) { return std::find(v.begin(), v.end(), x) != v.end(); }

Tensor int32Vector(const std::vector<int64_t>& values)
{
    Tensor t(DType::Int32, {int64_t(values.size())});
    for (size_t i = 0; i < values.size(); ++i)
        t.data<int32_t>()[i] = int32_t(values[i]);
    return t;
}
} // namespace

GradBuilder::GradBuilder(Graph& g) : m_g(g), m_base(g.threadState().controlDependencies) {}

GradBuilder::~GradBuilder() { m_g.threadState().controlDependencies = m_base; }

void GradBuilder::syncThreadDeps()
{
    std::vector<OpId> all = m_base;
    for (const Frame& f : m_frames)
        for (OpId d : f.deps)
            if (!contains(all, d))
                all.push_back(d);
    m_g.threadState().controlDependencies = std::move(all);
}

std::vector<OpId> GradBuilder::controlInputsFor(const std::vector<Output>& inputs) const
{
    // Graph._control_dependencies_for_inputs: a block whose own ops feed this op
    // dominates it (no deps added); deps that are already data inputs are skipped.
    auto isInput = [&](OpId d) {
        return std::any_of(inputs.begin(), inputs.end(), [&](const Output& o) { return o.op == d; });
    };
    std::vector<OpId> out;
    for (OpId d : m_base)
        if (!isInput(d) && !contains(out, d))
            out.push_back(d);
    for (const Frame& f : m_frames) {
        bool dominated = std::any_of(inputs.begin(), inputs.end(), [&](const Output& o) { return o.op >= f.firstOp; });
        if (dominated)
            continue;
        for (OpId d : f.deps)
            if (!isInput(d) && !contains(out, d))
                out.push_back(d);
    }
    return out;
}

OpId GradBuilder::create(std::string_view type, std::string_view name, std::vector<Output> inputs, AttrList attrs)
{
    ThreadScopeState& ts = m_g.threadState();
    std::vector<OpId> saved = ts.controlDependencies;
    ts.controlDependencies = controlInputsFor(inputs);
    try {
        OpId id = m_g.createOp(type, name, std::move(inputs), std::move(attrs));
        ts.controlDependencies = std::move(saved);
        return id;
    } catch (...) {
        ts.controlDependencies = std::move(saved);
        throw;
    }
}

OpId GradBuilder::wrapper(std::string_view type, std::vector<std::pair<std::string, ops::Input>> inputs,
                          AttrList attrs, std::string_view name, std::optional<DType> literalType)
{
    auto scope = openOpScope(m_g, name.empty() ? type : name);
    // Literals take the dtype of the first tensor argument, as convert_to_tensor does.
    std::optional<DType> hint = literalType;
    if (!hint)
        for (auto& [argName, in] : inputs)
            if (in.isTensor()) {
                hint = baseType(m_g.info(in.output()).dtype);
                break;
            }
    std::vector<Output> resolved;
    resolved.reserve(inputs.size());
    for (auto& [argName, in] : inputs)
        resolved.push_back(in.resolve(m_g, argName, hint));
    return create(type, scope->scope(), std::move(resolved), std::move(attrs));
}

Output GradBuilder::op(std::string_view type, std::vector<std::pair<std::string, ops::Input>> inputs, AttrList attrs,
                       std::string_view name)
{
    return Output{wrapper(type, std::move(inputs), std::move(attrs), name), 0};
}

Output GradBuilder::binaryOperator(std::string_view scopeName, std::string_view type, ops::Input x, ops::Input y)
{
    auto scope = openOpScope(m_g, scopeName);
    std::optional<DType> hint;
    if (x.isTensor())
        hint = baseType(m_g.info(x.output()).dtype);
    else if (y.isTensor())
        hint = baseType(m_g.info(y.output()).dtype);
    Output xo = x.resolve(m_g, "x", hint);
    Output yo = y.resolve(m_g, "y", hint);
    return Output{create(type, scope->scope(), {xo, yo}), 0};
}

Output GradBuilder::constant(const Tensor& value, std::string_view name) { return ops::constant(m_g, value, name); }

Output GradBuilder::shape(Output x, std::string_view name)
{
    const Shape& s = m_g.info(x).shape;
    if (s.isFullyDefined()) {
        auto scope = openOpScope(m_g, name);
        return ops::constant(m_g, int32Vector(s.dims()), scope->scope());
    }
    AttrList a;
    a.set("out_type", AttrValue::type(DType::Int32));
    return op("Shape", {{"input", x}}, std::move(a), name);
}

Output GradBuilder::size(Output x)
{
    const Shape& s = m_g.info(x).shape;
    if (s.isFullyDefined()) {
        auto scope = openOpScope(m_g, "Size");
        return ops::constant(m_g, Tensor::scalar<int32_t>(int32_t(s.numElements())), scope->scope());
    }
    AttrList a;
    a.set("out_type", AttrValue::type(DType::Int32));
    return op("Size", {{"input", x}}, std::move(a));
}

Output GradBuilder::reshape(Output x, ops::Input shape)
{
    return Output{wrapper("Reshape", {{"tensor", x}, {"shape", shape}}, {}, "", DType::Int32), 0};
}

Output GradBuilder::sum(Output x, ops::Input axes, bool keepDims)
{
    AttrList a;
    a.set("keep_dims", AttrValue::boolean(keepDims));
    return Output{wrapper("Sum", {{"input", x}, {"reduction_indices", axes}}, std::move(a), "", DType::Int32), 0};
}

Output GradBuilder::reduceAll(std::string_view type, Output x)
{
    // _ReductionDims: with a known rank, a Const of all axes in the current scope.
    const Shape& s = m_g.info(x).shape;
    if (!s.rankKnown())
        throw ValueError(cat("reduce over all axes of '", m_g.tensorName(x), "' needs a known rank"));
    std::vector<int64_t> all;
    for (int i = 0; i < s.rank(); ++i)
        all.push_back(i);
    Output axes = constant(int32Vector(all));
    AttrList a;
    a.set("keep_dims", AttrValue::boolean(false));
    return op(type, {{"input", x}, {"reduction_indices", axes}}, std::move(a));
}

Output GradBuilder::matmul(Output a, Output b, bool transposeA, bool transposeB)
{
    AttrList attrs;
    attrs.set("transpose_a", AttrValue::boolean(transposeA));
    attrs.set("transpose_b", AttrValue::boolean(transposeB));
    return op("MatMul", {{"a", a}, {"b", b}}, std::move(attrs));
}

Output GradBuilder::cast(Output x, DType t)
{
    if (dtype(x) == baseType(t))
        return x;
    auto scope = openOpScope(m_g, "Cast");
    AttrList a;
    a.set("DstT", AttrValue::type(baseType(t)));
    return Output{create("Cast", scope->scope(), {x}, std::move(a)), 0};
}

Output GradBuilder::zeros(Output shape, DType t)
{
    auto scope = openOpScope(m_g, "zeros");
    Output zero = constant(Tensor::filled(baseType(t), {}, 0), "Const");
    return Output{create("Fill", scope->scope(), {shape, zero}), 0};
}

Output GradBuilder::zerosLike(Output x, bool optimize)
{
    auto scope = openOpScope(m_g, "zeros_like");
    const Shape& s = m_g.info(x).shape;
    DType t = dtype(x);
    if (optimize && s.isFullyDefined()) {
        if (s.numElements() < 1000)
            return constant(Tensor::filled(t, s.dims(), 0), scope->scope());
        Output dims = constant(int32Vector(s.dims()), "shape_as_tensor");
        Output zero = constant(Tensor::filled(t, {}, 0), "Const");
        return Output{create("Fill", scope->scope(), {dims, zero}), 0};
    }
    return Output{create("ZerosLike", scope->scope(), {x}), 0};
}

Output GradBuilder::onesLike(Output x)
{
    auto scope = openOpScope(m_g, "ones_like");
    Output dims = shape(x);
    Output one = constant(Tensor::filled(dtype(x), {}, 1), "Const");
    return Output{create("Fill", scope->scope(), {dims, one}), 0};
}

Output GradBuilder::expandDims(Output x, int axis)
{
    return Output{wrapper("ExpandDims", {{"input", x}, {"dim", ops::Input(axis)}}, {}, "", DType::Int32), 0};
}

Output GradBuilder::safeShapeDiv(Output x, Output y)
{
    Output m = op("Maximum", {{"x", y}, {"y", ops::Input(1)}});
    return binaryOperator("floordiv", "FloorDiv", x, m);
}

Output GradBuilder::reducedShape(Output inputShape, Output axes)
{
    inputShape = cast(inputShape, DType::Int32);
    axes = cast(axes, DType::Int32);
    Output rank = size(inputShape);
    axes = binaryOperator("add", "AddV2", axes, rank);
    axes = binaryOperator("mod", "FloorMod", axes, rank);
    Output axesShape = shape(axes);
    Output range;
    {
        auto scope = openOpScope(m_g, "range");
        Output start = constant(Tensor::scalar<int32_t>(0), "start");
        Output delta = constant(Tensor::scalar<int32_t>(1), "delta");
        range = Output{create("Range", scope->scope(), {start, rank, delta}), 0};
    }
    Output ones = Output{wrapper("Fill", {{"dims", axesShape}, {"value", ops::Input(1)}}, {}, "", DType::Int32), 0};
    return op("DynamicStitch", {{"indices", range}, {"indices", axes}, {"data", inputShape}, {"data", ones}});
}

GradBuilder::ControlDependencies::ControlDependencies(GradBuilder& b, std::vector<OpId> deps) : m_b(b)
{
    m_b.m_frames.push_back({std::move(deps), OpId(m_b.m_g.numOps())});
    m_b.syncThreadDeps();
}

GradBuilder::ControlDependencies::~ControlDependencies()
{
    m_b.m_frames.pop_back();
    m_b.syncThreadDeps();
}

std::string GradBuilder::colocationGroup(OpId op) const
{
    const Operation& o = m_g.op(op);
    if (const AttrValue* c = o.attrs().find("_class"); c && c->kind() == AttrValue::Kind::StringList)
        for (const std::string& s : c->strings())
            if (startsWith(s, "loc:@"))
                return s;
    return cat("loc:@", o.name());
}

GradBuilder::Colocate::Colocate(GradBuilder& b, OpId op, bool ignoreExisting) : m_b(b)
{
    ThreadScopeState& ts = b.m_g.threadState();
    m_saved = ts.colocation;
    if (op >= 0)
        ts.colocation = b.colocationGroup(op);
    else if (ignoreExisting)
        ts.colocation.clear();
}

GradBuilder::Colocate::~Colocate() { m_b.m_g.threadState().colocation = std::move(m_saved); }

/// control_flow_ops.tuple(tensors): `tuple/group_deps` gates every tensor, each
/// passed on through `tuple/control_dependency[_N]` colocated with its producer.
std::vector<std::optional<Output>> tuple(GradBuilder& b, const std::vector<std::optional<Output>>& tensors)
{
    Graph& g = b.graph();
    // with ops.device(None), _colocate_with_for_gradient(None, ignore_existing=True)
    GradBuilder::Colocate clear(b, -1, true);
    auto scope = openOpScope(g, "tuple");
    std::vector<OpId> gating;
    for (const auto& t : tensors)
        if (t && std::find(gating.begin(), gating.end(), t->op) == gating.end())
            gating.push_back(t->op);
    std::sort(gating.begin(), gating.end());
    OpId gate;
    {
        auto gs = openOpScope(g, "group_deps");
        GradBuilder::ControlDependencies cd(b, gating);
        gate = b.create("NoOp", gs->scope(), {});
    }
    std::vector<std::optional<Output>> out;
    for (const auto& t : tensors) {
        if (!t) {
            out.push_back(std::nullopt);
            continue;
        }
        auto cs = openOpScope(g, "control_dependency");
        GradBuilder::Colocate co(b, t->op);
        GradBuilder::ControlDependencies cd(b, {gate});
        out.push_back(Output{b.create("Identity", cs->scope(), {*t}), 0});
    }
    return out;
}

std::optional<Tensor> constantValue(const Graph& g, Output t)
{
    const Operation& o = g.op(t.op);
    if (o.type() == "Const") {
        const AttrValue* v = o.attrs().find("value");
        if (v && v->kind() == AttrValue::Kind::Tensor)
            return v->tensor();
        return std::nullopt;
    }
    if ((o.type() == "Shape" || o.type() == "Size") && !o.inputs().empty()) {
        const Shape& s = g.info(o.inputs()[0]).shape;
        if (!s.isFullyDefined())
            return std::nullopt;
        DType out = baseType(g.info(t).dtype);
        if (o.type() == "Size") {
            Tensor r(out, {});
            if (out == DType::Int64)
                r.data<int64_t>()[0] = s.numElements();
            else
                r.data<int32_t>()[0] = int32_t(s.numElements());
            return r;
        }
        Tensor r(out, {int64_t(s.rank())});
        for (int i = 0; i < s.rank(); ++i) {
            if (out == DType::Int64)
                r.data<int64_t>()[i] = s.dim(i);
            else
                r.data<int32_t>()[i] = int32_t(s.dim(i));
        }
        return r;
    }
    if ((o.type() == "Identity" || o.type() == "StopGradient") && !o.inputs().empty())
        return constantValue(g, o.inputs()[0]);
    return std::nullopt;
}

} // namespace scopeviz::train::detail
