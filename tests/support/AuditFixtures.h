#pragma once
// Audit records for tests of the audit log and its reader: an operator and attempts as the Corrector
// would write them.
#include "correct/AuditEntry.h"

#include <QFile>
#include <QString>

namespace chronoscope::testsupport {

inline AuditOperator someone(const QString &osUser = QStringLiteral("alice"))
{
    AuditOperator op;
    op.osUser = osUser;
    op.connectionUser = QStringLiteral("admin");
    op.connection = QStringLiteral("esdb://admin:***@localhost:2113?tls=false");
    op.host = QStringLiteral("support-laptop");
    return op;
}

inline AuditAttempt attemptOn(const QString &stream, int i, const AuditOperator &op = someone())
{
    AuditAttempt a;
    a.draftId = QUuid::createUuid();
    a.eventId = QUuid::createUuid();
    a.stream = stream;
    a.expected = ExpectedState::at(quint64(10 + i));
    a.eventType = QStringLiteral("PaymentRefunded");
    a.data = QStringLiteral("{\"amount\":%1}").arg(i);
    a.metadata = QStringLiteral("{\"$causationId\":\"x\"}");
    a.reason = QStringLiteral("reason %1").arg(i);
    a.op = op;
    return a;
}

inline QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace chronoscope::testsupport
