// Summary encoding: the one place that builds serialized `Summary` messages,
// for the event writer and for the summary kernels alike.
//
// Histograms follow TensorFlow's own histogram (tensorflow/core/lib/histogram):
// a fixed, exponentially spaced set of bucket limits that is the same for
// every histogram (so histograms of different steps line up); a value is
// counted in the first bucket whose limit is strictly greater than it, so
// bucket i covers [limit[i-1], limit[i]) -- 0.0 lands in the bucket ending at
// 1e-12, and a value equal to a limit in the bucket after it. On encoding,
// each run of consecutive empty buckets collapses into a single empty bucket
// ending at the run's last limit. That keeps a proto small (a typical
// histogram touches a few dozen of the ~1500 buckets) while leaving every
// non-empty bucket exact.
#include "core/summary/summary_encoding.h"

#include "core/summary/media_encoding.h"
#include "core/util/strings.h"

#include "core/proto/summary.pb.h"
#include "core/proto/wire_format.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <unordered_set>

namespace scopeviz {

using detail::WireField;
using detail::WireReader;
using detail::WireType;

// Summary { value { tag: <tag> simple_value: <value> } }, written by hand: the
// hot path of EventWriter::addScalar, which writes it straight into its record.
namespace {
/// Size of Summary.Value {tag (field 1), simple_value (field 2, fixed32: 1 + 4 bytes)}.
size_t scalarValueSize(std::string_view tag) { return detail::bytesFieldSize(1, tag.size()) + 5; }
} // namespace

size_t scalarSummarySize(std::string_view tag) { return detail::bytesFieldSize(1, scalarValueSize(tag)); }

char* writeScalarSummary(char* p, std::string_view tag, float value)
{
    p = detail::writeTag(p, 1, WireType::Bytes);
    p = detail::writeVarint(p, scalarValueSize(tag));
    p = detail::writeBytesField(p, 1, tag);
    return detail::writeFloatField(p, 2, value);
}

std::string encodeScalarSummary(std::string_view tag, float value)
{
    std::string out(scalarSummarySize(tag), '\0');
    writeScalarSummary(out.data(), tag, value);
    return out;
}

const std::vector<double>& defaultHistogramBucketLimits()
{
    static const std::vector<double> limits = [] {
        std::vector<double> positive;
        for (double v = 1e-12; v < 1e20; v *= 1.1)
            positive.push_back(v);
        positive.push_back(DBL_MAX);
        std::vector<double> all;
        all.reserve(positive.size() * 2 + 1);
        for (auto it = positive.rbegin(); it != positive.rend(); ++it)
            all.push_back(-*it);
        all.push_back(0.0);
        all.insert(all.end(), positive.begin(), positive.end());
        return all;
    }();
    return limits;
}

size_t histogramBucketIndex(double v)
{
    const std::vector<double>& limits = defaultHistogramBucketLimits();
    const size_t b = size_t(std::upper_bound(limits.begin(), limits.end(), v) - limits.begin());
    return std::min(b, limits.size() - 1); // DBL_MAX itself stays in the last bucket
}

namespace {

template <class T>
Expected<std::string> encodeHistogram(std::string_view tag, std::span<const T> values)
{
    const std::vector<double>& limits = defaultHistogramBucketLimits();
    std::vector<double> counts(limits.size(), 0.0);
    double min = DBL_MAX, max = -DBL_MAX, sum = 0, sumSquares = 0;
    for (const T x : values) {
        const double v = double(x);
        if (!std::isfinite(v))
            return unexpected("Nan in summary histogram for: " + std::string(tag));
        counts[histogramBucketIndex(v)] += 1;
        min = std::min(min, v);
        max = std::max(max, v);
        sum += v;
        sumSquares += v * v;
    }

    tfproto::Summary summary;
    tfproto::Summary::Value* value = summary.add_value();
    value->set_tag(std::string(tag));
    tfproto::HistogramProto* h = value->mutable_histo();
    h->set_min(min);
    h->set_max(max);
    h->set_num(double(values.size()));
    h->set_sum(sum);
    h->set_sum_squares(sumSquares);
    for (size_t i = 0; i < counts.size();) {
        double end = limits[i];
        const double count = counts[i];
        ++i;
        if (count <= 0) // merge the whole run of empty buckets into one
            while (i < counts.size() && counts[i] <= 0)
                end = limits[i++];
        h->add_bucket_limit(end);
        h->add_bucket(count);
    }
    return summary.SerializeAsString();
}

} // namespace

Expected<std::string> encodeHistogramSummary(std::string_view tag, std::span<const double> values)
{
    return encodeHistogram<double>(tag, values);
}

Expected<std::string> encodeHistogramSummary(std::string_view tag, std::span<const float> values)
{
    return encodeHistogram<float>(tag, values);
}

const std::vector<uint8_t>& defaultImageBadColor()
{
    static const std::vector<uint8_t> red{255, 0, 0, 255};
    return red;
}

namespace {

/// TensorShape::DebugString: "[2,3]".
std::string shapeText(const std::vector<int64_t>& dims)
{
    std::string s = "[";
    for (size_t i = 0; i < dims.size(); ++i)
        s += cat(i ? "," : "", dims[i]);
    return s + "]";
}

/// "<tag>/<kind>/<i>", or "<tag>/<kind>" when only one output was asked for (TF1's rule).
std::string mediaTag(std::string_view tag, std::string_view kind, int64_t maxOutputs, int64_t i)
{
    return maxOutputs > 1 ? cat(tag, "/", kind, "/", i) : cat(tag, "/", kind);
}

} // namespace

Expected<std::string> encodeImageSummary(std::string_view tag, const Tensor& images, int64_t maxImages,
                                         std::span<const uint8_t> badColor)
{
    const std::vector<int64_t>& d = images.dims();
    if (!images.valid() || d.size() != 4 || (d[3] != 1 && d[3] != 3 && d[3] != 4))
        return unexpected("Tensor must be 4-D with last dim 1, 3, or 4, not " + shapeText(d));
    if (maxImages < 1)
        return unexpected(cat("max_images must be >= 1, got ", maxImages));
    if (d[0] >= (int64_t(1) << 31) || d[1] >= (int64_t(1) << 31) || d[2] >= (int64_t(1) << 31) ||
        d[1] * d[2] >= (int64_t(1) << 29))
        return unexpected("Tensor too large for summary " + shapeText(d));
    // An empty image (h or w 0) fails in the PNG encoder, as in TF 1.15 ("PNG encoding failed").
    const int64_t batch = d[0], h = d[1], w = d[2], depth = d[3];
    const DType t = images.dtype();
    if (t != DType::UInt8 && t != DType::Float && t != DType::Double)
        return unexpected(cat("ImageSummary takes uint8, float or double images, not ", dtypeName(t)));
    if (t != DType::UInt8 && int64_t(badColor.size()) < depth)
        return unexpected(cat("expected depth <= bad_color.size, got depth = ", depth,
                              ", bad_color.size = ", badColor.size()));
    const size_t imageSize = size_t(h * w * depth);
    std::vector<uint8_t> pixels(imageSize);
    tfproto::Summary summary;
    const int64_t n = std::min(maxImages, batch);
    for (int64_t i = 0; i < n; ++i) {
        const size_t at = size_t(i) * imageSize;
        if (t == DType::UInt8)
            std::copy_n(images.data<uint8_t>() + at, imageSize, pixels.begin());
        else if (t == DType::Float)
            normalizeFloatImage(std::span<const float>(images.data<float>() + at, imageSize), int(depth), badColor,
                                pixels);
        else
            normalizeFloatImage(std::span<const double>(images.data<double>() + at, imageSize), int(depth), badColor,
                                pixels);
        Expected<std::string> png = encodePng(pixels, int(w), int(h), int(depth));
        if (!png.ok())
            return unexpected(png.error());
        tfproto::Summary::Value* v = summary.add_value();
        v->set_tag(mediaTag(tag, "image", maxImages, i));
        tfproto::Summary::Image* image = v->mutable_image();
        image->set_height(int32_t(h));
        image->set_width(int32_t(w));
        image->set_colorspace(int32_t(depth));
        image->set_encoded_image_string(std::move(png.value()));
    }
    return summary.SerializeAsString();
}

Expected<std::string> encodeAudioSummary(std::string_view tag, const Tensor& audio, float sampleRate,
                                         int64_t maxOutputs)
{
    if (maxOutputs <= 0)
        return unexpected("max_outputs must be > 0");
    if (!audio.valid() || audio.rank() < 2 || audio.rank() > 3)
        return unexpected("Tensor must be 3-D or 2-D, got: " + shapeText(audio.dims()));
    if (audio.dtype() != DType::Float)
        return unexpected(cat("AudioSummaryV2 takes float32 audio, not ", dtypeName(audio.dtype())));
    if (!(sampleRate > 0.0f))
        return unexpected("sample_rate must be > 0");
    const int64_t batch = audio.dim(0), frames = audio.dim(1);
    const int64_t channels = audio.rank() == 2 ? 1 : audio.dim(2);
    if (channels > 0xffff)
        return unexpected(cat("Too many channels for a WAV: ", channels));
    const uint32_t rate = std::max<uint32_t>(1, uint32_t(std::lrint(sampleRate)));
    tfproto::Summary summary;
    const int64_t n = std::min(maxOutputs, batch);
    const size_t clipSize = size_t(frames * channels);
    for (int64_t i = 0; i < n; ++i) {
        Expected<std::string> wav = encodeWav16(
            std::span<const float>(audio.data<float>() + size_t(i) * clipSize, clipSize), rate,
            uint16_t(channels), uint64_t(frames));
        if (!wav.ok())
            return unexpected(wav.error());
        tfproto::Summary::Value* v = summary.add_value();
        v->set_tag(mediaTag(tag, "audio", maxOutputs, i));
        tfproto::Summary::Audio* a = v->mutable_audio();
        a->set_sample_rate(sampleRate);
        a->set_num_channels(channels);
        a->set_length_frames(frames);
        a->set_content_type("audio/wav");
        a->set_encoded_audio_string(std::move(wav.value()));
    }
    return summary.SerializeAsString();
}

Expected<std::string> encodeTensorSummary(std::string_view tag, const Tensor& tensor,
                                          std::string_view serializedMetadata)
{
    tfproto::Summary summary;
    tfproto::Summary::Value* v = summary.add_value();
    v->set_tag(std::string(tag));
    if (!v->mutable_metadata()->ParseFromArray(serializedMetadata.data(), int(serializedMetadata.size())))
        return unexpected("Could not parse serialized_summary_metadata");
    tfproto::TensorProto* p = v->mutable_tensor();
    p->set_dtype(tfproto::DataType(int32_t(tensor.dtype())));
    for (int64_t dim : tensor.dims())
        p->mutable_tensor_shape()->add_dim()->set_size(dim);
    if (tensor.dtype() == DType::String) // AsProtoField: TensorBoard reads strings from string_val
        for (const std::string& s : tensor.strings())
            p->add_string_val(s);
    else if (tensor.valid()) // AsProtoTensorContent
        p->set_tensor_content(static_cast<const char*>(tensor.rawData()), tensor.byteSize());
    return summary.SerializeAsString();
}

std::string pluginMetadata(std::string_view pluginName)
{
    tfproto::SummaryMetadata m;
    m.mutable_plugin_data()->set_plugin_name(std::string(pluginName));
    return m.SerializeAsString();
}

Expected<std::string> mergeSummaries(const std::vector<std::string>& serializedSummaries)
{
    std::string out;
    std::unordered_set<std::string> tags;
    for (const std::string& s : serializedSummaries) {
        WireReader r(s);
        WireField f;
        while (r.next(f)) {
            if (f.number != 1 || f.type != WireType::Bytes)
                continue;
            std::string_view tag;
            WireReader v(f.bytes);
            WireField g;
            while (v.next(g))
                if (g.number == 1 && g.type == WireType::Bytes)
                    tag = g.bytes;
            if (v.failed())
                return unexpected("Could not parse one of the summary inputs");
            if (!tags.insert(std::string(tag)).second)
                return unexpected("Duplicate tag " + std::string(tag) + " found in summary inputs");
            detail::appendBytesField(out, 1, f.bytes);
        }
        if (r.failed())
            return unexpected("Could not parse one of the summary inputs");
    }
    return out;
}

} // namespace scopeviz
