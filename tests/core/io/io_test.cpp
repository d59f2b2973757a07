// Tests of GraphDef import/export (core/io/graphdef_io.h) against the real
// TensorFlow graphs and event files in tests/data.
#include "tests/support/test_data.h"
#include "core/demo/seed_demo.h"
#include "core/io/graphdef_io.h"
#include "core/io/meta_graph_io.h"
#include "core/ops/ops.h"
#include "core/proto/graph.pb.h"
#include "core/proto/meta_graph.pb.h"
#include "core/summary/record_io.h"
#include "core/util/strings.h"

#include <google/protobuf/text_format.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <sstream>

using namespace scopeviz;

namespace {

const std::string kData = SCOPEVIZ_TESTDATA;
const std::string kGraphs = kData + "/graphs/";
const std::string kEvents = kData + "/events/";

std::string readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void writeFile(const std::string& path, std::string_view bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

/// The process's peak resident set so far, in KiB.
long maxRssKb()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

/// How far `work` raises the peak resident set, in KiB, measured in a forked
/// child (whose peak starts at the parent's current resident set, not at its
/// earlier high-water mark); -1 when the child failed.
long peakGrowthKb(const std::function<void()>& work)
{
    int fds[2];
    if (::pipe(fds) != 0)
        return -1;
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        const long before = maxRssKb();
        work();
        const long grown = maxRssKb() - before;
        const bool written = ::write(fds[1], &grown, sizeof grown) == ssize_t(sizeof grown);
        ::_exit(written ? 0 : 1);
    }
    ::close(fds[1]);
    long grown = -1;
    if (pid < 0 || ::read(fds[0], &grown, sizeof grown) != ssize_t(sizeof grown))
        grown = -1;
    ::close(fds[0]);
    int status = 0;
    if (pid > 0)
        ::waitpid(pid, &status, 0);
    return grown;
}

/// Writes `unit` `count` times to `path` in 1 MiB blocks, so that a test can
/// make a large file without holding it in memory; returns the file size.
uint64_t writeRepeated(const std::string& path, std::string_view unit, int64_t count)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    const int64_t perBlock = std::max<int64_t>(1, (int64_t(1) << 20) / int64_t(unit.size()));
    std::string block;
    for (int64_t i = 0; i < perBlock; ++i)
        block += unit;
    for (int64_t left = count; left > 0; left -= perBlock)
        out.write(block.data(), std::streamsize(unit.size() * size_t(std::min(left, perBlock))));
    return uint64_t(unit.size()) * uint64_t(count);
}

/// The single event file inside a testdata/events folder.
std::string eventFile(const std::string& folder)
{
    const QDir dir(QString::fromStdString(kEvents + folder));
    const QStringList files = dir.entryList({"*tfevents*"}, QDir::Files);
    return files.isEmpty() ? std::string() : dir.filePath(files.first()).toStdString();
}

std::map<std::string, int> opTypeCounts(const Graph& g)
{
    std::map<std::string, int> counts;
    for (OpId i = 0; i < g.numOps(); ++i)
        ++counts[g.op(i).type()];
    return counts;
}

int devicesSet(const Graph& g)
{
    int n = 0;
    for (OpId i = 0; i < g.numOps(); ++i)
        n += !g.op(i).device().empty();
    return n;
}

/// The names of an op's data inputs, as TF writes them.
std::vector<std::string> inputNames(const Graph& g, const Operation& op)
{
    std::vector<std::string> v;
    for (const Output& in : op.inputs()) {
        std::string s(g.op(in.op).name());
        if (in.index)
            s.append(":").append(std::to_string(in.index));
        v.push_back(std::move(s));
    }
    for (OpId c : op.controlInputs())
        v.push_back(std::string("^").append(g.op(c).name()));
    return v;
}

std::vector<std::string> inputsOf(const Graph& g, std::string_view name)
{
    const Operation* op = g.findOp(name);
    return op ? inputNames(g, *op) : std::vector<std::string>{"<missing op>"};
}

bool sameTensor(const Tensor& a, const Tensor& b)
{
    if (a.dtype() != b.dtype() || a.dims() != b.dims())
        return false;
    if (a.dtype() == DType::String)
        return a.strings() == b.strings();
    return a.byteSize() == b.byteSize() && std::memcmp(a.rawData(), b.rawData(), a.byteSize()) == 0;
}

/// Every op of `a` has a twin in `b` with the same name, type, edges, device, attrs and outputs.
void compareGraphs(const Graph& a, const Graph& b, bool outputDtypes)
{
    QCOMPARE(b.numOps(), a.numOps());
    for (OpId i = 0; i < a.numOps(); ++i) {
        const Operation& x = a.op(i);
        const Operation& y = b.op(i);
        QCOMPARE(y.name(), x.name());
        QCOMPARE(y.type(), x.type());
        QCOMPARE(inputNames(b, y), inputNames(a, x));
        QCOMPARE(y.device(), x.device());
        for (const Attr& at : x.attrs()) {
            if (at.name == "_output_shapes")
                continue;
            const AttrValue* v = y.attrs().find(at.name.view());
            QVERIFY2(v, (std::string(x.name()) + " lost attr " + at.name.str()).c_str());
            QCOMPARE(int(v->kind()), int(at.value.kind()));
            if (v->kind() == AttrValue::Kind::Tensor)
                QVERIFY2(sameTensor(v->tensor(), at.value.tensor()), std::string(x.name()).c_str());
            else
                QCOMPARE(v->toString(), at.value.toString());
        }
        QCOMPARE(y.numOutputs(), x.numOutputs());
        for (int k = 0; k < x.numOutputs(); ++k) {
            QCOMPARE(y.outputs()[size_t(k)].shape, x.outputs()[size_t(k)].shape);
            if (outputDtypes)
                QCOMPARE(dtypeName(y.outputs()[size_t(k)].dtype), dtypeName(x.outputs()[size_t(k)].dtype));
        }
    }
}

/// A NodeDef input string with an explicit ":0" written the short way.
std::string normalizedInput(const std::string& s)
{
    return s.size() > 2 && s.compare(s.size() - 2, 2, ":0") == 0 && s[0] != '^' ? s.substr(0, s.size() - 2) : s;
}

/// listOps() must reproduce every NodeDef of the file: name, op, inputs.
void checkListOpsMatches(const Graph& g, const tfproto::GraphDef& gd)
{
    std::ostringstream os;
    listOps(g, os);
    std::istringstream lines(os.str());
    std::string line;
    int i = 0;
    while (std::getline(lines, line)) {
        QVERIFY(i < gd.node_size());
        const auto& n = gd.node(i++);
        std::string want = n.name();
        want.append("\t").append(n.op()).append("\t");
        for (int k = 0; k < n.input_size(); ++k)
            want.append(k ? "," : "").append(normalizedInput(n.input(k)));
        QCOMPARE(line, want);
    }
    QCOMPARE(i, gd.node_size());
}

} // namespace

class IoTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { SCOPEVIZ_REQUIRE_TEST_DATA(); }
    // ---- real graph files --------------------------------------------------
    void inceptionV3()
    {
        Graph g;
        auto r = importGraphFile(kGraphs + "tf1.14-inceptionv3-hub-11040-nodes.graphdef.pb", g);
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE(r->format, GraphFormat::BinaryGraphDef);
        QCOMPARE(r->nodeCount, 11040);
        QCOMPARE(g.numOps(), 11040);
        QCOMPARE(r->producer, 29);
        QCOMPARE(r->functionCount, 0);
        QCOMPARE(r->warningCount, 0);
        QVERIFY(!r->partial);
        const auto counts = opTypeCounts(g);
        QCOMPARE(counts.at("VarHandleOp"), 376);
        QCOMPARE(counts.at("ReadVariableOp"), 1692);
        QCOMPARE(counts.at("AssignVariableOp"), 1880);
        QCOMPARE(counts.at("RestoreV2"), 378);
        QCOMPARE(devicesSet(g), 1519);
        // The hub module is applied twice; both applications read the same variable.
        const std::vector<std::string> weights{"module/InceptionV3/Conv2d_1a_3x3/weights"};
        QCOMPARE(inputsOf(g, "module/InceptionV3/InceptionV3/Conv2d_1a_3x3/Conv2D/ReadVariableOp"), weights);
        QCOMPARE(inputsOf(g, "module_apply_default/InceptionV3/InceptionV3/Conv2d_1a_3x3/Conv2D/ReadVariableOp"), weights);
        QCOMPARE(inputsOf(g, "save/Identity_2"), std::vector<std::string>{"save/RestoreV2:2"});
        QCOMPARE(inputsOf(g, "save/control_dependency"), (std::vector<std::string>{"save/Const", "^save/SaveV2"}));
        // Output types follow TF's signatures: a resource handle, the variable's dtype when read.
        QCOMPARE(dtypeName(g.findOp("module/InceptionV3/Conv2d_1a_3x3/weights")->outputs().at(0).dtype), std::string("resource"));
        QCOMPARE(g.findOp("module/InceptionV3/Conv2d_1a_3x3/weights/Assign")->numOutputs(), 0);
        QCOMPARE(g.findOp("save/RestoreV2")->numOutputs(), 376);

        tfproto::GraphDef gd;
        QVERIFY(gd.ParseFromString(readFile(kGraphs + "tf1.14-inceptionv3-hub-11040-nodes.graphdef.pb")));
        checkListOpsMatches(g, gd);
    }

    void ganVariableReuse()
    {
        Graph g;
        auto r = importGraphFile(kGraphs + "tf0.12-gan-variable-reuse-9622-nodes.graphdef.pb", g);
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE(r->nodeCount, 9622);
        QCOMPARE(g.numOps(), 9622);
        QCOMPARE(r->producer, 17);
        QVERIFY(opTypeCounts(g).at("Variable") > 0);
        // Later generator calls read the first call's variables across name scopes.
        QCOMPARE(inputsOf(g, "bn1_1/batchnorm/sub"), (std::vector<std::string>{"bn1/beta/read", "bn1_1/batchnorm/mul_1"}));
        QCOMPARE(inputsOf(g, "bn1_2/batchnorm/sub"), (std::vector<std::string>{"bn1/beta/read", "bn1_2/batchnorm/mul_1"}));
        QCOMPARE(dtypeName(g.findOp("bn1/beta")->outputs().at(0).dtype), std::string("float32_ref"));
    }

    void frozenLstm()
    {
        Graph g;
        auto r = importGraphFile(kGraphs + "tf1-frozen-lstm-529-nodes.pb", g);
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE(r->nodeCount, 529);
        QCOMPARE(r->producer, -1); // no versions field
        const auto counts = opTypeCounts(g);
        QCOMPARE(counts.at("Const"), 106);
        QCOMPARE(counts.at("Mul"), 86);
        QCOMPARE(counts.at("Sigmoid"), 84);
        QCOMPARE(counts.at("Add"), 59);
        QCOMPARE(counts.at("Tanh"), 56);
        QVERIFY(counts.at("ConcatV2") > 0 && counts.at("MatMul") > 0 && counts.at("BiasAdd") > 0 && counts.at("Split") > 0);
        // The big weights are summarised, not copied; their shape still reaches the output.
        QVERIFY(r->summarizedTensors > 0);
        int summaries = 0;
        for (OpId i = 0; i < g.numOps(); ++i) {
            const Operation& op = g.op(i);
            const AttrValue* v = op.attrs().find("value");
            if (op.type() != "Const" || !v)
                continue;
            if (v->kind() == AttrValue::Kind::String) {
                ++summaries;
                QVERIFY2(v->str().rfind("<tensor float32 [", 0) == 0, v->str().c_str());
                QVERIFY(op.outputs().at(0).shape.isFullyDefined());
                QVERIFY(op.outputs().at(0).shape.numElements() > 1024);
            } else {
                QCOMPARE(int(v->kind()), int(AttrValue::Kind::Tensor));
                QVERIFY(v->tensor().numElements() <= 1024);
                QCOMPARE(op.outputs().at(0).shape, v->tensor().shape());
            }
        }
        QCOMPARE(summaries, r->summarizedTensors);
        // With a higher limit the same tensors are kept as values.
        Graph full;
        ImportOptions o;
        o.maxTensorElements = int64_t(1) << 40;
        auto r2 = importGraphFile(kGraphs + "tf1-frozen-lstm-529-nodes.pb", full, o);
        QVERIFY(r2.ok());
        QCOMPARE(r2->summarizedTensors, 0);
    }

    void xlaDemoText()
    {
        Graph g;
        auto r = importGraphFile(kGraphs + "tf1-xla-demo-118-nodes.pbtxt", g);
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE(r->format, GraphFormat::TextGraphDef);
        QCOMPARE(r->nodeCount, 118);
        QCOMPARE(r->producer, 21);
        const auto counts = opTypeCounts(g);
        QCOMPARE(counts.at("Const"), 39);
        QCOMPARE(counts.at("Reshape"), 11);
        QCOMPARE(counts.at("Identity"), 11);
        QCOMPARE(counts.at("MatMul"), 6);
        QCOMPARE(counts.at("VariableV2"), 4);
        QCOMPARE(counts.at("ApplyGradientDescent"), 4);
        QCOMPARE(devicesSet(g), 118);
        const Operation* lr = g.findOp("GradientDescent/learning_rate");
        QVERIFY(lr);
        QCOMPARE(lr->device(), std::string("/job:localhost/replica:0/task:0/device:XLA_CPU:0"));
        QCOMPARE(lr->attrs().find("_XlaCluster")->str(), std::string("cluster_3"));
        QCOMPARE(lr->attrs().find("value")->tensor().toDouble(0), double(0.1f));
        QCOMPARE(lr->outputs().at(0).shape, Shape::scalar());
        QCOMPARE(g.findOp("gradients/add_grad/Shape_1")->attrs().find("value")->tensor().toDouble(0), 100.0);

        tfproto::GraphDef gd;
        QVERIFY(google::protobuf::TextFormat::ParseFromString(readFile(kGraphs + "tf1-xla-demo-118-nodes.pbtxt"), &gd));
        checkListOpsMatches(g, gd);
    }

    void regressionCheckpoint()
    {
        Graph g;
        auto r = importGraphFile(kGraphs + "tf1-regression-checkpoint-109-nodes.pb", g);
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE(r->nodeCount, 109);
        QCOMPARE(r->producer, 26);
        QCOMPARE(devicesSet(g), 3);
        QVERIFY(g.findOp("save/SaveV2") || g.findOp("save/restore_all"));
        tfproto::GraphDef gd;
        QVERIFY(gd.ParseFromString(readFile(kGraphs + "tf1-regression-checkpoint-109-nodes.pb")));
        checkListOpsMatches(g, gd);
    }

    void metaGraphKeepsTheSaverAndCollections()
    {
        // tf.train.export_meta_graph / import_meta_graph: the graph, the saver's names and the node-list
        // collections come back; TensorFlow's own reader finds the version where it looks for it.
        Graph g;
        demo::buildSeedDemo(g, true);
        MetaGraphParts parts;
        parts.graphDef = serializeGraphDef(g);
        parts.tensorflowVersion = "1.15.0";
        parts.saver = SaverNames{"save/Const:0", "save/control_dependency:0", "save/restore_all", 3, false, 2.0f};
        parts.collections = {{"variables", {"my_net/weights:0", "my_net/biases:0"}}, {"train_op", {"GradientDescent"}}};
        const std::string bytes = serializeMetaGraph(parts);
        tfproto::MetaGraphDef m;
        QVERIFY(m.ParseFromString(bytes));
        QCOMPARE(m.meta_info_def().tensorflow_version(), std::string("1.15.0"));
        QCOMPARE(m.saver_def().max_to_keep(), 3);
        QCOMPARE(m.collection_def().at("variables").node_list().value_size(), 2);
        QCOMPARE(m.graph_def().node_size(), int(g.numOps()));
        auto back = parseMetaGraph(bytes, "model.meta");
        QVERIFY2(back.ok(), back.error().c_str());
        QCOMPARE(back->graphDef.size(), parts.graphDef.size());
        QVERIFY(back->saver.has_value());
        QCOMPARE(back->saver->restoreOp, std::string("save/restore_all"));
        QCOMPARE(back->collections.size(), std::size_t(2));
        QCOMPARE(back->collections[0].first, std::string("train_op")); // keys sorted
        QCOMPARE(back->collections[1].second, parts.collections[0].second);
        Graph again;
        QVERIFY(importGraphBytes(bytes, again).ok()); // the file opens in the window as a MetaGraphDef
        QCOMPARE(again.numOps(), g.numOps());
        // The text form of the same MetaGraphDef reads the same.
        std::string text;
        QVERIFY(google::protobuf::TextFormat::PrintToString(m, &text));
        auto fromText = parseMetaGraph(text, "model.meta.txt");
        QVERIFY2(fromText.ok(), fromText.error().c_str());
        QCOMPARE(fromText->collections, back->collections);
        QCOMPARE(fromText->saver->saveTensor, std::string("save/control_dependency:0"));
        // Neither binary nor text: TensorFlow's message, naming the file and the place.
        auto bad = parseMetaGraph("meta_info_def { tensorflow_version: 1.15 ", "broken.meta");
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().rfind("Cannot parse file broken.meta: 1:", 0) == 0, bad.error().c_str());
        std::string deep;
        for (int i = 0; i < 5000; ++i)
            deep += "meta_info_def { ";
        auto tooDeep = parseMetaGraph(deep, "deep.meta");
        QVERIFY(!tooDeep.ok());
        QVERIFY2(tooDeep.error().find("nested more than") != std::string::npos, tooDeep.error().c_str());
    }

    void importScopePrefixesNamesInputsAndColocation()
    {
        // import_meta_graph(import_scope="imported"): every op under imported/, its inputs found there, and
        // its colocation group moved along; a second import into the same graph does not collide.
        Graph g;
        const std::string bytes = readFile(kGraphs + "tf1-regression-checkpoint-109-nodes.pb");
        ImportOptions o;
        o.importScope = "imported";
        auto r = importGraphDefBytes(bytes, g, o);
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE(r->opsAdded, 109);
        QCOMPARE(r->warningCount, 0); // every input resolved inside the scope
        QVERIFY(g.findOp("imported/save/SaveV2") || g.findOp("imported/save/restore_all"));
        for (OpId id = 0; id < g.numOps(); ++id) {
            const Operation& op = g.op(id);
            QVERIFY2(op.name().starts_with("imported/"), std::string(op.name()).c_str());
            if (const AttrValue* c = op.attrs().find("_class"))
                for (const std::string& loc : c->strings())
                    QVERIFY2(loc.starts_with("loc:@imported/"), loc.c_str());
        }
        o.importScope = "again";
        auto second = importGraphDefBytes(bytes, g, o);
        QVERIFY(second.ok());
        QCOMPARE(second->opsAdded, 109);
        QCOMPARE(g.numOps(), 218);
    }

    // ---- graphs inside event files ------------------------------------------
    void eventFileGraphs_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<int>("nodes");
        QTest::addColumn<int>("producer");
        QTest::addColumn<int>("graphs");
        QTest::newRow("estimator") << "tf1-estimator-tensorboard-functionaltest" << 338 << 15 << 3;
        QTest::newRow("keras-dqn") << "tf1-keras-breakout-dqn-31k-scalars" << 652 << 21 << 1;
        QTest::newRow("while-loops") << "tf1-graph-only-while-loops" << 815 << 22 << 1;
        QTest::newRow("truncated-last-record") << "tf0.12-graph-truncated-last-record" << 163 << 17 << 1;
        QTest::newRow("tf2-keras") << "tf2-keras-tensor-scalars-graph" << 6233 << 1087 << 1;
        QTest::newRow("pytorch") << "pytorch-summarywriter-graph-image" << 710 << 22 << 1;
        QTest::newRow("tensorboardx-onnx") << "tensorboardx-2018-onnx-graph-no-file-version" << 31 << 22 << 1;
    }

    void eventFileGraphs()
    {
        QFETCH(QString, folder);
        QFETCH(int, nodes);
        QFETCH(int, producer);
        QFETCH(int, graphs);
        Graph g;
        auto r = importGraphFile(eventFile(folder.toStdString()), g);
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE(r->format, GraphFormat::EventFile);
        QVERIFY(!r->fromMetaGraphDef);
        QCOMPARE(r->nodeCount, nodes);
        QCOMPARE(g.numOps(), nodes);
        QCOMPARE(r->producer, producer);
        QCOMPARE(r->graphCount, graphs);
        QCOMPARE(r->graphIndex, graphs - 1); // the last graph by default
        // Every edge that resolved is an edge of the file.
        QVERIFY(r->edgeCount > 0);
    }

    void estimatorGraphIndex()
    {
        const std::string path = eventFile("tf1-estimator-tensorboard-functionaltest");
        const int expected[] = {255, 338, 338};
        for (int i = 0; i < 3; ++i) {
            Graph g;
            ImportOptions o;
            o.graphIndex = i;
            auto r = importGraphFile(path, g, o);
            QVERIFY2(r.ok(), r.error().c_str());
            QCOMPARE(r->graphIndex, i);
            QCOMPARE(g.numOps(), expected[i]);
        }
        Graph g;
        ImportOptions o;
        o.graphIndex = 3;
        auto r = importGraphFile(path, g, o);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().find("out of range") != std::string::npos, r.error().c_str());
        QVERIFY(r.error().find("3 graph") != std::string::npos);
        QCOMPARE(g.numOps(), 0);
        o.graphIndex = -3; // counted from the end: the first
        auto first = importGraphFile(path, g, o);
        QVERIFY(first.ok());
        QCOMPARE(g.numOps(), 255);
        QVERIFY(opTypeCounts(g).at("Variable") > 0);
    }

    void whileLoopCycles()
    {
        Graph g;
        auto r = importGraphFile(eventFile("tf1-graph-only-while-loops"), g);
        QVERIFY(r.ok());
        const auto counts = opTypeCounts(g);
        for (const char* t : {"Enter", "RefEnter", "Exit", "Merge", "Switch", "NextIteration"})
            QVERIFY2(counts.count(t), t);
        // Merge reads NextIteration, which comes later in the file and (through the loop body) reads Merge.
        const Operation* merge = g.findOp("rnn/while/Merge");
        const Operation* next = g.findOp("rnn/while/NextIteration");
        QVERIFY(merge && next);
        QVERIFY(next->id() > merge->id());
        QCOMPARE(inputsOf(g, "rnn/while/Merge"), (std::vector<std::string>{"rnn/while/Enter", "rnn/while/NextIteration"}));
        QCOMPARE(merge->numOutputs(), 2);
        QCOMPARE(dtypeName(merge->outputs()[1].dtype), std::string("int32"));
    }

    void tf2FunctionLibrary()
    {
        const std::string path = eventFile("tf2-keras-tensor-scalars-graph");
        Graph g;
        auto r = importGraphFile(path, g);
        QVERIFY(r.ok());
        QCOMPARE(g.numOps(), 6233);
        QCOMPARE(r->functionCount, 36);
        QCOMPARE(r->functionNodeCount, 2055);

        Graph withFunctions;
        ImportOptions o;
        o.importFunctions = true;
        auto rf = importGraphFile(path, withFunctions, o);
        QVERIFY2(rf.ok(), rf.error().c_str());
        QCOMPARE(rf->nodeCount, 6233);
        int bodyNodes = 0, args = 0, rets = 0;
        for (OpId i = 6233; i < withFunctions.numOps(); ++i) {
            const Operation& op = withFunctions.op(i);
            QVERIFY(op.name().substr(0, 13) == "__function__/");
            if (op.type() == "_Arg")
                ++args;
            else if (op.type() == "_Retval")
                ++rets;
            else
                ++bodyNodes;
        }
        QCOMPARE(bodyNodes, 2055);
        QCOMPARE(withFunctions.numOps(), 6233 + 2055 + args + rets);
        QCOMPARE(rf->opsAdded, withFunctions.numOps());
        QVERIFY(args > 0 && rets > 0);
        // Function bodies resolve their `node:out_arg:k` inputs inside the function.
        int bodyEdges = 0;
        for (OpId i = 6233; i < withFunctions.numOps(); ++i)
            for (const Output& in : withFunctions.op(i).inputs()) {
                QVERIFY(withFunctions.op(in.op).name().substr(0, 13) == "__function__/");
                ++bodyEdges;
            }
        QVERIFY(bodyEdges > 2000);
    }

    void pytorchGraph()
    {
        Graph g;
        auto r = importGraphFile(eventFile("pytorch-summarywriter-graph-image"), g);
        QVERIFY(r.ok());
        const auto counts = opTypeCounts(g);
        QCOMPARE(counts.at("prim::GetAttr"), 267);
        QCOMPARE(counts.at("prim::ListConstruct"), 217);
        QCOMPARE(counts.at("aten::_convolution"), 53);
        QCOMPARE(counts.at("aten::batch_norm"), 53);
        int withAttr = 0, withShapes = 0;
        for (OpId i = 0; i < g.numOps(); ++i) {
            withAttr += g.op(i).attrs().has("attr");
            withShapes += g.op(i).attrs().has("_output_shapes");
        }
        QCOMPARE(withAttr, 710);
        QCOMPARE(withShapes, 177);
        // PyTorch writes inputs to nodes that are not in the graph: kept as warnings, the nodes stay.
        QVERIFY(r->warningCount > 0);
        QVERIFY(r->warnings.front().find("refers to a node that does not exist") != std::string::npos);
        QCOMPARE(g.findOp("input/x.1")->outputs().at(0).shape, (Shape{64, 1, 28, 28}));
    }

    void logdirFindsTheGraph()
    {
        // A log directory opens on the graph of its last event file (TensorBoard's
        // name order) that holds one; event files without a graph are skipped.
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath("a/train") && QDir(dir.path()).mkpath("b"));
        QVERIFY(QFile::copy(QString::fromStdString(eventFile("tf1-keras-breakout-dqn-31k-scalars")),
                            dir.filePath("a/train/events.out.tfevents.1.host")));
        QVERIFY(QFile::copy(QString::fromStdString(eventFile("catboost-cpp-writer")),
                            dir.filePath("b/events.out.tfevents.2.host")));
        Graph g;
        auto r = importGraphFile(dir.path().toStdString(), g);
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE(r->format, GraphFormat::EventFile);
        QCOMPARE(g.numOps(), 652);

        // Only event files without a graph: the error says so and names the directory.
        QVERIFY(QFile::remove(dir.filePath("a/train/events.out.tfevents.1.host")));
        Graph none;
        auto bad = importGraphFile(dir.path().toStdString(), none);
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().find(dir.path().toStdString()) != std::string::npos, bad.error().c_str());
        QVERIFY2(bad.error().find("none of its 1 event files holds a graph") != std::string::npos, bad.error().c_str());
        QCOMPARE(none.numOps(), 0);
    }

    void eventFilesWithoutGraph_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::newRow("catboost") << "catboost-cpp-writer";
        QTest::newRow("histograms") << "tensorboardx-histograms";
        QTest::newRow("profile-empty") << "tf2-profile-empty";
        QTest::newRow("scalars") << "python-writer-gan-custom-scalars-histos";
    }

    void eventFilesWithoutGraph()
    {
        QFETCH(QString, folder);
        const std::string path = eventFile(folder.toStdString());
        Graph g;
        auto r = importGraphFile(path, g);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().find(path) != std::string::npos, r.error().c_str());
        QVERIFY2(r.error().find("holds no graph") != std::string::npos, r.error().c_str());
        QCOMPARE(g.numOps(), 0);
    }

    void metaGraphEventsOnly()
    {
        // An event file whose only graph is inside a meta_graph_def: built from the
        // regression graph, framed as TFRecords by the same rules as TF.
        const std::string graph = readFile(kGraphs + "tf1-regression-checkpoint-109-nodes.pb");
        tfproto::MetaGraphDef meta;
        meta.mutable_meta_info_def()->set_tensorflow_version("1.15.0");
        QVERIFY(meta.mutable_graph_def()->ParseFromString(graph));
        std::string event;
        // Event { wall_time: 1.0 (field 1, fixed64), meta_graph_def (field 9, bytes) }
        event += char(0x09);
        const double wt = 1.0;
        event.append(reinterpret_cast<const char*>(&wt), 8);
        const std::string metaBytes = meta.SerializeAsString();
        event += char(0x4a);
        uint64_t n = metaBytes.size();
        while (n >= 0x80) {
            event += char(n | 0x80);
            n >>= 7;
        }
        event += char(n);
        event += metaBytes;
        QTemporaryDir dir;
        const std::string path = dir.filePath("events.out.tfevents.1.host").toStdString();
        std::string file;
        appendRecord(file, event); // TFRecord framing (core/summary/record_io.h)
        writeFile(path, file);
        Graph g;
        auto r = importGraphFile(path, g);
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE(r->format, GraphFormat::EventFile);
        QVERIFY(r->fromMetaGraphDef);
        QCOMPARE(g.numOps(), 109);
        // The same bytes from memory (importGraphBytes detects the event file too).
        Graph g2;
        auto r2 = importGraphBytes(readFile(path), g2);
        QVERIFY2(r2.ok(), r2.error().c_str());
        QCOMPARE(g2.numOps(), 109);
    }

    // ---- containers ---------------------------------------------------------
    void containers()
    {
        const std::string graph = readFile(kGraphs + "tf1-regression-checkpoint-109-nodes.pb");
        QCOMPARE(detectGraphFormat(graph), GraphFormat::BinaryGraphDef);
        QCOMPARE(detectGraphFormat(readFile(kGraphs + "tf1-xla-demo-118-nodes.pbtxt")), GraphFormat::TextGraphDef);
        QCOMPARE(detectGraphFormat(readFile(eventFile("tf1-graph-only-while-loops"))), GraphFormat::EventFile);

        tfproto::MetaGraphDef meta;
        meta.mutable_meta_info_def()->set_tensorflow_version("1.15.0");
        meta.mutable_meta_info_def()->add_tags("serve");
        QVERIFY(meta.mutable_graph_def()->ParseFromString(graph));
        const std::string metaBytes = meta.SerializeAsString();
        QCOMPARE(detectGraphFormat(metaBytes), GraphFormat::BinaryMetaGraphDef);

        QTemporaryDir dir;
        const std::string metaPath = dir.filePath("model.ckpt.meta").toStdString();
        writeFile(metaPath, metaBytes);
        Graph g;
        auto r = importGraphFile(metaPath, g);
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE(r->format, GraphFormat::BinaryMetaGraphDef);
        QCOMPARE(g.numOps(), 109);

        // Text MetaGraphDef with sections we do not model (saver_def) and a comment.
        std::string text;
        google::protobuf::TextFormat::PrintToString(meta, &text);
        text = "# exported by hand\nsaver_def { filename_tensor_name: \"save/Const:0\" version: V2 }\n" + text;
        QCOMPARE(detectGraphFormat(text), GraphFormat::TextMetaGraphDef);
        text = "\xEF\xBB\xBF" + text; // saved by a Windows editor
        Graph gt;
        auto rt = importGraphBytes(text, gt);
        QVERIFY2(rt.ok(), rt.error().c_str());
        QCOMPARE(rt->format, GraphFormat::TextMetaGraphDef);
        QCOMPARE(gt.numOps(), 109);

        // SavedModel: saved_model_schema_version 1, one meta graph.
        std::string saved;
        saved += char(0x08);
        saved += char(0x01);
        saved += char(0x12);
        uint64_t n = metaBytes.size();
        while (n >= 0x80) {
            saved += char(n | 0x80);
            n >>= 7;
        }
        saved += char(n);
        saved += metaBytes;
        QCOMPARE(detectGraphFormat(saved), GraphFormat::SavedModel);
        const QString modelDir = dir.filePath("model");
        QDir().mkpath(modelDir);
        writeFile((modelDir + "/saved_model.pb").toStdString(), saved);
        Graph gs;
        auto rs = importGraphFile((modelDir + "/saved_model.pb").toStdString(), gs);
        QVERIFY2(rs.ok(), rs.error().c_str());
        QCOMPARE(rs->format, GraphFormat::SavedModel);
        QCOMPARE(gs.numOps(), 109);
        // The directory itself is not a graph, but the error says where the graph is.
        Graph gd;
        auto rd = importGraphFile(modelDir.toStdString(), gd);
        QVERIFY(!rd.ok());
        QVERIFY2(rd.error().find("is a directory") != std::string::npos, rd.error().c_str());
        QVERIFY(rd.error().find("saved_model.pb") != std::string::npos);
    }

    // ---- export and round trips ---------------------------------------------
    void roundTripSeedDemo()
    {
        Graph a;
        const demo::SeedModel m = demo::buildSeedDemo(a, true);
        ops::globalVariablesInitializer(a); // control inputs
        ops::identity(a, Output{m.loss.op, 0}, "loss_copy");
        // An edge from a second output: SparseSoftmaxCrossEntropyWithLogits:1 (the backprop).
        const Operation* xent = a.findOp("SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits");
        QVERIFY(xent);
        ops::identity(a, Output{xent->id(), 1}, "backprop");

        for (bool binary : {true, false}) {
            ExportOptions eo;
            eo.binary = binary;
            const std::string bytes = exportGraphDef(a, eo);
            QCOMPARE(detectGraphFormat(bytes), binary ? GraphFormat::BinaryGraphDef : GraphFormat::TextGraphDef);
            QCOMPARE(exportGraphDef(a, eo), bytes); // deterministic
            Graph b;
            auto r = importGraphBytes(bytes, b);
            QVERIFY2(r.ok(), r.error().c_str());
            QCOMPARE(r->warningCount, 0);
            QCOMPARE(r->producer, 27);
            compareGraphs(a, b, true);
            QCOMPARE(inputsOf(b, "backprop"),
                     std::vector<std::string>{"SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits:1"});
            QVERIFY(!b.findOp("init")->controlInputs().empty());
            QCOMPARE(b.findOp("init")->numOutputs(), 0);
        }

        // What TensorFlow needs to see, checked on the GraphDef itself.
        tfproto::GraphDef gd;
        QVERIFY(gd.ParseFromString(serializeGraphDef(a)));
        QCOMPARE(gd.versions().producer(), 27);
        QCOMPARE(gd.node_size(), a.numOps());
        std::map<std::string, const tfproto::NodeDef*> byName;
        for (const auto& n : gd.node())
            byName[n.name()] = &n;
        const auto& x = *byName.at("x");
        QCOMPARE(x.op(), std::string("Placeholder"));
        QCOMPARE(int(x.attr().at("dtype").type()), int(tfproto::DT_FLOAT));
        QCOMPARE(x.attr().at("shape").shape().dim(0).size(), int64_t(-1));
        QCOMPARE(x.attr().at("shape").shape().dim(1).size(), int64_t(64));
        const auto& c = *byName.at("my_net/biases/Initializer/Const");
        QCOMPARE(c.attr().at("value").tensor().tensor_content().size(), size_t(512 * 4));
        const auto& tags = *byName.at("summary/loss/tags");
        QCOMPARE(tags.attr().at("value").tensor().string_val(0), std::string("summary/loss"));
        const auto& matmul = *byName.at("my_net/MatMul");
        QCOMPARE(int(matmul.attr().at("T").type()), int(tfproto::DT_FLOAT));
        QCOMPARE(matmul.input(0), std::string("x"));
        QCOMPARE(matmul.attr().at("_output_shapes").list().shape(0).dim(1).size(), int64_t(512));
        const auto& init = *byName.at("init");
        QVERIFY(init.input_size() > 0);
        for (const auto& in : init.input())
            QCOMPARE(in.front(), '^');
        QCOMPARE(init.attr().at("_output_shapes").list().shape_size(), 0);
        QVERIFY(init.attr().at("_output_shapes").has_list());

        // Through files, format from the extension.
        QTemporaryDir dir;
        for (const char* name : {"seed.pb", "seed.pbtxt"}) {
            const std::string path = dir.filePath(name).toStdString();
            auto w = writeGraphFile(a, path);
            QVERIFY2(w.ok(), w.error().c_str());
            QVERIFY(!QFile::exists(QString::fromStdString(path + ".tmp")));
            Graph b;
            auto r = importGraphFile(path, b);
            QVERIFY2(r.ok(), r.error().c_str());
            QCOMPARE(r->format, std::string(name).find("pbtxt") != std::string::npos ? GraphFormat::TextGraphDef
                                                                                      : GraphFormat::BinaryGraphDef);
            compareGraphs(a, b, true);
        }
        auto bad = writeGraphFile(a, dir.filePath("no/such/dir/seed.pb").toStdString());
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().find("seed.pb") != std::string::npos);
    }

    void roundTripImportedGraphs()
    {
        // Devices, private attrs (_XlaCluster), text input; export; import again: identical.
        for (const std::string file : {"tf1-xla-demo-118-nodes.pbtxt", "tf1-regression-checkpoint-109-nodes.pb"}) {
            Graph a;
            QVERIFY(importGraphFile(kGraphs + file, a).ok());
            for (bool binary : {true, false}) {
                ExportOptions eo;
                eo.binary = binary;
                Graph b;
                auto r = importGraphBytes(exportGraphDef(a, eo), b);
                QVERIFY2(r.ok(), r.error().c_str());
                compareGraphs(a, b, true);
                std::ostringstream la, lb;
                listOps(a, la);
                listOps(b, lb);
                QCOMPARE(lb.str(), la.str());
            }
        }
        // Summarised tensors come back as zero-filled tensors of the same dtype and shape.
        Graph lstm;
        QVERIFY(importGraphFile(kGraphs + "tf1-frozen-lstm-529-nodes.pb", lstm).ok());
        tfproto::GraphDef gd;
        QVERIFY(gd.ParseFromString(serializeGraphDef(lstm)));
        int zeroFilled = 0;
        for (const auto& n : gd.node()) {
            if (n.op() != "Const")
                continue;
            const auto& t = n.attr().at("value");
            QVERIFY(t.has_tensor());
            if (t.tensor().tensor_content().empty() && t.tensor().float_val_size() == 0 && t.tensor().int_val_size() == 0 &&
                t.tensor().tensor_shape().dim_size() > 0)
                ++zeroFilled;
        }
        QVERIFY(zeroFilled > 0);
        Graph again;
        auto r = importGraphBytes(serializeGraphDef(lstm), again);
        QVERIFY(r.ok());
        QCOMPARE(r->summarizedTensors, zeroFilled);
        compareGraphs(lstm, again, true);
    }

    void listOpsFormat()
    {
        Graph g;
        demo::buildSeedDemo(g, true);
        ops::globalVariablesInitializer(g);
        std::ostringstream os;
        listOps(g, os);
        const std::string out = os.str();
        QVERIFY(out.rfind("x\tPlaceholder\t\n", 0) == 0); // creation order, empty input field
        QVERIFY(out.find("\nmy_net/MatMul\tMatMul\tx,my_net/weights/read\n") != std::string::npos);
        QVERIFY(out.find("\nsummary/Merge/MergeSummary\tMergeSummary\tsummary/loss,summary/accuracy,summary/weights,summary/biases,summary/activations\n") !=
                std::string::npos);
        QVERIFY(out.find("\ninit\tNoOp\t^my_net/weights/Assign,") != std::string::npos);
        int lines = 0;
        for (char ch : out)
            lines += ch == '\n';
        QCOMPARE(lines, g.numOps());
    }

    // ---- hand-made graphs: warnings -----------------------------------------
    void brokenReferences()
    {
        const std::string text = R"(
# inputs in every form; nodes out of order
node { name: "c" op: "AddN" input: "a" input: "b:1" input: "^a" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "a" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
node { name: "b" op: "Unknown" input: "missing:1" input: "a:3" input: "^gone" }
node { name: "a" op: "Const" }
node { name: "loop1" op: "Identity" input: "loop2" }
node { name: "loop2" op: "Identity" input: "loop1" }
node { name: "big" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
  attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 3 } dim { size: 3 } dim { size: 64 } dim { size: 64 } } } } } }
