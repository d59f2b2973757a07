#pragma once
// ScopeTreeModel: a read-only QAbstractItemModel over one ScopeTree snapshot.
// Rows are scopes (and, optionally, op leaves) in creation order. A series of
// similar siblings (core/hierarchy/series.h, the groups the graph draws as one
// box) is one row, `checkpoint_initializer, checkpoint_initializer_[1-375]
// ×376`, in the place of its first member, and its members are that row's
// children in member order; a series of op leaves is shown only with the ops.
// The model adapts the immutable tree (docs/style.md, model/view rule 1): it
// never calls into an engine, and it changes only in setDocument() and
// setShowOps(), inside a model reset.
#include "core/hierarchy/scope_tree.h"
#include "ui/common/graph_document.h"
#include "ui/common/theme.h"

#include <QAbstractItemModel>
#include <QIcon>

#include <vector>

namespace scopeviz::ui {

/// Item data roles of the scope tree (one header for them, docs/style.md rule 3).
enum ScopeTreeRole {
    ItemKindRole = Qt::UserRole + 1, ///< int: 0 scope, 1 op, 2 series
    ItemIdRole,                      ///< int: ScopeId, OpId or index into ScopeTree::series()
    ScopePathRole,                   ///< QString: full path
    SharedUsersRole,                 ///< int: scopes using the shared variable (0 when not shared)
    SharedOwnsRole,                  ///< int: shared variables created in the scope's subtree
    SharedReusesRole,                ///< int: shared variables created elsewhere that the scope reuses
};

/// The scope hierarchy as a tree model: name, op count, shared-variable badge
/// ("⇄ N" on a shared variable, "owns N" / "reuses N" on scopes).
class ScopeTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    /// The Shared column's mark of a scope: "owns 2", "reuses 2", both, or "".
    QString sharingText(hierarchy::ScopeId s) const;
    /// The document shown (null before one is set).
    const DocumentPtr& document() const { return m_doc; }
    /// Columns.
    enum Column { NameColumn, OpsColumn, SharedColumn, ColumnCount };

    explicit ScopeTreeModel(QObject* parent = nullptr);
    /// Shows a document's tree (model reset); null clears.
    void setDocument(DocumentPtr doc);
    /// Also list op leaves under their scopes (model reset).
    void setShowOps(bool on);
    /// Colours of the icons and the shared column.
    void setTheme(const Theme& theme);
    /// The index of an item (column 0), invalid when not in the model. A series member's row is a
    /// child of its series' row.
    QModelIndex indexOf(hierarchy::Item item) const;
    /// The index of a series' row (column 0), invalid when the series is not listed.
    QModelIndex indexOfSeries(int32_t series) const;
    /// The item of an index; for a series row its first member, which is how the graph selects a series.
    hierarchy::Item itemOf(const QModelIndex& index) const;
    /// The series of a series row (index into ScopeTree::series()), -1 for any other row.
    int32_t seriesOf(const QModelIndex& index) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;

private:
    void makeIcons();
    void buildRows();
    const std::vector<quintptr>* childrenOf(quintptr row) const;
    QModelIndex indexOfRow(quintptr row) const;
    quintptr parentRow(quintptr row) const;
    int sharedUsers(hierarchy::Item item) const;
    QVariant seriesData(int32_t series, int column, int role) const;
    ScopeSharing sharingOf(hierarchy::ScopeId s) const;

    DocumentPtr m_doc;
    Theme m_theme;
    bool m_showOps = false;
    // A row is its QModelIndex::internalId: a ScopeId, an OpId | kOpBit or a series index | kSeriesBit.
    std::vector<std::vector<quintptr>> m_children;       // per scope: rows shown
    std::vector<std::vector<quintptr>> m_seriesChildren; // per series: member rows (empty when not listed)
    std::vector<int32_t> m_scopeRow, m_opRow, m_seriesRow; // row within parent, -1 when not listed
    QIcon m_nameIcon, m_varIcon, m_opIcon, m_varOpIcon, m_sharedIcon;
};

} // namespace scopeviz::ui
