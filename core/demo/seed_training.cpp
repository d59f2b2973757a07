#include "core/demo/seed_training.h"

#include "core/ops/ops.h"
#include "core/train/optimizers.h"
#include "core/util/error.h"

#include <algorithm>
#include <random>

namespace scopeviz::demo {

namespace {

/// Fills `x` (rows of kSeedInputs) and `y` with points of random classes.
void samplePoints(std::mt19937_64& rng, const Tensor& means, double noise, Tensor& x, Tensor& y)
{
    std::normal_distribution<float> n01(0.f, 1.f);
    std::uniform_int_distribution<int> cls(0, kSeedClasses - 1);
    const int64_t rows = x.dim(0);
    for (int64_t r = 0; r < rows; ++r) {
        const int c = cls(rng);
        y.data<int64_t>()[r] = c;
        const float* mean = means.data<float>() + int64_t(c) * kSeedInputs;
        float* row = x.data<float>() + r * kSeedInputs;
        for (int k = 0; k < kSeedInputs; ++k)
            row[k] = mean[k] + float(noise) * n01(rng);
    }
}

} // namespace

SeedDataset makeSeedDataset(const SeedTrainingOptions& o)
{
    if (o.trainExamples < 1 || o.evalExamples < 1 || o.batchSize < 1)
        throw ValueError("seed training needs at least one training example, eval example and batch row");
    SeedDataset d;
    std::mt19937_64 rng(o.seed);
    std::normal_distribution<float> n01(0.f, 1.f);
    d.means = Tensor(DType::Float, {kSeedClasses, kSeedInputs});
    for (int64_t i = 0; i < d.means.numElements(); ++i)
        d.means.data<float>()[i] = n01(rng);
    d.trainX = Tensor(DType::Float, {o.trainExamples, kSeedInputs});
    d.trainY = Tensor(DType::Int64, {o.trainExamples});
    samplePoints(rng, d.means, o.noise, d.trainX, d.trainY);
    std::mt19937_64 evalRng(o.seed ^ 0x9e3779b97f4a7c15ull); // a separate stream: eval never overlaps train
    d.evalX = Tensor(DType::Float, {o.evalExamples, kSeedInputs});
    d.evalY = Tensor(DType::Int64, {o.evalExamples});
    samplePoints(evalRng, d.means, o.noise, d.evalX, d.evalY);
    return d;
}

SeedTrainer::SeedTrainer(SeedTrainingOptions options) : m_options(std::move(options))
{
    m_data = makeSeedDataset(m_options);
    m_graph = std::make_unique<Graph>();
    Graph& g = *m_graph;
    g.setSeed(m_options.graphSeed);
    m_model = buildSeedDemo(g, m_options.summaries);
    Variable globalStep = train::getOrCreateGlobalStep(g);
    m_globalStepOp = globalStep.info().op;
    std::unique_ptr<train::Optimizer> opt;
    switch (m_options.optimizer) {
    case SeedOptimizer::GradientDescent:
        opt = std::make_unique<train::GradientDescentOptimizer>(m_options.learningRate);
        break;
    case SeedOptimizer::Momentum:
        opt = std::make_unique<train::MomentumOptimizer>(m_options.learningRate, m_options.momentum);
        break;
    case SeedOptimizer::Adam: opt = std::make_unique<train::AdamOptimizer>(m_options.learningRate); break;
    }
    m_trainOp = opt->minimize(g, m_model.loss, globalStep);
    m_initOp = ops::globalVariablesInitializer(g);

    exec::SessionOptions so;
    so.intraOpThreads = m_options.intraOpThreads;
    m_session = std::make_unique<exec::Session>(g, so);
    m_batchX = Tensor(DType::Float, {m_options.batchSize, kSeedInputs});
    m_batchY = Tensor(DType::Int64, {m_options.batchSize});
    m_order.resize(size_t(m_options.trainExamples));
    reset();
}

SeedTrainer::~SeedTrainer() = default;

void SeedTrainer::reset()
{
    m_session->run(std::vector<Output>{}, {}, {m_initOp});
    for (size_t i = 0; i < m_order.size(); ++i)
        m_order[i] = int32_t(i);
    m_cursor = m_order.size(); // reshuffle before the first batch
    m_shuffleState = m_options.seed + 1;
}

void SeedTrainer::nextBatch()
{
    // Fresh tensors per batch: the Session may keep a fed buffer alive until the run ends.
    m_batchX = Tensor(DType::Float, {m_options.batchSize, kSeedInputs});
    m_batchY = Tensor(DType::Int64, {m_options.batchSize});
    for (int r = 0; r < m_options.batchSize; ++r) {
        if (m_cursor >= m_order.size()) {
            std::mt19937_64 rng(m_shuffleState++);
            std::shuffle(m_order.begin(), m_order.end(), rng);
            m_cursor = 0;
        }
        const int32_t i = m_order[m_cursor++];
        std::copy_n(m_data.trainX.data<float>() + int64_t(i) * kSeedInputs, kSeedInputs,
                    m_batchX.data<float>() + int64_t(r) * kSeedInputs);
        m_batchY.data<int64_t>()[r] = m_data.trainY.data<int64_t>()[i];
    }
}

SeedStepResult SeedTrainer::step()
{
    nextBatch();
    std::vector<Output> fetches{m_model.loss, m_model.accuracy};
    if (m_model.summaries)
        fetches.push_back(*m_model.summaries);
    std::vector<Tensor> out =
        m_session->run(fetches, {{m_model.x, m_batchX}, {m_model.labels, m_batchY}}, {m_trainOp});
    SeedStepResult r;
    r.loss = out[0].toDouble(0);
    r.accuracy = out[1].toDouble(0);
    if (m_model.summaries && out[2].dtype() == DType::String && !out[2].strings().empty())
        r.summary = out[2].strings()[0];
    r.step = globalStep();
    return r;
}

double SeedTrainer::evalAccuracy()
{
    std::vector<Tensor> out = m_session->run({m_model.evalLogits}, {{m_model.xEval, m_data.evalX}});
    const Tensor& logits = out[0];
    const int64_t rows = logits.dim(0), cols = logits.dim(1);
    int64_t correct = 0;
    for (int64_t r = 0; r < rows; ++r) {
        const float* row = logits.data<float>() + r * cols;
        const int64_t best = std::max_element(row, row + cols) - row;
        correct += best == m_data.evalY.data<int64_t>()[r];
    }
    return rows ? double(correct) / double(rows) : 0.0;
}

int64_t SeedTrainer::globalStep() const
{
    Tensor v = m_session->variableValue(m_globalStepOp);
    return v.valid() ? v.data<int64_t>()[0] : 0;
}

} // namespace scopeviz::demo
