// The module graph is documented and kept: docs/architecture.md lists which
// module may include which (a ```layering block), and this test reads every
// #include of every file under core/, ui/ and app/ and fails on an include the
// list does not allow (reported as file:line), on a cycle in the documented
// graph or in the actual include graph (between modules or between files),
// and on any Qt or ui/ include in core/ (the engine stays Qt-free).
#include "layering_check.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTest>

using namespace scopeviz::layering;

namespace {

const QString kRoot = QStringLiteral(SCOPEVIZ_SOURCE_DIR);

QString readText(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}

Rules documentedRules() { return parseRules(readText(kRoot + "/docs/architecture.md")); }

/// Every source file under the checked layers, as repository-relative paths.
QStringList sourceFiles()
{
    QStringList out;
    for (const char* top : {"core", "ui", "app"}) {
        QDirIterator it(kRoot + '/' + top, {"*.h", "*.hpp", "*.cpp"}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            out << QDir(kRoot).relativeFilePath(it.next());
    }
    out.sort();
    return out;
}

QList<Include> allIncludes(const QStringList& files)
{
    QList<Include> out;
    for (const QString& f : files)
        out += parseIncludes(f, readText(kRoot + '/' + f));
    return out;
}

} // namespace

class LayeringTest : public QObject {
    Q_OBJECT
private slots:
    void documentNamesEveryModule()
    {
        const Rules rules = documentedRules();
        QVERIFY2(rules.errors.isEmpty(), qPrintable(rules.errors.join('\n')));
        QVERIFY(rules.deps.size() >= 15);
        // Every documented module is a folder, and every folder holding sources is in a module.
        QStringList problems;
        for (auto it = rules.deps.cbegin(); it != rules.deps.cend(); ++it)
            if (!QDir(kRoot + '/' + it.key()).exists())
                problems << it.key() + ": documented but no such folder";
        for (const QString& f : sourceFiles())
            if (moduleOf(rules, f).isEmpty())
                problems << f + ": in no documented module";
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
    }

    void documentedGraphIsAcyclic()
    {
        const QString cycle = findCycle(documentedGraph(documentedRules()));
        QVERIFY2(cycle.isEmpty(), qPrintable("docs/architecture.md allows a cycle: " + cycle));
    }

    void includesFollowTheDocumentedLayers()
    {
        const Rules rules = documentedRules();
        const QStringList files = sourceFiles();
        QVERIFY2(files.size() > 100, "sources not found");
        QMap<QString, QSet<QString>> modules;
        const QList<Include> includes = allIncludes(files);
        const QStringList violations = checkIncludes(rules, includes, &modules);
        QVERIFY2(violations.isEmpty(), qPrintable(violations.join('\n')));

        const QString moduleCycle = findCycle(modules);
        QVERIFY2(moduleCycle.isEmpty(), qPrintable("modules include each other: " + moduleCycle));
        const QString fileCycle = findCycle(fileGraph(includes, QSet<QString>(files.cbegin(), files.cend())));
        QVERIFY2(fileCycle.isEmpty(), qPrintable("files include each other: " + fileCycle));
    }

    void coreIncludesNoQtOrUi()
    {
        // Independent of the documented list: no file under core/ names Qt or ui/.
        QStringList core;
        for (const QString& f : sourceFiles())
            if (f.startsWith(QLatin1String("core/")))
                core << f;
        QVERIFY2(core.size() > 10, "core/ sources not found");
        Rules flat;
        flat.deps["core"] = {};
        const QStringList offenders = checkIncludes(flat, allIncludes(core));
        QStringList qtOrUi;
        for (const QString& o : offenders)
            if (o.contains(QLatin1String("never includes Qt")))
                qtOrUi << o;
        QVERIFY2(qtOrUi.isEmpty(), qPrintable(qtOrUi.join('\n')));
    }

