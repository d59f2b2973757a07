// Graph, scope and op bindings. The Python package (scopeviz.compat.v1)
// builds TensorFlow 1.x's API on top of these thin, fast entry points.
#include "app/python/bindings.h"

#include "core/ops/get_variable.h"
#include "core/ops/initializers.h"
#include "core/scope/variable_scope.h"
#include "core/summary/summary_ops.h"
#include "core/util/error.h"
#include "core/util/strings.h"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstring>

namespace scopeviz::python {

namespace {

std::optional<DType> optDType(const py::object& o)
{
    if (o.is_none())
        return std::nullopt;
    return DType(o.cast<int>());
}

py::object shapeToPy(const Shape& s)
{
    if (!s.rankKnown())
        return py::none();
    py::list l;
    for (int64_t d : s.dims())
        l.append(d < 0 ? py::object(py::none()) : py::object(py::int_(d)));
    return l;
}

Shape shapeFromPy(const py::object& o)
{
    if (o.is_none())
        return Shape();
    std::vector<int64_t> dims;
    for (py::handle h : o)
        dims.push_back(h.is_none() ? -1 : h.cast<int64_t>());
    return Shape(dims);
}

py::object attrToPy(const AttrValue& a)
{
    switch (a.kind()) {
    case AttrValue::Kind::None: return py::none();
    case AttrValue::Kind::Int: return py::int_(a.i());
    case AttrValue::Kind::Float: return py::float_(a.f());
    case AttrValue::Kind::Bool: return py::bool_(a.b());
    case AttrValue::Kind::Type: return py::int_(int(a.t()));
    case AttrValue::Kind::Shape: return shapeToPy(a.s());
    case AttrValue::Kind::String: return py::bytes(a.str());
    case AttrValue::Kind::Tensor: return fromTensor(a.tensor());
    case AttrValue::Kind::IntList: return py::cast(a.ints());
    case AttrValue::Kind::FloatList: return py::cast(a.floats());
    case AttrValue::Kind::BoolList: return py::cast(std::vector<bool>(a.bools()));
    case AttrValue::Kind::TypeList: {
        py::list l;
        for (DType t : a.types())
            l.append(int(t));
        return l;
    }
    case AttrValue::Kind::ShapeList: {
        py::list l;
        for (const Shape& s : a.shapes())
            l.append(shapeToPy(s));
        return l;
    }
    case AttrValue::Kind::StringList: {
        py::list l;
        for (const std::string& s : a.strings())
            l.append(py::bytes(s));
        return l;
    }
    case AttrValue::Kind::Func:
    case AttrValue::Kind::Placeholder: return py::str(a.str());
    }
    return py::none();
}

PyTensor wrap(const GraphPtr& g, Output o) { return PyTensor{g, o}; }

/// An attr value from the Python layer's (kind, value) tag.
AttrValue taggedAttr(const py::tuple& tv)
{
    const std::string kind = tv[0].cast<std::string>();
    py::object v = tv[1];
    if (kind == "type")
        return AttrValue::type(DType(v.cast<int>()));
    if (kind == "int")
        return AttrValue::integer(v.cast<int64_t>());
    if (kind == "float")
        return AttrValue::real(v.cast<double>());
    if (kind == "bool")
        return AttrValue::boolean(v.cast<bool>());
    if (kind == "string")
        return AttrValue::string(py::isinstance<py::bytes>(v) ? std::string(v.cast<py::bytes>()) : v.cast<std::string>());
    if (kind == "shape")
        return AttrValue::shape(shapeFromPy(v));
    if (kind == "tensor") {
        py::tuple tt = v.cast<py::tuple>(); // (value, dtype enum)
        return AttrValue::tensor(toTensor(tt[0], DType(tt[1].cast<int>())));
    }
    if (kind == "ints")
        return AttrValue::intList(v.cast<std::vector<int64_t>>());
    if (kind == "floats")
        return AttrValue::floatList(v.cast<std::vector<double>>());
    if (kind == "types") {
        std::vector<DType> ts;
        for (int t : v.cast<std::vector<int>>())
            ts.push_back(DType(t));
        return AttrValue::typeList(std::move(ts));
    }
    if (kind == "shapes") {
        std::vector<Shape> ss;
        for (py::handle h : v)
            ss.push_back(shapeFromPy(py::reinterpret_borrow<py::object>(h)));
        return AttrValue::shapeList(std::move(ss));
    }
    if (kind == "strings") {
        std::vector<std::string> ss;
        for (py::handle h : v)
            ss.push_back(py::isinstance<py::bytes>(h) ? std::string(h.cast<py::bytes>()) : h.cast<std::string>());
        return AttrValue::stringList(std::move(ss));
    }
    throw TypeError(cat("Unknown attr kind '", kind, "'"));
}

/// An existing tensor as the initializer of tf.Variable(initial_value=<Tensor>): builds no ops.
class TensorAsInitializer : public Initializer {
public:
    explicit TensorAsInitializer(Output t) : m_t(t) {}
    Output build(Graph&, const std::vector<int64_t>&, DType) const override { return m_t; }
    std::string describe() const override { return "<Tensor>"; }

private:
    Output m_t;
};

/// An op input: a Tensor of this graph (or a Variable's ref tensor).
Output toInputOutput(const GraphPtr& g, py::handle h)
{
    if (py::isinstance<PyVariable>(h)) {
        const PyVariable& var = h.cast<const PyVariable&>();
        return Output{var.graph->variable(var.index).readOp, 0};
    }
    const PyTensor& t = h.cast<const PyTensor&>();
    if (t.graph != g)
        throw ValueError(cat("Tensor(\"", t.graph->tensorName(t.output), "\") must be from the same graph as the other inputs."));
    return t.output;
}

std::string optStr(const py::object& o) { return o.is_none() ? std::string() : o.cast<std::string>(); }

/// The numpy type name of a dtype with a numpy counterpart (all but bfloat16, string and the handles).
const char* numpyName(DType t)
{
    switch (t) {
    case DType::Float: return "float32";
    case DType::Double: return "float64";
    case DType::Half: return "float16";
    case DType::Int8: return "int8";
    case DType::Int16: return "int16";
    case DType::Int32: return "int32";
    case DType::Int64: return "int64";
    case DType::UInt8: return "uint8";
    case DType::UInt16: return "uint16";
    case DType::UInt32: return "uint32";
    case DType::UInt64: return "uint64";
    case DType::Bool: return "bool";
    case DType::Complex64: return "complex64";
    case DType::Complex128: return "complex128";
    default: return nullptr;
    }
}

} // namespace

Tensor toTensor(py::handle value, std::optional<DType> dtype)
{
    py::module_ np = py::module_::import("numpy");
    bool isList = py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value) ||
                  py::isinstance<py::float_>(value) || py::isinstance<py::int_>(value) ||
                  py::isinstance<py::bool_>(value);
    py::array arr = np.attr("asarray")(value);
    DType t;
    std::string kind = py::str(arr.dtype().attr("kind"));
    int itemsize = int(arr.itemsize());
    if (kind == "f")
        t = itemsize == 8 ? (isList ? DType::Float : DType::Double) : DType::Float;
    else if (kind == "i" || kind == "u")
        t = itemsize == 8 ? (isList ? DType::Int32 : DType::Int64) : itemsize == 1 && kind == "u" ? DType::UInt8 : DType::Int32;
    else if (kind == "b")
        t = DType::Bool;
    else if (kind == "c")
        t = itemsize == 16 && !isList ? DType::Complex128 : DType::Complex64;
    else if (kind == "U" || kind == "S" || kind == "O")
        t = DType::String;
    else
        throw TypeError(cat("Failed to convert object of type ", std::string(py::str(value.get_type())),
                            " to Tensor."));
    if (dtype)
        t = baseType(*dtype);
    std::vector<int64_t> dims(arr.shape(), arr.shape() + arr.ndim());
    Tensor out(t, dims);
    if (t == DType::String) {
        py::list flat = arr.attr("ravel")().attr("tolist")();
        for (size_t i = 0; i < flat.size(); ++i) {
            py::object item = flat[i];
            out.strings()[i] = py::isinstance<py::bytes>(item) ? std::string(item.cast<py::bytes>())
                                                               : item.cast<std::string>();
        }
        return out;
    }
    if (t == DType::BFloat16) { // no numpy type: the upper half of each float32 (truncation)
        py::array_t<float, py::array::c_style | py::array::forcecast> f(arr);
        auto* dst = static_cast<uint16_t*>(out.rawData());
        for (py::ssize_t i = 0; i < f.size(); ++i) {
            uint32_t bits;
            std::memcpy(&bits, f.data() + i, 4);
            dst[i] = uint16_t(bits >> 16);
        }
        return out;
    }
    const char* npName = numpyName(t);
    if (!npName)
        throw TypeError(cat("Cannot convert a value to ", dtypeName(t)));
    py::array c = np.attr("ascontiguousarray")(arr, py::dtype(npName));
    std::memcpy(out.rawData(), c.data(), out.byteSize());
    return out;
}

