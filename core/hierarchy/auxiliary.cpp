// Auxiliary extraction.
//
// Some nodes connect to almost everything and say little about the model:
// `init` (a NoOp with a control edge from every variable's initializer),
// `save/` (reads every variable), summary sinks, a Const feeding fifty ops.
// Drawn in the main area they pull every edge across the picture, so, like
// TensorBoard, we move them to a side area of their scope. Unlike
// TensorBoard, the rule that moved an item is kept as its explanation and
// the user can force any item in or out (ExpansionState::auxiliary).
//
// Rules, per scope, first match wins:
//  1. Top-level names (items of the root only): AuxiliaryRules::topLevelNames,
//     where "init" also matches "init_3" and "report_uninitialized_variables*"
//     any suffix. These are bookkeeping that TensorFlow adds at the top level.
//  2. Summary sinks: op leaves whose type ends in "Summary" (ScalarSummary,
//     HistogramSummary, MergeSummary, ...), and scopes anchored by one. They
//     only record values.
//  3. High degree: in a scope with at least minSiblings items, an item with
//     at least max(minDegree, degreeFactor x median) distinct sibling
//     neighbours. Degrees are counted between *groups*: a series counts as one
//     node (its members are drawn as one), and a series is moved as a whole.
//     This catches a `gradients` scope fed by every forward scope, a global
//     step read everywhere, a shared constant.
//     Variables are exempt, and so are the edges that only carry variable
//     values (EdgeStats::onlyVariables): a variable read by every call site
//     is exactly what the shared-variable view shows (with bundled edges),
//     and the scope that reads all of a module's variables (e.g.
//     `module/InceptionV3/InceptionV3`) is the model itself, not machinery.
//     An item holds variables when it is a variable op, anchors one, or is a
//     variable scope.
// A rule never moves a scope's anchor op (it is the scope itself), and never
// moves every item of a scope (that would leave the main area empty): if it
// would, the marks of that scope are dropped.
#include "core/hierarchy/auxiliary.h"

#include "core/hierarchy/scope_tree.h"
#include "core/hierarchy/tree_builder.h"
#include "core/util/strings.h"

#include <algorithm>
#include <unordered_map>

