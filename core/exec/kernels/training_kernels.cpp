// Kernels of the ops that gradients and optimizers create (registered in
// core/graph/op_defs_train.cpp): shape arithmetic for reduction gradients
// (BroadcastGradientArgs, Size, Range, DynamicStitch, FloorDiv, FloorMod,
// Tile, ExpandDims), the element-wise *Grad ops, BiasAddGrad, Select and
// comparisons, LogSoftmax, PreventGradient, and the variable updates
// ApplyGradientDescent, ApplyMomentum and ApplyAdam.
//
// The updates write the variable's buffer in place (mutableRefValue): the
// Session never hands a variable's buffer out, and TF's non-locking apply ops
// do the same. Each update is one fused Eigen expression per slot, so a step
// reads the gradient once and touches each variable once.
//
// The element-wise kernels take over the incoming gradient's buffer when the
// Session allows it (forwardInputOrAllocateOutput); BiasAddGrad accumulates
// rows (contiguous, vectorised) instead of striding down columns.
#include "core/exec/kernels/kernel_util.h"

#include "core/util/error.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace scopeviz::exec::detail {
namespace {

// ---- small broadcasting helper (index-sized tensors and masks) --------------------

/// Output dims of a NumPy broadcast; fails with TF's "Incompatible shapes" text.
std::vector<int64_t> broadcastDims(const KernelContext& c, const std::vector<int64_t>& a, const std::vector<int64_t>& b)
{
    const size_t r = std::max(a.size(), b.size());
    std::vector<int64_t> out(r, 1);
    for (size_t i = 0; i < r; ++i) {
        const int64_t da = i + a.size() >= r ? a[i + a.size() - r] : 1;
        const int64_t db = i + b.size() >= r ? b[i + b.size() - r] : 1;
        if (da != db && da != 1 && db != 1)
            c.fail(cat("Incompatible shapes: ", dimsString(a), " vs. ", dimsString(b)));
        out[i] = da == 1 ? db : da;
    }
    return out;
}

/// Element strides of `dims` seen through a broadcast to `out` (0 on broadcast dims).
std::vector<int64_t> broadcastStrides(const std::vector<int64_t>& dims, const std::vector<int64_t>& out)
{
    std::vector<int64_t> s(out.size(), 0);
    int64_t stride = 1;
    for (size_t k = 0; k < dims.size(); ++k) {
        const size_t i = dims.size() - 1 - k, o = out.size() - 1 - k;
        s[o] = dims[i] == 1 ? 0 : stride;
        stride *= dims[i];
    }
    return s;
}

/// out[i] = f(a[ia], b[ib]) for every output element, with broadcasting.
template <class T, class R, class F>
void broadcastBinary(KernelContext& c, const Tensor& a, const Tensor& b, DType outType, F f)
{
    const std::vector<int64_t> dims = broadcastDims(c, a.dims(), b.dims());
    Tensor& out = c.allocateOutput(0, outType, dims);
    const int64_t n = out.numElements();
    R* o = out.data<R>();
    const T* pa = a.data<T>();
    const T* pb = b.data<T>();
    if (a.dims() == b.dims()) {
        for (int64_t i = 0; i < n; ++i)
            o[i] = f(pa[i], pb[i]);
        return;
    }
    if (b.numElements() == 1) {
        for (int64_t i = 0; i < n; ++i)
            o[i] = f(pa[i], pb[0]);
        return;
    }
    if (a.numElements() == 1) {
        for (int64_t i = 0; i < n; ++i)
            o[i] = f(pa[0], pb[i]);
        return;
    }
    const std::vector<int64_t> sa = broadcastStrides(a.dims(), dims), sb = broadcastStrides(b.dims(), dims);
    std::vector<int64_t> idx(dims.size(), 0);
    int64_t ia = 0, ib = 0;
    for (int64_t i = 0; i < n; ++i) {
        o[i] = f(pa[ia], pb[ib]);
        for (size_t d = dims.size(); d-- > 0;) {
            ia += sa[d];
            ib += sb[d];
            if (++idx[d] < dims[d])
                break;
            ia -= sa[d] * dims[d];
            ib -= sb[d] * dims[d];
            idx[d] = 0;
        }
    }
}

// ---- BroadcastGradientArgs -----------------------------------------------------------

/// TF's BCast reduction indices: for each (right-aligned) dim, the side that is 1
/// while the other is not gets the index; dims where both are 1 go to both;
/// identical shapes give no indices at all.
void broadcastGradientArgsKernel(KernelContext& c)
{
    const Tensor& s0 = c.input(0);
    const Tensor& s1 = c.input(1);
    requireSameDtype(c, s0, s1);
    const std::vector<int64_t> x = dimsFromTensor(c, s0, "s0"), y = dimsFromTensor(c, s1, "s1");
    std::vector<int64_t> rx, ry;
    if (x != y) {
        const size_t n = std::max(x.size(), y.size());
        for (size_t i = 0; i < n; ++i) {
            const int64_t xi = i + x.size() >= n ? x[i + x.size() - n] : 1;
            const int64_t yi = i + y.size() >= n ? y[i + y.size() - n] : 1;
            if (xi == yi) {
                if (xi == 1) {
                    rx.push_back(int64_t(i));
                    ry.push_back(int64_t(i));
                }
            } else if (xi == 1) {
                rx.push_back(int64_t(i));
            } else if (yi == 1) {
                ry.push_back(int64_t(i));
            } else {
                c.fail(cat("Incompatible shapes: ", dimsString(x), " vs. ", dimsString(y)));
            }
        }
    }
    visitIndex(c, s0.dtype(), [&](auto tag) {
        using I = decltype(tag);
        Tensor& o0 = c.allocateOutput(0, s0.dtype(), {int64_t(rx.size())});
        std::copy(rx.begin(), rx.end(), o0.data<I>());
        Tensor& o1 = c.allocateOutput(1, s0.dtype(), {int64_t(ry.size())});
        std::copy(ry.begin(), ry.end(), o1.data<I>());
    });
}

// ---- element-wise gradients of activations -----------------------------------------

struct ReluGradF {
    template <class G, class X>
    static auto apply(const G& g, const X& x)
    {
        using T = typename G::Scalar;
        return (x > T(0)).select(g, T(0));
    }
};
struct SigmoidGradF {
    template <class Y, class D>
    static auto apply(const Y& y, const D& dy)
    {
        using T = typename Y::Scalar;
        return dy * y * (T(1) - y);
    }
};
struct TanhGradF {
    template <class Y, class D>
    static auto apply(const Y& y, const D& dy)
    {
        using T = typename Y::Scalar;
        return dy * (T(1) - y.square());
    }
};
struct SqrtGradF {
    template <class Y, class D>
    static auto apply(const Y& y, const D& dy)
    {
        using T = typename Y::Scalar;
        return dy * T(0.5) / y;
    }
};
struct RsqrtGradF {
    template <class Y, class D>
    static auto apply(const Y& y, const D& dy)
    {
        using T = typename Y::Scalar;
        return dy * T(-0.5) * y.cube();
    }
};
struct ReciprocalGradF {
    template <class Y, class D>
    static auto apply(const Y& y, const D& dy) { return -dy * y.square(); }
};

/// out = F(in0, in1), both of one shape; the output reuses the buffer of input
/// `reuse` (the incoming gradient) when the Session allows it.
template <class F, int Reuse>
void gradPairKernel(KernelContext& c)
{
    visitBinary<TypeSet::Float>(c, [&](auto tag, const Tensor& a, const Tensor& b) {
        using T = decltype(tag);
        if (a.dims() != b.dims())
            c.fail(cat("Incompatible shapes: ", dimsString(a.dims()), " vs. ", dimsString(b.dims())));
        const int64_t n = a.numElements();
        Tensor& out = c.forwardInputOrAllocateOutput(Reuse, 0, a.dtype(), a.dims());
        // Maps are made before writing: when `out` is an input's buffer, each element
        // is read before it is overwritten (same index).
        CVecMap<T> x(a.data<T>(), n), y(b.data<T>(), n);
        VecMap<T> o(out.data<T>(), n);
        o = F::apply(x, y);
    });
}

// ---- BiasAddGrad ---------------------------------------------------------------------

void biasAddGradKernel(KernelContext& c)
{
    const bool nchw = cachedAttr(c, [&] { return isNchw(c); }) != 0;
    const Tensor& g = denseInput(c, 0);
    if (g.rank() < 2)
        c.fail(cat("Input tensor must be at least 2D: ", dimsString(g.dims())));
    const int64_t channels = nchw ? g.dim(1) : g.dim(g.rank() - 1);
    // View the gradient as [outer, channels, inner]: NHWC has inner = 1.
    int64_t outer = 1, inner = 1;
    if (nchw) {
        outer = g.dim(0);
        for (int i = 2; i < g.rank(); ++i)
            inner *= g.dim(i);
    } else {
        for (int i = 0; i < g.rank() - 1; ++i)
            outer *= g.dim(i);
    }
    visitFloat(c, g.dtype(), [&](auto tag) {
        using T = decltype(tag);
        Tensor& out = c.allocateOutput(0, g.dtype(), {channels});
        VecMap<T> acc(out.data<T>(), channels);
        acc.setZero();
        const T* p = g.data<T>();
        if (inner == 1) {
            // Accumulate whole rows: contiguous and vectorised. Four rows per pass
            // keep the accumulator in registers/L1 for wide layers.
            int64_t r = 0;
            for (; r + 4 <= outer; r += 4)
                acc += CVecMap<T>(p + r * channels, channels) + CVecMap<T>(p + (r + 1) * channels, channels) +
                       CVecMap<T>(p + (r + 2) * channels, channels) + CVecMap<T>(p + (r + 3) * channels, channels);
            for (; r < outer; ++r)
                acc += CVecMap<T>(p + r * channels, channels);
        } else {
            for (int64_t o = 0; o < outer; ++o)
                for (int64_t ch = 0; ch < channels; ++ch)
                    acc[ch] += CVecMap<T>(p + (o * channels + ch) * inner, inner).sum();
        }
    });
}

// ---- Tile, ExpandDims, Size, Range, DynamicStitch -------------------------------------

void tileKernel(KernelContext& c)
{
    const Tensor& x = c.input(0);
    if (!x.valid() || x.dtype() == DType::String)
        c.fail("Tile needs a dense input");
    const std::vector<int64_t> m = indexValues(c, c.input(1), "multiples");
    if (c.input(1).rank() != 1 || int64_t(m.size()) != x.rank())
        c.fail(cat("Expected multiples argument to be a vector of length ", x.rank(), " but got length ", m.size()));
    std::vector<int64_t> outDims(m.size());
    for (size_t i = 0; i < m.size(); ++i) {
        if (m[i] < 0)
            c.fail(cat("Expected multiples[", i, "] >= 0, but got ", m[i]));
        outDims[i] = x.dim(int(i)) * m[i];
    }
    const size_t es = size_t(dtypeSize(x.dtype()));
    Tensor& out = c.allocateOutput(0, x.dtype(), outDims);
    if (out.numElements() == 0)
        return;
    const char* src = static_cast<const char*>(x.rawData());
    char* dst = static_cast<char*>(out.rawData());
    if (x.rank() == 0) {
        std::memcpy(dst, src, es);
        return;
    }
    if (x.numElements() == 1) { // a broadcast of one value (the common reduce-all gradient)
        for (int64_t i = 0; i < out.numElements(); ++i)
            std::memcpy(dst + size_t(i) * es, src, es);
        return;
    }
    // Odometer over the output's outer dims; each innermost output row is the
    // matching input row repeated m[last] times.
    const int r = x.rank();
    const int64_t inRow = x.dim(r - 1), reps = m[size_t(r - 1)];
    std::vector<int64_t> inStride(size_t(r), 1);
    for (int i = r - 2; i >= 0; --i)
        inStride[size_t(i)] = inStride[size_t(i) + 1] * x.dim(i + 1);
    const int64_t rows = out.numElements() / outDims[size_t(r - 1)];
    std::vector<int64_t> idx(size_t(r), 0);
    for (int64_t row = 0; row < rows; ++row) {
        int64_t inOff = 0;
        for (int i = 0; i < r - 1; ++i)
            inOff += (idx[size_t(i)] % x.dim(i)) * inStride[size_t(i)];
        for (int64_t k = 0; k < reps; ++k)
            std::memcpy(dst + size_t((row * reps + k) * inRow) * es, src + size_t(inOff) * es, size_t(inRow) * es);
        for (int i = r - 2; i >= 0; --i) {
            if (++idx[size_t(i)] < outDims[size_t(i)])
                break;
            idx[size_t(i)] = 0;
        }
    }
}

void expandDimsKernel(KernelContext& c)
{
    const Tensor& x = c.input(0);
    const std::vector<int64_t> d = indexValues(c, c.input(1), "dim");
    if (d.size() != 1)
        c.fail(cat("'dim' must be a tensor with a single value"));
    int64_t a = d[0];
    const int r = x.rank();
    if (a < -1 - r || a > r)
        c.fail(cat("Tried to expand dim index ", a, " for tensor with ", r, " dimensions."));
    if (a < 0)
        a += r + 1;
    std::vector<int64_t> dims = x.dims();
    dims.insert(dims.begin() + a, 1);
    c.setOutput(0, x.reshaped(std::move(dims)));
}

void sizeKernel(KernelContext& c)
{
    const Tensor& x = c.input(0);
    const DType out = attrType(c, "out_type", DType::Int32);
    visitIndex(c, out, [&](auto tag) {
        using I = decltype(tag);
        c.allocateOutput(0, out, {}).template data<I>()[0] = I(x.numElements());
    });
}

void rangeKernel(KernelContext& c)
{
    const Tensor& s = c.input(0);
    const Tensor& l = c.input(1);
    const Tensor& d = c.input(2);
    for (const Tensor* t : {&s, &l, &d})
        if (t->rank() != 0)
            c.fail(cat("start, limit and delta must be scalars, got ", dimsString(t->dims())));
    visitReal(c, s.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T start = s.data<T>()[0], limit = l.data<T>()[0], delta = d.data<T>()[0];
        if (delta == 0)
            c.fail(cat("Requires delta != 0: ", delta));
        if (delta > 0 && start > limit)
            c.fail(cat("Requires start <= limit when delta > 0: ", start, "/", limit));
        if (delta < 0 && start < limit)
            c.fail(cat("Requires start >= limit when delta < 0: ", start, "/", limit));
        int64_t n;
        if constexpr (std::is_integral_v<T>)
            n = (std::abs(int64_t(limit) - int64_t(start)) + std::abs(int64_t(delta)) - 1) / std::abs(int64_t(delta));
        else
            n = int64_t(std::ceil(std::abs(double(limit - start) / double(delta))));
        Tensor& out = c.allocateOutput(0, s.dtype(), {n});
        T v = start;
        for (int64_t i = 0; i < n; ++i, v += delta)
            out.data<T>()[i] = v;
    });
}

