// The sandbox's PersistentSubscriptions service over gRPC: every call, the settings, Ack and Nack,
// message timeouts retrying then parking, the consumer strategies with two consumers, checkpoints
// and parked messages across a restart on --db, and replaying parked messages.
#include "EventStore.h"
#include "SandboxServer.h"

#include "PersistentProbe.h"
#include "serverfeatures.grpc.pb.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace chronoscope;
using namespace chronoscope::sandbox;

namespace {

void appendTo(EventStore &store, const std::string &stream, int n, const std::string &metadata = {})
{
    for (int i = 0; i < n; ++i)
        store.append(stream, EventStore::Expected::Any, 0,
                     {ProposedEvent{QUuid::createUuid(), "Tick", true, "{\"i\":" + std::to_string(i) + "}", metadata, 0}});
}

struct Box
{
    SandboxServer server;
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<pps::PersistentSubscriptions::Stub> stub;
    QString error;
    bool start()
    {
        const int port = server.start(QStringLiteral("127.0.0.1:0"), &error);
        if (port <= 0)
            return false;
        channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
        stub = pps::PersistentSubscriptions::NewStub(channel);
        return true;
    }
};

using SettingsEdit = std::function<void(pps::CreateReq::Settings *)>;

/// Fast settings: short timeouts, checkpoints after every event.
void fast(pps::CreateReq::Settings *s)
{
    s->set_message_timeout_ms(10000);
    s->set_max_retry_count(10);
    s->set_live_buffer_size(100);
    s->set_read_batch_size(10);
    s->set_history_buffer_size(100);
    s->set_checkpoint_after_ms(0);
    s->set_min_checkpoint_count(1);
    s->set_max_checkpoint_count(1);
    s->set_consumer_strategy("RoundRobin");
}

grpc::Status create(pps::PersistentSubscriptions::Stub &stub, const std::string &stream, const std::string &group,
                    const SettingsEdit &edit = {}, const std::function<void(pps::CreateReq::AllOptions *)> &all = {})
{
    pps::CreateReq req;
    auto *o = req.mutable_options();
    o->set_group_name(group);
    if (stream == "$all") {
        o->mutable_all()->mutable_start();
        if (all)
            all(o->mutable_all());
        else
            o->mutable_all()->mutable_no_filter();
    } else {
        o->mutable_stream()->mutable_stream_identifier()->set_stream_name(stream);
        o->mutable_stream()->mutable_start();
    }
    fast(o->mutable_settings());
    if (edit)
        edit(o->mutable_settings());
    pps::CreateResp resp;
    grpc::ClientContext ctx;
    return stub.Create(&ctx, req, &resp);
}

std::optional<pps::SubscriptionInfo> info(pps::PersistentSubscriptions::Stub &stub, const std::string &stream,
                                          const std::string &group, grpc::Status *status = nullptr)
{
    pps::GetInfoReq req;
    if (stream == "$all")
        req.mutable_options()->mutable_all();
    else
        req.mutable_options()->mutable_stream_identifier()->set_stream_name(stream);
    req.mutable_options()->set_group_name(group);
    pps::GetInfoResp resp;
    grpc::ClientContext ctx;
    const grpc::Status s = stub.GetInfo(&ctx, req, &resp);
    if (status)
        *status = s;
    if (!s.ok())
        return std::nullopt;
    return resp.subscription_info();
}

grpc::Status replay(pps::PersistentSubscriptions::Stub &stub, const std::string &stream, const std::string &group,
                    std::optional<qint64> stopAt = std::nullopt)
{
    pps::ReplayParkedReq req;
    req.mutable_options()->mutable_stream_identifier()->set_stream_name(stream);
    req.mutable_options()->set_group_name(group);
    if (stopAt)
        req.mutable_options()->set_stop_at(*stopAt);
    else
        req.mutable_options()->mutable_no_limit();
    pps::ReplayParkedResp resp;
    grpc::ClientContext ctx;
    return stub.ReplayParked(&ctx, req, &resp);
}

std::string trailer(const grpc::ClientContext &ctx, const char *key)
{
    const auto &md = ctx.GetServerTrailingMetadata();
    const auto it = md.find(key);
    return it == md.end() ? std::string() : std::string(it->second.data(), it->second.size());
}

std::vector<QUuid> idsOf(const std::vector<ReceivedEvent> &events)
{
    std::vector<QUuid> out;
    for (const ReceivedEvent &e : events)
        out.push_back(e.ackId);
    return out;
}

/// Polls `check` for up to `ms`.
bool eventually(const std::function<bool()> &check, int ms = 5000)
{
    QElapsedTimer t;
    t.start();
    while (!check()) {
        if (t.elapsed() > ms)
            return false;
        QThread::msleep(5);
    }
    return true;
}

} // namespace

