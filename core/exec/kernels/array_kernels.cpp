// Kernels that make, reshape or convert tensors without arithmetic:
// Placeholder, Const, Identity, StopGradient, Fill, ZerosLike, OnesLike,
// Reshape, Shape, Cast, NoOp, Pack, ConcatV2, StridedSlice.
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
void stridedSliceKernel(KernelContext& c)
{
    const Tensor& x = denseInput(c, 0);
    const std::vector<int64_t> begin = indexValues(c, denseInput(c, 1), "begin");
    const std::vector<int64_t> end = indexValues(c, denseInput(c, 2), "end");
    const std::vector<int64_t> strides = indexValues(c, denseInput(c, 3), "strides");
    const int64_t bm = attrInt(c, "begin_mask", 0), em = attrInt(c, "end_mask", 0), sm = attrInt(c, "shrink_axis_mask", 0);
    if (attrInt(c, "ellipsis_mask", 0) || attrInt(c, "new_axis_mask", 0))
        c.fail("scopeviz's StridedSlice supports no ellipsis or new axes");
    const int rank = x.rank();
    if (int(begin.size()) > rank)
        c.fail(cat("Index out of range using input dim ", begin.size() - 1, "; input has only ", rank, " dims"));
    std::vector<int64_t> start(size_t(rank), 0), step(size_t(rank), 1), extent(size_t(rank), 0), outDims;
    for (int d = 0; d < rank; ++d) {
        const int64_t n = x.dim(d);
        if (d >= int(begin.size())) {
            extent[size_t(d)] = n;
            outDims.push_back(n);
            continue;
        }
        const int64_t s = strides[size_t(d)];
        if (s == 0)
            c.fail("strides[i] must be non-zero");
        if (sm & (int64_t(1) << d)) {
            int64_t b = begin[size_t(d)] < 0 ? begin[size_t(d)] + n : begin[size_t(d)];
            if (b < 0 || b >= n)
                c.fail(cat("slice index ", begin[size_t(d)], " of dimension ", d, " out of bounds."));
            start[size_t(d)] = b;
            extent[size_t(d)] = 1;
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
        start[size_t(d)] = b;
        step[size_t(d)] = s;
        extent[size_t(d)] = k;
        outDims.push_back(k);
    }
    Tensor& out = c.allocateOutput(0, x.dtype(), outDims);
    const size_t elem = size_t(dtypeSize(x.dtype()));
    std::vector<int64_t> idx(size_t(rank), 0);
    const int64_t total = out.numElements();
    auto* dst = static_cast<char*>(out.rawData());
    for (int64_t i = 0; i < total; ++i) {
        int64_t src = 0;
        for (int d = 0; d < rank; ++d)
            src = src * x.dim(d) + start[size_t(d)] + idx[size_t(d)] * step[size_t(d)];
        std::memcpy(dst + size_t(i) * elem, static_cast<const char*>(x.rawData()) + size_t(src) * elem, elem);
        for (int d = rank - 1; d >= 0; --d) {
            if (++idx[size_t(d)] < extent[size_t(d)])
                break;
            idx[size_t(d)] = 0;
        }
    }
}

} // namespace

void registerArrayKernels(KernelRegistry& r)
{
    r.add("Pack", packKernel, kFresh);
    r.add("ConcatV2", concatV2Kernel, kFresh);
    r.add("StridedSlice", stridedSliceKernel, kFresh);
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
    r.add("Cast", castKernel, kFresh);
}

} // namespace scopeviz::exec::detail
