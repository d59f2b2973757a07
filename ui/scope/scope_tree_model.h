#pragma once
// ScopeTreeModel: a read-only QAbstractItemModel over one ScopeTree snapshot.
// Rows are scopes (and, optionally, op leaves) in creation order. The model
// adapts the immutable tree (docs/style.md, model/view rule 1): it never calls into
// an engine, and it changes only in setDocument(), inside a model reset.
#include "core/hierarchy/scope_tree.h"
#include "ui/common/graph_document.h"
#include "ui/common/theme.h"

#include <QAbstractItemModel>
#include <QIcon>

#include <vector>

namespace scopeviz::ui {

/// Item data roles of the scope tree (one header for them, docs/style.md rule 3).
enum ScopeTreeRole {
    ItemKindRole = Qt::UserRole + 1, ///< int: 0 scope, 1 op
    ItemIdRole,                      ///< int: ScopeId or OpId
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
    /// Columns.
    enum Column { NameColumn, OpsColumn, SharedColumn, ColumnCount };

    explicit ScopeTreeModel(QObject* parent = nullptr);
    /// Shows a document's tree (model reset); null clears.
    void setDocument(DocumentPtr doc);
    /// Also list op leaves under their scopes (model reset).
    void setShowOps(bool on);
    /// Colours of the icons and the shared column.
    void setTheme(const Theme& theme);
    /// The index of an item (column 0), invalid when not in the model.
    QModelIndex indexOf(hierarchy::Item item) const;
    /// The item of an index.
    hierarchy::Item itemOf(const QModelIndex& index) const;

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
    const std::vector<hierarchy::Item>& childrenOf(hierarchy::ScopeId s) const;
    int sharedUsers(hierarchy::Item item) const;
    ScopeSharing sharingOf(hierarchy::ScopeId s) const;
    QString sharingText(hierarchy::ScopeId s) const;

    DocumentPtr m_doc;
    Theme m_theme;
    bool m_showOps = false;
    std::vector<std::vector<hierarchy::Item>> m_children; // per scope: rows shown
    std::vector<int32_t> m_scopeRow, m_opRow;              // row within parent
    QIcon m_nameIcon, m_varIcon, m_opIcon, m_varOpIcon, m_sharedIcon;
};

} // namespace scopeviz::ui
