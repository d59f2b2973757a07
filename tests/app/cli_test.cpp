// The command line as a user meets it: every option with a value is checked and a bad value is named
// with its option; usage errors exit 2, file and data errors exit 1; --version prints CMake's project
// version. First parseCommandLine() itself, then the real executable for what reaches the terminal.
#include "app/cli.h"
#include "tests/support/test_data.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <sstream>

using scopeviz::app::ExitDataError;
using scopeviz::app::ExitUsage;
using scopeviz::app::parseCommandLine;

namespace {

const QString kRegression = QString::fromStdString(scopeviz::testing::testDataDir()) +
                            QStringLiteral("/graphs/tf1-regression-checkpoint-109-nodes.pb");

struct Run {
    int exitCode = -1;
    QString out, err;
};

/// Runs the built scopeviz with `args` (offscreen, no display needed) and waits for it.
Run runScopeviz(const QStringList& args, int timeoutMs = 60000)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(SCOPEVIZ_EXE), args);
    Run r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("timed out");
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2; // -2: crashed
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QStringList withProgram(const QStringList& args) { return QStringList{QStringLiteral("scopeviz")} + args; }

} // namespace

class CliTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { SCOPEVIZ_REQUIRE_TEST_DATA(); }

    // ---- parseCommandLine --------------------------------------------------------------------------

    void badValuesAreNamed_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message"); // must appear in the error text
        const QString dir = QDir::tempPath();
        QTest::newRow("steps abc") << QStringList{"--demo", "seed", "--train", "--logdir", dir, "--steps", "abc"} << 2 << "--steps: 'abc'";
        QTest::newRow("steps -1") << QStringList{"--train", "--logdir", dir, "--steps", "-1"} << 2 << "--steps: '-1'";
        QTest::newRow("steps 0") << QStringList{"--train", "--logdir", dir, "--steps", "0"} << 2 << "--steps: '0'";
        QTest::newRow("steps 1e3") << QStringList{"--train", "--logdir", dir, "--steps", "1e3"} << 2 << "--steps: '1e3'";
        QTest::newRow("after x") << QStringList{"--screenshot", "a.png", "--after", "x"} << 2 << "--after: 'x'";
        QTest::newRow("after -5") << QStringList{"--screenshot", "a.png", "--after", "-5"} << 2 << "--after: '-5'";
        QTest::newRow("replay-step x") << QStringList{"--replay-step", "x"} << 2 << "--replay-step: 'x'";
        QTest::newRow("replay-step -1") << QStringList{"--replay-step", "-1"} << 2 << "--replay-step: '-1'";
        QTest::newRow("replay-step 2.5") << QStringList{"--replay-step", "2.5"} << 2 << "--replay-step: '2.5'";
        QTest::newRow("dashboard nope") << QStringList{"--dashboard", "graphs"} << 2 << "--dashboard: 'graphs' is not a dashboard";
        QTest::newRow("step -3") << QStringList{"--step", "-3"} << 2 << "--step: '-3'";
        QTest::newRow("size 10x") << QStringList{"--size", "10x"} << 2 << "--size: '10x'";
        QTest::newRow("size x800") << QStringList{"--size", "x800"} << 2 << "--size: 'x800'";
        QTest::newRow("size 10x10") << QStringList{"--size", "10x10"} << 2 << "--size: '10x10'";
        QTest::newRow("size words") << QStringList{"--size", "big"} << 2 << "--size: 'big'";
        QTest::newRow("demo other") << QStringList{"--demo", "mnist"} << 2 << "--demo: 'mnist'";
        QTest::newRow("export suffix") << QStringList{"--export", "graph.jpg"} << 2 << "--export: 'graph.jpg'";
        QTest::newRow("expand empty") << QStringList{"--expand", ""} << 2 << "--expand";
        QTest::newRow("unknown option") << QStringList{"--frobnicate"} << 2 << "Unknown option 'frobnicate'";
        QTest::newRow("missing value") << QStringList{"--steps"} << 2 << "Missing value after '--steps'";
        QTest::newRow("logdir alone") << QStringList{"--logdir", dir} << 2 << "--logdir";
        QTest::newRow("train no logdir") << QStringList{"--train"} << 2 << "--train: needs --logdir";
        QTest::newRow("two modes") << QStringList{"--list-ops", "--print-tree", kRegression} << 2 << "choose one of";
        QTest::newRow("two paths") << QStringList{kRegression, kRegression} << 2 << "one path at a time";
        QTest::newRow("watch a graph") << QStringList{"--watch", kRegression} << 2 << "--watch";
        QTest::newRow("dump nothing") << QStringList{"--dump-scalars"} << 2 << "--dump-scalars: needs";
        QTest::newRow("dump summaries nothing") << QStringList{"--dump-summaries"} << 2 << "--dump-summaries: needs";
        QTest::newRow("missing file") << QStringList{"--list-ops", "/nonexistent/model.pb"} << 1
                                      << "/nonexistent/model.pb: no such file or directory";
        QTest::newRow("missing logdir") << QStringList{"/nonexistent/logs"} << 1 << "/nonexistent/logs: no such file";
    }

    void badValuesAreNamed()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const auto r = parseCommandLine(withProgram(args));
        QCOMPARE(r.exitCode, exitCode);
        const QString err = QString::fromStdString(r.err);
        QVERIFY2(err.startsWith(QLatin1String("scopeviz: ")), qPrintable(err));
        QVERIFY2(err.contains(message), qPrintable(err));
        // A usage error is followed by the usage; a data error is not.
        QCOMPARE(err.contains(QLatin1String("Usage:")), exitCode == ExitUsage);
        QVERIFY(r.out.empty());
    }

    void goodValuesAreKept()
    {
        const auto r = parseCommandLine(withProgram({"--demo", "seed", "--train", "--logdir", "/tmp/x", "--steps", "42"}));
        QCOMPARE(r.exitCode, -1);
        QVERIFY2(r.err.empty(), r.err.c_str());
        QCOMPARE(r.options.steps, 42);
        const auto s = parseCommandLine(withProgram({"--size", "1600x1000", "--after", "250", "--select", "my_net/weights"}));
        QCOMPARE(s.exitCode, -1);
        QCOMPARE(s.options.size, QSize(1600, 1000));
        QCOMPARE(s.options.afterMs, 250);
        QCOMPARE(s.options.select, QStringLiteral("my_net/weights"));
        QCOMPARE(s.options.replayStep, -1); // not asked: the Replay dock stays closed
        const auto t = parseCommandLine(withProgram({"--replay-step", "20"}));
        QCOMPARE(t.exitCode, -1);
        QCOMPARE(t.options.replayStep, 20);
        const auto d = parseCommandLine(withProgram({"--dashboard", "Images", "--step", "12"}));
        QCOMPARE(d.exitCode, -1);
        QCOMPARE(d.options.dashboard, QStringLiteral("images"));
        QCOMPARE(d.options.step, int64_t(12));
        QCOMPARE(s.options.step, int64_t(-1)); // not asked: the media follow the newest step
    }

    void helpAndVersion()
    {
        const auto v = parseCommandLine(withProgram({"--version"}));
        QCOMPARE(v.exitCode, 0);
        QCOMPARE(QString::fromStdString(v.out), QStringLiteral("scopeviz " SCOPEVIZ_EXPECTED_VERSION "\n"));
        QCOMPARE(QString::fromLatin1(scopeviz::app::version()), QStringLiteral(SCOPEVIZ_EXPECTED_VERSION));
        const auto h = parseCommandLine(withProgram({"--help"}));
        QCOMPARE(h.exitCode, 0);
        QVERIFY(QString::fromStdString(h.out).contains("--print-tree"));
        QVERIFY(h.err.empty());
    }

    void namesAreCheckedAgainstTheGraph()
    {
        // Headless: --expand and --select name scopes and ops that must exist.
        std::ostringstream out, err;
        auto o = parseCommandLine(withProgram({"--demo", "seed", "--layout-stats", "--expand", "my_net,nosuch"})).options;
        QCOMPARE(scopeviz::app::runHeadless(o, out, err), int(ExitDataError));
        QVERIFY2(err.str().find("--expand: no scope named 'nosuch'") != std::string::npos, err.str().c_str());

        std::ostringstream out2, err2;
        o = parseCommandLine(withProgram({"--demo", "seed", "--print-tree", "--select", "my_net/nope"})).options;
        QCOMPARE(scopeviz::app::runHeadless(o, out2, err2), int(ExitDataError));
        QVERIFY2(err2.str().find("--select: no op, variable or scope named 'my_net/nope'") != std::string::npos,
                 err2.str().c_str());
        QVERIFY(out2.str().empty()); // nothing printed for a command that failed

        std::ostringstream out3, err3;
        o = parseCommandLine(withProgram({"--demo", "seed", "--print-tree", "--select", "my_net/weights", "--expand", "my_net"})).options;
        QCOMPARE(scopeviz::app::runHeadless(o, out3, err3), 0);
        QVERIFY(out3.str().find("my_net/") != std::string::npos);
    }

    void seedDemoIsTheGraphTheWindowShows()
    {
        // --list-ops and --print-tree count the same ops as the window's status bar (the init op included).
        std::ostringstream ops, tree, err;
        QCOMPARE(scopeviz::app::runHeadless(parseCommandLine(withProgram({"--demo", "seed", "--list-ops"})).options, ops, err), 0);
        QVERIFY2(ops.str().find("\ninit\tNoOp") != std::string::npos, ops.str().c_str());
        const std::string listed = ops.str();
        const auto lines = std::count(listed.begin(), listed.end(), '\n');
        QCOMPARE(scopeviz::app::runHeadless(parseCommandLine(withProgram({"--demo", "seed", "--print-tree"})).options, tree, err), 0);
        QVERIFY2(tree.str().find("graph: " + std::to_string(lines) + " ops") == 0, tree.str().c_str());
    }

    // ---- the executable ----------------------------------------------------------------------------

    void executableExitStatuses_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("stderrHas");
        QTest::newRow("version") << QStringList{"--version"} << 0 << QString();
        QTest::newRow("steps abc") << QStringList{"--demo", "seed", "--train", "--logdir", QDir::tempPath(), "--steps", "abc"}
                                   << 2 << "--steps: 'abc'";
        QTest::newRow("unknown option") << QStringList{"--no-such-option"} << 2 << "Usage:";
        QTest::newRow("size 10x") << QStringList{"--size", "10x"} << 2 << "--size: '10x'";
        QTest::newRow("missing file") << QStringList{"--print-tree", "/nonexistent/g.pbtxt"} << 1 << "/nonexistent/g.pbtxt";
        QTest::newRow("not a graph") << QStringList{"--list-ops", QStringLiteral(SCOPEVIZ_EXE)} << 1 << "scopeviz: ";
        QTest::newRow("expand unknown") << QStringList{"--layout-stats", "--expand", "nosuch", kRegression} << 1
                                        << "--expand: no scope named 'nosuch'";
        QTest::newRow("list-ops") << QStringList{"--list-ops", kRegression} << 0 << QString();
        QTest::newRow("dump summaries missing") << QStringList{"--dump-summaries", "/nonexistent/run"} << 1
                                                << "/nonexistent/run";
    }

    void dumpSummaries()
    {
        const QString events = QString::fromStdString(scopeviz::testing::testDataDir()) + QStringLiteral("/events/");
        const QString image = events + QStringLiteral("pytorch-summarywriter-graph-image");
        const QString histos = events + QStringLiteral("tensorboardx-histograms");
        const Run r = runScopeviz({"--dump-summaries", image, histos});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + 1 + 10); // header, the image, 10 histograms
        QCOMPARE(lines[0], QStringLiteral("run,tag,step,kind,detail"));
        QCOMPARE(lines[1], image + QStringLiteral(",images,0,image,242x242"));
        QVERIFY2(lines[2].startsWith(histos + QStringLiteral(",hist-")) && lines[2].contains(",histogram,"),
                 qPrintable(lines[2]));
        // --dump-scalars is unchanged: the image file has no scalars.
        const Run s = runScopeviz({"--dump-scalars", image});
        QCOMPARE(s.exitCode, 0);
        QCOMPARE(s.out, QStringLiteral("run,tag,step,wall_time,value\n"));
    }

    void executableExitStatuses()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, stderrHas);
        const Run r = runScopeviz(args);
        QVERIFY2(r.exitCode == exitCode,
                 qPrintable(QStringLiteral("exit %1, expected %2; stderr: %3").arg(r.exitCode).arg(exitCode).arg(r.err)));
        if (!stderrHas.isEmpty())
            QVERIFY2(r.err.contains(stderrHas), qPrintable(r.err));
        if (exitCode == 0 && args.first() == QLatin1String("--version"))
            QCOMPARE(r.out, QStringLiteral("scopeviz " SCOPEVIZ_EXPECTED_VERSION "\n"));
        if (exitCode == 0 && args.first() == QLatin1String("--list-ops"))
            QVERIFY(r.out.count('\n') == 109); // one line per op of the 109-node graph
    }

    void headlessCommandsOnAScript()
    {
#ifndef SCOPEVIZ_PYTHON_DIR
        QSKIP("built without the Python module (SCOPEVIZ_BUILD_PYTHON=OFF)");
#else
        // `scopeviz lesson.py --list-ops` prints the graph the script built, with no FileWriter in it;
        // the script's own prints go to stderr so that the listing stays clean.
        QTemporaryDir tmp;
        auto script = [&tmp](const char* name, const QByteArray& text) {
            QFile f(tmp.filePath(QString::fromLatin1(name)));
            if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
                return QString();
            return f.fileName();
        };
        const QString lesson = script("lesson.py", "import scopeviz.compat.v1 as tf\n"
                                                   "with tf.variable_scope('vs'):\n    tf.constant(1.0, name='c2')\n"
                                                   "with tf.variable_scope('vs', reuse=True):\n    tf.constant(1.0, name='c3')\n"
                                                   "print('lesson done')\n");
        Run r = runScopeviz({lesson, "--list-ops"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out, QStringLiteral("vs/c2\tConst\t\nvs_1/c3\tConst\t\n"));
        QVERIFY(r.err.contains("lesson done"));
        r = runScopeviz({lesson, "--print-tree"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("vs_1/"), qPrintable(r.out));
        // "Why this name?" from the script's trace, with its line numbers (the inspector shows the same text).
        r = runScopeviz({lesson, "--explain", "vs_1/c3"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out, QStringLiteral("`vs_1/c3`: the Const op `c3` in the name scope `vs_1/`.\n"
                                       "`vs_1/`: variable_scope('vs') with reuse=True at line 4 opened the name scope "
                                       "`vs_1`, because line 2 had already used `vs`.\n"));
        r = runScopeviz({lesson, "--explain", "vs_9"});
        QCOMPARE(r.exitCode, int(ExitDataError));
        QVERIFY2(r.err.contains("--explain: no op or scope named 'vs_9'"), qPrintable(r.err));

        // An error half-way: what was built before it is kept and said to be partial.
        const QString failing = script("failing.py", "import scopeviz.compat.v1 as tf\n"
                                                     "tf.constant(1.0, name='before')\nraise RuntimeError('boom')\n");
        r = runScopeviz({failing, "--list-ops"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out, QStringLiteral("before\tConst\t\n"));
        QVERIFY(r.err.contains("RuntimeError: boom"));
        QVERIFY(r.err.contains("stopped with exit code 1; this is the graph it built before that"));

        // Nothing built: said, with exit status 1.
        const QString empty = script("empty.py", "print('no ops')\n");
        r = runScopeviz({empty, "--list-ops"});
        QCOMPARE(r.exitCode, int(ExitDataError));
        QVERIFY2(r.err.contains("built no graph"), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
#endif
    }

    void onnxModelsOnTheCommandLine()
    {
        // tests/data/onnx/SOURCES.md: PyTorch exports, as --print-tree shows them.
        const QString dir = QString::fromStdString(scopeviz::testing::testDataDir()) + QStringLiteral("/onnx/");
        Run r = runScopeviz({"--print-tree", dir + "resnet18.onnx"});
        QCOMPARE(r.exitCode, 0);
        QStringList top; // the top-level scope rows, "conv1/  3 ops  [variable scope]"
        for (const QString& line : r.out.split('\n'))
            if (!line.startsWith(' ') && line.contains(QLatin1String("/  ")))
                top << line.section('/', 0, 0);
        QCOMPARE(top, (QStringList{"conv1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool", "fc"}));
        QVERIFY2(r.out.startsWith(QLatin1String("graph: 93 ops, 55 scopes, 26 variables (0 shared")), qPrintable(r.out));
        QVERIFY(r.out.contains(QLatin1String("\n  onnx::Conv_193  VariableV2  [read in conv1/]")));

        r = runScopeviz({"--print-tree", dir + "tied_lm.onnx"});
        QVERIFY(r.out.contains(QLatin1String("embed.weight  VariableV2  [read in embed/, lm_head/]  [shared: 2 scopes]")));
        r = runScopeviz({"--print-tree", dir + "siamese.onnx"});
        QVERIFY2(r.out.contains(QLatin1String("encoder.fc1.weight  VariableV2  [read in encoder/fc1/, encoder_1/]  [shared: 2 scopes]")),
                 qPrintable(r.out));
        r = runScopeviz({"--print-tree", dir + "vit_b_16.onnx"});
        QVERIFY(r.out.contains(QLatin1String("encoder_layer_[0-11]/  [series x12]")));

        // A model the checker rejects opens, and the checker's message reaches stderr.
        r = runScopeviz({"--list-ops", dir + "checker_fails.onnx"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains(QLatin1String("scopeviz: warning: onnx checker: Nodes in a graph must be topologically sorted")),
                 qPrintable(r.err));
        QCOMPARE(r.out, QStringLiteral("x\tPlaceholder\t\nrelu\tRelu\tx\nadd\tAdd\th,missing\ny\tGraphOutput\ty\n"));

        // --select takes a parameter by its place in the tree; --layout-stats lays the model out.
        r = runScopeviz({"--layout-stats", "--expand", "encoder", "--select", "encoder/fc1/encoder.fc1.weight",
                         dir + "siamese.onnx"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QLatin1String("layout:")));
        // ... or by the name the model file gives it.
        r = runScopeviz({"--layout-stats", "--select", "embed.weight", dir + "tied_lm.onnx"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runScopeviz({"--layout-stats", "--select", "no.such.weight", dir + "tied_lm.onnx"});
        QCOMPARE(r.exitCode, 1);
    }

    void screenshotWithAnUnknownScopeFails()
    {
        // The window path: the name is checked once the graph is loaded; a screenshot run exits 1.
        QTemporaryDir tmp;
        const QString shot = tmp.filePath("s.png");
        const Run r = runScopeviz({"--demo", "seed", "--screenshot", shot, "--expand", "my_net,no_such_scope"});
        QVERIFY2(r.exitCode == ExitDataError, qPrintable(QStringLiteral("exit %1: %2").arg(r.exitCode).arg(r.err)));
        QVERIFY2(r.err.contains("--expand: no scope named 'no_such_scope'"), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(shot));
    }
};

QTEST_GUILESS_MAIN(CliTest)
#include "cli_test.moc"
