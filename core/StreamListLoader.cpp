#include "StreamListLoader.h"

#include "StreamsClient.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSet>

namespace chronoscope {

namespace {

/// The worker's side of a scan: de-duplicates names and cuts the results into batches.
class ScanState
{
public:
    void see(const RecordedEvent &e)
    {
        ++m_scanned;
        auto it = m_seen.find(e.streamId);
        if (it == m_seen.end()) {
            // Backwards: the first event met is the stream's newest.
            it = m_seen.insert(e.streamId, StreamSighting{e.streamId, e.createdMsecsSinceEpoch(), 0});
            m_fresh.push_back(e.streamId);
        }
        ++it->eventsSeen;
        m_touched.insert(e.streamId);
    }

    quint64 scanned() const { return m_scanned; }
    QList<QByteArray> takeFresh() { return std::exchange(m_fresh, {}); }
    QList<StreamSighting> takeTouched()
    {
        QList<StreamSighting> out;
        out.reserve(m_touched.size());
        for (const QByteArray &name : std::as_const(m_touched))
            out.push_back(m_seen.value(name));
        m_touched.clear();
        return out;
    }

private:
    QHash<QByteArray, StreamSighting> m_seen;
    QList<QByteArray> m_fresh;
    QSet<QByteArray> m_touched;
    quint64 m_scanned = 0;
};

} // namespace

StreamListLoader::StreamListLoader(QObject *parent)
    : QObject(parent)
{
}

StreamListLoader::~StreamListLoader() = default;

void StreamListLoader::start(std::shared_ptr<const StreamsClient> client)
{
    m_running = true;
    Q_EMIT started();
    const int interval = m_batchIntervalMs;
    m_jobs.start([this, client = std::move(client), interval](const JobTracker::Job &job) {
        if (!client) {
            job.post([this]() { finish(ClientError::protocol(QStringLiteral("not connected"))); });
            return;
        }
        ScanState state;
        QElapsedTimer sinceBatch;
        sinceBatch.start();
        auto flush = [&]() {
            job.post([this, names = state.takeFresh(), sightings = state.takeTouched(), n = state.scanned()]() {
                deliver(names, sightings, n);
            });
            sinceBatch.restart();
        };
        const ReadRequest request = ReadRequest::forAll(Direction::Backwards).filtered(ReadFilter::excludeSystemEvents());
        const ReadSummary summary = client->read(
            request,
            [&](ResolvedEvent &&e) {
                state.see(e.originalEvent());
                if (sinceBatch.elapsed() >= interval)
                    flush();
                return !job.isCancelled();
            },
            job.cancellation());
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

void StreamListLoader::finish(const ClientError &error)
{
    m_running = false;
    Q_EMIT finished(error);
}

} // namespace chronoscope
