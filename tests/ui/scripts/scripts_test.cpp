// Python scripts run from the window (`scopeviz script.py`), as a user meets
// them: a traceback in the Console with the last good graph kept, the Stop
// button ending an endless script, a clear word when a script writes nothing,
// a FileWriter without a logdir followed live (graph and curves), and --watch
// re-running on save while the scopes the user opened stay open.
//
// Each test starts /usr/bin/python3 on the build tree's module
// (SCOPEVIZ_PYTHON_DIR on PYTHONPATH), so timeouts are generous: the machine
// is shared and an interpreter start with numpy takes a few hundred ms.
#include "ui/graph/graph_view.h"
#include "ui/inspector/inspector.h"
#include "ui/mainwindow/live_session.h"
#include "ui/mainwindow/main_window.h"
#include "ui/mainwindow/script_runner.h"
#include "ui/scalars/scalar_store.h"
#include "ui/scalars/scalars_dashboard.h"
#include "ui/summaries/summary_dashboard.h"
#include "ui/summaries/summary_store.h"

#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QFileInfo>
#include <QPlainTextEdit>
#include <QSaveFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>
#include <optional>

using namespace scopeviz;
using namespace scopeviz::ui;

namespace {

constexpr int kRunTimeoutMs = 60000; // one script run, start to end, on a loaded machine

bool writeFile(const QString& path, const QByteArray& text)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(text) == text.size();
}

/// Replaces the file the way many editors save: a new file renamed over the old one.
bool replaceFile(const QString& path, const QByteArray& text)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write(text);
    return f.commit();
}

bool hasScope(const MainWindow& w, const char* path)
{
    return w.document() && w.document()->tree->findScope(path) > hierarchy::RootScope;
}

QString consoleText(const MainWindow& w) { return w.console()->toPlainText(); }

const QByteArray kGoodScript = R"(
import scopeviz.compat.v1 as tf
x = tf.placeholder(tf.float32, [None, 4], name="x")
with tf.variable_scope("good_net"):
    w = tf.get_variable("weights", [4, 2])
    y = tf.matmul(x, w)
tf.summary.FileWriter(graph=tf.get_default_graph()).close()
print("good script done")
)";

/// Writes its graph, waits until the test has seen it shown (file "go"), then raises.
const QByteArray kRaisingAfterShownScript = R"(
import os, time
import scopeviz.compat.v1 as tf
x = tf.placeholder(tf.float32, [None, 4], name="x")
with tf.variable_scope("bad_net"):
    w = tf.get_variable("weights", [4, 2])
    y = tf.matmul(x, w)
tf.summary.FileWriter(graph=tf.get_default_graph()).close()
while not os.path.exists("go"):
    time.sleep(0.02)
def build_more():
    raise RuntimeError("boom after writing the graph")
build_more()
)";

/// Writes its graph and raises at once (the graph reaches the window after the run ended).
const QByteArray kRaisingAtOnceScript = R"(
import scopeviz.compat.v1 as tf
with tf.variable_scope("late_net"):
    w = tf.get_variable("weights", [4, 2])
tf.summary.FileWriter(graph=tf.get_default_graph()).close()
raise ValueError("boom right after writing")
)";

const QByteArray kEndlessScript = R"(
print("looping forever", flush=True)
n = 0
while True:
    n += 1
)";

const QByteArray kSilentScript = R"(
print("hello from a script that writes nothing")
)";

/// FileWriter() without a logdir; keeps logging until the test creates "release".
const QByteArray kLiveScript = R"(
import os, time
import numpy as np
import scopeviz.compat.v1 as tf
x = tf.placeholder(tf.float32, [None, 4], name="x")
with tf.variable_scope("live_net"):
    w = tf.get_variable("weights", [4, 1])
loss = tf.reduce_mean(tf.square(tf.matmul(x, w)))
with tf.name_scope("summary"):
    tf.summary.scalar("loss", loss)
    merged = tf.summary.merge_all()
with tf.Session() as sess:
    writer = tf.summary.FileWriter(graph=sess.graph)
    sess.run(tf.global_variables_initializer())
    step = 0
    while not os.path.exists("release"):
        writer.add_summary(sess.run(merged, {x: np.ones((2, 4), np.float32)}), step)
        writer.flush()
        step += 1
        time.sleep(0.05)
    writer.close()
print("logged", step, "steps")
)";

