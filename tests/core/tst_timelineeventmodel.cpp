// The event list model over a real TimelineSession loaded from an in-process sandbox.
#include "client/StreamsClient.h"
#include "session/PayloadSearch.h"
#include "session/TimelineEventModel.h"
#include "session/TimelineSession.h"
#include "support/DemoSandbox.h"
#include "timeline/TimelineIndex.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace chronoscope;

class TestTimelineEventModel : public QObject
{
    Q_OBJECT

    DemoSandbox m_sandbox;
    std::shared_ptr<const StreamsClient> m_client;
    static constexpr const char *kMixed = "mixed-1";

    QList<RecordedEvent> readStream(const QByteArray &stream, bool resolve = false)
    {
        QList<RecordedEvent> out;
        const ReadResult r = m_client->readAll(ReadRequest::forStream(stream).resolvingLinks(resolve));
        for (const ResolvedEvent &e : r.events)
            out.append(e.event ? *e.event : *e.link);
        return out;
    }

    static bool load(TimelineSession &session, const std::shared_ptr<const StreamsClient> &client,
                     const QByteArray &stream, bool resolve = false)
    {
        QSignalSpy finished(&session, &TimelineSession::loadFinished);
        session.load(client, stream, resolve);
        return finished.wait(15000) && !finished.first().at(0).value<ClientError>().isError();
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Projections on: `$ce-order` (links) has several load batches of events.
        m_sandbox.server().store().configureProjections(true, true);
        QVERIFY2(m_sandbox.start(12000), qPrintable(m_sandbox.error()));
        m_client = std::make_shared<const StreamsClient>(m_sandbox.settings());
        // A plain stream of varied demo payloads over many cache blocks, for the payload search.
        QList<EventData> copies;
        for (const ResolvedEvent &e : m_client->readAll(ReadRequest::forAll().count(8000)).events)
            if (!e.originalEvent().streamId.startsWith('$') && copies.size() < 1500)
                copies.append(EventData::json(e.originalEvent().type, e.originalEvent().data, e.originalEvent().metadata));
        QCOMPARE(copies.size(), 1500);
        QVERIFY(!m_client->append(kMixed, ExpectedState::any(), copies).error.isError());
    }

