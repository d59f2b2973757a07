// Summary kernels: ScalarSummary, HistogramSummary, MergeSummary. Each
// outputs a DT_STRING scalar holding a serialized `Summary` protobuf
// (docs/formats.md §4), written by hand with a tiny wire-format writer:
//   Summary        { repeated Value value = 1; }
//   Summary.Value  { string tag = 1; float simple_value = 2; HistogramProto histo = 5; }
//   HistogramProto { double min = 1, max = 2, num = 3, sum = 4, sum_squares = 5;
//                    repeated double bucket_limit = 6 [packed], bucket = 7 [packed]; }
// Zero doubles of the proto3 HistogramProto are omitted, as protobuf does;
// simple_value is a oneof member and always written.
//
// Histograms use TF1's default buckets: limits 1e-12 * 1.1^k below 1e20, the
// same mirrored to the negative side, 0 in the middle and +-DBL_MAX at the
// ends. A value goes into the first bucket whose limit is greater than it.
// On output, each run of empty buckets collapses into one empty bucket that
// keeps the run's last limit (TF1's encoding), so a typical histogram has a
// few dozen entries instead of 1,500.
//
// MergeSummary concatenates the `value` records of its inputs (a serialized
// repeated field may be split anywhere), after checking that no tag repeats.
#include "core/exec/kernels/kernel_util.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <string_view>
#include <unordered_set>

namespace scopeviz::exec::detail {
namespace {

// ---- wire format ------------------------------------------------------------------

void putVarint(std::string& out, uint64_t v)
{
    while (v >= 0x80) {
        out += char(uint8_t(v) | 0x80);
        v >>= 7;
    }
    out += char(uint8_t(v));
}

void putTag(std::string& out, int field, int wireType) { putVarint(out, uint64_t(field) << 3 | uint64_t(wireType)); }

void putBytes(std::string& out, int field, std::string_view bytes)
{
    putTag(out, field, 2);
    putVarint(out, bytes.size());
    out.append(bytes);
}

void putFloat(std::string& out, int field, float v)
{
    putTag(out, field, 5);
    char b[4];
    std::memcpy(b, &v, 4); // x86-64 is little-endian, as the wire format
    out.append(b, 4);
}

void putRawDouble(std::string& out, double v)
{
    char b[8];
    std::memcpy(b, &v, 8);
    out.append(b, 8);
}

void putDouble(std::string& out, int field, double v)
{
    if (v == 0.0 && !std::signbit(v))
        return; // proto3 default
    putTag(out, field, 1);
    putRawDouble(out, v);
}

void putPackedDoubles(std::string& out, int field, const std::vector<double>& v)
{
    if (v.empty())
        return;
    putTag(out, field, 2);
    putVarint(out, v.size() * 8);
    for (double d : v)
        putRawDouble(out, d);
}

/// Reads a varint; false at the end of data or on overflow.
bool getVarint(std::string_view s, size_t& pos, uint64_t& v)
{
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= s.size())
            return false;
        const uint8_t b = uint8_t(s[pos++]);
        v |= uint64_t(b & 0x7f) << shift;
        if (!(b & 0x80))
            return true;
    }
    return false;
}

/// Skips one field's payload; false when malformed.
bool skipField(std::string_view s, size_t& pos, int wireType)
{
    uint64_t n = 0;
    switch (wireType) {
    case 0: return getVarint(s, pos, n);
    case 1: pos += 8; return pos <= s.size();
    case 5: pos += 4; return pos <= s.size();
    case 2:
        if (!getVarint(s, pos, n) || n > s.size() - pos)
            return false;
        pos += size_t(n);
        return true;
    default: return false;
    }
}

/// Splits a serialized Summary into its Value records (each with its tag); false when malformed.
bool splitSummary(std::string_view s, std::vector<std::pair<std::string_view, std::string>>& values)
{
    size_t pos = 0;
    while (pos < s.size()) {
        uint64_t key;
        if (!getVarint(s, pos, key))
            return false;
        const int field = int(key >> 3), wire = int(key & 7);
        if (field != 1 || wire != 2) {
            if (!skipField(s, pos, wire))
                return false;
            continue;
        }
        uint64_t len;
        if (!getVarint(s, pos, len) || len > s.size() - pos)
            return false;
        std::string_view value = s.substr(pos, size_t(len));
        pos += size_t(len);
        // Find the tag (field 1) inside the Value.
        std::string tag;
        size_t vp = 0;
        while (vp < value.size()) {
            uint64_t vkey;
            if (!getVarint(value, vp, vkey))
                return false;
            if ((vkey >> 3) == 1 && (vkey & 7) == 2) {
                uint64_t tlen;
                if (!getVarint(value, vp, tlen) || tlen > value.size() - vp)
                    return false;
                tag.assign(value.substr(vp, size_t(tlen)));
                vp += size_t(tlen);
            } else if (!skipField(value, vp, int(vkey & 7))) {
                return false;
            }
        }
        values.emplace_back(value, std::move(tag));
    }
    return true;
}

// ---- histograms ------------------------------------------------------------------------

