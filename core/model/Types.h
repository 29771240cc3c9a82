#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QUuid>

#include <cstdint>
#include <limits>
#include <optional>

namespace chronoscope {

/// The protocol encodes "unknown" positions and revisions as 2^64-1.
inline constexpr quint64 kUnknownPosition = std::numeric_limits<quint64>::max();

/// Revision at which a tombstone (`$streamDeleted`) record is written: long.MaxValue.
inline constexpr quint64 kTombstoneRevision = quint64(std::numeric_limits<qint64>::max());

/// `created` is .NET ticks (100 ns) since the Unix epoch.
inline constexpr qint64 kTicksPerMillisecond = 10000;

/// A position in the global transaction log ($all).
struct Position
{
    quint64 commit = 0;
    quint64 prepare = 0;

    static Position start() { return {0, 0}; }
    static Position end() { return {kUnknownPosition, kUnknownPosition}; }
    bool isEnd() const { return commit == kUnknownPosition && prepare == kUnknownPosition; }
    friend bool operator==(const Position &a, const Position &b) { return a.commit == b.commit && a.prepare == b.prepare; }
    friend bool operator!=(const Position &a, const Position &b) { return !(a == b); }
    friend bool operator<(const Position &a, const Position &b)
    {
        return a.commit != b.commit ? a.commit < b.commit : a.prepare < b.prepare;
    }
};

enum class Direction { Forwards, Backwards };

/// One event record as stored by the server.
struct RecordedEvent
{
    QByteArray streamId;     ///< UTF-8 stream name, exactly as on the wire
    QUuid id;
    quint64 revision = 0;
    Position position;
    QByteArray type;
    QByteArray contentType;  ///< "application/json" or "application/octet-stream"
    qint64 createdTicks = 0; ///< 100 ns ticks since the Unix epoch
    QByteArray data;
    QByteArray metadata;     ///< custom metadata bytes (JSON by convention)

    bool isJson() const { return contentType == "application/json"; }
    qint64 createdMsecsSinceEpoch() const { return createdTicks / kTicksPerMillisecond; }
};

/// An event as a read returns it: for a resolved link, `event` is the target and `link` the `$>`
/// record; when the link's target is gone only `link` is set.
struct ResolvedEvent
{
    std::optional<RecordedEvent> event;
    std::optional<RecordedEvent> link;
    std::optional<quint64> commitPosition;

    /// The record that was actually read: the link when there is one, else the event.
    const RecordedEvent &originalEvent() const { return link ? *link : *event; }
    bool isUnresolvedLink() const { return link.has_value() && !event.has_value(); }
};

/// The expected state of a stream for an append or delete.
struct ExpectedState
{
    enum class Kind { Any, NoStream, StreamExists, Revision };
    Kind kind = Kind::Any;
    quint64 revision = 0;

    static ExpectedState any() { return {Kind::Any, 0}; }
    static ExpectedState noStream() { return {Kind::NoStream, 0}; }
    static ExpectedState streamExists() { return {Kind::StreamExists, 0}; }
    static ExpectedState at(quint64 r) { return {Kind::Revision, r}; }
    /// "any", "no_stream", "stream_exists" or the revision number.
    QString toString() const;
    friend bool operator==(const ExpectedState &a, const ExpectedState &b)
    {
        return a.kind == b.kind && (a.kind != Kind::Revision || a.revision == b.revision);
    }
};

/// An event to append.
struct EventData
{
    QUuid id;
    QByteArray type;
    QByteArray contentType = "application/json";
    QByteArray data;
    QByteArray metadata;

    static EventData json(const QByteArray &type, const QByteArray &json, const QByteArray &metadata = {},
                          const QUuid &id = QUuid::createUuid())
    {
        return EventData{id, type, "application/json", json, metadata};
    }
    static EventData binary(const QByteArray &type, const QByteArray &bytes, const QByteArray &metadata = {},
                            const QUuid &id = QUuid::createUuid())
    {
        return EventData{id, type, "application/octet-stream", bytes, metadata};
    }
};

/// System stream conventions (protocol sheet §12).
namespace SystemStreams {
inline bool isSystemStream(const QByteArray &s) { return s.startsWith('$'); }
inline bool isMetastream(const QByteArray &s) { return s.startsWith("$$"); }
inline QByteArray metastreamOf(const QByteArray &s) { return "$$" + s; }
inline QByteArray originalStreamOf(const QByteArray &meta) { return meta.mid(2); }
/// The category is the stream name up to the first '-'; a stream without '-' has none.
inline QByteArray categoryOf(const QByteArray &s)
{
    const int dash = s.indexOf('-');
    return dash < 0 ? QByteArray() : s.left(dash);
}
/// Streams of `$>` links written by the system projections: read them with links resolved.
inline bool isLinkStream(const QByteArray &s)
{
    return s.startsWith("$ce-") || s.startsWith("$et-") || s.startsWith("$bc-") || s == "$streams";
}
} // namespace SystemStreams

namespace SystemEventTypes {
inline const char *const LinkTo = "$>";
inline const char *const StreamReference = "$@";
inline const char *const StreamMetadata = "$metadata";
inline const char *const StreamDeleted = "$streamDeleted";
} // namespace SystemEventTypes

} // namespace chronoscope

Q_DECLARE_METATYPE(chronoscope::RecordedEvent)
Q_DECLARE_METATYPE(chronoscope::ResolvedEvent)
