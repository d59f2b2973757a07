#include "ui/replay/replay_panel.h"

#include "ui/graph/graph_view.h"

#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSlider>
#include <QTextBlock>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace scopeviz::ui {

namespace {

/// Graphs up to this many ops are expanded when the replay first shows them, so that single ops appear.
constexpr int kExpandOpsLimit = 400;
/// Milliseconds between two steps while playing.
constexpr int kPlayIntervalMs = 150;
/// Playing takes at most about this many ticks: long timelines advance several events per tick.
constexpr int kPlayTicks = 400;

QString qs(const std::string& s) { return QString::fromStdString(s); }

} // namespace

ReplayPanel::ReplayPanel(QWidget* parent) : QWidget(parent)
{
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(6, 6, 6, 6);
    auto* row = new QHBoxLayout;
    auto button = [this, row](const QString& text, const QString& tip) {
        auto* b = new QToolButton(this);
        b->setText(text);
        b->setToolTip(tip);
        b->setAutoRaise(true);
        row->addWidget(b);
        return b;
    };
    m_first = button(QStringLiteral("|◀"), tr("First event (nothing built)"));
    m_back = button(QStringLiteral("◀"), tr("Step back"));
    m_play = button(tr("Play"), tr("Play / pause"));
    m_play->setCheckable(true);
    m_forward = button(QStringLiteral("▶"), tr("Step forward"));
    m_last = button(QStringLiteral("▶|"), tr("Last event (the whole graph)"));
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setObjectName("replaySlider");
    row->addWidget(m_slider, 1);
    column->addLayout(row);
    m_event = new QLabel(this);
    m_event->setObjectName("replayEvent");
    m_event->setWordWrap(true);
    m_event->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_event->font();
    bold.setBold(true);
    m_event->setFont(bold);
    column->addWidget(m_event);
    m_stacks = new QLabel(this);
    m_stacks->setObjectName("replayStacks");
    m_stacks->setWordWrap(true);
    m_stacks->setTextInteractionFlags(Qt::TextSelectableByMouse);
    column->addWidget(m_stacks);
    m_source = new QPlainTextEdit(this);
    m_source->setObjectName("replaySource");
    m_source->setReadOnly(true);
    m_source->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_source->setFont(QFont(QStringLiteral("monospace")));
    m_source->setPlaceholderText(tr("The script's source appears here for events with a source line."));
    column->addWidget(m_source, 1);
    m_timer = new QTimer(this);
    m_timer->setInterval(kPlayIntervalMs);

    connect(m_slider, &QSlider::valueChanged, this, [this](int v) {
        if (v == m_step)
            return;
        m_requested = -1; // the user moved: a growing graph no longer snaps back
        setStep(v);
    });
    connect(m_first, &QToolButton::clicked, this, [this] { m_requested = -1; setStep(0); });
    connect(m_back, &QToolButton::clicked, this, [this] { m_requested = -1; setStep(m_step - 1); });
    connect(m_forward, &QToolButton::clicked, this, [this] { m_requested = -1; setStep(m_step + 1); });
    connect(m_last, &QToolButton::clicked, this, [this] { m_requested = -1; setStep(stepCount()); });
    connect(m_play, &QToolButton::toggled, this, [this](bool on) { setPlaying(on); });
    connect(m_timer, &QTimer::timeout, this, &ReplayPanel::tick);
    showStep();
}

void ReplayPanel::setGraphView(GraphView* view)
{
    m_view = view;
    applyToView();
    if (m_view)
        connect(m_view, &GraphView::layoutShown, this, [this] { applyToView(); });
}

void ReplayPanel::setDocument(DocumentPtr doc)
{
    const bool atEnd = !m_replay || m_step >= m_replay->size();
    const bool sameFile = m_doc && doc && m_doc->path == doc->path;
    m_doc = std::move(doc);
    m_replay = m_doc ? std::make_shared<const hierarchy::ConstructionReplay>(m_doc->graph) : nullptr;
    if (!sameFile)
        m_expandedForDoc = false;
    const int n = stepCount();
    const QSignalBlocker block(m_slider);
    m_slider->setRange(0, n);
    if (m_requested >= 0)
        m_step = std::min(m_requested, n);
    else
        m_step = atEnd ? n : std::min(m_step, n);
    showStep();
}

void ReplayPanel::setActive(bool on)
{
    if (m_active == on)
        return;
    m_active = on;
    if (!on)
        setPlaying(false);
    applyToView();
}

