// Conformance tests for name validity, Graph.unique_name, name scopes and op
// naming (docs/scoping.md §2-§6). Every expectation is what TensorFlow 1.15
// produces for the equivalent Python program; the § of the rule is in the
// test name.
#include "core/graph/graph.h"
#include "core/ops/ops.h"
#include "core/scope/variable_scope.h"
#include "tests/core/scope/scope_test_util.h"

#include <QtTest>

using namespace scopeviz;
using namespace scopeviz::testing;

class ScopeNamingTest : public QObject {
    Q_OBJECT

private slots:
    // ---- §2 valid names ----------------------------------------------------
    void s2_rootPatternRejectsLeadingUnderscoreDashSlash_data();
    void s2_rootPatternRejectsLeadingUnderscoreDashSlash();
    void s2_rootPatternAcceptsLetterDigitDot();
    void s2_nestedPatternAcceptsAnyFirstCharacter();
    void s2_colonAndSpaceInvalidEverywhere_data();
    void s2_colonAndSpaceInvalidEverywhere();
    void s2_checkedOnFullStringBeforeSlashHandling();
    void s2_noneAndEmptyAreNeverChecked();
    void s2_invalidNodeNameFromCreateOp_data();
    void s2_invalidNodeNameFromCreateOp();
    void s2_nodeNameCheckedOnFullPath();
    void s2_wrapperNamesFailAsScopeNames();
    void s2_validityHelpers();

    // ---- §3 unique_name ------------------------------------------------------
    void s3_sequence();
    void s3_suffixedNameRequestedAgain();
    void s3_outOfOrder();
    void s3_caseInsensitiveCollision();
    void s3_caseInsensitiveScopes();
    void s3_caseInsensitiveSuffixSearch();
    void s3_oneNamespaceOpThenScope();
    void s3_oneNamespaceScopeThenOp();
    void s3_onlyFullPathsRecorded();
    void s3_countersNeverDecremented();
    void s3_markAsUsedFalse();
    void s3_prefixedByNameStack();
    void s3_nameInUseIsCaseInsensitive();

    // ---- §4 Graph.name_scope -----------------------------------------------------
    void s4_emptyNameResetsToRoot();
    void s4_trailingSlashIsAbsoluteReentry();
    void s4_trailingSlashNotRecorded();
    void s4_oddTrailingSlashForms();
    void s4_restoreOnExit();
    void s4_restoreOnException();
    void s4_opNamedAfterItsScope();
    void s4_reenterCapturedScopeString();
    void s4_closeIsIdempotent();

    // ---- §5 tf.name_scope --------------------------------------------------------
    void s5_defaultNameUsedWhenNameIsNone();
    void s5_emptyStringBeatsDefault();
    void s5_valuesWithoutAnyNameIsError();
    void s5_noneWithoutValuesResetsToRoot();
    void s5_defaultAndExplicitShareUniquifier();

    // ---- §6 op naming ------------------------------------------------------------
    void s6_createOpDefaultNameIsType();
    void s6_createOpVerbatimTrailingSlash();
    void s6_createOpVerbatimIsNotRecorded();
    void s6_duplicateNodeName();
    void s6_wrapperExplicitAbsoluteNameTwice();
    void s6_nodeMapIsCaseSensitive();
    void s6_wrapperChildConstants();
    void s6_operatorChildConstant();
    void s6_operatorNamesAndTypes();
    void s6_addAfterPlusCollides();
    void s6_plusAfterAddCollides();
    void s6_constantHasNoChildScope();
    void s6_wrapperExplicitName();
    void s6_matmulName();
    void s6_randomUniformChildren();
    void s6_zerosSmallIsOneConst();
    void s6_zerosLargeIsFill();
    void s6_opsInsideNestedScopes();
    void s6_shapeOfFullyDefinedIsConst();
    void s6_sparseXentChildren();
    void s6_sparseXentFullyDefinedLabels();
    void s6_sparseXentRankMismatch();
    void s6_reduceMeanAndArgmaxChildren();
};

// ---- §2 --------------------------------------------------------------------------

void ScopeNamingTest::s2_rootPatternRejectsLeadingUnderscoreDashSlash_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("underscore") << "_foo";
    QTest::newRow("dash") << "-foo";
    QTest::newRow("slash") << "/foo";
    QTest::newRow("underscore-only") << "_";
}

void ScopeNamingTest::s2_rootPatternRejectsLeadingUnderscoreDashSlash()
{
    QFETCH(QString, name);
    Graph g;
    const std::string n = name.toStdString();
    QCOMPARE(errorText<ValueError>([&] { NameScope s(g, n); }), QStringLiteral("'%1' is not a valid scope name").arg(name));
    // Nothing was recorded and the stack is untouched.
    QCOMPARE(qs(g.nameScope()), QString());
    QVERIFY(!g.nameInUse(n));
}