void dynamicStitchKernel(KernelContext& c)
{
    const int n = c.numInputs() / 2;
    if (n == 0 || c.numInputs() % 2)
        c.fail("DynamicStitch needs N index tensors and N data tensors");
    const Tensor& d0 = c.input(n);
    const Tensor& i0 = c.input(0);
    // Each data[i] has shape indices[i].shape + trailing; rows are `rowElems` long.
    std::vector<int64_t> trailing(d0.dims().begin() + std::min<int64_t>(i0.rank(), d0.rank()), d0.dims().end());
    int64_t rowElems = 1;
    for (int64_t t : trailing)
        rowElems *= t;
    int64_t maxIndex = -1;
    for (int i = 0; i < n; ++i) {
        const Tensor& idx = c.input(i);
        const Tensor& data = c.input(n + i);
        if (idx.dtype() != DType::Int32)
            c.fail(cat("indices[", i, "] must be int32, got ", dtypeTfName(idx.dtype())));
        if (data.dtype() != d0.dtype())
            c.fail(cat("data[", i, "] has dtype ", dtypeTfName(data.dtype()), ", expected ", dtypeTfName(d0.dtype())));
        bool prefix = data.rank() >= idx.rank() && std::equal(idx.dims().begin(), idx.dims().end(), data.dims().begin());
        std::vector<int64_t> tail(data.dims().begin() + std::min(idx.rank(), data.rank()), data.dims().end());
        if (!prefix || tail != trailing)
            c.fail(cat("data[", i, "].shape = ", dimsString(data.dims()), " does not start with indices[", i,
                       "].shape = ", dimsString(idx.dims())));
        for (int64_t k = 0; k < idx.numElements(); ++k) {
            const int32_t v = idx.data<int32_t>()[k];
            if (v < 0)
                c.fail(cat("indices[", i, "] has a negative index: ", v));
            maxIndex = std::max<int64_t>(maxIndex, v);
        }
    }
    std::vector<int64_t> outDims{maxIndex + 1};
    outDims.insert(outDims.end(), trailing.begin(), trailing.end());
    const size_t es = size_t(dtypeSize(d0.dtype()));
    if (es == 0)
        c.fail("DynamicStitch needs dense data");
    Tensor& out = c.allocateOutput(0, d0.dtype(), outDims);
    std::memset(out.rawData(), 0, size_t(out.numElements()) * es);
    char* dst = static_cast<char*>(out.rawData());
    const size_t rowBytes = size_t(rowElems) * es;
    for (int i = 0; i < n; ++i) {
        const Tensor& idx = c.input(i);
        const char* src = static_cast<const char*>(c.input(n + i).rawData());
        for (int64_t k = 0; k < idx.numElements(); ++k)
            std::memcpy(dst + size_t(idx.data<int32_t>()[k]) * rowBytes, src + size_t(k) * rowBytes, rowBytes);
    }
}

