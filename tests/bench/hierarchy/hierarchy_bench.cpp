// Benchmark of the scope hierarchy and its layouts (scopeviz_bench_hierarchy).
//
//   InceptionV3 (11,040 ops, imported): hierarchy build (goal 50 ms), first
//   layout with the top level collapsed (goal 50 ms), expanding one scope
//   (median over many scopes, goal 30 ms), everything expanded (goal 5 s),
//   and stability: largest displacement of other boxes over their own size
//   when one scope opens (beyond the room it needs), and whether collapsing
//   it again returns every box exactly.
//   Generated graph (100,000 ops, 6 levels, fan-out 10): hierarchy build (goal
//   500 ms) and top-level layout (goal 100 ms).
//   Hierarchical full expansion against one flat dot layout of the same
//   generated graph (ratio; the flat layout uses a smaller graph, dot's cost
//   grows too fast for 100k nodes).
//
// --quick shrinks repetitions and the generated graphs.
#include "core/hierarchy/layout_bridge.h"
#include "core/hierarchy/scope_tree.h"
#include "core/hierarchy/visible_graph.h"
#include "core/io/graphdef_io.h"
#include "core/layout/layout_engine.h"
#include "tests/bench/bench.h"
#include "tests/core/hierarchy/graph_fixtures.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

using namespace scopeviz;
using namespace scopeviz::hierarchy;
using bench::now;
using bench::report;

namespace {

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void reportWithGoal(const std::string& name, double value, const std::string& unit, double goal)
{
    report(name, value, unit);
    report(name + "_vs_goal", value / goal, "ratio");
}

/// CPU seconds of this thread (the machine may be shared: wall time then overstates).
double cpuNow()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

/// Median wall seconds of buildScopeTree over `runs` runs; the median CPU seconds go to `cpu`.
double buildTime(const Graph& g, int runs, std::shared_ptr<const ScopeTree>& tree, double& cpu)
{
    std::vector<double> times, cpus;
    for (int i = 0; i < runs; ++i) {
        const double t0 = now(), c0 = cpuNow();
        tree = buildScopeTree(g);
        times.push_back(now() - t0);
        cpus.push_back(cpuNow() - c0);
    }
    cpu = median(cpus);
    return median(times);
}

/// Seconds to go from an expansion state to a finished layout (visible graph, request, layout).
double layoutTime(layout::LayoutEngine& engine, const ScopeTree& tree, const ExpansionState& st,
                  std::shared_ptr<const layout::LayoutResult>* out = nullptr)
{
    const double t0 = now();
    const VisibleGraph vg = buildVisibleGraph(tree, st);
    auto r = engine.layoutNow(toLayoutRequest(vg));
    const double dt = now() - t0;
    if (out)
        *out = std::move(r);
    return dt;
}

/// Scopes worth expanding one at a time: depth <= maxDepth, at least 2 items, not series members;
/// `limit` of them spread evenly over the tree (small and big blocks alike).
std::vector<ScopeId> candidateScopes(const ScopeTree& t, int maxDepth, size_t limit)
{
    std::vector<ScopeId> all;
    for (ScopeId s = 1; s < t.numScopes(); ++s)
        if (t.scope(s).depth <= maxDepth && t.scope(s).items.size() >= 2 && t.scope(s).series < 0)
            all.push_back(s);
    if (all.size() <= limit)
        return all;
    std::vector<ScopeId> out;
    for (size_t i = 0; i < limit; ++i)
        out.push_back(all[i * all.size() / limit]);
    return out;
}

/// Expands each candidate from `base` in turn (timed), measures stability, collapses again.
void expandOneByOne(const std::string& prefix, const ScopeTree& t, const ExpansionState& base,
                    const std::vector<ScopeId>& scopes)
{
    layout::LayoutEngine engine;
    std::shared_ptr<const layout::LayoutResult> before;
    layoutTime(engine, t, base, &before);
    std::vector<double> times;
    double worstExcess = 0, worstRatio = 0;
    int compared = 0, stayed = 0, exact = 0, tried = 0;
    for (ScopeId s : scopes) {
        if (base.isExpanded(s))
            continue;
        ExpansionState open = base;
        open.reveal(t, s);
        std::shared_ptr<const layout::LayoutResult> after, back;
        times.push_back(layoutTime(engine, t, open, &after));
        const StabilityFigures f = measureStability(*before, *after, scopeKey(s));
        worstExcess = std::max(worstExcess, f.maxExcessRatio);
        worstRatio = std::max(worstRatio, f.maxRatio);
        compared += f.compared;
        stayed += f.movedLessThanSize;
        layoutTime(engine, t, base, &back);
        exact += sameGeometry(*before, *back) ? 1 : 0;
        ++tried;
    }
    report(prefix + "_expand_scopes", tried, "scopes");
    reportWithGoal(prefix + "_expand_one_median_ms", median(times) * 1e3, "ms", 30);
    report(prefix + "_expand_one_max_ms", times.empty() ? 0 : *std::max_element(times.begin(), times.end()) * 1e3,
           "ms");
    report(prefix + "_stability_max_excess_over_size", worstExcess, "ratio");
    report(prefix + "_stability_max_displacement_over_size", worstRatio, "ratio");
    report(prefix + "_stability_boxes_moved_less_than_size", compared ? double(stayed) / compared : 1.0, "fraction");
    report(prefix + "_stability_exact_return_after_collapse", tried ? double(exact) / tried : 1.0, "fraction");
}

/// One flat cluster with every op as a box and every op-level edge, laid out by dot alone.
layout::LayoutRequest flatRequest(const Graph& g, const ScopeTree& t)
{
    const SizePolicy policy;
    layout::LayoutRequest req;
    layout::LayoutClusterInput c;
    c.id = scopeKey(RootScope);
    for (OpId op = 0; op < g.numOps(); ++op) {
        VisibleNode n;
        n.kind = NodeKind::Op;
        n.label = t.opLabel(op);
        const layout::Point sz = policy.boxSize(n);
        layout::LayoutNodeInput in;
        in.id = opKey(op);
        in.width = sz.x;
        in.height = sz.y;
        c.children.push_back(in);
        for (const Output& src : g.op(op).inputs()) {
            layout::LayoutEdgeInput e;
            e.from = opKey(src.op);
            e.to = opKey(op);
            c.edges.push_back(e);
        }
    }
    req.clusters.push_back(std::move(c));
    return req;
}

} // namespace

