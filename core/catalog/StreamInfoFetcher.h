#pragma once

#include "base/JobTracker.h"
#include "model/ClientError.h"
#include "model/StreamMetadata.h"
#include "model/StreamSighting.h"

#include <QObject>

#include <memory>
#include <optional>

namespace chronoscope {

class StreamsClient;

/// What the server says about one stream: its metadata (`$$<stream>`) and whether it is alive,
/// soft deleted (reads say stream_not_found and `$tb` is long.MaxValue) or tombstoned (reads fail
/// with stream-deleted), protocol sheet §10 and §12.
struct StreamInfo
{
    QByteArray stream;
    std::optional<StreamMetadata> metadata; ///< none when the stream has no metadata
    StreamDeletion deletion = StreamDeletion::None;
    bool exists = false;                    ///< it has readable events
    std::optional<quint64> lastRevision;
    ClientError error;                      ///< the metadata could not be read (e.g. access denied)
};

/// Fetches StreamInfo in a worker, latest request wins: fetching another stream drops the answer
/// for the one before.
class StreamInfoFetcher : public QObject
{
    Q_OBJECT
public:
    explicit StreamInfoFetcher(QObject *parent = nullptr);
    ~StreamInfoFetcher() override;

    void setClient(std::shared_ptr<const StreamsClient> client);
    void fetch(const QByteArray &stream);
    void cancel() { m_jobs.cancel(); }

    /// Blocking: what fetch() runs in its worker.
    static StreamInfo read(const StreamsClient &client, const QByteArray &stream);

Q_SIGNALS:
    void fetched(const chronoscope::StreamInfo &info);

private:
    std::shared_ptr<const StreamsClient> m_client;
    JobTracker m_jobs{this};
};

} // namespace chronoscope

Q_DECLARE_METATYPE(chronoscope::StreamInfo)
