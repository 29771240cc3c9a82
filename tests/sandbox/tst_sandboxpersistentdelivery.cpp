// The sandbox's PersistentSubscriptions service over gRPC, delivery: Ack and Nack, message timeouts retrying
// then parking, replaying parked messages, the consumer strategies with two consumers, $all filters and
// resolved links, checkpoints and parked messages across a restart on --db.
#include "PersistentProbe.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace chronoscope;
using namespace chronoscope::sandbox;
using namespace persistent_test;

class TestSandboxPersistentDelivery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readAckAndCheckpoint();
    void nackParkRetrySkip();
    void timeoutRetriesThenParks();
    void replayParkedWithStopAt();
    void strategies_data();
    void strategies();
    void allWithFilterAndResolvedLinks();
    void survivesRestartOnDb();
};

void TestSandboxPersistentDelivery::readAckAndCheckpoint()
{
    Box box;
    QVERIFY2(box.start(), qPrintable(box.error));
    appendTo(box.server.store(), "orders", 5);
    QVERIFY(create(*box.stub, "orders", "g").ok());
    PersistentProbe probe(*box.stub, "orders", "g");
    auto events = probe.waitFor(5);
    QCOMPARE(events.size(), size_t(5));
    QCOMPARE(probe.confirmation(), std::string("orders::g"));
    for (size_t i = 0; i < events.size(); ++i) {
        QCOMPARE(events[i].revision, quint64(i));
        QCOMPARE(events[i].retryCount, 0);
    }
    probe.ack(idsOf(events));
    // Live events arrive too.
    appendTo(box.server.store(), "orders", 2);
    events = probe.waitFor(7);
    QCOMPARE(events.size(), size_t(7));
    probe.ack({events[5].ackId, events[6].ackId});
    QVERIFY(eventually([&] { return info(*box.stub, "orders", "g")->last_checkpointed_event_position() == "6"; }));
    const auto i = info(*box.stub, "orders", "g");
    QCOMPARE(i->connections_size(), 1);
    QCOMPARE(i->connections(0).total_items(), qint64(7));
    QCOMPARE(i->connections(0).in_flight_messages(), 0);
    QCOMPARE(i->status(), std::string("Live"));
    // The checkpoint is in the server's stream, as a JSON string.
    std::string last;
    box.server.store().readStream("$persistentsubscription-orders::g-checkpoint", 0, true, 100,
                                  [&](const StoredRecord &r) {
                                      QCOMPARE(r.type, std::string("$SubscriptionCheckpoint"));
                                      last = r.data;
                                  });
    QCOMPARE(last, std::string("\"6\""));
}

void TestSandboxPersistentDelivery::nackParkRetrySkip()
{
    Box box;
    QVERIFY2(box.start(), qPrintable(box.error));
    appendTo(box.server.store(), "orders", 3);
    QVERIFY(create(*box.stub, "orders", "g").ok());
    PersistentProbe probe(*box.stub, "orders", "g");
    auto events = probe.waitFor(3);
    QCOMPARE(events.size(), size_t(3));
    probe.nack({events[0].ackId}, pps::ReadReq::Nack::Park, "bad address");
    probe.nack({events[1].ackId}, pps::ReadReq::Nack::Retry, "try again");
    probe.nack({events[2].ackId}, pps::ReadReq::Nack::Skip, "not mine");
    events = probe.waitFor(4);
    QCOMPARE(events.size(), size_t(4)); // only the retried one came back
    QCOMPARE(events[3].revision, quint64(1));
    QCOMPARE(events[3].retryCount, 1);
    probe.ack({events[3].ackId});
    QVERIFY(eventually([&] { return info(*box.stub, "orders", "g")->parked_message_count() == 1; }));
    // The parked message: a link to the event, with the reason in its metadata.
    std::vector<StoredRecord> parked;
    box.server.store().readStream("$persistentsubscription-orders::g-parked", 0, true, 10,
                                  [&](const StoredRecord &r) { parked.push_back(r); });
    QCOMPARE(parked.size(), size_t(1));
    QCOMPARE(parked[0].type, std::string("$>"));
    QCOMPARE(parked[0].data, std::string("0@orders"));
    const QJsonObject md = QJsonDocument::fromJson(QByteArray::fromStdString(parked[0].metadata)).object();
    QCOMPARE(md.value(QStringLiteral("reason")).toString(),
             QStringLiteral("Client explicitly NAK'ed message.\nbad address"));
    QVERIFY(eventually([&] { return info(*box.stub, "orders", "g")->last_checkpointed_event_position() == "2"; }));
}

