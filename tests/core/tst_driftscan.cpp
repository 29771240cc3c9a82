// The drift scan against the sandbox's demo history and a real PostgreSQL read model: the orders table is
// seeded from the events, then drifted on purpose (changed fields, deleted rows, rows without events); the
// scan must find exactly that set, with the differing paths, and nothing else.
#include "ReadModelTestSupport.h"
#include "client/StreamsClient.h"
#include "fold/MergeReducer.h"
#include "readmodel/DriftScan.h"
#include "readmodel/postgres/PostgresSource.h"
#include "readmodel/redis/RedisSource.h"
#include "support/DemoOrdersTable.h"
#include "support/DemoSandbox.h"
#include "support/PostgresServer.h"
#include "support/RedisServer.h"

#include <QTest>

#include <atomic>

using namespace chronoscope;
using namespace chronoscope::readmodel;

namespace {

const QByteArray kMapping = demoorders::mapping();

/// A real source whose server is killed (immediate shutdown) once the second batch has been handed over.
class KilledAfterTwoBatches : public ReadModelSource
{
public:
    KilledAfterTwoBatches(ReadModelSource &inner, PostgresServer &server) : m_inner(inner), m_server(server) {}
    QString describe() const override { return m_inner.describe(); }
    ReadModelError connect() override { return m_inner.connect(); }
    RowLookup fetchRow(const QString &id) override { return m_inner.fetchRow(id); }
    ReadModelError scan(int batchSize, const CancellationPtr &cancel, const BatchSink &sink) override
    {
        int batches = 0;
        return m_inner.scan(batchSize, cancel, [&](const QList<ReadModelRow> &batch) {
            const bool more = sink(batch);
            if (++batches == 2)
                m_server.crashFromAnyThread(); // the scan runs on the drift scan's row thread
            return more;
        });
    }

private:
    ReadModelSource &m_inner;
    PostgresServer &m_server;
};

/// The merge reducer, as a reducer that reads metadata: counts the events it folds that still have their
/// metadata and their stream's name (the scan drops what a reducer does not read, and nothing else).
class MetadataWitness : public engine::Reducer
{
public:
    struct Counts
    {
        std::atomic<quint64> events{0}, withMetadata{0}, named{0};
    };
    explicit MetadataWitness(Counts &counts) : m_counts(counts) {}
    QString name() const override { return QStringLiteral("witness"); }
    void reset() override { m_inner.reset(); }
    void restore(const QJsonValue &state) override { m_inner.restore(state); }
    engine::FoldResult fold(const engine::FoldEvent *events, qsizetype count) override
    {
        for (qsizetype i = 0; i < count; ++i) {
            ++m_counts.events;
            m_counts.withMetadata += events[i].event->metadata.contains("$correlationId") ? 1 : 0;
            m_counts.named += events[i].event->streamId.startsWith("order-") ? 1 : 0;
        }
        return m_inner.fold(events, count);
    }
    QJsonValue state() const override { return m_inner.state(); }
    std::unique_ptr<Reducer> clone() const override { return std::make_unique<MetadataWitness>(m_counts); }

private:
    Counts &m_counts;
    engine::MergeReducer m_inner;
};

QString sql(const QString &v)
{
    return QLatin1Char('\'') + QString(v).replace(QLatin1Char('\''), QStringLiteral("''")) + QLatin1Char('\'');
}

} // namespace

