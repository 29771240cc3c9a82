#include "DemoReadModels.h"

#include "client/StreamsClient.h"
#include "demo/DemoReadModel.h"
#include "readmodel/local/LocalPostgres.h"
#include "readmodel/local/LocalRedis.h"

#include <QLocale>
#include <QTimer>

namespace chronoscope {

using readmodel::local::LocalPostgres;
using readmodel::local::LocalRedis;

struct DemoReadModels::Host
{
    std::unique_ptr<LocalPostgres> postgres;
    std::unique_ptr<LocalRedis> redis;
};

namespace {

QString positionText(const Position &p)
{
    return QStringLiteral("%1/%2").arg(p.commit).arg(p.prepare);
}

/// The `$all` positions of the last `lag` + 1 events (system events left out), the newest first: the last one is
/// the checkpoint `lag` events behind the head. Fewer when `$all` is shorter (then nothing is processed yet).
QList<Position> lastPositions(const StreamsClient &client, quint64 lag, QString *error)
{
    const ReadResult r = client.readAll(
        ReadRequest::forAll(Direction::Backwards).filtered(ReadFilter::excludeSystemEvents()).count(lag + 1));
    if (r.error)
        *error = r.error.toString();
    QList<Position> out;
    for (const ResolvedEvent &e : r.events)
        out.append(e.originalEvent().position);
    return out;
}

QString positionBehind(const QList<Position> &newestFirst, quint64 lag)
{
    return quint64(newestFirst.size()) <= lag ? QString() : positionText(newestFirst.constLast());
}

} // namespace

DemoReadModels::DemoReadModels(QObject *parent) : QObject(parent), m_host(std::make_shared<Host>())
{
    m_thread.setObjectName(QStringLiteral("demo-read-models"));
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    m_thread.start();
}

DemoReadModels::~DemoReadModels()
{
    *m_stopping = true;
    // The servers belong to their thread: stopped there (PostgreSQL: a fast shutdown), waited for here.
    std::shared_ptr<Host> host = m_host;
    QObject *context = m_context;
    QMetaObject::invokeMethod(
        m_context,
        [host, context]() {
            qDeleteAll(context->children()); // the catch-up timer: stopped on its own thread
            host->postgres.reset();
            host->redis.reset();
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_context;
}

void DemoReadModels::post(std::function<void()> onGui)
{
    QMetaObject::invokeMethod(this, std::move(onGui), Qt::QueuedConnection);
}

// On the servers' thread: the summary's projector moves its checkpoint towards the head, a step per tick, as a
// projector that was down catches up. The timer is a child of the context: it dies with the thread's work.
void DemoReadModels::catchUp(const std::shared_ptr<Host> &host, const QList<Position> &newestFirst,
                             const Options &options)
{
    auto *timer = new QTimer(m_context);
    auto behind = std::make_shared<qsizetype>(newestFirst.size() - 1);
    QObject::connect(timer, &QTimer::timeout, timer,
                     [timer, host, newestFirst, behind, step = options.catchUpEvents]() {
                         *behind = std::max<qsizetype>(0, *behind - step);
                         if (!host->redis || !host->redis->isRunning()
                             || !host->redis->cli(QStringLiteral("SET projector-checkpoint:order-summary %1\n")
                                                      .arg(positionText(newestFirst.at(*behind)))))
                             *behind = 0;
                         if (*behind == 0)
                             timer->deleteLater();
                     });
    timer->start(options.catchUpIntervalMs);
}

void DemoReadModels::start(const DemoHistory::Options &history, const ConnectionSettings &eventStore,
                           const Options &options)
{
    if (m_started)
        return;
    m_started = m_starting = true;
    std::shared_ptr<Host> host = m_host;
    std::shared_ptr<std::atomic<bool>> stopping = m_stopping;
    QMetaObject::invokeMethod(m_context, [this, host, stopping, history, eventStore, options]() {
        auto step = [this](const QString &text) { post([this, text]() { Q_EMIT progress(text); }); };
        auto notAvailable = [this](const QString &what, const QString &why) {
            post([this, what, why]() { Q_EMIT unavailable(what, why); });
        };
        auto ready = [this](const ReadModelEndpoint &e, const QString &password, qint64 pid) {
            post([this, e, password, pid]() {
                m_endpoints.append(e);
                m_passwords.insert(e.name, password);
                (e.backend == ReadModelEndpoint::Backend::PostgreSql ? m_postgresPid : m_redisPid) = pid;
                Q_EMIT endpointReady(e, password);
            });
        };
        step(tr("Preparing the demo's read models…"));
        const DemoReadModelData data = DemoReadModelData::build(history);
        StreamsClient client(eventStore);
        QString clientError;
        const QString tableCheckpoint = positionBehind(lastPositions(client, options.postgresLag, &clientError),
                                                       options.postgresLag);
        const QList<Position> summaryPositions = lastPositions(client, options.redisLag, &clientError);
        const QString summaryCheckpoint = positionBehind(summaryPositions, options.redisLag);

        if (!*stopping) {
            step(tr("Starting PostgreSQL for the demo's orders table…"));
            host->postgres = std::make_unique<LocalPostgres>(options.postgresBinDir);
            LocalPostgres &pg = *host->postgres;
            QString out;
            const QByteArray checkpoint = tableCheckpoint.isEmpty()
                ? QByteArray()
                : "INSERT INTO projector_checkpoints (projector, position) VALUES ('orders', '"
                    + tableCheckpoint.toLatin1() + "');\n";
            if (!pg.start())
                notAvailable(QStringLiteral("PostgreSQL"), pg.error());
            else if (!pg.psql(QString::fromUtf8(data.postgresScript() + checkpoint), &out))
                notAvailable(QStringLiteral("PostgreSQL"),
                             tr("loading the orders table failed: %1").arg(out.left(400)));
            else {
                ReadModelEndpoint e;
                e.name = QStringLiteral("demo-postgres");
                e.host = pg.host();
                e.port = pg.port();
                e.database = pg.database();
                e.username = pg.user();
                e.sslMode = QStringLiteral("disable"); // a private server on loopback, without a certificate
                ready(e, pg.password(), pg.postmasterPid());
            }
        }
        if (!*stopping) {
            step(tr("Starting Redis for the demo's order summaries…"));
            host->redis = std::make_unique<LocalRedis>();
            LocalRedis &redis = *host->redis;
            QString out;
            const QByteArray checkpoint = summaryCheckpoint.isEmpty()
                ? QByteArray()
                : "SET projector-checkpoint:order-summary " + summaryCheckpoint.toLatin1() + '\n';
            if (!redis.start())
                notAvailable(QStringLiteral("Redis"), redis.error());
            else if (!redis.cli(QString::fromUtf8(data.redisCommands() + checkpoint), &out)
                     || out.contains(QLatin1String("ERR")))
                notAvailable(QStringLiteral("Redis"), tr("loading the order summaries failed: %1").arg(out.left(400)));
            else {
                ReadModelEndpoint e;
                e.name = QStringLiteral("demo-redis");
                e.backend = ReadModelEndpoint::Backend::Redis;
                e.host = redis.host();
                e.port = redis.port();
                e.sslMode = QStringLiteral("disable"); // hiredis 0.14 speaks no TLS; loopback only
                ready(e, redis.password(), redis.processId());
                if (options.catchUpEvents > 0 && quint64(summaryPositions.size()) > options.redisLag)
                    catchUp(host, summaryPositions, options);
            }
        }
        if (!clientError.isEmpty()) // no checkpoints then: the lag chart shows every event unprocessed
            step(tr("The demo's read models have no checkpoints: %1").arg(clientError));
        post([this, n = data.table.size(), s = data.summary.size()]() {
            m_starting = false;
            Q_EMIT progress(tr("Demo read models: %1 order rows, %2 order summaries")
                                .arg(QLocale().toString(qulonglong(n)), QLocale().toString(qulonglong(s))));
            Q_EMIT finished();
        });
    });
}

} // namespace chronoscope
