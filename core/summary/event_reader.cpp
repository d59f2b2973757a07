// Reading TensorBoard event files.
//
// An event file is a sequence of TFRecords (record_io.cpp explains the framing
// and how a growing file is followed) whose payloads are serialized
// `tensorflow.Event` messages (docs/formats.md §3-§5). This file turns records into
// typed callbacks.
//
// Why a hand-written decoder. A scalar event is ~30-60 bytes: wall_time,
// step, and a Summary with one Value {tag, simple_value}. Parsing it with the
// generated protobuf classes costs several heap allocations (the Summary, the
// Value, the tag string) and a reflection-free but still generic parse loop,
// which caps reading at roughly a million records per second. The goal here is
// 5M records/s and 300 MB/s on one core with both CRCs checked, so the hot
// path walks the wire format directly (detail::WireReader): it locates fields
// by number, keeps string_views into the read buffer, and allocates nothing
// once the per-reader scratch vector has grown. The walker follows protobuf's
// parsing rules where they matter: fields may come in any order, a oneof
// member seen later replaces an earlier one, repeated occurrences of the
// Summary message concatenate their values, fields with unknown numbers or
// unexpected wire types are skipped, and packed and unpacked repeated numbers
// are both accepted.
//
// Two phases per record. The Event, its Summary and each Value are first
// located and structurally validated, and only then are callbacks made. A
// record whose CRCs are valid but which is not a well-formed Event therefore
// produces no callbacks at all; it makes the file dead, like TensorBoard's
// Rust loader does, with a message naming the file and offset. Inner payloads
// that are not needed to keep reading (a TensorProto, a HistogramProto) are
// decoded leniently: if they do not make sense the value is reported as
// "other", never as an error.
//
// What counts as a scalar (TensorBoard's rule, widened as docs/formats.md §4 asks):
// a `simple_value`, or a rank-0 tensor of a numeric dtype (float, double,
// half, bfloat16, any integer, bool) holding exactly one value, either as
// `tensor_content` of the element size or as exactly one element of the typed
// list, whose metadata plugin is "scalars" or absent. Histograms are
// `histo` (HistogramProto) values and TF2 [k,3] float/double tensors with
// plugin "histograms"; they are decoded only for visitors that want them.
// Graphs are Event.graph_def, and the graph_def field inside
// Event.meta_graph_def (extracted as bytes, never re-serialized).
#include "core/summary/event_reader.h"
#include "core/summary/wav_reader.h"

#include "core/proto/wire_format.h"
#include "core/util/strings.h"

#include <charconv>
#include <Eigen/Core>

#include <charconv>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>