void ScopeNamingTest::s2_rootPatternAcceptsLetterDigitDot()
{
    Graph g;
    for (const char* n : {"foo", "Bar", "0foo", ".foo", "a.b-c_d", "a//b/c"}) {
        NameScope s(g, n);
        QCOMPARE(qs(s.scope()), QString::fromLatin1(n) + "/");
    }
}

void ScopeNamingTest::s2_nestedPatternAcceptsAnyFirstCharacter()
{
    Graph g;
    NameScope outer(g, "a");
    {
        NameScope s(g, "_foo");
        QCOMPARE(qs(s.scope()), QStringLiteral("a/_foo/"));
    }
    {
        NameScope s(g, "-foo");
        QCOMPARE(qs(s.scope()), QStringLiteral("a/-foo/"));
    }
    {
        // "/x" does not end in '/', so it is uniquified relative to "a": "a//x".
        NameScope s(g, "/x");
        QCOMPARE(qs(s.scope()), QStringLiteral("a//x/"));
    }
}

void ScopeNamingTest::s2_colonAndSpaceInvalidEverywhere_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("nested");
    QTest::newRow("colon-root") << "foo:0" << false;
    QTest::newRow("colon-nested") << "foo:0" << true;
    QTest::newRow("space-root") << "foo bar" << false;
    QTest::newRow("space-nested") << "foo bar" << true;
    QTest::newRow("colon-trailing-slash") << "foo:0/" << false;
    QTest::newRow("gt-is-2x-only") << "a>b" << true;
    QTest::newRow("backslash-is-2x-only") << "a\\b" << true;
}

void ScopeNamingTest::s2_colonAndSpaceInvalidEverywhere()
{
    QFETCH(QString, name);
    QFETCH(bool, nested);
    Graph g;
    std::optional<NameScope> outer;
    if (nested)
        outer.emplace(g, "outer");
    const std::string n = name.toStdString();
    QCOMPARE(errorText<ValueError>([&] { NameScope s(g, n); }), QStringLiteral("'%1' is not a valid scope name").arg(name));
    QCOMPARE(qs(g.nameScope()), nested ? QStringLiteral("outer") : QString());
}

void ScopeNamingTest::s2_checkedOnFullStringBeforeSlashHandling()
{
    Graph g;
    // "_foo/" is checked as given (root pattern fails on '_'), even though it would be absolute.
    QCOMPARE(errorText<ValueError>([&] { NameScope s(g, "_foo/"); }), QStringLiteral("'_foo/' is not a valid scope name"));
    // Nested, the same string is fine and re-enters "_foo" absolutely.
    NameScope outer(g, "outer");
    NameScope s(g, "_foo/");
    QCOMPARE(qs(s.scope()), QStringLiteral("_foo/"));
    QCOMPARE(qs(g.nameScope()), QStringLiteral("_foo"));
}

void ScopeNamingTest::s2_noneAndEmptyAreNeverChecked()
{
    Graph g;
    NameScope outer(g, "outer");
    NameScope a(g, "");
    QCOMPARE(qs(a.scope()), QString());
    NameScope b(g, std::nullopt, std::nullopt);
    QCOMPARE(qs(b.scope()), QString());
}

void ScopeNamingTest::s2_invalidNodeNameFromCreateOp_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("finalName");
    QTest::newRow("empty-via-slash") << "/" << "";
    QTest::newRow("underscore") << "_invalid" << "_invalid";
    QTest::newRow("dash") << "-invalid" << "-invalid";
    QTest::newRow("slash") << "/invalid" << "/invalid";
    QTest::newRow("colon") << "a:0" << "a:0";
    QTest::newRow("verbatim-underscore") << "_v/" << "_v";
}

void ScopeNamingTest::s2_invalidNodeNameFromCreateOp()
{
    QFETCH(QString, name);
    QFETCH(QString, finalName);
    Graph g;
    const std::string n = name.toStdString();
    QCOMPARE(errorText<ValueError>([&] { g.createOp("NoOp", n, {}); }),
             QStringLiteral("'%1' is not a valid node name").arg(finalName));
    QCOMPARE(g.numOps(), 0);
    // The graph stays usable.
    QCOMPARE(nameOf(g, g.createOp("NoOp", "", {})), QStringLiteral("NoOp"));
}

void ScopeNamingTest::s2_nodeNameCheckedOnFullPath()
{
    Graph g;
    NameScope s(g, "a");
    // "a/_x" matches the root pattern: only the first character of the full name is restricted.
    QCOMPARE(nameOf(g, g.createOp("NoOp", "_x", {})), QStringLiteral("a/_x"));
}

