#include "ArchiveCommand.h"

#include "CliConnection.h"
#include "CliOutput.h"
#include "CliSigningKey.h"
#include "CommandLine.h"
#include "EventSelection.h"
#include "archive/ArchiveReader.h"
#include "archive/ArchiveWriter.h"
#include "client/StreamsClient.h"
#include "report/ArchiveSigning.h"
#include "report/Ed25519.h"
#include "session/ServerTimelineSource.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace chronoscope::cli {

namespace {

QJsonArray damageJson(const archive::ArchiveReader &reader)
{
    QJsonArray out;
    for (const archive::ArchiveDamage &d : reader.damage())
        out.append(QJsonObject{{QStringLiteral("chunk"), d.sequence},
                               {QStringLiteral("offset"), QString::number(d.offset)},
                               {QStringLiteral("size"), QString::number(d.size)},
                               {QStringLiteral("reason"), d.reason}});
    return out;
}

/// What every answer about an archive says: its state, its events, its signature.
QJsonObject statusJson(const archive::ArchiveReader &reader)
{
    return {{QStringLiteral("archive"), reader.path()},
            {QStringLiteral("intact"), reader.intact()},
            {QStringLiteral("hashVerified"), reader.hashVerified()},
            {QStringLiteral("signed"), reader.isSigned()},
            {QStringLiteral("signatureVerified"), reader.signatureVerified()},
            {QStringLiteral("fingerprint"), reader.signerFingerprint()},
            {QStringLiteral("events"), QString::number(reader.declaredEventCount())},
            {QStringLiteral("readableEvents"), QString::number(reader.prefixEventCount())},
            {QStringLiteral("summary"), reader.summary()},
            {QStringLiteral("damage"), damageJson(reader)}};
}

} // namespace

QString ArchiveCommand::summary() const
{
    return QStringLiteral("offline archives: create one from a stream or $all, verify one, describe one");
}

QString ArchiveCommand::help() const
{
    return QStringLiteral(
        "Usage: chronoscope-cli archive create --connect <string|profile> --stream <stream> --output <file>\n"
        "                                      [--from <point>] [--to <point>] [--type <t1,t2…>]\n"
        "                                      [--stream-prefix <p1,p2…>] [--sign <key.pem|-|keychain:>]\n"
        "                                      [--resolve-links] [--json]\n"
        "       chronoscope-cli archive verify <file> [--key <signer.pem>] [--json]\n"
        "       chronoscope-cli archive info <file> [--json]\n"
        "\n"
        "An archive is one file holding a stream's or $all's events losslessly, with the SHA-256 of every\n"
        "chunk and of the whole, an index, where and when it was exported (the connection redacted) and an\n"
        "optional Ed25519 signature (docs/ARCHIVE-FORMAT.md; readable without Chronoscope). Every command\n"
        "that reads a stream reads an archive with --archive <file> instead of --connect/--stream.\n"
        "\n"
        "  create   reads the stream from the start and writes the events selected (all by default, or as\n"
        "           export selects them) to the archive, whole or not at all, signed with --sign\n"
        "  verify   checks every chunk, the whole file and the signature; names each damaged part with its\n"
        "           offset; with --key, that the signature is this signer's\n"
        "  info     the provenance, the streams, the chunks, and whether it verified\n"
        "\n"
        "Options:\n"
        "  --connect <string|name>    the server (also --connection, --profile)\n"
        "  --stream <stream>          the stream, or '$all' (without system events, as the window shows it)\n"
        "  --resolve-links            read a link stream with its links resolved\n"
        "  --from <point>             @N: from revision N; an ISO 8601 time: from the first event created at\n"
        "                             or after it ('$all' takes times only)\n"
        "  --to <point>               @N: up to revision N; a time: up to the last event created at or before it\n"
        "  --type <t1,t2…>            only events of these types\n"
        "  --stream-prefix <p1,p2…>   '$all' only: only events of streams whose names start so\n"
        "  --sign <file|-|keychain:>  sign with this Ed25519 private key: PEM, as `openssl genpkey -algorithm\n"
        "                             ed25519` writes it (- reads it from stdin; keychain: is the window's\n"
        "                             report signing key); the pair of the public key verify-report --key and\n"
        "                             archive verify --key take. A file others may read is refused (chmod 600).\n"
        "                             The selection and signer go in the manifest and footer\n"
        "  --output <file>            the archive to write (replaced only when written whole)\n"
        "  --key <file>               the signer's PEM public key\n"
        "  --json                     one JSON object: {outcome, archive, intact, hashVerified, signed,\n"
        "                             signatureVerified, fingerprint, events, readableEvents, summary,\n"
        "                             damage [{chunk, offset, size, reason}], exitCode} (create: {outcome,\n"
        "                             archive, stream, selection, events, sha256, signed, fingerprint,\n"
        "                             exitCode}; info adds manifest, streams)\n"
        "\n"
        "Exit codes: 0 written; verified (intact, and the signature holds when there is one)\n"
        "            2 verify: damaged, the hash does not match, the signature does not hold or is not --key's\n"
        "            1 error: bad arguments, an unreadable file or one that is no archive, unreachable server,\n"
        "              the server went away mid-read (then nothing is written), a --sign file that is no key\n"
        "            3 refused: a --sign key file others may read or change\n");
}