/// No FileWriter at all: builds one scope, waits for "release", builds another.
const QByteArray kNoWriterScript = R"(
import os, time
import scopeviz.compat.v1 as tf
x = tf.placeholder(tf.float32, [None, 4], name="x")
with tf.variable_scope("first_net"):
    h = tf.matmul(x, tf.get_variable("weights", [4, 4]))
while not os.path.exists("release"):
    time.sleep(0.05)
with tf.variable_scope("second_net"):
    h = tf.matmul(h, tf.get_variable("weights", [4, 1]))
print("built both")
)";

/// Two tf.Graph()s, each with a scope of its own.
const QByteArray kTwoGraphsScript = R"(
import scopeviz.compat.v1 as tf
g1 = tf.Graph()
with g1.as_default():
    with tf.variable_scope("first_graph"):
        tf.get_variable("w", [2])
g2 = tf.Graph()
with g2.as_default():
    with tf.variable_scope("second_graph"):
        tf.get_variable("w", [3])
)";

QByteArray watchScript(const QByteArray& extraScope)
{
    QByteArray s = R"(
import scopeviz.compat.v1 as tf
x = tf.placeholder(tf.float32, [None, 4], name="x")
with tf.variable_scope("encoder"):
    h = tf.nn.relu(tf.matmul(x, tf.get_variable("weights", [4, 4])))
with tf.variable_scope("decoder"):
    h = tf.matmul(h, tf.get_variable("weights", [4, 4]))
)";
    if (!extraScope.isEmpty())
        s += "with tf.variable_scope(\"" + extraScope + "\"):\n    h = tf.matmul(h, tf.get_variable(\"weights\", [4, 4]))\n";
    s += "tf.summary.FileWriter(graph=tf.get_default_graph()).close()\n";
    return s;
}

} // namespace

class ScriptsTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void tracebackShownAndLastGoodGraphKept();
    void endlessScriptStopsFromToolbar();
    void scriptWritingNothingSaysSo();
    void fileWriterWithoutLogdirIsFollowedLive();
    void writersInsideTheLogdirKeepEveryRunAndShowImages();
    void graphWithoutFileWriterAppearsAsItIsBuilt();
    void eachGraphOfAScriptCanBeChosen();
    void watchRerunsOnSaveAndKeepsExpansion();

private:
    /// Runs `script` (written to the temporary folder as script.py) in `window`.
    LiveSession* run(MainWindow& window, const QByteArray& script, bool watch = false);
    /// Waits until `spy` saw `count` runs end; returns the last one's outcome as int (-1 on timeout).
    int waitFinished(QSignalSpy& spy, int count);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_script;
};

void ScriptsTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // the window's QSettings must not touch the user's
    qRegisterMetaType<ScriptRunner::Outcome>();
    const QByteArray old = qgetenv("PYTHONPATH");
    qputenv("PYTHONPATH", old.isEmpty() ? QByteArray(SCOPEVIZ_PYTHON_DIR)
                                        : QByteArray(SCOPEVIZ_PYTHON_DIR) + ":" + old);
    QVERIFY2(QFile::exists(QStringLiteral(SCOPEVIZ_PYTHON_DIR "/scopeviz/compat/v1/__init__.py")),
             "the Python module must be built (target _core)");
}

void ScriptsTest::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_script = m_dir->filePath("script.py");
}

void ScriptsTest::cleanup() { m_dir.reset(); }

LiveSession* ScriptsTest::run(MainWindow& window, const QByteArray& script, bool watch)
{
    if (!writeFile(m_script, script))
        return nullptr;
    return LiveSession::runScript(&window, m_script, watch);
}

int ScriptsTest::waitFinished(QSignalSpy& spy, int count)
{
    if (!QTest::qWaitFor([&] { return spy.count() >= count; }, kRunTimeoutMs))
        return -1;
    return int(spy.at(count - 1).at(1).value<ScriptRunner::Outcome>());
}

