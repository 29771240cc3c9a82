// The Subscriptions pane through the real window (issue 18) against an in-process sandbox: a consumer
// group whose consumer parked messages (nacked with park) is listed with its parked count; its parked
// messages open in the event list and inspector with the original events resolved; replay is refused
// while writes are locked; unlocked, replaying 2 then the rest (each confirmed in its dialog) drops
// the parked count, and the audit log holds each attempt and its outcome.
//
// CHRONOSCOPE_SHOTS=<folder>: also saves the window at each step (run under xvfb-run with
// QT_QPA_PLATFORM=xcb for the docs' screenshots).
#include "MainWindow.h"
#include "SubscriptionsActions.h"
#include "WriteModeActions.h"
#include "client/PersistentSubscriptionsClient.h"
#include "correct/AuditModel.h"
#include "correct/AuditReader.h"
#include "correct/AuditView.h"
#include "correct/SubscriptionWrite.h"
#include "inspector/EventInspector.h"
#include "subscriptions/SubscriptionDetails.h"
#include "subscriptions/SubscriptionWriteDialog.h"
#include "subscriptions/SubscriptionsModel.h"
#include "subscriptions/SubscriptionsPane.h"
#include "timeline/TimelineIndex.h"

#include "SandboxServer.h"

#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTreeWidget>

#include <mutex>

using namespace chronoscope;

namespace {

const QByteArray kStream = "email-outbox";
const QString kGroup = QStringLiteral("order-emails");

/// Order e-mails to send; every fourth address bounces, and the consumer parks it.
void seed(sandbox::EventStore &store, int n)
{
    for (int i = 0; i < n; ++i) {
        const bool bad = i % 4 == 1;
        const std::string data = "{\"orderId\":\"order-" + std::to_string(1000 + i) + "\",\"to\":\""
            + (bad ? "nobody@invalid" : "customer" + std::to_string(i) + "@example.com") + "\"}";
        store.append(kStream.toStdString(), sandbox::EventStore::Expected::Any, 0,
                     {sandbox::ProposedEvent{QUuid::createUuid(), "OrderEmailRequested", true, data, {}, 0}});
    }
}

/// The group's consumer: parks the bouncing addresses with the mail server's answer, acks the rest
/// and everything replayed (it came through the parked stream's link).
struct Consumer
{
    std::unique_ptr<PersistentSubscription> sub;
    std::mutex subMutex; ///< held while `sub` is being set: the first events may come before
    std::mutex mutex;
    int parked = 0;
    int replayed = 0;

    void start(const PersistentSubscriptionsClient &client)
    {
        std::lock_guard ready(subMutex);
        sub = client.subscribe(
            PersistentGroup::onStream(kStream, kGroup), 10, [this](PersistentEvent &&e) { handle(e); },
            [](const ClientError &) {});
    }
    void handle(const PersistentEvent &e)
    {
        PersistentSubscription *s = nullptr;
        {
            std::lock_guard ready(subMutex);
            s = sub.get();
        }
        const bool viaLink = e.event.link.has_value();
        const bool bad = e.event.event && e.event.event->data.contains("@invalid");
        if (bad && !viaLink)
            s->nack({e.ackId()}, NackAction::Park, QStringLiteral("SMTP 550 5.1.1: mailbox unavailable"));
        else
            s->ack({e.ackId()});
        std::lock_guard lock(mutex);
        parked += bad && !viaLink ? 1 : 0;
        replayed += viaLink ? 1 : 0;
    }
    int parkedCount()
    {
        std::lock_guard lock(mutex);
        return parked;
    }
    int replayedCount()
    {
        std::lock_guard lock(mutex);
        return replayed;
    }
};

qint64 parkedOnServer(const PersistentSubscriptionsClient &client)
{
    return client.getInfo(PersistentGroup::onStream(kStream, kGroup)).info.parkedMessageCount;
}

QString cell(views::SubscriptionsPane *pane, int row, int column)
{
    return pane->model()->index(row, column).data().toString();
}

void shoot(MainWindow &window, const QString &name)
{
    const QString dir = qEnvironmentVariable("CHRONOSCOPE_SHOTS");
    if (dir.isEmpty())
        return;
    QTest::qWait(600); // the last refresh paints
    // On a display (Xvfb), the screen's pixels, so that a dialog over the window shows.
    QPixmap shot;
    if (QScreen *screen = window.screen(); screen && QGuiApplication::platformName() == QLatin1String("xcb")) {
        const QRect r = window.frameGeometry();
        shot = screen->grabWindow(0, r.x(), r.y(), r.width(), r.height());
    }
    if (shot.isNull())
        shot = window.grab();
    QVERIFY(shot.save(QDir(dir).filePath(name)));
}

} // namespace

