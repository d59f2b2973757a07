#pragma once
// ScriptRunner: runs a Python script in a separate process with the scopeviz
// module importable and SCOPEVIZ_LOGDIR set, streams its output to the
// console, and tells the window which log directories to follow. With watch
// mode on, saving the script re-runs it (the teaching loop).
//
// The child announces every log directory a FileWriter opens with a control
// line on stderr ("\x1b[scopeviz] logdir=<path>"); those lines are consumed
// here and never shown in the console.
#include <QFileSystemWatcher>
#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <QTimer>

#include <memory>

namespace scopeviz::ui {

/// Runs and re-runs one Python script.
class ScriptRunner : public QObject {
    Q_OBJECT
public:
    /// How a run ended.
    enum class Outcome {
        Succeeded, ///< exit code 0
        Failed,    ///< raised (non-zero exit code) or crashed on its own
        Stopped,   ///< stopped with stop()
    };
    Q_ENUM(Outcome)

    /// `pythonPath` is prepended to PYTHONPATH (the build tree's python/ folder or empty when installed).
    ScriptRunner(QString script, QString pythonPath, QObject* parent = nullptr);
    ~ScriptRunner() override;

    /// Starts (or restarts) the script.
    void start();
    /// Stops a running script: terminate, then kill after a grace period.
    void stop();
    bool isRunning() const { return m_process && m_process->state() != QProcess::NotRunning; }
    /// Re-runs the script whenever the file is saved.
    void setWatch(bool on);
    /// The log directory given to the script as SCOPEVIZ_LOGDIR (a fresh one per run).
    QString logdir() const { return m_logdir; }
    /// Log directories the script announced in the current run.
    const QStringList& announcedLogdirs() const { return m_announced; }
    const QString& script() const { return m_script; }
    /// The interpreter used (Debian's python3, as the module is built for it).
    static QString interpreter();
    /// The build tree's python/ folder beside the executable, or empty when the module is installed.
    static QString modulePath();
    /// The environment a script runs in: `pythonPath` first on PYTHONPATH, unbuffered output, and the
    /// extra variables the scopeviz module reads (SCOPEVIZ_LOGDIR, SCOPEVIZ_LIVE_GRAPH, SCOPEVIZ_GRAPH_OUT).
    static QProcessEnvironment environment(const QString& pythonPath, const QList<QPair<QString, QString>>& extra);
    /// Runs `script` to its end without a window (the headless commands on a script) and has the
    /// module write the graph it built to `graphOut` as a binary GraphDef. The script's own output
    /// goes to this process's stderr, so that what the command prints stays clean. Returns the
    /// script's exit code, or -1 with `error` set when it cannot start.
    static int runForGraph(const QString& script, const QString& pythonPath, const QString& graphOut, QString* error);

signals:
    /// Text the script printed (stderr lines flagged).
    void output(const QString& text, bool isError);
    /// A run started; `logdir` is its SCOPEVIZ_LOGDIR.
    void started(const QString& logdir);
    /// The process started or ended (the Run toolbar follows isRunning()).
    void runningChanged(bool running);
    /// The script opened a log directory.
    void logdirAnnounced(const QString& logdir);
    /// A run ended; `wroteNothing` when no event file appeared in its log directories.
    void finished(int exitCode, scopeviz::ui::ScriptRunner::Outcome outcome, bool wroteNothing);

private:
    void readStdout();
    void readStderr();
    void onFinished(int code, QProcess::ExitStatus status);
    bool logdirHasEvents() const;

    QString m_script;
    QString m_pythonPath;
    QString m_logdir;
    QStringList m_announced;
    std::unique_ptr<QTemporaryDir> m_root;
    int m_runCounter = 0;
    QProcess* m_process = nullptr;
    QFileSystemWatcher m_watcher;
    QTimer m_debounce;
    QByteArray m_stderrBuffer;
    bool m_stopping = false;
    bool m_watching = false;
};

} // namespace scopeviz::ui
