#pragma once

#include "model/ReadRequest.h"
#include "timeline/LiveFeed.h"

#include <memory>

namespace chronoscope {

class StreamsClient;
class Subscription;

/// Follows a stream or `$all` on the server: a catch-up subscription (`request`, usually from the
/// last event a timeline loaded) whose events reach this object's thread in batches, paced as
/// LiveFeed says.
///
/// Events are converted as TimelineIndexLoader converts a read (resolved links: the target at the
/// link's place), so a tail continues the loaded index seamlessly. Destroying the object ends the
/// subscription; nothing is emitted after that.
class LiveTail : public engine::LiveFeed
{
    Q_OBJECT
public:
    LiveTail(std::shared_ptr<const StreamsClient> client, const ReadRequest &request, int intervalMs = kIntervalMs,
             QObject *parent = nullptr);
    ~LiveTail() override;

private:
    std::shared_ptr<const StreamsClient> m_client;
    std::unique_ptr<Subscription> m_subscription;
};

} // namespace chronoscope
