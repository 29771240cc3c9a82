// The sandbox's system projections (the links they write) and its Projections service.
#include "EventStore.h"
#include "SandboxServer.h"

#include "projections.grpc.pb.h"
#include "serverfeatures.grpc.pb.h"

#include <grpcpp/grpcpp.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace chronoscope;
using namespace chronoscope::sandbox;
namespace ppb = event_store::client::projections;

namespace {

ProposedEvent proposed(const std::string &type, const std::string &metadata = {})
{
    return ProposedEvent{QUuid::createUuid(), type, true, "{}", metadata, 0};
}

std::vector<StoredRecord> readAll(const EventStore &store, const std::string &stream)
{
    std::vector<StoredRecord> out;
    store.readStream(stream, 0, true, size_t(-1), [&](const StoredRecord &r) { out.push_back(r); });
    return out;
}

QStringList dataOf(const std::vector<StoredRecord> &records)
{
    QStringList out;
    for (const StoredRecord &r : records)
        out << QString::fromStdString(r.data);
    return out;
}

QStringList strings(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *s : items)
        out << QString::fromUtf8(s);
    return out;
}

QJsonObject metadataOf(const StoredRecord &r)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(r.metadata)).object();
}

/// The record a link's data names, found by reading the stream (not through the store's resolver).
StoredRecord target(const EventStore &store, const std::string &link)
{
    const size_t at = link.find('@');
    const quint64 revision = std::stoull(link.substr(0, at));
    const auto records = readAll(store, link.substr(at + 1));
    return revision < records.size() ? records[revision] : StoredRecord{};
}

/// order-1 (2 events, the first correlated), order-2, customer-1 (correlated), nodash.
void writeSample(EventStore &store)
{
    QVERIFY(!store.append("order-1", EventStore::Expected::Any, 0,
                          {proposed("OrderPlaced", "{\"$correlationId\":\"corr-1\"}"), proposed("OrderPaid")}).error);
    QVERIFY(!store.append("order-2", EventStore::Expected::Any, 0, {proposed("OrderPlaced")}).error);
    QVERIFY(!store.append("customer-1", EventStore::Expected::Any, 0,
                          {proposed("Registered", "{\"$correlationId\":\"corr-1\",\"other\":1}")}).error);
    QVERIFY(!store.append("nodash", EventStore::Expected::Any, 0, {proposed("Lonely")}).error);
}

} // namespace

