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
