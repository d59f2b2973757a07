#pragma once
// The built-in seed demo: the tutorial's two examples as one program.
//   Example 1: my_net(input, reuse) creates `weights` and `biases` with
//   get_variable inside variable_scope("my_net", reuse=reuse); calling it
//   twice shares them. A head is built the same way.
//   Example 2: name_scope("summary") wraps summary.scalar("loss"),
//   summary.scalar("accuracy") and merge_all() for TensorBoard.
#include "core/graph/graph.h"
#include "core/ops/get_variable.h"

#include <optional>

namespace scopeviz::demo {

/// Handles to the seed program's tensors.
struct SeedModel {
    Output x, labels, xEval, evalLabels;
    Output logits, evalLogits, loss, accuracy, evalAccuracy;
    Output activations; ///< my_net's output (the Relu) on the training input
    Variable weights, biases, headWeights, headBiases;
    std::optional<Output> summaries; ///< merge_all() of example 2, when built
};

/// Input width, hidden width and classes of the seed model.
constexpr int kSeedInputs = 64, kSeedHidden = 512, kSeedClasses = 10;

/// The tutorial's my_net: relu(matmul(input, weights) + biases) in variable_scope("my_net").
Output myNet(Graph& g, Output input, Reuse reuse);
/// The classifier head built the same way in variable_scope("head").
Output head(Graph& g, Output h, Reuse reuse);

/// Builds the seed program (issue text, in TF1 notation) into g.
/// With `withSummaries`, adds example 2 (name_scope("summary"), scalar loss and
/// accuracy, a histogram of my_net/weights, merge_all) after the loss.
SeedModel buildSeedDemo(Graph& g, bool withSummaries = false);

/// The seed demo as scopeviz opens it (`--demo seed`, the window, --list-ops and --print-tree alike): the
/// program with its summaries and the `init` op of tf.global_variables_initializer().
SeedModel buildSeedDemoGraph(Graph& g);

} // namespace scopeviz::demo
