// Neural-network kernels: BiasAdd, Relu, Sigmoid, Tanh, Softmax and the two
// softmax cross-entropy losses.
//
// Softmax and the losses are computed row by row over the last dimension in
// the numerically stable form: subtract the row maximum before exp, so large
// logits never overflow; log-sum-exp = max + log(sum(exp(x - max))).
#include "core/exec/kernels/kernel_util.h"

#include <algorithm>
#include <cmath>
#include <limits>

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

// ---- convolution and pooling (NHWC; the ops compat.v1's tf.nn builds) -----------------

/// The geometry of a 2-D window op: input N,H,W,C, window kh,kw, strides, dilations, padding.
struct Window2D {
    int64_t n = 0, h = 0, w = 0, c = 0, kh = 1, kw = 1, sh = 1, sw = 1, dh = 1, dw = 1;
    int64_t oh = 0, ow = 0, padTop = 0, padLeft = 0;
};

std::vector<int64_t> attrInts(const KernelContext& c, const char* name)
{
    const AttrValue* a = c.op().attrs().find(name);
    if (!a || a->kind() != AttrValue::Kind::IntList)
        return {1, 1, 1, 1};
    return a->ints();
}

void windowOutput(const KernelContext& c, int64_t in, int64_t k, int64_t s, int64_t d, bool same, int64_t& out,
                  int64_t& pad)
{
    const int64_t eff = (k - 1) * d + 1;
    if (same) {
        out = (in + s - 1) / s;
        pad = std::max<int64_t>((out - 1) * s + eff - in, 0) / 2;
    } else {
        out = in >= eff ? (in - eff) / s + 1 : 0;
        pad = 0;
    }
    if (out < 0)
        c.fail("Computed output size would be negative");
}

Window2D makeWindow(const KernelContext& c, const std::vector<int64_t>& inDims, int64_t kh, int64_t kw, bool dilated)
{
    if (attrString(c, "data_format", "NHWC") != "NHWC")
        c.fail("scopeviz runs NHWC convolutions and pools only");
    if (inDims.size() != 4)
        c.fail(cat("input must be 4-dimensional", dimsString(inDims)));
    Window2D g;
    g.n = inDims[0], g.h = inDims[1], g.w = inDims[2], g.c = inDims[3], g.kh = kh, g.kw = kw;
    const std::vector<int64_t> st = attrInts(c, "strides");
    g.sh = st[1], g.sw = st[2];
    if (dilated) {
        const std::vector<int64_t> dl = attrInts(c, "dilations");
        g.dh = dl[1], g.dw = dl[2];
    }
    const bool same = attrString(c, "padding", "VALID") == "SAME";
    windowOutput(c, g.h, g.kh, g.sh, g.dh, same, g.oh, g.padTop);
    windowOutput(c, g.w, g.kw, g.sw, g.dw, same, g.ow, g.padLeft);
    return g;
}

/// im2col of image b: rows are output positions, columns (kh, kw, c) as the HWIO filter is laid out.
template <class T>
void im2col(const Window2D& g, const T* image, T* cols)
{
    for (int64_t oy = 0; oy < g.oh; ++oy)
        for (int64_t ox = 0; ox < g.ow; ++ox) {
            T* row = cols + (oy * g.ow + ox) * g.kh * g.kw * g.c;
            for (int64_t ky = 0; ky < g.kh; ++ky) {
                const int64_t y = oy * g.sh + ky * g.dh - g.padTop;
                for (int64_t kx = 0; kx < g.kw; ++kx) {
                    const int64_t x = ox * g.sw + kx * g.dw - g.padLeft;
                    T* dst = row + (ky * g.kw + kx) * g.c;
                    if (y < 0 || y >= g.h || x < 0 || x >= g.w)
                        std::fill(dst, dst + g.c, T(0));
                    else
                        std::copy(image + (y * g.w + x) * g.c, image + (y * g.w + x + 1) * g.c, dst);
                }
            }
        }
}