void ScriptsTest::tracebackShownAndLastGoodGraphKept()
{
    MainWindow window;
    window.show();
    LiveSession* s = run(window, kGoodScript);
    QVERIFY(s);
    QSignalSpy finished(s->script(), &ScriptRunner::finished);

    // 1. A good run: its graph is shown and becomes the last good graph.
    QCOMPARE(waitFinished(finished, 1), int(ScriptRunner::Outcome::Succeeded));
    QTRY_VERIFY_WITH_TIMEOUT(hasScope(window, "good_net"), kRunTimeoutMs);
    const DocumentPtr good = window.document();
    QTRY_COMPARE_WITH_TIMEOUT(s->lastGoodDocument(), good, 5000);
    QVERIFY(consoleText(window).contains("good script done"));

    // 2. A run that writes its graph, is seen, then raises: the traceback is in the
    //    Console and the good graph comes back.
    QVERIFY(writeFile(m_script, kRaisingAfterShownScript));
    s->startAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(hasScope(window, "bad_net"), kRunTimeoutMs); // shown live
    QVERIFY(writeFile(m_dir->filePath("go"), "1"));
    QCOMPARE(waitFinished(finished, 2), int(ScriptRunner::Outcome::Failed));
    QString console = consoleText(window);
    QVERIFY2(console.contains("Traceback (most recent call last):"), qPrintable(console));
    QVERIFY(console.contains("in build_more"));
    QVERIFY(console.contains("RuntimeError: boom after writing the graph"));
    // The Console came to the front with room for the traceback: about a third of the window (its dock
    // shares the height with the tab bar), where it used to keep the empty dashboard's 12 %.
    QTRY_VERIFY(window.console()->isVisible());
    QTRY_VERIFY2(window.console()->parentWidget()->height() >= window.height() / 4,
                 qPrintable(QStringLiteral("console %1 of %2 px").arg(window.console()->parentWidget()->height()).arg(window.height())));
    QCOMPARE(window.document(), good);
    QCOMPARE(window.graphView()->document(), good);
    QVERIFY(window.messageText().contains("traceback is in the Console"));
    QVERIFY(window.messageText().contains("last good graph"));
    QVERIFY(!window.statusBar()->currentMessage().isEmpty());

    // 3. A run that raises right after writing: its graph arrives after the end and is ignored.
    QVERIFY(writeFile(m_script, kRaisingAtOnceScript));
    QSignalSpy graphs(&window, &MainWindow::graphFound);
    s->startAction()->trigger();
    QCOMPARE(waitFinished(finished, 3), int(ScriptRunner::Outcome::Failed));
    QVERIFY(consoleText(window).contains("ValueError: boom right after writing"));
    // The run has ended; wait until its graph has reached the window (the feed reads
    // the event file on its own schedule), then check that it was not shown.
    auto lateGraphArrived = [&graphs] {
        return std::any_of(graphs.cbegin(), graphs.cend(),
                           [](const QList<QVariant>& args) { return args.at(2).toByteArray().contains("late_net"); });
    };
    QTRY_VERIFY_WITH_TIMEOUT(lateGraphArrived(), kRunTimeoutMs);
    QCOMPARE(window.document(), good);
    QVERIFY(!hasScope(window, "late_net"));
    QVERIFY(s->startAction()->isEnabled());
    QVERIFY(!s->stopAction()->isEnabled());
}

void ScriptsTest::endlessScriptStopsFromToolbar()
{
    MainWindow window;
    window.show();
    LiveSession* s = run(window, kEndlessScript);
    QVERIFY(s);
    QSignalSpy finished(s->script(), &ScriptRunner::finished);
    QTRY_VERIFY_WITH_TIMEOUT(consoleText(window).contains("looping forever"), kRunTimeoutMs);
    QVERIFY(s->script()->isRunning());
    QVERIFY(s->stopAction()->isEnabled());
    QVERIFY(!s->startAction()->isEnabled());

    s->stopAction()->trigger();
    QVERIFY(QTest::qWaitFor([&] { return finished.count() == 1; }, 5000)); // ends within the grace period
    QVERIFY(!s->script()->isRunning());
    QCOMPARE(finished.at(0).at(1).value<ScriptRunner::Outcome>(), ScriptRunner::Outcome::Stopped);
    QVERIFY2(consoleText(window).contains("[stopped]"), qPrintable(consoleText(window)));
    QVERIFY(window.statusBar()->currentMessage().contains("stopped"));
    QVERIFY(!window.messageText().contains("error")); // stopping is not an error
    QVERIFY(s->startAction()->isEnabled());
    QVERIFY(!s->stopAction()->isEnabled());
}

