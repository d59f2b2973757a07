#include "ui/mainwindow/live_session.h"

#include "core/io/graphdef_io.h"
#include "ui/mainwindow/main_window.h"
#include "ui/mainwindow/script_runner.h"
#include "ui/mainwindow/training_controller.h"

#include <QAction>
#include <QCoreApplication>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QPlainTextEdit>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>

namespace scopeviz::ui {

LiveSession::LiveSession(MainWindow* window) : QObject(window), m_window(window) { buildToolbar(); }

QString LiveSession::modulePath()
{
    QString candidate = QDir(QCoreApplication::applicationDirPath() + "/../python").absolutePath();
    return QFileInfo::exists(candidate + "/scopeviz/compat/v1/__init__.py") ? candidate : QString();
}

void LiveSession::buildToolbar()
{
    m_toolbar = m_window->addToolBar(tr("Run"));
    m_toolbar->setObjectName("runToolbar");
    QStyle* st = m_window->style();
    m_start = m_toolbar->addAction(st->standardIcon(QStyle::SP_MediaPlay), tr("Start"));
    m_start->setShortcut(QKeySequence("F5"));
    m_pause = m_toolbar->addAction(st->standardIcon(QStyle::SP_MediaPause), tr("Pause"));
    m_stop = m_toolbar->addAction(st->standardIcon(QStyle::SP_MediaStop), tr("Stop"));
    m_stop->setShortcut(QKeySequence("Shift+F5"));
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
    window->followLogdir(t->logdir());
    if (autostart)
        t->start();
    s->updateActions();
    return s;
}

LiveSession* LiveSession::runScript(MainWindow* window, const QString& script, bool watch)
{
    auto* s = new LiveSession(window);
    s->m_script = new ScriptRunner(script, modulePath(), s);
    ScriptRunner* r = s->m_script;
    window->setWindowTitle(QStringLiteral("%1 — scopeviz").arg(QFileInfo(script).fileName()));
    connect(r, &ScriptRunner::output, s, [window](const QString& text, bool isError) {
        QPlainTextEdit* c = window->console();
        c->moveCursor(QTextCursor::End);
        c->insertPlainText(text);
        c->moveCursor(QTextCursor::End);
        if (isError)
            if (auto* dock = qobject_cast<QDockWidget*>(c->parentWidget()))
                dock->raise();
    });
    connect(r, &ScriptRunner::started, s, [window, s](const QString& logdir) {
        window->followLogdir(logdir);
        s->updateActions();
    });
    connect(r, &ScriptRunner::logdirAnnounced, s, [window, r](const QString& dir) {
        if (QDir(dir) != QDir(r->logdir()))
            window->followLogdir(dir);
    });
    connect(window, &MainWindow::graphFound, s, [s](const QString&, const QByteArray& bytes) { s->showScriptGraph(bytes); });
    connect(r, &ScriptRunner::finished, s, [window, s](int code, bool crashed, bool wroteNothing) {
        s->updateActions();
        if (crashed)
            window->showError(tr("The script stopped with an error (exit code %1): its traceback is in the Console. "
                                 "The last good graph stays open.")
                                  .arg(code));
        else if (wroteNothing)
            window->showInfo(tr("The script ran but wrote no event file, so there is no graph or curve to show. "
                                "Create a tf.summary.FileWriter (without a logdir it writes where scopeviz looks) "
                                "and pass it the graph."));
    });
    r->setWatch(watch);
    r->start();
    return s;
}

void LiveSession::showScriptGraph(const QByteArray& graphDef)
{
    auto g = std::make_shared<Graph>();
    auto r = importGraphDefBytes(std::string_view(graphDef.constData(), size_t(graphDef.size())), *g);
    if (!r.ok()) {
        m_window->showError(tr("The script's graph cannot be read: %1").arg(QString::fromStdString(r.error())));
        return;
    }
    QString path = m_script ? m_script->script() : QString();
    m_window->setDocument(makeDocument(std::move(g), GraphDocument::Source::Script, path));
}

} // namespace scopeviz::ui
