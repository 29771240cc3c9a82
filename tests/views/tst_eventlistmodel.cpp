#include "DemoSandbox.h"
#include "EventListModel.h"
#include "StreamsClient.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

using namespace chronoscope;

class TestEventListModel : public QObject
{
    Q_OBJECT

    DemoSandbox m_sandbox;
    std::shared_ptr<const StreamsClient> m_client;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_sandbox.start(2000), qPrintable(m_sandbox.error()));
        m_client = std::make_shared<const StreamsClient>(m_sandbox.settings());
    }

    void loadsTheNewestEventsNewestFirst()
    {
        EventListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&model, &EventListModel::loaded);
        model.load(m_client, "order-1");
        QVERIFY(model.isLoading());
        QCOMPARE(model.stream(), QByteArray("order-1"));
        QVERIFY(loaded.wait(30000));
        QVERIFY(!model.isLoading());
        QVERIFY(!loaded.at(0).at(0).value<ClientError>());

        const ReadResult expected = m_client->readAll(ReadRequest::forStream("order-1", Direction::Backwards).count(100));
        QCOMPARE(model.rowCount(), int(expected.events.size()));
        QVERIFY(model.rowCount() > 1);
        QCOMPARE(model.columnCount(), int(EventListModel::ColumnCount));
        for (int row = 0; row < model.rowCount(); ++row) {
            const RecordedEvent &e = expected.events.at(row).originalEvent();
            QCOMPARE(model.index(row, EventListModel::RevisionColumn).data().toULongLong(), e.revision);
            QCOMPARE(model.index(row, EventListModel::TypeColumn).data().toString(), QString::fromUtf8(e.type));
            QCOMPARE(model.index(row, EventListModel::TypeColumn).data(EventListModel::SortRole).toByteArray(), e.type);
            const QDateTime created = model.index(row, EventListModel::CreatedColumn).data().toDateTime();
            QCOMPARE(created.timeSpec(), Qt::UTC);
            QCOMPARE(created.toMSecsSinceEpoch(), e.createdMsecsSinceEpoch());
            QCOMPARE(model.index(row, EventListModel::CreatedColumn).data(EventListModel::SortRole).toLongLong(),
                     e.createdMsecsSinceEpoch());
        }
        QCOMPARE(model.headerData(EventListModel::CreatedColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Created (UTC)"));
    }

    void honoursTheCount()
    {
        EventListModel model;
        QSignalSpy loaded(&model, &EventListModel::loaded);
        model.load(m_client, "order-1", 2);
        QVERIFY(loaded.wait(30000));
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(model.index(0, 0).data().toULongLong() > model.index(1, 0).data().toULongLong());
    }

    void latestRequestWins()
    {
        EventListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&model, &EventListModel::loaded);
        model.load(m_client, "order-1");
        model.load(m_client, "customer-1");
        QVERIFY(loaded.wait(30000));
        QTest::qWait(200);
        QCOMPARE(loaded.size(), 1);
        QCOMPARE(model.stream(), QByteArray("customer-1"));
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.eventAt(row).streamId, QByteArray("customer-1"));
    }

    void missingStreamIsAnError()
    {
        EventListModel model;
        QSignalSpy loaded(&model, &EventListModel::loaded);
        model.load(m_client, "no-such-stream");
        QVERIFY(loaded.wait(30000));
        QCOMPARE(loaded.at(0).at(0).value<ClientError>().kind, ClientError::Kind::StreamNotFound);
        QCOMPARE(model.rowCount(), 0);
    }

    void clearCancels()
    {
        EventListModel model;
        QSignalSpy loaded(&model, &EventListModel::loaded);
        model.load(m_client, "order-1");
        model.clear();
        QVERIFY(!model.isLoading());
        QTest::qWait(200);
        QCOMPARE(loaded.size(), 0);
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestEventListModel)
#include "tst_eventlistmodel.moc"