namespace scopeviz {

using detail::SummaryValueView;
using detail::WireField;
using detail::WireReader;
using detail::WireType;

namespace {

// TensorFlow DataType numbers used below (tensor.proto).
enum : int32_t {
    DtFloat = 1,
    DtDouble = 2,
    DtInt32 = 3,
    DtUInt8 = 4,
    DtString = 7,
    DtInt16 = 5,
    DtInt8 = 6,
    DtInt64 = 9,
    DtBool = 10,
    DtBFloat16 = 14,
    DtUInt16 = 17,
    DtHalf = 19,
    DtUInt32 = 22,
    DtUInt64 = 23,
};

// IEEE half and bfloat16 bits, widened by Eigen's own types (Eigen is already
// the engine's numeric library; its conversions handle subnormals, NaN and inf).
double halfToDouble(uint16_t h) { return double(Eigen::numext::bit_cast<Eigen::half>(h)); }

double bfloat16ToDouble(uint16_t b) { return double(Eigen::numext::bit_cast<Eigen::bfloat16>(b)); }

template <class T>
T loadLe(const char* p)
{
    T v;
    std::memcpy(&v, p, sizeof(T));
    return v;
}

// The parts of a TensorProto needed for scalars and [k,3] histograms.
struct TensorView {
    int32_t dtype = 0;
    int rank = 0;
    bool unknownRank = false;
    int64_t dims[2] = {0, 0}; // the first two dimensions
    std::string_view content;
    std::string_view bytes; // the whole TensorProto, for walking its typed lists
    int64_t elements = 1;   // product of all dimensions; -1 when negative or overflowing
};

bool parseShape(std::string_view bytes, TensorView& t)
{
    WireReader r(bytes);
    WireField f;
    while (r.next(f)) {
        if (f.number == 2 && f.type == WireType::Bytes) { // Dim
            int64_t size = 0;
            WireReader d(f.bytes);
            WireField g;
            while (d.next(g))
                if (g.number == 1 && g.type == WireType::Varint)
                    size = int64_t(g.value);
            if (d.failed())
                return false;
            if (t.rank < 2)
                t.dims[t.rank] = size;
            ++t.rank;
            if (size < 0 || t.elements < 0 || (size > 0 && t.elements > (int64_t(1) << 62) / size))
                t.elements = -1;
            else
                t.elements *= size;
        } else if (f.number == 3 && f.type == WireType::Varint) {
            t.unknownRank = f.value != 0;
        }
    }
    return !r.failed();
}

bool parseTensor(std::string_view bytes, TensorView& t)
{
    t = TensorView{};
    t.bytes = bytes;
    WireReader r(bytes);
    WireField f;
    while (r.next(f)) {
        if (f.number == 1 && f.type == WireType::Varint) {
            t.dtype = int32_t(f.value);
        } else if (f.number == 2 && f.type == WireType::Bytes) {
            t.rank = 0;
            t.unknownRank = false;
            t.elements = 1; // a later shape replaces an earlier one
            if (!parseShape(f.bytes, t))
                return false;
        } else if (f.number == 4 && f.type == WireType::Bytes) {
            t.content = f.bytes;
        }
    }
    return !r.failed();
}

// Calls fn(uint64 bits) for each element of typed list `field` of a tensor,
// packed or not. `width` is 4 (fixed32), 8 (fixed64) or 0 (varint).
// Returns false on malformed packed data or when fn returns false.
template <class Fn>
bool forEachListElement(std::string_view tensorBytes, uint32_t field, int width, Fn&& fn)
{
    WireReader r(tensorBytes);
    WireField f;
    while (r.next(f)) {
        if (f.number != field)
            continue;
        if (f.type == WireType::Bytes) { // packed
            const auto* p = reinterpret_cast<const uint8_t*>(f.bytes.data());
            const auto* end = p + f.bytes.size();
            if (width > 0 && f.bytes.size() % size_t(width) != 0)
                return false;
            while (p < end) {
                uint64_t v = 0;
                if (width == 4) {
                    uint32_t w;
                    std::memcpy(&w, p, 4);
                    v = w;
                    p += 4;
                } else if (width == 8) {
                    std::memcpy(&v, p, 8);
                    p += 8;
                } else if (!detail::readVarint(p, end, v)) {
                    return false;
                }
                if (!fn(v))
                    return false;
            }
        } else if ((width == 4 && f.type == WireType::Fixed32) || (width == 8 && f.type == WireType::Fixed64) ||
                   (width == 0 && f.type == WireType::Varint)) {
            if (!fn(f.value))
                return false;
        }
    }
    return !r.failed();
}

double bitsToFloat(uint64_t bits)
{
    const auto b = uint32_t(bits);
    float f;
    std::memcpy(&f, &b, 4);
    return f;
}

double bitsToDouble(uint64_t bits)
{
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
}

// Element size in tensor_content, the typed-list field, its wire width, and
// how to turn one list element into a double.
struct DtypeInfo {
    int size = 0;
    uint32_t listField = 0;
    int width = 0;
};

bool dtypeInfo(int32_t dtype, DtypeInfo& info)
{
    switch (dtype) {
    case DtFloat: info = {4, 5, 4}; return true;
    case DtDouble: info = {8, 6, 8}; return true;
    case DtHalf:
    case DtBFloat16: info = {2, 13, 0}; return true;
    case DtInt32: info = {4, 7, 0}; return true;
    case DtInt16:
    case DtUInt16: info = {2, 7, 0}; return true;
    case DtInt8:
    case DtUInt8: info = {1, 7, 0}; return true;
    case DtInt64: info = {8, 10, 0}; return true;
    case DtBool: info = {1, 11, 0}; return true;
    case DtUInt32: info = {4, 16, 0}; return true;
    case DtUInt64: info = {8, 17, 0}; return true;
    default: return false;
    }
}

double contentElement(int32_t dtype, const char* p)
{
    switch (dtype) {
    case DtFloat: return loadLe<float>(p);
    case DtDouble: return loadLe<double>(p);
    case DtHalf: return halfToDouble(loadLe<uint16_t>(p));
    case DtBFloat16: return bfloat16ToDouble(loadLe<uint16_t>(p));
    case DtInt32: return double(loadLe<int32_t>(p));
    case DtInt16: return double(loadLe<int16_t>(p));
    case DtUInt16: return double(loadLe<uint16_t>(p));
    case DtInt8: return double(loadLe<int8_t>(p));
    case DtUInt8: return double(loadLe<uint8_t>(p));
    case DtInt64: return double(loadLe<int64_t>(p));
    case DtBool: return *p ? 1.0 : 0.0;
    case DtUInt32: return double(loadLe<uint32_t>(p));
    case DtUInt64: return double(loadLe<uint64_t>(p));
    default: return 0;
    }
}

double listElement(int32_t dtype, uint64_t bits)
{
    switch (dtype) {
    case DtFloat: return bitsToFloat(bits);
    case DtDouble: return bitsToDouble(bits);
    case DtHalf: return halfToDouble(uint16_t(bits));
    case DtBFloat16: return bfloat16ToDouble(uint16_t(bits));
    case DtInt32:
    case DtInt16:
    case DtInt8: return double(int32_t(bits)); // int32 on the wire, sign-extended
    case DtUInt16:
    case DtUInt8: return double(uint32_t(bits) & (dtype == DtUInt8 ? 0xffu : 0xffffu));
    case DtInt64: return double(int64_t(bits));
    case DtBool: return bits ? 1.0 : 0.0;
    case DtUInt32: return double(uint32_t(bits));
    case DtUInt64: return double(bits);
    default: return 0;
    }
}

bool tensorScalar(const TensorView& t, double& out)
{
    DtypeInfo info;
    if (t.rank != 0 || t.unknownRank || !dtypeInfo(t.dtype, info))
        return false;
    if (!t.content.empty()) {
        if (t.content.size() != size_t(info.size))
            return false;
        out = contentElement(t.dtype, t.content.data());
        return true;
    }
    int count = 0;
    uint64_t first = 0;
    if (!forEachListElement(t.bytes, info.listField, info.width, [&](uint64_t v) {
            if (count++ == 0)
                first = v;
            return count <= 1;
        }))
        return false;
    if (count != 1)
        return false;
    out = listElement(t.dtype, first);
    return true;
}

// Empties `h`, keeping its buckets' memory (a log of histograms decodes hundreds of thousands of them
// into one).
void resetHistogram(Histogram& h)
{
    std::vector<HistogramBucket> buckets = std::move(h.buckets);
    buckets.clear();
    h = Histogram{};
    h.buckets = std::move(buckets);
}

// TF2 histogram: a [k,3] float/double tensor of (left, right, count) rows.
bool tensorHistogram(const TensorView& t, Histogram& h)
{
    if ((t.dtype != DtFloat && t.dtype != DtDouble) || t.rank != 2 || t.unknownRank || t.dims[1] != 3 ||
        t.dims[0] < 0 || t.dims[0] > (int64_t(1) << 24))
        return false;
    const size_t n = size_t(t.dims[0]) * 3;
    const size_t elem = t.dtype == DtFloat ? 4 : 8;
    std::vector<double> v;
    if (!t.content.empty()) {
        if (t.content.size() != n * elem)
            return false;
        v.resize(n);
        for (size_t i = 0; i < n; ++i)
            v[i] = contentElement(t.dtype, t.content.data() + i * elem);
    } else {
        const uint32_t field = t.dtype == DtFloat ? 5 : 6;
        if (!forEachListElement(t.bytes, field, int(elem), [&](uint64_t bits) {
                v.push_back(listElement(t.dtype, bits));
                return v.size() <= n;
            }))
            return false;
        if (v.size() > n)
            return false;
        // TensorFlow repeats the last listed value to fill the shape (all zeros when empty).
        v.resize(n, v.empty() ? 0.0 : v.back());
    }
    resetHistogram(h);
    h.tensorForm = true;
    h.buckets.resize(n / 3);
    for (size_t i = 0; i < n / 3; ++i) {
        h.buckets[i] = {v[3 * i], v[3 * i + 1], v[3 * i + 2]};
        h.num += v[3 * i + 2];
    }
    if (!h.buckets.empty()) {
        h.min = h.buckets.front().left;
        h.max = h.buckets.back().right;
    }
    h.sum = h.sumSquares = std::numeric_limits<double>::quiet_NaN();
    return true;
}

// A repeated double field of a message: its first packed run is read in place, anything after it (a
// list split over several fields, or unpacked elements) is gathered into `more`.
struct DoubleList {
    std::string_view first;
    std::vector<double>& more;

