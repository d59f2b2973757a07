#pragma once
// The live-latency benchmarks' writer: a producer thread appends values the way a training run does
// while the GUI thread runs its event loop and the benchmark records when each value was painted.
#include "tests/bench/bench.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <atomic>
#include <chrono>
#include <functional>
#include <random>
#include <thread>
#include <vector>

namespace scopeviz::bench {

/// Writes samples 0..n-1 on a producer thread, one every 30-50 ms: write(k), then its flush time is
/// taken and flush() called. Meanwhile runs the calling (GUI) thread's event loop until allShown()
/// (or 60 s). Returns each sample's flush time (now()), -1 for a sample never written.
inline std::vector<double> writeWhileShowing(int samples, const std::function<void(int)>& write,
                                             const std::function<void()>& flush,
                                             const std::function<bool()>& allShown)
{
    std::vector<std::atomic<double>> flushedAt(static_cast<std::size_t>(samples));
    for (auto& t : flushedAt)
        t = -1;
    std::atomic<bool> stop{false};
    std::thread producer([&] {
        std::mt19937 rng(42);
        std::uniform_int_distribution<int> gapMs(30, 50);
        for (int k = 0; k < samples && !stop; ++k) {
            std::this_thread::sleep_for(std::chrono::milliseconds(gapMs(rng)));
            write(k);
            flushedAt[std::size_t(k)] = now();
            flush();
        }
    });
    QElapsedTimer guard;
    guard.start();
    while (!allShown() && guard.elapsed() < 60000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    stop = true;
    producer.join();
    return std::vector<double>(flushedAt.begin(), flushedAt.end());
}

} // namespace scopeviz::bench
