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
#include <QCoreApplication>
#include <QIcon>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <iostream>
#include <string>

using scopeviz::app::Options;

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
    if (const std::string bad = scopeviz::app::checkNames(*doc->graph, *doc->tree, o); !bad.empty()) {
        std::cerr << "scopeviz: " << bad << "\n";
        return scopeviz::app::ExitDataError;
    }
    const auto state = scopeviz::app::expansionOf(*doc->tree, o);
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
    if (!o.expand.isEmpty() || !o.select.isEmpty()) {
        // Applied once, to the first document shown (after the window has handed it to the graph). A name
        // that is not in the graph is an error: shown in the window, and with --screenshot the exit status.
        auto applied = std::make_shared<bool>(false);
        QObject::connect(&window, &scopeviz::ui::MainWindow::documentChanged, &window,
                         [&window, &o, applied](scopeviz::ui::DocumentPtr doc) {
                             if (*applied || !doc)
                                 return;
                             *applied = true;
                             if (const std::string bad = scopeviz::app::checkNames(*doc->graph, *doc->tree, o);
                                 !bad.empty()) {
                                 std::cerr << "scopeviz: " << bad << "\n";
                                 window.showError(QString::fromStdString(bad));
                                 if (!o.screenshot.isEmpty()) // queued: the event loop may not run yet
                                     QMetaObject::invokeMethod(
                                         qApp, [] { QApplication::exit(scopeviz::app::ExitDataError); },
                                         Qt::QueuedConnection);
                             }
                             if (!o.expand.isEmpty())
                                 window.graphView()->setExpansion(scopeviz::app::expansionOf(*doc->tree, o));
                             if (!o.select.isEmpty())
                                 window.selectByName(o.select);
                         });
    }
    if (o.replayStep >= 0)
        window.showReplayStep(o.replayStep); // kept for the document to come, and as a script's graph grows
    if (o.step >= 0)
        window.setSummaryStep(o.step);
    if (!o.dashboard.isEmpty() && o.dashboard != "scalars") {
        static const QStringList boards = {"histograms", "distributions", "images", "audio", "text"};
        window.showSummaryDashboard(int(boards.indexOf(o.dashboard)));
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
    QCoreApplication::setApplicationVersion(scopeviz::app::version());
    Options o;
    {
        // Parse with a core application only: headless commands need no display.
        QCoreApplication core(argc, argv);
        const scopeviz::app::ParsedCommandLine parsed = scopeviz::app::parseCommandLine(QCoreApplication::arguments());
        std::cout << parsed.out;
        std::cerr << parsed.err;
        if (parsed.exitCode >= 0)
            return parsed.exitCode;
        o = parsed.options;
        if (scopeviz::app::isHeadless(o)) {
            // A script's graph for --list-ops, --print-tree, ...: the script runs to its end and the
            // module writes what it built; the command then reads that as it reads any GraphDef.
            QTemporaryDir scratch;
            if (!o.paths.isEmpty() && o.paths.first().endsWith(".py") && !o.train && !o.dumpScalars && !o.dumpSummaries) {
                const QString script = o.paths.first();
                const QString graph = scratch.filePath("graph.pb");
                QString error;
                const int code = scopeviz::ui::ScriptRunner::runForGraph(
                    script, scopeviz::ui::ScriptRunner::modulePath(), graph, &error);
                if (code != 0 && !QFileInfo::exists(graph)) {
                    std::cerr << "scopeviz: " << script.toStdString() << ": "
                              << (error.isEmpty() ? "stopped with exit code " + std::to_string(code) : error.toStdString())
                              << "\n";
                    return 1;
                }
                if (!QFileInfo::exists(graph)) {
                    std::cerr << "scopeviz: " << script.toStdString() << " built no graph (no op was created)\n";
                    return scopeviz::app::ExitDataError;
                }
                if (code != 0) // what it built before the error is kept, and said to be partial
                    std::cerr << "scopeviz: warning: " << script.toStdString() << " stopped with exit code " << code
                              << "; this is the graph it built before that\n";
                o.paths.first() = graph;
                if (QFileInfo::exists(graph + ".trace"))
                    o.traceFile = graph + ".trace";
            }
            return scopeviz::app::runHeadless(o, std::cout, std::cerr);
        }
    }
    return runGui(argc, argv, o);
}
