// Session: plan building and execution.
//
// Building a plan (once per fetch/feed/target signature):
//  1. Pruning. A depth-first walk from the fetched tensors' producers and the
//     targets follows data inputs (stopping at fed tensors) and control inputs.
//     Its post-order is the execution order, so every op runs after all of its
//     inputs; a back edge means a cycle and is reported.
//  2. Unread ops. A walk back over that order drops every op that nothing in
//     the run reads: no output fetched, not a target, and no data reader that
//     itself runs. Only ops whose running could show nothing but their outputs
//     are dropped: registered, stateless, not a Placeholder (an unfed one must
//     still fail), no ref input (Assign-like ops write through one), at least
//     one output. Being a control input does not keep such an op: ordering
//     among the ops that do run is unchanged, and a stateless op has nothing
//     to order. This is the rule TensorFlow's graph optimizer (Grappler's
//     dependency optimizer) applies in every tf.Session run, where such ops
//     become NoOps; its case in point is GATE_OP's gradient w.r.t. a fed input:
//     `tuple/control_dependency` reads it, nothing reads that Identity.
//  3. Fusion. Some patterns of ops (a bias add followed by Relu, ReluGrad
//     followed by the bias gradient's column sum) run as one fused kernel in
//     one pass (core/exec/fusion.cpp); an op the fusion makes redundant leaves
//     the order. Values a run fetches or feeds are never fused away.
//  4. Values. Every output of every planned op gets a slot in a flat value
//     table, and so does every feed; a planned op whose output is fed writes
//     that output to its own slot, which nobody reads. Kernel inputs become
//     indices into this table, so running an op is a few array reads.
//  5. Buffer lifetimes. Values are grouped by buffer: an aliasing kernel
//     (Identity, Reshape, a reduction that reduces nothing) puts its output
//     into its input's group. A group is private when its root was freshly
//     allocated by a kernel that declared freshOutputs, nothing fetches it,
//     and no kernel of unknown aliasing reads it. At the last reader of a
//     private group that reader may take the buffer over for its output
//     (forwardInputOrAllocateOutput), so a chain of elementwise ops works in
//     one buffer. Each value is also dropped from the table right after its
//     last reader; when the last value of a private group goes, its buffer
//     is recycled (below) unless a kernel was allowed to take it over.
// Running a plan: copy the (checked, converted) feeds into the table, call the
// kernels in order, checking for cancellation between ops, then copy the
// fetched values out. Values that might share a buffer with a variable, a
// constant or anything else the user could see later are copied on fetch.
//
// Recycled buffers. A training loop runs the same plan with the same shapes
// thousands of times; allocating every intermediate afresh costs a malloc and
// free per tensor and, for tensors above glibc's mmap/trim thresholds, fresh
// zeroed pages every run. So dead private buffers go to a pool keyed by dtype
// and element count, and allocateOutput() takes from it first (most recently
// freed first: it is the one still in cache). Only buffers nothing else can
// hold are pooled: private groups, after their last value is dropped, and
// only when no kernel was told it could take the buffer (canForwardInput()
// returned true: the buffer may live on in an output or a variable). Buffers
// that stay unused for a few runs are freed, and the pool is bounded in bytes.
#define EIGEN_USE_THREADS
#include "core/exec/session.h"

#include "core/exec/dataflow.h"
#include "core/exec/fusion.h"
#include "core/exec/kernel.h"
#include "core/exec/kernels/kernel_util.h"
#include "core/graph/op_registry.h"
#include "core/util/error.h"
#include "core/util/strings.h"

#include <unsupported/Eigen/CXX11/Tensor>

#include <algorithm>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace scopeviz::exec {

