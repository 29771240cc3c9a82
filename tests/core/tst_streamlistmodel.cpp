#include "catalog/StreamListModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace chronoscope;

class TestStreamListModel : public QObject
{
    Q_OBJECT

    static QString names(const QAbstractItemModel &model)
    {
        QStringList out;
        for (int r = 0; r < model.rowCount(); ++r)
            out << model.index(r, 0).data().toString();
        return out.join(QLatin1Char(' '));
    }

private Q_SLOTS:
    void appendsInBatchesUnderTheTester()
    {
        StreamListModel model;
        QSortFilterProxyModel proxy;
        proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
        // Testers attach before any data arrives, to the model and to the proxy.
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

        model.appendBatch({"order-2", "customer-1", "order-1"});
        model.appendBatch({"order-1", "payment-7", "payment-7", "order-10"}); // repeats are dropped
        model.appendBatch({"order-2"});                                       // nothing new: no signal

        QCOMPARE(inserted.size(), 2);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 2);
        QCOMPARE(inserted.at(1).at(1).toInt(), 3);
        QCOMPARE(inserted.at(1).at(2).toInt(), 4);
        QCOMPARE(names(model), QStringLiteral("order-2 customer-1 order-1 payment-7 order-10"));

        proxy.setFilterFixedString(QStringLiteral("ORDER-1"));
        QCOMPARE(names(proxy), QStringLiteral("order-1 order-10"));
        model.appendBatch({"order-11", "customer-2"});
        QCOMPARE(names(proxy), QStringLiteral("order-1 order-10 order-11"));
    }

    void rolesCarryRawValues_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("category");
        QTest::addColumn<bool>("isSystem");
        QTest::addRow("category") << QByteArray("order-4711") << QByteArray("order") << false;
        QTest::addRow("two dashes") << QByteArray("order-eu-1") << QByteArray("order") << false;
        QTest::addRow("no dash") << QByteArray("inventory") << QByteArray() << false;
        QTest::addRow("system") << QByteArray("$ce-order") << QByteArray("$ce") << true;
        QTest::addRow("utf-8") << QByteArray("k\xc3\xa4se-1") << QByteArray("k\xc3\xa4se") << false;
    }

    void rolesCarryRawValues()
    {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, category);
        QFETCH(bool, isSystem);
        StreamListModel model;
        model.appendBatch({name});
        const QModelIndex index = model.index(0);
        QCOMPARE(index.data().toString(), QString::fromUtf8(name));
        QCOMPARE(index.data(StreamListModel::NameRole).toByteArray(), name);
        QCOMPARE(index.data(StreamListModel::CategoryRole).toByteArray(), category);
        QCOMPARE(index.data(StreamListModel::IsSystemRole).toBool(), isSystem);
        QVERIFY(!index.data(StreamListModel::LastEventTimeRole).isValid()); // not seen yet
        QCOMPARE(index.data(StreamListModel::EventCountSeenRole).toULongLong(), 0u);
        QCOMPARE(model.rowOf(name), 0);
        QCOMPARE(model.nameAt(0), name);
    }

    void sightingsUpdateOneRangeAndAppendUnknownStreams()
    {
        StreamListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.appendBatch({"a-1", "b-1", "c-1", "d-1"});
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

        model.updateSightings({{"c-1", 2000, 3}, {"b-1", 1000, 1}, {"e-1", 500, 1}});

        QCOMPARE(inserted.size(), 1); // e-1, in one batch
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
        QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 4);
        const auto roles = changed.at(0).at(2).value<QList<int>>();
        QVERIFY(roles.contains(StreamListModel::LastEventTimeRole));
        QVERIFY(roles.contains(StreamListModel::EventCountSeenRole));
        QCOMPARE(model.index(2).data(StreamListModel::LastEventTimeRole).toLongLong(), 2000);
        QCOMPARE(model.index(2).data(StreamListModel::EventCountSeenRole).toULongLong(), 3u);

        model.updateSightings({{"c-1", 2000, 3}}); // no change: no signal
        QCOMPARE(changed.size(), 1);
    }

    void clearResets()
    {
        StreamListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.appendBatch({"a-1", "b-1"});
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.clear();
        QCOMPARE(reset.size(), 1);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.rowOf("a-1"), -1);
        model.appendBatch({"a-1"});
        QCOMPARE(model.rowOf("a-1"), 0);
    }
};

QTEST_GUILESS_MAIN(TestStreamListModel)
#include "tst_streamlistmodel.moc"