    bool add(const WireField& f)
    {
        if (f.type == WireType::Fixed64) {
            more.push_back(f.asDouble());
            return true;
        }
        if (f.type != WireType::Bytes || f.bytes.size() % 8 != 0)
            return false;
        if (first.empty() && more.empty()) {
            first = f.bytes;
        } else {
            const size_t at = more.size();
            more.resize(at + f.bytes.size() / 8);
            std::memcpy(more.data() + at, f.bytes.data(), f.bytes.size());
        }
        return true;
    }
    size_t size() const { return first.size() / 8 + more.size(); }
    double operator[](size_t i) const
    {
        const size_t n = first.size() / 8;
        if (i >= n)
            return more[i - n];
        double d;
        std::memcpy(&d, first.data() + 8 * i, 8);
        return d;
    }
};

// TF1 histogram: a HistogramProto.
bool protoHistogram(std::string_view bytes, Histogram& h)
{
    resetHistogram(h);
    // Reused between calls: a log of histograms decodes hundreds of thousands of them.
    thread_local std::vector<double> moreLimits, moreCounts;
    moreLimits.clear();
    moreCounts.clear();
    DoubleList limits{{}, moreLimits}, counts{{}, moreCounts};
    WireReader r(bytes);
    WireField f;
    while (r.next(f)) {
        if (f.number >= 1 && f.number <= 5 && f.type == WireType::Fixed64) {
            const double d = f.asDouble();
            switch (f.number) {
            case 1: h.min = d; break;
            case 2: h.max = d; break;
            case 3: h.num = d; break;
            case 4: h.sum = d; break;
            case 5: h.sumSquares = d; break;
            }
        } else if (f.number == 6) {
            if (!limits.add(f))
                return false;
        } else if (f.number == 7) {
            if (!counts.add(f))
                return false;
        }
    }
    if (r.failed())
        return false;
    const size_t n = std::min(limits.size(), counts.size());
    h.buckets.resize(n);
    double left = -DBL_MAX;
    for (size_t i = 0; i < n; ++i) {
        const double right = limits[i];
        h.buckets[i] = {left, right, counts[i]};
        left = right;
    }
    return true;
}

// SummaryMetadata.plugin_data.plugin_name, or empty.
std::string_view pluginName(std::string_view metadata)
{
    std::string_view name;
    WireReader r(metadata);
    WireField f;
    while (r.next(f)) {
        if (f.number == 1 && f.type == WireType::Bytes) {
            WireReader p(f.bytes);
            WireField g;
            while (p.next(g))
                if (g.number == 1 && g.type == WireType::Bytes)
                    name = g.bytes;
        }
    }
    return name;
}

// Locates one Summary.Value; false when its framing is broken.
bool decodeValue(std::string_view bytes, SummaryValueView& v)
{
    using Kind = SummaryValueView::Kind;
    v = SummaryValueView{};
    WireReader r(bytes);
    WireField f;
    while (r.next(f)) {
        switch (f.number) {
        case 1:
            if (f.type == WireType::Bytes)
                v.tag = f.bytes;
            break;
        case 2:
            if (f.type == WireType::Fixed32) {
                v.kind = Kind::Simple;
                v.simple = f.asFloat();
            }
            break;
        case 3:
            if (f.type == WireType::Bytes)
                v.kind = Kind::Other;
            break;
        case 4:
        case 6:
            if (f.type == WireType::Bytes) {
                v.kind = f.number == 4 ? Kind::Image : Kind::Audio;
                v.payload = f.bytes;
            }
            break;
        case 5:
            if (f.type == WireType::Bytes) {
                v.kind = Kind::Histo;
                v.payload = f.bytes;
            }
            break;
        case 8:
            if (f.type == WireType::Bytes) {
                v.kind = Kind::Tensor;
                v.payload = f.bytes;
            }
            break;
        case 9:
            if (f.type == WireType::Bytes)
                v.metadata = f.bytes;
            break;
        default: break;
        }
    }
    return !r.failed();
}

bool decodeSummary(std::string_view bytes, std::vector<SummaryValueView>& values)
{
    WireReader r(bytes);
    WireField f;
    while (r.next(f)) {
        if (f.number == 1 && f.type == WireType::Bytes) {
            values.emplace_back();
            if (!decodeValue(f.bytes, values.back()))
                return false;
        }
    }
    return !r.failed();
}

// The last graph_def (field 2) of a serialized MetaGraphDef; false if absent or malformed.
bool metaGraphGraphDef(std::string_view meta, std::string_view& graphDef)
{
    bool found = false;
    WireReader r(meta);
    WireField f;
    while (r.next(f)) {
        if (f.number == 2 && f.type == WireType::Bytes) {
            graphDef = f.bytes;
            found = true;
        }
    }
    return found && !r.failed();
}

// ---- Classifying summary values (onSummaryValue; docs/formats.md §4) ----

// The first `max` string_val elements (field 8) of a DT_STRING tensor; false when malformed.
bool stringElements(const TensorView& t, size_t max, std::vector<std::string_view>& out, size_t& total)
{
    out.clear();
    total = 0;
    WireReader r(t.bytes);
    WireField f;
    while (r.next(f)) {
        if (f.number == 8 && f.type == WireType::Bytes) {
            ++total;
            if (out.size() < max)
                out.push_back(f.bytes);
        }
    }
    return !r.failed();
}

// Frames (samples per channel) of a RIFF/WAVE file; false when it is not one.
bool wavFrames(std::string_view wav, uint64_t& frames)
{
    WavInfo info;
    if (!parseWav(wav, info))
        return false;
    frames = info.frames;
    return true;
}

std::string wxh(std::string_view w, std::string_view h) { return cat(w, "x", h); }

// Width and height from the header of a PNG (IHDR), GIF (logical screen) or
// JPEG (the first SOFn frame header); false for anything else.
bool encodedImageSize(std::string_view b, uint32_t& width, uint32_t& height)
{
    auto u8 = [&](size_t i) { return uint32_t(uint8_t(b[i])); };
    auto be16 = [&](size_t i) { return u8(i) << 8 | u8(i + 1); };
    auto be32 = [&](size_t i) { return be16(i) << 16 | be16(i + 2); };
    if (b.size() >= 24 && b.substr(0, 8) == "\x89PNG\r\n\x1a\n" && b.substr(12, 4) == "IHDR") {
        width = be32(16);
        height = be32(20);
        return true;
    }
    if (b.size() >= 10 && (b.substr(0, 6) == "GIF87a" || b.substr(0, 6) == "GIF89a")) {
        width = u8(6) | u8(7) << 8;
        height = u8(8) | u8(9) << 8;
        return true;
    }
    if (b.size() < 4 || u8(0) != 0xFF || u8(1) != 0xD8)
        return false;
    size_t at = 2;
    while (at + 4 <= b.size()) {
        if (u8(at) != 0xFF)
            return false;
        const uint32_t marker = u8(at + 1);
        if (marker == 0xFF) { // fill byte
            ++at;
            continue;
        }
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) { // no length
            at += 2;
            continue;
        }
        if (marker == 0xD9 || marker == 0xDA) // end of image, start of scan: no frame header before it
            return false;
        const uint32_t length = be16(at + 2);
        const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (sof) {
            if (length < 7 || at + 9 > b.size())
                return false;
            height = be16(at + 5);
            width = be16(at + 7);
            return true;
        }
        if (length < 2)
            return false;
        at += 2 + length;
    }
    return false;
}

// Summary.Image: height = 1, width = 2, encoded_image_string = 4; false when
// malformed. Without width or height, they come from the encoded image's header.
bool imageInfo(std::string_view bytes, SummaryValueInfo& info)
{
    int64_t height = 0, width = 0;
    std::string_view encoded;
    WireReader r(bytes);
    WireField f;
    while (r.next(f)) {
        if (f.number == 4 && f.type == WireType::Bytes)
            encoded = f.bytes;
        if (f.type != WireType::Varint)
            continue;
        if (f.number == 1)
            height = int64_t(int32_t(f.value));
        else if (f.number == 2)
            width = int64_t(int32_t(f.value));
    }
    if (r.failed())
        return false;
    uint32_t w = 0, h = 0;
    if ((width <= 0 || height <= 0) && encodedImageSize(encoded, w, h)) {
        width = w;
        height = h;
    }
    info.kind = SummaryKind::Image;
    info.detail = cat(width, "x", height);
    return true;
}

// Summary.Audio: length_frames = 3; false when malformed.
bool audioInfo(std::string_view bytes, SummaryValueInfo& info)
{
    int64_t frames = 0;
    WireReader r(bytes);
    WireField f;
    while (r.next(f))
        if (f.number == 3 && f.type == WireType::Varint)
            frames = int64_t(f.value);
    if (r.failed())
        return false;
    info.kind = SummaryKind::Audio;
    info.detail = cat(frames);
    return true;
}

// A TensorProto value with plugin `plugin`.
void tensorInfo(std::string_view bytes, std::string_view plugin, SummaryValueInfo& info)
{
    info.kind = SummaryKind::Tensor;
    info.plugin = plugin;
    info.detail.clear();
    TensorView t;
    if (!parseTensor(bytes, t)) {
        info.plugin = {};
        return;
    }
    double value;
    Histogram h;
    std::vector<std::string_view> strings;
    size_t total = 0;
    if ((plugin.empty() || plugin == "scalars") && tensorScalar(t, value)) {
        info.kind = SummaryKind::Scalar;
        appendShortest(info.detail, value);
        return;
    }
    if (plugin == "histograms" && tensorHistogram(t, h)) {
        info.kind = SummaryKind::Histogram;
        info.detail = cat(h.buckets.size());
        return;
    }
    if (t.dtype == DtString && stringElements(t, 3, strings, total)) {
        if (plugin == "images" && strings.size() >= 2) {
            info.kind = SummaryKind::Image;
            info.detail = wxh(strings[0], strings[1]);
            uint32_t w = 0, h = 0;
            auto positive = [](std::string_view v) {
                int64_t n = 0;
                const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
                return ec == std::errc() && end == v.data() + v.size() && n > 0;
            };
            const bool given = positive(strings[0]) && positive(strings[1]);
            if (!given && strings.size() >= 3 && encodedImageSize(strings[2], w, h))
                info.detail = cat(w, "x", h);
            return;
        }
        uint64_t frames = 0;
        if (plugin == "audio" && !strings.empty() && wavFrames(strings[0], frames)) {
            info.kind = SummaryKind::Audio;
            info.detail = cat(frames);
            return;
        }
        if (plugin == "text") {
            info.kind = SummaryKind::Text;
            info.detail = cat(strings.empty() ? size_t(0) : strings[0].size());
            return;
        }
    }
    if (t.elements >= 0 && !t.unknownRank)
        info.detail = cat(t.elements);
}

// Classifies one located value.
void classify(const SummaryValueView& v, SummaryValueInfo& info)
{
    info = SummaryValueInfo{};
    switch (v.kind) {
    case SummaryValueView::Kind::Simple:
        info.kind = SummaryKind::Scalar;
        appendShortest(info.detail, v.simple);
        return;
    case SummaryValueView::Kind::Histo: {
        Histogram h;
        if (protoHistogram(v.payload, h)) {
            info.kind = SummaryKind::Histogram;
            info.detail = cat(h.buckets.size());
        }
        return;
    }
    case SummaryValueView::Kind::Image:
        if (!imageInfo(v.payload, info))
            info = SummaryValueInfo{};
        return;
    case SummaryValueView::Kind::Audio:
        if (!audioInfo(v.payload, info))
            info = SummaryValueInfo{};
        return;
    case SummaryValueView::Kind::Tensor: tensorInfo(v.payload, pluginName(v.metadata), info); return;
    default: return; // no value, or the obsolete old-style histogram: "tensor:"
    }
}

// A decimal integer string (the image tensor's width and height), 0 when it is none.
int64_t decimal(std::string_view text)
{
    int64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    return ec == std::errc() && end == text.data() + text.size() && v >= 0 ? v : 0;
}

// The payloads of an image, audio or text value (onMedia); false when `v` is none of them or malformed.
bool mediaValue(const SummaryValueView& v, MediaValue& m)
{
    m.items.clear();
    m.labels.clear();
    m.shape.clear();
    m.width = m.height = 0;
    m.sampleRate = 0;
    m.contentType = {};
    WireReader r(v.payload);
    WireField f;
    switch (v.kind) {
    case SummaryValueView::Kind::Image: // Summary.Image: height 1, width 2, colorspace 3, encoded 4
        m.kind = SummaryKind::Image;
        while (r.next(f)) {
            if (f.number == 1 && f.type == WireType::Varint)
                m.height = int64_t(int32_t(f.value));
            else if (f.number == 2 && f.type == WireType::Varint)
                m.width = int64_t(int32_t(f.value));
            else if (f.number == 4 && f.type == WireType::Bytes)
                m.items.push_back(f.bytes);
        }
        return !r.failed() && !m.items.empty();
    case SummaryValueView::Kind::Audio: // Summary.Audio: sample_rate 1, encoded 4, content_type 5
        m.kind = SummaryKind::Audio;
        while (r.next(f)) {
            if (f.number == 1 && f.type == WireType::Fixed32)
                m.sampleRate = f.asFloat();
            else if (f.number == 4 && f.type == WireType::Bytes)
                m.items.push_back(f.bytes);
            else if (f.number == 5 && f.type == WireType::Bytes)
                m.contentType = f.bytes;
        }
        return !r.failed() && !m.items.empty();
    case SummaryValueView::Kind::Tensor: {
        const std::string_view plugin = pluginName(v.metadata);
        if (plugin != "images" && plugin != "audio" && plugin != "text")
            return false;
        TensorView t;
        if (!parseTensor(v.payload, t) || t.dtype != DtString)
            return false;
        std::vector<std::string_view> all;
        size_t total = 0;
        if (!stringElements(t, SIZE_MAX, all, total))
            return false;
        if (plugin == "images") { // [width, height, image...] (TF2, PyTorch)
            if (all.size() < 3)
                return false;
            m.kind = SummaryKind::Image;
            m.width = decimal(all[0]);
            m.height = decimal(all[1]);
            m.items.assign(all.begin() + 2, all.end());
        } else if (plugin == "audio") { // [k, 2]: (clip, label) pairs, or [k] clips
            m.kind = SummaryKind::Audio;
            const bool pairs = t.rank == 2 && t.dims[1] == 2;
            for (size_t i = 0; i < all.size(); i += pairs ? 2 : 1) {
                m.items.push_back(all[i]);
                if (pairs && i + 1 < all.size())
                    m.labels.push_back(all[i + 1]);
            }
        } else {
            m.kind = SummaryKind::Text;
            m.items = std::move(all);
            for (int i = 0; i < std::min(t.rank, 2); ++i)
                m.shape.push_back(t.dims[i]);
        }
        return !m.items.empty();
    }
    default: return false;
    }
}

// Collects a poll's results into an EventBatch.
class BatchCollector final : public EventVisitor {
public:
    explicit BatchCollector(EventBatch& b) : m_b(b) {}
    void onEvent(const EventHeader&, EventKind) override { ++m_b.records; }
    void onScalar(const EventHeader& h, std::string_view tag, double value) override
    {
        m_b.scalars.push_back({std::string(tag), h.step, h.wallTime, value, h.offset});
    }
    void onHistogram(const EventHeader& h, std::string_view tag, const Histogram& histogram) override
    {
        m_b.histograms.push_back({std::string(tag), h.step, h.wallTime, histogram, h.offset});
    }
    void onOtherValue(const EventHeader&, std::string_view) override { ++m_b.otherValues; }
    void onGraph(const EventHeader& h, GraphSource source, std::string_view graphDef) override
    {
        m_b.graphs.push_back({source, h.step, h.wallTime, std::string(graphDef), h.offset});
    }
    void onSessionLog(const EventHeader& h, SessionStatus status, std::string_view path,
                      std::string_view message) override
    {
        m_b.sessionLogs.push_back({status, h.step, h.wallTime, std::string(path), std::string(message), h.offset});
    }
    void onFileVersion(const EventHeader& h, std::string_view version) override
    {
        m_b.fileVersions.push_back({std::string(version), h.wallTime, h.offset});
    }
    void onRunMetadata(const EventHeader& h, std::string_view tag, std::string_view runMetadata) override
    {
        m_b.runMetadata.push_back({std::string(tag), h.step, h.wallTime, std::string(runMetadata), h.offset});
    }

private:
    EventBatch& m_b;
};

} // namespace

