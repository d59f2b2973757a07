#include "ui/summaries/summary_dashboard.h"

#include "ui/common/filter_regex.h"
#include "ui/scalars/run_colors.h"
#include "ui/scalars/scalar_feed.h"
#include "ui/summaries/media_cards.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QFrame>
#include <QGridLayout>
#include <QToolButton>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QResizeEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QVBoxLayout>

#include <algorithm>
#include <unordered_map>
#include <cmath>

namespace scopeviz::ui {

namespace {

/// `c`, darkened until it stands out against `background` (the palette's light shades, such as yellow, are
/// hard to read on white).
QColor readableOn(QColor c, const QColor& background)
{
    auto luma = [](const QColor& x) { return 0.299 * x.redF() + 0.587 * x.greenF() + 0.114 * x.blueF(); };
    for (int i = 0; i < 8 && std::abs(luma(c) - luma(background)) < 0.45; ++i)
        c = luma(background) > 0.5 ? c.darker(125) : c.lighter(125);
    return c;
}

/// A run's colour from its name's hash, as the scalar dashboard gives it (there, a run whose hash lands next
/// to its upper neighbour's hue takes another; the cards here have no neighbours in a list).
QColor colorOfRun(const std::string& run)
{
    return runColor(runColorIndex(run, -1));
}

QString kindNoun(SummaryView v)
{
    switch (v) {
    case SummaryView::Histograms: return QObject::tr("histograms");
    case SummaryView::Distributions: return QObject::tr("distributions");
    case SummaryView::Images: return QObject::tr("images");
    case SummaryView::Audio: return QObject::tr("audio clips");
    case SummaryView::Text: return QObject::tr("texts");
    }
    return {};
}

bool isChartView(SummaryView v) { return v == SummaryView::Histograms || v == SummaryView::Distributions; }

} // namespace

bool viewShowsKind(SummaryView view, SummaryKind kind)
{
    switch (view) {
    case SummaryView::Histograms:
    case SummaryView::Distributions: return kind == SummaryKind::Histogram;
    case SummaryView::Images: return kind == SummaryKind::Image;
    case SummaryView::Audio: return kind == SummaryKind::Audio;
    case SummaryView::Text: return kind == SummaryKind::Text;
    }
    return false;
}

// ---- SummaryHub ----

SummaryHub::SummaryHub(QObject* parent)
    : QObject(parent), m_store(std::make_unique<SummaryStore>()), m_images(new ImageCache(this))
{
    qRegisterMetaType<scopeviz::ui::SummaryChanges>();
}

SummaryHub::~SummaryHub() = default;

void SummaryHub::setFeed(ScalarFeed* feed, const QString& topRunName)
{
    if (m_feedConnection)
        disconnect(m_feedConnection);
    clear();
    m_feed = feed;
    QString label = topRunName;
    if (label.isEmpty() && feed && !feed->logdir().isEmpty())
        label = QFileInfo(QDir::cleanPath(QDir(feed->logdir()).absolutePath())).fileName();
    m_store->setTopRunLabel(label.toStdString());
    if (feed)
        m_feedConnection = connect(feed, &ScalarFeed::batchReady, this, [this](const WatchBatchPtr& batch) {
            if (batch)
                applyBatch(*batch);
        });
}

void SummaryHub::applyBatch(const WatchBatch& batch)
{
    if (batch.histograms.empty() && batch.media.empty() && batch.events.empty())
        return;
    const SummaryChanges ch = m_store->apply(batch);
    if (!ch.empty())
        emit changed(ch);
}

void SummaryHub::clear()
{
    emit reset(); // views drop their references into the store first
    m_store = std::make_unique<SummaryStore>();
}

// ---- SummaryDashboard ----

SummaryDashboard::SummaryDashboard(SummaryView view, SummaryHub* hub, QWidget* parent)
    : QWidget(parent), m_view(view), m_hub(hub)
{
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(4, 4, 4, 4);
    auto* bar = new QHBoxLayout;
    m_tagFilter = new QLineEdit(this);
    m_tagFilter->setObjectName("tagFilter");
    m_tagFilter->setPlaceholderText(tr("Filter tags (regex)"));
    m_tagFilter->setClearButtonEnabled(true);
    m_runFilter = new QLineEdit(this);
    m_runFilter->setObjectName("runFilter");
    m_runFilter->setPlaceholderText(tr("Filter runs (regex)"));
    m_runFilter->setClearButtonEnabled(true);
    bar->addWidget(m_tagFilter, 2);
    bar->addWidget(m_runFilter, 1);
    if (view == SummaryView::Histograms) {
        m_mode = new QComboBox(this);
        m_mode->addItem(tr("Offset"));
        m_mode->addItem(tr("Overlay"));
        m_mode->setToolTip(tr("Offset: one ridge per step, newest in front. Overlay: all steps on one axis."));
        bar->addWidget(m_mode);
        connect(m_mode, &QComboBox::currentIndexChanged, this, [this](int i) {
            setHistogramMode(i == 1 ? HistogramMode::Overlay : HistogramMode::Offset);
        });
    }
    m_status = new QLabel(this);
    m_status->setForegroundRole(QPalette::PlaceholderText);
    bar->addWidget(m_status);
    // Pages of kMaxCards cards: a sweep's thousands of series stay reachable without making thousands of
    // widgets at once.
    m_prev = new QToolButton(this);
    m_prev->setArrowType(Qt::LeftArrow);
    m_prev->setToolTip(tr("Previous page of cards"));
    m_next = new QToolButton(this);
    m_next->setArrowType(Qt::RightArrow);
    m_next->setToolTip(tr("Next page of cards"));
    for (QToolButton* b : {m_prev, m_next}) {
        b->setAutoRaise(true);
        b->hide();
        bar->addWidget(b);
    }
    connect(m_prev, &QToolButton::clicked, this, [this] { setPage(m_page - 1); });
    connect(m_next, &QToolButton::clicked, this, [this] { setPage(m_page + 1); });
    v->addLayout(bar);
    m_empty = new QLabel(tr("No %1 in this log directory yet: they appear as soon as a run writes some.")
                             .arg(kindNoun(view)),
                         this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    v->addWidget(m_empty);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_grid = new QWidget(m_scroll);
    m_gridLayout = new QGridLayout(m_grid);
    m_gridLayout->setContentsMargins(0, 0, 0, 0);
    m_gridLayout->setSpacing(6);
    m_gridLayout->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_scroll->setWidget(m_grid);
    v->addWidget(m_scroll, 1);
    m_scroll->hide();

    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, &SummaryDashboard::refresh);
    connect(m_tagFilter, &QLineEdit::textChanged, this, &SummaryDashboard::setTagFilter);
    connect(m_runFilter, &QLineEdit::textChanged, this, &SummaryDashboard::setRunFilter);
    if (hub) {
        connect(hub, &SummaryHub::changed, this, &SummaryDashboard::onChanged);
        connect(hub, &SummaryHub::reset, this, [this] {
            for (Card& c : m_cards)
                delete c.widget;
            m_cards.clear();
            m_rebuild = true;
            m_hadData = false;
            scheduleRefresh();
        });
    }
    m_tagRegex = filterRegex({});
    m_runRegex = filterRegex({});
    scheduleRefresh();
}

SummaryDashboard::~SummaryDashboard() = default;

void SummaryDashboard::setTagFilter(const QString& regex)
{
    if (m_tagFilter->text() != regex)
        m_tagFilter->setText(regex); // comes back here through textChanged
    m_tagRegex = filterRegex(regex);
    m_page = 0;
    m_rebuild = true;
    scheduleRefresh();
}

void SummaryDashboard::setRunFilter(const QString& regex)
{
    if (m_runFilter->text() != regex)
        m_runFilter->setText(regex);
    m_runRegex = filterRegex(regex);
    m_page = 0;
    m_rebuild = true;
    scheduleRefresh();
}

QString SummaryDashboard::tagFilter() const { return m_tagFilter->text(); }

void SummaryDashboard::setHistogramMode(HistogramMode mode)
{
    m_histogramMode = mode;
    if (m_mode && m_mode->currentIndex() != (mode == HistogramMode::Overlay ? 1 : 0))
        m_mode->setCurrentIndex(mode == HistogramMode::Overlay ? 1 : 0);
    for (Card& c : m_cards)
        if (auto* h = qobject_cast<HistogramChart*>(c.chart))
            h->setMode(mode);
}

void SummaryDashboard::setPage(int page)
{
    if (page == m_page)
        return;
    m_page = std::max(0, page);
    m_rebuild = true;
    refreshNow();
    m_scroll->verticalScrollBar()->setValue(0);
}

void SummaryDashboard::setStep(int64_t step)
{
    m_step = step;
    for (Card& c : m_cards)
        if (c.media && step >= 0)
            c.media->setIndex(int(c.media->series().indexAtOrBefore(step)));
}

void SummaryDashboard::onChanged(const SummaryChanges& ch)
{
    if (ch.seriesAdded || ch.purged)
        m_rebuild = true;
    if (ch.purged) // any card's series may have lost values
        for (const Card& c : m_cards)
            m_dirty.insert(c.series);
    for (int id : isChartView(m_view) ? ch.histograms : ch.media)
        m_dirty.insert(id);
    scheduleRefresh();
}

void SummaryDashboard::scheduleRefresh()
{
    // At most one refresh per ~60 ms: at once when the last one is older, else when that time is up.
    if (m_refreshTimer.isActive())
        return;
    const qint64 since = m_sinceRefresh.isValid() ? m_sinceRefresh.elapsed() : 1000;
    m_refreshTimer.start(int(std::max<qint64>(0, 60 - since)));
}

void SummaryDashboard::refreshNow()
{
    m_refreshTimer.stop();
    refresh();
}

int SummaryDashboard::seriesCount() const
{
    if (!m_hub)
        return 0;
    const SummaryStore& st = m_hub->store();
    if (isChartView(m_view))
        return st.histogramCount();
    int n = 0;
    for (int i = 0; i < st.mediaCount(); ++i)
        n += viewShowsKind(m_view, st.media(i).kind) ? 1 : 0;
    return n;
}

bool SummaryDashboard::matches(const std::string& run, const std::string& tag) const
{
    return m_tagRegex.match(QString::fromStdString(tag)).hasMatch() &&
           m_runRegex.match(QString::fromStdString(run)).hasMatch();
}

void SummaryDashboard::refresh()
{
    if (!m_hub)
        return;
    m_sinceRefresh.start();
    const int total = seriesCount();
    if (total > 0 && !m_hadData) {
        m_hadData = true;
        emit firstData();
    }
    m_empty->setVisible(total == 0);
    m_scroll->setVisible(total > 0);
    if (m_rebuild) {
        rebuild();
        m_dirty.clear();
        return;
    }
    for (Card& c : m_cards)
        if (m_dirty.contains(c.series))
            refreshCard(c);
    m_dirty.clear();
}

void SummaryDashboard::refreshCard(Card& c)
{
    if (c.chart)
        c.chart->seriesChanged();
    if (c.media)
        c.media->seriesChanged();
}

QWidget* SummaryDashboard::makeCard(int id)
{
    const SummaryStore& st = m_hub->store();
    if (!isChartView(m_view)) {
        const MediaSeries& s = st.media(id);
        const QString run = QString::fromStdString(st.runLabel(s.run));
        MediaCard* card = nullptr;
        if (m_view == SummaryView::Images)
            card = new ImageCard(st, id, run, m_hub->imageCache(), m_grid);
        else if (m_view == SummaryView::Audio)
            card = new AudioCard(st, id, run, m_grid);
        else
            card = new TextCard(st, id, run, m_grid);
        connect(card, &MediaCard::tagClicked, this, &SummaryDashboard::tagClicked);
        if (m_step >= 0)
            card->setIndex(int(s.indexAtOrBefore(m_step)));
        m_cards.push_back({id, card, nullptr, card});
        return card;
    }
    const HistogramSeries& s = st.histogram(id);
    auto* frame = new QFrame(m_grid);
    frame->setFrameShape(QFrame::StyledPanel);
    auto* v = new QVBoxLayout(frame);
    v->setContentsMargins(6, 4, 6, 4);
    v->setSpacing(2);
    const QString tag = QString::fromStdString(s.tag);
    const QString run = QString::fromStdString(st.runLabel(s.run));
    const QColor color = readableOn(colorOfRun(st.runs()[std::size_t(s.run)]), palette().base().color());
    auto* title = addCardHeader(frame, v, tag, run, color, tr("%1 in run %2; click to show it in the graph").arg(tag, run));
    connect(title, &QPushButton::clicked, this, [this, tag] { emit tagClicked(tag); });
    SeriesChart* chart = nullptr;
    if (m_view == SummaryView::Histograms) {
        auto* h = new HistogramChart(frame);
        h->setMode(m_histogramMode);
        chart = h;
    } else {
        chart = new DistributionChart(frame);
    }
    chart->setSeries(&s, color);
    v->addWidget(chart, 1);
    m_cards.push_back({id, frame, chart, nullptr});
    return frame;
}

void SummaryDashboard::rebuild()
{
    m_rebuild = false;
    const SummaryStore& st = m_hub->store();
    // Cards by tag (natural order of appearance is the writer's; sort by tag, then run order).
    struct Entry {
        const std::string* tag;
        int run;
        int id;
    };
    std::vector<Entry> entries;
    if (isChartView(m_view)) {
        for (int i = 0; i < st.histogramCount(); ++i)
            if (matches(st.runs()[std::size_t(st.histogram(i).run)], st.histogram(i).tag))
                entries.push_back({&st.histogram(i).tag, st.histogram(i).run, i});
    } else {
        for (int i = 0; i < st.mediaCount(); ++i)
            if (viewShowsKind(m_view, st.media(i).kind) &&
                matches(st.runs()[std::size_t(st.media(i).run)], st.media(i).tag))
                entries.push_back({&st.media(i).tag, st.media(i).run, i});
    }
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        return *a.tag != *b.tag ? *a.tag < *b.tag : a.run < b.run;
    });
    const int total = seriesCount();
    const int matching = int(entries.size());
    m_pageCount = std::max(1, (matching + kMaxCards - 1) / kMaxCards);
    m_page = std::min(m_page, m_pageCount - 1);
    const int first = m_page * kMaxCards;
    const int shown = std::min(matching - first, kMaxCards);
    // Cards still shown are kept (new series arrive by the hundred while a sweep loads, and making a card
    // costs far more than moving one); the others go, the new ones are made, all in the new order.
    std::unordered_map<int, Card> kept;
    for (const Card& c : m_cards)
        kept.emplace(c.series, c);
    m_cards.clear();
    for (int k = first; k < first + shown; ++k) {
        const int id = entries[std::size_t(k)].id;
        auto it = kept.find(id);
        if (it == kept.end()) {
            makeCard(id);
            continue;
        }
        m_cards.push_back(it->second);
        kept.erase(it);
        if (m_dirty.contains(id))
            refreshCard(m_cards.back());
    }
    for (auto& [id, c] : kept)
        delete c.widget;
    const QString filtered = matching < total ? tr(" (filtered from %1)").arg(total) : QString();
    if (total == 0)
        m_status->clear();
    else if (m_pageCount > 1)
        m_status->setText(tr("%1–%2 of %3%4").arg(first + 1).arg(first + shown).arg(matching).arg(filtered));
    else if (matching < total)
        m_status->setText(tr("%1 of %2 (filtered)").arg(matching).arg(total));
    else
        m_status->setText(tr("%n series", nullptr, total));
    m_prev->setVisible(m_pageCount > 1);
    m_next->setVisible(m_pageCount > 1);
    m_prev->setEnabled(m_page > 0);
    m_next->setEnabled(m_page + 1 < m_pageCount);
    m_columns = 0;
    relayout();
}

