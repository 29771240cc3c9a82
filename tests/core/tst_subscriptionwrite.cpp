// SubscriptionWriter against the sandbox (issue 18): every subscription write goes through the write
// guard and the audit log like a corrective append — refused while locked (no record, no call), not
// made when the log cannot be written, recorded as attempt then outcome (done or failed, with the
// error kind) — and "replay the oldest n" turns the count into the parked stream's $tb + n.
#include "client/ParkedMessages.h"
#include "client/PersistentSubscriptionsClient.h"
#include "client/StreamsClient.h"
#include "connection/ConnectionSettings.h"
#include "correct/AuditLog.h"
#include "correct/AuditReader.h"
#include "correct/SubscriptionWrite.h"
#include "correct/WriteGuard.h"

#include "SandboxServer.h"

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <mutex>

using namespace chronoscope;
using namespace chronoscope::sandbox;

namespace {

const PersistentGroup kGroup = PersistentGroup::onStream("jobs", QStringLiteral("workers"));

QList<AuditRecord> records(const QString &path)
{
    AuditReader reader(path);
    reader.load();
    return reader.records();
}

/// Starts `server` on a free loopback port; the settings to reach it (no hosts when it failed).
ConnectionSettings startOnLoopback(SandboxServer &server)
{
    QString why;
    const int port = server.start(QStringLiteral("127.0.0.1:0"), &why);
    if (port <= 0) {
        qWarning("sandbox: %s", qPrintable(why));
        return {};
    }
    return ConnectionString::parse(QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(port)).settings;
}

} // namespace

class TestSubscriptionWrite : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void guardedAuditedWrites();
    void replayCountsFromTheTruncation();
};

void TestSubscriptionWrite::guardedAuditedWrites()
{
    SandboxServer server;
    const ConnectionSettings settings = startOnLoopback(server);
    QVERIFY(!settings.hosts.isEmpty());
    PersistentSubscriptionsClient client(settings);
    StreamsClient streams(settings);
    QTemporaryDir dir;
    const AuditLog log(dir.filePath(QStringLiteral("audit.jsonl")));
    WriteGuard guard(WriteProfile::adHoc());
    const SubscriptionWriter writer(&client, &streams, &log, &guard, AuditOperator::current(settings));
    SubscriptionOperation create;
    create.kind = SubscriptionOperation::Kind::Create;
    create.group = kGroup;
    create.settings.maxRetryCount = 4;

    // Locked: no record, no call.
    SubscriptionWriteOutcome out = writer.run(create);
    QCOMPARE(out.kind, SubscriptionWriteOutcome::Kind::RefusedByGuard);
    QCOMPARE(out.attemptSeq, 0);
    QVERIFY(!QFile::exists(log.path()));
    QCOMPARE(client.getInfo(kGroup).error.kind, ClientError::Kind::PersistentSubscriptionNotFound);

    QVERIFY(guard.unlock(QStringLiteral("new worker pool")).isEmpty());
    out = writer.run(create);
    QVERIFY2(out.ok(), qPrintable(out.message));
    QCOMPARE(client.getInfo(kGroup).info.settings.maxRetryCount, 4);

    // The server's refusal is recorded as the outcome, with its kind.
    out = writer.run(create);
    QCOMPARE(out.kind, SubscriptionWriteOutcome::Kind::Failed);
    QCOMPARE(out.error.kind, ClientError::Kind::PersistentSubscriptionExists);

    SubscriptionOperation update = create;
    update.kind = SubscriptionOperation::Kind::Update;
    update.settings.maxRetryCount = 7;
    QVERIFY(writer.run(update).ok());
    QCOMPARE(client.getInfo(kGroup).info.settings.maxRetryCount, 7);

    // A log that cannot be written: nothing is sent.
    const AuditLog broken(QStringLiteral("/proc/self/no-such-dir/audit.jsonl"));
    const SubscriptionWriter blind(&client, &streams, &broken, &guard, AuditOperator::current(settings));
    SubscriptionOperation remove;
    remove.kind = SubscriptionOperation::Kind::Delete;
    remove.group = kGroup;
    out = blind.run(remove);
    QCOMPARE(out.kind, SubscriptionWriteOutcome::Kind::AuditFailed);
    QVERIFY(!client.getInfo(kGroup).error);

    QVERIFY(writer.run(remove).ok());
    QCOMPARE(client.getInfo(kGroup).error.kind, ClientError::Kind::PersistentSubscriptionNotFound);

    const QList<AuditRecord> r = records(log.path());
    QCOMPARE(r.size(), 8); // create, create (exists), update, delete: attempt + outcome each
    QStringList seen;
    for (const AuditRecord &rec : r)
        seen << rec.kind + QLatin1Char(':') + rec.text("operation") + QLatin1Char(':')
                + (rec.kind == QLatin1String("subscription-outcome") ? rec.text("result") : rec.text("reason"));
    QCOMPARE(seen,
             QStringList({QStringLiteral("subscription-attempt:create:new worker pool"),
                          QStringLiteral("subscription-outcome:create:done"),
                          QStringLiteral("subscription-attempt:create:new worker pool"),
                          QStringLiteral("subscription-outcome:create:failed"),
                          QStringLiteral("subscription-attempt:update:new worker pool"),
                          QStringLiteral("subscription-outcome:update:done"),
                          QStringLiteral("subscription-attempt:delete:new worker pool"),
                          QStringLiteral("subscription-outcome:delete:done")}));
    QCOMPARE(r[3].text("errorKind"), QStringLiteral("persistent-subscription-exists"));
    QCOMPARE(r[3].fields.value(QLatin1String("attemptSeq")).toInteger(), r[2].seq);
    QCOMPARE(r[0].fields.value(QLatin1String("settings")).toObject().value(QLatin1String("maxRetryCount")).toInt(), 4);
    QVERIFY(!r[0].text("osUser").isEmpty());
    QVERIFY(log.verify().ok());
}