int ArchiveCommand::run(const QStringList &arguments, Output &out)
{
    CommandLine line(*this);
    line.addConnectionOptions();
    line.allowPositional(2);
    line.addOption(QStringLiteral("stream"), QStringLiteral("the stream"), QStringLiteral("stream"));
    line.addOption(QStringLiteral("resolve-links"), QStringLiteral("resolve links"));
    line.addOption(QStringLiteral("output"), QStringLiteral("the archive to write"), QStringLiteral("file"));
    line.addOption(QStringLiteral("key"), QStringLiteral("PEM public key"), QStringLiteral("file"));
    line.addOption(QStringLiteral("sign"), QStringLiteral("PEM private key"), QStringLiteral("file"));
    EventSelection::addOptions(line);
    if (const std::optional<int> done = line.parse(arguments, out))
        return *done;
    const QStringList positional = line.positional();
    const QString sub = positional.value(0);
    if (sub == QLatin1String("create")) {
        if (positional.size() > 1)
            return out.error(QStringLiteral("archive create writes to --output <file>, not %1").arg(positional.at(1)));
        return create(line, out);
    }
    if (sub != QLatin1String("verify") && sub != QLatin1String("info"))
        return out.error(sub.isEmpty() ? QStringLiteral("archive: give create, verify or info")
                                       : QStringLiteral("archive: no subcommand %1 (create, verify, info)").arg(sub));
    if (positional.size() < 2)
        return out.error(QStringLiteral("archive %1: give the archive file").arg(sub));
    for (const char *option : {"connect", "connection", "profile", "username", "stream", "output", "resolve-links",
                               "sign", "from", "to", "type", "stream-prefix"})
        if (line.isSet(QLatin1String(option)))
            return out.error(
                QStringLiteral("archive %1 reads the file alone: leave out --%2").arg(sub, QLatin1String(option)));
    return sub == QLatin1String("verify") ? verify(line, positional.at(1), out) : info(line, positional.at(1), out);
}

