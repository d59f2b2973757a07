#include "ui/mainwindow/script_runner.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QProcessEnvironment>

#include <cstdio>

namespace scopeviz::ui {

namespace {
const QByteArray kControlPrefix = "\x1b[scopeviz] logdir=";
}

QString ScriptRunner::interpreter()
{
    // The module is built against Debian's interpreter (docs/toolchain.md §2); prefer it over a PATH shim.
    return QFileInfo::exists("/usr/bin/python3") ? QStringLiteral("/usr/bin/python3") : QStringLiteral("python3");
}

QString ScriptRunner::modulePath()
{
    QString candidate = QDir(QCoreApplication::applicationDirPath() + "/../python").absolutePath();
    return QFileInfo::exists(candidate + "/scopeviz/compat/v1/__init__.py") ? candidate : QString();
}

QProcessEnvironment ScriptRunner::environment(const QString& pythonPath, const QList<QPair<QString, QString>>& extra)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("PYTHONUNBUFFERED", "1");
    if (!pythonPath.isEmpty()) {
        QString old = env.value("PYTHONPATH");
        env.insert("PYTHONPATH", old.isEmpty() ? pythonPath : pythonPath + ":" + old);
    }
    for (const auto& [k, v] : extra)
        env.insert(k, v);
    return env;
}

int ScriptRunner::runForGraph(const QString& script, const QString& pythonPath, const QString& graphOut, QString* error)
{
    QProcess p;
    p.setProcessEnvironment(environment(pythonPath, {{"SCOPEVIZ_GRAPH_OUT", graphOut}}));
    p.setWorkingDirectory(QFileInfo(script).absolutePath());
    p.setProcessChannelMode(QProcess::MergedChannels); // both go to our stderr, in the order printed
    p.start(interpreter(), {"-u", QFileInfo(script).absoluteFilePath()});
    if (!p.waitForStarted(-1)) {
        *error = tr("cannot start %1: %2").arg(interpreter(), p.errorString());
        return -1;
    }
    while (p.state() != QProcess::NotRunning) {
        p.waitForReadyRead(100);
        const QByteArray out = p.readAll();
        if (!out.isEmpty())
            fwrite(out.constData(), 1, size_t(out.size()), stderr);
    }
    const QByteArray rest = p.readAll();
    fwrite(rest.constData(), 1, size_t(rest.size()), stderr);
    fflush(stderr);
    if (p.exitStatus() == QProcess::CrashExit) {
        *error = tr("%1 crashed").arg(QFileInfo(script).fileName());
        return -1;
    }
    return p.exitCode();
}

ScriptRunner::ScriptRunner(QString script, QString pythonPath, QObject* parent)
    : QObject(parent), m_script(QFileInfo(script).absoluteFilePath()), m_pythonPath(std::move(pythonPath)),
      m_root(std::make_unique<QTemporaryDir>(QDir::tempPath() + "/scopeviz-script-XXXXXX"))
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(300); // editors save in several steps
    connect(&m_debounce, &QTimer::timeout, this, [this] {
        // An editor that deletes and re-creates the file may not have re-created it when
        // fileChanged arrived: watch the new file now.
        if (m_watching && !m_watcher.files().contains(m_script) && QFileInfo::exists(m_script))
            m_watcher.addPath(m_script);
        start();
    });
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, [this](const QString& f) {
        // Editors often replace the file: watch the new one again.
        if (!m_watcher.files().contains(f) && QFileInfo::exists(f))
            m_watcher.addPath(f);
        m_debounce.start();
    });
}

ScriptRunner::~ScriptRunner()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(2000);
    }
}

void ScriptRunner::setWatch(bool on)
{
    m_watching = on;
    if (on && !m_watcher.files().contains(m_script))
        m_watcher.addPath(m_script);
    else if (!on && !m_watcher.files().isEmpty())
        m_watcher.removePaths(m_watcher.files());
}

