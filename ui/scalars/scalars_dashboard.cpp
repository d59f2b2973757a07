#include "ui/scalars/scalars_dashboard.h"

#include "ui/common/filter_regex.h"
#include "ui/common/theme.h"
#include "ui/scalars/chart_grid.h"
#include "ui/scalars/run_list_model.h"
#include "ui/scalars/scalar_chart.h"
#include "ui/scalars/scalar_feed.h"
#include "ui/scalars/scalars_context.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMap>
#include <QMenu>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace scopeviz::ui {
namespace {

constexpr int MinRefreshMs = 60;
/// While the feed catches up, a refresh waits this many times the last one's cost (scheduleRefresh), and
/// between these bounds (ms).
constexpr double CatchUpRefreshFactor = 8;
constexpr int CatchUpMinRefreshMs = 250;
constexpr int CatchUpMaxRefreshMs = 2000;

/// Escapes regex metacharacters but leaves '/' readable ("^summary/" rather than "^summary\/").
QString escapeRegex(const QString& s)
{
    static const QString meta = QStringLiteral("\\^$.|?*+()[]{}");
    QString out;
    for (QChar c : s) {
        if (meta.contains(c))
            out += QLatin1Char('\\');
        out += c;
    }
    return out;
}

/// Natural order: "layer2" before "layer10"; case-insensitive, then case-sensitive as a tie-break.
/// (QCollator's numeric mode is unavailable in the C locale, which is what tests and many shells run in.)
bool naturalLess(const QString& a, const QString& b)
{
    qsizetype i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i].isDigit() && b[j].isDigit()) {
            qsizetype i2 = i, j2 = j;
            while (i2 < a.size() && a[i2].isDigit())
                ++i2;
            while (j2 < b.size() && b[j2].isDigit())
                ++j2;
            // Compare digit runs by value: skip leading zeros, then length, then digits.
            qsizetype ia = i, jb = j;
            while (ia + 1 < i2 && a[ia] == QLatin1Char('0'))
                ++ia;
            while (jb + 1 < j2 && b[jb] == QLatin1Char('0'))
                ++jb;
            if (i2 - ia != j2 - jb)
                return i2 - ia < j2 - jb;
            for (; ia < i2; ++ia, ++jb)
                if (a[ia] != b[jb])
                    return a[ia] < b[jb];
            i = i2;
            j = j2;
            continue;
        }
        const QChar ca = a[i].toLower(), cb = b[j].toLower();
        if (ca != cb)
            return ca < cb;
        ++i;
        ++j;
    }
    if ((a.size() - i) != (b.size() - j))
        return a.size() - i < b.size() - j;
    return a < b;
}

QFrame* separator()
{
    auto* line = new QFrame;
    line->setFrameShape(QFrame::HLine);
    line->setFrameShadow(QFrame::Sunken);
    return line;
}

QLabel* heading(const QString& text)
{
    auto* l = new QLabel(text);
    QFont f = l->font();
    f.setBold(true);
    l->setFont(f);
    return l;
}

} // namespace

ScalarsDashboard::ScalarsDashboard(QWidget* parent) : QWidget(parent), m_ctx(std::make_unique<ScalarsContext>())
{
    m_runModel = new RunListModel(&m_ctx->store(), this);
    m_ctx->setRunModel(m_runModel);
    buildUi();
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, [this] { refresh(true); });
    m_replotTimer.setSingleShot(true);
    connect(&m_replotTimer, &QTimer::timeout, this, &ScalarsDashboard::replotNext);
    m_sinceRefresh.start();
    connect(m_runModel, &RunListModel::visibilityChanged, this, [this] {
        m_allDirty = true;
        scheduleRefresh();
    });
    rebuildSections();
}

ScalarsDashboard::~ScalarsDashboard()
{
    // Charts read the context: destroy them before it goes.
    delete m_scroll;
    m_scroll = nullptr;
}

