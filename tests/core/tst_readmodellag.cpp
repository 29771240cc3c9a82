// The lag of a read model (issue 14 item 5): a checkpoint in a real PostgreSQL row or a real Redis key against the
// head of the sandbox's `$all` — exact events behind, the age of the oldest unprocessed event from the events'
// own timestamps, every checkpoint format, and what is said when there is none or it is not a position.
#include "ReadModelTestSupport.h"
#include "client/StreamsClient.h"
#include "readmodel/LagSampler.h"
#include "readmodel/ReadModelLag.h"
#include "readmodel/postgres/PostgresSource.h"
#include "readmodel/redis/RedisSource.h"
#include "support/DemoSandbox.h"
#include "support/PostgresServer.h"
#include "support/RedisServer.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

using namespace chronoscope;
using namespace chronoscope::readmodel;
using Backend = ReadModelEndpoint::Backend;

namespace {

const QByteArray kPgMapping = R"({"backend": "postgresql", "category": "order", "endpoint": "test",
    "row": "SELECT * FROM orders WHERE order_id = $1", "scan": "SELECT * FROM orders",
    "checkpoint": {"query": "SELECT position FROM checkpoints WHERE name = 'orders'"}})";
const QByteArray kRedisMapping = R"({"backend": "redis", "category": "order", "endpoint": "test",
    "key": "summary:{id}", "checkpoint": {"key": "checkpoint:summary"}})";
const QByteArray kRedisHashMapping = R"({"backend": "redis", "category": "order", "endpoint": "test",
    "key": "summary:{id}", "checkpoint": {"key": "checkpoints", "field": "summary"}})";

} // namespace

