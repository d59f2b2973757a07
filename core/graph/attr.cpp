#include "core/graph/attr.h"

#include "core/util/strings.h"

#include <mutex>
#include <unordered_set>

namespace scopeviz {

namespace {
/// Transparent hash: looking a name up does not build a std::string first.
struct SymbolHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
struct SymbolTable {
    std::mutex mutex;
    std::unordered_set<std::string, SymbolHash, std::equal_to<>> strings;
};
SymbolTable& symbols()
{
    static SymbolTable* t = new SymbolTable; // never destroyed: symbols outlive static destructors
    return *t;
}
} // namespace

const std::string* Symbol::emptyString()
{
    static const std::string* e = &*symbols().strings.insert(std::string()).first;
    return e;
}

Symbol::Symbol(std::string_view s)
{
    // Op building interns the same few attr names ("T", "dtype", ...) millions of
    // times: a tiny per-thread cache of recent symbols avoids the global lock.
    struct Recent {
        const std::string* sym = nullptr;
    };
    thread_local Recent recent[8];
    thread_local unsigned next = 0;
    for (const Recent& r : recent)
        if (r.sym && *r.sym == s) {
            m_s = r.sym;
            return;
        }
    SymbolTable& t = symbols();
    std::lock_guard lock(t.mutex);
    auto it = t.strings.find(s); // symbols are looked up far more often than created
    if (it == t.strings.end())
        it = t.strings.emplace(s).first;
    m_s = &*it;
    recent[next++ % 8].sym = m_s; // interned strings are never freed
}

void AttrList::set(std::string_view name, AttrValue v)
{
    for (Attr& a : m_attrs)
        if (a.name == name) {
            a.value = std::move(v);
            return;
        }
    m_attrs.push_back({Symbol(name), std::move(v)});
}

const AttrValue* AttrList::find(std::string_view name) const
{
    for (const Attr& a : m_attrs)
        if (a.name == name)
            return &a.value;
    return nullptr;
}

std::string AttrValue::toString() const
{
    auto listOf = [](const auto& v, auto fmt) {
        std::string s = "[";
        for (size_t i = 0; i < v.size(); ++i)
            s += (i ? ", " : "") + fmt(v[i]);
        return s + "]";
    };
    switch (m_kind) {
    case Kind::None: return "";
    case Kind::Int: return std::to_string(m_i);
    case Kind::Float: return formatDouble(m_f);
    case Kind::Bool: return m_b ? "true" : "false";
    case Kind::Type: return dtypeEnumName(m_t);
    case Kind::Shape: return s().toDebugString();
    case Kind::String: return "\"" + str() + "\"";
    case Kind::Tensor: {
        const Tensor& t = tensor();
        if (!t.valid())
            return "<tensor>";
        return cat(dtypeName(t.dtype()), t.shape().toDebugString(), " ", t.summarize(6));
    }
    case Kind::IntList: return listOf(ints(), [](int64_t v) { return std::to_string(v); });
    case Kind::FloatList: return listOf(floats(), [](double v) { return formatDouble(v); });
    case Kind::BoolList: return listOf(bools(), [](bool v) { return std::string(v ? "true" : "false"); });
    case Kind::TypeList: return listOf(types(), [](DType v) { return dtypeEnumName(v); });
    case Kind::ShapeList: return listOf(shapes(), [](const Shape& v) { return v.toDebugString(); });
    case Kind::StringList: return listOf(strings(), [](const std::string& v) { return "\"" + v + "\""; });
    case Kind::Func: return "func " + str();
    case Kind::Placeholder: return "$" + str();
    }
    return "";
}

} // namespace scopeviz
