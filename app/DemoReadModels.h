#pragma once

#include "connection/ConnectionSettings.h"
#include "connection/ReadModelEndpoint.h"
#include "demo/DemoHistory.h"
#include "model/Types.h"

#include <QHash>
#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>

namespace chronoscope {

/// `--demo`'s read models (issue 14 item 7): a private PostgreSQL and a private Redis (Debian's packages) on free
/// loopback ports in temporary folders, loaded with the demo's `orders` table and `order-summary:<id>` hashes
/// (DemoReadModelData: drifted for some orders), and each given a projector checkpoint some events behind the head
/// of the demo's `$all`, so that the lag chart has something to show. All of it runs on a thread of its own; the
/// servers live on it and are stopped there when this object dies (no server outlives the application, and the
/// servers get SIGTERM should the application die first). A server that cannot start (binary missing, port,
/// permission) is reported by unavailable(); the other and the rest of the demo go on.
class DemoReadModels : public QObject
{
    Q_OBJECT
public:
    /// The profile name the demo's endpoints belong to (their passwords: credentialKey(kProfile)).
    static QString profileName() { return QStringLiteral("demo"); }

    struct Options
    {
        quint64 postgresLag = 1200; ///< events the orders table's checkpoint is behind the head
        quint64 redisLag = 300;     ///< the same for the Redis summary
        QString postgresBinDir;     ///< empty = LocalPostgres::defaultBinDir()
        /// The Redis summary's projector catches up by this many events every catchUpIntervalMs (0: it stays
        /// put), while the orders table's stays stalled: the lag chart shows one model recovering, one not.
        int catchUpEvents = 0;
        int catchUpIntervalMs = 2000;
    };

    explicit DemoReadModels(QObject *parent = nullptr);
    /// Stops the servers on their thread (a start under way ends at its next step) and waits for it.
    ~DemoReadModels() override;

    /// Starts both servers and loads them from the history with `history`; the checkpoints are set against the
    /// event store at `eventStore` (the demo server, seeded already). Once per object.
    void start(const DemoHistory::Options &history, const ConnectionSettings &eventStore, const Options &options);
    void start(const DemoHistory::Options &history, const ConnectionSettings &eventStore)
    {
        start(history, eventStore, Options{});
    }
    bool isStarting() const { return m_starting; }
    QList<ReadModelEndpoint> endpoints() const { return m_endpoints; }
    QString password(const QString &endpoint) const { return m_passwords.value(endpoint); }
    /// The servers' process ids while they run (0: none): the postmaster and redis-server.
    qint64 postgresPid() const { return m_postgresPid; }
    qint64 redisPid() const { return m_redisPid; }

Q_SIGNALS:
    /// A step under way, for the status bar ("Starting PostgreSQL for the demo's read models…").
    void progress(const QString &step);
    /// One read model is up, loaded and has its checkpoint: `endpoint` of the demo profile, its password.
    void endpointReady(const chronoscope::ReadModelEndpoint &endpoint, const QString &password);
    /// `what` ("PostgreSQL", "Redis") could not be started or loaded: `why`. The rest goes on.
    void unavailable(const QString &what, const QString &why);
    /// Both have been tried.
    void finished();

private:
    struct Host;
    void post(std::function<void()> onGui);
    void catchUp(const std::shared_ptr<Host> &host, const QList<Position> &newestFirst, const Options &options);

    QThread m_thread;
    QObject *m_context = nullptr; ///< lives on m_thread: work is queued to it
    std::shared_ptr<Host> m_host;
    std::shared_ptr<std::atomic<bool>> m_stopping = std::make_shared<std::atomic<bool>>(false);
    QList<ReadModelEndpoint> m_endpoints;
    QHash<QString, QString> m_passwords;
    qint64 m_postgresPid = 0;
    qint64 m_redisPid = 0;
    bool m_starting = false;
    bool m_started = false;
};

} // namespace chronoscope