namespace {

constexpr size_t kMaxPlans = 256;
/// Pooled buffers unused for this many runs are freed.
constexpr uint64_t kPoolKeepRuns = 4;
/// Upper bound of the bytes the pool keeps between and during runs.
constexpr size_t kMaxPooledBytes = size_t(512) << 20;

using detail::nodeSuffix;

int64_t packOutput(Output o) { return (int64_t(o.op) << 32) | int64_t(uint32_t(o.index)); }

/// A value: a tensor, or a ref output (VariableV2, Assign); never dead outside dataflow runs.
using ValueEntry = detail::FlowValue;

struct InputRef {
    int32_t value = -1;
    int32_t group = -1; ///< root value of the input's buffer group
    bool forwardable = false;
};

/// A value dropped after a step; its buffer goes to the pool when `recycle`.
struct Release {
    int32_t value = -1;
    int32_t group = -1; ///< the value's buffer group (checked for escapes before recycling)
    bool recycle = false;
};

struct Step {
    const Operation* op = nullptr;
    const KernelDef* kernel = nullptr;
    int32_t inBegin = 0, inCount = 0;
    int32_t outBegin = 0, outCount = 0;
    int32_t relBegin = 0, relCount = 0;
    VariableSlot* slot = nullptr;
    RandomState* random = nullptr;
    KernelCache cache;
};

struct Plan {
    std::vector<Step> steps;
    std::vector<InputRef> inputs;        ///< per step input
    std::vector<int32_t> outputs;        ///< value id per step output
    std::vector<uint8_t> outputRequired; ///< per step output
    std::vector<Release> releases;       ///< values to drop after each step (ranges in Step)
    std::vector<int32_t> fetchValues;
    std::vector<uint8_t> fetchCopy;      ///< fetched value may share a buffer the user must not get
    std::vector<int32_t> feedValues;     ///< value id per feed, in the run's feed order
    /// Set when the run needs control-flow ops: the dataflow executor runs it (dataflow.h)
    /// and the arrays above stay empty.
    std::unique_ptr<detail::DataflowPlan> dataflow;
    std::vector<ValueEntry> values;      ///< the value table, empty between runs
    std::vector<uint8_t> escaped;        ///< per group root: a kernel may have taken the buffer (this run)
};

/// Dead private buffers, by dtype and element count, for reuse by later allocations
/// (see "Recycled buffers" above). Used under the Session's run lock only.
class BufferPool {
public:
    /// A tensor of dtype and dims: a pooled buffer of that size when there is one, else a new one.
    Tensor take(DType dtype, std::vector<int64_t>&& dims)
    {
        int64_t n = 1;
        for (int64_t d : dims)
            n *= d;
        if (m_bytes && n > 0) {
            auto it = m_free.find(key(dtype, n));
            if (it != m_free.end() && !it->second.empty()) {
                Tensor t = std::move(it->second.back().tensor);
                it->second.pop_back();
                m_bytes -= t.byteSize();
                return t.dims() == dims ? t : t.reshaped(std::move(dims));
            }
        }
        return Tensor(dtype, std::move(dims));
    }
    /// Takes `t` (left invalid) into the pool, or frees it when it does not fit.
    void put(Tensor& t, uint64_t run)
    {
        Tensor mine = std::exchange(t, Tensor());
        if (!mine.valid() || mine.dtype() == DType::String || mine.numElements() == 0 ||
            m_bytes + mine.byteSize() > kMaxPooledBytes)
            return;
        m_bytes += mine.byteSize();
        m_free[key(mine.dtype(), mine.numElements())].push_back(Entry{std::move(mine), run});
    }
    /// Frees the buffers that no run since `run - kPoolKeepRuns` has returned.
    void trim(uint64_t run)
    {
        for (auto it = m_free.begin(); it != m_free.end();) {
            auto& list = it->second;
            auto stale = [&](const Entry& e) { return e.run + kPoolKeepRuns <= run; };
            for (const Entry& e : list)
                if (stale(e))
                    m_bytes -= e.tensor.byteSize();
            std::erase_if(list, stale);
            it = list.empty() ? m_free.erase(it) : std::next(it);
        }
    }

private:
    struct Entry {
        Tensor tensor;
        uint64_t run = 0; ///< the run that returned it
    };
    static uint64_t key(DType t, int64_t n) { return (uint64_t(n) << 8) | uint64_t(baseType(t)); }
    std::unordered_map<uint64_t, std::vector<Entry>> m_free;
    size_t m_bytes = 0;
};

/// True when running `o` can show nothing but its outputs, so it may be left out of a
/// run that reads none of them (see step 2 of the essay).
bool removableWhenUnread(const Graph& g, const Operation& o)
{
    if (o.numOutputs() == 0 || o.type() == "Placeholder")
        return false;
    const OpDef* def = OpRegistry::global().find(o.type());
    if (!def || def->stateful)
        return false;
    for (const Output& in : o.inputs())
        if (isRef(g.info(in).dtype))
            return false;
    return true;
}

struct KeyHash {
    size_t operator()(const std::vector<int64_t>& k) const noexcept
    {
        uint64_t h = 1469598103934665603ull;
        for (int64_t v : k) {
            h ^= uint64_t(v);
            h *= 1099511628211ull;
            h ^= h >> 29;
        }
        return size_t(h);
    }
};

} // namespace

struct Session::Impl {
    Impl(const Graph& g, SessionOptions o) : graph(g), options(o)
    {
        threads = o.intraOpThreads > 0 ? o.intraOpThreads : int(std::max(1u, std::thread::hardware_concurrency()));
        if (threads > 1) {
            // The calling thread does one share of each parallel kernel, the pool the rest.
            pool = std::make_unique<Eigen::ThreadPool>(threads - 1);
            device = std::make_unique<Eigen::ThreadPoolDevice>(pool.get(), threads);
        }
    }

