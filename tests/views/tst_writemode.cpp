// Write mode and the audit view in the window (F9): the unlock dialog, the status-bar indicator,
// the profile banner kept true to the guard, and the audit view reading, filtering, verifying and
// exporting a real audit log.
#include "MainWindow.h"
#include "WriteModeActions.h"
#include "connection/ConnectionProfiles.h"
#include "connection/ProfileBanner.h"
#include "correct/AuditLog.h"
#include "correct/AuditModel.h"
#include "correct/AuditView.h"
#include "correct/EventDraft.h"
#include "correct/WriteGuard.h"
#include "correct/WriteModeDialog.h"
#include "correct/WriteModeIndicator.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace chronoscope;
using namespace chronoscope::views;

namespace {

// One attempt and its outcome, written the way the Corrector writes them.
void writeAttempt(const AuditLog &log, const QString &stream, const QString &osUser, const AuditOutcome &outcome)
{
    EventDraft draft = EventDraft::create(stream, ExpectedState::at(3));
    draft.eventType = QStringLiteral("PaymentRefunded");
    draft.data = QStringLiteral(R"({"amount":2500})");
    draft.reason = QStringLiteral("SUP-1 refund");
    AuditOperator op;
    op.osUser = osUser;
    const AuditAttempt attempt = AuditAttempt::fromDraft(draft, QStringLiteral("{}"), op);
    const AuditLog::Written written = log.recordAttempt(attempt);
    QVERIFY2(written.ok(), qPrintable(written.error));
    QVERIFY(log.recordOutcome(written.seq, attempt, outcome).ok());
}

} // namespace

