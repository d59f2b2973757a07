#include "ui/scalars/run_list_model.h"

#include "ui/common/theme.h"
#include "ui/scalars/run_colors.h"
#include "ui/scalars/scalar_store.h"

#include <QFont>
#include <QPainter>
#include <QPixmap>

#include <algorithm>

namespace scopeviz::ui {
namespace {

/// Amber: a file of the run changed under us (replaced or truncated); not corrupt.
const QColor WarningColor(0xd9, 0x8c, 0x00);

} // namespace

RunListModel::RunListModel(const ScalarStore* store, QObject* parent) : QAbstractListModel(parent), m_store(store)
{
    syncWithStore();
}

int RunListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : m_rows; }

Qt::ItemFlags RunListModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable | Qt::ItemNeverHasChildren;
}

void RunListModel::syncWithStore()
{
    const int n = m_store->runCount();
    if (n > m_rows) {
        beginInsertRows({}, m_rows, n - 1);
        m_checked.resize(std::size_t(n), 1);
        m_icons.resize(std::size_t(n));
        m_iconState.resize(std::size_t(n), -1);
        m_rows = n;
        endInsertRows();
    }
    if (m_rows > 0)
        emit dataChanged(index(0), index(m_rows - 1),
                         {Qt::DecorationRole, Qt::ToolTipRole, Qt::ForegroundRole, Qt::FontRole, RunErrorRole,
                          RunRemovedRole, RunWarningRole});
}

void RunListModel::setTheme(const Theme& theme)
{
    m_theme = theme;
    std::fill(m_iconState.begin(), m_iconState.end(), -1); // redraw the badges in the new colours
    if (m_rows > 0)
        emit dataChanged(index(0), index(m_rows - 1), {Qt::DecorationRole, Qt::ForegroundRole});
}

QIcon RunListModel::iconFor(int run) const
{
    const RunInfo& info = m_store->run(run);
    const int state = (info.hasError ? 1 : 0) | (info.removed ? 2 : 0) | (info.hasWarning ? 4 : 0);
    if (m_iconState[std::size_t(run)] == state && !m_icons[std::size_t(run)].isNull())
        return m_icons[std::size_t(run)];
    // A round colour swatch; a badge with "!" when a file of the run is broken (red) or changed (amber).
    const int sz = 32; // drawn at 2x for crisp downscaling
    QPixmap pm(sz, sz);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    QColor c = runColor(info.colorIndex);
    if (info.removed)
        c.setAlpha(110);
    p.setPen(Qt::NoPen);
    p.setBrush(c);
    p.drawEllipse(QRectF(4, 4, 20, 20));
    if (info.hasError || info.hasWarning) {
        const QRectF badge(14, 14, 17, 17);
        p.setBrush(info.hasError ? m_theme.color(ThemeColor::Error) : WarningColor);
        p.setPen(QPen(Qt::white, 2));
        p.drawEllipse(badge);
        QFont f;
        f.setBold(true);
        f.setPixelSize(13);
        p.setFont(f);
        p.setPen(Qt::white);
        p.drawText(badge, Qt::AlignCenter, QStringLiteral("!"));
    }
    p.end();
    m_icons[std::size_t(run)] = QIcon(pm);
    m_iconState[std::size_t(run)] = state;
    return m_icons[std::size_t(run)];
}

QVariant RunListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows)
        return {};
    const int run = index.row();
    const RunInfo& info = m_store->run(run);
    switch (role) {
    case Qt::DisplayRole:
        return QString::fromStdString(info.label);
    case Qt::CheckStateRole:
        return m_checked[std::size_t(run)] ? Qt::Checked : Qt::Unchecked;
    case Qt::DecorationRole:
        return iconFor(run);
    case Qt::ToolTipRole: {
        QString tip = QString::fromStdString(info.label).toHtmlEscaped();
        if (info.removed)
            tip += QStringLiteral("<br><i>directory removed; its points are kept</i>");
        if (info.hasError)
            tip += QStringLiteral("<br><b style='color:%1'>file error</b>: %2")
                       .arg(m_theme.color(ThemeColor::Error).name(), QString::fromStdString(info.errorMessage).toHtmlEscaped());
        if (info.hasWarning)
            tip += QStringLiteral("<br><b style='color:%1'>file changed</b>: %2")
                       .arg(WarningColor.name(), QString::fromStdString(info.warningMessage).toHtmlEscaped());
        if (!info.restartMessage.empty())
            tip += QStringLiteral("<br><i>restart: %1</i>").arg(QString::fromStdString(info.restartMessage).toHtmlEscaped());
        return tip;
    }
    case Qt::ForegroundRole:
        if (info.hasError)
            return m_theme.color(ThemeColor::Error);
        if (info.removed)
            return QColor(140, 140, 140);
        return {};
    case Qt::FontRole:
        if (info.removed) {
            QFont f;
            f.setItalic(true);
            return f;
        }
        return {};
    case RunColorRole:
        return runColor(info.colorIndex);
    case RunErrorRole:
        return info.hasError ? QString::fromStdString(info.errorMessage) : QString();
    case RunRemovedRole:
        return info.removed;
    case RunWarningRole:
        return info.hasWarning ? QString::fromStdString(info.warningMessage) : QString();
    case RunIndexRole:
        return run;
    default:
        return {};
    }
}

bool RunListModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || role != Qt::CheckStateRole || index.row() >= m_rows)
        return false;
    const bool on = value.toInt() == Qt::Checked;
    if (bool(m_checked[std::size_t(index.row())]) == on)
        return true;
    m_checked[std::size_t(index.row())] = on;
    ++m_version;
    emit dataChanged(index, index, {Qt::CheckStateRole});
    emit visibilityChanged();
    return true;
}

bool RunListModel::isChecked(int run) const
{
    return run >= 0 && run < m_rows && m_checked[std::size_t(run)];
}

void RunListModel::setChecked(int run, bool checked)
{
    if (run >= 0 && run < m_rows)
        setData(index(run), checked ? Qt::Checked : Qt::Unchecked, Qt::CheckStateRole);
}

void RunListModel::setAllChecked(bool checked)
{
    bool changed = false;
    for (auto& c : m_checked)
        if (bool(c) != checked) {
            c = checked;
            changed = true;
        }
    if (!changed)
        return;
    ++m_version;
    emit dataChanged(index(0), index(m_rows - 1), {Qt::CheckStateRole});
    emit visibilityChanged();
}

} // namespace scopeviz::ui
