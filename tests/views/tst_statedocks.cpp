#include "StateDocks.h"
#include "client/StreamsClient.h"
#include "common/DiffColors.h"
#include "fold/FoldController.h"
#include "json/JsonDiff.h"
#include "reducer/JsonFieldLocator.h"
#include "reducer/ReducerEditor.h"
#include "session/TimelineSession.h"
#include "state/BisectDialog.h"
#include "state/CheckpointProgress.h"
#include "state/DiffPane.h"
#include "state/StatePane.h"
#include "state/StateTreeModel.h"
#include "state/WhatIfDialog.h"
#include "state/WhatIfProgress.h"
#include "support/DemoSandbox.h"
#include "support/TreePrint.h"
#include "timeline/TimelineIndex.h"

#include <QAbstractItemModelTester>
#include <QAbstractProxyModel>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QRadioButton>
#include <QTabWidget>
#include <QDockWidget>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QToolButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QStandardPaths>
#include <QTest>
#include <QTextCursor>
#include <QTreeView>
#include <QTreeWidget>

using namespace chronoscope;
using namespace chronoscope::engine;
using test::printTree;

namespace {

QJsonValue json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

/// A StateTreeModel row for printTree(): "key = value (type)", then " *N" when the cursor's event
/// changed it (ChangeRole).
QString stateRow(const QModelIndex &i)
{
    QString out = i.data().toString() + QStringLiteral(" = ") + i.siblingAtColumn(1).data().toString()
        + QStringLiteral(" (") + i.siblingAtColumn(2).data().toString() + QStringLiteral(")");
    if (const int change = i.data(StateTreeModel::ChangeRole).toInt())
        out += QStringLiteral(" *") + QString::number(change);
    return out;
}

/// Replaces the editor's text as typing would (setPlainText() would mark the document unmodified).
void typeOver(QPlainTextEdit *edit, const QString &text)
{
    QTextCursor c(edit->document());
    c.select(QTextCursor::Document);
    c.insertText(text);
}

bool settle(FoldController *c)
{
    return QTest::qWaitFor([c] { return !c->isBusy() && !c->isBuilding(); }, 15000);
}

} // namespace

/// The state, diff and reducer docks in a shown window.
struct DockWindow
{
    TimelineSession session;
    FoldController fold{&session};
    QMainWindow window; // the docks go before the controller they show
    QList<QDockWidget *> docks;
    DockWindow() : docks(createStateDocks(&fold, &session, &window).docks())
    {
        for (QDockWidget *d : std::as_const(docks))
            window.addDockWidget(Qt::RightDockWidgetArea, d);
        window.show();
    }
    DiffPane *diffPane() const { return docks[1]->findChild<DiffPane *>(); }
};

/// "What-if: without this event" with the cursor on the payment stream's second charge: one charge less.
bool whatIfWithoutTheCursorsCharge(DockWindow &w)
{
    w.docks[0]->findChild<QAction *>(QStringLiteral("whatIfCursorAction"))->trigger();
    DiffPane *pane = w.diffPane();
    return QTest::qWaitFor(
        [&] {
            return pane->mode() == DiffPane::Mode::WhatIf
                && printTree(*pane->tree()->model()).contains(QStringLiteral("PaymentProcessed | 2 | 1"));
        },
        10000);
}

class TestStateDocks : public QObject
{
    Q_OBJECT

    DemoSandbox m_sandbox;
    std::shared_ptr<const StreamsClient> m_client;
    QByteArray m_paymentStream; ///< charged twice
    QByteArray m_orderStream;
    qint64 m_secondCharge = -1;

