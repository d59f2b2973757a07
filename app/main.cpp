// scopeviz: makes scoped computation graphs visible.
// The command line is parsed before any QApplication exists, so headless
// commands (--list-ops, --print-tree, --train, --dump-scalars, ...) never
// need a display; everything else opens the window.
#include "app/cli.h"

#include "ui/common/theme.h"
#include "ui/graph/graph_view.h"
#include "ui/mainwindow/script_runner.h"
#include "ui/mainwindow/training_controller.h"
#include "ui/mainwindow/live_session.h"
#include "ui/mainwindow/main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QIcon>
#include <QTimer>

#include <algorithm>
#include <iostream>

using scopeviz::app::Options;

namespace {

QString g_select; // --select: GUI-only, so it is not part of the headless Options

Options parse(const QStringList& args, QCommandLineParser& p)
{
    p.setApplicationDescription("scopeviz: see TensorFlow 1.x name scopes, variable scopes and shared variables, "
                                "and watch training curves live.");
    p.addHelpOption();
    p.addVersionOption();
    p.addPositionalArgument("path", "Graph (.pb, .pbtxt, .meta), event file, log directory, or Python script.",
                            "[path...]");
    p.addOptions({
        {"demo", "Open a built-in demo (seed).", "name"},
        {"list-ops", "Print one line per op: name<TAB>type<TAB>inputs (control inputs as ^name)."},
        {"print-tree", "Print the scope tree with op counts and shared-variable marks."},
        {"train", "Train the demo headless (with --logdir and --steps)."},
        {"logdir", "Log directory for --train.", "dir"},
        {"steps", "Training steps for --train (default 300).", "n", "300"},
        {"dump-scalars", "Print every scalar of the given event files or log directories as CSV."},
        {"layout-stats", "Lay out the graph and print the layout time and box count."},
        {"expand", "Scopes to expand: 'all' or a comma-separated list.", "scopes"},
        {"export", "Export the graph view to an SVG or PNG file and exit.", "file"},
        {"screenshot", "Save a screenshot of the window after start-up and exit.", "file"},
        {"after", "Delay before --screenshot, in milliseconds.", "ms", "0"},
        {"select", "Select (and reveal) the op or scope with this full name.", "name"},
        {"watch", "Re-run a Python script whenever it is saved."},
        {"dark", "Use the dark palette."},
        {"size", "Window size, e.g. 1600x1000 (for screenshots).", "WxH"},
    });
    p.process(args);
    Options o;
    o.paths = p.positionalArguments();
    o.demo = p.value("demo");
    o.listOps = p.isSet("list-ops");
    o.printTree = p.isSet("print-tree");
    o.train = p.isSet("train");
    o.logdir = p.value("logdir");
    o.steps = p.value("steps").toInt();
    o.dumpScalars = p.isSet("dump-scalars");
    o.layoutStats = p.isSet("layout-stats");
    o.expand = p.value("expand");
    o.exportPath = p.value("export");
    o.screenshot = p.value("screenshot");
    o.afterMs = p.value("after").toInt();
    g_select = p.value("select");
    o.watch = p.isSet("watch");
    o.dark = p.isSet("dark");
    if (const QStringList wh = p.value("size").split(QLatin1Char('x')); wh.size() == 2)
        o.size = QSize(wh[0].toInt(), wh[1].toInt());
    return o;
}

} // namespace

/// --export: lays the graph out with the requested expansion and writes an SVG or PNG without a window.
int runExport(int argc, char** argv, const Options& o)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    if (o.dark)
        scopeviz::ui::applyTheme(true);
    scopeviz::ui::DocumentPtr doc;
    if (o.paths.isEmpty() || o.demo == "seed") {
        doc = scopeviz::ui::makeSeedDocument();
    } else {
        scopeviz::ui::LoadResult r = scopeviz::ui::loadPath(o.paths.first());
        if (!r.error.isEmpty()) {
            std::cerr << "scopeviz: " << r.error.toStdString() << "\n";
            return 1;
        }
        if (!r.document) {
            std::cerr << "scopeviz: " << o.paths.first().toStdString() << " holds no graph to export\n";
            return 1;
        }
        doc = r.document;
    }
    QStringList unknown;
    auto state = scopeviz::ui::parseExpansion(*doc->tree, o.expand, &unknown);
    for (const QString& u : unknown)
        std::cerr << "scopeviz: warning: no scope named '" << u.toStdString() << "' to expand\n";
    const QString err = scopeviz::ui::exportGraph(doc, o.exportPath, state);
    if (!err.isEmpty()) {
        std::cerr << "scopeviz: " << err.toStdString() << "\n";
        return 1;
    }
    return 0;
}

