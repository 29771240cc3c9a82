#include "CliTimeline.h"

#include "CliConnection.h"
#include "CliOutput.h"
#include "CommandLine.h"
#include "archive/ArchiveTimelineSource.h"
#include "client/StreamsClient.h"
#include "report/ArchiveSigning.h"
#include "session/ServerTimelineSource.h"
#include "session/TimelineSession.h"
#include "timeline/IndexBatch.h"
#include "timeline/PayloadCache.h"
#include "timeline/TimelineIndex.h"
#include "timeline/TimelineSource.h"

#include <QDateTime>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace chronoscope::cli {

namespace {

constexpr int kBatchSize = 4096;

QString uuidText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

/// A record without its payloads (kept for the identity of the last folded event).
RecordedEvent identityOf(const RecordedEvent &e)
{
    RecordedEvent out = e;
    out.data.clear();
    out.metadata.clear();
    return out;
}

} // namespace

ClientError readAhead(engine::TimelineSource &source, const std::function<bool(const QList<RecordedEvent> &)> &onBatch,
                      int batchSize)
{
    // The source reads on a thread of its own a few batches ahead (gRPC, decoding, records) while this
    // thread works on the batches (folding, formatting): on two cores, the read costs almost no wall time.
    constexpr size_t kAhead = 4;
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<QList<RecordedEvent>> queue;
    bool done = false, stop = false;
    ClientError readError;
    const CancellationPtr cancel = std::make_shared<Cancellation>();
    std::thread reader([&] {
        const ClientError e = source.read(
            [&](const QList<RecordedEvent> &batch) {
                std::unique_lock lock(mutex);
                changed.wait(lock, [&] { return queue.size() < kAhead || stop; });
                if (stop)
                    return false;
                queue.push_back(batch);
                changed.notify_all();
                return true;
            },
            cancel, batchSize);
        std::lock_guard lock(mutex);
        readError = e;
        done = true;
        changed.notify_all();
    });
    for (;;) {
        QList<RecordedEvent> batch;
        {
            std::unique_lock lock(mutex);
            changed.wait(lock, [&] { return !queue.empty() || done; });
            if (queue.empty())
                break;
            batch = std::move(queue.front());
            queue.pop_front();
            changed.notify_all();
        }
        if (!onBatch(batch)) {
            {
                std::lock_guard lock(mutex);
                stop = true;
                changed.notify_all();
            }
            cancel->cancel();
            break;
        }
    }
    reader.join();
    return stop ? ClientError() : readError;
}

std::optional<qint64> TimelinePoint::parseTime(const QString &text)
{
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid()) {
        const QDate date = QDate::fromString(text, Qt::ISODate);
        if (!date.isValid())
            return std::nullopt;
        t = QDateTime(date, QTime(0, 0), Qt::UTC);
    }
    // A time without an offset is UTC, as the server's are (a script's result must not depend on TZ).
    if (t.timeSpec() == Qt::LocalTime)
        t.setTimeSpec(Qt::UTC);
    return t.toMSecsSinceEpoch() * kTicksPerMillisecond;
}

QString TimelinePoint::timeText(qint64 ticks)
{
    return QDateTime::fromMSecsSinceEpoch(ticks / kTicksPerMillisecond, Qt::UTC).toString(Qt::ISODateWithMs);
}

std::optional<TimelinePoint> TimelinePoint::parse(const QString &option, const QString &text, QString *error)
{
    TimelinePoint p;
    p.text = text.trimmed();
    if (p.text.isEmpty() || p.text == QLatin1String("head"))
        return p;
    if (p.text.startsWith(QLatin1Char('@'))) {
        bool ok = false;
        p.revision = p.text.mid(1).toULongLong(&ok);
        if (!ok) {
            *error = QStringLiteral("--%1 \"%2\": a revision is @N, N a whole number from 0").arg(option, text);
            return std::nullopt;
        }
        p.kind = Kind::Revision;
        return p;
    }
    if (const std::optional<qint64> ticks = parseTime(p.text)) {
        p.kind = Kind::Time;
        p.ticks = *ticks;
        return p;
    }
    *error = QStringLiteral("--%1 \"%2\" is neither @N (a revision), an ISO 8601 time (2026-08-30T12:00:00Z) nor "
                            "head")
                 .arg(option, text);
    return std::nullopt;
}

QJsonObject TimelinePoint::toJson() const
{
    switch (kind) {
    case Kind::Head: return {{QStringLiteral("head"), true}};
    case Kind::Revision: return {{QStringLiteral("revision"), QString::number(revision)}};
    case Kind::Time: return {{QStringLiteral("time"), timeText(ticks)}};
    }
    return {};
}

