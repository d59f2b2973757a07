// Kernels that make, reshape or convert tensors without arithmetic:
// Placeholder, Const, Identity, StopGradient, Fill, ZerosLike, OnesLike,
// Reshape, Shape, Cast, NoOp.
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

} // namespace

void registerArrayKernels(KernelRegistry& r)
{
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
