#pragma once
// The cards of the Images, Audio and Text dashboards: one (run, tag) each,
// with a step slider over every value the store holds.
//
// Images are decoded on a worker (ImageCache: QImage reads PNG, JPEG and GIF)
// and kept in a cache bounded by bytes; moving the slider shows the image as
// soon as it is decoded and prefetches its neighbours. Audio is decoded from
// its WAV header (core/summary/wav_reader) for the waveform and played through
// Qt Multimedia. Text is rendered as Markdown, as TensorBoard renders it;
// a rank-2 tensor becomes a table.
#include "core/summary/wav_reader.h"

#include <QCache>
#include <QFrame>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QThreadPool>

#include <cstdint>
#include <string>

class QAudioSink;
class QBuffer;
class QLabel;
class QBoxLayout;
class QPushButton;
class QSlider;
class QSpinBox;
class QTextBrowser;
class QTimer;

namespace scopeviz::ui {

class SummaryStore;
struct MediaSeries;

/// Decodes encoded images on worker threads and keeps the results, bounded by bytes.
class ImageCache : public QObject {
    Q_OBJECT
public:
    explicit ImageCache(QObject* parent = nullptr);
    ~ImageCache() override;
    /// The decoded image of `key` if it is cached; otherwise a null image, and the decode is queued (once)
    /// from `bytes` (copied) and decoded() follows.
    QImage get(const QString& key, const std::string& bytes);
    /// Queues a decode without waiting for it (neighbours of the shown step).
    void prefetch(const QString& key, const std::string& bytes);
    /// True when `key` is decoded and cached.
    bool contains(const QString& key) const { return m_cache.contains(key); }
    /// Byte budget of the cache (default 256 MB).
    void setMaxBytes(qint64 bytes) { m_cache.setMaxCost(bytes); }
    /// Waits for every queued decode (tests, benchmarks).
    void waitForDone();

signals:
    /// `key` was decoded (the image may be null when the bytes are not a readable image).
    void decoded(const QString& key);

private:
    void deliver(const QString& key, const QImage& image);
    QCache<QString, QImage> m_cache;
    QSet<QString> m_pending;
    QThreadPool m_pool;
};

/// Paints an image scaled to fit (pixelated when enlarged, as small training images should be).
class ImageView : public QWidget {
    Q_OBJECT
public:
    explicit ImageView(QWidget* parent = nullptr);
    void setImage(const QImage& image, const QString& placeholder = {});
    const QImage& image() const { return m_image; }
    QSize sizeHint() const override { return {220, 220}; }

signals:
    void clicked();

protected:
    void paintEvent(QPaintEvent*) override;
    void mouseReleaseEvent(QMouseEvent*) override;

private:
    QImage m_image;
    QString m_placeholder;
};

/// Draws a clip's waveform: per pixel column the lowest and highest sample of each channel.
class WaveformView : public QWidget {
    Q_OBJECT
public:
    explicit WaveformView(QWidget* parent = nullptr);
    /// The clip (a view into the store's bytes, which outlive the view's use of it).
    void setClip(const WavInfo& info, bool valid);
    /// Playback position in frames (-1 hides the cursor).
    void setCursor(int64_t frame);
    QSize sizeHint() const override { return {360, 110}; }

protected:
    void paintEvent(QPaintEvent*) override;

private:
    WavInfo m_info;
    bool m_valid = false;
    int64_t m_cursor = -1;
};

/// The header every card of the summary dashboards has, added to `layout`: the tag as a flat bold button
/// (returned; its click reveals the tag in the graph) and the run's name on the right, in `runColor` when
/// it is valid. Fonts and palettes, not style sheets: a style sheet per card costs about a millisecond
/// each, and a page holds 96 cards.
QPushButton* addCardHeader(QWidget* card, QBoxLayout* layout, const QString& tag, const QString& run,
                           const QColor& runColor, const QString& toolTip);

/// Base of the media cards: a title (click: reveal the tag in the graph), a step slider and a step label.
class MediaCard : public QFrame {
    Q_OBJECT
public:
    MediaCard(const SummaryStore& store, int seriesId, const QString& runLabel, QWidget* parent = nullptr);
    int seriesId() const { return m_id; }
    const MediaSeries& series() const;
    /// The series grew: extend the slider; follow the newest value when the slider was at the end.
    void seriesChanged();
    /// Shows the value at slider index `index` (clamped).
    void setIndex(int index);
    int index() const;
    /// The step shown.
    int64_t shownStep() const;

signals:
    void tagClicked(const QString& tag);

protected:
    /// Shows value `index` of the series.
    virtual void show(std::size_t index) = 0;
    QWidget* body() const { return m_body; }

    const SummaryStore& m_store;

private:
    int m_id;
    QPushButton* m_title = nullptr;
    QSlider* m_slider = nullptr;
    QLabel* m_stepLabel = nullptr;
    QWidget* m_body = nullptr;
};

/// An image per step; several samples per value (TF2's [w, h, img…] tensors) are chosen with a spin box.
class ImageCard : public MediaCard {
    Q_OBJECT
public:
    ImageCard(const SummaryStore& store, int seriesId, const QString& runLabel, ImageCache* cache,
              QWidget* parent = nullptr);
    ImageView* view() const { return m_view; }
    /// Key of the image shown (or being decoded) in the cache.
    QString shownKey() const { return m_key; }

protected:
    void show(std::size_t index) override;

private:
    void onDecoded(const QString& key);
    void openFullSize();
    QString keyOf(std::size_t index, int sample) const;
    QPointer<ImageCache> m_cache;
    ImageView* m_view = nullptr;
    QSpinBox* m_sample = nullptr;
    QLabel* m_info = nullptr;
    QString m_key;
    std::size_t m_index = 0;
};

/// A clip per step: waveform, play and stop.
class AudioCard : public MediaCard {
    Q_OBJECT
public:
    AudioCard(const SummaryStore& store, int seriesId, const QString& runLabel, QWidget* parent = nullptr);
    ~AudioCard() override;
    WaveformView* waveform() const { return m_wave; }
    /// Starts playing the shown clip; false (with the reason in the card) when it cannot be played.
    bool play();
    void stop();
    bool playing() const;
    /// The card's status line (format, or why it cannot play).
    QString statusText() const;

protected:
    void show(std::size_t index) override;

private:
    WaveformView* m_wave = nullptr;
    QPushButton* m_play = nullptr;
    QPushButton* m_stop = nullptr;
    QLabel* m_status = nullptr;
    QAudioSink* m_sink = nullptr;
    QBuffer* m_buffer = nullptr;
    QTimer* m_cursorTimer = nullptr;
    QByteArray m_pcm;
    WavInfo m_info;
    bool m_valid = false;
    std::size_t m_index = 0;
};

/// A text per step, rendered as Markdown (a rank-2 tensor as a table).
class TextCard : public MediaCard {
    Q_OBJECT
public:
    TextCard(const SummaryStore& store, int seriesId, const QString& runLabel, QWidget* parent = nullptr);
    QTextBrowser* browser() const { return m_text; }

protected:
    void show(std::size_t index) override;

private:
    QTextBrowser* m_text = nullptr;
};

/// The Markdown TensorBoard's text dashboard shows for a text value: each element of a rank-0 or rank-1
/// tensor as its own paragraph block, a rank-2 tensor as a table.
QString textMarkdown(const std::vector<std::string>& items, const std::vector<int64_t>& shape);

} // namespace scopeviz::ui
