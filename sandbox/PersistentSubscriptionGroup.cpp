#include "PersistentSubscriptionGroup.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace chronoscope::sandbox {

namespace {

event_store::client::streams::ReadReq::Options::FilterOptions toReadFilter(const PersistentFilter &f)
{
    event_store::client::streams::ReadReq::Options::FilterOptions out;
    auto *expr = f.byStream ? out.mutable_stream_identifier() : out.mutable_event_type();
    expr->set_regex(f.regex);
    for (const std::string &p : f.prefixes)
        expr->add_prefix(p);
    return out;
}

/// A stable bucket for the pinned strategies (the server hashes the stream id, or the correlation id).
quint64 bucketOf(const std::string &key)
{
    const QByteArray h = QCryptographicHash::hash(QByteArray::fromStdString(key), QCryptographicHash::Md5);
    quint64 v = 0;
    for (int i = 0; i < 8; ++i)
        v = (v << 8) | quint8(h[i]);
    return v;
}

std::string correlationOf(const StoredRecord &r)
{
    const QJsonObject md = QJsonDocument::fromJson(QByteArray::fromStdString(r.metadata)).object();
    const QString id = md.value(QStringLiteral("$correlationId")).toString();
    return id.isEmpty() ? r.stream : id.toStdString();
}

} // namespace

PersistentSubscriptionGroup::PersistentSubscriptionGroup(EventStore &store, std::string stream, std::string group,
                                                         PersistentSettings settings, PersistentFilter filter)
    : m_store(store)
    , m_stream(std::move(stream))
    , m_group(std::move(group))
    , m_settings(std::move(settings))
    , m_filter(std::move(filter))
{
    if (isAll() && m_filter.isSet())
        m_matcher = std::make_unique<FilterMatcher>(toReadFilter(m_filter));
}

std::string PersistentSubscriptionGroup::checkpointStream() const
{
    return "$persistentsubscription-" + m_stream + "::" + m_group + "-checkpoint";
}

std::string PersistentSubscriptionGroup::parkedStream() const
{
    return "$persistentsubscription-" + m_stream + "::" + m_group + "-parked";
}

std::string PersistentSubscriptionGroup::positionText(std::optional<quint64> key) const
{
    if (!isAll())
        return key ? std::to_string(*key) : std::string("-1");
    const std::string p = key ? std::to_string(*key) : std::string("-1");
    return "C:" + p + "/P:" + p;
}

std::string PersistentSubscriptionGroup::startFromText() const
{
    return positionText(m_settings.startFrom);
}

void PersistentSubscriptionGroup::load()
{
    // The checkpoint is the last $SubscriptionCheckpoint event: a JSON string of the position.
    std::optional<quint64> checkpoint;
    const StreamView v = m_store.view(checkpointStream());
    if (v.state == StreamView::State::Present && v.hasEvents) {
        m_store.readStream(checkpointStream(), v.last, false, 1, [&](const StoredRecord &r) {
            const QJsonDocument doc = QJsonDocument::fromJson("[" + QByteArray::fromStdString(r.data) + "]");
            QString text = doc.array().at(0).toString();
            if (text.startsWith(QLatin1String("C:")))
                text = text.mid(2, text.indexOf(QLatin1Char('/')) - 2);
            bool ok = false;
            const quint64 key = text.toULongLong(&ok);
            if (ok)
                checkpoint = key;
        });
        m_checkpointMetadataWritten = true;
    }
    m_lastCheckpointKey = checkpoint;
    m_lastKnownKey = checkpoint;
    if (isAll()) {
        if (checkpoint) {
            // Resume after the checkpointed record.
            m_nextIndex = m_store.indexOfPosition(*checkpoint).value_or(m_store.logSize());
            if (m_nextIndex < m_store.logSize())
                ++m_nextIndex;
        } else if (!m_settings.startFrom) {
            m_nextIndex = m_store.logSize();
        } else {
            m_nextIndex = m_store.indexOfPosition(*m_settings.startFrom).value_or(0);
        }
    } else if (checkpoint) {
        m_nextRevision = *checkpoint + 1;
    } else if (!m_settings.startFrom) {
        const StreamView sv = m_store.view(m_stream);
        m_nextRevision = sv.hasEvents ? sv.last + 1 : 0;
    } else {
        m_nextRevision = *m_settings.startFrom;
    }
    m_lastCheckpointTime = std::chrono::steady_clock::now();
}

