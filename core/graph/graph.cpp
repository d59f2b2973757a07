#include "core/graph/graph.h"

#include "core/graph/name_scope.h"
#include "core/util/error.h"
#include "core/util/strings.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>

// Performance notes. Building a graph is dominated by naming: every op does one
// unique_name (names_in_use lookup + insert), one node-map check and one arena
// copy of its name. The structures are laid out so that this costs one hash of
// the name (shared by both tables) and no heap allocation per op beyond the op's
// own inputs:
//  - names_in_use is an open-addressing table whose keys are views of the
//    original-case names in the arena, compared ASCII case-insensitively (the
//    same relation as lower-casing every key, §3) — the op created under a
//    uniquified name shares that text with its names_in_use key;
//  - the node map stores only (hash, op id) and reads names from the ops;
//  - output signatures and scalar-only attr lists are interned per graph;
//  - temporary names are built in per-thread buffers.

namespace scopeviz {

namespace detail {
const AttrList g_emptyAttrs;
const std::vector<OutputInfo> g_emptyOutputs;
const std::vector<int32_t> g_emptyControlInputs;
// Index 0 of the interned variable-scope and device names: read without the lock.
const std::string g_emptyString;

namespace {
constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHigh = 0x8080808080808080ULL;
constexpr uint64_t kMul = 0x9E3779B97F4A7C15ULL;
// OR-ing 0x20 into every byte maps 'A'-'Z' onto 'a'-'z' (and merges some other
// pairs, which only makes the hash coarser): strings equal under ASCII case
// folding therefore hash equally, at one instruction per 8 bytes.
constexpr uint64_t kCaseBits = 0x2020202020202020ULL;

/// Sets bit 5 of every byte in 'A'..'Z' (exact ASCII lower-casing of 8 bytes at once).
inline uint64_t foldWord(uint64_t w)
{
    const uint64_t low7 = w & ~kHigh;
    const uint64_t geA = low7 + (0x80 - 'A') * kOnes; // high bit set where byte >= 'A'
    const uint64_t gtZ = low7 + (0x80 - 'Z' - 1) * kOnes; // high bit set where byte > 'Z'
    const uint64_t upper = geA & ~gtZ & ~w & kHigh;
    return w | (upper >> 2);
}

inline uint64_t load(const char* p, size_t n)
{
    uint64_t w = 0;
    std::memcpy(&w, p, n);
    return w;
}
inline uint64_t load8(const char* p)
{
    uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
}
inline uint64_t load4(const char* p)
{
    uint32_t w;
    std::memcpy(&w, p, 4);
    return w;
}
inline uint64_t step(uint64_t h, uint64_t w) { return (std::rotl(h, 23) ^ (w | kCaseBits)) * kMul; }
} // namespace

uint64_t hashWords(uint64_t state, const char* p, size_t words)
{
    for (size_t i = 0; i < words; ++i, p += 8)
        state = step(state, load8(p));
    return state;
}

uint64_t hashTail(uint64_t state, const char* p, size_t n, size_t totalLength)
{
    for (; n >= 8; p += 8, n -= 8)
        state = step(state, load8(p));
    if (n >= 4)
        state = step(state, load4(p) | (load4(p + n - 4) << 32));
    else if (n > 0)
        state = step(state, uint64_t(uint8_t(p[0])) | (uint64_t(uint8_t(p[n / 2])) << 8) |
                                (uint64_t(uint8_t(p[n - 1])) << 16));
    // The length goes in last, so the state after a prefix's whole words can be
    // reused for every name that extends the prefix (unique_name's "_N" candidates).
    uint64_t h = state ^ (uint64_t(totalLength) * kMul);
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 32;
    return h;
}

uint64_t hashName(std::string_view s) { return hashTail(kHashSeed, s.data(), s.size(), s.size()); }

bool equalsFolded(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    if (a == b) // the usual hit: the same name with the same case (memcmp is cheaper than folding)
        return true;
    size_t i = 0;
    for (; i + 8 <= a.size(); i += 8)
        if (foldWord(load8(a.data() + i)) != foldWord(load8(b.data() + i)))
            return false;
    const size_t k = a.size() - i;
    return k == 0 || foldWord(load(a.data() + i, k)) == foldWord(load(b.data() + i, k));
}
} // namespace detail

namespace {

std::atomic<uint64_t> g_graphSerial{0};

/// Character classes of §2: bit 0 = allowed anywhere, bit 1 = allowed first at root.
struct NameChars {
    uint8_t cls[256] = {};
    constexpr NameChars()
    {
        for (int c = 0; c < 256; ++c) {
            const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            const bool any = alnum || c == '_' || c == '.' || c == '-' || c == '/';
            cls[c] = uint8_t((any ? 1 : 0) | ((alnum || c == '.') ? 2 : 0));
        }
    }
};
constexpr NameChars kNameChars;

struct ThreadCache {
    uint64_t serial = 0;
    ThreadScopeState* state = nullptr;
};
thread_local ThreadCache t_cache;

/// Per-thread scratch for names being built (no allocation once warm).
thread_local std::vector<char> t_nameBuffer;

bool scalarOnly(const AttrList& attrs)
{
    if (attrs.size() > 4)
        return false;
    for (const Attr& a : attrs) {
        switch (a.value.kind()) {
        case AttrValue::Kind::None:
        case AttrValue::Kind::Int:
        case AttrValue::Kind::Float:
        case AttrValue::Kind::Bool:
        case AttrValue::Kind::Type: break;
        default: return false;
        }
    }
    return true;
}

uint64_t scalarBits(const AttrValue& v)
{
    switch (v.kind()) {
    case AttrValue::Kind::Int: return uint64_t(v.i());
    case AttrValue::Kind::Float: return std::bit_cast<uint64_t>(v.f());
    case AttrValue::Kind::Bool: return v.b() ? 1 : 0;
    case AttrValue::Kind::Type: return uint64_t(v.t());
    default: return 0;
    }
}

uint64_t mix(uint64_t h, uint64_t v) { return (std::rotl(h, 17) ^ v) * 0x9E3779B97F4A7C15ULL; }

uint64_t load8Unaligned(const char* p)
{
    uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
}

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
    if (atRoot && (name.empty() || !(kNameChars.cls[uint8_t(name[0])] & 2)))
        return false;
    for (char c : name)
        if (!(kNameChars.cls[uint8_t(c)] & 1))
            return false;
    return true;
}

bool isValidNodeName(std::string_view name) { return isValidScopeName(name, true); }

const std::string& Operation::device() const { return m_device == 0 ? detail::g_emptyString : m_graph->deviceName(m_device); }

std::string_view Operation::nameScope() const
{
    size_t pos = m_name.rfind('/');
    return pos == std::string_view::npos ? std::string_view() : m_name.substr(0, pos);
}

const std::string& Operation::variableScope() const
{
    return m_varScope == 0 ? detail::g_emptyString : m_graph->variableScopeName(m_varScope);
}

const std::string& Graph::variableScopeName(int32_t i) const
{
    std::lock_guard lock(m_mutex); // the deque's index may grow meanwhile; its strings do not move
    return m_varScopeNames[size_t(i)];
}

const std::string& Graph::deviceName(uint16_t i) const
{
    std::lock_guard lock(m_mutex);
    return m_devices[i];
}

std::optional<int64_t> Graph::seed() const
{
    std::lock_guard lock(m_mutex);
    return m_seed;
}

void Graph::setSeed(std::optional<int64_t> s)
{
    std::lock_guard lock(m_mutex);
    m_seed = s;
}

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
    return m_namesInUse.find(name, m_namesInUse.hash(name)) != nullptr;
}

