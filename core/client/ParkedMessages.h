#pragma once

#include "client/PersistentSubscriptionTypes.h"
#include "model/ClientError.h"
#include "model/Types.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace chronoscope {

class StreamsClient;

/// One message a persistent subscription group parked: the `$>` record in the group's parked stream and the
/// event it points to (none when that event is gone), with what the server wrote into the link's metadata.
struct ParkedMessage
{
    quint64 parkedNumber = 0;           ///< the link's event number in the parked stream (what `stop_at` counts)
    RecordedEvent link;                 ///< the `$>` record, data "<eventNumber>@<stream>"
    std::optional<RecordedEvent> event; ///< the parked event, resolved
    QString reason;                     ///< "Reached retry count of 10", "Client explicitly NAK'ed message.\n…"
    QDateTime added;                    ///< when it was parked (the metadata's `added`), invalid when absent
    std::optional<qint64> subscriptionEventNumber; ///< its number in the group's source (the metadata's)

    /// The parked event's stream and revision: the resolved event's, else what the link's data names
    /// (the event may be gone); empty and -1 when the link cannot be read either.
    QByteArray eventStream() const;
    qint64 eventRevision() const;
};

struct ParkedMessagesResult
{
    ClientError error;
    QList<ParkedMessage> messages; ///< oldest first, the replayed ones left out (they are below `$tb`)
    bool more = false;             ///< stopped at the limit with more parked
};

/// The parked messages of a group, read as the server keeps them (KurrentDB
/// `PersistentSubscriptionMessageParker`): links in the group's PersistentGroup::parkedStream(), whose
/// `$tb` hides the ones already replayed. The window's Subscriptions pane and chronoscope-cli both read them here.
namespace parked {

/// Reads up to `limit` parked messages (0: all) from the oldest not replayed yet, links resolved. A group that
/// never parked anything has none (not an error).
ParkedMessagesResult read(const StreamsClient &client, const PersistentGroup &group, quint64 limit = 0);

/// The message of one read record of the parked stream (its metadata parsed).
ParkedMessage fromResolved(const ResolvedEvent &e);

} // namespace parked

} // namespace chronoscope
