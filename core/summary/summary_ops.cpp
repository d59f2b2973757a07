#include "core/summary/summary_ops.h"

#include "core/graph/name_scope.h"
#include "core/summary/summary_encoding.h"
#include "core/util/error.h"
#include "core/util/strings.h"

#include <functional>
#include <regex>

namespace scopeviz::summary {

std::string cleanTag(std::string_view name)
{
    std::string out;
    out.reserve(name.size());
    for (char c : name) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                  c == '-' || c == '/' || c == '.' || (static_cast<unsigned char>(c) >= 0x80);
        out += ok ? c : '_';
    }
    size_t start = out.find_first_not_of('/');
    return start == std::string::npos ? std::string() : out.substr(start);
}

namespace {

/// What differs between the summary ops: the type, the names of the tag and
/// value arguments, attrs, and inputs beyond the two.
struct SummaryOpSpec {
    const char* type;
    const char* tagArg = "tag";
    const char* valuesArg = "values";
    AttrList attrs = {};
    /// Converted in the summary scope before the op's wrapper runs (audio's "sample_rate").
    std::function<Output(Graph&)> leadingInput = {};
    /// Converted by the wrapper after the values (text's "serialized_summary_metadata").
    std::function<Output(Graph&)> trailingInput = {};
};

Output summaryOp(Graph& g, SummaryOpSpec spec, std::string_view name, ops::Input values,
                 std::vector<std::string> collections, std::optional<std::string> family)
{
    std::string base = cleanTag(name);
    std::optional<std::string> fam;
    if (family)
        fam = cleanTag(*family);
    if (fam)
        base = *fam + "/" + base;
    NameScope ns(g, base); // summary_scope: a user-visible scope, uniquified
    std::string scope = ns.scope();
    std::string tag = scope.substr(0, scope.empty() ? 0 : scope.size() - 1);
    if (fam)
        tag = *fam + "/" + tag;
    std::optional<Output> leading;
    if (spec.leadingInput)
        leading = spec.leadingInput(g);
    OpId op;
    {
        // The generated wrapper re-enters "S/" absolutely and converts its inputs in
        // op-def order: the tag Const "S/tag(s)" first, then a literal value "S/values".
        auto wrapper = openOpScope(g, scope);
        Output t = ops::constant(g, Tensor::stringScalar(tag), spec.tagArg);
        Output v = values.resolve(g, spec.valuesArg);
        std::vector<Output> inputs{t, v};
        if (leading)
            inputs.push_back(*leading);
        if (spec.trailingInput)
            inputs.push_back(spec.trailingInput(g));
        op = g.createOp(spec.type, scope, std::move(inputs), std::move(spec.attrs));
    }
    if (collections.empty())
        collections.push_back("summaries");
    for (const std::string& c : collections)
        g.addToCollection(c, Output{op, 0});
    return Output{op, 0};
}

} // namespace

Output scalar(Graph& g, std::string_view name, ops::Input tensor, std::vector<std::string> collections,
              std::optional<std::string> family)
{
    return summaryOp(g, {.type = "ScalarSummary", .tagArg = "tags"}, name, tensor, std::move(collections),
                     std::move(family));
}

Output histogram(Graph& g, std::string_view name, ops::Input values, std::vector<std::string> collections,
                 std::optional<std::string> family)
{
    return summaryOp(g, {.type = "HistogramSummary"}, name, values, std::move(collections), std::move(family));
}

Output image(Graph& g, std::string_view name, ops::Input tensor, int64_t maxOutputs,
             std::vector<std::string> collections, std::optional<std::string> family)
{
    if (maxOutputs < 1)
        throw ValueError(cat("Attr 'max_images' of 'ImageSummary' Op passed ", maxOutputs, " less than minimum 1."));
    const std::vector<uint8_t>& red = defaultImageBadColor();
    SummaryOpSpec spec{.type = "ImageSummary", .valuesArg = "tensor"};
    spec.attrs.set("max_images", AttrValue::integer(maxOutputs));
    spec.attrs.set("bad_color", AttrValue::tensor(Tensor::fromVector(red, {int64_t(red.size())})));
    return summaryOp(g, std::move(spec), name, tensor, std::move(collections), std::move(family));
}

Output audio(Graph& g, std::string_view name, ops::Input tensor, ops::Input sampleRate, int64_t maxOutputs,
             std::vector<std::string> collections, std::optional<std::string> family)
{
    if (maxOutputs < 1)
        throw ValueError(cat("Attr 'max_outputs' of 'AudioSummaryV2' Op passed ", maxOutputs, " less than minimum 1."));
    SummaryOpSpec spec{.type = "AudioSummaryV2", .valuesArg = "tensor"};
    spec.attrs.set("max_outputs", AttrValue::integer(maxOutputs));
    spec.leadingInput = [&](Graph& gr) { return sampleRate.resolve(gr, "sample_rate", DType::Float); };
    return summaryOp(g, std::move(spec), name, tensor, std::move(collections), std::move(family));
}

Output text(Graph& g, std::string_view name, ops::Input tensor, std::vector<std::string> collections)
{
    if (!tensor.isTensor())
        throw ValueError("tf.summary.text takes a string tensor, not a literal");
    const DType t = baseType(g.info(tensor.output()).dtype);
    if (t != DType::String)
        throw ValueError(cat("Expected tensor ", g.tensorName(tensor.output()), " to have dtype string, got <dtype: '",
                             dtypeName(t), "'>")); // TF formats the DType with %s
    return summaryOp(g,
                     {.type = "TensorSummaryV2",
                      .valuesArg = "tensor",
                      .trailingInput =
                          [](Graph& gr) {
                              return ops::constant(gr, Tensor::stringScalar(pluginMetadata("text")),
                                                   "serialized_summary_metadata");
                          }},
                     name, tensor, std::move(collections), std::nullopt);
}

Output merge(Graph& g, const std::vector<Output>& inputs, std::vector<std::string> collections, std::string_view name)
{
    // merge cleans its name first, then enters name_scope(cleaned, "Merge", inputs).
    std::string cleaned = name.empty() ? std::string() : cleanTag(name);
    NameScope ns(g, name.empty() ? std::optional<std::string_view>() : std::optional<std::string_view>(cleaned),
                 "Merge", true);
    OpId op;
    {
        auto wrapper = openOpScope(g, cleaned.empty() ? std::string_view("MergeSummary") : std::string_view(cleaned));
        op = g.createOp("MergeSummary", wrapper->scope(), inputs);
    }
    for (const std::string& c : collections)
        g.addToCollection(c, Output{op, 0});
    return Output{op, 0};
}

std::optional<Output> mergeAll(Graph& g, const std::string& key, std::optional<std::string> scope,
                               std::string_view name)
{
    std::vector<Output> items;
    std::optional<std::regex> re;
    if (scope)
        re.emplace(*scope);
    for (const Output& o : g.collection(key)) {
        if (re && !std::regex_search(g.tensorName(o), *re, std::regex_constants::match_continuous))
            continue;
        items.push_back(o);
    }
    if (items.empty())
        return std::nullopt;
    return merge(g, items, {}, name);
}

std::string tagOf(const Graph& g, OpId summaryOp)
{
    const Operation& op = g.op(summaryOp);
    if (op.inputs().empty())
        return {};
    const Operation& t = g.op(op.inputs()[0].op);
    const AttrValue* v = t.attrs().find("value");
    if (t.type() != "Const" || !v || v->kind() != AttrValue::Kind::Tensor || v->tensor().dtype() != DType::String)
        return {};
    return v->tensor().strings().empty() ? std::string() : v->tensor().strings()[0];
}

} // namespace scopeviz::summary
