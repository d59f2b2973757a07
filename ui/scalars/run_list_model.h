#pragma once
// The run list of the scalar dashboard, which doubles as the plots' legend:
// one checkable row per run in order of appearance, with the run's colour
// swatch, a red error badge when one of its files is corrupt, an amber
// warning badge when a file was replaced or truncated, and greyed-out text
// when its directory disappeared. Adapts the ScalarStore; rows are only
// ever appended (runs are never forgotten), on the GUI thread.
#include "ui/common/theme.h"

#include <QAbstractListModel>
#include <QIcon>

#include <vector>

namespace scopeviz::ui {

class ScalarStore;

/// Data roles of the run list (beyond Qt's).
enum RunListRole {
    RunColorRole = Qt::UserRole + 1, ///< QColor: the run's plot colour
    RunErrorRole,                    ///< QString: the latest file error, empty when none
    RunRemovedRole,                  ///< bool: the run's directory disappeared
    RunIndexRole,                    ///< int: the run's index in the store
    RunWarningRole,                  ///< QString: the latest "file replaced or truncated" notice, empty when none
};

/// Checkable list of the runs of a ScalarStore.
class RunListModel : public QAbstractListModel {
    Q_OBJECT
public:
    /// Adapts `store` (not owned; must outlive the model).
    explicit RunListModel(const ScalarStore* store, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

    /// Announces runs the store gained and refreshes the state of existing rows.
    void syncWithStore();
    /// True when run `index` is checked (shown).
    bool isChecked(int run) const;
    /// Checks or unchecks a run.
    void setChecked(int run, bool checked);
    /// Checks or unchecks every run.
    void setAllChecked(bool checked);
    /// Bumped whenever a check state changes.
    quint64 visibilityVersion() const { return m_version; }
    /// The colours for error marks (icons are redrawn in them).
    void setTheme(const Theme& theme);

signals:
    /// A run was checked or unchecked.
    void visibilityChanged();

private:
    QIcon iconFor(int run) const;

    const ScalarStore* m_store;
    Theme m_theme;
    std::vector<char> m_checked;
    mutable std::vector<QIcon> m_icons;
    mutable std::vector<int> m_iconState; ///< error/removed state the cached icon was drawn for
    int m_rows = 0;
    quint64 m_version = 0;
};

} // namespace scopeviz::ui
