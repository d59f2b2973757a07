#define EIGEN_USE_THREADS
#include "core/exec/kernels/kernel_util.h"

#include "core/util/error.h"

#include <unsupported/Eigen/CXX11/Tensor>

#include <algorithm>
#include <atomic>
#include <memory>

namespace scopeviz::exec::detail {

std::string dimsString(const std::vector<int64_t>& dims)
{
    std::string s = "[";
    for (size_t i = 0; i < dims.size(); ++i) {
        if (i)
            s += ',';
        s += std::to_string(dims[i]);
    }
    return s + "]";
}

void unsupportedType(const KernelContext& c, DType t)
{
    c.fail(cat("No kernel for ", c.op().type(), " with dtype ", dtypeTfName(t)));
    throw InvalidArgumentError(std::string(c.op().name()), "unsupported dtype"); // not reached
}

bool attrBool(const KernelContext& c, std::string_view name, bool fallback)
{
    const AttrValue* v = c.attrs().find(name);
    return v && v->kind() == AttrValue::Kind::Bool ? v->b() : fallback;
}

int64_t attrInt(const KernelContext& c, std::string_view name, int64_t fallback)
{
    const AttrValue* v = c.attrs().find(name);
    return v && v->kind() == AttrValue::Kind::Int ? v->i() : fallback;
}

DType attrType(const KernelContext& c, std::string_view name, DType fallback)
{
    const AttrValue* v = c.attrs().find(name);
    return v && v->kind() == AttrValue::Kind::Type ? baseType(v->t()) : fallback;
}

std::string attrString(const KernelContext& c, std::string_view name, const std::string& fallback)
{
    const AttrValue* v = c.attrs().find(name);
    return v && v->kind() == AttrValue::Kind::String ? v->str() : fallback;
}

bool isNchw(const KernelContext& c) { return attrString(c, "data_format", "NHWC") == "NCHW"; }

std::vector<int64_t> indexValues(const KernelContext& c, const Tensor& t, const char* what)
{
    if (!t.valid() || t.rank() > 1)
        c.fail(cat(what, " must be a scalar or vector, got shape ", t.valid() ? dimsString(t.dims()) : "<none>"));
    std::vector<int64_t> out(size_t(t.numElements()));
    switch (t.dtype()) {
    case DType::Int32:
        for (size_t i = 0; i < out.size(); ++i)
            out[i] = t.data<int32_t>()[i];
        break;
    case DType::Int64:
        for (size_t i = 0; i < out.size(); ++i)
            out[i] = t.data<int64_t>()[i];
        break;
    default: c.fail(cat(what, " must be int32 or int64, got ", dtypeTfName(t.dtype())));
    }
    return out;
}

std::vector<int64_t> dimsFromTensor(const KernelContext& c, const Tensor& t, const char* what)
{
    if (t.valid() && t.rank() != 1)
        c.fail(cat(what, " must be a vector, got shape ", dimsString(t.dims())));
    std::vector<int64_t> dims = indexValues(c, t, what);
    int64_t n = 1;
    for (int64_t d : dims) {
        if (d < 0)
            c.fail(cat(what, " must be non-negative, got ", dimsString(dims)));
        // Guard the element count (and byte size) against int64 overflow.
        if (__builtin_mul_overflow(n, d, &n) || n > (int64_t(1) << 56))
            c.fail(cat(what, " ", dimsString(dims), " has too many elements"));
    }
    return dims;
}

const Tensor& denseInput(const KernelContext& c, int i)
{
    const Tensor& t = c.input(i);
    if (!t.valid() || t.dtype() == DType::String || dtypeSize(t.dtype()) == 0)
        c.fail(cat("input ", i, " must be a numeric tensor, got ", t.valid() ? dtypeTfName(t.dtype()) : "nothing"));
    return t;
}

void differentDtypes(const KernelContext& c, const Tensor& a, const Tensor& b)
{
    c.fail(cat("Inputs of ", c.op().type(), " have different dtypes: ", dtypeTfName(a.dtype()), " and ",
               dtypeTfName(b.dtype())));
    throw InvalidArgumentError(std::string(c.op().name()), "different dtypes"); // not reached
}

namespace {
template <class From>
void castFrom(const Tensor& t, Tensor& out)
{
    auto in = t.flat<From>();
    switch (out.dtype()) {
    case DType::Float: out.flat<float>() = in.template cast<float>(); break;
    case DType::Double: out.flat<double>() = in.template cast<double>(); break;
    case DType::Int32: out.flat<int32_t>() = in.template cast<int32_t>(); break;
    case DType::Int64: out.flat<int64_t>() = in.template cast<int64_t>(); break;
    case DType::UInt8: out.flat<uint8_t>() = in.template cast<uint8_t>(); break;
    case DType::Bool: {
        bool* o = out.data<bool>();
        const From* p = t.data<From>();
        for (int64_t i = 0; i < t.numElements(); ++i)
            o[i] = p[i] != From(0);
        break;
    }
    default: throw TypeError(cat("Cannot cast to ", dtypeName(out.dtype())));
    }
}
bool castable(DType t)
{
    return t == DType::Float || t == DType::Double || t == DType::Int32 || t == DType::Int64 || t == DType::UInt8 ||
           t == DType::Bool;
}
} // namespace

Tensor castTensor(const Tensor& t, DType to)
{
    to = baseType(to);
    if (!t.valid() || !castable(t.dtype()) || !castable(to))
        throw TypeError(cat("Cannot cast a tensor of dtype ", t.valid() ? dtypeName(t.dtype()) : "<none>", " to ",
                            dtypeName(to)));
    if (t.dtype() == to)
        return t.clone();
    Tensor out(to, t.dims());
    switch (t.dtype()) {
    case DType::Float: castFrom<float>(t, out); break;
    case DType::Double: castFrom<double>(t, out); break;
    case DType::Int32: castFrom<int32_t>(t, out); break;
    case DType::Int64: castFrom<int64_t>(t, out); break;
    case DType::UInt8: castFrom<uint8_t>(t, out); break;
    case DType::Bool: {
        // Eigen cannot vectorise bool loads; widen through uint8 (bool is one byte 0/1).
        Tensor bytes(DType::UInt8, t.dims());
        std::copy_n(reinterpret_cast<const uint8_t*>(t.data<bool>()), t.numElements(), bytes.data<uint8_t>());
        castFrom<uint8_t>(bytes, out);
        break;
    }
    default: break;
    }
    return out;
}

// Parallel loops. The range is cut into a few blocks per thread; the caller and
// the pool threads claim blocks from a shared counter until none are left. A
// pool thread that wakes late (the machine is busy, or it was asleep) finds
// fewer or no blocks and the caller simply does them itself, so a split never
// makes a kernel much slower than running it inline; the caller waits only for
// blocks a pool thread actually took. Waking a sleeping thread costs some
// 10-50 us, and on a 2-core machine that is also compiling, the second core is
// often not free at all: measured there, splitting a 128x64x512 product (8
// MFLOP, ~110 us) ranged from 1.6x faster (idle) to 2.7x slower (loaded), while
// large products lose at most a few percent when loaded. So only blocks of at
// least ~100 us of single-core work are handed out.
constexpr double kMinCostPerBlock = 8.0e6; // flops
constexpr int kBlocksPerThread = 2;

int numThreads(const KernelContext& c)
{
    const Eigen::ThreadPoolDevice* d = c.device();
    return d ? std::max(1, d->numThreads()) : 1;
}

namespace {
/// State shared by the caller and the pool tasks; tasks hold it by shared_ptr because
/// one may start after the caller has finished every block and returned.
struct ParallelState {
    std::atomic<int64_t> next{0};
    std::atomic<int64_t> done{0};
    int64_t blocks = 0, n = 0, block = 0;
    const std::function<void(int64_t, int64_t)>* fn = nullptr;

