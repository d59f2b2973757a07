// Neural-network kernels: BiasAdd, Relu, Sigmoid, Tanh, Softmax and the two
// softmax cross-entropy losses.
//
// Softmax and the losses are computed row by row over the last dimension in
// the numerically stable form: subtract the row maximum before exp, so large
// logits never overflow; log-sum-exp = max + log(sum(exp(x - max))).
#include "core/exec/kernels/kernel_util.h"

#include <algorithm>
#include <cmath>

namespace scopeviz::exec::detail {
namespace {

template <class T>
using RowVecMap = Eigen::Map<const Eigen::Array<T, 1, Eigen::Dynamic>>;

void biasAddKernel(KernelContext& c)
{
    const bool nchwAttr = cachedAttr(c, [&] { return isNchw(c); }) != 0;
    const Tensor& x = denseInput(c, 0);
    const Tensor& b = denseInput(c, 1);
    if (x.rank() < 2)
        c.fail(cat("Input tensor must be at least 2D: ", dimsString(x.dims())));
    if (b.rank() != 1)
        c.fail(cat("Biases must be 1D: ", dimsString(b.dims())));
    if (x.dtype() != b.dtype())
        c.fail(cat("BiasAdd inputs have different dtypes: ", dtypeTfName(x.dtype()), " and ", dtypeTfName(b.dtype())));
    const bool nchw = nchwAttr && x.rank() >= 3;
    const int channelDim = nchw ? 1 : x.rank() - 1;
    const int64_t C = x.dim(channelDim);
    if (b.dim(0) != C)
        c.fail(cat("Must provide as many biases as the last dimension of the input tensor: ", dimsString(b.dims()),
                   " vs. ", dimsString(x.dims())));
    visitReal(c, x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        Tensor& out = c.forwardInputOrAllocateOutput(0, 0, x.dtype(), x.dims());
        if (x.numElements() == 0)
            return;
        if (!nchw) {
            const int64_t rows = x.numElements() / C;
            RowArrayMap<T>(out.data<T>(), rows, C) = CRowArrayMap<T>(x.data<T>(), rows, C).rowwise() +
                                                     RowVecMap<T>(b.data<T>(), C);
            return;
        }
        const int64_t n = x.dim(0), spatial = x.numElements() / (n * C);
        for (int64_t i = 0; i < n; ++i)
            for (int64_t ch = 0; ch < C; ++ch) {
                const int64_t off = (i * C + ch) * spatial;
                VecMap<T>(out.data<T>() + off, spatial) = CVecMap<T>(x.data<T>() + off, spatial) + b.data<T>()[ch];
            }
    });
}

// Elementwise activations (unaryKernel: in place when the Session allows it).
struct ReluF {
    template <class X>
    static auto apply(const X& x)
    {
        using T = typename X::Scalar;
        if constexpr (std::is_floating_point_v<T>) // NaN stays NaN, as in TF
            return x.binaryExpr(ArrayX<T>::Zero(x.size()), Eigen::internal::scalar_max_op<T, T, Eigen::PropagateNaN>());
        else
            return x.max(T(0));
    }
};
struct SigmoidF {
    template <class X>
    static auto apply(const X& x) { return x.logistic(); }
};
struct TanhF {
    template <class X>
    static auto apply(const X& x) { return x.tanh(); }
};

void softmaxKernel(KernelContext& c)
{
    const Tensor& x = denseInput(c, 0);
    if (x.rank() < 1)
        c.fail(cat("logits must have >= 1 dimension, got ", dimsString(x.dims())));
    visitFloat(c, x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        Tensor& out = c.forwardInputOrAllocateOutput(0, 0, x.dtype(), x.dims());
        const int64_t cols = x.dims().back();
        if (x.numElements() == 0 || cols == 0)
            return;
        const int64_t rows = x.numElements() / cols;
        CRowArrayMap<T> in(x.data<T>(), rows, cols);
        RowArrayMap<T> o(out.data<T>(), rows, cols);
        ArrayX<T> maxes;
        const ArrayX<T> sums = expMinusRowMax(in, o, maxes);
        o.colwise() /= sums;
    });
}

