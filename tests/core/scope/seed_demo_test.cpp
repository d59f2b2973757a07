// The seed demo built exactly as TensorFlow 1.15 builds the equivalent
// program (docs/scoping.md §6-§9, §12): every op's name, type and inputs in
// creation order, the colocation attrs, and the reuse trace that shows
// my_net/* and head/* created in my_net/head and reused in my_net_1/head_1.
//
// The Python program the expected list was derived from:
//   x = tf.placeholder(tf.float32, [None, 64], name="x")
//   labels = tf.placeholder(tf.int64, [None], name="labels")
//   x_eval = tf.placeholder(tf.float32, [None, 64], name="x_eval")
//   def my_net(input, reuse):
//     with tf.variable_scope("my_net", reuse=reuse):
//       w = tf.get_variable("weights", [64, 512], initializer=tf.truncated_normal_initializer(0, 0.1))
//       b = tf.get_variable("biases", [512], initializer=tf.constant_initializer(0.1))
//       return tf.nn.relu(tf.matmul(input, w) + b)
//   def head(h, reuse):
//     with tf.variable_scope("head", reuse=reuse):
//       w = tf.get_variable("weights", [512, 10], initializer=tf.truncated_normal_initializer(0, 0.1))
//       b = tf.get_variable("biases", [10], initializer=tf.zeros_initializer())
//       return tf.matmul(h, w) + b
//   logits = head(my_net(x, False), False); eval_logits = head(my_net(x_eval, True), True)
//   loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
//   accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), labels), tf.float32))
//   with tf.name_scope("summary"):
//     tf.summary.scalar("loss", loss); tf.summary.scalar("accuracy", accuracy)
//     tf.summary.histogram("weights", w_my_net); merged = tf.summary.merge_all()
#include "core/demo/seed_demo.h"
#include "core/graph/graph.h"
#include "core/scope/variable_scope.h"
#include "core/summary/summary_ops.h"
#include "tests/core/scope/scope_test_util.h"

#include <QtTest>

using namespace scopeviz;
using namespace scopeviz::testing;

