// Building the scope tree.
//
// Structure. Op names are copied once into one string (empty components
// dropped), and every op walks its name's components from the root, finding
// or creating one scope per component but the last. Child lookup is a hash
// map keyed by (parent id, component); consecutive ops usually share most of
// their path, so the walk first follows the previous op's chain of scopes
// while the components match and only then hashes. A second pass turns ops
// whose name equals a scope path into that scope's anchor (scope_tree.h), and
// a third pass, in op creation order, appends each op to its container's
// items and each scope to its parent's items the first time an op below it
// is seen: children are therefore ordered by their first op, and scope ids
// grow from parent to child, so a backwards sweep over ids is a post-order
// walk (used for op counts and signatures without recursion).
//
// Scope kinds. With a reuse trace (engine graphs), a scope is a variable
// scope when a variable_scope entered it as its name scope
// (EnterVariableScope's nameScope, e.g. `my_net_1/`), or when it owns a
// get_variable variable (the variable op's enclosing scope, e.g. `my_net`).
// Without a trace (imported graphs) the second rule is applied to every
// variable op: a scope that directly holds variables is shown as a variable
// scope. Everything else is a name scope.
//
// Edges. Every op-level edge (tensor input or control input) u -> v is
// charged to exactly one pair of siblings: walking up from the items of u
// and v to their lowest common ancestor scope P gives the two children of P
// that contain them. This pair is the edge in every expansion state in which
// P is expanded, whatever is expanded below (a child of P is either a box or
// a cluster frame, and in both cases the edge attaches to it). Edges internal
// to one item vanish. The pairs are sorted by (P, from, to) and merged, so
// the edges of a scope form one contiguous range. The cost is
// O(E * depth + E log E), with no strings per edge.
#include "core/hierarchy/scope_tree.h"

#include "core/hierarchy/tree_builder.h"
#include "core/util/strings.h"

#include <algorithm>
#include <chrono>
#include <limits>

namespace scopeviz::hierarchy {

// ---- EdgeStats ------------------------------------------------------------

void EdgeStats::merge(const EdgeStats& o)
{
    count += o.count;
    controlCount += o.controlCount;
    variableCount += o.variableCount;
    dtypeMask |= o.dtypeMask;
    const int64_t big = std::numeric_limits<int64_t>::max();
    elements = (elements > big - o.elements) ? big : elements + o.elements;
    partialSize = partialSize || o.partialSize;
    reference = reference || o.reference;
}

std::vector<DType> EdgeStats::dtypes() const
{
    std::vector<DType> out;
    for (int b = 0; b < 64; ++b)
        if (dtypeMask & (uint64_t(1) << b))
            out.push_back(DType(b));
    return out;
}

std::string EdgeStats::describe() const
{
    std::string s = cat(count, count == 1 ? " edge" : " edges");
    std::vector<std::string> names;
    for (DType d : dtypes())
        names.push_back(dtypeName(d));
    if (!names.empty())
        s += ", " + join(names, "/");
    if (hasData())
        s += cat(", ", elements, partialSize ? "+" : "", " elements");
    if (hasControl())
        s += cat(", ", controlCount, " control");
    if (variableCount > 0)
        s += cat(", ", variableCount, " variable ", variableCount == 1 ? "read" : "reads");
    if (reference)
        s += ", ref";
    return s;
}

// ---- ScopeTree accessors ----------------------------------------------------

ScopeTree::ScopeTree() = default;
ScopeTree::~ScopeTree() = default;

uint64_t ScopeTree::childHash(ScopeId parent, std::string_view name)
{
    uint64_t h = std::hash<std::string_view>{}(name) ^ (uint64_t(uint32_t(parent)) * 0x9E3779B97F4A7C15ull);
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 29);
}

ScopeId ScopeTree::findChild(ScopeId parent, std::string_view name, uint64_t hash) const
{
    if (m_childSlots.empty())
        return -1;
    const size_t mask = m_childSlots.size() - 1;
    for (size_t i = size_t(hash) & mask;; i = (i + 1) & mask) {
        const ChildSlot& s = m_childSlots[i];
        if (s.id < 0)
            return -1;
        if (s.hash == hash && s.parent == parent && this->name(s.id) == name)
            return s.id;
    }
}

