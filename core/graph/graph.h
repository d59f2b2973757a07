#pragma once
// Graph: the computation graph and all of TensorFlow 1.x's per-graph naming
// state (docs/scoping.md §1): the case-insensitive names_in_use counters, the
// per-thread name stacks and variable scopes, the variable store, the
// collections, and the reuse trace that the visualizer replays.
//
// The Graph owns its operations; callers hold OpId / Output values. Ops are
// never removed, so ids stay valid for the Graph's lifetime.
//
// Threads: one graph may be built from several threads (§13) while others read
// it. numOps() and op() take no lock: every op below numOps() is complete, stays
// at its address for the graph's lifetime, and its name, type, inputs, attrs,
// outputs, device and variable scope never change afterwards (addControlInput
// and the import functions excepted: they edit existing ops, so import a graph
// before sharing it). Name lookups lock. Tables that keep growing (variables,
// collections, the trace) are returned as snapshots, or, for one variable, as
// a reference that stays valid as long as the graph.
#include "core/graph/attr.h"
#include "core/graph/op_registry.h"
#include "core/tensor/dtype.h"
#include "core/tensor/shape.h"

#include <array>
#include <atomic>
#include <bit>
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

namespace detail {
/// Shared empty values that default-constructed ops point at.
extern const AttrList g_emptyAttrs;
extern const std::vector<OutputInfo> g_emptyOutputs;
extern const std::vector<int32_t> g_emptyControlInputs;
} // namespace detail

/// One node of the graph.
///
/// Memory layout (a graph may hold millions of ops): the output signature and
/// small scalar-only attr lists are interned per graph and shared by every op
/// that has the same ones; control inputs live out of line because few ops
/// have any. The name points into the graph's name arena.
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
    const std::vector<OpId>& controlInputs() const
    {
        return m_controlInputs ? *m_controlInputs : detail::g_emptyControlInputs;
    }
    const AttrList& attrs() const { return *m_attrs; }
    const std::vector<OutputInfo>& outputs() const { return *m_outputs; }
    int numOutputs() const { return int(m_outputs->size()); }
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
    const AttrList* m_attrs = &detail::g_emptyAttrs;                 // interned or graph-owned
    const std::vector<OutputInfo>* m_outputs = &detail::g_emptyOutputs; // interned
    std::vector<OpId>* m_controlInputs = nullptr;                    // graph-owned, only when non-empty
    const Graph* m_graph = nullptr;
    OpId m_id = -1;
    int32_t m_varScope = 0;
    uint16_t m_device = 0;
};

