#include "ui/scope/scope_panel.h"

#include "ui/common/graph_selection_model.h"
#include "ui/scope/scope_tree_model.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTreeView>
#include <QVBoxLayout>

namespace scopeviz::ui {

ScopePanel::ScopePanel(QWidget* parent) : QWidget(parent)
{
    auto* lay = new QVBoxLayout(this);
    lay->setContentsMargins(4, 4, 4, 4);
    lay->setSpacing(4);
    auto* row = new QHBoxLayout;
    m_filter = new QLineEdit(this);
    m_filter->setObjectName("scopeFilter");
    m_filter->setPlaceholderText(tr("Filter scopes…"));
    m_filter->setClearButtonEnabled(true);
    m_showOps = new QCheckBox(tr("Ops"), this);
    m_showOps->setToolTip(tr("Also list the ops inside each scope"));
    row->addWidget(m_filter, 1);
    row->addWidget(m_showOps);
    lay->addLayout(row);
    m_model = new ScopeTreeModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setRecursiveFilteringEnabled(true);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(ScopeTreeModel::NameColumn);
    m_view = new QTreeView(this);
    m_view->setObjectName("scopeTree");
    m_view->setModel(m_proxy);
    m_view->setUniformRowHeights(true);
    m_view->setExpandsOnDoubleClick(false);
    m_view->setAlternatingRowColors(true);
    m_view->setIndentation(14); // deep TF paths: keep room for the names
    m_view->setTextElideMode(Qt::ElideMiddle); // keep a series row's range and count, as the graph's box does
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(ScopeTreeModel::NameColumn, QHeaderView::Stretch);
    // The count columns are sized once per document from the widest texts they can hold, not by
    // ResizeToContents: that re-measures the rows at every expansion, and a selection that reveals a deep
    // scope expands its ancestors (4 ms per selection on a 100k-op graph, on the GUI thread).
    m_view->header()->setSectionResizeMode(ScopeTreeModel::OpsColumn, QHeaderView::Interactive);
    m_view->header()->setSectionResizeMode(ScopeTreeModel::SharedColumn, QHeaderView::Interactive);
    sizeCountColumns();
    lay->addWidget(m_view, 1);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& t) {
        m_syncing = true;
        m_proxy->setFilterFixedString(t);
        if (!t.isEmpty())
            m_view->expandAll(); // show where matches are; the graph keeps its own state
        m_syncing = false;
    });
    connect(m_showOps, &QCheckBox::toggled, m_model, &ScopeTreeModel::setShowOps);
    connect(m_showOps, &QCheckBox::toggled, this, &ScopePanel::sizeCountColumns);
    auto emitExpansion = [this](const QModelIndex& idx, bool expanded) {
        if (m_syncing || !m_selection)
            return;
        const QModelIndex src = m_proxy->mapToSource(idx);
        if (const int32_t series = m_model->seriesOf(src); series >= 0) {
            // A series row opens and closes the series box in the graph.
            if (isSeriesExpanded(series) != expanded)
                m_selection->toggle(hierarchy::seriesKey(*m_selection->document()->tree, series));
            return;
        }
        hierarchy::Item it = m_model->itemOf(src);
        if (it.isScope())
            m_selection->setScopeExpanded(it.id, expanded);
    };
    connect(m_view, &QTreeView::expanded, this, [emitExpansion](const QModelIndex& i) { emitExpansion(i, true); });
    connect(m_view, &QTreeView::collapsed, this, [emitExpansion](const QModelIndex& i) { emitExpansion(i, false); });
    // Double-click on a scope opens (or closes) it here and, through the expansion signals, in the graph;
    // activation (double-click or Enter) then reveals the item there.
    connect(m_view, &QTreeView::doubleClicked, this, [this](const QModelIndex& i) {
        const QModelIndex row = i.siblingAtColumn(0);
        const QModelIndex src = m_proxy->mapToSource(row);
        if ((m_model->itemOf(src).isScope() || m_model->seriesOf(src) >= 0) && m_proxy->hasChildren(row))
            m_view->setExpanded(row, !m_view->isExpanded(row));
    });
    connect(m_view, &QTreeView::activated, this, [this](const QModelIndex& i) {
        if (!m_selection)
            return;
        const QModelIndex src = m_proxy->mapToSource(i.siblingAtColumn(0));
        if (m_model->seriesOf(src) >= 0) // frame the series box itself, without opening it
            m_selection->select(m_model->itemOf(src), SelectionFocus::Reveal);
        else
            m_selection->reveal(m_model->itemOf(src));
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& cur) {
        if (m_syncing || !cur.isValid() || !m_selection)
            return;
        // A selection made in the tree brings the node (and a shared variable's consumers) into view.
        m_selection->select(m_model->itemOf(m_proxy->mapToSource(cur)), SelectionFocus::Show);
    });
}

void ScopePanel::setDocument(DocumentPtr doc)
{
    m_syncing = true;
    m_model->setDocument(std::move(doc));
    m_syncing = false;
    sizeCountColumns();
}

