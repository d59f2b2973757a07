// Tests of the execution engine: every forward kernel against a naive
// reference written here (including broadcasting, both float types, and the
// in-place buffer path), and the Session's user-visible behaviour: pruning
// (including unread stateless ops, which are left out as TF's Grappler does),
// recycled buffers never reaching the user, TensorFlow's error texts, recovery
// after errors, cancellation, NaN/Inf, seeded initialization, summaries, and
// the seed demo running forward.
#include "core/demo/seed_demo.h"
#include "core/exec/kernel.h"
#include "core/exec/kernels/gemm.h"
#include "core/exec/session.h"
#include "core/ops/get_variable.h"
#include "core/ops/ops.h"
#include "core/scope/variable_scope.h"
#include "core/summary/summary_encoding.h"
#include "core/summary/summary_ops.h"
#include "core/train/optimizers.h"
#include "core/util/error.h"
#include "tests/core/exec/exec_test_util.h"

#include <QtTest>

#include <atomic>
#include <cfloat>
#include <chrono>
#include <cmath>
#include <functional>
#include <thread>

using namespace scopeviz;
using namespace scopeviz::testing;
using scopeviz::exec::Session;

namespace {

/// The first line of an error message (tests compare TF's text; a node suffix may follow).
std::string firstLine(const std::exception& e)
{
    std::string s = e.what();
    return s.substr(0, s.find('\n'));
}

AttrList attrs(std::initializer_list<std::pair<const char*, AttrValue>> list)
{
    AttrList a;
    for (auto& [k, v] : list)
        a.set(k, v);
    return a;
}

std::vector<double> values(const Tensor& t)
{
    std::vector<double> v(size_t(t.numElements()));
    for (int64_t i = 0; i < t.numElements(); ++i)
        v[size_t(i)] = t.toDouble(i);
    return v;
}

std::string dimsStr(const std::vector<int64_t>& d) { return Shape(d).toDebugString(); }

/// The first line of the InvalidArgumentError that fn() throws ("no error" when it throws none).
std::string invalidArgumentOf(const std::function<void()>& fn)
{
    try {
        fn();
    } catch (const InvalidArgumentError& e) {
        return firstLine(e);
    }
    return "no error";
}

double tolFor(DType t) { return t == DType::Float ? 2e-5 : 1e-12; }

/// Reference reduction over `axes` of x (dims d).
std::vector<double> refReduce(const Tensor& x, const std::vector<bool>& reduce, const std::string& op,
                              std::vector<int64_t>& outDims, bool keep)
{
    const std::vector<int64_t>& d = x.dims();
    outDims.clear();
    std::vector<int64_t> packed;
    for (size_t i = 0; i < d.size(); ++i) {
        if (!reduce[i])
            packed.push_back(d[i]);
        if (!reduce[i] || keep)
            outDims.push_back(reduce[i] ? 1 : d[i]);
    }
    int64_t nOut = 1;
    for (int64_t v : packed)
        nOut *= v;
    const bool isInt = x.dtype() == DType::Int32 || x.dtype() == DType::Int64;
    std::vector<double> acc(size_t(nOut), op == "Prod" ? 1.0 : op == "Max" ? -INFINITY : 0.0);
    std::vector<int64_t> counts(size_t(nOut), 0);
    for (int64_t k = 0; k < x.numElements(); ++k) {
        std::vector<int64_t> idx = unravel(k, d);
        int64_t o = 0;
        for (size_t i = 0; i < d.size(); ++i)
            if (!reduce[i])
                o = o * d[i] + idx[i];
        double v = x.toDouble(k);
        double& a = acc[size_t(o)];
        a = op == "Prod" ? a * v : op == "Max" ? std::max(a, v) : a + v;
        counts[size_t(o)]++;
    }
    if (op == "Mean")
        for (size_t i = 0; i < acc.size(); ++i)
            acc[i] = isInt ? double(int64_t(acc[i]) / std::max<int64_t>(1, counts[i])) : acc[i] / double(counts[i]);
    return acc;
}

/// A graph with one float variable `v` of the given shape, initialized from a constant.
struct VarGraph {
    Graph g;
    OpId var = -1, assign = -1;
    VarGraph(std::vector<int64_t> shape, double init)
    {
        var = g.createOp("VariableV2", "v", {},
                         attrs({{"dtype", AttrValue::type(DType::Float)}, {"shape", AttrValue::shape(Shape(shape))}}));
        assign = ops::assign(g, Output{var, 0}, ops::constant(g, Tensor::filled(DType::Float, shape, init))).op;
    }
};

} // namespace

class ExecTest : public QObject {
    Q_OBJECT

private slots:
    // ---- kernels -----------------------------------------------------------------
    void binaryOpsBroadcast();
    void binaryIncompatibleShapes();
    void comparisons();
    void unaryOps();
    void likeOpsAndIdentity();
    void matMul();
    void matMulLargeParallel();
    void gemmBlasAndEigenAgree();
    void fusedBiasReluMatchesPerOpKernels();
    void fusionLeavesFetchedIntermediatesAlone();
    void biasAdd();
    void addN();
    void softmax();
    void sparseXent();
    void sparseXentLabelOutOfRange();
    void softmaxXent();
    void reductions();
    void reductionErrors();
    void argMax();
    void cast();
    void reshapeShapeFill();
    void randomOps();
    void randomSeeds();
    void variables();
    void summaries();
    void histogramKernelMatchesEncoder();
    void mergeSummaryDuplicateTag();
    void everyForwardOpHasAKernel();

    // ---- session ------------------------------------------------------------------
    void pruningSkipsUnneededPlaceholders();
    void placeholderNotFedError();
    void uninitializedVariableError();
    void feedShapeError();
    void sessionUsableAfterErrors();
    void feedsReplaceAnyTensor();
    void feedDtypeConverted();
    void cancelBeforeRun();
    void cancelFromAnotherThread();
    void cancelFlagInRunOptions();
    void nanAndInfPropagate();
    void deterministicInitWithSeeds();
    void variableAccessors();
    void fetchedValuesStayUnchanged();
    void inPlaceChainsKeepIntermediates();
    void unreadStatelessOpsAreSkipped();
    void unreadStatefulOpsStillRun();
    void gatedTrainingMatchesUngated();
    void recycledBuffersNeverReachUsers();
    void reductionOverNothingPassesThrough();
    void graphGrowsAfterSessionCreated();
    void unknownOpType();
    void whileLoopRunsInFrames();
    void condForwardsLiveBranchOnly();
    void infiniteLoopCanBeCancelled();
    void seedDemoForward();
    void seedDemoSummaries();
};

// =====================================================================================
// kernels
// =====================================================================================

void ExecTest::binaryOpsBroadcast()
{
    const std::vector<std::pair<std::vector<int64_t>, std::vector<int64_t>>> shapes = {
        {{2, 3}, {2, 3}},       {{2, 3}, {3}},       {{2, 3}, {2, 1}},          {{4, 1, 3}, {2, 1}},
        {{}, {2, 3}},           {{3}, {}},           {{2, 1, 3}, {1, 4, 1}},    {{1}, {5}},
        {{5, 1}, {1, 5}},       {{2, 3, 4, 5}, {3, 1, 5}}, {{0, 3}, {3}},     {{1, 1}, {}},
        {{3, 1, 4, 1, 2}, {4, 3, 1}}};
    const std::vector<std::pair<std::string, std::function<double(double, double)>>> opsList = {
        {"Add", [](double a, double b) { return a + b; }},
        {"AddV2", [](double a, double b) { return a + b; }},
        {"Sub", [](double a, double b) { return a - b; }},
        {"Mul", [](double a, double b) { return a * b; }},
        {"RealDiv", [](double a, double b) { return a / b; }},
        {"Maximum", [](double a, double b) { return std::max(a, b); }},
        {"Minimum", [](double a, double b) { return std::min(a, b); }},
        {"SquaredDifference", [](double a, double b) { return (a - b) * (a - b); }},
    };
    uint32_t seed = 1;
    for (const auto& [type, fn] : opsList) {
        for (DType dt : {DType::Float, DType::Double, DType::Int32, DType::Int64}) {
            if (type == "RealDiv" && (dt == DType::Int32 || dt == DType::Int64))
                continue;
            for (const auto& [da, db] : shapes) {
                for (bool fresh : {false, true}) {
                    Tensor a = randomTensor(dt, da, -5, 5, seed++);
                    Tensor b = randomTensor(dt, db, type == "RealDiv" ? 0.5 : -5, 5, seed++);
                    bool ok;
                    std::vector<int64_t> od = broadcastDims(da, db, ok);
                    QVERIFY(ok);
                    int64_t n = 1;
                    for (int64_t d : od)
                        n *= d;
                    std::vector<double> ref(static_cast<size_t>(n));
                    for (int64_t k = 0; k < n; ++k) {
                        std::vector<int64_t> idx = unravel(k, od);
                        double r = fn(at(a, sourceIndex(idx, da)), at(b, sourceIndex(idx, db)));
                        ref[size_t(k)] = dt == DType::Float ? double(float(r)) : r;
                    }
                    Tensor out = runOp(type, {a, b}, {}, 0, fresh);
                    QCOMPARE(out.dtype(), dt);
                    std::string why = compare(out, od, ref, tolFor(dt));
                    QVERIFY2(why.empty(), (type + " " + dtypeName(dt) + " " + dimsStr(da) + " vs " + dimsStr(db) +
                                           (fresh ? " (in place)" : "") + ": " + why)
                                              .c_str());
                }
            }
        }
    }
}

void ExecTest::binaryIncompatibleShapes()
{
    // Unknown static shapes let the mismatch reach the kernel.
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape::unknown(), "x");
    Output y = ops::placeholder(g, DType::Float, Shape::unknown(), "y");
    Output s = ops::add(g, x, y);
    Session sess(g);
    try {
        sess.run({s}, {{x, Tensor::filled(DType::Float, {2, 3}, 1)}, {y, Tensor::filled(DType::Float, {4}, 1)}});
        QFAIL("expected InvalidArgumentError");
    } catch (const InvalidArgumentError& e) {
        QCOMPARE(firstLine(e), std::string("Incompatible shapes: [2,3] vs. [4]"));
        QCOMPARE(e.opName(), std::string("Add"));
    }
}

void ExecTest::comparisons()
{
    for (DType dt : {DType::Float, DType::Double, DType::Int32, DType::Int64}) {
        Tensor a = randomTensor(dt, {3, 4}, 0, 3, 11);
        Tensor b = randomTensor(dt, {4}, 0, 3, 12);
        if (dt == DType::Float || dt == DType::Double) { // make some exact ties
            a = runOp("Cast", {runOp("Cast", {a}, attrs({{"DstT", AttrValue::type(DType::Int32)}}))},
                      attrs({{"DstT", AttrValue::type(dt)}}));
            b = runOp("Cast", {runOp("Cast", {b}, attrs({{"DstT", AttrValue::type(DType::Int32)}}))},
                      attrs({{"DstT", AttrValue::type(dt)}}));
        }
        for (bool fresh : {false, true}) {
            Tensor eq = runOp("Equal", {a, b}, {}, 0, fresh);
            Tensor gt = runOp("Greater", {a, b}, {}, 0, fresh);
            QCOMPARE(eq.dtype(), DType::Bool);
            QCOMPARE(gt.dtype(), DType::Bool);
            std::vector<double> re, rg;
            bool sawTie = false;
            for (int64_t k = 0; k < 12; ++k) {
                double x = at(a, k), y = at(b, k % 4);
                re.push_back(x == y);
                rg.push_back(x > y);
                sawTie |= x == y;
            }
            QVERIFY(sawTie);
            SV_COMPARE(eq, (std::vector<int64_t>{3, 4}), re, 0);
            SV_COMPARE(gt, (std::vector<int64_t>{3, 4}), rg, 0);
        }
    }
    Tensor ba = Tensor::fromVector<bool>({true, false, true}, {3});
    Tensor bb = Tensor::fromVector<bool>({true, true, false}, {3});
    SV_COMPARE(runOp("Equal", {ba, bb}), (std::vector<int64_t>{3}), (std::vector<double>{1, 0, 0}), 0);
}

