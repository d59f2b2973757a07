// Recognising the container of a graph from its bytes.
//
// File names lie (a `.pb` may be a MetaGraphDef, a `.meta` may be text, event
// files are renamed), so the importer looks at content only:
//
// - An event file is a TFRecord stream: the first 8 bytes are a length whose
//   masked CRC32C is stored in the next 4. A random file passes this with
//   probability 2^-32.
// - Binary protobufs carry no magic number, so the top-level fields are
//   walked and checked against the message's schema: a GraphDef has only
//   fields 1 (node, bytes), 2 (library), 3 (version, varint), 4 (versions) and
//   5 (debug_info), and its first nodes must themselves walk as NodeDefs whose
//   name (and op) are printable (a last-resort check accepts any names). A MetaGraphDef has only length-delimited
//   fields 1..7 and a field 2 that passes the GraphDef test; a SavedModel a
//   varint field 1 and MetaGraphDefs in field 2. An ONNX ModelProto also
//   starts with a varint field 1 (ir_version) but has a graph (7) or
//   opset_import (8), which no SavedModel has (docs/formats.md §9). Data cut off at the end is
//   tolerated (a truncated file is still recognised, so the importer can
//   salvage what precedes the cut); malformed bytes are not.
// - Text format starts, after blanks and `#` comments, with a field name of
//   the message: `node`, `versions`, `library` for a GraphDef;
//   `meta_info_def`, `graph_def`, `saver_def`, ... for a MetaGraphDef.
#include "core/io/graphdef_io.h"
#include "core/onnx/onnx_import.h"
#include "core/proto/crc32c.h"
#include "core/proto/wire_scan.h"

#include <cstring>

namespace scopeviz {
namespace detail {
namespace {

/// Node and op names: printable ASCII or UTF-8, no control bytes.
bool isPrintableName(std::string_view s)
{
    if (s.empty())
        return false;
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7f)
            return false;
    return true;
}

/// A (possibly truncated) NodeDef: fields 1..7, all length-delimited, the name
/// first. `strict` also wants printable name and op (what real writers produce).
bool looksLikeNodeDef(std::string_view b, bool strict)
{
    WireScanner s(b);
    ScanField f;
    bool sawName = false;
    while (s.next(f)) {
        if (f.number < 1 || f.number > 7 || f.type != WireType::Bytes)
            return false;
        if (f.number == 1) {
            if (strict && !isPrintableName(f.bytes) && !(f.truncated && f.bytes.empty()))
                return false;
            sawName = true;
        } else if (strict && f.number == 2 && !f.bytes.empty() && !isPrintableName(f.bytes)) {
            return false;
        } else if (!sawName) {
            return false; // every writer puts the name first
        }
    }
    // Malformed bytes stop the walk before the end; a cut-off field consumes it all.
    return sawName && (!s.failed() || s.position() == b.size());
}

} // namespace

bool looksLikeGraphDef(std::string_view b, bool requireNodes, bool strict)
{
    WireScanner s(b);
    ScanField f;
    int nodes = 0, checked = 0;
    bool other = false;
    while (s.next(f)) {
        switch (f.number) {
        case 1:
            if (f.type != WireType::Bytes)
                return false;
            if (checked < 3) {
                if (!looksLikeNodeDef(f.bytes, strict))
                    return false;
                ++checked;
            }
            ++nodes;
            break;
        case 3:
            if (f.type != WireType::Varint)
                return false;
            other = true;
            break;
        case 2:
        case 4:
        case 5:
            if (f.type != WireType::Bytes)
                return false;
            other = true;
            break;
        default: return false;
        }
    }
    if (s.failed() && s.position() != b.size())
        return false; // malformed, not merely cut off
    return nodes > 0 || (!requireNodes && other && !s.failed());
}

bool looksLikeMetaGraphDef(std::string_view b)
{
    WireScanner s(b);
    ScanField f;
    bool graph = false;
    while (s.next(f)) {
        if (f.number < 1 || f.number > 7 || f.type != WireType::Bytes)
            return false;
        if (f.number == 2) {
            if (!looksLikeGraphDef(f.bytes, true, true))
                return false;
            graph = true;
        }
    }
    if (s.failed() && s.position() != b.size())
        return false;
    return graph;
}

bool looksLikeSavedModel(std::string_view b)
{
    WireScanner s(b);
    ScanField f;
    bool meta = false;
    while (s.next(f)) {
        if (f.number == 1 && f.type == WireType::Varint)
            continue;
        if (f.number != 2 || f.type != WireType::Bytes)
            return false;
        if (!meta && !looksLikeMetaGraphDef(f.bytes))
            return false;
        meta = true;
    }
    if (s.failed() && s.position() != b.size())
        return false;
    return meta;
}

bool looksLikeTfRecord(std::string_view b)
{
    if (b.size() < 12) // length (8) + its masked CRC (4)
        return false;
    uint32_t stored;
    std::memcpy(&stored, b.data() + 8, 4);
    return maskedCrc32c(b.data(), 8) == stored;
}

std::string describeKnownNonGraph(std::string_view b)
{
    struct Magic {
        const char* bytes;
        size_t size;
        const char* what;
    };
    static const Magic kMagic[] = {
        {"\x89PNG\r\n\x1a\n", 8, "a PNG image"},
        {"\xff\xd8\xff", 3, "a JPEG image"},
        {"GIF8", 4, "a GIF image"},
        {"\x1f\x8b", 2, "a gzip archive"},
        {"PK\x03\x04", 4, "a zip archive"},
        {"\x89HDF\r\n\x1a\n", 8, "an HDF5 file (a Keras .h5 model?)"},
        {"%PDF", 4, "a PDF document"},
        {"\x7f" "ELF", 4, "an executable"},
        {"\x93NUMPY", 6, "a NumPy array"},
    };
    for (const Magic& m : kMagic)
        if (b.size() >= m.size && std::memcmp(b.data(), m.bytes, m.size) == 0)
            return m.what;
    return {};
}

} // namespace detail

