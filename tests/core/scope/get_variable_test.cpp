// Conformance tests for tf.get_variable and tf.Variable (docs/scoping.md §9,
// §10) and the error catalogue (§11): full names, the name-scope reset, the
// store's create/reuse decisions with TensorFlow 1.15's exact texts, default
// initializers, the ops a ref variable creates, collisions and collections.
#include "core/graph/graph.h"
#include "core/ops/get_variable.h"
#include "core/ops/ops.h"
#include "core/scope/variable_scope.h"
#include "tests/core/scope/scope_test_util.h"

#include <QtTest>

using namespace scopeviz;
using namespace scopeviz::testing;

namespace {

const QString kAlreadyExists = QStringLiteral(
    "Variable %1 already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope? "
    "Originally defined at:");
const QString kDoesNotExist = QStringLiteral(
    "Variable %1 does not exist, or was not created with tf.get_variable(). Did you mean to set "
    "reuse=tf.AUTO_REUSE in VarScope?");
const QString kInitializerNotValid = QStringLiteral(
    "The initializer passed is not valid. It should be a callable with no arguments and the shape should not be "
    "provided or an instance of `tf.keras.initializers.*' and `shape` should be fully defined.");

GetVariableOptions fromValue(Tensor t, std::optional<DType> dtype = std::nullopt)
{
    GetVariableOptions o;
    o.initialValue = std::move(t);
    o.dtype = dtype;
    return o;
}

GetVariableOptions shaped(Shape s, std::optional<DType> dtype = std::nullopt)
{
    GetVariableOptions o;
    o.shape = std::move(s);
    o.dtype = dtype;
    return o;
}

QStringList collectionNames(const Graph& g, const std::string& key)
{
    QStringList out;
    for (const Output& o : g.collection(key))
        out << inputRef(g, o);
    return out;
}

} // namespace

class GetVariableTest : public QObject {
    Q_OBJECT

private slots:
    // ---- §9.2 / §9.3 -----------------------------------------------------------
    void s9_2_fullNameFromVariableScopeOnly();
    void s9_2_nameScopePlaysNoPart();
    void s9_3_opsNamedFromRootAfterReset();
    void s9_3_nameScopeRestoredAfterwards();
    void s9_3_invalidFullNameFailsAsScopeName();
    void s9_3_noAuxiliaryInvalidNameFailsLater();

    // ---- §9.4 -----------------------------------------------------------------------
    void s9_4_initializerDtypeMismatch();
    void s9_4_initializerTensorDtypeMismatch();
    void s9_4_pythonValueMakesRootConst();
    void s9_4_matchingDtypeIsFine();

    // ---- §9.5 store logic --------------------------------------------------------------
    void s9_5_alreadyExistsPrefixAndFrames();
    void s9_5_doesNotExist();
    void s9_5_tfVariableInvisibleToStore();
    void s9_5_shapeMismatchMyNet();
    void s9_5_shapeMismatchPrinting();
    void s9_5_unspecifiedShapeIsCompatible();
    void s9_5_dtypeMismatchShowsRef();
    void s9_5_dtypeDefaultsToScopeDtype();
    void s9_5_dtypeCheckUsesScopeDtypeNotInitializer();
    void s9_5_constantWithShapeFresh();
    void s9_5_constantWithShapeCheckedWhenExisting();
    void s9_5_reuseReturnsSameObjectNoOps();
    void s9_5_autoReuseGetsOrCreates();

    // ---- §9.6 creation ---------------------------------------------------------------
    void s9_6_defaultInitializerFloat();
    void s9_6_defaultInitializerDouble();
    void s9_6_defaultInitializerIntegers_data();
    void s9_6_defaultInitializerIntegers();
    void s9_6_complexNeedsInitializer();
    void s9_6_callableNeedsFullyDefinedShape();
    void s9_6_constantValueGivesDtypeAndShape();
    void s9_6_tensorInitializerUsedAsIs();
    void s9_6_collectionsDefault();
    void s9_6_collectionsNotTrainable();
    void s9_6_localVariable();
    void s9_6_customCollections();
    void s9_6_storedBeforeReturning();

    // ---- §9.7 ops --------------------------------------------------------------------------
    void s9_7_refVariableOpsInOrder();
    void s9_7_initializerOpsCarryClass();
    void s9_7_zerosAndConstantInitializers();
    void s9_7_variableAttrs();

    // ---- §9.8 collisions ----------------------------------------------------------------------
    void s9_8_opNameCollision();
    void s9_8_caseCollisionMakesTwoVariables();
    void s9_8_scopeCollision();