py::object fromTensor(const Tensor& t)
{
    if (!t.valid())
        return py::none();
    if (t.dtype() == DType::String) {
        if (t.rank() == 0)
            return py::bytes(t.strings()[0]);
        py::list l;
        for (const std::string& s : t.strings())
            l.append(py::bytes(s));
        return py::module_::import("numpy").attr("array")(l, "object").attr("reshape")(t.dims());
    }
    std::vector<py::ssize_t> shape(t.dims().begin(), t.dims().end());
    py::array a;
    if (t.dtype() == DType::BFloat16) { // widened to float32, numpy has no bfloat16
        a = py::array(py::dtype::of<float>(), shape);
        auto* src = static_cast<const uint16_t*>(t.rawData());
        auto* dst = static_cast<float*>(a.mutable_data());
        for (int64_t i = 0; i < t.numElements(); ++i) {
            uint32_t bits = uint32_t(src[i]) << 16;
            std::memcpy(dst + i, &bits, 4);
        }
    } else {
        const char* npName = numpyName(t.dtype());
        if (!npName)
            throw TypeError(cat("Cannot convert a ", dtypeName(t.dtype()), " tensor to numpy"));
        a = py::array(py::dtype(npName), shape);
        if (t.byteSize())
            std::memcpy(a.mutable_data(), t.rawData(), t.byteSize());
    }
    if (t.rank() == 0)
        return a[py::tuple()]; // a numpy scalar, as sess.run returns
    return a;
}

