#pragma once

#include "base/Cancellation.h"
#include "cluster/NodeSelector.h"
#include "connection/ConnectionSettings.h"
#include "model/ClientError.h"

#include <mutex>
#include <optional>
#include <random>

namespace chronoscope {

struct GossipResult
{
    ClientError error;
    QList<ClusterMember> members;
};

/// Finds the node to connect to for `+discover` and multi-host connection strings, as the
/// official clients do (Node `discovery.ts`, protocol sheet §8.1, §11): up to maxDiscoverAttempts
/// rounds, discoveryInterval apart; each round asks the seeds in random order (the node that
/// just failed last) for Gossip.Read, each with gossipTimeout, and picks by nodePreference.
/// `+discover` seeds from the first host; several hosts are all seeds. Members seen in an earlier
/// answer are seeds too, so a cluster stays reachable when the seed itself dies.
class Discovery
{
public:
    explicit Discovery(const ConnectionSettings &settings);

    /// A real cluster's gossip lists its nodes and read-only replicas: a handful, never this many. An
    /// answer with more members is refused (protocol-error) before protobuf builds them: 17 MiB of empty
    /// members would otherwise become millions of objects, and every member a seed.
    static constexpr int kMaxMembers = 1000;

    /// One Gossip.Read of `node`.
    GossipResult readMembers(const EndPoint &node) const;

    /// The endpoint to connect to, or none with `error` saying why (after every attempt failed,
    /// or when `cancel` fired).
    std::optional<EndPoint> discover(const std::optional<EndPoint> &failed, ClientError *error,
                                     const CancellationPtr &cancel = nullptr);

private:
    QList<EndPoint> seedsInOrder(const std::optional<EndPoint> &failed);

    ConnectionSettings m_settings;
    std::mutex m_mutex;
    QList<EndPoint> m_seen; ///< members' endpoints from the last good answer
    std::mt19937 m_random;
};

} // namespace chronoscope
