// Attr, tensor and shape conversions between TensorFlow's messages and the
// graph model.
//
// Tensors follow TensorFlow's reading rules (docs/formats.md §5): raw
// little-endian `tensor_content` when present, otherwise the typed list for
// the dtype, where a list shorter than the shape repeats its last value and an
// empty list means zeros. Big tensors are never copied: the decision to
// summarise is taken from dtype and shape alone, before touching the data, so
// a 100 MB frozen weight costs the importer nothing but a short string.
#include "core/io/attr_convert.h"

#include "core/util/strings.h"

#include <cstring>
#include <limits>

namespace scopeviz::detail {
namespace {

/// Element count of known dims, saturating at INT64_MAX; -1 if any dim is unknown.
int64_t elementCount(const Shape& s)
{
    if (!s.rankKnown())
        return -1;
    int64_t n = 1;
    for (int64_t d : s.dims()) {
        if (d < 0)
            return -1;
        if (__builtin_mul_overflow(n, d, &n))
            return std::numeric_limits<int64_t>::max();
    }
    return n;
}

/// Copies `n` elements from a typed list, repeating the last value (zeros when empty).
template <class Dst, class List>
void fillRepeated(Dst* out, int64_t n, const List& vals)
{
    const int64_t have = vals.size();
    for (int64_t i = 0; i < n; ++i)
        out[i] = have == 0 ? Dst() : static_cast<Dst>(vals.Get(int(i < have ? i : have - 1)));
}

/// Complex values come as (real, imaginary) pairs; repeats the last pair.
template <class Part, class List>
void fillComplex(Part* out, int64_t n, const List& vals)
{
    const int64_t pairs = vals.size() / 2;
    for (int64_t i = 0; i < n; ++i) {
        const int64_t k = pairs == 0 ? -1 : (i < pairs ? i : pairs - 1);
        out[2 * i] = k < 0 ? Part() : static_cast<Part>(vals.Get(int(2 * k)));
        out[2 * i + 1] = k < 0 ? Part() : static_cast<Part>(vals.Get(int(2 * k + 1)));
    }
}

/// Number of values in the typed list TensorFlow uses for `t` (to detect surplus values).
int64_t typedValueCount(const tfproto::TensorProto& p, DType t)
{
    switch (t) {
    case DType::Float: return p.float_val_size();
    case DType::Double: return p.double_val_size();
    case DType::Int32:
    case DType::Int16:
    case DType::Int8:
    case DType::UInt8:
    case DType::UInt16: return p.int_val_size();
    case DType::Int64: return p.int64_val_size();
    case DType::Bool: return p.bool_val_size() ? p.bool_val_size() : p.int_val_size();
    case DType::Half:
    case DType::BFloat16: return p.half_val_size();
    case DType::Complex64: return p.scomplex_val_size() / 2;
    case DType::Complex128: return p.dcomplex_val_size() / 2;
    case DType::UInt32: return p.uint32_val_size();
    case DType::UInt64: return p.uint64_val_size();
    case DType::String: return p.string_val_size();
    default: return 0;
    }
}

/// Fills a freshly allocated tensor from the typed list of its dtype.
void fillFromTyped(Tensor& t, const tfproto::TensorProto& p)
{
    const int64_t n = t.numElements();
    switch (t.dtype()) {
    case DType::Float: fillRepeated(t.data<float>(), n, p.float_val()); break;
    case DType::Double: fillRepeated(t.data<double>(), n, p.double_val()); break;
    case DType::Int32: fillRepeated(t.data<int32_t>(), n, p.int_val()); break;
    case DType::Int16: fillRepeated(t.data<int16_t>(), n, p.int_val()); break;
    case DType::Int8: fillRepeated(t.data<int8_t>(), n, p.int_val()); break;
    case DType::UInt8: fillRepeated(t.data<uint8_t>(), n, p.int_val()); break;
    case DType::UInt16: fillRepeated(t.data<uint16_t>(), n, p.int_val()); break;
    case DType::Int64: fillRepeated(t.data<int64_t>(), n, p.int64_val()); break;
    case DType::Bool:
        if (p.bool_val_size() || !p.int_val_size())
            fillRepeated(t.data<bool>(), n, p.bool_val());
        else
            fillRepeated(t.data<bool>(), n, p.int_val()); // some writers use int_val for bools
        break;
    case DType::Half:
    case DType::BFloat16: fillRepeated(t.data<uint16_t>(), n, p.half_val()); break;
    case DType::Complex64: fillComplex(t.data<float>(), n, p.scomplex_val()); break;
    case DType::Complex128: fillComplex(t.data<double>(), n, p.dcomplex_val()); break;
    case DType::UInt32: fillRepeated(t.data<uint32_t>(), n, p.uint32_val()); break;
    case DType::UInt64: fillRepeated(t.data<uint64_t>(), n, p.uint64_val()); break;
    case DType::String: {
        const int64_t have = p.string_val_size();
        auto& out = t.strings();
        for (int64_t i = 0; i < n; ++i)
            out[size_t(i)] = have == 0 ? std::string() : p.string_val(int(i < have ? i : have - 1));
        break;
    }
    default: break;
    }
}

std::string dtypeLabel(DType t) { return dtypeName(t); }

DType dtypeFromLabel(std::string_view s)
{
    if (startsWith(s, "dtype")) { // dtypeName() of a dtype without a Python name: "dtype11"
        int v = 0;
        for (char c : s.substr(5)) {
            if (c < '0' || c > '9' || v > 100000)
                return DType::Invalid;
            v = v * 10 + (c - '0');
        }
        return s.size() > 5 ? DType(v) : DType::Invalid;
    }
    return dtypeFromName(std::string(s));
}

} // namespace

Shape shapeFromProto(const tfproto::TensorShapeProto& p)
{
    if (p.unknown_rank())
        return Shape();
    std::vector<int64_t> dims;
    dims.reserve(size_t(p.dim_size()));
    for (const auto& d : p.dim())
        dims.push_back(d.size() < 0 ? -1 : d.size());
    return Shape(std::move(dims));
}

void shapeToProto(const Shape& s, tfproto::TensorShapeProto* p)
{
    if (!s.rankKnown()) {
        p->set_unknown_rank(true);
        return;
    }
    for (int64_t d : s.dims())
        p->add_dim()->set_size(d);
}

std::string tensorSummary(DType dtype, const Shape& shape)
{
    std::string s = "<tensor " + dtypeLabel(dtype) + " " + shape.toDebugString();
    const int64_t n = elementCount(shape);
    if (n >= 0) {
        s += ", " + std::to_string(n) + " elements";
        const int size = dtypeSize(dtype);
        int64_t bytes = 0;
        if (size > 0 && !__builtin_mul_overflow(n, int64_t(size), &bytes))
            s += ", " + std::to_string(bytes) + " bytes";
    }
    return s + ">";
}

bool parseTensorSummary(std::string_view s, DType& dtype, Shape& shape)
{
    if (!startsWith(s, "<tensor ") || !endsWith(s, ">"))
        return false;
    s = s.substr(8, s.size() - 9);
    const size_t sp = s.find(' ');
    if (sp == std::string_view::npos)
        return false;
    dtype = dtypeFromLabel(s.substr(0, sp));
    if (dtype == DType::Invalid)
        return false;
    std::string_view rest = s.substr(sp + 1);
    if (startsWith(rest, "<unknown>")) {
        shape = Shape();
        return true;
    }
    if (rest.empty() || rest[0] != '[')
        return false;
    const size_t close = rest.find(']');
    if (close == std::string_view::npos)
        return false;
    std::vector<int64_t> dims;
    const std::string_view body = rest.substr(1, close - 1);
    if (!body.empty()) {
        for (std::string_view piece : split(body, ',')) {
            if (piece == "?") {
                dims.push_back(-1);
                continue;
            }
            if (piece.empty() || piece.size() > 18)
                return false;
            int64_t v = 0;
            for (char c : piece) {
                if (c < '0' || c > '9')
                    return false;
                v = v * 10 + (c - '0');
            }
            dims.push_back(v);
        }
    }
    shape = Shape(std::move(dims));
    return true;
}

TensorConversion tensorFromProto(const tfproto::TensorProto& p, int64_t maxElements)
{
    TensorConversion r;
    const DType dtype = baseType(DType(int32_t(p.dtype())));
    const Shape shape = p.has_tensor_shape() ? shapeFromProto(p.tensor_shape()) : Shape::scalar();
    const int64_t n = elementCount(shape);
    const int size = dtypeSize(dtype);
    const bool holdable = dtype == DType::String || size > 0;
    auto summarize = [&](std::string problem) {
        r.value = AttrValue::string(tensorSummary(dtype, shape));
        r.summarized = true;
        r.problem = std::move(problem);
        return r;
    };
    if (n < 0)
        return summarize("tensor has an unknown shape " + shape.toDebugString());
    if (!holdable || n > maxElements)
        return summarize("");

    const std::string& content = p.tensor_content();
    if (!content.empty() && dtype != DType::String) {
        const uint64_t want = uint64_t(n) * uint64_t(size);
        if (content.size() != want)
            return summarize(cat("tensor_content has ", content.size(), " bytes, but ", dtypeName(dtype),
                                 shape.toDebugString(), " needs ", want));
        Tensor t(dtype, shape.dims());
        if (want)
            std::memcpy(t.rawData(), content.data(), size_t(want));
        r.value = AttrValue::tensor(std::move(t));
        return r;
    }
    Tensor t(dtype, shape.dims());
    fillFromTyped(t, p);
    if (typedValueCount(p, dtype) > n)
        r.problem = cat("tensor has ", typedValueCount(p, dtype), " values for ", n, " elements; extra values dropped");
    r.value = AttrValue::tensor(std::move(t));
    return r;
}

void tensorToProto(const Tensor& t, tfproto::TensorProto* p)
{
    p->set_dtype(tfproto::DataType(int32_t(t.dtype())));
    auto* shape = p->mutable_tensor_shape();
    for (int64_t d : t.dims())
        shape->add_dim()->set_size(d);
    if (!t.valid() || t.numElements() == 0)
        return;
    if (t.dtype() == DType::String) {
        for (const std::string& s : t.strings())
            p->add_string_val(s);
        return;
    }
    // Single values use the typed list, as TensorFlow's own make_tensor_proto does:
    // it reads better in text form. Everything else is raw little-endian bytes.
    if (t.numElements() == 1) {
        switch (t.dtype()) {
        case DType::Float: p->add_float_val(t.data<float>()[0]); return;
        case DType::Double: p->add_double_val(t.data<double>()[0]); return;
        case DType::Int32: p->add_int_val(t.data<int32_t>()[0]); return;
        case DType::Int64: p->add_int64_val(t.data<int64_t>()[0]); return;
        case DType::Bool: p->add_bool_val(t.data<bool>()[0]); return;
        default: break;
        }
    }
    p->set_tensor_content(static_cast<const char*>(t.rawData()), t.byteSize());
}

AttrConversion attrFromProto(const tfproto::AttrValue& p, int64_t maxTensorElements)
{
    AttrConversion r;
    using VC = tfproto::AttrValue::ValueCase;
    switch (p.value_case()) {
    case VC::kS: r.value = AttrValue::string(p.s()); break;
    case VC::kI: r.value = AttrValue::integer(p.i()); break;
    case VC::kF: r.value = AttrValue::real(double(p.f())); break;
    case VC::kB: r.value = AttrValue::boolean(p.b()); break;
    case VC::kType: r.value = AttrValue::type(DType(int32_t(p.type()))); break;
    case VC::kShape: r.value = AttrValue::shape(shapeFromProto(p.shape())); break;
    case VC::kTensor: {
        TensorConversion t = tensorFromProto(p.tensor(), maxTensorElements);
        r.value = std::move(t.value);
        r.summarizedTensors = t.summarized;
        r.problem = std::move(t.problem);
        break;
    }
    case VC::kList: {
        const auto& l = p.list();
        if (l.s_size()) {
            r.value = AttrValue::stringList(std::vector<std::string>(l.s().begin(), l.s().end()));
        } else if (l.i_size()) {
            r.value = AttrValue::intList(std::vector<int64_t>(l.i().begin(), l.i().end()));
        } else if (l.f_size()) {
            r.value = AttrValue::floatList(std::vector<double>(l.f().begin(), l.f().end()));
        } else if (l.b_size()) {
            r.value = AttrValue::boolList(std::vector<bool>(l.b().begin(), l.b().end()));
        } else if (l.type_size()) {
            std::vector<DType> v;
            v.reserve(size_t(l.type_size()));
            for (int t : l.type())
                v.push_back(DType(int32_t(t)));
            r.value = AttrValue::typeList(std::move(v));
        } else if (l.shape_size()) {
            std::vector<Shape> v;
            v.reserve(size_t(l.shape_size()));
            for (const auto& s : l.shape())
                v.push_back(shapeFromProto(s));
            r.value = AttrValue::shapeList(std::move(v));
        } else if (l.tensor_size()) {
            std::vector<std::string> v;
            for (const auto& t : l.tensor()) {
                const DType dt = baseType(DType(int32_t(t.dtype())));
                v.push_back(tensorSummary(dt, t.has_tensor_shape() ? shapeFromProto(t.tensor_shape()) : Shape::scalar()));
            }
            r.value = AttrValue::stringList(std::move(v));
            r.summarizedTensors = true;
        } else if (l.func_size()) {
            std::vector<std::string> v;
            for (const auto& f : l.func())
                v.push_back(f.name());
            r.value = AttrValue::stringList(std::move(v));
        } else {
            r.value = AttrValue::intList({}); // `list {}`: every empty list looks the same on the wire
        }
        break;
    }
    case VC::kFunc: r.value = AttrValue::func(p.func().name()); break;
    case VC::kPlaceholder: r.value = AttrValue::placeholder(p.placeholder()); break;
    case VC::VALUE_NOT_SET: r.problem = "attr has no value"; break;
    }
    return r;
}

bool attrToProto(const AttrValue& v, tfproto::AttrValue* p)
{
    using K = AttrValue::Kind;
    switch (v.kind()) {
    case K::None: return false;
    case K::Int: p->set_i(v.i()); return true;
    case K::Float: p->set_f(float(v.f())); return true;
    case K::Bool: p->set_b(v.b()); return true;
    case K::Type: p->set_type(tfproto::DataType(int32_t(v.t()))); return true;
    case K::Shape: shapeToProto(v.s(), p->mutable_shape()); return true;
    case K::String: {
        DType dt;
        Shape sh;
        if (parseTensorSummary(v.str(), dt, sh) && sh.rankKnown()) {
            // A tensor summarised on import: dtype and shape, no values (= zeros).
            auto* t = p->mutable_tensor();
            t->set_dtype(tfproto::DataType(int32_t(dt)));
            shapeToProto(sh, t->mutable_tensor_shape());
            return true;
        }
        p->set_s(v.str());
        return true;
    }
    case K::Tensor: tensorToProto(v.tensor(), p->mutable_tensor()); return true;
    case K::IntList: {
        auto* l = p->mutable_list();
        for (int64_t x : v.ints())
            l->add_i(x);
        return true;
    }
    case K::FloatList: {
        auto* l = p->mutable_list();
        for (double x : v.floats())
            l->add_f(float(x));
        return true;
    }
    case K::BoolList: {
        auto* l = p->mutable_list();
        for (bool x : v.bools())
            l->add_b(x);
        return true;
    }
    case K::TypeList: {
        auto* l = p->mutable_list();
        for (DType x : v.types())
            l->add_type(tfproto::DataType(int32_t(x)));
        return true;
    }
    case K::ShapeList: {
        auto* l = p->mutable_list();
        for (const Shape& x : v.shapes())
            shapeToProto(x, l->add_shape());
        return true;
    }
    case K::StringList: {
        auto* l = p->mutable_list();
        for (const std::string& x : v.strings())
            l->add_s(x);
        return true;
    }
    case K::Func: p->mutable_func()->set_name(v.str()); return true;
    case K::Placeholder: p->set_placeholder(v.str()); return true;
    }
    return false;
}

} // namespace scopeviz::detail
