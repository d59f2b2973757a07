// Cost of the image and audio summary encoders (what one ImageSummary or
// AudioSummaryV2 run spends): TF1's float normalisation plus libpng's PNG,
// and the 16-bit WAV. Median of repeated runs, wall time per summary.
//
//   scopeviz_bench_summary_media [--quick]
#include "core/summary/summary_encoding.h"
#include "tests/bench/bench.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

using namespace scopeviz;

namespace {

template <class F>
double medianSeconds(int runs, F&& f)
{
    std::vector<double> t;
    for (int i = 0; i < runs; ++i) {
        const double t0 = bench::now();
        f();
        t.push_back(bench::now() - t0);
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

Tensor randomFloats(std::vector<int64_t> dims, float lo, float hi)
{
    Tensor t(DType::Float, std::move(dims));
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> u(lo, hi);
    for (int64_t i = 0; i < t.numElements(); ++i)
        t.data<float>()[i] = u(rng);
    return t;
}

} // namespace

int main(int argc, char** argv)
{
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    const int runs = quick ? 5 : 31;
    size_t bytes = 0;

    // mnist_with_summaries: 3 of a batch of 50 gray 28x28 float images.
    const Tensor mnist = randomFloats({50, 28, 28, 1}, 0.f, 1.f);
    const double mnistSec = medianSeconds(runs, [&] {
        bytes = encodeImageSummary("input_reshape/input", mnist, 3, defaultImageBadColor())->size();
    });
    bench::report("summary_image_mnist_3x28x28_us", mnistSec * 1e6, "us");
    bench::report("summary_image_mnist_3x28x28_bytes", double(bytes), "bytes");

    // One 512x512 RGB float image with negative values (the 127/max + 128 branch).
    const Tensor rgb = randomFloats({1, 512, 512, 3}, -1.f, 1.f);
    const double rgbSec = medianSeconds(runs, [&] {
        bytes = encodeImageSummary("big", rgb, 1, defaultImageBadColor())->size();
    });
    bench::report("summary_image_512x512x3_float_ms", rgbSec * 1e3, "ms");
    bench::report("summary_image_512x512x3_megapixels_per_s", 512.0 * 512.0 / rgbSec / 1e6, "Mpx/s");

    // Three stereo clips of one second at 44.1 kHz.
    const Tensor clips = randomFloats({3, 44100, 2}, -1.f, 1.f);
    const double audioSec = medianSeconds(runs, [&] { bytes = encodeAudioSummary("sound", clips, 44100, 3)->size(); });
    bench::report("summary_audio_3x1s_stereo_44k_ms", audioSec * 1e3, "ms");
    bench::report("summary_audio_samples_per_s", 3.0 * 44100 * 2 / audioSec / 1e6, "Msamples/s");
    return bytes > 0 ? 0 : 1;
}
