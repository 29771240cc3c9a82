#pragma once

#include "model/Types.h"

#include <cstddef>
#include <string_view>
#include <unordered_map>

namespace chronoscope::proto {

/// `created` metadata text as ticks: decimal digits only, anything else (or nothing) is 0.
qint64 createdTicksFrom(const char *text, size_t size);

/// What one `ReadResp` message carried.
struct ReadRespContent
{
    enum class Kind {
        None, ///< no content, or a content case newer than this client (an unknown field)
        Event,
        Confirmation,
        Checkpoint,
        StreamNotFound,
        FirstStreamPosition,
        LastStreamPosition,
        LastAllStreamPosition,
        CaughtUp,
        FellBehind,
    };
    Kind kind = Kind::None;
    ResolvedEvent event;          ///< Kind::Event
    quint64 streamPosition = 0;   ///< Kind::FirstStreamPosition / LastStreamPosition
    QByteArray notFoundStream;    ///< Kind::StreamNotFound
};

/// Decodes serialized `ReadResp` messages straight into ResolvedEvents: no protobuf message, map
/// or std::string in between, one copy of data and metadata, shared QByteArrays for the strings a
/// read repeats (event and content types, the stream name of a run of events). The values are
/// exactly those protobuf parsing + proto::resolvedEventFrom give (tst_readrespdecoder checks it),
/// merges of repeated fields and unknown fields included; bytes protobuf would refuse are refused.
/// One decoder per read: it keeps the shared strings.
class ReadRespDecoder
{
public:
    /// Replaces `out` with the message in `data`. Returns false (and says why in `error`) when the
    /// bytes are not a valid ReadResp; `out` is then unspecified.
    bool decode(const char *data, size_t size, ReadRespContent *out, QString *error = nullptr);

private:
    QByteArray shared(const char *data, size_t size);
    QByteArray sharedVia(QByteArray &last, const char *data, size_t size);
    QByteArray sharedRun(const char *data, size_t size);

    static constexpr size_t kMaxShared = 1 << 16; ///< a read of many distinct strings starts over
    std::unordered_map<std::string_view, QByteArray> m_shared;
    QByteArray m_lastRun;
    QByteArray m_lastType, m_lastContentType;
};

} // namespace chronoscope::proto
