// ONNX import (core/onnx) as the user sees it: the scope tree and sharing of
// PyTorch exports (tests/data/onnx/SOURCES.md), bodies of functions and
// control flow, attributes, types, model properties, damaged files, and every
// model Debian's libonnx-testdata ships.
#include "core/hierarchy/scope_tree.h"
#include "core/hierarchy/shared_variables.h"
#include "core/hierarchy/tree_report.h"
#include "core/hierarchy/variable_index.h"
#include "core/io/graphdef_io.h"
#include "core/onnx/onnx_import.h"
#include "core/util/strings.h"
#include "tests/support/test_data.h"

#include <QtTest>

#include <onnx/onnx_pb.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

using namespace scopeviz;
namespace fs = std::filesystem;

namespace {

std::string dataPath(const std::string& name) { return testing::testDataDir() + "/onnx/" + name; }

std::string readBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A model opened as the command line and the window open it.
struct Opened {
    std::shared_ptr<Graph> graph = std::make_shared<Graph>();
    ImportResult result;
    std::shared_ptr<const hierarchy::VariableIndex> index;
    std::string tree; ///< --print-tree's text
    const Operation* op(std::string_view name) const { return graph->findOp(name); }
};

Opened open(const std::string& name)
{
    Opened o;
    auto r = importGraphFile(dataPath(name), *o.graph);
    if (!r.ok())
        qFatal("%s", r.error().c_str());
    o.result = *r;
    auto tree = hierarchy::buildScopeTree(*o.graph);
    o.index = hierarchy::VariableIndex::build(*o.graph, tree);
    std::ostringstream s;
    hierarchy::printTree(*o.index, s);
    o.tree = s.str();
    return o;
}

/// The lines of the tree text that name `what` (a variable or scope row).
std::string lineOf(const std::string& tree, const std::string& what)
{
    std::istringstream in(tree);
    for (std::string line; std::getline(in, line);) {
        const size_t b = line.find_first_not_of(' ');
        if (b != std::string::npos && line.compare(b, what.size(), what) == 0 &&
            (line.size() == b + what.size() || line[b + what.size()] == ' '))
            return line;
    }
    return {};
}

/// The top-level rows of the tree text, in order ("conv1/", "relu/", ...).
std::vector<std::string> topLevel(const std::string& tree)
{
    std::vector<std::string> rows;
    std::istringstream in(tree);
    std::string line;
    std::getline(in, line); // summary
    std::getline(in, line); // (root)
    while (std::getline(in, line))
        if (!line.empty() && line[0] != ' ')
            rows.push_back(line.substr(0, line.find(' ')));
    return rows;
}

} // namespace

class OnnxTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { SCOPEVIZ_REQUIRE_TEST_DATA(); }

    void resnetShowsItsModules()
    {
        const Opened m = open("resnet18.onnx");
        QCOMPARE(int(m.result.format), int(GraphFormat::OnnxModel));
        QCOMPARE(m.result.nodeCount, 65);
        const std::vector<std::string> expected = {"conv1/", "relu/", "maxpool/", "layer1/", "layer2/",
                                                   "layer3/", "layer4/", "avgpool/", "fc/"};
        std::vector<std::string> scopes;
        for (const std::string& r : topLevel(m.tree))
            if (endsWith(r, "/"))
                scopes.push_back(r);
        QCOMPARE(scopes, expected);
        QCOMPARE(m.index->numShared(), 0);
        // BatchNorm folded into conv1: its weight (a parameter input) sits in conv1.
        const Operation* w = m.op("conv1/onnx::Conv_193");
        QVERIFY(w);
        QCOMPARE(w->type(), std::string("VariableV2"));
        QVERIFY(m.op("layer1/layer1.0/conv1/onnx::Conv_196"));
        QVERIFY(m.op("fc/fc.weight"));
        // The exporter's copies of equal-valued parameters stay at the top and share nothing.
        const Operation* copy = m.op("Identity_0");
        QVERIFY(copy);
        QVERIFY(hierarchy::isParameterCopy(*copy));
        // Shape inference typed the edges.
        const Operation* conv = m.op("conv1/Conv");
        QVERIFY(conv);
        QCOMPARE(conv->outputs()[0].dtype, DType::Float);
        QCOMPARE(conv->outputs()[0].shape.toString(), Shape({1, 64, 112, 112}).toString());
        QVERIFY(lineOf(m.tree, "layer2.0/").size() > 0);
    }

    void vitEncoderLayersAreOneSeries()
    {
        const Opened m = open("vit_b_16.onnx");
        QVERIFY2(m.tree.find("encoder_layer_[0-11]/  [series x12]") != std::string::npos, m.tree.c_str());
        QCOMPARE(m.index->numShared(), 0);
    }

    void tiedEmbeddingIsSharedByTwoScopes()
    {
        const Opened m = open("tied_lm.onnx");
        const std::string line = lineOf(m.tree, "embed.weight");
        QVERIFY2(line.find("[shared: 2 scopes]") != std::string::npos, line.c_str());
        QVERIFY(line.find("lm_head/") != std::string::npos);
        // Only the tie is sharing: the exporter's Identity copies (norm.weight, ...) are not.
        QCOMPARE(m.index->numShared(), 1);
        QVERIFY(m.op("layers.0/self_attn/layers.0.self_attn.in_proj_weight"));
    }

    void siameseEncoderIsCalledTwice()
    {
        const Opened m = open("siamese.onnx");
        // `/encoder/fc1_1/Gemm` is the second call of the encoder, not a module `fc1_1`.
        QVERIFY(m.op("encoder_1/fc1/Gemm"));
        QVERIFY(m.op("encoder_1/act/Relu"));
        QVERIFY(!m.graph->findOp("encoder/fc1_1/Gemm"));
        for (const char* p : {"encoder.fc1.weight", "encoder.fc1.bias", "encoder.fc2.weight", "encoder.fc2.bias"}) {
            const std::string line = lineOf(m.tree, p);
            QVERIFY2(line.find("[shared: 2 scopes]") != std::string::npos, line.c_str());
        }
        QVERIFY(lineOf(m.tree, "head.weight").find("shared") == std::string::npos);
        QCOMPARE(m.index->numShared(), 4);
    }

    void secondCallsAreNamedOnTheModuleCalledAgain()
    {
        // PyTorch puts a second call's suffix on a child (`fc1_1`) and sometimes on the module
        // (`encoder_1`); a module used twice inside one call (`relu`, `relu_1`) is not a second call.
        ::onnx::ModelProto m;
        m.set_ir_version(7);
        m.add_opset_import()->set_version(14);
        auto* g = m.mutable_graph();
        auto node = [&](const char* name, const char* type, std::vector<std::string> in) {
            auto* n = g->add_node();
            n->set_name(name);
            n->set_op_type(type);
            for (auto& i : in)
                n->add_input(i);
            n->add_output(std::string(name) + "_output_0");
        };
        for (const char* in : {"a", "b", "encoder.fc1.weight", "block.conv.weight"})
            g->add_input()->set_name(in);
        node("/encoder/fc1/Gemm", "Gemm", {"a", "encoder.fc1.weight"});
        node("/encoder/act/Relu", "Relu", {"/encoder/fc1/Gemm_output_0"});
        node("/encoder/fc1_1/Gemm", "Gemm", {"b", "encoder.fc1.weight"});
        node("/encoder_1/Relu", "Relu", {"/encoder/fc1_1/Gemm_output_0"});
        node("/block/relu/Relu", "Relu", {"/encoder/act/Relu_output_0"});
        node("/block/conv/Conv", "Conv", {"/block/relu/Relu_output_0", "block.conv.weight"});
        node("/block/relu_1/Relu", "Relu", {"/block/conv/Conv_output_0"});
        Graph graph;
        auto r = importGraphBytes(m.SerializeAsString(), graph);
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE(int(r->format), int(GraphFormat::OnnxModel));
        QVERIFY(graph.findOp("encoder_1/fc1/Gemm"));
        QVERIFY(graph.findOp("encoder_1/Relu"));
        QVERIFY(graph.findOp("block/relu_1/Relu"));
        QVERIFY(graph.findOp("encoder/fc1/encoder.fc1.weight"));
        QVERIFY(graph.findOp("block/conv/block.conv.weight"));
        auto tree = hierarchy::buildScopeTree(graph);
        auto index = hierarchy::VariableIndex::build(graph, tree);
        QCOMPARE(index->numShared(), 1);
        const int32_t v = index->variableOf(hierarchy::Item{hierarchy::Item::Kind::Op,
                                                            graph.findOp("encoder/fc1/encoder.fc1.weight")->id()});
        QCOMPARE(index->sharedScopes(v), 2);
    }

    void localFunctionsAreScopesAtEveryCall()
    {
        const Opened m = open("functions.onnx");
        QCOMPARE(m.result.functionCount, 1);
        for (const char* call : {"block1/Block", "block2/Block"}) {
            const Operation* op = m.op(call);
            QVERIFY(op);
            QCOMPARE(op->type(), std::string("Block"));
            QCOMPARE(m.index->tree().findScope(call) > hierarchy::RootScope, true);
            QVERIFY(m.op(std::string(call) + "/Gemm_0"));
        }
        // The body reads the call's actual inputs: block2's Gemm reads block2's weight.
        const Operation* gemm = m.op("block2/Block/Gemm_0");
        bool readsWeight = false;
        for (const Output& in : gemm->inputs())
            readsWeight = readsWeight || m.graph->op(in.op).name() == "block2/block2.fc.weight";
        QVERIFY(readsWeight);
    }

    void controlFlowBodiesAttributesAndProperties()
    {
        const Opened m = open("control_flow.onnx");
        const Operation* step = m.op("choose/else_branch/countdown/body/step");
        QVERIFY(step);
        // The loop body reads `x` of the top graph.
        bool readsOuter = false;
        for (const Output& in : step->inputs())
            readsOuter = readsOuter || m.graph->op(in.op).name() == "x";
        QVERIFY(readsOuter);
        QVERIFY(m.op("choose/then_branch/double"));
        const Operation* custom = m.op("custom");
        QVERIFY(custom);
        const AttrList& a = custom->attrs();
        QCOMPARE(a.find("label")->str(), std::string("text"));
        QCOMPARE(a.find("scales")->floats(), (std::vector<double>{1.5, 2.5}));
        QCOMPARE(a.find("names")->strings(), (std::vector<std::string>{"a", "b"}));
        QCOMPARE(a.find("tensors")->strings().front(), std::string("<tensor float32 [1]: 1>"));
        QVERIFY(startsWith(a.find("graphs")->strings().front(), "<graph then_branch"));
        QCOMPARE(a.find("domain")->str(), std::string("com.example"));
        QCOMPARE(m.op("leaky")->attrs().find("doc_string")->str(), std::string("a leaky relu"));
        QCOMPARE(m.op("bias_const")->attrs().find("value")->str(), std::string("<tensor float32 [4]: 0.5, 0.5, 0.5, 0.5>"));
        // No value_info in the file: shape inference typed the outputs.
        QCOMPARE(m.op("is_positive")->outputs()[0].dtype, DType::Bool);
        QCOMPARE(m.op("transpose")->outputs()[0].dtype, DType::Float);
        auto has = [&](const std::string& k, const std::string& v) {
            for (const auto& p : m.result.properties)
                if (p.first == k && p.second == v)
                    return true;
            return false;
        };
        QVERIFY(has("opset_import", "ai.onnx 14"));
        QVERIFY(has("opset_import", "com.example 1"));
        QVERIFY(has("author", "scopeviz tests"));
        QVERIFY(has("doc_string", "a synthetic model for scopeviz's importer"));
        QVERIFY(has("producer", "make-onnx-testdata.py 1"));
        QVERIFY(has("graph doc_string", "If, Loop and attributes"));
    }

    void modelFailingTheCheckerStillOpens()
    {
        const Opened m = open("checker_fails.onnx");
        QVERIFY2(m.result.checkerMessage.find("topologically sorted") != std::string::npos,
                 m.result.checkerMessage.c_str());
        QVERIFY(m.result.checkerMessage.find('\n') == std::string::npos);
        QVERIFY(m.op("relu") && m.op("add"));
        bool named = false;
        for (const std::string& w : m.result.warnings)
            named = named || (w.find("'add'") != std::string::npos && w.find("'missing'") != std::string::npos);
        QVERIFY(named);
    }

    void externalDataIsNeverRead()
    {
        // A copy without its weight file opens the same as the original.
        const fs::path dir = fs::temp_directory_path() / cat("scopeviz-onnx-", QCoreApplication::applicationPid());
        fs::create_directories(dir);
        fs::copy_file(dataPath("external_data.onnx"), dir / "model.onnx", fs::copy_options::overwrite_existing);
        Graph g;
        auto r = importGraphFile((dir / "model.onnx").string(), g);
        fs::remove_all(dir);
        QVERIFY2(r.ok(), r.error().c_str());
        const Operation* w = g.findOp("encoder/fc1/encoder.fc1.weight");
        QVERIFY(w);
        QCOMPARE(w->attrs().find("external_data")->str(), std::string("external_data.bin"));
        QCOMPARE(w->outputs()[0].shape.toString(), Shape({32, 16}).toString());
        bool counted = false;
        for (const auto& p : r->properties)
            counted = counted || (p.first == "parameters" && p.second.find("6 with external data") != std::string::npos);
        QVERIFY(counted);
    }

    void damagedFilesKeepWhatPrecedesTheFault()
    {
        const std::string bytes = readBytes(dataPath("siamese.onnx"));
        int partial = 0;
        for (size_t n = 1; n < bytes.size(); n += 7) {
            Graph g;
            auto r = importGraphBytes(bytes.substr(0, n), g);
            if (!r.ok()) {
                QVERIFY(!r.error().empty());
                QCOMPARE(g.numOps(), 0);
                continue;
            }
            if (r->format == GraphFormat::OnnxModel && r->partial) {
                ++partial;
                QVERIFY(!r->warnings.empty());
                QVERIFY2(r->warnings.front().find("at byte") != std::string::npos, r->warnings.front().c_str());
            }
        }
        QVERIFY(partial > 0);
        // Cut inside the 5th node: the first four are kept.
        Graph g;
        const size_t cut = bytes.find("/encoder/fc1_1/Gemm") + 4;
        auto r = importGraphBytes(bytes.substr(0, cut), g);
        QVERIFY2(r.ok(), r.error().c_str());
        QVERIFY(r->partial);
        QVERIFY(g.findOp("encoder/fc2/Gemm"));
        // Bit flips never crash.
        const std::string resnet = readBytes(dataPath("resnet18.onnx"));
        for (size_t i = 0; i < resnet.size(); i += 97) {
            std::string b = resnet;
            b[i] = char(b[i] ^ 0x5a);
            Graph h;
            (void)importGraphBytes(b, h);
        }
    }

    void everyLibonnxTestdataModelOpens()
    {
        const fs::path root = "/usr/share/libonnx-testdata/data";
        if (!fs::is_directory(root))
            QSKIP("libonnx-testdata is not installed");
        int models = 0, opened = 0;
        std::error_code ec;
        for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
            if (it->path().extension() != ".onnx")
                continue;
            ++models;
            Graph g;
            auto r = importGraphFile(it->path().string(), g);
            if (r.ok()) {
                ++opened;
                auto tree = hierarchy::buildScopeTree(g);
                (void)hierarchy::VariableIndex::build(g, tree);
            } else {
                qWarning("%s", r.error().c_str());
            }
        }
        qInfo("libonnx-testdata: %d of %d models opened", opened, models);
        QVERIFY(models > 1000);
        QCOMPARE(opened, models);
    }
};

QTEST_GUILESS_MAIN(OnnxTest)
#include "onnx_test.moc"
