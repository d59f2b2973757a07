// Bad input to the scoping engine (issue acceptance, docs/scoping.md §11): every
// misuse raises the typed exception with TensorFlow's text, crashes nothing,
// and leaves the graph usable — later ops get exactly the names TF would give.
#include "core/graph/graph.h"
#include "core/ops/get_variable.h"
#include "core/ops/ops.h"
#include "core/scope/variable_scope.h"
#include "tests/core/scope/scope_test_util.h"

#include <QtTest>

#include <memory>
#include <random>
#include <variant>

using namespace scopeviz;
using namespace scopeviz::testing;

class ScopeRobustnessTest : public QObject {
    Q_OBJECT

private slots:
    void bad_invalidScopeNameThenBuild();
    void bad_colonInOpName();
    void bad_invalidVariableScopeName();
    void bad_reuseMissingVariable();
    void bad_shapeMismatchOnReuse();
    void bad_dtypeMismatchOnReuse();
    void bad_improperNestingThenBuild();
    void bad_exceptionDeepInsideScopesUnwinds();
    void bad_getVariableFailureRestoresNameScope();
    void bad_initializerFailureKeepsNameRecorded();
    void bad_duplicateVerbatimNameThenBuild();
    void bad_defaultNameWithReuseThenBuild();
    void bad_nullScopeObjectThenBuild();
    void bad_randomMisuseNeverCorrupts();
};

void ScopeRobustnessTest::bad_invalidScopeNameThenBuild()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{2}, "x");
    NameScope a(g, "a");
    QCOMPARE(errorText<ValueError>([&] { NameScope s(g, "b c"); }), QStringLiteral("'b c' is not a valid scope name"));
    QCOMPARE(qs(g.nameScope()), QStringLiteral("a"));
    NameScope b(g, "b");
    QCOMPARE(nameOf(g, ops::plus(g, x, 1.0)), QStringLiteral("a/b/add"));
    QCOMPARE(nameOf(g, g.op(ops::plus(g, x, 1.0).op).inputs()[1]), QStringLiteral("a/b/add_1/y"));
}

void ScopeRobustnessTest::bad_colonInOpName()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{2}, "x");
    QCOMPARE(errorText<ValueError>([&] { ops::add(g, x, x, "y:0"); }), QStringLiteral("'y:0' is not a valid scope name"));
    QCOMPARE(errorText<ValueError>([&] { ops::constant(g, 1.0, DType::Float, "c:0"); }),
             QStringLiteral("'c:0' is not a valid node name"));
    QCOMPARE(errorText<ValueError>([&] { g.createOp("NoOp", "n:1", {}); }), QStringLiteral("'n:1' is not a valid node name"));
    QCOMPARE(g.numOps(), 1);
    QCOMPARE(nameOf(g, ops::add(g, x, x, "y")), QStringLiteral("y"));
    QCOMPARE(nameOf(g, ops::constant(g, 1.0, DType::Float, "c")), QStringLiteral("c"));
}

void ScopeRobustnessTest::bad_invalidVariableScopeName()
{
    Graph g;
    QCOMPARE(errorText<ValueError>([&] { VariableScope vs(g, "my net"); }), QStringLiteral("'my net' is not a valid scope name"));
    QCOMPARE(errorText<ValueError>([&] { VariableScope vs(g, "net:0"); }), QStringLiteral("'net:0' is not a valid scope name"));
    QCOMPARE(qs(currentVariableScope(g)->name), QString());
    QCOMPARE(qs(g.nameScope()), QString());
    VariableScope vs(g, "my_net");
    QCOMPARE(qs(vs.nameScope()), QStringLiteral("my_net/"));
    QCOMPARE(qs(getVariable(g, "w", {1}).name()), QStringLiteral("my_net/w:0"));
}

void ScopeRobustnessTest::bad_reuseMissingVariable()
{
    Graph g;
    {
        VariableScope vs(g, "net", Reuse::True);
        QCOMPARE(errorText<ValueError>([&] { getVariable(g, "w", {2}); }),
                 QStringLiteral("Variable net/w does not exist, or was not created with tf.get_variable(). Did you mean "
                                "to set reuse=tf.AUTO_REUSE in VarScope?"));
        QCOMPARE(qs(g.nameScope()), QStringLiteral("net"));
    }
    VariableScope vs(g, "net", Reuse::AutoReuse);
    Variable w = getVariable(g, "w", {2});
    QCOMPARE(qs(w.name()), QStringLiteral("net/w:0"));
    QCOMPARE(opNames(g).last(), QStringLiteral("net/w/read"));
}

void ScopeRobustnessTest::bad_shapeMismatchOnReuse()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{-1, 2}, "x");
    { VariableScope vs(g, "my_net"); getVariable(g, "weights", {2}); }
    {
        VariableScope vs(g, "my_net", Reuse::True);
        QCOMPARE(errorText<ValueError>([&] { getVariable(g, "weights", {3}); }),
                 QStringLiteral("Trying to share variable my_net/weights, but specified shape (3,) and found shape (2,)."));
        Variable w = getVariable(g, "weights", {2});
        QCOMPARE(nameOf(g, ops::plus(g, x, w)), QStringLiteral("my_net_1/add"));
    }
}