void ExecTest::unaryOps()
{
    struct U {
        const char* type;
        double lo, hi;
        std::function<double(double)> fn;
        bool intsToo;
    };
    const std::vector<U> list = {
        {"Relu", -3, 3, [](double x) { return std::max(x, 0.0); }, false},
        {"Sigmoid", -8, 8, [](double x) { return 1 / (1 + std::exp(-x)); }, false},
        {"Tanh", -4, 4, [](double x) { return std::tanh(x); }, false},
        {"Exp", -5, 5, [](double x) { return std::exp(x); }, false},
        {"Log", 0.01, 10, [](double x) { return std::log(x); }, false},
        {"Sqrt", 0, 10, [](double x) { return std::sqrt(x); }, false},
        {"Rsqrt", 0.01, 10, [](double x) { return 1 / std::sqrt(x); }, false},
        {"Reciprocal", 0.1, 10, [](double x) { return 1 / x; }, false},
        {"Square", -4, 4, [](double x) { return x * x; }, true},
        {"Neg", -4, 4, [](double x) { return -x; }, true},
        {"Abs", -4, 4, [](double x) { return std::fabs(x); }, true},
    };
    uint32_t seed = 100;
    for (const U& u : list) {
        for (DType dt : {DType::Float, DType::Double, DType::Int32}) {
            if (dt == DType::Int32 && !u.intsToo)
                continue;
            for (bool fresh : {false, true}) {
                Tensor x = randomTensor(dt, {3, 7}, u.lo, u.hi, seed++);
                std::vector<double> ref;
                for (int64_t i = 0; i < x.numElements(); ++i)
                    ref.push_back(u.fn(at(x, i)));
                Tensor out = runOp(u.type, {x}, {}, 0, fresh);
                QCOMPARE(out.dtype(), dt);
                std::string why = compare(out, x.dims(), ref, dt == DType::Float ? 1e-5 : 1e-12);
                QVERIFY2(why.empty(), (std::string(u.type) + " " + dtypeName(dt) + ": " + why).c_str());
            }
        }
    }
}

void ExecTest::likeOpsAndIdentity()
{
    Tensor x = randomTensor(DType::Double, {2, 5}, -1, 1, 7);
    SV_COMPARE(runOp("ZerosLike", {x}, {}, 0, true), x.dims(), std::vector<double>(10, 0.0), 0);
    SV_COMPARE(runOp("OnesLike", {x}), x.dims(), std::vector<double>(10, 1.0), 0);
    Tensor i = runOp("Identity", {x});
    SV_COMPARE(i, x.dims(), values(x), 0);
    Tensor s = runOp("StopGradient", {x}, {}, 0, true);
    SV_COMPARE(s, x.dims(), values(x), 0);
    Tensor zi = runOp("ZerosLike", {Tensor::fromVector<int32_t>({4, 5}, {2})});
    QCOMPARE(zi.dtype(), DType::Int32);
    SV_COMPARE(zi, (std::vector<int64_t>{2}), (std::vector<double>{0, 0}), 0);
}

void ExecTest::matMul()
{
    uint32_t seed = 200;
    for (DType dt : {DType::Float, DType::Double, DType::Int32}) {
        for (int ta = 0; ta < 2; ++ta)
            for (int tb = 0; tb < 2; ++tb) {
                const int64_t m = 5, k = 7, n = 3;
                Tensor a = randomTensor(dt, ta ? std::vector<int64_t>{k, m} : std::vector<int64_t>{m, k}, -3, 3, seed++);
                Tensor b = randomTensor(dt, tb ? std::vector<int64_t>{n, k} : std::vector<int64_t>{k, n}, -3, 3, seed++);
                std::vector<double> ref(size_t(m * n), 0.0);
                for (int64_t i = 0; i < m; ++i)
                    for (int64_t j = 0; j < n; ++j)
                        for (int64_t p = 0; p < k; ++p)
                            ref[size_t(i * n + j)] += at(a, ta ? p * m + i : i * k + p) * at(b, tb ? j * k + p : p * n + j);
                Tensor out = runOp("MatMul", {a, b},
                                   attrs({{"transpose_a", AttrValue::boolean(ta)}, {"transpose_b", AttrValue::boolean(tb)}}));
                SV_COMPARE(out, (std::vector<int64_t>{m, n}), ref, dt == DType::Float ? 1e-5 : 1e-12);
            }
    }
    // Mismatched inner dims with unknown static shapes: TF's run-time text.
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{-1, -1}, "x");
    Output w = ops::placeholder(g, DType::Float, Shape{-1, -1}, "w");
    Output mm = ops::matmul(g, x, w);
    Session s(g);
    try {
        s.run({mm}, {{x, Tensor::filled(DType::Float, {2, 3}, 1)}, {w, Tensor::filled(DType::Float, {4, 5}, 1)}});
        QFAIL("expected InvalidArgumentError");
    } catch (const InvalidArgumentError& e) {
        QCOMPARE(firstLine(e), std::string("Matrix size-incompatible: In[0]: [2,3], In[1]: [4,5]"));
    }
}

void ExecTest::matMulLargeParallel()
{
    // Big enough for the Session to split the product across its threads (wide and tall cases).
    for (auto [m, k, n] : {std::tuple<int64_t, int64_t, int64_t>{64, 300, 700}, {700, 300, 64}, {129, 257, 131}}) {
        for (int tb = 0; tb < 2; ++tb) {
            Tensor a = randomTensor(DType::Float, {m, k}, -1, 1, uint32_t(m + k));
            Tensor b = randomTensor(DType::Float, tb ? std::vector<int64_t>{n, k} : std::vector<int64_t>{k, n}, -1, 1,
                                    uint32_t(n));
            std::vector<double> ref(size_t(m * n), 0.0);
            for (int64_t i = 0; i < m; ++i)
                for (int64_t p = 0; p < k; ++p) {
                    const double av = a.data<float>()[i * k + p];
                    for (int64_t j = 0; j < n; ++j)
                        ref[size_t(i * n + j)] += av * double(b.data<float>()[tb ? j * k + p : p * n + j]);
                }
            Tensor out = runOp("MatMul", {a, b}, attrs({{"transpose_b", AttrValue::boolean(tb)}}));
            SV_COMPARE(out, (std::vector<int64_t>{m, n}), ref, 1e-4);
        }
    }
}

void ExecTest::gemmBlasAndEigenAgree()
{
    // Both GEMM implementations (OpenBLAS and Eigen, core/exec/kernels/gemm.h) against a
    // naive product, every transpose, on blocks of larger matrices (row strides), at sizes
    // on both sides of the rule that picks one.
    using exec::detail::GemmPath;
    uint32_t seed = 900;
    auto check = [&](auto tag, DType dt, double tol) {
        using T = decltype(tag);
        for (auto [m, n, k] : {std::tuple<int64_t, int64_t, int64_t>{3, 5, 2}, {8, 8, 8}, {17, 10, 33}, {64, 40, 10},
                               {70, 65, 64}, {128, 10, 130}})
            for (int ta = 0; ta < 2; ++ta)
                for (int tb = 0; tb < 2; ++tb) {
                    // Stored matrices one column wider than used, so lda/ldb/ldc exceed the widths.
                    const int64_t ar = ta ? k : m, ac = ta ? m : k, br = tb ? n : k, bc = tb ? k : n;
                    Tensor a = randomTensor(dt, {ar, ac + 1}, -1, 1, seed++);
                    Tensor b = randomTensor(dt, {br, bc + 1}, -1, 1, seed++);
                    std::vector<double> ref(size_t(m * n), 0.0);
                    for (int64_t i = 0; i < m; ++i)
                        for (int64_t j = 0; j < n; ++j)
                            for (int64_t p = 0; p < k; ++p)
                                ref[size_t(i * n + j)] += at(a, ta ? p * (ac + 1) + i : i * (ac + 1) + p) *
                                                          at(b, tb ? j * (bc + 1) + p : p * (bc + 1) + j);
                    for (GemmPath path : {GemmPath::Eigen, GemmPath::Blas, GemmPath::Auto}) {
                        std::vector<T> c(size_t(m * (n + 1)), T(-7));
                        exec::detail::gemmBlock<T>(ta, tb, m, n, k, a.data<T>(), ac + 1, b.data<T>(), bc + 1, c.data(),
                                                   n + 1, path);
                        for (int64_t i = 0; i < m; ++i) {
                            QCOMPARE(c[size_t(i * (n + 1) + n)], T(-7)); // the spare column is untouched
                            for (int64_t j = 0; j < n; ++j) {
                                const double got = double(c[size_t(i * (n + 1) + j)]);
                                if (std::abs(got - ref[size_t(i * n + j)]) > tol * std::max(1.0, double(k)))
                                    QFAIL(qPrintable(QString("%1x%2x%3 ta=%4 tb=%5 path %6: [%7,%8] = %9, expected %10")
                                                         .arg(m).arg(n).arg(k).arg(ta).arg(tb).arg(int(path))
                                                         .arg(i).arg(j).arg(got).arg(ref[size_t(i * n + j)])));
                            }
                        }
                    }
                }
    };
    check(float{}, DType::Float, 2e-6);
    check(double{}, DType::Double, 1e-14);
    // k = 0 writes zeros on every path.
    std::vector<float> c(6, 5.f);
    for (GemmPath path : {GemmPath::Eigen, GemmPath::Blas})
        exec::detail::gemmBlock<float>(false, false, 2, 3, 0, nullptr, 0, nullptr, 3, c.data(), 3, path);
    QCOMPARE(c, std::vector<float>(6, 0.f));
    qInfo("GEMM backend: %s", exec::detail::gemmBackendName());
}

/// A dense layer relu(x W + b) (Add or BiasAdd), run with and without fusion.
struct DenseLayer {
    Graph g;
    Output x, w, b, mm, pre, y;
    DenseLayer(DType dt, bool biasAddOp, int64_t in, int64_t out)
    {
        x = ops::placeholder(g, dt, Shape{-1, in}, "x");
        w = ops::placeholder(g, dt, Shape{in, out}, "w");
        b = ops::placeholder(g, dt, Shape{out}, "b");
        mm = ops::matmul(g, x, w);
        pre = biasAddOp ? ops::biasAdd(g, mm, b) : ops::plus(g, mm, b);
        y = ops::relu(g, pre);
    }
};

void ExecTest::fusedBiasReluMatchesPerOpKernels()
{
    // The fused bias + Relu step (core/exec/fusion.cpp) against the per-op kernels and a
    // naive reference, both dtypes, Add and BiasAdd, with NaN and -0 in the input.
    for (DType dt : {DType::Float, DType::Double})
        for (bool biasAddOp : {false, true}) {
            DenseLayer L(dt, biasAddOp, 7, 33);
            Tensor xv = randomTensor(dt, {5, 7}, -1, 1, 40);
            Tensor wv = randomTensor(dt, {7, 33}, -1, 1, 41);
            Tensor bv = randomTensor(dt, {33}, -1, 1, 42);
            if (dt == DType::Float)
                bv.data<float>()[3] = NAN;
            else
                bv.data<double>()[3] = NAN;
            const std::vector<std::pair<Output, Tensor>> feeds = {{L.x, xv}, {L.w, wv}, {L.b, bv}};
            Session fused(L.g), plain(L.g, exec::SessionOptions{.fuseOps = false});
            for (int rep = 0; rep < 3; ++rep) { // recycled buffers on later runs
                Tensor a = fused.run({L.y}, feeds)[0];
                Tensor r = plain.run({L.y}, feeds)[0];
                QCOMPARE(a.dims(), (std::vector<int64_t>{5, 33}));
                for (int64_t i = 0; i < a.numElements(); ++i) {
                    const double va = a.toDouble(i), vr = r.toDouble(i);
                    QVERIFY(std::isnan(va) == std::isnan(vr));
                    if (!std::isnan(vr))
                        QCOMPARE(va, vr); // the same operations in the same order: identical
                    double ref = at(bv, i % 33);
                    for (int64_t p = 0; p < 7; ++p)
                        ref += at(xv, (i / 33) * 7 + p) * at(wv, p * 33 + i % 33);
                    if (i % 33 == 3)
                        QVERIFY(std::isnan(va));
                    else
                        QVERIFY(std::abs(va - std::max(ref, 0.0)) <= tolFor(dt) * 10);
                }
            }
        }
}

