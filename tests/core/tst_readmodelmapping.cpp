// Read-model mappings from a reducer file, and the coercions that make a row and a fold comparable
// (docs/READ-MODELS.md): every bad field gets an error naming it; decimals never go through a float.
#include "readmodel/ReadModelMapping.h"
#include "readmodel/ReadModelTransform.h"
#include "script/ReducerFile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace chronoscope::readmodel;

namespace {

QJsonObject goodPostgres()
{
    return QJsonDocument::fromJson(R"({
        "backend": "postgresql", "category": "order", "endpoint": "orders-db",
        "row": ["SELECT * FROM orders", "WHERE order_id = $1"],
        "scan": "SELECT * FROM orders", "idColumn": "order_id",
        "fields": { "status": "status", "total": {"column": "total", "type": "cents"},
                    "customer.id": {"column": "customer_id", "type": "string"},
                    "placedAt": {"column": "placed_at", "type": "timestamp", "zone": "UTC"},
                    "note": {"column": "note", "null": "missing"} } })")
        .object();
}

ReadModelMapping::ParseError parseError(const QJsonObject &mapping)
{
    ReadModelMapping::ParseError error;
    const auto m = ReadModelMapping::parse(QStringLiteral("orders"), mapping, &error);
    return m ? ReadModelMapping::ParseError{QStringLiteral("(none)"), {}} : error;
}

ReadModelMapping readmodelNoTransform()
{
    ReadModelMapping::ParseError error;
    return *ReadModelMapping::parse(QStringLiteral("orders"), goodPostgres(), &error);
}

} // namespace