void ScalarsDashboard::buildUi()
{
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->setChildrenCollapsible(false);
    auto* outer = new QHBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(split);

    // ---- sidebar: runs (the legend) and view controls
    auto* side = new QWidget;
    side->setMinimumWidth(220);
    side->setMaximumWidth(420);
    auto* sl = new QVBoxLayout(side);
    sl->setContentsMargins(10, 10, 8, 10);
    sl->setSpacing(6);

    auto* runsHead = new QHBoxLayout;
    runsHead->addWidget(heading(tr("Runs")));
    m_runCount = new QLabel;
    m_runCount->setForegroundRole(QPalette::PlaceholderText);
    runsHead->addWidget(m_runCount);
    runsHead->addStretch();
    auto* all = new QToolButton;
    all->setText(tr("All"));
    all->setAutoRaise(true);
    auto* none = new QToolButton;
    none->setText(tr("None"));
    none->setAutoRaise(true);
    runsHead->addWidget(all);
    runsHead->addWidget(none);
    sl->addLayout(runsHead);
    connect(all, &QToolButton::clicked, this, [this] { m_runModel->setAllChecked(true); });
    connect(none, &QToolButton::clicked, this, [this] { m_runModel->setAllChecked(false); });

    m_runFilter = new QLineEdit;
    m_runFilter->setPlaceholderText(tr("Filter runs (regex)"));
    m_runFilter->setClearButtonEnabled(true);
    sl->addWidget(m_runFilter);

    m_runProxy = new QSortFilterProxyModel(this);
    m_runProxy->setSourceModel(m_runModel);
    m_runProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_runView = new QListView;
    m_runView->setModel(m_runProxy);
    m_runView->setUniformItemSizes(true);
    m_runView->setIconSize(QSize(16, 16));
    m_runView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_runView->setTextElideMode(Qt::ElideMiddle);
    m_runView->setToolTip(tr("Check to show a run; select runs to draw them on top (with many runs the others turn faint).\n"
                             "Right-click to group runs like the one under the mouse."));
    m_runView->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_runView, &QWidget::customContextMenuRequested, this, &ScalarsDashboard::runListMenu);
    sl->addWidget(m_runView, 1);
    connect(m_runFilter, &QLineEdit::textChanged, this, &ScalarsDashboard::setRunFilter);
    connect(m_runView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        std::vector<int> runs;
        for (const QModelIndex& i : m_runView->selectionModel()->selectedRows())
            runs.push_back(m_runProxy->mapToSource(i).row());
        m_ctx->setSelectedRuns(std::move(runs));
        m_allDirty = true;
        scheduleRefresh();
    });
    // Grouping belongs to the run list: the runs it groups are the ones listed above it.
    m_group = new QCheckBox(tr("Group runs by (mean ± band)"));
    m_group->setToolTip(tr("Runs whose names differ only in the matched part (or share the first capture group)\n"
                           "are drawn as one mean curve with a band, aligned by step on the full data."));
    sl->addWidget(m_group);
    m_groupRegex = new QLineEdit(m_ctx->settings().groupRegex.pattern());
    m_groupRegex->setPlaceholderText(tr("regex, e.g. _seed\\d+$ or (.*)_seed"));
    sl->addWidget(m_groupRegex);
    m_band = new QComboBox;
    m_band->addItem(tr("Band: min – max"), int(BandMode::MinMax));
    m_band->addItem(tr("Band: mean ± std"), int(BandMode::StdDev));
    sl->addWidget(m_band);
    connect(m_group, &QCheckBox::toggled, this, [this](bool on) {
        m_ctx->settings().grouping = on;
        settingsChanged();
    });
    connect(m_groupRegex, &QLineEdit::textChanged, this, [this](const QString& text) {
        bool valid = true;
        QRegularExpression re(text);
        valid = re.isValid();
        m_groupRegex->setStyleSheet(valid ? QString() : QStringLiteral("color: %1").arg(themeColor(ThemeColor::Error, palette()).name()));
        if (!valid)
            return;
        m_ctx->settings().groupRegex = re;
        m_ctx->regroup();
        settingsChanged();
    });
    connect(m_band, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_ctx->settings().band = BandMode(m_band->itemData(i).toInt());
        settingsChanged();
    });


    sl->addWidget(separator());
    auto* smoothHead = new QHBoxLayout;
    smoothHead->addWidget(heading(tr("Smoothing")));
    smoothHead->addStretch();
    m_smoothValue = new QLabel;
    m_smoothValue->setMinimumWidth(40);
    m_smoothValue->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    smoothHead->addWidget(m_smoothValue);
    sl->addLayout(smoothHead);
    m_smoothSlider = new QSlider(Qt::Horizontal);
    m_smoothSlider->setRange(0, 999);
    m_smoothSlider->setValue(int(std::lround(m_ctx->settings().smoothing * 1000)));
    m_smoothSlider->setToolTip(tr("Weight of the previous value across one logging interval.\n"
                                  "Weighted by step distance over the full series; raw data is drawn faintly."));
    m_smoothValue->setText(QString::number(m_ctx->settings().smoothing, 'f', 3));
    sl->addWidget(m_smoothSlider);
    connect(m_smoothSlider, &QSlider::valueChanged, this, [this](int v) {
        m_ctx->settings().smoothing = v / 1000.0;
        m_smoothValue->setText(QString::number(v / 1000.0, 'f', 3));
        settingsChanged();
    });

    sl->addWidget(separator());
    sl->addWidget(heading(tr("Horizontal axis")));
    m_xMode = new QComboBox;
    m_xMode->addItem(tr("Step"), int(XAxisMode::Step));
    m_xMode->addItem(tr("Relative time"), int(XAxisMode::Relative));
    m_xMode->addItem(tr("Wall time"), int(XAxisMode::Wall));
    sl->addWidget(m_xMode);
    connect(m_xMode, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_ctx->settings().xMode = XAxisMode(m_xMode->itemData(i).toInt());
        m_hasSharedX = false;
        resetAllViews();
        settingsChanged();
    });
    auto* scales = new QHBoxLayout;
    m_logX = new QCheckBox(tr("Log x"));
    m_logY = new QCheckBox(tr("Log y"));
    scales->addWidget(m_logX);
    scales->addWidget(m_logY);
    scales->addStretch();
    sl->addLayout(scales);
    m_linkX = new QCheckBox(tr("Link x axes of all charts"));
    m_linkX->setChecked(m_ctx->settings().linkX);
    sl->addWidget(m_linkX);
    connect(m_logX, &QCheckBox::toggled, this, [this](bool on) {
        m_ctx->settings().logX = on;
        m_hasSharedX = false;
        resetAllViews();
        settingsChanged();
    });
    connect(m_logY, &QCheckBox::toggled, this, [this](bool on) {
        m_ctx->settings().logY = on;
        resetAllViews();
        settingsChanged();
    });
    connect(m_linkX, &QCheckBox::toggled, this, [this](bool on) {
        m_ctx->settings().linkX = on;
        m_hasSharedX = false;
    });

    // ---- main area: tag filter, status, chart grid
    auto* main = new QWidget;
    auto* ml = new QVBoxLayout(main);
    ml->setContentsMargins(0, 8, 0, 0);
    ml->setSpacing(4);
    auto* top = new QHBoxLayout;
    top->setContentsMargins(12, 0, 12, 0);
    m_tagFilter = new QLineEdit;
    m_tagFilter->setPlaceholderText(tr("Filter tags (regex), e.g. ^summary/ or loss|acc"));
    m_tagFilter->setClearButtonEnabled(true);
    top->addWidget(m_tagFilter, 1);
    m_status = new QLabel;
    m_status->setForegroundRole(QPalette::PlaceholderText);
    top->addWidget(m_status);
    ml->addLayout(top);
    connect(m_tagFilter, &QLineEdit::textChanged, this, &ScalarsDashboard::setTagFilter);

    m_banner = new QLabel;
    m_banner->setWordWrap(true);
    m_banner->setContentsMargins(12, 4, 12, 4);
    m_banner->setStyleSheet(QStringLiteral("color: %1").arg(themeColor(ThemeColor::Error, palette()).name()));
    m_banner->hide();
    ml->addWidget(m_banner);

    m_scroll = new QScrollArea;
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidgetResizable(true);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_scroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    m_scroll->verticalScrollBar()->setSingleStep(40);
    m_grid = new ChartGrid(m_ctx.get());
    m_scroll->setWidget(m_grid);
    ml->addWidget(m_scroll, 1);
    connect(m_grid, &ChartGrid::chartCreated, this, &ScalarsDashboard::onChartCreated);
    m_grid->setReplotter([this](ScalarChart* chart) { queueReplot(chart); });
    connect(m_grid, &ChartGrid::chartBound, this, [this](ScalarChart* chart) {
        if (m_ctx->settings().linkX && m_hasSharedX)
            chart->setLinkedXRange(m_sharedX);
    });

    // The controls scroll on their own, so the dock can be low while the charts keep its height.
    auto* sideScroll = new QScrollArea;
    sideScroll->setObjectName("scalarsControls");
    sideScroll->setFrameShape(QFrame::NoFrame);
    sideScroll->setWidgetResizable(true);
    sideScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    sideScroll->setWidget(side);
    sideScroll->setMinimumWidth(side->minimumWidth());
    sideScroll->setMaximumWidth(side->maximumWidth());
    split->addWidget(sideScroll);
    split->addWidget(main);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setSizes({250, 1000});
}

