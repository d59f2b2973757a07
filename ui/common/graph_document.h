#pragma once
// GraphDocument: one opened graph, immutable once loaded. The GUI shares it
// as std::shared_ptr<const GraphDocument>; models and views read it and never
// call back into a running engine (docs/style.md, Qt model/view rule 1).
#include "core/graph/graph.h"
#include "core/hierarchy/scope_tree.h"
#include "core/hierarchy/variable_index.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>
#include <vector>

namespace scopeviz::ui {

/// How one scope takes part in variable sharing (hierarchy::VariableIndex computes it once per document).
using ScopeSharing = hierarchy::ScopeSharing;

/// An opened graph and its scope hierarchy.
struct GraphDocument {
    /// Where the graph came from.
    enum class Source { Demo, GraphFile, EventFile, LogDir, Script };
    Source source = Source::Demo;
    QString path;   ///< file or directory ("" for the demo)
    QString title;  ///< shown in the window title
    std::shared_ptr<const Graph> graph;
    std::shared_ptr<const hierarchy::ScopeTree> tree;
    QStringList warnings; ///< import and hierarchy warnings, for the message bar
    /// Readers, consumers and sharing of the variables, built once with the tree.
    std::shared_ptr<const hierarchy::VariableIndex> index;
    bool partial = false;  ///< the file ended early or was corrupt: only what came before was read
    QString fault;         ///< partial: where and how the file broke (names the byte offset)
    /// ONNX models: "ONNX IR 7, opset ai.onnx 14, producer pytorch 1.13.0" (empty for TensorFlow graphs).
    QString modelSummary;
    /// ONNX models: ir_version, opset_import, producer, doc_string, metadata_props, checker, ... in file order.
    QList<QPair<QString, QString>> properties;
    double loadSeconds = 0;
};

using DocumentPtr = std::shared_ptr<const GraphDocument>;

/// The outcome of loading: a document, or an error message naming the file.
/// A truncated or corrupt graph file still yields a document of what was read, marked partial with
/// the fault named: the caller decides whether to show it.
struct LoadResult {
    DocumentPtr document;  ///< null on failure (and for a log directory without a graph); partial: what was read
    QString error;         ///< non-empty on failure
    bool isLogDir = false; ///< the path is a log directory (follow its scalars)
    bool isEventFile = false;
    int graphImports = 0;  ///< graph files parsed (a log directory's graph once, not once to probe and again to load)
};

/// The built-in seed demo (the tutorial's two examples) with its hierarchy.
DocumentPtr makeSeedDocument();
/// Wraps an existing graph (e.g. a script's) into a document.
DocumentPtr makeDocument(std::shared_ptr<const Graph> graph, GraphDocument::Source source, const QString& path);
/// Loads a graph file, an event file or a log directory (runs on a worker thread;
/// `cancel` is polled between phases).
LoadResult loadPath(const QString& path, const std::atomic<bool>* cancel = nullptr);

} // namespace scopeviz::ui