    // ---- §10 tf.Variable ---------------------------------------------------------------------
    void s10_namedFromNameScope();
    void s10_reenteredVariableScopeUsesItsNameScope();
    void s10_opsFromValue();
    void s10_opsFromCallable();
    void s10_inCollectionsNotInStore();

    // ---- §11 ----------------------------------------------------------------------------------
    void s11_catalogue();
    void s11_failedLookupsLeaveStoreUnchanged();
};

// ---- §9.2 / §9.3 ------------------------------------------------------------------------

void GetVariableTest::s9_2_fullNameFromVariableScopeOnly()
{
    Graph g;
    VariableScope b(g, "b");
    NameScope a(g, "a");
    Variable w = getVariable(g, "w", {1});
    QCOMPARE(qs(w.name()), QStringLiteral("b/w:0"));
    QCOMPARE(qs(w.info().fullName), QStringLiteral("b/w"));
}

void GetVariableTest::s9_2_nameScopePlaysNoPart()
{
    Graph g;
    NameScope a(g, "a");
    QCOMPARE(qs(getVariable(g, "w", {1}).name()), QStringLiteral("w:0"));
}

void GetVariableTest::s9_3_opsNamedFromRootAfterReset()
{
    Graph g;
    NameScope outer(g, "outer");
    VariableScope b(g, "b");
    getVariable(g, "w", {2}, DType::Float, initializers::zeros());
    QCOMPARE(opNames(g), (QStringList{"b/w/Initializer/zeros", "b/w", "b/w/Assign", "b/w/read"}));
}

void GetVariableTest::s9_3_nameScopeRestoredAfterwards()
{
    Graph g;
    NameScope outer(g, "outer");
    VariableScope b(g, "b");
    getVariable(g, "w", {2});
    QCOMPARE(qs(g.nameScope()), QStringLiteral("outer/b"));
    QCOMPARE(nameOf(g, ops::constant(g, 1.0)), QStringLiteral("outer/b/Const"));
}

void GetVariableTest::s9_3_invalidFullNameFailsAsScopeName()
{
    Graph g;
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "_v", {1}); }), QStringLiteral("'_v' is not a valid scope name"));
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "a:0", {1}); }), QStringLiteral("'a:0' is not a valid scope name"));
    QCOMPARE(g.findVariable("_v"), -1);
    // Nested in a variable scope the same name is valid.
    VariableScope s(g, "s");
    QCOMPARE(qs(getVariable(g, "_v", {1}).name()), QStringLiteral("s/_v:0"));
    // The variable scope "_" fails when its auxiliary name scope is entered at root.
    NameScope root(g, "");
    QCOMPARE(errorText<ValueError>([&] { VariableScope bad(g, "_"); }), QStringLiteral("'_' is not a valid scope name"));
}

void GetVariableTest::s9_3_noAuxiliaryInvalidNameFailsLater()
{
    Graph g;
    VariableScopeOptions o;
    o.auxiliaryNameScope = false;
    VariableScope bad(g, "_bad", o); // no name scope, so no check yet
    QCOMPARE(qs(bad.scope()->name), QStringLiteral("_bad"));
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "v", {1}); }), QStringLiteral("'_bad/v' is not a valid scope name"));
}

// ---- §9.4 --------------------------------------------------------------------------------

void GetVariableTest::s9_4_initializerDtypeMismatch()
{
    Graph g;
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "v", fromValue(Tensor::scalar<int32_t>(1), DType::Float)); }),
             QStringLiteral("Initializer type '<dtype: 'int32'>' and explicit dtype '<dtype: 'float32'>' don't match."));
    QCOMPARE(g.findVariable("v"), -1);
}

void GetVariableTest::s9_4_initializerTensorDtypeMismatch()
{
    Graph g;
    Output c = ops::constant(g, Tensor::scalar<int64_t>(3));
    GetVariableOptions o;
    o.initialTensor = c;
    o.dtype = DType::Int32;
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "v", o); }),
             QStringLiteral("Initializer type '<dtype: 'int64'>' and explicit dtype '<dtype: 'int32'>' don't match."));
}

