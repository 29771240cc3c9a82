// The user projections' management calls (Create, Update, Delete, Enable, Disable, Reset) and what
// Statistics, State and Result read; the runner thread is in UserProjectionRunner.cpp.
#include "UserProjections.h"

#include "EventStore.h"
#include "UserProjectionEntry.h"

#include <QJsonDocument>
#include <QUuid>

namespace chronoscope::sandbox {

using namespace userprojections;
using Code = UserProjectionReply::Code;

namespace userprojections {

const char *modeName(UserProjectionMode mode)
{
    switch (mode) {
    case UserProjectionMode::OneTime: return "OneTime";
    case UserProjectionMode::Transient: return "Transient";
    case UserProjectionMode::Continuous: break;
    }
    return "Continuous";
}

bool modeFromName(const std::string &name, UserProjectionMode *mode)
{
    for (UserProjectionMode m :
         {UserProjectionMode::Continuous, UserProjectionMode::OneTime, UserProjectionMode::Transient})
        if (name == modeName(m)) {
            *mode = m;
            return true;
        }
    return false;
}

std::string tagOf(const std::optional<quint64> &position)
{
    const std::string p = position ? std::to_string(*position) : std::string("-1");
    return "C:" + p + "/P:" + p;
}

std::string compactJson(const QJsonValue &value)
{
    if (value.isUndefined())
        return {};
    // Wrapped in an array: QJsonDocument writes objects and arrays only.
    QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return text.mid(1, text.size() - 2).toStdString();
}

QJsonValue parseJson(const std::string &text)
{
    if (text.empty())
        return QJsonValue(QJsonValue::Undefined);
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + QByteArray::fromStdString(text) + "]", &pe);
    return pe.error == QJsonParseError::NoError ? doc.array().at(0) : QJsonValue(QJsonValue::Undefined);
}

} // namespace userprojections

UserProjections::UserProjections(EventStore &store) : m_store(store) {}

UserProjections::~UserProjections()
{
    stop();
}

UserProjectionReply UserProjections::findLocked(const std::string &name, Entry **entry)
{
    const auto it = m_entries.find(name);
    if (it == m_entries.end())
        return {Code::NotFound, "Projection '" + name + "' not found"};
    *entry = it->second.get();
    return {};
}

void UserProjections::rewind(Entry &e) const
{
    e.next = e.checkpointNext;
    e.lastPosition = e.checkpointPosition;
    e.state = e.checkpointState;
    e.results = {};
    e.changedPartitions.clear();
    if (!e.checkpoints())
        e.endIndex = m_store.logSize();
}

UserProjectionReply UserProjections::changed(Entry &e, std::unique_lock<std::mutex> &lock)
{
    // ManagedProjection.UpdateProjectionVersion: every change is a new version of the definition, and the
    // runner builds its reducer again.
    e.generation = ++m_generations;
    ++e.version;
    persistDefinition(e);
    lock.unlock();
    appended();
    return {};
}

bool UserProjections::exists(const std::string &name) const
{
    std::lock_guard lock(m_mutex);
    return m_entries.count(name) > 0;
}

UserProjectionReply UserProjections::create(UserProjectionDefinition def, std::string *name)
{
    // ProjectionManagement.Create.cs: a one-time projection is named by a new GUID; only a continuous
    // one may emit, and tracking emitted streams needs emitting.
    if (def.mode == UserProjectionMode::OneTime)
        def.name = QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
    if (def.mode != UserProjectionMode::Continuous)
        def.emitEnabled = def.trackEmittedStreams = false;
    if (def.trackEmittedStreams && !def.emitEnabled)
        return {Code::Invalid, "EmitEnabled must be set to true to track emitted streams."};
    if (def.name.empty())
        return {Code::Invalid, "Projection name is required"};
    std::unique_lock lock(m_mutex);
    if (m_entries.count(def.name))
        return {Code::Conflict, "Duplicate projection name: " + def.name};
    auto e = std::make_unique<Entry>();
    e->generation = ++m_generations; // never one a deleted projection of that name had
    e->def = std::move(def);
    e->def.enabled = true;
    e->phase = Phase::Running;
    if (!e->checkpoints())
        e->endIndex = m_store.logSize();
    if (e->persisted()) {
        const WriteResult w = m_store.append(
            kRegistrationStream, EventStore::Expected::Any, 0,
            {ProposedEvent{QUuid::createUuid(), "$ProjectionCreated", false, e->def.name, {}, 0}});
        if (w.error)
            return {Code::Storage, w.error.message};
        persistDefinition(*e);
    }
    if (name)
        *name = e->def.name;
    m_entries[e->def.name] = std::move(e);
    lock.unlock();
    appended();
    return {};
}

UserProjectionReply UserProjections::update(const std::string &name, const std::string &query, std::optional<bool> emit)
{
    std::unique_lock lock(m_mutex);
    Entry *e = nullptr;
    if (UserProjectionReply r = findLocked(name, &e); !r.ok())
        return r;
    e->def.query = query;
    if (emit)
        e->def.emitEnabled = *emit;
    // The server stops the projection and starts it again with the new source (from its checkpoint
    // when it had faulted).
    if (e->phase == Phase::Faulted)
        rewind(*e);
    if (e->def.enabled)
        e->phase = Phase::Running;
    e->reason.clear();
    return changed(*e, lock);
}

UserProjectionReply UserProjections::enable(const std::string &name)
{
    std::unique_lock lock(m_mutex);
    Entry *e = nullptr;
    if (UserProjectionReply r = findLocked(name, &e); !r.ok())
        return r;
    if (e->phase == Phase::Running && e->def.enabled)
        return {}; // ManagedProjection.Handle(Enable): running already, nothing to do
    if (e->phase != Phase::Stopped)
        rewind(*e); // aborted, faulted or completed: it starts again from its last checkpoint
    e->def.enabled = true;
    e->phase = Phase::Running;
    e->reason.clear();
    return changed(*e, lock);
}