void ExecTest::fusionLeavesFetchedIntermediatesAlone()
{
    // Fetching the pre-activation (or feeding it) turns the fusion off for that run: the
    // user gets exactly what the per-op kernels give.
    DenseLayer L(DType::Float, false, 4, 6);
    Tensor xv = randomTensor(DType::Float, {3, 4}, -1, 1, 50);
    Tensor wv = randomTensor(DType::Float, {4, 6}, -1, 1, 51);
    Tensor bv = randomTensor(DType::Float, {6}, -1, 1, 52);
    const std::vector<std::pair<Output, Tensor>> feeds = {{L.x, xv}, {L.w, wv}, {L.b, bv}};
    Session fused(L.g), plain(L.g, exec::SessionOptions{.fuseOps = false});
    std::vector<Tensor> a = fused.run({L.pre, L.y}, feeds);
    std::vector<Tensor> r = plain.run({L.pre, L.y}, feeds);
    QCOMPARE(values(a[0]), values(r[0]));
    QCOMPARE(values(a[1]), values(r[1]));
    for (int64_t i = 0; i < a[0].numElements(); ++i)
        QCOMPARE(a[1].toDouble(i), std::max(a[0].toDouble(i), 0.0));
    // The GEMM output fetched next to the fused result: still fused, and the fetched
    // product is not the buffer the fused step wrote its result into.
    for (int rep = 0; rep < 2; ++rep) {
        std::vector<Tensor> f = fused.run({L.mm, L.y}, feeds);
        std::vector<Tensor> u = plain.run({L.mm, L.y}, feeds);
        QCOMPARE(values(f[0]), values(u[0]));
        QCOMPARE(values(f[1]), values(u[1]));
        QVERIFY(!f[0].sharesBufferWith(f[1]));
    }
    // A fed pre-activation: Relu reads the feed, not x W + b.
    Tensor pv = randomTensor(DType::Float, {3, 6}, -1, 1, 53);
    std::vector<std::pair<Output, Tensor>> withPre = feeds;
    withPre.push_back({L.pre, pv});
    Tensor y = fused.run({L.y}, withPre)[0];
    for (int64_t i = 0; i < y.numElements(); ++i)
        QCOMPARE(y.toDouble(i), std::max(pv.toDouble(i), 0.0));
    // Errors still name the ops the user built.
    try {
        fused.run({L.y}, {{L.x, xv}, {L.w, randomTensor(DType::Float, {5, 6}, -1, 1, 54)}, {L.b, bv}});
        QFAIL("expected an error");
    } catch (const std::exception& e) {
        QVERIFY2(std::string(e.what()).find("feed value of shape") != std::string::npos ||
                     std::string(e.what()).find("MatMul") != std::string::npos,
                 e.what());
    }
}

void ExecTest::biasAdd()
{
    for (DType dt : {DType::Float, DType::Double}) {
        for (auto dims : {std::vector<int64_t>{4, 5}, std::vector<int64_t>{2, 3, 4}}) {
            Tensor x = randomTensor(dt, dims, -2, 2, 300);
            Tensor b = randomTensor(dt, {dims.back()}, -2, 2, 301);
            std::vector<double> ref;
            for (int64_t i = 0; i < x.numElements(); ++i)
                ref.push_back(at(x, i) + at(b, i % dims.back()));
            for (bool fresh : {false, true})
                SV_COMPARE(runOp("BiasAdd", {x, b}, {}, 0, fresh), dims, ref, tolFor(dt));
        }
        // NCHW: the bias runs along dimension 1.
        Tensor x = randomTensor(dt, {2, 3, 2, 2}, -2, 2, 302);
        Tensor b = randomTensor(dt, {3}, -2, 2, 303);
        std::vector<double> ref;
        for (int64_t i = 0; i < x.numElements(); ++i)
            ref.push_back(at(x, i) + at(b, (i / 4) % 3));
        SV_COMPARE(runOp("BiasAdd", {x, b}, attrs({{"data_format", AttrValue::string("NCHW")}})), x.dims(), ref,
                   tolFor(dt));
    }
}

void ExecTest::addN()
{
    for (DType dt : {DType::Float, DType::Double, DType::Int64}) {
        for (bool fresh : {false, true}) {
            std::vector<Tensor> ins;
            for (uint32_t i = 0; i < 4; ++i)
                ins.push_back(randomTensor(dt, {3, 2}, -4, 4, 400 + i));
            std::vector<double> ref(6, 0.0);
            for (const Tensor& t : ins)
                for (int64_t i = 0; i < 6; ++i)
                    ref[size_t(i)] += at(t, i);
            SV_COMPARE(runOp("AddN", ins, {}, 0, fresh), (std::vector<int64_t>{3, 2}), ref, tolFor(dt));
        }
    }
}

void ExecTest::softmax()
{
    for (DType dt : {DType::Float, DType::Double}) {
        for (auto dims : {std::vector<int64_t>{4, 6}, std::vector<int64_t>{2, 3, 5}, std::vector<int64_t>{7}}) {
            for (double scale : {1.0, 1000.0}) { // 1000: exp would overflow without the max shift
                Tensor x = randomTensor(dt, dims, -scale, scale, 500);
                const int64_t c = dims.back(), rows = x.numElements() / c;
                std::vector<double> ref;
                for (int64_t r = 0; r < rows; ++r) {
                    double mx = -INFINITY, sum = 0;
                    for (int64_t j = 0; j < c; ++j)
                        mx = std::max(mx, at(x, r * c + j));
                    for (int64_t j = 0; j < c; ++j)
                        sum += std::exp(at(x, r * c + j) - mx);
                    for (int64_t j = 0; j < c; ++j)
                        ref.push_back(std::exp(at(x, r * c + j) - mx) / sum);
                }
                Tensor out = runOp("Softmax", {x}, {}, 0, scale > 1);
                SV_COMPARE(out, dims, ref, dt == DType::Float ? 1e-5 : 1e-12);
                for (double v : values(out))
                    QVERIFY(std::isfinite(v));
            }
        }
    }
}

void ExecTest::sparseXent()
{
    for (DType dt : {DType::Float, DType::Double}) {
        for (DType lt : {DType::Int32, DType::Int64}) {
            const int64_t batch = 6, classes = 10;
            Tensor z = randomTensor(dt, {batch, classes}, -4, 4, 600);
            Tensor l = randomTensor(lt, {batch}, 0, 10, 601);
            std::vector<double> loss, back;
            for (int64_t i = 0; i < batch; ++i) {
                double mx = -INFINITY, sum = 0;
                for (int64_t j = 0; j < classes; ++j)
                    mx = std::max(mx, at(z, i * classes + j));
                for (int64_t j = 0; j < classes; ++j)
                    sum += std::exp(at(z, i * classes + j) - mx);
                const int64_t label = int64_t(at(l, i));
                loss.push_back(mx + std::log(sum) - at(z, i * classes + label));
                for (int64_t j = 0; j < classes; ++j)
                    back.push_back(std::exp(at(z, i * classes + j) - mx) / sum - (j == label ? 1.0 : 0.0));
            }
            for (bool fresh : {false, true}) {
                SV_COMPARE(runOp("SparseSoftmaxCrossEntropyWithLogits", {z, l}, {}, 0, fresh),
                           (std::vector<int64_t>{batch}), loss, dt == DType::Float ? 1e-5 : 1e-12);
                SV_COMPARE(runOp("SparseSoftmaxCrossEntropyWithLogits", {z, l}, {}, 1, fresh),
                           (std::vector<int64_t>{batch, classes}), back, dt == DType::Float ? 1e-5 : 1e-12);
            }
        }
    }
}

void ExecTest::sparseXentLabelOutOfRange()
{
    Tensor z = randomTensor(DType::Float, {4, 10}, -1, 1, 610);
    for (auto [labels, text] :
         {std::pair<std::vector<int64_t>, std::string>{
              {1, 2, 12, 3},
              "Received a label value of 12 which is outside the valid range of [0, 10).  Label values: 1 2 12 3"},
          {{-1, 2, 12, 3},
           "Received a label value of -1 which is outside the valid range of [0, 10).  Label values: -1 2 12 3"}}) {
        try {
            runOp("SparseSoftmaxCrossEntropyWithLogits", {z, Tensor::fromVector<int64_t>(labels, {4})});
            QFAIL("expected InvalidArgumentError");
        } catch (const InvalidArgumentError& e) {
            QCOMPARE(firstLine(e), text);
        }
    }
}

void ExecTest::softmaxXent()
{
    for (DType dt : {DType::Float, DType::Double}) {
        const int64_t batch = 5, classes = 4;
        Tensor z = randomTensor(dt, {batch, classes}, -3, 3, 700);
        Tensor y = randomTensor(dt, {batch, classes}, 0, 1, 701);
        std::vector<double> loss, back;
        for (int64_t i = 0; i < batch; ++i) {
            double mx = -INFINITY, sum = 0, l = 0;
            for (int64_t j = 0; j < classes; ++j)
                mx = std::max(mx, at(z, i * classes + j));
            for (int64_t j = 0; j < classes; ++j)
                sum += std::exp(at(z, i * classes + j) - mx);
            for (int64_t j = 0; j < classes; ++j) {
                l += at(y, i * classes + j) * (mx + std::log(sum) - at(z, i * classes + j));
                back.push_back(std::exp(at(z, i * classes + j) - mx) / sum - at(y, i * classes + j));
            }
            loss.push_back(l);
        }
        SV_COMPARE(runOp("SoftmaxCrossEntropyWithLogits", {z, y}), (std::vector<int64_t>{batch}), loss,
                   dt == DType::Float ? 1e-5 : 1e-12);
        SV_COMPARE(runOp("SoftmaxCrossEntropyWithLogits", {z, y}, {}, 1), (std::vector<int64_t>{batch, classes}), back,
                   dt == DType::Float ? 1e-5 : 1e-12);
    }
}

void ExecTest::reductions()
{
    const std::vector<int64_t> dims = {2, 3, 4, 5};
    uint32_t seed = 800;
    for (const char* op : {"Sum", "Mean", "Max", "Prod"}) {
        for (DType dt : {DType::Float, DType::Double, DType::Int32}) {
            const bool prod = std::string(op) == "Prod";
            Tensor x = dt == DType::Int32 ? randomTensor(dt, dims, prod ? -1 : -9, prod ? 2 : 9, seed++)
                                          : randomTensor(dt, dims, prod ? 0.7 : -3, prod ? 1.3 : 3, seed++);
            for (int mask = 0; mask < 16; ++mask) {
                for (bool keep : {false, true}) {
                    std::vector<int64_t> axes;
                    std::vector<bool> reduce(4, false);
                    for (int a = 0; a < 4; ++a)
                        if (mask & (1 << a)) {
                            axes.push_back(a % 2 ? a - 4 : a); // mix negative axes in
                            reduce[size_t(a)] = true;
                        }
                    std::vector<int64_t> outDims;
                    std::vector<double> ref = refReduce(x, reduce, op, outDims, keep);
                    Tensor ax = Tensor::fromVector<int32_t>(std::vector<int32_t>(axes.begin(), axes.end()),
                                                            {int64_t(axes.size())});
                    Tensor out = runOp(op, {x, ax}, attrs({{"keep_dims", AttrValue::boolean(keep)}}));
                    std::string why = compare(out, outDims, ref, dt == DType::Float ? 1e-5 : 1e-12);
                    QVERIFY2(why.empty(), (std::string(op) + " " + dtypeName(dt) + " mask " + std::to_string(mask) +
                                           (keep ? " keep" : "") + ": " + why)
                                              .c_str());
                }
            }
        }
    }
    // Scalar int64 axis and an empty reduction (Sum of nothing is 0, Max of nothing is -inf).
    Tensor x = randomTensor(DType::Float, {3, 4}, -1, 1, 850);
    std::vector<double> rowSums;
    for (int r = 0; r < 3; ++r) {
        double s = 0;
        for (int c = 0; c < 4; ++c)
            s += at(x, r * 4 + c);
        rowSums.push_back(s);
    }
    SV_COMPARE(runOp("Sum", {x, Tensor::scalar<int64_t>(-1)}), (std::vector<int64_t>{3}), rowSums, 1e-5);
    Tensor empty(DType::Float, {0, 3});
    SV_COMPARE(runOp("Sum", {empty, Tensor::scalar<int32_t>(0)}), (std::vector<int64_t>{3}),
               (std::vector<double>{0, 0, 0}), 0);
    SV_COMPARE(runOp("Max", {empty, Tensor::scalar<int32_t>(0)}), (std::vector<int64_t>{3}),
               (std::vector<double>(3, -INFINITY)), 0);
}