template <class T, class L>
void sparseXentTyped(KernelContext& c, const Tensor& logits, const Tensor& labels)
{
    const int64_t batch = logits.dim(0), classes = logits.dim(1);
    const L* lab = labels.data<L>();
    if (batch > 0) {
        auto [lo, hi] = std::minmax_element(lab, lab + batch);
        if (*lo < 0 || int64_t(*hi) >= classes) {
            std::string values;
            for (int64_t i = 0; i < batch; ++i) {
                if (i)
                    values += ' ';
                values += std::to_string(int64_t(lab[i]));
            }
            c.fail(cat("Received a label value of ", int64_t(*lo < 0 ? *lo : *hi),
                       " which is outside the valid range of [0, ", classes, ").  Label values: ", values));
        }
    }
    Tensor& loss = c.allocateOutput(0, logits.dtype(), {batch});
    const bool wantBackprop = c.outputRequired(1);
    // exp(x - max) goes into the backprop buffer when it is wanted, else into scratch.
    RowArray<T> scratch;
    T* ebuf;
    if (wantBackprop) {
        ebuf = c.allocateOutput(1, logits.dtype(), {batch, classes}).template data<T>();
    } else {
        scratch.resize(batch, classes);
        ebuf = scratch.data();
    }
    if (batch == 0)
        return;
    CRowArrayMap<T> z(logits.data<T>(), batch, classes);
    RowArrayMap<T> e(ebuf, batch, classes);
    ArrayX<T> maxes;
    const ArrayX<T> sums = expMinusRowMax(z, e, maxes);
    T* l = loss.data<T>();
    for (int64_t i = 0; i < batch; ++i)
        l[i] = std::log(sums[i]) - (z(i, int64_t(lab[i])) - maxes[i]);
    if (wantBackprop) {
        e.colwise() /= sums;
        for (int64_t i = 0; i < batch; ++i)
            e(i, int64_t(lab[i])) -= T(1);
    }
}

void sparseXentKernel(KernelContext& c)
{
    const Tensor& logits = denseInput(c, 0);
    const Tensor& labels = denseInput(c, 1);
    if (logits.rank() != 2)
        c.fail(cat("logits must be 2-D, but got shape ", dimsString(logits.dims())));
    if (labels.rank() != 1)
        c.fail(cat("labels must be 1-D, but got shape ", dimsString(labels.dims())));
    if (logits.dim(0) != labels.dim(0))
        c.fail(cat("logits and labels must have the same first dimension, got logits shape ",
                   dimsString(logits.dims()), " and labels shape ", dimsString(labels.dims())));
    visitFloat(c, logits.dtype(), [&](auto tag) {
        visitIndex(c, labels.dtype(), [&](auto ltag) { sparseXentTyped<decltype(tag), decltype(ltag)>(c, logits, labels); });
    });
}

void xentKernel(KernelContext& c)
{
    const Tensor& logits = denseInput(c, 0);
    const Tensor& labels = denseInput(c, 1);
    if (logits.rank() != 2 || logits.dims() != labels.dims())
        c.fail(cat("logits and labels must be broadcastable: logits_size=", dimsString(logits.dims()),
                   " labels_size=", dimsString(labels.dims())));
    if (logits.dtype() != labels.dtype())
        c.fail(cat("logits and labels have different dtypes: ", dtypeTfName(logits.dtype()), " and ",
                   dtypeTfName(labels.dtype())));
    visitFloat(c, logits.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const int64_t batch = logits.dim(0), classes = logits.dim(1);
        Tensor& loss = c.allocateOutput(0, logits.dtype(), {batch});
        Tensor& back = c.allocateOutput(1, logits.dtype(), {batch, classes});
        if (batch == 0)
            return;
        CRowArrayMap<T> z(logits.data<T>(), batch, classes);
        CRowArrayMap<T> y(labels.data<T>(), batch, classes);
        RowArrayMap<T> e(back.data<T>(), batch, classes);
        ArrayX<T> maxes;
        const ArrayX<T> sums = expMinusRowMax(z, e, maxes);
        const ArrayX<T> logSums = sums.log();
        // loss_i = sum_j y_ij * (logsumexp_i - z_ij), with logsumexp_i = max_i + log(sum_i).
        VecMap<T>(loss.data<T>(), batch) = (y * ((-(z.colwise() - maxes)).colwise() + logSums)).rowwise().sum();
        e.colwise() /= sums;
        e -= y;
    });
}

} // namespace

void registerNnKernels(KernelRegistry& r)
{
    r.add("BiasAdd", biasAddKernel, kFresh);
    r.add("Relu", unaryKernel<ReluF, TypeSet::Real>, kFresh);
    r.add("Sigmoid", unaryKernel<SigmoidF, TypeSet::Float>, kFresh);
    r.add("Tanh", unaryKernel<TanhF, TypeSet::Float>, kFresh);
    r.add("Softmax", softmaxKernel, kFresh);
    r.add("SparseSoftmaxCrossEntropyWithLogits", sparseXentKernel, kFresh);
    r.add("SoftmaxCrossEntropyWithLogits", xentKernel, kFresh);
}

} // namespace scopeviz::exec::detail
