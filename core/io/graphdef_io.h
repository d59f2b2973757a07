#pragma once
// Reading and writing TensorFlow GraphDefs (docs/formats.md §5, §6).
//
// Import accepts every container a graph turns up in: a binary or text
// GraphDef, a binary or text MetaGraphDef (`.meta` checkpoint files), a
// SavedModel's saved_model.pb, and a TensorBoard event file. The container is
// recognised from the bytes, never from the file name. Import is forgiving the
// way TensorBoard is: a graph that TensorFlow itself would refuse (an input
// naming a missing node, a duplicate name, a cut-off file) is still shown with
// warnings, and only input that holds no graph at all is an error.
//
// Export writes GraphDefs that TensorFlow 1.x's importer accepts:
// `versions { producer: 27 }`, every attr TF requires, `_output_shapes`.
//
// Callers should import into a fresh Graph. When import fails, nothing has
// been added to the Graph (every error is found before the first op is
// created); the GUI keeps showing its previous graph.
//
// Representation choices (what an imported Graph holds):
// - Tensor attrs (Const `value`) with at most ImportOptions::maxTensorElements
//   elements become Tensor values. Larger ones, and tensors of dtypes our
//   Tensor cannot hold (quantized, resource, variant), are summarised as a
//   String attr: "<tensor float32 [3,3,64,64], 147456 elements, 589824 bytes>".
//   Export turns such a summary back into a TensorProto of that dtype and
//   shape with no values (TensorFlow reads it as zeros).
// - A `list(tensor)` attr becomes a StringList of such summaries; a
//   `list(func)` attr a StringList of function names; a `func` attr keeps the
//   name only (its bound attrs are dropped).
// - Imported `_output_shapes` attrs are kept as they are; they also set the
//   number and shapes of the op's outputs. Output dtypes come from the attrs
//   (`dtype`, `T`, `out_type`, `DstT`, `Tout`, ...) by TensorFlow's op
//   signatures for common ops; unknown ones stay DType::Invalid.
// - Function bodies (TF2 `library`) are counted; with
//   ImportOptions::importFunctions they are also imported as ops named
//   `__function__/<function>/<node>` (arguments as `_Arg`, results as
//   `_Retval` ops named `<output>_RetVal`).
#include "core/graph/graph.h"
#include "core/util/expected.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace scopeviz {

/// Deepest nesting of `{}`, `<>` and `[]` blocks a text GraphDef or MetaGraphDef
/// may have. Real graphs nest about 10 levels (a function attr inside a list
/// inside an attr); protobuf's text parser recurses once per level and would
/// overflow the stack on hostile files (docs/formats.md §6, "Limits").
inline constexpr int kMaxTextNesting = 1000;
/// Most top-level NodeDefs one import accepts. The largest real graphs hold a
/// few hundred thousand; beyond this the file is refused before any op is made,
/// so memory stays bounded (docs/formats.md §6, "Limits").
inline constexpr int64_t kMaxGraphNodes = 4'000'000;

/// The container a graph was found in.
enum class GraphFormat {
    Unknown,
    BinaryGraphDef,     ///< a serialized GraphDef (`.pb`, `.graphdef`)
    TextGraphDef,       ///< protobuf text format of a GraphDef (`.pbtxt`)
    BinaryMetaGraphDef, ///< a serialized MetaGraphDef (`.meta` checkpoint file)
    TextMetaGraphDef,   ///< protobuf text format of a MetaGraphDef
    SavedModel,         ///< a SavedModel's saved_model.pb (the first meta graph's graph is used)
    EventFile,          ///< a TensorBoard event file (TFRecords of Events)
    OnnxModel,          ///< a serialized ONNX ModelProto (`.onnx`, core/onnx, docs/formats.md §9)
};

/// "binary GraphDef", "text GraphDef", "event file", ...
const char* graphFormatName(GraphFormat f);

/// Recognises the container from the first bytes (or all bytes) of a file.
/// Binary protobufs are told apart by walking their fields; text by its
/// first field name; event files by a valid TFRecord length checksum.
GraphFormat detectGraphFormat(std::string_view bytes);

