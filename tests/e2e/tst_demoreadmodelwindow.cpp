// Issue 14's "Done when", end to end through the real window on the demo: `--demo` starts its PostgreSQL and
// Redis (DemoReadModels, as the application does; PostgreSQL as the `postgres` user when root), the Drift
// Report dock's scan finds exactly the orders the history's seed drifted (DemoReadModelData: its own list, no
// false positives), activating a drifted order opens its stream, and the Read Model dock shows its row beside
// the fold with exactly the fields that differ and since which event — the revision the seed implies. With
// CHRONOSCOPE_SCREENSHOT_DIR set, the flow is saved as PNGs there (run under xvfb-run for real fonts).
#include "DemoReadModels.h"
#include "DemoReducer.h"
#include "InspectorDocks.h"
#include "MainWindow.h"
#include "Panes.h"
#include "ReadModelDocks.h"
#include "ReadModelLagDock.h"
#include "StateDocks.h"
#include "demo/DemoReadModel.h"
#include "readmodel/DriftReportView.h"
#include "readmodel/ReadModelLagChart.h"
#include "readmodel/RowBesideFoldView.h"
#include "readmodel/local/LocalPostgres.h"
#include "readmodel/local/LocalRedis.h"
#include "readmodel/local/ServerProcess.h"
#include "reducer/ReducerEditor.h"
#include "session/TimelineSession.h"
#include "state/DiffPane.h"
#include "timeline/TimelineIndex.h"

#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMutex>
#include <QPushButton>
#include <QSemaphore>
#include <QSettings>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace chronoscope;

namespace {

/// The demo reducer's field for a column of the demo mappings.
QString pathOf(const QString &id, const QString &column)
{
    static const QHash<QString, QString> fields{{QStringLiteral("status"), QStringLiteral("status")},
                                                {QStringLiteral("customer_id"), QStringLiteral("customerId")},
                                                {QStringLiteral("currency"), QStringLiteral("currency")},
                                                {QStringLiteral("total_cents"), QStringLiteral("total")},
                                                {QStringLiteral("lines"), QStringLiteral("lines")}};
    return QStringLiteral("/orders/order-%1/%2").arg(id, fields.value(column, column));
}

QStringList pathsOf(const DemoDrift &d)
{
    QStringList out;
    for (const QString &c : d.columns)
        out.append(pathOf(d.id, c));
    std::sort(out.begin(), out.end());
    return out;
}

QString kindOf(const DemoDrift &d)
{
    return d.withoutEvents ? QStringLiteral("row-without-events")
        : d.missing        ? QStringLiteral("missing-row")
                           : QStringLiteral("different");
}

void screenshot(QWidget *window, const QString &name)
{
    const QString dir = qEnvironmentVariable("CHRONOSCOPE_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QTest::qWait(300); // the last layout and paint
    window->grab().save(dir + QLatin1Char('/') + name);
}

} // namespace

class TestDemoReadModelWindow : public QObject
{
    Q_OBJECT

    DemoHistory::Options m_history;
    DemoReadModelData m_expected;

    /// Shows `window` and starts the demo in it, with its read models: the application's own `--demo`.
    void startDemo(MainWindow &window)
    {
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.startDemo(m_history, false);
        QTRY_VERIFY_WITH_TIMEOUT(window.isSettled() && window.client(), 90000);
        QTRY_VERIFY_WITH_TIMEOUT(window.readModels()->endpoints()->names().size() == 2, 30000);
    }

