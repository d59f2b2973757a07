#pragma once
// Run comparison: runs grouped by a regex (seeds of one configuration), drawn
// as the mean with a min-max or +-std band, computed on the full data.
//
// Alignment by step: the union of the members' steps is walked in order; at
// each step every member whose step range covers it contributes its value
// there (the last finite value logged at that step) or, between two of its
// points, the linear interpolation of its neighbouring finite points. So runs
// that log at different cadences still average sensibly, and nothing is
// extrapolated past a member's first or last step. Non-finite values are
// skipped. The relative wall time is aligned the same way (the mean over the
// contributing members of wall - member's first wall), for time axes.
#include "ui/scalars/scalar_series.h"

#include <QRegularExpression>
#include <QString>

#include <vector>

namespace scopeviz::ui {

/// How the band around a group's mean is computed.
enum class BandMode { MinMax, StdDev };

/// The group a run belongs to: the regex's first capture group when it has one,
/// else the run name with the match removed (e.g. `_seed\d+`); the run name when it does not match.
QString runGroupKey(const QString& run, const QRegularExpression& re);

/// Mean and band of a group of runs for one tag, as three series on the union of steps.
struct RunAggregate {
    ScalarSeries mean;  ///< wall column: mean relative time (wall - member's first wall)
    ScalarSeries lower; ///< min, or mean - std
    ScalarSeries upper; ///< max, or mean + std
    int members = 0;    ///< number of runs aggregated
};

/// One member of a group: its series and its run's first wall time.
struct AggregateMember {
    const ScalarSeries* series = nullptr;
    double firstWall = 0;
};

/// Aggregates members aligned by step into `out` (replaced).
void aggregateRuns(const std::vector<AggregateMember>& members, BandMode band, RunAggregate& out);

} // namespace scopeviz::ui
