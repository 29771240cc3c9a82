#include "client/ProjectionReplies.h"

#include "wire/ProtoValue.h"

#include "projections.pb.h"

#include <google/protobuf/struct.pb.h>

#include <cmath>

namespace chronoscope {

namespace {

QString text(const std::string &s)
{
    return QString::fromStdString(s);
}

/// Where the first number that is not finite sits ("$.a.b[2]"), empty when every number is.
QString firstNonFinite(const google::protobuf::Value &value, const QString &path)
{
    switch (value.kind_case()) {
    case google::protobuf::Value::kNumberValue: return std::isfinite(value.number_value()) ? QString() : path;
    case google::protobuf::Value::kListValue: {
        int i = 0;
        for (const google::protobuf::Value &v : value.list_value().values()) {
            const QString at = firstNonFinite(v, path + QStringLiteral("[%1]").arg(i++));
            if (!at.isEmpty())
                return at;
        }
        return {};
    }
    case google::protobuf::Value::kStructValue:
        for (const auto &[key, v] : value.struct_value().fields()) {
            const QString at = firstNonFinite(v, path + QLatin1Char('.') + text(key));
            if (!at.isEmpty())
                return at;
        }
        return {};
    default: return {};
    }
}

} // namespace

ProjectionDetails projectionDetailsFrom(const event_store::client::projections::StatisticsResp_Details &d)
{
    ProjectionDetails p;
    p.name = text(d.name());
    p.effectiveName = text(d.effectivename());
    p.mode = text(d.mode());
    p.status = text(d.status());
    p.stateReason = text(d.statereason());
    p.position = text(d.position());
    p.lastCheckpoint = text(d.lastcheckpoint());
    p.checkpointStatus = text(d.checkpointstatus());
    p.progress = d.progress();
    p.eventsProcessedAfterRestart = d.eventsprocessedafterrestart();
    p.partitionsCached = d.partitionscached();
    p.version = d.version();
    p.epoch = d.epoch();
    p.coreProcessingTime = d.coreprocessingtime();
    p.bufferedEvents = d.bufferedevents();
    p.writesInProgress = d.writesinprogress();
    p.readsInProgress = d.readsinprogress();
    p.writePendingEventsBeforeCheckpoint = d.writependingeventsbeforecheckpoint();
    p.writePendingEventsAfterCheckpoint = d.writependingeventsaftercheckpoint();
    return p;
}

ProjectionValueResult projectionValueFrom(const google::protobuf::Value &value, const QString &projection)
{
    ProjectionValueResult r;
    const QString at = firstNonFinite(value, QStringLiteral("$"));
    if (!at.isEmpty()) {
        r.error = ClientError::protocol(
            QStringLiteral("the server's answer for projection '%1' holds a number that is not finite (NaN or "
                           "Infinity) at %2: a projection's state is JSON, which has none")
                .arg(projection, at));
        return r;
    }
    r.value = wire::fromProtoValue(value);
    return r;
}

} // namespace chronoscope
