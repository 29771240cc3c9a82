// Conformance driver for our own client (chronoscope_core): runs scenarios.json against a
// sandbox and prints the same normalised JSON document as kurrent.js / eventstore.js, so
// compare.js can hold it against the official clients field by field.
#include "ConnectionSettings.h"
#include "ProjectionSteps.h"
#include "StreamsClient.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <stdexcept>

using namespace chronoscope;

namespace {

QString str(quint64 n) { return QString::number(n); }

// QJsonDocument only holds objects and arrays; scalars travel inside a one-element array.
QByteArray jsonBytes(const QJsonValue &v)
{
    if (v.isObject())
        return QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
    if (v.isArray())
        return QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
    const QByteArray wrapped = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

std::optional<QJsonValue> parseJson(const QByteArray &bytes)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + bytes + ']', &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray() || doc.array().size() != 1)
        return std::nullopt;
    return doc.array().at(0);
}

QJsonValue position(const Position &p)
{
    return QJsonObject{{QStringLiteral("commit"), str(p.commit)}, {QStringLiteral("prepare"), str(p.prepare)}};
}

QJsonValue position(const std::optional<Position> &p) { return p ? position(*p) : QJsonValue(); }

// The official clients parse JSON data (falling back to the text) and metadata (falling back to
// the bytes); mirror that so only protocol differences remain.
QJsonObject record(const RecordedEvent &e)
{
    QJsonValue data;
    if (e.isJson())
        data = parseJson(e.data).value_or(QJsonValue(QString::fromUtf8(e.data)));
    else
        data = QString::fromLatin1(e.data.toBase64());
    QJsonValue metadata;
    if (!e.metadata.isEmpty())
        metadata = parseJson(e.metadata).value_or(QJsonValue(QString::fromLatin1(e.metadata.toBase64())));
    return QJsonObject{
        {QStringLiteral("streamId"), QString::fromUtf8(e.streamId)},
        {QStringLiteral("id"), e.id.toString(QUuid::WithoutBraces)},
        {QStringLiteral("revision"), str(e.revision)},
        {QStringLiteral("type"), QString::fromUtf8(e.type)},
        {QStringLiteral("isJson"), e.isJson()},
        {QStringLiteral("data"), data},
        {QStringLiteral("metadata"), metadata},
        {QStringLiteral("created"), e.createdMsecsSinceEpoch()},
        {QStringLiteral("position"), position(e.position)},
    };
}

QJsonObject resolved(const ResolvedEvent &e)
{
    QJsonObject out = e.event ? record(*e.event) : QJsonObject{{QStringLiteral("event"), QJsonValue()}};
    if (e.link)
        out.insert(QStringLiteral("link"), record(*e.link));
    out.insert(QStringLiteral("commitPosition"), e.commitPosition ? QJsonValue(str(*e.commitPosition)) : QJsonValue());
    return out;
}

QJsonObject errorResult(const ClientError &e)
{
    QJsonObject error{{QStringLiteral("kind"), e.kindName()}};
    if (e.kind == ClientError::Kind::WrongExpectedVersion) {
        error.insert(QStringLiteral("expected"), e.expected.toString());
        error.insert(QStringLiteral("actual"), e.actualRevision ? str(*e.actualRevision) : QStringLiteral("no_stream"));
    }
    if (e.kind == ClientError::Kind::Unknown || e.kind == ClientError::Kind::ProtocolError)
        error.insert(QStringLiteral("message"), e.message);
    return QJsonObject{{QStringLiteral("error"), error}};
}

[[noreturn]] void driverError(const QString &what) { throw std::runtime_error(what.toStdString()); }

ExpectedState expectedState(const QJsonValue &v)
{
    if (v.isDouble())
        return ExpectedState::at(quint64(v.toInteger()));
    const QString s = v.toString();
    if (s == QLatin1String("any")) return ExpectedState::any();
    if (s == QLatin1String("no_stream")) return ExpectedState::noStream();
    if (s == QLatin1String("stream_exists")) return ExpectedState::streamExists();
    driverError(QStringLiteral("bad expected state"));
}

