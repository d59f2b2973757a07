#pragma once
// DType: TensorFlow's DataType numbering (types.proto), including the
// reference variants (value + 100) that TF1 ref variables produce.
#include <cstdint>
#include <string>

namespace scopeviz {

/// Element type of a tensor; values equal TensorFlow's DataType enum.
enum class DType : int32_t {
    Invalid = 0,
    Float = 1,
    Double = 2,
    Int32 = 3,
    UInt8 = 4,
    Int16 = 5,
    Int8 = 6,
    String = 7,
    Complex64 = 8,
    Int64 = 9,
    Bool = 10,
    BFloat16 = 14,
    UInt16 = 17,
    Complex128 = 18,
    Half = 19,
    Resource = 20,
    Variant = 21,
    UInt32 = 22,
    UInt64 = 23,
    FloatRef = 101,
    DoubleRef = 102,
    Int32Ref = 103,
    Int64Ref = 109,
    BoolRef = 110,
};

/// True for reference dtypes (`float32_ref`).
constexpr bool isRef(DType t) { return int32_t(t) > 100; }
/// The non-reference dtype (`float32_ref` -> `float32`).
constexpr DType baseType(DType t) { return isRef(t) ? DType(int32_t(t) - 100) : t; }
/// The reference dtype of t.
constexpr DType makeRef(DType t) { return isRef(t) ? t : DType(int32_t(t) + 100); }
/// True for floating-point dtypes.
constexpr bool isFloating(DType t)
{
    t = baseType(t);
    return t == DType::Float || t == DType::Double || t == DType::Half || t == DType::BFloat16;
}
/// True for integer dtypes (signed or unsigned).
constexpr bool isInteger(DType t)
{
    t = baseType(t);
    return t == DType::Int32 || t == DType::Int64 || t == DType::Int16 || t == DType::Int8 || t == DType::UInt8 ||
           t == DType::UInt16 || t == DType::UInt32 || t == DType::UInt64;
}

/// Python name: "float32", "int64", "float32_ref".
std::string dtypeName(DType t);
/// TensorFlow's C++ DataTypeString: "float", "int64", "float_ref" (used in run-time errors).
std::string dtypeTfName(DType t);
/// Python repr: "<dtype: 'int32'>".
std::string dtypeRepr(DType t);
/// Size of one element in bytes; 0 for strings and unsupported types.
int dtypeSize(DType t);
/// Parses a Python name ("float32", "int64") or TF enum name ("DT_FLOAT"); Invalid if unknown.
DType dtypeFromName(const std::string& name);
/// TF's enum name: "DT_FLOAT", "DT_INT64_REF".
std::string dtypeEnumName(DType t);

} // namespace scopeviz
