// Image, audio and text summaries as TensorFlow 1.x writes them: PNG payloads
// that libpng decodes back to the same pixels, the float-to-uint8 rule of
// summary_image_op.cc, 16-bit PCM WAV headers, the "/image/N" and "/audio/N"
// tags (and the single-output forms), TensorFlow's error texts for bad shapes,
// the ops built, run, merged and round-tripped through a GraphDef, and the
// reader's kinds and details for what was written.
#include "core/exec/session.h"
#include "core/graph/name_scope.h"
#include "core/io/graphdef_io.h"
#include "core/proto/summary.pb.h"
#include "core/summary/event_reader.h"
#include "core/summary/event_writer.h"
#include "core/summary/media_encoding.h"
#include "core/summary/summary_encoding.h"
#include "core/summary/summary_ops.h"
#include "core/util/error.h"
#include "summary_test_util.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <random>

using namespace scopeviz;
using scopeviz::exec::Session;

namespace {

tfproto::Summary parse(const Expected<std::string>& s)
{
    tfproto::Summary out;
    if (s.ok())
        out.ParseFromString(s.value());
    return out;
}

std::vector<std::string> tags(const tfproto::Summary& s)
{
    std::vector<std::string> out;
    for (const auto& v : s.value())
        out.push_back(v.tag());
    return out;
}

Tensor floatImage(std::vector<float> v, std::vector<int64_t> dims) { return Tensor::fromVector(v, std::move(dims)); }

/// The 8-bit pixels that a one-image float summary stores (through PNG and back).
std::vector<uint8_t> normalisedThroughPng(const Tensor& image)
{
    const tfproto::Summary s = parse(encodeImageSummary("t", image, 1, defaultImageBadColor()));
    if (s.value_size() != 1)
        return {};
    Expected<DecodedPng> png = decodePng(s.value(0).image().encoded_image_string());
    return png.ok() ? png->pixels : std::vector<uint8_t>{};
}

uint32_t le32(const std::string& s, size_t at)
{
    uint32_t v = 0;
    std::memcpy(&v, s.data() + at, 4);
    return v;
}
uint16_t le16(const std::string& s, size_t at)
{
    uint16_t v = 0;
    std::memcpy(&v, s.data() + at, 2);
    return v;
}

class RowCollector final : public EventVisitor {
public:
    std::map<std::string, std::string> kindAndDetail; // tag -> "kind detail"
    void onSummaryValue(const EventHeader&, std::string_view tag, const SummaryValueInfo& info) override
    {
        kindAndDetail[std::string(tag)] = summaryKindName(info) + " " + info.detail;
    }
    bool wantsSummaryValues() const override { return true; }
};

} // namespace

class SummaryMediaTest : public QObject {
    Q_OBJECT
private slots:
    void pngRoundTripKeepsEveryPixel()
    {
        std::mt19937 rng(5);
        for (int channels : {1, 2, 3, 4}) {
            const int w = 7, h = 5;
            std::vector<uint8_t> pixels(size_t(w * h * channels));
            for (uint8_t& p : pixels)
                p = uint8_t(rng());
            Expected<std::string> png = encodePng(pixels, w, h, channels);
            QVERIFY2(png.ok(), png.ok() ? "" : png.error().c_str());
            QVERIFY(png->substr(0, 8) == "\x89PNG\r\n\x1a\n");
            Expected<DecodedPng> back = decodePng(*png);
            QVERIFY2(back.ok(), back.ok() ? "" : back.error().c_str());
            QCOMPARE(back->width, w);
            QCOMPARE(back->height, h);
            QCOMPARE(back->channels, channels);
            QVERIFY(back->pixels == pixels);
        }
        QVERIFY(!encodePng(std::vector<uint8_t>(5), 2, 2, 1).ok()); // too few samples
        QVERIFY(!decodePng("not a png").ok());
    }