namespace {

/// The first field name of a text-format message, or empty.
std::string_view firstTextField(std::string_view b)
{
    size_t i = 0;
    const size_t limit = std::min<size_t>(b.size(), 1 << 16);
    for (;;) {
        while (i < limit && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
            ++i;
        if (i < limit && b[i] == '#') {
            while (i < limit && b[i] != '\n')
                ++i;
            continue;
        }
        break;
    }
    const size_t start = i;
    auto isIdent = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    };
    while (i < limit && isIdent(b[i]))
        ++i;
    if (i == start || (b[start] >= '0' && b[start] <= '9'))
        return {};
    const std::string_view name = b.substr(start, i - start);
    while (i < limit && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
        ++i;
    if (i >= limit || (b[i] != '{' && b[i] != ':' && b[i] != '<'))
        return {};
    return name;
}

} // namespace

const char* graphFormatName(GraphFormat f)
{
    switch (f) {
    case GraphFormat::Unknown: return "unknown";
    case GraphFormat::BinaryGraphDef: return "binary GraphDef";
    case GraphFormat::TextGraphDef: return "text GraphDef";
    case GraphFormat::BinaryMetaGraphDef: return "binary MetaGraphDef";
    case GraphFormat::TextMetaGraphDef: return "text MetaGraphDef";
    case GraphFormat::SavedModel: return "SavedModel";
    case GraphFormat::EventFile: return "event file";
    case GraphFormat::OnnxModel: return "ONNX model";
    }
    return "unknown";
}

GraphFormat detectGraphFormat(std::string_view b)
{
    if (b.empty())
        return GraphFormat::Unknown;
    if (detail::looksLikeTfRecord(b))
        return GraphFormat::EventFile;
    if (detail::looksLikeGraphDef(b, true, true))
        return GraphFormat::BinaryGraphDef;
    if (looksLikeOnnxModel(b)) // before SavedModel: both start with a varint field 1
        return GraphFormat::OnnxModel;
    if (detail::looksLikeSavedModel(b))
        return GraphFormat::SavedModel;
    if (detail::looksLikeMetaGraphDef(b))
        return GraphFormat::BinaryMetaGraphDef;
    const std::string_view field = firstTextField(b);
    if (field == "node" || field == "versions" || field == "library" || field == "version" || field == "debug_info")
        return GraphFormat::TextGraphDef;
    if (field == "meta_info_def" || field == "graph_def" || field == "saver_def" || field == "collection_def" ||
        field == "signature_def" || field == "asset_file_def" || field == "object_graph_def")
        return GraphFormat::TextMetaGraphDef;
    // Last resorts: a GraphDef without nodes (only versions/library), or one
    // whose names hold control characters. Both still have to walk cleanly.
    if (detail::looksLikeGraphDef(b, false, false))
        return GraphFormat::BinaryGraphDef;
    return GraphFormat::Unknown;
}

} // namespace scopeviz
