#include "ui/inspector/inspector.h"

#include "core/hierarchy/explain.h"
#include "core/hierarchy/variable_index.h"
#include "core/hierarchy/shared_variables.h"
#include "core/summary/summary_ops.h"
#include "ui/common/theme.h"

#include <QRegularExpression>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

namespace scopeviz::ui {

using hierarchy::Item;

namespace {
QString esc(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())).toHtmlEscaped(); }
QString opLink(const Graph& g, OpId id)
{
    return QStringLiteral("<a href=\"op:%1\">%2</a>").arg(id).arg(esc(g.op(id).name()));
}
QString scopeLink(const hierarchy::ScopeTree& t, hierarchy::ScopeId s)
{
    if (s <= hierarchy::RootScope)
        return QStringLiteral("(root)");
    return QStringLiteral("<a href=\"scope:%1\">%2</a>").arg(s).arg(esc(t.path(s)));
}
bool isSummaryType(const std::string& t) { return t.size() > 7 && t.compare(t.size() - 7, 7, "Summary") == 0 && t != "MergeSummary"; }
} // namespace

Inspector::Inspector(QWidget* parent) : QWidget(parent)
{
    auto* lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    m_text = new QTextBrowser(this);
    m_text->setObjectName("inspectorText");
    m_text->setOpenLinks(false);
    // With the scroll bar shown only when needed, a page that overflows is laid out twice: once at
    // the full width, and again when the bar appears and narrows it. A selection pays for the
    // layout on the GUI thread (half its cost on InceptionV3), so the bar stays.
    m_text->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    m_text->setPlaceholderText(tr("Select a node in the graph or the scope tree."));
    lay->addWidget(m_text);
    connect(m_text, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        const QString s = url.toString();
        bool ok = false;
        if (s.startsWith("op:")) {
            int id = s.mid(3).toInt(&ok);
            if (ok)
                emit navigateRequested(Item{Item::Kind::Op, id});
        } else if (s.startsWith("scope:")) {
            int id = s.mid(6).toInt(&ok);
            if (ok)
                emit navigateRequested(Item{Item::Kind::Scope, id});
        }
    });
}

void Inspector::setDocument(DocumentPtr doc)
{
    m_doc = std::move(doc);
    m_summaries.clear();
    if (m_doc && m_doc->graph) {
        const Graph& g = *m_doc->graph;
        for (OpId id = 0; id < g.numOps(); ++id)
            if (isSummaryType(g.op(id).type()))
                m_summaries.emplace_back(id, QString::fromStdString(summary::tagOf(g, id)));
    }
    showModel();
}

void Inspector::showModel()
{
    if (!m_doc || m_doc->properties.isEmpty()) {
        m_text->clear();
        return;
    }
    // An ONNX model's own properties (opset, producer, doc_string, metadata, checker) while nothing is selected.
    QString h = QStringLiteral("<html><body style='font-size:small'><h3 style='margin-bottom:2px'>%1</h3><table cellspacing=2>")
                    .arg(m_doc->title.toHtmlEscaped());
    for (const auto& [key, value] : m_doc->properties)
        h += QStringLiteral("<tr><td style='color:gray'>%1</td><td>%2</td></tr>")
                 .arg(key.toHtmlEscaped(), value.toHtmlEscaped());
    h += "</table></body></html>";
    m_text->setHtml(h);
}

QString Inspector::html() const { return m_text->toHtml(); }

std::vector<std::pair<OpId, QString>> Inspector::summariesUnder(const QString& prefix) const
{
    std::vector<std::pair<OpId, QString>> out;
    for (const auto& s : m_summaries)
        if (prefix.isEmpty() || s.second == prefix || s.second.startsWith(prefix + "/"))
            out.push_back(s);
    return out;
}

void Inspector::showItem(Item item)
{
    if (!m_doc || item.id < 0) {
        showModel();
        emit scopePrefixChanged({});
        return;
    }
    const auto& t = *m_doc->tree;
    QString html = QStringLiteral("<html><body style='font-size:small'>");
    if (item.isOp()) {
        html += opHtml(item.id);
        if (int32_t v = t.variableOfOp(item.id); v >= 0)
            html += variableHtml(v);
    } else {
        if (t.scope(item.id).anchor >= 0) {
            html += opHtml(t.scope(item.id).anchor);
            if (t.scope(item.id).variable >= 0)
                html += variableHtml(t.scope(item.id).variable);
        }
        html += scopeHtml(item.id);
    }
    html += whyHtml(item);
    html += "</body></html>";
    m_text->setHtml(html);
    emit scopePrefixChanged(item.isScope() ? QString::fromUtf8(t.path(item.id).data(), qsizetype(t.path(item.id).size()))
                                           : QString());
}

