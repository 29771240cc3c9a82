// The sandbox's user projections through its Projections service: every call and error, running
// continuous projections on appends, emitting, faulting, and a restart from the log file.
#include "EventStore.h"
#include "SandboxServer.h"
#include "UserProjections.h"

#include "projections.grpc.pb.h"

#include <grpcpp/grpcpp.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace chronoscope;
using namespace chronoscope::sandbox;
namespace ppb = event_store::client::projections;

namespace {

const char *kCounter = R"(fromCategory('order').foreachStream().when({
    $init: function () { return { count: 0, total: 0 }; },
    OrderPlaced: function (s, e) { s.count += 1; s.total += e.body.amount; },
    Boom: function (s, e) { throw new Error('boom in ' + e.streamId); }
}).outputState();)";

const char *kEmitter = R"(fromAll().when({
    OrderPlaced: function (s, e) { emit('audit-' + e.streamId, 'Seen', { amount: e.body.amount }); linkTo('placed', e); }
});)";

ProposedEvent placed(int amount)
{
    return ProposedEvent{
        QUuid::createUuid(), "OrderPlaced", true, "{\"amount\":" + std::to_string(amount) + "}", {}, 0};
}

struct Client
{
    std::unique_ptr<ppb::Projections::Stub> stub;

    explicit Client(int port)
        : stub(ppb::Projections::NewStub(
            grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials())))
    {}

    grpc::Status create(const std::string &name, const std::string &query, bool emit = false, bool track = false)
    {
        grpc::ClientContext c;
        ppb::CreateReq req;
        ppb::CreateResp resp;
        req.mutable_options()->set_query(query);
        auto *m = req.mutable_options()->mutable_continuous();
        m->set_name(name);
        m->set_emit_enabled(emit);
        m->set_track_emitted_streams(track);
        return stub->Create(&c, req, &resp);
    }
    std::vector<ppb::StatisticsResp::Details> stats(const std::string &name, grpc::Status *status = nullptr)
    {
        grpc::ClientContext c;
        ppb::StatisticsReq req;
        if (name.empty())
            req.mutable_options()->mutable_all();
        else
            req.mutable_options()->set_name(name);
        auto reader = stub->Statistics(&c, req);
        std::vector<ppb::StatisticsResp::Details> out;
        ppb::StatisticsResp resp;
        while (reader->Read(&resp))
            out.push_back(resp.details());
        const grpc::Status s = reader->Finish();
        if (status)
            *status = s;
        return out;
    }
    grpc::Status state(const std::string &name, const std::string &partition, google::protobuf::Value *out,
                       bool result = false)
    {
        grpc::ClientContext c;
        if (result) {
            ppb::ResultReq req;
            ppb::ResultResp resp;
            req.mutable_options()->set_name(name);
            req.mutable_options()->set_partition(partition);
            const grpc::Status s = stub->Result(&c, req, &resp);
            *out = resp.result();
            return s;
        }
        ppb::StateReq req;
        ppb::StateResp resp;
        req.mutable_options()->set_name(name);
        req.mutable_options()->set_partition(partition);
        const grpc::Status s = stub->State(&c, req, &resp);
        *out = resp.state();
        return s;
    }
    /// A call with an empty answer: `fill` sets the request's options after the name.
    template<typename Resp, typename Req, typename Method, typename Fill>
    grpc::Status command(const std::string &name, Method method, Fill fill)
    {
        grpc::ClientContext c;
        Req req;
        Resp resp;
        req.mutable_options()->set_name(name);
        fill(req.mutable_options());
        return (stub.get()->*method)(&c, req, &resp);
    }
    grpc::Status disable(const std::string &name, bool checkpoint)
    {
        return command<ppb::DisableResp, ppb::DisableReq>(name, &ppb::Projections::Stub::Disable,
                                                          [&](auto *o) { o->set_write_checkpoint(checkpoint); });
    }
    grpc::Status enable(const std::string &name)
    {
        return command<ppb::EnableResp, ppb::EnableReq>(name, &ppb::Projections::Stub::Enable, [](auto *) {});
    }
    grpc::Status reset(const std::string &name)
    {
        return command<ppb::ResetResp, ppb::ResetReq>(name, &ppb::Projections::Stub::Reset, [](auto *) {});
    }
    grpc::Status update(const std::string &name, const std::string &query)
    {
        return command<ppb::UpdateResp, ppb::UpdateReq>(name, &ppb::Projections::Stub::Update, [&](auto *o) {
            o->set_query(query);
            o->mutable_no_emit_options();
        });
    }
    grpc::Status remove(const std::string &name, bool all)
    {
        return command<ppb::DeleteResp, ppb::DeleteReq>(name, &ppb::Projections::Stub::Delete, [&](auto *o) {
            o->set_delete_checkpoint_stream(all);
            o->set_delete_state_stream(all);
            o->set_delete_emitted_streams(all);
        });
    }
};

