#pragma once

#include "archive/EventExport.h"
#include "model/Types.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>

#include <memory>

namespace chronoscope {

namespace engine {
class PayloadCache;
}

/// What an auditor examined (F10): the stream, the events looked at, where the cursor and the
/// markers stood, the state there, and a SHA-256 digest of the events (over their lossless JSON
/// Lines, whole and per block of 1024), written as JSON and as a readable HTML page. Later the
/// same events can be read again from the server and checked against the digest: verify() says
/// whether the history is unchanged and, if not, from which block it differs. A report can carry
/// an Ed25519 signature over its content (ReportSignature), checked without a server.
class ExaminationReport
{
public:
    static constexpr quint64 kBlockEvents = 1024;

    struct Digest
    {
        quint64 count = 0;
        QByteArray sha256;          ///< hex
        QList<QByteArray> blocks;   ///< hex, one per kBlockEvents events
        QString error;
    };
    /// Builds a Digest from events given one at a time, in order (e.g. as a read streams them).
    class DigestBuilder
    {
    public:
        DigestBuilder();
        ~DigestBuilder();
        void add(const RecordedEvent &event);
        quint64 count() const;
        Digest finish();

    private:
        struct State;
        std::unique_ptr<State> m;
    };
    /// The digest of events 0 … count-1 of a loaded timeline.
    static Digest digest(engine::PayloadCache &events, quint64 count, const EventExport::Progress &progress = {});
    /// The digest of events read again.
    static Digest digest(const QList<RecordedEvent> &events);

    struct Examined
    {
        QString connection;     ///< redacted: never credentials
        QString serverVersion;
        QByteArray stream;
        QString reducer;
        qint64 cursor = -1;
        RecordedEvent cursorEvent; ///< identity of the event at the cursor (payloads not needed)
        qint64 markerA = -1, markerB = -1;
        QJsonValue stateAtCursor;
        QString note;
    };
    static QJsonObject toJson(const Examined &examined, const Digest &digest, const QDateTime &at);
    static QByteArray toHtml(const QJsonObject &report);
    /// Writes `path` (the JSON) and the HTML beside it (".html" for ".json"). Error text, empty on success.
    static QString write(const QString &path, const QJsonObject &report);

    struct Verification
    {
        bool unchanged = false;
        qint64 firstDifferentBlock = -1; ///< -1 when unchanged or when the counts differ
        QString message;
        bool readFailed = false; ///< the events could not be read again (message says why): no verdict
    };
    static Verification verify(const QJsonObject &report, const Digest &now);
};

} // namespace chronoscope
