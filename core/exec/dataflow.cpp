// The dataflow executor (see dataflow.h for the semantics).
//
// Run state: frames (the root, and one per Enter frame_name per parent
// iteration), each with its iterations; an iteration holds one NodeState per
// op that received something there. A NodeState collects inputs until the op
// is ready, then the op goes on the FIFO queue; running it routes its outputs
// to its consumers' NodeStates in the frame and iteration its kind says.
#include "core/exec/dataflow.h"

#include "core/util/error.h"
#include "core/util/strings.h"

#include <deque>
#include <map>
#include <new>
#include <set>

namespace scopeviz::exec::detail {

namespace {

enum class Kind : uint8_t { Normal, Switch, Merge, Enter, Exit, NextIteration, LoopCond };

Kind kindOf(std::string_view t)
{
    if (t == "Switch" || t == "RefSwitch")
        return Kind::Switch;
    if (t == "Merge" || t == "RefMerge")
        return Kind::Merge;
    if (t == "Enter" || t == "RefEnter")
        return Kind::Enter;
    if (t == "Exit" || t == "RefExit")
        return Kind::Exit;
    if (t == "NextIteration" || t == "RefNextIteration")
        return Kind::NextIteration;
    if (t == "LoopCond")
        return Kind::LoopCond;
    return Kind::Normal;
}

int64_t packOutput(Output o) { return (int64_t(o.op) << 32) | int64_t(uint32_t(o.index)); }

} // namespace

bool isControlFlowOp(std::string_view type) { return kindOf(type) != Kind::Normal; }

std::string nodeSuffix(std::string_view name) { return cat("\n\t [[node ", name, "]]"); }

void runKernelNamed(KernelFn kernel, KernelContext& c)
{
    const Operation& o = c.op();
    try {
        kernel(c);
    } catch (const OpError&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw InvalidArgumentError(std::string(o.name()),
                                   cat("OOM when allocating a tensor in ", o.type(), " '", o.name(), "'") +
                                       nodeSuffix(o.name()));
    } catch (const std::exception& e) {
        throw InvalidArgumentError(std::string(o.name()), e.what() + nodeSuffix(o.name()));
    }
}

namespace {

[[noreturn]] void uninitialized(const VariableSlot& s, std::string_view op)
{
    throw FailedPreconditionError(std::string(op),
                                  cat("Attempting to use uninitialized value ", s.name, nodeSuffix(op)));
}

} // namespace

const Tensor& readValue(const FlowValue& v, std::string_view op)
{
    if (!v.ref)
        return v.tensor;
    if (!v.ref->value.valid())
        uninitialized(*v.ref, op);
    return v.ref->value;
}

Tensor& refValueOf(const KernelContext& c, const FlowValue& v, int i)
{
    if (!v.ref)
        c.fail(cat("Input ", i, " of ", c.op().type(), " must be a reference to a variable"));
    if (!v.ref->value.valid())
        uninitialized(*v.ref, c.op().name());
    return v.ref->value;
}

Tensor fetchedValue(const Graph& g, const FlowValue& v, Output fetch, bool copy)
{
    if (v.ref)
        return readValue(v, g.op(fetch.op).name()).clone();
    return copy ? v.tensor.clone() : v.tensor;
}

struct DataflowPlan::Node {
    const Operation* op = nullptr;
    Kind kind = Kind::Normal;
    const KernelDef* kernel = nullptr;
    std::vector<int> feedOf;    ///< per data input: the feed index, or -1
    int pending = 0;            ///< data inputs not fed, plus control inputs
    int numCtl = 0;
    int mergeExpected = 0;      ///< Merge: data inputs not fed and not from a NextIteration
    std::vector<std::vector<std::pair<int32_t, int>>> consumers; ///< per output: (node, input slot)
    std::vector<int32_t> ctlConsumers;
    std::vector<std::pair<int, int>> fetched; ///< (output, fetch index)
    std::string frameName;      ///< Enter
    bool isConstant = false;    ///< Enter
    KernelCache cache;
};

DataflowPlan::DataflowPlan(const Graph& g) : m_graph(g) {}

DataflowPlan::~DataflowPlan() = default;

std::unique_ptr<DataflowPlan> DataflowPlan::build(const Graph& g, const std::vector<Output>& fetches,
                                                  const std::unordered_map<int64_t, int>& fed,
                                                  const std::vector<OpId>& targets)
{
    const int n = g.numOps();
    auto isFed = [&](Output o) { return fed.count(packOutput(o)) > 0; };
    // The needed ops: everything the fetches and targets reach backwards (data inputs
    // stop at fed tensors); loops make this a graph with cycles, so no order is kept.
    std::vector<uint8_t> needed(size_t(n), 0);
    std::vector<OpId> stack;
    auto push = [&](OpId id) {
        if (!needed[size_t(id)]) {
            needed[size_t(id)] = 1;
            stack.push_back(id);
        }
    };
    for (const Output& f : fetches)
        if (!isFed(f))
            push(f.op);
    for (OpId t : targets)
        push(t);
    bool control = false;
    std::vector<OpId> ids;
    while (!stack.empty()) {
        OpId id = stack.back();
        stack.pop_back();
        ids.push_back(id);
        const Operation& o = g.op(id);
        control = control || isControlFlowOp(o.type());
        for (const Output& in : o.inputs())
            if (!isFed(in))
                push(in.op);
        for (OpId c : o.controlInputs())
            push(c);
    }
    if (!control)
        return nullptr;
    std::sort(ids.begin(), ids.end()); // creation order: sources start in it

    std::unique_ptr<DataflowPlan> p(new DataflowPlan(g));
    p->m_nodeOf.assign(size_t(n), -1);
    p->m_nodes.resize(ids.size());
    for (size_t k = 0; k < ids.size(); ++k)
        p->m_nodeOf[size_t(ids[k])] = int32_t(k);
    for (size_t k = 0; k < ids.size(); ++k) {
        const Operation& o = g.op(ids[k]);
        Node& nd = p->m_nodes[k];
        nd.op = &o;
        nd.kind = kindOf(o.type());
        nd.consumers.resize(size_t(o.numOutputs()));
        if (nd.kind == Kind::Normal) {
            nd.kernel = KernelRegistry::global().lookup(o.type());
            if (!nd.kernel || !nd.kernel->fn)
                throw InvalidArgumentError(std::string(o.name()),
                                           cat("No OpKernel was registered to support Op '", o.type(),
                                               "' used by node ", o.name()) + nodeSuffix(o.name()));
        }
        if (nd.kind == Kind::Enter) {
            const AttrValue* fn = o.attrs().find("frame_name");
            nd.frameName = fn && fn->kind() == AttrValue::Kind::String ? fn->str() : std::string();
            const AttrValue* c = o.attrs().find("is_constant");
            nd.isConstant = c && c->b();
        }
        nd.numCtl = int(o.controlInputs().size());
        nd.pending = nd.numCtl;
        for (const Output& in : o.inputs()) {
            auto it = fed.find(packOutput(in));
            nd.feedOf.push_back(it == fed.end() ? -1 : it->second);
            if (it == fed.end()) {
                ++nd.pending;
                if (kindOf(g.op(in.op).type()) != Kind::NextIteration)
                    ++nd.mergeExpected;
            }
        }
    }
    for (size_t k = 0; k < ids.size(); ++k) {
        const Operation& o = *p->m_nodes[k].op;
        for (size_t s = 0; s < o.inputs().size(); ++s) {
            const Output& in = o.inputs()[s];
            if (!isFed(in))
                p->m_nodes[size_t(p->m_nodeOf[size_t(in.op)])].consumers[size_t(in.index)].push_back(
                    {int32_t(k), int(s)});
        }
        for (OpId c : o.controlInputs())
            p->m_nodes[size_t(p->m_nodeOf[size_t(c)])].ctlConsumers.push_back(int32_t(k));
    }
    for (size_t f = 0; f < fetches.size(); ++f) {
        auto it = fed.find(packOutput(fetches[f]));
        p->m_fetches.push_back({fetches[f], it == fed.end() ? -1 : it->second});
        if (it == fed.end())
            p->m_nodes[size_t(p->m_nodeOf[size_t(fetches[f].op)])].fetched.push_back({fetches[f].index, int(f)});
    }
    return p;
}

namespace {

struct NodeState {
    std::vector<FlowValue> in;
    int pending = 0;
    int ctlPending = 0;
    int mergeArrived = 0;
    int liveIndex = -1;
    bool ctlDead = false;
    bool fired = false;
};

struct Frame {
    Frame* parent = nullptr;
    int parentIter = 0;
    int depth = 0;
    std::deque<std::unordered_map<int32_t, NodeState>> iters;
    std::vector<std::pair<int32_t, FlowValue>> constants; ///< (Enter node, value), for every iteration
    std::map<std::pair<int, std::string>, Frame*> children;
    std::set<int32_t> liveExits, deadExits;
    bool flushed = false;
};

/// The KernelContext of a dataflow run: one op's inputs and outputs.
class FlowContext final : public KernelContext {
public:
    FlowContext(const Graph& g, const FlowHooks& h) : m_graph(g), m_hooks(h) {}
    void set(const Operation* op, KernelCache* cache, std::vector<FlowValue>* in, std::vector<FlowValue>* out)
    {
        m_op = op;
        m_cache = cache;
        m_in = in;
        m_out = out;
    }