class TestReadModelLag : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_sandbox.start(2000), qPrintable(m_sandbox.error()));
        m_sandbox.server().store().configureProjections(true, true); // system events in $all: not counted
        m_client = std::make_unique<StreamsClient>(m_sandbox.settings());
        const ReadResult all = m_client->readAll(ReadRequest::forAll().filtered(ReadFilter::excludeSystemEvents()));
        QVERIFY(!all.error);
        for (const ResolvedEvent &e : all.events)
            m_events.append(e.originalEvent());
        QCOMPARE(quint64(m_events.size()), m_sandbox.seeded());
    }

    void checkpointParsing()
    {
        ReadModelMapping::ParseError error;
        QVERIFY(!ReadModelMapping::parse(QStringLiteral("m"),
                                         QJsonDocument::fromJson(R"({"backend": "postgresql", "category": "order",
            "endpoint": "e", "row": "SELECT 1 WHERE $1 = $1", "scan": "SELECT 1", "checkpoint": {"key": "k"}})")
                                             .object(),
                                         &error));
        QCOMPARE(error.field, QStringLiteral("readModels.m.checkpoint.key"));
        QVERIFY(!ReadModelMapping::parse(QStringLiteral("m"),
                                         QJsonDocument::fromJson(R"({"backend": "redis", "category": "order",
            "endpoint": "e", "key": "s:{id}", "checkpoint": {"field": "f"}})")
                                             .object(),
                                         &error));
        QCOMPARE(error.field, QStringLiteral("readModels.m.checkpoint.key"));
        QCOMPARE(readmodeltest::mapping(kRedisHashMapping).checkpoint().field, QStringLiteral("summary"));

        QCOMPARE(checkpointFromValue(QJsonValue(qint64(1234))).position, (Position{1234, 1234}));
        QCOMPARE(checkpointFromValue(QStringLiteral(" 1234/1200 ")).position, (Position{1234, 1200}));
        QVERIFY(checkpointFromValue(QJsonValue(QJsonValue::Null)).none);
        QVERIFY(checkpointFromValue(QJsonValue(QJsonValue::Undefined)).none);
        QVERIFY(!checkpointFromValue(QStringLiteral("12:34")).error.isEmpty());
        QVERIFY(!checkpointFromValue(QJsonValue(-3)).error.isEmpty());
        QVERIFY(!checkpointFromValue(QJsonValue(1.5)).error.isEmpty());
    }

    void postgresCheckpoint()
    {
        if (const QString why = PostgresServer::missingReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        PostgresServer pg;
        QVERIFY2(pg.start(), qPrintable(pg.error()));
        QString out;
        QVERIFY2(pg.psql(QStringLiteral("CREATE TABLE checkpoints (name text PRIMARY KEY, position text);"), &out),
                 qPrintable(out));
        PostgresSource source(readmodeltest::endpoint(Backend::PostgreSql, pg.host(), pg.port(), pg.database(),
                                                      pg.user()),
                              pg.password(), readmodeltest::mapping(kPgMapping));
        // No row: nothing processed, every event is behind.
        checkBehind(source, quint64(m_events.size()), true);
        // A NULL position is the same.
        QVERIFY(pg.psql(QStringLiteral("INSERT INTO checkpoints VALUES ('orders', NULL);")));
        checkBehind(source, quint64(m_events.size()), true);
        for (const qsizetype behind : {qsizetype(0), qsizetype(1), qsizetype(17), m_events.size() - 1}) {
            const Position p = m_events.at(m_events.size() - 1 - behind).position;
            QVERIFY(pg.psql(QStringLiteral("UPDATE checkpoints SET position = '%1/%2';").arg(p.commit).arg(p.prepare)));
            checkBehind(source, quint64(behind), false);
        }
        // A bare commit position (commit = prepare in the sandbox's log).
        const Position p = m_events.at(m_events.size() - 251).position;
        QVERIFY(pg.psql(QStringLiteral("UPDATE checkpoints SET position = '%1';").arg(p.commit)));
        checkBehind(source, 250, false);
        // Not a position: said, with the value.
        QVERIFY(pg.psql(QStringLiteral("UPDATE checkpoints SET position = 'yesterday';")));
        LagSample bad = probeLag(*m_client, source, QDateTime::currentMSecsSinceEpoch());
        QVERIFY(!bad.ok());
        QVERIFY2(bad.toString().contains(QStringLiteral("\"yesterday\" is not a position")),
                 qPrintable(bad.toString()));
        // The query fails: the server's words.
        QVERIFY(pg.psql(QStringLiteral("DROP TABLE checkpoints;")));
        bad = probeLag(*m_client, source, QDateTime::currentMSecsSinceEpoch());
        QCOMPARE(bad.checkpointError.kind, ReadModelError::Kind::QueryFailed);
        QVERIFY2(bad.toString().contains(QStringLiteral("checkpoints")), qPrintable(bad.toString()));
    }

    void redisCheckpoint()
    {
        if (const QString why = RedisServer::missingReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        RedisServer redis;
        QVERIFY2(redis.start(), qPrintable(redis.error()));
        const ReadModelEndpoint e = readmodeltest::endpoint(Backend::Redis, redis.host(), redis.port());
        RedisSource plain(e, redis.password(), readmodeltest::mapping(kRedisMapping));
        RedisSource hash(e, redis.password(), readmodeltest::mapping(kRedisHashMapping));
        checkBehind(plain, quint64(m_events.size()), true); // no key
        checkBehind(hash, quint64(m_events.size()), true);
        const Position p = m_events.at(m_events.size() - 43).position;
        QVERIFY(redis.cli(QStringLiteral("SET checkpoint:summary %1/%2\nHSET checkpoints summary %1\n")
                              .arg(p.commit)
                              .arg(p.prepare)));
        checkBehind(plain, 42, false);
        checkBehind(hash, 42, false);
        // The wrong type under the key: Redis's own error.
        QVERIFY(redis.cli(QStringLiteral("DEL checkpoint:summary\nLPUSH checkpoint:summary 1\n")));
        const LagSample bad = probeLag(*m_client, plain, QDateTime::currentMSecsSinceEpoch());
        QCOMPARE(bad.checkpointError.serverCode, QStringLiteral("WRONGTYPE"));
    }

    void samplerSamplesOnItsOwnThread()
    {
        if (const QString why = RedisServer::missingReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        RedisServer redis;
        QVERIFY2(redis.start(), qPrintable(redis.error()));
        const Position p = m_events.at(m_events.size() - 8).position;
        QVERIFY(redis.cli(QStringLiteral("SET checkpoint:summary %1\n").arg(p.commit)));
        const ReadModelEndpoint e = readmodeltest::endpoint(Backend::Redis, redis.host(), redis.port());
        const QString password = redis.password();
        LagSampler sampler;
        QSignalSpy sampled(&sampler, &LagSampler::sampled);
        QThread *const testThread = QThread::currentThread();
        bool factoryOffThread = false;
        sampler.start(
            std::make_shared<StreamsClient>(m_sandbox.settings()),
            {readmodeltest::mapping(kRedisMapping), readmodeltest::mapping(kPgMapping)},
            [&](const ReadModelMapping &m) -> std::unique_ptr<ReadModelSource> {
                factoryOffThread = QThread::currentThread() != testThread;
                if (m.backend() != ReadModelMapping::Backend::Redis)
                    return nullptr; // said in its samples
                return std::make_unique<RedisSource>(e, password, m);
            },
            200);
        QTRY_VERIFY_WITH_TIMEOUT(sampled.size() >= 6, 10000); // two mappings, three rounds
        sampler.stop();
        const qsizetype after = sampled.size();
        QTest::qWait(500);
        QCOMPARE(sampled.size(), after); // stopped means stopped
        QVERIFY(factoryOffThread);
        int redisSamples = 0, sourceless = 0;
        for (const QList<QVariant> &args : sampled) {
            const LagSample s = args.value(1).value<LagSample>();
            if (s.ok()) {
                QCOMPARE(s.eventsBehind, quint64(7));
                ++redisSamples;
            } else {
                QVERIFY2(s.toString().contains(QStringLiteral("no source")), qPrintable(s.toString()));
                ++sourceless;
            }
        }
        QVERIFY(redisSamples >= 3 && sourceless >= 3);
    }

private:
    /// Probes and checks the count exactly, and the age against the oldest unprocessed event's own timestamp.
    void checkBehind(ReadModelSource &source, quint64 behind, bool none)
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const LagSample s = probeLag(*m_client, source, now);
        QVERIFY2(s.ok(), qPrintable(s.toString()));
        QCOMPARE(s.nothingProcessed, none);
        QCOMPARE(s.eventsBehind, behind);
        QCOMPARE(s.head, m_events.constLast().position);
        if (behind == 0) {
            QCOMPARE(s.secondsBehind, 0.0);
            return;
        }
        const RecordedEvent &oldest = m_events.at(m_events.size() - qsizetype(behind));
        QCOMPARE(s.oldestUnprocessedMs, oldest.createdMsecsSinceEpoch());
        QVERIFY(qAbs(s.secondsBehind - (now - oldest.createdMsecsSinceEpoch()) / 1000.0) < 0.01);
    }

    DemoSandbox m_sandbox;
    std::unique_ptr<StreamsClient> m_client;
    QList<RecordedEvent> m_events;
};

QTEST_MAIN(TestReadModelLag)
#include "tst_readmodellag.moc"
