#include "client/StreamsClient.h"

#include "client/AppendResponse.h"
#include "client/ReadOrderCheck.h"
#include "client/ResumingRead.h"
#include "cluster/NodeConnection.h"
#include "wire/GrpcChannel.h"
#include "wire/ProtoConvert.h"
#include "wire/RawMessage.h"
#include "wire/ReadRespDecoder.h"

#include "streams.grpc.pb.h"

#include <grpcpp/grpcpp.h>

namespace chronoscope {

namespace pb = event_store::client;
namespace spb = event_store::client::streams;

namespace {

/// Attaches a call to a Cancellation for as long as it runs.
class CancelScope
{
public:
    CancelScope(const CancellationPtr &c, grpc::ClientContext *ctx) : m_c(c)
    {
        if (m_c)
            m_c->attach(ctx);
    }
    ~CancelScope()
    {
        if (m_c)
            m_c->detach();
    }

private:
    CancellationPtr m_c;
};

template<typename Options>
void setExpected(Options *o, const ExpectedState &e)
{
    switch (e.kind) {
    case ExpectedState::Kind::Any: o->mutable_any(); break;
    case ExpectedState::Kind::NoStream: o->mutable_no_stream(); break;
    case ExpectedState::Kind::StreamExists: o->mutable_stream_exists(); break;
    case ExpectedState::Kind::Revision: o->set_revision(e.revision); break;
    }
}

void fillReadRequest(const ReadRequest &r, spb::ReadReq *req)
{
    auto *o = req->mutable_options();
    o->set_read_direction(r.direction == Direction::Forwards ? spb::ReadReq::Options::Forwards
                                                             : spb::ReadReq::Options::Backwards);
    o->set_resolve_links(r.resolveLinks);
    o->set_count(r.maxCount);
    o->mutable_uuid_option()->mutable_string();
    if (r.all) {
        auto *a = o->mutable_all();
        switch (r.from) {
        case ReadRequest::From::Start: a->mutable_start(); break;
        case ReadRequest::From::End: a->mutable_end(); break;
        case ReadRequest::From::Revision: // a revision means nothing for $all: read from the start
            a->mutable_start();
            break;
        case ReadRequest::From::Position:
            a->mutable_position()->set_commit_position(r.position.commit);
            a->mutable_position()->set_prepare_position(r.position.prepare);
            break;
        }
        if (r.filter) {
            auto *f = o->mutable_filter();
            auto *expr = r.filter->target == ReadFilter::Target::StreamName ? f->mutable_stream_identifier()
                                                                              : f->mutable_event_type();
            if (!r.filter->regex.isEmpty())
                expr->set_regex(r.filter->regex.toStdString());
            for (const QString &p : r.filter->prefixes)
                expr->add_prefix(p.toStdString());
            if (r.filter->maxSearchWindow)
                f->set_max(*r.filter->maxSearchWindow);
            else
                f->mutable_count();
            f->set_checkpointintervalmultiplier(r.filter->checkpointIntervalMultiplier);
        } else {
            o->mutable_no_filter();
        }
    } else {
        auto *s = o->mutable_stream();
        s->mutable_stream_identifier()->set_stream_name(r.stream.toStdString());
        switch (r.from) {
        case ReadRequest::From::Start: s->mutable_start(); break;
        case ReadRequest::From::End: s->mutable_end(); break;
        case ReadRequest::From::Revision: s->set_revision(r.revision); break;
        case ReadRequest::From::Position: s->mutable_start(); break;
        }
        o->mutable_no_filter();
        o->mutable_control_option()->set_compatibility(1);
    }
}

void setProposed(spb::AppendReq::ProposedMessage *m, const EventData &e)
{
    proto::setUuid(m->mutable_id(), e.id.isNull() ? QUuid::createUuid() : e.id, false);
    (*m->mutable_metadata())["type"] = e.type.toStdString();
    (*m->mutable_metadata())["content-type"] = e.contentType.toStdString();
    m->set_custom_metadata(e.metadata.constData(), size_t(e.metadata.size()));
    m->set_data(e.data.constData(), size_t(e.data.size()));
}

template<typename Resp>
std::optional<Position> positionOf(const Resp &resp)
{
    if (resp.position_option_case() == Resp::kPosition)
        return Position{resp.position().commit_position(), resp.position().prepare_position()};
    return std::nullopt;
}

ClientError channelMissing()
{
    return ClientError::protocol(QStringLiteral("no connection"));
}

} // namespace

StreamsClient::StreamsClient(const ConnectionSettings &settings)
{
    m_connection = NodeConnection::open(settings, &m_error); // m_error is built after m_connection
}

StreamsClient::~StreamsClient() = default;

ReadSummary StreamsClient::read(const ReadRequest &request, const EventHandler &onEvent,
                                const CancellationPtr &cancel, const Credentials &credentials) const
{
    ReadSummary summary;
    if (!m_connection) {
        summary.error = m_error.isError() ? m_error : channelMissing();
        return summary;
    }
    // A read cut off with its node goes on from the last delivered event (ResumingRead).
    return ResumingRead(*m_connection, cancel)
        .run(request, onEvent,
             [&](const std::shared_ptr<GrpcChannel> &channel, const ReadRequest &r, const EventHandler &deliver) {
                 return readOnce(channel, r, deliver, cancel, credentials);
             });
}

ReadSummary StreamsClient::readOnce(const std::shared_ptr<GrpcChannel> &channel, const ReadRequest &request,
                                    const EventHandler &onEvent, const CancellationPtr &cancel,
                                    const Credentials &credentials) const
{
    ReadSummary summary;
    spb::ReadReq req;
    fillReadRequest(request, &req);
    grpc::ClientContext ctx;
    channel->prepare(ctx, GrpcChannel::CallKind::Streaming, true, credentials);
    CancelScope scope(cancel, &ctx);
    // The replies come as raw bytes and go through ReadRespDecoder, not protobuf: a read is
    // millions of these, and parsing into messages (maps, strings) then copying out cost twice.
    const grpc::internal::RpcMethod method("/event_store.client.streams.Streams/Read",
                                           grpc::internal::RpcMethod::SERVER_STREAMING, channel->channel());
    std::unique_ptr<grpc::ClientReader<grpc::ByteBuffer>> reader(
        grpc::internal::ClientReaderFactory<grpc::ByteBuffer>::Create(channel->channel().get(), method, &ctx, req));
    grpc::ByteBuffer buffer;
    grpc::Slice slice;
    proto::ReadRespDecoder decoder;
    proto::ReadRespContent resp;
    ReadOrderCheck order(request.all, request.direction, request.stream);
    bool stopped = false;
    bool malformed = false;
    while (reader->Read(&buffer)) {
        if (!buffer.TrySingleSlice(&slice).ok())
            buffer.DumpToSingleSlice(&slice);
        QString why;
        if (!decoder.decode(reinterpret_cast<const char *>(slice.begin()), slice.size(), &resp, &why)) {
            summary.error = ClientError::protocol(why);
            malformed = true;
            ctx.TryCancel();
            break;
        }
        switch (resp.kind) {
        case proto::ReadRespContent::Kind::Event:
            if (const QString wrong = order.accept(resp.event); !wrong.isEmpty()) {
                summary.error = ClientError::protocol(wrong); // refused, never delivered
                malformed = true;
                break;
            }
            if (summary.eventCount >= request.maxCount) { // a server that ignores the count: stop at it
                stopped = true;
                break;
            }
            ++summary.eventCount;
            if (!onEvent(std::move(resp.event)))
                stopped = true;
            break;
        case proto::ReadRespContent::Kind::StreamNotFound:
            summary.error.kind = ClientError::Kind::StreamNotFound;
            summary.error.grpcCode = 5;
            summary.error.streamName = request.stream;
            summary.error.message = QStringLiteral("Event stream '%1' is not found.").arg(QString::fromUtf8(request.stream));
            break;
        case proto::ReadRespContent::Kind::FirstStreamPosition:
            summary.firstStreamPosition = resp.streamPosition;
            break;
        case proto::ReadRespContent::Kind::LastStreamPosition:
            summary.lastStreamPosition = resp.streamPosition;
            break;
        default: // confirmation, checkpoints, caught-up and cases newer than us: nothing to do for a read
            break;
        }
        if (stopped || malformed || (cancel && cancel->isCancelled())) {
            ctx.TryCancel();
            break;
        }
    }
    const grpc::Status status = reader->Finish();
    if (stopped || malformed)
        return summary;
    if (cancel && cancel->isCancelled()) {
        summary.error.kind = ClientError::Kind::Cancelled;
        summary.error.grpcCode = 1;
        summary.error.message = QStringLiteral("cancelled");
        return summary;
    }
    if (!status.ok())
        summary.error = GrpcChannel::toError(status, ctx);
    return summary;
}

ReadResult StreamsClient::readAll(const ReadRequest &request, const Credentials &credentials) const
{
    ReadResult result;
    const ReadSummary s = read(
        request,
        [&](ResolvedEvent &&e) {
            result.events.push_back(std::move(e));
            return true;
        },
        nullptr, credentials);
    result.error = s.error;
    return result;
}

namespace {

/// One Append call on `channel`.
AppendResult appendOn(const GrpcChannel &channel, const QByteArray &stream, const ExpectedState &expected,
                      const QList<EventData> &events, const StreamsClient::Credentials &credentials)
{
    AppendResult result;
    grpc::ClientContext ctx;
    channel.prepare(ctx, GrpcChannel::CallKind::Unary, true, credentials);
    // The reply comes as raw bytes and is parsed here: gRPC's typed client-streaming Finish()
    // aborts the process when a reply does not parse (a hostile server could crash us).
    const grpc::internal::RpcMethod method("/event_store.client.streams.Streams/Append",
                                           grpc::internal::RpcMethod::CLIENT_STREAMING, channel.channel());
    grpc::ByteBuffer reply;
    std::unique_ptr<grpc::ClientWriter<grpc::ByteBuffer>> writer(
        grpc::internal::ClientWriterFactory<grpc::ByteBuffer>::Create(channel.channel().get(), method, &ctx, &reply));
    spb::AppendReq req;
    auto *o = req.mutable_options();
    o->mutable_stream_identifier()->set_stream_name(stream.toStdString());
    setExpected(o, expected);
    bool ok = writer->Write(proto::serialized(req));
    for (const EventData &e : events) {
        if (!ok)
            break;
        req.Clear();
        setProposed(req.mutable_proposed_message(), e);
        ok = writer->Write(proto::serialized(req));
    }
    writer->WritesDone();
    const grpc::Status status = writer->Finish();
    if (!status.ok()) {
        result.error = GrpcChannel::toError(status, ctx);
        return result;
    }
    spb::AppendResp resp;
    if (!proto::parseReply(reply, &resp)) {
        result.error = ClientError::protocol(
            QStringLiteral("the server's reply to an append to '%1' is not an AppendResp (%2 bytes that do not parse)")
                .arg(QString::fromUtf8(stream))
                .arg(reply.Length()));
        return result;
    }
    return appendResultFrom(resp, stream, expected);
}

} // namespace

AppendResult StreamsClient::append(const QByteArray &stream, const ExpectedState &expected,
                                   const QList<EventData> &events, const Credentials &credentials) const
{
    if (!m_connection)
        return AppendResult{m_error.isError() ? m_error : channelMissing(), std::nullopt, std::nullopt};
    // Ids are fixed before the first attempt, so a retry on the leader proposes the same events.
    QList<EventData> proposed = events;
    for (EventData &e : proposed)
        if (e.id.isNull())
            e.id = QUuid::createUuid();
    return m_connection->run<AppendResult>([&](const std::shared_ptr<GrpcChannel> &channel) {
        return appendOn(*channel, stream, expected, proposed, credentials);
    });
}

namespace {

/// Delete and Tombstone share their shape: options with a stream and an expected state, a position back.
template<typename Req, typename Resp, typename Call>
DeleteResult removeStream(const std::shared_ptr<GrpcChannel> &channel, const QByteArray &stream,
                          const ExpectedState &expected, const StreamsClient::Credentials &credentials, Call call)
{
    DeleteResult result;
    grpc::ClientContext ctx;
    channel->prepare(ctx, GrpcChannel::CallKind::Unary, true, credentials);
    Req req;
    req.mutable_options()->mutable_stream_identifier()->set_stream_name(stream.toStdString());
    setExpected(req.mutable_options(), expected);
    Resp resp;
    auto stub = spb::Streams::NewStub(channel->channel());
    const grpc::Status status = call(*stub, &ctx, req, &resp);
    if (!status.ok())
        result.error = GrpcChannel::toError(status, ctx);
    else
        result.position = positionOf(resp);
    return result;
}

} // namespace

DeleteResult StreamsClient::deleteStream(const QByteArray &stream, const ExpectedState &expected,
                                         const Credentials &credentials) const
{
    if (!m_connection)
        return DeleteResult{m_error.isError() ? m_error : channelMissing(), std::nullopt};
    return m_connection->run<DeleteResult>([&](const std::shared_ptr<GrpcChannel> &channel) {
        return removeStream<spb::DeleteReq, spb::DeleteResp>(
            channel, stream, expected, credentials,
            [](spb::Streams::Stub &s, grpc::ClientContext *c, const spb::DeleteReq &r, spb::DeleteResp *o) {
                return s.Delete(c, r, o);
            });
    });
}

DeleteResult StreamsClient::tombstoneStream(const QByteArray &stream, const ExpectedState &expected,
                                            const Credentials &credentials) const
{
    if (!m_connection)
        return DeleteResult{m_error.isError() ? m_error : channelMissing(), std::nullopt};
    return m_connection->run<DeleteResult>([&](const std::shared_ptr<GrpcChannel> &channel) {
        return removeStream<spb::TombstoneReq, spb::TombstoneResp>(
            channel, stream, expected, credentials,
            [](spb::Streams::Stub &s, grpc::ClientContext *c, const spb::TombstoneReq &r, spb::TombstoneResp *o) {
                return s.Tombstone(c, r, o);
            });
    });
}

StreamMetadataResult StreamsClient::getStreamMetadata(const QByteArray &stream, const Credentials &credentials) const
{
    // As the official clients do: the last event of `$$stream`.
    StreamMetadataResult result;
    result.streamName = stream;
    const ReadResult r =
        readAll(ReadRequest::forStream(SystemStreams::metastreamOf(stream), Direction::Backwards).count(1), credentials);
    if (r.error.kind == ClientError::Kind::StreamNotFound)
        return result;
    if (r.error) {
        result.error = r.error;
        return result;
    }
    if (r.events.isEmpty() || !r.events.first().event)
        return result;
    const RecordedEvent &e = *r.events.first().event;
    QString parseError;
    result.metadata = StreamMetadata::fromJson(e.data, &parseError);
    if (!result.metadata)
        result.error = ClientError::protocol(QStringLiteral("metadata of '%1': %2").arg(QString::fromUtf8(stream), parseError));
    result.metastreamRevision = e.revision;
    return result;
}

AppendResult StreamsClient::setStreamMetadata(const QByteArray &stream, const StreamMetadata &metadata,
                                              const ExpectedState &expected, const Credentials &credentials) const
{
    return append(SystemStreams::metastreamOf(stream), expected,
                  {EventData::json(SystemEventTypes::StreamMetadata, metadata.toJsonBytes())}, credentials);
}

std::unique_ptr<Subscription> StreamsClient::subscribe(const ReadRequest &request, Subscription::MessageHandler onMessage,
                                                     Subscription::EndHandler onEnd, const Credentials &credentials) const
{
    // The subscription connects (and reconnects) through the client's node connection; without
    // one it ends at once with "no connection".
    return std::make_unique<Subscription>(m_connection, request, credentials, std::move(onMessage), std::move(onEnd));
}

} // namespace chronoscope
