#pragma once

#include "ClientError.h"
#include "JobTracker.h"
#include "StreamSighting.h"

#include <QObject>

#include <memory>

namespace chronoscope {

class StreamsClient;

/// Lists the streams of a server by scanning `$all` backwards from the end (server-side filtered
/// to exclude system events) and de-duplicating stream names, so the most recently changed streams
/// come first. The scan runs in a worker; results reach this object's thread in batches at most
/// every batchIntervalMs(). Starting a new scan cancels the previous one and drops whatever it
/// still had in flight (latest request wins).
class StreamListLoader : public QObject
{
    Q_OBJECT
public:
    explicit StreamListLoader(QObject *parent = nullptr);
    ~StreamListLoader() override;

    int batchIntervalMs() const { return m_batchIntervalMs; }
    void setBatchIntervalMs(int ms) { m_batchIntervalMs = ms; }

    /// Starts a scan through `client` (cancelling the running one).
    void start(std::shared_ptr<const StreamsClient> client);
    /// Cancels the running scan; finished() reports Cancelled at once.
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void started();
    /// Names not reported before, newest first.
    void streamsFound(const QList<QByteArray> &names);
    /// Time and count for each stream touched since the last batch; always after streamsFound().
    void sightingsUpdated(const QList<chronoscope::StreamSighting> &sightings);
    /// Events scanned so far.
    void progress(quint64 scanned);
    /// The scan ended: complete (no error), cancelled (kind Cancelled) or failed.
    void finished(const chronoscope::ClientError &error);

private:
    void deliver(const QList<QByteArray> &names, const QList<StreamSighting> &sightings, quint64 scanned);
    void finish(const ClientError &error);

    JobTracker m_jobs{this};
    int m_batchIntervalMs = 100;
    bool m_running = false;
};

} // namespace chronoscope