std::string Graph::uniqueName(std::string_view name, bool markAsUsed)
{
    std::lock_guard lock(m_mutex);
    return std::string(uniqueNameLocked(name, markAsUsed));
}

std::string_view Graph::uniqueNameLocked(std::string_view name, bool markAsUsed, uint64_t* hashOut)
{
    // §3.1: counters are keyed by the (case-insensitive) full path; the result keeps
    // the caller's case; the suffix search starts at the stored count and every
    // generated name is itself recorded with count 1.
    const std::string& stack = threadState().nameStack;
    // The candidate names are built in a per-thread buffer: stack + '/' + name + "_<n>".
    const size_t need = stack.size() + 1 + name.size() + 16;
    if (t_nameBuffer.size() < need)
        t_nameBuffer.resize(std::max(need, 2 * t_nameBuffer.size()));
    char* buf = t_nameBuffer.data();
    size_t base = 0;
    if (!stack.empty()) {
        std::memcpy(buf, stack.data(), stack.size());
        buf[stack.size()] = '/';
        base = stack.size() + 1;
    }
    std::memcpy(buf + base, name.data(), name.size());
    base += name.size();
    std::string_view full(buf, base);
    // Hash state after the base name's whole 8-byte words: shared by the "_N" candidates.
    const size_t words = base / 8;
    const uint64_t prefixState = detail::hashWords(detail::kHashSeed, buf, words);
    const uint64_t h = detail::hashTail(prefixState, buf + 8 * words, base - 8 * words, base);
    auto* slot = m_namesInUse.find(full, h);
    if (!slot) {
        if (hashOut) {
            *hashOut = h;
            m_byName.prefetch(h);
        }
        if (!markAsUsed)
            return full;
        const std::string_view stored = storeName(full);
        m_namesInUse.insert(stored, h, 1);
        return stored;
    }
    const int32_t n = slot->value;
    if (markAsUsed)
        slot->value = n + 1;
    buf[base] = '_';
    for (int32_t j = n;; ++j) {
        const auto [end, ec] = std::to_chars(buf + base + 1, buf + need, j);
        const size_t len = size_t(end - buf);
        full = std::string_view(buf, len);
        const uint64_t hj = detail::hashTail(prefixState, buf + 8 * words, len - 8 * words, len);
        if (m_namesInUse.find(full, hj))
            continue;
        if (hashOut) {
            *hashOut = hj;
            m_byName.prefetch(hj); // the node map is probed with this hash a little later
        }
        if (!markAsUsed)
            return full;
        const std::string_view stored = storeName(full);
        m_namesInUse.insert(stored, hj, 1);
        return stored;
    }
}

