#pragma once

#include "base/Cancellation.h"
#include "report/ExaminationReport.h"
#include "report/ReportSignature.h"

#include <QCoreApplication>
#include <QJsonObject>

#include <functional>

namespace chronoscope {

class StreamsClient;
namespace engine {
class TimelineSource;
}

/// Verifies an examination report (F10) in the order an auditor needs: first its signature,
/// offline (an altered report is not worth reading the server for), then — when a server is at
/// hand — its events, read again as the timeline read them and checked against its digest.
/// The window's Verify Report… and the command line's verify-report both stand on it.
class ReportVerifier
{
    Q_DECLARE_TR_FUNCTIONS(ReportVerifier)
public:
    /// A report and the key it should be signed with, read from files.
    struct Input
    {
        QJsonObject report;
        QByteArray expectedPublicKey; ///< raw; empty: any valid signature (or none) will do
        QString error;                ///< why the files could not be used; then nothing else is set
    };
    /// Reads the report at `reportPath` and, when `keyPemPath` is given, the signer's PEM public key.
    static Input load(const QString &reportPath, const QString &keyPemPath = {});

    /// The offline part: the signature, and whether the report names what to read again.
    struct Offline
    {
        ReportSignature::Check signature;
        QString failureTitle; ///< empty when the report may go on to be read again
        QString failure;
        QByteArray stream; ///< what the report examined
        quint64 count = 0; ///< how many events it examined
        bool ok() const { return failure.isEmpty(); }
        /// For the user: the signature's part of the verdict ("not signed" when there is none).
        QString signatureText() const;
    };
    /// A report not signed by the expected key, or whose signature does not hold, fails here.
    /// Without a server an unsigned report cannot be verified at all, and a signed one only as far
    /// as its signature goes: that is the caller's to say.
    static Offline checkOffline(const QJsonObject &report, const QByteArray &expectedPublicKey);

    /// Reads the report's events again from `client` (blocking: call it in a worker) and checks them
    /// against its digest. `progress(read)` comes every 4 096 events; a cancelled read answers
    /// "cancelled" in the message with unchanged false.
    using Progress = std::function<void(quint64 read)>;
    static ExaminationReport::Verification readAgain(const StreamsClient &client, const QJsonObject &report,
                                                     const CancellationPtr &cancel, const Progress &progress = {});
    /// The same from a timeline instead of a server (an archive opened offline, ArchiveTimelineSource):
    /// its first events, as many as the report examined, against the digest. A timeline of `$all` is
    /// read as the report's stream when the report examined one (that stream's events only). The
    /// caller checks first that the timeline holds what the report examined (sourceMismatch()).
    static ExaminationReport::Verification readAgain(engine::TimelineSource &source, const QJsonObject &report,
                                                     const CancellationPtr &cancel, const Progress &progress = {});
    /// Why `source` cannot hold the report's events (another stream; a link or system stream in an
    /// `$all` timeline, which holds no such events); empty when it can.
    static QString sourceMismatch(const engine::TimelineSource &source, const QJsonObject &report);
};

} // namespace chronoscope
