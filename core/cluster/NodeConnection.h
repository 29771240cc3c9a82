#pragma once

#include "base/Cancellation.h"
#include "cluster/Backoff.h"
#include "cluster/Discovery.h"
#include "connection/ConnectionSettings.h"
#include "model/ClientError.h"

#include <memory>
#include <mutex>
#include <optional>

namespace chronoscope {

class GrpcChannel;

/// The node a client talks to, and how it gets another: a single host is connected to directly;
/// `+discover` and multi-host strings go through Discovery. A `not-leader` answer moves the
/// connection to the leader it names; a node that became unreachable (UNAVAILABLE, or a call the
/// server cancelled) is dropped and the next call rediscovers, avoiding that node (as the
/// official clients' handleError/resolveUri do). Reconnecting after such a loss waits first, with
/// exponential backoff and jitter (Backoff), until a call succeeds again; following a not-leader
/// answer does not wait. Safe to use from several threads.
class NodeConnection
{
public:
    explicit NodeConnection(const ConnectionSettings &settings);

    /// The connection a client of `settings` uses, or null with `error` set: no host, or a channel
    /// that cannot be built (an unreadable CA file). Building one does not touch the network.
    static std::shared_ptr<NodeConnection> open(const ConnectionSettings &settings, ClientError *error);

    /// The channel for the next call, connecting (and discovering) first when there is none; after
    /// a lost node, the backoff delay comes first (cut short, with a Cancelled error, by `cancel`).
    std::shared_ptr<GrpcChannel> channel(ClientError *error, const CancellationPtr &cancel = nullptr);

    /// Tells the connection how a call on `used` failed. True when the error asks for another
    /// node (not-leader, unavailable, cancelled by the server): the next channel() reconnects.
    bool reportFailure(const std::shared_ptr<GrpcChannel> &used, const ClientError &error);
    /// A call got an answer: the next loss starts the backoff from its shortest delay again.
    void reportSuccess();

    /// The node of the current channel; none before the first call or after a failure.
    std::optional<EndPoint> currentNode() const;

    Discovery &discovery() { return m_discovery; }
    const ConnectionSettings &settings() const { return m_settings; }

    /// Errors after which another node (or the same one, reconnected) may serve the call.
    static bool isReconnectError(const ClientError &error);

    /// Runs `call(channel)` (returning a result with an `error` member) and, when the node
    /// answers `not-leader`, once more on the leader it names.
    template<typename Result, typename Call>
    Result run(Call call)
    {
        for (int attempt = 0;; ++attempt) {
            Result result;
            const std::shared_ptr<GrpcChannel> c = channel(&result.error);
            if (!c)
                return result;
            result = call(c);
            if (!result.error || !isReconnectError(result.error))
                reportSuccess(); // the node answered, even if with an error of the call's own
            if (!result.error)
                return result;
            reportFailure(c, result.error);
            if (result.error.kind != ClientError::Kind::NotLeader || attempt > 0)
                return result;
        }
    }

private:
    ConnectionSettings m_settings;
    Discovery m_discovery;
    mutable std::mutex m_mutex;
    std::shared_ptr<GrpcChannel> m_current;
    std::optional<EndPoint> m_next;   ///< the leader a not-leader answer named
    std::optional<EndPoint> m_failed; ///< the node that just failed: tried last
    Backoff m_backoff;
    bool m_waitBeforeConnect = false; ///< a node was lost (or none found): back off first
};

} // namespace chronoscope