const Operation* Graph::findOp(std::string_view name) const
{
    std::lock_guard lock(m_mutex);
    const int32_t id = m_byName.find(name, detail::hashName(name), [this](int32_t i) { return m_ops[size_t(i)].m_name; });
    return id < 0 ? nullptr : &m_ops[size_t(id)];
}

std::string Graph::tensorName(Output o) const { return cat(op(o.op).name(), ":", o.index); }

const Graph::DefCacheEntry& Graph::findDef(std::string_view type)
{
    // Op builders pass the same few type names over and over: a direct-mapped
    // cache (verified by content) in front of the registry's hash map, which also
    // keeps the interned type name.
    DefCacheEntry& e = m_defCache[(type.size() * 7 + uint8_t(type.empty() ? 0 : type.back())) % m_defCache.size()];
    if (e.def && e.type == type)
        return e;
    static const DefCacheEntry kUnknown;
    const OpDef* def = OpRegistry::global().find(type);
    if (!def)
        return kUnknown;
    e.def = def;
    e.type = def->name; // the registry's own string: stable
    e.symbol = Symbol(def->name);
    return e;
}

namespace {
// Outputs given by the caller instead of a shape function: the Python layer infers the
// shapes of op types the engine has no shape function for (ConcatV2, Conv2D, Switch, ...).
// The two attrs are consumed here and never stored on the op.
constexpr std::string_view kGivenTypes = "_scopeviz_output_types";
constexpr std::string_view kGivenShapes = "_scopeviz_output_shapes";
} // namespace

