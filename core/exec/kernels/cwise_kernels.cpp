// Elementwise binary ops with NumPy broadcasting: Add, AddV2, Sub, Mul,
// RealDiv, DivNoNan, Pow, Maximum, Minimum, SquaredDifference, Equal,
// NotEqual, Greater, LogicalAnd, LogicalOr; and LogicalNot.
//
// Broadcasting. Shapes are right-aligned and padded with 1s; each output
// dimension then either takes both operands along (stride = the operand's
// contiguous stride) or repeats one of them (stride 0). Adjacent dimensions
// with the same pattern are merged and size-1 dimensions dropped, so the
// common cases collapse to one or two dimensions: [N,C] + [C] becomes "N rows
// of C, b repeated per row", [N,C] + [N,1] becomes "N rows of C, b constant
// per row". The innermost merged dimension is then one vectorised Eigen
// expression (array with array, or array with a constant), and the outer ones
// are an odometer over the remaining indices. Same shapes and scalar operands
// skip all that and make one flat pass. When an operand has the output's
// shape and the Session lets it go, the result is written into its buffer.
#include "core/exec/kernels/kernel_util.h"

#include <algorithm>

namespace scopeviz::exec::detail {
namespace {

// ---- broadcasting layout ---------------------------------------------------------

struct Broadcast {
    std::vector<int64_t> outDims;
    int rank = 0;                 ///< collapsed rank (>= 1)
    int64_t dims[kMaxRank] = {};  ///< collapsed sizes
    int64_t strideA[kMaxRank] = {}, strideB[kMaxRank] = {};
    bool sameA = false, sameB = false; ///< operand already has the output's dims
};

/// Computes the broadcast of a and b; false with `error` set when incompatible.
bool makeBroadcast(const std::vector<int64_t>& a, const std::vector<int64_t>& b, Broadcast& L)
{
    const int r = int(std::max(a.size(), b.size()));
    L.outDims.assign(size_t(r), 1);
    // Per output dim: 0 = both vary, 1 = a repeated, 2 = b repeated; size-1 output dims are skipped.
    int64_t dims[kMaxRank * 4];
    int pattern[kMaxRank * 4];
    if (r > kMaxRank * 4)
        return false;
    int n = 0;
    for (int i = 0; i < r; ++i) {
        int ia = i - (r - int(a.size())), ib = i - (r - int(b.size()));
        int64_t da = ia >= 0 ? a[size_t(ia)] : 1, db = ib >= 0 ? b[size_t(ib)] : 1;
        int64_t d;
        int p;
        if (da == db) {
            d = da;
            p = 0;
        } else if (da == 1) {
            d = db;
            p = 1;
        } else if (db == 1) {
            d = da;
            p = 2;
        } else {
            return false;
        }
        L.outDims[size_t(i)] = d;
        if (d == 1)
            continue;
        if (n > 0 && pattern[n - 1] == p) {
            dims[n - 1] *= d;
        } else {
            dims[n] = d;
            pattern[n] = p;
            ++n;
        }
    }
    if (n > kMaxRank)
        return false;
    L.sameA = a == L.outDims;
    L.sameB = b == L.outDims;
    if (n == 0) { // every dim is 1 (or scalars)
        L.rank = 1;
        L.dims[0] = 1;
        L.strideA[0] = L.strideB[0] = 1;
        return true;
    }
    L.rank = n;
    int64_t sa = 1, sb = 1;
    for (int i = n - 1; i >= 0; --i) {
        L.dims[i] = dims[i];
        L.strideA[i] = pattern[i] == 1 ? 0 : sa;
        L.strideB[i] = pattern[i] == 2 ? 0 : sb;
        if (pattern[i] != 1)
            sa *= dims[i];
        if (pattern[i] != 2)
            sb *= dims[i];
    }
    return true;
}

/// out[i] = F(a[i], b[i]) over a broadcast layout.
template <class F, class T, class R>
void broadcastApply(const Broadcast& L, const T* a, const T* b, R* out)
{
    const int r = L.rank;
    const int64_t inner = L.dims[r - 1];
    const bool va = L.strideA[r - 1] != 0, vb = L.strideB[r - 1] != 0;
    int64_t total = 1;
    for (int i = 0; i < r; ++i)
        total *= L.dims[i];
    const int64_t outer = total / inner;
    int64_t idx[kMaxRank] = {};
    int64_t oa = 0, ob = 0;
    for (int64_t k = 0; k < outer; ++k) {
        VecMap<R> o(out + k * inner, inner);
        if (va && vb)
            o = F::apply(CVecMap<T>(a + oa, inner), CVecMap<T>(b + ob, inner));
        else if (va)
            o = F::apply(CVecMap<T>(a + oa, inner), ArrayX<T>::Constant(inner, b[ob]));
        else
            o = F::apply(ArrayX<T>::Constant(inner, a[oa]), CVecMap<T>(b + ob, inner));
        for (int d = r - 2; d >= 0; --d) {
            oa += L.strideA[d];
            ob += L.strideB[d];
            if (++idx[d] < L.dims[d])
                break;
            oa -= L.strideA[d] * L.dims[d];
            ob -= L.strideB[d] * L.dims[d];
            idx[d] = 0;
        }
    }
}

// ---- binary functors (expressions consumed in the same statement) ----------------

template <class X>
using ScalarOf = typename X::Scalar;

struct AddF {
    template <class X, class Y>
    static auto apply(const X& x, const Y& y) { return x + y; }
};
struct SubF {
    template <class X, class Y>
    static auto apply(const X& x, const Y& y) { return x - y; }
};
struct MulF {
    template <class X, class Y>
    static auto apply(const X& x, const Y& y) { return x * y; }
};
struct DivF {
    template <class X, class Y>
    static auto apply(const X& x, const Y& y) { return x / y; }
};
struct MaxF {
    template <class X, class Y>
    static auto apply(const X& x, const Y& y)
    {
        using T = ScalarOf<X>;
        if constexpr (std::is_floating_point_v<T>)
            return x.binaryExpr(y, Eigen::internal::scalar_max_op<T, T, Eigen::PropagateNaN>());
        else
            return x.max(y);
    }
};
struct MinF {
    template <class X, class Y>
    static auto apply(const X& x, const Y& y)
    {
        using T = ScalarOf<X>;
        if constexpr (std::is_floating_point_v<T>)
            return x.binaryExpr(y, Eigen::internal::scalar_min_op<T, T, Eigen::PropagateNaN>());
        else
            return x.min(y);
    }
};
struct SquaredDiffF {
    template <class X, class Y>
    static auto apply(const X& x, const Y& y) { return (x - y).square(); }
};
struct DivNoNanF { // TF's div_no_nan: 0 where y is 0, x / y elsewhere
    template <class X, class Y>
    static auto apply(const X& x, const Y& y)
    {
        using T = ScalarOf<X>;
        return x.binaryExpr(y, [](T a, T b) { return b == T(0) ? T(0) : a / b; });
    }
};
struct PowF {
    template <class X, class Y>
    static auto apply(const X& x, const Y& y)
    {
        using T = ScalarOf<X>;
        return x.binaryExpr(y, [](T a, T b) {
            if constexpr (std::is_integral_v<T>) { // exponentiation by squaring, as TF's integer Pow
                T r = 1;
                for (; b > 0; b /= 2, a *= a)
                    if (b % 2)
                        r *= a;
                return r;
            } else {
                return T(std::pow(a, b));
            }
        });
    }
};
struct NotEqualF {
    template <class X, class Y>
    static auto apply(const X& x, const Y& y) { return x != y; }
};
struct LogicalAndF {
    template <class X, class Y>
    static auto apply(const X& x, const Y& y)
    {
        using T = ScalarOf<X>;
        return x.binaryExpr(y, [](T a, T b) { return bool(a) && bool(b); });
    }
};
struct LogicalOrF {
    template <class X, class Y>
    static auto apply(const X& x, const Y& y)
    {
        using T = ScalarOf<X>;
        return x.binaryExpr(y, [](T a, T b) { return bool(a) || bool(b); });
    }
};
struct LogicalNotF {
    template <class X>
    static auto apply(const X& x)
    {
        using T = ScalarOf<X>;
        return x.unaryExpr([](T a) { return T(!a); });
    }
};
struct EqualF {
    template <class X, class Y>
    static auto apply(const X& x, const Y& y) { return x == y; }
};
struct GreaterF {
    template <class X, class Y>
    static auto apply(const X& x, const Y& y) { return x > y; }
};

template <class F, class T, class R>
void binaryTyped(KernelContext& c, const Tensor& a, const Tensor& b, DType outType)
{
    if (a.dims() == b.dims()) {
        // Same shape: one flat pass, in place when an input is ours to take.
        Tensor* outp;
        if constexpr (std::is_same_v<T, R>)
            outp = c.canForwardInput(0) ? &c.forwardInputOrAllocateOutput(0, 0, outType, a.dims())
                                        : &c.forwardInputOrAllocateOutput(1, 0, outType, a.dims());
        else
            outp = &c.allocateOutput(0, outType, a.dims());
        const int64_t n = a.numElements();
        VecMap<R>(outp->data<R>(), n) = F::apply(CVecMap<T>(a.data<T>(), n), CVecMap<T>(b.data<T>(), n));
        return;
    }
    if (b.numElements() == 1 && b.rank() <= a.rank()) {
        Tensor& out = std::is_same_v<T, R> ? c.forwardInputOrAllocateOutput(0, 0, outType, a.dims())
                                           : c.allocateOutput(0, outType, a.dims());
        const int64_t n = a.numElements();
        VecMap<R>(out.data<R>(), n) = F::apply(CVecMap<T>(a.data<T>(), n), ArrayX<T>::Constant(n, b.data<T>()[0]));
        return;
    }
    if (a.numElements() == 1 && a.rank() <= b.rank()) {
        Tensor& out = std::is_same_v<T, R> ? c.forwardInputOrAllocateOutput(1, 0, outType, b.dims())
                                           : c.allocateOutput(0, outType, b.dims());
        const int64_t n = b.numElements();
        VecMap<R>(out.data<R>(), n) = F::apply(ArrayX<T>::Constant(n, a.data<T>()[0]), CVecMap<T>(b.data<T>(), n));
        return;
    }
    if (a.rank() > kMaxRank * 4 || b.rank() > kMaxRank * 4)
        c.fail(cat("Broadcasting supports at most ", kMaxRank * 4, " dimensions"));
    Broadcast L;
    if (!makeBroadcast(a.dims(), b.dims(), L))
        c.fail(cat("Incompatible shapes: ", dimsString(a.dims()), " vs. ", dimsString(b.dims())));
    Tensor* outp;
    if (std::is_same_v<T, R> && L.sameA && c.canForwardInput(0))
        outp = &c.forwardInputOrAllocateOutput(0, 0, outType, L.outDims);
    else if (std::is_same_v<T, R> && L.sameB && c.canForwardInput(1))
        outp = &c.forwardInputOrAllocateOutput(1, 0, outType, L.outDims);
    else
        outp = &c.allocateOutput(0, outType, L.outDims);
    if (outp->numElements() == 0)
        return;
    broadcastApply<F, T, R>(L, a.data<T>(), b.data<T>(), outp->data<R>());
}

template <class F, TypeSet S, bool Compare = false>
void binaryKernel(KernelContext& c)
{
    visitBinary<S>(c, [&](auto tag, const Tensor& a, const Tensor& b) {
        using T = decltype(tag);
        if constexpr (Compare)
            binaryTyped<F, T, bool>(c, a, b, DType::Bool);
        else
            binaryTyped<F, T, T>(c, a, b, a.dtype());
    });
}

} // namespace

void registerBinaryKernels(KernelRegistry& r)
{
    r.add("Add", binaryKernel<AddF, TypeSet::Real>, kFresh);
    r.add("AddV2", binaryKernel<AddF, TypeSet::Real>, kFresh);
    r.add("Sub", binaryKernel<SubF, TypeSet::Real>, kFresh);
    r.add("Mul", binaryKernel<MulF, TypeSet::Real>, kFresh);
    r.add("RealDiv", binaryKernel<DivF, TypeSet::Float>, kFresh);
    r.add("DivNoNan", binaryKernel<DivNoNanF, TypeSet::Float>, kFresh);
    r.add("Pow", binaryKernel<PowF, TypeSet::Real>, kFresh);
    r.add("NotEqual", binaryKernel<NotEqualF, TypeSet::Dense, true>, kFresh);
    r.add("LogicalAnd", binaryKernel<LogicalAndF, TypeSet::Dense, true>, kFresh);
    r.add("LogicalOr", binaryKernel<LogicalOrF, TypeSet::Dense, true>, kFresh);
    r.add("LogicalNot", unaryKernel<LogicalNotF, TypeSet::Dense>, kFresh);
    r.add("Maximum", binaryKernel<MaxF, TypeSet::Real>, kFresh);
    r.add("Minimum", binaryKernel<MinF, TypeSet::Real>, kFresh);
    r.add("SquaredDifference", binaryKernel<SquaredDiffF, TypeSet::Real>, kFresh);
    r.add("Equal", binaryKernel<EqualF, TypeSet::Dense, true>, kFresh);
    r.add("Greater", binaryKernel<GreaterF, TypeSet::Numeric, true>, kFresh);
}

} // namespace scopeviz::exec::detail
