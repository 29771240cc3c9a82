#include "readmodel/ReadModelLag.h"

#include "client/StreamsClient.h"
#include "readmodel/ReadModelCheckpoint.h"

namespace chronoscope::readmodel {

QString LagSample::toString() const
{
    if (checkpointError)
        return QStringLiteral("checkpoint: ") + checkpointError.toString();
    if (eventsError)
        return QStringLiteral("$all: ") + eventsError.toString();
    QString age = QString::number(secondsBehind, 'f', 1) + QStringLiteral(" s");
    if (secondsBehind >= 86400)
        age += QStringLiteral(" (%1 days)").arg(secondsBehind / 86400, 0, 'f', 1);
    else if (secondsBehind >= 3600)
        age += QStringLiteral(" (%1 h)").arg(secondsBehind / 3600, 0, 'f', 1);
    return QStringLiteral("%1%2 events, %3 behind")
        .arg(capped ? QStringLiteral("at least ") : QString(), QString::number(eventsBehind), age);
}

LagSample probeLag(const StreamsClient &client, ReadModelSource &source, qint64 nowMs, const LagOptions &options,
                   const CancellationPtr &cancel)
{
    LagSample s;
    s.atMs = nowMs;
    const CheckpointLookup lookup = source.readCheckpoint();
    if (lookup.error) {
        s.checkpointError = lookup.error;
        return s;
    }
    const CheckpointValue value = checkpointFromValue(lookup.raw);
    if (!value.error.isEmpty()) {
        s.checkpointError = ReadModelError{ReadModelError::Kind::BadRow, value.error, {}};
        return s;
    }
    s.nothingProcessed = value.none;
    s.checkpoint = value.none ? Position::start() : value.position;

    // The head: the last non-system event.
    const ReadFilter filter = ReadFilter::excludeSystemEvents();
    const ReadResult head = client.readAll(ReadRequest::forAll(Direction::Backwards).filtered(filter).count(1));
    if (head.error) {
        s.eventsError = head.error;
        return s;
    }
    if (!head.events.isEmpty())
        s.head = head.events.constFirst().originalEvent().position;

    // Every event after the checkpoint (a read from a position includes the event at it: skipped).
    ReadRequest after = ReadRequest::forAll().filtered(filter);
    if (!value.none)
        after.fromPosition(s.checkpoint);
    const ReadSummary read = client.read(
        after,
        [&](ResolvedEvent &&e) {
            const RecordedEvent &r = e.originalEvent();
            if (!value.none && !(s.checkpoint < r.position))
                return true;
            if (s.eventsBehind == 0)
                s.oldestUnprocessedMs = r.createdMsecsSinceEpoch();
            if (++s.eventsBehind >= options.maxCount) {
                s.capped = true;
                return false;
            }
            return true;
        },
        cancel);
    if (read.error) {
        s.eventsError = read.error;
        return s;
    }
    if (s.eventsBehind > 0)
        s.secondsBehind = std::max<qint64>(0, nowMs - s.oldestUnprocessedMs) / 1000.0;
    return s;
}

} // namespace chronoscope::readmodel
