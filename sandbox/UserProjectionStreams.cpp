// The user projections in the store's streams, as the server keeps them: `$projections-$all` registers
// them, `$projections-NAME` holds the definition, `$projections-NAME-checkpoint` the checkpoints,
// `$projections-[NAME-PARTITION-]result` the results. load() reads them back after a restart.
#include "UserProjections.h"

#include "EventStore.h"
#include "UserProjectionEntry.h"

#include <QJsonObject>
#include <QUuid>

namespace chronoscope::sandbox {

using namespace userprojections;

namespace {

std::optional<StoredRecord> lastOf(const EventStore &store, const std::string &stream)
{
    const StreamView v = store.view(stream);
    if (v.state != StreamView::State::Present || !v.hasEvents)
        return std::nullopt;
    std::optional<StoredRecord> out;
    store.readStream(stream, v.last, false, 1, [&](const StoredRecord &r) { out = r; });
    return out;
}

} // namespace

void UserProjections::persistDefinition(const Entry &e)
{
    if (!e.persisted())
        return;
    // ManagedProjection.PersistedState, the fields the sandbox uses.
    QJsonObject o{{QStringLiteral("handlerType"), QStringLiteral("JS")},
                  {QStringLiteral("query"), QString::fromStdString(e.def.query)},
                  {QStringLiteral("mode"), QString::fromLatin1(modeName(e.def.mode))},
                  {QStringLiteral("enabled"), e.def.enabled},
                  {QStringLiteral("emitEnabled"), e.def.emitEnabled},
                  {QStringLiteral("trackEmittedStreams"), e.def.trackEmittedStreams},
                  {QStringLiteral("checkpointsDisabled"), !e.checkpoints()},
                  {QStringLiteral("epoch"), double(e.epoch)},
                  {QStringLiteral("version"), double(e.version)},
                  {QStringLiteral("runAs"), QJsonObject{{QStringLiteral("name"), QStringLiteral("$system")}}}};
    m_store.append(definitionStream(e.def.name), EventStore::Expected::Any, 0,
                   {ProposedEvent{QUuid::createUuid(), "$ProjectionUpdated", true, compactJson(o), {}, 0}});
}

void UserProjections::writeCheckpoint(Entry &e)
{
    // Results first, then the checkpoint that covers them (the server emits results with its checkpoint);
    // both carry the checkpoint tag in their metadata.
    const std::string p = e.lastPosition ? std::to_string(*e.lastPosition) : std::string("-1");
    const std::string metadata = "{\"$v\":\"1:" + std::to_string(e.epoch) + ":" + std::to_string(e.version)
        + ":1\",\"$c\":" + p + ",\"$p\":" + p + ",\"$s\":{}}";
    if (e.outputState) {
        for (const std::string &partition : e.changedPartitions) {
            const QJsonValue r = e.results.value(QString::fromStdString(partition));
            m_store.append(resultStream(e.def.name, partition), EventStore::Expected::Any, 0,
                           {ProposedEvent{QUuid::createUuid(), "Result", true, compactJson(r), metadata, 0}});
        }
    }
    e.changedPartitions.clear();
    m_store.append(checkpointStream(e.def.name), EventStore::Expected::Any, 0,
                   {ProposedEvent{QUuid::createUuid(), "$ProjectionCheckpoint", true, compactJson(e.state), metadata,
                                  0}});
    e.checkpointNext = e.next;
    e.checkpointPosition = e.lastPosition;
    e.checkpointState = e.state;
    e.sinceCheckpoint = 0;
}

void UserProjections::load()
{
    std::lock_guard lock(m_mutex);
    m_entries.clear();
    std::vector<std::string> names;
    m_store.readStream(kRegistrationStream, 0, true, size_t(-1), [&](const StoredRecord &r) {
        if (r.type == "$ProjectionCreated" && r.data.rfind('$', 0) != 0) // the standard ones are not user projections
            names.push_back(r.data);
        else if (r.type == "$ProjectionDeleted")
            names.erase(std::remove(names.begin(), names.end(), r.data), names.end());
    });
    for (const std::string &name : names) {
        const std::optional<StoredRecord> definition = lastOf(m_store, definitionStream(name));
        if (!definition)
            continue;
        const QJsonObject o = parseJson(definition->data).toObject();
        auto e = std::make_unique<Entry>();
        e->generation = ++m_generations;
        e->def.name = name;
        modeFromName(o.value(QLatin1String("mode")).toString().toStdString(), &e->def.mode);
        e->def.query = o.value(QLatin1String("query")).toString().toStdString();
        e->def.enabled = o.value(QLatin1String("enabled")).toBool();
        e->def.emitEnabled = o.value(QLatin1String("emitEnabled")).toBool();
        e->def.trackEmittedStreams = o.value(QLatin1String("trackEmittedStreams")).toBool();
        e->version = qint64(o.value(QLatin1String("version")).toDouble());
        e->epoch = qint64(o.value(QLatin1String("epoch")).toDouble(-1));
        if (e->checkpoints()) {
            if (const std::optional<StoredRecord> cp = lastOf(m_store, checkpointStream(name))) {
                const QJsonObject meta = parseJson(cp->metadata).toObject();
                const double c = meta.value(QLatin1String("$c")).toDouble(-1);
                if (c >= 0)
                    if (const std::optional<size_t> at = m_store.indexOfPosition(quint64(c))) {
                        e->next = *at + 1;
                        e->lastPosition = quint64(c);
                    }
                e->state = parseJson(cp->data);
            }
            e->checkpointNext = e->next;
            e->checkpointPosition = e->lastPosition;
            e->checkpointState = e->state;
        } else {
            e->endIndex = m_store.logSize(); // a one-time projection runs again over what is there
        }
        m_store.readStream(emittedStreamsStream(name), 0, true, size_t(-1),
                           [&](const StoredRecord &r) { e->emittedStreams.insert(r.data); });
        e->phase = e->def.enabled ? Phase::Running : Phase::Stopped;
        m_entries[name] = std::move(e);
    }
}

} // namespace chronoscope::sandbox