int main(int argc, char** argv)
{
    bool quick = false;
    for (int i = 1; i < argc; ++i)
        quick = quick || std::strcmp(argv[i], "--quick") == 0;
    const int runs = quick ? 3 : 9;

    // ---- InceptionV3 -------------------------------------------------------------
    {
        Graph g;
        const std::string path = std::string(SCOPEVIZ_TESTDATA) + "/graphs/tf1.14-inceptionv3-hub-11040-nodes.graphdef.pb";
        std::string prefix = "hier_inception";
        if (!std::filesystem::exists(path) || !importGraphFile(path, g).ok()) {
            std::printf("# InceptionV3 not importable: using a synthetic 11k-op graph instead\n");
            prefix = "hier_synthetic11k";
            hierarchy::fixtures::buildGeneratedGraph(g, 3, 22);
        }
        std::shared_ptr<const ScopeTree> tree;
        double cpu = 0;
        const double build = buildTime(g, runs, tree, cpu);
        report(prefix + "_ops", g.numOps(), "ops");
        report(prefix + "_scopes", tree->numScopes(), "scopes");
        reportWithGoal(prefix + "_hierarchy_build_ms", build * 1e3, "ms", 50);
        reportWithGoal(prefix + "_hierarchy_build_cpu_ms", cpu * 1e3, "ms", 50);
        for (const auto& [phase, sec] : tree->phaseSeconds())
            report(prefix + "_build_" + phase + "_ms", sec * 1e3, "ms");
        report(prefix + "_shared_variables", tree->numSharedVariables(), "variables");

        {
            layout::LayoutEngine engine; // fresh: nothing cached
            reportWithGoal(prefix + "_first_layout_top_level_ms", layoutTime(engine, *tree, ExpansionState{}) * 1e3,
                           "ms", 50);
        }

        // Expanding one scope at a time, with the path to the model's blocks open (the view a user has
        // after opening module/InceptionV3/InceptionV3), over many scopes.
        ExpansionState base;
        const ScopeId blocks = tree->findScope("module/InceptionV3/InceptionV3");
        if (blocks > 0)
            base.reveal(*tree, blocks);
        std::vector<ScopeId> scopes = candidateScopes(*tree, blocks > 0 ? 5 : 2, quick ? 12 : 60);
        expandOneByOne(prefix, *tree, base, scopes);

        {
            layout::LayoutEngine engine;
            std::shared_ptr<const layout::LayoutResult> all;
            const double t = layoutTime(engine, *tree, ExpansionState::all(*tree), &all);
            reportWithGoal(prefix + "_everything_expanded_s", t, "s", 5);
            report(prefix + "_everything_expanded_boxes", double(all->boxes.size()), "boxes");
            report(prefix + "_everything_expanded_fallback_clusters", all->clustersFallback, "clusters");
        }
    }

    // ---- generated 100,000-op graph -------------------------------------------------------
    {
        Graph g;
        const int depth = quick ? 3 : 4; // quick: 10,000 ops
        const double t0 = now();
        hierarchy::fixtures::buildGeneratedGraph(g, depth, 10);
        report("hier_generated_graph_make_s", now() - t0, "s");
        report("hier_generated_ops", g.numOps(), "ops");
        std::shared_ptr<const ScopeTree> tree;
        double cpu = 0;
        const double build = buildTime(g, quick ? 2 : 5, tree, cpu);
        report("hier_generated_scopes", tree->numScopes(), "scopes");
        reportWithGoal("hier_generated_hierarchy_build_ms", build * 1e3, "ms", 500);
        reportWithGoal("hier_generated_hierarchy_build_cpu_ms", cpu * 1e3, "ms", 500);
        for (const auto& [phase, sec] : tree->phaseSeconds())
            report("hier_generated_build_" + phase + "_ms", sec * 1e3, "ms");
        layout::LayoutEngine engine;
        reportWithGoal("hier_generated_top_level_layout_ms", layoutTime(engine, *tree, ExpansionState{}) * 1e3, "ms",
                       100);
        const double tVisible0 = now();
        const VisibleGraph all = buildVisibleGraph(*tree, ExpansionState::all(*tree));
        report("hier_generated_visible_graph_all_ms", (now() - tVisible0) * 1e3, "ms");
        report("hier_generated_visible_nodes_all", double(all.nodes().size()), "nodes");
    }

    // ---- hierarchical full expansion vs one flat dot layout --------------------------------
    {
        Graph g;
        const int depth = quick ? 2 : 3, fanout = quick ? 5 : 6; // 125 or 1,296 ops
        hierarchy::fixtures::buildGeneratedGraph(g, depth, fanout);
        const auto tree = buildScopeTree(g);
        layout::LayoutEngine hier;
        const double th = layoutTime(hier, *tree, ExpansionState::all(*tree));
        layout::LayoutSettings flatSettings;
        flatSettings.maxDotChildren = 1 << 30;
        flatSettings.maxDotEdges = 1 << 30;
        flatSettings.maxDotWork = std::numeric_limits<decltype(flatSettings.maxDotWork)>::max();
        layout::LayoutEngine flat(flatSettings);
        const layout::LayoutRequest req = flatRequest(g, *tree);
        const double t0 = now();
        const auto r = flat.layoutNow(req);
        const double tf = now() - t0;
        report("hier_flat_compare_ops", g.numOps(), "ops");
        report("hier_full_expansion_hierarchical_ms", th * 1e3, "ms");
        report("hier_full_expansion_flat_dot_ms", tf * 1e3, "ms");
        report("hier_flat_dot_over_hierarchical", th > 0 ? tf / th : 0, "ratio");
        report("hier_flat_dot_fallback_used", r->clustersFallback, "clusters");
    }

    report("hier_peak_rss_mb", double(bench::peakRssBytes()) / (1024.0 * 1024.0), "MB");
    return 0;
}