void ScopeTree::insertChild(ScopeId parent, uint64_t hash, ScopeId id)
{
    if ((m_childCount + 1) * 2 > m_childSlots.size()) {
        std::vector<ChildSlot> old(std::max<size_t>(64, m_childSlots.size() * 2));
        old.swap(m_childSlots);
        const size_t mask = m_childSlots.size() - 1;
        for (const ChildSlot& s : old) {
            if (s.id < 0)
                continue;
            size_t i = size_t(s.hash) & mask;
            while (m_childSlots[i].id >= 0)
                i = (i + 1) & mask;
            m_childSlots[i] = s;
        }
    }
    const size_t mask = m_childSlots.size() - 1;
    size_t i = size_t(hash) & mask;
    while (m_childSlots[i].id >= 0)
        i = (i + 1) & mask;
    m_childSlots[i] = ChildSlot{hash, parent, id};
    ++m_childCount;
}

std::string_view ScopeTree::path(ScopeId id) const
{
    const ScopeNode& s = m_scopes[size_t(id)];
    return std::string_view(m_names).substr(s.pathOffset, s.pathLength);
}

std::string_view ScopeTree::name(ScopeId id) const
{
    const ScopeNode& s = m_scopes[size_t(id)];
    return std::string_view(m_names).substr(s.nameOffset, s.pathOffset + s.pathLength - s.nameOffset);
}

ScopeId ScopeTree::findScope(std::string_view p) const
{
    ScopeId cur = RootScope;
    size_t i = 0;
    while (i <= p.size()) {
        size_t j = p.find('/', i);
        if (j == std::string_view::npos)
            j = p.size();
        const std::string_view comp = p.substr(i, j - i);
        if (!comp.empty()) {
            cur = findChild(cur, comp, childHash(cur, comp));
            if (cur < 0)
                return -1;
        }
        i = j + 1;
    }
    return cur;
}

bool ScopeTree::isAncestorOrSelf(ScopeId ancestor, ScopeId s) const
{
    if (ancestor < 0 || s < 0)
        return false;
    const int32_t d = m_scopes[size_t(ancestor)].depth;
    while (s >= 0 && m_scopes[size_t(s)].depth > d)
        s = m_scopes[size_t(s)].parent;
    return s == ancestor;
}

std::span<const int32_t> ScopeTree::inEdges(ScopeId id) const
{
    const size_t b = size_t(m_inOffsets[size_t(id)]), e = size_t(m_inOffsets[size_t(id) + 1]);
    return std::span<const int32_t>(m_inIndex.data() + b, e - b);
}

std::span<const int32_t> ScopeTree::outEdges(ScopeId id) const
{
    const size_t b = size_t(m_outOffsets[size_t(id)]), e = size_t(m_outOffsets[size_t(id) + 1]);
    return std::span<const int32_t>(m_outIndex.data() + b, e - b);
}

std::string_view ScopeTree::opName(OpId op) const
{
    return std::string_view(m_names).substr(m_opNameOffset[size_t(op)], m_opNameLength[size_t(op)]);
}

std::string_view ScopeTree::opLabel(OpId op) const
{
    const uint32_t off = m_opNameOffset[size_t(op)], len = m_opNameLength[size_t(op)];
    if (len == 0)
        return "(unnamed)";
    const uint32_t lab = m_opLabelOffset[size_t(op)];
    return std::string_view(m_names).substr(lab, off + len - lab);
}

ScopeId ScopeTree::opEnclosingScope(OpId op) const
{
    const ScopeId p = m_opParent[size_t(op)];
    // An op placed inside the scope named like itself (an anchor) is enclosed by that scope's parent.
    if (p != RootScope && m_opNameLength[size_t(op)] == m_scopes[size_t(p)].pathLength)
        return m_scopes[size_t(p)].parent;
    return p;
}

int32_t ScopeTree::variableOfOp(OpId op) const { return m_opVariable[size_t(op)]; }