ops::Input toInput(const GraphPtr& g, py::handle v)
{
    if (py::isinstance<PyTensor>(v)) {
        const PyTensor& t = v.cast<const PyTensor&>();
        if (t.graph != g)
            throw ValueError(cat("Tensor(\"", t.graph->tensorName(t.output),
                                 "\") must be from the same graph as the other inputs."));
        return t.output;
    }
    if (py::isinstance<PyVariable>(v)) {
        const PyVariable& var = v.cast<const PyVariable&>();
        return Output{var.graph->variable(var.index).readOp, 0};
    }
    if (py::isinstance<py::bool_>(v))
        return Tensor::scalar<bool>(v.cast<bool>());
    if (py::isinstance<py::int_>(v))
        return ops::Input(v.cast<int64_t>());
    if (py::isinstance<py::float_>(v))
        return ops::Input(v.cast<double>());
    return toTensor(v);
}

namespace {

/// The graph an argument belongs to (Tensor or Variable), or null for plain values.
const GraphPtr* graphOfValue(py::handle v)
{
    if (py::isinstance<PyTensor>(v))
        return &v.cast<const PyTensor&>().graph;
    if (py::isinstance<PyVariable>(v))
        return &v.cast<const PyVariable&>().graph;
    return nullptr;
}

/// How TF's error texts name a graph-carrying argument: Tensor("x:0").
std::string describeValue(py::handle v)
{
    if (py::isinstance<PyTensor>(v)) {
        const PyTensor& t = v.cast<const PyTensor&>();
        return cat("Tensor(\"", t.graph->tensorName(t.output), "\")");
    }
    const PyVariable& var = v.cast<const PyVariable&>();
    return cat("Tensor(\"", var.graph->op(var.graph->variable(var.index).op).name(), ":0\")");
}

/// TF's _get_graph_from_inputs: the graph of the first Tensor or Variable among `values`
/// (every other one must share it, with TF's error text), else `defaultGraph()`.
template <class Values>
GraphPtr graphOfInputs(const Values& values, py::handle defaultGraph)
{
    const GraphPtr* found = nullptr;
    py::handle first;
    for (py::handle v : values) {
        const GraphPtr* g = graphOfValue(v);
        if (!g)
            continue;
        if (!found) {
            found = g;
            first = v;
        } else if (*g != *found) {
            throw ValueError(cat(describeValue(v), " must be from the same graph as ", describeValue(first), "."));
        }
    }
    if (found)
        return *found;
    return defaultGraph().cast<GraphPtr>();
}

} // namespace

