#pragma once
// A growable column of trivially copyable values stored in fixed-size blocks.
//
// Why not std::vector: a vector that doubles keeps up to half of its capacity
// unused and needs old + new buffers while it grows, so a 10M-point series
// would cost up to 2x its payload and spike the peak RSS on every reallocation.
// Here the first block grows geometrically by 1.25x (cheap for the many short
// series of a big dashboard, at most 25 % unused) until it reaches BlockSize; after that every new block is a
// full BlockSize array that is never moved. Unused capacity is therefore below
// one block per column, and indexing stays two loads (block pointer, element).
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <type_traits>
#include <vector>

namespace scopeviz::ui::detail {

/// Column of T in blocks of BlockSize elements (first block grows up to it).
template <class T>
class ChunkedColumn {
    static_assert(std::is_trivially_copyable_v<T>);

public:
    /// log2 of the block length: 16Ki elements bounds the slack of a big series to ~0.3 MB a column.
    static constexpr std::size_t BlockShift = 14;
    /// Elements per full block.
    static constexpr std::size_t BlockSize = std::size_t(1) << BlockShift;
    /// Mask of the index within a block.
    static constexpr std::size_t BlockMask = BlockSize - 1;

    /// Number of stored elements.
    std::size_t size() const { return m_size; }
    /// True when nothing is stored.
    bool empty() const { return m_size == 0; }
    /// Element i (no bounds check).
    T operator[](std::size_t i) const { return m_blocks[i >> BlockShift][i & BlockMask]; }
    /// Last element (size() > 0).
    T back() const { return (*this)[m_size - 1]; }

    /// Appends one element.
    void push_back(T v)
    {
        if (m_size == m_capacity)
            grow(m_size + 1);
        m_blocks[m_size >> BlockShift][m_size & BlockMask] = v;
        ++m_size;
    }

    /// Makes room for at least n elements in total (never shrinks).
    void reserve(std::size_t n)
    {
        if (n > m_capacity)
            grow(n);
    }

    /// Drops every element from index n on and frees blocks that became empty.
    void truncate(std::size_t n)
    {
        if (n >= m_size)
            return;
        m_size = n;
        if (m_capacity > BlockSize) {
            const std::size_t keep = std::max<std::size_t>(1, (n + BlockMask) >> BlockShift);
            m_blocks.resize(keep);
            m_capacity = keep * BlockSize;
        }
        if (n == 0) {
            m_blocks.clear();
            m_blocks.shrink_to_fit();
            m_capacity = 0;
        }
    }

    /// Heap bytes held (capacity of the blocks plus the block table).
    std::size_t bytes() const { return m_capacity * sizeof(T) + m_blocks.capacity() * sizeof(m_blocks[0]); }

    /// Pointer to element i and, in `count`, how many elements follow contiguously (up to `end`).
    const T* contiguous(std::size_t i, std::size_t end, std::size_t& count) const
    {
        const std::size_t blockEnd = (i | BlockMask) + 1;
        count = std::min(end, blockEnd) - i;
        return &m_blocks[i >> BlockShift][i & BlockMask];
    }

    /// Calls f(const T* p, size_t n, size_t firstIndex) for the contiguous pieces of [a, b).
    template <class F>
    void forEachSegment(std::size_t a, std::size_t b, F&& f) const
    {
        while (a < b) {
            std::size_t n = 0;
            const T* p = contiguous(a, b, n);
            f(p, n, a);
            a += n;
        }
    }

private:
    void grow(std::size_t need)
    {
        if (m_capacity < BlockSize) {
            // First block: geometric growth by 1.25 (slack below 25 %), copied on each step (it is small).
            std::size_t cap = std::max<std::size_t>(m_capacity ? m_capacity + m_capacity / 4 : 32, need);
            cap = std::min(cap, BlockSize);
            auto block = std::make_unique_for_overwrite<T[]>(cap);
            if (m_size)
                std::memcpy(block.get(), m_blocks[0].get(), m_size * sizeof(T));
            if (m_blocks.empty())
                m_blocks.push_back(std::move(block));
            else
                m_blocks[0] = std::move(block);
            m_capacity = cap;
        }
        while (m_capacity < need) {
            m_blocks.push_back(std::make_unique_for_overwrite<T[]>(BlockSize));
            m_capacity += BlockSize;
        }
    }

    std::vector<std::unique_ptr<T[]>> m_blocks;
    std::size_t m_size = 0;
    std::size_t m_capacity = 0;
};

/// First index in [lo, hi) for which `before(col[i])` is false, where `before` is true
/// for a prefix of the range and false after it (std::partition_point on a column).
template <class Col, class Pred>
std::size_t partitionPoint(const Col& col, std::size_t lo, std::size_t hi, Pred&& before)
{
    std::size_t first = lo, last = hi;
    while (first < last) {
        const std::size_t mid = first + (last - first) / 2;
        if (before(col[mid]))
            first = mid + 1;
        else
            last = mid;
    }
    return first;
}

/// First index in [lo, hi) whose value is >= x (values ascending), by galloping from lo.
template <class Col, class X>
std::size_t gallopLowerBound(const Col& col, std::size_t lo, std::size_t hi, X x)
{
    // Galloping first: the answer is usually close to lo when scanning columns left to right.
    std::size_t step = 1;
    std::size_t base = lo;
    while (base + step < hi && col[base + step] < x) {
        base += step;
        step *= 2;
    }
    return partitionPoint(col, base, std::min(hi, base + step + 1), [&](auto v) { return v < x; });
}

/// First index in [lo, hi) whose value is > x (values ascending).
template <class Col, class X>
std::size_t upperBound(const Col& col, std::size_t lo, std::size_t hi, X x)
{
    return partitionPoint(col, lo, hi, [&](auto v) { return !(x < v); });
}

/// First index in [lo, hi) whose value is >= x (values ascending).
template <class Col, class X>
std::size_t lowerBound(const Col& col, std::size_t lo, std::size_t hi, X x)
{
    return partitionPoint(col, lo, hi, [&](auto v) { return v < x; });
}

} // namespace scopeviz::ui::detail
