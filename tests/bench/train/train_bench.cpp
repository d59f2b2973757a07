// Benchmark of one training step through the graph (gradients + optimizer +
// Session) against the same step hand-written with plain Eigen.
//
//   scopeviz_bench_train [--quick] [--only=seed|mlp]
//
// Figures (BENCH lines, "_vs_yardstick" = graph / hand-written, goal <= 1.3):
//  - seed model (batch 128, 64 -> 512 -> 10, GradientDescent): µs per step;
//  - MLP 784 -> 512 -> 10 at batch 256: µs per step;
//  - SeedTrainer::step() of the demo (two towers, accuracy fetched): µs per step.
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
#include "core/demo/seed_training.h"
#include "core/exec/session.h"
#include "core/ops/get_variable.h"
#include "core/ops/ops.h"
#include "core/scope/variable_scope.h"
#include "core/train/optimizers.h"
#include "tests/bench/bench.h"

#include <Eigen/Core>

#include <algorithm>
#include <cstring>
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

    GraphStep(const Problem& p, int threads, train::GateGradients gate = train::GateGradients::Op)
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
double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

/// Median µs per step of each stepper, measured interleaved (one step of each in
/// turn) so that a busy machine slows all of them alike. `cpu` times the calling
/// thread's CPU (single-threaded steps); otherwise wall time.
std::vector<double> timeInterleaved(const std::vector<std::function<double()>>& steppers, int warmup, int reps,
                                    bool cpu = true)
{
    auto clock = [cpu] { return cpu ? threadCpuSeconds() : bench::now(); };
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

void run(const std::string& name, int batch, int inputs, int hidden, int classes, int warmup, int reps)
{
    Problem p = makeProblem(batch, inputs, hidden, classes);
    GraphStep one(p, 1), ungated(p, 1, train::GateGradients::None);
    EigenStep yard(p);
    std::vector<double> t = timeInterleaved(
        {[&] { return one.step(p); }, [&] { return yard.step(p); }, [&] { return ungated.step(p); }}, warmup, reps);
    bench::report(name + "_step_us", t[0], "us");
    bench::report(name + "_yardstick_us", t[1], "us");
    bench::report(name + "_vs_yardstick", t[0] / t[1], "x");
    // GATE_NONE: no tuple gates at all.
    bench::report(name + "_gate_none_step_us", t[2], "us");
    bench::report(name + "_gate_none_vs_yardstick", t[2] / t[1], "x");
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
