#include "core/tensor/dtype.h"

#include "core/util/strings.h"

namespace scopeviz {
namespace {

struct Names {
    DType t;
    const char* py;
    const char* tf;
    const char* en;
    int size;
};

constexpr Names kNames[] = {
    {DType::Float, "float32", "float", "DT_FLOAT", 4},
    {DType::Double, "float64", "double", "DT_DOUBLE", 8},
    {DType::Int32, "int32", "int32", "DT_INT32", 4},
    {DType::UInt8, "uint8", "uint8", "DT_UINT8", 1},
    {DType::Int16, "int16", "int16", "DT_INT16", 2},
    {DType::Int8, "int8", "int8", "DT_INT8", 1},
    {DType::String, "string", "string", "DT_STRING", 0},
    {DType::Complex64, "complex64", "complex64", "DT_COMPLEX64", 8},
    {DType::Int64, "int64", "int64", "DT_INT64", 8},
    {DType::Bool, "bool", "bool", "DT_BOOL", 1},
    {DType::BFloat16, "bfloat16", "bfloat16", "DT_BFLOAT16", 2},
    {DType::UInt16, "uint16", "uint16", "DT_UINT16", 2},
    {DType::Complex128, "complex128", "complex128", "DT_COMPLEX128", 16},
    {DType::Half, "float16", "half", "DT_HALF", 2},
    {DType::Resource, "resource", "resource", "DT_RESOURCE", 0},
    {DType::Variant, "variant", "variant", "DT_VARIANT", 0},
    {DType::UInt32, "uint32", "uint32", "DT_UINT32", 4},
    {DType::UInt64, "uint64", "uint64", "DT_UINT64", 8},
};

const Names* find(DType t)
{
    for (const auto& n : kNames)
        if (n.t == baseType(t))
            return &n;
    return nullptr;
}

} // namespace

std::string dtypeName(DType t)
{
    const Names* n = find(t);
    std::string s = n ? n->py : cat("dtype", int(t));
    return isRef(t) ? s + "_ref" : s;
}

std::string dtypeTfName(DType t)
{
    const Names* n = find(t);
    std::string s = n ? n->tf : cat("unknown dtype enum (", int(t), ")");
    return isRef(t) ? s + "_ref" : s;
}

std::string dtypeRepr(DType t) { return "<dtype: '" + dtypeName(t) + "'>"; }

int dtypeSize(DType t)
{
    const Names* n = find(t);
    return n ? n->size : 0;
}

std::string dtypeEnumName(DType t)
{
    const Names* n = find(t);
    std::string s = n ? n->en : cat("DT_", int(t));
    return isRef(t) ? s + "_REF" : s;
}

DType dtypeFromName(const std::string& name)
{
    for (const auto& n : kNames) {
        if (name == n.py || name == n.en)
            return n.t;
        if (name == std::string(n.py) + "_ref" || name == std::string(n.en) + "_REF")
            return makeRef(n.t);
    }
    if (name == "float")
        return DType::Float;
    if (name == "double")
        return DType::Double;
    return DType::Invalid;
}

} // namespace scopeviz
