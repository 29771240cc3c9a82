#include "correct/AuditEntry.h"

#include "connection/ConnectionSettings.h"
#include "correct/EventDraft.h"

#include <QCryptographicHash>
#include <QJsonValue>
#include <QSysInfo>

#include <limits>
#include <vector>

#include <pwd.h>
#include <unistd.h>

namespace chronoscope {

namespace {

QString uuidText(const QUuid &id)
{
    return id.isNull() ? QString() : id.toString(QUuid::WithoutBraces);
}

QString sha256Hex(const QString &text)
{
    return QString::fromLatin1(QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).toHex());
}

/// Revisions and positions are unsigned 64-bit; JSON numbers hold them exactly up to 2^63-1 in Qt,
/// which every real revision is. Anything above is written as text rather than rounded.
QJsonValue u64(quint64 v)
{
    if (v <= quint64(std::numeric_limits<qint64>::max()))
        return QJsonValue(qint64(v));
    return QString::number(v);
}

QJsonValue expectedJson(const ExpectedState &e)
{
    return e.kind == ExpectedState::Kind::Revision ? u64(e.revision) : QJsonValue(e.toString());
}

/// A second line of defence: whatever the caller passes as the connection, a password in its
/// user info never reaches the log (everything between the user info's first ':' and the last '@').
QString redactUserInfo(const QString &connection)
{
    const int scheme = connection.indexOf(QLatin1String("://"));
    const int at = connection.lastIndexOf(QLatin1Char('@'));
    if (scheme < 0 || at < scheme)
        return connection;
    const int colon = connection.indexOf(QLatin1Char(':'), scheme + 3);
    if (colon < 0 || colon > at)
        return connection;
    return connection.left(colon + 1) + QStringLiteral("***") + connection.mid(at);
}

void insertOperator(QJsonObject &o, const AuditOperator &op)
{
    o.insert(QLatin1String("osUser"), op.osUser);
    o.insert(QLatin1String("connectionUser"), op.connectionUser);
    o.insert(QLatin1String("connection"), redactUserInfo(op.connection));
    o.insert(QLatin1String("host"), op.host);
    o.insert(QLatin1String("tool"), op.tool);
    o.insert(QLatin1String("toolVersion"), op.toolVersion);
    o.insert(QLatin1String("pid"), qint64(::getpid()));
}

} // namespace

AuditOperator::AuditOperator() : toolVersion(QStringLiteral(CHRONOSCOPE_VERSION)) {}

QJsonObject AuditOperator::toJson() const
{
    QJsonObject o;
    insertOperator(o, *this);
    return o;
}

