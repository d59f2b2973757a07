#include "ui/mainwindow/main_window.h"

#include "core/io/graphdef_io.h"
#include "core/summary/logdir_watcher.h"
#include "core/summary/summary_ops.h"
#include "ui/common/graph_selection_model.h"
#include "ui/common/handoff.h"
#include "ui/common/theme.h"
#include "ui/graph/graph_search.h"
#include "ui/graph/graph_view.h"
#include "ui/inspector/inspector.h"
#include "ui/replay/replay_panel.h"
#include "ui/scope/scope_panel.h"
#include "ui/scope/scope_tree_model.h"
#include "ui/scalars/scalar_feed.h"
#include "ui/summaries/summary_dashboard.h"
#include "ui/scalars/scalar_store.h"
#include "ui/scalars/run_list_model.h"
#include "ui/scalars/scalars_dashboard.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QStackedWidget>
#include <QSignalBlocker>
#include <QStyle>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace scopeviz::ui {

namespace {
constexpr int kMaxRecent = 10;
/// Version of the saved dock layout: states saved before the scalars dock could shrink are not restored.
constexpr int kDockStateVersion = 3; // 3: the summary dashboards
/// Share of the window height the scalars dock takes by default, with curves and while empty.
constexpr double kScalarsShare = 0.40, kScalarsEmptyShare = 0.12;

/// Escapes a scope path for the dashboard's regular-expression tag filter (only what the names can hold).
QString regexPath(const QString& path)
{
    QString out;
    for (QChar c : path) {
        if (QStringLiteral("\\.^$|?*+()[]{}").contains(c))
            out += QLatin1Char('\\');
        out += c;
    }
    return out;
}
} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setObjectName("MainWindow");
    setWindowTitle("scopeviz");
    setAcceptDrops(true);
    resize(1400, 900);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowNestedDocks | QMainWindow::AllowTabbedDocks);

    m_central = new QWidget(this);
    auto* layout = new QVBoxLayout(m_central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_messageBar = new QLabel(m_central);
    m_messageBar->setObjectName("messageBar");
    m_messageBar->setWordWrap(true);
    m_messageBar->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    connect(m_messageBar, &QLabel::linkActivated, this, [this](const QString& link) {
        if (link == QLatin1String("open-partial"))
            openOfferedPartial();
    });
    m_messageBar->setContentsMargins(10, 6, 10, 6);
    m_messageBar->hide();
    layout->addWidget(m_messageBar);
    m_graphHost = new QWidget(m_central);
    m_graphHost->setObjectName("graphHost");
    auto* hostLayout = new QVBoxLayout(m_graphHost);
    hostLayout->setContentsMargins(0, 0, 0, 0);
    hostLayout->setSpacing(0);
    m_search = new SearchBar(m_graphHost);
    hostLayout->addWidget(m_search);
    m_selection = new GraphSelectionModel(this);
    m_graphView = new GraphView(m_graphHost);
    hostLayout->addWidget(m_graphView, 1);
    layout->addWidget(m_graphHost, 1);
    setCentralWidget(m_central);

    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 0);
    m_progress->setMaximumWidth(160);
    m_progress->hide();
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->hide();
    m_counts = new QLabel(this);
    m_counts->setObjectName("statusCounts");
    statusBar()->addPermanentWidget(m_counts);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_cancelFlag)
            m_cancelFlag->store(true);
    });
    m_loader.setMaxThreadCount(1);

    buildDocks();
    buildActions();
    wireGraph();
    restoreState();
}

MainWindow::~MainWindow()
{
    if (m_cancelFlag)
        m_cancelFlag->store(true);
    m_loader.waitForDone();
}

