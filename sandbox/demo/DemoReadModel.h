#pragma once

#include "demo/DemoHistory.h"

#include <QByteArray>
#include <QStringList>

#include <optional>
#include <vector>

namespace chronoscope {

/// The demo's read models (PRODUCT.md, "The demo history"): an `orders` table and an `order-summary:<id>` Redis
/// hash per order, as the shop's projectors wrote them from the demo history's order events — and drifted for
/// some orders. Which orders drift, and how, follows from the history's seed alone, so the drifted sets are
/// known (tableDrift, summaryDrift) and a drift scan with the demo reducer finds exactly them:
///  - table: the projector missed an order's last status event (status stale), missed an ItemRemoved (total too
///    high), or never inserted the row (missing), and three rows of test orders have no events at all;
///  - summary: status stale, total too high, or the key missing.
/// The aggregate id is the stream's number ("42" for order-42), as the mappings' category "order" reads it.
struct DemoOrderRow
{
    QByteArray id; ///< "42"
    QByteArray status, customerId, currency, channel;
    qint64 totalCents = 0;
    int lines = 0;
    qint64 placedMs = 0;
    qint64 updatedMs = 0;
};

/// What the seed implies for one drifted aggregate: what a careful look at it must show (for tests).
struct DemoDrift
{
    QString id;                 ///< the aggregate id ("42")
    QStringList columns;        ///< the mapped columns that differ from the events ("status", "total_cents"), sorted
    bool missing = false;       ///< the read model has no row (or key) for it
    bool withoutEvents = false; ///< a row of no order (the table's test orders)
    /// The revision of the order's stream since which the row and the events disagree: the row equals the
    /// state after `*sinceRevision` events (on the mapped columns) and no later state. None when no state of
    /// the stream equals the row (or no row).
    std::optional<quint64> sinceRevision;
    QByteArray sinceType; ///< the type of the event at sinceRevision
};

struct DemoReadModelData
{
    std::vector<DemoOrderRow> table;   ///< the `orders` rows as they stand (drift applied), by id
    std::vector<DemoOrderRow> summary; ///< the Redis hashes as they stand
    QStringList tableDrift;            ///< aggregate ids where the table disagrees with the events, sorted
    QStringList summaryDrift;          ///< the same for the Redis summary
    quint64 orderEvents = 0;
    std::vector<DemoDrift> tableDetails;   ///< one per tableDrift id, in that order
    std::vector<DemoDrift> summaryDetails; ///< one per summaryDrift id, in that order

    /// Builds them from the history with these options (generates it: run in a worker).
    static DemoReadModelData build(const DemoHistory::Options &options);

    /// psql input: CREATE TABLE orders … and projector_checkpoints, COPY of the rows.
    QByteArray postgresScript() const;
    /// redis-cli input: one HSET per summary.
    QByteArray redisCommands() const;
};

} // namespace chronoscope
