// Benchmark of one training step through the graph (gradients + optimizer +
// Session) against the same step hand-written with plain Eigen.
//
//   scopeviz_bench_train [--quick] [--only=seed|mlp]
//
// Figures (BENCH lines, "_vs_yardstick" = graph / hand-written, goal <= 1.3):
//  - seed model (batch 128, 64 -> 512 -> 10, GradientDescent): µs per step;
//  - MLP 784 -> 512 -> 10 at batch 256: µs per step;
//  - SeedTrainer::step() of the demo (two towers, accuracy fetched): µs per step;
//  - the graph step without kernel fusion ("_unfused_", SessionOptions::fuseOps).
// Each is measured with one intra-op thread (the yardstick is single-threaded
// Eigen) as the calling thread's CPU time, median over steps interleaved with
// the yardstick's (the build machine is shared); and, for information, with
// the Session's default pool in wall time.
//
// The yardstick does what a person would write: forward, softmax
// cross-entropy, backward without the unused gradient w.r.t. the input, SGD
// update in place, every buffer kept across steps. The graph step is TF
// 1.15's graph for minimize() with GATE_OP: its `tuple/group_deps` wrap every
// op's input gradients, including `gradients/my_net/MatMul_grad/MatMul`
// (d loss / d x), which nothing reads; the Session leaves such unread
// stateless ops out, as TF's graph optimizer does, so both sides do the same
// work. The graph step built with GATE_NONE (no tuples at all) is reported as
// "_gate_none_vs_yardstick" to show that the gates cost nothing.
//
// Two yardsticks from outside scopeviz, for the seed step and the MLP step:
//  - numpy on OpenBLAS with one thread: the same step (forward, softmax
//    cross-entropy, backward, SGD update, float32) written in numpy and run
//    by /usr/bin/python3 in a child process, timed there with the thread's
//    CPU clock (time.thread_time) as ours is. The child runs with
//    OPENBLAS_NUM_THREADS=1 and without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE
//    (unset for the child only, so OpenBLAS picks its kernels as it does for
//    us). Measured in rounds alternating with the graph step, so both see the
//    same load; "<name>_vs_numpy" = scopeviz time / numpy time, the median
//    over the rounds (below 1: scopeviz is faster).
//  - the fraction of fp32 peak: the step's floating-point operations (counted
//    below: the five GEMMs exactly, the elementwise work one per add, multiply,
//    max or exp) / time / peak, where peak = 1 core x fp32 lanes of the widest
//    vector unit in /proc/cpuinfo's flags x 2 (an FMA is two operations) x
//    FMA units (2 assumed: see the "# peak:" line) x the clock from cpufreq's
//    cpuinfo_max_freq or else cpuinfo's "cpu MHz". The FMA throughput actually
//    measured on this core (a register-blocked FMA loop) is printed next to it,
//    with the fraction of that.
#include "core/demo/seed_training.h"
#include "core/exec/kernels/gemm.h"
#include "core/exec/session.h"
#include "core/ops/get_variable.h"
#include "core/ops/ops.h"
#include "core/scope/variable_scope.h"
#include "core/train/optimizers.h"
#include "tests/bench/bench.h"

#include <Eigen/Core>

#include <immintrin.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <ctime>
#include <functional>
#include <random>
#include <string>
#include <vector>

using namespace scopeviz;

namespace {

using Mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

struct Problem {
    int batch, inputs, hidden, classes;
    Tensor x, labels;
};

Problem makeProblem(int batch, int inputs, int hidden, int classes)
{
    Problem p{batch, inputs, hidden, classes, Tensor(DType::Float, {batch, inputs}), Tensor(DType::Int64, {batch})};
    std::mt19937_64 rng(5);
    std::normal_distribution<float> n01;
    for (int64_t i = 0; i < p.x.numElements(); ++i)
        p.x.data<float>()[i] = n01(rng);
    for (int i = 0; i < batch; ++i)
        p.labels.data<int64_t>()[i] = int64_t(rng() % uint64_t(classes));
    return p;
}

/// The seed demo's structure: my_net (relu(x W + b)) and head (h W + b), sparse xent, mean, GD.
struct GraphStep {
    Graph g;
    Output x, labels, loss;
    OpId train = -1;
    std::unique_ptr<exec::Session> session;