QString Inspector::whyHtml(Item item) const
{
    // "Why this name?": the same text as `scopeviz --explain NAME` (core/hierarchy/explain.h), with
    // `names` set as code. Shown when the graph carries its construction trace or the name itself has
    // something to tell (a suffix TensorFlow added); a plain imported name would only repeat the title.
    const auto& t = *m_doc->tree;
    const std::string_view name = item.isOp() ? std::string_view(m_doc->graph->op(item.id).name()) : t.path(item.id);
    if (name.empty())
        return {};
    // An ONNX model's names are its exporter's (PyTorch's `encoder_layer_3` is a ModuleList entry,
    // not a suffix TensorFlow added): the TensorFlow story would mislead, so none is told.
    if (!m_doc->modelSummary.isEmpty())
        return {};
    const bool traced = m_doc->graph->traceSize() > 0;
    // Without a trace only a `_N` ending can have a story: skip the work (it runs at every selection).
    static const QRegularExpression suffixed(QStringLiteral("_[0-9]+(/|$)"));
    if (!traced && !suffixed.match(QString::fromUtf8(name.data(), qsizetype(name.size()))).hasMatch())
        return {};
    const hierarchy::Explanation ex = hierarchy::explainName(*m_doc->graph, name);
    if (!ex.found)
        return {};
    const QString text = QString::fromStdString(ex.text);
    const QStringList lines = text.split(QLatin1Char('\n'));
    if (!traced && lines.size() <= 2)
        return {};
    QString body;
    for (const QString& line : lines) {
        QString h = line.toHtmlEscaped();
        // `code` spans: every other backtick opens one.
        QString out;
        bool open = false;
        for (QChar c : h) {
            if (c == QLatin1Char('`')) {
                out += open ? QStringLiteral("</code>") : QStringLiteral("<code>");
                open = !open;
            } else {
                out += c;
            }
        }
        if (open)
            out += QStringLiteral("</code>");
        body += out + QStringLiteral("<br>");
    }
    return QStringLiteral("<p><b>%1</b><br>%2</p>").arg(tr("Why this name?"), body);
}

QString Inspector::opHtml(OpId id) const
{
    const Graph& g = *m_doc->graph;
    const auto& t = *m_doc->tree;
    const Operation& op = g.op(id);
    QString h;
    h += QStringLiteral("<h3 style='margin-bottom:2px'>%1</h3>").arg(esc(op.name()));
    // Label-value lines rather than a <table>: QTextDocument lays a table out cell by cell, several
    // times slower than lines, and this runs on the GUI thread at every selection.
    h += "<p>";
    auto row = [&h](const QString& k, const QString& v) {
        h += QStringLiteral("<span style='color:gray'>%1</span>&nbsp; %2<br>").arg(k, v);
    };
    row(tr("type"), QStringLiteral("<b>%1</b>").arg(esc(op.type())));
    const hierarchy::ScopeId ns = t.opEnclosingScope(id);
    row(tr("name scope"), ns > 0 ? scopeLink(t, ns) : QStringLiteral("(root)"));
    row(tr("variable scope"), op.variableScope().empty() ? QStringLiteral("(root / unknown)") : esc(op.variableScope()));
    row(tr("device"), op.device().empty() ? QStringLiteral("(unplaced)") : esc(op.device()));
    h += "</p>";
    if (op.numOutputs() > 0) {
        h += QStringLiteral("<p><b>%1</b><br>").arg(tr("Outputs"));
        for (int i = 0; i < op.numOutputs(); ++i) {
            const OutputInfo& o = op.outputs()[size_t(i)];
            h += QStringLiteral(":%1 &nbsp;%2 %3<br>").arg(i).arg(esc(dtypeName(o.dtype)), esc(o.shape.toString()));
        }
        h += "</p>";
    }
    if (!op.attrs().empty()) {
        h += QStringLiteral("<p><b>%1</b><br>").arg(tr("Attributes"));
        for (const Attr& a : op.attrs()) {
            std::string v = a.value.toString();
            if (v.size() > 200)
                v = v.substr(0, 200) + "…";
            h += QStringLiteral("%1 = <code>%2</code><br>").arg(esc(a.name.str()), esc(v));
        }
        h += "</p>";
    }
    if (!op.inputs().empty() || !op.controlInputs().empty()) {
        h += QStringLiteral("<p><b>%1</b><br>").arg(tr("Inputs"));
        for (const Output& in : op.inputs())
            if (in.op >= 0 && in.op < g.numOps())
                h += opLink(g, in.op) + (in.index ? QStringLiteral(":%1").arg(in.index) : QString()) + "<br>";
        for (OpId c : op.controlInputs())
            if (c >= 0 && c < g.numOps())
                h += "^" + opLink(g, c) + "<br>";
        h += "</p>";
    }
    QString outs;
    int n = 0;
    for (OpId o : m_doc->index->consumers(id)) {
        if (n++ >= 200)
            break;
        outs += opLink(g, o) + "<br>";
    }
    if (!outs.isEmpty())
        h += QStringLiteral("<p><b>%1</b><br>%2</p>").arg(tr("Consumers"), outs);
    return h;
}

