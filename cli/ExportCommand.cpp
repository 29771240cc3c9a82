#include "ExportCommand.h"

#include "CliOutput.h"
#include "CliTimeline.h"
#include "CommandLine.h"
#include "EventSelection.h"
#include "archive/EventExport.h"
#include "timeline/TimelineSource.h"

#include <QFile>
#include <QSaveFile>

#include <cstdio>

namespace chronoscope::cli {

namespace {

/// Where the lines go: stdout as they come (a pipe sees them at once), or a file written whole or not at all.
class Sink
{
public:
    explicit Sink(const QString &path) : m_file(path.isEmpty() ? nullptr : new QSaveFile(path)) {}
    ~Sink() { delete m_file; }
    bool open(QString *error)
    {
        if (!m_file) {
            m_stdout.open(stdout, QIODevice::WriteOnly | QIODevice::Unbuffered);
            return true;
        }
        if (m_file->open(QIODevice::WriteOnly))
            return true;
        *error = QStringLiteral("cannot write %1: %2").arg(m_file->fileName(), m_file->errorString());
        return false;
    }
    void write(const QByteArray &bytes)
    {
        m_buffer += bytes;
        if (m_buffer.size() >= (1 << 16))
            flush();
    }
    bool flush()
    {
        if (m_buffer.isEmpty())
            return true;
        QIODevice &device = m_file ? static_cast<QIODevice &>(*m_file) : m_stdout;
        const bool ok = device.write(m_buffer) == m_buffer.size();
        m_buffer.clear();
        return ok;
    }
    /// Commits the file (nothing for stdout). Error text, empty on success.
    QString commit()
    {
        if (!flush())
            return QStringLiteral("cannot write: %1").arg(m_file ? m_file->errorString() : m_stdout.errorString());
        if (m_file && !m_file->commit())
            return QStringLiteral("cannot write %1: %2").arg(m_file->fileName(), m_file->errorString());
        return {};
    }
    /// Drops the file: a failed export leaves nothing (stdout has had what was read so far).
    void discard()
    {
        if (m_file)
            m_file->cancelWriting();
        else
            flush();
    }
    bool toStdout() const { return !m_file; }

private:
    QSaveFile *m_file;
    QFile m_stdout;
    QByteArray m_buffer;
};

} // namespace

QString ExportCommand::summary() const
{
    return QStringLiteral("a stream's or $all's events, a range, some types: JSON Lines or CSV");
}

QString ExportCommand::help() const
{
    return QStringLiteral(
        "Usage: chronoscope-cli export --connect <string|profile> --stream <stream> [--from <point>]\n"
        "                              [--to <point>] [--type <t1,t2…>] [--format jsonl|csv] [--output <file>]\n"
        "\n"
        "Writes the events exactly as the window's File > Export Events does: JSON Lines, lossless (ids,\n"
        "revision, positions, creation time, type, content type, data and metadata byte for byte: JSON\n"
        "verbatim, other text as a string, binary as base64), or CSV (RFC 4180, formula-safe cells).\n"
        "To stdout the lines stream as they are read; with --output the file is written whole or not at all.\n"
        "\n"
        "Options:\n"
        "  --connect <string|name>    a connection string or a saved profile (also --connection, --profile)\n"
        "  --stream <stream>          the stream, or '$all' (without system events, as the window shows it)\n"
        "  --archive <file>           an archive (docs/ARCHIVE-FORMAT.md) instead of a server, offline:\n"
        "                             no --stream or connection options; a damaged one is read up to the damage\n"
        "  --resolve-links            read a link stream ($ce-…, $et-…) with its links resolved\n"
        "  --from <point>             @N: from revision N; an ISO 8601 time: from the first event created at\n"
        "                             or after it (default: the first event)\n"
        "  --to <point>               @N: up to revision N; a time: up to the last event created at or before\n"
        "                             it (default: the last event); both ends are included\n"
        "  --type <t1,t2…>            only events of these types (comma-separated)\n"
        "  --stream-prefix <p1,p2…>   '$all' only: only events of streams whose names start so\n"
        "  --format jsonl|csv         default jsonl (csv when --output ends in .csv)\n"
        "  --output <file>            write a file instead of stdout\n"
        "  --json                     NDJSON on stdout: the events' JSON Lines; with --output, one summary\n"
        "                             object {outcome, stream, events, path, format, exitCode}. An error ends\n"
        "                             the output with {\"outcome\":\"error\",…}\n"
        "\n"
        "Revisions (@N) are a stream's: '$all' takes times only.\n"
        "\n"
        "Exit codes: 0 exported (also when nothing matched)\n"
        "            1 error: bad arguments, unreachable server, no such stream, the server went away mid-read\n"
        "              (what was read is on stdout; an --output file is not written), an unwritable file\n");
}

int ExportCommand::run(const QStringList &arguments, Output &out)
{
    CommandLine line(*this);
    line.addConnectionOptions();
    line.addOption(QStringLiteral("stream"), QStringLiteral("the stream"), QStringLiteral("stream"));
    line.addOption(QStringLiteral("archive"), QStringLiteral("an archive file"), QStringLiteral("file"));
    line.addOption(QStringLiteral("resolve-links"), QStringLiteral("resolve links"));
    EventSelection::addOptions(line);
    line.addOption(QStringLiteral("format"), QStringLiteral("jsonl or csv"), QStringLiteral("format"));
    line.addOption(QStringLiteral("output"), QStringLiteral("a file"), QStringLiteral("file"));
    if (const std::optional<int> done = line.parse(arguments, out))
        return *done;

    QString error;
    std::optional<EventSelection> selected = EventSelection::parse(line, &error);
    if (!selected)
        return out.error(error);
    EventSelection &selection = *selected;
    const QString path = line.value(QStringLiteral("output"));
    QString format = line.value(QStringLiteral("format"));
    if (format.isEmpty())
        format = path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive) ? QStringLiteral("csv")
                                                                           : QStringLiteral("jsonl");
    if (format != QLatin1String("jsonl") && format != QLatin1String("csv"))
        return out.error(QStringLiteral("--format \"%1\": jsonl or csv").arg(format));
    const bool csv = format == QLatin1String("csv");
    if (csv && out.json() && path.isEmpty())
        return out.error(QStringLiteral("--json writes JSON on stdout: CSV needs --output <file>"));

