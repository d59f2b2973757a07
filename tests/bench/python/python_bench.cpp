// Benchmark of the Python binding: what building a graph costs per op from
// Python (scopeviz.compat.v1), beside the C++ engine's cost for the same ops.
//
//   scopeviz_bench_python [--quick] [--ops N]
//
// Workload (op_cost.py and buildWorkload below, kept identical): a placeholder
// x, then leaves of 100 `tf.add(y, x)` chained ops, each leaf inside
// variable_scope("block<i%4>") / name_scope("layer") /
// variable_scope("unit<i%2>", reuse=AUTO_REUSE) / name_scope("ops"). The
// variable scopes are re-entered by string, so their name scopes get _N
// suffixes as in TF. About 100,000 ops; CPU time per op created, after a
// warm-up run on a throwaway graph.
//
// Goal: <= 5 us per op from Python. Figures:
//   BENCH python_op_cost             us per op with tf.add
//   BENCH python_operator_op_cost    us per op with `y + x` (the overloaded operator, op "add")
//   BENCH cpp_op_cost                us per op with ops::add in C++
//   BENCH python_vs_cpp_op_cost      python_op_cost / cpp_op_cost
//   BENCH python_op_cost_vs_goal     python_op_cost / 5 us (<= 1 is good)
// The Python figures come from running op_cost.py with the build tree's
// module (SCOPEVIZ_PYTHON_DIR) on the interpreter it was built for.
#include "core/graph/graph.h"
#include "core/ops/ops.h"
#include "core/scope/variable_scope.h"
#include "tests/bench/bench.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <string>

using namespace scopeviz;

namespace {

constexpr double kGoalUsPerOp = 5.0;
constexpr int kOpsPerLeaf = 100;

/// Adds ops to `g` until it holds `target` more (the workload of op_cost.py); returns how many were added.
long buildWorkload(Graph& g, long target)
{
    Output x = ops::placeholder(g, DType::Float, Shape{4}, "x");
    const long start = g.numOps();
    char block[32], unit[32];
    for (long i = 0; g.numOps() - start < target; ++i) {
        std::snprintf(block, sizeof block, "block%ld", i % 4);
        std::snprintf(unit, sizeof unit, "unit%ld", i % 2);
        VariableScope vs1(g, block);
        NameScope ns1(g, std::optional<std::string_view>("layer"), std::nullopt);
        VariableScope vs2(g, unit, Reuse::AutoReuse);
        NameScope ns2(g, std::optional<std::string_view>("ops"), std::nullopt);
        Output y = x;
        for (int k = 0; k < kOpsPerLeaf; ++k)
            y = ops::add(g, y, x);
    }
    return g.numOps() - start;
}

double cpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

/// CPU microseconds per op of the C++ workload.
double cppOpCost(long target)
{
    {
        Graph warm;
        buildWorkload(warm, 1000);
    }
    Graph g;
    const double t0 = cpuSeconds();
    const long n = buildWorkload(g, target);
    const double t1 = cpuSeconds();
    return (t1 - t0) / double(n) * 1e6;
}

/// Runs op_cost.py and returns its "<name> <value>" lines (empty on failure).
std::map<std::string, double> runPython(long target)
{
    std::string path = SCOPEVIZ_PYTHON_DIR;
    if (const char* old = std::getenv("PYTHONPATH"); old && *old)
        path += std::string(":") + old;
    setenv("PYTHONPATH", path.c_str(), 1);
    const std::string cmd = std::string("'") + SCOPEVIZ_PYTHON_EXECUTABLE + "' -u '" + SCOPEVIZ_OP_COST_SCRIPT + "' " +
                            std::to_string(target);
    std::map<std::string, double> out;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p)
        return out;
    char line[512];
    while (std::fgets(line, sizeof line, p)) {
        char name[128];
        double value = 0;
        if (std::sscanf(line, "%127s %lf", name, &value) == 2)
            out[name] = value;
        else
            std::fputs(line, stderr);
    }
    if (pclose(p) != 0)
        out.clear();
    return out;
}

} // namespace

int main(int argc, char** argv)
{
    long target = 100'000;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--quick") == 0)
            target = 20'000;
        else if (std::strcmp(argv[i], "--ops") == 0 && i + 1 < argc)
            target = std::atol(argv[++i]);
    }
    const double cpp = cppOpCost(target);
    const auto py = runPython(target);
    if (!py.count("python_op_cost_us")) {
        std::fprintf(stderr, "scopeviz_bench_python: %s %s failed (is the module built in %s?)\n",
                     SCOPEVIZ_PYTHON_EXECUTABLE, SCOPEVIZ_OP_COST_SCRIPT, SCOPEVIZ_PYTHON_DIR);
        bench::report("cpp_op_cost", cpp, "us");
        return 1;
    }
    const double python = py.at("python_op_cost_us");
    bench::report("python_op_cost", python, "us");
    if (py.count("python_operator_cost_us"))
        bench::report("python_operator_op_cost", py.at("python_operator_cost_us"), "us");
    bench::report("cpp_op_cost", cpp, "us");
    bench::report("python_vs_cpp_op_cost", python / cpp, "x");
    bench::report("python_op_cost_vs_goal", python / kGoalUsPerOp, "x");
    return 0;
}