QString Inspector::variableHtml(int32_t v) const
{
    const auto& t = *m_doc->tree;
    const auto& rec = t.variables()[size_t(v)];
    QString h;
    const QString color = themeColor(ThemeColor::SharedVariable, palette()).name();
    h += QStringLiteral("<p><b>%1</b> ").arg(tr("Variable"));
    if (m_doc->index->isShared(v))
        h += QStringLiteral("<span style='color:%1'><b>⇄ shared, used by %2</b></span>")
                 .arg(color, esc(hierarchy::sharingText(rec)));
    else
        h += tr("not shared");
    h += QStringLiteral("<br><span style='color:gray'>%1</span></p>")
             .arg(rec.evidence == hierarchy::VariableEvidence::Trace ? tr("from the get_variable reuse trace")
                                                                     : tr("inferred from the graph's reads (imported graph)"));
    const Graph& g = *m_doc->graph;
    h += QStringLiteral("<p><b>%1</b><br>").arg(tr("Used in"));
    for (const auto& u : rec.users) {
        QString where = u.scope >= 0 ? scopeLink(t, u.scope) : esc(u.path.empty() ? "(root)" : u.path);
        QString role;
        if (u.owner)
            role = rec.evidence == hierarchy::VariableEvidence::Trace ? tr("created here") : tr("owner");
        else if (u.reused)
            role = tr("reused (reuse=%1)").arg(reuseName(u.reuseMode));
        else
            role = tr("consumer");
        QString applications;
        if (u.applications >= 2) {
            // The reader that starts each application (Conv2D_3, Conv2D_5), as links.
            QStringList ops;
            for (size_t i = 0; i < u.applicationOps.size() && i < 20; ++i)
                ops << opLink(g, u.applicationOps[i]);
            if (u.applicationOps.size() > 20)
                ops << tr("… and %1 more").arg(u.applicationOps.size() - 20);
            applications = QStringLiteral("<br>&nbsp;&nbsp;<span style='color:gray'>%1:</span> %2")
                               .arg(tr("%1 applications").arg(u.applications), ops.join(QStringLiteral(", ")));
        }
        h += QStringLiteral("%1 &nbsp;<span style='color:gray'>%2 · %3</span>%4<br>")
                 .arg(where, role, u.reads == 1 ? tr("1 read") : tr("%1 reads").arg(u.reads), applications);
    }
    h += "</p>";
    // The ops of the forward computation that read the value, through `/read`
    // identities and ReadVariableOp (the ops the graph highlights): from the document's index.
    const auto readerOps = m_doc->index->readers(v);
    const int n = int(readerOps.size());
    QString readers;
    for (int i = 0; i < n && i < 200; ++i)
        readers += opLink(g, readerOps[size_t(i)]) + "<br>";
    if (n > 0)
        h += QStringLiteral("<p><b>%1</b><br>%2%3</p>")
                 .arg(tr("Read by (forward computation)"), readers,
                      n > 200 ? tr("… and %1 more<br>").arg(n - 200) : QString());
    return h;
}

