#pragma once
// A tiny protobuf wire-format walker and writer, used where the generated
// classes would be too slow (one Event per record, millions of records) or
// would allocate per field. It knows nothing about message types: callers
// switch on field numbers. Nothing here allocates.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace scopeviz::detail {

/// Protobuf wire types.
enum class WireType : uint8_t { Varint = 0, Fixed64 = 1, Bytes = 2, StartGroup = 3, EndGroup = 4, Fixed32 = 5 };

/// One field as it appears on the wire.
struct WireField {
    uint32_t number = 0;
    WireType type = WireType::Varint;
    uint64_t value = 0;     ///< the varint, or the raw bits of a fixed32/fixed64
    std::string_view bytes; ///< the payload of a length-delimited field

    /// The fixed64 bits as a double.
    double asDouble() const
    {
        double d;
        std::memcpy(&d, &value, 8);
        return d;
    }
    /// The fixed32 bits as a float.
    float asFloat() const
    {
        const uint32_t bits = static_cast<uint32_t>(value);
        float f;
        std::memcpy(&f, &bits, 4);
        return f;
    }
};

/// Reads a varint at p (at most 10 bytes); false when truncated or too long.
inline bool readVarint(const uint8_t*& p, const uint8_t* end, uint64_t& out)
{
    if (p < end && *p < 0x80) { // the common one-byte case
        out = *p++;
        return true;
    }
    uint64_t v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        if (p >= end)
            return false;
        const uint8_t b = *p++;
        v |= uint64_t(b & 0x7f) << shift;
        if (b < 0x80) {
            out = v;
            return true;
        }
    }
    return false; // an 11th continuation byte: malformed
}

/// Walks the fields of one serialized message, in wire order.
class WireReader {
public:
    WireReader() = default;
    /// Walks `data`, which must outlive the reader.
    explicit WireReader(std::string_view data)
        : m_p(reinterpret_cast<const uint8_t*>(data.data())), m_end(m_p + data.size())
    {
    }

    /// Reads the next field. Returns false at the end of the message or on
    /// malformed input; then failed() tells which. Groups (deprecated wire
    /// types 3/4) are skipped as a whole and reported with empty bytes.
    bool next(WireField& f)
    {
        if (m_p >= m_end || m_failed)
            return false;
        uint64_t key;
        if (!readVarint(m_p, m_end, key) || (key >> 3) == 0 || (key >> 3) > 0x1fffffff)
            return fail();
        f.number = static_cast<uint32_t>(key >> 3);
        f.type = static_cast<WireType>(key & 7);
        switch (f.type) {
        case WireType::Varint:
            return readVarint(m_p, m_end, f.value) || fail();
        case WireType::Fixed64:
            if (m_end - m_p < 8)
                return fail();
            std::memcpy(&f.value, m_p, 8);
            m_p += 8;
            return true;
        case WireType::Fixed32: {
            if (m_end - m_p < 4)
                return fail();
            uint32_t v;
            std::memcpy(&v, m_p, 4);
            f.value = v;
            m_p += 4;
            return true;
        }
        case WireType::Bytes: {
            uint64_t len;
            if (!readVarint(m_p, m_end, len) || len > uint64_t(m_end - m_p))
                return fail();
            f.bytes = std::string_view(reinterpret_cast<const char*>(m_p), size_t(len));
            m_p += len;
            return true;
        }
        case WireType::StartGroup:
            f.bytes = {};
            return skipGroup(f.number, 0) || fail();
        default: // a stray end-group, or wire types 6/7
            return fail();
        }
    }

    /// True when the walk stopped on malformed input.
    bool failed() const { return m_failed; }
    /// True when every byte was consumed without error.
    bool finished() const { return !m_failed && m_p >= m_end; }

private:
    bool fail()
    {
        m_failed = true;
        return false;
    }

    // Skips the fields of a group up to its matching end-group tag.
    bool skipGroup(uint32_t number, int depth)
    {
        if (depth > 64)
            return false;
        for (;;) {
            uint64_t key, v;
            if (!readVarint(m_p, m_end, key) || (key >> 3) == 0)
                return false;
            const auto type = static_cast<WireType>(key & 7);
            const auto n = static_cast<uint32_t>(key >> 3);
            switch (type) {
            case WireType::Varint:
                if (!readVarint(m_p, m_end, v))
                    return false;
                break;
            case WireType::Fixed64:
                if (m_end - m_p < 8)
                    return false;
                m_p += 8;
                break;
            case WireType::Fixed32:
                if (m_end - m_p < 4)
                    return false;
                m_p += 4;
                break;
            case WireType::Bytes:
                if (!readVarint(m_p, m_end, v) || v > uint64_t(m_end - m_p))
                    return false;
                m_p += v;
                break;
            case WireType::StartGroup:
                if (!skipGroup(n, depth + 1))
                    return false;
                break;
            case WireType::EndGroup:
                return n == number;
            default:
                return false;
            }
        }
    }

    const uint8_t* m_p = nullptr;
    const uint8_t* m_end = nullptr;
    bool m_failed = false;
};

// ---- writing ----------------------------------------------------------------

/// Number of bytes of the varint encoding of v.
inline size_t varintSize(uint64_t v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        ++n;
    }
    return n;
}

/// Size of a field key.
inline size_t tagSize(uint32_t field) { return varintSize(uint64_t(field) << 3); }

/// Writes a varint at p; returns the end.
inline char* writeVarint(char* p, uint64_t v)
{
    while (v >= 0x80) {
        *p++ = static_cast<char>(v | 0x80);
        v >>= 7;
    }
    *p++ = static_cast<char>(v);
    return p;
}

/// Writes a field key at p; returns the end.
inline char* writeTag(char* p, uint32_t field, WireType t)
{
    return writeVarint(p, (uint64_t(field) << 3) | uint64_t(t));
}

/// Writes a fixed64 field holding a double; returns the end.
inline char* writeDoubleField(char* p, uint32_t field, double v)
{
    p = writeTag(p, field, WireType::Fixed64);
    std::memcpy(p, &v, 8);
    return p + 8;
}

/// Writes a fixed32 field holding a float; returns the end.
inline char* writeFloatField(char* p, uint32_t field, float v)
{
    p = writeTag(p, field, WireType::Fixed32);
    std::memcpy(p, &v, 4);
    return p + 4;
}

/// Writes a varint field; returns the end.
inline char* writeVarintField(char* p, uint32_t field, uint64_t v)
{
    return writeVarint(writeTag(p, field, WireType::Varint), v);
}

/// Writes a length-delimited field; returns the end.
inline char* writeBytesField(char* p, uint32_t field, std::string_view bytes)
{
    p = writeVarint(writeTag(p, field, WireType::Bytes), bytes.size());
    if (!bytes.empty())
        std::memcpy(p, bytes.data(), bytes.size());
    return p + bytes.size();
}

/// Size of a length-delimited field with a payload of n bytes.
inline size_t bytesFieldSize(uint32_t field, size_t n) { return tagSize(field) + varintSize(n) + n; }

/// Appends a varint to a string.
inline void appendVarint(std::string& out, uint64_t v)
{
    char buf[10];
    out.append(buf, size_t(writeVarint(buf, v) - buf));
}

/// Appends a length-delimited field to a string.
inline void appendBytesField(std::string& out, uint32_t field, std::string_view bytes)
{
    appendVarint(out, (uint64_t(field) << 3) | uint64_t(WireType::Bytes));
    appendVarint(out, bytes.size());
    out.append(bytes);
}

} // namespace scopeviz::detail