EventData eventData(const QJsonObject &e)
{
    EventData d;
    d.id = QUuid::fromString(e.value(QStringLiteral("id")).toString());
    d.type = e.value(QStringLiteral("type")).toString().toUtf8();
    if (e.contains(QStringLiteral("data"))) {
        d.contentType = "application/json";
        d.data = jsonBytes(e.value(QStringLiteral("data")));
    } else {
        d.contentType = "application/octet-stream";
        d.data = e.contains(QStringLiteral("binary"))
            ? QByteArray::fromBase64(e.value(QStringLiteral("binary")).toString().toLatin1())
            : e.value(QStringLiteral("text")).toString().toUtf8();
    }
    if (e.contains(QStringLiteral("metadata")))
        d.metadata = jsonBytes(e.value(QStringLiteral("metadata")));
    else if (e.contains(QStringLiteral("metadataBinary")))
        d.metadata = QByteArray::fromBase64(e.value(QStringLiteral("metadataBinary")).toString().toLatin1());
    else if (e.contains(QStringLiteral("metadataText")))
        d.metadata = e.value(QStringLiteral("metadataText")).toString().toUtf8();
    return d;
}

QJsonObject appendResult(const AppendResult &r)
{
    if (r.error)
        return errorResult(r.error);
    return QJsonObject{
        {QStringLiteral("ok"), true},
        {QStringLiteral("nextExpectedRevision"), r.nextExpectedRevision ? QJsonValue(str(*r.nextExpectedRevision)) : QJsonValue()},
        {QStringLiteral("position"), position(r.position)},
    };
}

QJsonObject readResult(const ReadResult &r)
{
    if (r.error)
        return errorResult(r.error);
    QJsonArray events;
    for (const ResolvedEvent &e : r.events)
        events.append(resolved(e));
    return QJsonObject{{QStringLiteral("events"), events}};
}

void applyReadOptions(const QJsonObject &step, ReadRequest *r)
{
    r->direction = step.value(QStringLiteral("direction")).toString() == QLatin1String("backwards") ? Direction::Backwards
                                                                                                    : Direction::Forwards;
    const QJsonValue from = step.value(QStringLiteral("from"));
    if (from.isDouble())
        r->fromRevision(quint64(from.toInteger()));
    else if (from.toString() == QLatin1String("end"))
        r->fromEnd();
    else
        r->fromStart();
    if (step.contains(QStringLiteral("maxCount")))
        r->count(quint64(step.value(QStringLiteral("maxCount")).toInteger()));
    r->resolvingLinks(step.value(QStringLiteral("resolveLinks")).toBool());
}

ReadFilter filterOf(const QJsonObject &f)
{
    if (f.value(QStringLiteral("excludeSystemEvents")).toBool())
        return ReadFilter::excludeSystemEvents();
    const bool eventType = f.value(QStringLiteral("on")).toString() == QLatin1String("eventType");
    if (f.contains(QStringLiteral("regex"))) {
        const QString regex = f.value(QStringLiteral("regex")).toString();
        return eventType ? ReadFilter::eventTypeRegex(regex) : ReadFilter::streamRegex(regex);
    }
    QStringList prefixes;
    for (const QJsonValue &p : f.value(QStringLiteral("prefixes")).toArray())
        prefixes << p.toString();
    return eventType ? ReadFilter::eventTypePrefix(prefixes) : ReadFilter::streamPrefix(prefixes);
}

Position lastPosition(const QJsonObject &previous)
{
    const QJsonArray events = previous.value(QStringLiteral("events")).toArray();
    if (events.isEmpty())
        driverError(QStringLiteral("'$prev' needs a previous step that read at least one event"));
    const QJsonObject last = events.last().toObject();
    const QJsonObject p = (last.contains(QStringLiteral("link")) ? last.value(QStringLiteral("link")).toObject() : last)
                              .value(QStringLiteral("position")).toObject();
    return {p.value(QStringLiteral("commit")).toString().toULongLong(), p.value(QStringLiteral("prepare")).toString().toULongLong()};
}

// A step's `as` names a user of the scenario file's `users`; without it (or "anonymous") the call
// carries the connection's credentials, which secure runs leave empty.
StreamsClient::Credentials credentialsOf(const QJsonObject &step, const QJsonObject &users)
{
    const QString as = step.value(QStringLiteral("as")).toString();
    if (as.isEmpty() || as == QLatin1String("anonymous"))
        return std::nullopt;
    if (!users.contains(as))
        driverError(QStringLiteral("unknown user ") + as);
    const QJsonObject u = users.value(as).toObject();
    return UserCredentials{u.value(QStringLiteral("username")).toString(), u.value(QStringLiteral("password")).toString()};
}

