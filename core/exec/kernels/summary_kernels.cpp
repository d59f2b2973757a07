// Summary kernels: ScalarSummary, HistogramSummary, ImageSummary,
// AudioSummaryV2, TensorSummaryV2, MergeSummary. Each
// outputs a DT_STRING scalar holding a serialized `Summary` protobuf built by
// core/summary's encoder, the same one the event writer uses, so a histogram
// computed in a graph and one logged directly share TensorFlow's bucket rule.
#include "core/exec/kernels/kernel_util.h"
#include "core/summary/summary_encoding.h"

#include <cmath>
#include <string>
#include <vector>

namespace scopeviz::exec::detail {
namespace {

// ---- kernels -------------------------------------------------------------------------

/// Output 0 is the serialized Summary, or the op fails with the encoder's message.
void setSummaryOutput(KernelContext& c, Expected<std::string> out)
{
    if (!out.ok())
        c.fail(out.error());
    c.setOutput(0, Tensor::stringScalar(std::move(out.value())));
}

std::vector<double> valuesAsDoubles(const KernelContext& c, const Tensor& t)
{
    std::vector<double> out(size_t(t.numElements()));
    visitReal(c, t.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* p = t.data<T>();
        for (size_t i = 0; i < out.size(); ++i)
            out[i] = double(p[i]);
    });
    return out;
}

void scalarSummaryKernel(KernelContext& c)
{
    const Tensor& tags = c.input(0);
    const Tensor& values = c.input(1);
    if (!tags.valid() || tags.dtype() != DType::String)
        c.fail("tags must be a string tensor");
    if (!values.valid() || values.dtype() == DType::String || values.dtype() == DType::Bool)
        c.fail("values must be a real-valued tensor");
    if (tags.dims() != values.dims())
        c.fail(cat("tags and values not the same shape: ", dimsString(tags.dims()), " != ", dimsString(values.dims()),
                   tags.rank() == 0 ? cat(" (tag '", tags.strings()[0], "')") : std::string()));
    const std::vector<double> v = valuesAsDoubles(c, values);
    // Concatenated Summary messages are one Summary holding all their values.
    std::string out;
    for (size_t i = 0; i < v.size(); ++i)
        out += encodeScalarSummary(tags.strings()[i], float(v[i]));
    c.setOutput(0, Tensor::stringScalar(std::move(out)));
}

void histogramSummaryKernel(KernelContext& c)
{
    const Tensor& tag = c.input(0);
    const Tensor& values = c.input(1);
    if (!tag.valid() || tag.dtype() != DType::String || tag.numElements() != 1)
        c.fail(cat("tags must be scalar: ", tag.valid() ? dimsString(tag.dims()) : "<none>"));
    if (!values.valid() || values.dtype() == DType::String || values.dtype() == DType::Bool)
        c.fail("values must be a real-valued tensor");
    const std::vector<double> v = valuesAsDoubles(c, values);
    for (double d : v)
        if (!std::isfinite(d))
            c.fail(cat("Nan in summary histogram for: ", c.op().name()));
    setSummaryOutput(c, encodeHistogramSummary(tag.strings()[0], std::span<const double>(v)));
}

/// An int attr, or `fallback` when a (foreign) graph lacks it.
int64_t intAttr(const KernelContext& c, std::string_view name, int64_t fallback)
{
    const AttrValue* a = c.attrs().find(name);
    return a && a->kind() == AttrValue::Kind::Int ? a->i() : fallback;
}

/// The scalar string input 0 (the tag); fails with `message` (TensorFlow's, which differs per op) otherwise.
const std::string& tagInput(const KernelContext& c, const char* message)
{
    const Tensor& tag = c.input(0);
    if (!tag.valid() || tag.dtype() != DType::String || tag.numElements() != 1)
        c.fail(message);
    return tag.strings()[0];
}

void imageSummaryKernel(KernelContext& c)
{
    const std::string& tag = tagInput(c, "Tags must be a scalar");
    std::span<const uint8_t> badColor = defaultImageBadColor();
    if (const AttrValue* a = c.attrs().find("bad_color"); a && a->kind() == AttrValue::Kind::Tensor) {
        const Tensor& t = a->tensor();
        if (t.dtype() != DType::UInt8)
            c.fail(cat("bad_color must be uint8, got ", dtypeName(t.dtype())));
        if (t.rank() != 1)
            c.fail(cat("bad_color must be a vector, got shape ", dimsString(t.dims())));
        badColor = std::span<const uint8_t>(t.data<uint8_t>(), size_t(t.numElements()));
    }
    setSummaryOutput(c, encodeImageSummary(tag, c.input(1), intAttr(c, "max_images", 3), badColor));
}

void audioSummaryKernel(KernelContext& c)
{
    const std::string& tag = tagInput(c, "Tag must be a scalar");
    const Tensor& rate = c.input(2);
    if (!rate.valid() || rate.dtype() != DType::Float || rate.numElements() != 1)
        c.fail("sample_rate must be rank-0 or contain a single value");
    setSummaryOutput(c, encodeAudioSummary(tag, c.input(1), rate.data<float>()[0], intAttr(c, "max_outputs", 3)));
}

void tensorSummaryKernel(KernelContext& c)
{
    const std::string& tag = tagInput(c, "tag must be scalar");
    const Tensor& meta = c.input(2);
    if (!meta.valid() || meta.dtype() != DType::String || meta.numElements() != 1)
        c.fail("serialized_summary_metadata must be a scalar string");
    setSummaryOutput(c, encodeTensorSummary(tag, c.input(1), meta.strings()[0]));
}

void mergeSummaryKernel(KernelContext& c)
{
    std::vector<std::string> inputs;
    for (int i = 0; i < c.numInputs(); ++i) {
        const Tensor& t = c.input(i);
        if (!t.valid() || t.dtype() != DType::String)
            c.fail(cat("Input ", i, " of MergeSummary is not a string tensor"));
        inputs.insert(inputs.end(), t.strings().begin(), t.strings().end());
    }
    setSummaryOutput(c, mergeSummaries(inputs));
}

} // namespace

void registerSummaryKernels(KernelRegistry& r)
{
    r.add("ScalarSummary", scalarSummaryKernel, kFresh);
    r.add("HistogramSummary", histogramSummaryKernel, kFresh);
    r.add("ImageSummary", imageSummaryKernel, kFresh);
    r.add("AudioSummaryV2", audioSummaryKernel, kFresh);
    r.add("TensorSummaryV2", tensorSummaryKernel, kFresh);
    r.add("MergeSummary", mergeSummaryKernel, kFresh);
}

} // namespace scopeviz::exec::detail
