// End to end, as a developer debugging the demo's incident would work: find the double-charged
// payment by typing its name, scrub to the time of the second charge, read the fold, step with the
// keyboard, compare marker A with B, click the timeline, and follow the correlation chain into the
// order — all with keys and the mouse on the real main window, against a sandbox on loopback.
#include "MainWindow.h"
#include "common/QCustomPlotInclude.h"
#include "connection/ConnectionStatus.h"
#include "events/EventListView.h"
#include "inspector/CorrelationChainView.h"
#include "inspector/EventInspector.h"
#include "session/TimelineEventModel.h"
#include "state/DiffPane.h"
#include "state/StatePane.h"
#include "state/StateTreeModel.h"
#include "support/DemoSandbox.h"
#include "timeline/TimelineIndex.h"
#include "timeline/TimelineView.h"

#include <QDateTimeEdit>
#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>
#include <QLineEdit>
#include <QListView>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTreeWidget>

using namespace chronoscope;

namespace {

/// The value shown for `key` under `parent` (one path step at a time), or a null string.
QString stateValue(const QAbstractItemModel &model, const QStringList &path)
{
    QModelIndex parent;
    for (const QString &key : path) {
        QModelIndex found;
        for (int r = 0; r < model.rowCount(parent) && !found.isValid(); ++r) {
            const QModelIndex i = model.index(r, 0, parent);
            if (i.data().toString() == key)
                found = i;
        }
        if (!found.isValid())
            return {};
        parent = found;
    }
    return parent.siblingAtColumn(1).data().toString();
}

QString diffRows(const QTreeWidget &tree)
{
    QString out;
    std::function<void(QTreeWidgetItem *)> walk = [&](QTreeWidgetItem *item) {
        out += item->text(0) + QStringLiteral(" | ") + item->text(1) + QStringLiteral(" | ") + item->text(2) + QLatin1Char('\n');
        for (int c = 0; c < item->childCount(); ++c)
            walk(item->child(c));
    };
    for (int i = 0; i < tree.topLevelItemCount(); ++i)
        walk(tree.topLevelItem(i));
    return out;
}

} // namespace

class TestInvestigation : public QObject
{
    Q_OBJECT

    DemoSandbox m_sandbox;
    DemoHistory::DoubleCharge m_charge;

