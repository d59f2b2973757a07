// Tests of the dashboards beside Scalars: the watcher's histogram and media
// collection, the summary store (every step kept, purges, percentiles), the
// histogram and distribution charts, the image, audio and text cards, the
// filters, and the live seed demo whose weight histograms move in the window.
#include "tests/support/test_data.h"
#include "core/proto/event.pb.h"
#include "core/summary/event_writer.h"
#include "core/summary/logdir_watcher.h"
#include "core/summary/record_io.h"
#include "ui/common/graph_selection_model.h"
#include "ui/mainwindow/live_session.h"
#include "ui/mainwindow/main_window.h"
#include "ui/summaries/histogram_charts.h"
#include "ui/summaries/media_cards.h"
#include "ui/summaries/summary_dashboard.h"
#include "ui/summaries/summary_store.h"

#include <QBuffer>
#include <QDockWidget>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QToolButton>

#include <cmath>
#include <cstring>
#include <map>

using namespace scopeviz;
using namespace scopeviz::ui;

namespace {

std::string events(const std::string& folder) { return std::string(SCOPEVIZ_TESTDATA) + "/events/" + folder; }

/// Everything a rich watcher reads from `path` in one go.
WatchBatch readRich(const std::string& path)
{
    LogdirWatcher w(path);
    w.setCollectRich(true);
    return w.poll();
}

/// Values per tag in a batch's histograms or media.
template <class Series>
std::map<std::string, std::size_t> countsPerTag(const std::vector<Series>& list)
{
    std::map<std::string, std::size_t> out;
    for (const Series& s : list) {
        if constexpr (std::is_same_v<Series, HistogramSeriesBatch>)
            out[s.tag] += s.columns.size();
        else
            out[s.tag] += s.points.size();
    }
    return out;
}

/// A PNG of `w`x`h` filled with `color`.
std::string png(int w, int h, QColor color)
{
    QImage img(w, h, QImage::Format_RGB32);
    img.fill(color);
    QByteArray bytes;
    QBuffer buf(&bytes);
    buf.open(QIODevice::WriteOnly);
    img.save(&buf, "PNG");
    return bytes.toStdString();
}

/// A 16-bit mono WAV of `frames` samples of a sine at 440 Hz, amplitude `amp`.
std::string wav(int rate, int frames, double amp)
{
    std::string out = "RIFF";
    auto u32 = [&out](uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); };
    auto u16 = [&out](uint16_t v) { out.append(reinterpret_cast<const char*>(&v), 2); };
    u32(uint32_t(36 + frames * 2));
    out += "WAVEfmt ";
    u32(16);
    u16(1);
    u16(1);
    u32(uint32_t(rate));
    u32(uint32_t(rate * 2));
    u16(2);
    u16(16);
    out += "data";
    u32(uint32_t(frames * 2));
    for (int i = 0; i < frames; ++i)
        u16(uint16_t(int16_t(std::lround(amp * 32767 * std::sin(2 * M_PI * 440 * i / rate)))));
    return out;
}

void setPlugin(tfproto::Summary::Value* v, const std::string& plugin)
{
    v->mutable_metadata()->mutable_plugin_data()->set_plugin_name(plugin);
}

