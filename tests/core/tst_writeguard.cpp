#include "correct/WriteGuard.h"

#include <QSignalSpy>
#include <QTest>

using namespace chronoscope;

class TestWriteGuard : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void lockedByDefault()
    {
        WriteGuard defaults;
        QCOMPARE(defaults.state(), WriteGuard::State::ReadOnlyProfile); // a profile is read-only until edited
        WriteGuard adHoc(WriteProfile::adHoc());
        QCOMPARE(adHoc.state(), WriteGuard::State::Locked);
        QVERIFY(!adHoc.isUnlocked());
        QVERIFY(adHoc.authorize().contains(QStringLiteral("locked")));
        QCOMPARE(adHoc.summary(), QStringLiteral("writes locked"));
    }

    void unlockNeedsAReason()
    {
        WriteGuard guard(WriteProfile::adHoc());
        QSignalSpy changed(&guard, &WriteGuard::changed);
        QVERIFY(guard.unlock(QString()).contains(QStringLiteral("reason")));
        QVERIFY(guard.unlock(QStringLiteral("   \n ")).contains(QStringLiteral("reason")));
        QVERIFY(guard.unlock(QStringLiteral("fix")).contains(QStringLiteral("too short")));
        QCOMPARE(guard.state(), WriteGuard::State::Locked);
        QCOMPARE(changed.count(), 0);

        QCOMPARE(guard.unlock(QStringLiteral("  SUP-1234   refund\tdouble charge ")), QString());
        QCOMPARE(guard.state(), WriteGuard::State::Unlocked);
        QCOMPARE(guard.reason(), QStringLiteral("SUP-1234 refund double charge"));
        QCOMPARE(guard.authorize(), QString());
        QCOMPARE(guard.summary(), QStringLiteral("writes unlocked: SUP-1234 refund double charge"));
        QCOMPARE(changed.count(), 1);

        guard.lock();
        QCOMPARE(guard.state(), WriteGuard::State::Locked);
        QVERIFY(guard.reason().isEmpty());
        QVERIFY(!guard.authorize().isEmpty());
        QCOMPARE(changed.count(), 2);
    }

    void readOnlyProfileCannotBeUnlocked()
    {
        WriteGuard guard(WriteProfile{QStringLiteral("staging"), false, true});
        const QString refusal = guard.unlock(QStringLiteral("SUP-1 a good reason"));
        QVERIFY2(refusal.contains(QStringLiteral("read-only")), qPrintable(refusal));
        QCOMPARE(guard.state(), WriteGuard::State::ReadOnlyProfile);
        QVERIFY(guard.authorize(QStringLiteral("staging")).contains(QStringLiteral("read-only")));
        QCOMPARE(guard.summary(), QStringLiteral("read-only"));
    }

    void anArchiveSaysItIsAnArchive()
    {
        WriteGuard guard(WriteProfile::adHoc());
        QSignalSpy changed(&guard, &WriteGuard::changed);
        guard.setArchive(QStringLiteral("orders.chronarc"));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(guard.state(), WriteGuard::State::ReadOnlyProfile);
        const QString refusal = guard.unlock(QStringLiteral("SUP-1 a good reason"));
        QVERIFY2(refusal.contains(QStringLiteral("an archive is read-only"))
                     && refusal.contains(QStringLiteral("orders.chronarc")),
                 qPrintable(refusal));
        QVERIFY(guard.authorize().contains(QStringLiteral("an archive is read-only")));
        QVERIFY(guard.readOnlyReason().contains(QStringLiteral("an archive is read-only")));
        QVERIFY(!guard.summary().contains(QStringLiteral("profile")));
        // A connection afterwards is a connection again: locked, and no archive reason left.
        guard.setProfile(WriteProfile::adHoc());
        QCOMPARE(guard.state(), WriteGuard::State::Locked);
        QVERIFY(guard.readOnlyWhy().isEmpty());
        QVERIFY(guard.unlock(QStringLiteral("SUP-1 a good reason")).isEmpty());
    }

    void productionNeedsTheNameTypedForEachAppend()
    {
        WriteGuard guard(WriteProfile{QStringLiteral("prod-eu"), true, false});
        QVERIFY(guard.needsTypedProfileName());
        QCOMPARE(guard.unlock(QStringLiteral("INC-77 refund the double charge")), QString());
        QVERIFY(guard.authorize().contains(QStringLiteral("type its name")));
        QVERIFY(guard.authorize(QStringLiteral("prod")).contains(QStringLiteral("does not match")));
        QVERIFY(guard.authorize(QStringLiteral("PROD-EU")).contains(QStringLiteral("does not match")));
        QCOMPARE(guard.authorize(QStringLiteral(" prod-eu ")), QString());
    }

    void aNewConnectionLocksAgain()
    {
        WriteGuard guard(WriteProfile::adHoc());
        QCOMPARE(guard.unlock(QStringLiteral("SUP-9 cleanup")), QString());
        QSignalSpy changed(&guard, &WriteGuard::changed);
        guard.setProfile(WriteProfile{QStringLiteral("dev"), false, false});
        QCOMPARE(guard.state(), WriteGuard::State::Locked);
        QVERIFY(guard.reason().isEmpty());
        QCOMPARE(changed.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestWriteGuard)
#include "tst_writeguard.moc"
