// Benchmark of GraphDef import and export (core/io/graphdef_io.h).
//
//   scopeviz_bench_io [--quick]
//
// Figures (BENCH lines; "_vs_goal" lines are measured / goal, below 1 is good):
//  - import of the 11,040-node InceptionV3 GraphDef from its file: median wall
//    time of several runs (goal 150 ms), and the median CPU time of the same
//    runs (immune to other jobs on the machine), plus peak RSS;
//  - import of the 6,233-node TF2 Keras graph from its 2.4 MB event file;
//  - export of the seed demo and of the imported InceptionV3 graph, binary and text.
// --quick runs each measurement 3 times instead of 9.
#include "core/demo/seed_demo.h"
#include "core/io/graphdef_io.h"
#include "tests/bench/bench.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <functional>
#include <string>
#include <vector>

using namespace scopeviz;

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : (v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2);
}

double cpuSeconds() { return double(std::clock()) / CLOCKS_PER_SEC; }

/// Runs `f` `runs` times; returns the median wall and CPU milliseconds.
std::pair<double, double> timeRuns(int runs, const std::function<void()>& f)
{
    std::vector<double> wall, cpu;
    for (int i = 0; i < runs; ++i) {
        const double w0 = bench::now(), c0 = cpuSeconds();
        f();
        wall.push_back((bench::now() - w0) * 1e3);
        cpu.push_back((cpuSeconds() - c0) * 1e3);
    }
    return {median(wall), median(cpu)};
}

/// The event file inside a testdata/events folder.
std::string eventFile(const std::string& folder)
{
    const std::string dir = std::string(SCOPEVIZ_TESTDATA) + "/events/" + folder;
    std::string found;
    if (DIR* d = opendir(dir.c_str())) {
        while (dirent* e = readdir(d))
            if (std::strstr(e->d_name, "tfevents"))
                found = dir + "/" + e->d_name;
        closedir(d);
    }
    return found;
}

} // namespace

int main(int argc, char** argv)
{
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    const int runs = quick ? 3 : 9;
    const std::string inception =
        std::string(SCOPEVIZ_TESTDATA) + "/graphs/tf1.14-inceptionv3-hub-11040-nodes.graphdef.pb";

    // ---- import -------------------------------------------------------------
    {
        Graph warm; // page cache, protobuf descriptors, op registry
        if (!importGraphFile(inception, warm).ok()) {
            std::fprintf(stderr, "cannot import %s\n", inception.c_str());
            return 1;
        }
    }
    auto [wall, cpu] = timeRuns(runs, [&] {
        Graph g;
        auto r = importGraphFile(inception, g);
        if (!r.ok() || g.numOps() != 11040)
            std::abort();
    });
    bench::report("io_import_inceptionv3_11040_ms", wall, "ms");
    bench::report("io_import_inceptionv3_11040_vs_goal", wall / 150.0, "x");
    bench::report("io_import_inceptionv3_11040_cpu_ms", cpu, "ms");
    bench::report("io_import_peak_rss", double(bench::peakRssBytes()) / (1 << 20), "MiB");

    const std::string tf2 = eventFile("tf2-keras-tensor-scalars-graph");
    auto [tf2Wall, tf2Cpu] = timeRuns(runs, [&] {
        Graph g;
        if (!importGraphFile(tf2, g).ok())
            std::abort();
    });
    bench::report("io_import_tf2_event_file_6233_ms", tf2Wall, "ms");
    bench::report("io_import_tf2_event_file_6233_cpu_ms", tf2Cpu, "ms");

    // ---- export -------------------------------------------------------------
    Graph seed;
    demo::buildSeedDemo(seed, true);
    Graph big;
    if (!importGraphFile(inception, big).ok())
        return 1;
    size_t sink = 0;
    for (bool binary : {true, false}) {
        ExportOptions o;
        o.binary = binary;
        const std::string kind = binary ? "pb" : "pbtxt";
        auto [seedWall, seedCpu] = timeRuns(runs * 5, [&] { sink += exportGraphDef(seed, o).size(); });
        bench::report("io_export_seed_demo_" + kind + "_ms", seedWall, "ms");
        auto [bigWall, bigCpu] = timeRuns(runs, [&] { sink += exportGraphDef(big, o).size(); });
        bench::report("io_export_inceptionv3_" + kind + "_ms", bigWall, "ms");
        bench::report("io_export_inceptionv3_" + kind + "_cpu_ms", bigCpu, "ms");
        bench::report("io_export_inceptionv3_" + kind + "_bytes", double(exportGraphDef(big, o).size()), "B");
    }
    return sink == 0;
}
