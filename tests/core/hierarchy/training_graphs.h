#pragma once
// Training graphs for the sharing tests, built with the engine the way their
// TensorFlow 1.x programs build them, then written as a GraphDef and read back
// (reimported), so the analysis sees what a user opening the saved `.pb` sees:
// no reuse trace, sharing inferred from the reads.
//
//  * buildMnistWithSummaries: TensorBoard's `mnist_with_summaries` tutorial
//    (two `nn_layer`s with tf.Variable weights, `variable_summaries` under
//    `layerN/weights/summaries` and `layerN/biases/summaries`, histograms of
//    the activations, cross entropy, Adam under name_scope('train'),
//    accuracy, merge_all). Its min summary is written -max(-x), as the op
//    registry has no Min.
//  * buildBiLstmCrfLike: the shape of a TF 1.14 BiLSTM-CRF tagger: forward and
//    backward cells under `bilstm/fw` and `bilstm/bw` (one application each,
//    as dynamic_rnn's loop body is built once), a projection, a CRF
//    transition matrix, and Adam under the freely named scope `train_step`.
#include "core/graph/graph.h"
#include "core/io/graphdef_io.h"
#include "core/ops/get_variable.h"
#include "core/ops/initializers.h"
#include "core/ops/ops.h"
#include "core/scope/variable_scope.h"
#include "core/summary/summary_ops.h"
#include "core/train/optimizers.h"

#include <QtGlobal>

#include <memory>
#include <string>