void ScriptRunner::start()
{
    if (m_process) {
        if (m_process->state() != QProcess::NotRunning)
            emit output(tr("[stopped: running the script again]\n"), false);
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(2000);
        m_process->deleteLater();
        m_process = nullptr;
    }
    m_logdir = QStringLiteral("%1/run%2").arg(m_root->path()).arg(++m_runCounter, 3, 10, QChar('0'));
    QDir().mkpath(m_logdir);
    m_announced.clear();
    m_stderrBuffer.clear();
    m_stopping = false;

    m_process = new QProcess(this);
    // SCOPEVIZ_LIVE_GRAPH: the module hands over the graph as it is built, FileWriter or not.
    m_process->setProcessEnvironment(environment(
        m_pythonPath, {{"SCOPEVIZ_LOGDIR", m_logdir}, {"SCOPEVIZ_ANNOUNCE", "1"}, {"SCOPEVIZ_LIVE_GRAPH", m_logdir}}));
    m_process->setWorkingDirectory(QFileInfo(m_script).absolutePath());
    connect(m_process, &QProcess::readyReadStandardOutput, this, &ScriptRunner::readStdout);
    connect(m_process, &QProcess::readyReadStandardError, this, &ScriptRunner::readStderr);
    connect(m_process, &QProcess::finished, this, &ScriptRunner::onFinished);
    connect(m_process, &QProcess::stateChanged, this,
            [this](QProcess::ProcessState st) { emit runningChanged(st != QProcess::NotRunning); });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart) { // no finished() follows: end the run here
            emit output(tr("Cannot start %1: %2\n").arg(interpreter(), m_process->errorString()), true);
            emit finished(-1, Outcome::Failed, true);
        }
    });
    emit started(m_logdir);
    emit output(tr("$ %1 %2\n").arg(interpreter(), m_script), false);
    m_process->start(interpreter(), {"-u", m_script});
}

void ScriptRunner::stop()
{
    if (!isRunning())
        return;
    m_stopping = true;
    m_process->terminate();
    QProcess* p = m_process;
    QTimer::singleShot(1500, p, [p] {
        if (p->state() != QProcess::NotRunning)
            p->kill();
    });
}

void ScriptRunner::readStdout() { emit output(QString::fromUtf8(m_process->readAllStandardOutput()), false); }

void ScriptRunner::readStderr()
{
    m_stderrBuffer += m_process->readAllStandardError();
    QString shown;
    for (;;) {
        int nl = m_stderrBuffer.indexOf('\n');
        if (nl < 0)
            break;
        QByteArray line = m_stderrBuffer.left(nl + 1);
        m_stderrBuffer.remove(0, nl + 1);
        if (line.startsWith(kControlPrefix)) {
            QString dir = QString::fromUtf8(line.mid(kControlPrefix.size()).trimmed());
            if (!m_announced.contains(dir)) {
                m_announced << dir;
                emit logdirAnnounced(dir);
            }
            continue;
        }
        shown += QString::fromUtf8(line);
    }
    if (!shown.isEmpty())
        emit output(shown, true);
}

bool ScriptRunner::logdirHasEvents() const
{
    QStringList dirs = m_announced;
    dirs << m_logdir;
    for (const QString& d : dirs) {
        QDirIterator it(d, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            if (QFileInfo(it.next()).fileName().contains("tfevents"))
                return true;
    }
    return false;
}

void ScriptRunner::onFinished(int code, QProcess::ExitStatus status)
{
    if (!m_stderrBuffer.isEmpty()) {
        emit output(QString::fromUtf8(m_stderrBuffer), true);
        m_stderrBuffer.clear();
    }
    Outcome outcome = Outcome::Succeeded;
    if (m_stopping)
        outcome = Outcome::Stopped;
    else if (status == QProcess::CrashExit || code != 0)
        outcome = Outcome::Failed;
    if (outcome == Outcome::Stopped)
        emit output(tr("[stopped]\n"), true);
    else if (status == QProcess::CrashExit)
        emit output(tr("[crashed]\n"), true);
    else
        emit output(tr("[exited with code %1]\n").arg(code), outcome == Outcome::Failed);
    emit finished(code, outcome, !logdirHasEvents());
}

} // namespace scopeviz::ui
