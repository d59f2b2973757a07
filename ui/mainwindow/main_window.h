#pragma once
// MainWindow: the graph explorer's frame. Docks (scope tree left, inspector
// right, scalars and console bottom) around the graph view; documents load on
// a worker thread with progress and cancel; a failed load shows a message bar
// and keeps the previous graph open (a damaged file's readable part is offered
// there, never swapped in silently). The scalars dock stays low until curves
// arrive, so the graph keeps most of the window.
#include "ui/common/graph_document.h"
#include "ui/scalars/scalar_feed.h" // QPointer<ScalarFeed> needs the complete type

#include <QMainWindow>

#include <vector>
#include <QPointer>
#include <QThreadPool>

#include <atomic>
#include <memory>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QPlainTextEdit;
class QStackedWidget;

namespace scopeviz::ui {

class ScalarsDashboard;
class SummaryDashboard;
class SummaryHub;
class ReplayPanel;
class ScalarFeed;
class GraphView;
class GraphSelectionModel;
class ScopePanel;
class Inspector;
class SearchBar;

/// The application window.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Opens a graph file, event file or log directory in the background.
    void openPath(const QString& path);
    /// Opens the built-in seed demo.
    void openSeedDemo();
    /// Shows a document (GUI thread).
    void setDocument(DocumentPtr doc);
    /// The document shown, or null.
    DocumentPtr document() const { return m_document; }
    /// Follows a log directory in the scalars dock; its top-level run shows as `topRunName` (default: the
    /// directory's name).
    void followLogdir(const QString& logdir, const QString& topRunName = {});
    /// Shows an error in the message bar (the current graph stays).
    void showError(const QString& message);
    /// Shows an informational message in the message bar.
    void showInfo(const QString& message);
    /// Switches the dark palette for this session only (--dark); the View menu's toggle also remembers it.
    void useDarkTheme(bool dark);
    /// Saves a picture of the whole window.
    bool saveScreenshot(const QString& file);
    /// True while a load is running.
    bool isLoading() const { return m_loading; }
    /// True while loading or while the graph waits for its layout or animates.
    bool isBusy() const;

    /// The graph canvas.
    GraphView* graphView() const { return m_graphView; }
    /// Expansion and selection, shared by the graph view and the scope tree.
    GraphSelectionModel* selectionModel() const { return m_selection; }
    /// The Scopes dock's panel.
    ScopePanel* scopePanel() const { return m_scopePanel; }
    /// The Inspector dock's contents.
    Inspector* inspector() const { return m_inspector; }
    /// The Ctrl+F search bar above the graph.
    SearchBar* searchBar() const { return m_search; }
    /// Exports the current graph view to .svg or .png (shows errors in the message bar); true on success.
    bool exportView(const QString& path);
    /// Reveals and selects the op or scope with this full name; false when there is none.
    bool selectByName(const QString& name);
    /// Opens the Replay dock at step k of the construction timeline (kept for a script's growing graph).
    void showReplayStep(int k);
    /// The Replay dock's panel.
    ReplayPanel* replayPanel() const { return m_replayPanel; }
    /// The Replay dock.
    QDockWidget* replayDock() const { return m_replayDock; }

