#pragma once
// Event-loop waits shared by the GUI benchmarks.
#include "tests/bench/bench.h"
#include "ui/graph/graph_view.h"

#include <QCoreApplication>
#include <QThread>

namespace scopeviz::bench {

/// Runs the event loop until the view has shown a layout and is idle.
inline bool waitShown(ui::GraphView& view, double timeoutS = 60)
{
    const double t0 = now();
    while (now() - t0 < timeoutS) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        if (view.drawing() && !view.isBusy())
            return true;
        QThread::usleep(200);
    }
    return false;
}

} // namespace scopeviz::bench
