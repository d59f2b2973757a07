#include "core/tensor/tensor.h"

#include "core/util/strings.h"

#include <cstdlib>
#include <cstring>

namespace scopeviz {

namespace detail {
TensorBuffer::TensorBuffer(size_t n) : bytes(n)
{
    // 64-byte alignment for AVX-512 loads; never a null pointer, even for 0 bytes.
    size_t rounded = (n + 63) / 64 * 64;
    data = std::aligned_alloc(64, rounded ? rounded : 64);
    if (!data)
        throw std::bad_alloc();
}
TensorBuffer::~TensorBuffer() { std::free(data); }
} // namespace detail

Tensor::Tensor(DType dtype, std::vector<int64_t> dims) : m_dtype(baseType(dtype)), m_dims(std::move(dims))
{
    m_numElements = 1;
    for (int64_t d : m_dims)
        m_numElements *= d;
    m_buffer = std::make_shared<detail::TensorBuffer>(size_t(m_numElements) * size_t(dtypeSize(m_dtype)));
    if (m_dtype == DType::String)
        m_buffer->strings.resize(size_t(m_numElements));
}

Tensor Tensor::stringScalar(std::string s)
{
    Tensor t(DType::String, {});
    t.strings()[0] = std::move(s);
    return t;
}

Tensor Tensor::filled(DType dtype, std::vector<int64_t> dims, double value)
{
    Tensor t(dtype, std::move(dims));
    switch (t.dtype()) {
    case DType::Float: t.flat<float>().setConstant(float(value)); break;
    case DType::Double: t.flat<double>().setConstant(value); break;
    case DType::Int32: t.flat<int32_t>().setConstant(int32_t(value)); break;
    case DType::Int64: t.flat<int64_t>().setConstant(int64_t(value)); break;
    case DType::Bool: std::fill_n(t.data<bool>(), t.numElements(), value != 0); break;
    case DType::UInt8: std::fill_n(t.data<uint8_t>(), t.numElements(), uint8_t(value)); break;
    case DType::Int8: std::fill_n(t.data<int8_t>(), t.numElements(), int8_t(value)); break;
    case DType::Int16: std::fill_n(t.data<int16_t>(), t.numElements(), int16_t(value)); break;
    case DType::UInt16: std::fill_n(t.data<uint16_t>(), t.numElements(), uint16_t(value)); break;
    case DType::UInt32: std::fill_n(t.data<uint32_t>(), t.numElements(), uint32_t(value)); break;
    case DType::UInt64: std::fill_n(t.data<uint64_t>(), t.numElements(), uint64_t(value)); break;
    case DType::Half: {
        const uint16_t bits = Eigen::numext::bit_cast<uint16_t>(Eigen::half(float(value)));
        std::fill_n(static_cast<uint16_t*>(t.rawData()), t.numElements(), bits);
        break;
    }
    case DType::BFloat16: {
        const uint16_t bits = Eigen::numext::bit_cast<uint16_t>(Eigen::bfloat16(float(value)));
        std::fill_n(static_cast<uint16_t*>(t.rawData()), t.numElements(), bits);
        break;
    }
    default:
        if (t.byteSize())
            std::memset(t.rawData(), 0, t.byteSize()); // complex and the rest: zeros, never garbage
        if (value != 0 && (t.dtype() == DType::Complex64 || t.dtype() == DType::Complex128)) {
            for (int64_t i = 0; i < t.numElements(); ++i) {
                if (t.dtype() == DType::Complex64)
                    static_cast<float*>(t.rawData())[2 * i] = float(value);
                else
                    static_cast<double*>(t.rawData())[2 * i] = value;
            }
        }
        break;
    }
    return t;
}

double Tensor::toDouble(int64_t i) const
{
    switch (m_dtype) {
    case DType::Float: return data<float>()[i];
    case DType::Double: return data<double>()[i];
    case DType::Int32: return data<int32_t>()[i];
    case DType::Int64: return double(data<int64_t>()[i]);
    case DType::Bool: return data<bool>()[i] ? 1 : 0;
    case DType::UInt8: return data<uint8_t>()[i];
    case DType::Int8: return data<int8_t>()[i];
    case DType::Int16: return data<int16_t>()[i];
    case DType::UInt16: return data<uint16_t>()[i];
    case DType::UInt32: return data<uint32_t>()[i];
    case DType::UInt64: return double(data<uint64_t>()[i]);
    case DType::Half: return double(float(Eigen::numext::bit_cast<Eigen::half>(static_cast<const uint16_t*>(rawData())[i])));
    case DType::BFloat16:
        return double(float(Eigen::numext::bit_cast<Eigen::bfloat16>(static_cast<const uint16_t*>(rawData())[i])));
    default: return 0;
    }
}

Tensor Tensor::clone() const
{
    if (!valid())
        return {};
    Tensor t(m_dtype, m_dims);
    if (m_dtype == DType::String)
        t.m_buffer->strings = m_buffer->strings;
    else if (byteSize())
        std::memcpy(t.rawData(), rawData(), byteSize());
    return t;
}

Tensor Tensor::reshaped(std::vector<int64_t> dims) const
{
    Tensor t = *this;
    t.m_dims = std::move(dims);
    return t;
}

std::string Tensor::summarize(int maxElements) const
{
    if (!valid())
        return "<invalid>";
    std::string s;
    if (m_dtype == DType::String) {
        for (int64_t i = 0; i < m_numElements && i < maxElements; ++i)
            s += (i ? " " : "") + std::string("\"") + strings()[size_t(i)].substr(0, 32) + "\"";
        return m_dims.empty() ? s : "[" + s + "]";
    }
    for (int64_t i = 0; i < m_numElements && i < maxElements; ++i)
        s += (i ? " " : "") + formatDouble(toDouble(i));
    if (m_numElements > maxElements)
        s += " ...";
    return m_dims.empty() ? s : "[" + s + "]";
}

} // namespace scopeviz