void MainWindow::buildDocks()
{
    auto makeDock = [this](const QString& title, const char* name, Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);
        addDockWidget(area, d);
        return d;
    };
    m_treeDock = makeDock(tr("Scopes"), "scopesDock", Qt::LeftDockWidgetArea);
    m_inspectorDock = makeDock(tr("Inspector"), "inspectorDock", Qt::RightDockWidgetArea);
    m_scalarsDock = makeDock(tr("Scalars"), "scalarsDock", Qt::BottomDockWidgetArea);
    m_consoleDock = makeDock(tr("Console"), "consoleDock", Qt::BottomDockWidgetArea);
    m_scopePanel = new ScopePanel(m_treeDock);
    m_treeDock->setWidget(m_scopePanel);
    m_inspector = new Inspector(m_inspectorDock);
    m_inspectorDock->setWidget(m_inspector);
    // Until a log directory is followed the dock holds one line of help, not an empty dashboard; the
    // dashboard's controls need ~400 px, so it sits in a scroll area and the dock can stay low.
    m_scalarsStack = new QStackedWidget(m_scalarsDock);
    auto* hint = new QLabel(tr("No curves: this graph has no log directory. Open one (Ctrl+Shift+O) or drop it here;"
                               " curves appear as event files are written."),
                            m_scalarsStack);
    hint->setObjectName("scalarsHint");
    hint->setAlignment(Qt::AlignCenter);
    hint->setWordWrap(true);
    hint->setForegroundRole(QPalette::PlaceholderText);
    hint->setMinimumHeight(40);
    m_scalarsStack->addWidget(hint);
    m_scalars = new ScalarsDashboard(m_scalarsStack);
    m_scalarsStack->addWidget(m_scalars);
    m_scalarsDock->setWidget(m_scalarsStack);
    m_console = new QPlainTextEdit(m_consoleDock);
    m_console->setReadOnly(true);
    m_console->setMaximumBlockCount(20000);
    m_console->setFont(QFont("DejaVu Sans Mono", 9));
    m_consoleDock->setWidget(m_console);
    // Histograms, Distributions, Images, Audio and Text: tabs beside Scalars, each shown when its kind of
    // data first arrives (and from the View menu at any time).
    m_summaryHub = new SummaryHub(this);
    const std::pair<SummaryView, const char*> boards[] = {
        {SummaryView::Histograms, "histogramsDock"}, {SummaryView::Distributions, "distributionsDock"},
        {SummaryView::Images, "imagesDock"},         {SummaryView::Audio, "audioDock"},
        {SummaryView::Text, "textDock"}};
    const QString titles[] = {tr("Histograms"), tr("Distributions"), tr("Images"), tr("Audio"), tr("Text")};
    QDockWidget* previous = m_scalarsDock;
    for (std::size_t i = 0; i < std::size(boards); ++i) {
        QDockWidget* d = makeDock(titles[i], boards[i].second, Qt::BottomDockWidgetArea);
        auto* board = new SummaryDashboard(boards[i].first, m_summaryHub, d);
        d->setWidget(board);
        tabifyDockWidget(previous, d);
        d->hide();
        previous = d;
        m_summaryDocks.push_back(d);
        m_summaryBoards.push_back(board);
        connect(board, &SummaryDashboard::tagClicked, this, &MainWindow::revealSummaryTag);
        connect(board, &SummaryDashboard::firstData, this, [this, d] {
            if (m_dockStateRestored && !d->isVisible())
                return; // the user's saved layout decides
            d->show();
            // A log with histograms or images but no scalars opens on the first dashboard that has data.
            QTimer::singleShot(0, this, [this, d] {
                if (m_wantedSummaryDock) {
                    m_wantedSummaryDock->raise(); // --dashboard, or the View menu before the data came
                } else if (m_scalars->store().tagCount() == 0 && !m_summaryRaised) {
                    m_summaryRaised = true;
                    d->raise();
                }
                QTimer::singleShot(0, this, [this] { growScalarsDockForData(); });
            });
        });
    }
    tabifyDockWidget(previous, m_consoleDock);
    // The Replay dock is opened from the View menu (or --replay-step): a third tab, hidden by default.
    m_replayDock = makeDock(tr("Replay"), "replayDock", Qt::BottomDockWidgetArea);
    m_replayPanel = new ReplayPanel(m_replayDock);
    m_replayDock->setWidget(m_replayPanel);
    tabifyDockWidget(m_consoleDock, m_replayDock);
    m_replayDock->hide();
    m_scalarsDock->raise();
    applyDefaultDockSizes();
}

