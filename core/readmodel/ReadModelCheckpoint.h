#pragma once

#include "model/Types.h"

#include <QJsonValue>
#include <QString>

#include <optional>

namespace chronoscope::readmodel {

/// Where a read model keeps its checkpoint: the `$all` position of the last event its projector processed
/// (docs/READ-MODELS.md, "Lag"). Declared in the mapping's "checkpoint" member: PostgreSQL
/// `{"query": "SELECT position FROM checkpoints WHERE name = 'orders'"}` (no parameters; the first column of the
/// first row), Redis `{"key": "projector-checkpoint:orders"}` (GET) or with `"field"` (HGET of a hash).
struct CheckpointSpec
{
    QString query; ///< PostgreSQL
    QString key;   ///< Redis
    QString field; ///< Redis: a hash field; empty = the key is a string
    bool isSet() const { return !query.isEmpty() || !key.isEmpty(); }

    /// Reads the mapping's "checkpoint" member (Undefined = none). An error names the sub-field in `field`
    /// ("" for the member itself, ".query", ".key", …) and returns false.
    static bool parse(const QJsonValue &v, bool redis, CheckpointSpec *out, QString *field, QString *message);
};

/// A checkpoint's value read back: "nothing processed yet" (NULL, no row, no key) or a position.
/// Accepted: a commit position as a JSON number or decimal text ("1234"), or "commit/prepare" ("1234/1200").
/// A bare commit position is taken as commit = prepare (a single-event transaction, as servers write today).
struct CheckpointValue
{
    bool none = false;
    Position position;
    QString error; ///< the value is not a position: says what it was
};
CheckpointValue checkpointFromValue(const QJsonValue &raw);

} // namespace chronoscope::readmodel
