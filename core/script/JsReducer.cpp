#include "script/JsReducer.h"

#include "script/EventBatchEncoder.h"

#include <QJsonDocument>

#include <algorithm>

namespace chronoscope::engine {

namespace {

QSet<QByteArray> toUtf8Set(const QJsonArray &a)
{
    QSet<QByteArray> set;
    for (const QJsonValue &v : a)
        set.insert(v.toString().toUtf8());
    return set;
}

QStringList toStringList(const QJsonArray &a)
{
    QStringList list;
    for (const QJsonValue &v : a)
        list.append(v.toString());
    return list;
}

} // namespace

JsReducer::JsReducer(const JsReducerOptions &options) : m_options(options)
{
    m_options.batchSize = std::max(1, m_options.batchSize);
}

JsReducer::~JsReducer() = default;

std::unique_ptr<JsReducer> JsReducer::create(const JsReducerOptions &options, ScriptError *error)
{
    std::unique_ptr<JsReducer> r(new JsReducer(options));
    ScriptError local;
    if (!r->load(error ? error : &local))
        return nullptr;
    return r;
}

bool JsReducer::load(ScriptError *error)
{
    m_engine.reset();
    QString startError;
    auto engine = ProjectionEngine::create(m_options.engine, &startError);
    if (!engine) {
        error->message = startError;
        return false;
    }
    ProjectionDefinition def;
    def.source = m_options.source;
    def.fileName = m_options.fileName;
    def.invariants = m_options.invariants;
    def.maxEmitted = m_options.maxEmitted;
    def.limits = m_options.limits;
    QByteArray info;
    if (!engine->load(def, &info, error))
        return false;
    const QJsonObject o = QJsonDocument::fromJson(info).object();
    const QJsonObject sources = o.value(QLatin1String("sources")).toObject();
    m_allStreams = sources.value(QLatin1String("allStreams")).toBool();
    m_streams = toStringList(sources.value(QLatin1String("streams")).toArray());
    m_categories = toStringList(sources.value(QLatin1String("categories")).toArray());
    m_streamSet = toUtf8Set(sources.value(QLatin1String("streams")).toArray());
    m_categorySet = toUtf8Set(sources.value(QLatin1String("categories")).toArray());
    m_handledTypes = toUtf8Set(o.value(QLatin1String("handledTypes")).toArray());
    m_any = o.value(QLatin1String("any")).toBool();
    m_partitioned = o.value(QLatin1String("partitioned")).toBool();
    m_byStream = o.value(QLatin1String("byStream")).toBool();
    m_outputState = o.value(QLatin1String("outputState")).toBool();
    m_projectionOptions = o.value(QLatin1String("options")).toObject();
    m_engine = std::move(engine);
    return true;
}

JsEngineKind JsReducer::engineKind() const
{
    return m_options.engine == JsEngineKind::Default ? ProjectionEngine::defaultKind() : m_options.engine;
}

QString JsReducer::engineName() const
{
    // Never loads: an engine belongs to the thread that folds, which need not be the caller's.
    return m_engine ? m_engine->engineName() : ProjectionEngine::kindName(engineKind());
}

bool JsReducer::ensureLoaded(FoldResult *result) const
{
    if (m_engine)
        return true;
    // A clone (or a reducer reset after a fatal error) builds its engine here, on the thread that uses it.
    ScriptError error;
    if (!const_cast<JsReducer *>(this)->load(&error)) {
        m_loadError = error.toString();
        if (result)
            result->errors.append(FoldError{0, QStringLiteral("cannot load the projection: ") + m_loadError, error.line, true});
        return false;
    }
    return true;
}

void JsReducer::reset()
{
    m_eventsSinceSizeCheck = 0;
    m_lastStateSize = 0;
    m_lastGoodCheck.reset();
    if (!m_fatal.isEmpty()) {
        // After an interrupt the engine's heap may hold anything: start from a fresh one.
        m_fatal.clear();
        m_engine.reset();
        return;
    }
    if (m_engine) {
        ScriptError error;
        m_engine->call("resetState", nullptr, &error);
    }
}

bool JsReducer::beginTrial()
{
    if (!m_fatal.isEmpty() || !ensureLoaded(nullptr))
        return false;
    ScriptError error;
    m_engine->call("beginTrial", nullptr, &error);
    return !error.isError();
}

bool JsReducer::endTrial(QList<StateChange> *changes)
{
    changes->clear();
    if (!m_fatal.isEmpty() || !m_engine)
        return false;
    ScriptError error;
    const QByteArray text = m_engine->call("endTrial", nullptr, &error, m_options.limits.serializeTimeLimitMs);
    if (error.isError())
        return false;
    const QJsonArray list = QJsonDocument::fromJson(text).array();
    for (const QJsonValue &item : list) {
        const QJsonObject o = item.toObject();
        StateChange c;
        c.path = o.value(QLatin1String("p")).toArray();
        if (!o.contains(QLatin1String("r")))
            c.after = o.value(QLatin1String("v"));
        changes->append(c);
    }
    return true;
}

void JsReducer::restore(const QJsonValue &state)
{
    reset();
    if (!ensureLoaded(nullptr))
        return;
    QByteArray text = QJsonDocument(QJsonArray{state}).toJson(QJsonDocument::Compact);
    text = text.mid(1, text.size() - 2); // the array brackets
    ScriptError error;
    m_engine->call("restoreJson", &text, &error, m_options.limits.serializeTimeLimitMs);
    if (error.isError())
        m_fatal = QStringLiteral("cannot restore the state: ") + error.toString();
}

bool JsReducer::selectsStream(const QByteArray &streamId) const
{
    return m_allStreams || m_streamSet.contains(streamId)
        || (!m_categorySet.isEmpty() && m_categorySet.contains(SystemStreams::categoryOf(streamId)));
}

bool JsReducer::selects(const RecordedEvent &event) const
{
    return selectsStream(event.streamId) && (m_any || m_handledTypes.contains(event.type));
}

QString JsReducer::describe(const FoldEvent &fe) const
{
    return QStringLiteral("event #%1 (%2 in %3)")
        .arg(QString::number(fe.index), QString::fromUtf8(fe.event->type), QString::fromUtf8(fe.event->streamId));
}

FoldResult JsReducer::fold(const FoldEvent *events, qsizetype count)
{
    FoldResult result;
    if (count <= 0)
        return result;
    if (!m_fatal.isEmpty())
        return FoldResult::refused(events[0].index, m_fatal);
    if (!ensureLoaded(&result)) {
        result.errors.last().index = events[0].index;
        return result;
    }
    if (!m_batch)
        m_batch = std::make_unique<EventBatchEncoder>();
    EventBatchEncoder &batch = *m_batch;
    batch.clear();
    qsizetype first = 0; // position in `events` of the first event of the pending batch
    for (qsizetype i = 0; i < count; ++i) {
        const FoldEvent &fe = events[i];
        if (!selects(*fe.event))
            continue;
        if (batch.isEmpty())
            first = i;
        QString problem;
        if (!batch.add(fe, &problem)) {
            result.errors.append(FoldError{fe.index, describe(fe) + QStringLiteral(": ") + problem
                                                         + QStringLiteral("; event skipped"), -1, false});
            continue;
        }
        if (batch.count() >= m_options.batchSize) {
            foldPacked(batch, events, first, i + 1, &result);
            batch.clear();
            if (result.stopped())
                break;
        }
    }
    if (!batch.isEmpty() && !result.stopped())
        foldPacked(batch, events, first, count, &result);
    if (!result.stopped()) {
        result.folded = quint64(count);
    } else {
        // Payload errors of events after the one that stopped the fold were never consumed: drop them.
        const FoldError fatal = result.errors.takeLast();
        result.errors.removeIf([&](const FoldError &e) { return e.index > fatal.index; });
        result.errors.append(fatal);
    }
    // C++ payload checks and script errors were collected separately: report them in event order.
    std::stable_sort(result.errors.begin(), result.errors.end(), [](const FoldError &a, const FoldError &b) {
        return a.fatal != b.fatal ? b.fatal : a.index < b.index;
    });
    return result;
}

void JsReducer::foldPacked(EventBatchEncoder &batch, const FoldEvent *events, qsizetype first, qsizetype last,
                           FoldResult *result)
{
    auto positionOf = [&](quint64 index) {
        for (qsizetype p = first; p < last; ++p) {
            if (events[p].index == index)
                return p;
        }
        return first;
    };
    BatchOutcome outcome = m_engine->foldBatch(batch);
    if (outcome.fatal.isError()) {
        // Interrupted (or broken runtime): name the event the script was busy with.
        const ScriptError &error = outcome.fatal;
        const double current = outcome.current;
        const qsizetype pos = current >= 0 ? positionOf(quint64(current)) : first;
        m_fatal = (current >= 0 ? describe(events[pos]) : QStringLiteral("$init")) + QStringLiteral(": ") + error.message;
        if (!error.interrupted && error.line > 0)
            m_fatal += QStringLiteral(" at %1:%2").arg(error.file).arg(error.line);
        result->folded = quint64(pos);
        result->errors.append(FoldError{events[pos].index, m_fatal, error.interrupted ? -1 : error.line, true});
        return;
    }
    for (const ScriptFoldError &e : outcome.errors) {
        QString message = describe(events[positionOf(e.index)]) + QStringLiteral(": ") + e.message;
        if (e.line > 0)
            message += QStringLiteral(" (%1:%2)").arg(m_options.fileName).arg(e.line);
        result->errors.append(FoldError{e.index, message, e.line > 0 ? e.line : -1, false});
    }
    m_eventsSinceSizeCheck += quint64(batch.count());
    checkStateSize(events[last - 1], result);
}

void JsReducer::checkStateSize(const FoldEvent &last, FoldResult *result)
{
    // Serialising the state costs time proportional to its size (V4: ~1 s for 20 MB): check once the events
    // folded since the last check would have paid for it (~16 characters per event), so the check stays a
    // small fraction of the fold. A state can thus overshoot the limit by what those events added.
    if (qint64(m_eventsSinceSizeCheck) * 16 < m_lastStateSize)
        return;
    m_eventsSinceSizeCheck = 0;
    // The state is checked between batches, so the blame goes to the events since the last good check.
    const QString since = m_lastGoodCheck ? QStringLiteral(" after #%1").arg(*m_lastGoodCheck) : QString();
    const QString where =
        QStringLiteral("the state (checked after %1; made so by an event%2 up to it)").arg(describe(last), since);
    ScriptError error;
    const QByteArray text = m_engine->call("stateJson", nullptr, &error, m_options.limits.serializeTimeLimitMs);
    if (error.isError()) {
        m_fatal = QStringLiteral("cannot serialise %1: %2").arg(where, error.message);
        result->errors.append(FoldError{last.index, m_fatal, error.line, true});
        return;
    }
    m_lastStateSize = text.size();
    if (m_lastStateSize > m_options.limits.stateLimitBytes) {
        m_fatal = QStringLiteral("%1 grew to %2 characters of JSON, over the state limit of %3")
                      .arg(where)
                      .arg(m_lastStateSize)
                      .arg(m_options.limits.stateLimitBytes);
        result->errors.append(FoldError{last.index, m_fatal, -1, true});
        return;
    }
    m_lastGoodCheck = last.index;
}

QJsonValue JsReducer::parseJson(const QByteArray &text) const
{
    // Wrapped in an array: QJsonDocument only parses objects and arrays at the top level.
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + text + ']', &pe);
    if (pe.error != QJsonParseError::NoError)
        return QJsonValue(QJsonValue::Undefined);
    return doc.array().at(0);
}