void MainWindow::applyDefaultDockSizes()
{
    // The graph dominates: side docks of ~300 px, the scalars dock small until curves arrive.
    resizeDocks({m_treeDock, m_inspectorDock}, {320, 320}, Qt::Horizontal);
    const bool data = m_scalars->store().tagCount() > 0;
    const int h = std::max(height(), 400);
    resizeDocks({m_scalarsDock}, {data ? int(h * kScalarsShare) : std::max(100, int(h * kScalarsEmptyShare))},
                Qt::Vertical);
    m_scalarsGrown = data;
}

void MainWindow::growScalarsDockForData()
{
    if (m_scalars->store().tagCount() > 0)
        m_scalarsStack->setCurrentIndex(1);
    // Once, when the first curves (or histograms, images, ...) arrive and the user kept the default layout:
    // make room for charts. The dashboards share one tab group, so the visible tab sizes them all.
    const bool data = m_scalars->store().tagCount() > 0 || m_summaryHub->store().histogramCount() > 0 ||
                      m_summaryHub->store().mediaCount() > 0;
    if (m_scalarsGrown || m_dockStateRestored || !data)
        return;
    QDockWidget* shown = nullptr;
    for (QDockWidget* d : m_summaryDocks)
        if (!d->isFloating() && d->isVisible() && !d->visibleRegion().isEmpty())
            shown = d;
    if (!m_scalarsDock->isFloating() && m_scalarsDock->isVisible() && !m_scalarsDock->visibleRegion().isEmpty())
        shown = m_scalarsDock;
    if (!shown)
        return;
    m_scalarsGrown = true;
    const int want = int(height() * kScalarsShare);
    if (shown->height() < want)
        resizeDocks({shown}, {want}, Qt::Vertical);
}

