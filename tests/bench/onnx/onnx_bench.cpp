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

// ---- the synthetic decoder-only transformer -------------------------------------

class ModelWriter {
public:
    explicit ModelWriter(::onnx::GraphProto& g) : m_g(g) {}
    /// Adds a node named `/path/Op[_k]` and returns its output value name.
    std::string node(const std::string& path, const std::string& op, std::vector<std::string> inputs)
    {
        const int k = m_count[path + "/" + op]++;
        const std::string name = "/" + path + "/" + op + (k ? "_" + std::to_string(k) : "");
        auto* n = m_g.add_node();
        n->set_name(name);
        n->set_op_type(op);
        for (auto& i : inputs)
            n->add_input(i);
        n->add_output(name + "_output_0");
        return name + "_output_0";
    }
    /// Declares a parameter (a graph input, as export_params=False writes them).
    std::string param(const std::string& name, std::vector<int64_t> dims)
    {
        auto* in = m_g.add_input();
        in->set_name(name);
        auto* t = in->mutable_type()->mutable_tensor_type();
        t->set_elem_type(::onnx::TensorProto::FLOAT);
        for (int64_t d : dims)
            t->mutable_shape()->add_dim()->set_dim_value(d);
        return name;
    }
    std::string linear(const std::string& path, const std::string& qual, const std::string& x, int64_t in, int64_t out)
    {
        const std::string w = param(qual + ".weight", {in, out});
        const std::string b = param(qual + ".bias", {out});
        return node(path, "Add", {node(path, "MatMul", {x, w}), b});
    }
    std::string layerNorm(const std::string& path, const std::string& qual, const std::string& x, int64_t d)
    {
        const std::string mean = node(path, "ReduceMean", {x});
        const std::string centred = node(path, "Sub", {x, mean});
        const std::string var = node(path, "ReduceMean", {node(path, "Mul", {centred, centred})});
        const std::string norm = node(path, "Div", {centred, node(path, "Sqrt", {var})});
        return node(path, "Add", {node(path, "Mul", {norm, param(qual + ".weight", {d})}), param(qual + ".bias", {d})});
    }
    /// PyTorch's shape arithmetic for a reshape: Shape, Gather, Unsqueeze, Concat chains.
    std::string shapeOf(const std::string& path, const std::string& x, int chains)
    {
        std::vector<std::string> parts;
        for (int c = 0; c < chains; ++c)
            parts.push_back(node(path, "Unsqueeze", {node(path, "Gather", {node(path, "Shape", {x})})}));
        return node(path, "Concat", parts);
    }

private:
    ::onnx::GraphProto& m_g;
    std::unordered_map<std::string, int> m_count;
};

/// Writes a decoder-only transformer with at least `minNodes` nodes to `path`; returns its node count.
int writeTransformer(const std::string& path, int minNodes)
{
    ::onnx::ModelProto m;
    m.set_ir_version(7);
    m.set_producer_name("pytorch");
    m.set_producer_version("1.13.1");
    m.add_opset_import()->set_version(14);
    ::onnx::GraphProto& g = *m.mutable_graph();
    g.set_name("torch_jit");
    ModelWriter w(g);
    const int64_t d = 256, vocab = 1000;
    w.param("tokens", {1, 128});
    const std::string emb = w.param("embed.weight", {vocab, d});
    std::string h = w.node("embed", "Gather", {emb, "tokens"});
    for (int l = 0; g.node_size() < minNodes - 20; ++l) {
        const std::string L = "layers." + std::to_string(l), P = L;
        const std::string x = w.layerNorm(P + "/input_layernorm", L + ".input_layernorm", h, d);
        const std::string at = P + "/self_attn";
        std::string q = w.linear(at + "/q_proj", L + ".self_attn.q_proj", x, d, d);
        std::string k = w.linear(at + "/k_proj", L + ".self_attn.k_proj", x, d, d);
        std::string v = w.linear(at + "/v_proj", L + ".self_attn.v_proj", x, d, d);
        for (std::string* t : {&q, &k, &v})
            *t = w.node(at, "Transpose", {w.node(at, "Reshape", {*t, w.shapeOf(at, x, 4)})});
        std::string s = w.node(at, "Div", {w.node(at, "MatMul", {q, w.node(at, "Transpose", {k})}), w.node(at, "Constant", {})});
        s = w.node(at, "Softmax", {w.node(at, "Add", {s, w.node(at, "Constant", {})})});
        std::string o = w.node(at, "Reshape", {w.node(at, "Transpose", {w.node(at, "MatMul", {s, v})}), w.shapeOf(at, x, 3)});
        o = w.linear(at + "/o_proj", L + ".self_attn.o_proj", o, d, d);
        h = w.node(P, "Add", {h, o});
        const std::string y = w.layerNorm(P + "/post_attention_layernorm", L + ".post_attention_layernorm", h, d);
        const std::string mp = P + "/mlp";
        std::string f = w.linear(mp + "/fc1", L + ".mlp.fc1", y, d, 4 * d);
        const std::string half = w.node(mp + "/act", "Div", {f, w.node(mp + "/act", "Constant", {})});
        f = w.node(mp + "/act", "Mul", {w.node(mp + "/act", "Mul", {f, w.node(mp + "/act", "Add", {w.node(mp + "/act", "Erf", {half}), w.node(mp + "/act", "Constant", {})})}), w.node(mp + "/act", "Constant", {})});
        f = w.linear(mp + "/fc2", L + ".mlp.fc2", f, 4 * d, d);
        for (int c = 0; c < 20; ++c) // the exporter's scalar bookkeeping, as in real exports
            f = w.node(mp, "Identity", {f});
        h = w.node(P, "Add", {h, f});
    }
    h = w.layerNorm("norm", "norm", h, d);
    const std::string logits = w.node("lm_head", "MatMul", {h, w.node("lm_head", "Transpose", {emb})});
    auto* out = g.add_output();
    out->set_name(logits);
    out->mutable_type()->mutable_tensor_type()->set_elem_type(::onnx::TensorProto::FLOAT);
    std::ofstream f(path, std::ios::binary);
    m.SerializeToOstream(&f);
    return g.node_size();
}

} // namespace

int main(int argc, char** argv)
{
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
