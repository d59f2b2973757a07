// Conformance tests for VariableScope objects, tf.variable_scope and threads
// (docs/scoping.md §7, §8, §13): the worked table of §8.8, the reuse resolution
// table of §8.4, inheritance, default_name uniquification by open counts,
// auxiliary_name_scope=False, improper nesting, and per-thread state.
#include "core/graph/graph.h"
#include "core/ops/get_variable.h"
#include "core/ops/ops.h"
#include "core/scope/variable_scope.h"
#include "tests/core/scope/scope_test_util.h"

#include <QtTest>

#include <memory>
#include <thread>

using namespace scopeviz;
using namespace scopeviz::testing;

namespace {

VariableScopeOptions withDefault(const char* d, Reuse reuse = Reuse::None)
{
    VariableScopeOptions o;
    o.defaultName = d;
    o.reuse = reuse;
    return o;
}

VariableScopeOptions noAux(Reuse reuse = Reuse::None)
{
    VariableScopeOptions o;
    o.auxiliaryNameScope = false;
    o.reuse = reuse;
    return o;
}

GetVariableOptions shape2()
{
    GetVariableOptions o;
    o.shape = Shape{2};
    return o;
}

QString reuseOf(const VarScope& s) { return QString::fromLatin1(reuseName(s->reuse)); }

} // namespace

class VariableScopeTest : public QObject {
    Q_OBJECT

private slots:
    // ---- §7 the VariableScope object ----------------------------------------------
    void s7_rootScopeFields();
    void s7_reuseVariablesInPlace();
    void s7_reuseVariablesAffectsLaterSubScopes();
    void s7_reuseVariablesOnCapturedObject();
    void s7_originalNameScope();

    // ---- §8.8 worked table ---------------------------------------------------------
    void s8_8_workedTableSequence();
    void s8_8_rowStringEntry();
    void s8_8_rowStringAgain();
    void s8_8_rowObjectAtTop();
    void s8_8_rowObjectInNameScope();
    void s8_8_rowObjectInStringScope();
    void s8_8_rowObjectNoAuxiliary();
    void s8_8_rowDefaultNameTwice();
    void s8_8_rowRootObjectAtRoot();

    // ---- §8.3 entry modes ----------------------------------------------------------
    void s8_3_stringNeverUniquified();
    void s8_3_objectIsAbsolute();
    void s8_3_objectEntryMakesFreshCopy();
    void s8_3_nameScopeIsLastComponent();
    void s8_3_variablesAndOpsDiverge();
    void s8_3_emptyStringName();

    // ---- §8.4 reuse resolution, every row ------------------------------------------
    void s8_4_stringNoneInheritsRootFalse();
    void s8_4_stringFalseInheritsTrueParent();
    void s8_4_stringTrue();
    void s8_4_stringAutoReuseInsideTrue();
    void s8_4_objectNoneUsesObjectFlag();
    void s8_4_objectFromReusingScopeCannotBeUndone();
    void s8_4_objectNonReusingInsideReusingString();
    void s8_4_objectTrueAndAutoReuse();
    void s8_4_defaultNameInherits();
    void s8_4_defaultNameWithReuseIsError();
    void s8_4_reuseCannotBeTurnedOff();

    // ---- §8.5 inheritance ----------------------------------------------------------
    void s8_5_initializerInherited();
    void s8_5_dtypeInherited();
    void s8_5_objectAttributesFromObject();
    void s8_5_setOnCurrentScopeLastsUntilBlockEnd();

    // ---- §8.6 open counts ----------------------------------------------------------
    void s8_6_fooBarExample();
    void s8_6_descendantsResetWhenStringParentExits();
    void s8_6_parentCountKept();
    void s8_6_objectExitRestoresSnapshot();
    void s8_6_countsAreExactCase();
    void s8_6_defaultNameNameScopeIndependent();

    // ---- §8.2 auxiliary_name_scope=False ------------------------------------------------
    void s8_2_noAuxiliaryAtRoot();
    void s8_2_noAuxiliaryNested();
    void s8_2_noAuxiliaryNotInherited();
    void s8_2_noAuxiliaryObjectReentry();

    // ---- §8.1 / §8.7 errors --------------------------------------------------------------
    void s8_1_defaultNameRequired();
    void s8_1_nullObjectIsTypeError();
    void s8_7_improperNestingOutOfOrderDestroy();
    void s8_7_improperNestingViaClose();
    void s8_7_inOrderCloseIsFine();
    void s8_7_nameScopeOutOfOrderRepairs();

    // ---- §13 threads -----------------------------------------------------------------------
    void s13_newThreadStartsAtRoot();
    void s13_namesInUseShared();
    void s13_variableStoreShared();
    void s13_capturedScopeReenteredInThread();
    void s13_graphsAreIndependent();
};

// ---- §7 -----------------------------------------------------------------------------

