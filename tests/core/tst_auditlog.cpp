// AuditLog: the attempt and outcome records and their chain; verify() names the first broken line and
// why for every kind of tampering, and tells a torn last line (a crash) from tampering; concurrent
// writers (threads, processes, a killed process) leave one valid chain. (The reader: tst_auditreader.)
#include "connection/ConnectionSettings.h"
#include "correct/AuditChain.h"
#include "correct/AuditLog.h"
#include "correct/AuditReader.h"
#include "support/AuditFixtures.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include <sys/types.h>

using namespace chronoscope;
using namespace chronoscope::testsupport;

Q_DECLARE_METATYPE(AuditVerification::Problem)

namespace {

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), bytes.size());
}

/// The complete lines of a log (without line ends).
QList<QByteArray> linesOf(const QByteArray &content)
{
    QList<QByteArray> lines = content.split('\n');
    if (lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

QByteArray joined(const QList<QByteArray> &lines)
{
    QByteArray out;
    for (const QByteArray &l : lines)
        out += l + '\n';
    return out;
}

QJsonObject jsonOf(const QByteArray &line)
{
    return QJsonDocument::fromJson(line).object();
}

/// A log of `pairs` attempts, each with its outcome: lines 1, 3, 5 … are attempts (reason "reason i").
QByteArray logOf(const QString &path, int pairs)
{
    const AuditLog log(path);
    for (int i = 0; i < pairs; ++i) {
        const AuditAttempt a = attemptOn(QStringLiteral("payment-%1").arg(i), i);
        const AuditLog::Written w = log.recordAttempt(a);
        if (!w.ok() || !log.recordOutcome(w.seq, a, AuditOutcome::appended(quint64(11 + i), Position{100, 100})).ok())
            return {};
    }
    return readFile(path);
}

/// A line changed as a careful forger would: the edit, then its own sha256 computed again.
QByteArray rehashed(const QByteArray &line)
{
    const QByteArray content = line.left(line.size() - 77);
    return content + ",\"sha256\":\"" + auditchain::sha256Hex(content) + "\"}";
}

using Tamper = std::function<QByteArray(QList<QByteArray>)>;

} // namespace

class TestAuditLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void attemptAndOutcomeRecords()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sub/audit.jsonl"));
        const AuditLog log(path);
        AuditAttempt a = attemptOn(QStringLiteral("payment-42"), 1);
        a.correctsEventId = QUuid::createUuid();
        a.correlationId = QStringLiteral("order-42-checkout");
        // Whatever the caller passes, a password never reaches the log.
        a.op.connection = QStringLiteral("esdb://admin:changeit@localhost:2113?tls=false");
        const AuditLog::Written attempt = log.recordAttempt(a);
        QVERIFY2(attempt.ok(), qPrintable(attempt.error));
        QCOMPARE(attempt.seq, 1);
        const AuditLog::Written outcome = log.recordOutcome(attempt.seq, a,
                                                            AuditOutcome::appended(12, Position{4711, 4711}));
        QVERIFY2(outcome.ok(), qPrintable(outcome.error));
        QCOMPARE(outcome.seq, 2);

        const QByteArray content = readFile(path);
        QVERIFY(!content.contains("changeit"));
        const QList<QByteArray> lines = linesOf(content);
        QCOMPARE(lines.size(), 2);
        QVERIFY(content.endsWith('\n'));
        // seq, prev, kind and time lead each line, for a person reading the file.
        QVERIFY(lines.at(0).startsWith(
            QByteArray("{\"seq\":1,\"prev\":\"" + auditchain::kGenesis + "\",\"kind\":\"attempt\",\"time\":\"")));
        QVERIFY(lines.at(1).startsWith(
            QByteArray("{\"seq\":2,\"prev\":\"" + auditchain::sha256Hex(lines.at(0)) + "\",\"kind\":\"outcome\"")));
        QCOMPARE(attempt.sha256, auditchain::sha256Hex(lines.at(0)));
        QCOMPARE(outcome.sha256, auditchain::sha256Hex(lines.at(1)));

        const QJsonObject at = jsonOf(lines.at(0));
        QCOMPARE(at.value(QLatin1String("eventId")).toString(), a.eventId.toString(QUuid::WithoutBraces));
        QCOMPARE(at.value(QLatin1String("draftId")).toString(), a.draftId.toString(QUuid::WithoutBraces));
        QCOMPARE(at.value(QLatin1String("stream")).toString(), QStringLiteral("payment-42"));
        QCOMPARE(at.value(QLatin1String("expectedRevision")).toInteger(), qint64(11));
        QCOMPARE(at.value(QLatin1String("eventType")).toString(), QStringLiteral("PaymentRefunded"));
        QCOMPARE(at.value(QLatin1String("data")).toString(), a.data);
        QCOMPARE(at.value(QLatin1String("dataSha256")).toString().toLatin1(), auditchain::sha256Hex(a.data.toUtf8()));
        QCOMPARE(at.value(QLatin1String("metadata")).toString(), a.metadata);
        QCOMPARE(at.value(QLatin1String("metadataSha256")).toString().toLatin1(),
                 auditchain::sha256Hex(a.metadata.toUtf8()));
        QCOMPARE(at.value(QLatin1String("reason")).toString(), QStringLiteral("reason 1"));
        QCOMPARE(at.value(QLatin1String("correctsEventId")).toString(),
                 a.correctsEventId.toString(QUuid::WithoutBraces));
        QCOMPARE(at.value(QLatin1String("correlationId")).toString(), QStringLiteral("order-42-checkout"));
        QCOMPARE(at.value(QLatin1String("osUser")).toString(), QStringLiteral("alice"));
        QCOMPARE(at.value(QLatin1String("connectionUser")).toString(), QStringLiteral("admin"));
        QCOMPARE(at.value(QLatin1String("connection")).toString(),
                 QStringLiteral("esdb://admin:***@localhost:2113?tls=false"));
        QCOMPARE(at.value(QLatin1String("tool")).toString(), QStringLiteral("chronoscope"));
        QCOMPARE(at.value(QLatin1String("toolVersion")).toString(), QStringLiteral(CHRONOSCOPE_VERSION));
        QCOMPARE(at.value(QLatin1String("host")).toString(), QStringLiteral("support-laptop"));
        QVERIFY(QDateTime::fromString(at.value(QLatin1String("time")).toString(), Qt::ISODateWithMs).isValid());

        const QJsonObject out = jsonOf(lines.at(1));
        QCOMPARE(out.value(QLatin1String("attemptSeq")).toInteger(), qint64(1));
        QCOMPARE(out.value(QLatin1String("result")).toString(), QStringLiteral("appended"));
        QCOMPARE(out.value(QLatin1String("revision")).toInteger(), qint64(12));
        QCOMPARE(out.value(QLatin1String("commitPosition")).toInteger(), qint64(4711));
        QCOMPARE(out.value(QLatin1String("eventId")).toString(), a.eventId.toString(QUuid::WithoutBraces));

        // The log holds payloads: it is the user's alone.
        const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup
            | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
        QCOMPARE(QFile::permissions(path) & others, QFileDevice::Permissions());

        const AuditVerification v = log.verify();
        QVERIFY2(v.ok(), qPrintable(v.toString()));
        QCOMPARE(v.records, 2);
        QCOMPARE(v.lastSeq, 2);
        QCOMPARE(v.headSha256, outcome.sha256);
        QCOMPARE(v.toString(), QStringLiteral("OK: 2 records"));
    }

    void operatorFromTheConnection()
    {
        ConnectionSettings settings =
            ConnectionString::parse(QStringLiteral("esdb://ops:s3cret@db1:2113?tls=false")).settings;
        const AuditOperator op = AuditOperator::current(settings, QStringLiteral("chronoscope-cli"));
        QCOMPARE(op.connectionUser, QStringLiteral("ops"));
        QVERIFY(!op.connection.contains(QLatin1String("s3cret")));
        QVERIFY(op.connection.contains(QLatin1String("ops:***@db1")));
        QVERIFY(!op.osUser.isEmpty());
        QCOMPARE(op.tool, QStringLiteral("chronoscope-cli"));
        QCOMPARE(op.toolVersion, QStringLiteral(CHRONOSCOPE_VERSION));
    }

    void everyOutcome()
    {
        QTemporaryDir dir;
        const AuditLog log(dir.filePath(QStringLiteral("audit.jsonl")));
        const AuditAttempt a = attemptOn(QStringLiteral("payment-7"), 0);
        ClientError deleted;
        deleted.kind = ClientError::Kind::StreamDeleted;
        deleted.message = QStringLiteral("Stream 'payment-7' is deleted");
        ClientError wrongVersion;
        wrongVersion.kind = ClientError::Kind::WrongExpectedVersion;
        wrongVersion.actualRevision = 14;
        const QList<AuditOutcome> outcomes = {
            AuditOutcome::appended(11, Position{900, 900}),
            AuditOutcome::alreadyAppended(11, Position{900, 900}),
            AuditOutcome::conflict(13),
            AuditOutcome::conflict(std::nullopt),
            AuditOutcome::error(wrongVersion),
            AuditOutcome::error(deleted),
            AuditOutcome::unknown(QStringLiteral("connection lost before the answer")),
        };
        for (const AuditOutcome &o : outcomes) {
            const AuditLog::Written w = log.recordAttempt(a); // the same event id on every retry
            QVERIFY(w.ok());
            QVERIFY(log.recordOutcome(w.seq, a, o).ok());
        }
        const QList<QByteArray> lines = linesOf(readFile(log.path()));
        QCOMPARE(lines.size(), 14);
        auto outcome = [&](int i) { return jsonOf(lines.at(2 * i + 1)); };
        QCOMPARE(outcome(0).value(QLatin1String("result")).toString(), QStringLiteral("appended"));
        QCOMPARE(outcome(1).value(QLatin1String("result")).toString(), QStringLiteral("already-appended"));
        QCOMPARE(outcome(1).value(QLatin1String("revision")).toInteger(), qint64(11));
        QCOMPARE(outcome(2).value(QLatin1String("result")).toString(), QStringLiteral("conflict"));
        QCOMPARE(outcome(2).value(QLatin1String("actualRevision")).toInteger(), qint64(13));
        QVERIFY(outcome(3).value(QLatin1String("actualRevision")).isNull()); // the stream does not exist
        QCOMPARE(outcome(4).value(QLatin1String("result")).toString(), QStringLiteral("conflict"));
        QCOMPARE(outcome(4).value(QLatin1String("actualRevision")).toInteger(), qint64(14));
        QCOMPARE(outcome(5).value(QLatin1String("result")).toString(), QStringLiteral("error"));
        QCOMPARE(outcome(5).value(QLatin1String("errorKind")).toString(), QStringLiteral("stream-deleted"));
        QCOMPARE(outcome(5).value(QLatin1String("message")).toString(), deleted.message);
        QCOMPARE(outcome(6).value(QLatin1String("result")).toString(), QStringLiteral("unknown"));
        QCOMPARE(outcome(6).value(QLatin1String("message")).toString(),
                 QStringLiteral("connection lost before the answer"));
        for (int i = 0; i < 7; ++i)
            QCOMPARE(outcome(i).value(QLatin1String("attemptSeq")).toInteger(), qint64(2 * i + 1));
        const AuditVerification v = log.verify();
        QVERIFY2(v.ok(), qPrintable(v.toString()));
        QCOMPARE(v.records, 14);
    }

    void emptyOrMissingLogIsWhole()
    {
        QTemporaryDir dir;
        const AuditLog missing(dir.filePath(QStringLiteral("none.jsonl")));
        QVERIFY(missing.verify().ok());
        QCOMPARE(missing.verify().records, 0);
        QVERIFY(!QFile::exists(missing.path())); // verifying creates nothing
        writeFile(dir.filePath(QStringLiteral("empty.jsonl")), {});
        QVERIFY(AuditLog(dir.filePath(QStringLiteral("empty.jsonl"))).verify().ok());
    }

    void tamperingIsFoundAndNamed_data()
    {
        QTest::addColumn<Tamper>("tamper");
        QTest::addColumn<AuditVerification::Problem>("problem");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("detail");
        using P = AuditVerification::Problem;
        // The log: 6 lines, attempts on 1, 3, 5 (reasons "reason 0", "reason 1", "reason 2"), outcomes between.
        QTest::addRow("edit a field") << Tamper([](QList<QByteArray> l) -> QByteArray {
            l[2].replace("reason 1", "reason X");
            return joined(l);
        }) << P::Edited << 3 << "record 3 was changed";
        QTest::addRow("edit a field and its own hash") << Tamper([](QList<QByteArray> l) -> QByteArray {
            l[2] = rehashed(l[2].replace("reason 1", "reason X"));
            return joined(l);
        }) << P::Edited << 3 << "line 3 was changed after line 4 was written";
        QTest::addRow("edit the last line") << Tamper([](QList<QByteArray> l) -> QByteArray {
            l[5].replace("\"appended\"", "\"conflict\"");
            return joined(l);
        }) << P::Edited << 6 << "record 6 was changed";
        QTest::addRow("delete a line") << Tamper([](QList<QByteArray> l) -> QByteArray {
            l.removeAt(2);
            return joined(l);
        }) << P::Removed << 3 << "record 3 is missing before this line";
        QTest::addRow("delete two lines") << Tamper([](QList<QByteArray> l) -> QByteArray {
            l.remove(2, 2);
            return joined(l);
        }) << P::Removed << 3 << "records 3 to 4 are missing";
        QTest::addRow("delete the first line") << Tamper([](QList<QByteArray> l) -> QByteArray {
            l.removeFirst();
            return joined(l);
        }) << P::Removed << 1 << "record 1 is missing";
        QTest::addRow("swap two lines") << Tamper([](QList<QByteArray> l) -> QByteArray {
            l.swapItemsAt(2, 3);
            return joined(l);
        }) << P::Reordered << 3 << "record 4 stands here, but record 3 is further down, at line 4";
        QTest::addRow("move a line to the end") << Tamper([](QList<QByteArray> l) -> QByteArray {
            l.append(l.takeAt(1));
            return joined(l);
        }) << P::Reordered << 2 << "record 2 is further down, at line 6";
        QTest::addRow("copy a line") << Tamper([](QList<QByteArray> l) -> QByteArray {
            const QByteArray copy = l.at(2); // not l.at(2) itself: inserting may move the element it refers to
            l.insert(3, copy);
            return joined(l);
        }) << P::Reordered << 4 << "record 3 stands here, but record 4 is further down";
        QTest::addRow("truncate mid-line") << Tamper([](QList<QByteArray> l) -> QByteArray {
            return joined(l.mid(0, 3)) + l.at(3).left(l.at(3).size() / 2);
        }) << P::TruncatedLastLine << 4 << "the 3 records before it are whole";
        QTest::addRow("truncate inside the seq")
            << Tamper([](QList<QByteArray> l) -> QByteArray { return joined(l.mid(0, 3)) + "{\"se"; })
            << P::TruncatedLastLine << 4 << "stops after 4 bytes";
        QTest::addRow("cut the last line end")
            << Tamper([](QList<QByteArray> l) -> QByteArray { return joined(l).chopped(1); }) << P::TruncatedLastLine
            << 6 << "record 6 is whole but its line end is missing";
        QTest::addRow("append a garbage line")
            << Tamper([](QList<QByteArray> l) -> QByteArray { return joined(l) + "rm -rf the evidence\n"; })
            << P::NotJson << 7 << "not JSON";
        QTest::addRow("append garbage without line end")
            << Tamper([](QList<QByteArray> l) -> QByteArray { return joined(l) + "garbage"; }) << P::NotJson << 7
            << "not the beginning of record 7";
        QTest::addRow("append JSON that is no record") << Tamper([](QList<QByteArray> l) -> QByteArray {
            return joined(l) + "{\"seq\":7,\"note\":\"trust me\"}\n";
        }) << P::NotARecord << 7 << "not an audit record";
        QTest::addRow("insert a blank line") << Tamper([](QList<QByteArray> l) -> QByteArray {
            l.insert(2, QByteArray());
            return joined(l);
        }) << P::NotJson << 3 << "not JSON";
        QTest::addRow("overwrite a line with garbage") << Tamper([](QList<QByteArray> l) -> QByteArray {
            l[3] = "xxxxxxxx";
            return joined(l);
        }) << P::NotJson << 4 << "not JSON";
    }

    void tamperingIsFoundAndNamed()
    {
        QFETCH(Tamper, tamper);
        QFETCH(AuditVerification::Problem, problem);
        QFETCH(int, line);
        QFETCH(QString, detail);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
        const QByteArray original = logOf(path, 3);
        QVERIFY(AuditLog(path).verify().ok());
        writeFile(path, tamper(linesOf(original)));

        const AuditVerification v = AuditLog(path).verify();
        QCOMPARE(AuditVerification::problemName(v.problem), AuditVerification::problemName(problem));
        QCOMPARE(v.line, qint64(line));
        QCOMPARE(v.records, qint64(line - 1));
        QVERIFY2(v.detail.contains(detail), qPrintable(v.detail));
        QVERIFY2(v.toString().startsWith(
                     QStringLiteral("line %1: %2 — ").arg(line).arg(AuditVerification::problemName(problem))),
                 qPrintable(v.toString()));
        // A crash can cut the last line short, and nothing else.
        QCOMPARE(v.suggestsTampering(), problem != AuditVerification::Problem::TruncatedLastLine);
    }

    // A writer that dies mid-line leaves a fragment; the next append closes it with a repair record
    // that names it, so the chain goes on, and the fragment stays in the file for anyone to see.
    void tornLastLineIsRepairedByTheNextAppend()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
        const QList<QByteArray> lines = linesOf(logOf(path, 2)); // 4 lines
        const QByteArray fragment = lines.at(3).left(150);
        writeFile(path, joined(lines.mid(0, 3)) + fragment); // the outcome of record 3 cut short
        const AuditLog log(path);
        AuditVerification v = log.verify();
        QCOMPARE(v.problem, AuditVerification::Problem::TruncatedLastLine);
        QVERIFY(!v.suggestsTampering());

        const AuditAttempt a = attemptOn(QStringLiteral("payment-9"), 9);
        const AuditLog::Written w = log.recordAttempt(a);
        QVERIFY2(w.ok(), qPrintable(w.error));
        QCOMPARE(w.seq, 5); // 4 is the repair record
        const QList<QByteArray> after = linesOf(readFile(path));
        QCOMPARE(after.size(), 6);
        QCOMPARE(after.at(3), fragment); // kept as it was
        const QJsonObject repair = jsonOf(after.at(4));
        QCOMPARE(repair.value(QLatin1String("kind")).toString(), QStringLiteral("repair"));
        QCOMPARE(repair.value(QLatin1String("seq")).toInteger(), qint64(4));
        QCOMPARE(repair.value(QLatin1String("prev")).toString().toLatin1(), auditchain::sha256Hex(fragment));
        QCOMPARE(repair.value(QLatin1String("tornBytes")).toInteger(), qint64(150));

        v = log.verify();
        QVERIFY2(v.ok(), qPrintable(v.toString()));
        QCOMPARE(v.records, 5); // 3 + repair + the new attempt
        QCOMPARE(v.repairedLines, QList<qint64>{4});
        QVERIFY(v.toString().contains(QLatin1String("cut short by a crash")));
        AuditReader reader(path);
        QCOMPARE(reader.load(), QString());
        QCOMPARE(reader.skippedLines(), 1);
        QCOMPARE(reader.records().size(), 5);
        QCOMPARE(reader.pendingAttempts().size(), 2); // the one whose outcome was torn, and the new one

        // A whole record that lost only its line end is simply ended.
        writeFile(path, joined(lines).chopped(1));
        QCOMPARE(log.recordAttempt(a).seq, 5);
        QVERIFY(log.verify().ok());
        QCOMPARE(log.verify().records, 5);
        QVERIFY(log.verify().repairedLines.isEmpty());
    }

    // Nothing is appended after a damaged end: an append the log cannot chain is not made.
    void appendRefusedAfterADamagedEnd_data()
    {
        QTest::addColumn<QByteArray>("tail");
        QTest::addRow("garbage line") << QByteArray("garbage\n");
        QTest::addRow("garbage without line end") << QByteArray("garbage");
        QTest::addRow("a torn line of another chain") << QByteArray("{\"seq\":99,\"prev\":\"00");
        QTest::addRow("edited last line") << QByteArray();
    }

    void appendRefusedAfterADamagedEnd()
    {
        QFETCH(QByteArray, tail);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
        QByteArray content = logOf(path, 2);
        if (tail.isEmpty())
            content.replace("\"appended\"", "\"conflict\"");
        writeFile(path, content + tail);
        const AuditLog::Written w = AuditLog(path).recordAttempt(attemptOn(QStringLiteral("payment-1"), 1));
        QVERIFY(!w.ok());
        QVERIFY2(w.error.contains(QLatin1String("nothing is appended")), qPrintable(w.error));
        QCOMPARE(readFile(path), content + tail); // untouched
    }

    void concurrentThreadsMakeOneChain()
    {
        QTemporaryDir dir;
        const AuditLog log(dir.filePath(QStringLiteral("audit.jsonl")));
        constexpr int kThreads = 4, kAppends = 25;
        std::vector<std::thread> threads;
        std::vector<QStringList> errors(kThreads);
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&log, &errors, t] {
                for (int i = 0; i < kAppends; ++i) {
                    const AuditAttempt a = attemptOn(QStringLiteral("thread-%1").arg(t), i);
                    const AuditLog::Written w = log.recordAttempt(a);
                    const AuditLog::Written o = w.ok()
                        ? log.recordOutcome(w.seq, a, AuditOutcome::appended(1, std::nullopt))
                        : w;
                    if (!o.ok())
                        errors[t].append(o.error);
                }
            });
        }
        for (std::thread &t : threads)
            t.join();
        for (const QStringList &e : errors)
            QVERIFY2(e.isEmpty(), qPrintable(e.join(QLatin1Char('\n'))));
        const AuditVerification v = log.verify();
        QVERIFY2(v.ok(), qPrintable(v.toString()));
        QCOMPARE(v.records, qint64(kThreads * kAppends * 2));
        checkStories(log.path(), QStringLiteral("thread-%1"), kThreads, kAppends);
    }

    void concurrentProcessesMakeOneChain()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
        constexpr int kProcesses = 3, kAppends = 40;
        std::vector<std::unique_ptr<QProcess>> children;
        for (int p = 0; p < kProcesses; ++p) {
            children.push_back(std::make_unique<QProcess>());
            children.back()->start(QStringLiteral(CORRECT_WRITE_HELPER),
                                   {QStringLiteral("audit"), path, QString::number(kAppends), QString::number(p)});
        }
        for (auto &child : children) {
            QVERIFY(child->waitForFinished(60000));
            QVERIFY2(child->exitCode() == 0, child->readAllStandardError().constData());
        }
        const AuditVerification v = AuditLog(path).verify();
        QVERIFY2(v.ok(), qPrintable(v.toString()));
        QCOMPARE(v.records, qint64(kProcesses * kAppends * 2));
        checkStories(path, QStringLiteral("writer-%1"), kProcesses, kAppends);
    }

    // SIGKILL while a child appends in a loop: the log is whole, or its last line is torn (never
    // anything that looks like tampering), and the next append goes on from there.
    void killWhileAppendingLeavesAValidChain()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
        for (int round = 0; round < 3; ++round) {
            QProcess child;
            child.start(QStringLiteral(CORRECT_WRITE_HELPER),
                        {QStringLiteral("audit"), path, QStringLiteral("-1"), QStringLiteral("killed-%1").arg(round)});
            QVERIFY(child.waitForStarted(5000));
            const qint64 sizeBefore = QFileInfo(path).size();
            QElapsedTimer waited;
            waited.start();
            while (QFileInfo(path).size() < sizeBefore + 8 * 1024 && waited.elapsed() < 10000)
                QTest::qSleep(5);
            QCOMPARE(::kill(pid_t(child.processId()), SIGKILL), 0);
            QVERIFY(child.waitForFinished(5000));
            const AuditVerification v = AuditLog(path).verify();
            QVERIFY2(v.ok() || v.problem == AuditVerification::Problem::TruncatedLastLine, qPrintable(v.toString()));
            QVERIFY(!v.suggestsTampering());
            const AuditAttempt a = attemptOn(QStringLiteral("after-kill"), round);
            QVERIFY(AuditLog(path).recordAttempt(a).ok());
            const AuditVerification after = AuditLog(path).verify();
            QVERIFY2(after.ok(), qPrintable(after.toString()));
            QVERIFY(after.records > v.records);
        }
    }

    void checkStories(const QString &path, const QString &streamPattern, int writers, int appends)
    {
        AuditReader reader(path);
        QCOMPARE(reader.load(), QString());
        QCOMPARE(reader.skippedLines(), 0);
        for (int w = 0; w < writers; ++w) {
            AuditFilter f;
            f.stream = streamPattern.arg(w);
            const QList<AuditRecord> records = reader.select(f);
            QCOMPARE(records.size(), appends * 2);
            int attempts = 0;
            for (const AuditRecord &r : records) {
                if (r.kind != QLatin1String("attempt"))
                    continue;
                ++attempts;
                const AuditRecord *outcome = reader.outcomeOf(r);
                QVERIFY(outcome);
                QVERIFY(outcome->seq > r.seq);
                QCOMPARE(outcome->text("eventId"), r.text("eventId"));
            }
            QCOMPARE(attempts, appends);
        }
    }
};

QTEST_GUILESS_MAIN(TestAuditLog)
#include "tst_auditlog.moc"
