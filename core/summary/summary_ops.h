#pragma once
// tf.summary.scalar / histogram / merge / merge_all (docs/scoping.md §12).
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
/// tf.summary.merge(inputs): "Merge/MergeSummary" (or "<name>/<name>").
Output merge(Graph& g, const std::vector<Output>& inputs, std::vector<std::string> collections = {},
             std::string_view name = "");
/// tf.summary.merge_all(key, scope): nullopt when nothing matches.
std::optional<Output> mergeAll(Graph& g, const std::string& key = "summaries",
                               std::optional<std::string> scope = std::nullopt, std::string_view name = "");
/// The tag of a summary op (from its `tags`/`tag` Const), or "" when it has none.
std::string tagOf(const Graph& g, OpId summaryOp);

} // namespace scopeviz::summary