void ScriptsTest::scriptWritingNothingSaysSo()
{
    MainWindow window;
    window.show();
    LiveSession* s = run(window, kSilentScript);
    QVERIFY(s);
    QSignalSpy finished(s->script(), &ScriptRunner::finished);
    QCOMPARE(waitFinished(finished, 1), int(ScriptRunner::Outcome::Succeeded));
    QVERIFY(finished.at(0).at(2).toBool()); // wroteNothing
    const QString console = consoleText(window);
    QVERIFY(console.contains("hello from a script that writes nothing"));
    QVERIFY2(console.contains("built no graph and wrote no event file"), qPrintable(console));
    QVERIFY(console.contains("FileWriter"));
    QVERIFY2(window.statusBar()->currentMessage().contains("wrote no event file"),
             qPrintable(window.statusBar()->currentMessage()));
    QVERIFY(window.messageText().contains("wrote no event file"));
    QVERIFY(!window.document());
}

void ScriptsTest::writersInsideTheLogdirKeepEveryRunAndShowImages()
{
    // resources/examples/mnist_with_summaries.py opens FileWriters in train/ and test/ of its log directory:
    // both are runs of the followed directory (following the last one alone lost the graph, which only
    // train/ holds, and train's images); its images reach the Images dashboard as they are written.
    QFile example(QStringLiteral(SCOPEVIZ_SOURCE_DIR "/resources/examples/mnist_with_summaries.py"));
    QVERIFY(example.open(QIODevice::ReadOnly));
    MainWindow window;
    window.show();
    LiveSession* s = run(window, example.readAll());
    QVERIFY(s);
    QSignalSpy finished(s->script(), &ScriptRunner::finished);
    QCOMPARE(waitFinished(finished, 1), int(ScriptRunner::Outcome::Succeeded));
    QTRY_VERIFY_WITH_TIMEOUT(hasScope(window, "layer1"), kRunTimeoutMs);
    const SummaryStore& store = window.summaryHub()->store();
    QTRY_VERIFY_WITH_TIMEOUT(store.findMedia("train", "input_reshape/input/image/0") >= 0 &&
                                 store.findMedia("test", "input_reshape/input/image/0") >= 0,
                             kRunTimeoutMs);
    QTRY_VERIFY(window.summaryDock(2)->isVisible()); // the Images tab came up with the first image
    QVERIFY(store.findHistogram("train", "layer1/weights/summaries/histogram") >= 0);
}

void ScriptsTest::fileWriterWithoutLogdirIsFollowedLive()
{
    MainWindow window;
    window.show();
    LiveSession* s = run(window, kLiveScript);
    QVERIFY(s);
    QSignalSpy finished(s->script(), &ScriptRunner::finished);

    // While the script still runs, its graph is shown and its scalars reach the dashboard.
    QTRY_VERIFY_WITH_TIMEOUT(hasScope(window, "live_net"), kRunTimeoutMs);
    QVERIFY(window.document()->graph->findOp("summary/loss"));
    auto store = [&window]() -> const ScalarStore& { return window.scalars()->store(); };
    QTRY_VERIFY_WITH_TIMEOUT(store().findTag("summary/loss") >= 0, kRunTimeoutMs);
    const size_t first = store().pointCount();
    QVERIFY(first > 0);
    QTRY_VERIFY_WITH_TIMEOUT(store().pointCount() > first, kRunTimeoutMs); // still arriving
    QVERIFY(s->script()->isRunning());
    QVERIFY(finished.isEmpty());
    QVERIFY(s->script()->announcedLogdirs().contains(s->script()->logdir()));
    // The script's run is named after the script, not "." (its log directory is a temporary one).
    QCOMPARE(store().runCount(), 1);
    QCOMPARE(QString::fromStdString(store().run(0).label), QFileInfo(s->script()->script()).completeBaseName());

    QVERIFY(writeFile(m_dir->filePath("release"), "1"));
    QCOMPARE(waitFinished(finished, 1), int(ScriptRunner::Outcome::Succeeded));
    QVERIFY(!finished.at(0).at(2).toBool());
    QVERIFY(consoleText(window).contains("logged"));
    QVERIFY(window.messageText().isEmpty() || !window.messageText().contains("error"));
}