    const Graph& graph() const override { return m_graph; }
    const Operation& op() const override { return *m_op; }
    int numInputs() const override { return int(m_in->size()); }
    int numOutputs() const override { return int(m_out->size()); }
    const Tensor& input(int i) const override { return readValue(entry(i), m_op->name()); }
    bool isRefInput(int i) const override { return entry(i).ref != nullptr; }
    VariableSlot* refInput(int i) override { return entry(i).ref; }
    Tensor& mutableRefValue(int i) override { return refValueOf(*this, entry(i), i); }
    void setOutput(int i, Tensor t) override
    {
        FlowValue& v = out(i);
        v.tensor = std::move(t);
        v.ref = nullptr;
    }
    Tensor& allocateOutput(int i, DType dtype, std::vector<int64_t> dims) override
    {
        FlowValue& v = out(i);
        v.tensor = Tensor(dtype, std::move(dims));
        v.ref = nullptr;
        return v.tensor;
    }
    Tensor& forwardInputOrAllocateOutput(int, int o, DType dtype, const std::vector<int64_t>& dims) override
    {
        return allocateOutput(o, dtype, dims);
    }
    bool canForwardInput(int) const override { return false; }
    bool outputRequired(int) const override { return true; }
    void setRefOutput(int i, VariableSlot* slot) override
    {
        FlowValue& v = out(i);
        v.tensor = Tensor();
        v.ref = slot;
    }
    VariableSlot* variableSlot() override { return m_op->type() == "VariableV2" ? m_hooks.slotOf(m_op->id()) : nullptr; }
    RandomState& random() override { return *m_hooks.randomOf(m_op->id()); }
    KernelCache& cache() override { return *m_cache; }
    const Eigen::ThreadPoolDevice* device() const override { return m_hooks.device; }
    [[noreturn]] void fail(const std::string& message) const override
    {
        throw InvalidArgumentError(std::string(m_op->name()), message + nodeSuffix(m_op->name()));
    }

private:
    const FlowValue& entry(int i) const
    {
        if (i < 0 || i >= int(m_in->size()))
            fail(cat(m_op->type(), " has no input ", i, " (it has ", m_in->size(), ")"));
        return (*m_in)[size_t(i)];
    }
    FlowValue& out(int i)
    {
        if (i < 0 || i >= int(m_out->size()))
            fail(cat(m_op->type(), " has no output ", i, " (it has ", m_out->size(), ")"));
        return (*m_out)[size_t(i)];
    }
    const Graph& m_graph;
    const FlowHooks& m_hooks;
    const Operation* m_op = nullptr;
    KernelCache* m_cache = nullptr;
    std::vector<FlowValue>* m_in = nullptr;
    std::vector<FlowValue>* m_out = nullptr;
};

} // namespace

std::vector<FlowValue> DataflowPlan::run(const FlowHooks& hooks, const std::vector<Tensor>& feeds)
{
    std::vector<std::unique_ptr<Frame>> frames;
    frames.push_back(std::make_unique<Frame>());
    Frame* root = frames.back().get();
    root->iters.emplace_back();
    struct Item {
        Frame* frame;
        int iter;
        int32_t node;
    };
    std::deque<Item> queue;
    std::vector<FlowValue> results(m_fetches.size());
    std::vector<uint8_t> got(m_fetches.size(), 0);
    for (size_t f = 0; f < m_fetches.size(); ++f)
        if (m_fetches[f].second >= 0) {
            results[f].tensor = feeds[size_t(m_fetches[f].second)];
            got[f] = 1;
        }

    std::function<void(Frame*, int, int32_t, int, const FlowValue&)> deliver;
    auto ensureIter = [&](Frame* f, int iter) {
        while (int(f->iters.size()) <= iter) {
            f->iters.emplace_back();
            const int k = int(f->iters.size()) - 1;
            for (const auto& [enter, value] : std::vector(f->constants)) {
                const Node& nd = m_nodes[size_t(enter)];
                for (const auto& [node, slot] : nd.consumers[0])
                    deliver(f, k, node, slot, value);
                for (int32_t node : nd.ctlConsumers)
                    deliver(f, k, node, -1, value);
            }
        }
    };
    auto stateOf = [&](Frame* f, int iter, int32_t node) -> NodeState& {
        ensureIter(f, iter);
        auto [it, fresh] = f->iters[size_t(iter)].try_emplace(node);
        NodeState& ns = it->second;
        if (fresh) {
            const Node& nd = m_nodes[size_t(node)];
            ns.in.resize(nd.feedOf.size());
            for (size_t s = 0; s < nd.feedOf.size(); ++s)
                if (nd.feedOf[s] >= 0)
                    ns.in[s].tensor = feeds[size_t(nd.feedOf[s])];
            ns.pending = nd.pending;
            ns.ctlPending = nd.numCtl;
        }
        return ns;
    };
    deliver = [&](Frame* f, int iter, int32_t node, int slot, const FlowValue& v) {
        NodeState& ns = stateOf(f, iter, node);
        if (ns.fired)
            return; // a Merge's later inputs
        const Node& nd = m_nodes[size_t(node)];
        --ns.pending;
        if (slot < 0) {
            --ns.ctlPending;
            ns.ctlDead = ns.ctlDead || v.dead;
        } else {
            ns.in[size_t(slot)] = v;
            if (nd.kind == Kind::Merge) {
                ++ns.mergeArrived;
                if (!v.dead && ns.liveIndex < 0)
                    ns.liveIndex = slot;
            }
        }
        const bool ready = nd.kind == Kind::Merge
                               ? ns.ctlPending == 0 && (ns.liveIndex >= 0 || ns.mergeArrived >= nd.mergeExpected)
                               : ns.pending == 0;
        if (ready) {
            ns.fired = true;
            queue.push_back({f, iter, node});
        }
    };
    auto childFrame = [&](Frame* f, int iter, const std::string& name) {
        Frame*& c = f->children[{iter, name}];
        if (!c) {
            frames.push_back(std::make_unique<Frame>());
            c = frames.back().get();
            c->parent = f;
            c->parentIter = iter;
            c->depth = f->depth + 1;
            c->iters.emplace_back();
        }
        return c;
    };
    // Delivers a node's outputs (and its control signal) to its consumers in (tf, ti).
    auto send = [&](Frame* tf, int ti, int32_t node, const std::vector<FlowValue>& outs, bool dead) {
        const Node& nd = m_nodes[size_t(node)];
        if (tf == root)
            for (const auto& [o, fi] : nd.fetched) {
                results[size_t(fi)] = outs[size_t(o)];
                got[size_t(fi)] = 1;
            }
        for (size_t o = 0; o < outs.size(); ++o)
            for (const auto& [c, slot] : nd.consumers[o])
                deliver(tf, ti, c, slot, outs[o]);
        FlowValue signal;
        signal.dead = dead;
        for (int32_t c : nd.ctlConsumers)
            deliver(tf, ti, c, -1, signal);
    };
    // Sends the outputs of a node that ran in (f, iter) to the frame and iteration its kind says.
    auto propagate = [&](Frame* f, int iter, int32_t node, const std::vector<FlowValue>& outs, bool dead) {
        const Node& nd = m_nodes[size_t(node)];
        switch (nd.kind) {
        case Kind::Enter: {
            Frame* c = childFrame(f, iter, nd.frameName);
            if (!nd.isConstant)
                return send(c, 0, node, outs, dead);
            c->constants.push_back({node, outs[0]});
            for (int k = 0; k < int(c->iters.size()); ++k)
                send(c, k, node, outs, dead);
            return;
        }
        case Kind::Exit:
            if (dead) {
                f->deadExits.insert(node);
                return;
            }
            f->liveExits.insert(node);
            return send(f->parent, f->parentIter, node, outs, dead);
        case Kind::NextIteration:
            if (!dead)
                send(f, iter + 1, node, outs, dead);
            return;
        default:
            return send(f, iter, node, outs, dead);
        }
    };

    for (int32_t k = 0; k < int32_t(m_nodes.size()); ++k)
        if (m_nodes[size_t(k)].pending == 0) { // sources run in the root frame
            stateOf(root, 0, k).fired = true;
            queue.push_back({root, 0, k});
        }

    FlowContext ctx(m_graph, hooks);
    std::vector<FlowValue> outs;
    for (;;) {
        while (!queue.empty()) {
            hooks.checkCancel();
            const Item item = queue.front();
            queue.pop_front();
            Node& nd = m_nodes[size_t(item.node)];
            // The state's inputs move out; a fired op gets nothing more in this iteration, except a
            // Merge, whose later inputs are ignored: only its (empty) state stays as the marker.
            auto& states = item.frame->iters[size_t(item.iter)];
            auto st = states.find(item.node);
            std::vector<FlowValue> in = std::move(st->second.in);
            const int live = st->second.liveIndex;
            bool dead = st->second.ctlDead;
            if (nd.kind != Kind::Merge)
                states.erase(st);
            outs.assign(size_t(nd.op->numOutputs()), FlowValue{});
            if (nd.kind == Kind::Merge) {
                dead = live < 0;
                if (!dead) {
                    outs[0] = in[size_t(live)];
                    outs[1].tensor = Tensor::scalar<int32_t>(live);
                }
            } else {
                for (const FlowValue& v : in)
                    dead = dead || v.dead;
            }
            if (dead) {
                for (FlowValue& v : outs)
                    v = FlowValue{Tensor(), nullptr, true};
            } else if (nd.kind == Kind::Switch) {
                ctx.set(nd.op, &nd.cache, &in, &outs);
                const Tensor& pred = ctx.input(1);
                if (pred.dtype() != DType::Bool || pred.numElements() != 1)
                    ctx.fail(cat("The second input must be a scalar, but it has shape ", pred.shape().toString()));
                const int taken = pred.flat<bool>()(0) ? 1 : 0;
                outs[size_t(taken)] = in[0];
                outs[size_t(1 - taken)].dead = true;
            } else if (nd.kind == Kind::Normal) {
                ctx.set(nd.op, &nd.cache, &in, &outs);
                runKernelNamed(nd.kernel->fn, ctx);
                for (size_t i = 0; i < outs.size(); ++i)
                    if (!outs[i].tensor.valid() && !outs[i].ref)
                        throw InvalidArgumentError(std::string(nd.op->name()),
                                                   cat("Kernel of ", nd.op->type(), " did not produce output ", i) +
                                                       nodeSuffix(nd.op->name()));
            } else if (nd.kind != Kind::Merge) { // Enter, Exit, NextIteration, LoopCond forward input 0
                outs[0] = in[0];
            }
            propagate(item.frame, item.iter, item.node, outs, dead);
        }
        // Nothing left to run: the innermost frame whose Exits saw only dead values sends them on.
        Frame* flush = nullptr;
        for (const auto& f : frames) {
            if (f->flushed || f == frames.front())
                continue;
            bool pending = false;
            for (int32_t e : f->deadExits)
                pending = pending || !f->liveExits.count(e);
            if (pending && (!flush || f->depth >= flush->depth))
                flush = f.get();
        }
        if (!flush)
            break;
        flush->flushed = true;
        const std::vector<FlowValue> deadValue(1, FlowValue{Tensor(), nullptr, true});
        for (int32_t e : flush->deadExits)
            if (!flush->liveExits.count(e))
                send(flush->parent, flush->parentIter, e, deadValue, true);
    }

    for (size_t f = 0; f < m_fetches.size(); ++f) {
        const std::string name = m_graph.tensorName(m_fetches[f].first);
        if (!got[f])
            throw InvalidArgumentError(std::string(m_graph.op(m_fetches[f].first.op).name()),
                                       cat("Retval[", f, "] does not have value (", name,
                                           " was never computed: its inputs never all arrived)"));
        if (results[f].dead)
            throw InvalidArgumentError(std::string(m_graph.op(m_fetches[f].first.op).name()),
                                       cat("Retval[", f, "] does not have value (", name,
                                           " is dead: it depends on the untaken branch of a Switch)"));
    }
    return results;
}

} // namespace scopeviz::exec::detail
