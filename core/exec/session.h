#pragma once
// Session: runs a Graph on the CPU, as tf.Session does for TF1 graphs.
//
// A run computes the fetched tensors and runs the target ops, executing only
// the pruned subgraph they need (data and control inputs, stopping at fed
// tensors) in a topological order, less the stateless ops whose outputs
// nothing in the run reads (TF's graph optimizer drops those too: see
// session.cpp). The order, the kernel of every op and the buffer bookkeeping
// are computed once per (fetches, feeds, targets) signature and cached as an
// execution plan, so a repeated run costs one small hash lookup plus the
// kernels; intermediate buffers are recycled from one run to the next.
// Variables live in the Session (one slot per VariableV2 op); the Graph may
// keep growing, which drops the cached plans.
//
// Errors carry TensorFlow's text: the first line is TF's message, then
// "\n\t [[node <name>]]" names the failing op (also in OpError::opName()).
// Feeds are checked before anything runs (ValueError, as TF's Python layer
// raises). After any error the Session stays usable and keeps its variables.
//
// Runs are serialized (one at a time per Session); cancel() and the variable
// accessors may be called from any thread.
#include "core/graph/graph.h"
#include "core/tensor/tensor.h"

#include <atomic>
#include <memory>
#include <utility>
#include <vector>

namespace scopeviz::exec {

namespace detail {
class RunContext;
}

/// Session construction options.
struct SessionOptions {
    /// Threads for large kernels (big matmuls): 0 = one per core, 1 = everything on the calling thread.
    int intraOpThreads = 0;
    /// Fuse elementwise work into neighbouring kernels where the graph allows it (a
    /// bias add and Relu in one pass, ReluGrad with the bias gradient): invisible in
    /// names and fetched values. false runs every op's own kernel (the reference).
    bool fuseOps = true;
};

/// Per-run options.
struct RunOptions {
    /// When set and true at an op boundary, the run stops with CancelledError (the flag is not reset).
    const std::atomic<bool>* cancelFlag = nullptr;
};

/// Executes a graph; owns the variable values.
class Session {
public:
    /// A session on g. The graph must outlive the Session.
    explicit Session(const Graph& g, SessionOptions options = {});
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    /// sess.run(fetches, feed_dict, targets): the fetched values, in order.
    /// Throws ValueError (bad fetch/feed arguments, feed shape mismatch, before running),
    /// TypeError (feed dtype not convertible), InvalidArgumentError, FailedPreconditionError
    /// (uninitialized variable) or CancelledError.
    std::vector<Tensor> run(const std::vector<Output>& fetches, const std::vector<std::pair<Output, Tensor>>& feeds = {},
                            const std::vector<OpId>& targets = {}, const RunOptions& options = {});

    /// Stops the run in progress at its next op boundary with CancelledError; when no
    /// run is in progress, the next run is the one that stops. Thread-safe.
    void cancel();

    /// A copy of a variable's value (invalid Tensor when uninitialized). `variableOp` is the VariableV2 op.
    Tensor variableValue(OpId variableOp) const;
    /// Replaces a variable's value with a copy of `value` (converted to the variable's dtype).
    /// Throws ValueError when the op is not a variable or the shape does not match.
    void setVariableValue(OpId variableOp, const Tensor& value);
    /// True when the variable holds a value.
    bool isInitialized(OpId variableOp) const;

    const Graph& graph() const;
    /// Threads used by large kernels (1 when there is no pool).
    int intraOpThreads() const;
    /// Number of cached execution plans (for tests and diagnostics).
    size_t cachedPlanCount() const;

private:
    friend class detail::RunContext;
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace scopeviz::exec
