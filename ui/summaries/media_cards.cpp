#include "ui/summaries/media_cards.h"

#include "ui/common/handoff.h"
#include "ui/summaries/summary_store.h"

#include <QAudioDevice>
#include <QAudioFormat>
#include <QAudioSink>
#include <QBuffer>
#include <QDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMediaDevices>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QSpinBox>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace scopeviz::ui {

// ---- ImageCache ----

ImageCache::ImageCache(QObject* parent) : QObject(parent)
{
    m_cache.setMaxCost(256LL << 20);
    m_pool.setMaxThreadCount(std::max(1, QThread::idealThreadCount() - 1));
}

ImageCache::~ImageCache() { m_pool.waitForDone(); }

QImage ImageCache::get(const QString& key, const std::string& bytes)
{
    if (const QImage* hit = m_cache.object(key))
        return *hit;
    prefetch(key, bytes);
    return {};
}

void ImageCache::prefetch(const QString& key, const std::string& bytes)
{
    if (m_cache.contains(key) || m_pending.contains(key))
        return;
    m_pending.insert(key);
    QPointer<ImageCache> self(this);
    QByteArray data = QByteArray::fromStdString(bytes);
    startOnPool(m_pool, [self, key, data] {
        QImage img = QImage::fromData(data);
        if (!img.isNull() && img.format() != QImage::Format_ARGB32_Premultiplied &&
            img.format() != QImage::Format_RGB32)
            img = img.convertToFormat(img.hasAlphaChannel() ? QImage::Format_ARGB32_Premultiplied
                                                             : QImage::Format_RGB32);
        postTo(self.data(), [self, key, img] {
            if (self)
                self->deliver(key, img);
        });
    });
}

void ImageCache::deliver(const QString& key, const QImage& image)
{
    m_pending.remove(key);
    m_cache.insert(key, new QImage(image), std::max<qint64>(1, image.sizeInBytes()));
    emit decoded(key);
}

void ImageCache::waitForDone() { m_pool.waitForDone(); }

// ---- ImageView ----

ImageView::ImageView(QWidget* parent) : QWidget(parent)
{
    setMinimumSize(96, 96);
    setCursor(Qt::PointingHandCursor);
}

void ImageView::setImage(const QImage& image, const QString& placeholder)
{
    m_image = image;
    m_placeholder = placeholder;
    update();
}

void ImageView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().alternateBase());
    if (m_image.isNull()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
        return;
    }
    const QSize fitted = m_image.size().scaled(size(), Qt::KeepAspectRatio);
    const QRect target(QPoint((width() - fitted.width()) / 2, (height() - fitted.height()) / 2), fitted);
    // Enlarged small images keep their pixels sharp; reduced ones are smoothed.
    p.setRenderHint(QPainter::SmoothPixmapTransform, fitted.width() < m_image.width());
    p.drawImage(target, m_image);
}

void ImageView::mouseReleaseEvent(QMouseEvent* e)
{
    if (e->button() == Qt::LeftButton)
        emit clicked();
}

// ---- WaveformView ----

WaveformView::WaveformView(QWidget* parent) : QWidget(parent) { setMinimumHeight(80); }

void WaveformView::setClip(const WavInfo& info, bool valid)
{
    m_info = info;
    m_valid = valid;
    m_cursor = -1;
    update();
}

void WaveformView::setCursor(int64_t frame)
{
    m_cursor = frame;
    update();
}

