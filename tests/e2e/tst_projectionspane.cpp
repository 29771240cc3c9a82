// The Projections pane end to end (issue 13, items 3 and 5): the real main window against an in-process
// sandbox running the demo history with projections: the list with a created projection's statistics and
// lag, a partition's state and result, management refused while writes are locked and done (and audited)
// once unlocked, a server error said clearly, and a real stall (the sandbox's projection wedged while
// `$all` moves on) and a real fault flagged in the row and the status bar.
#include "EventStore.h"
#include "MainWindow.h"
#include "ProjectionDock.h"
#include "SandboxServer.h"
#include "StateDocks.h"
#include "UserProjections.h"
#include "client/ProjectionsClient.h"
#include "common/JsonTreeWidget.h"
#include "correct/AuditReader.h"
#include "demo/DemoProjections.h"
#include "demo/DemoSeeder.h"
#include "projections/ProjectionCommandDialog.h"
#include "projections/ProjectionCompareView.h"
#include "projections/ProjectionDetailView.h"
#include "projections/ProjectionListModel.h"
#include "projections/ProjectionsPane.h"
#include "state/DiffPane.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

using namespace chronoscope;
using views::ProjectionListModel;
using views::ProjectionsPane;
using Action = ProjectionCommand::Action;

namespace {

const char *kPerOrder = R"(fromCategory('order').foreachStream().when({
    $init: function () { return { events: 0 }; },
    $any: function (s, e) { s.events += 1; s.last = e.eventType; return s; }
});)";

sandbox::ProposedEvent orderEvent(const char *type)
{
    return sandbox::ProposedEvent{QUuid::createUuid(), type, true, "{\"note\":\"test\"}", {}, 0};
}

QString cell(const ProjectionListModel *model, int row, int column, int role = Qt::DisplayRole)
{
    return model->data(model->index(row, column), role).toString();
}

QList<AuditRecord> projectionRecords()
{
    AuditReader reader(AuditLog::defaultPath());
    if (!reader.load().isEmpty())
        return {};
    QList<AuditRecord> out;
    for (const AuditRecord &r : reader.records())
        if (r.kind.startsWith(QLatin1String("projection-")))
            out << r;
    return out;
}

/// Triggers `action`, waits for its confirmation and confirms it (after `edit`); returns the outcome.
template<typename Edit>
std::optional<ProjectionCommandOutcome> confirm(ProjectionsPane *pane, Action action, Edit edit)
{
    QSignalSpy finished(pane, &ProjectionsPane::commandFinished);
    pane->action(action)->trigger();
    views::ProjectionCommandDialog *dialog = nullptr;
    auto open = [pane] {
        for (auto *d : pane->findChildren<views::ProjectionCommandDialog *>())
            if (d->isVisible())
                return d; // not one closed before, waiting for its deletion
        return static_cast<views::ProjectionCommandDialog *>(nullptr);
    };
    if (!QTest::qWaitFor([&] { return (dialog = open()) != nullptr; }, 5000))
        return std::nullopt;
    edit(dialog);
    QPushButton *ok = dialog->buttons()->button(QDialogButtonBox::Ok);
    if (!ok->isEnabled())
        return std::nullopt;
    ok->click();
    if (!finished.wait(20000))
        return std::nullopt;
    return finished.takeFirst().at(0).value<ProjectionCommandOutcome>();
}

} // namespace

class TestProjectionsPane : public QObject
{
    Q_OBJECT

    sandbox::SandboxServer m_server;
    std::unique_ptr<ProjectionsClient> m_client;
    std::unique_ptr<MainWindow> m_window;
    ProjectionsPane *m_pane = nullptr;