    void load(TimelineSession &session, const QByteArray &stream)
    {
        QSignalSpy finished(&session, &TimelineSession::loadFinished);
        session.load(m_client, stream);
        QVERIFY(finished.wait(15000));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // reducer drafts go to a test folder
        DemoHistory::Options options;
        options.eventCount = 8000;
        QVERIFY2(m_sandbox.start(options.eventCount), qPrintable(m_sandbox.error()));
        m_client = std::make_shared<const StreamsClient>(m_sandbox.settings());
        QHash<QByteArray, int> charges;
        DemoHistory(options).generate([&](const DemoEvent &e) {
            if (e.type == "PaymentProcessed" && ++charges[e.stream] == 2) {
                m_paymentStream = e.stream;
                m_orderStream = QJsonDocument::fromJson(e.data).object().value(QStringLiteral("orderId")).toString().toUtf8();
                return false;
            }
            return true;
        });
        // The known first bad event, read directly: the stream's second PaymentProcessed.
        const ReadResult read = m_client->readAll(ReadRequest::forStream(m_paymentStream));
        int seen = 0;
        for (qsizetype i = 0; i < read.events.size(); ++i)
            if (read.events[i].event->type == "PaymentProcessed" && ++seen == 2)
                m_secondCharge = i;
        QVERIFY(m_secondCharge > 0);
    }

    void stateTreeModelShowsTheStateAndItsChanges()
    {
        StateTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QJsonValue before = json(R"({"order":{"status":"placed","lines":[{"sku":"A"}]},"n":1})");
        const QJsonValue after = json(R"({"order":{"status":"paid","lines":[{"sku":"A"}],"paidAt":"t"},"n":1})");
        model.setState(before);
        model.setState(after, JsonDiff::diff(before, after));
        QCOMPARE(printTree(model, stateRow),
                 QStringLiteral("n = 1 (integer)\n"
                                "order = {3 keys} (object) *3\n"
                                "  lines = [1 item] (array)\n"
                                "    [0] = {1 key} (object)\n"
                                "      sku = \"A\" (string)\n"
                                "  paidAt = \"t\" (string) *1\n"
                                "  status = \"paid\" (string) *2\n"));
        const QModelIndex sku = model.indexForPath(QStringLiteral("/order/lines/0/sku"));
        QVERIFY(sku.isValid());
        QCOMPARE(model.pathOf(sku), QStringLiteral("/order/lines/0/sku"));
        QCOMPARE(model.valueText(sku), QStringLiteral("A"));
        QVERIFY(!model.indexForPath(QStringLiteral("/order/nope")).isValid());
        model.setState(QJsonValue(42)); // a scalar state is one row
        QCOMPARE(printTree(model, stateRow), QStringLiteral("(root) = 42 (integer)\n"));
        model.setState(QJsonValue(QJsonObject()));
        QCOMPARE(model.rowCount(), 0);
    }

    void expandStateIsKeptWhileScrubbing()
    {
        TimelineSession session;
        FoldController controller(&session);
        StatePane pane(&controller);
        pane.resize(600, 500);
        pane.show();
        load(session, m_orderStream);
        session.cursor()->setPosition(1);
        QVERIFY(settle(&controller));
        StateTreeModel *model = pane.model();
        auto viewIndex = [&](const QString &path) {
            auto *proxy = static_cast<QAbstractProxyModel *>(pane.view()->model());
            return proxy->mapFromSource(model->indexForPath(path));
        };
        pane.view()->collapseAll();
        pane.view()->expand(viewIndex(QStringLiteral("/state")));
        pane.view()->expand(viewIndex(QStringLiteral("/state/shippingAddress")));
        pane.view()->setCurrentIndex(viewIndex(QStringLiteral("/state/shippingAddress/city")));
        for (qint64 p : {2, 3, 0, 2}) {
            session.cursor()->setPosition(p);
            QVERIFY(settle(&controller));
            QVERIFY(pane.view()->isExpanded(viewIndex(QStringLiteral("/state"))));
            QVERIFY(pane.view()->isExpanded(viewIndex(QStringLiteral("/state/shippingAddress"))));
            QVERIFY(!pane.view()->isExpanded(viewIndex(QStringLiteral("/counts"))));
            QCOMPARE(model->pathOf(static_cast<QAbstractProxyModel *>(pane.view()->model())->mapToSource(pane.view()->currentIndex())),
                     QStringLiteral("/state/shippingAddress/city"));
            QVERIFY(pane.headerLabel()->text().contains(QStringLiteral("#%1").arg(p)));
        }
        // The filter keeps matching rows (and their ancestors) only.
        QTest::keyClicks(pane.filterEdit(), QStringLiteral("postcode"));
        QVERIFY(QTest::qWaitFor([&] { return pane.view()->model()->rowCount() == 1; }, 3000));
    }

