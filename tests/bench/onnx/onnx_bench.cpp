// Benchmark of ONNX import (scopeviz_bench_onnx), each figure beside
// `onnx.load` of the onnx Python package on the same file (when python3-onnx
// is installed), which only parses the protobuf:
//
//   ViT-B/16 (tests/data/onnx/vit_b_16.onnx, 1,024 nodes): import + scope
//   tree + variable index (goal 50 ms; the import includes the checker and
//   shape inference, as PyTorch writes no value_info), and expanding one
//   encoder layer (visible graph + layout, goal 30 ms).
//   A synthetic decoder-only transformer of >= 30,000 nodes written here with
//   libonnx's messages, named as PyTorch names them (`/layers.7/self_attn/
//   q_proj/MatMul`), parameters as graph inputs (export_params=False), the
//   output projection tied to the embedding: import + hierarchy (goal
//   500 ms), expanding one layer (goal 30 ms), peak memory.
//
// --quick: fewer repetitions and a 30,000-node model all the same.
#include "core/hierarchy/layout_bridge.h"
#include "core/hierarchy/scope_tree.h"
#include "core/hierarchy/tree_report.h"
#include "core/hierarchy/variable_index.h"
#include "core/hierarchy/visible_graph.h"
#include "core/io/graphdef_io.h"
#include "core/layout/layout_engine.h"
#include "core/onnx/onnx_import.h"
#include "tests/bench/bench.h"
#include "tests/bench/onnx/synthetic_transformer.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace scopeviz;
using bench::now;
using bench::report;
namespace fs = std::filesystem;
using scopeviz::bench::writeTransformer;

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

void reportWithGoal(const std::string& name, double value, const std::string& unit, double goal)
{
    report(name, value, unit);
    report(name + "_vs_goal", value / goal, "ratio");
}

/// Median milliseconds of `onnx.load(path)` in the onnx Python package, or -1 when it cannot run.
double onnxLoadMs(const std::string& path, int runs)
{
    const std::string cmd = std::string(SCOPEVIZ_PYTHON) +
                            " -c \"import sys, time, onnx\n"
                            "ts = []\n"
                            "for _ in range(" + std::to_string(runs) + "):\n"
                            "    t = time.perf_counter(); onnx.load(sys.argv[1]); ts.append(time.perf_counter() - t)\n"
                            "print(sorted(ts)[len(ts) // 2] * 1e3)\" '" + path + "' 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    if (!p)
        return -1;
    char buf[64] = {};
    const bool got = std::fgets(buf, sizeof buf, p) != nullptr;
    const int rc = pclose(p);
    return got && rc == 0 ? std::atof(buf) : -1;
}

struct Opened {
    std::shared_ptr<Graph> graph;
    std::shared_ptr<const hierarchy::ScopeTree> tree;
    std::shared_ptr<const hierarchy::VariableIndex> index;
};

/// What opening a file costs the GUI's loader: import, scope tree, variable index.
Opened openModel(const std::string& path)
{
    Opened o;
    o.graph = std::make_shared<Graph>();
    auto r = importGraphFile(path, *o.graph);
    if (!r.ok()) {
        std::fprintf(stderr, "%s\n", r.error().c_str());
        std::exit(1);
    }
    o.tree = hierarchy::buildScopeTree(*o.graph);
    o.index = hierarchy::VariableIndex::build(*o.graph, o.tree);
    return o;
}

void importFigures(const std::string& prefix, const std::string& path, int runs, double goalMs)
{
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        const double t0 = now();
        Opened o = openModel(path);
        times.push_back(now() - t0);
    }
    const double ms = median(times) * 1e3;
    reportWithGoal(prefix + "_import_hierarchy_ms", ms, "ms", goalMs);
    const double load = onnxLoadMs(path, runs);
    if (load > 0) {
        report(prefix + "_onnx_load_ms", load, "ms");
        report(prefix + "_vs_onnx_load", ms / load, "ratio");
    }
}