void ReplayPanel::requestStep(int k)
{
    m_requested = std::max(0, k);
    setStep(m_requested);
}

void ReplayPanel::setStep(int k)
{
    k = std::clamp(k, 0, stepCount());
    if (k == m_step && m_slider->value() == k)
        return;
    m_step = k;
    showStep();
}

bool ReplayPanel::isPlaying() const { return m_timer->isActive(); }

void ReplayPanel::setPlaying(bool on)
{
    if (on && m_step >= stepCount())
        setStep(0); // play from the start when at the end
    if (on)
        m_timer->start();
    else
        m_timer->stop();
    const QSignalBlocker block(m_play);
    m_play->setChecked(on);
    m_play->setText(on ? tr("Pause") : tr("Play"));
}

void ReplayPanel::tick()
{
    const int n = stepCount();
    setStep(m_step + std::max(1, n / kPlayTicks));
    if (m_step >= n)
        setPlaying(false);
}

void ReplayPanel::showStep()
{
    {
        const QSignalBlocker block(m_slider);
        m_slider->setValue(m_step);
    }
    const int n = stepCount();
    m_first->setEnabled(m_step > 0);
    m_back->setEnabled(m_step > 0);
    m_forward->setEnabled(m_step < n);
    m_last->setEnabled(m_step < n);
    m_play->setEnabled(n > 0);
    if (!m_replay) {
        m_event->setText(tr("No graph open."));
        m_stacks->clear();
        showSource({});
        applyToView();
        return;
    }
    m_event->setText(tr("event %1 of %2: %3").arg(m_step).arg(n).arg(qs(m_replay->describe(m_step))));
    if (m_replay->hasTrace())
        m_stacks->setText(qs(m_replay->describeStacks(m_step)).replace(QStringLiteral(" ; "), QStringLiteral("\n")));
    else
        m_stacks->setText(tr("This graph has no construction record (an imported file): ops in node order."));
    showSource(m_replay->source(m_step));
    applyToView();
    emit stepChanged(m_step);
}

void ReplayPanel::showSource(const hierarchy::SourceLine& s)
{
    m_highlightedLine = 0;
    const QString path = s.valid() ? QString::fromStdString(s.file) : QString();
    if (!path.isEmpty() && path != m_sourcePath) {
        QFile f(path);
        if (f.open(QIODevice::ReadOnly | QIODevice::Text)) {
            m_source->setPlainText(QString::fromUtf8(f.readAll()));
            m_sourcePath = path;
        }
    }
    if (path.isEmpty() || path != m_sourcePath || s.line > m_source->blockCount()) {
        m_source->setExtraSelections({});
        return;
    }
    const QTextBlock block = m_source->document()->findBlockByNumber(s.line - 1);
    QTextEdit::ExtraSelection sel;
    sel.cursor = QTextCursor(block);
    sel.format.setProperty(QTextFormat::FullWidthSelection, true);
    sel.format.setBackground(QColor(255, 200, 90, 150));
    m_source->setExtraSelections({sel});
    m_source->setTextCursor(sel.cursor);
    m_source->centerCursor();
    m_highlightedLine = s.line;
}

void ReplayPanel::applyToView()
{
    if (!m_view)
        return;
    if (!m_active || !m_replay || m_view->document() != m_doc) {
        if (m_view->replayCutoff() >= 0)
            m_view->setReplayState(-1, std::nullopt);
        return;
    }
    if (!m_expandedForDoc && m_doc->graph->numOps() <= kExpandOpsLimit) {
        // A small graph is opened up once, so that single ops appear one by one (a relayout, once).
        m_expandedForDoc = true;
        m_view->expandAll();
    }
    // The newest thing: the scope an event just opened (still a ghost until its first op), else the
    // newest op.
    std::optional<hierarchy::Item> newest;
    if (const std::string_view opened = m_replay->openedNameScope(m_step); !opened.empty())
        if (const hierarchy::ScopeId s = m_doc->tree->findScope(opened); s > 0)
            newest = hierarchy::Item{hierarchy::Item::Kind::Scope, s};
    if (const OpId op = m_replay->newestOp(m_step); !newest && op >= 0)
        newest = hierarchy::Item{hierarchy::Item::Kind::Op, op};
    m_view->setReplayState(m_replay->cutoff(m_step), newest);
}

} // namespace scopeviz::ui
