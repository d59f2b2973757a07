#pragma once
// Building serialized `Summary` messages: a scalar, a TF1-style histogram, and
// TensorFlow's merge of several summaries into one.
#include "core/util/expected.h"

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace scopeviz {

/// A Summary with one value {tag, simple_value}.
std::string encodeScalarSummary(std::string_view tag, float value);
/// Size of that Summary in bytes.
size_t scalarSummarySize(std::string_view tag);
/// Writes that Summary at p (scalarSummarySize(tag) bytes, no allocation); returns the end.
char* writeScalarSummary(char* p, std::string_view tag, float value);

/// TF1's default histogram bucket limits: -DBL_MAX, the negated exponential
/// limits, 0, then limits from 1e-12 growing by 1.1x while below 1e20, then DBL_MAX.
const std::vector<double>& defaultHistogramBucketLimits();

/// Index of the default bucket that counts v: the first whose limit is
/// greater than v (TensorFlow's rule), so 0.0 counts in the bucket ending at
/// 1e-12 and a value on a limit in the next bucket.
size_t histogramBucketIndex(double v);

/// A Summary with one HistogramProto value over `values`, bucketed with the
/// default limits; runs of empty buckets are merged as TF1 does. Fails with
/// TF's "Nan in summary histogram for: <tag>" when a value is NaN or infinite.
Expected<std::string> encodeHistogramSummary(std::string_view tag, std::span<const double> values);
/// Float overload of encodeHistogramSummary.
Expected<std::string> encodeHistogramSummary(std::string_view tag, std::span<const float> values);

/// Concatenates the values of several serialized Summary messages (tf.summary.merge).
/// Fails with "Duplicate tag <tag> found in summary inputs" when a tag repeats,
/// or "Could not parse one of the summary inputs".
Expected<std::string> mergeSummaries(const std::vector<std::string>& serializedSummaries);

} // namespace scopeviz