/// The adjoint of im2col: column gradients summed back into the image gradient.
template <class T>
void col2im(const Window2D& g, const T* cols, T* image)
{
    for (int64_t oy = 0; oy < g.oh; ++oy)
        for (int64_t ox = 0; ox < g.ow; ++ox) {
            const T* row = cols + (oy * g.ow + ox) * g.kh * g.kw * g.c;
            for (int64_t ky = 0; ky < g.kh; ++ky) {
                const int64_t y = oy * g.sh + ky * g.dh - g.padTop;
                for (int64_t kx = 0; kx < g.kw; ++kx) {
                    const int64_t x = ox * g.sw + kx * g.dw - g.padLeft;
                    if (y < 0 || y >= g.h || x < 0 || x >= g.w)
                        continue;
                    const T* src = row + (ky * g.kw + kx) * g.c;
                    T* dst = image + (y * g.w + x) * g.c;
                    for (int64_t ch = 0; ch < g.c; ++ch)
                        dst[ch] += src[ch];
                }
            }
        }
}

template <class T>
using RowMat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Conv2D, Conv2DBackpropInput and Conv2DBackpropFilter: one im2col matrix product per image.
enum class ConvPass { Forward, Input, Filter };

template <ConvPass P>
void convKernel(KernelContext& c)
{
    const Tensor& a = denseInput(c, 0);
    const Tensor& b = denseInput(c, 1);
    const Tensor& d = denseInput(c, 2 - (P == ConvPass::Forward ? 1 : 0));
    std::vector<int64_t> inDims = P == ConvPass::Input ? dimsFromTensor(c, a, "input_sizes") : a.dims();
    std::vector<int64_t> fDims = P == ConvPass::Filter ? dimsFromTensor(c, b, "filter_sizes") : b.dims();
    if (fDims.size() != 4)
        c.fail(cat("filter must be 4-dimensional: ", dimsString(fDims)));
    const Window2D g = makeWindow(c, inDims, fDims[0], fDims[1], true);
    if (g.c != fDims[2])
        c.fail(cat("input depth must be evenly divisible by filter depth: ", g.c, " vs ", fDims[2]));
    const int64_t oc = fDims[3], patch = g.kh * g.kw * g.c, positions = g.oh * g.ow;
    const DType t = P == ConvPass::Input ? b.dtype() : a.dtype();
    visitFloat(c, t, [&](auto tag) {
        using T = decltype(tag);
        std::vector<T> cols(size_t(positions * patch));
        if constexpr (P == ConvPass::Forward) {
            Tensor& out = c.allocateOutput(0, t, {g.n, g.oh, g.ow, oc});
            Eigen::Map<const RowMat<T>> f(b.data<T>(), patch, oc);
            for (int64_t i = 0; i < g.n; ++i) {
                im2col(g, a.data<T>() + i * g.h * g.w * g.c, cols.data());
                Eigen::Map<RowMat<T>>(out.data<T>() + i * positions * oc, positions, oc).noalias() =
                    Eigen::Map<const RowMat<T>>(cols.data(), positions, patch) * f;
            }
        } else if constexpr (P == ConvPass::Input) {
            Tensor& out = c.allocateOutput(0, t, inDims);
            std::fill(out.data<T>(), out.data<T>() + out.numElements(), T(0));
            Eigen::Map<const RowMat<T>> f(b.data<T>(), patch, oc);
            for (int64_t i = 0; i < g.n; ++i) {
                Eigen::Map<RowMat<T>>(cols.data(), positions, patch).noalias() =
                    Eigen::Map<const RowMat<T>>(d.data<T>() + i * positions * oc, positions, oc) * f.transpose();
                col2im(g, cols.data(), out.data<T>() + i * g.h * g.w * g.c);
            }
        } else {
            Tensor& out = c.allocateOutput(0, t, fDims);
            Eigen::Map<RowMat<T>> df(out.data<T>(), patch, oc);
            df.setZero();
            for (int64_t i = 0; i < g.n; ++i) {
                im2col(g, a.data<T>() + i * g.h * g.w * g.c, cols.data());
                df.noalias() += Eigen::Map<const RowMat<T>>(cols.data(), positions, patch).transpose() *
                                Eigen::Map<const RowMat<T>>(d.data<T>() + i * positions * oc, positions, oc);
            }
        }
    });
}

