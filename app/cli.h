#pragma once
// Headless commands of the scopeviz executable. Each returns a process exit
// code and writes to the given streams; none needs a display.
#include <QSize>
#include <QStringList>

#include <iosfwd>
#include <string>
#include <vector>

namespace scopeviz::app {

/// What the command line asked for (parsed by main.cpp with QCommandLineParser).
struct Options {
    QStringList paths;        ///< positional: graph files, event files, log directories, scripts
    QString demo;             ///< --demo NAME ("seed")
    bool listOps = false;     ///< --list-ops
    bool printTree = false;   ///< --print-tree
    bool train = false;       ///< --train (headless training of the demo)
    QString logdir;           ///< --logdir DIR
    int steps = 300;          ///< --steps N
    bool dumpScalars = false; ///< --dump-scalars
    bool layoutStats = false; ///< --layout-stats
    QString expand;           ///< --expand all|SCOPE,...
    QString exportPath;       ///< --export FILE.svg|png
    QString screenshot;       ///< --screenshot FILE
    int afterMs = 0;          ///< --after MS
    bool watch = false;       ///< --watch (re-run a script when saved)
    bool dark = false;        ///< --dark
    QSize size;               ///< --size WxH (window size; invalid: the default)
};

/// True when the options ask only for headless work (no window).
bool isHeadless(const Options& o);

/// Runs a headless command; returns the exit code.
int runHeadless(const Options& o, std::ostream& out, std::ostream& err);

} // namespace scopeviz::app