void ScopeNamingTest::s2_wrapperNamesFailAsScopeNames()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{2}, "x");
    // A wrapper enters name_scope(name) first, so the failure is a scope-name failure.
    QCOMPARE(errorText<ValueError>([&] { ops::identity(g, x, "_bad"); }), QStringLiteral("'_bad' is not a valid scope name"));
    QCOMPARE(errorText<ValueError>([&] { ops::add(g, x, x, "a b"); }), QStringLiteral("'a b' is not a valid scope name"));
    QCOMPARE(g.numOps(), 1);
    QCOMPARE(nameOf(g, ops::identity(g, x)), QStringLiteral("Identity"));
}

void ScopeNamingTest::s2_validityHelpers()
{
    QVERIFY(isValidScopeName("foo", true));
    QVERIFY(!isValidScopeName("_foo", true));
    QVERIFY(isValidScopeName("_foo", false));
    QVERIFY(isValidScopeName("", false));
    QVERIFY(!isValidScopeName("", true));
    QVERIFY(!isValidScopeName("a:b", false));
    QVERIFY(isValidNodeName("a/_b"));
    QVERIFY(!isValidNodeName("-a"));
}

// ---- §3 --------------------------------------------------------------------------

void ScopeNamingTest::s3_sequence()
{
    Graph g;
    QCOMPARE(qs(g.uniqueName("foo")), QStringLiteral("foo"));
    QCOMPARE(qs(g.uniqueName("foo")), QStringLiteral("foo_1"));
    QCOMPARE(qs(g.uniqueName("foo")), QStringLiteral("foo_2"));
}

void ScopeNamingTest::s3_suffixedNameRequestedAgain()
{
    Graph g;
    QCOMPARE(qs(g.uniqueName("foo")), QStringLiteral("foo"));
    QCOMPARE(qs(g.uniqueName("foo")), QStringLiteral("foo_1"));
    QCOMPARE(qs(g.uniqueName("foo_1")), QStringLiteral("foo_1_1"));
    QCOMPARE(qs(g.uniqueName("foo_1")), QStringLiteral("foo_1_2"));
    QCOMPARE(qs(g.uniqueName("foo_1_2")), QStringLiteral("foo_1_2_1"));
    // ... and "foo" itself carries on with its own counter.
    QCOMPARE(qs(g.uniqueName("foo")), QStringLiteral("foo_2"));
}

void ScopeNamingTest::s3_outOfOrder()
{
    Graph g;
    QCOMPARE(qs(g.uniqueName("foo_2")), QStringLiteral("foo_2"));
    QCOMPARE(qs(g.uniqueName("foo")), QStringLiteral("foo"));
    QCOMPARE(qs(g.uniqueName("foo")), QStringLiteral("foo_1"));
    QCOMPARE(qs(g.uniqueName("foo")), QStringLiteral("foo_3")); // skips the taken foo_2
    QCOMPARE(qs(g.uniqueName("foo")), QStringLiteral("foo_4"));
}

void ScopeNamingTest::s3_caseInsensitiveCollision()
{
    Graph g;
    QCOMPARE(qs(g.uniqueName("foo")), QStringLiteral("foo"));
    QCOMPARE(qs(g.uniqueName("Foo")), QStringLiteral("Foo_1")); // caller's case kept
    QCOMPARE(qs(g.uniqueName("FOO")), QStringLiteral("FOO_2"));
    // The same with ops.
    QCOMPARE(nameOf(g, g.createOp("NoOp", "op", {})), QStringLiteral("op"));
    QCOMPARE(nameOf(g, g.createOp("NoOp", "OP", {})), QStringLiteral("OP_1"));
}

void ScopeNamingTest::s3_caseInsensitiveScopes()
{
    Graph g;
    {
        NameScope s(g, "bar");
        QCOMPARE(qs(s.scope()), QStringLiteral("bar/"));
    }
    {
        NameScope s(g, "Bar");
        QCOMPARE(qs(s.scope()), QStringLiteral("Bar_1/"));
        QCOMPARE(nameOf(g, ops::constant(g, 1.0)), QStringLiteral("Bar_1/Const"));
    }
}

void ScopeNamingTest::s3_caseInsensitiveSuffixSearch()
{
    Graph g;
    QCOMPARE(qs(g.uniqueName("foo")), QStringLiteral("foo"));
    QCOMPARE(qs(g.uniqueName("foo")), QStringLiteral("foo_1"));
    // "Foo_1" collides with the generated "foo_1": another suffix, caller's case.
    QCOMPARE(qs(g.uniqueName("Foo_1")), QStringLiteral("Foo_1_1"));
    // The search for "foo" also skips a differently cased taken name.
    QCOMPARE(qs(g.uniqueName("FOO_2")), QStringLiteral("FOO_2"));
    QCOMPARE(qs(g.uniqueName("foo")), QStringLiteral("foo_3"));
}

void ScopeNamingTest::s3_oneNamespaceOpThenScope()
{
    Graph g;
    QCOMPARE(nameOf(g, ops::constant(g, 0.0, DType::Float, "c")), QStringLiteral("c"));
    NameScope s(g, "c");
    QCOMPARE(qs(s.scope()), QStringLiteral("c_1/"));
}

