// Benchmark of the hierarchical layout engine on synthetic scope trees
// (the real visible-graph builder is not used: synthetic_tree.h stands in).
//
//   scopeviz_bench_layout [--quick] [--flat-leaves N] [--grow-only]
//
// Figures (BENCH lines; "_vs_goal" lines are measured / goal, below 1 is good):
//  - uniform tree, depth 6 fan-out 10 (100k leaves): root-only layout, cold and warm;
//  - InceptionV3-like tree (~11k ops): top level, expanding one block (median of 20),
//    expanding one sub-block, everything expanded, and one flat dot layout of the same
//    ops as a yardstick (capped in size, named in the BENCH name);
//  - stability when expanding: sibling displacement / own size, order kept, exact return;
//  - fast fallback on a cluster of 10,000 children, and dot on a 400-child cluster;
//  - the real InceptionV3 file (tests/data/graphs): expanding each block and one sub-block per block
//    with grow in place (grow_in_place.cpp), the expanded box's centre kept still: fraction of its
//    siblings (same frame) moving less than their own size (min over blocks and pooled), the same over
//    every level up to the root, largest move / own size, collapse exactness, expand time.
#include "core/hierarchy/layout_bridge.h"
#include "core/hierarchy/scope_tree.h"
#include "core/hierarchy/visible_graph.h"
#include "core/io/graphdef_io.h"
#include "core/layout/layout_engine.h"
#include "core/util/strings.h"
#include "tests/bench/bench.h"
#include "tests/core/layout/synthetic_tree.h"

#include <gvc.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

using namespace scopeviz;
using namespace scopeviz::layout;

