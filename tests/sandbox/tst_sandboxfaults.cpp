// Fault injection (FaultPlan, SandboxServer::restart): what a client observes under each fault and
// what is durably in the stream afterwards, through our client's Append and a raw BatchAppend.
// 1 000 appends with faults drawn from a seed: tst_sandboxfaultsseeded.cpp.
#include "support/FaultSandbox.h"
#include "support/IdempotencyProbe.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>
#include <QThread>

using namespace chronoscope;
using sandbox::Fault;
using sandbox::FaultPlan;
using test::accepting;
using test::Appender;
using test::FaultSandbox;
using test::Outcome;
using test::Rpc;
using namespace std::chrono_literals;

namespace {

QUuid id(const QByteArray &stream, const QByteArray &name)
{
    return test::namedId(stream, name);
}

QByteArray rpcName(Rpc rpc)
{
    return rpc == Rpc::Append ? "append" : "batch";
}

/// How an Append (our client) or a BatchAppend reports an append whose deadline passed.
QString deadlineKind(Rpc rpc)
{
    return rpc == Rpc::Append ? QStringLiteral("deadline-exceeded") : QStringLiteral("timeout");
}

/// Starts `chronoscope-sandbox` with these arguments; its port, or 0 with `why` set.
int startBinary(QProcess &p, const QStringList &args, QString *why)
{
    p.start(QStringLiteral(CHRONOSCOPE_SANDBOX_BIN), QStringList{QStringLiteral("--insecure")} + args);
    static const QRegularExpression line(QStringLiteral("^listening on 127\\.0\\.0\\.1:(\\d+)$"),
                                         QRegularExpression::MultilineOption);
    QByteArray out;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 20000 && p.state() != QProcess::NotRunning) {
        p.waitForReadyRead(100);
        out += p.readAllStandardOutput();
        if (const auto m = line.match(QString::fromUtf8(out)); m.hasMatch())
            return m.captured(1).toInt();
    }
    *why = QStringLiteral("no 'listening on' line; stderr: ") + QString::fromUtf8(p.readAllStandardError());
    return 0;
}

} // namespace

class TestSandboxFaults : public QObject
{
    Q_OBJECT

    static void addRpcRows()
    {
        QTest::addColumn<Rpc>("rpc");
        QTest::addRow("Append") << Rpc::Append;
        QTest::addRow("BatchAppend") << Rpc::BatchAppend;
    }

private Q_SLOTS:
    void planIsAPureFunctionOfSeedStreamAndCount()
    {
        FaultPlan plan(42);
        plan.at("s", 2, Fault::commitThenDrop());
        plan.add({"", 0, 0.25, {Fault::killBeforeCommit(), Fault::stallThenDrop(100ms, true)}});
        QCOMPARE(plan.faultFor("s", 2), Fault::commitThenDrop());
        int hits = 0;
        for (quint64 n = 1; n <= 4000; ++n) {
            const Fault f = plan.faultFor("t", n);
            QCOMPARE(plan.faultFor("t", n), f); // the same append meets the same fault
            hits += f ? 1 : 0;
        }
        QVERIFY2(hits > 850 && hits < 1150, qPrintable(QString::number(hits)));
        FaultPlan same(42), other(43);
        same.add({"", 0, 0.25, {Fault::killBeforeCommit()}});
        other.add({"", 0, 0.25, {Fault::killBeforeCommit()}});
        int differ = 0;
        for (quint64 n = 1; n <= 200; ++n)
            differ += bool(same.faultFor("t", n)) != bool(other.faultFor("t", n)) ? 1 : 0;
        QVERIFY(differ > 0);

        // next() counts per stream and logs every decision.
        QCOMPARE(plan.next("s"), plan.faultFor("s", 1));
        QCOMPARE(plan.next("s"), Fault::commitThenDrop());
        QCOMPARE(plan.appendsSeen("s"), quint64(2));
        QCOMPARE(plan.decisions().size(), size_t(2));
        QCOMPARE(plan.decisions()[1].nth, quint64(2));
    }

