// Benchmarks of the execution engine: forward passes through a Session
// against the same computation hand-written with plain Eigen (the yardstick,
// single-threaded, buffers allocated once), and the Session's per-op overhead.
//
//   scopeviz_bench_exec [--quick] [--gemm-only]
//
// exec_while_* times a TF1 while loop (i < n: i + 1, built node by node as a
// GraphDef import makes it) through the dataflow executor (core/exec/dataflow.h):
// iterations per second and the cost per executed op, beside exec_overhead_per_op_ns
// of the static executor.
//
// The GEMM sweep (gemm_* lines) times one single-threaded product through
// OpenBLAS and through Eigen (core/exec/kernels/gemm.h), each CPU-timed and
// interleaved: the products of the seed demo and of the 784-512-10 MLP, forward
// and backward (with their transposes), and square sizes from 8 to 256. It is
// what the OpenBLAS rule (gemm.cpp) was read from.
#include "core/demo/seed_demo.h"
#include "core/exec/kernels/gemm.h"
#include "core/exec/session.h"
#include "core/ops/get_variable.h"
#include "core/ops/ops.h"
#include "tests/bench/bench.h"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <random>
#include <ctime>
#include <string>
#include <vector>

using namespace scopeviz;

namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowVector = Eigen::Matrix<float, 1, Eigen::Dynamic>;

