#pragma once
// The dashboards beside Scalars: Histograms, Distributions, Images, Audio and
// Text. One SummaryHub holds the data of a log directory (fed by the same
// ScalarFeed batches as the scalar dashboard) and an image cache; each
// dashboard shows one card per (run, tag) of its kind, filtered by a tag and a
// run regex, and repaints only the cards whose data changed, at most every
// ~60 ms.
#include "core/summary/scalar_batch.h"
#include "ui/summaries/histogram_charts.h"
#include "ui/summaries/summary_store.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QRegularExpression>
#include <QSet>
#include <QTimer>
#include <QWidget>

#include <memory>

class QComboBox;
class QFrame;
class QGridLayout;
class QLabel;
class QLineEdit;
class QScrollArea;
class QToolButton;

namespace scopeviz::ui {

class ImageCache;
class MediaCard;
class ScalarFeed;

/// The non-scalar data of one log directory, shared by the five dashboards.
class SummaryHub : public QObject {
    Q_OBJECT
public:
    explicit SummaryHub(QObject* parent = nullptr);
    ~SummaryHub() override;
    /// Receives batches from `feed` from now on (nullptr detaches); the data so far is cleared.
    void setFeed(ScalarFeed* feed, const QString& topRunName = {});
    /// Applies one batch; changed() follows when it held anything of ours.
    void applyBatch(const WatchBatch& batch);
    /// Forgets everything (a new log directory).
    void clear();
    const SummaryStore& store() const { return *m_store; }
    ImageCache* imageCache() const { return m_images; }

signals:
    void changed(const scopeviz::ui::SummaryChanges& changes);
    /// The store is about to be emptied (clear()): drop every reference into it now.
    void reset();

private:
    std::unique_ptr<SummaryStore> m_store;
    ImageCache* m_images = nullptr;
    QPointer<ScalarFeed> m_feed;
    QMetaObject::Connection m_feedConnection;
};

/// Which dashboard.
enum class SummaryView { Histograms, Distributions, Images, Audio, Text };

/// One dashboard: filters, then a grid of cards.
class SummaryDashboard : public QWidget {
    Q_OBJECT
public:
    SummaryDashboard(SummaryView view, SummaryHub* hub, QWidget* parent = nullptr);
    ~SummaryDashboard() override;
    SummaryView view() const { return m_view; }
    /// Shows only tags / runs matching the regex (case-insensitive; an invalid pattern matches literally).
    void setTagFilter(const QString& regex);
    void setRunFilter(const QString& regex);
    QString tagFilter() const;
    /// Histograms only: offset or overlay.
    void setHistogramMode(HistogramMode mode);
    /// Images, Audio, Text: shows every card at `step` (the value at or before it) instead of following the
    /// newest; also for cards still to come. A negative step follows the newest again.
    void setStep(int64_t step);
    /// Applies pending changes now (tests, screenshots).
    void refreshNow();
    /// How many series of this kind the hub holds, and how many cards are shown.
    int seriesCount() const;
    int cardCount() const { return int(m_cards.size()); }
    /// The card widget of (run, tag), or nullptr.
    QWidget* cardFor(const QString& run, const QString& tag) const;
    /// Tags shown, in order (with repeats for several runs).
    QStringList shownTags() const;
    /// The status line.
    QString statusText() const;

    /// Most cards shown at once; the rest are on further pages (or shown by narrowing the filters).
    static constexpr int kMaxCards = 96;
    /// Which page of kMaxCards cards is shown (0-based; clamped to the pages there are), and how many there are.
    void setPage(int page);
    int page() const { return m_page; }
    int pageCount() const { return m_pageCount; }

signals:
    /// A card's title was clicked: reveal the op that writes `tag` (and its input) in the graph.
    void tagClicked(const QString& tag);
    /// The hub holds data of this dashboard's kind for the first time.
    void firstData();

private:
    struct Card {
        int series = -1;
        QWidget* widget = nullptr;
        SeriesChart* chart = nullptr; ///< histograms and distributions
        MediaCard* media = nullptr;   ///< images, audio, text
    };
    void onChanged(const SummaryChanges& changes);
    void scheduleRefresh();
    void refresh();
    /// Shows that the card's series changed.
    void refreshCard(Card& c);
    void rebuild();
    void relayout();
    bool matches(const std::string& run, const std::string& tag) const;
    QWidget* makeCard(int series);
    void resizeEvent(QResizeEvent* e) override;

    SummaryView m_view;
    QPointer<SummaryHub> m_hub;
    QLineEdit* m_tagFilter = nullptr;
    QLineEdit* m_runFilter = nullptr;
    QComboBox* m_mode = nullptr;
    QLabel* m_status = nullptr;
    QToolButton* m_prev = nullptr;
    QToolButton* m_next = nullptr;
    QLabel* m_empty = nullptr;
    QScrollArea* m_scroll = nullptr;
    QWidget* m_grid = nullptr;
    QGridLayout* m_gridLayout = nullptr;
    std::vector<Card> m_cards;
    QRegularExpression m_tagRegex, m_runRegex;
    QTimer m_refreshTimer;
    QElapsedTimer m_sinceRefresh;
    QSet<int> m_dirty;
    bool m_rebuild = true;
    int64_t m_step = -1; ///< setStep(); -1: follow the newest
    bool m_hadData = false;
    int m_columns = 0;
    int m_page = 0;
    int m_pageCount = 1;
    HistogramMode m_histogramMode = HistogramMode::Offset;
};

/// The dashboard's kind of media.
bool viewShowsKind(SummaryView view, SummaryKind kind);

} // namespace scopeviz::ui
