#pragma once
// Reading ONNX models (`.onnx`, docs/formats.md §9) into a Graph whose op
// names carry the exporting framework's module hierarchy, so that the scope
// tree, series folding and the shared-variable analysis of core/hierarchy
// apply unchanged. The naming rules are explained at the top of
// onnx_import.cpp.
//
// What an imported Graph holds:
// - one op per NodeProto, named by its scope path (`/layer1/layer1.0/conv1/Conv`
//   becomes `layer1/layer1.0/conv1/Conv`), of the node's op_type; attrs are the
//   node's attributes (every AttributeProto type; tensors and graphs
//   summarised as text), plus `domain` and `doc_string` when set and
//   `onnx_name` / `onnx_inputs`, the node's own name and input value names;
// - one `VariableV2` op per parameter (a top-level initializer, or a graph
//   input that names a module parameter, as export_params=False writes
//   them), placed in the module that owns it; one `Placeholder` op per other
//   graph input; one `GraphOutput` op per graph output;
// - local-function calls as an op (the call) whose scope holds the body's
//   ops; If / Loop / Scan as an op whose scope holds one scope per body
//   (`then_branch`, `else_branch`, `body`);
// - output dtypes and shapes from value_info, graph inputs and outputs, and
//   initializers; when the file lacks them, ONNX shape inference fills them.
// Weights are never read: raw data and `location` fields of external data
// are only measured, so opening costs the graph's size, not the model's.
#include "core/graph/graph.h"
#include "core/util/expected.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace scopeviz {

/// How to import an ONNX model.
struct OnnxImportOptions {
    /// Run onnx::checker on the model and report its message (the model opens either way).
    bool runChecker = true;
    /// Run ONNX shape inference when some node output has no type in the file.
    bool inferShapes = true;
    /// Warnings kept; the rest are only counted.
    int maxWarnings = 200;
};

/// What an ONNX import found.
struct OnnxImportResult {
    int64_t irVersion = 0;
    std::string producerName, producerVersion, domain, docString, graphName, graphDocString;
    int64_t modelVersion = 0;
    std::vector<std::pair<std::string, int64_t>> opsets;              ///< (domain, version); "" is ai.onnx
    std::vector<std::pair<std::string, std::string>> metadata;        ///< metadata_props
    std::string checkerMessage;                                       ///< empty when the checker passed (or did not run)
    bool shapeInference = false;                                      ///< shape inference ran
    int nodeCount = 0;                                                ///< top-level NodeProtos
    int opsAdded = 0;                                                 ///< ops added (bodies and parameters included)
    int parameterCount = 0;                                           ///< VariableV2 ops made
    int functionCount = 0;                                            ///< model-local functions
    int externalTensors = 0;                                          ///< initializers whose data is in another file
    int edgeCount = 0;                                                ///< data inputs resolved
    bool partial = false;                                             ///< the bytes ended early or were corrupt
    std::vector<std::string> warnings;
    int warningCount = 0;
    /// "ONNX IR 8, opset ai.onnx 14, producer pytorch 1.13.1": one line for a status bar.
    std::string summary() const;
};

/// True when the bytes start like a serialized ModelProto (ir_version, then a graph or opset_import).
bool looksLikeOnnxModel(std::string_view bytes);

/// Imports a serialized ModelProto into `g` (normally a fresh Graph). `source` names the
/// file in messages. Errors: the bytes hold no ONNX graph at all; a model cut short or
/// corrupt after some nodes is imported up to the fault (partial, with a warning giving
/// the byte offset).
Expected<OnnxImportResult> importOnnxBytes(std::string_view bytes, const std::string& source, Graph& g,
                                           const OnnxImportOptions& options = {});

/// The op type parameters get (the variable op type core/hierarchy recognises).
inline constexpr std::string_view kOnnxParameterType = "VariableV2";
/// Attr marking PyTorch's `Identity_N` copies of equal-valued parameters (never a tie).
inline constexpr std::string_view kOnnxParameterCopyAttr = "onnx_parameter_copy";

} // namespace scopeviz
