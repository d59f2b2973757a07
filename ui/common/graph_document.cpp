#include "ui/common/graph_document.h"

#include "core/demo/seed_demo.h"
#include "core/hierarchy/shared_variables.h"
#include "core/io/graphdef_io.h"
#include "core/ops/ops.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>

#include <algorithm>
#include <optional>

namespace scopeviz::ui {

DocumentPtr makeDocument(std::shared_ptr<const Graph> graph, GraphDocument::Source source, const QString& path)
{
    QElapsedTimer timer;
    timer.start();
    auto doc = std::make_shared<GraphDocument>();
    doc->source = source;
    doc->path = path;
    doc->title = path.isEmpty() ? QStringLiteral("seed demo") : QFileInfo(path).fileName();
    doc->tree = hierarchy::buildScopeTree(*graph);
    doc->index = hierarchy::VariableIndex::build(*graph, doc->tree);
    doc->graph = std::move(graph);
    for (const std::string& w : doc->tree->warnings())
        doc->warnings << QString::fromStdString(w);
    doc->loadSeconds = timer.nsecsElapsed() / 1e9;
    return doc;
}

DocumentPtr makeSeedDocument()
{
    auto g = std::make_shared<Graph>();
    demo::buildSeedDemoGraph(*g);
    return makeDocument(std::move(g), GraphDocument::Source::Demo, {});
}

namespace {
bool containsEventFiles(const QString& dir)
{
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        if (QFileInfo(it.next()).fileName().contains("tfevents"))
            return true;
    return false;
}

/// A graph file parsed once: the graph and what the importer said about it.
struct ImportedGraph {
    QString file;
    std::shared_ptr<Graph> graph;
    std::optional<ImportResult> result; ///< empty when the import failed
    std::string error;
};

ImportedGraph importOnce(const QString& file, int& imports)
{
    ImportedGraph out;
    out.file = file;
    out.graph = std::make_shared<Graph>();
    ++imports;
    auto r = importGraphFile(file.toStdString(), *out.graph);
    if (r.ok())
        out.result = std::move(*r);
    else
        out.error = r.error();
    return out;
}

/// The newest event file of a log directory that holds a graph, imported (the import is kept: the
/// document is built from it, not from a second parse); `file` is empty when none holds a graph.
ImportedGraph newestEventFileWithGraph(const QString& dir, int& imports)
{
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    QStringList files;
    while (it.hasNext()) {
        QString f = it.next();
        if (QFileInfo(f).fileName().contains("tfevents") && !f.endsWith(".profile-empty"))
            files << f;
    }
    files.sort();
    for (auto i = files.crbegin(); i != files.crend(); ++i) {
        ImportedGraph g = importOnce(*i, imports);
        if (g.result && g.graph->numOps() > 0)
            return g;
    }
    return {};
}
} // namespace

LoadResult loadPath(const QString& path, const std::atomic<bool>* cancel)
{
    LoadResult r;
    QFileInfo info(path);
    if (!info.exists()) {
        r.error = QStringLiteral("%1: no such file or directory").arg(path);
        return r;
    }
    QElapsedTimer timer;
    timer.start();
    ImportedGraph imported;
    if (info.isDir()) {
        r.isLogDir = true;
        if (!info.isReadable()) {
            r.error = QStringLiteral("%1: the directory cannot be read").arg(path);
            return r;
        }
        if (!containsEventFiles(path))
            return r; // an empty (or not yet written) log directory: follow it, no graph yet
        imported = newestEventFileWithGraph(path, r.graphImports);
        if (imported.file.isEmpty())
            return r; // scalars only
    } else {
        r.isEventFile = info.fileName().contains("tfevents");
        if (cancel && cancel->load())
            return r;
        imported = importOnce(path, r.graphImports);
        if (!imported.result) {
            if (!r.isEventFile)
                r.error = QString::fromStdString(imported.error);
            return r; // an event file without a graph: scalars only
        }
    }
    if (cancel && cancel->load())
        return r;
    auto source = r.isLogDir ? GraphDocument::Source::LogDir
                             : r.isEventFile ? GraphDocument::Source::EventFile : GraphDocument::Source::GraphFile;
    auto doc = std::const_pointer_cast<GraphDocument>(makeDocument(std::move(imported.graph), source, path));
    for (const std::string& w : imported.result->warnings)
        doc->warnings << QString::fromStdString(w);
    doc->modelSummary = QString::fromStdString(imported.result->modelSummary);
    for (const auto& [key, value] : imported.result->properties)
        doc->properties.append({QString::fromStdString(key), QString::fromStdString(value)});
    if (imported.result->partial) {
        doc->partial = true;
        // The importer words the fault "the data ends inside ... at byte N" or "corrupt data: ...".
        for (const QString& w : std::as_const(doc->warnings))
            if (w.startsWith(QLatin1String("the data ends inside")) || w.startsWith(QLatin1String("corrupt data")))
                doc->fault = w;
        if (doc->fault.isEmpty())
            doc->fault = QStringLiteral("the file ends early or is corrupt; the %1 nodes before the fault were kept")
                             .arg(imported.result->nodeCount);
    }
    doc->loadSeconds = timer.nsecsElapsed() / 1e9;
    r.document = std::move(doc);
    return r;
}

} // namespace scopeviz::ui
