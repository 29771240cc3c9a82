#pragma once

#include "model/Reducer.h"
#include "script/ProjectionEngine.h"
#include "script/ScriptError.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QStringList>

namespace chronoscope::engine {

class EventBatchEncoder;

struct JsReducerOptions
{
    QString name = QStringLiteral("javascript");
    QString source;                                 ///< the projection, in the EventStoreDB projection language
    QString fileName = QStringLiteral("projection.js"); ///< errors say "<fileName>:<line>"
    ScriptLimits limits;
    int batchSize = 1000;       ///< events per call into the engine
    int maxEmitted = 100000;    ///< emit()/linkTo() calls recorded; more are counted, not kept
    QList<JsInvariant> invariants;
    /// Which engine runs the projection. Default: SpiderMonkey where built in (the fast one), else QJSEngine.
    JsEngineKind engine = JsEngineKind::Default;
};

/// Runs an EventStoreDB projection (fromStream / fromStreams / fromCategory / fromAll, .when({...}),
/// foreachStream, partitionBy, outputState, transformBy / filterBy, $init, $initShared, $any, emit,
/// linkTo, copyTo, linkStreamTo, options, log) over events in a sandboxed JavaScript engine
/// (SpiderMonkey or QJSEngine, see JsReducerOptions::engine and ProjectionEngine): both run the same
/// projection_runtime.js, so the semantics below do not depend on the engine.
///
/// Semantics, as on the server:
/// - `$any` runs for every selected event, then the handler named by the event type (if any);
/// - a handler returning undefined keeps the (mutated) state, any other value replaces it;
/// - with `$initShared` a handler receives `[state, shared]` and may return a new pair;
/// - partitionBy returning null/undefined skips the event.
/// The event `e`: body / data (parsed JSON, null for non-JSON), bodyRaw, isJson, eventType, streamId,
/// sequenceNumber, eventId, category, partition, metadata / metadataRaw, linkMetadata / linkMetadataRaw.
///
/// State shape (state()/restore()):
/// - not partitioned: the projection's state; with $initShared `{"$state": state, "$shared": shared}`;
/// - foreachStream / partitionBy: an object keyed by partition (the stream name for foreachStream)
///   holding each partition's state, plus `"$shared"` when $initShared is defined.
///
/// Errors: a handler exception or an invariant violation is a non-fatal FoldError naming the event and
/// the script line; a runaway script (time limit), memory growth over the limit or a state over the
/// state limit is fatal and the reducer refuses to fold until reset()/restore().
class JsReducer : public Reducer
{
public:
    /// Loads the projection (syntax errors carry their line). Returns null and sets `error` on failure.
    static std::unique_ptr<JsReducer> create(const JsReducerOptions &options, ScriptError *error);
    ~JsReducer() override;

    QString name() const override { return m_options.name; }
    /// The engine this reducer runs in (Default resolved), and its name with version once it is loaded
    /// (before that, the kind's name).
    JsEngineKind engineKind() const;
    QString engineName() const;
    void reset() override;
    void restore(const QJsonValue &state) override;
    FoldResult fold(const FoldEvent *events, qsizetype count) override;
    QJsonValue state() const override;
    std::unique_ptr<Reducer> clone() const override;
    /// Trial folds: the runtime reaches the state through proxies that log every write (see
    /// projection_runtime.js beginTrial/endTrial), so undoing costs what the folds changed.
    bool beginTrial() override;
    bool endTrial(QList<StateChange> *changes) override;

    /// Whether the projection's source (fromStream, fromCategory, …) selects events of this stream.
    bool selectsStream(const QByteArray &streamId) const;
    /// Whether the event reaches a handler: selected stream and a handler for its type (or $any).
    bool selects(const RecordedEvent &event) const;
    /// The partition the event folds into (foreachStream: the stream; partitionBy: its result),
    /// an empty string for a non-partitioned projection, a null QString when partitionBy skips it.
    QString partitionKey(const RecordedEvent &event, ScriptError *error = nullptr);

    bool isPartitioned() const { return m_partitioned; }
    bool isByStream() const { return m_byStream; }
    bool outputsState() const { return m_outputState; }
    QStringList sourceStreams() const { return m_streams; }
    QStringList sourceCategories() const { return m_categories; }
    bool sourceIsAll() const { return m_allStreams; }
    QJsonObject projectionOptions() const { return m_projectionOptions; }

    /// The state through transformBy/filterBy (what the server shows as the result).
    QJsonValue result() const;
    /// emit/linkTo/copyTo/linkStreamTo calls since the last reset, in order:
    /// {kind, streamId, eventType?, body?, target?, metadata?, causedBy: event index}.
    QJsonArray emitted() const;
    /// The emit calls (as emitted()) since the last take or reset, forgotten by the runtime: for a
    /// server that writes them as it folds.
    QJsonArray takeEmitted();
    /// One partition's result (the whole state's when not partitioned) through transformBy/filterBy;
    /// Undefined when the partition has no state.
    QJsonValue partitionResult(const QString &partition) const;
    /// How many emits were not kept because of maxEmitted.
    qint64 emittedDropped() const;
    /// Lines passed to log().
    QStringList logs() const;

private:
    explicit JsReducer(const JsReducerOptions &options);
    bool load(ScriptError *error);
    bool ensureLoaded(FoldResult *result) const;
    void foldPacked(EventBatchEncoder &batch, const FoldEvent *events, qsizetype first, qsizetype last,
                    FoldResult *result);
    void checkStateSize(const FoldEvent &last, FoldResult *result);
    QString describe(const FoldEvent &event) const;
    QJsonValue parseJson(const QByteArray &text) const;
    QJsonObject emittedObject() const;

    JsReducerOptions m_options;
    mutable std::unique_ptr<ProjectionEngine> m_engine; // created lazily on the folding thread (see clone())
    std::unique_ptr<EventBatchEncoder> m_batch; // reused between calls: its buffers keep their capacity
    mutable QString m_loadError;
    QString m_fatal; ///< set after a fatal error until reset()/restore()

    bool m_allStreams = false;
    QStringList m_streams, m_categories;
    QSet<QByteArray> m_streamSet, m_categorySet, m_handledTypes;
    bool m_any = false, m_partitioned = false, m_byStream = false, m_outputState = false;
    QJsonObject m_projectionOptions;
    quint64 m_eventsSinceSizeCheck = 0;
    qint64 m_lastStateSize = 0;
    /// The last event after which the state serialised within its limit (none: not checked yet),
    /// so a state that breaks between two checks is blamed on the events in between.
    std::optional<quint64> m_lastGoodCheck;
};

} // namespace chronoscope::engine