    std::vector<Tensor> run(const RunOptions& ro, const std::vector<Output>& fetches,
                            const std::vector<std::pair<Output, Tensor>>& feeds, const std::vector<OpId>& targets);
    Plan& planFor(const std::vector<Output>& fetches, const std::vector<std::pair<Output, Tensor>>& feeds,
                  const std::vector<OpId>& targets);
    std::unique_ptr<Plan> buildPlan(const std::vector<Output>& fetches,
                                    const std::vector<std::pair<Output, Tensor>>& feeds,
                                    const std::vector<OpId>& targets);
    void syncGraph();
    VariableSlot* slotOf(OpId op);
    RandomState* randomOf(OpId op);
    void checkCancel(const RunOptions& ro);
    template <class Convert>
    std::vector<Tensor> runDataflow(const RunOptions& ro, Plan& plan, const std::vector<Output>& fetches,
                                    size_t numFeeds, Convert&& converted);
    const Operation& variableOp(OpId op) const;

    const Graph& graph;
    SessionOptions options;
    int threads = 1;
    std::unique_ptr<Eigen::ThreadPool> pool;
    std::unique_ptr<Eigen::ThreadPoolDevice> device;

    mutable std::mutex mutex; ///< one run at a time; guards everything below
    std::atomic<bool> cancelPending{false};
    int knownOps = -1;
    bool hasControlFlow = false; ///< the graph has a Switch, Merge, Enter, ... (see dataflow.h)
    std::vector<std::unique_ptr<VariableSlot>> slots;  ///< by OpId (VariableV2 ops)
    std::vector<std::unique_ptr<RandomState>> randoms; ///< by OpId (created on first use)
    std::unordered_map<std::vector<int64_t>, std::unique_ptr<Plan>, KeyHash> plans;
    std::vector<int64_t> key; ///< scratch signature of the current run
    std::vector<int64_t> lastKey;
    Plan* lastPlan = nullptr;
    BufferPool buffers; ///< recycled intermediate buffers
    uint64_t runCount = 0;
};

namespace detail {

/// The KernelContext of one run: a cursor over the plan's arrays.
class RunContext final : public KernelContext {
public:
    RunContext(Session::Impl& s, Plan& p) : m_session(s), m_plan(p) {}

    void setStep(Step& st) { m_step = &st; }

    const Graph& graph() const override { return m_session.graph; }
    const Operation& op() const override { return *m_step->op; }
    int numInputs() const override { return m_step->inCount; }
    int numOutputs() const override { return m_step->outCount; }

    const Tensor& input(int i) const override { return readValue(entry(i), op().name()); }
    bool isRefInput(int i) const override { return entry(i).ref != nullptr; }
    VariableSlot* refInput(int i) override { return entry(i).ref; }
    Tensor& mutableRefValue(int i) override { return refValueOf(*this, entry(i), i); }
    void setOutput(int i, Tensor t) override
    {
        ValueEntry& v = out(i);
        v.tensor = std::move(t);
        v.ref = nullptr;
    }
    Tensor& allocateOutput(int i, DType dtype, std::vector<int64_t> dims) override
    {
        ValueEntry& v = out(i);
        v.tensor = m_session.buffers.take(dtype, std::move(dims));
        v.ref = nullptr;
        return v.tensor;
    }
    Tensor& forwardInputOrAllocateOutput(int in, int o, DType dtype, const std::vector<int64_t>& dims) override
    {
        if (canForwardInput(in)) {
            const ValueEntry& src = entry(in);
            int64_t n = 1;
            for (int64_t d : dims)
                n *= d;
            if (!src.ref && src.tensor.valid() && src.tensor.dtype() == dtype && src.tensor.numElements() == n &&
                dtypeSize(dtype) > 0) {
                ValueEntry& v = out(o);
                v.tensor = src.tensor.dims() == dims ? src.tensor : src.tensor.reshaped(dims);
                v.ref = nullptr;
                return v.tensor;
            }
        }
        return allocateOutput(o, dtype, dims);
    }
    bool canForwardInput(int i) const override
    {
        checkInput(i);
        const InputRef& r = m_plan.inputs[size_t(m_step->inBegin + i)];
        if (r.forwardable)
            m_plan.escaped[size_t(r.group)] = 1; // the kernel may keep the buffer: never recycle it
        return r.forwardable;
    }
    bool outputRequired(int i) const override
    {
        checkOutput(i);
        return m_plan.outputRequired[size_t(m_step->outBegin + i)] != 0;
    }
    void setRefOutput(int i, VariableSlot* slot) override
    {
        ValueEntry& v = out(i);
        v.tensor = Tensor();
        v.ref = slot;
    }
    VariableSlot* variableSlot() override { return m_step->slot; }
    RandomState& random() override
    {
        if (!m_step->random)
            m_step->random = m_session.randomOf(m_step->op->id());
        return *m_step->random;
    }
    KernelCache& cache() override { return m_step->cache; }
    const Eigen::ThreadPoolDevice* device() const override { return m_session.device.get(); }
    [[noreturn]] void fail(const std::string& message) const override
    {
        throw InvalidArgumentError(std::string(op().name()), message + nodeSuffix(op().name()));
    }

private:
    void checkInput(int i) const
    {
        if (i < 0 || i >= m_step->inCount)
            fail(cat(op().type(), " has no input ", i, " (it has ", m_step->inCount, ")"));
    }
    void checkOutput(int i) const
    {
        if (i < 0 || i >= m_step->outCount)
            fail(cat(op().type(), " has no output ", i, " (it has ", m_step->outCount, ")"));
    }
    const ValueEntry& entry(int i) const
    {
        checkInput(i);
        return m_plan.values[size_t(m_plan.inputs[size_t(m_step->inBegin + i)].value)];
    }
    ValueEntry& out(int i)
    {
        checkOutput(i);
        return m_plan.values[size_t(m_plan.outputs[size_t(m_step->outBegin + i)])];
    }
    Session::Impl& m_session;
    Plan& m_plan;
    Step* m_step = nullptr;
};

} // namespace detail

