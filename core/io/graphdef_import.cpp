// Importing TensorFlow graphs into a Graph.
//
// Two passes, because GraphDef nodes are not topologically ordered (while
// loops even have cycles through NextIteration): the first pass creates every
// op with its attrs and output types (Graph::importOp), keeping the input
// strings aside; the second resolves `name`, `name:k` and `^name` against the
// names that now exist (Graph::setImportedInputs). An input naming a missing
// node drops that edge with a warning; an input `x:k` beyond the outputs that
// `x`'s attrs announced grows x's outputs; a duplicate name keeps the first
// node. This is what TensorBoard does, and it shows a broken graph instead of
// refusing it.
//
// Binary GraphDefs are not handed to protobuf as a whole. Their top-level
// fields are walked here (WireScanner) and each NodeDef is parsed on its own
// into one reused message, which (a) keeps every node before a truncation or
// a corrupt stretch, where protobuf would reject the whole file, and (b)
// avoids materialising an 11,000-node GraphDef next to the Graph: one
// NodeDef message is reused, keeping its strings and repeated fields from one
// node to the next. Only the function library, which is small or absent, is
// parsed as a message.
//
// Tensor attrs are summarised from dtype and shape before their data is
// touched (attr_convert.cpp), so big frozen weights are never copied.
//
// No op is created before the input is known to hold a graph, so a failed
// import leaves the Graph unchanged.
#include "core/io/attr_convert.h"
#include "core/io/graphdef_io.h"
#include "core/io/output_types.h"
#include "core/io/text_nesting.h"
#include "core/onnx/onnx_import.h"
#include "core/proto/crc32c.h"
#include "core/proto/graph.pb.h"
#include "core/proto/meta_graph.pb.h"
#include "core/proto/wire_scan.h"
#include "core/summary/event_reader.h"
#include "core/util/error.h"
#include "core/util/strings.h"

