#pragma once

#include <QHash>
#include <QJsonValue>
#include <QString>
#include <QUrl>

namespace chronoscope::engine {

/// Where the `$ref`s of one schema document point. It learns the base URIs that `$id`s establish and
/// the locations they name ("$id": "#item") while the compiler walks the schema, then resolves a
/// reference to a location within the document: "#", "#/definitions/money" (JSON Pointer, percent-
/// and ~-escaped), "#item", or a URI that an `$id` in the document declares ("node", read against
/// "http://example.com/tree"). Anything else is remote: never fetched.
class JsonSchemaRefResolver
{
public:
    struct Target
    {
        enum class Outcome { Found, Invalid, Remote, Missing };
        Outcome outcome = Outcome::Missing;
        QString pointer;   ///< where in the document (Found)
        QJsonValue schema; ///< the schema there: an object or a boolean (Found)
        QUrl base;         ///< the base URI in force there (Found)
    };

    explicit JsonSchemaRefResolver(const QJsonValue &document);

    /// The root's base URI before any `$id`: a made-up one, so that relative references that no `$id`
    /// declares come out as remote.
    const QUrl &rootBase() const { return m_rootBase; }
    /// Records the `$id` of the schema at `pointer` and returns the base URI for its subschemas (`base`
    /// itself when the `$id` only names the location). `ok` is false when `id` is not a URI.
    QUrl declare(const QString &id, const QString &pointer, const QUrl &base, bool *ok);
    /// Where `ref`, read against `base`, points; call once every `$id` is declared.
    Target resolve(const QString &ref, const QUrl &base) const;

private:
    Target at(const QString &pointer) const;

    QJsonValue m_document;
    QUrl m_rootBase;
    QHash<QString, QString> m_resources; ///< absolute URI without fragment → pointer of the resource
    QHash<QString, QString> m_anchors;   ///< absolute URI with a plain-name fragment → pointer
};

} // namespace chronoscope::engine
