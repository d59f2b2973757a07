#include "ui/scope/scope_tree_model.h"

#include "ui/common/theme.h"

#include <QPainter>
#include <QPixmap>
#include <QStringList>

namespace scopeviz::ui {

using hierarchy::Item;
using hierarchy::ScopeId;

namespace {

/// Kind icons drawn with QPainter: no image files to ship.
QIcon makeIcon(int shape, QColor fill)
{
    QPixmap pm(16, 16);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(fill.darker(150), 1));
    p.setBrush(fill);
    switch (shape) {
    case 0: p.drawRoundedRect(QRectF(1.5, 3.5, 13, 9), 3, 3); break; // name scope: rounded box
    case 1: // variable scope: box with a coloured title band
        p.drawRoundedRect(QRectF(1.5, 2.5, 13, 11), 2, 2);
        p.fillRect(QRectF(2, 3, 12, 3.5), fill.darker(140));
        break;
    case 2: p.drawEllipse(QRectF(2.5, 4.5, 11, 7)); break;   // op: pill
    case 3: p.drawRect(QRectF(2.5, 3.5, 11, 9)); p.drawRect(QRectF(4.5, 5.5, 7, 5)); break; // variable
    }
    return QIcon(pm);
}

constexpr quintptr kOpBit = quintptr(1) << 31;
constexpr quintptr kSeriesBit = quintptr(1) << 30;
constexpr quintptr kIdMask = kSeriesBit - 1;

quintptr rowOfItem(Item it) { return it.isOp() ? (quintptr(it.id) | kOpBit) : quintptr(it.id); }

} // namespace

ScopeTreeModel::ScopeTreeModel(QObject* parent) : QAbstractItemModel(parent) {}

void ScopeTreeModel::setTheme(const Theme& theme)
{
    // The view repaints on the palette change that comes with a new theme; only the icons are cached.
    m_theme = theme;
    makeIcons();
}

void ScopeTreeModel::makeIcons()
{
    m_nameIcon = makeIcon(0, m_theme.color(ThemeColor::NameScope));
    m_varIcon = makeIcon(1, m_theme.color(ThemeColor::VariableScope));
    m_opIcon = makeIcon(2, m_theme.color(ThemeColor::Op));
    m_varOpIcon = makeIcon(3, m_theme.color(ThemeColor::Variable));
    m_sharedIcon = makeIcon(3, m_theme.color(ThemeColor::SharedVariable));
}

void ScopeTreeModel::setDocument(DocumentPtr doc)
{
    beginResetModel();
    m_doc = std::move(doc);
    makeIcons();
    buildRows();
    endResetModel();
}

void ScopeTreeModel::setShowOps(bool on)
{
    if (on == m_showOps)
        return;
    beginResetModel();
    m_showOps = on;
    buildRows();
    endResetModel();
}

void ScopeTreeModel::buildRows()
{
    // One pass over each scope's items in creation order: a series member puts its series' row in
    // its place the first time the series is met, and is listed under that row instead.
    m_children.clear();
    m_seriesChildren.clear();
    m_scopeRow.clear();
    m_opRow.clear();
    m_seriesRow.clear();
    if (!m_doc || !m_doc->tree)
        return;
    const auto& t = *m_doc->tree;
    m_children.resize(size_t(t.numScopes()));
    m_seriesChildren.resize(t.series().size());
    m_scopeRow.assign(size_t(t.numScopes()), -1);
    m_opRow.assign(size_t(t.numOps()), -1);
    m_seriesRow.assign(t.series().size(), -1);
    for (ScopeId s = 0; s < t.numScopes(); ++s) {
        auto& rows = m_children[size_t(s)];
        for (const Item& it : t.scope(s).items) {
            if (it.isOp() && (!m_showOps || t.isAnchor(it.id)))
                continue; // an anchor op is its scope's own row
            const int32_t series = t.seriesOf(it);
            if (series < 0) {
                (it.isScope() ? m_scopeRow : m_opRow)[size_t(it.id)] = int32_t(rows.size());
                rows.push_back(rowOfItem(it));
            } else if (m_seriesRow[size_t(series)] < 0) {
                m_seriesRow[size_t(series)] = int32_t(rows.size());
                rows.push_back(quintptr(series) | kSeriesBit);
            }
        }
    }
    for (size_t k = 0; k < t.series().size(); ++k) {
        if (m_seriesRow[k] < 0)
            continue;
        for (const Item& it : t.series()[k].members) {
            (it.isScope() ? m_scopeRow : m_opRow)[size_t(it.id)] = int32_t(m_seriesChildren[k].size());
            m_seriesChildren[k].push_back(rowOfItem(it));
        }
    }
}

const std::vector<quintptr>* ScopeTreeModel::childrenOf(quintptr row) const
{
    if (row & kOpBit)
        return nullptr;
    if (row & kSeriesBit)
        return &m_seriesChildren[size_t(row & kIdMask)];
    return &m_children[size_t(row)];
}