int ArchiveCommand::create(const CommandLine &line, Output &out)
{
    const QString stream = line.value(QStringLiteral("stream"));
    const QString path = line.value(QStringLiteral("output"));
    if (stream.isEmpty())
        return out.error(QStringLiteral("no stream: give --stream <name> (or --stream '$all')"));
    if (path.isEmpty())
        return out.error(QStringLiteral("no archive: give --output <file>"));
    if (line.isSet(QStringLiteral("key")))
        return out.error(QStringLiteral("--key goes with archive verify (archive create signs with --sign)"));
    QString error;
    std::optional<EventSelection> selection = EventSelection::parse(line, &error);
    if (!selection)
        return out.error(error);
    error = selection->checkFor(stream == QLatin1String("$all"));
    if (!error.isEmpty())
        return out.error(error);
    archive::ArchiveWriter::Options options;
    if (line.isSet(QStringLiteral("sign"))) {
        const CliSigningKey key = CliSigningKey::load(line.value(QStringLiteral("sign")));
        if (key.privateKey.isEmpty())
            return key.refused ? out.refused(key.error) : out.error(key.error);
        options.signer = archiveSigning::signer(key.privateKey);
    }
    const std::optional<CliConnection> connection = CliConnection::resolve(line, &error);
    if (!connection)
        return out.error(error);
    auto client = std::make_shared<const StreamsClient>(connection->settings);
    if (client->error().isError())
        return out.error(
            QStringLiteral("cannot connect to %1: %2").arg(connection->description, client->error().toString()));
    ServerTimelineSource source(client, stream.toUtf8(), line.isSet(QStringLiteral("resolve-links")));
    archive::ArchiveWriter::Provenance provenance;
    provenance.connection = connection->settings.toRedactedString();
    provenance.stream = stream;
    provenance.selection = selection->describe();
    if (!selection->isEverything())
        provenance.extra.insert(QStringLiteral("selection"), selection->toJson());
    provenance.createdBy = QStringLiteral("chronoscope-cli %1").arg(QStringLiteral(CHRONOSCOPE_VERSION));
    archive::ArchiveWriter::Filter filter;
    if (!selection->isEverything())
        filter = [&selection](const RecordedEvent &e) {
            switch (selection->judge(e)) {
            case EventSelection::Verdict::Take: return archive::ArchiveWriter::Verdict::Take;
            case EventSelection::Verdict::Stop: return archive::ArchiveWriter::Verdict::Stop;
            case EventSelection::Verdict::Skip: break;
            }
            return archive::ArchiveWriter::Verdict::Skip;
        };
    error = archive::ArchiveWriter::write(
        source, path, provenance, options, {},
        [&out](quint64 n) {
            out.progress(QStringLiteral("archiving: %1 events written").arg(n));
            return true;
        },
        filter);
    out.finishProgress();
    if (!error.isEmpty())
        return out.error(
            QStringLiteral("%1 on %2: %3 (%4 not written)").arg(stream, connection->description, error, path));

    archive::ArchiveReader written;
    if (!written.open(path, archiveSigning::check()))
        return out.error(written.error());
    const QString sha256 = written.footer().value(QStringLiteral("sha256")).toString();
    if (out.json())
        out.object({{QStringLiteral("outcome"), QStringLiteral("written")},
                    {QStringLiteral("archive"), path},
                    {QStringLiteral("stream"), stream},
                    {QStringLiteral("selection"), provenance.selection},
                    {QStringLiteral("events"), QString::number(written.declaredEventCount())},
                    {QStringLiteral("sha256"), sha256},
                    {QStringLiteral("signed"), written.isSigned()},
                    {QStringLiteral("fingerprint"), written.signerFingerprint()},
                    {QStringLiteral("exitCode"), kExitOk}});
    else
        out.line(QStringLiteral("%1 events of %2 (%3) archived to %4 (SHA-256 %5%6)")
                     .arg(written.declaredEventCount())
                     .arg(stream, provenance.selection, path, sha256,
                          written.isSigned() ? QStringLiteral(", signed by %1").arg(written.signerFingerprint())
                                             : QString()));
    return kExitOk;
}

