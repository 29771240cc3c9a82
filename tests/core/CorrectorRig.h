#pragma once
// A Corrector wired to a real sandbox (FaultSandbox: a log file, a fault plan, restarts), with its
// audit log in a temporary folder and a write guard unlocked for the session.
#include "CorrectorTestSupport.h"
#include "client/StreamsClient.h"
#include "correct/AuditLog.h"
#include "correct/AuditReader.h"
#include "correct/Corrector.h"
#include "correct/WriteGuard.h"
#include "support/FaultSandbox.h"

#include <QTemporaryDir>
#include <QThread>

namespace chronoscope::test {

inline const QString kReason = QStringLiteral("refund the duplicate charge of ticket T-42");

struct CorrectorRig
{
    FaultSandbox box;
    QTemporaryDir auditDir{faultLogFolder()}; // tmpfs when there is one: fsync is not what is tested here
    std::unique_ptr<StreamsClient> client;
    std::unique_ptr<AuditLog> audit;
    WriteGuard guard{WriteProfile::adHoc()};
    std::unique_ptr<Corrector> corrector;
    ConnectionSettings settings;

    /// `deadlineMs`: the client's deadline for every call (short, for stalls).
    bool start(QString *error, int deadlineMs = 3000)
    {
        if (!box.start(error))
            return false;
        const auto cs = ConnectionString::parse(
            QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false&defaultDeadline=%2").arg(box.port).arg(deadlineMs));
        settings = cs.settings;
        client = std::make_unique<StreamsClient>(settings);
        audit = std::make_unique<AuditLog>(auditDir.filePath(QStringLiteral("audit.jsonl")));
        if (!auditDir.isValid()) {
            *error = auditDir.errorString();
            return false;
        }
        if (const QString why = guard.unlock(kReason); !why.isEmpty()) {
            *error = why;
            return false;
        }
        corrector = std::make_unique<Corrector>(client.get(), audit.get(), &guard, AuditOperator::current(settings));
        return true;
    }

    /// A new client (and Corrector on it), as an app reconnecting after the server came back: a
    /// fresh channel connects at once, where the old one would wait out gRPC's reconnect backoff.
    void reconnect()
    {
        corrector.reset();
        client = std::make_unique<StreamsClient>(settings);
        corrector = std::make_unique<Corrector>(client.get(), audit.get(), &guard, AuditOperator::current(settings));
    }

    /// Appends `events` (type, data) to `stream` directly (another client writing), with `any`.
    void seed(const QByteArray &stream, const QList<QPair<QByteArray, QByteArray>> &events)
    {
        QList<EventData> batch;
        for (const auto &e : events)
            batch << EventData::json(e.first, e.second);
        const AppendResult r = client->append(stream, ExpectedState::any(), batch);
        if (r.error)
            qFatal("seed %s: %s", stream.constData(), qPrintable(r.error.toString()));
    }

    /// A payments target of `stream` loaded from the sandbox.
    std::unique_ptr<CorrectionTarget> load(const QByteArray &stream)
    {
        auto target = paymentsTarget(stream);
        const CorrectionTarget::CatchUp c = target->catchUp(*client);
        if (!c.ok())
            qFatal("load %s: %s", stream.constData(), qPrintable(c.error.toString()));
        return target;
    }

    /// The stream's events as stored (empty when there is none). Tried again while the client
    /// reconnects after a restart.
    QList<RecordedEvent> stored(const QByteArray &stream) const
    {
        for (int i = 0; i < 100; ++i) {
            const ReadResult r = client->readAll(ReadRequest::forStream(stream));
            if (!r.error || r.error.kind == ClientError::Kind::StreamNotFound) {
                QList<RecordedEvent> out;
                for (const ResolvedEvent &e : r.events)
                    out << e.originalEvent();
                return out;
            }
            QThread::msleep(20);
        }
        qFatal("cannot read %s", stream.constData());
        return {};
    }

    QList<AuditRecord> auditRecords() const
    {
        AuditReader reader(audit->path());
        if (const QString error = reader.load(); !error.isEmpty())
            qFatal("audit: %s", qPrintable(error));
        return reader.records();
    }
};

} // namespace chronoscope::test
