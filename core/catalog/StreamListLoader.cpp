#include "catalog/StreamListLoader.h"

#include "catalog/StreamScan.h"
#include "client/StreamsClient.h"

#include <QElapsedTimer>

namespace chronoscope {

StreamListLoader::StreamListLoader(QObject *parent)
    : QObject(parent)
{
}

StreamListLoader::~StreamListLoader() = default;

void StreamListLoader::start(std::shared_ptr<const StreamsClient> client)
{
    m_running = true;
    setSource(Source::None);
    Q_EMIT started();
    const int interval = m_batchIntervalMs;
    const StreamListQuery query = m_query;
    m_jobs.start([this, client = std::move(client), interval, query](const JobTracker::Job &job) {
        if (!client) {
            job.post([this]() { finish(ClientError::protocol(QStringLiteral("not connected"))); });
            return;
        }
        if (!query.isValid()) {
            job.post([this, text = query.text]() { finish(ClientError::protocol(QStringLiteral("invalid regex: %1").arg(text))); });
            return;
        }
        StreamScan scan(query);
        QElapsedTimer sinceBatch;
        sinceBatch.start();
        auto flush = [&]() {
            job.post([this, names = scan.takeFresh(), sightings = scan.takeTouched(), n = scan.scanned()]() {
                deliver(names, sightings, n);
            });
            sinceBatch.restart();
        };
        auto read = [&](const ReadRequest &request, const std::function<void(const RecordedEvent &)> &see) {
            return client->read(
                request,
                [&](ResolvedEvent &&e) {
                    see(e.originalEvent());
                    if (sinceBatch.elapsed() >= interval)
                        flush();
                    return !job.isCancelled();
                },
                job.cancellation());
        };

        // `$streams` indexes no system stream: listing those takes the scan.
        if (query.useStreamsProjection && !query.includeSystem) {
            // Links are not resolved: the link's own data names the stream, and its time is the
            // stream's creation. Without the projection the stream does not exist.
            const ReadSummary streams = read(ReadRequest::forStream("$streams", Direction::Backwards),
                                             [&](const RecordedEvent &e) { scan.seeStreamLink(e); });
            if (!streams.error) {
                job.post([this]() { setSource(Source::StreamsProjection); });
                flush();
                ReadRequest recent = ReadRequest::forAll(Direction::Backwards).count(kRecentEvents);
                recent.filter = query.scanFilter();
                ReadSummary summary = read(recent, [&](const RecordedEvent &e) { scan.see(e, false); });
                if (!summary.error && !job.isCancelled())
                    read(ReadRequest::forStream("$et-$deleted", Direction::Backwards),
                         [&](const RecordedEvent &e) { scan.seeTombstoneLink(e); }); // absent: nothing to mark
                flush();
                job.post([this, error = summary.error]() { finish(error); });
                return;
            }
            // Not found (the projection never ran) or not allowed (`$streams` is admin only): scan.
            if (job.isCancelled()) {
                job.post([this, error = streams.error]() { finish(error); });
                return;
            }
        }
        job.post([this]() { setSource(Source::AllScan); });
        ReadRequest request = ReadRequest::forAll(Direction::Backwards);
        request.filter = query.scanFilter();
        const ReadSummary summary = read(request, [&](const RecordedEvent &e) { scan.see(e); });
        flush();
        job.post([this, error = summary.error]() { finish(error); });
    });
}

void StreamListLoader::cancel()
{
    m_jobs.cancel();
    if (!m_running)
        return;
    ClientError error;
    error.kind = ClientError::Kind::Cancelled;
    error.grpcCode = 1;
    error.message = QStringLiteral("cancelled");
    finish(error);
}

void StreamListLoader::deliver(const QList<QByteArray> &names, const QList<StreamSighting> &sightings, quint64 scanned)
{
    if (!names.isEmpty())
        Q_EMIT streamsFound(names);
    if (!sightings.isEmpty())
        Q_EMIT sightingsUpdated(sightings);
    Q_EMIT progress(scanned);
}

void StreamListLoader::setSource(Source source)
{
    if (m_source == source)
        return;
    m_source = source;
    Q_EMIT sourceChanged(source);
}

void StreamListLoader::finish(const ClientError &error)
{
    m_running = false;
    Q_EMIT finished(error);
}

} // namespace chronoscope
