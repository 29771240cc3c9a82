#include "PersistentSteps.h"

#include "DriverJson.h"

#include "client/PersistentSubscriptionsClient.h"

#include <QJsonArray>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

using namespace chronoscope;
using driver::errorResult;

namespace {

PersistentSubscriptionSettings settingsOf(const QJsonObject &step)
{
    const QJsonObject s = step.value(QStringLiteral("settings")).toObject();
    PersistentSubscriptionSettings
        out; // the official clients' defaults, as persistentSubscriptionToStreamSettingsFromDefaults
    auto num = [&](const char *key, int fallback) { return s.value(QLatin1String(key)).toInt(fallback); };
    out.resolveLinks = s.value(QStringLiteral("resolveLinkTos")).toBool(false);
    out.extraStatistics = s.value(QStringLiteral("extraStatistics")).toBool(false);
    out.messageTimeoutMs = num("messageTimeout", out.messageTimeoutMs);
    out.maxRetryCount = num("maxRetryCount", out.maxRetryCount);
    out.checkpointAfterMs = num("checkPointAfter", out.checkpointAfterMs);
    out.minCheckpointCount = num("checkPointLowerBound", out.minCheckpointCount);
    out.maxCheckpointCount = num("checkPointUpperBound", out.maxCheckpointCount);
    out.liveBufferSize = num("liveBufferSize", out.liveBufferSize);
    out.readBatchSize = num("readBatchSize", out.readBatchSize);
    out.historyBufferSize = num("historyBufferSize", out.historyBufferSize);
    return out;
}

QJsonObject infoJson(const PersistentSubscriptionInfo &i)
{
    const PersistentSubscriptionSettings &s = i.settings;
    const QString startFrom = !s.startFrom ? QStringLiteral("end")
        : *s.startFrom == 0                ? QStringLiteral("start")
                                           : QString::number(*s.startFrom);
    return QJsonObject{
        {QStringLiteral("eventSource"), QString::fromUtf8(i.eventSource)},
        {QStringLiteral("groupName"), i.groupName},
        {QStringLiteral("settings"),
         QJsonObject{
             {QStringLiteral("resolveLinkTos"), s.resolveLinks},
             {QStringLiteral("extraStatistics"), s.extraStatistics},
             {QStringLiteral("messageTimeout"), s.messageTimeoutMs},
             {QStringLiteral("maxRetryCount"), s.maxRetryCount},
             {QStringLiteral("checkPointAfter"), s.checkpointAfterMs},
             {QStringLiteral("checkPointLowerBound"), s.minCheckpointCount},
             {QStringLiteral("checkPointUpperBound"), s.maxCheckpointCount},
             {QStringLiteral("maxSubscriberCount"),
              s.maxSubscriberCount == 0 ? QStringLiteral("unbounded") : QString::number(s.maxSubscriberCount)},
             {QStringLiteral("liveBufferSize"), s.liveBufferSize},
             {QStringLiteral("readBatchSize"), s.readBatchSize},
             {QStringLiteral("historyBufferSize"), s.historyBufferSize},
             {QStringLiteral("consumerStrategyName"), s.consumerStrategy},
             {QStringLiteral("startFrom"), startFrom},
         }},
        {QStringLiteral("parkedMessageCount"), QString::number(i.parkedMessageCount)},
    };
}

QJsonObject okOr(const ClientError &e)
{
    return e ? errorResult(e) : QJsonObject{{QStringLiteral("ok"), true}};
}

/// Consumes until `count` events arrived, acting on each by revision as persistent.js does.
QJsonObject consume(const PersistentSubscriptionsClient &client, const PersistentGroup &group, const QJsonObject &step)
{
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<PersistentEvent> queue;
    std::optional<ClientError> end;
    ClientError error;
    auto sub = client.subscribe(
        group, 10,
        [&](PersistentEvent &&e) {
            std::lock_guard lock(mutex);
            queue.push_back(std::move(e));
            wake.notify_all();
        },
        [&](const ClientError &e) {
            std::lock_guard lock(mutex);
            end = e;
            wake.notify_all();
        },
        {}, &error);
    if (!sub)
        return errorResult(error);
    const int count = step.value(QStringLiteral("count")).toInt();
    const QJsonObject actions = step.value(QStringLiteral("actions")).toObject();
    const QString reason = step.value(QStringLiteral("reason")).toString(QStringLiteral("conformance"));
    QJsonArray received;
    while (received.size() < count) {
        std::unique_lock lock(mutex);
        if (!wake.wait_for(lock, std::chrono::seconds(10), [&] { return !queue.empty() || end; }))
            break;
        if (queue.empty())
            break;
        PersistentEvent e = std::move(queue.front());
        queue.pop_front();
        lock.unlock();
        const QString revision = QString::number(e.event.event ? e.event.event->revision
                                                               : e.event.originalEvent().revision);
        received.append(QJsonObject{{QStringLiteral("revision"), revision},
                                    {QStringLiteral("retryCount"), e.retryCount},
                                    {QStringLiteral("viaLink"), e.event.link.has_value()}});
        const QString action = e.retryCount > 0 ? QStringLiteral("ack")
                                                : actions.value(revision).toString(QStringLiteral("ack"));
        if (action == QLatin1String("ack"))
            sub->ack({e.ackId()});
        else
            sub->nack({e.ackId()},
                      action == QLatin1String("park")        ? NackAction::Park
                          : action == QLatin1String("retry") ? NackAction::Retry
                                                             : NackAction::Skip,
                      reason);
    }
    // Leave only once the server has taken every ack and nack (as persistent.js does).
    for (int i = 0; i < 500 && client.getInfo(group).info.outstandingMessagesCount > 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    sub->cancel();
    sub->wait();
    return QJsonObject{{QStringLiteral("received"), received}};
}

} // namespace

std::optional<QJsonObject> runPersistentStep(const ConnectionSettings &settings, const QJsonObject &step)
{
    const QString op = step.value(QStringLiteral("op")).toString();
    if (!op.startsWith(QLatin1String("ps")))
        return std::nullopt;
    const PersistentSubscriptionsClient client(settings);
    const PersistentGroup group = PersistentGroup::onStream(step.value(QStringLiteral("stream")).toString().toUtf8(),
                                                            step.value(QStringLiteral("group")).toString());
    if (op == QLatin1String("psCreate"))
        return okOr(client.create(group, settingsOf(step)).error);
    if (op == QLatin1String("psUpdate"))
        return okOr(client.update(group, settingsOf(step)).error);
    if (op == QLatin1String("psDelete"))
        return okOr(client.remove(group).error);
    if (op == QLatin1String("psReplay")) {
        const QJsonValue stopAt = step.value(QStringLiteral("stopAt"));
        return okOr(
            client.replayParked(group, stopAt.isDouble() ? std::optional<qint64>(stopAt.toInteger()) : std::nullopt)
                .error);
    }
    if (op == QLatin1String("psInfo")) {
        const PersistentInfoResult r = client.getInfo(group);
        return r.error ? errorResult(r.error) : QJsonObject{{QStringLiteral("info"), infoJson(r.info)}};
    }
    if (op == QLatin1String("psList")) {
        const PersistentListResult r = step.contains(QStringLiteral("stream")) ? client.list(group.stream)
                                                                               : client.list();
        if (r.error)
            return errorResult(r.error);
        QStringList groups;
        for (const PersistentSubscriptionInfo &i : r.subscriptions)
            groups << QString::fromUtf8(i.eventSource) + QStringLiteral("::") + i.groupName;
        groups.sort();
        return QJsonObject{{QStringLiteral("groups"), QJsonArray::fromStringList(groups)}};
    }
    if (op == QLatin1String("psConsume"))
        return consume(client, group, step);
    return std::nullopt;
}
