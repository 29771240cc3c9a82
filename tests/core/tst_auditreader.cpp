// AuditReader: filters and exports what an audit view shows, over a log the AuditLog wrote.
#include "correct/AuditLog.h"
#include "correct/AuditReader.h"
#include "support/AuditFixtures.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace chronoscope;
using namespace chronoscope::testsupport;

class TestAuditReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readerFiltersAndExports()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
        const AuditLog log(path);
        AuditAttempt a = attemptOn(QStringLiteral("payment-1"), 1, someone(QStringLiteral("alice")));
        a.reason = QStringLiteral("duplicate charge, \"twice\"");
        const qint64 aSeq = log.recordAttempt(a).seq;
        QVERIFY(log.recordOutcome(aSeq, a, AuditOutcome::appended(11, Position{5, 5})).ok());
        QTest::qSleep(30);
        const QDateTime middle = QDateTime::currentDateTimeUtc();
        QTest::qSleep(30);
        AuditAttempt b = attemptOn(QStringLiteral("payment-2"), 2, someone(QStringLiteral("bob")));
        b.reason = QStringLiteral("=HYPERLINK(\"http://x\")");
        const qint64 bSeq = log.recordAttempt(b).seq;
        QVERIFY(log.recordOutcome(bSeq, b, AuditOutcome::conflict(std::nullopt)).ok());
        const AuditAttempt c = attemptOn(QStringLiteral("payment-1"), 3, someone(QStringLiteral("bob")));
        QCOMPARE(log.recordAttempt(c).seq, 5); // no answer ever came

        AuditReader reader(path);
        QCOMPARE(reader.load(), QString());
        QCOMPARE(reader.records().size(), 5);
        auto seqs = [&reader](const AuditFilter &f) {
            QList<qint64> s;
            for (const AuditRecord &r : reader.select(f))
                s.append(r.seq);
            return s;
        };
        AuditFilter f;
        QCOMPARE(seqs(f), (QList<qint64>{1, 2, 3, 4, 5}));
        f.stream = QStringLiteral("payment-1");
        QCOMPARE(seqs(f), (QList<qint64>{1, 2, 5}));
        f = {};
        f.user = QStringLiteral("alice");
        QCOMPARE(seqs(f), (QList<qint64>{1, 2}));
        f.user = QStringLiteral("bob");
        QCOMPARE(seqs(f), (QList<qint64>{3, 4, 5}));
        f.user = QStringLiteral("admin"); // the connection's user
        QCOMPARE(seqs(f).size(), 5);
        f = {};
        f.from = middle;
        QCOMPARE(seqs(f), (QList<qint64>{3, 4, 5}));
        f = {};
        f.to = middle;
        QCOMPARE(seqs(f), (QList<qint64>{1, 2}));
        f = {};
        f.results = QStringList{QStringLiteral("conflict")};
        QCOMPARE(seqs(f), (QList<qint64>{3, 4}));
        f.results = QStringList{QStringLiteral("pending")};
        QCOMPARE(seqs(f), (QList<qint64>{5}));
        f.results = QStringList{QStringLiteral("appended"), QStringLiteral("pending")};
        f.stream = QStringLiteral("payment-1");
        QCOMPARE(seqs(f), (QList<qint64>{1, 2, 5}));

        QCOMPARE(reader.outcomeOf(reader.records().at(0))->seq, 2);
        QCOMPARE(reader.outcomeOf(reader.records().at(2))->text("result"), QStringLiteral("conflict"));
        QVERIFY(!reader.outcomeOf(reader.records().at(4)));
        QCOMPARE(reader.pendingAttempts().size(), 1);
        QCOMPARE(reader.pendingAttempts().first().text("eventId"), c.eventId.toString(QUuid::WithoutBraces));

        // JSON Lines: the lines as they are, so a whole export verifies like the log.
        const QString jsonl = dir.filePath(QStringLiteral("export.jsonl"));
        QCOMPARE(AuditReader::exportJsonLines(reader.records(), jsonl), QString());
        QCOMPARE(readFile(jsonl), readFile(path));
        QCOMPARE(AuditLog(jsonl).verify().records, 5);

        const QString csvPath = dir.filePath(QStringLiteral("export.csv"));
        QCOMPARE(AuditReader::exportCsv(reader.records(), csvPath), QString());
        const QList<QByteArray> rows = readFile(csvPath).split('\n');
        QCOMPARE(rows.size(), 7); // header, 5 rows, the empty piece after the last line end
        QVERIFY(rows.at(0).startsWith("seq,time,kind,result,stream,eventId,eventType,expectedRevision,revision,"));
        QVERIFY2(rows.at(1).contains(",\"duplicate charge, \"\"twice\"\"\","), rows.at(1).constData());
        QVERIFY2(rows.at(3).contains(",\"'=HYPERLINK(\"\"http://x\"\")\","),
                 rows.at(3).constData()); // not run as a formula
        QVERIFY2(rows.at(4).startsWith("4,"), rows.at(4).constData());
        QVERIFY2(rows.at(4).contains(",conflict,payment-2,"), rows.at(4).constData());
        QVERIFY2(rows.at(4).contains(",no_stream,"), rows.at(4).constData());

        // Lines that are not records are skipped (verify() is what judges the file).
        QFile append(path);
        QVERIFY(append.open(QIODevice::Append));
        append.write("not a record\n");
        append.close();
        QCOMPARE(reader.load(), QString());
        QCOMPARE(reader.records().size(), 5);
        QCOMPARE(reader.skippedLines(), 1);
    }

private:
    /// Every writer's attempts are all there, each followed (somewhere later) by its own outcome.
};

QTEST_GUILESS_MAIN(TestAuditReader)
#include "tst_auditreader.moc"
