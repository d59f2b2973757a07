#pragma once
// LiveSession: what runs while the window shows it — the seed demo training
// live, or a Python script (optionally re-run on save). It adds a Run toolbar
// (start, pause, stop) to the window, follows the log directories the run
// writes, and shows each graph as soon as it is written, keeping the last
// good graph when a script fails.
#include <QObject>
#include <QPointer>

class QAction;
class QToolBar;

namespace scopeviz::ui {

class MainWindow;
class ScriptRunner;
class TrainingController;

/// Drives a live run inside a MainWindow.
class LiveSession : public QObject {
    Q_OBJECT
public:
    /// Trains the seed demo in a worker thread; the curves move as it trains.
    static LiveSession* trainSeed(MainWindow* window, qint64 steps = 1000, bool autostart = true);
    /// Runs a Python script with scopeviz.compat.v1 importable; `watch` re-runs it on save.
    static LiveSession* runScript(MainWindow* window, const QString& script, bool watch);
    /// The build tree's python/ folder when running from a build, else "" (installed module).
    static QString modulePath();

    TrainingController* training() const { return m_training; }
    ScriptRunner* script() const { return m_script; }

private:
    explicit LiveSession(MainWindow* window);
    void buildToolbar();
    void updateActions();
    void showScriptGraph(const QByteArray& graphDef);

    MainWindow* m_window;
    QToolBar* m_toolbar = nullptr;
    QAction* m_start = nullptr;
    QAction* m_pause = nullptr;
    QAction* m_stop = nullptr;
    QPointer<TrainingController> m_training;
    QPointer<ScriptRunner> m_script;
};

} // namespace scopeviz::ui