// ---- FloorDiv, FloorMod, comparisons, Select, Sign ---------------------------------------

template <class T>
T floorDiv(T a, T b)
{
    if constexpr (std::is_integral_v<T>) {
        T q = a / b, r = a % b;
        return (r != 0 && ((r < 0) != (b < 0))) ? q - 1 : q;
    } else {
        return std::floor(a / b);
    }
}

template <class T>
T floorMod(T a, T b)
{
    if constexpr (std::is_integral_v<T>) {
        T r = a % b;
        return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
    } else {
        T r = std::fmod(a, b);
        return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
    }
}

// Broadcasting ops on scalars: out = Op::apply(a, b) (Op::kDivides: integer division by zero fails).
struct FloorDivOp {
    static constexpr bool kDivides = true;
    template <class T>
    static T apply(T a, T b) { return floorDiv(a, b); }
};
struct FloorModOp {
    static constexpr bool kDivides = true;
    template <class T>
    static T apply(T a, T b) { return floorMod(a, b); }
};
struct GreaterEqualOp {
    static constexpr bool kDivides = false;
    template <class T>
    static bool apply(T a, T b) { return a >= b; }
};
struct LessOp {
    static constexpr bool kDivides = false;
    template <class T>
    static bool apply(T a, T b) { return a < b; }
};
struct LessEqualOp {
    static constexpr bool kDivides = false;
    template <class T>
    static bool apply(T a, T b) { return a <= b; }
};

