// The event list model over a real TimelineSession loaded from the demo history in memory.
#include "EngineTestSupport.h"
#include "session/PayloadSearch.h"
#include "session/TimelineEventModel.h"
#include "session/TimelineSession.h"
#include "timeline/InMemoryTimelineSource.h"
#include "timeline/TimelineIndex.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace chronoscope;
using engine::InMemoryTimelineSource;

class TestTimelineEventModel : public QObject
{
    Q_OBJECT

    QList<RecordedEvent> m_all;    ///< the demo history, as `$all`
    QList<RecordedEvent> m_mixed;  ///< varied demo payloads in one stream, over many cache blocks
    QList<RecordedEvent> m_orders; ///< `$ce-order` read with its links resolved: targets at the links' places
    static constexpr const char *kMixed = "mixed-1";

    QList<RecordedEvent> readStream(const QByteArray &stream) const
    {
        if (stream == kMixed)
            return m_mixed;
        if (stream == "$ce-order")
            return m_orders;
        QList<RecordedEvent> out;
        for (const RecordedEvent &e : m_all)
            if (e.streamId == stream)
                out.append(e);
        return out;
    }

    bool load(TimelineSession &session, const QByteArray &stream, QList<RecordedEvent> events = {}) const
    {
        InMemoryTimelineSource::Options options;
        options.resolvesLinks = stream.startsWith("$ce-");
        if (events.isEmpty())
            events = readStream(stream);
        QSignalSpy finished(&session, &TimelineSession::loadFinished);
        session.load(std::make_shared<InMemoryTimelineSource>(stream, events, options));
        return finished.wait(15000) && !finished.first().at(0).value<ClientError>().isError();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_all = enginetest::demoEvents(12000);
        for (const RecordedEvent &e : std::as_const(m_all)) {
            if (m_mixed.size() < 1500) {
                RecordedEvent copy = e;
                copy.streamId = kMixed;
                copy.revision = quint64(m_mixed.size());
                m_mixed.append(copy);
            }
            if (e.streamId.startsWith("order-")) {
                RecordedEvent target = e;
                target.revision = quint64(m_orders.size()); // the link's place in `$ce-order`
                m_orders.append(target);
            }
        }
        QCOMPARE(m_mixed.size(), 1500);
    }

    void rowsAreTheIndexInBothOrders()
    {
        TimelineSession session;
        TimelineEventModel model(&session);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(load(session, "order-3"));
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
        QVERIFY(load(session, "$ce-order"));
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
        QVERIFY(load(session, "order-5"));
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
        QVERIFY(load(session, "$ce-order"));
        int expected = 0;
        for (const RecordedEvent &e : readStream("$ce-order"))
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
        QVERIFY(load(session, kMixed));
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
        QVERIFY(load(session, kMixed));
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

    void flagsLinksWhoseTargetIsGone()
    {
        // order-2 was deleted: its links no longer resolve, and the read gives the links themselves.
        QList<RecordedEvent> links = m_orders;
        int expected = 0; // also the target's revision in order-2
        for (qsizetype i = 0; i < links.size(); ++i) {
            if (links[i].streamId != "order-2")
                continue;
            RecordedEvent link;
            link.streamId = "$ce-order";
            link.revision = links[i].revision;
            link.position = links[i].position;
            link.type = "$>";
            link.createdTicks = links[i].createdTicks;
            link.data = QByteArray::number(expected) + "@order-2";
            links[i] = link;
            ++expected;
        }
        QVERIFY(expected > 0);
        TimelineSession session;
        TimelineEventModel model(&session);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(load(session, "$ce-order", links));
        int flagged = 0;
        for (int row = 0; row < model.rowCount(); ++row)
            if (model.index(row, TimelineEventModel::Type).data(TimelineEventModel::DeletedTargetRole).toBool()) {
                ++flagged;
                QVERIFY(model.index(row, TimelineEventModel::Type).data().toString().contains(QLatin1String("deleted")));
                QCOMPARE(session.index().typeName(quint64(model.ordinalAt(row))), QByteArray("$>"));
            }
        QCOMPARE(flagged, expected);
    }
};

QTEST_GUILESS_MAIN(TestTimelineEventModel)
#include "tst_timelineeventmodel.moc"