OpId Graph::createOp(std::string_view type, std::string_view name, std::vector<Output> inputs, AttrList attrs,
                     std::vector<OpId> controlInputs)
{
    std::lock_guard lock(m_mutex);
    ThreadScopeState& ts = threadState();
    const DefCacheEntry* defp = &findDef(type);
    DefCacheEntry given; // an unregistered type whose outputs the caller gives (no kernel, no gradient)
    if (!defp->def && attrs.has(kGivenTypes)) {
        given.symbol = Symbol(type);
        given.type = given.symbol.str();
        defp = &given;
    }
    const DefCacheEntry& def = *defp;
    if (!def.def && def.type.empty())
        throw ValueError(cat("Op type not registered '", type, "'"));
    if (name.empty())
        name = type;
    if (name.back() == '/') { // verbatim, not recorded (§6.1)
        name.remove_suffix(1);
        return finishOp(def, name, false, detail::hashName(name), std::move(inputs), std::move(attrs),
                        std::move(controlInputs), ts);
    }
    uint64_t h = 0;
    const std::string_view finalName = uniqueNameLocked(name, true, &h);
    return finishOp(def, finalName, true, h, std::move(inputs), std::move(attrs), std::move(controlInputs), ts);
}

OpId Graph::createWrapperOp(std::string_view type, std::string_view name, std::vector<Output> inputs, AttrList attrs)
{
    std::lock_guard lock(m_mutex);
    ThreadScopeState& ts = threadState();
    const DefCacheEntry& def = findDef(type);
    if (name.empty())
        name = type;
    // name_scope(name): validated against the root or nested pattern first (§2).
    if (!isValidScopeName(name, ts.nameStack.empty()))
        throw ValueError(cat("'", name, "' is not a valid scope name"));
    if (!def.def)
        throw ValueError(cat("Op type not registered '", type, "'"));
    if (name.back() == '/') { // absolute scope: the op is named verbatim (§4, §6.2)
        name.remove_suffix(1);
        return finishOp(def, name, false, detail::hashName(name), std::move(inputs), std::move(attrs), {}, ts);
    }
    uint64_t h = 0;
    const std::string_view finalName = uniqueNameLocked(name, true, &h);
    return finishOp(def, finalName, true, h, std::move(inputs), std::move(attrs), {}, ts);
}

bool Graph::validNodeName(std::string_view name, ThreadScopeState& ts) const
{
    // Most names are "<current stack>/<leaf>": once the stack is known to be a valid
    // node-name prefix, only the leaf needs its characters checked.
    const std::string& stack = ts.nameStack;
    if (!stack.empty() && name.size() > stack.size() && name[stack.size()] == '/' &&
        name.compare(0, stack.size(), stack) == 0) {
        if (ts.validatedStack != stack) {
            if (!isValidNodeName(stack))
                return false;
            ts.validatedStack = stack;
        }
        return isValidScopeName(name.substr(stack.size() + 1), false);
    }
    return isValidNodeName(name);
}