class TestSandboxProjections : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void offByDefault()
    {
        EventStore store;
        writeSample(store);
        QCOMPARE(int(store.view("$streams").state), int(StreamView::State::Missing));
        QCOMPARE(int(store.view("$ce-order").state), int(StreamView::State::Missing));
        QCOMPARE(store.logSize(), size_t(5));
    }

    void linksAsTheServerWritesThem()
    {
        EventStore store;
        store.setFrozenClock(1700000000000);
        store.configureProjections(true, true);
        writeSample(store);

        QCOMPARE(dataOf(readAll(store, "$streams")),
                 strings({"0@order-1", "0@order-2", "0@customer-1", "0@nodash"}));
        QCOMPARE(dataOf(readAll(store, "$ce-order")), strings({"0@order-1", "1@order-1", "0@order-2"}));
        QCOMPARE(dataOf(readAll(store, "$ce-customer")), strings({"0@customer-1"}));
        QCOMPARE(int(store.view("$ce-nodash").state), int(StreamView::State::Missing));
        QCOMPARE(dataOf(readAll(store, "$et-OrderPlaced")), strings({"0@order-1", "0@order-2"}));
        QCOMPARE(dataOf(readAll(store, "$et-Lonely")), strings({"0@nodash"}));
        QCOMPARE(dataOf(readAll(store, "$bc-corr-1")), strings({"0@order-1", "0@customer-1"}));
        QCOMPARE(dataOf(readAll(store, "$category-order")), strings({"order-1", "order-2"}));
        // Nothing indexes the projections' own output.
        QCOMPARE(int(store.view("$ce-$ce").state), int(StreamView::State::Missing));
        QCOMPARE(int(store.view("$et-$>").state), int(StreamView::State::Missing));

        for (const char *stream : {"$streams", "$ce-order", "$et-OrderPlaced", "$bc-corr-1"}) {
            for (const StoredRecord &link : readAll(store, stream)) {
                QCOMPARE(link.type, std::string("$>"));
                QVERIFY(!link.isJson);
                const StoredRecord source = target(store, link.data);
                const QJsonObject m = metadataOf(link);
                QCOMPARE(m.value(QLatin1String("$c")).toInteger(), qint64(source.position));
                QCOMPARE(m.value(QLatin1String("$p")).toInteger(), qint64(source.position));
                QCOMPARE(m.value(QLatin1String("$causedBy")).toString().toStdString(), source.idString);
                QVERIFY(m.value(QLatin1String("$v")).isString());
                QVERIFY(link.position > source.position);
            }
        }
        const auto ce = readAll(store, "$ce-order");
        QCOMPARE(metadataOf(ce[2]).value(QLatin1String("$o")).toString(), QStringLiteral("order-2"));
        const auto bc = readAll(store, "$bc-corr-1");
        QCOMPARE(metadataOf(bc[0]).value(QLatin1String("$correlationId")).toString(), QStringLiteral("corr-1"));
        // 1700000000000 ms + 0 records = the first event's creation time, in microseconds.
        QCOMPARE(metadataOf(bc[0]).value(QLatin1String("$eventTimestamp")).toString(),
                 QStringLiteral("2023-11-14T22:13:20.000000Z"));
        const auto category = readAll(store, "$category-order");
        QCOMPARE(category[0].type, std::string("$@"));

        // A tombstone is indexed under `$et-$deleted`.
        QVERIFY(!store.tombstone("order-2", EventStore::Expected::Any, 0).error);
        QCOMPARE(dataOf(readAll(store, "$et-$deleted")), strings({"9223372036854775807@order-2"}));
    }

    void enableCatchesUpAndDisableStops()
    {
        EventStore store;
        store.configureProjections(true, false); // the subsystem runs, the projections are stopped
        writeSample(store);
        QCOMPARE(int(store.view("$streams").state), int(StreamView::State::Missing));
        for (const ProjectionStatus &s : store.projectionStatuses())
            QVERIFY(!s.running);

        WriteError error;
        QVERIFY(store.setProjectionRunning("$streams", true, &error));
        QVERIFY(!error);
        QCOMPARE(readAll(store, "$streams").size(), size_t(4));
        QCOMPARE(int(store.view("$ce-order").state), int(StreamView::State::Missing)); // only the one enabled

        QVERIFY(store.setProjectionRunning("$streams", false, &error));
        QVERIFY(!store.append("late-1", EventStore::Expected::Any, 0, {proposed("Late")}).error);
        QCOMPARE(readAll(store, "$streams").size(), size_t(4));
        QVERIFY(store.setProjectionRunning("$streams", true, &error));
        QCOMPARE(dataOf(readAll(store, "$streams")).last(), QStringLiteral("0@late-1"));
        QCOMPARE(readAll(store, "$streams").size(), size_t(5));

        const auto statuses = store.projectionStatuses();
        QCOMPARE(statuses.size(), size_t(5));
        QCOMPARE(statuses[0].name, std::string("$streams"));
        QVERIFY(statuses[0].running);
        QCOMPARE(statuses[0].eventsProcessed, quint64(6)); // the six events of the five user streams
        QCOMPARE(statuses[0].checkpoint, store.logSize());
        QVERIFY(!statuses[1].running);
        QVERIFY(!store.setProjectionRunning("$nope", true, &error));
    }

    void projectionsService()
    {
        SandboxServer server;
        server.store().configureProjections(true, true);
        writeSample(server.store());
        QString why;
        const int port = server.start(QStringLiteral("127.0.0.1:0"), &why);
        QVERIFY2(port > 0, qPrintable(why));
        const auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
        const auto stub = ppb::Projections::NewStub(channel);

        auto statistics = [&](const std::function<void(ppb::StatisticsReq::Options *)> &mode, grpc::Status *status) {
            grpc::ClientContext context;
            ppb::StatisticsReq req;
            mode(req.mutable_options());
            auto reader = stub->Statistics(&context, req);
            std::vector<ppb::StatisticsResp::Details> out;
            ppb::StatisticsResp resp;
            while (reader->Read(&resp))
                out.push_back(resp.details());
            *status = reader->Finish();
            return out;
        };
        grpc::Status status;
        const auto all = statistics([](auto *o) { o->mutable_continuous(); }, &status);
        QVERIFY(status.ok());
        QStringList names;
        for (const auto &d : all) {
            names << QString::fromStdString(d.name());
            QCOMPARE(d.status(), std::string("Running"));
            QCOMPARE(d.mode(), std::string("Continuous"));
            QCOMPARE(d.progress(), 100.0f);
        }
        QCOMPARE(names, strings({"$streams", "$by_category", "$by_event_type", "$by_correlation_id",
                                     "$stream_by_category"}));
        QVERIFY(statistics([](auto *o) { o->mutable_transient(); }, &status).empty());

        const auto unknown = statistics([](auto *o) { o->set_name("$nope"); }, &status);
        QCOMPARE(status.error_code(), grpc::StatusCode::NOT_FOUND);
        QCOMPARE(status.error_message(), std::string("Projection '$nope' not found"));
        QVERIFY(unknown.empty());

        {
            grpc::ClientContext context;
            ppb::DisableReq req;
            req.mutable_options()->set_name("$by_category");
            ppb::DisableResp resp;
            QVERIFY(stub->Disable(&context, req, &resp).ok());
        }
        const auto one = statistics([](auto *o) { o->set_name("$by_category"); }, &status);
        QVERIFY(status.ok());
        QCOMPARE(one.size(), size_t(1));
        QCOMPARE(one[0].status(), std::string("Stopped"));
        QVERIFY(!server.store().append("order-3", EventStore::Expected::Any, 0, {proposed("OrderPlaced")}).error);
        QCOMPARE(readAll(server.store(), "$ce-order").size(), size_t(3)); // stopped: no new link
        {
            grpc::ClientContext context;
            ppb::EnableReq req;
            req.mutable_options()->set_name("$by_category");
            ppb::EnableResp resp;
            QVERIFY(stub->Enable(&context, req, &resp).ok());
        }
        QCOMPARE(readAll(server.store(), "$ce-order").size(), size_t(4)); // caught up
        {
            grpc::ClientContext context;
            ppb::EnableReq req;
            req.mutable_options()->set_name("nope");
            ppb::EnableResp resp;
            const grpc::Status s = stub->Enable(&context, req, &resp);
            QCOMPARE(s.error_code(), grpc::StatusCode::NOT_FOUND);
            QVERIFY(context.GetServerTrailingMetadata().count("exception") == 0);
        }
        {
            grpc::ClientContext context;
            ppb::StateReq req;
            req.mutable_options()->set_name("$streams");
            ppb::StateResp resp;
            QVERIFY(stub->State(&context, req, &resp).ok());
            QVERIFY(resp.state().has_struct_value());
        }
        {
            grpc::ClientContext context;
            ppb::CreateReq req; // no mode: the server's handler throws
            ppb::CreateResp resp;
            QCOMPARE(stub->Create(&context, req, &resp).error_code(), grpc::StatusCode::UNKNOWN);
        }
        {
            grpc::ClientContext context;
            event_store::client::Empty req, resp;
            QCOMPARE(stub->RestartSubsystem(&context, req, &resp).error_code(), grpc::StatusCode::UNIMPLEMENTED);
        }
        {
            grpc::ClientContext context;
            event_store::client::server_features::SupportedMethods methods;
            QVERIFY(event_store::client::server_features::ServerFeatures::NewStub(channel)
                        ->GetSupportedMethods(&context, event_store::client::Empty(), &methods).ok());
            QStringList projectionMethods;
            for (const auto &m : methods.methods())
                if (m.service_name() == "event_store.client.projections.projections")
                    projectionMethods << QString::fromStdString(m.method_name());
            QCOMPARE(projectionMethods,
                     strings({"create", "update", "delete", "statistics", "enable", "disable", "reset", "state",
                              "result"}));
        }
    }

    void noServiceWithoutTheSubsystem()
    {
        SandboxServer server; // --run-projections None, the real server's default
        QString why;
        const int port = server.start(QStringLiteral("127.0.0.1:0"), &why);
        QVERIFY2(port > 0, qPrintable(why));
        const auto stub = ppb::Projections::NewStub(
            grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
        grpc::ClientContext context;
        ppb::EnableReq req;
        req.mutable_options()->set_name("$streams");
        ppb::EnableResp resp;
        QCOMPARE(stub->Enable(&context, req, &resp).error_code(), grpc::StatusCode::UNIMPLEMENTED);
    }
};

QTEST_GUILESS_MAIN(TestSandboxProjections)
#include "tst_sandboxprojections.moc"