void MainWindow::buildActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Graph or Event File..."), this, [this] {
        QString f = QFileDialog::getOpenFileName(this, tr("Open"), {},
                                                 tr("Graphs, ONNX models and event files (*.pb *.pbtxt *.meta *.onnx *tfevents*);;All files (*)"));
        if (!f.isEmpty())
            openPath(f);
    });
    open->setShortcut(QKeySequence::Open);
    QAction* openDir = file->addAction(tr("Open &Log Directory..."), this, [this] {
        QString d = QFileDialog::getExistingDirectory(this, tr("Open log directory"));
        if (!d.isEmpty())
            openPath(d);
    });
    openDir->setShortcut(QKeySequence("Ctrl+Shift+O"));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    file->addAction(tr("Open &Seed Demo"), this, &MainWindow::openSeedDemo);
    QAction* reloadAction = file->addAction(tr("&Reload"), this, &MainWindow::reload);
    reloadAction->setObjectName("fileReload");
    reloadAction->setShortcut(QKeySequence("Ctrl+R")); // not Refresh (F5 on Linux): F5 starts a live run
    file->addSeparator();
    QAction* exportAction = file->addAction(tr("&Export View as SVG or PNG..."), this, [this] {
        QString f = QFileDialog::getSaveFileName(this, tr("Export graph"), QStringLiteral("graph.svg"),
                                                 tr("SVG (*.svg);;PNG image (*.png)"));
        if (!f.isEmpty())
            exportView(f);
    });
    exportAction->setShortcut(QKeySequence("Ctrl+E"));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* find = edit->addAction(tr("&Find..."), this, [this] { m_search->activate(); });
    find->setShortcut(QKeySequence::Find);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* expandAll = view->addAction(tr("&Expand All"), m_graphView, &GraphView::expandAll);
    expandAll->setShortcut(QKeySequence("Ctrl+Shift+E"));
    QAction* collapseAll = view->addAction(tr("&Collapse All"), m_graphView, &GraphView::collapseAll);
    collapseAll->setShortcut(QKeySequence("Ctrl+Shift+C"));
    view->addSeparator();
    QAction* fit = view->addAction(tr("&Fit to Window"), m_graphView, &GraphView::fitAll);
    fit->setShortcut(QKeySequence("F"));
    QAction* actual = view->addAction(tr("Actual &Size (1:1)"), m_graphView, &GraphView::resetZoom);
    actual->setShortcut(QKeySequence("Ctrl+0"));
    QAction* zoomIn = view->addAction(tr("Zoom &In"), this, [this] { m_graphView->zoomBy(1.25); });
    zoomIn->setShortcuts({QKeySequence::ZoomIn, QKeySequence("Ctrl+=")});
    QAction* zoomOut = view->addAction(tr("Zoom &Out"), this, [this] { m_graphView->zoomBy(0.8); });
    zoomOut->setShortcut(QKeySequence::ZoomOut);
    m_bundleAction = view->addAction(tr("&Bundle Shared-Variable Edges"));
    m_bundleAction->setCheckable(true);
    m_bundleAction->setShortcut(QKeySequence("Ctrl+B"));
    connect(m_bundleAction, &QAction::toggled, m_graphView, &GraphView::setBundleSharedEdges);
    view->addSeparator();

    QToolBar* tb = addToolBar(tr("Graph"));
    tb->setObjectName("graphToolBar");
    tb->setToolButtonStyle(Qt::ToolButtonTextOnly);
    tb->addAction(open);
    tb->addSeparator();
    tb->addAction(fit);
    tb->addAction(actual);
    tb->addAction(expandAll);
    tb->addAction(collapseAll);
    tb->addAction(m_bundleAction);
    tb->addSeparator();
    tb->addAction(find);
    tb->addAction(exportAction);
    for (QDockWidget* d : {m_treeDock, m_inspectorDock, m_scalarsDock})
        view->addAction(d->toggleViewAction());
    for (QDockWidget* d : m_summaryDocks)
        view->addAction(d->toggleViewAction());
    for (QDockWidget* d : {m_consoleDock, m_replayDock})
        view->addAction(d->toggleViewAction());
    view->addSeparator();
    m_darkAction = view->addAction(tr("&Dark Theme"));
    m_darkAction->setCheckable(true);
    m_darkAction->setShortcut(QKeySequence("Ctrl+Shift+D"));
    connect(m_darkAction, &QAction::toggled, this, [this](bool on) { setDark(on); });
}

void MainWindow::wireGraph()
{
    using hierarchy::Item;
    connect(this, &MainWindow::documentChanged, this, [this](DocumentPtr doc) {
        m_scopePanel->setDocument(doc);
        m_replayPanel->setDocument(doc);
        m_inspector->setDocument(doc);
        m_search->setDocument(doc);
        m_selection->setDocument(doc);
        if (!m_selectionTagFilter.isEmpty() && m_scalars->tagFilter() == m_selectionTagFilter)
            m_scalars->setTagFilter({});
        m_selectionTagFilter.clear();
    });
    // Expansion and selection live in one model; the graph view and the scope tree listen to it and
    // write through it, so neither calls the other. The inspector and the scalars follow the selection.
    m_graphView->setSelectionModel(m_selection);
    m_scopePanel->setSelectionModel(m_selection);
    m_replayPanel->setGraphView(m_graphView);
    // The graph shows the replay's step only while the Replay dock is on screen.
    connect(m_replayDock, &QDockWidget::visibilityChanged, m_replayPanel, &ReplayPanel::setActive);
    connect(m_selection, &GraphSelectionModel::selectionChanged, this, [this](Item it) {
        m_inspector->showItem(it);
        filterScalarsForSelection(it);
    });
    connect(m_inspector, &Inspector::navigateRequested, m_selection, &GraphSelectionModel::reveal);
    connect(m_search, &SearchBar::revealRequested, m_selection, &GraphSelectionModel::reveal);
    connect(m_graphView, &GraphView::errorOccurred, this, [this](const QString& message) { showError(message); });
    connect(m_scalars, &ScalarsDashboard::tagTitleClicked, this, &MainWindow::revealSummaryTag);
}

