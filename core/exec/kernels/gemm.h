#pragma once
// One single-threaded GEMM on row-major blocks, through OpenBLAS or Eigen.
//
// MatMul and its gradients (the same MatMul op with transposes) all come down
// to C = op(A) op(B) on row-major matrices. The kernel splits large products
// into independent row or column blocks on the Session's pool (math_kernels.cpp)
// and calls gemmBlock() once per block, so threading stays ours: OpenBLAS is
// told once to use one thread per call (openblas_set_num_threads(1)) and never
// starts threads of its own next to the pool's.
//
// Which implementation: OpenBLAS (Debian builds it with DYNAMIC_ARCH, so it
// picks AVX-512, AVX2 or SSE kernels for the CPU it runs on) from a measured
// work threshold in multiply-adds (m·n·k, blasMinWork()), except products with
// a transposed B and a shallow inner dimension (k < blasMinDepthTransposedB()),
// where Eigen measured faster; gemm.cpp gives the figures, and
// scopeviz_bench_exec prints the sweep they come from (gemm_* lines). Integer
// types always take Eigen. Built without OpenBLAS (-DSCOPEVIZ_OPENBLAS=OFF),
// everything takes Eigen.
#include <cstdint>

namespace scopeviz::exec::detail {

/// The implementation of one gemmBlock call.
enum class GemmPath {
    Auto,  ///< OpenBLAS where it measured faster (float and double; see above), else Eigen
    Eigen, ///< always Eigen (the reference)
    Blas,  ///< OpenBLAS whenever built with it (float and double), else Eigen
};

/// True when scopeviz was built with OpenBLAS.
bool haveBlas();
/// The multiply-add count m·n·k from which GemmPath::Auto uses OpenBLAS (per block).
int64_t blasMinWork();
/// With a transposed B, GemmPath::Auto uses OpenBLAS only from this inner dimension k.
int64_t blasMinDepthTransposedB();
/// "OpenBLAS 0.3.21 (Cooperlake kernels)" or "Eigen only": for benchmark logs.
const char* gemmBackendName();

/// C[m,n] = op(A)[m,k] · op(B)[k,n] on one thread, row-major with row strides lda,
/// ldb, ldc (op = transpose when ta/tb). T is float, double, int32_t or int64_t.
/// k == 0 writes zeros.
template <class T>
void gemmBlock(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b, int64_t ldb,
               T* c, int64_t ldc, GemmPath path = GemmPath::Auto);

extern template void gemmBlock<float>(bool, bool, int64_t, int64_t, int64_t, const float*, int64_t, const float*,
                                      int64_t, float*, int64_t, GemmPath);
extern template void gemmBlock<double>(bool, bool, int64_t, int64_t, int64_t, const double*, int64_t, const double*,
                                       int64_t, double*, int64_t, GemmPath);
extern template void gemmBlock<int32_t>(bool, bool, int64_t, int64_t, int64_t, const int32_t*, int64_t,
                                        const int32_t*, int64_t, int32_t*, int64_t, GemmPath);
extern template void gemmBlock<int64_t>(bool, bool, int64_t, int64_t, int64_t, const int64_t*, int64_t,
                                        const int64_t*, int64_t, int64_t*, int64_t, GemmPath);

} // namespace scopeviz::exec::detail
