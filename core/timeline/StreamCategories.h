#pragma once

#include "timeline/StringInterner.h"

#include <QtAlgorithms>

#include <array>
#include <memory>

namespace chronoscope::engine {

/// The category of every stream of a TimelineIndex, interned once per stream so that counting by
/// category costs two array reads per event (stream id, then category id) and no string work.
///
/// A stream's category is what the server's `$by_category` projection ("first" separator `-`)
/// files it under: the name before the first '-' (`order-17` → `order`, `order-17-a` → `order`).
/// Streams with no '-', or a '-' first, are in no category; they share the empty name (category
/// id of the empty string), which views show as "(no category)".
///
/// Threads: as TimelineIndex. The owner adds streams; other threads may call categoryOf() for the
/// stream ids of ordinals below a size() they observed (the per-stream table never moves: it grows
/// by adding segments, each twice the size of the last). names() stays on the owner's thread.
class StreamCategories
{
public:
    StreamCategories();
    ~StreamCategories();
    StreamCategories(const StreamCategories &) = delete;
    StreamCategories &operator=(const StreamCategories &) = delete;

    /// The category part of a stream name (empty when it has none).
    static QByteArrayView categoryOf(QByteArrayView stream);

    /// Files the next stream id (streamCount()) under its category.
    void addStream(QByteArrayView stream);
    quint32 streamCount() const { return m_streams; }

    /// The category id of a stream id (< streamCount()).
    quint32 categoryOf(quint32 streamId) const
    {
        const Slot at = slotOf(streamId);
        return m_segments[size_t(at.segment)][at.offset];
    }
    /// Category names by id (the owner's thread).
    const StringInterner &names() const { return m_names; }

    void clear();
    quint64 memoryBytes() const;

private:
    // Segment s holds kFirstSegment << s stream ids, from kFirstSegment * (2^s - 1) on: memory stays
    // within twice the streams seen, and the segment of an id is one leading-zero count away.
    static constexpr int kFirstSegmentBits = 10;
    static constexpr quint32 kFirstSegment = quint32(1) << kFirstSegmentBits;
    static constexpr int kSegments = 33 - kFirstSegmentBits; ///< enough for 2^32 stream ids
    struct Slot
    {
        int segment;
        quint32 offset;
    };
    static Slot slotOf(quint32 streamId)
    {
        const quint32 k = (streamId >> kFirstSegmentBits) + 1;
        const int segment = 31 - int(qCountLeadingZeroBits(k));
        return {segment, streamId - ((quint32(1) << segment) - 1) * kFirstSegment};
    }

    std::array<std::unique_ptr<quint32[]>, kSegments> m_segments;
    quint32 m_streams = 0;
    StringInterner m_names;
};

} // namespace chronoscope::engine