/// Writes, into `logdir`, one run with every media form: Summary.Image at steps 0..2 (red, green, blue),
/// an images-plugin tensor with two samples, Summary.Audio, an audio tensor with a label, a text tensor and a
/// 2x2 text table.
void writeMediaRun(const QString& logdir)
{
    EventWriter wr(logdir.toStdString());
    const QColor colors[] = {Qt::red, Qt::green, Qt::blue};
    for (int step = 0; step < 3; ++step) {
        tfproto::Summary s;
        auto* v = s.add_value();
        v->set_tag("input/image/0");
        auto* im = v->mutable_image();
        im->set_height(8);
        im->set_width(12);
        im->set_colorspace(3);
        im->set_encoded_image_string(png(12, 8, colors[step]));
        wr.addSummary(s.SerializeAsString(), step);
    }
    {
        tfproto::Summary s;
        auto* v = s.add_value();
        v->set_tag("samples");
        setPlugin(v, "images");
        auto* t = v->mutable_tensor();
        t->set_dtype(tfproto::DT_STRING);
        t->mutable_tensor_shape()->add_dim()->set_size(4);
        t->add_string_val("5");
        t->add_string_val("4");
        t->add_string_val(png(5, 4, Qt::yellow));
        t->add_string_val(png(5, 4, Qt::cyan));
        wr.addSummary(s.SerializeAsString(), 7);
    }
    {
        tfproto::Summary s;
        auto* v = s.add_value();
        v->set_tag("voice/audio/0");
        auto* a = v->mutable_audio();
        a->set_sample_rate(8000);
        a->set_num_channels(1);
        a->set_length_frames(4000);
        a->set_content_type("audio/wav");
        a->set_encoded_audio_string(wav(8000, 4000, 0.8));
        wr.addSummary(s.SerializeAsString(), 3);
    }
    {
        tfproto::Summary s;
        auto* v = s.add_value();
        v->set_tag("clips");
        setPlugin(v, "audio");
        auto* t = v->mutable_tensor();
        t->set_dtype(tfproto::DT_STRING);
        t->mutable_tensor_shape()->add_dim()->set_size(1);
        t->mutable_tensor_shape()->add_dim()->set_size(2);
        t->add_string_val(wav(16000, 1600, 0.5));
        t->add_string_val("a **label**");
        wr.addSummary(s.SerializeAsString(), 4);
    }
    for (int step = 0; step < 2; ++step) {
        tfproto::Summary s;
        auto* v = s.add_value();
        v->set_tag("notes");
        setPlugin(v, "text");
        auto* t = v->mutable_tensor();
        t->set_dtype(tfproto::DT_STRING);
        t->add_string_val(step == 0 ? "# Hello\n\nfirst *note*" : "second note");
        wr.addSummary(s.SerializeAsString(), step);
    }
    {
        tfproto::Summary s;
        auto* v = s.add_value();
        v->set_tag("table");
        setPlugin(v, "text");
        auto* t = v->mutable_tensor();
        t->set_dtype(tfproto::DT_STRING);
        t->mutable_tensor_shape()->add_dim()->set_size(2);
        t->mutable_tensor_shape()->add_dim()->set_size(2);
        for (const char* c : {"name", "value", "lr", "0.01"})
            t->add_string_val(c);
        wr.addSummary(s.SerializeAsString(), 0);
    }
    QVERIFY(wr.close().ok());
}

/// A histogram with buckets (left, right, count) in display form.
Histogram hist(std::vector<HistogramBucket> buckets)
{
    Histogram h;
    h.tensorForm = true;
    h.buckets = std::move(buckets);
    h.min = h.buckets.front().left;
    h.max = h.buckets.back().right;
    for (const auto& b : h.buckets)
        h.num += b.count;
    return h;
}

/// One histogram at `step`, as the watcher delivers it.
HistogramColumns histAt(int64_t step, std::vector<HistogramBucket> buckets)
{
    HistogramColumns c;
    c.append(step, 0.0, hist(std::move(buckets)));
    return c;
}

/// Fraction of pixels in `img` close to `color`.
double share(const QImage& img, QColor color)
{
    int n = 0;
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x) {
            const QColor c = img.pixelColor(x, y);
            n += std::abs(c.red() - color.red()) + std::abs(c.green() - color.green()) +
                         std::abs(c.blue() - color.blue()) <
                     40
                     ? 1
                     : 0;
        }
    return double(n) / (img.width() * img.height());
}

} // namespace

class SummariesTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { SCOPEVIZ_REQUIRE_TEST_DATA(); }

    // ---- the watcher ----

    void richCollectionReadsTheTestData()
    {
        // Counts from tests/data/events/*/SOURCES.md (the same figures summary_kinds_test checks by kind).
        WatchBatch b = readRich(events("tensorboardx-histograms"));
        QCOMPARE(countsPerTag(b.histograms), (std::map<std::string, std::size_t>{{"hist-numpy", 5}, {"hist-torch", 5}}));
        QVERIFY(b.media.empty());
        b = readRich(events("pytorch-summarywriter-graph-image"));
        QCOMPARE(b.media.size(), std::size_t(1));
        QCOMPARE(b.media[0].tag, std::string("images"));
        const MediaPoint& p = b.media[0].points.at(0);
        QCOMPARE(p.kind, SummaryKind::Image);
        QCOMPARE(p.items.size(), std::size_t(1));
        const QImage img = QImage::fromData(QByteArray::fromStdString(p.items[0]));
        QCOMPARE(img.size(), QSize(242, 242)); // the 8x8 grid of MNIST digits, decodable
        b = readRich(events("python-writer-gan-custom-scalars-histos"));
        std::size_t histograms = 0;
        for (const auto& s : b.histograms)
            histograms += s.columns.size();
        QVERIFY(histograms > 0);
        // A scalar-only consumer (the default) pays nothing for them.
        LogdirWatcher plain(events("tensorboardx-histograms"));
        QVERIFY(plain.poll().histograms.empty());
    }

    void everyMediaFormArrivesWithItsPayload()
    {
        QTemporaryDir dir;
        writeMediaRun(dir.path());
        const WatchBatch b = readRich(dir.path().toStdString());
        const auto media = countsPerTag(b.media);
        QCOMPARE(media, (std::map<std::string, std::size_t>{
                            {"input/image/0", 3}, {"samples", 1}, {"voice/audio/0", 1}, {"clips", 1}, {"notes", 2}, {"table", 1}}));
        for (const MediaSeriesBatch& s : b.media) {
            const MediaPoint& p = s.points.front();
            if (s.tag == "samples") {
                QCOMPARE(p.items.size(), std::size_t(2));
                QCOMPARE(p.width, int64_t(5));
                QCOMPARE(p.height, int64_t(4));
            } else if (s.tag == "voice/audio/0") {
                QCOMPARE(p.sampleRate, 8000.0);
            } else if (s.tag == "clips") {
                QCOMPARE(p.labels, std::vector<std::string>{"a **label**"});
            } else if (s.tag == "table") {
                QCOMPARE(p.shape, (std::vector<int64_t>{2, 2}));
                QCOMPARE(p.items.size(), std::size_t(4));
            }
        }
    }

    void restartPurgesHistogramsAndMedia()
    {
        // A file without a version whose step goes backwards (a restarted job): TensorBoard's rule drops that
        // tag's values from the restart step on, for histograms and images as for scalars.
        QTemporaryDir dir;
        const std::string file = dir.filePath("events.out.tfevents.1.host").toStdString();
        {
            auto opened = RecordWriter::open(file, RecordWriter::Mode::Truncate);
            QVERIFY(opened.ok());
            RecordWriter& rw = *opened.value();
            // One event per step holding both values (TensorBoard purges the tags of the event that went back).
            auto add = [&rw](int64_t step) {
                tfproto::Event e;
                e.set_step(step);
                e.set_wall_time(1.7e9 + double(step));
                auto* v = e.mutable_summary()->add_value();
                v->set_tag("img");
                v->mutable_image()->set_encoded_image_string(png(2, 2, Qt::red));
                v = e.mutable_summary()->add_value();
                v->set_tag("w");
                auto* h = v->mutable_histo();
                h->set_min(0);
                h->set_max(1);
                h->set_num(1);
                h->add_bucket_limit(1);
                h->add_bucket(1);
                (void)rw.write(e.SerializeAsString());
            };
            for (int64_t s : {0, 1, 2, 3})
                add(s);
            for (int64_t s : {2, 3}) // restart from step 2
                add(s);
            QVERIFY(rw.close().ok());
        }
        SummaryStore store;
        LogdirWatcher w(dir.path().toStdString());
        w.setCollectRich(true);
        store.apply(w.poll());
        const HistogramSeries& h = store.histogram(store.findHistogram(".", "w"));
        QCOMPARE(h.steps, (std::vector<int64_t>{0, 1, 2, 3}));
        QCOMPARE(store.media(store.findMedia(".", "img")).points.size(), std::size_t(4));
        // Across batches too: the purge drops what an earlier batch delivered.
        SummaryStore later;
        later.appendHistograms("r", "w", histAt(5, {{0, 1, 1}}));
        WatchBatch purge;
        RunEvent e;
        e.kind = RunEvent::Kind::Purge;
        e.run = "r";
        e.step = 4;
        purge.events.push_back(e);
        later.apply(purge);
        QCOMPARE(later.histogram(later.findHistogram("r", "w")).size(), std::size_t(0));
    }

    // ---- the store ----

    void storeKeepsEveryStepCompactly()
    {
        SummaryStore store;
        HistogramColumns pts;
        for (int64_t s = 0; s < 10000; ++s) {
            std::vector<HistogramBucket> b;
            for (int k = 0; k < 30; ++k)
                b.push_back({double(k), double(k + 1), double(1 + (k + s) % 5)});
            pts.append(s, 0.0, hist(std::move(b)));
        }
        const int id = store.appendHistograms("run", "layer/weights", pts);
        QCOMPARE(store.histogram(id).size(), std::size_t(10000)); // no reservoir sampling: every step
        QCOMPARE(store.bucketCount(), std::size_t(300000));
        QCOMPARE(store.histogram(id).steps.back(), int64_t(9999));
        // Per bucket: a float edge and a float count (8 B), plus per-step columns and the vectors' growth room;
        // a decoded Histogram takes 24 B per bucket plus its allocations.
        const double perBucket = double(store.histogramBytes()) / double(store.bucketCount());
        QVERIFY2(perBucket < 20.0, qPrintable(QString::number(perBucket)));
    }

    void percentilesFollowTensorBoard()
    {
        // Four equal buckets over [0, 4]: the 50 % point is 2, 15.87 % is 0.6348, the extremes are min and max.
        SummaryStore store;
        const int id = store.appendHistograms("r", "t", histAt(1, {{0, 1, 1}, {1, 2, 1}, {2, 3, 1}, {3, 4, 1}}));
        const auto& q = store.histogram(id).percentiles.at(0);
        QCOMPARE(q[0], 0.0f);
        QCOMPARE(q[4], 2.0f);
        QVERIFY(std::abs(q[2] - 0.6348f) < 1e-4f);
        QCOMPARE(q[8], 4.0f);
        // All mass in one bucket that no mass precedes: TensorBoard interpolates from the histogram's minimum
        // (-1) to the bucket's right edge (10), so the median is 4.5.
        store.appendHistograms("r", "t", histAt(2, {{-1, 0, 0}, {0, 10, 4}, {10, 11, 0}}));
        QCOMPARE(store.histogram(id).percentiles.at(1)[4], 4.5f);
        // Mass before it: the bucket's own left edge.
        store.appendHistograms("r", "t", histAt(3, {{0, 2, 2}, {2, 4, 0}, {4, 8, 2}}));
        QCOMPARE(store.histogram(id).percentiles.at(2)[6], 6.7304f); // 84.13 % of 4 = 3.3652: 4 + (3.3652 - 2) / 2 * (8 - 4)
    }

    // ---- the charts ----

    void histogramChartDecimatesToThePixels()
    {
        SummaryStore store;
        HistogramColumns pts;
        for (int64_t s = 0; s < 5000; ++s)
            pts.append(s * 10, 0.0, hist({{-1.0 - s * 1e-4, 0, 3}, {0, 1.0 + s * 1e-4, 5}}));
        const int id = store.appendHistograms("r", "w", pts);
        HistogramChart chart;
        chart.resize(400, 260);
        chart.setSeries(&store.histogram(id), QColor(200, 60, 40));
        const auto drawn = chart.drawnSteps();
        QVERIFY(drawn.size() <= std::size_t(260 * 0.65 / 4) + 1);
        QCOMPARE(drawn.front(), std::size_t(0));
        QCOMPARE(drawn.back(), std::size_t(4999)); // the newest step is always drawn
        QImage img;
        chart.paintOffscreen(&img);
        QVERIFY2(share(img, QColor(200, 60, 40)) > 0.01, "the newest ridge is drawn in the run's colour");
        chart.setMode(HistogramMode::Overlay);
        QVERIFY(chart.drawnSteps().size() <= 40);
        // Hovering the bottom ridge names the newest step.
        QCOMPARE(chart.stepAt(QPoint(200, 255)), int64_t(49990));
    }

    void distributionBandsSpanThePercentiles()
    {
        SummaryStore store;
        HistogramColumns pts;
        for (int64_t s = 0; s < 100; ++s)
            pts.append(s, 0.0, hist({{-10, -5, 1}, {-5, 5, 98}, {5, 10, 1}}));
        const int id = store.appendHistograms("r", "w", pts);
        DistributionChart chart;
        chart.resize(400, 260);
        const QColor color(30, 90, 200);
        chart.setSeries(&store.histogram(id), color);
        QImage img;
        chart.paintOffscreen(&img);
        // In the middle of the plot the median line crosses value 0; far above the max there is no band.
        const QColor base = chart.palette().base().color();
        const int x = 46 + 200;
        int colored = 0;
        for (int y = 8; y < 260 - 22; ++y)
            colored += img.pixelColor(x, y) != base ? 1 : 0;
        QVERIFY2(colored > 150, qPrintable(QString::number(colored))); // min..max covers most of the height
        QVERIFY(img.pixelColor(x, 9) == base || img.pixelColor(x, 10) == base); // above max: the padding
    }

    // ---- the dashboards ----

    void dashboardsShowEveryKindAndFilter()
    {
        QTemporaryDir dir;
        writeMediaRun(dir.path());
        SummaryHub hub;
        SummaryDashboard images(SummaryView::Images, &hub), audio(SummaryView::Audio, &hub),
            text(SummaryView::Text, &hub), histos(SummaryView::Histograms, &hub);
        for (SummaryDashboard* d : {&images, &audio, &text, &histos}) {
            d->resize(1200, 700);
            d->show();
        }
        QSignalSpy first(&images, &SummaryDashboard::firstData);
        hub.applyBatch(readRich(dir.path().toStdString()));
        for (SummaryDashboard* d : {&images, &audio, &text, &histos})
            d->refreshNow();
        QCOMPARE(first.count(), 1);
        QCOMPARE(images.cardCount(), 2);
        QCOMPARE(audio.cardCount(), 2);
        QCOMPARE(text.cardCount(), 2);
        QCOMPARE(histos.cardCount(), 0);
        QVERIFY(histos.statusText().isEmpty());

        // Images: the newest step is shown; the slider goes back to step 0's red image.
        auto* card = qobject_cast<ImageCard*>(images.cardFor(".", "input/image/0"));
        QVERIFY(card);
        QTRY_VERIFY(!card->view()->image().isNull());
        QCOMPARE(card->shownStep(), int64_t(2));
        QVERIFY(share(card->view()->image(), Qt::blue) > 0.9);
        card->setIndex(0);
        QTRY_VERIFY(share(card->view()->image(), Qt::red) > 0.9);
        QCOMPARE(card->shownStep(), int64_t(0));
        QCOMPARE(card->view()->image().size(), QSize(12, 8));
        // Two samples in one value: the second is reachable.
        auto* samples = qobject_cast<ImageCard*>(images.cardFor(".", "samples"));
        QVERIFY(samples);
        QTRY_VERIFY(share(samples->view()->image(), Qt::yellow) > 0.9);
        auto* spin = samples->findChild<QSpinBox*>();
        QVERIFY(spin && spin->isVisibleTo(samples));
        spin->setValue(1);
        QTRY_VERIFY(share(samples->view()->image(), Qt::cyan) > 0.9);

        // Audio: the waveform and what the clip is; play either starts or says why it cannot.
        auto* voice = qobject_cast<AudioCard*>(audio.cardFor(".", "voice/audio/0"));
        QVERIFY(voice);
        QCOMPARE(voice->statusText(), QStringLiteral("0.50 s, 8000 Hz, 1 ch"));
        const bool played = voice->play();
        QVERIFY2(played || voice->statusText().contains("No audio output") || voice->statusText().contains("Cannot play"),
                 qPrintable(voice->statusText()));
        voice->stop();
        QVERIFY(!voice->playing());
        auto* clips = qobject_cast<AudioCard*>(audio.cardFor(".", "clips"));
        QVERIFY(clips && clips->statusText().contains("a **label**"));

        // Text: Markdown rendered (the heading's markup is gone), a rank-2 tensor as a table.
        auto* notes = qobject_cast<TextCard*>(text.cardFor(".", "notes"));
        QVERIFY(notes);
        QCOMPARE(notes->shownStep(), int64_t(1));
        notes->setIndex(0);
        QVERIFY2(notes->browser()->toPlainText().startsWith("Hello"), qPrintable(notes->browser()->toPlainText()));
        QVERIFY(!notes->browser()->toPlainText().contains('#'));
        auto* table = qobject_cast<TextCard*>(text.cardFor(".", "table"));
        QVERIFY(table);
        QVERIFY(table->browser()->document()->toHtml().contains("<table"));
        QVERIFY(table->browser()->toPlainText().contains("0.01"));

        // Filters: tags by regex; an invalid regex is matched literally instead of hiding everything.
        images.setTagFilter("^input");
        images.refreshNow();
        QCOMPARE(images.shownTags(), QStringList{"input/image/0"});
        images.setTagFilter("input/image/0(");
        images.refreshNow();
        QCOMPARE(images.cardCount(), 0);
        images.setTagFilter({});
        images.setRunFilter("no-such-run");
        images.refreshNow();
        QCOMPARE(images.cardCount(), 0);
        QVERIFY(images.statusText().contains("0 of 2"));
    }

    void cardsAndTheirSlidersSurviveNewRuns()
    {
        // A sweep still starting: runs keep arriving while the user moves an image slider. The cards already
        // shown stay (the same widgets, in tag-then-run order), and so does the step each one shows.
        SummaryHub hub;
        SummaryDashboard images(SummaryView::Images, &hub);
        images.resize(1200, 700);
        images.show();
        auto batch = [](const std::string& run, std::initializer_list<QColor> colors) {
            WatchBatch b;
            MediaSeriesBatch s{run, "input/image/0", {}};
            int64_t step = 0;
            for (QColor c : colors) {
                MediaPoint p;
                p.kind = SummaryKind::Image;
                p.step = step++;
                p.items = {png(6, 4, c)};
                s.points.push_back(std::move(p));
            }
            b.media.push_back(std::move(s));
            return b;
        };
        hub.applyBatch(batch("b", {Qt::red, Qt::blue}));
        images.refreshNow();
        auto* card = qobject_cast<ImageCard*>(images.cardFor("b", "input/image/0"));
        QVERIFY(card);
        card->setIndex(0);
        QTRY_VERIFY(share(card->view()->image(), Qt::red) > 0.9);
        for (const char* run : {"c", "a"}) {
            hub.applyBatch(batch(run, {Qt::green}));
            images.refreshNow();
        }
        QCOMPARE(images.cardCount(), 3);
        auto* now = qobject_cast<ImageCard*>(images.cardFor("b", "input/image/0"));
        QVERIFY(now);
        QCOMPARE(now->shownStep(), int64_t(0)); // a card made anew would show the newest step, 1
        QCOMPARE(now->index(), 0);
        QCOMPARE(now, card);
        QVERIFY(share(now->view()->image(), Qt::red) > 0.9);
        // A filter that hides the card and one that shows it again: a new card, at the newest step.
        images.setRunFilter("^c$");
        images.refreshNow();
        QCOMPARE(images.cardCount(), 1);
        images.setRunFilter({});
        images.refreshNow();
        auto* again = qobject_cast<ImageCard*>(images.cardFor("b", "input/image/0"));
        QVERIFY(again);
        QCOMPARE(again->shownStep(), int64_t(1));
    }

    void manySeriesArePagedThrough()
    {
        // A sweep of 200 runs logging one histogram each: the dashboard shows 96 cards at a time and pages
        // through the rest with its arrows; a filter starts again at the first page.
        SummaryHub hub;
        SummaryDashboard board(SummaryView::Distributions, &hub);
        board.resize(1200, 700);
        board.show();
        WatchBatch b;
        for (int r = 0; r < 200; ++r)
            b.histograms.push_back({QString::asprintf("run%03d", r).toStdString(), "w", histAt(0, {{0, 1, 1}})});
        hub.applyBatch(b);
        board.refreshNow();
        QCOMPARE(board.cardCount(), SummaryDashboard::kMaxCards);
        QCOMPARE(board.pageCount(), 3);
        QCOMPARE(board.statusText(), QStringLiteral("1–96 of 200"));
        auto buttons = board.findChildren<QToolButton*>();
        QToolButton* next = nullptr;
        for (QToolButton* t : buttons)
            if (t->arrowType() == Qt::RightArrow)
                next = t;
        QVERIFY(next && next->isVisible() && next->isEnabled());
        QTest::mouseClick(next, Qt::LeftButton);
        QCOMPARE(board.page(), 1);
        QCOMPARE(board.statusText(), QStringLiteral("97–192 of 200"));
        QVERIFY(board.cardFor("run100", "w"));
        QVERIFY(!board.cardFor("run000", "w"));
        QTest::mouseClick(next, Qt::LeftButton);
        QCOMPARE(board.cardCount(), 8);
        QVERIFY(!next->isEnabled());
        board.setRunFilter("run1");
        board.refreshNow();
        QCOMPARE(board.page(), 0);
        QCOMPARE(board.statusText(), QStringLiteral("1–96 of 100 (filtered from 200)"));
    }

    void unreadableImageSaysSo()
    {
        SummaryHub hub;
        SummaryDashboard images(SummaryView::Images, &hub);
        images.show();
        WatchBatch b;
        MediaPoint p;
        p.kind = SummaryKind::Image;
        p.items = {"not an image at all"};
        b.media.push_back({"run", "broken", {p}});
        hub.applyBatch(b);
        images.refreshNow();
        auto* card = qobject_cast<ImageCard*>(images.cardFor("run", "broken"));
        QVERIFY(card);
        hub.imageCache()->waitForDone();
        QTRY_VERIFY(hub.imageCache()->contains(card->shownKey()));
        QVERIFY(card->view()->image().isNull());
        QVERIFY(card->findChildren<QLabel*>().size() > 0);
        bool said = false;
        for (QLabel* l : card->findChildren<QLabel*>())
            said = said || l->text() == "unreadable";
        QVERIFY(said);
    }

    void seedDemoHistogramsMoveLiveAndLinkToTheVariable()
    {
        // The seed demo trains in the window and logs histograms of my_net's weights: they arrive while it
        // trains, and clicking the weights' histogram selects the variable my_net/weights in the graph.
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        LiveSession* s = LiveSession::trainSeed(&w, 120, true);
        QVERIFY(s);
        const SummaryStore& store = w.summaryHub()->store();
        auto weights = [&store]() -> const HistogramSeries* {
            for (int i = 0; i < store.histogramCount(); ++i)
                if (store.histogram(i).tag == "summary/weights")
                    return &store.histogram(i);
            return nullptr;
        };
        QTRY_VERIFY_WITH_TIMEOUT(weights() && weights()->size() >= 3, 30000);
        const HistogramSeries& h = *weights();
        const QString run = QString::fromStdString(store.runs()[std::size_t(h.run)]);
        // The weights change as the demo trains: the first and a later histogram differ.
        QVERIFY(h.percentiles.front() != h.percentiles.back());
        QDockWidget* dock = w.summaryDock(0);
        QTRY_VERIFY(dock->isVisible());
        SummaryDashboard* board = w.summaryDashboards()[0];
        board->refreshNow();
        QWidget* card = board->cardFor(run, "summary/weights");
        QVERIFY(card);
        auto* title = card->findChild<QPushButton*>();
        QVERIFY(title);
        QTRY_VERIFY_WITH_TIMEOUT(w.document() != nullptr, 10000);
        title->click();
        const auto sel = w.selectionModel()->selectedItem();
        QVERIFY(sel.has_value());
        QCOMPARE(sel->kind, hierarchy::Item::Kind::Op);
        QCOMPARE(QString::fromUtf8(w.document()->graph->op(sel->id).name().data(),
                                   qsizetype(w.document()->graph->op(sel->id).name().size())),
                 QStringLiteral("my_net/weights"));
        // Selecting the summary scope narrows these dashboards as it narrows Scalars.
        QVERIFY(w.selectByName("summary"));
        board->refreshNow();
        QCOMPARE(board->tagFilter(), QStringLiteral("^summary/"));
        QCOMPARE(board->cardCount(), 3); // weights, biases and activations of my_net
    }
};

QTEST_MAIN(SummariesTest)
#include "summaries_test.moc"
