// PersistentSubscriptions.Read (bidi) and the SubscriptionInfo of GetInfo / List.
#include "PersistentSubscriptionsService.h"

#include "WireFormat.h"
#include "wire/ProtoConvert.h"

#include <atomic>

namespace chronoscope::sandbox {

namespace pps = event_store::client::persistent_subscriptions;

namespace {

std::vector<QUuid> idsOf(const google::protobuf::RepeatedPtrField<event_store::client::UUID> &ids)
{
    std::vector<QUuid> out;
    for (const auto &id : ids)
        out.push_back(proto::uuidFrom(id));
    return out;
}

/// The event as PersistentSubscriptions.Read converts it: both records carry the original's position.
void fillEvent(pps::ReadResp::ReadEvent *out, const PersistentMessage &m, bool structuredIds)
{
    const quint64 position = m.original().position;
    auto fill = [&](pps::ReadResp::ReadEvent::RecordedEvent *r, const StoredRecord &s) {
        wire::fillRecordedAs(r, s, structuredIds);
        r->set_commit_position(position);
        r->set_prepare_position(position);
    };
    fill(out->mutable_event(), m.event);
    if (m.link)
        fill(out->mutable_link(), *m.link);
    out->set_commit_position(position);
    out->set_retry_count(m.retryCount);
}

} // namespace

void fillSubscriptionInfo(pps::SubscriptionInfo *out, const PersistentSubscriptionGroup &g)
{
    const PersistentSettings &s = g.settings();
    out->set_event_source(g.stream());
    out->set_group_name(g.group());
    out->set_status(g.status());
    int inFlight = 0;
    for (const auto &c : g.consumers()) {
        auto *ci = out->add_connections();
        ci->set_from(c->from);
        ci->set_username(c->username);
        ci->set_total_items(qint64(c->totalItems));
        ci->set_available_slots(c->available());
        ci->set_in_flight_messages(c->inFlight);
        ci->set_connection_name(c->connectionName);
        inFlight += c->inFlight;
    }
    out->set_total_items(qint64(g.totalItems()));
    out->set_last_checkpointed_event_position(g.lastCheckpoint() ? g.positionText(g.lastCheckpoint()) : std::string());
    out->set_last_known_event_position(g.lastKnown() ? g.positionText(g.lastKnown()) : std::string());
    out->set_resolve_link_tos(s.resolveLinks);
    out->set_start_from(g.startFromText());
    out->set_message_timeout_milliseconds(s.messageTimeoutMs);
    out->set_extra_statistics(s.extraStatistics);
    out->set_max_retry_count(s.maxRetryCount);
    out->set_live_buffer_size(s.liveBufferSize);
    out->set_buffer_size(s.historyBufferSize);
    out->set_read_batch_size(s.readBatchSize);
    out->set_check_point_after_milliseconds(s.checkpointAfterMs);
    out->set_min_check_point_count(s.minCheckpointCount);
    out->set_max_check_point_count(s.maxCheckpointCount);
    out->set_read_buffer_count(g.readBufferCount());
    out->set_live_buffer_count(0);
    out->set_retry_buffer_count(g.retryCount());
    out->set_total_in_flight_messages(inFlight);
    out->set_outstanding_messages_count(g.inFlightCount());
    out->set_named_consumer_strategy(s.consumerStrategy);
    out->set_max_subscriber_count(s.maxSubscriberCount);
    out->set_parked_message_count(g.parkedCount());
}

grpc::Status PersistentSubscriptionsService::Read(grpc::ServerContext *context,
                                                  grpc::ServerReaderWriter<pps::ReadResp, pps::ReadReq> *rw)
{
    std::string user;
    if (grpc::Status s = authorize(context, "Read", &user); !s.ok())
        return s;
    pps::ReadReq first;
    if (!rw->Read(&first))
        return grpc::Status::OK;
    if (!first.has_options())
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "The first request must carry the options");
    const auto &o = first.options();
    const std::string stream = o.has_all() ? "$all" : o.stream_identifier().stream_name();
    const std::string group = o.group_name();
    const bool structured = o.uuid_option().has_structured();

    auto consumer = std::make_shared<PersistentConsumer>();
    consumer->id = stream + "::" + group;
    consumer->bufferSize = std::max(1, o.buffer_size());
    consumer->from = context->peer();
    consumer->username = user;
    const auto &headers = context->client_metadata();
    const auto name = headers.find("connection-name");
    consumer->connectionName = name != headers.end() ? std::string(name->second.data(), name->second.size())
                                                     : std::string("<unknown>");
    const PersistentSubscriptions::Result joined = m_subscriptions.connect(stream, group, consumer);
    if (joined != PersistentSubscriptions::Result::Ok)
        return answer(context, joined, stream, group);

    pps::ReadResp confirmation;
    confirmation.mutable_subscription_confirmation()->set_subscription_id(consumer->id);
    std::atomic<bool> clientDone{false};
    std::thread requests;
    if (rw->Write(confirmation)) {
        requests = std::thread([&] {
            pps::ReadReq req;
            while (rw->Read(&req)) {
                if (req.has_ack()) {
                    m_subscriptions.ack(stream, group, idsOf(req.ack().ids()));
                } else if (req.has_nack()) {
                    using A = PersistentSubscriptionGroup::NackAction;
                    const A action = A(std::clamp(int(req.nack().action()), 0, 4));
                    m_subscriptions.nack(stream, group, idsOf(req.nack().ids()), action, req.nack().reason());
                } else if (req.has_stop()) {
                    std::lock_guard lock(m_subscriptions.mutex());
                    consumer->stopped = true;
                }
            }
            clientDone = true;
            std::lock_guard lock(m_subscriptions.mutex());
            consumer->wake.notify_all();
        });
    } else {
        clientDone = true;
    }

    PersistentConsumer::Drop drop = PersistentConsumer::Drop::None;
    while (!clientDone && !context->IsCancelled()) {
        std::deque<PersistentMessage> out;
        {
            std::unique_lock lock(m_subscriptions.mutex());
            consumer->wake.wait_for(lock, std::chrono::milliseconds(50), [&] {
                return !consumer->outbox.empty() || consumer->drop != PersistentConsumer::Drop::None || clientDone;
            });
            out.swap(consumer->outbox);
            drop = consumer->drop;
        }
        bool written = true;
        for (const PersistentMessage &m : out) {
            pps::ReadResp resp;
            fillEvent(resp.mutable_event(), m, structured);
            if (!(written = rw->Write(resp)))
                break;
        }
        if (!written || drop != PersistentConsumer::Drop::None)
            break;
    }
    m_subscriptions.disconnect(stream, group, consumer);
    if (requests.joinable()) {
        if (!clientDone)
            context->TryCancel(); // ends the blocked Read of the request thread
        requests.join();
    }
    if (drop == PersistentConsumer::Drop::Deleted)
        return answer(context, PersistentSubscriptions::Result::NotFound, stream, group);
    if (drop == PersistentConsumer::Drop::Unsubscribed)
        return wire::error(context, grpc::StatusCode::CANCELLED,
                           "Subscription group '" + group + "' on stream '" + stream + "' was dropped.",
                           "persistent-subscription-dropped", {{"stream-name", stream}, {"group-name", group}});
    return grpc::Status::OK;
}

} // namespace chronoscope::sandbox
