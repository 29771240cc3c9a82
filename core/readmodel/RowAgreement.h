#pragma once

#include "readmodel/ReadModelMapping.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <atomic>
#include <optional>

namespace chronoscope::engine {
class FoldEngine;
}

namespace chronoscope::readmodel {

/// One path where the fold at the head and the row disagree, and the last point where that path alone agreed.
struct PathAgreement
{
    QString path;                           ///< as JsonPath::display() shows it ("/state/currency")
    QJsonValue fold{QJsonValue::Undefined}; ///< the fold's value at the head (Undefined: the fold has none)
    QJsonValue row{QJsonValue::Undefined};  ///< the row's value
    /// Events folded into the last state whose value here equals the row's (0 = the initial state); none when
    /// no state of the stream ever had the row's value here.
    std::optional<quint64> lastEqualCount;
};

/// "Since which event do the fold and the read model's row disagree?" (issue 14, docs/READ-MODELS.md).
///
/// Definition: the fold after `n` events (n = 0 … size, 0 the initial state) is compared with the row through
/// the mapping (foldShape vs rowShape, as the drift scan does). `lastEqualCount` is the LAST n whose state
/// equals the row. The event at ordinal `lastEqualCount` is then the one since which they disagree: the row is
/// what the state was just before it, and no state from it on equals the row again. A read model that stopped
/// or skipped an event lands exactly there. Taking the last equal point (not the first) keeps events that did
/// not touch the mapped fields on the agreeing side.
struct AgreementResult
{
    enum class Verdict {
        Equal,  ///< the fold at the head equals the row: no disagreement
        Since,  ///< they disagree since the event at ordinal `*lastEqualCount`
        Never,  ///< no state of the stream, not even the initial one, equals the row
        Failed, ///< the fold could not be computed (`error`), or it was cancelled
    };
    Verdict verdict = Verdict::Failed;
    quint64 size = 0;                       ///< events in the timeline (the head is the state after all of them)
    std::optional<quint64> lastEqualCount;  ///< the last n whose state equals the row (size when Equal)
    std::optional<quint64> firstEqualCount; ///< the first such n (equal states may span several events)
    /// The ordinal of the event since which they disagree (= lastEqualCount); none unless Verdict::Since.
    std::optional<quint64> sinceOrdinal() const { return verdict == Verdict::Since ? lastEqualCount : std::nullopt; }
    QList<PathAgreement> paths; ///< the paths that differ at the head, each with its own last agreement
    QJsonObject headShape;      ///< the fold at the head, cut to the mapping and coerced
    QStringList problems;       ///< values that did not coerce (fold side), as the drift scan lists them
    quint64 evaluations = 0;    ///< states compared
    QString error;
    bool cancelled = false;
};

/// Finds where a fold and a read-model row part ways, with the fold/bisect machinery of core/fold: the
/// head from the engine's checkpoints, then TimelineQueries' bisect in its linear mode over every state.
/// Equality with a row is not monotone (a status can come back to an earlier value), so a binary search over
/// the checkpoints could answer a wrong event; the linear pass gives the exact one. An aggregate's stream is
/// short (tens to hundreds of events), so it costs one fold of it.
///
/// Blocking and not thread-safe (the engine's thread); `cancel` may be set from any thread.
class RowAgreement
{
public:
    /// `rowShape` is the row already through the mapping (transform, then ReadModelMapping::rowShape()).
    static AgreementResult find(engine::FoldEngine &engine, const ReadModelMapping &mapping,
                                const QJsonObject &rowShape, const std::atomic<bool> *cancel = nullptr,
                                const QString &aggregateId = {});

    /// The paths where `foldShape` and `rowShape` differ, with both values (the diff pane's and the report's view).
    static QList<PathAgreement> differences(const QJsonObject &foldShape, const QJsonObject &rowShape);
};

} // namespace chronoscope::readmodel
