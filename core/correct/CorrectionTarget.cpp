#include "correct/CorrectionTarget.h"

#include "client/StreamsClient.h"
#include "correct/CorrectorDetail.h"
#include "json/SchemaInference.h"
#include "script/ReducerFile.h"

#include <QJsonDocument>

#include <algorithm>
#include <functional>

namespace chronoscope {

namespace {

/// Events handed to add() at once while catching up: the reducer folds in batches anyway.
constexpr qsizetype kCatchUpBatch = 1000;

} // namespace

CorrectionTarget::CorrectionTarget(QByteArray stream, std::shared_ptr<const engine::ReducerFile> reducerFile,
                                   std::unique_ptr<engine::Reducer> reducer)
    : m_stream(std::move(stream)), m_reducerFile(std::move(reducerFile)), m_reducer(std::move(reducer))
{
    if (m_reducer)
        m_headState = m_reducer->state();
}

CorrectionTarget::~CorrectionTarget() = default;

ExpectedState CorrectionTarget::headExpected() const
{
    return m_head ? ExpectedState::at(*m_head) : ExpectedState::noStream();
}

QJsonValue CorrectionTarget::headState() const
{
    if (m_headStateStale && m_reducer) {
        // The reducer is at the head whenever the cached state is stale (apply() refreshes it first).
        m_headState = m_reducer->state();
        m_headStateStale = false;
    }
    return m_headState;
}

void CorrectionTarget::bringReducerToHead()
{
    if (!m_reducer || m_reducerAtHead)
        return;
    m_reducer->restore(m_headState);
    m_reducerAtHead = true;
}

QList<engine::FoldError> CorrectionTarget::add(const QList<RecordedEvent> &events)
{
    QList<engine::FoldError> errors;
    if (events.isEmpty())
        return errors;
    bringReducerToHead();
    std::vector<engine::FoldEvent> folds;
    folds.reserve(size_t(events.size()));
    for (const RecordedEvent &e : events) {
        const quint64 expected = m_head ? *m_head + 1 : 0;
        if (e.revision != expected) {
            errors.append(engine::FoldError{e.revision,
                                            QStringLiteral("event at revision %1 of %2 skipped: the head expects "
                                                           "revision %3 next")
                                                .arg(e.revision)
                                                .arg(QString::fromUtf8(m_stream))
                                                .arg(expected),
                                            -1, false});
            continue;
        }
        m_head = e.revision;
        ++m_count;
        QList<RecordedEvent> &examples = m_examples[e.type];
        examples.append(e);
        if (examples.size() > kExamplesPerType)
            examples.removeFirst();
        m_inferredCache.remove(e.type);
        if (m_typesByRecency.isEmpty() || m_typesByRecency.constFirst() != e.type) {
            m_typesByRecency.removeOne(e.type);
            m_typesByRecency.prepend(e.type);
        }
        folds.push_back(engine::FoldEvent{&e, nullptr, e.revision});
    }
    if (m_reducer && !folds.empty()) {
        const engine::FoldResult result = m_reducer->fold(folds.data(), qsizetype(folds.size()));
        errors += result.errors;
        m_headStateStale = true;
    }
    return errors;
}

CorrectionTarget::CatchUp CorrectionTarget::catchUp(const StreamsClient &client, const CancellationPtr &cancel,
                                                    const Progress &progress,
                                                    const std::optional<UserCredentials> &credentials)
{
    CatchUp out;
    // A target filled by add() (not loaded) reports what it reads as new: it knew a head before.
    const bool firstLoad = !m_loaded && m_count == 0;
    ReadRequest request = ReadRequest::forStream(m_stream);
    if (m_head)
        request.fromRevision(*m_head + 1);
    QList<RecordedEvent> batch;
    quint64 read = 0;
    auto flush = [&] {
        if (batch.isEmpty())
            return;
        add(batch);
        if (!firstLoad)
            out.newEvents += batch;
        batch.clear();
    };
    const ReadSummary summary = client.read(
        request,
        [&](ResolvedEvent &&resolved) {
            if (!resolved.event && !resolved.link)
                return true;
            batch.append(resolved.originalEvent());
            ++read;
            if (batch.size() >= kCatchUpBatch) {
                flush();
                if (progress)
                    progress(read);
            }
            return true;
        },
        cancel, credentials);
    flush();
    if (progress)
        progress(read);
    out.cancelled = cancel && cancel->isCancelled();
    switch (summary.error.kind) {
    case ClientError::Kind::None: break;
    case ClientError::Kind::StreamNotFound:
        // A stream that had events and now reads as not found was soft-deleted meanwhile.
        if (m_head) {
            out.deleted = true;
            m_deleted = true;
        }
        break;
    case ClientError::Kind::StreamDeleted:
        out.deleted = true;
        m_deleted = true;
        break;
    default: out.error = summary.error; break;
    }
    if (out.ok())
        m_loaded = true;
    return out;
}

QStringList CorrectionTarget::knownTypes() const
{
    QStringList out;
    out.reserve(m_typesByRecency.size());
    for (const QByteArray &type : m_typesByRecency)
        out.append(QString::fromUtf8(type));
    return out;
}

std::optional<RecordedEvent> CorrectionTarget::latestOfType(const QByteArray &type) const
{
    const auto it = m_examples.constFind(type);
    if (it == m_examples.constEnd() || it->isEmpty())
        return std::nullopt;
    return it->constLast();
}

std::optional<CorrectionTarget::TypeSchema> CorrectionTarget::schemaFor(const QByteArray &type) const
{
    const auto cached = m_inferredCache.constFind(type);
    if (cached != m_inferredCache.constEnd())
        return *cached;
    if (m_reducerFile) {
        const auto declared = m_reducerFile->schemas().constFind(type);
        if (declared != m_reducerFile->schemas().constEnd()) {
            TypeSchema s{engine::JsonSchema::compile(*declared), engine::JsonSchemaOrigin::Declared, 0};
            m_inferredCache.insert(type, s);
            return s;
        }
    }
    const auto examples = m_examples.constFind(type);
    if (examples == m_examples.constEnd())
        return std::nullopt;
    engine::SchemaInference inference;
    for (const RecordedEvent &e : *examples) {
        if (!e.isJson())
            continue;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(e.data, &error);
        if (error.error != QJsonParseError::NoError)
            continue;
        inference.add(doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()));
    }
    if (inference.exampleCount() == 0)
        return std::nullopt; // only binary or broken payloads: nothing to infer from
    TypeSchema s{inference.compile(), engine::JsonSchemaOrigin::Inferred, int(inference.exampleCount())};
    m_inferredCache.insert(type, s);
    return s;
}

