#pragma once
// ScopePanel: the "Scopes" dock: a filter box over the scope tree (recursive
// QSortFilterProxyModel). Its expansion and selection mirror a
// GraphSelectionModel (which the graph view mirrors too); the user's expand,
// collapse, select and activate go to that model, never to another view.
// A series row selects the series (its first member, as a click on the series
// box does) and opens or closes the series box; a member row selects that
// member.
#include "core/hierarchy/hierarchy_types.h"
#include "ui/common/graph_document.h"

#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QTreeView;
class QCheckBox;

namespace scopeviz::ui {

class ScopeTreeModel;
class GraphSelectionModel;

/// Filterable scope tree, synchronised with the graph through a GraphSelectionModel.
class ScopePanel : public QWidget {
    Q_OBJECT
public:
    explicit ScopePanel(QWidget* parent = nullptr);
    /// Shows a document's scope tree.
    void setDocument(DocumentPtr doc);
    /// Mirrors `model` (not owned) and writes the user's changes to it.
    void setSelectionModel(GraphSelectionModel* model);
    /// The source model.
    ScopeTreeModel* model() const { return m_model; }
    /// The tree view.
    QTreeView* view() const { return m_view; }
    /// The filter box.
    QLineEdit* filterEdit() const { return m_filter; }

private:
    /// Sizes the Ops and Shared columns for the open document (see the constructor).
    void sizeCountColumns();
    void setScopeExpanded(hierarchy::ScopeId s, bool expanded);
    void setSelectedItem(hierarchy::Item item);
    bool isSeriesExpanded(int32_t series) const;
    void syncExpansion(const std::function<bool(hierarchy::ScopeId)>& expanded);

    GraphSelectionModel* m_selection = nullptr;
    ScopeTreeModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTreeView* m_view = nullptr;
    QLineEdit* m_filter = nullptr;
    QCheckBox* m_showOps = nullptr;
    bool m_syncing = false;
};

} // namespace scopeviz::ui