void GetVariableTest::s9_4_pythonValueMakesRootConst()
{
    // Converting the Python value for the check creates a root-level Const as a side effect.
    Graph g;
    NameScope outer(g, "outer");
    VariableScope vs(g, "vs");
    getVariable(g, "v", fromValue(Tensor::scalar<float>(1.f), DType::Float));
    QCOMPARE(opNames(g), (QStringList{"Const", "vs/v/initial_value", "vs/v", "vs/v/Assign", "vs/v/read"}));
    // Without an explicit dtype no check runs and no extra Const appears.
    getVariable(g, "w", fromValue(Tensor::scalar<float>(1.f)));
    QCOMPARE(opNames(g, 5), (QStringList{"vs/w/initial_value", "vs/w", "vs/w/Assign", "vs/w/read"}));
}

void GetVariableTest::s9_4_matchingDtypeIsFine()
{
    Graph g;
    Variable v = getVariable(g, "v", fromValue(Tensor::fromVector<int32_t>({1, 2}, {2}), DType::Int32));
    QCOMPARE(v.info().dtype, DType::Int32);
    QCOMPARE(v.info().shape, (Shape{2}));
}

// ---- §9.5 --------------------------------------------------------------------------------

void GetVariableTest::s9_5_alreadyExistsPrefixAndFrames()
{
    Graph g;
    for (int i = 0; i < 2; ++i) {
        VariableScope vs(g, "my_net");
        if (i == 0) {
            getVariable(g, "weights", {2});
            continue;
        }
        const QString e = errorText<ValueError>([&] { getVariable(g, "weights", {2}); });
        QVERIFY2(e.startsWith(kAlreadyExists.arg("my_net/weights")), qPrintable(e));
        // A blank line, then the frames of the original creation.
        QVERIFY2(e.mid(kAlreadyExists.arg("my_net/weights").size()).startsWith("\n\n  File \""), qPrintable(e));
        QVERIFY2(e.contains("get_variable_test.cpp\", line "), qPrintable(e));
    }
}

void GetVariableTest::s9_5_doesNotExist()
{
    Graph g;
    VariableScope vs(g, "my_net", Reuse::True);
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "weights", {2}); }), kDoesNotExist.arg("my_net/weights"));
    QCOMPARE(g.numOps(), 0);
}

void GetVariableTest::s9_5_tfVariableInvisibleToStore()
{
    Graph g;
    makeVariable(g, Tensor::scalar<float>(1.f), "v");
    VariableScope vs(g, "", Reuse::True);
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "v", GetVariableOptions{}); }), kDoesNotExist.arg("v"));
}

void GetVariableTest::s9_5_shapeMismatchMyNet()
{
    Graph g;
    { VariableScope vs(g, "my_net"); getVariable(g, "weights", {2}); }
    VariableScope vs(g, "my_net", Reuse::True);
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "weights", {3}); }),
             QStringLiteral("Trying to share variable my_net/weights, but specified shape (3,) and found shape (2,)."));
}

void GetVariableTest::s9_5_shapeMismatchPrinting()
{
    Graph g;
    getVariable(g, "m", {2, 3});
    getVariable(g, "s", std::vector<int64_t>{});
    VariableScope vs(g, "", Reuse::True);
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "m", shaped(Shape{-1, 4})); }),
             QStringLiteral("Trying to share variable m, but specified shape (?, 4) and found shape (2, 3)."));
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "s", shaped(Shape{1})); }),
             QStringLiteral("Trying to share variable s, but specified shape (1,) and found shape ()."));
}

void GetVariableTest::s9_5_unspecifiedShapeIsCompatible()
{
    Graph g;
    Variable m = getVariable(g, "m", {2, 3});
    VariableScope vs(g, "", Reuse::True);
    QVERIFY(getVariable(g, "m", GetVariableOptions{}) == m);
    QVERIFY(getVariable(g, "m", shaped(Shape{-1, 3})) == m);
    QVERIFY(getVariable(g, "m", shaped(Shape::unknown())) == m);
}

void GetVariableTest::s9_5_dtypeMismatchShowsRef()
{
    Graph g;
    getVariable(g, "v", {2}, DType::Int32);
    VariableScope vs(g, "", Reuse::True);
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "v", {2}, DType::Float); }),
             QStringLiteral("Trying to share variable v, but specified dtype float32 and found dtype int32_ref."));
    // float32 is compatible with float32_ref, int32 with int32_ref.
    QCOMPARE(getVariable(g, "v", {2}, DType::Int32).index, 0);
}

void GetVariableTest::s9_5_dtypeDefaultsToScopeDtype()
{
    Graph g;
    getVariable(g, "v", {2}, DType::Int64);
    VariableScope vs(g, "", Reuse::True);
    // Re-getting an int variable without dtype= fails: the request defaults to float32.
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "v", GetVariableOptions{}); }),
             QStringLiteral("Trying to share variable v, but specified dtype float32 and found dtype int64_ref."));
}