    const std::optional<TimelineInput> in = TimelineInput::open(line, &error);
    if (!in)
        return out.error(error);
    if (!in->warning.isEmpty())
        out.message(in->warning);
    error = selection.checkFor(in->isAll());
    if (!error.isEmpty())
        return out.error(error);

    Sink sink(path);
    if (!sink.open(&error))
        return out.error(error);
    if (csv)
        sink.write(EventExport::csvHeader());
    quint64 read = 0, written = 0;
    bool writeFailed = false;
    const ClientError readError = readAhead(
        *in->source,
        [&](const QList<RecordedEvent> &batch) {
            for (const RecordedEvent &e : batch) {
                ++read;
                const EventSelection::Verdict v = selection.judge(e);
                if (v == EventSelection::Verdict::Stop)
                    return false;
                if (v == EventSelection::Verdict::Skip)
                    continue;
                sink.write(csv ? EventExport::csvRow(e) : EventExport::jsonLine(e) + '\n');
                ++written;
            }
            if (sink.toStdout() && !sink.flush()) {
                writeFailed = true; // a closed pipe (| head): stop reading
                return false;
            }
            out.progress(QStringLiteral("exporting: %1 events read, %2 written").arg(read).arg(written));
            return true;
        },
        4096);
    out.finishProgress();
    if (readError.isError() && readError.kind != ClientError::Kind::Cancelled) {
        sink.discard();
        return out.error(readFailure(in->description, readError)
                         + (path.isEmpty() ? QStringLiteral(" (after %1 events written)").arg(written)
                                           : QStringLiteral(" (%1 not written)").arg(path)));
    }
    if (writeFailed)
        return kExitError; // the reader went away; nobody is left to tell
    error = sink.commit();
    if (!error.isEmpty())
        return out.error(error);
    if (path.isEmpty())
        return kExitOk;
    if (out.json())
        out.object({{QStringLiteral("outcome"), QStringLiteral("exported")},
                    {QStringLiteral("stream"), in->stream},
                    {QStringLiteral("events"), QString::number(written)},
                    {QStringLiteral("path"), path},
                    {QStringLiteral("format"), format},
                    {QStringLiteral("exitCode"), kExitOk}});
    else
        out.line(QStringLiteral("%1 events of %2 written to %3").arg(written).arg(in->stream, path));
    return kExitOk;
}

} // namespace chronoscope::cli
