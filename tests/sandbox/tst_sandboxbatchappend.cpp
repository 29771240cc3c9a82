// BatchAppend on the wire (protocol sheet §4.4, §10.3): correlation ids, chunks, expected states,
// deadlines, and failures as google.rpc.Status with typed details in the response body.
#include "SandboxServer.h"
#include "wire/ProtoConvert.h"

#include "streams.grpc.pb.h"

#include <grpcpp/grpcpp.h>

#include <QDateTime>
#include <QJsonObject>
#include <QTest>

using namespace chronoscope;
namespace spb = event_store::client::streams;
using Req = spb::BatchAppendReq;
using Resp = spb::BatchAppendResp;

namespace {

Req::ProposedMessage message(const QByteArray &data, const char *type = "Batched")
{
    Req::ProposedMessage m;
    proto::setUuid(m.mutable_id(), QUuid::createUuid(), false);
    if (type)
        (*m.mutable_metadata())["type"] = type;
    (*m.mutable_metadata())["content-type"] = "application/json";
    m.set_data(data.toStdString());
    return m;
}

/// A request opening a correlation (with its options) or continuing one (without).
Req chunk(const QUuid &correlation, const char *stream, int events, bool final, bool withOptions = true)
{
    Req r;
    proto::setUuid(r.mutable_correlation_id(), correlation, false);
    if (withOptions) {
        r.mutable_options()->mutable_stream_identifier()->set_stream_name(stream);
        r.mutable_options()->mutable_any();
    }
    for (int i = 0; i < events; ++i)
        *r.add_proposed_messages() = message("{\"i\":" + QByteArray::number(i) + '}');
    r.set_is_final(final);
    return r;
}

QString detailType(const Resp &r)
{
    const std::string url = r.error().details().type_url();
    return QString::fromStdString(url.substr(url.rfind('/') + 1));
}

} // namespace

class TestSandboxBatchAppend : public QObject
{
    Q_OBJECT

    sandbox::SandboxServer m_server;
    std::unique_ptr<spb::Streams::Stub> m_stub;

    /// Sends `requests` on one call and returns every response.
    std::vector<Resp> exchange(const std::vector<Req> &requests, size_t expected)
    {
        grpc::ClientContext ctx;
        ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
        auto call = m_stub->BatchAppend(&ctx);
        for (const Req &r : requests)
            call->Write(r);
        std::vector<Resp> out;
        Resp resp;
        while (out.size() < expected && call->Read(&resp))
            out.push_back(resp);
        call->WritesDone();
        while (call->Read(&resp))
            out.push_back(resp);
        const grpc::Status status = call->Finish();
        if (!status.ok())
            qWarning("BatchAppend ended with %d %s", int(status.error_code()), status.error_message().c_str());
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        const int port = m_server.start(QStringLiteral("127.0.0.1:0"), &error);
        QVERIFY2(port > 0, qPrintable(error));
        m_stub = spb::Streams::NewStub(
            grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
    }

    void chunksAndCorrelation()
    {
        const QUuid a = QUuid::createUuid(), b = QUuid::createUuid();
        // Two appends interleaved on one call, the first in two chunks.
        const auto out = exchange({chunk(a, "ba-1", 2, false), chunk(b, "ba-2", 1, true), chunk(a, "", 3, true, false)}, 2);
        QCOMPARE(out.size(), size_t(2));
        QCOMPARE(proto::uuidFrom(out[0].correlation_id()), b);
        QCOMPARE(out[0].stream_identifier().stream_name(), std::string("ba-2"));
        QCOMPARE(proto::uuidFrom(out[1].correlation_id()), a);
        QVERIFY(out[1].has_any()); // the expected state is echoed
        QVERIFY(out[1].has_success());
        QCOMPARE(out[1].success().current_revision(), uint64_t(4)); // 2 + 3 events
        QVERIFY(out[1].success().has_position());
        QCOMPARE(m_server.store().view("ba-1").last, quint64(4));
    }

    void wrongExpectedVersion()
    {
        Req r = chunk(QUuid::createUuid(), "ba-1", 1, true);
        r.mutable_options()->set_stream_position(7);
        const auto out = exchange({r}, 1);
        QCOMPARE(out.size(), size_t(1));
        QVERIFY(out[0].has_error());
        QCOMPARE(out[0].error().code(), google::rpc::ALREADY_EXISTS);
        QCOMPARE(detailType(out[0]), QStringLiteral("event_store.client.WrongExpectedVersion"));
        event_store::client::WrongExpectedVersion w;
        QVERIFY(out[0].error().details().UnpackTo(&w));
        QCOMPARE(w.current_stream_revision(), uint64_t(4));
        QCOMPARE(w.expected_stream_position(), uint64_t(7));
        QCOMPARE(out[0].stream_position(), uint64_t(7));
    }

    void tombstonedStream()
    {
        QVERIFY(!m_server.store().tombstone("ba-dead", sandbox::EventStore::Expected::Any, 0).error);
        const auto out = exchange({chunk(QUuid::createUuid(), "ba-dead", 1, true)}, 1);
        QCOMPARE(out.size(), size_t(1));
        QCOMPARE(out[0].error().code(), google::rpc::NOT_FOUND);
        QCOMPARE(detailType(out[0]), QStringLiteral("event_store.client.StreamDeleted"));
        event_store::client::StreamDeleted d;
        QVERIFY(out[0].error().details().UnpackTo(&d));
        QCOMPARE(d.stream_identifier().stream_name(), std::string("ba-dead"));
    }

    void deadlinePassed()
    {
        Req r = chunk(QUuid::createUuid(), "ba-late", 1, true);
        const qint64 past = QDateTime::currentSecsSinceEpoch() - 5;
        r.mutable_options()->mutable_deadline_21_10_0()->set_seconds(past);
        const auto out = exchange({r}, 1);
        QCOMPARE(out.size(), size_t(1));
        QCOMPARE(out[0].error().code(), google::rpc::DEADLINE_EXCEEDED);
        QCOMPARE(detailType(out[0]), QStringLiteral("event_store.client.Timeout"));
        QCOMPARE(m_server.store().view("ba-late").state, sandbox::StreamView::State::Missing);
    }

    void badRequests_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("detail");
        QTest::addRow("no options") << 0 << QStringLiteral("event_store.client.BadRequest");
        QTest::addRow("no type") << 1 << QStringLiteral("event_store.client.BadRequest");
        QTest::addRow("too large") << 2 << QStringLiteral("event_store.client.MaximumAppendSizeExceeded");
    }
    void badRequests()
    {
        QFETCH(int, kind);
        QFETCH(QString, detail);
        Req r = chunk(QUuid::createUuid(), "ba-bad", 0, true, kind != 0);
        if (kind == 1)
            *r.add_proposed_messages() = message("{}", nullptr);
        if (kind == 2)
            *r.add_proposed_messages() = message(QByteArray(2 * 1024 * 1024, 'x'));
        const auto out = exchange({r}, 1);
        QCOMPARE(out.size(), size_t(1));
        QCOMPARE(out[0].error().code(), google::rpc::INVALID_ARGUMENT);
        QCOMPARE(detailType(out[0]), detail);
        QCOMPARE(m_server.store().view("ba-bad").state, sandbox::StreamView::State::Missing);
    }

