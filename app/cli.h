#pragma once
// Headless commands of the scopeviz executable. Each returns a process exit
// code and writes to the given streams; none needs a display.
#include <QSize>
#include <QStringList>

#include <iosfwd>
#include <string>
#include <vector>

#include "core/hierarchy/visible_graph.h"

namespace scopeviz {
class Graph;
} // namespace scopeviz

namespace scopeviz::app {

/// Exit statuses of the executable (documented in the README).
enum ExitCode : int {
    ExitOk = 0,
    ExitDataError = 1, ///< a file is missing, unreadable or not what it should be; a name is not in the graph
    ExitUsage = 2,     ///< the command line itself is wrong: unknown option, bad value, options that do not combine
};

/// What the command line asked for (see parseCommandLine).
struct Options {
    QStringList paths;        ///< positional: graph files, event files, log directories, scripts
    QString demo;             ///< --demo NAME ("seed")
    bool listOps = false;     ///< --list-ops
    bool printTree = false;   ///< --print-tree
    bool train = false;       ///< --train (headless training of the demo)
    QString logdir;           ///< --logdir DIR
    int steps = 300;          ///< --steps N (1 or more)
    bool dumpScalars = false; ///< --dump-scalars
    bool dumpSummaries = false; ///< --dump-summaries
    bool layoutStats = false; ///< --layout-stats
    QString explain;          ///< --explain NAME (headless: why an op, scope or variable has its name)
    QString traceFile;        ///< not an option: the reuse trace beside a script's graph (core/io/trace_text.h)
    QString expand;           ///< --expand all|SCOPE,... (checked against the graph once it is loaded)
    QString select;           ///< --select NAME (likewise)
    QString exportPath;       ///< --export FILE.svg|png
    QString screenshot;       ///< --screenshot FILE
    int afterMs = 0;          ///< --after MS (0 or more)
    int replayStep = -1;      ///< --replay-step K: open the Replay dock at event K (-1: not asked)
    QString dashboard;        ///< --dashboard NAME: raise that dashboard (scalars, histograms, …, text)
    int64_t step = -1;        ///< --step N: images, audio and text at step N (-1: follow the newest)
    bool watch = false;       ///< --watch (re-run a script when saved)
    bool dark = false;        ///< --dark
    QSize size;               ///< --size WxH (window size; invalid: the default)
};

/// The outcome of parsing a command line: options to run with, or an exit status and what to print.
struct ParsedCommandLine {
    Options options;
    int exitCode = -1;     ///< -1: go on with `options`; otherwise exit with this status now
    std::string out;       ///< text for standard output (--help, --version)
    std::string err;       ///< text for standard error (what is wrong, then the usage)
};

/// Parses and validates `arguments` (arguments[0] is the program). Every option with a value is checked
/// here; a bad value names the option and the value and gives ExitUsage; a path that does not exist
/// gives ExitDataError. Scope and op names (--expand, --select) need the graph and are checked later.
ParsedCommandLine parseCommandLine(const QStringList& arguments);

/// The version printed by --version (CMake's project version).
const char* version();

/// Checks the names --expand and --select give against a loaded graph: empty when all are there, or a
/// message naming the option and the first name that is not.
std::string checkNames(const Graph& g, const hierarchy::ScopeTree& tree, const Options& o);

/// The expansion --expand names (the one parser of it is hierarchy::expansionFromArguments).
hierarchy::ExpansionState expansionOf(const hierarchy::ScopeTree& tree, const Options& o);

/// True when the options ask only for headless work (no window).
bool isHeadless(const Options& o);

/// Runs a headless command; returns the exit code.
int runHeadless(const Options& o, std::ostream& out, std::ostream& err);

} // namespace scopeviz::app
