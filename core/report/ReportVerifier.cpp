#include "report/ReportVerifier.h"

#include "client/StreamsClient.h"
#include "model/ReadRequest.h"
#include "report/Ed25519.h"
#include "timeline/TimelineSource.h"

#include <QFile>
#include <QJsonDocument>

#include <algorithm>

namespace chronoscope {

ReportVerifier::Input ReportVerifier::load(const QString &reportPath, const QString &keyPemPath)
{
    Input in;
    QFile file(reportPath);
    if (file.open(QIODevice::ReadOnly))
        in.report = QJsonDocument::fromJson(file.readAll()).object();
    if (in.report.isEmpty()) {
        in.error = tr("%1 is not a readable JSON report").arg(reportPath);
        return in;
    }
    if (!keyPemPath.isEmpty()) {
        QFile pem(keyPemPath);
        QString error = tr("cannot read it");
        if (pem.open(QIODevice::ReadOnly))
            in.expectedPublicKey = Ed25519::publicKeyFromPem(pem.read(64 * 1024), &error);
        if (in.expectedPublicKey.isEmpty()) {
            in.report = {};
            in.error = tr("%1 is not a usable public key: %2").arg(keyPemPath, error);
        }
    }
    return in;
}

QString ReportVerifier::Offline::signatureText() const
{
    return signature.valid() ? signature.message : tr("not signed");
}

ReportVerifier::Offline ReportVerifier::checkOffline(const QJsonObject &report, const QByteArray &expectedPublicKey)
{
    Offline o;
    o.signature = ReportSignature::verify(report, expectedPublicKey);
    o.stream = report.value(QStringLiteral("stream")).toString().toUtf8();
    o.count = report.value(QStringLiteral("events")).toObject().value(QStringLiteral("count")).toString().toULongLong();
    using Status = ReportSignature::Status;
    if (o.signature.status == Status::Unsigned && !expectedPublicKey.isEmpty()) {
        o.failureTitle = tr("The report is not signed by the expected key");
        o.failure = tr("it is not signed at all");
    } else if (o.signature.status != Status::Valid && o.signature.status != Status::Unsigned) {
        o.failureTitle = tr("The report's signature does not hold");
        o.failure = o.signature.message;
    }
    return o;
}

ExaminationReport::Verification ReportVerifier::readAgain(const StreamsClient &client, const QJsonObject &report,
                                                          const CancellationPtr &cancel, const Progress &progress)
{
    const QByteArray stream = report.value(QStringLiteral("stream")).toString().toUtf8();
    if (stream.isEmpty())
        return {false, -1, tr("it names no stream"), true};
    const quint64 count =
        report.value(QStringLiteral("events")).toObject().value(QStringLiteral("count")).toString().toULongLong();
    // The events as the timeline read them ($all without system events), streamed into the digest.
    ReadRequest request = ReadRequest::forTimeline(stream);
    request.maxCount = std::max<quint64>(count, 1);
    ExaminationReport::DigestBuilder digest;
    const ReadSummary read = client.read(
        request,
        [&](ResolvedEvent &&e) {
            digest.add(e.originalEvent());
            if (progress && digest.count() % 4096 == 0)
                progress(digest.count());
            return !(cancel && cancel->isCancelled());
        },
        cancel);
    if (cancel && cancel->isCancelled())
        return {false, -1, QStringLiteral("cancelled"), true};
    if (read.error)
        return {false, -1, read.error.toString(), true};
    return ExaminationReport::verify(report, digest.finish());
}

QString ReportVerifier::sourceMismatch(const engine::TimelineSource &source, const QJsonObject &report)
{
    const QByteArray stream = report.value(QStringLiteral("stream")).toString().toUtf8();
    const QByteArray held = source.name();
    if (stream.isEmpty())
        return tr("the report names no stream");
    if (held == stream)
        return {};
    if (source.isAll() && !stream.startsWith('$'))
        return {}; // the stream's events, out of `$all`
    return tr("stream: the report examined %1, the archive holds %2")
        .arg(QString::fromUtf8(stream), QString::fromUtf8(held));
}

ExaminationReport::Verification ReportVerifier::readAgain(engine::TimelineSource &source, const QJsonObject &report,
                                                          const CancellationPtr &cancel, const Progress &progress)
{
    const QString mismatch = sourceMismatch(source, report);
    if (!mismatch.isEmpty())
        return {false, -1, mismatch, false};
    const QByteArray stream = report.value(QStringLiteral("stream")).toString().toUtf8();
    const bool oneOfAll = source.isAll() && stream != source.name();
    const quint64 count =
        report.value(QStringLiteral("events")).toObject().value(QStringLiteral("count")).toString().toULongLong();
    ExaminationReport::DigestBuilder digest;
    const ClientError read = source.read(
        [&](const QList<RecordedEvent> &batch) {
            for (const RecordedEvent &e : batch) {
                if (digest.count() >= count)
                    return false;
                if (oneOfAll && e.streamId != stream)
                    continue;
                digest.add(e);
                if (progress && digest.count() % 4096 == 0)
                    progress(digest.count());
            }
            return digest.count() < count && !(cancel && cancel->isCancelled());
        },
        cancel, 4096);
    if (cancel && cancel->isCancelled())
        return {false, -1, QStringLiteral("cancelled"), true};
    if (read)
        return {false, -1, read.toString(), true};
    return ExaminationReport::verify(report, digest.finish());
}

} // namespace chronoscope
