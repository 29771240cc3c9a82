#include "client/Subscription.h"

#include "client/ReadOrderCheck.h"
#include "cluster/NodeConnection.h"
#include "wire/GrpcChannel.h"
#include "wire/ProtoConvert.h"

#include "streams.grpc.pb.h"

#include <grpcpp/grpcpp.h>

#include <chrono>

namespace chronoscope {

namespace spb = event_store::client::streams;

namespace {

using Options = spb::ReadReq::Options;

void fillFilter(const ReadFilter &filter, Options::FilterOptions *f)
{
    auto *expr = filter.target == ReadFilter::Target::StreamName ? f->mutable_stream_identifier() : f->mutable_event_type();
    if (!filter.regex.isEmpty())
        expr->set_regex(filter.regex.toStdString());
    for (const QString &p : filter.prefixes)
        expr->add_prefix(p.toStdString());
    if (filter.maxSearchWindow)
        f->set_max(*filter.maxSearchWindow);
    else
        f->mutable_count();
    f->set_checkpointintervalmultiplier(filter.checkpointIntervalMultiplier);
}

/// What the official clients send for subscribeToStream / subscribeToAll.
spb::ReadReq subscriptionRequest(const ReadRequest &r)
{
    spb::ReadReq req;
    auto *o = req.mutable_options();
    o->set_read_direction(Options::Forwards);
    o->set_resolve_links(r.resolveLinks);
    o->mutable_subscription();
    o->mutable_uuid_option()->mutable_string();
    if (r.all) {
        auto *a = o->mutable_all();
        if (r.from == ReadRequest::From::End) {
            a->mutable_end();
        } else if (r.from == ReadRequest::From::Position) {
            a->mutable_position()->set_commit_position(r.position.commit);
            a->mutable_position()->set_prepare_position(r.position.prepare);
        } else {
            a->mutable_start();
        }
        if (r.filter)
            fillFilter(*r.filter, o->mutable_filter());
        else
            o->mutable_no_filter();
    } else {
        auto *s = o->mutable_stream();
        s->mutable_stream_identifier()->set_stream_name(r.stream.toStdString());
        if (r.from == ReadRequest::From::End)
            s->mutable_end();
        else if (r.from == ReadRequest::From::Revision)
            s->set_revision(r.revision);
        else
            s->mutable_start();
        o->mutable_no_filter();
    }
    return req;
}

Position positionOf(quint64 commit, quint64 prepare) { return Position{commit, prepare}; }

/// CaughtUp and FellBehind share their shape: an optional stream revision or `$all` position.
template<typename Mark>
void markOf(const Mark &c, SubscriptionMessage *m)
{
    if (c.has_stream_revision())
        m->streamRevision = c.stream_revision();
    if (c.has_position())
        m->position = positionOf(c.position().commit_position(), c.position().prepare_position());
}

/// Converts one reply; false for replies a subscription does not expect (ignored, as the clients do).
bool messageFrom(const spb::ReadResp &resp, proto::ByteInterner *interner, SubscriptionMessage *m)
{
    using K = SubscriptionMessage::Kind;
    switch (resp.content_case()) {
    case spb::ReadResp::kEvent:
        m->kind = K::Event;
        m->event = proto::resolvedEventFrom(resp.event(), interner);
        return true;
    case spb::ReadResp::kConfirmation:
        m->kind = K::Confirmation;
        m->subscriptionId = QString::fromStdString(resp.confirmation().subscription_id());
        return true;
    case spb::ReadResp::kCheckpoint:
        m->kind = K::Checkpoint;
        m->position = positionOf(resp.checkpoint().commit_position(), resp.checkpoint().prepare_position());
        return true;
    case spb::ReadResp::kCaughtUp:
        m->kind = K::CaughtUp;
        markOf(resp.caught_up(), m);
        return true;
    case spb::ReadResp::kFellBehind:
        m->kind = K::FellBehind;
        markOf(resp.fell_behind(), m);
        return true;
    default:
        return false;
    }
}

} // namespace

Subscription::Subscription(std::shared_ptr<NodeConnection> connection, const ReadRequest &request,
                           const std::optional<UserCredentials> &credentials, MessageHandler onMessage,
                           EndHandler onEnd)
    : m_onMessage(std::move(onMessage))
    , m_onEnd(std::move(onEnd))
    , m_order(std::make_unique<ReadOrderCheck>(request.all, Direction::Forwards, request.stream))
{
    m_thread = std::thread([this, connection = std::move(connection), request, credentials]() mutable {
        run(std::move(connection), std::move(request), std::move(credentials));
    });
}

Subscription::~Subscription()
{
    cancel();
    wait();
}

void Subscription::cancel()
{
    m_cancel->cancel();
}

void Subscription::wait()
{
    if (m_thread.joinable() && m_thread.get_id() != std::this_thread::get_id())
        m_thread.join();
}

void Subscription::run(std::shared_ptr<NodeConnection> connection, ReadRequest request,
                       std::optional<UserCredentials> credentials)
{
    ClientError end;
    int fruitless = 0;
    using Clock = std::chrono::steady_clock;
    Clock::time_point lostAt = Clock::now(); // when the node was last lost after serving events
    const auto patience = std::chrono::milliseconds(connection ? connection->settings().subscriptionPatienceMs : 0);
    while (true) {
        const std::shared_ptr<GrpcChannel> channel = connection ? connection->channel(&end, m_cancel) : nullptr;
        if (!channel) {
            if (!connection)
                end = ClientError::protocol(QStringLiteral("no connection"));
            break;
        }
        quint64 messages = 0;
        const std::optional<quint64> revisionBefore = m_lastRevision;
        const std::optional<Position> positionBefore = m_lastPosition;
        end = runOnce(channel, request, credentials, &messages);
        if (m_cancel->isCancelled() || !end || !NodeConnection::isReconnectError(end))
            break;
        if (messages > 0)
            connection->reportSuccess(); // it was serving: back off from the shortest delay
        connection->reportFailure(channel, end);
        const bool progressed = m_lastRevision != revisionBefore || !(m_lastPosition == positionBefore);
        if (progressed || fruitless == 0)
            lostAt = Clock::now();
        fruitless = progressed ? 0 : fruitless + 1;
        // Both: enough attempts (the backoff spaces them: about 5 s in all) and enough time. The
        // attempts alone ended live tails while a server restarted on a long log (issue 17's soak).
        if (fruitless > kMaxReconnects && Clock::now() - lostAt >= patience)
            break;
        resumeAfterLast(&request);
    }
    if (m_onEnd)
        m_onEnd(end);
}

ClientError Subscription::runOnce(const std::shared_ptr<GrpcChannel> &channel, const ReadRequest &request,
                                  const std::optional<UserCredentials> &credentials, quint64 *messages)
{
    ClientError end;
    grpc::ClientContext ctx;
    // No deadline: a subscription lives until cancelled (the official clients use Infinity).
    channel->prepare(ctx, GrpcChannel::CallKind::Streaming, true, credentials);
    m_cancel->attach(&ctx);
    auto stub = spb::Streams::NewStub(channel->channel());
    auto reader = stub->Read(&ctx, subscriptionRequest(request));
    spb::ReadResp resp;
    proto::ByteInterner interner;
    bool refused = false;
    while (!m_cancel->isCancelled() && reader->Read(&resp)) {
        SubscriptionMessage m;
        if (!messageFrom(resp, &interner, &m))
            continue;
        if (m.kind == SubscriptionMessage::Kind::Event) {
            if (const QString wrong = m_order->accept(m.event); !wrong.isEmpty()) {
                end = ClientError::protocol(wrong); // refused, never delivered
                refused = true;
                ctx.TryCancel();
                break;
            }
        }
        ++*messages;
        if (m.kind == SubscriptionMessage::Kind::Event && (m.event.event || m.event.link)) {
            const RecordedEvent &record = m.event.originalEvent();
            if (request.all)
                m_lastPosition = record.position;
            else
                m_lastRevision = record.revision;
        }
        if (m_onMessage)
            m_onMessage(std::move(m));
    }
    if (m_cancel->isCancelled())
        ctx.TryCancel();
    const grpc::Status status = reader->Finish();
    m_cancel->detach();
    if (refused)
        return end;
    if (m_cancel->isCancelled()) {
        end.kind = ClientError::Kind::Cancelled;
        end.grpcCode = 1;
        end.message = QStringLiteral("cancelled");
    } else if (!status.ok()) {
        end = GrpcChannel::toError(status, ctx);
    }
    return end;
}

void Subscription::resumeAfterLast(ReadRequest *request) const
{
    // Start points are exclusive on the wire: the new call delivers what follows them.
    if (request->all && m_lastPosition)
        request->fromPosition(*m_lastPosition);
    else if (!request->all && m_lastRevision)
        request->fromRevision(*m_lastRevision);
}

} // namespace chronoscope