QJsonValue JsReducer::state() const
{
    if (!ensureLoaded(nullptr))
        return QJsonValue(QJsonValue::Undefined);
    ScriptError error;
    const QByteArray text = m_engine->call("stateJson", nullptr, &error, m_options.limits.serializeTimeLimitMs);
    return error.isError() ? QJsonValue(QJsonValue::Undefined) : parseJson(text);
}

QJsonValue JsReducer::result() const
{
    if (!ensureLoaded(nullptr))
        return QJsonValue(QJsonValue::Undefined);
    ScriptError error;
    const QByteArray text = m_engine->call("resultJson", nullptr, &error, m_options.limits.serializeTimeLimitMs);
    return error.isError() ? QJsonValue(QJsonValue::Undefined) : parseJson(text);
}

QJsonObject JsReducer::emittedObject() const
{
    if (!m_engine)
        return {};
    ScriptError error;
    const QByteArray text = m_engine->call("emittedJson", nullptr, &error, m_options.limits.serializeTimeLimitMs);
    return error.isError() ? QJsonObject() : parseJson(text).toObject();
}

QJsonArray JsReducer::takeEmitted()
{
    if (!m_engine)
        return {};
    ScriptError error;
    const QByteArray text = m_engine->call("takeEmittedJson", nullptr, &error, m_options.limits.serializeTimeLimitMs);
    return error.isError() ? QJsonArray() : parseJson(text).toObject().value(QLatin1String("emitted")).toArray();
}