CorrectionTarget::Applied CorrectionTarget::apply(const RecordedEvent &event, bool withAfter)
{
    Applied out;
    if (!m_reducer)
        return out;
    out.before = headState(); // before the reducer leaves the head
    bringReducerToHead();
    // A trial fold undoes itself in time that follows the change; without one, the reducer leaves
    // the head and the next use restores the whole state.
    const bool trial = m_reducer->beginTrial();
    const engine::FoldEvent fe{&event, nullptr, event.revision};
    const engine::FoldResult result = m_reducer->fold(&fe, 1);
    out.errors = result.errors;
    if (trial && m_reducer->endTrial(&out.changes)) {
        out.incremental = true;
        if (withAfter) {
            // Copies only the containers on the changed paths (a big map of them costs its size).
            out.after = correctdetail::withChanges(out.before, out.changes);
        }
        return out;
    }
    m_reducerAtHead = false;
    out.changes.clear();
    out.after = m_reducer->state();
    return out;
}

namespace correctdetail {

QJsonValue valueAt(const QJsonValue &root, const QJsonArray &path)
{
    QJsonValue v = root;
    for (const QJsonValue &segment : path) {
        if (segment.isString() && v.isObject()) {
            const QJsonObject o = v.toObject();
            const auto it = o.constFind(segment.toString());
            if (it == o.constEnd())
                return QJsonValue(QJsonValue::Undefined);
            v = *it;
        } else if (segment.isDouble() && v.isArray()) {
            const QJsonArray a = v.toArray();
            const qsizetype i = qsizetype(segment.toInteger(-1));
            if (i < 0 || i >= a.size())
                return QJsonValue(QJsonValue::Undefined);
            v = a.at(i);
        } else {
            return QJsonValue(QJsonValue::Undefined);
        }
    }
    return v;
}

QJsonValue withChange(const QJsonValue &root, const QJsonArray &path, const QJsonValue &after, qsizetype from)
{
    if (from >= path.size())
        return after;
    const QJsonValue segment = path.at(from);
    const bool last = from + 1 == path.size();
    if (segment.isDouble() && root.isArray()) {
        QJsonArray a = root.toArray();
        const qsizetype i = qsizetype(segment.toInteger(-1));
        if (i < 0)
            return root;
        if (last && after.isUndefined()) {
            if (i < a.size())
                a.removeAt(i);
            return a;
        }
        while (a.size() <= i)
            a.append(QJsonValue::Null);
        a.replace(i, withChange(a.at(i), path, after, from + 1));
        return a;
    }
    // An object member (a number key into a non-array is taken as its text, as JavaScript does).
    QJsonObject o = root.toObject();
    const QString key = segment.isString() ? segment.toString() : QString::number(segment.toInteger());
    if (last && after.isUndefined()) {
        o.remove(key);
        return o;
    }
    const QJsonValue child = o.value(key);
    o.insert(key, withChange(child, path, after, from + 1));
    return o;
}

namespace {

/// withChanges() below `depth`: `changes` all lead through `node`.
QJsonValue applyBelow(const QJsonValue &node, const QList<const engine::StateChange *> &changes, qsizetype depth)
{
    for (const engine::StateChange *c : changes) {
        if (c->path.size() == depth)
            return c->after; // replaces the whole node (outermost places only: nothing else is inside)
    }
    // Group by the next segment, so that each container on the way is copied once.
    QList<QJsonValue> order;
    QHash<QString, QList<const engine::StateChange *>> groups;
    for (const engine::StateChange *c : changes) {
        const QJsonValue segment = c->path.at(depth);
        const QString key = segment.isString() ? QLatin1Char('k') + segment.toString()
                                               : QLatin1Char('i') + QString::number(segment.toInteger());
        if (!groups.contains(key))
            order.append(segment);
        groups[key].append(c);
    }
    if (node.isArray()) {
        QJsonArray a = node.toArray();
        QList<qsizetype> removals;
        for (const QJsonValue &segment : std::as_const(order)) {
            if (!segment.isDouble())
                continue; // a key into an array: not a place JSON can have
            const qsizetype i = qsizetype(segment.toInteger(-1));
            const QJsonValue v = applyBelow(i < a.size() ? a.at(i) : QJsonValue(QJsonValue::Undefined),
                                            groups.value(QLatin1Char('i') + QString::number(i)), depth + 1);
            if (i < 0)
                continue;
            if (v.isUndefined()) {
                removals.append(i);
                continue;
            }
            while (a.size() <= i)
                a.append(QJsonValue::Null);
            a.replace(i, v);
        }
        std::sort(removals.begin(), removals.end(), std::greater<qsizetype>());
        for (const qsizetype i : std::as_const(removals)) {
            if (i < a.size())
                a.removeAt(i);
        }
        return a;
    }
    QJsonObject o = node.toObject();
    for (const QJsonValue &segment : std::as_const(order)) {
        // A number key into an object is taken as its text, as JavaScript does.
        const QString key = segment.isString() ? segment.toString() : QString::number(segment.toInteger());
        const QString groupKey = segment.isString() ? QLatin1Char('k') + key : QLatin1Char('i') + key;
        const auto it = o.constFind(key);
        const QJsonValue child = it == o.constEnd() ? QJsonValue(QJsonValue::Undefined) : *it;
        const QJsonValue v = applyBelow(child, groups.value(groupKey), depth + 1);
        if (v.isUndefined())
            o.remove(key);
        else
            o.insert(key, v);
    }
    return o;
}

} // namespace

QJsonValue withChanges(const QJsonValue &root, const QList<engine::StateChange> &changes)
{
    if (changes.isEmpty())
        return root;
    QList<const engine::StateChange *> all;
    all.reserve(changes.size());
    for (const engine::StateChange &c : changes)
        all.append(&c);
    return applyBelow(root, all, 0);
}

} // namespace correctdetail

} // namespace chronoscope
