#pragma once
// StallMeter: how long a Qt GUI thread stays away from its event loop (benchmarks of the dashboards).
#include "tests/bench/bench.h"

#include <QObject>
#include <QTimer>

#include <algorithm>

namespace scopeviz::bench {

/// Records the longest gap between the ticks of a 2 ms timer on the GUI thread: how long the thread
/// did not return to its event loop (worstMs, wall time: also the time other processes held the
/// cores), and the most CPU time the thread spent in one such gap (worstBusyMs: its own work).
class StallMeter : public QObject {
public:
    StallMeter()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const double t = now(), cpu = threadCpuSeconds();
            if (m_last > 0) {
                m_worst = std::max(m_worst, (t - m_last) * 1e3);
                m_worstBusy = std::max(m_worstBusy, (cpu - m_lastCpu) * 1e3);
            }
            m_last = t;
            m_lastCpu = cpu;
        });
    }
    void start()
    {
        m_last = 0;
        m_worst = m_worstBusy = 0;
        m_timer.start(2);
    }
    void stop() { m_timer.stop(); }
    double worstMs() const { return m_worst; }
    double worstBusyMs() const { return m_worstBusy; }

private:
    QTimer m_timer;
    double m_last = 0, m_lastCpu = 0;
    double m_worst = 0, m_worstBusy = 0;
};

} // namespace scopeviz::bench
