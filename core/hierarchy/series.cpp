// Series grouping.
//
// TensorFlow names repeated calls `name`, `name_1`, `name_2`, ... (the
// uniquifier, docs/scoping.md §3), and people write `layer1` ... `layerN`. When
// many such siblings have the same structure, drawing them one by one buries
// the rest of the scope, so TensorBoard folds them into one "series" node.
// We do the same, with a rule the user can see and change:
//
//  * Candidates are the items of one scope: child scopes and, with
//    SeriesOptions::groupOps, op leaves. A scope's anchor op never joins.
//  * Structure. An op leaf's signature is its op type; a scope's signature
//    is an order-independent hash of its items' signatures (a multiset), so
//    two scopes match when they hold the same op types arranged in the same
//    sub-scopes, whatever the names. Signatures are computed bottom-up by a
//    backwards sweep over scope ids (children have larger ids than parents).
//    Variable ops (isVariableOpType) are left out: they are state, not
//    structure. PyTorch's ONNX exporter keeps one of several equal-valued
//    parameters and makes the others `Identity_N` copies at the top, so ViT's
//    `encoder_layer_0` holds parameters that layers 1..11 read as copies,
//    yet all twelve layers are one series. A TensorFlow variable still counts
//    through its `read` Identity and `Assign`, which live in its scope.
//  * Names, first pass: `base_N` (N decimal digits) joins family `base` with
//    number N; an unsuffixed `base` joins it with number 0.
//  * Names, second pass, for items not yet in a series: `baseN` where base
//    ends in a non-digit other than '_' joins family `base` with number N.
//  * A family splits by (item kind, signature); every part with at least
//    SeriesOptions::minMembers members (default 5, as TensorBoard) becomes a
//    series, members ordered by number.
// The cost is a sort of each scope's candidates: O(items log items).
#include "core/hierarchy/series.h"

#include "core/hierarchy/scope_tree.h"
#include "core/hierarchy/shared_variables.h"
#include "core/hierarchy/tree_builder.h"
#include "core/util/strings.h"

#include <algorithm>
#include <functional>