void ScalarsDashboard::onChartCreated(ScalarChart* chart)
{
    connect(chart, &ScalarChart::titleClicked, this, &ScalarsDashboard::tagTitleClicked);
    connect(chart, &ScalarChart::userXRangeChanged, this,
            [this, chart](const QCPRange& r) { onUserXRange(chart, r); });
    connect(chart, &ScalarChart::resetRequested, this, [this] {
        if (m_ctx->settings().linkX)
            resetAllViews();
    });
}

void ScalarsDashboard::onUserXRange(ScalarChart* source, const QCPRange& range)
{
    if (!m_ctx->settings().linkX)
        return;
    m_sharedX = range;
    m_hasSharedX = true;
    for (ScalarChart* c : m_grid->boundCharts())
        if (c != source)
            c->setLinkedXRange(range);
}

void ScalarsDashboard::resetAllViews()
{
    m_hasSharedX = false;
    for (ScalarChart* c : m_grid->boundCharts())
        c->resetView();
}

void ScalarsDashboard::setFeed(ScalarFeed* feed, const QString& topRunName)
{
    if (m_feedConnection)
        disconnect(m_feedConnection);
    m_feed = feed;
    QString label = topRunName;
    if (label.isEmpty() && feed && !feed->logdir().isEmpty())
        label = QFileInfo(QDir::cleanPath(QDir(feed->logdir()).absolutePath())).fileName();
    m_ctx->store().setTopRunLabel(label.toStdString());
    m_runsDirty = true;
    if (feed)
        m_feedConnection = connect(feed, &ScalarFeed::batchReady, this, [this](const WatchBatchPtr& batch) {
            if (batch)
                applyBatch(*batch);
        });
}

