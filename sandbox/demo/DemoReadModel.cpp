#include "demo/DemoReadModel.h"

#include <QDateTime>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace chronoscope {
namespace {

/// splitmix64: a fixed mix of (seed, order, salt), the same on every platform.
quint64 mix(quint64 x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

enum class Drift { None, StaleStatus, TotalTooHigh, Missing };

/// One order in `every` drifts, in one of the three ways; `salt` keeps the table's and the summary's apart.
Drift driftOf(quint64 seed, const QByteArray &id, quint64 salt, quint64 every)
{
    const quint64 h = mix(seed * 1000003ULL + id.toULongLong() * 7919ULL + salt);
    if (h % every != 0)
        return Drift::None;
    return Drift(1 + int((h / every) % 3));
}

void fold(DemoOrderRow &o, const DemoEvent &e)
{
    const QJsonObject d = QJsonDocument::fromJson(e.data).object();
    o.updatedMs = e.createdMs;
    if (e.type == "OrderPlaced") {
        o.status = "placed";
        o.customerId = d.value(QLatin1String("customerId")).toString().toUtf8();
        const QJsonValue total = d.value(QLatin1String("total"));
        // v2: money in minor units in an object; v1: a decimal number and a sibling currency (upcast the same way)
        o.currency = (total.isObject() ? total.toObject().value(QLatin1String("currency"))
                                       : d.value(QLatin1String("currency")))
                         .toString()
                         .toUtf8();
        o.totalCents = total.isObject() ? total.toObject().value(QLatin1String("amount")).toInteger()
                                        : qRound64(total.toDouble() * 100);
        o.channel = total.isObject() ? d.value(QLatin1String("channel")).toString().toUtf8() : QByteArray("unknown");
        o.placedMs = e.createdMs;
    } else if (e.type == "ItemAdded" || e.type == "ItemRemoved") {
        const qint64 amount = d.value(QLatin1String("quantity")).toInteger()
            * d.value(QLatin1String("unitPrice")).toInteger();
        const bool added = e.type == "ItemAdded";
        o.totalCents += added ? amount : -amount;
        o.lines += added ? 1 : -1;
    } else if (e.type == "OrderConfirmed") {
        o.status = "confirmed";
    } else if (e.type == "OrderCancelled") {
        o.status = "cancelled";
    } else if (e.type == "OrderShipped") {
        o.status = "shipped";
    }
}

/// Applies a drift to a row; false when the row is to be left out.
bool apply(Drift drift, DemoOrderRow &row)
{
    switch (drift) {
    case Drift::None: return true;
    case Drift::StaleStatus:
        row.status = row.status == "placed" ? QByteArray("confirmed") : QByteArray("placed");
        return true;
    case Drift::TotalTooHigh: row.totalCents += 1500; return true; // a cable's price: an ItemRemoved missed
    case Drift::Missing: return false;
    }
    return true;
}

bool byNumber(const DemoOrderRow &a, const DemoOrderRow &b)
{
    return a.id.toULongLong() < b.id.toULongLong();
}

/// An order's state after each of its events, and the events' types: kept for drifted orders only.
struct OrderHistory
{
    std::vector<DemoOrderRow> after;
    std::vector<QByteArray> types;
};

/// The mapped columns where `row` and `state` differ (the table maps customer and currency, the summary not).
QStringList differingColumns(const DemoOrderRow &state, const DemoOrderRow &row, bool table)
{
    QStringList out;
    if (table && state.currency != row.currency)
        out.append(QStringLiteral("currency"));
    if (table && state.customerId != row.customerId)
        out.append(QStringLiteral("customer_id"));
    if (state.lines != row.lines)
        out.append(QStringLiteral("lines"));
    if (state.status != row.status)
        out.append(QStringLiteral("status"));
    if (state.totalCents != row.totalCents)
        out.append(QStringLiteral("total_cents"));
    return out;
}

/// What the seed implies for a drifted order: the columns that differ at the head, and the revision since
/// which they disagree (the last state equal to the row; the state before the first event has no order).
DemoDrift detailOf(const QByteArray &id, const DemoOrderRow *row, const OrderHistory &h, bool table)
{
    DemoDrift d;
    d.id = QString::fromLatin1(id);
    if (!row) {
        d.missing = true;
        return d;
    }
    d.columns = differingColumns(h.after.back(), *row, table);
    for (size_t k = h.after.size(); k-- > 0;) {
        if (differingColumns(h.after[k], *row, table).isEmpty()) {
            if (k + 1 < h.after.size()) {
                d.sinceRevision = quint64(k + 1);
                d.sinceType = h.types[k + 1];
            }
            break;
        }
    }
    return d;
}

QByteArray copyText(const QByteArray &v)
{
    return v.isEmpty() ? QByteArray("\\N") : v; // demo values hold no tab, newline or backslash
}

QByteArray isoUtc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1();
}

} // namespace

