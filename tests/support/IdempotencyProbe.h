#pragma once
// Appends to a sandbox through either RPC and reduces the answer to what the idempotency rules are
// about: shared by the idempotency and fault tests, so every rule is shown on Append and BatchAppend.
#include "client/StreamsClient.h"
#include "wire/ProtoConvert.h"

#include "streams.grpc.pb.h"

#include <grpcpp/grpcpp.h>

#include <QUuid>

#include <chrono>
#include <memory>
#include <optional>

namespace chronoscope::test {

/// What an append came back with, the same for both RPCs.
struct Outcome
{
    QString error;                   ///< empty on success, else the kind ("wrong-expected-version", "unavailable", …)
    std::optional<quint64> next;     ///< success: the stream's revision after it
    std::optional<quint64> position; ///< success: the commit position of its last event
    QString expected;                ///< wrong-expected-version: as sent ("any", "no_stream", "3" …)
    std::optional<quint64> actual;   ///< wrong-expected-version: the stream's revision, none = no stream

    bool ok() const { return error.isEmpty(); }
    QString toString() const
    {
        if (ok())
            return QStringLiteral("ok next=%1 position=%2")
                .arg(next ? QString::number(*next) : QStringLiteral("-"),
                     position ? QString::number(*position) : QStringLiteral("-"));
        return error
            + (error == QLatin1String("wrong-expected-version")
                   ? QStringLiteral(" expected=%1 actual=%2")
                         .arg(expected, actual ? QString::number(*actual) : QStringLiteral("no_stream"))
                   : QString());
    }
};

enum class Rpc { Append, BatchAppend };

inline QList<EventData> eventsWith(const QList<QUuid> &ids, const QByteArray &type = "Tested")
{
    QList<EventData> out;
    for (const QUuid &id : ids)
        out << EventData::json(type, "{\"id\":\"" + id.toByteArray(QUuid::WithoutBraces) + "\"}", {}, id);
    return out;
}

/// Appends through our client (Append) or a raw BatchAppend call, one call per append.
class Appender
{
public:
    /// `deadlineMs`: the client's deadline for an append (Append: the call's; BatchAppend: the
    /// append's own deadline option, the call having none, as the official clients do).
    Appender(int port, Rpc rpc, int deadlineMs = 10000) : m_rpc(rpc), m_deadlineMs(deadlineMs)
    {
        const auto cs = ConnectionString::parse(
            QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false&defaultDeadline=%2").arg(port).arg(deadlineMs));
        m_client = std::make_unique<StreamsClient>(cs.settings);
        m_channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
        m_stub = event_store::client::streams::Streams::NewStub(m_channel);
    }

    StreamsClient &client() { return *m_client; }

    Outcome append(const QByteArray &stream, const ExpectedState &expected, const QList<QUuid> &ids)
    {
        return m_rpc == Rpc::Append ? viaAppend(stream, expected, ids) : viaBatchAppend(stream, expected, ids);
    }

    /// The ids of the stream's events in revision order (empty when there is no stream). A read
    /// right after a restart of the server may meet the client still reconnecting: tried again.
    QList<QUuid> idsOf(const QByteArray &stream) const
    {
        ReadResult r;
        for (int i = 0; i < 50; ++i) {
            r = m_client->readAll(ReadRequest::forStream(stream));
            if (r.error.kind != ClientError::Kind::Unavailable)
                break;
        }
        QList<QUuid> out;
        if (r.error && r.error.kind != ClientError::Kind::StreamNotFound) {
            out << QUuid(); // a read that failed must not look like an empty stream
            return out;
        }
        for (const ResolvedEvent &e : r.events)
            out << e.originalEvent().id;
        return out;
    }

private:
    Outcome viaAppend(const QByteArray &stream, const ExpectedState &expected, const QList<QUuid> &ids)
    {
        const AppendResult r = m_client->append(stream, expected, eventsWith(ids));
        Outcome o;
        if (r.error) {
            o.error = r.error.kindName();
            o.expected = r.error.expected.toString();
            o.actual = r.error.actualRevision;
            return o;
        }
        o.next = r.nextExpectedRevision;
        if (r.position)
            o.position = r.position->commit;
        return o;
    }

    Outcome viaBatchAppend(const QByteArray &stream, const ExpectedState &expected, const QList<QUuid> &ids)
    {
        namespace spb = event_store::client::streams;
        spb::BatchAppendReq req;
        proto::setUuid(req.mutable_correlation_id(), QUuid::createUuid(), false);
        auto *o = req.mutable_options();
        o->mutable_stream_identifier()->set_stream_name(stream.toStdString());
        switch (expected.kind) {
        case ExpectedState::Kind::Any: o->mutable_any(); break;
        case ExpectedState::Kind::NoStream: o->mutable_no_stream(); break;
        case ExpectedState::Kind::StreamExists: o->mutable_stream_exists(); break;
        case ExpectedState::Kind::Revision: o->set_stream_position(expected.revision); break;
        }
        const auto deadline = std::chrono::system_clock::now() + std::chrono::milliseconds(m_deadlineMs);
        const qint64 ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline.time_since_epoch()).count();
        o->mutable_deadline_21_10_0()->set_seconds(ms / 1000);
        o->mutable_deadline_21_10_0()->set_nanos(int(ms % 1000) * 1000000);
        for (const EventData &e : eventsWith(ids)) {
            auto *m = req.add_proposed_messages();
            proto::setUuid(m->mutable_id(), e.id, false);
            (*m->mutable_metadata())["type"] = e.type.toStdString();
            (*m->mutable_metadata())["content-type"] = e.contentType.toStdString();
            m->set_data(e.data.toStdString());
        }
        req.set_is_final(true);

        // As the official clients: one call with no deadline of its own; the append's deadline
        // travels in its options and is the server's to enforce.
        grpc::ClientContext ctx;
        ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
        ctx.set_wait_for_ready(true); // across a restart of the server, until it listens again
        auto call = m_stub->BatchAppend(&ctx);
        call->Write(req);
        spb::BatchAppendResp resp;
        const bool answered = call->Read(&resp);
        call->WritesDone();
        spb::BatchAppendResp extra;
        while (call->Read(&extra)) {}
        const grpc::Status status = call->Finish();
        Outcome out;
        if (!answered) {
            out.error = status.ok()
                ? QStringLiteral("no-answer")
                : ClientError::kindName(ClientError::fromStatus(status.error_code(), status.error_message(), {}).kind);
            return out;
        }
        if (resp.has_success()) {
            if (resp.success().current_revision_option_case() == spb::BatchAppendResp::Success::kCurrentRevision)
                out.next = resp.success().current_revision();
            if (resp.success().position_option_case() == spb::BatchAppendResp::Success::kPosition)
                out.position = resp.success().position().commit_position();
            return out;
        }
        event_store::client::WrongExpectedVersion wev;
        if (resp.error().details().UnpackTo(&wev)) {
            out.error = QStringLiteral("wrong-expected-version");
            using W = event_store::client::WrongExpectedVersion;
            if (wev.current_stream_revision_option_case() == W::kCurrentStreamRevision)
                out.actual = wev.current_stream_revision();
            switch (wev.expected_stream_position_option_case()) {
            case W::kExpectedStreamPosition: out.expected = QString::number(wev.expected_stream_position()); break;
            case W::kExpectedNoStream: out.expected = QStringLiteral("no_stream"); break;
            case W::kExpectedStreamExists: out.expected = QStringLiteral("stream_exists"); break;
            default: out.expected = QStringLiteral("any"); break;
            }
            return out;
        }
        event_store::client::Timeout timeout;
        if (resp.error().details().UnpackTo(&timeout)) {
            out.error = QStringLiteral("timeout");
            return out;
        }
        out.error = QStringLiteral("batch-error-%1").arg(resp.error().code());
        return out;
    }

    Rpc m_rpc;
    int m_deadlineMs;
    std::unique_ptr<StreamsClient> m_client;
    std::shared_ptr<grpc::Channel> m_channel;
    std::unique_ptr<event_store::client::streams::Streams::Stub> m_stub;
};

} // namespace chronoscope::test