void GetVariableTest::s9_5_dtypeCheckUsesScopeDtypeNotInitializer()
{
    // The requested dtype is `dtype` or the scope's dtype, even when a constant initializer is passed.
    Graph g;
    getVariable(g, "v", fromValue(Tensor::fromVector<int32_t>({1, 2}, {2})));
    QCOMPARE(g.variables()[0].dtype, DType::Int32);
    VariableScope vs(g, "", Reuse::AutoReuse);
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "v", fromValue(Tensor::fromVector<int32_t>({1, 2}, {2}))); }),
             QStringLiteral("Trying to share variable v, but specified dtype float32 and found dtype int32_ref."));
    QCOMPARE(getVariable(g, "v", fromValue(Tensor::fromVector<int32_t>({1, 2}, {2}), DType::Int32)).index, 0);
}

void GetVariableTest::s9_5_constantWithShapeFresh()
{
    Graph g;
    GetVariableOptions o = fromValue(Tensor::scalar<float>(1.f));
    o.shape = Shape::scalar();
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "v", o); }),
             QStringLiteral("If initializer is a constant, do not specify shape."));
    QCOMPARE(g.numOps(), 0);
}

void GetVariableTest::s9_5_constantWithShapeCheckedWhenExisting()
{
    Graph g;
    getVariable(g, "v", {1});
    VariableScope vs(g, "", Reuse::True);
    GetVariableOptions o = fromValue(Tensor::fromVector<float>({1.f}, {1}));
    o.shape = Shape{1};
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "v", o); }),
             QStringLiteral("If initializer is a constant, do not specify shape."));
}

void GetVariableTest::s9_5_reuseReturnsSameObjectNoOps()
{
    Graph g;
    Variable v;
    { VariableScope vs(g, "net"); v = getVariable(g, "w", {4, 4}); }
    const int before = g.numOps();
    VariableScope vs(g, "net", Reuse::True);
    Variable again = getVariable(g, "w", {4, 4});
    QVERIFY(again == v);
    QCOMPARE(g.numOps(), before);
    QCOMPARE(qs(again.name()), QStringLiteral("net/w:0"));
}

void GetVariableTest::s9_5_autoReuseGetsOrCreates()
{
    Graph g;
    QStringList names;
    for (int i = 0; i < 3; ++i) {
        VariableScope vs(g, "net", Reuse::AutoReuse);
        names << qs(getVariable(g, "w", {2}).name());
    }
    QCOMPARE(names, (QStringList{"net/w:0", "net/w:0", "net/w:0"}));
    QCOMPARE(int(g.variables().size()), 1);
}

// ---- §9.6 --------------------------------------------------------------------------------

void GetVariableTest::s9_6_defaultInitializerFloat()
{
    Graph g;
    getVariable(g, "v", {3, 4});
    QCOMPARE(opNames(g), (QStringList{"v/Initializer/random_uniform/shape", "v/Initializer/random_uniform/min",
                                      "v/Initializer/random_uniform/max", "v/Initializer/random_uniform/RandomUniform",
                                      "v/Initializer/random_uniform/sub", "v/Initializer/random_uniform/mul",
                                      "v/Initializer/random_uniform", "v", "v/Assign", "v/read"}));
    // glorot_uniform: limit = sqrt(6 / (fan_in + fan_out)) = sqrt(6 / 7).
    const AttrValue* maxv = g.findOp("v/Initializer/random_uniform/max")->attrs().find("value");
    QVERIFY(maxv);
    QVERIFY(qAbs(maxv->tensor().toDouble(0) - std::sqrt(6.0 / 7.0)) < 1e-6);
}

void GetVariableTest::s9_6_defaultInitializerDouble()
{
    Graph g;
    Variable v = getVariable(g, "v", {2}, DType::Double);
    QVERIFY(g.findOp("v/Initializer/random_uniform") != nullptr);
    QCOMPARE(g.info(Output{g.findOp("v/Initializer/random_uniform")->id(), 0}).dtype, DType::Double);
    QCOMPARE(v.info().dtype, DType::Double);
}

void GetVariableTest::s9_6_defaultInitializerIntegers_data()
{
    QTest::addColumn<int>("dtype");
    QTest::newRow("int32") << int(DType::Int32);
    QTest::newRow("int64") << int(DType::Int64);
    QTest::newRow("uint8") << int(DType::UInt8);
    QTest::newRow("bool") << int(DType::Bool);
    QTest::newRow("string") << int(DType::String);
}

