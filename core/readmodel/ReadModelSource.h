#pragma once

#include "base/Cancellation.h"
#include "readmodel/RowBlock.h"

#include <QJsonValue>
#include <QList>
#include <QString>

#include <functional>

namespace chronoscope::readmodel {

/// A typed error from a read-model database, as ClientError is for the event store. Never carries a password.
struct ReadModelError
{
    enum class Kind {
        None,
        Unreachable,          ///< no connection: refused, no route, DNS, timeout while connecting
        AuthenticationFailed, ///< the server refused the user name or password
        QueryFailed,          ///< the server refused the query; `message` is its own words, `serverCode` its code
        ServerGone,           ///< the connection broke after it was made (server killed or restarted mid-scan)
        BadRow,               ///< a row the mapping cannot read (two rows for one id, no id, bad JSON)
        Cancelled,
        Configuration, ///< the mapping and the endpoint do not fit (e.g. a Redis mapping on PostgreSQL)
    };

    Kind kind = Kind::None;
    QString message;
    QString serverCode; ///< PostgreSQL's SQLSTATE ("42703"), Redis's error prefix ("WRONGTYPE"); may be empty

    bool isError() const { return kind != Kind::None; }
    explicit operator bool() const { return isError(); }
    /// "unreachable", "authentication-failed", "query-failed", "server-gone", "bad-row", "cancelled", "configuration"
    static QString kindName(Kind kind);
    QString kindName() const { return kindName(kind); }
    /// One line for a user: "query-failed (42703): column \"totl\" does not exist".
    QString toString() const;
};

/// One read-model row: the aggregate it belongs to and its value as the backend gave it, each column
/// coerced by its database type (ReadModelMapping::rowShape() then maps it to the fold's shape).
struct ReadModelRow
{
    QString aggregateId;
    QJsonValue raw;
    /// Set when this one row cannot be read (a Redis key of the pattern holding another type, a value that
    /// is not JSON): the scan goes on, and the drift scan reports the aggregate as unreadable.
    QString problem;
};

struct RowLookup
{
    ReadModelError error;
    bool found = false; ///< false with no error: there is no row for this aggregate ("missing")
    QJsonValue raw;
};

/// A checkpoint as the read model holds it (ReadModelMapping::checkpoint()): Undefined = no row, no key.
struct CheckpointLookup
{
    ReadModelError error;
    QJsonValue raw{QJsonValue::Undefined};
};

/// Where a read model's rows come from: the row for one aggregate, or all rows of a mapping streamed in
/// batches. Implemented for PostgreSQL (readmodel/postgres) and Redis (readmodel/redis); the drift scan and
/// the diff pane see only this interface.
///
/// A source is used from one thread at a time (a worker, never the GUI thread): its calls block. It connects
/// on first use and keeps the connection; after ServerGone the next call connects afresh.
class ReadModelSource
{
public:
    virtual ~ReadModelSource() = default;

    /// "postgresql chronoscope@127.0.0.1:5432/readmodel, mapping orders" — never the password.
    virtual QString describe() const = 0;

    /// Connects (if not yet) and checks the credentials; no error = ready.
    virtual ReadModelError connect() = 0;

    /// The row for one aggregate id (the mapping's row query / key). Two rows for one id are a BadRow error.
    virtual RowLookup fetchRow(const QString &aggregateId) = 0;

    /// Receives each batch in order; return false to stop the scan early (not an error).
    using BatchSink = std::function<bool(const QList<ReadModelRow> &batch)>;
    /// Streams every row of the mapping (the bulk query / key pattern), at most `batchSize` rows per batch,
    /// checking `cancel` between batches (an early end by cancel is a Cancelled error). Rows already handed
    /// to the sink stay valid when the scan ends with an error.
    virtual ReadModelError scan(int batchSize, const CancellationPtr &cancel, const BatchSink &sink) = 0;

    /// Receives each block in order; return false to stop early. The block may be kept (shared, read-only).
    using BlockSink = std::function<bool(const RowBlockPtr &block)>;
    /// scan() with the rows in blocks whose values are built when asked for (RowBlock): the drift scan's form.
    /// The same rows, errors and cancellation as scan(); this default wraps scan()'s batches.
    virtual ReadModelError scanBlocks(int batchSize, const CancellationPtr &cancel, const BlockSink &sink);

    /// The projector's checkpoint the mapping declares (its "checkpoint" query or key), for the lag probe.
    /// A source that cannot read one, or a mapping without one, says so as a Configuration error.
    virtual CheckpointLookup readCheckpoint()
    {
        return {ReadModelError{ReadModelError::Kind::Configuration,
                               QStringLiteral("this read model has no checkpoint to read"),
                               {}},
                {}};
    }
};

} // namespace chronoscope::readmodel