class TestSandboxPersistent : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void advertisedInServerFeatures();
    void createGetInfoListDelete();
    void errors();
    void readAckAndCheckpoint();
    void nackParkRetrySkip();
    void timeoutRetriesThenParks();
    void replayParkedWithStopAt();
    void strategies_data();
    void strategies();
    void allWithFilterAndResolvedLinks();
    void maxSubscribersAndUpdateDropsConsumers();
    void survivesRestartOnDb();
};

void TestSandboxPersistent::advertisedInServerFeatures()
{
    Box box;
    QVERIFY2(box.start(), qPrintable(box.error));
    event_store::client::server_features::SupportedMethods methods;
    grpc::ClientContext ctx;
    QVERIFY(event_store::client::server_features::ServerFeatures::NewStub(box.channel)
                ->GetSupportedMethods(&ctx, event_store::client::Empty(), &methods)
                .ok());
    std::set<std::string> found;
    for (const auto &m : methods.methods())
        if (m.service_name() == "event_store.client.persistent_subscriptions.persistentsubscriptions") {
            found.insert(m.method_name());
            QCOMPARE(m.features_size(), 2);
            QCOMPARE(m.features(0), std::string("stream"));
            QCOMPARE(m.features(1), std::string("all"));
        }
    const std::set<std::string> expected = {"create", "update", "delete", "read", "getinfo", "replayparked", "list",
                                            "restartsubsystem"};
    QVERIFY(found == expected);
}