    /// Claims and runs blocks until none are left.
    void work()
    {
        for (;;) {
            const int64_t k = next.fetch_add(1, std::memory_order_relaxed);
            if (k >= blocks)
                return;
            const int64_t b = k * block, e = std::min(n, b + block);
            (*fn)(b, e);
            done.fetch_add(1, std::memory_order_acq_rel);
            done.notify_all();
        }
    }
};
} // namespace

void parallelFor(const KernelContext& c, int64_t n, double costPerItem,
                 const std::function<void(int64_t, int64_t)>& fn)
{
    if (n <= 0)
        return;
    const Eigen::ThreadPoolDevice* d = c.device();
    const int threads = d ? std::max(1, d->numThreads()) : 1;
    int64_t blocks = std::min<int64_t>(int64_t(threads) * kBlocksPerThread, n);
    blocks = std::min<int64_t>(blocks, int64_t(costPerItem * double(n) / kMinCostPerBlock));
    if (threads <= 1 || blocks <= 1) {
        fn(0, n);
        return;
    }
    auto st = std::make_shared<ParallelState>();
    st->block = (n + blocks - 1) / blocks;
    st->blocks = (n + st->block - 1) / st->block;
    st->n = n;
    st->fn = &fn;
    for (int t = 1; t < threads; ++t)
        d->enqueueNoNotification([st] { st->work(); });
    st->work();
    // Wait for blocks still running on pool threads (none were left unclaimed).
    for (int64_t k = st->done.load(std::memory_order_acquire); k < st->blocks;
         k = st->done.load(std::memory_order_acquire))
        st->done.wait(k, std::memory_order_acquire);
}

} // namespace scopeviz::exec::detail