void ScopeNamingTest::s3_oneNamespaceScopeThenOp()
{
    Graph g;
    {
        NameScope s(g, "d");
    }
    QCOMPARE(nameOf(g, ops::constant(g, 0.0, DType::Float, "d")), QStringLiteral("d_1"));
    // A variable op name lives in the same namespace too.
    Output x = ops::placeholder(g, DType::Float, Shape{}, "Variable");
    QCOMPARE(nameOf(g, x), QStringLiteral("Variable"));
}

void ScopeNamingTest::s3_onlyFullPathsRecorded()
{
    Graph g;
    {
        NameScope ab(g, "a/b");
        QCOMPARE(qs(ab.scope()), QStringLiteral("a/b/"));
    }
    QVERIFY(g.nameInUse("a/b"));
    QVERIFY(!g.nameInUse("a"));
    NameScope a(g, "a");
    QCOMPARE(qs(a.scope()), QStringLiteral("a/"));
    NameScope b(g, "b");
    QCOMPARE(qs(b.scope()), QStringLiteral("a/b_1/"));
}

void ScopeNamingTest::s3_countersNeverDecremented()
{
    Graph g;
    QStringList got;
    for (int i = 0; i < 3; ++i) {
        NameScope s(g, "foo");
        got << qs(s.scope());
    }
    QCOMPARE(got, (QStringList{"foo/", "foo_1/", "foo_2/"}));
    // Re-entering a parent by name always produces a new suffix.
    {
        NameScope p(g, "parent");
        NameScope c(g, "child");
        QCOMPARE(qs(c.scope()), QStringLiteral("parent/child/"));
    }
    NameScope p(g, "parent");
    QCOMPARE(qs(p.scope()), QStringLiteral("parent_1/"));
    NameScope c(g, "child");
    QCOMPARE(qs(c.scope()), QStringLiteral("parent_1/child/"));
}

void ScopeNamingTest::s3_markAsUsedFalse()
{
    Graph g;
    QCOMPARE(qs(g.uniqueName("x", false)), QStringLiteral("x"));
    QCOMPARE(qs(g.uniqueName("x", false)), QStringLiteral("x"));
    QVERIFY(!g.nameInUse("x"));
    QCOMPARE(qs(g.uniqueName("x")), QStringLiteral("x"));
    // Predicts the next marked result without recording it.
    QCOMPARE(qs(g.uniqueName("x", false)), QStringLiteral("x_1"));
    QCOMPARE(qs(g.uniqueName("x", false)), QStringLiteral("x_1"));
    QVERIFY(!g.nameInUse("x_1"));
    QCOMPARE(qs(g.uniqueName("x")), QStringLiteral("x_1"));
    QCOMPARE(qs(g.uniqueName("x")), QStringLiteral("x_2"));
}

void ScopeNamingTest::s3_prefixedByNameStack()
{
    Graph g;
    NameScope a(g, "a");
    NameScope b(g, "b");
    QCOMPARE(qs(g.uniqueName("c")), QStringLiteral("a/b/c"));
    QCOMPARE(qs(g.uniqueName("c")), QStringLiteral("a/b/c_1"));
    QVERIFY(g.nameInUse("a/b/c"));
    QVERIFY(!g.nameInUse("c"));
}

void ScopeNamingTest::s3_nameInUseIsCaseInsensitive()
{
    Graph g;
    g.uniqueName("MixedCase");
    QVERIFY(g.nameInUse("mixedcase"));
    QVERIFY(g.nameInUse("MIXEDCASE"));
    QVERIFY(!g.nameInUse("mixed"));
}

// ---- §4 --------------------------------------------------------------------------

void ScopeNamingTest::s4_emptyNameResetsToRoot()
{
    Graph g;
    NameScope a(g, "a");
    NameScope b(g, "b");
    {
        NameScope root(g, "");
        QCOMPARE(qs(root.scope()), QString());
        QCOMPARE(qs(g.nameScope()), QString());
        QCOMPARE(nameOf(g, ops::constant(g, 1.0)), QStringLiteral("Const"));
    }
    QCOMPARE(qs(g.nameScope()), QStringLiteral("a/b"));
}

void ScopeNamingTest::s4_trailingSlashIsAbsoluteReentry()
{
    Graph g;
    std::string captured;
    {
        NameScope foo(g, "foo");
        captured = foo.scope();
        ops::constant(g, 1.0);
    }
    NameScope other(g, "other");
    {
        NameScope again(g, captured); // whatever the current stack is
        QCOMPARE(qs(again.scope()), QStringLiteral("foo/"));
        QCOMPARE(qs(g.nameScope()), QStringLiteral("foo"));
        QCOMPARE(nameOf(g, ops::constant(g, 1.0)), QStringLiteral("foo/Const_1"));
    }
    QCOMPARE(qs(g.nameScope()), QStringLiteral("other"));
}

