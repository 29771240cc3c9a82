// The user projections' runner thread: reads the log after each projection's position, folds the
// events its source selects with the core's JsReducer, writes what it emits, its results and its
// checkpoints, and faults it when a handler throws.
#include "UserProjections.h"

#include "EventStore.h"
#include "UserProjectionEntry.h"

#include "script/ProjectionFeed.h"

#include <QUuid>

#include <chrono>

namespace chronoscope::sandbox {

using namespace userprojections;

namespace {

/// Log records per step. Each step that handled an event reads the whole state back (and compares its
/// partitions), so a projection with many partitions costs that per step: 2048 keeps a 100 000-event demo
/// history with 12 000 partitions (the demo's order-totals) within seconds, where 256 took minutes.
constexpr size_t kBatch = 2048;

/// One record as the reducer sees it: the event, and the link's metadata when read through one.
struct Read
{
    RecordedEvent event;
    QByteArray linkMetadata;
    bool viaLink = false;
    size_t index = 0;
    quint64 position = 0;
};

RecordedEvent toRecorded(const StoredRecord &r)
{
    RecordedEvent e;
    e.streamId = QByteArray::fromStdString(r.stream);
    e.id = r.id;
    e.revision = r.revision;
    e.position = Position{r.position, r.position};
    e.type = QByteArray::fromStdString(r.type);
    e.contentType = r.isJson ? QByteArrayLiteral("application/json") : QByteArrayLiteral("application/octet-stream");
    e.createdTicks = r.createdTicks;
    e.data = QByteArray::fromStdString(r.data);
    e.metadata = QByteArray::fromStdString(r.metadata);
    return e;
}

/// The fault reason as the server gives it (CoreProjection.SetFaulted(ex) takes ex.Message): the
/// exception's message, without the event and script line JsReducer adds for the app.
std::string reasonOf(QString message, const QString &fileName)
{
    const qsizetype described = message.indexOf(QLatin1String("): "));
    if (message.startsWith(QLatin1String("event #")) && described > 0)
        message = message.mid(described + 3);
    const qsizetype at = message.lastIndexOf(QLatin1String(" (") + fileName + QLatin1Char(':'));
    if (at > 0 && message.endsWith(QLatin1Char(')')))
        message.truncate(at);
    if (message.startsWith(QLatin1String("Error: ")))
        message = message.mid(7);
    return message.toStdString();
}

/// An emitted event's metadata as EmittedStream.MetadataWithCausedByAndCorrelationId writes it: the
/// checkpoint tag of the causing event (`$v`, `$c`, `$p`; `$o` its stream for a link), the handler's
/// own metadata, `$causedBy` (the causing event's id) and its `$correlationId` unless given.
std::string emittedMetadata(qint64 epoch, qint64 version, const RecordedEvent *by, bool link, const QJsonObject &own)
{
    const std::string p = by ? std::to_string(by->position.commit) : std::string("-1");
    std::string m = "{\"$v\":\"1:" + std::to_string(epoch) + ":" + std::to_string(version) + ":1\",\"$c\":" + p
        + ",\"$p\":" + p;
    auto field = [&m](const QString &key, const QJsonValue &value) {
        m += "," + compactJson(QJsonValue(key)) + ":" + compactJson(value);
    };
    if (link && by)
        field(QStringLiteral("$o"), QString::fromUtf8(by->streamId));
    for (auto it = own.begin(); it != own.end(); ++it)
        if (it.key() != QLatin1String("$causedBy"))
            field(it.key(), it.value());
    if (by) {
        field(QStringLiteral("$causedBy"), by->id.toString(QUuid::WithoutBraces));
        const QJsonValue correlation =
            parseJson(by->metadata.toStdString()).toObject().value(QLatin1String("$correlationId"));
        if (!own.contains(QLatin1String("$correlationId")) && correlation.isString())
            field(QStringLiteral("$correlationId"), correlation);
    }
    return m + "}";
}

} // namespace

void UserProjections::start()
{
    stop();
    load();
    {
        std::lock_guard wake(m_wakeMutex);
        m_quit = false;
        m_dirty = true;
    }
    m_store.notifier().add(this);
    m_thread = std::thread([this] { run(); });
}

void UserProjections::stop()
{
    if (!m_thread.joinable())
        return;
    m_store.notifier().remove(this);
    {
        std::lock_guard wake(m_wakeMutex);
        m_quit = true;
    }
    m_wake.notify_all();
    m_thread.join();
    std::lock_guard lock(m_mutex);
    m_entries.clear();
}

void UserProjections::appended()
{
    {
        std::lock_guard wake(m_wakeMutex);
        m_dirty = true;
    }
    m_wake.notify_all();
}

bool UserProjections::waitIdle(int timeoutMs) const
{
    std::unique_lock wake(m_wakeMutex);
    return m_idle.wait_for(wake, std::chrono::milliseconds(timeoutMs), [this] { return !m_dirty && !m_busy; });
}

bool UserProjections::setWedged(const std::string &name, bool wedged)
{
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_entries.find(name);
        if (it == m_entries.end())
            return false;
        it->second->wedged = wedged;
    }
    appended(); // unwedged: it catches up at once
    return true;
}

