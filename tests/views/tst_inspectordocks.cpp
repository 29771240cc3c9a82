// The event list and inspector docks on the offscreen platform against an in-process sandbox.
#include "InspectorDocks.h"
#include "client/StreamsClient.h"
#include "common/JsonTreeWidget.h"
#include "events/EventListView.h"
#include "inspector/CorrelationChainView.h"
#include "inspector/EventInspector.h"
#include "inspector/MetadataView.h"
#include "session/PayloadSearch.h"
#include "session/TimelineEventModel.h"
#include "session/TimelineSession.h"
#include "support/DemoSandbox.h"
#include "timeline/TimelineIndex.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTimeEdit>
#include <QDialog>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

using namespace chronoscope;

namespace {
QString metaString(const RecordedEvent &e, const char *key)
{
    return QJsonDocument::fromJson(e.metadata).object().value(QLatin1String(key)).toString();
}
} // namespace

class TestInspectorDocks : public QObject
{
    Q_OBJECT

    DemoSandbox m_sandbox;
    std::shared_ptr<const StreamsClient> m_client;
    QByteArray m_order;   ///< an order that reached payment
    QByteArray m_payment;
    QByteArray m_binary;

    QList<RecordedEvent> readStream(const QByteArray &stream)
    {
        QList<RecordedEvent> out;
        for (const ResolvedEvent &e : m_client->readAll(ReadRequest::forStream(stream)).events)
            out.append(e.originalEvent());
        return out;
    }

    struct Fixture
    {
        QMainWindow window;
        TimelineSession session;
        EventsDock *events = nullptr;
        views::EventInspector *inspector = nullptr;
        views::EventListView *list = nullptr;