class TestReadModelMapping : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesAReducerFile()
    {
        QJsonObject file{{QStringLiteral("name"), QStringLiteral("orders")},
                         {QStringLiteral("kind"), QStringLiteral("merge")}};
        file.insert(QStringLiteral("readModels"),
                    QJsonObject{{QStringLiteral("orders"), goodPostgres()},
                                {QStringLiteral("summary"),
                                 QJsonObject{{QStringLiteral("backend"), QStringLiteral("redis")},
                                             {QStringLiteral("category"), QStringLiteral("order")},
                                             {QStringLiteral("endpoint"), QStringLiteral("cache")},
                                             {QStringLiteral("key"), QStringLiteral("order-summary:{id}")},
                                             {QStringLiteral("value"), QStringLiteral("json")}}}});
        // The reducer loader takes the same file (it leaves "readModels" to ReadModelMapping).
        chronoscope::engine::ReducerFile::LoadError loadError;
        QVERIFY2(chronoscope::engine::ReducerFile::parse(QJsonDocument(file).toJson(),
                                                         QStringLiteral("orders.reducer.json"), &loadError),
                 qPrintable(loadError.toString()));
        ReadModelMapping::ParseError error;
        const auto all = ReadModelMapping::fromReducerFile(QJsonDocument(file).toJson(), &error);
        QVERIFY2(all, qPrintable(error.toString()));
        QCOMPARE(all->size(), 2);
        const ReadModelMapping &pg = all->at(0);
        QCOMPARE(pg.backend(), ReadModelMapping::Backend::PostgreSql);
        QCOMPARE(pg.rowQuery(), QStringLiteral("SELECT * FROM orders\nWHERE order_id = $1"));
        QCOMPARE(pg.idColumn(), QStringLiteral("order_id"));
        QCOMPARE(pg.fields().size(), 5);
        QCOMPARE(pg.aggregateIdOf(QStringLiteral("order-42")), std::optional<QString>(QStringLiteral("42")));
        QCOMPARE(pg.aggregateIdOf(QStringLiteral("payment-42")), std::nullopt);
        const ReadModelMapping &redis = all->at(1);
        QCOMPARE(redis.redisValue(), ReadModelMapping::RedisValue::Json);
        QCOMPARE(redis.keyOf(QStringLiteral("7")), QStringLiteral("order-summary:7"));
        QCOMPARE(redis.aggregateIdOfKey(QStringLiteral("order-summary:7")),
                 std::optional<QString>(QStringLiteral("7")));
        QCOMPARE(redis.aggregateIdOfKey(QStringLiteral("order-summary:")), std::nullopt);
        QCOMPARE(redis.keyGlob(), QStringLiteral("order-summary:*"));
        // A file without read models has none; one with a broken file says where.
        QVERIFY(ReadModelMapping::fromReducerFile(R"({"name":"x"})", &error)->isEmpty());
        QVERIFY(!ReadModelMapping::fromReducerFile("{", &error));
        QVERIFY(error.message.startsWith(QStringLiteral("not valid JSON")));
    }

    void eachBadFieldIsNamed_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("says");
        auto row = [](const char *k, const QJsonValue &v, const char *field, const char *says) {
            QTest::newRow(field) << QString::fromLatin1(k) << v << QString::fromLatin1(field)
                                 << QString::fromLatin1(says);
        };
        row("backend", QStringLiteral("mysql"), "readModels.orders.backend", "must be \"postgresql\" or \"redis\"");
        row("category", QStringLiteral(""), "readModels.orders.category", "missing");
        row("endpoint", QJsonValue(), "readModels.orders.endpoint", "missing");
        row("row", QStringLiteral("SELECT * FROM orders"), "readModels.orders.row", "must use $1");
        row("row", QStringLiteral("SELECT * FROM orders WHERE a = $1 AND b = $2"), "readModels.orders.row",
            "no other parameter");
        row("row", 42, "readModels.orders.row", "must be a string or an array of lines");
        row("scan", QStringLiteral("SELECT * FROM orders WHERE id = $1"), "readModels.orders.scan",
            "takes no parameters");
        row("scan", QStringLiteral("  "), "readModels.orders.scan", "is empty");
        row("idColumn", QStringLiteral(""), "readModels.orders.idColumn", "non-empty");
        row("fields", QJsonArray{}, "readModels.orders.fields", "must be an object");
        row("transform", QJsonArray{QStringLiteral("row => ({"), QStringLiteral("  a: row.a +")},
            "readModels.orders.transform", "line 2: ");
        row("transform", QStringLiteral("42"), "readModels.orders.transform", "must be a function");
        row("colour", QStringLiteral("red"), "readModels.orders.colour", "unknown key");
        row("key", QStringLiteral("order:{id}"), "readModels.orders.key", "unknown key");
    }
    void eachBadFieldIsNamed()
    {
        QFETCH(QString, key);
        QFETCH(QJsonValue, value);
        QFETCH(QString, field);
        QFETCH(QString, says);
        QJsonObject m = goodPostgres();
        if (value.isNull())
            m.remove(key);
        else
            m.insert(key, value);
        const ReadModelMapping::ParseError e = parseError(m);
        QCOMPARE(e.field, field);
        QVERIFY2(e.message.contains(says), qPrintable(e.message));
    }

    void eachBadFieldSpecIsNamed_data()
    {
        QTest::addColumn<QJsonValue>("spec");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("says");
        QTest::newRow("type") << QJsonValue(QJsonObject{{QStringLiteral("column"), QStringLiteral("t")},
                                                        {QStringLiteral("type"), QStringLiteral("money")}})
                              << QStringLiteral("readModels.orders.fields.x.type")
                              << QStringLiteral("unknown type \"money\" (expected one of auto, string");
        QTest::newRow("null") << QJsonValue(QJsonObject{{QStringLiteral("null"), QStringLiteral("zero")}})
                              << QStringLiteral("readModels.orders.fields.x.null") << QStringLiteral("\"missing\"");
        QTest::newRow("zone") << QJsonValue(QJsonObject{{QStringLiteral("zone"), QStringLiteral("UTC")}})
                              << QStringLiteral("readModels.orders.fields.x.zone")
                              << QStringLiteral("only a \"timestamp\"");
        QTest::newRow("unknown") << QJsonValue(QJsonObject{{QStringLiteral("colum"), QStringLiteral("t")}})
                                 << QStringLiteral("readModels.orders.fields.x.colum") << QStringLiteral("unknown key");
        QTest::newRow("number") << QJsonValue(5) << QStringLiteral("readModels.orders.fields.x")
                                << QStringLiteral("column name or an object");
        QTest::newRow("empty") << QJsonValue(QString()) << QStringLiteral("readModels.orders.fields.x")
                               << QStringLiteral("names no column");
    }
    void eachBadFieldSpecIsNamed()
    {
        QFETCH(QJsonValue, spec);
        QFETCH(QString, field);
        QFETCH(QString, says);
        QJsonObject m = goodPostgres();
        m.insert(QStringLiteral("fields"), QJsonObject{{QStringLiteral("x"), spec}});
        const ReadModelMapping::ParseError e = parseError(m);
        QCOMPARE(e.field, field);
        QVERIFY2(e.message.contains(says), qPrintable(e.message));
    }

    void badRedisMappings()
    {
        QJsonObject m{{QStringLiteral("backend"), QStringLiteral("redis")},
                      {QStringLiteral("category"), QStringLiteral("order")},
                      {QStringLiteral("endpoint"), QStringLiteral("cache")},
                      {QStringLiteral("key"), QStringLiteral("order-summary")}};
        QCOMPARE(parseError(m).field, QStringLiteral("readModels.orders.key"));
        m.insert(QStringLiteral("key"), QStringLiteral("s:{id}:{id}"));
        QVERIFY(parseError(m).message.contains(QStringLiteral("exactly once")));
        m.insert(QStringLiteral("key"), QStringLiteral("s:{id}"));
        m.insert(QStringLiteral("value"), QStringLiteral("list"));
        QCOMPARE(parseError(m).field, QStringLiteral("readModels.orders.value"));
        m.insert(QStringLiteral("value"), QStringLiteral("hash"));
        m.insert(QStringLiteral("row"), QStringLiteral("SELECT $1"));
        QCOMPARE(parseError(m).field, QStringLiteral("readModels.orders.row")); // a PostgreSQL key on Redis
    }

    void decimalsAreExact_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("trailing zeros") << "19.90"
                                        << "19.9";
        QTest::newRow("leading zeros") << "+0012.3400"
                                       << "12.34";
        QTest::newRow("negative zero") << "-0.000"
                                       << "0";
        QTest::newRow("exponent") << "1.5e3"
                                  << "1500";
        QTest::newRow("small exponent") << "15E-4"
                                        << "0.0015";
        QTest::newRow("beyond a double") << "12345678901234567890.123456789"
                                         << "12345678901234567890.123456789";
        QTest::newRow("point five") << ".5"
                                    << "0.5";
    }
    void decimalsAreExact()
    {
        QFETCH(QString, in);
        QFETCH(QString, canonical);
        QCOMPARE(value::canonicalDecimal(in), std::optional<QString>(canonical));
    }

    void coercions_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QJsonValue>("in");
        QTest::addColumn<QJsonValue>("out"); // Undefined = refused
        auto row = [](const char *name, const char *type, const QJsonValue &in, const QJsonValue &out) {
            QTest::newRow(name) << QString::fromLatin1(type) << in << out;
        };
        const QJsonValue refused(QJsonValue::Undefined);
        row("decimal from text", "decimal", QStringLiteral("0.10"), QStringLiteral("0.1"));
        row("decimal from a JS number", "decimal", 0.1 + 0.2 - 0.2,
            QStringLiteral("0.10000000000000003")); // the fold's float, shown as is
        row("decimal from 19.9", "decimal", 19.9, QStringLiteral("19.9"));
        row("decimal refuses words", "decimal", QStringLiteral("ten"), refused);
        row("cents from text", "cents", QStringLiteral("19.90"), 1990);
        row("cents from a number", "cents", 19.9, 1990);
        row("cents negative", "cents", QStringLiteral("-0.05"), -5);
        row("cents refuses 3 decimals", "cents", QStringLiteral("1.005"), refused);
        row("integer exact", "integer", QStringLiteral("9007199254740993"), QJsonValue(qint64(9007199254740993LL)));
        row("integer refuses fractions", "integer", 1.5, refused);
        row("boolean t", "boolean", QStringLiteral("t"), true);
        row("boolean 0", "boolean", QStringLiteral("0"), false);
        row("boolean refuses", "boolean", QStringLiteral("maybe"), refused);
        row("timestamp with offset", "timestamp", QStringLiteral("2026-03-01 12:30:00.250+02:00"),
            QStringLiteral("2026-03-01T10:30:00.25Z"));
        row("timestamp micro", "timestamp", QStringLiteral("2026-03-01T10:30:00.123456Z"),
            QStringLiteral("2026-03-01T10:30:00.123456Z"));
        row("timestamp PostgreSQL +00", "timestamp", QStringLiteral("2026-03-01 10:30:00+00"),
            QStringLiteral("2026-03-01T10:30:00Z"));
        row("timestamp JS", "timestamp", QStringLiteral("2026-03-01T10:30:00.000Z"),
            QStringLiteral("2026-03-01T10:30:00Z"));
        row("timestamp zone-less stays so", "timestamp", QStringLiteral("2026-03-01 10:30:00"),
            QStringLiteral("2026-03-01T10:30:00"));
        row("timestamp epoch ms", "timestamp", 1772361000000.0, QStringLiteral("2026-03-01T10:30:00Z"));
        row("timestamp refuses", "timestamp", QStringLiteral("yesterday"), refused);
        // The offset moves the day, the month, the year, across a leap day; every shape of zone and fraction.
        row("timestamp offset back a year", "timestamp", QStringLiteral("2026-01-01 01:15:00.5+02"),
            QStringLiteral("2025-12-31T23:15:00.5Z"));
        row("timestamp offset on a year", "timestamp", QStringLiteral("2025-12-31T22:00:00-05:30"),
            QStringLiteral("2026-01-01T03:30:00Z"));
        row("timestamp onto a leap day", "timestamp", QStringLiteral("2028-03-01T00:59:59+0100"),
            QStringLiteral("2028-02-29T23:59:59Z"));
        row("timestamp minutes only", "timestamp", QStringLiteral("2026-03-01t10:30z"),
            QStringLiteral("2026-03-01T10:30:00Z"));
        row("timestamp comma fraction", "timestamp", QStringLiteral("2026-03-01 10:30:00,120"),
            QStringLiteral("2026-03-01T10:30:00.12"));
        row("timestamp zero fraction, zone", "timestamp", QStringLiteral("2026-03-01 10:30:00.000000-00"),
            QStringLiteral("2026-03-01T10:30:00Z"));
        row("timestamp spaced", "timestamp", QStringLiteral(" 2026-03-01 10:30:00 +01:00 "),
            QStringLiteral("2026-03-01T09:30:00Z"));
        row("timestamp refuses Feb 30", "timestamp", QStringLiteral("2026-02-30T10:30:00Z"), refused);
        row("timestamp refuses hour 24", "timestamp", QStringLiteral("2026-03-01T24:00:00Z"), refused);
        row("timestamp refuses a bare colon zone", "timestamp", QStringLiteral("2026-03-01T10:30:00+01:"), refused);
        row("timestamp refuses a fraction without seconds", "timestamp", QStringLiteral("2026-03-01T10:30.5Z"),
            refused);
        row("integer from an integral number", "integer", 1e15, QJsonValue(qint64(1000000000000000LL)));
        row("integer 2^53", "integer", 9007199254740992.0, QJsonValue(qint64(9007199254740992LL)));
        row("integer beyond 2^53, as the number reads", "integer", 18014398509481988.0,
            QJsonValue(qint64(18014398509481988LL)));
        row("integer negative zero", "integer", -0.0, QJsonValue(qint64(0)));
        row("integer refuses beyond 64 bits", "integer", 1e20, refused);
        row("date", "date", QStringLiteral("2026-03-01"), QStringLiteral("2026-03-01"));
        row("date refuses a timestamp", "date", QStringLiteral("2026-03-01T00:00:00Z"), refused);
        row("json from text", "json", QStringLiteral("{\"a\":[1,2]}"),
            QJsonObject{{QStringLiteral("a"), QJsonArray{1, 2}}});
        row("json scalar text", "json", QStringLiteral("3"), 3);
        row("json refuses", "json", QStringLiteral("{a"), refused);
        row("string from a number", "string", 42, QStringLiteral("42"));
        row("number from text", "number", QStringLiteral("2.5"), 2.5);
    }
    void coercions()
    {
        QFETCH(QString, type);
        QFETCH(QJsonValue, in);
        QFETCH(QJsonValue, out);
        FieldCoercion how;
        how.type = *value::typeFromName(type);
        const Coerced c = value::coerce(in, how);
        if (out.isUndefined()) {
            QVERIFY2(!c.ok(), qPrintable(QStringLiteral("accepted, gave ") + c.value.toVariant().toString()));
            QVERIFY(c.error.startsWith(QStringLiteral("expected ")));
        } else {
            QVERIFY2(c.ok(), qPrintable(c.error));
            QCOMPARE(c.value, out);
        }
    }

    void nullAndMissingStayApart()
    {
        FieldCoercion keep;
        QVERIFY(value::coerce(QJsonValue(QJsonValue::Null), keep).value.isNull());
        QVERIFY(value::coerce(QJsonValue(QJsonValue::Undefined), keep).value.isUndefined());
        FieldCoercion missing;
        missing.nullIsMissing = true;
        QVERIFY(value::coerce(QJsonValue(QJsonValue::Null), missing).value.isUndefined());
        // A zone-less timestamp read as UTC gets its Z.
        FieldCoercion utc{FieldType::Timestamp, false, true};
        QCOMPARE(value::coerce(QStringLiteral("2026-03-01 10:30:00"), utc).value,
                 QJsonValue(QStringLiteral("2026-03-01T10:30:00Z")));
    }

    void transformShapesTheRow()
    {
        QJsonObject spec = goodPostgres();
        spec.insert(QStringLiteral("transform"),
                    QJsonArray{QStringLiteral("(row) => ({"), QStringLiteral("  status: row.state.toUpperCase(),"),
                               QStringLiteral("  total: row.total })")});
        spec.insert(QStringLiteral("fields"),
                    QJsonObject{{QStringLiteral("status"), QStringLiteral("status")},
                                {QStringLiteral("total"),
                                 QJsonObject{{QStringLiteral("type"), QStringLiteral("cents")}}}});
        ReadModelMapping::ParseError error;
        const auto m = ReadModelMapping::parse(QStringLiteral("orders"), spec, &error);
        QVERIFY2(m, qPrintable(error.toString()));
        const ReadModelTransform transform(*m);
        QVERIFY(transform.error().isEmpty());
        const Coerced t = transform.apply(QJsonObject{{QStringLiteral("state"), QStringLiteral("confirmed")},
                                                      {QStringLiteral("total"), QStringLiteral("19.90")}});
        QVERIFY2(t.ok(), qPrintable(t.error));
        QCOMPARE(t.value,
                 QJsonValue(QJsonObject{{QStringLiteral("status"), QStringLiteral("CONFIRMED")},
                                        {QStringLiteral("total"), QStringLiteral("19.90")}}));
        QCOMPARE(m->rowShape(t.value),
                 (QJsonObject{{QStringLiteral("status"), QStringLiteral("CONFIRMED")},
                              {QStringLiteral("total"), 1990}}));
        // A row the transform cannot take says where it failed.
        const Coerced bad = transform.apply(QJsonObject{{QStringLiteral("total"), 1}});
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error.startsWith(QStringLiteral("transform: line 2: TypeError")), qPrintable(bad.error));
        // No transform: the row as it is.
        const ReadModelTransform none(readmodelNoTransform());
        QCOMPARE(none.apply(QJsonObject{{QStringLiteral("a"), 1}}).value,
                 QJsonValue(QJsonObject{{QStringLiteral("a"), 1}}));
    }

    void rowAndFoldTakeOneShape()
    {
        ReadModelMapping::ParseError error;
        const auto m = ReadModelMapping::parse(QStringLiteral("orders"), goodPostgres(), &error);
        QVERIFY2(m, qPrintable(error.toString()));
        const QJsonObject row = QJsonDocument::fromJson(R"({"order_id": "42", "status": "confirmed", "total": "19.90",
            "customer_id": 7, "placed_at": "2026-03-01T10:30:00", "note": null, "extra": 1})")
                                    .object();
        const QJsonObject fold = QJsonDocument::fromJson(
                                     R"({"status": "confirmed", "total": 19.9, "customer": {"id": "7"},
            "placedAt": "2026-03-01T10:30:00.000Z", "lines": []})")
                                     .object();
        QStringList problems;
        const QJsonObject r = m->rowShape(row, &problems);
        const QJsonObject f = m->foldShape(fold, &problems);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
        QCOMPARE(r, f);
        QCOMPARE(r.value(QStringLiteral("total")), QJsonValue(1990));
        QVERIFY(!r.contains(QStringLiteral("note"))); // NULL counts as missing for this field
        // A value that does not coerce is a problem naming the field, and the field is left out.
        QJsonObject bad = row;
        bad.insert(QStringLiteral("total"), QStringLiteral("n/a"));
        const QJsonObject badShape = m->rowShape(bad, &problems);
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.first().startsWith(QStringLiteral("total (column total): expected")),
                 qPrintable(problems.first()));
        QVERIFY(!badShape.contains(QStringLiteral("total")));
    }

    // {stream} and {id} in a field path: both sides land at the path filled in for the aggregate compared.
    void fieldPathsNameTheAggregate()
    {
        ReadModelMapping::ParseError error;
        const auto m = ReadModelMapping::parse(QStringLiteral("orders"),
                                               QJsonDocument::fromJson(R"({"backend": "redis", "category": "order",
            "endpoint": "e", "key": "s:{id}", "fields": {"orders.{stream}.total": {"column": "t", "type": "integer"},
            "ids.{id}": "id"}})")
                                                   .object(),
                                               &error);
        QVERIFY2(m, qPrintable(error.toString()));
        const QJsonObject fold = QJsonDocument::fromJson(
                                     R"({"orders": {"order-42": {"total": 1990}, "order-7": {"total": 5}},
            "ids": {"42": "42"}})")
                                     .object();
        const QJsonObject row{{QStringLiteral("t"), QStringLiteral("1990")},
                              {QStringLiteral("id"), QStringLiteral("42")}};
        const QJsonObject expected =
            QJsonDocument::fromJson(R"({"orders": {"order-42": {"total": 1990}}, "ids": {"42": "42"}})").object();
        QCOMPARE(m->foldShape(fold, nullptr, QStringLiteral("42")), expected);
        QCOMPARE(m->rowShape(row, nullptr, QStringLiteral("42")), expected);
        QVERIFY(m->foldShape(fold, nullptr, QStringLiteral("7")) != m->rowShape(row, nullptr, QStringLiteral("7")));
    }
};

QTEST_GUILESS_MAIN(TestReadModelMapping)
#include "tst_readmodelmapping.moc"