/// Opens the window on what the options name and, with --screenshot, saves it and quits.
int runGui(int argc, char** argv, const Options& o)
{
    if (!o.exportPath.isEmpty())
        return runExport(argc, argv, o);
    QApplication app(argc, argv);
    QApplication::setApplicationName("scopeviz");
    QApplication::setOrganizationName("scopeviz");
    // The installed desktop entry and icon (resources/desktop): ties windows to the entry on Wayland.
    QGuiApplication::setDesktopFileName("io.github.scopeviz");
    QApplication::setWindowIcon(QIcon::fromTheme("io.github.scopeviz"));
    scopeviz::ui::MainWindow window;
    if (!o.expand.isEmpty() || !g_select.isEmpty()) {
        // Applied once, to the first document shown (after the window has handed it to the graph).
        auto applied = std::make_shared<bool>(false);
        QObject::connect(&window, &scopeviz::ui::MainWindow::documentChanged, &window,
                         [&window, &o, applied](scopeviz::ui::DocumentPtr doc) {
                             if (*applied || !doc)
                                 return;
                             *applied = true;
                             if (!o.expand.isEmpty())
                                 window.graphView()->setExpansion(scopeviz::ui::parseExpansion(*doc->tree, o.expand));
                             if (!g_select.isEmpty() && !window.selectByName(g_select))
                                 window.showError(QStringLiteral("--select: no op or scope named %1").arg(g_select));
                         });
    }
    if (o.dark)
        window.useDarkTheme(true); // palette, message bar and graph colours, for this run only
    if (o.size.isValid() && !o.size.isEmpty())
        window.resize(o.size);
    window.show();
    if (!o.paths.isEmpty() && o.paths.first().endsWith(".py"))
        scopeviz::ui::LiveSession::runScript(&window, o.paths.first(), o.watch);
    else if (o.demo == "seed" && !o.screenshot.isEmpty())
        window.openSeedDemo(); // a still picture of the seed graph
    else if (o.paths.isEmpty())
        scopeviz::ui::LiveSession::trainSeed(&window, o.steps, true); // the seed demo, training live
    else
        window.openPath(o.paths.first());
    if (!o.screenshot.isEmpty()) {
        auto shoot = [&window, &o] {
            if (window.isBusy()) // wait for the document and its layout, then for the first paint
                return false;
            bool ok = window.saveScreenshot(o.screenshot);
            if (!ok)
                std::cerr << "scopeviz: cannot write " << o.screenshot.toStdString() << "\n";
            QApplication::exit(ok ? 0 : 1);
            return true;
        };
        auto* timer = new QTimer(&window);
        timer->setInterval(50);
        QObject::connect(timer, &QTimer::timeout, &window, [shoot, timer] {
            if (shoot())
                timer->stop();
        });
        QTimer::singleShot(std::max(200, o.afterMs), timer, qOverload<>(&QTimer::start));
    }
    return app.exec();
}

int main(int argc, char** argv)
{
    QCoreApplication::setApplicationName("scopeviz");
    QCoreApplication::setOrganizationName("scopeviz");
    QCoreApplication::setApplicationVersion("0.1.0");
    Options o;
    {
        // Parse with a core application only: headless commands need no display.
        QCoreApplication core(argc, argv);
        QCommandLineParser parser;
        o = parse(QCoreApplication::arguments(), parser);
        if (scopeviz::app::isHeadless(o))
            return scopeviz::app::runHeadless(o, std::cout, std::cerr);
    }
    return runGui(argc, argv, o);
}