/// MaxPool / AvgPool and their gradients over each window's valid (unpadded) cells.
template <bool Max, bool Grad>
void poolKernel(KernelContext& c)
{
    const std::vector<int64_t> ks = attrInts(c, "ksize");
    const Tensor& x = denseInput(c, 0);
    const std::vector<int64_t> inDims = (!Max && Grad) ? dimsFromTensor(c, x, "orig_input_shape") : x.dims();
    const Window2D g = makeWindow(c, inDims, ks[1], ks[2], false);
    const DType t = (!Max && Grad) ? denseInput(c, 1).dtype() : x.dtype();
    visitReal(c, t, [&](auto tag) {
        using T = decltype(tag);
        const Tensor* grad = Grad ? &denseInput(c, Max ? 2 : 1) : nullptr;
        Tensor& out = Grad ? c.allocateOutput(0, t, inDims) : c.allocateOutput(0, t, {g.n, g.oh, g.ow, g.c});
        if (Grad)
            std::fill(out.data<T>(), out.data<T>() + out.numElements(), T(0));
        for (int64_t i = 0; i < g.n; ++i)
            for (int64_t oy = 0; oy < g.oh; ++oy)
                for (int64_t ox = 0; ox < g.ow; ++ox) {
                    const int64_t y0 = std::max<int64_t>(oy * g.sh - g.padTop, 0);
                    const int64_t y1 = std::min(oy * g.sh - g.padTop + g.kh, g.h);
                    const int64_t x0 = std::max<int64_t>(ox * g.sw - g.padLeft, 0);
                    const int64_t x1 = std::min(ox * g.sw - g.padLeft + g.kw, g.w);
                    const int64_t o = ((i * g.oh + oy) * g.ow + ox) * g.c;
                    for (int64_t ch = 0; ch < g.c; ++ch) {
                        T acc = Max ? std::numeric_limits<T>::lowest() : T(0);
                        int64_t at = -1;
                        for (int64_t y = y0; y < y1; ++y)
                            for (int64_t xx = x0; xx < x1; ++xx) {
                                const int64_t k = ((i * g.h + y) * g.w + xx) * g.c + ch;
                                if constexpr (Max) {
                                    if (at < 0 || x.data<T>()[k] > acc)
                                        acc = x.data<T>()[k], at = k;
                                } else if constexpr (Grad) {
                                    out.data<T>()[k] += grad->data<T>()[o + ch] / T((y1 - y0) * (x1 - x0));
                                } else {
                                    acc += x.data<T>()[k];
                                }
                            }
                        if constexpr (Max && Grad) {
                            if (at >= 0)
                                out.data<T>()[at] += grad->data<T>()[o + ch];
                        } else if constexpr (!Grad) {
                            out.data<T>()[o + ch] = Max ? acc : acc / T(std::max<int64_t>((y1 - y0) * (x1 - x0), 1));
                        }
                    }
                }
    });
}

/// L2Loss: sum(x^2) / 2.
void l2LossKernel(KernelContext& c)
{
    const Tensor& x = denseInput(c, 0);
    visitFloat(c, x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        Tensor& out = c.allocateOutput(0, x.dtype(), {});
        out.data<T>()[0] = CVecMap<T>(x.data<T>(), x.numElements()).square().sum() / T(2);
    });
}

} // namespace

void registerNnKernels(KernelRegistry& r)
{
    r.add("Conv2D", convKernel<ConvPass::Forward>, kFresh);
    r.add("Conv2DBackpropInput", convKernel<ConvPass::Input>, kFresh);
    r.add("Conv2DBackpropFilter", convKernel<ConvPass::Filter>, kFresh);
    r.add("MaxPool", poolKernel<true, false>, kFresh);
    r.add("MaxPoolGrad", poolKernel<true, true>, kFresh);
    r.add("AvgPool", poolKernel<false, false>, kFresh);
    r.add("AvgPoolGrad", poolKernel<false, true>, kFresh);
    r.add("L2Loss", l2LossKernel, kFresh);
    r.add("BiasAdd", biasAddKernel, kFresh);
    r.add("Relu", unaryKernel<ReluF, TypeSet::Real>, kFresh);
    r.add("Sigmoid", unaryKernel<SigmoidF, TypeSet::Float>, kFresh);
    r.add("Tanh", unaryKernel<TanhF, TypeSet::Float>, kFresh);
    r.add("Softmax", softmaxKernel, kFresh);
    r.add("SparseSoftmaxCrossEntropyWithLogits", sparseXentKernel, kFresh);
    r.add("SoftmaxCrossEntropyWithLogits", xentKernel, kFresh);
}

} // namespace scopeviz::exec::detail