std::string summaryKindName(const SummaryValueInfo& info)
{
    switch (info.kind) {
    case SummaryKind::Scalar: return "scalar";
    case SummaryKind::Histogram: return "histogram";
    case SummaryKind::Image: return "image";
    case SummaryKind::Audio: return "audio";
    case SummaryKind::Text: return "text";
    case SummaryKind::Tensor: break;
    }
    return cat("tensor:", info.plugin);
}

std::pair<std::size_t, std::size_t> displayBucketRange(const Histogram& h)
{
    size_t start = 0, end = h.buckets.size();
    if (h.tensorForm)
        return {start, end};
    while (start < end && !(h.buckets[start].count > 0))
        ++start;
    while (end > start && !(h.buckets[end - 1].count > 0))
        --end;
    return {start, end};
}

std::vector<HistogramBucket> tensorBoardBuckets(const Histogram& h)
{
    if (h.tensorForm)
        return h.buckets;
    const auto [start, end] = displayBucketRange(h);
    std::vector<HistogramBucket> out;
    for (size_t i = start; i < end; ++i)
        out.push_back({i == start ? h.min : h.buckets[i].left, i + 1 == end ? h.max : h.buckets[i].right,
                       h.buckets[i].count});
    return out;
}

EventReader::EventReader(std::string path) : m_records(std::move(path)) {}