QString TimelinePoint::describe() const
{
    switch (kind) {
    case Kind::Head: return QStringLiteral("head");
    case Kind::Revision: return QStringLiteral("@%1").arg(revision);
    case Kind::Time: return timeText(ticks);
    }
    return {};
}

bool TimelineInput::isAll() const
{
    return source && source->isAll();
}

namespace {
/// `--archive <file>`: an ArchiveTimelineSource, its signature checked with Ed25519.
std::optional<TimelineInput> openArchive(const CommandLine &line, QString *error)
{
    for (const QString &option : {QStringLiteral("stream"), QStringLiteral("connect"), QStringLiteral("connection"),
                                  QStringLiteral("profile"), QStringLiteral("username")}) {
        if (line.isSet(option)) {
            *error = QStringLiteral("--archive reads the archive's own events: leave out --%1").arg(option);
            return std::nullopt;
        }
    }
    const QString path = line.value(QStringLiteral("archive"));
    auto source = archive::ArchiveTimelineSource::open(path, archiveSigning::check(), error);
    if (!source)
        return std::nullopt;
    TimelineInput in;
    const archive::ArchiveReader &reader = source->reader();
    in.stream = QString::fromUtf8(source->name());
    in.description = QStringLiteral("%1 in the archive %2").arg(in.stream, path);
    if (!reader.intact())
        in.warning = QStringLiteral("warning: the archive %1 is %2; %3 of its %4 events are read")
                         .arg(path, reader.summary())
                         .arg(source->size())
                         .arg(reader.declaredEventCount());
    else if (reader.isSigned())
        in.warning = QStringLiteral("archive %1: %2").arg(path, reader.summary());
    in.source = std::move(source);
    return in;
}
} // namespace

std::optional<TimelineInput> TimelineInput::open(const CommandLine &line, QString *error)
{
    TimelineInput in;
    if (line.isSet(QStringLiteral("archive")))
        return openArchive(line, error);
    in.stream = line.value(QStringLiteral("stream"));
    if (in.stream.isEmpty()) {
        *error = QStringLiteral("no stream: give --stream <name> (or --stream '$all')");
        return std::nullopt;
    }
    const std::optional<CliConnection> connection = CliConnection::resolve(line, error);
    if (!connection)
        return std::nullopt;
    auto client = std::make_shared<const StreamsClient>(connection->settings);
    if (client->error().isError()) {
        *error = QStringLiteral("cannot connect to %1: %2").arg(connection->description, client->error().toString());
        return std::nullopt;
    }
    in.source = std::make_shared<ServerTimelineSource>(client, in.stream.toUtf8(),
                                                       line.isSet(QStringLiteral("resolve-links")));
    in.description = QStringLiteral("%1 on %2").arg(in.stream, connection->description);
    return in;
}

QJsonObject eventIdentity(const RecordedEvent &e, bool withStream)
{
    QJsonObject o{{QStringLiteral("eventId"), uuidText(e.id)},
                  {QStringLiteral("revision"), QString::number(e.revision)},
                  {QStringLiteral("eventType"), QString::fromUtf8(e.type)},
                  {QStringLiteral("created"), TimelinePoint::timeText(e.createdTicks)},
                  {QStringLiteral("commitPosition"), QString::number(e.position.commit)}};
    if (withStream)
        o.insert(QStringLiteral("streamId"), QString::fromUtf8(e.streamId));
    return o;
}

QString eventText(const RecordedEvent &e, bool withStream)
{
    return QStringLiteral("%1@%2 %3 %4 (%5)")
        .arg(withStream ? QString::fromUtf8(e.streamId) : QString())
        .arg(e.revision)
        .arg(QString::fromUtf8(e.type), uuidText(e.id), TimelinePoint::timeText(e.createdTicks));
}

QString readFailure(const QString &description, const ClientError &error)
{
    if (error.kind == ClientError::Kind::StreamNotFound)
        return QStringLiteral("%1: the stream does not exist").arg(description);
    return QStringLiteral("cannot read %1: %2").arg(description, error.toString());
}

