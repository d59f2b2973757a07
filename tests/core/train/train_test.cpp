// Tests of core/train (gradients, optimizers), the training kernels and the
// seed demo's training. Names pinned here follow TensorFlow 1.15; where a name
// comes from a docs/scoping.md rule the section is given (§3 uniquification, §6
// op naming, §9.7 variable ops).
#include "core/demo/seed_demo.h"
#include "core/demo/seed_run.h"
#include "core/demo/seed_training.h"
#include "core/exec/fusion.h"
#include "core/exec/session.h"
#include "core/ops/get_variable.h"
#include "core/ops/ops.h"
#include "core/scope/variable_scope.h"
#include "core/train/gradients.h"
#include "core/train/optimizers.h"
#include "core/util/error.h"

#include <Eigen/Core>
#include <QtTest>

#include <cmath>
#include <functional>
#include <random>
#include <sstream>

using namespace scopeviz;

namespace {

using Mat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

Tensor randomTensor(std::vector<int64_t> dims, std::mt19937_64& rng, double lo = -1, double hi = 1,
                    DType t = DType::Double)
{
    std::uniform_real_distribution<double> u(lo, hi);
    Tensor out(t, std::move(dims));
    for (int64_t i = 0; i < out.numElements(); ++i) {
        if (t == DType::Double)
            out.data<double>()[i] = u(rng);
        else
            out.data<float>()[i] = float(u(rng));
    }
    return out;
}

/// Values drawn from `choices` (distinct, so max/min/relu have no ties or kinks).
Tensor spacedTensor(std::vector<int64_t> dims, std::mt19937_64& rng, double scale = 1.0)
{
    Tensor out(DType::Double, std::move(dims));
    std::vector<double> v(size_t(out.numElements()));
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = scale * (double(i) - double(v.size()) / 2 + 0.37);
    std::shuffle(v.begin(), v.end(), rng);
    std::copy(v.begin(), v.end(), out.data<double>());
    return out;
}

/// sess.run(None, feeds, targets) (a braced empty fetch list is ambiguous with the RunOptions overload).
void runTargets(exec::Session& s, const std::vector<OpId>& targets, const std::vector<std::pair<Output, Tensor>>& feeds = {})
{
    s.run(std::vector<Output>{}, feeds, targets);
}

const Operation* op(const Graph& g, const char* name) { return g.findOp(name); }

/// d(sum(y * w))/dx for each x, by gradients() and by central differences in float64.
///
/// `inputs` are placeholders of fully known shape with their values; `y` must
/// be float64. The weights w are random so every element of y matters.
void checkGradient(Graph& g, Output y, const std::vector<std::pair<Output, Tensor>>& inputs,
                   const std::vector<std::pair<Output, Tensor>>& fixed = {}, double tol = 1e-6, double h = 1e-5)
{
    std::mt19937_64 rng(99);
    const Shape ys = g.info(y).shape;
    QVERIFY2(ys.isFullyDefined(), "checkGradient needs a fully defined y");
    Tensor w = randomTensor(ys.dims(), rng, 0.5, 1.5);
    Output loss = ops::reduceSum(g, ops::multiply(g, y, ops::constant(g, w)));
    std::vector<Output> xs;
    for (const auto& [x, v] : inputs)
        xs.push_back(x);
    train::GradientList grads = train::gradients(g, {loss}, xs);
    exec::Session s(g);
    std::vector<Output> fetch;
    for (size_t i = 0; i < grads.size(); ++i) {
        QVERIFY2(grads[i].has_value(), qPrintable(QString("no gradient for input %1").arg(i)));
        fetch.push_back(*grads[i]);
    }
    std::vector<std::pair<Output, Tensor>> all = inputs;
    all.insert(all.end(), fixed.begin(), fixed.end());
    std::vector<Tensor> analytic = s.run(fetch, all);
    for (size_t i = 0; i < inputs.size(); ++i) {
        Tensor base = inputs[i].second;
        QCOMPARE(analytic[i].dims(), base.dims());
        for (int64_t k = 0; k < base.numElements(); ++k) {
            auto lossAt = [&](double delta) {
                std::vector<std::pair<Output, Tensor>> feeds = all;
                Tensor t = base.clone();
                if (t.dtype() == DType::Double)
                    t.data<double>()[k] += delta;
                else
                    t.data<float>()[k] += float(delta);
                feeds[i].second = t;
                return s.run({loss}, feeds)[0].toDouble(0);
            };
            const double numeric = (lossAt(h) - lossAt(-h)) / (2 * h);
            const double got = analytic[i].toDouble(k);
            const double err = std::abs(numeric - got) / std::max(1.0, std::abs(numeric));
            if (err > tol)
                QFAIL(qPrintable(QString("input %1 element %2: gradients() %3, finite difference %4")
                                     .arg(i)
                                     .arg(k)
                                     .arg(got, 0, 'g', 10)
                                     .arg(numeric, 0, 'g', 10)));
        }
    }
}

Output placeholder(Graph& g, std::vector<int64_t> dims, const char* name = "", DType t = DType::Double)
{
    return ops::placeholder(g, t, Shape(std::move(dims)), name);
}

/// The seed model's gradient of the loss w.r.t. my_net/weights, computed by hand.
MatF seedWeightsGradient(const MatF& x, const std::vector<int64_t>& labels, const MatF& w1, const MatF& b1,
                         const MatF& w2, const MatF& b2)
{
    MatF pre = (x * w1).rowwise() + b1.row(0);
    MatF h = pre.cwiseMax(0.f);
    MatF logits = (h * w2).rowwise() + b2.row(0);
    MatF p(logits.rows(), logits.cols());
    for (int r = 0; r < logits.rows(); ++r) {
        Eigen::RowVectorXf e = (logits.row(r).array() - logits.row(r).maxCoeff()).exp();
        p.row(r) = e / e.sum();
        p(r, labels[size_t(r)]) -= 1.f;
    }
    p /= float(x.rows());
    MatF dh = (p * w2.transpose()).cwiseProduct((pre.array() > 0.f).cast<float>().matrix());
    return x.transpose() * dh;
}

MatF toMat(const Tensor& t)
{
    return Eigen::Map<const MatF>(t.data<float>(), t.rank() == 2 ? t.dim(0) : 1,
                                  t.rank() == 2 ? t.dim(1) : t.numElements());
}

} // namespace

class TrainTest : public QObject {
    Q_OBJECT

private slots:
    // ---- every gradient rule against finite differences (float64) ----

    void matMulGradient_data()
    {
        QTest::addColumn<bool>("ta");
        QTest::addColumn<bool>("tb");
        QTest::newRow("a*b") << false << false;
        QTest::newRow("a*b^T") << false << true;
        QTest::newRow("a^T*b") << true << false;
        QTest::newRow("a^T*b^T") << true << true;
    }
    void matMulGradient()
    {
        QFETCH(bool, ta);
        QFETCH(bool, tb);
        Graph g;
        std::mt19937_64 rng(1);
        std::vector<int64_t> da = ta ? std::vector<int64_t>{4, 3} : std::vector<int64_t>{3, 4};
        std::vector<int64_t> db = tb ? std::vector<int64_t>{5, 4} : std::vector<int64_t>{4, 5};
        Output a = placeholder(g, da, "a"), b = placeholder(g, db, "b");
        Output y = ops::matmul(g, a, b, ta, tb);
        checkGradient(g, y, {{a, randomTensor(da, rng)}, {b, randomTensor(db, rng)}});
    }

