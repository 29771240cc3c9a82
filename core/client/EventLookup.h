#pragma once

#include "base/Cancellation.h"
#include "model/Types.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace chronoscope {

class StreamsClient;

/// Finds related events on the server, for the inspector's navigation: the causation event
/// (by id) and the correlation chain (events sharing a `$correlationId`). Blocking calls: run
/// them in a worker. Scans of `$all` are bounded and report progress; every call can be cancelled.
class EventLookup
{
public:
    /// Called with the number of events looked at; return false to stop.
    using Progress = std::function<bool(quint64 scanned)>;

    struct Found
    {
        std::optional<RecordedEvent> event; ///< none when not found (or on error)
        QString error;                      ///< empty unless the server failed
        quint64 scanned = 0;
        bool viaAll = false;                ///< found (or looked) in `$all`
        bool limitReached = false;          ///< the `$all` scan stopped at its bound
    };

    struct Chain
    {
        QList<RecordedEvent> events; ///< oldest first (by commit position)
        QString error;
        quint64 scanned = 0;
        bool viaCategoryStream = false; ///< read from `$bc-<id>`
        bool limitReached = false;
    };

    /// The event whose id is `id`: `stream` first (read backwards from its end), then `$all`
    /// backwards from the end, looking at most `maxAllEvents` events.
    static Found findById(const StreamsClient &client, const QByteArray &stream, const QUuid &id,
                          quint64 maxAllEvents, const CancellationPtr &cancel, const Progress &progress = {});

    /// The events whose metadata `$correlationId` is `correlationId`: read from `$bc-<id>` when that
    /// stream exists (links resolved), else from a backwards scan of `$all` of at most `maxAllEvents`.
    /// A `$bc-` stream longer than `maxAllEvents` gives its first `maxAllEvents` events, `limitReached`
    /// and an `error` saying so (the list would otherwise grow for as long as the server sends).
    static Chain correlationChain(const StreamsClient &client, const QString &correlationId,
                                  quint64 maxAllEvents, const CancellationPtr &cancel, const Progress &progress = {});

    /// The string `key` of a JSON metadata object, or empty.
    static QString metadataString(const QByteArray &metadata, QLatin1String key);
};

} // namespace chronoscope
