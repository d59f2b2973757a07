// scopeviz: makes scoped computation graphs visible.
// The command line is parsed before any QApplication exists, so headless
// commands (--list-ops, --print-tree, --train, --dump-scalars, ...) never
// need a display; everything else opens the window.
#include "app/cli.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <iostream>

using scopeviz::app::Options;

namespace {

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
        {"watch", "Re-run a Python script whenever it is saved."},
        {"dark", "Use the dark palette."},
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
    o.watch = p.isSet("watch");
    o.dark = p.isSet("dark");
    return o;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication::setApplicationName("scopeviz");
    QCoreApplication::setOrganizationName("scopeviz");
    QCoreApplication::setApplicationVersion("0.1.0");
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    Options o = parse(QCoreApplication::arguments(), parser);
    if (scopeviz::app::isHeadless(o))
        return scopeviz::app::runHeadless(o, std::cout, std::cerr);
    // The window arrives with the graph explorer; until then, print the seed demo's ops.
    Options listing = o;
    listing.listOps = true;
    return scopeviz::app::runHeadless(listing, std::cout, std::cerr);
}
