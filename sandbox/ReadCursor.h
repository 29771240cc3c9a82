#pragma once

#include "EventStore.h"
#include "FilterMatcher.h"
#include "ReadEncoder.h"

#include <optional>
#include <string>

namespace chronoscope::sandbox {

/// A read in progress: hands out the encoded replies of a stream or `$all` read one batch at a
/// time, so the store's lock is held only while a batch is encoded, never while it is sent.
class ReadCursor
{
public:
    static constexpr size_t kBatch = 512;          ///< records encoded under one lock
    static constexpr size_t kScanLimit = 1 << 16;  ///< records scanned per lock by filtered reads

    virtual ~ReadCursor() = default;
    /// Replaces `out` with the next replies. Returns false when the read is over: `out` then holds
    /// the last replies (maybe none) and next() must not be called again.
    virtual bool next(wire::ReadEncoder::Batch &out) = 0;
};

struct StreamReadSpec
{
    std::string stream;
    StreamView view;
    quint64 from = 0;
    bool forwards = true;
    quint64 count = 0;
    bool resolveLinks = false;
    bool structuredIds = false;
    bool compatibility = false; ///< send last/first_stream_position (client compatibility ≥ 1)
};

class StreamReadCursor final : public ReadCursor
{
public:
    StreamReadCursor(const EventStore &store, StreamReadSpec spec);
    bool next(wire::ReadEncoder::Batch &out) override;

private:
    void appendTrailer(wire::ReadEncoder::Batch &out) const;

    const EventStore &m_store;
    StreamReadSpec m_spec;
    wire::ReadEncoder m_encoder;
    quint64 m_next;
    quint64 m_remaining;
    quint64 m_sent = 0;
    bool m_reachedEnd = false;
};

struct AllReadSpec
{
    size_t index = 0; ///< log index to start from (backwards: exclusive)
    bool forwards = true;
    quint64 count = 0;
    bool resolveLinks = false;
    bool structuredIds = false;
    std::optional<FilterMatcher> filter;
};

class AllReadCursor final : public ReadCursor
{
public:
    AllReadCursor(const EventStore &store, AllReadSpec spec);
    bool next(wire::ReadEncoder::Batch &out) override;

private:
    const EventStore &m_store;
    AllReadSpec m_spec;
    wire::ReadEncoder m_encoder;
    size_t m_index;
    quint64 m_remaining;
};

/// A read of a stream that does not exist (or was soft-deleted): one `stream_not_found` reply.
class NotFoundCursor final : public ReadCursor
{
public:
    explicit NotFoundCursor(std::string stream) : m_stream(std::move(stream)) {}
    bool next(wire::ReadEncoder::Batch &out) override
    {
        out.clear();
        wire::ReadEncoder::appendStreamNotFound(out, m_stream);
        return false;
    }

private:
    std::string m_stream;
};

/// Encodes one record the way a read returns it: as is, or (resolving links) as link + target.
void encodeRecord(const wire::ReadEncoder &encoder, wire::ReadEncoder::Batch &out, const EventStore &store,
                  const StoredRecord &r, bool resolveLinks);

} // namespace chronoscope::sandbox