void WaveformView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    if (!m_valid || m_info.frames == 0) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, m_valid ? tr("Empty clip") : tr("Not a WAV clip this viewer can read"));
        return;
    }
    const int channels = std::min<int>(m_info.channels, 4);
    const int laneH = height() / channels;
    const QColor wave = palette().color(QPalette::Highlight);
    p.setPen(palette().color(QPalette::Mid));
    for (int c = 0; c < channels; ++c)
        p.drawLine(0, c * laneH + laneH / 2, width(), c * laneH + laneH / 2);
    p.setPen(wave);
    const double framesPerPx = double(m_info.frames) / std::max(1, width());
    // Per column, the extremes of the frames it covers (sampled with a stride for very long clips: at most
    // 64 reads per column, so a minute of audio draws as fast as a second).
    for (int x = 0; x < width(); ++x) {
        const auto f0 = uint64_t(x * framesPerPx);
        const auto f1 = std::max(f0 + 1, uint64_t((x + 1) * framesPerPx));
        const uint64_t stride = std::max<uint64_t>(1, (f1 - f0) / 64);
        for (int c = 0; c < channels; ++c) {
            float lo = 1, hi = -1;
            // Start at the previous column's last frame, so that neighbouring columns join into one line.
            for (uint64_t f = f0 > 0 ? f0 - 1 : 0; f < f1 && f < m_info.frames; f += stride) {
                const float s = wavSample(m_info, f, unsigned(c));
                lo = std::min(lo, s);
                hi = std::max(hi, s);
            }
            if (hi < lo)
                continue;
            const int mid = c * laneH + laneH / 2;
            const double half = laneH * 0.45;
            p.drawLine(x, mid - int(std::lround(hi * half)), x, mid - int(std::lround(lo * half)));
        }
    }
    if (m_cursor >= 0) {
        p.setPen(QPen(palette().color(QPalette::Text), 1));
        const int x = int(double(m_cursor) / std::max<double>(1, double(m_info.frames)) * width());
        p.drawLine(x, 0, x, height());
    }
}

// ---- MediaCard ----

QPushButton* addCardHeader(QWidget* card, QBoxLayout* layout, const QString& tag, const QString& run,
                           const QColor& runColor, const QString& toolTip)
{
    auto* title = new QPushButton(tag, card);
    title->setFlat(true);
    title->setCursor(Qt::PointingHandCursor);
    title->setToolTip(toolTip);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    auto* label = new QLabel(run, card);
    if (runColor.isValid()) {
        QPalette pal = label->palette();
        pal.setColor(QPalette::WindowText, runColor);
        label->setPalette(pal);
    } else {
        label->setForegroundRole(QPalette::PlaceholderText);
    }
    auto* head = new QHBoxLayout;
    head->addWidget(title);
    head->addStretch(1); // the title at the left, as wide as its text
    head->addWidget(label);
    layout->addLayout(head);
    return title;
}

MediaCard::MediaCard(const SummaryStore& store, int seriesId, const QString& runLabel, QWidget* parent)
    : QFrame(parent), m_store(store), m_id(seriesId)
{
    setFrameShape(QFrame::StyledPanel);
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(6, 4, 6, 4);
    v->setSpacing(3);
    const QString tag = QString::fromStdString(series().tag);
    m_title = addCardHeader(this, v, tag, runLabel, QColor(),
                            tr("%1 in run %2; click to show the op that writes it in the graph").arg(tag, runLabel));
    connect(m_title, &QPushButton::clicked, this, [this, tag] { emit tagClicked(tag); });
    m_body = new QWidget(this);
    v->addWidget(m_body, 1);
    auto* foot = new QHBoxLayout;
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setObjectName("stepSlider");
    m_slider->setRange(0, 0); // at its end: follows the newest value until the user moves it
    m_stepLabel = new QLabel(this);
    m_stepLabel->setMinimumWidth(110);
    foot->addWidget(m_slider, 1);
    foot->addWidget(m_stepLabel);
    v->addLayout(foot);
    connect(m_slider, &QSlider::valueChanged, this, [this](int i) {
        const MediaSeries& s = series();
        if (s.points.empty())
            return;
        const auto idx = std::size_t(std::clamp(i, 0, int(s.points.size()) - 1));
        m_stepLabel->setText(tr("step %1  (%2/%3)").arg(s.points[idx].step).arg(idx + 1).arg(s.points.size()));
        show(idx);
    });
}

const MediaSeries& MediaCard::series() const { return m_store.media(m_id); }

void MediaCard::seriesChanged()
{
    const MediaSeries& s = series();
    const int last = int(s.points.size()) - 1;
    const bool atEnd = m_slider->value() >= m_slider->maximum();
    const QSignalBlocker block(m_slider);
    m_slider->setRange(0, std::max(0, last));
    if (last < 0) {
        m_stepLabel->setText(tr("no values"));
        return;
    }
    if (atEnd)
        m_slider->setValue(last);
    const auto idx = std::size_t(std::clamp(m_slider->value(), 0, last));
    m_stepLabel->setText(tr("step %1  (%2/%3)").arg(s.points[idx].step).arg(idx + 1).arg(s.points.size()));
    show(idx);
}

