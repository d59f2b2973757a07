#include "core/graph/graph.h"

#include "core/scope/variable_scope.h"
#include "core/util/error.h"
#include "core/util/strings.h"

#include <algorithm>

namespace scopeviz {

namespace {

std::atomic<uint64_t> g_graphSerial{0};

bool isNameChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-' || c == '/';
}

bool isFirstRootChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.';
}

void lowerInto(std::string& out, std::string_view s)
{
    out.assign(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
}

struct ThreadCache {
    uint64_t serial = 0;
    ThreadScopeState* state = nullptr;
};
thread_local ThreadCache t_cache;

} // namespace

const char* reuseName(Reuse r)
{
    switch (r) {
    case Reuse::None: return "None";
    case Reuse::False: return "False";
    case Reuse::True: return "True";
    case Reuse::AutoReuse: return "AUTO_REUSE";
    }
    return "?";
}

bool isValidScopeName(std::string_view name, bool atRoot)
{
    if (atRoot && (name.empty() || !isFirstRootChar(name[0])))
        return false;
    return std::all_of(name.begin(), name.end(), isNameChar);
}

bool isValidNodeName(std::string_view name) { return isValidScopeName(name, true); }

const std::string& Operation::device() const { return m_graph->deviceName(m_device); }

std::string_view Operation::nameScope() const
{
    size_t pos = m_name.rfind('/');
    return pos == std::string_view::npos ? std::string_view() : m_name.substr(0, pos);
}

const std::string& Operation::variableScope() const { return m_graph->variableScopeName(m_varScope); }

Graph::Graph() : m_serial(++g_graphSerial)
{
    m_varScopeNames.emplace_back();
    m_varScopeIndex.emplace("", 0);
    m_devices.emplace_back();
    m_rootVarScope = VariableScopeData::makeRoot();
}

Graph::~Graph()
{
    if (t_cache.serial == m_serial)
        t_cache = {};
}

std::string_view Graph::storeName(std::string_view name)
{
    // Names live in large chunks: one allocation per 64 KiB instead of one per op.
    constexpr size_t kChunk = 64 * 1024;
    if (m_nameChunks.empty() || m_chunkUsed + name.size() > m_nameChunks.back().size()) {
        m_nameChunks.emplace_back(std::max(kChunk, name.size()), '\0');
        m_chunkUsed = 0;
    }
    char* dst = m_nameChunks.back().data() + m_chunkUsed;
    std::copy(name.begin(), name.end(), dst);
    m_chunkUsed += name.size();
    return {dst, name.size()};
}

ThreadScopeState& Graph::threadState() const
{
    if (t_cache.serial == m_serial)
        return *t_cache.state;
    std::lock_guard lock(m_threadMutex);
    auto& slot = m_threads[std::this_thread::get_id()];
    if (!slot) {
        slot = std::make_unique<ThreadScopeState>();
        slot->varScope = m_rootVarScope; // every thread starts at the root scope (§13)
    }
    t_cache = {m_serial, slot.get()};
    return *slot;
}

const std::string& Graph::nameScope() const { return threadState().nameStack; }

bool Graph::nameInUse(std::string_view name) const
{
    std::lock_guard lock(m_mutex);
    std::string key;
    lowerInto(key, name);
    return m_namesInUse.count(key) > 0;
}

std::string Graph::uniqueName(std::string_view name, bool markAsUsed)
{
    std::lock_guard lock(m_mutex);
    return uniqueNameLocked(name, markAsUsed);
}

std::string Graph::uniqueNameLocked(std::string_view name, bool markAsUsed)
{
    // §3.1: counters are keyed by the lower-cased full path; the result keeps
    // the caller's case; the suffix search starts at the stored count.
    const std::string& stack = threadState().nameStack;
    std::string full;
    full.reserve(stack.size() + name.size() + 8);
    if (!stack.empty()) {
        full += stack;
        full += '/';
    }
    full += name;
    thread_local std::string key;
    lowerInto(key, full);
    auto it = m_namesInUse.find(key);
    int32_t n = it == m_namesInUse.end() ? 0 : it->second;
    if (markAsUsed) {
        if (it != m_namesInUse.end())
            it->second = n + 1;
        else
            m_namesInUse.emplace(storeName(key), 1);
    }
    if (n == 0)
        return full;
    const size_t base = key.size();
    int32_t j = n;
    for (;; ++j) {
        key.resize(base);
        key += '_';
        key += std::to_string(j);
        if (!m_namesInUse.count(key))
            break;
    }
    if (markAsUsed)
        m_namesInUse.emplace(storeName(key), 1);
    full += '_';
    full += std::to_string(j);
    return full;
}

