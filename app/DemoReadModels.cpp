#include "DemoReadModels.h"

#include "client/StreamsClient.h"
#include "demo/DemoReadModel.h"
#include "readmodel/local/LocalPostgres.h"
#include "readmodel/local/LocalRedis.h"

#include <QLocale>

namespace chronoscope {

using readmodel::local::LocalPostgres;
using readmodel::local::LocalRedis;

struct DemoReadModels::Host
{
    std::unique_ptr<LocalPostgres> postgres;
    std::unique_ptr<LocalRedis> redis;
};

namespace {

/// The `$all` position `lag` events before the head (system events left out), as "commit/prepare"; empty when
/// `$all` has no more than `lag` events (then nothing is processed yet).
QString positionBehind(const StreamsClient &client, quint64 lag, QString *error)
{
    const ReadResult r = client.readAll(
        ReadRequest::forAll(Direction::Backwards).filtered(ReadFilter::excludeSystemEvents()).count(lag + 1));
    if (r.error) {
        *error = r.error.toString();
        return {};
    }
    if (quint64(r.events.size()) <= lag)
        return {};
    const Position p = r.events.constLast().originalEvent().position;
    return QStringLiteral("%1/%2").arg(p.commit).arg(p.prepare);
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
    QMetaObject::invokeMethod(
        m_context,
        [host]() {
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
        auto unavailable = [this](const QString &what, const QString &why) {
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
        const QString tableCheckpoint = positionBehind(client, options.postgresLag, &clientError);
        const QString summaryCheckpoint = positionBehind(client, options.redisLag, &clientError);

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
                unavailable(QStringLiteral("PostgreSQL"), pg.error());
            else if (!pg.psql(QString::fromUtf8(data.postgresScript() + checkpoint), &out))
                unavailable(QStringLiteral("PostgreSQL"), tr("loading the orders table failed: %1").arg(out.left(400)));
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
                unavailable(QStringLiteral("Redis"), redis.error());
            else if (!redis.cli(QString::fromUtf8(data.redisCommands() + checkpoint), &out)
                     || out.contains(QLatin1String("ERR")))
                unavailable(QStringLiteral("Redis"), tr("loading the order summaries failed: %1").arg(out.left(400)));
            else {
                ReadModelEndpoint e;
                e.name = QStringLiteral("demo-redis");
                e.backend = ReadModelEndpoint::Backend::Redis;
                e.host = redis.host();
                e.port = redis.port();
                e.sslMode = QStringLiteral("disable"); // hiredis 0.14 speaks no TLS; loopback only
                ready(e, redis.password(), redis.processId());
            }
        }
        if (!clientError.isEmpty())
            unavailable(tr("The read models' checkpoints"), clientError);
        post([this, n = data.table.size(), s = data.summary.size()]() {
            m_starting = false;
            Q_EMIT progress(tr("Demo read models: %1 order rows, %2 order summaries")
                                .arg(QLocale().toString(qulonglong(n)), QLocale().toString(qulonglong(s))));
            Q_EMIT finished();
        });
    });
}

} // namespace chronoscope
