#pragma once

#include "model/Reducer.h"
#include "script/ScriptError.h"

#include <QList>
#include <QSet>

namespace chronoscope::engine {

/// One upcaster: rewrites the data of `eventType` events at `version` to `toVersion`.
/// `source` is a JavaScript function expression `(data, metadata) => newData` (data and metadata parsed).
struct UpcasterSpec
{
    QByteArray eventType;
    int version = 1;
    int toVersion = 2;
    /// Where an event's version is read: "metadata.<field>" or "data.<field>" (dotted paths allowed).
    QString versionFrom = QStringLiteral("metadata.schemaVersion");
    int defaultVersion = 1; ///< when that field is absent
    QString source;
    QString fileName = QStringLiteral("upcaster.js"); ///< errors say "<fileName>:<line>"
};

/// A Reducer decorator that upcasts old payloads before the wrapped reducer sees them. Upcasters chain:
/// after v1→v2 the event is at version 2 and a v2→v3 upcaster (if any) runs next. The metadata is passed
/// through unchanged. Only JSON events of a type with upcasters cross into the script engine.
///
/// Errors: an upcaster that throws, returns undefined or loops (more than 32 steps) gives a non-fatal
/// FoldError naming the event and the upcaster's line; the event is then folded with its original data
/// (documented fallback: nothing is dropped silently). A runaway upcaster is fatal, as in JsReducer.
class UpcastingReducer : public Reducer
{
public:
    static std::unique_ptr<UpcastingReducer> create(std::unique_ptr<Reducer> inner, const QList<UpcasterSpec> &upcasters,
                                                    const ScriptLimits &limits, ScriptError *error);
    ~UpcastingReducer() override;

    QString name() const override { return m_inner->name(); }
    void reset() override;
    void restore(const QJsonValue &state) override { m_fatal.clear(); m_inner->restore(state); }
    FoldResult fold(const FoldEvent *events, qsizetype count) override;
    QJsonValue state() const override { return m_inner->state(); }
    std::unique_ptr<Reducer> clone() const override;
    bool beginTrial() override { return m_fatal.isEmpty() && m_inner->beginTrial(); }
    bool endTrial(QList<StateChange> *changes) override
    {
        const bool ended = m_inner->endTrial(changes);
        return ended && m_fatal.isEmpty();
    }

    Reducer *inner() const { return m_inner.get(); }
    const QList<UpcasterSpec> &upcasters() const { return m_specs; }

    /// Upcasts one event's data (for previews and the event composer). Returns the data unchanged when no
    /// upcaster applies; sets `error` when one fails.
    QByteArray upcast(const RecordedEvent &event, ScriptError *error);

private:
    UpcastingReducer(std::unique_ptr<Reducer> inner, const QList<UpcasterSpec> &upcasters, const ScriptLimits &limits);
    bool load(ScriptError *error);

    struct Engine;
    std::unique_ptr<Engine> m_engine; // built lazily on the folding thread
    std::unique_ptr<Reducer> m_inner;
    QList<UpcasterSpec> m_specs;
    ScriptLimits m_limits;
    QSet<QByteArray> m_types;
    QString m_fatal;
};

} // namespace chronoscope::engine
