#pragma once

#include "model/Types.h"

#include <QStringList>

#include <optional>

namespace chronoscope {

/// A server-side filter for `$all` reads: by stream name or by event type, with a regex or prefixes.
struct ReadFilter
{
    enum class Target { StreamName, EventType };
    Target target = Target::StreamName;
    QString regex;
    QStringList prefixes;
    std::optional<quint32> maxSearchWindow; ///< none = `count` window
    quint32 checkpointIntervalMultiplier = 1;

    static ReadFilter streamPrefix(const QStringList &p) { return {Target::StreamName, {}, p, {}, 1}; }
    static ReadFilter streamRegex(const QString &r) { return {Target::StreamName, r, {}, {}, 1}; }
    static ReadFilter eventTypePrefix(const QStringList &p) { return {Target::EventType, {}, p, {}, 1}; }
    static ReadFilter eventTypeRegex(const QString &r) { return {Target::EventType, r, {}, {}, 1}; }
    /// What Node's excludeSystemEvents() sends: event types not starting with '$'.
    static ReadFilter excludeSystemEvents() { return eventTypeRegex(QStringLiteral("^[^$].*")); }
};

/// What to read: a stream or `$all`, where from, which way, how many.
struct ReadRequest
{
    enum class From { Start, End, Revision, Position };

    bool all = false;
    QByteArray stream;
    Direction direction = Direction::Forwards;
    From from = From::Start;
    quint64 revision = 0;
    Position position;
    quint64 maxCount = std::numeric_limits<quint64>::max();
    bool resolveLinks = false;
    std::optional<ReadFilter> filter; ///< `$all` only

    static ReadRequest forStream(const QByteArray &stream, Direction d = Direction::Forwards)
    {
        ReadRequest r;
        r.stream = stream;
        r.direction = d;
        r.from = d == Direction::Forwards ? From::Start : From::End;
        return r;
    }
    static ReadRequest forAll(Direction d = Direction::Forwards)
    {
        ReadRequest r;
        r.all = true;
        r.direction = d;
        r.from = d == Direction::Forwards ? From::Start : From::End;
        return r;
    }
    /// What a timeline of `stream` reads (TimelineSession loads it, a report is verified by it):
    /// `$all` without system events, as the official UI shows it, or the stream from its start.
    static ReadRequest forTimeline(const QByteArray &stream, bool resolveLinks = false)
    {
        if (stream == QByteArrayLiteral("$all"))
            return forAll().filtered(ReadFilter::excludeSystemEvents());
        return forStream(stream).resolvingLinks(resolveLinks);
    }
    ReadRequest &fromRevision(quint64 rev) { from = From::Revision; revision = rev; return *this; }
    ReadRequest &fromPosition(Position p) { from = From::Position; position = p; return *this; }
    ReadRequest &fromStart() { from = From::Start; return *this; }
    ReadRequest &fromEnd() { from = From::End; return *this; }
    ReadRequest &count(quint64 n) { maxCount = n; return *this; }
    ReadRequest &resolvingLinks(bool on = true) { resolveLinks = on; return *this; }
    ReadRequest &filtered(const ReadFilter &f) { filter = f; return *this; }
};

} // namespace chronoscope
