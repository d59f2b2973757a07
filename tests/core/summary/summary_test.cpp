// Formats, the reader on real files, the writer, encoding and CSV.
#include "tests/support/test_data.h"
#include "core/proto/crc32c.h"
#include "core/proto/event.pb.h"
#include "core/proto/graph.pb.h"
#include "core/proto/meta_graph.pb.h"
#include "core/proto/summary.pb.h"
#include "core/summary/event_reader.h"
#include "core/summary/event_writer.h"
#include "core/summary/histogram_columns.h"
#include "core/summary/record_io.h"
#include "core/summary/scalar_csv.h"
#include "core/summary/summary_encoding.h"
#include "core/util/strings.h"
#include "summary_test_util.h"

#include <google/protobuf/util/message_differencer.h>

#include <QDir>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <cfloat>
#include <cmath>
#include <limits>
#include <random>
#include <sstream>
#include <thread>
#include <unistd.h>

using namespace scopeviz;
using namespace scopeviz::testutil;

namespace {

// Scalars of a file as TensorBoard's rule defines them, computed with the generated protobuf classes.
std::vector<ScalarEvent> scalarsViaProtobuf(const std::string& path)
{
    std::vector<ScalarEvent> out;
    RecordReader r(path);
    if (!r.begin().ok())
        return out;
    RecordRef rec;
    while (r.next(rec) == RecordStatus::Record) {
        tfproto::Event e;
        if (!e.ParseFromArray(rec.payload.data(), int(rec.payload.size())) || !e.has_summary())
            continue;
        for (const auto& v : e.summary().value()) {
            double value;
            if (v.has_simple_value()) {
                value = v.simple_value();
            } else if (v.has_tensor() && v.tensor().tensor_shape().dim_size() == 0 &&
                       (v.metadata().plugin_data().plugin_name().empty() ||
                        v.metadata().plugin_data().plugin_name() == "scalars")) {
                const auto& t = v.tensor();
                if (t.dtype() == tfproto::DT_FLOAT && t.tensor_content().size() == 4) {
                    float f;
                    std::memcpy(&f, t.tensor_content().data(), 4);
                    value = f;
                } else if (t.dtype() == tfproto::DT_FLOAT && t.float_val_size() == 1) {
                    value = t.float_val(0);
                } else if (t.dtype() == tfproto::DT_DOUBLE && t.double_val_size() == 1) {
                    value = t.double_val(0);
                } else {
                    continue;
                }
            } else {
                continue;
            }
            out.push_back({v.tag(), e.step(), e.wall_time(), value, rec.offset});
        }
    }
    r.end();
    return out;
}

bool sameValue(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

std::map<std::string, std::vector<ScalarEvent>> byTag(const std::vector<ScalarEvent>& scalars)
{
    std::map<std::string, std::vector<ScalarEvent>> m;
    for (const auto& s : scalars)
        m[s.tag].push_back(s);
    return m;
}

int countLines(const std::string& s) { return int(std::count(s.begin(), s.end(), '\n')); }

} // namespace

class SummaryTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { SCOPEVIZ_REQUIRE_TEST_DATA(); }
    // ---- CRC32C ----
    void crcTestVectors()
    {
        QCOMPARE(crc32c("123456789", 9), 0xE3069283u);
        // RFC 3720 (iSCSI) B.4 vectors.
        std::string zeros(32, '\0'), ones(32, '\xff'), inc(32, '\0'), dec(32, '\0');
        for (int i = 0; i < 32; ++i) {
            inc[i] = char(i);
            dec[i] = char(31 - i);
        }
        QCOMPARE(crc32c(zeros.data(), 32), 0x8A9136AAu);
        QCOMPARE(crc32c(ones.data(), 32), 0x62A8AB43u);
        QCOMPARE(crc32c(inc.data(), 32), 0x46DD794Eu);
        QCOMPARE(crc32c(dec.data(), 32), 0x113FDB5Cu);
        // docs/formats.md §1: masked CRC of the length 24, and rustboard's payload vector.
        const unsigned char len24[8] = {0x18, 0, 0, 0, 0, 0, 0, 0};
        QCOMPARE(maskedCrc32c(len24, 8), 0x224b7fa3u);
        const std::string payload = std::string("\x1a\x11", 2) + "CRC test, one two";
        QCOMPARE(maskedCrc32c(payload.data(), payload.size()), 0x5794d08au);
        QCOMPARE(crc32c("", 0), 0u);
    }

    void crcMaskRoundTrip()
    {
        std::mt19937 rng(7);
        for (int i = 0; i < 10000; ++i) {
            const uint32_t c = rng();
            QCOMPARE(unmaskCrc(maskCrc(c)), c);
        }
        QCOMPARE(maskCrc(0), kCrcMaskDelta);
    }

    void crcHardwareMatchesSoftware()
    {
        std::mt19937 rng(11);
        std::string buf(1100, '\0');
        for (char& c : buf)
            c = char(rng());
        for (size_t start = 0; start < 9; ++start)
            for (size_t n = 0; n < 1000; n += (n < 40 ? 1 : 37)) {
                const uint32_t sw = detail::crc32cSoftware(0, buf.data() + start, n);
                QCOMPARE(crc32c(buf.data() + start, n), sw);
                if (crc32cUsesHardware())
                    QCOMPARE(detail::crc32cHardware(0, buf.data() + start, n), sw);
                // Extending in two pieces equals one pass.
                const size_t cut = n / 3;
                QCOMPARE(crc32cExtend(crc32c(buf.data() + start, cut), buf.data() + start + cut, n - cut), sw);
            }
    }

    void crcOfRealFirstRecord()
    {
        // The first record of a TF-written file verifies with both CRCs.
        const std::string bytes = readAll(testFile("tf1-estimator-tensorboard-functionaltest"));
        uint64_t len;
        std::memcpy(&len, bytes.data(), 8);
        uint32_t lenCrc, dataCrc;
        std::memcpy(&lenCrc, bytes.data() + 8, 4);
        std::memcpy(&dataCrc, bytes.data() + 12 + len, 4);
        QCOMPARE(maskedCrc32c(bytes.data(), 8), lenCrc);
        QCOMPARE(maskedCrc32c(bytes.data() + 12, len), dataCrc);
    }