void ExecTest::reductionErrors()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{-1, -1}, "x");
    Output axis = ops::placeholder(g, DType::Int32, Shape{}, "axis");
    OpId sum = g.createOp("Sum", "", {x, axis});
    Session s(g);
    try {
        s.run({Output{sum, 0}}, {{x, Tensor::filled(DType::Float, {2, 2}, 1)}, {axis, Tensor::scalar<int32_t>(5)}});
        QFAIL("expected InvalidArgumentError");
    } catch (const InvalidArgumentError& e) {
        QCOMPARE(firstLine(e), std::string("Invalid reduction dimension (5 for input with 2 dimension(s)"));
    }
}

void ExecTest::argMax()
{
    const std::vector<int64_t> dims = {3, 4, 5};
    for (DType dt : {DType::Float, DType::Double, DType::Int32}) {
        Tensor x = randomTensor(dt, dims, -50, 50, 900);
        for (int axis = 0; axis < 3; ++axis) {
            for (DType ot : {DType::Int64, DType::Int32}) {
                std::vector<int64_t> outDims;
                for (int i = 0; i < 3; ++i)
                    if (i != axis)
                        outDims.push_back(dims[size_t(i)]);
                std::vector<double> ref;
                for (int64_t k = 0; k < outDims[0] * outDims[1]; ++k) {
                    std::vector<int64_t> o = unravel(k, outDims);
                    int64_t best = 0;
                    double bestV = -INFINITY;
                    for (int64_t j = 0; j < dims[size_t(axis)]; ++j) {
                        std::vector<int64_t> idx = o;
                        idx.insert(idx.begin() + axis, j);
                        double v = at(x, (idx[0] * 4 + idx[1]) * 5 + idx[2]);
                        if (v > bestV) {
                            bestV = v;
                            best = j;
                        }
                    }
                    ref.push_back(double(best));
                }
                Tensor out = runOp("ArgMax", {x, Tensor::scalar<int32_t>(axis)},
                                   attrs({{"output_type", AttrValue::type(ot)}}));
                QCOMPARE(out.dtype(), ot);
                SV_COMPARE(out, outDims, ref, 0);
            }
        }
    }
    // Ties pick the first index.
    SV_COMPARE(runOp("ArgMax", {Tensor::fromVector<float>({1, 3, 3, 0}, {1, 4}), Tensor::scalar<int32_t>(1)}),
               (std::vector<int64_t>{1}), (std::vector<double>{1}), 0);
}

void ExecTest::cast()
{
    auto castTo = [](const Tensor& t, DType to) { return runOp("Cast", {t}, attrs({{"DstT", AttrValue::type(to)}})); };
    Tensor f = Tensor::fromVector<float>({-1.7f, 0.f, 2.5f, 3.9f}, {4});
    SV_COMPARE(castTo(f, DType::Int32), (std::vector<int64_t>{4}), (std::vector<double>{-1, 0, 2, 3}), 0);
    SV_COMPARE(castTo(f, DType::Int64), (std::vector<int64_t>{4}), (std::vector<double>{-1, 0, 2, 3}), 0);
    SV_COMPARE(castTo(f, DType::Bool), (std::vector<int64_t>{4}), (std::vector<double>{1, 0, 1, 1}), 0);
    SV_COMPARE(castTo(f, DType::Double), (std::vector<int64_t>{4}), values(f), 0);
    Tensor u = Tensor::fromVector<float>({0.f, 7.9f, 255.f}, {3});
    Tensor u8 = castTo(u, DType::UInt8);
    QCOMPARE(u8.dtype(), DType::UInt8);
    SV_COMPARE(u8, (std::vector<int64_t>{3}), (std::vector<double>{0, 7, 255}), 0);
    Tensor b = Tensor::fromVector<bool>({true, false, true}, {3});
    SV_COMPARE(castTo(b, DType::Float), (std::vector<int64_t>{3}), (std::vector<double>{1, 0, 1}), 0);
    SV_COMPARE(castTo(b, DType::Int64), (std::vector<int64_t>{3}), (std::vector<double>{1, 0, 1}), 0);
    Tensor i64 = Tensor::fromVector<int64_t>({-3, 0, 5000000000LL}, {3});
    SV_COMPARE(castTo(i64, DType::Double), (std::vector<int64_t>{3}), (std::vector<double>{-3, 0, 5e9}), 0);
    SV_COMPARE(castTo(Tensor::fromVector<int32_t>({0, -2}, {2}), DType::Bool), (std::vector<int64_t>{2}),
               (std::vector<double>{0, 1}), 0);
    SV_COMPARE(castTo(u8, DType::Float), (std::vector<int64_t>{3}), (std::vector<double>{0, 7, 255}), 0);
}

void ExecTest::reshapeShapeFill()
{
    Tensor x = randomTensor(DType::Float, {2, 3, 4}, -1, 1, 1000);
    Tensor r = runOp("Reshape", {x, Tensor::fromVector<int32_t>({-1, 4}, {2})});
    SV_COMPARE(r, (std::vector<int64_t>{6, 4}), values(x), 0);
    Tensor sh = runOp("Shape", {x}, attrs({{"out_type", AttrValue::type(DType::Int64)}}));
    QCOMPARE(sh.dtype(), DType::Int64);
    SV_COMPARE(sh, (std::vector<int64_t>{3}), (std::vector<double>{2, 3, 4}), 0);
    Tensor fl = runOp("Fill", {Tensor::fromVector<int32_t>({2, 3}, {2}), Tensor::scalar<double>(7.5)});
    QCOMPARE(fl.dtype(), DType::Double);
    SV_COMPARE(fl, (std::vector<int64_t>{2, 3}), std::vector<double>(6, 7.5), 0);

    // Run-time reshape errors (static shape unknown).
    Graph g;
    Output p = ops::placeholder(g, DType::Float, Shape::unknown(), "p");
    Output a = ops::reshape(g, p, ops::Input::ints({-1, 5}));
    Output b = ops::reshape(g, p, ops::Input::ints({4, 5}));
    Session s(g);
    Tensor seven = Tensor::filled(DType::Float, {7}, 0);
    try {
        s.run({a}, {{p, seven}});
        QFAIL("expected InvalidArgumentError");
    } catch (const InvalidArgumentError& e) {
        QCOMPARE(firstLine(e),
                 std::string("Input to reshape is a tensor with 7 values, but the requested shape requires a multiple of 5"));
    }
    try {
        s.run({b}, {{p, seven}});
        QFAIL("expected InvalidArgumentError");
    } catch (const InvalidArgumentError& e) {
        QCOMPARE(firstLine(e), std::string("Input to reshape is a tensor with 7 values, but the requested shape has 20"));
    }
}

