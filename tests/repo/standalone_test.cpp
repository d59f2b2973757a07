// A clone of the repository is all a user has: no tracked file may read, cite or require a folder beside
// the checkout (the old sibling folder of reference material), the test data must live inside the tree, and the
// documentation the code cites must be there to read.
#include "tests/support/test_data.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

namespace {

const QString kSource = QStringLiteral(SCOPEVIZ_SOURCE_DIR);

/// The files git tracks, relative to the source tree; without git (a tarball), every file but build output.
QStringList trackedFiles()
{
    QProcess git;
    git.setWorkingDirectory(kSource);
    git.start(QStringLiteral("git"), {QStringLiteral("ls-files"), QStringLiteral("-z")});
    if (git.waitForFinished(30000) && git.exitStatus() == QProcess::NormalExit && git.exitCode() == 0) {
        QStringList files;
        for (const QByteArray& f : git.readAllStandardOutput().split('\0'))
            if (!f.isEmpty())
                files << QString::fromUtf8(f);
        if (!files.isEmpty())
            return files;
    }
    QStringList files;
    QDirIterator it(kSource, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    const QDir root(kSource);
    while (it.hasNext()) {
        const QString rel = root.relativeFilePath(it.next());
        if (!rel.startsWith(QLatin1String(".git/")) && !rel.startsWith(QLatin1String("build")))
            files << rel;
    }
    return files;
}

/// Each line of `text` that holds `needle`, as "file:line: text".
QStringList linesWith(const QString& file, const QByteArray& text, const QByteArray& needle)
{
    QStringList hits;
    if (!text.contains(needle))
        return hits;
    const QList<QByteArray> lines = text.split('\n');
    for (int i = 0; i < lines.size(); ++i)
        if (lines[i].contains(needle))
            hits << QStringLiteral("%1:%2: %3").arg(file).arg(i + 1).arg(QString::fromUtf8(lines[i].trimmed().left(160)));
    return hits;
}

} // namespace

class StandaloneTest : public QObject {
    Q_OBJECT
private slots:
    void noTrackedFileRefersToASiblingFolder()
    {
        // Built from pieces so that this file does not name what it looks for.
        const QByteArray needle = QByteArray("..") + "/" + "shared";
        const QStringList files = trackedFiles();
        QVERIFY2(files.size() > 50, qPrintable(QStringLiteral("only %1 files found under %2").arg(files.size()).arg(kSource)));
        QStringList hits;
        for (const QString& rel : files) {
            QFile f(kSource + '/' + rel);
            if (!f.open(QIODevice::ReadOnly))
                continue; // deleted in the work tree but still in git's index
            hits << linesWith(rel, f.readAll(), needle);
        }
        QVERIFY2(hits.isEmpty(), qPrintable(QStringLiteral("these tracked files refer to a folder beside the "
                                                           "repository:\n") + hits.join('\n')));
    }

    void testDataIsInsideTheRepository()
    {
        const QString data = QDir(QString::fromStdString(scopeviz::testing::testDataDir())).canonicalPath();
        QVERIFY2(!data.isEmpty(), "SCOPEVIZ_TESTDATA does not exist");
        QVERIFY2(data.startsWith(QDir(kSource).canonicalPath() + '/'),
                 qPrintable(QStringLiteral("SCOPEVIZ_TESTDATA is %1, outside %2").arg(data, kSource)));
        const std::string missing = scopeviz::testing::missingTestData();
        QVERIFY2(missing.empty(), missing.c_str());
        for (const char* doc : {"events/SOURCES.md", "graphs/SOURCES.md"})
            QVERIFY2(QFileInfo(data + '/' + doc).isFile(), doc);
    }

    void citedDocumentsAndSectionsExist()
    {
        // Code and tests cite "docs/NAME.md §N"; each cited document and section must be there.
        const QRegularExpression cite(QStringLiteral("docs/([a-z-]+\\.md)((?:[ ,]*§\\d+(?:\\.\\d+)*(?:-§?\\d+)?)*)"));
        const QRegularExpression section(QStringLiteral("§(\\d+(?:\\.\\d+)*)"));
        QStringList problems;
        QHash<QString, QString> docs;
        int citations = 0;
        for (const QString& rel : trackedFiles()) {
            if (rel.startsWith(QLatin1String("tests/data/")) || rel.endsWith(QLatin1String(".png")))
                continue;
            QFile f(kSource + '/' + rel);
            if (!f.open(QIODevice::ReadOnly))
                continue;
            const QString text = QString::fromUtf8(f.readAll());
            for (auto m = cite.globalMatch(text); m.hasNext();) {
                const auto c = m.next();
                const QString doc = c.captured(1);
                if (!docs.contains(doc)) {
                    QFile d(kSource + QStringLiteral("/docs/") + doc);
                    docs.insert(doc, d.open(QIODevice::ReadOnly) ? QString::fromUtf8(d.readAll()) : QString());
                }
                ++citations;
                const QString body = docs.value(doc);
                if (body.isEmpty()) {
                    problems << QStringLiteral("%1 cites docs/%2, which does not exist").arg(rel, doc);
                    continue;
                }
                for (auto s = section.globalMatch(c.captured(2)); s.hasNext();) {
                    const QString n = s.next().captured(1);
                    // A section is a heading that starts with its number ("## 8.4 ...", "### §8.4 ..."), or a
                    // list item labelled with it ("* **4.1** ...").
                    const QString num = QRegularExpression::escape(n);
                    const QRegularExpression heading(
                        QStringLiteral("(?m)^(#+\\s*§?%1[ .:)]|\\s*[*-]\\s+\\*\\*§?%1\\*\\*)").arg(num));
                    if (!heading.match(body).hasMatch())
                        problems << QStringLiteral("%1 cites docs/%2 §%3, which has no such section").arg(rel, doc, n);
                }
            }
        }
        QVERIFY2(citations > 20, qPrintable(QStringLiteral("only %1 citations of docs/ found").arg(citations)));
        problems.removeDuplicates();
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
    }
};

QTEST_GUILESS_MAIN(StandaloneTest)
#include "standalone_test.moc"