void ScopePanel::sizeCountColumns()
{
    // Once per document (and when op rows are switched on), from the widest text each column can show:
    // the root's op count (or the longest op type, up to a cap), and the longest sharing mark.
    const QFontMetrics fm(m_view->font());
    const int pad = 16; // the cell's margins and the column separator
    int ops = fm.horizontalAdvance(m_model->headerData(ScopeTreeModel::OpsColumn, Qt::Horizontal).toString());
    int shared = fm.horizontalAdvance(m_model->headerData(ScopeTreeModel::SharedColumn, Qt::Horizontal).toString());
    if (const auto& doc = m_model->document()) {
        ops = std::max(ops, fm.horizontalAdvance(QString::number(doc->graph->numOps())));
        if (m_showOps->isChecked()) {
            std::string_view longest;
            for (OpId i = 0; i < doc->graph->numOps(); ++i)
                if (doc->graph->op(i).type().size() > longest.size())
                    longest = doc->graph->op(i).type();
            ops = std::max(ops, std::min(200, fm.horizontalAdvance(QString::fromUtf8(longest.data(), qsizetype(longest.size())))));
        }
        QString widest;
        for (hierarchy::ScopeId s = 1; s < doc->tree->numScopes(); ++s)
            if (const QString t = m_model->sharingText(s); t.size() > widest.size())
                widest = t;
        shared = std::max(shared, fm.horizontalAdvance(widest));
    }
    m_view->header()->resizeSection(ScopeTreeModel::OpsColumn, ops + pad);
    m_view->header()->resizeSection(ScopeTreeModel::SharedColumn, shared + pad);
}

void ScopePanel::setSelectionModel(GraphSelectionModel* model)
{
    if (m_selection)
        disconnect(m_selection, nullptr, this, nullptr);
    m_selection = model;
    if (!m_selection)
        return;
    connect(m_selection, &GraphSelectionModel::expansionChanged, this,
            [this](const std::vector<hierarchy::ScopeId>& scopes, bool expanded, hierarchy::NodeKey anchor) {
                for (hierarchy::ScopeId s : scopes)
                    setScopeExpanded(s, expanded);
                if (hierarchy::keyKind(anchor) == hierarchy::NodeKind::Series)
                    syncExpansion([this](hierarchy::ScopeId s) { return m_selection->isScopeExpanded(s); });
            });
    connect(m_selection, &GraphSelectionModel::expansionReset, this, [this] {
        syncExpansion([this](hierarchy::ScopeId s) { return m_selection->isScopeExpanded(s); });
    });
    connect(m_selection, &GraphSelectionModel::selectionChanged, this, &ScopePanel::setSelectedItem);
}

void ScopePanel::setScopeExpanded(hierarchy::ScopeId s, bool expanded)
{
    QModelIndex idx = m_proxy->mapFromSource(m_model->indexOf(hierarchy::Item{hierarchy::Item::Kind::Scope, s}));
    if (!idx.isValid() || m_view->isExpanded(idx) == expanded)
        return;
    m_syncing = true;
    if (expanded)
        for (QModelIndex p = idx; p.isValid(); p = p.parent())
            m_view->setExpanded(p, true);
    else
        m_view->setExpanded(idx, false);
    m_syncing = false;
}

void ScopePanel::syncExpansion(const std::function<bool(hierarchy::ScopeId)>& expanded)
{
    m_syncing = true;
    std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
        for (int r = 0, n = m_proxy->rowCount(parent); r < n; ++r) {
            QModelIndex idx = m_proxy->index(r, 0, parent);
            const QModelIndex src = m_proxy->mapToSource(idx);
            const int32_t series = m_model->seriesOf(src);
            hierarchy::Item it = m_model->itemOf(src);
            if ((!it.isScope() && series < 0) || !m_proxy->hasChildren(idx))
                continue;
            const bool e = series >= 0 ? isSeriesExpanded(series) : expanded(it.id);
            m_view->setExpanded(idx, e);
            if (e)
                walk(idx);
        }
    };
    walk({});
    m_syncing = false;
}

bool ScopePanel::isSeriesExpanded(int32_t series) const
{
    if (!m_selection || !m_selection->document())
        return false;
    const auto& st = m_selection->expansion();
    const hierarchy::NodeKey key = hierarchy::seriesKey(*m_selection->document()->tree, series);
    return st.expanded.count(key) > 0 || st.ungrouped.count(key) > 0;
}

void ScopePanel::setSelectedItem(hierarchy::Item item)
{
    // A series row stands for its first member, as the series box does in the graph: while the current
    // row already shows the item, it stays; otherwise a member of a series the graph shows closed is
    // shown by the series row.
    const QModelIndex cur = m_proxy->mapToSource(m_view->selectionModel()->currentIndex());
    const bool keep = cur.isValid() && item.id >= 0 && m_model->itemOf(cur) == item;
    QModelIndex src = keep ? cur : m_model->indexOf(item);
    if (!keep && src.isValid() && item.id >= 0 && m_selection && m_selection->document()) {
        const auto& tree = *m_selection->document()->tree;
        const int32_t series = tree.seriesOf(item);
        if (series >= 0 && !isSeriesExpanded(series) && m_model->indexOfSeries(series).isValid())
            src = m_model->indexOfSeries(series);
    }
    m_syncing = true;
    QModelIndex idx = m_proxy->mapFromSource(src);
    if (idx.isValid()) {
        m_view->selectionModel()->setCurrentIndex(idx, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_view->scrollTo(idx);
    } else {
        m_view->selectionModel()->clearSelection();
    }
    m_syncing = false;
}

} // namespace scopeviz::ui