void ExecTest::randomOps()
{
    Graph g;
    g.setSeed(5);
    Output u = ops::randomUniform(g, {20000}, 2, 5);
    Output n = ops::randomNormal(g, {20000}, 1, 3);
    Output t = ops::truncatedNormal(g, {20000}, 0, 1, DType::Double);
    Session s(g);
    auto res = s.run({u, n, t});
    auto stats = [](const Tensor& x, double& mean, double& sd, double& lo, double& hi) {
        double s1 = 0, s2 = 0;
        lo = INFINITY;
        hi = -INFINITY;
        for (int64_t i = 0; i < x.numElements(); ++i) {
            double v = x.toDouble(i);
            s1 += v;
            s2 += v * v;
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        mean = s1 / double(x.numElements());
        sd = std::sqrt(s2 / double(x.numElements()) - mean * mean);
    };
    double mean, sd, lo, hi;
    stats(res[0], mean, sd, lo, hi);
    QCOMPARE(res[0].dtype(), DType::Float);
    QVERIFY(lo >= 2 && hi < 5);
    QVERIFY(std::fabs(mean - 3.5) < 0.05);
    QVERIFY(std::fabs(sd - 3 / std::sqrt(12.0)) < 0.05);
    stats(res[1], mean, sd, lo, hi);
    QVERIFY(std::fabs(mean - 1) < 0.1);
    QVERIFY(std::fabs(sd - 3) < 0.1);
    stats(res[2], mean, sd, lo, hi);
    QCOMPARE(res[2].dtype(), DType::Double);
    QVERIFY(lo >= -2 && hi <= 2);
    QVERIFY(std::fabs(mean) < 0.05);
    QVERIFY(std::fabs(sd - 0.8796) < 0.03); // std of a standard normal truncated at +-2
}

void ExecTest::randomSeeds()
{
    auto build = [](Graph& g, std::optional<int64_t> graphSeed, std::optional<int64_t> opSeed) {
        g.setSeed(graphSeed);
        return ops::randomNormal(g, {8}, 0, 1, DType::Float, opSeed);
    };
    // Same (seed, seed2): same values in every session; the second run continues the sequence.
    {
        Graph g;
        Output r = build(g, 42, std::nullopt);
        Session a(g), b(g);
        Tensor a1 = a.run({r})[0], a2 = a.run({r})[0], b1 = b.run({r})[0];
        QCOMPARE(values(a1), values(b1));
        QVERIFY(values(a1) != values(a2));
    }
    // Only an op seed: deterministic too.
    {
        Graph g1, g2;
        Output r1 = build(g1, std::nullopt, 7), r2 = build(g2, std::nullopt, 7);
        QCOMPARE(values(Session(g1).run({r1})[0]), values(Session(g2).run({r2})[0]));
    }
    // No seeds at all: two sessions differ.
    {
        Graph g;
        Output r = build(g, std::nullopt, std::nullopt);
        for (OpId i = 0; i < g.numOps(); ++i)
            if (g.op(i).type() == "RandomStandardNormal") {
                QCOMPARE(g.op(i).attrs().find("seed")->i(), int64_t(0));
                QCOMPARE(g.op(i).attrs().find("seed2")->i(), int64_t(0));
            }
        Session a(g), b(g);
        QVERIFY(values(a.run({r})[0]) != values(b.run({r})[0]));
    }
    // Different graph seeds: different values.
    {
        Graph g1, g2;
        Output r1 = build(g1, 1, std::nullopt), r2 = build(g2, 2, std::nullopt);
        QVERIFY(values(Session(g1).run({r1})[0]) != values(Session(g2).run({r2})[0]));
    }
}

void ExecTest::variables()
{
    VarGraph vg({2, 3}, 1.5);
    Graph& g = vg.g;
    Output v{vg.var, 0};
    OpId add = g.createOp("AssignAdd", "", {v, ops::constant(g, Tensor::filled(DType::Float, {2, 3}, 2))});
    OpId sub = g.createOp("AssignSub", "", {v, ops::constant(g, Tensor::filled(DType::Float, {2, 3}, 0.5))});
    Output read = ops::identity(g, v, "read");
    Output bad = ops::constant(g, Tensor::filled(DType::Float, {3}, 0));
    OpId badAssign = ops::assign(g, v, bad, /*validateShape=*/false).op;
    // A validated assign of the wrong shape, built without the static check (unknown shape).
    Output p = ops::placeholder(g, DType::Float, Shape::unknown(), "p");
    OpId checked = ops::assign(g, v, p).op;
    Session s(g);
    s.run({}, {}, {vg.assign});
    SV_COMPARE(s.run({read})[0], (std::vector<int64_t>{2, 3}), std::vector<double>(6, 1.5), 0);
    SV_COMPARE(s.run({Output{add, 0}})[0], (std::vector<int64_t>{2, 3}), std::vector<double>(6, 3.5), 0);
    s.run({}, {}, {sub});
    SV_COMPARE(s.run({read})[0], (std::vector<int64_t>{2, 3}), std::vector<double>(6, 3.0), 0);
    SV_COMPARE(s.run({v})[0], (std::vector<int64_t>{2, 3}), std::vector<double>(6, 3.0), 0);
    try {
        s.run({}, {{p, Tensor::filled(DType::Float, {4}, 1)}}, {checked});
        QFAIL("expected InvalidArgumentError");
    } catch (const InvalidArgumentError& e) {
        QCOMPARE(firstLine(e), std::string("Assign requires shapes of both tensors to match. lhs shape= [2,3] rhs shape= [4]"));
    }
    s.run({}, {}, {badAssign}); // validate_shape=False replaces the shape
    SV_COMPARE(s.run({read})[0], (std::vector<int64_t>{3}), std::vector<double>(3, 0.0), 0);
}

void ExecTest::summaries()
{
    Graph g;
    Output loss = ops::constant(g, 2.5, DType::Float);
    Output s1 = summary::scalar(g, "loss", loss);
    Output hv = ops::constant(g, Tensor::fromVector<double>({-1, 0, 0.5, 2, 2}, {5}));
    Output h = summary::histogram(g, "weights", hv);
    Output merged = summary::merge(g, {s1, h});
    Session s(g);
    auto res = s.run({s1, h, merged});
    for (const Tensor& t : res) {
        QCOMPARE(t.dtype(), DType::String);
        QCOMPARE(t.rank(), 0);
    }
    std::vector<DecodedValue> v;
    QVERIFY(decodeSummary(res[0].strings()[0], v));
    QCOMPARE(v.size(), size_t(1));
    QCOMPARE(v[0].tag, std::string("loss"));
    QVERIFY(v[0].hasSimple);
    QCOMPARE(v[0].simple, 2.5f);

    v.clear();
    QVERIFY(decodeSummary(res[1].strings()[0], v));
    QCOMPARE(v.size(), size_t(1));
    QCOMPARE(v[0].tag, std::string("weights"));
    QVERIFY(v[0].hasHisto);
    QCOMPARE(v[0].min, -1.0);
    QCOMPARE(v[0].max, 2.0);
    QCOMPARE(v[0].num, 5.0);
    QCOMPARE(v[0].sum, 3.5);
    QCOMPARE(v[0].sumSquares, 9.25);
    QCOMPARE(v[0].limits.size(), v[0].buckets.size());
    QCOMPARE(v[0].limits.back(), DBL_MAX);
    double total = 0;
    for (size_t i = 0; i < v[0].buckets.size(); ++i) {
        total += v[0].buckets[i];
        if (i)
            QVERIFY(v[0].limits[i] > v[0].limits[i - 1]);
    }
    QCOMPARE(total, 5.0);
    // Each value sits in a non-empty bucket whose range [previous limit, limit) holds it.
    for (double x : {-1.0, 0.0, 0.5, 2.0}) {
        bool found = false;
        for (size_t i = 1; i < v[0].limits.size(); ++i)
            if (x >= v[0].limits[i - 1] && x < v[0].limits[i])
                found = v[0].buckets[i] > 0;
        QVERIFY2(found, std::to_string(x).c_str());
    }

    v.clear();
    QVERIFY(decodeSummary(res[2].strings()[0], v));
    QCOMPARE(v.size(), size_t(2));
    QCOMPARE(v[0].tag, std::string("loss"));
    QCOMPARE(v[1].tag, std::string("weights"));
    QVERIFY(v[1].hasHisto);

    // A histogram of a NaN is TF1's InvalidArgumentError naming the op.
    Graph g2;
    Output nanv = ops::constant(g2, Tensor::fromVector<float>({1.f, NAN}, {2}));
    Output hn = summary::histogram(g2, "w", nanv);
    try {
        Session(g2).run({hn});
        QFAIL("expected InvalidArgumentError");
    } catch (const InvalidArgumentError& e) {
        QCOMPARE(firstLine(e), std::string("Nan in summary histogram for: w"));
    }
}

// The HistogramSummary kernel and the event writer's encoder are one encoder:
// for values on bucket limits, 0.0 and negatives (where the two used to
// disagree) a graph's histogram is byte for byte what encodeHistogramSummary
// writes, and both follow TensorFlow's rule (first limit greater than the value).
void ExecTest::histogramKernelMatchesEncoder()
{
    const auto& l = defaultHistogramBucketLimits();
    const size_t mid = l.size() / 2;
    const std::vector<double> values = {0.0, 0.0, -1e-12, 1e-12, l[mid + 40], -1.0, -2.5, l[mid - 7], 3.0};
    Graph g;
    Output h = summary::histogram(g, "edges", ops::constant(g, Tensor::fromVector<double>(values, {9})));
    const Tensor t = Session(g).run({h})[0];
    auto expected = encodeHistogramSummary("edges", values);
    QVERIFY(expected.ok());
    QVERIFY(t.strings()[0] == *expected);

    std::vector<DecodedValue> v;
    QVERIFY(decodeSummary(t.strings()[0], v));
    QCOMPARE(v.size(), size_t(1));
    // 0.0 (twice) counts in the bucket ending at 1e-12, not in the one ending at 0.
    const auto at = [&](double limit) {
        for (size_t i = 0; i < v[0].limits.size(); ++i)
            if (v[0].limits[i] == limit)
                return v[0].buckets[i];
        return -1.0;
    };
    QCOMPARE(at(1e-12), 2.0);
    QCOMPARE(at(0.0), 1.0);                // -1e-12, on a limit, counts in [-1e-12, 0)
    QCOMPARE(at(l[mid + 2]), 1.0);         // 1e-12 in [1e-12, 1.1e-12)
    QCOMPARE(at(l[mid + 41]), 1.0);        // an edge value counts in the bucket after its limit
    QCOMPARE(at(l[mid - 6]), 1.0);
}

void ExecTest::mergeSummaryDuplicateTag()
{
    Graph g;
    Output tag = ops::constant(g, Tensor::stringScalar("dup"), "tag");
    Output a = Output{g.createOp("ScalarSummary", "a", {tag, ops::constant(g, 1.0, DType::Float)}), 0};
    Output b = Output{g.createOp("ScalarSummary", "b", {tag, ops::constant(g, 2.0, DType::Float)}), 0};
    Output m = summary::merge(g, {a, b});
    Session s(g);
    try {
        s.run({m});
        QFAIL("expected InvalidArgumentError");
    } catch (const InvalidArgumentError& e) {
        QCOMPARE(firstLine(e), std::string("Duplicate tag dup found in summary inputs"));
    }
    // Each alone is fine.
    std::vector<DecodedValue> v;
    QVERIFY(decodeSummary(s.run({a})[0].strings()[0], v));
    QCOMPARE(v.at(0).tag, std::string("dup"));
    QCOMPARE(v.at(0).simple, 1.0f);
}

void ExecTest::everyForwardOpHasAKernel()
{
    // Every op a graph can hold (forward ops and the gradient ops of core/train
    // alike) must run: an op registered without a kernel fails here by name.
    const auto& kernels = exec::KernelRegistry::global();
    QStringList missing;
    for (const OpDef& def : OpRegistry::global().all())
        if (kernels.find(def.name) == nullptr)
            missing << QString::fromStdString(def.name);
    QVERIFY2(missing.isEmpty(), qPrintable("registered without a kernel: " + missing.join(", ")));
    QVERIFY(OpRegistry::global().all().size() > 50);
}

// =====================================================================================
// session
// =====================================================================================

void ExecTest::pruningSkipsUnneededPlaceholders()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{-1, 64}, "x");
    Output unused = ops::relu(g, x);
    Output c = ops::add(g, ops::constant(g, 2.0, DType::Float), ops::constant(g, 3.0, DType::Float));
    Session s(g);
    Tensor out = s.run({c})[0];
    QCOMPARE(out.toDouble(0), 5.0);
    Q_UNUSED(unused);
}

void ExecTest::placeholderNotFedError()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{-1, 64}, "x");
    Output y = ops::relu(g, x);
    Output sc = ops::placeholder(g, DType::Int64, Shape{}, "step");
    Session s(g);
    try {
        s.run({y});
        QFAIL("expected InvalidArgumentError");
    } catch (const InvalidArgumentError& e) {
        QCOMPARE(firstLine(e), std::string("You must feed a value for placeholder tensor 'x' with dtype float and shape [?,64]"));
        QCOMPARE(e.opName(), std::string("x"));
    }
    try {
        s.run({sc});
        QFAIL("expected InvalidArgumentError");
    } catch (const InvalidArgumentError& e) {
        QCOMPARE(firstLine(e), std::string("You must feed a value for placeholder tensor 'step' with dtype int64"));
    }
}

void ExecTest::uninitializedVariableError()
{
    Graph g;
    demo::SeedModel m = demo::buildSeedDemo(g);
    Session s(g);
    try {
        s.run({m.logits}, {{m.x, Tensor::filled(DType::Float, {2, 64}, 0.5)}});
        QFAIL("expected FailedPreconditionError");
    } catch (const FailedPreconditionError& e) {
        QCOMPARE(firstLine(e), std::string("Attempting to use uninitialized value my_net/weights"));
        QCOMPARE(e.opName(), std::string("my_net/weights/read"));
    }
    QVERIFY(!s.isInitialized(m.weights.info().op));
    QVERIFY(!s.variableValue(m.weights.info().op).valid());
}

void ExecTest::feedShapeError()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{-1, 64}, "x");
    Output y = ops::relu(g, x);
    Output v = ops::placeholder(g, DType::Float, Shape{3}, "v");
    Session s(g);
    try {
        s.run({y}, {{x, Tensor::filled(DType::Float, {2, 3}, 1)}});
        QFAIL("expected ValueError");
    } catch (const ValueError& e) {
        QCOMPARE(firstLine(e), std::string("Cannot feed value of shape (2, 3) for Tensor 'x:0', which has shape '(?, 64)'"));
    }
    try {
        s.run({v}, {{v, Tensor::filled(DType::Float, {4}, 1)}});
        QFAIL("expected ValueError");
    } catch (const ValueError& e) {
        QCOMPARE(firstLine(e), std::string("Cannot feed value of shape (4,) for Tensor 'v:0', which has shape '(3,)'"));
    }
}

void ExecTest::sessionUsableAfterErrors()
{
    Graph g;
    g.setSeed(3);
    demo::SeedModel m = demo::buildSeedDemo(g);
    OpId init = ops::globalVariablesInitializer(g);
    Session s(g);
    Tensor x = randomTensor(DType::Float, {4, 64}, 0, 1, 1);
    QVERIFY_THROWS_EXCEPTION(FailedPreconditionError, s.run({m.logits}, {{m.x, x}}));
    s.run({}, {}, {init});
    Tensor w = s.variableValue(m.weights.info().op);
    Tensor first = s.run({m.logits}, {{m.x, x}})[0];
    QVERIFY_THROWS_EXCEPTION(InvalidArgumentError, s.run({m.logits}));                              // x not fed
    QVERIFY_THROWS_EXCEPTION(ValueError, s.run({m.logits}, {{m.x, Tensor::filled(DType::Float, {4, 3}, 0)}}));
    Tensor badLabels = Tensor::fromVector<int64_t>({0, 1, 99, 2}, {4});
    QVERIFY_THROWS_EXCEPTION(InvalidArgumentError, s.run({m.loss}, {{m.x, x}, {m.labels, badLabels}}));
    // Variables kept their values, and the same run gives the same answer.
    QCOMPARE(values(s.variableValue(m.weights.info().op)), values(w));
    QCOMPARE(values(s.run({m.logits}, {{m.x, x}})[0]), values(first));
}

