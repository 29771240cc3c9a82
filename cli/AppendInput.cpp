#include "AppendInput.h"

#include "CommandLine.h"

#include <QFile>

namespace chronoscope::cli {

namespace {

std::optional<QUuid> parseUuid(const QString &option, const QString &text, QString *error)
{
    const QUuid id = QUuid::fromString(text.trimmed());
    if (id.isNull()) {
        *error =
            QStringLiteral("--%1: \"%2\" is not a UUID (like 3f2c9a51-0b7e-4d6a-9c41-5e8f2b7d1a60)").arg(option, text);
        return std::nullopt;
    }
    return id;
}

} // namespace

std::optional<ExpectedState> AppendInput::parseExpected(const QString &text, QString *error)
{
    const QString t = text.trimmed();
    if (t == QLatin1String("no_stream"))
        return ExpectedState::noStream();
    if (t == QLatin1String("any") || t == QLatin1String("stream_exists")) {
        *error = QStringLiteral(
                     "--expected-revision %1: a correction is pinned to the revision you inspected (a number, or "
                     "no_stream for a new stream). With \"%1\" a retried append could land twice")
                     .arg(t);
        return std::nullopt;
    }
    bool ok = false;
    const qulonglong revision = t.toULongLong(&ok);
    if (!ok || t.startsWith(QLatin1Char('+'))) {
        *error = QStringLiteral("--expected-revision: \"%1\" is neither a revision number nor no_stream").arg(text);
        return std::nullopt;
    }
    return ExpectedState::at(revision);
}

QString AppendInput::readPayload(const QString &option, const QString &value, bool stdinAllowed, QString *error)
{
    const QString trimmed = value.trimmed();
    if (trimmed.startsWith(QLatin1Char('{')) || trimmed.startsWith(QLatin1Char('[')))
        return value;
    if (value == QLatin1String("-")) {
        if (!stdinAllowed) {
            *error = QStringLiteral("--%1 -: stdin is taken by --data already").arg(option);
            return {};
        }
        QFile in;
        if (!in.open(stdin, QIODevice::ReadOnly)) {
            *error = QStringLiteral("--%1 -: cannot read stdin").arg(option);
            return {};
        }
        return QString::fromUtf8(in.readAll());
    }
    QFile file(value);
    if (value.isEmpty() || !file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("--%1: cannot read the file \"%2\" (%3); inline JSON starts with { or [")
                     .arg(option, value, value.isEmpty() ? QStringLiteral("no name given") : file.errorString());
        return {};
    }
    return QString::fromUtf8(file.readAll());
}

QString AppendInput::read(const CommandLine &line)
{
    auto required = [&line](const char *name) -> QString {
        const QString option = QLatin1String(name);
        return line.isSet(option) && !line.value(option).trimmed().isEmpty()
            ? QString()
            : QStringLiteral("--%1 is required (chronoscope-cli append --help)").arg(option);
    };
    dryRun = line.isSet(QStringLiteral("dry-run"));
    templateName = line.value(QStringLiteral("template")).trimmed();
    if (line.isSet(QStringLiteral("template")) && templateName.isEmpty())
        return QStringLiteral("--template: no name given");
    // A template gives the type and the data; without one they are required.
    for (const char *name : {"stream", "type", "data"}) {
        const QString missing = required(name);
        if (!missing.isEmpty() && (templateName.isEmpty() || qstrcmp(name, "stream") == 0))
            return missing;
    }
    stream = line.value(QStringLiteral("stream"));
    eventType = line.value(QStringLiteral("type"));
    reason = line.value(QStringLiteral("reason")).trimmed();
    if (!dryRun && reason.isEmpty())
        return QStringLiteral("--reason is required: say why this correction is made (it unlocks writes for this "
                              "append and goes into the event's metadata and the audit log)");

    QString error;
    if (line.isSet(QStringLiteral("expected-revision"))) {
        expected = parseExpected(line.value(QStringLiteral("expected-revision")), &error);
        if (!expected)
            return error;
    } else if (!dryRun) {
        return QStringLiteral("--expected-revision is required: the revision of %1 you inspected (or no_stream), "
                              "so the correction cannot land on a stream that changed meanwhile")
            .arg(stream);
    }
    if (line.isSet(QStringLiteral("event-id"))) {
        eventId = parseUuid(QStringLiteral("event-id"), line.value(QStringLiteral("event-id")), &error);
        if (!eventId)
            return error;
    }
    if (line.isSet(QStringLiteral("corrects")) && line.value(QStringLiteral("corrects")).startsWith(QLatin1Char('@'))) {
        bool ok = false;
        correctsRevision = line.value(QStringLiteral("corrects")).mid(1).toULongLong(&ok);
        if (!ok)
            return QStringLiteral("--corrects: \"%1\" is neither an event id nor @<revision> of the stream")
                .arg(line.value(QStringLiteral("corrects")));
    } else if (line.isSet(QStringLiteral("corrects"))) {
        const auto id = parseUuid(QStringLiteral("corrects"), line.value(QStringLiteral("corrects")), &error);
        if (!id)
            return error;
        corrects = *id;
    }
    reducerPath = line.value(QStringLiteral("reducer"));
    if (!templateName.isEmpty() && reducerPath.isEmpty())
        return QStringLiteral("--template needs --reducer: templates are the reducer file's");
    confirmProfile = line.value(QStringLiteral("confirm-profile")).trimmed();
    auditLogPath = line.value(QStringLiteral("audit-log"));
    if (line.isSet(QStringLiteral("audit-log")) && auditLogPath.isEmpty())
        return QStringLiteral("--audit-log: no path given");

    const QString dataOption = line.value(QStringLiteral("data"));
    if (line.isSet(QStringLiteral("data"))) {
        data = readPayload(QStringLiteral("data"), dataOption, true, &error);
        if (!error.isEmpty())
            return error;
    }
    if (line.isSet(QStringLiteral("metadata"))) {
        metadata = readPayload(QStringLiteral("metadata"), line.value(QStringLiteral("metadata")),
                               dataOption != QLatin1String("-"), &error);
        if (!error.isEmpty())
            return error;
    }
    return {};
}

} // namespace chronoscope::cli
