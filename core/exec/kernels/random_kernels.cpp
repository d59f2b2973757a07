// Random kernels: RandomUniform, RandomStandardNormal, TruncatedNormal.
//
// Seeds follow TensorFlow's rule, not its numbers: seed and seed2 both 0 means
// "nondeterministic" (the op's generator is seeded from std::random_device);
// otherwise the generator is seeded from (seed, seed2) alone, so the same
// graph produces the same values in every Session and every process. Each op
// keeps its own generator in the Session, so repeated runs continue the
// sequence (a second run gives new values, the same ones every time).
//
// The transforms are written out (no std:: distributions, whose algorithms
// differ between standard libraries): uniform = the top mantissa-width bits
// of a 64-bit draw scaled to [0, 1); normal = Box-Muller on two uniforms;
// truncated normal = normal draws redrawn until |x| <= 2, as TF truncates at
// two standard deviations.
#include "core/exec/kernels/kernel_util.h"

#include <cmath>

namespace scopeviz::exec::detail {
namespace {

enum class Dist { Uniform, Normal, Truncated };

std::mt19937_64& engineOf(KernelContext& c)
{
    RandomState& st = c.random();
    if (!st.seeded) {
        const int64_t seed = attrInt(c, "seed", 0), seed2 = attrInt(c, "seed2", 0);
        if (seed == 0 && seed2 == 0) {
            std::random_device rd;
            std::seed_seq seq{rd(), rd(), rd(), rd()};
            st.engine.seed(seq);
        } else {
            std::seed_seq seq{uint32_t(uint64_t(seed)), uint32_t(uint64_t(seed) >> 32), uint32_t(uint64_t(seed2)),
                              uint32_t(uint64_t(seed2) >> 32)};
            st.engine.seed(seq);
        }
        st.seeded = true;
    }
    return st.engine;
}

/// Uniform double in [0, 1) with 53 random bits.
double uniform01(std::mt19937_64& e) { return double(e() >> 11) * 0x1.0p-53; }

/// Uniform double in (0, 1] (safe for log).
double uniformOpen0(std::mt19937_64& e) { return (double(e() >> 11) + 1.0) * 0x1.0p-53; }

template <class T, Dist D>
void fill(std::mt19937_64& e, T* out, int64_t n)
{
    constexpr double kTwoPi = 6.283185307179586476925286766559;
    if constexpr (D == Dist::Uniform) {
        for (int64_t i = 0; i < n; ++i) {
            if constexpr (std::is_same_v<T, float>)
                out[i] = float(e() >> 40) * 0x1.0p-24f; // exactly representable, < 1
            else
                out[i] = T(uniform01(e));
        }
    } else {
        int64_t i = 0;
        while (i < n) {
            const double r = std::sqrt(-2.0 * std::log(uniformOpen0(e)));
            const double t = kTwoPi * uniform01(e);
            const double pair[2] = {r * std::cos(t), r * std::sin(t)};
            for (double v : pair) {
                if (i >= n)
                    break;
                if (D == Dist::Truncated && std::fabs(v) > 2.0)
                    continue;
                out[i++] = T(v);
            }
        }
    }
}

template <Dist D>
void randomKernel(KernelContext& c)
{
    const DType dtype = DType(cachedAttr(c, [&] { return attrType(c, "dtype", DType::Float); }));
    std::vector<int64_t> dims = dimsFromTensor(c, c.input(0), "shape");
    visitFloat(c, dtype, [&](auto tag) {
        using T = decltype(tag);
        Tensor& out = c.allocateOutput(0, dtype, dims);
        fill<T, D>(engineOf(c), out.data<T>(), out.numElements());
    });
}

} // namespace

void registerRandomKernels(KernelRegistry& r)
{
    r.add("RandomUniform", randomKernel<Dist::Uniform>, kFresh);
    r.add("RandomStandardNormal", randomKernel<Dist::Normal>, kFresh);
    r.add("TruncatedNormal", randomKernel<Dist::Truncated>, kFresh);
}

} // namespace scopeviz::exec::detail