void ScriptsTest::graphWithoutFileWriterAppearsAsItIsBuilt()
{
    // A lesson needs no FileWriter: the module hands the graph over while the script builds it.
    MainWindow window;
    window.show();
    LiveSession* s = run(window, kNoWriterScript);
    QVERIFY(s);
    QSignalSpy finished(s->script(), &ScriptRunner::finished);
    QTRY_VERIFY_WITH_TIMEOUT(hasScope(window, "first_net"), kRunTimeoutMs);
    QVERIFY(s->script()->isRunning()); // shown while the script still runs
    QVERIFY(!hasScope(window, "second_net"));
    QVERIFY(writeFile(m_dir->filePath("release"), "1"));
    QCOMPARE(waitFinished(finished, 1), int(ScriptRunner::Outcome::Succeeded));
    QVERIFY(!finished.at(0).at(2).toBool()); // not "wrote nothing"
    QTRY_VERIFY_WITH_TIMEOUT(hasScope(window, "second_net"), kRunTimeoutMs);
    QVERIFY(window.document()->graph->findOp("second_net/MatMul"));
    QVERIFY(!window.messageText().contains("wrote no event file"));
    QCOMPARE(window.scalars()->store().tagCount(), 0); // a graph is not a curve

    // The trace came with it: the inspector says why a name is what it is, with the script's lines.
    QTRY_VERIFY_WITH_TIMEOUT(window.selectByName("second_net/weights"), 5000);
    const QString why = window.inspector()->html();
    QVERIFY2(why.contains("Why this name?"), qPrintable(why));
    QVERIFY2(why.contains("created at line 10 by get_variable(&#x27;weights&#x27;)") ||
                 why.contains("created at line 10 by get_variable('weights')"),
             qPrintable(why));
}

void ScriptsTest::eachGraphOfAScriptCanBeChosen()
{
    MainWindow window;
    window.show();
    LiveSession* s = run(window, kTwoGraphsScript);
    QVERIFY(s);
    QSignalSpy finished(s->script(), &ScriptRunner::finished);
    QCOMPARE(waitFinished(finished, 1), int(ScriptRunner::Outcome::Succeeded));
    QComboBox* choice = s->graphChooser();
    QTRY_COMPARE_WITH_TIMEOUT(choice->count(), 2, kRunTimeoutMs);
    QTRY_VERIFY(choice->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(hasScope(window, "second_graph"), kRunTimeoutMs); // the one built last
    QVERIFY(!hasScope(window, "first_graph"));
    // The user picks the first graph: it is shown, with its own trace.
    const int first = choice->findData(1);
    QVERIFY(first >= 0);
    choice->setCurrentIndex(first);
    emit choice->activated(first);
    QTRY_VERIFY_WITH_TIMEOUT(hasScope(window, "first_graph"), kRunTimeoutMs);
    QVERIFY(!hasScope(window, "second_graph"));
    QVERIFY(window.document()->graph->traceSize() > 0);
}

void ScriptsTest::watchRerunsOnSaveAndKeepsExpansion()
{
    MainWindow window;
    window.show();
    LiveSession* s = run(window, watchScript({}), true);
    QVERIFY(s);
    QSignalSpy finished(s->script(), &ScriptRunner::finished);
    QCOMPARE(waitFinished(finished, 1), int(ScriptRunner::Outcome::Succeeded));
    QTRY_VERIFY_WITH_TIMEOUT(hasScope(window, "decoder"), kRunTimeoutMs);

    GraphView* view = window.graphView();
    view->setScopeExpanded(window.document()->tree->findScope("encoder"), true);
    QVERIFY(view->isScopeExpanded(window.document()->tree->findScope("encoder")));

    // Saved in place: the script re-runs, the new scope appears, "encoder" stays open.
    QVERIFY(writeFile(m_script, watchScript("head")));
    QCOMPARE(waitFinished(finished, 2), int(ScriptRunner::Outcome::Succeeded));
    QTRY_VERIFY_WITH_TIMEOUT(hasScope(window, "head"), kRunTimeoutMs);
    const auto& tree = *window.document()->tree;
    QCOMPARE(view->document(), window.document());
    QVERIFY(view->isScopeExpanded(tree.findScope("encoder")));
    QVERIFY(!view->isScopeExpanded(tree.findScope("decoder")));
    QVERIFY(!view->isScopeExpanded(tree.findScope("head")));

    // Saved the way editors do (a new file renamed over the old): still watched.
    QVERIFY(replaceFile(m_script, watchScript("tail")));
    QCOMPARE(waitFinished(finished, 3), int(ScriptRunner::Outcome::Succeeded));
    QTRY_VERIFY_WITH_TIMEOUT(hasScope(window, "tail"), kRunTimeoutMs);
    QVERIFY(!hasScope(window, "head"));
    QVERIFY(view->isScopeExpanded(window.document()->tree->findScope("encoder")));
}

QTEST_MAIN(ScriptsTest)
#include "scripts_test.moc"
