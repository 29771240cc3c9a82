// The demo's projection end to end (issue 13: "see which events made it wrong"): the real main window with
// the app's own demo start-up (MainWindow::startDemo, the in-process demo server running order-totals with
// its misspelt refund handler). The Projections pane selects order-totals by itself and shows its statistics;
// Compare lists exactly the orders the history refunds (derived from the history here), a differing
// partition's diff shows /paid and /refunded, and "Find the event that made it wrong" names that order's
// PaymentRefunded event and opens it in the event list with the cursor on it.
#include "DemoReducer.h"
#include "InspectorDocks.h"
#include "MainWindow.h"
#include "ProjectionDock.h"
#include "StateDocks.h"
#include "client/ProjectionsClient.h"
#include "demo/DemoHistory.h"
#include "projections/PartitionDivergenceView.h"
#include "projections/ProjectionCompareView.h"
#include "projections/ProjectionDetailView.h"
#include "projections/ProjectionListModel.h"
#include "projections/ProjectionsPane.h"
#include "state/DiffPane.h"
#include "timeline/TimelineIndex.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>
#include <QTreeWidget>

using namespace chronoscope;
using views::ProjectionListModel;

namespace {

/// A refund in the demo history: the order it refunds, and where the event is.
struct Refund
{
    QByteArray stream;
    quint64 revision = 0;
};

/// Every order the history refunds (PaymentRefunded, by its data's orderId), with its refund event.
QHash<QString, Refund> refundsOf(const DemoHistory::Options &options)
{
    QHash<QString, Refund> refunds;
    QHash<QByteArray, quint64> revisions; // the seeder appends in this order, one event at a time
    DemoHistory(options).generate([&](const DemoEvent &e) {
        const quint64 revision = revisions[e.stream]++;
        if (e.type == "PaymentRefunded")
            refunds.insert(QJsonDocument::fromJson(e.data).object().value(QLatin1String("orderId")).toString(),
                           {e.stream, revision});
        return true;
    });
    return refunds;
}

QString cell(const ProjectionListModel *model, int row, int column)
{
    return model->data(model->index(row, column)).toString();
}

} // namespace

