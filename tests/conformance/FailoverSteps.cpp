#include "FailoverSteps.h"

#include "DriverJson.h"

#include <condition_variable>
#include <mutex>
#include <stdexcept>

namespace driver {

namespace {

QJsonObject outcome(const Summary &summary, const std::optional<EndPoint> &before, const std::optional<EndPoint> &after)
{
    // The kill cut the call under way when the client went on from another node.
    return QJsonObject{{QStringLiteral("summary"), summary.toJson()},
                       {QStringLiteral("interrupted"), before && after && !(*before == *after)},
                       {QStringLiteral("recovery"), QJsonObject{{QStringLiteral("inCall"), true}}}};
}

/// Kills the leader from a client callback, which must not throw: the error is kept for later.
void killFromCallback(const Context &c, QString *error)
{
    try {
        killLeader(c);
    } catch (const std::exception &e) {
        *error = QString::fromUtf8(e.what());
    }
}

} // namespace

QJsonObject readThroughFailover(const StreamsClient &client, const Context &c, const QJsonObject &step)
{
    const int killAfter = step.value(QStringLiteral("killLeaderAfter")).toInt();
    Summary summary;
    std::optional<EndPoint> before;
    QString killError;
    bool killed = false;
    const ReadSummary s = client.read(ReadRequest::forStream(step.value(QStringLiteral("stream")).toString().toUtf8()),
                                      [&](ResolvedEvent &&e) {
                                          summary.add(e);
                                          if (killed || summary.count() != killAfter)
                                              return true;
                                          killed = true;
                                          before = client.currentNode();
                                          killFromCallback(c, &killError);
                                          return killError.isEmpty();
                                      });
    if (!killError.isEmpty())
        driverError(QStringLiteral("kill: ") + killError);
    if (s.error)
        return errorResult(s.error);
    if (!killed)
        driverError(QStringLiteral("the read ended before killLeaderAfter events"));
    return outcome(summary, before, client.currentNode());
}

QJsonObject subscribeThroughFailover(const StreamsClient &client, const Context &c, const QJsonObject &step,
                                     const LiveStepRunner &runLive)
{
    const int killAfter = step.value(QStringLiteral("killLeaderAfter")).toInt();
    const int count = step.value(QStringLiteral("count")).toInt();
    struct Progress
    {
        std::mutex mutex;
        std::condition_variable changed;
        Summary summary;
        bool caughtUp = false;
        std::optional<ClientError> end; ///< set when the subscription ended
        std::optional<EndPoint> before;  ///< the node it was on when the leader was killed
        QString killError;
    } p;
    auto sub = client.subscribe(
        ReadRequest::forStream(step.value(QStringLiteral("stream")).toString().toUtf8()),
        [&](SubscriptionMessage &&m) {
            std::unique_lock lock(p.mutex);
            if (m.kind == SubscriptionMessage::Kind::CaughtUp)
                p.caughtUp = true;
            if (m.kind == SubscriptionMessage::Kind::Event) {
                p.summary.add(m.event);
                if (p.summary.count() == killAfter) {
                    // Killed while catching up, from the delivering thread: events are in flight.
                    p.before = client.currentNode();
                    lock.unlock();
                    QString error;
                    killFromCallback(c, &error);
                    lock.lock();
                    p.killError = error;
                }
            }
            p.changed.notify_all();
        },
        [&](const ClientError &e) {
            std::lock_guard lock(p.mutex);
            p.end = e;
            p.changed.notify_all();
        });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::unique_lock lock(p.mutex);
    p.changed.wait_until(lock, deadline, [&] { return p.caughtUp || p.end || !p.killError.isEmpty(); });
    const auto fail = [&](const QString &what) {
        lock.unlock();
        sub->cancel();
        sub->wait();
        driverError(what);
    };
    if (!p.killError.isEmpty())
        fail(QStringLiteral("kill: ") + p.killError);
    if (p.end)
        return errorResult(*p.end);
    if (!p.caughtUp)
        fail(QStringLiteral("subscription: no caughtUp after 60 s (%1 events)").arg(p.summary.count()));
    lock.unlock();
    QJsonArray live;
    for (const QJsonValue &v : step.value(QStringLiteral("live")).toArray())
        live.append(runLive(v.toObject()));
    lock.lock();
    if (!p.changed.wait_until(lock, deadline, [&] { return p.end || p.summary.count() >= count; }))
        fail(QStringLiteral("subscription: %1 of %2 events after 60 s").arg(p.summary.count()).arg(count));
    if (p.end)
        return errorResult(*p.end);
    lock.unlock();
    sub->cancel();
    sub->wait();
    QJsonObject out = outcome(p.summary, p.before, client.currentNode());
    out.insert(QStringLiteral("live"), live);
    return out;
}

} // namespace driver