void VariableScopeTest::s7_rootScopeFields()
{
    Graph g;
    VarScope root = currentVariableScope(g);
    QCOMPARE(qs(root->name), QString());
    QCOMPARE(root->reuse, Reuse::False);
    QCOMPARE(qs(root->originalNameScope), QString());
    QVERIFY(!root->initializer);
    QCOMPARE(root->dtype, DType::Float);
    QCOMPARE(root, g.rootVariableScope());
}

void VariableScopeTest::s7_reuseVariablesInPlace()
{
    Graph g;
    VariableScope vs(g, "net");
    Variable w = getVariable(g, "w", {2});
    QCOMPARE(reuseOf(vs.scope()), QStringLiteral("False"));
    vs.scope()->reuseVariables();
    QCOMPARE(reuseOf(currentVariableScope(g)), QStringLiteral("True"));
    // Every later get_variable in the block reuses.
    QVERIFY(getVariable(g, "w", {2}) == w);
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "missing", {2}); }),
             QStringLiteral("Variable net/missing does not exist, or was not created with tf.get_variable(). Did you "
                            "mean to set reuse=tf.AUTO_REUSE in VarScope?"));
}

void VariableScopeTest::s7_reuseVariablesAffectsLaterSubScopes()
{
    Graph g;
    VariableScope vs(g, "net");
    {
        VariableScope before(g, "before");
        QCOMPARE(reuseOf(before.scope()), QStringLiteral("False"));
    }
    vs.scope()->reuseVariables();
    VariableScope after(g, "after");
    QCOMPARE(reuseOf(after.scope()), QStringLiteral("True"));
}

void VariableScopeTest::s7_reuseVariablesOnCapturedObject()
{
    Graph g;
    VarScope captured;
    {
        VariableScope vs(g, "net");
        captured = vs.scope();
        getVariable(g, "w", {2});
    }
    captured->reuseVariables(); // changes what later re-entries by that object inherit
    VariableScope again(g, captured);
    QCOMPARE(reuseOf(again.scope()), QStringLiteral("True"));
    QCOMPARE(getVariable(g, "w", {2}).index, 0);
}

void VariableScopeTest::s7_originalNameScope()
{
    Graph g;
    NameScope n(g, "scope1");
    VariableScope vs(g, "tower");
    QCOMPARE(qs(vs.scope()->name), QStringLiteral("tower"));
    QCOMPARE(qs(vs.scope()->originalNameScope), QStringLiteral("scope1/tower/"));
    QCOMPARE(qs(vs.nameScope()), QStringLiteral("scope1/tower/"));
}

// ---- §8.8 ----------------------------------------------------------------------------

void VariableScopeTest::s8_8_workedTableSequence()
{
    // The rows of §8.8 run one after the other at the top level of one fresh graph.
    Graph g;
    VarScope a;
    {
        VariableScope vs(g, "foo");
        a = vs.scope();
        QCOMPARE(qs(vs.scope()->name), QStringLiteral("foo"));
        QCOMPARE(qs(vs.nameScope()), QStringLiteral("foo/"));
        QCOMPARE(qs(vs.scope()->originalNameScope), QStringLiteral("foo/"));
    }
    {
        VariableScope vs(g, "foo");
        QCOMPARE(qs(vs.scope()->name), QStringLiteral("foo"));
        QCOMPARE(qs(vs.nameScope()), QStringLiteral("foo_1/"));
        QCOMPARE(qs(vs.scope()->originalNameScope), QStringLiteral("foo_1/"));
    }
    {
        VariableScope vs(g, a);
        QCOMPARE(qs(vs.scope()->name), QStringLiteral("foo"));
        QCOMPARE(qs(vs.nameScope()), QStringLiteral("foo_2/"));
        QCOMPARE(qs(vs.scope()->originalNameScope), QStringLiteral("foo/"));
    }
    {
        NameScope n(g, "n");
        VariableScope vs(g, a);
        QCOMPARE(qs(vs.scope()->name), QStringLiteral("foo"));
        QCOMPARE(qs(vs.nameScope()), QStringLiteral("n/foo/"));
        QCOMPARE(qs(vs.scope()->originalNameScope), QStringLiteral("foo/"));
    }
    {
        VariableScope x(g, "x");
        VariableScope vs(g, a);
        QCOMPARE(qs(vs.scope()->name), QStringLiteral("foo"));
        QCOMPARE(qs(vs.nameScope()), QStringLiteral("x/foo/"));
        QCOMPARE(qs(vs.scope()->originalNameScope), QStringLiteral("foo/"));
    }
    {
        VariableScope vs(g, a, noAux());
        QCOMPARE(qs(vs.scope()->name), QStringLiteral("foo"));
        QCOMPARE(qs(vs.nameScope()), QString()); // none: the current (root) scope is kept
        QCOMPARE(qs(g.nameScope()), QString());
        QCOMPARE(qs(vs.scope()->originalNameScope), QStringLiteral("foo/"));
    }
    QStringList names, nameScopes, originals;
    for (int i = 0; i < 2; ++i) {
        VariableScope vs(g, std::nullopt, withDefault("d"));
        names << qs(vs.scope()->name);
        nameScopes << qs(vs.nameScope());
        originals << qs(vs.scope()->originalNameScope);
    }
    QCOMPARE(names, (QStringList{"d", "d_1"}));
    QCOMPARE(nameScopes, (QStringList{"d/", "d_1/"}));
    QCOMPARE(originals, (QStringList{"d/", "d_1/"}));
    {
        VariableScope vs(g, currentVariableScope(g));
        QCOMPARE(qs(vs.scope()->name), QString());
        QCOMPARE(qs(vs.nameScope()), QString());
        QCOMPARE(qs(vs.scope()->originalNameScope), QString());
    }
}

