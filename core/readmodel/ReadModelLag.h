#pragma once

#include "base/Cancellation.h"
#include "model/ClientError.h"
#include "model/Types.h"
#include "readmodel/ReadModelSource.h"

#include <QMetaType>
#include <QString>

namespace chronoscope {
class StreamsClient;
}

namespace chronoscope::readmodel {

/// How far a read model's projector is behind the event store, at one moment (issue 14 item 5).
struct LagSample
{
    qint64 atMs = 0;               ///< when it was taken (UTC ms)
    bool nothingProcessed = false; ///< no checkpoint yet (no row, no key, NULL): every event is unprocessed
    Position checkpoint;           ///< the read model's checkpoint
    Position head;                 ///< the last event of `$all` (system events left out)
    quint64 eventsBehind = 0;      ///< events of `$all` after the checkpoint (system events left out)
    bool capped = false;           ///< counting stopped at LagOptions::maxCount: at least eventsBehind
    /// Age of the oldest unprocessed event: now − its created time, in seconds; 0 when caught up.
    double secondsBehind = 0;
    qint64 oldestUnprocessedMs = 0; ///< its created time (0 when caught up)
    ReadModelError checkpointError; ///< the checkpoint could not be read, or is not a position
    ClientError eventsError;        ///< `$all` could not be read
    bool ok() const { return !checkpointError && !eventsError; }
    /// "1 204 events, 3.2 s behind" or the error.
    QString toString() const;
};

struct LagOptions
{
    quint64 maxCount = 1000000; ///< events counted at most per sample (a far-behind projector is "at least")
};

/// The lag probe: reads the checkpoint through the source (ReadModelSource::readCheckpoint, the mapping's
/// "checkpoint"), then counts the events of `$all` after it, server-side filtered to leave out system events
/// (`$`-types: links of system projections, metadata), as a projector subscribed to `$all` with the usual filter
/// sees them. Blocking: run it on a worker thread. `nowMs` is the time the age is measured against.
LagSample probeLag(const StreamsClient &client, ReadModelSource &source, qint64 nowMs, const LagOptions &options = {},
                   const CancellationPtr &cancel = nullptr);

} // namespace chronoscope::readmodel

Q_DECLARE_METATYPE(chronoscope::readmodel::LagSample)