namespace scopeviz::hierarchy::fixtures {

/// Writes `g` as a binary GraphDef and imports it into a new graph (empty when the import fails).
inline std::unique_ptr<Graph> reimported(const Graph& g)
{
    auto out = std::make_unique<Graph>();
    const auto r = importGraphDefBytes(exportGraphDef(g), *out);
    if (!r.ok()) {
        qWarning("reimport failed: %s", r.error().c_str());
        return std::make_unique<Graph>();
    }
    return out;
}

/// tf.reduce_max over all axes of a rank-`rank` tensor.
inline Output reduceMaxAll(Graph& g, Output x, int rank, std::string_view name)
{
    std::vector<int64_t> axes;
    for (int i = 0; i < rank; ++i)
        axes.push_back(i);
    AttrList keep;
    keep.set("keep_dims", AttrValue::boolean(false));
    return Output{ops::apply(g, "Max", name, {{"input", ops::Input(x)}, {"reduction_indices", ops::Input::ints(axes)}},
                             std::move(keep), DType::Int32),
                  0};
}

/// The tutorial's variable_summaries(var): mean, stddev, max, min and a histogram under `summaries/`.
inline void variableSummaries(Graph& g, Output var, int rank)
{
    NameScope ns(g, "summaries");
    const Output mean = ops::reduceMean(g, var);
    summary::scalar(g, "mean", mean);
    Output stddev;
    {
        NameScope sd(g, "stddev");
        stddev = Output{ops::apply(g, "Sqrt", "", {{"x", ops::Input(ops::reduceMean(g, ops::square(g, ops::minus(g, var, mean))))}}), 0};
    }
    summary::scalar(g, "stddev", stddev);
    summary::scalar(g, "max", reduceMaxAll(g, var, rank, "Max"));
    summary::scalar(g, "min", ops::negate(g, reduceMaxAll(g, ops::negate(g, var), rank, "Min")));
    summary::histogram(g, "histogram", var);
}

/// The tutorial's nn_layer: weights and biases with summaries, Wx_plus_b, an activation histogram.
inline Output nnLayer(Graph& g, Output input, int64_t inDim, int64_t outDim, const std::string& layerName, bool relu)
{
    NameScope layer(g, layerName);
    Variable weights, biases;
    {
        NameScope w(g, "weights");
        weights = makeVariable(g, initializers::truncatedNormal(0, 0.1), {inDim, outDim}, DType::Float, "Variable");
        variableSummaries(g, weights.value(), 2);
    }
    {
        NameScope b(g, "biases");
        biases = makeVariable(g, initializers::constant(0.1), {outDim}, DType::Float, "Variable");
        variableSummaries(g, biases.value(), 1);
    }
    Output pre;
    {
        NameScope wx(g, "Wx_plus_b");
        pre = ops::plus(g, ops::matmul(g, input, weights), biases);
        summary::histogram(g, "pre_activations", pre);
    }
    const Output act = relu ? ops::relu(g, pre, "activation") : ops::identity(g, pre, "activation");
    summary::histogram(g, "activations", act);
    return act;
}

/// mnist_with_summaries as a saved GraphDef (see the header comment).
inline std::unique_ptr<Graph> buildMnistWithSummaries()
{
    Graph g;
    Output x, labels;
    {
        NameScope in(g, "input");
        x = ops::placeholder(g, DType::Float, Shape{-1, 784}, "x-input");
        labels = ops::placeholder(g, DType::Int64, Shape{-1}, "y-input");
    }
    const Output hidden = nnLayer(g, x, 784, 500, "layer1", true);
    const Output y = nnLayer(g, hidden, 500, 10, "layer2", false);
    Output crossEntropy;
    {
        NameScope ce(g, "cross_entropy");
        NameScope total(g, "total");
        crossEntropy = ops::reduceMean(g, ops::sparseSoftmaxCrossEntropyWithLogits(g, labels, y));
    }
    summary::scalar(g, "cross_entropy", crossEntropy);
    {
        NameScope train(g, "train");
        train::AdamOptimizer(0.001).minimize(g, crossEntropy);
    }
    Output accuracy;
    {
        NameScope acc(g, "accuracy");
        Output correct;
        {
            NameScope cp(g, "correct_prediction");
            correct = ops::equal(g, ops::argmax(g, y, 1), labels);
        }
        NameScope a(g, "accuracy");
        accuracy = ops::reduceMean(g, ops::cast(g, correct, DType::Float));
    }
    summary::scalar(g, "accuracy", accuracy);
    summary::mergeAll(g);
    ops::globalVariablesInitializer(g);
    return reimported(g);
}

/// A BiLSTM-CRF-shaped tagger trained by Adam under `train_step` (see the header comment).
inline std::unique_ptr<Graph> buildBiLstmCrfLike()
{
    Graph g;
    const Output words = ops::placeholder(g, DType::Float, Shape{-1, 50}, "word_embeddings");
    const Output tags = ops::placeholder(g, DType::Int64, Shape{-1}, "tags");
    auto cell = [&](const char* direction) {
        VariableScope vs(g, direction);
        VariableScope cs(g, "lstm_cell");
        const Variable kernel =
            getVariable(g, "kernel", {50, 32}, DType::Float, initializers::truncatedNormal(0, 0.1));
        const Variable bias = getVariable(g, "bias", {32}, DType::Float, initializers::zeros());
        return ops::tanh(g, ops::plus(g, ops::matmul(g, words, kernel), bias));
    };
    Output features;
    {
        VariableScope bilstm(g, "bilstm");
        features = ops::plus(g, cell("fw"), cell("bw"));
    }
    Output logits;
    {
        VariableScope proj(g, "proj");
        const Variable w = getVariable(g, "W", {32, 9}, DType::Float, initializers::truncatedNormal(0, 0.1));
        const Variable b = getVariable(g, "b", {9}, DType::Float, initializers::zeros());
        logits = ops::plus(g, ops::matmul(g, features, w), b);
    }
    Output loss;
    {
        VariableScope crf(g, "crf");
        const Variable transitions =
            getVariable(g, "transitions", {9, 9}, DType::Float, initializers::truncatedNormal(0, 0.1));
        const Output scored = ops::matmul(g, logits, transitions);
        loss = ops::reduceMean(g, ops::sparseSoftmaxCrossEntropyWithLogits(g, tags, scored), std::nullopt, false,
                               "loss");
    }
    summary::scalar(g, "loss", loss);
    {
        NameScope train(g, "train_step");
        train::AdamOptimizer(0.001).minimize(g, loss);
    }
    ops::globalVariablesInitializer(g);
    return reimported(g);
}

} // namespace scopeviz::hierarchy::fixtures
