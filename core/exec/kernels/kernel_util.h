#pragma once
// Helpers shared by the kernel files: dtype dispatch, attr parsing, shape
// arguments, Eigen map aliases and a small parallel-for on the Session's
// thread pool. Internal to core/exec (and the training kernels).
#include "core/exec/kernel.h"
#include "core/util/strings.h"

#include <Eigen/Core>

#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>
#include <vector>

namespace scopeviz::exec::detail {

/// Largest rank after merging dimensions in broadcasting loops (inputs may have up to 4x this).
constexpr int kMaxRank = 16;

/// Registers the broadcasting binary kernels (cwise_kernels.cpp; called by registerMathKernels).
void registerBinaryKernels(KernelRegistry& r);

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

// ---- attrs -------------------------------------------------------------------------
bool attrBool(const KernelContext& c, std::string_view name, bool fallback);
int64_t attrInt(const KernelContext& c, std::string_view name, int64_t fallback);
DType attrType(const KernelContext& c, std::string_view name, DType fallback);
std::string attrString(const KernelContext& c, std::string_view name, const std::string& fallback = {});

// ---- shape arguments ---------------------------------------------------------------
/// The values of a rank-0/1 int32/int64 tensor (shape and axis arguments).
std::vector<int64_t> indexValues(const KernelContext& c, const Tensor& t, const char* what);
/// Dims from a shape argument; fails on negative sizes.
std::vector<int64_t> dimsFromTensor(const KernelContext& c, const Tensor& t, const char* what);
/// Input i, required to be a valid dense (non-string) tensor.
const Tensor& denseInput(const KernelContext& c, int i);

/// Converts a dense tensor to another dense dtype (Cast semantics: C++ conversions,
/// non-zero -> true). Throws TypeError for strings or unsupported dtypes.
Tensor castTensor(const Tensor& t, DType to);

// ---- threads ------------------------------------------------------------------------
/// Runs fn over [0, n) split into contiguous blocks on the Session's pool when the
/// total cost (items x costPerItem flops) is large enough to pay for waking threads;
/// otherwise calls fn(0, n) inline. fn must not throw.
void parallelFor(const KernelContext& c, int64_t n, double costPerItem,
                 const std::function<void(int64_t begin, int64_t end)>& fn);
/// The number of threads parallelFor may use (1 without a pool).
int numThreads(const KernelContext& c);

} // namespace scopeviz::exec::detail