namespace {

/// The ops of one get_variable with truncated_normal_initializer.
QStringList truncatedNormalVariable(const QString& v)
{
    const QString t = v + "/Initializer/truncated_normal";
    return {t + "/shape Const",
            t + "/mean Const",
            t + "/stddev Const",
            t + "/TruncatedNormal TruncatedNormal <- " + t + "/shape",
            t + "/mul Mul <- " + t + "/TruncatedNormal, " + t + "/stddev",
            t + " Add <- " + t + "/mul, " + t + "/mean",
            v + " VariableV2",
            v + "/Assign Assign <- " + v + ", " + t,
            v + "/read Identity <- " + v};
}

QStringList expectedSeedOps()
{
    QStringList e{"x Placeholder", "labels Placeholder", "x_eval Placeholder"};
    e << truncatedNormalVariable("my_net/weights");
    e << "my_net/biases/Initializer/Const Const"
      << "my_net/biases VariableV2"
      << "my_net/biases/Assign Assign <- my_net/biases, my_net/biases/Initializer/Const"
      << "my_net/biases/read Identity <- my_net/biases"
      << "my_net/MatMul MatMul <- x, my_net/weights/read"
      << "my_net/add AddV2 <- my_net/MatMul, my_net/biases/read"
      << "my_net/Relu Relu <- my_net/add";
    e << truncatedNormalVariable("head/weights");
    e << "head/biases/Initializer/zeros Const"
      << "head/biases VariableV2"
      << "head/biases/Assign Assign <- head/biases, head/biases/Initializer/zeros"
      << "head/biases/read Identity <- head/biases"
      << "head/MatMul MatMul <- my_net/Relu, head/weights/read"
      << "head/add AddV2 <- head/MatMul, head/biases/read";
    // Second tower: variables reused, so only the computation is new.
    e << "my_net_1/MatMul MatMul <- x_eval, my_net/weights/read"
      << "my_net_1/add AddV2 <- my_net_1/MatMul, my_net/biases/read"
      << "my_net_1/Relu Relu <- my_net_1/add"
      << "head_1/MatMul MatMul <- my_net_1/Relu, head/weights/read"
      << "head_1/add AddV2 <- head_1/MatMul, head/biases/read";
    // Loss: labels have an unknown dim, so the labels shape is a Shape op, not a Const.
    e << "SparseSoftmaxCrossEntropyWithLogits/Shape Shape <- labels"
      << "SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits SparseSoftmaxCrossEntropyWithLogits "
         "<- head/add, labels"
      << "Const Const"
      << "Mean Mean <- SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits, Const";
    // Accuracy.
    e << "ArgMax/dimension Const"
      << "ArgMax ArgMax <- head/add, ArgMax/dimension"
      << "Equal Equal <- ArgMax, labels"
      << "Cast Cast <- Equal"
      << "Const_1 Const"
      << "Mean_1 Mean <- Cast, Const_1";
    return e;
}

struct VarEvent {
    QString fullName, outcome, nameScope, variableScope, reuse;
    int variable;
    bool operator==(const VarEvent&) const = default;
};

QString outcomeName(TraceEvent::Outcome o)
{
    switch (o) {
    case TraceEvent::Outcome::None: return "None";
    case TraceEvent::Outcome::Created: return "Created";
    case TraceEvent::Outcome::Reused: return "Reused";
    case TraceEvent::Outcome::Failed: return "Failed";
    }
    return "?";
}

QStringList getVariableEvents(const Graph& g)
{
    QStringList out;
    for (const TraceEvent& e : g.trace())
        if (e.kind == TraceEvent::Kind::GetVariable)
            out << QStringLiteral("%1 %2 ns=%3 vs=%4 reuse=%5 var=%6")
                       .arg(qs(e.fullName), outcomeName(e.outcome), qs(e.nameScope), qs(e.variableScope),
                            QString::fromLatin1(reuseName(e.reuse)))
                       .arg(e.variable);
    return out;
}

QStringList variableScopeEvents(const Graph& g)
{
    QStringList out;
    for (const TraceEvent& e : g.trace())
        if (e.kind == TraceEvent::Kind::EnterVariableScope)
            out << QStringLiteral("%1 ns=%2 reuse=%3").arg(qs(e.fullName), qs(e.nameScope),
                                                          QString::fromLatin1(reuseName(e.reuse)));
    return out;
}

} // namespace

class SeedDemoTest : public QObject {
    Q_OBJECT

private slots:
    void seed_opsNamesTypesInputs();
    void seed_opCountAndUniqueNames();
    void seed_variables();
    void seed_colocationAttrs();
    void seed_reuseTraceGetVariable();
    void seed_reuseTraceVariableScopes();
    void seed_traceOpCountsReplay();
    void seed_opVariableScopes();
    void seed_shapes();
    void seed_withSummaries();
    void seed_buildTwiceInOneGraphFails();
};

void SeedDemoTest::seed_opsNamesTypesInputs()
{
    Graph g;
    demo::buildSeedDemo(g);
    QCOMPARE(opSignatures(g), expectedSeedOps());
}

void SeedDemoTest::seed_opCountAndUniqueNames()
{
    Graph g;
    demo::buildSeedDemo(g);
    QCOMPARE(g.numOps(), int(expectedSeedOps().size()));
    QSet<QString> seen;
    for (const QString& n : opNames(g)) {
        QVERIFY2(!seen.contains(n.toLower()), qPrintable(n));
        seen.insert(n.toLower());
    }
}