void ScalarsDashboard::applyBatch(const WatchBatch& batch)
{
    const StoreChanges ch = m_ctx->store().apply(batch);
    if (ch.empty())
        return;
    const ScalarStore& store = m_ctx->store();
    for (int id : ch.series)
        m_dirtyTags.insert(store.seriesTag(id));
    if (!ch.newTags.empty())
        m_sectionsDirty = true;
    if (ch.runsChanged || ch.logdirChanged)
        m_runsDirty = true;
    scheduleRefresh();
}

void ScalarsDashboard::scheduleRefresh()
{
    // New data waits until the charts of the last refresh are replotted, then at least three times as
    // long as that refresh took to draw (its dense images included), so that charts with thousands of
    // runs leave the GUI thread and the cores two thirds of their time. While the feed is catching up
    // with a big directory, every redraw competes with reading: then CatchUpRefreshFactor times, and
    // CatchUpMinRefreshMs at least; once it has caught up, a refresh planned further ahead comes
    // sooner. A user's change does not wait.
    qint64 gap = MinRefreshMs;
    if (!m_allDirty && !m_runsDirty && !m_sectionsDirty) {
        if (!m_replotQueue.isEmpty())
            return; // replotNext() comes back here once the queue is done
        const bool catchingUp = m_feed && m_feed->catchingUp();
        gap = catchingUp ? std::clamp<qint64>(qint64(CatchUpRefreshFactor * m_lastRefreshCostMs), CatchUpMinRefreshMs,
                                              CatchUpMaxRefreshMs)
                         : std::clamp<qint64>(qint64(3 * m_lastRefreshCostMs), MinRefreshMs, 1200);
    }
    const int wait = int(std::max<qint64>(0, gap - m_sinceRefresh.elapsed()));
    if (m_refreshTimer.isActive() && m_refreshTimer.remainingTime() <= wait)
        return;
    m_refreshTimer.start(wait);
}