void ExecTest::feedsReplaceAnyTensor()
{
    Graph g;
    g.setSeed(4);
    demo::SeedModel m = demo::buildSeedDemo(g);
    OpId init = ops::globalVariablesInitializer(g);
    Session s(g);
    s.run({}, {}, {init});
    // Feed the hidden layer of the training tower: x is then not needed.
    const Operation* relu = g.findOp("my_net/Relu");
    QVERIFY(relu);
    Tensor hidden = randomTensor(DType::Float, {3, 512}, 0, 1, 9);
    Tensor logits = s.run({m.logits}, {{Output{relu->id(), 0}, hidden}})[0];
    // Reference: hidden @ head/weights + head/biases.
    Tensor hw = s.variableValue(m.headWeights.info().op), hb = s.variableValue(m.headBiases.info().op);
    std::vector<double> ref;
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 10; ++j) {
            double acc = hb.toDouble(j);
            for (int k = 0; k < 512; ++k)
                acc += hidden.toDouble(i * 512 + k) * hw.toDouble(k * 10 + j);
            ref.push_back(acc);
        }
    SV_COMPARE(logits, (std::vector<int64_t>{3, 10}), ref, 1e-4);
    // A fetched fed tensor is the fed value.
    QCOMPARE(values(s.run({Output{relu->id(), 0}}, {{Output{relu->id(), 0}, hidden}})[0]), values(hidden));
}

void ExecTest::feedDtypeConverted()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{2}, "x");
    Output y = ops::multiply(g, x, 2.0);
    Session s(g);
    Tensor out = s.run({y}, {{x, Tensor::fromVector<int32_t>({1, 3}, {2})}})[0];
    QCOMPARE(out.dtype(), DType::Float);
    SV_COMPARE(out, (std::vector<int64_t>{2}), (std::vector<double>{2, 6}), 0);
}

void ExecTest::cancelBeforeRun()
{
    Graph g;
    Output c = ops::add(g, ops::constant(g, 1.0, DType::Float), ops::constant(g, 2.0, DType::Float));
    Session s(g);
    s.cancel();
    try {
        s.run({c});
        QFAIL("expected CancelledError");
    } catch (const CancelledError& e) {
        QCOMPARE(firstLine(e), std::string("Run call was cancelled"));
    }
    QCOMPARE(s.run({c})[0].toDouble(0), 3.0); // the cancellation was used up
}

void ExecTest::cancelFromAnotherThread()
{
    // A long chain of matmuls (seconds of work): cancel stops it between ops.
    Graph g;
    Output x = ops::constant(g, randomTensor(DType::Float, {256, 256}, -0.06, 0.06, 5));
    Output h = x;
    for (int i = 0; i < 4000; ++i)
        h = ops::matmul(g, h, x);
    Session s(g, exec::SessionOptions{.intraOpThreads = 1});
    std::atomic<bool> started{false};
    std::string error;
    std::thread worker([&] {
        started = true;
        try {
            s.run({h});
            error = "finished";
        } catch (const CancelledError& e) {
            error = firstLine(e);
        } catch (const std::exception& e) {
            error = e.what();
        }
    });
    while (!started)
        std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    s.cancel();
    worker.join();
    QCOMPARE(error, std::string("Run call was cancelled"));
    // Usable afterwards.
    Output small = ops::matmul(g, x, x);
    QCOMPARE(s.run({small})[0].dims(), (std::vector<int64_t>{256, 256}));
}

void ExecTest::cancelFlagInRunOptions()
{
    Graph g;
    Output c = ops::neg(g, ops::constant(g, 1.0, DType::Float));
    Session s(g);
    std::atomic<bool> flag{true};
    exec::RunOptions ro;
    ro.cancelFlag = &flag;
    QVERIFY_THROWS_EXCEPTION(CancelledError, s.run({c}, {}, {}, ro));
    flag = false;
    QCOMPARE(s.run({c}, {}, {}, ro)[0].toDouble(0), -1.0);
    QCOMPARE(s.run({c})[0].toDouble(0), -1.0);
}

void ExecTest::nanAndInfPropagate()
{
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{1, 4}, "x");
    Output w = ops::constant(g, Tensor::filled(DType::Float, {4, 2}, 1));
    Output mm = ops::matmul(g, x, w);
    Output r = ops::relu(g, x);
    Output logx = Output{g.createOp("Log", "", {x}), 0};
    Output recip = Output{g.createOp("Reciprocal", "", {x}), 0};
    Output mean = ops::reduceMean(g, x);
    Output sm = ops::softmax(g, x);
    Session s(g);
    Tensor in = Tensor::fromVector<float>({NAN, INFINITY, 0.f, -1.f}, {1, 4});
    auto res = s.run({mm, r, logx, recip, mean, sm}, {{x, in}});
    QVERIFY(std::isnan(res[0].toDouble(0)) && std::isnan(res[0].toDouble(1)));
    QVERIFY(std::isnan(res[1].toDouble(0)));
    QCOMPARE(res[1].toDouble(1), double(INFINITY));
    QCOMPARE(res[1].toDouble(3), 0.0);
    QCOMPARE(res[2].toDouble(2), -double(INFINITY));
    QVERIFY(std::isnan(res[2].toDouble(3)));
    QCOMPARE(res[3].toDouble(2), double(INFINITY));
    QVERIFY(std::isnan(res[4].toDouble(0)));
    QVERIFY(std::isnan(res[5].toDouble(0)));
    // The fed tensor is untouched by in-place kernels.
    QVERIFY(std::isnan(in.toDouble(0)));
    QCOMPARE(in.toDouble(3), -1.0);
}

void ExecTest::deterministicInitWithSeeds()
{
    auto initialWeights = [](std::optional<int64_t> seed) {
        Graph g;
        g.setSeed(seed);
        demo::SeedModel m = demo::buildSeedDemo(g);
        OpId init = ops::globalVariablesInitializer(g);
        std::vector<std::vector<double>> out;
        for (int k = 0; k < 2; ++k) {
            Session s(g);
            s.run({}, {}, {init});
            out.push_back(values(s.variableValue(m.weights.info().op)));
            out.push_back(values(s.variableValue(m.headWeights.info().op)));
        }
        return out;
    };
    auto a = initialWeights(1234);
    auto b = initialWeights(1234);
    QCOMPARE(a[0], a[2]); // two sessions, same graph
    QCOMPARE(a[1], a[3]);
    QCOMPARE(a[0], b[0]); // two graphs built the same way
    QVERIFY(a[0] != a[1]);
    auto c = initialWeights(99);
    QVERIFY(c[0] != a[0]);
    auto d = initialWeights(std::nullopt);
    QVERIFY(d[0] != d[2]); // no seed: nondeterministic
    // Truncated normal with stddev 0.1: every value within two standard deviations.
    for (double v : a[0])
        QVERIFY(std::fabs(v) <= 0.2 + 1e-6);
}

void ExecTest::variableAccessors()
{
    VarGraph vg({2}, 1.0);
    Session s(vg.g);
    QVERIFY(!s.isInitialized(vg.var));
    s.setVariableValue(vg.var, Tensor::fromVector<double>({4, 5}, {2})); // converted to float
    QVERIFY(s.isInitialized(vg.var));
    Tensor v = s.variableValue(vg.var);
    QCOMPARE(v.dtype(), DType::Float);
    QCOMPARE(values(v), (std::vector<double>{4, 5}));
    QCOMPARE(values(s.run({Output{vg.var, 0}})[0]), (std::vector<double>{4, 5}));
    QVERIFY_THROWS_EXCEPTION(ValueError, s.setVariableValue(vg.var, Tensor::filled(DType::Float, {3}, 0)));
    QVERIFY_THROWS_EXCEPTION(ValueError, s.variableValue(vg.assign)); // not a variable
    s.run({}, {}, {vg.assign});
    QCOMPARE(values(s.variableValue(vg.var)), (std::vector<double>{1, 1}));
}

void ExecTest::fetchedValuesStayUnchanged()
{
    VarGraph vg({3}, 1.0);
    Graph& g = vg.g;
    Output v{vg.var, 0};
    Output read = ops::identity(g, v, "read");
    OpId add = g.createOp("AssignAdd", "", {v, ops::constant(g, Tensor::filled(DType::Float, {3}, 1))});
    Session s(g);
    s.run({}, {}, {vg.assign});
    Tensor viaRead = s.run({read})[0];
    Tensor viaRef = s.run({v})[0];
    Tensor snapshot = s.variableValue(vg.var);
    s.run({}, {}, {add});
    s.run({}, {}, {add});
    QCOMPARE(values(viaRead), (std::vector<double>{1, 1, 1}));
    QCOMPARE(values(viaRef), (std::vector<double>{1, 1, 1}));
    QCOMPARE(values(snapshot), (std::vector<double>{1, 1, 1}));
    QCOMPARE(values(s.run({read})[0]), (std::vector<double>{3, 3, 3}));
    // Writing into a fetched tensor does not change the variable or the graph's constants.
    viaRead.data<float>()[0] = 42;
    QCOMPARE(values(s.run({read})[0]), (std::vector<double>{3, 3, 3}));
    Output c = ops::constant(g, Tensor::filled(DType::Float, {2}, 7));
    Tensor cv = s.run({c})[0];
    cv.data<float>()[0] = 0;
    QCOMPARE(values(s.run({c})[0]), (std::vector<double>{7, 7}));
}

void ExecTest::inPlaceChainsKeepIntermediates()
{
    // b = 2a; c = b + 1; d = relu(c); e = -d. Fetching b and d as well as e must give their
    // own values, whatever buffers the kernels reuse.
    Graph g;
    Tensor av = randomTensor(DType::Float, {64, 33}, -2, 2, 77);
    Output a = ops::constant(g, av);
    Output b = ops::multiply(g, a, 2.0);
    Output c = ops::add(g, b, 1.0);
    Output d = ops::relu(g, c);
    Output e = ops::neg(g, d);
    Output f = ops::multiply(g, e, e); // one buffer read twice: must not be reused
    Session s(g);
    auto res = s.run({e, b, d, f});
    auto resOnlyE = s.run({e});
    std::vector<double> rb, rd, re, rf;
    for (int64_t i = 0; i < av.numElements(); ++i) {
        double bv = float(2 * av.toDouble(i)), cv = float(bv + 1), dv = std::max(cv, 0.0);
        rb.push_back(bv);
        rd.push_back(dv);
        re.push_back(-dv);
        rf.push_back(dv * dv);
    }
    SV_COMPARE(res[0], av.dims(), re, 1e-6);
    SV_COMPARE(res[1], av.dims(), rb, 1e-6);
    SV_COMPARE(res[2], av.dims(), rd, 1e-6);
    SV_COMPARE(res[3], av.dims(), rf, 1e-6);
    SV_COMPARE(resOnlyE[0], av.dims(), re, 1e-6);
    SV_COMPARE(s.run({a})[0], av.dims(), values(av), 0); // the constant is intact
}

void ExecTest::unreadStatelessOpsAreSkipped()
{
    // `bad` fails whenever it runs with a non-square feed. Nothing in the first run reads
    // it: its only reader is an Identity that only a NoOp waits for (the shape of GATE_OP's
    // tuple around an unused gradient). TF's Grappler turns both into NoOps, so the run
    // succeeds; fetching or targeting either of them still runs `bad` and fails.
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{-1, -1}, "x");
    Output bad = ops::matmul(g, x, x, false, false, "bad");
    Output gate = ops::identity(g, bad, "gate");
    OpId group = ops::group(g, {gate.op}, "group_deps");
    Output y = ops::relu(g, x);
    Session s(g);
    Tensor xv = randomTensor(DType::Float, {2, 3}, -1, 1, 5);
    std::vector<double> ref;
    for (int64_t i = 0; i < xv.numElements(); ++i)
        ref.push_back(std::max(0.0, xv.toDouble(i)));
    SV_COMPARE(s.run({y}, {{x, xv}}, {group})[0], xv.dims(), ref, 0);
    QCOMPARE(s.run({}, {{x, xv}}, {group}).size(), size_t(0));
    const std::string mismatch = "Matrix size-incompatible: In[0]: [2,3], In[1]: [2,3]";
    for (const auto& attempt : std::vector<std::function<void()>>{
             [&] { s.run({bad}, {{x, xv}}); },              // fetched
             [&] { s.run({y}, {{x, xv}}, {bad.op}); },      // a target
             [&] { s.run({}, {{x, xv}}, {gate.op, group}); }, // a target reads it
             [&] { s.run({gate}, {{x, xv}}, {group}); }}) {    // a fetch reads it
        try {
            attempt();
            QFAIL("expected InvalidArgumentError");
        } catch (const InvalidArgumentError& e) {
            QCOMPARE(firstLine(e), mismatch);
            QCOMPARE(e.opName(), std::string("bad"));
        }
    }
    // A square feed: the same runs succeed and give bad's value.
    Tensor sq = randomTensor(DType::Float, {2, 2}, -1, 1, 6);
    Tensor prod = s.run({gate}, {{x, sq}}, {group})[0];
    SV_COMPARE(prod, sq.dims(),
               (std::vector<double>{float(sq.toDouble(0) * sq.toDouble(0) + sq.toDouble(1) * sq.toDouble(2)),
                                    float(sq.toDouble(0) * sq.toDouble(1) + sq.toDouble(1) * sq.toDouble(3)),
                                    float(sq.toDouble(2) * sq.toDouble(0) + sq.toDouble(3) * sq.toDouble(2)),
                                    float(sq.toDouble(2) * sq.toDouble(1) + sq.toDouble(3) * sq.toDouble(3))}),
               1e-6);
}

