#pragma once
// The media payloads of image and audio summaries: PNG (through libpng, since
// core has no Qt), 16-bit PCM WAV, and TensorFlow 1.x's rule for turning a
// float image into 8-bit pixels.
#include "core/util/expected.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace scopeviz {

/// A PNG of `height` rows of `width` pixels with `channels` 8-bit samples each
/// (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA), row-major and tightly packed; zlib's
/// default compression, as TensorFlow's png::WriteImageToBuffer.
Expected<std::string> encodePng(std::span<const uint8_t> pixels, int width, int height, int channels);

/// A decoded PNG: 8-bit samples, row-major (tests and readers).
struct DecodedPng {
    int width = 0;
    int height = 0;
    int channels = 0;
    std::vector<uint8_t> pixels;
};
/// Decodes an 8-bit PNG with libpng; fails with libpng's message on bad input.
Expected<DecodedPng> decodePng(std::string_view png);

/// A RIFF/WAVE file of 16-bit little-endian PCM: `frames` frames of
/// `channels` interleaved float samples, each clipped to [-1, 1] and scaled by
/// 32768 with rounding (TensorFlow's wav::EncodeAudioAsS16LEWav); NaN is written as 0.
Expected<std::string> encodeWav16(std::span<const float> samples, uint32_t sampleRate, uint16_t channels,
                                  uint64_t frames);

/// TensorFlow 1.x's float-to-uint8 image rule (summary_image_op.cc
/// NormalizeFloatImage) over `pixels` pixels of `depth` channels: min and max
/// are taken over the pixels whose channels are all finite; if min < 0 the
/// values are scaled by 127 / max(|min|, |max|) and offset by 128, otherwise
/// scaled by 255 / max; a scale whose divisor is below 1e-6 is 0. The result
/// is truncated to uint8. A pixel with a non-finite channel gets `badColor`
/// (its first `depth` entries).
void normalizeFloatImage(std::span<const float> values, int depth, std::span<const uint8_t> badColor,
                         std::span<uint8_t> out);
/// Double overload (the arithmetic runs in double, as TensorFlow's for DT_DOUBLE).
void normalizeFloatImage(std::span<const double> values, int depth, std::span<const uint8_t> badColor,
                         std::span<uint8_t> out);

} // namespace scopeviz
