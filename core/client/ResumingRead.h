#pragma once

#include "base/Cancellation.h"
#include "client/StreamsClient.h"

#include <functional>
#include <memory>

namespace chronoscope {

class GrpcChannel;
class NodeConnection;

/// Runs a read to its end across lost nodes: when the node goes away (UNAVAILABLE, or the server
/// cancels the call as it stops), it reconnects through the NodeConnection (which backs off, and
/// rediscovers in a cluster) and reads on from the last delivered event (ReadResume), skipping
/// what the new call repeats. A `not-leader` answer is followed once. Gives up after
/// kMaxReconnects reconnections without a delivered event.
class ResumingRead
{
public:
    /// One Read call on a channel, delivering to the handler it is given.
    using Once = std::function<ReadSummary(const std::shared_ptr<GrpcChannel> &, const ReadRequest &,
                                           const StreamsClient::EventHandler &)>;
    static constexpr int kMaxReconnects = 6;

    ResumingRead(NodeConnection &connection, const CancellationPtr &cancel) : m_connection(connection), m_cancel(cancel) {}

    ReadSummary run(const ReadRequest &request, const StreamsClient::EventHandler &onEvent, const Once &once);

private:
    NodeConnection &m_connection;
    CancellationPtr m_cancel;
};

} // namespace chronoscope
