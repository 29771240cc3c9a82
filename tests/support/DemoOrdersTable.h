#pragma once

#include "client/StreamsClient.h"
#include "connection/ReadModelEndpoint.h"
#include "fold/MergeReducer.h"
#include "support/PostgresServer.h"

#include <QHash>
#include <QJsonObject>

#include <algorithm>
#include <vector>

/// The demo orders' read model as a faithful projector would have written it: one row per order stream of the
/// sandbox, from its events merged (MergeReducer's "state"). Shared by test_drift_scan and bench_drift_scan.
namespace demoorders {

/// The mapping that reads that table back (endpoint "test").
inline QByteArray mapping()
{
    return R"({"backend": "postgresql", "category": "order", "endpoint": "test",
    "row": "SELECT * FROM orders WHERE order_id = $1", "scan": "SELECT * FROM orders", "idColumn": "order_id",
    "fields": {"state.customerId": {"column": "customer_id", "null": "missing"},
               "state.currency": {"column": "currency", "null": "missing"},
               "state.items": {"column": "items", "type": "integer", "null": "missing"},
               "state.carrier": {"column": "carrier", "null": "missing"},
               "state.placedAt": {"column": "placed_at", "type": "timestamp", "null": "missing"}}})";
}

/// The endpoint "test" that mapping() names, for the table on `pg` (loopback, no TLS).
inline chronoscope::ReadModelEndpoint endpoint(const PostgresServer &pg)
{
    chronoscope::ReadModelEndpoint e;
    e.name = QStringLiteral("test");
    e.host = pg.host();
    e.port = pg.port();
    e.database = pg.database();
    e.username = pg.user();
    e.sslMode = QStringLiteral("disable"); // the test server has no certificate
    return e;
}

/// A value in COPY's text format: \N for none, backslash, tab and newline escaped.
inline QString copyField(const QJsonValue &v)
{
    if (v.isUndefined() || v.isNull())
        return QStringLiteral("\\N");
    if (v.isDouble())
        return QString::number(v.toInteger());
    return v.toString()
        .replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
        .replace(QLatin1Char('\t'), QStringLiteral("\\t"))
        .replace(QLatin1Char('\n'), QStringLiteral("\\n"));
}

struct Table
{
    QStringList orders;                 ///< aggregate ids, sorted
    QHash<QString, QJsonObject> states; ///< each order's merged payloads
    quint64 events = 0;
    QString error;
};

/// Reads the order streams, folds each, creates the `orders` table and loads it with COPY.
inline Table create(const chronoscope::StreamsClient &client, const PostgresServer &pg)
{
    using namespace chronoscope;
    Table t;
    QHash<QString, std::vector<RecordedEvent>> byOrder;
    const ReadSummary read = client.read(
        ReadRequest::forAll().filtered(ReadFilter::streamPrefix({QStringLiteral("order-")})), [&](ResolvedEvent &&e) {
            byOrder[QString::fromUtf8(e.event->streamId).mid(6)].push_back(std::move(*e.event));
            ++t.events;
            return true;
        });
    if (read.error) {
        t.error = read.error.toString();
        return t;
    }
    QString copy = QStringLiteral("CREATE TABLE orders (order_id text PRIMARY KEY, customer_id text, currency text,"
                                  " items int, carrier text, placed_at timestamptz);\n"
                                  "COPY orders FROM STDIN;\n");
    for (auto it = byOrder.constBegin(); it != byOrder.constEnd(); ++it) {
        engine::MergeReducer r;
        std::vector<engine::FoldEvent> events;
        for (const RecordedEvent &e : it.value())
            events.push_back(engine::FoldEvent{&e, nullptr, quint64(events.size())});
        r.fold(events.data(), qsizetype(events.size()));
        const QJsonObject s = r.state().toObject().value(QStringLiteral("state")).toObject();
        t.states.insert(it.key(), s);
        t.orders.append(it.key());
        copy += QStringList{copyField(it.key()),
                            copyField(s.value(QStringLiteral("customerId"))),
                            copyField(s.value(QStringLiteral("currency"))),
                            copyField(s.value(QStringLiteral("items"))),
                            copyField(s.value(QStringLiteral("carrier"))),
                            copyField(s.value(QStringLiteral("placedAt")))}
                    .join(QLatin1Char('\t'))
            + QLatin1Char('\n');
    }
    copy += QStringLiteral("\\.\n");
    std::sort(t.orders.begin(), t.orders.end());
    QString out;
    if (!pg.psql(copy, &out))
        t.error = QStringLiteral("cannot load the orders table: ") + out.left(500);
    return t;
}

} // namespace demoorders
