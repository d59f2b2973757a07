#pragma once
// Sweep-size log directories (issue 19): many runs opened in the dashboard through the live feed.
#include <QString>

namespace scopeviz::bench {

/// Writes a sweep of `runs` runs x `tags` tags x `steps` steps into `dir` with EventWriter (one scalar
/// per event, as TF1 writes them); returns the bytes written.
long long writeSweep(const QString& dir, int runs, int tags, int steps);

/// 1,000 runs x 10 tags x 1,000 steps (--quick: 200 x 10 x 500): open to first paint, all points
/// loaded (MB/s), worst GUI-thread stall, idle CPU while following, append-to-paint latency.
void benchSweepOpen(bool quick);

/// 10,000 runs x 2 tags x 100 steps (--quick: 3,000 runs): first paint and the run-list operations
/// (filter by regex, all, none).
void benchSweepRunList(bool quick);

/// Opens `dir` in a dashboard (through the feed, as the window does) and saves `out` (.png): as it
/// opens, then with runs grouped by `groupRegex` (out_grouped.png), then with two runs selected
/// (out_selected.png).
void sweepScreenshots(const QString& dir, const QString& out, const QString& groupRegex);

} // namespace scopeviz::bench
