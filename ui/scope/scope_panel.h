#pragma once
// ScopePanel: the "Scopes" dock: a filter box over the scope tree (recursive
// QSortFilterProxyModel) whose expansion and selection mirror the graph view.
#include "core/hierarchy/hierarchy_types.h"
#include "ui/common/graph_document.h"

#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QTreeView;
class QCheckBox;

namespace scopeviz::ui {

class ScopeTreeModel;

/// Filterable scope tree, synchronised with the graph by signals.
class ScopePanel : public QWidget {
    Q_OBJECT
public:
    explicit ScopePanel(QWidget* parent = nullptr);
    /// Shows a document's scope tree.
    void setDocument(DocumentPtr doc);
    /// Mirrors a graph expansion without re-emitting it.
    void setScopeExpanded(hierarchy::ScopeId s, bool expanded);
    /// Mirrors the graph's selection without re-emitting it.
    void setSelectedItem(hierarchy::Item item);
    /// Sets every row's expansion from a predicate (after expand all / collapse all).
    void syncExpansion(const std::function<bool(hierarchy::ScopeId)>& expanded);
    /// The source model.
    ScopeTreeModel* model() const { return m_model; }
    /// The tree view.
    QTreeView* view() const { return m_view; }
    /// The filter box.
    QLineEdit* filterEdit() const { return m_filter; }

signals:
    /// The user expanded or collapsed a scope in the tree.
    void scopeExpansionRequested(hierarchy::ScopeId s, bool expanded);
    /// The user selected an item in the tree.
    void itemSelected(hierarchy::Item item);
    /// The user activated (double-clicked / Enter) an item: reveal it in the graph.
    void itemActivated(hierarchy::Item item);

private:
    ScopeTreeModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTreeView* m_view = nullptr;
    QLineEdit* m_filter = nullptr;
    QCheckBox* m_showOps = nullptr;
    bool m_syncing = false;
};

} // namespace scopeviz::ui