DemoReadModelData DemoReadModelData::build(const DemoHistory::Options &options)
{
    DemoReadModelData out;
    QHash<QByteArray, DemoOrderRow> orders;
    QHash<QByteArray, OrderHistory> histories; // of the drifted orders
    DemoHistory(options).generate([&](const DemoEvent &e) {
        if (!e.stream.startsWith("order-"))
            return true;
        DemoOrderRow &o = orders[e.stream.mid(6)];
        o.id = e.stream.mid(6);
        fold(o, e);
        ++out.orderEvents;
        if (driftOf(options.seed, o.id, 1, 40) != Drift::None || driftOf(options.seed, o.id, 2, 60) != Drift::None) {
            OrderHistory &h = histories[o.id];
            h.after.push_back(o);
            h.types.push_back(e.type);
        }
        return true;
    });
    std::vector<DemoOrderRow> all;
    all.reserve(size_t(orders.size()));
    for (const DemoOrderRow &o : std::as_const(orders))
        all.push_back(o);
    std::sort(all.begin(), all.end(), byNumber);
    for (const DemoOrderRow &o : all) {
        DemoOrderRow row = o, summary = o;
        const Drift t = driftOf(options.seed, o.id, 1, 40), s = driftOf(options.seed, o.id, 2, 60);
        if (t != Drift::None)
            out.tableDrift.append(QString::fromLatin1(o.id));
        if (s != Drift::None)
            out.summaryDrift.append(QString::fromLatin1(o.id));
        const bool rowKept = apply(t, row), summaryKept = apply(s, summary);
        if (rowKept)
            out.table.push_back(row);
        if (summaryKept)
            out.summary.push_back(summary);
        if (t != Drift::None)
            out.tableDetails.push_back(detailOf(o.id, rowKept ? &row : nullptr, histories.value(o.id), true));
        if (s != Drift::None)
            out.summaryDetails.push_back(
                detailOf(o.id, summaryKept ? &summary : nullptr, histories.value(o.id), false));
    }
    // Test orders someone inserted by hand: rows of no order at all.
    const quint64 last = all.empty() ? 0 : all.back().id.toULongLong();
    for (quint64 i = 1; i <= 3; ++i) {
        DemoOrderRow test;
        test.id = QByteArray::number(last + 900000 + i);
        test.status = "placed";
        test.customerId = "customer-1";
        test.currency = "EUR";
        test.channel = "web";
        test.totalCents = 100;
        test.lines = 1;
        test.placedMs = test.updatedMs = options.startMs;
        out.table.push_back(test);
        out.tableDrift.append(QString::fromLatin1(test.id));
        DemoDrift detail;
        detail.id = QString::fromLatin1(test.id);
        detail.withoutEvents = true;
        out.tableDetails.push_back(detail);
    }
    std::sort(out.tableDrift.begin(), out.tableDrift.end());
    std::sort(out.summaryDrift.begin(), out.summaryDrift.end());
    const auto byId = [](const DemoDrift &a, const DemoDrift &b) { return a.id < b.id; };
    std::sort(out.tableDetails.begin(), out.tableDetails.end(), byId);
    std::sort(out.summaryDetails.begin(), out.summaryDetails.end(), byId);
    return out;
}

QByteArray DemoReadModelData::postgresScript() const
{
    QByteArray sql = "CREATE TABLE orders (order_id text PRIMARY KEY, customer_id text, status text NOT NULL,"
                     " currency text, total_cents bigint NOT NULL, lines int NOT NULL, channel text,"
                     " placed_at timestamptz, updated_at timestamptz);\n"
                     "CREATE TABLE projector_checkpoints (projector text PRIMARY KEY, position text,"
                     " updated_at timestamptz NOT NULL DEFAULT now());\n"
                     "COPY orders FROM STDIN;\n";
    for (const DemoOrderRow &r : table) {
        sql += r.id + '\t' + copyText(r.customerId) + '\t' + r.status + '\t' + copyText(r.currency) + '\t'
            + QByteArray::number(r.totalCents) + '\t' + QByteArray::number(r.lines) + '\t' + copyText(r.channel) + '\t'
            + isoUtc(r.placedMs) + '\t' + isoUtc(r.updatedMs) + '\n';
    }
    sql += "\\.\n";
    return sql;
}

QByteArray DemoReadModelData::redisCommands() const
{
    QByteArray commands;
    for (const DemoOrderRow &r : summary) {
        commands += "HSET order-summary:" + r.id + " status " + r.status + " total_cents "
            + QByteArray::number(r.totalCents) + " lines " + QByteArray::number(r.lines) + " currency "
            + (r.currency.isEmpty() ? QByteArray("none") : r.currency) + " updated_at " + isoUtc(r.updatedMs) + '\n';
    }
    return commands;
}

} // namespace chronoscope