template <class Op, TypeSet S>
void scalarBinaryKernel(KernelContext& c)
{
    visitBinary<S>(c, [&](auto tag, const Tensor& a, const Tensor& b) {
        using T = decltype(tag);
        using R = decltype(Op::apply(T{}, T{}));
        if constexpr (Op::kDivides && std::is_integral_v<T>) {
            for (int64_t i = 0; i < b.numElements(); ++i)
                if (b.data<T>()[i] == 0)
                    c.fail("Integer division by zero");
        }
        broadcastBinary<T, R>(c, a, b, std::is_same_v<R, bool> ? DType::Bool : a.dtype(),
                              [](T x, T y) { return Op::apply(x, y); });
    });
}

void selectKernel(KernelContext& c)
{
    const Tensor& cond = c.input(0);
    const Tensor& t = denseInput(c, 1);
    const Tensor& e = denseInput(c, 2);
    if (cond.dtype() != DType::Bool)
        c.fail(cat("condition must be bool, got ", dtypeTfName(cond.dtype())));
    requireSameDtype(c, t, e);
    if (t.dims() != e.dims())
        c.fail(cat("'then' and 'else' must have the same size.  but received: ", dimsString(t.dims()), " vs. ",
                   dimsString(e.dims())));
    const bool same = cond.dims() == t.dims();
    const bool scalar = cond.rank() == 0;
    const bool rows = cond.rank() == 1 && t.rank() >= 1 && cond.dim(0) == t.dim(0);
    if (!same && !scalar && !rows)
        c.fail(cat("'then' and 'condition' must have the same size, or 'condition' must be a scalar or a vector of "
                   "the first dimension of 'then'. but received: ",
                   dimsString(cond.dims()), " vs. ", dimsString(t.dims())));
    visitDense(c, t.dtype(), [&](auto tag) {
        using T = decltype(tag);
        Tensor& out = c.allocateOutput(0, t.dtype(), t.dims());
        const int64_t n = t.numElements();
        const bool* p = cond.data<bool>();
        const T* pt = t.data<T>();
        const T* pe = e.data<T>();
        T* o = out.data<T>();
        if (same) {
            for (int64_t i = 0; i < n; ++i)
                o[i] = p[i] ? pt[i] : pe[i];
        } else if (scalar) {
            std::copy_n(p[0] ? pt : pe, n, o);
        } else {
            const int64_t row = t.dim(0) ? n / t.dim(0) : 0;
            for (int64_t r = 0; r < t.dim(0); ++r)
                std::copy_n((p[r] ? pt : pe) + r * row, row, o + r * row);
        }
    });
}

