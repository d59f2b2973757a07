// LayoutEngine: a queue in front of one worker thread.
//
// Graphviz is not thread-safe (docs/toolchain.md §6 pitfall 10), and a GVC context
// is expensive to make (3 ms) but cheap to reuse (0.1 ms per small cluster), so
// exactly one thread ever touches Graphviz: the worker, which also owns the
// per-cluster cache. Everything else talks to it through the queue.
//
// Jobs are of three kinds. Submitted layouts are superseded by newer ones:
// submit() flags every queued or running submitted job as cancelled; a queued
// one is answered "cancelled" as soon as the worker reaches it, a running one
// notices the flag between two cluster layouts. Each submit() gets exactly one
// callback, so the GUI can always clear its busy indicator. Synchronous
// layouts (layoutNow) wait on a promise and are never cancelled. Control jobs
// (settings, cache) run in queue order.
#include "core/layout/layout_engine.h"

#include "core/layout/hierarchical_layout.h"
#include "core/util/strings.h"

#include <atomic>
#include <exception>
#include <future>

namespace scopeviz::layout {

struct LayoutEngine::Job {
    enum class Kind { Async, Sync, Control };
    Kind kind = Kind::Async;
    LayoutRequest request;                    // Async: owned copy
    const LayoutRequest* borrowed = nullptr;  // Sync: the caller waits, so the pointer stays valid
    Callback done;
    std::promise<std::shared_ptr<const LayoutResult>> result;
    std::function<void(detail::HierarchicalLayouter&)> control;
    std::promise<void> controlDone;
    std::atomic<bool> cancelled{false};
};

namespace {

std::shared_ptr<const LayoutResult> cancelledResult(uint64_t generation)
{
    auto r = std::make_shared<LayoutResult>();
    r->generation = generation;
    r->cancelled = true;
    return r;
}

std::shared_ptr<const LayoutResult> failedResult(uint64_t generation, std::string_view why)
{
    auto r = std::make_shared<LayoutResult>();
    r->generation = generation;
    r->warnings.push_back(cat("layout failed: ", why));
    return r;
}

std::shared_ptr<const LayoutResult> runGuarded(detail::HierarchicalLayouter& layouter, const LayoutRequest& request,
                                               const std::atomic<bool>* cancel)
{
    try {
        return std::make_shared<const LayoutResult>(layouter.run(request, cancel));
    } catch (const std::exception& e) {
        return failedResult(request.generation, e.what());
    } catch (...) { // not a std::exception: still a result, never a dead worker
        return failedResult(request.generation, "unknown error");
    }
}

} // namespace

LayoutEngine::LayoutEngine(LayoutSettings settings) : m_settings(settings)
{
    m_worker = std::thread([this] { workerMain(); });
    m_workerId = m_worker.get_id(); // read only by threads that submitted work after this point
}

LayoutEngine::~LayoutEngine()
{
    std::deque<std::shared_ptr<Job>> orphans;
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        if (m_running)
            m_running->cancelled = true;
        orphans.swap(m_queue);
    }
    m_wake.notify_all();
    for (auto& job : orphans) {
        if (job->kind == Job::Kind::Sync)
            job->result.set_value(cancelledResult(job->borrowed->generation));
        else if (job->kind == Job::Kind::Control)
            job->controlDone.set_value();
    }
    if (m_worker.joinable())
        m_worker.join();
}

void LayoutEngine::enqueue(std::shared_ptr<Job> job)
{
    {
        std::lock_guard lock(m_mutex);
        if (job->kind == Job::Kind::Async) {
            for (auto& queued : m_queue)
                if (queued->kind == Job::Kind::Async)
                    queued->cancelled = true;
            if (m_running && m_running->kind == Job::Kind::Async)
                m_running->cancelled = true;
        }
        m_queue.push_back(std::move(job));
    }
    m_wake.notify_one();
}