void MediaCard::setIndex(int index) { m_slider->setValue(index); }

int MediaCard::index() const { return m_slider->value(); }

int64_t MediaCard::shownStep() const
{
    const MediaSeries& s = series();
    return s.points.empty() ? 0 : s.points[std::size_t(std::clamp(index(), 0, int(s.points.size()) - 1))].step;
}

// ---- ImageCard ----

ImageCard::ImageCard(const SummaryStore& store, int seriesId, const QString& runLabel, ImageCache* cache,
                     QWidget* parent)
    : MediaCard(store, seriesId, runLabel, parent), m_cache(cache)
{
    auto* v = new QVBoxLayout(body());
    v->setContentsMargins(0, 0, 0, 0);
    m_view = new ImageView(body());
    m_view->setToolTip(tr("Click for full size"));
    v->addWidget(m_view, 1);
    auto* row = new QHBoxLayout;
    m_info = new QLabel(body());
    m_info->setForegroundRole(QPalette::PlaceholderText);
    m_sample = new QSpinBox(body());
    m_sample->setPrefix(tr("sample "));
    m_sample->setVisible(false);
    row->addWidget(m_info, 1);
    row->addWidget(m_sample);
    v->addLayout(row);
    connect(m_sample, &QSpinBox::valueChanged, this, [this] { show(m_index); });
    connect(m_view, &ImageView::clicked, this, &ImageCard::openFullSize);
    if (m_cache)
        connect(m_cache, &ImageCache::decoded, this, &ImageCard::onDecoded);
    setMinimumWidth(240);
    seriesChanged();
}

QString ImageCard::keyOf(std::size_t index, int sample) const
{
    return QStringLiteral("%1:%2:%3").arg(seriesId()).arg(series().points[index].step).arg(index) +
           QLatin1Char(':') + QString::number(sample);
}

void ImageCard::show(std::size_t index)
{
    const MediaSeries& s = series();
    if (index >= s.points.size() || !m_cache)
        return;
    m_index = index;
    const MediaPoint& p = s.points[index];
    const int samples = int(p.items.size());
    m_sample->setVisible(samples > 1);
    {
        const QSignalBlocker block(m_sample);
        m_sample->setRange(0, std::max(0, samples - 1));
    }
    const int sample = std::clamp(m_sample->value(), 0, std::max(0, samples - 1));
    if (samples == 0) {
        m_view->setImage({}, tr("No image in this value"));
        return;
    }
    m_key = keyOf(index, sample);
    const QImage img = m_cache->get(m_key, p.items[std::size_t(sample)]);
    if (!img.isNull() || m_cache->contains(m_key))
        m_view->setImage(img, tr("Unreadable image (not PNG, JPEG or GIF)"));
    // else: keep the previous image until this one is decoded (no flicker while scrubbing)
    m_info->setText(img.isNull() ? QString() : tr("%1×%2").arg(img.width()).arg(img.height()));
    // Neighbours, so that stepping through is instant.
    for (std::size_t n : {index + 1, index - 1, index + 2})
        if (n < s.points.size() && std::size_t(sample) < s.points[n].items.size())
            m_cache->prefetch(keyOf(n, sample), s.points[n].items[std::size_t(sample)]);
}

void ImageCard::onDecoded(const QString& key)
{
    if (key != m_key || !m_cache)
        return;
    const MediaSeries& s = series();
    if (m_index >= s.points.size())
        return;
    const QImage img = m_cache->get(key, {});
    m_view->setImage(img, tr("Unreadable image (not PNG, JPEG or GIF)"));
    m_info->setText(img.isNull() ? tr("unreadable") : tr("%1×%2").arg(img.width()).arg(img.height()));
}