namespace {

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

/// CPU seconds used by the whole process (all threads), immune to other jobs on the machine.
double cpuSeconds()
{
    return double(std::clock()) / CLOCKS_PER_SEC;
}

void reportGoal(const std::string& name, double value, double goal, const std::string& unit)
{
    bench::report(name, value, unit);
    bench::report(name + "_vs_goal", value / goal, "x");
}

/// Times one synchronous layout (wall time around layoutNow, which includes the hand-off to the worker).
std::shared_ptr<const LayoutResult> timed(LayoutEngine& engine, const LayoutRequest& req, double& seconds)
{
    const double t0 = bench::now();
    auto r = engine.layoutNow(req);
    seconds = bench::now() - t0;
    return r;
}

bool sameGeometry(const LayoutResult& a, const LayoutResult& b)
{
    if (a.boxes.size() != b.boxes.size() || a.edges.size() != b.edges.size())
        return false;
    for (size_t i = 0; i < a.boxes.size(); ++i)
        if (a.boxes[i].x != b.boxes[i].x || a.boxes[i].y != b.boxes[i].y || a.boxes[i].w != b.boxes[i].w ||
            a.boxes[i].h != b.boxes[i].h)
            return false;
    return true;
}

/// One dot call on every leaf of the tree with the leaf edges, same node/graph attributes as the engine.
double flatDotSeconds(const synth::Tree& t, size_t& leaves)
{
    auto S = [](const char* s) { return const_cast<char*>(s); };
    GVC_t* gvc = gvContext();
    const double t0 = bench::now();
    Agraph_t* g = agopen(S("flat"), Agdirected, nullptr);
    agattr(g, AGRAPH, S("rankdir"), S("BT"));
    agattr(g, AGRAPH, S("nodesep"), S("0.25"));
    agattr(g, AGRAPH, S("ranksep"), S("0.39"));
    agattr(g, AGRAPH, S("splines"), S("spline"));
    agattr(g, AGNODE, S("shape"), S("box"));
    agattr(g, AGNODE, S("fixedsize"), S("true"));
    agattr(g, AGNODE, S("label"), S(""));
    Agsym_t* w = agattr(g, AGNODE, S("width"), S("0.75"));
    Agsym_t* h = agattr(g, AGNODE, S("height"), S("0.5"));
    std::vector<Agnode_t*> nodes(t.nodes.size(), nullptr);
    leaves = 0;
    char name[32], buf[32];
    for (size_t v = 0; v < t.nodes.size(); ++v) {
        if (!t.isLeaf(int(v)))
            continue;
        std::snprintf(name, sizeof name, "n%zu", v);
        nodes[v] = agnode(g, name, 1);
        std::snprintf(buf, sizeof buf, "%.4f", t.nodes[v].w / 72);
        agxset(nodes[v], w, buf);
        std::snprintf(buf, sizeof buf, "%.4f", t.nodes[v].h / 72);
        agxset(nodes[v], h, buf);
        ++leaves;
    }
    for (const auto& [a, b] : t.leafEdges)
        agedge(g, nodes[size_t(a)], nodes[size_t(b)], nullptr, 1);
    gvLayout(gvc, g, "dot");
    const double seconds = bench::now() - t0;
    gvFreeLayout(gvc, g);
    agclose(g);
    gvFreeContext(gvc);
    return seconds;
}


/// Sibling displacement when one box was expanded, measured with its centre kept still.
struct CentreStability {
    long siblings = 0, stayed = 0;    ///< the expanded box's own frame
    long allLevels = 0, allStayed = 0; ///< every frame from there up to the root
    double maxRatio = 0;               ///< largest move / own size, own frame
    double maxRatioAll = 0;            ///< same over every level
};

CentreStability centreStability(const LayoutResult& before, const LayoutResult& after, uint64_t id)
{
    CentreStability st;
    std::unordered_map<uint64_t, const NodeBox*> old;
    for (const NodeBox& b : before.boxes)
        old.emplace(b.id, &b);
    const NodeBox* a = findBox(after, id);
    const auto ob = old.find(id);
    if (!a || ob == old.end())
        return st;
    // Scene translation keeping the expanded box's centre still (what the view does).
    const double sx = ob->second->center().x - a->center().x, sy = ob->second->center().y - a->center().y;
    std::vector<int> path; // frames from the expanded box's parent up to the root
    for (int p = a->parent; p >= 0; p = after.boxes[size_t(p)].parent)
        path.push_back(p);
    for (size_t level = 0; level < path.size(); ++level) {
        const int frame = path[level];
        const int onPath = level == 0 ? int(a - after.boxes.data()) : path[level - 1];
        for (size_t i = 0; i < after.boxes.size(); ++i) {
            const NodeBox& q = after.boxes[i];
            if (q.parent != frame || int(i) == onPath)
                continue;
            const auto it = old.find(q.id);
            if (it == old.end())
                continue;
            const double dx = std::abs(q.center().x + sx - it->second->center().x);
            const double dy = std::abs(q.center().y + sy - it->second->center().y);
            const double ratio = std::max(dx / std::max(q.w, 1e-9), dy / std::max(q.h, 1e-9));
            const bool stayed = dx < q.w && dy < q.h;
            if (level == 0) {
                ++st.siblings;
                st.stayed += stayed;
                st.maxRatio = std::max(st.maxRatio, ratio);
            }
            ++st.allLevels;
            st.allStayed += stayed;
            st.maxRatioAll = std::max(st.maxRatioAll, ratio);
        }
    }
    return st;
}

/// Expands every block of the real InceptionV3 and one sub-block in each, reports CentreStability figures.
void inceptionFileStability(bool quick)
{
    using namespace scopeviz::hierarchy;
    const std::string path = std::string(SCOPEVIZ_TESTDATA) + "/graphs/tf1.14-inceptionv3-hub-11040-nodes.graphdef.pb";
    Graph g;
    if (!std::filesystem::exists(path) || !importGraphFile(path, g).ok()) {
        std::printf("# InceptionV3 file not importable: grow-in-place figures skipped\n");
        return;
    }
    const auto tree = buildScopeTree(g);
    const ScopeId blocks = tree->findScope("module/InceptionV3/InceptionV3");
    if (blocks <= 0)
        return;
    ExpansionState base;
    base.reveal(*tree, blocks);
    LayoutEngine engine;
    auto layoutOf = [&](const ExpansionState& st, double* seconds) {
        const double t0 = bench::now();
        auto r = engine.layoutNow(toLayoutRequest(buildVisibleGraph(*tree, st)));
        if (seconds)
            *seconds = bench::now() - t0;
        return r;
    };
    const auto top = layoutOf(base, nullptr);
    struct Level {
        long siblings = 0, stayed = 0, all = 0, allStayed = 0, count = 0;
        double minFraction = 1, maxRatio = 0, maxRatioAll = 0;
        std::vector<double> times;
        void add(const CentreStability& c, double seconds)
        {
            siblings += c.siblings;
            stayed += c.stayed;
            all += c.allLevels;
            allStayed += c.allStayed;
            if (c.siblings > 0)
                minFraction = std::min(minFraction, double(c.stayed) / double(c.siblings));
            maxRatio = std::max(maxRatio, c.maxRatio);
            maxRatioAll = std::max(maxRatioAll, c.maxRatioAll);
            times.push_back(seconds);
            ++count;
        }
        void report(const std::string& what) const
        {
            const std::string n = "layout_grow_in_place_inception_file_" + what;
            bench::report(n + "_expanded", double(count), "scopes");
            bench::report(n + "_siblings_moved_less_than_own_size_min", minFraction, "fraction");
            bench::report(n + "_siblings_moved_less_than_own_size_overall",
                          siblings ? double(stayed) / double(siblings) : 1.0, "fraction");
            bench::report(n + "_all_levels_moved_less_than_own_size_overall",
                          all ? double(allStayed) / double(all) : 1.0, "fraction");
            bench::report(n + "_max_move_per_own_size", maxRatio, "ratio");
            bench::report(n + "_all_levels_max_move_per_own_size", maxRatioAll, "ratio");
            bench::report(n + "_expand_median_ms", median(times) * 1e3, "ms");
        }
    };
    Level blockLevel, subLevel;
    long exact = 0, tried = 0;
    size_t k = 0;
    for (ScopeId b : tree->scope(blocks).children) {
        if (tree->scope(b).children.empty() || (quick && k >= 6))
            continue;
        ++k;
        ExpansionState open = base;
        open.expand(b);
        double s = 0;
        const auto opened = layoutOf(open, &s);
        blockLevel.add(centreStability(*top, *opened, scopeKey(b)), s);
        const auto& subs = tree->scope(b).children;
        const ScopeId sb = subs[(k * 7) % subs.size()];
        if (!tree->scope(sb).children.empty() || tree->scope(sb).items.size() > 1) {
            ExpansionState open2 = open;
            open2.expand(sb);
            const auto subOpened = layoutOf(open2, &s);
            subLevel.add(centreStability(*opened, *subOpened, scopeKey(sb)), s);
            exact += hierarchy::sameGeometry(*opened, *layoutOf(open, nullptr), 0.0) ? 1 : 0;
            ++tried;
        }
        exact += hierarchy::sameGeometry(*top, *layoutOf(base, nullptr), 0.0) ? 1 : 0;
        ++tried;
    }
    blockLevel.report("block");
    subLevel.report("subblock");
    bench::report("layout_grow_in_place_inception_file_collapse_returns_exactly",
                  tried ? double(exact) / double(tried) : 1.0, "fraction");
}

} // namespace

