#pragma once
// Dumping every scalar of event files or log directories as CSV.
#include "core/util/expected.h"

#include <ostream>
#include <string>
#include <vector>

namespace scopeviz {

/// Writes `run,tag,step,wall_time,value` rows for every scalar point in the
/// given event files / log directories (read with one LogdirWatcher poll each,
/// so TensorBoard's purge rules apply). Runs are named as LogdirWatcher names
/// them; with several paths each run is prefixed by its path ("<path>/<run>",
/// just "<path>" for the logdir's own run or a single file). Fields with
/// commas, quotes or line breaks are quoted; wall_time is printed with full
/// double precision; values are printed in the shortest form that reads back
/// exactly (as float32 when the value is one). Problems go to `err`, naming
/// file and offset, while every valid point is still written; the result is
/// an error when there was any.
Expected<void> dumpScalarsCsv(const std::vector<std::string>& paths, std::ostream& out, std::ostream& err);

} // namespace scopeviz
