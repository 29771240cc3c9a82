#include "client/ReadResume.h"

namespace chronoscope {

quint64 ReadResume::keyOf(const ResolvedEvent &e) const
{
    if (m_original.all)
        return e.commitPosition ? *e.commitPosition : e.originalEvent().position.commit;
    return e.originalEvent().revision;
}

bool ReadResume::isRepeat(const ResolvedEvent &e) const
{
    // Only the first events of a resumed call can repeat; within one call the server's order holds.
    if (!m_resumed || !m_lastKey || (!e.event && !e.link))
        return false;
    const quint64 key = keyOf(e);
    return m_original.direction == Direction::Forwards ? key <= *m_lastKey : key >= *m_lastKey;
}

void ReadResume::delivered(const ResolvedEvent &e)
{
    ++m_count;
    m_resumed = false;
    if (!e.event && !e.link)
        return;
    m_lastKey = keyOf(e);
    m_lastPosition = e.originalEvent().position; // the record read is the one in `$all`
}

bool ReadResume::advance(ReadRequest *request)
{
    m_resumed = true;
    if (m_count >= m_original.maxCount)
        return false;
    request->maxCount = m_original.maxCount - m_count;
    if (!m_lastKey)
        return true;
    if (m_original.all) {
        // From the last position: forwards it is read again (and skipped); backwards the server
        // starts before it.
        request->fromPosition(m_lastPosition);
    } else if (m_original.direction == Direction::Forwards) {
        request->fromRevision(*m_lastKey + 1);
    } else if (*m_lastKey == 0) {
        return false; // revision 0 was delivered: a backwards read is complete
    } else {
        request->fromRevision(*m_lastKey - 1);
    }
    return true;
}

} // namespace chronoscope
