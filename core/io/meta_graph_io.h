#pragma once
// TensorFlow's MetaGraphDef as tf.train.export_meta_graph writes it and
// import_meta_graph reads it (docs/formats.md §3): the serialized graph, the
// TensorFlow version, the saver's tensor and op names and the collections
// that hold graph elements by name (node lists). Reading accepts a binary or
// a text MetaGraphDef, as TensorFlow's read_meta_graph_file does.
#include "core/util/expected.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace scopeviz {

/// SaverDef: where a tf.train.Saver's ops are.
struct SaverNames {
    std::string filenameTensor;  ///< "save/Const:0"
    std::string saveTensor;      ///< "save/control_dependency:0"
    std::string restoreOp;       ///< "save/restore_all"
    int maxToKeep = 5;
    bool sharded = false;
    float keepCheckpointEveryNHours = 10000.0f;
};

/// The parts of a MetaGraphDef that scopeviz writes and reads.
struct MetaGraphParts {
    std::string graphDef;                   ///< a serialized GraphDef
    std::string tensorflowVersion;          ///< meta_info_def.tensorflow_version
    std::string tensorflowGitVersion;       ///< meta_info_def.tensorflow_git_version
    std::vector<std::string> tags;          ///< meta_info_def.tags
    std::optional<SaverNames> saver;
    /// Collections of graph element names (CollectionDef.node_list), in key order when read.
    std::vector<std::pair<std::string, std::vector<std::string>>> collections;
};

/// A binary MetaGraphDef holding `parts`.
std::string serializeMetaGraph(const MetaGraphParts& parts);

/// Reads a binary, or else text, MetaGraphDef. Collections of other kinds (bytes, numbers, Any) are
/// skipped. The error is TensorFlow's: "Cannot parse file <source>: <reason>."
Expected<MetaGraphParts> parseMetaGraph(std::string_view bytes, const std::string& source);

} // namespace scopeviz