uint64_t LayoutEngine::submit(LayoutRequest request, Callback done)
{
    auto job = std::make_shared<Job>();
    job->kind = Job::Kind::Async;
    job->request = std::move(request);
    job->done = std::move(done);
    uint64_t ticket;
    {
        std::lock_guard lock(m_mutex);
        ticket = m_nextTicket++;
    }
    enqueue(std::move(job));
    return ticket;
}

void LayoutEngine::cancel()
{
    std::lock_guard lock(m_mutex);
    for (auto& queued : m_queue)
        if (queued->kind == Job::Kind::Async)
            queued->cancelled = true;
    if (m_running && m_running->kind == Job::Kind::Async)
        m_running->cancelled = true;
}

std::shared_ptr<const LayoutResult> LayoutEngine::layoutNow(const LayoutRequest& request)
{
    if (std::this_thread::get_id() == m_workerId && m_layouter) // called from a callback
        return runGuarded(*m_layouter, request, nullptr);
    auto job = std::make_shared<Job>();
    job->kind = Job::Kind::Sync;
    job->borrowed = &request;
    auto future = job->result.get_future();
    {
        std::lock_guard lock(m_mutex);
        if (m_stop)
            return cancelledResult(request.generation);
    }
    enqueue(job);
    return future.get();
}

void LayoutEngine::setSettings(const LayoutSettings& settings)
{
    {
        std::lock_guard lock(m_mutex);
        m_settings = settings;
    }
    auto job = std::make_shared<Job>();
    job->kind = Job::Kind::Control;
    job->control = [settings](detail::HierarchicalLayouter& l) { l.setSettings(settings); };
    enqueue(std::move(job));
}

LayoutSettings LayoutEngine::settings() const
{
    std::lock_guard lock(m_mutex);
    return m_settings;
}

void LayoutEngine::clearCache()
{
    auto job = std::make_shared<Job>();
    job->kind = Job::Kind::Control;
    job->control = [](detail::HierarchicalLayouter& l) { l.clearCache(); };
    enqueue(std::move(job));
}

size_t LayoutEngine::cachedClusters()
{
    if (std::this_thread::get_id() == m_workerId && m_layouter)
        return m_layouter->cachedClusters();
    size_t count = 0;
    auto job = std::make_shared<Job>();
    job->kind = Job::Kind::Control;
    job->control = [&count](detail::HierarchicalLayouter& l) { count = l.cachedClusters(); };
    auto done = job->controlDone.get_future();
    enqueue(std::move(job));
    done.wait();
    return count;
}

void LayoutEngine::workerMain()
{
    LayoutSettings initial;
    {
        std::lock_guard lock(m_mutex);
        initial = m_settings;
    }
    detail::HierarchicalLayouter layouter(initial);
    m_layouter = &layouter;
    for (;;) {
        std::shared_ptr<Job> job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stop || !m_queue.empty(); });
            if (m_stop)
                break;
            job = m_queue.front();
            m_queue.pop_front();
            m_running = job;
        }
        switch (job->kind) {
        case Job::Kind::Async: {
            auto result = job->cancelled ? cancelledResult(job->request.generation)
                                         : runGuarded(layouter, job->request, &job->cancelled);
            bool stopping;
            {
                std::lock_guard lock(m_mutex);
                stopping = m_stop;
            }
            if (!stopping && job->done) {
                try {
                    job->done(std::move(result));
                } catch (...) {
                    // A throwing callback must not kill the worker.
                }
            }
            break;
        }
        case Job::Kind::Sync:
            job->result.set_value(runGuarded(layouter, *job->borrowed, nullptr));
            break;
        case Job::Kind::Control:
            try {
                job->control(layouter);
            } catch (...) {
            }
            job->controlDone.set_value();
            break;
        }
        std::lock_guard lock(m_mutex);
        m_running.reset();
    }
    m_layouter = nullptr;
}

} // namespace scopeviz::layout
