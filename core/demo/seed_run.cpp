#include "core/demo/seed_run.h"

#include "core/io/graphdef_io.h"
#include "core/util/error.h"

#include <cstdio>
#include <ostream>

namespace scopeviz::demo {

SeedRun::SeedRun(SeedRunOptions options) : m_options(std::move(options))
{
    m_options.training.summaries = true;
    m_trainer = std::make_shared<SeedTrainer>(m_options.training);
    m_writer = std::make_unique<EventWriter>(m_options.logdir);
    m_writer->addGraphDef(serializeGraphDef(m_trainer->graph()));
    (void)m_writer->flush();
}

SeedRun::~SeedRun() { (void)close(); }

SeedRunProgress SeedRun::step()
{
    SeedStepResult r = m_trainer->step();
    SeedRunProgress p;
    p.step = r.step;
    p.loss = r.loss;
    p.accuracy = r.accuracy;
    if (!r.summary.empty())
        m_writer->addSummary(r.summary, r.step);
    if (m_options.evalEvery > 0 && r.step % m_options.evalEvery == 0) {
        p.evalAccuracy = m_trainer->evalAccuracy();
        m_writer->addScalar("summary/eval_accuracy", *p.evalAccuracy, r.step);
    }
    (void)m_writer->flush();
    return p;
}

void SeedRun::run(const std::atomic<bool>* stop, const std::function<void(const SeedRunProgress&)>& progress)
{
    while (m_trainer->globalStep() < m_options.steps && !(stop && stop->load())) {
        SeedRunProgress p = step();
        if (progress)
            progress(p);
    }
}

Expected<void> SeedRun::close()
{
    if (!m_writer)
        return {};
    return m_writer->close();
}

int runSeedTrainingCli(const SeedRunOptions& options, std::ostream& log, std::ostream& err)
{
    if (options.logdir.empty()) {
        err << "scopeviz: --train needs --logdir DIR\n";
        return 2;
    }
    try {
        SeedRun run(options);
        if (auto st = run.trainer().graph().numOps(); st == 0)
            return 1;
        run.run(nullptr, [&](const SeedRunProgress& p) {
            if (p.step % 10 == 0 || p.step == options.steps) {
                char line[160];
                std::snprintf(line, sizeof line, "step %5lld  loss %.4f  accuracy %.3f", static_cast<long long>(p.step),
                              p.loss, p.accuracy);
                log << line;
                if (p.evalAccuracy)
                    log << "  eval accuracy " << *p.evalAccuracy;
                log << '\n';
            }
        });
        if (auto closed = run.close(); !closed.ok()) {
            err << "scopeviz: training failed: the event file was not written: " << closed.error() << '\n';
            return 1;
        }
        log << "wrote " << run.eventFile() << '\n';
        return 0;
    } catch (const std::exception& e) {
        err << "scopeviz: training failed: " << e.what() << '\n';
        return 1;
    } catch (...) {
        err << "scopeviz: training failed: unknown error\n";
        return 1;
    }
}

} // namespace scopeviz::demo
