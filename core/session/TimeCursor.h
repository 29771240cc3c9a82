#pragma once

#include <QObject>

namespace chronoscope {

/// The one time cursor every pane follows (timeline, event list, inspector, state and diff).
///
/// Positions are ordinals of the loaded timeline (a TimelineIndex): the cursor stands *on* an event,
/// and "the state at the cursor" is the state after folding that event. -1 stands before the first
/// event (the reducer's initial state) and is the only position of an empty timeline.
/// Markers A and B are ordinals too (-1 when unset), for comparisons (A vs B diff, range queries).
///
/// A cursor standing on the last event follows the end: when the timeline grows (live tail), it
/// moves to the new last event. Anywhere else it stays put. Lives on the GUI thread.
class TimeCursor : public QObject
{
    Q_OBJECT
public:
    explicit TimeCursor(QObject *parent = nullptr);

    quint64 count() const { return m_count; }
    qint64 position() const { return m_position; }
    qint64 markerA() const { return m_markerA; }
    qint64 markerB() const { return m_markerB; }
    bool hasMarkers() const { return m_markerA >= 0 && m_markerB >= 0; }
    bool atEnd() const { return m_position == qint64(m_count) - 1; }

public Q_SLOTS:
    /// The timeline now has `count` events. Growing keeps the position (or follows the end, see
    /// above); shrinking clamps the position and drops markers past the end.
    void setCount(quint64 count);
    /// Moves to `position`, clamped to [-1, count - 1] (to -1 only when the timeline is empty or
    /// `position` is negative).
    void setPosition(qint64 position);
    /// Moves by `delta` events (clamped).
    void step(qint64 delta);
    void toStart();
    void toEnd();
    void setMarkerA(qint64 ordinal);
    void setMarkerB(qint64 ordinal);
    void swapMarkers();
    void clearMarkers();
    /// Back to an empty timeline: count 0, position -1, no markers.
    void reset();

Q_SIGNALS:
    void positionChanged(qint64 position);
    void countChanged(quint64 count);
    void markersChanged(qint64 a, qint64 b);

private:
    qint64 clamp(qint64 position) const;

    quint64 m_count = 0;
    qint64 m_position = -1;
    qint64 m_markerA = -1;
    qint64 m_markerB = -1;
};

} // namespace chronoscope