void UserProjections::setRunUserProjections(bool run)
{
    {
        std::lock_guard lock(m_mutex);
        m_runUser = run;
    }
    appended();
}

bool UserProjections::runsUserProjections() const
{
    std::lock_guard lock(m_mutex);
    return m_runUser;
}

void UserProjections::run()
{
    for (;;) {
        {
            std::unique_lock wake(m_wakeMutex);
            m_busy = false;
            m_idle.notify_all();
            m_wake.wait(wake, [this] { return m_dirty || m_quit; });
            if (m_quit)
                break;
            m_dirty = false;
            m_busy = true;
        }
        for (bool more = true; more;) {
            more = false;
            std::vector<std::string> names;
            {
                std::lock_guard lock(m_mutex);
                for (const auto &[name, e] : m_entries)
                    names.push_back(name);
                for (auto it = m_live.begin(); it != m_live.end();)
                    it = m_entries.count(it->first) ? std::next(it) : m_live.erase(it); // deleted ones
            }
            for (const std::string &name : names) {
                std::unique_ptr<Live> &live = m_live[name];
                if (!live)
                    live = std::make_unique<Live>();
                more = step(name, *live) || more;
            }
        }
    }
    m_live.clear(); // the engines belong to this thread: they end here
    std::lock_guard wake(m_wakeMutex);
    m_busy = false;
    m_idle.notify_all();
}

bool UserProjections::step(const std::string &name, Live &live)
{
    UserProjectionDefinition def;
    quint64 generation = 0;
    size_t next = 0, end = 0;
    QJsonValue before;
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_entries.find(name);
        if (it == m_entries.end() || it->second->phase != Phase::Running || it->second->wedged || !m_runUser)
            return false;
        Entry &e = *it->second;
        def = e.def;
        generation = e.generation;
        next = e.next;
        end = std::min(e.endIndex, m_store.logSize());
        before = e.state;
        if (live.generation != generation) {
            engine::JsReducerOptions options;
            options.name = QString::fromStdString(name);
            options.source = QString::fromStdString(def.query);
            options.fileName = QString::fromStdString(name) + QStringLiteral(".js");
            engine::ScriptError error;
            live.reducer = engine::JsReducer::create(options, &error);
            if (!live.reducer) {
                fault(e, error.message.toStdString());
                return true;
            }
            if (before.isUndefined())
                live.reducer->reset();
            else
                live.reducer->restore(before);
            live.generation = generation;
            e.partitioned = live.reducer->isPartitioned();
            e.outputState = live.reducer->outputsState();
            if (e.results.isEmpty() && !before.isUndefined()) { // loaded from a checkpoint: results as they were
                const QStringList keys = e.partitioned ? before.toObject().keys() : QStringList{QString()};
                for (const QString &key : keys)
                    if (key != QLatin1String("$shared"))
                        e.results.insert(key, live.reducer->partitionResult(key));
            }
        }
        if (next >= end) {
            if (!e.checkpoints())
                e.phase = Phase::Completed; // one-time and transient ones end at the end of the log they met
            else if (e.sinceCheckpoint > 0)
                writeCheckpoint(e); // caught up: the sandbox checkpoints at once (see docs/PROJECTIONS.md)
            return false;
        }
    }
    engine::JsReducer &reducer = *live.reducer;
    // Read a batch: engine::feedRecordOf decides what reaches the projection (shared with the core's
    // ProjectionCompare, so a local fold sees what this runner saw).
    std::vector<Read> reads;
    const QStringList named = reducer.sourceStreams();
    size_t scanned = 0;
    m_store.readLog(next, true, kBatch, {}, kBatch, [&](const StoredRecord &r) {
        ++scanned;
        const engine::FeedRecord feed = engine::feedRecordOf(r.stream, r.type, named);
        if (feed == engine::FeedRecord::Skip)
            return;
        Read read;
        read.index = next + scanned - 1;
        read.position = r.position;
        if (feed == engine::FeedRecord::ResolvedLink) {
            const StoredRecord *target = m_store.resolveLinkLocked(r);
            if (!target)
                return;
            read.event = toRecorded(*target);
            read.linkMetadata = QByteArray::fromStdString(r.metadata);
            read.viaLink = true;
        } else {
            read.event = toRecorded(r);
        }
        if (!reducer.selects(read.event))
            return;
        reads.push_back(std::move(read));
    });
    const size_t scannedEnd = std::min(next + scanned, end);
    while (!reads.empty() && reads.back().index >= scannedEnd)
        reads.pop_back();
    std::vector<engine::FoldEvent> events;
    for (const Read &r : reads)
        events.push_back({&r.event, r.viaLink ? &r.linkMetadata : nullptr, quint64(r.index)});

    engine::FoldResult folded = reducer.fold(events.data(), qsizetype(events.size()));
    size_t reached = scannedEnd;
    size_t handled = events.size();
    std::string faultReason;
    if (!folded.errors.isEmpty()) {
        // The server stops at the event that threw: fold again up to it, from the state before the batch.
        const quint64 failing = folded.errors.constFirst().index;
        faultReason = reasonOf(folded.errors.constFirst().message,
                               QString::fromStdString(name) + QStringLiteral(".js"));
        if (before.isUndefined())
            reducer.reset();
        else
            reducer.restore(before);
        handled = 0;
        while (handled < events.size() && events[handled].index < failing)
            ++handled;
        reducer.fold(events.data(), qsizetype(handled));
        reached = size_t(failing);
    }
    const QJsonArray emitted = reducer.takeEmitted();
    // Nothing handled (a batch of links and other projections' records): the state is what it was.
    const QJsonValue after = handled > 0 || !faultReason.empty() ? reducer.state() : before;

    std::lock_guard lock(m_mutex);
    const auto it = m_entries.find(name);
    if (it == m_entries.end() || it->second->generation != generation)
        return true; // changed meanwhile: the batch is folded again from the new definition
    Entry &e = *it->second;
    if (!emitted.isEmpty()) {
        std::string error;
        if (!def.emitEnabled) {
            // The server's JS runtime refuses emit() unless the projection may emit.
            fault(e, "'emit' is not allowed by the projection/configuration/mode");
            return true;
        }
        std::map<quint64, const RecordedEvent *> causes;
        for (const Read &r : reads)
            causes[quint64(r.index)] = &r.event;
        if (!writeEmitted(e, emitted, causes, &error)) {
            fault(e, error);
            return true;
        }
    }
    e.next = reached;
    if (reached > next) // records no handler took move the position on too
        m_store.readLog(reached - 1, true, 1, {}, 1, [&](const StoredRecord &r) { e.lastPosition = r.position; });
    e.processed += qint64(handled);
    e.sinceCheckpoint += handled;
    // Which partitions changed: their results are computed now (the reducer lives on this thread).
    if (e.partitioned) {
        const QJsonObject was = e.state.toObject(), now = after.toObject();
        for (auto p = now.begin(); p != now.end(); ++p) {
            if (p.key() == QLatin1String("$shared") || was.value(p.key()) == p.value())
                continue;
            e.results.insert(p.key(), reducer.partitionResult(p.key()));
            e.changedPartitions.insert(p.key().toStdString());
        }
    } else if (after != e.state) {
        e.results.insert(QString(), reducer.partitionResult(QString()));
        e.changedPartitions.insert(std::string());
    }
    e.state = after;
    if (!faultReason.empty())
        fault(e, faultReason);
    return true;
}

