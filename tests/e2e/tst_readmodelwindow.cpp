// Read models through the real window (issue 14 items 3 and 4), against a sandbox and a real PostgreSQL
// started here: the orders table is written from the events, then drifted on purpose; the drift report finds
// exactly those orders, exports them, and a click opens one with its row beside the fold, the fields that
// disagree and since which event — and the cursor jumps there. With CHRONOSCOPE_SCREENSHOT_DIR set, the two
// docks are saved as PNGs there (run under xvfb-run for real fonts).
#include "InspectorDocks.h"
#include "MainWindow.h"
#include "ReadModelDocks.h"
#include "StateDocks.h"
#include "connection/ConnectionStatus.h"
#include "readmodel/DriftReportView.h"
#include "readmodel/RowBesideFoldView.h"
#include "reducer/ReducerEditor.h"
#include "state/DiffPane.h"
#include "support/DemoOrdersTable.h"
#include "support/DemoSandbox.h"
#include "support/PostgresServer.h"
#include "timeline/TimelineIndex.h"

#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace chronoscope;

namespace {

QString sql(const QString &v)
{
    return QLatin1Char('\'') + QString(v).replace(QLatin1Char('\''), QStringLiteral("''")) + QLatin1Char('\'');
}

int rowOf(const QTableWidget *table, const QString &text)
{
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, 0) && table->item(r, 0)->text() == text)
            return r;
    return -1;
}

void screenshot(QWidget *window, const QString &name)
{
    const QString dir = qEnvironmentVariable("CHRONOSCOPE_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QTest::qWait(300); // let the last layout and paint happen
    window->grab().save(dir + QLatin1Char('/') + name);
}

} // namespace

class TestReadModelWindow : public QObject
{
    Q_OBJECT

