#pragma once
// Reads the header of a RIFF/WAVE clip (audio summaries): its format and
// where its samples are. No decoding of compressed formats.
#include <cstdint>
#include <string_view>

namespace scopeviz {

/// A WAV clip's format and sample bytes.
struct WavInfo {
    uint16_t format = 0;        ///< 1 = integer PCM, 3 = IEEE float (WAVE_FORMAT_EXTENSIBLE is resolved)
    uint16_t channels = 0;
    uint32_t sampleRate = 0;
    uint16_t bitsPerSample = 0;
    uint32_t blockAlign = 0;    ///< bytes per frame
    uint64_t frames = 0;        ///< samples per channel present in the data chunk
    std::string_view data;      ///< the sample bytes (whole frames only), a view into the clip
};

/// Parses `wav`'s header; false when it is not a RIFF/WAVE clip with a fmt and a data chunk. A data chunk
/// longer than the clip (streaming writers put 0xFFFFFFFF) is read as far as it goes.
bool parseWav(std::string_view wav, WavInfo& info);

/// Sample `frame` of `channel` as a float in [-1, 1]; 0 for formats other than 8/16/24/32-bit PCM and 32/64-bit float.
float wavSample(const WavInfo& info, uint64_t frame, unsigned channel);

} // namespace scopeviz