void VariableScopeTest::s8_8_rowStringEntry()
{
    Graph g;
    VariableScope vs(g, "foo");
    QCOMPARE(qs(vs.scope()->name), QStringLiteral("foo"));
    QCOMPARE(qs(g.nameScope()), QStringLiteral("foo"));
    QCOMPARE(qs(vs.scope()->originalNameScope), QStringLiteral("foo/"));
    QCOMPARE(nameOf(g, ops::constant(g, 1.0)), QStringLiteral("foo/Const"));
}

void VariableScopeTest::s8_8_rowStringAgain()
{
    Graph g;
    { VariableScope vs(g, "foo"); }
    VariableScope vs(g, "foo");
    QCOMPARE(qs(vs.scope()->name), QStringLiteral("foo"));
    QCOMPARE(qs(vs.nameScope()), QStringLiteral("foo_1/"));
    QCOMPARE(qs(vs.scope()->originalNameScope), QStringLiteral("foo_1/"));
}

void VariableScopeTest::s8_8_rowObjectAtTop()
{
    Graph g;
    VarScope a;
    {
        VariableScope vs(g, "foo");
        a = vs.scope();
    }
    { VariableScope vs(g, "foo"); }
    VariableScope vs(g, a);
    QCOMPARE(qs(vs.nameScope()), QStringLiteral("foo_2/"));
    QCOMPARE(qs(vs.scope()->originalNameScope), QStringLiteral("foo/"));
}

void VariableScopeTest::s8_8_rowObjectInNameScope()
{
    Graph g;
    VarScope a;
    {
        VariableScope vs(g, "foo");
        a = vs.scope();
    }
    NameScope n(g, "n");
    VariableScope vs(g, a);
    QCOMPARE(qs(vs.scope()->name), QStringLiteral("foo"));
    QCOMPARE(qs(vs.nameScope()), QStringLiteral("n/foo/"));
    QCOMPARE(qs(vs.scope()->originalNameScope), QStringLiteral("foo/"));
}

void VariableScopeTest::s8_8_rowObjectInStringScope()
{
    Graph g;
    VarScope a;
    {
        VariableScope vs(g, "foo");
        a = vs.scope();
    }
    VariableScope x(g, "x");
    VariableScope vs(g, a);
    QCOMPARE(qs(vs.scope()->name), QStringLiteral("foo"));
    QCOMPARE(qs(vs.nameScope()), QStringLiteral("x/foo/"));
    QCOMPARE(qs(vs.scope()->originalNameScope), QStringLiteral("foo/"));
    QCOMPARE(qs(getVariable(g, "v", {1}).name()), QStringLiteral("foo/v:0"));
}

void VariableScopeTest::s8_8_rowObjectNoAuxiliary()
{
    Graph g;
    VarScope a;
    {
        VariableScope vs(g, "foo");
        a = vs.scope();
    }
    VariableScope vs(g, a, noAux());
    QCOMPARE(qs(vs.scope()->name), QStringLiteral("foo"));
    QCOMPARE(qs(g.nameScope()), QString());
    QCOMPARE(qs(vs.scope()->originalNameScope), QStringLiteral("foo/"));
    QCOMPARE(nameOf(g, ops::constant(g, 1.0)), QStringLiteral("Const"));
    QVERIFY(!g.nameInUse("foo_1"));
}

void VariableScopeTest::s8_8_rowDefaultNameTwice()
{
    Graph g;
    {
        VariableScope vs(g, std::nullopt, withDefault("d"));
        QCOMPARE(qs(vs.scope()->name), QStringLiteral("d"));
        QCOMPARE(qs(vs.nameScope()), QStringLiteral("d/"));
        QCOMPARE(qs(vs.scope()->originalNameScope), QStringLiteral("d/"));
    }
    VariableScope vs(g, std::nullopt, withDefault("d"));
    QCOMPARE(qs(vs.scope()->name), QStringLiteral("d_1"));
    QCOMPARE(qs(vs.nameScope()), QStringLiteral("d_1/"));
    QCOMPARE(qs(vs.scope()->originalNameScope), QStringLiteral("d_1/"));
}

void VariableScopeTest::s8_8_rowRootObjectAtRoot()
{
    Graph g;
    const int traceBefore = int(g.trace().size());
    VariableScope vs(g, currentVariableScope(g));
    QCOMPARE(qs(vs.scope()->name), QString());
    QCOMPARE(qs(vs.scope()->originalNameScope), QString());
    QCOMPARE(qs(g.nameScope()), QString());
    QVERIFY(vs.scope() != g.rootVariableScope()); // a fresh copy
    QCOMPARE(nameOf(g, ops::constant(g, 1.0)), QStringLiteral("Const"));
    QCOMPARE(qs(getVariable(g, "v", {1}).name()), QStringLiteral("v:0"));
    QVERIFY(int(g.trace().size()) > traceBefore);
}

