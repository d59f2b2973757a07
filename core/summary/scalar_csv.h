#pragma once
// Dumping every scalar of event files or log directories as CSV.
#include "core/util/expected.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace scopeviz {

/// The header line of scalar CSV, shared by the command line and the GUI's export.
inline constexpr std::string_view kScalarCsvHeader = "run,tag,step,wall_time,value\n";

/// Appends s as one CSV field, quoted as RFC 4180 says when it holds a comma, quote or line break.
void appendCsvField(std::string& out, std::string_view s);
/// Appends a logged scalar value: as the float it is when float32 holds it
/// exactly (0.1, not 0.10000000149011612), else as the double; non-finite
/// values as nan, inf, -inf (what pandas and numpy read back).
void appendScalarValue(std::string& out, double v);
/// Appends one `run,tag,step,wall_time,value` row with its line break.
void appendScalarCsvRow(std::string& out, std::string_view run, std::string_view tag, int64_t step, double wallTime,
                        double value);

/// Writes `run,tag,step,wall_time,value` rows for every scalar point in the
/// given event files / log directories (read with one LogdirWatcher poll each,
/// so TensorBoard's purge rules apply). Runs are named as LogdirWatcher names
/// them; with several paths each run is prefixed by its path ("<path>/<run>",
/// just "<path>" for the logdir's own run or a single file). Fields with
/// commas, quotes or line breaks are quoted; numbers are printed as
/// appendScalarCsvRow prints them (the GUI's CSV export writes the same rows). Problems go to `err`, naming
/// file and offset, while every valid point is still written; the result is
/// an error when there was any.
Expected<void> dumpScalarsCsv(const std::vector<std::string>& paths, std::ostream& out, std::ostream& err);

/// The header line of `--dump-summaries` CSV.
inline constexpr std::string_view kSummaryCsvHeader = "run,tag,step,kind,detail\n";

/// Writes `run,tag,step,kind,detail` rows for every summary value (of any kind:
/// SummaryKind) in the given event files / log directories, in file order per
/// run, runs named as dumpScalarsCsv names them. Problems go to `err` as
/// dumpScalarsCsv reports them, and make the result an error.
Expected<void> dumpSummariesCsv(const std::vector<std::string>& paths, std::ostream& out, std::ostream& err);

} // namespace scopeviz