const Operation* Graph::findOp(std::string_view name) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_byName.find(name);
    return it == m_byName.end() ? nullptr : &m_ops[size_t(it->second)];
}

std::string Graph::tensorName(Output o) const { return cat(op(o.op).name(), ":", o.index); }

OpId Graph::createOp(std::string_view type, std::string_view name, std::vector<Output> inputs, AttrList attrs,
                     std::vector<OpId> controlInputs)
{
    std::lock_guard lock(m_mutex);
    ThreadScopeState& ts = threadState();
    const OpDef* def = OpRegistry::global().find(type);
    if (!def)
        throw ValueError(cat("Op type not registered '", type, "'"));

    std::string finalName;
    if (name.empty())
        name = type;
    if (name.back() == '/')
        finalName.assign(name.substr(0, name.size() - 1)); // verbatim, not recorded (§6.1)
    else
        finalName = uniqueNameLocked(name, true);
    if (!isValidNodeName(finalName))
        throw ValueError(cat("'", finalName, "' is not a valid node name"));
    if (m_byName.count(finalName))
        throw ValueError(cat("Duplicate node name in graph: '", finalName, "'"));
    for (const Output& in : inputs) {
        if (in.op < 0 || in.op >= numOps() || in.index < 0 || in.index >= op(in.op).numOutputs())
            throw ValueError(cat("Invalid input to '", finalName, "': tensor ", in.op, ":", in.index,
                                 " is not in this graph"));
    }
    for (OpId c : controlInputs)
        if (c < 0 || c >= numOps())
            throw ValueError(cat("Invalid control input to '", finalName, "'"));
    if (!ts.colocation.empty())
        attrs.set("_class", AttrValue::stringList({ts.colocation}));
    else if (def->colocateWithRef && !inputs.empty() && isRef(info(inputs[0]).dtype))
        attrs.set("_class", AttrValue::stringList({cat("loc:@", op(inputs[0].op).name())}));
    for (OpId c : ts.controlDependencies)
        if (std::find(controlInputs.begin(), controlInputs.end(), c) == controlInputs.end())
            controlInputs.push_back(c);

    ShapeContext ctx(*this, finalName, type, inputs, attrs);
    if (def->shapeFn)
        def->shapeFn(ctx);

    Operation& o = m_ops.emplace_back();
    o.m_id = OpId(m_ops.size() - 1);
    o.m_name = storeName(finalName);
    o.m_type = Symbol(type);
    o.m_def = def;
    o.m_inputs = std::move(inputs);
    o.m_controlInputs = std::move(controlInputs);
    o.m_attrs = std::move(attrs);
    o.m_outputs.resize(ctx.outTypes.size());
    for (size_t i = 0; i < ctx.outTypes.size(); ++i)
        o.m_outputs[i] = {ctx.outTypes[i], i < ctx.outShapes.size() ? std::move(ctx.outShapes[i]) : Shape()};
    o.m_graph = this;
    o.m_varScope = ts.varScope ? internVariableScope(ts.varScope->name) : 0;
    m_byName.emplace(o.m_name, o.m_id);
    return o.m_id;
}

void Graph::addControlInput(OpId id, OpId control)
{
    std::lock_guard lock(m_mutex);
    auto& c = m_ops[size_t(id)].m_controlInputs;
    if (std::find(c.begin(), c.end(), control) == c.end())
        c.push_back(control);
}

OpId Graph::importOp(std::string_view name, std::string_view type, std::string_view device, AttrList attrs,
                     std::vector<OutputInfo> outputs)
{
    std::lock_guard lock(m_mutex);
    if (m_byName.count(name))
        throw ValueError(cat("Duplicate node name in graph: '", name, "'"));
    Operation& o = m_ops.emplace_back();
    o.m_id = OpId(m_ops.size() - 1);
    o.m_name = storeName(name);
    o.m_type = Symbol(type);
    o.m_def = OpRegistry::global().find(type);
    o.m_attrs = std::move(attrs);
    o.m_outputs = std::move(outputs);
    o.m_graph = this;
    o.m_device = internDevice(device);
    m_byName.emplace(o.m_name, o.m_id);
    std::string key;
    lowerInto(key, name);
    if (!m_namesInUse.count(key))
        m_namesInUse.emplace(storeName(key), 1);
    return o.m_id;
}

