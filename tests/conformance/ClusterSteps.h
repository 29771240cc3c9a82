#pragma once
// The C++ driver's cluster steps (scenarios-cluster.json, scenarios-failover.json), as cluster.js
// does them for the Node drivers: per-scenario connection strings, gossip, the node our client
// talks to, and killing the leader of a `--cluster` sandbox.

#include "client/StreamsClient.h"
#include "connection/ConnectionSettings.h"

#include <QJsonObject>
#include <QList>

namespace driver {

using namespace chronoscope;

/// Everything a step may need besides its client: the sandbox's ports and pid, the scenario file's
/// users and the settings of the step's own client.
struct Context
{
    int port = 0;
    QList<int> ports;
    qint64 sandboxPid = 0; ///< --sandbox-pid: where SIGUSR2 (kill the leader) goes
    QJsonObject users;
    ConnectionSettings settings;
};

/// The connection string of a scenario's `connection` (nodes named by index), as cluster.js makes it.
QString clusterConnectionString(const QJsonObject &connection, const Context &c);

QJsonObject membersResult(const Context &c);
QJsonObject connectionResult(const StreamsClient &client, const QJsonObject &step, const Context &c);

/// Sends SIGUSR2 to the sandbox and returns once the old leader refuses connections (its server
/// stopped listening; its calls under way are being cut). Throws (driverError) when it cannot.
void killLeader(const Context &c);

} // namespace driver
