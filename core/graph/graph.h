#pragma once
// Graph: the computation graph and all of TensorFlow 1.x's per-graph naming
// state (tf-scoping.md §1): the case-insensitive names_in_use counters, the
// per-thread name stacks and variable scopes, the variable store, the
// collections, and the reuse trace that the visualizer replays.
//
// The Graph owns its operations; callers hold OpId / Output values. Ops are
// never removed, so ids stay valid for the Graph's lifetime.
#include "core/graph/attr.h"
#include "core/graph/op_registry.h"
#include "core/tensor/dtype.h"
#include "core/tensor/shape.h"

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace scopeviz {

/// Index of an op in its Graph (creation order).
using OpId = int32_t;

/// One output of an op: `name:index`.
struct Output {
    OpId op = -1;
    int32_t index = 0;
    bool valid() const { return op >= 0; }
    bool operator==(const Output& o) const { return op == o.op && index == o.index; }
};

/// The static type of one op output.
struct OutputInfo {
    DType dtype = DType::Invalid;
    Shape shape;
};

/// One node of the graph.
class Operation {
public:
    OpId id() const { return m_id; }
    /// Full node name, e.g. "my_net/MatMul".
    std::string_view name() const { return m_name; }
    /// Op type, e.g. "MatMul".
    const std::string& type() const { return m_type.str(); }
    /// The registered definition, or nullptr for unknown imported types.
    const OpDef* def() const { return m_def; }
    const std::vector<Output>& inputs() const { return m_inputs; }
    const std::vector<OpId>& controlInputs() const { return m_controlInputs; }
    const AttrList& attrs() const { return m_attrs; }
    const std::vector<OutputInfo>& outputs() const { return m_outputs; }
    int numOutputs() const { return int(m_outputs.size()); }
    /// Device string ("" when unplaced).
    const std::string& device() const;
    /// Name scope the op lives in: its name up to the last '/' ("" at root).
    std::string_view nameScope() const;
    /// Variable scope in effect when the op was created ("" at root or for imported ops).
    const std::string& variableScope() const;

private:
    friend class Graph;
    std::string_view m_name;
    Symbol m_type;
    const OpDef* m_def = nullptr;
    std::vector<Output> m_inputs;
    std::vector<OpId> m_controlInputs;
    AttrList m_attrs;
    std::vector<OutputInfo> m_outputs;
    const Graph* m_graph = nullptr;
    OpId m_id = -1;
    uint16_t m_device = 0;
    int32_t m_varScope = 0;
};

/// Reuse setting of a variable scope (tf-scoping.md §8.4). `None` only appears
/// as an argument ("inherit"); False is converted to None at construction.
enum class Reuse : uint8_t { None, False, True, AutoReuse };
/// "None", "False", "True", "AUTO_REUSE".
const char* reuseName(Reuse r);

class Initializer;
struct VariableScopeData;

/// A variable created by getVariable (or Variable()).
struct VariableInfo {
    std::string fullName;  ///< store key (variable-scope path + name)
    OpId op = -1;          ///< the VariableV2 op (its name may differ: §9.8)
    OpId assignOp = -1;    ///< the initializer op
    OpId readOp = -1;      ///< the `<var>/read` Identity
    OpId initialValueOp = -1;
    DType dtype = DType::Float;
    Shape shape;
    bool trainable = true;
    bool fromGetVariable = true; ///< false for Variable(): invisible to the store
    int traceIndex = -1;         ///< the creating GetVariable trace event
    std::string definedAt;       ///< "Originally defined at:" frames
};

/// One entry of the reuse trace: how the graph was built, in order.
struct TraceEvent {
    enum class Kind : uint8_t { EnterNameScope, ExitNameScope, EnterVariableScope, ExitVariableScope, GetVariable };
    enum class Outcome : uint8_t { None, Created, Reused, Failed };
    Kind kind = Kind::EnterNameScope;
    Outcome outcome = Outcome::None;
    Reuse reuse = Reuse::None;   ///< reuse mode in effect (variable scopes and getVariable)
    std::string requested;       ///< requested name (scope or variable)
    std::string fullName;        ///< resolved scope string or full variable name
    std::string nameScope;       ///< name scope in effect ("" at root), for GetVariable: at the call
    std::string variableScope;   ///< variable scope in effect
    std::string source;          ///< optional source location ("file:line")
    int32_t opCount = 0;         ///< number of ops in the graph when this happened (for replay)
    int32_t variable = -1;       ///< index into variables() for GetVariable
    uint64_t thread = 0;         ///< small id of the building thread
};

/// Per-thread scope state of one graph (§1, §13).
struct ThreadScopeState {
    std::string nameStack;                              ///< current name scope, no trailing '/'
    std::shared_ptr<VariableScopeData> varScope;        ///< current variable scope object
    std::unordered_map<std::string, int> openCounts;    ///< variable-scope open counts (§8.6)
    std::vector<std::pair<uint64_t, std::string>> nameFrames;  ///< (guard id, previous stack)
    struct VarFrame {
        uint64_t guard;
        std::shared_ptr<VariableScopeData> previous;
        std::shared_ptr<VariableScopeData> installed;
    };
    std::vector<VarFrame> varFrames;
    std::string colocation;                             ///< `_class` value applied to new ops, if set
    std::vector<OpId> controlDependencies;              ///< added to every new op
};

/// A computation graph with TensorFlow 1.x naming state.
class Graph {
public:
    Graph();
    ~Graph();
    Graph(const Graph&) = delete;
    Graph& operator=(const Graph&) = delete;

    // ---- ops -------------------------------------------------------------
    int numOps() const { return int(m_ops.size()); }
    const Operation& op(OpId id) const { return m_ops[size_t(id)]; }
    /// The op with exactly this name (case-sensitive), or nullptr.
    const Operation* findOp(std::string_view name) const;
    /// The static type of an output.
    const OutputInfo& info(Output o) const { return op(o.op).outputs()[size_t(o.index)]; }
    /// Tensor name "op:index".
    std::string tensorName(Output o) const;

    /// Graph.create_op (§6.1): `name` empty -> the type; ending in '/' -> verbatim;
    /// otherwise uniquified under the current name scope. Runs the shape function.
    OpId createOp(std::string_view type, std::string_view name, std::vector<Output> inputs, AttrList attrs = {},
                  std::vector<OpId> controlInputs = {});
    /// Adds a control input to an existing op (used by group/init).
    void addControlInput(OpId op, OpId control);

    // ---- naming (§3, §4) ------------------------------------------------
    /// Graph.unique_name.
    std::string uniqueName(std::string_view name, bool markAsUsed = true);
    /// Current name stack of this thread ("" at root), as get_name_scope().
    const std::string& nameScope() const;
    /// True when the lower-cased name is recorded in names_in_use.
    bool nameInUse(std::string_view name) const;

    // ---- variables, collections, trace ------------------------------------
    const std::vector<VariableInfo>& variables() const { return m_variables; }
    /// Index of a get_variable variable by store key, or -1.
    int findVariable(std::string_view fullName) const;
    /// Index of the variable whose VariableV2 op is `op`, or -1.
    int variableOfOp(OpId op) const;
    /// Items of a collection ("variables", "trainable_variables", "summaries", ...).
    const std::vector<Output>& collection(const std::string& key) const;
    void addToCollection(const std::string& key, Output item);
    /// Every collection key in use.
    std::vector<std::string> collectionKeys() const;
    const std::vector<TraceEvent>& trace() const { return m_trace; }

    /// Graph-level random seed (tf.set_random_seed); nullopt when unset.
    std::optional<int64_t> seed() const { return m_seed; }
    void setSeed(std::optional<int64_t> s) { m_seed = s; }
    /// Next op-level seed for a random op created without one (TF's _last_id rule).
    int64_t nextOpSeed() { return int64_t(m_ops.size()); }

    // ---- import (GraphDef) -------------------------------------------------
    /// Adds an op read from a GraphDef as is: no uniquifying, no shape function.
    /// Its lower-cased name is recorded as in use (§3.3). Throws ValueError on a duplicate.
    OpId importOp(std::string_view name, std::string_view type, std::string_view device, AttrList attrs,
                  std::vector<OutputInfo> outputs);
    /// Sets the inputs of an imported op (second pass, after every node exists).
    void setImportedInputs(OpId op, std::vector<Output> inputs, std::vector<OpId> controlInputs);
    /// Grows an imported op's output list (an input referenced `node:k` beyond what attrs said).
    void ensureOutputs(OpId op, int count);

    // ---- scope machinery (used by core/scope) -----------------------------
    /// This thread's scope state for this graph (created on first use).
    ThreadScopeState& threadState() const;
    /// Appends a trace event and returns its index.
    int addTrace(TraceEvent e);
    /// Sets the name stack directly (NameScope guards).
    void setNameStack(std::string s) { threadState().nameStack = std::move(s); }
    /// Registers a variable; returns its index.
    int addVariable(VariableInfo v);
    VariableInfo& mutableVariable(int i) { return m_variables[size_t(i)]; }
    /// Interns a variable-scope name for op bookkeeping.
    int32_t internVariableScope(std::string_view name);
    const std::string& variableScopeName(int32_t i) const { return m_varScopeNames[size_t(i)]; }
    const std::string& deviceName(uint16_t i) const { return m_devices[i]; }
    /// A fresh id for scope guards.
    uint64_t nextGuardId() { return ++m_guardCounter; }
    /// The root variable scope object of this graph (shared by all threads).
    std::shared_ptr<VariableScopeData> rootVariableScope() const { return m_rootVarScope; }
    /// Process-unique serial of this graph.
    uint64_t serial() const { return m_serial; }
    /// Bytes used by the graph's own structures (approximate; for benchmarks).
    size_t approximateBytes() const;

private:
    std::string_view storeName(std::string_view name);
    std::string uniqueNameLocked(std::string_view name, bool markAsUsed);
    uint16_t internDevice(std::string_view d);

    mutable std::recursive_mutex m_mutex;
    std::deque<Operation> m_ops;
    std::deque<std::string> m_nameChunks;      // arena for op names and names_in_use keys
    size_t m_chunkUsed = 0;
    std::unordered_map<std::string_view, OpId> m_byName;        // exact names
    std::unordered_map<std::string_view, int32_t> m_namesInUse; // lower-cased keys
    std::vector<VariableInfo> m_variables;
    std::unordered_map<std::string, int> m_variableIndex;
    std::unordered_map<OpId, int> m_variableByOp;
    std::map<std::string, std::vector<Output>> m_collections;
    std::vector<TraceEvent> m_trace;
    std::vector<std::string> m_varScopeNames;
    std::unordered_map<std::string, int32_t> m_varScopeIndex;
    std::vector<std::string> m_devices;
    std::optional<int64_t> m_seed;
    std::shared_ptr<VariableScopeData> m_rootVarScope;
    mutable std::mutex m_threadMutex;
    mutable std::unordered_map<std::thread::id, std::unique_ptr<ThreadScopeState>> m_threads;
    std::atomic<uint64_t> m_guardCounter{0};
    uint64_t m_serial;
};

/// Validates a name scope (§2): root pattern at root, nested pattern otherwise.
bool isValidScopeName(std::string_view name, bool atRoot);
/// Validates a node name against the root pattern (§2).
bool isValidNodeName(std::string_view name);

} // namespace scopeviz
