#include "core/hierarchy/tree_report.h"

#include "core/util/strings.h"

#include <chrono>
#include <memory>
#include <unordered_set>

namespace scopeviz::hierarchy {

namespace {

std::string scopeText(std::string_view path)
{
    return path.empty() ? std::string("(root)") : cat(path, "/");
}

std::string opsText(int64_t n)
{
    return cat(n, n == 1 ? " op" : " ops");
}

/// A user's scope, followed by its applications when it applies the variable several times:
/// `(root) (2 applications: Conv2D_3, Conv2D_5)`.
std::string userText(const ScopeTree& tree, const VariableUser& u)
{
    std::string s = scopeText(u.path);
    if (u.applications < 2)
        return s;
    std::vector<std::string> ops;
    for (size_t i = 0; i < u.applicationOps.size() && i < 3; ++i)
        ops.emplace_back(tree.opName(u.applicationOps[i]));
    const size_t more = u.applicationOps.size() > 3 ? u.applicationOps.size() - 3 : 0;
    return s + cat(" (", u.applications, " applications: ", join(ops, ", "),
                   more ? cat(" +", more, " more") : std::string(), ")");
}

std::string variableMarks(const VariableIndex& index, int32_t variable)
{
    const VariableRecord& v = index.record(variable);
    const ScopeTree& tree = index.tree();
    std::string s;
    if (v.evidence == VariableEvidence::Trace) {
        s = "[created in " + (v.users.empty() ? scopeText(v.ownerPath) : userText(tree, v.users.front()));
        std::vector<std::string> reusers;
        for (const VariableUser& u : v.users)
            if (u.reused)
                reusers.push_back(userText(tree, u) + (u.reuseMode == Reuse::AutoReuse ? " (AUTO_REUSE)" : ""));
        if (!reusers.empty())
            s += ", reused in " + join(reusers, ", ");
        s += "]";
    } else {
        std::vector<std::string> readers;
        int more = 0;
        for (const VariableUser& u : v.users) {
            if (u.reads <= 0)
                continue;
            if (readers.size() < 6)
                readers.push_back(userText(tree, u));
            else
                ++more;
        }
        if (readers.empty())
            s = "[not read by the model]";
        else
            s = "[read in " + join(readers, ", ") + (more ? cat(" +", more, " more") : std::string()) + "]";
    }
    if (index.isShared(variable))
        s += "  [shared: " + sharingText(v) + "]";
    return s;
}

} // namespace

void printTree(const VariableIndex& index, std::ostream& out, const PrintTreeOptions& options)
{
    const ScopeTree& tree = index.tree();
    std::string buf;
    buf.reserve(size_t(tree.numScopes()) * 48 + 256);
    int series = int(tree.series().size());
    buf += cat("graph: ", opsText(tree.numOps()), ", ", tree.numScopes() - 1, " scopes, ", tree.variables().size(),
               " variables (", index.numShared(), " shared, from ",
               tree.hasTrace() ? "the reuse trace" : "reads in the graph", "), ", series, " series\n");
    if (tree.numScopes() == 0)
        return;

    auto indent = [&](int depth) { buf.append(size_t(std::max(0, depth - 1)) * 2, ' '); };
    auto opLine = [&](OpId op, int depth) {
        indent(depth);
        buf += cat(tree.opLabel(op), "  ", tree.opType(op));
        const int32_t v = tree.variableOfOp(op);
        if (v >= 0)
            buf += "  " + variableMarks(index, v);
        if (!tree.auxiliaryReason(Item{Item::Kind::Op, op}).empty())
            buf += "  [auxiliary]";
        buf += '\n';
    };
    auto scopeLine = [&](ScopeId s, int depth) {
        const ScopeNode& n = tree.scope(s);
        indent(depth);
        if (n.anchor >= 0)
            buf += cat(tree.name(s), "  ", tree.opType(n.anchor), "  ", opsText(n.descendantOps));
        else
            buf += cat(tree.name(s), "/  ", opsText(n.descendantOps));
        if (n.kind == ScopeKind::Variable)
            buf += "  [variable scope]";
        if (n.variable >= 0)
            buf += "  " + variableMarks(index, n.variable);
        if (!tree.auxiliaryReason(Item{Item::Kind::Scope, s}).empty())
            buf += "  [auxiliary]";
        buf += '\n';
    };

    buf += cat("(root)  ", opsText(tree.scope(RootScope).descendantOps), "\n");
    // Explicit stack: names can nest thousands of levels deep.
    struct Entry {
        Item item;
        int depth;
    };
    std::vector<Entry> stack;
    std::unordered_set<int32_t> seriesShown;
    auto pushChildren = [&](ScopeId s, int depth) {
        const auto& items = tree.scope(s).items;
        for (auto it = items.rbegin(); it != items.rend(); ++it)
            stack.push_back(Entry{*it, depth});
    };
    pushChildren(RootScope, 1);
    // Series lines are printed at the first member in creation order, so walk items forwards.
    while (!stack.empty()) {
        const Entry e = stack.back();
        stack.pop_back();
        const int32_t ser = tree.seriesOf(e.item);
        if (ser >= 0 && !options.expandSeries) {
            if (!seriesShown.insert(ser).second)
                continue;
            const Series& sr = tree.series()[size_t(ser)];
            if (e.item.isOp() && !options.ops)
                continue;
            indent(e.depth);
            if (e.item.isScope())
                buf += cat(sr.label, "/  [series x", sr.members.size(), "]  ", opsText(sr.opCount), "\n");
            else
                buf += cat(sr.label, "  ", tree.opType(sr.members.front().id), "  [series x", sr.members.size(), "]\n");
            continue;
        }
        if (e.item.isScope()) {
            scopeLine(e.item.id, e.depth);
            if (options.maxDepth < 0 || e.depth < options.maxDepth)
                pushChildren(e.item.id, e.depth + 1);
        } else {
            const OpId op = e.item.id;
            if (tree.isAnchor(op))
                continue; // described on its scope's line
            if (options.ops || tree.variableOfOp(op) >= 0)
                opLine(op, e.depth);
        }
    }
    for (const std::string& w : tree.warnings())
        buf += "warning: " + w + "\n";
    out << buf;
}

ExpansionState expansionFromArguments(const ScopeTree& tree, const std::vector<std::string>& arguments,
                                      std::vector<std::string>* unknown)
{
    ExpansionState st;
    for (const std::string& arg : arguments) {
        for (std::string_view piece : split(arg, ',')) {
            while (!piece.empty() && (piece.front() == ' ' || piece.front() == '\t'))
                piece.remove_prefix(1);
            while (!piece.empty() && (piece.back() == ' ' || piece.back() == '\t'))
                piece.remove_suffix(1);
            if (piece.empty())
                continue;
            if (piece == "all") {
                ExpansionState all = ExpansionState::all(tree);
                st.expanded.insert(all.expanded.begin(), all.expanded.end());
                continue;
            }
            const ScopeId s = tree.findScope(piece);
            if (s < 0) {
                if (unknown)
                    unknown->emplace_back(piece);
                continue;
            }
            st.reveal(tree, s);
        }
    }
    return st;
}

LayoutStatsReport layoutStats(const ScopeTree& tree, const std::vector<std::string>& arguments, std::ostream& out,
                              layout::LayoutEngine* engine, const SizePolicy& sizes)
{
    using Clock = std::chrono::steady_clock;
    LayoutStatsReport r;
    const auto t0 = Clock::now();
    const ExpansionState state = expansionFromArguments(tree, arguments, &r.unknownScopes);
    const VisibleGraph vg = buildVisibleGraph(tree, state);
    const layout::LayoutRequest req = toLayoutRequest(vg, sizes);
    r.buildSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
    r.visibleNodes = int(vg.nodes().size());
    r.visibleEdges = int(vg.edges().size());
    r.clusters = vg.numClusters();

    std::unique_ptr<layout::LayoutEngine> own;
    if (!engine) {
        own = std::make_unique<layout::LayoutEngine>();
        engine = own.get();
    }
    const auto t1 = Clock::now();
    const auto result = engine->layoutNow(req);
    r.layoutSeconds = std::chrono::duration<double>(Clock::now() - t1).count();
    r.boxes = int(result->boxes.size());
    r.edges = int(result->edges.size());
    r.laidOut = result->clustersLaidOut;
    r.fromCache = result->clustersFromCache;
    r.fallback = result->clustersFallback;
    r.warnings = result->warnings;

    for (const std::string& u : r.unknownScopes)
        out << "warning: no scope named '" << u << "'\n";
    out << "expansion: " << (state.expanded.empty() ? std::string("top level only") : cat(state.expanded.size(), " scopes/series open"))
        << "\n";
    out << "visible: " << r.visibleNodes << " nodes, " << r.visibleEdges << " edges, " << r.clusters
        << " frames (built in " << formatDouble(std::round(r.buildSeconds * 1e4) / 10) << " ms)\n";
    out << "layout: " << r.boxes << " boxes, " << r.edges << " edges in "
        << formatDouble(std::round(r.layoutSeconds * 1e4) / 10) << " ms; clusters: " << r.laidOut << " laid out, "
        << r.fromCache << " from cache, " << r.fallback << " by the fast fallback\n";
    for (const std::string& w : r.warnings)
        out << "layout warning: " << w << "\n";
    return r;
}

} // namespace scopeviz::hierarchy
