#include "connection/ConnectionProfiles.h"

#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace chronoscope;

class TestConnectionProfiles : public QObject
{
    Q_OBJECT

    struct Fixture
    {
        QTemporaryDir dir;
        QString path = dir.filePath(QStringLiteral("chronoscope.ini"));
        QSettings settings{path, QSettings::IniFormat};
        ConnectionProfiles profiles{&settings};
    };

    static ConnectionProfile make(const QString &name, const QString &cs = QStringLiteral("kurrentdb://localhost:2113?tls=false"))
    {
        ConnectionProfile p;
        p.name = name;
        p.connectionString = cs;
        return p;
    }

    static QStringList list(std::initializer_list<const char *> items)
    {
        QStringList out;
        for (const char *i : items)
            out << QString::fromUtf8(i);
        return out;
    }

private Q_SLOTS:
    void stripCredentials_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("user");
        QTest::addRow("none") << "kurrentdb://h:2113?tls=false" << "kurrentdb://h:2113?tls=false" << "";
        QTest::addRow("user:pass") << "esdb://admin:changeit@h:2113" << "esdb://h:2113" << "admin";
        QTest::addRow("several hosts") << "kurrentdb+discover://ops:s3cr%40t@a:1,b:2,c:3?nodePreference=follower"
                                       << "kurrentdb+discover://a:1,b:2,c:3?nodePreference=follower" << "ops";
        QTest::addRow("@ in password") << "kdb://u:p@ss@h" << "kdb://h" << "u";
        QTest::addRow("percent user") << "kdb://j%20doe:x@h/" << "kdb://h/" << "j doe";
        QTest::addRow("@ in query only") << "kdb://h?connectionName=a@b" << "kdb://h?connectionName=a@b" << "";
    }
    void stripCredentials()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QFETCH(QString, user);
        QString found;
        QCOMPARE(ConnectionProfiles::stripCredentials(input, &found), expected);
        QCOMPARE(found, user);
    }

    void saveAndLoadRoundTrip()
    {
        Fixture f;
        ConnectionProfile p = make(QStringLiteral("Staging"), QStringLiteral("kurrentdb://stage:2113"));
        p.username = QStringLiteral("auditor");
        p.colour = QStringLiteral("#10b981");
        p.production = true;
        p.readOnly = false;
        QCOMPARE(f.profiles.save(p), QString());
        f.settings.sync();
        // A fresh QSettings on the same file sees exactly what was saved.
        QSettings reread(f.path, QSettings::IniFormat);
        const auto loaded = ConnectionProfiles(&reread).profile(QStringLiteral("Staging"));
        QVERIFY(loaded);
        QCOMPARE(*loaded, p);
    }

    void readModelEndpointsRoundTrip()
    {
        Fixture f;
        ConnectionProfile p = make(QStringLiteral("Shop"));
        ReadModelEndpoint pg;
        pg.name = QStringLiteral("orders-db");
        pg.host = QStringLiteral("db.internal");
        pg.database = QStringLiteral("shop");
        pg.username = QStringLiteral("reader");
        ReadModelEndpoint redis;
        redis.name = QStringLiteral("cache");
        redis.backend = ReadModelEndpoint::Backend::Redis;
        redis.port = 6380;
        redis.sslMode = QStringLiteral("disable");
        p.readModels = {pg, redis};
        QCOMPARE(f.profiles.save(p), QString());
        f.settings.sync();
        QSettings reread(f.path, QSettings::IniFormat);
        const auto loaded = ConnectionProfiles(&reread).profile(QStringLiteral("Shop"));
        QVERIFY(loaded);
        QCOMPARE(*loaded, p);
        QCOMPARE(loaded->readModels.at(0).describe(), QStringLiteral("postgresql reader@db.internal:5432/shop"));
        QCOMPARE(loaded->readModels.at(0).sslMode, QStringLiteral("verify-full")); // TLS on unless said otherwise
        QCOMPARE(loaded->readModels.at(1).credentialKey(QStringLiteral("Shop")),
                 QStringLiteral("Shop/readmodel/cache"));
        // Bad endpoints are refused with the field named.
        QString error;
        ReadModelEndpoint::fromJson(QJsonObject{{QStringLiteral("name"), QStringLiteral("c")},
                                                {QStringLiteral("backend"), QStringLiteral("redis")},
                                                {QStringLiteral("sslMode"), QStringLiteral("require")}},
                                    &error);
        QVERIFY2(error.startsWith(QStringLiteral("c.sslMode: hiredis 0.14 has no TLS")), qPrintable(error));
        ReadModelEndpoint::fromJson(QJsonObject{{QStringLiteral("name"), QStringLiteral("d")},
                                                {QStringLiteral("backend"), QStringLiteral("postgresql")},
                                                {QStringLiteral("port"), 70000}},
                                    &error);
        QCOMPARE(error, QStringLiteral("d.port: must be 1-65535"));
        ReadModelEndpoint::fromJson(QJsonObject{{QStringLiteral("name"), QStringLiteral("e")},
                                                {QStringLiteral("backend"), QStringLiteral("mysql")}},
                                    &error);
        QCOMPARE(error, QStringLiteral("e.backend: must be \"postgresql\" or \"redis\""));
    }

    void defaultsAreReadOnlyNotProduction()
    {
        Fixture f;
        QCOMPARE(f.profiles.save(make(QStringLiteral("Local"))), QString());
        const auto p = f.profiles.profile(QStringLiteral("Local"));
        QVERIFY(p);
        QVERIFY(p->readOnly);
        QVERIFY(!p->production);
        QVERIFY(!p->lastUsed.isValid());
    }

    void noPasswordInSettingsFile()
    {
        Fixture f;
        const QString secret = QStringLiteral("Tr0ub4dor-secret");
        ConnectionProfile p = make(QStringLiteral("Prod"),
                                   QStringLiteral("kurrentdb://admin:") + secret + QStringLiteral("@db1:2113,db2:2113?tls=true"));
        QCOMPARE(f.profiles.save(p), QString());
        QCOMPARE(f.profiles.markUsed(QStringLiteral("Prod")), QString());
        f.settings.sync();
        QFile file(f.path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray raw = file.readAll();
        QVERIFY2(raw.contains("db1"), raw.constData()); // the profile was written at all
        QVERIFY2(!raw.contains(secret.toUtf8()), raw.constData());
        QVERIFY(!raw.contains("admin:"));
        const auto loaded = f.profiles.profile(QStringLiteral("Prod"));
        QVERIFY(loaded);
        QCOMPARE(loaded->username, QStringLiteral("admin"));
        QCOMPARE(loaded->connectionString, QStringLiteral("kurrentdb://db1:2113,db2:2113?tls=true"));
    }

    void errors_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("connectionString");
        QTest::addColumn<QString>("errorPart");
        QTest::addRow("empty name") << "" << "kdb://h" << "needs a name";
        QTest::addRow("blank name") << "   " << "kdb://h" << "needs a name";
        QTest::addRow("bad string") << "X" << "http://h" << "unknown scheme 'http'";
        QTest::addRow("bad port") << "X" << "kdb://h:99999" << "invalid port '99999'";
    }
    void errors()
    {
        QFETCH(QString, name);
        QFETCH(QString, connectionString);
        QFETCH(QString, errorPart);
        Fixture f;
        const QString err = f.profiles.save(make(name, connectionString));
        QVERIFY2(err.contains(errorPart), qPrintable(err));
        QVERIFY(f.profiles.profiles().isEmpty());
    }

    void duplicateNames()
    {
        Fixture f;
        QCOMPARE(f.profiles.add(make(QStringLiteral("A"))), QString());
        QCOMPARE(f.profiles.add(make(QStringLiteral("B"))), QString());
        QVERIFY(f.profiles.add(make(QStringLiteral("A"))).contains(QStringLiteral("already exists")));
        QVERIFY(f.profiles.rename(QStringLiteral("A"), QStringLiteral("B")).contains(QStringLiteral("already exists")));
        QVERIFY(f.profiles.rename(QStringLiteral("A"), QStringLiteral(" ")).contains(QStringLiteral("needs a name")));
        QVERIFY(f.profiles.rename(QStringLiteral("Z"), QStringLiteral("Y")).contains(QStringLiteral("no profile named 'Z'")));
        QVERIFY(f.profiles.remove(QStringLiteral("Z")).contains(QStringLiteral("no profile named 'Z'")));
        QCOMPARE(f.profiles.profiles().size(), 2);
    }

    void renameAndDeleteKeepRecentInStep()
    {
        Fixture f;
        for (const char *n : {"one", "two/with slash", "three"})
            QCOMPARE(f.profiles.save(make(QString::fromUtf8(n))), QString());
        f.profiles.markUsed(QStringLiteral("one"));
        f.profiles.markUsed(QStringLiteral("two/with slash"));
        f.profiles.markUsed(QStringLiteral("three"));
        QCOMPARE(f.profiles.recent(), list({"three", "two/with slash", "one"}));
        QCOMPARE(f.profiles.rename(QStringLiteral("two/with slash"), QStringLiteral("deux")), QString());
        QVERIFY(!f.profiles.contains(QStringLiteral("two/with slash")));
        QVERIFY(f.profiles.contains(QStringLiteral("deux")));
        QCOMPARE(f.profiles.recent(), list({"three", "deux", "one"}));
        QCOMPARE(f.profiles.remove(QStringLiteral("three")), QString());
        QCOMPARE(f.profiles.recent(), list({"deux", "one"}));
        QStringList names;
        for (const ConnectionProfile &p : f.profiles.profiles())
            names << p.name;
        QCOMPARE(names, list({"deux", "one"}));
    }

    void recentIsMostRecentFirstAndBounded()
    {
        Fixture f;
        const int n = ConnectionProfiles::kMaxRecent + 3;
        const QDateTime t0(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC);
        for (int i = 0; i < n; ++i) {
            const QString name = QStringLiteral("p%1").arg(i);
            QCOMPARE(f.profiles.save(make(name)), QString());
            QCOMPARE(f.profiles.markUsed(name, t0.addSecs(i)), QString());
        }
        f.profiles.markUsed(QStringLiteral("p5"), t0.addSecs(100)); // used again: moves to the front
        QStringList expected{QStringLiteral("p5")};
        for (int i = n - 1; expected.size() < ConnectionProfiles::kMaxRecent; --i) {
            if (i != 5)
                expected << QStringLiteral("p%1").arg(i);
        }
        QCOMPARE(f.profiles.recent(), expected);
        QCOMPARE(f.profiles.profile(QStringLiteral("p5"))->lastUsed, t0.addSecs(100));
        QVERIFY(f.profiles.markUsed(QStringLiteral("nope")).contains(QStringLiteral("no profile")));
    }
};

QTEST_GUILESS_MAIN(TestConnectionProfiles)
#include "tst_connectionprofiles.moc"