void bindGraph(py::module_& m)
{
    py::class_<Graph, GraphPtr>(m, "Graph")
        .def(py::init<>())
        .def("unique_name", [](Graph& g, const std::string& n, bool mark) { return g.uniqueName(n, mark); },
             py::arg("name"), py::arg("mark_as_used") = true)
        .def("get_name_scope", [](const Graph& g) { return g.nameScope(); })
        .def_property_readonly("num_ops", &Graph::numOps)
        .def("find_op", [](const Graph& g, const std::string& name) {
            const Operation* op = g.findOp(name);
            return op ? op->id() : -1;
        })
        .def("op_name", [](const Graph& g, OpId i) { return std::string(g.op(i).name()); })
        .def("op_type", [](const Graph& g, OpId i) { return g.op(i).type(); })
        .def("op_device", [](const Graph& g, OpId i) { return g.op(i).device(); })
        .def("op_inputs", [](const Graph& g, OpId i) {
            std::vector<std::pair<int, int>> v;
            for (const Output& o : g.op(i).inputs())
                v.emplace_back(o.op, o.index);
            return v;
        })
        .def("op_control_inputs", [](const Graph& g, OpId i) { return g.op(i).controlInputs(); })
        .def("op_num_outputs", [](const Graph& g, OpId i) { return g.op(i).numOutputs(); })
        .def("op_output", [](const Graph& g, OpId i, int k) {
            const OutputInfo& oi = g.op(i).outputs()[size_t(k)];
            return py::make_tuple(int(oi.dtype), shapeToPy(oi.shape));
        })
        .def("op_attrs", [](const Graph& g, OpId i) {
            py::dict d;
            for (const Attr& a : g.op(i).attrs())
                d[py::str(a.name.str())] = attrToPy(a.value);
            return d;
        })
        .def("op_variable_scope", [](const Graph& g, OpId i) { return g.op(i).variableScope(); })
        .def("create_op", [](const GraphPtr& g, const std::string& type, const std::string& name, py::list inputs,
                             py::dict attrs) {
            std::vector<Output> ins;
            for (py::handle h : inputs)
                ins.push_back(h.cast<const PyTensor&>().output);
            AttrList al;
            for (auto [k, v] : attrs) {
                std::string key = py::str(k);
                if (py::isinstance<py::bool_>(v))
                    al.set(key, AttrValue::boolean(v.cast<bool>()));
                else if (py::isinstance<py::int_>(v))
                    al.set(key, AttrValue::integer(v.cast<int64_t>()));
                else if (py::isinstance<py::float_>(v))
                    al.set(key, AttrValue::real(v.cast<double>()));
                else if (py::isinstance<py::str>(v))
                    al.set(key, AttrValue::string(v.cast<std::string>()));
            }
            return PyOperation{g, g->createOp(type, name, std::move(ins), std::move(al))};
        })
        // Ops whose outputs the Python layer infers (Graph::createOp with the given-outputs attrs:
        // op types without a shape function here). Attrs come tagged as (kind, value): "type",
        // "int", "float", "bool", "string", "shape", "tensor", "ints", "floats", "types", "shapes",
        // "strings"; outputs as (dtype enum, shape or None). Control dependencies and colocation
        // of the open scopes apply as for every op.
        .def("create_op_outputs", [](const GraphPtr& g, const std::string& type, const std::string& name,
                                     py::list inputs, py::dict attrs, py::list outputs, std::vector<int> control) {
            std::vector<Output> ins;
            for (py::handle h : inputs)
                ins.push_back(toInputOutput(g, h));
            AttrList al;
            for (auto [k, v] : attrs)
                al.set(std::string(py::str(k)), taggedAttr(v.cast<py::tuple>()));
            std::vector<DType> types;
            std::vector<Shape> shapes;
            for (py::handle h : outputs) {
                py::tuple t = h.cast<py::tuple>();
                types.push_back(DType(t[0].cast<int>()));
                shapes.push_back(shapeFromPy(t[1]));
            }
            al.set("_scopeviz_output_types", AttrValue::typeList(std::move(types)));
            al.set("_scopeviz_output_shapes", AttrValue::shapeList(std::move(shapes)));
            return PyOperation{g, g->createOp(type, name, std::move(ins), std::move(al),
                                              std::vector<OpId>(control.begin(), control.end()))};
        })
        .def("set_op_inputs", [](const GraphPtr& g, OpId i, py::list inputs, std::vector<int> control) {
            // Control-flow contexts rewire an op to its captured inputs (Switch/Enter), as TF's _update_input.
            std::vector<Output> ins;
            for (py::handle h : inputs)
                ins.push_back(toInputOutput(g, h));
            g->setImportedInputs(i, std::move(ins), std::vector<OpId>(control.begin(), control.end()));
        })
        .def_property("_colocation", [](Graph& g) { return g.threadState().colocation; },
                      [](Graph& g, const std::string& c) { g.threadState().colocation = c; })
        .def_property("_control_dependencies",
                      [](Graph& g) { return std::vector<int>(g.threadState().controlDependencies.begin(),
                                                             g.threadState().controlDependencies.end()); },
                      [](Graph& g, const std::vector<int>& c) {
                          g.threadState().controlDependencies.assign(c.begin(), c.end());
                      })
        .def("collection", [](const GraphPtr& g, const std::string& key) {
            py::list l;
            for (const Output& o : g->collection(key)) {
                int v = g->variableOfOp(o.op);
                if (v >= 0 && o.index == 0)
                    l.append(PyVariable{g, v});
                else
                    l.append(PyTensor{g, o});
            }
            return l;
        })
        .def("collection_keys", &Graph::collectionKeys)
        .def("add_to_collection", [](Graph& g, const std::string& key, const PyTensor& t) {
            g.addToCollection(key, t.output);
        })
        .def("add_variable_to_collection", [](Graph& g, const std::string& key, const PyVariable& v) {
            g.addToCollection(key, Output{g.variable(v.index).op, 0});
        })
        .def_property("seed", [](const Graph& g) { return g.seed(); },
                      [](Graph& g, std::optional<int64_t> s) { g.setSeed(s); })
        .def("num_variables", [](const Graph& g) { return g.numVariables(); })
        .def("trace", [](const Graph& g) {
            py::list l;
            static const char* kinds[] = {"enter_name_scope", "exit_name_scope", "enter_variable_scope",
                                          "exit_variable_scope", "get_variable"};
            static const char* outcomes[] = {"", "created", "reused", "failed"};
            for (const TraceEvent& e : g.trace()) {
                py::dict d;
                d["kind"] = kinds[int(e.kind)];
                d["outcome"] = outcomes[int(e.outcome)];
                d["reuse"] = reuseName(e.reuse);
                d["requested"] = e.requested;
                d["full_name"] = e.fullName;
                d["name_scope"] = e.nameScope;
                d["variable_scope"] = e.variableScope;
                d["source"] = e.source;
                l.append(d);
            }
            return l;
        });

    py::class_<PyOperation>(m, "Operation", py::dynamic_attr())
        .def_property_readonly("graph", [](const PyOperation& o) { return o.graph; })
        .def_property_readonly("_id", [](const PyOperation& o) { return o.id; })
        .def_property_readonly("name", [](const PyOperation& o) { return std::string(o.graph->op(o.id).name()); })
        .def_property_readonly("type", [](const PyOperation& o) { return o.graph->op(o.id).type(); })
        .def_property_readonly("device", [](const PyOperation& o) { return o.graph->op(o.id).device(); })
        .def_property_readonly("inputs", [](const PyOperation& o) {
            py::list l;
            for (const Output& in : o.graph->op(o.id).inputs())
                l.append(PyTensor{o.graph, in});
            return l;
        })
        .def_property_readonly("outputs", [](const PyOperation& o) {
            py::list l;
            for (int k = 0; k < o.graph->op(o.id).numOutputs(); ++k)
                l.append(PyTensor{o.graph, Output{o.id, k}});
            return l;
        })
        .def_property_readonly("control_inputs", [](const PyOperation& o) {
            py::list l;
            for (OpId c : o.graph->op(o.id).controlInputs())
                l.append(PyOperation{o.graph, c});
            return l;
        })
        .def("get_attr", [](const PyOperation& o, const std::string& name) {
            const AttrValue* a = o.graph->op(o.id).attrs().find(name);
            if (!a)
                throw ValueError(cat("Operation '", o.graph->op(o.id).name(), "' has no attr named '", name, "'."));
            return attrToPy(*a);
        })
        .def("__eq__", [](const PyOperation& a, const PyOperation& b) { return a.graph == b.graph && a.id == b.id; })
        .def("__hash__", [](const PyOperation& o) { return std::hash<const void*>()(o.graph.get()) ^ size_t(o.id); })
        .def("__repr__", [](const PyOperation& o) {
            return cat("<tf.Operation '", o.graph->op(o.id).name(), "' type=", o.graph->op(o.id).type(), ">");
        });

    py::class_<PyTensor>(m, "Tensor")
        .def_property_readonly("graph", [](const PyTensor& t) { return t.graph; })
        .def_property_readonly("name", [](const PyTensor& t) { return t.graph->tensorName(t.output); })
        .def_property_readonly("op", [](const PyTensor& t) { return PyOperation{t.graph, t.output.op}; })
        .def_property_readonly("value_index", [](const PyTensor& t) { return t.output.index; })
        .def_property_readonly("_dtype_enum", [](const PyTensor& t) { return int(t.graph->info(t.output).dtype); })
        .def_property_readonly("_shape_list", [](const PyTensor& t) { return shapeToPy(t.graph->info(t.output).shape); })
        .def_property_readonly("_key", [](const PyTensor& t) { return py::make_tuple(t.output.op, t.output.index); })
        .def("__eq__", [](const PyTensor& a, py::object b) {
            if (!py::isinstance<PyTensor>(b))
                return false;
            const PyTensor& o = b.cast<const PyTensor&>();
            return a.graph == o.graph && a.output == o.output;
        })
        .def("__hash__", [](const PyTensor& t) {
            return std::hash<const void*>()(t.graph.get()) ^ (size_t(t.output.op) << 4) ^ size_t(t.output.index);
        });

    py::class_<PyVariable>(m, "_Variable")
        .def_property_readonly("graph", [](const PyVariable& v) { return v.graph; })
        .def_property_readonly("_index", [](const PyVariable& v) { return v.index; })
        .def_property_readonly("_info", [](const PyVariable& v) {
            const VariableInfo& i = v.graph->variable(v.index);
            py::dict d;
            d["full_name"] = i.fullName;
            d["op"] = PyOperation{v.graph, i.op};
            d["assign"] = PyOperation{v.graph, i.assignOp};
            d["read"] = PyTensor{v.graph, Output{i.readOp, 0}};
            d["ref"] = PyTensor{v.graph, Output{i.op, 0}};
            d["initial_value"] = PyTensor{v.graph, Output{i.initialValueOp, 0}};
            d["dtype"] = int(i.dtype);
            d["shape"] = shapeToPy(i.shape);
            d["trainable"] = i.trainable;
            return d;
        })
        .def("__eq__", [](const PyVariable& a, py::object b) {
            if (!py::isinstance<PyVariable>(b))
                return false;
            const PyVariable& o = b.cast<const PyVariable&>();
            return a.graph == o.graph && a.index == o.index;
        })
        .def("__hash__", [](const PyVariable& v) { return std::hash<const void*>()(v.graph.get()) ^ size_t(v.index); });

    // ---- scopes ------------------------------------------------------------
    py::class_<NameScope>(m, "NameScope")
        .def(py::init([](Graph& g, py::object name, py::object defaultName, bool hasValues, bool raw,
                         const std::string& source) {
                 if (raw)
                     return std::make_unique<NameScope>(g, optStr(name));
                 std::optional<std::string> n, d;
                 if (!name.is_none())
                     n = name.cast<std::string>();
                 if (!defaultName.is_none())
                     d = defaultName.cast<std::string>();
                 return std::make_unique<NameScope>(
                     g, n ? std::optional<std::string_view>(*n) : std::nullopt,
                     d ? std::optional<std::string_view>(*d) : std::nullopt, hasValues, source);
             }),
             py::arg("graph"), py::arg("name"), py::arg("default_name") = py::none(), py::arg("has_values") = false,
             py::arg("raw") = false, py::arg("source") = "", py::keep_alive<1, 2>())
        .def_property_readonly("scope", &NameScope::scope)
        .def("close", &NameScope::close);

    py::class_<VariableScopeData, VarScope>(m, "VarScope")
        .def_readonly("name", &VariableScopeData::name)
        .def_readonly("original_name_scope", &VariableScopeData::originalNameScope)
        .def_property_readonly("reuse", [](const VariableScopeData& s) { return int(s.reuse); })
        .def_property_readonly("dtype", [](const VariableScopeData& s) { return int(s.dtype); })
        .def_property_readonly("initializer",
                               [](const VariableScopeData& s) { return std::const_pointer_cast<Initializer>(s.initializer); })
        .def("reuse_variables", &VariableScopeData::reuseVariables)
        .def("set_initializer", [](VariableScopeData& s, std::shared_ptr<Initializer> i) { s.initializer = std::move(i); })
        .def("set_dtype", [](VariableScopeData& s, int t) { s.dtype = DType(t); })
        .def("_set_reuse", [](VariableScopeData& s, int r) { s.reuse = Reuse(r); });

    py::class_<VariableScope>(m, "VariableScope")
        .def(py::init([](Graph& g, py::object nameOrScope, py::object defaultName, int reuse, std::shared_ptr<Initializer> init,
                         py::object dtype, bool aux, const std::string& source) {
                 VariableScopeOptions o;
                 if (!defaultName.is_none())
                     o.defaultName = defaultName.cast<std::string>();
                 o.reuse = Reuse(reuse);
                 o.initializer = std::move(init);
                 o.dtype = optDType(dtype);
                 o.auxiliaryNameScope = aux;
                 o.source = source;
                 if (nameOrScope.is_none())
                     return std::make_unique<VariableScope>(g, std::nullopt, o);
                 if (py::isinstance<py::str>(nameOrScope))
                     return std::make_unique<VariableScope>(g, nameOrScope.cast<std::string>(), o);
                 if (py::isinstance<VariableScopeData>(nameOrScope))
                     return std::make_unique<VariableScope>(g, nameOrScope.cast<VarScope>(), o);
                 throw TypeError("VariableScope: name_or_scope must be a string or VariableScope.");
             }),
             py::arg("graph"), py::arg("name_or_scope"), py::arg("default_name") = py::none(), py::arg("reuse") = 0,
             py::arg("initializer") = nullptr, py::arg("dtype") = py::none(), py::arg("auxiliary_name_scope") = true,
             py::arg("source") = "", py::keep_alive<1, 2>())
        .def_property_readonly("scope", &VariableScope::scope)
        .def_property_readonly("name_scope", &VariableScope::nameScope)
        .def("close", &VariableScope::close);

    m.def("current_variable_scope", &currentVariableScope);
    m.def("op", [](const GraphPtr& g, OpId i) { return PyOperation{g, i}; });
    m.def("tensor", [](const GraphPtr& g, OpId i, int k) { return PyTensor{g, Output{i, k}}; });

    // ---- initializers --------------------------------------------------------
    // pybind11 holders cannot be shared_ptr<const T>: the binding holds mutable pointers.
    using InitHolder = std::shared_ptr<Initializer>;
    auto hold = [](InitializerPtr p) { return std::const_pointer_cast<Initializer>(std::move(p)); };
    py::class_<Initializer, InitHolder>(m, "Initializer").def("describe", &Initializer::describe);
    m.def("init_build", [](const GraphPtr& g, const std::shared_ptr<Initializer>& init, const std::vector<int64_t>& shape, int dtype) {
        return wrap(g, init->build(*g, shape, DType(dtype)));
    });
    m.def("init_zeros", [hold] { return hold(initializers::zeros()); });
    m.def("init_ones", [hold] { return hold(initializers::ones()); });
    m.def("init_constant", [hold](py::object v) {
        if (py::isinstance<py::float_>(v) || py::isinstance<py::int_>(v) || py::isinstance<py::bool_>(v))
            return hold(initializers::constant(v.cast<double>()));
        std::vector<double> values;
        py::module_ np = py::module_::import("numpy");
        for (py::handle h : np.attr("asarray")(v, "float64").attr("ravel")())
            values.push_back(h.cast<double>());
        return hold(initializers::constant(values));
    });
    m.def("init_truncated_normal", [hold](double a, double b, std::optional<int64_t> seed) {
        return hold(initializers::truncatedNormal(a, b, seed));
    });
    m.def("init_random_normal", [hold](double a, double b, std::optional<int64_t> seed) {
        return hold(initializers::randomNormal(a, b, seed));
    });
    m.def("init_random_uniform", [hold](double a, double b, std::optional<int64_t> seed) {
        return hold(initializers::randomUniform(a, b, seed));
    });
    m.def("init_glorot_uniform", [hold](std::optional<int64_t> seed) { return hold(initializers::glorotUniform(seed)); });

    // ---- variables -------------------------------------------------------------
    m.def("get_variable",
          [](const GraphPtr& g, const std::string& name, py::object shape, py::object dtype, std::shared_ptr<Initializer> init,
             py::object initialValue, py::object trainable, py::object collections, bool local,
             const std::string& definedAt, const std::string& source) {
              GetVariableOptions o;
              if (!shape.is_none())
                  o.shape = shapeFromPy(shape);
              o.dtype = optDType(dtype);
              o.initializer = std::move(init);
              if (!initialValue.is_none()) {
                  if (py::isinstance<PyTensor>(initialValue))
                      o.initialTensor = initialValue.cast<const PyTensor&>().output;
                  else
                      o.initialValue = toTensor(initialValue); // §9.4 compares before conversion
              }
              if (!trainable.is_none())
                  o.trainable = trainable.cast<bool>();
              if (!collections.is_none())
                  o.collections = collections.cast<std::vector<std::string>>();
              o.local = local;
              o.definedAt = definedAt;
              o.source = source;
              Variable v = getVariable(*g, name, o, std::source_location());
              return PyVariable{g, v.index};
          });
    m.def("make_variable", [](const GraphPtr& g, py::object initial, py::object shape, py::object dtype,
                              const std::string& name, bool trainable) {
        if (py::isinstance<Initializer>(initial)) {
            Shape s = shapeFromPy(shape);
            Variable v = makeVariable(*g, initial.cast<std::shared_ptr<Initializer>>(), s.dims(),
                                      optDType(dtype).value_or(DType::Float), name, trainable);
            return PyVariable{g, v.index};
        }
        if (py::isinstance<PyTensor>(initial)) {
            // tf.Variable(initial_value=<Tensor>): the tensor is the initial value as is (no Const).
            const Output t = initial.cast<const PyTensor&>().output;
            const OutputInfo& info = g->info(t);
            if (!info.shape.rankKnown())
                throw ValueError(cat("initial_value must have a shape specified: ", g->tensorName(t)));
            Variable v = makeVariable(*g, std::make_shared<TensorAsInitializer>(t), info.shape.dims(),
                                      baseType(info.dtype), name, trainable);
            return PyVariable{g, v.index};
        }
        Variable v = makeVariable(*g, toTensor(initial, optDType(dtype)), name, trainable);
        return PyVariable{g, v.index};
    });

    // ---- ops ---------------------------------------------------------------------
    auto in = [](const GraphPtr& g, py::handle v) { return toInput(g, v); };
    m.def("placeholder", [](const GraphPtr& g, int dtype, py::object shape, const std::string& name) {
        return wrap(g, ops::placeholder(*g, DType(dtype), shapeFromPy(shape), name));
    });
    m.def("constant", [](const GraphPtr& g, py::object value, py::object dtype, py::object shape,
                         const std::string& name) {
        Tensor t = toTensor(value, optDType(dtype));
        if (!shape.is_none()) {
            Shape s = shapeFromPy(shape);
            if (t.numElements() == 1 && s.numElements() != 1) {
                Tensor full = Tensor::filled(t.dtype(), s.dims(), t.toDouble(0));
                t = full;
            } else {
                t = t.reshaped(s.dims());
            }
        }
        return wrap(g, ops::constant(*g, t, name));
    });
    m.def("apply_op", [in](const GraphPtr& g, const std::string& type, const std::string& name,
                           const std::vector<std::pair<std::string, py::object>>& inputs, py::dict attrs) {
        std::vector<std::pair<std::string, ops::Input>> ins;
        for (const auto& [k, v] : inputs)
            ins.emplace_back(k, in(g, v));
        AttrList al;
        for (auto [k, v] : attrs) {
            std::string key = py::str(k);
            if (key == "T" || key == "DstT" || key == "dtype" || key == "output_type" || key == "out_type")
                al.set(key, AttrValue::type(DType(v.cast<int>())));
            else if (py::isinstance<py::bool_>(v))
                al.set(key, AttrValue::boolean(v.cast<bool>()));
            else if (py::isinstance<py::int_>(v))
                al.set(key, AttrValue::integer(v.cast<int64_t>()));
            else if (py::isinstance<py::float_>(v))
                al.set(key, AttrValue::real(v.cast<double>()));
        }
        OpId op = ops::apply(*g, type, name, std::move(ins), std::move(al));
        return wrap(g, Output{op, 0});
    });
    auto binaryOperator = [](const GraphPtr& g, const std::string& which, py::handle x, py::handle y) {
        ops::Input a = toInput(g, x), b = toInput(g, y);
        if (which == "add")
            return wrap(g, ops::plus(*g, a, b));
        if (which == "sub")
            return wrap(g, ops::minus(*g, a, b));
        if (which == "mul")
            return wrap(g, ops::times(*g, a, b));
        return wrap(g, ops::divide(*g, a, b));
    };
    m.def("binary_operator", [binaryOperator](const GraphPtr& g, const std::string& which, py::object x, py::object y) {
        return binaryOperator(g, which, x, y);
    });

    // The hot path of graph building: one call per op, the graph picked from the
    // arguments here (TF's _get_graph_from_inputs: the first Tensor's or Variable's
    // graph, all others must share it; default_graph() only when none has one).
    m.def("graph_of_inputs", [](const py::sequence& values, py::handle defaultGraph) {
        return graphOfInputs(values, defaultGraph); // the list holds its items for the call
    });
    m.def("binary_operator_auto", [binaryOperator](const std::string& which, py::handle x, py::handle y,
                                                   py::handle defaultGraph) {
        return binaryOperator(graphOfInputs(std::initializer_list<py::handle>{x, y}, defaultGraph), which, x, y);
    });
    m.def("apply_unary", [](const std::string& type, const std::string& name, const std::string& arg, py::handle x,
                            py::handle defaultGraph) {
        GraphPtr g = graphOfInputs(std::initializer_list<py::handle>{x}, defaultGraph);
        std::vector<std::pair<std::string, ops::Input>> ins;
        ins.emplace_back(arg, toInput(g, x));
        return wrap(g, Output{ops::apply(*g, type, name, std::move(ins)), 0});
    });
    m.def("apply_binary", [](const std::string& type, const std::string& name, py::handle x, py::handle y,
                             py::handle defaultGraph) {
        GraphPtr g = graphOfInputs(std::initializer_list<py::handle>{x, y}, defaultGraph);
        std::vector<std::pair<std::string, ops::Input>> ins;
        ins.reserve(2);
        ins.emplace_back("x", toInput(g, x));
        ins.emplace_back("y", toInput(g, y));
        return wrap(g, Output{ops::apply(*g, type, name, std::move(ins)), 0});
    });
    m.def("matmul", [in](const GraphPtr& g, py::object a, py::object b, bool ta, bool tb, const std::string& name) {
        return wrap(g, ops::matmul(*g, in(g, a), in(g, b), ta, tb, name));
    });
    m.def("reshape", [in](const GraphPtr& g, py::object t, py::object s, const std::string& name) {
        ops::Input shape = py::isinstance<PyTensor>(s) ? in(g, s) : ops::Input::ints(s.cast<std::vector<int64_t>>());
        return wrap(g, ops::reshape(*g, in(g, t), shape, name));
    });
    m.def("reduce", [in](const GraphPtr& g, const std::string& which, py::object x, py::object axis, bool keep,
                         const std::string& name) {
        std::optional<std::vector<int64_t>> ax;
        if (!axis.is_none())
            ax = py::isinstance<py::int_>(axis) ? std::vector<int64_t>{axis.cast<int64_t>()}
                                                : axis.cast<std::vector<int64_t>>();
        return wrap(g, which == "mean" ? ops::reduceMean(*g, in(g, x), ax, keep, name)
                                       : ops::reduceSum(*g, in(g, x), ax, keep, name));
    });
    m.def("argmax", [in](const GraphPtr& g, py::object x, int64_t axis, int outType, const std::string& name) {
        return wrap(g, ops::argmax(*g, in(g, x), axis, DType(outType), name));
    });
    m.def("cast", [in](const GraphPtr& g, py::object x, int dtype, const std::string& name) {
        return wrap(g, ops::cast(*g, in(g, x), DType(dtype), name));
    });
    m.def("sparse_softmax_xent", [in](const GraphPtr& g, py::object labels, py::object logits, const std::string& name) {
        return wrap(g, ops::sparseSoftmaxCrossEntropyWithLogits(*g, in(g, labels), in(g, logits), name));
    });
    m.def("softmax_xent_v2", [in](const GraphPtr& g, py::object labels, py::object logits, const std::string& name) {
        return wrap(g, ops::softmaxCrossEntropyWithLogitsV2(*g, in(g, labels), in(g, logits), name));
    });
    m.def("shape_op", [in](const GraphPtr& g, py::object x, int outType, const std::string& name) {
        return wrap(g, ops::shape(*g, in(g, x), DType(outType), name));
    });
    // tf.random_normal / truncated_normal / random_uniform with a static shape (TF's composites).
    m.def("random_op", [](const GraphPtr& g, const std::string& which, const std::vector<int64_t>& shape, double a,
                          double b, int dtype, std::optional<int64_t> seed, const std::string& name) {
        if (which == "normal")
            return wrap(g, ops::randomNormal(*g, shape, a, b, DType(dtype), seed, name));
        if (which == "truncated")
            return wrap(g, ops::truncatedNormal(*g, shape, a, b, DType(dtype), seed, name));
        return wrap(g, ops::randomUniform(*g, shape, a, b, DType(dtype), seed, name));
    });
    m.def("random_seeds", [](const GraphPtr& g, std::optional<int64_t> seed) { return ops::randomSeeds(*g, seed); });
    m.def("no_op", [](const GraphPtr& g, const std::string& name) { return PyOperation{g, ops::noOp(*g, name)}; });
    m.def("group", [](const GraphPtr& g, const std::vector<int>& opIds, const std::string& name) {
        return PyOperation{g, ops::group(*g, std::vector<OpId>(opIds.begin(), opIds.end()), name)};
    });
    m.def("global_variables_initializer",
          [](const GraphPtr& g) { return PyOperation{g, ops::globalVariablesInitializer(*g)}; });

    // ---- summaries -------------------------------------------------------------------
    // summary.scalar and summary.histogram share their signature: (name, tensor, collections, family).
    auto collectionsArg = [](const py::object& o) {
        return o.is_none() ? std::vector<std::string>{} : o.cast<std::vector<std::string>>();
    };
    auto familyArg = [](const py::object& o) {
        return o.is_none() ? std::optional<std::string>{} : std::optional<std::string>{o.cast<std::string>()};
    };
    m.def("summary_scalar", [in, collectionsArg, familyArg](const GraphPtr& g, const std::string& name, py::object t,
                                                           py::object collections, py::object family) {
        return wrap(g, summary::scalar(*g, name, in(g, t), collectionsArg(collections), familyArg(family)));
    });
    m.def("summary_histogram", [in, collectionsArg, familyArg](const GraphPtr& g, const std::string& name,
                                                              py::object t, py::object collections, py::object family) {
        return wrap(g, summary::histogram(*g, name, in(g, t), collectionsArg(collections), familyArg(family)));
    });
    m.def("summary_image", [in, collectionsArg, familyArg](const GraphPtr& g, const std::string& name, py::object t,
                                                          int64_t maxOutputs, py::object collections, py::object family) {
        return wrap(g, summary::image(*g, name, in(g, t), maxOutputs, collectionsArg(collections), familyArg(family)));
    });
    m.def("summary_audio", [in, collectionsArg, familyArg](const GraphPtr& g, const std::string& name, py::object t,
                                                          py::object sampleRate, int64_t maxOutputs,
                                                          py::object collections, py::object family) {
        return wrap(g, summary::audio(*g, name, in(g, t), in(g, sampleRate), maxOutputs, collectionsArg(collections),
                                      familyArg(family)));
    });
    m.def("summary_text", [in, collectionsArg](const GraphPtr& g, const std::string& name, py::object t,
                                               py::object collections) {
        return wrap(g, summary::text(*g, name, in(g, t), collectionsArg(collections)));
    });
    m.def("summary_merge", [](const GraphPtr& g, py::list inputs, py::object collections, const std::string& name) {
        std::vector<Output> ins;
        for (py::handle h : inputs)
            ins.push_back(h.cast<const PyTensor&>().output);
        std::vector<std::string> c;
        if (!collections.is_none())
            c = collections.cast<std::vector<std::string>>();
        return wrap(g, summary::merge(*g, ins, c, name));
    });
    m.def("summary_merge_all", [](const GraphPtr& g, const std::string& key, py::object scope,
                                  const std::string& name) -> py::object {
        std::optional<std::string> s;
        if (!scope.is_none())
            s = scope.cast<std::string>();
        auto r = summary::mergeAll(*g, key, s, name);
        if (!r)
            return py::none();
        return py::cast(wrap(g, *r));
    });
    m.def("clean_tag", [](const std::string& s) { return summary::cleanTag(s); });
    m.def("dtype_name", [](int t) { return dtypeName(DType(t)); });
}

} // namespace scopeviz::python