void ExecTest::unreadStatefulOpsStillRun()
{
    // Ops with effects run even when nothing reads them: an AssignAdd and a random op whose
    // only readers are skipped, and an unfed placeholder behind a skipped op (TF keeps
    // placeholders so that a missing feed is still reported).
    VarGraph vg({2}, 1.0);
    Graph& g = vg.g;
    g.setSeed(3);
    Output v{vg.var, 0};
    Output bump{g.createOp("AssignAdd", "bump", {v, ops::constant(g, Tensor::filled(DType::Float, {2}, 1))}), 0};
    Output bumpRead = ops::identity(g, ops::multiply(g, bump, 2.0)); // stateless, unread
    Output r = ops::randomUniform(g, {4}, 0, 1, DType::Float, 11);
    Output rUnread = ops::square(g, r);
    Output x = ops::placeholder(g, DType::Float, Shape{2}, "x");
    Output xUnread = ops::neg(g, x);
    OpId step = ops::group(g, {bumpRead.op, rUnread.op}, "step");
    OpId needsX = ops::group(g, {xUnread.op}, "needs_x");
    Session s(g);
    s.run({}, {}, {vg.assign});
    s.run({}, {}, {step});
    s.run({}, {}, {step});
    QCOMPARE(values(s.variableValue(vg.var)), (std::vector<double>{3, 3}));
    // The random op drew twice: the next draw is the third of a session that fetches r.
    Tensor third = s.run({r})[0];
    Session fresh(g);
    fresh.run({r});
    fresh.run({r});
    QCOMPARE(values(third), values(fresh.run({r})[0]));
    QCOMPARE(invalidArgumentOf([&] { s.run({}, {}, {needsX}); }),
             std::string("You must feed a value for placeholder tensor 'x' with dtype float and shape [2]"));
    QCOMPARE(s.run({}, {{x, Tensor::filled(DType::Float, {2}, 1)}}, {needsX}).size(), size_t(0));
}

void ExecTest::gatedTrainingMatchesUngated()
{
    // GATE_OP wraps every gradient in tuple/control_dependency Identities, including the
    // unused d loss / d x, which the Session skips; the training itself must be the same
    // as GATE_NONE's, step for step, and fetching d loss / d x still computes it.
    struct Model {
        Graph g;
        Output x, labels, loss, w1;
        OpId train = -1, init = -1;
        explicit Model(train::GateGradients gate)
        {
            g.setSeed(9);
            x = ops::placeholder(g, DType::Float, Shape{-1, 6}, "x");
            labels = ops::placeholder(g, DType::Int64, Shape{-1}, "labels");
            Output logits;
            {
                VariableScope vs(g, "net");
                Variable wv = getVariable(g, "w1", {6, 16}, DType::Float, initializers::truncatedNormal(0, 0.3));
                Variable b1 = getVariable(g, "b1", {16}, DType::Float, initializers::constant(0.1));
                Variable w2 = getVariable(g, "w2", {16, 3}, DType::Float, initializers::truncatedNormal(0, 0.3));
                Output h = ops::relu(g, ops::plus(g, ops::matmul(g, x, wv.value()), b1.value()));
                logits = ops::matmul(g, h, w2.value());
                w1 = wv.value();
            }
            loss = ops::reduceMean(g, ops::sparseSoftmaxCrossEntropyWithLogits(g, labels, logits));
            train = train::GradientDescentOptimizer(0.5).minimize(g, loss, std::nullopt, {}, gate);
            init = ops::globalVariablesInitializer(g);
        }
    };
    Model gated(train::GateGradients::Op), ungated(train::GateGradients::None);
    Session sg(gated.g), su(ungated.g);
    sg.run({}, {}, {gated.init});
    su.run({}, {}, {ungated.init});
    for (int step = 0; step < 5; ++step) {
        Tensor xv = randomTensor(DType::Float, {8, 6}, -1, 1, 100 + step);
        Tensor lv = randomTensor(DType::Int64, {8}, 0, 3, 200 + step);
        Tensor a = sg.run({gated.loss, gated.w1}, {{gated.x, xv}, {gated.labels, lv}}, {gated.train})[0];
        Tensor b = su.run({ungated.loss, ungated.w1}, {{ungated.x, xv}, {ungated.labels, lv}}, {ungated.train})[0];
        QCOMPARE(a.toDouble(0), b.toDouble(0));
    }
    QCOMPARE(values(sg.run({gated.w1})[0]), values(su.run({ungated.w1})[0]));
    const Operation* dx = gated.g.findOp("gradients/net/MatMul_grad/tuple/control_dependency");
    QVERIFY(dx);
    Tensor xv = randomTensor(DType::Float, {8, 6}, -1, 1, 300);
    Tensor lv = randomTensor(DType::Int64, {8}, 0, 3, 301);
    Tensor dxv = sg.run({Output{dx->id(), 0}}, {{gated.x, xv}, {gated.labels, lv}})[0];
    QCOMPARE(dxv.dims(), (std::vector<int64_t>{8, 6}));
    double norm = 0;
    for (double d : values(dxv))
        norm += d * d;
    QVERIFY(norm > 0);
}

void ExecTest::recycledBuffersNeverReachUsers()
{
    // Intermediate buffers are recycled between runs; fetched tensors, feeds and values
    // stored into variables must never be among them.
    Graph g;
    Output x = ops::placeholder(g, DType::Float, Shape{64, 33}, "x");
    Output doubled = ops::multiply(g, x, 2.0);
    Output y = ops::neg(g, ops::relu(g, ops::add(g, doubled, 1.0)));
    Output z = ops::square(g, ops::multiply(g, x, 3.0));
    OpId var = g.createOp(
        "VariableV2", "v", {},
        attrs({{"dtype", AttrValue::type(DType::Float)}, {"shape", AttrValue::shape(Shape{64, 33})}}));
    OpId assign = ops::assign(g, Output{var, 0}, ops::multiply(g, x, 4.0)).op; // a private buffer into the variable
    Session s(g);
    Tensor a = randomTensor(DType::Float, {64, 33}, -2, 2, 1);
    Tensor b = randomTensor(DType::Float, {64, 33}, -2, 2, 2);
    const std::vector<double> aBefore = values(a);
    s.run({}, {{x, a}}, {assign});
    Tensor ya = s.run({y}, {{x, a}})[0];
    const std::vector<double> yaBefore = values(ya);
    for (int i = 0; i < 4; ++i) {
        s.run({y}, {{x, b}});
        s.run({z, doubled}, {{x, b}});
        s.run({}, {{x, b}}, {g.findOp("Neg")->id()});
    }
    QCOMPARE(values(ya), yaBefore);
    QCOMPARE(values(a), aBefore);
    std::vector<double> ref;
    for (double v : aBefore)
        ref.push_back(float(4 * float(v)));
    SV_COMPARE(s.variableValue(var), a.dims(), ref, 0);
    // The same plan, run again, still computes from its feeds.
    std::vector<double> yb;
    for (double v : values(b))
        yb.push_back(-std::max(0.0, double(float(float(2 * float(v)) + 1))));
    for (int i = 0; i < 3; ++i)
        SV_COMPARE(s.run({y}, {{x, b}})[0], b.dims(), yb, 0);
}

void ExecTest::reductionOverNothingPassesThrough()
{
    // Sum/Mean/Max/Prod with no axes (or only size-1 axes) give the input itself, as in TF;
    // the value handed out is still the user's own copy.
    Graph g;
    Tensor cv = randomTensor(DType::Float, {3, 1, 4}, -2, 2, 8);
    Output c = ops::constant(g, cv);
    Output x = ops::placeholder(g, DType::Float, Shape{3, 1, 4}, "x");
    Output sumNone = ops::reduceSum(g, c, std::vector<int64_t>{});
    Output meanOne = ops::reduceMean(g, x, std::vector<int64_t>{1});
    Output maxOneKeep{g.createOp("Max", "", {x, ops::constant(g, Tensor::fromVector<int32_t>({1}, {1}))},
                                 attrs({{"keep_dims", AttrValue::boolean(true)}})),
                      0};
    Output sumAll = ops::reduceSum(g, ops::multiply(g, x, 1.0), std::vector<int64_t>{0, 1, 2});
    Session s(g);
    Tensor xv = randomTensor(DType::Float, {3, 1, 4}, -2, 2, 9);
    const std::vector<double> xBefore = values(xv);
    auto res = s.run({sumNone, meanOne, maxOneKeep, sumAll}, {{x, xv}});
    SV_COMPARE(res[0], cv.dims(), values(cv), 0);
    SV_COMPARE(res[1], (std::vector<int64_t>{3, 4}), values(xv), 0);
    SV_COMPARE(res[2], xv.dims(), values(xv), 0);
    double total = 0;
    for (double v : values(xv))
        total += float(v);
    QVERIFY(std::fabs(res[3].toDouble(0) - total) < 1e-5);
    // Writing into what was handed out changes neither the constant nor the feed.
    res[0].data<float>()[0] = 99;
    res[1].data<float>()[0] = 99;
    res[2].data<float>()[0] = 99;
    QCOMPARE(values(s.run({c})[0]), values(cv));
    QCOMPARE(values(xv), xBefore);
    SV_COMPARE(s.run({sumNone})[0], cv.dims(), values(cv), 0);
    // A variable's value through a reduction over nothing is a copy, not the variable.
    VarGraph vg({2, 2}, 5.0);
    Output vs = ops::reduceSum(vg.g, Output{vg.var, 0}, std::vector<int64_t>{});
    Output ones = ops::constant(vg.g, Tensor::filled(DType::Float, {2, 2}, 1));
    OpId bump = vg.g.createOp("AssignAdd", "", {Output{vg.var, 0}, ones});
    Session sv(vg.g);
    sv.run({}, {}, {vg.assign});
    Tensor before = sv.run({vs})[0];
    sv.run({}, {}, {bump});
    QCOMPARE(values(before), (std::vector<double>{5, 5, 5, 5}));
    QCOMPARE(values(sv.run({vs})[0]), (std::vector<double>{6, 6, 6, 6}));
    // Unsupported dtypes still fail, whether or not there is anything to fold.
    Graph gb;
    Output bt = ops::constant(gb, Tensor::filled(DType::Bool, {2}, 1));
    Output sb{gb.createOp("Sum", "", {bt, ops::constant(gb, Tensor::fromVector<int32_t>({}, {0}))}), 0};
    Session sbs(gb);
    QCOMPARE(invalidArgumentOf([&] { sbs.run({sb}); }), std::string("No kernel for Sum with dtype bool"));
}