    void uint8ImagesAreTaggedAndStoredAsGiven()
    {
        // [3, 2, 4, 3]: three RGB images of 4x2; max_outputs 2 keeps the first two.
        Tensor t(DType::UInt8, {3, 2, 4, 3});
        for (int64_t i = 0; i < t.numElements(); ++i)
            t.data<uint8_t>()[i] = uint8_t(i * 7);
        const tfproto::Summary s = parse(encodeImageSummary("input_reshape/input", t, 2, defaultImageBadColor()));
        QCOMPARE(tags(s), (std::vector<std::string>{"input_reshape/input/image/0", "input_reshape/input/image/1"}));
        for (int i = 0; i < 2; ++i) {
            const auto& img = s.value(i).image();
            QCOMPARE(img.width(), 4);
            QCOMPARE(img.height(), 2);
            QCOMPARE(img.colorspace(), 3);
            Expected<DecodedPng> png = decodePng(img.encoded_image_string());
            QVERIFY(png.ok());
            const std::vector<uint8_t> expected(t.data<uint8_t>() + i * 24, t.data<uint8_t>() + (i + 1) * 24);
            QVERIFY(png->pixels == expected);
        }
        // max_outputs above the batch: as many as there are; the tag depends on what was asked for.
        QCOMPARE(parse(encodeImageSummary("x", t, 10, defaultImageBadColor())).value_size(), 3);
        // max_outputs 1: TF1 drops the index.
        QCOMPARE(tags(parse(encodeImageSummary("x", t, 1, defaultImageBadColor()))),
                 (std::vector<std::string>{"x/image"}));
    }

    void floatImagesFollowTensorFlowsNormalisation()
    {
        // Non-negative: scaled by 255 / max, truncated.
        QCOMPARE(normalisedThroughPng(floatImage({0.f, 0.5f, 1.f, 0.25f}, {1, 2, 2, 1})),
                 (std::vector<uint8_t>{0, 127, 255, 63}));
        // Any negative: scaled by 127 / max(|min|, |max|) around 128.
        QCOMPARE(normalisedThroughPng(floatImage({-1.f, 0.f, 0.5f, 1.f}, {1, 2, 2, 1})),
                 (std::vector<uint8_t>{1, 128, 191, 255}));
        QCOMPARE(normalisedThroughPng(floatImage({-4.f, 2.f, 0.f, -2.f}, {1, 1, 4, 1})),
                 (std::vector<uint8_t>{1, 191, 128, 64}));
        // All (near) zero: the scale is 0, not a division by zero.
        QCOMPARE(normalisedThroughPng(floatImage({0.f, 5e-7f, 0.f, 0.f}, {1, 2, 2, 1})),
                 (std::vector<uint8_t>{0, 0, 0, 0}));
        // A pixel with any non-finite channel is painted bad_color (red); min/max skip it.
        const float nan = std::numeric_limits<float>::quiet_NaN();
        QCOMPARE(normalisedThroughPng(floatImage({0.f, 0.f, 0.f, 1000.f, nan, 0.f, 0.5f, 0.5f, 0.5f}, {1, 1, 3, 3})),
                 (std::vector<uint8_t>{0, 0, 0, 255, 0, 0, 255, 255, 255}));
        // Every image of a batch is normalised on its own.
        const tfproto::Summary s = parse(
            encodeImageSummary("b", floatImage({0.f, 1.f, 0.f, 100.f}, {2, 1, 2, 1}), 2, defaultImageBadColor()));
        QCOMPARE(s.value_size(), 2);
        QCOMPARE(decodePng(s.value(0).image().encoded_image_string())->pixels, (std::vector<uint8_t>{0, 255}));
        QCOMPARE(decodePng(s.value(1).image().encoded_image_string())->pixels, (std::vector<uint8_t>{0, 255}));
        // Doubles take the same rule.
        Tensor d = Tensor::fromVector(std::vector<double>{-2.0, 2.0}, {1, 1, 2, 1});
        QCOMPARE(normalisedThroughPng(d), (std::vector<uint8_t>{1, 255}));
    }

    void imageErrorsUseTensorFlowsTexts()
    {
        auto error = [](const Tensor& t) {
            Expected<std::string> r = encodeImageSummary("x", t, 3, defaultImageBadColor());
            return r.ok() ? std::string("ok") : r.error();
        };
        QCOMPARE(error(Tensor(DType::Float, {2, 3})), std::string("Tensor must be 4-D with last dim 1, 3, or 4, not [2,3]"));
        QCOMPARE(error(Tensor(DType::Float, {1, 2, 2, 2})),
                 std::string("Tensor must be 4-D with last dim 1, 3, or 4, not [1,2,2,2]"));
        QVERIFY2(error(Tensor(DType::UInt8, {1, 0, 2, 1})).starts_with("PNG encoding failed"),
                 error(Tensor(DType::UInt8, {1, 0, 2, 1})).c_str()); // TF 1.15: libpng refuses a 0-row image
        QVERIFY(error(Tensor(DType::Float, {2, 3, 0, 1})).starts_with("PNG encoding failed"));
        const std::vector<uint8_t> twoColours{0, 0};
        Expected<std::string> r = encodeImageSummary("x", Tensor(DType::Float, {1, 1, 1, 3}), 1, twoColours);
        QCOMPARE(r.ok() ? std::string() : r.error(),
                 std::string("expected depth <= bad_color.size, got depth = 3, bad_color.size = 2"));
        // An empty batch is no error: no images.
        QCOMPARE(parse(encodeImageSummary("x", Tensor(DType::UInt8, {0, 2, 2, 1}), 3, defaultImageBadColor())).value_size(),
                 0);
    }

