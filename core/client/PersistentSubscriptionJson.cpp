#include "client/PersistentSubscriptionJson.h"

namespace chronoscope::persistentjson {

QJsonObject settings(const PersistentSubscriptionSettings &s)
{
    return QJsonObject{
        {QStringLiteral("resolveLinks"), s.resolveLinks},
        {QStringLiteral("extraStatistics"), s.extraStatistics},
        {QStringLiteral("messageTimeoutMs"), s.messageTimeoutMs},
        {QStringLiteral("maxRetryCount"), s.maxRetryCount},
        {QStringLiteral("liveBufferSize"), s.liveBufferSize},
        {QStringLiteral("readBatchSize"), s.readBatchSize},
        {QStringLiteral("historyBufferSize"), s.historyBufferSize},
        {QStringLiteral("checkpointAfterMs"), s.checkpointAfterMs},
        {QStringLiteral("minCheckpointCount"), s.minCheckpointCount},
        {QStringLiteral("maxCheckpointCount"), s.maxCheckpointCount},
        {QStringLiteral("maxSubscriberCount"), s.maxSubscriberCount},
        {QStringLiteral("consumerStrategy"), s.consumerStrategy},
    };
}

} // namespace chronoscope::persistentjson