class TestDriftScan : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = PostgresServer::missingReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        QVERIFY2(m_sandbox.start(4000), qPrintable(m_sandbox.error()));
        m_client = std::make_unique<StreamsClient>(m_sandbox.settings());
        QVERIFY2(m_pg.start(), qPrintable(m_pg.error()));

        // The read model as a correct projector would have written it: from each order's folded events.
        demoorders::Table table = demoorders::create(*m_client, m_pg);
        QVERIFY2(table.error.isEmpty(), qPrintable(table.error));
        QVERIFY(table.orders.size() > 50);
        m_orders = table.orders;
        m_states = table.states;
    }

    void aFaithfulReadModelHasNoDrift()
    {
        const DriftReport report = scan();
        QVERIFY(report.complete());
        QCOMPARE(report.counts.aggregates, quint64(m_orders.size()));
        QCOMPARE(report.counts.rows, quint64(m_orders.size()));
        QVERIFY2(report.drifts.isEmpty(),
                 qPrintable(report.drifts.value(0).aggregateId + QLatin1Char(' ')
                            + report.drifts.value(0).paths.join(QLatin1Char(',')) + QLatin1Char(' ')
                            + report.drifts.value(0).problem));
        QCOMPARE(report.counts.equal, quint64(m_orders.size()));
    }

    void findsExactlyTheSeededDrift()
    {
        // Drift: 4 orders in the wrong currency, 2 with one item too many, 3 rows gone, 2 rows of no order.
        const QStringList currency = m_orders.mid(3, 4);
        const QStringList items{m_orders.at(10), m_orders.at(11)};
        const QStringList gone = m_orders.mid(20, 3);
        QString drift;
        for (const QString &id : currency)
            drift += QStringLiteral("UPDATE orders SET currency = 'XXX' WHERE order_id = %1;\n").arg(sql(id));
        for (const QString &id : items)
            drift +=
                QStringLiteral("UPDATE orders SET items = coalesce(items, 0) + 1 WHERE order_id = %1;\n").arg(sql(id));
        for (const QString &id : gone)
            drift += QStringLiteral("DELETE FROM orders WHERE order_id = %1;\n").arg(sql(id));
        drift += QStringLiteral(
            "INSERT INTO orders (order_id, currency) VALUES ('ghost-1', 'EUR'), ('ghost-2', 'SEK');\n");
        QString out;
        QVERIFY2(m_pg.psql(drift, &out), qPrintable(out));

        QList<DriftProgress> progress;
        const DriftReport report = scan(nullptr, &progress);
        QVERIFY(report.complete());
        QHash<QString, AggregateDrift> found;
        for (const AggregateDrift &d : report.drifts)
            found.insert(d.aggregateId, d);
        QCOMPARE(report.counts.different, quint64(6));
        QCOMPARE(report.counts.missingRow, quint64(3));
        QCOMPARE(report.counts.rowWithoutEvents, quint64(2));
        QCOMPARE(report.counts.unreadable, quint64(0));
        QCOMPARE(report.counts.equal, quint64(m_orders.size() - 9));
        QCOMPARE(found.size(), 11);
        for (const QString &id : currency) {
            QCOMPARE(found.value(id).status, AggregateDrift::Status::Different);
            QCOMPARE(found.value(id).paths, QStringList{QStringLiteral("/state/currency")});
        }
        for (const QString &id : items) {
            QCOMPARE(found.value(id).status, AggregateDrift::Status::Different);
            QCOMPARE(found.value(id).paths, QStringList{QStringLiteral("/state/items")});
        }
        for (const QString &id : gone)
            QCOMPARE(found.value(id).status, AggregateDrift::Status::MissingRow);
        QCOMPARE(found.value(QStringLiteral("ghost-1")).status, AggregateDrift::Status::RowWithoutEvents);
        QCOMPARE(found.value(QStringLiteral("ghost-2")).status, AggregateDrift::Status::RowWithoutEvents);
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.constLast().phase, DriftProgress::Phase::Done);
        QCOMPARE(progress.constLast().folded, quint64(m_orders.size()));

        // The same scan over $ce-order (the server's $by_category links, resolved) finds the same set.
        m_sandbox.server().store().configureProjections(true, true);
        DriftScanOptions viaCategory;
        viaCategory.readCategoryStream = true;
        const DriftReport ce = scan(nullptr, nullptr, viaCategory);
        QVERIFY2(ce.complete(), qPrintable(ce.eventsError.toString()));
        QCOMPARE(ce.counts.events, report.counts.events);
        QCOMPARE(lines(ce), lines(report));
    }

    void aRedisReadModelThroughATransform()
    {
        if (const QString why = RedisServer::missingReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        RedisServer redis;
        QVERIFY2(redis.start(), qPrintable(redis.error()));
        // The summary keeps the currency lower-case and the item count under "n"; two orders drifted.
        const QStringList drifted{m_orders.at(1), m_orders.at(2)};
        QString seed;
        const QString broken = m_orders.at(5); // its key holds a string, not a hash
        for (auto it = m_states.constBegin(); it != m_states.constEnd(); ++it) {
            if (it.key() == broken) {
                seed += QStringLiteral("SET order-summary:%1 oops\n").arg(broken);
                continue;
            }
            const QString currency = it.value().value(QStringLiteral("currency")).toString().toLower();
            seed += QStringLiteral("HSET order-summary:%1 cur %2")
                        .arg(it.key(), drifted.contains(it.key()) ? QStringLiteral("xxx") : currency);
            if (it.value().contains(QStringLiteral("items")))
                seed += QStringLiteral(" n %1").arg(it.value().value(QStringLiteral("items")).toInteger());
            seed += QLatin1Char('\n');
        }
        QString out;
        QVERIFY2(redis.cli(seed, &out), qPrintable(out));
        const QByteArray mapping =
            R"json({"backend": "redis", "category": "order", "endpoint": "test", "key": "order-summary:{id}",
            "transform": ["(row) => ({ state: {", "  currency: row.cur.toUpperCase(),",
                          "  items: row.n === undefined ? undefined : Number(row.n) } })"],
            "fields": {"state.currency": "state.currency", "state.items": {"column": "state.items", "type": "integer"}}})json";
        RedisSource rows(readmodeltest::endpoint(ReadModelEndpoint::Backend::Redis, redis.host(), redis.port()),
                         redis.password(), readmodeltest::mapping(mapping));
        DriftScanOptions options;
        options.workers = 3;
        DriftScan scan(
            *m_client, rows, readmodeltest::mapping(mapping), [] { return std::make_unique<engine::MergeReducer>(); },
            options);
        const DriftReport report = scan.run();
        QVERIFY2(report.complete(), qPrintable(report.rowsError.toString() + report.eventsError.toString()));
        QCOMPARE(report.counts.different, quint64(2));
        QCOMPARE(report.counts.unreadable, quint64(1));
        QCOMPARE(report.counts.drifted(), quint64(3));
        QCOMPARE(report.counts.equal, quint64(m_orders.size() - 3));
        for (const AggregateDrift &d : report.drifts) {
            if (d.aggregateId == broken) {
                QCOMPARE(d.status, AggregateDrift::Status::Unreadable);
                QVERIFY2(d.problem.contains(QStringLiteral("WRONGTYPE")), qPrintable(d.problem));
            } else {
                QVERIFY(drifted.contains(d.aggregateId));
                QCOMPARE(d.paths, QStringList{QStringLiteral("/state/currency")});
            }
        }
    }

    void aServerGoneMidScanReportsNoDrift()
    {
        PostgresServer doomed;
        QVERIFY2(doomed.start(), qPrintable(doomed.error()));
        QString out;
        QVERIFY2(doomed.psql(QStringLiteral(
                                 "CREATE TABLE orders (order_id text PRIMARY KEY, customer_id text, currency text,"
                                 " items int, carrier text, placed_at timestamptz);"
                                 "INSERT INTO orders (order_id) SELECT g::text FROM generate_series(1, 2000) g;"),
                             &out),
                 qPrintable(out));
        PostgresSource real(readmodeltest::endpoint(ReadModelEndpoint::Backend::PostgreSql, doomed.host(),
                                                    doomed.port(), doomed.database(), doomed.user()),
                            doomed.password(), readmodeltest::mapping(kMapping));
        KilledAfterTwoBatches rows(real, doomed);
        DriftScanOptions options;
        options.rowBatchSize = 100;
        DriftScan scan(
            *m_client, rows, readmodeltest::mapping(kMapping), [] { return std::make_unique<engine::MergeReducer>(); },
            options);
        const DriftReport report = scan.run();
        QVERIFY(!report.complete());
        QCOMPARE(report.rowsError.kind, ReadModelError::Kind::ServerGone);
        QVERIFY2(report.rowsError.message.contains(QStringLiteral("after 200 rows")),
                 qPrintable(report.rowsError.message));
        QVERIFY(report.drifts.isEmpty()); // a half-read table is not "missing rows"
        QVERIFY(!report.eventsError);
    }

    void aReducerThatReadsMetadataHasIt()
    {
        QVERIFY(!engine::MergeReducer().readsMetadata()); // the scan drops it for the merge reducer
        MetadataWitness::Counts counts;
        PostgresSource rows(endpoint(), m_pg.password(), readmodeltest::mapping(kMapping));
        DriftScan scan(*m_client, rows, readmodeltest::mapping(kMapping),
                       [&counts] { return std::make_unique<MetadataWitness>(counts); });
        const DriftReport report = scan.run();
        QVERIFY(report.complete());
        QVERIFY(report.counts.events > 0);
        QCOMPARE(counts.events.load(), report.counts.events);
        QCOMPARE(counts.withMetadata.load(), report.counts.events); // every demo event has its correlation id
        QCOMPARE(counts.named.load(), report.counts.events);
    }

    void aCategoryTooLargeForTheBudgetStopsClearly()
    {
        DriftScanOptions options;
        options.memoryBudget = 64 * 1024; // a few hundred of the demo's order events
        const DriftReport report = scan(nullptr, nullptr, options);
        QVERIFY(!report.complete());
        QVERIFY(!report.cancelled);
        QVERIFY2(report.limitError.startsWith(QStringLiteral("stopped after ")), qPrintable(report.limitError));
        QVERIFY2(report.limitError.contains(QStringLiteral("more than 64.00 KiB (the scan's limit)")),
                 qPrintable(report.limitError));
        QVERIFY(report.counts.events < 1000);
        QVERIFY(report.drifts.isEmpty()); // nothing half-scanned is reported as drift
        qInfo("%s", qPrintable(report.limitError));
        // The default budget is half of this machine's memory: the demo's orders are far within it.
        QVERIFY(scan().complete());
    }

    void cancelStopsTheScan()
    {
        auto cancel = std::make_shared<Cancellation>();
        cancel->cancel();
        const DriftReport report = scan(cancel);
        QVERIFY(report.cancelled);
        QVERIFY(report.drifts.isEmpty());
    }

    void aReadModelThatFailsReportsNoDrift()
    {
        ReadModelEndpoint e = endpoint();
        PostgresSource rows(e, QStringLiteral("wrong password"), readmodeltest::mapping(kMapping));
        DriftScan scan(*m_client, rows, readmodeltest::mapping(kMapping),
                       [] { return std::make_unique<engine::MergeReducer>(); });
        const DriftReport report = scan.run();
        QVERIFY(!report.complete());
        QCOMPARE(report.rowsError.kind, ReadModelError::Kind::AuthenticationFailed);
        QVERIFY(report.drifts.isEmpty()); // no false "missing row" for every order
    }

