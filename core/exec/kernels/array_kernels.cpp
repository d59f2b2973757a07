// Kernels that make, reshape or convert tensors without arithmetic:
// Placeholder, Const, Identity, StopGradient, Fill, ZerosLike, OnesLike,
// Reshape, Shape, Cast, NoOp, Pack, ConcatV2, StridedSlice, Transpose, Squeeze, Unpack, Split,
// SplitV, GatherV2, OneHot, PlaceholderWithDefault.
#include "core/exec/kernels/kernel_util.h"

#include <cstring>

namespace scopeviz::exec::detail {
namespace {

void placeholderKernel(KernelContext& c)
{
    // Reached only when the placeholder was not fed (a fed tensor's producer is pruned).
    const OutputInfo& info = c.op().outputs().at(0);
    const AttrValue* shapeAttr = c.attrs().find("shape");
    Shape s = shapeAttr && shapeAttr->kind() == AttrValue::Kind::Shape ? shapeAttr->s() : info.shape;
    std::string msg = cat("You must feed a value for placeholder tensor '", c.op().name(), "' with dtype ",
                          dtypeTfName(baseType(info.dtype)));
    if (s.rankKnown() && s.rank() > 0)
        msg += cat(" and shape ", s.toDebugString());
    c.fail(msg);
}

void constKernel(KernelContext& c)
{
    const KernelCache& k = cachedAttrs(c, [&](KernelCache& n) {
        const AttrValue* v = c.attrs().find("value");
        if (!v || v->kind() != AttrValue::Kind::Tensor || !v->tensor().valid())
            c.fail("Const has no 'value' tensor");
        n.p = &v->tensor();
    });
    c.setOutput(0, *static_cast<const Tensor*>(k.p));
}

void identityKernel(KernelContext& c) { c.setOutput(0, c.input(0)); }

void noOpKernel(KernelContext&) {}

void fillKernel(KernelContext& c)
{
    std::vector<int64_t> dims = dimsFromTensor(c, c.input(0), "dims");
    const Tensor& value = c.input(1);
    if (!value.valid() || value.numElements() != 1 || value.rank() != 0)
        c.fail(cat("value must be a scalar, got shape ", value.valid() ? dimsString(value.dims()) : "<none>"));
    if (value.dtype() == DType::String) {
        Tensor& out = c.allocateOutput(0, DType::String, dims);
        std::fill(out.strings().begin(), out.strings().end(), value.strings()[0]);
        return;
    }
    visitDense(c, value.dtype(), [&](auto tag) {
        using T = decltype(tag);
        Tensor& out = c.allocateOutput(0, value.dtype(), dims);
        std::fill_n(out.data<T>(), out.numElements(), value.data<T>()[0]);
    });
}

template <int V>
void constantLikeKernel(KernelContext& c)
{
    const Tensor& x = c.input(0);
    if (x.valid() && x.dtype() == DType::String) {
        Tensor& out = c.allocateOutput(0, DType::String, x.dims());
        std::fill(out.strings().begin(), out.strings().end(), V ? std::string("1") : std::string());
        return;
    }
    visitDense(c, denseInput(c, 0).dtype(), [&](auto tag) {
        using T = decltype(tag);
        Tensor& out = c.forwardInputOrAllocateOutput(0, 0, x.dtype(), x.dims());
        std::fill_n(out.data<T>(), out.numElements(), T(V));
    });
}

void reshapeKernel(KernelContext& c)
{
    const Tensor& x = c.input(0);
    if (!x.valid())
        c.fail("Reshape of an empty value");
    std::vector<int64_t> dims = indexValues(c, c.input(1), "shape");
    if (c.input(1).rank() != 1)
        c.fail(cat("shape must be a vector, not shape ", dimsString(c.input(1).dims())));
    int64_t known = 1;
    int unknown = -1;
    for (size_t i = 0; i < dims.size(); ++i) {
        if (dims[i] == -1) {
            if (unknown >= 0)
                c.fail(cat("Only one input size may be -1, not both ", unknown, " and ", i));
            unknown = int(i);
        } else if (dims[i] < 0) {
            c.fail(cat("Size ", i, " must be non-negative, not ", dims[i]));
        } else if (__builtin_mul_overflow(known, dims[i], &known)) {
            c.fail(cat("Requested shape ", dimsString(dims), " has too many elements"));
        }
    }
    const int64_t n = x.numElements();
    if (unknown >= 0) {
        if (known == 0 || n % known != 0) {
            if (known == 0 && n == 0)
                dims[size_t(unknown)] = 0;
            else
                c.fail(cat("Input to reshape is a tensor with ", n,
                           " values, but the requested shape requires a multiple of ", known));
        } else {
            dims[size_t(unknown)] = n / known;
        }
    } else if (known != n) {
        c.fail(cat("Input to reshape is a tensor with ", n, " values, but the requested shape has ", known));
    }
    c.setOutput(0, x.reshaped(std::move(dims)));
}

void shapeKernel(KernelContext& c)
{
    const Tensor& x = c.input(0);
    const DType out = attrType(c, "out_type", DType::Int32);
    const int64_t rank = x.rank();
    visitIndex(c, out, [&](auto tag) {
        using T = decltype(tag);
        Tensor& t = c.allocateOutput(0, out, {rank});
        for (int64_t i = 0; i < rank; ++i)
            t.data<T>()[i] = T(x.dim(int(i)));
    });
}

/// ShapeN: the shapes of N tensors (conv2d's and concat's gradients).
void shapeNKernel(KernelContext& c)
{
    const DType out = attrType(c, "out_type", DType::Int32);
    for (int k = 0; k < c.numInputs(); ++k) {
        const Tensor& x = c.input(k);
        visitIndex(c, out, [&](auto tag) {
            using T = decltype(tag);
            Tensor& t = c.allocateOutput(k, out, {int64_t(x.rank())});
            for (int i = 0; i < x.rank(); ++i)
                t.data<T>()[i] = T(x.dim(i));
        });
    }
}

/// InvertPermutation: y[x[i]] = i (Transpose's gradient).
void invertPermutationKernel(KernelContext& c)
{
    const Tensor& x = denseInput(c, 0);
    const std::vector<int64_t> perm = indexValues(c, x, "x");
    const int64_t n = int64_t(perm.size());
    std::vector<int64_t> inv(perm.size(), -1);
    for (int64_t i = 0; i < n; ++i) {
        const int64_t d = perm[size_t(i)];
        if (d < 0 || d >= n)
            c.fail(cat(d, " is not between 0 and ", n));
        if (inv[size_t(d)] != -1)
            c.fail(cat(d, " is duplicated in the input."));
        inv[size_t(d)] = i;
    }
    visitIndex(c, x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        Tensor& t = c.allocateOutput(0, x.dtype(), {n});
        for (int64_t i = 0; i < n; ++i)
            t.data<T>()[i] = T(inv[size_t(i)]);
    });
}

/// ConcatOffset(concat_dim, shapes...): where each input starts in the concatenation (ConcatV2's gradient).
void concatOffsetKernel(KernelContext& c)
{
    const std::vector<int64_t> dimv = indexValues(c, denseInput(c, 0), "concat_dim");
    const int n = c.numInputs() - 1;
    if (dimv.size() != 1 || n < 1)
        c.fail("ConcatOffset expects a scalar concat_dim and at least one shape");
    const std::vector<int64_t> first = indexValues(c, denseInput(c, 1), "shape");
    const int64_t rank = int64_t(first.size());
    const int64_t axis = dimv[0] < 0 ? dimv[0] + rank : dimv[0];
    if (axis < 0 || axis >= rank)
        c.fail(cat("Concat dim is out of range: ", dimv[0], " vs. ", rank));
    int64_t offset = 0;
    for (int k = 0; k < n; ++k) {
        const Tensor& sk = denseInput(c, k + 1);
        const std::vector<int64_t> shape = indexValues(c, sk, "shape");
        if (int64_t(shape.size()) != rank)
            c.fail(cat("input ", k, " should contain ", rank, " elements, but got ", shape.size()));
        for (int64_t d = 0; d < rank; ++d)
            if (d != axis && shape[size_t(d)] != first[size_t(d)])
                c.fail(cat("input[", k, ",", d, "] mismatch: ", shape[size_t(d)], " vs. ", first[size_t(d)]));
        visitIndex(c, sk.dtype(), [&](auto tag) {
            using T = decltype(tag);
            Tensor& t = c.allocateOutput(k, sk.dtype(), {rank});
            for (int64_t d = 0; d < rank; ++d)
                t.data<T>()[d] = T(d == axis ? offset : 0);
        });
        offset += shape[size_t(axis)];
    }
}

/// For each innermost row of a box of dims `box` whose corner sits at `begin` inside a
/// row-major tensor of dims `outer`: f(row number, flat index in `outer` of the row's
/// first element). Slice reads such rows, Pad writes them.
template <class F>
void forEachBoxRow(const std::vector<int64_t>& box, const std::vector<int64_t>& begin,
                   const std::vector<int64_t>& outer, F&& f)
{
    const int rank = int(box.size());
    int64_t rows = 1;
    for (int d = 0; d + 1 < rank; ++d)
        rows *= box[size_t(d)];
    if (rank && box[size_t(rank - 1)] == 0)
        return;
    std::vector<int64_t> stride(size_t(rank), 1);
    for (int d = rank - 2; d >= 0; --d)
        stride[size_t(d)] = stride[size_t(d) + 1] * outer[size_t(d) + 1];
    std::vector<int64_t> idx(size_t(std::max(rank - 1, 0)), 0);
    for (int64_t r = 0; r < rows; ++r) {
        int64_t at = rank ? begin[size_t(rank - 1)] : 0;
        for (int d = 0; d + 1 < rank; ++d)
            at += (begin[size_t(d)] + idx[size_t(d)]) * stride[size_t(d)];
        f(r, at);
        for (int d = rank - 2; d >= 0; --d) {
            if (++idx[size_t(d)] < box[size_t(d)])
                break;
            idx[size_t(d)] = 0;
        }
    }
}

/// Slice(input, begin, size): size -1 takes the rest of a dimension.
void sliceKernel(KernelContext& c)
{
    const Tensor& x = c.input(0);
    const std::vector<int64_t> begin = indexValues(c, denseInput(c, 1), "begin");
    std::vector<int64_t> size = indexValues(c, denseInput(c, 2), "size");
    const int rank = x.rank();
    if (x.dtype() == DType::String)
        c.fail("Slice of a string tensor is not supported");
    if (int(begin.size()) != rank || int(size.size()) != rank)
        c.fail(cat("Expected begin and size arguments to be 1-D tensors of size ", rank, ", but got shapes ",
                   begin.size(), " and ", size.size(), " instead."));
    for (int d = 0; d < rank; ++d) {
        if (size[size_t(d)] == -1)
            size[size_t(d)] = x.dim(d) - begin[size_t(d)];
        if (begin[size_t(d)] < 0 || size[size_t(d)] < 0 || begin[size_t(d)] + size[size_t(d)] > x.dim(d))
            c.fail(cat("Expected size[", d, "] in [0, ", x.dim(d) - begin[size_t(d)], "], but got ",
                       size[size_t(d)]));
    }
    Tensor& out = c.allocateOutput(0, x.dtype(), size);
    if (out.numElements() == 0)
        return;
    const size_t elem = size_t(dtypeSize(x.dtype()));
    const size_t row = size_t(rank ? size[size_t(rank - 1)] : 1) * elem;
    auto* dst = static_cast<char*>(out.rawData());
    const auto* src = static_cast<const char*>(x.rawData());
    forEachBoxRow(size, begin, x.dims(), [&](int64_t r, int64_t at) {
        std::memcpy(dst + size_t(r) * row, src + size_t(at) * elem, row);
    });
}

/// Pad(input, paddings): zeros around the input, paddings[d] = (before, after) (Slice's gradient).
void padKernel(KernelContext& c)
{
    const Tensor& x = denseInput(c, 0);
    const Tensor& p = denseInput(c, 1);
    const int rank = x.rank();
    const std::vector<int64_t> pads = indexValues(c, p.reshaped({p.numElements()}), "paddings");
    if (p.rank() != 2 || p.dim(0) != rank || p.dim(1) != 2)
        c.fail(cat("paddings must be a matrix with 2 columns and ", rank, " rows: ", dimsString(p.dims())));
    std::vector<int64_t> dims(static_cast<size_t>(rank)), begin(static_cast<size_t>(rank));
    for (int d = 0; d < rank; ++d) {
        const int64_t before = pads[size_t(2 * d)], after = pads[size_t(2 * d + 1)];
        if (before < 0 || after < 0)
            c.fail(cat("Paddings must be non-negative: ", before, " ", after));
        begin[size_t(d)] = before;
        dims[size_t(d)] = x.dim(d) + before + after;
    }
    Tensor& out = c.allocateOutput(0, x.dtype(), dims);
    if (out.byteSize())
        std::memset(out.rawData(), 0, out.byteSize());
    if (x.numElements() == 0)
        return;
    const size_t elem = size_t(dtypeSize(x.dtype()));
    const size_t row = size_t(rank ? x.dim(rank - 1) : 1) * elem;
    auto* dst = static_cast<char*>(out.rawData());
    const auto* src = static_cast<const char*>(x.rawData());
    forEachBoxRow(x.dims(), begin, dims, [&](int64_t r, int64_t at) {
        std::memcpy(dst + size_t(at) * elem, src + size_t(r) * row, row);
    });
}

void castKernel(KernelContext& c)
{
    const DType to = DType(cachedAttr(c, [&] { return attrType(c, "DstT", DType::Float); }));
    const Tensor& x = denseInput(c, 0);
    if (x.dtype() == to) {
        // Same type: a copy (or the input's own buffer when nobody else reads it).
        Tensor& out = c.forwardInputOrAllocateOutput(0, 0, to, x.dims());
        if (!out.sharesBufferWith(x) && x.byteSize())
            std::memcpy(out.rawData(), x.rawData(), x.byteSize());
        return;
    }
    c.setOutput(0, castTensor(x, to));
}

// ---- Pack, ConcatV2, StridedSlice (compat.v1's tf.stack, tf.concat, Tensor[...]) -----------

int64_t product(const std::vector<int64_t>& d, size_t from, size_t to)
{
    int64_t p = 1;
    for (size_t k = from; k < to; ++k)
        p *= d[k];
    return p;
}

/// Copies the inputs' [outer, inner_k] blocks side by side along one axis (Pack and ConcatV2).
void joinAlongAxis(KernelContext& c, int count, int64_t axis, bool pack)
{
    const Tensor& first = denseInput(c, 0);
    const int rank = first.rank() + (pack ? 1 : 0);
    if (axis < -rank || axis >= rank)
        c.fail(cat("axis ", axis, " is out of range [", -rank, ", ", rank, ")"));
    if (axis < 0)
        axis += rank;
    std::vector<int64_t> outDims = first.dims();
    if (pack)
        outDims.insert(outDims.begin() + axis, count);
    else
        outDims[size_t(axis)] = 0;
    for (int k = 0; k < count; ++k) {
        const Tensor& t = denseInput(c, k);
        if (t.dtype() != first.dtype() || t.rank() != first.rank())
            c.fail(cat("Shapes of all inputs must match: values[0].shape = ", dimsString(first.dims()), " != values[",
                       k, "].shape = ", dimsString(t.dims())));
        for (int d = 0; d < t.rank(); ++d)
            if ((pack || d != axis) && t.dim(d) != first.dim(d))
                c.fail(cat("Shapes of all inputs must match: values[0].shape = ", dimsString(first.dims()),
                           " != values[", k, "].shape = ", dimsString(t.dims())));
        if (!pack)
            outDims[size_t(axis)] += t.dim(int(axis));
    }
    Tensor& out = c.allocateOutput(0, first.dtype(), outDims);
    const size_t elem = size_t(dtypeSize(first.dtype()));
    const int64_t outer = product(outDims, 0, size_t(axis));
    auto* dst = static_cast<char*>(out.rawData());
    for (int64_t o = 0; o < outer; ++o)
        for (int k = 0; k < count; ++k) {
            const Tensor& t = denseInput(c, k);
            const int64_t inner = outer ? t.numElements() / std::max<int64_t>(outer, 1) : 0;
            const size_t bytes = size_t(inner) * elem;
            std::memcpy(dst, static_cast<const char*>(t.rawData()) + size_t(o) * bytes, bytes);
            dst += bytes;
        }
}

void packKernel(KernelContext& c) { joinAlongAxis(c, c.numInputs(), attrInt(c, "axis", 0), true); }

void concatV2Kernel(KernelContext& c)
{
    const int n = c.numInputs() - 1;
    const std::vector<int64_t> axis = indexValues(c, denseInput(c, n), "axis");
    if (axis.size() != 1)
        c.fail("axis must be a scalar");
    joinAlongAxis(c, n, axis[0], false);
}

/// StridedSlice with begin/end/shrink masks (no ellipsis or new axes).
/// Where a strided slice of a tensor of `dims` reads: per dimension the first index, the step and
/// the count, and the slice's dims (shrunk axes left out).
struct StridedLayout {
    std::vector<int64_t> start, step, extent, outDims;
};

/// The layout StridedSlice's inputs 1-3 (begin, end, strides) and masks give over `dims`.
StridedLayout stridedLayout(KernelContext& c, const std::vector<int64_t>& dims)
{
    const std::vector<int64_t> begin = indexValues(c, denseInput(c, 1), "begin");
    const std::vector<int64_t> end = indexValues(c, denseInput(c, 2), "end");
    const std::vector<int64_t> strides = indexValues(c, denseInput(c, 3), "strides");
    const int64_t bm = attrInt(c, "begin_mask", 0), em = attrInt(c, "end_mask", 0), sm = attrInt(c, "shrink_axis_mask", 0);
    if (attrInt(c, "ellipsis_mask", 0) || attrInt(c, "new_axis_mask", 0))
        c.fail("scopeviz's StridedSlice supports no ellipsis or new axes");
    const int rank = int(dims.size());
    if (int(begin.size()) > rank)
        c.fail(cat("Index out of range using input dim ", begin.size() - 1, "; input has only ", rank, " dims"));
    StridedLayout L;
    L.start.assign(size_t(rank), 0);
    L.step.assign(size_t(rank), 1);
    L.extent.assign(size_t(rank), 0);
    for (int d = 0; d < rank; ++d) {
        const int64_t n = dims[size_t(d)];
        if (d >= int(begin.size())) {
            L.extent[size_t(d)] = n;
            L.outDims.push_back(n);
            continue;
        }
        const int64_t s = strides[size_t(d)];
        if (s == 0)
            c.fail("strides[i] must be non-zero");
        if (sm & (int64_t(1) << d)) {
            int64_t b = begin[size_t(d)] < 0 ? begin[size_t(d)] + n : begin[size_t(d)];
            if (b < 0 || b >= n)
                c.fail(cat("slice index ", begin[size_t(d)], " of dimension ", d, " out of bounds."));
            L.start[size_t(d)] = b;
            L.extent[size_t(d)] = 1;
            continue;
        }
        auto clampIndex = [&](int64_t v, bool masked, bool isBegin) {
            if (masked)
                return isBegin ? (s > 0 ? int64_t(0) : n - 1) : (s > 0 ? n : int64_t(-1));
            if (v < 0)
                v += n;
            return s > 0 ? std::clamp<int64_t>(v, 0, n) : std::clamp<int64_t>(v, -1, n - 1);
        };
        const int64_t b = clampIndex(begin[size_t(d)], bm & (int64_t(1) << d), true);
        const int64_t e = clampIndex(end[size_t(d)], em & (int64_t(1) << d), false);
        const int64_t k = s > 0 ? std::max<int64_t>((e - b + s - 1) / s, 0) : std::max<int64_t>((b - e - s - 1) / -s, 0);
        L.start[size_t(d)] = b;
        L.step[size_t(d)] = s;
        L.extent[size_t(d)] = k;
        L.outDims.push_back(k);
    }
    return L;
}

/// Calls f(i, src) for every element i of the slice, src being its flat index in the tensor of `dims`.
template <class F>
void forEachStrided(const StridedLayout& L, const std::vector<int64_t>& dims, F&& f)
{
    const int rank = int(dims.size());
    int64_t total = 1;
    for (int64_t e : L.extent)
        total *= e;
    std::vector<int64_t> idx(size_t(rank), 0);
    for (int64_t i = 0; i < total; ++i) {
        int64_t src = 0;
        for (int d = 0; d < rank; ++d)
            src = src * dims[size_t(d)] + L.start[size_t(d)] + idx[size_t(d)] * L.step[size_t(d)];
        f(i, src);
        for (int d = rank - 1; d >= 0; --d) {
            if (++idx[size_t(d)] < L.extent[size_t(d)])
                break;
            idx[size_t(d)] = 0;
        }
    }
}

void stridedSliceKernel(KernelContext& c)
{
    const Tensor& x = denseInput(c, 0);
    const StridedLayout L = stridedLayout(c, x.dims());
    Tensor& out = c.allocateOutput(0, x.dtype(), L.outDims);
    const size_t elem = size_t(dtypeSize(x.dtype()));
    auto* dst = static_cast<char*>(out.rawData());
    const auto* src = static_cast<const char*>(x.rawData());
    forEachStrided(L, x.dims(), [&](int64_t i, int64_t at) {
        std::memcpy(dst + size_t(i) * elem, src + size_t(at) * elem, elem);
    });
}

/// StridedSliceGrad(shape, begin, end, strides, dy): zeros of `shape` with dy written where
/// StridedSlice read (StridedSlice's gradient).
void stridedSliceGradKernel(KernelContext& c)
{
    const std::vector<int64_t> dims = dimsFromTensor(c, denseInput(c, 0), "shape");
    const Tensor& dy = denseInput(c, 4);
    const StridedLayout L = stridedLayout(c, dims);
    if (L.outDims != dy.dims())
        c.fail(cat("shape of dy was ", dimsString(dy.dims()), " instead of ", dimsString(L.outDims)));
    Tensor& out = c.allocateOutput(0, dy.dtype(), dims);
    const size_t elem = size_t(dtypeSize(dy.dtype()));
    if (out.byteSize())
        std::memset(out.rawData(), 0, out.byteSize());
    auto* dst = static_cast<char*>(out.rawData());
    const auto* src = static_cast<const char*>(dy.rawData());
    forEachStrided(L, dims, [&](int64_t i, int64_t at) {
        std::memcpy(dst + size_t(at) * elem, src + size_t(i) * elem, elem);
    });
}

// ---- Transpose, Squeeze, Unpack, Split, SplitV, GatherV2, OneHot, PlaceholderWithDefault -------

/// Copies x into `out` with out's axis d reading x's axis perm[d] (Transpose; also the
/// element walk of the slicing kernels below through `offsets`).
void copyPermuted(const Tensor& x, Tensor& out, const std::vector<int64_t>& perm)
{
    const int rank = x.rank();
    const size_t elem = size_t(dtypeSize(x.dtype()));
    std::vector<int64_t> inStride(size_t(rank), 1);
    for (int d = rank - 2; d >= 0; --d)
        inStride[size_t(d)] = inStride[size_t(d) + 1] * x.dim(d + 1);
    std::vector<int64_t> idx(size_t(rank), 0);
    auto* dst = static_cast<char*>(out.rawData());
    for (int64_t i = 0; i < out.numElements(); ++i) {
        int64_t src = 0;
        for (int d = 0; d < rank; ++d)
            src += idx[size_t(d)] * inStride[size_t(perm[size_t(d)])];
        std::memcpy(dst + size_t(i) * elem, static_cast<const char*>(x.rawData()) + size_t(src) * elem, elem);
        for (int d = rank - 1; d >= 0; --d) {
            if (++idx[size_t(d)] < out.dim(d))
                break;
            idx[size_t(d)] = 0;
        }
    }
}

void transposeKernel(KernelContext& c)
{
    const Tensor& x = denseInput(c, 0);
    const std::vector<int64_t> perm = indexValues(c, denseInput(c, 1), "perm");
    if (int(perm.size()) != x.rank())
        c.fail(cat("transpose expects a vector of size ", x.rank(), ". But input(1) is a vector of size ", perm.size()));
    std::vector<int64_t> dims;
    std::vector<bool> seen(perm.size(), false);
    for (int64_t p : perm) {
        if (p < 0 || p >= x.rank() || seen[size_t(p)])
            c.fail(cat(p, " is out of range [0 .. ", x.rank(), ") or repeated"));
        seen[size_t(p)] = true;
        dims.push_back(x.dim(int(p)));
    }
    Tensor& out = c.allocateOutput(0, x.dtype(), dims);
    copyPermuted(x, out, perm);
}

/// Squeeze: the same elements under the inferred output shape.
void squeezeKernel(KernelContext& c)
{
    const Tensor& x = denseInput(c, 0);
    const AttrValue* a = c.op().attrs().find("squeeze_dims");
    std::vector<int64_t> wanted = a && a->kind() == AttrValue::Kind::IntList ? a->ints() : std::vector<int64_t>{};
    for (int64_t& w : wanted)
        if (w < 0)
            w += x.rank();
    std::vector<int64_t> dims;
    for (int d = 0; d < x.rank(); ++d) {
        const bool listed = std::find(wanted.begin(), wanted.end(), d) != wanted.end();
        if (listed && x.dim(d) != 1)
            c.fail(cat("Can not squeeze dim[", d, "], expected a dimension of 1, got ", x.dim(d)));
        if (listed || (wanted.empty() && x.dim(d) == 1))
            continue;
        dims.push_back(x.dim(d));
    }
    Tensor& out = c.allocateOutput(0, x.dtype(), dims);
    if (x.byteSize())
        std::memcpy(out.rawData(), x.rawData(), x.byteSize());
}

/// Output k = x's slice [begin_k, begin_k + size_k) along `axis` (Split, SplitV, Unpack without the axis).
void sliceAlongAxis(KernelContext& c, const Tensor& x, int64_t axis, const std::vector<int64_t>& sizes, bool dropAxis)
{
    const int rank = x.rank();
    if (axis < 0)
        axis += rank;
    if (axis < 0 || axis >= rank)
        c.fail(cat("axis out of range for a tensor of rank ", rank));
    const int64_t outer = product(x.dims(), 0, size_t(axis));
    const int64_t inner = product(x.dims(), size_t(axis) + 1, size_t(rank));
    const size_t elem = size_t(dtypeSize(x.dtype()));
    int64_t begin = 0;
    for (size_t k = 0; k < sizes.size(); ++k) {
        std::vector<int64_t> dims = x.dims();
        if (dropAxis)
            dims.erase(dims.begin() + axis);
        else
            dims[size_t(axis)] = sizes[k];
        Tensor& out = c.allocateOutput(int(k), x.dtype(), dims);
        auto* dst = static_cast<char*>(out.rawData());
        const size_t bytes = size_t(sizes[k] * inner) * elem;
        for (int64_t o = 0; o < outer; ++o)
            std::memcpy(dst + size_t(o) * bytes,
                        static_cast<const char*>(x.rawData()) + (size_t(o * x.dim(int(axis)) + begin) * size_t(inner)) * elem,
                        bytes);
        begin += sizes[k];
    }
}

void unpackKernel(KernelContext& c)
{
    const Tensor& x = denseInput(c, 0);
    int64_t axis = attrInt(c, "axis", 0);
    const int64_t n = x.dim(int(axis < 0 ? axis + x.rank() : axis));
    if (n != c.numOutputs())
        c.fail(cat("Input shape axis ", axis, " must equal ", c.numOutputs(), ", got shape ", dimsString(x.dims())));
    sliceAlongAxis(c, x, axis, std::vector<int64_t>(size_t(n), 1), true);
}

void splitKernel(KernelContext& c)
{
    const std::vector<int64_t> axis = indexValues(c, denseInput(c, 0), "split_dim");
    const Tensor& x = denseInput(c, 1);
    const int64_t a = axis.at(0) < 0 ? axis[0] + x.rank() : axis[0];
    const int n = c.numOutputs();
    if (a < 0 || a >= x.rank() || x.dim(int(a)) % n != 0)
        c.fail(cat("Number of ways to split should evenly divide the split dimension, but got split_dim ", axis[0],
                   " (size = ", a >= 0 && a < x.rank() ? x.dim(int(a)) : -1, ") and num_split ", n));
    sliceAlongAxis(c, x, a, std::vector<int64_t>(size_t(n), x.dim(int(a)) / n), false);
}

void splitVKernel(KernelContext& c)
{
    const Tensor& x = denseInput(c, 0);
    std::vector<int64_t> sizes = indexValues(c, denseInput(c, 1), "size_splits");
    const std::vector<int64_t> axis = indexValues(c, denseInput(c, 2), "split_dim");
    const int64_t a = axis.at(0) < 0 ? axis[0] + x.rank() : axis[0];
    if (a < 0 || a >= x.rank())
        c.fail("split_dim out of range");
    int64_t known = 0, unknown = -1;
    for (size_t k = 0; k < sizes.size(); ++k) {
        if (sizes[k] == -1)
            unknown = int64_t(k);
        else
            known += sizes[k];
    }
    if (unknown >= 0)
        sizes[size_t(unknown)] = x.dim(int(a)) - known;
    if (known + (unknown >= 0 ? sizes[size_t(unknown)] : 0) != x.dim(int(a)))
        c.fail(cat("Determined shape must either match input shape along split_dim exactly if fully specified, or be "
                   "less than the size of the input along split_dim if not fully specified.  Got: ", known));
    sliceAlongAxis(c, x, a, sizes, false);
}

void gatherV2Kernel(KernelContext& c)
{
    const Tensor& params = denseInput(c, 0);
    const std::vector<int64_t> indices = indexValues(c, denseInput(c, 1), "indices");
    const Tensor& idxT = denseInput(c, 1);
    int64_t axis = indexValues(c, denseInput(c, 2), "axis").at(0);
    if (axis < 0)
        axis += params.rank();
    if (axis < 0 || axis >= params.rank())
        c.fail(cat("Expected axis in the range [", -params.rank(), ", ", params.rank(), "), but got ", axis));
    const int64_t limit = params.dim(int(axis));
    std::vector<int64_t> dims(params.dims().begin(), params.dims().begin() + axis);
    dims.insert(dims.end(), idxT.dims().begin(), idxT.dims().end());
    dims.insert(dims.end(), params.dims().begin() + axis + 1, params.dims().end());
    Tensor& out = c.allocateOutput(0, params.dtype(), dims);
    const int64_t outer = product(params.dims(), 0, size_t(axis));
    const size_t inner = size_t(product(params.dims(), size_t(axis) + 1, size_t(params.rank()))) *
                         size_t(dtypeSize(params.dtype()));
    auto* dst = static_cast<char*>(out.rawData());
    for (int64_t o = 0; o < outer; ++o)
        for (size_t k = 0; k < indices.size(); ++k) {
            const int64_t i = indices[k];
            if (i < 0 || i >= limit)
                c.fail(cat("indices[", k, "] = ", i, " is not in [0, ", limit, ")"));
            std::memcpy(dst, static_cast<const char*>(params.rawData()) + (size_t(o * limit + i)) * inner, inner);
            dst += inner;
        }
}

void oneHotKernel(KernelContext& c)
{
    const Tensor& idxT = denseInput(c, 0);
    const std::vector<int64_t> indices = indexValues(c, idxT, "indices");
    const int64_t depth = indexValues(c, denseInput(c, 1), "depth").at(0);
    const Tensor& on = denseInput(c, 2);
    const Tensor& off = denseInput(c, 3);
    if (depth < 0)
        c.fail(cat("depth must be non-negative, got: ", depth));
    int64_t axis = attrInt(c, "axis", -1);
    if (axis == -1)
        axis = idxT.rank();
    std::vector<int64_t> dims = idxT.dims();
    dims.insert(dims.begin() + axis, depth);
    Tensor& out = c.allocateOutput(0, on.dtype(), dims);
    const size_t elem = size_t(dtypeSize(on.dtype()));
    const int64_t outer = product(idxT.dims(), 0, size_t(axis));
    const int64_t inner = product(idxT.dims(), size_t(axis), size_t(idxT.rank()));
    auto* dst = static_cast<char*>(out.rawData());
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t d = 0; d < depth; ++d)
            for (int64_t in = 0; in < inner; ++in) {
                const bool hot = indices[size_t(o * inner + in)] == d;
                std::memcpy(dst + size_t((o * depth + d) * inner + in) * elem, (hot ? on : off).rawData(), elem);
            }
}

