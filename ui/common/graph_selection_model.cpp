#include "ui/common/graph_selection_model.h"

namespace scopeviz::ui {

using hierarchy::Item;
using hierarchy::NodeKey;
using hierarchy::ScopeId;

GraphSelectionModel::GraphSelectionModel(QObject* parent) : QObject(parent) {}

void GraphSelectionModel::setDocument(DocumentPtr doc)
{
    m_doc = std::move(doc);
    m_state = {};
    const bool hadSelection = m_selected.has_value();
    m_selected.reset();
    emit documentChanged(m_doc);
    emit expansionReset(0);
    if (hadSelection)
        emit selectionChanged(Item{Item::Kind::Scope, -1});
}

bool GraphSelectionModel::validScope(ScopeId s) const
{
    return m_doc && m_doc->tree && s > hierarchy::RootScope && s < m_doc->tree->numScopes();
}

void GraphSelectionModel::setScopeExpanded(ScopeId s, bool expanded)
{
    if (!validScope(s) || m_state.isExpanded(s) == expanded)
        return;
    const auto& tree = *m_doc->tree;
    std::vector<ScopeId> changed;
    if (expanded) {
        // Opening a scope inside a collapsed scope or series opens those too, so it becomes visible.
        for (ScopeId x = s; x > hierarchy::RootScope; x = tree.scope(x).parent)
            if (!m_state.isExpanded(x))
                changed.push_back(x);
        m_state.reveal(tree, s);
    } else {
        m_state.collapse(s);
        changed.push_back(s);
    }
    emit expansionChanged(changed, expanded, hierarchy::scopeKey(s));
}

void GraphSelectionModel::setExpansion(hierarchy::ExpansionState state, NodeKey anchor)
{
    m_state = std::move(state);
    emit expansionReset(anchor);
}

bool GraphSelectionModel::toggle(NodeKey key)
{
    if (!m_doc)
        return false;
    const hierarchy::NodeKind kind = hierarchy::keyKind(key);
    if (kind == hierarchy::NodeKind::Scope) {
        const auto s = ScopeId(hierarchy::keyId(key));
        setScopeExpanded(s, !m_state.isExpanded(s));
        return true;
    }
    if (kind == hierarchy::NodeKind::Series) {
        const bool open = m_state.expanded.count(key) == 0;
        if (open)
            m_state.expanded.insert(key);
        else
            m_state.expanded.erase(key);
        emit expansionChanged({}, open, key);
        return true;
    }
    return false;
}

void GraphSelectionModel::select(Item item, SelectionFocus focus)
{
    std::optional<Item> next;
    if (item.id >= 0 && m_doc)
        next = item;
    if (next != m_selected) {
        m_selected = next;
        emit selectionChanged(m_selected.value_or(Item{Item::Kind::Scope, -1}));
    }
    if (m_selected && focus != SelectionFocus::Keep)
        emit focusRequested(*m_selected, focus);
}

void GraphSelectionModel::reveal(Item item)
{
    if (!m_doc || item.id < 0)
        return;
    const auto& tree = *m_doc->tree;
    hierarchy::ExpansionState st = m_state;
    const ScopeId container = item.isScope() ? tree.scope(item.id).parent : tree.opParent(item.id);
    if (container > hierarchy::RootScope)
        st.reveal(tree, container);
    if (item.isOp() && tree.seriesOfOp(item.id) >= 0)
        st.expanded.insert(hierarchy::seriesKey(tree, tree.seriesOfOp(item.id)));
    if (item.isScope() && tree.scope(item.id).series >= 0)
        st.expanded.insert(hierarchy::seriesKey(tree, tree.scope(item.id).series));
    if (st.expanded != m_state.expanded) {
        std::vector<ScopeId> opened;
        for (ScopeId x = container; x > hierarchy::RootScope; x = tree.scope(x).parent)
            if (!m_state.isExpanded(x))
                opened.push_back(x);
        m_state = std::move(st);
        emit expansionChanged(opened, true, 0);
    }
    select(item, SelectionFocus::Reveal);
}

} // namespace scopeviz::ui