void ScalarsDashboard::queueReplot(ScalarChart* chart)
{
    if (!m_replotQueue.contains(chart))
        m_replotQueue.append(chart);
    if (!m_replotTimer.isActive()) {
        if (m_replotQueue.size() == 1)
            m_refreshCostMs = 0;
        m_replotTimer.start(0);
    }
}

void ScalarsDashboard::flushReplots(bool wholeImages)
{
    for (const QPointer<ScalarChart>& chart : std::exchange(m_replotQueue, {}))
        if (chart && chart->tagId() >= 0) {
            if (wholeImages)
                chart->replotWhole();
            else
                chart->replot();
        }
    m_replotTimer.stop();
}

void ScalarsDashboard::replotNext()
{
    while (!m_replotQueue.isEmpty()) {
        QPointer<ScalarChart> chart = m_replotQueue.takeFirst();
        if (!chart || chart->tagId() < 0)
            continue;
        QElapsedTimer t;
        t.start();
        chart->replot(); // a dense image continues in slices of its own
        // A dense image costs its slices too: count what the last one took.
        m_refreshCostMs += double(t.nsecsElapsed()) / 1e6 + (chart->denseMode() ? chart->lastDenseImageMs() : 0.0);
        break;
    }
    if (!m_replotQueue.isEmpty()) {
        m_replotTimer.start(0); // the next chart after timers and input had their turn
    } else {
        m_lastRefreshCostMs = m_refreshCostMs;
        m_refreshCostMs = 0;
        if (!m_dirtyTags.isEmpty()) // new data came while the charts were replotted
            scheduleRefresh();
    }
}

void ScalarsDashboard::settingsChanged()
{
    m_ctx->settingsChanged();
    m_allDirty = true;
    scheduleRefresh();
}

void ScalarsDashboard::refreshNow() { refresh(false); }

void ScalarsDashboard::refresh(bool queued, bool wholeImages)
{
    m_refreshTimer.stop();
    m_sinceRefresh.restart();
    ++m_refreshes;
    const ScalarStore& store = m_ctx->store();
    if (m_runsDirty || m_runModel->rowCount() != store.runCount()) {
        m_runModel->syncWithStore();
        m_allDirty = true; // error markers and group membership
    }
    if (m_runsDirty || !m_dirtyTags.isEmpty() || m_allDirty)
        m_ctx->regroup(); // new runs, new first wall times
    m_runsDirty = false;
    QStringList notes;
    if (store.logdirMissing())
        notes << tr("The log directory does not exist (any more). Curves already read are kept; "
                    "they continue when it comes back.");
    if (!store.logdirProblem().empty())
        notes << tr("Part of the log directory cannot be read: %1").arg(QString::fromStdString(store.logdirProblem()));
    m_banner->setText(notes.join(QLatin1Char('\n')));
    m_banner->setVisible(!notes.isEmpty());
    if (m_sectionsDirty) {
        m_sectionsDirty = false;
        rebuildSections();
    }
    for (ScalarChart* chart : m_grid->boundCharts()) {
        if (m_allDirty || m_dirtyTags.contains(chart->tagId())) {
            chart->invalidate();
            // During ingest charts replot one per pass of the event loop, each at most once per
            // refresh; refreshNow() draws them all before it returns.
            queueReplot(chart);
        }
    }
    if (!queued)
        flushReplots(wholeImages);
    m_allDirty = false;
    m_dirtyTags.clear();
    updateStatus();
}

