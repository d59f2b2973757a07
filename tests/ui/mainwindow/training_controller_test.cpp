// The window's live training worker: a step that throws anything (not only
// scopeviz::Error) ends the run with the message instead of terminating the
// process, and stop() wakes a paused worker however the threads interleave.
#include "ui/mainwindow/training_controller.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTest>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

using namespace scopeviz;
using namespace scopeviz::ui;

class TrainingControllerTest : public QObject {
    Q_OBJECT

private slots:
    void anyExceptionEndsTheRunWithItsMessage_data();
    void anyExceptionEndsTheRunWithItsMessage();
    void stopWakesAPausedWorker();
    void eventFileErrorEndsTheRunWithItsMessage();
};

void TrainingControllerTest::anyExceptionEndsTheRunWithItsMessage_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("expected");
    QTest::newRow("std::runtime_error") << 0 << "disk on fire";
    QTest::newRow("std::bad_alloc") << 1 << "bad_alloc";
    QTest::newRow("not an exception class") << 2 << "unknown error";
}

void TrainingControllerTest::anyExceptionEndsTheRunWithItsMessage()
{
    QFETCH(int, kind);
    QFETCH(QString, expected);
    TrainingController c;
    QSignalSpy finished(&c, &TrainingController::finished);
    QVERIFY(c.prepare(100, 0));
    c.setStepFunction([kind](demo::SeedRun& run) -> demo::SeedRunProgress {
        if (run.trainer().globalStep() < 2)
            return run.step();
        if (kind == 0)
            throw std::runtime_error("disk on fire");
        if (kind == 1)
            throw std::bad_alloc();
        throw 42;
    });
    c.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    const QString error = finished.at(0).at(0).toString();
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY(c.isFinished());
    QVERIFY(!c.isRunning());
    QCOMPARE(c.lastStep(), qint64(2));
}

void TrainingControllerTest::stopWakesAPausedWorker()
{
    // The hook runs on the worker just before it blocks while paused, with the
    // lock held: stop() called from another thread in that window must still
    // wake it. With the flags changed outside the mutex, stop()'s notify lands
    // before the worker waits and is lost, and the run never ends.
    TrainingController c;
    QSignalSpy finished(&c, &TrainingController::finished);
    QVERIFY(c.prepare(1000, 1));
    std::thread stopper;
    struct Join {
        std::thread& t;
        ~Join()
        {
            if (t.joinable())
                t.join();
        }
    } join{stopper};
    std::atomic<bool> once{false};
    c.setBeforePauseWait([&] {
        if (once.exchange(true))
            return;
        stopper = std::thread([&] { c.stop(); });
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
    });
    c.start();
    c.pause();
    QTRY_VERIFY_WITH_TIMEOUT(once.load(), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
    QCOMPARE(finished.at(0).at(0).toString(), QString());
    QVERIFY(c.isFinished());
}

void TrainingControllerTest::eventFileErrorEndsTheRunWithItsMessage()
{
    // After two steps the run's log directory is replaced by a file: the event
    // writer cannot start its file again, and the window must hear about it
    // instead of a run that ended "fine" with nothing written.
    TrainingController c;
    QSignalSpy finished(&c, &TrainingController::finished);
    QVERIFY(c.prepare(5, 0));
    const QString logdir = c.logdir() + "/seed";
    c.setStepFunction([logdir](demo::SeedRun& run) {
        if (run.trainer().globalStep() == 2) {
            QDir(logdir).removeRecursively();
            QFile blocker(logdir);
            if (!blocker.open(QIODevice::WriteOnly))
                throw std::runtime_error("test setup: cannot create the blocking file");
        }
        return run.step();
    });
    c.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    const QString error = finished.at(0).at(0).toString();
    QVERIFY2(error.contains("event file"), qPrintable(error));
    QCOMPARE(c.lastStep(), qint64(5));
}

QTEST_MAIN(TrainingControllerTest)
#include "training_controller_test.moc"