void ImageCard::openFullSize()
{
    const QImage img = m_view->image();
    if (img.isNull())
        return;
    auto* dlg = new QDialog(window());
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->setWindowTitle(tr("%1 at step %2").arg(QString::fromStdString(series().tag)).arg(shownStep()));
    auto* v = new QVBoxLayout(dlg);
    auto* area = new QScrollArea(dlg);
    auto* view = new ImageView(area);
    // Full size: at least the image's own pixels, small images enlarged to about 512 px.
    const int factor = std::max(1, 512 / std::max(img.width(), img.height()));
    view->setFixedSize(img.size() * factor);
    view->setImage(img);
    area->setWidget(view);
    area->setAlignment(Qt::AlignCenter);
    v->addWidget(area);
    dlg->resize(std::min(1200, view->width() + 40), std::min(900, view->height() + 40));
    dlg->show();
}

// ---- AudioCard ----

AudioCard::AudioCard(const SummaryStore& store, int seriesId, const QString& runLabel, QWidget* parent)
    : MediaCard(store, seriesId, runLabel, parent)
{
    auto* v = new QVBoxLayout(body());
    v->setContentsMargins(0, 0, 0, 0);
    m_wave = new WaveformView(body());
    v->addWidget(m_wave, 1);
    auto* row = new QHBoxLayout;
    m_play = new QPushButton(tr("▶ Play"), body());
    m_stop = new QPushButton(tr("■ Stop"), body());
    m_stop->setEnabled(false);
    m_status = new QLabel(body());
    m_status->setForegroundRole(QPalette::PlaceholderText);
    row->addWidget(m_play);
    row->addWidget(m_stop);
    row->addWidget(m_status, 1);
    v->addLayout(row);
    connect(m_play, &QPushButton::clicked, this, [this] { play(); });
    connect(m_stop, &QPushButton::clicked, this, &AudioCard::stop);
    setMinimumWidth(320);
    seriesChanged();
}

AudioCard::~AudioCard() { stop(); }

void AudioCard::show(std::size_t index)
{
    stop();
    const MediaSeries& s = series();
    if (index >= s.points.size())
        return;
    m_index = index;
    const MediaPoint& p = s.points[index];
    m_valid = !p.items.empty() && parseWav(p.items.front(), m_info);
    m_wave->setClip(m_info, m_valid);
    if (!m_valid) {
        m_status->setText(tr("not a WAV clip"));
        m_play->setEnabled(false);
        return;
    }
    const double seconds = m_info.sampleRate ? double(m_info.frames) / m_info.sampleRate : 0;
    QString text = tr("%1 s, %2 Hz, %3 ch").arg(seconds, 0, 'f', 2).arg(m_info.sampleRate).arg(m_info.channels);
    if (!p.labels.empty() && !p.labels.front().empty())
        text += QStringLiteral(" — ") + QString::fromStdString(p.labels.front());
    m_status->setText(text);
    m_play->setEnabled(true);
}

bool AudioCard::play()
{
    stop();
    if (!m_valid)
        return false;
    const QAudioDevice device = QMediaDevices::defaultAudioOutput();
    if (device.isNull()) {
        m_status->setText(tr("No audio output device"));
        return false;
    }
    // The sink plays 16-bit integer or 32-bit float PCM: convert whatever the clip holds into float.
    QAudioFormat format;
    format.setSampleRate(int(m_info.sampleRate));
    format.setChannelCount(m_info.channels);
    format.setSampleFormat(QAudioFormat::Float);
    if (!device.isFormatSupported(format))
        format = device.preferredFormat();
    m_pcm.resize(qsizetype(m_info.frames) * format.bytesPerFrame());
    const int outChannels = format.channelCount();
    for (uint64_t f = 0; f < m_info.frames; ++f)
        for (int c = 0; c < outChannels; ++c) {
            const float s = wavSample(m_info, f, unsigned(std::min(c, int(m_info.channels) - 1)));
            char* at = m_pcm.data() + qsizetype(f) * format.bytesPerFrame() + c * format.bytesPerSample();
            switch (format.sampleFormat()) {
            case QAudioFormat::Int16: {
                const auto v = int16_t(std::clamp(s, -1.0f, 1.0f) * 32767.0f);
                std::memcpy(at, &v, 2);
                break;
            }
            case QAudioFormat::Int32: {
                const auto v = int32_t(double(std::clamp(s, -1.0f, 1.0f)) * 2147483647.0);
                std::memcpy(at, &v, 4);
                break;
            }
            case QAudioFormat::UInt8: *at = char(uint8_t(std::clamp(s, -1.0f, 1.0f) * 127.0f + 128.0f)); break;
            default: std::memcpy(at, &s, 4); break;
            }
        }
    m_buffer = new QBuffer(&m_pcm, this);
    m_buffer->open(QIODevice::ReadOnly);
    m_sink = new QAudioSink(device, format, this);
    connect(m_sink, &QAudioSink::stateChanged, this, [this](QAudio::State st) {
        if (st == QAudio::IdleState)
            stop();
    });
    // Qt 6's sink has no progress signal: a timer moves the waveform's cursor.
    m_cursorTimer = new QTimer(this);
    m_cursorTimer->setInterval(50);
    connect(m_cursorTimer, &QTimer::timeout, this, [this, format] {
        if (m_sink)
            m_wave->setCursor(int64_t(format.framesForDuration(m_sink->processedUSecs())));
    });
    m_sink->start(m_buffer);
    m_cursorTimer->start();
    if (m_sink->error() != QAudio::NoError) {
        m_status->setText(tr("Cannot play: the audio device refused the clip"));
        stop();
        return false;
    }
    m_play->setEnabled(false);
    m_stop->setEnabled(true);
    return true;
}

