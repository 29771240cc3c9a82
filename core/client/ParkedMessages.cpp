#include "client/ParkedMessages.h"

#include "client/StreamsClient.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace chronoscope::parked {

namespace {

QByteArray subscriptionStream(const PersistentGroup &group, const char *suffix)
{
    // PersistentSubscriptionMessageParker / PersistentSubscriptionCheckpointWriter: the subscription id is
    // "<stream>::<group>", prefixed with "$persistentsubscription-".
    return QByteArrayLiteral("$persistentsubscription-") + group.stream + "::" + group.group.toUtf8() + suffix;
}

} // namespace

QByteArray streamName(const PersistentGroup &group)
{
    return subscriptionStream(group, "-parked");
}

QByteArray checkpointStreamName(const PersistentGroup &group)
{
    return subscriptionStream(group, "-checkpoint");
}

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
    const QJsonValue n = field("subscriptionEventNumber", "SubscriptionEventNumber");
    if (n.isDouble())
        m.subscriptionEventNumber = qint64(n.toDouble());
    return m;
}

ParkedMessagesResult read(const StreamsClient &client, const PersistentGroup &group, quint64 limit)
{
    ParkedMessagesResult result;
    ReadRequest request = ReadRequest::forStream(streamName(group)).resolvingLinks();
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

} // namespace chronoscope::parked
