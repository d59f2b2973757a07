#pragma once
// CRC32C (Castagnoli, the iSCSI CRC) and the leveldb-style mask that TFRecord
// framing uses (docs/formats.md §1).
#include <cstddef>
#include <cstdint>

namespace scopeviz {

/// CRC32C of `n` more bytes, continuing from `crc` (the CRC of the bytes before; 0 to start).
uint32_t crc32cExtend(uint32_t crc, const void* data, size_t n);

/// CRC32C of a buffer; crc32c("123456789") == 0xE3069283.
inline uint32_t crc32c(const void* data, size_t n) { return crc32cExtend(0, data, n); }

/// The constant TFRecord adds after rotating a CRC (leveldb's kMaskDelta).
inline constexpr uint32_t kCrcMaskDelta = 0xa282ead8u;

/// Masks a CRC for storage next to data that may itself contain CRCs.
constexpr uint32_t maskCrc(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kCrcMaskDelta; }

/// Inverse of maskCrc.
constexpr uint32_t unmaskCrc(uint32_t masked)
{
    const uint32_t r = masked - kCrcMaskDelta;
    return (r >> 17) | (r << 15);
}

/// Masked CRC32C of a buffer, as stored in TFRecord headers and footers.
inline uint32_t maskedCrc32c(const void* data, size_t n) { return maskCrc(crc32c(data, n)); }

/// True when this CPU computes CRC32C with the SSE4.2 crc32 instruction.
bool crc32cUsesHardware();

namespace detail {
/// Portable slicing-by-8 implementation (used when SSE4.2 is missing).
uint32_t crc32cSoftware(uint32_t crc, const void* data, size_t n);
/// SSE4.2 implementation; only call when crc32cUsesHardware() is true.
uint32_t crc32cHardware(uint32_t crc, const void* data, size_t n);
} // namespace detail

} // namespace scopeviz