void ScalarsDashboard::updateStatus()
{
    const ScalarStore& store = m_ctx->store();
    int shownTags = 0;
    for (const auto& s : m_grid->sections())
        shownTags += int(s.tags.size());
    const QString charts = store.tagCount() == 1 ? tr("1 chart") : tr("%1 charts").arg(store.tagCount());
    m_status->setText(shownTags == store.tagCount() ? charts : tr("%1 of %2").arg(shownTags).arg(charts));
    const int shownRuns = m_ctx->shownRunCount();
    m_runCount->setText(shownRuns == store.runCount() ? QString::number(store.runCount())
                                                       : tr("%1 of %2").arg(shownRuns).arg(store.runCount()));
}

void ScalarsDashboard::rebuildSections()
{
    const ScalarStore& store = m_ctx->store();
    while (m_tagNames.size() < store.tagCount())
        m_tagNames << QString::fromStdString(store.tag(int(m_tagNames.size())));
    QMap<QString, std::vector<int>> byPrefix;
    const bool filtering = !m_tagRegex.pattern().isEmpty();
    for (int t = 0; t < int(m_tagNames.size()); ++t) {
        const QString& tag = m_tagNames[t];
        if (filtering && !m_tagRegex.match(tag).hasMatch())
            continue;
        const int slash = tag.indexOf(QLatin1Char('/'));
        byPrefix[slash < 0 ? QString() : tag.left(slash)].push_back(t);
    }
    // Prefixes holding a single tag (the DQN file: Average_Loss/Episode, Duration/Episode, ...)
    // would each take a whole row: when there are several, they share the top-level section.
    QStringList singles;
    for (auto it = byPrefix.cbegin(); it != byPrefix.cend(); ++it)
        if (!it.key().isEmpty() && it.value().size() == 1)
            singles << it.key();
    if (singles.size() >= 2) {
        for (const QString& p : singles)
            byPrefix[QString()].push_back(byPrefix.take(p).front());
    }
    QStringList prefixes = byPrefix.keys();
    std::sort(prefixes.begin(), prefixes.end(), [&](const QString& a, const QString& b) {
        if (a.isEmpty() != b.isEmpty())
            return b.isEmpty(); // top-level tags last
        return naturalLess(a, b);
    });
    std::vector<ChartGrid::Section> sections;
    for (const QString& p : prefixes) {
        std::vector<int> ids = byPrefix.value(p);
        std::sort(ids.begin(), ids.end(),
                  [&](int a, int b) { return naturalLess(m_tagNames[a], m_tagNames[b]); });
        ChartGrid::Section sec;
        sec.prefix = p;
        for (int id : ids) {
            sec.tags << m_tagNames[id];
            sec.tagIds.push_back(id);
        }
        sections.push_back(std::move(sec));
    }
    const bool hidden = sections.empty() && store.tagCount() > 0;
    m_grid->setSections(std::move(sections));
    m_grid->setEmptyText(hidden ? tr("No chart matches the tag filter \u201c%1\u201d (%2 logged).\n"
                                     "Clear the filter to see them all.")
                                      .arg(m_tagRegex.pattern(),
                                           store.tagCount() == 1 ? tr("1 tag") : tr("%1 tags").arg(store.tagCount()))
                                : QString());
    updateStatus();
}

