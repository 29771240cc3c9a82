#include "SubscriptionsCommand.h"

#include "CliConnection.h"
#include "CliOutput.h"
#include "CommandLine.h"
#include "SubscriptionsJson.h"
#include "client/ParkedMessages.h"
#include "client/PersistentSubscriptionsClient.h"
#include "client/StreamsClient.h"
#include "correct/AuditLog.h"
#include "correct/SubscriptionWrite.h"
#include "correct/WriteGuard.h"

#include <QJsonArray>

namespace chronoscope::cli {

namespace {

const char *const kOptions[][3] = {
    {"stream", "stream", "list: only this stream's groups ($all for the groups on $all)"},
    {"limit", "N", "parked: at most N messages"},
    {"stop-at", "N", "replay: stop before parked event number N"},
    {"count", "N", "replay: only the oldest N parked messages"},
    {"reason", "text", "replay: why (unlocks writes)"},
    {"confirm-profile", "name", "replay: a production profile's name"},
    {"audit-log", "path", "replay: the audit log"},
};

PersistentGroup groupOf(const QStringList &words)
{
    const QByteArray stream = words.value(1).toUtf8();
    return stream == "$all" ? PersistentGroup::onAll(words.value(2))
                            : PersistentGroup::onStream(stream, words.value(2));
}

QString groupName(const PersistentGroup &g)
{
    return QStringLiteral("'%1' on %2").arg(g.group, QString::fromUtf8(g.stream));
}

int failed(Output &out, const ClientError &e, const PersistentGroup &g)
{
    if (e.kind == ClientError::Kind::PersistentSubscriptionNotFound && !g.group.isEmpty())
        return out.error(QStringLiteral("the server has no subscription group %1").arg(groupName(g)));
    return out.error(e.toString());
}

std::optional<quint64> number(const CommandLine &line, const char *option, QString *error)
{
    const QString text = line.value(QLatin1String(option));
    if (text.isEmpty())
        return std::nullopt;
    bool ok = false;
    const quint64 n = text.toULongLong(&ok);
    if (!ok)
        *error = QStringLiteral("--%1 needs a number, got '%2'").arg(QLatin1String(option), text);
    return ok ? std::optional<quint64>(n) : std::nullopt;
}

int list(const CommandLine &line, const PersistentSubscriptionsClient &client, Output &out)
{
    const QString stream = line.value(QStringLiteral("stream"));
    const PersistentListResult r = client.list(stream.isEmpty() ? std::nullopt
                                                                : std::optional<QByteArray>(stream.toUtf8()));
    // A stream without groups: the server answers NOT_FOUND; for a script that is an empty list.
    if (r.error && !(r.error.kind == ClientError::Kind::PersistentSubscriptionNotFound && !stream.isEmpty()))
        return out.error(r.error.toString());
    if (out.json()) {
        QJsonArray all;
        for (const PersistentSubscriptionInfo &i : r.subscriptions)
            all.append(subscriptionsjson::info(i));
        out.object({{QStringLiteral("subscriptions"), all}});
        return kExitOk;
    }
    for (const PersistentSubscriptionInfo &i : r.subscriptions)
        out.line(subscriptionsjson::infoLine(i));
    if (r.subscriptions.isEmpty())
        out.message(QStringLiteral("no persistent subscription groups"));
    return kExitOk;
}

int info(const PersistentGroup &g, const PersistentSubscriptionsClient &client, Output &out)
{
    const PersistentInfoResult r = client.getInfo(g);
    if (r.error)
        return failed(out, r.error, g);
    if (out.json())
        out.object(subscriptionsjson::info(r.info));
    else
        out.line(subscriptionsjson::infoText(r.info));
    return kExitOk;
}

int parkedMessages(const CommandLine &line, const PersistentGroup &g, const CliConnection &connection,
                   const PersistentSubscriptionsClient &client, Output &out)
{
    QString error;
    const std::optional<quint64> limit = number(line, "limit", &error);
    if (!error.isEmpty())
        return out.error(error);
    const PersistentInfoResult known = client.getInfo(g); // a group that does not exist is an error, not "none"
    if (known.error)
        return failed(out, known.error, g);
    const StreamsClient streams(connection.settings);
    if (streams.error())
        return out.error(streams.error().toString());
    const ParkedMessagesResult r = parked::read(streams, g, limit.value_or(0));
    if (r.error)
        return out.error(
            QStringLiteral("cannot read %1: %2").arg(QString::fromUtf8(g.parkedStream()), r.error.toString()));
    if (out.json()) {
        QJsonArray messages;
        for (const ParkedMessage &m : r.messages)
            messages.append(subscriptionsjson::parkedMessage(m));
        out.object({{QStringLiteral("stream"), QString::fromUtf8(g.stream)},
                    {QStringLiteral("group"), g.group},
                    {QStringLiteral("parkedStream"), QString::fromUtf8(g.parkedStream())},
                    {QStringLiteral("parkedMessageCount"), known.info.parkedMessageCount},
                    {QStringLiteral("more"), r.more},
                    {QStringLiteral("messages"), messages}});
        return kExitOk;
    }
    for (const ParkedMessage &m : r.messages)
        out.line(subscriptionsjson::parkedLine(m));
    out.message(QStringLiteral("%1 parked message(s)%2")
                    .arg(r.messages.size())
                    .arg(r.more ? QStringLiteral(", more") : QString()));
    return kExitOk;
}

int replay(const CommandLine &line, const PersistentGroup &g, const CliConnection &connection,
           const PersistentSubscriptionsClient &client, Output &out)
{
    QString error;
    const std::optional<quint64> stopAt = number(line, "stop-at", &error);
    const std::optional<quint64> count = number(line, "count", &error);
    if (!error.isEmpty())
        return out.error(error);
    if (stopAt && count)
        return out.error(QStringLiteral("replay takes --stop-at or --count, not both"));
    const QString confirm = line.value(QStringLiteral("confirm-profile"));
    // The write guard, as for append: this replay's reason unlocks it (a read-only profile never is);
    // a production profile wants its name typed.
    WriteGuard guard(connection.profile);
    QString refusal = guard.unlock(line.value(QStringLiteral("reason")));
    if (!refusal.isEmpty() && line.value(QStringLiteral("reason")).trimmed().isEmpty())
        refusal = QStringLiteral("replay is a write: give --reason <why> (%1)").arg(refusal);
    if (refusal.isEmpty())
        refusal = guard.authorize(confirm);
    if (!refusal.isEmpty()) {
        if (guard.needsTypedProfileName() && confirm != connection.profile.name)
            refusal +=
                QStringLiteral(" (production profile: add --confirm-profile \"%1\")").arg(connection.profile.name);
        return out.error(QStringLiteral("write guard: %1").arg(refusal));
    }
    const StreamsClient streams(connection.settings);
    if (streams.error())
        return out.error(streams.error().toString());
    const AuditLog auditLog(line.value(QStringLiteral("audit-log")));
    // The window's path: the same guard check, the same audit records (subscription-attempt / -outcome).
    const SubscriptionWriter writer(&client, &streams, &auditLog, &guard,
                                    AuditOperator::current(connection.settings, QStringLiteral("chronoscope-cli")));
    const SubscriptionOperation operation = stopAt ? SubscriptionOperation::replayBefore(g, qint64(*stopAt))
        : count ? SubscriptionOperation::replay(g, qint64(*count)) // as the window's "the oldest n"
                : SubscriptionOperation::replay(g);
    const SubscriptionWriteOutcome o = writer.run(operation, confirm);
    if (o.error.kind == ClientError::Kind::PersistentSubscriptionNotFound)
        return failed(out, o.error, g);
    const int code = o.ok() ? kExitOk : kExitError;
    if (out.json()) {
        QJsonObject result{{QStringLiteral("outcome"), SubscriptionWriteOutcome::kindName(o.kind)},
                           {QStringLiteral("stream"), QString::fromUtf8(g.stream)},
                           {QStringLiteral("group"), g.group},
                           {QStringLiteral("stopAt"), o.stopAt ? QJsonValue(*o.stopAt) : QJsonValue()},
                           {QStringLiteral("parkedBefore"), o.parkedBefore},
                           {QStringLiteral("message"), o.message},
                           {QStringLiteral("auditLog"), auditLog.path()},
                           {QStringLiteral("attemptSeq"), o.attemptSeq},
                           {QStringLiteral("exitCode"), code}};
        out.object(result);
    } else if (o.ok()) {
        out.line(o.message);
    } else {
        out.message(o.message);
    }
    return code;
}

} // namespace

QString SubscriptionsCommand::summary() const
{
    return QStringLiteral("persistent subscription groups: list, info, parked messages, replay them (a write)");
}

QString SubscriptionsCommand::help() const
{
    return QStringLiteral(
        "Usage: chronoscope-cli subscriptions list   --connect <string|profile> [--stream <stream>|$all] [--json]\n"
        "       chronoscope-cli subscriptions info   <stream> <group> --connect <string|profile> [--json]\n"
        "       chronoscope-cli subscriptions parked <stream> <group> --connect <string|profile> [--limit <n>] "
        "[--json]\n"
        "       chronoscope-cli subscriptions replay <stream> <group> --connect <string|profile> --reason <text>\n"
        "                                            [--stop-at <n> | --count <n>] [--confirm-profile <name>]\n"
        "                                            [--audit-log <path>]\n"
        "                                            [--json]\n"
        "\n"
        "<stream> is the group's stream, or $all for a group on $all.\n"
        "list: every group (or --stream's) with status, consumer strategy, consumers, in flight, parked, checkpoint.\n"
        "info: one group: its statistics, settings and connected consumers.\n"
        "parked: the messages the group parked and not replayed yet, oldest first, read from\n"
        "  $persistentsubscription-<stream>::<group>-parked with the original events resolved: the parked\n"
        "  number, when and why it was parked, the event (stream, revision, type, data).\n"
        "replay: asks the server to send the parked messages to the consumers again (ReplayParked); --stop-at N\n"
        "  stops before parked event number N (the numbers `parked` shows), --count N replays the oldest N, else all. "
        "A write: --reason unlocks\n"
        "  it (a read-only profile cannot be unlocked; a production profile wants --confirm-profile <its name>),\n"
        "  and the attempt and its outcome go to the audit log (the window's by default) as the window writes\n"
        "  them: subscription-attempt and subscription-outcome, operation replay-parked.\n"
        "\n"
        "Output: text, or with --json one object: {\"subscriptions\":[…]}, the group, {\"messages\":[…],…}, or\n"
        "{\"outcome\":\"done\",…} (or refused-by-guard, audit-failed, failed, unknown).\n"
        "\n"
        "Exit codes: 0 done; 1 error (bad arguments, unreachable server, no such group, the write guard, an audit\n"
        "            log that cannot be written).\n");
}

int SubscriptionsCommand::run(const QStringList &arguments, Output &out)
{
    CommandLine line(*this);
    line.addConnectionOptions();
    for (const auto &o : kOptions)
        line.addOption(QLatin1String(o[0]), QLatin1String(o[2]), QLatin1String(o[1]));
    line.allowPositional(3);
    if (const std::optional<int> done = line.parse(arguments, out))
        return *done;
    const QStringList words = line.positional();
    const QString verb = words.value(0);
    const bool isList = verb == QLatin1String("list");
    if (!isList && verb != QLatin1String("info") && verb != QLatin1String("parked") && verb != QLatin1String("replay"))
        return out.error(QStringLiteral("subscriptions: give 'list', 'info', 'parked' or 'replay' (see --help)"));
    if (isList && words.size() > 1)
        return out.error(QStringLiteral("subscriptions list takes no stream or group (use --stream)"));
    if (!isList && (words.size() != 3 || words.value(1).isEmpty() || words.value(2).isEmpty()))
        return out.error(QStringLiteral("subscriptions %1 needs the stream and the group").arg(verb));
    QString error;
    const std::optional<CliConnection> connection = CliConnection::resolve(line, &error);
    if (!connection)
        return out.error(error);
    const PersistentSubscriptionsClient client(connection->settings);
    if (client.error())
        return out.error(
            QStringLiteral("cannot connect to %1: %2").arg(connection->description, client.error().toString()));
    if (isList)
        return list(line, client, out);
    const PersistentGroup g = groupOf(words);
    if (verb == QLatin1String("info"))
        return info(g, client, out);
    if (verb == QLatin1String("parked"))
        return parkedMessages(line, g, *connection, client, out);
    return replay(line, g, *connection, client, out);
}

} // namespace chronoscope::cli
