#pragma once

// Conversions between the generated protocol messages and core types. Internal to core and the
// sandbox: views and the app never include generated code.

#include "Types.h"

#include "shared.pb.h"
#include "streams.pb.h"

namespace chronoscope::proto {

/// RFC 4122 byte order: msb = first 8 bytes as a signed big-endian int64, lsb = last 8.
void setUuid(event_store::client::UUID *out, const QUuid &id, bool structured);
QUuid uuidFrom(const event_store::client::UUID &in);

/// Fills `out` from a RecordedEvent message; missing fields become empty values, never a crash.
void recordedEventFrom(const event_store::client::streams::ReadResp::ReadEvent::RecordedEvent &in,
                       RecordedEvent *out);
ResolvedEvent resolvedEventFrom(const event_store::client::streams::ReadResp::ReadEvent &in);

} // namespace chronoscope::proto