void TestSandboxPersistent::createGetInfoListDelete()
{
    Box box;
    QVERIFY2(box.start(), qPrintable(box.error));
    auto &stub = *box.stub;
    QVERIFY(create(stub, "orders", "emails", [](pps::CreateReq::Settings *s) {
                s->set_resolve_links(true);
                s->set_extra_statistics(true);
                s->set_message_timeout_ms(1234);
                s->set_max_retry_count(3);
                s->set_live_buffer_size(50);
                s->set_read_batch_size(7);
                s->set_history_buffer_size(60);
                s->set_checkpoint_after_ms(4321);
                s->set_min_checkpoint_count(2);
                s->set_max_checkpoint_count(9);
                s->set_max_subscriber_count(5);
                s->set_consumer_strategy("Pinned");
            }).ok());
    QVERIFY(create(stub, "orders", "audit").ok());
    QVERIFY(create(stub, "$all", "everything").ok());

    const auto i = info(stub, "orders", "emails");
    QVERIFY(i);
    QCOMPARE(i->event_source(), std::string("orders"));
    QCOMPARE(i->group_name(), std::string("emails"));
    QCOMPARE(i->start_from(), std::string("0"));
    QVERIFY(i->resolve_link_tos());
    QVERIFY(i->extra_statistics());
    QCOMPARE(i->message_timeout_milliseconds(), 1234);
    QCOMPARE(i->max_retry_count(), 3);
    QCOMPARE(i->live_buffer_size(), 50);
    QCOMPARE(i->read_batch_size(), 7);
    QCOMPARE(i->buffer_size(), 60);
    QCOMPARE(i->check_point_after_milliseconds(), 4321);
    QCOMPARE(i->min_check_point_count(), 2);
    QCOMPARE(i->max_check_point_count(), 9);
    QCOMPARE(i->max_subscriber_count(), 5);
    QCOMPARE(i->named_consumer_strategy(), std::string("Pinned"));
    QCOMPARE(i->parked_message_count(), qint64(0));
    const auto all = info(stub, "$all", "everything");
    QVERIFY(all);
    QCOMPARE(all->start_from(), std::string("C:0/P:0"));

    auto list = [&](const std::function<void(pps::ListReq::Options *)> &edit, grpc::Status *status) {
        pps::ListReq req;
        edit(req.mutable_options());
        pps::ListResp resp;
        grpc::ClientContext ctx;
        *status = stub.List(&ctx, req, &resp);
        std::set<std::string> names;
        for (const auto &s : resp.subscriptions())
            names.insert(s.event_source() + "/" + s.group_name());
        return names;
    };
    grpc::Status st;
    QVERIFY((list([](auto *o) { o->mutable_list_all_subscriptions(); }, &st)
             == std::set<std::string>{"orders/emails", "orders/audit", "$all/everything"}));
    QVERIFY((list([](auto *o) { o->mutable_list_for_stream()->mutable_stream()->set_stream_name("orders"); }, &st)
             == std::set<std::string>{"orders/emails", "orders/audit"}));
    QVERIFY((list([](auto *o) { o->mutable_list_for_stream()->mutable_all(); }, &st)
             == std::set<std::string>{"$all/everything"}));
    QVERIFY(list([](auto *o) { o->mutable_list_for_stream()->mutable_stream()->set_stream_name("none"); }, &st).empty());
    QCOMPARE(st.error_code(), grpc::StatusCode::NOT_FOUND);

    // Update: the settings change, the consumer strategy with the deprecated enum.
    pps::UpdateReq up;
    up.mutable_options()->set_group_name("emails");
    up.mutable_options()->mutable_stream()->mutable_stream_identifier()->set_stream_name("orders");
    up.mutable_options()->mutable_stream()->mutable_start();
    auto *s = up.mutable_options()->mutable_settings();
    s->set_message_timeout_ms(999);
    s->set_max_retry_count(4);
    s->set_read_batch_size(5);
    s->set_history_buffer_size(50);
    s->set_live_buffer_size(50);
    s->set_max_checkpoint_count(10);
    s->set_named_consumer_strategy(pps::UpdateReq::DispatchToSingle);
    {
        pps::UpdateResp resp;
        grpc::ClientContext ctx;
        QVERIFY(stub.Update(&ctx, up, &resp).ok());
    }
    QCOMPARE(info(stub, "orders", "emails")->message_timeout_milliseconds(), 999);
    QCOMPARE(info(stub, "orders", "emails")->named_consumer_strategy(), std::string("DispatchToSingle"));

    for (const char *stream : {"orders", "$all"}) {
        pps::DeleteReq del;
        if (std::string(stream) == "$all")
            del.mutable_options()->mutable_all();
        else
            del.mutable_options()->mutable_stream_identifier()->set_stream_name(stream);
        del.mutable_options()->set_group_name(std::string(stream) == "$all" ? "everything" : "emails");
        pps::DeleteResp resp;
        grpc::ClientContext ctx;
        QVERIFY(stub.Delete(&ctx, del, &resp).ok());
    }
    QVERIFY(!info(stub, "orders", "emails", &st));
    QCOMPARE(st.error_code(), grpc::StatusCode::NOT_FOUND);
    QVERIFY((list([](auto *o) { o->mutable_list_all_subscriptions(); }, &st) == std::set<std::string>{"orders/audit"}));
}

