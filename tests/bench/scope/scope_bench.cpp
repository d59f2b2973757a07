// Benchmark of the scoping engine: building a large graph under TF 1.x naming.
//
//   scopeviz_bench_scope [--quick] [--ops N]
//
// Workload (from the issue): build a graph of 1,000,000 ops (g.numOps()) in
// nested scopes of depth 8 — four variable scopes re-entered by string (and
// now and then by captured object) alternating with four name scopes — with
// ops::plus / ops::add / ops::relu chains at the leaves, and every 10th leaf
// action a getVariable of a small variable under AUTO_REUSE (mostly reuses;
// each new variable adds its ~10 initializer/variable ops).
//
// Goals: >= 1,000,000 ops/s on one core, <= 400 bytes per op. Figures:
//   BENCH scope_build_ops_per_s      (and _vs_goal = measured / goal, >= 1 is good)
//   BENCH scope_bytes_per_op         RSS growth / ops (and _vs_goal, <= 1 is good)
//   BENCH scope_graph_bytes_per_op   Graph::approximateBytes() / ops
#include "core/graph/graph.h"
#include "core/ops/get_variable.h"
#include "core/ops/ops.h"
#include "core/scope/variable_scope.h"
#include "tests/bench/bench.h"

#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

using namespace scopeviz;

namespace {

constexpr double kGoalOpsPerSecond = 1'000'000;
constexpr double kGoalBytesPerOp = 400;
constexpr int kDepth = 8;          // 4 variable scopes + 4 name scopes
constexpr int kActionsPerLeaf = 40; // every 10th is a getVariable

struct Stats {
    long getVariableCalls = 0;
    long scopeEntries = 0;
    long leaves = 0;
};

/// Builds until the graph holds `target` ops; returns counters.
Stats build(Graph& g, int target)
{
    static const char* const kVarScopes[4][4] = {{"block0", "block1", "block2", "block3"},
                                                 {"layer0", "layer1", "layer2", "layer0"},
                                                 {"unit0", "unit1", "unit0", "unit1"},
                                                 {"cell", "cell", "cell", "cell"}};
    static const char* const kNameScopes[4][2] = {{"pre", "post"}, {"conv", "conv"}, {"gate", "mix"}, {"out", "out"}};
    static const char* const kVarNames[4] = {"w0", "w1", "b0", "b1"};
    Stats st;
    Output x = ops::placeholder(g, DType::Float, Shape{4}, "x");
    std::vector<VarScope> captured;
    for (long iter = 0; g.numOps() < target; ++iter) {
        std::optional<VariableScope> vs[4];
        std::optional<NameScope> ns[4];
        for (int d = 0; d < kDepth / 2; ++d) {
            if (d == 1 && iter % 5 == 4 && !captured.empty())
                vs[d].emplace(g, captured[size_t(iter) % captured.size()], Reuse::AutoReuse); // object re-entry
            else
                vs[d].emplace(g, kVarScopes[d][(iter >> (2 * d)) % 4], Reuse::AutoReuse); // string re-entry: name scope _N
            ns[d].emplace(g, kNameScopes[d][iter % 2]);
            st.scopeEntries += 2;
        }
        if (captured.size() < 8)
            captured.push_back(vs[1]->scope());
        Output prev = x, other = x;
        for (int k = 0; k < kActionsPerLeaf; ++k) {
            if (k % 10 == 9) {
                other = getVariable(g, kVarNames[(k / 10) % 4], {4}).value();
                ++st.getVariableCalls;
                continue;
            }
            switch (k % 3) {
            case 0: prev = ops::plus(g, prev, other); break;
            case 1: prev = ops::add(g, prev, x); break;
            default: prev = ops::relu(g, prev); break;
            }
        }
        // Leave in exact reverse order of entry.
        for (int d = kDepth / 2 - 1; d >= 0; --d) {
            ns[d].reset();
            vs[d].reset();
        }
        ++st.leaves;
    }
    return st;
}

/// CPU seconds of this process: the machine is shared, so "ops/s on one core" is
/// measured in CPU time rather than wall time (both are printed).
double cpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

void reportGoal(const std::string& name, double value, double goal, const std::string& unit)
{
    bench::report(name, value, unit);
    bench::report(name + "_vs_goal", value / goal, "x");
}

} // namespace

int main(int argc, char** argv)
{
    int target = 1'000'000;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--quick") == 0)
            target = 100'000;
        else if (std::strcmp(argv[i], "--ops") == 0 && i + 1 < argc)
            target = std::atoi(argv[++i]);
    }

    // Warm the op registry and the symbol table outside the measurement.
    {
        Graph warm;
        build(warm, 2000);
    }

    const long rssBefore = bench::currentRssBytes();
    auto g = std::make_unique<Graph>();
    const double t0 = bench::now(), c0 = cpuSeconds();
    const Stats st = build(*g, target);
    const double wall = bench::now() - t0, seconds = cpuSeconds() - c0;
    const long rssAfter = bench::currentRssBytes();

    const double ops = g->numOps();
    std::printf("# %d ops, %ld leaves at depth %d, %ld getVariable calls (%zu variables), %ld scope entries, "
                "%zu trace events, %.3f s CPU, %.3f s wall\n",
                g->numOps(), st.leaves, kDepth, st.getVariableCalls, g->variables().size(), st.scopeEntries,
                g->trace().size(), seconds, wall);
    std::printf("# last op: %.*s\n", int(g->op(g->numOps() - 1).name().size()), g->op(g->numOps() - 1).name().data());
    reportGoal("scope_build_ops_per_s", ops / seconds, kGoalOpsPerSecond, "ops/s");
    bench::report("scope_build_ops_per_wall_s", ops / wall, "ops/s");
    reportGoal("scope_bytes_per_op", double(rssAfter - rssBefore) / ops, kGoalBytesPerOp, "B");
    bench::report("scope_graph_bytes_per_op", double(g->approximateBytes()) / ops, "B");
    return 0;
}
