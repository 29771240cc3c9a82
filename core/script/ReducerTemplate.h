#pragma once

#include "model/Types.h"

#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace chronoscope::engine {

/// A corrective-event template of a reducer file (`"templates"`, F9): what the composer offers, by name,
/// for a stream the file applies to, or for an event of one of the `from` types ("Refund this payment"
/// on a PaymentProcessed).
///
///     { "name": "Refund this payment",                required, unique in the file
///       "eventType": "PaymentRefunded",                required
///       "from": ["PaymentProcessed"],                  optional: offered only on an event of these types
///       "description": "…",
///       "data": { … },                                 optional object (default {})
///       "metadata": { … } }                            optional object: custom metadata, no `$` keys
///
/// In `data` and `metadata`, a string that is exactly a placeholder is replaced by that value of the
/// source event, keeping its JSON type: `${data.a.b}` (a member of the source's data; a number segment
/// indexes an array), `${metadata.a}`, `${eventId}`, `${streamId}`, `${revision}` (a number). A path the
/// source event does not have becomes null and is reported. Any other string holding `${` is refused at
/// load: a placeholder is the whole string or it is not one, and a typo never stays unsubstituted.
struct ReducerTemplate
{
    QString name;
    QString description;
    QByteArray eventType;
    QList<QByteArray> from; ///< source event types; empty: offered without a source event too
    QJsonValue data = QJsonValue(QJsonValue::Object);
    QJsonValue metadata = QJsonValue(QJsonValue::Object);

    /// True when the template fits an event of `sourceType` (any type when `from` is empty).
    bool appliesToSource(const QByteArray &sourceType) const;

    /// Reads the `templates` array of a reducer file. On failure `field` ("templates[1].data") and
    /// `message` ("/amount: unknown placeholder …") say where and what.
    static std::optional<QList<ReducerTemplate>> parseAll(const QJsonValue &templates, QString *field,
                                                          QString *message);

    /// `value` with every placeholder replaced from `source` (none: every placeholder is missing).
    /// `missing` gets one line per placeholder that found nothing: "/amount: ${data.total} (not in the
    /// source event)".
    static QJsonValue substitute(const QJsonValue &value, const RecordedEvent *source, QStringList *missing);

    /// Whether `text` is a placeholder this format knows ("${data.x}", …).
    static bool isPlaceholder(const QString &text);
};

} // namespace chronoscope::engine
