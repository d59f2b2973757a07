#pragma once
// ReplayPanel: the "Replay" dock. A timeline over the construction of the open
// graph (core/hierarchy ConstructionReplay: the reuse trace's scope entries,
// exits and get_variable calls interleaved with op creations; an imported
// graph replays op by op). A slider, step buttons and play/pause move a step k;
// at step k the graph view draws the ops not yet created as faint ghosts and
// highlights the newest op, the panel names the event, shows the open name
// scopes and variable scopes with their reuse, and shows the script with the
// event's source line highlighted.
//
// Costs: the replay is built once per document (O(events)); a step changes
// only the view's cutoff and highlight (GraphView::setReplayState: no
// relayout), the two labels and the source highlight. The replay is shown only
// while the panel is active (its dock visible); inactive, the view draws the
// whole graph.
#include "core/hierarchy/construction_replay.h"
#include "ui/common/graph_document.h"

#include <QString>
#include <QWidget>

#include <memory>

class QLabel;
class QPlainTextEdit;
class QSlider;
class QTimer;
class QToolButton;

namespace scopeviz::ui {

class GraphView;

/// The construction replay of the open graph, driving a GraphView.
class ReplayPanel : public QWidget {
    Q_OBJECT
public:
    explicit ReplayPanel(QWidget* parent = nullptr);

    /// The view the replay draws in (not owned).
    void setGraphView(GraphView* view);
    /// Builds the timeline of a document; the step is kept (clamped), or follows the end when it was there.
    void setDocument(DocumentPtr doc);
    /// Active (the dock is visible): the view draws the replay's step; inactive: the whole graph.
    void setActive(bool on);
    /// True while the view draws the replay.
    bool isActive() const { return m_active; }
    /// Moves to step k (clamped to 0..stepCount()).
    void setStep(int k);
    /// Asks for step k now and for every later document (a growing script graph) until the user moves.
    void requestStep(int k);
    /// The current step: events 1..k have happened.
    int step() const { return m_step; }
    /// Number of events N.
    int stepCount() const { return m_replay ? m_replay->size() : 0; }
    /// Starts or pauses playing (a timer steps forward).
    void setPlaying(bool on);
    /// True while playing.
    bool isPlaying() const;
    /// The timeline (null without a document).
    const hierarchy::ConstructionReplay* replay() const { return m_replay.get(); }

    /// "event k of N: ..." label.
    QLabel* eventLabel() const { return m_event; }
    /// The open scopes label.
    QLabel* stacksLabel() const { return m_stacks; }
    /// The script source.
    QPlainTextEdit* sourceView() const { return m_source; }
    /// The slider.
    QSlider* slider() const { return m_slider; }
    /// 1-based line highlighted in the source view, 0 when none.
    int highlightedLine() const { return m_highlightedLine; }

signals:
    /// The step moved.
    void stepChanged(int step);

private:
    void showStep();
    void showSource(const hierarchy::SourceLine& s);
    void applyToView();
    void tick();

    GraphView* m_view = nullptr;
    DocumentPtr m_doc;
    std::shared_ptr<const hierarchy::ConstructionReplay> m_replay;
    int m_step = 0;
    int m_requested = -1;
    bool m_active = false;
    bool m_expandedForDoc = false;
    QSlider* m_slider = nullptr;
    QToolButton* m_first = nullptr;
    QToolButton* m_back = nullptr;
    QToolButton* m_play = nullptr;
    QToolButton* m_forward = nullptr;
    QToolButton* m_last = nullptr;
    QLabel* m_event = nullptr;
    QLabel* m_stacks = nullptr;
    QPlainTextEdit* m_source = nullptr;
    QTimer* m_timer = nullptr;
    QString m_sourcePath; // file shown in m_source
    int m_highlightedLine = 0;
};

} // namespace scopeviz::ui