void GetVariableTest::s9_6_defaultInitializerIntegers()
{
    QFETCH(int, dtype);
    Graph g;
    Variable v = getVariable(g, "v", {2}, DType(dtype));
    QCOMPARE(opSignatures(g), (QStringList{"v/Initializer/zeros Const", "v VariableV2",
                                           "v/Assign Assign <- v, v/Initializer/zeros", "v/read Identity <- v"}));
    const Tensor& value = g.findOp("v/Initializer/zeros")->attrs().find("value")->tensor();
    QCOMPARE(int(value.dtype()), dtype);
    if (DType(dtype) == DType::String) {
        QCOMPARE(value.strings(), (std::vector<std::string>{"", ""}));
    } else {
        QCOMPARE(value.toDouble(0), 0.0);
        QCOMPARE(value.toDouble(1), 0.0);
    }
    QCOMPARE(v.info().dtype, DType(dtype));
}

void GetVariableTest::s9_6_complexNeedsInitializer()
{
    Graph g;
    VariableScope vs(g, "s");
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "v", {2}, DType::Complex64); }),
             QStringLiteral("An initializer for variable s/v of <dtype: 'complex64'> is required"));
    QCOMPARE(g.numOps(), 0);
}

void GetVariableTest::s9_6_callableNeedsFullyDefinedShape()
{
    Graph g;
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "v", GetVariableOptions{}); }), kInitializerNotValid);
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "v", shaped(Shape{-1, 3})); }), kInitializerNotValid);
    GetVariableOptions o = shaped(Shape::unknown());
    o.initializer = initializers::ones();
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "v", o); }), kInitializerNotValid);
    QCOMPARE(g.numOps(), 0);
}

void GetVariableTest::s9_6_constantValueGivesDtypeAndShape()
{
    Graph g;
    VariableScope vs(g, "s", dtypeOptions(DType::Double));
    Variable v = getVariable(g, "v", fromValue(Tensor::fromVector<int64_t>({1, 2, 3}, {3})));
    QCOMPARE(opSignatures(g), (QStringList{"s/v/initial_value Const", "s/v VariableV2",
                                           "s/v/Assign Assign <- s/v, s/v/initial_value", "s/v/read Identity <- s/v"}));
    QCOMPARE(v.info().dtype, DType::Int64);
    QCOMPARE(v.info().shape, (Shape{3}));
    QCOMPARE(classAttr(g, g.findOp("s/v/initial_value")->id()), QString()); // not an Initializer op
}

void GetVariableTest::s9_6_tensorInitializerUsedAsIs()
{
    Graph g;
    Output c = ops::constant(g, Tensor::fromVector<float>({1, 2}, {2}), "init");
    GetVariableOptions o;
    o.initialTensor = c;
    Variable v = getVariable(g, "v", o);
    QCOMPARE(opSignatures(g), (QStringList{"init Const", "v VariableV2", "v/Assign Assign <- v, init",
                                           "v/read Identity <- v"}));
    QCOMPARE(v.info().shape, (Shape{2}));
}

void GetVariableTest::s9_6_collectionsDefault()
{
    Graph g;
    getVariable(g, "a", {1});
    QCOMPARE(collectionNames(g, "variables"), QStringList{"a"});
    QCOMPARE(collectionNames(g, "trainable_variables"), QStringList{"a"});
    QVERIFY(g.variables()[0].trainable);
}

void GetVariableTest::s9_6_collectionsNotTrainable()
{
    Graph g;
    GetVariableOptions o = shaped(Shape{1});
    o.trainable = false;
    getVariable(g, "a", o);
    QCOMPARE(collectionNames(g, "variables"), QStringList{"a"});
    QCOMPARE(collectionNames(g, "trainable_variables"), QStringList{});
    QVERIFY(!g.variables()[0].trainable);
}

void GetVariableTest::s9_6_localVariable()
{
    Graph g;
    GetVariableOptions o = shaped(Shape{1});
    o.local = true;
    getVariable(g, "l", o);
    QCOMPARE(collectionNames(g, "local_variables"), QStringList{"l"});
    QCOMPARE(collectionNames(g, "variables"), QStringList{});
    QCOMPARE(collectionNames(g, "trainable_variables"), QStringList{});
}

