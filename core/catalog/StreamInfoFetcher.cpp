#include "catalog/StreamInfoFetcher.h"

#include "client/StreamsClient.h"

namespace chronoscope {

StreamInfoFetcher::StreamInfoFetcher(QObject *parent)
    : QObject(parent)
{
}

StreamInfoFetcher::~StreamInfoFetcher() = default;

void StreamInfoFetcher::setClient(std::shared_ptr<const StreamsClient> client)
{
    m_jobs.cancel();
    m_client = std::move(client);
}

void StreamInfoFetcher::fetch(const QByteArray &stream)
{
    if (!m_client) {
        m_jobs.cancel();
        return;
    }
    m_jobs.start([this, client = m_client, stream](const JobTracker::Job &job) {
        StreamInfo info = read(*client, stream);
        job.post([this, info = std::move(info)]() { Q_EMIT fetched(info); });
    });
}

StreamInfo StreamInfoFetcher::read(const StreamsClient &client, const QByteArray &stream)
{
    StreamInfo info;
    info.stream = stream;
    const StreamMetadataResult meta = client.getStreamMetadata(stream);
    if (meta.error && meta.error.kind != ClientError::Kind::StreamDeleted)
        info.error = meta.error;
    info.metadata = meta.metadata;
    // The newest event tells alive from deleted: a tombstone fails the read, a soft delete
    // answers stream_not_found (as a stream that never existed does: the metadata tells them apart).
    const ReadResult last = client.readAll(ReadRequest::forStream(stream, Direction::Backwards).count(1));
    if (last.error.kind == ClientError::Kind::StreamDeleted || meta.error.kind == ClientError::Kind::StreamDeleted) {
        info.deletion = StreamDeletion::Tombstoned;
    } else if (last.error.kind == ClientError::Kind::StreamNotFound && info.metadata && info.metadata->isSoftDeleted()) {
        info.deletion = StreamDeletion::SoftDeleted;
    } else if (!last.error && !last.events.isEmpty()) {
        info.exists = true;
        info.lastRevision = last.events.first().originalEvent().revision;
    } else if (last.error && last.error.kind != ClientError::Kind::StreamNotFound && !info.error) {
        info.error = last.error;
    }
    return info;
}

} // namespace chronoscope