void ScopeRobustnessTest::bad_dtypeMismatchOnReuse()
{
    Graph g;
    { VariableScope vs(g, "s"); getVariable(g, "step", {}, DType::Int64, initializers::zeros()); }
    VariableScope vs(g, "s", Reuse::True);
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "step", std::vector<int64_t>{}); }),
             QStringLiteral("Trying to share variable s/step, but specified dtype float32 and found dtype int64_ref."));
    Variable step = getVariable(g, "step", {}, DType::Int64);
    QCOMPARE(qs(step.name()), QStringLiteral("s/step:0"));
    QCOMPARE(nameOf(g, ops::add(g, step, int64_t(1))), QStringLiteral("s_1/Add"));
}

void ScopeRobustnessTest::bad_improperNestingThenBuild()
{
    Graph g;
    auto outer = std::make_unique<VariableScope>(g, "outer");
    auto inner = std::make_unique<VariableScope>(g, "inner");
    NameScope ns(g, "ns");
    QCOMPARE(errorText<RuntimeError>([&] { outer->close(); }), QStringLiteral("Improper nesting of variable_scope."));
    outer.reset(); // already closed: destroying it is silent
    // Still inside inner: names as before.
    QCOMPARE(qs(currentVariableScope(g)->name), QStringLiteral("outer/inner"));
    QCOMPARE(nameOf(g, ops::constant(g, 1.0)), QStringLiteral("outer/inner/ns/Const"));
    ns.close();
    inner.reset();
    QCOMPARE(qs(currentVariableScope(g)->name), QString());
    QCOMPARE(qs(g.nameScope()), QString());
    VariableScope again(g, "outer");
    QCOMPARE(qs(again.nameScope()), QStringLiteral("outer_1/"));
    QCOMPARE(qs(getVariable(g, "v", {1}).name()), QStringLiteral("outer/v:0"));
}

void ScopeRobustnessTest::bad_exceptionDeepInsideScopesUnwinds()
{
    Graph g;
    VarScope aObj;
    {
        VariableScope a(g, "a");
        aObj = a.scope();
        getVariable(g, "v", {1});
    }
    const QString e = errorText<ValueError>([&] {
        VariableScope a(g, "a");
        NameScope n(g, "n");
        VariableScope b(g, "b");
        VariableScope c(g, "c");
        VariableScope back(g, aObj);
        QCOMPARE(qs(back.nameScope()), QStringLiteral("a_1/n/b/c/a/"));
        getVariable(g, "v", {1}); // exists and the object's reuse is False
    });
    QVERIFY2(e.startsWith("Variable a/v already exists"), qPrintable(e));
    QCOMPARE(qs(g.nameScope()), QString());
    QCOMPARE(qs(currentVariableScope(g)->name), QString());
    VariableScope a(g, "a");
    QCOMPARE(qs(a.nameScope()), QStringLiteral("a_2/"));
    VariableScope d(g, std::nullopt, defaultNameOptions("b"));
    QCOMPARE(qs(d.scope()->name), QStringLiteral("a/b")); // a's sub-scope counts were reset on exit
}

void ScopeRobustnessTest::bad_getVariableFailureRestoresNameScope()
{
    Graph g;
    NameScope n(g, "keep");
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "-v", {1}); }), QStringLiteral("'-v' is not a valid scope name"));
    QCOMPARE(qs(g.nameScope()), QStringLiteral("keep"));
    QCOMPARE(nameOf(g, ops::constant(g, 1.0)), QStringLiteral("keep/Const"));
}

void ScopeRobustnessTest::bad_initializerFailureKeepsNameRecorded()
{
    Graph g;
    NameScope n(g, "keep");
    // A random initializer cannot build an int32 value: the variable is not stored.
    QVERIFY(!errorText<Error>([&] { getVariable(g, "v", {2}, DType::Int32, initializers::truncatedNormal()); })
                 .startsWith("<"));
    QCOMPARE(g.findVariable("v"), -1);
    QCOMPARE(qs(g.nameScope()), QStringLiteral("keep"));
    // The variable's name scope "v" was entered before the failure, so the retry's ops are v_1 (§9.8).
    Variable v = getVariable(g, "v", {2}, DType::Int32);
    QCOMPARE(qs(v.name()), QStringLiteral("v_1:0"));
    QCOMPARE(qs(v.info().fullName), QStringLiteral("v"));
    QVERIFY(!g.trace().empty());
}

void ScopeRobustnessTest::bad_duplicateVerbatimNameThenBuild()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{2}, "x");
    ops::identity(g, x, "out/");
    QCOMPARE(errorText<ValueError>([&] { ops::identity(g, x, "out/"); }), QStringLiteral("Duplicate node name in graph: 'out'"));
    QCOMPARE(g.numOps(), 2);
    // "out" was produced verbatim, so it is not in names_in_use: the first relative
    // request gets "out" again and collides (as in TF); that request is recorded.
    QCOMPARE(errorText<ValueError>([&] { ops::identity(g, x, "out"); }), QStringLiteral("Duplicate node name in graph: 'out'"));
    QCOMPARE(nameOf(g, ops::identity(g, x, "out")), QStringLiteral("out_1"));
    QCOMPARE(g.numOps(), 3);
}