    DemoSandbox m_sandbox;
    PostgresServer m_pg;
    QTemporaryDir m_dir;
    QString m_reducer;
    QString m_shipped;  ///< its row lost its carrier: the read model missed OrderShipped
    QString m_currency; ///< its row has another currency: never equal
    QString m_gone;     ///< its row was deleted
    int m_orders = 0;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        if (const QString why = PostgresServer::missingReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        QVERIFY2(m_sandbox.start(4000), qPrintable(m_sandbox.error()));
        QVERIFY2(m_pg.start(), qPrintable(m_pg.error()));
        const StreamsClient client(m_sandbox.settings());
        const demoorders::Table table = demoorders::create(client, m_pg);
        QVERIFY2(table.error.isEmpty(), qPrintable(table.error));
        m_orders = int(table.orders.size());
        for (const QString &id : table.orders) {
            const bool hasCarrier = table.states.value(id).contains(QStringLiteral("carrier"));
            if (hasCarrier && m_shipped.isEmpty())
                m_shipped = id;
            else if (hasCarrier && m_currency.isEmpty())
                m_currency = id;
            else if (!hasCarrier && m_gone.isEmpty())
                m_gone = id;
        }
        QVERIFY(!m_shipped.isEmpty() && !m_currency.isEmpty() && !m_gone.isEmpty());
        const QString drift = QStringLiteral("UPDATE orders SET carrier = NULL WHERE order_id = %1;\n"
                                             "UPDATE orders SET currency = 'XXX' WHERE order_id = %2;\n"
                                             "DELETE FROM orders WHERE order_id = %3;\n"
                                             "INSERT INTO orders (order_id, currency) VALUES ('ghost-1', 'EUR');\n")
                                  .arg(sql(m_shipped), sql(m_currency), sql(m_gone));
        QString out;
        QVERIFY2(m_pg.psql(drift, &out), qPrintable(out));

        QVERIFY(m_dir.isValid());
        m_reducer = m_dir.filePath(QStringLiteral("orders.reducer.json"));
        QFile f(m_reducer);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"name": "orders with read model", "kind": "merge", "readModels": {"orders": )"
                + demoorders::mapping() + "}}");
    }

    void scanOpenAndSince()
    {
        MainWindow window;
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.connectTo(m_sandbox.settings());
        auto *status = window.findChild<views::ConnectionStatus *>();
        QTRY_VERIFY_WITH_TIMEOUT(status->state() == views::ConnectionStatus::State::Connected, 30000);
        // The demo engineer's local database, or a profile's endpoint: here in memory, password included.
        window.readModels()->endpoints()->addInMemory(demoorders::endpoint(m_pg), m_pg.password());
        window.panes().reducer->editor()->openFile(m_reducer, true);
        FoldController *fold = window.workspace()->fold();
        QTRY_VERIFY_WITH_TIMEOUT(fold->reducer().file == m_reducer, 20000);

        // The drift report: scan, counts, the table.
        views::DriftReportView *drift = window.readModels()->driftView();
        window.panes().drift->show();
        window.panes().drift->raise();
        QTRY_COMPARE(drift->mappingBox()->count(), 1);
        QTest::mouseClick(drift->findChild<QPushButton *>(QStringLiteral("driftRun")), Qt::LeftButton);
        QVERIFY(drift->isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(!drift->isRunning(), 60000);
        QVERIFY2(drift->report() && drift->report()->complete(), qPrintable(drift->statusText()));
        const readmodel::DriftCounts &c = drift->report()->counts;
        QCOMPARE(c.different, quint64(2));
        QCOMPARE(c.missingRow, quint64(1));
        QCOMPARE(c.rowWithoutEvents, quint64(1));
        QCOMPARE(c.unreadable, quint64(0));
        QCOMPARE(c.equal, quint64(m_orders - 3));
        QVERIFY2(drift->countsText().contains(QStringLiteral("<b>2</b> different")), qPrintable(drift->countsText()));
        QTableWidget *table = drift->table();
        QCOMPARE(table->rowCount(), 4);
        const int shippedRow = rowOf(table, QStringLiteral("order-") + m_shipped);
        QVERIFY(shippedRow >= 0);
        QCOMPARE(table->item(shippedRow, 1)->text(), QStringLiteral("different"));
        QCOMPARE(table->item(shippedRow, 3)->text(), QStringLiteral("/state/carrier"));
        QCOMPARE(table->item(rowOf(table, QStringLiteral("order-") + m_currency), 3)->text(),
                 QStringLiteral("/state/currency"));
        QCOMPARE(table->item(rowOf(table, QStringLiteral("order-") + m_gone), 1)->text(),
                 QStringLiteral("missing-row"));
        QCOMPARE(table->item(rowOf(table, QStringLiteral("order-ghost-1")), 1)->text(),
                 QStringLiteral("row-without-events"));

        // Exported as JSON and CSV by the CLI's writer.
        QString error;
        const QString json = m_dir.filePath(QStringLiteral("drift.json")),
                      csv = m_dir.filePath(QStringLiteral("d.csv"));
        QVERIFY2(drift->exportTo(json, QStringLiteral("json"), &error), qPrintable(error));
        QVERIFY2(drift->exportTo(csv, QStringLiteral("csv"), &error), qPrintable(error));
        QFile jf(json), cf(csv);
        QVERIFY(jf.open(QIODevice::ReadOnly) && cf.open(QIODevice::ReadOnly));
        const QJsonObject doc = QJsonDocument::fromJson(jf.readAll()).object();
        QCOMPARE(doc[QStringLiteral("drifts")].toArray().size(), 4);
        QCOMPARE(doc[QStringLiteral("summary")][QStringLiteral("different")].toInt(), 2);
        const QString csvText = QString::fromUtf8(cf.readAll());
        QVERIFY2(csvText.contains(m_shipped + QStringLiteral(",order-") + m_shipped
                                  + QStringLiteral(",different,/state/carrier,")),
                 qPrintable(csvText));
        table->selectRow(shippedRow);
        window.resizeDocks(QList<QDockWidget *>{window.panes().events, window.panes().drift}, {140, 560}, Qt::Vertical);
        screenshot(&window, QStringLiteral("drift-report.png"));

        // A click on the drifted order opens it, with its row beside the fold.
        views::RowBesideFoldView *row = window.readModels()->rowView();
        table->setFocus();
        table->setCurrentCell(shippedRow, 0);
        QTest::keyClick(table->viewport(), Qt::Key_Return);
        TimelineSession *session = window.session();
        const QByteArray stream = (QStringLiteral("order-") + m_shipped).toUtf8();
        QTRY_VERIFY_WITH_TIMEOUT(session->stream() == stream && !session->isLoading(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(row->result() && row->result()->aggregateId == m_shipped && !row->isBusy(), 30000);
        QVERIFY(window.panes().readModel->isVisible());
        const readmodel::RowBesideFold &r = *row->result();
        QVERIFY2(r.found && !r.rowError, qPrintable(row->statusText()));
        QCOMPARE(r.agreement.verdict, readmodel::AgreementResult::Verdict::Since);
        QCOMPARE(r.agreement.paths.size(), 1);
        QCOMPARE(r.agreement.paths.at(0).path, QStringLiteral("/state/carrier"));
        QVERIFY(r.agreement.paths.at(0).row.isUndefined());
        QVERIFY(r.agreement.paths.at(0).fold.isString());
        // Since which event: the stream's OrderShipped, the one event that set the carrier.
        const engine::TimelineIndex &index = session->index();
        std::optional<quint64> shippedAt;
        for (quint64 o = 0; o < index.size(); ++o)
            if (index.typeName(o) == "OrderShipped")
                shippedAt = o;
        QVERIFY(shippedAt);
        QCOMPARE(r.agreement.sinceOrdinal(), shippedAt);
        QCOMPARE(row->sinceRevision(), std::optional<quint64>(index.revision(*shippedAt)));
        QVERIFY2(row->sinceText().contains(QStringLiteral("OrderShipped")), qPrintable(row->sinceText()));
        QCOMPARE(row->pathsTable()->rowCount(), 1);
        QCOMPARE(row->pathsTable()->item(0, 2)->text(), QStringLiteral("(none)"));

        // The diff pane shows the fold at the head vs the row.
        DiffPane *diff = window.panes().diff->pane();
        QTRY_COMPARE(diff->mode(), DiffPane::Mode::ReadModel);
        QVERIFY2(diff->titleLabel()->text().contains(QStringLiteral("read model")),
                 qPrintable(diff->titleLabel()->text()));
        QVERIFY(diff->tree()->findItems(QStringLiteral("carrier"), Qt::MatchRecursive | Qt::MatchContains).size() > 0);

        // Go to the event since which they disagree.
        QVERIFY(row->jumpButton()->isVisible());
        QTest::mouseClick(row->jumpButton(), Qt::LeftButton);
        QTRY_COMPARE(session->cursor()->position(), qint64(*shippedAt));
        window.panes().diff->show();
        window.panes().diff->raise();
        window.resizeDocks(QList<QDockWidget *>{window.panes().events, window.panes().readModel}, {140, 560},
                           Qt::Vertical);
        window.resizeDocks(QList<QDockWidget *>{window.panes().streams, window.panes().readModel, window.panes().diff},
                           {180, 640, 440}, Qt::Horizontal);
        screenshot(&window, QStringLiteral("row-beside-fold.png"));

        // The state at the cursor vs the row, following the cursor: one event before "since", they agree.
        row->setCompare(views::RowBesideFoldView::Compare::CursorVsRow);
        QTRY_VERIFY(diff->titleLabel()->text().contains(QStringLiteral("fold at the cursor")));
        QVERIFY2(diff->messageText().isEmpty(), qPrintable(diff->messageText()));
        window.openStreamAt(stream, qint64(index.revision(*shippedAt - 1)));
        QTRY_COMPARE(session->cursor()->position(), qint64(*shippedAt - 1));
        QTRY_VERIFY2(diff->messageText().contains(QStringLiteral("agree on every mapped field")),
                     qPrintable(diff->messageText()));
        row->setCompare(views::RowBesideFoldView::Compare::HeadVsRow);

        // The order whose currency drifted: no state of its stream equals the row.
        window.openStream((QStringLiteral("order-") + m_currency).toUtf8());
        QTRY_VERIFY_WITH_TIMEOUT(row->result() && row->result()->aggregateId == m_currency && !row->isBusy(), 30000);
        QCOMPARE(row->result()->agreement.verdict, readmodel::AgreementResult::Verdict::Never);
        QVERIFY(!row->jumpButton()->isVisible());
        QCOMPARE(row->result()->agreement.paths.at(0).row, QJsonValue(QStringLiteral("XXX")));

        // The deleted row: said so, nothing else lost.
        window.openStream((QStringLiteral("order-") + m_gone).toUtf8());
        QTRY_VERIFY_WITH_TIMEOUT(row->result() && row->result()->aggregateId == m_gone && !row->isBusy(), 30000);
        QVERIFY(!row->result()->found);
        QVERIFY2(row->statusText().startsWith(QStringLiteral("Missing row")), qPrintable(row->statusText()));

        // Cancel: a scan stopped at once reports nothing; a wrong password is said clearly.
        QTest::mouseClick(drift->findChild<QPushButton *>(QStringLiteral("driftRun")), Qt::LeftButton);
        QVERIFY(drift->isRunning());
        QTest::mouseClick(drift->findChild<QPushButton *>(QStringLiteral("driftCancel")), Qt::LeftButton);
        QVERIFY(!drift->isRunning());
        QVERIFY2(drift->statusText().contains(QStringLiteral("cancelled")), qPrintable(drift->statusText()));
        window.readModels()->endpoints()->addInMemory(demoorders::endpoint(m_pg), QStringLiteral("wrong"));
        QTest::mouseClick(drift->findChild<QPushButton *>(QStringLiteral("driftRun")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!drift->isRunning(), 30000);
        QVERIFY2(drift->statusText().contains(QStringLiteral("authentication-failed")),
                 qPrintable(drift->statusText()));
        QVERIFY(!drift->statusText().contains(QStringLiteral("wrong")));
    }
};

QTEST_MAIN(TestReadModelWindow)
#include "tst_readmodelwindow.moc"