void EventReader::reset()
{
    m_records.reset();
    m_recordCount = 0;
    m_dead = false;
    m_errorOffset = 0;
    m_error.clear();
}

bool EventReader::decodeEvent(std::string_view payload, uint64_t offset, EventVisitor& visitor)
{
    // Phase 1: locate and validate.
    EventHeader header;
    header.offset = offset;
    EventKind kind = EventKind::None;
    std::string_view what; // payload of the current oneof member (not Summary)
    m_values.clear();
    WireReader r(payload);
    WireField f;
    while (r.next(f)) {
        switch (f.number) {
        case 1:
            if (f.type == WireType::Fixed64)
                header.wallTime = f.asDouble();
            break;
        case 2:
            if (f.type == WireType::Varint)
                header.step = int64_t(f.value);
            break;
        case 5:
            if (f.type == WireType::Bytes) {
                if (kind != EventKind::Summary)
                    m_values.clear(); // switching oneof members; repeated Summary occurrences merge
                kind = EventKind::Summary;
                if (!decodeSummary(f.bytes, m_values))
                    return false;
            }
            break;
        case 3:
        case 4:
        case 6:
        case 7:
        case 8:
        case 9:
            if (f.type == WireType::Bytes) {
                kind = EventKind(f.number);
                what = f.bytes;
                m_values.clear();
            }
            break;
        default: break;
        }
    }
    if (r.failed())
        return false;

    // Messages nested in the Event must be well-formed too (protobuf would reject the Event).
    SessionStatus status = SessionStatus::Unspecified;
    std::string_view text1, text2; // session log path and msg, or run metadata tag and bytes
    if (kind == EventKind::SessionLog || kind == EventKind::TaggedRunMetadata || kind == EventKind::LogMessage) {
        WireReader s(what);
        while (s.next(f)) {
            if (kind == EventKind::SessionLog) {
                if (f.number == 1 && f.type == WireType::Varint)
                    status = SessionStatus(int32_t(f.value));
                else if (f.number == 2 && f.type == WireType::Bytes)
                    text1 = f.bytes;
                else if (f.number == 3 && f.type == WireType::Bytes)
                    text2 = f.bytes;
            } else if (kind == EventKind::TaggedRunMetadata) {
                if (f.number == 1 && f.type == WireType::Bytes)
                    text1 = f.bytes;
                else if (f.number == 2 && f.type == WireType::Bytes)
                    text2 = f.bytes;
            }
        }
        if (s.failed())
            return false;
    }

    // Phase 2: report.
    ++m_recordCount;
    visitor.onEvent(header, kind);
    switch (kind) {
    case EventKind::FileVersion: visitor.onFileVersion(header, what); break;
    case EventKind::GraphDef: visitor.onGraph(header, GraphSource::GraphDef, what); break;
    case EventKind::MetaGraphDef: {
        std::string_view graphDef;
        if (metaGraphGraphDef(what, graphDef))
            visitor.onGraph(header, GraphSource::MetaGraphDef, graphDef);
        break;
    }
    case EventKind::SessionLog: visitor.onSessionLog(header, status, text1, text2); break;
    case EventKind::TaggedRunMetadata: visitor.onRunMetadata(header, text1, text2); break;
    case EventKind::Summary: {
        const bool wantsInfo = visitor.wantsSummaryValues();
        SummaryValueInfo info;
        const bool wantsMedia = visitor.wantsMedia();
        MediaValue media;
        for (const SummaryValueView& v : m_values) {
            switch (v.kind) {
            case SummaryValueView::Kind::Simple: visitor.onScalar(header, v.tag, double(v.simple)); break;
            case SummaryValueView::Kind::Histo: {
                if (visitor.wantsHistograms() && protoHistogram(v.payload, m_histogram))
                    visitor.onHistogram(header, v.tag, m_histogram);
                else
                    visitor.onOtherValue(header, v.tag);
                break;
            }
            case SummaryValueView::Kind::Tensor: {
                TensorView t;
                double value;
                const std::string_view plugin = pluginName(v.metadata);
                if (!parseTensor(v.payload, t)) {
                    visitor.onOtherValue(header, v.tag);
                } else if ((plugin.empty() || plugin == "scalars") && tensorScalar(t, value)) {
                    visitor.onScalar(header, v.tag, value);
                } else if (plugin == "histograms" && visitor.wantsHistograms() && tensorHistogram(t, m_histogram)) {
                    visitor.onHistogram(header, v.tag, m_histogram);
                } else {
                    visitor.onOtherValue(header, v.tag);
                }
                break;
            }
            default: visitor.onOtherValue(header, v.tag); break;
            }
            if (wantsMedia && mediaValue(v, media))
                visitor.onMedia(header, v.tag, media);
            if (wantsInfo) {
                classify(v, info);
                visitor.onSummaryValue(header, v.tag, info);
            }
        }
        break;
    }
    default: break;
    }
    return true;
}