void TestSubscriptionWrite::replayCountsFromTheTruncation()
{
    SandboxServer server;
    for (int i = 0; i < 5; ++i)
        server.store().append("jobs", EventStore::Expected::Any, 0,
                              {ProposedEvent{QUuid::createUuid(), "Job", true, "{}", {}, 0}});
    const ConnectionSettings settings = startOnLoopback(server);
    QVERIFY(!settings.hosts.isEmpty());
    PersistentSubscriptionsClient client(settings);
    StreamsClient streams(settings);
    QVERIFY(!client.create(kGroup, PersistentSubscriptionSettings{}).error);
    std::atomic<int> seen{0};
    std::unique_ptr<PersistentSubscription> sub;
    std::mutex ready;
    {
        std::lock_guard lock(ready);
        sub = client.subscribe(
            kGroup, 10,
            [&](PersistentEvent &&e) {
                std::lock_guard lock(ready);
                if (!e.event.link) // park every first delivery; ack the replayed
                    sub->nack({e.ackId()}, NackAction::Park, QStringLiteral("worker crashed"));
                else
                    sub->ack({e.ackId()});
                ++seen;
            },
            [](const ClientError &) {});
    }
    QTRY_COMPARE_WITH_TIMEOUT(client.getInfo(kGroup).info.parkedMessageCount, qint64(5), 10000);

    // Why each was parked, from the parked links.
    const ParkedMessagesResult read = parked::read(streams, kGroup, 100);
    QVERIFY(!read.error);
    const QList<ParkedMessage> &parked = read.messages;
    QCOMPARE(parked.size(), 5);
    QCOMPARE(parked[2].parkedNumber, quint64(2));
    QCOMPARE(parked[2].eventStream(), QByteArray("jobs"));
    QCOMPARE(parked[2].eventRevision(), qint64(2));
    QVERIFY(parked[2].reason.endsWith(QLatin1String("worker crashed")));
    QVERIFY(parked[2].added.isValid());

    QTemporaryDir dir;
    const AuditLog log(dir.filePath(QStringLiteral("audit.jsonl")));
    WriteGuard guard(WriteProfile::adHoc());
    QVERIFY(guard.unlock(QStringLiteral("workers fixed")).isEmpty());
    const SubscriptionWriter writer(&client, &streams, &log, &guard, AuditOperator::current(settings));
    SubscriptionWriteOutcome out = writer.run(SubscriptionOperation::replay(kGroup, 2));
    QVERIFY2(out.ok(), qPrintable(out.message));
    QCOMPARE(out.stopAt, std::optional<qint64>(2));
    QCOMPARE(out.parkedBefore, qint64(5)); // read before the attempt, and recorded in it
    QTRY_COMPARE_WITH_TIMEOUT(client.getInfo(kGroup).info.parkedMessageCount, qint64(3), 10000);
    // The next 2 start after the first replay's $tb, not from 0 again.
    out = writer.run(SubscriptionOperation::replay(kGroup, 2));
    QCOMPARE(out.stopAt, std::optional<qint64>(4));
    QTRY_COMPARE_WITH_TIMEOUT(client.getInfo(kGroup).info.parkedMessageCount, qint64(1), 10000);
    QCOMPARE(parked::read(streams, kGroup, 100).messages.size(), 1);
    QCOMPARE(writer.run(SubscriptionOperation::replay(kGroup, 0)).kind, SubscriptionWriteOutcome::Kind::Failed);
    // A stop before a parked event number (the CLI's --stop-at) goes to the server as it is.
    out = writer.run(SubscriptionOperation::replayBefore(kGroup, -1));
    QVERIFY(out.kind == SubscriptionWriteOutcome::Kind::Failed && out.attemptSeq == 0);
    out = writer.run(SubscriptionOperation::replayBefore(kGroup, 5)); // the one left is #4
    QVERIFY2(out.ok(), qPrintable(out.message));
    QCOMPARE(out.stopAt, std::optional<qint64>(5));
    QCOMPARE(out.parkedBefore, qint64(1));
    QTRY_COMPARE_WITH_TIMEOUT(client.getInfo(kGroup).info.parkedMessageCount, qint64(0), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(seen.load(), 10, 10000); // 5 parked, then all 5 replayed
    sub->cancel();
    sub->wait();
}

QTEST_MAIN(TestSubscriptionWrite)
#include "tst_subscriptionwrite.moc"
