#pragma once
// Shape: a possibly partially known tensor shape, as TensorShape in TF1 Python:
// unknown rank, or a list of dimensions where -1 means unknown.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace scopeviz {

/// A tensor shape with unknown rank or unknown dimensions (-1).
class Shape {
public:
    /// Unknown rank.
    Shape() = default;
    /// Known rank; -1 entries are unknown dimensions.
    Shape(std::initializer_list<int64_t> dims) : m_dims(dims), m_known(true) {}
    explicit Shape(std::vector<int64_t> dims) : m_dims(std::move(dims)), m_known(true) {}

    /// A scalar shape `()`.
    static Shape scalar() { return Shape(std::vector<int64_t>{}); }
    /// Unknown rank (`<unknown>`).
    static Shape unknown() { return Shape(); }
    /// Known rank with all dimensions unknown.
    static Shape unknownDims(int rank) { return Shape(std::vector<int64_t>(size_t(rank), -1)); }

    bool rankKnown() const { return m_known; }
    /// Rank, or -1 when unknown.
    int rank() const { return m_known ? int(m_dims.size()) : -1; }
    /// Dimension i (negative i counts from the end); -1 when unknown.
    int64_t dim(int i) const { return m_dims[size_t(i < 0 ? i + rank() : i)]; }
    const std::vector<int64_t>& dims() const { return m_dims; }
    /// True when the rank and every dimension are known.
    bool isFullyDefined() const;
    /// Number of elements; -1 unless fully defined.
    int64_t numElements() const;
    /// TF's is_compatible_with: unknowns match anything.
    bool isCompatibleWith(const Shape& other) const;
    /// The most specific shape compatible with both; nullopt if incompatible.
    std::optional<Shape> mergeWith(const Shape& other) const;

    /// TF1 Python str(): `(?, 64)`, `(1,)`, `()`, `<unknown>`.
    std::string toString() const;
    /// TF C++ DebugString style: `[?,64]`, `[]`, `<unknown>`.
    std::string toDebugString() const;

    bool operator==(const Shape& o) const { return m_known == o.m_known && m_dims == o.m_dims; }
    bool operator!=(const Shape& o) const { return !(*this == o); }

private:
    std::vector<int64_t> m_dims;
    bool m_known = false;
};

} // namespace scopeviz
