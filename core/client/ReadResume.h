#pragma once

#include "model/ReadRequest.h"
#include "model/Types.h"

#include <optional>

namespace chronoscope {

/// Where a read stands, so that one cut off by a lost connection goes on after the last event it
/// delivered, with no gap and no duplicate: a stream read resumes after the last revision, a
/// `$all` read at the last position (inclusive on the wire, so that event is skipped when it
/// comes again). Revisions and positions are those of the record read: the link for a resolved
/// link.
class ReadResume
{
public:
    explicit ReadResume(const ReadRequest &original) : m_original(original) {}

    /// Whether `e` was already delivered: the first events of a resumed call may repeat the
    /// boundary. Call for every event before delivering it.
    bool isRepeat(const ResolvedEvent &e) const;
    /// Records `e` as delivered.
    void delivered(const ResolvedEvent &e);

    quint64 deliveredCount() const { return m_count; }
    /// Turns `request` (a copy of the original) into the one that reads the rest; false when
    /// nothing is left to read.
    bool advance(ReadRequest *request);

private:
    /// The revision (stream reads) or commit position (`$all`) a record orders by.
    quint64 keyOf(const ResolvedEvent &e) const;

    ReadRequest m_original;
    quint64 m_count = 0;
    std::optional<quint64> m_lastKey;
    Position m_lastPosition;
    bool m_resumed = false; ///< advance() was called and nothing new was delivered since
};

} // namespace chronoscope
