#include "model/StreamMetadata.h"
#include "model/Types.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace chronoscope;

class TestStreamMetadata : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip()
    {
        StreamMetadata m;
        m.maxCount = 10;
        m.maxAgeSeconds = 3600;
        m.truncateBefore = 5;
        m.cacheControlSeconds = 60;
        StreamAcl acl;
        acl.readRoles = {QStringLiteral("$admins"), QStringLiteral("auditor")};
        acl.writeRoles = {QStringLiteral("support")};
        acl.deleteRoles = {QStringLiteral("ops")};
        acl.singleStringKeys = {QStringLiteral("$d")};
        m.acl = acl;
        m.custom.insert(QStringLiteral("owner"), QStringLiteral("payments-team"));
        const QByteArray json = m.toJsonBytes();
        const auto back = StreamMetadata::fromJson(json);
        QVERIFY(back.has_value());
        QVERIFY(*back == m);
        const QJsonObject o = QJsonDocument::fromJson(json).object();
        QCOMPARE(o.value(QStringLiteral("$acl")).toObject().value(QStringLiteral("$w")).toArray(),
                 QJsonArray{QStringLiteral("support")});
        // a role given as a bare string stays a bare string
        QCOMPARE(o.value(QStringLiteral("$acl")).toObject().value(QStringLiteral("$d")).toString(), QStringLiteral("ops"));
    }

    void softDeleteIsExact()
    {
        const auto m = StreamMetadata::fromJson("{\"$tb\":9223372036854775807}");
        QVERIFY(m.has_value());
        QVERIFY(m->isSoftDeleted());
        QCOMPARE(quint64(*m->truncateBefore), kTombstoneRevision);
        QVERIFY(m->toJsonBytes().contains("9223372036854775807"));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("mentions");
        QTest::addRow("not json") << QByteArray("{oops") << QStringLiteral("not valid JSON");
        QTest::addRow("array") << QByteArray("[1]") << QStringLiteral("object");
        QTest::addRow("string maxCount") << QByteArray("{\"$maxCount\":\"ten\"}") << QStringLiteral("$maxCount");
        QTest::addRow("acl not object") << QByteArray("{\"$acl\":1}") << QStringLiteral("$acl");
        QTest::addRow("acl entry") << QByteArray("{\"$acl\":{\"$r\":[1]}}") << QStringLiteral("$acl");
    }
    void errors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, mentions);
        QString error;
        QVERIFY(!StreamMetadata::fromJson(json, &error).has_value());
        QVERIFY2(error.contains(mentions), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestStreamMetadata)
#include "tst_streammetadata.moc"