namespace {

void clearValues(Plan& plan)
{
    for (ValueEntry& v : plan.values) {
        v.tensor = Tensor();
        v.ref = nullptr;
    }
    std::fill(plan.escaped.begin(), plan.escaped.end(), 0);
}

} // namespace

// ---- graph growth, slots ---------------------------------------------------------

void Session::Impl::syncGraph()
{
    const int n = graph.numOps();
    if (n == knownOps)
        return;
    // New ops may be consumers of old ones (or new fetch targets): plans are rebuilt.
    // Slots keep their addresses: only the index vectors grow.
    plans.clear();
    lastPlan = nullptr;
    lastKey.clear();
    for (OpId id = std::max(knownOps, 0); id < n && !hasControlFlow; ++id)
        hasControlFlow = detail::isControlFlowOp(graph.op(id).type());
    knownOps = n;
    if (int(slots.size()) < n)
        slots.resize(size_t(n));
    if (int(randoms.size()) < n)
        randoms.resize(size_t(n));
}

VariableSlot* Session::Impl::slotOf(OpId op)
{
    if (int(slots.size()) <= op)
        slots.resize(size_t(op) + 1);
    auto& s = slots[size_t(op)];
    if (!s) {
        s = std::make_unique<VariableSlot>();
        s->name = std::string(graph.op(op).name());
    }
    return s.get();
}

RandomState* Session::Impl::randomOf(OpId op)
{
    if (int(randoms.size()) <= op)
        randoms.resize(size_t(op) + 1);
    auto& r = randoms[size_t(op)];
    if (!r)
        r = std::make_unique<RandomState>();
    return r.get();
}

const Operation& Session::Impl::variableOp(OpId op) const
{
    if (op < 0 || op >= graph.numOps())
        throw ValueError(cat("No operation with id ", op, " in the graph"));
    const Operation& o = graph.op(op);
    if (o.type() != "VariableV2")
        throw ValueError(cat("'", o.name(), "' is not a variable (op type ", o.type(), ")"));
    return o;
}

void Session::Impl::checkCancel(const RunOptions& ro)
{
    if ((cancelPending.load(std::memory_order_relaxed) && cancelPending.exchange(false)) ||
        (ro.cancelFlag && ro.cancelFlag->load(std::memory_order_relaxed)))
        throw CancelledError("", "Run call was cancelled");
}

// ---- plans ----------------------------------------------------------------------------

Plan& Session::Impl::planFor(const std::vector<Output>& fetches, const std::vector<std::pair<Output, Tensor>>& feeds,
                             const std::vector<OpId>& targets)
{
    key.clear();
    key.push_back(int64_t(fetches.size()));
    for (const Output& f : fetches)
        key.push_back(packOutput(f));
    key.push_back(int64_t(feeds.size()));
    for (const auto& f : feeds)
        key.push_back(packOutput(f.first));
    key.push_back(int64_t(targets.size()));
    for (OpId t : targets)
        key.push_back(t);
    if (lastPlan && key == lastKey)
        return *lastPlan;
    auto it = plans.find(key);
    if (it == plans.end()) {
        std::unique_ptr<Plan> p = buildPlan(fetches, feeds, targets);
        // An inspector fetching arbitrary tensors makes many one-off plans: keep the cache bounded.
        if (plans.size() >= kMaxPlans) {
            plans.clear();
            lastPlan = nullptr;
        }
        it = plans.emplace(key, std::move(p)).first;
    }
    lastKey = key;
    lastPlan = it->second.get();
    return *lastPlan;
}

