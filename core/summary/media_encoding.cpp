// PNG through libpng's simplified API (png_image, libpng >= 1.6), 16-bit PCM
// WAV written by hand, and TensorFlow 1.x's float image normalisation
// (tensorflow/core/kernels/summary_image_op.cc, NormalizeFloatImage).
#include "core/summary/media_encoding.h"

#include "core/util/strings.h"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace scopeviz {

namespace {

png_uint_32 pngFormat(int channels)
{
    switch (channels) {
    case 1: return PNG_FORMAT_GRAY;
    case 2: return PNG_FORMAT_GA;
    case 3: return PNG_FORMAT_RGB;
    default: return PNG_FORMAT_RGBA;
    }
}

} // namespace

Expected<std::string> encodePng(std::span<const uint8_t> pixels, int width, int height, int channels)
{
    if (channels < 1 || channels > 4)
        return unexpected(cat("PNG encoding failed: ", channels, " channels (expected 1 to 4)"));
    if (width <= 0 || height <= 0)
        return unexpected(cat("PNG encoding failed: empty image ", width, "x", height));
    if (pixels.size() != size_t(width) * size_t(height) * size_t(channels))
        return unexpected(cat("PNG encoding failed: ", pixels.size(), " samples for a ", width, "x", height, "x",
                              channels, " image"));
    png_image image;
    std::memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    image.width = png_uint_32(width);
    image.height = png_uint_32(height);
    image.format = pngFormat(channels);
    const png_int_32 stride = png_int_32(width * channels);
    png_alloc_size_t size = 0;
    // First call: the size only; second call: the bytes.
    if (!png_image_write_to_memory(&image, nullptr, &size, 0, pixels.data(), stride, nullptr))
        return unexpected(cat("PNG encoding failed: ", image.message));
    std::string out(size, '\0');
    if (!png_image_write_to_memory(&image, out.data(), &size, 0, pixels.data(), stride, nullptr))
        return unexpected(cat("PNG encoding failed: ", image.message));
    out.resize(size);
    return out;
}

Expected<DecodedPng> decodePng(std::string_view png)
{
    png_image image;
    std::memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, png.data(), png.size()))
        return unexpected(cat("PNG decoding failed: ", image.message));
    image.format &= ~png_uint_32(PNG_FORMAT_FLAG_LINEAR | PNG_FORMAT_FLAG_COLORMAP); // 8-bit samples
    DecodedPng out;
    out.width = int(image.width);
    out.height = int(image.height);
    out.channels = int(PNG_IMAGE_SAMPLE_CHANNELS(image.format));
    out.pixels.resize(PNG_IMAGE_SIZE(image));
    if (!png_image_finish_read(&image, nullptr, out.pixels.data(), 0, nullptr)) {
        std::string message = image.message;
        png_image_free(&image);
        return unexpected("PNG decoding failed: " + message);
    }
    return out;
}

Expected<std::string> encodeWav16(std::span<const float> samples, uint32_t sampleRate, uint16_t channels,
                                  uint64_t frames)
{
    if (sampleRate == 0)
        return unexpected("sample_rate must be > 0.");
    if (channels == 0)
        return unexpected("num_channels must be > 0.");
    if (samples.size() != frames * channels)
        return unexpected(cat("audio has ", samples.size(), " samples, expected ", frames * channels));
    const uint64_t dataSize = frames * channels * 2;
    if (dataSize + 36 > std::numeric_limits<uint32_t>::max())
        return unexpected(cat("Provided channels and frames cannot be encoded as a WAV."));
    std::string out;
    out.reserve(44 + dataSize);
    auto u32 = [&](uint32_t v) {
        for (int i = 0; i < 4; ++i)
            out += char((v >> (8 * i)) & 0xff);
    };
    auto u16 = [&](uint16_t v) {
        out += char(v & 0xff);
        out += char(v >> 8);
    };
    out += "RIFF";
    u32(uint32_t(36 + dataSize));
    out += "WAVEfmt ";
    u32(16);                       // fmt chunk size
    u16(1);                        // PCM
    u16(channels);                 //
    u32(sampleRate);               //
    u32(sampleRate * channels * 2); // byte rate
    u16(uint16_t(channels * 2));   // block align
    u16(16);                       // bits per sample
    out += "data";
    u32(uint32_t(dataSize));
    for (float s : samples) {
        // TF: round(x * 32768) kept within int16 (so x is in effect clipped to [-1, 1]). TF's
        // conversion of a NaN is undefined; here it is silence.
        const float scaled = std::isnan(s) ? 0.0f : std::clamp(std::round(s * 32768.0f), -32768.0f, 32767.0f);
        u16(uint16_t(int16_t(scaled)));
    }
    return out;
}

namespace {

template <class T>
void normalize(std::span<const T> values, int depth, std::span<const uint8_t> badColor, std::span<uint8_t> out)
{
    const size_t d = size_t(depth);
    const size_t pixels = d ? values.size() / d : 0;
    auto finitePixel = [&](size_t i) {
        for (size_t j = 0; j < d; ++j)
            if (!std::isfinite(values[i * d + j]))
                return false;
        return true;
    };
    // min and max in float over the finite pixels, as TensorFlow does for every type.
    float lo = std::numeric_limits<float>::infinity(), hi = -lo;
    for (size_t i = 0; i < pixels; ++i)
        if (finitePixel(i))
            for (size_t j = 0; j < d; ++j) {
                const float v = float(values[i * d + j]);
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
    const float kZeroThreshold = 1e-6f;
    T scale, offset;
    if (lo < 0) {
        const float maxVal = std::max(std::abs(lo), std::abs(hi));
        scale = T(maxVal < kZeroThreshold ? 0.0f : 127.0f / maxVal);
        offset = T(128.0f);
    } else {
        scale = T(hi < kZeroThreshold ? 0.0f : 255.0f / hi);
        offset = T(0.0f);
    }
    for (size_t i = 0; i < pixels; ++i) {
        const bool finite = finitePixel(i);
        for (size_t j = 0; j < d; ++j)
            out[i * d + j] = finite ? uint8_t(values[i * d + j] * scale + offset) : badColor[j];
    }
}

} // namespace

void normalizeFloatImage(std::span<const float> values, int depth, std::span<const uint8_t> badColor,
                         std::span<uint8_t> out)
{
    normalize<float>(values, depth, badColor, out);
}

void normalizeFloatImage(std::span<const double> values, int depth, std::span<const uint8_t> badColor,
                         std::span<uint8_t> out)
{
    normalize<double>(values, depth, badColor, out);
}

} // namespace scopeviz
