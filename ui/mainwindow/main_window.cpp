#include "ui/mainwindow/main_window.h"

#include "core/graph/summary_ops.h"
#include "core/summary/logdir_watcher.h"
#include "ui/common/theme.h"
#include "ui/graph/graph_search.h"
#include "ui/graph/graph_view.h"
#include "ui/inspector/inspector.h"
#include "ui/scope/scope_panel.h"
#include "ui/scalars/scalar_feed.h"
#include "ui/scalars/scalars_dashboard.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
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
#include <QSettings>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace scopeviz::ui {

namespace {
constexpr int kMaxRecent = 10;
}

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
    m_messageBar->setTextInteractionFlags(Qt::TextSelectableByMouse);
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
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_cancelFlag)
            m_cancelFlag->store(true);
    });
    connect(&m_loader, &QFutureWatcher<LoadResult>::finished, this, &MainWindow::onLoaded);

    buildDocks();
    buildActions();
    wireGraph();
    restoreState();
}

MainWindow::~MainWindow()
{
    if (m_cancelFlag)
        m_cancelFlag->store(true);
    m_loader.waitForFinished();
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
    m_scalars = new ScalarsDashboard(m_scalarsDock);
    m_scalarsDock->setWidget(m_scalars);
    m_console = new QPlainTextEdit(m_consoleDock);
    m_console->setReadOnly(true);
    m_console->setMaximumBlockCount(20000);
    m_console->setFont(QFont("DejaVu Sans Mono", 9));
    m_consoleDock->setWidget(m_console);
    tabifyDockWidget(m_scalarsDock, m_consoleDock);
    m_scalarsDock->raise();
    resizeDocks({m_treeDock, m_inspectorDock}, {300, 320}, Qt::Horizontal);
    resizeDocks({m_scalarsDock}, {230}, Qt::Vertical);
}

void MainWindow::buildActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Graph or Event File..."), this, [this] {
        QString f = QFileDialog::getOpenFileName(this, tr("Open"), {},
                                                 tr("Graphs and event files (*.pb *.pbtxt *.meta *tfevents*);;All files (*)"));
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
    reloadAction->setShortcut(QKeySequence::Refresh);
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
    for (QDockWidget* d : {m_treeDock, m_inspectorDock, m_scalarsDock, m_consoleDock})
        view->addAction(d->toggleViewAction());
    view->addSeparator();
    m_darkAction = view->addAction(tr("&Dark Theme"));
    m_darkAction->setCheckable(true);
    m_darkAction->setShortcut(QKeySequence("Ctrl+Shift+D"));
    connect(m_darkAction, &QAction::toggled, this, &MainWindow::setDark);
}

void MainWindow::wireGraph()
{
    using hierarchy::Item;
    connect(this, &MainWindow::documentChanged, this, [this](DocumentPtr doc) {
        m_scopePanel->setDocument(doc);
        m_inspector->setDocument(doc);
        m_search->setDocument(doc);
        m_graphView->setDocument(doc);
        m_scalars->setTagPrefixFilter({});
    });
    // Expansion: graph <-> tree. Each side mirrors the other without echoing back.
    connect(m_graphView, &GraphView::scopeExpansionChanged, m_scopePanel, &ScopePanel::setScopeExpanded);
    connect(m_graphView, &GraphView::expansionReset, this, [this] {
        m_scopePanel->syncExpansion([this](hierarchy::ScopeId s) { return m_graphView->isScopeExpanded(s); });
    });
    connect(m_scopePanel, &ScopePanel::scopeExpansionRequested, m_graphView, &GraphView::setScopeExpanded);
    // Selection: graph <-> tree, and the inspector follows the graph.
    connect(m_graphView, &GraphView::selectionChanged, this, [this](Item it) {
        m_scopePanel->setSelectedItem(it);
        m_inspector->showItem(it);
    });
    connect(m_scopePanel, &ScopePanel::itemSelected, m_graphView, &GraphView::selectItem);
    connect(m_scopePanel, &ScopePanel::itemActivated, m_graphView, &GraphView::reveal);
    connect(m_inspector, &Inspector::navigateRequested, m_graphView, &GraphView::reveal);
    connect(m_search, &SearchBar::revealRequested, m_graphView, &GraphView::reveal);
    connect(m_inspector, &Inspector::scopePrefixChanged, m_scalars, &ScalarsDashboard::setTagPrefixFilter);
    connect(m_scalars, &ScalarsDashboard::tagTitleClicked, this, &MainWindow::revealSummaryTag);
}

