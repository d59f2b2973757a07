#include "core/demo/seed_demo.h"

#include "core/ops/ops.h"
#include "core/scope/variable_scope.h"
#include "core/summary/summary_ops.h"

namespace scopeviz::demo {

Output myNet(Graph& g, Output input, Reuse reuse)
{
    VariableScope vs(g, "my_net", reuse);
    Variable weights = getVariable(g, "weights", {g.info(input).shape.dim(-1), kSeedHidden}, DType::Float,
                                   initializers::truncatedNormal(0, 0.1));
    Variable biases = getVariable(g, "biases", {kSeedHidden}, DType::Float, initializers::constant(0.1));
    return ops::relu(g, ops::plus(g, ops::matmul(g, input, weights), biases));
}

Output head(Graph& g, Output h, Reuse reuse)
{
    VariableScope vs(g, "head", reuse);
    Variable w = getVariable(g, "weights", {kSeedHidden, kSeedClasses}, DType::Float,
                             initializers::truncatedNormal(0, 0.1));
    Variable b = getVariable(g, "biases", {kSeedClasses}, DType::Float, initializers::zeros());
    return ops::plus(g, ops::matmul(g, h, w), b);
}

SeedModel buildSeedDemo(Graph& g, bool withSummaries)
{
    SeedModel m;
    m.x = ops::placeholder(g, DType::Float, Shape{-1, kSeedInputs}, "x");
    m.labels = ops::placeholder(g, DType::Int64, Shape{-1}, "labels");
    m.xEval = ops::placeholder(g, DType::Float, Shape{-1, kSeedInputs}, "x_eval");
    m.activations = myNet(g, m.x, Reuse::False);
    m.logits = head(g, m.activations, Reuse::False);
    m.evalLogits = head(g, myNet(g, m.xEval, Reuse::True), Reuse::True);
    m.loss = ops::reduceMean(g, ops::sparseSoftmaxCrossEntropyWithLogits(g, m.labels, m.logits));
    m.accuracy = ops::reduceMean(g, ops::cast(g, ops::equal(g, ops::argmax(g, m.logits, 1), m.labels), DType::Float));
    m.weights = Variable{&g, g.findVariable("my_net/weights")};
    m.biases = Variable{&g, g.findVariable("my_net/biases")};
    m.headWeights = Variable{&g, g.findVariable("head/weights")};
    m.headBiases = Variable{&g, g.findVariable("head/biases")};
    if (withSummaries) {
        NameScope ns(g, "summary");
        summary::scalar(g, "loss", m.loss);
        summary::scalar(g, "accuracy", m.accuracy);
        summary::histogram(g, "weights", m.weights.value());
        summary::histogram(g, "biases", m.biases.value());
        summary::histogram(g, "activations", m.activations);
        m.summaries = summary::mergeAll(g);
    }
    return m;
}

SeedModel buildSeedDemoGraph(Graph& g)
{
    SeedModel m = buildSeedDemo(g, true);
    ops::globalVariablesInitializer(g);
    return m;
}

} // namespace scopeviz::demo