ReadStatus EventReader::poll(EventVisitor& visitor, uint64_t maxBytes)
{
    using Code = ReadStatus::Code;
    ReadStatus st;
    auto begun = m_records.begin(maxBytes);
    if (!begun.ok()) {
        st.code = Code::IoError;
        st.message = begun.error();
        st.offset = m_records.offset();
        return st;
    }
    if (*begun == RecordReader::FileChange::Missing) {
        st.code = Code::Missing;
        st.message = cat(m_records.path(), ": no such file");
        st.offset = m_records.offset();
        return st;
    }
    if (*begun == RecordReader::FileChange::Replaced) {
        st.restarted = true;
        m_recordCount = 0;
        m_dead = false;
        m_error.clear();
    }
    const uint64_t start = m_records.offset();
    for (;;) {
        if (m_dead) {
            st.code = Code::Dead;
            st.message = m_error;
            st.offset = m_errorOffset;
            break;
        }
        if (m_records.offset() - start >= maxBytes) {
            st.code = Code::Ok;
            st.more = m_records.offset() < m_records.fileSize();
            st.offset = m_records.offset();
            break;
        }
        RecordRef rec;
        const RecordStatus rs = m_records.next(rec);
        if (rs == RecordStatus::Record) {
            if (!decodeEvent(rec.payload, rec.offset, visitor)) {
                m_dead = true;
                m_errorOffset = rec.offset;
                m_error = cat(m_records.path(), ": corrupted record at ", rec.offset,
                              " (checksums match but the payload is not an Event)");
            }
            continue;
        }
        if (rs == RecordStatus::Corrupt) {
            st.code = Code::Dead;
            st.message = m_records.error();
            st.offset = m_records.errorOffset();
        } else {
            st.code = rs == RecordStatus::Eof ? Code::Ok : Code::NeedMoreData;
            st.offset = m_records.offset();
        }
        break;
    }
    m_records.end();
    return st;
}

EventBatch EventReader::poll()
{
    EventBatch batch;
    BatchCollector collector(batch);
    batch.status = poll(collector);
    return batch;
}

} // namespace scopeviz
