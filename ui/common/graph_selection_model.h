#pragma once
// GraphSelectionModel: the one place where a document's expansion state and
// selection live. The graph view and the scope tree both listen to its
// signals and change expansion or selection only through it (QtNodes: the
// scene listens to the graph model), so neither view calls the other and a
// change made in one reaches the other exactly once. A signal is emitted only
// when the state really changed, which is what stops feedback loops.
#include "core/hierarchy/visible_graph.h"
#include "ui/common/graph_document.h"

#include <QObject>
#include <QStringList>

#include <optional>
#include <vector>

namespace scopeviz::ui {

/// How a view should bring a newly selected item into sight.
enum class SelectionFocus : uint8_t {
    Keep,   ///< do not move the view (a click in the graph)
    Show,   ///< pan (zooming out only if needed) so the item and its consumers are in view
    Reveal, ///< frame the item at a readable zoom (search, navigation, activation in the tree)
};

/// Expansion and selection of the shown document, shared by the graph view and the scope tree.
class GraphSelectionModel : public QObject {
    Q_OBJECT
public:
    explicit GraphSelectionModel(QObject* parent = nullptr);

    /// Shows a new document: nothing expanded, nothing selected (emits documentChanged).
    void setDocument(DocumentPtr doc);
    /// The document whose state this is.
    const DocumentPtr& document() const { return m_doc; }

    /// The expansion state.
    const hierarchy::ExpansionState& expansion() const { return m_state; }
    /// True when the scope is expanded.
    bool isScopeExpanded(hierarchy::ScopeId s) const { return m_state.isExpanded(s); }
    /// Expands (its ancestors too) or collapses one scope; nothing happens when it already is.
    void setScopeExpanded(hierarchy::ScopeId s, bool expanded);
    /// Replaces the whole state; `anchor` is the node that should stay still on screen.
    void setExpansion(hierarchy::ExpansionState state, hierarchy::NodeKey anchor = 0);
    /// Toggles a scope or series key; false when the key cannot expand.
    bool toggle(hierarchy::NodeKey key);

    /// The selected item, if any.
    std::optional<hierarchy::Item> selectedItem() const { return m_selected; }
    /// Selects an item (id -1 clears). Emits selectionChanged when it differs and focusRequested when
    /// `focus` is not Keep (also for the same item: "show it to me again").
    void select(hierarchy::Item item, SelectionFocus focus = SelectionFocus::Keep);
    /// Expands whatever hides the item (its containers and series), then selects it with Reveal focus.
    void reveal(hierarchy::Item item);

signals:
    /// A new document (state reset; expansionReset and selectionChanged follow).
    void documentChanged(const DocumentPtr& doc);
    /// Exactly these scopes were expanded or collapsed; `anchor` should stay still (0: none).
    /// `scopes` may be empty when only a series key changed.
    void expansionChanged(const std::vector<hierarchy::ScopeId>& scopes, bool expanded, hierarchy::NodeKey anchor);
    /// The expansion changed wholesale (expand all, a new state); `anchor` should stay still (0: none).
    void expansionReset(hierarchy::NodeKey anchor);
    /// The selection changed (id -1: nothing selected).
    void selectionChanged(hierarchy::Item item);
    /// A view should bring the selected item into sight.
    void focusRequested(hierarchy::Item item, SelectionFocus focus);

private:
    bool validScope(hierarchy::ScopeId s) const;

    DocumentPtr m_doc;
    hierarchy::ExpansionState m_state;
    std::optional<hierarchy::Item> m_selected;
};

} // namespace scopeviz::ui
