#include "connection/ConnectionSettings.h"

#include <QTest>

using namespace chronoscope;

class TestConnectionString : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaults()
    {
        const auto r = ConnectionString::parse(QStringLiteral("kurrentdb://localhost"));
        QVERIFY2(r.ok(), qPrintable(r.error));
        const ConnectionSettings &s = r.settings;
        QCOMPARE(s.hosts.size(), 1);
        QCOMPARE(s.hosts.first().host, QStringLiteral("localhost"));
        QCOMPARE(s.hosts.first().port, quint16(2113));
        QVERIFY(s.tls);
        QVERIFY(s.tlsVerifyCert);
        QCOMPARE(s.nodePreference, NodePreference::Leader);
        QCOMPARE(s.defaultDeadlineMs, 10000);
        QCOMPARE(s.keepAliveIntervalMs, 10000);
        QCOMPARE(s.keepAliveTimeoutMs, 10000);
        QCOMPARE(s.maxDiscoverAttempts, 10);
        QCOMPARE(s.discoveryIntervalMs, 100);
        QCOMPARE(s.gossipTimeoutMs, 5000);
        QVERIFY(s.throwOnAppendFailure);
        QVERIFY(!s.discover);
        QVERIFY(!s.usesGossip());
        QVERIFY(s.warnings.isEmpty());
    }

    void schemes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("discover");
        for (const char *scheme : {"esdb", "kurrentdb", "kurrent", "kdb"}) {
            QTest::addRow("%s", scheme) << QStringLiteral("%1://h:1").arg(QLatin1String(scheme)) << false;
            QTest::addRow("%s+discover", scheme) << QStringLiteral("%1+discover://h:1").arg(QLatin1String(scheme)) << true;
        }
        QTest::addRow("upper case") << QStringLiteral("KurrentDB+Discover://h:1") << true;
    }
    void schemes()
    {
        QFETCH(QString, text);
        QFETCH(bool, discover);
        const auto r = ConnectionString::parse(text);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.settings.discover, discover);
        QCOMPARE(r.settings.hosts.first().port, quint16(1));
    }

    void everyKey()
    {
        const auto r = ConnectionString::parse(QStringLiteral(
            "kurrentdb://ad%40min:pa%3Ass@a:1,b:2,[::1]:3/?TLS=false&tls_verify_cert=false&tlsCAFile=/tmp/ca.pem"
            "&userCertFile=/c.pem&userKeyFile=/k.pem&nodePreference=follower&defaultDeadline=2500"
            "&keep-alive-interval=-1&keepAliveTimeout=20000&connectionName=ops&maxDiscoverAttempts=3"
            "&discoveryInterval=500&gossipTimeout=3000&throwOnAppendFailure=false"));
        QVERIFY2(r.ok(), qPrintable(r.error));
        const ConnectionSettings &s = r.settings;
        QCOMPARE(s.username, QStringLiteral("ad@min"));
        QCOMPARE(s.password, QStringLiteral("pa:ss"));
        QCOMPARE(s.hosts.size(), 3);
        QCOMPARE(s.hosts.at(2).host, QStringLiteral("::1"));
        QCOMPARE(s.hosts.at(2).port, quint16(3));
        QVERIFY(s.usesGossip());
        QVERIFY(!s.tls);
        QVERIFY(!s.tlsVerifyCert);
        QCOMPARE(s.tlsCaFile, QStringLiteral("/tmp/ca.pem"));
        QCOMPARE(s.userCertFile, QStringLiteral("/c.pem"));
        QCOMPARE(s.userKeyFile, QStringLiteral("/k.pem"));
        QCOMPARE(s.nodePreference, NodePreference::Follower);
        QCOMPARE(s.defaultDeadlineMs, 2500);
        QCOMPARE(s.keepAliveIntervalMs, -1);
        QCOMPARE(s.keepAliveTimeoutMs, 20000);
        QCOMPARE(s.connectionName, QStringLiteral("ops"));
        QCOMPARE(s.maxDiscoverAttempts, 3);
        QCOMPARE(s.discoveryIntervalMs, 500);
        QCOMPARE(s.gossipTimeoutMs, 3000);
        QVERIFY(!s.throwOnAppendFailure);
    }

    void nodeGossipTimeoutInSeconds()
    {
        const auto r = ConnectionString::parse(QStringLiteral("esdb://h?gossipTimeout=5"));
        QVERIFY(r.ok());
        QCOMPARE(r.settings.gossipTimeoutMs, 5000);
        QVERIFY(!r.settings.warnings.isEmpty());
    }

    void gossipTimeoutUnitBoundary_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("ms");
        QTest::addColumn<bool>("warned");
        QTest::addRow("1 s (Node)") << "1" << 1000 << true;
        QTest::addRow("99 s (Node)") << "99" << 99000 << true;
        QTest::addRow("100 ms (Rust, .NET)") << "100" << 100 << false;
        QTest::addRow("3000 ms (Rust default)") << "3000" << 3000 << false;
    }

    void gossipTimeoutUnitBoundary()
    {
        QFETCH(QString, value);
        QFETCH(int, ms);
        QFETCH(bool, warned);
        const auto r = ConnectionString::parse(QStringLiteral("esdb://h?gossipTimeout=") + value);
        QVERIFY(r.ok());
        QCOMPARE(r.settings.gossipTimeoutMs, ms);
        QCOMPARE(!r.settings.warnings.filter(QStringLiteral("gossipTimeout")).isEmpty(), warned);
        QVERIFY(!ConnectionString::parse(QStringLiteral("esdb://h?gossipTimeout=0")).ok());
    }

    void unknownKeyWarns()
    {
        const auto r = ConnectionString::parse(QStringLiteral("kdb://h?frobnicate=1"));
        QVERIFY(r.ok());
        QCOMPARE(r.settings.warnings.size(), 1);
        QVERIFY(r.settings.warnings.first().contains(QStringLiteral("frobnicate")));
    }

    void errors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("mentions");
        QTest::addRow("no scheme") << QStringLiteral("localhost:2113") << QStringLiteral("scheme");
        QTest::addRow("bad scheme") << QStringLiteral("http://h") << QStringLiteral("'http'");
        QTest::addRow("no host") << QStringLiteral("kurrentdb://") << QStringLiteral("host");
        QTest::addRow("bad port") << QStringLiteral("kurrentdb://h:99999") << QStringLiteral("'99999'");
        QTest::addRow("port text") << QStringLiteral("kurrentdb://h:abc") << QStringLiteral("'abc'");
        QTest::addRow("empty host") << QStringLiteral("kurrentdb://a:1,:2") << QStringLiteral("empty host");
        QTest::addRow("bad bool") << QStringLiteral("kurrentdb://h?tls=maybe") << QStringLiteral("'tls'");
        QTest::addRow("bad int") << QStringLiteral("kurrentdb://h?defaultDeadline=soon") << QStringLiteral("'defaultDeadline'");
        QTest::addRow("bad preference") << QStringLiteral("kurrentdb://h?nodePreference=fastest") << QStringLiteral("'fastest'");
        QTest::addRow("no value") << QStringLiteral("kurrentdb://h?tls") << QStringLiteral("'tls'");
        QTest::addRow("path") << QStringLiteral("kurrentdb://h/db") << QStringLiteral("/db");
        QTest::addRow("user without password") << QStringLiteral("kurrentdb://admin@h") << QStringLiteral("user:password");
        QTest::addRow("cert without key") << QStringLiteral("kurrentdb://h?userCertFile=/c") << QStringLiteral("userKeyFile");
    }
    void errors()
    {
        QFETCH(QString, text);
        QFETCH(QString, mentions);
        const auto r = ConnectionString::parse(text);
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(mentions), qPrintable(r.error));
    }

    void redactedStringHidesPassword()
    {
        const auto r = ConnectionString::parse(QStringLiteral("kurrentdb://admin:changeit@h:1?tls=false"));
        QVERIFY(r.ok());
        const QString text = r.settings.toRedactedString();
        QVERIFY(!text.contains(QStringLiteral("changeit")));
        QVERIFY(text.contains(QStringLiteral("admin:***@h:1")));
    }
};

QTEST_GUILESS_MAIN(TestConnectionString)
#include "tst_connectionstring.moc"
