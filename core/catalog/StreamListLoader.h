#pragma once

#include "base/JobTracker.h"
#include "catalog/StreamListQuery.h"
#include "model/ClientError.h"
#include "model/StreamSighting.h"

#include <QObject>

#include <memory>

namespace chronoscope {

class StreamsClient;

/// Lists the streams of a server. When the `$streams` projection runs (and the query allows it),
/// its stream is read backwards without resolving links, one link per stream, newest created
/// first; a short backwards look at the newest events of `$all` then adds when the recently
/// changed streams changed, and `$et-$deleted` the tombstones. Otherwise `$all` is scanned
/// backwards to the start (server-side filtered, see StreamListQuery::scanFilter()) and stream
/// names are de-duplicated, so the most recently changed streams come first.
///
/// The listing runs in a worker; results reach this object's thread in batches at most every
/// batchIntervalMs(). Starting a new listing cancels the previous one and drops whatever it still
/// had in flight (latest request wins).
class StreamListLoader : public QObject
{
    Q_OBJECT
public:
    explicit StreamListLoader(QObject *parent = nullptr);
    ~StreamListLoader() override;

    int batchIntervalMs() const { return m_batchIntervalMs; }
    void setBatchIntervalMs(int ms) { m_batchIntervalMs = ms; }

    enum class Source { None, StreamsProjection, AllScan };
    Q_ENUM(Source)

    /// How many of the newest `$all` events the `$streams` listing looks at for change times.
    static constexpr quint64 kRecentEvents = 5000;

    /// The query of the next start(); an invalid one (a bad regex) is not sent.
    void setQuery(const StreamListQuery &query) { m_query = query; }
    const StreamListQuery &query() const { return m_query; }
    Source source() const { return m_source; }

    /// Starts a listing through `client` (cancelling the running one).
    void start(std::shared_ptr<const StreamsClient> client);
    /// Cancels the running scan; finished() reports Cancelled at once.
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void started();
    /// Where the names come from; emitted once the listing knows (before its first names).
    void sourceChanged(chronoscope::StreamListLoader::Source source);
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
    void setSource(Source source);

    JobTracker m_jobs{this};
    int m_batchIntervalMs = 100;
    bool m_running = false;
    StreamListQuery m_query;
    Source m_source = Source::None;
};

} // namespace chronoscope
