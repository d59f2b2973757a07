#pragma once
// The dataflow executor: how a Session runs the part of a graph that holds
// TensorFlow 1.x control flow (tf.cond, tf.while_loop), whose ops a static
// order cannot run: Switch, Merge, Enter, Exit, NextIteration, LoopCond and
// their Ref* forms.
//
// The semantics are TensorFlow's executor's (core/common_runtime/executor.cc):
//  * Every value carries a tag, the frame and iteration it belongs to. The
//    root frame has one iteration; Enter moves its input into the child frame
//    named by its `frame_name` attr (iteration 0), NextIteration moves it to
//    the next iteration of the same frame, Exit back to the parent frame. An
//    Enter with `is_constant` delivers its value to every iteration of the frame.
//  * A value may be dead. Switch forwards its data to output 1 when the
//    predicate is true, to output 0 when it is false; the other output is dead.
//    An op with a dead data or control input does not run: its outputs are
//    dead. Merge instead waits for its first live input, forwards it (output
//    1 = the input's index) and ignores the rest; it is dead only when all of
//    its inputs that do not come from a NextIteration are dead.
//  * A dead NextIteration ends the propagation (the loop stops iterating). A
//    dead Exit is held back: when nothing is left to run, the innermost frame
//    whose Exits only ever saw dead values sends the dead values on to its
//    parent (a loop inside the untaken branch of a cond).
// Ops run one at a time, in the order their inputs become ready (FIFO);
// parallel_iterations is accepted and means nothing more. Values are dropped
// as soon as their readers ran; what a long loop keeps per iteration is one
// small marker per Merge (Merges ignore their later inputs). A fetched value
// that is dead fails the run with TensorFlow's "Retval[i] does not have value".
#include "core/exec/kernel.h"
#include "core/graph/graph.h"

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace scopeviz::exec::detail {

/// True for the control-flow op types the dataflow executor runs itself.
bool isControlFlowOp(std::string_view type);

/// A value in a dataflow run: a tensor, a ref to a variable slot, or dead.
struct FlowValue {
    Tensor tensor;
    VariableSlot* ref = nullptr;
    bool dead = false;
};

/// The tensor a kernel reads from a value: a ref's variable value (FailedPreconditionError
/// "Attempting to use uninitialized value <var>" naming `op` when it holds nothing), else the tensor.
const Tensor& readValue(const FlowValue& v, std::string_view op);
/// KernelContext::mutableRefValue over a value: the variable's value, for updating in place.
Tensor& refValueOf(const KernelContext& c, const FlowValue& v, int i);
/// A fetched value as the caller gets it: a copy of a ref's variable value; else the
/// tensor, copied when `copy` (it may share a buffer the caller must not see change).
Tensor fetchedValue(const Graph& g, const FlowValue& v, Output fetch, bool copy);

/// What the Session lends a dataflow run.
struct FlowHooks {
    std::function<VariableSlot*(OpId)> slotOf;
    std::function<RandomState*(OpId)> randomOf;
    std::function<void()> checkCancel; ///< throws CancelledError
    const Eigen::ThreadPoolDevice* device = nullptr;
};

/// Calls `kernel` on `c`, turning anything but an OpError into TensorFlow's
/// InvalidArgumentError naming the op (bad_alloc as "OOM when allocating ...").
void runKernelNamed(KernelFn kernel, KernelContext& c);

/// The "\n\t [[node <name>]]" suffix of TensorFlow's run errors.
std::string nodeSuffix(std::string_view name);

/// The ops one (fetches, feeds, targets) signature needs, prepared for dataflow runs.
class DataflowPlan {
public:
    /// The plan, or nullptr when none of the needed ops is a control-flow op (the static
    /// executor runs those). `fed` maps a packed Output ((op << 32) | index) to its feed index.
    static std::unique_ptr<DataflowPlan> build(const Graph& g, const std::vector<Output>& fetches,
                                               const std::unordered_map<int64_t, int>& fed,
                                               const std::vector<OpId>& targets);
    ~DataflowPlan();

    /// Runs the plan; `feeds` are the converted feed values in feed order. Returns the
    /// fetched values (refs not yet read: the Session copies them).
    std::vector<FlowValue> run(const FlowHooks& hooks, const std::vector<Tensor>& feeds);

    struct Node;

private:
    explicit DataflowPlan(const Graph& g);
    const Graph& m_graph;
    std::vector<Node> m_nodes;
    std::vector<int32_t> m_nodeOf; ///< by OpId: index into m_nodes, or -1
    std::vector<std::pair<Output, int>> m_fetches; ///< (tensor, feed index or -1)
};

} // namespace scopeviz::exec::detail
