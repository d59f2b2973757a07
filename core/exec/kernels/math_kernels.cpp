// Unary math, AddN, MatMul, reductions (Sum, Mean, Max, Prod) and ArgMax.
// (Binary elementwise ops with broadcasting live in cwise_kernels.cpp.)
//
// Reductions collapse the input into alternating kept/reduced runs of
// dimensions (size-1 dimensions dropped): one run (everything or nothing),
// [kept, reduced] (rowwise on a row-major matrix), [reduced, kept]
// (accumulate rows), [kept, reduced, kept] (the latter per outer index);
// anything else takes a generic strided loop. A reduction that folds nothing
// (no axes, or only size-1 ones: the gradient of a same-shape Add sums over
// no axes) hands its input on as TF does, without a copy; the Session knows
// from the kernel's traits that output 0 may be input 0's buffer.
//
// MatMul splits large products into column blocks of the output (or row blocks
// when the output is tall) on the Session's pool; each block is an independent
// single-threaded GEMM, through OpenBLAS above a measured size and Eigen below
// (gemm.h).
#include "core/exec/kernels/gemm.h"
#include "core/exec/kernels/kernel_util.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace scopeviz::exec::detail {
namespace {

// ---- unary -------------------------------------------------------------------------

struct NegF {
    template <class X>
    static auto apply(const X& x) { return -x; }
};
struct AbsF {
    template <class X>
    static auto apply(const X& x) { return x.abs(); }
};
struct SquareF {
    template <class X>
    static auto apply(const X& x) { return x.square(); }
};
struct SinF {
    template <class X>
    static auto apply(const X& x) { return x.sin(); }
};
struct CosF {
    template <class X>
    static auto apply(const X& x) { return x.cos(); }
};
struct FloorF {
    template <class X>
    static auto apply(const X& x) { return x.floor(); }
};
struct CeilF {
    template <class X>
    static auto apply(const X& x) { return x.ceil(); }
};
struct RoundF { // TF's Round: half to even (banker's rounding), as np.round
    template <class X>
    static auto apply(const X& x)
    {
        using T = typename X::Scalar;
        return x.unaryExpr([](T v) { return std::nearbyint(v); });
    }
};
struct ExpF {
    template <class X>
    static auto apply(const X& x) { return x.exp(); }
};
struct LogF {
    template <class X>
    static auto apply(const X& x) { return x.log(); }
};
struct SqrtF {
    template <class X>
    static auto apply(const X& x) { return x.sqrt(); }
};
struct RsqrtF {
    template <class X>
    static auto apply(const X& x) { return x.rsqrt(); }
};
struct ReciprocalF {
    template <class X>
    static auto apply(const X& x) { return x.inverse(); }
};

// ---- AddN ----------------------------------------------------------------------------

void addNKernel(KernelContext& c)
{
    const int n = c.numInputs();
    if (n == 0)
        c.fail("AddN needs at least one input");
    const Tensor& first = denseInput(c, 0);
    for (int i = 1; i < n; ++i) {
        const Tensor& t = denseInput(c, i);
        if (t.dtype() != first.dtype() || t.dims() != first.dims())
            c.fail(cat("Inputs to operation ", c.op().name(), " of type AddN must have the same size and shape.  Input 0: ",
                       dimsString(first.dims()), " != input ", i, ": ", dimsString(t.dims())));
    }
    visitReal(c, first.dtype(), [&](auto tag) {
        using T = decltype(tag);
        int taken = -1;
        for (int i = 0; i < n && taken < 0; ++i)
            if (c.canForwardInput(i))
                taken = i;
        Tensor& out = c.forwardInputOrAllocateOutput(taken < 0 ? 0 : taken, 0, first.dtype(), first.dims());
        const int64_t m = first.numElements();
        VecMap<T> o(out.data<T>(), m);
        const bool inPlace = taken >= 0 && out.sharesBufferWith(c.input(taken));
        if (!inPlace)
            o = CVecMap<T>(c.input(0).template data<T>(), m);
        for (int i = 0; i < n; ++i) {
            if (i == (inPlace ? taken : 0))
                continue;
            o += CVecMap<T>(c.input(i).template data<T>(), m);
        }
    });
}

// ---- MatMul ----------------------------------------------------------------------------

template <class T>
void gemm(KernelContext& c, const Tensor& a, const Tensor& b, bool ta, bool tb, Tensor& out)
{
    const int64_t m = out.dim(0), n = out.dim(1), k = ta ? a.dim(0) : a.dim(1);
    if (m == 0 || n == 0)
        return;
    const T* pa = a.data<T>();
    const T* pb = b.data<T>();
    T* pc = out.data<T>();
    const int64_t lda = a.dim(1), ldb = b.dim(1);
    // Split the output into independent blocks: by columns for wide outputs (each
    // thread packs only its part of B), by rows for tall ones. Each block is one
    // single-threaded GEMM (OpenBLAS or Eigen, gemm.h) on offset pointers.
    const bool byCols = n >= m;
    const int64_t units = byCols ? n : m;
    const double costPerUnit = 2.0 * double(k) * double(byCols ? m : n);
    parallelFor(c, units, costPerUnit, [&](int64_t lo, int64_t hi) {
        const int64_t len = hi - lo;
        if (byCols) // columns lo..hi of op(B): columns of B, or rows of B when transposed
            gemmBlock<T>(ta, tb, m, len, k, pa, lda, tb ? pb + lo * ldb : pb + lo, ldb, pc + lo, n);
        else // rows lo..hi of op(A): rows of A, or columns of A when transposed
            gemmBlock<T>(ta, tb, len, n, k, ta ? pa + lo : pa + lo * lda, lda, pb, ldb, pc + lo * n, n);
    });
}

void matMulKernel(KernelContext& c)
{
    const KernelCache& k = cachedAttrs(c, [&](KernelCache& n) {
        n.i[0] = attrBool(c, "transpose_a", false);
        n.i[1] = attrBool(c, "transpose_b", false);
    });
    const bool ta = k.i[0] != 0, tb = k.i[1] != 0;
    const Tensor& a = denseInput(c, 0);
    const Tensor& b = denseInput(c, 1);
    if (a.rank() != 2)
        c.fail(cat("In[0] is not a matrix. Instead it has shape ", dimsString(a.dims())));
    if (b.rank() != 2)
        c.fail(cat("In[1] is not a matrix. Instead it has shape ", dimsString(b.dims())));
    if (a.dtype() != b.dtype())
        c.fail(cat("MatMul inputs have different dtypes: ", dtypeTfName(a.dtype()), " and ", dtypeTfName(b.dtype())));
    const int64_t ka = ta ? a.dim(0) : a.dim(1), kb = tb ? b.dim(1) : b.dim(0);
    if (ka != kb)
        c.fail(cat("Matrix size-incompatible: In[0]: ", dimsString(a.dims()), ", In[1]: ", dimsString(b.dims())));
    const int64_t m = ta ? a.dim(1) : a.dim(0), n = tb ? b.dim(0) : b.dim(1);
    visitReal(c, a.dtype(), [&](auto tag) {
        using T = decltype(tag);
        Tensor& out = c.allocateOutput(0, a.dtype(), {m, n});
        gemm<T>(c, a, b, ta, tb, out);
    });
}

// ---- reductions ------------------------------------------------------------------------

enum class Red { Sum, Mean, Max, Prod };

template <class T, Red R>
struct Reducer {
    static T init()
    {
        if constexpr (R == Red::Max)
            return std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity()
                                                        : std::numeric_limits<T>::lowest();
        else if constexpr (R == Red::Prod)
            return T(1);
        else
            return T(0);
    }
    static T combine(T a, T b)
    {
        if constexpr (R == Red::Max)
            return (a > b || a != a) ? a : b; // NaN wins
        else if constexpr (R == Red::Prod)
            return a * b;
        else
            return a + b;
    }
    /// Reduces a contiguous run.
    template <class X>
    static T whole(const X& x)
    {
        if constexpr (R == Red::Max && std::is_floating_point_v<T>)
            return x.size() ? x.template maxCoeff<Eigen::PropagateNaN>() : init();
        else if constexpr (R == Red::Max)
            return x.size() ? x.maxCoeff() : init();
        else if constexpr (R == Red::Prod)
            return x.prod();
        else
            return x.sum();
    }
    /// acc op= x (vectors of the same length).
    template <class A, class X>
    static void accumulate(A&& acc, const X& x)
    {
        if constexpr (R == Red::Max) {
            if constexpr (std::is_floating_point_v<T>)
                acc = acc.binaryExpr(x, Eigen::internal::scalar_max_op<T, T, Eigen::PropagateNaN>());
            else
                acc = acc.max(x);
        } else if constexpr (R == Red::Prod) {
            acc *= x;
        } else {
            acc += x;
        }
    }
};

template <class T, Red R>
void reduceTyped(KernelContext& c, const Tensor& x, const std::vector<bool>& reduce, std::vector<int64_t> outDims)
{
    using Rd = Reducer<T, R>;
    int64_t count = 1; // elements folded into each output
    for (int i = 0; i < x.rank(); ++i)
        if (reduce[size_t(i)])
            count *= x.dim(i);
    Tensor& out = c.allocateOutput(0, x.dtype(), std::move(outDims));
    T* o = out.data<T>();
    const T* p = x.data<T>();
    const int64_t nOut = out.numElements();
    if (nOut == 0)
        return;
    if (x.numElements() == 0) {
        // Empty reductions give the identity (NaN for a float mean, as 0/0).
        T v = Rd::init();
        if constexpr (R == Red::Mean)
            v = std::numeric_limits<T>::has_quiet_NaN ? std::numeric_limits<T>::quiet_NaN() : T(0);
        std::fill_n(o, nOut, v);
        return;
    }
    // Collapse into alternating (size, reduced) runs, dropping size-1 dims.
    int64_t runs[kMaxRank * 4];
    bool red[kMaxRank * 4];
    int nr = 0;
    for (int i = 0; i < x.rank() && nr < kMaxRank * 4; ++i) {
        if (x.dim(i) == 1)
            continue;
        if (nr > 0 && red[nr - 1] == reduce[size_t(i)]) {
            runs[nr - 1] *= x.dim(i);
        } else {
            runs[nr] = x.dim(i);
            red[nr] = reduce[size_t(i)];
            ++nr;
        }
    }
    VecMap<T> ov(o, nOut);
    if (nr == 0 || (nr == 1 && !red[0])) {
        std::copy_n(p, nOut, o);
    } else if (nr == 1) {
        o[0] = Rd::whole(CVecMap<T>(p, runs[0]));
    } else if (nr == 2 && !red[0]) {
        const int64_t rows = runs[0], cols = runs[1];
        for (int64_t r = 0; r < rows; ++r)
            o[r] = Rd::whole(CVecMap<T>(p + r * cols, cols));
    } else if (nr <= 3 && red[0] == (nr == 2)) {
        // [reduced, kept] or [kept, reduced, kept]: accumulate rows of the kept tail.
        const int64_t outer = nr == 3 ? runs[0] : 1;
        const int64_t rows = nr == 3 ? runs[1] : runs[0], cols = nr == 3 ? runs[2] : runs[1];
        for (int64_t q = 0; q < outer; ++q) {
            VecMap<T> acc(o + q * cols, cols);
            const T* base = p + q * rows * cols;
            acc = CVecMap<T>(base, cols);
            for (int64_t r = 1; r < rows; ++r)
                Rd::accumulate(acc, CVecMap<T>(base + r * cols, cols));
        }
    } else {
        // Generic: walk the input in order; the output offset uses stride 0 on reduced runs.
        int64_t ostride[kMaxRank * 4];
        int64_t s = 1;
        for (int i = nr - 1; i >= 0; --i) {
            ostride[i] = red[i] ? 0 : s;
            if (!red[i])
                s *= runs[i];
        }
        std::fill_n(o, nOut, Rd::init());
        int64_t idx[kMaxRank * 4] = {};
        int64_t off = 0;
        const int64_t total = x.numElements();
        const int64_t inner = runs[nr - 1];
        const bool innerReduced = red[nr - 1];
        for (int64_t k = 0; k < total; k += inner) {
            if (innerReduced)
                o[off] = Rd::combine(o[off], Rd::whole(CVecMap<T>(p + k, inner)));
            else
                Rd::accumulate(ov.segment(off, inner), CVecMap<T>(p + k, inner));
            for (int d = nr - 2; d >= 0; --d) {
                off += ostride[d];
                if (++idx[d] < runs[d])
                    break;
                off -= ostride[d] * runs[d];
                idx[d] = 0;
            }
        }
    }
    if constexpr (R == Red::Mean)
        ov /= T(count);
}

template <Red R>
void reductionKernel(KernelContext& c)
{
    const bool keepDims = cachedAttr(c, [&] { return attrBool(c, "keep_dims", false); }) != 0;
    const Tensor& x = denseInput(c, 0);
    if (x.rank() > kMaxRank * 4)
        c.fail(cat("Reductions support at most ", kMaxRank * 4, " dimensions"));
    std::vector<int64_t> axes = indexValues(c, c.input(1), "reduction_indices");
    std::vector<bool> reduce(size_t(x.rank()), false);
    for (int64_t a : axes) {
        if (a < -x.rank() || a >= x.rank())
            c.fail(cat("Invalid reduction dimension (", a, " for input with ", x.rank(), " dimension(s)"));
        reduce[size_t(a < 0 ? a + x.rank() : a)] = true;
    }
    std::vector<int64_t> outDims;
    bool foldsNothing = true; // every reduced dimension has size 1
    for (int i = 0; i < x.rank(); ++i) {
        if (!reduce[size_t(i)])
            outDims.push_back(x.dim(i));
        else if (keepDims)
            outDims.push_back(1);
        foldsNothing = foldsNothing && (!reduce[size_t(i)] || x.dim(i) == 1);
    }
    visitReal(c, x.dtype(), [&](auto tag) {
        // Nothing to fold (no axes, as the gradient of a same-shape Add asks): the output is
        // the input, as in TensorFlow. A variable's buffer is never handed on.
        if (foldsNothing && !c.isRefInput(0))
            c.setOutput(0, x.dims() == outDims ? x : x.reshaped(std::move(outDims)));
        else
            reduceTyped<decltype(tag), R>(c, x, reduce, std::move(outDims));
    });
}

// ---- ArgMax ----------------------------------------------------------------------------

template <class T, class I>
void argMaxTyped(const Tensor& x, int axis, Tensor& out)
{
    int64_t outer = 1, inner = 1;
    for (int i = 0; i < axis; ++i)
        outer *= x.dim(i);
    for (int i = axis + 1; i < x.rank(); ++i)
        inner *= x.dim(i);
    const int64_t n = x.dim(axis);
    const T* p = x.data<T>();
    I* o = out.data<I>();
    for (int64_t q = 0; q < outer; ++q) {
        const T* base = p + q * n * inner;
        if (inner == 1) {
            int64_t best = 0;
            for (int64_t j = 1; j < n; ++j)
                if (base[j] > base[best])
                    best = j;
            o[q] = I(best);
            continue;
        }
        I* ob = o + q * inner;
        std::fill_n(ob, inner, I(0));
        for (int64_t j = 1; j < n; ++j)
            for (int64_t i = 0; i < inner; ++i)
                if (base[j * inner + i] > base[int64_t(ob[i]) * inner + i])
                    ob[i] = I(j);
    }
}

void argMaxKernel(KernelContext& c)
{
    const DType outType = DType(cachedAttr(c, [&] { return attrType(c, "output_type", DType::Int64); }));
    const Tensor& x = denseInput(c, 0);
    std::vector<int64_t> axisV = indexValues(c, c.input(1), "dimension");
    if (axisV.size() != 1)
        c.fail(cat("dimension must be a scalar, got ", axisV.size(), " values"));
    int64_t axis = axisV[0];
    if (axis < -x.rank() || axis >= x.rank())
        c.fail(cat("Expected dimension in the range [", -x.rank(), ", ", x.rank(), "), but got ", axis));
    if (axis < 0)
        axis += x.rank();
    if (x.dim(int(axis)) == 0)
        c.fail(cat("Reduction axis ", axis, " is empty in shape ", dimsString(x.dims())));
    std::vector<int64_t> outDims;
    for (int i = 0; i < x.rank(); ++i)
        if (i != axis)
            outDims.push_back(x.dim(i));
    visitIndex(c, outType, [&](auto itag) {
        using I = decltype(itag);
        Tensor& out = c.allocateOutput(0, outType, outDims);
        visitReal(c, x.dtype(), [&](auto tag) { argMaxTyped<decltype(tag), I>(x, int(axis), out); });
    });
}

} // namespace