void TestSandboxPersistentDelivery::timeoutRetriesThenParks()
{
    Box box;
    QVERIFY2(box.start(), qPrintable(box.error));
    appendTo(box.server.store(), "orders", 1);
    QVERIFY(create(*box.stub, "orders", "g", [](auto *s) {
                s->set_message_timeout_ms(60);
                s->set_max_retry_count(2);
            }).ok());
    PersistentProbe probe(*box.stub, "orders", "g");
    // Never acked: sent, retried twice (retry counts 1 and 2), then parked.
    const auto events = probe.waitFor(3);
    QCOMPARE(events.size(), size_t(3));
    QCOMPARE(events[0].retryCount, 0);
    QCOMPARE(events[1].retryCount, 1);
    QCOMPARE(events[2].retryCount, 2);
    QVERIFY(eventually([&] { return info(*box.stub, "orders", "g")->parked_message_count() == 1; }));
    QThread::msleep(200);
    QCOMPARE(probe.events().size(), size_t(3)); // parked: not sent again
    std::string metadata;
    box.server.store().readStream("$persistentsubscription-orders::g-parked", 0, true, 10,
                                  [&](const StoredRecord &r) { metadata = r.metadata; });
    QCOMPARE(QJsonDocument::fromJson(QByteArray::fromStdString(metadata))
                 .object()
                 .value(QStringLiteral("reason"))
                 .toString(),
             QStringLiteral("Reached retry count of 2"));
}

void TestSandboxPersistentDelivery::replayParkedWithStopAt()
{
    Box box;
    QVERIFY2(box.start(), qPrintable(box.error));
    appendTo(box.server.store(), "orders", 4);
    QVERIFY(create(*box.stub, "orders", "g").ok());
    PersistentProbe probe(*box.stub, "orders", "g");
    auto events = probe.waitFor(4);
    QCOMPARE(events.size(), size_t(4));
    for (const ReceivedEvent &e : events)
        probe.nack({e.ackId}, pps::ReadReq::Nack::Park, "later");
    QVERIFY(eventually([&] { return info(*box.stub, "orders", "g")->parked_message_count() == 4; }));
    // stop_at 2: parked messages 0 and 1 come back, through the parked stream's links.
    QVERIFY(replay(*box.stub, "orders", "g", 2).ok());
    events = probe.waitFor(6);
    QCOMPARE(events.size(), size_t(6));
    QCOMPARE(events[4].revision, quint64(0));
    QCOMPARE(events[5].revision, quint64(1));
    QVERIFY(events[4].hasLink);
    QCOMPARE(events[4].retryCount, 0);
    QCOMPARE(info(*box.stub, "orders", "g")->parked_message_count(), qint64(2));
    probe.ack({events[4].ackId, events[5].ackId});
    // The rest.
    QVERIFY(replay(*box.stub, "orders", "g").ok());
    events = probe.waitFor(8);
    QCOMPARE(events.size(), size_t(8));
    QCOMPARE(events[6].revision, quint64(2));
    QCOMPARE(events[7].revision, quint64(3));
    QCOMPARE(info(*box.stub, "orders", "g")->parked_message_count(), qint64(0));
    const auto meta = box.server.store().metadataOf("$persistentsubscription-orders::g-parked");
    QVERIFY(meta && meta->truncateBefore);
    QCOMPARE(*meta->truncateBefore, qint64(4));
}

void TestSandboxPersistentDelivery::strategies_data()
{
    QTest::addColumn<QString>("strategy");
    for (const char *s : {"DispatchToSingle", "RoundRobin", "Pinned", "PinnedByCorrelation"})
        QTest::newRow(s) << QString::fromLatin1(s);
}

void TestSandboxPersistentDelivery::strategies()
{
    QFETCH(QString, strategy);
    Box box;
    QVERIFY2(box.start(), qPrintable(box.error));
    const std::string name = strategy.toStdString();
    // Events of four streams, each with its own correlation id, read through $all with a prefix filter.
    QVERIFY(create(
                *box.stub, "$all", "g", [&](auto *s) { s->set_consumer_strategy(name); },
                [](pps::CreateReq::AllOptions *all) {
                    all->mutable_filter()->mutable_stream_identifier()->add_prefix("order-");
                    all->mutable_filter()->mutable_count();
                })
                .ok());
    // Pinned strategies: room for all, whichever way the streams hash.
    const int slots = strategy.startsWith(QLatin1String("Pinned")) ? 8 : 4;
    PersistentProbe a(*box.stub, "$all", "g", slots);
    PersistentProbe b(*box.stub, "$all", "g", slots);
    QVERIFY(eventually([&] { return info(*box.stub, "$all", "g")->connections_size() == 2; }));
    for (int round = 0; round < 2; ++round)
        for (int s = 0; s < 4; ++s)
            appendTo(box.server.store(), "order-" + std::to_string(s), 1,
                     "{\"$correlationId\":\"c" + std::to_string(s) + "\"}");
    appendTo(box.server.store(), "other", 3); // filtered out
    QVERIFY(eventually([&] { return a.events().size() + b.events().size() == 8; }));
    QThread::msleep(50);
    const auto ea = a.events(), eb = b.events();
    QCOMPARE(ea.size() + eb.size(), size_t(8));
    if (strategy == QLatin1String("DispatchToSingle")) {
        // The first consumer takes all it can (4 slots), the second the rest.
        QCOMPARE(ea.size(), size_t(4));
        QCOMPARE(eb.size(), size_t(4));
        a.ack(idsOf(ea));
        appendTo(box.server.store(), "order-9", 2);
        QVERIFY(eventually([&] { return a.events().size() == 6; }));
        QCOMPARE(b.events().size(), size_t(4));
    } else if (strategy == QLatin1String("RoundRobin")) {
        QCOMPARE(ea.size(), size_t(4));
        QCOMPARE(eb.size(), size_t(4));
        // Alternating: one consumer has the even streams, the other the odd ones (which joined
        // first is up to the two calls).
        auto parity = [](const ReceivedEvent &e) { return (e.stream.back() - '0') % 2; };
        for (const auto &e : ea)
            QCOMPARE(parity(e), parity(ea[0]));
        for (const auto &e : eb)
            QCOMPARE(parity(e), 1 - parity(ea[0]));
    } else {
        // Pinned: each stream (or correlation id) always goes to the same consumer.
        std::set<std::string> sa, sb;
        for (const auto &e : ea)
            sa.insert(e.stream);
        for (const auto &e : eb)
            sb.insert(e.stream);
        for (const std::string &s : sa)
            QVERIFY2(!sb.count(s), s.c_str());
        QCOMPARE(sa.size() + sb.size(), size_t(4));
    }
    for (const auto &e : ea)
        QVERIFY(e.stream.rfind("order-", 0) == 0);
}

