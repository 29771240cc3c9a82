#include "demo/DemoHistory.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace chronoscope;

class TestDemoHistory : public QObject
{
    Q_OBJECT

    static QByteArray digest(quint64 n, quint64 seed)
    {
        DemoHistory::Options o;
        o.eventCount = n;
        o.seed = seed;
        QCryptographicHash h(QCryptographicHash::Sha256);
        DemoHistory(o).generate([&](const DemoEvent &e) {
            h.addData(e.stream);
            h.addData(e.type);
            h.addData(e.data);
            h.addData(e.metadata);
            h.addData(e.id.toRfc4122());
            h.addData(QByteArray::number(e.createdMs));
            return true;
        });
        return h.result().toHex();
    }

private Q_SLOTS:
    void deterministic()
    {
        QCOMPARE(digest(5000, 1), digest(5000, 1));
        QVERIFY(digest(5000, 1) != digest(5000, 2));
    }

    void shape()
    {
        DemoHistory::Options o;
        o.eventCount = 100000;
        DemoHistory history(o);
        quint64 n = 0;
        qint64 lastTime = 0;
        bool ordered = true;
        qint64 bytes = 0;
        QSet<QByteArray> types;
        QSet<QByteArray> ids;
        int v1 = 0, v2 = 0, badJson = 0;
        QHash<QByteArray, int> processedPerPayment;
        int incidentDuplicates = 0;
        const quint64 emitted = history.generate([&](const DemoEvent &e) {
            ++n;
            ordered = ordered && e.createdMs >= lastTime;
            lastTime = e.createdMs;
            bytes += e.data.size();
            types.insert(e.type);
            ids.insert(e.id.toRfc4122());
            const QJsonObject data = QJsonDocument::fromJson(e.data).object();
            const QJsonObject meta = QJsonDocument::fromJson(e.metadata).object();
            if (data.isEmpty() || !meta.contains(QStringLiteral("$correlationId")))
                ++badJson;
            if (e.type == "OrderPlaced")
                (meta.value(QStringLiteral("schemaVersion")).toInt() == 2 ? v2 : v1)++;
            if (e.type == "PaymentProcessed" && ++processedPerPayment[e.stream] == 2)
                ++incidentDuplicates;
            return true;
        });
        QCOMPARE(emitted, quint64(100000));
        QCOMPARE(n, quint64(100000));
        QVERIFY(ordered);
        QCOMPARE(badJson, 0);
        QCOMPARE(ids.size(), 100000);
        for (const char *t : {"CustomerRegistered", "ProfileUpdated", "OrderPlaced", "ItemAdded", "ItemRemoved",
                              "OrderConfirmed", "PaymentRequested", "PaymentProcessed", "PaymentRefunded",
                              "OrderShipped", "OrderCancelled"})
            QVERIFY2(types.contains(t), t);
        QVERIFY(v1 > 1000);
        QVERIFY(v2 > 1000);
        // "a few dozen" double charges on the incident day
        QVERIFY2(incidentDuplicates >= 12 && incidentDuplicates <= 120, qPrintable(QString::number(incidentDuplicates)));
        const double avg = double(bytes) / double(n);
        QVERIFY2(avg > 200 && avg < 400, qPrintable(QString::number(avg)));
        const qint64 spanDays = (lastTime - o.startMs) / (24LL * 3600 * 1000);
        QVERIFY2(spanDays >= 80 && spanDays <= 95, qPrintable(QString::number(spanDays)));
    }
};

QTEST_GUILESS_MAIN(TestDemoHistory)
#include "tst_demohistory.moc"
