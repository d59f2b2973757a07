#pragma once
// Inspector: details of the selected op, variable or scope as rich text with
// clickable links (inputs, outputs, consumers, summaries): a click asks the
// window to reveal that item in the graph.
#include "core/hierarchy/hierarchy_types.h"
#include "ui/common/graph_document.h"

#include <QWidget>

class QTextBrowser;

namespace scopeviz::ui {

/// The "Inspector" dock's contents.
class Inspector : public QWidget {
    Q_OBJECT
public:
    explicit Inspector(QWidget* parent = nullptr);
    /// Switches to another document (clears).
    void setDocument(DocumentPtr doc);
    /// Shows an item (id -1 clears).
    void showItem(hierarchy::Item item);
    /// The HTML shown (tests).
    QString html() const;
    /// Summary ops (ScalarSummary, HistogramSummary, ...) whose tag starts with `prefix` + "/" (or equals it).
    std::vector<std::pair<OpId, QString>> summariesUnder(const QString& prefix) const;

signals:
    /// A link was clicked: reveal this item.
    void navigateRequested(hierarchy::Item item);
    /// A scope was shown: its path, for filtering the scalar tags ("" for none).
    void scopePrefixChanged(const QString& prefix);

private:
    /// Shows the model's own properties (ONNX: opset, producer, doc_string, checker), or nothing.
    void showModel();
    QString opHtml(OpId op) const;
    QString whyHtml(hierarchy::Item item) const;
    QString scopeHtml(hierarchy::ScopeId s) const;
    QString variableHtml(int32_t v) const;
    DocumentPtr m_doc;
    QTextBrowser* m_text = nullptr;
    std::vector<std::pair<OpId, QString>> m_summaries; // every summary op with its tag
};

} // namespace scopeviz::ui
