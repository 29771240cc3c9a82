#pragma once

// Conversions between the generated protocol messages and core types. Internal to core and the
// sandbox: views and the app never include generated code.

#include "model/Types.h"

#include "shared.pb.h"
#include "streams.pb.h"

#include <string>
#include <unordered_map>

namespace chronoscope::proto {

/// RFC 4122 byte order: msb = first 8 bytes as a signed big-endian int64, lsb = last 8.
void setUuid(event_store::client::UUID *out, const QUuid &id, bool structured);
QUuid uuidFrom(const event_store::client::UUID &in);

/// Shares one QByteArray per distinct short string (stream names, event and content types) across
/// the events of a read: a read repeats a few such strings millions of times, and sharing them
/// saves an allocation and a copy per field per event.
class ByteInterner
{
public:
    QByteArray get(const std::string &s);
    /// For values that repeat in runs (the stream name of a stream read) but may take millions of
    /// distinct values (the stream names of `$all`): only the last one is kept.
    QByteArray getRun(const std::string &s);

private:
    std::string m_lastRun;
    QByteArray m_lastRunBytes;
    static constexpr size_t kMaxEntries = 1 << 16; ///< a read of many streams starts over, never grows unbounded
    std::unordered_map<std::string, QByteArray> m_strings;
};

/// Fills `out` from a RecordedEvent message; missing fields become empty values, never a crash.
void recordedEventFrom(const event_store::client::streams::ReadResp::ReadEvent::RecordedEvent &in,
                       RecordedEvent *out, ByteInterner *interner = nullptr);
ResolvedEvent resolvedEventFrom(const event_store::client::streams::ReadResp::ReadEvent &in,
                                ByteInterner *interner = nullptr);

} // namespace chronoscope::proto