namespace detail {

/// Fast 64-bit hash of a name, ASCII case-insensitive: names equal under A-Z/a-z
/// folding hash equally (so one hash serves the case-insensitive names_in_use and
/// the exact node map, where it is merely a slightly coarser hash).
uint64_t hashName(std::string_view s);
/// hashName in two steps, for names sharing a prefix: the state after `words` whole
/// 8-byte words of a prefix, then the rest. hashTail(hashWords(kHashSeed, p, k),
/// p + 8k, n - 8k, n) == hashName({p, n}).
inline constexpr uint64_t kHashSeed = 0x243F6A8885A308D3ULL;
uint64_t hashWords(uint64_t state, const char* p, size_t words);
uint64_t hashTail(uint64_t state, const char* p, size_t n, size_t totalLength);
/// ASCII case-insensitive equality (bytes >= 0x80 compare exactly), as lower-cased keys compare.
bool equalsFolded(std::string_view a, std::string_view b);

/// Open-addressing map from a name to an int32 value. The name's bytes are not
/// copied: they must outlive the map (the graph's arena). `FoldCase` makes the
/// keys ASCII case-insensitive, which is how names_in_use compares lower-cased keys
/// without storing a lower-cased copy of every name. Slots keep 32 bits of the
/// hash, so growing never re-hashes a name.
template <bool FoldCase>
class NameMap {
public:
    struct Slot {
        const char* ptr = nullptr;
        uint32_t len = 0;
        uint32_t hash = 0;
        int32_t value = 0;
        std::string_view key() const { return {ptr, len}; }
    };
    static uint64_t hash(std::string_view key) { return hashName(key); }
    /// The slot holding `key` (whose hash is h), or nullptr.
    Slot* find(std::string_view key, uint64_t h)
    {
        if (m_slots.empty())
            return nullptr;
        const size_t mask = m_slots.size() - 1;
        const uint32_t h32 = uint32_t(h);
        for (size_t i = h32 & mask;; i = (i + 1) & mask) {
            Slot& s = m_slots[i];
            if (!s.ptr)
                return nullptr;
            if (s.hash == h32 && s.len == key.size() && same(s.key(), key))
                return &s;
        }
    }
    const Slot* find(std::string_view key, uint64_t h) const { return const_cast<NameMap*>(this)->find(key, h); }
    /// Inserts a key that is not present; its bytes must stay valid.
    void insert(std::string_view key, uint64_t h, int32_t value)
    {
        if ((m_size + 1) * 4 > m_slots.size() * 3)
            grow();
        place(Slot{key.data(), uint32_t(key.size()), uint32_t(h), value});
        ++m_size;
    }
    size_t size() const { return m_size; }
    size_t bytes() const { return m_slots.capacity() * sizeof(Slot); }

private:
    static bool same(std::string_view a, std::string_view b) { return FoldCase ? equalsFolded(a, b) : a == b; }
    void place(const Slot& s)
    {
        const size_t mask = m_slots.size() - 1;
        size_t i = s.hash & mask;
        while (m_slots[i].ptr)
            i = (i + 1) & mask;
        m_slots[i] = s;
    }
    void grow()
    {
        std::vector<Slot> old = std::move(m_slots);
        m_slots.assign(old.empty() ? 64 : old.size() * 2, Slot{});
        for (const Slot& s : old)
            if (s.ptr)
                place(s);
    }
    std::vector<Slot> m_slots;
    size_t m_size = 0;
};

/// Exact-name index of the ops (the C layer's node map, case-sensitive): each slot is
/// (32 hash bits, op id + 1); names are read from the ops themselves.
class OpNameIndex {
public:
    /// The op named `name` (hash h), or -1. `nameOf(id)` returns an op's name.
    template <class NameOf>
    int32_t find(std::string_view name, uint64_t h, const NameOf& nameOf) const
    {
        if (m_slots.empty())
            return -1;
        const size_t mask = m_slots.size() - 1;
        const uint32_t h32 = uint32_t(h);
        for (size_t i = h32 & mask;; i = (i + 1) & mask) {
            const uint64_t s = m_slots[i];
            if (!s)
                return -1;
            if (uint32_t(s >> 32) == h32 && nameOf(int32_t(uint32_t(s)) - 1) == name)
                return int32_t(uint32_t(s)) - 1;
        }
    }
    /// Adds an op whose name (hash h) is not present.
    void insert(int32_t id, uint64_t h)
    {
        if ((m_size + 1) * 4 > m_slots.size() * 3) {
            std::vector<uint64_t> old = std::move(m_slots);
            m_slots.assign(old.empty() ? 64 : old.size() * 2, 0);
            for (uint64_t s : old)
                if (s)
                    place(s);
        }
        place((uint64_t(uint32_t(h)) << 32) | uint64_t(uint32_t(id + 1)));
        ++m_size;
    }
    size_t bytes() const { return m_slots.capacity() * sizeof(uint64_t); }
    /// Starts loading the slot a probe for hash h begins at (the table is large and random).
    void prefetch(uint64_t h) const
    {
        if (!m_slots.empty())
            __builtin_prefetch(&m_slots[uint32_t(h) & (m_slots.size() - 1)]);
    }

private:
    void place(uint64_t s)
    {
        const size_t mask = m_slots.size() - 1;
        size_t i = size_t(s >> 32) & mask;
        while (m_slots[i])
            i = (i + 1) & mask;
        m_slots[i] = s;
    }
    std::vector<uint64_t> m_slots;
    size_t m_size = 0;
};

/// Transparent string hash so std::string-keyed maps can be searched with a string_view.
struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return size_t(hashName(s)); }
};

} // namespace detail

/// Reuse setting of a variable scope (docs/scoping.md §8.4). `None` only appears
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
///
/// The text fields are views: Graph::addTrace copies (and de-duplicates) whatever
/// they point at into the graph, so a recorded event stays valid as long as the
/// graph; a caller may fill them from temporaries before calling addTrace.
struct TraceEvent {
    enum class Kind : uint8_t { EnterNameScope, ExitNameScope, EnterVariableScope, ExitVariableScope, GetVariable };
    enum class Outcome : uint8_t { None, Created, Reused, Failed };
    Kind kind = Kind::EnterNameScope;
    Outcome outcome = Outcome::None;
    Reuse reuse = Reuse::None;      ///< reuse mode in effect (variable scopes and getVariable)
    int32_t opCount = 0;            ///< number of ops in the graph when this happened (for replay)
    std::string_view requested;     ///< requested name (scope or variable)
    std::string_view fullName;      ///< resolved scope string or full variable name
    std::string_view nameScope;     ///< name-scope string in effect, with trailing '/' ("" at root); GetVariable: at the call
    std::string_view variableScope; ///< variable scope in effect
    std::string_view source;        ///< optional source location ("file:line")
    int32_t variable = -1;          ///< index into variables() for GetVariable
    uint32_t thread = 0;            ///< small id of the building thread
};

