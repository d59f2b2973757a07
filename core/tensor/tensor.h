#pragma once
// Tensor: a dense, fully shaped value with shared, 64-byte aligned storage.
// Copies share the buffer; kernels write into freshly allocated tensors, so a
// value handed out by a Session is never modified behind the caller's back.
#include "core/tensor/dtype.h"
#include "core/tensor/shape.h"

#include <Eigen/Core>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace scopeviz {

namespace detail {
/// Aligned storage shared between tensor copies.
struct TensorBuffer {
    explicit TensorBuffer(size_t bytes);
    ~TensorBuffer();
    TensorBuffer(const TensorBuffer&) = delete;
    TensorBuffer& operator=(const TensorBuffer&) = delete;
    void* data = nullptr;
    size_t bytes = 0;
    std::vector<std::string> strings; ///< used by DT_STRING tensors instead of data
};
} // namespace detail

/// Maps a C++ element type to its DType.
template <class T> constexpr DType dtypeOf();
template <> constexpr DType dtypeOf<float>() { return DType::Float; }
template <> constexpr DType dtypeOf<double>() { return DType::Double; }
template <> constexpr DType dtypeOf<int32_t>() { return DType::Int32; }
template <> constexpr DType dtypeOf<int64_t>() { return DType::Int64; }
template <> constexpr DType dtypeOf<bool>() { return DType::Bool; }
template <> constexpr DType dtypeOf<uint8_t>() { return DType::UInt8; }

/// A dense tensor value.
class Tensor {
public:
    /// An empty (invalid) tensor.
    Tensor() = default;
    /// Allocates an uninitialised tensor of the given dtype and fully defined dims.
    Tensor(DType dtype, std::vector<int64_t> dims);

    /// A scalar of type T.
    template <class T>
    static Tensor scalar(T v)
    {
        Tensor t(dtypeOf<T>(), {});
        t.data<T>()[0] = v;
        return t;
    }
    /// A tensor of type T from values and dims.
    template <class T>
    static Tensor fromVector(const std::vector<T>& values, std::vector<int64_t> dims)
    {
        Tensor t(dtypeOf<T>(), std::move(dims));
        for (size_t i = 0; i < values.size() && i < size_t(t.numElements()); ++i)
            t.data<T>()[i] = values[i];
        return t;
    }
    /// A string scalar (serialized summaries).
    static Tensor stringScalar(std::string s);
    /// A tensor filled with one value converted to dtype.
    static Tensor filled(DType dtype, std::vector<int64_t> dims, double value);

    bool valid() const { return m_dtype != DType::Invalid; }
    DType dtype() const { return m_dtype; }
    const std::vector<int64_t>& dims() const { return m_dims; }
    Shape shape() const { return Shape(m_dims); }
    int rank() const { return int(m_dims.size()); }
    int64_t dim(int i) const { return m_dims[size_t(i)]; }
    int64_t numElements() const { return m_numElements; }
    size_t byteSize() const { return m_buffer ? m_buffer->bytes : 0; }

    template <class T>
    T* data() { return static_cast<T*>(m_buffer->data); }
    template <class T>
    const T* data() const { return static_cast<const T*>(m_buffer->data); }
    void* rawData() { return m_buffer ? m_buffer->data : nullptr; }
    const void* rawData() const { return m_buffer ? m_buffer->data : nullptr; }
    std::vector<std::string>& strings() { return m_buffer->strings; }
    const std::vector<std::string>& strings() const { return m_buffer->strings; }

    /// Flat Eigen view.
    template <class T>
    Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>, Eigen::Aligned64> flat()
    {
        return {data<T>(), Eigen::Index(m_numElements)};
    }
    template <class T>
    Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>, Eigen::Aligned64> flat() const
    {
        return {data<T>(), Eigen::Index(m_numElements)};
    }
    /// Row-major matrix view of a rank-2 tensor (rank 1 is one row, rank 0 is 1x1).
    template <class T>
    Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>, Eigen::Aligned64> matrix()
    {
        return {data<T>(), rows(), cols()};
    }
    template <class T>
    Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>, Eigen::Aligned64> matrix() const
    {
        return {data<T>(), rows(), cols()};
    }

    /// Element i converted to double (for printing and tests).
    double toDouble(int64_t i) const;
    /// True when both share one buffer (no copy was made).
    bool sharesBufferWith(const Tensor& o) const { return m_buffer == o.m_buffer; }
    /// A deep copy.
    Tensor clone() const;
    /// Same buffer, new dims with the same element count.
    Tensor reshaped(std::vector<int64_t> dims) const;
    /// Short human-readable rendering, e.g. `[[1 2] [3 4]]` (truncated).
    std::string summarize(int maxElements = 10) const;

private:
    Eigen::Index rows() const { return m_dims.size() >= 2 ? Eigen::Index(m_dims[0]) : 1; }
    Eigen::Index cols() const
    {
        return m_dims.size() >= 2 ? Eigen::Index(m_numElements / std::max<int64_t>(1, m_dims[0]))
                                  : Eigen::Index(m_numElements);
    }
    DType m_dtype = DType::Invalid;
    std::vector<int64_t> m_dims;
    int64_t m_numElements = 0;
    std::shared_ptr<detail::TensorBuffer> m_buffer;
};

} // namespace scopeviz