void ScopeNamingTest::s4_trailingSlashNotRecorded()
{
    Graph g;
    {
        NameScope abs(g, "never/");
        QCOMPARE(qs(abs.scope()), QStringLiteral("never/"));
    }
    QVERIFY(!g.nameInUse("never"));
    NameScope s(g, "never");
    QCOMPARE(qs(s.scope()), QStringLiteral("never/"));
}

void ScopeNamingTest::s4_oddTrailingSlashForms()
{
    Graph g;
    {
        NameScope s(g, "foo5//");
        QCOMPARE(qs(s.scope()), QStringLiteral("foo5//"));
        QCOMPARE(qs(g.nameScope()), QStringLiteral("foo5/"));
        QCOMPARE(qs(g.uniqueName("bar")), QStringLiteral("foo5//bar"));
    }
    NameScope outer(g, "outer");
    NameScope s(g, "/");
    QCOMPARE(qs(s.scope()), QStringLiteral("/"));
    QCOMPARE(qs(g.nameScope()), QString());
}

void ScopeNamingTest::s4_restoreOnExit()
{
    Graph g;
    {
        NameScope a(g, "a");
        {
            NameScope b(g, "b");
            {
                NameScope abs(g, "x/y/");
                QCOMPARE(qs(g.nameScope()), QStringLiteral("x/y"));
            }
            QCOMPARE(qs(g.nameScope()), QStringLiteral("a/b"));
        }
        QCOMPARE(qs(g.nameScope()), QStringLiteral("a"));
    }
    QCOMPARE(qs(g.nameScope()), QString());
}

void ScopeNamingTest::s4_restoreOnException()
{
    Graph g;
    NameScope a(g, "a");
    try {
        NameScope b(g, "b");
        NameScope c(g, "c");
        throw ValueError("boom");
    } catch (const ValueError&) {
    }
    QCOMPARE(qs(g.nameScope()), QStringLiteral("a"));
}

void ScopeNamingTest::s4_opNamedAfterItsScope()
{
    Graph g;
    NameScope outer(g, "outer");
    NameScope bar(g, "bar");
    Output x = ops::placeholder(g, DType::Float, Shape{2}, "x");
    // name=scope_string names the op exactly after its scope.
    QCOMPARE(nameOf(g, ops::identity(g, x, bar.scope())), QStringLiteral("outer/bar"));
    // A second op given the same scope string is a duplicate node.
    QCOMPARE(errorText<ValueError>([&] { g.createOp("NoOp", bar.scope(), {}); }),
             QStringLiteral("Duplicate node name in graph: 'outer/bar'"));
    // Ops created inside the scope are its children.
    QCOMPARE(nameOf(g, ops::identity(g, x)), QStringLiteral("outer/bar/Identity"));
}

void ScopeNamingTest::s4_reenterCapturedScopeString()
{
    Graph g;
    std::string s;
    {
        NameScope foo(g, "foo");
        s = foo.scope();
    }
    {
        NameScope again(g, s);
        QCOMPARE(qs(again.scope()), QStringLiteral("foo/"));
        NameScope inner(g, "inner");
        QCOMPARE(qs(inner.scope()), QStringLiteral("foo/inner/"));
    }
    NameScope next(g, "foo");
    QCOMPARE(qs(next.scope()), QStringLiteral("foo_1/"));
}

void ScopeNamingTest::s4_closeIsIdempotent()
{
    Graph g;
    NameScope a(g, "a");
    {
        NameScope b(g, "b");
        b.close();
        QCOMPARE(qs(g.nameScope()), QStringLiteral("a"));
        b.close();
        QCOMPARE(qs(g.nameScope()), QStringLiteral("a"));
    }
    QCOMPARE(qs(g.nameScope()), QStringLiteral("a"));
}

// ---- §5 --------------------------------------------------------------------------

void ScopeNamingTest::s5_defaultNameUsedWhenNameIsNone()
{
    Graph g;
    {
        NameScope s(g, std::nullopt, "dflt");
        QCOMPARE(qs(s.scope()), QStringLiteral("dflt/"));
    }
    NameScope s(g, std::nullopt, "dflt");
    QCOMPARE(qs(s.scope()), QStringLiteral("dflt_1/"));
}

void ScopeNamingTest::s5_emptyStringBeatsDefault()
{
    Graph g;
    NameScope outer(g, "outer");
    NameScope s(g, std::string_view(""), std::string_view("dflt"));
    QCOMPARE(qs(s.scope()), QString());
    QCOMPARE(qs(g.nameScope()), QString());
    QVERIFY(!g.nameInUse("dflt"));
    QVERIFY(!g.nameInUse("outer/dflt"));
}

void ScopeNamingTest::s5_valuesWithoutAnyNameIsError()
{
    Graph g;
    NameScope outer(g, "outer");
    QCOMPARE(errorText<ValueError>([&] { NameScope s(g, std::nullopt, std::nullopt, true); }),
             QStringLiteral("At least one of name (None) and default_name (None) must be provided."));
    QCOMPARE(qs(g.nameScope()), QStringLiteral("outer"));
}