class TestProjectionsDemo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QDir(DemoReducer::folder()).removeRecursively(); // the shipped files, copied afresh
    }

    void findsTheRefundThatMadeItWrong()
    {
        MainWindow window;
        window.resize(1400, 900);
        window.show();
        DemoHistory::Options options;
        options.eventCount = 10000; // enough for refunds
        window.startDemo(options);
        views::ProjectionsPane *pane = window.projections()->pane();
        window.projections()->reveal();

        // The pane chooses the demo's user projection by itself, and shows its statistics.
        const QString name = QStringLiteral("order-totals");
        const ProjectionListModel *model = pane->model();
        QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(name) >= 0, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(pane->currentName(), name, 10000);
        const int row = model->rowOf(name);
        QCOMPARE(cell(model, row, ProjectionListModel::Status), QStringLiteral("Running"));
        QTRY_VERIFY_WITH_TIMEOUT(QLocale().toLongLong(cell(model, row, ProjectionListModel::Processed)) > 0, 10000);
        // Its detail, not a system projection's: the source the server runs, typo and all.
        QTRY_VERIFY_WITH_TIMEOUT(
            pane->detail()->source()->toPlainText().contains(QLatin1String("PaymentRefund: function")), 10000);

        // Compare with the source as it should be: the pane offers the copy beside the demo reducer.
        views::ProjectionCompareView *compare = pane->detail()->compare();
        pane->detail()->tabs()->setCurrentWidget(compare);
        QVERIFY2(compare->localSourceEdit()->text().endsWith(QLatin1String("demo-order-totals.projection.js")),
                 qPrintable(compare->localSourceEdit()->text()));
        QSignalSpy compared(compare, &views::ProjectionCompareView::finished);
        QTest::mouseClick(compare->startButton(), Qt::LeftButton);
        QVERIFY(compared.wait(60000));
        const projections::ProjectionCompareReport &report = compare->report();
        QVERIFY2(report.complete(), qPrintable(report.problem + report.error.toString()));

        // Exactly the refunded orders differ: the misspelt handler never ran for them.
        const QHash<QString, Refund> refunds = refundsOf(options);
        QVERIFY(refunds.size() >= 5);
        QSet<QString> differing;
        for (const projections::PartitionComparison &c : report.differences) {
            QCOMPARE(c.status, projections::PartitionComparison::Status::Different);
            differing.insert(c.partition);
        }
        QCOMPARE(differing, QSet<QString>(refunds.keyBegin(), refunds.keyEnd()));
        QTreeWidget *list = compare->partitions();
        QTreeWidgetItem *item = nullptr;
        QSet<QString> listed;
        for (int i = 0; i < list->topLevelItemCount(); ++i)
            if (!list->topLevelItem(i)->isHidden()) {
                listed.insert(list->topLevelItem(i)->text(views::ProjectionCompareView::PartitionColumn));
                if (!item)
                    item = list->topLevelItem(i);
            }
        QCOMPARE(listed, differing); // "Not equal" lists them, and only them
        QVERIFY(item);
        const QString order = item->data(views::ProjectionCompareView::PartitionColumn, Qt::UserRole).toString();

        // Land on it: the diff pane shows server vs local fold, differing at /paid and /refunded.
        list->setCurrentItem(item);
        DiffPane *diff = window.panes().diff->pane();
        QTRY_COMPARE(diff->mode(), DiffPane::Mode::Projection);
        QVERIFY2(diff->titleLabel()->text().contains(order), qPrintable(diff->titleLabel()->text()));
        QStringList rows;
        for (int i = 0; i < diff->tree()->topLevelItemCount(); ++i)
            if (diff->tree()->topLevelItem(i)->text(1) != diff->tree()->topLevelItem(i)->text(2))
                rows << diff->tree()->topLevelItem(i)->text(0);
        QVERIFY2(rows.contains(QLatin1String("paid")) && rows.contains(QLatin1String("refunded")),
                 qPrintable(rows.join(QLatin1Char(','))));

        // Which event made it wrong: that order's refund, opened in the event list with the cursor on it.
        views::PartitionDivergenceView *blame = compare->divergence();
        QTRY_VERIFY(blame->startButton()->isEnabled());
        QVERIFY(blame->events()->topLevelItemCount() > 1);
        QSignalSpy blamed(blame, &views::PartitionDivergenceView::finished);
        QTest::mouseClick(blame->startButton(), Qt::LeftButton);
        QVERIFY(blamed.wait(30000));
        const std::optional<projections::PartitionEvent> found = blame->foundEvent();
        QVERIFY2(found, qPrintable(blame->lineLabel()->text()));
        QCOMPARE(found->type, QByteArray("PaymentRefunded"));
        const Refund refund = refunds.value(order);
        QCOMPARE(found->stream, refund.stream);
        QCOMPARE(found->revision, refund.revision);
        const QString line = blame->lineLabel()->text();
        QVERIFY2(line.startsWith(QLatin1String("Server and local fold part after event"))
                     && line.contains(QLatin1String("PaymentRefunded"))
                     && line.contains(
                         QStringLiteral("%1@%2").arg(QString::fromUtf8(refund.stream)).arg(refund.revision))
                     && line.contains(QLatin1String("/paid")),
                 qPrintable(line));
        QTreeWidgetItem *current = blame->events()->currentItem();
        QVERIFY(current);
        QCOMPARE(current->text(views::PartitionDivergenceView::TypeColumn), QStringLiteral("PaymentRefunded"));

        TimelineSession *session = window.session();
        QTRY_VERIFY_WITH_TIMEOUT(
            session->stream() == refund.stream && !session->isLoading() && session->cursor()->position() >= 0
                && session->index().revision(quint64(session->cursor()->position())) == refund.revision,
            20000);
        QVERIFY(window.panes().events->isVisible());
        if (const QString dir = qEnvironmentVariable("CHRONOSCOPE_SCREENSHOTS"); !dir.isEmpty()) {
            window.projections()->reveal();
            window.resize(1920, 1080); // room for the pane beside the event list
            QTest::qWait(800);
            QVERIFY(window.grab().save(QDir(dir).filePath(QStringLiteral("projections-divergence.png"))));
        }
    }
};

QTEST_MAIN(TestProjectionsDemo)
#include "tst_projectionsdemo.moc"