QString Inspector::scopeHtml(hierarchy::ScopeId s) const
{
    const auto& t = *m_doc->tree;
    const Graph& g = *m_doc->graph;
    const auto& sc = t.scope(s);
    QString h;
    h += QStringLiteral("<h3 style='margin-bottom:2px'>%1</h3>").arg(s == 0 ? QStringLiteral("(root)") : esc(t.path(s)));
    h += QStringLiteral("<p>%1 · %2 ops · %3 child scopes</p>")
             .arg(sc.kind == hierarchy::ScopeKind::Variable ? tr("variable scope") : tr("name scope"))
             .arg(sc.descendantOps)
             .arg(sc.children.size());
    // Op counts by type over the subtree.
    std::map<std::string, int> byType;
    std::vector<hierarchy::ScopeId> stack{s};
    while (!stack.empty()) {
        hierarchy::ScopeId x = stack.back();
        stack.pop_back();
        for (OpId op : t.scope(x).ops)
            ++byType[t.opType(op)];
        for (auto c : t.scope(x).children)
            stack.push_back(c);
    }
    std::vector<std::pair<int, std::string>> sorted;
    for (auto& [k, n] : byType)
        sorted.emplace_back(n, k);
    std::sort(sorted.rbegin(), sorted.rend());
    h += QStringLiteral("<p><b>%1</b><br>").arg(tr("Ops by type"));
    for (size_t i = 0; i < sorted.size() && i < 15; ++i)
        h += QStringLiteral("%1 × %2<br>").arg(sorted[i].first).arg(esc(sorted[i].second));
    if (sorted.size() > 15)
        h += tr("… and %1 more types").arg(sorted.size() - 15) + "<br>";
    h += "</p>";
    if (!sc.children.empty()) {
        h += QStringLiteral("<p><b>%1</b><br>").arg(tr("Child scopes"));
        for (size_t i = 0; i < sc.children.size() && i < 40; ++i)
            h += scopeLink(t, sc.children[i]) + QStringLiteral(" (%1)<br>").arg(t.scope(sc.children[i]).descendantOps);
        if (sc.children.size() > 40)
            h += tr("… and %1 more").arg(sc.children.size() - 40) + "<br>";
        h += "</p>";
    }
    // Long lists are cut (a scope of InceptionV3 reuses 376 variables): laying out rich text is what a
    // selection costs on the GUI thread, and the scope tree and search reach the rest.
    constexpr int kListed = 40;
    QString created, reused;
    int nCreated = 0, nReused = 0;
    for (const auto& rec : t.variables()) {
        if (rec.ownerScope == s && nCreated++ < kListed)
            created += opLink(g, rec.op) + (rec.shared ? QStringLiteral(" ⇄ %1").arg(rec.applications) : QString()) + "<br>";
        for (const auto& u : rec.users)
            if (u.scope == s && !u.owner && nReused++ < kListed)
                reused += opLink(g, rec.op) + (u.reused ? QStringLiteral(" (reuse=%1)").arg(reuseName(u.reuseMode)) : QString()) + "<br>";
    }
    auto more = [this](int n) { return n > kListed ? tr("… and %1 more").arg(n - kListed) + "<br>" : QString(); };
    if (nCreated > 0)
        h += QStringLiteral("<p><b>%1</b> (%2)<br>%3%4</p>").arg(tr("Variables created here")).arg(nCreated).arg(created, more(nCreated));
    if (nReused > 0)
        h += QStringLiteral("<p><b>%1</b> (%2)<br>%3%4</p>").arg(tr("Variables reused here")).arg(nReused).arg(reused, more(nReused));
    const auto sums = summariesUnder(QString::fromUtf8(t.path(s).data(), qsizetype(t.path(s).size())));
    if (!sums.empty()) {
        h += QStringLiteral("<p><b>%1</b><br>").arg(tr("Summaries logged under this scope"));
        for (const auto& [op, tag] : sums)
            h += QStringLiteral("<a href=\"op:%1\">%2</a> <span style='color:gray'>%3</span><br>")
                     .arg(op)
                     .arg(tag.toHtmlEscaped(), esc(g.op(op).type()));
        h += "</p>";
    }
    return h;
}

} // namespace scopeviz::ui
