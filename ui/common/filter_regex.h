#pragma once
// The filter fields of the dashboards (tags, runs): what the user types is a
// case-insensitive regular expression, and text that does not parse as one
// is matched literally, so typing "loss(" never empties the view.
#include <QRegularExpression>
#include <QString>

namespace scopeviz::ui {

/// The regex of a filter field; `valid` (optional) tells whether `text` parsed as a regular expression.
inline QRegularExpression filterRegex(const QString& text, bool* valid = nullptr)
{
    QRegularExpression re(text, QRegularExpression::CaseInsensitiveOption);
    if (valid)
        *valid = re.isValid();
    if (!re.isValid())
        re = QRegularExpression(QRegularExpression::escape(text), QRegularExpression::CaseInsensitiveOption);
    return re;
}

} // namespace scopeviz::ui
