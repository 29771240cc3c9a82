#include "client/PersistentSubscriptionsClient.h"

#include "client/PersistentReplies.h"

#include "cluster/NodeConnection.h"
#include "wire/GrpcChannel.h"
#include "wire/RawMessage.h"

#include "persistent.grpc.pb.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/client_unary_call.h>

namespace chronoscope {

namespace pps = event_store::client::persistent_subscriptions;

namespace {

template<typename Settings>
void fillSettings(Settings *out, const PersistentSubscriptionSettings &s)
{
    out->set_resolve_links(s.resolveLinks);
    out->set_extra_statistics(s.extraStatistics);
    out->set_message_timeout_ms(s.messageTimeoutMs);
    out->set_max_retry_count(s.maxRetryCount);
    out->set_live_buffer_size(s.liveBufferSize);
    out->set_read_batch_size(s.readBatchSize);
    out->set_history_buffer_size(s.historyBufferSize);
    out->set_checkpoint_after_ms(s.checkpointAfterMs);
    out->set_min_checkpoint_count(s.minCheckpointCount);
    out->set_max_checkpoint_count(s.maxCheckpointCount);
    out->set_max_subscriber_count(s.maxSubscriberCount);
    // The deprecated enum too: servers before 21.10 read only that.
    const QString &c = s.consumerStrategy;
    const int named = c == QLatin1String("DispatchToSingle") ? 0 : c == QLatin1String("Pinned") ? 2 : 1;
    out->set_named_consumer_strategy(decltype(out->named_consumer_strategy())(named));
}

/// Stream or $all options with the start (revision or position; none = end).
template<typename Options>
void fillSource(Options *o, const PersistentGroup &group, const std::optional<quint64> &start)
{
    o->set_group_name(group.group.toStdString());
    if (group.isAll()) {
        auto *all = o->mutable_all();
        if (!start)
            all->mutable_end();
        else if (*start == 0)
            all->mutable_start();
        else {
            all->mutable_position()->set_commit_position(*start);
            all->mutable_position()->set_prepare_position(*start);
        }
        return;
    }
    auto *st = o->mutable_stream();
    st->mutable_stream_identifier()->set_stream_name(group.stream.toStdString());
    if (!start)
        st->mutable_end();
    else if (*start == 0)
        st->mutable_start();
    else
        st->set_revision(*start);
    // The deprecated fields, for servers before 21.10.
    o->mutable_stream_identifier()->set_stream_name(group.stream.toStdString());
}

template<typename Options>
void fillGroupOnly(Options *o, const PersistentGroup &group)
{
    if (group.isAll())
        o->mutable_all();
    else
        o->mutable_stream_identifier()->set_stream_name(group.stream.toStdString());
    o->set_group_name(group.group.toStdString());
}

ClientError noConnection(const ClientError &why)
{
    return why.isError() ? why : ClientError::protocol(QStringLiteral("no connection"));
}

using Stub = pps::PersistentSubscriptions::Stub;

/// GetInfoResp and ListResp: bounded before they are parsed (PersistentReplies).
ClientError parseBounded(const grpc::ByteBuffer &raw, google::protobuf::Message *reply)
{
    std::string bytes;
    if (!proto::bytesOf(raw, &bytes))
        return ClientError::protocol(
            QStringLiteral("the server's reply could not be read (%1 bytes)").arg(raw.Length()));
    return parseBoundedReply(bytes, reply, PersistentSubscriptionsClient::kMaxReplyEntries);
}

/// One unary call through the node connection (not-leader followed, lost nodes reconnected):
/// `body(channel, context, result)` makes the call and returns its status.
template<typename Result, typename Body>
Result onChannel(const std::shared_ptr<NodeConnection> &connection, const ClientError &missing,
                 const std::optional<UserCredentials> &credentials, Body body)
{
    if (!connection) {
        Result r;
        r.error = noConnection(missing);
        return r;
    }
    return connection->run<Result>([&](const std::shared_ptr<GrpcChannel> &channel) {
        Result result;
        grpc::ClientContext ctx;
        channel->prepare(ctx, GrpcChannel::CallKind::Unary, true, credentials);
        const grpc::Status status = body(channel, ctx, result);
        if (!status.ok())
            result.error = GrpcChannel::toError(status, ctx);
        return result;
    });
}

/// A typed call: `body(stub, context, result)`.
template<typename Result, typename Body>
Result unary(const std::shared_ptr<NodeConnection> &connection, const ClientError &missing,
             const std::optional<UserCredentials> &credentials, Body body)
{
    return onChannel<Result>(connection, missing, credentials,
                             [&](const std::shared_ptr<GrpcChannel> &channel, grpc::ClientContext &ctx,
                                 Result &result) {
                                 const auto stub = pps::PersistentSubscriptions::NewStub(channel->channel());
                                 return body(*stub, ctx, result);
                             });
}

/// A call whose reply (GetInfoResp, ListResp) is taken as raw bytes, its groups, connections and
/// measurements counted, and parsed into `reply` only when they are few enough for a real server.
template<typename Result, typename Req, typename Resp>
Result boundedList(const std::shared_ptr<NodeConnection> &connection, const ClientError &missing,
                   const std::optional<UserCredentials> &credentials, const char *method, const Req &req, Resp *reply)
{
    return onChannel<Result>(
        connection, missing, credentials,
        [&](const std::shared_ptr<GrpcChannel> &channel, grpc::ClientContext &ctx, Result &result) {
            const grpc::internal::RpcMethod rpc(method, grpc::internal::RpcMethod::NORMAL_RPC, channel->channel());
            grpc::ByteBuffer raw;
            const grpc::Status s = grpc::internal::BlockingUnaryCall<Req, grpc::ByteBuffer>(channel->channel().get(),
                                                                                            rpc, &ctx, req, &raw);
            if (s.ok())
                result.error = parseBounded(raw, reply);
            return s;
        });
}

} // namespace

PersistentSubscriptionsClient::PersistentSubscriptionsClient(const ConnectionSettings &settings)
{
    m_connection = NodeConnection::open(settings, &m_error); // after m_error exists
}

PersistentSubscriptionsClient::~PersistentSubscriptionsClient() = default;

PersistentResult PersistentSubscriptionsClient::create(const PersistentGroup &group,
                                                       const PersistentSubscriptionSettings &settings,
                                                       const std::optional<ReadFilter> &filter,
                                                       const Credentials &credentials) const
{
    pps::CreateReq req;
    auto *o = req.mutable_options();
    fillSource(o, group, settings.startFrom);
    fillSettings(o->mutable_settings(), settings);
    o->mutable_settings()->set_consumer_strategy(settings.consumerStrategy.toStdString());
    if (group.isAll()) {
        if (filter) {
            auto *f = o->mutable_all()->mutable_filter();
            auto *expr = filter->target == ReadFilter::Target::StreamName ? f->mutable_stream_identifier()
                                                                          : f->mutable_event_type();
            expr->set_regex(filter->regex.toStdString());
            for (const QString &p : filter->prefixes)
                expr->add_prefix(p.toStdString());
            if (filter->maxSearchWindow)
                f->set_max(*filter->maxSearchWindow);
            else
                f->mutable_count();
            f->set_checkpointintervalmultiplier(filter->checkpointIntervalMultiplier);
        } else {
            o->mutable_all()->mutable_no_filter();
        }
    }
    return unary<PersistentResult>(m_connection, m_error, credentials,
                                   [&](Stub &stub, grpc::ClientContext &ctx, PersistentResult &) {
                                       pps::CreateResp resp;
                                       return stub.Create(&ctx, req, &resp);
                                   });
}

PersistentResult PersistentSubscriptionsClient::update(const PersistentGroup &group,
                                                       const PersistentSubscriptionSettings &settings,
                                                       const Credentials &credentials) const
{
    pps::UpdateReq req;
    fillSource(req.mutable_options(), group, settings.startFrom);
    fillSettings(req.mutable_options()->mutable_settings(), settings);
    return unary<PersistentResult>(m_connection, m_error, credentials,
                                   [&](Stub &stub, grpc::ClientContext &ctx, PersistentResult &) {
                                       pps::UpdateResp resp;
                                       return stub.Update(&ctx, req, &resp);
                                   });
}

PersistentResult PersistentSubscriptionsClient::remove(const PersistentGroup &group,
                                                       const Credentials &credentials) const
{
    pps::DeleteReq req;
    fillGroupOnly(req.mutable_options(), group);
    return unary<PersistentResult>(m_connection, m_error, credentials,
                                   [&](Stub &stub, grpc::ClientContext &ctx, PersistentResult &) {
                                       pps::DeleteResp resp;
                                       return stub.Delete(&ctx, req, &resp);
                                   });
}

PersistentInfoResult PersistentSubscriptionsClient::getInfo(const PersistentGroup &group,
                                                            const Credentials &credentials) const
{
    pps::GetInfoReq req;
    fillGroupOnly(req.mutable_options(), group);
    pps::GetInfoResp resp;
    PersistentInfoResult result = boundedList<PersistentInfoResult>(
        m_connection, m_error, credentials,
        "/event_store.client.persistent_subscriptions.PersistentSubscriptions/GetInfo", req, &resp);
    if (!result.error)
        result.info = persistentInfoFrom(resp.subscription_info());
    return result;
}

PersistentListResult PersistentSubscriptionsClient::list(const std::optional<QByteArray> &stream,
                                                         const Credentials &credentials) const
{
    pps::ListReq req;
    if (!stream)
        req.mutable_options()->mutable_list_all_subscriptions();
    else if (*stream == "$all")
        req.mutable_options()->mutable_list_for_stream()->mutable_all();
    else
        req.mutable_options()->mutable_list_for_stream()->mutable_stream()->set_stream_name(stream->toStdString());
    pps::ListResp resp;
    PersistentListResult result = boundedList<PersistentListResult>(
        m_connection, m_error, credentials, "/event_store.client.persistent_subscriptions.PersistentSubscriptions/List",
        req, &resp);
    if (!result.error)
        for (const auto &i : resp.subscriptions())
            result.subscriptions.push_back(persistentInfoFrom(i));
    return result;
}

PersistentResult PersistentSubscriptionsClient::replayParked(const PersistentGroup &group, std::optional<qint64> stopAt,
                                                             const Credentials &credentials) const
{
    pps::ReplayParkedReq req;
    fillGroupOnly(req.mutable_options(), group);
    if (stopAt)
        req.mutable_options()->set_stop_at(*stopAt);
    else
        req.mutable_options()->mutable_no_limit();
    return unary<PersistentResult>(m_connection, m_error, credentials,
                                   [&](Stub &stub, grpc::ClientContext &ctx, PersistentResult &) {
                                       pps::ReplayParkedResp resp;
                                       return stub.ReplayParked(&ctx, req, &resp);
                                   });
}

PersistentResult PersistentSubscriptionsClient::restartSubsystem(const Credentials &credentials) const
{
    return unary<PersistentResult>(m_connection, m_error, credentials,
                                   [&](Stub &stub, grpc::ClientContext &ctx, PersistentResult &) {
                                       event_store::client::Empty empty;
                                       return stub.RestartSubsystem(&ctx, empty, &empty);
                                   });
}

std::unique_ptr<PersistentSubscription> PersistentSubscriptionsClient::subscribe(
    const PersistentGroup &group, int bufferSize, PersistentSubscription::EventHandler onEvent,
    PersistentSubscription::EndHandler onEnd, PersistentSubscription::ConfirmHandler onConfirm, ClientError *error,
    const Credentials &credentials) const
{
    ClientError why;
    std::shared_ptr<GrpcChannel> channel = m_connection ? m_connection->channel(&why) : nullptr;
    if (!channel) {
        if (error)
            *error = noConnection(m_connection ? why : m_error);
        return nullptr;
    }
    return std::make_unique<PersistentSubscription>(channel, group, bufferSize, credentials, std::move(onConfirm),
                                                    std::move(onEvent), std::move(onEnd));
}

} // namespace chronoscope