// ---- §8.3 ----------------------------------------------------------------------------

void VariableScopeTest::s8_3_stringNeverUniquified()
{
    Graph g;
    QStringList names, ns;
    for (int i = 0; i < 3; ++i) {
        VariableScope vs(g, "s");
        names << qs(vs.scope()->name);
        ns << qs(vs.nameScope());
    }
    QCOMPARE(names, (QStringList{"s", "s", "s"}));
    QCOMPARE(ns, (QStringList{"s/", "s_1/", "s_2/"}));
}

void VariableScopeTest::s8_3_objectIsAbsolute()
{
    Graph g;
    VarScope tower4;
    {
        VariableScope vs(g, "tower4");
        tower4 = vs.scope();
    }
    VariableScope t6(g, "tower6");
    VariableScope vs(g, tower4);
    QCOMPARE(qs(vs.scope()->name), QStringLiteral("tower4"));
    QCOMPARE(qs(vs.nameScope()), QStringLiteral("tower6/tower4/"));
    QCOMPARE(qs(getVariable(g, "w", {1}).name()), QStringLiteral("tower4/w:0"));
}

void VariableScopeTest::s8_3_objectEntryMakesFreshCopy()
{
    Graph g;
    VarScope original;
    {
        VariableScope vs(g, "net");
        original = vs.scope();
    }
    {
        VariableScope vs(g, original);
        QVERIFY(vs.scope() != original);
        vs.scope()->reuseVariables(); // mutating the copy ...
        vs.scope()->dtype = DType::Double;
    }
    QCOMPARE(original->reuse, Reuse::False); // ... leaves the object untouched
    QCOMPARE(original->dtype, DType::Float);
}

void VariableScopeTest::s8_3_nameScopeIsLastComponent()
{
    Graph g;
    VarScope tower;
    {
        VariableScope t5(g, "tower5");
        VariableScope vs(g, "tower");
        tower = vs.scope();
        QCOMPARE(qs(tower->name), QStringLiteral("tower5/tower"));
    }
    VariableScope vs(g, tower);
    QCOMPARE(qs(vs.scope()->name), QStringLiteral("tower5/tower"));
    QCOMPARE(qs(vs.nameScope()), QStringLiteral("tower/"));
    QCOMPARE(qs(vs.scope()->originalNameScope), QStringLiteral("tower5/tower/"));
}

void VariableScopeTest::s8_3_variablesAndOpsDiverge()
{
    // §14 item 2: variables in foo/..., ops in foo_1/... on a string re-entry.
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{2}, "x");
    { VariableScope vs(g, "foo"); }
    VariableScope vs(g, "foo");
    Variable v = getVariable(g, "v", {2});
    QCOMPARE(qs(v.name()), QStringLiteral("foo/v:0"));
    QCOMPARE(nameOf(g, ops::plus(g, x, v)), QStringLiteral("foo_1/add"));
}

void VariableScopeTest::s8_3_emptyStringName()
{
    // variable_scope("") opens no name scope; TF keeps the raw name "" as
    // original_name_scope, and the variable-scope name is parent + "/" + "".
    Graph g;
    NameScope n(g, "n");
    {
        VariableScope vs(g, "");
        QCOMPARE(qs(vs.scope()->name), QString());
        QCOMPARE(qs(vs.scope()->originalNameScope), QString());
        QCOMPARE(qs(g.nameScope()), QStringLiteral("n"));
    }
    VariableScope outer(g, "outer");
    VariableScope vs(g, "");
    QCOMPARE(qs(vs.scope()->name), QStringLiteral("outer/"));
    QCOMPARE(qs(vs.scope()->originalNameScope), QString());
}

// ---- §8.4 ----------------------------------------------------------------------------

void VariableScopeTest::s8_4_stringNoneInheritsRootFalse()
{
    Graph g;
    VariableScope a(g, "a");
    QCOMPARE(reuseOf(a.scope()), QStringLiteral("False"));
    VariableScope b(g, "b", Reuse::False);
    QCOMPARE(reuseOf(b.scope()), QStringLiteral("False"));
}

void VariableScopeTest::s8_4_stringFalseInheritsTrueParent()
{
    Graph g;
    VariableScope a(g, "a", Reuse::True);
    VariableScope b(g, "b", Reuse::False); // False means "inherit"
    QCOMPARE(reuseOf(b.scope()), QStringLiteral("True"));
    VariableScope c(g, "c");
    QCOMPARE(reuseOf(c.scope()), QStringLiteral("True"));
}

void VariableScopeTest::s8_4_stringTrue()
{
    Graph g;
    VariableScope a(g, "a", Reuse::True);
    QCOMPARE(reuseOf(a.scope()), QStringLiteral("True"));
}

