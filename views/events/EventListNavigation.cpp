// The event list's navigation: jumps by revision, position and time, and the time range an
// auditor limits the list to (markers A and B with "A–B only").
#include "events/EventListView.h"

#include "events/JumpDialogs.h"
#include "session/TimelineEventModel.h"
#include "session/TimelineSession.h"
#include "timeline/TimelineIndex.h"

#include <QToolButton>

namespace chronoscope::views {

bool EventListView::jumpToRevision(quint64 revision)
{
    if (m_session->isAll()) {
        Q_EMIT statusMessage(tr("$all has no revisions of its own: jump to a commit position instead"));
        return false;
    }
    const std::optional<quint64> ordinal = m_session->index().findRevision(revision);
    if (!ordinal) {
        Q_EMIT statusMessage(tr("No event at revision %1").arg(revision));
        return false;
    }
    m_session->cursor()->setPosition(qint64(*ordinal));
    return true;
}

bool EventListView::jumpToTime(const QDateTime &time)
{
    const engine::TimelineIndex &index = m_session->index();
    if (index.isEmpty())
        return false;
    const qint64 ticks = time.toMSecsSinceEpoch() * 10000 + 9999; // the whole millisecond
    const std::optional<quint64> ordinal = index.lastAtOrBefore(ticks);
    m_session->cursor()->setPosition(ordinal ? qint64(*ordinal) : 0);
    if (!ordinal)
        Q_EMIT statusMessage(tr("Every event is later than %1: showing the first").arg(time.toString(Qt::ISODate)));
    return true;
}

bool EventListView::jumpToPosition(quint64 position)
{
    const engine::TimelineIndex &index = m_session->index();
    const quint64 ordinal = index.lowerBoundCommitPosition(position);
    if (ordinal >= index.size()) {
        Q_EMIT statusMessage(tr("No event at or after position %1").arg(position));
        return false;
    }
    m_session->cursor()->setPosition(qint64(ordinal));
    if (index.commitPosition(ordinal) != position)
        Q_EMIT statusMessage(tr("No event at position %1: showing the next one, at %2")
                                 .arg(position)
                                 .arg(index.commitPosition(ordinal)));
    return true;
}

void EventListView::showJumpToRevision()
{
    if (m_session->isAll())
        JumpDialogs::openPosition(this, [this](quint64 position) { jumpToPosition(position); });
    else
        JumpDialogs::openRevision(this, [this](quint64 revision) { jumpToRevision(revision); });
}

void EventListView::showJumpToTime()
{
    const qint64 position = m_session->cursor()->position();
    const qint64 ms = position >= 0 ? m_session->index().createdTicks(quint64(position)) / 10000
                                    : QDateTime::currentMSecsSinceEpoch();
    JumpDialogs::openTime(this, QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC), m_model->showsUtc(),
                          [this](const QDateTime &time) { jumpToTime(time); });
}

void EventListView::showTimeRange()
{
    const engine::TimelineIndex &index = m_session->index();
    if (index.isEmpty()) {
        Q_EMIT statusMessage(tr("No events to limit: open a stream first"));
        return;
    }
    const TimeCursor *c = m_session->cursor();
    const quint64 first = c->hasMarkers() ? quint64(c->markerA()) : 0;
    const quint64 last = c->hasMarkers() ? quint64(c->markerB()) : index.size() - 1;
    auto at = [&index](quint64 o) { return QDateTime::fromMSecsSinceEpoch(index.createdTicks(o) / 10000, Qt::UTC); };
    JumpDialogs::openTimeRange(this, at(first), at(last), m_model->showsUtc(),
                               [this](const QDateTime &from, const QDateTime &to) { limitToTimeRange(from, to); });
}

bool EventListView::limitToTimeRange(const QDateTime &from, const QDateTime &to)
{
    const engine::TimelineIndex &index = m_session->index();
    const QString range = tr("%1 to %2").arg(from.toString(Qt::ISODateWithMs), to.toString(Qt::ISODateWithMs));
    if (index.isEmpty() || to < from) {
        Q_EMIT statusMessage(tr("No events from %1").arg(range));
        return false;
    }
    // From the first event at or after `from` to the last one at or before `to` (its whole millisecond).
    const quint64 first = index.firstAfter(from.toMSecsSinceEpoch() * 10000 - 1);
    const std::optional<quint64> last = index.lastAtOrBefore(to.toMSecsSinceEpoch() * 10000 + 9999);
    if (first >= index.size() || !last || *last < first) {
        Q_EMIT statusMessage(tr("No events from %1").arg(range));
        return false;
    }
    TimeCursor *c = m_session->cursor();
    c->setMarkerA(qint64(first));
    c->setMarkerB(qint64(*last));
    m_betweenMarkers->setChecked(true);
    c->setPosition(qint64(first));
    Q_EMIT statusMessage(tr("Listing the %n event(s) from %1", nullptr, int(*last - first + 1)).arg(range));
    return true;
}

} // namespace chronoscope::views