void ScalarsDashboard::setTagFilter(const QString& regex)
{
    if (m_tagFilter->text() != regex) {
        m_tagFilter->setText(regex); // re-enters through textChanged
        return;
    }
    bool valid = true;
    m_tagRegex = regex.isEmpty() ? QRegularExpression() : filterRegex(regex, &valid);
    if (valid != m_tagFilterValid) { // a style sheet change re-polishes the widget: only when it changes
        m_tagFilterValid = valid;
        m_tagFilter->setToolTip(valid ? QString() : tr("Not a valid regular expression; matching it literally."));
        m_tagFilter->setStyleSheet(valid ? QString() : QStringLiteral("color: %1").arg(themeColor(ThemeColor::Error, palette()).name()));
    }
    m_scroll->verticalScrollBar()->setValue(0);
    rebuildSections();
}

QString ScalarsDashboard::tagFilter() const { return m_tagFilter->text(); }

void ScalarsDashboard::setTagPrefixFilter(const QString& prefix)
{
    setTagFilter(prefix.isEmpty() ? QString() : QLatin1Char('^') + escapeRegex(prefix));
}

void ScalarsDashboard::setRunFilter(const QString& regex)
{
    if (m_runFilter->text() != regex) {
        m_runFilter->setText(regex);
        return;
    }
    const QRegularExpression re = regex.isEmpty() ? QRegularExpression() : filterRegex(regex);
    m_runProxy->setFilterRegularExpression(re);
    m_ctx->setRunFilter(re);
    m_allDirty = true;
    // The list and the charts' curves follow now; images of 10,000 curves follow in slices.
    refresh(false, false);
}

void ScalarsDashboard::setRunVisible(const QString& run, bool visible)
{
    m_runModel->setChecked(m_ctx->store().findRunByLabel(run.toStdString()), visible);
}

void ScalarsDashboard::setSmoothing(double s) { m_smoothSlider->setValue(int(std::lround(std::clamp(s, 0.0, 0.999) * 1000))); }
double ScalarsDashboard::smoothing() const { return m_ctx->settings().smoothing; }

void ScalarsDashboard::setXAxisMode(XAxisMode mode) { m_xMode->setCurrentIndex(m_xMode->findData(int(mode))); }
XAxisMode ScalarsDashboard::xAxisMode() const { return m_ctx->settings().xMode; }
void ScalarsDashboard::setLogX(bool on) { m_logX->setChecked(on); }
void ScalarsDashboard::setLogY(bool on) { m_logY->setChecked(on); }
void ScalarsDashboard::setLinkX(bool on) { m_linkX->setChecked(on); }

void ScalarsDashboard::setRunGrouping(bool on, const QString& regex)
{
    if (!regex.isEmpty())
        m_groupRegex->setText(regex);
    m_group->setChecked(on);
}

void ScalarsDashboard::setSelectedRuns(const std::vector<int>& runs)
{
    QItemSelection sel;
    for (int r : runs) {
        const QModelIndex i = m_runProxy->mapFromSource(m_runModel->index(r));
        if (i.isValid())
            sel.select(i, i);
    }
    m_runView->selectionModel()->select(sel, QItemSelectionModel::ClearAndSelect);
}

QString ScalarsDashboard::groupRegexFor(const QString& run)
{
    // The last "<separator><letters><digits>" of the name ("_seed3", "-s12", "run7"); digits alone otherwise.
    static const QRegularExpression last(QStringLiteral("([_\\-./]?[A-Za-z]*)\\d+(?!.*\\d)"));
    const QRegularExpressionMatch m = last.match(run);
    if (!m.hasMatch())
        return {};
    const bool atEnd = m.capturedEnd() == run.size();
    return QRegularExpression::escape(m.captured(1)) + QStringLiteral("\\d+") + (atEnd ? QStringLiteral("$") : QString());
}

void ScalarsDashboard::groupRunsLike(const QString& run)
{
    const QString regex = groupRegexFor(run);
    if (!regex.isEmpty())
        setRunGrouping(true, regex);
}

