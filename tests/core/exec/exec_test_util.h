#pragma once
// Helpers for the exec tests: random tensors, naive NumPy-style broadcasting,
// running one op on constant (or freshly computed) inputs, comparisons, and a
// tiny protobuf reader for the summary bytes.
#include "core/exec/session.h"
#include "core/graph/graph.h"
#include "core/ops/ops.h"

#include <QtTest>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace scopeviz::testing {

/// A tensor of dtype t with values uniform in [lo, hi) (rounded for integer types).
inline Tensor randomTensor(DType t, std::vector<int64_t> dims, double lo, double hi, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(lo, hi);
    Tensor out(t, std::move(dims));
    for (int64_t i = 0; i < out.numElements(); ++i) {
        double v = u(rng);
        switch (t) {
        case DType::Float: out.data<float>()[i] = float(v); break;
        case DType::Double: out.data<double>()[i] = v; break;
        case DType::Int32: out.data<int32_t>()[i] = int32_t(std::floor(v)); break;
        case DType::Int64: out.data<int64_t>()[i] = int64_t(std::floor(v)); break;
        case DType::UInt8: out.data<uint8_t>()[i] = uint8_t(std::floor(v)); break;
        case DType::Bool: out.data<bool>()[i] = v > (lo + hi) / 2; break;
        default: break;
        }
    }
    return out;
}

/// Element i of any dense tensor as double.
inline double at(const Tensor& t, int64_t i) { return t.toDouble(i); }

/// NumPy broadcast of two shapes (empty optional-like: ok=false when incompatible).
inline std::vector<int64_t> broadcastDims(const std::vector<int64_t>& a, const std::vector<int64_t>& b, bool& ok)
{
    size_t r = std::max(a.size(), b.size());
    std::vector<int64_t> out(r);
    ok = true;
    for (size_t i = 0; i < r; ++i) {
        int64_t da = i + a.size() >= r ? a[i + a.size() - r] : 1;
        int64_t db = i + b.size() >= r ? b[i + b.size() - r] : 1;
        if (da != db && da != 1 && db != 1)
            ok = false;
        out[i] = da == 1 ? db : da;
    }
    return out;
}

/// Flat index into `dims` (right-aligned, size-1 dims broadcast) of the output multi-index.
inline int64_t sourceIndex(const std::vector<int64_t>& outIdx, const std::vector<int64_t>& dims)
{
    int64_t idx = 0;
    size_t off = outIdx.size() - dims.size();
    for (size_t i = 0; i < dims.size(); ++i)
        idx = idx * dims[i] + (dims[i] == 1 ? 0 : outIdx[off + i]);
    return idx;
}

/// Multi-index of flat index k in dims.
inline std::vector<int64_t> unravel(int64_t k, const std::vector<int64_t>& dims)
{
    std::vector<int64_t> idx(dims.size());
    for (size_t i = dims.size(); i-- > 0;) {
        idx[i] = dims[i] ? k % dims[i] : 0;
        k = dims[i] ? k / dims[i] : 0;
    }
    return idx;
}

/// Builds Const inputs (or, with `fresh`, inputs recomputed by a Mul by 1 so the op may reuse their
/// buffers in place), runs `type` and returns output `output`.
inline Tensor runOp(const std::string& type, const std::vector<Tensor>& inputs, AttrList attrs = {}, int output = 0,
                    bool fresh = false)
{
    Graph g;
    std::vector<Output> ins;
    for (const Tensor& t : inputs) {
        Output c = ops::constant(g, t);
        if (fresh && t.dtype() != DType::Bool && t.dtype() != DType::String)
            c = ops::multiply(g, c, ops::constant(g, Tensor::filled(t.dtype(), {}, 1)));
        ins.push_back(c);
    }
    OpId op = g.createOp(type, "", ins, std::move(attrs));
    exec::Session s(g);
    return s.run({Output{op, output}})[0];
}

/// True when a and b are equal within rel/abs tolerance (NaNs equal, infinities exact).
inline bool close(double a, double b, double tol)
{
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b);
    if (std::isinf(a) || std::isinf(b))
        return a == b;
    return std::fabs(a - b) <= tol * std::max(1.0, std::max(std::fabs(a), std::fabs(b)));
}

