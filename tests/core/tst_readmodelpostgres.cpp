// The PostgreSQL read-model source against a real PostgreSQL started here (tests/support/PostgresServer.h):
// row fetch and every column type's coercion, missing and extra rows, the server's own SQL error, a wrong
// password, an unreachable server, a streamed scan with cancel, and a server killed mid-scan.
#include "ReadModelTestSupport.h"
#include "fold/MergeReducer.h"
#include "readmodel/DriftCompare.h"
#include "readmodel/ReadModelValue.h"
#include "readmodel/postgres/PostgresSource.h"
#include "support/PostgresServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace chronoscope;
using namespace chronoscope::readmodel;

namespace {

const QByteArray kMapping = R"({"backend": "postgresql", "category": "order", "endpoint": "test",
    "row": "SELECT * FROM orders WHERE order_id = $1", "scan": "SELECT * FROM orders ORDER BY order_id",
    "idColumn": "order_id"})";

const char *kSchema = R"SQL(
CREATE TABLE orders (order_id text PRIMARY KEY, status text, total numeric(14,2), fee money, weight float8,
  qty int4, big int8, paid bool, placed_at timestamptz, local_at timestamp, day date, meta jsonb,
  tags text[], amounts numeric[], note text);
INSERT INTO orders VALUES ('1', 'confirmed', 19.90, '1234.50', 0.1, 3, 9007199254740993, true,
  '2026-03-01 12:30:00.123456+02', '2026-03-01 10:30:00', '2026-03-01', '{"a": [1, "x"], "b": null}',
  ARRAY['gift', 'a "quoted", tag', NULL], ARRAY[0.10, 12345678901234567890.12], NULL);
INSERT INTO orders (order_id, status, total) SELECT g::text, 'placed', g * 1.01 FROM generate_series(2, 1000) g;
CREATE TABLE order_lines (order_id text, line int);
INSERT INTO order_lines VALUES ('1', 1), ('1', 2);
)SQL";

/// The value a scalar in place stands for, as PostgresValues' valueFromText builds it.
QJsonValue asJson(const ScalarView &v)
{
    switch (v.kind) {
    case ScalarView::Kind::Missing: return QJsonValue(QJsonValue::Undefined);
    case ScalarView::Kind::Null: return QJsonValue(QJsonValue::Null);
    case ScalarView::Kind::Bool: return QJsonValue(v.boolean);
    case ScalarView::Kind::Integer: return QJsonValue(v.integer);
    case ScalarView::Kind::Text: return QJsonValue(QString::fromUtf8(v.text.data(), qsizetype(v.text.size())));
    case ScalarView::Kind::Timestamp: {
        const QString text = QString::fromUtf8(v.text.data(), qsizetype(v.text.size()));
        return QJsonValue(value::canonicalTimestamp(text, false).value_or(text));
    }
    case ScalarView::Kind::Other: break;
    }
    return QJsonValue(QStringLiteral("(other)"));
}

} // namespace

