#include "ui/mainwindow/live_session.h"

#include "core/io/trace_text.h"
#include "core/io/graphdef_io.h"
#include "ui/common/handoff.h"
#include "ui/graph/graph_view.h"
#include "ui/mainwindow/main_window.h"
#include "ui/mainwindow/training_controller.h"

#include <QAction>
#include <QRegularExpression>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QDockWidget>
#include <QFileInfo>
#include <QPlainTextEdit>
#include <QStatusBar>
#include <QStyle>
#include <QThreadPool>
#include <QToolBar>

#include <exception>
#include <optional>

namespace scopeviz::ui {

namespace {

using hierarchy::Item;
using hierarchy::NodeKey;
using hierarchy::NodeKind;

/// The item of `to` with the same full name as `item` of `from`.
std::optional<Item> mapItem(const GraphDocument& from, Item item, const GraphDocument& to)
{
    if (item.isScope()) {
        if (item.id <= hierarchy::RootScope || item.id >= from.tree->numScopes())
            return std::nullopt;
        const hierarchy::ScopeId s = to.tree->findScope(from.tree->path(item.id));
        if (s <= hierarchy::RootScope)
            return std::nullopt;
        return Item{Item::Kind::Scope, s};
    }
    if (item.id < 0 || item.id >= from.graph->numOps())
        return std::nullopt;
    const Operation* op = to.graph->findOp(from.graph->op(item.id).name());
    if (!op)
        return std::nullopt;
    return Item{Item::Kind::Op, op->id()};
}

/// The key of `to` naming what `key` names in `from`.
std::optional<NodeKey> mapKey(const GraphDocument& from, NodeKey key, const GraphDocument& to)
{
    const auto id = int32_t(hierarchy::keyId(key));
    switch (hierarchy::keyKind(key)) {
    case NodeKind::Scope:
    case NodeKind::AuxArea:
        if (auto it = mapItem(from, Item{Item::Kind::Scope, id}, to))
            return hierarchy::keyKind(key) == NodeKind::Scope ? hierarchy::scopeKey(it->id)
                                                              : hierarchy::auxAreaKey(it->id);
        return std::nullopt;
    case NodeKind::Op:
        if (auto it = mapItem(from, Item{Item::Kind::Op, id}, to))
            return hierarchy::opKey(it->id);
        return std::nullopt;
    case NodeKind::Series: {
        // A series is keyed by its first member; it carries over while that member still leads one.
        const uint32_t packed = hierarchy::keyId(key);
        const Item first{(packed & 1u) ? Item::Kind::Op : Item::Kind::Scope, int32_t(packed >> 1)};
        auto it = mapItem(from, first, to);
        if (!it)
            return std::nullopt;
        const int32_t ser = to.tree->seriesOf(*it);
        if (ser < 0 || !(to.tree->series()[size_t(ser)].members.front() == *it))
            return std::nullopt;
        return hierarchy::seriesKey(*to.tree, ser);
    }
    }
    return std::nullopt;
}

} // namespace

hierarchy::ExpansionState carryExpansion(const GraphDocument& from, const hierarchy::ExpansionState& state,
                                         const GraphDocument& to)
{
    hierarchy::ExpansionState out;
    for (NodeKey k : state.expanded)
        if (auto m = mapKey(from, k, to))
            out.expanded.insert(*m);
    for (NodeKey k : state.ungrouped)
        if (auto m = mapKey(from, k, to))
            out.ungrouped.insert(*m);
    for (const auto& [k, placement] : state.auxiliary)
        if (auto m = mapKey(from, k, to))
            out.auxiliary.emplace(*m, placement);
    return out;
}

LiveSession::LiveSession(MainWindow* window) : QObject(window), m_window(window) { buildToolbar(); }

void LiveSession::buildToolbar()
{
    m_toolbar = m_window->addToolBar(tr("Run"));
    m_toolbar->setObjectName("runToolbar");
    QStyle* st = m_window->style();
    m_start = m_toolbar->addAction(st->standardIcon(QStyle::SP_MediaPlay), tr("Start"));
    m_start->setObjectName("runStart");
    m_start->setShortcut(QKeySequence("F5"));
    m_pause = m_toolbar->addAction(st->standardIcon(QStyle::SP_MediaPause), tr("Pause"));
    m_pause->setObjectName("runPause");
    m_stop = m_toolbar->addAction(st->standardIcon(QStyle::SP_MediaStop), tr("Stop"));
    m_stop->setObjectName("runStop");
    m_stop->setShortcut(QKeySequence("Shift+F5"));
    // A script that builds several tf.Graph()s: each one can be chosen (hidden while there is one).
    m_graphChoice = new QComboBox(m_toolbar);
    m_graphChoice->setObjectName("runGraphChoice");
    m_graphChoice->setToolTip(tr("The script built several graphs: choose the one to show"));
    m_graphChoiceAction = m_toolbar->addWidget(m_graphChoice);
    m_graphChoiceAction->setVisible(false);
    connect(m_graphChoice, &QComboBox::activated, this, [this](int index) {
        m_chosenGraph = m_graphChoice->itemData(index).toInt();
        if (auto it = m_graphs.find(m_chosenGraph); it != m_graphs.end())
            showScriptGraph(it->second, it->first);
    });
    connect(m_start, &QAction::triggered, this, [this] {
        if (m_training)
            m_training->start();
        else if (m_script)
            m_script->start();
        updateActions();
    });
    connect(m_pause, &QAction::triggered, this, [this] {
        if (m_training)
            m_training->pause();
        updateActions();
    });
    connect(m_stop, &QAction::triggered, this, [this] {
        if (m_training)
            m_training->stop();
        else if (m_script)
            m_script->stop();
        updateActions();
    });
}

void LiveSession::updateActions()
{
    const bool running = (m_training && m_training->isRunning()) || (m_script && m_script->isRunning());
    const bool finished = m_training && m_training->isFinished();
    m_start->setEnabled(!running && !finished);
    m_pause->setEnabled(m_training && running);
    m_pause->setVisible(bool(m_training));
    m_stop->setEnabled(running);
}

LiveSession* LiveSession::trainSeed(MainWindow* window, qint64 steps, bool autostart)
{
    auto* s = new LiveSession(window);
    s->m_training = new TrainingController(s);
    TrainingController* t = s->m_training;
    connect(t, &TrainingController::stateChanged, s, &LiveSession::updateActions);
    connect(t, &TrainingController::stepped, s, [window](qint64 step, double loss, double acc) {
        window->statusBar()->showMessage(tr("training: step %1  loss %2  accuracy %3")
                                             .arg(step)
                                             .arg(loss, 0, 'f', 4)
                                             .arg(acc, 0, 'f', 3));
    });
    connect(t, &TrainingController::finished, s, [window](const QString& error) {
        if (!error.isEmpty())
            window->showError(tr("Training stopped: %1").arg(error));
    });
    if (!t->prepare(steps)) {
        s->updateActions();
        return s;
    }
    window->setDocument(makeDocument(t->graph(), GraphDocument::Source::Demo, {}));
    window->followLogdir(t->logdir(), QStringLiteral("seed"));
    if (autostart)
        t->start();
    s->updateActions();
    return s;
}

LiveSession* LiveSession::runScript(MainWindow* window, const QString& script, bool watch)
{
    auto* s = new LiveSession(window);
    s->m_script = new ScriptRunner(script, ScriptRunner::modulePath(), s);
    s->m_lastGood = window->document(); // what was open before counts as good
    ScriptRunner* r = s->m_script;
    window->setWindowTitle(QStringLiteral("%1 — scopeviz").arg(QFileInfo(script).fileName()));
    connect(r, &ScriptRunner::output, s, &LiveSession::appendConsole);
    connect(r, &ScriptRunner::started, s, &LiveSession::onScriptStarted);
    connect(r, &ScriptRunner::runningChanged, s, &LiveSession::updateActions);
    connect(r, &ScriptRunner::logdirAnnounced, s, [window, r](const QString& dir) {
        // A FileWriter inside the script's log directory (train/ and test/ of mnist_with_summaries) is already
        // a run of the followed directory; following it instead would lose the other runs.
        const QString root = QDir(r->logdir()).canonicalPath(), d = QDir(dir).canonicalPath();
        if (!root.isEmpty() && (d == root || d.startsWith(root + QLatin1Char('/'))))
            return;
        window->followLogdir(dir, QFileInfo(r->script()).completeBaseName());
    });
    connect(window, &MainWindow::graphFound, s,
            [s](const QString&, const QString& file, const QByteArray& bytes) { s->onGraphFound(file, bytes); });
    connect(r, &ScriptRunner::finished, s, &LiveSession::onScriptFinished);
    r->setWatch(watch);
    r->start();
    return s;
}

void LiveSession::appendConsole(const QString& text, bool isError)
{
    QPlainTextEdit* c = m_window->console();
    c->moveCursor(QTextCursor::End);
    c->insertPlainText(text);
    c->moveCursor(QTextCursor::End);
    if (isError)
        if (auto* dock = qobject_cast<QDockWidget*>(c->parentWidget())) {
            dock->raise();
            // A traceback needs room: a docked console shorter than a third of the window grows to it.
            const int want = m_window->height() / 3;
            if (!dock->isFloating() && dock->height() < want)
                m_window->resizeDocks({dock}, {want}, Qt::Vertical);
        }
}

void LiveSession::onScriptStarted(const QString& logdir)
{
    m_runDoc.reset();
    m_graphs.clear(); // the graph the user chose stays chosen: a re-run usually builds the same graphs
    m_graphChoice->clear();
    m_graphChoiceAction->setVisible(false);
    ++m_importGeneration; // a graph of the previous run still being imported is not shown
    m_runEnded = false;
    m_runFailed = false;
    m_window->followLogdir(logdir, QFileInfo(m_script->script()).completeBaseName());
    m_window->statusBar()->showMessage(tr("Running %1 ...").arg(QFileInfo(m_script->script()).fileName()));
    updateActions();
}

void LiveSession::onScriptFinished(int exitCode, ScriptRunner::Outcome outcome, bool wroteNothing)
{
    m_runEnded = true;
    updateActions();
    const QString name = QFileInfo(m_script->script()).fileName();
    switch (outcome) {
    case ScriptRunner::Outcome::Failed: {
        m_runFailed = true;
        QString kept;
        if (m_lastGood) {
            if (m_runDoc && m_window->document() == m_runDoc)
                showDocumentKeepingExpansion(m_lastGood);
            kept = tr(" The last good graph stays open.");
        } else if (m_runDoc) {
            kept = tr(" The graph shown is what it wrote before the error.");
        }
        m_window->showError(tr("%1 stopped with an error (exit code %2): its traceback is in the Console.%3")
                                .arg(name)
                                .arg(exitCode)
                                .arg(kept));
        return;
    }
    case ScriptRunner::Outcome::Stopped:
        if (m_runDoc)
            m_lastGood = m_runDoc; // stopping is not an error: what it built is good
        m_window->statusBar()->showMessage(tr("%1 was stopped.").arg(name), 10000);
        return;
    case ScriptRunner::Outcome::Succeeded:
        if (m_runDoc)
            m_lastGood = m_runDoc;
        if (wroteNothing) {
            const QString text =
                tr("%1 ran but built no graph and wrote no event file, so there is nothing to show. Ops it "
                   "builds with scopeviz.compat.v1 appear as they are created; for curves, write summaries with a "
                   "tf.summary.FileWriter (without a logdir it writes where scopeviz looks).")
                    .arg(name);
            appendConsole(QStringLiteral("[scopeviz] %1\n").arg(text), false);
            m_window->showInfo(text);
            m_window->statusBar()->showMessage(text);
        } else {
            m_window->statusBar()->showMessage(tr("%1 finished.").arg(name), 10000);
        }
        return;
    }
}

void LiveSession::onGraphFound(const QString& file, const QByteArray& graphDef)
{
    // `*.scopeviz-graph-<k>`: the k-th graph the module handed over (app/python/scopeviz/_live_graph.py).
    static const QRegularExpression handedOver(QStringLiteral("\\.scopeviz-graph-([0-9]+)$"));
    const QRegularExpressionMatch m = handedOver.match(file);
    const int key = m.hasMatch() ? m.captured(1).toInt() : 0;
    if (key == 0 && m_graphs.upper_bound(0) != m_graphs.end())
        return; // the module hands over every graph with its trace: a FileWriter's copy adds nothing
    const bool isNew = !m_graphs.count(key);
    m_graphs[key] = graphDef;
    if (isNew && key > 0) {
        m_graphChoice->addItem(tr("Graph %1").arg(key), key);
        m_graphChoiceAction->setVisible(m_graphChoice->count() >= 2);
    }
    // Follow the graph that changed last, unless the user picked one.
    if (m_chosenGraph != 0 && m_graphs.count(m_chosenGraph) && key != m_chosenGraph)
        return;
    if (const int index = m_graphChoice->findData(key); index >= 0)
        m_graphChoice->setCurrentIndex(index);
    showScriptGraph(graphDef, key);
}

void LiveSession::showScriptGraph(const QByteArray& graphDef, int key)
{
    if (m_runFailed)
        return; // a failed run's graph, delivered after it ended: the last good graph stays
    // Import and hierarchy are built on a worker; a newer graph (or a new run) makes this one stale.
    const quint64 generation = ++m_importGeneration;
    ++m_importsInFlight;
    const QString path = m_script ? m_script->script() : QString();
    // The module writes the graph's reuse trace beside it (app/python/scopeviz/_live_graph.py), always before
    // the graph itself: "Why this name?" is told from it.
    const QString tracePath =
        m_script && key > 0 ? m_script->logdir() + QStringLiteral("/graph-%1.scopeviz-trace").arg(key) : QString();
    QPointer<LiveSession> self(this);
    startOnPool(*QThreadPool::globalInstance(), [self, generation, graphDef, path, tracePath] {
        DocumentPtr doc;
        QString error;
        try {
            auto g = std::make_shared<Graph>();
            auto r = importGraphDefBytes(std::string_view(graphDef.constData(), size_t(graphDef.size())), *g);
            if (r.ok()) {
                QFile trace(tracePath);
                if (!tracePath.isEmpty() && trace.open(QIODevice::ReadOnly)) {
                    const QByteArray text = trace.readAll();
                    // A damaged trace keeps its events before the fault; the graph is shown either way.
                    readTraceText(std::string_view(text.constData(), size_t(text.size())), *g, tracePath.toStdString());
                }
                doc = makeDocument(std::move(g), GraphDocument::Source::Script, path);
            }
            else
                error = QString::fromStdString(r.error());
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        } catch (...) {
            error = QStringLiteral("unknown error");
        }
        postTo(QCoreApplication::instance(), [self, generation, doc = std::move(doc), error] {
            if (self)
                self->onScriptGraphImported(generation, doc, error);
        });
    });
}

void LiveSession::onScriptGraphImported(quint64 generation, DocumentPtr doc, const QString& error)
{
    --m_importsInFlight;
    if (generation != m_importGeneration || m_runFailed)
        return; // superseded, or the run failed meanwhile: the last good graph stays
    if (!doc) {
        m_window->showError(tr("The script's graph cannot be read: %1").arg(error));
        return;
    }
    m_runDoc = std::move(doc);
    if (m_runEnded)
        m_lastGood = m_runDoc; // arrived after a normal end
    showDocumentKeepingExpansion(m_runDoc);
}

void LiveSession::showDocumentKeepingExpansion(DocumentPtr doc)
{
    DocumentPtr old = m_window->document();
    GraphView* view = m_window->graphView();
    std::optional<hierarchy::ExpansionState> carried;
    if (old && view->document() == old)
        carried = carryExpansion(*old, view->expansion(), *doc);
    m_window->setDocument(doc);
    if (carried && !(carried->expanded.empty() && carried->ungrouped.empty() && carried->auxiliary.empty()))
        view->setExpansion(std::move(*carried));
}

} // namespace scopeviz::ui
