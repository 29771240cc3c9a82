// Conformance driver for our own client (chronoscope_core): runs scenarios.json against a
// sandbox and prints the same normalised JSON document as kurrent.js / eventstore.js, so
// compare.js can hold it against the official clients field by field. The result shape is in
// DriverJson, the cluster and failover steps in ClusterSteps and FailoverSteps.
#include "ClusterSteps.h"
#include "DriverJson.h"
#include "FailoverSteps.h"
#include "PersistentSteps.h"
#include "ProjectionSteps.h"
#include "client/StreamsClient.h"
#include "connection/ConnectionSettings.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <stdexcept>

using namespace chronoscope;
using namespace driver;

namespace {

QJsonObject runStep(const StreamsClient &client, const Context &c, const QJsonObject &step, const QJsonObject &previous);

/// What a subscription delivered, filled on its thread and read on the driver's.
struct SubscriptionLog
{
    std::mutex mutex;
    std::condition_variable changed;
    QJsonArray events;
    QList<Position> checkpoints;
    std::optional<QJsonObject> caughtUpAt;
    bool ended = false;
    ClientError end;
};

QJsonObject caughtUpInfo(const SubscriptionMessage &m)
{
    if (m.streamRevision)
        return QJsonObject{{QStringLiteral("revision"), QString::number(*m.streamRevision)}};
    if (m.position)
        return QJsonObject{{QStringLiteral("position"), position(*m.position)}};
    return QJsonObject{};
}

/// As common.js subscribe(): caughtUp, then the live steps, then `count` events (or the server's end).
QJsonObject runSubscribe(const StreamsClient &client, const Context &c, const QJsonObject &step, const QJsonObject &previous)
{
    ReadRequest r = step.contains(QStringLiteral("stream"))
        ? ReadRequest::forStream(step.value(QStringLiteral("stream")).toString().toUtf8())
        : ReadRequest::forAll();
    applyReadOptions(step, &r);
    if (step.value(QStringLiteral("from")).toString() == QLatin1String("$prev"))
        r.fromPosition(lastPosition(previous));
    if (step.contains(QStringLiteral("filter"))) {
        const QJsonObject f = step.value(QStringLiteral("filter")).toObject();
        ReadFilter filter = filterOf(f);
        filter.checkpointIntervalMultiplier = quint32(f.value(QStringLiteral("checkpointInterval")).toInt(1));
        if (f.contains(QStringLiteral("maxSearchWindow")))
            filter.maxSearchWindow = quint32(f.value(QStringLiteral("maxSearchWindow")).toInt());
        r.filtered(filter);
    }
    const int count = step.value(QStringLiteral("count")).toInt();
    const bool expectEnd = step.value(QStringLiteral("expectEnd")).toBool();
    SubscriptionLog log;
    auto sub = client.subscribe(
        r,
        [&log](SubscriptionMessage &&m) {
            std::lock_guard lock(log.mutex);
            if (m.kind == SubscriptionMessage::Kind::Event)
                log.events.append(resolved(m.event));
            else if (m.kind == SubscriptionMessage::Kind::Checkpoint)
                log.checkpoints << *m.position;
            else if (m.kind == SubscriptionMessage::Kind::CaughtUp && !log.caughtUpAt)
                log.caughtUpAt = caughtUpInfo(m);
            log.changed.notify_all();
        },
        [&log](const ClientError &e) {
            std::lock_guard lock(log.mutex);
            log.ended = true;
            log.end = e;
            log.changed.notify_all();
        },
        credentialsOf(step, c.users));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    std::unique_lock lock(log.mutex);
    log.changed.wait_until(lock, deadline, [&] { return log.caughtUpAt || log.ended; });
    if (!log.caughtUpAt) {
        if (log.ended && log.end)
            return errorResult(log.end);
        driverError(QStringLiteral("subscription: no caughtUp after 20 s"));
    }
    lock.unlock();
    QJsonArray live;
    for (const QJsonValue &v : step.value(QStringLiteral("live")).toArray()) {
        const QJsonObject s = v.toObject();
        QJsonObject outcome = runStep(client, c, s, QJsonObject());
        outcome.insert(QStringLiteral("step"), s.value(QStringLiteral("label")).toString(
            s.value(QStringLiteral("op")).toString() + QLatin1Char(' ') + s.value(QStringLiteral("stream")).toString(QStringLiteral("$all"))));
        live.append(outcome);
    }
    lock.lock();
    if (!log.changed.wait_until(lock, deadline, [&] { return log.ended || (!expectEnd && log.events.size() >= count); }))
        driverError(QStringLiteral("subscription: %1 of %2 events after 20 s").arg(log.events.size()).arg(count));
    lock.unlock();
    sub->cancel();
    sub->wait();
    lock.lock();
    std::optional<quint64> limit;
    if (!log.events.isEmpty()) {
        const QJsonObject last = log.events.last().toObject();
        const QJsonObject holder = last.contains(QStringLiteral("link")) ? last.value(QStringLiteral("link")).toObject() : last;
        limit = holder.value(QStringLiteral("position")).toObject().value(QStringLiteral("commit")).toString().toULongLong();
    }
    QJsonArray checkpoints;
    for (const Position &p : log.checkpoints)
        if (limit && p.commit <= *limit)
            checkpoints.append(position(p));
    QJsonObject out{{QStringLiteral("events"), log.events},
                    {QStringLiteral("caughtUp"), true},
                    {QStringLiteral("caughtUpAt"), *log.caughtUpAt},
                    {QStringLiteral("checkpoints"), checkpoints},
                    {QStringLiteral("live"), live}};
    if (log.end && log.end.kind != ClientError::Kind::Cancelled)
        out.insert(QStringLiteral("end"), log.end.kindName());
    return out;
}

QJsonObject runStep(const StreamsClient &client, const Context &c, const QJsonObject &step, const QJsonObject &previous)
{
    const StreamsClient::Credentials auth = credentialsOf(step, c.users);
    if (auto projectionResult = runProjectionStep(c.settings, step, auth))
        return *projectionResult;
    if (auto persistentResult = runPersistentStep(c.settings, step))
        return *persistentResult;
    const QString op = step.value(QStringLiteral("op")).toString();
    const QByteArray stream = step.value(QStringLiteral("stream")).toString().toUtf8();
    if (op == QLatin1String("members"))
        return membersResult(c);
    if (op == QLatin1String("connection"))
        return connectionResult(client, step, c);
    if (op == QLatin1String("append")) {
        const QList<EventData> events = stepEvents(step);
        const bool requiresLeader = step.value(QStringLiteral("requiresLeader")).toBool();
        // Our client asks for the leader on every call when nodePreference=leader (as the Rust
        // client does), not per call; a step asking otherwise cannot be expressed.
        if (requiresLeader && c.settings.nodePreference != NodePreference::Leader)
            driverError(QStringLiteral("requiresLeader needs nodePreference=leader with our client"));
        std::optional<EndPoint> before = client.currentNode();
        if (!before && !c.settings.usesGossip())
            before = c.settings.hosts.first();
        QJsonObject result =
            appendResult(client.append(stream, expectedState(step.value(QStringLiteral("expected"))), events, auth));
        if (requiresLeader) {
            // The client followed a not-leader answer when it now talks to another node.
            const std::optional<EndPoint> after = client.currentNode();
            result.insert(QStringLiteral("redirected"), before && after && !(*before == *after));
        }
        return result;
    }
    if (op == QLatin1String("subscribe") && step.contains(QStringLiteral("killLeaderAfter")))
        return subscribeThroughFailover(client, c, step, [&](const QJsonObject &s) {
            QJsonObject outcome = runStep(client, c, s, QJsonObject());
            outcome.insert(QStringLiteral("step"), s.value(QStringLiteral("label")).toString(
                s.value(QStringLiteral("op")).toString() + QLatin1Char(' ') + s.value(QStringLiteral("stream")).toString()));
            return outcome;
        });
    if (op == QLatin1String("subscribe"))
        return runSubscribe(client, c, step, previous);
    if (op == QLatin1String("read") && step.contains(QStringLiteral("killLeaderAfter")))
        return readThroughFailover(client, c, step);
    if (op == QLatin1String("read")) {
        ReadRequest r = ReadRequest::forStream(stream);
        applyReadOptions(step, &r);
        const ReadResult read = client.readAll(r, auth);
        if (!step.value(QStringLiteral("summary")).toBool() || read.error)
            return readResult(read);
        Summary summary;
        for (const ResolvedEvent &e : read.events)
            summary.add(e);
        return QJsonObject{{QStringLiteral("summary"), summary.toJson()}};
    }
    if (op == QLatin1String("readAll")) {
        ReadRequest r = ReadRequest::forAll();
        applyReadOptions(step, &r);
        if (step.value(QStringLiteral("from")).toString() == QLatin1String("$prev"))
            r.fromPosition(lastPosition(previous));
        if (step.contains(QStringLiteral("filter")))
            r.filtered(filterOf(step.value(QStringLiteral("filter")).toObject()));
        return readResult(client.readAll(r, auth));
    }
    if (op == QLatin1String("delete") || op == QLatin1String("tombstone")) {
        const ExpectedState expected = expectedState(step.value(QStringLiteral("expected")));
        const DeleteResult r = op == QLatin1String("delete") ? client.deleteStream(stream, expected, auth)
                                                             : client.tombstoneStream(stream, expected, auth);
        if (r.error)
            return errorResult(r.error);
        return QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("position"), position(r.position)}};
    }
    if (op == QLatin1String("getMetadata")) {
        const StreamMetadataResult r = client.getStreamMetadata(stream, auth);
        if (r.error)
            return errorResult(r.error);
        return QJsonObject{{QStringLiteral("metadata"), r.metadata ? QJsonValue(r.metadata->toJson()) : QJsonValue()}};
    }
    if (op == QLatin1String("setMetadata")) {
        QString error;
        const auto metadata = StreamMetadata::fromJson(jsonBytes(step.value(QStringLiteral("metadata"))), &error);
        if (!metadata)
            driverError(error);
        return appendResult(client.setStreamMetadata(stream, *metadata, ExpectedState::any(), auth));
    }
    driverError(QStringLiteral("unknown op ") + op);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    int port = 0;
    QList<int> ports; // --ports: every node of a --cluster sandbox
    qint64 sandboxPid = 0; // --sandbox-pid: the failover steps signal it
    QString scenariosPath = QStringLiteral("scenarios.json");
    QString caFile; // --ca: a secure sandbox, verified against this CA
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--port"))
            port = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--ports"))
            for (const QString &p : args[i + 1].split(QLatin1Char(',')))
                ports << p.toInt();
        else if (args[i] == QLatin1String("--scenarios"))
            scenariosPath = args[i + 1];
        else if (args[i] == QLatin1String("--ca"))
            caFile = args[i + 1];
        else if (args[i] == QLatin1String("--sandbox-pid"))
            sandboxPid = args[i + 1].toLongLong();
    }
    if (port <= 0) {
        std::fprintf(stderr, "usage: conformance_cpp_driver --port PORT [--scenarios scenarios.json] [--ca CA_FILE] "
                             "[--ports P0,P1,… --sandbox-pid PID]\n");
        return 2;
    }
    QFile file(scenariosPath);
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s\n", qPrintable(scenariosPath));
        return 2;
    }
    const QJsonObject spec = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonArray scenarios = spec.value(QStringLiteral("scenarios")).toArray();
    const QJsonObject users = spec.value(QStringLiteral("users")).toObject();

    const QString tls = caFile.isEmpty() ? QStringLiteral("tls=false") : QStringLiteral("tls=true&tlsCAFile=") + caFile;
    const auto parsed = ConnectionString::parse(QStringLiteral("kurrentdb://127.0.0.1:%1?%2").arg(port).arg(tls));
    if (!parsed.ok()) {
        std::fprintf(stderr, "connection string: %s\n", qPrintable(parsed.error));
        return 2;
    }
    auto shared = std::make_unique<StreamsClient>(parsed.settings);
    Context context{port, ports, sandboxPid, users, parsed.settings};

    QJsonArray output;
    for (const QJsonValue &sv : scenarios) {
        const QJsonObject scenario = sv.toObject();
        QJsonArray results;
        QJsonObject previous;
        // A scenario with its own `connection` (clusters) gets a client of its own.
        Context c = context;
        std::unique_ptr<StreamsClient> own;
        if (scenario.contains(QStringLiteral("connection"))) {
            const QString cs = clusterConnectionString(scenario.value(QStringLiteral("connection")).toObject(), context);
            const auto p = ConnectionString::parse(cs);
            if (!p.ok()) {
                std::fprintf(stderr, "connection string %s: %s\n", qPrintable(cs), qPrintable(p.error));
                return 2;
            }
            c.settings = p.settings;
            own = std::make_unique<StreamsClient>(p.settings);
        }
        for (const QJsonValue &stv : scenario.value(QStringLiteral("steps")).toArray()) {
            const QJsonObject step = stv.toObject();
            const StreamsClient &client = own ? *own : *shared;
            QJsonObject outcome;
            if (step.value(QStringLiteral("op")).toString() == QLatin1String("restart")) {
                // As the Node drivers: the client goes before the sandbox restarts (compare.js
                // does that when asked on stderr and answers on stdin), a new one comes after.
                if (own) {
                    std::fprintf(stderr, "restart: only on the shared client\n");
                    return 2;
                }
                shared.reset();
                std::fputs("@@restart\n", stderr);
                std::fflush(stderr);
                char answer[256] = {};
                if (!std::fgets(answer, sizeof answer, stdin) || std::strncmp(answer, "restarted", 9) != 0) {
                    std::fprintf(stderr, "restart: %s\n", answer);
                    return 2;
                }
                shared = std::make_unique<StreamsClient>(parsed.settings);
                results.append(QJsonObject{{QStringLiteral("step"),
                                            step.value(QStringLiteral("label")).toString(QStringLiteral("restart"))},
                                           {QStringLiteral("ok"), true}});
                continue;
            }
            try {
                outcome = runStep(client, c, step, previous);
            } catch (const std::exception &e) {
                outcome = QJsonObject{{QStringLiteral("error"),
                                       QJsonObject{{QStringLiteral("kind"), QStringLiteral("driver-exception")},
                                                   {QStringLiteral("message"), QString::fromUtf8(e.what())}}}};
            }
            previous = outcome;
            const QString label = step.contains(QStringLiteral("label"))
                ? step.value(QStringLiteral("label")).toString()
                : step.value(QStringLiteral("op")).toString() + QLatin1Char(' ')
                    + step.value(QStringLiteral("stream")).toString(step.value(QStringLiteral("name")).toString(QStringLiteral("$all")));
            outcome.insert(QStringLiteral("step"), label);
            results.append(outcome);
        }
        output.append(QJsonObject{{QStringLiteral("scenario"), scenario.value(QStringLiteral("name"))},
                                  {QStringLiteral("result"), results}});
    }
    const QByteArray json = QJsonDocument(output).toJson(QJsonDocument::Indented);
    std::fwrite(json.constData(), 1, size_t(json.size()), stdout);
    return 0;
}
