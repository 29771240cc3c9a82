// NotificationLog: each notice listed once, repeats counted, unseen counted until marked seen.
#include "base/NotificationLog.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace chronoscope;

class TestNotificationLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void repeatsAreCountedNotListed()
    {
        NotificationLog log;
        QAbstractItemModelTester tester(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy unseen(&log, &NotificationLog::unseenChanged);
        QCOMPARE(log.add(QStringLiteral("Reading failed"), QStringLiteral("UNAVAILABLE")), std::make_pair(0, true));
        QCOMPARE(log.add(QStringLiteral("Listing failed")), std::make_pair(1, true));
        QCOMPARE(log.add(QStringLiteral("Reading failed"), QStringLiteral("UNAVAILABLE")), std::make_pair(0, false));
        // Same message, other details: another notice.
        QCOMPARE(log.add(QStringLiteral("Reading failed"), QStringLiteral("DEADLINE_EXCEEDED")), std::make_pair(2, true));
        QCOMPARE(log.rowCount(), 3);
        QCOMPARE(log.entry(0).count, 2);
        QVERIFY(log.entry(0).last >= log.entry(0).first);
        QCOMPARE(log.index(0).data().toString(), QStringLiteral("Reading failed (×2)"));
        QCOMPARE(log.index(1).data().toString(), QStringLiteral("Listing failed"));
        QCOMPARE(log.index(0).data(NotificationLog::DetailsRole).toString(), QStringLiteral("UNAVAILABLE"));
        QCOMPARE(log.index(0).data(NotificationLog::CountRole).toInt(), 2);
        QCOMPARE(log.unseen(), 4);
        QCOMPARE(unseen.count(), 4);
        log.markSeen();
        QCOMPARE(log.unseen(), 0);
        QCOMPARE(unseen.last().at(0).toInt(), 0);
        log.clear();
        QCOMPARE(log.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestNotificationLog)
#include "tst_notificationlog.moc"
