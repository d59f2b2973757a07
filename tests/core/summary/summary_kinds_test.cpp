// Classifying every summary value (EventVisitor::onSummaryValue, --dump-summaries):
// the real test data files against counts from SOURCES.md (cross-checked by an
// independent Python walker of the wire format), synthetic files with each form
// of image, audio and text, image sizes read from PNG, GIF and JPEG headers,
// and every prefix / re-framed bit flip of one of them (never a crash; a
// damaged value is still reported, at worst as "tensor:").
#include "tests/support/test_data.h"
#include "core/summary/event_reader.h"
#include "core/summary/media_encoding.h"
#include "core/summary/scalar_csv.h"
#include "core/util/strings.h"
#include "summary_test_util.h"

#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <sstream>

using namespace scopeviz;
using namespace scopeviz::testutil;

namespace {

struct Row {
    std::string tag, kind, detail;
    int64_t step = 0;
};

class KindCollector final : public EventVisitor {
public:
    bool want = true;
    std::vector<Row> rows;
    uint64_t others = 0;
    void onOtherValue(const EventHeader&, std::string_view) override { ++others; }
    void onSummaryValue(const EventHeader& h, std::string_view tag, const SummaryValueInfo& info) override
    {
        rows.push_back({std::string(tag), summaryKindName(info), info.detail, h.step});
    }
    bool wantsSummaryValues() const override { return want; }
};

KindCollector readAllKinds(const std::string& path, ReadStatus* status = nullptr)
{
    KindCollector c;
    EventReader reader(path);
    const ReadStatus st = reader.poll(c);
    if (status)
        *status = st;
    return c;
}

std::map<std::string, int> countByTagKind(const std::vector<Row>& rows)
{
    std::map<std::string, int> counts;
    for (const Row& r : rows)
        ++counts[r.tag + "|" + r.kind];
    return counts;
}

void setPlugin(tfproto::Summary::Value* v, const std::string& plugin)
{
    v->mutable_metadata()->mutable_plugin_data()->set_plugin_name(plugin);
}

/// A PCM WAV file: `channels` x 16-bit samples, `frames` frames.
std::string wav(uint16_t channels, uint32_t frames, uint32_t rate = 16000)
{
    auto le32 = [](std::string& s, uint32_t v) { s.append(reinterpret_cast<const char*>(&v), 4); };
    auto le16 = [](std::string& s, uint16_t v) { s.append(reinterpret_cast<const char*>(&v), 2); };
    const uint32_t dataSize = frames * channels * 2;
    std::string s = "RIFF";
    le32(s, 36 + dataSize);
    s += "WAVEfmt ";
    le32(s, 16);
    le16(s, 1); // PCM
    le16(s, channels);
    le32(s, rate);
    le32(s, rate * channels * 2);
    le16(s, uint16_t(channels * 2));
    le16(s, 16);
    s += "data";
    le32(s, dataSize);
    s.append(dataSize, '\0');
    return s;
}

tfproto::Event summaryEvent(int64_t step)
{
    tfproto::Event e;
    e.set_wall_time(1000.0 + double(step));
    e.set_step(step);
    return e;
}

/// One event per form, with the kind and detail each must get.
std::vector<std::pair<tfproto::Event, Row>> syntheticEvents()
{
    std::vector<std::pair<tfproto::Event, Row>> out;
    const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(20, 'x');
    { // Summary.Image
        tfproto::Event e = summaryEvent(1);
        auto* v = e.mutable_summary()->add_value();
        v->set_tag("img/proto");
        auto* im = v->mutable_image();
        im->set_height(32);
        im->set_width(48);
        im->set_colorspace(3);
        im->set_encoded_image_string(png);
        out.push_back({e, {"img/proto", "image", "48x32", 1}});
    }
    { // images plugin tensor: [width, height, png, png]
        tfproto::Event e = summaryEvent(2);
        auto* v = e.mutable_summary()->add_value();
        v->set_tag("img/tensor");
        setPlugin(v, "images");
        auto* t = v->mutable_tensor();
        t->set_dtype(tfproto::DT_STRING);
        t->mutable_tensor_shape()->add_dim()->set_size(4);
        for (const std::string& s : {std::string("640"), std::string("480"), png, png})
            t->add_string_val(s);
        out.push_back({e, {"img/tensor", "image", "640x480", 2}});
    }
    { // Summary.Audio
        tfproto::Event e = summaryEvent(3);
        auto* v = e.mutable_summary()->add_value();
        v->set_tag("audio/proto");
        auto* a = v->mutable_audio();
        a->set_sample_rate(16000);
        a->set_num_channels(1);
        a->set_length_frames(1234);
        a->set_encoded_audio_string(wav(1, 1234));
        a->set_content_type("audio/wav");
        out.push_back({e, {"audio/proto", "audio", "1234", 3}});
    }
    { // audio plugin tensor: [1, 2] of (wav, label), stereo
        tfproto::Event e = summaryEvent(4);
        auto* v = e.mutable_summary()->add_value();
        v->set_tag("audio/tensor");
        setPlugin(v, "audio");
        auto* t = v->mutable_tensor();
        t->set_dtype(tfproto::DT_STRING);
        t->mutable_tensor_shape()->add_dim()->set_size(1);
        t->mutable_tensor_shape()->add_dim()->set_size(2);
        t->add_string_val(wav(2, 321));
        t->add_string_val("label");
        out.push_back({e, {"audio/tensor", "audio", "321", 4}});
    }
    { // text plugin tensor
        tfproto::Event e = summaryEvent(5);
        auto* v = e.mutable_summary()->add_value();
        v->set_tag("notes/text_summary");
        setPlugin(v, "text");
        auto* t = v->mutable_tensor();
        t->set_dtype(tfproto::DT_STRING);
        t->add_string_val("hello, world"); // 12 bytes
        out.push_back({e, {"notes/text_summary", "text", "12", 5}});
    }
    { // another plugin's tensor, [2,3] floats; a string tensor without plugin; scalar and histogram forms
        tfproto::Event e = summaryEvent(6);
        auto* v = e.mutable_summary()->add_value();
        v->set_tag("pr/curve");
        setPlugin(v, "pr_curves");
        auto* t = v->mutable_tensor();
        t->set_dtype(tfproto::DT_FLOAT);
        t->mutable_tensor_shape()->add_dim()->set_size(2);
        t->mutable_tensor_shape()->add_dim()->set_size(3);
        for (int i = 0; i < 6; ++i)
            t->add_float_val(float(i));
        out.push_back({e, {"pr/curve", "tensor:pr_curves", "6", 6}});
    }
    {
        tfproto::Event e = summaryEvent(7);
        auto* v = e.mutable_summary()->add_value();
        v->set_tag("plain");
        auto* t = v->mutable_tensor();
        t->set_dtype(tfproto::DT_STRING);
        t->add_string_val("x");
        out.push_back({e, {"plain", "tensor:", "1", 7}});
    }
    {
        tfproto::Event e = summaryEvent(8);
        auto* v = e.mutable_summary()->add_value();
        v->set_tag("loss");
        auto* t = v->mutable_tensor();
        t->set_dtype(tfproto::DT_DOUBLE);
        t->add_double_val(0.5);
        out.push_back({e, {"loss", "scalar", "0.5", 8}});
    }
    {
        tfproto::Event e = summaryEvent(9);
        auto* v = e.mutable_summary()->add_value();
        v->set_tag("weights");
        setPlugin(v, "histograms");
        auto* t = v->mutable_tensor();
        t->set_dtype(tfproto::DT_DOUBLE);
        t->mutable_tensor_shape()->add_dim()->set_size(2);
        t->mutable_tensor_shape()->add_dim()->set_size(3);
        for (double d : {0.0, 1.0, 5.0, 1.0, 2.0, 7.0})
            t->add_double_val(d);
        out.push_back({e, {"weights", "histogram", "2", 9}});
    }
    {
        tfproto::Event e = summaryEvent(10);
        auto* v = e.mutable_summary()->add_value();
        v->set_tag("acc");
        v->set_simple_value(0.25f);
        out.push_back({e, {"acc", "scalar", "0.25", 10}});
    }
    return out;
}

std::string syntheticFile()
{
    std::string bytes = framed(versionEvent());
    for (const auto& [e, row] : syntheticEvents())
        bytes += framed(e);
    return bytes;
}

} // namespace

class SummaryKindsTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { SCOPEVIZ_REQUIRE_TEST_DATA(); }

    // Counts per (tag, kind) of every test file holding histograms, images, audio or text:
    // SOURCES.md's numbers, which an independent Python wire-format walker reproduced.
    void testDataCountsPerTagAndKind_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<int>("scalars");
        QTest::addColumn<QStringList>("others"); // "tag|kind|count" for every value that is not a scalar
        QTest::newRow("pytorch image") << "pytorch-summarywriter-graph-image" << 0 << QStringList{"images|image|1"};
        QTest::newRow("tensorboardx histograms")
            << "tensorboardx-histograms" << 0 << QStringList{"hist-numpy|histogram|5", "hist-torch|histogram|5"};
        QTest::newRow("gan histograms") << "python-writer-gan-custom-scalars-histos" << 747
                                        << QStringList{"custom_scalars__config__|tensor:custom_scalars|1",
                                                       "gradient/D/norm/histogram|histogram|12",
                                                       "gradient/netE_img2z_A/norm/histogram|histogram|12",
                                                       "gradient/netG_A/norm/histogram|histogram|12"};
        QTest::newRow("tf2 tensor scalars") << "tf2-keras-tensor-scalars-graph" << 3000 << QStringList{};
    }

    void testDataCountsPerTagAndKind()
    {
        QFETCH(QString, folder);
        QFETCH(int, scalars);
        QFETCH(QStringList, others);
        ReadStatus st;
        const KindCollector c = readAllKinds(testFile(folder.toStdString()), &st);
        QVERIFY(st.healthy());
        std::map<std::string, int> expected;
        for (const QString& o : others) {
            const QStringList parts = o.split('|');
            expected[(parts[0] + "|" + parts[1]).toStdString()] = parts[2].toInt();
        }
        int gotScalars = 0;
        std::map<std::string, int> got;
        for (const auto& [key, n] : countByTagKind(c.rows)) {
            if (endsWith(key, "|scalar"))
                gotScalars += n;
            else
                got[key] = n;
        }
        QCOMPARE(gotScalars, scalars);
        QVERIFY2(got == expected, qPrintable(QString::number(got.size())));
    }

    void testDataImageDetail()
    {
        const KindCollector c = readAllKinds(testFile("pytorch-summarywriter-graph-image"));
        QCOMPARE(c.rows.size(), size_t(1));
        QCOMPARE(c.rows[0].detail, std::string("242x242")); // Summary.Image width x height
        const KindCollector h = readAllKinds(testFile("tensorboardx-histograms"));
        for (const Row& r : h.rows)
            QVERIFY(!r.detail.empty() && std::stoi(r.detail) > 0); // bucket count
    }

    void syntheticFormsGetKindAndDetail()
    {
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString() + "/events.out.tfevents.1.synthetic";
        writeAll(path, syntheticFile());
        ReadStatus st;
        const KindCollector c = readAllKinds(path, &st);
        QCOMPARE(st.code, ReadStatus::Code::Ok);
        const auto events = syntheticEvents();
        QCOMPARE(c.rows.size(), events.size());
        for (size_t i = 0; i < events.size(); ++i) {
            const Row& want = events[i].second;
            QCOMPARE(c.rows[i].tag, want.tag);
            QCOMPARE(c.rows[i].kind, want.kind);
            QCOMPARE(c.rows[i].detail, want.detail);
            QCOMPARE(c.rows[i].step, want.step);
        }
        // The existing callbacks are unchanged: image, audio, text and the two other tensors are "other".
        QCOMPARE(c.others, uint64_t(7));
        KindCollector quiet;
        quiet.want = false;
        EventReader reader(path);
        reader.poll(quiet);
        QVERIFY(quiet.rows.empty());
        QCOMPARE(quiet.others, uint64_t(7));
    }

    void dumpSummariesCsvRows()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath("run1"));
        writeAll(dir.path().toStdString() + "/run1/events.out.tfevents.1.synthetic", syntheticFile());
        std::ostringstream out, err;
        QVERIFY(dumpSummariesCsv({dir.path().toStdString()}, out, err).ok());
        const std::string csv = out.str();
        QVERIFY2(startsWith(csv, "run,tag,step,kind,detail\n"), csv.c_str());
        QVERIFY2(csv.find("run1,img/proto,1,image,48x32\n") != std::string::npos, csv.c_str());
        QVERIFY2(csv.find("run1,notes/text_summary,5,text,12\n") != std::string::npos, csv.c_str());
        QVERIFY2(csv.find("run1,plain,7,tensor:,1\n") != std::string::npos, csv.c_str());
        QCOMPARE(std::count(csv.begin(), csv.end(), '\n'), std::ptrdiff_t(1 + syntheticEvents().size()));
        // A missing path is reported and makes the result an error.
        std::ostringstream out2, err2;
        QVERIFY(!dumpSummariesCsv({dir.path().toStdString() + "/nosuch"}, out2, err2).ok());
        QVERIFY(!err2.str().empty());
    }

    // Every prefix of the synthetic file, and every single-bit flip of every event payload
    // re-framed with valid checksums (so the decoder, not the CRC, meets the damage): no crash,
    // and every value that is reported has a kind name.
    void damagedInputNeverCrashes()
    {
        QTemporaryDir dir(ramTempPattern());
        const std::string path = dir.path().toStdString() + "/events.out.tfevents.1.fuzz";
        const std::string whole = syntheticFile();
        for (size_t n = 0; n <= whole.size(); n += 7) {
            writeAll(path, whole.substr(0, n));
            ReadStatus st;
            readAllKinds(path, &st);
            QVERIFY(st.healthy());
        }
        size_t reported = 0;
        for (const auto& [e, row] : syntheticEvents()) {
            const std::string payload = e.SerializeAsString();
            for (size_t bit = 0; bit < payload.size() * 8; ++bit) {
                std::string bad = payload;
                bad[bit / 8] = char(bad[bit / 8] ^ (1 << (bit % 8)));
                std::string file;
                appendRecord(file, bad);
                writeAll(path, file);
                const KindCollector c = readAllKinds(path);
                for (const Row& r : c.rows)
                    QVERIFY(!r.kind.empty());
                reported += c.rows.size();
            }
        }
        QVERIFY(reported > 0);
    }

    // Summary.Image without width and height, and image tensors whose size strings are
    // empty: the reader takes the size from the PNG, GIF or JPEG header.
    void readerSizesImagesFromTheirHeaders()
    {
        const std::string png = *encodePng(std::vector<uint8_t>(5 * 3, 9), 5, 3, 1);
        const std::string gif = std::string("GIF89a") + std::string("\x11\x00\x09\x00", 4) + std::string(20, '\0');
        // SOI, an APP0 segment (16 bytes), then SOF0: precision 8, height 258, width 772.
        std::string jpeg("\xFF\xD8\xFF\xE0\x00\x10", 6);
        jpeg += std::string("JFIF\0", 5) + std::string(9, '\1');
        jpeg += std::string("\xFF\xC0\x00\x11\x08\x01\x02\x03\x04\x03", 10) + std::string(9, '\0');
        std::string progressive = jpeg;
        progressive[jpeg.size() - 18] = '\xC2'; // SOF2
        std::string file;
        auto add = [&](const std::string& tag, const std::string& bytes, bool asTensor) {
            tfproto::Event e;
            e.set_step(1);
            auto* v = e.mutable_summary()->add_value();
            v->set_tag(tag);
            if (asTensor) {
                v->mutable_metadata()->mutable_plugin_data()->set_plugin_name("images");
                auto* t = v->mutable_tensor();
                t->set_dtype(tfproto::DT_STRING);
                t->mutable_tensor_shape()->add_dim()->set_size(3);
                for (const std::string& x : {std::string(), std::string(), bytes})
                    t->add_string_val(x);
            } else {
                v->mutable_image()->set_encoded_image_string(bytes);
            }
            appendRecord(file, e.SerializeAsString());
        };
        add("png", png, false);
        add("gif", gif, false);
        add("jpeg", jpeg, false);
        add("progressive", progressive, false);
        add("tensor/gif", gif, true);
        add("tensor/jpeg", jpeg, true);
        add("unknown", "BM not an image", false);
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString() + "/events.out.tfevents.1.headers";
        writeAll(path, file);
        std::map<std::string, std::string> c;
        for (const Row& r : readAllKinds(path).rows)
            c[r.tag] = r.kind + " " + r.detail;
        QCOMPARE(c["png"], std::string("image 5x3"));
        QCOMPARE(c["gif"], std::string("image 17x9"));
        QCOMPARE(c["jpeg"], std::string("image 772x258"));
        QCOMPARE(c["progressive"], std::string("image 772x258"));
        QCOMPARE(c["tensor/gif"], std::string("image 17x9"));
        QCOMPARE(c["tensor/jpeg"], std::string("image 772x258"));
        QCOMPARE(c["unknown"], std::string("image 0x0"));
    }
};

QTEST_GUILESS_MAIN(SummaryKindsTest)
#include "summary_kinds_test.moc"
