// Importing ONNX models.
//
// ONNX has no scopes, but every exporter that knows a module hierarchy writes
// it into node names, and PyTorch's (1.13 and later) writes it the way
// TensorFlow writes name scopes: `/layer1/layer1.0/conv1/Conv`. So the
// importer turns an ONNX model into a Graph whose op names are scope paths
// and lets core/hierarchy do the rest (scope tree, series folding, sharing).
// The steps, each O(nodes + values):
//
// 1. Parse. The bytes are parsed with libonnx's generated ModelProto. When
//    that fails (a file cut short or corrupt), the model is parsed again field
//    by field (core/proto's WireScanner) down to the graph's repeated fields:
//    every node, initializer and input before the fault is kept and the
//    warning names the byte offset where the data stops making sense.
// 2. Check and infer. onnx::checker runs on the model as read (its message is
//    reported, the model opens anyway). When some node output has no type in
//    the file (PyTorch writes no value_info), ONNX shape inference fills
//    value_info; its errors are reported, not fatal.
// 3. Scope paths. A node name `/a/b.0/c/Conv` is scope `a/b.0/c` plus leaf
//    `Conv`; a name without a leading '/' (`Identity_3`, `Conv_12`) and
//    without '/' sits at the top; other names split at '/' as TensorFlow's
//    do. PyTorch names the second call of a module inconsistently: the
//    siamese encoder's second call comes out as `/encoder/fc1_1/Gemm`,
//    `/encoder/act_1/Relu` (the suffix on the children), sometimes beside
//    `/encoder_1/Relu` (the suffix on the module). A component `x_N` whose
//    base `x` is a sibling scope is therefore a later call, and is rewritten
//    so that the call index sits on the module that was called again:
//    (a) when an ancestor `p` of it has a sibling `p_N`, to `p_N/.../x`;
//    (b) else when every child of the parent that is not itself a `_N`
//        twin has a `_N` twin (all of `fc1`, `act`, `fc2` have `_1`
//        copies), the parent was called again: `parent_N/x`;
//    (c) else it stays (ResNet's BasicBlock calls its `relu` twice within one
//        call: `relu` and `relu_1` with no twin of `conv1`).
// 4. Parameters. Top-level initializers, and graph inputs named like
//    parameters (`fc.weight`, `onnx::Conv_193`: export_params=False makes
//    them inputs), become `VariableV2` ops so the variable machinery applies.
//    A dotted name is placed in its module: the atoms before the last give
//    the module's qualified name, and PyTorch names a scope after the
//    qualified name's last non-numeric atom and what follows it
//    (`layer1.0.conv1` → `layer1`, `layer1.0`, `conv1`). Components that are
//    no scope of the graph are skipped (a ModuleList is never called, so
//    `layers.0.self_attn` lives in `layers.0/self_attn`); when the module
//    itself is no scope, or the name is not dotted (BatchNorm folded into a
//    Conv: `onnx::Conv_193`), the parameter goes to the scope of its readers
//    when they all share one, else to the top. The op's leaf name is the
//    parameter's full name, so search finds `layer1.0.conv1.weight`.
//    Sharing then falls out of core/hierarchy: the tied LM's `embed.weight`
//    is read from `embed` and `lm_head`, the siamese encoder's weights from
//    `encoder` and `encoder_1`. PyTorch deduplicates equal-valued parameters
//    into top-level `Identity_N` nodes; such a copy is marked
//    (kOnnxParameterCopyAttr) and the analysis neither counts nor follows it.
// 5. Ops. Graph inputs become Placeholders, then nodes in file order, each
//    parameter just before its first reader (so it sits next to it in the
//    tree), graph outputs last as `GraphOutput` ops. A call of a model-local
//    function is an op whose scope holds the body (function inputs wired to
//    the call's inputs); If / Loop / Scan (any graph-valued attribute) hold
//    their bodies in `<node>/<attribute>` scopes, whose ops may read values
//    of the enclosing graphs. Inputs are resolved after every op exists, so
//    nodes need not be sorted; names that collide get a `_N` suffix.
//
// Weights are never decoded: a tensor is described by dtype, dims and where
// its data is (inline, external file), so a model with gigabytes of external
// data opens in the time its graph takes.
#include "core/onnx/onnx_import.h"

#include "core/proto/wire_scan.h"
#include "core/util/error.h"
#include "core/util/strings.h"

#include <google/protobuf/arena.h>
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

