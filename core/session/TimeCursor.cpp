#include "session/TimeCursor.h"

#include <algorithm>

namespace chronoscope {

TimeCursor::TimeCursor(QObject *parent)
    : QObject(parent)
{
}

qint64 TimeCursor::clamp(qint64 position) const
{
    if (m_count == 0 || position < 0)
        return -1;
    return std::min<qint64>(position, qint64(m_count) - 1);
}

void TimeCursor::setCount(quint64 count)
{
    if (count == m_count)
        return;
    const bool followEnd = m_count > 0 && atEnd() && count > m_count;
    m_count = count;
    Q_EMIT countChanged(count);

    const qint64 a = m_markerA < qint64(count) ? m_markerA : -1;
    const qint64 b = m_markerB < qint64(count) ? m_markerB : -1;
    if (a != m_markerA || b != m_markerB) {
        m_markerA = a;
        m_markerB = b;
        Q_EMIT markersChanged(a, b);
    }
    setPosition(followEnd ? qint64(count) - 1 : m_position);
}

void TimeCursor::setPosition(qint64 position)
{
    const qint64 p = clamp(position);
    if (p == m_position)
        return;
    m_position = p;
    Q_EMIT positionChanged(p);
}

void TimeCursor::step(qint64 delta)
{
    // From "before the first event", one step forwards lands on the first event.
    setPosition(m_position < 0 && delta > 0 ? delta - 1 : m_position + delta);
}

void TimeCursor::toStart()
{
    setPosition(0);
}

void TimeCursor::toEnd()
{
    setPosition(qint64(m_count) - 1);
}

void TimeCursor::setMarkerA(qint64 ordinal)
{
    const qint64 a = clamp(ordinal);
    if (a == m_markerA)
        return;
    m_markerA = a;
    Q_EMIT markersChanged(m_markerA, m_markerB);
}

void TimeCursor::setMarkerB(qint64 ordinal)
{
    const qint64 b = clamp(ordinal);
    if (b == m_markerB)
        return;
    m_markerB = b;
    Q_EMIT markersChanged(m_markerA, m_markerB);
}

void TimeCursor::swapMarkers()
{
    if (m_markerA == m_markerB)
        return;
    std::swap(m_markerA, m_markerB);
    Q_EMIT markersChanged(m_markerA, m_markerB);
}

void TimeCursor::clearMarkers()
{
    if (m_markerA < 0 && m_markerB < 0)
        return;
    m_markerA = m_markerB = -1;
    Q_EMIT markersChanged(-1, -1);
}

void TimeCursor::reset()
{
    clearMarkers();
    setCount(0);
}

} // namespace chronoscope