std::unique_ptr<Plan> Session::Impl::buildPlan(const std::vector<Output>& fetches,
                                               const std::vector<std::pair<Output, Tensor>>& feeds,
                                               const std::vector<OpId>& targets)
{
    const int n = graph.numOps();
    auto validOutput = [&](Output o) {
        return o.op >= 0 && o.op < n && o.index >= 0 && o.index < graph.op(o.op).numOutputs();
    };
    for (const Output& f : fetches)
        if (!validOutput(f))
            throw ValueError(cat("Fetch argument ", f.op, ":", f.index, " is not an element of this graph."));
    std::unordered_map<int64_t, int> fedIndex;
    for (size_t k = 0; k < feeds.size(); ++k) {
        const Output& f = feeds[k].first;
        if (!validOutput(f))
            throw ValueError(cat("Cannot interpret feed_dict key ", f.op, ":", f.index, " as Tensor of this graph."));
        if (!fedIndex.emplace(packOutput(f), int(k)).second)
            throw ValueError(cat("Tensor '", graph.tensorName(f), "' is fed more than once."));
    }
    for (OpId t : targets)
        if (t < 0 || t >= n)
            throw ValueError(cat("Target ", t, " is not an operation of this graph."));
    auto isFed = [&](Output o) { return fedIndex.count(packOutput(o)) > 0; };
    if (hasControlFlow) {
        if (auto flow = detail::DataflowPlan::build(graph, fetches, fedIndex, targets)) {
            auto plan = std::make_unique<Plan>();
            plan->dataflow = std::move(flow);
            return plan;
        }
    }

    // 1. Pruning and order: iterative DFS (graphs can be 100k ops deep).
    std::vector<uint8_t> state(size_t(n), 0); // 0 unseen, 1 on the stack, 2 done
    std::vector<OpId> order;
    std::vector<std::pair<OpId, size_t>> stack;
    auto visit = [&](OpId root) {
        if (state[size_t(root)])
            return;
        state[size_t(root)] = 1;
        stack.push_back({root, 0});
        while (!stack.empty()) {
            auto& [id, next] = stack.back();
            const Operation& o = graph.op(id);
            const size_t nIn = o.inputs().size(), nCtl = o.controlInputs().size();
            OpId child = -1;
            while (next < nIn + nCtl && child < 0) {
                if (next < nIn) {
                    const Output& in = o.inputs()[next];
                    if (!isFed(in))
                        child = in.op;
                } else {
                    child = o.controlInputs()[next - nIn];
                }
                ++next;
            }
            if (child < 0) {
                state[size_t(id)] = 2;
                order.push_back(id);
                stack.pop_back();
                continue;
            }
            if (state[size_t(child)] == 1)
                throw InvalidArgumentError(std::string(graph.op(child).name()),
                                           cat("Graph is invalid, contains a cycle through node '",
                                               graph.op(child).name(), "'"));
            if (state[size_t(child)] == 0) {
                state[size_t(child)] = 1;
                stack.push_back({child, 0});
            }
        }
    };
    for (const Output& f : fetches)
        if (!isFed(f))
            visit(f.op);
    for (OpId t : targets)
        visit(t);

    // 2. Unread ops. Readers come after their inputs in `order`, so one backward pass
    // decides every op after all of its readers.
    {
        std::vector<uint8_t> live(size_t(n), 0);
        for (const Output& f : fetches)
            if (!isFed(f))
                live[size_t(f.op)] = 1;
        for (OpId t : targets)
            live[size_t(t)] = 1;
        for (auto it = order.rbegin(); it != order.rend(); ++it) {
            const Operation& o = graph.op(*it);
            if (!live[size_t(*it)] && !removableWhenUnread(graph, o))
                live[size_t(*it)] = 1;
            if (!live[size_t(*it)])
                continue;
            for (const Output& in : o.inputs())
                if (!isFed(in))
                    live[size_t(in.op)] = 1;
        }
        std::erase_if(order, [&](OpId id) { return !live[size_t(id)]; });
    }

    // 3. Fusion (core/exec/fusion.cpp): some steps get a fused kernel and other
    // inputs, and the ops they make redundant leave the order.
    detail::FusionPlan fusion;
    std::vector<const detail::FusedStep*> fusedOf(size_t(n), nullptr);
    if (options.fuseOps) {
        std::unordered_map<int64_t, uint8_t> fetchedSet;
        for (const Output& f : fetches)
            fetchedSet[packOutput(f)] = 1;
        fusion = detail::planFusions(graph, order, isFed, [&](Output o) { return fetchedSet.count(packOutput(o)) > 0; });
        for (const detail::FusedStep& f : fusion.steps)
            fusedOf[size_t(f.op)] = &f;
        if (!fusion.dropped.empty()) {
            std::vector<uint8_t> drop(size_t(n), 0);
            for (OpId d : fusion.dropped)
                drop[size_t(d)] = 1;
            std::erase_if(order, [&](OpId id) { return drop[size_t(id)] != 0; });
        }
    }

    // 4. Steps and the value table.
    auto plan = std::make_unique<Plan>();
    std::vector<int32_t> stepOf(size_t(n), -1);
    plan->steps.resize(order.size());
    int32_t nextValue = 0;
    for (size_t s = 0; s < order.size(); ++s) {
        const Operation& o = graph.op(order[s]);
        Step& st = plan->steps[s];
        const detail::FusedStep* fused = fusedOf[size_t(o.id())];
        st.op = &o;
        st.kernel = fused ? fused->kernel : KernelRegistry::global().lookup(o.type());
        if (!st.kernel || !st.kernel->fn)
            throw InvalidArgumentError(std::string(o.name()),
                                       cat("No OpKernel was registered to support Op '", o.type(), "' used by node ",
                                           o.name()) + nodeSuffix(o.name()));
        st.outBegin = int32_t(plan->outputs.size());
        st.outCount = o.numOutputs() + (fused ? fused->hiddenOutputs : 0);
        for (int i = 0; i < st.outCount; ++i)
            plan->outputs.push_back(nextValue++);
        if (o.type() == "VariableV2")
            st.slot = slotOf(o.id());
        stepOf[size_t(o.id())] = int32_t(s);
    }
    const int32_t firstFeedValue = nextValue;
    for (size_t k = 0; k < feeds.size(); ++k)
        plan->feedValues.push_back(nextValue++);
    const int32_t numValues = nextValue;
    auto valueOf = [&](Output o) -> int32_t {
        auto it = fedIndex.find(packOutput(o));
        if (it != fedIndex.end())
            return plan->feedValues[size_t(it->second)];
        const Step& st = plan->steps[size_t(stepOf[size_t(o.op)])];
        return plan->outputs[size_t(st.outBegin + o.index)];
    };
    // A step's inputs: its op's, or the fused step's.
    auto stepInputs = [&](const Step& st) -> const std::vector<Output>& {
        const detail::FusedStep* f = fusedOf[size_t(st.op->id())];
        return f ? f->inputs : st.op->inputs();
    };
    for (Step& st : plan->steps) {
        st.inBegin = int32_t(plan->inputs.size());
        st.inCount = int32_t(stepInputs(st).size());
        for (const Output& in : stepInputs(st))
            plan->inputs.push_back(InputRef{valueOf(in)});
    }

    // 5. Buffer groups, privacy, last uses.
    std::vector<int32_t> producer(size_t(numValues), -1); // step producing a value (-1 for feeds)
    for (size_t s = 0; s < plan->steps.size(); ++s)
        for (int i = 0; i < plan->steps[s].outCount; ++i)
            producer[size_t(plan->outputs[size_t(plan->steps[s].outBegin + i)])] = int32_t(s);
    std::vector<int32_t> group(static_cast<size_t>(numValues));
    std::vector<uint8_t> fresh(static_cast<size_t>(numValues), 0), isPrivate(static_cast<size_t>(numValues), 0);
    for (int32_t v = 0; v < numValues; ++v)
        group[size_t(v)] = v;
    for (size_t s = 0; s < plan->steps.size(); ++s) {
        const Step& st = plan->steps[s];
        const KernelTraits& tr = st.kernel->traits;
        for (int i = 0; i < st.outCount; ++i) {
            int32_t v = plan->outputs[size_t(st.outBegin + i)];
            const bool refOut = i < st.op->numOutputs() && isRef(st.op->outputs()[size_t(i)].dtype);
            if (tr.aliasesInput0 && i == 0 && st.inCount > 0) {
                int32_t in = plan->inputs[size_t(st.inBegin)].value;
                const bool refIn = isRef(graph.info(stepInputs(st)[0]).dtype) && producer[size_t(in)] >= 0;
                group[size_t(v)] = group[size_t(in)];
                fresh[size_t(v)] = !refIn && fresh[size_t(in)];
            } else {
                fresh[size_t(v)] = tr.freshOutputs && !refOut;
            }
        }
    }
    for (int32_t v = 0; v < numValues; ++v)
        if (group[size_t(v)] == v)
            isPrivate[size_t(v)] = fresh[size_t(v)];
    std::vector<int32_t> lastUse(size_t(numValues), -1), groupLastUse(size_t(numValues), -1);
    for (size_t s = 0; s < plan->steps.size(); ++s) {
        const Step& st = plan->steps[s];
        const KernelTraits& tr = st.kernel->traits;
        for (int j = 0; j < st.inCount; ++j) {
            int32_t v = plan->inputs[size_t(st.inBegin + j)].value;
            lastUse[size_t(v)] = int32_t(s);
            groupLastUse[size_t(group[size_t(v)])] = int32_t(s);
            // A kernel of unknown aliasing may hand this buffer on: never reuse it.
            if (!tr.freshOutputs && !(tr.aliasesInput0 && j == 0))
                isPrivate[size_t(group[size_t(v)])] = 0;
        }
    }
    std::vector<uint8_t> fetched(size_t(numValues), 0);
    for (const Output& f : fetches) {
        int32_t v = valueOf(f);
        fetched[size_t(v)] = 1;
        isPrivate[size_t(group[size_t(v)])] = 0;
        plan->fetchValues.push_back(v);
        plan->fetchCopy.push_back(v < firstFeedValue && !fresh[size_t(v)]);
    }
    for (size_t s = 0; s < plan->steps.size(); ++s) {
        const Step& st = plan->steps[s];
        for (int j = 0; j < st.inCount; ++j) {
            InputRef& r = plan->inputs[size_t(st.inBegin + j)];
            const int32_t g = group[size_t(r.value)];
            r.group = g;
            if (!isPrivate[size_t(g)] || groupLastUse[size_t(g)] != int32_t(s))
                continue;
            int uses = 0;
            for (int k = 0; k < st.inCount; ++k)
                uses += group[size_t(plan->inputs[size_t(st.inBegin + k)].value)] == g;
            r.forwardable = uses == 1;
        }
    }
    plan->outputRequired.resize(plan->outputs.size());
    for (size_t k = 0; k < plan->outputs.size(); ++k) {
        int32_t v = plan->outputs[k];
        plan->outputRequired[k] = lastUse[size_t(v)] >= 0 || fetched[size_t(v)];
    }
    // Drop each value after its last reader (or right after its producer when unread). The
    // value of a private group dropped last (the last in its step's list, on a tie) hands the
    // buffer to the pool: every other value of the group is gone by then.
    std::vector<int32_t> releaseAt(size_t(numValues), -1), groupEnd(size_t(numValues), -1);
    for (int32_t v = 0; v < numValues; ++v) {
        if (fetched[size_t(v)])
            continue;
        releaseAt[size_t(v)] = lastUse[size_t(v)] >= 0 ? lastUse[size_t(v)] : producer[size_t(v)];
        const int32_t g = group[size_t(v)];
        if (isPrivate[size_t(g)] && releaseAt[size_t(v)] >= groupEnd[size_t(g)])
            groupEnd[size_t(g)] = releaseAt[size_t(v)];
    }
    std::vector<int32_t> lastOfGroup(size_t(numValues), -1);
    for (int32_t v = 0; v < numValues; ++v) {
        const int32_t g = group[size_t(v)];
        if (isPrivate[size_t(g)] && releaseAt[size_t(v)] >= 0 && releaseAt[size_t(v)] == groupEnd[size_t(g)])
            lastOfGroup[size_t(g)] = v;
    }
    std::vector<std::vector<Release>> release(plan->steps.size());
    for (int32_t v = 0; v < numValues; ++v) {
        if (releaseAt[size_t(v)] < 0)
            continue;
        const int32_t g = group[size_t(v)];
        release[size_t(releaseAt[size_t(v)])].push_back(Release{v, g, lastOfGroup[size_t(g)] == v});
    }
    for (size_t s = 0; s < plan->steps.size(); ++s) {
        plan->steps[s].relBegin = int32_t(plan->releases.size());
        plan->steps[s].relCount = int32_t(release[s].size());
        plan->releases.insert(plan->releases.end(), release[s].begin(), release[s].end());
    }
    plan->values.resize(size_t(numValues));
    plan->escaped.assign(size_t(numValues), 0);
    return plan;
}