OpId Graph::finishOp(const DefCacheEntry& entry, std::string_view finalName, bool stored, uint64_t h,
                     std::vector<Output>&& inputs, AttrList&& attrs, std::vector<OpId>&& controlInputs,
                     ThreadScopeState& ts)
{
    const OpDef* def = entry.def;
    const std::string_view type = entry.type;
    if (!validNodeName(finalName, ts))
        throw ValueError(cat("'", finalName, "' is not a valid node name"));
    auto nameOf = [this](int32_t i) { return m_ops[size_t(i)].m_name; };
    if (m_byName.find(finalName, h, nameOf) >= 0)
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
    else if (def && def->colocateWithRef && !inputs.empty() && isRef(info(inputs[0]).dtype))
        attrs.set("_class", AttrValue::stringList({cat("loc:@", op(inputs[0].op).name())}));
    for (OpId c : ts.controlDependencies)
        if (std::find(controlInputs.begin(), controlInputs.end(), c) == controlInputs.end())
            controlInputs.push_back(c);

    // The shape function's output vectors are recycled per thread (two allocations
    // per op otherwise); what they hold is copied out by internOutputs.
    std::vector<DType> givenTypes;
    std::vector<Shape> givenShapes;
    const bool givenOutputs = attrs.has(kGivenTypes);
    if (givenOutputs) {
        givenTypes = attrs.find(kGivenTypes)->types();
        if (const AttrValue* s = attrs.find(kGivenShapes))
            givenShapes = s->shapes();
        givenShapes.resize(givenTypes.size());
        AttrList kept;
        for (const Attr& a : attrs)
            if (a.name.str() != kGivenTypes && a.name.str() != kGivenShapes)
                kept.set(a.name.str(), a.value);
        attrs = std::move(kept);
    }
    thread_local std::vector<DType> t_outTypes;
    thread_local std::vector<Shape> t_outShapes;
    ShapeContext ctx(*this, finalName, type, inputs, attrs);
    ctx.outTypes.swap(t_outTypes);
    ctx.outShapes.swap(t_outShapes);
    struct Recycle {
        ShapeContext& c;
        ~Recycle()
        {
            c.outTypes.clear();
            c.outShapes.clear();
            c.outTypes.swap(t_outTypes);
            c.outShapes.swap(t_outShapes);
        }
    } recycle{ctx};
    if (givenOutputs) {
        for (size_t i = 0; i < givenTypes.size(); ++i)
            ctx.setOutput(int(i), givenTypes[i], givenShapes[i]);
    } else if (def && def->shapeFn) {
        def->shapeFn(ctx);
    }

    Operation& o = m_ops.emplace_back();
    o.m_id = OpId(m_ops.size() - 1);
    o.m_name = stored ? finalName : storeName(finalName);
    o.m_type = entry.symbol;
    o.m_def = def;
    o.m_inputs = std::move(inputs);
    if (!controlInputs.empty())
        o.m_controlInputs = &m_controlPool.emplace_back(std::move(controlInputs));
    o.m_attrs = internAttrs(std::move(attrs));
    o.m_outputs = internOutputs(ctx);
    o.m_graph = this;
    // The variable scope's interned index is cached per thread (scopes change far less often than ops).
    if (ts.varScope && ts.varScope != ts.internedScope) {
        ts.internedScopeIndex = internVariableScope(ts.varScope->name);
        ts.internedScope = ts.varScope;
    }
    o.m_varScope = ts.varScope ? ts.internedScopeIndex : 0;
    m_byName.insert(o.m_id, h);
    publishOpLocked(o);
    return o.m_id;
}

void Graph::publishOpLocked(const Operation& o)
{
    const size_t i = size_t(o.m_id);
    const unsigned chunk = unsigned(std::bit_width(i / kOpChunk0 + 1)) - 1;
    const size_t offset = i - kOpChunk0 * ((size_t(1) << chunk) - 1);
    if (!m_opChunkStorage[chunk]) {
        m_opChunkStorage[chunk] = std::make_unique<const Operation*[]>(kOpChunk0 << chunk);
        m_opChunks[chunk].store(m_opChunkStorage[chunk].get(), std::memory_order_release);
    }
    m_opChunkStorage[chunk][offset] = &o;
    // Release: a reader that sees the new count also sees the op and its slot.
    m_numOps.store(int(i + 1), std::memory_order_release);
}