struct SignF {
    template <class X>
    static auto apply(const X& x)
    {
        using T = typename X::Scalar;
        return x.unaryExpr([](T v) { return T((v > T(0)) - (v < T(0))); });
    }
};

// ---- LogSoftmax, PreventGradient -------------------------------------------------------

void logSoftmaxKernel(KernelContext& c)
{
    const Tensor& x = denseInput(c, 0);
    if (x.rank() < 1)
        c.fail(cat("logits must have >= 1 dimension, got ", dimsString(x.dims())));
    visitFloat(c, x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const int64_t cols = x.dim(x.rank() - 1);
        const int64_t rows = cols ? x.numElements() / cols : 0;
        // Not in place: the input is read again after exp(x - max) is written.
        Tensor& out = c.allocateOutput(0, x.dtype(), x.dims());
        if (rows == 0)
            return;
        CRowArrayMap<T> z(x.data<T>(), rows, cols);
        RowArrayMap<T> o(out.data<T>(), rows, cols);
        ArrayX<T> maxes;
        const ArrayX<T> logSums = expMinusRowMax(z, o, maxes).log();
        o = (z.colwise() - maxes).colwise() - logSums;
    });
}

void passThroughKernel(KernelContext& c) { c.setOutput(0, c.input(0)); }

// ---- variable updates --------------------------------------------------------------------