void registerMathKernels(KernelRegistry& r)
{
    registerBinaryKernels(r);
    r.add("Exp", unaryKernel<ExpF, TypeSet::Float>, kFresh);
    r.add("Sin", unaryKernel<SinF, TypeSet::Float>, kFresh);
    r.add("Cos", unaryKernel<CosF, TypeSet::Float>, kFresh);
    r.add("Floor", unaryKernel<FloorF, TypeSet::Float>, kFresh);
    r.add("Ceil", unaryKernel<CeilF, TypeSet::Float>, kFresh);
    r.add("Round", unaryKernel<RoundF, TypeSet::Float>, kFresh);
    r.add("Log", unaryKernel<LogF, TypeSet::Float>, kFresh);
    r.add("Sqrt", unaryKernel<SqrtF, TypeSet::Float>, kFresh);
    r.add("Rsqrt", unaryKernel<RsqrtF, TypeSet::Float>, kFresh);
    r.add("Reciprocal", unaryKernel<ReciprocalF, TypeSet::Float>, kFresh);
    r.add("Square", unaryKernel<SquareF, TypeSet::Real>, kFresh);
    r.add("Neg", unaryKernel<NegF, TypeSet::Real>, kFresh);
    r.add("Abs", unaryKernel<AbsF, TypeSet::Real>, kFresh);
    r.add("AddN", addNKernel, kFresh);
    r.add("MatMul", matMulKernel, kFresh);
    // A reduction that folds nothing passes its input on (output 0 shares input 0's buffer).
    const KernelTraits reduction{.freshOutputs = true, .aliasesInput0 = true};
    r.add("Sum", reductionKernel<Red::Sum>, reduction);
    r.add("Mean", reductionKernel<Red::Mean>, reduction);
    r.add("Max", reductionKernel<Red::Max>, reduction);
    r.add("Prod", reductionKernel<Red::Prod>, reduction);
    r.add("ArgMax", argMaxKernel, kFresh);
}

} // namespace scopeviz::exec::detail
