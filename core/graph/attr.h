#pragma once
// AttrValue: a compact tagged value for op attributes (TF's AttrValue).
// Scalars live inline; lists, shapes, strings and tensors share one immutable
// heap payload, so copying an attr never copies a big tensor.
#include "core/tensor/dtype.h"
#include "core/tensor/shape.h"
#include "core/tensor/tensor.h"

#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace scopeviz {

/// An interned string: equal strings share one address, so comparison is a pointer compare.
class Symbol {
public:
    Symbol() = default;
    /// Interns s (thread-safe).
    explicit Symbol(std::string_view s);
    const std::string& str() const { return *m_s; }
    std::string_view view() const { return *m_s; }
    bool empty() const { return m_s->empty(); }
    bool operator==(const Symbol& o) const { return m_s == o.m_s; }
    bool operator==(std::string_view o) const { return *m_s == o; }

private:
    static const std::string* emptyString();
    const std::string* m_s = emptyString();
};

/// The value of one op attribute.
class AttrValue {
public:
    enum class Kind : uint8_t {
        None, Int, Float, Bool, Type, Shape, String, Tensor,
        IntList, FloatList, BoolList, TypeList, ShapeList, StringList, Func, Placeholder,
    };
    using Payload = std::variant<std::monostate, Shape, std::string, Tensor, std::vector<int64_t>, std::vector<double>,
                                 std::vector<bool>, std::vector<DType>, std::vector<Shape>, std::vector<std::string>>;

    AttrValue() = default;
    static AttrValue integer(int64_t v) { AttrValue a(Kind::Int); a.m_i = v; return a; }
    static AttrValue real(double v) { AttrValue a(Kind::Float); a.m_f = v; return a; }
    static AttrValue boolean(bool v) { AttrValue a(Kind::Bool); a.m_b = v; return a; }
    static AttrValue type(DType t) { AttrValue a(Kind::Type); a.m_t = t; return a; }
    static AttrValue shape(Shape s) { return make(Kind::Shape, std::move(s)); }
    static AttrValue string(std::string s) { return make(Kind::String, std::move(s)); }
    static AttrValue tensor(Tensor t) { return make(Kind::Tensor, std::move(t)); }
    static AttrValue intList(std::vector<int64_t> v) { return make(Kind::IntList, std::move(v)); }
    static AttrValue floatList(std::vector<double> v) { return make(Kind::FloatList, std::move(v)); }
    static AttrValue boolList(std::vector<bool> v) { return make(Kind::BoolList, std::move(v)); }
    static AttrValue typeList(std::vector<DType> v) { return make(Kind::TypeList, std::move(v)); }
    static AttrValue shapeList(std::vector<Shape> v) { return make(Kind::ShapeList, std::move(v)); }
    static AttrValue stringList(std::vector<std::string> v) { return make(Kind::StringList, std::move(v)); }
    /// A function reference (name only) or a placeholder attr name.
    static AttrValue func(std::string name) { return make(Kind::Func, std::move(name)); }
    static AttrValue placeholder(std::string name) { return make(Kind::Placeholder, std::move(name)); }

    Kind kind() const { return m_kind; }
    int64_t i() const { return m_i; }
    double f() const { return m_f; }
    bool b() const { return m_b; }
    DType t() const { return m_t; }
    const Shape& s() const { return std::get<Shape>(*m_p); }
    const std::string& str() const { return std::get<std::string>(*m_p); }
    const Tensor& tensor() const { return std::get<Tensor>(*m_p); }
    const std::vector<int64_t>& ints() const { return std::get<std::vector<int64_t>>(*m_p); }
    const std::vector<double>& floats() const { return std::get<std::vector<double>>(*m_p); }
    const std::vector<bool>& bools() const { return std::get<std::vector<bool>>(*m_p); }
    const std::vector<DType>& types() const { return std::get<std::vector<DType>>(*m_p); }
    const std::vector<Shape>& shapes() const { return std::get<std::vector<Shape>>(*m_p); }
    const std::vector<std::string>& strings() const { return std::get<std::vector<std::string>>(*m_p); }
    /// Short rendering for the inspector and --list-ops, e.g. `DT_FLOAT`, `[?,64]`, `"loc:@w"`.
    std::string toString() const;

private:
    explicit AttrValue(Kind k) : m_kind(k) {}
    template <class T>
    static AttrValue make(Kind k, T&& v)
    {
        AttrValue a(k);
        a.m_p = std::make_shared<const Payload>(std::forward<T>(v));
        return a;
    }
    Kind m_kind = Kind::None;
    union {
        int64_t m_i = 0;
        double m_f;
        bool m_b;
        DType m_t;
    };
    std::shared_ptr<const Payload> m_p;
};

/// One named attribute.
struct Attr {
    Symbol name;
    AttrValue value;
};

/// The attributes of one op, in insertion order (few per op: a vector beats a map).
class AttrList {
public:
    AttrList() = default;
    AttrList(std::initializer_list<Attr> attrs) : m_attrs(attrs) {}
    /// Sets (or replaces) an attribute.
    void set(std::string_view name, AttrValue v);
    /// The attribute, or nullptr.
    const AttrValue* find(std::string_view name) const;
    bool has(std::string_view name) const { return find(name) != nullptr; }
    auto begin() const { return m_attrs.begin(); }
    auto end() const { return m_attrs.end(); }
    size_t size() const { return m_attrs.size(); }
    bool empty() const { return m_attrs.empty(); }

private:
    std::vector<Attr> m_attrs;
};

} // namespace scopeviz
