#pragma once

#include "model/Types.h"

#include <QByteArray>
#include <QHash>
#include <QList>

#include <vector>

namespace chronoscope::engine {

/// What the index keeps of an event's size: data plus metadata bytes, saturated to 32 bits.
quint32 indexedPayloadBytes(const RecordedEvent &event);

/// A batch of events in the form TimelineIndex keeps them: one fixed-size row per event and the
/// batch's distinct stream and type names, without payloads.
///
/// A loading worker builds it from the records it read, so that the records (a few heap blocks
/// each) are freed by the thread that allocated them. The index's owner, the GUI thread, then
/// appends a batch with a handful of allocations in it instead of freeing tens of thousands of
/// another thread's blocks, which contended for the allocator's locks and stalled the event loop.
class IndexBatch
{
public:
    struct Row
    {
        quint64 revision = 0;
        quint64 commit = 0;
        qint64 ticks = 0;
        quint32 payloadBytes = 0; ///< data plus metadata, saturated
        quint32 stream = 0;       ///< index into streams()
        quint32 type = 0;         ///< index into types()
    };

    IndexBatch() = default;
    explicit IndexBatch(const QList<RecordedEvent> &events);

    const std::vector<Row> &rows() const { return m_rows; }
    const QList<QByteArray> &streams() const { return m_streams; }
    const QList<QByteArray> &types() const { return m_types; }
    size_t size() const { return m_rows.size(); }
    bool isEmpty() const { return m_rows.empty(); }
    /// The last event's revision and position (only when not empty).
    quint64 lastRevision() const { return m_lastRevision; }
    Position lastPosition() const { return m_lastPosition; }

private:
    static quint32 slotOf(const QByteArray &name, QList<QByteArray> &names, QHash<QByteArray, quint32> &slots);

    std::vector<Row> m_rows;
    QList<QByteArray> m_streams;
    QList<QByteArray> m_types;
    quint64 m_lastRevision = 0;
    Position m_lastPosition;
};

} // namespace chronoscope::engine