void MainWindow::setSummaryStep(int64_t step)
{
    for (SummaryDashboard* d : m_summaryBoards)
        d->setStep(step);
}

void MainWindow::showSummaryDashboard(int index)
{
    QDockWidget* d = m_summaryDocks[std::size_t(index)];
    m_wantedSummaryDock = d;
    d->show();
    QTimer::singleShot(0, this, [d] { d->raise(); }); // a tab shown again joins its tab bar in the event loop
}

void MainWindow::showReplayStep(int k)
{
    m_replayDock->show();
    m_replayPanel->requestStep(k);
    // A tab shown again joins its tab bar only once the event loop runs: raise it then, with room for
    // the source (about a third of the window).
    QTimer::singleShot(0, this, [this] {
        m_replayDock->raise();
        if (!m_replayDock->isFloating())
            resizeDocks({m_replayDock}, {int(height() * 0.36)}, Qt::Vertical);
    });
}

void MainWindow::filterScalarsForSelection(hierarchy::Item item)
{
    // A scope shows the curves logged under its name-scope path. An op or a variable shows those of its
    // enclosing name scope, but only when there are some: otherwise the filter stays as it is, since
    // "0 charts" for a click on a MatMul helps nobody. A filter the user typed is never cleared here.
    // The dashboards beside Scalars follow the same filter, under the same rule.
    auto clearOurs = [this] {
        if (!m_selectionTagFilter.isEmpty() && m_scalars->tagFilter() == m_selectionTagFilter)
            m_scalars->setTagFilter({});
        for (SummaryDashboard* d : m_summaryBoards)
            if (!m_selectionTagFilter.isEmpty() && d->tagFilter() == m_selectionTagFilter)
                d->setTagFilter({});
        m_selectionTagFilter.clear();
    };
    if (!m_document || item.id < 0) {
        clearOurs();
        return;
    }
    const auto& t = *m_document->tree;
    const auto qs = [](std::string_view v) { return QString::fromUtf8(v.data(), qsizetype(v.size())); };
    OpId op = -1;
    hierarchy::ScopeId scope = -1;
    if (item.isScope() && t.scope(item.id).anchor < 0) {
        scope = item.id;
    } else {
        op = item.isOp() ? item.id : t.scope(item.id).anchor; // a variable's scope stands for the variable
        scope = t.opEnclosingScope(op);
    }
    if (scope <= hierarchy::RootScope)
        return;
    const QString path = qs(t.path(scope));
    if (op >= 0) {
        const ScalarStore& store = m_scalars->store();
        bool any = false;
        for (int i = 0; i < store.tagCount() && !any; ++i)
            any = QString::fromStdString(store.tag(i)).startsWith(path + QLatin1Char('/'));
        if (!any)
            return;
    }
    const QString regex = QLatin1Char('^') + regexPath(path) + QLatin1Char('/');
    m_scalars->setTagFilter(regex); // a selection's filter replaces whatever the scalars showed before
    for (SummaryDashboard* d : m_summaryBoards)
        if (d->tagFilter().isEmpty() || d->tagFilter() == m_selectionTagFilter)
            d->setTagFilter(regex);
    m_selectionTagFilter = regex;
    if (op >= 0 && m_document->graph->op(op).type().find("Summary") != std::string::npos) {
        const QString tag = QString::fromStdString(summary::tagOf(*m_document->graph, op));
        if (m_scalars->store().findTag(tag.toStdString()) >= 0)
            m_scalars->scrollToTag(tag);
    }
}