void GetVariableTest::s9_6_customCollections()
{
    Graph g;
    GetVariableOptions o = shaped(Shape{1});
    o.collections = {"mine"};
    getVariable(g, "c", o);
    QCOMPARE(collectionNames(g, "mine"), QStringList{"c"});
    QCOMPARE(collectionNames(g, "trainable_variables"), QStringList{"c"});
    QCOMPARE(collectionNames(g, "variables"), QStringList{});
}

void GetVariableTest::s9_6_storedBeforeReturning()
{
    Graph g;
    Variable v = getVariable(g, "v", {1});
    QCOMPARE(g.findVariable("v"), v.index);
    QCOMPARE(g.variableOfOp(v.ref().op), v.index);
    QVERIFY(v.info().fromGetVariable);
}

// ---- §9.7 --------------------------------------------------------------------------------

void GetVariableTest::s9_7_refVariableOpsInOrder()
{
    Graph g;
    VariableScope vs(g, "my_net");
    Variable w = getVariable(g, "weights", {784, 10});
    const QString r = QStringLiteral("my_net/weights/Initializer/random_uniform");
    QCOMPARE(opSignatures(g), (QStringList{r + "/shape Const", r + "/min Const", r + "/max Const",
                                           r + "/RandomUniform RandomUniform <- " + r + "/shape",
                                           r + "/sub Sub <- " + r + "/max, " + r + "/min",
                                           r + "/mul Mul <- " + r + "/RandomUniform, " + r + "/sub",
                                           r + " Add <- " + r + "/mul, " + r + "/min",
                                           "my_net/weights VariableV2",
                                           "my_net/weights/Assign Assign <- my_net/weights, " + r,
                                           "my_net/weights/read Identity <- my_net/weights"}));
    QCOMPARE(qs(w.name()), QStringLiteral("my_net/weights:0"));
    QCOMPARE(nameOf(g, w.ref()), QStringLiteral("my_net/weights"));
    QCOMPARE(nameOf(g, w.value()), QStringLiteral("my_net/weights/read"));
    QCOMPARE(nameOf(g, w.initializer()), QStringLiteral("my_net/weights/Assign"));
    const Tensor& shape = g.findOp(qPrintable(r + "/shape"))->attrs().find("value")->tensor();
    QCOMPARE(shape.dtype(), DType::Int32);
    QCOMPARE(shape.toDouble(0), 784.0);
    QCOMPARE(shape.toDouble(1), 10.0);
}

void GetVariableTest::s9_7_initializerOpsCarryClass()
{
    Graph g;
    VariableScope vs(g, "my_net");
    getVariable(g, "weights", {784, 10});
    const QString loc = QStringLiteral("loc:@my_net/weights");
    for (int i = 0; i < g.numOps(); ++i) {
        const QString name = nameOf(g, OpId(i));
        if (name.startsWith("my_net/weights/Initializer/"))
            QVERIFY2(classAttr(g, i) == loc, qPrintable(name));
    }
    QCOMPARE(classAttr(g, g.findOp("my_net/weights")->id()), QString());
    QCOMPARE(classAttr(g, g.findOp("my_net/weights/Assign")->id()), loc); // ref input: colocated
    QCOMPARE(classAttr(g, g.findOp("my_net/weights/read")->id()), loc);   // colocate_with(variable)
}

void GetVariableTest::s9_7_zerosAndConstantInitializers()
{
    Graph g;
    getVariable(g, "z", {3}, DType::Float, initializers::zeros());
    getVariable(g, "c", {3}, DType::Float, initializers::constant(0.1));
    QCOMPARE(opNames(g), (QStringList{"z/Initializer/zeros", "z", "z/Assign", "z/read", "c/Initializer/Const", "c",
                                      "c/Assign", "c/read"}));
    QCOMPARE(classAttr(g, g.findOp("z/Initializer/zeros")->id()), QStringLiteral("loc:@z"));
    QCOMPARE(classAttr(g, g.findOp("c/Initializer/Const")->id()), QStringLiteral("loc:@c"));
    // A large zeros initializer is a Fill with its own children.
    getVariable(g, "big", {100, 100}, DType::Float, initializers::zeros());
    QCOMPARE(opNames(g, 8), (QStringList{"big/Initializer/zeros/shape_as_tensor", "big/Initializer/zeros/Const",
                                         "big/Initializer/zeros", "big", "big/Assign", "big/read"}));
}

