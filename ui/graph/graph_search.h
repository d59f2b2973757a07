#pragma once
// Search over a document's ops and scopes: a name substring, a /regex/ or
// re:regex, or `type:MatMul`; and the bar (Ctrl+F) that lists the results.
#include "core/hierarchy/hierarchy_types.h"
#include "ui/common/graph_document.h"

#include <QWidget>

#include <vector>

class QLineEdit;
class QListWidget;
class QLabel;

namespace scopeviz::ui {

/// Items matching `query` (ops and scopes, ops by creation order), at most `limit`.
/// Query forms: "type:MatMul" (op type, exact, case-insensitive), "/regex/" or "re:regex", or a name substring.
std::vector<hierarchy::Item> searchGraph(const GraphDocument& doc, const QString& query, int limit = 500,
                                         QString* error = nullptr);

/// A search field with a results list; activating a result asks to reveal it.
class SearchBar : public QWidget {
    Q_OBJECT
public:
    explicit SearchBar(QWidget* parent = nullptr);
    /// The document searched.
    void setDocument(DocumentPtr doc);
    /// Shows the bar and focuses the field.
    void activate();
    /// Runs a query now (tests); returns the number of results.
    int search(const QString& query);
    /// Reveals result `row`.
    void activateResult(int row);
    /// The query field.
    QLineEdit* field() const { return m_field; }

signals:
    /// Reveal this item in the graph.
    void revealRequested(hierarchy::Item item);

protected:
    void keyPressEvent(QKeyEvent* e) override;

private:
    DocumentPtr m_doc;
    QLineEdit* m_field = nullptr;
    QListWidget* m_list = nullptr;
    QLabel* m_status = nullptr;
    std::vector<hierarchy::Item> m_results;
};

} // namespace scopeviz::ui