void PersistentSubscriptionGroup::pump(std::chrono::steady_clock::time_point now)
{
    std::vector<QUuid> expired;
    for (const auto &[id, f] : m_inFlight)
        if (f.deadline <= now)
            expired.push_back(id);
    for (const QUuid &id : expired) {
        std::optional<InFlight> taken;
        unflight(id, &taken);
        if (taken)
            retry(std::move(taken->message), true);
    }
    readSource();
    dispatch();
    tryCheckpoint(true, now);
}

void PersistentSubscriptionGroup::readSource()
{
    const size_t room = size_t(std::max(0, m_settings.historyBufferSize - int(m_buffer.size())));
    if (room == 0)
        return;
    const size_t batch = std::min(room, size_t(std::max(1, m_settings.readBatchSize)));
    std::vector<PersistentMessage> read;
    auto take = [&](const StoredRecord &r) {
        PersistentMessage m;
        if (r.type == "$>" && m_settings.resolveLinks) {
            const StoredRecord *target = m_store.resolveLinkLocked(r);
            if (!target)
                return; // a link to a deleted event is skipped, as a resolved read does
            m.event = *target;
            m.link = r;
        } else {
            m.event = r;
        }
        m.key = isAll() ? r.position : r.revision;
        read.push_back(std::move(m));
    };
    if (isAll()) {
        m_nextIndex = m_store.readLog(
            m_nextIndex, true, batch,
            [this](const StoredRecord &r) { return !hiddenFromAll(r) && (!m_matcher || m_matcher->matches(r)); },
            batch * 50, take);
        m_live = m_nextIndex >= m_store.logSize();
    } else {
        const size_t n = m_store.readStream(m_stream, m_nextRevision, true, batch, [&](const StoredRecord &r) {
            take(r);
            m_nextRevision = r.revision + 1;
        });
        const StreamView sv = m_store.view(m_stream);
        if (n == 0 && sv.hasEvents && m_nextRevision < sv.firstVisible)
            m_nextRevision = sv.firstVisible; // truncated: continue at the first visible event
        m_live = !sv.hasEvents || m_nextRevision > sv.last;
    }
    for (PersistentMessage &m : read) {
        m.sequence = m_nextSequence++;
        m_unfinished[m.sequence] = {false, m.key};
        m_lastKnownKey = m.key;
        m_buffer.push_back(std::move(m));
    }
}

std::shared_ptr<PersistentConsumer> PersistentSubscriptionGroup::pick(const PersistentMessage &m)
{
    std::vector<std::shared_ptr<PersistentConsumer>> active;
    for (const auto &c : m_consumers)
        if (!c->stopped)
            active.push_back(c);
    if (active.empty())
        return nullptr;
    const std::string &strategy = m_settings.consumerStrategy;
    if (strategy == "Pinned" || strategy == "PinnedByCorrelation") {
        const std::string key = strategy == "Pinned" ? m.event.stream : correlationOf(m.event);
        const auto &c = active[bucketOf(key) % active.size()];
        return c->available() > 0 ? c : nullptr;
    }
    if (strategy == "DispatchToSingle") {
        for (const auto &c : active)
            if (c->available() > 0)
                return c;
        return nullptr;
    }
    for (size_t i = 0; i < active.size(); ++i) { // RoundRobin
        const auto &c = active[(m_roundRobin + i) % active.size()];
        if (c->available() > 0) {
            m_roundRobin = (m_roundRobin + i + 1) % active.size();
            return c;
        }
    }
    return nullptr;
}

void PersistentSubscriptionGroup::dispatch()
{
    const auto deadline = [this] {
        return std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(0, m_settings.messageTimeoutMs));
    };
    const bool pinned = m_settings.consumerStrategy.rfind("Pinned", 0) == 0;
    for (std::deque<PersistentMessage> *queue : {&m_retry, &m_buffer}) {
        for (auto it = queue->begin(); it != queue->end();) {
            const auto consumer = pick(*it);
            if (!consumer) {
                if (!pinned)
                    return; // no capacity anywhere: keep the order
                ++it;
                continue;
            }
            ++consumer->inFlight;
            ++consumer->totalItems;
            ++m_totalItems;
            consumer->outbox.push_back(*it);
            consumer->wake.notify_all();
            const QUuid id = it->original().id;
            const auto timeout = m_settings.messageTimeoutMs > 0 ? deadline()
                                                                 : std::chrono::steady_clock::time_point::max();
            m_inFlight[id] = InFlight{std::move(*it), consumer, timeout};
            it = queue->erase(it);
        }
    }
}

