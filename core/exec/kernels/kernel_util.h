#pragma once
// Helpers shared by the kernel files: dtype dispatch, attr parsing, shape
// arguments, Eigen map aliases and a small parallel-for on the Session's
// thread pool. Internal to core/exec (and the training kernels).
#include "core/exec/kernel.h"
#include "core/util/strings.h"

#include <Eigen/Core>

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

namespace scopeviz::exec::detail {

/// Largest rank after merging dimensions in broadcasting loops (inputs may have up to 4x this).
constexpr int kMaxRank = 16;

/// Registers the broadcasting binary kernels (cwise_kernels.cpp; called by registerMathKernels).
void registerBinaryKernels(KernelRegistry& r);

/// Traits of kernels whose outputs are fresh buffers (most kernels; see KernelTraits).
inline constexpr KernelTraits kFresh{.freshOutputs = true};
/// Traits of kernels whose output 0 is input 0's buffer (Identity, Reshape, ...).
inline constexpr KernelTraits kAlias{.aliasesInput0 = true};

// ---- Eigen views ---------------------------------------------------------------
template <class T>
using ArrayX = Eigen::Array<T, Eigen::Dynamic, 1>;
/// Unaligned flat view (offsets into a buffer are not 64-byte aligned).
template <class T>
using VecMap = Eigen::Map<ArrayX<T>>;
template <class T>
using CVecMap = Eigen::Map<const ArrayX<T>>;
template <class T>
using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using RowArray = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using RowArrayMap = Eigen::Map<RowArray<T>>;
template <class T>
using CRowArrayMap = Eigen::Map<const RowArray<T>>;

// ---- dtype dispatch ---------------------------------------------------------------
// Each visitor calls f(T{}) for the C++ element type of t, or fails naming the op.

/// "[2,3]": TensorShape::DebugString of dims.
std::string dimsString(const std::vector<int64_t>& dims);

/// Fails with "No kernel for <Op> with dtype <t>".
[[noreturn]] void unsupportedType(const KernelContext& c, DType t);

/// float32 and float64.
template <class F>
void visitFloat(const KernelContext& c, DType t, F&& f)
{
    switch (t) {
    case DType::Float: f(float{}); return;
    case DType::Double: f(double{}); return;
    default: unsupportedType(c, t);
    }
}

/// float32, float64, int32, int64.
template <class F>
void visitReal(const KernelContext& c, DType t, F&& f)
{
    switch (t) {
    case DType::Float: f(float{}); return;
    case DType::Double: f(double{}); return;
    case DType::Int32: f(int32_t{}); return;
    case DType::Int64: f(int64_t{}); return;
    default: unsupportedType(c, t);
    }
}

/// The real types plus uint8 (comparisons, casts).
template <class F>
void visitNumeric(const KernelContext& c, DType t, F&& f)
{
    if (t == DType::UInt8) {
        f(uint8_t{});
        return;
    }
    visitReal(c, t, std::forward<F>(f));
}

/// Every dense type: numeric plus bool.
template <class F>
void visitDense(const KernelContext& c, DType t, F&& f)
{
    if (t == DType::Bool) {
        f(bool{});
        return;
    }
    visitNumeric(c, t, std::forward<F>(f));
}

/// int32 or int64 (labels, shapes, axes).
template <class F>
void visitIndex(const KernelContext& c, DType t, F&& f)
{
    switch (t) {
    case DType::Int32: f(int32_t{}); return;
    case DType::Int64: f(int64_t{}); return;
    default: unsupportedType(c, t);
    }
}

/// The dtype sets above, for kernels templated on the set they accept.
enum class TypeSet { Float, Real, Numeric, Dense };

/// visitFloat / visitReal / visitNumeric / visitDense, chosen by S.
template <TypeSet S, class F>
void visitTypes(const KernelContext& c, DType t, F&& f)
{
    if constexpr (S == TypeSet::Float)
        visitFloat(c, t, std::forward<F>(f));
    else if constexpr (S == TypeSet::Real)
        visitReal(c, t, std::forward<F>(f));
    else if constexpr (S == TypeSet::Numeric)
        visitNumeric(c, t, std::forward<F>(f));
    else
        visitDense(c, t, std::forward<F>(f));
}

// ---- attrs -------------------------------------------------------------------------
bool attrBool(const KernelContext& c, std::string_view name, bool fallback);
int64_t attrInt(const KernelContext& c, std::string_view name, int64_t fallback);
DType attrType(const KernelContext& c, std::string_view name, DType fallback);
std::string attrString(const KernelContext& c, std::string_view name, const std::string& fallback = {});
/// True when the data_format attr says NCHW (BiasAdd, BiasAddGrad; the default is NHWC).
bool isNchw(const KernelContext& c);

/// The op's KernelCache, filled by parse(cache) on the op's first run only: attr
/// lookups compare strings, so kernels parse their attrs once and read the cache after.
template <class Parse>
const KernelCache& cachedAttrs(KernelContext& c, Parse&& parse)
{
    KernelCache& k = c.cache();
    if (!k.ready) {
        parse(k);
        k.ready = true;
    }
    return k;
}

/// One integer-valued attr (bool, int, dtype), read by read() on the op's first run only.
template <class Read>
int64_t cachedAttr(KernelContext& c, Read&& read)
{
    return cachedAttrs(c, [&](KernelCache& k) { k.i[0] = int64_t(read()); }).i[0];
}

// ---- shape arguments ---------------------------------------------------------------
/// The values of a rank-0/1 int32/int64 tensor (shape and axis arguments).
std::vector<int64_t> indexValues(const KernelContext& c, const Tensor& t, const char* what);
/// Dims from a shape argument; fails on negative sizes.
std::vector<int64_t> dimsFromTensor(const KernelContext& c, const Tensor& t, const char* what);
/// Input i, required to be a valid dense (non-string) tensor.
const Tensor& denseInput(const KernelContext& c, int i);
/// Fails with TF's "Inputs of <Op> have different dtypes: <a> and <b>".
[[noreturn]] void differentDtypes(const KernelContext& c, const Tensor& a, const Tensor& b);
/// Fails (differentDtypes) unless a and b share a dtype.
inline void requireSameDtype(const KernelContext& c, const Tensor& a, const Tensor& b)
{
    if (a.dtype() != b.dtype()) [[unlikely]]
        differentDtypes(c, a, b);
}

/// Converts a dense tensor to another dense dtype (Cast semantics: C++ conversions,
/// non-zero -> true). Throws TypeError for strings or unsupported dtypes.
Tensor castTensor(const Tensor& t, DType to);

// ---- shared kernel bodies -------------------------------------------------------------

/// The common start of binary kernels: inputs 0 and 1, dense and of one dtype (TF's
/// "different dtypes" text otherwise), then body(T{}, a, b) for that dtype from set S.
template <TypeSet S, class Body>
void visitBinary(KernelContext& c, Body&& body)
{
    const Tensor& a = denseInput(c, 0);
    const Tensor& b = denseInput(c, 1);
    requireSameDtype(c, a, b);
    visitTypes<S>(c, a.dtype(), [&](auto tag) { body(tag, a, b); });
}

/// out = F::apply(x) elementwise for the dtypes of S, written into x's buffer when the
/// Session lets it go (F::apply takes and returns an Eigen array expression).
template <class F, TypeSet S>
void unaryKernel(KernelContext& c)
{
    const Tensor& x = denseInput(c, 0);
    visitTypes<S>(c, x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        Tensor& out = c.forwardInputOrAllocateOutput(0, 0, x.dtype(), x.dims());
        const int64_t n = x.numElements();
        VecMap<T>(out.data<T>(), n) = F::apply(CVecMap<T>(x.data<T>(), n));
    });
}

