// EventStore's system projections: links written in the commit of the events they index.
#include "EventStore.h"

#include "SystemProjections.h"
#include "UserProjections.h"

#include <mutex>

namespace chronoscope::sandbox {

void EventStore::configureProjections(bool available, bool startAll)
{
    if (available && !m_user) {
        m_user = std::make_unique<UserProjections>(*this);
        m_user->start();
    }
    const NotifyOnExit notify{m_notifier};
    std::unique_lock lock(m_mutex);
    m_projectionsAvailable = available;
    for (Projection &p : m_projections)
        p.running = available && startAll;
    runProjectionsLocked();
    WriteResult ignored; // a storage failure shows on the next write
    makeDurable(lock, &ignored);
}

bool EventStore::standardProjectionsRunning() const
{
    std::shared_lock lock(m_mutex);
    for (const Projection &p : m_projections)
        if (p.running)
            return true;
    return false;
}

void EventStore::runProjectionsLocked()
{
    if (!m_projectionsAvailable)
        return;
    std::vector<SystemProjections::Emission> out;
    // Each projection reads up to the live end of the log, its own and the others' links
    // included (they are `$`-streams, which the projections skip), so all end caught up.
    for (bool busy = true; busy;) {
        busy = false;
        for (int id = 0; id < SystemProjections::kCount; ++id) {
            Projection &p = m_projections[size_t(id)];
            if (!p.running)
                continue;
            for (; p.checkpoint < m_log.size(); ++p.checkpoint) {
                out.clear();
                if (!SystemProjections::process(id, m_log[p.checkpoint], out))
                    continue;
                ++p.processed;
                for (const SystemProjections::Emission &e : out) {
                    Stream &target = m_streams[e.stream];
                    if (target.tombstoned)
                        continue; // the server's emitted stream would refuse the write too
                    ProposedEvent link{QUuid::createUuid(), e.type, false, e.data, e.metadata, 0};
                    writeRecord(e.stream, target.records.size(), link);
                    busy = true;
                }
            }
        }
    }
}

std::vector<ProjectionStatus> EventStore::projectionStatuses() const
{
    std::shared_lock lock(m_mutex);
    std::vector<ProjectionStatus> out;
    for (int id = 0; id < SystemProjections::kCount; ++id) {
        const Projection &p = m_projections[size_t(id)];
        ProjectionStatus s;
        s.name = SystemProjections::name(id);
        s.running = p.running;
        s.eventsProcessed = p.processed;
        s.checkpoint = p.checkpoint;
        s.logSize = m_log.size();
        if (p.checkpoint > 0)
            s.lastPosition = m_log[p.checkpoint - 1].position;
        out.push_back(std::move(s));
    }
    return out;
}

bool EventStore::setProjectionRunning(const std::string &name, bool running, WriteError *error)
{
    const int id = SystemProjections::find(name);
    if (id < 0)
        return false;
    const NotifyOnExit notify{m_notifier};
    std::unique_lock lock(m_mutex);
    if (running && logFailedLocked(error))
        return true;
    m_projections[size_t(id)].running = running;
    runProjectionsLocked();
    WriteResult result;
    makeDurable(lock, &result);
    *error = result.error;
    return true;
}

} // namespace chronoscope::sandbox