    void planFromJson()
    {
        QString error;
        const auto plan = FaultPlan::fromJson(R"({"seed": 7, "rules": [
            {"stream": "orders-1", "nth": 2, "fault": "commit-then-drop"},
            {"stream": "orders-1", "nth": 3, "fault": "kill-before-commit", "crash": true},
            {"probability": 0.5, "oneOf": [{"fault": "stall-then-commit", "stallMs": 300}]}]})",
                                              &error);
        QVERIFY2(plan, qPrintable(error));
        QCOMPARE(plan->faultFor("orders-1", 2), Fault::commitThenDrop());
        QCOMPARE(plan->faultFor("orders-1", 3), Fault::killBeforeCommit(true));
        QCOMPARE(QString::fromStdString(plan->faultFor("orders-1", 3).toString()),
                 QStringLiteral("kill-before-commit, crash"));
        QVERIFY(!FaultPlan::fromJson(R"({"rules": [{"fault": "explode"}]})", &error));
        QVERIFY2(error.contains(QLatin1String("explode")), qPrintable(error));
        QVERIFY(!FaultPlan::fromJson(R"({"rules": [{"fault": "stall-then-drop"}]})", &error));
        QVERIFY(!FaultPlan::fromJson("[", &error));
    }

    // (a) Killed before the commit: the client sees the connection fail; nothing was written.
    void killBeforeCommit_data() { addRpcRows(); }
    void killBeforeCommit()
    {
        QFETCH(Rpc, rpc);
        FaultSandbox box;
        QString error;
        QVERIFY2(box.start(&error), qPrintable(error));
        const QByteArray s = "kill-" + rpcName(rpc);
        box.plan->at(s.toStdString(), 2, Fault::killBeforeCommit());
        Appender a(box.port, rpc);
        QVERIFY(a.append(s, ExpectedState::noStream(), {id(s, "a")}).ok());
        const Outcome killed = a.append(s, ExpectedState::at(0), {id(s, "b")});
        QCOMPARE(killed.error, QStringLiteral("unavailable"));
        QCOMPARE(a.idsOf(s), QList<QUuid>{id(s, "a")});
        QVERIFY(!box.server.hasCrashed());
        const Outcome retry = a.append(s, ExpectedState::at(0), {id(s, "b")});
        QVERIFY2(retry.ok(), qPrintable(retry.toString()));
        QCOMPARE(retry.next, std::optional<quint64>(1));
        QCOMPARE(a.idsOf(s), (QList<QUuid>{id(s, "a"), id(s, "b")}));
    }

    // (a) with the server dying: it serves nothing until restarted; what was acknowledged survives.
    void killBeforeCommitWithCrash_data() { addRpcRows(); }
    void killBeforeCommitWithCrash()
    {
        QFETCH(Rpc, rpc);
        FaultSandbox box;
        QString error;
        QVERIFY2(box.start(&error), qPrintable(error));
        const QByteArray s = "killcrash-" + rpcName(rpc);
        box.plan->at(s.toStdString(), 2, Fault::killBeforeCommit(true));
        Appender a(box.port, rpc);
        QVERIFY(a.append(s, ExpectedState::noStream(), {id(s, "a")}).ok());
        QCOMPARE(a.append(s, ExpectedState::at(0), {id(s, "b")}).error, QStringLiteral("unavailable"));
        QVERIFY(box.server.hasCrashed());
        QElapsedTimer gone;
        gone.start();
        while (accepting(box.port) && gone.elapsed() < 5000)
            QThread::msleep(5);
        QVERIFY2(!accepting(box.port), "the crashed server still takes connections");

        QVERIFY2(box.server.restart(&error), qPrintable(error));
        QVERIFY(!box.server.hasCrashed());
        QCOMPARE(a.idsOf(s), QList<QUuid>{id(s, "a")});
        Outcome retry;
        for (int i = 0; i < 20 && !(retry = a.append(s, ExpectedState::at(0), {id(s, "b")})).ok(); ++i)
            QCOMPARE(retry.error, QStringLiteral("unavailable")); // the client's channel reconnecting
        QVERIFY2(retry.ok(), qPrintable(retry.toString()));
        QCOMPARE(a.idsOf(s), (QList<QUuid>{id(s, "a"), id(s, "b")}));
    }

    // (b) Committed, then the answer dropped: the client sees the same failure as under (a), but
    // the event is there; a retry with the same ids is answered from it, exact revision or any.
    void commitThenDrop_data()
    {
        QTest::addColumn<Rpc>("rpc");
        QTest::addColumn<bool>("exact");
        for (const Rpc rpc : {Rpc::Append, Rpc::BatchAppend})
            for (const bool exact : {true, false})
                QTest::addRow("%s %s", rpc == Rpc::Append ? "Append" : "BatchAppend", exact ? "exact" : "any")
                    << rpc << exact;
    }
    void commitThenDrop()
    {
        QFETCH(Rpc, rpc);
        QFETCH(bool, exact);
        FaultSandbox box;
        QString error;
        QVERIFY2(box.start(&error), qPrintable(error));
        const QByteArray s = "drop-" + rpcName(rpc) + (exact ? "-exact" : "-any");
        box.plan->at(s.toStdString(), 1, Fault::commitThenDrop());
        Appender a(box.port, rpc);
        const ExpectedState expected = exact ? ExpectedState::noStream() : ExpectedState::any();
        const Outcome dropped = a.append(s, expected, {id(s, "a"), id(s, "b")});
        QCOMPARE(dropped.error, QStringLiteral("unavailable"));
        QCOMPARE(a.idsOf(s), (QList<QUuid>{id(s, "a"), id(s, "b")})); // written all the same
        const Outcome retry = a.append(s, expected, {id(s, "a"), id(s, "b")});
        QVERIFY2(retry.ok(), qPrintable(retry.toString()));
        QCOMPARE(retry.next, std::optional<quint64>(1));
        QCOMPARE(a.idsOf(s).size(), 2);
    }

    // (b) + (d): committed, answer lost with the server, restarted on its --db before the retry.
    // The strong check still answers the retry; the weak one forgot the ids and writes them twice.
    void commitThenCrashThenRestart_data() { commitThenDrop_data(); }
    void commitThenCrashThenRestart()
    {
        QFETCH(Rpc, rpc);
        QFETCH(bool, exact);
        FaultSandbox box;
        QString error;
        QVERIFY2(box.start(&error), qPrintable(error));
        const QByteArray s = "crash-" + rpcName(rpc) + (exact ? "-exact" : "-any");
        box.plan->at(s.toStdString(), 1, Fault::commitThenDrop(true));
        Appender a(box.port, rpc);
        const ExpectedState expected = exact ? ExpectedState::noStream() : ExpectedState::any();
        QCOMPARE(a.append(s, expected, {id(s, "a")}).error, QStringLiteral("unavailable"));
        QVERIFY(box.server.hasCrashed());
        QVERIFY2(box.server.restart(&error), qPrintable(error));
        QCOMPARE(a.idsOf(s), QList<QUuid>{id(s, "a")}); // durable before the answer was lost
        Outcome retry;
        for (int i = 0; i < 20 && !(retry = a.append(s, expected, {id(s, "a")})).ok(); ++i)
            QCOMPARE(retry.error, QStringLiteral("unavailable"));
        QVERIFY2(retry.ok(), qPrintable(retry.toString()));
        if (exact) {
            QCOMPARE(retry.next, std::optional<quint64>(0));
            QCOMPARE(a.idsOf(s), QList<QUuid>{id(s, "a")});
        } else {
            QCOMPARE(retry.next, std::optional<quint64>(1));
            QCOMPARE(a.idsOf(s), (QList<QUuid>{id(s, "a"), id(s, "a")}));
        }
    }

    // (c) Stalled past the client's deadline, then written: the client was told it timed out, the
    // event is there after the stall, and the retry is answered from it.
    void stallThenCommit_data() { addRpcRows(); }
    void stallThenCommit()
    {
        QFETCH(Rpc, rpc);
        FaultSandbox box;
        QString error;
        QVERIFY2(box.start(&error), qPrintable(error));
        const QByteArray s = "stallcommit-" + rpcName(rpc);
        box.plan->at(s.toStdString(), 1, Fault::stallThenCommit(700ms));
        Appender a(box.port, rpc, 300);
        // Append: the client gives up at its deadline, while the server still sits on the append.
        // BatchAppend: the server answers after the stall, the append's deadline having passed.
        QCOMPARE(a.append(s, ExpectedState::noStream(), {id(s, "a")}).error, deadlineKind(rpc));
        QVERIFY(box.stallsOver());
        QCOMPARE(a.idsOf(s), QList<QUuid>{id(s, "a")});
        const Outcome retry = a.append(s, ExpectedState::noStream(), {id(s, "a")});
        QVERIFY2(retry.ok(), qPrintable(retry.toString()));
        QCOMPARE(retry.next, std::optional<quint64>(0));
        QCOMPARE(a.idsOf(s).size(), 1);
    }

    // (c) Stalled past the deadline and dropped: the client sees the same, nothing is written.
    void stallThenDrop_data() { addRpcRows(); }
    void stallThenDrop()
    {
        QFETCH(Rpc, rpc);
        FaultSandbox box;
        QString error;
        QVERIFY2(box.start(&error), qPrintable(error));
        const QByteArray s = "stalldrop-" + rpcName(rpc);
        box.plan->at(s.toStdString(), 1, Fault::stallThenDrop(700ms));
        Appender a(box.port, rpc, 300);
        QCOMPARE(a.append(s, ExpectedState::noStream(), {id(s, "a")}).error, deadlineKind(rpc));
        QVERIFY(box.stallsOver());
        QVERIFY(a.idsOf(s).isEmpty());
        const Outcome retry = a.append(s, ExpectedState::noStream(), {id(s, "a")});
        QVERIFY2(retry.ok(), qPrintable(retry.toString()));
        QCOMPARE(a.idsOf(s), QList<QUuid>{id(s, "a")});
    }

    // (c) The client retries while the original still sits in its stall: the retry writes, the
    // original then finds its ids there and writes nothing — exact revision and any alike.
    void retryWhileTheOriginalStalls_data()
    {
        QTest::addColumn<bool>("exact");
        QTest::addRow("exact") << true;
        QTest::addRow("any") << false;
    }
    void retryWhileTheOriginalStalls()
    {
        QFETCH(bool, exact);
        FaultSandbox box;
        QString error;
        QVERIFY2(box.start(&error), qPrintable(error));
        const QByteArray s = QByteArray("racing-") + (exact ? "exact" : "any");
        box.plan->at(s.toStdString(), 1, Fault::stallThenCommit(800ms));
        Appender a(box.port, Rpc::Append, 250);
        const ExpectedState expected = exact ? ExpectedState::noStream() : ExpectedState::any();
        QCOMPARE(a.append(s, expected, {id(s, "a")}).error, QStringLiteral("deadline-exceeded"));
        QCOMPARE(box.server.stallingAppends(), 1);
        const Outcome retry = a.append(s, expected, {id(s, "a")});
        QVERIFY2(retry.ok(), qPrintable(retry.toString()));
        QCOMPARE(box.server.stallingAppends(), 1); // the original still sits in its stall
        QVERIFY(box.stallsOver());
        QCOMPARE(a.idsOf(s), QList<QUuid>{id(s, "a")});
    }

    // The process itself dies after the commit (`--fault-file`, "crash"): the client's connection
    // is really reset, the process exits with 70, and a new one on the same --db has the event.
    // The retries: the exact one is answered from the stored event, the `any` one writes it again.
    void processCrashAfterCommit()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString plan = dir.filePath(QStringLiteral("faults.json"));
        QFile f(plan);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"rules": [{"stream": "proc-exact", "nth": 1, "fault": "commit-then-drop", "crash": true},
                              {"stream": "proc-any", "nth": 1, "fault": "commit-then-drop", "crash": true}]})");
        f.close();
        const QStringList db{QStringLiteral("--db"), dir.filePath(QStringLiteral("db"))};
        QString why;
        for (const QByteArray &s : {QByteArray("proc-exact"), QByteArray("proc-any")}) {
            const bool exact = s == "proc-exact";
            const ExpectedState expected = exact ? ExpectedState::noStream() : ExpectedState::any();
            QProcess first;
            const int port = startBinary(first,
                                         db
                                             + QStringList{QStringLiteral("--fault-file"), plan,
                                                           QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")},
                                         &why);
            QVERIFY2(port > 0, qPrintable(why));
            {
                Appender a(port, Rpc::Append);
                QCOMPARE(a.append(s, expected, {id(s, "a")}).error, QStringLiteral("unavailable"));
            }
            QVERIFY(first.waitForFinished(10000));
            QCOMPARE(first.exitCode(), 70);
            QVERIFY(first.readAllStandardError().contains("fault plan: crash"));

            // The same port, so the client's connection string does not change; no plan this time
            // (a new process counts appends from 1 again).
            QProcess second;
            QVERIFY2(startBinary(second,
                                 db + QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port)},
                                 &why)
                         == port,
                     qPrintable(why));
            {
                Appender a(port, Rpc::Append);
                QCOMPARE(a.idsOf(s), QList<QUuid>{id(s, "a")});
                const Outcome retry = a.append(s, expected, {id(s, "a")});
                QVERIFY2(retry.ok(), qPrintable(retry.toString()));
                QCOMPARE(a.idsOf(s).size(), exact ? 1 : 2);
            } // its connection closed, the sandbox need not wait for it to go on SIGTERM
            second.terminate();
            QVERIFY(second.waitForFinished(10000));
        }
    }

    // A server stopping ends the stalls under way without writing, and without waiting them out.
    void shutdownEndsStalls()
    {
        FaultSandbox box;
        QString error;
        QVERIFY2(box.start(&error), qPrintable(error));
        box.plan->at("stopped", 1, Fault::stallThenCommit(20000ms));
        Appender a(box.port, Rpc::Append, 200);
        QCOMPARE(a.append("stopped", ExpectedState::any(), {id("stopped", "a")}).error,
                 QStringLiteral("deadline-exceeded"));
        QElapsedTimer t;
        t.start();
        QVERIFY2(box.server.restart(&error), qPrintable(error));
        QVERIFY2(t.elapsed() < 5000, "the restart waited for the stall");
        QVERIFY(a.idsOf("stopped").isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSandboxFaults)
#include "tst_sandboxfaults.moc"