void ScalarsDashboard::runListMenu(const QPoint& pos)
{
    const QModelIndex at = m_runView->indexAt(pos);
    QMenu menu(this);
    if (at.isValid()) {
        const QString run = at.data(Qt::DisplayRole).toString();
        const QString regex = groupRegexFor(run);
        QAction* like = menu.addAction(regex.isEmpty() ? tr("Group runs like %1").arg(run)
                                                       : tr("Group runs differing only in %1").arg(regex));
        like->setEnabled(!regex.isEmpty());
        connect(like, &QAction::triggered, this, [this, run] { groupRunsLike(run); });
    }
    QAction* group = menu.addAction(tr("Group runs by the regex below"));
    group->setCheckable(true);
    group->setChecked(m_group->isChecked());
    connect(group, &QAction::toggled, m_group, &QCheckBox::setChecked);
    menu.addSeparator();
    connect(menu.addAction(tr("Show only the selected runs")), &QAction::triggered, this, [this] {
        const QModelIndexList rows = m_runView->selectionModel()->selectedRows();
        if (rows.isEmpty())
            return;
        m_runModel->setAllChecked(false);
        for (const QModelIndex& i : rows)
            m_runModel->setChecked(m_runProxy->mapToSource(i).row(), true);
    });
    connect(menu.addAction(tr("Clear the selection")), &QAction::triggered, m_runView, &QListView::clearSelection);
    menu.exec(m_runView->viewport()->mapToGlobal(pos));
}

void ScalarsDashboard::setBandMode(BandMode mode) { m_band->setCurrentIndex(m_band->findData(int(mode))); }

const ScalarStore& ScalarsDashboard::store() const { return m_ctx->store(); }

QStringList ScalarsDashboard::sections() const
{
    QStringList out;
    for (const auto& s : m_grid->sections())
        out << s.prefix;
    return out;
}

QStringList ScalarsDashboard::tagsInSection(const QString& prefix) const
{
    for (const auto& s : m_grid->sections())
        if (s.prefix == prefix)
            return s.tags;
    return {};
}

QStringList ScalarsDashboard::visibleTags() const
{
    QStringList out;
    for (const auto& s : m_grid->sections())
        out << s.tags;
    return out;
}

ScalarChart* ScalarsDashboard::chartForTag(const QString& tag) const { return m_grid->chartFor(tag); }

ScalarChart* ScalarsDashboard::scrollToTag(const QString& tag)
{
    for (const auto& sec : m_grid->sections())
        if (sec.tags.contains(tag))
            m_grid->setCollapsed(sec.prefix, false);
    const QRect r = m_grid->cardRect(tag);
    if (r.isNull())
        return nullptr;
    m_scroll->ensureVisible(r.center().x(), r.center().y(), 0, r.height() / 2 + ChartGrid::Gap);
    m_grid->updateBindings();
    flushReplots();
    return m_grid->chartFor(tag);
}

template <class F>
bool ScalarsDashboard::withChart(const QString& tag, F&& f)
{
    refreshNow();
    if (ScalarChart* c = m_grid->chartFor(tag))
        return f(c);
    // Out of view: a temporary, never-shown chart does the work.
    const int id = m_ctx->store().findTag(tag.toStdString());
    if (id < 0)
        return false;
    ScalarChart tmp(m_ctx.get());
    tmp.resize(640, 400);
    tmp.bind(id, tag);
    const bool ok = f(&tmp);
    tmp.bind(-1, QString());
    return ok;
}

bool ScalarsDashboard::exportCsv(const QString& tag, const QString& path, QString* error)
{
    return withChart(tag, [&](ScalarChart* c) { return c->exportCsv(path, error); });
}

bool ScalarsDashboard::exportJson(const QString& tag, const QString& path, QString* error)
{
    return withChart(tag, [&](ScalarChart* c) { return c->exportJson(path, error); });
}

bool ScalarsDashboard::exportPng(const QString& tag, const QString& path, int width, int height)
{
    return withChart(tag, [&](ScalarChart* c) { return c->exportPng(path, width, height); });
}

bool ScalarsDashboard::exportSvg(const QString& tag, const QString& path, int width, int height)
{
    return withChart(tag, [&](ScalarChart* c) { return c->exportSvg(path, width, height); });
}

} // namespace scopeviz::ui
