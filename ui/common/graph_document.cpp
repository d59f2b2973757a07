#include "ui/common/graph_document.h"

#include "core/demo/seed_demo.h"
#include "core/graph/ops.h"
#include "core/io/graphdef_io.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>

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
    doc->graph = std::move(graph);
    for (const std::string& w : doc->tree->warnings())
        doc->warnings << QString::fromStdString(w);
    doc->loadSeconds = timer.nsecsElapsed() / 1e9;
    return doc;
}

DocumentPtr makeSeedDocument()
{
    auto g = std::make_shared<Graph>();
    demo::buildSeedDemo(*g, true);
    ops::globalVariablesInitializer(*g);
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

/// The newest event file of a log directory that holds a graph, if any.
QString eventFileWithGraph(const QString& dir)
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
        Graph probe;
        if (importGraphFile(i->toStdString(), probe).ok() && probe.numOps() > 0)
            return *i;
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
    QString graphFile = path;
    if (info.isDir()) {
        r.isLogDir = true;
        if (!info.isReadable()) {
            r.error = QStringLiteral("%1: the directory cannot be read").arg(path);
            return r;
        }
        if (!containsEventFiles(path))
            return r; // an empty (or not yet written) log directory: follow it, no graph yet
        graphFile = eventFileWithGraph(path);
        if (graphFile.isEmpty())
            return r;
    } else {
        r.isEventFile = info.fileName().contains("tfevents");
    }
    if (cancel && cancel->load())
        return r;
    QElapsedTimer timer;
    timer.start();
    auto g = std::make_shared<Graph>();
    auto imported = importGraphFile(graphFile.toStdString(), *g);
    if (!imported.ok()) {
        if (r.isLogDir || r.isEventFile) {
            r.error = r.isEventFile ? QString() : QString();
            return r; // scalars only
        }
        r.error = QString::fromStdString(imported.error());
        return r;
    }
    if (cancel && cancel->load())
        return r;
    auto source = r.isLogDir ? GraphDocument::Source::LogDir
                             : r.isEventFile ? GraphDocument::Source::EventFile : GraphDocument::Source::GraphFile;
    auto doc = std::const_pointer_cast<GraphDocument>(makeDocument(std::move(g), source, path));
    for (const std::string& w : imported->warnings)
        doc->warnings << QString::fromStdString(w);
    doc->loadSeconds = timer.nsecsElapsed() / 1e9;
    r.document = std::move(doc);
    return r;
}

} // namespace scopeviz::ui
