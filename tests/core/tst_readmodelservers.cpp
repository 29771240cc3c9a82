// The real-server fixtures themselves: a PostgreSQL and a redis-server come up on loopback with a password,
// refuse a wrong one, and go away when stopped.
#include "support/PostgresServer.h"
#include "support/RedisServer.h"

#include <QTest>

class TestReadModelServers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void postgresStartsWithPassword()
    {
        if (const QString why = PostgresServer::missingReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        PostgresServer pg;
        QVERIFY2(pg.start(), qPrintable(pg.error()));
        QString out;
        QVERIFY2(pg.psql(QStringLiteral("SELECT 40 + 2;"), &out), qPrintable(out));
        QCOMPARE(out.trimmed(), QStringLiteral("42"));
        const quint16 port = pg.port();
        pg.stop();
        QVERIFY(!pg.isRunning());
        QVERIFY(!pg.psql(QStringLiteral("SELECT 1;"), &out));
        QVERIFY2(out.contains(QString::number(port)) || out.contains(QStringLiteral("refused")), qPrintable(out));
    }

    void redisStartsWithPassword()
    {
        if (const QString why = RedisServer::missingReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        RedisServer redis;
        QVERIFY2(redis.start(), qPrintable(redis.error()));
        QString out;
        QVERIFY2(redis.cli(QStringLiteral("SET k v\nGET k\n"), &out), qPrintable(out));
        QCOMPARE(out.split(QLatin1Char('\n'), Qt::SkipEmptyParts),
                 (QStringList{QStringLiteral("OK"), QStringLiteral("v")}));
        redis.kill();
        QVERIFY(!redis.isRunning());
    }
};

QTEST_GUILESS_MAIN(TestReadModelServers)
#include "tst_readmodelservers.moc"
