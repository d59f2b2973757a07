#include "ui/graph/graph_search.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QRegularExpression>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace scopeviz::ui {

using hierarchy::Item;

std::vector<Item> searchGraph(const GraphDocument& doc, const QString& query, int limit, QString* error)
{
    std::vector<Item> out;
    const QString q = query.trimmed();
    if (q.isEmpty() || !doc.tree)
        return out;
    const auto& t = *doc.tree;
    if (q.startsWith(QLatin1String("type:"), Qt::CaseInsensitive)) {
        const std::string type = q.mid(5).trimmed().toLower().toStdString();
        for (OpId op = 0; op < t.numOps() && int(out.size()) < limit; ++op) {
            const std::string& ty = t.opType(op);
            if (ty.size() == type.size() && std::equal(ty.begin(), ty.end(), type.begin(), [](char a, char b) {
                    return std::tolower(uint8_t(a)) == b;
                }))
                out.push_back(Item{Item::Kind::Op, op});
        }
        return out;
    }
    QString pattern;
    if (q.size() > 2 && q.startsWith('/') && q.endsWith('/'))
        pattern = q.mid(1, q.size() - 2);
    else if (q.startsWith(QLatin1String("re:")))
        pattern = q.mid(3);
    if (!pattern.isNull()) {
        QRegularExpression re(pattern, QRegularExpression::CaseInsensitiveOption);
        if (!re.isValid()) {
            if (error)
                *error = QStringLiteral("Bad regular expression: %1").arg(re.errorString());
            return out;
        }
        for (hierarchy::ScopeId s = 1; s < t.numScopes() && int(out.size()) < limit; ++s)
            if (t.scope(s).anchor < 0 && re.match(QString::fromUtf8(t.path(s).data(), qsizetype(t.path(s).size()))).hasMatch())
                out.push_back(Item{Item::Kind::Scope, s});
        for (OpId op = 0; op < t.numOps() && int(out.size()) < limit; ++op)
            if (re.match(QString::fromUtf8(t.opName(op).data(), qsizetype(t.opName(op).size()))).hasMatch())
                out.push_back(Item{Item::Kind::Op, op});
        return out;
    }
    const std::string needle = q.toLower().toStdString();
    auto contains = [&needle](std::string_view hay) {
        if (needle.size() > hay.size())
            return false;
        for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
            size_t k = 0;
            while (k < needle.size() && std::tolower(uint8_t(hay[i + k])) == uint8_t(needle[k]))
                ++k;
            if (k == needle.size())
                return true;
        }
        return false;
    };
    // Scopes first (they are few and usually what one looks for), then ops; anchored scopes show as their op.
    for (hierarchy::ScopeId s = 1; s < t.numScopes() && int(out.size()) < limit; ++s)
        if (t.scope(s).anchor < 0 && contains(t.path(s)))
            out.push_back(Item{Item::Kind::Scope, s});
    for (OpId op = 0; op < t.numOps() && int(out.size()) < limit; ++op)
        if (contains(t.opName(op)))
            out.push_back(Item{Item::Kind::Op, op});
    return out;
}

SearchBar::SearchBar(QWidget* parent) : QWidget(parent)
{
    setObjectName("searchBar");
    auto* lay = new QVBoxLayout(this);
    lay->setContentsMargins(6, 4, 6, 4);
    lay->setSpacing(3);
    auto* row = new QHBoxLayout;
    m_field = new QLineEdit(this);
    m_field->setObjectName("searchField");
    m_field->setPlaceholderText(tr("Find ops and scopes: name, /regex/ or type:MatMul"));
    m_field->setClearButtonEnabled(true);
    m_status = new QLabel(this);
    auto* close = new QToolButton(this);
    close->setText(QStringLiteral("✕"));
    close->setAutoRaise(true);
    close->setToolTip(tr("Close (Esc)"));
    row->addWidget(m_field, 1);
    row->addWidget(m_status);
    row->addWidget(close);
    lay->addLayout(row);
    m_list = new QListWidget(this);
    m_list->setObjectName("searchResults");
    m_list->setMaximumHeight(160);
    m_list->setUniformItemSizes(true);
    m_list->hide();
    lay->addWidget(m_list);
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    auto* debounce = new QTimer(this);
    debounce->setSingleShot(true);
    debounce->setInterval(150);
    connect(m_field, &QLineEdit::textChanged, debounce, qOverload<>(&QTimer::start));
    connect(debounce, &QTimer::timeout, this, [this] { search(m_field->text()); });
    connect(m_field, &QLineEdit::returnPressed, this, [this] {
        search(m_field->text());
        activateResult(m_list->currentRow() >= 0 ? m_list->currentRow() : 0);
    });
    connect(m_list, &QListWidget::itemActivated, this, [this](QListWidgetItem* it) { activateResult(m_list->row(it)); });
    connect(m_list, &QListWidget::itemClicked, this, [this](QListWidgetItem* it) { activateResult(m_list->row(it)); });
    hide();
}

void SearchBar::setDocument(DocumentPtr doc)
{
    m_doc = std::move(doc);
    m_results.clear();
    m_list->clear();
    m_list->hide();
    m_status->clear();
}

void SearchBar::activate()
{
    show();
    m_field->setFocus();
    m_field->selectAll();
}

int SearchBar::search(const QString& query)
{
    m_list->clear();
    m_results.clear();
    if (!m_doc) {
        m_list->hide();
        return 0;
    }
    QString error;
    constexpr int kLimit = 500;
    m_results = searchGraph(*m_doc, query, kLimit, &error);
    const auto& t = *m_doc->tree;
    for (const Item& it : m_results) {
        QString text = it.isScope() ? QString::fromUtf8(t.path(it.id).data(), qsizetype(t.path(it.id).size())) + "/"
                                    : QStringLiteral("%1   —  %2")
                                          .arg(QString::fromUtf8(t.opName(it.id).data(), qsizetype(t.opName(it.id).size())),
                                               QString::fromStdString(t.opType(it.id)));
        m_list->addItem(text);
    }
    m_list->setVisible(!m_results.empty());
    if (!error.isEmpty())
        m_status->setText(error);
    else if (query.trimmed().isEmpty())
        m_status->clear();
    else
        m_status->setText(m_results.size() >= size_t(kLimit) ? tr("%1+ found").arg(kLimit) : tr("%n found", nullptr, int(m_results.size())));
    if (!m_results.empty())
        m_list->setCurrentRow(0);
    return int(m_results.size());
}

void SearchBar::activateResult(int row)
{
    if (row >= 0 && row < int(m_results.size()))
        emit revealRequested(m_results[size_t(row)]);
}

void SearchBar::keyPressEvent(QKeyEvent* e)
{
    if (e->key() == Qt::Key_Escape) {
        hide();
        return;
    }
    if ((e->key() == Qt::Key_Down || e->key() == Qt::Key_Up) && m_list->count() > 0) {
        int r = m_list->currentRow() + (e->key() == Qt::Key_Down ? 1 : -1);
        m_list->setCurrentRow(std::clamp(r, 0, m_list->count() - 1));
        return;
    }
    QWidget::keyPressEvent(e);
}

} // namespace scopeviz::ui