// ---- running --------------------------------------------------------------------------

std::vector<Tensor> Session::Impl::run(const RunOptions& ro, const std::vector<Output>& fetches,
                                       const std::vector<std::pair<Output, Tensor>>& feeds,
                                       const std::vector<OpId>& targets)
{
    std::lock_guard lock(mutex);
    syncGraph();
    Plan& plan = planFor(fetches, feeds, targets);
    ++runCount;

    // Feeds are checked before anything runs, as TF's Python layer does.
    for (size_t k = 0; k < feeds.size(); ++k) {
        const Output& o = feeds[k].first;
        const Tensor& t = feeds[k].second;
        const OutputInfo& info = graph.info(o);
        if (!t.valid())
            throw ValueError(cat("Cannot feed an empty value for Tensor '", graph.tensorName(o), "'"));
        if (!info.shape.isCompatibleWith(t.shape()))
            throw ValueError(cat("Cannot feed value of shape ", t.shape().toString(), " for Tensor '",
                                 graph.tensorName(o), "', which has shape '", info.shape.toString(), "'"));
    }
    auto converted = [&](size_t k) {
        const Tensor& t = feeds[k].second;
        const DType want = baseType(graph.info(feeds[k].first).dtype);
        if (want == DType::Invalid || t.dtype() == want)
            return t;
        if (t.dtype() == DType::String || want == DType::String)
            throw TypeError(cat("Cannot feed a value of dtype ", dtypeName(t.dtype()), " for Tensor '",
                                graph.tensorName(feeds[k].first), "' of dtype ", dtypeName(want)));
        return detail::castTensor(t, want); // np.asarray(value, dtype=...)
    };
    if (plan.dataflow)
        return runDataflow(ro, plan, fetches, feeds.size(), converted);
    try {
        for (size_t k = 0; k < feeds.size(); ++k)
            plan.values[size_t(plan.feedValues[k])].tensor = converted(k);

        detail::RunContext ctx(*this, plan);
        for (Step& st : plan.steps) {
            checkCancel(ro);
            ctx.setStep(st);
            detail::runKernelNamed(st.kernel->fn, ctx);
            for (int i = 0; i < st.op->numOutputs(); ++i) { // hidden outputs of fused steps may stay unset
                const ValueEntry& v = plan.values[size_t(plan.outputs[size_t(st.outBegin + i)])];
                if (!v.tensor.valid() && !v.ref && plan.outputRequired[size_t(st.outBegin + i)])
                    throw InvalidArgumentError(std::string(st.op->name()),
                                               cat("Kernel of ", st.op->type(), " did not produce output ", i) +
                                                   nodeSuffix(st.op->name()));
            }
            for (int r = 0; r < st.relCount; ++r) {
                const Release& rel = plan.releases[size_t(st.relBegin + r)];
                ValueEntry& v = plan.values[size_t(rel.value)];
                if (rel.recycle && !plan.escaped[size_t(rel.group)])
                    buffers.put(v.tensor, runCount);
                else
                    v.tensor = Tensor();
                v.ref = nullptr;
            }
        }
        if (plan.steps.empty())
            checkCancel(ro);

        std::vector<Tensor> results;
        results.reserve(plan.fetchValues.size());
        for (size_t k = 0; k < plan.fetchValues.size(); ++k)
            results.push_back(detail::fetchedValue(graph, plan.values[size_t(plan.fetchValues[k])], fetches[k],
                                                   plan.fetchCopy[k] != 0));
        clearValues(plan);
        buffers.trim(runCount);
        return results;
    } catch (...) {
        clearValues(plan);
        throw;
    }
}

