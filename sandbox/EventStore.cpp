#include "EventStore.h"
#include "UserProjections.h"

#include "LogFile.h"

#include <QDateTime>

#include <algorithm>
#include <mutex>

namespace chronoscope::sandbox {
namespace {

constexpr quint64 kRecordOverhead = 88; // header bytes of a record in the log, roughly as the real server's

/// How many records ahead a read asks the CPU for (prefetch): a record's strings live in their own
/// heap blocks, scattered over a log far larger than the cache, and encoding a read waited on them.
constexpr size_t kPrefetchAhead = 4;

/// Asks for the cache lines a read of `r` will copy. Encoding a 200k-event $all of the demo
/// history through AllReadCursor: 208 ns per event without, 125 with (best runs, alternated).
void prefetchRecord(const StoredRecord &r)
{
    // The first 4 KiB: past that the hardware prefetcher has caught on to the copy.
    const char *const end = r.data.data() + std::min<size_t>(r.data.size(), 4096);
    for (const char *p = r.data.data(); p < end; p += 64)
        __builtin_prefetch(p);
    __builtin_prefetch(r.metadata.data());
    __builtin_prefetch(r.idString.data());
    __builtin_prefetch(r.stream.data());
    // Without a visible effect GCC 12 finds this function "const" and deletes every call to it.
    asm volatile("");
}

qint64 toExpectedNumber(EventStore::Expected e, quint64 rev)
{
    switch (e) {
    case EventStore::Expected::Any: return -2;
    case EventStore::Expected::NoStream: return -1;
    case EventStore::Expected::StreamExists: return -4;
    case EventStore::Expected::Revision: return qint64(rev);
    }
    return -2;
}

} // namespace

quint64 recordSpan(const StoredRecord &r)
{
    return kRecordOverhead + r.stream.size() + r.type.size() + r.data.size() + r.metadata.size();
}

EventStore::EventStore()
    : m_nextPosition(0)
{
}

EventStore::~EventStore() = default;

void EventStore::setFrozenClock(qint64 startMs)
{
    std::unique_lock lock(m_mutex);
    m_frozenStartMs = startMs;
}

qint64 EventStore::nowTicks() const
{
    if (m_frozenStartMs)
        return (*m_frozenStartMs + qint64(m_log.size())) * kTicksPerMillisecond;
    return QDateTime::currentMSecsSinceEpoch() * kTicksPerMillisecond;
}

size_t EventStore::writeRecord(const std::string &stream, quint64 revision, const ProposedEvent &e)
{
    StoredRecord r;
    r.stream = stream;
    r.revision = revision;
    r.position = m_nextPosition;
    r.type = e.type;
    r.isJson = e.isJson;
    r.createdTicks = e.createdTicks ? e.createdTicks : nowTicks();
    r.data = e.data;
    r.metadata = e.metadata;
    r.id = e.id.isNull() ? QUuid::createUuid() : e.id;
    r.idString = r.id.toString(QUuid::WithoutBraces).toStdString();
    m_nextPosition += recordSpan(r);
    // Every committed record is remembered for the weak idempotency check (upstream's PreCommit),
    // the server's own ($metadata of deletes, tombstones, projection links) included.
    m_committed.put(r.id, r.stream, r.revision);
    m_log.push_back(std::move(r));
    const size_t index = m_log.size() - 1;
    indexRecord(index);
    if (m_logFile)
        m_logEnd = m_logFile->enqueue(m_log[index]);
    return index;
}

void EventStore::indexRecord(size_t index)
{
    const StoredRecord &r = m_log[index];
    Stream &s = m_streams[r.stream];
    if (r.revision == kTombstoneRevision)
        s.tombstoned = true;
    else
        s.records.push_back(index);

    // A `$metadata` event in `$$x` becomes x's metadata.
    const std::string &stream = r.stream;
    if (stream.size() > 2 && stream[0] == '$' && stream[1] == '$' && r.type == SystemEventTypes::StreamMetadata) {
        const std::string target = stream.substr(2);
        m_streams[target].metadata =
            StreamMetadata::fromJson(QByteArray(r.data.data(), qsizetype(r.data.size())));
    }
}

EventStore::Commit EventStore::checkCommitLocked(Stream &s, const std::string &name, Expected expected, quint64 rev,
                                                 const std::vector<ProposedEvent> &events, WriteResult *result) const
{
    const StreamView v = viewLocked(name);
    const bool hasEvents = !s.records.empty();
    // The stream's current version as the server counts it: soft-deleted and truncated events included.
    const qint64 current = hasEvents ? qint64(s.records.size()) - 1 : -1;
    const auto refuse = [&](WriteError::Kind kind) {
        result->error.kind = kind;
        if (kind == WriteError::Kind::StreamDeleted) {
            result->error.message = "Event stream '" + name + "' is deleted.";
        } else {
            result->error.message = "WrongExpectedVersion";
            result->error.expected = toExpectedNumber(expected, rev);
            result->error.actual = hasEvents ? std::optional<quint64>(quint64(current)) : std::nullopt;
        }
        return Commit::Refused;
    };
    const auto answerFromOriginal = [&](quint64 last) {
        result->idempotent = true;
        result->currentRevision = last;
        if (last < s.records.size())
            result->position = m_log[s.records[last]].position;
        return Commit::Idempotent;
    };
    if (v.state == StreamView::State::Tombstoned)
        return refuse(WriteError::Kind::StreamDeleted);
    const bool softDeleted = v.state == StreamView::State::SoftDeleted;

    if (expected == Expected::StreamExists) {
        if (softDeleted)
            return refuse(WriteError::Kind::StreamDeleted);
        // A stream whose only trace is its metadata counts as existing (upstream looks at `$$name`).
        const auto meta = m_streams.find("$$" + name);
        if (!hasEvents && (meta == m_streams.end() || meta->second.records.empty()))
            return refuse(WriteError::Kind::WrongExpectedVersion);
    }

    if (expected == Expected::Any || expected == Expected::StreamExists) {
        // The weak check: each id looked up among the ids recently committed, wherever in the
        // stream they went. The first one unknown: a new write (a duplicate, if it was forgotten);
        // known, then one unknown: corrupted idempotency, answered as a wrong expected version.
        std::optional<quint64> last;
        for (size_t i = 0; i < events.size(); ++i) {
            const CommittedEvents::Entry *known = m_committed.find(events[i].id);
            if (!known || known->stream != name) {
                if (i == 0)
                    return Commit::Write;
                return refuse(WriteError::Kind::WrongExpectedVersion);
            }
            last = known->revision;
        }
        return last ? answerFromOriginal(*last) : Commit::Write;
    }

    // Exact revision or no_stream (-1): the strong check, against the events stored after the
    // expected revision, one by one.
    const qint64 expectedVersion = expected == Expected::NoStream ? -1 : qint64(rev);
    if (expectedVersion > current)
        return refuse(WriteError::Kind::WrongExpectedVersion);
    if (expectedVersion == current)
        return Commit::Write;
    for (size_t i = 0; i < events.size(); ++i) {
        const qint64 at = expectedVersion + 1 + qint64(i);
        if (at <= current && m_log[s.records[size_t(at)]].id == events[i].id)
            continue;
        if (i > 0) // corrupted idempotency: part of the append is there, the rest is not
            return refuse(WriteError::Kind::WrongExpectedVersion);
        // Not a retry. no_stream on a soft-deleted stream recreates it; anything else is too late.
        return expected == Expected::NoStream && softDeleted ? Commit::Write
                                                             : refuse(WriteError::Kind::WrongExpectedVersion);
    }
    if (events.empty())
        return expected == Expected::NoStream && softDeleted ? Commit::Write
                                                             : refuse(WriteError::Kind::WrongExpectedVersion);
    return answerFromOriginal(quint64(expectedVersion) + events.size());
}

WriteResult EventStore::append(const std::string &stream, Expected expected, quint64 expectedRevision,
                               const std::vector<ProposedEvent> &events)
{
    WriteResult result;
    quint64 size = 0;
    for (const ProposedEvent &e : events)
        size += e.data.size() + e.metadata.size();
    if (size > m_maxAppendSize) {
        result.error.kind = WriteError::Kind::MaximumAppendSize;
        result.error.message = "Maximum Append Size of " + std::to_string(m_maxAppendSize) + " Exceeded.";
        return result;
    }
    const NotifyOnExit notify{m_notifier};
    std::unique_lock lock(m_mutex);
    if (logFailedLocked(&result.error))
        return result;
    Stream &s = m_streams[stream];
    switch (checkCommitLocked(s, stream, expected, expectedRevision, events, &result)) {
    case Commit::Refused: return result;
    case Commit::Idempotent:
        // The real server drops a retry whose original is not replicated yet (the client retries
        // again); the sandbox waits until its original is durable and answers.
        makeDurable(lock, &result);
        return result;
    case Commit::Write: break;
    }
    if (events.empty()) {
        if (!s.records.empty())
            result.currentRevision = s.records.size() - 1;
        return result;
    }
    const StreamView before = viewLocked(stream);
    if (before.state == StreamView::State::SoftDeleted) {
        // Recreating a soft-deleted stream: truncate before the first new event, keep the rest.
        StreamMetadata meta = s.metadata.value_or(StreamMetadata());
        meta.truncateBefore = qint64(s.records.size());
        ProposedEvent m{QUuid::createUuid(), SystemEventTypes::StreamMetadata, true, meta.toJsonBytes().toStdString(), {}, 0};
        const std::string metaName = "$$" + stream;
        writeRecord(metaName, m_streams[metaName].records.size(), m);
    }
    size_t last = 0;
    for (const ProposedEvent &e : events)
        last = writeRecord(stream, s.records.size(), e); // map references survive inserts
    result.currentRevision = s.records.size() - 1;
    result.position = m_log[last].position;
    runProjectionsLocked();
    makeDurable(lock, &result);
    return result;
}

WriteResult EventStore::softDelete(const std::string &stream, Expected expected, quint64 expectedRevision)
{
    WriteResult result;
    const NotifyOnExit notify{m_notifier};
    std::unique_lock lock(m_mutex);
    if (logFailedLocked(&result.error))
        return result;
    const auto it = m_streams.find(stream);
    Stream none;
    Stream &s = it == m_streams.end() ? none : it->second;
    if (!checkDeleteLocked(s, stream, expected, expectedRevision, &result))
        return result;
    // A soft delete of a stream with neither events nor metadata is a wrong expected version (-1, -1);
    // one that exists only through its metadata is deleted (StorageWriterService, WriteDelete).
    const std::string metaName = "$$" + stream;
    const auto meta = m_streams.find(metaName);
    if (s.records.empty() && (meta == m_streams.end() || meta->second.records.empty())) {
        result.error.kind = WriteError::Kind::WrongExpectedVersion;
        result.error.message = "WrongExpectedVersion";
        result.error.expected = toExpectedNumber(expected, expectedRevision);
        return result;
    }
    ProposedEvent m{QUuid::createUuid(), SystemEventTypes::StreamMetadata, true,
                    "{\"$tb\":9223372036854775807}", {}, 0};
    const size_t index = writeRecord(metaName, m_streams[metaName].records.size(), m);
    result.position = m_log[index].position;
    makeDurable(lock, &result);
    return result;
}

WriteResult EventStore::tombstone(const std::string &stream, Expected expected, quint64 expectedRevision)
{
    WriteResult result;
    const NotifyOnExit notify{m_notifier};
    std::unique_lock lock(m_mutex);
    if (logFailedLocked(&result.error))
        return result;
    Stream &s = m_streams[stream];
    if (!checkDeleteLocked(s, stream, expected, expectedRevision, &result))
        return result;
    ProposedEvent t{QUuid::createUuid(), SystemEventTypes::StreamDeleted, false, {}, {}, 0};
    const size_t index = writeRecord(stream, kTombstoneRevision, t);
    result.position = m_log[index].position;
    runProjectionsLocked();
    makeDurable(lock, &result);
    return result;
}

bool EventStore::checkDeleteLocked(Stream &s, const std::string &name, Expected expected, quint64 rev,
                                   WriteResult *result) const
{
    // The server checks a delete as the commit of one new event (IndexWriter.CheckCommit with the
    // delete's fresh event id), so an id never matches and no delete is "idempotent".
    const std::vector<ProposedEvent> marker{ProposedEvent{QUuid::createUuid(), {}, false, {}, {}, 0}};
    WriteResult check;
    if (checkCommitLocked(s, name, expected, rev, marker, &check) != Commit::Refused)
        return true;
    result->error = check.error;
    return false;
}

StreamView EventStore::view(const std::string &stream) const
{
    std::shared_lock lock(m_mutex);
    return viewLocked(stream);
}

StreamView EventStore::viewLocked(const std::string &stream) const
{
    StreamView v;
    const auto it = m_streams.find(stream);
    if (it == m_streams.end())
        return v;
    const Stream &s = it->second;
    if (s.tombstoned) {
        v.state = StreamView::State::Tombstoned;
        return v;
    }
    if (s.metadata && s.metadata->isSoftDeleted()) {
        v.state = StreamView::State::SoftDeleted;
        return v;
    }
    if (s.records.empty())
        return v;
    v.state = StreamView::State::Present;
    v.hasEvents = true;
    v.last = s.records.size() - 1;
    quint64 first = 0;
    if (s.metadata && s.metadata->truncateBefore && *s.metadata->truncateBefore > 0)
        first = quint64(*s.metadata->truncateBefore);
    qint64 maxCount = s.metadata && s.metadata->maxCount ? *s.metadata->maxCount : 0;
    if (stream.size() > 2 && stream[0] == '$' && stream[1] == '$' && maxCount <= 0)
        maxCount = 1; // metadata streams keep only their latest event
    if (maxCount > 0 && v.last + 1 > quint64(maxCount))
        first = std::max(first, v.last + 1 - quint64(maxCount));
    v.firstVisible = first;
    if (first > v.last)
        v.hasEvents = false;
    return v;
}

std::optional<qint64> EventStore::ageCutoffLocked(const Stream &s) const
{
    if (!s.metadata || !s.metadata->maxAgeSeconds)
        return std::nullopt;
    return nowTicks() - *s.metadata->maxAgeSeconds * 10000000;
}

bool EventStore::isVisibleLocked(const std::string &stream, quint64 revision) const
{
    const StreamView v = viewLocked(stream);
    if (v.state != StreamView::State::Present || !v.hasEvents || revision < v.firstVisible || revision > v.last)
        return false;
    const Stream &s = m_streams.at(stream);
    const std::optional<qint64> cutoff = ageCutoffLocked(s);
    return !cutoff || m_log[s.records[revision]].createdTicks >= *cutoff;
}

size_t EventStore::readStream(const std::string &stream, quint64 from, bool forwards, size_t max,
                              const Visitor &visit) const
{
    std::shared_lock lock(m_mutex);
    const StreamView v = viewLocked(stream);
    if (v.state != StreamView::State::Present || !v.hasEvents)
        return 0;
    const Stream &s = m_streams.at(stream);
    const std::optional<qint64> cutoff = ageCutoffLocked(s);
    size_t n = 0;
    auto offer = [&](quint64 rev) {
        if (forwards ? rev + kPrefetchAhead <= v.last : rev >= v.firstVisible + kPrefetchAhead)
            prefetchRecord(m_log[s.records[forwards ? rev + kPrefetchAhead : rev - kPrefetchAhead]]);
        const StoredRecord &r = m_log[s.records[rev]];
        if (cutoff && r.createdTicks < *cutoff)
            return;
        visit(r);
        ++n;
    };
    if (forwards) {
        for (quint64 rev = std::max(from, v.firstVisible); rev <= v.last && n < max; ++rev)
            offer(rev);
    } else if (from >= v.firstVisible) {
        for (quint64 rev = std::min(from, v.last) + 1; rev-- > v.firstVisible && n < max;)
            offer(rev);
    }
    return n;
}

size_t EventStore::logSize() const
{
    std::shared_lock lock(m_mutex);
    return m_log.size();
}

quint64 EventStore::endPosition() const
{
    std::shared_lock lock(m_mutex);
    return m_nextPosition;
}

std::optional<size_t> EventStore::indexOfPosition(quint64 position) const
{
    std::shared_lock lock(m_mutex);
    if (position >= m_nextPosition)
        return position == m_nextPosition ? std::optional<size_t>(m_log.size()) : std::nullopt;
    const auto it = std::lower_bound(m_log.begin(), m_log.end(), position,
                                     [](const StoredRecord &r, quint64 p) { return r.position < p; });
    if (it == m_log.end() || it->position != position)
        return std::nullopt;
    return size_t(it - m_log.begin());
}

size_t EventStore::readLog(size_t from, bool forwards, size_t max,
                           const std::function<bool(const StoredRecord &)> &keep, size_t scanLimit,
                           const Visitor &visit) const
{
    std::shared_lock lock(m_mutex);
    size_t i = from;
    size_t scanned = 0;
    size_t visited = 0;
    if (forwards) {
        for (; i < m_log.size() && visited < max && scanned < scanLimit; ++i, ++scanned) {
            if (i + kPrefetchAhead < m_log.size())
                prefetchRecord(m_log[i + kPrefetchAhead]);
            if (!keep || keep(m_log[i])) {
                visit(m_log[i]);
                ++visited;
            }
        }
    } else {
        i = std::min(i, m_log.size());
        for (; i > 0 && visited < max && scanned < scanLimit; --i, ++scanned) {
            if (i > kPrefetchAhead)
                prefetchRecord(m_log[i - 1 - kPrefetchAhead]);
            if (!keep || keep(m_log[i - 1])) {
                visit(m_log[i - 1]);
                ++visited;
            }
        }
    }
    return i;
}

const StoredRecord *EventStore::resolveLinkLocked(const StoredRecord &link) const
{
    const size_t at = link.data.find('@');
    if (at == std::string::npos || at == 0)
        return nullptr;
    quint64 rev = 0;
    for (size_t i = 0; i < at; ++i) {
        const char c = link.data[i];
        if (c < '0' || c > '9')
            return nullptr;
        rev = rev * 10 + quint64(c - '0');
    }
    const std::string target = link.data.substr(at + 1);
    if (!isVisibleLocked(target, rev))
        return nullptr;
    return &m_log[m_streams.at(target).records[rev]];
}

std::optional<StreamMetadata> EventStore::metadataOf(const std::string &stream) const
{
    std::shared_lock lock(m_mutex);
    const auto it = m_streams.find(stream);
    return it == m_streams.end() ? std::nullopt : it->second.metadata;
}

void EventStore::setCommittedEventsLimit(quint64 bytes)
{
    std::unique_lock lock(m_mutex);
    m_committed.setLimit(bytes);
}

size_t EventStore::committedEventsRemembered() const
{
    std::shared_lock lock(m_mutex);
    return m_committed.size();
}

size_t EventStore::streamCount() const
{
    std::shared_lock lock(m_mutex);
    size_t n = 0;
    for (const auto &kv : m_streams)
        if (!kv.second.records.empty())
            ++n;
    return n;
}

} // namespace chronoscope::sandbox