/// tf.where(condition): the coordinates of the true (non-zero) elements, int64 [num_true, rank], row-major.
void whereKernel(KernelContext& c)
{
    const Tensor& x = denseInput(c, 0);
    const std::vector<int64_t>& dims = x.dims();
    const int64_t rank = int64_t(dims.size());
    std::vector<int64_t> hits;
    visitDense(c, x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* p = x.data<T>();
        for (int64_t i = 0, n = x.numElements(); i < n; ++i)
            if (p[i] != T(0))
                hits.push_back(i);
    });
    Tensor& out = c.allocateOutput(0, DType::Int64, {int64_t(hits.size()), rank});
    int64_t* o = out.data<int64_t>();
    for (size_t k = 0; k < hits.size(); ++k) {
        int64_t flat = hits[k];
        for (int64_t d = rank - 1; d >= 0; --d) {
            o[int64_t(k) * rank + d] = flat % dims[size_t(d)];
            flat /= dims[size_t(d)];
        }
    }
}

void placeholderWithDefaultKernel(KernelContext& c) { c.setOutput(0, c.input(0)); }

/// UnsortedSegmentSum: out[ids[k]] += data[k] over the leading dims that ids covers.
void unsortedSegmentSumKernel(KernelContext& c)
{
    const Tensor& data = denseInput(c, 0);
    const std::vector<int64_t> ids = indexValues(c, denseInput(c, 1), "segment_ids");
    const int64_t n = indexValues(c, denseInput(c, 2), "num_segments").at(0);
    const int idRank = denseInput(c, 1).rank();
    std::vector<int64_t> dims{n};
    dims.insert(dims.end(), data.dims().begin() + idRank, data.dims().end());
    const int64_t inner = product(data.dims(), size_t(idRank), size_t(data.rank()));
    visitReal(c, data.dtype(), [&](auto tag) {
        using T = decltype(tag);
        Tensor& out = c.allocateOutput(0, data.dtype(), dims);
        std::fill(out.data<T>(), out.data<T>() + out.numElements(), T(0));
        for (size_t k = 0; k < ids.size(); ++k) {
            if (ids[k] < 0)
                continue; // TF drops negative ids
            if (ids[k] >= n)
                c.fail(cat("segment_ids[", k, "] = ", ids[k], " is out of range [0, ", n, ")"));
            for (int64_t j = 0; j < inner; ++j)
                out.data<T>()[ids[k] * inner + j] += data.data<T>()[int64_t(k) * inner + j];
        }
    });
}

} // namespace