    /// The scalars dashboard of the bottom dock.
    ScalarsDashboard* scalars() const { return m_scalars; }
    /// The Histograms, Distributions, Images, Audio and Text dashboards (in that order) and their data.
    const std::vector<SummaryDashboard*>& summaryDashboards() const { return m_summaryBoards; }
    SummaryHub* summaryHub() const { return m_summaryHub; }
    /// The dock of a summary dashboard (hidden until its kind of data arrives).
    QDockWidget* summaryDock(int index) const { return m_summaryDocks[std::size_t(index)]; }
    /// Shows the Images, Audio and Text cards at `step` (as their sliders would) from now on.
    void setSummaryStep(int64_t step);
    /// Raises the dock of the summary dashboard `index` (0 = Histograms … 4 = Text).
    void showSummaryDashboard(int index);
    /// The live feed of the followed log directory, or null.
    ScalarFeed* feed() const { return m_feed; }
    /// The console dock's text (script output).
    QPlainTextEdit* console() const { return m_console; }
    /// The message bar's current text ("" when hidden), without markup.
    QString messageText() const;
    /// A damaged graph file's readable part, offered by the message bar while the previous graph stays; or null.
    DocumentPtr offeredPartialDocument() const { return m_offeredPartial; }
    /// Shows the offered partial document (what the message bar's link does).
    void openOfferedPartial();
    /// The scalars dock (its height follows the data: small while empty, ~30 % of the window with curves).
    QDockWidget* scalarsDock() const { return m_scalarsDock; }

signals:
    /// A document was shown.
    void documentChanged(scopeviz::ui::DocumentPtr doc);
    /// A load failed (message names the file).
    void loadFailed(const QString& message);
    /// A load finished (either way).
    void loadFinished();
    /// A followed log directory delivered a graph (serialized GraphDef) for `run`.
    void graphFound(const QString& run, const QString& file, const QByteArray& graphDef);

protected:
    void closeEvent(QCloseEvent* e) override;
    void dragEnterEvent(QDragEnterEvent* e) override;
    void dropEvent(QDropEvent* e) override;

private:
    void buildActions();
    void buildDocks();
    void onLoaded(LoadResult r);
    void addRecent(const QString& path);
    void rebuildRecentMenu();
    void restoreState();
    void setDark(bool dark, bool remember = true);
    void reload();
    void wireGraph();
    void revealSummaryTag(const QString& tag);
    void applyDefaultDockSizes();
    void growScalarsDockForData();
    void filterScalarsForSelection(hierarchy::Item item);
    void setMessage(const QString& plain, const QString& html, bool error);

    DocumentPtr m_document;
    QWidget* m_central = nullptr;
    QLabel* m_messageBar = nullptr;
    QWidget* m_graphHost = nullptr;
    QDockWidget* m_treeDock = nullptr;
    QDockWidget* m_inspectorDock = nullptr;
    QDockWidget* m_scalarsDock = nullptr;
    QDockWidget* m_consoleDock = nullptr;
    QDockWidget* m_replayDock = nullptr;
    std::vector<QDockWidget*> m_summaryDocks;
    std::vector<SummaryDashboard*> m_summaryBoards;
    SummaryHub* m_summaryHub = nullptr;
    QPointer<QDockWidget> m_wantedSummaryDock; ///< raised by showSummaryDashboard(), kept on top as data arrives
    bool m_summaryRaised = false; ///< a summary dashboard was raised because the log has no scalars
    ReplayPanel* m_replayPanel = nullptr;
    bool m_dockStateRestored = false; // the user's saved dock layout wins over the defaults
    bool m_scalarsGrown = false;      // the dock was enlarged once for arriving data
    QString m_selectionTagFilter;     // tag filter set by the last selection ("" when none)
    QString m_messagePlain;
    DocumentPtr m_offeredPartial;
    ScalarsDashboard* m_scalars = nullptr;
    QStackedWidget* m_scalarsStack = nullptr; // 0: a hint while no log directory is followed, 1: the dashboard
    QPointer<ScalarFeed> m_feed;
    QPlainTextEdit* m_console = nullptr;
    QMenu* m_recentMenu = nullptr;
    QLabel* m_counts = nullptr; ///< the shown graph's op, scope and shared-variable counts (status bar)
    QProgressBar* m_progress = nullptr;
    QPushButton* m_cancel = nullptr;
    QThreadPool m_loader; ///< the graph loader: one thread, one load at a time
    quint64 m_loadGeneration = 0; ///< the load whose result is awaited; older results are dropped
    std::shared_ptr<std::atomic<bool>> m_cancelFlag;
    QString m_loadingPath;
    bool m_loading = false;
    QAction* m_darkAction = nullptr;
    QAction* m_bundleAction = nullptr;
    GraphView* m_graphView = nullptr;
    GraphSelectionModel* m_selection = nullptr;
    ScopePanel* m_scopePanel = nullptr;
    Inspector* m_inspector = nullptr;
    SearchBar* m_search = nullptr;
};

} // namespace scopeviz::ui