#include <google/protobuf/arena.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace scopeviz {
namespace {

namespace fs = std::filesystem;
using detail::ScanField;
using detail::WireScanner;
using detail::WireType;

/// Output indices beyond this are treated as corrupt input, not grown into.
constexpr int kMaxOutputIndex = 65535;
/// Protobuf messages cannot exceed 2 GiB.
constexpr uint64_t kMaxMessageBytes = uint64_t(INT_MAX);

using AttrEntry = google::protobuf::MapPair<std::string, tfproto::AttrValue>;

/// A parsed input string.
struct InputRef {
    std::string_view name;
    int64_t index = 0;
    bool control = false;
};

bool allDigits(std::string_view s)
{
    if (s.empty() || s.size() > 9)
        return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int64_t toInt(std::string_view s)
{
    int64_t v = 0;
    for (char c : s)
        v = v * 10 + (c - '0');
    return v;
}

/// `name`, `name:k`, `^name`; in function bodies also `node:out_arg:k`
/// (k is taken as the output index, exact for single-output args).
InputRef parseInput(std::string_view s, bool inFunction)
{
    InputRef r;
    if (!s.empty() && s[0] == '^') {
        r.control = true;
        r.name = s.substr(1);
        return r;
    }
    r.name = s;
    if (inFunction) {
        const size_t first = s.find(':');
        if (first == std::string_view::npos)
            return r;
        r.name = s.substr(0, first);
        const size_t last = s.rfind(':');
        if (allDigits(s.substr(last + 1)))
            r.index = toInt(s.substr(last + 1));
        return r;
    }
    const size_t pos = s.rfind(':');
    if (pos != std::string_view::npos && allDigits(s.substr(pos + 1))) {
        r.name = s.substr(0, pos);
        r.index = toInt(s.substr(pos + 1));
    }
    return r;
}

/// Collects errors of the text-format parser.
class TextErrors : public google::protobuf::io::ErrorCollector {
public:
    void AddError(int line, google::protobuf::io::ColumnNumber column, const std::string& message) override
    {
        if (first.empty())
            first = cat("line ", line + 1, ", column ", column + 1, ": ", message);
    }
    std::string first;
};

/// Records a warning; only the first maxWarnings are kept, all are counted.
void addWarning(ImportResult& r, const ImportOptions& o, std::string message)
{
    ++r.warningCount;
    if (int(r.warnings.size()) < o.maxWarnings)
        r.warnings.push_back(std::move(message));
}

/// Builds ops from NodeDefs and resolves their inputs afterwards.
class Importer {
public:
    Importer(Graph& g, const ImportOptions& o, ImportResult& r) : m_g(g), m_o(o), m_r(r)
    {
        m_prefixes.push_back(o.importScope.empty() ? std::string() : o.importScope + "/");
    }

    void warn(std::string message) { addWarning(m_r, m_o, std::move(message)); }

    /// First pass: creates the op of one NodeDef (prefix non-empty inside a function body).
    void addNode(const tfproto::NodeDef& n, int prefixIndex = 0, bool inFunction = false)
    {
        const std::string& prefix = m_prefixes[size_t(prefixIndex)];
        if (n.name().empty()) {
            warn(cat("a node of op type '", n.op(), "' has no name; skipped"));
            return;
        }
        std::string_view name = n.name();
        if (!prefix.empty()) {
            m_name.assign(prefix).append(n.name());
            name = m_name;
        }
        if (m_g.findOp(name)) {
            warn(cat("duplicate node name '", name, "' (op '", n.op(), "'); the first node with this name is kept"));
            return;
        }
        if (n.op().empty())
            warn(cat("node '", name, "' has no op type"));
        AttrList attrs = convertAttrs(n, name, prefixIndex == 0 ? prefix : std::string());
        std::vector<OutputInfo> outputs = outputsOf(n.op(), attrs);
        const OpId id = m_g.importOp(name, n.op(), n.device(), std::move(attrs), std::move(outputs));
        ++m_r.opsAdded;
        m_pending.push_back({id, uint32_t(m_inputs.size()), uint32_t(n.input_size()), prefixIndex, inFunction});
        for (const std::string& in : n.input())
            m_inputs.push_back(in);
    }

    /// Counts the functions of a library and, when asked, imports their bodies.
    void addFunctions(const tfproto::FunctionDefLibrary& lib)
    {
        m_r.functionCount += lib.function_size();
        for (const auto& f : lib.function())
            m_r.functionNodeCount += f.node_def_size();
        if (!m_o.importFunctions)
            return;
        for (const auto& f : lib.function()) {
            const std::string& fname = f.signature().name();
            if (fname.empty()) {
                warn("a function of the library has no name; skipped");
                continue;
            }
            m_prefixes.push_back(cat("__function__/", fname, "/"));
            const int pi = int(m_prefixes.size() - 1);
            const std::string& prefix = m_prefixes.back();
            const auto& sig = f.signature();
            for (int i = 0; i < sig.input_arg_size(); ++i) {
                const auto& arg = sig.input_arg(i);
                const DType t = DType(int32_t(arg.type()));
                addSynthetic(prefix + arg.name(), "_Arg", t, i, {OutputInfo{t, Shape()}}, pi, {});
            }
            for (const auto& nd : f.node_def())
                addNode(nd, pi, true);
            for (int i = 0; i < sig.output_arg_size(); ++i) {
                const auto& arg = sig.output_arg(i);
                auto it = f.ret().find(arg.name());
                addSynthetic(cat(prefix, arg.name(), "_RetVal"), "_Retval", DType(int32_t(arg.type())), i, {}, pi,
                             it == f.ret().end() ? std::string() : it->second);
            }
        }
    }

    /// Second pass: resolves every recorded input string.
    void resolve()
    {
        std::vector<Output> data;
        std::vector<OpId> control;
        for (const Pending& p : m_pending) {
            data.clear();
            control.clear();
            const std::string& prefix = m_prefixes[size_t(p.prefixIndex)];
            for (uint32_t k = p.first; k < p.first + p.count; ++k) {
                const std::string& s = m_inputs[k];
                const InputRef ref = parseInput(s, p.inFunction);
                const std::string_view opName = m_g.op(p.id).name();
                if (ref.name.empty()) {
                    warn(cat("node '", opName, "' has an empty input"));
                    continue;
                }
                const Operation* src = lookup(prefix, ref.name);
                if (!src && !ref.control && ref.name.size() != s.size())
                    src = lookup(prefix, s); // a name that itself contains ':' (TorchScript graphs)
                if (!src) {
                    warn(cat("node '", opName, "' input '", s, "' refers to a node that does not exist"));
                    continue;
                }
                ++m_r.edgeCount;
                if (ref.control) {
                    control.push_back(src->id());
                    continue;
                }
                if (ref.index > kMaxOutputIndex) {
                    --m_r.edgeCount;
                    warn(cat("node '", opName, "' input '", s, "' names output ", ref.index, ", which is implausible; dropped"));
                    continue;
                }
                if (ref.index >= src->numOutputs())
                    m_g.ensureOutputs(src->id(), int(ref.index) + 1);
                data.push_back({src->id(), int32_t(ref.index)});
            }
            m_g.setImportedInputs(p.id, data, control);
        }
    }

private:
    struct Pending {
        OpId id;
        uint32_t first;
        uint32_t count;
        int prefixIndex;
        bool inFunction;
    };

    const Operation* lookup(const std::string& prefix, std::string_view name)
    {
        if (prefix.empty())
            return m_g.findOp(name);
        m_name.assign(prefix).append(name);
        return m_g.findOp(m_name);
    }

    /// Attrs in name order (protobuf map order is unspecified), converted; `_class` colocation names get
    /// `scopePrefix` (the import scope's, for top-level nodes).
    AttrList convertAttrs(const tfproto::NodeDef& n, std::string_view name, const std::string& scopePrefix)
    {
        m_sorted.clear();
        for (const auto& e : n.attr())
            m_sorted.push_back(&e);
        std::sort(m_sorted.begin(), m_sorted.end(), [](const AttrEntry* a, const AttrEntry* b) { return a->first < b->first; });
        AttrList attrs;
        for (const AttrEntry* e : m_sorted) {
            detail::AttrConversion c = detail::attrFromProto(e->second, m_o.maxTensorElements);
            if (c.summarizedTensors)
                ++m_r.summarizedTensors;
            if (!c.problem.empty())
                warn(cat("node '", name, "' attr '", e->first, "': ", c.problem));
            if (!scopePrefix.empty() && e->first == "_class" && c.value.kind() == AttrValue::Kind::StringList) {
                std::vector<std::string> groups = c.value.strings();
                for (std::string& g : groups)
                    if (g.starts_with("loc:@"))
                        g.insert(5, scopePrefix);
                c.value = AttrValue::stringList(std::move(groups));
            }
            attrs.set(e->first, std::move(c.value));
        }
        return attrs;
    }

    /// Output count, dtypes and shapes of an imported op (see graphdef_io.h).
    static std::vector<OutputInfo> outputsOf(const std::string& op, const AttrList& attrs)
    {
        const std::optional<std::vector<DType>> types = detail::inferOutputTypes(op, attrs);
        const AttrValue* os = attrs.find("_output_shapes");
        const bool haveShapes =
            os && (os->kind() == AttrValue::Kind::ShapeList || (os->kind() == AttrValue::Kind::IntList && os->ints().empty()));
        size_t count = 1;
        if (haveShapes)
            count = os->kind() == AttrValue::Kind::ShapeList ? os->shapes().size() : 0;
        else if (types)
            count = types->size();
        std::vector<OutputInfo> out(count);
        for (size_t i = 0; i < count; ++i) {
            if (types && i < types->size())
                out[i].dtype = (*types)[i];
            if (haveShapes)
                out[i].shape = os->shapes()[i];
        }
        if (!haveShapes && count > 0) {
            if (op == "Const") {
                if (const AttrValue* v = attrs.find("value")) {
                    DType t;
                    Shape s;
                    if (v->kind() == AttrValue::Kind::Tensor)
                        out[0].shape = v->tensor().shape();
                    else if (v->kind() == AttrValue::Kind::String && detail::parseTensorSummary(v->str(), t, s))
                        out[0].shape = s;
                }
            } else if (op == "Placeholder" || op == "PlaceholderV2" || op == "PlaceholderWithDefault" ||
                       op == "VariableV2" || op == "Variable") {
                const AttrValue* s = attrs.find("shape");
                if (s && s->kind() == AttrValue::Kind::Shape)
                    out[0].shape = s->s();
            }
        }
        return out;
    }

    /// An `_Arg` / `_Retval` op of an imported function body.
    void addSynthetic(const std::string& name, const char* type, DType t, int index, std::vector<OutputInfo> outputs,
                      int prefixIndex, std::string input)
    {
        if (m_g.findOp(name)) {
            warn(cat("duplicate node name '", name, "' (op '", type, "'); the first node with this name is kept"));
            return;
        }
        AttrList attrs;
        attrs.set("T", AttrValue::type(t));
        attrs.set("index", AttrValue::integer(index));
        const OpId id = m_g.importOp(name, type, "", std::move(attrs), std::move(outputs));
        ++m_r.opsAdded;
        const bool hasInput = !input.empty();
        m_pending.push_back({id, uint32_t(m_inputs.size()), hasInput ? 1u : 0u, prefixIndex, true});
        if (hasInput)
            m_inputs.push_back(std::move(input));
    }

    Graph& m_g;
    const ImportOptions& m_o;
    ImportResult& m_r;
    std::vector<Pending> m_pending;
    std::vector<std::string> m_inputs;
    std::vector<std::string> m_prefixes; // [0] = top level: "" or "<import scope>/"
    std::vector<const AttrEntry*> m_sorted;
    std::string m_name;
};

/// What a top-level GraphDef field number holds (for messages).
const char* graphFieldName(uint32_t number)
{
    switch (number) {
    case 1: return "a node";
    case 2: return "the function library";
    case 4: return "the versions";
    case 5: return "the debug info";
    default: return "a field";
    }
}

std::string sourceName(const ImportResult& r) { return r.source.empty() ? std::string("<bytes>") : r.source; }

/// Imports a binary GraphDef field by field (see the essay at the top).
Expected<ImportResult> importBinary(std::string_view bytes, Graph& g, const ImportOptions& o, ImportResult r)
{
    google::protobuf::LogSilencer silence; // protobuf logs invalid UTF-8; we report it ourselves
    {
        // Count the nodes first (a cheap walk over lengths): a hostile file of
        // millions of empty nodes is refused before any op is made.
        int64_t nodes = 0;
        WireScanner count(bytes);
        ScanField f;
        while (count.next(f))
            nodes += f.number == 1;
        if (nodes > kMaxGraphNodes)
            return unexpected(cat(sourceName(r), ": ", nodes, " nodes; more than the ", kMaxGraphNodes,
                                  " nodes scopeviz imports (", bytes.size(), " bytes)"));
    }
    Importer imp(g, o, r);
    // One NodeDef message is reused for every node: a parse clears it but keeps
    // its allocated strings and repeated fields. (An arena reset every few
    // hundred nodes was measured too: it executes ~5% more instructions.)
    tfproto::NodeDef node;
    tfproto::FunctionDefLibrary lib;
    tfproto::VersionDef versions;
    bool haveVersions = false;
    int badNodes = 0, index = 0;
    std::string fault;
    WireScanner s(bytes);
    ScanField f;
    while (s.next(f)) {
        if (f.truncated) {
            fault = cat("the data ends inside ", graphFieldName(f.number), " at byte ", f.offset, " (", f.declared,
                        " bytes declared, ", f.bytes.size(), " present)");
            break;
        }
        if ((f.number == 1 || f.number == 2 || f.number == 4) && f.type != WireType::Bytes) {
            imp.warn(cat("field ", f.number, " at byte ", f.offset, " has the wrong wire type; skipped"));
            continue;
        }
        switch (f.number) {
        case 1:
        {
            ++index;
            if (f.bytes.size() > kMaxMessageBytes || !node.ParseFromArray(f.bytes.data(), int(f.bytes.size()))) {
                ++badNodes;
                imp.warn(cat("node #", index, " at byte ", f.offset, " is not a valid NodeDef (corrupt, or nested ",
                             "deeper than protobuf's limit of 100 levels); skipped"));
                continue;
            }
            ++r.nodeCount;
            imp.addNode(node);
            break;
        }
        case 2: {
            google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(f.bytes.data()), int(f.bytes.size()));
            if (!lib.MergeFromCodedStream(&in)) {
                lib.Clear();
                imp.warn(cat("the function library at byte ", f.offset, " is corrupt; ignored"));
            }
            break;
        }
        case 3:
            if (f.type == WireType::Varint && !haveVersions)
                r.producer = int(int32_t(f.value));
            break;
        case 4:
            if (versions.ParseFromArray(f.bytes.data(), int(f.bytes.size()))) {
                haveVersions = true;
                r.producer = versions.producer();
            }
            break;
        default: break; // debug_info and unknown fields
        }
    }
    if (fault.empty() && s.failed())
        fault = "corrupt data: " + s.error();
    if (!fault.empty())
        r.partial = true;
    if (r.nodeCount == 0 && (r.partial || badNodes > 0)) {
        std::string why = !fault.empty() ? fault
                                         : cat(badNodes, " node(s) could not be parsed (corrupt, or nested deeper ",
                                               "than protobuf's limit of 100 levels)");
        return unexpected(cat(sourceName(r), ": not a valid GraphDef: ", why, " (", bytes.size(), " bytes)"));
    }
    if (!fault.empty())
        imp.warn(cat(fault, "; the ", r.nodeCount, " nodes before it were kept (", bytes.size(), " bytes in all)"));
    imp.addFunctions(lib);
    imp.resolve();
    return r;
}

/// Imports the nodes of a parsed GraphDef message (text formats).
ImportResult importMessage(const tfproto::GraphDef& gd, Graph& g, const ImportOptions& o, ImportResult r)
{
    Importer imp(g, o, r);
    for (const auto& n : gd.node()) {
        ++r.nodeCount;
        imp.addNode(n);
    }
    if (gd.has_versions()) {
        r.producer = gd.versions().producer();
    } else {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
        if (gd.version()) // the pre-VersionDef field of very old graphs
            r.producer = gd.version();
#pragma GCC diagnostic pop
    }
    imp.addFunctions(gd.library());
    imp.resolve();
    return r;
}

Expected<ImportResult> importText(std::string_view bytes, Graph& g, const ImportOptions& o, ImportResult r, bool meta)
{
    if (bytes.size() > kMaxMessageBytes)
        return unexpected(cat(sourceName(r), ": too large for a text GraphDef (", bytes.size(), " bytes)"));
    // protobuf's text parser recurses per nesting level without a limit when
    // it skips unknown fields: refuse deep files before it sees them.
    const detail::TextNesting nesting = detail::scanTextNesting(bytes, kMaxTextNesting);
    if (nesting.exceeded)
        return unexpected(cat(sourceName(r), ": nested deeper than ", kMaxTextNesting, " levels at line ", nesting.line,
                              ", column ", nesting.column, " (byte ", nesting.offset,
                              "); refused, real graphs nest a few levels"));
    if (!meta && nesting.topLevelBlocks > uint64_t(kMaxGraphNodes))
        return unexpected(cat(sourceName(r), ": ", nesting.topLevelBlocks, " top-level blocks; more than the ",
                              kMaxGraphNodes, " nodes scopeviz imports"));
    google::protobuf::LogSilencer silence;
    google::protobuf::Arena arena;
    tfproto::MetaGraphDef* metaMsg = nullptr;
    tfproto::GraphDef* gd = nullptr;
    google::protobuf::Message* msg = nullptr;
    if (meta)
        msg = metaMsg = google::protobuf::Arena::CreateMessage<tfproto::MetaGraphDef>(&arena);
    else
        msg = gd = google::protobuf::Arena::CreateMessage<tfproto::GraphDef>(&arena);
    google::protobuf::TextFormat::Parser parser;
    parser.AllowUnknownField(true);
    parser.AllowUnknownExtension(true);
    parser.SetRecursionLimit(kMaxTextNesting); // also holds when the pre-scan and protobuf disagree
    TextErrors errors;
    parser.RecordErrorsTo(&errors);
    google::protobuf::io::ArrayInputStream in(bytes.data(), int(bytes.size()));
    const bool ok = parser.Parse(&in, msg);
    if (meta) // only now: Parse() clears the message, which drops sub-messages fetched before
        gd = metaMsg->mutable_graph_def();
    const char* what = meta ? "text MetaGraphDef" : "text GraphDef";
    if (!ok && gd->node_size() == 0)
        return unexpected(cat(sourceName(r), ": not a valid ", what, ": ", errors.first));
    // protobuf's text parser takes any bytes in a `string` field, but its binary
    // parser (our own importer's, TensorFlow's) refuses invalid UTF-8 there, so
    // such a node would be exported into a file nobody can read. Skip it, as the
    // binary import does. Found by tests/fuzz (tests/data/fuzz/graphdef_text).
    int rejected = 0;
    {
        auto* nodes = gd->mutable_node();
        std::string wire;
        tfproto::NodeDef check;
        int kept = 0;
        for (int i = 0; i < nodes->size(); ++i) {
            wire.clear();
            nodes->Get(i).SerializeToString(&wire);
            if (check.ParseFromString(wire)) {
                if (kept != i)
                    nodes->SwapElements(kept, i);
                ++kept;
            } else {
                ++rejected;
                addWarning(r, o, cat("node #", i + 1, " holds a name, op, input, device or attr string that is not "
                                     "valid UTF-8; skipped"));
            }
        }
        nodes->DeleteSubrange(kept, nodes->size() - kept);
    }
    if (rejected > 0 && gd->node_size() == 0)
        return unexpected(cat(sourceName(r), ": not a valid ", what, ": ", rejected,
                              " node(s) hold strings that are not valid UTF-8"));
    if (gd->node_size() > kMaxGraphNodes)
        return unexpected(cat(sourceName(r), ": ", gd->node_size(), " nodes; more than the ", kMaxGraphNodes,
                              " nodes scopeviz imports"));
    if (meta && gd->node_size() == 0 && !gd->has_library())
        return unexpected(cat(sourceName(r), ": the MetaGraphDef holds no graph_def"));
    ImportResult out = importMessage(*gd, g, o, std::move(r));
    if (!ok) {
        out.partial = true;
        addWarning(out, o, cat("the text has an error at ", errors.first, "; the ", gd->node_size(),
                                     " nodes before it were kept (the last one may be incomplete)"));
    }
    return out;
}

/// The last graph_def (field 2) of a serialized MetaGraphDef, even if cut off.
bool metaGraphPayload(std::string_view meta, std::string_view& graph, bool& truncated)
{
    WireScanner s(meta);
    ScanField f;
    bool found = false;
    while (s.next(f)) {
        if (f.number == 2 && f.type == WireType::Bytes) {
            graph = f.bytes;
            truncated = f.truncated;
            found = true;
        }
    }
    return found;
}

/// Resolves a possibly negative index into [0, n); false when out of range.
bool pickIndex(int wanted, int n, int& index)
{
    index = wanted < 0 ? n + wanted : wanted;
    return index >= 0 && index < n;
}

Expected<ImportResult> importMeta(std::string_view bytes, Graph& g, const ImportOptions& o, ImportResult r)
{
    std::string_view graph;
    bool truncated = false;
    if (!metaGraphPayload(bytes, graph, truncated))
        return unexpected(cat(sourceName(r), ": the MetaGraphDef holds no graph_def"));
    auto res = importBinary(graph, g, o, std::move(r));
    if (res.ok() && truncated) {
        res->partial = true;
        addWarning(*res, o, "the MetaGraphDef is cut off inside its graph_def");
    }
    return res;
}

Expected<ImportResult> importSavedModel(std::string_view bytes, Graph& g, const ImportOptions& o, ImportResult r)
{
    std::vector<std::string_view> metas;
    WireScanner s(bytes);
    ScanField f;
    while (s.next(f))
        if (f.number == 2 && f.type == WireType::Bytes)
            metas.push_back(f.bytes);
    if (metas.empty())
        return unexpected(cat(sourceName(r), ": the SavedModel holds no meta graph"));
    int index = 0;
    if (!pickIndex(o.graphIndex, int(metas.size()), index))
        return unexpected(cat(sourceName(r), ": graph index ", o.graphIndex, " is out of range: the SavedModel holds ",
                              metas.size(), " meta graph(s)"));
    r.graphCount = int(metas.size());
    r.graphIndex = index;
    return importMeta(metas[size_t(index)], g, o, std::move(r));
}

/// The graphs an event file holds.
struct FoundGraphs : EventVisitor {
    std::vector<std::string> graphDefs;
    std::vector<std::string> metaGraphs;
    uint64_t records = 0;
    void onEvent(const EventHeader&, EventKind) override { ++records; }
    void onGraph(const EventHeader&, GraphSource source, std::string_view graphDef) override
    {
        (source == GraphSource::GraphDef ? graphDefs : metaGraphs).emplace_back(graphDef);
    }
    bool wantsHistograms() const override { return false; }
};

/// Walks TFRecords held in memory (event-file bytes passed to importGraphBytes).
void scanEventBytes(std::string_view b, FoundGraphs& found, std::string& fault)
{
    size_t pos = 0;
    while (b.size() - pos >= 12) {
        uint64_t len;
        uint32_t lenCrc;
        std::memcpy(&len, b.data() + pos, 8);
        std::memcpy(&lenCrc, b.data() + pos + 8, 4);
        if (maskedCrc32c(b.data() + pos, 8) != lenCrc) {
            fault = cat("corrupted record at ", pos, " (length checksum)");
            return;
        }
        if (len > kMaxMessageBytes || b.size() - pos - 12 < len + 4)
            return; // the last record is incomplete: not an error
        const std::string_view payload = b.substr(pos + 12, size_t(len));
        uint32_t dataCrc;
        std::memcpy(&dataCrc, b.data() + pos + 12 + len, 4);
        if (maskedCrc32c(payload.data(), payload.size()) != dataCrc) {
            fault = cat("corrupted record at ", pos, " (data checksum)");
            return;
        }
        ++found.records;
        detail::WireReader r(payload);
        detail::WireField f;
        while (r.next(f)) {
            if (f.type != WireType::Bytes)
                continue;
            if (f.number == 4) {
                found.graphDefs.emplace_back(f.bytes);
            } else if (f.number == 9) {
                std::string_view graph;
                bool truncated = false;
                if (metaGraphPayload(f.bytes, graph, truncated) && !truncated)
                    found.metaGraphs.emplace_back(graph);
            }
        }
        pos += 12 + size_t(len) + 4;
    }
}

Expected<ImportResult> importFromEvents(FoundGraphs& found, const std::string& fault, Graph& g, const ImportOptions& o,
                                        ImportResult r)
{
    const bool useMeta = found.graphDefs.empty();
    auto& list = useMeta ? found.metaGraphs : found.graphDefs;
    if (list.empty()) {
        std::string msg = cat(sourceName(r), ": the event file holds no graph (", found.records, " records read");
        if (!fault.empty())
            msg += "; " + fault;
        return unexpected(msg + ")");
    }
    int index = 0;
    if (!pickIndex(o.graphIndex, int(list.size()), index))
        return unexpected(cat(sourceName(r), ": graph index ", o.graphIndex, " is out of range: the event file holds ",
                              list.size(), " graph(s)"));
    r.graphCount = int(list.size());
    r.graphIndex = index;
    r.fromMetaGraphDef = useMeta;
    auto res = importBinary(list[size_t(index)], g, o, std::move(r));
    if (res.ok() && !fault.empty()) {
        addWarning(*res, o, "the event file is corrupt after its graph: " + fault);
    }
    return res;
}

/// Dispatches on the (detected or forced) container of in-memory bytes.
/// An ONNX model (core/onnx), its findings carried over into ImportResult.
Expected<ImportResult> importOnnx(std::string_view bytes, Graph& g, const ImportOptions& o, ImportResult r)
{
    OnnxImportOptions oo;
    oo.maxWarnings = o.maxWarnings;
    auto got = importOnnxBytes(bytes, sourceName(r), g, oo);
    if (!got)
        return unexpected(got.error());
    OnnxImportResult& m = *got;
    r.nodeCount = m.nodeCount;
    r.opsAdded = m.opsAdded;
    r.edgeCount = m.edgeCount;
    r.functionCount = m.functionCount;
    r.partial = m.partial;
    r.warnings = std::move(m.warnings);
    r.warningCount = m.warningCount;
    r.modelSummary = m.summary();
    r.checkerMessage = m.checkerMessage;
    auto& p = r.properties;
    p.emplace_back("ir_version", cat(m.irVersion));
    for (const auto& [domain, version] : m.opsets)
        p.emplace_back("opset_import", cat(domain.empty() ? "ai.onnx" : domain, " ", version));
    if (!m.producerName.empty())
        p.emplace_back("producer", cat(m.producerName, m.producerVersion.empty() ? "" : " ", m.producerVersion));
    if (!m.domain.empty())
        p.emplace_back("domain", m.domain);
    if (m.modelVersion)
        p.emplace_back("model_version", cat(m.modelVersion));
    if (!m.graphName.empty())
        p.emplace_back("graph", m.graphName);
    if (!m.docString.empty())
        p.emplace_back("doc_string", m.docString);
    if (!m.graphDocString.empty())
        p.emplace_back("graph doc_string", m.graphDocString);
    for (const auto& kv : m.metadata)
        p.push_back(kv);
    p.emplace_back("parameters", cat(m.parameterCount, m.externalTensors ? cat(" (", m.externalTensors, " with external data, not read)") : ""));
    if (m.functionCount)
        p.emplace_back("local functions", cat(m.functionCount));
    p.emplace_back("checker", m.checkerMessage.empty() ? std::string("passed") : m.checkerMessage);
    if (m.shapeInference)
        p.emplace_back("shapes", "inferred by ONNX shape inference (the file has no value_info for some values)");
    return r;
}

Expected<ImportResult> importDetected(std::string_view bytes, Graph& g, const ImportOptions& o, ImportResult r)
{
    if (startsWith(bytes, "\xEF\xBB\xBF") && !detail::looksLikeTfRecord(bytes)) // a Windows editor's UTF-8 mark
        bytes.remove_prefix(3);
    GraphFormat f = o.format != GraphFormat::Unknown ? o.format : detectGraphFormat(bytes);
    r.format = f;
    switch (f) {
    case GraphFormat::BinaryGraphDef: return importBinary(bytes, g, o, std::move(r));
    case GraphFormat::TextGraphDef: return importText(bytes, g, o, std::move(r), false);
    case GraphFormat::BinaryMetaGraphDef: return importMeta(bytes, g, o, std::move(r));
    case GraphFormat::TextMetaGraphDef: return importText(bytes, g, o, std::move(r), true);
    case GraphFormat::SavedModel: return importSavedModel(bytes, g, o, std::move(r));
    case GraphFormat::OnnxModel: return importOnnx(bytes, g, o, std::move(r));
    case GraphFormat::EventFile: {
        FoundGraphs found;
        std::string fault;
        scanEventBytes(bytes, found, fault);
        return importFromEvents(found, fault, g, o, std::move(r));
    }
    case GraphFormat::Unknown: break;
    }
    const std::string known = detail::describeKnownNonGraph(bytes);
    if (!known.empty())
        return unexpected(cat(sourceName(r), ": this is ", known, ", not a TensorFlow graph"));
    return unexpected(cat(sourceName(r), ": not a TensorFlow graph (", bytes.size(),
                          " bytes; expected a binary or text GraphDef, a MetaGraphDef, a SavedModel or an event file)"));
}

} // namespace