namespace scopeviz::hierarchy {

namespace {

/// "init" matches "init" and "init_<digits>"; "report*" matches any name starting with "report".
bool matchesName(std::string_view name, std::string_view pattern)
{
    if (!pattern.empty() && pattern.back() == '*')
        return startsWith(name, pattern.substr(0, pattern.size() - 1));
    if (name == pattern)
        return true;
    if (!startsWith(name, pattern) || name.size() < pattern.size() + 2 || name[pattern.size()] != '_')
        return false;
    for (size_t i = pattern.size() + 1; i < name.size(); ++i)
        if (name[i] < '0' || name[i] > '9')
            return false;
    return true;
}

} // namespace

namespace detail {

void TreeBuilder::markAuxiliary(ScopeTree& t)
{
    const AuxiliaryRules& rules = t.m_options.auxiliary;
    t.m_auxReasons.clear();
    if (!rules.enabled)
        return;
    std::unordered_map<std::string, int32_t> interned;
    auto reasonIndex = [&](std::string text) {
        auto [it, inserted] = interned.try_emplace(text, int32_t(t.m_auxReasons.size()));
        if (inserted)
            t.m_auxReasons.push_back(std::move(text));
        return it->second;
    };

    std::vector<int32_t> posOfScope(t.m_scopes.size(), -1), posOfOp(t.m_opParent.size(), -1);
    std::vector<int32_t> degree, sorted, group;
    std::vector<uint64_t> pairs;
    std::unordered_map<int32_t, int32_t> seriesGroup;
    std::vector<int32_t> marks; // per item position: reason index or -1
    for (size_t s = 0; s < t.m_scopes.size(); ++s) {
        const ScopeNode& node = t.m_scopes[s];
        const size_t m = node.items.size();
        if (m < 2)
            continue;
        marks.assign(m, -1);
        for (size_t i = 0; i < m; ++i) {
            const Item it = node.items[i];
            (it.isScope() ? posOfScope[size_t(it.id)] : posOfOp[size_t(it.id)]) = int32_t(i);
        }
        auto pos = [&](Item it) { return it.isScope() ? posOfScope[size_t(it.id)] : posOfOp[size_t(it.id)]; };

        // Rules 1 and 2.
        for (size_t i = 0; i < m; ++i) {
            const Item it = node.items[i];
            if (it.isOp() && it.id == node.anchor)
                continue;
            if (s == size_t(RootScope)) {
                const std::string_view name = t.itemName(it);
                for (const std::string& pat : rules.topLevelNames) {
                    if (matchesName(name, pat)) {
                        marks[i] = reasonIndex(cat("top-level '", pat,
                                                   "': initialization / checkpoint bookkeeping, not the model"));
                        break;
                    }
                }
            }
            // A scope anchored by a summary op (`loss` holding `loss/tags`) is the summary op.
            const OpId op = it.isOp() ? it.id : t.m_scopes[size_t(it.id)].anchor;
            if (marks[i] < 0 && rules.summaries && op >= 0 && endsWith(t.opType(op), "Summary"))
                marks[i] = reasonIndex(cat("summary op (", t.opType(op), "): a sink that only records values"));
        }

        // Rule 3, on groups: series members share their series' group.
        if (int(m) >= rules.minSiblings) {
            group.assign(m, -1);
            seriesGroup.clear();
            int32_t groups = 0;
            for (size_t i = 0; i < m; ++i) {
                const int32_t ser = t.seriesOf(node.items[i]);
                if (ser < 0) {
                    group[i] = groups++;
                    continue;
                }
                auto [it, inserted] = seriesGroup.try_emplace(ser, groups);
                if (inserted)
                    ++groups;
                group[i] = it->second;
            }
            auto holdsVariables = [&](Item it) {
                if (it.isOp())
                    return t.m_opVariable[size_t(it.id)] >= 0;
                const ScopeNode& sc = t.m_scopes[size_t(it.id)];
                return sc.kind == ScopeKind::Variable || sc.variable >= 0;
            };
            pairs.clear();
            for (int32_t e = node.edgeBegin; e < node.edgeEnd; ++e) {
                const AggregatedEdge& ed = t.m_edges[size_t(e)];
                if (ed.stats.onlyVariables() || holdsVariables(ed.from) || holdsVariables(ed.to))
                    continue;
                const int32_t a = pos(ed.from), b = pos(ed.to);
                if (a < 0 || b < 0 || group[size_t(a)] == group[size_t(b)])
                    continue;
                const uint32_t ga = uint32_t(group[size_t(a)]), gb = uint32_t(group[size_t(b)]);
                pairs.push_back((uint64_t(ga) << 32) | gb);
                pairs.push_back((uint64_t(gb) << 32) | ga);
            }
            std::sort(pairs.begin(), pairs.end());
            pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
            degree.assign(size_t(groups), 0);
            for (uint64_t p : pairs)
                ++degree[size_t(p >> 32)];
            sorted = degree;
            std::nth_element(sorted.begin(), sorted.begin() + long(sorted.size() / 2), sorted.end());
            const double median = sorted[sorted.size() / 2];
            const double threshold = std::max(double(rules.minDegree), rules.degreeFactor * median);
            for (size_t i = 0; i < m; ++i) {
                const Item it = node.items[i];
                if (marks[i] >= 0 || (it.isOp() && it.id == node.anchor) || holdsVariables(it))
                    continue;
                const int32_t d = degree[size_t(group[i])];
                if (d >= threshold)
                    marks[i] = reasonIndex(cat("high degree: ", d, " distinct neighbours among its siblings (median ",
                                               formatDouble(median), ", threshold ", formatDouble(threshold), ")"));
            }
        }

        size_t moved = 0;
        for (int32_t r : marks)
            moved += r >= 0 ? 1 : 0;
        if (moved == 0 || moved == m)
            continue;
        for (size_t i = 0; i < m; ++i) {
            if (marks[i] < 0)
                continue;
            const Item it = node.items[i];
            (it.isScope() ? t.m_scopeAux[size_t(it.id)] : t.m_opAux[size_t(it.id)]) = marks[i];
        }
    }
}

} // namespace detail

} // namespace scopeviz::hierarchy
