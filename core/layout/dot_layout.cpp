// One cluster laid out by Graphviz dot, in process.
//
// The cluster's direct children become fixed-size boxes (shape=box,
// fixedsize=true, empty label: the GUI draws labels, and an empty label spares
// dot its text measurement). Edges carry weight and constraint. dot answers
// with centres, a bounding box and one spline per edge, all in points with y
// up; we flip to y down relative to the bounding box's top-left corner.
//
// Stability comes for free here. dot's ranking (network simplex on the edges)
// and its crossing minimisation (on orders, starting from the input order) do
// not depend on node sizes; only the final coordinates and splines do. So when
// a child scope is expanded, its ancestors are laid out again with the same
// children and edges in the same order, and dot returns the same ranks and the
// same left-to-right order, only spread to make room (the tests and the
// benchmark check that every sibling pair keeps its order). We tried pinning
// the old ranks and order explicitly (rank=same subgraphs chained by invisible
// flat edges): with weight 0 dot ignores the chain, and with weight 1 the chain
// pulls each rank together, which moved siblings of a 30-scope DAG by up to
// 4.7x their own size beyond the expanded scope's growth, against 0 without.
//
// Graphviz keeps global state and is not thread-safe; DotContext is created,
// used and destroyed on the engine's single worker thread, and a process-wide
// mutex serialises the (unusual) case of several engines. Its messages (which
// normally go to stderr) are captured through agseterrf and become warnings.
//
// Context creation follows docs/toolchain.md §6 pitfall 5: plain gvContext() when
// the plugin configuration file written by libgvc6's postinst exists, else (or
// if that context cannot run "dot") a context with the dot plugin linked in.
#include "core/layout/dot_layout.h"

#include "core/layout/layered_fallback.h"
#include "core/util/strings.h"

#include <gvc.h>

#include <cstdio>
#include <filesystem>
#include <mutex>

#ifdef SCOPEVIZ_GV_DOT_PLUGIN
extern "C" gvplugin_library_t gvplugin_dot_layout_LTX_library;
#endif

namespace scopeviz::layout::detail {

namespace {

char* S(const char* s) { return const_cast<char*>(s); }

/// Where Graphviz messages go while this thread runs a layout.
thread_local std::string* t_messageSink = nullptr;

int captureMessage(char* text)
{
    if (t_messageSink && text)
        t_messageSink->append(text);
    return 0;
}

/// Turns captured Graphviz output into at most a few warning lines.
void appendMessages(const std::string& text, std::vector<std::string>& warnings)
{
    int kept = 0, dropped = 0;
    for (std::string_view line : split(text, '\n')) {
        if (line.empty())
            continue;
        if (kept < 5) {
            warnings.push_back(cat("dot: ", line));
            ++kept;
        } else {
            ++dropped;
        }
    }
    if (dropped > 0)
        warnings.push_back(cat("dot: ... and ", dropped, " more messages"));
}

std::string inches(double points)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.5f", points / 72.0);
    return buf;
}

/// Graphviz keeps process-wide state (cgraph's error hooks, the text layout plugin's font cache,
/// which points into the context that last measured text), so even separate contexts on separate
/// threads must take turns. One engine means one thread and no contention; this makes two engines safe.
std::mutex g_graphviz;

/// Lays out a two-node graph to check that the context knows "dot".
bool probe(GVC_t* gvc)
{
    Agraph_t* g = agopen(S("probe"), Agdirected, nullptr);
    agattr(g, AGNODE, S("label"), S("")); // no text: keeps the text layout plugin out of it
    Agnode_t* a = agnode(g, S("a"), 1);
    Agnode_t* b = agnode(g, S("b"), 1);
    agedge(g, a, b, nullptr, 1);
    const bool ok = gvLayout(gvc, g, "dot") == 0;
    if (ok)
        gvFreeLayout(gvc, g);
    agclose(g);
    return ok;
}

} // namespace

struct DotContext::Impl {
    GVC_t* gvc = nullptr;
};

DotContext::DotContext() : m_impl(std::make_unique<Impl>())
{
    std::lock_guard lock(g_graphviz);
    agseterrf(captureMessage);
    std::string messages;
    t_messageSink = &messages;
    std::error_code ec;
#ifdef SCOPEVIZ_GV_CONFIG
    const bool haveConfig = std::filesystem::exists(SCOPEVIZ_GV_CONFIG, ec);
#else
    const bool haveConfig = true;
#endif
    if (haveConfig) {
        m_impl->gvc = gvContext();
        if (m_impl->gvc && probe(m_impl->gvc)) {
            m_origin = "config6a";
        } else if (m_impl->gvc) {
            gvFreeContext(m_impl->gvc);
            m_impl->gvc = nullptr;
        }
    }
#ifdef SCOPEVIZ_GV_DOT_PLUGIN
    if (!m_impl->gvc) {
        m_impl->gvc = gvContextPlugins(nullptr, 0);
        if (m_impl->gvc) {
            gvAddLibrary(m_impl->gvc, &gvplugin_dot_layout_LTX_library);
            if (probe(m_impl->gvc)) {
                m_origin = "builtin dot plugin";
            } else {
                gvFreeContext(m_impl->gvc);
                m_impl->gvc = nullptr;
            }
        }
    }
#endif
    t_messageSink = nullptr;
    m_ok = m_impl->gvc != nullptr;
    if (!m_ok)
        m_error = cat("Graphviz dot is not available in process (", messages.empty() ? "no context" : messages,
                      "); every cluster uses the fast layered layout");
}