template <class Convert>
std::vector<Tensor> Session::Impl::runDataflow(const RunOptions& ro, Plan& plan, const std::vector<Output>& fetches,
                                               size_t numFeeds, Convert&& converted)
{
    std::vector<Tensor> feedValues;
    for (size_t k = 0; k < numFeeds; ++k)
        feedValues.push_back(converted(k));
    detail::FlowHooks hooks;
    hooks.slotOf = [this](OpId id) { return slotOf(id); };
    hooks.randomOf = [this](OpId id) { return randomOf(id); };
    hooks.checkCancel = [this, &ro] { checkCancel(ro); };
    hooks.device = device.get();
    std::vector<detail::FlowValue> values = plan.dataflow->run(hooks, feedValues);
    std::vector<Tensor> results;
    for (size_t k = 0; k < values.size(); ++k)
        results.push_back(detail::fetchedValue(graph, values[k], fetches[k], true));
    return results;
}

// ---- public API -----------------------------------------------------------------------

Session::Session(const Graph& g, SessionOptions options) : m_impl(std::make_unique<Impl>(g, options)) {}

Session::~Session() = default;

std::vector<Tensor> Session::run(const std::vector<Output>& fetches,
                                 const std::vector<std::pair<Output, Tensor>>& feeds, const std::vector<OpId>& targets,
                                 const RunOptions& options)
{
    return m_impl->run(options, fetches, feeds, targets);
}