/// The numerically stable core of softmax, log-softmax and the cross-entropies, row by
/// row over a row-major [rows, cols] z: maxes = row maxima (NaN-propagating; -inf for
/// empty rows), e = exp(z - max) (e may be z's own buffer), and returns the row sums of e.
template <class T>
ArrayX<T> expMinusRowMax(const CRowArrayMap<T>& z, RowArrayMap<T>& e, ArrayX<T>& maxes)
{
    maxes.resize(z.rows());
    for (Eigen::Index r = 0; r < z.rows(); ++r)
        maxes[r] = z.cols() ? z.row(r).template maxCoeff<Eigen::PropagateNaN>() : -std::numeric_limits<T>::infinity();
    e = (z.colwise() - maxes).exp();
    return e.rowwise().sum();
}

// ---- threads ------------------------------------------------------------------------
/// Runs fn over [0, n) split into contiguous blocks on the Session's pool when the
/// total cost (items x costPerItem flops) is large enough to pay for waking threads;
/// otherwise calls fn(0, n) inline. fn must not throw.
void parallelFor(const KernelContext& c, int64_t n, double costPerItem,
                 const std::function<void(int64_t begin, int64_t end)>& fn);
/// The number of threads parallelFor may use (1 without a pool).
int numThreads(const KernelContext& c);

} // namespace scopeviz::exec::detail