    /// Shows `window` at 1280×800, active, connected to the sandbox.
    bool showConnected(MainWindow &window)
    {
        window.resize(1280, 800);
        window.show();
        window.activateWindow();
        if (!QTest::qWaitForWindowActive(&window))
            return false;
        window.connectTo(m_sandbox.settings());
        auto *status = window.findChild<views::ConnectionStatus *>();
        return QTest::qWaitFor([status] { return status->state() == views::ConnectionStatus::State::Connected; }, 30000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        DemoHistory::Options options;
        options.eventCount = 16000;
        const std::optional<DemoHistory::DoubleCharge> charge = DemoHistory(options).firstDoubleCharge();
        QVERIFY(charge);
        m_charge = *charge;
        QVERIFY2(m_sandbox.start(options.eventCount), qPrintable(m_sandbox.error()));
    }

    void developerFollowsTheDoubleCharge()
    {
        MainWindow window;
        QVERIFY(showConnected(window));
        auto *status = window.findChild<views::ConnectionStatus *>();
        QVERIFY2(status->nodeText().contains(QStringLiteral(":%1").arg(m_sandbox.server().port())),
                 qPrintable(status->nodeText()));

        // Find the stream: Ctrl+F, type the name, Enter, then down the list to it.
        const QString payment = QString::fromUtf8(m_charge.paymentStream);
        QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
        auto *filter = window.findChild<QLineEdit *>(QStringLiteral("streamFilter"));
        QTRY_VERIFY(filter->hasFocus());
        QTest::keyClicks(filter, payment);
        auto *list = window.findChild<QListView *>(QStringLiteral("streamList"));
        auto listed = [&] {
            for (int r = 0; r < list->model()->rowCount(); ++r)
                if (list->model()->index(r, 0).data().toString() == payment)
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(listed() && list->model()->rowCount() < 20, 30000);
        QTest::keyClick(filter, Qt::Key_Return);
        QTRY_VERIFY(list->hasFocus());
        for (int i = 0; i < 20 && list->currentIndex().data().toString() != payment; ++i)
            QTest::keyClick(list, Qt::Key_Down);
        QCOMPARE(list->currentIndex().data().toString(), payment);
        TimelineSession *session = window.session();
        QTRY_VERIFY_WITH_TIMEOUT(session->stream() == m_charge.paymentStream && !session->isLoading(), 30000);
        const std::optional<quint64> duplicate = session->index().findRevision(m_charge.duplicateRevision);
        QVERIFY(duplicate && *duplicate > 0);

        // Scrub to the time of the second charge: Ctrl+T, the time, Enter.
        QTest::keyClick(&window, Qt::Key_T, Qt::ControlModifier);
        QDialog *jump = nullptr;
        QTRY_VERIFY((jump = window.findChild<QDialog *>(QStringLiteral("jumpToTimeDialog"))) != nullptr);
        auto *timeEdit = jump->findChild<QDateTimeEdit *>(QStringLiteral("timeEdit"));
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(session->index().createdTicks(*duplicate) / 10000, Qt::UTC);
        timeEdit->setDateTime(at.toTimeSpec(timeEdit->timeSpec()));
        QTest::keyClick(timeEdit, Qt::Key_Return);
        QTRY_COMPARE(session->cursor()->position(), qint64(*duplicate));
        // The offscreen platform has no window manager to give the window back its activation.
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));

        // The state pane shows the fold at the cursor: two charges so far (merge reducer counts).
        auto *state = window.findChild<StatePane *>();
        const QStringList charges{QStringLiteral("counts"), QStringLiteral("PaymentProcessed")};
        QTRY_COMPARE_WITH_TIMEOUT(stateValue(*state->model(), charges), QStringLiteral("2"), 15000);
        // A step back with the keyboard: one charge.
        QTest::keyClick(&window, Qt::Key_Left, Qt::AltModifier);
        QCOMPARE(session->cursor()->position(), qint64(*duplicate - 1));
        QTRY_COMPARE_WITH_TIMEOUT(stateValue(*state->model(), charges), QStringLiteral("1"), 15000);

        // A here, B one event on: the diff pane compares them by itself.
        QTest::keyClick(&window, Qt::Key_A, Qt::ControlModifier | Qt::ShiftModifier);
        QTest::keyClick(&window, Qt::Key_Right, Qt::AltModifier);
        QTest::keyClick(&window, Qt::Key_B, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(session->cursor()->markerA(), qint64(*duplicate - 1));
        QCOMPARE(session->cursor()->markerB(), qint64(*duplicate));
        auto *diff = window.findChild<DiffPane *>();
        QCOMPARE(diff->mode(), DiffPane::Mode::Markers);
        QTRY_VERIFY_WITH_TIMEOUT(diffRows(*diff->tree()).contains(QStringLiteral("PaymentProcessed | 1 | 2")), 15000);

        // A click on the timeline at the first event's time puts the cursor there.
        auto *timeline = window.findChild<views::TimelineView *>();
        timeline->fitAll();
        const int x = timeline->xForTicks(session->index().createdTicks(0));
        const int y = timeline->plot()->axisRect()->rect().center().y();
        QTest::mouseClick(timeline->plot(), Qt::LeftButton, {}, QPoint(x + 1, y));
        QTRY_COMPARE(session->cursor()->position(), qint64(0));

        // Back to the duplicate, then follow its correlation id into the order (Ctrl+Shift+R).
        session->cursor()->setPosition(qint64(*duplicate));
        auto *inspector = window.findChild<views::EventInspector *>();
        QTRY_VERIFY(inspector->findChild<QWidget *>(QStringLiteral("correlationButton"))->isEnabled());
        QSignalSpy finished(inspector->correlationView(), &views::CorrelationChainView::finished);
        QTest::keyClick(&window, Qt::Key_R, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(finished.wait(15000));
        QTreeWidget *chain = inspector->correlationView()->list();
        QTreeWidgetItem *order = nullptr;
        for (int i = 0; i < chain->topLevelItemCount() && !order; ++i)
            if (chain->topLevelItem(i)->text(0).toUtf8() == m_charge.orderStream)
                order = chain->topLevelItem(i);
        QVERIFY2(order, "the correlation chain lists the order's events");
        const qint64 orderRevision = order->text(1).toLongLong();
        chain->scrollToItem(order);
        const QPoint centre = chain->visualItemRect(order).center();
        QTest::mouseClick(chain->viewport(), Qt::LeftButton, {}, centre);
        QTest::mouseDClick(chain->viewport(), Qt::LeftButton, {}, centre);
        QTRY_VERIFY_WITH_TIMEOUT(session->stream() == m_charge.orderStream && !session->isLoading(), 30000);
        QTRY_VERIFY(session->cursor()->position() >= 0);
        QCOMPARE(session->index().revision(quint64(session->cursor()->position())), quint64(orderRevision));
    }

    void auditorListsATimeRange()
    {
        MainWindow window;
        QVERIFY(showConnected(window));
        window.openStream(TimelineSession::allStream());
        TimelineSession *session = window.session();
        QTRY_VERIFY_WITH_TIMEOUT(session->isAll() && !session->isLoading() && session->index().size() > 1000, 30000);
        const engine::TimelineIndex &index = session->index();
        const qint64 firstMs = index.createdTicks(0) / 10000;
        const QDateTime from = QDateTime::fromMSecsSinceEpoch(firstMs, Qt::UTC).addDays(10);
        const QDateTime to = from.addDays(5).addMSecs(-1);

        // Ctrl+Shift+T: From after To is refused in the dialog itself.
        QTest::keyClick(&window, Qt::Key_T, Qt::ControlModifier | Qt::ShiftModifier);
        QDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = window.findChild<QDialog *>(QStringLiteral("timeRangeDialog"))) != nullptr);
        auto *fromEdit = dialog->findChild<QDateTimeEdit *>(QStringLiteral("fromEdit"));
        auto *toEdit = dialog->findChild<QDateTimeEdit *>(QStringLiteral("toEdit"));
        auto *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        fromEdit->setDateTime(to.toTimeSpec(fromEdit->timeSpec()));
        toEdit->setDateTime(from.toTimeSpec(toEdit->timeSpec()));
        QVERIFY(!ok->isEnabled());
        QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("rangeProblem"))->text().contains(QStringLiteral("after")));
        fromEdit->setDateTime(from.toTimeSpec(fromEdit->timeSpec()));
        toEdit->setDateTime(to.toTimeSpec(toEdit->timeSpec()));
        QVERIFY(ok->isEnabled());
        QTest::keyClick(toEdit, Qt::Key_Return);

        // The list holds exactly the events created in those five days, and says so.
        qint64 expected = 0, firstIn = -1;
        for (quint64 o = 0; o < index.size(); ++o) {
            const qint64 ms = index.createdTicks(o) / 10000;
            if (ms >= from.toMSecsSinceEpoch() && ms <= to.toMSecsSinceEpoch()) {
                ++expected;
                if (firstIn < 0)
                    firstIn = qint64(o);
            }
        }
        QVERIFY(expected > 100);
        auto *events = window.findChild<views::EventListView *>();
        QTRY_COMPARE(qint64(events->model()->rowCount()), expected);
        QCOMPARE(session->cursor()->markerA(), firstIn);
        QCOMPARE(session->cursor()->position(), firstIn);
        QVERIFY(window.findChild<QToolButton *>(QStringLiteral("betweenMarkersButton"))->isChecked());
        const QString summary = window.findChild<QLabel *>(QStringLiteral("eventSummary"))->text();
        QVERIFY2(summary.contains(QLocale().toString(expected)) && summary.contains(QLocale().toString(index.size())),
                 qPrintable(summary));
    }
};

QTEST_MAIN(TestInvestigation)
#include "tst_investigation.moc"
