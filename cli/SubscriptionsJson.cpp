#include "SubscriptionsJson.h"

#include "CliTimeline.h"
#include "client/PersistentSubscriptionJson.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace chronoscope::cli::subscriptionsjson {

namespace {

QJsonObject connection(const PersistentConnection &c)
{
    return QJsonObject{
        {QStringLiteral("from"), c.from},
        {QStringLiteral("username"), c.username},
        {QStringLiteral("connectionName"), c.connectionName},
        {QStringLiteral("totalItems"), c.totalItems},
        {QStringLiteral("availableSlots"), c.availableSlots},
        {QStringLiteral("inFlightMessages"), c.inFlightMessages},
    };
}

QString orNone(const QString &s)
{
    return s.isEmpty() ? QStringLiteral("(none)") : s;
}

QJsonObject event(const RecordedEvent &e)
{
    QJsonObject o{
        {QStringLiteral("stream"), QString::fromUtf8(e.streamId)},
        {QStringLiteral("revision"), qint64(e.revision)},
        {QStringLiteral("id"), e.id.toString(QUuid::WithoutBraces)},
        {QStringLiteral("type"), QString::fromUtf8(e.type)},
        {QStringLiteral("created"), TimelinePoint::timeText(e.createdTicks)},
        {QStringLiteral("commitPosition"), QString::number(e.position.commit)},
    };
    // JSON data as JSON; anything else as base64, byte for byte.
    QJsonParseError error{};
    const QJsonDocument doc = e.isJson() ? QJsonDocument::fromJson(e.data, &error) : QJsonDocument();
    if (e.isJson() && error.error == QJsonParseError::NoError && !doc.isNull())
        o.insert(QStringLiteral("data"), doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()));
    else
        o.insert(QStringLiteral("dataBase64"), QString::fromLatin1(e.data.toBase64()));
    return o;
}

} // namespace

QJsonObject info(const PersistentSubscriptionInfo &i)
{
    QJsonArray connections;
    for (const PersistentConnection &c : i.connections)
        connections.append(connection(c));
    return QJsonObject{
        {QStringLiteral("stream"), QString::fromUtf8(i.eventSource)},
        {QStringLiteral("group"), i.groupName},
        {QStringLiteral("status"), i.status},
        {QStringLiteral("startFrom"), i.startFrom},
        {QStringLiteral("lastCheckpointedPosition"), i.lastCheckpointedPosition},
        {QStringLiteral("lastKnownPosition"), i.lastKnownPosition},
        {QStringLiteral("totalItems"), i.totalItems},
        {QStringLiteral("readBufferCount"), i.readBufferCount},
        {QStringLiteral("retryBufferCount"), i.retryBufferCount},
        {QStringLiteral("totalInFlightMessages"), i.totalInFlightMessages},
        {QStringLiteral("outstandingMessagesCount"), i.outstandingMessagesCount},
        {QStringLiteral("parkedMessageCount"), i.parkedMessageCount},
        {QStringLiteral("settings"), persistentjson::settings(i.settings)},
        {QStringLiteral("connections"), connections},
    };
}

QString infoLine(const PersistentSubscriptionInfo &i)
{
    return QStringLiteral("%1  %2  %3  %4  %5 consumer(s)  %6 in flight  %7 parked  checkpoint %8")
        .arg(QString::fromUtf8(i.eventSource), i.groupName, i.status, i.settings.consumerStrategy)
        .arg(i.connections.size())
        .arg(i.totalInFlightMessages)
        .arg(i.parkedMessageCount)
        .arg(orNone(i.lastCheckpointedPosition));
}

QString infoText(const PersistentSubscriptionInfo &i)
{
    QStringList lines{
        QStringLiteral("stream: %1").arg(QString::fromUtf8(i.eventSource)),
        QStringLiteral("group: %1").arg(i.groupName),
        QStringLiteral("status: %1").arg(i.status),
        QStringLiteral("start from: %1").arg(orNone(i.startFrom)),
        QStringLiteral("last checkpoint: %1").arg(orNone(i.lastCheckpointedPosition)),
        QStringLiteral("last known: %1").arg(orNone(i.lastKnownPosition)),
        QStringLiteral("total items: %1").arg(i.totalItems),
        QStringLiteral("in flight: %1  outstanding: %2  read buffer: %3  retry buffer: %4")
            .arg(i.totalInFlightMessages)
            .arg(i.outstandingMessagesCount)
            .arg(i.readBufferCount)
            .arg(i.retryBufferCount),
        QStringLiteral("parked: %1").arg(i.parkedMessageCount),
    };
    const QJsonObject s = persistentjson::settings(i.settings);
    for (auto it = s.begin(); it != s.end(); ++it)
        lines.append(QStringLiteral("setting %1: %2")
                         .arg(it.key(),
                              it.value().isBool()
                                  ? (it.value().toBool() ? QStringLiteral("true") : QStringLiteral("false"))
                                  : it.value().isString() ? it.value().toString()
                                                          : QString::number(it.value().toInteger())));
    for (const PersistentConnection &c : i.connections)
        lines.append(QStringLiteral("consumer %1 (%2, %3): %4 items, %5 in flight, %6 slots free")
                         .arg(c.from, orNone(c.username), orNone(c.connectionName))
                         .arg(c.totalItems)
                         .arg(c.inFlightMessages)
                         .arg(c.availableSlots));
    return lines.join(QLatin1Char('\n'));
}

QJsonObject parkedMessage(const ParkedMessage &m)
{
    QJsonObject o{
        {QStringLiteral("parkedNumber"), qint64(m.parkedNumber)},
        {QStringLiteral("linkId"), m.link.id.toString(QUuid::WithoutBraces)},
        {QStringLiteral("link"), QString::fromUtf8(m.link.data)},
        {QStringLiteral("reason"), m.reason},
        {QStringLiteral("added"), m.added.isValid() ? m.added.toUTC().toString(Qt::ISODateWithMs) : QString()},
    };
    if (m.subscriptionEventNumber)
        o.insert(QStringLiteral("subscriptionEventNumber"), *m.subscriptionEventNumber);
    if (m.event)
        o.insert(QStringLiteral("event"), event(*m.event));
    return o;
}

QString parkedLine(const ParkedMessage &m)
{
    const QString what = m.event ? QStringLiteral("%1@%2 %3")
                                       .arg(m.event->revision)
                                       .arg(QString::fromUtf8(m.event->streamId), QString::fromUtf8(m.event->type))
                                 : QStringLiteral("%1 (the event is gone)").arg(QString::fromUtf8(m.link.data));
    const QString when = m.added.isValid() ? m.added.toUTC().toString(Qt::ISODate) : QStringLiteral("-");
    return QStringLiteral("#%1  %2  %3  %4").arg(m.parkedNumber).arg(when, what, m.reason.simplified());
}

} // namespace chronoscope::cli::subscriptionsjson