double field(const google::protobuf::Value &v, const std::string &key)
{
    const auto &f = v.struct_value().fields();
    const auto it = f.find(key);
    return it == f.end() ? -1 : it->second.number_value();
}

size_t countOf(const EventStore &store, const std::string &stream)
{
    return store.readStream(stream, 0, true, size_t(-1), [](const StoredRecord &) {});
}

} // namespace

class TestSandboxUserProjections : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lifecycleStateAndErrors()
    {
        SandboxServer server;
        server.store().configureProjections(true, false);
        QString why;
        const int port = server.start(QStringLiteral("127.0.0.1:0"), &why);
        QVERIFY2(port > 0, qPrintable(why));
        Client client(port);
        UserProjections &user = *server.store().userProjections();
        QVERIFY(!server.store().append("order-1", EventStore::Expected::Any, 0, {placed(10), placed(5)}).error);

        QVERIFY(client.create("counter", kCounter).ok());
        const grpc::Status dup = client.create("counter", kCounter);
        QCOMPARE(dup.error_code(), grpc::StatusCode::UNKNOWN);
        QCOMPARE(QString::fromStdString(dup.error_message()),
                 QStringLiteral("Envelope callback expected Updated, received Conflict instead"));
        QCOMPARE(client.create("x", kCounter, false, true).error_code(),
                 grpc::StatusCode::UNKNOWN); // track without emit

        // Continuous: it processes what is there and what is appended afterwards.
        QVERIFY(!server.store().append("order-2", EventStore::Expected::Any, 0, {placed(7)}).error);
        QVERIFY(user.waitIdle(10000));
        google::protobuf::Value v;
        QVERIFY(client.state("counter", "order-1", &v).ok());
        QCOMPARE(field(v, "count"), 2.0);
        QCOMPARE(field(v, "total"), 15.0);
        QVERIFY(client.state("counter", "order-2", &v, true).ok());
        QCOMPARE(field(v, "total"), 7.0);
        QVERIFY(client.state("counter", "order-9", &v).ok()); // an unknown partition: an empty struct
        QVERIFY(v.has_struct_value() && v.struct_value().fields().empty());
        QCOMPARE(client.state("nope", "", &v).error_code(), grpc::StatusCode::NOT_FOUND);
        QCOMPARE(client.state("nope", "", &v, true).error_code(), grpc::StatusCode::NOT_FOUND);

        grpc::Status status;
        auto d = client.stats("counter", &status);
        QVERIFY(status.ok());
        QCOMPARE(int(d.size()), 1);
        QCOMPARE(QString::fromStdString(d[0].status()), QStringLiteral("Running"));
        QCOMPARE(QString::fromStdString(d[0].mode()), QStringLiteral("Continuous"));
        QCOMPARE(d[0].eventsprocessedafterrestart(), qint64(3));
        QCOMPARE(d[0].partitionscached(), 2);
        QCOMPARE(d[0].progress(), 100.0f);
        QVERIFY(QString::fromStdString(d[0].position()).startsWith(QLatin1String("C:")));
        // Caught up: checkpointed (its own checkpoint records then move the position past it).
        QVERIFY(QString::fromStdString(d[0].lastcheckpoint()).startsWith(QLatin1String("C:")));
        QVERIFY(d[0].lastcheckpoint() != "C:-1/P:-1");
        QVERIFY(countOf(server.store(), "$projections-counter-checkpoint") > 0);
        QVERIFY(countOf(server.store(), "$projections-counter-order-1-result") > 0);
        QCOMPARE(int(client.stats("", &status).size()), 6); // the five system ones and ours
        client.stats("nope", &status);
        QCOMPARE(status.error_code(), grpc::StatusCode::NOT_FOUND);

        // Delete refuses a running projection; disable, then abort and enable.
        QCOMPARE(client.remove("counter", true).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        QVERIFY(client.disable("counter", true).ok());
        QCOMPARE(client.stats("counter")[0].status(), std::string("Stopped"));
        QVERIFY(client.enable("counter").ok());
        QVERIFY(client.disable("counter", false).ok());
        QCOMPARE(client.stats("counter")[0].status(), std::string("Aborted"));
        QCOMPARE(client.enable("nope").error_code(), grpc::StatusCode::NOT_FOUND);
        QVERIFY(client.enable("counter").ok());

        // A throwing handler faults it, with the message as the reason, at the event that threw.
        QVERIFY(!server.store()
                     .append("order-1", EventStore::Expected::Any, 0,
                             {ProposedEvent{QUuid::createUuid(), "Boom", true, "{}", {}, 0}})
                     .error);
        QVERIFY(user.waitIdle(10000));
        d = client.stats("counter");
        QCOMPARE(d[0].status(), std::string("Faulted (Enabled)"));
        QCOMPARE(QString::fromStdString(d[0].statereason()), QStringLiteral("boom in order-1")); // ex.Message

        // Update with a handler that does not throw: it runs again and gets past the event.
        std::string fixed = kCounter;
        const std::string thrower = "throw new Error('boom in ' + e.streamId);";
        fixed.replace(fixed.find(thrower), thrower.size(), "return s;");
        QVERIFY(client.update("counter", fixed).ok());
        QVERIFY(user.waitIdle(10000));
        QCOMPARE(client.stats("counter")[0].status(), std::string("Running"));
        QCOMPARE(client.update("nope", fixed).error_code(), grpc::StatusCode::NOT_FOUND);

        // Reset: from the start again, same answer.
        QVERIFY(client.reset("counter").ok());
        QVERIFY(user.waitIdle(10000));
        QVERIFY(client.state("counter", "order-1", &v).ok());
        QCOMPARE(field(v, "count"), 2.0);
        QCOMPARE(client.stats("counter")[0].epoch(), client.stats("counter")[0].version());
        QCOMPARE(client.reset("nope").error_code(), grpc::StatusCode::NOT_FOUND);

        QVERIFY(client.disable("counter", true).ok());
        QVERIFY(client.remove("counter", true).ok());
        QCOMPARE(client.remove("counter", true).error_code(), grpc::StatusCode::NOT_FOUND);
        QCOMPARE(server.store().view("$projections-counter-checkpoint").state, StreamView::State::SoftDeleted);
        QCOMPARE(server.store().view("$projections-counter-order-1-result").state, StreamView::State::SoftDeleted);
        QCOMPARE(int(client.stats("", &status).size()), 5);

        // The name again, with another source: nothing of the deleted one is left.
        QVERIFY(client
                    .create("counter",
                            "fromCategory('order').when({ $init: function () { return { other: 1 }; }, "
                            "OrderPlaced: function (s) { s.other += 1; } });")
                    .ok());
        QVERIFY(client.state("counter", "", &v).ok());
        QCOMPARE(field(v, "other"), 4.0);
        server.shutdown();
    }

    void systemModeKeepsUserProjectionsStopped()
    {
        // --run-projections=System: the manager registers and manages user projections but runs only `$` ones
        // (ProjectionManager.IsProjectionEnabledToRunByMode, ManagedProjection.StartOrLoadStopped).
        SandboxServer server;
        server.store().configureProjections(true, true);
        UserProjections &user = *server.store().userProjections();
        user.setRunUserProjections(false);
        QString why;
        const int port = server.start(QStringLiteral("127.0.0.1:0"), &why);
        QVERIFY2(port > 0, qPrintable(why));
        Client client(port);
        QVERIFY(!server.store().append("order-1", EventStore::Expected::Any, 0, {placed(10), placed(5)}).error);
        QVERIFY(client.create("counter", kCounter).ok());
        QVERIFY(client.enable("counter").ok()); // still not run
        QVERIFY(user.waitIdle(5000));
        std::vector<ppb::StatisticsResp::Details> stats = client.stats("counter");
        QCOMPARE(stats.size(), size_t(1));
        QCOMPARE(stats[0].status(), std::string("Stopped (Enabled)"));
        QCOMPARE(stats[0].eventsprocessedafterrestart(), 0);
        QCOMPARE(stats[0].position(), std::string("C:-1/P:-1"));
        google::protobuf::Value state;
        QVERIFY(client.state("counter", "order-1", &state).ok());
        QCOMPARE(field(state, "count"), -1.0); // {}: nothing folded
        bool systemRan = false;                // the system projections do run
        for (const ppb::StatisticsResp::Details &d : client.stats({}))
            systemRan = systemRan || (d.name() == "$by_category" && d.status() == "Running");
        QVERIFY(systemRan);
        // Stopped, it may be deleted as upstream allows.
        QVERIFY(client.disable("counter", true).ok());
        QCOMPARE(client.stats("counter")[0].status(), std::string("Stopped"));

        // On a node that runs All, the same projection runs.
        user.setRunUserProjections(true);
        QVERIFY(client.enable("counter").ok());
        QVERIFY(user.waitIdle(5000));
        QCOMPARE(client.stats("counter")[0].status(), std::string("Running"));
        QVERIFY(client.state("counter", "order-1", &state).ok());
        QCOMPARE(field(state, "count"), 2.0);
    }

    void emitsOnlyWhenEnabled()
    {
        SandboxServer server;
        server.store().configureProjections(true, false);
        QString why;
        const int port = server.start(QStringLiteral("127.0.0.1:0"), &why);
        QVERIFY2(port > 0, qPrintable(why));
        Client client(port);
        UserProjections &user = *server.store().userProjections();
        QVERIFY(!server.store().append("order-1", EventStore::Expected::Any, 0, {placed(3)}).error);
        QVERIFY(client.create("silent", kEmitter).ok());
        QVERIFY(client.create("loud", kEmitter, true, true).ok());
        QVERIFY(user.waitIdle(10000));
        const auto silent = client.stats("silent");
        QCOMPARE(silent[0].status(), std::string("Faulted (Enabled)"));
        QCOMPARE(silent[0].statereason(), std::string("'emit' is not allowed by the projection/configuration/mode"));
        QCOMPARE(client.stats("loud")[0].status(), std::string("Running"));
        std::vector<StoredRecord> audit;
        server.store().readStream("audit-order-1", 0, true, 10, [&](const StoredRecord &r) { audit.push_back(r); });
        QCOMPARE(int(audit.size()), 1);
        QCOMPARE(QString::fromStdString(audit[0].type), QStringLiteral("Seen"));
        QCOMPARE(QString::fromStdString(audit[0].data), QStringLiteral("{\"amount\":3}"));
        std::vector<StoredRecord> links;
        server.store().readStream("placed", 0, true, 10, [&](const StoredRecord &r) { links.push_back(r); });
        QCOMPARE(int(links.size()), 1);
        QCOMPARE(QString::fromStdString(links[0].data), QStringLiteral("0@order-1"));
        // EmittedStream's metadata: the causing event's tag and id, and for a link its stream.
        std::vector<StoredRecord> orders;
        server.store().readStream("order-1", 0, true, 1, [&](const StoredRecord &r) { orders.push_back(r); });
        const QJsonObject seen = QJsonDocument::fromJson(QByteArray::fromStdString(audit[0].metadata)).object();
        QCOMPARE(seen.value(QLatin1String("$causedBy")).toString(), QString::fromStdString(orders[0].idString));
        QCOMPARE(seen.value(QLatin1String("$c")).toDouble(), double(orders[0].position));
        const QJsonObject link = QJsonDocument::fromJson(QByteArray::fromStdString(links[0].metadata)).object();
        QCOMPARE(link.value(QLatin1String("$o")).toString(), QStringLiteral("order-1"));
        QCOMPARE(countOf(server.store(), "$projections-loud-emittedstreams"), size_t(2));
        QVERIFY(client.disable("loud", true).ok());
        QVERIFY(client.remove("loud", true).ok());
        QCOMPARE(server.store().view("audit-order-1").state, StreamView::State::SoftDeleted);
        server.shutdown();
    }

    void restartResumesFromTheLog()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("db.log")).toStdString();
        SandboxServer server;
        server.store().configureProjections(true, false);
        std::string error, notice;
        QVERIFY(server.store().openLog(path, &error, &notice));
        QString why;
        const int port = server.start(QStringLiteral("127.0.0.1:0"), &why);
        QVERIFY2(port > 0, qPrintable(why));
        QVERIFY(!server.store().append("order-1", EventStore::Expected::Any, 0, {placed(10), placed(5)}).error);
        {
            Client client(port);
            QVERIFY(client.create("counter", kCounter).ok());
            QVERIFY(server.store().userProjections()->waitIdle(10000));
        }
        const std::string before = Client(port).stats("counter")[0].lastcheckpoint();
        QVERIFY(server.restart(&why));
        Client client(port);
        QVERIFY(server.store().userProjections()->waitIdle(10000));
        const auto d = client.stats("counter");
        QCOMPARE(int(d.size()), 1);
        QCOMPARE(d[0].status(), std::string("Running"));
        QCOMPARE(d[0].lastcheckpoint(), before);
        QCOMPARE(d[0].eventsprocessedafterrestart(), qint64(0)); // nothing processed twice
        google::protobuf::Value v;
        QVERIFY(client.state("counter", "order-1", &v).ok());
        QCOMPARE(field(v, "total"), 15.0);
        QVERIFY(client.state("counter", "order-1", &v, true).ok());
        QCOMPARE(field(v, "total"), 15.0);
        QVERIFY(!server.store().append("order-1", EventStore::Expected::Any, 0, {placed(1)}).error);
        QVERIFY(server.store().userProjections()->waitIdle(10000));
        QVERIFY(client.state("counter", "order-1", &v).ok());
        QCOMPARE(field(v, "count"), 3.0);
        server.shutdown();
    }
};

QTEST_GUILESS_MAIN(TestSandboxUserProjections)
#include "tst_sandboxuserprojections.moc"