quintptr ScopeTreeModel::parentRow(quintptr row) const
{
    // The series row for a listed member, else the containing scope (the root for top-level rows).
    const auto& t = *m_doc->tree;
    if (row & kSeriesBit)
        return quintptr(t.series()[size_t(row & kIdMask)].parent);
    const Item it = (row & kOpBit) ? Item{Item::Kind::Op, int32_t(row & ~kOpBit)} : Item{Item::Kind::Scope, int32_t(row)};
    const int32_t series = t.seriesOf(it);
    if (series >= 0 && m_seriesRow[size_t(series)] >= 0)
        return quintptr(series) | kSeriesBit;
    return quintptr(t.itemParent(it));
}

QModelIndex ScopeTreeModel::indexOfRow(quintptr row) const
{
    int32_t r = -1;
    if (row & kOpBit)
        r = m_opRow[size_t(row & ~kOpBit)];
    else if (row & kSeriesBit)
        r = m_seriesRow[size_t(row & kIdMask)];
    else if (row != quintptr(hierarchy::RootScope))
        r = m_scopeRow[size_t(row)];
    return r < 0 ? QModelIndex() : createIndex(r, 0, row);
}

Item ScopeTreeModel::itemOf(const QModelIndex& index) const
{
    if (!index.isValid())
        return Item{Item::Kind::Scope, hierarchy::RootScope};
    const quintptr id = index.internalId();
    if (id & kOpBit)
        return Item{Item::Kind::Op, int32_t(id & ~kOpBit)};
    if (id & kSeriesBit)
        return m_doc->tree->series()[size_t(id & kIdMask)].members.front();
    return Item{Item::Kind::Scope, int32_t(id)};
}

int32_t ScopeTreeModel::seriesOf(const QModelIndex& index) const
{
    return index.isValid() && (index.internalId() & kSeriesBit) && !(index.internalId() & kOpBit)
               ? int32_t(index.internalId() & kIdMask)
               : -1;
}

QModelIndex ScopeTreeModel::indexOf(Item item) const
{
    if (!m_doc || item.id < 0)
        return {};
    if (item.isScope()) {
        if (item.id >= int(m_scopeRow.size()))
            return {};
        return indexOfRow(quintptr(item.id));
    }
    if (item.id >= int(m_opRow.size()))
        return {};
    if (m_opRow[size_t(item.id)] < 0) // not listed (anchor, or ops hidden): its scope stands for it
        return m_doc->tree->isAnchor(item.id) ? indexOf(Item{Item::Kind::Scope, m_doc->tree->opParent(item.id)})
                                              : QModelIndex();
    return indexOfRow(rowOfItem(item));
}

QModelIndex ScopeTreeModel::indexOfSeries(int32_t series) const
{
    if (!m_doc || series < 0 || size_t(series) >= m_seriesRow.size())
        return {};
    return indexOfRow(quintptr(series) | kSeriesBit);
}

QModelIndex ScopeTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!m_doc || column < 0 || column >= ColumnCount || row < 0)
        return {};
    const auto* rows = childrenOf(parent.isValid() ? parent.internalId() : quintptr(hierarchy::RootScope));
    if (!rows || row >= int(rows->size()))
        return {};
    return createIndex(row, column, (*rows)[size_t(row)]);
}

QModelIndex ScopeTreeModel::parent(const QModelIndex& child) const
{
    if (!m_doc || !child.isValid())
        return {};
    return indexOfRow(parentRow(child.internalId()));
}

int ScopeTreeModel::rowCount(const QModelIndex& parent) const
{
    if (!m_doc || parent.column() > 0)
        return 0;
    const auto* rows = childrenOf(parent.isValid() ? parent.internalId() : quintptr(hierarchy::RootScope));
    return rows ? int(rows->size()) : 0;
}

bool ScopeTreeModel::hasChildren(const QModelIndex& parent) const { return rowCount(parent) > 0; }

int ScopeTreeModel::columnCount(const QModelIndex&) const { return ColumnCount; }

ScopeSharing ScopeTreeModel::sharingOf(ScopeId s) const
{
    return m_doc && m_doc->index ? m_doc->index->scopeSharing(s) : ScopeSharing{};
}

QString ScopeTreeModel::sharingText(ScopeId s) const
{
    // "owns 2" for the scope that created shared variables, "reuses 2" for one that reads them.
    const ScopeSharing sh = sharingOf(s);
    QStringList parts;
    if (sh.owns > 0)
        parts << tr("owns %1").arg(sh.owns);
    if (sh.reuses > 0)
        parts << tr("reuses %1").arg(sh.reuses);
    return parts.join(QStringLiteral(", "));
}