void TestSandboxPersistentDelivery::allWithFilterAndResolvedLinks()
{
    Box box;
    QVERIFY2(box.start(), qPrintable(box.error));
    EventStore &store = box.server.store();
    appendTo(store, "order-1", 2);
    store.append("links", EventStore::Expected::Any, 0,
                 {ProposedEvent{QUuid::createUuid(), "$>", false, "1@order-1", {}, 0}});
    QVERIFY(create(*box.stub, "links", "resolved", [](auto *s) { s->set_resolve_links(true); }).ok());
    QVERIFY(create(*box.stub, "links", "raw").ok());
    PersistentProbe resolved(*box.stub, "links", "resolved");
    PersistentProbe raw(*box.stub, "links", "raw");
    const auto r = resolved.waitFor(1);
    QCOMPARE(r.size(), size_t(1));
    QVERIFY(r[0].hasLink);
    QCOMPARE(r[0].stream, std::string("order-1"));
    QCOMPARE(r[0].revision, quint64(1));
    const auto w = raw.waitFor(1);
    QCOMPARE(w.size(), size_t(1));
    QVERIFY(!w[0].hasLink);
    QCOMPARE(w[0].stream, std::string("links"));
    // $all by event type.
    store.append("x", EventStore::Expected::Any, 0, {ProposedEvent{QUuid::createUuid(), "Special", true, "{}", {}, 0}});
    QVERIFY(create(*box.stub, "$all", "types", {}, [](pps::CreateReq::AllOptions *all) {
                all->mutable_filter()->mutable_event_type()->set_regex("^Spec");
                all->mutable_filter()->mutable_count();
            }).ok());
    PersistentProbe types(*box.stub, "$all", "types");
    const auto t = types.waitFor(1);
    QCOMPARE(t.size(), size_t(1));
    QCOMPARE(t[0].stream, std::string("x"));
}

void TestSandboxPersistentDelivery::survivesRestartOnDb()
{
    QTemporaryDir dir;
    Box box;
    std::string why, notice;
    QVERIFY(box.server.store().openLog(dir.filePath(QStringLiteral("db")).toStdString(), &why, &notice));
    QVERIFY2(box.start(), qPrintable(box.error));
    appendTo(box.server.store(), "orders", 4);
    QVERIFY(create(*box.stub, "orders", "g").ok());
    {
        PersistentProbe probe(*box.stub, "orders", "g");
        const auto events = probe.waitFor(4);
        QCOMPARE(events.size(), size_t(4));
        probe.ack({events[0].ackId, events[1].ackId});
        probe.nack({events[2].ackId}, pps::ReadReq::Nack::Park, "broken");
        probe.ack({events[3].ackId});
        QVERIFY(eventually([&] { return info(*box.stub, "orders", "g")->last_checkpointed_event_position() == "3"; }));
        probe.close();
    }
    QString error;
    QVERIFY2(box.server.restart(&error), qPrintable(error));
    const auto i = info(*box.stub, "orders", "g");
    QVERIFY(i);
    QCOMPARE(i->last_checkpointed_event_position(), std::string("3"));
    QCOMPARE(i->parked_message_count(), qint64(1));
    appendTo(box.server.store(), "orders", 1);
    PersistentProbe probe(*box.stub, "orders", "g");
    auto events = probe.waitFor(1);
    QCOMPARE(events.size(), size_t(1));
    QCOMPARE(events[0].revision, quint64(4)); // resumes after the checkpoint
    QVERIFY(replay(*box.stub, "orders", "g").ok());
    events = probe.waitFor(2);
    QCOMPARE(events.size(), size_t(2));
    QCOMPARE(events[1].revision, quint64(2)); // the parked event again
}

QTEST_GUILESS_MAIN(TestSandboxPersistentDelivery)
#include "tst_sandboxpersistentdelivery.moc"