void registerArrayKernels(KernelRegistry& r)
{
    r.add("Pack", packKernel, kFresh);
    r.add("ConcatV2", concatV2Kernel, kFresh);
    r.add("StridedSlice", stridedSliceKernel, kFresh);
    r.add("StridedSliceGrad", stridedSliceGradKernel, kFresh);
    r.add("Transpose", transposeKernel, kFresh);
    r.add("Squeeze", squeezeKernel, kFresh);
    r.add("Unpack", unpackKernel, kFresh);
    r.add("Split", splitKernel, kFresh);
    r.add("SplitV", splitVKernel, kFresh);
    r.add("GatherV2", gatherV2Kernel, kFresh);
    r.add("OneHot", oneHotKernel, kFresh);
    r.add("Where", whereKernel, kFresh);
    r.add("UnsortedSegmentSum", unsortedSegmentSumKernel, kFresh);
    r.add("PlaceholderWithDefault", placeholderWithDefaultKernel, kAlias);
    r.add("Placeholder", placeholderKernel, kFresh);
    r.add("Const", constKernel); // shares the attr's buffer
    r.add("Identity", identityKernel, kAlias);
    r.add("StopGradient", identityKernel, kAlias);
    r.add("NoOp", noOpKernel, kFresh);
    r.add("Fill", fillKernel, kFresh);
    r.add("ZerosLike", constantLikeKernel<0>, kFresh);
    r.add("OnesLike", constantLikeKernel<1>, kFresh);
    r.add("Reshape", reshapeKernel, kAlias);
    r.add("Shape", shapeKernel, kFresh);
    r.add("ShapeN", shapeNKernel, kFresh);
    r.add("InvertPermutation", invertPermutationKernel, kFresh);
    r.add("ConcatOffset", concatOffsetKernel, kFresh);
    r.add("Slice", sliceKernel, kFresh);
    r.add("Pad", padKernel, kFresh);
    r.add("Cast", castKernel, kFresh);
}

} // namespace scopeviz::exec::detail