/// Compares a tensor with reference values; returns "" or a description of the first mismatch.
inline std::string compare(const Tensor& t, const std::vector<int64_t>& dims, const std::vector<double>& ref, double tol)
{
    if (t.dims() != dims)
        return "dims differ";
    if (t.numElements() != int64_t(ref.size()))
        return "size differs";
    for (int64_t i = 0; i < t.numElements(); ++i)
        if (!close(at(t, i), ref[size_t(i)], tol))
            return "element " + std::to_string(i) + ": got " + std::to_string(at(t, i)) + ", want " +
                   std::to_string(ref[size_t(i)]);
    return {};
}

#define SV_COMPARE(t, dims, ref, tol)                                                                                \
    do {                                                                                                             \
        std::string why_ = scopeviz::testing::compare((t), (dims), (ref), (tol));                                   \
        QVERIFY2(why_.empty(), why_.c_str());                                                                        \
    } while (0)

// ---- a tiny protobuf reader ---------------------------------------------------------

struct ProtoField {
    int number = 0;
    int wire = 0;
    uint64_t varint = 0;
    std::string_view bytes; ///< length-delimited payload, or the 4/8 raw bytes of fixed fields
};

/// Parses one message level; false when malformed.
inline bool parseProto(std::string_view s, std::vector<ProtoField>& out)
{
    size_t pos = 0;
    auto varint = [&](uint64_t& v) {
        v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= s.size())
                return false;
            uint8_t b = uint8_t(s[pos++]);
            v |= uint64_t(b & 0x7f) << shift;
            if (!(b & 0x80))
                return true;
        }
        return false;
    };
    while (pos < s.size()) {
        uint64_t key;
        if (!varint(key))
            return false;
        ProtoField f;
        f.number = int(key >> 3);
        f.wire = int(key & 7);
        if (f.wire == 0) {
            if (!varint(f.varint))
                return false;
        } else if (f.wire == 1 || f.wire == 5) {
            size_t n = f.wire == 1 ? 8 : 4;
            if (pos + n > s.size())
                return false;
            f.bytes = s.substr(pos, n);
            pos += n;
        } else if (f.wire == 2) {
            uint64_t n;
            if (!varint(n) || n > s.size() - pos)
                return false;
            f.bytes = s.substr(pos, size_t(n));
            pos += size_t(n);
        } else {
            return false;
        }
        out.push_back(f);
    }
    return true;
}

inline float fixedFloat(std::string_view b)
{
    float v;
    std::memcpy(&v, b.data(), 4);
    return v;
}

inline double fixedDouble(std::string_view b)
{
    double v;
    std::memcpy(&v, b.data(), 8);
    return v;
}

/// One decoded Summary.Value.
struct DecodedValue {
    std::string tag;
    bool hasSimple = false;
    float simple = 0;
    bool hasHisto = false;
    double min = 0, max = 0, num = 0, sum = 0, sumSquares = 0;
    std::vector<double> limits, buckets;
};

/// Decodes a serialized Summary; false when malformed.
inline bool decodeSummary(std::string_view s, std::vector<DecodedValue>& out)
{
    std::vector<ProtoField> top;
    if (!parseProto(s, top))
        return false;
    for (const ProtoField& f : top) {
        if (f.number != 1 || f.wire != 2)
            return false;
        std::vector<ProtoField> vf;
        if (!parseProto(f.bytes, vf))
            return false;
        DecodedValue v;
        for (const ProtoField& g : vf) {
            if (g.number == 1 && g.wire == 2)
                v.tag.assign(g.bytes);
            else if (g.number == 2 && g.wire == 5) {
                v.hasSimple = true;
                v.simple = fixedFloat(g.bytes);
            } else if (g.number == 5 && g.wire == 2) {
                v.hasHisto = true;
                std::vector<ProtoField> hf;
                if (!parseProto(g.bytes, hf))
                    return false;
                for (const ProtoField& h : hf) {
                    if (h.wire == 1) {
                        double d = fixedDouble(h.bytes);
                        (h.number == 1 ? v.min : h.number == 2 ? v.max : h.number == 3 ? v.num
                                                 : h.number == 4 ? v.sum : v.sumSquares) = d;
                    } else if (h.wire == 2 && (h.number == 6 || h.number == 7)) {
                        auto& dst = h.number == 6 ? v.limits : v.buckets;
                        for (size_t k = 0; k + 8 <= h.bytes.size(); k += 8)
                            dst.push_back(fixedDouble(h.bytes.substr(k, 8)));
                    }
                }
            }
        }
        out.push_back(std::move(v));
    }
    return true;
}

} // namespace scopeviz::testing