UserProjectionReply UserProjections::disable(const std::string &name, bool checkpoint)
{
    std::unique_lock lock(m_mutex);
    Entry *e = nullptr;
    if (UserProjectionReply r = findLocked(name, &e); !r.ok())
        return r;
    e->def.enabled = false;
    if (e->phase == Phase::Running) {
        if (checkpoint) {
            if (e->checkpoints())
                writeCheckpoint(*e);
            e->phase = Phase::Stopped;
        } else {
            e->phase = Phase::Aborted;
        }
    }
    return changed(*e, lock);
}

UserProjectionReply UserProjections::reset(const std::string &name, bool)
{
    std::unique_lock lock(m_mutex);
    Entry *e = nullptr;
    if (UserProjectionReply r = findLocked(name, &e); !r.ok())
        return r;
    // A new epoch: the state and position start again, and the checkpoint says so (a restart resumes
    // from the start, not from the old checkpoint).
    e->epoch = e->version + 1; // the version changed() gives it
    e->checkpointNext = 0;
    e->checkpointPosition.reset();
    e->checkpointState = QJsonValue(QJsonValue::Undefined);
    rewind(*e);
    e->processed = 0;
    e->reason.clear();
    e->phase = e->def.enabled ? Phase::Running : Phase::Stopped;
    if (e->checkpoints())
        writeCheckpoint(*e);
    return changed(*e, lock);
}

UserProjectionReply UserProjections::remove(const std::string &name, bool emittedStreams, bool stateStream,
                                            bool checkpointStream)
{
    std::lock_guard lock(m_mutex);
    Entry *e = nullptr;
    if (UserProjectionReply r = findLocked(name, &e); !r.ok())
        return r;
    if (e->phase == Phase::Running && m_runUser && e->def.mode != UserProjectionMode::Transient)
        return {Code::NotStopped, "Cannot delete a projection that hasn't been stopped or faulted."};
    auto drop = [this](const std::string &stream) {
        if (m_store.view(stream).state == StreamView::State::Present)
            m_store.softDelete(stream, EventStore::Expected::Any, 0);
    };
    if (emittedStreams && e->def.trackEmittedStreams) {
        for (const std::string &s : e->emittedStreams)
            drop(s);
        drop(userprojections::emittedStreamsStream(name));
    }
    if (stateStream) {
        drop(resultStream(name, {}));
        if (e->state.isObject())
            for (const QString &key : e->state.toObject().keys())
                drop(resultStream(name, key.toStdString()));
    }
    if (checkpointStream)
        drop(userprojections::checkpointStream(name));
    if (e->persisted()) {
        m_store.append(kRegistrationStream, EventStore::Expected::Any, 0,
                       {ProposedEvent{QUuid::createUuid(), "$ProjectionDeleted", false, name, {}, 0}});
        drop(definitionStream(name));
    }
    m_entries.erase(name);
    return {};
}

UserProjectionStats UserProjections::statsOf(const Entry &e) const
{
    UserProjectionStats s;
    s.name = e.def.name;
    s.mode = modeName(e.def.mode);
    switch (e.phase) {
    case Phase::Running:
        // Enabled but not run by this node (--run-projections=System): loaded stopped, and still enabled.
        s.status = m_runUser ? "Running" : "Stopped (Enabled)";
        break;
    case Phase::Stopped: s.status = "Stopped"; break;
    case Phase::Aborted: s.status = "Aborted"; break;
    case Phase::Completed: s.status = "Completed"; break;
    case Phase::Faulted:
        // ManagedProjection.GetStatistics: a stopped or faulted projection that is still enabled says so.
        s.status = e.def.enabled ? "Faulted (Enabled)" : "Faulted";
        s.stateReason = e.reason;
        break;
    }
    s.position = tagOf(e.lastPosition);
    s.lastCheckpoint = e.checkpoints() ? tagOf(e.checkpointPosition) : std::string();
    const size_t size = m_store.logSize();
    const size_t end = std::min(size, e.endIndex);
    s.progress = end == 0 ? 100.0f : float(100.0 * double(std::min(e.next, end)) / double(end));
    s.eventsProcessedAfterRestart = e.processed;
    s.partitionsCached = e.partitioned && e.state.isObject()
        ? int(e.state.toObject().size() - (e.state.toObject().contains(QLatin1String("$shared")) ? 1 : 0))
        : 1;
    s.version = e.version;
    s.epoch = e.epoch;
    return s;
}

std::vector<UserProjectionStats> UserProjections::statistics() const
{
    std::lock_guard lock(m_mutex);
    std::vector<UserProjectionStats> out;
    for (const auto &[name, e] : m_entries)
        out.push_back(statsOf(*e));
    return out;
}

UserProjectionReply UserProjections::state(const std::string &name, const std::string &partition, QJsonValue *out) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_entries.find(name);
    if (it == m_entries.end())
        return {Code::NotFound, "Projection '" + name + "' not found"};
    const Entry &e = *it->second;
    if (e.partitioned)
        *out = partition.empty() ? QJsonValue(QJsonValue::Undefined)
                                 : e.state.toObject().value(QString::fromStdString(partition));
    else
        *out = e.state;
    return {};
}

UserProjectionReply UserProjections::result(const std::string &name, const std::string &partition,
                                            QJsonValue *out) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_entries.find(name);
    if (it == m_entries.end())
        return {Code::NotFound, "Projection '" + name + "' not found"};
    const Entry &e = *it->second;
    *out = e.results.value(QString::fromStdString(e.partitioned ? partition : std::string()));
    return {};
}

} // namespace chronoscope::sandbox
