// Conformance tests for summary op naming (docs/scoping.md §12): tags carry the
// name-scope path and the `_N` uniquifier, clean_tag, family, merge and
// merge_all naming.
#include "core/graph/graph.h"
#include "core/ops/ops.h"
#include "core/scope/variable_scope.h"
#include "core/summary/summary_ops.h"
#include "tests/core/scope/scope_test_util.h"

#include <QtTest>

using namespace scopeviz;
using namespace scopeviz::testing;

namespace {
QString tag(const Graph& g, Output summaryOp) { return QString::fromStdString(summary::tagOf(g, summaryOp.op)); }
} // namespace

class SummaryNamingTest : public QObject {
    Q_OBJECT

private slots:
    void s12_1_cleanTag_data();
    void s12_1_cleanTag();
    void s12_2_scalarAtRoot();
    void s12_2_tagIncludesNameScope();
    void s12_2_secondCallSuffixed();
    void s12_2_family();
    void s12_2_familyCleaned();
    void s12_2_illegalNameCleanedBeforeScope();
    void s12_2_insideReenteredVariableScope();
    void s12_2_histogramTagConst();
    void s12_2_literalValuesAfterTag();
    void s12_2_sharesNamespaceWithOps();
    void s12_2_summariesCollection();
    void s12_2_customCollections();
    void s12_3_mergeDefaultName();
    void s12_3_mergeExplicitName();
    void s12_3_mergeCleansName();
    void s12_3_mergeInNameScope();
    void s12_3_mergeAddsToNoCollection();
    void s12_3_mergeAllReturnsNulloptWhenEmpty();
    void s12_3_mergeAllCollectsInOrder();
    void s12_3_mergeAllScopeIsPrefixRegex();
    void s12_3_mergeAllScopeNoMatch();
    void s12_3_mergeAllOtherKey();
};

void SummaryNamingTest::s12_1_cleanTag_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("cleaned");
    QTest::newRow("spaces") << "name with spaces" << "name_with_spaces";
    QTest::newRow("illegal") << "name with many $#illegal^: characters!" << "name_with_many___illegal___characters_";
    QTest::newRow("leading-slash") << "/name/with/leading/slash" << "name/with/leading/slash";
    QTest::newRow("many-leading-slashes") << "///a" << "a";
    QTest::newRow("kept") << "a-b/c_d.e" << "a-b/c_d.e";
    QTest::newRow("colon") << "loss:0" << "loss_0";
}

void SummaryNamingTest::s12_1_cleanTag()
{
    QFETCH(QString, name);
    QFETCH(QString, cleaned);
    QCOMPARE(QString::fromStdString(summary::cleanTag(name.toStdString())), cleaned);
}

void SummaryNamingTest::s12_2_scalarAtRoot()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{}, "x");
    Output s = summary::scalar(g, "loss", x);
    QCOMPARE(nameOf(g, s), QStringLiteral("loss"));
    QCOMPARE(tag(g, s), QStringLiteral("loss"));
    QCOMPARE(opSignatures(g, 1), (QStringList{"loss/tags Const", "loss ScalarSummary <- loss/tags, x"}));
}

void SummaryNamingTest::s12_2_tagIncludesNameScope()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{}, "x");
    NameScope outer(g, "outer");
    Output s = summary::scalar(g, "inner", x);
    QCOMPARE(nameOf(g, s), QStringLiteral("outer/inner"));
    QCOMPARE(tag(g, s), QStringLiteral("outer/inner"));
}

void SummaryNamingTest::s12_2_secondCallSuffixed()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{}, "x");
    NameScope outer(g, "outer");
    summary::scalar(g, "inner", x);
    Output s = summary::scalar(g, "inner", x);
    QCOMPARE(nameOf(g, s), QStringLiteral("outer/inner_1"));
    QCOMPARE(tag(g, s), QStringLiteral("outer/inner_1"));
    QVERIFY(g.findOp("outer/inner_1/tags") != nullptr);
}

void SummaryNamingTest::s12_2_family()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{}, "x");
    NameScope outer(g, "outer");
    Output s1 = summary::scalar(g, "inner", x, {}, std::string("family"));
    Output s2 = summary::scalar(g, "inner", x, {}, std::string("family"));
    QCOMPARE(nameOf(g, s1), QStringLiteral("outer/family/inner"));
    QCOMPARE(tag(g, s1), QStringLiteral("family/outer/family/inner"));
    QCOMPARE(nameOf(g, s2), QStringLiteral("outer/family/inner_1"));
    QCOMPARE(tag(g, s2), QStringLiteral("family/outer/family/inner_1"));
}

