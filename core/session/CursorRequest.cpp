#include "session/CursorRequest.h"

#include "model/ClientError.h"
#include "session/TimelineSession.h"
#include "timeline/TimelineIndex.h"

#include <utility>

namespace chronoscope {

CursorRequest::CursorRequest(TimelineSession *session, QObject *parent) : QObject(parent), m_session(session)
{
    connect(session, &TimelineSession::grown, this, &CursorRequest::tryPlace);
    connect(session, &TimelineSession::loadFinished, this, &CursorRequest::onLoadFinished);
}

void CursorRequest::request(const QByteArray &stream, qint64 revision, std::function<void(quint64)> onPlaced)
{
    m_pending = true;
    m_stream = stream;
    m_revision = revision;
    m_onPlaced = std::move(onPlaced);
    if (m_session->stream() == stream && !m_session->index().isEmpty() && (revision >= 0 || !m_session->isLoading()))
        revision >= 0 ? tryPlace() : place(m_session->index().size() - 1);
}

void CursorRequest::clear()
{
    m_pending = false;
    m_stream.clear();
    m_revision = -1;
    m_onPlaced = nullptr;
}

void CursorRequest::tryPlace()
{
    if (!m_pending || m_stream != m_session->stream() || m_revision < 0)
        return;
    if (const std::optional<quint64> ordinal = m_session->index().findRevision(quint64(m_revision)))
        place(*ordinal);
}

void CursorRequest::place(quint64 ordinal)
{
    const QByteArray stream = m_stream;
    const qint64 revision = m_revision;
    const std::function<void(quint64)> onPlaced = std::exchange(m_onPlaced, nullptr);
    clear();
    m_session->cursor()->setPosition(qint64(ordinal));
    if (onPlaced)
        onPlaced(ordinal);
    Q_EMIT placed(stream, revision, ordinal);
}

void CursorRequest::onLoadFinished(const ClientError &error)
{
    if (!m_pending || m_stream != m_session->stream())
        return;
    if (m_revision < 0 && !error && !m_session->index().isEmpty())
        return place(m_session->index().size() - 1); // "at the end"
    const QByteArray stream = m_stream;
    const qint64 revision = m_revision;
    clear();
    if (!error)
        Q_EMIT missing(stream, revision);
}

} // namespace chronoscope
