// The sandbox's PersistentSubscriptions service over gRPC, the management calls: ServerFeatures, Create,
// Update, Delete, GetInfo, List, RestartSubsystem, their settings and errors, max subscribers.
#include "PersistentProbe.h"
#include "serverfeatures.grpc.pb.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace chronoscope;
using namespace chronoscope::sandbox;
using namespace persistent_test;

class TestSandboxPersistent : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void advertisedInServerFeatures();
    void createGetInfoListDelete();
    void errors();
    void maxSubscribersAndUpdateDropsConsumers();
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
    const std::set<std::string> expected = {"create",  "update",       "delete", "read",
                                            "getinfo", "replayparked", "list",   "restartsubsystem"};
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
    QVERIFY(
        list([](auto *o) { o->mutable_list_for_stream()->mutable_stream()->set_stream_name("none"); }, &st).empty());
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

QTEST_GUILESS_MAIN(TestSandboxPersistent)
#include "tst_sandboxpersistent.moc"
