// gemmBlock: OpenBLAS above a measured size, Eigen below (see gemm.h).
//
// The rule, read from scopeviz_bench_exec's sweep (gemm_* lines: both
// implementations, one thread, CPU-timed and interleaved; the products of the
// seed demo and of the 784-512-10 MLP, forward and backward with their
// transposes, square sizes 4 to 256, shallow and thin products). On the
// reference machine (AMD EPYC Zen 4; OpenBLAS 0.3.21 picks its Cooperlake
// kernels; Eigen compiled for x86-64-v3, toolchain.md §7):
//  - Small products favour OpenBLAS, not Eigen: 8³ takes 0.04 µs against
//    0.10 µs, 16³ 0.10 against 0.20 µs (OpenBLAS's small-matrix kernels for
//    AVX-512 skip packing). Below 8³ = 512 multiply-adds the call overhead
//    wins (4³: 1.5x Eigen's time), so those stay in Eigen (kBlasMinWork).
//  - Thin outputs (n = 10, the heads and their weight gradients) are where
//    OpenBLAS gains most: h^T·dlogits 512x10x128 takes 0.26x Eigen's time.
//  - Products with a transposed B and a shallow inner dimension favour Eigen:
//    dlogits·W2^T (128x512x10) takes 1.3-1.4x as long in OpenBLAS, and
//    k = 16…48 with n = 512 still 1.14-1.32x. So a transposed B with k < 64
//    stays in Eigen (kBlasMinDepthTransposedB).
//  - Large products are a tie: 256x512x784 runs at about 95 GFLOP/s in both
//    (Zen 4 executes AVX-512 FMAs as two 256-bit halves, so OpenBLAS's
//    AVX-512 kernel has no wider datapath than Eigen's AVX2 one).
// With OpenBLAS's AVX2 kernels (forced with OPENBLAS_CORETYPE=Haswell on the
// same machine, as an AVX2-only CPU would get them) the rule still holds:
// 4³ takes 2.6x as long in OpenBLAS (hence the threshold), 8³ to 256³ are a
// tie (0.94-1.09x), thin outputs still favour OpenBLAS (0.55-0.82x) and
// shallow products with a transposed B still favour Eigen (1.03-1.11x).
// docs/toolchain.md §9 has the figures.
#include "core/exec/kernels/gemm.h"

#include <Eigen/Core>

#include <algorithm>
#include <string>
#include <type_traits>

#ifdef SCOPEVIZ_HAVE_OPENBLAS
#include <cblas.h>

#include <mutex>
#endif

namespace scopeviz::exec::detail {

namespace {

/// Work (m·n·k multiply-adds) from which OpenBLAS is used; measured, see the essay.
constexpr int64_t kBlasMinWork = int64_t(8) * 8 * 8;
/// Products with a transposed B use OpenBLAS only from this inner dimension k up.
constexpr int64_t kBlasMinDepthTransposedB = 64;

template <class T>
void gemmEigen(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b, int64_t ldb,
               T* c, int64_t ldc)
{
    using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    using Stride = Eigen::OuterStride<>;
    using CMap = Eigen::Map<const Mat, 0, Stride>;
    Eigen::Map<Mat, 0, Stride> C(c, m, n, Stride(ldc));
    const CMap A(a, ta ? k : m, ta ? m : k, Stride(lda));
    const CMap B(b, tb ? n : k, tb ? k : n, Stride(ldb));
    if (!ta && !tb)
        C.noalias() = A * B;
    else if (ta && !tb)
        C.noalias() = A.transpose() * B;
    else if (!ta && tb)
        C.noalias() = A * B.transpose();
    else
        C.noalias() = A.transpose() * B.transpose();
}

#ifdef SCOPEVIZ_HAVE_OPENBLAS
/// One OpenBLAS thread per call: the Session's pool does the splitting (gemm.h).
void initBlas()
{
    static std::once_flag once;
    std::call_once(once, [] { openblas_set_num_threads(1); });
}

void gemmBlas(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b,
              int64_t ldb, float* c, int64_t ldc)
{
    initBlas();
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, blasint(m), blasint(n),
                blasint(k), 1.0f, a, blasint(lda), b, blasint(ldb), 0.0f, c, blasint(ldc));
}

void gemmBlas(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const double* a, int64_t lda, const double* b,
              int64_t ldb, double* c, int64_t ldc)
{
    initBlas();
    cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, blasint(m), blasint(n),
                blasint(k), 1.0, a, blasint(lda), b, blasint(ldb), 0.0, c, blasint(ldc));
}

/// OpenBLAS takes 32-bit sizes (blasint): larger products stay in Eigen.
bool fitsBlas(int64_t m, int64_t n, int64_t k, int64_t lda, int64_t ldb, int64_t ldc)
{
    constexpr int64_t lim = int64_t(1) << 31;
    return m < lim && n < lim && k < lim && lda < lim && ldb < lim && ldc < lim;
}
#endif

} // namespace

bool haveBlas()
{
#ifdef SCOPEVIZ_HAVE_OPENBLAS
    return true;
#else
    return false;
#endif
}

int64_t blasMinWork() { return kBlasMinWork; }

int64_t blasMinDepthTransposedB() { return kBlasMinDepthTransposedB; }

const char* gemmBackendName()
{
#ifdef SCOPEVIZ_HAVE_OPENBLAS
    static const std::string name = [] {
        initBlas();
        std::string s = "OpenBLAS";
        if (const char* cfg = openblas_get_config())
            s += std::string(" (") + cfg + ")";
        if (const char* core = openblas_get_corename())
            s += std::string(", core ") + core;
        return s;
    }();
    return name.c_str();
#else
    return "Eigen only (built without OpenBLAS)";
#endif
}

template <class T>
void gemmBlock(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b, int64_t ldb,
               T* c, int64_t ldc, GemmPath path)
{
    if (m <= 0 || n <= 0)
        return;
    if (k <= 0) {
        for (int64_t i = 0; i < m; ++i)
            std::fill_n(c + i * ldc, n, T(0));
        return;
    }
#ifdef SCOPEVIZ_HAVE_OPENBLAS
    if constexpr (std::is_floating_point_v<T>) {
        const bool blasWins =
            double(m) * double(n) * double(k) >= double(kBlasMinWork) && (!tb || k >= kBlasMinDepthTransposedB);
        if (path != GemmPath::Eigen && (path == GemmPath::Blas || blasWins) && fitsBlas(m, n, k, lda, ldb, ldc)) {
            gemmBlas(ta, tb, m, n, k, a, lda, b, ldb, c, ldc);
            return;
        }
    }
#endif
    gemmEigen(ta, tb, m, n, k, a, lda, b, ldb, c, ldc);
}

template void gemmBlock<float>(bool, bool, int64_t, int64_t, int64_t, const float*, int64_t, const float*, int64_t,
                               float*, int64_t, GemmPath);
template void gemmBlock<double>(bool, bool, int64_t, int64_t, int64_t, const double*, int64_t, const double*, int64_t,
                                double*, int64_t, GemmPath);
template void gemmBlock<int32_t>(bool, bool, int64_t, int64_t, int64_t, const int32_t*, int64_t, const int32_t*,
                                 int64_t, int32_t*, int64_t, GemmPath);
template void gemmBlock<int64_t>(bool, bool, int64_t, int64_t, int64_t, const int64_t*, int64_t, const int64_t*,
                                 int64_t, int64_t*, int64_t, GemmPath);

} // namespace scopeviz::exec::detail
