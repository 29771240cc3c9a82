#pragma once

#include "EventStore.h"

#include <string>
#include <vector>

namespace chronoscope::sandbox::wire {

/// Encodes `ReadResp` messages straight from stored records, byte for byte what protobuf would
/// write for the message fillRecorded() builds (tst_readencoder checks that), without building
/// message objects or maps: a read serves every event through here, so it must cost little more
/// than copying the payload.
class ReadEncoder
{
public:
    /// A batch of whole messages in one buffer; message i is bytes[ends[i-1], ends[i]).
    struct Batch
    {
        std::string bytes;
        std::vector<size_t> ends;
        size_t count() const { return ends.size(); }
        void clear()
        {
            bytes.clear();
            ends.clear();
        }
    };

    explicit ReadEncoder(bool structuredIds) : m_structured(structuredIds) {}

    /// ReadResp{event: ReadEvent{event | link (+ resolved event), commit_position}}. `link` is the
    /// `$>` record when a link was resolved (then `event` is its target, or null when the target is gone).
    void appendEvent(Batch &out, const StoredRecord *event, const StoredRecord *link, quint64 commitPosition) const;

    /// ReadResp{last_stream_position} / {first_stream_position} (compatibility ≥ 1 trailers).
    static void appendStreamPosition(Batch &out, int field, quint64 revision);

    /// ReadResp{stream_not_found: {stream_identifier: {stream_name}}}.
    static void appendStreamNotFound(Batch &out, const std::string &stream);

private:
    bool m_structured;
};

} // namespace chronoscope::sandbox::wire