    GraphStep(const Problem& p, int threads, train::GateGradients gate = train::GateGradients::Op, bool fuse = true)
    {
        g.setSeed(1);
        x = ops::placeholder(g, DType::Float, Shape{-1, p.inputs}, "x");
        labels = ops::placeholder(g, DType::Int64, Shape{-1}, "labels");
        Output h;
        {
            VariableScope vs(g, "my_net");
            Variable w = getVariable(g, "weights", {p.inputs, p.hidden}, DType::Float,
                                     initializers::truncatedNormal(0, 0.05));
            Variable b = getVariable(g, "biases", {p.hidden}, DType::Float, initializers::constant(0.1));
            h = ops::relu(g, ops::plus(g, ops::matmul(g, x, w), b));
        }
        Output logits;
        {
            VariableScope vs(g, "head");
            Variable w = getVariable(g, "weights", {p.hidden, p.classes}, DType::Float,
                                     initializers::truncatedNormal(0, 0.05));
            Variable b = getVariable(g, "biases", {p.classes}, DType::Float, initializers::zeros());
            logits = ops::plus(g, ops::matmul(g, h, w), b);
        }
        loss = ops::reduceMean(g, ops::sparseSoftmaxCrossEntropyWithLogits(g, labels, logits));
        train::GradientDescentOptimizer opt(0.01);
        train = opt.minimize(g, loss, train::getOrCreateGlobalStep(g), {}, gate);
        OpId init = ops::globalVariablesInitializer(g);
        exec::SessionOptions so;
        so.intraOpThreads = threads;
        so.fuseOps = fuse;
        session = std::make_unique<exec::Session>(g, so);
        session->run(std::vector<Output>{}, {}, {init});
    }

    double step(const Problem& p)
    {
        return session->run({loss}, {{x, p.x}, {labels, p.labels}}, {train})[0].toDouble(0);
    }
};

/// The same step in plain Eigen (single-threaded GEMMs, buffers reused across steps).
struct EigenStep {
    Mat w1, w2, pre, h, logits, dlogits, dh, dw1, dw2;
    Eigen::RowVectorXf b1, b2, db1, db2;

    explicit EigenStep(const Problem& p)
    {
        std::mt19937_64 rng(2);
        std::normal_distribution<float> n(0, 0.05f);
        w1 = Mat(p.inputs, p.hidden);
        w2 = Mat(p.hidden, p.classes);
        for (int64_t i = 0; i < w1.size(); ++i)
            w1.data()[i] = n(rng);
        for (int64_t i = 0; i < w2.size(); ++i)
            w2.data()[i] = n(rng);
        b1 = Eigen::RowVectorXf::Constant(p.hidden, 0.1f);
        b2 = Eigen::RowVectorXf::Zero(p.classes);
    }

