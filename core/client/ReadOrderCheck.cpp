#include "client/ReadOrderCheck.h"

namespace chronoscope {

namespace {

QString positionText(const Position &p)
{
    return QStringLiteral("C:%1/P:%2").arg(p.commit).arg(p.prepare);
}

} // namespace

ReadOrderCheck::ReadOrderCheck(bool all, Direction direction, const QByteArray &stream)
    : m_all(all), m_forwards(direction == Direction::Forwards), m_stream(stream)
{}

QString ReadOrderCheck::accept(const ResolvedEvent &e)
{
    if (!e.event && !e.link)
        return {};
    const RecordedEvent &r = e.originalEvent();
    return m_all ? acceptPosition(r) : acceptRevision(r);
}

QString ReadOrderCheck::acceptRevision(const RecordedEvent &r)
{
    const QString stream = QString::fromUtf8(m_stream);
    if (r.streamId != m_stream)
        return QStringLiteral("the server sent an event of stream '%1' (revision %2) in a read of stream '%3'")
            .arg(QString::fromUtf8(r.streamId))
            .arg(r.revision)
            .arg(stream);
    if (m_lastRevision) {
        const quint64 last = *m_lastRevision;
        if (r.revision == last)
            return QStringLiteral("the server sent revision %1 of stream '%2' twice (duplicate event)")
                .arg(r.revision)
                .arg(stream);
        const bool wrongWay = m_forwards ? r.revision < last : r.revision > last;
        const quint64 expected = m_forwards ? last + 1 : last - 1;
        if (wrongWay)
            return QStringLiteral("the server sent revision %1 of stream '%2' after revision %3: revisions went %4 "
                                  "in a %5 read")
                .arg(r.revision)
                .arg(stream)
                .arg(last)
                .arg(m_forwards ? QStringLiteral("backwards") : QStringLiteral("forwards"),
                     m_forwards ? QStringLiteral("forwards") : QStringLiteral("backwards"));
        if (r.revision != expected)
            return QStringLiteral("the server sent revision %1 of stream '%2' after revision %3: revision %4 "
                                  "was skipped")
                .arg(r.revision)
                .arg(stream)
                .arg(last)
                .arg(expected);
    }
    m_lastRevision = r.revision;
    return {};
}

QString ReadOrderCheck::acceptPosition(const RecordedEvent &r)
{
    if (m_lastPosition) {
        const Position &last = *m_lastPosition;
        if (r.position == last)
            return QStringLiteral("the server sent $all position %1 twice (duplicate event, stream '%2' revision %3)")
                .arg(positionText(r.position), QString::fromUtf8(r.streamId))
                .arg(r.revision);
        const bool wrongWay = m_forwards ? r.position < last : last < r.position;
        if (wrongWay)
            return QStringLiteral("the server sent $all position %1 (stream '%2' revision %3) after position %4: "
                                  "positions went %5 in a %6 read")
                .arg(positionText(r.position), QString::fromUtf8(r.streamId))
                .arg(r.revision)
                .arg(positionText(last), m_forwards ? QStringLiteral("backwards") : QStringLiteral("forwards"),
                     m_forwards ? QStringLiteral("forwards") : QStringLiteral("backwards"));
    }
    m_lastPosition = r.position;
    return {};
}

} // namespace chronoscope
