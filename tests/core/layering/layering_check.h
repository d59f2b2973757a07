#pragma once
// The module-graph checks behind layering_test, kept free of the file system
// so that a test can feed them a synthetic tree and watch them fail.
//
// A module is a folder named in the `layering` block of docs/architecture.md
// (`core/exec: core/graph core/summary`). A file belongs to the module whose
// folder is the longest prefix of its path; an include of "core/x/y.h"
// belongs to the module of core/x/y.h. A module may include itself, the
// modules on its line, and (transitively) whatever those may include.
#include <QHash>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>

namespace scopeviz::layering {

/// The documented module graph: module -> the modules it names directly.
struct Rules {
    QMap<QString, QStringList> deps;
    QStringList errors; ///< problems of the block itself (duplicate or unknown modules, no block)
};

/// One `#include` line of a file.
struct Include {
    QString file;   ///< repository-relative path of the including file
    int line = 0;   ///< 1-based
    QString text;   ///< the line as written, trimmed
    QString target; ///< the included path ("core/graph/graph.h", "QObject", ...)
    bool quoted = false;
};

/// Parses the fenced ```layering block of a markdown text.
inline Rules parseRules(const QString& markdown)
{
    Rules r;
    bool inBlock = false, found = false;
    const QStringList lines = markdown.split('\n');
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].trimmed();
        if (!inBlock) {
            if (line == QLatin1String("```layering")) {
                inBlock = true;
                found = true;
            }
            continue;
        }
        if (line.startsWith(QLatin1String("```")))
            break;
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const int colon = line.indexOf(':');
        if (colon <= 0) {
            r.errors << QString("architecture.md: layering line %1 is not `module: dep dep`: %2").arg(i + 1).arg(line);
            continue;
        }
        const QString module = line.left(colon).trimmed();
        if (r.deps.contains(module))
            r.errors << QString("architecture.md: module %1 is listed twice").arg(module);
        r.deps[module] = line.mid(colon + 1).split(' ', Qt::SkipEmptyParts);
    }
    if (!found)
        r.errors << QStringLiteral("architecture.md: no ```layering block");
    for (auto it = r.deps.cbegin(); it != r.deps.cend(); ++it)
        for (const QString& d : it.value())
            if (!r.deps.contains(d))
                r.errors << QString("architecture.md: %1 depends on %2, which is not a module").arg(it.key(), d);
    return r;
}

/// The module of a repository-relative path: the longest module folder that
/// contains it, or "" when none does.
inline QString moduleOf(const Rules& rules, const QString& path)
{
    QString best;
    for (auto it = rules.deps.cbegin(); it != rules.deps.cend(); ++it) {
        const QString& m = it.key();
        if (path.startsWith(m + '/') && m.size() > best.size())
            best = m;
    }
    return best;
}

/// Every module `module` may include: itself and the transitive closure of its line.
inline QSet<QString> allowedFrom(const Rules& rules, const QString& module)
{
    QSet<QString> seen{module};
    QStringList todo{module};
    while (!todo.isEmpty()) {
        const QString m = todo.takeLast();
        for (const QString& d : rules.deps.value(m))
            if (!seen.contains(d)) {
                seen.insert(d);
                todo << d;
            }
    }
    return seen;
}

/// A cycle of a directed graph as "a -> b -> a", or "" when it has none.
inline QString findCycle(const QMap<QString, QSet<QString>>& graph)
{
    enum State { New, Open, Done };
    QHash<QString, State> state;
    QStringList stack;
    QString cycle;
    std::function<bool(const QString&)> visit = [&](const QString& n) {
        state[n] = Open;
        stack << n;
        QStringList next(graph.value(n).cbegin(), graph.value(n).cend());
        next.sort(); // deterministic reports
        for (const QString& m : next) {
            if (state.value(m, New) == Open) {
                cycle = (stack.mid(stack.indexOf(m)) << m).join(QLatin1String(" -> "));
                return true;
            }
            if (state.value(m, New) == New && visit(m))
                return true;
        }
        stack.removeLast();
        state[n] = Done;
        return false;
    };
    for (auto it = graph.cbegin(); it != graph.cend(); ++it)
        if (state.value(it.key(), New) == New && visit(it.key()))
            return cycle;
    return {};
}

/// The documented graph as a cycle-check input.
inline QMap<QString, QSet<QString>> documentedGraph(const Rules& rules)
{
    QMap<QString, QSet<QString>> g;
    for (auto it = rules.deps.cbegin(); it != rules.deps.cend(); ++it)
        g[it.key()] = QSet<QString>(it.value().cbegin(), it.value().cend());
    return g;
}

/// Extracts the #include lines of a file's text.
inline QList<Include> parseIncludes(const QString& file, const QString& text)
{
    static const QRegularExpression re(QStringLiteral("^\\s*#\\s*include\\s*([<\"])([^>\"]+)[>\"]"));
    QList<Include> out;
    const QStringList lines = text.split('\n');
    for (int i = 0; i < lines.size(); ++i) {
        const auto m = re.match(lines[i]);
        if (m.hasMatch())
            out.append({file, i + 1, lines[i].trimmed(), m.captured(2), m.captured(1) == QLatin1String("\"")});
    }
    return out;
}

/// Checks includes against the rules. Returns one "file:line: include -- why"
/// per violation; fills `moduleGraph` with the module edges that exist.
inline QStringList checkIncludes(const Rules& rules, const QList<Include>& includes,
                                 QMap<QString, QSet<QString>>* moduleGraph = nullptr)
{
    // Qt or qcustomplot headers, by their include spelling.
    static const QRegularExpression qtHeader(QStringLiteral("^(Q[A-Za-z]+$|Qt[A-Za-z]*/|qcustomplot)"));
    QStringList out;
    QHash<QString, QSet<QString>> allowedCache;
    for (const Include& inc : includes) {
        const QString from = moduleOf(rules, inc.file);
        const auto report = [&](const QString& why) {
            out << QString("%1:%2: %3 -- %4").arg(inc.file).arg(inc.line).arg(inc.text, why);
        };
        if (from.isEmpty()) {
            report(QStringLiteral("the file is in no module of docs/architecture.md"));
            continue;
        }
        const bool inCore = inc.file.startsWith(QLatin1String("core/"));
        if (inCore && (qtHeader.match(inc.target).hasMatch() || inc.target.startsWith(QLatin1String("ui/")))) {
            report(QStringLiteral("core/ never includes Qt or ui/"));
            continue;
        }
        if (!inc.quoted)
            continue; // system and third-party headers
        const QString to = moduleOf(rules, inc.target);
        if (to.isEmpty()) {
            report(QStringLiteral("includes a header of no documented module (includes are rooted at the repository)"));
            continue;
        }
        if (moduleGraph && to != from)
            (*moduleGraph)[from].insert(to);
        auto cached = allowedCache.find(from);
        if (cached == allowedCache.end())
            cached = allowedCache.insert(from, allowedFrom(rules, from));
        if (!cached->contains(to))
            report(QString("%1 may not include %2").arg(from, to));
    }
    return out;
}

/// File-level include graph of quoted includes among the given files.
inline QMap<QString, QSet<QString>> fileGraph(const QList<Include>& includes, const QSet<QString>& files)
{
    QMap<QString, QSet<QString>> g;
    for (const Include& inc : includes)
        if (inc.quoted && files.contains(inc.target))
            g[inc.file].insert(inc.target);
    return g;
}

} // namespace scopeviz::layering