void SeedDemoTest::seed_variables()
{
    Graph g;
    demo::SeedModel m = demo::buildSeedDemo(g);
    QCOMPARE(int(g.variables().size()), 4);
    QCOMPARE(qs(m.weights.name()), QStringLiteral("my_net/weights:0"));
    QCOMPARE(qs(m.biases.name()), QStringLiteral("my_net/biases:0"));
    QCOMPARE(qs(m.headWeights.name()), QStringLiteral("head/weights:0"));
    QCOMPARE(qs(m.headBiases.name()), QStringLiteral("head/biases:0"));
    QCOMPARE(m.weights.info().shape, (Shape{demo::kSeedInputs, demo::kSeedHidden}));
    QCOMPARE(m.headBiases.info().shape, (Shape{demo::kSeedClasses}));
    QStringList trainable;
    for (const Output& o : g.collection("trainable_variables"))
        trainable << nameOf(g, o);
    QCOMPARE(trainable, (QStringList{"my_net/weights", "my_net/biases", "head/weights", "head/biases"}));
    QCOMPARE(g.collection("variables").size(), size_t(4));
}

void SeedDemoTest::seed_colocationAttrs()
{
    Graph g;
    demo::buildSeedDemo(g);
    for (const char* v : {"my_net/weights", "my_net/biases", "head/weights", "head/biases"}) {
        const QString loc = QStringLiteral("loc:@") + v;
        for (int i = 0; i < g.numOps(); ++i) {
            const QString n = nameOf(g, OpId(i));
            if (n.startsWith(QString(v) + "/Initializer/") || n == QString(v) + "/Assign" || n == QString(v) + "/read")
                QVERIFY2(classAttr(g, i) == loc, qPrintable(n));
        }
        QCOMPARE(classAttr(g, g.findOp(v)->id()), QString());
    }
    QCOMPARE(classAttr(g, g.findOp("my_net/MatMul")->id()), QString());
}

void SeedDemoTest::seed_reuseTraceGetVariable()
{
    Graph g;
    demo::buildSeedDemo(g);
    QCOMPARE(getVariableEvents(g),
             (QStringList{"my_net/weights Created ns=my_net/ vs=my_net reuse=False var=0",
                          "my_net/biases Created ns=my_net/ vs=my_net reuse=False var=1",
                          "head/weights Created ns=head/ vs=head reuse=False var=2",
                          "head/biases Created ns=head/ vs=head reuse=False var=3",
                          "my_net/weights Reused ns=my_net_1/ vs=my_net reuse=True var=0",
                          "my_net/biases Reused ns=my_net_1/ vs=my_net reuse=True var=1",
                          "head/weights Reused ns=head_1/ vs=head reuse=True var=2",
                          "head/biases Reused ns=head_1/ vs=head reuse=True var=3"}));
    // The creating event is linked from the variable.
    for (int i = 0; i < 4; ++i) {
        const int t = g.variables()[size_t(i)].traceIndex;
        QVERIFY(t >= 0);
        QCOMPARE(g.trace()[size_t(t)].outcome, TraceEvent::Outcome::Created);
        QCOMPARE(g.trace()[size_t(t)].variable, i);
    }
}

void SeedDemoTest::seed_reuseTraceVariableScopes()
{
    Graph g;
    demo::buildSeedDemo(g);
    QCOMPARE(variableScopeEvents(g), (QStringList{"my_net ns=my_net/ reuse=False", "head ns=head/ reuse=False",
                                                  "my_net ns=my_net_1/ reuse=True", "head ns=head_1/ reuse=True"}));
}

void SeedDemoTest::seed_traceOpCountsReplay()
{
    // Each event records how many ops existed, so a replay can show the graph as it grew.
    Graph g;
    demo::buildSeedDemo(g);
    int last = 0;
    QStringList reusedAt;
    for (const TraceEvent& e : g.trace()) {
        QVERIFY(e.opCount >= last);
        last = e.opCount;
        if (e.kind == TraceEvent::Kind::GetVariable && e.outcome == TraceEvent::Outcome::Reused)
            reusedAt << nameOf(g, OpId(e.opCount - 1));
    }
    // Reuses happen right after the previous tower's last op (no ops in between for biases).
    QCOMPARE(reusedAt, (QStringList{"head/add", "head/add", "my_net_1/Relu", "my_net_1/Relu"}));
}