    void wavHeaderAndSamples()
    {
        // Two frames of two channels: clipped to [-1, 1], times 32768, rounded, kept in int16.
        const std::vector<float> samples{0.5f, -1.f, 1.f, 2.f};
        const float nan = std::numeric_limits<float>::quiet_NaN();
        Expected<std::string> odd = encodeWav16(std::vector<float>{nan, -3.f, 1e-5f}, 8000, 1, 3);
        QVERIFY(odd.ok());
        QCOMPARE(int16_t(le16(*odd, 44)), int16_t(0)); // NaN: silence
        QCOMPARE(int16_t(le16(*odd, 46)), int16_t(-32768));
        QCOMPARE(int16_t(le16(*odd, 48)), int16_t(0)); // round(0.33)
        Expected<std::string> wav = encodeWav16(samples, 8000, 2, 2);
        QVERIFY(wav.ok());
        QCOMPARE(wav->size(), size_t(44 + 8));
        QCOMPARE(wav->substr(0, 4), std::string("RIFF"));
        QCOMPARE(le32(*wav, 4), uint32_t(36 + 8));
        QCOMPARE(wav->substr(8, 8), std::string("WAVEfmt "));
        QCOMPARE(le32(*wav, 16), uint32_t(16));
        QCOMPARE(le16(*wav, 20), uint16_t(1)); // PCM
        QCOMPARE(le16(*wav, 22), uint16_t(2)); // channels
        QCOMPARE(le32(*wav, 24), uint32_t(8000));
        QCOMPARE(le32(*wav, 28), uint32_t(8000 * 2 * 2)); // byte rate
        QCOMPARE(le16(*wav, 32), uint16_t(4));            // block align
        QCOMPARE(le16(*wav, 34), uint16_t(16));           // bits per sample
        QCOMPARE(wav->substr(36, 4), std::string("data"));
        QCOMPARE(le32(*wav, 40), uint32_t(8));
        QCOMPARE(int16_t(le16(*wav, 44)), int16_t(16384));
        QCOMPARE(int16_t(le16(*wav, 46)), int16_t(-32768));
        QCOMPARE(int16_t(le16(*wav, 48)), int16_t(32767));
        QCOMPARE(int16_t(le16(*wav, 50)), int16_t(32767));
    }

    void audioSummaryFieldsAndTags()
    {
        // [3 clips, 5 frames, 2 channels] at 22050.4 Hz; max_outputs 2.
        Tensor t(DType::Float, {3, 5, 2});
        for (int64_t i = 0; i < t.numElements(); ++i)
            t.data<float>()[i] = float(i % 10) / 10.f;
        const tfproto::Summary s = parse(encodeAudioSummary("sound/waveform", t, 22050.4f, 2));
        QCOMPARE(tags(s), (std::vector<std::string>{"sound/waveform/audio/0", "sound/waveform/audio/1"}));
        const auto& a = s.value(1).audio();
        QCOMPARE(a.sample_rate(), 22050.4f);
        QCOMPARE(a.num_channels(), int64_t(2));
        QCOMPARE(a.length_frames(), int64_t(5));
        QCOMPARE(a.content_type(), std::string("audio/wav"));
        QCOMPARE(le32(a.encoded_audio_string(), 24), uint32_t(22050)); // lrintf of the rate
        QCOMPARE(a.encoded_audio_string().size(), size_t(44 + 5 * 2 * 2));
        // Rank 2 is one channel; max_outputs 1 drops the index.
        const tfproto::Summary mono = parse(encodeAudioSummary("m", Tensor(DType::Float, {2, 7}), 8000, 1));
        QCOMPARE(tags(mono), (std::vector<std::string>{"m/audio"}));
        QCOMPARE(mono.value(0).audio().num_channels(), int64_t(1));
        QCOMPARE(mono.value(0).audio().length_frames(), int64_t(7));
        // Errors, in TensorFlow's words.
        auto error = [](const Expected<std::string>& r) { return r.ok() ? std::string("ok") : r.error(); };
        QCOMPARE(error(encodeAudioSummary("x", Tensor(DType::Float, {5}), 8000, 3)),
                 std::string("Tensor must be 3-D or 2-D, got: [5]"));
        QCOMPARE(error(encodeAudioSummary("x", Tensor(DType::Float, {1, 2, 3, 4}), 8000, 3)),
                 std::string("Tensor must be 3-D or 2-D, got: [1,2,3,4]"));
        QCOMPARE(error(encodeAudioSummary("x", Tensor(DType::Float, {1, 2}), 0, 3)), std::string("sample_rate must be > 0"));
        QCOMPARE(error(encodeAudioSummary("x", Tensor(DType::Float, {1, 2}), 8000, 0)), std::string("max_outputs must be > 0"));
    }