namespace scopeviz::hierarchy {

std::string numberRanges(const std::vector<int64_t>& sorted)
{
    std::string s = "[";
    for (size_t i = 0; i < sorted.size();) {
        size_t j = i;
        while (j + 1 < sorted.size() && sorted[j + 1] == sorted[j] + 1)
            ++j;
        if (i > 0)
            s += ",";
        s += std::to_string(sorted[i]);
        if (j > i)
            s += cat(j == i + 1 ? "," : "-", sorted[j]);
        i = j + 1;
    }
    return s + "]";
}

std::string seriesCountText(const Series& series)
{
    return cat("\u00d7", series.members.size());
}

std::string seriesTitle(const Series& series)
{
    return cat(series.label, " ", seriesCountText(series));
}

namespace {

uint64_t mix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

struct Candidate {
    Item item;
    std::string_view base;
    int64_t number = 0;
    uint64_t signature = 0;
};

/// Splits "base_N" (underscore) or "baseN" (digits); false when the name has no such suffix.
bool splitNumber(std::string_view name, bool underscore, std::string_view& base, int64_t& number)
{
    size_t k = name.size();
    while (k > 0 && name[k - 1] >= '0' && name[k - 1] <= '9')
        --k;
    const size_t digits = name.size() - k;
    if (digits == 0 || digits > 17)
        return false;
    if (underscore) {
        if (k < 2 || name[k - 1] != '_')
            return false;
        base = name.substr(0, k - 1);
    } else {
        if (k == 0 || name[k - 1] == '_')
            return false;
        base = name.substr(0, k);
    }
    number = 0;
    for (size_t i = k; i < name.size(); ++i)
        number = number * 10 + (name[i] - '0');
    return true;
}

} // namespace

namespace detail {

void TreeBuilder::detectSeries(ScopeTree& t)
{
    t.m_series.clear();
    const SeriesOptions& opt = t.m_options.series;
    const int minMembers = std::max(2, opt.minMembers);

    // Signatures, bottom-up.
    std::vector<uint64_t> typeHash(t.m_typeNames.size());
    std::vector<bool> variableType(t.m_typeNames.size());
    for (size_t i = 0; i < typeHash.size(); ++i) {
        typeHash[i] = mix(std::hash<std::string>{}(t.m_typeNames[i]));
        variableType[i] = isVariableOpType(t.m_typeNames[i]);
    }
    std::vector<uint64_t> sig(t.m_scopes.size(), 0);
    auto itemSig = [&](Item it) {
        return it.isScope() ? sig[size_t(it.id)] : typeHash[size_t(t.m_opType[size_t(it.id)])];
    };
    for (size_t s = t.m_scopes.size(); s-- > 0;) {
        uint64_t sum = 0, count = 0;
        for (const Item& it : t.m_scopes[s].items) {
            if (!it.isScope() && variableType[size_t(t.m_opType[size_t(it.id)])])
                continue; // variable ops are state, not structure (see the header comment)
            sum += mix(itemSig(it) ^ (it.isScope() ? 0x5C0E5C0Eull : 0x0B0B0B0Bull));
            ++count;
        }
        sig[s] = mix(sum ^ mix(count));
    }

    std::vector<Candidate> cands;
    for (size_t s = 0; s < t.m_scopes.size(); ++s) {
        const ScopeNode& node = t.m_scopes[s];
        if (int(node.items.size()) < minMembers)
            continue;
        for (int pass = 0; pass < 2; ++pass) {
            const bool underscore = pass == 0;
            cands.clear();
            for (const Item& it : node.items) {
                if (it.isOp() && (!opt.groupOps || it.id == node.anchor))
                    continue;
                if (t.seriesOf(it) >= 0)
                    continue;
                Candidate c;
                c.item = it;
                c.signature = itemSig(it);
                const std::string_view name = t.itemName(it);
                if (!splitNumber(name, underscore, c.base, c.number)) {
                    if (!underscore)
                        continue;
                    c.base = name;
                    c.number = 0;
                }
                cands.push_back(c);
            }
            std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
                if (a.base != b.base)
                    return a.base < b.base;
                if (a.item.kind != b.item.kind)
                    return a.item.kind < b.item.kind;
                if (a.signature != b.signature)
                    return a.signature < b.signature;
                return a.number < b.number;
            });
            for (size_t i = 0; i < cands.size();) {
                size_t j = i + 1;
                while (j < cands.size() && cands[j].base == cands[i].base && cands[j].item.kind == cands[i].item.kind &&
                       cands[j].signature == cands[i].signature)
                    ++j;
                if (int(j - i) >= minMembers) {
                    Series ser;
                    ser.parent = ScopeId(s);
                    ser.base = std::string(cands[i].base);
                    ser.underscore = underscore;
                    ser.signature = cands[i].signature;
                    const int32_t idx = int32_t(t.m_series.size());
                    for (size_t k = i; k < j; ++k) {
                        ser.members.push_back(cands[k].item);
                        ser.numbers.push_back(cands[k].number);
                        ser.opCount += t.itemOpCount(cands[k].item);
                        if (cands[k].item.isScope())
                            t.m_scopes[size_t(cands[k].item.id)].series = idx;
                        else
                            t.m_opSeries[size_t(cands[k].item.id)] = idx;
                    }
                    // Number 0 is the bare `base` ("layer, layer_[1-4]") unless the first member is
                    // named `base_0` itself (ViT's `encoder_layer_0`): then the range says it all.
                    if (underscore && ser.numbers.front() == 0 && t.itemName(ser.members.front()) == ser.base) {
                        std::vector<int64_t> rest(ser.numbers.begin() + 1, ser.numbers.end());
                        ser.label = cat(ser.base, ", ", ser.base, "_", numberRanges(rest));
                    } else {
                        ser.label = cat(ser.base, underscore ? "_" : "", numberRanges(ser.numbers));
                    }
                    t.m_series.push_back(std::move(ser));
                }
                i = j;
            }
        }
    }
}

} // namespace detail

} // namespace scopeviz::hierarchy
