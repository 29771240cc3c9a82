#include "VerifyReportCommand.h"

#include "CliConnection.h"
#include "CliOutput.h"
#include "CommandLine.h"
#include "client/StreamsClient.h"
#include "report/ReportVerifier.h"

namespace chronoscope::cli {

namespace {

QString statusName(ReportSignature::Status s)
{
    switch (s) {
    case ReportSignature::Status::Valid: return QStringLiteral("valid");
    case ReportSignature::Status::Unsigned: return QStringLiteral("unsigned");
    case ReportSignature::Status::Invalid: return QStringLiteral("invalid");
    case ReportSignature::Status::WrongKey: return QStringLiteral("wrong-key");
    case ReportSignature::Status::Malformed: return QStringLiteral("malformed");
    }
    return {};
}

bool connectionGiven(const CommandLine &line)
{
    for (const char *name : {"connect", "connection", "profile"})
        if (line.isSet(QLatin1String(name)))
            return true;
    return false;
}

} // namespace

QString VerifyReportCommand::summary() const
{
    return QStringLiteral("an examination report: its signature, and its events against the server");
}

QString VerifyReportCommand::help() const
{
    return QStringLiteral(
        "Usage: chronoscope-cli verify-report <report.json> [--key <signer.pem>] [--connect <string|profile>]\n"
        "                                     [--json]\n"
        "\n"
        "Verifies an examination report as the window's File > Verify Report… does: first its Ed25519\n"
        "signature, offline (with --key: that it is this signer's); then, with a connection, its events read\n"
        "again from the server ('$all' without system events, as the timeline read them) and checked\n"
        "against the report's SHA-256 digest, naming the first block of 1024 events that differs.\n"
        "Without a connection only the signature is checked, and an unsigned report cannot be verified.\n"
        "\n"
        "Options:\n"
        "  --key <file>               the signer's PEM public key (the window's File > Export Public Key…)\n"
        "  --connect <string|name>    the server the report was made on (also --connection, --profile)\n"
        "  --json                     one JSON object: {outcome: verified | signature-only | mismatch,\n"
        "                             signature {status: valid | unsigned | invalid | wrong-key | malformed,\n"
        "                             fingerprint, message}, stream, count, events {checked, unchanged,\n"
        "                             firstDifferentBlock, message}, exitCode}\n"
        "\n"
        "Exit codes: 0 verified (the signature holds, and with a connection the events are unchanged; an\n"
        "              unsigned report verified against the server)\n"
        "            2 it does not match: the signature does not hold or is another key's, or the events\n"
        "              differ from the digest (the history changed)\n"
        "            1 error: bad arguments, an unreadable report or key, unreachable server, the server went\n"
        "              away mid-read, an unsigned report without a server to check it against\n");
}

int VerifyReportCommand::run(const QStringList &arguments, Output &out)
{
    CommandLine line(*this);
    line.addConnectionOptions();
    line.allowPositional(1);
    line.addOption(QStringLiteral("key"), QStringLiteral("PEM public key"), QStringLiteral("file"));
    if (const std::optional<int> done = line.parse(arguments, out))
        return *done;
    if (line.positional().isEmpty())
        return out.error(QStringLiteral("no report: chronoscope-cli verify-report <report.json>"));

    const QString path = line.positional().first();
    const ReportVerifier::Input input = ReportVerifier::load(path, line.value(QStringLiteral("key")));
    if (!input.error.isEmpty())
        return out.error(input.error);
    std::optional<CliConnection> connection;
    if (connectionGiven(line)) {
        QString error;
        connection = CliConnection::resolve(line, &error);
        if (!connection)
            return out.error(error);
    }

    const ReportVerifier::Offline offline = ReportVerifier::checkOffline(input.report, input.expectedPublicKey);
    QJsonObject result{{QStringLiteral("report"), path},
                       {QStringLiteral("stream"), QString::fromUtf8(offline.stream)},
                       {QStringLiteral("count"), QString::number(offline.count)},
                       {QStringLiteral("signature"),
                        QJsonObject{{QStringLiteral("status"), statusName(offline.signature.status)},
                                    {QStringLiteral("fingerprint"), offline.signature.fingerprint},
                                    {QStringLiteral("message"), offline.signatureText()}}}};
    const auto finish = [&](const QString &outcome, int code, const QString &text) {
        if (out.json()) {
            result.insert(QStringLiteral("outcome"), outcome);
            result.insert(QStringLiteral("exitCode"), code);
            out.object(result);
        } else {
            out.line(text);
        }
        return code;
    };
    if (!out.json())
        out.message(QStringLiteral("signature: %1").arg(offline.signatureText()));
    if (!offline.ok())
        return finish(QStringLiteral("mismatch"), kExitDifferences,
                      QStringLiteral("%1: %2: %3").arg(path, offline.failureTitle, offline.failure));

    if (!connection) {
        if (!offline.signature.valid())
            return out.error(QStringLiteral("%1 is not signed, and no server is given to read its events again "
                                            "(--connect)")
                                 .arg(path));
        return finish(QStringLiteral("signature-only"), kExitOk,
                      QStringLiteral("%1: %2; its events were not read again (give --connect to check them)")
                          .arg(path, offline.signature.message));
    }
    if (offline.stream.isEmpty())
        return out.error(QStringLiteral("%1 names no stream").arg(path));
    const StreamsClient client(connection->settings);
    if (client.error().isError())
        return out.error(
            QStringLiteral("cannot connect to %1: %2").arg(connection->description, client.error().toString()));
    const ExaminationReport::Verification v = ReportVerifier::readAgain(
        client, input.report, nullptr, [&out, &offline](quint64 n) {
            out.progress(QStringLiteral("verifying: %1 of %2 events read").arg(n).arg(offline.count));
        });
    out.finishProgress();
    QJsonObject events{{QStringLiteral("checked"), true},
                       {QStringLiteral("unchanged"), v.unchanged},
                       {QStringLiteral("message"), v.message}};
    if (v.firstDifferentBlock >= 0)
        events.insert(QStringLiteral("firstDifferentBlock"), v.firstDifferentBlock);
    result.insert(QStringLiteral("events"), events);
    if (v.readFailed) // no verdict on the report: an error
        return out.error(QStringLiteral("cannot read %1 from %2: %3")
                             .arg(QString::fromUtf8(offline.stream), connection->description, v.message));
    if (v.unchanged)
        return finish(QStringLiteral("verified"), kExitOk,
                      QStringLiteral("%1: verified: %2; %3").arg(path, offline.signatureText(), v.message));
    return finish(QStringLiteral("mismatch"), kExitDifferences,
                  QStringLiteral("%1: does not match %2: %3").arg(path, connection->description, v.message));
}

} // namespace chronoscope::cli