/// Per-thread scope state of one graph (§1, §13).
struct ThreadScopeState {
    std::string nameStack;                              ///< current name scope, no trailing '/'
    std::shared_ptr<VariableScopeData> varScope;        ///< current variable scope object
    /// Variable-scope open counts (§8.6), sorted by name so that a scope's
    /// descendants form one range; names are interned in the graph. A flat
    /// vector, because object scopes snapshot the whole map on entry.
    std::vector<std::pair<std::string_view, int>> openCounts;
    std::vector<std::pair<uint64_t, std::string>> nameFrames;  ///< (guard id, previous stack)
    struct VarFrame {
        uint64_t guard;
        std::shared_ptr<VariableScopeData> previous;
        std::shared_ptr<VariableScopeData> installed;
    };
    std::vector<VarFrame> varFrames;
    std::string colocation;                             ///< `_class` value applied to new ops, if set
    std::vector<OpId> controlDependencies;              ///< added to every new op
    std::shared_ptr<VariableScopeData> internedScope;   ///< last variable scope interned for op bookkeeping
    int32_t internedScopeIndex = 0;                     ///< its index (see Graph::internVariableScope)
    std::string validatedStack;                         ///< last name stack known to be a valid node-name prefix
};

/// A computation graph with TensorFlow 1.x naming state.
class Graph {
public:
    Graph();
    ~Graph();
    Graph(const Graph&) = delete;
    Graph& operator=(const Graph&) = delete;

    // ---- ops -------------------------------------------------------------
    /// Number of complete ops; lock-free, so a reader may poll it while another thread builds.
    int numOps() const { return m_numOps.load(std::memory_order_acquire); }
    /// The op with this id (0 <= id < numOps()); lock-free, and the reference stays valid.
    const Operation& op(OpId id) const
    {
        const size_t i = size_t(id);
        const unsigned chunk = unsigned(std::bit_width(i / kOpChunk0 + 1)) - 1;
        const size_t offset = i - kOpChunk0 * ((size_t(1) << chunk) - 1);
        return *m_opChunks[chunk].load(std::memory_order_acquire)[offset];
    }
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
    /// What a generated op wrapper does when it has no literal to convert (§6.2):
    /// `with name_scope(name or type) as S: create_op(type, name=S)` — the op is named
    /// after the uniquified scope (or verbatim for a '/'-terminated name), with the
    /// scope-name check of §2 first. Same names and errors as opening a NameScope and
    /// calling createOp with its scope string, without entering the scope.
    OpId createWrapperOp(std::string_view type, std::string_view name, std::vector<Output> inputs,
                         AttrList attrs = {});
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
    /// A snapshot of every variable, in creation order.
    std::vector<VariableInfo> variables() const;
    /// Number of variables.
    int numVariables() const;
    /// One variable (0 <= i < numVariables()); the reference stays valid as long as the graph.
    const VariableInfo& variable(int i) const;
    /// Index of a get_variable variable by store key, or -1.
    int findVariable(std::string_view fullName) const;
    /// Index of the variable whose VariableV2 op is `op`, or -1.
    int variableOfOp(OpId op) const;
    /// A snapshot of a collection's items ("variables", "trainable_variables", "summaries", ...).
    std::vector<Output> collection(const std::string& key) const;
    void addToCollection(const std::string& key, Output item);
    /// Every collection key in use.
    std::vector<std::string> collectionKeys() const;
    /// A snapshot of the reuse trace (its text views stay valid as long as the graph).
    std::vector<TraceEvent> trace() const;
    /// Number of trace events.
    size_t traceSize() const;

