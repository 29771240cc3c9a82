// EventStore's durable side: replaying the log file on start and syncing before acknowledging.
#include "EventStore.h"
#include "UserProjections.h"

#include "LogFile.h"
#include "SystemProjections.h"

#include <algorithm>
#include <mutex>

namespace chronoscope::sandbox {

bool EventStore::openLog(const std::string &path, std::string *error, std::string *notice)
{
    if (m_user)
        m_user->stop(); // they load again from what the log holds
    const bool opened = openLogFile(path, error, notice);
    if (m_user)
        m_user->start();
    return opened;
}

bool EventStore::openLogFile(const std::string &path, std::string *error, std::string *notice)
{
    std::unique_lock lock(m_mutex);
    if (!m_log.empty()) {
        *error = "the log file must be opened before anything is written";
        return false;
    }
    auto replay = [this](StoredRecord &&r, quint64, std::string *why) { return replayRecord(std::move(r), why); };
    m_logFile = LogFile::open(path, replay, error, notice);
    m_logPath = path;
    if (!m_logFile) {
        m_log.clear();
        m_streams.clear();
        m_nextPosition = 0;
        return false;
    }
    // Projections switched on since the log was written catch up now.
    runProjectionsLocked();
    WriteResult synced;
    makeDurable(lock, &synced);
    if (synced.error) {
        *error = synced.error.message;
        return false;
    }
    return true;
}

bool EventStore::restart(std::string *error)
{
    if (m_user)
        m_user->stop();
    std::string path;
    {
        std::unique_lock lock(m_mutex);
        if (m_logFile) {
            // What was acknowledged is durable already; what was only enqueued goes to disk as a
            // clean shutdown would take it there.
            const quint64 end = m_logEnd;
            lock.unlock();
            std::string ignored; // a failed file shows when it is opened again
            m_logFile->waitDurable(end, &ignored);
            lock.lock();
        }
        path = m_logFile ? m_logPath : std::string();
        m_logFile.reset(); // closes the file and lets go of its lock
        m_logEnd = 0;
        m_log.clear();
        m_streams.clear();
        m_nextPosition = 0;
        m_committed.clear(); // the weak idempotency check starts from nothing, as upstream's does
        for (Projection &p : m_projections) {
            p.checkpoint = 0; // replaying the log finds each projection's checkpoint again
            p.processed = 0;
        }
    }
    if (path.empty()) { // in memory only: a restart loses everything
        if (m_user)
            m_user->start();
        return true;
    }
    std::string notice;
    return openLog(path, error, &notice);
}

bool EventStore::replayRecord(StoredRecord &&r, std::string *error)
{
    if (r.position != m_nextPosition) {
        *error = "position " + std::to_string(r.position) + " where " + std::to_string(m_nextPosition) + " was expected";
        return false;
    }
    const auto it = m_streams.find(r.stream);
    if (it != m_streams.end() && it->second.tombstoned) {
        *error = "an event after the tombstone of '" + r.stream + "'";
        return false;
    }
    const quint64 next = it == m_streams.end() ? 0 : it->second.records.size();
    if (r.revision != kTombstoneRevision && r.revision != next) {
        *error = "revision " + std::to_string(r.revision) + " of '" + r.stream + "' where " + std::to_string(next)
            + " was expected";
        return false;
    }
    m_nextPosition += recordSpan(r);
    m_log.push_back(std::move(r));
    indexRecord(m_log.size() - 1);

    // A link a projection wrote tells how far that projection had got.
    if (const auto emitted = SystemProjections::emittedBy(m_log.back())) {
        const auto source = std::lower_bound(m_log.begin(), m_log.end() - 1, emitted->second,
                                             [](const StoredRecord &x, quint64 p) { return x.position < p; });
        Projection &p = m_projections[size_t(emitted->first)];
        p.checkpoint = std::max(p.checkpoint, size_t(source - m_log.begin()) + 1);
    }
    return true;
}

void EventStore::makeDurable(std::unique_lock<std::shared_mutex> &lock, WriteResult *result)
{
    if (!m_logFile || !m_syncEachWrite)
        return;
    const quint64 end = m_logEnd;
    lock.unlock();
    std::string error;
    if (!m_logFile->waitDurable(end, &error)) {
        result->error.kind = WriteError::Kind::Storage;
        result->error.message = "The write is not durable: " + error;
    }
}

bool EventStore::logFailedLocked(WriteError *error) const
{
    if (!m_logFile)
        return false;
    const std::string failure = m_logFile->failure();
    if (failure.empty())
        return false;
    error->kind = WriteError::Kind::Storage;
    error->message = "The sandbox's log file cannot be written: " + failure;
    return true;
}

bool EventStore::syncLog(std::string *error)
{
    std::unique_lock lock(m_mutex);
    if (!m_logFile)
        return true;
    const quint64 end = m_logEnd;
    lock.unlock();
    return m_logFile->waitDurable(end, error);
}

} // namespace chronoscope::sandbox
