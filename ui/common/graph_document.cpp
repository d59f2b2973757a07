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

namespace scopeviz::ui {

std::vector<ScopeSharing> computeSharing(const hierarchy::ScopeTree& tree)
{
    std::vector<ScopeSharing> out(size_t(tree.numScopes()));
    std::vector<int32_t> counted(out.size(), -1); // last variable counted as reused, per scope
    const auto& vars = tree.variables();
    for (int32_t v = 0; v < int32_t(vars.size()); ++v) {
        const auto& rec = vars[size_t(v)];
        if (!rec.shared)
            continue;
        for (hierarchy::ScopeId s = rec.ownerScope; s > hierarchy::RootScope; s = tree.scope(s).parent) {
            ++out[size_t(s)].owns;
            out[size_t(s)].users = std::max(out[size_t(s)].users, rec.sharedScopes);
        }
        for (const auto& u : rec.users) {
            if (u.owner || u.scope < 0 || (u.reads == 0 && !u.reused))
                continue;
            // Up to (not into) the scope that also holds the owner: there the sharing is internal.
            for (hierarchy::ScopeId s = u.scope; s > hierarchy::RootScope; s = tree.scope(s).parent) {
                if (rec.ownerScope >= 0 && tree.isAncestorOrSelf(s, rec.ownerScope))
                    break;
                if (counted[size_t(s)] == v)
                    break; // another user below the same scope already counted it, and its ancestors
                counted[size_t(s)] = v;
                ++out[size_t(s)].reuses;
                out[size_t(s)].users = std::max(out[size_t(s)].users, rec.sharedScopes);
            }
        }
    }
    return out;
}

DocumentPtr makeDocument(std::shared_ptr<const Graph> graph, GraphDocument::Source source, const QString& path)
{
    QElapsedTimer timer;
    timer.start();
    auto doc = std::make_shared<GraphDocument>();
    doc->source = source;
    doc->path = path;
    doc->title = path.isEmpty() ? QStringLiteral("seed demo") : QFileInfo(path).fileName();
    doc->tree = hierarchy::buildScopeTree(*graph);
    doc->sharing = computeSharing(*doc->tree);
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
    if (imported->partial) {
        doc->partial = true;
        // The importer words the fault "the data ends inside ... at byte N" or "corrupt data: ...".
        for (const QString& w : std::as_const(doc->warnings))
            if (w.startsWith(QLatin1String("the data ends inside")) || w.startsWith(QLatin1String("corrupt data")))
                doc->fault = w;
        if (doc->fault.isEmpty())
            doc->fault = QStringLiteral("the file ends early or is corrupt; the %1 nodes before the fault were kept")
                             .arg(imported->nodeCount);
    }
    doc->loadSeconds = timer.nsecsElapsed() / 1e9;
    r.document = std::move(doc);
    return r;
}

} // namespace scopeviz::ui
