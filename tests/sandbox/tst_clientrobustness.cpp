// The client never crashes on what a server may send: missing fields, unknown oneof cases,
// garbage in metadata, errors without trailers.
#include "client/StreamsClient.h"

#include "streams.grpc.pb.h"

#include <grpcpp/grpcpp.h>

#include <QTest>

using namespace chronoscope;
namespace spb = event_store::client::streams;

class OddServer final : public spb::Streams::Service
{
public:
    grpc::Status Read(grpc::ServerContext *, const spb::ReadReq *req, grpc::ServerWriter<spb::ReadResp> *w) override
    {
        const std::string stream = req->options().stream().stream_identifier().stream_name();
        if (stream == "fail")
            return grpc::Status(grpc::StatusCode::UNAVAILABLE, "Server Is Not Ready");
        // Stream and revision are there (a read refuses events of another stream, or out of order:
        // test_hostile_replies); everything else is missing or garbage.
        spb::ReadResp r;
        auto *bare = r.mutable_event()->mutable_event(); // no id, no metadata, no data
        bare->mutable_stream_identifier()->set_stream_name(stream);
        w->Write(r);
        r.Clear();
        auto *e = r.mutable_event()->mutable_event();
        e->mutable_stream_identifier()->set_stream_name(stream);
        e->set_stream_revision(1);
        e->mutable_id()->set_string("not-a-uuid");
        (*e->mutable_metadata())["created"] = "12x";
        (*e->mutable_metadata())["type"] = "T";
        w->Write(r);
        r.Clear();
        // A oneof case from a future protocol version: field 42 is unknown to us.
        r.GetReflection()->MutableUnknownFields(&r)->AddVarint(42, 7);
        w->Write(r);
        r.Clear();
        auto *link = r.mutable_event()->mutable_link(); // a link whose target is gone
        link->mutable_stream_identifier()->set_stream_name(stream);
        link->set_stream_revision(2);
        w->Write(r);
        return grpc::Status::OK;
    }
    grpc::Status Append(grpc::ServerContext *, grpc::ServerReader<spb::AppendReq> *reader, spb::AppendResp *) override
    {
        spb::AppendReq req;
        while (reader->Read(&req)) {
        }
        return grpc::Status::OK; // neither success nor wrong_expected_version
    }
};

class TestClientRobustness : public QObject
{
    Q_OBJECT
    OddServer m_service;
    std::unique_ptr<grpc::Server> m_server;
    std::unique_ptr<StreamsClient> m_client;

private Q_SLOTS:
    void initTestCase()
    {
        int port = 0;
        grpc::ServerBuilder b;
        b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
        b.RegisterService(&m_service);
        m_server = b.BuildAndStart();
        QVERIFY(port > 0);
        m_client = std::make_unique<StreamsClient>(
            ConnectionString::parse(QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(port)).settings);
    }
    void cleanupTestCase() { m_server->Shutdown(); }

    void oddMessages()
    {
        const ReadResult r = m_client->readAll(ReadRequest::forStream("odd"));
        QVERIFY2(!r.error, qPrintable(r.error.toString()));
        QCOMPARE(r.events.size(), 3);
        QVERIFY(r.events[0].event->id.isNull());
        QCOMPARE(r.events[0].event->type, QByteArray("<no-event-type-provided>"));
        QCOMPARE(r.events[0].event->contentType, QByteArray("application/octet-stream"));
        QVERIFY(r.events[1].event->id.isNull());
        QCOMPARE(r.events[1].event->createdTicks, qint64(0));
        QVERIFY(r.events[2].isUnresolvedLink());
    }

    void errorWithoutTrailers()
    {
        const ReadResult r = m_client->readAll(ReadRequest::forStream("fail"));
        QCOMPARE(r.error.kind, ClientError::Kind::Unavailable);
        QCOMPARE(r.error.message, QStringLiteral("Server Is Not Ready"));
    }

    void emptyAppendResponse()
    {
        const AppendResult a = m_client->append("x", ExpectedState::any(), {EventData::json("T", "{}")});
        QCOMPARE(a.error.kind, ClientError::Kind::ProtocolError);
    }

    void unimplementedServerFeatures()
    {
        const ServerInfo info = m_client->serverInfo(); // this server has no ServerFeatures service
        QVERIFY(!info.error);
        QVERIFY(info.version.isEmpty());
    }

    void unreachableServer()
    {
        auto s = ConnectionString::parse(QStringLiteral("kurrentdb://127.0.0.1:1?tls=false&defaultDeadline=2000")).settings;
        StreamsClient c(s);
        QCOMPARE(c.append("x", ExpectedState::any(), {EventData::json("T", "{}")}).error.kind,
                 ClientError::Kind::Unavailable);
    }

    void unreadableCaFile()
    {
        StreamsClient c(ConnectionString::parse(QStringLiteral("kurrentdb://h?tlsCAFile=/nonexistent/ca.pem")).settings);
        QVERIFY(c.error().isError());
        QVERIFY(c.error().message.contains(QStringLiteral("/nonexistent/ca.pem")));
    }
};

QTEST_GUILESS_MAIN(TestClientRobustness)
#include "tst_clientrobustness.moc"