    void rowsAreTheIndexInBothOrders()
    {
        TimelineSession session;
        TimelineEventModel model(&session);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(load(session, m_client, "order-3"));
        const QList<RecordedEvent> expected = readStream("order-3");
        QVERIFY(expected.size() >= 3);
        QCOMPARE(model.rowCount(), int(expected.size()));
        QCOMPARE(model.columnCount(), int(TimelineEventModel::ColumnCount));
        for (int row = 0; row < model.rowCount(); ++row) {
            const RecordedEvent &e = expected.at(row);
            QCOMPARE(model.index(row, TimelineEventModel::Revision).data().toULongLong(), e.revision);
            QCOMPARE(model.index(row, TimelineEventModel::Position).data().toULongLong(), e.position.commit);
            QCOMPARE(model.index(row, TimelineEventModel::Type).data().toString(), QString::fromUtf8(e.type));
            QCOMPARE(model.index(row, TimelineEventModel::Created).data(TimelineEventModel::SortRole).toLongLong(),
                     e.createdTicks);
            QCOMPARE(model.index(row, TimelineEventModel::Created).data().toString(),
                     QDateTime::fromMSecsSinceEpoch(e.createdMsecsSinceEpoch(), Qt::UTC)
                         .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")));
            QCOMPARE(model.index(row, TimelineEventModel::Size).data().toUInt(), quint32(e.data.size() + e.metadata.size()));
            QCOMPARE(model.rowForOrdinal(quint64(row)), row);
        }
        model.setNewestFirst(true);
        const int n = model.rowCount();
        for (int row = 0; row < n; ++row) {
            QCOMPARE(model.index(row, TimelineEventModel::Revision).data().toULongLong(), expected.at(n - 1 - row).revision);
            QCOMPARE(model.ordinalAt(row), qint64(n - 1 - row));
            QCOMPARE(model.rowForOrdinal(quint64(n - 1 - row)), row);
        }
        model.setShowUtc(false);
        QCOMPARE(model.headerData(TimelineEventModel::Created, Qt::Horizontal).toString(), QStringLiteral("Created (local)"));
        QCOMPARE(model.index(n - 1, TimelineEventModel::Created).data().toString(),
                 QDateTime::fromMSecsSinceEpoch(expected.first().createdMsecsSinceEpoch(), Qt::LocalTime)
                     .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")));
    }

    void growsInBatches_data()
    {
        QTest::addColumn<bool>("newestFirst");
        QTest::addRow("oldest first") << false;
        QTest::addRow("newest first") << true;
    }

    void growsInBatches()
    {
        QFETCH(bool, newestFirst);
        TimelineSession session;
        TimelineEventModel model(&session);
        model.setNewestFirst(newestFirst);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QList<int> firstRows;
        connect(&model, &QAbstractItemModel::rowsInserted, this,
                [&](const QModelIndex &, int first, int) { firstRows.append(first); });
        QVERIFY(load(session, m_client, "$ce-order", true));
        const quint64 total = session.index().size();
        QVERIFY2(total > quint64(TimelineSession::kBatchSize), "the stream must need several batches");
        QCOMPARE(quint64(model.rowCount()), total);
        QVERIFY(firstRows.size() >= 2); // one insertion per batch, not per event
        QCOMPARE(firstRows.at(1), newestFirst ? 0 : TimelineSession::kBatchSize);
        // The newest event is at the end (or the top).
        const int newestRow = newestFirst ? 0 : model.rowCount() - 1;
        QCOMPARE(model.ordinalAt(newestRow), qint64(total - 1));
    }

    void correlationArrivesLazily()
    {
        TimelineSession session;
        TimelineEventModel model(&session);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(load(session, m_client, "order-5"));
        const QList<RecordedEvent> expected = readStream("order-5");
        const QModelIndex cell = model.index(1, TimelineEventModel::Correlation);
        QCOMPARE(cell.data().toString(), QStringLiteral("…"));
        QVERIFY(cell.data(TimelineEventModel::PendingRole).toBool());
        QTRY_VERIFY_WITH_TIMEOUT(!cell.data(TimelineEventModel::PendingRole).toBool(), 10000);
        const QString want = QJsonDocument::fromJson(expected.at(1).metadata).object().value(QLatin1String("$correlationId")).toString();
        QVERIFY(!want.isEmpty());
        QCOMPARE(cell.data().toString(), want);
    }

    void filtersByType()
    {
        TimelineSession session;
        TimelineEventModel model(&session);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        // The filter is set before loading: growth must filter too.
        model.setTypeFilter({"OrderPlaced", "OrderShipped"});
        QVERIFY(load(session, m_client, "$ce-order", true));
        int expected = 0;
        for (const RecordedEvent &e : readStream("$ce-order", true))
            expected += e.type == "OrderPlaced" || e.type == "OrderShipped";
        QVERIFY(expected > 100);
        QCOMPARE(model.rowCount(), expected);
        for (int row = 0; row < model.rowCount(); row += 37) {
            const QString type = model.index(row, TimelineEventModel::Type).data().toString();
            QVERIFY2(type == QLatin1String("OrderPlaced") || type == QLatin1String("OrderShipped"), qPrintable(type));
        }
        const qint64 ordinal = model.ordinalAt(model.rowCount() / 2);
        QCOMPARE(model.rowForOrdinal(quint64(ordinal)), model.rowCount() / 2);
        model.setTypeFilter({});
        QCOMPARE(quint64(model.rowCount()), session.index().size());
    }

    void searchFindsPayloadText_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addRow("sku") << QStringLiteral("KB-MECH-87");
        QTest::addRow("lower case") << QStringLiteral("kb-mech-87");
        QTest::addRow("metadata") << QStringLiteral("svc-fulfilment");
        QTest::addRow("nothing") << QStringLiteral("no such text anywhere");
    }

    void searchFindsPayloadText()
    {
        QFETCH(QString, text);
        TimelineSession session;
        TimelineEventModel model(&session);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(load(session, m_client, kMixed));
        PayloadSearch search(&session);
        QSignalSpy finished(&search, &PayloadSearch::finished);
        search.start(text);
        QVERIFY(search.isRunning());
        QVERIFY(finished.wait(15000));
        QCOMPARE(finished.first().at(0).toBool(), false);
        QCOMPARE(finished.first().at(1).toString(), QString());

        QSet<quint64> expected;
        const QList<RecordedEvent> events = readStream(kMixed);
        const QByteArray needle = text.toUtf8().toLower();
        for (qsizetype i = 0; i < events.size(); ++i)
            if (events.at(i).data.toLower().contains(needle) || events.at(i).metadata.toLower().contains(needle))
                expected.insert(quint64(i));
        QCOMPARE(search.matches(), expected);

        model.setSearchMatches(search.matches(), true, false);
        QCOMPARE(quint64(model.rowCount()), session.index().size());
        if (!expected.isEmpty()) {
            const quint64 hit = *expected.cbegin();
            QVERIFY(model.index(model.rowForOrdinal(hit), 0).data(TimelineEventModel::SearchMatchRole).toBool());
        }
        model.setSearchMatches(search.matches(), true, true);
        QCOMPARE(model.rowCount(), int(expected.size()));
        for (int row = 0; row < model.rowCount(); ++row)
            QVERIFY(expected.contains(quint64(model.ordinalAt(row))));
    }

    void searchCanBeCancelled()
    {
        TimelineSession session;
        QVERIFY(load(session, m_client, kMixed));
        PayloadSearch search(&session);
        QSignalSpy finished(&search, &PayloadSearch::finished);
        search.start(QStringLiteral("x"));
        search.cancel();
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.first().at(0).toBool(), true);
        QVERIFY(!search.isRunning());
        QTest::qWait(200); // nothing arrives after the cancel
        QCOMPARE(finished.count(), 1);
    }

    // Last: it deletes a stream.
    void flagsLinksWhoseTargetIsGone()
    {
        const DeleteResult deleted = m_client->deleteStream("order-2", ExpectedState::any());
        QVERIFY2(!deleted.error.isError(), qPrintable(deleted.error.toString()));
        TimelineSession session;
        TimelineEventModel model(&session);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(load(session, m_client, "$ce-order", true));
        int flagged = 0;
        for (int row = 0; row < model.rowCount(); ++row)
            if (model.index(row, TimelineEventModel::Type).data(TimelineEventModel::DeletedTargetRole).toBool()) {
                ++flagged;
                QVERIFY(model.index(row, TimelineEventModel::Type).data().toString().contains(QLatin1String("deleted")));
            }
        int expected = 0;
        const ReadResult links = m_client->readAll(ReadRequest::forStream("$ce-order").resolvingLinks());
        for (const ResolvedEvent &e : links.events)
            expected += e.isUnresolvedLink();
        QVERIFY(expected > 0);
        QCOMPARE(flagged, expected);
    }
};

QTEST_GUILESS_MAIN(TestTimelineEventModel)
#include "tst_timelineeventmodel.moc"
