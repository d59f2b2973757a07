#pragma once
// WireScanner: walks the top-level fields of a serialized message and, unlike
// a protobuf parse, says exactly where and how the bytes stop making sense.
// A length-delimited field cut off by the end of the data is still returned
// (marked `truncated`, holding the bytes that are there) so the importer can
// keep every complete node before the cut. Used by the GraphDef importer (core/io).
#include "core/proto/wire_format.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace scopeviz::detail {

/// One top-level field, with its byte offset in the scanned data.
struct ScanField {
    uint32_t number = 0;
    WireType type = WireType::Varint;
    uint64_t value = 0;      ///< varint or fixed bits
    std::string_view bytes;  ///< payload of a length-delimited field (what is present of it)
    size_t offset = 0;       ///< offset of the field's key
    uint64_t declared = 0;   ///< declared payload length (length-delimited fields)
    bool truncated = false;  ///< the data ends inside this field's payload
};

/// Walks fields in wire order; stops at the end, at malformed bytes, or after a truncated field.
class WireScanner {
public:
    explicit WireScanner(std::string_view data) : m_data(data) {}

    /// The next field; false at the end or on malformed bytes (see failed()).
    /// A truncated length-delimited field is returned once (truncated = true), then the walk stops.
    bool next(ScanField& f)
    {
        if (m_stop || m_pos >= m_data.size())
            return false;
        const auto* base = reinterpret_cast<const uint8_t*>(m_data.data());
        const uint8_t* p = base + m_pos;
        const uint8_t* end = base + m_data.size();
        f = ScanField();
        f.offset = m_pos;
        uint64_t key;
        if (!readVarint(p, end, key))
            return fail(m_pos, "the data ends inside a field key");
        if ((key >> 3) == 0 || (key >> 3) > 0x1fffffff)
            return fail(m_pos, "invalid field number 0");
        f.number = uint32_t(key >> 3);
        f.type = WireType(key & 7);
        switch (f.type) {
        case WireType::Varint:
            if (!readVarint(p, end, f.value))
                return fail(m_pos, "the data ends inside a number");
            break;
        case WireType::Fixed64:
        case WireType::Fixed32: {
            const size_t n = f.type == WireType::Fixed64 ? 8 : 4;
            if (size_t(end - p) < n)
                return fail(m_pos, "the data ends inside a fixed-size number");
            uint64_t v = 0;
            std::memcpy(&v, p, n);
            f.value = v;
            p += n;
            break;
        }
        case WireType::Bytes: {
            uint64_t len;
            if (!readVarint(p, end, len))
                return fail(m_pos, "the data ends inside a length");
            f.declared = len;
            const uint64_t avail = uint64_t(end - p);
            if (len > avail) {
                f.truncated = true;
                f.bytes = std::string_view(reinterpret_cast<const char*>(p), size_t(avail));
                m_stop = true;
                m_failed = true;
                m_errorOffset = m_pos;
                m_error = "field " + std::to_string(f.number) + " at byte " + std::to_string(m_pos) + " declares " +
                          std::to_string(len) + " bytes but only " + std::to_string(avail) + " remain";
                m_pos = m_data.size();
                return true;
            }
            f.bytes = std::string_view(reinterpret_cast<const char*>(p), size_t(len));
            p += len;
            break;
        }
        default:
            return fail(m_pos, "unsupported wire type " + std::to_string(int(f.type)) + " (field " +
                                   std::to_string(f.number) + ")");
        }
        m_pos = size_t(p - base);
        return true;
    }

    /// True when the walk stopped on malformed or truncated bytes.
    bool failed() const { return m_failed; }
    /// Offset of the bad field.
    size_t errorOffset() const { return m_errorOffset; }
    /// What was wrong, e.g. "field 1 at byte 123 declares 4000 bytes but only 12 remain".
    const std::string& error() const { return m_error; }
    /// Offset of the next field.
    size_t position() const { return m_pos; }

private:
    bool fail(size_t at, std::string why)
    {
        m_failed = true;
        m_stop = true;
        m_errorOffset = at;
        m_error = std::move(why) + " at byte " + std::to_string(at);
        return false;
    }

    std::string_view m_data;
    size_t m_pos = 0;
    bool m_stop = false;
    bool m_failed = false;
    size_t m_errorOffset = 0;
    std::string m_error;
};

// Heuristic structure checks used by format detection (graph_format.cpp).
// Each tolerates data cut off at the end, but not malformed bytes.

/// A GraphDef: only its field numbers and wire types, and nodes that walk as
/// NodeDefs (`strict`: with printable names and ops, as every real writer makes them).
bool looksLikeGraphDef(std::string_view bytes, bool requireNodes, bool strict);
/// A MetaGraphDef: length-delimited fields 1..7 and a graph_def (field 2) that looks like a GraphDef.
bool looksLikeMetaGraphDef(std::string_view bytes);
/// A SavedModel: a varint schema version (field 1) and MetaGraphDefs (field 2).
bool looksLikeSavedModel(std::string_view bytes);
/// True when `bytes` starts with a TFRecord header whose length checksum is valid.
bool looksLikeTfRecord(std::string_view bytes);
/// "a PNG image", "a gzip archive", ... for well-known non-graph files; empty otherwise.
std::string describeKnownNonGraph(std::string_view bytes);

} // namespace scopeviz::detail