class TestReadModelPostgres : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = PostgresServer::missingReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        QVERIFY2(m_pg.start(), qPrintable(m_pg.error()));
        QString out;
        QVERIFY2(m_pg.psql(QString::fromLatin1(kSchema), &out), qPrintable(out));
        m_password = readmodeltest::passwordThroughKeychain(m_keychain, endpoint(), m_pg.password());
        QCOMPARE(m_password, m_pg.password());
    }

    void fetchesARowWithEveryCoercion()
    {
        PostgresSource source(endpoint(), m_password, readmodeltest::mapping(kMapping));
        QVERIFY(!source.describe().contains(m_password));
        const RowLookup r = source.fetchRow(QStringLiteral("1"));
        QVERIFY2(!r.error, qPrintable(r.error.toString()));
        QVERIFY(r.found);
        const QJsonObject row = r.raw.toObject();
        QCOMPARE(row.value(QStringLiteral("order_id")), QJsonValue(QStringLiteral("1")));
        QCOMPARE(row.value(QStringLiteral("total")), QJsonValue(QStringLiteral("19.9"))); // numeric: exact text
        QCOMPARE(row.value(QStringLiteral("fee")), QJsonValue(QStringLiteral("1234.5"))); // money: no $ nor ,
        QCOMPARE(row.value(QStringLiteral("weight")), QJsonValue(0.1));                   // float8: a number
        QCOMPARE(row.value(QStringLiteral("qty")), QJsonValue(3));
        QCOMPARE(row.value(QStringLiteral("big")), QJsonValue(qint64(9007199254740993LL))); // beyond 2^53, exact
        QCOMPARE(row.value(QStringLiteral("paid")), QJsonValue(true));
        QCOMPARE(row.value(QStringLiteral("placed_at")), QJsonValue(QStringLiteral("2026-03-01T10:30:00.123456Z")));
        QCOMPARE(row.value(QStringLiteral("local_at")), QJsonValue(QStringLiteral("2026-03-01T10:30:00"))); // no zone
        QCOMPARE(row.value(QStringLiteral("day")), QJsonValue(QStringLiteral("2026-03-01")));
        QCOMPARE(row.value(QStringLiteral("meta")),
                 QJsonValue(QJsonObject{{QStringLiteral("a"), QJsonArray{1, QStringLiteral("x")}},
                                        {QStringLiteral("b"), QJsonValue::Null}}));
        QCOMPARE(row.value(QStringLiteral("tags")),
                 QJsonValue(QJsonArray{QStringLiteral("gift"), QStringLiteral("a \"quoted\", tag"), QJsonValue::Null}));
        QCOMPARE(row.value(QStringLiteral("amounts")),
                 QJsonValue(QJsonArray{QStringLiteral("0.1"), QStringLiteral("12345678901234567890.12")}));
        QVERIFY(row.contains(QStringLiteral("note"))); // NULL: present, null
        QVERIFY(row.value(QStringLiteral("note")).isNull());
    }

    void aRowAsJsonIsTheRow()
    {
        auto source = sourceFor(QStringLiteral("SELECT jsonb_build_object('id', order_id, 'status', status, 'total', "
                                               "total::text) FROM orders WHERE order_id = $1"));
        const RowLookup r = source->fetchRow(QStringLiteral("1"));
        QVERIFY2(!r.error, qPrintable(r.error.toString()));
        QCOMPARE(r.raw.toObject(),
                 (QJsonObject{{QStringLiteral("id"), QStringLiteral("1")},
                              {QStringLiteral("status"), QStringLiteral("confirmed")},
                              {QStringLiteral("total"), QStringLiteral("19.90")}}));
    }

    void aMissingRowIsNoError()
    {
        PostgresSource source(endpoint(), m_password, readmodeltest::mapping(kMapping));
        const RowLookup r = source.fetchRow(QStringLiteral("no-such-order"));
        QVERIFY2(!r.error, qPrintable(r.error.toString()));
        QVERIFY(!r.found);
    }

    void extraRowsAreABadRow()
    {
        auto source = sourceFor(QStringLiteral("SELECT * FROM order_lines WHERE order_id = $1"));
        const RowLookup r = source->fetchRow(QStringLiteral("1"));
        QCOMPARE(r.error.kind, ReadModelError::Kind::BadRow);
        QVERIFY2(r.error.message.contains(QStringLiteral("returned 2 rows for order-1")), qPrintable(r.error.message));
    }

    void theServersSqlErrorIsShown()
    {
        auto source = sourceFor(QStringLiteral("SELECT totl FROM orders WHERE order_id = $1"),
                                QStringLiteral("SELECT totl FROM orders"));
        const RowLookup r = source->fetchRow(QStringLiteral("1"));
        QCOMPARE(r.error.kind, ReadModelError::Kind::QueryFailed);
        QCOMPARE(r.error.serverCode, QStringLiteral("42703"));
        QVERIFY2(r.error.message.contains(QStringLiteral("column \"totl\" does not exist")),
                 qPrintable(r.error.message));
        const ReadModelError s = source->scan(10, nullptr, [](const QList<ReadModelRow> &) { return true; });
        QCOMPARE(s.kind, ReadModelError::Kind::QueryFailed);
        // The session is read-only: a read model is never written through Chronoscope.
        auto writer = sourceFor(QStringLiteral("UPDATE orders SET status = 'x' WHERE order_id = $1 RETURNING *"));
        const RowLookup w = writer->fetchRow(QStringLiteral("1"));
        QCOMPARE(w.error.kind, ReadModelError::Kind::QueryFailed);
        QCOMPARE(w.error.serverCode, QStringLiteral("25006")); // read_only_sql_transaction
    }

    void aWrongPasswordIsAuthenticationFailed()
    {
        const QString wrong = QStringLiteral("not-") + m_password;
        PostgresSource source(endpoint(), wrong, readmodeltest::mapping(kMapping));
        const RowLookup r = source.fetchRow(QStringLiteral("1"));
        QCOMPARE(r.error.kind, ReadModelError::Kind::AuthenticationFailed);
        QVERIFY2(r.error.message.contains(QStringLiteral("password authentication failed")),
                 qPrintable(r.error.message));
        QVERIFY(!r.error.toString().contains(wrong));
    }

    void anUnreachableServerSaysSo()
    {
        ReadModelEndpoint nowhere = endpoint();
        nowhere.port = serverprocess::freeLoopbackPort();
        PostgresSource source(nowhere, m_password, readmodeltest::mapping(kMapping));
        QElapsedTimer t;
        t.start();
        const ReadModelError e = source.connect();
        QCOMPARE(e.kind, ReadModelError::Kind::Unreachable);
        QVERIFY2(e.message.contains(QStringLiteral("refused")), qPrintable(e.message));
        QVERIFY(t.elapsed() < 5000);
    }

    void scansInBatchesAndCancels()
    {
        PostgresSource source(endpoint(), m_password, readmodeltest::mapping(kMapping));
        QStringList ids;
        int batches = 0;
        ReadModelError e = source.scan(100, nullptr, [&](const QList<ReadModelRow> &batch) {
            ++batches;
            for (const ReadModelRow &r : batch)
                ids.append(r.aggregateId);
            return batch.size() <= 100;
        });
        QVERIFY2(!e, qPrintable(e.toString()));
        QCOMPARE(batches, 10);
        QCOMPARE(ids.size(), 1000);
        QCOMPARE(QSet<QString>(ids.begin(), ids.end()).size(), 1000);

        auto cancel = std::make_shared<Cancellation>();
        batches = 0;
        e = source.scan(100, cancel, [&](const QList<ReadModelRow> &) {
            if (++batches == 2)
                cancel->cancel();
            return true;
        });
        QCOMPARE(e.kind, ReadModelError::Kind::Cancelled);
        QCOMPARE(batches, 2);
        // The source goes on after a cancel.
        QVERIFY(source.fetchRow(QStringLiteral("500")).found);
    }

    void blocksReadEachValueAsTheWholeRowHasIt()
    {
        // The drift scan reads single values out of blocks (RowBlock::at) and builds the whole row only for a
        // drift: both must say the same, for every column type, a path into jsonb, a missing column, a column
        // name given twice (the later wins, as in the row's object) and a row that is one json value.
        const QStringList paths{QStringLiteral("order_id"),
                                QStringLiteral("status"),
                                QStringLiteral("total"),
                                QStringLiteral("fee"),
                                QStringLiteral("weight"),
                                QStringLiteral("qty"),
                                QStringLiteral("big"),
                                QStringLiteral("paid"),
                                QStringLiteral("placed_at"),
                                QStringLiteral("local_at"),
                                QStringLiteral("day"),
                                QStringLiteral("meta"),
                                QStringLiteral("meta.a"),
                                QStringLiteral("meta.b"),
                                QStringLiteral("meta.zz"),
                                QStringLiteral("tags"),
                                QStringLiteral("amounts"),
                                QStringLiteral("note"),
                                QStringLiteral("status.deeper"),
                                QStringLiteral("nothing"),
                                QStringLiteral("x"),
                                QStringLiteral("m"),
                                QStringLiteral("m.a"),
                                QStringLiteral("id")};
        qsizetype inPlace = 0;
        const auto check = [&](PostgresSource &source, qsizetype expectedRows) {
            QList<ReadModelRow> built;
            QVERIFY(!source.scan(300, nullptr, [&](const QList<ReadModelRow> &batch) {
                built += batch;
                return true;
            }));
            qsizetype seen = 0;
            const ReadModelError e = source.scanBlocks(300, nullptr, [&](const RowBlockPtr &block) {
                for (qsizetype i = 0; i < block->size(); ++i, ++seen) {
                    const ReadModelRow &row = built.at(seen);
                    if (block->aggregateId(i) != row.aggregateId || block->raw(i) != row.raw)
                        return false;
                    for (const QString &path : paths) {
                        const QStringList steps = path.split(QLatin1Char('.'));
                        if (block->at(i, steps) != jsonpath::at(row.raw, path)) {
                            qWarning("row %s, %s: the block and the row differ", qPrintable(row.aggregateId),
                                     qPrintable(path));
                            return false;
                        }
                        // The scalar in place, where the block gives one, is the value at() builds.
                        ScalarView v;
                        if (block->scalarAt(i, steps, &v) && asJson(v) != block->at(i, steps)) {
                            qWarning("row %s, %s: the scalar in place is not the value", qPrintable(row.aggregateId),
                                     qPrintable(path));
                            return false;
                        }
                        inPlace += block->scalarAt(i, steps, &v) ? 1 : 0;
                    }
                }
                return true;
            });
            QVERIFY2(!e, qPrintable(e.toString()));
            QCOMPARE(seen, expectedRows);
            QCOMPARE(built.size(), expectedRows);
        };
        PostgresSource everyType(endpoint(), m_password, readmodeltest::mapping(kMapping));
        check(everyType, 1000);
        auto twice = sourceFor(QStringLiteral("SELECT 1 WHERE $1 = ''"),
                               QStringLiteral("SELECT order_id AS id, status AS x, note AS x, meta FROM orders"));
        check(*twice, 1000);
        auto wholeJson = sourceFor(QStringLiteral("SELECT 1 WHERE $1 = ''"),
                                   QStringLiteral("SELECT jsonb_build_object('id', order_id, 'm', meta) FROM orders"));
        check(*wholeJson, 1000);
        QVERIFY(inPlace >= 1000 * 5); // order_id, status, qty, placed_at, local_at… of every row at least
    }

    void scalarsInPlaceDecideAsTheValuesDo()
    {
        // The drift scan compares most fields from the scalars in place (Reducer::scalarAt, RowBlock::scalarAt)
        // and builds, coerces and compares the JSON values only when those do not say "equal". For every pair
        // of a fold value and a column value below, under every coercion, both ways must reach the same verdict.
        QString out;
        QVERIFY2(
            m_pg.psql(QStringLiteral(
                          "CREATE TABLE pairs (id text PRIMARY KEY, c_text text, c_varchar varchar(40), "
                          "c_int int4, c_big int8, c_tz timestamptz, c_naive timestamp, c_day date, c_bool bool);\n"
                          "INSERT INTO pairs VALUES "
                          "('1', 'EUR', 'EUR', 3, 9007199254740993, '2026-03-01 12:30:00.5+02', "
                          "'2026-03-01 10:30:00.5', '2026-03-01', true),"
                          "('2', '', 'ünïcödé', -7, -1, '2026-03-01 23:59:59+00', '2026-03-01 00:00:00', "
                          "'2026-02-28', false),"
                          "('3', '3', '2026-03-01T10:30:00.5Z', 0, 0, '1000-01-01 00:00:00+00', "
                          "'9999-12-31 23:59:59.999999', '2026-03-01', NULL),"
                          "('4', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);\n"),
                      &out),
            qPrintable(out));
        const QStringList columns{QStringLiteral("c_text"), QStringLiteral("c_varchar"), QStringLiteral("c_int"),
                                  QStringLiteral("c_big"),  QStringLiteral("c_tz"),      QStringLiteral("c_naive"),
                                  QStringLiteral("c_day"),  QStringLiteral("c_bool"),    QStringLiteral("c_gone")};
        // What a fold may hold at the mapped place: equal to some rows' values under some coercions, not others.
        const QList<QByteArray> folds{R"("EUR")",
                                      R"("")",
                                      R"("ünïcödé")",
                                      R"("3")",
                                      "3",
                                      "-7",
                                      "0",
                                      "3.0",
                                      "9007199254740993",
                                      "-1",
                                      R"("2026-03-01T10:30:00.5Z")",
                                      R"("2026-03-01T10:30:00.500Z")",
                                      R"("2026-03-01T12:30:00.5+02:00")",
                                      R"("2026-03-01 10:30:00.5")",
                                      R"("2026-03-01T23:59:59Z")",
                                      R"("2026-03-01T00:00:00")",
                                      R"("1000-01-01T00:00:00Z")",
                                      R"("9999-12-31T23:59:59.999999")",
                                      R"("2026-03-01")",
                                      "true",
                                      "false",
                                      "null",
                                      R"({"a": 1})",
                                      "[1]"};
        const QStringList types{QStringLiteral("auto"),      QStringLiteral("string"), QStringLiteral("integer"),
                                QStringLiteral("timestamp"), QStringLiteral("date"),   QStringLiteral("boolean")};
        int equal = 0, different = 0;
        for (const QString &column : columns) {
            for (const QString &type : types) {
                for (const char *null : {"null", "missing"}) {
                    for (const char *zone : {"none", "UTC"}) {
                        QJsonObject field{{QStringLiteral("column"), column},
                                          {QStringLiteral("type"), type},
                                          {QStringLiteral("null"), QLatin1String(null)}};
                        if (type == QLatin1String("timestamp"))
                            field.insert(QStringLiteral("zone"), QLatin1String(zone));
                        else if (QLatin1String(zone) == QLatin1String("UTC"))
                            continue;
                        const QJsonObject m{
                            {QStringLiteral("backend"), QStringLiteral("postgresql")},
                            {QStringLiteral("category"), QStringLiteral("pair")},
                            {QStringLiteral("endpoint"), QStringLiteral("test")},
                            {QStringLiteral("row"), QStringLiteral("SELECT * FROM pairs WHERE id = $1")},
                            {QStringLiteral("scan"), QStringLiteral("SELECT * FROM pairs ORDER BY id")},
                            {QStringLiteral("idColumn"), QStringLiteral("id")},
                            {QStringLiteral("fields"), QJsonObject{{QStringLiteral("state.v"), field}}}};
                        const ReadModelMapping mapping = readmodeltest::mapping(QJsonDocument(m).toJson());
                        PostgresSource source(endpoint(), m_password, mapping);
                        const DriftComparer comparer(mapping, 10);
                        const ReadModelError e = source.scanBlocks(100, nullptr, [&](const RowBlockPtr &block) {
                            for (qsizetype r = 0; r < block->size(); ++r) {
                                for (qsizetype k = 0; k <= folds.size(); ++k) {
                                    engine::MergeReducer reducer; // k == folds.size(): the fold has no "v"
                                    const QByteArray payload = k < folds.size() ? "{\"v\": " + folds.at(k) + "}"
                                                                                : QByteArray("{}");
                                    RecordedEvent event;
                                    event.type = "Set";
                                    event.contentType = "application/json";
                                    event.data = payload;
                                    const engine::FoldEvent fe{&event, nullptr, 0};
                                    reducer.fold(&fe, 1);
                                    const QString id = block->aggregateId(r);
                                    const auto inPlace = comparer.compare(id, reducer, *block, r);
                                    const auto built = comparer.compare(id, reducer, block->raw(r));
                                    if (inPlace.has_value() != built.has_value()) {
                                        qWarning("%s as %s (null %s, zone %s), row %s, fold %s: %s in place, %s built",
                                                 qPrintable(column), qPrintable(type), null, zone, qPrintable(id),
                                                 payload.constData(), inPlace ? "differ" : "equal",
                                                 built ? "differ" : "equal");
                                        return false;
                                    }
                                    (built ? different : equal)++;
                                }
                            }
                            return true;
                        });
                        QVERIFY2(!e, qPrintable(e.toString()));
                    }
                }
            }
        }
        qInfo("%d pairs equal, %d not", equal, different);
        QVERIFY(equal > 100);
        QVERIFY(different > 1000);
    }

    void aServerKilledMidScanIsServerGone()
    {
        PostgresServer doomed;
        QVERIFY2(doomed.start(), qPrintable(doomed.error()));
        QString out;
        QVERIFY2(doomed.psql(QStringLiteral("CREATE TABLE orders (order_id text PRIMARY KEY);"
                                            "INSERT INTO orders SELECT g::text FROM generate_series(1, 5000) g;"
                                            "CHECKPOINT;"),
                             &out), // the test server runs without fsync
                 qPrintable(out));
        ReadModelEndpoint e = readmodeltest::endpoint(ReadModelEndpoint::Backend::PostgreSql, doomed.host(),
                                                      doomed.port(), doomed.database(), doomed.user());
        PostgresSource source(e, doomed.password(), readmodeltest::mapping(kMapping));
        int received = 0;
        int batches = 0;
        const ReadModelError err = source.scan(500, nullptr, [&](const QList<ReadModelRow> &batch) {
            received += int(batch.size());
            if (++batches == 2)
                doomed.crash(); // every backend dies at once
            return true;
        });
        QCOMPARE(err.kind, ReadModelError::Kind::ServerGone);
        QVERIFY2(err.message.contains(QStringLiteral("broke after 1000 rows")), qPrintable(err.message));
        qInfo("mid-scan: %s", qPrintable(err.toString()));
        QCOMPARE(received, 1000); // what arrived before stays
        // Nothing else is lost: once the server is back, the same source connects afresh.
        QVERIFY2(doomed.start(), qPrintable(doomed.error()));
        const RowLookup again = source.fetchRow(QStringLiteral("4999"));
        QVERIFY2(!again.error, qPrintable(again.error.toString()));
        QVERIFY(again.found);
        // A restart between two calls goes unnoticed: the stale connection is replaced and the read repeated.
        doomed.stop();
        QVERIFY2(doomed.start(), qPrintable(doomed.error()));
        const RowLookup afterRestart = source.fetchRow(QStringLiteral("17"));
        QVERIFY2(!afterRestart.error, qPrintable(afterRestart.error.toString()));
        QVERIFY(afterRestart.found);
        // A server that stays down is reported, not retried for ever.
        doomed.stop();
        QCOMPARE(source.fetchRow(QStringLiteral("17")).error.kind, ReadModelError::Kind::Unreachable);
    }

private:
    /// A source for a mapping of the orders category with these queries.
    std::unique_ptr<PostgresSource> sourceFor(const QString &row,
                                              const QString &scan = QStringLiteral("SELECT 1")) const
    {
        QJsonObject m{{QStringLiteral("backend"), QStringLiteral("postgresql")},
                      {QStringLiteral("category"), QStringLiteral("order")},
                      {QStringLiteral("endpoint"), QStringLiteral("test")},
                      {QStringLiteral("row"), row},
                      {QStringLiteral("scan"), scan}};
        return std::make_unique<PostgresSource>(endpoint(), m_password,
                                                readmodeltest::mapping(QJsonDocument(m).toJson()));
    }

    ReadModelEndpoint endpoint() const
    {
        return readmodeltest::endpoint(ReadModelEndpoint::Backend::PostgreSql, m_pg.host(), m_pg.port(),
                                       m_pg.database(), m_pg.user());
    }

    PostgresServer m_pg;
    FakeCredentialStore m_keychain;
    QString m_password;
};

QTEST_GUILESS_MAIN(TestReadModelPostgres)
#include "tst_readmodelpostgres.moc"