class TestSubscriptionsPane : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<SubscriptionWriteOutcome>();
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QFile::remove(AuditLog::defaultPath());
    }

    void parkedMessagesOpenAndReplay();
};

void TestSubscriptionsPane::parkedMessagesOpenAndReplay()
{
    sandbox::SandboxServer server;
    seed(server.store(), 24); // 6 bounce
    QString why;
    const int port = server.start(QStringLiteral("127.0.0.1:0"), &why);
    QVERIFY2(port > 0, qPrintable(why));
    const QString connection = QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(port);
    const ConnectionSettings settings = ConnectionString::parse(connection).settings;
    PersistentSubscriptionsClient client(settings);
    PersistentSubscriptionSettings s;
    s.checkpointAfterMs = 0;
    s.minCheckpointCount = 1;
    s.maxCheckpointCount = 1;
    s.maxRetryCount = 3;
    QVERIFY(!client.create(PersistentGroup::onStream(kStream, kGroup), s).error);
    Consumer consumer;
    consumer.start(client);
    QTRY_COMPARE_WITH_TIMEOUT(consumer.parkedCount(), 6, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(parkedOnServer(client), qint64(6), 10000);

    MainWindow window;
    window.resize(1400, 900);
    window.show();
    window.connectTo(connection);
    QDockWidget *dock = window.panes().subscriptions;
    QVERIFY(dock);
    QCOMPARE(window.panes().named(QStringLiteral("subscriptions")), dock);
    dock->show();
    dock->raise();
    window.resizeDocks({dock}, {760}, Qt::Horizontal); // every column in view (the screenshots)
    views::SubscriptionsPane *pane = window.subscriptions()->pane();

    // Listed with its parked count, its clients and its lag; the details show the settings.
    QTRY_VERIFY_WITH_TIMEOUT(pane->model()->rowCount() == 1
                                 && cell(pane, 0, views::SubscriptionsModel::Parked) == QLatin1String("6")
                                 && cell(pane, 0, views::SubscriptionsModel::LagEvents) == QLatin1String("0"),
                             15000);
    QCOMPARE(cell(pane, 0, views::SubscriptionsModel::Stream), QString::fromUtf8(kStream));
    QCOMPARE(cell(pane, 0, views::SubscriptionsModel::Group), kGroup);
    QCOMPARE(cell(pane, 0, views::SubscriptionsModel::Strategy), QStringLiteral("RoundRobin"));
    QCOMPARE(cell(pane, 0, views::SubscriptionsModel::Connections), QStringLiteral("1"));
    QCOMPARE(cell(pane, 0, views::SubscriptionsModel::Checkpoint), QStringLiteral("23"));
    QVERIFY(pane->currentGroup().has_value());
    QTRY_VERIFY(pane->details()->clientsTree()->topLevelItemCount() == 1
                && pane->details()->clientsTree()->topLevelItem(0)->text(0) != QLatin1String("No client connected"));
    QVERIFY(pane->details()->settingsTree()->findItems(QStringLiteral("Max retry count"), Qt::MatchExactly).size()
            == 1);
    shoot(window, QStringLiteral("subscriptions-pane.png"));
    // Which messages were parked and why, from the parked links.
    QTreeWidget *parkedTree = pane->details()->parkedTree();
    QTRY_COMPARE_WITH_TIMEOUT(parkedTree->topLevelItemCount(), 6, 10000);
    QCOMPARE(parkedTree->topLevelItem(0)->text(1), QStringLiteral("1@email-outbox"));
    QVERIFY(parkedTree->topLevelItem(0)->text(3).contains(QLatin1String("SMTP 550 5.1.1: mailbox unavailable")));
    pane->details()->tabs()->setCurrentWidget(parkedTree);
    shoot(window, QStringLiteral("subscriptions-details-parked.png"));
    // Nothing parked or replayed since: the refreshes every 3 s do not read the parked messages again.
    {
        const int reads = pane->parkedReads();
        QVERIFY(reads >= 1);
        QSignalSpy refreshed(pane, &views::SubscriptionsPane::refreshed);
        QTRY_VERIFY_WITH_TIMEOUT(refreshed.size() >= 2, 15000);
        QCOMPARE(pane->parkedReads(), reads);
        QCOMPARE(parkedTree->topLevelItemCount(), 6);
        pane->refreshAction()->trigger(); // asked for: read again
        QTRY_COMPARE_WITH_TIMEOUT(pane->parkedReads(), reads + 1, 10000);
        QCOMPARE(parkedTree->topLevelItemCount(), 6);
    }

    // Parked messages open in the event list like any stream, the links resolved to the e-mails; the pane lies
    // over the event list here, in one tab group, as a user may have put it.
    window.tabifyDockWidget(window.panes().named(QStringLiteral("events")), dock);
    dock->raise();
    QTRY_VERIFY(window.panes().named(QStringLiteral("events"))->visibleRegion().isEmpty()); // behind the pane
    pane->openParkedAction()->trigger();
    TimelineSession *session = window.session();
    const QByteArray parked = PersistentGroup::onStream(kStream, kGroup).parkedStream();
    QTRY_VERIFY2_WITH_TIMEOUT(session->stream() == parked && !session->isLoading() && session->index().size() == 6,
                              qPrintable(QStringLiteral("%1 loading %2 size %3")
                                             .arg(QString::fromUtf8(session->stream()))
                                             .arg(session->isLoading())
                                             .arg(session->index().size())),
                              15000);
    QVERIFY(session->resolvesLinks());
    // The event list and the inspector come to the front, over the pane.
    for (const QString &name : {QStringLiteral("events"), QStringLiteral("inspector")}) {
        QDockWidget *shown = window.panes().named(name);
        QTRY_VERIFY2(shown->isVisible() && !shown->visibleRegion().isEmpty(), qPrintable(name));
    }
    // One parked message's original event, from the details: the same, the pane in front again first.
    dock->raise();
    QTRY_VERIFY(window.panes().named(QStringLiteral("events"))->visibleRegion().isEmpty());
    Q_EMIT pane->openEventRequested(kStream, 0);
    QTRY_VERIFY(!window.panes().named(QStringLiteral("events"))->visibleRegion().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(session->stream() == kStream && !session->isLoading(), 15000);
    pane->openParkedAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(session->stream() == parked && !session->isLoading() && session->index().size() == 6,
                             15000);
    session->cursor()->setPosition(0);
    auto *inspector = window.findChild<views::EventInspector *>();
    QTRY_VERIFY_WITH_TIMEOUT(inspector->currentEvent().has_value(), 10000);
    QCOMPARE(inspector->currentEvent()->streamId, kStream);
    QCOMPARE(inspector->currentEvent()->type, QByteArray("OrderEmailRequested"));
    QVERIFY(inspector->currentEvent()->data.contains("@invalid"));
    shoot(window, QStringLiteral("subscriptions-parked.png"));

    // Locked: refused at once, with the way to unlock, and nothing reaches the server or the log.
    QVERIFY(!window.workspace()->writeGuard()->isUnlocked());
    pane->replayAction()->trigger();
    QVERIFY(pane->messageLabel()->text().startsWith(QLatin1String("Not sent")));
    QVERIFY(window.findChild<views::SubscriptionWriteDialog *>() == nullptr);
    QSignalSpy finished(pane, &views::SubscriptionsPane::operationFinished);
    pane->runOperation(SubscriptionOperation::replay(PersistentGroup::onStream(kStream, kGroup)));
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.takeFirst().at(0).value<SubscriptionWriteOutcome>().kind,
             SubscriptionWriteOutcome::Kind::RefusedByGuard);
    QCOMPARE(parkedOnServer(client), qint64(6));
    QVERIFY(!QFile::exists(AuditLog::defaultPath()) || QFile(AuditLog::defaultPath()).size() == 0);

    // Unlocked: replay the oldest 2, confirmed in the dialog.
    QVERIFY(window.workspace()->writeGuard()->unlock(QStringLiteral("mail server fixed, INC-4711")).isEmpty());
    pane->replayAction()->trigger();
    auto *dialog = window.findChild<views::SubscriptionWriteDialog *>();
    QVERIFY(dialog);
    QVERIFY(dialog->replayAllButton()->text().contains(QLatin1String("6")));
    dialog->replayCountButton()->setChecked(true);
    dialog->replayCountBox()->setValue(2);
    shoot(window, QStringLiteral("subscriptions-replay-dialog.png"));
    QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);
    QVERIFY(finished.wait(10000));
    SubscriptionWriteOutcome outcome = finished.takeFirst().at(0).value<SubscriptionWriteOutcome>();
    QVERIFY2(outcome.ok(), qPrintable(outcome.message));
    QCOMPARE(outcome.stopAt, std::optional<qint64>(2));
    QTRY_COMPARE_WITH_TIMEOUT(cell(pane, 0, views::SubscriptionsModel::Parked), QStringLiteral("4"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(parkedTree->topLevelItemCount(), 4, 10000); // the count moved: read again
    QCOMPARE(pane->messageLabel()->text(), outcome.message); // still in view after the refresh
    QCOMPARE(parkedOnServer(client), qint64(4));

    // Then all the rest: the count drops to 0 and the consumer got all 6 again.
    pane->replayAction()->trigger();
    dialog = window.findChild<views::SubscriptionWriteDialog *>();
    QVERIFY(dialog && dialog->replayAllButton()->isChecked());
    QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);
    QVERIFY(finished.wait(10000));
    QVERIFY(finished.takeFirst().at(0).value<SubscriptionWriteOutcome>().ok());
    QTRY_COMPARE_WITH_TIMEOUT(cell(pane, 0, views::SubscriptionsModel::Parked), QStringLiteral("0"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(consumer.replayedCount(), 6, 10000);

    // The audit log: both replays, attempt then outcome, with the unlock reason; the chain is whole.
    AuditReader reader(AuditLog::defaultPath());
    QCOMPARE(reader.load(), QString());
    QList<AuditRecord> attempts;
    for (const AuditRecord &r : reader.records())
        if (r.kind == QLatin1String("subscription-attempt"))
            attempts << r;
    QCOMPARE(attempts.size(), 2); // so far
    QCOMPARE(attempts[0].text("operation"), QStringLiteral("replay-parked"));
    QCOMPARE(attempts[0].text("stream"), QString::fromUtf8(kStream));
    QCOMPARE(attempts[0].text("group"), kGroup);
    QCOMPARE(attempts[0].text("reason"), QStringLiteral("mail server fixed, INC-4711"));
    QCOMPARE(attempts[0].fields.value(QLatin1String("replayCount")).toInteger(), 2);
    QCOMPARE(attempts[0].fields.value(QLatin1String("stopAt")).toInteger(), 2);
    QCOMPARE(attempts[1].text("replayCount"), QStringLiteral("all"));
    for (const AuditRecord &a : attempts) {
        const AuditRecord *o = reader.outcomeOf(a);
        QVERIFY(o);
        QCOMPARE(o->kind, QStringLiteral("subscription-outcome"));
        QCOMPARE(o->text("result"), QStringLiteral("done"));
    }
    QVERIFY(AuditLog().verify().ok());

    // New… creates a second group through its dialog; with no consumer its lag is the whole stream.
    pane->createAction()->trigger();
    dialog = window.findChild<views::SubscriptionWriteDialog *>();
    QVERIFY(dialog);
    dialog->streamEdit()->setText(QString::fromUtf8(kStream));
    QVERIFY(!dialog->confirmButton()->isEnabled()); // no group name yet
    dialog->groupEdit()->setText(QStringLiteral("audit-trail"));
    dialog->strategyBox()->setCurrentText(QStringLiteral("DispatchToSingle"));
    QVERIFY(dialog->confirmButton()->isEnabled());
    QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);
    QVERIFY(finished.wait(10000));
    QVERIFY(finished.takeFirst().at(0).value<SubscriptionWriteOutcome>().ok());
    QTRY_COMPARE_WITH_TIMEOUT(pane->model()->rowCount(), 2, 10000);
    const PersistentGroup trail = PersistentGroup::onStream(kStream, QStringLiteral("audit-trail"));
    const int row = pane->model()->rowOf(trail);
    QVERIFY(row >= 0);
    QCOMPARE(cell(pane, row, views::SubscriptionsModel::Strategy), QStringLiteral("DispatchToSingle"));
    QTRY_COMPARE_WITH_TIMEOUT(cell(pane, pane->model()->rowOf(trail), views::SubscriptionsModel::LagEvents),
                              QStringLiteral("24"), 10000);
    QTRY_VERIFY(pane->currentGroup() && pane->currentGroup()->group == trail.group);

    // Delete… removes it again.
    pane->deleteAction()->trigger();
    dialog = window.findChild<views::SubscriptionWriteDialog *>();
    QVERIFY(dialog);
    QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);
    QVERIFY(finished.wait(10000));
    QVERIFY(finished.takeFirst().at(0).value<SubscriptionWriteOutcome>().ok());
    QTRY_COMPARE_WITH_TIMEOUT(pane->model()->rowCount(), 1, 10000);
    QCOMPARE(client.getInfo(trail).error.kind, ClientError::Kind::PersistentSubscriptionNotFound);

    // The audit view lists the replays, the creation and the deletion beside the appends, done.
    window.panes().audit->show();
    window.panes().audit->raise();
    views::AuditModel *audit = window.writeMode()->auditView()->model();
    QTRY_COMPARE_WITH_TIMEOUT(audit->rowCount(), 4, 10000);
    QStringList shown;
    for (int r = 0; r < audit->rowCount(); ++r) {
        shown << audit->index(r, views::AuditModel::EventType).data().toString();
        QCOMPARE(audit->index(r, views::AuditModel::Result).data().toString(), QStringLiteral("done"));
    }
    shown.sort();
    QCOMPARE(shown,
             QStringList({QStringLiteral("create audit-trail"), QStringLiteral("delete audit-trail"),
                          QStringLiteral("replay-parked order-emails"), QStringLiteral("replay-parked order-emails")}));
    shoot(window, QStringLiteral("subscriptions-audit.png"));
}

QTEST_MAIN(TestSubscriptionsPane)
#include "tst_subscriptionspane.moc"