Expected<ImportResult> importGraphBytes(std::string_view bytes, Graph& g, const ImportOptions& options)
{
    ImportResult r;
    r.source = "<bytes>";
    if (bytes.empty() && options.format == GraphFormat::Unknown)
        return unexpected("<bytes>: no data");
    return importDetected(bytes, g, options, std::move(r));
}

Expected<ImportResult> importGraphDefBytes(std::string_view bytes, Graph& g, const ImportOptions& options)
{
    ImportOptions o = options;
    if (o.format == GraphFormat::Unknown)
        o.format = GraphFormat::BinaryGraphDef;
    ImportResult r;
    r.source = "<bytes>";
    return importDetected(bytes, g, o, std::move(r));
}

Expected<ImportResult> importGraphFile(const std::string& path, Graph& g, const ImportOptions& options)
{
    ImportResult r;
    r.source = path;
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st))
        return unexpected(cat(path, ": no such file"));
    if (fs::is_directory(st)) {
        std::string hint;
        if (fs::exists(fs::path(path) / "saved_model.pb", ec))
            hint = cat(" (it holds a SavedModel: open ", (fs::path(path) / "saved_model.pb").string(), ")");
        // A log directory: the graph is in one of its event files. Take the
        // last file, in TensorBoard's name order, that holds one.
        std::vector<fs::path> events;
        for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
             !ec && it != end; it.increment(ec)) {
            if (it->is_regular_file(ec) && it->path().filename().string().find("tfevents") != std::string::npos)
                events.push_back(it->path());
        }
        std::sort(events.begin(), events.end());
        for (auto e = events.rbegin(); e != events.rend(); ++e) {
            ImportOptions eo = options;
            eo.format = GraphFormat::EventFile;
            // A file without a graph fails before adding any op to g: try the next one.
            auto got = importGraphFile(e->string(), g, eo);
            if (got || g.numOps() > 0)
                return got;
        }
        if (!events.empty())
            return unexpected(cat(path, ": none of its ", events.size(), " event files holds a graph"));
        return unexpected(cat(path, ": is a directory, not a graph file", hint));
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return unexpected(cat(path, ": cannot be opened (", std::strerror(errno), ")"));
    const uint64_t size = fs::file_size(path, ec);
    if (ec)
        return unexpected(cat(path, ": cannot be read (", ec.message(), ")"));
    if (size == 0)
        return unexpected(cat(path, ": the file is empty"));

    // Event files can be larger than any protobuf message: they are read record
    // by record by the event reader, never loaded whole.
    char head[12];
    in.read(head, sizeof head);
    const size_t headLen = size_t(in.gcount());
    const bool event = options.format == GraphFormat::EventFile ||
                       (options.format == GraphFormat::Unknown && detail::looksLikeTfRecord({head, headLen}));
    if (event) {
        in.close();
        r.format = GraphFormat::EventFile;
        EventReader reader(path);
        FoundGraphs found;
        const ReadStatus status = reader.poll(found);
        std::string fault;
        if (status.code == ReadStatus::Code::IoError || status.code == ReadStatus::Code::Missing)
            return unexpected(status.message.empty() ? cat(path, ": cannot be read") : status.message);
        if (status.code == ReadStatus::Code::Dead)
            fault = status.message;
        return importFromEvents(found, fault, g, options, std::move(r));
    }
    if (size > kMaxMessageBytes)
        return unexpected(cat(path, ": too large to be a GraphDef (", size, " bytes; protobuf messages are below 2 GiB)"));
    std::string bytes(size_t(size), '\0');
    std::memcpy(bytes.data(), head, headLen);
    in.read(bytes.data() + headLen, std::streamsize(size - headLen));
    if (size_t(in.gcount()) != size - headLen)
        return unexpected(cat(path, ": read failed after ", headLen + size_t(in.gcount()), " of ", size, " bytes"));
    return importDetected(bytes, g, options, std::move(r));
}

} // namespace scopeviz