void ExecTest::graphGrowsAfterSessionCreated()
{
    Graph g;
    Output x = ops::constant(g, 3.0, DType::Float);
    Output y = ops::square(g, x);
    Session s(g);
    QCOMPARE(s.run({y})[0].toDouble(0), 9.0);
    QCOMPARE(s.cachedPlanCount(), size_t(1));
    QCOMPARE(s.run({y})[0].toDouble(0), 9.0);
    QCOMPARE(s.cachedPlanCount(), size_t(1)); // reused
    Output z = ops::add(g, y, 1.0);
    QCOMPARE(s.run({z})[0].toDouble(0), 10.0);
    QCOMPARE(s.run({y, z})[1].toDouble(0), 10.0);
    // Variables survive the growth.
    OpId var = g.createOp("VariableV2", "late", {},
                          attrs({{"dtype", AttrValue::type(DType::Float)}, {"shape", AttrValue::shape(Shape{})}}));
    s.setVariableValue(var, Tensor::scalar<float>(5));
    Output w = ops::add(g, Output{var, 0}, 1.0);
    QCOMPARE(s.run({w})[0].toDouble(0), 6.0);
    QCOMPARE(s.variableValue(var).toDouble(0), 5.0);
}

void ExecTest::unknownOpType()
{
    Graph g;
    OpId foo = g.importOp("foo", "FancyOp", "", {}, {OutputInfo{DType::Float, Shape{}}});
    OpId ok = g.importOp("ok", "Const", "", attrs({{"value", AttrValue::tensor(Tensor::scalar<float>(1))}}),
                         {OutputInfo{DType::Float, Shape{}}});
    Session s(g);
    try {
        s.run({Output{foo, 0}});
        QFAIL("expected InvalidArgumentError");
    } catch (const InvalidArgumentError& e) {
        QCOMPARE(firstLine(e), std::string("No OpKernel was registered to support Op 'FancyOp' used by node foo"));
    }
    QCOMPARE(s.run({Output{ok, 0}})[0].toDouble(0), 1.0);
}

// =====================================================================================
// control flow (dataflow executor)
// =====================================================================================

namespace {

/// A TF1 control-flow graph written node by node, as a GraphDef import makes it.
struct FlowGraph {
    Graph g;
    OpId node(std::string_view name, std::string_view type, std::vector<Output> inputs, AttrList a = {},
              std::vector<DType> outs = {DType::Int32}, std::vector<OpId> control = {})
    {
        std::vector<OutputInfo> infos;
        for (DType t : outs)
            infos.push_back(OutputInfo{t, Shape{}});
        OpId id = g.importOp(name, type, "", std::move(a), std::move(infos));
        g.setImportedInputs(id, std::move(inputs), std::move(control));
        return id;
    }
    Output constant(std::string_view name, Tensor value)
    {
        DType t = value.dtype();
        return {node(name, "Const", {}, attrs({{"value", AttrValue::tensor(std::move(value))}}), {t}), 0};
    }
    Output enter(std::string_view name, Output x, bool isConstant, DType t = DType::Int32)
    {
        return {node(name, "Enter", {x},
                     attrs({{"frame_name", AttrValue::string("while/while_context")},
                            {"is_constant", AttrValue::boolean(isConstant)}}),
                     {t}),
                0};
    }
};

/// while i < n: i = i + step, s = s + i (a two-variable loop); returns the Exits (i, s).
std::pair<Output, Output> countingLoop(FlowGraph& f, Output n, Output step)
{
    Output i0 = f.constant("i", Tensor::scalar<int32_t>(0));
    Output s0 = f.constant("s", Tensor::scalar<int32_t>(0));
    Output ei = f.enter("while/Enter", i0, false), es = f.enter("while/Enter_1", s0, false);
    Output en = f.enter("while/Less/Enter", n, true), est = f.enter("while/add/Enter", step, true);
    // Merge's second input (the NextIteration) is set once it exists.
    OpId mi = f.node("while/Merge", "Merge", {ei, ei}, {}, {DType::Int32, DType::Int32});
    OpId ms = f.node("while/Merge_1", "Merge", {es, es}, {}, {DType::Int32, DType::Int32});
    Output less{f.node("while/Less", "Less", {{mi, 0}, en}, {}, {DType::Bool}), 0};
    Output cond{f.node("while/LoopCond", "LoopCond", {less}, {}, {DType::Bool}), 0};
    OpId si = f.node("while/Switch", "Switch", {{mi, 0}, cond}, {}, {DType::Int32, DType::Int32});
    OpId ss = f.node("while/Switch_1", "Switch", {{ms, 0}, cond}, {}, {DType::Int32, DType::Int32});
    Output ii{f.node("while/Identity", "Identity", {{si, 1}}), 0};
    Output is{f.node("while/Identity_1", "Identity", {{ss, 1}}), 0};
    Output ni{f.node("while/add", "Add", {ii, est}), 0};
    Output ns{f.node("while/add_1", "Add", {is, ni}), 0};
    OpId nxi = f.node("while/NextIteration", "NextIteration", {ni});
    OpId nxs = f.node("while/NextIteration_1", "NextIteration", {ns});
    f.g.setImportedInputs(mi, {ei, {nxi, 0}}, {});
    f.g.setImportedInputs(ms, {es, {nxs, 0}}, {});
    return {{f.node("while/Exit", "Exit", {{si, 0}}), 0}, {f.node("while/Exit_1", "Exit", {{ss, 0}}), 0}};
}

} // namespace

void ExecTest::whileLoopRunsInFrames()
{
    // TF's while_loop(i < n, i += step; s += i) as Enter/Merge/Switch/LoopCond/NextIteration/Exit.
    // The step is an is_constant Enter: every iteration must see it, not only the first.
    struct Case {
        int n, step;
        double i, s;
    };
    for (const Case& c : {Case{10, 1, 10, 55}, Case{9, 3, 9, 3 + 6 + 9}}) {
        FlowGraph f;
        auto [i, s] = countingLoop(f, f.constant("n", Tensor::scalar<int32_t>(c.n)),
                                   f.constant("step", Tensor::scalar<int32_t>(c.step)));
        Session sess(f.g);
        std::vector<Tensor> out = sess.run({i, s});
        QCOMPARE(out[0].toDouble(0), c.i);
        QCOMPARE(out[1].toDouble(0), c.s);
        // The bound fed instead: the plan is reused, the values follow the feed.
        Output n{f.g.findOp("n")->id(), 0};
        QCOMPARE(sess.run({i}, {{n, Tensor::scalar<int32_t>(c.step * 2)}})[0].toDouble(0), c.step * 2.0);
        QCOMPARE(sess.run({s}, {{n, Tensor::scalar<int32_t>(0)}})[0].toDouble(0), 0.0); // no iteration at all
    }
}

void ExecTest::condForwardsLiveBranchOnly()
{
    // cond(p, x + 1, x * 10): Switch sends x to one branch; the other is dead and never runs.
    FlowGraph f;
    Output p{f.node("p", "Placeholder", {}, attrs({{"dtype", AttrValue::type(DType::Bool)}}), {DType::Bool}), 0};
    Output x = f.constant("x", Tensor::scalar<int32_t>(3));
    OpId sw = f.node("cond/Switch", "Switch", {x, p}, {}, {DType::Int32, DType::Int32});
    Output t{f.node("cond/add", "Add", {{sw, 1}, f.constant("cond/one", Tensor::scalar<int32_t>(1))}), 0};
    Output e{f.node("cond/mul", "Mul", {{sw, 0}, f.constant("cond/ten", Tensor::scalar<int32_t>(10))}), 0};
    OpId merge = f.node("cond/Merge", "Merge", {e, t}, {}, {DType::Int32, DType::Int32});
    Session sess(f.g);
    auto run = [&](bool pv) { return sess.run({{merge, 0}, {merge, 1}}, {{p, Tensor::scalar<bool>(pv)}}); };
    std::vector<Tensor> yes = run(true), no = run(false);
    QCOMPARE(yes[0].toDouble(0), 4.0);
    QCOMPARE(yes[1].toDouble(0), 1.0); // value_index: the true branch is Merge's input 1
    QCOMPARE(no[0].toDouble(0), 30.0);
    QCOMPARE(no[1].toDouble(0), 0.0);
    try {
        sess.run({t}, {{p, Tensor::scalar<bool>(false)}});
        QFAIL("expected InvalidArgumentError for a dead fetch");
    } catch (const InvalidArgumentError& err) {
        QVERIFY2(firstLine(err).starts_with("Retval[0] does not have value (cond/add:0 is dead"), err.what());
    }
    QCOMPARE(sess.run({t}, {{p, Tensor::scalar<bool>(true)}})[0].toDouble(0), 4.0); // usable after the error
}

void ExecTest::infiniteLoopCanBeCancelled()
{
    // while 0 < 1: a loop that never ends stops at the cancellation flag between ops.
    FlowGraph f;
    auto [i, s] = countingLoop(f, f.constant("n", Tensor::scalar<int32_t>(1)), f.constant("zero", Tensor::scalar<int32_t>(0)));
    Session sess(f.g);
    std::atomic<bool> cancel{false};
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        cancel.store(true);
    });
    try {
        sess.run({i}, {}, {}, exec::RunOptions{.cancelFlag = &cancel});
        stopper.join();
        QFAIL("expected CancelledError");
    } catch (const CancelledError& e) {
        stopper.join();
        QCOMPARE(firstLine(e), std::string("Run call was cancelled"));
    }
}

void ExecTest::seedDemoForward()
{
    Graph g;
    g.setSeed(2024);
    demo::SeedModel m = demo::buildSeedDemo(g, true);
    OpId init = ops::globalVariablesInitializer(g);
    Session s(g);
    s.run({}, {}, {init});
    Tensor x = randomTensor(DType::Float, {128, demo::kSeedInputs}, 0, 1, 31);
    Tensor labels = randomTensor(DType::Int64, {128}, 0, demo::kSeedClasses, 32);
    auto res = s.run({m.loss, m.accuracy}, {{m.x, x}, {m.labels, labels}});
    QCOMPARE(res[0].rank(), 0);
    const double loss = res[0].toDouble(0);
    QVERIFY2(std::fabs(loss - std::log(10.0)) < 0.5, std::to_string(loss).c_str());
    QVERIFY(res[1].toDouble(0) >= 0 && res[1].toDouble(0) <= 1);

    // The eval tower (my_net_1) shares the variables: same input, same hidden pre-activations.
    const Operation* train = g.findOp("my_net/MatMul");
    const Operation* eval = g.findOp("my_net_1/MatMul");
    QVERIFY(train && eval);
    auto towers = s.run({Output{train->id(), 0}, Output{eval->id(), 0}, m.logits, m.evalLogits},
                        {{m.x, x}, {m.xEval, x}});
    QCOMPARE(towers[0].dims(), (std::vector<int64_t>{128, 512}));
    QCOMPARE(values(towers[0]), values(towers[1]));
    QCOMPARE(values(towers[2]), values(towers[3]));
}

void ExecTest::seedDemoSummaries()
{
    Graph g;
    g.setSeed(7);
    demo::SeedModel m = demo::buildSeedDemo(g, true);
    QVERIFY(m.summaries.has_value());
    OpId init = ops::globalVariablesInitializer(g);
    Session s(g);
    s.run({}, {}, {init});
    Tensor x = randomTensor(DType::Float, {16, 64}, 0, 1, 41);
    Tensor labels = randomTensor(DType::Int64, {16}, 0, 10, 42);
    auto res = s.run({*m.summaries, m.loss}, {{m.x, x}, {m.labels, labels}});
    std::vector<DecodedValue> v;
    QVERIFY(decodeSummary(res[0].strings()[0], v));
    QCOMPARE(v.size(), size_t(5));
    QCOMPARE(v[0].tag, std::string("summary/loss"));
    QCOMPARE(double(v[0].simple), double(float(res[1].toDouble(0))));
    QCOMPARE(v[1].tag, std::string("summary/accuracy"));
    QCOMPARE(v[2].tag, std::string("summary/weights"));
    QCOMPARE(v[2].num, double(64 * 512));
    QCOMPARE(v[3].tag, std::string("summary/biases"));
    QCOMPARE(v[3].num, double(512));
    QCOMPARE(v[4].tag, std::string("summary/activations")); // my_net's Relu over the 16-row batch
    QCOMPARE(v[4].num, double(16 * 512));
}

QTEST_GUILESS_MAIN(ExecTest)
#include "exec_test.moc"
