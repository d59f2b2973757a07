// LogdirWatcher: discovery, live following, purges, deletion and errors.
#include "core/summary/event_reader.h"
#include "core/summary/event_writer.h"
#include "core/summary/logdir_watcher.h"
#include "core/util/strings.h"
#include "summary_test_util.h"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <climits>
#include <cmath>
#include <deque>
#include <fcntl.h>
#include <memory>
#include <mutex>
#include <random>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace scopeviz;
using namespace scopeviz::testutil;
using Kind = RunEvent::Kind;

namespace {

// A consumer that follows the documented contract: apply events, then append scalars.
struct Consumer {
    std::map<std::pair<std::string, std::string>, std::vector<ScalarPoint>> series;
    std::vector<RunEvent> events;

    void apply(const WatchBatch& b)
    {
        for (const RunEvent& e : b.events) {
            events.push_back(e);
            if (e.kind != Kind::Purge)
                continue;
            for (auto& [key, pts] : series)
                if (key.first == e.run && (e.tag.empty() || key.second == e.tag))
                    std::erase_if(pts, [&](const ScalarPoint& p) { return p.step >= e.step; });
        }
        for (const ScalarSeriesBatch& s : b.scalars) {
            auto& pts = series[{s.run, s.tag}];
            pts.insert(pts.end(), s.points.begin(), s.points.end());
        }
    }
    std::vector<int64_t> steps(const std::string& run, const std::string& tag) const
    {
        std::vector<int64_t> out;
        auto it = series.find({run, tag});
        if (it != series.end())
            for (const auto& p : it->second)
                out.push_back(p.step);
        return out;
    }
    int count(Kind k) const
    {
        return int(std::count_if(events.begin(), events.end(), [k](const RunEvent& e) { return e.kind == k; }));
    }
};

int countKind(const WatchBatch& b, Kind k)
{
    return int(std::count_if(b.events.begin(), b.events.end(), [k](const RunEvent& e) { return e.kind == k; }));
}

const RunEvent* findKind(const WatchBatch& b, Kind k)
{
    for (const auto& e : b.events)
        if (e.kind == k)
            return &e;
    return nullptr;
}

std::string mkdirs(const QTemporaryDir& tmp, const std::string& rel)
{
    QDir().mkpath(tmp.filePath(QString::fromStdString(rel)));
    return tmp.filePath(QString::fromStdString(rel)).toStdString();
}

std::vector<int64_t> range(int64_t a, int64_t b)
{
    std::vector<int64_t> v;
    for (int64_t i = a; i < b; ++i)
        v.push_back(i);
    return v;
}

// Everything a batch says, as text: events with every field, then points, in order.
std::string describe(const WatchBatch& b)
{
    std::string out;
    for (const RunEvent& e : b.events)
        out += cat("E ", int(e.kind), " ", e.run, " ", e.file, " @", e.offset, " ", e.tag, " ", e.step, " ",
                   e.payload.size(), " ", e.message, "\n");
    for (const ScalarSeriesBatch& s : b.scalars) {
        out += cat("S ", s.run, " ", s.tag, ":");
        for (const ScalarPoint& p : s.points)
            out += cat(" ", p.step, "/", p.value, "/", p.wallTime);
        out += "\n";
    }
    return out;
}

} // namespace

class SummaryWatcherTest : public QObject {
    Q_OBJECT

private slots:
    void discoversNestedRuns()
    {
        QTemporaryDir tmp;
        writeAll(tmp.filePath("events.out.tfevents.1.h").toStdString(), framed(scalarEvent("root", 1, 1)));
        writeAll(mkdirs(tmp, "a") + "/events.out.tfevents.1.h", framed(scalarEvent("x", 1, 1)));
        writeAll(mkdirs(tmp, "a/b/c") + "/x.tfevents.2", framed(scalarEvent("y", 1, 1)));
        writeAll(mkdirs(tmp, "a/b") + "/notes.txt", "not an event file");
        writeAll(mkdirs(tmp, "p") + "/events.out.tfevents.1.h.profile-empty", framed(scalarEvent("hidden", 1, 1)));
        mkdirs(tmp, "empty/deeper");

        LogdirWatcher w(tmp.path().toStdString());
        const WatchBatch b = w.poll();
        QCOMPARE(w.runs(), (std::vector<std::string>{".", "a", "a/b/c", "p"}));
        QCOMPARE(countKind(b, Kind::RunAdded), 4);
        Consumer c;
        c.apply(b);
        QCOMPARE(c.steps(".", "root"), std::vector<int64_t>{1});
        QCOMPARE(c.steps("a", "x"), std::vector<int64_t>{1});
        QCOMPARE(c.steps("a/b/c", "y"), std::vector<int64_t>{1});
        QVERIFY(c.steps("p", "hidden").empty()); // .profile-empty files are not read
        QVERIFY(w.poll().empty());                // nothing new
    }

