#include "core/graph/op_registry.h"

#include "core/graph/graph.h"
#include "core/util/error.h"
#include "core/util/strings.h"

namespace scopeviz {

const OpRegistry& OpRegistry::global()
{
    static const OpRegistry* r = [] {
        auto* reg = new OpRegistry;
        detail::registerBuiltinOps(*reg);
        return reg;
    }();
    return *r;
}

const OpDef* OpRegistry::find(std::string_view type) const
{
    auto it = m_index.find(type);
    return it == m_index.end() ? nullptr : &m_defs[it->second];
}

void OpRegistry::add(OpDef def)
{
    m_defs.push_back(std::move(def));
    // Rebuild the index: views into m_defs move when the vector grows.
    m_index.clear();
    for (size_t i = 0; i < m_defs.size(); ++i)
        m_index.emplace(m_defs[i].name, i);
}

ShapeContext::ShapeContext(const Graph& g, std::string_view opName, std::string_view opType,
                           const std::vector<Output>& inputs, AttrList& attrs)
    : m_graph(g), m_opName(opName), m_opType(opType), m_inputs(inputs), m_attrs(attrs)
{
}

int ShapeContext::numInputs() const { return int(m_inputs.size()); }
DType ShapeContext::inputType(int i) const { return m_graph.info(m_inputs[size_t(i)]).dtype; }
const Shape& ShapeContext::inputShape(int i) const { return m_graph.info(m_inputs[size_t(i)]).shape; }

const Tensor* ShapeContext::constInput(int i) const
{
    const Operation& o = m_graph.op(m_inputs[size_t(i)].op);
    if (o.type() == "Const") {
        const AttrValue* v = o.attrs().find("value");
        return v && v->kind() == AttrValue::Kind::Tensor ? &v->tensor() : nullptr;
    }
    if (o.type() == "Shape" && !o.inputs().empty()) {
        Shape s = m_graph.info(o.inputs()[0]).shape;
        if (!s.isFullyDefined())
            return nullptr;
        m_shapeValue = Tensor(DType::Int32, {int64_t(s.rank())});
        for (int d = 0; d < s.rank(); ++d)
            m_shapeValue.data<int32_t>()[d] = int32_t(s.dim(d));
        return &m_shapeValue;
    }
    return nullptr;
}

void ShapeContext::setOutput(int i, DType t, Shape s)
{
    if (int(outTypes.size()) <= i) {
        outTypes.resize(size_t(i) + 1);
        outShapes.resize(size_t(i) + 1);
    }
    outTypes[size_t(i)] = t;
    outShapes[size_t(i)] = std::move(s);
}

void ShapeContext::fail(const std::string& message) const
{
    std::string shapes;
    for (int i = 0; i < numInputs(); ++i)
        shapes += (i ? ", " : "") + inputShape(i).toDebugString();
    throw ValueError(cat(message, " for '", m_opName, "' (op: '", m_opType, "') with input shapes: ", shapes, "."));
}

namespace {
std::string argName(const OpDef* def, int i)
{
    if (def && !def->variadic && size_t(i) < def->inputNames.size())
        return def->inputNames[size_t(i)];
    return cat("input_", i);
}
} // namespace

void ShapeContext::expectType(int i, std::initializer_list<DType> allowed) const
{
    DType t = baseType(inputType(i));
    for (DType a : allowed)
        if (a == t)
            return;
    std::string list;
    for (DType a : allowed)
        list += (list.empty() ? "" : ", ") + dtypeName(a);
    throw TypeError(cat("Value passed to parameter '", argName(OpRegistry::global().find(m_opType), i),
                        "' has DataType ", dtypeName(t), " not in list of allowed values: ", list));
}

void ShapeContext::expectSameType(int i, int j) const
{
    DType a = baseType(inputType(i)), b = baseType(inputType(j));
    if (a == b)
        return;
    const OpDef* def = OpRegistry::global().find(m_opType);
    throw TypeError(cat("Input '", argName(def, j), "' of '", m_opType, "' Op has type ", dtypeName(b),
                        " that does not match type ", dtypeName(a), " of argument '", argName(def, i), "'."));
}

} // namespace scopeviz
