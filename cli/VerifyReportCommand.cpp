#include "VerifyReportCommand.h"

#include "CliConnection.h"
#include "CliOutput.h"
#include "CommandLine.h"
#include "archive/ArchiveTimelineSource.h"
#include "client/StreamsClient.h"
#include "report/ArchiveSigning.h"
#include "report/ReportVerifier.h"

#include <functional>

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

/// The JSON `events` of a report read again: {checked, unchanged, message, firstDifferentBlock?}.
QJsonObject eventsJson(const ExaminationReport::Verification &v)
{
    QJsonObject events{{QStringLiteral("checked"), true},
                       {QStringLiteral("unchanged"), v.unchanged},
                       {QStringLiteral("message"), v.message}};
    if (v.firstDifferentBlock >= 0)
        events.insert(QStringLiteral("firstDifferentBlock"), v.firstDifferentBlock);
    return events;
}

/// What the archive holds of its source ("every event", or a range or types): a report is checked against
/// a selection only as far as it goes.
QString archiveSelection(const archive::ArchiveReader &reader)
{
    return reader.manifest().value(QStringLiteral("source")).toObject().value(QStringLiteral("selection")).toString();
}

using Finish = std::function<int(const QString &outcome, int code, const QString &text)>;

/// The report's events read again from an archive, offline: which stream it holds first, then the digest.
int againstArchive(const QString &path, const QJsonObject &report, const ReportVerifier::Offline &offline,
                   QJsonObject &result, const Finish &finish, Output &out)
{
    QString error;
    const auto source = archive::ArchiveTimelineSource::open(path, archiveSigning::check(), &error);
    if (!source)
        return out.error(error);
    const archive::ArchiveReader &reader = source->reader();
    result.insert(QStringLiteral("archive"),
                  QJsonObject{{QStringLiteral("path"), path},
                              {QStringLiteral("summary"), reader.summary()},
                              {QStringLiteral("intact"), reader.intact()},
                              {QStringLiteral("signed"), reader.isSigned()},
                              {QStringLiteral("fingerprint"), reader.signerFingerprint()},
                              {QStringLiteral("selection"), archiveSelection(reader)}});
    if (!out.json() && (!reader.intact() || reader.isSigned()))
        out.message(QStringLiteral("archive %1: %2").arg(path, reader.summary()));
    const QString reportPath = result.value(QStringLiteral("report")).toString();
    const QString mismatch = ReportVerifier::sourceMismatch(*source, report);
    if (!mismatch.isEmpty()) {
        result.insert(QStringLiteral("differs"),
                      QJsonObject{{QStringLiteral("item"), QStringLiteral("stream")},
                                  {QStringLiteral("report"), QString::fromUtf8(offline.stream)},
                                  {QStringLiteral("archive"), QString::fromUtf8(source->name())}});
        return finish(QStringLiteral("mismatch"), kExitDifferences,
                      QStringLiteral("%1: does not match the archive %2: %3").arg(reportPath, path, mismatch));
    }
    const ExaminationReport::Verification v = ReportVerifier::readAgain(
        *source, report, nullptr, [&out, &offline](quint64 n) {
            out.progress(QStringLiteral("verifying: %1 of %2 events read").arg(n).arg(offline.count));
        });
    out.finishProgress();
    if (v.readFailed)
        return out.error(QStringLiteral("cannot read %1: %2").arg(path, v.message));
    result.insert(QStringLiteral("events"), eventsJson(v));
    if (v.unchanged)
        return finish(QStringLiteral("verified"), kExitOk,
                      QStringLiteral("%1: verified against the archive %2: %3; %4")
                          .arg(reportPath, path, offline.signatureText(), v.message));
    // Too few events because the archive is damaged: no verdict on the report.
    if (!reader.intact() && source->size() < reader.declaredEventCount())
        return out.error(QStringLiteral("the archive %1 is %2: the report's events cannot all be read (%3)")
                             .arg(path, reader.summary(), v.message));
    const QString selection = archiveSelection(reader);
    return finish(QStringLiteral("mismatch"), kExitDifferences,
                  QStringLiteral("%1: does not match the archive %2: %3%4")
                      .arg(reportPath, path, v.message,
                           selection.isEmpty() || selection == QLatin1String("every event")
                               ? QString()
                               : QStringLiteral(" (the archive holds %1 only)").arg(selection)));
}

} // namespace