versions { producer: 27 }
)";
        Graph g;
        auto r = importGraphBytes(text, g);
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE(r->format, GraphFormat::TextGraphDef);
        QCOMPARE(r->nodeCount, 7);
        QCOMPARE(g.numOps(), 6); // the duplicate "a" is dropped
        const auto& w = r->warnings;
        auto has = [&](const std::string& s) { return std::find(w.begin(), w.end(), s) != w.end(); };
        QVERIFY(has("node 'b' input 'missing:1' refers to a node that does not exist"));
        QVERIFY(has("node 'b' input '^gone' refers to a node that does not exist"));
        QVERIFY(has("duplicate node name 'a' (op 'Const'); the first node with this name is kept"));
        QCOMPARE(r->warningCount, 3);
        QCOMPARE(g.findOp("a")->type(), std::string("Placeholder"));
        QCOMPARE(inputsOf(g, "c"), (std::vector<std::string>{"a", "b:1", "^a"}));
        QCOMPARE(inputsOf(g, "b"), std::vector<std::string>{"a:3"});
        // a:3 grew a's outputs; b:1 grew b's.
        QCOMPARE(g.findOp("a")->numOutputs(), 4);
        QCOMPARE(dtypeName(g.findOp("a")->outputs()[0].dtype), std::string("float32"));
        QCOMPARE(g.findOp("b")->numOutputs(), 2);
        QCOMPARE(inputsOf(g, "loop1"), std::vector<std::string>{"loop2"});
        QCOMPARE(inputsOf(g, "loop2"), std::vector<std::string>{"loop1"});
        const AttrValue* big = g.findOp("big")->attrs().find("value");
        QCOMPARE(big->str(), std::string("<tensor float32 [3,3,64,64], 36864 elements, 147456 bytes>"));
        QCOMPARE(g.findOp("big")->outputs()[0].shape, (Shape{3, 3, 64, 64}));
        QCOMPARE(r->summarizedTensors, 1);

        // maxWarnings caps the list but not the count.
        Graph g2;
        ImportOptions o;
        o.maxWarnings = 1;
        auto r2 = importGraphBytes(text, g2, o);
        QVERIFY(r2.ok());
        QCOMPARE(int(r2->warnings.size()), 1);
        QCOMPARE(r2->warningCount, 3);
    }

    void tensorAttrs()
    {
        // TF's repeat-the-last-value rule, typed lists per dtype, and tensor_content.
        const std::string text = R"(
node { name: "zeros" op: "Const" attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 2 } dim { size: 3 } } float_val: 0 } } } }
node { name: "fill" op: "Const" attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { dim { size: 4 } } int_val: 1 int_val: 7 } } } }
node { name: "raw" op: "Const" attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { dim { size: 2 } } tensor_content: "\001\000\000\000\002\000\000\000" } } } }
node { name: "str" op: "Const" attr { key: "value" value { tensor { dtype: DT_STRING tensor_shape { dim { size: 2 } } string_val: "a" string_val: "bc" } } } }
node { name: "b" op: "Const" attr { key: "value" value { tensor { dtype: DT_BOOL tensor_shape { } bool_val: true } } } }
node { name: "bad" op: "Const" attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { dim { size: 2 } } tensor_content: "\001\000" } } } }
node { name: "lists" op: "X" attr { key: "l" value { list { i: 1 i: 2 } } } attr { key: "e" value { list { } } } attr { key: "f" value { func { name: "fn" } } } }
)";
        Graph g;
        auto r = importGraphBytes(text, g);
        QVERIFY2(r.ok(), r.error().c_str());
        const Tensor& z = g.findOp("zeros")->attrs().find("value")->tensor();
        QCOMPARE(z.numElements(), int64_t(6));
        QCOMPARE(z.toDouble(5), 0.0);
        const Tensor& f = g.findOp("fill")->attrs().find("value")->tensor();
        QCOMPARE(f.toDouble(0), 1.0);
        QCOMPARE(f.toDouble(3), 7.0);
        const Tensor& raw = g.findOp("raw")->attrs().find("value")->tensor();
        QCOMPARE(raw.toDouble(1), 2.0);
        const Tensor& s = g.findOp("str")->attrs().find("value")->tensor();
        QCOMPARE(s.strings()[1], std::string("bc"));
        QCOMPARE(g.findOp("b")->attrs().find("value")->tensor().toDouble(0), 1.0);
        // Inconsistent tensor_content: summarised with a warning naming node and attr.
        QCOMPARE(int(g.findOp("bad")->attrs().find("value")->kind()), int(AttrValue::Kind::String));
        QVERIFY(r->warningCount == 1 && r->warnings[0].find("node 'bad' attr 'value'") == 0);
        QCOMPARE(g.findOp("lists")->attrs().find("l")->ints(), (std::vector<int64_t>{1, 2}));
        QVERIFY(g.findOp("lists")->attrs().find("e")->ints().empty());
        QCOMPARE(g.findOp("lists")->attrs().find("f")->str(), std::string("fn"));
        // And back: the empty list stays a list, the func a func.
        tfproto::GraphDef gd;
        QVERIFY(gd.ParseFromString(serializeGraphDef(g)));
        for (const auto& n : gd.node())
            if (n.name() == "lists") {
                QVERIFY(n.attr().at("e").has_list());
                QCOMPARE(n.attr().at("f").func().name(), std::string("fn"));
            }
    }

    // ---- bad input ------------------------------------------------------------
    void badFiles()
    {
        QTemporaryDir dir;
        auto expectError = [&](const std::string& path, const char* fragment) {
            Graph g;
            auto r = importGraphFile(path, g);
            QVERIFY2(!r.ok(), path.c_str());
            QVERIFY2(r.error().find(path) != std::string::npos, r.error().c_str());
            QVERIFY2(r.error().find(fragment) != std::string::npos, r.error().c_str());
            QCOMPARE(g.numOps(), 0);
        };
        const std::string empty = dir.filePath("empty.pb").toStdString();
        writeFile(empty, "");
        expectError(empty, "empty");
        const std::string png = dir.filePath("graph.pb").toStdString();
        static const char kPngHead[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
        writeFile(png, std::string_view(kPngHead, sizeof kPngHead - 1));
        expectError(png, "PNG image");
        const std::string garbage = dir.filePath("notes.pbtxt").toStdString();
        writeFile(garbage, "hello world\nthis is not a graph { at all\n");
        expectError(garbage, "not a TensorFlow graph");
        const std::string badText = dir.filePath("bad.pbtxt").toStdString();
        writeFile(badText, "# a node must be a message\nnode: 5\n");
        expectError(badText, "line 2");
        std::mt19937 rng(7);
        std::string random(4096, '\0');
        for (char& ch : random)
            ch = char(rng());
        const std::string rnd = dir.filePath("random.pb").toStdString();
        writeFile(rnd, random);
        expectError(rnd, "not a");
        expectError(dir.path().toStdString(), "is a directory");
        expectError(dir.filePath("missing.pb").toStdString(), "no such file");
        // Forced binary on text garbage (a GraphFound payload that is not a GraphDef).
        Graph g;
        auto r = importGraphDefBytes("hello world, definitely not protobuf", g);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().find("not a valid GraphDef") != std::string::npos, r.error().c_str());
        QCOMPARE(g.numOps(), 0);
    }

    // Text nested deeper than kMaxTextNesting is refused before protobuf's
    // text parser sees it: 20,000 levels of an unknown field inside an attr
    // (which overflowed the stack in protobuf 3.21's unknown-field skipping),
    // and 100,000 levels of `< >`. The error names the file, line, column, byte.
    void deeplyNestedText()
    {
        QTemporaryDir dir;
        const std::string head = "node { name: \"a\" op: \"NoOp\" attr { key: \"a\" value {\n";
        auto nested = [&](int levels, const char* open, const char* close) {
            std::string t = head;
            for (int i = 0; i < levels; ++i)
                t += open;
            for (int i = 0; i < levels; ++i)
                t += close;
            return t + "} }\n}\n";
        };
        const std::string deep = dir.filePath("deep.pbtxt").toStdString();
        writeFile(deep, nested(20000, "unknown_field { ", "}"));
        Graph g;
        auto r = importGraphFile(deep, g);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().find(deep + ": nested deeper than 1000 levels at line 2, column ") != std::string::npos,
                 r.error().c_str());
        // 3 levels are open on line 1, so the 998th unknown_field (index 997) would open level 1001
        const size_t byte = head.size() + 997 * std::strlen("unknown_field { ") + std::strlen("unknown_field ");
        QVERIFY2(r.error().find(cat("(byte ", byte, ")")) != std::string::npos, r.error().c_str());
        QCOMPARE(g.numOps(), 0);

        const std::string deeper = dir.filePath("deeper.pbtxt").toStdString();
        writeFile(deeper, nested(100000, "x <", ">"));
        r = importGraphFile(deeper, g);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().find("nested deeper than 1000 levels") != std::string::npos, r.error().c_str());
        // A text MetaGraphDef and a list nest the same way.
        std::string meta = "graph_def { node { name: \"a\" op: \"NoOp\" } }\nmeta_info_def { x: ";
        meta += std::string(5000, '[') + std::string(5000, ']') + " }\n";
        r = importGraphBytes(meta, g);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().find("<bytes>: nested deeper than 1000 levels at line 2") != std::string::npos,
                 r.error().c_str());

        // Within the limit an unknown field is skipped, and brackets inside strings and comments do not count.
        std::string fine = nested(500, "unknown_field { ", "}");
        fine += "# {{{{{{{{{{ <<<<<<<<\nnode { name: \"b{{{{<<<<[[[[\\\"{{{{\" op: 'NoOp' }\n";
        Graph ok;
        r = importGraphBytes(fine, ok);
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE(ok.numOps(), 2);
    }

    // Found by tests/fuzz: a text GraphDef may hold bytes that are not UTF-8 in
    // `string` fields, which protobuf's binary parser (ours, TensorFlow's)
    // refuses, so the graph exported from it could not be read back. Such
    // nodes are skipped with a warning, as the binary import does.
    void invalidUtf8InText()
    {
        const std::string text = "node { name: \"a\" op: \"NoOp\" }\n"
                                 "node { name: \"b\\325\\325\" op: \"Identity\" input: \"a\" }\n"
                                 "node { name: \"c\" op: \"N\\204Op\" }\n"
                                 "node { name: \"d\" op: \"NoOp\" input: \"^a\" }\n";
        Graph g;
        auto r = importGraphBytes(text, g);
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE(g.numOps(), 2);
        QVERIFY(r->warningCount >= 2);
        QVERIFY2(r->warnings[0].find("node #2 holds a name, op, input, device or attr string that is not valid UTF-8") !=
                     std::string::npos,
                 r->warnings[0].c_str());
        Graph again;
        auto back = importGraphDefBytes(serializeGraphDef(g), again);
        QVERIFY2(back.ok(), back.error().c_str());
        QCOMPARE(again.numOps(), 2);
        Graph none;
        r = importGraphBytes("node { name: \"\\377\" op: \"NoOp\" }\n", none);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().find("1 node(s) hold strings that are not valid UTF-8") != std::string::npos,
                 r.error().c_str());
        QCOMPARE(none.numOps(), 0);
    }

    // A binary NodeDef nested deeper than protobuf's recursion limit (a func
    // attr holding a func attr, 300 times) is refused cleanly, with a message
    // that says why; a good node beside it is kept.
    void deeplyNestedBinary()
    {
        tfproto::AttrValue v;
        v.set_s("leaf");
        for (int i = 0; i < 300; ++i) {
            tfproto::AttrValue outer;
            outer.mutable_func()->set_name("f");
            (*outer.mutable_func()->mutable_attr())["a"] = v;
            v = std::move(outer);
        }
        tfproto::GraphDef gd;
        tfproto::NodeDef* n = gd.add_node();
        n->set_name("deep");
        n->set_op("NoOp");
        (*n->mutable_attr())["a"] = v;
        Graph g;
        auto r = importGraphDefBytes(gd.SerializeAsString(), g);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().find("nested deeper than protobuf's limit") != std::string::npos, r.error().c_str());
        QCOMPARE(g.numOps(), 0);
        tfproto::NodeDef* good = gd.add_node();
        good->set_name("good");
        good->set_op("NoOp");
        r = importGraphBytes(gd.SerializeAsString(), g);
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE(g.numOps(), 1);
        QVERIFY(r->warningCount == 1 && r->warnings[0].find("nested deeper") != std::string::npos);
    }

    // Ten million nodes are refused before any op is made (kMaxGraphNodes),
    // binary (80 MB of NodeDefs `name: "a" op: "N"`) and text (`node{}` ten
    // million times, 60 MB), read from files the test writes in blocks. Each import's peak
    // memory stays within twice the file size (the file's bytes and the
    // node-count walk; no op, no parsed NodeDef).
    void tenMillionNodes()
    {
        constexpr int64_t kNodes = 10'000'000;
        QVERIFY(kNodes > kMaxGraphNodes);
        QTemporaryDir dir;
        struct Case {
            const char* file;
            std::string_view node;
            std::string message;
        };
        const std::string text = dir.filePath("huge.pbtxt").toStdString();
        const Case cases[] = {
            {"huge.pb", std::string_view("\x0a\x06\x0a\x01\x61\x12\x01\x4e", 8),
             cat("10000000 nodes; more than the ", kMaxGraphNodes, " nodes")},
            {"huge.pbtxt", "node{}", cat(text, ": 10000000 top-level blocks; more than the ", kMaxGraphNodes)},
        };
        for (const Case& c : cases) {
            const std::string path = dir.filePath(c.file).toStdString();
            const uint64_t size = writeRepeated(path, c.node, kNodes);
            Graph g;
            auto r = importGraphFile(path, g);
            const long grownKb = peakGrowthKb([&] {
                Graph again;
                (void)importGraphFile(path, again);
            });
            QVERIFY(grownKb >= 0);
            qInfo("%s: %llu bytes, peak memory grew by %ld KiB", c.file, (unsigned long long)size, grownKb);
            QVERIFY(!r.ok());
            QVERIFY2(r.error().find(c.message) != std::string::npos, r.error().c_str());
            QCOMPARE(g.numOps(), 0);
            QVERIFY2(uint64_t(grownKb) * 1024 <= 2 * size,
                     qPrintable(QStringLiteral("%1: peak memory grew by %2 KiB for a file of %3 bytes")
                                    .arg(c.file).arg(grownKb).arg(size)));
        }
        // The same refusal from bytes already in memory.
        std::string bytes;
        bytes.reserve(size_t(kNodes) * 2);
        for (int64_t i = 0; i < kNodes; ++i)
            bytes += std::string_view("\x0a\x00", 2);
        Graph g;
        auto r = importGraphDefBytes(bytes, g);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().find(cat("10000000 nodes; more than the ", kMaxGraphNodes, " nodes")) != std::string::npos,
                 r.error().c_str());
        QCOMPARE(g.numOps(), 0);
    }

    // A graph file above 2 GiB (sparse: a valid node, then a hole) cannot be a
    // protobuf message: it is refused by name and size before anything is
    // read, allocating nothing near its size. An event file is the exception
    // (streamed; summary_robustness_test twoGigabyteFileStreams).
    void graphFileOverTwoGiB()
    {
        QTemporaryDir dir;
        for (const char* name : {"big.pb", "big.pbtxt"}) {
            const std::string path = dir.filePath(name).toStdString();
            tfproto::GraphDef gd;
            tfproto::NodeDef* n = gd.add_node();
            n->set_name("a");
            n->set_op("NoOp");
            writeFile(path, std::string(name).ends_with(".pb") ? gd.SerializeAsString() : gd.DebugString());
            const uint64_t size = (uint64_t(2) << 30) + 1;
            QCOMPARE(::truncate(path.c_str(), off_t(size)), 0);
            Graph g;
            auto r = importGraphFile(path, g);
            QVERIFY(!r.ok());
            QVERIFY2(r.error() == cat(path, ": too large to be a GraphDef (", size,
                                      " bytes; protobuf messages are below 2 GiB)"),
                     r.error().c_str());
            QCOMPARE(g.numOps(), 0);
            const long grownKb = peakGrowthKb([&] {
                Graph again;
                (void)importGraphFile(path, again);
            });
            QVERIFY2(grownKb >= 0 && grownKb < 16 * 1024, "a refused file must not be read");
        }
    }

    void truncatedGraphDefs()
    {
        // Every cut point keeps the nodes before it, or fails cleanly when none are complete.
        for (const std::string file : {"tf1-regression-checkpoint-109-nodes.pb", "tf1-frozen-lstm-529-nodes.pb"}) {
            const std::string bytes = readFile(kGraphs + file);
            const size_t step = std::max<size_t>(1, bytes.size() / 397);
            int lastNodes = 0;
            for (size_t cut = 1; cut < bytes.size(); cut += step) {
                Graph g;
                auto r = importGraphDefBytes(std::string_view(bytes).substr(0, cut), g);
                if (!r.ok()) {
                    QVERIFY2(r.error().find("not a valid GraphDef") != std::string::npos, r.error().c_str());
                    QVERIFY2(r.error().find(std::to_string(cut) + " bytes") != std::string::npos, r.error().c_str());
                    QCOMPARE(g.numOps(), 0);
                    continue;
                }
                if (!r->partial) { // cut exactly between two fields: a valid, shorter GraphDef
                    QCOMPARE(r->warningCount, 0);
                    QVERIFY(r->nodeCount >= lastNodes);
                    lastNodes = r->nodeCount;
                    continue;
                }
                QVERIFY(r->warningCount > 0);
                QVERIFY2(r->warnings.back().find("nodes before it were kept") != std::string::npos ||
                             r->warnings.front().find("nodes before it were kept") != std::string::npos,
                         r->warnings.front().c_str());
                QVERIFY(r->nodeCount >= lastNodes); // more bytes never give fewer nodes
                lastNodes = r->nodeCount;
                QCOMPARE(g.numOps(), r->nodeCount);
            }
            QVERIFY(lastNodes > 0);
            // Auto-detection still recognises a cut file, from a path too.
            QTemporaryDir dir;
            const std::string path = dir.filePath("cut.pb").toStdString();
            writeFile(path, std::string_view(bytes).substr(0, bytes.size() * 2 / 3));
            Graph g;
            auto r = importGraphFile(path, g);
            QVERIFY2(r.ok(), r.error().c_str());
            QVERIFY(r->partial);
            QVERIFY(g.numOps() > 0);
        }
        // Text cut in the middle: nodes before the error are kept.
        const std::string text = readFile(kGraphs + "tf1-xla-demo-118-nodes.pbtxt");
        Graph g;
        auto r = importGraphBytes(std::string_view(text).substr(0, text.size() / 2), g);
        QVERIFY2(r.ok(), r.error().c_str());
        QVERIFY(r->partial);
        QVERIFY(g.numOps() > 10 && g.numOps() < 118);
    }

    void truncatedEventFiles()
    {
        const std::string bytes = readFile(eventFile("tf1-estimator-tensorboard-functionaltest"));
        QTemporaryDir dir;
        const std::string path = dir.filePath("events.out.tfevents.1.cut").toStdString();
        int withGraph = 0;
        for (size_t cut = 0; cut <= bytes.size(); cut += bytes.size() / 37) {
            writeFile(path, std::string_view(bytes).substr(0, cut));
            Graph g;
            auto r = importGraphFile(path, g);
            if (r.ok()) {
                ++withGraph;
                QVERIFY(g.numOps() == 255 || g.numOps() == 338);
            } else {
                QVERIFY2(r.error().find(path) != std::string::npos, r.error().c_str());
                QCOMPARE(g.numOps(), 0);
            }
            Graph m;
            auto rm = importGraphBytes(std::string_view(bytes).substr(0, cut), m);
            QCOMPARE(rm.ok(), r.ok());
        }
        QVERIFY(withGraph > 30);
    }

    void fuzzMutations()
    {
        // Random byte edits of a small GraphDef: the importer must return an error
        // or a graph, never crash, and a graph's op count must match its report.
        const std::string original = readFile(kGraphs + "tf1-regression-checkpoint-109-nodes.pb");
        std::mt19937 rng(12345);
        int graphs = 0, errors = 0;
        for (int iter = 0; iter < 3000; ++iter) {
            std::string b = original;
            const int edits = 1 + int(rng() % 8);
            for (int e = 0; e < edits; ++e) {
                const size_t pos = rng() % b.size();
                switch (rng() % 5) {
                case 0: b[pos] = char(rng()); break;
                case 1: b[pos] = char(b[pos] ^ (1 << (rng() % 8))); break;
                case 2: b.insert(pos, 1, char(rng())); break;
                case 3: b.erase(pos, 1 + rng() % 16); break;
                case 4: b[pos] = char(0xff); break; // long varints, huge lengths
                }
                if (b.empty())
                    b.push_back('x');
            }
            Graph g;
            auto r = iter % 2 ? importGraphBytes(b, g) : importGraphDefBytes(b, g);
            if (r.ok()) {
                ++graphs;
                QCOMPARE(g.numOps(), r->opsAdded);
                std::ostringstream os;
                listOps(g, os); // every resolved edge points into the graph
                Graph again;
                auto back = importGraphBytes(serializeGraphDef(g), again);
                QVERIFY2(back.ok() || g.numOps() == 0, back.error().c_str());
            } else {
                ++errors;
                QVERIFY(!r.error().empty());
                QCOMPARE(g.numOps(), 0);
            }
        }
        QVERIFY(graphs > 0);
        qInfo("fuzz: %d graphs, %d errors", graphs, errors);
    }

};

QTEST_GUILESS_MAIN(IoTest)
#include "io_test.moc"