private:
    ReadModelEndpoint endpoint() const
    {
        return readmodeltest::endpoint(ReadModelEndpoint::Backend::PostgreSql, m_pg.host(), m_pg.port(),
                                       m_pg.database(), m_pg.user());
    }

    static QStringList lines(const DriftReport &r)
    {
        QStringList out;
        for (const AggregateDrift &d : r.drifts)
            out.append(d.aggregateId + QLatin1Char(' ') + AggregateDrift::statusName(d.status) + QLatin1Char(' ')
                       + d.paths.join(QLatin1Char(',')));
        return out;
    }

    DriftReport scan(const CancellationPtr &cancel = nullptr, QList<DriftProgress> *progress = nullptr,
                     DriftScanOptions options = {})
    {
        PostgresSource rows(endpoint(), m_pg.password(), readmodeltest::mapping(kMapping));
        options.workers = 2;
        options.rowBatchSize = 100;
        DriftScan scan(
            *m_client, rows, readmodeltest::mapping(kMapping), [] { return std::make_unique<engine::MergeReducer>(); },
            options);
        return scan.run(cancel, [progress](const DriftProgress &p) {
            if (progress)
                progress->append(p);
        });
    }

    DemoSandbox m_sandbox;
    std::unique_ptr<StreamsClient> m_client;
    PostgresServer m_pg;
    QStringList m_orders;
    QHash<QString, QJsonObject> m_states; ///< each order's merged payloads
};

QTEST_GUILESS_MAIN(TestDriftScan)
#include "tst_driftscan.moc"
