#pragma once
// Training the seed demo on synthetic data.
//
// Data: 10 classes of Gaussian clusters in 64 dimensions. The class means are
// drawn once from N(0, 1) per coordinate; each point is its class mean plus
// N(0, noise²) per coordinate. A fixed seed makes the training pool and the
// separate eval set identical on every run. Batches walk the training pool in
// an order reshuffled every epoch (also seeded).
//
// The graph is buildSeedDemo's (optionally with its summaries) plus an
// optimizer's minimize(loss, global_step) - GradientDescent, Momentum or Adam
// with TF 1.15's names - and `init`. step() runs the train op on the next
// batch and returns the loss and accuracy of that batch (computed before the
// update, in the same run), plus the merged summary when built.
// evalAccuracy() runs the reused tower (`my_net_1`, `head_1`) fed with
// `x_eval` and compares its argmax with the eval labels.
//
// SeedTrainer owns its Graph and Session; construct it on any thread and then
// use it from one thread at a time (the GUI and CLI drive it from a worker).
#include "core/demo/seed_demo.h"
#include "core/exec/session.h"
#include "core/graph/graph.h"
#include "core/tensor/tensor.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace scopeviz::demo {

/// Which tf.train optimizer minimize() uses.
enum class SeedOptimizer { GradientDescent, Momentum, Adam };

/// Options of the seed training run.
struct SeedTrainingOptions {
    SeedOptimizer optimizer = SeedOptimizer::GradientDescent;
    double learningRate = 0.1;   ///< GradientDescent 0.1; Adam works well at 0.001
    double momentum = 0.9;       ///< Momentum only
    int batchSize = 128;
    int trainExamples = 6400;    ///< size of the training pool
    int evalExamples = 1000;
    double noise = 2.0;          ///< per-coordinate stddev of a point around its class mean
    uint64_t seed = 20240607;    ///< data and shuffling seed
    std::optional<int64_t> graphSeed = 1; ///< tf.set_random_seed for the initializers (nullopt: random)
    bool summaries = false;      ///< build example 2 and return the merged summary per step
    int intraOpThreads = 0;      ///< Session threads (0 = one per core)
};

/// The synthetic data set (row-major float32 features, int64 labels).
struct SeedDataset {
    Tensor trainX, trainY, evalX, evalY;
    Tensor means; ///< [classes, inputs]
};

/// Builds the data set of `options` (deterministic).
SeedDataset makeSeedDataset(const SeedTrainingOptions& options);

/// What one training step reports.
struct SeedStepResult {
    int64_t step = 0;      ///< global_step after the update
    double loss = 0;       ///< mean cross-entropy of the batch, before the update
    double accuracy = 0;   ///< batch accuracy, before the update
    std::string summary;   ///< serialized Summary (merged), empty without summaries
};

/// Owns the seed graph, its session and data; trains it step by step.
class SeedTrainer {
public:
    /// Builds the graph, the optimizer and the data, and initializes the variables.
    explicit SeedTrainer(SeedTrainingOptions options = {});
    ~SeedTrainer();
    SeedTrainer(const SeedTrainer&) = delete;
    SeedTrainer& operator=(const SeedTrainer&) = delete;

    /// One training step on the next batch. Throws the Session's errors (the trainer stays usable).
    SeedStepResult step();
    /// Accuracy of the reused tower on the eval set (no update).
    double evalAccuracy();
    /// Re-runs `init`: fresh initial values, global_step 0.
    void reset();

    const Graph& graph() const { return *m_graph; }
    exec::Session& session() { return *m_session; }
    const SeedModel& model() const { return m_model; }
    const SeedDataset& data() const { return m_data; }
    const SeedTrainingOptions& options() const { return m_options; }
    /// The train op (the AssignAdd on global_step).
    OpId trainOp() const { return m_trainOp; }
    /// The global_step variable op.
    OpId globalStepOp() const { return m_globalStepOp; }
    /// Current global_step.
    int64_t globalStep() const;

private:
    void nextBatch();

    SeedTrainingOptions m_options;
    std::unique_ptr<Graph> m_graph;
    SeedModel m_model;
    OpId m_trainOp = -1, m_initOp = -1, m_globalStepOp = -1;
    std::unique_ptr<exec::Session> m_session;
    SeedDataset m_data;
    Tensor m_batchX, m_batchY;
    std::vector<int32_t> m_order;
    size_t m_cursor = 0;
    uint64_t m_shuffleState = 0;
};

} // namespace scopeviz::demo