        Fixture()
        {
            const QList<QDockWidget *> docks = createInspectorDocks(&session, &window);
            events = qobject_cast<EventsDock *>(docks.value(0));
            auto *inspectorDock = qobject_cast<InspectorDock *>(docks.value(1));
            if (events && inspectorDock) {
                list = events->list();
                inspector = inspectorDock->inspector();
                window.addDockWidget(Qt::LeftDockWidgetArea, events);
                window.addDockWidget(Qt::RightDockWidgetArea, inspectorDock);
            }
            window.resize(1280, 800);
            window.show();
        }
        bool load(const std::shared_ptr<const StreamsClient> &client, const QByteArray &stream)
        {
            QSignalSpy finished(&session, &TimelineSession::loadFinished);
            session.load(client, stream);
            return finished.wait(15000) && !finished.first().at(0).value<ClientError>().isError();
        }
        /// Moves the cursor and waits for the inspector to show the event.
        bool show(qint64 ordinal)
        {
            QSignalSpy shown(inspector, &views::EventInspector::eventShown);
            session.cursor()->setPosition(ordinal);
            return shown.wait(10000) && shown.last().at(0).toLongLong() == ordinal;
        }
    };

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_sandbox.start(2000), qPrintable(m_sandbox.error()));
        m_client = std::make_shared<const StreamsClient>(m_sandbox.settings());
        for (int n = 1; n < 100 && m_order.isEmpty(); ++n) {
            const QList<RecordedEvent> payment = readStream("payment-" + QByteArray::number(n));
            if (!payment.isEmpty() && payment.first().type == "PaymentRequested") {
                m_order = "order-" + QByteArray::number(n);
                m_payment = "payment-" + QByteArray::number(n);
            }
        }
        QVERIFY(!m_order.isEmpty());
        // Bad and binary payloads: raw bytes, JSON that is cut short, base64 of JSON.
        m_binary = "blob-1";
        QByteArray bytes;
        for (int i = 0; i < 300; ++i)
            bytes.append(char(i & 0xff));
        const AppendResult appended = m_client->append(
            m_binary, ExpectedState::any(),
            {EventData::binary("BlobStored", bytes, "{\"$correlationId\":\"c-1\"}"),
             EventData::json("Broken", "{\"a\": [1, 2, tru"),
             EventData::binary("Wrapped", QByteArray("{\"wrapped\":true,\"n\":42}").toBase64())});
        QVERIFY2(!appended.error.isError(), qPrintable(appended.error.toString()));
    }

    void factoryMakesTheTwoNamedDocks()
    {
        QMainWindow window;
        TimelineSession session;
        const QList<QDockWidget *> docks = createInspectorDocks(&session, &window);
        QCOMPARE(docks.size(), 2);
        QCOMPARE(docks.at(0)->objectName(), QStringLiteral("eventsDock"));
        QCOMPARE(docks.at(1)->objectName(), QStringLiteral("inspectorDock"));
        QVERIFY(qobject_cast<EventsDock *>(docks.at(0)));
        QCOMPARE(docks.at(0)->parent(), &window);
        QVERIFY(window.findChild<EventsDock *>());
    }

    void selectingARowShowsTheEvent()
    {
        Fixture f;
        QVERIFY(f.load(m_client, m_order));
        const QList<RecordedEvent> expected = readStream(m_order);
        QCOMPARE(f.list->model()->rowCount(), int(expected.size()));
        QTableView *table = f.list->table();
        const QModelIndex first = f.list->model()->index(0, TimelineEventModel::Type);
        table->scrollTo(first);
        QSignalSpy shown(f.inspector, &views::EventInspector::eventShown);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(first).center());
        QCOMPARE(f.session.cursor()->position(), qint64(0));
        QTRY_VERIFY_WITH_TIMEOUT(f.inspector->currentEvent() && f.inspector->currentEvent()->revision == 0, 10000);

        const RecordedEvent &e = expected.first();
        QCOMPARE(f.inspector->headerText(QStringLiteral("stream")), QString::fromUtf8(m_order));
        QCOMPARE(f.inspector->headerText(QStringLiteral("revision")), QStringLiteral("0"));
        QCOMPARE(f.inspector->headerText(QStringLiteral("type")), QStringLiteral("OrderPlaced"));
        QCOMPARE(f.inspector->headerText(QStringLiteral("id")), e.id.toString(QUuid::WithoutBraces));
        QCOMPARE(f.inspector->headerText(QStringLiteral("position")), QString::number(e.position.commit));
        QCOMPARE(f.inspector->headerText(QStringLiteral("contentType")), QStringLiteral("application/json"));
        QVERIFY(f.inspector->headerText(QStringLiteral("createdUtc"))
                    .startsWith(QDateTime::fromMSecsSinceEpoch(e.createdMsecsSinceEpoch(), Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))));
        // JSON: a foldable tree and highlighted text.
        QTreeWidgetItem *orderId = f.inspector->jsonTree()->itemAtPath(QStringLiteral("orderId"));
        QVERIFY(orderId);
        QCOMPARE(orderId->text(views::JsonTreeWidget::ValueColumn), QLatin1Char('"') + QString::fromUtf8(m_order) + QLatin1Char('"'));
        QTreeWidgetItem *city = f.inspector->jsonTree()->itemAtPath(QStringLiteral("shippingAddress/city"));
        QVERIFY(city);
        QTreeWidgetItem *address = city->parent();
        QVERIFY(address->isExpanded());
        address->setExpanded(false); // folds
        QVERIFY(!address->isExpanded());
        QVERIFY(f.inspector->textView()->toPlainText().contains(QStringLiteral("\"orderId\": \"") + QString::fromUtf8(m_order)));
        QCOMPARE(f.inspector->tabs()->currentWidget(), f.inspector->jsonTree());
        // Metadata, system keys first.
        QTreeWidget *meta = f.inspector->metadataView();
        QCOMPARE(meta->topLevelItem(0)->text(0), QStringLiteral("$correlationId"));
        QCOMPARE(meta->topLevelItem(0)->text(1), metaString(e, "$correlationId"));
        QCOMPARE(meta->topLevelItem(1)->text(0), QStringLiteral("$causationId"));
        QVERIFY(!meta->findItems(QStringLiteral("userId"), Qt::MatchExactly).isEmpty());

        // The cursor drives the selection.
        QVERIFY(f.show(2));
        QCOMPARE(table->currentIndex().row(), 2);
        QCOMPARE(f.inspector->headerText(QStringLiteral("revision")), QString::number(expected.at(2).revision));

        // Copy as JSON: the whole event.
        f.inspector->findChild<QToolButton *>(QStringLiteral("copyJsonButton"))->click();
        const QJsonObject copied = QJsonDocument::fromJson(QApplication::clipboard()->text().toUtf8()).object();
        QCOMPARE(copied.value(QLatin1String("eventId")).toString(), expected.at(2).id.toString(QUuid::WithoutBraces));
        QCOMPARE(copied.value(QLatin1String("streamId")).toString(), QString::fromUtf8(m_order));
        QCOMPARE(copied.value(QLatin1String("data")).toObject(), QJsonDocument::fromJson(expected.at(2).data).object());
        QCOMPARE(copied.value(QLatin1String("metadata")).toObject(), QJsonDocument::fromJson(expected.at(2).metadata).object());
    }

    void badPayloadsGetAMessageAndHex()
    {
        Fixture f;
        QVERIFY(f.load(m_client, m_binary));
        QVERIFY(f.show(0)); // raw bytes
        QCOMPARE(f.inspector->tabs()->currentWidget(), f.inspector->hexView());
        QVERIFY2(f.inspector->hexView()->toPlainText().startsWith(QStringLiteral("00000000  00 01 02 03")),
                 qPrintable(f.inspector->hexView()->toPlainText().left(80)));
        QVERIFY(!f.inspector->message().isEmpty());
        QVERIFY(!f.inspector->tabs()->isTabEnabled(0));

        QVERIFY(f.show(1)); // declared JSON, cut short
        QCOMPARE(f.inspector->tabs()->currentWidget(), f.inspector->hexView());
        QVERIFY2(f.inspector->message().contains(QLatin1String("offset"), Qt::CaseInsensitive)
                     || f.inspector->message().contains(QLatin1String("end"), Qt::CaseInsensitive),
                 qPrintable(f.inspector->message()));
        QSignalSpy shown(f.inspector, &views::EventInspector::eventShown);
        f.inspector->setDecoder(QStringLiteral("utf8")); // manual override
        QVERIFY(shown.wait(5000));
        QCOMPARE(f.inspector->payloadView().decoder, QStringLiteral("utf8"));
        QCOMPARE(f.inspector->textView()->toPlainText(), QStringLiteral("{\"a\": [1, 2, tru"));
        f.inspector->setDecoder(QString());
        QVERIFY(shown.wait(5000));

        QVERIFY(f.show(2)); // base64 of JSON, chosen automatically
        QCOMPARE(f.inspector->payloadView().decoder, QStringLiteral("base64"));
        QVERIFY(f.inspector->jsonTree()->itemAtPath(QStringLiteral("wrapped")));
        QCOMPARE(f.inspector->jsonTree()->itemAtPath(QStringLiteral("n"))->text(views::JsonTreeWidget::ValueColumn), QStringLiteral("42"));
    }

    void aSixteenMegabytePayloadIsShownCapped()
    {
        m_sandbox.server().store().setMaxAppendSize(20 * 1024 * 1024);
        QByteArray huge = "[";
        while (huge.size() < 16 * 1024 * 1024 - 64)
            huge += "{\"k\":\"0123456789abcdef0123456789abcdef\",\"n\":12345},";
        huge.chop(1);
        huge += ']';
        QVERIFY(!m_client->append("huge-1", ExpectedState::any(), {EventData::json("Huge", huge)}).error.isError());
        Fixture f;
        QVERIFY(f.load(m_client, "huge-1"));
        QElapsedTimer shown;
        shown.start();
        QSignalSpy spy(f.inspector, &views::EventInspector::eventShown);
        f.session.cursor()->setPosition(0);
        QVERIFY(spy.wait(20000));
        QCOMPARE(spy.last().at(0).toLongLong(), qint64(0));
        qDebug("16 MB payload shown after %lld ms", static_cast<long long>(shown.elapsed()));
        QCOMPARE(f.inspector->currentEvent()->data.size(), huge.size());
        QVERIFY(f.inspector->jsonTree()->wasTruncated());
        QVERIFY(f.inspector->jsonTree()->nodeCount() <= views::EventInspector::kMaxTreeNodes);
        QVERIFY(f.inspector->textView()->toPlainText().size() < views::EventInspector::kMaxPrettyChars + 200);
        QVERIFY(f.inspector->textView()->toPlainText().contains(QLatin1String("more bytes")));
        QVERIFY(f.inspector->hexView()->toPlainText().contains(QLatin1String("not shown"))
                || f.inspector->hexView()->toPlainText().contains(QLatin1String("more")));
    }

    void causationInTheSameStreamMovesTheCursor()
    {
        Fixture f;
        QVERIFY(f.load(m_client, m_order));
        const QList<RecordedEvent> events = readStream(m_order);
        QCOMPARE(events.at(1).type, QByteArray("ItemAdded"));
        QCOMPARE(metaString(events.at(1), "$causationId"), events.at(0).id.toString(QUuid::WithoutBraces));
        QVERIFY(f.show(1));
        QSignalSpy done(f.inspector, &views::EventInspector::causationFinished);
        QSignalSpy open(f.events, &EventsDock::openStreamRequested);
        f.inspector->findChild<QToolButton *>(QStringLiteral("causationButton"))->click();
        QVERIFY(done.wait(10000));
        QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
        QCOMPARE(f.session.cursor()->position(), qint64(0));
        QCOMPARE(open.count(), 0);
    }

    void causationInAnotherStreamAsksToOpenIt()
    {
        Fixture f;
        QVERIFY(f.load(m_client, m_payment));
        const RecordedEvent requested = readStream(m_payment).first();
        const QString cause = metaString(requested, "$causationId");
        qint64 expectedRevision = -1;
        for (const RecordedEvent &e : readStream(m_order))
            if (e.id.toString(QUuid::WithoutBraces) == cause)
                expectedRevision = qint64(e.revision);
        QVERIFY(expectedRevision > 0); // OrderConfirmed, in the order's stream
        QVERIFY(f.show(0));
        QSignalSpy open(f.events, &EventsDock::openStreamRequested);
        f.inspector->goToCausation();
        QVERIFY(open.wait(10000));
        QCOMPARE(open.first().at(0).toByteArray(), m_order);
        QCOMPARE(open.first().at(1).toLongLong(), expectedRevision);
        QCOMPARE(f.session.cursor()->position(), qint64(0));
    }

    void correlationChainListsTheEventsSharingTheId()
    {
        Fixture f;
        QVERIFY(f.load(m_client, m_order));
        QVERIFY(f.show(0));
        const QString correlation = metaString(*f.inspector->currentEvent(), "$correlationId");
        QSet<QString> expected; // "stream@revision", from the whole of $all
        for (const ResolvedEvent &e : m_client->readAll(ReadRequest::forAll()).events)
            if (!e.originalEvent().streamId.startsWith('$') && metaString(e.originalEvent(), "$correlationId") == correlation)
                expected.insert(QString::fromUtf8(e.originalEvent().streamId) + QLatin1Char('@') + QString::number(e.originalEvent().revision));
        QVERIFY(expected.size() >= 5);

        views::CorrelationChainView *chain = f.inspector->correlationView();
        QSignalSpy finished(chain, &views::CorrelationChainView::finished);
        f.inspector->findChild<QToolButton *>(QStringLiteral("correlationButton"))->click();
        QVERIFY(finished.wait(15000));
        QCOMPARE(f.inspector->tabs()->currentWidget(), chain);
        QSet<QString> listed;
        QTreeWidgetItem *paymentItem = nullptr;
        for (int i = 0; i < chain->list()->topLevelItemCount(); ++i) {
            QTreeWidgetItem *item = chain->list()->topLevelItem(i);
            listed.insert(item->text(0) + QLatin1Char('@') + item->text(1));
            if (item->text(0).toUtf8() == m_payment && !paymentItem)
                paymentItem = item;
        }
        QCOMPARE(listed, expected);
        QVERIFY(paymentItem);
        QSignalSpy open(f.events, &EventsDock::openStreamRequested);
        Q_EMIT chain->list()->itemActivated(paymentItem, 0);
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.first().at(0).toByteArray(), m_payment);
        QCOMPARE(open.first().at(1).toLongLong(), paymentItem->text(1).toLongLong());
    }

    void correlationChainReadsTheByCorrelationStream()
    {
        DemoSandbox projected;
        projected.server().store().configureProjections(true, true);
        QVERIFY2(projected.start(300), qPrintable(projected.error()));
        auto client = std::make_shared<const StreamsClient>(projected.settings());
        Fixture f;
        QVERIFY(f.load(client, "order-2"));
        QVERIFY(f.show(0));
        const QString correlation = metaString(*f.inspector->currentEvent(), "$correlationId");
        const ReadResult bc = client->readAll(ReadRequest::forStream("$bc-" + correlation.toUtf8()));
        QVERIFY(!bc.error.isError());
        QSignalSpy finished(f.inspector->correlationView(), &views::CorrelationChainView::finished);
        f.inspector->showCorrelationChain();
        QVERIFY(finished.wait(15000));
        QCOMPARE(f.inspector->correlationView()->list()->topLevelItemCount(), int(bc.events.size()));
        QVERIFY(f.inspector->findChild<QLabel *>(QStringLiteral("correlationStatus"))->text().contains(QLatin1String("$bc-")));
    }

    void jumpsToARevisionAndATime()
    {
        Fixture f;
        QVERIFY(f.load(m_client, m_order));
        const QList<RecordedEvent> events = readStream(m_order);
        QVERIFY(events.size() >= 4);
        f.list->table()->setFocus();
        QTest::keyClick(f.list->table(), Qt::Key_G, Qt::ControlModifier);
        auto *dialog = f.list->findChild<QDialog *>(QStringLiteral("jumpToRevisionDialog"));
        QVERIFY(dialog);
        auto *revision = dialog->findChild<QLineEdit *>(QStringLiteral("revisionEdit"));
        QTest::keyClicks(revision, QStringLiteral("x2")); // the validator keeps only digits
        QCOMPARE(revision->text(), QStringLiteral("2"));
        dialog->accept();
        QCOMPARE(f.session.cursor()->position(), qint64(2));
        QVERIFY(!f.list->jumpToRevision(9999));
        QCOMPARE(f.session.cursor()->position(), qint64(2));

        QTest::keyClick(f.list->table(), Qt::Key_T, Qt::ControlModifier);
        auto *timeDialog = f.list->findChild<QDialog *>(QStringLiteral("jumpToTimeDialog"));
        QVERIFY(timeDialog);
        auto *edit = timeDialog->findChild<QDateTimeEdit *>(QStringLiteral("timeEdit"));
        edit->setDateTime(QDateTime::fromMSecsSinceEpoch(events.at(3).createdMsecsSinceEpoch(), Qt::UTC).addMSecs(1));
        timeDialog->accept();
        QCOMPARE(f.session.cursor()->position(), qint64(3));
        QVERIFY(f.list->jumpToTime(QDateTime::fromMSecsSinceEpoch(events.first().createdMsecsSinceEpoch() - 60000, Qt::UTC)));
        QCOMPARE(f.session.cursor()->position(), qint64(0));
    }

    void filterAndSearchFromTheToolbar()
    {
        Fixture f;
        QVERIFY(f.load(m_client, m_order));
        const QList<RecordedEvent> events = readStream(m_order);
        int items = 0;
        for (const RecordedEvent &e : events)
            items += e.type == "ItemAdded";
        f.list->setTypeFilter({"ItemAdded"});
        QCOMPARE(f.list->model()->rowCount(), items);
        f.list->setTypeFilter({});
        QSignalSpy finished(f.list->search(), &PayloadSearch::finished);
        auto *edit = f.list->findChild<QLineEdit *>(QStringLiteral("searchEdit"));
        QTest::keyClicks(edit, QStringLiteral("unitPrice"));
        QTest::keyClick(edit, Qt::Key_Return);
        QVERIFY(finished.wait(10000));
        f.list->setFilterToMatches(true);
        QCOMPARE(f.list->model()->rowCount(), int(f.list->search()->matches().size()));
        int expected = 0;
        for (const RecordedEvent &e : events)
            expected += e.data.contains("unitPrice");
        QCOMPARE(f.list->model()->rowCount(), expected);
    }

    void newEventsOutOfSightAreCounted()
    {
        // A stream loaded in two batches: the user moves away after the first.
        const QByteArray big = "big-1";
        QList<EventData> batch;
        for (int i = 0; i < TimelineSession::kBatchSize + 500; ++i)
            batch.append(EventData::json("Tick", "{\"i\":" + QByteArray::number(i) + '}'));
        QVERIFY(!m_client->append(big, ExpectedState::any(), batch).error.isError());
        Fixture f;
        QSignalSpy finished(&f.session, &TimelineSession::loadFinished);
        int batches = 0;
        connect(&f.session, &TimelineSession::grown, this, [&]() {
            if (++batches == 1) { // right after the first batch, as a user would click
                QVERIFY(f.session.cursor()->atEnd());
                f.session.cursor()->setPosition(0);
            }
        });
        f.session.load(m_client, big);
        QVERIFY(finished.wait(15000));
        QCOMPARE(batches, 2);
        QCOMPARE(f.list->unseenNewEvents(), 500);
        auto *button = f.list->findChild<QPushButton *>(QStringLiteral("newEventsButton"));
        QVERIFY(button->isVisible());
        QVERIFY(button->text().contains(QLatin1String("500")));
        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(f.session.cursor()->atEnd());
        QCOMPARE(f.list->unseenNewEvents(), 0);
        QVERIFY(!button->isVisible());
    }
};

QTEST_MAIN(TestInspectorDocks)
#include "tst_inspectordocks.moc"