QJsonValue JsReducer::partitionResult(const QString &partition) const
{
    if (!ensureLoaded(nullptr))
        return QJsonValue(QJsonValue::Undefined);
    ScriptError error;
    const QByteArray key = partition.toUtf8();
    const QByteArray text = m_engine->call("partitionResultJson", &key, &error, m_options.limits.serializeTimeLimitMs);
    return error.isError() || text.isEmpty() ? QJsonValue(QJsonValue::Undefined) : parseJson(text);
}

QJsonArray JsReducer::emitted() const
{
    return emittedObject().value(QLatin1String("emitted")).toArray();
}

qint64 JsReducer::emittedDropped() const
{
    return qint64(emittedObject().value(QLatin1String("dropped")).toDouble());
}

QStringList JsReducer::logs() const
{
    return toStringList(emittedObject().value(QLatin1String("logs")).toArray());
}

QString JsReducer::partitionKey(const RecordedEvent &event, ScriptError *error)
{
    if (!m_partitioned)
        return QStringLiteral("");
    if (m_byStream)
        return QString::fromUtf8(event.streamId);
    ScriptError local;
    ScriptError *err = error ? error : &local;
    if (!ensureLoaded(nullptr)) {
        err->message = m_loadError;
        return {};
    }
    return m_engine->partitionKeyOf(event, err);
}

std::unique_ptr<Reducer> JsReducer::clone() const
{
    std::unique_ptr<JsReducer> copy(new JsReducer(m_options));
    // Same definition, no engine yet: it is built on first use, on the thread that folds.
    copy->m_allStreams = m_allStreams;
    copy->m_streams = m_streams;
    copy->m_categories = m_categories;
    copy->m_streamSet = m_streamSet;
    copy->m_categorySet = m_categorySet;
    copy->m_handledTypes = m_handledTypes;
    copy->m_any = m_any;
    copy->m_partitioned = m_partitioned;
    copy->m_byStream = m_byStream;
    copy->m_outputState = m_outputState;
    copy->m_projectionOptions = m_projectionOptions;
    return copy;
}

} // namespace chronoscope::engine