    /// Scans `mapping` in the Drift Report dock and checks the report is exactly the seed's drift.
    void scanFindsExactly(MainWindow &window, const QString &mapping, const std::vector<DemoDrift> &expected)
    {
        views::DriftReportView *drift = window.readModels()->driftView();
        QComboBox *box = drift->mappingBox();
        const int index = box->findText(mapping + QStringLiteral(" — "), Qt::MatchStartsWith);
        QVERIFY2(index >= 0, qPrintable(mapping));
        box->setCurrentIndex(index);
        QTest::mouseClick(drift->findChild<QPushButton *>(QStringLiteral("driftRun")), Qt::LeftButton);
        QVERIFY(drift->isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(!drift->isRunning(), 60000);
        QVERIFY2(drift->report() && drift->report()->complete(), qPrintable(drift->statusText()));
        QCOMPARE(drift->report()->counts.unreadable, quint64(0));
        QVERIFY(drift->report()->counts.equal > 50);
        // The table, row by row (sorted by id, as the seed's list): the aggregate, its kind and its paths.
        QTableWidget *table = drift->table();
        QCOMPARE(table->rowCount(), int(expected.size()));
        for (int r = 0; r < table->rowCount(); ++r) {
            const DemoDrift &d = expected.at(size_t(r));
            QCOMPARE(table->item(r, 0)->text(), QStringLiteral("order-") + d.id);
            QCOMPARE(table->item(r, 1)->text(), kindOf(d));
            QStringList paths = d.missing || d.withoutEvents ? QStringList()
                                                             : table->item(r, 3)->text().split(QStringLiteral(", "));
            std::sort(paths.begin(), paths.end());
            QCOMPARE(paths, pathsOf(d));
        }
    }

    /// Activates `d` in the report's table (Enter) and checks the Read Model dock: its row beside the fold.
    void openFromReport(MainWindow &window, const DemoDrift &d, const QString &mapping)
    {
        QTableWidget *table = window.readModels()->driftView()->table();
        const QList<QTableWidgetItem *> items = table->findItems(QStringLiteral("order-") + d.id, Qt::MatchExactly);
        QCOMPARE(items.size(), 1);
        table->setFocus();
        table->setCurrentCell(items.first()->row(), 0);
        QTest::keyClick(table->viewport(), Qt::Key_Return);
        TimelineSession *session = window.session();
        const QByteArray stream = "order-" + d.id.toUtf8();
        QTRY_VERIFY_WITH_TIMEOUT(session->stream() == stream && !session->isLoading(), 30000);
        QVERIFY(window.panes().readModel->isVisible());
        views::RowBesideFoldView *row = window.readModels()->rowView();
        // The dock shows the mapping the report was about (the first of the category unless chosen).
        const int index = row->mappingBox()->findText(mapping + QStringLiteral(" ("), Qt::MatchStartsWith);
        QVERIFY(index >= 0);
        if (row->mappingBox()->currentIndex() != index) {
            QTRY_VERIFY_WITH_TIMEOUT(!row->isBusy(), 30000);
            row->mappingBox()->setCurrentIndex(index);
            Q_EMIT row->mappingBox()->activated(index);
        }
        QTRY_VERIFY_WITH_TIMEOUT(row->result() && row->result()->aggregateId == d.id
                                     && row->result()->mapping == mapping && !row->isBusy(),
                                 30000);
        const readmodel::RowBesideFold &r = *row->result();
        QVERIFY2(!r.rowError, qPrintable(row->statusText()));
        if (d.missing) {
            QVERIFY(!r.found);
            QVERIFY2(row->statusText().startsWith(QStringLiteral("Missing row")), qPrintable(row->statusText()));
            return;
        }
        QVERIFY2(r.found && r.error.isEmpty(), qPrintable(row->statusText()));
        // Exactly the fields that differ, in the dock's table too.
        QStringList paths;
        for (const readmodel::PathAgreement &p : r.agreement.paths)
            paths.append(p.path);
        std::sort(paths.begin(), paths.end());
        QCOMPARE(paths, pathsOf(d));
        QCOMPARE(row->pathsTable()->rowCount(), int(d.columns.size()));
        // Since which event: the revision the seed implies, named with its event type.
        QCOMPARE(row->sinceRevision(), d.sinceRevision);
        if (d.sinceRevision) {
            QCOMPARE(r.agreement.verdict, readmodel::AgreementResult::Verdict::Since);
            QCOMPARE(session->index().typeName(*r.agreement.sinceOrdinal()), d.sinceType);
            QVERIFY2(row->sinceText().contains(QString::fromUtf8(d.sinceType)), qPrintable(row->sinceText()));
            QVERIFY(row->jumpButton()->isVisible());
        } else {
            QCOMPARE(r.agreement.verdict, readmodel::AgreementResult::Verdict::Never);
            QVERIFY(!row->jumpButton()->isVisible());
        }
    }

    /// The cursor-vs-row diff is computed off the GUI thread, and in order: the answer for a cursor held back
    /// on the worker never replaces the answer for a newer cursor. `d` is open, with a "since" revision.
    void cursorDiffInOrder(MainWindow &window, const DemoDrift &d)
    {
        views::RowBesideFoldView *row = window.readModels()->rowView();
        DiffPane *diff = window.panes().diff->pane();
        const QByteArray stream = "order-" + d.id.toUtf8();
        const engine::TimelineIndex &index = window.session()->index();
        const qint64 agree = qint64(*d.sinceRevision) - 1; // the cursor on the last event the row reflects
        const qint64 head = qint64(index.size()) - 1;
        const qint64 other = agree > 0 ? 0 : agree + 1; // a third cursor, neither of the two
        QVERIFY(agree >= 0 && agree < head && other < head && other != agree);
        const auto moveTo = [&](qint64 ordinal) {
            window.openStreamAt(stream, qint64(index.revision(quint64(ordinal))));
        };
        row->setCompare(views::RowBesideFoldView::Compare::CursorVsRow);
        // The agreeing cursor on its own: shown agreeing.
        moveTo(agree);
        QTRY_COMPARE_WITH_TIMEOUT(row->cursorOrdinal(), agree, 20000);
        QTRY_VERIFY2(diff->messageText().contains(QStringLiteral("agree on every mapped field")),
                     qPrintable(diff->messageText()));
        // The head's answer held back on the worker; the next cursor's is shown; the head's, released, is dropped.
        QSemaphore gate;
        QMutex mutex;
        QList<qint64> seen;
        std::atomic<bool> onGuiThread{false};
        QThread *gui = QThread::currentThread();
        row->setWorkHookForTests([&](qint64 ordinal) {
            onGuiThread = onGuiThread || QThread::currentThread() == gui;
            {
                const QMutexLocker lock(&mutex);
                seen.append(ordinal);
            }
            if (ordinal == head)
                gate.tryAcquire(1, 20000); // held until the newer cursor is shown
        });
        const auto saw = [&](qint64 ordinal) {
            const QMutexLocker lock(&mutex);
            return seen.contains(ordinal);
        };
        moveTo(head);
        QTRY_VERIFY_WITH_TIMEOUT(saw(head), 20000);
        moveTo(other);
        QTRY_COMPARE_WITH_TIMEOUT(row->cursorOrdinal(), other, 10000); // not waiting for the held one
        QTRY_VERIFY2(diff->messageText().isEmpty(), qPrintable(diff->messageText()));
        gate.release(); // the older cursor's answer comes now: it must be dropped
        QTest::qWait(1000);
        QCOMPARE(row->cursorOrdinal(), other);
        QVERIFY(!onGuiThread);
        row->setWorkHookForTests({});
        row->setCompare(views::RowBesideFoldView::Compare::HeadVsRow);
    }

    /// Scans `mapping` and expects it to fail with one of `kinds` (and `words`) said in the dock, and no drift shown.
    static void scanFails(MainWindow &window, const QString &mapping, const QStringList &kinds,
                          const QString &words = {})
    {
        views::DriftReportView *drift = window.readModels()->driftView();
        const int index = drift->mappingBox()->findText(mapping + QStringLiteral(" — "), Qt::MatchStartsWith);
        QVERIFY2(index >= 0, qPrintable(mapping));
        drift->mappingBox()->setCurrentIndex(index);
        QTest::mouseClick(drift->findChild<QPushButton *>(QStringLiteral("driftRun")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!drift->isRunning(), 60000);
        QVERIFY(drift->report() && !drift->report()->complete());
        const QString status = drift->statusText();
        QVERIFY2(std::any_of(kinds.begin(), kinds.end(), [&](const QString &k) { return status.contains(k); })
                     && status.contains(words),
                 qPrintable(status));
        QCOMPARE(drift->table()->rowCount(), 0); // a failed scan is no "every order is missing its row"
    }

    /// Opens `stream` and expects the Read Model dock to say it cannot read its row through `mapping`, with `kind`.
    static void rowFails(MainWindow &window, const QByteArray &stream, const QString &mapping, const QString &kind)
    {
        views::RowBesideFoldView *row = window.readModels()->rowView();
        window.openStream(stream);
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->stream() == stream && !window.session()->isLoading()
                                     && window.session()->index().size() > 0,
                                 30000);
        const int index = row->mappingBox()->findText(mapping + QStringLiteral(" ("), Qt::MatchStartsWith);
        QVERIFY(index >= 0);
        row->mappingBox()->setCurrentIndex(index);
        Q_EMIT row->mappingBox()->activated(index);
        QTRY_VERIFY_WITH_TIMEOUT(row->result() && row->result()->mapping == mapping && !row->isBusy(), 30000);
        QVERIFY2(row->statusText().startsWith(QStringLiteral("Cannot read the row"))
                     && row->statusText().contains(kind),
                 qPrintable(row->statusText()));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        if (const QString why = readmodel::local::LocalPostgres::missingReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        if (const QString why = readmodel::local::LocalRedis::missingReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        m_history.eventCount = 6000;
        m_expected = DemoReadModelData::build(m_history);
        QCOMPARE(int(m_expected.tableDetails.size()), int(m_expected.tableDrift.size()));
        QCOMPARE(int(m_expected.summaryDetails.size()), int(m_expected.summaryDrift.size()));
    }

    void findOpenAndSince()
    {
        MainWindow window;
        startDemo(window);
        if (QTest::currentTestFailed())
            return;

        // The table: every drifted order, the rows of no order, nothing else.
        window.panes().drift->show();
        window.panes().drift->raise();
        scanFindsExactly(window, QStringLiteral("orders"), m_expected.tableDetails);
        if (QTest::currentTestFailed())
            return;
        const auto first = [this](auto pred) {
            const auto it = std::find_if(m_expected.tableDetails.begin(), m_expected.tableDetails.end(), pred);
            return it == m_expected.tableDetails.end() ? nullptr : &*it;
        };
        const DemoDrift *since = first([](const DemoDrift &d) { return d.sinceRevision.has_value(); });
        const DemoDrift *missing = first([](const DemoDrift &d) { return d.missing; });
        QVERIFY2(since && missing, "the seed has a stale row and a missing one");
        const int sinceRow = window.readModels()
                                 ->driftView()
                                 ->table()
                                 ->findItems(QStringLiteral("order-") + since->id, Qt::MatchExactly)
                                 .first()
                                 ->row();
        window.readModels()->driftView()->table()->selectRow(sinceRow);
        window.resizeDocks(QList<QDockWidget *>{window.panes().events, window.panes().drift}, {140, 560}, Qt::Vertical);
        screenshot(&window, QStringLiteral("demo-drift-report.png"));

        // Open one: its row beside the fold, the fields that differ, since which event.
        openFromReport(window, *since, QStringLiteral("orders"));
        if (QTest::currentTestFailed())
            return;
        window.panes().diff->show();
        window.resizeDocks(QList<QDockWidget *>{window.panes().events, window.panes().readModel}, {140, 560},
                           Qt::Vertical);
        window.resizeDocks(QList<QDockWidget *>{window.panes().streams, window.panes().readModel, window.panes().diff},
                           {180, 640, 440}, Qt::Horizontal);
        screenshot(&window, QStringLiteral("demo-row-beside-fold.png"));
        cursorDiffInOrder(window, *since);
        if (QTest::currentTestFailed())
            return;
        // Every other drifted order of the table says the same as the seed (a missing row said so).
        for (const DemoDrift &d : m_expected.tableDetails)
            if (!d.withoutEvents && &d != since) {
                window.panes().drift->raise();
                openFromReport(window, d, QStringLiteral("orders"));
                if (QTest::currentTestFailed())
                    return;
            }
        Q_UNUSED(missing);

        // The lag chart: both models, in name order whichever was sampled first, each in a colour of its own.
        auto *lag = qobject_cast<ReadModelLagDock *>(window.panes().readModelLag);
        QVERIFY(lag);
        QTRY_VERIFY_WITH_TIMEOUT(lag->chart()->sampleCount(QStringLiteral("orders")) > 0
                                     && lag->chart()->sampleCount(QStringLiteral("order-summary")) > 0,
                                 30000);
        QCOMPARE(lag->chart()->legendEntries(),
                 (QStringList{QStringLiteral("order-summary"), QStringLiteral("orders")}));
        QVERIFY(lag->chart()->colourOf(QStringLiteral("orders"))
                != lag->chart()->colourOf(QStringLiteral("order-summary")));

        // The Redis summary: the same, through the other mapping.
        window.panes().drift->raise();
        scanFindsExactly(window, QStringLiteral("order-summary"), m_expected.summaryDetails);
        if (QTest::currentTestFailed())
            return;
        for (const DemoDrift &d : m_expected.summaryDetails) {
            window.panes().drift->raise();
            openFromReport(window, d, QStringLiteral("order-summary"));
            if (QTest::currentTestFailed())
                return;
        }
    }

    void failuresAreSaidAndNothingElseIsLost();
};

// Each failure is said in the dock that met it, and the rest goes on: a refused query, an unreachable server,
// a server that died.
void TestDemoReadModelWindow::failuresAreSaidAndNothingElseIsLost()
{
    MainWindow window;
    startDemo(window);
    if (QTest::currentTestFailed())
        return;
    auto *demo = window.findChild<DemoReadModels *>();
    QVERIFY(demo);
    window.panes().drift->show();
    window.panes().drift->raise();
    const QByteArray drifted = "order-" + m_expected.tableDrift.first().toUtf8();

    // Unreachable: the endpoint moved to a port nobody listens on.
    ReadModelEndpoint pgEndpoint;
    for (const ReadModelEndpoint &e : demo->endpoints())
        if (e.backend == ReadModelEndpoint::Backend::PostgreSql)
            pgEndpoint = e;
    ReadModelEndpoint nowhere = pgEndpoint;
    nowhere.port = readmodel::local::freeLoopbackPort(); // nothing listens there
    window.readModels()->endpoints()->addInMemory(nowhere, demo->password(pgEndpoint.name));
    scanFails(window, QStringLiteral("orders"), {QStringLiteral("unreachable")}, QStringLiteral("refused"));
    if (QTest::currentTestFailed())
        return;
    rowFails(window, drifted, QStringLiteral("orders"), QStringLiteral("unreachable"));
    if (QTest::currentTestFailed())
        return;
    window.readModels()->endpoints()->addInMemory(pgEndpoint, demo->password(pgEndpoint.name));
    scanFindsExactly(window, QStringLiteral("orders"), m_expected.tableDetails); // back: nothing was lost
    if (QTest::currentTestFailed())
        return;

    // A refused query: the demo reducer with a misspelt column, folding as before.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString error;
    const QString demoReducer = DemoReducer::install(&error);
    QVERIFY2(!demoReducer.isEmpty(), qPrintable(error));
    QFile in(demoReducer);
    QVERIFY(in.open(QIODevice::ReadOnly));
    QJsonObject file = QJsonDocument::fromJson(in.readAll()).object();
    QJsonObject models = file.value(QStringLiteral("readModels")).toObject();
    QJsonObject orders = models.value(QStringLiteral("orders")).toObject();
    orders.insert(QStringLiteral("scan"), QStringLiteral("SELECT order_id, totl FROM orders"));
    orders.insert(QStringLiteral("row"), QStringLiteral("SELECT order_id, totl FROM orders WHERE order_id = $1"));
    models.insert(QStringLiteral("orders"), orders);
    file.insert(QStringLiteral("readModels"), models);
    const QString broken = dir.filePath(QStringLiteral("broken.reducer.json"));
    QFile out(broken);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(QJsonDocument(file).toJson());
    out.close();
    const QString projection = file.value(QStringLiteral("projectionFile")).toString();
    QVERIFY(QFile::copy(QFileInfo(demoReducer).dir().filePath(projection), dir.filePath(projection)));
    window.panes().reducer->editor()->openFile(broken, true);
    QTRY_VERIFY_WITH_TIMEOUT(window.workspace()->fold()->reducer().file == broken, 20000);
    window.panes().drift->raise();
    scanFails(window, QStringLiteral("orders"), {QStringLiteral("query-failed")},
              QStringLiteral("column \"totl\" does not exist"));
    if (QTest::currentTestFailed())
        return;
    rowFails(window, drifted, QStringLiteral("orders"), QStringLiteral("query-failed"));
    if (QTest::currentTestFailed())
        return;
    window.panes().reducer->editor()->openFile(demoReducer, true);
    QTRY_VERIFY_WITH_TIMEOUT(window.workspace()->fold()->reducer().file == demoReducer, 20000);

    // A server that died: Redis killed; its scan says so, PostgreSQL's still finds the drift.
    QVERIFY(demo->redisPid() > 0);
    QCOMPARE(::kill(pid_t(demo->redisPid()), SIGKILL), 0);
    window.panes().drift->raise();
    // Refused, or reset while the dying server still held its socket: either is said as what it is.
    scanFails(window, QStringLiteral("order-summary"), {QStringLiteral("unreachable"), QStringLiteral("server-gone")});
    if (QTest::currentTestFailed())
        return;
    scanFindsExactly(window, QStringLiteral("orders"), m_expected.tableDetails);
}

QTEST_MAIN(TestDemoReadModelWindow)
#include "tst_demoreadmodelwindow.moc"