int main(int argc, char** argv)
{
    bool quick = false;
    size_t flatCap = 2000; // ops in the flat-dot yardstick: ~10 s of dot on an idle machine
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--quick") == 0)
            quick = true;
        else if (std::strcmp(argv[i], "--grow-only") == 0) { // just the InceptionV3-file figures
            inceptionFileStability(false);
            return 0;
        } else if (std::strcmp(argv[i], "--flat-leaves") == 0 && i + 1 < argc)
            flatCap = size_t(std::stoul(argv[++i]));
    }
    if (quick)
        flatCap = std::min<size_t>(flatCap, 800);
    double s = 0;

    // 1. Uniform tree, root expanded only.
    {
        const int depth = quick ? 4 : 5; // levels below the root: 10^5 leaves (10^4 quick)
        const synth::Tree t = synth::uniformTree(depth, 10);
        const std::string tag = cat("uniform_d", depth + 1, "_f10_", t.leafCount(), "leaves");
        double t0 = bench::now();
        const LayoutRequest req = synth::buildRequest(t, synth::rootOnly(t));
        bench::report(cat("layout_", tag, "_build_request_s"), bench::now() - t0, "s");
        LayoutEngine engine;
        timed(engine, req, s);
        reportGoal(cat("layout_", tag, "_root_cold_s"), s, 0.100, "s");
        engine.clearCache();
        timed(engine, req, s);
        reportGoal(cat("layout_", tag, "_root_warm_s"), s, 0.100, "s");
        // Open a path from the root to the deepest scope, one level at a time.
        synth::Expansion e = synth::rootOnly(t);
        int v = 0;
        std::vector<double> steps;
        while (!t.isLeaf(t.nodes[size_t(v)].children[0])) {
            v = t.nodes[size_t(v)].children[0];
            e[size_t(v)] = 1;
            timed(engine, synth::buildRequest(t, e), s);
            steps.push_back(s);
        }
        reportGoal(cat("layout_", tag, "_expand_path_step_median_s"), median(steps), 0.030, "s");
    }

    // 2. InceptionV3-like tree.
    const int blocks = quick ? 6 : 20;
    const synth::Tree t = synth::inceptionLike(blocks);
    const std::string tag = cat("inception_", t.leafCount(), "ops_", t.leafEdges.size(), "edges");
    const LayoutRequest top = synth::buildRequest(t, synth::rootOnly(t));
    LayoutEngine engine;
    timed(engine, top, s);
    reportGoal(cat("layout_", tag, "_top_level_cold_s"), s, 0.050, "s");
    engine.clearCache();
    timed(engine, top, s);
    reportGoal(cat("layout_", tag, "_top_level_warm_s"), s, 0.050, "s");

    // Expand each of (up to) 20 blocks from the top-level view, one sub-block inside it, then
    // collapse back to the top level.
    const auto& topBlocks = t.nodes[0].children;
    // Stability figures for the anchors a GUI might keep still: the expanded box's top-centre
    // (anchorShift()), its top-left corner, and its centre (centreShift(), what the view does now
    // that scopes grow in place).
    struct Worst {
        double ratio[3] = {0, 0, 0}, excess[3] = {0, 0, 0}, order = 1;
        long siblings[3] = {0, 0, 0}, stayed[3] = {0, 0, 0};
        void add(const LayoutResult& before, const LayoutResult& after, uint64_t id)
        {
            for (int a = 0; a < 3; ++a) {
                const synth::Stability st = synth::measureStability(before, after, id, a != 1, a == 2);
                ratio[a] = std::max(ratio[a], st.maxRatio);
                excess[a] = std::max(excess[a], st.maxExcessRatio);
                order = std::min(order, st.orderKept);
                siblings[a] += st.siblings;
                stayed[a] += st.stayed;
            }
        }
        void report(const std::string& what) const
        {
            for (int a = 0; a < 3; ++a) {
                const char* anchor = a == 0 ? "_topcenter" : a == 1 ? "_topleft" : "_centre";
                const std::string name = cat("layout_stability_", what, anchor);
                bench::report(name + "_max_displacement_per_size", ratio[a], "ratio");
                bench::report(name + "_max_excess_displacement_per_size", excess[a], "ratio");
                bench::report(name + "_siblings_moved_less_than_own_size",
                              siblings[a] ? double(stayed[a]) / double(siblings[a]) : 1.0, "fraction");
            }
            bench::report(cat("layout_stability_", what, "_order_kept"), order, "fraction");
        }
    };
    {
        const auto base = engine.layoutNow(top);
        std::vector<double> expandTimes, subExpandTimes;
        Worst block, sub;
        bool exact = true;
        for (size_t k = 0; k < 20; ++k) {
            const int b = topBlocks[k % topBlocks.size()];
            synth::Expansion e = synth::rootOnly(t);
            e[size_t(b)] = 1;
            const auto opened = timed(engine, synth::buildRequest(t, e), s);
            if (k < topBlocks.size()) { // the first time each block opens (later: cache hits)
                expandTimes.push_back(s);
                block.add(*base, *opened, t.nodes[size_t(b)].id);
            }
            const int sb = t.nodes[size_t(b)].children[(k * 7) % t.nodes[size_t(b)].children.size()];
            synth::Expansion e2 = e;
            e2[size_t(sb)] = 1;
            const auto subOpened = timed(engine, synth::buildRequest(t, e2), s);
            subExpandTimes.push_back(s);
            sub.add(*opened, *subOpened, t.nodes[size_t(sb)].id);
            const auto back = engine.layoutNow(top);
            exact = exact && sameGeometry(*base, *back) && back->clustersLaidOut == 0;
        }
        reportGoal(cat("layout_", tag, "_expand_block_median_s"), median(expandTimes), 0.030, "s");
        reportGoal(cat("layout_", tag, "_expand_subblock_median_s"), median(subExpandTimes), 0.030, "s");
        bench::report("layout_stability_collapse_returns_exactly", exact ? 1 : 0, "bool");
        block.report("inception_block");
        sub.report("inception_subblock");
    }
    // A branchier top level: 30 scopes wired as a random DAG; expand each in turn.
    {
        const synth::Tree d = synth::randomScopeDag(30);
        LayoutEngine eng;
        const LayoutRequest dtop = synth::buildRequest(d, synth::rootOnly(d));
        const auto base = eng.layoutNow(dtop);
        Worst w;
        for (int sc : d.nodes[0].children) {
            synth::Expansion e = synth::rootOnly(d);
            e[size_t(sc)] = 1;
            w.add(*base, *eng.layoutNow(synth::buildRequest(d, e)), d.nodes[size_t(sc)].id);
        }
        w.report("dag30_scope");
    }

    // Everything expanded, cold cache.
    synth::Expansion all(t.nodes.size(), 1);
    const LayoutRequest full = synth::buildRequest(t, all);
    {
        LayoutEngine cold;
        const double c0 = cpuSeconds();
        const auto r = timed(cold, full, s);
        const double cpu = cpuSeconds() - c0;
        reportGoal(cat("layout_", tag, "_all_expanded_cold_s"), s, 5.0, "s");
        reportGoal(cat("layout_", tag, "_all_expanded_cold_cpu_s"), cpu, 5.0, "s");
        bench::report(cat("layout_", tag, "_all_expanded_clusters"), r->clustersLaidOut, "clusters");
        bench::report(cat("layout_", tag, "_all_expanded_boxes"), double(r->boxes.size()), "boxes");
    }

    // Yardstick: one flat dot layout of the same ops. All 10.8k ops in one dot call would take far
    // more than 60 s (2.9k took 20 s), so the comparison uses the first blocks only, named in the
    // BENCH lines. CPU seconds are reported too: the machine is shared, wall time varies with load.
    {
        int k = 1;
        while (k < blocks && synth::inceptionLike(k + 1).leafCount() <= flatCap)
            ++k;
        const synth::Tree part = synth::inceptionLike(k);
        size_t leaves = 0;
        const double c0 = cpuSeconds();
        const double flat = flatDotSeconds(part, leaves);
        const double flatCpu = cpuSeconds() - c0;
        LayoutEngine cold;
        const double c1 = cpuSeconds();
        timed(cold, synth::buildRequest(part, synth::Expansion(part.nodes.size(), 1)), s);
        const double hierCpu = cpuSeconds() - c1;
        const std::string ptag = cat("inception_first", k, "blocks_", leaves, "ops");
        bench::report(cat("layout_flat_dot_", ptag, "_s"), flat, "s");
        bench::report(cat("layout_flat_dot_", ptag, "_cpu_s"), flatCpu, "s");
        bench::report(cat("layout_hier_all_expanded_", ptag, "_s"), s, "s");
        bench::report(cat("layout_hier_all_expanded_", ptag, "_cpu_s"), hierCpu, "s");
        bench::report(cat("layout_hier_vs_flat_dot_", ptag, "_ratio"), s / flat, "x");
        bench::report(cat("layout_hier_vs_flat_dot_", ptag, "_cpu_ratio"), hierCpu / flatCpu, "x");
    }

    // Big clusters: the fast fallback at 10,000 children and dot at the 400-child limit.
    for (const int children : {10000, 400}) {
        LayoutRequest r;
        LayoutClusterInput root;
        root.id = 1;
        synth::Rng rng(17);
        for (int i = 0; i < children; ++i) {
            LayoutNodeInput n;
            n.id = uint64_t(i) + 1;
            n.width = 40 + rng.below(80);
            n.height = 24;
            root.children.push_back(n);
        }
        for (int i = 1; i < children; ++i) {
            LayoutEdgeInput e;
            e.from = uint64_t(rng.below(i)) + 1; // a random DAG, ~1.3 edges per node
            e.to = uint64_t(i) + 1;
            root.edges.push_back(e);
            if (i % 3 == 0) {
                e.from = uint64_t(rng.below(i)) + 1;
                root.edges.push_back(e);
            }
        }
        r.clusters = {root};
        LayoutEngine big;
        const auto res = timed(big, r, s);
        if (children > 1000)
            reportGoal(cat("layout_fallback_", children, "children_s"), s, 1.0, "s");
        else
            bench::report(cat("layout_dot_", children, "children_", root.edges.size(), "edges_s"), s, "s");
        if (res->boxes.size() != size_t(children) + 1)
            std::printf("ERROR: %zu boxes\n", res->boxes.size());
    }
    inceptionFileStability(quick);
    bench::report("layout_peak_rss", double(bench::peakRssBytes()) / 1e6, "MB");
    return 0;
}