const std::vector<double>& defaultBucketLimits()
{
    static const std::vector<double> limits = [] {
        std::vector<double> pos;
        for (double v = 1.0e-12; v < 1.0e20; v *= 1.1)
            pos.push_back(v);
        pos.push_back(DBL_MAX);
        std::vector<double> all;
        all.reserve(pos.size() * 2 + 1);
        for (auto it = pos.rbegin(); it != pos.rend(); ++it)
            all.push_back(-*it);
        all.push_back(0.0);
        all.insert(all.end(), pos.begin(), pos.end());
        return all;
    }();
    return limits;
}

std::string encodeHistogram(const std::vector<double>& values)
{
    const std::vector<double>& limits = defaultBucketLimits();
    std::vector<double> counts(limits.size(), 0.0);
    double mn = DBL_MAX, mx = -DBL_MAX, sum = 0, sumSq = 0;
    for (double v : values) {
        size_t b = size_t(std::upper_bound(limits.begin(), limits.end(), v) - limits.begin());
        counts[std::min(b, limits.size() - 1)] += 1;
        mn = std::min(mn, v);
        mx = std::max(mx, v);
        sum += v;
        sumSq += v * v;
    }
    std::vector<double> outLimits, outCounts;
    for (size_t i = 0; i < counts.size();) {
        double end = limits[i], count = counts[i];
        ++i;
        if (count <= 0.0) {
            while (i < counts.size() && counts[i] <= 0.0) {
                end = limits[i];
                count = counts[i];
                ++i;
            }
        }
        outLimits.push_back(end);
        outCounts.push_back(count);
    }
    std::string h;
    putDouble(h, 1, mn);
    putDouble(h, 2, mx);
    putDouble(h, 3, double(values.size()));
    putDouble(h, 4, sum);
    putDouble(h, 5, sumSq);
    putPackedDoubles(h, 6, outLimits);
    putPackedDoubles(h, 7, outCounts);
    return h;
}

// ---- kernels -------------------------------------------------------------------------

std::vector<double> valuesAsDoubles(const KernelContext& c, const Tensor& t)
{
    std::vector<double> out(size_t(t.numElements()));
    visitReal(c, t.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* p = t.data<T>();
        for (size_t i = 0; i < out.size(); ++i)
            out[i] = double(p[i]);
    });
    return out;
}

void scalarSummaryKernel(KernelContext& c)
{
    const Tensor& tags = c.input(0);
    const Tensor& values = c.input(1);
    if (!tags.valid() || tags.dtype() != DType::String)
        c.fail("tags must be a string tensor");
    if (!values.valid() || values.dtype() == DType::String || values.dtype() == DType::Bool)
        c.fail("values must be a real-valued tensor");
    if (tags.dims() != values.dims())
        c.fail(cat("tags and values not the same shape: ", dimsString(tags.dims()), " != ", dimsString(values.dims()),
                   tags.rank() == 0 ? cat(" (tag '", tags.strings()[0], "')") : std::string()));
    const std::vector<double> v = valuesAsDoubles(c, values);
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
        std::string value;
        putBytes(value, 1, tags.strings()[i]);
        putFloat(value, 2, float(v[i]));
        putBytes(out, 1, value);
    }
    c.setOutput(0, Tensor::stringScalar(std::move(out)));
}

void histogramSummaryKernel(KernelContext& c)
{
    const Tensor& tag = c.input(0);
    const Tensor& values = c.input(1);
    if (!tag.valid() || tag.dtype() != DType::String || tag.numElements() != 1)
        c.fail(cat("tags must be scalar: ", tag.valid() ? dimsString(tag.dims()) : "<none>"));
    if (!values.valid() || values.dtype() == DType::String || values.dtype() == DType::Bool)
        c.fail("values must be a real-valued tensor");
    const std::vector<double> v = valuesAsDoubles(c, values);
    for (double d : v)
        if (!std::isfinite(d))
            c.fail(cat("Nan in summary histogram for: ", c.op().name()));
    std::string value;
    putBytes(value, 1, tag.strings()[0]);
    putBytes(value, 5, encodeHistogram(v));
    std::string out;
    putBytes(out, 1, value);
    c.setOutput(0, Tensor::stringScalar(std::move(out)));
}

void mergeSummaryKernel(KernelContext& c)
{
    std::string out;
    std::unordered_set<std::string> seen;
    std::vector<std::pair<std::string_view, std::string>> values;
    for (int i = 0; i < c.numInputs(); ++i) {
        const Tensor& t = c.input(i);
        if (!t.valid() || t.dtype() != DType::String)
            c.fail(cat("Input ", i, " of MergeSummary is not a string tensor"));
        for (const std::string& s : t.strings()) {
            values.clear();
            if (!splitSummary(s, values))
                c.fail("Could not parse one of the summary inputs");
            for (auto& [bytes, tag] : values) {
                if (!seen.insert(tag).second)
                    c.fail(cat("Duplicate tag ", tag, " found in summary inputs"));
                putBytes(out, 1, bytes);
            }
        }
    }
    c.setOutput(0, Tensor::stringScalar(std::move(out)));
}

} // namespace

void registerSummaryKernels(KernelRegistry& r)
{
    r.add("ScalarSummary", scalarSummaryKernel, kFresh);
    r.add("HistogramSummary", histogramSummaryKernel, kFresh);
    r.add("MergeSummary", mergeSummaryKernel, kFresh);
}

} // namespace scopeviz::exec::detail