void SummaryNamingTest::s12_2_familyCleaned()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{}, "x");
    Output s = summary::scalar(g, "my loss", x, {}, std::string("/my family"));
    QCOMPARE(nameOf(g, s), QStringLiteral("my_family/my_loss"));
    QCOMPARE(tag(g, s), QStringLiteral("my_family/my_family/my_loss"));
}

void SummaryNamingTest::s12_2_illegalNameCleanedBeforeScope()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{}, "x");
    Output s = summary::scalar(g, "name with spaces", x);
    QCOMPARE(nameOf(g, s), QStringLiteral("name_with_spaces"));
    QCOMPARE(tag(g, s), QStringLiteral("name_with_spaces"));
    Output h = summary::histogram(g, "/name/with/leading/slash", x);
    QCOMPARE(nameOf(g, h), QStringLiteral("name/with/leading/slash"));
}

void SummaryNamingTest::s12_2_insideReenteredVariableScope()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{}, "x");
    { VariableScope vs(g, "foo"); }
    VariableScope vs(g, "foo");
    Output s = summary::scalar(g, "loss", x);
    QCOMPARE(tag(g, s), QStringLiteral("foo_1/loss")); // the variable scope's *name scope*
}

void SummaryNamingTest::s12_2_histogramTagConst()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{3}, "x");
    NameScope n(g, "summary");
    Output h = summary::histogram(g, "weights", x);
    QCOMPARE(opSignatures(g, 1),
             (QStringList{"summary/weights/tag Const", "summary/weights HistogramSummary <- summary/weights/tag, x"}));
    QCOMPARE(tag(g, h), QStringLiteral("summary/weights"));
    QCOMPARE(g.info(h).dtype, DType::String);
}

void SummaryNamingTest::s12_2_literalValuesAfterTag()
{
    // The kernel wrapper converts its inputs in op-def order: tags first, then values.
    Graph g;
    summary::scalar(g, "lit", 1.0);
    QCOMPARE(opSignatures(g), (QStringList{"lit/tags Const", "lit/values Const",
                                           "lit ScalarSummary <- lit/tags, lit/values"}));
}

void SummaryNamingTest::s12_2_sharesNamespaceWithOps()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{}, "loss");
    Output s = summary::scalar(g, "loss", x);
    QCOMPARE(nameOf(g, s), QStringLiteral("loss_1"));
    QCOMPARE(tag(g, s), QStringLiteral("loss_1"));
}

void SummaryNamingTest::s12_2_summariesCollection()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{}, "x");
    Output a = summary::scalar(g, "a", x);
    Output b = summary::histogram(g, "b", x);
    QCOMPARE(g.collection("summaries"), (std::vector<Output>{a, b}));
}

void SummaryNamingTest::s12_2_customCollections()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{}, "x");
    Output a = summary::scalar(g, "a", x, {"mine"});
    QCOMPARE(g.collection("mine"), (std::vector<Output>{a}));
    QVERIFY(g.collection("summaries").empty());
}

void SummaryNamingTest::s12_3_mergeDefaultName()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{}, "x");
    Output a = summary::scalar(g, "a", x);
    Output m1 = summary::merge(g, {a});
    Output m2 = summary::merge(g, {a});
    QCOMPARE(nameOf(g, m1), QStringLiteral("Merge/MergeSummary"));
    QCOMPARE(nameOf(g, m2), QStringLiteral("Merge_1/MergeSummary"));
    QCOMPARE(QString::fromStdString(g.op(m1.op).type()), QStringLiteral("MergeSummary"));
    QCOMPARE(opSignatures(g, m1.op), (QStringList{"Merge/MergeSummary MergeSummary <- a",
                                                   "Merge_1/MergeSummary MergeSummary <- a"}));
}

void SummaryNamingTest::s12_3_mergeExplicitName()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{}, "x");
    Output a = summary::scalar(g, "a", x);
    QCOMPARE(nameOf(g, summary::merge(g, {a}, {}, "m")), QStringLiteral("m/m"));
    QCOMPARE(nameOf(g, summary::merge(g, {a}, {}, "m")), QStringLiteral("m_1/m"));
}