    double step(const Problem& p)
    {
        const float lr = 0.01f;
        Eigen::Map<const Mat> x(p.x.data<float>(), p.batch, p.inputs);
        pre.noalias() = x * w1;
        pre.rowwise() += b1;
        h = pre.cwiseMax(0.f);
        logits.noalias() = h * w2;
        logits.rowwise() += b2;
        // softmax cross-entropy: loss and d loss / d logits (exp evaluated once per element)
        double loss = 0;
        dlogits.resize(p.batch, p.classes);
        for (int r = 0; r < p.batch; ++r) {
            const float m = logits.row(r).maxCoeff();
            dlogits.row(r) = (logits.row(r).array() - m).exp().matrix();
            const float sum = dlogits.row(r).sum();
            const int64_t y = p.labels.data<int64_t>()[r];
            loss += std::log(sum) - (logits(r, y) - m);
            dlogits.row(r) /= sum;
            dlogits(r, y) -= 1.f;
        }
        dlogits /= float(p.batch);
        loss /= p.batch;
        dw2.noalias() = h.transpose() * dlogits;
        db2 = dlogits.colwise().sum();
        dh.noalias() = dlogits * w2.transpose();
        dh = (pre.array() > 0.f).select(dh, 0.f);
        dw1.noalias() = x.transpose() * dh;
        db1 = dh.colwise().sum();
        w1 -= lr * dw1;
        b1 -= lr * db1;
        w2 -= lr * dw2;
        b2 -= lr * db2;
        return loss;
    }
};

/// CPU seconds of the calling thread: immune to being descheduled on a busy machine.

/// Median µs per step of each stepper, measured interleaved (one step of each in
/// turn) so that a busy machine slows all of them alike. `cpu` times the calling
/// thread's CPU (single-threaded steps); otherwise wall time.
std::vector<double> timeInterleaved(const std::vector<std::function<double()>>& steppers, int warmup, int reps,
                                    bool cpu = true)
{
    auto clock = [cpu] { return cpu ? bench::threadCpuSeconds() : bench::now(); };
    volatile double sink = 0;
    for (int i = 0; i < warmup; ++i)
        for (const auto& f : steppers)
            sink = sink + f();
    std::vector<std::vector<double>> t(steppers.size());
    for (int i = 0; i < reps; ++i) {
        for (size_t k = 0; k < steppers.size(); ++k) {
            const double t0 = clock();
            sink = sink + steppers[k]();
            t[k].push_back((clock() - t0) * 1e6);
        }
    }
    std::vector<double> out;
    for (auto& v : t)
        out.push_back(median(v));
    return out;
}

// ---- numpy yardstick -------------------------------------------------------------------

/// The numpy step (no single quotes: it is passed to python3 -c in single quotes).
const char* kNumpyStep = R"PY(
import sys, time, ctypes
import numpy as np
B, I, H, C, warm, reps = map(int, sys.argv[1:7])
rng = np.random.default_rng(5)
x = rng.standard_normal((B, I), dtype=np.float32)
y = rng.integers(0, C, B)
w1 = (rng.standard_normal((I, H)) * 0.05).astype(np.float32)
b1 = np.full(H, 0.1, np.float32)
w2 = (rng.standard_normal((H, C)) * 0.05).astype(np.float32)
b2 = np.zeros(C, np.float32)
rows = np.arange(B)
lr = np.float32(0.01)
def step():
    global w1, b1, w2, b2
    pre = x @ w1
    pre += b1
    h = np.maximum(pre, 0)
    z = h @ w2
    z += b2
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    s = e.sum(axis=1, keepdims=True)
    loss = float(np.mean(np.log(s[:, 0]) - z[rows, y]))
    e /= s
    e[rows, y] -= 1
    e /= B
    dw2 = h.T @ e
    db2 = e.sum(axis=0)
    dh = e @ w2.T
    dh *= pre > 0
    dw1 = x.T @ dh
    db1 = dh.sum(axis=0)
    w1 -= lr * dw1
    b1 -= lr * db1
    w2 -= lr * dw2
    b2 -= lr * db2
    return loss
for _ in range(warm):
    step()
ts = []
for _ in range(reps):
    t0 = time.thread_time_ns()
    step()
    ts.append((time.thread_time_ns() - t0) / 1000)
ts.sort()
try:
    lib = ctypes.CDLL("libopenblas.so.0")
    lib.openblas_get_corename.restype = ctypes.c_char_p
    core = lib.openblas_get_corename().decode()
except OSError:
    core = "unknown"
print("# numpy", np.__version__, "OpenBLAS core", core, "OPENBLAS_NUM_THREADS=1")
print("RESULT", ts[len(ts) // 2], ts[0])
)PY";

/// Median and best µs per numpy step, or {0, 0} when python3/numpy cannot run.
std::pair<double, double> numpyStepUs(int batch, int inputs, int hidden, int classes, int warmup, int reps,
                                      bool printInfo)
{
    const std::string cmd = "env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 /usr/bin/python3 -c '" +
                            std::string(kNumpyStep) + "' " + std::to_string(batch) + " " + std::to_string(inputs) +
                            " " + std::to_string(hidden) + " " + std::to_string(classes) + " " +
                            std::to_string(warmup) + " " + std::to_string(reps) + " 2>&1";
    FILE* f = popen(cmd.c_str(), "r");
    if (!f)
        return {0, 0};
    char line[512];
    std::pair<double, double> r{0, 0};
    while (std::fgets(line, sizeof line, f)) {
        if (std::strncmp(line, "RESULT ", 7) == 0)
            std::sscanf(line + 7, "%lf %lf", &r.first, &r.second);
        else if (printInfo || line[0] != '#')
            std::printf("%s", line[0] == '#' ? line : (std::string("# numpy child: ") + line).c_str());
    }
    pclose(f);
    return r;
}

// ---- fraction of peak ------------------------------------------------------------------

/// Floating-point operations of one training step (forward, loss, backward, SGD update).
struct StepFlops {
    double gemm = 0, elementwise = 0;
    double total() const { return gemm + elementwise; }
};

StepFlops stepFlops(double B, double I, double H, double C)
{
    StepFlops f;
    // x W1, h W2; dW2 = h^T dlogits, dh = dlogits W2^T, dW1 = x^T dh (d loss / d x is never computed).
    f.gemm = 2 * B * I * H + 2 * B * H * C + 2 * B * H * C + 2 * B * C * H + 2 * B * I * H;
    f.elementwise = B * H + B * H        // bias add, relu
                    + B * C              // head bias add
                    + 5 * B * C          // softmax cross-entropy: max, subtract, exp, sum, divide
                    + 2 * B * C          // minus one-hot, mean's 1/B
                    + B * C + B * H      // bias gradients (column sums)
                    + B * H              // relu gradient
                    + 2 * (I * H + H + H * C + C); // SGD: multiply by the rate, subtract
    return f;
}

struct Peak {
    double gflops = 0;
    std::string how;
};

/// Theoretical single-core fp32 peak from /proc/cpuinfo and cpufreq (see the file essay).
Peak cpuPeak()
{
    std::ifstream in("/proc/cpuinfo");
    std::string line, flags, vendor, model, family;
    double mhz = 0;
    while (std::getline(in, line)) {
        auto value = [&] { return line.substr(line.find(':') + 2); };
        if (line.rfind("flags", 0) == 0 && flags.empty())
            flags = " " + value() + " ";
        else if (line.rfind("vendor_id", 0) == 0 && vendor.empty())
            vendor = value();
        else if (line.rfind("model name", 0) == 0 && model.empty())
            model = value();
        else if (line.rfind("cpu family", 0) == 0 && family.empty())
            family = value();
        else if (line.rfind("cpu MHz", 0) == 0 && mhz == 0)
            mhz = std::atof(value().c_str());
        if (!flags.empty() && !vendor.empty() && !model.empty() && !family.empty() && mhz > 0)
            break;
    }
    auto has = [&](const char* f) { return flags.find(std::string(" ") + f + " ") != std::string::npos; };
    std::string clockFrom = "/proc/cpuinfo \"cpu MHz\"";
    if (std::ifstream fq("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq"); fq) {
        double khz = 0;
        if (fq >> khz && khz > 0) {
            mhz = khz / 1000;
            clockFrom = "cpufreq cpuinfo_max_freq";
        }
    }
    int lanes = 4;
    bool fma = has("fma");
    std::string isa = "sse (4 lanes, no FMA)";
    if (has("avx512f") && fma) {
        lanes = 16;
        isa = "avx512f+fma (16 lanes)";
    } else if (has("avx2") && fma) {
        lanes = 8;
        isa = "avx2+fma (8 lanes)";
    } else if (has("avx")) {
        lanes = 8;
        isa = "avx, no FMA (8 lanes)";
    }
    // FMA units cannot be read from the flags. Two is what current desktop and server
    // cores have (Intel since Haswell, AMD since Zen 2): the higher peak, so the lower,
    // conservative fraction. Without FMA, one add and one multiply per cycle count the same.
    const int units = 2;
    Peak p;
    p.gflops = lanes * 2.0 * units * mhz / 1000;
    char buf[1024];
    std::snprintf(buf, sizeof buf,
                  "%s, family %s, %s: %s; FMA units: %d assumed (not in the flags); clock %.0f MHz from %s => "
                  "1 core x %d lanes x 2 (FMA) x %d units x %.3f GHz = %.1f GFLOP/s",
                  vendor.c_str(), family.c_str(), model.c_str(), isa.c_str(), units, mhz, clockFrom.c_str(), lanes,
                  units, mhz / 1000, p.gflops);
    p.how = buf;
    if (vendor == "AuthenticAMD" && family == "25" && lanes == 16)
        p.how += " (note: AMD family 25 with AVX-512 is Zen 4, which runs a 512-bit FMA as two 256-bit halves: "
                 "its real FMA peak is half this, see the measured figure)";
    return p;
}

/// The FMA throughput one core reaches: GFLOP/s of independent FMA chains (AVX2, and
/// AVX-512 when the CPU has it), best of several runs, thread CPU time.
__attribute__((target("avx2,fma"))) float fmaChainsAvx2(long iters)
{
    __m256 acc[12];
    for (int k = 0; k < 12; ++k)
        acc[k] = _mm256_set1_ps(float(k));
    const __m256 a = _mm256_set1_ps(0.9999999f), b = _mm256_set1_ps(1e-7f);
    for (long i = 0; i < iters; ++i)
        for (int k = 0; k < 12; ++k)
            acc[k] = _mm256_fmadd_ps(acc[k], a, b);
    float out = 0;
    for (int k = 0; k < 12; ++k) {
        alignas(32) float v[8];
        _mm256_store_ps(v, acc[k]);
        for (float e : v)
            out += e;
    }
    return out;
}

__attribute__((target("avx512f"))) float fmaChainsAvx512(long iters)
{
    __m512 acc[16];
    for (int k = 0; k < 16; ++k)
        acc[k] = _mm512_set1_ps(float(k));
    const __m512 a = _mm512_set1_ps(0.9999999f), b = _mm512_set1_ps(1e-7f);
    for (long i = 0; i < iters; ++i)
        for (int k = 0; k < 16; ++k)
            acc[k] = _mm512_fmadd_ps(acc[k], a, b);
    float out = 0;
    for (int k = 0; k < 16; ++k) {
        alignas(64) float v[16];
        _mm512_store_ps(v, acc[k]);
        for (float e : v)
            out += e;
    }
    return out;
}

double measuredFmaGflops(std::string& how)
{
    volatile float sink = 0;
    auto best = [&](auto fn, double flopsPerIter) {
        const long iters = 2000000;
        double bestGflops = 0;
        for (int r = 0; r < 7; ++r) {
            const double t0 = bench::threadCpuSeconds();
            sink = sink + fn(iters);
            bestGflops = std::max(bestGflops, flopsPerIter * double(iters) / (bench::threadCpuSeconds() - t0) * 1e-9);
        }
        return bestGflops;
    };
    const double avx2 = best(fmaChainsAvx2, 12 * 8 * 2);
    how = "AVX2 FMA chains " + std::to_string(int(avx2 + 0.5)) + " GFLOP/s";
    double peak = avx2;
    if (__builtin_cpu_supports("avx512f")) {
        const double avx512 = best(fmaChainsAvx512, 16 * 16 * 2);
        how += ", AVX-512 FMA chains " + std::to_string(int(avx512 + 0.5)) + " GFLOP/s";
        peak = std::max(peak, avx512);
    }
    return peak;
}

Peak g_peak;                  ///< theoretical single-core fp32 peak
double g_measuredGflops = 0;  ///< measured FMA throughput of one core
bool g_numpyInfoShown = false;

/// The numpy yardstick and the peak fractions of one model's step (`stepUs`: the graph step).
void yardsticks(const std::string& shortName, GraphStep& one, const Problem& p, double stepUs, int warmup, int reps)
{
    // Rounds alternating graph and numpy, so a load change hits both.
    const int rounds = 3, perRound = std::max(10, reps / 2);
    std::vector<double> ratios, numpyUs;
    for (int r = 0; r < rounds; ++r) {
        const double ours = timeInterleaved({[&] { return one.step(p); }}, 3, perRound)[0];
        const auto [npMedian, npBest] =
            numpyStepUs(p.batch, p.inputs, p.hidden, p.classes, warmup, perRound, !g_numpyInfoShown);
        g_numpyInfoShown = true;
        if (npMedian <= 0) {
            std::printf("# numpy yardstick unavailable (/usr/bin/python3 with numpy)\n");
            break;
        }
        ratios.push_back(ours / npMedian);
        numpyUs.push_back(npMedian);
    }
    if (!ratios.empty()) {
        bench::report(shortName + "_numpy_step_us", median(numpyUs), "us");
        bench::report(shortName + "_vs_numpy", median(ratios), "x");
        bench::report(shortName + "_vs_numpy_best", *std::min_element(ratios.begin(), ratios.end()), "x");
    }
    const StepFlops f = stepFlops(p.batch, p.inputs, p.hidden, p.classes);
    const double gflops = f.total() / (stepUs * 1e-6) * 1e-9;
    std::printf("# %s: %.1f MFLOP per step (GEMM %.1f, elementwise %.2f), %.1f GFLOP/s\n", shortName.c_str(),
                f.total() * 1e-6, f.gemm * 1e-6, f.elementwise * 1e-6, gflops);
    bench::report(shortName + "_gflops", gflops, "GFLOP/s");
    bench::report(shortName + "_peak_fraction", gflops / g_peak.gflops, "ratio");
    bench::report(shortName + "_measured_peak_fraction", gflops / g_measuredGflops, "ratio");
}

void run(const std::string& name, int batch, int inputs, int hidden, int classes, int warmup, int reps)
{
    Problem p = makeProblem(batch, inputs, hidden, classes);
    GraphStep one(p, 1), ungated(p, 1, train::GateGradients::None), unfused(p, 1, train::GateGradients::Op, false);
    EigenStep yard(p);
    std::vector<double> t = timeInterleaved({[&] { return one.step(p); }, [&] { return yard.step(p); },
                                             [&] { return ungated.step(p); }, [&] { return unfused.step(p); }},
                                            warmup, reps);
    bench::report(name + "_step_us", t[0], "us");
    bench::report(name + "_yardstick_us", t[1], "us");
    bench::report(name + "_vs_yardstick", t[0] / t[1], "x");
    // GATE_NONE: no tuple gates at all.
    bench::report(name + "_gate_none_step_us", t[2], "us");
    bench::report(name + "_gate_none_vs_yardstick", t[2] / t[1], "x");
    // SessionOptions::fuseOps = false: every op's own kernel (bias add and Relu in two passes).
    bench::report(name + "_unfused_step_us", t[3], "us");
    bench::report(name + "_unfused_vs_fused", t[3] / t[0], "x");
    yardsticks(name.substr(0, name.find('_', name.find('_') + 1)), one, p, t[0], warmup, reps);
    // The Session's default pool, timed alone: its idle workers spin for a while after each
    // parallel kernel, which would slow whatever runs next in an interleaved loop.
    GraphStep pool(p, 0);
    bench::report(name + "_step_pool_us", timeInterleaved({[&] { return pool.step(p); }}, warmup, reps, false)[0], "us");
}

} // namespace

int main(int argc, char** argv)
{
    bool quick = false;
    std::string only; // --only=seed|mlp (for profiling one case)
    for (int i = 1; i < argc; ++i) {
        quick = quick || std::strcmp(argv[i], "--quick") == 0;
        if (std::strncmp(argv[i], "--only=", 7) == 0)
            only = argv[i] + 7;
    }
    const int warmup = quick ? 5 : 30, reps = quick ? 30 : 300;
    std::printf("# gemm backend: %s\n", exec::detail::gemmBackendName());
    g_peak = cpuPeak();
    std::printf("# peak: %s\n", g_peak.how.c_str());
    std::string measuredHow;
    g_measuredGflops = measuredFmaGflops(measuredHow);
    std::printf("# measured FMA peak of one core: %s\n", measuredHow.c_str());
    bench::report("train_fp32_peak_gflops", g_peak.gflops, "GFLOP/s");
    bench::report("train_fma_measured_gflops", g_measuredGflops, "GFLOP/s");
    std::printf("# PyTorch: %s\n", std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") == 0
                                          ? "installed but not measured here"
                                          : "not installed (python3-torch), no PyTorch yardstick");
    if (only.empty() || only == "seed") {
        run("train_seed_b128_64x512x10", 128, 64, 512, 10, warmup, reps);
        // The demo itself (both towers built, loss + accuracy fetched, next batch copied in).
        demo::SeedTrainingOptions o;
        o.intraOpThreads = 1;
        demo::SeedTrainer trainer(o);
        std::vector<double> t = timeInterleaved({[&] { return trainer.step().loss; }}, warmup, reps);
        bench::report("train_seed_demo_trainer_step_us", t[0], "us");
    }
    if (only.empty() || only == "mlp")
        run("train_mlp_b256_784x512x10", 256, 784, 512, 10, warmup, quick ? 10 : 100);
    bench::report("train_peak_rss", double(bench::peakRssBytes()) / (1024 * 1024), "MiB");
    return 0;
}