    void statePaneFilterPassesTheModelTester()
    {
        TimelineSession session;
        FoldController controller(&session);
        StatePane pane(&controller);
        QAbstractItemModel *proxy = pane.view()->model(); // the pane's filter over its StateTreeModel
        QVERIFY(proxy != pane.model());
        // Attached before any data: every new state (a model reset) and every filter change is checked.
        QAbstractItemModelTester proxyTester(proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester sourceTester(pane.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        pane.resize(600, 500);
        pane.show();
        load(session, m_orderStream);
        auto moveTo = [&](qint64 p) {
            session.cursor()->setPosition(p);
            return settle(&controller) && pane.headerLabel()->text().contains(QStringLiteral("#%1").arg(p));
        };
        QVERIFY(moveTo(1));
        const QString unfiltered = printTree(*proxy, stateRow);
        QCOMPARE(unfiltered, printTree(*pane.model(), stateRow)); // no filter: the proxy shows every row
        QVERIFY(unfiltered.contains(QStringLiteral("postcode")));

        // Only the matching rows and their ancestors, through new states (resets) while filtered.
        auto onlyPostcodes = [&] {
            const QString tree = printTree(*proxy, stateRow);
            const QStringList lines = tree.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
            if (lines.isEmpty() || !lines.last().trimmed().startsWith(QStringLiteral("postcode = ")))
                return false;
            for (int i = 0; i + 1 < lines.size(); ++i) { // every other row is an ancestor of a match
                const auto indent = [](const QString &l) { return l.size() - l.trimmed().size(); };
                if (indent(lines[i + 1]) <= indent(lines[i])
                    && !lines[i].trimmed().startsWith(QStringLiteral("postcode = ")))
                    return false;
            }
            return true;
        };
        pane.filterEdit()->setText(QStringLiteral("postcode"));
        QTRY_VERIFY_WITH_TIMEOUT(onlyPostcodes(), 3000);
        for (qint64 p : {3, 0, 2}) {
            QVERIFY(moveTo(p));
            QVERIFY2(onlyPostcodes(), qPrintable(printTree(*proxy, stateRow)));
        }
        pane.filterEdit()->setText(QStringLiteral("no such key or value"));
        QTRY_COMPARE_WITH_TIMEOUT(proxy->rowCount(), 0, 3000);
        QVERIFY(moveTo(1));
        QCOMPARE(proxy->rowCount(), 0);
        pane.filterEdit()->clear();
        QTRY_COMPARE_WITH_TIMEOUT(printTree(*proxy, stateRow), unfiltered, 3000);
    }

    void diffPaneRendersKnownJson()
    {
        TimelineSession session;
        FoldController controller(&session);
        DiffPane pane(&controller);
        pane.resize(700, 400);
        pane.show();
        const QJsonValue before = json(R"({"status":"placed","total":100,"coupon":"X","lines":[{"id":1,"q":1}]})");
        const QJsonValue after = json(R"({"status":"paid","total":100,"lines":[{"id":1,"q":2}],"paidAt":"t"})");
        pane.showDiff(JsonDiff::diff(before, after), QStringLiteral("known"), QStringLiteral("before"), QStringLiteral("after"));
        QCOMPARE(printTree(*pane.tree()->model()),
                 QStringLiteral("coupon | \"X\" | \n"
                                "lines | […] | […]\n" // containers with a change below show as such…
                                "  [0] | {…} | {…}\n"
                                "    q | 1 | 2\n"
                                "paidAt |  | \"t\"\n"
                                "status | \"placed\" | \"paid\"\n"));
        QVERIFY(pane.titleLabel()->text().contains(QStringLiteral("1 added, 1 removed, 2 changed")));
        const DiffColors colors = DiffColors::forPalette(pane.palette());
        QCOMPARE(pane.tree()->topLevelItem(0)->background(1).color(), colors.removed);
        QCOMPARE(pane.tree()->topLevelItem(2)->background(1).color(), colors.added);
        QCOMPARE(pane.tree()->topLevelItem(3)->background(1).color(), colors.changed);

        pane.setRendering(DiffPane::Rendering::Unified);
        const QString unified = pane.unified()->toPlainText();
        QVERIFY2(unified.startsWith(QStringLiteral("--- before\n+++ after\n")), qPrintable(unified));
        QVERIFY(unified.contains(QStringLiteral("-  \"coupon\": \"X\",")));
        QVERIFY(unified.contains(QStringLiteral("+  \"paidAt\": \"t\",")));
        QVERIFY(unified.contains(QStringLiteral("-  \"status\": \"placed\",")));
        QVERIFY(unified.contains(QStringLiteral("+  \"status\": \"paid\",")));

        pane.showDiff(JsonDiff::diff(before, before), QStringLiteral("same"), {}, {});
        QVERIFY(pane.messageText().contains(QStringLiteral("No changes")));
        QVERIFY(pane.messageLabel()->isVisible());
    }

    void bisectThroughTheUiFindsTheSecondCharge()
    {
        TimelineSession session;
        FoldController fold(&session);
        QMainWindow window;
        const QList<QDockWidget *> docks = createStateDocks(&fold, &session, &window).docks();
        QCOMPARE(docks.size(), 3);
        QCOMPARE(docks[0]->objectName(), QStringLiteral("stateDock"));
        QCOMPARE(docks[1]->objectName(), QStringLiteral("diffDock"));
        QCOMPARE(docks[2]->objectName(), QStringLiteral("reducerDock"));
        for (QDockWidget *d : docks)
            window.addDockWidget(Qt::RightDockWidgetArea, d);
        window.show();
        load(session, m_paymentStream);
        session.cursor()->setPosition(0);

        auto *bisect = docks[0]->findChild<QAction *>(QStringLiteral("bisectAction"));
        QVERIFY(bisect && bisect->isEnabled());
        bisect->trigger();
        auto *dialog = docks[0]->findChild<BisectDialog *>();
        QVERIFY(dialog && dialog->isVisible());
        dialog->expressionEdit()->clear();
        // An empty condition is refused with a hint, never replaced by the grey example.
        QTest::mouseClick(dialog->runButton(), Qt::LeftButton);
        QVERIFY2(dialog->resultLabel()->text().startsWith(QStringLiteral("Enter a condition")),
                 qPrintable(dialog->resultLabel()->text()));
        QVERIFY(dialog->runButton()->isEnabled());
        QCOMPARE(session.cursor()->position(), 0);
        QTest::keyClicks(dialog->expressionEdit(), QStringLiteral("state.counts.PaymentProcessed >= 2"));
        QTest::mouseClick(dialog->runButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return session.cursor()->position() == m_secondCharge; }, 15000));
        QVERIFY(dialog->resultLabel()->text().contains(QStringLiteral("binary search")));
        QVERIFY(dialog->resultLabel()->text().contains(QStringLiteral("PaymentProcessed")));

        // The same by a linear scan over a JSON path.
        session.cursor()->setPosition(0);
        dialog->pathMode()->setChecked(true);
        dialog->pointerEdit()->setText(QStringLiteral("/counts/PaymentProcessed"));
        dialog->opBox()->setCurrentText(QStringLiteral(">="));
        dialog->valueEdit()->setText(QStringLiteral("2"));
        dialog->monotoneBox()->setChecked(false);
        QTest::mouseClick(dialog->runButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return session.cursor()->position() == m_secondCharge; }, 15000));
        QVERIFY(QTest::qWaitFor([&] { return dialog->resultLabel()->text().contains(QStringLiteral("linear scan")); }, 5000));
    }

    void markersAVsBShowTheSecondCharge()
    {
        DockWindow w;
        TimelineSession &session = w.session;
        const QList<QDockWidget *> &docks = w.docks;
        load(session, m_paymentStream);
        auto *pane = docks[1]->findChild<DiffPane *>();
        session.cursor()->setPosition(m_secondCharge - 1);
        docks[1]->findChild<QAction *>(QStringLiteral("markerAAction"))->trigger();
        session.cursor()->setPosition(m_secondCharge);
        docks[1]->findChild<QAction *>(QStringLiteral("markerBAction"))->trigger();
        QCOMPARE(pane->mode(), DiffPane::Mode::Markers);
        // The title names both markers once their states are folded; the tree then holds A → B (before that
        // the pane shows a message and no rows of the event diff it showed before).
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         return pane->titleLabel()->text().contains(QStringLiteral("A = #%1").arg(m_secondCharge - 1));
                     },
                     10000),
                 qPrintable(pane->titleLabel()->text()));
        QVERIFY2(printTree(*pane->tree()->model()).contains(QStringLiteral("PaymentProcessed | 1 | 2")),
                 qPrintable(printTree(*pane->tree()->model())));

        // What-if without the second charge: one charge less than reality.
        QVERIFY(whatIfWithoutTheCursorsCharge(w));
    }

    void checkpointStripSaysHowFarItGot()
    {
        DockWindow w;
        load(w.session, TimelineSession::allStream());
        auto *controller = &w.fold;
        auto *strip = w.docks[0]->findChild<CheckpointProgress *>();
        QVERIFY(controller && strip);
        QTRY_VERIFY_WITH_TIMEOUT(!controller->isBuilding() && !strip->isVisible(), 15000); // built: nothing to say
        const quint64 size = w.session.index().size();
        const QLocale locale;
        // What the controller reports, as it would report it (the timing of a real build is the
        // controller's tests' business): building, progress, stopped short, failed.
        Q_EMIT controller->buildingChanged(true);
        QVERIFY(strip->isVisible());
        QCOMPARE(strip->button()->text(), QStringLiteral("Stop"));
        Q_EMIT controller->buildProgress(size / 2, size);
        QCOMPARE(strip->text(), QStringLiteral("Building checkpoints: %1 of %2 events").arg(locale.toString(size / 2), locale.toString(size)));
        QCOMPARE(strip->bar()->value(), 500);
        Q_EMIT controller->buildFinished(size / 2, QString());
        QCOMPARE(strip->text(), QStringLiteral("Checkpoints cover %1 of %2 events").arg(locale.toString(size / 2), locale.toString(size)));
        QCOMPARE(strip->button()->text(), QStringLiteral("Resume"));
        Q_EMIT controller->buildFinished(size / 4, QStringLiteral("server unavailable"));
        QVERIFY2(strip->text().endsWith(QStringLiteral(": server unavailable")), qPrintable(strip->text()));
        QCOMPARE(strip->button()->text(), QStringLiteral("Retry"));
        // Complete: nothing left to say.
        Q_EMIT controller->buildFinished(size, QString());
        QVERIFY(!strip->isVisible());
    }

    void whatIfInsertsAHypotheticalRefund()
    {
        DockWindow w;
        TimelineSession &session = w.session;
        const QList<QDockWidget *> &docks = w.docks;
        load(session, m_paymentStream);
        session.cursor()->setPosition(m_secondCharge);
        docks[0]->findChild<QAction *>(QStringLiteral("whatIfAction"))->trigger();
        auto *dialog = docks[0]->findChild<WhatIfDialog *>();
        QVERIFY(dialog && dialog->isVisible());
        QVERIFY(!dialog->runButton()->isEnabled()); // nothing asked yet
        QTest::mouseClick(dialog->insertBox(), Qt::LeftButton, {}, QPoint(8, dialog->insertBox()->height() / 2));
        QVERIFY(dialog->insertBox()->isChecked());
        QVERIFY(dialog->typeBox()->findText(QStringLiteral("PaymentProcessed")) >= 0); // the timeline's types
        dialog->typeBox()->setCurrentText(QStringLiteral("PaymentRefunded"));
        QTest::keyClicks(dialog->dataEdit(), QStringLiteral("{\"amount\": 5"));
        QVERIFY(!dialog->runButton()->isEnabled());
        QVERIFY2(dialog->messageLabel()->text().startsWith(QStringLiteral("The data is not JSON")),
                 qPrintable(dialog->messageLabel()->text()));
        QTest::keyClicks(dialog->dataEdit(), QStringLiteral("}"));
        QVERIFY(dialog->runButton()->isEnabled());
        // A bad exclusion list is refused as typed.
        dialog->excludeEdit()->setText(QStringLiteral("3-1"));
        QVERIFY(!dialog->runButton()->isEnabled());
        dialog->excludeEdit()->setText(QStringLiteral("#%1").arg(m_secondCharge));
        QTest::mouseClick(dialog->runButton(), Qt::LeftButton);

        // Without the duplicate charge and with a refund: one charge and one refund, against reality.
        auto *pane = docks[1]->findChild<DiffPane *>();
        QVERIFY(QTest::qWaitFor(
            [&] {
                return pane->mode() == DiffPane::Mode::WhatIf
                    && printTree(*pane->tree()->model()).contains(QStringLiteral("PaymentProcessed | 2 | 1"));
            },
            10000));
        const QString tree = printTree(*pane->tree()->model());
        QVERIFY2(tree.contains(QStringLiteral("PaymentRefunded |  | 1")), qPrintable(tree));
        QVERIFY2(pane->titleLabel()->text().contains(QStringLiteral("with PaymentRefunded after #%1").arg(m_secondCharge)),
                 qPrintable(pane->titleLabel()->text()));
        QVERIFY(docks[1]->isVisible());
    }

    void cancelledWhatIfLeavesThePanesAndSaysSo()
    {
        DockWindow w;
        TimelineSession &session = w.session;
        const QList<QDockWidget *> &docks = w.docks;
        load(session, m_paymentStream);
        session.cursor()->setPosition(m_secondCharge);
        auto *pane = docks[1]->findChild<DiffPane *>();
        auto *controller = &w.fold;
        QVERIFY(settle(controller));
        QVERIFY(whatIfWithoutTheCursorsCharge(w));
        const QString treeBefore = printTree(*pane->tree()->model());
        const QString titleBefore = pane->titleLabel()->text();

        // A second what-if from the dialog, cancelled there at once: nothing in the panes changes.
        docks[0]->findChild<QAction *>(QStringLiteral("whatIfAction"))->trigger();
        auto *dialog = docks[0]->findChild<WhatIfDialog *>();
        QVERIFY(!dialog->cancelButton()->isEnabled());
        dialog->excludeEdit()->setText(QStringLiteral("0"));
        QSignalSpy cancelled(controller, &FoldController::whatIfCancelled);
        QSignalSpy ready(controller, &FoldController::whatIfReady);
        QTest::mouseClick(dialog->runButton(), Qt::LeftButton);
        QVERIFY(dialog->cancelButton()->isEnabled());
        QTest::mouseClick(dialog->cancelButton(), Qt::LeftButton);
        QCOMPARE(cancelled.count(), 1);
        QVERIFY(!dialog->cancelButton()->isEnabled());
        QVERIFY2(dialog->messageLabel()->text().contains(QStringLiteral("cancelled")), qPrintable(dialog->messageLabel()->text()));
        auto *progress = docks[1]->findChild<WhatIfProgress *>();
        QVERIFY(progress && progress->isVisible());
        QVERIFY2(progress->text().startsWith(QStringLiteral("What-if cancelled")), qPrintable(progress->text()));
        QVERIFY(!progress->cancelButton()->isVisible());
        QTest::qWait(500); // a late answer from the worker must not reach the panes
        QCOMPARE(ready.count(), 0);
        QCOMPARE(printTree(*pane->tree()->model()), treeBefore);
        QCOMPARE(pane->titleLabel()->text(), titleBefore);

        // Run again and let it finish: the progress piece hides and the diff is the new what-if's.
        QTest::mouseClick(dialog->runButton(), Qt::LeftButton);
        QVERIFY(ready.wait(10000));
        QVERIFY(!progress->isVisible());
        QVERIFY2(pane->titleLabel()->text().contains(QStringLiteral("without #0")), qPrintable(pane->titleLabel()->text()));
        QVERIFY(dialog->messageLabel()->text().startsWith(QStringLiteral("Done")));
    }

    void reducerEditorMarksLoadErrorsAndRefoldsOnSave()
    {
        QTemporaryDir dir;
        for (const char *name : {"demo-orders.reducer.json", "demo-orders.projection.js"})
            QVERIFY(QFile::copy(QStringLiteral(CHRONOSCOPE_TEST_DATA "/../../resources/reducers/") + QLatin1String(name),
                                dir.filePath(QLatin1String(name))));
        TimelineSession session;
        FoldController fold(&session);
        QMainWindow window;
        const QList<QDockWidget *> docks = createStateDocks(&fold, &session, &window).docks();
        for (QDockWidget *d : docks)
            window.addDockWidget(Qt::RightDockWidgetArea, d);
        window.show();
        auto *controller = &fold;
        auto *editor = docks[2]->findChild<ReducerEditor *>();
        load(session, m_orderStream);
        QVERIFY(editor->openFile(dir.filePath(QStringLiteral("demo-orders.reducer.json"))));
        QCOMPARE(editor->tabs()->count(), 2); // the projection file opens beside it
        QCOMPARE(controller->reducerName(), QStringLiteral("merge")); // opened, not used yet

        // Break an upcaster line, save with Ctrl+S: the error is shown and its line marked.
        QPlainTextEdit *json = editor->jsonEditor();
        const int broken = JsonFieldLocator::lineOf(json->toPlainText(), QStringLiteral("upcasters[0].function"), 4);
        QVERIFY(broken > 0);
        typeOver(json, json->toPlainText().replace(QStringLiteral("Math.round(data.total * 100)"),
                                                   QStringLiteral("Math.round(data.total * 100")));
        QVERIFY(editor->isModified());
        QSignalSpy failed(controller, &FoldController::reducerFailed);
        json->setFocus();
        QTest::keyClick(json, Qt::Key_S, Qt::ControlModifier);
        QVERIFY(failed.wait(10000));
        QVERIFY(!editor->isModified());
        QVERIFY(editor->errorLabel()->isVisible());
        QVERIFY(editor->errorLabel()->text().contains(QStringLiteral("upcasters[0].function")));
        QCOMPARE(editor->errorEditor(), json);
        QCOMPARE(editor->errorLine(), broken);
        QCOMPARE(controller->reducerName(), QStringLiteral("merge"));

        // Fixed and saved again: folded with the file, error gone.
        typeOver(json, json->toPlainText().replace(QStringLiteral("Math.round(data.total * 100,"),
                                                   QStringLiteral("Math.round(data.total * 100),")));
        QSignalSpy changed(controller, &FoldController::reducerChanged);
        QTest::keyClick(json, Qt::Key_S, Qt::ControlModifier);
        QVERIFY(changed.wait(10000));
        QCOMPARE(controller->reducerName(), QStringLiteral("demo-orders"));
        QVERIFY(!editor->errorLabel()->isVisible());
        QCOMPARE(editor->reducerChoice()->currentIndex(), 1);
        QVERIFY(settle(controller));
        QVERIFY(controller->cursorState().state.toObject().contains(QStringLiteral("orders")));

        // A script error in the projection file is marked there.
        QPlainTextEdit *script = editor->scriptEditor();
        typeOver(script, script->toPlainText().replace(QStringLiteral("o.lines++;"), QStringLiteral("o.lines++ +;")));
        const int scriptLine = int(script->toPlainText().left(script->toPlainText().indexOf(QStringLiteral("o.lines++ +;"))).count(QLatin1Char('\n')));
        QVERIFY(editor->save());
        QVERIFY(failed.wait(10000));
        QCOMPARE(editor->errorEditor(), script);
        QCOMPARE(editor->errorLine(), scriptLine);
    }

    void unsavedEditsComeBackFromADraft()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("orders.reducer.json"));
        QVERIFY(QFile::copy(QStringLiteral(CHRONOSCOPE_TEST_DATA "/../../resources/reducers/demo-orders.reducer.json"), path));
        QVERIFY(QFile::copy(QStringLiteral(CHRONOSCOPE_TEST_DATA "/../../resources/reducers/demo-orders.projection.js"),
                            dir.filePath(QStringLiteral("demo-orders.projection.js"))));
        const QString edited = QStringLiteral("\"description\": \"edited, not saved\"");
        {
            TimelineSession session;
            FoldController controller(&session);
            ReducerEditor editor(&controller);
            QVERIFY(editor.openFile(path));
            typeOver(editor.jsonEditor(), editor.jsonEditor()->toPlainText().replace(
                QRegularExpression(QStringLiteral("\"description\": \"[^\"]*\"")), edited));
            QVERIFY(QTest::qWaitFor([&] { return QFile::exists(ReducerEditor::draftPath(path)); }, 5000));
            editor.jsonEditor()->document()->setModified(false); // as if the app died: no question, no save
        }
        TimelineSession session;
        FoldController controller(&session);
        ReducerEditor editor(&controller);
        QVERIFY(editor.openFile(path));
        QVERIFY(editor.isModified());
        QVERIFY(editor.jsonEditor()->toPlainText().contains(edited));
        editor.revert();
        QVERIFY(!editor.isModified());
        QVERIFY(!editor.jsonEditor()->toPlainText().contains(edited));
        QVERIFY(!QFile::exists(ReducerEditor::draftPath(path)));
    }

    void fieldLocatorFindsFieldsAndScriptLines()
    {
        const QString text = QStringLiteral("{\n \"name\": \"x\",\n \"limits\": {\n  \"timeLimitMs\": 0\n },\n"
                                             " \"invariants\": [\n  { \"name\": \"a\",\n    \"function\": [\n     \"l1\",\n     \"l2\"\n ] } ]\n}");
        QCOMPARE(JsonFieldLocator::lineOf(text, QStringLiteral("name")), 1);
        QCOMPARE(JsonFieldLocator::lineOf(text, QStringLiteral("limits.timeLimitMs")), 3);
        QCOMPARE(JsonFieldLocator::lineOf(text, QStringLiteral("invariants[0].function"), 2), 9);
        QCOMPARE(JsonFieldLocator::lineOf(text, QStringLiteral("nope")), -1);
        QCOMPARE(JsonFieldLocator::lineOf(QStringLiteral("{\"a\": [1, "), QStringLiteral("b")), -1); // broken text: no hang
    }
};

QTEST_MAIN(TestStateDocks)
#include "tst_statedocks.moc"