std::span<const OpId> ScopeTree::variableReaders(int32_t variable) const
{
    if (variable < 0 || size_t(variable) + 1 >= m_readerOffsets.size())
        return {};
    const int32_t b = m_readerOffsets[size_t(variable)], e = m_readerOffsets[size_t(variable) + 1];
    return {m_readers.data() + b, size_t(e - b)};
}
int32_t ScopeTree::seriesOfOp(OpId op) const { return m_opSeries[size_t(op)]; }

std::string_view ScopeTree::itemName(Item item) const
{
    return item.isScope() ? name(item.id) : opLabel(item.id);
}

int32_t ScopeTree::itemOpCount(Item item) const
{
    return item.isScope() ? m_scopes[size_t(item.id)].descendantOps : 1;
}

ScopeId ScopeTree::itemParent(Item item) const
{
    return item.isScope() ? m_scopes[size_t(item.id)].parent : m_opParent[size_t(item.id)];
}

int32_t ScopeTree::seriesOf(Item item) const
{
    return item.isScope() ? m_scopes[size_t(item.id)].series : m_opSeries[size_t(item.id)];
}

std::string_view ScopeTree::auxiliaryReason(Item item) const
{
    const int32_t r = item.isScope() ? m_scopeAux[size_t(item.id)] : m_opAux[size_t(item.id)];
    return r < 0 ? std::string_view() : std::string_view(m_auxReasons[size_t(r)]);
}

std::span<const AggregatedEdge> ScopeTree::edgesIn(ScopeId id) const
{
    const ScopeNode& s = m_scopes[size_t(id)];
    return std::span<const AggregatedEdge>(m_edges.data() + s.edgeBegin, size_t(s.edgeEnd - s.edgeBegin));
}

int ScopeTree::numSharedVariables() const
{
    int n = 0;
    for (const VariableRecord& v : m_variables)
        n += v.shared ? 1 : 0;
    return n;
}

// ---- building ---------------------------------------------------------------

