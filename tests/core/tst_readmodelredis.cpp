// The Redis read-model source against a real redis-server started here (tests/support/RedisServer.h):
// hashes and JSON strings, the mapping's coercions of hash strings, missing keys, a key of the wrong type,
// a wrong password, an unreachable server, a SCAN-streamed scan with cancel, and a server killed mid-scan.
#include "ReadModelTestSupport.h"
#include "readmodel/redis/RedisSource.h"
#include "support/RedisServer.h"

#include <QJsonArray>
#include <QTest>

using namespace chronoscope;
using namespace chronoscope::readmodel;

namespace {

const QByteArray kHash = R"({"backend": "redis", "category": "order", "endpoint": "test", "key": "order-summary:{id}",
    "fields": {"status": "status", "total": {"column": "total", "type": "cents"}, "items": {"column": "items", "type": "integer"},
               "paid": {"column": "paid", "type": "boolean"}, "at": {"column": "at", "type": "timestamp"},
               "lines": {"column": "lines", "type": "json"}, "note": {"column": "note", "null": "missing"}}})";
const QByteArray kJson = R"({"backend": "redis", "category": "order", "endpoint": "test", "key": "order-json:{id}",
    "value": "json"})";

QString seedCommands(int orders)
{
    QString s;
    for (int i = 1; i <= orders; ++i)
        s += QStringLiteral("HSET order-summary:%1 status placed total %1.10\n").arg(i);
    return s;
}

} // namespace