void PersistentSubscriptionGroup::unflight(const QUuid &id, std::optional<InFlight> *taken)
{
    const auto it = m_inFlight.find(id);
    if (it == m_inFlight.end())
        return;
    if (it->second.consumer->inFlight > 0)
        --it->second.consumer->inFlight;
    if (taken)
        *taken = std::move(it->second);
    m_inFlight.erase(it);
}

void PersistentSubscriptionGroup::retry(PersistentMessage m, bool checkLimit)
{
    // PersistentSubscription.ActionTakenForRetriedMessage: at the max retry count it is parked.
    if (checkLimit && m.retryCount >= m_settings.maxRetryCount) {
        park(m, "Reached retry count of " + std::to_string(m_settings.maxRetryCount));
        return;
    }
    ++m.retryCount;
    m_retry.push_back(std::move(m));
}

void PersistentSubscriptionGroup::finish(const PersistentMessage &m)
{
    if (m.sequence < 0)
        return;
    const auto it = m_unfinished.find(m.sequence);
    if (it != m_unfinished.end())
        it->second.first = true;
}

ProposedEvent PersistentSubscriptionGroup::parkedLink(quint64 revision, const std::string &stream, qint64 sourceNumber,
                                                      const std::string &reason, const QDateTime &added)
{
    // PersistentSubscriptionMessageParker.BeginParkMessage: a $> link to the event, its metadata
    // the time, the reason and the event number in the subscription's source.
    QJsonObject md;
    md[QStringLiteral("added")] = added.toUTC().toString(Qt::ISODateWithMs);
    md[QStringLiteral("reason")] = QString::fromStdString(reason);
    md[QStringLiteral("subscriptionEventNumber")] = sourceNumber;
    ProposedEvent link;
    link.id = QUuid::createUuid();
    link.type = "$>";
    link.isJson = false;
    link.data = std::to_string(revision) + "@" + stream;
    link.metadata = QJsonDocument(md).toJson(QJsonDocument::Compact).toStdString();
    return link;
}

void PersistentSubscriptionGroup::park(const PersistentMessage &m, const std::string &reason)
{
    m_store.append(parkedStream(), EventStore::Expected::Any, 0,
                   {parkedLink(m.event.revision, m.event.stream, qint64(m.original().revision), reason,
                               QDateTime::currentDateTimeUtc())});
    finish(m);
}

void PersistentSubscriptionGroup::addConsumer(const std::shared_ptr<PersistentConsumer> &consumer)
{
    m_consumers.push_back(consumer);
}

void PersistentSubscriptionGroup::removeConsumer(const std::shared_ptr<PersistentConsumer> &consumer)
{
    m_consumers.erase(std::remove(m_consumers.begin(), m_consumers.end(), consumer), m_consumers.end());
    std::vector<QUuid> lost;
    for (const auto &[id, f] : m_inFlight)
        if (f.consumer == consumer)
            lost.push_back(id);
    for (const QUuid &id : lost) {
        std::optional<InFlight> taken;
        unflight(id, &taken);
        if (taken)
            retry(std::move(taken->message), false);
    }
}

void PersistentSubscriptionGroup::dropAll(PersistentConsumer::Drop why)
{
    for (const auto &c : m_consumers) {
        c->drop = why;
        c->wake.notify_all();
    }
}

void PersistentSubscriptionGroup::ack(const std::vector<QUuid> &ids)
{
    for (const QUuid &id : ids) {
        std::optional<InFlight> taken;
        unflight(id, &taken);
        if (taken)
            finish(taken->message);
    }
}

void PersistentSubscriptionGroup::nack(const std::vector<QUuid> &ids, NackAction action, const std::string &reason)
{
    for (const QUuid &id : ids) {
        if (action == NackAction::Stop)
            continue; // PersistentSubscription.StopSubscription does nothing: the message stays in flight
        std::optional<InFlight> taken;
        unflight(id, &taken);
        if (!taken)
            continue;
        switch (action) {
        case NackAction::Park: park(taken->message, "Client explicitly NAK'ed message.\n" + reason); break;
        case NackAction::Retry:
        case NackAction::Unknown: retry(std::move(taken->message), true); break;
        default: finish(taken->message); // Skip
        }
    }
}

