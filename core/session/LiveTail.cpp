#include "session/LiveTail.h"

#include "client/StreamsClient.h"
#include "session/TimelineIndexLoader.h"

namespace chronoscope {

LiveTail::LiveTail(std::shared_ptr<const StreamsClient> client, const ReadRequest &request, int intervalMs,
                   QObject *parent)
    : LiveFeed(intervalMs, parent), m_client(std::move(client))
{
    // The callbacks run on the subscription's thread until m_subscription is destroyed, which joins it.
    m_subscription = m_client->subscribe(
        request,
        [this](SubscriptionMessage &&m) {
            if (m.kind == SubscriptionMessage::Kind::Event)
                enqueue(engine::TimelineIndexLoader::indexedRecord(std::move(m.event)), std::nullopt);
        },
        [this](const ClientError &e) { enqueue(std::nullopt, e); });
}

LiveTail::~LiveTail()
{
    // Join the subscription's thread before the feed's queue goes: what it queued is dropped with it.
    m_subscription.reset();
}

} // namespace chronoscope