void SummaryDashboard::relayout()
{
    const int cardWidth = isChartView(m_view) ? 380 : (m_view == SummaryView::Images ? 260 : 400);
    const int cols = std::max(1, (m_scroll->viewport()->width() - 8) / cardWidth);
    if (cols == m_columns && m_gridLayout->count() == int(m_cards.size()))
        return;
    m_columns = cols;
    for (const Card& c : m_cards)
        m_gridLayout->removeWidget(c.widget);
    for (std::size_t k = 0; k < m_cards.size(); ++k) {
        QWidget* w = m_cards[k].widget;
        // Low enough that a card's slider stays in view in a dock of a third of the window.
        w->setMinimumHeight(isChartView(m_view) ? 220 : (m_view == SummaryView::Audio ? 190 : 210));
        m_gridLayout->addWidget(w, int(k) / cols, int(k) % cols);
    }
    for (int c = 0; c < cols; ++c)
        m_gridLayout->setColumnStretch(c, 1);
    // Size the grid to its new rows now: left to the posted layout request, the cards would first be laid
    // out (and painted, every one of them) squeezed into the old height.
    m_gridLayout->activate();
    m_scroll->setWidgetResizable(true); // resizes the grid to its size hint at once
}

void SummaryDashboard::resizeEvent(QResizeEvent* e)
{
    QWidget::resizeEvent(e);
    relayout();
}

QWidget* SummaryDashboard::cardFor(const QString& run, const QString& tag) const
{
    if (!m_hub)
        return nullptr;
    const SummaryStore& st = m_hub->store();
    const int id = isChartView(m_view) ? st.findHistogram(run.toStdString(), tag.toStdString())
                                       : st.findMedia(run.toStdString(), tag.toStdString());
    for (const Card& c : m_cards)
        if (c.series == id)
            return c.widget;
    return nullptr;
}

QStringList SummaryDashboard::shownTags() const
{
    QStringList out;
    if (!m_hub)
        return out;
    const SummaryStore& st = m_hub->store();
    for (const Card& c : m_cards)
        out << QString::fromStdString(isChartView(m_view) ? st.histogram(c.series).tag : st.media(c.series).tag);
    return out;
}

QString SummaryDashboard::statusText() const { return m_status->text(); }

} // namespace scopeviz::ui