void Session::cancel() { m_impl->cancelPending.store(true); }

Tensor Session::variableValue(OpId variableOp) const
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->variableOp(variableOp);
    const auto& slots = m_impl->slots;
    if (variableOp >= int(slots.size()) || !slots[size_t(variableOp)])
        return {};
    return slots[size_t(variableOp)]->value.clone();
}

void Session::setVariableValue(OpId variableOp, const Tensor& value)
{
    std::lock_guard lock(m_impl->mutex);
    const Operation& o = m_impl->variableOp(variableOp);
    const OutputInfo& info = o.outputs().at(0);
    const DType want = baseType(info.dtype);
    if (!value.valid())
        throw ValueError(cat("Cannot assign an empty value to variable '", o.name(), "'"));
    if (!info.shape.isCompatibleWith(value.shape()))
        throw ValueError(cat("Cannot assign a value of shape ", value.shape().toString(), " to variable '", o.name(),
                             "', which has shape '", info.shape.toString(), "'"));
    Tensor stored = value.dtype() == want || want == DType::Invalid ? value.clone() : detail::castTensor(value, want);
    m_impl->slotOf(variableOp)->value = std::move(stored);
}

bool Session::isInitialized(OpId variableOp) const
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->variableOp(variableOp);
    const auto& slots = m_impl->slots;
    return variableOp < int(slots.size()) && slots[size_t(variableOp)] && slots[size_t(variableOp)]->value.valid();
}

const Graph& Session::graph() const { return m_impl->graph; }

int Session::intraOpThreads() const { return m_impl->threads; }

size_t Session::cachedPlanCount() const
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->plans.size();
}

} // namespace scopeviz::exec
