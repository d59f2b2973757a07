#pragma once
// LiveSession: what runs while the window shows it — the seed demo training
// live, or a Python script (optionally re-run on save). It adds a Run toolbar
// (start, pause, stop) to the window, follows the log directories the run
// writes, and shows each graph as soon as it is written.
//
// Script runs and their graphs. A graph a run writes is shown at once, with
// the expansion of the scopes that still exist carried over from the graph
// shown before (so re-running on save keeps what the user opened). A run that
// fails (raises) does not leave its graph behind: the last good graph — the
// one of the last run that ended normally — is shown again, and graphs that
// the failed run's log directory delivers late are ignored. A run that writes
// nothing at all says so in the console and the status bar.
#include "core/hierarchy/visible_graph.h"
#include "ui/common/graph_document.h"
#include "ui/mainwindow/script_runner.h"
#include "ui/mainwindow/training_controller.h" // QPointer<TrainingController> needs the complete type

#include <QObject>
#include <QPointer>

#include <map>

class QAction;
class QToolBar;

class QComboBox;

namespace scopeviz::ui {

class MainWindow;

/// Drives a live run inside a MainWindow.
class LiveSession : public QObject {
    Q_OBJECT
public:
    /// Trains the seed demo in a worker thread; the curves move as it trains.
    static LiveSession* trainSeed(MainWindow* window, qint64 steps = 1000, bool autostart = true);
    /// Runs a Python script with scopeviz.compat.v1 importable; `watch` re-runs it on save.
    static LiveSession* runScript(MainWindow* window, const QString& script, bool watch);

    /// The seed demo's trainer (null for a script session).
    TrainingController* training() const { return m_training; }
    /// The script's runner (null for a training session).
    ScriptRunner* script() const { return m_script; }
    /// The Run toolbar's Start action (runs the script again when it has ended).
    QAction* startAction() const { return m_start; }
    /// The Run toolbar's Pause action (training only).
    QAction* pauseAction() const { return m_pause; }
    /// The Run toolbar's Stop action.
    QAction* stopAction() const { return m_stop; }
    /// The graph of the last script run that ended normally (null before one did).
    DocumentPtr lastGoodDocument() const { return m_lastGood; }
    /// True while a script's graph is being imported on a worker.
    bool isImporting() const { return m_importsInFlight > 0; }
    /// The Run toolbar's graph chooser: one entry per tf.Graph the script built (shown from two on).
    QComboBox* graphChooser() const { return m_graphChoice; }

private:
    explicit LiveSession(MainWindow* window);
    void buildToolbar();
    void updateActions();
    void onGraphFound(const QString& file, const QByteArray& graphDef);
    void showScriptGraph(const QByteArray& graphDef, int key);
    void onScriptGraphImported(quint64 generation, DocumentPtr doc, const QString& error);
    void showDocumentKeepingExpansion(DocumentPtr doc);
    void onScriptStarted(const QString& logdir);
    void onScriptFinished(int exitCode, ScriptRunner::Outcome outcome, bool wroteNothing);
    void appendConsole(const QString& text, bool isError);

    MainWindow* m_window;
    QToolBar* m_toolbar = nullptr;
    QAction* m_start = nullptr;
    QAction* m_pause = nullptr;
    QAction* m_stop = nullptr;
    QPointer<TrainingController> m_training;
    QPointer<ScriptRunner> m_script;
    DocumentPtr m_lastGood;  ///< shown again when a run fails
    DocumentPtr m_runDoc;    ///< the graph the current (or last) run showed, if any
    bool m_runEnded = false; ///< the current run has finished
    bool m_runFailed = false;
    QComboBox* m_graphChoice = nullptr;
    QAction* m_graphChoiceAction = nullptr;
    /// The newest GraphDef of each graph the module handed over (key k of `*.scopeviz-graph-<k>`; 0: a
    /// graph a FileWriter wrote, shown only when the module handed over none).
    std::map<int, QByteArray> m_graphs;
    int m_chosenGraph = 0; ///< the key the user picked; 0: follow the graph that changed last
    quint64 m_importGeneration = 0; ///< the newest graph import; older results are dropped
    int m_importsInFlight = 0;
};

/// The expansion `state` of `from` carried over to `to`: scopes, series and
/// auxiliary overrides are matched by full name; those that no longer exist are dropped.
hierarchy::ExpansionState carryExpansion(const GraphDocument& from, const hierarchy::ExpansionState& state,
                                         const GraphDocument& to);

} // namespace scopeviz::ui