void GetVariableTest::s9_7_variableAttrs()
{
    Graph g;
    Variable v = getVariable(g, "v", {784, 10});
    const Operation& op = g.op(v.ref().op);
    QCOMPARE(QString::fromStdString(op.type()), QStringLiteral("VariableV2"));
    QCOMPARE(op.attrs().find("dtype")->t(), DType::Float);
    QCOMPARE(op.attrs().find("shape")->s(), (Shape{784, 10}));
    QCOMPARE(g.info(v.ref()).dtype, DType::FloatRef);
    QCOMPARE(g.info(v.value()).dtype, DType::Float);
}

// ---- §9.8 --------------------------------------------------------------------------------

void GetVariableTest::s9_8_opNameCollision()
{
    Graph g;
    ops::constant(g, 0.0, DType::Float, "v");
    Variable v = getVariable(g, "v", {1});
    QCOMPARE(qs(v.name()), QStringLiteral("v_1:0"));
    QCOMPARE(qs(v.info().fullName), QStringLiteral("v"));
    QVERIFY(g.findOp("v_1/read") != nullptr);
    VariableScope vs(g, "", Reuse::True);
    QVERIFY(getVariable(g, "v", {1}) == v); // the store still keys it as "v"
}

void GetVariableTest::s9_8_caseCollisionMakesTwoVariables()
{
    Graph g;
    Variable lower = getVariable(g, "v", {1});
    Variable upper = getVariable(g, "V", {1});
    QVERIFY(!(lower == upper));
    QCOMPARE(qs(lower.name()), QStringLiteral("v:0"));
    QCOMPARE(qs(upper.name()), QStringLiteral("V_1:0"));
    QCOMPARE(g.findVariable("V"), upper.index);
}

void GetVariableTest::s9_8_scopeCollision()
{
    Graph g;
    { NameScope n(g, "w"); }
    getVariable(g, "w", {2}, DType::Float, initializers::zeros());
    QCOMPARE(opNames(g), (QStringList{"w_1/Initializer/zeros", "w_1", "w_1/Assign", "w_1/read"}));
    QCOMPARE(classAttr(g, 0), QStringLiteral("loc:@w_1"));
}

// ---- §10 ---------------------------------------------------------------------------------

void GetVariableTest::s10_namedFromNameScope()
{
    Graph g;
    QCOMPARE(qs(makeVariable(g, Tensor::scalar<float>(1.f)).name()), QStringLiteral("Variable:0"));
    QCOMPARE(qs(makeVariable(g, Tensor::scalar<float>(1.f)).name()), QStringLiteral("Variable_1:0"));
    NameScope n(g, "ns");
    VariableScope vs(g, "vs", noAuxiliaryOptions());
    QCOMPARE(qs(makeVariable(g, Tensor::scalar<float>(1.f), "v").name()), QStringLiteral("ns/v:0"));
}

void GetVariableTest::s10_reenteredVariableScopeUsesItsNameScope()
{
    Graph g;
    { VariableScope vs(g, "foo"); }
    VariableScope vs(g, "foo");
    QCOMPARE(qs(makeVariable(g, Tensor::scalar<float>(1.f), "v").name()), QStringLiteral("foo_1/v:0"));
    QCOMPARE(qs(getVariable(g, "v", {1}).name()), QStringLiteral("foo/v:0"));
}

void GetVariableTest::s10_opsFromValue()
{
    Graph g;
    Variable v = makeVariable(g, Tensor::fromVector<float>({1, 2}, {2}), "v");
    QCOMPARE(opSignatures(g), (QStringList{"v/initial_value Const", "v VariableV2",
                                           "v/Assign Assign <- v, v/initial_value", "v/read Identity <- v"}));
    QCOMPARE(v.info().shape, (Shape{2}));
}

void GetVariableTest::s10_opsFromCallable()
{
    Graph g;
    makeVariable(g, initializers::zeros(), {2}, DType::Float);
    QCOMPARE(opSignatures(g), (QStringList{"Variable/Initializer/zeros Const", "Variable VariableV2",
                                           "Variable/Assign Assign <- Variable, Variable/Initializer/zeros",
                                           "Variable/read Identity <- Variable"}));
    QCOMPARE(classAttr(g, 0), QStringLiteral("loc:@Variable"));
}

void GetVariableTest::s10_inCollectionsNotInStore()
{
    Graph g;
    Variable v = makeVariable(g, Tensor::scalar<float>(1.f), "v", false);
    QCOMPARE(collectionNames(g, "variables"), QStringList{"v"});
    QCOMPARE(collectionNames(g, "trainable_variables"), QStringList{});
    QCOMPARE(g.findVariable("v"), -1);
    QVERIFY(!v.info().fromGetVariable);
    // get_variable creates its own, colliding on the op name only.
    QCOMPARE(qs(getVariable(g, "v", {1}).name()), QStringLiteral("v_1:0"));
}