const AttrList* Graph::internAttrs(AttrList&& attrs)
{
    // Scalar-only lists ({T: float}, {transpose_a: false, ...}) repeat across most ops:
    // share one copy. Lists with payloads (tensors, strings, shapes) stay per op.
    if (attrs.empty())
        return &detail::g_emptyAttrs;
    if (!scalarOnly(attrs))
        return &m_attrPool.emplace_back(std::move(attrs));
    auto sameScalars = [](const AttrList& x, const AttrList& y) {
        if (x.size() != y.size())
            return false;
        for (auto a = x.begin(), b = y.begin(); a != x.end(); ++a, ++b)
            if (!(a->name == b->name && a->value.kind() == b->value.kind() &&
                  scalarBits(a->value) == scalarBits(b->value)))
                return false;
        return true;
    };
    if (m_lastAttrs && sameScalars(*m_lastAttrs, attrs)) // chains of ops mostly repeat the previous list
        return m_lastAttrs;
    uint64_t h = attrs.size();
    for (const Attr& a : attrs)
        h = mix(mix(mix(h, uint64_t(reinterpret_cast<uintptr_t>(&a.name.str()))), uint64_t(a.value.kind())),
                scalarBits(a.value));
    auto [it, end] = m_attrIntern.equal_range(h);
    for (; it != end; ++it)
        if (sameScalars(*it->second, attrs))
            return m_lastAttrs = it->second;
    const AttrList* p = &m_attrPool.emplace_back(std::move(attrs));
    m_attrIntern.emplace(h, p);
    return m_lastAttrs = p;
}

const std::vector<OutputInfo>* Graph::internOutputs(const ShapeContext& ctx)
{
    // Search before building: a repeated signature costs no allocation.
    static const Shape kUnknown;
    const size_t n = ctx.outTypes.size();
    if (n == 0)
        return &detail::g_emptyOutputs;
    auto shapeAt = [&](size_t i) -> const Shape& { return i < ctx.outShapes.size() ? ctx.outShapes[i] : kUnknown; };
    auto sameAs = [&](const std::vector<OutputInfo>& c) {
        if (c.size() != n)
            return false;
        for (size_t i = 0; i < n; ++i)
            if (c[i].dtype != ctx.outTypes[i] || c[i].shape != shapeAt(i))
                return false;
        return true;
    };
    if (m_lastOutputs && sameAs(*m_lastOutputs)) // chains of ops mostly repeat the previous signature
        return m_lastOutputs;
    uint64_t h = n;
    for (size_t i = 0; i < n; ++i) {
        const Shape& sh = shapeAt(i);
        h = mix(mix(h, uint64_t(ctx.outTypes[i])), sh.rankKnown() ? uint64_t(sh.rank()) : ~0ULL);
        for (int64_t d : sh.dims())
            h = mix(h, uint64_t(d));
    }
    auto [it, end] = m_outputIntern.equal_range(h);
    for (; it != end; ++it)
        if (sameAs(*it->second))
            return m_lastOutputs = it->second;
    std::vector<OutputInfo> outputs(n);
    for (size_t i = 0; i < n; ++i)
        outputs[i] = {ctx.outTypes[i], shapeAt(i)};
    const std::vector<OutputInfo>* p = &m_outputPool.emplace_back(std::move(outputs));
    m_outputIntern.emplace(h, p);
    return m_lastOutputs = p;
}

const std::vector<OutputInfo>* Graph::internOutputs(std::vector<OutputInfo>&& outputs)
{
    if (outputs.empty())
        return &detail::g_emptyOutputs;
    uint64_t h = outputs.size();
    for (const OutputInfo& oi : outputs) {
        h = mix(mix(h, uint64_t(oi.dtype)), oi.shape.rankKnown() ? uint64_t(oi.shape.rank()) : ~0ULL);
        for (int64_t d : oi.shape.dims())
            h = mix(h, uint64_t(d));
    }
    auto [it, end] = m_outputIntern.equal_range(h);
    for (; it != end; ++it) {
        const std::vector<OutputInfo>& c = *it->second;
        if (c.size() != outputs.size())
            continue;
        bool same = true;
        for (size_t i = 0; same && i < c.size(); ++i)
            same = c[i].dtype == outputs[i].dtype && c[i].shape == outputs[i].shape;
        if (same)
            return it->second;
    }
    const std::vector<OutputInfo>* p = &m_outputPool.emplace_back(std::move(outputs));
    m_outputIntern.emplace(h, p);
    return p;
}