int ArchiveCommand::verify(const CommandLine &line, const QString &path, Output &out)
{
    QByteArray expectedKey;
    if (line.isSet(QStringLiteral("key"))) {
        QFile file(line.value(QStringLiteral("key")));
        if (!file.open(QIODevice::ReadOnly))
            return out.error(QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString()));
        QString error;
        expectedKey = Ed25519::publicKeyFromPem(file.readAll(), &error);
        if (expectedKey.isEmpty())
            return out.error(QStringLiteral("%1: %2").arg(file.fileName(), error));
    }
    archive::ArchiveReader reader;
    if (!reader.open(path, archiveSigning::check()))
        return out.error(reader.error());
    bool ok = reader.intact();
    QString verdict = reader.summary();
    if (ok && !expectedKey.isEmpty() && reader.signerPublicKey() != expectedKey) {
        ok = false;
        verdict = reader.isSigned() ? QStringLiteral("signed by another key (%1)").arg(reader.signerFingerprint())
                                    : QStringLiteral("not signed, and --key asks for a signature");
    }
    const int code = ok ? kExitOk : kExitDifferences;
    if (out.json()) {
        QJsonObject o = statusJson(reader);
        o.insert(QStringLiteral("outcome"), ok ? QStringLiteral("verified") : QStringLiteral("not-verified"));
        o.insert(QStringLiteral("summary"), verdict);
        o.insert(QStringLiteral("exitCode"), code);
        out.object(o);
    } else {
        for (const archive::ArchiveDamage &d : reader.damage())
            out.message(d.describe());
        out.line(QStringLiteral("%1: %2").arg(path, verdict));
    }
    return code;
}

int ArchiveCommand::info(const CommandLine &line, const QString &path, Output &out)
{
    if (line.isSet(QStringLiteral("key")))
        return out.error(QStringLiteral("--key goes with archive verify"));
    archive::ArchiveReader reader;
    if (!reader.open(path, archiveSigning::check()))
        return out.error(reader.error());
    const QJsonArray streams = reader.index().value(QStringLiteral("streams")).toArray();
    if (out.json()) {
        QJsonObject o = statusJson(reader);
        o.insert(QStringLiteral("outcome"), QStringLiteral("described"));
        o.insert(QStringLiteral("manifest"), reader.manifest());
        o.insert(QStringLiteral("streams"), streams);
        o.insert(QStringLiteral("chunks"), QString::number(reader.eventChunks().size()));
        o.insert(QStringLiteral("exitCode"), kExitOk);
        out.object(o);
        return kExitOk;
    }
    const QJsonObject source = reader.manifest().value(QStringLiteral("source")).toObject();
    out.line(QStringLiteral("archive:   %1").arg(path));
    out.line(QStringLiteral("status:    %1").arg(reader.summary()));
    out.line(QStringLiteral("source:    %1 on %2 (%3)")
                 .arg(source.value(QStringLiteral("stream")).toString(),
                      source.value(QStringLiteral("connection")).toString(),
                      source.value(QStringLiteral("selection")).toString()));
    out.line(QStringLiteral("created:   %1 by %2")
                 .arg(reader.manifest().value(QStringLiteral("createdAt")).toString(),
                      reader.manifest().value(QStringLiteral("createdBy")).toString()));
    out.line(QStringLiteral("events:    %1 in %2 chunks (%3 readable as a timeline)")
                 .arg(reader.declaredEventCount())
                 .arg(reader.eventChunks().size())
                 .arg(reader.prefixEventCount()));
    out.line(QStringLiteral("streams:   %1").arg(streams.size()));
    for (const QJsonValue &s : streams) {
        const QJsonObject o = s.toObject();
        out.line(QStringLiteral("  %1  %2 events, revisions %3–%4")
                     .arg(o.value(QStringLiteral("name")).toString())
                     .arg(qint64(o.value(QStringLiteral("count")).toDouble()))
                     .arg(qint64(o.value(QStringLiteral("firstRevision")).toDouble()))
                     .arg(qint64(o.value(QStringLiteral("lastRevision")).toDouble())));
    }
    return kExitOk;
}

} // namespace chronoscope::cli