void MainWindow::revealSummaryTag(const QString& tag)
{
    if (!m_document)
        return;
    for (const auto& [op, t] : m_inspector->summariesUnder({}))
        if (t == tag) {
            // A summary of a variable (a histogram of weights, usually through its `read`) stands for the
            // variable: select that, so that clicking `my_net/weights`'s histogram selects `my_net/weights`.
            OpId shown = op;
            const Graph& g = *m_document->graph;
            for (const Output& in : g.op(op).inputs()) {
                OpId src = in.op;
                if (g.op(src).type() == "Identity" && !g.op(src).inputs().empty())
                    src = g.op(src).inputs().front().op;
                if (m_document->tree->variableOfOp(src) >= 0) {
                    shown = src;
                    break;
                }
            }
            m_selection->reveal(hierarchy::Item{hierarchy::Item::Kind::Op, shown});
            return;
        }
    statusBar()->showMessage(tr("No summary op writes the tag %1 in this graph").arg(tag), 5000);
}

bool MainWindow::selectByName(const QString& name)
{
    if (!m_document)
        return false;
    const std::string n = name.toStdString();
    const auto& t = *m_document->tree;
    hierarchy::ScopeId s = t.findScope(n);
    if (s > hierarchy::RootScope) {
        m_selection->reveal(hierarchy::Item{hierarchy::Item::Kind::Scope, s});
        return true;
    }
    if (const Operation* op = findOpOrImportedName(*m_document->graph, n)) { // also an ONNX model's own names
        m_selection->reveal(hierarchy::Item{hierarchy::Item::Kind::Op, op->id()});
        return true;
    }
    return false;
}

bool MainWindow::exportView(const QString& path)
{
    const QString err = m_graphView->exportTo(path);
    if (!err.isEmpty()) {
        showError(err);
        return false;
    }
    statusBar()->showMessage(tr("Exported %1").arg(path), 5000);
    return true;
}

bool MainWindow::isBusy() const { return m_loading || m_graphView->isBusy(); }

void MainWindow::useDarkTheme(bool dark)
{
    const QSignalBlocker block(m_darkAction);
    m_darkAction->setChecked(dark);
    setDark(dark, false);
}

void MainWindow::setDark(bool dark, bool remember)
{
    applyTheme(dark);
    // Errors red, information (warnings while reading, a log directory without a graph yet) amber.
    m_messageBar->setStyleSheet(QString("QLabel#messageBar[kind=\"error\"] { background: %1; color: %2; }"
                                        "QLabel#messageBar[kind=\"info\"] { background: %3; color: %4; }")
                                    .arg(dark ? "#5a2a2a" : "#fde7e7", dark ? "#ffdede" : "#7a1010",
                                         dark ? "#4a4128" : "#fff4d6", dark ? "#f4e8c8" : "#5a4200"));
    if (remember)
        QSettings().setValue("view/dark", dark);
    const Theme theme{dark};
    if (m_graphView)
        m_graphView->setTheme(theme); // colours are baked into the drawing
    if (m_scopePanel)
        m_scopePanel->model()->setTheme(theme);
    if (m_scalars)
        m_scalars->runModel()->setTheme(theme);
    if (m_selection && m_selection->selectedItem())
        m_inspector->showItem(*m_selection->selectedItem()); // link colours are fixed when the HTML is parsed
}

void MainWindow::restoreState()
{
    QSettings s;
    if (s.contains("window/geometry"))
        restoreGeometry(s.value("window/geometry").toByteArray());
    if (s.contains("window/state"))
        m_dockStateRestored = QMainWindow::restoreState(s.value("window/state").toByteArray(), kDockStateVersion);
    bool dark = s.value("view/dark", false).toBool();
    m_darkAction->setChecked(dark);
    setDark(dark);
}

void MainWindow::closeEvent(QCloseEvent* e)
{
    QSettings s;
    s.setValue("window/geometry", saveGeometry());
    s.setValue("window/state", saveState(kDockStateVersion));
    QMainWindow::closeEvent(e);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e)
{
    if (e->mimeData()->hasUrls())
        e->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* e)
{
    const auto urls = e->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile())
        openPath(urls.first().toLocalFile());
}