    void filesOfARunInNameOrder()
    {
        QTemporaryDir tmp;
        // Written out of order on purpose; the run is read in name order.
        writeAll(tmp.filePath("events.out.tfevents.0000000002.h").toStdString(),
                 framed(versionEvent()) + framed(scalarEvent("t", 20, 2)));
        writeAll(tmp.filePath("events.out.tfevents.0000000001.h").toStdString(),
                 framed(versionEvent()) + framed(scalarEvent("t", 10, 1)));
        LogdirWatcher w(tmp.path().toStdString());
        const WatchBatch b = w.poll();
        QCOMPARE(b.scalars.size(), size_t(1)); // one series per (run, tag), across files
        QCOMPARE(b.scalars[0].points.size(), size_t(2));
        QCOMPARE(b.scalars[0].points[0].step, int64_t(10));
        QCOMPARE(b.scalars[0].points[1].step, int64_t(20));
    }

    void singleFileMode()
    {
        LogdirWatcher w(testFile("catboost-cpp-writer"));
        const WatchBatch b = w.poll();
        QCOMPARE(w.runs(), std::vector<std::string>{"catboost-cpp-writer"});
        QCOMPARE(b.scalars.size(), size_t(1));
        QCOMPARE(b.scalars[0].run, std::string("catboost-cpp-writer"));
        QCOMPARE(b.scalars[0].points.size(), size_t(10));
    }

    void realLogdirAllFiles()
    {
        LogdirWatcher w(eventsDir());
        Consumer c;
        c.apply(w.poll());
        QCOMPARE(int(w.runs().size()), 13); // 11 files, and the mnist example's train and test runs
        QCOMPARE(c.steps("tf1-keras-breakout-dqn-31k-scalars", "Total_Reward/Episode").size(), size_t(7861));
        QCOMPARE(c.steps("tf2-keras-tensor-scalars-graph", "epoch_loss"), range(0, 1000));
        QCOMPARE(c.steps("tf1-estimator-tensorboard-functionaltest", "loss").size(), size_t(30));
        QCOMPARE(c.count(Kind::FileError), 0); // the truncated file is not an error
        // Graphs: 3+3 estimator, 1+1 DQN, 1+1 while loops, 1 each for TF2, tf0.12, pytorch, tensorboardX
        // and the mnist example's train run.
        QCOMPARE(c.count(Kind::GraphFound), 15);
        // Session STARTs at steps 1 and 1001 in the Estimator file purge nothing already loaded.
        QCOMPARE(c.count(Kind::Purge), 2);
    }

    void graphFoundPayload()
    {
        LogdirWatcher w(testFile("tf2-keras-tensor-scalars-graph"));
        const WatchBatch b = w.poll();
        const RunEvent* g = findKind(b, Kind::GraphFound);
        QVERIFY(g);
        QCOMPARE(g->file, testFile("tf2-keras-tensor-scalars-graph"));
        QCOMPARE(g->payload, EventReader(testFile("tf2-keras-tensor-scalars-graph")).poll().graphs.at(0).graphDef);
    }