class TestWriteMode : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void dialogUnlocksOnlyWithAReason()
    {
        WriteGuard guard(WriteProfile{QStringLiteral("staging"), false, false});
        WriteModeDialog dialog(&guard);
        dialog.show();
        dialog.reasonEdit()->setText(QStringLiteral("fix"));
        dialog.accept();
        QVERIFY(dialog.isVisible()); // refused: it stays open, the text kept
        QVERIFY2(dialog.errorText().contains(QStringLiteral("too short")), qPrintable(dialog.errorText()));
        QCOMPARE(dialog.reasonEdit()->text(), QStringLiteral("fix"));
        QCOMPARE(guard.state(), WriteGuard::State::Locked);

        dialog.reasonEdit()->setText(QStringLiteral("SUP-4711 refund the double charge"));
        dialog.accept();
        QVERIFY(!dialog.isVisible());
        QCOMPARE(guard.state(), WriteGuard::State::Unlocked);
        QCOMPARE(guard.reason(), QStringLiteral("SUP-4711 refund the double charge"));
    }

    void readOnlyProfileOffersNoUnlock()
    {
        WriteGuard guard(WriteProfile{QStringLiteral("prod"), true, true});
        WriteModeDialog dialog(&guard);
        QVERIFY(!dialog.reasonEdit()->isVisibleTo(&dialog));
        const auto *buttons = dialog.findChild<QDialogButtonBox *>();
        QVERIFY(buttons);
        QVERIFY(!buttons->button(QDialogButtonBox::Cancel));
        QVERIFY(buttons->button(QDialogButtonBox::Close));
        QVERIFY(!dialog.findChild<QPushButton *>(QStringLiteral("unlockWrites")));
        QVERIFY(dialog.findChild<QLabel *>()->text().contains(QStringLiteral("read-only")));
    }

    void indicatorAndBannerFollowTheGuard()
    {
        QTemporaryDir dir;
        AuditLog log(dir.filePath(QStringLiteral("audit.jsonl")));
        QMainWindow window;
        WriteGuard guard(WriteProfile{QStringLiteral("Orders prod"), true, false});
        ProfileBanner banner;
        ConnectionProfile profile;
        profile.name = QStringLiteral("Orders prod");
        profile.production = true;
        profile.readOnly = false;
        banner.showProfile(profile);
        auto *menu = new QMenu(&window);
        WriteModeActions actions(&window, &guard, &log, &banner, menu);
        QCOMPARE(banner.text(), QStringLiteral("PRODUCTION — Orders prod — writes locked"));
        QVERIFY(actions.indicator()->text().contains(QStringLiteral("Writes locked")));
        QAction *unlock = menu->findChild<QAction *>(QStringLiteral("unlockWritesAction"));
        QAction *lock = menu->findChild<QAction *>(QStringLiteral("lockWritesAction"));
        QVERIFY(unlock && lock);
        QVERIFY(unlock->isEnabled());
        QVERIFY(!lock->isEnabled());

        QCOMPARE(guard.unlock(QStringLiteral("INC-9 refund")), QString());
        QCOMPARE(banner.text(), QStringLiteral("PRODUCTION — Orders prod — writes unlocked: INC-9 refund"));
        QVERIFY(actions.indicator()->text().contains(QStringLiteral("Writes unlocked")));
        QVERIFY(actions.indicator()->toolTip().contains(QStringLiteral("INC-9 refund")));
        QVERIFY(!unlock->isEnabled());
        QVERIFY(lock->isEnabled());

        lock->trigger();
        QCOMPARE(guard.state(), WriteGuard::State::Locked);
        QCOMPARE(banner.text(), QStringLiteral("PRODUCTION — Orders prod — writes locked"));

        // A click on the locked indicator asks for the dialog.
        QSignalSpy asked(actions.indicator(), &WriteModeIndicator::unlockRequested);
        actions.indicator()->click();
        QCOMPARE(asked.count(), 1);
    }

    void auditViewFiltersVerifiesAndExports()
    {
        QTemporaryDir dir;
        AuditLog log(dir.filePath(QStringLiteral("audit.jsonl")));
        writeAttempt(log, QStringLiteral("payment-8408"), QStringLiteral("alice"),
                     AuditOutcome::appended(4, std::nullopt));
        writeAttempt(log, QStringLiteral("payment-8408"), QStringLiteral("bob"), AuditOutcome::conflict(5));
        writeAttempt(log, QStringLiteral("order-1"), QStringLiteral("alice"),
                     AuditOutcome::unknown(QStringLiteral("deadline exceeded"), QStringLiteral("deadline-exceeded")));

        AuditView view(&log);
        QSignalSpy loaded(&view, &AuditView::loaded);
        QVERIFY(loaded.wait(5000));
        QCOMPARE(view.model()->rowCount(), 3);
        QCOMPARE(view.model()->data(view.model()->index(0, AuditModel::Result)).toString(), QStringLiteral("appended"));
        QCOMPARE(view.model()->data(view.model()->index(0, AuditModel::Revision)).toLongLong(), 4);

        view.findChild<QLineEdit *>(QStringLiteral("auditStreamFilter"))->setText(QStringLiteral("payment-8408"));
        QCOMPARE(view.model()->rowCount(), 2);
        view.findChild<QLineEdit *>(QStringLiteral("auditUserFilter"))->setText(QStringLiteral("bob"));
        QCOMPARE(view.model()->rowCount(), 1);
        QCOMPARE(view.model()->data(view.model()->index(0, AuditModel::Result)).toString(), QStringLiteral("conflict"));

        // Opening an appended attempt's event asks for its stream at its revision.
        view.findChild<QLineEdit *>(QStringLiteral("auditUserFilter"))->clear();
        QSignalSpy open(&view, &AuditView::openEventRequested);
        view.table()->setCurrentIndex(view.model()->index(0, 0));
        Q_EMIT view.table()->doubleClicked(view.model()->index(0, 0));
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.first().at(0).toByteArray(), QByteArray("payment-8408"));
        QCOMPARE(open.first().at(1).toLongLong(), 4);

        QSignalSpy verified(&view, &AuditView::verified);
        view.verify();
        QVERIFY(verified.wait(5000));
        QVERIFY(view.verificationText().contains(QStringLiteral("6 record")));

        const QString csv = dir.filePath(QStringLiteral("shown.csv"));
        QCOMPARE(view.exportTo(csv), QString());
        QFile exported(csv);
        QVERIFY(exported.open(QIODevice::ReadOnly));
        QCOMPARE(exported.readAll().count('\n'), 1 + 4); // the header, two attempts and their outcomes

        // An edited line: the chain says where.
        QFile file(log.path());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray content = file.readAll();
        file.close();
        content.replace("\"alice\"", "\"mallory\"");
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(content);
        file.close();
        view.verify();
        QVERIFY(verified.wait(5000));
        QVERIFY(!verified.last().at(0).value<AuditVerification>().ok());
        QVERIFY2(view.verificationText().contains(QStringLiteral("edited")), qPrintable(view.verificationText()));
    }

    void windowHasCorrectionsMenuAndTrueBanner()
    {
        MainWindow window;
        QMenu *corrections = nullptr;
        for (QAction *a : window.menuBar()->actions())
            if (a->menu() && a->text() == QStringLiteral("&Corrections"))
                corrections = a->menu();
        QVERIFY(corrections);
        QVERIFY(window.panes().audit);
        QCOMPARE(window.workspace()->writeGuard()->state(), WriteGuard::State::Locked);
        QVERIFY(window.connectTo(QStringLiteral("kurrentdb://127.0.0.1:1?tls=false")));
        QCOMPARE(window.workspace()->writeGuard()->state(), WriteGuard::State::Locked);
    }
};

QTEST_MAIN(TestWriteMode)
#include "tst_writemode.moc"