void SummaryNamingTest::s12_3_mergeCleansName()
{
    // merge cleans its name before entering the scope.
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{}, "x");
    Output a = summary::scalar(g, "a", x);
    QCOMPARE(nameOf(g, summary::merge(g, {a}, {}, "my merge")), QStringLiteral("my_merge/my_merge"));
}

void SummaryNamingTest::s12_3_mergeInNameScope()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{}, "x");
    NameScope n(g, "summary");
    Output a = summary::scalar(g, "loss", x);
    std::optional<Output> m = summary::mergeAll(g);
    QVERIFY(m);
    QCOMPARE(nameOf(g, *m), QStringLiteral("summary/Merge/MergeSummary"));
    QCOMPARE(g.op(m->op).inputs(), (std::vector<Output>{a}));
}

void SummaryNamingTest::s12_3_mergeAddsToNoCollection()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{}, "x");
    Output a = summary::scalar(g, "a", x);
    Output m = summary::merge(g, {a});
    QCOMPARE(g.collection("summaries"), (std::vector<Output>{a}));
    Output m2 = summary::merge(g, {a}, {"merged"});
    QCOMPARE(g.collection("merged"), (std::vector<Output>{m2}));
    Q_UNUSED(m);
}

void SummaryNamingTest::s12_3_mergeAllReturnsNulloptWhenEmpty()
{
    Graph g;
    const int ops = g.numOps();
    QVERIFY(!summary::mergeAll(g).has_value());
    QCOMPARE(g.numOps(), ops);
    QVERIFY(!g.nameInUse("Merge")); // nothing entered
}

void SummaryNamingTest::s12_3_mergeAllCollectsInOrder()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{}, "x");
    Output a = summary::scalar(g, "a", x);
    Output b = summary::histogram(g, "b", x);
    std::optional<Output> m = summary::mergeAll(g);
    QVERIFY(m);
    QCOMPARE(nameOf(g, *m), QStringLiteral("Merge/MergeSummary"));
    QCOMPARE(g.op(m->op).inputs(), (std::vector<Output>{a, b}));
    QCOMPARE(nameOf(g, *summary::mergeAll(g, "summaries", std::nullopt, "all")), QStringLiteral("all/all"));
}

void SummaryNamingTest::s12_3_mergeAllScopeIsPrefixRegex()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{}, "x");
    Output f, f1, bar;
    {
        NameScope n(g, "foo");
        f = summary::scalar(g, "s", x);
    }
    {
        NameScope n(g, "foo");
        f1 = summary::scalar(g, "s", x);
    }
    {
        NameScope n(g, "bar");
        bar = summary::scalar(g, "s", x);
    }
    QCOMPARE(nameOf(g, f1), QStringLiteral("foo_1/s"));
    std::optional<Output> m = summary::mergeAll(g, "summaries", std::string("foo"));
    QVERIFY(m);
    QCOMPARE(g.op(m->op).inputs(), (std::vector<Output>{f, f1})); // "foo" also matches foo_1/...
    std::optional<Output> m2 = summary::mergeAll(g, "summaries", std::string("foo/"));
    QCOMPARE(g.op(m2->op).inputs(), (std::vector<Output>{f}));
    std::optional<Output> m3 = summary::mergeAll(g, "summaries", std::string(".*/s"));
    QCOMPARE(g.op(m3->op).inputs(), (std::vector<Output>{f, f1, bar}));
    // Anchored at the start: "s" does not match "foo/s".
    QVERIFY(!summary::mergeAll(g, "summaries", std::string("s")).has_value());
}

void SummaryNamingTest::s12_3_mergeAllScopeNoMatch()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{}, "x");
    summary::scalar(g, "a", x);
    QVERIFY(!summary::mergeAll(g, "summaries", std::string("zzz")).has_value());
}

void SummaryNamingTest::s12_3_mergeAllOtherKey()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{}, "x");
    summary::scalar(g, "a", x);
    Output b = summary::scalar(g, "b", x, {"eval"});
    std::optional<Output> m = summary::mergeAll(g, "eval");
    QVERIFY(m);
    QCOMPARE(g.op(m->op).inputs(), (std::vector<Output>{b}));
}

QTEST_GUILESS_MAIN(SummaryNamingTest)
#include "summary_naming_test.moc"
