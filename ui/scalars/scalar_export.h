#pragma once
// Data export of scalar curves: every stored point, never a sample.
//
// CSV: header `run,tag,step,wall_time,value`, one line per point, RFC 4180
// quoting; NaN and infinities written as `nan`, `inf`, `-inf` (what pandas and
// numpy read back). JSON: {"series": [{"run", "tag", "step": [...],
// "wall_time": [...], "value": [...]}]} with non-finite values as the strings
// "NaN", "Infinity", "-Infinity" (JSON has no such numbers). Numbers are the
// shortest text that reads back to the same value; a value logged as float32
// is printed as the float (0.1, not 0.10000000149011612).
#include "ui/scalars/scalar_store.h"

#include <ostream>
#include <string>
#include <vector>

namespace scopeviz::ui {

/// Writes every point of the given series ids as CSV.
void writeCsv(std::ostream& os, const ScalarStore& store, const std::vector<int>& seriesIds);
/// Writes every point of the given series ids as JSON.
void writeJson(std::ostream& os, const ScalarStore& store, const std::vector<int>& seriesIds);
/// Shortest round-trip text of point i's value (nan, inf, -inf for non-finite).
std::string formatScalarValue(const ScalarSeries& s, std::size_t i);

} // namespace scopeviz::ui
