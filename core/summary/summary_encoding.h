#pragma once
// Building serialized `Summary` messages: a scalar, a TF1-style histogram, and
// TensorFlow's merge of several summaries into one.
#include "core/tensor/tensor.h"
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

/// TF1's ImageSummary default bad_color: opaque red, {255, 0, 0, 255}.
const std::vector<uint8_t>& defaultImageBadColor();

/// TF1's ImageSummary (summary_image_op.cc) over a [batch, height, width,
/// depth] tensor of uint8, float or double with depth 1, 3 or 4: one PNG
/// `Summary.Image` per image for the first min(maxImages, batch) images, tagged
/// "<tag>/image/<i>" when maxImages > 1 and "<tag>/image" when it is 1. uint8
/// pixels are written as they are; float and double images are normalised per
/// image by normalizeFloatImage, non-finite pixels painted `badColor`.
/// Fails with TensorFlow 1.15's texts: "Tensor must be 4-D with last dim 1, 3,
/// or 4, not [2,3]", "expected depth <= bad_color.size, ...", and "PNG encoding
/// failed" (followed by the reason) for an image of height or width 0.
Expected<std::string> encodeImageSummary(std::string_view tag, const Tensor& images, int64_t maxImages,
                                         std::span<const uint8_t> badColor);

/// TF1's AudioSummaryV2 (summary_audio_op.cc) over a float [batch, frames] or
/// [batch, frames, channels] tensor: one 16-bit PCM WAV `Summary.Audio`
/// (sample_rate, num_channels, length_frames, content_type "audio/wav") per
/// clip for the first min(maxOutputs, batch) clips, tagged "<tag>/audio/<i>"
/// when maxOutputs > 1 and "<tag>/audio" when it is 1. The WAV's rate is
/// lrintf(sampleRate), at least 1. Fails with "Tensor must be 3-D or 2-D, got:
/// [...]", "sample_rate must be > 0", "max_outputs must be > 0".
Expected<std::string> encodeAudioSummary(std::string_view tag, const Tensor& audio, float sampleRate,
                                         int64_t maxOutputs);

/// TF's TensorSummaryV2: one value {tag, tensor, metadata}; a string tensor goes
/// into string_val, any other into tensor_content. `serializedMetadata` is a
/// serialized SummaryMetadata; fails with "Could not parse
/// serialized_summary_metadata" when it is not one.
Expected<std::string> encodeTensorSummary(std::string_view tag, const Tensor& tensor,
                                          std::string_view serializedMetadata);
/// A serialized SummaryMetadata naming only a plugin (tf.summary.text: "text").
std::string pluginMetadata(std::string_view pluginName);

/// Concatenates the values of several serialized Summary messages (tf.summary.merge).
/// Fails with "Duplicate tag <tag> found in summary inputs" when a tag repeats,
/// or "Could not parse one of the summary inputs".
Expected<std::string> mergeSummaries(const std::vector<std::string>& serializedSummaries);

} // namespace scopeviz