    // The checker itself: a synthetic tree with one violation of each kind
    // must be reported, each with its file and line.
    void checkerReportsViolations()
    {
        const Rules rules = parseRules(QStringLiteral("text\n```layering\n"
                                                      "core/low:\n"
                                                      "core/mid: core/low\n"
                                                      "core/top: core/mid\n"
                                                      "ui/view: core/top\n"
                                                      "```\n"));
        QVERIFY2(rules.errors.isEmpty(), qPrintable(rules.errors.join('\n')));
        QVERIFY(allowedFrom(rules, "core/top").contains("core/low")); // transitive
        QVERIFY(!allowedFrom(rules, "core/low").contains("core/mid"));

        const QString upward = "#include \"core/top/t.h\"";
        QList<Include> includes;
        includes += parseIncludes("core/mid/m.h", "#pragma once\n" + upward + "\n#include \"core/low/l.h\"\n");
        includes += parseIncludes("core/top/t.h", "#include \"core/mid/m.h\"\n"); // allowed
        includes += parseIncludes("core/low/l.cpp", "#include \"core/low/l.h\"\n#include <QString>\n");
        includes += parseIncludes("core/low/k.cpp", "#include \"ui/view/v.h\"\n");
        includes += parseIncludes("core/mid/n.cpp", "#include \"lib/elsewhere.h\"\n");
        includes += parseIncludes("tools/x.cpp", "#include \"core/low/l.h\"\n");
        includes += parseIncludes("ui/view/v.cpp", "#include \"core/low/l.h\"\n#include <QWidget>\n");
        QMap<QString, QSet<QString>> modules;
        const QStringList v = checkIncludes(rules, includes, &modules);
        QCOMPARE(v.size(), 5);
        QCOMPARE(v[0], "core/mid/m.h:2: " + upward + " -- core/mid may not include core/top");
        QVERIFY(v[1].startsWith("core/low/l.cpp:2: #include <QString> -- core/ never includes Qt"));
        QVERIFY(v[2].startsWith("core/low/k.cpp:1: #include \"ui/view/v.h\" -- core/ never includes Qt or ui/"));
        QVERIFY(v[3].startsWith("core/mid/n.cpp:1: #include \"lib/elsewhere.h\" -- includes a header of no"));
        QVERIFY(v[4].startsWith("tools/x.cpp:1: "));
        // The upward include closes a cycle in the actual module graph.
        QCOMPARE(findCycle(modules), QStringLiteral("core/mid -> core/top -> core/mid"));
    }

    void checkerReportsCycles()
    {
        // A documented cycle, and a block naming an unknown module.
        const Rules cyclic = parseRules(QStringLiteral("```layering\na: b\nb: c\nc: a\nd: e\n```\n"));
        QCOMPARE(cyclic.errors, QStringList{"architecture.md: d depends on e, which is not a module"});
        QCOMPARE(findCycle(documentedGraph(cyclic)), QStringLiteral("a -> b -> c -> a"));
        QVERIFY(parseRules(QStringLiteral("no block")).errors.contains("architecture.md: no ```layering block"));

        // Two headers including each other, inside one module (allowed by the list, still a cycle).
        const Rules rules = parseRules(QStringLiteral("```layering\ncore/one:\n```\n"));
        QList<Include> includes;
        includes += parseIncludes("core/one/a.h", "#include \"core/one/b.h\"\n");
        includes += parseIncludes("core/one/b.h", "#include \"core/one/a.h\"\n");
        QVERIFY(checkIncludes(rules, includes).isEmpty());
        QCOMPARE(findCycle(fileGraph(includes, {"core/one/a.h", "core/one/b.h"})),
                 QStringLiteral("core/one/a.h -> core/one/b.h -> core/one/a.h"));
        QVERIFY(findCycle(fileGraph(includes.mid(0, 1), {"core/one/a.h", "core/one/b.h"})).isEmpty());
    }
};

QTEST_GUILESS_MAIN(LayeringTest)
#include "layering_test.moc"
