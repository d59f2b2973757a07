#include "ui/mainwindow/training_controller.h"

#include "core/util/error.h"
#include "ui/common/handoff.h"

#include <QDir>

#include <chrono>

namespace scopeviz::ui {

TrainingController::TrainingController(QObject* parent) : QObject(parent) {}

template <class F>
void TrainingController::setFlags(F&& change)
{
    // Under the mutex: the worker checks the flags and blocks under it, so a change
    // (and its notify) cannot fall between its check and its wait and be lost.
    {
        std::lock_guard lock(m_mutex);
        change();
    }
    m_wake.notify_all();
}

TrainingController::~TrainingController()
{
    setFlags([this] { m_stop = true; });
    if (m_thread.joinable())
        m_thread.join();
}

bool TrainingController::prepare(int64_t steps, int stepDelayMs)
{
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + "/scopeviz-seed-XXXXXX");
    demo::SeedRunOptions o;
    o.logdir = (m_dir->path() + "/seed").toStdString();
    o.steps = steps;
    m_delayMs = stepDelayMs;
    try {
        m_run = std::make_unique<demo::SeedRun>(o);
    } catch (const std::exception& e) {
        emit finished(QString::fromUtf8(e.what()));
        return false;
    } catch (...) {
        emit finished(tr("unknown error while preparing the training"));
        return false;
    }
    return true;
}

QString TrainingController::logdir() const { return m_dir ? m_dir->path() : QString(); }

std::shared_ptr<const Graph> TrainingController::graph() const
{
    if (!m_run)
        return nullptr;
    auto trainer = m_run->sharedTrainer();
    return std::shared_ptr<const Graph>(trainer, &trainer->graph());
}

void TrainingController::start()
{
    if (!m_run || m_finished)
        return;
    setFlags([this] { m_paused = false; });
    if (!m_running.exchange(true))
        m_thread = std::thread([this] { loop(); });
    emit stateChanged();
}

void TrainingController::pause()
{
    if (!m_running)
        return;
    setFlags([this] { m_paused = true; });
    emit stateChanged();
}

void TrainingController::stop()
{
    setFlags([this] {
        m_stop = true;
        m_paused = false;
    });
    emit stateChanged();
}

void TrainingController::loop()
{
    QString error;
    try {
        while (!m_stop && m_run->trainer().globalStep() < m_run->options().steps) {
            {
                std::unique_lock lock(m_mutex);
                while (m_paused && !m_stop) {
                    if (m_beforePauseWait)
                        m_beforePauseWait();
                    m_wake.wait(lock);
                }
            }
            if (m_stop)
                break;
            demo::SeedRunProgress p = m_stepFn ? m_stepFn(*m_run) : m_run->step();
            m_lastStep = p.step;
            postTo(this, [this, p] { emit stepped(p.step, p.loss, p.accuracy); });
            if (m_delayMs > 0) {
                std::unique_lock lock(m_mutex);
                m_wake.wait_for(lock, std::chrono::milliseconds(m_delayMs), [this] { return m_stop.load(); });
            }
        }
    } catch (const std::exception& e) { // scopeviz::Error and everything else: the window shows it
        error = QString::fromUtf8(e.what());
    } catch (...) {
        error = tr("unknown error (not a std::exception) in the training step");
    }
    if (auto closed = m_run->close(); !closed.ok() && error.isEmpty())
        error = tr("cannot write the event file: %1").arg(QString::fromStdString(closed.error()));
    m_finished = true;
    m_running = false;
    postTo(this, [this, error] {
        emit finished(error);
        emit stateChanged();
    });
}

} // namespace scopeviz::ui
