#pragma once
// LayoutEngine: the GUI's entry point to the hierarchical layout. One worker
// thread owns the Graphviz context and the per-cluster cache; requests are
// queued, a newer request supersedes older ones, results come back as
// immutable snapshots. Layout never paints (Cutter's split): the GUI turns
// the LayoutResult into scene items.
#include "core/layout/layout_types.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace scopeviz::layout {

namespace detail {
class HierarchicalLayouter;
}

/// Runs hierarchical layouts on one worker thread with one long-lived Graphviz context and a per-cluster cache.
class LayoutEngine {
public:
    /// Called exactly once per submit() on the worker thread, with a result that may be cancelled.
    /// It may call submit(), cancel() or layoutNow(), but must not destroy the engine.
    using Callback = std::function<void(std::shared_ptr<const LayoutResult>)>;

    /// Starts the worker thread; the Graphviz context is made lazily on it.
    explicit LayoutEngine(LayoutSettings settings = {});
    /// Cancels queued and running work and joins the worker; callbacks not yet invoked are dropped.
    ~LayoutEngine();
    LayoutEngine(const LayoutEngine&) = delete;
    LayoutEngine& operator=(const LayoutEngine&) = delete;

    /// Queues a layout; older submitted requests still pending or running are cancelled. Returns a ticket number.
    uint64_t submit(LayoutRequest request, Callback done);
    /// Cancels every submitted request not yet finished (their callbacks report cancelled).
    void cancel();
    /// Lays out on the worker thread and waits for the result; never cancelled by submit() or cancel().
    std::shared_ptr<const LayoutResult> layoutNow(const LayoutRequest& request);
    /// Replaces the settings (applied in queue order) and drops the cache.
    void setSettings(const LayoutSettings& settings);
    /// The settings most recently given.
    LayoutSettings settings() const;
    /// Drops every cached cluster layout (e.g. when another graph is opened).
    void clearCache();
    /// Number of cached cluster layouts (waits for the worker).
    size_t cachedClusters();

private:
    struct Job;
    void enqueue(std::shared_ptr<Job> job);
    void workerMain();

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::shared_ptr<Job>> m_queue;
    std::shared_ptr<Job> m_running;
    bool m_stop = false;
    uint64_t m_nextTicket = 1;
    LayoutSettings m_settings;
    std::thread::id m_workerId;
    detail::HierarchicalLayouter* m_layouter = nullptr; // lives on the worker's stack; touched only there
    std::thread m_worker;
};

} // namespace scopeviz::layout
