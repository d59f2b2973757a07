#include "core/summary/summary_ops.h"

#include "core/graph/name_scope.h"
#include "core/util/strings.h"

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

Output summaryOp(Graph& g, const char* type, const char* tagArg, std::string_view name, ops::Input values,
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
    OpId op;
    {
        // The generated wrapper re-enters "S/" absolutely and converts its inputs in
        // op-def order: the tag Const "S/tags" first, then a literal value "S/values".
        auto wrapper = openOpScope(g, scope);
        Output t = ops::constant(g, Tensor::stringScalar(tag), tagArg);
        Output v = values.resolve(g, "values");
        op = g.createOp(type, scope, {t, v});
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
    return summaryOp(g, "ScalarSummary", "tags", name, tensor, std::move(collections), std::move(family));
}

Output histogram(Graph& g, std::string_view name, ops::Input values, std::vector<std::string> collections,
                 std::optional<std::string> family)
{
    return summaryOp(g, "HistogramSummary", "tag", name, values, std::move(collections), std::move(family));
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