void ScopeNamingTest::s5_noneWithoutValuesResetsToRoot()
{
    Graph g;
    NameScope outer(g, "outer");
    NameScope s(g, std::nullopt, std::nullopt, false);
    QCOMPARE(qs(s.scope()), QString());
    QCOMPARE(qs(g.nameScope()), QString());
}

void ScopeNamingTest::s5_defaultAndExplicitShareUniquifier()
{
    Graph g;
    {
        NameScope s(g, std::string_view("x"), std::nullopt);
        QCOMPARE(qs(s.scope()), QStringLiteral("x/"));
    }
    {
        NameScope s(g, std::nullopt, std::string_view("x"));
        QCOMPARE(qs(s.scope()), QStringLiteral("x_1/"));
    }
    NameScope s(g, std::string_view("X"), std::string_view("ignored"));
    QCOMPARE(qs(s.scope()), QStringLiteral("X_2/"));
}

// ---- §6 --------------------------------------------------------------------------

void ScopeNamingTest::s6_createOpDefaultNameIsType()
{
    Graph g;
    QCOMPARE(nameOf(g, g.createOp("NoOp", "", {})), QStringLiteral("NoOp"));
    QCOMPARE(nameOf(g, g.createOp("NoOp", "", {})), QStringLiteral("NoOp_1"));
    NameScope s(g, "s");
    QCOMPARE(nameOf(g, g.createOp("NoOp", "", {})), QStringLiteral("s/NoOp"));
}

void ScopeNamingTest::s6_createOpVerbatimTrailingSlash()
{
    Graph g;
    NameScope s(g, "ignored");
    QCOMPARE(nameOf(g, g.createOp("NoOp", "trailing/", {})), QStringLiteral("trailing"));
    QCOMPARE(nameOf(g, g.createOp("NoOp", "deep/path/", {})), QStringLiteral("deep/path"));
}

void ScopeNamingTest::s6_createOpVerbatimIsNotRecorded()
{
    Graph g;
    g.createOp("NoOp", "trailing/", {});
    QVERIFY(!g.nameInUse("trailing"));
    // unique_name therefore hands out "trailing" again, and the node map rejects it.
    QCOMPARE(errorText<ValueError>([&] { g.createOp("NoOp", "trailing", {}); }),
             QStringLiteral("Duplicate node name in graph: 'trailing'"));
    // ... but the failed request was recorded, so the next one is suffixed.
    QCOMPARE(nameOf(g, g.createOp("NoOp", "trailing", {})), QStringLiteral("trailing_1"));
}

void ScopeNamingTest::s6_duplicateNodeName()
{
    Graph g;
    g.createOp("NoOp", "x/", {});
    QCOMPARE(errorText<ValueError>([&] { g.createOp("NoOp", "x/", {}); }),
             QStringLiteral("Duplicate node name in graph: 'x'"));
    QCOMPARE(g.numOps(), 1);
}

void ScopeNamingTest::s6_wrapperExplicitAbsoluteNameTwice()
{
    Graph g;
    Output a = ops::placeholder(g, DType::Float, Shape{2}, "a");
    Output b = ops::placeholder(g, DType::Float, Shape{2}, "b");
    QCOMPARE(nameOf(g, ops::add(g, a, b, "x/")), QStringLiteral("x"));
    QCOMPARE(errorText<ValueError>([&] { ops::add(g, a, b, "x/"); }), QStringLiteral("Duplicate node name in graph: 'x'"));
    QCOMPARE(nameOf(g, ops::add(g, a, b)), QStringLiteral("Add"));
}

void ScopeNamingTest::s6_nodeMapIsCaseSensitive()
{
    Graph g;
    QCOMPARE(nameOf(g, g.createOp("NoOp", "X/", {})), QStringLiteral("X"));
    QCOMPARE(nameOf(g, g.createOp("NoOp", "x/", {})), QStringLiteral("x"));
    QVERIFY(g.findOp("X") != nullptr);
    QVERIFY(g.findOp("x") != nullptr);
    QVERIFY(g.findOp("X") != g.findOp("x"));
}

void ScopeNamingTest::s6_wrapperChildConstants()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{2}, "x");
    ops::add(g, x, 1.0);
    QCOMPARE(opSignatures(g, 1), (QStringList{"Add/y Const", "Add Add <- x, Add/y"}));
    QCOMPARE(g.info(Output{g.findOp("Add/y")->id(), 0}).dtype, DType::Float);
    // A literal first argument is converted first, as "x".
    ops::multiply(g, 2.0, x);
    QCOMPARE(opSignatures(g, 3), (QStringList{"Mul/x Const", "Mul Mul <- Mul/x, x"}));
}