void Graph::addControlInput(OpId id, OpId control)
{
    std::lock_guard lock(m_mutex);
    Operation& o = m_ops[size_t(id)];
    if (!o.m_controlInputs)
        o.m_controlInputs = &m_controlPool.emplace_back();
    auto& c = *o.m_controlInputs;
    if (std::find(c.begin(), c.end(), control) == c.end())
        c.push_back(control);
}

OpId Graph::importOp(std::string_view name, std::string_view type, std::string_view device, AttrList attrs,
                     std::vector<OutputInfo> outputs)
{
    std::lock_guard lock(m_mutex);
    auto nameOf = [this](int32_t i) { return m_ops[size_t(i)].m_name; };
    const uint64_t h = detail::hashName(name);
    if (m_byName.find(name, h, nameOf) >= 0)
        throw ValueError(cat("Duplicate node name in graph: '", name, "'"));
    Operation& o = m_ops.emplace_back();
    o.m_id = OpId(m_ops.size() - 1);
    o.m_name = storeName(name);
    o.m_type = Symbol(type);
    o.m_def = OpRegistry::global().find(type); // unknown imported types stay nullptr
    o.m_attrs = internAttrs(std::move(attrs));
    o.m_outputs = internOutputs(std::move(outputs));
    o.m_graph = this;
    o.m_device = internDevice(device);
    m_byName.insert(o.m_id, h);
    // Recorded with count 1 unless already present (§3.3).
    if (!m_namesInUse.find(o.m_name, h))
        m_namesInUse.insert(o.m_name, h, 1);
    publishOpLocked(o);
    return o.m_id;
}

void Graph::setImportedInputs(OpId id, std::vector<Output> inputs, std::vector<OpId> controlInputs)
{
    std::lock_guard lock(m_mutex);
    Operation& o = m_ops[size_t(id)];
    o.m_inputs = std::move(inputs);
    if (!controlInputs.empty())
        o.m_controlInputs = &m_controlPool.emplace_back(std::move(controlInputs));
    else if (o.m_controlInputs)
        o.m_controlInputs->clear();
}

void Graph::ensureOutputs(OpId id, int count)
{
    std::lock_guard lock(m_mutex);
    Operation& o = m_ops[size_t(id)];
    if (int(o.m_outputs->size()) < count) {
        std::vector<OutputInfo> grown = *o.m_outputs; // interned lists are shared: copy, then re-intern
        grown.resize(size_t(count));
        o.m_outputs = internOutputs(std::move(grown));
    }
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
    auto it = m_varScopeIndex.find(name);
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
    auto it = m_variableIndex.find(fullName);
    return it == m_variableIndex.end() ? -1 : it->second;
}

int Graph::variableOfOp(OpId op) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_variableByOp.find(op);
    return it == m_variableByOp.end() ? -1 : it->second;
}

std::vector<VariableInfo> Graph::variables() const
{
    std::lock_guard lock(m_mutex);
    return {m_variables.begin(), m_variables.end()};
}

int Graph::numVariables() const
{
    std::lock_guard lock(m_mutex);
    return int(m_variables.size());
}

// The deque keeps every VariableInfo in place, so the reference outlives the lock.
// Only traceIndex changes after creation (set by the creating getVariable): while
// another thread builds, read that field from variables() instead.
const VariableInfo& Graph::variable(int i) const
{
    std::lock_guard lock(m_mutex);
    return m_variables[size_t(i)];
}

