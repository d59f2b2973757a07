#pragma once
// tf.summary.scalar / histogram / image / audio / text / merge / merge_all
// (docs/scoping.md §12).
// Tags carry the name-scope path and the `_N` uniquifier; running a summary op
// yields a serialized `Summary` (the kernels live in core/exec).
#include "core/ops/ops.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scopeviz::summary {

/// clean_tag (§12.1): characters outside [-/\w.] become '_', leading '/' removed.
std::string cleanTag(std::string_view name);

/// tf.summary.scalar(name, tensor): op and tag "<name scope>/<name>" (e.g. "summary/loss").
Output scalar(Graph& g, std::string_view name, ops::Input tensor, std::vector<std::string> collections = {},
              std::optional<std::string> family = std::nullopt);
/// tf.summary.histogram(name, values).
Output histogram(Graph& g, std::string_view name, ops::Input values, std::vector<std::string> collections = {},
                 std::optional<std::string> family = std::nullopt);
/// tf.summary.image(name, tensor, max_outputs=3): op ImageSummary (attrs
/// max_images, bad_color, T); the kernel tags its images "<tag>/image/<i>"
/// ("<tag>/image" when maxOutputs is 1). Throws ValueError when maxOutputs < 1.
Output image(Graph& g, std::string_view name, ops::Input tensor, int64_t maxOutputs = 3,
             std::vector<std::string> collections = {}, std::optional<std::string> family = std::nullopt);
/// tf.summary.audio(name, tensor, sample_rate, max_outputs=3): op AudioSummaryV2
/// (attr max_outputs) with a float32 "sample_rate" input; tags "<tag>/audio/<i>".
Output audio(Graph& g, std::string_view name, ops::Input tensor, ops::Input sampleRate, int64_t maxOutputs = 3,
             std::vector<std::string> collections = {}, std::optional<std::string> family = std::nullopt);
/// tf.summary.text(name, tensor): op TensorSummaryV2 over a string tensor with
/// the text plugin's metadata (plugin_name "text"). Throws ValueError when the
/// tensor is not a string tensor.
Output text(Graph& g, std::string_view name, ops::Input tensor, std::vector<std::string> collections = {});
/// tf.summary.merge(inputs): "Merge/MergeSummary" (or "<name>/<name>").
Output merge(Graph& g, const std::vector<Output>& inputs, std::vector<std::string> collections = {},
             std::string_view name = "");
/// tf.summary.merge_all(key, scope): nullopt when nothing matches.
std::optional<Output> mergeAll(Graph& g, const std::string& key = "summaries",
                               std::optional<std::string> scope = std::nullopt, std::string_view name = "");
/// The tag of a summary op (from its `tags`/`tag` Const), or "" when it has none.
std::string tagOf(const Graph& g, OpId summaryOp);

} // namespace scopeviz::summary