// ---- §11 ---------------------------------------------------------------------------------

void GetVariableTest::s11_catalogue()
{
    // Every error the engine raises, with its exact TF 1.15 text and exception type.
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{2}, "x");
    QCOMPARE(errorText<ValueError>([&] { NameScope s(g, "bad name"); }), QStringLiteral("'bad name' is not a valid scope name"));
    QCOMPARE(errorText<ValueError>([&] { g.createOp("NoOp", "-n", {}); }), QStringLiteral("'-n' is not a valid node name"));
    QCOMPARE(errorText<ValueError>([&] { g.createOp("Identity", "x/", {x}); }),
             QStringLiteral("Duplicate node name in graph: 'x'"));
    QCOMPARE(errorText<ValueError>([&] { NameScope s(g, std::nullopt, std::nullopt, true); }),
             QStringLiteral("At least one of name (None) and default_name (None) must be provided."));
    QCOMPARE(errorText<TypeError>([&] { VariableScope s(g, std::nullopt, VariableScopeOptions{}); }),
             QStringLiteral("If default_name is None then name_or_scope is required"));
    QCOMPARE(errorText<TypeError>([&] { VariableScope s(g, VarScope{}); }),
             QStringLiteral("VariableScope: name_or_scope must be a string or VariableScope."));
    QCOMPARE(errorText<ValueError>([&] {
                 VariableScope s(g, std::nullopt, defaultNameOptions("d", Reuse::True));
             }),
             QStringLiteral("reuse=True cannot be used without a name_or_scope"));
    QCOMPARE(errorText<RuntimeError>([&] {
                 VariableScope a(g, "a");
                 VariableScope b(g, "b");
                 a.close();
             }),
             QStringLiteral("Improper nesting of variable_scope."));
    getVariable(g, "v", {2});
    QVERIFY(errorText<ValueError>([&] { getVariable(g, "v", {2}); }).startsWith(kAlreadyExists.arg("v") + "\n\n"));
    {
        VariableScope r(g, "", Reuse::True);
        QCOMPARE(errorText<ValueError>([&] { getVariable(g, "nope", {2}); }), kDoesNotExist.arg("nope"));
        QCOMPARE(errorText<ValueError>([&] { getVariable(g, "v", {5}); }),
                 QStringLiteral("Trying to share variable v, but specified shape (5,) and found shape (2,)."));
        QCOMPARE(errorText<ValueError>([&] { getVariable(g, "v", {2}, DType::Int32); }),
                 QStringLiteral("Trying to share variable v, but specified dtype int32 and found dtype float32_ref."));
    }
    GetVariableOptions constShape = fromValue(Tensor::scalar<float>(1.f));
    constShape.shape = Shape::scalar();
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "k", constShape); }),
             QStringLiteral("If initializer is a constant, do not specify shape."));
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "k", fromValue(Tensor::scalar<double>(1), DType::Int64)); }),
             QStringLiteral("Initializer type '<dtype: 'float64'>' and explicit dtype '<dtype: 'int64'>' don't match."));
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "k", {1}, DType::Complex128); }),
             QStringLiteral("An initializer for variable k of <dtype: 'complex128'> is required"));
    QCOMPARE(errorText<ValueError>([&] { getVariable(g, "k", shaped(Shape{-1})); }), kInitializerNotValid);
    // After all of that the graph is still consistent.
    QCOMPARE(qs(g.nameScope()), QString());
    QCOMPARE(qs(currentVariableScope(g)->name), QString());
    QCOMPARE(int(g.variables().size()), 1);
}

void GetVariableTest::s11_failedLookupsLeaveStoreUnchanged()
{
    Graph g;
    VariableScope vs(g, "net");
    getVariable(g, "w", {2});
    const int ops = g.numOps();
    for (int i = 0; i < 3; ++i)
        QVERIFY(!errorText<ValueError>([&] { getVariable(g, "w", {2}); }).startsWith("<"));
    QCOMPARE(g.numOps(), ops);
    QCOMPARE(int(g.variables().size()), 1);
    // The failures are in the trace.
    int failed = 0;
    for (const TraceEvent& e : g.trace())
        if (e.kind == TraceEvent::Kind::GetVariable && e.outcome == TraceEvent::Outcome::Failed)
            ++failed;
    QCOMPARE(failed, 3);
}

QTEST_GUILESS_MAIN(GetVariableTest)
#include "get_variable_test.moc"