int ScopeTreeModel::sharedUsers(Item item) const
{
    const auto& t = *m_doc->tree;
    const int32_t v = item.isOp() ? t.variableOfOp(item.id) : t.scope(item.id).variable;
    return m_doc->index && m_doc->index->isShared(v) ? m_doc->index->sharedScopes(v) : 0;
}

QVariant ScopeTreeModel::seriesData(int32_t series, int column, int role) const
{
    const auto& t = *m_doc->tree;
    const hierarchy::Series& ser = t.series()[size_t(series)];
    const bool ops = ser.members.front().isOp();
    switch (role) {
    case Qt::DisplayRole:
        if (column == NameColumn)
            return QString::fromStdString(hierarchy::seriesTitle(ser));
        if (column == OpsColumn)
            return ser.opCount;
        return {};
    case Qt::DecorationRole:
        return column == NameColumn ? (ops ? m_opIcon : m_nameIcon) : QVariant();
    case Qt::TextAlignmentRole:
        return column == OpsColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case Qt::ToolTipRole:
        return tr("%1\nseries of %2 similar %3, %4 ops")
            .arg(QString::fromStdString(ser.label))
            .arg(ser.members.size())
            .arg(ops ? tr("ops") : tr("scopes"))
            .arg(ser.opCount);
    case ItemKindRole: return 2;
    case ItemIdRole: return series;
    case ScopePathRole: {
        const std::string_view parent = t.path(ser.parent);
        return QString::fromStdString(parent.empty() ? ser.label : std::string(parent) + "/" + ser.label);
    }
    case SharedUsersRole:
    case SharedOwnsRole:
    case SharedReusesRole: return 0;
    }
    return {};
}

QVariant ScopeTreeModel::data(const QModelIndex& index, int role) const
{
    if (!m_doc || !index.isValid())
        return {};
    if (const int32_t series = seriesOf(index); series >= 0)
        return seriesData(series, index.column(), role);
    const auto& t = *m_doc->tree;
    const Item it = itemOf(index);
    const auto qs = [](std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); };
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn: return qs(t.itemName(it));
        case OpsColumn: return it.isScope() ? QVariant(t.scope(it.id).descendantOps) : QVariant(qs(t.opType(it.id)));
        case SharedColumn: {
            const int own = sharedUsers(it);
            if (own > 0)
                return QStringLiteral("⇄ %1").arg(own);
            if (it.isScope())
                return sharingText(it.id);
            return {};
        }
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() != NameColumn)
            return {};
        if (sharedUsers(it) > 0)
            return m_sharedIcon;
        if (it.isOp())
            return t.variableOfOp(it.id) >= 0 ? m_varOpIcon : m_opIcon;
        if (t.scope(it.id).variable >= 0)
            return m_varOpIcon;
        return t.scope(it.id).kind == hierarchy::ScopeKind::Variable ? m_varIcon : m_nameIcon;
    case Qt::ForegroundRole:
        if (index.column() == SharedColumn)
            return m_theme.color(ThemeColor::SharedVariable);
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == OpsColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case Qt::ToolTipRole: {
        QString path = it.isScope() ? qs(t.path(it.id)) : qs(t.opName(it.id));
        if (const int n = sharedUsers(it))
            return QStringLiteral("%1\nshared variable, used by %2 scopes").arg(path).arg(n);
        if (it.isScope()) {
            QString tip = QStringLiteral("%1\n%2 scope, %3 ops")
                              .arg(path, t.scope(it.id).kind == hierarchy::ScopeKind::Variable ? tr("variable") : tr("name"))
                              .arg(t.scope(it.id).descendantOps);
            const ScopeSharing sh = sharingOf(it.id);
            auto vars = [](int n) { return n == 1 ? tr("1 shared variable") : tr("%1 shared variables").arg(n); };
            if (sh.owns > 0)
                tip += tr("\ncreates %1 that other scopes reuse").arg(vars(sh.owns));
            if (sh.reuses > 0)
                tip += tr("\nreuses %1 created elsewhere").arg(vars(sh.reuses));
            return tip;
        }
        return QStringLiteral("%1\n%2").arg(path, qs(t.opType(it.id)));
    }
    case ItemKindRole: return it.isOp() ? 1 : 0;
    case ItemIdRole: return it.id;
    case ScopePathRole: return it.isScope() ? qs(t.path(it.id)) : qs(t.opName(it.id));
    case SharedUsersRole: return sharedUsers(it);
    case SharedOwnsRole: return it.isScope() ? sharingOf(it.id).owns : 0;
    case SharedReusesRole: return it.isScope() ? sharingOf(it.id).reuses : 0;
    }
    return {};
}

QVariant ScopeTreeModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Scope");
    case OpsColumn: return tr("Ops");
    case SharedColumn: return tr("Shared");
    }
    return {};
}

} // namespace scopeviz::ui