    int rowOf(const QString &name) const { return m_pane->model()->rowOf(name); }
    QString status(const QString &name) const { return m_client->status(name).details.status; }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QFile::remove(AuditLog::defaultPath());
        DemoHistory::Options options;
        options.eventCount = 10000; // enough for refunds: the demo projection drifts on refunded orders
        sandbox::seedDemoHistory(m_server.store(), options);
        m_server.store().configureProjections(true, true);
        std::string demoError;
        QVERIFY2(sandbox::createDemoProjections(m_server.store(), &demoError), demoError.c_str());
        QString why;
        const int port = m_server.start(QStringLiteral("127.0.0.1:0"), &why);
        QVERIFY2(port > 0, qPrintable(why));
        const QString connection = QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(port);
        m_client = std::make_unique<ProjectionsClient>(ConnectionString::parse(connection).settings);
        QVERIFY(!m_client->createContinuous(QStringLiteral("per-order"), QString::fromUtf8(kPerOrder)).error);
        QVERIFY(m_server.store().userProjections()->waitIdle(20000));

        m_window = std::make_unique<MainWindow>();
        m_window->resize(1400, 900);
        m_window->show();
        QVERIFY(m_window->connectTo(connection));
        m_pane = m_window->projections()->pane();
        m_window->projections()->reveal();
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_server.shutdown();
    }

    void listShowsTheProjectionWithItsStatistics()
    {
        const ProjectionListModel *model = m_pane->model();
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(QStringLiteral("per-order")) >= 0, 15000);
        QVERIFY(rowOf(QStringLiteral("$by_category")) >= 0); // the system ones are listed too
        const ProjectionDetails server = m_client->status(QStringLiteral("per-order")).details;
        QTRY_COMPARE_WITH_TIMEOUT(cell(model, rowOf(QStringLiteral("per-order")), ProjectionListModel::LagEvents),
                                  QStringLiteral("0"), 15000);
        const int row = rowOf(QStringLiteral("per-order"));
        QCOMPARE(cell(model, row, ProjectionListModel::Mode), QStringLiteral("Continuous"));
        QCOMPARE(cell(model, row, ProjectionListModel::Status), QStringLiteral("Running"));
        QCOMPARE(cell(model, row, ProjectionListModel::Position), server.position);
        QCOMPARE(cell(model, row, ProjectionListModel::Progress), QStringLiteral("100.0 %"));
        QVERIFY(server.eventsProcessedAfterRestart > 0);
        QCOMPARE(cell(model, row, ProjectionListModel::Processed),
                 QLocale().toString(server.eventsProcessedAfterRestart));
        QCOMPARE(cell(model, row, ProjectionListModel::LagSeconds), QStringLiteral("0.0 s"));
        QCOMPARE(model->data(model->index(row, 0), ProjectionListModel::HealthRole).toInt(),
                 int(ProjectionHealth::Kind::Healthy));
    }

    void stateAndResultPerPartition()
    {
        m_pane->select(QStringLiteral("per-order"));
        views::ProjectionDetailView *detail = m_pane->detail();
        QTRY_VERIFY_WITH_TIMEOUT(detail->partitions()->count() > 1, 15000);
        QVERIFY(detail->source()->toPlainText().contains(QLatin1String("foreachStream()")));
        // Every order stream is a partition; one of them, found by the search.
        const QString partition = detail->partitions()->item(detail->partitions()->count() / 2)->text();
        QVERIFY(partition.startsWith(QLatin1String("order-")));
        detail->partitionFilter()->setText(partition);
        int visible = 0;
        for (int i = 0; i < detail->partitions()->count(); ++i)
            visible += detail->partitions()->item(i)->isHidden() ? 0 : 1;
        QVERIFY(visible >= 1 && visible < detail->partitions()->count());
        QSignalSpy shown(detail, &views::ProjectionDetailView::partitionShown);
        detail->selectPartition(partition);
        QCOMPARE(detail->currentPartition(), partition);
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty() && shown.constLast().at(0).toString() == partition, 10000);
        QVERIFY(detail->stateLabel()->text().contains(partition));
        const QJsonObject server = m_client->state(QStringLiteral("per-order"), partition).value.toObject();
        QVERIFY(server.value(QLatin1String("events")).toDouble() > 0);
        QCOMPARE(detail->stateTree()->itemAtPath(QStringLiteral("events"))->text(views::JsonTreeWidget::ValueColumn),
                 QString::number(server.value(QLatin1String("events")).toInteger()));
        QCOMPARE(detail->stateTree()
                     ->itemAtPath(QStringLiteral("last"))
                     ->text(views::JsonTreeWidget::ValueColumn)
                     .remove(QLatin1Char('"')),
                 server.value(QLatin1String("last")).toString());
        QVERIFY(detail->resultTree()->itemAtPath(QStringLiteral("events")) != nullptr); // the result is the state
        detail->partitionFilter()->clear();
    }

    void emptyStateIsSaidNotShownAsNull()
    {
        // A system projection keeps no state here: the server answers {} for its state and its result.
        m_pane->select(QStringLiteral("$streams"));
        QTRY_COMPARE_WITH_TIMEOUT(m_pane->currentName(), QStringLiteral("$streams"), 15000);
        QCOMPARE(m_client->state(QStringLiteral("$streams")).value, QJsonValue(QJsonObject()));
        views::ProjectionDetailView *detail = m_pane->detail();
        for (views::JsonTreeWidget *tree : {detail->stateTree(), detail->resultTree()}) {
            QTRY_COMPARE_WITH_TIMEOUT(tree->topLevelItemCount(), 1, 10000);
            const QTreeWidgetItem *row = tree->topLevelItem(0);
            QCOMPARE(row->text(views::JsonTreeWidget::KeyColumn), QStringLiteral("{}"));
            QVERIFY2(row->text(views::JsonTreeWidget::ValueColumn).startsWith(QLatin1String("empty: no ")),
                     qPrintable(row->text(views::JsonTreeWidget::ValueColumn)));
            QVERIFY(!tree->itemAtPath(QStringLiteral("(value)")));
        }
        QVERIFY(detail->stateTree()->topLevelItem(0)->text(1).contains(QLatin1String("state")));
        QVERIFY(detail->resultTree()->topLevelItem(0)->text(1).contains(QLatin1String("result")));
        if (const QString dir = qEnvironmentVariable("CHRONOSCOPE_SCREENSHOTS"); !dir.isEmpty()) {
            m_window->projections()->reveal();
            detail->tabs()->setCurrentIndex(0);
            QTest::qWait(500);
            QVERIFY(m_window->projections()->grab().save(QDir(dir).filePath(QStringLiteral("projections-empty.png"))));
        }
    }

    void managementRefusedWhileLockedThenDoneAndAudited()
    {
        m_pane->select(QStringLiteral("per-order"));
        QTRY_COMPARE(m_pane->currentName(), QStringLiteral("per-order"));
        QVERIFY(!m_window->workspace()->writeGuard()->isUnlocked());
        QSignalSpy unlock(m_pane, &ProjectionsPane::unlockRequested);
        m_pane->action(Action::Disable)->trigger();
        QCOMPARE(unlock.count(), 1);
        QVERIFY(!m_pane->findChild<views::ProjectionCommandDialog *>());
        QVERIFY(m_pane->messageLabel()->text().contains(QLatin1String("refused: writes are locked")));
        QTest::qWait(300);
        QCOMPARE(status(QStringLiteral("per-order")), QStringLiteral("Running"));
        QVERIFY(projectionRecords().isEmpty());

        QVERIFY(m_window->workspace()->writeGuard()->unlock(QStringLiteral("pane test: pause per-order")).isEmpty());
        std::optional<ProjectionCommandOutcome> outcome = confirm(m_pane, Action::Disable, [](auto *dialog) {
            QVERIFY(dialog->descriptionLabel()->text().contains(QLatin1String("checkpoint and stops")));
        });
        QVERIFY(outcome && outcome->ok());
        QCOMPARE(status(QStringLiteral("per-order")), QStringLiteral("Stopped"));
        QTRY_COMPARE_WITH_TIMEOUT(cell(m_pane->model(), rowOf(QStringLiteral("per-order")),
                                       ProjectionListModel::Status),
                                  QStringLiteral("Stopped"), 10000);
        QList<AuditRecord> records = projectionRecords();
        QCOMPARE(records.size(), 2);
        QCOMPARE(records.at(0).kind, QStringLiteral("projection-attempt"));
        QCOMPARE(records.at(0).text("action"), QStringLiteral("disable"));
        QCOMPARE(records.at(0).text("projection"), QStringLiteral("per-order"));
        QCOMPARE(records.at(0).text("reason"), QStringLiteral("pane test: pause per-order"));
        QCOMPARE(records.at(1).kind, QStringLiteral("projection-outcome"));
        QCOMPARE(records.at(1).fields.value(QLatin1String("attemptSeq")).toInteger(), records.at(0).seq);
        QCOMPARE(records.at(1).text("result"), QStringLiteral("done"));
        QVERIFY(AuditLog().verify().ok());

        outcome = confirm(m_pane, Action::Enable, [](auto *) {});
        QVERIFY(outcome && outcome->ok());
        QCOMPARE(status(QStringLiteral("per-order")), QStringLiteral("Running"));

        // Created through the pane's dialog, then listed.
        outcome = confirm(m_pane, Action::Create, [](views::ProjectionCommandDialog *dialog) {
            dialog->nameEdit()->setText(QStringLiteral("pane-made"));
            dialog->sourceEdit()->setPlainText(QStringLiteral("fromAll().when({ $init: function () { return { n: 0 }; "
                                                              "}, $any: function (s) { s.n += 1; return s; } });"));
        });
        QVERIFY(outcome && outcome->ok());
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(QStringLiteral("pane-made")) >= 0, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_pane->currentName(), QStringLiteral("pane-made"), 10000);

        // The server refuses to delete a running projection: said, and audited as an error.
        outcome = confirm(m_pane, Action::Delete, [](auto *) {});
        QVERIFY(outcome && !outcome->ok());
        QVERIFY2(m_pane->messageLabel()->text().contains(QLatin1String("delete pane-made failed")),
                 qPrintable(m_pane->messageLabel()->text()));
        QVERIFY(m_pane->messageLabel()->isVisible());
        records = projectionRecords();
        QCOMPARE(records.constLast().text("result"), QStringLiteral("error"));
        QVERIFY(!records.constLast().text("errorKind").isEmpty());
        QVERIFY(m_client->status(QStringLiteral("pane-made")).details.name == QStringLiteral("pane-made"));
        m_window->workspace()->writeGuard()->lock();
    }

    void compareWithLocalFoldLandsOnTheDiff()
    {
        // The demo's order-totals runs a source with a typo in its refund handler: refunded orders drift.
        m_pane->select(QStringLiteral("order-totals"));
        QTRY_COMPARE_WITH_TIMEOUT(m_pane->currentName(), QStringLiteral("order-totals"), 15000);
        views::ProjectionCompareView *compare = m_pane->detail()->compare();
        m_pane->detail()->tabs()->setCurrentWidget(compare);
        // Folded locally with the source as it should be (the one the demo ships beside its reducer).
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("demo-order-totals.projection.js")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray::fromStdString(sandbox::demoOrderTotalsSource()));
        file.close();
        compare->setLocalSourceFile(file.fileName());
        QVERIFY(compare->startButton()->isEnabled());

        // Cancel stops it, and says so.
        QTest::mouseClick(compare->startButton(), Qt::LeftButton);
        QVERIFY(compare->isRunning() && compare->cancelButton()->isEnabled());
        QTest::mouseClick(compare->cancelButton(), Qt::LeftButton);
        QVERIFY(!compare->isRunning());
        QVERIFY(compare->startButton()->isEnabled());
        QVERIFY(compare->summaryLabel()->text().startsWith(QLatin1String("Cancelled")));

        QSignalSpy finished(compare, &views::ProjectionCompareView::finished);
        QTest::mouseClick(compare->startButton(), Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        const projections::ProjectionCompareReport &report = compare->report();
        QVERIFY2(report.complete(), qPrintable(report.problem + report.error.toString()));
        QVERIFY2(report.counts.different > 0, qPrintable(compare->summaryLabel()->text()));
        QVERIFY(report.counts.equal > 0);
        QVERIFY(compare->summaryLabel()->text().contains(QStringLiteral("%1 different").arg(report.counts.different)));
        QVERIFY(report.definition.differs);
        QVERIFY(compare->summaryLabel()->text().contains(QLatin1String("Definition drift")));
        // "Not equal" shows only the differing partitions; every one is listed.
        QTreeWidget *list = compare->partitions();
        QCOMPARE(quint64(list->topLevelItemCount()), report.counts.partitions);
        int shown = 0;
        QTreeWidgetItem *different = nullptr;
        for (int i = 0; i < list->topLevelItemCount(); ++i) {
            QTreeWidgetItem *item = list->topLevelItem(i);
            shown += item->isHidden() ? 0 : 1;
            if (!different && item->text(views::ProjectionCompareView::ResultColumn) == QLatin1String("different"))
                different = item;
        }
        QCOMPARE(quint64(shown), report.counts.differing());
        QVERIFY(different);

        // Choosing it shows the server's state against the local fold in the diff pane.
        list->setCurrentItem(different);
        DiffPane *diff = m_window->panes().diff->pane();
        QTRY_COMPARE(diff->mode(), DiffPane::Mode::Projection);
        QVERIFY2(diff->titleLabel()->text().contains(different->text(0)), qPrintable(diff->titleLabel()->text()));
        QString rows;
        for (int i = 0; i < diff->tree()->topLevelItemCount(); ++i)
            rows += diff->tree()->topLevelItem(i)->text(0) + QLatin1Char(' ');
        QVERIFY2(rows.contains(QLatin1String("paid")) || rows.contains(QLatin1String("refunded")), qPrintable(rows));
        if (const QString dir = qEnvironmentVariable("CHRONOSCOPE_SCREENSHOTS"); !dir.isEmpty()) {
            QTest::qWait(500);
            QVERIFY(m_window->grab().save(QDir(dir).filePath(QStringLiteral("projections-compare.png"))));
        }
    }

    void stallAndFaultFlagged()
    {
        QSpinBox *stall = m_pane->stallSpin();
        stall->setValue(2);
        QCOMPARE(QSettings().value(ProjectionsPane::stallSettingKey()).toInt(), 2);
        QVERIFY(m_client
                    ->createContinuous(QStringLiteral("throws-on-refund"),
                                       QStringLiteral("fromAll().when({ $init: function () { return {}; }, "
                                                      "ProjectionTestBoom: function () { throw new Error('refund "
                                                      "without payment'); } });"))
                    .error.kind
                == ClientError::Kind::None);
        sandbox::UserProjections *user = m_server.store().userProjections();
        QVERIFY(user->waitIdle(10000));
        QVERIFY(user->setWedged("per-order", true));
        // `$all` moves on: new order events the wedged projection never reads, and one that faults the other.
        for (int i = 0; i < 5; ++i)
            QVERIFY(!m_server.store()
                         .append("order-stall-" + std::to_string(i), sandbox::EventStore::Expected::Any, 0,
                                 {orderEvent(i == 4 ? "ProjectionTestBoom" : "OrderNoted")})
                         .error);
        const ProjectionListModel *model = m_pane->model();
        auto health = [model](const QString &name) {
            return model->data(model->index(model->rowOf(name), 0), ProjectionListModel::HealthRole).toInt();
        };
        QTRY_COMPARE_WITH_TIMEOUT(health(QStringLiteral("per-order")), int(ProjectionHealth::Kind::Stalled), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(health(QStringLiteral("throws-on-refund")), int(ProjectionHealth::Kind::Faulted),
                                  15000);
        const int row = rowOf(QStringLiteral("per-order"));
        QCOMPARE(cell(model, row, ProjectionListModel::Status), QStringLiteral("Running")); // the server says so
        QVERIFY(cell(model, row, ProjectionListModel::Name, Qt::ToolTipRole).contains(QLatin1String("stalled")));
        QVERIFY(model->data(model->index(row, ProjectionListModel::Name), Qt::BackgroundRole).isValid());
        QVERIFY(!model->data(model->index(row, ProjectionListModel::Name), Qt::DecorationRole).isNull());
        QVERIFY(cell(model, row, ProjectionListModel::LagEvents).toLongLong() >= 5);
        QVERIFY(cell(model, rowOf(QStringLiteral("throws-on-refund")), ProjectionListModel::Name, Qt::ToolTipRole)
                    .contains(QLatin1String("refund without payment")));
        QToolButton *button = m_window->projections()->healthButton();
        QTRY_VERIFY(button->isVisible());
        QVERIFY2(button->text().contains(QLatin1String("1 projection stalled"))
                     && button->text().contains(QLatin1String("1 projection faulted")),
                 qPrintable(button->text()));
        if (const QString dir = qEnvironmentVariable("CHRONOSCOPE_SCREENSHOTS"); !dir.isEmpty()) {
            m_window->projections()->reveal();
            m_pane->select(QStringLiteral("per-order"));
            QTest::qWait(1500);
            QVERIFY(m_window->grab().save(QDir(dir).filePath(QStringLiteral("projections-stalled.png"))));
        }

        // Unwedged, it catches up and is healthy again; the faulted one stays flagged.
        QVERIFY(user->setWedged("per-order", false));
        QTRY_COMPARE_WITH_TIMEOUT(health(QStringLiteral("per-order")), int(ProjectionHealth::Kind::Healthy), 15000);
        QTRY_VERIFY(!button->text().contains(QLatin1String("stalled")));
        QVERIFY(button->text().contains(QLatin1String("faulted")));
    }

    void hiddenPaneLooksOnlyAtHealth()
    {
        // A projection stopped at the start of the log, as a stopped system projection of a real server is:
        // each full look counts the records after it (up to the cap).
        QVERIFY(!m_client
                     ->createContinuous(QStringLiteral("behind"),
                                        QStringLiteral("fromAll().when({ $init: function () { return { n: 0 }; }, "
                                                       "$any: function (s) { s.n += 1; return s; } });"))
                     .error);
        QVERIFY(!m_client->disable(QStringLiteral("behind")).error);
        QVERIFY(!m_client->reset(QStringLiteral("behind")).error);
        ProjectionMonitor *monitor = m_pane->monitor();
        auto look = [monitor](qint64 *ms) {
            QTRY_VERIFY_WITH_TIMEOUT(!monitor->isRefreshing(), 10000);
            QSignalSpy updated(monitor, &ProjectionMonitor::updated);
            QElapsedTimer timer;
            timer.start();
            monitor->refresh();
            QVERIFY(updated.wait(10000));
            *ms = timer.elapsed();
        };
        m_window->projections()->reveal();
        QTRY_VERIFY_WITH_TIMEOUT(monitor->snapshot().row(QStringLiteral("behind"))
                                     && monitor->snapshot().row(QStringLiteral("behind"))->lag.atLeast,
                                 10000);
        qint64 fullMs = 0;
        look(&fullMs);
        const ProjectionSnapshot full = monitor->snapshot();
        QVERIFY(full.lagRead);
        QVERIFY(full.recordsRead > quint64(ProjectionMonitor::kLagCountCap));

        // Hidden: only what the status bar needs — Statistics and the head of $all.
        m_window->projections()->hide();
        QVERIFY(monitor->isHealthOnly());
        QTRY_VERIFY_WITH_TIMEOUT(!monitor->snapshot().lagRead, 10000);
        qint64 healthMs = 0;
        look(&healthMs);
        const ProjectionSnapshot light = monitor->snapshot();
        QVERIFY(!light.lagRead);
        QCOMPARE(light.reads, 1);
        QVERIFY(light.recordsRead <= 1);
        QVERIFY(light.row(QStringLiteral("behind"))->lag.atLeast); // the last full look's, kept
        QCOMPARE(light.count(ProjectionHealth::Kind::Faulted), 1); // the status bar still knows
        QVERIFY(m_window->projections()->healthButton()->text().contains(QLatin1String("faulted")));
        qInfo("projection monitor look: full %d reads, %llu records, %lld ms; hidden %d reads, %llu records, %lld ms",
              full.reads, full.recordsRead, fullMs, light.reads, light.recordsRead, healthMs);

        // Shown again, it looks in full at once.
        m_window->projections()->reveal();
        QVERIFY(!monitor->isHealthOnly());
        QTRY_VERIFY_WITH_TIMEOUT(monitor->snapshot().lagRead, 10000);
    }
};

QTEST_MAIN(TestProjectionsPane)
#include "tst_projectionspane.moc"