    /// Graph-level random seed (tf.set_random_seed); nullopt when unset.
    std::optional<int64_t> seed() const;
    void setSeed(std::optional<int64_t> s);
    /// Next op-level seed for a random op created without one (TF's _last_id rule).
    int64_t nextOpSeed() { return int64_t(numOps()); }

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
    /// Appends a trace event and returns its index (its text is copied into the graph).
    int addTrace(TraceEvent e);
    /// Records an event read back from a file (core/io/trace_text.h): as addTrace, but `e.opCount` is kept.
    int restoreTrace(TraceEvent e);
    /// A copy of s that lives as long as the graph; equal strings share one copy.
    std::string_view internString(std::string_view s);
    /// Sets the name stack directly (NameScope guards).
    void setNameStack(std::string s) { threadState().nameStack = std::move(s); }
    /// Registers a variable; returns its index.
    int addVariable(VariableInfo v);
    /// Records the trace event that created variable i.
    void setVariableTraceIndex(int i, int traceIndex);
    /// Interns a variable-scope name for op bookkeeping.
    int32_t internVariableScope(std::string_view name);
    /// An interned variable-scope name; the reference stays valid as long as the graph.
    const std::string& variableScopeName(int32_t i) const;
    /// An interned device name; the reference stays valid as long as the graph.
    const std::string& deviceName(uint16_t i) const;
    /// A fresh id for scope guards.
    uint64_t nextGuardId() { return ++m_guardCounter; }
    /// The root variable scope object of this graph (shared by all threads).
    std::shared_ptr<VariableScopeData> rootVariableScope() const { return m_rootVarScope; }
    /// Process-unique serial of this graph.
    uint64_t serial() const { return m_serial; }
    /// Bytes used by the graph's own structures (approximate; for benchmarks).
    size_t approximateBytes() const;

private:
    struct DefCacheEntry {
        std::string_view type;
        const OpDef* def = nullptr;
        Symbol symbol;
    };
    std::string_view storeName(std::string_view name);
    /// Makes the newest op visible to op() and numOps() (under the lock, once it is complete).
    void publishOpLocked(const Operation& o);
    /// unique_name under the lock. The result is a view into the name arena when
    /// `markAsUsed` (the recorded key itself), else into a per-thread buffer.
    std::string_view uniqueNameLocked(std::string_view name, bool markAsUsed, uint64_t* hashOut = nullptr);
    /// The common tail of createOp: validation, shape function, storage, indexing.
    /// `stored` tells whether `name` already lives in the arena; `h` is hashName(name).
    OpId finishOp(const DefCacheEntry& def, std::string_view name, bool stored, uint64_t h,
                  std::vector<Output>&& inputs, AttrList&& attrs, std::vector<OpId>&& controlInputs,
                  ThreadScopeState& ts);
    /// isValidNodeName, checking only the part after the current name stack when the
    /// stack itself is already known to be valid.
    bool validNodeName(std::string_view name, ThreadScopeState& ts) const;
    const std::vector<OutputInfo>* internOutputs(const ShapeContext& ctx);
    /// The registered definition of a type and its interned name (cached); def is nullptr if unknown.
    const DefCacheEntry& findDef(std::string_view type);
    const AttrList* internAttrs(AttrList&& attrs);
    const std::vector<OutputInfo>* internOutputs(std::vector<OutputInfo>&& outputs);
    std::string_view storeTraceString(std::string_view s);
    uint16_t internDevice(std::string_view d);

    mutable std::recursive_mutex m_mutex;
    std::deque<Operation> m_ops;
    // op()'s lock-free index: chunk k holds the addresses of kOpChunk0 << k ops, so
    // chunks never move and 32 of them cover any graph; a chunk is allocated before
    // m_numOps says that one of its ops exists.
    static constexpr size_t kOpChunk0 = 1024;
    std::array<std::atomic<const Operation**>, 32> m_opChunks{};
    std::array<std::unique_ptr<const Operation*[]>, 32> m_opChunkStorage;
    std::atomic<int> m_numOps{0};
    std::deque<std::string> m_nameChunks;      // arena for op names, names_in_use keys and trace text
    size_t m_chunkUsed = 0;
    detail::OpNameIndex m_byName;              // exact names (the node map)
    detail::NameMap<true> m_namesInUse;        // names_in_use: case-insensitive keys -> counters
    detail::NameMap<false> m_internedStrings;  // internString's table
    std::array<std::string_view, 64> m_recentTrace{}; // direct-mapped cache of stored trace text
    std::deque<AttrList> m_attrPool;           // attr lists, shared when scalar-only and equal
    std::unordered_multimap<uint64_t, const AttrList*> m_attrIntern;
    std::deque<std::vector<OutputInfo>> m_outputPool; // output signatures, shared when equal
    std::unordered_multimap<uint64_t, const std::vector<OutputInfo>*> m_outputIntern;
    std::deque<std::vector<OpId>> m_controlPool;
    std::array<DefCacheEntry, 32> m_defCache{};
    const AttrList* m_lastAttrs = nullptr;
    const std::vector<OutputInfo>* m_lastOutputs = nullptr;
    std::deque<VariableInfo> m_variables;
    std::unordered_map<std::string, int, detail::StringHash, std::equal_to<>> m_variableIndex;
    std::unordered_map<OpId, int> m_variableByOp;
    std::map<std::string, std::vector<Output>> m_collections;
    std::vector<TraceEvent> m_trace;
    std::deque<std::string> m_varScopeNames;
    std::unordered_map<std::string, int32_t, detail::StringHash, std::equal_to<>> m_varScopeIndex;
    std::deque<std::string> m_devices;
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
