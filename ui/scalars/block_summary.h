#pragma once
// BlockSummary: the extremes of one block of 64 points, kept for the raw values
// of a series (ScalarSeries) and for its smoothed curve (SmoothingCache), so
// that drawing a zoomed-out curve reads one summary instead of 64 points.
#include <cstddef>
#include <cstdint>

namespace scopeviz::ui {

/// Points per summary block.
inline constexpr std::size_t SummaryShift = 6;
/// 64 points.
inline constexpr std::size_t SummaryBlock = std::size_t(1) << SummaryShift;
/// Offset meaning "no finite value in this block".
inline constexpr uint8_t NoneInBlock = 0xFF;

/// Extremes of the finite values of one block of SummaryBlock points.
/// Offsets are relative to the block start; NoneInBlock when the block has no finite value.
struct BlockSummary {
    float lo = 0;
    float hi = 0;
    float first = 0; ///< value at firstAt (kept here so drawing never touches the value column)
    float last = 0;  ///< value at lastAt
    uint8_t loAt = NoneInBlock;
    uint8_t hiAt = NoneInBlock;
    uint8_t firstAt = NoneInBlock;
    uint8_t lastAt = NoneInBlock;

    /// Adds the finite value v at offset `at`; offsets arrive in increasing order.
    void add(uint8_t at, float v)
    {
        if (firstAt == NoneInBlock) {
            lo = hi = first = v;
            loAt = hiAt = firstAt = at;
        } else if (v < lo) {
            lo = v;
            loAt = at;
        } else if (v > hi) {
            hi = v;
            hiAt = at;
        }
        last = v;
        lastAt = at;
    }
};

} // namespace scopeviz::ui
