#include "PersistentSubscriptionsService.h"

#include "WireFormat.h"

namespace chronoscope::sandbox {

namespace pps = event_store::client::persistent_subscriptions;

namespace {

constexpr const char *kAll = "$all";

/// The settings of a Create or Update request (same field numbers in both), with the server's
/// conversions: ticks or milliseconds for the two times, the deprecated enum when the string is empty.
template<typename Settings>
PersistentSettings settingsFrom(const Settings &s, const std::string &strategy)
{
    PersistentSettings out;
    out.resolveLinks = s.resolve_links();
    out.extraStatistics = s.extra_statistics();
    out.maxRetryCount = s.max_retry_count();
    out.minCheckpointCount = s.min_checkpoint_count();
    out.maxCheckpointCount = s.max_checkpoint_count();
    out.maxSubscriberCount = s.max_subscriber_count();
    out.liveBufferSize = s.live_buffer_size();
    out.readBatchSize = s.read_batch_size();
    out.historyBufferSize = s.history_buffer_size();
    out.messageTimeoutMs = s.message_timeout_case() == Settings::kMessageTimeoutMs ? s.message_timeout_ms()
        : s.message_timeout_case() == Settings::kMessageTimeoutTicks ? int(s.message_timeout_ticks() / 10000)
                                                                     : 0;
    out.checkpointAfterMs = s.checkpoint_after_case() == Settings::kCheckpointAfterMs ? s.checkpoint_after_ms()
        : s.checkpoint_after_case() == Settings::kCheckpointAfterTicks ? int(s.checkpoint_after_ticks() / 10000)
                                                                       : 0;
    if (!strategy.empty()) {
        out.consumerStrategy = strategy;
    } else {
        static const char *names[] = {"DispatchToSingle", "RoundRobin", "Pinned"};
        const int n = int(s.named_consumer_strategy());
        out.consumerStrategy = n >= 0 && n < 3 ? names[n] : "RoundRobin";
    }
    return out;
}

/// Where the stream or $all options start (StreamRevision.End and Position.End: live only).
template<typename Options>
std::string sourceOf(const Options &o, std::optional<quint64> *start)
{
    if (o.stream_option_case() == Options::kAll) {
        const auto &all = o.all();
        *start = all.has_position() ? std::optional<quint64>(all.position().commit_position())
            : all.has_end()         ? std::nullopt
                                    : std::optional<quint64>(0);
        return kAll;
    }
    if (o.stream_option_case() == Options::kStream) {
        const auto &s = o.stream();
        *start = s.has_revision() ? std::optional<quint64>(s.revision())
            : s.has_end()         ? std::nullopt
                                  : std::optional<quint64>(0);
        return s.stream_identifier().stream_name();
    }
    // Before 21.10 clients: the deprecated stream_identifier and Settings.revision.
    *start = o.settings().revision() == quint64(-1) ? std::nullopt : std::optional<quint64>(o.settings().revision());
    return o.stream_identifier().stream_name();
}

} // namespace

PersistentSubscriptionsService::PersistentSubscriptionsService(EventStore &store) : m_subscriptions(store) {}

PersistentSubscriptionsService::~PersistentSubscriptionsService()
{
    m_subscriptions.stop();
}

std::vector<const char *> PersistentSubscriptionsService::implementedMethods()
{
    return {"create", "update", "delete", "read", "getinfo", "replayparked", "list", "restartsubsystem"};
}

grpc::Status PersistentSubscriptionsService::authorize(grpc::ServerContext *context, const char *method,
                                                       std::string *user) const
{
    if (m_stats)
        m_stats->methodCall(std::string("PersistentSubscriptions.") + method);
    *user = "admin";
    if (m_access) {
        grpc::Status failure;
        std::optional<Principal> who = m_access->authenticate(*context, &failure);
        if (!who)
            return failure;
        if (who->anonymous)
            return AccessControl::accessDenied(context);
        *user = who->name;
    }
    return m_cluster ? m_cluster->checkLeader(context, m_node) : grpc::Status::OK;
}

grpc::Status PersistentSubscriptionsService::answer(grpc::ServerContext *context,
                                                    PersistentSubscriptions::Result result, const std::string &stream,
                                                    const std::string &group, const std::string &reason) const
{
    // RpcExceptions.PersistentSubscription*: the messages and trailers of the server.
    using R = PersistentSubscriptions::Result;
    const std::string where = "Subscription group '" + group + "' on stream '" + stream + "'";
    switch (result) {
    case R::Ok: return grpc::Status::OK;
    case R::Exists:
        return wire::error(context, grpc::StatusCode::ALREADY_EXISTS, where + " exists.",
                           "persistent-subscription-exists", {{"stream-name", stream}, {"group-name", group}});
    case R::NotFound:
        return wire::error(context, grpc::StatusCode::NOT_FOUND, where + " does not exist.",
                           "persistent-subscription-does-not-exist", {{"stream-name", stream}, {"group-name", group}});
    case R::MaxSubscribers:
        return wire::error(context, grpc::StatusCode::FAILED_PRECONDITION,
                           "Maximum subscriptions reached for subscription group '" + group + "' on stream '" + stream
                               + ".'",
                           "maximum-subscribers-reached", {{"stream-name", stream}, {"group-name", group}});
    case R::Failed: break;
    }
    return wire::error(context, grpc::StatusCode::INTERNAL, where + " failed '" + reason + "'",
                       "persistent-subscription-failed",
                       {{"stream-name", stream}, {"group-name", group}, {"reason", reason}});
}

grpc::Status PersistentSubscriptionsService::Create(grpc::ServerContext *context, const pps::CreateReq *request,
                                                    pps::CreateResp *)
{
    std::string user;
    if (grpc::Status s = authorize(context, "Create", &user); !s.ok())
        return s;
    const auto &o = request->options();
    std::optional<quint64> start;
    const std::string stream = sourceOf(o, &start);
    PersistentSettings settings = settingsFrom(o.settings(), o.settings().consumer_strategy());
    settings.startFrom = start;
    PersistentFilter filter;
    if (o.stream_option_case() == pps::CreateReq::Options::kAll && o.all().has_filter()) {
        const auto &f = o.all().filter();
        filter.byStream = f.filter_case() != pps::CreateReq::AllOptions::FilterOptions::kEventType;
        const auto &expr = filter.byStream ? f.stream_identifier() : f.event_type();
        filter.regex = expr.regex();
        for (const auto &p : expr.prefix())
            filter.prefixes.push_back(p);
    }
    std::string reason;
    return answer(context, m_subscriptions.create(stream, o.group_name(), settings, filter, &reason), stream,
                  o.group_name(), reason);
}

grpc::Status PersistentSubscriptionsService::Update(grpc::ServerContext *context, const pps::UpdateReq *request,
                                                    pps::UpdateResp *)
{
    std::string user;
    if (grpc::Status s = authorize(context, "Update", &user); !s.ok())
        return s;
    const auto &o = request->options();
    std::optional<quint64> start;
    const std::string stream = sourceOf(o, &start);
    // Update carries no consumer_strategy string: the deprecated enum is all it has.
    PersistentSettings settings = settingsFrom(o.settings(), std::string());
    settings.startFrom = start;
    std::string reason;
    return answer(context, m_subscriptions.update(stream, o.group_name(), settings, &reason), stream, o.group_name(),
                  reason);
}

grpc::Status PersistentSubscriptionsService::Delete(grpc::ServerContext *context, const pps::DeleteReq *request,
                                                    pps::DeleteResp *)
{
    std::string user;
    if (grpc::Status s = authorize(context, "Delete", &user); !s.ok())
        return s;
    const auto &o = request->options();
    const std::string stream = o.has_all() ? kAll : o.stream_identifier().stream_name();
    return answer(context, m_subscriptions.remove(stream, o.group_name()), stream, o.group_name());
}

grpc::Status PersistentSubscriptionsService::GetInfo(grpc::ServerContext *context, const pps::GetInfoReq *request,
                                                     pps::GetInfoResp *response)
{
    std::string user;
    if (grpc::Status s = authorize(context, "GetInfo", &user); !s.ok())
        return s;
    const auto &o = request->options();
    const std::string stream = o.has_all() ? kAll : o.stream_identifier().stream_name();
    bool found = false;
    if (!o.group_name().empty())
        m_subscriptions.visit(stream, o.group_name(), [&](const PersistentSubscriptionGroup &g) {
            fillSubscriptionInfo(response->mutable_subscription_info(), g);
            found = true;
        });
    return found ? grpc::Status::OK
                 : answer(context, PersistentSubscriptions::Result::NotFound, stream, o.group_name());
}

grpc::Status PersistentSubscriptionsService::List(grpc::ServerContext *context, const pps::ListReq *request,
                                                  pps::ListResp *response)
{
    std::string user;
    if (grpc::Status s = authorize(context, "List", &user); !s.ok())
        return s;
    const auto &o = request->options();
    std::string stream;
    if (o.has_list_for_stream())
        stream = o.list_for_stream().has_all() ? kAll : o.list_for_stream().stream().stream_name();
    m_subscriptions.visit(stream, {}, [&](const PersistentSubscriptionGroup &g) {
        fillSubscriptionInfo(response->add_subscriptions(), g);
    });
    // PersistentSubscriptions.List: a stream without groups is NOT_FOUND (persistent-subscription-does-not-exist).
    if (!stream.empty() && response->subscriptions_size() == 0)
        return answer(context, PersistentSubscriptions::Result::NotFound, stream, "");
    return grpc::Status::OK;
}

grpc::Status PersistentSubscriptionsService::ReplayParked(grpc::ServerContext *context,
                                                          const pps::ReplayParkedReq *request, pps::ReplayParkedResp *)
{
    std::string user;
    if (grpc::Status s = authorize(context, "ReplayParked", &user); !s.ok())
        return s;
    const auto &o = request->options();
    const std::string stream = o.has_all() ? kAll : o.stream_identifier().stream_name();
    const std::optional<qint64> stopAt = o.has_stop_at() ? std::optional<qint64>(o.stop_at()) : std::nullopt;
    return answer(context, m_subscriptions.replayParked(stream, o.group_name(), stopAt), stream, o.group_name());
}

grpc::Status PersistentSubscriptionsService::RestartSubsystem(grpc::ServerContext *context,
                                                              const event_store::client::Empty *,
                                                              event_store::client::Empty *)
{
    std::string user;
    if (grpc::Status s = authorize(context, "RestartSubsystem", &user); !s.ok())
        return s;
    m_subscriptions.restart();
    return grpc::Status::OK;
}

} // namespace chronoscope::sandbox