    void binaryGradient_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QList<qint64>>("xShape");
        QTest::addColumn<QList<qint64>>("yShape");
        const QList<qint64> s34{3, 4}, s4{4}, s31{3, 1}, s14{1, 4}, scalar{};
        for (const char* t : {"Add", "AddV2", "Sub", "Mul", "RealDiv", "SquaredDifference", "Maximum", "Minimum"}) {
            QTest::newRow(qPrintable(QString("%1 same").arg(t))) << QString(t) << s34 << s34;
            QTest::newRow(qPrintable(QString("%1 row").arg(t))) << QString(t) << s34 << s4;
            QTest::newRow(qPrintable(QString("%1 outer").arg(t))) << QString(t) << s31 << s14;
            QTest::newRow(qPrintable(QString("%1 scalar").arg(t))) << QString(t) << scalar << s34;
        }
    }
    void binaryGradient()
    {
        QFETCH(QString, type);
        QFETCH(QList<qint64>, xShape);
        QFETCH(QList<qint64>, yShape);
        Graph g;
        std::mt19937_64 rng(2);
        std::vector<int64_t> dx(xShape.begin(), xShape.end()), dy(yShape.begin(), yShape.end());
        Output x = placeholder(g, dx, "x"), y = placeholder(g, dy, "y");
        Output out{ops::apply(g, type.toStdString(), "", {{"x", x}, {"y", y}}), 0};
        // Distinct values keep Maximum/Minimum away from ties; y stays away from 0 for RealDiv.
        Tensor vx = spacedTensor(dx, rng, 0.3);
        Tensor vy = spacedTensor(dy, rng, 0.29);
        if (type == "RealDiv")
            for (int64_t i = 0; i < vy.numElements(); ++i)
                vy.data<double>()[i] = 1.5 + std::abs(vy.data<double>()[i]);
        checkGradient(g, out, {{x, vx}, {y, vy}});
    }

    void unaryGradient_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<double>("lo");
        QTest::addColumn<double>("hi");
        QTest::newRow("Relu") << "Relu" << -1.0 << 1.0;
        QTest::newRow("Sigmoid") << "Sigmoid" << -2.0 << 2.0;
        QTest::newRow("Tanh") << "Tanh" << -2.0 << 2.0;
        QTest::newRow("Softmax") << "Softmax" << -2.0 << 2.0;
        QTest::newRow("LogSoftmax") << "LogSoftmax" << -2.0 << 2.0;
        QTest::newRow("Exp") << "Exp" << -1.0 << 1.0;
        QTest::newRow("Log") << "Log" << 0.5 << 2.0;
        QTest::newRow("Sqrt") << "Sqrt" << 0.5 << 2.0;
        QTest::newRow("Rsqrt") << "Rsqrt" << 0.5 << 2.0;
        QTest::newRow("Reciprocal") << "Reciprocal" << 0.5 << 2.0;
        QTest::newRow("Square") << "Square" << -2.0 << 2.0;
        QTest::newRow("Neg") << "Neg" << -2.0 << 2.0;
        QTest::newRow("Abs") << "Abs" << -2.0 << 2.0;
        QTest::newRow("Identity") << "Identity" << -2.0 << 2.0;
    }
    void unaryGradient()
    {
        QFETCH(QString, type);
        QFETCH(double, lo);
        QFETCH(double, hi);
        Graph g;
        std::mt19937_64 rng(3);
        Output x = placeholder(g, {3, 5}, "x");
        const char* arg = (type == "Relu" || type == "Sigmoid" || type == "Tanh" || type == "Exp" || type == "Log" ||
                           type == "Sqrt" || type == "Rsqrt" || type == "Reciprocal")
                              ? "features"
                              : type == "Softmax" || type == "LogSoftmax" ? "logits"
                              : type == "Identity"                        ? "input"
                                                                          : "x";
        Output y{ops::apply(g, type.toStdString(), "", {{arg, x}}), 0};
        Tensor v = randomTensor({3, 5}, rng, lo, hi);
        if (type == "Relu" || type == "Abs") // keep clear of the kink at 0
            for (int64_t i = 0; i < v.numElements(); ++i)
                v.data<double>()[i] += v.data<double>()[i] >= 0 ? 0.1 : -0.1;
        checkGradient(g, y, {{x, v}});
    }

    void biasAddGradient()
    {
        Graph g;
        std::mt19937_64 rng(4);
        Output x = placeholder(g, {4, 3}, "x"), b = placeholder(g, {3}, "b");
        Output y = ops::biasAdd(g, x, b);
        checkGradient(g, y, {{x, randomTensor({4, 3}, rng)}, {b, randomTensor({3}, rng)}});
        QVERIFY(op(g, "gradients/BiasAdd_grad/BiasAddGrad"));
    }

    // ---- fused dense layers (core/exec/fusion.cpp) ----

    void denseLayerGradientMatchesFiniteDifferences()
    {
        // relu(x W + b) with `+` (AddV2) and with BiasAdd: the Session runs the bias + Relu
        // and ReluGrad + bias-gradient fusions here (checked below), and the gradients they
        // give must match finite differences of the forward pass.
        for (bool biasAddOp : {false, true}) {
            Graph g;
            std::mt19937_64 rng(21);
            Output x = placeholder(g, {4, 3}, "x"), w = placeholder(g, {3, 5}, "w"), b = placeholder(g, {5}, "b");
            Output mm = ops::matmul(g, x, w);
            Output y = ops::relu(g, biasAddOp ? ops::biasAdd(g, mm, b) : ops::plus(g, mm, b));
            Tensor bv = randomTensor({5}, rng);
            for (int64_t i = 0; i < 5; ++i) // keep pre-activations clear of the kink at 0
                bv.data<double>()[i] += bv.data<double>()[i] >= 0 ? 2.0 : -2.0;
            checkGradient(g, y, {{x, randomTensor({4, 3}, rng, -0.5, 0.5)}, {w, randomTensor({3, 5}, rng, -0.5, 0.5)},
                                 {b, bv}});
            // The patterns are found in this graph (its ops in creation order are topological).
            std::vector<OpId> order;
            for (OpId id = 0; id < g.numOps(); ++id)
                order.push_back(id);
            const exec::detail::FusionPlan plan =
                exec::detail::planFusions(g, order, [](Output) { return false; }, [](Output) { return false; });
            QStringList fused;
            for (const exec::detail::FusedStep& f : plan.steps)
                fused << QString::fromStdString(std::string(g.op(f.op).name()));
            QVERIFY2(fused.contains("Relu"), qPrintable(fused.join(", ")));
            QVERIFY2(fused.contains("gradients/Relu_grad/ReluGrad"), qPrintable(fused.join(", ")));
            QVERIFY2(fused.contains(biasAddOp ? "gradients/BiasAdd_grad/BiasAddGrad" : "gradients/add_grad/Sum_1"),
                     qPrintable(fused.join(", ")));
            QCOMPARE(plan.dropped.size(), size_t(1));
        }
    }

    void fusedTrainingMatchesPerOpKernels()
    {
        // The seed model's training step with fused kernels and with every op's own kernel
        // (the reference): same losses and weights after 20 steps, batch sizes 16 and 1
        // (where BroadcastGradientArgs reduces the bias side differently).
        for (bool biasAddOp : {false, true}) {
            Graph g;
            g.setSeed(3);
            Output x = ops::placeholder(g, DType::Float, Shape{-1, 8}, "x");
            Output labels = ops::placeholder(g, DType::Int64, Shape{-1}, "labels");
            Variable w1 = getVariable(g, "w1", {8, 32}, DType::Float, initializers::truncatedNormal(0, 0.3));
            Variable b1 = getVariable(g, "b1", {32}, DType::Float, initializers::constant(0.05));
            Variable w2 = getVariable(g, "w2", {32, 4}, DType::Float, initializers::truncatedNormal(0, 0.3));
            Output mm = ops::matmul(g, x, w1.value());
            Output h = ops::relu(g, biasAddOp ? ops::biasAdd(g, mm, b1.value()) : ops::plus(g, mm, b1.value()));
            Output loss =
                ops::reduceMean(g, ops::sparseSoftmaxCrossEntropyWithLogits(g, labels, ops::matmul(g, h, w2.value())));
            OpId trainOp = train::GradientDescentOptimizer(0.3).minimize(g, loss);
            OpId init = ops::globalVariablesInitializer(g);
            exec::Session fused(g), plain(g, exec::SessionOptions{.fuseOps = false});
            runTargets(fused, {init});
            runTargets(plain, {init});
            std::mt19937_64 rng(8);
            for (int step = 0; step < 20; ++step) {
                const int64_t batch = step % 5 == 4 ? 1 : 16;
                Tensor xv = randomTensor({batch, 8}, rng, -1, 1, DType::Float);
                Tensor lv(DType::Int64, {batch});
                for (int64_t i = 0; i < batch; ++i)
                    lv.data<int64_t>()[i] = int64_t(rng() % 4);
                const std::vector<std::pair<Output, Tensor>> feeds = {{x, xv}, {labels, lv}};
                const double a = fused.run({loss}, feeds, {trainOp})[0].toDouble(0);
                const double r = plain.run({loss}, feeds, {trainOp})[0].toDouble(0);
                if (!biasAddOp)
                    QCOMPARE(a, r); // the Sum's own summation order: identical
                else // BiasAddGrad adds four rows at a time: the same sums up to float rounding
                    QVERIFY2(std::abs(a - r) <= 1e-5 * std::abs(r), qPrintable(QString("step %1: %2 vs %3").arg(step).arg(a).arg(r)));
            }
            for (const Variable& v : {w1, b1, w2}) {
                Tensor a = fused.variableValue(v.info().op), r = plain.variableValue(v.info().op);
                for (int64_t i = 0; i < a.numElements(); ++i)
                    if (!biasAddOp)
                        QCOMPARE(a.toDouble(i), r.toDouble(i));
                    else
                        QVERIFY(std::abs(a.toDouble(i) - r.toDouble(i)) <= 1e-5 * std::max(1.0, std::abs(r.toDouble(i))));
            }
        }
    }

    void reductionGradient_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QList<qint64>>("axes"); // empty = all axes
        QTest::addColumn<bool>("keepDims");
        for (const char* t : {"Sum", "Mean", "Max"}) {
            QTest::newRow(qPrintable(QString("%1 all").arg(t))) << QString(t) << QList<qint64>{} << false;
            QTest::newRow(qPrintable(QString("%1 axis 0").arg(t))) << QString(t) << QList<qint64>{0} << false;
            QTest::newRow(qPrintable(QString("%1 axis -1 keep").arg(t))) << QString(t) << QList<qint64>{-1} << true;
            QTest::newRow(qPrintable(QString("%1 axes 0,2").arg(t))) << QString(t) << QList<qint64>{0, 2} << false;
        }
    }
    void reductionGradient()
    {
        QFETCH(QString, type);
        QFETCH(QList<qint64>, axes);
        QFETCH(bool, keepDims);
        Graph g;
        std::mt19937_64 rng(5);
        Output x = placeholder(g, {2, 3, 4}, "x");
        std::optional<std::vector<int64_t>> ax;
        if (!axes.isEmpty())
            ax = std::vector<int64_t>(axes.begin(), axes.end());
        Output y = type == "Sum"    ? ops::reduceSum(g, x, ax, keepDims)
                   : type == "Mean" ? ops::reduceMean(g, x, ax, keepDims)
                                    : Output{ops::apply(g, "Max", "",
                                                        {{"input", x},
                                                         {"reduction_indices",
                                                          ops::Input::ints(ax ? *ax : std::vector<int64_t>{0, 1, 2})}},
                                                        AttrList{{Symbol("keep_dims"), AttrValue::boolean(keepDims)}},
                                                        DType::Int32),
                                             0};
        checkGradient(g, y, {{x, spacedTensor({2, 3, 4}, rng, 0.1)}});
    }

    void meanOverUnknownBatchGradient()
    {
        // The seed model's pattern: reduce_mean of a [?] vector takes the Shape/Prod path.
        Graph g;
        Output x = ops::placeholder(g, DType::Double, Shape{-1}, "x");
        Output y = ops::reduceMean(g, ops::square(g, x));
        auto grads = train::gradients(g, {y}, {x});
        exec::Session s(g);
        Tensor v = Tensor::fromVector<double>({1, 2, 3, 4}, {4});
        Tensor gx = s.run({*grads[0]}, {{x, v}})[0];
        for (int i = 0; i < 4; ++i)
            QCOMPARE(gx.data<double>()[i], 2.0 * (i + 1) / 4.0);
        for (const char* name : {"gradients/Mean_grad/Shape_1", "gradients/Mean_grad/Prod", "gradients/Mean_grad/Prod_1",
                                 "gradients/Mean_grad/floordiv", "gradients/Mean_grad/Cast",
                                 "gradients/Mean_grad/truediv", "gradients/Mean_grad/Tile"})
            QVERIFY2(op(g, name), name);
    }

    void shapeGradients()
    {
        Graph g;
        std::mt19937_64 rng(6);
        Output x = placeholder(g, {3, 4}, "x");
        Output r = ops::reshape(g, x, ops::Input::ints({2, 6}));
        Output e{ops::apply(g, "ExpandDims", "", {{"input", r}, {"dim", 1}}, {}, DType::Int32), 0};
        checkGradient(g, e, {{x, randomTensor({3, 4}, rng)}});
    }

    void addNGradientWithRepeatedInput()
    {
        Graph g;
        std::mt19937_64 rng(7);
        Output a = placeholder(g, {2, 3}, "a"), b = placeholder(g, {2, 3}, "b");
        Output y{g.createOp("AddN", "AddN", {a, b, a}), 0};
        checkGradient(g, y, {{a, randomTensor({2, 3}, rng)}, {b, randomTensor({2, 3}, rng)}});
        QVERIFY(op(g, "gradients/AddN")); // a's two contributions are summed
    }

    void castGradient()
    {
        Graph g;
        std::mt19937_64 rng(8);
        Output x = placeholder(g, {2, 3}, "x", DType::Float);
        Output y = ops::cast(g, x, DType::Double);
        // Linear in x: float32 inputs with a large step are still exact enough.
        checkGradient(g, y, {{x, randomTensor({2, 3}, rng, -1, 1, DType::Float)}}, {}, 1e-4, 0.25);
        QCOMPARE(g.findOp("gradients/Cast_grad/Cast")->type(), std::string("Cast"));
    }

    void selectAndFillGradients()
    {
        Graph g;
        std::mt19937_64 rng(9);
        Output c = ops::placeholder(g, DType::Bool, Shape{2, 3}, "c");
        Output t = placeholder(g, {2, 3}, "t"), e = placeholder(g, {2, 3}, "e");
        Output sel{ops::apply(g, "Select", "", {{"condition", c}, {"t", t}, {"e", e}}), 0};
        Output v = placeholder(g, {}, "v");
        Output filled = ops::fill(g, ops::Input::ints({2, 3}), v);
        Output y = ops::plus(g, sel, filled);
        Tensor cond = Tensor::fromVector<bool>({true, false, true, true, false, false}, {2, 3});
        checkGradient(g, y,
                      {{t, randomTensor({2, 3}, rng)},
                       {e, randomTensor({2, 3}, rng)},
                       {v, Tensor::scalar<double>(0.5)}},
                      {{c, cond}});
    }

    void crossEntropyGradients()
    {
        Graph g;
        std::mt19937_64 rng(10);
        Output logits = placeholder(g, {4, 5}, "logits");
        Output labels = ops::placeholder(g, DType::Int64, Shape{4}, "labels");
        Output sparse = ops::sparseSoftmaxCrossEntropyWithLogits(g, labels, logits);
        Output dense = placeholder(g, {4, 5}, "dense_labels");
        Output xent = ops::softmaxCrossEntropyWithLogitsV2(g, dense, logits);
        Output y = ops::plus(g, sparse, xent);
        Tensor lab = Tensor::fromVector<int64_t>({0, 3, 4, 1}, {4});
        Tensor soft = randomTensor({4, 5}, rng, 0.1, 1.0);
        // The kernel's backprop is softmax - labels, exact for label rows that sum to 1 (as in TF).
        for (int r = 0; r < 4; ++r) {
            double sum = 0;
            for (int k = 0; k < 5; ++k)
                sum += soft.data<double>()[r * 5 + k];
            for (int k = 0; k < 5; ++k)
                soft.data<double>()[r * 5 + k] /= sum;
        }
        checkGradient(g, y, {{logits, randomTensor({4, 5}, rng, -2, 2)}, {dense, soft}}, {{labels, lab}});
        QVERIFY(op(g, "gradients/SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits_grad/"
                      "PreventGradient"));
        QVERIFY(op(g, "gradients/softmax_cross_entropy_with_logits/softmax_cross_entropy_with_logits_grad/"
                      "LogSoftmax"));
    }

    void sharedVariableGetsBothTowersGradients()
    {
        // A variable used by two towers (variable_scope reuse) receives the sum of both.
        Graph g;
        std::mt19937_64 rng(11);
        Output x1 = placeholder(g, {2, 3}, "x1"), x2 = placeholder(g, {5, 3}, "x2");
        auto tower = [&](Output x, Reuse reuse) {
            VariableScope vs(g, "tower", reuse);
            GetVariableOptions o;
            o.dtype = DType::Double;
            o.initialValue = randomTensor({3, 4}, rng);
            Variable w = getVariable(g, "w", o);
            return ops::matmul(g, x, w);
        };
        Output y1 = tower(x1, Reuse::False), y2 = tower(x2, Reuse::True);
        QCOMPARE(g.variables().size(), size_t(1));
        Variable w{&g, 0};
        Tensor w1 = randomTensor({2, 4}, rng), w2 = randomTensor({5, 4}, rng);
        Output loss = ops::plus(g, ops::reduceSum(g, ops::multiply(g, y1, ops::constant(g, w1))),
                                ops::reduceSum(g, ops::multiply(g, y2, ops::constant(g, w2))));
        auto grads = train::gradients(g, {loss}, {w.ref()});
        QVERIFY(grads[0]);
        QCOMPARE(g.op(grads[0]->op).name(), std::string_view("gradients/AddN"));
        exec::Session s(g);
        runTargets(s, {w.initializer()});
        Tensor v1 = randomTensor({2, 3}, rng), v2 = randomTensor({5, 3}, rng);
        Tensor got = s.run({*grads[0]}, {{x1, v1}, {x2, v2}})[0];
        Mat expect = Eigen::Map<const Mat>(v1.data<double>(), 2, 3).transpose() *
                         Eigen::Map<const Mat>(w1.data<double>(), 2, 4) +
                     Eigen::Map<const Mat>(v2.data<double>(), 5, 3).transpose() *
                         Eigen::Map<const Mat>(w2.data<double>(), 5, 4);
        QVERIFY((Eigen::Map<const Mat>(got.data<double>(), 3, 4) - expect).cwiseAbs().maxCoeff() < 1e-12);
        // And numerically, by perturbing the variable itself.
        Tensor base = s.variableValue(w.info().op);
        for (int k = 0; k < 12; ++k) {
            auto at = [&](double d) {
                Tensor t = base.clone();
                t.data<double>()[k] += d;
                s.setVariableValue(w.info().op, t);
                return s.run({loss}, {{x1, v1}, {x2, v2}})[0].toDouble(0);
            };
            const double numeric = (at(1e-5) - at(-1e-5)) / 2e-5;
            QVERIFY(std::abs(numeric - got.data<double>()[k]) < 1e-6);
        }
    }

    void unconnectedAndNonDifferentiable()
    {
        Graph g;
        Output x = placeholder(g, {3}, "x"), z = placeholder(g, {3}, "z");
        Output y = ops::reduceSum(g, ops::square(g, x));
        auto grads = train::gradients(g, {y}, {x, z});
        QVERIFY(grads[0]);
        QVERIFY(!grads[1]); // z does not affect y
        // An op on the path with no rule: TF's LookupError text.
        Graph g2;
        Output a = placeholder(g2, {3}, "a");
        Output p = ops::reduceSum(g2, Output{g2.createOp("Prod", "", {a, ops::constant(g2, Tensor::scalar<int32_t>(0))}), 0});
        try {
            train::gradients(g2, {p}, {a});
            QFAIL("expected LookupError");
        } catch (const train::LookupError& e) {
            QCOMPARE(QString(e.what()), QString("No gradient defined for operation 'Prod' (op type: Prod)"));
        }
        // Integer paths carry no gradient (ArgMax is not differentiable).
        Graph g3;
        Output b = placeholder(g3, {2, 3}, "b");
        Output am = ops::cast(g3, ops::argmax(g3, b, 1), DType::Double);
        auto none = train::gradients(g3, {ops::reduceSum(g3, am)}, {b});
        QVERIFY(!none[0]);
    }

    void gradientScopesAreUniquified()
    {
        // §3: a second gradients() call opens gradients_1; default grad_ys names (§6.2).
        Graph g;
        Output x = placeholder(g, {3}, "x");
        Output y = ops::reduceSum(g, ops::square(g, x));
        train::gradients(g, {y}, {x});
        train::gradients(g, {y}, {x});
        QCOMPARE(g.findOp("gradients/Shape")->type(), std::string("Const")); // y's shape is fully known
        QCOMPARE(g.findOp("gradients/grad_ys_0")->type(), std::string("Const"));
        QCOMPARE(g.findOp("gradients/Fill")->type(), std::string("Fill"));
        QVERIFY(op(g, "gradients_1/Fill"));
        QVERIFY(op(g, "gradients_1/Square_grad/Mul_1"));
        QVERIFY(g.nameInUse("gradients/uid"));
        // The Square rule runs under control_dependencies([grad]): Const gets ^grad, Mul does not.
        const Operation* c = op(g, "gradients/Square_grad/Const");
        QVERIFY(c);
        QCOMPARE(c->controlInputs().size(), size_t(1));
        QVERIFY(op(g, "gradients/Square_grad/Mul")->controlInputs().empty());
    }

    // ---- forward values of the shape-arithmetic ops the gradients use ----

    void trainingOpsForward()
    {
        Graph g;
        auto i32 = [&](std::vector<int32_t> v) {
            return ops::constant(g, Tensor::fromVector<int32_t>(v, {int64_t(v.size())}));
        };
        auto vals = [](const Tensor& t) {
            std::vector<int64_t> r;
            for (int64_t i = 0; i < t.numElements(); ++i)
                r.push_back(int64_t(t.toDouble(i)));
            return r;
        };
        // BroadcastGradientArgs: TF's BCast reduction indices.
        OpId bga1 = g.createOp("BroadcastGradientArgs", "", {i32({2, 3, 4}), i32({3, 1})});
        OpId bga2 = g.createOp("BroadcastGradientArgs", "", {i32({1, 1}), i32({1, 1})});
        OpId bga3 = g.createOp("BroadcastGradientArgs", "", {i32({5, 1}), i32({1, 6})});
        // Tile, Range, DynamicStitch, FloorDiv/FloorMod on negative numbers, ExpandDims, Size.
        Output tile{g.createOp("Tile", "", {ops::constant(g, Tensor::fromVector<int32_t>({1, 2, 3, 4}, {2, 2})),
                                             i32({2, 1})}),
                    0};
        Output range{g.createOp("Range", "", {ops::constant(g, Tensor::scalar<int32_t>(1)),
                                               ops::constant(g, Tensor::scalar<int32_t>(8)),
                                               ops::constant(g, Tensor::scalar<int32_t>(3))}),
                     0};
        Output stitch{g.createOp("DynamicStitch", "", {i32({0, 2}), i32({1}), i32({10, 30}), i32({20})}), 0};
        Output fdiv{g.createOp("FloorDiv", "", {i32({7, -7, 7, -7}), i32({2, 2, -2, -2})}), 0};
        Output fmod{g.createOp("FloorMod", "", {i32({7, -7, 7, -7}), i32({2, 2, -2, -2})}), 0};
        Output size{g.createOp("Size", "", {tile}), 0};
        QCOMPARE(g.info(stitch).shape, (Shape{3}));
        QCOMPARE(g.info(range).shape, (Shape{3}));
        exec::Session s(g);
        std::vector<Tensor> r = s.run({{bga1, 0}, {bga1, 1}, {bga2, 0}, {bga2, 1}, {bga3, 0}, {bga3, 1}, tile, range,
                                       stitch, fdiv, fmod, size});
        QCOMPARE(vals(r[0]), (std::vector<int64_t>{}));
        QCOMPARE(vals(r[1]), (std::vector<int64_t>{0, 2}));
        QCOMPARE(vals(r[2]), (std::vector<int64_t>{})); // identical shapes: nothing to reduce
        QCOMPARE(vals(r[3]), (std::vector<int64_t>{}));
        QCOMPARE(vals(r[4]), (std::vector<int64_t>{1}));
        QCOMPARE(vals(r[5]), (std::vector<int64_t>{0}));
        QCOMPARE(r[6].dims(), (std::vector<int64_t>{4, 2}));
        QCOMPARE(vals(r[6]), (std::vector<int64_t>{1, 2, 3, 4, 1, 2, 3, 4}));
        QCOMPARE(vals(r[7]), (std::vector<int64_t>{1, 4, 7}));
        QCOMPARE(vals(r[8]), (std::vector<int64_t>{10, 20, 30}));
        QCOMPARE(vals(r[9]), (std::vector<int64_t>{3, -4, -4, 3}));
        QCOMPARE(vals(r[10]), (std::vector<int64_t>{1, 1, -1, -1}));
        QCOMPARE(vals(r[11]), (std::vector<int64_t>{8}));
        // Incompatible shapes fail at run time with TF's text.
        OpId bad = g.createOp("BroadcastGradientArgs", "", {i32({2, 3}), i32({4})});
        try {
            s.run({{bad, 0}});
            QFAIL("expected InvalidArgumentError");
        } catch (const InvalidArgumentError& e) {
            QVERIFY2(QString(e.what()).startsWith("Incompatible shapes: [2,3] vs. [4]"), e.what());
        }
    }

    // ---- names of the seed model's gradients and optimizers ----

    void seedGradientNames()
    {
        Graph g;
        demo::SeedModel m = demo::buildSeedDemo(g);
        train::GradientDescentOptimizer opt(0.1);
        Variable step = train::getOrCreateGlobalStep(g);
        OpId trainOp = opt.minimize(g, m.loss, step);
        const char* expected[][2] = {
            {"gradients/Shape", "Const"},
            {"gradients/grad_ys_0", "Const"},
            {"gradients/Fill", "Fill"},
            {"gradients/Mean_grad/Reshape/shape", "Const"},
            {"gradients/Mean_grad/Reshape", "Reshape"},
            {"gradients/Mean_grad/Shape", "Shape"},
            {"gradients/Mean_grad/Tile", "Tile"},
            {"gradients/Mean_grad/Shape_1", "Shape"},
            {"gradients/Mean_grad/Shape_2", "Const"},
            {"gradients/Mean_grad/Const", "Const"},
            {"gradients/Mean_grad/Prod", "Prod"},
            {"gradients/Mean_grad/Const_1", "Const"},
            {"gradients/Mean_grad/Prod_1", "Prod"},
            {"gradients/Mean_grad/Maximum/y", "Const"},
            {"gradients/Mean_grad/Maximum", "Maximum"},
            {"gradients/Mean_grad/floordiv", "FloorDiv"},
            {"gradients/Mean_grad/Cast", "Cast"},
            {"gradients/Mean_grad/truediv", "RealDiv"},
            {"gradients/zeros_like", "ZerosLike"},
            {"gradients/SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits_grad/PreventGradient",
             "PreventGradient"},
            {"gradients/SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits_grad/ExpandDims/dim",
             "Const"},
            {"gradients/SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits_grad/ExpandDims",
             "ExpandDims"},
            {"gradients/SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits_grad/mul", "Mul"},
            {"gradients/head/add_grad/Shape", "Shape"},
            {"gradients/head/add_grad/Shape_1", "Const"},
            {"gradients/head/add_grad/BroadcastGradientArgs", "BroadcastGradientArgs"},
            {"gradients/head/add_grad/Sum", "Sum"},
            {"gradients/head/add_grad/Reshape", "Reshape"},
            {"gradients/head/add_grad/Sum_1", "Sum"},
            {"gradients/head/add_grad/Reshape_1", "Reshape"},
            {"gradients/head/add_grad/tuple/group_deps", "NoOp"},
            {"gradients/head/add_grad/tuple/control_dependency", "Identity"},
            {"gradients/head/add_grad/tuple/control_dependency_1", "Identity"},
            {"gradients/head/MatMul_grad/MatMul", "MatMul"},
            {"gradients/head/MatMul_grad/MatMul_1", "MatMul"},
            {"gradients/my_net/Relu_grad/ReluGrad", "ReluGrad"},
            {"gradients/my_net/add_grad/BroadcastGradientArgs", "BroadcastGradientArgs"},
            {"gradients/my_net/MatMul_grad/MatMul", "MatMul"},
            {"gradients/my_net/MatMul_grad/MatMul_1", "MatMul"},
            {"gradients/my_net/MatMul_grad/tuple/control_dependency_1", "Identity"},
            {"global_step", "VariableV2"},
            {"global_step/Initializer/zeros", "Const"},
            {"global_step/Assign", "Assign"},
            {"global_step/read", "Identity"},
            {"GradientDescent/learning_rate", "Const"},
            {"GradientDescent/update_my_net/weights/ApplyGradientDescent", "ApplyGradientDescent"},
            {"GradientDescent/update_my_net/biases/ApplyGradientDescent", "ApplyGradientDescent"},
            {"GradientDescent/update_head/weights/ApplyGradientDescent", "ApplyGradientDescent"},
            {"GradientDescent/update_head/biases/ApplyGradientDescent", "ApplyGradientDescent"},
            {"GradientDescent/update", "NoOp"},
            {"GradientDescent/value", "Const"},
            {"GradientDescent", "AssignAdd"},
        };
        for (const auto& [name, type] : expected) {
            const Operation* o = g.findOp(name);
            QVERIFY2(o, name);
            QCOMPARE(o->type(), std::string(type));
        }
        QCOMPARE(g.op(trainOp).name(), std::string_view("GradientDescent"));
        // The update of my_net/weights reads the gated MatMul_1 and is colocated with the variable.
        const Operation* apply = g.findOp("GradientDescent/update_my_net/weights/ApplyGradientDescent");
        QCOMPARE(g.op(apply->inputs()[2].op).name(),
                 std::string_view("gradients/my_net/MatMul_grad/tuple/control_dependency_1"));
        QCOMPARE(g.op(apply->inputs()[0].op).name(), std::string_view("my_net/weights"));
        QCOMPARE(apply->attrs().find("_class")->strings().at(0), std::string("loc:@my_net/weights"));
        // Only the training tower is differentiated: the reused tower gets no gradient ops.
        QVERIFY(!g.findOp("gradients/my_net_1/MatMul_grad/MatMul"));
        QVERIFY(!g.findOp("gradients/AddN"));
    }

    void seedMatMulGradientIsWeightsGradient()
    {
        // gradients/my_net/MatMul_grad/MatMul_1 computes d loss / d my_net/weights.
        Graph g;
        g.setSeed(3);
        demo::SeedModel m = demo::buildSeedDemo(g);
        train::gradients(g, {m.loss}, {m.weights.ref()});
        exec::Session s(g);
        runTargets(s, {ops::globalVariablesInitializer(g)});
        demo::SeedTrainingOptions o;
        demo::SeedDataset d = demo::makeSeedDataset(o);
        Tensor x = Tensor(DType::Float, {32, demo::kSeedInputs});
        std::copy_n(d.trainX.data<float>(), x.numElements(), x.data<float>());
        Tensor labels = Tensor(DType::Int64, {32});
        std::copy_n(d.trainY.data<int64_t>(), 32, labels.data<int64_t>());
        Output mm1{g.findOp("gradients/my_net/MatMul_grad/MatMul_1")->id(), 0};
        Tensor got = s.run({mm1}, {{m.x, x}, {m.labels, labels}})[0];
        std::vector<int64_t> lab(labels.data<int64_t>(), labels.data<int64_t>() + 32);
        MatF expect = seedWeightsGradient(toMat(x), lab, toMat(s.variableValue(m.weights.info().op)),
                                          toMat(s.variableValue(m.biases.info().op)),
                                          toMat(s.variableValue(m.headWeights.info().op)),
                                          toMat(s.variableValue(m.headBiases.info().op)));
        QCOMPARE(got.dims(), (std::vector<int64_t>{demo::kSeedInputs, demo::kSeedHidden}));
        const float err = (toMat(got) - expect).cwiseAbs().maxCoeff();
        QVERIFY2(err < 1e-5f * std::max(1.f, expect.cwiseAbs().maxCoeff()), qPrintable(QString::number(err)));
    }

    void momentumNames()
    {
        Graph g;
        demo::SeedModel m = demo::buildSeedDemo(g);
        train::MomentumOptimizer opt(0.01, 0.9);
        opt.minimize(g, m.loss, train::getOrCreateGlobalStep(g));
        const char* expected[][2] = {
            {"my_net/weights/Momentum", "VariableV2"},
            {"my_net/weights/Momentum/Initializer/zeros/shape_as_tensor", "Const"},
            {"my_net/weights/Momentum/Initializer/zeros/Const", "Const"},
            {"my_net/weights/Momentum/Initializer/zeros", "Fill"},
            {"my_net/weights/Momentum/Assign", "Assign"},
            {"my_net/weights/Momentum/read", "Identity"},
            {"my_net/biases/Momentum", "VariableV2"},
            {"head/weights/Momentum", "VariableV2"},
            {"head/biases/Momentum/Initializer/zeros", "Const"},
            {"Momentum/learning_rate", "Const"},
            {"Momentum/momentum", "Const"},
            {"Momentum/update_my_net/weights/ApplyMomentum", "ApplyMomentum"},
            {"Momentum/update", "NoOp"},
            {"Momentum/value", "Const"},
            {"Momentum", "AssignAdd"},
        };
        for (const auto& [name, type] : expected) {
            const Operation* o = g.findOp(name);
            QVERIFY2(o, name);
            QCOMPARE(o->type(), std::string(type));
        }
        QCOMPARE(opt.slot(m.weights, "momentum")->name(), std::string("my_net/weights/Momentum:0"));
        QCOMPARE(opt.slotNames(), std::vector<std::string>{"momentum"});
        // Slots are not trainable.
        for (const Output& v : g.collection("trainable_variables"))
            QVERIFY(g.op(v.op).name().find("Momentum") == std::string_view::npos);
    }

    void adamNames()
    {
        Graph g;
        demo::SeedModel m = demo::buildSeedDemo(g);
        train::AdamOptimizer opt(0.001);
        opt.minimize(g, m.loss, train::getOrCreateGlobalStep(g));
        const char* expected[][2] = {
            {"beta1_power", "VariableV2"},
            {"beta1_power/initial_value", "Const"},
            {"beta2_power", "VariableV2"},
            {"my_net/weights/Adam", "VariableV2"},
            {"my_net/weights/Adam_1", "VariableV2"},
            {"my_net/biases/Adam", "VariableV2"},
            {"my_net/biases/Adam_1", "VariableV2"},
            {"head/weights/Adam_1", "VariableV2"},
            {"Adam/learning_rate", "Const"},
            {"Adam/beta1", "Const"},
            {"Adam/beta2", "Const"},
            {"Adam/epsilon", "Const"},
            {"Adam/update_my_net/weights/ApplyAdam", "ApplyAdam"},
            {"Adam/update_head/biases/ApplyAdam", "ApplyAdam"},
            {"Adam/mul", "Mul"},
            {"Adam/Assign", "Assign"},
            {"Adam/mul_1", "Mul"},
            {"Adam/Assign_1", "Assign"},
            {"Adam/update", "NoOp"},
            {"Adam/value", "Const"},
            {"Adam", "AssignAdd"},
        };
        for (const auto& [name, type] : expected) {
            const Operation* o = g.findOp(name);
            QVERIFY2(o, name);
            QCOMPARE(o->type(), std::string(type));
        }
        QCOMPARE(opt.slot(m.weights, "m")->name(), std::string("my_net/weights/Adam:0"));
        QCOMPARE(opt.slot(m.weights, "v")->name(), std::string("my_net/weights/Adam_1:0"));
        // beta powers sit beside the first variable by name (head/biases).
        QCOMPARE(g.findOp("beta1_power")->attrs().find("_class")->strings().at(0), std::string("loc:@head/biases"));
        // The power updates wait for every ApplyAdam.
        QCOMPARE(g.findOp("Adam/mul")->controlInputs().size(), size_t(4));
    }

    void optimizerUpdatesMatchFormulas()
    {
        // One step of each optimizer on a tiny quadratic, checked against the formulas.
        for (int which = 0; which < 3; ++which) {
            Graph g;
            GetVariableOptions vo;
            vo.initialValue = Tensor::fromVector<float>({1.f, -2.f, 0.5f}, {3});
            Variable w = getVariable(g, "w", vo);
            Output target = ops::constant(g, Tensor::fromVector<float>({0.f, 1.f, 2.f}, {3}));
            Output loss = ops::reduceSum(g, ops::square(g, ops::minus(g, w.value(), target)));
            std::unique_ptr<train::Optimizer> opt;
            if (which == 0)
                opt = std::make_unique<train::GradientDescentOptimizer>(0.1);
            else if (which == 1)
                opt = std::make_unique<train::MomentumOptimizer>(0.1, 0.9);
            else
                opt = std::make_unique<train::AdamOptimizer>(0.1);
            OpId trainOp = opt->minimize(g, loss);
            exec::Session s(g);
            runTargets(s, {ops::globalVariablesInitializer(g)});
            const float t[3] = {0.f, 1.f, 2.f};
            float expect[3], accum[3] = {0, 0, 0};
            for (int stepNo = 0; stepNo < 2; ++stepNo) {
                Tensor cur = s.variableValue(w.info().op);
                for (int i = 0; i < 3; ++i) {
                    const float wi = cur.data<float>()[i], gi = 2 * (wi - t[i]);
                    if (which == 0) {
                        expect[i] = wi - 0.1f * gi;
                    } else if (which == 1) {
                        accum[i] = accum[i] * 0.9f + gi;
                        expect[i] = wi - 0.1f * accum[i];
                    } else {
                        // First Adam step moves each weight by lr * sign(g) (m/sqrt(v) = ±1 after bias correction).
                        expect[i] = stepNo == 0 ? wi - 0.1f * (gi > 0 ? 1.f : -1.f) : wi;
                    }
                }
                runTargets(s, {trainOp});
                Tensor after = s.variableValue(w.info().op);
                if (which == 2 && stepNo == 1)
                    break; // only the first Adam step has a closed form this simple
                for (int i = 0; i < 3; ++i)
                    QVERIFY2(std::abs(after.data<float>()[i] - expect[i]) < 1e-5f,
                             qPrintable(QString("optimizer %1 step %2 element %3: %4 vs %5")
                                            .arg(which)
                                            .arg(stepNo)
                                            .arg(i)
                                            .arg(after.data<float>()[i])
                                            .arg(expect[i])));
            }
            if (which == 2) {
                auto* adam = static_cast<train::AdamOptimizer*>(opt.get());
                QVERIFY(std::abs(s.variableValue(adam->beta1Power()->info().op).toDouble(0) - 0.9 * 0.9 * 0.9) < 1e-6);
            }
        }
    }

    void globalStepIsCreatedOnceAndIncremented()
    {
        Graph g;
        Variable a = train::getOrCreateGlobalStep(g);
        Variable b = train::getOrCreateGlobalStep(g);
        QVERIFY(a == b);
        QCOMPARE(a.info().dtype, DType::Int64);
        QVERIFY(!a.info().trainable);
        try {
            train::createGlobalStep(g);
            QFAIL("expected ValueError");
        } catch (const ValueError& e) {
            QCOMPARE(QString(e.what()), QString("\"global_step\" already exists."));
        }
    }

    void optimizerErrors()
    {
        Graph g;
        Output x = placeholder(g, {3}, "x", DType::Float);
        Output loss = ops::reduceSum(g, x);
        train::GradientDescentOptimizer opt(0.1);
        try {
            opt.minimize(g, loss);
            QFAIL("expected ValueError");
        } catch (const ValueError& e) {
            QCOMPARE(QString(e.what()), QString("No variables to optimize."));
        }
        GetVariableOptions vo;
        vo.initialValue = Tensor::fromVector<float>({1.f}, {1});
        getVariable(g, "unused", vo);
        try {
            opt.minimize(g, loss);
            QFAIL("expected ValueError");
        } catch (const ValueError& e) {
            QVERIFY(QString(e.what()).startsWith("No gradients provided for any variable, check your graph"));
        }
    }

    // ---- training the seed demo ----

    void seedDemoTrains()
    {
        demo::SeedTrainer trainer;
        double lastAcc = 0, firstLoss = 0, lastLoss = 0;
        for (int i = 0; i < 300; ++i) {
            demo::SeedStepResult r = trainer.step();
            QVERIFY(std::isfinite(r.loss));
            if (i == 0)
                firstLoss = r.loss;
            if (i >= 290) {
                lastAcc += r.accuracy / 10;
                lastLoss += r.loss / 10;
            }
            QCOMPARE(r.step, int64_t(i + 1));
        }
        const double evalAcc = trainer.evalAccuracy();
        qInfo("seed demo after 300 steps: loss %.4f -> %.4f, train accuracy %.3f, eval accuracy %.3f", firstLoss,
              lastLoss, lastAcc, evalAcc);
        QVERIFY(lastLoss < firstLoss);
        QVERIFY2(lastAcc >= 0.95, qPrintable(QString::number(lastAcc)));
        QVERIFY2(evalAcc >= 0.9, qPrintable(QString::number(evalAcc)));
    }

    void towersSeeTheSameWeightsAfterEveryUpdate()
    {
        demo::SeedTrainer trainer;
        const Graph& g = trainer.graph();
        const demo::SeedModel& m = trainer.model();
        // Both towers read my_net/weights through the one `my_net/weights/read` op.
        const Operation* mm0 = g.findOp("my_net/MatMul");
        const Operation* mm1 = g.findOp("my_net_1/MatMul");
        QCOMPARE(mm0->inputs()[1], mm1->inputs()[1]);
        QCOMPARE(g.op(mm1->inputs()[1].op).name(), std::string_view("my_net/weights/read"));
        Tensor xEval(DType::Float, {16, demo::kSeedInputs});
        std::copy_n(trainer.data().evalX.data<float>(), xEval.numElements(), xEval.data<float>());
        Tensor before = trainer.session().variableValue(m.weights.info().op);
        for (int i = 0; i < 5; ++i) {
            trainer.step();
            std::vector<Tensor> out =
                trainer.session().run({m.weights.value(), Output{mm1->id(), 0}}, {{m.xEval, xEval}});
            Tensor w = trainer.session().variableValue(m.weights.info().op);
            QVERIFY((toMat(out[0]) - toMat(w)).cwiseAbs().maxCoeff() == 0.f);
            QVERIFY((toMat(w) - toMat(before)).cwiseAbs().maxCoeff() > 0.f); // the update happened
            MatF expect = toMat(xEval) * toMat(w);
            QVERIFY((toMat(out[1]) - expect).cwiseAbs().maxCoeff() < 1e-4f);
            before = w;
        }
    }

    void seedTrainerSummariesAndOptimizers()
    {
        demo::SeedTrainingOptions o;
        o.summaries = true;
        o.optimizer = demo::SeedOptimizer::Adam;
        o.learningRate = 0.001;
        demo::SeedTrainer trainer(o);
        demo::SeedStepResult r = trainer.step();
        QVERIFY(!r.summary.empty());
        QVERIFY(r.summary.find("summary/loss") != std::string::npos);
        QVERIFY(trainer.graph().findOp("Adam"));
        double first = r.loss;
        for (int i = 0; i < 50; ++i)
            r = trainer.step();
        QVERIFY(r.loss < first);
        trainer.reset();
        QCOMPARE(trainer.globalStep(), int64_t(0));
    }

    // ---- run-time errors ----

    void runTimeErrorsNameTheOpAndKeepTheSession()
    {
        Graph g;
        GetVariableOptions vo;
        vo.initialValue = Tensor::fromVector<float>({1.f, 2.f, 3.f, 4.f}, {2, 2});
        Variable w = getVariable(g, "w", vo);
        Output delta = ops::placeholder(g, DType::Float, Shape(), "delta");
        OpId apply = ops::apply(g, "ApplyGradientDescent", "",
                                {{"var", w.ref()}, {"alpha", ops::constant(g, 0.5)}, {"delta", delta}});
        exec::Session s(g);
        // Uninitialized variable: FailedPrecondition naming the variable.
        try {
            runTargets(s, {apply}, {{delta, Tensor::filled(DType::Float, {2, 2}, 1)}});
            QFAIL("expected FailedPreconditionError");
        } catch (const FailedPreconditionError& e) {
            QVERIFY2(QString(e.what()).startsWith("Attempting to use uninitialized value w"), e.what());
        }
        runTargets(s, {w.initializer()});
        // Shape mismatch inside the update kernel: TF's text, the op's name.
        try {
            runTargets(s, {apply}, {{delta, Tensor::filled(DType::Float, {3}, 1)}});
            QFAIL("expected InvalidArgumentError");
        } catch (const InvalidArgumentError& e) {
            QCOMPARE(QString::fromStdString(e.opName()), QString("ApplyGradientDescent"));
            QVERIFY2(QString(e.what()).startsWith("var and delta do not have the same shape[2,2] [3]"), e.what());
            QVERIFY(QString(e.what()).contains("[[node ApplyGradientDescent]]"));
        }
        // The variable is untouched and the session still works.
        QCOMPARE(s.variableValue(w.info().op).data<float>()[3], 4.f);
        runTargets(s, {apply}, {{delta, Tensor::filled(DType::Float, {2, 2}, 2)}});
        QCOMPARE(s.variableValue(w.info().op).data<float>()[3], 3.f);
    }

    void trainingStepErrorKeepsTrainerUsable()
    {
        demo::SeedTrainer trainer;
        const demo::SeedModel& m = trainer.model();
        Tensor x(DType::Float, {4, demo::kSeedInputs});
        std::fill_n(x.data<float>(), x.numElements(), 0.5f);
        Tensor labels = Tensor::fromVector<int64_t>({0, 1, 12, 3}, {4}); // 12 is not a class
        try {
            trainer.session().run(std::vector<Output>{m.loss}, {{m.x, x}, {m.labels, labels}}, {trainer.trainOp()});
            QFAIL("expected InvalidArgumentError");
        } catch (const InvalidArgumentError& e) {
            QCOMPARE(QString::fromStdString(e.opName()),
                     QString("SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits"));
            QVERIFY2(QString(e.what()).contains("Received a label value of 12 which is outside the valid range of [0, 10)"),
                     e.what());
        }
        QCOMPARE(trainer.globalStep(), int64_t(0)); // nothing was applied
        trainer.step();
        QCOMPARE(trainer.globalStep(), int64_t(1));
    }

    // ---- a logged run whose event file cannot be written says so ----

    void seedTrainingCliReportsTheWritersError()
    {
        // The log directory's path is taken by a file: the event writer cannot
        // create its file, so `scopeviz --train` must fail and say why instead
        // of printing "wrote" and exiting with 0.
        QTemporaryDir dir;
        const QString blocked = dir.filePath("logs");
        QFile file(blocked);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        demo::SeedRunOptions o;
        o.logdir = blocked.toStdString();
        o.steps = 3;
        o.training.trainExamples = 256;
        o.training.evalExamples = 32;
        std::ostringstream log, err;
        const int code = demo::runSeedTrainingCli(o, log, err);
        QVERIFY2(code != 0, log.str().c_str());
        QVERIFY2(QString::fromStdString(err.str()).contains("cannot create log directory"), err.str().c_str());
        QVERIFY2(log.str().find("wrote") == std::string::npos, log.str().c_str());
    }
};

QTEST_GUILESS_MAIN(TrainTest)
#include "train_test.moc"