void ScopeRobustnessTest::bad_defaultNameWithReuseThenBuild()
{
    Graph g;
    QCOMPARE(errorText<ValueError>([&] {
                 VariableScope vs(g, std::nullopt, defaultNameOptions("d", Reuse::AutoReuse));
             }),
             QStringLiteral("reuse=True cannot be used without a name_or_scope"));
    VariableScope vs(g, std::nullopt, defaultNameOptions("d"));
    QCOMPARE(qs(vs.scope()->name), QStringLiteral("d"));
    QCOMPARE(qs(vs.nameScope()), QStringLiteral("d/"));
}

void ScopeRobustnessTest::bad_nullScopeObjectThenBuild()
{
    Graph g;
    NameScope n(g, "n");
    QCOMPARE(errorText<TypeError>([&] { VariableScope vs(g, VarScope{}, Reuse::True); }),
             QStringLiteral("VariableScope: name_or_scope must be a string or VariableScope."));
    QCOMPARE(qs(g.nameScope()), QStringLiteral("n"));
    QCOMPARE(nameOf(g, ops::constant(g, 1.0)), QStringLiteral("n/Const"));
}

void ScopeRobustnessTest::bad_randomMisuseNeverCorrupts()
{
    // A long pseudo-random mix of valid and invalid names, all reuse modes, failing
    // lookups and out-of-order closes. Afterwards: back at root, every op name is a
    // valid, unique node name, and the store holds exactly the created variables.
    Graph g;
    std::mt19937 rng(12345);
    const char* names[] = {"a", "B", "a_1", "_x", "-y", "bad name", "c:0", "/abs", "d/", "e//", "", "w", "W"};
    using Guard = std::variant<std::unique_ptr<NameScope>, std::unique_ptr<VariableScope>>;
    std::vector<Guard> stack;
    std::vector<VarScope> captured{g.rootVariableScope()};
    Output x = ops::placeholder(g, DType::Float, Shape{2}, "x");
    int errors = 0, created = 0;
    for (int step = 0; step < 4000; ++step) {
        const char* name = names[rng() % std::size(names)];
        const Reuse reuse = Reuse(rng() % 4);
        try {
            switch (rng() % 9) {
            case 0: stack.emplace_back(std::make_unique<NameScope>(g, name)); break;
            case 1: stack.emplace_back(std::make_unique<VariableScope>(g, name, reuse)); break;
            case 2: {
                auto vs = std::make_unique<VariableScope>(g, captured[rng() % captured.size()], reuse);
                captured.push_back(vs->scope());
                stack.emplace_back(std::move(vs));
                break;
            }
            case 3:
                stack.emplace_back(std::make_unique<VariableScope>(
                    g, std::nullopt, defaultNameOptions(std::string("d") + name, reuse)));
                break;
            case 4: {
                const size_t before = g.variables().size();
                getVariable(g, name, {2});
                created += int(g.variables().size() - before);
                break;
            }
            case 5: ops::plus(g, x, 1.0); break;
            case 6: ops::identity(g, x, name); break;
            case 7:
                if (!stack.empty())
                    stack.pop_back();
                break;
            case 8:
                if (!stack.empty()) {
                    // Close a random guard, possibly out of order.
                    Guard& gd = stack[rng() % stack.size()];
                    if (auto* ns = std::get_if<std::unique_ptr<NameScope>>(&gd))
                        (*ns)->close();
                    else
                        std::get<std::unique_ptr<VariableScope>>(gd)->close();
                }
                break;
            }
        } catch (const Error&) {
            ++errors;
        }
        if (stack.size() > 12) {
            while (!stack.empty())
                stack.pop_back();
        }
    }
    while (!stack.empty())
        stack.pop_back();
    QVERIFY(errors > 100);
    QVERIFY(created > 10);
    QCOMPARE(qs(g.nameScope()), QString());
    QCOMPARE(currentVariableScope(g), g.rootVariableScope());
    QSet<QString> seen;
    for (int i = 0; i < g.numOps(); ++i) {
        const QString n = nameOf(g, OpId(i));
        QVERIFY2(isValidNodeName(g.op(i).name()), qPrintable(n));
        QVERIFY2(!seen.contains(n), qPrintable(n));
        seen.insert(n);
    }
    QCOMPARE(int(g.variables().size()), created);
    // Usable afterwards.
    QVERIFY(!g.nameInUse("fresh_after_fuzz"));
    NameScope fresh(g, "fresh_after_fuzz");
    QCOMPARE(nameOf(g, ops::constant(g, 1.0)), QStringLiteral("fresh_after_fuzz/Const"));
}

QTEST_GUILESS_MAIN(ScopeRobustnessTest)
#include "scope_robustness_test.moc"