QString AuditOperator::osUserName()
{
    // The user database rather than $USER first: the environment is whatever the launcher set.
    std::vector<char> buffer(16384);
    passwd entry{};
    passwd *found = nullptr;
    if (::getpwuid_r(::getuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found && found->pw_name)
        return QString::fromLocal8Bit(found->pw_name);
    const QString user = qEnvironmentVariable("USER");
    return user.isEmpty() ? QStringLiteral("uid %1").arg(::getuid()) : user;
}

AuditOperator AuditOperator::current(const ConnectionSettings &connection, const QString &tool)
{
    AuditOperator op;
    op.osUser = osUserName();
    op.connectionUser = connection.username;
    op.connection = connection.toRedactedString();
    op.host = QSysInfo::machineHostName();
    op.tool = tool;
    return op;
}

AuditAttempt AuditAttempt::fromDraft(const EventDraft &draft, const QString &metadataSent, const AuditOperator &op)
{
    AuditAttempt a;
    a.draftId = draft.draftId;
    a.eventId = draft.eventId;
    a.stream = draft.stream;
    a.expected = draft.expected.value_or(ExpectedState::any());
    a.eventType = draft.eventType;
    a.data = draft.data;
    a.metadata = metadataSent;
    a.reason = draft.reason;
    a.correctsEventId = draft.correctsEventId;
    a.correlationId = draft.correlationId;
    a.op = op;
    return a;
}

QJsonObject AuditAttempt::toJson() const
{
    QJsonObject o;
    o.insert(QLatin1String("draftId"), uuidText(draftId));
    o.insert(QLatin1String("eventId"), uuidText(eventId));
    o.insert(QLatin1String("stream"), stream);
    o.insert(QLatin1String("expectedRevision"), expectedJson(expected));
    o.insert(QLatin1String("eventType"), eventType);
    o.insert(QLatin1String("data"), data);
    o.insert(QLatin1String("dataSha256"), sha256Hex(data));
    o.insert(QLatin1String("metadata"), metadata);
    o.insert(QLatin1String("metadataSha256"), sha256Hex(metadata));
    o.insert(QLatin1String("reason"), reason);
    o.insert(QLatin1String("correctsEventId"), uuidText(correctsEventId));
    o.insert(QLatin1String("correlationId"), correlationId);
    insertOperator(o, op);
    return o;
}

AuditOutcome AuditOutcome::appended(quint64 revision, std::optional<Position> position)
{
    AuditOutcome o;
    o.result = Result::Appended;
    o.revision = revision;
    o.position = position;
    return o;
}

AuditOutcome AuditOutcome::alreadyAppended(quint64 revision, std::optional<Position> position)
{
    AuditOutcome o = appended(revision, position);
    o.result = Result::AlreadyAppended;
    return o;
}

AuditOutcome AuditOutcome::conflict(std::optional<quint64> actualRevision, const QString &message)
{
    AuditOutcome o;
    o.result = Result::Conflict;
    o.actualRevision = actualRevision;
    o.errorKind = ClientError::kindName(ClientError::Kind::WrongExpectedVersion);
    o.message = message;
    return o;
}

AuditOutcome AuditOutcome::error(const ClientError &error)
{
    if (error.kind == ClientError::Kind::WrongExpectedVersion)
        return conflict(error.actualRevision, error.message);
    AuditOutcome o;
    o.result = Result::Error;
    o.errorKind = error.kindName();
    o.message = error.message;
    return o;
}

AuditOutcome AuditOutcome::unknown(const QString &message, const QString &errorKind)
{
    AuditOutcome o;
    o.result = Result::Unknown;
    o.errorKind = errorKind;
    o.message = message;
    return o;
}

QString AuditOutcome::resultName(Result result)
{
    switch (result) {
    case Result::Appended: return QStringLiteral("appended");
    case Result::AlreadyAppended: return QStringLiteral("already-appended");
    case Result::Conflict: return QStringLiteral("conflict");
    case Result::Error: return QStringLiteral("error");
    case Result::Unknown: return QStringLiteral("unknown");
    }
    return {};
}

std::optional<AuditOutcome::Result> AuditOutcome::resultFromName(const QString &name)
{
    for (Result r : {Result::Appended, Result::AlreadyAppended, Result::Conflict, Result::Error, Result::Unknown}) {
        if (resultName(r) == name)
            return r;
    }
    return std::nullopt;
}

QJsonObject AuditOutcome::toJson(qint64 attemptSeq, const AuditAttempt &attempt) const
{
    QJsonObject o;
    o.insert(QLatin1String("attemptSeq"), attemptSeq);
    o.insert(QLatin1String("eventId"), uuidText(attempt.eventId));
    o.insert(QLatin1String("stream"), attempt.stream);
    o.insert(QLatin1String("result"), resultName(result));
    if (revision)
        o.insert(QLatin1String("revision"), u64(*revision));
    if (position) {
        o.insert(QLatin1String("commitPosition"), u64(position->commit));
        o.insert(QLatin1String("preparePosition"), u64(position->prepare));
    }
    if (result == Result::Conflict) // null: the stream does not exist
        o.insert(QLatin1String("actualRevision"), actualRevision ? u64(*actualRevision) : QJsonValue(QJsonValue::Null));
    if (!errorKind.isEmpty())
        o.insert(QLatin1String("errorKind"), errorKind);
    if (!message.isEmpty())
        o.insert(QLatin1String("message"), message);
    o.insert(QLatin1String("osUser"), attempt.op.osUser);
    o.insert(QLatin1String("connectionUser"), attempt.op.connectionUser);
    return o;
}

} // namespace chronoscope
