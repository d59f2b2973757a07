#pragma once
// Helpers shared by the Qt Tests that drive a whole MainWindow (offscreen).
#include "core/graph/graph.h"
#include "ui/mainwindow/main_window.h"

#include <QElapsedTimer>
#include <QString>
#include <QTest>

namespace scopeviz::ui::testing {

/// The 11,040-node InceptionV3 GraphDef of the test data (tests/data).
inline const QString kIncV3 = QStringLiteral(SCOPEVIZ_TESTDATA "/graphs/tf1.14-inceptionv3-hub-11040-nodes.graphdef.pb");

/// Waits until the window has no load or layout in flight; false on timeout.
inline bool waitIdle(MainWindow& w, int ms = 20000)
{
    QElapsedTimer t;
    t.start();
    // Settle first: a request may be about to be queued.
    QTest::qWait(20);
    while (w.isBusy() && t.elapsed() < ms)
        QTest::qWait(10);
    return !w.isBusy();
}

/// Shows `w` at `size` with the seed demo open and laid out; false when that does not happen.
inline bool showSeedDemo(MainWindow& w, QSize size = QSize(1200, 800))
{
    w.resize(size);
    w.show();
    if (!QTest::qWaitForWindowExposed(&w))
        return false;
    w.openSeedDemo();
    return waitIdle(w);
}

/// The id of the op with this full name in the shown document, -1 when absent (or nothing is shown).
inline OpId opOf(const MainWindow& w, const char* name)
{
    if (!w.document())
        return -1;
    const Operation* op = w.document()->graph->findOp(name);
    return op ? op->id() : -1;
}

} // namespace scopeviz::ui::testing