void ScopeNamingTest::s6_operatorChildConstant()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{2}, "x");
    ops::plus(g, x, 1.0);
    QCOMPARE(opSignatures(g, 1), (QStringList{"add/y Const", "add AddV2 <- x, add/y"}));
}

void ScopeNamingTest::s6_operatorNamesAndTypes()
{
    Graph g;
    Output a = ops::placeholder(g, DType::Float, Shape{2}, "a");
    Output b = ops::placeholder(g, DType::Float, Shape{2}, "b");
    ops::plus(g, a, b);
    ops::minus(g, a, b);
    ops::times(g, a, b);
    ops::divide(g, a, b);
    ops::subtract(g, a, b);
    ops::multiply(g, a, b);
    QCOMPARE(opSignatures(g, 2), (QStringList{"add AddV2 <- a, b", "sub Sub <- a, b", "mul Mul <- a, b",
                                              "truediv RealDiv <- a, b", "Sub_1 Sub <- a, b", "Mul_1 Mul <- a, b"}));
}

void ScopeNamingTest::s6_addAfterPlusCollides()
{
    Graph g;
    Output a = ops::placeholder(g, DType::Float, Shape{2}, "a");
    QCOMPARE(nameOf(g, ops::plus(g, a, a)), QStringLiteral("add"));
    QCOMPARE(nameOf(g, ops::add(g, a, a)), QStringLiteral("Add_1"));
    // Its child constant follows the suffixed scope.
    ops::add(g, a, 2.0);
    QCOMPARE(opNames(g, 3), (QStringList{"Add_2/y", "Add_2"}));
}

void ScopeNamingTest::s6_plusAfterAddCollides()
{
    Graph g;
    Output a = ops::placeholder(g, DType::Float, Shape{2}, "a");
    QCOMPARE(nameOf(g, ops::add(g, a, a)), QStringLiteral("Add"));
    QCOMPARE(nameOf(g, ops::plus(g, a, a)), QStringLiteral("add_1"));
    QCOMPARE(nameOf(g, ops::plus(g, a, a)), QStringLiteral("add_2"));
}

void ScopeNamingTest::s6_constantHasNoChildScope()
{
    Graph g;
    QCOMPARE(nameOf(g, ops::constant(g, 1.0)), QStringLiteral("Const"));
    QCOMPARE(nameOf(g, ops::constant(g, 1.0)), QStringLiteral("Const_1"));
    QCOMPARE(g.numOps(), 2);
    QVERIFY(!g.nameInUse("Const/Const"));
}

void ScopeNamingTest::s6_wrapperExplicitName()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{2}, "x");
    ops::add(g, x, 1.0, "my_add");
    ops::add(g, x, 1.0, "my_add");
    QCOMPARE(opNames(g, 1), (QStringList{"my_add/y", "my_add", "my_add_1/y", "my_add_1"}));
}

void ScopeNamingTest::s6_matmulName()
{
    Graph g;
    Output a = ops::placeholder(g, DType::Float, Shape{2, 3}, "a");
    Output b = ops::placeholder(g, DType::Float, Shape{3, 4}, "b");
    Output m = ops::matmul(g, a, b);
    QCOMPARE(nameOf(g, m), QStringLiteral("MatMul"));
    QCOMPARE(QString::fromStdString(g.op(m.op).type()), QStringLiteral("MatMul"));
    QCOMPARE(g.info(m).shape, (Shape{2, 4}));
}

void ScopeNamingTest::s6_randomUniformChildren()
{
    Graph g;
    ops::randomUniform(g, {2, 3}, -1.0, 1.0);
    QCOMPARE(opSignatures(g),
             (QStringList{"random_uniform/shape Const", "random_uniform/min Const", "random_uniform/max Const",
                          "random_uniform/RandomUniform RandomUniform <- random_uniform/shape",
                          "random_uniform/sub Sub <- random_uniform/max, random_uniform/min",
                          "random_uniform/mul Mul <- random_uniform/RandomUniform, random_uniform/sub",
                          "random_uniform Add <- random_uniform/mul, random_uniform/min"}));
    ops::randomUniform(g, {2}, 0.0, 1.0);
    QCOMPARE(nameOf(g, g.numOps() - 1), QStringLiteral("random_uniform_1"));
}

void ScopeNamingTest::s6_zerosSmallIsOneConst()
{
    Graph g;
    ops::zeros(g, {10, 10});
    QCOMPARE(opSignatures(g), QStringList{"zeros Const"});
    ops::ones(g, {3});
    QCOMPARE(opSignatures(g, 1), QStringList{"ones Const"});
}

void ScopeNamingTest::s6_zerosLargeIsFill()
{
    Graph g;
    Output z = ops::zeros(g, {100, 10});
    QCOMPARE(opSignatures(g), (QStringList{"zeros/shape_as_tensor Const", "zeros/Const Const",
                                           "zeros Fill <- zeros/shape_as_tensor, zeros/Const"}));
    QCOMPARE(g.info(z).shape, (Shape{100, 10}));
}