void TestSandboxPersistent::errors()
{
    Box box;
    QVERIFY2(box.start(), qPrintable(box.error));
    auto &stub = *box.stub;
    QVERIFY(create(stub, "orders", "g").ok());
    {
        pps::CreateReq req;
        req.mutable_options()->set_group_name("g");
        req.mutable_options()->mutable_stream()->mutable_stream_identifier()->set_stream_name("orders");
        req.mutable_options()->mutable_stream()->mutable_start();
        fast(req.mutable_options()->mutable_settings());
        pps::CreateResp resp;
        grpc::ClientContext ctx;
        const grpc::Status s = stub.Create(&ctx, req, &resp);
        QCOMPARE(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
        QCOMPARE(trailer(ctx, "exception"), std::string("persistent-subscription-exists"));
        QCOMPARE(trailer(ctx, "group-name"), std::string("g"));
        QCOMPARE(trailer(ctx, "stream-name"), std::string("orders"));
    }
    // Invalid settings fail with the reason.
    const grpc::Status bad = create(stub, "orders", "h", [](auto *s) { s->set_consumer_strategy("Nope"); });
    QCOMPARE(bad.error_code(), grpc::StatusCode::INTERNAL);
    QVERIFY(bad.error_message().find("Nope") != std::string::npos);
    const grpc::Status batch = create(stub, "orders", "h", [](auto *s) { s->set_read_batch_size(100); });
    QCOMPARE(batch.error_code(), grpc::StatusCode::INTERNAL);
    // Missing groups: Delete, Update, Read, ReplayParked.
    {
        pps::DeleteReq del;
        del.mutable_options()->mutable_stream_identifier()->set_stream_name("orders");
        del.mutable_options()->set_group_name("missing");
        pps::DeleteResp resp;
        grpc::ClientContext ctx;
        QCOMPARE(stub.Delete(&ctx, del, &resp).error_code(), grpc::StatusCode::NOT_FOUND);
        QCOMPARE(trailer(ctx, "exception"), std::string("persistent-subscription-does-not-exist"));
    }
    {
        pps::UpdateReq up;
        up.mutable_options()->set_group_name("missing");
        up.mutable_options()->mutable_stream()->mutable_stream_identifier()->set_stream_name("orders");
        up.mutable_options()->mutable_settings()->set_history_buffer_size(100);
        up.mutable_options()->mutable_settings()->set_read_batch_size(10);
        pps::UpdateResp resp;
        grpc::ClientContext ctx;
        QCOMPARE(stub.Update(&ctx, up, &resp).error_code(), grpc::StatusCode::NOT_FOUND);
    }
    QCOMPARE(replay(stub, "orders", "missing").error_code(), grpc::StatusCode::NOT_FOUND);
    PersistentProbe probe(stub, "orders", "missing");
    const grpc::Status read = probe.waitEnd();
    QCOMPARE(read.error_code(), grpc::StatusCode::NOT_FOUND);
}

void TestSandboxPersistent::readAckAndCheckpoint()
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

void TestSandboxPersistent::nackParkRetrySkip()
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
    QCOMPARE(md.value(QStringLiteral("reason")).toString(), QStringLiteral("Client explicitly NAK'ed message.\nbad address"));
    QVERIFY(eventually([&] { return info(*box.stub, "orders", "g")->last_checkpointed_event_position() == "2"; }));
}

void TestSandboxPersistent::timeoutRetriesThenParks()
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
    QCOMPARE(QJsonDocument::fromJson(QByteArray::fromStdString(metadata)).object().value(QStringLiteral("reason")).toString(),
             QStringLiteral("Reached retry count of 2"));
}

void TestSandboxPersistent::replayParkedWithStopAt()
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

void TestSandboxPersistent::strategies_data()
{
    QTest::addColumn<QString>("strategy");
    for (const char *s : {"DispatchToSingle", "RoundRobin", "Pinned", "PinnedByCorrelation"})
        QTest::newRow(s) << QString::fromLatin1(s);
}

void TestSandboxPersistent::strategies()
{
    QFETCH(QString, strategy);
    Box box;
    QVERIFY2(box.start(), qPrintable(box.error));
    const std::string name = strategy.toStdString();
    // Events of four streams, each with its own correlation id, read through $all with a prefix filter.
    QVERIFY(create(*box.stub, "$all", "g", [&](auto *s) { s->set_consumer_strategy(name); },
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

void TestSandboxPersistent::allWithFilterAndResolvedLinks()
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

void TestSandboxPersistent::maxSubscribersAndUpdateDropsConsumers()
{
    Box box;
    QVERIFY2(box.start(), qPrintable(box.error));
    QVERIFY(create(*box.stub, "orders", "g", [](auto *s) { s->set_max_subscriber_count(1); }).ok());
    PersistentProbe first(*box.stub, "orders", "g");
    QVERIFY(eventually([&] { return !first.confirmation().empty(); }));
    PersistentProbe second(*box.stub, "orders", "g");
    const grpc::Status refused = second.waitEnd();
    QCOMPARE(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    // RestartSubsystem drops the consumer; the group is still there.
    event_store::client::Empty empty;
    grpc::ClientContext ctx;
    QVERIFY(box.stub->RestartSubsystem(&ctx, empty, &empty).ok());
    QVERIFY(first.waitEnd().error_code() != grpc::StatusCode::OK);
    QVERIFY(info(*box.stub, "orders", "g"));
}

void TestSandboxPersistent::survivesRestartOnDb()
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

QTEST_GUILESS_MAIN(TestSandboxPersistent)
#include "tst_sandboxpersistent.moc"