    void liveFollowing()
    {
        // One thread writes (whole records via EventWriter, and raw bytes cut at
        // random points to mimic partial flushes); this thread follows with a
        // LogdirWatcher and an EventReader. Every point arrives once, in order.
        QTemporaryDir tmp;
        const std::string logdir = tmp.path().toStdString();
        const std::string rawRun = mkdirs(tmp, "raw");
        const std::string rawPath = rawRun + "/events.out.tfevents.1.raw";
        writeAll(rawPath, "");
        constexpr int kPoints = 20000;
        std::atomic<bool> done{false};
        std::string writerFile;
        std::thread writer([&] {
            EventWriter w(logdir);
            writerFile = w.filePath();
            const int fd = ::open(rawPath.c_str(), O_WRONLY | O_APPEND);
            std::mt19937 rng(5);
            std::string pending;
            for (int i = 0; i < kPoints; ++i) {
                w.addScalar("w", i, i);
                pending += framed(scalarEvent("r", i, float(i)));
                if (rng() % 50 == 0)
                    (void)w.flush();
                if (pending.size() > 200 || i + 1 == kPoints) {
                    const size_t cut = (i + 1 == kPoints) ? pending.size() : rng() % pending.size();
                    if (::write(fd, pending.data(), cut) != ssize_t(cut))
                        break;
                    pending.erase(0, cut);
                }
                if (i % 1000 == 0)
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
            ::close(fd);
            (void)w.close();
            done = true;
        });
        LogdirWatcher watcher(logdir);
        EventReader reader(rawPath);
        Consumer c;
        std::vector<int64_t> readerSteps;
        int polls = 0;
        for (;;) {
            const bool finished = done.load();
            c.apply(watcher.poll());
            for (const auto& s : reader.poll().scalars)
                readerSteps.push_back(s.step);
            ++polls;
            if (finished)
                break;
            std::this_thread::sleep_for(std::chrono::microseconds(500));
        }
        writer.join();
        QCOMPARE(c.steps(".", "w"), range(0, kPoints));
        QCOMPARE(c.steps("raw", "r"), range(0, kPoints));
        QCOMPARE(readerSteps, range(0, kPoints));
        QCOMPARE(c.count(Kind::FileError), 0);
        QCOMPARE(c.count(Kind::Purge), 0);
        QVERIFY(polls > 1);
    }

    // The threads of the live view, driven directly (docs/architecture.md,
    // Threads): two threads add scalars to one EventWriter (thread-safe by
    // contract) whose flush timer runs every 2 ms; a worker thread polls a
    // LogdirWatcher made on this thread, with a small byte budget as
    // ScalarFeed does, and hands each batch over as a
    // shared_ptr<const WatchBatch>; this thread applies them while they are
    // still being written. Every point arrives once, in step order per tag.
    // Under scripts/sanitize.sh thread this is the race check of the writer,
    // its timer, the watcher and the hand-over.
    void pollsOnAWorkerWhileTwoThreadsWrite()
    {
        QTemporaryDir tmp;
        const std::string logdir = tmp.path().toStdString();
        constexpr int kPoints = 5000;
        EventWriter w(logdir + "/run");
        w.setFlushSecs(0.002);
        LogdirWatcher watcher(logdir);
        watcher.setMaxBytesPerPoll(4096);

        std::atomic<bool> writing{true};
        std::atomic<bool> polling{true};
        std::mutex m;
        std::deque<std::shared_ptr<const WatchBatch>> handed;
        int polls = 0;
        std::thread worker([&] {
            for (;;) {
                const bool last = !writing.load();
                auto b = std::make_shared<const WatchBatch>(watcher.poll());
                ++polls;
                {
                    std::lock_guard lock(m);
                    handed.push_back(std::move(b));
                }
                if (last && !watcher.hasMore())
                    break;
                std::this_thread::sleep_for(std::chrono::microseconds(200));
            }
            polling = false;
        });
        std::atomic<int> writersDone{0};
        auto writeTag = [&](const char* tag) {
            for (int i = 0; i < kPoints; ++i) {
                w.addScalar(tag, i, i);
                if (i % 500 == 0)
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
            ++writersDone;
        };
        std::thread a(writeTag, "a");
        std::thread b(writeTag, "b");

        Consumer c;
        bool closed = false;
        auto drain = [&] {
            std::deque<std::shared_ptr<const WatchBatch>> mine;
            {
                std::lock_guard lock(m);
                mine.swap(handed);
            }
            for (const auto& batch : mine)
                c.apply(*batch);
        };
        while (polling.load()) {
            drain();
            if (writing.load() && writersDone.load() == 2) {
                a.join();
                b.join();
                closed = w.close().ok();
                writing = false;
            }
            std::this_thread::sleep_for(std::chrono::microseconds(300));
        }
        worker.join();
        drain();
        QVERIFY(closed);
        QCOMPARE(c.steps("run", "a"), range(0, kPoints));
        QCOMPARE(c.steps("run", "b"), range(0, kPoints));
        QCOMPARE(c.count(Kind::FileError), 0);
        QCOMPARE(c.count(Kind::Purge), 0);
        QVERIFY(polls > 2);
    }

    void stepsBackwardsPurgeWithoutVersion()
    {
        QTemporaryDir tmp;
        const std::string path = tmp.filePath("events.out.tfevents.1.h").toStdString();
        std::string bytes;
        for (int s = 0; s < 10; ++s)
            bytes += framed(scalarEvent("a", s, float(s))) + framed(scalarEvent("b", s, float(s)));
        writeAll(path, bytes);
        LogdirWatcher w(tmp.path().toStdString());
        Consumer c;
        c.apply(w.poll());
        QCOMPARE(c.steps(".", "a"), range(0, 10));

        // No file_version: a step going back purges that tag from that step on (TensorBoard).
        bytes.clear();
        for (int s = 5; s < 8; ++s)
            bytes += framed(scalarEvent("a", s, float(100 + s)));
        appendBytes(path, bytes);
        const WatchBatch b = w.poll();
        QCOMPARE(countKind(b, Kind::Purge), 1);
        QCOMPARE(findKind(b, Kind::Purge)->tag, std::string("a"));
        QCOMPARE(findKind(b, Kind::Purge)->step, int64_t(5));
        c.apply(b);
        QCOMPARE(c.steps(".", "a"), range(0, 8));
        QCOMPARE(c.series.at({".", "a"}).back().value, 107.0);
        QCOMPARE(c.steps(".", "b"), range(0, 10)); // other tags untouched

        // Within one poll: points and the purge of points of the same batch.
        QTemporaryDir tmp2;
        writeAll(tmp2.filePath("events.out.tfevents.1.h").toStdString(),
                 framed(scalarEvent("a", 1, 1)) + framed(scalarEvent("a", 2, 2)) + framed(scalarEvent("a", 3, 3)) +
                     framed(scalarEvent("a", 2, 20)) + framed(scalarEvent("a", 3, 30)));
        LogdirWatcher w2(tmp2.path().toStdString());
        Consumer c2;
        c2.apply(w2.poll());
        QCOMPARE(c2.steps(".", "a"), (std::vector<int64_t>{1, 2, 3}));
        QCOMPARE(c2.series.at({".", "a"})[1].value, 20.0);
    }

    void sessionStartPurgesWithVersion()
    {
        QTemporaryDir tmp;
        const std::string path = tmp.filePath("events.out.tfevents.1.h").toStdString();
        std::string bytes = framed(versionEvent());
        for (int s = 0; s < 10; ++s)
            bytes += framed(scalarEvent("a", s, float(s))) + framed(scalarEvent("b", s, float(s)));
        // With a version, steps going back alone do not purge...
        bytes += framed(scalarEvent("a", 3, 33));
        writeAll(path, bytes);
        LogdirWatcher w(tmp.path().toStdString());
        Consumer c;
        c.apply(w.poll());
        QCOMPARE(c.steps(".", "a").size(), size_t(11));
        QCOMPARE(c.count(Kind::Purge), 0);
        // ...a SessionLog START does, for every tag.
        appendBytes(path, framed(sessionEvent(tfproto::SessionLog::START, 4)) + framed(scalarEvent("a", 4, 44)));
        const WatchBatch b = w.poll();
        QCOMPARE(countKind(b, Kind::Purge), 1);
        QVERIFY(findKind(b, Kind::Purge)->tag.empty());
        QCOMPARE(findKind(b, Kind::Purge)->step, int64_t(4));
        c.apply(b);
        QCOMPARE(c.steps(".", "a"), (std::vector<int64_t>{0, 1, 2, 3, 3, 4}));
        QCOMPARE(c.steps(".", "b"), range(0, 4));
    }

    void duplicateStepsAndNanKept()
    {
        QTemporaryDir tmp;
        writeAll(tmp.filePath("events.out.tfevents.1.h").toStdString(),
                 framed(scalarEvent("a", 3, 1)) + framed(scalarEvent("a", 3, 2)) +
                     framed(scalarEvent("a", 3, std::nanf(""))) + framed(scalarEvent("a", 4, INFINITY)));
        LogdirWatcher w(tmp.path().toStdString());
        const WatchBatch b = w.poll();
        QCOMPARE(countKind(b, Kind::Purge), 0);
        QCOMPARE(b.scalars.at(0).points.size(), size_t(4));
        QVERIFY(std::isnan(b.scalars[0].points[2].value));
        QVERIFY(std::isinf(b.scalars[0].points[3].value));
    }

    void logdirMissingThenCreated()
    {
        QTemporaryDir tmp;
        const std::string logdir = tmp.filePath("later").toStdString();
        LogdirWatcher w(logdir);
        WatchBatch b = w.poll();
        QCOMPARE(countKind(b, Kind::LogdirMissing), 1);
        QVERIFY(w.poll().empty()); // reported once
        mkdirs(tmp, "later/run1");
        writeAll(logdir + "/run1/events.out.tfevents.1.h", framed(scalarEvent("a", 1, 1)));
        b = w.poll();
        QCOMPARE(countKind(b, Kind::LogdirFound), 1);
        QCOMPARE(countKind(b, Kind::RunAdded), 1);
        QCOMPARE(countKind(b, Kind::Purge), 0);
        QCOMPARE(b.scalars.size(), size_t(1));
    }

    void logdirDeletedAndRecreated()
    {
        QTemporaryDir tmp;
        const std::string logdir = mkdirs(tmp, "logs");
        const std::string file = logdir + "/events.out.tfevents.1.h";
        writeAll(file, framed(scalarEvent("a", 1, 1)) + framed(scalarEvent("a", 2, 2)));
        LogdirWatcher w(logdir);
        Consumer c;
        c.apply(w.poll());
        QCOMPARE(c.steps(".", "a"), (std::vector<int64_t>{1, 2}));

        QVERIFY(QDir(QString::fromStdString(logdir)).removeRecursively());
        WatchBatch b = w.poll();
        QCOMPARE(countKind(b, Kind::LogdirMissing), 1);
        QCOMPARE(countKind(b, Kind::RunRemoved), 1);
        c.apply(b);
        QCOMPARE(c.steps(".", "a"), (std::vector<int64_t>{1, 2})); // consumers keep removed runs' points

        // Re-created with the same file name: read again from offset 0, after a purge of the old points.
        mkdirs(tmp, "logs");
        writeAll(file, framed(scalarEvent("a", 1, 10)));
        b = w.poll();
        QCOMPARE(countKind(b, Kind::LogdirFound), 1);
        QCOMPARE(countKind(b, Kind::RunAdded), 1);
        QCOMPARE(countKind(b, Kind::Purge), 1);
        QCOMPARE(findKind(b, Kind::Purge)->step, int64_t(INT64_MIN));
        c.apply(b);
        QCOMPARE(c.steps(".", "a"), std::vector<int64_t>{1});
        QCOMPARE(c.series.at({".", "a"})[0].value, 10.0);
    }

    void fileReplacedOrTruncated()
    {
        QTemporaryDir tmp;
        const std::string a = tmp.filePath("events.out.tfevents.1.a").toStdString();
        const std::string b2 = tmp.filePath("events.out.tfevents.2.b").toStdString();
        // Versioned files, so TensorBoard's "step went back" rule (for unversioned files) stays out of the way.
        const std::string v = framed(versionEvent());
        writeAll(a, v + framed(scalarEvent("x", 1, 1)) + framed(scalarEvent("x", 2, 2)));
        writeAll(b2, v + framed(scalarEvent("y", 1, 1)));
        LogdirWatcher w(tmp.path().toStdString());
        Consumer c;
        c.apply(w.poll());

        // Truncated and rewritten shorter: the whole run is purged and re-read.
        QCOMPARE(::truncate(a.c_str(), 0), 0);
        appendBytes(a, v + framed(scalarEvent("x", 5, 5)));
        WatchBatch b = w.poll();
        QCOMPARE(countKind(b, Kind::Purge), 1);
        QCOMPARE(findKind(b, Kind::Purge)->step, int64_t(INT64_MIN));
        QVERIFY(QString::fromStdString(findKind(b, Kind::Purge)->message).contains(QLatin1String("events.out.tfevents.1.a")));
        c.apply(b);
        QCOMPARE(c.steps(".", "x"), std::vector<int64_t>{5});
        QCOMPARE(c.steps(".", "y"), std::vector<int64_t>{1}); // the other file re-read, not lost

        // Replaced by rename (new inode), longer than before.
        const std::string tmpFile = tmp.filePath("staging").toStdString();
        writeAll(tmpFile, v + framed(scalarEvent("y", 1, 1)) + framed(scalarEvent("y", 2, 2)) + framed(scalarEvent("y", 3, 3)));
        QCOMPARE(::rename(tmpFile.c_str(), b2.c_str()), 0);
        c.apply(w.poll());
        QCOMPARE(c.steps(".", "y"), (std::vector<int64_t>{1, 2, 3}));
        QCOMPARE(c.steps(".", "x"), std::vector<int64_t>{5});
        QVERIFY(w.poll().empty());
    }

    void corruptFileKeepsEarlierPoints()
    {
        QTemporaryDir tmp;
        const std::string run = mkdirs(tmp, "r");
        std::string bytes = framed(scalarEvent("a", 1, 1)) + framed(scalarEvent("a", 2, 2));
        const uint64_t badAt = bytes.size();
        std::string bad = framed(scalarEvent("a", 3, 3));
        bad[5] ^= 1; // length field: length CRC fails
        writeAll(run + "/events.out.tfevents.1.h", bytes + bad + framed(scalarEvent("a", 4, 4)));
        writeAll(run + "/events.out.tfevents.2.h", framed(scalarEvent("b", 1, 1)));
        LogdirWatcher w(tmp.path().toStdString());
        Consumer c;
        WatchBatch b = w.poll();
        c.apply(b);
        QCOMPARE(countKind(b, Kind::FileError), 1);
        const RunEvent* e = findKind(b, Kind::FileError);
        QCOMPARE(e->run, std::string("r"));
        QCOMPARE(e->offset, badAt);
        QCOMPARE(e->file, run + "/events.out.tfevents.1.h");
        QVERIFY(QString::fromStdString(e->message)
                    .contains(QString::fromStdString(cat(e->file, ": corrupted record at ", badAt))));
        QCOMPARE(c.steps("r", "a"), (std::vector<int64_t>{1, 2}));
        QCOMPARE(c.steps("r", "b"), std::vector<int64_t>{1}); // the run's other file is fine
        appendBytes(run + "/events.out.tfevents.2.h", framed(scalarEvent("b", 2, 2)));
        b = w.poll();
        QCOMPARE(countKind(b, Kind::FileError), 0); // reported once
        c.apply(b);
        QCOMPARE(c.steps("r", "b"), (std::vector<int64_t>{1, 2}));
    }

    void unreadableDirectories()
    {
        // Permission bits do not stop root (the tests run as root), so a
        // symlink loop exercises the same error path: the entry cannot be
        // resolved, the error names it, and the rest of the logdir is read.
        QTemporaryDir tmp;
        writeAll(mkdirs(tmp, "good") + "/events.out.tfevents.1.h", framed(scalarEvent("a", 1, 1)));
        const std::string loop = tmp.filePath("loop").toStdString();
        QCOMPARE(::symlink(loop.c_str(), loop.c_str()), 0);
        LogdirWatcher w(tmp.path().toStdString());
        WatchBatch b = w.poll();
        QCOMPARE(countKind(b, Kind::FileError), 1);
        QCOMPARE(findKind(b, Kind::FileError)->file, loop);
        QVERIFY(QString::fromStdString(findKind(b, Kind::FileError)->message).contains(QString::fromStdString(loop)));
        QCOMPARE(b.scalars.size(), size_t(1));
        QCOMPARE(countKind(w.poll(), Kind::FileError), 0); // once

        // A directory without permissions: an error for non-root; for root it is simply read.
        const std::string locked = mkdirs(tmp, "locked");
        writeAll(locked + "/events.out.tfevents.1.h", framed(scalarEvent("z", 1, 1)));
        QCOMPARE(::chmod(locked.c_str(), 0), 0);
        b = w.poll();
        if (::geteuid() != 0) {
            QCOMPARE(countKind(b, Kind::FileError), 1);
            QCOMPARE(findKind(b, Kind::FileError)->file, locked);
        } else {
            QCOMPARE(b.scalars.size(), size_t(1));
        }
        ::chmod(locked.c_str(), 0755);

        // A symlink loop as the logdir itself.
        LogdirWatcher w2(loop);
        b = w2.poll();
        QVERIFY(findKind(b, Kind::LogdirMissing));
        QVERIFY(QString::fromStdString(findKind(b, Kind::LogdirMissing)->message).contains(QString::fromStdString(loop)));
    }

    void runRemovedAndReadded()
    {
        QTemporaryDir tmp;
        const std::string run = mkdirs(tmp, "run");
        writeAll(run + "/events.out.tfevents.1.h", framed(scalarEvent("a", 1, 1)));
        LogdirWatcher w(tmp.path().toStdString());
        Consumer c;
        c.apply(w.poll());
        QVERIFY(QDir(QString::fromStdString(run)).removeRecursively());
        WatchBatch b = w.poll();
        QCOMPARE(countKind(b, Kind::RunRemoved), 1);
        QCOMPARE(countKind(b, Kind::LogdirMissing), 0);
        mkdirs(tmp, "run");
        writeAll(run + "/events.out.tfevents.1.h", framed(scalarEvent("a", 1, 1)));
        b = w.poll();
        QCOMPARE(countKind(b, Kind::RunAdded), 1);
        QCOMPARE(countKind(b, Kind::Purge), 1);
        c.apply(b);
        QCOMPARE(c.steps("run", "a"), std::vector<int64_t>{1}); // not duplicated
    }

    void parallelReadingMatchesSequential()
    {
        // A sweep with every kind of trouble in some runs: restarts with and without a version,
        // a corrupt record, several files per run, a file truncated and one replaced between polls.
        QTemporaryDir tmp;
        const int runs = 40;
        std::vector<std::string> files;
        for (int r = 0; r < runs; ++r) {
            const std::string dir = mkdirs(tmp, cat("sweep/lr", r % 5, "_seed", r));
            std::string bytes = r % 3 == 0 ? framed(versionEvent()) : std::string();
            for (int s = 0; s < 50; ++s)
                bytes += framed(scalarEvent("loss", s, float(r * 100 + s), 1000.0 + s)) +
                         framed(scalarEvent("acc", s, float(s) / 50, 1000.0 + s));
            if (r % 7 == 1) // no version: the step goes back, the tag is purged from there
                bytes += framed(scalarEvent("loss", 20, -1.0f));
            if (r % 3 == 0 && r % 2 == 0) // versioned: a session restart purges every tag
                bytes += framed(sessionEvent(tfproto::SessionLog::START, 30)) + framed(scalarEvent("acc", 30, 9));
            if (r == 11) {
                std::string bad = framed(scalarEvent("loss", 99, 1));
                bad[5] ^= 1;
                bytes += bad + framed(scalarEvent("loss", 100, 1));
            }
            files.push_back(dir + "/events.out.tfevents.1.h");
            writeAll(files.back(), bytes);
            if (r % 4 == 2)
                writeAll(dir + "/events.out.tfevents.2.h", framed(scalarEvent("extra", r, float(r))));
        }
        LogdirWatcher sequential(tmp.path().toStdString()), parallel(tmp.path().toStdString());
        sequential.setReadThreads(1);
        parallel.setReadThreads(4);
        bool same = true;
        auto pollBoth = [&](const char* when) -> WatchBatch {
            WatchBatch a = sequential.poll(), b = parallel.poll();
            if (describe(a) != describe(b)) {
                qWarning("parallel and sequential polls differ %s", when);
                same = false;
            }
            return a;
        };
        const WatchBatch first = pollBoth("on the first poll");
        QVERIFY(same);
        QCOMPARE(countKind(first, Kind::RunAdded), runs);
        QCOMPARE(countKind(first, Kind::FileError), 1);
        QVERIFY(countKind(first, Kind::Purge) >= 6);
        // Runs come in name order, each run's events right after its RunAdded.
        std::vector<std::string> added;
        for (const RunEvent& e : first.events)
            if (e.kind == Kind::RunAdded)
                added.push_back(e.run);
        QVERIFY(std::is_sorted(added.begin(), added.end()));
        std::string current;
        for (const RunEvent& e : first.events) {
            if (e.kind == Kind::RunAdded)
                current = e.run;
            QCOMPARE(e.run, current);
        }

        // Appends to every run, one truncated, one replaced, one removed, one new run.
        for (int r = 0; r < runs; ++r)
            appendBytes(files[size_t(r)], framed(scalarEvent("loss", 60 + r, float(r))));
        QCOMPARE(::truncate(files[3].c_str(), 0), 0);
        appendBytes(files[3], framed(scalarEvent("loss", 7, 7)));
        const std::string staging = tmp.filePath("staging").toStdString();
        writeAll(staging, framed(scalarEvent("acc", 1, 1)) + framed(scalarEvent("acc", 2, 2)));
        QCOMPARE(::rename(staging.c_str(), files[8].c_str()), 0);
        QVERIFY(QDir(tmp.filePath("sweep/lr4_seed39")).removeRecursively());
        writeAll(mkdirs(tmp, "sweep/late") + "/events.out.tfevents.1.h", framed(scalarEvent("loss", 1, 1)));
        const WatchBatch second = pollBoth("after appends, a truncation, a replacement and a removal");
        QVERIFY(same);
        QCOMPARE(countKind(second, Kind::RunRemoved), 1);
        QCOMPARE(countKind(second, Kind::RunAdded), 1);
        QCOMPARE(countKind(second, Kind::Purge), 2); // the truncated and the replaced run
        QVERIFY(pollBoth("when nothing changed").empty());

        // A byte limit is shared among the runs the same way on both.
        LogdirWatcher seqLimited(tmp.path().toStdString()), parLimited(tmp.path().toStdString());
        seqLimited.setReadThreads(1);
        parLimited.setReadThreads(3);
        seqLimited.setMaxBytesPerPoll(20000);
        parLimited.setMaxBytesPerPoll(20000);
        Consumer c;
        int polls = 0;
        do {
            const WatchBatch a = seqLimited.poll(), b = parLimited.poll();
            QCOMPARE(describe(b), describe(a));
            QCOMPARE(parLimited.hasMore(), seqLimited.hasMore());
            c.apply(b);
            ++polls;
        } while (parLimited.hasMore() && polls < 100);
        QVERIFY(polls > 3);
        QCOMPARE(c.steps("sweep/lr0_seed5", "acc"), range(0, 50)); // every run read to the end
        std::vector<int64_t> loss = range(0, 50);
        loss.push_back(65);
        QCOMPARE(c.steps("sweep/lr0_seed5", "loss"), loss);
    }

    // A sweep loads in many polls under a byte limit. The polls that read on where the limit stopped
    // skip listing the directory and the runs already read to their end; still, appends to those runs and
    // new runs arrive within kFullPollInterval, and nothing is lost or reordered.
    void whileABigRunCatchesUpTheOthersStillArrive()
    {
        QTemporaryDir tmp;
        const std::string big = mkdirs(tmp, "big") + "/events.out.tfevents.1.h";
        const std::string small = mkdirs(tmp, "small") + "/events.out.tfevents.1.h";
        std::string bytes;
        for (int s = 0; s < 4000; ++s)
            bytes += framed(scalarEvent("loss", s, float(s)));
        writeAll(big, bytes);
        bytes.clear();
        for (int s = 0; s < 10; ++s)
            bytes += framed(scalarEvent("loss", s, float(s)));
        writeAll(small, bytes);

        LogdirWatcher w(tmp.path().toStdString());
        w.setMaxBytesPerPoll(8000); // 4,000 bytes a run: small whole, big in part
        Consumer c;
        c.apply(w.poll());
        QVERIFY(w.hasMore());
        QCOMPARE(c.steps("small", "loss"), range(0, 10));
        const std::size_t firstPart = c.steps("big", "loss").size();
        QVERIFY(firstPart > 0 && firstPart < 4000);

        appendBytes(small, framed(scalarEvent("loss", 10, 10)));
        writeAll(mkdirs(tmp, "late") + "/events.out.tfevents.1.h", framed(scalarEvent("acc", 0, 0)));
        // Reading on: only big, which now has the whole limit to itself.
        const WatchBatch on = w.poll();
        QCOMPARE(countKind(on, Kind::RunAdded), 0);
        QCOMPARE(on.scalars.size(), std::size_t(1));
        QCOMPARE(on.scalars[0].run, std::string("big"));
        QVERIFY(on.scalars[0].points.size() > firstPart);
        c.apply(on);

        QTest::qWait(int(LogdirWatcher::kFullPollInterval.count()) + 50);
        const WatchBatch full = w.poll();
        QCOMPARE(countKind(full, Kind::RunAdded), 1);
        c.apply(full);
        QCOMPARE(c.steps("small", "loss"), range(0, 11));
        QCOMPARE(c.steps("late", "acc"), std::vector<int64_t>{0});
        for (int polls = 0; w.hasMore() && polls < 1000; ++polls)
            c.apply(w.poll());
        QVERIFY(!w.hasMore());
        QCOMPARE(c.steps("big", "loss"), range(0, 4000));
    }

    void byteBudget()
    {
        LogdirWatcher w(testFile("tf1-keras-breakout-dqn-31k-scalars"));
        w.setMaxBytesPerPoll(100 * 1000);
        Consumer c;
        int polls = 0;
        do {
            c.apply(w.poll());
            ++polls;
        } while (w.hasMore() && polls < 1000);
        QVERIFY(polls > 5);
        QCOMPARE(c.steps("tf1-keras-breakout-dqn-31k-scalars", "Duration/Episode"), range(319, 8180));
    }
};

QTEST_GUILESS_MAIN(SummaryWatcherTest)
#include "summary_watcher_test.moc"