void VariableScopeTest::s8_4_stringAutoReuseInsideTrue()
{
    Graph g;
    VariableScope a(g, "a", Reuse::True);
    VariableScope b(g, "b", Reuse::AutoReuse);
    QCOMPARE(reuseOf(b.scope()), QStringLiteral("AUTO_REUSE"));
    // AUTO_REUSE passes both store checks: it creates, then reuses.
    Variable v = getVariable(g, "v", {2});
    QCOMPARE(qs(v.name()), QStringLiteral("a/b/v:0"));
    QVERIFY(getVariable(g, "v", {2}) == v);
    VariableScope c(g, "c");
    QCOMPARE(reuseOf(c.scope()), QStringLiteral("AUTO_REUSE")); // inherited
}

void VariableScopeTest::s8_4_objectNoneUsesObjectFlag()
{
    Graph g;
    VarScope r;
    {
        VariableScope vs(g, "r", Reuse::True);
        r = vs.scope();
    }
    VariableScope vs(g, r);
    QCOMPARE(reuseOf(vs.scope()), QStringLiteral("True"));
}

void VariableScopeTest::s8_4_objectFromReusingScopeCannotBeUndone()
{
    Graph g;
    VarScope r;
    {
        VariableScope vs(g, "r", Reuse::True);
        r = vs.scope();
    }
    VariableScope vs(g, r, Reuse::False);
    QCOMPARE(reuseOf(vs.scope()), QStringLiteral("True"));
}

void VariableScopeTest::s8_4_objectNonReusingInsideReusingString()
{
    Graph g;
    VarScope plain;
    {
        VariableScope vs(g, "plain");
        plain = vs.scope();
    }
    VariableScope outer(g, "outer", Reuse::True);
    VariableScope vs(g, plain);
    QCOMPARE(reuseOf(vs.scope()), QStringLiteral("False")); // the object's flag wins
    QCOMPARE(qs(getVariable(g, "v", {1}).name()), QStringLiteral("plain/v:0"));
}

void VariableScopeTest::s8_4_objectTrueAndAutoReuse()
{
    Graph g;
    VarScope plain;
    {
        VariableScope vs(g, "plain");
        plain = vs.scope();
    }
    {
        VariableScope vs(g, plain, Reuse::True);
        QCOMPARE(reuseOf(vs.scope()), QStringLiteral("True"));
    }
    VariableScope vs(g, plain, Reuse::AutoReuse);
    QCOMPARE(reuseOf(vs.scope()), QStringLiteral("AUTO_REUSE"));
    QCOMPARE(reuseOf(plain), QStringLiteral("False"));
}

void VariableScopeTest::s8_4_defaultNameInherits()
{
    Graph g;
    VariableScope a(g, "a", Reuse::AutoReuse);
    VariableScope d(g, std::nullopt, withDefault("d"));
    QCOMPARE(qs(d.scope()->name), QStringLiteral("a/d"));
    QCOMPARE(reuseOf(d.scope()), QStringLiteral("AUTO_REUSE"));
}

void VariableScopeTest::s8_4_defaultNameWithReuseIsError()
{
    Graph g;
    for (Reuse r : {Reuse::True, Reuse::AutoReuse}) {
        QCOMPARE(errorText<ValueError>([&] { VariableScope vs(g, std::nullopt, withDefault("d", r)); }),
                 QStringLiteral("reuse=True cannot be used without a name_or_scope"));
    }
    // Nothing was entered or counted.
    QCOMPARE(qs(g.nameScope()), QString());
    QCOMPARE(qs(currentVariableScope(g)->name), QString());
    VariableScope vs(g, std::nullopt, withDefault("d", Reuse::False));
    QCOMPARE(qs(vs.scope()->name), QStringLiteral("d"));
    QCOMPARE(qs(vs.nameScope()), QStringLiteral("d/"));
}

void VariableScopeTest::s8_4_reuseCannotBeTurnedOff()
{
    Graph g;
    { VariableScope vs(g, "net"); getVariable(g, "w", {1}); }
    VariableScope outer(g, "net", Reuse::True);
    VariableScope inner(g, "inner", Reuse::False);
    VariableScope inner2(g, "inner2", Reuse::None);
    QCOMPARE(reuseOf(inner2.scope()), QStringLiteral("True"));
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "w", {1}); }),
             QStringLiteral("Variable net/inner/inner2/w does not exist, or was not created with tf.get_variable(). "
                            "Did you mean to set reuse=tf.AUTO_REUSE in VarScope?"));
}

// ---- §8.5 ----------------------------------------------------------------------------

void VariableScopeTest::s8_5_initializerInherited()
{
    Graph g;
    VariableScopeOptions o;
    o.initializer = initializers::ones();
    VariableScope a(g, "a", o);
    VariableScope b(g, "b");
    QVERIFY(b.scope()->initializer == a.scope()->initializer);
    Variable v = getVariable(g, "v", {3});
    QCOMPARE(opNames(g), (QStringList{"a/b/v/Initializer/ones", "a/b/v", "a/b/v/Assign", "a/b/v/read"}));
    QCOMPARE(v.info().initialValueOp, g.findOp("a/b/v/Initializer/ones")->id());
}