/// Median milliseconds to lay out the view with one layer expanded (the path to it open), each
/// time a different layer (`pattern` with %d), so the layout cache never holds the answer.
void expandFigures(const std::string& prefix, const Opened& o, const char* pattern, int layers)
{
    layout::LayoutEngine engine;
    const hierarchy::ExpansionState base;
    engine.layoutNow(hierarchy::toLayoutRequest(hierarchy::buildVisibleGraph(*o.tree, base)));
    std::vector<double> times;
    for (int i = 0; i < layers; ++i) {
        char scope[256];
        std::snprintf(scope, sizeof scope, pattern, i);
        const double t0 = now();
        const hierarchy::ExpansionState st = hierarchy::expansionFromArguments(*o.tree, {scope});
        auto r = engine.layoutNow(hierarchy::toLayoutRequest(hierarchy::buildVisibleGraph(*o.tree, st)));
        times.push_back(now() - t0);
        if (i == 0)
            report(prefix + "_expand_one_layer_boxes", double(r->boxes.size()), "boxes");
    }
    reportWithGoal(prefix + "_expand_one_layer_ms", median(times) * 1e3, "ms", 30);
    report(prefix + "_expand_one_layer_max_ms", *std::max_element(times.begin(), times.end()) * 1e3, "ms");
}

/// Where the import's time goes: parse and build alone, with the checker, with shape inference.
void importBreakdown(const std::string& prefix, const std::string& path, int runs)
{
    std::ifstream in(path, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    auto time = [&](bool checker, bool infer) {
        OnnxImportOptions o;
        o.runChecker = checker;
        o.inferShapes = infer;
        std::vector<double> times;
        for (int i = 0; i < runs; ++i) {
            Graph g;
            const double t0 = now();
            (void)importOnnxBytes(bytes, path, g, o);
            times.push_back(now() - t0);
        }
        return median(times) * 1e3;
    };
    report(prefix + "_parse_build_ms", time(false, false), "ms");
    report(prefix + "_parse_build_checker_ms", time(true, false), "ms");
    report(prefix + "_parse_build_inference_ms", time(false, true), "ms");
}

} // namespace

int main(int argc, char** argv)
{
    if (argc == 3 && std::strcmp(argv[1], "--write-transformer") == 0) { // the model alone, e.g. for a screenshot
        std::printf("%d nodes written to %s\n", writeTransformer(argv[2], 30000), argv[2]);
        return 0;
    }
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    const int runs = quick ? 3 : 11;

    const std::string vit = std::string(SCOPEVIZ_TESTDATA) + "/onnx/vit_b_16.onnx";
    importFigures("onnx_vit_b_16", vit, runs, 50);
    importBreakdown("onnx_vit_b_16", vit, runs);
    {
        const Opened o = openModel(vit);
        report("onnx_vit_b_16_ops", o.graph->numOps(), "ops");
        expandFigures("onnx_vit_b_16", o, "encoder/layers/encoder_layer_%d", 12);
    }

    const fs::path dir = fs::temp_directory_path() / ("scopeviz-onnx-bench-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string big = (dir / "decoder.onnx").string();
    const int nodes = writeTransformer(big, 30000);
    report("onnx_transformer_nodes", nodes, "nodes");
    report("onnx_transformer_file_bytes", double(fs::file_size(big)), "bytes");
    const long rssBefore = bench::currentRssBytes();
    {
        const double t0 = now();
        const Opened o = openModel(big);
        report("onnx_transformer_first_open_ms", (now() - t0) * 1e3, "ms");
        report("onnx_transformer_ops", o.graph->numOps(), "ops");
        report("onnx_transformer_graph_bytes", double(o.graph->approximateBytes()), "bytes");
        report("onnx_transformer_rss_growth_bytes", double(bench::currentRssBytes() - rssBefore), "bytes");
        expandFigures("onnx_transformer", o, "layers.%d", quick ? 5 : 20);
    }
    importFigures("onnx_transformer", big, runs, 500);
    importBreakdown("onnx_transformer", big, runs);
    report("onnx_peak_rss_bytes", double(bench::peakRssBytes()), "bytes");
    fs::remove_all(dir);
    return 0;
}