void ScopeNamingTest::s6_opsInsideNestedScopes()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{2}, "x");
    NameScope a(g, "layer");
    NameScope b(g, "inner");
    QCOMPARE(nameOf(g, ops::relu(g, x)), QStringLiteral("layer/inner/Relu"));
    QCOMPARE(nameOf(g, ops::relu(g, x)), QStringLiteral("layer/inner/Relu_1"));
    QCOMPARE(nameOf(g, ops::plus(g, x, x)), QStringLiteral("layer/inner/add"));
}

void ScopeNamingTest::s6_shapeOfFullyDefinedIsConst()
{
    // tf.shape optimizes a fully defined static shape into a Const named after its scope.
    Graph g;
    Output known = ops::placeholder(g, DType::Float, Shape{2, 3}, "known");
    Output partial = ops::placeholder(g, DType::Float, Shape{-1, 3}, "partial");
    Output a = ops::shape(g, known);
    Output b = ops::shape(g, partial);
    QCOMPARE(opSignatures(g, 2), (QStringList{"Shape Const", "Shape_1 Shape <- partial"}));
    const Tensor& v = g.op(a.op).attrs().find("value")->tensor();
    QCOMPARE(v.dtype(), DType::Int32);
    QCOMPARE(v.toDouble(0), 2.0);
    QCOMPARE(v.toDouble(1), 3.0);
    QCOMPARE(g.info(b).dtype, DType::Int32);
    QCOMPARE(g.info(ops::shape(g, known, DType::Int64)).dtype, DType::Int64);
}

void ScopeNamingTest::s6_sparseXentChildren()
{
    Graph g;
    Output labels = ops::placeholder(g, DType::Int64, Shape{-1}, "labels");
    Output logits = ops::placeholder(g, DType::Float, Shape{-1, 10}, "logits");
    ops::sparseSoftmaxCrossEntropyWithLogits(g, labels, logits);
    ops::sparseSoftmaxCrossEntropyWithLogits(g, labels, logits, "loss");
    QCOMPARE(opSignatures(g, 2),
             (QStringList{"SparseSoftmaxCrossEntropyWithLogits/Shape Shape <- labels",
                          "SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits "
                          "SparseSoftmaxCrossEntropyWithLogits <- logits, labels",
                          "loss/Shape Shape <- labels", "loss/loss SparseSoftmaxCrossEntropyWithLogits <- logits, labels"}));
}

void ScopeNamingTest::s6_sparseXentFullyDefinedLabels()
{
    Graph g;
    Output labels = ops::placeholder(g, DType::Int64, Shape{4}, "labels");
    Output logits = ops::placeholder(g, DType::Float, Shape{4, 10}, "logits");
    ops::sparseSoftmaxCrossEntropyWithLogits(g, labels, logits);
    QCOMPARE(opNames(g, 2), (QStringList{"SparseSoftmaxCrossEntropyWithLogits/Shape",
                                         "SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits"}));
    QCOMPARE(QString::fromStdString(g.op(2).type()), QStringLiteral("Const"));
}

void ScopeNamingTest::s6_sparseXentRankMismatch()
{
    Graph g;
    Output labels = ops::placeholder(g, DType::Int64, Shape{-1, 1}, "labels");
    Output logits = ops::placeholder(g, DType::Float, Shape{-1, 10}, "logits");
    QCOMPARE(errorText<ValueError>([&] { ops::sparseSoftmaxCrossEntropyWithLogits(g, labels, logits); }),
             QStringLiteral("Rank mismatch: Rank of labels (received 2) should equal rank of logits minus 1 (received 2)."));
    // The labels' shape was taken before the check, as in TF.
    QCOMPARE(opNames(g, 2), QStringList{"SparseSoftmaxCrossEntropyWithLogits/Shape"});
    QCOMPARE(qs(g.nameScope()), QString());
}

void ScopeNamingTest::s6_reduceMeanAndArgmaxChildren()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{-1, 3}, "x");
    ops::reduceMean(g, x);
    ops::reduceSum(g, x, std::vector<int64_t>{1});
    ops::argmax(g, x, 1);
    ops::cast(g, x, DType::Int32);
    QCOMPARE(opSignatures(g, 1), (QStringList{"Const Const", "Mean Mean <- x, Const", "Sum/reduction_indices Const",
                                              "Sum Sum <- x, Sum/reduction_indices", "ArgMax/dimension Const",
                                              "ArgMax ArgMax <- x, ArgMax/dimension", "Cast Cast <- x"}));
    // Casting to the same dtype returns the input and creates nothing.
    QCOMPARE(ops::cast(g, x, DType::Float), x);
    QCOMPARE(g.numOps(), 8);
}

QTEST_GUILESS_MAIN(ScopeNamingTest)
#include "scope_naming_test.moc"