void VariableScopeTest::s8_5_dtypeInherited()
{
    Graph g;
    VariableScopeOptions o;
    o.dtype = DType::Double;
    VariableScope a(g, "a", o);
    VariableScope b(g, "b");
    QCOMPARE(b.scope()->dtype, DType::Double);
    Variable v = getVariable(g, "v", shape2());
    QCOMPARE(v.info().dtype, DType::Double);
    QCOMPARE(g.info(v.ref()).dtype, DType::DoubleRef);
}

void VariableScopeTest::s8_5_objectAttributesFromObject()
{
    Graph g;
    VarScope plain;
    {
        VariableScope vs(g, "plain");
        plain = vs.scope();
    }
    VariableScopeOptions o;
    o.initializer = initializers::ones();
    o.dtype = DType::Double;
    VariableScope enclosing(g, "enclosing", o);
    VariableScope vs(g, plain); // attributes copied from `plain`, not from the enclosing scope
    QVERIFY(!vs.scope()->initializer);
    QCOMPARE(vs.scope()->dtype, DType::Float);
    // ... and overridden by non-None arguments.
    VariableScopeOptions o2;
    o2.dtype = DType::Int32;
    VariableScope vs2(g, plain, o2);
    QCOMPARE(vs2.scope()->dtype, DType::Int32);
}

void VariableScopeTest::s8_5_setOnCurrentScopeLastsUntilBlockEnd()
{
    Graph g;
    {
        VariableScope a(g, "a");
        currentVariableScope(g)->initializer = initializers::zeros();
        {
            VariableScope b(g, "b");
            QVERIFY(b.scope()->initializer != nullptr);
        }
    }
    QVERIFY(!currentVariableScope(g)->initializer); // the parent (root) is untouched
    VariableScope a(g, "a");
    QVERIFY(!a.scope()->initializer);
}

// ---- §8.6 ----------------------------------------------------------------------------

void VariableScopeTest::s8_6_fooBarExample()
{
    Graph g;
    VarScope foo;
    QStringList names, ns;
    {
        VariableScope f(g, "foo");
        foo = f.scope();
        for (int i = 0; i < 2; ++i) {
            VariableScope b(g, std::nullopt, withDefault("bar"));
            names << qs(b.scope()->name);
            ns << qs(b.nameScope());
        }
    }
    {
        VariableScope f(g, foo);
        VariableScope b(g, std::nullopt, withDefault("bar"));
        names << qs(b.scope()->name);
        ns << qs(b.nameScope());
    }
    QCOMPARE(names, (QStringList{"foo/bar", "foo/bar_1", "foo/bar"}));
    QCOMPARE(ns, (QStringList{"foo/bar/", "foo/bar_1/", "foo_1/bar/"}));
}

void VariableScopeTest::s8_6_descendantsResetWhenStringParentExits()
{
    Graph g;
    QStringList names;
    for (int i = 0; i < 2; ++i) {
        VariableScope f(g, "foo");
        VariableScope b(g, std::nullopt, withDefault("bar"));
        names << qs(b.scope()->name);
    }
    QCOMPARE(names, (QStringList{"foo/bar", "foo/bar"}));
}

void VariableScopeTest::s8_6_parentCountKept()
{
    Graph g;
    { VariableScope f(g, "foo"); }
    { VariableScope f(g, "foo"); }
    // "foo" has been opened twice and is never reset at root: the default gets foo_1.
    VariableScope d(g, std::nullopt, withDefault("foo"));
    QCOMPARE(qs(d.scope()->name), QStringLiteral("foo_1"));
    QCOMPARE(qs(d.nameScope()), QStringLiteral("foo_2/"));
}

void VariableScopeTest::s8_6_objectExitRestoresSnapshot()
{
    Graph g;
    VarScope p;
    {
        VariableScope vs(g, "p");
        p = vs.scope();
    }
    { VariableScope d(g, std::nullopt, withDefault("d")); } // d counted once
    {
        VariableScope vp(g, p);
        VariableScope root(g, g.rootVariableScope()); // back at variable scope ""
        VariableScope d(g, std::nullopt, withDefault("d"));
        QCOMPARE(qs(d.scope()->name), QStringLiteral("d_1"));
    }
    // Everything counted inside the object scopes was discarded: d_1 is free again.
    VariableScope d(g, std::nullopt, withDefault("d"));
    QCOMPARE(qs(d.scope()->name), QStringLiteral("d_1"));
}

void VariableScopeTest::s8_6_countsAreExactCase()
{
    Graph g;
    { VariableScope s(g, "Foo"); }
    VariableScope d(g, std::nullopt, withDefault("foo"));
    QCOMPARE(qs(d.scope()->name), QStringLiteral("foo"));      // exact-case counts
    QCOMPARE(qs(d.nameScope()), QStringLiteral("foo_1/"));     // names_in_use is case-insensitive
}