FoldAlong foldAlong(engine::TimelineSource &source, engine::Reducer &reducer, const QList<TimelinePoint> &points,
                    Output &out)
{
    FoldAlong r;
    for (const TimelinePoint &p : points)
        r.points.append(FoldedPoint{p, {}, 0, std::nullopt, false, {}});
    quint64 ordinal = 0;
    std::optional<RecordedEvent> last;
    const RecordedEvent *lastInBatch = nullptr; // copied (without payloads) into `last` when needed
    std::vector<engine::FoldEvent> pending;
    bool stopped = false;

    const auto flush = [&] {
        if (pending.empty() || stopped)
            return;
        const engine::FoldResult f = reducer.fold(pending.data(), qsizetype(pending.size()));
        r.errorCount += quint64(f.errors.size());
        for (const engine::FoldError &e : f.errors)
            if (r.errors.size() < FoldAlong::kMaxErrors)
                r.errors.append(e);
        if (f.stopped() || f.folded < quint64(pending.size())) {
            stopped = true;
            r.error = QStringLiteral("the reducer stopped: ")
                + (f.errors.isEmpty() ? QStringLiteral("it folded fewer events than given")
                                      : f.errors.constLast().message);
        }
        pending.clear();
    };
    const auto snapshot = [&](FoldedPoint &p) {
        flush();
        if (lastInBatch)
            last = identityOf(*lastInBatch);
        p.state = reducer.state();
        p.count = ordinal;
        p.last = last;
        p.reached = true;
    };
    const auto open = [&r]() {
        qsizetype n = 0;
        for (const FoldedPoint &p : r.points)
            n += p.reached || !p.error.isEmpty() ? 0 : 1;
        return n;
    };

    const ClientError readError = readAhead(
        source,
        [&](const QList<RecordedEvent> &batch) {
            lastInBatch = nullptr;
            for (const RecordedEvent &e : batch) {
                // Points that end before this event: a time it was created after, a revision it passed.
                for (FoldedPoint &p : r.points) {
                    if (p.reached || !p.error.isEmpty())
                        continue;
                    if (p.point.kind == TimelinePoint::Kind::Time && e.createdTicks > p.point.ticks)
                        snapshot(p);
                    else if (p.point.kind == TimelinePoint::Kind::Revision && e.revision > p.point.revision)
                        p.error = QStringLiteral("no event at revision %1").arg(p.point.revision);
                }
                if (open() == 0 || stopped)
                    return false;
                pending.push_back(engine::FoldEvent{&e, nullptr, ordinal});
                ++ordinal;
                lastInBatch = &e;
                for (FoldedPoint &p : r.points)
                    if (!p.reached && p.error.isEmpty() && p.point.kind == TimelinePoint::Kind::Revision
                        && e.revision == p.point.revision)
                        snapshot(p);
                if (open() == 0)
                    break;
            }
            flush(); // the batch's records are only valid during this call
            if (lastInBatch)
                last = identityOf(*lastInBatch);
            lastInBatch = nullptr;
            out.progress(QStringLiteral("folding: %1 events").arg(ordinal));
            return !stopped && open() > 0; // a head point stays open to the end of the read
        },
        kBatchSize);
    out.finishProgress();
    if (stopped)
        return r;
    if (readError.isError() && readError.kind != ClientError::Kind::Cancelled) {
        r.error = readError.kind == ClientError::Kind::StreamNotFound ? QStringLiteral("the stream does not exist")
                                                                      : readError.toString();
        return r;
    }
    for (FoldedPoint &p : r.points) {
        if (p.reached || !p.error.isEmpty())
            continue;
        if (p.point.kind == TimelinePoint::Kind::Revision)
            p.error = QStringLiteral("no event at revision %1 (the timeline has %2 events)")
                          .arg(p.point.revision)
                          .arg(ordinal);
        else
            snapshot(p); // the head, or a time after the last event
    }
    return r;
}

LoadedTimeline LoadedTimeline::load(engine::TimelineSource &source, const TimelinePoint &upTo, Output &out)
{
    LoadedTimeline t;
    t.index = std::make_shared<engine::TimelineIndex>();
    t.payloads = std::make_shared<engine::PayloadCache>(source.eventSource(t.index));
    bool found = upTo.kind != TimelinePoint::Kind::Revision;
    const ClientError error = source.read(
        [&](const QList<RecordedEvent> &batch) {
            qsizetype take = batch.size();
            bool done = false;
            for (qsizetype i = 0; i < batch.size(); ++i) {
                const RecordedEvent &e = batch.at(i);
                if (upTo.kind == TimelinePoint::Kind::Time && e.createdTicks > upTo.ticks) {
                    take = i;
                    done = true;
                    break;
                }
                if (upTo.kind == TimelinePoint::Kind::Revision && e.revision >= upTo.revision) {
                    found = e.revision == upTo.revision;
                    take = found ? i + 1 : i;
                    done = true;
                    break;
                }
            }
            t.index->appendBatch(engine::IndexBatch(take == batch.size() ? batch : batch.mid(0, take)));
            out.progress(QStringLiteral("loading: %1 events").arg(t.index->size()));
            return !done;
        },
        nullptr, kBatchSize);
    out.finishProgress();
    if (error.isError() && error.kind != ClientError::Kind::Cancelled)
        t.error = error.kind == ClientError::Kind::StreamNotFound ? QStringLiteral("the stream does not exist")
                                                                  : error.toString();
    else if (!found)
        t.error = QStringLiteral("no event at revision %1").arg(upTo.revision);
    return t;
}

} // namespace chronoscope::cli
