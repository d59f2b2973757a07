// Work handed between threads through Qt (ui/common/handoff.h): a task on a pool whose result
// is queued back to the GUI thread, as the graph view, the live session and the image cache do.
// The results arrive whole and on the receiver's thread; a result for a receiver that is gone
// (a closed view) is dropped and its data freed; handing to nothing neither runs nor hangs.
// Under scripts/sanitize.sh thread these are also the regression tests for the ordering TSan
// could not see through Qt's own queues (docs/toolchain.md §10): with a plain
// QThreadPool::start and QMetaObject::invokeMethod, roundTripsThroughABusyPool reports races.
#include "ui/common/handoff.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <numeric>
#include <vector>

using namespace scopeviz::ui;

class HandoffTest : public QObject {
    Q_OBJECT
private slots:
    void roundTripsThroughABusyPool();
    void resultForADestroyedReceiverIsDroppedAndFreed();
    void handingToNothingRunsNothingAndFreesAtOnce();
};

void HandoffTest::roundTripsThroughABusyPool()
{
    // One pool thread: it takes each next task from Qt's queue while still running, the hand-over
    // whose ordering only Qt's futex-based mutex gave.
    QThreadPool pool;
    pool.setMaxThreadCount(1);
    QObject receiver;
    constexpr int kTasks = 200;
    std::vector<int64_t> sums(kTasks, -1);
    std::vector<bool> onGuiThread(kTasks, false);
    int arrived = 0;
    for (int i = 0; i < kTasks; ++i) {
        auto input = std::make_shared<std::vector<int>>(size_t(100 + i)); // written here, read there
        std::iota(input->begin(), input->end(), i);
        startOnPool(pool, [&receiver, &sums, &onGuiThread, &arrived, input, i] {
            auto result = std::make_shared<std::vector<int64_t>>(); // written there, read here
            result->push_back(std::accumulate(input->begin(), input->end(), int64_t(0)));
            postTo(&receiver, [&sums, &onGuiThread, &arrived, result, i] {
                sums[size_t(i)] = result->front();
                onGuiThread[size_t(i)] = QThread::currentThread() == QCoreApplication::instance()->thread();
                ++arrived;
            });
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(arrived, kTasks, 30000);
    for (int i = 0; i < kTasks; ++i) {
        const int64_t n = 100 + i;
        QCOMPARE(sums[size_t(i)], n * i + n * (n - 1) / 2);
        QVERIFY(onGuiThread[size_t(i)]);
    }
}

void HandoffTest::resultForADestroyedReceiverIsDroppedAndFreed()
{
    QThreadPool pool;
    auto receiver = std::make_unique<QObject>();
    auto data = std::make_shared<int>(7);
    std::weak_ptr<int> watch = data;
    bool ran = false;
    std::atomic<bool> posted{false};
    QObject* target = receiver.get();
    startOnPool(pool, [target, &ran, &posted, data = std::move(data)] {
        postTo(target, [&ran, data] { ran = *data == 7; });
        posted = true;
    });
    QVERIFY(pool.waitForDone(30000));
    QVERIFY(posted);
    QVERIFY(!watch.expired()); // queued, waiting for the receiver's thread
    receiver.reset();          // the view closes before its result is delivered
    QCoreApplication::processEvents();
    QVERIFY(!ran);
    QVERIFY(watch.expired());
}

void HandoffTest::handingToNothingRunsNothingAndFreesAtOnce()
{
    // invokeMethod refuses a null receiver and destroys the work inside the hand-over, on the
    // sending thread while it holds the hand-over's lock: that must not deadlock.
    auto data = std::make_shared<int>(1);
    std::weak_ptr<int> watch = data;
    bool ran = false;
    postTo(nullptr, [&ran, data = std::move(data)] { ran = true; });
    QVERIFY(watch.expired());
    QCoreApplication::processEvents();
    QVERIFY(!ran);
}

QTEST_GUILESS_MAIN(HandoffTest)
#include "handoff_test.moc"