    // --stats-file tells which RPC a client used; these counts are what it reports.
    void callStatsCountWhatArrived()
    {
        const QUuid a = QUuid::createUuid(), b = QUuid::createUuid(), bad = QUuid::createUuid();
        const quint64 callsBefore = m_server.callStats().batchAppendCalls();
        Req refused = chunk(bad, "bs-2", 1, false);
        *refused.add_proposed_messages() = message("{}", nullptr); // no type: answered at once
        const auto out = exchange({chunk(a, "bs-1", 2, false), chunk(b, "bs-1", 1, true), chunk(a, "", 3, false, false),
                                   refused, chunk(a, "", 1, true, false), chunk(bad, "", 1, true, false)},
                                  3);
        QCOMPARE(out.size(), size_t(3));
        QCOMPARE(m_server.callStats().batchAppendCalls(), callsBefore + 1);
        const auto one = m_server.callStats().forStream("bs-1");
        QCOMPARE(one.batchAppendRequests, quint64(4)); // a in three chunks, b in one
        QCOMPARE(one.batchAppends, quint64(2));        // two correlations, one answer each
        QCOMPARE(one.appendCalls, quint64(0));
        const auto two = m_server.callStats().forStream("bs-2");
        QCOMPARE(two.batchAppendRequests, quint64(2)); // the chunk after the refusal still arrived
        QCOMPARE(two.batchAppends, quint64(1));        // but the append was answered once

        // An Append call counts as one, whatever it carries.
        grpc::ClientContext ctx;
        spb::AppendResp resp;
        auto append = m_stub->Append(&ctx, &resp);
        spb::AppendReq options;
        options.mutable_options()->mutable_stream_identifier()->set_stream_name("bs-1");
        options.mutable_options()->mutable_any();
        QVERIFY(append->Write(options));
        spb::AppendReq event;
        *event.mutable_proposed_message()->mutable_metadata() = message("{}").metadata();
        proto::setUuid(event.mutable_proposed_message()->mutable_id(), QUuid::createUuid(), false);
        QVERIFY(append->Write(event));
        append->WritesDone();
        QVERIFY(append->Finish().ok());
        QCOMPARE(m_server.callStats().forStream("bs-1").appendCalls, quint64(1));
        QCOMPARE(m_server.callStats().forStream("bs-1").batchAppends, quint64(2));

        const QJsonObject json = m_server.callStats().toJson();
        QCOMPARE(json[QStringLiteral("streams")][QStringLiteral("bs-1")][QStringLiteral("batchAppendRequests")].toInt(), 4);
        QCOMPARE(json[QStringLiteral("append")][QStringLiteral("calls")].toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(TestSandboxBatchAppend)
#include "tst_sandboxbatchappend.moc"