void Graph::setVariableTraceIndex(int i, int traceIndex)
{
    std::lock_guard lock(m_mutex);
    m_variables[size_t(i)].traceIndex = traceIndex;
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

std::vector<Output> Graph::collection(const std::string& key) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_collections.find(key);
    return it == m_collections.end() ? std::vector<Output>() : it->second;
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

std::string_view Graph::internString(std::string_view s)
{
    std::lock_guard lock(m_mutex);
    if (s.empty())
        return {};
    const uint64_t h = m_internedStrings.hash(s);
    if (const auto* slot = m_internedStrings.find(s, h))
        return slot->key();
    const std::string_view stored = storeName(s);
    m_internedStrings.insert(stored, h, 0);
    return stored;
}

std::string_view Graph::storeTraceString(std::string_view s)
{
    // Events mostly repeat recent text (an exit repeats its enter, a get_variable
    // its scopes): a small direct-mapped cache, indexed by length and last bytes,
    // answers most lookups with one comparison. A miss stores a copy: text that
    // left the cache may be stored twice, which is cheaper than a global table.
    if (s.empty())
        return {};
    const uint64_t last = s.size() >= 8 ? load8Unaligned(s.data() + s.size() - 8) : uint64_t(uint8_t(s.back()));
    const size_t slotIndex = size_t(((last ^ (uint64_t(s.size()) << 3)) * 0x9E3779B97F4A7C15ULL) >> 58);
    std::string_view& cached = m_recentTrace[slotIndex];
    if (cached.size() == s.size() && cached == s)
        return cached;
    cached = storeName(s);
    return cached;
}

std::vector<TraceEvent> Graph::trace() const
{
    std::lock_guard lock(m_mutex);
    return m_trace;
}

size_t Graph::traceSize() const
{
    std::lock_guard lock(m_mutex);
    return m_trace.size();
}

int Graph::addTrace(TraceEvent e)
{
    e.opCount = numOps();
    return restoreTrace(e);
}

int Graph::restoreTrace(TraceEvent e)
{
    std::lock_guard lock(m_mutex);
    e.requested = storeTraceString(e.requested);
    e.fullName = storeTraceString(e.fullName);
    e.nameScope = storeTraceString(e.nameScope);
    e.variableScope = storeTraceString(e.variableScope);
    e.source = storeTraceString(e.source);
    std::hash<std::thread::id> h;
    e.thread = uint32_t(h(std::this_thread::get_id()));
    m_trace.push_back(e);
    return int(m_trace.size() - 1);
}

size_t Graph::approximateBytes() const
{
    std::lock_guard lock(m_mutex);
    // Heap blocks are counted with glibc's 16-byte granularity and 8-byte header.
    auto block = [](size_t n) { return n == 0 ? size_t(0) : std::max<size_t>(32, (n + 8 + 15) & ~size_t(15)); };
    size_t bytes = m_ops.size() * sizeof(Operation) + m_nameChunks.size() * 64 * 1024;
    for (const Operation& o : m_ops)
        bytes += block(o.m_inputs.capacity() * sizeof(Output));
    for (const auto& c : m_controlPool)
        bytes += sizeof(c) + block(c.capacity() * sizeof(OpId));
    for (const AttrList& a : m_attrPool)
        bytes += sizeof(a) + block(a.size() * sizeof(Attr));
    for (const auto& v : m_outputPool) {
        bytes += sizeof(v) + block(v.capacity() * sizeof(OutputInfo));
        for (const OutputInfo& oi : v)
            bytes += block(oi.shape.dims().capacity() * sizeof(int64_t));
    }
    bytes += (m_attrIntern.size() + m_outputIntern.size()) * 48;
    bytes += m_byName.bytes() + m_namesInUse.bytes() + m_internedStrings.bytes();
    bytes += m_trace.capacity() * sizeof(TraceEvent);
    for (size_t k = 0; k < m_opChunkStorage.size(); ++k)
        if (m_opChunkStorage[k])
            bytes += block((kOpChunk0 << k) * sizeof(const Operation*));
    return bytes;
}

} // namespace scopeviz
