#pragma once
// Pieces of the Corrector shared by its source files (validation and the append path); not an API.
#include "correct/Corrector.h"
#include "correct/DraftValidation.h"
#include "correct/EventDraft.h"
#include "model/Reducer.h"
#include "model/Types.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QMutex>
#include <QSet>
#include <QStringList>
#include <QUuid>

namespace chronoscope {

class CorrectionTarget;

struct Corrector::Attempted
{
    QMutex mutex;
    QSet<QUuid> ids;
    /// Remembers `id`; returns whether it was there already.
    bool remember(const QUuid &id)
    {
        QMutexLocker lock(&mutex);
        if (ids.contains(id))
            return true;
        ids.insert(id);
        return false;
    }
};

namespace correctdetail {

/// The metadata keys the Corrector sets itself: custom metadata may not set them.
QStringList reservedMetadataKeys();
/// A fold error of the draft's event as a finding: an invariant violation names the invariant;
/// anything else is the reducer failing on the event.
DraftIssue issueFromFoldError(const engine::FoldError &error);
/// The value at `path` (keys and array indices, as in engine::StateChange) of `root`; Undefined
/// when there is none.
QJsonValue valueAt(const QJsonValue &root, const QJsonArray &path);
/// `root` with the value at `path` (from `from` on) replaced by `after`, or removed when it is
/// Undefined. Only the containers on the path are copied (the rest stays shared).
QJsonValue withChange(const QJsonValue &root, const QJsonArray &path, const QJsonValue &after, qsizetype from = 0);
/// `root` with all of `changes` (outermost places, as a trial fold reports them) applied, each
/// container on the way copied once.
QJsonValue withChanges(const QJsonValue &root, const QList<engine::StateChange> &changes);
/// The draft as the event it would be, at the revision after the target's head.
RecordedEvent eventFor(const EventDraft &draft, const CorrectionTarget &target, const QByteArray &data,
                       const QByteArray &metadata);

} // namespace correctdetail
} // namespace chronoscope