void requireScalar(const KernelContext& c, const Tensor& t, const char* what)
{
    if (t.rank() != 0)
        c.fail(cat(what, " is not a scalar: ", dimsString(t.dims())));
}

void requireSameShape(const KernelContext& c, const Tensor& var, const Tensor& t, const char* what)
{
    if (var.dims() != t.dims())
        c.fail(cat("var and ", what, " do not have the same shape", dimsString(var.dims()), " ",
                   dimsString(t.dims())));
}

/// Runs an element-wise update over [0, n) in contiguous blocks on the pool when large.
template <class F>
void updateBlocks(KernelContext& c, int64_t n, double flopsPerElement, F&& f)
{
    parallelFor(c, n, flopsPerElement, [&](int64_t lo, int64_t hi) { f(lo, hi - lo); });
}

void applyGradientDescentKernel(KernelContext& c)
{
    Tensor& var = c.mutableRefValue(0);
    const Tensor& alpha = c.input(1);
    const Tensor& delta = c.input(2);
    requireScalar(c, alpha, "alpha");
    requireSameShape(c, var, delta, "delta");
    if (alpha.dtype() != var.dtype() || delta.dtype() != var.dtype())
        c.fail(cat("ApplyGradientDescent expects dtype ", dtypeTfName(var.dtype()), " for alpha and delta"));
    visitFloat(c, var.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T a = alpha.data<T>()[0];
        T* v = var.data<T>();
        const T* d = delta.data<T>();
        updateBlocks(c, var.numElements(), 2, [&](int64_t lo, int64_t len) {
            VecMap<T>(v + lo, len) -= a * CVecMap<T>(d + lo, len);
        });
    });
    c.setRefOutput(0, c.refInput(0));
}

void applyMomentumKernel(KernelContext& c)
{
    Tensor& var = c.mutableRefValue(0);
    Tensor& accum = c.mutableRefValue(1);
    const Tensor& lr = c.input(2);
    const Tensor& grad = c.input(3);
    const Tensor& momentum = c.input(4);
    requireSameShape(c, var, accum, "accum");
    requireScalar(c, lr, "lr");
    requireSameShape(c, var, grad, "grad");
    requireScalar(c, momentum, "momentum");
    const bool nesterov = cachedAttr(c, [&] { return attrBool(c, "use_nesterov", false); }) != 0;
    visitFloat(c, var.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T l = lr.data<T>()[0], m = momentum.data<T>()[0];
        T* v = var.data<T>();
        T* a = accum.data<T>();
        const T* g = grad.data<T>();
        updateBlocks(c, var.numElements(), 5, [&](int64_t lo, int64_t len) {
            VecMap<T> av(a + lo, len), vv(v + lo, len);
            CVecMap<T> gv(g + lo, len);
            av = av * m + gv;
            if (nesterov)
                vv -= gv * l + av * m * l;
            else
                vv -= l * av;
        });
    });
    c.setRefOutput(0, c.refInput(0));
}

