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
    m_children.clear();
    m_scopeRow.clear();
    m_opRow.clear();
    if (!m_doc || !m_doc->tree)
        return;
    const auto& t = *m_doc->tree;
    m_children.resize(size_t(t.numScopes()));
    m_scopeRow.assign(size_t(t.numScopes()), -1);
    m_opRow.assign(size_t(t.numOps()), -1);
    for (ScopeId s = 0; s < t.numScopes(); ++s) {
        auto& rows = m_children[size_t(s)];
        for (const Item& it : t.scope(s).items) {
            if (it.isOp() && (!m_showOps || t.isAnchor(it.id)))
                continue; // an anchor op is its scope's own row
            (it.isScope() ? m_scopeRow : m_opRow)[size_t(it.id)] = int32_t(rows.size());
            rows.push_back(it);
        }
    }
}

const std::vector<Item>& ScopeTreeModel::childrenOf(ScopeId s) const { return m_children[size_t(s)]; }

Item ScopeTreeModel::itemOf(const QModelIndex& index) const
{
    if (!index.isValid())
        return Item{Item::Kind::Scope, hierarchy::RootScope};
    const quintptr id = index.internalId();
    return (id & kOpBit) ? Item{Item::Kind::Op, int32_t(id & ~kOpBit)} : Item{Item::Kind::Scope, int32_t(id)};
}

QModelIndex ScopeTreeModel::indexOf(Item item) const
{
    if (!m_doc || item.id < 0)
        return {};
    if (item.isScope()) {
        if (item.id == hierarchy::RootScope || item.id >= int(m_scopeRow.size()) || m_scopeRow[size_t(item.id)] < 0)
            return {};
        return createIndex(m_scopeRow[size_t(item.id)], 0, quintptr(item.id));
    }
    if (item.id >= int(m_opRow.size()))
        return {};
    if (m_opRow[size_t(item.id)] < 0) // not listed (anchor, or ops hidden): its scope stands for it
        return m_doc->tree->isAnchor(item.id) ? indexOf(Item{Item::Kind::Scope, m_doc->tree->opParent(item.id)})
                                              : QModelIndex();
    return createIndex(m_opRow[size_t(item.id)], 0, quintptr(item.id) | kOpBit);
}

QModelIndex ScopeTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!m_doc || column < 0 || column >= ColumnCount || row < 0)
        return {};
    const Item p = itemOf(parent);
    if (!p.isScope())
        return {};
    const auto& rows = childrenOf(p.id);
    if (row >= int(rows.size()))
        return {};
    const Item c = rows[size_t(row)];
    return createIndex(row, column, c.isOp() ? (quintptr(c.id) | kOpBit) : quintptr(c.id));
}

QModelIndex ScopeTreeModel::parent(const QModelIndex& child) const
{
    if (!m_doc || !child.isValid())
        return {};
    const Item c = itemOf(child);
    const ScopeId p = m_doc->tree->itemParent(c);
    if (p <= hierarchy::RootScope)
        return {};
    return createIndex(m_scopeRow[size_t(p)], 0, quintptr(p));
}

int ScopeTreeModel::rowCount(const QModelIndex& parent) const
{
    if (!m_doc || parent.column() > 0)
        return 0;
    const Item p = itemOf(parent);
    return p.isScope() ? int(childrenOf(p.id).size()) : 0;
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
    int32_t v = item.isOp() ? t.variableOfOp(item.id) : t.scope(item.id).variable;
    if (v >= 0 && t.variables()[size_t(v)].shared)
        return t.variables()[size_t(v)].sharedScopes;
    return 0;
}

QVariant ScopeTreeModel::data(const QModelIndex& index, int role) const
{
    if (!m_doc || !index.isValid())
        return {};
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