// --- clusters (scenarios-cluster.json) ---

/// Everything a step may need besides its client: the sandbox's ports, the scenario file's users,
/// the client of the first node (for gossip) and the settings of the step's own client.
struct Context
{
    int port = 0;
    QList<int> ports;
    QJsonObject users;
    const StreamsClient *firstNode = nullptr;
    ConnectionSettings settings;
};

/// The connection string of a scenario's `connection` (nodes named by index), as common.js makes it.
QString clusterConnectionString(const QJsonObject &connection, const Context &c)
{
    QStringList hosts;
    const QJsonArray indexes = connection.value(QStringLiteral("hosts")).toArray(QJsonArray{0});
    for (const QJsonValue &i : indexes)
        hosts << QStringLiteral("127.0.0.1:%1").arg(c.ports.value(i.toInt(), c.port));
    const QString preference = connection.value(QStringLiteral("nodePreference")).toString();
    return QStringLiteral("esdb%1://%2?tls=false%3")
        .arg(connection.value(QStringLiteral("discover")).toBool() ? QStringLiteral("+discover") : QString(),
             hosts.join(QLatin1Char(',')),
             preference.isEmpty() ? QString() : QStringLiteral("&nodePreference=") + preference);
}

QList<ClusterMember> members(const Context &c)
{
    const GossipResult g = c.firstNode->clusterMembers();
    if (g.error)
        driverError(QStringLiteral("gossip: ") + g.error.toString());
    return g.members;
}

QJsonObject membersResult(const Context &c)
{
    // Ports differ between runs: what each node is, sorted by state, as common.js reports it.
    QList<QPair<QString, bool>> list;
    for (const ClusterMember &m : members(c))
        list << qMakePair(ClusterMember::stateName(m.state), m.alive);
    std::sort(list.begin(), list.end());
    QJsonArray out;
    for (const auto &m : list)
        out.append(QJsonObject{{QStringLiteral("state"), m.first}, {QStringLiteral("alive"), m.second}});
    return QJsonObject{{QStringLiteral("members"), out}};
}

QJsonObject connectionResult(const StreamsClient &client, const QJsonObject &step, const Context &c)
{
    const auto node = client.currentNode();
    if (!node)
        driverError(QStringLiteral("the client is connected to no node"));
    QString role = QStringLiteral("not a member (%1)").arg(node->toString());
    for (const ClusterMember &m : members(c))
        if (m.endPoint && m.endPoint->port == node->port)
            role = ClusterMember::stateName(m.state);
    if (step.value(QStringLiteral("anyRole")).toBool()
        && (role == QLatin1String("Leader") || role == QLatin1String("Follower")
            || role == QLatin1String("ReadOnlyReplica")))
        role = QStringLiteral("any serving node");
    return QJsonObject{{QStringLiteral("role"), role}};
}

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
    if (auto projectionResult = runProjectionStep(c.port, step))
        return *projectionResult;
    const StreamsClient::Credentials auth = credentialsOf(step, c.users);
    const QString op = step.value(QStringLiteral("op")).toString();
    const QByteArray stream = step.value(QStringLiteral("stream")).toString().toUtf8();
    if (op == QLatin1String("members"))
        return membersResult(c);
    if (op == QLatin1String("connection"))
        return connectionResult(client, step, c);
    if (op == QLatin1String("append")) {
        QList<EventData> events;
        for (const QJsonValue &e : step.value(QStringLiteral("events")).toArray())
            events << eventData(e.toObject());
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
    if (op == QLatin1String("subscribe"))
        return runSubscribe(client, c, step, previous);
    if (op == QLatin1String("read")) {
        ReadRequest r = ReadRequest::forStream(stream);
        applyReadOptions(step, &r);
        return readResult(client.readAll(r, auth));
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
    }
    if (port <= 0) {
        std::fprintf(stderr, "usage: conformance_cpp_driver --port PORT [--scenarios scenarios.json] [--ca CA_FILE] [--ports P0,P1,…]\n");
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
    StreamsClient shared(parsed.settings);
    Context context{port, ports, users, &shared, parsed.settings};

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
        const StreamsClient &client = own ? *own : shared;
        for (const QJsonValue &stv : scenario.value(QStringLiteral("steps")).toArray()) {
            const QJsonObject step = stv.toObject();
            QJsonObject outcome;
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