void PersistentSubscriptionGroup::tryCheckpoint(bool timeCheck, std::chrono::steady_clock::time_point now)
{
    while (!m_unfinished.empty() && m_unfinished.begin()->second.first) {
        m_doneSequence = m_unfinished.begin()->first;
        m_doneKey = m_unfinished.begin()->second.second;
        m_unfinished.erase(m_unfinished.begin());
    }
    if (!m_doneKey)
        return;
    // PersistentSubscription.TryMarkCheckpoint: not before checkpointAfter unless maxCheckpointCount
    // is reached; on the timer at minCheckpointCount.
    const qint64 difference = m_doneSequence - m_lastCheckpointSequence;
    if (difference <= 0)
        return;
    const bool timeUp = now - m_lastCheckpointTime >= std::chrono::milliseconds(m_settings.checkpointAfterMs);
    if (!timeUp && difference < m_settings.maxCheckpointCount)
        return;
    if ((difference >= m_settings.minCheckpointCount && timeCheck) || difference >= m_settings.maxCheckpointCount) {
        m_lastCheckpointTime = now;
        m_lastCheckpointSequence = m_doneSequence;
        writeCheckpoint(*m_doneKey);
    }
}

ProposedEvent PersistentSubscriptionGroup::checkpointMetadataEvent()
{
    // PersistentSubscriptionCheckpointWriter.PublishMetadata: $maxCount 2, admins only.
    return ProposedEvent{
        QUuid::createUuid(),
        "$metadata",
        true,
        R"({"$maxCount":2,"$acl":{"$r":"$admins","$w":"$admins","$d":"$admins","$mr":"$all","$mw":"$admins"}})",
        {},
        0};
}

ProposedEvent PersistentSubscriptionGroup::checkpointEvent(const std::string &position)
{
    // PersistentSubscriptionCheckpointWriter.PublishCheckpoint: the position as a JSON string.
    return ProposedEvent{QUuid::createUuid(), "$SubscriptionCheckpoint", true, "\"" + position + "\"", {}, 0};
}

void PersistentSubscriptionGroup::writeCheckpoint(quint64 key)
{
    if (!m_checkpointMetadataWritten) {
        m_store.append("$$" + checkpointStream(), EventStore::Expected::Any, 0, {checkpointMetadataEvent()});
        m_checkpointMetadataWritten = true;
    }
    m_store.append(checkpointStream(), EventStore::Expected::Any, 0, {checkpointEvent(positionText(key))});
    m_lastCheckpointKey = key;
}

qint64 PersistentSubscriptionGroup::parkedCount() const
{
    const StreamView v = m_store.view(parkedStream());
    if (v.state != StreamView::State::Present || !v.hasEvents)
        return 0;
    return qint64(v.last) - qint64(v.firstVisible) + 1;
}

void PersistentSubscriptionGroup::replayParked(std::optional<qint64> stopAt)
{
    const StreamView v = m_store.view(parkedStream());
    if (v.state != StreamView::State::Present || !v.hasEvents)
        return;
    const qint64 end = qint64(v.last) + 1;
    const qint64 stop = stopAt ? std::min(*stopAt, end) : end;
    if (stop <= qint64(v.firstVisible))
        return;
    m_store.readStream(parkedStream(), v.firstVisible, true, size_t(stop - qint64(v.firstVisible)),
                       [&](const StoredRecord &r) {
                           const StoredRecord *target = m_store.resolveLinkLocked(r);
                           if (!target)
                               return;
                           PersistentMessage m;
                           m.event = *target;
                           m.link = r;
                           m.replayed = true;
                           m.key = r.revision;
                           m_retry.push_back(std::move(m));
                       });
    // PersistentSubscriptionMessageParker.BeginMarkParkedMessagesReprocessed: $tb on the parked stream.
    ProposedEvent meta{
        QUuid::createUuid(),
        "$metadata",
        true,
        "{\"$tb\":" + std::to_string(stop)
            + R"(,"$acl":{"$r":"$admins","$w":"$admins","$d":"$admins","$mr":"$admins","$mw":"$admins"}})",
        {},
        0};
    m_store.append("$$" + parkedStream(), EventStore::Expected::Any, 0, {meta});
}

void PersistentSubscriptionGroup::deleteStreams()
{
    for (const std::string &s : {checkpointStream(), parkedStream()})
        if (m_store.view(s).state == StreamView::State::Present)
            m_store.softDelete(s, EventStore::Expected::Any, 0);
}

std::string PersistentSubscriptionGroup::status() const
{
    return m_live && m_buffer.empty() ? "Live" : "Behind";
}

} // namespace chronoscope::sandbox
