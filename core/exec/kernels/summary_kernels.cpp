// Summary kernels: ScalarSummary, HistogramSummary, MergeSummary. Each
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
    Expected<std::string> out = encodeHistogramSummary(tag.strings()[0], std::span<const double>(v));
    if (!out.ok())
        c.fail(out.error());
    c.setOutput(0, Tensor::stringScalar(std::move(out.value())));
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
    Expected<std::string> out = mergeSummaries(inputs);
    if (!out.ok())
        c.fail(out.error());
    c.setOutput(0, Tensor::stringScalar(std::move(out.value())));
}

} // namespace

void registerSummaryKernels(KernelRegistry& r)
{
    r.add("ScalarSummary", scalarSummaryKernel, kFresh);
    r.add("HistogramSummary", histogramSummaryKernel, kFresh);
    r.add("MergeSummary", mergeSummaryKernel, kFresh);
}

} // namespace scopeviz::exec::detail
