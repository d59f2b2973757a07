// The fused kernels that plan-time fusion gives to some steps (core/exec/fusion.cpp
// explains the patterns). They are not registered under any op type: the Session
// only reaches them through a FusionPlan. Each does the same arithmetic in the same
// order as the ops it stands for, in one pass instead of two.
#include "core/exec/fusion.h"
#include "core/exec/kernels/kernel_util.h"

#include <algorithm>
#include <cstring>

namespace scopeviz::exec::detail {
namespace {

// ---- relu(x + b) ----------------------------------------------------------------------

template <class T>
void biasReluRows(const T* x, const T* b, T* o, int64_t rows, int64_t n)
{
    for (int64_t r = 0; r < rows; ++r) {
        const T* xr = x + r * n;
        T* orow = o + r * n;
        for (int64_t j = 0; j < n; ++j) {
            const T v = xr[j] + b[j];
            orow[j] = v < T(0) ? T(0) : v; // NaN stays NaN, -0 stays -0: as Relu's max
        }
    }
}

void biasReluKernelFn(KernelContext& c)
{
    const Tensor& x = denseInput(c, 0);
    const Tensor& b = denseInput(c, 1);
    requireSameDtype(c, x, b);
    if (x.rank() != 2 || b.rank() != 1 || x.dim(1) != b.dim(0))
        c.fail(cat("Incompatible shapes: ", dimsString(x.dims()), " vs. ", dimsString(b.dims())));
    visitFloat(c, x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        Tensor& out = c.forwardInputOrAllocateOutput(0, 0, x.dtype(), x.dims());
        biasReluRows<T>(x.data<T>(), b.data<T>(), out.data<T>(), x.dim(0), x.dim(1));
    });
}

// ---- ReluGrad with the column sums of its result ----------------------------------------

void reluGradColumnSumKernelFn(KernelContext& c)
{
    visitBinary<TypeSet::Float>(c, [&](auto tag, const Tensor& g, const Tensor& f) {
        using T = decltype(tag);
        if (g.dims() != f.dims())
            c.fail(cat("Incompatible shapes: ", dimsString(g.dims()), " vs. ", dimsString(f.dims())));
        const bool sums = c.numOutputs() > 1 && c.outputRequired(1) && g.rank() == 2;
        const T* pg = g.data<T>();
        const T* pf = f.data<T>();
        Tensor& out = c.forwardInputOrAllocateOutput(0, 0, g.dtype(), g.dims());
        T* o = out.data<T>();
        if (!sums) {
            const int64_t n = g.numElements();
            for (int64_t i = 0; i < n; ++i)
                o[i] = pf[i] > T(0) ? pg[i] : T(0);
            return;
        }
        const int64_t rows = g.dim(0), n = g.dim(1);
        T* s = c.allocateOutput(1, g.dtype(), {n}).template data<T>();
        std::fill_n(s, n, T(0));
        // Row after row, as the Sum kernel accumulates rows: the same sums, bit for bit.
        for (int64_t r = 0; r < rows; ++r) {
            const int64_t off = r * n;
            for (int64_t j = 0; j < n; ++j) {
                const T v = pf[off + j] > T(0) ? pg[off + j] : T(0);
                o[off + j] = v;
                s[j] += v;
            }
        }
    });
}

// ---- the bias gradient from those sums ----------------------------------------------------

/// A copy of the column sums `s` of x as output 0 with `dims`, when they are valid.
bool takeSums(KernelContext& c, const Tensor& x, const Tensor& s, std::vector<int64_t> dims)
{
    if (!s.valid() || s.dtype() != x.dtype() || x.rank() != 2 || s.numElements() != x.dim(1))
        return false;
    Tensor& out = c.allocateOutput(0, x.dtype(), std::move(dims));
    std::memcpy(out.rawData(), s.rawData(), size_t(s.byteSize()));
    return true;
}

void sumFromColumnSumKernelFn(KernelContext& c)
{
    // The Sum kernel's own attr cache layout (i[0] = keep_dims), so the fallback can share it.
    const bool keepDims = cachedAttr(c, [&] { return attrBool(c, "keep_dims", false); }) != 0;
    const Tensor& x = denseInput(c, 0);
    const Tensor& axes = c.input(1);
    bool axis0 = false;
    if (x.rank() == 2 && axes.valid() && axes.numElements() == 1 &&
        (axes.dtype() == DType::Int32 || axes.dtype() == DType::Int64)) {
        const int64_t a = axes.dtype() == DType::Int32 ? axes.data<int32_t>()[0] : axes.data<int64_t>()[0];
        axis0 = a == 0 || a == -2;
    }
    if (axis0 && takeSums(c, x, c.input(2), keepDims ? std::vector<int64_t>{1, x.dim(1)} : std::vector<int64_t>{x.dim(1)}))
        return;
    static const KernelFn sum = KernelRegistry::global().find("Sum");
    sum(c);
}

void biasAddGradFromColumnSumKernelFn(KernelContext& c)
{
    cachedAttr(c, [&] { return isNchw(c); }); // BiasAddGrad's cache layout
    const Tensor& x = denseInput(c, 0);
    if (takeSums(c, x, c.input(1), {x.rank() == 2 ? x.dim(1) : 0}))
        return;
    static const KernelFn biasAddGrad = KernelRegistry::global().find("BiasAddGrad");
    biasAddGrad(c);
}

} // namespace

const KernelDef& biasReluKernel()
{
    static const KernelDef k{biasReluKernelFn, kFresh};
    return k;
}

const KernelDef& reluGradColumnSumKernel()
{
    static const KernelDef k{reluGradColumnSumKernelFn, kFresh};
    return k;
}

const KernelDef& sumFromColumnSumKernel()
{
    // As Sum: a reduction that folds nothing hands its input on (the fallback does).
    static const KernelDef k{sumFromColumnSumKernelFn, KernelTraits{.freshOutputs = true, .aliasesInput0 = true}};
    return k;
}

const KernelDef& biasAddGradFromColumnSumKernel()
{
    static const KernelDef k{biasAddGradFromColumnSumKernelFn, kFresh};
    return k;
}

} // namespace scopeviz::exec::detail