DotContext::~DotContext()
{
    std::lock_guard lock(g_graphviz);
    if (m_impl->gvc)
        gvFreeContext(m_impl->gvc);
}

FlatLayout DotContext::layout(const FlatGraph& g, const LayoutSettings& s)
{
    FlatLayout out;
    if (!m_ok) {
        out.warnings.push_back(m_error);
        return out;
    }
    std::lock_guard lock(g_graphviz);
    std::string messages;
    t_messageSink = &messages;
    const int n = int(g.nodes.size());

    Agraph_t* G = agopen(S("cluster"), Agdirected, nullptr);
    agattr(G, AGRAPH, S("rankdir"), S(s.rankDir == RankDir::BottomToTop ? "BT" : "TB"));
    agattr(G, AGRAPH, S("nodesep"), S(inches(s.nodeSep).c_str()));
    agattr(G, AGRAPH, S("ranksep"), S(inches(s.rankSep).c_str()));
    agattr(G, AGRAPH, S("splines"), S("spline"));
    if (n > 150) {
        // Mid-size clusters: fewer crossing-minimisation rounds (docs/toolchain.md §5).
        agattr(G, AGRAPH, S("mclimit"), S("0.3"));
    }
    agattr(G, AGNODE, S("shape"), S("box"));
    agattr(G, AGNODE, S("fixedsize"), S("true"));
    agattr(G, AGNODE, S("label"), S(""));
    Agsym_t* width = agattr(G, AGNODE, S("width"), S("0.75"));
    Agsym_t* height = agattr(G, AGNODE, S("height"), S("0.5"));
    Agsym_t* weight = agattr(G, AGEDGE, S("weight"), S("1"));
    Agsym_t* constraint = agattr(G, AGEDGE, S("constraint"), S("true"));

    std::vector<Agnode_t*> nodes(static_cast<size_t>(n));
    char name[32];
    for (int i = 0; i < n; ++i) {
        std::snprintf(name, sizeof name, "n%d", i);
        Agnode_t* node = agnode(G, name, 1);
        agxset(node, width, S(inches(g.nodes[size_t(i)].w).c_str()));
        agxset(node, height, S(inches(g.nodes[size_t(i)].h).c_str()));
        nodes[size_t(i)] = node;
    }
    std::vector<Agedge_t*> edges(g.edges.size());
    for (size_t k = 0; k < g.edges.size(); ++k) {
        const FlatEdge& e = g.edges[k];
        Agedge_t* edge = agedge(G, nodes[size_t(e.from)], nodes[size_t(e.to)], nullptr, 1);
        if (e.weight != 1)
            agxset(edge, weight, S(std::to_string(e.weight).c_str()));
        if (!e.constraint)
            agxset(edge, constraint, S("false"));
        edges[k] = edge;
    }
    GVC_t* gvc = m_impl->gvc;
    if (gvLayout(gvc, G, "dot") != 0) {
        agclose(G);
        t_messageSink = nullptr;
        out.warnings.push_back("dot failed on this cluster");
        appendMessages(messages, out.warnings);
        return out;
    }

    const boxf bb = GD_bb(G);
    out.width = bb.UR.x - bb.LL.x;
    out.height = bb.UR.y - bb.LL.y;
    auto flip = [&](pointf p) { return Point{p.x - bb.LL.x, bb.UR.y - p.y}; };
    out.centers.resize(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i)
        out.centers[size_t(i)] = flip(ND_coord(nodes[size_t(i)]));
    auto rectOf = [&](int i) {
        const Point c = out.centers[size_t(i)];
        return Rect{c.x - g.nodes[size_t(i)].w / 2, c.y - g.nodes[size_t(i)].h / 2, g.nodes[size_t(i)].w,
                    g.nodes[size_t(i)].h};
    };
    out.routes.resize(g.edges.size());
    for (size_t k = 0; k < g.edges.size(); ++k) {
        const FlatEdge& e = g.edges[k];
        FlatRoute& route = out.routes[k];
        const splines* spl = ED_spl(edges[k]);
        if (!spl || spl->size == 0 || spl->list[0].size < 4) {
            route = routeBetween(rectOf(e.from), rectOf(e.to), e.from == e.to);
            continue;
        }
        for (int b = 0; b < spl->size; ++b) {
            const bezier& bz = spl->list[b];
            if (bz.size < 1)
                continue;
            if (!route.bezier.empty()) {
                // Join disjoint pieces with a straight cubic so the count stays 3m+1.
                const Point a = route.bezier.back(), c = flip(bz.list[0]);
                const auto join = straightCubic(a, c);
                route.bezier.insert(route.bezier.end(), join.begin() + 1, join.end());
            } else {
                route.bezier.push_back(flip(bz.list[0]));
            }
            for (int p = 1; p < bz.size; ++p)
                route.bezier.push_back(flip(bz.list[p]));
            if (bz.eflag) {
                route.hasArrow = true;
                route.arrowTip = flip(bz.ep);
            }
        }
        // Keep 3m+1 even if dot ever hands back something else.
        while (route.bezier.size() > 1 && (route.bezier.size() - 1) % 3 != 0)
            route.bezier.pop_back();
        if (route.bezier.size() < 4)
            route = routeBetween(rectOf(e.from), rectOf(e.to), e.from == e.to);
    }
    gvFreeLayout(gvc, G);
    agclose(G);
    t_messageSink = nullptr;
    appendMessages(messages, out.warnings);
    out.ok = true;
    return out;
}

} // namespace scopeviz::layout::detail
