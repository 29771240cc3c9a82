#include "client/PersistentReplies.h"

#include "wire/ProtoConvert.h"
#include "wire/WireCount.h"

#include "persistent.pb.h"
#include "streams.pb.h"

namespace chronoscope {

namespace pps = event_store::client::persistent_subscriptions;

namespace {

/// PersistentSubscriptions' RecordedEvent has the field numbers and types of the Streams one, so
/// its bytes parse as one and the Streams conversion applies.
std::optional<RecordedEvent> recordedFrom(const pps::ReadResp::ReadEvent::RecordedEvent &in)
{
    event_store::client::streams::ReadResp::ReadEvent::RecordedEvent same;
    if (!same.ParseFromString(in.SerializeAsString()))
        return std::nullopt;
    RecordedEvent out;
    proto::recordedEventFrom(same, &out);
    return out;
}

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

PersistentSubscriptionInfo persistentInfoFrom(const pps::SubscriptionInfo &in)
{
    PersistentSubscriptionInfo out;
    out.eventSource = QByteArray::fromStdString(in.event_source());
    out.groupName = q(in.group_name());
    out.status = q(in.status());
    out.startFrom = q(in.start_from());
    out.lastCheckpointedPosition = q(in.last_checkpointed_event_position());
    out.lastKnownPosition = q(in.last_known_event_position());
    PersistentSubscriptionSettings &s = out.settings;
    s.resolveLinks = in.resolve_link_tos();
    s.extraStatistics = in.extra_statistics();
    s.messageTimeoutMs = in.message_timeout_milliseconds();
    s.maxRetryCount = in.max_retry_count();
    s.liveBufferSize = in.live_buffer_size();
    s.readBatchSize = in.read_batch_size();
    s.historyBufferSize = in.buffer_size();
    s.checkpointAfterMs = in.check_point_after_milliseconds();
    s.minCheckpointCount = in.min_check_point_count();
    s.maxCheckpointCount = in.max_check_point_count();
    s.maxSubscriberCount = in.max_subscriber_count();
    s.consumerStrategy = q(in.named_consumer_strategy());
    bool ok = false;
    const qint64 start = out.startFrom.startsWith(QLatin1String("C:"))
        ? out.startFrom.mid(2, out.startFrom.indexOf(QLatin1Char('/')) - 2).toLongLong(&ok)
        : out.startFrom.toLongLong(&ok);
    s.startFrom = ok && start >= 0 ? std::optional<quint64>(quint64(start)) : std::nullopt;
    for (const auto &c : in.connections())
        out.connections.push_back({q(c.from()), q(c.username()), q(c.connection_name()), c.total_items(),
                                   c.available_slots(), c.in_flight_messages()});
    out.totalItems = in.total_items();
    out.readBufferCount = in.read_buffer_count();
    out.retryBufferCount = in.retry_buffer_count();
    out.totalInFlightMessages = in.total_in_flight_messages();
    out.outstandingMessagesCount = in.outstanding_messages_count();
    out.parkedMessageCount = in.parked_message_count();
    return out;
}

ClientError parseBoundedReply(const std::string &bytes, google::protobuf::Message *reply, qint64 maxEntries)
{
    const QString what = QString::fromStdString(reply->GetTypeName()).section(QLatin1Char('.'), -1);
    const qint64 n = proto::wire::countEntries(bytes.data(), bytes.size(), {1, 4, 6}, maxEntries);
    if (n > maxEntries)
        return ClientError::protocol(QStringLiteral("the server's %1 holds more than %2 groups, connections and "
                                                    "measurements (%3 bytes; a server sends one per group, one per "
                                                    "connected consumer and a dozen per consumer): refused")
                                         .arg(what)
                                         .arg(maxEntries)
                                         .arg(bytes.size()));
    if (n < 0 || !reply->ParseFromString(bytes))
        return ClientError::protocol(
            QStringLiteral("the server's reply is not a %1 (%2 bytes that do not parse)").arg(what).arg(bytes.size()));
    return {};
}

std::optional<PersistentEvent> persistentEventFrom(const pps::ReadResp::ReadEvent &e)
{
    PersistentEvent out;
    if (e.has_event())
        out.event.event = recordedFrom(e.event());
    if (e.has_link())
        out.event.link = recordedFrom(e.link());
    if (!out.event.event && !out.event.link)
        return std::nullopt;
    if (e.position_case() == pps::ReadResp::ReadEvent::kCommitPosition)
        out.event.commitPosition = e.commit_position();
    out.retryCount = e.count_case() == pps::ReadResp::ReadEvent::kRetryCount ? e.retry_count() : 0;
    return out;
}

} // namespace chronoscope