void VariableScopeTest::s8_6_defaultNameNameScopeIndependent()
{
    Graph g;
    // A name scope "d" (not a variable scope) makes the default's name scope d_1, not its variable scope.
    { NameScope n(g, "d"); }
    VariableScope d(g, std::nullopt, withDefault("d"));
    QCOMPARE(qs(d.scope()->name), QStringLiteral("d"));
    QCOMPARE(qs(d.nameScope()), QStringLiteral("d_1/"));
    QCOMPARE(qs(d.scope()->originalNameScope), QStringLiteral("d_1/"));
}

// ---- §8.2 ----------------------------------------------------------------------------

void VariableScopeTest::s8_2_noAuxiliaryAtRoot()
{
    Graph g;
    {
        VariableScope vs(g, "scope", noAux());
        QCOMPARE(qs(vs.scope()->originalNameScope), QString());
        QCOMPARE(qs(getVariable(g, "a", {1}).name()), QStringLiteral("scope/a:0"));
        QCOMPARE(nameOf(g, ops::constant(g, 1.0, DType::Float, "c")), QStringLiteral("c"));
    }
    // No name scope "scope" was created before.
    NameScope n(g, "scope");
    QCOMPARE(nameOf(g, ops::constant(g, 1.0, DType::Float, "c")), QStringLiteral("scope/c"));
}

void VariableScopeTest::s8_2_noAuxiliaryNested()
{
    Graph g;
    VariableScope outer(g, "outer");
    VariableScope inner(g, "inner", noAux());
    QCOMPARE(qs(inner.scope()->name), QStringLiteral("outer/inner"));
    QCOMPARE(qs(inner.scope()->originalNameScope), QStringLiteral("outer/"));
    QCOMPARE(nameOf(g, ops::constant(g, 1.0, DType::Float, "c")), QStringLiteral("outer/c"));
}

void VariableScopeTest::s8_2_noAuxiliaryNotInherited()
{
    Graph g;
    VariableScope outer(g, "outer", noAux());
    VariableScope sub(g, "sub");
    QCOMPARE(qs(sub.nameScope()), QStringLiteral("sub/"));
    QCOMPARE(qs(sub.scope()->name), QStringLiteral("outer/sub"));
}

void VariableScopeTest::s8_2_noAuxiliaryObjectReentry()
{
    Graph g;
    VarScope outer;
    {
        VariableScope vs(g, "outer");
        outer = vs.scope();
    }
    NameScope n(g, "somewhere");
    VariableScope vs(g, outer, noAux());
    QCOMPARE(qs(vs.nameScope()), QStringLiteral("somewhere/"));
    QCOMPARE(qs(vs.scope()->originalNameScope), QStringLiteral("outer/"));
    QCOMPARE(nameOf(g, ops::constant(g, 1.0)), QStringLiteral("somewhere/Const"));
    QVERIFY(!g.nameInUse("somewhere/outer"));
}

// ---- §8.1 / §8.7 ---------------------------------------------------------------------

void VariableScopeTest::s8_1_defaultNameRequired()
{
    Graph g;
    QCOMPARE(errorText<TypeError>([&] { VariableScope vs(g, std::nullopt, VariableScopeOptions{}); }),
             QStringLiteral("If default_name is None then name_or_scope is required"));
    QCOMPARE(qs(g.nameScope()), QString());
}

void VariableScopeTest::s8_1_nullObjectIsTypeError()
{
    Graph g;
    QCOMPARE(errorText<TypeError>([&] { VariableScope vs(g, VarScope{}); }),
             QStringLiteral("VariableScope: name_or_scope must be a string or VariableScope."));
    QCOMPARE(qs(currentVariableScope(g)->name), QString());
}

void VariableScopeTest::s8_7_improperNestingOutOfOrderDestroy()
{
    Graph g;
    auto a = std::make_unique<VariableScope>(g, "a");
    auto b = std::make_unique<VariableScope>(g, "b");
    QCOMPARE(qs(currentVariableScope(g)->name), QStringLiteral("a/b"));
    // Destroying the outer guard first is improper nesting.
    QCOMPARE(errorText<RuntimeError>([&] { delete a.release(); }), QStringLiteral("Improper nesting of variable_scope."));
    // The remaining guard restores what was current before `a` was entered.
    b.reset();
    QCOMPARE(qs(currentVariableScope(g)->name), QString());
    QCOMPARE(currentVariableScope(g), g.rootVariableScope());
    QCOMPARE(qs(g.nameScope()), QString());
    // The graph stays usable.
    QCOMPARE(nameOf(g, ops::constant(g, 1.0)), QStringLiteral("Const"));
    VariableScope c(g, "a");
    QCOMPARE(qs(c.nameScope()), QStringLiteral("a_1/"));
    QCOMPARE(qs(getVariable(g, "v", {1}).name()), QStringLiteral("a/v:0"));
}