void Graph::setImportedInputs(OpId id, std::vector<Output> inputs, std::vector<OpId> controlInputs)
{
    std::lock_guard lock(m_mutex);
    Operation& o = m_ops[size_t(id)];
    o.m_inputs = std::move(inputs);
    o.m_controlInputs = std::move(controlInputs);
}

void Graph::ensureOutputs(OpId id, int count)
{
    std::lock_guard lock(m_mutex);
    Operation& o = m_ops[size_t(id)];
    if (int(o.m_outputs.size()) < count)
        o.m_outputs.resize(size_t(count));
}

uint16_t Graph::internDevice(std::string_view d)
{
    if (d.empty())
        return 0;
    for (size_t i = 0; i < m_devices.size(); ++i)
        if (m_devices[i] == d)
            return uint16_t(i);
    if (m_devices.size() >= 65535)
        return 0;
    m_devices.emplace_back(d);
    return uint16_t(m_devices.size() - 1);
}

int32_t Graph::internVariableScope(std::string_view name)
{
    if (name.empty())
        return 0;
    std::lock_guard lock(m_mutex);
    auto it = m_varScopeIndex.find(std::string(name));
    if (it != m_varScopeIndex.end())
        return it->second;
    m_varScopeNames.emplace_back(name);
    int32_t idx = int32_t(m_varScopeNames.size() - 1);
    m_varScopeIndex.emplace(std::string(name), idx);
    return idx;
}

int Graph::findVariable(std::string_view fullName) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_variableIndex.find(std::string(fullName));
    return it == m_variableIndex.end() ? -1 : it->second;
}

int Graph::variableOfOp(OpId op) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_variableByOp.find(op);
    return it == m_variableByOp.end() ? -1 : it->second;
}

int Graph::addVariable(VariableInfo v)
{
    std::lock_guard lock(m_mutex);
    int idx = int(m_variables.size());
    if (v.fromGetVariable)
        m_variableIndex[v.fullName] = idx;
    m_variableByOp[v.op] = idx;
    m_variables.push_back(std::move(v));
    return idx;
}

const std::vector<Output>& Graph::collection(const std::string& key) const
{
    static const std::vector<Output> empty;
    std::lock_guard lock(m_mutex);
    auto it = m_collections.find(key);
    return it == m_collections.end() ? empty : it->second;
}

void Graph::addToCollection(const std::string& key, Output item)
{
    std::lock_guard lock(m_mutex);
    m_collections[key].push_back(item);
}

std::vector<std::string> Graph::collectionKeys() const
{
    std::lock_guard lock(m_mutex);
    std::vector<std::string> keys;
    for (const auto& [k, v] : m_collections)
        keys.push_back(k);
    return keys;
}

int Graph::addTrace(TraceEvent e)
{
    std::lock_guard lock(m_mutex);
    e.opCount = numOps();
    std::hash<std::thread::id> h;
    e.thread = h(std::this_thread::get_id());
    m_trace.push_back(std::move(e));
    return int(m_trace.size() - 1);
}

size_t Graph::approximateBytes() const
{
    std::lock_guard lock(m_mutex);
    size_t bytes = m_ops.size() * sizeof(Operation) + m_nameChunks.size() * 64 * 1024;
    for (const Operation& o : m_ops) {
        bytes += o.m_inputs.capacity() * sizeof(Output) + o.m_controlInputs.capacity() * sizeof(OpId);
        bytes += o.m_outputs.capacity() * sizeof(OutputInfo) + o.m_attrs.size() * sizeof(Attr);
        for (const OutputInfo& oi : o.m_outputs)
            bytes += oi.shape.dims().capacity() * sizeof(int64_t);
    }
    // unordered_map nodes: key view + value + next pointer + cached hash, plus buckets.
    bytes += (m_byName.size() + m_namesInUse.size()) * 48 + (m_byName.bucket_count() + m_namesInUse.bucket_count()) * 8;
    for (const TraceEvent& t : m_trace)
        bytes += sizeof(TraceEvent) + t.requested.capacity() + t.fullName.capacity() + t.nameScope.capacity() +
                 t.variableScope.capacity();
    return bytes;
}

} // namespace scopeviz