    void opsRunMergeAndRoundTripThroughGraphDef()
    {
        Graph g;
        Output images = ops::placeholder(g, DType::Float, Shape{-1, 3, 3, -1}, "images");
        Output clips = ops::placeholder(g, DType::Float, Shape{-1, 4}, "clips");
        Output words = ops::constant(g, Tensor::stringScalar("**hello** world"), "words");
        Output loss = ops::constant(g, 0.5, DType::Float, "loss_value");
        {
            NameScope ns(g, "input_reshape");
            summary::image(g, "input", images, 2);
        }
        summary::audio(g, "sound", clips, 8000.0, 1);
        summary::text(g, "notes", words);
        summary::scalar(g, "loss", loss);
        summary::histogram(g, "h", images);
        std::optional<Output> merged = summary::mergeAll(g);
        QVERIFY(merged);

        // TF1's op names, input names and attrs.
        const Operation* img = g.findOp("input_reshape/input");
        QVERIFY(img);
        QCOMPARE(img->type(), std::string("ImageSummary"));
        QCOMPARE(g.op(img->inputs()[0].op).name(), std::string("input_reshape/input/tag"));
        QCOMPARE(img->attrs().find("max_images")->i(), int64_t(2));
        QCOMPARE(img->attrs().find("T")->t(), DType::Float);
        const Tensor& bad = img->attrs().find("bad_color")->tensor();
        QCOMPARE(bad.dtype(), DType::UInt8);
        QCOMPARE(std::vector<uint8_t>(bad.data<uint8_t>(), bad.data<uint8_t>() + 4), defaultImageBadColor());
        const Operation* snd = g.findOp("sound");
        QVERIFY(snd && snd->type() == "AudioSummaryV2");
        QCOMPARE(g.op(snd->inputs()[2].op).name(), std::string("sound/sample_rate"));
        QCOMPARE(snd->attrs().find("max_outputs")->i(), int64_t(1));
        const Operation* txt = g.findOp("notes");
        QVERIFY(txt && txt->type() == "TensorSummaryV2");
        QCOMPARE(g.op(txt->inputs()[2].op).name(), std::string("notes/serialized_summary_metadata"));
        QCOMPARE(summary::tagOf(g, txt->id()), std::string("notes"));

        // Run: merge_all collects every kind.
        Session s(g);
        Tensor x(DType::Float, {3, 3, 3, 1});
        for (int64_t i = 0; i < x.numElements(); ++i)
            x.data<float>()[i] = float(i);
        Tensor c(DType::Float, {2, 4});
        for (int64_t i = 0; i < c.numElements(); ++i)
            c.data<float>()[i] = 0.1f * float(i);
        std::vector<Tensor> out = s.run({*merged}, {{images, x}, {clips, c}});
        tfproto::Summary all;
        QVERIFY(all.ParseFromString(out[0].strings()[0]));
        std::string seen;
        for (const std::string& t : tags(all))
            seen += t + " ";
        QVERIFY2(tags(all) == (std::vector<std::string>{"input_reshape/input/image/0", "input_reshape/input/image/1",
                                                      "sound/audio", "notes", "loss", "h"}),
                 seen.c_str());
        QCOMPARE(all.value(1).image().width(), 3);
        QCOMPARE(all.value(2).audio().length_frames(), int64_t(4));
        QCOMPARE(all.value(3).metadata().plugin_data().plugin_name(), std::string("text"));
        QCOMPARE(all.value(3).tensor().string_val(0), std::string("**hello** world"));
        QCOMPARE(int(all.value(3).tensor().dtype()), int(DType::String));

        // A wrong shape fails at run time with TensorFlow's text, naming the op.
        try {
            s.run({*merged}, {{images, Tensor(DType::Float, {1, 3, 3, 2})}, {clips, c}});
            QFAIL("expected an error");
        } catch (const OpError& e) {
            QVERIFY2(std::string(e.what()).find("Tensor must be 4-D with last dim 1, 3, or 4, not [1,3,3,2]") !=
                         std::string::npos,
                     e.what());
            QCOMPARE(e.opName(), std::string("input_reshape/input"));
        }

        // GraphDef export and import keep the op types and attrs.
        Graph back;
        Expected<ImportResult> r = importGraphDefBytes(serializeGraphDef(g), back);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().c_str());
        const Operation* img2 = back.findOp("input_reshape/input");
        QVERIFY(img2 && img2->type() == "ImageSummary");
        QCOMPARE(img2->attrs().find("max_images")->i(), int64_t(2));
        QCOMPARE(img2->attrs().find("bad_color")->tensor().dtype(), DType::UInt8);
        QCOMPARE(img2->attrs().find("T")->t(), DType::Float);
        const Operation* snd2 = back.findOp("sound");
        QVERIFY(snd2 && snd2->type() == "AudioSummaryV2");
        QCOMPARE(snd2->attrs().find("max_outputs")->i(), int64_t(1));
        QVERIFY(back.findOp("notes") && back.findOp("notes")->type() == "TensorSummaryV2");
        // ... and the imported graph runs the same summaries.
        Session s2(back);
        std::vector<Tensor> out2 = s2.run({Output{back.findOp("Merge/MergeSummary")->id(), 0}},
                                          {{Output{back.findOp("images")->id(), 0}, x},
                                           {Output{back.findOp("clips")->id(), 0}, c}});
        QCOMPARE(out2[0].strings()[0], out[0].strings()[0]);
    }

    void buildErrors()
    {
        Graph g;
        Output ints = ops::placeholder(g, DType::Int32, Shape{1, 2, 2, 1}, "ints");
        Output f = ops::placeholder(g, DType::Float, Shape{1, 2, 2, 1}, "f");
        QVERIFY_THROWS_EXCEPTION(TypeError, summary::image(g, "i", ints));
        try {
            summary::image(g, "zero", f, 0);
            QFAIL("expected a ValueError");
        } catch (const ValueError& e) {
            QCOMPARE(std::string(e.what()), std::string("Attr 'max_images' of 'ImageSummary' Op passed 0 less than minimum 1."));
        }
        try {
            summary::audio(g, "a", ints, 8000.0);
            QFAIL("expected a TypeError");
        } catch (const TypeError& e) {
            QCOMPARE(std::string(e.what()),
                     std::string("Input 'tensor' of 'AudioSummaryV2' Op has type int32 that does not match expected "
                                 "type of float32."));
        }
        try {
            summary::text(g, "t", f);
            QFAIL("expected a ValueError");
        } catch (const ValueError& e) {
            QCOMPARE(std::string(e.what()), std::string("Expected tensor f:0 to have dtype string, got <dtype: 'float32'>"));
        }
    }

    void readerReportsWhatWasWritten()
    {
        QTemporaryDir dir;
        {
            EventWriter w(dir.path().toStdString());
            Tensor img(DType::UInt8, {1, 6, 10, 4});
            std::memset(img.rawData(), 200, img.byteSize());
            w.addSummary(*encodeImageSummary("pic", img, 3, defaultImageBadColor()), 1);
            w.addSummary(*encodeAudioSummary("snd", Tensor::fromVector(std::vector<float>(300, 0.25f), {1, 100, 3}), 16000, 3), 1);
            Tensor words(DType::String, {2});
            words.strings() = {"seven c", "x"};
            w.addSummary(*encodeTensorSummary("words", words, pluginMetadata("text")), 1);
            QVERIFY(w.close().ok());
        }
        const QStringList files = QDir(dir.path()).entryList({"events.out.tfevents.*"});
        QCOMPARE(files.size(), 1);
        RowCollector c;
        EventReader reader(dir.path().toStdString() + "/" + files[0].toStdString());
        QVERIFY(reader.poll(c).healthy());
        QCOMPARE(c.kindAndDetail["pic/image/0"], std::string("image 10x6"));
        QCOMPARE(c.kindAndDetail["snd/audio/0"], std::string("audio 100"));
        QCOMPARE(c.kindAndDetail["words"], std::string("text 7"));
    }
};

QTEST_GUILESS_MAIN(SummaryMediaTest)
#include "summary_media_test.moc"
