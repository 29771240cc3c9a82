#include "ProjectionsRegistration.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace chronoscope::sandbox {

namespace {

struct Standard
{
    const char *name;
    const char *handler; ///< "native:" + the handler type's namespace and name
    const char *config;  ///< the handler's source (its query)
};

// ProjectionManager.CreateSystemProjections, in its order.
constexpr Standard kStandard[] = {
    {"$streams", "native:EventStore.Projections.Core.Standard.IndexStreams", ""},
    {"$stream_by_category", "native:EventStore.Projections.Core.Standard.CategorizeStreamByPath", "first\r\n-"},
    {"$by_category", "native:EventStore.Projections.Core.Standard.CategorizeEventsByStreamPath", "first\r\n-"},
    {"$by_event_type", "native:EventStore.Projections.Core.Standard.IndexEventsByEventType", ""},
    {"$by_correlation_id", "native:EventStore.Projections.Core.Standard.ByCorrelationId",
     "{\"correlationIdProperty\":\"$correlationId\"}"},
};

ProposedEvent persistedState(const Standard &p, bool enabled, qint64 version)
{
    // ManagedProjection.PersistedState of a system projection post (CreateSystemProjectionPost):
    // continuous, checkpoints and emitting on, run as $system.
    const QJsonObject o{{QStringLiteral("handlerType"), QLatin1String(p.handler)},
                        {QStringLiteral("query"), QLatin1String(p.config)},
                        {QStringLiteral("mode"), QStringLiteral("Continuous")},
                        {QStringLiteral("enabled"), enabled},
                        {QStringLiteral("emitEnabled"), true},
                        {QStringLiteral("trackEmittedStreams"), false},
                        {QStringLiteral("checkpointsDisabled"), false},
                        {QStringLiteral("epoch"), -1},
                        {QStringLiteral("version"), double(version)},
                        {QStringLiteral("runAs"), QJsonObject{{QStringLiteral("name"), QStringLiteral("$system")}}}};
    return ProposedEvent{QUuid::createUuid(),
                         "$ProjectionUpdated",
                         true,
                         QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString(),
                         {},
                         0};
}

} // namespace

int writeProjectionsRegistration(EventStore &store, bool standardProjectionsStarted)
{
    const char *registration = "$projections-$all";
    if (store.view(registration).hasEvents)
        return 0;
    int written = 0;
    if (!store
             .append(registration, EventStore::Expected::NoStream, 0,
                     {ProposedEvent{QUuid::createUuid(), "$ProjectionsInitialized", false, {}, {}, 0}})
             .error)
        ++written;
    std::vector<ProposedEvent> created;
    for (const Standard &p : kStandard)
        created.push_back(ProposedEvent{QUuid::createUuid(), "$ProjectionCreated", false, p.name, {}, 0});
    if (!store.append(registration, EventStore::Expected::Any, 0, created).error)
        written += int(created.size());
    for (const Standard &p : kStandard)
        if (!store
                 .append(std::string("$projections-") + p.name, EventStore::Expected::Any, 0,
                         {persistedState(p, false, 0)})
                 .error)
            ++written;
    if (standardProjectionsStarted) // StartStandardProjections: each enabled, its state persisted again
        for (const Standard &p : kStandard)
            if (!store
                     .append(std::string("$projections-") + p.name, EventStore::Expected::Any, 0,
                             {persistedState(p, true, 1)})
                     .error)
                ++written;
    return written;
}

} // namespace chronoscope::sandbox
