#pragma once
// ProjectionCompare's second half: every partition's server state, fetched with many calls in flight,
// compared with the local fold's.
#include "projections/ProjectionCompare.h"

namespace chronoscope::projections {

struct PartitionInput
{
    QString partition;
    QJsonValue local{QJsonValue::Undefined}; ///< Undefined: the local fold has no state for it
};

struct PartitionFetchRequest
{
    QString name;
    ProjectionsClient::Credentials credentials;
    int concurrency = 64;
    int maxPaths = 50;
};

/// One partition's verdict from both states (the server's `{}` is "no state", as the server answers it).
PartitionComparison comparePartition(const QString &partition, const QJsonValue &local, const QJsonValue &server,
                                     int maxPaths);

/// Fetches the partitions' server states on `concurrency` threads sharing the client's channel (the
/// calls are multiplexed on one HTTP/2 connection) and compares each as it arrives; `onCompared` runs
/// on the calling thread. False when cancelled.
bool fetchAndCompare(const ProjectionsClient &client, const PartitionFetchRequest &request,
                     const QList<PartitionInput> &partitions, const CancellationPtr &cancel,
                     const std::function<void(PartitionComparison &&)> &onCompared);

} // namespace chronoscope::projections