namespace detail {

void TreeBuilder::warn(ScopeTree& t, std::string text)
{
    if (int(t.m_warnings.size()) < std::max(0, t.m_options.maxWarnings))
        t.m_warnings.push_back(std::move(text));
    else
        ++t.m_droppedWarnings;
}

void TreeBuilder::finishWarnings(ScopeTree& t)
{
    if (t.m_droppedWarnings > 0)
        t.m_warnings.push_back(cat("... and ", t.m_droppedWarnings, " more warnings"));
}

namespace {

bool needsNormalizing(std::string_view n)
{
    return n.empty() || n.front() == '/' || n.back() == '/' || n.find("//") != std::string_view::npos;
}

} // namespace

void TreeBuilder::buildStructure(const Graph& g, ScopeTree& t)
{
    const int n = g.numOps();
    t.m_hasTrace = g.traceSize() != 0;

    // Pass 1: normalized names and interned types.
    size_t total = 0;
    for (int i = 0; i < n; ++i)
        total += g.op(i).name().size() + 1;
    t.m_names.reserve(total);
    t.m_opNameOffset.resize(size_t(n));
    t.m_opNameLength.resize(size_t(n));
    t.m_opLabelOffset.resize(size_t(n));
    t.m_opType.resize(size_t(n));
    std::unordered_map<const std::string*, int32_t> typeByAddress;
    std::unordered_map<std::string, int32_t> typeByName;
    for (int i = 0; i < n; ++i) {
        const Operation& op = g.op(i);
        const std::string_view raw = op.name();
        const size_t off = t.m_names.size();
        if (!needsNormalizing(raw)) {
            t.m_names.append(raw);
        } else {
            if (raw.empty())
                warn(t, cat("op #", i, " (", op.type(), ") has an empty name; drawn as \"(unnamed)\" at the root"));
            size_t p = 0;
            bool first = true;
            while (p <= raw.size()) {
                size_t q = raw.find('/', p);
                if (q == std::string_view::npos)
                    q = raw.size();
                if (q > p) {
                    if (!first)
                        t.m_names.push_back('/');
                    t.m_names.append(raw.substr(p, q - p));
                    first = false;
                }
                p = q + 1;
            }
            if (!raw.empty())
                warn(t, cat("op name '", raw, "' has an empty scope component; placed as '",
                            std::string_view(t.m_names).substr(off), "'"));
        }
        const size_t len = t.m_names.size() - off;
        t.m_opNameOffset[size_t(i)] = uint32_t(off);
        t.m_opNameLength[size_t(i)] = uint32_t(len);
        const size_t slash = std::string_view(t.m_names).substr(off, len).rfind('/');
        t.m_opLabelOffset[size_t(i)] = uint32_t(slash == std::string_view::npos ? off : off + slash + 1);

        const std::string& type = op.type();
        auto it = typeByAddress.find(&type);
        if (it == typeByAddress.end()) {
            auto jt = typeByName.find(type);
            if (jt == typeByName.end()) {
                jt = typeByName.emplace(type, int32_t(t.m_typeNames.size())).first;
                t.m_typeNames.push_back(type);
            }
            it = typeByAddress.emplace(&type, jt->second).first;
        }
        t.m_opType[size_t(i)] = it->second;
    }
    const std::string_view names(t.m_names); // never modified from here on

    // Pass 2: scopes. chain[d] is the scope at depth d on the previous op's path.
    t.m_scopes.clear();
    t.m_scopes.push_back(ScopeNode{});
    t.m_opParent.assign(size_t(n), RootScope);
    std::vector<ScopeId> chain{RootScope};
    for (int i = 0; i < n; ++i) {
        const uint32_t off = t.m_opNameOffset[size_t(i)], len = t.m_opNameLength[size_t(i)];
        const uint32_t end = off + len;
        ScopeId cur = RootScope;
        int depth = 0;
        bool following = true; // still on the previous op's chain
        uint32_t p = off;
        while (p < end) {
            const size_t q = names.find('/', p);
            if (q == std::string_view::npos || q >= end)
                break; // last component: the op itself
            const std::string_view comp = names.substr(p, q - p);
            ScopeId next = -1;
            if (following && depth + 1 < int(chain.size())) {
                const ScopeId c = chain[size_t(depth) + 1];
                if (t.name(c) == comp)
                    next = c;
            }
            if (next < 0) {
                following = false;
                const uint64_t h = ScopeTree::childHash(cur, comp);
                next = t.findChild(cur, comp, h);
                if (next < 0) {
                    ScopeNode s;
                    s.id = ScopeId(t.m_scopes.size());
                    s.parent = cur;
                    s.depth = depth + 1;
                    s.pathOffset = off;
                    s.pathLength = uint32_t(q - off);
                    s.nameOffset = p;
                    next = s.id;
                    t.m_scopes.push_back(s);
                    t.insertChild(cur, h, next);
                }
                chain.resize(size_t(depth) + 1);
                chain.push_back(next);
            }
            cur = next;
            ++depth;
            p = uint32_t(q + 1);
        }
        chain.resize(size_t(depth) + 1);
        t.m_opParent[size_t(i)] = cur;
    }

    // Pass 3: anchors. An op named like a scope lives inside that scope.
    for (int i = 0; i < n; ++i) {
        if (t.m_opNameLength[size_t(i)] == 0)
            continue;
        const std::string_view label = t.opLabel(i);
        const ScopeId parent = t.m_opParent[size_t(i)];
        const ScopeId anchored = t.findChild(parent, label, ScopeTree::childHash(parent, label));
        if (anchored < 0)
            continue;
        ScopeNode& s = t.m_scopes[size_t(anchored)];
        t.m_opParent[size_t(i)] = s.id;
        if (s.anchor < 0)
            s.anchor = i;
        else
            warn(t, cat("op '", t.opName(i), "' has the same name as op '", t.opName(s.anchor),
                        "' after dropping empty name components; both are drawn inside scope '", t.path(s.id), "'"));
    }

    // Pass 4: items in creation order, op counts. Vectors are sized first: one allocation each.
    {
        std::vector<int32_t> ops(t.m_scopes.size(), 0), kids(t.m_scopes.size(), 0);
        for (int i = 0; i < n; ++i)
            ++ops[size_t(t.m_opParent[size_t(i)])];
        for (size_t s = 1; s < t.m_scopes.size(); ++s)
            ++kids[size_t(t.m_scopes[s].parent)];
        for (size_t s = 0; s < t.m_scopes.size(); ++s) {
            t.m_scopes[s].items.reserve(size_t(ops[s] + kids[s]));
            t.m_scopes[s].ops.reserve(size_t(ops[s]));
            t.m_scopes[s].children.reserve(size_t(kids[s]));
        }
    }
    std::vector<uint8_t> attached(t.m_scopes.size(), 0);
    attached[0] = 1;
    for (int i = 0; i < n; ++i) {
        ScopeId s = t.m_opParent[size_t(i)];
        t.m_scopes[size_t(s)].items.push_back(Item{Item::Kind::Op, i});
        t.m_scopes[size_t(s)].ops.push_back(i);
        t.m_scopes[size_t(s)].descendantOps += 1;
        while (!attached[size_t(s)]) {
            attached[size_t(s)] = 1;
            ScopeNode& node = t.m_scopes[size_t(s)];
            node.firstOp = i;
            ScopeNode& parent = t.m_scopes[size_t(node.parent)];
            parent.items.push_back(Item{Item::Kind::Scope, s});
            parent.children.push_back(s);
            s = node.parent;
        }
    }
    if (n > 0)
        t.m_scopes[0].firstOp = 0;
    for (size_t s = t.m_scopes.size(); s-- > 1;)
        t.m_scopes[size_t(t.m_scopes[s].parent)].descendantOps += t.m_scopes[s].descendantOps;

    // Scope kinds (see the top of this file).
    auto markVariableScope = [&](ScopeId s) {
        if (s > RootScope)
            t.m_scopes[size_t(s)].kind = ScopeKind::Variable;
    };
    if (t.m_hasTrace) {
        for (const TraceEvent& e : g.trace())
            if (e.kind == TraceEvent::Kind::EnterVariableScope && !e.nameScope.empty())
                markVariableScope(t.findScope(e.nameScope));
        for (const VariableInfo& v : g.variables())
            if (v.fromGetVariable && v.op >= 0 && v.op < n)
                markVariableScope(t.opEnclosingScope(v.op));
    } else {
        for (int i = 0; i < n; ++i)
            if (isVariableOpType(t.opType(i)))
                markVariableScope(t.opEnclosingScope(i));
    }

    t.m_opVariable.assign(size_t(n), -1);
    t.m_opSeries.assign(size_t(n), -1);
    t.m_opAux.assign(size_t(n), -1);
    t.m_scopeAux.assign(t.m_scopes.size(), -1);
}

namespace {

struct RawEdge {
    ScopeId parent;
    uint32_t from; // Item::packed()
    uint32_t to;
    EdgeStats stats;
};

Item unpack(uint32_t p)
{
    return Item{(p & 1u) ? Item::Kind::Op : Item::Kind::Scope, int32_t(p >> 1)};
}

/// Edge statistics of one output, computed once per op output (producers are read at random
/// when edges are walked; a compact table keeps that in cache).
EdgeStats outputStats(const Operation& src, int index)
{
    EdgeStats s;
    s.count = 1;
    const OutputInfo& oi = src.outputs()[size_t(index)];
    const DType base = baseType(oi.dtype);
    if (int32_t(base) > 0 && int32_t(base) < 64)
        s.dtypeMask = uint64_t(1) << int32_t(base);
    s.reference = isRef(oi.dtype) || base == DType::Resource || src.type() == "VarHandleOp";
    if (!oi.shape.rankKnown()) {
        s.partialSize = true;
        return s;
    }
    int64_t e = 1;
    for (int64_t d : oi.shape.dims()) {
        if (d < 0) {
            s.partialSize = true;
            continue;
        }
        if (d != 0 && e > std::numeric_limits<int64_t>::max() / d) {
            e = std::numeric_limits<int64_t>::max();
            break;
        }
        e *= d;
    }
    s.elements = e;
    return s;
}

} // namespace

void TreeBuilder::buildEdges(const Graph& g, ScopeTree& t)
{
    const int n = g.numOps();
    std::vector<RawEdge> raw;
    raw.reserve(size_t(n) * 2);
    // Compact copies of the tree shape: the walks below jump around, ScopeNode is large.
    std::vector<ScopeId> parentOf(t.m_scopes.size());
    std::vector<int32_t> depthOf(t.m_scopes.size());
    for (size_t i = 0; i < t.m_scopes.size(); ++i) {
        parentOf[i] = t.m_scopes[i].parent;
        depthOf[i] = t.m_scopes[i].depth;
    }

    // Charges u -> v to the children of their lowest common ancestor.
    auto charge = [&](OpId u, OpId v, const EdgeStats& s) {
        ScopeId a = t.m_opParent[size_t(u)], b = t.m_opParent[size_t(v)];
        Item ia{Item::Kind::Op, u}, ib{Item::Kind::Op, v};
        while (depthOf[size_t(a)] > depthOf[size_t(b)]) {
            ia = Item{Item::Kind::Scope, a};
            a = parentOf[size_t(a)];
        }
        while (depthOf[size_t(b)] > depthOf[size_t(a)]) {
            ib = Item{Item::Kind::Scope, b};
            b = parentOf[size_t(b)];
        }
        while (a != b) {
            ia = Item{Item::Kind::Scope, a};
            a = parentOf[size_t(a)];
            ib = Item{Item::Kind::Scope, b};
            b = parentOf[size_t(b)];
        }
        if (ia == ib)
            return; // internal to one item (or a self-loop)
        raw.push_back(RawEdge{a, ia.packed(), ib.packed(), s});
    };

    std::vector<int32_t> outOffset(size_t(n) + 1, 0);
    std::vector<EdgeStats> outStats;
    outStats.reserve(size_t(n) + size_t(n) / 4);
    // Ops whose outputs carry a variable's value: variable ops and their own read ops.
    std::vector<uint8_t> isVariable(size_t(n), 0);
    for (int v = 0; v < n; ++v)
        isVariable[size_t(v)] = isVariableOpType(t.opType(v)) ? 1 : 0;
    for (int v = 0; v < n; ++v) {
        const Operation& op = g.op(v);
        bool carrier = isVariable[size_t(v)] != 0;
        if (!carrier && !op.inputs().empty()) {
            const std::string& type = t.opType(v);
            const OpId src = op.inputs()[0].op;
            carrier = (type == "Identity" || type == "RefIdentity" || type == "ReadVariableOp") && src >= 0 &&
                      src < n && isVariable[size_t(src)] && t.m_opParent[size_t(v)] == t.m_opParent[size_t(src)];
        }
        for (int k = 0; k < op.numOutputs(); ++k) {
            outStats.push_back(outputStats(op, k));
            outStats.back().variableCount = carrier ? 1 : 0;
        }
        outOffset[size_t(v) + 1] = int32_t(outStats.size());
    }

    for (int v = 0; v < n; ++v) {
        const Operation& op = g.op(v);
        const auto& inputs = op.inputs();
        for (size_t k = 0; k < inputs.size(); ++k) {
            const Output in = inputs[k];
            if (in.op < 0 || in.op >= n) {
                warn(t, cat("op '", op.name(), "' input ", k, " refers to a node that does not exist (id ", in.op,
                            "); edge dropped"));
                continue;
            }
            const int32_t outputs = outOffset[size_t(in.op) + 1] - outOffset[size_t(in.op)];
            if (in.index < 0 || in.index >= outputs) {
                warn(t, cat("op '", op.name(), "' input ", k, " reads output ", in.index, " of '", g.op(in.op).name(),
                            "', which has ", outputs, " outputs; drawn without a type"));
                EdgeStats untyped;
                untyped.count = 1;
                untyped.partialSize = true;
                charge(in.op, v, untyped);
                continue;
            }
            charge(in.op, v, outStats[size_t(outOffset[size_t(in.op)] + in.index)]);
        }
        for (OpId c : op.controlInputs()) {
            if (c < 0 || c >= n) {
                warn(t, cat("op '", op.name(), "' has a control input that does not exist (id ", c, "); edge dropped"));
                continue;
            }
            EdgeStats s;
            s.count = 1;
            s.controlCount = 1;
            charge(c, v, s);
        }
    }

    std::sort(raw.begin(), raw.end(), [](const RawEdge& x, const RawEdge& y) {
        if (x.parent != y.parent)
            return x.parent < y.parent;
        if (x.from != y.from)
            return x.from < y.from;
        return x.to < y.to;
    });
    t.m_edges.clear();
    for (size_t i = 0; i < raw.size();) {
        size_t j = i;
        EdgeStats merged = raw[i].stats;
        while (++j < raw.size() && raw[j].parent == raw[i].parent && raw[j].from == raw[i].from &&
               raw[j].to == raw[i].to)
            merged.merge(raw[j].stats);
        t.m_edges.push_back(AggregatedEdge{raw[i].parent, unpack(raw[i].from), unpack(raw[i].to), merged});
        i = j;
    }
    for (ScopeNode& s : t.m_scopes)
        s.edgeBegin = s.edgeEnd = 0;
    for (size_t i = 0; i < t.m_edges.size();) {
        const ScopeId p = t.m_edges[i].parent;
        size_t j = i;
        while (j < t.m_edges.size() && t.m_edges[j].parent == p)
            ++j;
        t.m_scopes[size_t(p)].edgeBegin = int32_t(i);
        t.m_scopes[size_t(p)].edgeEnd = int32_t(j);
        i = j;
    }

    // CSR of each scope's in- and out-edges among its siblings.
    const size_t ns = t.m_scopes.size();
    t.m_inOffsets.assign(ns + 1, 0);
    t.m_outOffsets.assign(ns + 1, 0);
    for (const AggregatedEdge& e : t.m_edges) {
        if (e.from.isScope())
            ++t.m_outOffsets[size_t(e.from.id) + 1];
        if (e.to.isScope())
            ++t.m_inOffsets[size_t(e.to.id) + 1];
    }
    for (size_t s = 0; s < ns; ++s) {
        t.m_inOffsets[s + 1] += t.m_inOffsets[s];
        t.m_outOffsets[s + 1] += t.m_outOffsets[s];
    }
    t.m_inIndex.assign(size_t(t.m_inOffsets[ns]), 0);
    t.m_outIndex.assign(size_t(t.m_outOffsets[ns]), 0);
    std::vector<int32_t> inFill(t.m_inOffsets.begin(), t.m_inOffsets.end() - 1);
    std::vector<int32_t> outFill(t.m_outOffsets.begin(), t.m_outOffsets.end() - 1);
    for (size_t i = 0; i < t.m_edges.size(); ++i) {
        const AggregatedEdge& e = t.m_edges[i];
        if (e.from.isScope())
            t.m_outIndex[size_t(outFill[size_t(e.from.id)]++)] = int32_t(i);
        if (e.to.isScope())
            t.m_inIndex[size_t(inFill[size_t(e.to.id)]++)] = int32_t(i);
    }
}

} // namespace detail

std::shared_ptr<const ScopeTree> buildScopeTree(const Graph& g, const HierarchyOptions& options)
{
    const auto t0 = std::chrono::steady_clock::now();
    auto tree = std::make_shared<ScopeTree>();
    tree->m_options = options;
    auto lap = [&, last = t0](const char* what) mutable {
        const auto now = std::chrono::steady_clock::now();
        tree->m_phases.emplace_back(what, std::chrono::duration<double>(now - last).count());
        last = now;
    };
    detail::TreeBuilder::buildStructure(g, *tree);
    lap("structure");
    detail::TreeBuilder::buildEdges(g, *tree);
    lap("edges");
    detail::TreeBuilder::analyzeVariables(g, *tree);
    lap("variables");
    detail::TreeBuilder::detectSeries(*tree);
    lap("series");
    detail::TreeBuilder::markAuxiliary(*tree);
    lap("auxiliary");
    detail::TreeBuilder::finishWarnings(*tree);
    tree->m_buildSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return tree;
}

} // namespace scopeviz::hierarchy