void MainWindow::revealSummaryTag(const QString& tag)
{
    if (!m_document)
        return;
    for (const auto& [op, t] : m_inspector->summariesUnder({}))
        if (t == tag) {
            m_graphView->reveal(hierarchy::Item{hierarchy::Item::Kind::Op, op});
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
        m_graphView->reveal(hierarchy::Item{hierarchy::Item::Kind::Scope, s});
        return true;
    }
    if (const Operation* op = m_document->graph->findOp(n)) {
        m_graphView->reveal(hierarchy::Item{hierarchy::Item::Kind::Op, op->id()});
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

void MainWindow::setDark(bool dark)
{
    applyTheme(dark);
    QPalette p = QApplication::palette();
    m_messageBar->setStyleSheet(QString("QLabel#messageBar { background: %1; color: %2; }")
                                    .arg(dark ? "#5a2a2a" : "#fde7e7", dark ? "#ffdede" : "#7a1010"));
    QSettings().setValue("view/dark", dark);
    if (m_graphView && m_graphView->document())
        m_graphView->setExpansion(m_graphView->expansion()); // colours are baked into the drawing
}

void MainWindow::restoreState()
{
    QSettings s;
    if (s.contains("window/geometry"))
        restoreGeometry(s.value("window/geometry").toByteArray());
    if (s.contains("window/state"))
        QMainWindow::restoreState(s.value("window/state").toByteArray());
    bool dark = s.value("view/dark", false).toBool();
    m_darkAction->setChecked(dark);
    setDark(dark);
}

void MainWindow::closeEvent(QCloseEvent* e)
{
    QSettings s;
    s.setValue("window/geometry", saveGeometry());
    s.setValue("window/state", saveState());
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
    m_loader.waitForFinished();
    m_cancelFlag = std::make_shared<std::atomic<bool>>(false);
    m_loadingPath = path;
    m_loading = true;
    m_progress->show();
    m_cancel->show();
    statusBar()->showMessage(tr("Opening %1 ...").arg(path));
    auto flag = m_cancelFlag;
    m_loader.setFuture(QtConcurrent::run([path, flag] { return loadPath(path, flag.get()); }));
}

void MainWindow::onLoaded()
{
    m_loading = false;
    m_progress->hide();
    m_cancel->hide();
    LoadResult r = m_loader.result();
    const bool cancelled = m_cancelFlag && m_cancelFlag->load();
    if (cancelled) {
        statusBar()->showMessage(tr("Opening %1 was cancelled").arg(m_loadingPath), 5000);
    } else if (!r.error.isEmpty()) {
        showError(r.error);
        emit loadFailed(r.error);
    } else {
        addRecent(m_loadingPath);
        if (r.isLogDir || r.isEventFile)
            followLogdir(m_loadingPath);
        if (r.document) {
            setDocument(r.document);
        } else if (r.isLogDir) {
            showInfo(tr("%1 holds no graph yet: following its scalars.").arg(m_loadingPath));
        }
        statusBar()->showMessage(tr("Opened %1").arg(m_loadingPath), 5000);
    }
    emit loadFinished();
}

void MainWindow::setDocument(DocumentPtr doc)
{
    if (!doc)
        return;
    m_document = std::move(doc);
    setWindowTitle(QStringLiteral("%1 — scopeviz").arg(m_document->title));
    if (m_document->warnings.isEmpty())
        m_messageBar->hide();
    else
        showInfo(tr("%n warning(s) while reading %1; first: %2", nullptr, int(m_document->warnings.size()))
                     .arg(m_document->path.isEmpty() ? m_document->title : QFileInfo(m_document->path).fileName(),
                          m_document->warnings.first()));
    statusBar()->showMessage(tr("%1 ops, %2 scopes, %3 shared variables")
                                 .arg(m_document->graph->numOps())
                                 .arg(m_document->tree->numScopes() - 1)
                                 .arg(m_document->tree->numSharedVariables()));
    emit documentChanged(m_document);
}

void MainWindow::followLogdir(const QString& logdir)
{
    if (m_feed)
        m_feed->deleteLater();
    m_feed = new ScalarFeed(std::make_unique<ScalarSourceAdapter<LogdirWatcher>>(logdir.toStdString()), logdir, this);
    m_scalars->setFeed(m_feed);
    connect(m_feed, &ScalarFeed::batchReady, this, [this](const WatchBatchPtr& batch) {
        if (!batch)
            return;
        for (const RunEvent& e : batch->events)
            if (e.kind == RunEvent::Kind::GraphFound)
                emit graphFound(QString::fromStdString(e.run), QByteArray::fromStdString(e.payload));
    });
    m_feed->start();
}

void MainWindow::showError(const QString& message)
{
    m_messageBar->setProperty("kind", "error");
    m_messageBar->setText(message);
    m_messageBar->show();
    statusBar()->showMessage(message, 10000);
}

void MainWindow::showInfo(const QString& message)
{
    m_messageBar->setProperty("kind", "info");
    m_messageBar->setText(message);
    m_messageBar->show();
}

QString MainWindow::messageText() const { return m_messageBar->isVisible() ? m_messageBar->text() : QString(); }

bool MainWindow::saveScreenshot(const QString& file)
{
    QPixmap pm = grab();
    return !pm.isNull() && pm.save(file);
}

} // namespace scopeviz::ui
