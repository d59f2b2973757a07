// CRC32C two ways.
//
// The hardware path uses the SSE4.2 `crc32` instruction, which computes
// exactly this CRC (reflected Castagnoli polynomial 0x82F63B78) 8 bytes at a
// time. It is compiled with a per-function target attribute so the library
// still runs on CPUs without SSE4.2; the choice is made once at run time with
// __builtin_cpu_supports. The fallback is the classic "slicing-by-8" table
// method: eight 256-entry tables, where table k maps a byte to the CRC
// contribution of that byte followed by k zero bytes, so 8 input bytes are
// folded with 8 independent lookups instead of a serial chain of 8.
//
// Both work on the inverted state (pre- and post-XOR with 0xFFFFFFFF), which
// is what makes crc32cExtend(crc32c(a), b) == crc32c(a + b).
#include "core/proto/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <nmmintrin.h>
#define SCOPEVIZ_CRC32C_X86 1
#endif

namespace scopeviz {
namespace {

constexpr uint32_t kPolyReflected = 0x82F63B78u;

using Tables = std::array<std::array<uint32_t, 256>, 8>;

constexpr Tables makeTables()
{
    Tables t{};
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? (c >> 1) ^ kPolyReflected : c >> 1;
        t[0][i] = c;
    }
    for (int k = 1; k < 8; ++k)
        for (uint32_t i = 0; i < 256; ++i)
            t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xff];
    return t;
}

constexpr Tables kTables = makeTables();

inline uint64_t load64le(const unsigned char* p)
{
    uint64_t v;
    std::memcpy(&v, p, 8); // x86 and every platform we build for are little-endian
    return v;
}

using CrcFn = uint32_t (*)(uint32_t, const void*, size_t);

CrcFn chooseImplementation()
{
#ifdef SCOPEVIZ_CRC32C_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("sse4.2"))
        return &detail::crc32cHardware;
#endif
    return &detail::crc32cSoftware;
}

// A function-local static, so callers from other static initializers are safe.
inline CrcFn implementation()
{
    static const CrcFn fn = chooseImplementation();
    return fn;
}

} // namespace

namespace detail {

uint32_t crc32cSoftware(uint32_t crc, const void* data, size_t n)
{
    auto p = static_cast<const unsigned char*>(data);
    uint32_t l = crc ^ 0xffffffffu;
    // Byte-wise until 8-byte aligned, so the word loads below are aligned.
    while (n > 0 && (reinterpret_cast<uintptr_t>(p) & 7) != 0) {
        l = kTables[0][(l ^ *p++) & 0xff] ^ (l >> 8);
        --n;
    }
    while (n >= 8) {
        const uint64_t w = load64le(p) ^ l;
        l = kTables[7][w & 0xff] ^ kTables[6][(w >> 8) & 0xff] ^ kTables[5][(w >> 16) & 0xff] ^
            kTables[4][(w >> 24) & 0xff] ^ kTables[3][(w >> 32) & 0xff] ^ kTables[2][(w >> 40) & 0xff] ^
            kTables[1][(w >> 48) & 0xff] ^ kTables[0][w >> 56];
        p += 8;
        n -= 8;
    }
    while (n-- > 0)
        l = kTables[0][(l ^ *p++) & 0xff] ^ (l >> 8);
    return l ^ 0xffffffffu;
}

#ifdef SCOPEVIZ_CRC32C_X86
__attribute__((target("sse4.2"))) uint32_t crc32cHardware(uint32_t crc, const void* data, size_t n)
{
    auto p = static_cast<const unsigned char*>(data);
    uint64_t l = crc ^ 0xffffffffu;
    while (n >= 8) {
        l = _mm_crc32_u64(l, load64le(p));
        p += 8;
        n -= 8;
    }
    uint32_t l32 = static_cast<uint32_t>(l);
    if (n >= 4) {
        uint32_t w;
        std::memcpy(&w, p, 4);
        l32 = _mm_crc32_u32(l32, w);
        p += 4;
        n -= 4;
    }
    while (n-- > 0)
        l32 = _mm_crc32_u8(l32, *p++);
    return l32 ^ 0xffffffffu;
}
#else
uint32_t crc32cHardware(uint32_t crc, const void* data, size_t n) { return crc32cSoftware(crc, data, n); }
#endif

} // namespace detail

uint32_t crc32cExtend(uint32_t crc, const void* data, size_t n) { return implementation()(crc, data, n); }

bool crc32cUsesHardware() { return implementation() == &detail::crc32cHardware; }

} // namespace scopeviz
