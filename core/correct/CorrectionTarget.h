#pragma once

#include "base/Cancellation.h"
#include "connection/ConnectionSettings.h"
#include "json/JsonSchema.h"
#include "model/ClientError.h"
#include "model/Reducer.h"
#include "model/Types.h"

#include <QHash>
#include <QJsonValue>
#include <QList>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace chronoscope {

class StreamsClient;

namespace engine {
class ReducerFile;
}

/// The stream a correction goes to, as of the revision the user inspected: its head revision, the
/// state folded to the head (with the reducer file's reducer, when there is one), the event types it
/// holds and recent examples of each (for inferred schemas and templates). It does not keep the
/// stream's events: a million-event stream costs its state and the examples.
///
/// Not thread-safe: one thread at a time (the GUI keeps it in a worker, the CLI uses it directly).
class CorrectionTarget
{
public:
    /// Recent events kept per type: examples for an inferred schema and for "like this" templates.
    static constexpr int kExamplesPerType = 200;

    /// `reducerFile` (may be null: then no state, no invariants, schemas inferred only) gives the
    /// schemas and invariants; `reducer` is the reducer built from it (null without one).
    CorrectionTarget(QByteArray stream, std::shared_ptr<const engine::ReducerFile> reducerFile,
                     std::unique_ptr<engine::Reducer> reducer);
    ~CorrectionTarget();
    CorrectionTarget(const CorrectionTarget &) = delete;
    CorrectionTarget &operator=(const CorrectionTarget &) = delete;

    const QByteArray &stream() const { return m_stream; }
    const engine::ReducerFile *reducerFile() const { return m_reducerFile.get(); }
    bool hasReducer() const { return m_reducer != nullptr; }

    /// Folds events of this stream, in order, onto the head (each must be the revision after the
    /// head). Returns the fold errors of these events (the head's state keeps going past them).
    QList<engine::FoldError> add(const QList<RecordedEvent> &events);

    struct CatchUp
    {
        QList<RecordedEvent> newEvents; ///< the events read after the previous head, in order
        ClientError error;              ///< StreamNotFound is not an error here (the head stays "no stream")
        bool cancelled = false;
        bool deleted = false; ///< the stream is deleted or tombstoned
        bool ok() const { return error.kind == ClientError::Kind::None && !cancelled; }
    };
    using Progress = std::function<void(quint64 eventsRead)>;
    /// Reads the stream from after the head to its end and add()s what it finds (the first call
    /// loads the whole stream). newEvents is kept only for catch-ups after the first load (the
    /// events someone appended meanwhile, to show on a conflict); the first load leaves it empty.
    CatchUp catchUp(const StreamsClient &client, const CancellationPtr &cancel = nullptr, const Progress &progress = {},
                    const std::optional<UserCredentials> &credentials = std::nullopt);

    /// The head: none while the stream does not exist.
    std::optional<quint64> headRevision() const { return m_head; }
    /// What an append pinned to this head expects: the revision, or NoStream.
    ExpectedState headExpected() const;
    bool isDeleted() const { return m_deleted; }
    quint64 eventCount() const { return m_count; }

    /// The state folded to the head (null without a reducer).
    QJsonValue headState() const;

    /// Event types seen in the stream, most recent first.
    QStringList knownTypes() const;
    /// The latest event of a type, if the stream has one.
    std::optional<RecordedEvent> latestOfType(const QByteArray &type) const;
    /// The data schema for a type: the reducer file's (origin Declared) when it declares one, else
    /// inferred from the kept examples (origin Inferred); none for an unseen type without one.
    struct TypeSchema
    {
        engine::JsonSchema schema;
        engine::JsonSchemaOrigin origin = engine::JsonSchemaOrigin::Declared;
        int examples = 0; ///< Inferred: how many events it was inferred from
    };
    std::optional<TypeSchema> schemaFor(const QByteArray &type) const;

    /// The state after folding `event` onto the head, and the fold's errors (handler errors and
    /// invariant violations). The head itself is unchanged. Without a reducer: no state, no errors.
    struct Applied
    {
        QJsonValue before;
        QJsonValue after;
        QList<engine::FoldError> errors;
        /// When the reducer folded it as a trial (Reducer::beginTrial): the places that changed,
        /// outermost only; `after` is `before` with these applied. Empty otherwise.
        QList<engine::StateChange> changes;
        bool incremental = false; ///< `changes` says everything that changed
    };
    /// `withAfter` false: `after` is left Undefined when the fold was a trial (`changes` says what
    /// changed): validation as the user types needs only the errors.
    Applied apply(const RecordedEvent &event, bool withAfter = true);

private:
    /// Restores the head's state into the reducer after apply() folded a hypothetical event.
    void bringReducerToHead();

    QByteArray m_stream;
    std::shared_ptr<const engine::ReducerFile> m_reducerFile;
    std::unique_ptr<engine::Reducer> m_reducer;
    bool m_reducerAtHead = true; ///< false after apply() folded a hypothetical event
    std::optional<quint64> m_head;
    bool m_deleted = false;
    bool m_loaded = false;
    quint64 m_count = 0;
    mutable QJsonValue m_headState;
    mutable bool m_headStateStale = false;              ///< add() folded events: state() is read when asked for
    QHash<QByteArray, QList<RecordedEvent>> m_examples; ///< per type, oldest first, at most kExamplesPerType
    QList<QByteArray> m_typesByRecency;
    mutable QHash<QByteArray, TypeSchema> m_inferredCache;
};

} // namespace chronoscope
