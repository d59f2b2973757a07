#pragma once
// Helpers shared by the scoping conformance tests (docs/scoping.md). Errors are
// compared on their full text, so the helper returns what() of the expected
// exception type, or a marker that makes a QCOMPARE failure self-explanatory.
#include "core/graph/graph.h"
#include "core/scope/variable_scope.h"
#include "core/util/error.h"

#include <QString>
#include <QStringList>

#include <exception>
#include <string>
#include <string_view>

namespace scopeviz::testing {

/// QString from a std::string_view.
inline QString qs(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

/// Runs f and returns the message of the exception of type E it throws, or a marker
/// ("<no exception>", "<wrong exception: ...>") when it throws nothing or something else.
template <class E, class F>
QString errorText(F&& f)
{
    try {
        f();
    } catch (const E& e) {
        return QString::fromStdString(e.what());
    } catch (const std::exception& e) {
        return QStringLiteral("<wrong exception: %1>").arg(QString::fromStdString(e.what()));
    }
    return QStringLiteral("<no exception>");
}

/// Names of the ops created from index `from` on, in creation order.
inline QStringList opNames(const Graph& g, int from = 0)
{
    QStringList out;
    for (int i = from; i < g.numOps(); ++i)
        out << qs(g.op(i).name());
    return out;
}

/// A NodeDef-style input reference: "name" for output 0, "name:k" otherwise.
inline QString inputRef(const Graph& g, Output o)
{
    QString n = qs(g.op(o.op).name());
    return o.index == 0 ? n : n + QLatin1Char(':') + QString::number(o.index);
}

/// "name Type <- in1, in2" for each op from index `from` on: names, types and wiring at once.
inline QStringList opSignatures(const Graph& g, int from = 0)
{
    QStringList out;
    for (int i = from; i < g.numOps(); ++i) {
        const Operation& op = g.op(i);
        QStringList ins;
        for (const Output& in : op.inputs())
            ins << inputRef(g, in);
        QString s = qs(op.name()) + QLatin1Char(' ') + QString::fromStdString(op.type());
        if (!ins.isEmpty())
            s += QStringLiteral(" <- ") + ins.join(QStringLiteral(", "));
        out << s;
    }
    return out;
}

/// The name of the op that produced o.
inline QString nameOf(const Graph& g, Output o) { return qs(g.op(o.op).name()); }
inline QString nameOf(const Graph& g, OpId id) { return qs(g.op(id).name()); }

/// The `_class` attr of an op joined with ",", or "" when absent.
inline QString classAttr(const Graph& g, OpId id)
{
    const AttrValue* v = g.op(id).attrs().find("_class");
    if (!v || v->kind() != AttrValue::Kind::StringList)
        return {};
    QStringList parts;
    for (const std::string& s : v->strings())
        parts << QString::fromStdString(s);
    return parts.join(QLatin1Char(','));
}

/// tf.variable_scope(None, default_name=d, reuse=r) options.
inline VariableScopeOptions defaultNameOptions(std::string d, Reuse reuse = Reuse::None)
{
    VariableScopeOptions o;
    o.defaultName = std::move(d);
    o.reuse = reuse;
    return o;
}

/// tf.variable_scope(..., dtype=t) options.
inline VariableScopeOptions dtypeOptions(DType t)
{
    VariableScopeOptions o;
    o.dtype = t;
    return o;
}

/// tf.variable_scope(..., auxiliary_name_scope=False) options.
inline VariableScopeOptions noAuxiliaryOptions(Reuse reuse = Reuse::None)
{
    VariableScopeOptions o;
    o.auxiliaryNameScope = false;
    o.reuse = reuse;
    return o;
}

} // namespace scopeviz::testing
