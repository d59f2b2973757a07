// The core engine must stay Qt-free and never reach into ui/ (docs/style.md):
// this test reads every file under core/ and fails on a Qt or ui include.
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

class LayeringTest : public QObject {
    Q_OBJECT
private slots:
    void coreIncludesNoQtOrUi()
    {
        const QString core = QStringLiteral(SCOPEVIZ_SOURCE_DIR "/core");
        QDirIterator it(core, {"*.h", "*.cpp"}, QDir::Files, QDirIterator::Subdirectories);
        // Built from pieces: moc's tokenizer trips over a raw string holding a quote.
        const QString quote = QString(QChar(0x22));
        const QRegularExpression bad("^\\s*#\\s*include\\s*[<" + quote + "](Q[A-Za-z]+|Qt[A-Za-z]*/|ui/|qcustomplot)");
        int files = 0;
        QStringList offenders;
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            ++files;
            const QStringList lines = QString::fromUtf8(f.readAll()).split('\n');
            for (int i = 0; i < lines.size(); ++i)
                if (bad.match(lines[i]).hasMatch())
                    offenders << QString("%1:%2: %3").arg(f.fileName()).arg(i + 1).arg(lines[i].trimmed());
        }
        QVERIFY2(files > 10, "core/ sources not found");
        QVERIFY2(offenders.isEmpty(), qPrintable(offenders.join('\n')));
    }
};

QTEST_GUILESS_MAIN(LayeringTest)
#include "layering_test.moc"