void SeedDemoTest::seed_opVariableScopes()
{
    Graph g;
    demo::buildSeedDemo(g);
    QCOMPARE(qs(g.findOp("my_net_1/MatMul")->variableScope()), QStringLiteral("my_net"));
    QCOMPARE(qs(g.findOp("head_1/add")->variableScope()), QStringLiteral("head"));
    QCOMPARE(qs(g.findOp("Mean")->variableScope()), QString());
    QCOMPARE(qs(g.findOp("my_net_1/MatMul")->nameScope()), QStringLiteral("my_net_1"));
}

void SeedDemoTest::seed_shapes()
{
    Graph g;
    demo::SeedModel m = demo::buildSeedDemo(g);
    QCOMPARE(g.info(m.logits).shape, (Shape{-1, demo::kSeedClasses}));
    QCOMPARE(g.info(m.evalLogits).shape, (Shape{-1, demo::kSeedClasses}));
    QCOMPARE(g.info(m.loss).shape, Shape::scalar());
    QCOMPARE(g.info(m.accuracy).shape, Shape::scalar());
    QCOMPARE(nameOf(g, m.loss), QStringLiteral("Mean"));
    QCOMPARE(nameOf(g, m.accuracy), QStringLiteral("Mean_1"));
}

void SeedDemoTest::seed_withSummaries()
{
    Graph g;
    demo::SeedModel m = demo::buildSeedDemo(g, true);
    const int base = int(expectedSeedOps().size());
    QCOMPARE(opSignatures(g, 0).mid(0, base), expectedSeedOps());
    QCOMPARE(opSignatures(g, base),
             (QStringList{"summary/loss/tags Const", "summary/loss ScalarSummary <- summary/loss/tags, Mean",
                          "summary/accuracy/tags Const",
                          "summary/accuracy ScalarSummary <- summary/accuracy/tags, Mean_1",
                          "summary/weights/tag Const",
                          "summary/weights HistogramSummary <- summary/weights/tag, my_net/weights/read",
                          "summary/biases/tag Const",
                          "summary/biases HistogramSummary <- summary/biases/tag, my_net/biases/read",
                          "summary/activations/tag Const",
                          "summary/activations HistogramSummary <- summary/activations/tag, my_net/Relu",
                          "summary/Merge/MergeSummary MergeSummary <- summary/loss, summary/accuracy, summary/weights, "
                          "summary/biases, summary/activations"}));
    QVERIFY(m.summaries);
    QCOMPARE(QString::fromStdString(summary::tagOf(g, g.findOp("summary/loss")->id())), QStringLiteral("summary/loss"));
    QCOMPARE(g.collection("summaries").size(), size_t(5));
}

void SeedDemoTest::seed_buildTwiceInOneGraphFails()
{
    // Building the program again in the same graph re-creates my_net/weights under reuse=False:
    // TF raises "already exists", and the graph stays usable.
    Graph g;
    demo::buildSeedDemo(g);
    const int ops = g.numOps();
    const QString e = errorText<ValueError>([&] { demo::buildSeedDemo(g); });
    QVERIFY2(e.startsWith("Variable my_net/weights already exists, disallowed. Did you mean to set reuse=True or "
                          "reuse=tf.AUTO_REUSE in VarScope? Originally defined at:"),
             qPrintable(e));
    // The second build created x_1, labels_1, x_eval_1 before failing, and nothing else.
    QCOMPARE(opNames(g, ops), (QStringList{"x_1", "labels_1", "x_eval_1"}));
    QCOMPARE(qs(g.nameScope()), QString());
    QCOMPARE(qs(currentVariableScope(g)->name), QString());
    Output extra = demo::myNet(g, Output{g.findOp("x")->id(), 0}, Reuse::True);
    QCOMPARE(nameOf(g, extra), QStringLiteral("my_net_3/Relu"));
}

QTEST_GUILESS_MAIN(SeedDemoTest)
#include "seed_demo_test.moc"