void UserProjections::fault(Entry &e, const std::string &reason)
{
    e.phase = Phase::Faulted;
    e.reason = reason;
}

bool UserProjections::writeEmitted(Entry &e, const QJsonArray &emitted,
                                   const std::map<quint64, const RecordedEvent *> &causes, std::string *error)
{
    for (const QJsonValue &v : emitted) {
        const QJsonObject o = v.toObject();
        const std::string stream = o.value(QLatin1String("streamId")).toString().toStdString();
        if (stream.empty())
            continue;
        const QString kind = o.value(QLatin1String("kind")).toString();
        const auto cause = causes.find(quint64(o.value(QLatin1String("causedBy")).toDouble(-1)));
        const RecordedEvent *by = cause == causes.end() ? nullptr : cause->second;
        ProposedEvent event{QUuid::createUuid(), {}, true, {}, {}, 0};
        if (kind == QLatin1String("linkTo")) {
            event.type = "$>";
            event.isJson = false;
            event.data = o.value(QLatin1String("target")).toString().toStdString();
        } else if (kind == QLatin1String("linkStreamTo")) {
            event.type = "$@";
            event.isJson = false;
            event.data = o.value(QLatin1String("target")).toString().toStdString();
        } else {
            event.type = o.value(QLatin1String("eventType")).toString().toStdString();
            event.data = compactJson(o.value(QLatin1String("body")));
        }
        event.metadata = emittedMetadata(e.epoch, e.version, by, kind == QLatin1String("linkTo"),
                                         o.value(QLatin1String("metadata")).toObject());
        if (e.def.trackEmittedStreams && e.emittedStreams.insert(stream).second) {
            const WriteResult tracked = m_store.append(
                emittedStreamsStream(e.def.name), EventStore::Expected::Any, 0,
                {ProposedEvent{QUuid::createUuid(), "$StreamTracked", false, stream, {}, 0}});
            if (tracked.error) {
                *error = tracked.error.message;
                return false;
            }
        }
        const WriteResult w = m_store.append(stream, EventStore::Expected::Any, 0, {event});
        if (w.error) {
            *error = "cannot write to '" + stream + "': " + w.error.message;
            return false;
        }
    }
    return true;
}

} // namespace chronoscope::sandbox