    // ---- framing ----
    // A poll may want only a few bytes of a file (a sweep's polls take a few KB of each of 1,000 files), and
    // then reads only about that much: whatever it wants, records of any size, straddling its reads or longer
    // than a whole chunk, come back whole, in order, once.
    void recordReaderPollsWantingFewBytesLoseNothing()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("f.tfevents").toStdString();
        std::mt19937 rng(3);
        std::string bytes;
        std::vector<std::string> payloads;
        for (int i = 0; i < 300; ++i) {
            const std::size_t size = i == 150 ? RecordReader::kChunkSize + 5000 : rng() % 3 == 0 ? rng() % 40000 : rng() % 200;
            payloads.push_back(std::string(size, char('a' + i % 26)));
            appendRecord(bytes, payloads.back());
        }
        writeAll(path, bytes);
        for (const uint64_t wanted : {uint64_t(1), uint64_t(100), uint64_t(RecordReader::kMinChunkSize + 7), uint64_t(50000)}) {
            RecordReader r(path);
            std::vector<std::string> got;
            int polls = 0;
            for (bool more = true; more && polls < 100000; ++polls) {
                QVERIFY(r.begin(wanted).ok());
                const uint64_t start = r.offset();
                RecordRef rec;
                RecordStatus st = RecordStatus::Record;
                while (r.offset() - start < wanted && (st = r.next(rec)) == RecordStatus::Record)
                    got.emplace_back(rec.payload);
                more = st == RecordStatus::Record;
                r.end();
            }
            QCOMPARE(got.size(), payloads.size());
            QVERIFY2(got == payloads, qPrintable(QString("wanted %1").arg(wanted)));
            QCOMPARE(r.offset(), uint64_t(bytes.size()));
        }
    }

    void recordReaderStatuses()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("f.tfevents").toStdString();
        std::string bytes;
        appendRecord(bytes, "hello");
        appendRecord(bytes, "");
        appendRecord(bytes, std::string(5000, 'x'));
        writeAll(path, bytes.substr(0, 30)); // first record (21 bytes) + 9 bytes of the next header
        RecordReader r(path);
        QVERIFY(r.begin().ok());
        RecordRef rec;
        QCOMPARE(r.next(rec), RecordStatus::Record);
        QCOMPARE(std::string(rec.payload), std::string("hello"));
        QCOMPARE(rec.offset, uint64_t(0));
        QCOMPARE(r.next(rec), RecordStatus::NeedMoreData);
        QCOMPARE(r.offset(), uint64_t(21));
        r.end();
        appendBytes(path, bytes.substr(30));
        QVERIFY(r.begin().ok());
        QCOMPARE(r.next(rec), RecordStatus::Record);
        QCOMPARE(rec.payload.size(), size_t(0));
        QCOMPARE(r.next(rec), RecordStatus::Record);
        QCOMPARE(rec.payload.size(), size_t(5000));
        QCOMPARE(r.next(rec), RecordStatus::Eof);
        r.end();
        QCOMPARE(r.offset(), uint64_t(bytes.size()));
    }

    void recordWriterFramesAndBuffers()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("w.tfevents").toStdString();
        auto w = RecordWriter::open(path, RecordWriter::Mode::CreateNew);
        QVERIFY(w.ok());
        QVERIFY((*w)->write("abc").ok());
        QCOMPARE(readAll(path).size(), size_t(0)); // buffered until flush
        QVERIFY((*w)->flush().ok());
        std::string expect;
        appendRecord(expect, "abc");
        QCOMPARE(readAll(path), expect);
        // A big record goes out even without flush once the buffer limit is passed.
        const std::string big(RecordWriter::kBufferLimit + 10, 'b');
        QVERIFY((*w)->write(big).ok());
        QVERIFY((*w)->write("x").ok());
        QVERIFY(readAll(path).size() >= big.size());
        QVERIFY((*w)->close().ok());
        QVERIFY((*w)->close().ok()); // idempotent
        appendRecord(expect, big);
        appendRecord(expect, "x");
        QCOMPARE(readAll(path), expect);
        QVERIFY(!RecordWriter::open(path, RecordWriter::Mode::CreateNew).ok()); // exists
    }

    // ---- real files ----
    void testdataCounts_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<int>("records");
        QTest::addColumn<int>("fileVersions");
        QTest::addColumn<int>("graphDefs");
        QTest::addColumn<int>("metaGraphDefs");
        QTest::addColumn<int>("sessionLogs");
        QTest::addColumn<int>("scalarTags");
        QTest::addColumn<int>("scalars");
        QTest::addColumn<int>("histograms");
        QTest::addColumn<int>("runMetadata");
        QTest::addColumn<bool>("truncated");
        // Counts from testdata/events/SOURCES.md.
        QTest::newRow("catboost") << "catboost-cpp-writer" << 10 << 0 << 0 << 0 << 0 << 1 << 10 << 0 << 0 << false;
        QTest::newRow("gan") << "python-writer-gan-custom-scalars-histos" << 785 << 1 << 0 << 0 << 0 << 47 << 747
                             << 36 << 0 << false;
        QTest::newRow("pytorch") << "pytorch-summarywriter-graph-image" << 4 << 1 << 1 << 0 << 0 << 0 << 0 << 0 << 1
                                 << false;
        QTest::newRow("tbx-onnx") << "tensorboardx-2018-onnx-graph-no-file-version" << 3 << 0 << 1 << 0 << 0 << 0
                                  << 0 << 0 << 1 << false;
        QTest::newRow("tbx-histo") << "tensorboardx-histograms" << 11 << 1 << 0 << 0 << 0 << 0 << 0 << 10 << 0 << false;
        QTest::newRow("tf0.12") << "tf0.12-graph-truncated-last-record" << 2 << 1 << 1 << 0 << 0 << 0 << 0 << 0 << 0
                                << true;
        QTest::newRow("estimator") << "tf1-estimator-tensorboard-functionaltest" << 71 << 1 << 3 << 3 << 6 << 2 << 58
                                   << 0 << 0 << false;
        QTest::newRow("while") << "tf1-graph-only-while-loops" << 3 << 1 << 1 << 1 << 0 << 0 << 0 << 0 << 0 << false;
        QTest::newRow("dqn") << "tf1-keras-breakout-dqn-31k-scalars" << 7864 << 1 << 1 << 1 << 0 << 4 << 31444 << 0
                             << 0 << false;
        QTest::newRow("tf2") << "tf2-keras-tensor-scalars-graph" << 3002 << 1 << 1 << 0 << 0 << 3 << 3000 << 0 << 0
                             << false;
        QTest::newRow("profile-empty") << "tf2-profile-empty" << 1 << 1 << 0 << 0 << 0 << 0 << 0 << 0 << 0 << false;
    }

    void testdataCounts()
    {
        QFETCH(QString, folder);
        QFETCH(int, records);
        QFETCH(int, fileVersions);
        QFETCH(int, graphDefs);
        QFETCH(int, metaGraphDefs);
        QFETCH(int, sessionLogs);
        QFETCH(int, scalarTags);
        QFETCH(int, scalars);
        QFETCH(int, histograms);
        QFETCH(int, runMetadata);
        QFETCH(bool, truncated);
        const std::string path = testFile(folder.toStdString());
        EventReader reader(path);
        const EventBatch b = reader.poll();
        QCOMPARE(int(b.records), records);
        QCOMPARE(int(b.fileVersions.size()), fileVersions);
        QCOMPARE(int(std::count_if(b.graphs.begin(), b.graphs.end(),
                                   [](const GraphEvent& g) { return g.source == GraphSource::GraphDef; })),
                 graphDefs);
        QCOMPARE(int(std::count_if(b.graphs.begin(), b.graphs.end(),
                                   [](const GraphEvent& g) { return g.source == GraphSource::MetaGraphDef; })),
                 metaGraphDefs);
        QCOMPARE(int(b.sessionLogs.size()), sessionLogs);
        QCOMPARE(int(byTag(b.scalars).size()), scalarTags);
        QCOMPARE(int(b.scalars.size()), scalars);
        QCOMPARE(int(b.histograms.size()), histograms);
        QCOMPARE(int(b.runMetadata.size()), runMetadata);
        QCOMPARE(b.status.code, truncated ? ReadStatus::Code::NeedMoreData : ReadStatus::Code::Ok);
        QVERIFY(b.status.message.empty());
        for (const auto& v : b.fileVersions)
            QCOMPARE(v.version, std::string("brain.Event:2"));

        // The hand decoder agrees with the generated protobuf classes, value for value.
        const std::vector<ScalarEvent> expected = scalarsViaProtobuf(path);
        QCOMPARE(b.scalars.size(), expected.size());
        for (size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(b.scalars[i].tag, expected[i].tag);
            QCOMPARE(b.scalars[i].step, expected[i].step);
            QCOMPARE(b.scalars[i].wallTime, expected[i].wallTime);
            QVERIFY(sameValue(b.scalars[i].value, expected[i].value));
            QCOMPARE(b.scalars[i].offset, expected[i].offset);
        }
        // A second poll finds nothing new.
        const EventBatch again = reader.poll();
        QCOMPARE(again.records, uint64_t(0));
        QCOMPARE(again.status.code, b.status.code);
    }

    void pointsPerTag()
    {
        {
            const auto tags = byTag(EventReader(testFile("tf1-estimator-tensorboard-functionaltest")).poll().scalars);
            QCOMPARE(int(tags.at("loss").size()), 30);
            QCOMPARE(int(tags.at("global_step/sec").size()), 28);
        }
        {
            const auto tags = byTag(EventReader(testFile("tf1-keras-breakout-dqn-31k-scalars")).poll().scalars);
            for (const char* t : {"Total_Reward/Episode", "Average_Max_Q/Episode", "Duration/Episode",
                                  "Average_Loss/Episode"}) {
                const auto& pts = tags.at(t);
                QCOMPARE(int(pts.size()), 7861);
                for (size_t i = 0; i < pts.size(); ++i)
                    QCOMPARE(pts[i].step, int64_t(319 + i));
            }
        }
        {
            const auto tags = byTag(EventReader(testFile("tf2-keras-tensor-scalars-graph")).poll().scalars);
            for (const char* t : {"epoch_loss", "epoch_Euclidean", "epoch_cosine_similarity"}) {
                const auto& pts = tags.at(t);
                QCOMPARE(int(pts.size()), 1000);
                for (size_t i = 0; i < pts.size(); ++i) {
                    QCOMPARE(pts[i].step, int64_t(i));
                    QVERIFY(std::isfinite(pts[i].value));
                }
            }
        }
        {
            const auto b = EventReader(testFile("python-writer-gan-custom-scalars-histos")).poll();
            const auto tags = byTag(b.scalars);
            QCOMPARE(int(tags.at("D/loss").size()), 31);
            QCOMPARE(int(tags.at("dice").size()), 12);
            QCOMPARE(b.otherValues, uint64_t(1)); // the custom_scalars__config__ string tensor
            std::map<std::string, int> histos;
            for (const auto& h : b.histograms)
                ++histos[h.tag];
            QCOMPARE(int(histos.size()), 3);
            QCOMPARE(histos.at("gradient/D/norm/histogram"), 12);
        }
        {
            const auto b = EventReader(testFile("catboost-cpp-writer")).poll();
            QCOMPARE(int(b.scalars.size()), 10);
            for (int i = 0; i < 10; ++i) {
                QCOMPARE(b.scalars[i].tag, std::string("MultiClass"));
                QCOMPARE(b.scalars[i].step, int64_t(i));
                QCOMPARE(b.scalars[i].wallTime, 1677217425.0);
            }
        }
    }

    void graphsDecode()
    {
        auto nodeCounts = [](const std::string& folder, GraphSource source) {
            std::vector<int> counts;
            for (const auto& g : EventReader(testFile(folder)).poll().graphs) {
                tfproto::GraphDef gd;
                if (g.source == source && gd.ParseFromString(g.graphDef))
                    counts.push_back(gd.node_size());
            }
            return counts;
        };
        QCOMPARE(nodeCounts("tf1-estimator-tensorboard-functionaltest", GraphSource::GraphDef),
                 (std::vector<int>{255, 338, 338}));
        QCOMPARE(nodeCounts("tf1-estimator-tensorboard-functionaltest", GraphSource::MetaGraphDef).size(), size_t(3));
        QCOMPARE(nodeCounts("tf1-keras-breakout-dqn-31k-scalars", GraphSource::GraphDef), std::vector<int>{652});
        QCOMPARE(nodeCounts("tf1-graph-only-while-loops", GraphSource::GraphDef), std::vector<int>{815});
        QCOMPARE(nodeCounts("tf0.12-graph-truncated-last-record", GraphSource::GraphDef), std::vector<int>{163});
        QCOMPARE(nodeCounts("pytorch-summarywriter-graph-image", GraphSource::GraphDef), std::vector<int>{710});
        QCOMPARE(nodeCounts("tensorboardx-2018-onnx-graph-no-file-version", GraphSource::GraphDef),
                 std::vector<int>{31});

        const auto tf2 = EventReader(testFile("tf2-keras-tensor-scalars-graph")).poll();
        QCOMPARE(tf2.graphs.size(), size_t(1));
        tfproto::GraphDef gd;
        QVERIFY(gd.ParseFromString(tf2.graphs[0].graphDef));
        QCOMPARE(gd.node_size(), 6233);
        QCOMPARE(gd.library().function_size(), 36);
        QCOMPARE(gd.versions().producer(), 1087);
        QCOMPARE(gd.versions().min_consumer(), 12);

        // The meta graph's graph_def is the MetaGraphDef's graph_def.
        const auto est = EventReader(testFile("tf1-estimator-tensorboard-functionaltest")).poll();
        RecordReader rr(testFile("tf1-estimator-tensorboard-functionaltest"));
        QVERIFY(rr.begin().ok());
        RecordRef rec;
        std::vector<tfproto::GraphDef> metaGraphs;
        while (rr.next(rec) == RecordStatus::Record) {
            tfproto::Event e;
            QVERIFY(e.ParseFromArray(rec.payload.data(), int(rec.payload.size())));
            if (e.has_meta_graph_def()) {
                tfproto::MetaGraphDef m;
                QVERIFY(m.ParseFromString(e.meta_graph_def()));
                metaGraphs.push_back(m.graph_def());
                QVERIFY(!m.meta_info_def().tensorflow_version().empty() || m.has_meta_info_def());
            }
        }
        QCOMPARE(metaGraphs.size(), size_t(3));
        size_t k = 0;
        for (const auto& g : est.graphs) {
            if (g.source != GraphSource::MetaGraphDef)
                continue;
            tfproto::GraphDef a;
            QVERIFY(a.ParseFromString(g.graphDef));
            QVERIFY(google::protobuf::util::MessageDifferencer::Equals(a, metaGraphs.at(k++)));
        }
    }

    void sessionLogsAndVersions()
    {
        const auto b = EventReader(testFile("tf1-estimator-tensorboard-functionaltest")).poll();
        std::vector<SessionStatus> statuses;
        for (const auto& s : b.sessionLogs)
            statuses.push_back(s.status);
        QCOMPARE(int(std::count(statuses.begin(), statuses.end(), SessionStatus::Start)), 2);
        QCOMPARE(int(std::count(statuses.begin(), statuses.end(), SessionStatus::Checkpoint)), 4);
        QCOMPARE(b.sessionLogs[0].step, int64_t(1));
        QVERIFY(!b.sessionLogs[1].checkpointPath.empty());
        // C++-written files start with an integral wall_time.
        QCOMPARE(b.fileVersions.at(0).wallTime, std::floor(b.fileVersions.at(0).wallTime));
        QCOMPARE(b.fileVersions.at(0).offset, uint64_t(0));

        // tensorboardX 1.x: first record has only wall_time; CatBoost: no version record at all.
        const auto onnx = EventReader(testFile("tensorboardx-2018-onnx-graph-no-file-version")).poll();
        QVERIFY(onnx.fileVersions.empty());
        QCOMPARE(onnx.runMetadata.at(0).tag, std::string("step1"));
        const auto profile = EventReader(testFile("tf2-profile-empty")).poll();
        QCOMPARE(profile.records, uint64_t(1));
        QCOMPARE(profile.fileVersions.size(), size_t(1));
    }

    void histogramsMatchProto()
    {
        const std::string path = testFile("tensorboardx-histograms");
        const auto b = EventReader(path).poll();
        QCOMPARE(b.histograms.size(), size_t(10));
        RecordReader rr(path);
        QVERIFY(rr.begin().ok());
        RecordRef rec;
        size_t k = 0;
        while (rr.next(rec) == RecordStatus::Record) {
            tfproto::Event e;
            QVERIFY(e.ParseFromArray(rec.payload.data(), int(rec.payload.size())));
            if (!e.has_summary())
                continue;
            const auto& hp = e.summary().value(0).histo();
            const Histogram& h = b.histograms.at(k++).histogram;
            QCOMPARE(h.min, hp.min());
            QCOMPARE(h.max, hp.max());
            QCOMPARE(h.num, hp.num());
            QCOMPARE(h.sum, hp.sum());
            QCOMPARE(h.sumSquares, hp.sum_squares());
            QCOMPARE(int(h.buckets.size()), hp.bucket_size());
            double total = 0;
            for (int i = 0; i < hp.bucket_size(); ++i) {
                QCOMPARE(h.buckets[i].right, hp.bucket_limit(i));
                QCOMPARE(h.buckets[i].count, hp.bucket(i));
                total += h.buckets[i].count;
            }
            QCOMPARE(total, 1000.0); // 1000 samples per step
            const auto display = tensorBoardBuckets(h);
            QVERIFY(!display.empty());
            QCOMPARE(display.front().left, h.min);
            QCOMPARE(display.back().right, h.max);
        }
        QCOMPARE(k, size_t(10));
    }

    void histogramListsSplitOrUnpackedReadLikeProtobuf()
    {
        // A HistogramProto's bucket_limit given as one unpacked element and then a packed run, and its bucket
        // counts packed: a conforming writer may split a repeated field so, and protobuf joins the parts.
        auto fixed = [](uint8_t tag, double d) {
            std::string out(1, char(tag));
            out.append(reinterpret_cast<const char*>(&d), 8);
            return out;
        };
        auto packed = [](uint8_t tag, std::vector<double> v) {
            std::string out(1, char(tag));
            out += char(v.size() * 8);
            out.append(reinterpret_cast<const char*>(v.data()), v.size() * 8);
            return out;
        };
        const std::string histo = fixed(0x09, -1) + fixed(0x11, 3) + fixed(0x19, 6) + fixed(0x31, 1) +
                                  packed(0x32, {2, 3}) + packed(0x3a, {1, 2, 3});
        const std::string value = std::string("\x0a\x01h", 3) + char(0x2a) + char(histo.size()) + histo;
        const std::string summary = char(0x0a) + std::string(1, char(value.size())) + value;
        tfproto::HistogramProto reference; // protobuf's own reading of the same bytes
        QVERIFY(reference.ParseFromString(histo));
        QCOMPARE(reference.bucket_limit_size(), 3);
        QTemporaryDir dir;
        {
            EventWriter w(dir.path().toStdString());
            w.addSummary(summary, 4, 1.0);
            QVERIFY(w.close().ok());
        }
        const auto files = QDir(dir.path()).entryList(QDir::Files);
        QCOMPARE(files.size(), 1);
        const auto b = EventReader(dir.filePath(files[0]).toStdString()).poll();
        QCOMPARE(b.histograms.size(), size_t(1));
        const Histogram& h = b.histograms[0].histogram;
        QCOMPARE(int(h.buckets.size()), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(h.buckets[size_t(i)].right, reference.bucket_limit(i));
            QCOMPARE(h.buckets[size_t(i)].count, reference.bucket(i));
        }
        QCOMPARE(h.buckets[1].left, 1.0);
        QCOMPARE(h.num, 6.0);
    }

    void histogramColumnsKeepTheDisplayFormAcrossSplitsAndPurges()
    {
        // What the Histograms dashboard draws comes from these columns: a HistogramProto's empty outer
        // buckets are dropped and its outer edges become min and max, as TensorBoard shows it.
        Histogram proto;
        proto.min = -0.5;
        proto.max = 2.5;
        proto.num = 6;
        proto.buckets = {{-DBL_MAX, -1, 0}, {-1, 0, 2}, {0, 1, 0}, {1, 3, 4}, {3, 5, 0}};
        HistogramColumns whole;
        whole.append(7, 1.5, proto);
        QCOMPARE(whole.bucketCount(0), std::size_t(3));
        QCOMPARE(whole.bucketLeft(0, 0), -0.5f);
        QCOMPARE(whole.rights, (std::vector<float>{0, 1, 2.5f}));
        QCOMPARE(whole.counts, (std::vector<float>{2, 0, 4}));
        QCOMPARE(whole.lo, -0.5f);
        QCOMPARE(whole.hi, 2.5f);
        // Median: 3 of 6 values, one into the bucket (1, 2.5] holding 4: 1 + 1/4 * 1.5.
        QCOMPARE(whole.percentiles[0][4], 1.375f);
        // Splitting a batch (the feed's bounded batches) and joining it again gives the same columns.
        for (int64_t step = 8; step < 20; ++step) {
            Histogram t; // a TF2 [k, 3] tensor: already in display form
            t.tensorForm = true;
            t.buckets = {{double(step), double(step) + 1, 3}, {double(step) + 1, double(step) + 3, double(step % 3)}};
            t.min = double(step);
            t.max = double(step) + 3;
            whole.append(step, double(step), t);
        }
        QCOMPARE(whole.hi, 22.0f);
        HistogramColumns rest = whole;
        HistogramColumns joined;
        for (std::size_t cut : {std::size_t(4), std::size_t(1), std::size_t(5), std::size_t(10)}) {
            HistogramColumns front;
            front.append(rest, 0, cut);
            rest.dropFront(cut);
            joined.append(front);
        }
        QVERIFY(rest.empty());
        QCOMPARE(joined.steps, whole.steps);
        QCOMPARE(joined.firstBucket, whole.firstBucket);
        QCOMPARE(joined.rights, whole.rights);
        QCOMPARE(joined.counts, whole.counts);
        QCOMPARE(joined.lefts, whole.lefts);
        QCOMPARE(joined.percentiles, whole.percentiles);
        QCOMPARE(joined.lo, whole.lo);
        QCOMPARE(joined.hi, whole.hi);
        // A restart at step 12 drops steps >= 12 and shrinks the value range with them.
        QCOMPARE(whole.dropFromStep(12), std::size_t(8));
        QCOMPARE(whole.steps, (std::vector<int64_t>{7, 8, 9, 10, 11}));
        QCOMPARE(whole.firstBucket.back(), uint32_t(whole.rights.size()));
        QCOMPARE(whole.rights.back(), 14.0f);
        QCOMPARE(whole.hi, 14.0f);
        QCOMPARE(whole.dropFromStep(100), std::size_t(0));
    }

    void tensorScalarVariants()
    {
        // TF2 / PyTorch new_style encodings of one scalar, and a TF2 [k,3] histogram.
        QTemporaryDir dir;
        const std::string path = dir.filePath("events.out.tfevents.1.host").toStdString();
        std::string bytes;
        auto add = [&](const std::string& tag, auto fill, const char* plugin = "scalars") {
            tfproto::Event e;
            e.set_wall_time(5.5);
            e.set_step(3);
            auto* v = e.mutable_summary()->add_value();
            v->set_tag(tag);
            if (plugin)
                v->mutable_metadata()->mutable_plugin_data()->set_plugin_name(plugin);
            fill(*v->mutable_tensor());
            appendRecord(bytes, e.SerializeAsString());
        };
        add("content_f32", [](tfproto::TensorProto& t) {
            t.set_dtype(tfproto::DT_FLOAT);
            t.mutable_tensor_shape();
            const float f = 1.5f;
            t.set_tensor_content(std::string(reinterpret_cast<const char*>(&f), 4));
        });
        add("float_val", [](tfproto::TensorProto& t) {
            t.set_dtype(tfproto::DT_FLOAT);
            t.add_float_val(-2.25f);
        });
        add("double_val", [](tfproto::TensorProto& t) {
            t.set_dtype(tfproto::DT_DOUBLE);
            t.add_double_val(0.1);
        });
        add("half_val", [](tfproto::TensorProto& t) {
            t.set_dtype(tfproto::DT_HALF);
            t.add_half_val(0x3e00); // 1.5 in fp16
        });
        add("half_content", [](tfproto::TensorProto& t) {
            t.set_dtype(tfproto::DT_HALF);
            t.set_tensor_content(std::string("\x00\xc0", 2)); // -2.0 in fp16
        });
        add("half_subnormal", [](tfproto::TensorProto& t) {
            t.set_dtype(tfproto::DT_HALF);
            t.add_half_val(0x8001); // -2^-24, the smallest fp16 subnormal
        });
        add("bfloat16_content", [](tfproto::TensorProto& t) {
            t.set_dtype(tfproto::DT_BFLOAT16);
            t.set_tensor_content(std::string("\xc0\x3f", 2)); // 1.5 in bfloat16
        });
        add("int64_val", [](tfproto::TensorProto& t) {
            t.set_dtype(tfproto::DT_INT64);
            t.add_int64_val(-7);
        });
        add("int32_val", [](tfproto::TensorProto& t) {
            t.set_dtype(tfproto::DT_INT32);
            t.add_int_val(-42);
        });
        add("no_plugin", [](tfproto::TensorProto& t) {
            t.set_dtype(tfproto::DT_FLOAT);
            t.add_float_val(4.0f);
        }, nullptr);
        add("vector_not_scalar", [](tfproto::TensorProto& t) {
            t.set_dtype(tfproto::DT_FLOAT);
            t.mutable_tensor_shape()->add_dim()->set_size(2);
            t.add_float_val(1);
            t.add_float_val(2);
        });
        add("text", [](tfproto::TensorProto& t) {
            t.set_dtype(tfproto::DT_STRING);
            t.add_string_val("hello");
        }, "text");
        add("histo_tf2", [](tfproto::TensorProto& t) {
            t.set_dtype(tfproto::DT_DOUBLE);
            t.mutable_tensor_shape()->add_dim()->set_size(2);
            t.mutable_tensor_shape()->add_dim()->set_size(3);
            for (double d : {0.0, 1.0, 5.0, 1.0, 2.0, 7.0})
                t.add_double_val(d);
        }, "histograms");
        writeAll(path, bytes);

        const auto b = EventReader(path).poll();
        std::map<std::string, double> values;
        for (const auto& s : b.scalars)
            values[s.tag] = s.value;
        QCOMPARE(values.size(), size_t(10));
        QCOMPARE(values.at("content_f32"), 1.5);
        QCOMPARE(values.at("float_val"), -2.25);
        QCOMPARE(values.at("double_val"), 0.1);
        QCOMPARE(values.at("half_val"), 1.5);
        QCOMPARE(values.at("half_content"), -2.0);
        QCOMPARE(values.at("half_subnormal"), -std::ldexp(1.0, -24));
        QCOMPARE(values.at("bfloat16_content"), 1.5);
        QCOMPARE(values.at("int64_val"), -7.0);
        QCOMPARE(values.at("int32_val"), -42.0);
        QCOMPARE(values.at("no_plugin"), 4.0);
        QCOMPARE(b.otherValues, uint64_t(2));
        QCOMPARE(b.histograms.size(), size_t(1));
        const Histogram& h = b.histograms[0].histogram;
        QVERIFY(h.tensorForm);
        QCOMPARE(h.buckets.size(), size_t(2));
        QCOMPARE(h.num, 12.0);
        QCOMPARE(h.min, 0.0);
        QCOMPARE(h.max, 2.0);
        QCOMPARE(h.buckets[1].count, 7.0);
    }

    // ---- encoding ----
    void defaultBuckets()
    {
        const auto& l = defaultHistogramBucketLimits();
        QVERIFY(std::is_sorted(l.begin(), l.end()));
        QCOMPARE(l.front(), -DBL_MAX);
        QCOMPARE(l.back(), DBL_MAX);
        QCOMPARE(l.size() % 2, size_t(1));
        const size_t mid = l.size() / 2;
        QCOMPARE(l[mid], 0.0);
        QCOMPARE(l[mid + 1], 1e-12);
        QCOMPARE(l[mid - 1], -1e-12);
        QVERIFY(l[l.size() - 2] < 1e20 && l[l.size() - 2] * 1.1 >= 1e20);
        for (size_t i = mid + 2; i + 1 < l.size(); ++i)
            QVERIFY(std::abs(l[i] / l[i - 1] - 1.1) < 1e-9);
        for (size_t i = 0; i < l.size(); ++i)
            QCOMPARE(l[i], -l[l.size() - 1 - i]);
    }

    void histogramEncoding()
    {
        const std::vector<double> values = {-3.0, 0.0, 0.0, 1.0, 1.0, 1.0, 2.5, 1000.0};
        auto s = encodeHistogramSummary("weights", values);
        QVERIFY(s.ok());
        tfproto::Summary summary;
        QVERIFY(summary.ParseFromString(*s));
        QCOMPARE(summary.value_size(), 1);
        QCOMPARE(summary.value(0).tag(), std::string("weights"));
        const auto& h = summary.value(0).histo();
        QCOMPARE(h.num(), 8.0);
        QCOMPARE(h.min(), -3.0);
        QCOMPARE(h.max(), 1000.0);
        QCOMPARE(h.sum(), 1002.5);
        QCOMPARE(h.sum_squares(), 9.0 + 3.0 + 6.25 + 1e6);
        double total = 0;
        for (int i = 0; i < h.bucket_size(); ++i) {
            total += h.bucket(i);
            if (i > 0) {
                QVERIFY(h.bucket_limit(i) > h.bucket_limit(i - 1));
                QVERIFY(!(h.bucket(i) == 0 && h.bucket(i - 1) == 0)); // empty runs merged
            }
            // Every value of the bucket lies in [previous limit, limit) (TensorFlow's rule).
            const double lo = i == 0 ? -DBL_MAX : h.bucket_limit(i - 1);
            const double hi = h.bucket_limit(i);
            const int inside = int(std::count_if(values.begin(), values.end(),
                                                 [&](double v) { return v >= lo && v < hi; }));
            QCOMPARE(double(inside), h.bucket(i));
        }
        QCOMPARE(total, 8.0);
        QCOMPARE(h.bucket_limit(h.bucket_limit_size() - 1), DBL_MAX);

        const std::vector<double> bad = {1.0, std::nan("")};
        auto e = encodeHistogramSummary("w", bad);
        QVERIFY(!e.ok());
        QCOMPARE(e.error(), std::string("Nan in summary histogram for: w"));
    }

    // TensorFlow's Histogram::Add counts a value in the first bucket whose
    // limit is greater than it (std::upper_bound over the limits), and
    // EncodeToProto collapses each run of empty buckets into one ending at the
    // run's last limit. Pinned here for the values where "first limit >= v"
    // (the rule this encoder used to follow) gives another bucket: 0.0, values
    // exactly on a limit, and negative values.
    void histogramBucketRule()
    {
        const auto& l = defaultHistogramBucketLimits();
        const size_t mid = l.size() / 2; // l[mid] == 0.0
        QCOMPARE(histogramBucketIndex(0.0), mid + 1);        // in [0, 1e-12)
        QCOMPARE(histogramBucketIndex(-1e-12), mid);         // on a limit: [-1e-12, 0)
        QCOMPARE(histogramBucketIndex(1e-12), mid + 2);      // on a limit: [1e-12, 1.1e-12)
        QCOMPARE(histogramBucketIndex(-DBL_MAX), size_t(1)); // the lowest limit itself
        for (size_t k = 0; k + 1 < l.size(); ++k)
            QCOMPARE(histogramBucketIndex(l[k]), k + 1);
        for (double v : {-1.0, -0.5, -3.25e7, -2e-12}) {
            const size_t b = histogramBucketIndex(v);
            QVERIFY(b > 0 && l[b - 1] <= v && v < l[b]);
            QVERIFY(b <= mid); // negative values stay below the zero limit
        }

        // The encoded protos of single values, as TensorFlow writes them.
        struct Case {
            double value;
            std::vector<double> limits, counts;
        };
        const size_t neg1 = histogramBucketIndex(-1.0);
        const std::vector<Case> cases = {
            {0.0, {0.0, 1e-12, DBL_MAX}, {0, 1, 0}},
            {-1e-12, {-1e-12, 0.0, DBL_MAX}, {0, 1, 0}},
            {l[mid + 5], {l[mid + 5], l[mid + 6], DBL_MAX}, {0, 1, 0}},
            {-1.0, {l[neg1 - 1], l[neg1], DBL_MAX}, {0, 1, 0}},
        };
        for (const Case& c : cases) {
            auto s = encodeHistogramSummary("h", std::vector<double>{c.value});
            QVERIFY(s.ok());
            tfproto::Summary summary;
            QVERIFY(summary.ParseFromString(*s));
            const auto& h = summary.value(0).histo();
            QCOMPARE(std::vector<double>(h.bucket_limit().begin(), h.bucket_limit().end()), c.limits);
            QCOMPARE(std::vector<double>(h.bucket().begin(), h.bucket().end()), c.counts);
        }
    }

    // Histograms written by Python writers with TensorFlow's buckets: every
    // limit is one of ours, bit for bit, and where a histogram holds a single
    // value (so the value is its min) our encoding of that value puts it in
    // the same bucket the file does.
    void histogramMatchesRealFiles()
    {
        const auto& table = defaultHistogramBucketLimits();
        int histograms = 0, singles = 0;
        for (const char* name : {"tensorboardx-histograms", "python-writer-gan-custom-scalars-histos"}) {
            RecordReader rr(testFile(name));
            QVERIFY(rr.begin().ok());
            RecordRef rec;
            while (rr.next(rec) == RecordStatus::Record) {
                tfproto::Event e;
                QVERIFY(e.ParseFromArray(rec.payload.data(), int(rec.payload.size())));
                for (const auto& v : e.summary().value()) {
                    if (!v.has_histo())
                        continue;
                    ++histograms;
                    const auto& hp = v.histo();
                    for (double limit : hp.bucket_limit())
                        QVERIFY2(std::binary_search(table.begin(), table.end(), limit),
                                 qPrintable(QString("%1: limit %2 of %3").arg(name).arg(limit, 0, 'g', 17)
                                                .arg(QString::fromStdString(v.tag()))));
                    if (hp.num() != 1)
                        continue;
                    ++singles;
                    auto ours = encodeHistogramSummary(v.tag(), std::vector<double>{hp.min()});
                    QVERIFY(ours.ok());
                    tfproto::Summary s;
                    QVERIFY(s.ParseFromString(*ours));
                    const auto& oh = s.value(0).histo();
                    auto filled = [](const tfproto::HistogramProto& h) {
                        std::vector<std::pair<double, double>> out;
                        for (int i = 0; i < h.bucket_size(); ++i)
                            if (h.bucket(i) > 0)
                                out.emplace_back(h.bucket_limit(i), h.bucket(i));
                        return out;
                    };
                    QCOMPARE(filled(oh), filled(hp));
                    QCOMPARE(oh.min(), hp.min());
                    QCOMPARE(oh.sum(), hp.sum());
                }
            }
        }
        QCOMPARE(histograms, 10 + 36);
        QCOMPARE(singles, 12);
    }

    void mergeAndDuplicates()
    {
        const std::string a = encodeScalarSummary("a", 1.0f);
        const std::string b = encodeScalarSummary("b", 2.0f);
        auto merged = mergeSummaries({a, b});
        QVERIFY(merged.ok());
        tfproto::Summary s;
        QVERIFY(s.ParseFromString(*merged));
        QCOMPARE(s.value_size(), 2);
        QCOMPARE(s.value(0).tag(), std::string("a"));
        QCOMPARE(s.value(1).simple_value(), 2.0f);
        auto dup = mergeSummaries({a, b, encodeScalarSummary("a", 3.0f)});
        QVERIFY(!dup.ok());
        QCOMPARE(dup.error(), std::string("Duplicate tag a found in summary inputs"));
        auto garbage = mergeSummaries({a, std::string("\x0a\x7f", 2)});
        QVERIFY(!garbage.ok());
        QCOMPARE(garbage.error(), std::string("Could not parse one of the summary inputs"));

        tfproto::Summary one;
        QVERIFY(one.ParseFromString(encodeScalarSummary("loss/x", -0.5f)));
        QCOMPARE(one.value(0).tag(), std::string("loss/x"));
        QCOMPARE(one.value(0).simple_value(), -0.5f);
    }

    // ---- writer ----
    void writerFileNameAndVersion()
    {
        QTemporaryDir tmp;
        const std::string logdir = tmp.filePath("a/b/c").toStdString(); // created recursively
        char host[256] = {};
        gethostname(host, sizeof host - 1);
        std::string first, second;
        {
            EventWriter w(logdir);
            QVERIFY(w.status().ok());
            first = w.filePath();
            EventWriter w2(logdir, ".v2"); // same second, different suffix
            second = w2.filePath();
            QVERIFY(w.close().ok());
            QVERIFY(w2.close().ok());
        }
        const QString base = QString::fromStdString(first.substr(first.rfind('/') + 1));
        const QRegularExpression re(QStringLiteral("^events\\.out\\.tfevents\\.(\\d{10})\\.%1$")
                                        .arg(QRegularExpression::escape(QString::fromLocal8Bit(host))));
        const auto m = re.match(base);
        QVERIFY2(m.hasMatch(), qPrintable(base));
        QVERIFY(QString::fromStdString(second).endsWith(QLatin1String(".v2")));

        const auto b = EventReader(first).poll();
        QCOMPARE(b.records, uint64_t(1));
        QCOMPARE(b.fileVersions.at(0).version, std::string("brain.Event:2"));
        QCOMPARE(b.fileVersions.at(0).wallTime, m.captured(1).toDouble()); // integral, equal to the name
    }

    void writerRoundTrip()
    {
        QTemporaryDir tmp;
        const std::string logdir = tmp.path().toStdString();
        EventWriter w(logdir);
        const std::string graph = "\x0a\x05\x0a\x01x\x12\x00"; // any bytes
        tfproto::MetaGraphDef meta;
        meta.mutable_graph_def()->add_node()->set_name("n1");
        meta.mutable_meta_info_def()->set_tensorflow_version("2.x");
        w.addGraphDef(graph);
        w.addMetaGraphDef(meta.SerializeAsString(), 4);
        w.addSessionLog(SessionStatus::Start, 0);
        const std::vector<double> hvalues = {0.5, 1.5, 1.5, -2.0};
        for (int step = 0; step < 100; ++step) {
            w.addScalar("loss", 1.0 / (step + 1), step, 1.7e9 + step);
            w.addScalar("acc/top1", step * 0.01, step);
        }
        w.addScalar("nan", std::nan(""), 100);
        w.addScalar("neg_step", 1, -5);
        w.addHistogram("h", hvalues, 7);
        w.addSummary(encodeScalarSummary("raw", 3.0f), 8);
        QVERIFY(w.close().ok());
        QVERIFY(w.close().ok()); // idempotent

        const auto b = EventReader(w.filePath()).poll();
        QCOMPARE(b.status.code, ReadStatus::Code::Ok);
        QCOMPARE(b.records, uint64_t(1 + 3 + 200 + 2 + 2));
        QCOMPARE(b.graphs.size(), size_t(2));
        QCOMPARE(b.graphs[0].graphDef, graph);
        QCOMPARE(b.graphs[1].graphDef, meta.graph_def().SerializeAsString());
        QCOMPARE(b.graphs[1].step, int64_t(4));
        QCOMPARE(b.sessionLogs.size(), size_t(1));
        QCOMPARE(b.sessionLogs[0].status, SessionStatus::Start);
        const auto tags = byTag(b.scalars);
        QCOMPARE(tags.at("loss").size(), size_t(100));
        for (int step = 0; step < 100; ++step) {
            QCOMPARE(tags.at("loss")[step].step, int64_t(step));
            QCOMPARE(tags.at("loss")[step].value, double(float(1.0 / (step + 1))));
            QCOMPARE(tags.at("loss")[step].wallTime, 1.7e9 + step);
            QCOMPARE(tags.at("acc/top1")[step].value, double(float(step * 0.01)));
        }
        QVERIFY(std::isnan(tags.at("nan")[0].value));
        QCOMPARE(tags.at("neg_step")[0].step, int64_t(-5));
        QCOMPARE(tags.at("raw")[0].value, 3.0);
        // Wall times default to now.
        QVERIFY(std::abs(tags.at("acc/top1")[0].wallTime - double(std::time(nullptr))) < 3600);

        QCOMPARE(b.histograms.size(), size_t(1));
        tfproto::Summary expected;
        QVERIFY(expected.ParseFromString(*encodeHistogramSummary("h", hvalues)));
        const auto& hp = expected.value(0).histo();
        const Histogram& h = b.histograms[0].histogram;
        QCOMPARE(b.histograms[0].step, int64_t(7));
        QCOMPARE(h.num, 4.0);
        QCOMPARE(h.min, -2.0);
        QCOMPARE(h.max, 1.5);
        QCOMPARE(int(h.buckets.size()), hp.bucket_size());
        for (int i = 0; i < hp.bucket_size(); ++i) {
            QCOMPARE(h.buckets[i].right, hp.bucket_limit(i));
            QCOMPARE(h.buckets[i].count, hp.bucket(i));
        }

        // Byte-exact against the generated classes for one scalar event.
        RecordReader rr(w.filePath());
        QVERIFY(rr.begin().ok());
        RecordRef rec;
        for (int i = 0; i < 5; ++i)
            QCOMPARE(rr.next(rec), RecordStatus::Record);
        QCOMPARE(std::string(rec.payload), scalarEvent("loss", 0, 1.0f, 1.7e9).SerializeAsString());
    }

    void writerErrors()
    {
        QTemporaryDir tmp;
        const std::string file = tmp.filePath("plain").toStdString();
        writeAll(file, "x");
        EventWriter w(file + "/sub"); // parent is a regular file
        QVERIFY(!w.status().ok());
        QVERIFY(QString::fromStdString(w.status().error()).contains(QLatin1String("plain")));
        w.addScalar("a", 1, 1); // no crash, dropped
        QVERIFY(!w.flush().ok());
        QVERIFY(!w.close().ok());
        QVERIFY(w.filePath().empty());

        EventWriter ok(tmp.path().toStdString());
        QVERIFY(ok.close().ok());
        ok.addScalar("late", 1, 1);
        QVERIFY(!ok.status().ok()); // writing after close is reported, not a crash
    }

    void writerBackgroundFlush()
    {
        QTemporaryDir tmp;
        EventWriter w(tmp.path().toStdString());
        QCOMPARE(w.flushSecs(), 120.0);
        w.addScalar("a", 1, 1);
        QCOMPARE(EventReader(w.filePath()).poll().scalars.size(), size_t(0)); // still buffered
        w.setFlushSecs(0.02);
        size_t seen = 0;
        for (int i = 0; i < 500 && seen == 0; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            seen = EventReader(w.filePath()).poll().scalars.size();
        }
        QCOMPARE(seen, size_t(1)); // the timer flushed without an explicit flush()
    }

    void writerRecreatesDeletedFile()
    {
        QTemporaryDir tmp;
        const std::string logdir = tmp.filePath("run").toStdString();
        EventWriter w(logdir);
        const std::string firstPath = w.filePath();
        w.addScalar("a", 1, 1);
        QVERIFY(w.flush().ok());
        QVERIFY(QDir(QString::fromStdString(logdir)).removeRecursively());
        w.addScalar("a", 2, 2);
        QVERIFY(w.flush().ok());
        const std::string secondPath = w.filePath();
        QVERIFY(QFile::exists(QString::fromStdString(secondPath)));
        const auto b = EventReader(secondPath).poll();
        QCOMPARE(b.fileVersions.size(), size_t(1));
        QCOMPARE(b.scalars.size(), size_t(1));
        QCOMPARE(b.scalars[0].value, 2.0);
        QVERIFY(w.close().ok());
    }

    void writerThreadSafe()
    {
        QTemporaryDir tmp;
        EventWriter w(tmp.path().toStdString());
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&w, t] {
                const std::string tag = cat('t', t);
                for (int i = 0; i < 2000; ++i) {
                    w.addScalar(tag, i, i);
                    if (i % 500 == 0)
                        (void)w.flush();
                }
            });
        for (auto& th : threads)
            th.join();
        QVERIFY(w.close().ok());
        const auto tags = byTag(EventReader(w.filePath()).poll().scalars);
        QCOMPARE(tags.size(), size_t(4));
        for (const auto& [tag, pts] : tags) {
            QCOMPARE(pts.size(), size_t(2000));
            for (size_t i = 0; i < pts.size(); ++i)
                QCOMPARE(pts[i].step, int64_t(i)); // each thread's order kept
        }
    }

    // ---- CSV ----
    void csvDqn()
    {
        std::ostringstream out, err;
        auto r = dumpScalarsCsv({testFile("tf1-keras-breakout-dqn-31k-scalars")}, out, err);
        QVERIFY2(r.ok(), r.error().c_str());
        const std::string csv = out.str();
        QCOMPARE(countLines(csv), 1 + 31444);
        QVERIFY(startsWith(csv, "run,tag,step,wall_time,value\n"));
        QVERIFY(err.str().empty());
        // Wall times keep full precision: every row's wall_time parses back to the file's double.
        const auto b = EventReader(testFile("tf1-keras-breakout-dqn-31k-scalars")).poll();
        std::istringstream lines(csv);
        std::string line;
        std::getline(lines, line);
        std::getline(lines, line);
        const auto f = split(line, ',');
        QCOMPARE(std::string(f[0]), std::string("tf1-keras-breakout-dqn-31k-scalars"));
        QCOMPARE(std::string(f[1]), b.scalars[0].tag);
        QCOMPARE(std::stod(std::string(f[3])), b.scalars[0].wallTime);
        QCOMPARE(double(std::stof(std::string(f[4]))), b.scalars[0].value);
    }

    // The command line's CSV and the GUI's export write the same rows: whole
    // numbers as plain digits (the command line used to print a wall time of
    // 1700000000 as 1.7e+09 and a value of 100000 as 1e+05), a NaN as "nan"
    // whatever its sign bit ("-nan" before), infinities as inf and -inf.
    void csvNumbersAsTheGuiWritesThem()
    {
        QTemporaryDir tmp;
        std::string bytes = framed(versionEvent());
        bytes += framed(scalarEvent("w", 3, 100000.0f, 1700000000.0));
        bytes += framed(scalarEvent("w", 4, -std::numeric_limits<float>::quiet_NaN(), 1700000001.25));
        bytes += framed(scalarEvent("w", 5, -std::numeric_limits<float>::infinity(), 1700000002.0));
        QDir().mkpath(tmp.filePath("run"));
        writeAll(tmp.filePath("run/events.out.tfevents.1.h").toStdString(), bytes);
        std::ostringstream out, err;
        auto r = dumpScalarsCsv({tmp.path().toStdString()}, out, err);
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE(out.str(), std::string("run,tag,step,wall_time,value\n"
                                        "run,w,3,1700000000,100000\n"
                                        "run,w,4,1700000001.25,nan\n"
                                        "run,w,5,1700000002,-inf\n"));
        std::string row;
        appendScalarCsvRow(row, "r", "t", -1, -0.0, 0.1);
        QCOMPARE(row, std::string("r,t,-1,-0,0.1\n"));
        row.clear();
        appendScalarCsvRow(row, "r", "t", 0, 1.5, 1e-300); // not a float: the double's shortest text
        QCOMPARE(row, std::string("r,t,0,1.5,1e-300\n"));
    }

    void csvQuotingNanAndErrors()
    {
        QTemporaryDir tmp;
        const std::string run = tmp.filePath("run").toStdString();
        QDir().mkpath(QString::fromStdString(run));
        std::string bytes = framed(versionEvent());
        bytes += framed(scalarEvent("a,b \"q\"", 1, 0.1f, 1234567890.123456));
        bytes += framed(scalarEvent("n", 2, std::nanf(""), 1.5));
        const uint64_t badAt = bytes.size();
        std::string bad = framed(scalarEvent("n", 3, 1.0f));
        bad[bad.size() - 1] ^= 1; // data CRC
        bytes += bad + framed(scalarEvent("n", 4, 1.0f));
        writeAll(run + "/events.out.tfevents.1.h", bytes);

        std::ostringstream out, err;
        auto r = dumpScalarsCsv({tmp.path().toStdString()}, out, err);
        QVERIFY(!r.ok());
        QCOMPARE(out.str(), std::string("run,tag,step,wall_time,value\n"
                                        "run,\"a,b \"\"q\"\"\",1,1234567890.123456,0.1\n"
                                        "run,n,2,1.5,nan\n"));
        QVERIFY(QString::fromStdString(err.str()).contains(QString::fromStdString(
            cat("events.out.tfevents.1.h: corrupted record at ", badAt))));

        std::ostringstream out2, err2;
        QVERIFY(!dumpScalarsCsv({tmp.filePath("nope").toStdString()}, out2, err2).ok());
        QVERIFY(!err2.str().empty());
        QCOMPARE(countLines(out2.str()), 1);
    }
};

QTEST_GUILESS_MAIN(SummaryTest)
#include "summary_test.moc"
