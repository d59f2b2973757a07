#pragma once
// SeedRun: trains the seed demo and logs it like the tutorial's example 2 does
// with a tf.summary.FileWriter: the graph first, then per step the merged
// summary (summary/loss, summary/accuracy, a histogram of my_net/weights),
// and every few steps summary/eval_accuracy through the reused tower. Each step is
// flushed, so a dashboard following the log directory sees it at once.
// Used by `scopeviz --train` and by the window's live training.
#include "core/demo/seed_training.h"
#include "core/summary/event_writer.h"

#include <atomic>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

namespace scopeviz::demo {

/// Options of a logged training run.
struct SeedRunOptions {
    std::string logdir;          ///< where the event file goes (created if missing)
    int64_t steps = 300;         ///< run() stops after this many steps
    int evalEvery = 10;          ///< summary/eval_accuracy every N steps (0: never)
    SeedTrainingOptions training;
};

/// What one logged step reports.
struct SeedRunProgress {
    int64_t step = 0;
    double loss = 0;
    double accuracy = 0;
    std::optional<double> evalAccuracy;
};

/// A training run that writes TensorBoard event files.
class SeedRun {
public:
    /// Builds the trainer (with summaries) and the writer, and writes the graph.
    explicit SeedRun(SeedRunOptions options);
    ~SeedRun();
    /// One training step, logged and flushed.
    SeedRunProgress step();
    /// Runs until options.steps or until `stop` becomes true; calls `progress` after each step.
    void run(const std::atomic<bool>* stop = nullptr, const std::function<void(const SeedRunProgress&)>& progress = {});
    /// Flushes and closes the event file; returns the writer's first error (a log
    /// directory it cannot create, a full disk), so the run is not reported as written.
    Expected<void> close();
    SeedTrainer& trainer() { return *m_trainer; }
    /// The trainer shared, so a viewer can keep its graph alive.
    std::shared_ptr<SeedTrainer> sharedTrainer() const { return m_trainer; }
    /// Path of the event file.
    std::string eventFile() const { return m_writer->filePath(); }
    const SeedRunOptions& options() const { return m_options; }

private:
    SeedRunOptions m_options;
    std::shared_ptr<SeedTrainer> m_trainer;
    std::unique_ptr<EventWriter> m_writer;
};

/// `scopeviz --train`: trains headless, prints one line per 10 steps to `log`; returns an exit code.
int runSeedTrainingCli(const SeedRunOptions& options, std::ostream& log, std::ostream& err);

} // namespace scopeviz::demo
