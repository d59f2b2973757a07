#include "core/summary/wav_reader.h"

#include <algorithm>
#include <cstring>

namespace scopeviz {

namespace {

template <class T>
T le(const char* p)
{
    T v;
    std::memcpy(&v, p, sizeof v); // x86-64 and every target we build for are little-endian, as WAV is
    return v;
}

} // namespace

bool parseWav(std::string_view wav, WavInfo& info)
{
    info = WavInfo{};
    if (wav.size() < 12 || wav.substr(0, 4) != "RIFF" || wav.substr(8, 4) != "WAVE")
        return false;
    size_t at = 12;
    bool haveFmt = false;
    while (wav.size() - at >= 8) {
        const std::string_view id = wav.substr(at, 4);
        const uint64_t size = le<uint32_t>(wav.data() + at + 4);
        at += 8;
        const uint64_t avail = std::min<uint64_t>(size, wav.size() - at);
        if (id == "fmt ") {
            if (avail < 16)
                return false;
            const char* f = wav.data() + at;
            info.format = le<uint16_t>(f);
            info.channels = le<uint16_t>(f + 2);
            info.sampleRate = le<uint32_t>(f + 4);
            info.blockAlign = le<uint16_t>(f + 12);
            info.bitsPerSample = le<uint16_t>(f + 14);
            if (info.format == 0xFFFE && avail >= 26) // WAVE_FORMAT_EXTENSIBLE: the sub-format's first two bytes
                info.format = le<uint16_t>(f + 24);
            if (info.blockAlign == 0)
                info.blockAlign = uint32_t(info.channels) * ((info.bitsPerSample + 7u) / 8u);
            haveFmt = true;
        } else if (id == "data") {
            if (!haveFmt || info.blockAlign == 0 || info.channels == 0)
                return false;
            info.frames = avail / info.blockAlign;
            info.data = wav.substr(at, size_t(info.frames * info.blockAlign));
            return true;
        }
        if (avail < size)
            return false;
        at += size_t(size) + (size & 1); // chunks are padded to even sizes
        if (at > wav.size())
            return false;
    }
    return false;
}

float wavSample(const WavInfo& info, uint64_t frame, unsigned channel)
{
    if (frame >= info.frames || channel >= info.channels)
        return 0;
    const unsigned bytes = info.bitsPerSample / 8u;
    const uint64_t offset = frame * info.blockAlign + uint64_t(channel) * bytes;
    if (offset + bytes > info.data.size())
        return 0;
    const char* p = info.data.data() + offset;
    if (info.format == 3 && bytes == 4)
        return le<float>(p);
    if (info.format == 3 && bytes == 8)
        return float(le<double>(p));
    if (info.format != 1)
        return 0;
    switch (bytes) {
    case 1: return (float(uint8_t(*p)) - 128.0f) / 128.0f; // 8-bit PCM is unsigned
    case 2: return float(le<int16_t>(p)) / 32768.0f;
    case 3: {
        const int32_t v = int32_t(uint32_t(uint8_t(p[0])) << 8 | uint32_t(uint8_t(p[1])) << 16 |
                                  uint32_t(uint8_t(p[2])) << 24) >> 8;
        return float(v) / 8388608.0f;
    }
    case 4: return float(double(le<int32_t>(p)) / 2147483648.0);
    default: return 0;
    }
}

} // namespace scopeviz