void applyAdamKernel(KernelContext& c)
{
    Tensor& var = c.mutableRefValue(0);
    Tensor& m = c.mutableRefValue(1);
    Tensor& v = c.mutableRefValue(2);
    const char* scalarNames[] = {"beta1_power", "beta2_power", "lr", "beta1", "beta2", "epsilon"};
    for (int i = 3; i <= 8; ++i)
        requireScalar(c, c.input(i), scalarNames[i - 3]);
    const Tensor& grad = c.input(9);
    requireSameShape(c, var, m, "m");
    requireSameShape(c, var, v, "v");
    requireSameShape(c, var, grad, "grad");
    const bool nesterov = cachedAttr(c, [&] { return attrBool(c, "use_nesterov", false); }) != 0;
    visitFloat(c, var.dtype(), [&](auto tag) {
        using T = decltype(tag);
        auto s = [&](int i) { return c.input(i).template data<T>()[0]; };
        const T b1p = s(3), b2p = s(4), lr = s(5), b1 = s(6), b2 = s(7), eps = s(8);
        const T lrT = lr * std::sqrt(T(1) - b2p) / (T(1) - b1p);
        T* pv = var.data<T>();
        T* pm = m.data<T>();
        T* ps = v.data<T>();
        const T* pg = grad.data<T>();
        updateBlocks(c, var.numElements(), 12, [&](int64_t lo, int64_t len) {
            VecMap<T> mv(pm + lo, len), vv(ps + lo, len), w(pv + lo, len);
            CVecMap<T> g(pg + lo, len);
            mv += (g - mv) * (T(1) - b1);
            vv += (g.square() - vv) * (T(1) - b2);
            if (nesterov)
                w -= ((g * (T(1) - b1) + b1 * mv) * lrT) / (vv.sqrt() + eps);
            else
                w -= (mv * lrT) / (vv.sqrt() + eps);
        });
    });
    c.setRefOutput(0, c.refInput(0));
}

} // namespace

void registerTrainingKernels(KernelRegistry& r)
{
    r.add("BroadcastGradientArgs", broadcastGradientArgsKernel, kFresh);
    r.add("ReluGrad", gradPairKernel<ReluGradF, 0>, kFresh);
    r.add("SigmoidGrad", gradPairKernel<SigmoidGradF, 1>, kFresh);
    r.add("TanhGrad", gradPairKernel<TanhGradF, 1>, kFresh);
    r.add("SqrtGrad", gradPairKernel<SqrtGradF, 1>, kFresh);
    r.add("RsqrtGrad", gradPairKernel<RsqrtGradF, 1>, kFresh);
    r.add("ReciprocalGrad", gradPairKernel<ReciprocalGradF, 1>, kFresh);
    r.add("BiasAddGrad", biasAddGradKernel, kFresh);
    r.add("Tile", tileKernel, kFresh);
    r.add("ExpandDims", expandDimsKernel, kAlias);
    r.add("Size", sizeKernel, kFresh);
    r.add("Range", rangeKernel, kFresh);
    r.add("DynamicStitch", dynamicStitchKernel, kFresh);
    r.add("FloorDiv", scalarBinaryKernel<FloorDivOp, TypeSet::Real>, kFresh);
    r.add("FloorMod", scalarBinaryKernel<FloorModOp, TypeSet::Real>, kFresh);
    r.add("GreaterEqual", scalarBinaryKernel<GreaterEqualOp, TypeSet::Numeric>, kFresh);
    r.add("Less", scalarBinaryKernel<LessOp, TypeSet::Numeric>, kFresh);
    r.add("LessEqual", scalarBinaryKernel<LessEqualOp, TypeSet::Numeric>, kFresh);
    r.add("Select", selectKernel, kFresh);
    r.add("Sign", unaryKernel<SignF, TypeSet::Real>, kFresh);
    r.add("LogSoftmax", logSoftmaxKernel, kFresh);
    r.add("PreventGradient", passThroughKernel, kAlias);
    // The updates only read their non-ref inputs (the gradient's buffer stays private).
    r.add("ApplyGradientDescent", applyGradientDescentKernel, kFresh);
    r.add("ApplyMomentum", applyMomentumKernel, kFresh);
    r.add("ApplyAdam", applyAdamKernel, kFresh);
}

} // namespace scopeviz::exec::detail
