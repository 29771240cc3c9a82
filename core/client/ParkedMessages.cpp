#include "client/ParkedMessages.h"

#include "client/StreamsClient.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace chronoscope {

namespace {

/// The link's data, "<eventNumber>@<stream>": where is the '@' (-1: not a link's data).
int linkAt(const QByteArray &data)
{
    const int at = data.indexOf('@');
    bool ok = false;
    return at > 0 && (data.left(at).toLongLong(&ok), ok) ? at : -1;
}

} // namespace

QByteArray ParkedMessage::eventStream() const
{
    if (event)
        return event->streamId;
    const int at = linkAt(link.data);
    return at < 0 ? QByteArray() : link.data.mid(at + 1);
}

qint64 ParkedMessage::eventRevision() const
{
    if (event)
        return qint64(event->revision);
    const int at = linkAt(link.data);
    return at < 0 ? -1 : link.data.left(at).toLongLong();
}

namespace parked {

ParkedMessage fromResolved(const ResolvedEvent &e)
{
    ParkedMessage m;
    m.link = e.originalEvent();
    m.parkedNumber = m.link.revision;
    m.event = e.event;
    if (!e.link) { // not a link at all (someone wrote into the parked stream): the record itself
        m.event = std::nullopt;
    }
    const QJsonObject md = QJsonDocument::fromJson(m.link.metadata).object();
    // The server serialises ParkedMessageMetadata with camel-cased names; accept the C# names as well.
    const auto field = [&md](const char *camel, const char *pascal) {
        const QJsonValue v = md.value(QLatin1String(camel));
        return v.isUndefined() ? md.value(QLatin1String(pascal)) : v;
    };
    m.reason = field("reason", "Reason").toString();
    m.added = QDateTime::fromString(field("added", "Added").toString(), Qt::ISODateWithMs);
    if (!m.added.isValid() && m.link.createdTicks > 0) // no metadata: when the link was written is when it was parked
        m.added = QDateTime::fromMSecsSinceEpoch(m.link.createdMsecsSinceEpoch(), Qt::UTC);
    const QJsonValue n = field("subscriptionEventNumber", "SubscriptionEventNumber");
    if (n.isDouble())
        m.subscriptionEventNumber = qint64(n.toDouble());
    return m;
}

ParkedMessagesResult read(const StreamsClient &client, const PersistentGroup &group, quint64 limit)
{
    ParkedMessagesResult result;
    ReadRequest request = ReadRequest::forStream(group.parkedStream()).resolvingLinks();
    if (limit > 0)
        request.count(limit + 1); // one more, to tell whether there are more
    const ReadSummary summary = client.read(request, [&result, limit](ResolvedEvent &&e) {
        if (limit > 0 && quint64(result.messages.size()) == limit) {
            result.more = true;
            return false;
        }
        result.messages.append(fromResolved(e));
        return true;
    });
    if (summary.error.kind != ClientError::Kind::StreamNotFound)
        result.error = summary.error;
    return result;
}

} // namespace parked

} // namespace chronoscope
