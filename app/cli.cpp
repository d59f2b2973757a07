#include "app/cli.h"

#include "core/demo/seed_demo.h"
#include "core/demo/seed_run.h"
#include "core/graph/graph.h"
#include "core/hierarchy/explain.h"
#include "core/hierarchy/scope_tree.h"
#include "core/hierarchy/tree_report.h"
#include "core/io/graphdef_io.h"
#include "core/io/trace_text.h"
#include "core/summary/scalar_csv.h"
#include "core/util/error.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QRegularExpression>

#include <fstream>
#include <iostream>
#include <memory>

namespace scopeviz::app {
namespace {

/// Loads the graph the options name: the seed demo, or a graph/event file.
std::unique_ptr<Graph> loadGraph(const Options& o, std::ostream& err)
{
    auto g = std::make_unique<Graph>();
    if (o.paths.isEmpty() || o.demo == "seed") {
        demo::buildSeedDemoGraph(*g);
        return g;
    }
    const std::string path = o.paths.first().toStdString();
    auto r = importGraphFile(path, *g);
    if (!r.ok()) {
        err << "scopeviz: " << r.error() << '\n';
        return nullptr;
    }
    for (const std::string& w : r->warnings)
        err << "scopeviz: warning: " << w << '\n';
    if (!o.traceFile.isEmpty()) { // a script's graph: the story of its names travels beside it
        std::ifstream in(o.traceFile.toStdString(), std::ios::binary);
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (in.is_open()) {
            const TraceTextResult t = readTraceText(text, *g, o.traceFile.toStdString());
            if (!t.error.empty())
                err << "scopeviz: warning: " << t.error << " (" << t.events << " events before it kept)\n";
        }
    }
    return g;
}

/// A whole number in [lo, hi] written in decimal, or nothing.
std::optional<long long> wholeNumber(const QString& text, long long lo, long long hi)
{
    bool ok = false;
    const long long v = text.trimmed().toLongLong(&ok, 10);
    if (!ok || v < lo || v > hi)
        return std::nullopt;
    return v;
}

std::string quoted(const QString& s) { return "'" + s.toStdString() + "'"; }

/// The options of every mode that names a graph (not --train, not --dump-scalars/--dump-summaries).
bool namesAGraph(const Options& o) { return !o.train && !o.dumpScalars && !o.dumpSummaries; }

} // namespace

const char* version() { return SCOPEVIZ_VERSION; }

hierarchy::ExpansionState expansionOf(const hierarchy::ScopeTree& tree, const Options& o)
{
    if (o.expand.isEmpty())
        return {};
    return hierarchy::expansionFromArguments(tree, {o.expand.toStdString()});
}

std::string checkNames(const Graph& g, const hierarchy::ScopeTree& tree, const Options& o)
{
    if (!o.expand.isEmpty()) {
        std::vector<std::string> unknown;
        hierarchy::expansionFromArguments(tree, {o.expand.toStdString()}, &unknown);
        if (!unknown.empty())
            return "--expand: no scope named '" + unknown.front() + "' in the graph";
    }
    if (!o.select.isEmpty()) {
        const std::string n = o.select.toStdString();
        if (tree.findScope(n) <= hierarchy::RootScope && !findOpOrImportedName(g, n))
            return "--select: no op, variable or scope named '" + n + "' in the graph";
    }
    return {};
}

ParsedCommandLine parseCommandLine(const QStringList& arguments)
{
    QCommandLineParser p;
    p.setApplicationDescription("scopeviz: see TensorFlow 1.x name scopes, variable scopes and shared variables, "
                                "and watch training curves live.");
    const QCommandLineOption help = p.addHelpOption();
    const QCommandLineOption versionOption = p.addVersionOption();
    p.addPositionalArgument("path", "Graph (.pb, .pbtxt, .meta), ONNX model (.onnx), event file, log directory, or Python script.",
                            "[path...]");
    p.addOptions({
        {"demo", "Open a built-in demo (seed).", "name"},
        {"list-ops", "Print one line per op: name<TAB>type<TAB>inputs (control inputs as ^name)."},
        {"print-tree", "Print the scope tree with op counts and shared-variable marks."},
        {"train", "Train the demo headless (with --logdir and --steps)."},
        {"logdir", "Log directory for --train.", "dir"},
        {"steps", "Training steps, 1 or more (default 300).", "n", "300"},
        {"dump-scalars", "Print every scalar of the given event files or log directories as CSV."},
        {"dump-summaries", "Print every summary value (scalar, histogram, image, audio, text, tensor) of the given "
                           "event files or log directories as CSV: run,tag,step,kind,detail."},
        {"layout-stats", "Lay out the graph and print the layout time and box count."},
        {"explain", "Print why an op, scope or variable has its name (from the script's trace where there is one).",
         "name"},
        {"expand", "Scopes to expand: 'all' or a comma-separated list.", "scopes"},
        {"export", "Export the graph view to an SVG or PNG file and exit.", "file"},
        {"screenshot", "Save a screenshot of the window after start-up and exit.", "file"},
        {"after", "Delay before --screenshot, in milliseconds (0 or more).", "ms", "0"},
        {"select", "Select (and reveal) the op or scope with this full name.", "name"},
        {"replay-step", "Open the Replay dock at event K of the graph's construction (0 or more).", "k"},
        {"dashboard", "Raise a dashboard beside Scalars: histograms, distributions, images, audio or text.", "name"},
        {"step", "Show images, audio and text at this step (the value at or before it) instead of the newest.", "n"},
        {"watch", "Re-run a Python script whenever it is saved."},
        {"dark", "Use the dark palette."},
        {"size", "Window size, e.g. 1600x1000 (for screenshots).", "WxH"},
    });

    ParsedCommandLine r;
    const std::string usage = p.helpText().toStdString();
    auto fail = [&r, &usage](int code, const std::string& message) {
        r.exitCode = code;
        r.err = "scopeviz: " + message + "\n";
        if (code == ExitUsage)
            r.err += "\n" + usage;
        return r;
    };
    if (!p.parse(arguments))
        return fail(ExitUsage, p.errorText().toStdString());
    if (p.isSet(help)) {
        r.exitCode = ExitOk;
        r.out = usage;
        return r;
    }
    if (p.isSet(versionOption)) {
        r.exitCode = ExitOk;
        r.out = std::string("scopeviz ") + version() + "\n";
        return r;
    }

    Options& o = r.options;
    o.paths = p.positionalArguments();
    o.demo = p.value("demo");
    o.listOps = p.isSet("list-ops");
    o.printTree = p.isSet("print-tree");
    o.train = p.isSet("train");
    o.logdir = p.value("logdir");
    o.dumpScalars = p.isSet("dump-scalars");
    o.dumpSummaries = p.isSet("dump-summaries");
    o.layoutStats = p.isSet("layout-stats");
    o.explain = p.value("explain");
    o.expand = p.value("expand");
    o.select = p.value("select");
    o.exportPath = p.value("export");
    o.screenshot = p.value("screenshot");
    o.watch = p.isSet("watch");
    o.dark = p.isSet("dark");

    // Values, each named with its option.
    if (const auto n = wholeNumber(p.value("steps"), 1, 1'000'000'000))
        o.steps = int(*n);
    else
        return fail(ExitUsage, "--steps: " + quoted(p.value("steps")) + " is not a whole number of steps from 1 to 1000000000");
    if (const auto n = wholeNumber(p.value("after"), 0, 3'600'000))
        o.afterMs = int(*n);
    else
        return fail(ExitUsage, "--after: " + quoted(p.value("after")) + " is not a whole number of milliseconds from 0 to 3600000");
    if (p.isSet("replay-step")) {
        if (const auto n = wholeNumber(p.value("replay-step"), 0, 1'000'000'000))
            o.replayStep = int(*n);
        else
            return fail(ExitUsage, "--replay-step: " + quoted(p.value("replay-step")) +
                                       " is not a whole number of events from 0 to 1000000000");
    }
    if (p.isSet("size")) {
        static const QRegularExpression wxh(QStringLiteral("^\\s*(\\d{1,5})\\s*[xX]\\s*(\\d{1,5})\\s*$"));
        const QRegularExpressionMatch m = wxh.match(p.value("size"));
        const int w = m.hasMatch() ? m.captured(1).toInt() : 0, h = m.hasMatch() ? m.captured(2).toInt() : 0;
        if (w < 200 || h < 150 || w > 16384 || h > 16384)
            return fail(ExitUsage, "--size: " + quoted(p.value("size")) +
                                       " is not a window size WxH from 200x150 to 16384x16384 (e.g. 1600x1000)");
        o.size = QSize(w, h);
    }
    if (p.isSet("step")) {
        if (const auto n = wholeNumber(p.value("step"), 0, std::numeric_limits<int64_t>::max()))
            o.step = int64_t(*n);
        else
            return fail(ExitUsage, "--step: " + quoted(p.value("step")) + " is not a step (a whole number, 0 or more)");
    }
    if (p.isSet("dashboard")) {
        static const QStringList boards = {"scalars", "histograms", "distributions", "images", "audio", "text"};
        o.dashboard = p.value("dashboard").trimmed().toLower();
        if (!boards.contains(o.dashboard))
            return fail(ExitUsage, "--dashboard: " + quoted(p.value("dashboard")) +
                                       " is not a dashboard (scalars, histograms, distributions, images, audio, text)");
    }
    if (p.isSet("demo") && o.demo != "seed")
        return fail(ExitUsage, "--demo: " + quoted(o.demo) + " is not a demo (the one demo is 'seed')");
    if (p.isSet("expand") && o.expand.trimmed().isEmpty())
        return fail(ExitUsage, "--expand: needs 'all' or a comma-separated list of scopes");
    if (p.isSet("explain") && o.explain.trimmed().isEmpty())
        return fail(ExitUsage, "--explain: needs the full name of an op, variable or scope");
    if (p.isSet("select") && o.select.trimmed().isEmpty())
        return fail(ExitUsage, "--select: needs the full name of an op, variable or scope");
    for (const char* name : {"export", "screenshot", "logdir"})
        if (p.isSet(name) && p.value(name).trimmed().isEmpty())
            return fail(ExitUsage, std::string("--") + name + ": needs a file name");
    if (!o.exportPath.isEmpty()) {
        const QString suffix = QFileInfo(o.exportPath).suffix().toLower();
        if (suffix != "svg" && suffix != "png")
            return fail(ExitUsage, "--export: " + quoted(o.exportPath) + " must end in .svg or .png");
    }

    // Options that do not combine.
    const int modes = int(o.listOps) + int(o.printTree) + int(o.train) + int(o.dumpScalars) + int(o.dumpSummaries) +
                      int(o.layoutStats) +
                      int(!o.explain.isEmpty()) + int(!o.exportPath.isEmpty()) + int(!o.screenshot.isEmpty());
    if (modes > 1)
        return fail(ExitUsage, "choose one of --list-ops, --print-tree, --train, --dump-scalars, --dump-summaries, "
                               "--layout-stats, "
                               "--explain, --export and --screenshot");
    if (p.isSet("logdir") && !o.train)
        return fail(ExitUsage, "--logdir: only used with --train");
    if (o.train && o.logdir.isEmpty())
        return fail(ExitUsage, "--train: needs --logdir DIR");
    if (o.train && !o.paths.isEmpty())
        return fail(ExitUsage, "--train: trains the seed demo and takes no path (got " + quoted(o.paths.first()) + ")");
    if (o.dumpScalars && o.paths.isEmpty())
        return fail(ExitUsage, "--dump-scalars: needs event files or log directories");
    if (o.dumpSummaries && o.paths.isEmpty())
        return fail(ExitUsage, "--dump-summaries: needs event files or log directories");
    if (!o.dumpScalars && !o.dumpSummaries && o.paths.size() > 1)
        return fail(ExitUsage, "opens one path at a time (got " + std::to_string(o.paths.size()) +
                                   "); only --dump-scalars and --dump-summaries take several");
    if (p.isSet("demo") && !o.paths.isEmpty())
        return fail(ExitUsage, "--demo: opens the demo, not " + quoted(o.paths.first()));
    if (o.watch && (o.paths.isEmpty() || !o.paths.first().endsWith(".py")))
        return fail(ExitUsage, "--watch: only for a Python script (scopeviz script.py --watch)");
    if (!namesAGraph(o) && (p.isSet("expand") || p.isSet("select")))
        return fail(ExitUsage, std::string(p.isSet("expand") ? "--expand" : "--select") +
                                   ": not used with --train, --dump-scalars or --dump-summaries");

    // Files last: the command line is right, the world may not be.
    for (const QString& path : o.paths)
        if (!QFileInfo::exists(path))
            return fail(ExitDataError, path.toStdString() + ": no such file or directory");
    return r;
}

bool isHeadless(const Options& o)
{
    return o.listOps || o.printTree || o.train || o.dumpScalars || o.dumpSummaries || o.layoutStats || !o.explain.isEmpty();
}

int runHeadless(const Options& o, std::ostream& out, std::ostream& err)
{
    try {
        if (o.train) {
            demo::SeedRunOptions r;
            r.logdir = o.logdir.toStdString();
            r.steps = o.steps;
            return demo::runSeedTrainingCli(r, out, err);
        }
        if (o.dumpScalars || o.dumpSummaries) {
            std::vector<std::string> paths;
            for (const QString& p : o.paths)
                paths.push_back(p.toStdString());
            if (paths.empty()) {
                err << "scopeviz: " << (o.dumpScalars ? "--dump-scalars" : "--dump-summaries")
                    << " needs event files or log directories\n";
                return 2;
            }
            auto r = o.dumpScalars ? dumpScalarsCsv(paths, out, err) : dumpSummariesCsv(paths, out, err);
            return r.ok() ? 0 : 1;
        }
        auto g = loadGraph(o, err);
        if (!g)
            return ExitDataError;
        std::shared_ptr<const hierarchy::ScopeTree> tree;
        if (o.printTree || o.layoutStats || !o.expand.isEmpty() || !o.select.isEmpty())
            tree = hierarchy::buildScopeTree(*g);
        if (tree) {
            if (const std::string bad = checkNames(*g, *tree, o); !bad.empty()) {
                err << "scopeviz: " << bad << '\n';
                return ExitDataError;
            }
        }
        if (o.listOps) {
            listOps(*g, out);
            return 0;
        }
        if (!o.explain.isEmpty()) {
            const hierarchy::Explanation ex = hierarchy::explainName(*g, o.explain.trimmed().toStdString());
            if (!ex.found) {
                err << "scopeviz: --explain: " << ex.text << '\n';
                return ExitDataError;
            }
            out << ex.text << '\n';
            return 0;
        }
        if (o.printTree) {
            hierarchy::printTree(*hierarchy::VariableIndex::build(*g, tree), out);
            return 0;
        }
        if (o.layoutStats) {
            std::vector<std::string> args;
            if (!o.expand.isEmpty())
                args.push_back(o.expand.toStdString());
            auto report = hierarchy::layoutStats(*tree, args, out);
            return report.unknownScopes.empty() ? 0 : 1;
        }
        return ExitUsage;
    } catch (const Error& e) {
        err << "scopeviz: " << e.what() << '\n';
        return 1;
    }
}

} // namespace scopeviz::app