namespace scopeviz {
namespace {

constexpr int kMaxBodyDepth = 32; // nested If/Loop/function bodies followed

DType dtypeOfOnnx(int32_t t)
{
    switch (t) {
    case ::onnx::TensorProto::FLOAT: return DType::Float;
    case ::onnx::TensorProto::UINT8: return DType::UInt8;
    case ::onnx::TensorProto::INT8: return DType::Int8;
    case ::onnx::TensorProto::UINT16: return DType::UInt16;
    case ::onnx::TensorProto::INT16: return DType::Int16;
    case ::onnx::TensorProto::INT32: return DType::Int32;
    case ::onnx::TensorProto::INT64: return DType::Int64;
    case ::onnx::TensorProto::STRING: return DType::String;
    case ::onnx::TensorProto::BOOL: return DType::Bool;
    case ::onnx::TensorProto::FLOAT16: return DType::Half;
    case ::onnx::TensorProto::DOUBLE: return DType::Double;
    case ::onnx::TensorProto::UINT32: return DType::UInt32;
    case ::onnx::TensorProto::UINT64: return DType::UInt64;
    case ::onnx::TensorProto::COMPLEX64: return DType::Complex64;
    case ::onnx::TensorProto::COMPLEX128: return DType::Complex128;
    case ::onnx::TensorProto::BFLOAT16: return DType::BFloat16;
    default: return DType::Invalid;
    }
}

std::string onnxTypeName(int32_t t)
{
    const DType d = dtypeOfOnnx(t);
    return d == DType::Invalid ? cat("type", t) : dtypeName(d);
}

OutputInfo infoOfType(const ::onnx::TypeProto& t)
{
    OutputInfo info;
    if (!t.has_tensor_type())
        return info;
    const auto& tt = t.tensor_type();
    info.dtype = dtypeOfOnnx(tt.elem_type());
    if (tt.has_shape()) {
        std::vector<int64_t> dims;
        dims.reserve(size_t(tt.shape().dim_size()));
        for (const auto& d : tt.shape().dim())
            dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
        info.shape = Shape(std::move(dims));
    }
    return info;
}

std::string dimsText(const ::onnx::TensorProto& t)
{
    std::string s = "[";
    for (int i = 0; i < t.dims_size(); ++i)
        s += cat(i ? "," : "", t.dims(i));
    return s + "]";
}

template <class T>
std::string number(T v)
{
    std::string s;
    if constexpr (std::is_integral_v<T>)
        appendShortest(s, int64_t(v));
    else
        appendShortest(s, v);
    return s;
}

bool isExternal(const ::onnx::TensorProto& t)
{
    return t.data_location() == ::onnx::TensorProto::EXTERNAL;
}

/// "<tensor float32 [4]: 0.5, 0.5, 0.5, 0.5>", "<tensor float32 [64,3,7,7], 9408 elements>",
/// "<tensor float32 [512], external data in w.bin>": values only for a few small numbers.
std::string describeTensor(const ::onnx::TensorProto& t)
{
    int64_t n = 1;
    for (int64_t d : t.dims())
        n = (d >= 0 && n <= (int64_t(1) << 40)) ? n * d : n;
    std::string s = cat("<tensor ", onnxTypeName(t.data_type()), " ", dimsText(t));
    if (isExternal(t)) {
        for (const auto& e : t.external_data())
            if (e.key() == "location")
                return s + ", external data in " + e.value() + ">";
        return s + ", external data>";
    }
    std::vector<std::string> values;
    if (n <= 8) {
        const std::string& raw = t.raw_data();
        const int dt = t.data_type();
        auto fromRaw = [&](auto zero) {
            using T = decltype(zero);
            for (size_t i = 0; i + sizeof(T) <= raw.size() && values.size() < 8; i += sizeof(T)) {
                T v;
                std::memcpy(&v, raw.data() + i, sizeof(T));
                values.push_back(number(v));
            }
        };
        if (!raw.empty()) {
            if (dt == ::onnx::TensorProto::FLOAT)
                fromRaw(float{});
            else if (dt == ::onnx::TensorProto::DOUBLE)
                fromRaw(double{});
            else if (dt == ::onnx::TensorProto::INT64)
                fromRaw(int64_t{});
            else if (dt == ::onnx::TensorProto::INT32)
                fromRaw(int32_t{});
        } else {
            for (float v : t.float_data())
                values.push_back(number(v));
            for (double v : t.double_data())
                values.push_back(number(v));
            for (int64_t v : t.int64_data())
                values.push_back(cat(v));
            if (dt != ::onnx::TensorProto::FLOAT16 && dt != ::onnx::TensorProto::BFLOAT16)
                for (int32_t v : t.int32_data())
                    values.push_back(cat(v));
        }
    }
    if (!values.empty() && int64_t(values.size()) == n)
        return s + ": " + join(values, ", ") + ">";
    return cat(s, ", ", n, n == 1 ? " element>" : " elements>");
}

std::string describeGraph(const ::onnx::GraphProto& g)
{
    return cat("<graph ", g.name().empty() ? "(unnamed)" : g.name(), ": ", g.node_size(),
               g.node_size() == 1 ? " node>" : " nodes>");
}

AttrValue convertAttribute(const ::onnx::AttributeProto& a)
{
    using A = ::onnx::AttributeProto;
    switch (a.type()) {
    case A::FLOAT: return AttrValue::real(a.f());
    case A::INT: return AttrValue::integer(a.i());
    case A::STRING: return AttrValue::string(a.s());
    case A::TENSOR: return AttrValue::string(describeTensor(a.t()));
    case A::GRAPH: return AttrValue::string(describeGraph(a.g()));
    case A::SPARSE_TENSOR:
        return AttrValue::string(cat("<sparse tensor ", dimsText(a.sparse_tensor().values()), " values, dims ",
                                     a.sparse_tensor().dims_size(), ">"));
    case A::TYPE_PROTO: return AttrValue::string(a.tp().has_tensor_type()
                                                     ? cat("<type ", onnxTypeName(a.tp().tensor_type().elem_type()), ">")
                                                     : std::string("<type>"));
    case A::FLOATS: return AttrValue::floatList({a.floats().begin(), a.floats().end()});
    case A::INTS: return AttrValue::intList({a.ints().begin(), a.ints().end()});
    case A::STRINGS: return AttrValue::stringList({a.strings().begin(), a.strings().end()});
    case A::TENSORS: {
        std::vector<std::string> v;
        for (const auto& t : a.tensors())
            v.push_back(describeTensor(t));
        return AttrValue::stringList(std::move(v));
    }
    case A::GRAPHS: {
        std::vector<std::string> v;
        for (const auto& g : a.graphs())
            v.push_back(describeGraph(g));
        return AttrValue::stringList(std::move(v));
    }
    case A::SPARSE_TENSORS: return AttrValue::string(cat("<", a.sparse_tensors_size(), " sparse tensors>"));
    case A::TYPE_PROTOS: return AttrValue::string(cat("<", a.type_protos_size(), " types>"));
    default:
        break;
    }
    if (!a.ref_attr_name().empty())
        return AttrValue::placeholder(a.ref_attr_name());
    return AttrValue::string("<attribute of unknown type>");
}

/// Length of the well-formed UTF-8 sequence at s[i], or 0 (overlong forms, surrogates and
/// code points above U+10FFFF are malformed, as protobuf's own check has it).
size_t utf8SequenceAt(std::string_view s, size_t i)
{
    const auto c = [&](size_t k) { return uint8_t(s[k]); };
    const uint8_t b = c(i);
    if (b < 0x80)
        return 1;
    const size_t n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
    if (n == 0 || b > 0xF4 || i + n > s.size())
        return 0;
    for (size_t k = 1; k < n; ++k)
        if ((c(i + k) & 0xC0) != 0x80)
            return 0;
    if ((b == 0xE0 && c(i + 1) < 0xA0) || (b == 0xED && c(i + 1) >= 0xA0) || (b == 0xF0 && c(i + 1) < 0x90) ||
        (b == 0xF4 && c(i + 1) >= 0x90))
        return 0;
    return n;
}

/// `s` with every byte that is not part of well-formed UTF-8 replaced by '?'. ONNX
/// (proto2) strings are not checked when parsed, but a graph name, op type or attr name must
/// be UTF-8 everywhere scopeviz shows or exports it (GraphDef's parser refuses anything else).
/// Found by tests/fuzz (tests/data/fuzz/onnx_model).
std::string validUtf8(std::string_view s, int& repaired)
{
    std::string out;
    out.reserve(s.size());
    bool bad = false;
    for (size_t i = 0; i < s.size();) {
        const size_t n = utf8SequenceAt(s, i);
        if (n == 0) {
            out += '?';
            bad = true;
            ++i;
        } else {
            out.append(s.substr(i, n));
            i += n;
        }
    }
    repaired += bad ? 1 : 0;
    return out;
}

/// "x_12" -> ("x", 12); anything else -> ("", -1).
std::pair<std::string_view, int> callSuffix(std::string_view c)
{
    const size_t u = c.rfind('_');
    if (u == std::string_view::npos || u == 0 || u + 1 == c.size() || c.size() - u > 6)
        return {{}, -1};
    int n = 0;
    for (size_t i = u + 1; i < c.size(); ++i) {
        if (c[i] < '0' || c[i] > '9')
            return {{}, -1};
        n = n * 10 + (c[i] - '0');
    }
    return {c.substr(0, u), n};
}

/// Splits a node name into scope components and a leaf (docs at the top, step 3).
void splitNodeName(std::string_view name, std::vector<std::string>& scope, std::string& leaf)
{
    scope.clear();
    leaf.clear();
    std::vector<std::string_view> parts;
    size_t p = 0;
    while (p <= name.size()) {
        size_t q = name.find('/', p);
        if (q == std::string_view::npos)
            q = name.size();
        if (q > p)
            parts.push_back(name.substr(p, q - p));
        p = q + 1;
    }
    if (parts.empty())
        return;
    leaf.assign(parts.back());
    for (size_t i = 0; i + 1 < parts.size(); ++i)
        scope.emplace_back(parts[i]);
}

std::string joinPath(const std::vector<std::string>& c, size_t n)
{
    std::string s;
    for (size_t i = 0; i < n && i < c.size(); ++i) {
        if (i)
            s += '/';
        s += c[i];
    }
    return s;
}

// Keys view the model's own strings, which outlive the import (no copy per value).
using TypeMap = std::unordered_map<std::string_view, const ::onnx::TypeProto*>;

/// The declared type of each value of a graph: inputs, value_info, outputs.
TypeMap typesOf(const ::onnx::GraphProto& g)
{
    TypeMap types;
    for (const auto* list : {&g.input(), &g.value_info(), &g.output()})
        for (const auto& v : *list)
            types[v.name()] = &v.type();
    return types;
}

/// The op name of node k of a body (function, If/Loop branch) inside the scope `prefix`.
std::string bodyNodeName(const std::string& prefix, const ::onnx::NodeProto& node, int k)
{
    std::vector<std::string> sc;
    std::string leaf;
    splitNodeName(node.name(), sc, leaf);
    sc.push_back(leaf.empty() ? cat(node.op_type(), "_", k) : leaf);
    return prefix + "/" + joinPath(sc, sc.size());
}

bool isParameterLikeName(std::string_view n)
{
    if (startsWith(n, "onnx::"))
        return true;
    const size_t dot = n.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == n.size())
        return false;
    const std::string_view last = n.substr(dot + 1);
    return !std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// PyTorch's scope component of a module with this qualified name: from the last
/// non-numeric atom on (`layer1.0` -> `layer1.0`, `layer1.0.conv1` -> `conv1`).
std::string unqualifiedModuleName(const std::vector<std::string_view>& atoms, size_t n)
{
    size_t start = 0;
    for (size_t i = n; i-- > 0;) {
        const auto a = atoms[i];
        if (!std::all_of(a.begin(), a.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            start = i;
            break;
        }
    }
    std::string s;
    for (size_t i = start; i < n; ++i) {
        if (i > start)
            s += '.';
        s += atoms[i];
    }
    return s;
}

/// The first node (searched through bodies and functions) whose attributes would make libonnx
/// 1.12's shape inference divide by zero: a stride, dilation, kernel size or block size of zero
/// or less (convPoolShapeInference and the depth/space ops divide by them; found by
/// tests/fuzz, tests/data/fuzz/onnx_model/conv-stride-0). Empty when there is none.
std::string unsafeForShapeInference(const ::onnx::GraphProto& g, int depth = 0);

std::string unsafeNode(const ::onnx::NodeProto& n, int depth)
{
    for (const auto& a : n.attribute()) {
        const std::string& k = a.name();
        if (k == "strides" || k == "dilations" || k == "kernel_shape") {
            for (int64_t v : a.ints())
                if (v <= 0)
                    return cat("node '", n.name(), "' (", n.op_type(), ") has ", k, " ", v);
        } else if (k == "blocksize" && a.type() == ::onnx::AttributeProto::INT && a.i() <= 0) {
            return cat("node '", n.name(), "' (", n.op_type(), ") has blocksize ", a.i());
        }
        if (depth < 32) {
            if (a.has_g())
                if (std::string u = unsafeForShapeInference(a.g(), depth + 1); !u.empty())
                    return u;
            for (const auto& sg : a.graphs())
                if (std::string u = unsafeForShapeInference(sg, depth + 1); !u.empty())
                    return u;
        }
    }
    return {};
}

std::string unsafeForShapeInference(const ::onnx::GraphProto& g, int depth)
{
    for (const auto& n : g.node())
        if (std::string u = unsafeNode(n, depth); !u.empty())
            return u;
    return {};
}

// ---- salvaging a damaged file ------------------------------------------------

/// Merges a message's fields one by one into `msg` until the bytes stop making
/// sense; `descend` may take over a field (returning true) to salvage inside it.
/// Returns the offset (in the scanned bytes) of the fault, or npos when all went in.
template <class Msg, class Descend>
size_t mergeFieldwise(std::string_view bytes, Msg& msg, std::string& fault, Descend&& descend)
{
    detail::WireScanner s(bytes);
    detail::ScanField f;
    size_t end = 0;
    while (s.next(f)) {
        if (f.truncated) {
            if (!descend(f)) {
                fault = cat("the data ends inside field ", f.number);
                return f.offset;
            }
            return f.offset; // descend() kept what it could and set fault
        }
        const size_t next = f.type == detail::WireType::Bytes ? size_t(f.bytes.data() - bytes.data()) + f.bytes.size()
                                                               : s.position();
        if (!descend(f)) {
            if (!msg.MergeFromString(std::string(bytes.substr(f.offset, next - f.offset)))) {
                fault = cat("corrupt data in field ", f.number);
                return f.offset;
            }
        }
        if (!fault.empty())
            return f.offset;
        end = next;
    }
    if (s.failed()) {
        fault = cat("corrupt data: ", s.error());
        return s.errorOffset();
    }
    (void)end;
    return std::string_view::npos;
}

/// Parses what can be parsed of a damaged ModelProto (step 1). Returns false when no graph was found.
bool salvageModel(std::string_view bytes, ::onnx::ModelProto& model, std::string& warning)
{
    model.Clear();
    std::string fault;
    size_t faultAt = std::string_view::npos;
    bool sawGraph = false;
    const size_t top = mergeFieldwise(bytes, model, fault, [&](const detail::ScanField& f) {
        if (f.number != 7 || f.type != detail::WireType::Bytes)
            return false;
        sawGraph = true;
        std::string inner;
        const size_t base = size_t(f.bytes.data() - bytes.data());
        const size_t at = mergeFieldwise(f.bytes, *model.mutable_graph(), inner, [](const detail::ScanField&) {
            return false;
        });
        if (at != std::string_view::npos) {
            const ::onnx::GraphProto& g = model.graph();
            fault = cat(inner, " of the graph (after ", g.node_size(), " complete nodes, ", g.initializer_size(),
                        " initializers, ", g.input_size(), " inputs)");
            faultAt = base + at;
        } else if (f.truncated) {
            fault = "the data ends inside the graph";
            faultAt = base + f.bytes.size();
        }
        return true;
    });
    if (faultAt == std::string_view::npos)
        faultAt = top;
    if (!fault.empty())
        warning = cat(fault, " at byte ", faultAt, "; everything before it was kept");
    return sawGraph;
}

// ---- building the graph --------------------------------------------------------

/// Where a value name resolves: an op output, or another name in another context.
struct Context {
    int parent = -1; ///< enclosing graph (If/Loop bodies see its values); -1 for the top and for functions
    std::unordered_map<std::string_view, Output> values; ///< keys view the model's strings
    std::unordered_map<std::string_view, std::pair<int, std::string_view>> aliases; ///< function formal -> (caller, actual)
};

struct PendingInputs {
    OpId op;
    int context;
    std::vector<std::string_view> names; ///< views of the model's strings
    std::string_view nodeName;
};

class OnnxBuilder {
public:
    OnnxBuilder(Graph& g, OnnxImportResult& r, const OnnxImportOptions& o, const std::string& source)
        : m_g(g), m_r(r), m_o(o), m_source(source)
    {
    }

    void build(const ::onnx::ModelProto& model);

private:
    void warn(std::string w)
    {
        ++m_r.warningCount;
        if (int(m_r.warnings.size()) < m_o.maxWarnings)
            m_r.warnings.push_back(std::move(w));
    }
    std::string uniqueName(std::string name)
    {
        if (name.empty())
            name = "unnamed";
        if (!m_g.findOp(name))
            return name;
        for (int k = 1;; ++k) {
            std::string n = cat(name, "_", k);
            if (!m_g.findOp(n))
                return n;
        }
    }
    OpId addOp(std::string name, std::string_view type, AttrList attrs, std::vector<OutputInfo> outputs)
    {
        const OpId id = m_g.importOp(uniqueName(validUtf8(name, m_repaired)), validUtf8(type, m_repaired), {},
                                     std::move(attrs), std::move(outputs));
        ++m_r.opsAdded;
        return id;
    }
    void computeScopes(const ::onnx::GraphProto& graph);
    std::string placeParameter(const std::string& name) const;
    void addParameter(const std::string& name);
    OpId addNode(const ::onnx::NodeProto& n, const std::string& graphName, int ctx,
                 const TypeMap& types, int depth,
                 bool parameterCopy = false);
    void addBody(const ::onnx::GraphProto& body, const std::string& prefix, int parentCtx, int depth);
    Output resolve(int ctx, std::string_view name, int hops = 0) const;

    Graph& m_g;
    OnnxImportResult& m_r;
    const OnnxImportOptions& m_o;
    const std::string& m_source;
    std::deque<Context> m_contexts;
    int m_repaired = 0; // names, types and attr names whose invalid UTF-8 was replaced
    std::vector<PendingInputs> m_pending;
    std::unordered_map<std::string, const ::onnx::FunctionProto*> m_functions; // "domain:name"
    // Top graph: normalised scope path of each node, parameter records.
    std::vector<std::string> m_nodePaths; // per top-level node: scope path + "/" + leaf
    std::unordered_set<std::string> m_scopes;
    struct Param {
        const ::onnx::TensorProto* init = nullptr;
        const ::onnx::ValueInfoProto* input = nullptr;
        std::vector<int> readers; // top-level node indices
        bool made = false;
    };
    std::unordered_map<std::string, Param> m_params;
    std::vector<std::string> m_paramOrder;
};

void OnnxBuilder::computeScopes(const ::onnx::GraphProto& graph)
{
    const int n = graph.node_size();
    std::vector<std::vector<std::string>> scopes(static_cast<size_t>(n));
    std::vector<std::string> leaves(static_cast<size_t>(n));
    std::unordered_map<std::string, std::unordered_set<std::string>> children; // parent path -> child components
    for (int i = 0; i < n; ++i) {
        const auto& node = graph.node(i);
        splitNodeName(node.name(), scopes[size_t(i)], leaves[size_t(i)]);
        if (leaves[size_t(i)].empty())
            leaves[size_t(i)] = cat(node.op_type(), "_", i);
        const auto& c = scopes[size_t(i)];
        std::string path;
        for (size_t k = 0; k < c.size(); ++k) {
            children[path].insert(c[k]);
            path = k ? path + "/" + c[k] : c[k];
            m_scopes.insert(path);
        }
    }
    // Later calls (step 3): decided per (parent path, N) and cached.
    std::unordered_map<std::string, bool> recalled;
    auto parentRecalled = [&](const std::string& parent, int callN) {
        const std::string key = cat(parent, "#", callN);
        if (auto it = recalled.find(key); it != recalled.end())
            return it->second;
        const auto& kids = children[parent];
        int plain = 0;
        bool all = true;
        for (const std::string& k : kids) {
            const auto [base, m] = callSuffix(k);
            if (m >= 0 && kids.count(std::string(base)))
                continue; // itself a twin
            ++plain;
            if (!kids.count(cat(k, "_", callN)))
                all = false;
        }
        return recalled[key] = all && plain > 0;
    };
    m_nodePaths.resize(size_t(n));
    for (int i = 0; i < n; ++i) {
        std::vector<std::string> c = scopes[size_t(i)];
        for (size_t k = 1; k < c.size(); ++k) {
            const auto [base, callN] = callSuffix(c[k]);
            if (callN < 1)
                continue;
            const std::string parent = joinPath(c, k);
            if (!m_scopes.count(parent + "/" + std::string(base)))
                continue; // `encoder_layer_1` beside no `encoder_layer`: a name, not a call
            // (a) an ancestor with a `_N` twin
            bool done = false;
            for (size_t j = 0; j < k && !done; ++j) {
                const std::string twin = (j ? joinPath(c, j) + "/" : std::string()) + cat(c[j], "_", callN);
                if (m_scopes.count(twin)) {
                    c[j] = cat(c[j], "_", callN);
                    c[k] = std::string(base);
                    done = true;
                }
            }
            // (b) every plain child of the parent has a `_N` twin
            if (!done && parentRecalled(parent, callN)) {
                c[k - 1] = cat(c[k - 1], "_", callN);
                c[k] = std::string(base);
            }
        }
        std::string p = joinPath(c, c.size());
        m_nodePaths[size_t(i)] = p.empty() ? leaves[size_t(i)] : p + "/" + leaves[size_t(i)];
        for (size_t k = 1; k <= c.size(); ++k)
            m_scopes.insert(joinPath(c, k));
    }
}

std::string OnnxBuilder::placeParameter(const std::string& name) const
{
    auto scopeOf = [](const std::string& path) {
        const size_t s = path.rfind('/');
        return s == std::string::npos ? std::string() : path.substr(0, s);
    };
    if (name.find('/') != std::string::npos) // a TensorFlow-style name carries its own path
        return {};
    if (!startsWith(name, "onnx::") && name.find('.') != std::string::npos) {
        std::vector<std::string_view> atoms = split(name, '.');
        std::string path;
        bool lastMatched = false;
        for (size_t l = 1; l < atoms.size(); ++l) { // the last atom is the parameter
            const std::string comp = unqualifiedModuleName(atoms, l);
            const std::string p = path.empty() ? comp : path + "/" + comp;
            lastMatched = m_scopes.count(p) > 0;
            if (lastMatched)
                path = p;
        }
        if (lastMatched)
            return path;
    }
    const Param& p = m_params.at(name);
    std::string where;
    bool first = true;
    for (int r : p.readers) {
        const std::string s = scopeOf(m_nodePaths[size_t(r)]);
        if (first)
            where = s;
        else if (s != where)
            return {};
        first = false;
    }
    return where;
}

void OnnxBuilder::addParameter(const std::string& name)
{
    Param& p = m_params.at(name);
    if (p.made)
        return;
    p.made = true;
    OutputInfo info;
    AttrList attrs;
    if (p.init) {
        info.dtype = dtypeOfOnnx(p.init->data_type());
        info.shape = Shape(std::vector<int64_t>(p.init->dims().begin(), p.init->dims().end()));
        if (isExternal(*p.init)) {
            ++m_r.externalTensors;
            for (const auto& e : p.init->external_data())
                if (e.key() == "location")
                    attrs.set("external_data", AttrValue::string(e.value()));
        }
        attrs.set("initializer", AttrValue::boolean(true));
    } else if (p.input) {
        info = infoOfType(p.input->type());
        attrs.set("initializer", AttrValue::boolean(false));
    }
    attrs.set("dtype", AttrValue::type(info.dtype));
    attrs.set("shape", AttrValue::shape(info.shape));
    attrs.set("onnx_name", AttrValue::string(name));
    if (p.init && !p.init->doc_string().empty())
        attrs.set("doc_string", AttrValue::string(p.init->doc_string()));
    const std::string scope = placeParameter(name);
    const OpId id = addOp(scope.empty() ? name : scope + "/" + name, kOnnxParameterType, std::move(attrs), {info});
    m_contexts[0].values[name] = Output{id, 0};
    ++m_r.parameterCount;
}

Output OnnxBuilder::resolve(int ctx, std::string_view name, int hops) const
{
    while (ctx >= 0 && hops < 4 * kMaxBodyDepth) {
        const Context& c = m_contexts[size_t(ctx)];
        if (auto it = c.values.find(name); it != c.values.end())
            return it->second;
        if (auto it = c.aliases.find(name); it != c.aliases.end())
            return resolve(it->second.first, it->second.second, hops + 1);
        ctx = c.parent;
        ++hops;
    }
    return {};
}

OpId OnnxBuilder::addNode(const ::onnx::NodeProto& n, const std::string& graphName, int ctx,
                          const TypeMap& types, int depth,
                          bool parameterCopy)
{
    AttrList attrs;
    if (parameterCopy)
        attrs.set(kOnnxParameterCopyAttr, AttrValue::boolean(true));
    for (const auto& a : n.attribute()) {
        AttrValue v = convertAttribute(a);
        if (v.kind() == AttrValue::Kind::Placeholder)
            v = AttrValue::placeholder(validUtf8(v.str(), m_repaired));
        attrs.set(validUtf8(a.name(), m_repaired), std::move(v));
    }
    if (!n.domain().empty())
        attrs.set("domain", AttrValue::string(n.domain()));
    if (!n.doc_string().empty())
        attrs.set("doc_string", AttrValue::string(n.doc_string()));
    attrs.set("onnx_name", AttrValue::string(n.name()));
    attrs.set("onnx_inputs", AttrValue::stringList({n.input().begin(), n.input().end()}));
    std::vector<OutputInfo> outs(size_t(n.output_size()));
    for (int k = 0; k < n.output_size(); ++k)
        if (auto it = types.find(n.output(k)); it != types.end())
            outs[size_t(k)] = infoOfType(*it->second);
    const OpId id = addOp(graphName, n.op_type(), std::move(attrs), std::move(outs));
    Context& c = m_contexts[size_t(ctx)];
    for (int k = 0; k < n.output_size(); ++k)
        if (!n.output(k).empty())
            c.values[n.output(k)] = Output{id, k};
    PendingInputs pending{id, ctx, {}, n.name()};
    for (const std::string& in : n.input())
        if (!in.empty())
            pending.names.push_back(in);
    m_pending.push_back(std::move(pending));
    const std::string scopeName(m_g.op(id).name());

    if (depth >= kMaxBodyDepth) {
        warn(cat(m_source, ": node '", n.name(), "': bodies nested deeper than ", kMaxBodyDepth, " are not shown"));
        return id;
    }
    // Bodies of If / Loop / Scan (and any graph attribute).
    for (const auto& a : n.attribute()) {
        if (a.type() == ::onnx::AttributeProto::GRAPH)
            addBody(a.g(), scopeName + "/" + a.name(), ctx, depth + 1);
        else if (a.type() == ::onnx::AttributeProto::GRAPHS)
            for (int k = 0; k < a.graphs_size(); ++k)
                addBody(a.graphs(k), cat(scopeName, "/", a.name(), "_", k), ctx, depth + 1);
    }
    // A call of a model-local function: its body inside the call's scope.
    if (auto f = m_functions.find(n.domain() + ":" + n.op_type()); f != m_functions.end()) {
        const ::onnx::FunctionProto& fn = *f->second;
        Context fc;
        for (int k = 0; k < fn.input_size() && k < n.input_size(); ++k)
            fc.aliases[fn.input(k)] = {ctx, n.input(k)};
        m_contexts.push_back(std::move(fc));
        const int fctx = int(m_contexts.size()) - 1;
        static const TypeMap none;
        for (int k = 0; k < fn.node_size(); ++k)
            addNode(fn.node(k), bodyNodeName(scopeName, fn.node(k), k), fctx, none, depth + 1);
    }
    return id;
}

void OnnxBuilder::addBody(const ::onnx::GraphProto& body, const std::string& prefix, int parentCtx, int depth)
{
    Context bc;
    bc.parent = parentCtx;
    m_contexts.push_back(std::move(bc));
    const int ctx = int(m_contexts.size()) - 1;
    const TypeMap types = typesOf(body);
    for (const auto& v : body.input()) {
        const OpId id = addOp(prefix + "/" + v.name(), "Placeholder", {{Symbol("onnx_name"), AttrValue::string(v.name())}},
                              {infoOfType(v.type())});
        m_contexts[size_t(ctx)].values[v.name()] = Output{id, 0};
    }
    for (const auto& t : body.initializer()) {
        OutputInfo info{dtypeOfOnnx(t.data_type()), Shape(std::vector<int64_t>(t.dims().begin(), t.dims().end()))};
        AttrList attrs;
        attrs.set("value", AttrValue::string(describeTensor(t)));
        attrs.set("onnx_name", AttrValue::string(t.name()));
        const OpId id = addOp(prefix + "/" + t.name(), "Const", std::move(attrs), {info});
        m_contexts[size_t(ctx)].values[t.name()] = Output{id, 0};
    }
    for (int k = 0; k < body.node_size(); ++k)
        addNode(body.node(k), bodyNodeName(prefix, body.node(k), k), ctx, types, depth);
}

void OnnxBuilder::build(const ::onnx::ModelProto& model)
{
    const ::onnx::GraphProto& graph = model.graph();
    for (const auto& f : model.functions())
        m_functions[f.domain() + ":" + f.name()] = &f;
    m_contexts.emplace_back();

    const TypeMap types = typesOf(graph);

    computeScopes(graph);

    // Parameters (step 4) and their readers.
    for (const auto& t : graph.initializer()) {
        auto [it, fresh] = m_params.try_emplace(t.name());
        it->second.init = &t;
        if (fresh)
            m_paramOrder.push_back(t.name());
    }
    std::vector<const ::onnx::ValueInfoProto*> dataInputs;
    for (const auto& v : graph.input()) {
        if (auto it = m_params.find(v.name()); it != m_params.end()) {
            it->second.input = &v;
        } else if (isParameterLikeName(v.name())) {
            m_params[v.name()].input = &v;
            m_paramOrder.push_back(v.name());
        } else {
            dataInputs.push_back(&v);
        }
    }
    std::vector<bool> copyNode(size_t(graph.node_size()), false);
    for (int i = 0; i < graph.node_size(); ++i) {
        const auto& node = graph.node(i);
        const bool copy = node.op_type() == "Identity" && node.input_size() == 1 && node.output_size() == 1 &&
                          node.name().find('/') == std::string::npos && m_params.count(node.input(0)) &&
                          isParameterLikeName(node.output(0));
        copyNode[size_t(i)] = copy;
        if (copy)
            continue; // a copy is not a reader that places the parameter
        for (const std::string& in : node.input())
            if (auto it = m_params.find(in); it != m_params.end())
                it->second.readers.push_back(i);
    }

    for (const auto* v : dataInputs) {
        AttrList attrs;
        attrs.set("onnx_name", AttrValue::string(v->name()));
        const OutputInfo info = infoOfType(v->type());
        attrs.set("dtype", AttrValue::type(info.dtype));
        attrs.set("shape", AttrValue::shape(info.shape));
        const OpId id = addOp(v->name(), "Placeholder", std::move(attrs), {info});
        m_contexts[0].values[v->name()] = Output{id, 0};
    }
    for (int i = 0; i < graph.node_size(); ++i) {
        const auto& node = graph.node(i);
        if (!copyNode[size_t(i)]) // a copy's source goes next to its real reader
            for (const std::string& in : node.input())
                if (m_params.count(in))
                    addParameter(in);
        addNode(node, m_nodePaths[size_t(i)], 0, types, 0, copyNode[size_t(i)]);
    }
    for (const std::string& name : m_paramOrder)
        addParameter(name);
    for (const auto& v : graph.output()) {
        AttrList attrs;
        attrs.set("onnx_name", AttrValue::string(v.name()));
        attrs.set("onnx_inputs", AttrValue::stringList({v.name()}));
        const OpId id = addOp(v.name(), "GraphOutput", std::move(attrs), {});
        m_pending.push_back({id, 0, {v.name()}, v.name()});
    }

    // Inputs, once every op exists.
    // In a damaged file the graph's inputs and initializers often come after the cut: one
    // warning for all the values it never declared, not one per reader.
    int undeclared = 0;
    for (PendingInputs& p : m_pending) {
        std::vector<Output> ins;
        ins.reserve(p.names.size());
        for (std::string_view name : p.names) {
            const Output o = resolve(p.context, name);
            if (!o.valid()) {
                if (m_r.partial)
                    ++undeclared;
                else
                    warn(cat(m_source, ": node '", p.nodeName, "': input '", name,
                             "' is produced by no node, graph input or initializer"));
                continue;
            }
            ins.push_back(o);
            ++m_r.edgeCount;
        }
        m_g.setImportedInputs(p.op, std::move(ins), {});
    }
    if (undeclared > 0)
        warn(cat(m_source, ": ", undeclared, " node inputs name values the file ended before declaring"));
    if (m_repaired > 0)
        warn(cat(m_source, ": ", m_repaired, " names, op types or attribute names are not valid UTF-8; "
                 "their bad bytes are shown as '?'"));
}

std::string opsetText(const std::pair<std::string, int64_t>& o)
{
    return cat(o.first.empty() ? "ai.onnx" : o.first, " ", o.second);
}

} // namespace

std::string OnnxImportResult::summary() const
{
    std::vector<std::string> ops;
    for (const auto& o : opsets)
        ops.push_back(opsetText(o));
    std::string s = cat("ONNX IR ", irVersion);
    if (!ops.empty())
        s += ", opset " + join(ops, ", ");
    if (!producerName.empty())
        s += cat(", producer ", producerName, producerVersion.empty() ? "" : " ", producerVersion);
    return s;
}

bool looksLikeOnnxModel(std::string_view bytes)
{
    detail::WireScanner s(bytes);
    detail::ScanField f;
    bool first = true, graphOrOpset = false;
    for (int i = 0; i < 64 && s.next(f); ++i) {
        using detail::WireType;
        const bool varint = f.type == WireType::Varint, len = f.type == WireType::Bytes;
        if (first && !(f.number == 1 && varint && f.value >= 1 && f.value <= 64))
            return false;
        first = false;
        switch (f.number) {
        case 1:
        case 5:
            if (!varint)
                return false;
            break;
        case 2: case 3: case 4: case 6: case 7: case 8: case 14: case 20: case 25:
            if (!len)
                return false;
            graphOrOpset = graphOrOpset || f.number == 7 || f.number == 8;
            break;
        default:
            return false;
        }
        if (graphOrOpset)
            return true;
    }
    return graphOrOpset;
}

Expected<OnnxImportResult> importOnnxBytes(std::string_view bytes, const std::string& source, Graph& g,
                                           const OnnxImportOptions& options)
{
    OnnxImportResult r;
    // On an arena: a model's tens of thousands of small strings are then allocated and freed in
    // bulk (freeing them one by one cost a third of a 30,000-node import).
    google::protobuf::Arena arena;
    ::onnx::ModelProto& model = *google::protobuf::Arena::CreateMessage<::onnx::ModelProto>(&arena);
    if (bytes.size() > size_t(INT32_MAX))
        return unexpected(cat(source, ": too large to be an ONNX model (", bytes.size(), " bytes)"));
    if (!model.ParseFromArray(bytes.data(), int(bytes.size()))) {
        std::string warning;
        if (!salvageModel(bytes, model, warning) || model.graph().node_size() == 0)
            return unexpected(cat(source, ": not a readable ONNX model (",
                                  warning.empty() ? std::string("no graph found") : warning, ")"));
        r.partial = true;
        r.warnings.push_back(warning);
        ++r.warningCount;
    }
    if (!model.has_graph())
        return unexpected(cat(source, ": the ONNX model holds no graph"));

    r.irVersion = model.ir_version();
    r.producerName = model.producer_name();
    r.producerVersion = model.producer_version();
    r.domain = model.domain();
    r.docString = model.doc_string();
    r.modelVersion = model.model_version();
    r.graphName = model.graph().name();
    r.graphDocString = model.graph().doc_string();
    for (const auto& o : model.opset_import())
        r.opsets.emplace_back(o.domain(), o.version());
    for (const auto& m : model.metadata_props())
        r.metadata.emplace_back(m.key(), m.value());
    r.nodeCount = model.graph().node_size();
    r.functionCount = model.functions_size();

    // Step 2: checker and shape inference. Both throw on bad models; neither may stop the import.
    if (options.runChecker && !r.partial) {
        try {
            ::onnx::checker::check_model(model);
        } catch (const std::exception& e) {
            // One line (the checker embeds the node's text form, newlines included).
            std::string msg;
            for (char c : std::string_view(e.what())) {
                if (c == '\n')
                    c = ' ';
                if (c != ' ' || (!msg.empty() && msg.back() != ' '))
                    msg += c;
            }
            while (!msg.empty() && msg.back() == ' ')
                msg.pop_back();
            r.checkerMessage = msg;
            r.warnings.push_back(cat("onnx checker: ", msg));
            ++r.warningCount;
        }
    }
    if (options.inferShapes && !r.partial) { // a cut file may have lost its opset_import (written last)
        std::unordered_set<std::string_view> typed;
        const auto& gr = model.graph();
        for (const auto& v : gr.value_info())
            typed.insert(v.name());
        for (const auto& v : gr.output())
            typed.insert(v.name());
        bool missing = false;
        for (const auto& n : gr.node()) {
            for (const auto& o : n.output())
                if (!o.empty() && !typed.count(o)) {
                    missing = true;
                    break;
                }
            if (missing)
                break;
        }
        const std::string unsafe = missing ? unsafeForShapeInference(model.graph()) : std::string();
        std::string unsafeFn;
        for (int i = 0; missing && unsafe.empty() && unsafeFn.empty() && i < model.functions_size(); ++i)
            for (const auto& n : model.functions(i).node())
                if (unsafeFn.empty())
                    unsafeFn = unsafeNode(n, 0);
        if (!unsafe.empty() || !unsafeFn.empty()) {
            r.warnings.push_back(cat("onnx shape inference skipped: ", unsafe.empty() ? unsafeFn : unsafe));
            ++r.warningCount;
        } else if (missing) {
            try {
                ::onnx::shape_inference::InferShapes(model);
                r.shapeInference = true;
            } catch (const std::exception& e) {
                r.shapeInference = true;
                r.warnings.push_back(cat("onnx shape inference stopped: ", e.what()));
                ++r.warningCount;
            }
        }
    }

    try {
        OnnxBuilder b(g, r, options, source);
        b.build(model);
    } catch (const Error& e) {
        return unexpected(cat(source, ": ", e.what()));
    }
    return r;
}

} // namespace scopeviz