class TestReadModelRedis : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = RedisServer::missingReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        QVERIFY2(m_redis.start(), qPrintable(m_redis.error()));
        QString out;
        QVERIFY2(
            m_redis.cli(seedCommands(1000)
                            + QStringLiteral(
                                "HSET order-summary:1 status confirmed total 19.90 items 3 paid t"
                                " at \"2026-03-01 12:30:00+02\" lines \"[1,2]\"\n"
                                "SET order-json:1 \"{\\\"status\\\":\\\"shipped\\\",\\\"total\\\":\\\"19.90\\\"}\"\n"
                                "SET order-json:2 \"{not json\"\n"
                                "SET order-summary:wrong \"a string, not a hash\"\n"
                                "SET unrelated:1 x\n"),
                        &out),
            qPrintable(out));
        m_password = readmodeltest::passwordThroughKeychain(m_keychain, endpoint(), m_redis.password());
        QCOMPARE(m_password, m_redis.password());
    }

    void fetchesAHashAndCoercesIt()
    {
        RedisSource source(endpoint(), m_password, readmodeltest::mapping(kHash));
        QVERIFY(!source.describe().contains(m_password));
        const RowLookup r = source.fetchRow(QStringLiteral("1"));
        QVERIFY2(!r.error, qPrintable(r.error.toString()));
        QVERIFY(r.found);
        QCOMPARE(r.raw.toObject().value(QStringLiteral("total")), QJsonValue(QStringLiteral("19.90"))); // as stored
        const ReadModelMapping m = readmodeltest::mapping(kHash);
        QStringList problems;
        const QJsonObject shaped = m.rowShape(r.raw, &problems);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
        QCOMPARE(shaped,
                 (QJsonObject{{QStringLiteral("status"), QStringLiteral("confirmed")},
                              {QStringLiteral("total"), 1990},
                              {QStringLiteral("items"), 3},
                              {QStringLiteral("paid"), true},
                              {QStringLiteral("at"), QStringLiteral("2026-03-01T10:30:00Z")},
                              {QStringLiteral("lines"), QJsonArray{1, 2}}}));
        // The fold's side, coerced the same way, compares equal.
        const QJsonObject fold{{QStringLiteral("status"), QStringLiteral("confirmed")},
                               {QStringLiteral("total"), 19.9},
                               {QStringLiteral("items"), 3},
                               {QStringLiteral("paid"), true},
                               {QStringLiteral("at"), QStringLiteral("2026-03-01T10:30:00.000Z")},
                               {QStringLiteral("lines"), QJsonArray{1, 2}},
                               {QStringLiteral("note"), QJsonValue::Null}};
        QCOMPARE(m.foldShape(fold, &problems), shaped);
    }

    void fetchesAJsonString()
    {
        RedisSource source(endpoint(), m_password, readmodeltest::mapping(kJson));
        const RowLookup r = source.fetchRow(QStringLiteral("1"));
        QVERIFY2(!r.error, qPrintable(r.error.toString()));
        QCOMPARE(r.raw.toObject(),
                 (QJsonObject{{QStringLiteral("status"), QStringLiteral("shipped")},
                              {QStringLiteral("total"), QStringLiteral("19.90")}}));
        const RowLookup bad = source.fetchRow(QStringLiteral("2"));
        QCOMPARE(bad.error.kind, ReadModelError::Kind::BadRow);
        QVERIFY2(bad.error.message.startsWith(QStringLiteral("key order-json:2: not JSON")),
                 qPrintable(bad.error.message));
    }

    void aMissingKeyIsNoError()
    {
        for (const QByteArray &m : {kHash, kJson}) {
            RedisSource source(endpoint(), m_password, readmodeltest::mapping(m));
            const RowLookup r = source.fetchRow(QStringLiteral("no-such-order"));
            QVERIFY2(!r.error, qPrintable(r.error.toString()));
            QVERIFY(!r.found);
        }
    }

    void aKeyOfTheWrongTypeShowsRedisError()
    {
        RedisSource source(endpoint(), m_password, readmodeltest::mapping(kHash));
        const RowLookup r = source.fetchRow(QStringLiteral("wrong"));
        QCOMPARE(r.error.kind, ReadModelError::Kind::QueryFailed);
        QCOMPARE(r.error.serverCode, QStringLiteral("WRONGTYPE"));
        // The scan meets the same key and hands it over with its problem, neither skipping it silently nor
        // giving up the other thousand rows.
        QHash<QString, QString> problems;
        int rows = 0;
        const ReadModelError e = source.scan(100, nullptr, [&](const QList<ReadModelRow> &batch) {
            for (const ReadModelRow &r : batch) {
                ++rows;
                if (!r.problem.isEmpty())
                    problems.insert(r.aggregateId, r.problem);
            }
            return true;
        });
        QVERIFY2(!e, qPrintable(e.toString()));
        QCOMPARE(rows, 1001);
        QCOMPARE(problems.keys(), QStringList{QStringLiteral("wrong")});
        QVERIFY2(
            problems.value(QStringLiteral("wrong")).startsWith(QStringLiteral("key order-summary:wrong: WRONGTYPE")),
            qPrintable(problems.value(QStringLiteral("wrong"))));
    }

    void aWrongPasswordIsAuthenticationFailed()
    {
        const QString wrong = QStringLiteral("not-") + m_password;
        RedisSource source(endpoint(), wrong, readmodeltest::mapping(kHash));
        const ReadModelError e = source.connect();
        QCOMPARE(e.kind, ReadModelError::Kind::AuthenticationFailed);
        QVERIFY(!e.toString().contains(wrong));
        RedisSource none(endpoint(), QString(), readmodeltest::mapping(kHash));
        const RowLookup r = none.fetchRow(QStringLiteral("1"));
        QCOMPARE(r.error.kind, ReadModelError::Kind::AuthenticationFailed); // NOAUTH
        QCOMPARE(r.error.serverCode, QStringLiteral("NOAUTH"));
    }

    void anUnreachableServerSaysSo()
    {
        ReadModelEndpoint nowhere = endpoint();
        nowhere.port = serverprocess::freeLoopbackPort();
        RedisSource source(nowhere, m_password, readmodeltest::mapping(kHash));
        const ReadModelError e = source.connect();
        QCOMPARE(e.kind, ReadModelError::Kind::Unreachable);
        QVERIFY2(e.message.contains(QStringLiteral("refused")), qPrintable(e.message));
    }

    void scansEveryKeyOnceAndCancels()
    {
        QString out;
        QVERIFY2(m_redis.cli(QStringLiteral("DEL order-summary:wrong\n"), &out), qPrintable(out));
        RedisSource source(endpoint(), m_password, readmodeltest::mapping(kHash));
        QSet<QString> ids;
        int rows = 0;
        const ReadModelError e = source.scan(100, nullptr, [&](const QList<ReadModelRow> &batch) {
            for (const ReadModelRow &r : batch) {
                ids.insert(r.aggregateId);
                ++rows;
            }
            return true;
        });
        QVERIFY2(!e, qPrintable(e.toString()));
        QCOMPARE(rows, 1000); // unrelated:1 and order-json:* are not rows of this mapping
        QCOMPARE(ids.size(), 1000);
        QVERIFY(ids.contains(QStringLiteral("1000")));

        auto cancel = std::make_shared<Cancellation>();
        int batches = 0;
        const ReadModelError c = source.scan(100, cancel, [&](const QList<ReadModelRow> &) {
            if (++batches == 2)
                cancel->cancel();
            return true;
        });
        QCOMPARE(c.kind, ReadModelError::Kind::Cancelled);
        QCOMPARE(batches, 2);
        QVERIFY(source.fetchRow(QStringLiteral("7")).found);
    }

    void aServerKilledMidScanIsServerGone()
    {
        RedisServer doomed;
        QVERIFY2(doomed.start(), qPrintable(doomed.error()));
        QString out;
        QVERIFY2(doomed.cli(seedCommands(3000), &out), qPrintable(out));
        ReadModelEndpoint e = readmodeltest::endpoint(ReadModelEndpoint::Backend::Redis, doomed.host(), doomed.port());
        RedisSource source(e, doomed.password(), readmodeltest::mapping(kHash));
        int received = 0;
        int batches = 0;
        const ReadModelError err = source.scan(200, nullptr, [&](const QList<ReadModelRow> &batch) {
            received += int(batch.size());
            if (++batches == 2)
                doomed.kill();
            return true;
        });
        QCOMPARE(err.kind, ReadModelError::Kind::ServerGone);
        QVERIFY2(err.message.startsWith(QStringLiteral("the connection to the server broke")), qPrintable(err.message));
        QVERIFY(received > 0 && received < 3000);
        // The source recovers when the server is back (Redis without persistence comes back empty).
        QVERIFY2(doomed.start(), qPrintable(doomed.error()));
        QVERIFY2(doomed.cli(QStringLiteral("HSET order-summary:9 status placed\n"), &out), qPrintable(out));
        const RowLookup again = source.fetchRow(QStringLiteral("9"));
        QVERIFY2(!again.error, qPrintable(again.error.toString()));
        QVERIFY(again.found);
        // A restart between two calls goes unnoticed: the stale connection is replaced and the read repeated.
        doomed.stop();
        QVERIFY2(doomed.start(), qPrintable(doomed.error()));
        QVERIFY2(doomed.cli(QStringLiteral("HSET order-summary:9 status placed\n"), &out), qPrintable(out));
        const RowLookup afterRestart = source.fetchRow(QStringLiteral("9"));
        QVERIFY2(!afterRestart.error, qPrintable(afterRestart.error.toString()));
        QVERIFY(afterRestart.found);
        doomed.stop();
        QCOMPARE(source.fetchRow(QStringLiteral("9")).error.kind, ReadModelError::Kind::Unreachable);
    }

private:
    ReadModelEndpoint endpoint() const
    {
        return readmodeltest::endpoint(ReadModelEndpoint::Backend::Redis, m_redis.host(), m_redis.port());
    }

    RedisServer m_redis;
    FakeCredentialStore m_keychain;
    QString m_password;
};

QTEST_GUILESS_MAIN(TestReadModelRedis)
#include "tst_readmodelredis.moc"