/// Seconds of CPU time used by this process (all threads).
double cpuNow()
{
    timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

/// Median wall and CPU microseconds per call of one function.
struct Timing {
    double wallUs = 0, cpuUs = 0;
};

/// Times several functions with interleaved rounds (so a busy machine slows them alike):
/// for each, the medians over `rounds` of the mean wall and CPU time of `reps` calls.
std::vector<Timing> timeUs(const std::vector<std::function<void()>>& fns, int rounds, int reps)
{
    for (const auto& fn : fns)
        for (int i = 0; i < std::max(2, reps / 4); ++i)
            fn(); // warm-up: plans, allocator, caches
    std::vector<std::vector<double>> wall(fns.size()), cpu(fns.size());
    for (int r = 0; r < rounds; ++r) {
        for (size_t k = 0; k < fns.size(); ++k) {
            const double w0 = bench::now(), c0 = cpuNow();
            for (int i = 0; i < reps; ++i)
                fns[k]();
            wall[k].push_back((bench::now() - w0) / reps * 1e6);
            cpu[k].push_back((cpuNow() - c0) / reps * 1e6);
        }
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    std::vector<Timing> out;
    for (size_t k = 0; k < fns.size(); ++k)
        out.push_back({median(wall[k]), median(cpu[k])});
    return out;
}

Tensor randomTensor(std::vector<int64_t> dims, float lo, float hi, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(lo, hi);
    Tensor t(DType::Float, std::move(dims));
    for (int64_t i = 0; i < t.numElements(); ++i)
        t.data<float>()[i] = u(rng);
    return t;
}

Tensor randomLabels(int64_t n, int classes, uint32_t seed)
{
    std::mt19937 rng(seed);
    Tensor t(DType::Int64, {n});
    for (int64_t i = 0; i < n; ++i)
        t.data<int64_t>()[i] = int64_t(rng() % uint32_t(classes));
    return t;
}

/// The yardstick: relu(x W1 + b1) W2 + b2, sparse softmax cross-entropy, mean.
struct EigenMlp {
    RowMatrix w1, w2, h, logits;
    RowVector b1, b2;
    float forward(const RowMatrix& x, const int64_t* labels)
    {
        h.noalias() = x * w1;
        h = (h.array().rowwise() + b1.array()).cwiseMax(0.0f).matrix();
        logits.noalias() = h * w2;
        logits.rowwise() += b2;
        double total = 0;
        for (Eigen::Index i = 0; i < logits.rows(); ++i) {
            const float mx = logits.row(i).maxCoeff();
            const float lse = mx + std::log((logits.row(i).array() - mx).exp().sum());
            total += lse - logits(i, labels[i]);
        }
        return float(total / double(logits.rows()));
    }
};

RowMatrix toEigen(const Tensor& t) { return Eigen::Map<const RowMatrix>(t.data<float>(), t.dim(0), t.dim(1)); }

/// Compares Session and Eigen on one MLP; prints BENCH lines with `prefix`.
void compareMlp(const std::string& prefix, Graph& g, Output x, Output labelsIn, Output loss, OpId init, Variable w1,
                Variable b1, Variable w2, Variable b2, int64_t batch, int inputs, bool quick)
{
    Tensor xs = randomTensor({batch, inputs}, 0, 1, 1);
    Tensor labels = randomLabels(batch, int(w2.info().shape.dim(1)), 2);
    const int rounds = quick ? 3 : 9, reps = quick ? 10 : 40;

    exec::Session one(g, exec::SessionOptions{.intraOpThreads = 1});
    exec::Session multi(g);
    for (exec::Session* s : {&one, &multi}) {
        s->run({}, {}, {init});
        if (s == &multi) // same weights in both, so the losses must agree
            for (Variable v : {w1, b1, w2, b2})
                multi.setVariableValue(v.info().op, one.variableValue(v.info().op));
    }
    EigenMlp e;
    e.w1 = toEigen(one.variableValue(w1.info().op));
    e.w2 = toEigen(one.variableValue(w2.info().op));
    Tensor tb1 = one.variableValue(b1.info().op), tb2 = one.variableValue(b2.info().op);
    e.b1 = Eigen::Map<const RowVector>(tb1.data<float>(), tb1.numElements());
    e.b2 = Eigen::Map<const RowVector>(tb2.data<float>(), tb2.numElements());
    const RowMatrix ex = toEigen(xs);

    const std::vector<std::pair<Output, Tensor>> feeds = {{x, xs}, {labelsIn, labels}};
    const float sessLoss = one.run({loss}, feeds)[0].data<float>()[0];
    const float multiLoss = multi.run({loss}, feeds)[0].data<float>()[0];
    const float eigenLoss = e.forward(ex, labels.data<int64_t>());
    if (std::fabs(sessLoss - eigenLoss) > 1e-4f * std::max(1.0f, std::fabs(eigenLoss)) ||
        std::fabs(multiLoss - eigenLoss) > 1e-4f * std::max(1.0f, std::fabs(eigenLoss)))
        std::printf("WARNING %s: losses differ: session %g, %d threads %g, eigen %g\n", prefix.c_str(), sessLoss,
                    multi.intraOpThreads(), multiLoss, eigenLoss);

    volatile float sink = 0;
    const std::vector<Timing> us = timeUs({[&] { sink = e.forward(ex, labels.data<int64_t>()); },
                                           [&] { sink = one.run({loss}, feeds)[0].data<float>()[0]; },
                                           [&] { sink = multi.run({loss}, feeds)[0].data<float>()[0]; }},
                                          rounds, reps);
    (void)sink;
    const double eigenUs = us[0].wallUs, oneUs = us[1].wallUs, multiUs = us[2].wallUs;
    bench::report(prefix + "_eigen_us", eigenUs, "us");
    bench::report(prefix + "_session_1thread_us", oneUs, "us");
    bench::report(prefix + "_session_1thread_ratio", oneUs / eigenUs, "x");
    // CPU time is steadier than wall time on a shared machine (single-threaded runs only).
    bench::report(prefix + "_eigen_cpu_us", us[0].cpuUs, "us");
    bench::report(prefix + "_session_1thread_cpu_us", us[1].cpuUs, "us");
    bench::report(prefix + "_session_1thread_cpu_ratio", us[1].cpuUs / us[0].cpuUs, "x");
    bench::report(prefix + "_session_" + std::to_string(multi.intraOpThreads()) + "threads_us", multiUs, "us");
    bench::report(prefix + "_session_" + std::to_string(multi.intraOpThreads()) + "threads_ratio", multiUs / eigenUs,
                  "x");
}

/// One product of the sweep: C[m,n] = op(A) op(B).
struct GemmCase {
    const char* name;
    int64_t m, n, k;
    bool ta, tb;
};

void gemmSweep(bool quick)
{
    using exec::detail::GemmPath;
    std::printf("# gemm backend: %s; OpenBLAS from m*n*k >= %lld, except transposed B with k < %lld\n",
                exec::detail::gemmBackendName(), static_cast<long long>(exec::detail::blasMinWork()),
                static_cast<long long>(exec::detail::blasMinDepthTransposedB()));
    const std::vector<GemmCase> cases = {
        {"sq4", 4, 4, 4, false, false},
        {"sq8", 8, 8, 8, false, false},
        {"sq16", 16, 16, 16, false, false},
        {"sq24", 24, 24, 24, false, false},
        {"sq32", 32, 32, 32, false, false},
        {"sq48", 48, 48, 48, false, false},
        {"sq64", 64, 64, 64, false, false},
        {"sq96", 96, 96, 96, false, false},
        {"sq128", 128, 128, 128, false, false},
        {"sq256", 256, 256, 256, false, false},
        // seed demo, batch 128: forward, then dW2 = h^T dlogits, dh = dlogits W2^T, dW1 = x^T dh
        {"seed_fwd1_128x512x64", 128, 512, 64, false, false},
        {"seed_fwd2_128x10x512", 128, 10, 512, false, false},
        {"seed_dw2_512x10x128_ta", 512, 10, 128, true, false},
        {"seed_dh_128x512x10_tb", 128, 512, 10, false, true},
        {"seed_dw1_64x512x128_ta", 64, 512, 128, true, false},
        // MLP 784-512-10, batch 256
        {"mlp_fwd1_256x512x784", 256, 512, 784, false, false},
        {"mlp_fwd2_256x10x512", 256, 10, 512, false, false},
        {"mlp_dw2_512x10x256_ta", 512, 10, 256, true, false},
        {"mlp_dh_256x512x10_tb", 256, 512, 10, false, true},
        {"mlp_dw1_784x512x256_ta", 784, 512, 256, true, false},
        // shallow products (small inner dimension k)
        {"depth10_128x512x10", 128, 512, 10, false, false},
        {"depth16_128x512x16_tb", 128, 512, 16, false, true},
        {"depth24_128x512x24_tb", 128, 512, 24, false, true},
        {"depth32_128x512x32_tb", 128, 512, 32, false, true},
        {"depth48_128x512x48_tb", 128, 512, 48, false, true},
        {"depth10_64x64x10_tb", 64, 64, 10, false, true},
        {"depth10_16x16x10_tb", 16, 16, 10, false, true},
        // thin products
        {"thin_32x10x64", 32, 10, 64, false, false},
        {"thin_64x10x64", 64, 10, 64, false, false},
        {"thin_128x10x128", 128, 10, 128, false, false},
    };
    for (const GemmCase& gc : cases) {
        Tensor a = randomTensor(gc.ta ? std::vector<int64_t>{gc.k, gc.m} : std::vector<int64_t>{gc.m, gc.k}, -1, 1, 7);
        Tensor b = randomTensor(gc.tb ? std::vector<int64_t>{gc.n, gc.k} : std::vector<int64_t>{gc.k, gc.n}, -1, 1, 8);
        std::vector<float> c(size_t(gc.m * gc.n));
        auto run = [&](GemmPath path) {
            exec::detail::gemmBlock<float>(gc.ta, gc.tb, gc.m, gc.n, gc.k, a.data<float>(), a.dim(1),
                                           b.data<float>(), b.dim(1), c.data(), gc.n, path);
        };
        const double work = double(gc.m * gc.n * gc.k);
        const int reps = std::max(1, int(std::min(2000.0, 2e7 / std::max(1.0, work))));
        const std::vector<Timing> t =
            timeUs({[&] { run(GemmPath::Eigen); }, [&] { run(GemmPath::Blas); }}, quick ? 5 : 15, quick ? 1 + reps / 4 : reps);
        const std::string n = std::string("gemm_") + gc.name;
        bench::report(n + "_eigen_us", t[0].cpuUs, "us");
        bench::report(n + "_blas_us", t[1].cpuUs, "us");
        bench::report(n + "_blas_vs_eigen", t[1].cpuUs / t[0].cpuUs, "x");
        bench::report(n + "_blas_gflops", 2 * work / t[1].cpuUs * 1e-3, "GFLOP/s");
    }
}

} // namespace

int main(int argc, char** argv)
{
    bool quick = false, gemmOnly = false;
    for (int i = 1; i < argc; ++i) {
        quick |= std::strcmp(argv[i], "--quick") == 0;
        gemmOnly |= std::strcmp(argv[i], "--gemm-only") == 0;
    }
    gemmSweep(quick);
    if (gemmOnly)
        return 0;

    // 1. The seed model (64 -> 512 -> 10), batch 128, through the demo graph.
    {
        Graph g;
        g.setSeed(1);
        demo::SeedModel m = demo::buildSeedDemo(g);
        OpId init = ops::globalVariablesInitializer(g);
        compareMlp("exec_seed_forward_b128", g, m.x, m.labels, m.loss, init, m.weights, m.biases, m.headWeights,
                   m.headBiases, 128, demo::kSeedInputs, quick);
    }

    // 2. A 784 -> 512 -> 10 MLP at batch 256.
    {
        Graph g;
        g.setSeed(2);
        Output x = ops::placeholder(g, DType::Float, Shape{-1, 784}, "x");
        Output labels = ops::placeholder(g, DType::Int64, Shape{-1}, "labels");
        Variable w1 = getVariable(g, "w1", {784, 512}, DType::Float, initializers::truncatedNormal(0, 0.05));
        Variable b1 = getVariable(g, "b1", {512}, DType::Float, initializers::constant(0.1));
        Variable w2 = getVariable(g, "w2", {512, 10}, DType::Float, initializers::truncatedNormal(0, 0.05));
        Variable b2 = getVariable(g, "b2", {10}, DType::Float, initializers::zeros());
        Output h = ops::relu(g, ops::biasAdd(g, ops::matmul(g, x, w1), b1));
        Output logits = ops::biasAdd(g, ops::matmul(g, h, w2), b2);
        Output loss = ops::reduceMean(g, ops::sparseSoftmaxCrossEntropyWithLogits(g, labels, logits));
        OpId init = ops::globalVariablesInitializer(g);
        compareMlp("exec_mlp784_forward_b256", g, x, labels, loss, init, w1, b1, w2, b2, 256, 784, quick);
    }

    // 3. Per-op overhead: a chain of scalar additions (the kernels do almost nothing).
    {
        Graph g;
        Output v = ops::placeholder(g, DType::Float, Shape{}, "v");
        const int n = 1000;
        Output h = v;
        for (int i = 0; i < n; ++i)
            h = ops::plus(g, h, v);
        exec::Session s(g, exec::SessionOptions{.intraOpThreads = 1});
        const std::vector<std::pair<Output, Tensor>> feeds = {{v, Tensor::scalar<float>(1)}};
        const Timing t = timeUs({[&] { s.run({h}, feeds); }}, quick ? 3 : 9, quick ? 20 : 100)[0];
        bench::report("exec_overhead_per_op_ns", t.wallUs * 1000 / n, "ns");
        bench::report("exec_overhead_per_op_cpu_ns", t.cpuUs * 1000 / n, "ns");
    }
    // 4. A while loop through the dataflow executor: 7 ops per iteration
    //    (Merge, Less, LoopCond, Switch, Identity, Add, NextIteration).
    {
        Graph g;
        auto node = [&](const char* name, const char* type, std::vector<Output> in, AttrList a, DType t) {
            const bool two = std::strcmp(type, "Merge") == 0 || std::strcmp(type, "Switch") == 0;
            std::vector<OutputInfo> outs(two ? 2 : 1, OutputInfo{t, Shape{}});
            OpId id = g.importOp(name, type, "", std::move(a), std::move(outs));
            g.setImportedInputs(id, std::move(in), {});
            return id;
        };
        auto constant = [&](const char* name, int32_t v) {
            AttrList a;
            a.set("value", AttrValue::tensor(Tensor::scalar<int32_t>(v)));
            return Output{node(name, "Const", {}, std::move(a), DType::Int32), 0};
        };
        auto enter = [&](const char* name, Output x, bool isConstant) {
            AttrList a;
            a.set("frame_name", AttrValue::string("while/while_context"));
            a.set("is_constant", AttrValue::boolean(isConstant));
            return Output{node(name, "Enter", {x}, std::move(a), DType::Int32), 0};
        };
        const int iterations = quick ? 20000 : 200000;
        Output n = ops::placeholder(g, DType::Int32, Shape{}, "n");
        Output e = enter("while/Enter", constant("i", 0), false);
        Output en = enter("while/Less/Enter", n, true), one = enter("while/add/Enter", constant("one", 1), true);
        OpId merge = node("while/Merge", "Merge", {e, e}, {}, DType::Int32);
        Output less{node("while/Less", "Less", {{merge, 0}, en}, {}, DType::Bool), 0};
        Output cond{node("while/LoopCond", "LoopCond", {less}, {}, DType::Bool), 0};
        OpId sw = node("while/Switch", "Switch", {{merge, 0}, cond}, {}, DType::Int32);
        Output body{node("while/add", "Add", {{node("while/Identity", "Identity", {{sw, 1}}, {}, DType::Int32), 0}, one},
                         {}, DType::Int32),
                    0};
        g.setImportedInputs(merge, {e, {node("while/NextIteration", "NextIteration", {body}, {}, DType::Int32), 0}}, {});
        Output exit{node("while/Exit", "Exit", {{sw, 0}}, {}, DType::Int32), 0};
        exec::Session s(g, exec::SessionOptions{.intraOpThreads = 1});
        const std::vector<std::pair<Output, Tensor>> feeds = {{n, Tensor::scalar<int32_t>(iterations)}};
        if (s.run({exit}, feeds)[0].toDouble(0) != iterations)
            std::fprintf(stderr, "while loop gave a wrong count\n");
        const Timing t = timeUs({[&] { s.run({exit}, feeds); }}, quick ? 3 : 5, 1)[0];
        bench::report("exec_while_iterations_per_s", iterations / (t.wallUs * 1e-6), "1/s");
        bench::report("exec_while_per_op_ns", t.wallUs * 1000 / (7.0 * iterations), "ns");
    }
    bench::report("exec_peak_rss_mb", double(bench::peakRssBytes()) / (1 << 20), "MB");
    return 0;
}