QString VerifyReportCommand::summary() const
{
    return QStringLiteral("an examination report: its signature, and its events against the server or an archive");
}

QString VerifyReportCommand::help() const
{
    return QStringLiteral(
        "Usage: chronoscope-cli verify-report <report.json> [--key <signer.pem>]\n"
        "                                     [--connect <string|profile> | --archive <file>] [--json]\n"
        "\n"
        "Verifies an examination report as the window's File > Verify Report… does: first its Ed25519\n"
        "signature, offline (with --key: that it is this signer's); then, with a connection, its events read\n"
        "again from the server ('$all' without system events, as the timeline read them) and checked\n"
        "against the report's SHA-256 digest, naming the first block of 1024 events that differs.\n"
        "With --archive instead, offline: the events are read from an archive (docs/ARCHIVE-FORMAT.md) of\n"
        "the report's stream, or of '$all' holding it. Without either only the signature is checked, and an\n"
        "unsigned report cannot be verified.\n"
        "\n"
        "Options:\n"
        "  --key <file>               the signer's PEM public key (the window's File > Export Public Key…)\n"
        "  --connect <string|name>    the server the report was made on (also --connection, --profile)\n"
        "  --archive <file>           an archive to check the events against instead of a server\n"
        "  --json                     one JSON object: {outcome: verified | signature-only | mismatch,\n"
        "                             signature {status: valid | unsigned | invalid | wrong-key | malformed,\n"
        "                             fingerprint, message}, stream, count, events {checked, unchanged,\n"
        "                             firstDifferentBlock, message}, differs {item, report, archive} (when\n"
        "                             the archive is of another stream), archive {path, summary, intact,\n"
        "                             signed, fingerprint, selection} (with --archive), exitCode}\n"
        "\n"
        "Exit codes: 0 verified (the signature holds, and with a connection the events are unchanged; an\n"
        "              unsigned report verified against the server)\n"
        "            2 it does not match: the signature does not hold or is another key's, or the events\n"
        "              differ from the digest (the history changed), or the archive holds another stream\n"
        "            1 error: bad arguments, an unreadable report or key, unreachable server, the server went\n"
        "              away mid-read, an unsigned report without a server to check it against, an unreadable\n"
        "              archive or one damaged before the report's events end\n");
}

int VerifyReportCommand::run(const QStringList &arguments, Output &out)
{
    CommandLine line(*this);
    line.addConnectionOptions();
    line.allowPositional(1);
    line.addOption(QStringLiteral("key"), QStringLiteral("PEM public key"), QStringLiteral("file"));
    line.addOption(QStringLiteral("archive"), QStringLiteral("an archive file"), QStringLiteral("file"));
    if (const std::optional<int> done = line.parse(arguments, out))
        return *done;
    if (line.positional().isEmpty())
        return out.error(QStringLiteral("no report: chronoscope-cli verify-report <report.json>"));

    const QString path = line.positional().first();
    const ReportVerifier::Input input = ReportVerifier::load(path, line.value(QStringLiteral("key")));
    if (!input.error.isEmpty())
        return out.error(input.error);
    const QString archivePath = line.value(QStringLiteral("archive"));
    if (line.isSet(QStringLiteral("archive")) && connectionGiven(line))
        return out.error(QStringLiteral("--archive reads the events offline: leave out the connection options"));
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

    if (line.isSet(QStringLiteral("archive")))
        return againstArchive(archivePath, input.report, offline, result, finish, out);
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
    result.insert(QStringLiteral("events"), eventsJson(v));
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