void MainWindow::addRecent(const QString& path)
{
    QSettings s;
    QStringList recent = s.value("recent").toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    s.setValue("recent", recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value("recent").toStringList();
    for (const QString& p : recent)
        m_recentMenu->addAction(p, this, [this, p] { openPath(p); });
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::openSeedDemo() { setDocument(makeSeedDocument()); }

void MainWindow::reload()
{
    if (!m_document || m_document->path.isEmpty())
        openSeedDemo();
    else
        openPath(m_document->path);
}

void MainWindow::openPath(const QString& path)
{
    if (m_loading && m_cancelFlag)
        m_cancelFlag->store(true);
    m_loader.waitForDone(); // the previous load, cancelled, ends first
    m_cancelFlag = std::make_shared<std::atomic<bool>>(false);
    m_loadingPath = path;
    m_loading = true;
    m_progress->show();
    m_cancel->show();
    statusBar()->showMessage(tr("Opening %1 ...").arg(path));
    auto flag = m_cancelFlag;
    const quint64 generation = ++m_loadGeneration;
    // The window outlives the load (its destructor waits for m_loader), so the result can be
    // queued to it; a result that arrives after a newer openPath is dropped.
    startOnPool(m_loader, [this, generation, path, flag] {
        LoadResult r;
        try { // an exception becomes the error shown
            r = loadPath(path, flag.get());
        } catch (const std::exception& e) {
            r.error = QStringLiteral("%1: %2").arg(path, QString::fromUtf8(e.what()));
        } catch (...) {
            r.error = QStringLiteral("%1: unknown error while opening").arg(path);
        }
        postTo(this, [this, generation, r = std::move(r)]() mutable {
            if (generation == m_loadGeneration)
                onLoaded(std::move(r));
        });
    });
}

void MainWindow::onLoaded(LoadResult r)
{
    m_loading = false;
    m_progress->hide();
    m_cancel->hide();
    const bool cancelled = m_cancelFlag && m_cancelFlag->load();
    if (cancelled) {
        statusBar()->showMessage(tr("Opening %1 was cancelled").arg(m_loadingPath), 5000);
    } else if (!r.error.isEmpty()) {
        // The error names the file (and, for a damaged file, the byte offset); the graph shown stays.
        QString msg = tr("Cannot open %1").arg(r.error);
        if (m_document)
            msg += tr(" — %1 stays open.").arg(m_document->title);
        showError(msg);
        emit loadFailed(msg);
    } else if (r.document && r.document->partial) {
        // A damaged graph file: what came before the fault is readable, but a partial graph must not
        // silently replace the one the user is looking at. Offer it instead.
        const QString name = QFileInfo(m_loadingPath).fileName();
        const int ops = r.document->graph->numOps();
        if (r.isLogDir || r.isEventFile)
            followLogdir(m_loadingPath);
        if (m_document) {
            m_offeredPartial = r.document;
            const QString plain = tr("%1 is damaged: %2. %3 stays open.").arg(name, r.document->fault, m_document->title);
            const QString html = QStringLiteral("%1 &nbsp;<a href=\"open-partial\">%2</a>")
                                     .arg(plain.toHtmlEscaped(), tr("Show the %1 ops read before the fault").arg(ops));
            setMessage(plain, html, true);
            statusBar()->showMessage(plain, 10000);
            emit loadFailed(plain);
        } else {
            setDocument(r.document);
            const QString plain =
                tr("%1 is damaged: %2. Showing the %3 ops read before the fault.").arg(name, r.document->fault).arg(ops);
            showError(plain);
            emit loadFailed(plain);
        }
    } else {
        addRecent(m_loadingPath);
        if (r.isLogDir || r.isEventFile)
            followLogdir(m_loadingPath);
        if (r.document) {
            setDocument(r.document);
        } else if (r.isLogDir) {
            const QString keep = m_document ? tr(" %1 stays open.").arg(m_document->title) : QString();
            showInfo(tr("%1 holds no graph yet: following it, curves appear as event files are written.%2")
                         .arg(QDir::toNativeSeparators(m_loadingPath), keep));
        }
        if (r.document && !r.document->modelSummary.isEmpty())
            statusBar()->showMessage(tr("Opened %1 (%2)").arg(m_loadingPath, r.document->modelSummary), 10000);
        else
            statusBar()->showMessage(tr("Opened %1").arg(m_loadingPath), 5000);
    }
    emit loadFinished();
}

void MainWindow::openOfferedPartial()
{
    if (DocumentPtr d = std::exchange(m_offeredPartial, nullptr)) {
        setDocument(d);
        showError(tr("%1 is damaged: %2. Showing the %3 ops read before the fault.")
                      .arg(d->title, d->fault)
                      .arg(d->graph->numOps()));
    }
}

void MainWindow::setDocument(DocumentPtr doc)
{
    if (!doc)
        return;
    m_offeredPartial.reset();
    m_document = std::move(doc);
    setWindowTitle(QStringLiteral("%1 — scopeviz").arg(m_document->title));
    if (m_document->warnings.isEmpty())
        m_messageBar->hide();
    else
        showInfo(tr("%n warning(s) while reading %1; first: %2", nullptr, int(m_document->warnings.size()))
                     .arg(m_document->path.isEmpty() ? m_document->title : QFileInfo(m_document->path).fileName(),
                          m_document->warnings.first()));
    m_counts->setText(tr("%1 ops, %2 scopes, %3 shared variables")
                                 .arg(m_document->graph->numOps())
                                 .arg(m_document->tree->numScopes() - 1)
                                 .arg(m_document->tree->numSharedVariables()));
    emit documentChanged(m_document);
}

void MainWindow::followLogdir(const QString& logdir, const QString& topRunName)
{
    if (m_feed)
        m_feed->deleteLater();
    auto source = std::make_unique<ScalarSourceAdapter<LogdirWatcher>>(logdir.toStdString());
    source->watcher().setCollectRich(true); // histograms, images, audio and text for the dashboards beside Scalars
    m_feed = new ScalarFeed(std::move(source), logdir, this);
    m_scalars->setFeed(m_feed, topRunName);
    m_summaryHub->setFeed(m_feed, topRunName);
    m_scalarsStack->setCurrentIndex(1); // the dashboard: runs, errors of the directory, then curves
    connect(m_feed, &ScalarFeed::batchReady, this, [this](const WatchBatchPtr& batch) {
        if (!batch)
            return;
        for (const RunEvent& e : batch->events)
            if (e.kind == RunEvent::Kind::GraphFound)
                emit graphFound(QString::fromStdString(e.run), QString::fromStdString(e.file),
                                QByteArray::fromStdString(e.payload));
        growScalarsDockForData(); // after the dashboard (connected first) has stored the batch
    });
    m_feed->start();
}

void MainWindow::showError(const QString& message)
{
    setMessage(message, {}, true);
    statusBar()->showMessage(message, 10000);
}

void MainWindow::showInfo(const QString& message) { setMessage(message, {}, false); }

void MainWindow::setMessage(const QString& plain, const QString& html, bool error)
{
    m_messagePlain = plain;
    m_messageBar->setProperty("kind", error ? "error" : "info");
    m_messageBar->style()->unpolish(m_messageBar); // the style sheet selects on "kind"
    m_messageBar->style()->polish(m_messageBar);
    m_messageBar->setTextFormat(html.isEmpty() ? Qt::PlainText : Qt::RichText);
    m_messageBar->setText(html.isEmpty() ? plain : html);
    m_messageBar->show();
}

QString MainWindow::messageText() const { return m_messageBar->isVisible() ? m_messagePlain : QString(); }

bool MainWindow::saveScreenshot(const QString& file)
{
    QPixmap pm = grab();
    return !pm.isNull() && pm.save(file);
}

} // namespace scopeviz::ui