void AudioCard::stop()
{
    if (m_sink) {
        m_sink->disconnect(this);
        m_sink->stop();
        m_sink->deleteLater();
        m_sink = nullptr;
    }
    if (m_cursorTimer) {
        m_cursorTimer->deleteLater();
        m_cursorTimer = nullptr;
    }
    if (m_buffer) {
        m_buffer->deleteLater();
        m_buffer = nullptr;
    }
    if (m_wave)
        m_wave->setCursor(-1);
    if (m_play)
        m_play->setEnabled(m_valid);
    if (m_stop)
        m_stop->setEnabled(false);
}

bool AudioCard::playing() const { return m_sink != nullptr; }

QString AudioCard::statusText() const { return m_status->text(); }

// ---- TextCard ----

QString textMarkdown(const std::vector<std::string>& items, const std::vector<int64_t>& shape)
{
    if (shape.size() == 2 && shape[1] > 0 && items.size() == std::size_t(shape[0] * shape[1])) {
        // A table; cells are escaped so that a '|' in a value does not split it.
        auto cell = [](const std::string& s) {
            QString c = QString::fromStdString(s);
            c.replace(QLatin1Char('|'), QStringLiteral("\\|")).replace(QLatin1Char('\n'), QLatin1Char(' '));
            return c;
        };
        QString md;
        const auto cols = std::size_t(shape[1]);
        for (std::size_t r = 0; r < std::size_t(shape[0]); ++r) {
            md += QLatin1Char('|');
            for (std::size_t c = 0; c < cols; ++c)
                md += QLatin1Char(' ') + cell(items[r * cols + c]) + QStringLiteral(" |");
            md += QLatin1Char('\n');
            if (r == 0) {
                md += QLatin1Char('|');
                for (std::size_t c = 0; c < cols; ++c)
                    md += QStringLiteral(" --- |");
                md += QLatin1Char('\n');
            }
        }
        return md;
    }
    QStringList parts;
    for (const std::string& s : items)
        parts << QString::fromStdString(s);
    return parts.join(QStringLiteral("\n\n---\n\n"));
}

TextCard::TextCard(const SummaryStore& store, int seriesId, const QString& runLabel, QWidget* parent)
    : MediaCard(store, seriesId, runLabel, parent)
{
    auto* v = new QVBoxLayout(body());
    v->setContentsMargins(0, 0, 0, 0);
    m_text = new QTextBrowser(body());
    m_text->setOpenExternalLinks(true);
    m_text->setMinimumHeight(90);
    v->addWidget(m_text, 1);
    setMinimumWidth(320);
    seriesChanged();
}

void TextCard::show(std::size_t index)
{
    const MediaSeries& s = series();
    if (index >= s.points.size())
        return;
    const MediaPoint& p = s.points[index];
    m_text->setMarkdown(textMarkdown(p.items, p.shape));
}

} // namespace scopeviz::ui
