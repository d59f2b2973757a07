#pragma once
// TrainingController: the window's live training of the seed demo. A worker
// thread runs demo::SeedRun into a temporary log directory that the scalars
// dock follows, so the curves move while it trains. Start, pause and stop
// come from the toolbar; nothing runs on the GUI thread.
#include "core/demo/seed_run.h"

#include <QObject>
#include <QTemporaryDir>

#include <atomic>
#include <memory>
#include <mutex>
#include <condition_variable>
#include <functional>
#include <thread>

namespace scopeviz::ui {

/// Runs the seed demo's training on a worker thread.
class TrainingController : public QObject {
    Q_OBJECT
public:
    explicit TrainingController(QObject* parent = nullptr);
    ~TrainingController() override;

    /// Builds the trainer (graph, session, data) and writes the graph; does not start stepping.
    bool prepare(int64_t steps = 1000, int stepDelayMs = 20);
    /// The log directory the run writes to.
    QString logdir() const;
    /// The trainer's graph, kept alive as long as the returned pointer.
    std::shared_ptr<const Graph> graph() const;

    void start();
    void pause();
    void stop();
    bool isRunning() const { return m_running.load() && !m_paused.load(); }
    bool isPaused() const { return m_paused.load(); }
    bool isFinished() const { return m_finished.load(); }
    int64_t lastStep() const { return m_lastStep.load(); }

    /// Replaces what one step does (default: SeedRun::step); tests inject failures with it. Call before start().
    void setStepFunction(std::function<demo::SeedRunProgress(demo::SeedRun&)> step) { m_stepFn = std::move(step); }
    /// Test hook: runs on the worker with the lock held, just before it blocks while paused. Call before start().
    void setBeforePauseWait(std::function<void()> hook) { m_beforePauseWait = std::move(hook); }

signals:
    /// A step finished (queued to the GUI thread).
    void stepped(qint64 step, double loss, double accuracy);
    /// The run stopped (finished, stopped or failed).
    void finished(const QString& error);
    void stateChanged();

private:
    void loop();
    /// Changes flags the worker waits on under the mutex, then wakes it.
    template <class F>
    void setFlags(F&& change);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<demo::SeedRun> m_run;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::atomic<bool> m_running{false}, m_paused{false}, m_stop{false}, m_finished{false};
    std::atomic<int64_t> m_lastStep{0};
    int m_delayMs = 20;
    std::function<demo::SeedRunProgress(demo::SeedRun&)> m_stepFn;
    std::function<void()> m_beforePauseWait;
};

} // namespace scopeviz::ui