void VariableScopeTest::s8_7_improperNestingViaClose()
{
    Graph g;
    VariableScope a(g, "a");
    {
        VariableScope b(g, "b");
        QCOMPARE(errorText<RuntimeError>([&] { a.close(); }), QStringLiteral("Improper nesting of variable_scope."));
        QCOMPARE(qs(currentVariableScope(g)->name), QStringLiteral("a/b"));
    }
    QCOMPARE(qs(currentVariableScope(g)->name), QString());
    QCOMPARE(qs(g.nameScope()), QString());
    a.close(); // already closed: no second error
    VariableScope again(g, "x");
    QCOMPARE(qs(getVariable(g, "v", {1}).name()), QStringLiteral("x/v:0"));
}

void VariableScopeTest::s8_7_inOrderCloseIsFine()
{
    Graph g;
    VariableScope a(g, "a");
    VariableScope b(g, "b");
    b.close();
    QCOMPARE(qs(currentVariableScope(g)->name), QStringLiteral("a"));
    QCOMPARE(qs(g.nameScope()), QStringLiteral("a"));
    a.close();
    QCOMPARE(qs(currentVariableScope(g)->name), QString());
}

void VariableScopeTest::s8_7_nameScopeOutOfOrderRepairs()
{
    Graph g;
    auto a = std::make_unique<NameScope>(g, "a");
    auto b = std::make_unique<NameScope>(g, "b");
    a.reset(); // name scopes never throw; the stack is repaired
    QCOMPARE(qs(g.nameScope()), QStringLiteral("a/b"));
    b.reset();
    QCOMPARE(qs(g.nameScope()), QString());
    QCOMPARE(nameOf(g, ops::constant(g, 1.0)), QStringLiteral("Const"));
}

// ---- §13 -----------------------------------------------------------------------------

void VariableScopeTest::s13_newThreadStartsAtRoot()
{
    Graph g;
    VariableScope vs(g, "main");
    NameScope n(g, "ns");
    std::string threadNameScope = "?", threadVarScope = "?", opName;
    std::thread t([&] {
        threadNameScope = g.nameScope();
        threadVarScope = currentVariableScope(g)->name;
        opName = std::string(g.op(ops::constant(g, 1.0).op).name());
    });
    t.join();
    QCOMPARE(qs(threadNameScope), QString());
    QCOMPARE(qs(threadVarScope), QString());
    QCOMPARE(qs(opName), QStringLiteral("Const"));
    QCOMPARE(qs(g.nameScope()), QStringLiteral("main/ns")); // the main thread is unaffected
}

void VariableScopeTest::s13_namesInUseShared()
{
    Graph g;
    ops::constant(g, 1.0, DType::Float, "c");
    std::string first, second;
    std::thread t([&] {
        first = std::string(g.op(ops::constant(g, 1.0, DType::Float, "c").op).name());
        NameScope s(g, "scope");
        second = s.scope();
    });
    t.join();
    QCOMPARE(qs(first), QStringLiteral("c_1"));
    QCOMPARE(qs(second), QStringLiteral("scope/"));
    NameScope s(g, "scope");
    QCOMPARE(qs(s.scope()), QStringLiteral("scope_1/"));
}

void VariableScopeTest::s13_variableStoreShared()
{
    Graph g;
    {
        VariableScope vs(g, "foo");
        getVariable(g, "v", {1});
    }
    QString error;
    std::thread t([&] {
        VariableScope vs(g, "foo");
        error = errorText<ValueError>([&] { getVariable(g, "v", {1}); });
    });
    t.join();
    QVERIFY2(error.startsWith("Variable foo/v already exists, disallowed. Did you mean to set reuse=True or "
                              "reuse=tf.AUTO_REUSE in VarScope? Originally defined at:"),
             qPrintable(error));
}

void VariableScopeTest::s13_capturedScopeReenteredInThread()
{
    Graph g;
    VarScope main;
    {
        VariableScope vs(g, "main");
        main = vs.scope();
    }
    std::string inMain, outside;
    std::thread t([&] {
        {
            VariableScope m(g, main);
            VariableScope foo(g, "foo");
            inMain = getVariable(g, "v", {1}).name();
        }
        VariableScope bar(g, "bar");
        outside = getVariable(g, "v", {1}).name();
    });
    t.join();
    QCOMPARE(qs(inMain), QStringLiteral("main/foo/v:0"));
    QCOMPARE(qs(outside), QStringLiteral("bar/v:0"));
}

void VariableScopeTest::s13_graphsAreIndependent()
{
    Graph g1, g2;
    VariableScope a(g1, "a");
    NameScope n(g1, "n");
    QCOMPARE(qs(g2.nameScope()), QString());
    QCOMPARE(qs(currentVariableScope(g2)->name), QString());
    QCOMPARE(nameOf(g2, ops::constant(g2, 1.0)), QStringLiteral("Const"));
    getVariable(g1, "v", {1});
    QCOMPARE(g2.findVariable("a/v"), -1);
    QCOMPARE(qs(getVariable(g2, "v", {1}).name()), QStringLiteral("v:0"));
}

QTEST_GUILESS_MAIN(VariableScopeTest)
#include "variable_scope_test.moc"
