// Bad and partial input: every prefix, bit flips, mutations, absurd lengths.
// The contract: never a crash, never a big allocation; either the valid
// records before the damage plus a clean error naming file and offset, or
// "need more data" for an unfinished tail.
#include "tests/support/test_data.h"
#include "core/proto/crc32c.h"
#include "core/summary/event_reader.h"
#include "core/summary/record_io.h"
#include "core/util/strings.h"
#include "summary_test_util.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <random>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace scopeviz;
using namespace scopeviz::testutil;

namespace {

// Remembers each record's offset and a digest of what was decoded from it.
class Recorder final : public EventVisitor {
public:
    struct Item {
        uint64_t offset;
        std::string digest;
        bool operator==(const Item&) const = default;
    };
    std::vector<Item> items;

    void onEvent(const EventHeader& h, EventKind kind) override
    {
        items.push_back({h.offset, cat(int(kind), '|', h.step, '|', h.wallTime)});
    }
    void onScalar(const EventHeader&, std::string_view tag, double v) override
    {
        items.back().digest += cat("|s:", tag, '=', v);
    }
    void onHistogram(const EventHeader&, std::string_view tag, const Histogram& h) override
    {
        items.back().digest += cat("|h:", tag, '=', h.num, '/', h.buckets.size());
    }
    void onOtherValue(const EventHeader&, std::string_view tag) override { items.back().digest += cat("|o:", tag); }
    void onGraph(const EventHeader&, GraphSource s, std::string_view g) override
    {
        items.back().digest += cat("|g:", int(s), '/', g.size(), '/', crc32c(g.data(), g.size()));
    }
    void onSessionLog(const EventHeader&, SessionStatus s, std::string_view, std::string_view) override
    {
        items.back().digest += cat("|l:", int(s));
    }
    void onFileVersion(const EventHeader&, std::string_view v) override { items.back().digest += cat("|v:", v); }
    void onRunMetadata(const EventHeader&, std::string_view t, std::string_view) override
    {
        items.back().digest += cat("|r:", t);
    }
};

struct Reference {
    std::string bytes;
    std::vector<Recorder::Item> items; // every record of the complete file
    std::vector<uint64_t> ends;        // end offset of each complete record
};

Reference reference(const std::string& folder)
{
    Reference r;
    r.bytes = readAll(testFile(folder));
    r.ends = recordEnds(r.bytes);
    EventReader reader(testFile(folder));
    Recorder rec;
    (void)reader.poll(rec);
    r.items = rec.items;
    return r;
}

size_t completeRecords(const Reference& ref, uint64_t length)
{
    return size_t(std::upper_bound(ref.ends.begin(), ref.ends.end(), length) - ref.ends.begin());
}

long maxRssKb()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

std::string header(uint64_t length, bool validCrc = true)
{
    std::string h(12, '\0');
    std::memcpy(h.data(), &length, 8);
    uint32_t crc = maskedCrc32c(h.data(), 8);
    if (!validCrc)
        crc ^= 0x40;
    std::memcpy(h.data() + 8, &crc, 4);
    return h;
}

} // namespace

class SummaryRobustnessTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { SCOPEVIZ_REQUIRE_TEST_DATA(); }
    // A file growing through many cut points, followed by ONE reader: each
    // poll returns exactly the records completed since the last poll.
    void growingFileEveryPrefix_data()
    {
        QTest::addColumn<QString>("folder");
        for (const auto& f : testFolders())
            QTest::newRow(f.c_str()) << QString::fromStdString(f);
    }

    void growingFileEveryPrefix()
    {
        QFETCH(QString, folder);
        const Reference ref = reference(folder.toStdString());
        QTemporaryDir tmp(ramTempPattern());
        const std::string path = tmp.filePath("events.out.tfevents.x").toStdString();

        // Every byte for files up to 400 KB; otherwise every record boundary +-3 and 2000 random cuts.
        std::vector<uint64_t> cuts;
        const uint64_t n = ref.bytes.size();
        if (n <= 400 * 1024) {
            for (uint64_t i = 0; i <= n; ++i)
                cuts.push_back(i);
        } else {
            std::mt19937_64 rng(n);
            for (uint64_t e : ref.ends)
                for (int d = -3; d <= 3; ++d)
                    if (int64_t(e) + d >= 0 && e + d <= n)
                        cuts.push_back(e + d);
            for (int i = 0; i < 2000; ++i)
                cuts.push_back(rng() % (n + 1));
            cuts.push_back(n);
            std::sort(cuts.begin(), cuts.end());
            cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
        }

        writeAll(path, "");
        const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND);
        QVERIFY(fd >= 0);
        EventReader reader(path);
        Recorder rec;
        uint64_t written = 0;
        for (uint64_t cut : cuts) {
            QCOMPARE(::write(fd, ref.bytes.data() + written, cut - written), ssize_t(cut - written));
            written = cut;
            const ReadStatus st = reader.poll(rec);
            const size_t complete = completeRecords(ref, cut);
            if (rec.items.size() != complete || !st.healthy())
                QFAIL(qPrintable(QString::fromStdString(cat("at length ", cut, ": ", rec.items.size(), " records, want ",
                                                            complete, " ", st.message))));
            const bool atBoundary = cut == 0 || (complete > 0 && ref.ends[complete - 1] == cut);
            QCOMPARE(st.code, atBoundary ? ReadStatus::Code::Ok : ReadStatus::Code::NeedMoreData);
        }
        ::close(fd);
        QVERIFY(rec.items == ref.items); // each record exactly once, in order, identical
    }

    // A fresh reader on a prefix, then the rest appended: prefix + rest, exactly once.
    void prefixThenRest_data() { growingFileEveryPrefix_data(); }

    void prefixThenRest()
    {
        QFETCH(QString, folder);
        const Reference ref = reference(folder.toStdString());
        QTemporaryDir tmp(ramTempPattern());
        const std::string path = tmp.filePath("events.out.tfevents.y").toStdString();
        const uint64_t n = ref.bytes.size();
        std::vector<uint64_t> cuts;
        if (n <= 8 * 1024) {
            for (uint64_t i = 0; i <= n; ++i)
                cuts.push_back(i);
        } else {
            std::mt19937_64 rng(n * 3 + 1);
            const int count = n > 1024 * 1024 ? 30 : 300;
            for (int i = 0; i < count; ++i)
                cuts.push_back(rng() % (n + 1));
            for (size_t i = 0; i < ref.ends.size(); i += std::max<size_t>(1, ref.ends.size() / (n > 1024 * 1024 ? 20 : 50)))
                cuts.push_back(ref.ends[i] - 1);
        }
        for (uint64_t cut : cuts) {
            writeAll(path, ref.bytes.substr(0, cut));
            EventReader reader(path);
            Recorder rec;
            const ReadStatus first = reader.poll(rec);
            QVERIFY(first.healthy());
            QCOMPARE(rec.items.size(), completeRecords(ref, cut));
            appendBytes(path, ref.bytes.substr(cut));
            const ReadStatus second = reader.poll(rec);
            QVERIFY(second.healthy());
            QVERIFY(!second.restarted);
            if (!(rec.items == ref.items))
                QFAIL(qPrintable(QString::fromStdString(cat("cut at ", cut, ": records differ"))));
        }
    }

    void zeroLengthFile()
    {
        QTemporaryDir tmp(ramTempPattern());
        const std::string path = tmp.filePath("events.out.tfevents.0").toStdString();
        writeAll(path, "");
        EventReader r(path);
        const EventBatch b = r.poll();
        QCOMPARE(b.status.code, ReadStatus::Code::Ok);
        QCOMPARE(b.records, uint64_t(0));
    }

    void missingFile()
    {
        QTemporaryDir tmp(ramTempPattern());
        EventReader r(tmp.filePath("nothing").toStdString());
        const EventBatch b = r.poll();
        QCOMPARE(b.status.code, ReadStatus::Code::Missing);
        QVERIFY(QString::fromStdString(b.status.message).contains(QLatin1String("nothing")));
    }

    void hugeLengthFields()
    {
        QTemporaryDir tmp(ramTempPattern());
        const std::string path = tmp.filePath("events.out.tfevents.big").toStdString();
        const std::string valid = framed(scalarEvent("a", 1, 1.0f));
        const long rssBefore = maxRssKb();

        // 2^63 with a valid length CRC: impossible length, corrupt at its offset, earlier record kept.
        writeAll(path, valid + header(uint64_t(1) << 63) + std::string(100, 'z'));
        EventBatch b = EventReader(path).poll();
        QCOMPARE(b.scalars.size(), size_t(1));
        QCOMPARE(b.status.code, ReadStatus::Code::Dead);
        QCOMPARE(b.status.offset, uint64_t(valid.size()));
        QVERIFY(QString::fromStdString(b.status.message)
                    .contains(QString::fromStdString(cat(path, ": corrupted record at ", valid.size()))));

        // 2^63 with a bad CRC.
        writeAll(path, header(uint64_t(1) << 63, false) + std::string(100, 'z'));
        b = EventReader(path).poll();
        QCOMPARE(b.status.code, ReadStatus::Code::Dead);
        QCOMPARE(b.status.offset, uint64_t(0));

        // 1 GiB, valid CRC, 100 bytes present: an unfinished record, not an error, and nothing allocated for it.
        writeAll(path, valid + header(uint64_t(1) << 30) + std::string(100, 'z'));
        b = EventReader(path).poll();
        QCOMPARE(b.scalars.size(), size_t(1));
        QCOMPARE(b.status.code, ReadStatus::Code::NeedMoreData);
        QCOMPARE(b.status.offset, uint64_t(valid.size()));

        // Just above the protobuf limit.
        writeAll(path, header(kMaxRecordLength + 1));
        QCOMPARE(EventReader(path).poll().status.code, ReadStatus::Code::Dead);

        QVERIFY2(maxRssKb() - rssBefore < 64 * 1024, "reading absurd lengths must not allocate");
    }

    // A record claiming 2^62 bytes with a valid length checksum is refused by
    // name and offset, allocating nothing (docs/formats.md §1).
    void lengthTwoToThe62()
    {
        QTemporaryDir tmp(ramTempPattern());
        const std::string path = tmp.filePath("events.out.tfevents.2e62").toStdString();
        const std::string valid = framed(scalarEvent("a", 1, 1.0f));
        const long rssBefore = maxRssKb();
        writeAll(path, valid + header(uint64_t(1) << 62) + std::string(64, 'z'));
        const EventBatch b = EventReader(path).poll();
        QCOMPARE(b.scalars.size(), size_t(1));
        QCOMPARE(b.status.code, ReadStatus::Code::Dead);
        QCOMPARE(b.status.offset, uint64_t(valid.size()));
        QVERIFY2(startsWith(b.status.message, cat(path, ": corrupted record at ", valid.size(), " (length ",
                                                  uint64_t(1) << 62, " exceeds the largest possible protobuf message")),
                 b.status.message.c_str());
        QVERIFY2(maxRssKb() - rssBefore < 16 * 1024, "an absurd length must not allocate");
    }

    // A 2 GB event file (sparse: 32 records of 64 MiB whose payloads are mostly
    // an unknown field of zeros) is streamed record by record: memory stays
    // near one record plus the read chunk, far below the file size.
    void twoGigabyteFileStreams()
    {
        QTemporaryDir tmp;
        const std::string path = tmp.filePath("events.out.tfevents.2gb").toStdString();
        constexpr size_t kPayload = size_t(64) << 20;
        constexpr int kRecords = 32;
        // Event { wall_time (1, fixed64) step (2, varint) field 15 (bytes) = zeros }
        std::string prefix;
        prefix += '\x09';
        const double wall = 1000.0;
        prefix.append(reinterpret_cast<const char*>(&wall), 8);
        prefix += '\x10';
        prefix += '\x07';
        prefix += '\x7a';
        uint64_t rest = kPayload - prefix.size() - 4; // 4 = the varint length below
        for (int i = 0; i < 4; ++i, rest >>= 7)
            prefix += char((rest & 0x7f) | (i < 3 ? 0x80 : 0));
        QVERIFY(rest == 0);
        std::string payload(kPayload, '\0');
        std::memcpy(payload.data(), prefix.data(), prefix.size());
        const uint32_t dataCrc = maskedCrc32c(payload.data(), payload.size());
        payload = std::string();
        const int fd = ::open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0644);
        QVERIFY(fd >= 0);
        const uint64_t recordSize = kRecordHeaderSize + kPayload + kRecordFooterSize;
        for (int r = 0; r < kRecords; ++r) {
            const off_t at = off_t(recordSize * uint64_t(r));
            const std::string head = header(kPayload) + prefix;
            QCOMPARE(::pwrite(fd, head.data(), head.size(), at), ssize_t(head.size()));
            QCOMPARE(::pwrite(fd, &dataCrc, 4, at + off_t(kRecordHeaderSize + kPayload)), ssize_t(4));
        }
        QCOMPARE(::ftruncate(fd, off_t(recordSize * kRecords)), 0);
        ::close(fd);
        const uint64_t fileSize = recordSize * kRecords;
        QVERIFY(fileSize > (uint64_t(2) << 30) - 1);

        const long rssBefore = maxRssKb();
        EventReader reader(path);
        Recorder rec;
        const ReadStatus st = reader.poll(rec);
        QCOMPARE(st.code, ReadStatus::Code::Ok);
        QCOMPARE(rec.items.size(), size_t(kRecords));
        QCOMPARE(reader.offset(), fileSize);
        const long grownMb = (maxRssKb() - rssBefore) / 1024;
        qInfo("2 GB file: max RSS grew by %ld MiB", grownMb);
        QVERIFY2(grownMb < 3 * 64 + 16, "memory must stay near one record, not the file size");
    }

    void randomBytes()
    {
        QTemporaryDir tmp(ramTempPattern());
        const std::string path = tmp.filePath("events.out.tfevents.rnd").toStdString();
        std::mt19937_64 rng(99);
        for (int i = 0; i < 3000; ++i) {
            const size_t len = i < 2990 ? rng() % 200 : 1 << 20;
            std::string bytes(len, '\0');
            for (char& c : bytes)
                c = char(rng());
            writeAll(path, bytes);
            const EventBatch b = EventReader(path).poll();
            QCOMPARE(b.records, uint64_t(0));
            if (len < 12) {
                QCOMPARE(b.status.code, len == 0 ? ReadStatus::Code::Ok : ReadStatus::Code::NeedMoreData);
            } else {
                QCOMPARE(b.status.code, ReadStatus::Code::Dead);
                QCOMPARE(b.status.offset, uint64_t(0));
                QVERIFY(startsWith(b.status.message, path + ": corrupted record at 0"));
            }
        }
    }

    // Every single-bit flip of small real files: the records before the damaged
    // one are delivered unchanged, and the damaged one is reported by offset.
    void everyBitFlip_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::newRow("catboost") << "catboost-cpp-writer";
        QTest::newRow("profile-empty") << "tf2-profile-empty";
        QTest::newRow("tbx-onnx") << "tensorboardx-2018-onnx-graph-no-file-version";
    }

    void everyBitFlip()
    {
        QFETCH(QString, folder);
        const Reference ref = reference(folder.toStdString());
        QTemporaryDir tmp(ramTempPattern());
        const std::string path = tmp.filePath("events.out.tfevents.flip").toStdString();
        for (size_t bit = 0; bit < ref.bytes.size() * 8; ++bit) {
            std::string bytes = ref.bytes;
            bytes[bit / 8] = char(bytes[bit / 8] ^ (1 << (bit % 8)));
            writeAll(path, bytes);
            EventReader reader(path);
            Recorder rec;
            const ReadStatus st = reader.poll(rec);
            const size_t damaged = completeRecords(ref, bit / 8); // index of the record holding the bit
            const uint64_t damagedAt = damaged == 0 ? 0 : ref.ends[damaged - 1];
            QCOMPARE(rec.items.size(), damaged);
            QVERIFY(std::equal(rec.items.begin(), rec.items.end(), ref.items.begin()));
            // CRCs catch every single-bit error: a clean error at the damaged record.
            if (st.code != ReadStatus::Code::Dead || st.offset != damagedAt)
                QFAIL(qPrintable(QString::fromStdString(cat("bit ", bit, ": ", st.message))));
            QVERIFY(startsWith(st.message, cat(path, ": corrupted record at ", damagedAt)));
        }
    }

    // Random mutations of real files: byte changes, truncation, duplicated and
    // inserted chunks. Records wholly before the first change come out
    // unchanged; the outcome is always healthy or a clean error.
    void mutationFuzz()
    {
        const std::vector<std::string> folders = {"catboost-cpp-writer", "python-writer-gan-custom-scalars-histos",
                                                  "tensorboardx-histograms", "tf1-estimator-tensorboard-functionaltest",
                                                  "tensorboardx-2018-onnx-graph-no-file-version"};
        QTemporaryDir tmp(ramTempPattern());
        const std::string path = tmp.filePath("events.out.tfevents.fuzz").toStdString();
        std::mt19937_64 rng(2024);
        int dead = 0, healthy = 0;
        for (int iter = 0; iter < 4000; ++iter) {
            const Reference& ref = [&]() -> const Reference& {
                static std::map<std::string, Reference> cache;
                const std::string& f = folders[iter % folders.size()];
                auto it = cache.find(f);
                if (it == cache.end())
                    it = cache.emplace(f, reference(f)).first;
                return it->second;
            }();
            std::string bytes = ref.bytes;
            size_t firstChange = bytes.size();
            const int mutations = 1 + int(rng() % 4);
            for (int m = 0; m < mutations && !bytes.empty(); ++m) {
                const size_t at = rng() % bytes.size();
                switch (rng() % 5) {
                case 0: bytes[at] = char(rng()); break;
                case 1: bytes.resize(at); break;
                case 2: { // duplicate a chunk
                    const size_t len = std::min<size_t>(1 + rng() % 200, bytes.size() - at);
                    bytes.insert(at, bytes.substr(at, len));
                    break;
                }
                case 3: { // insert random bytes
                    std::string junk(1 + rng() % 16, '\0');
                    for (char& c : junk)
                        c = char(rng());
                    bytes.insert(at, junk);
                    break;
                }
                case 4: { // overwrite a length field with something huge
                    const uint64_t big = rng();
                    if (at + 8 <= bytes.size())
                        std::memcpy(bytes.data() + at, &big, 8);
                    break;
                }
                }
                firstChange = std::min(firstChange, at);
            }
            writeAll(path, bytes);
            EventReader reader(path);
            Recorder rec;
            const ReadStatus st = reader.poll(rec);
            const size_t intact = completeRecords(ref, firstChange);
            QVERIFY(rec.items.size() >= intact);
            QVERIFY(std::equal(ref.items.begin(), ref.items.begin() + std::ptrdiff_t(intact), rec.items.begin()));
            if (st.code == ReadStatus::Code::Dead) {
                ++dead;
                QVERIFY(startsWith(st.message, cat(path, ": corrupted record at ", st.offset)));
                QVERIFY(st.offset >= (intact == 0 ? 0 : ref.ends[intact - 1]));
            } else {
                ++healthy;
                QVERIFY(st.healthy());
            }
        }
        QVERIFY(dead > 0 && healthy > 0);
    }

    void validCrcButNotAnEvent()
    {
        QTemporaryDir tmp(ramTempPattern());
        const std::string path = tmp.filePath("events.out.tfevents.junk").toStdString();
        std::string bytes = framed(scalarEvent("a", 1, 1.0f));
        const uint64_t at = bytes.size();
        appendRecord(bytes, std::string("\x2a\xff\xff", 3)); // field 5 claims 32767 bytes
        bytes += framed(scalarEvent("a", 2, 2.0f));
        writeAll(path, bytes);
        const EventBatch b = EventReader(path).poll();
        QCOMPARE(b.scalars.size(), size_t(1));
        QCOMPARE(b.status.code, ReadStatus::Code::Dead);
        QCOMPARE(b.status.offset, at);
        QVERIFY(startsWith(b.status.message, cat(path, ": corrupted record at ", at)));
    }

    void deadFileStaysDeadUntilReplaced()
    {
        QTemporaryDir tmp(ramTempPattern());
        const std::string path = tmp.filePath("events.out.tfevents.d").toStdString();
        std::string good = framed(scalarEvent("a", 1, 1.0f));
        std::string bad = framed(scalarEvent("a", 2, 2.0f));
        bad[14] ^= 4;
        writeAll(path, good + bad);
        EventReader r(path);
        EventBatch b = r.poll();
        QCOMPARE(b.scalars.size(), size_t(1));
        QCOMPARE(b.status.code, ReadStatus::Code::Dead);
        appendBytes(path, framed(scalarEvent("a", 3, 3.0f)));
        b = r.poll();
        QCOMPARE(b.scalars.size(), size_t(0));
        QCOMPARE(b.status.code, ReadStatus::Code::Dead);
        // Replaced by a good file (new inode): read again from the start.
        const std::string other = tmp.filePath("other").toStdString();
        writeAll(other, good + framed(scalarEvent("a", 2, 2.0f)));
        QCOMPARE(::rename(other.c_str(), path.c_str()), 0);
        b = r.poll();
        QVERIFY(b.status.restarted);
        QCOMPARE(b.status.code, ReadStatus::Code::Ok);
        QCOMPARE(b.scalars.size(), size_t(2));
    }

    void truncationRestarts()
    {
        QTemporaryDir tmp(ramTempPattern());
        const std::string path = tmp.filePath("events.out.tfevents.t").toStdString();
        writeAll(path, framed(scalarEvent("a", 1, 1.0f)) + framed(scalarEvent("a", 2, 2.0f)));
        EventReader r(path);
        QCOMPARE(r.poll().scalars.size(), size_t(2));
        QCOMPARE(::truncate(path.c_str(), 0), 0);
        appendBytes(path, framed(scalarEvent("b", 7, 7.0f)));
        const EventBatch b = r.poll();
        QVERIFY(b.status.restarted);
        QCOMPARE(b.scalars.size(), size_t(1));
        QCOMPARE(b.scalars[0].tag, std::string("b"));
    }

    void fifoAndDirectoryAreNotRead()
    {
        QTemporaryDir tmp(ramTempPattern());
        const std::string fifo = tmp.filePath("events.out.tfevents.fifo").toStdString();
        QCOMPARE(::mkfifo(fifo.c_str(), 0644), 0);
        const EventBatch b = EventReader(fifo).poll(); // must not block waiting for a writer
        QCOMPARE(b.status.code, ReadStatus::Code::IoError);
        QVERIFY(startsWith(b.status.message, fifo + ": not a regular file"));
        const std::string dir = tmp.filePath("x.tfevents.dir").toStdString();
        QDir().mkpath(QString::fromStdString(dir));
        QCOMPARE(EventReader(dir).poll().status.code, ReadStatus::Code::IoError);
    }

    void byteBudget()
    {
        EventReader r(testFile("tf1-keras-breakout-dqn-31k-scalars"));
        Recorder rec;
        int polls = 0;
        ReadStatus st;
        do {
            st = r.poll(rec, 64 * 1024);
            ++polls;
        } while (st.more && polls < 1000);
        QVERIFY(polls >= 20);
        QCOMPARE(rec.items.size(), size_t(7864));
        QCOMPARE(st.code, ReadStatus::Code::Ok);
    }
};

QTEST_GUILESS_MAIN(SummaryRobustnessTest)
#include "summary_robustness_test.moc"