/// How to import.
struct ImportOptions {
    /// Which graph of an event file: 0 = first, 1 = second, ...; -1 = last, -2 = second to last.
    /// Event files are searched for `graph_def` events; only when there are none
    /// are the graphs inside `meta_graph_def` events used.
    int graphIndex = -1;
    /// Tensor attrs with more elements are summarised, not copied (see the header comment).
    int64_t maxTensorElements = 1024;
    /// Also import TF2 function bodies as `__function__/<name>/...` ops.
    bool importFunctions = false;
    /// Forces a container instead of detecting it (Unknown = detect).
    GraphFormat format = GraphFormat::Unknown;
    /// Warnings kept in ImportResult::warnings; the rest are only counted.
    int maxWarnings = 200;
    /// Names every top-level op "<importScope>/<name>", resolves inputs within that scope and moves `_class`
    /// colocation names (`loc:@x`) along (tf.import_graph_def's `name`, import_meta_graph's `import_scope`).
    std::string importScope;
};

/// What an import did.
struct ImportResult {
    std::string source;                       ///< the file path, or "<bytes>"
    GraphFormat format = GraphFormat::Unknown;
    bool fromMetaGraphDef = false;            ///< event files: the graph came from a meta_graph_def event
    int nodeCount = 0;                        ///< top-level NodeDefs read
    int opsAdded = 0;                         ///< ops added to the Graph (duplicates skipped, function ops included)
    int edgeCount = 0;                        ///< data and control edges resolved
    int functionCount = 0;                    ///< functions in the graph's library
    int functionNodeCount = 0;                ///< NodeDefs inside those functions
    int graphCount = 1;                       ///< graphs of the selected kind in the file (event files)
    int graphIndex = 0;                       ///< which of them was imported
    int producer = -1;                        ///< versions.producer, -1 when absent
    int summarizedTensors = 0;                ///< tensor attrs summarised instead of copied
    bool partial = false;                     ///< the data ended early or was corrupt; what came before was kept
    std::vector<std::string> warnings;        ///< at most ImportOptions::maxWarnings messages
    int warningCount = 0;                     ///< all warnings, including those not kept
    /// ONNX models: "ONNX IR 8, opset ai.onnx 14, producer pytorch 1.13.1" (empty for TensorFlow graphs).
    std::string modelSummary;
    /// ONNX models: onnx::checker's message when the model fails it (the model is imported anyway).
    std::string checkerMessage;
    /// ONNX models: model properties (ir_version, producer, opset_import, doc_string, metadata_props), in order.
    std::vector<std::pair<std::string, std::string>> properties;
};

/// Imports the graph in the file at `path` into `g` (normally a fresh Graph).
/// Errors name the file: missing, a directory, empty, not a graph, no graph in an event file.
Expected<ImportResult> importGraphFile(const std::string& path, Graph& g, const ImportOptions& options = {});

/// Imports a graph from bytes held in memory (a GraphFound payload, a file read elsewhere).
/// Any container detectGraphFormat() recognises is accepted.
Expected<ImportResult> importGraphBytes(std::string_view bytes, Graph& g, const ImportOptions& options = {});

/// Imports a serialized binary GraphDef (an Event.graph_def payload); the format is not detected.
Expected<ImportResult> importGraphDefBytes(std::string_view bytes, Graph& g, const ImportOptions& options = {});

/// How to export.
struct ExportOptions {
    bool binary = true;           ///< false: protobuf text format (`.pbtxt`)
    bool withOutputShapes = true; ///< write `_output_shapes` for every op (replacing an imported one)
    int producer = 27;            ///< versions.producer (27 = TF 1.15 era)
};

/// The graph as a GraphDef: node names, op types, inputs (`name`, `name:k`,
/// `^name`), devices, attrs; see ExportOptions.
std::string exportGraphDef(const Graph& g, const ExportOptions& options = {});

/// The graph as serialized binary GraphDef bytes (for Event.graph_def).
std::string serializeGraphDef(const Graph& g);

/// Writes the graph to `path`: text when the name ends in .pbtxt, .pbtext,
/// .prototxt or .txt, binary otherwise. The file is written under a temporary
/// name and renamed, so an existing file is never left half-written.
Expected<void> writeGraphFile(const Graph& g, const std::string& path, ExportOptions options = {});

/// Prints one line per op in creation (= file) order:
/// `name<TAB>type<TAB>inputs`, inputs comma-separated as TensorFlow writes
/// them (`name`, `name:1`, control inputs `^name` last). Ops imported from an
/// ONNX model are listed with the file's node name and input value names.
void listOps(const Graph& g, std::ostream& out);

/// The op with exactly this name; failing that, the op made from the ONNX node, parameter
/// or input the model file calls `name` (`embed.weight` for `embed/embed.weight`); or nullptr.
/// The fallback scans the graph once: for --select and the like, not for inner loops.
const Operation* findOpOrImportedName(const Graph& g, std::string_view name);

} // namespace scopeviz
