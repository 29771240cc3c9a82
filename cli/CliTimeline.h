#pragma once

#include "model/ClientError.h"
#include "model/Reducer.h"
#include "model/Types.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace chronoscope::engine {
class TimelineSource;
class TimelineIndex;
class PayloadCache;
} // namespace chronoscope::engine

namespace chronoscope::cli {

class CommandLine;
class Output;

/// A point of a timeline, as every command spells it: `@N` (right after the event at revision N),
/// an ISO 8601 time (after every event created at or before it: the longest prefix of the timeline
/// with no event created later, as TimelineIndex::firstAfter means it), or `head` (after the last).
struct TimelinePoint
{
    enum class Kind { Head, Revision, Time };
    Kind kind = Kind::Head;
    quint64 revision = 0;
    qint64 ticks = 0; ///< 100 ns since the Unix epoch
    QString text;     ///< as given

    /// Parses `text`; none with `error` set ("--at: …").
    static std::optional<TimelinePoint> parse(const QString &option, const QString &text, QString *error);
    /// An ISO 8601 time (`2026-08-30T12:00:00Z`, `…+02:00`, a date alone = its midnight UTC) in ticks.
    static std::optional<qint64> parseTime(const QString &text);
    static QString timeText(qint64 ticks);
    QJsonObject toJson() const;
    QString describe() const;
};

/// Where a command's events come from: a TimelineSource (core/timeline/TimelineSource.h), the
/// same seam the window loads through. A server's stream or `$all` today (ServerTimelineSource);
/// an offline archive is one more source opened here.
struct TimelineInput
{
    std::shared_ptr<engine::TimelineSource> source;
    QString stream;      ///< as named on the command line (`$all` included)
    QString description; ///< "order-7 on esdb://127.0.0.1:2113?tls=false" (redacted), for messages
    /// For stderr before the result: an archive that is damaged (what is read of it), or signed (by whom).
    QString warning;
    bool isAll() const;

    /// Reads `--stream` and the connection options (which this command line must have added), or
    /// `--archive <file>` (when added and given: an ArchiveTimelineSource, offline, no connection).
    /// None with `error` set when there is nothing usable.
    static std::optional<TimelineInput> open(const CommandLine &line, QString *error);
};

/// One identity of an event, as the results print it (no payloads).
QJsonObject eventIdentity(const RecordedEvent &event, bool withStream);
QString eventText(const RecordedEvent &event, bool withStream);

/// The state a reducer folds a timeline to, at several points in one read: folding streams along the
/// read (payloads are never read twice) and stops as soon as the last point is passed. The reducer
/// and the events are the window's (FoldEngine folds the same events with the same reducer).
struct FoldedPoint
{
    TimelinePoint point;
    QJsonValue state;
    quint64 count = 0;                 ///< events folded into `state`
    std::optional<RecordedEvent> last; ///< the last of them, payloads dropped
    bool reached = false;
    QString error; ///< e.g. no event at that revision
};
struct FoldAlong
{
    QList<FoldedPoint> points;
    QList<engine::FoldError> errors; ///< the first kMaxErrors non-fatal ones (invariants, bad payloads)
    quint64 errorCount = 0;
    QString error; ///< the read failed, or the reducer stopped
    static constexpr qsizetype kMaxErrors = 100;
};
FoldAlong foldAlong(engine::TimelineSource &source, engine::Reducer &reducer, const QList<TimelinePoint> &points,
                    Output &out);

/// A timeline loaded as the window loads it (an index, payloads fetched again by ordinal through a
/// cache), up to `point`: what FoldEngine and TimelineQueries (bisect) need.
struct LoadedTimeline
{
    std::shared_ptr<engine::TimelineIndex> index;
    std::shared_ptr<engine::PayloadCache> payloads;
    QString error;
    static LoadedTimeline load(engine::TimelineSource &source, const TimelinePoint &upTo, Output &out);
};

/// TimelineSource::read() on a thread of its own, a few batches ahead, with `onBatch` called on this
/// thread (returning false stops the read). The read's error; none when `onBatch` stopped it.
ClientError readAhead(engine::TimelineSource &source, const std::function<bool(const QList<RecordedEvent> &)> &onBatch,
                      int batchSize);

/// A ClientError's text for "<what> failed" messages (the server went away, unreachable…).
QString readFailure(const QString &description, const ClientError &error);

} // namespace chronoscope::cli
