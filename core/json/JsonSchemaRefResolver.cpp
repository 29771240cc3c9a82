#include "json/JsonSchemaRefResolver.h"

#include <QJsonArray>
#include <QJsonObject>

namespace chronoscope::engine {

namespace {

// The base URI an `$id` establishes (draft-07 ignores an `$id` beside `$ref`).
QUrl rebased(const QJsonValue &schema, const QUrl &base)
{
    const QJsonObject o = schema.toObject();
    const QJsonValue id = o.value(QLatin1String("$id"));
    if (!id.isString() || o.contains(QLatin1String("$ref")))
        return base;
    const QUrl document = base.resolved(QUrl(id.toString())).adjusted(QUrl::RemoveFragment);
    return document.isEmpty() ? base : document;
}

} // namespace

JsonSchemaRefResolver::JsonSchemaRefResolver(const QJsonValue &document)
    : m_document(document), m_rootBase(QStringLiteral("chronoscope:/schema"))
{
    m_resources.insert(m_rootBase.toString(), QString());
}

QUrl JsonSchemaRefResolver::declare(const QString &id, const QString &pointer, const QUrl &base, bool *ok)
{
    const QUrl relative(id);
    *ok = relative.isValid();
    if (!*ok)
        return base;
    const QUrl resolved = base.resolved(relative);
    const QString fragment = resolved.fragment(QUrl::FullyDecoded);
    if (!fragment.isEmpty() && !fragment.startsWith(QLatin1Char('/')))
        m_anchors.insert(resolved.toString(), pointer);
    const QUrl document = resolved.adjusted(QUrl::RemoveFragment);
    if (document == base.adjusted(QUrl::RemoveFragment))
        return base;
    m_resources.insert(document.toString(), pointer);
    return document;
}

JsonSchemaRefResolver::Target JsonSchemaRefResolver::resolve(const QString &ref, const QUrl &base) const
{
    const QUrl relative(ref);
    if (!relative.isValid())
        return Target{Target::Outcome::Invalid, {}, {}, {}};
    const QUrl target = base.resolved(relative);
    const auto resource = m_resources.constFind(target.adjusted(QUrl::RemoveFragment).toString());
    if (resource == m_resources.constEnd())
        return Target{Target::Outcome::Remote, {}, {}, {}};
    const QString fragment = target.fragment(QUrl::FullyDecoded);
    if (fragment.isEmpty() || fragment.startsWith(QLatin1Char('/')))
        return at(resource.value() + fragment);
    const auto anchor = m_anchors.constFind(target.toString());
    return anchor == m_anchors.constEnd() ? Target{} : at(anchor.value());
}

JsonSchemaRefResolver::Target JsonSchemaRefResolver::at(const QString &pointer) const
{
    if (!pointer.isEmpty() && !pointer.startsWith(QLatin1Char('/')))
        return Target{};
    // Walk down from the root, keeping the base URI that the $ids on the way establish.
    QJsonValue v = m_document;
    QUrl base = m_rootBase;
    const QStringList segments = pointer.split(QLatin1Char('/')).mid(1);
    for (const QString &raw : segments) {
        base = rebased(v, base);
        QString segment = raw;
        segment.replace(QLatin1String("~1"), QLatin1String("/")).replace(QLatin1String("~0"), QLatin1String("~"));
        if (v.isObject() && v.toObject().contains(segment)) {
            v = v.toObject().value(segment);
        } else if (v.isArray()) {
            bool ok = false;
            const qsizetype i = segment.toLongLong(&ok);
            if (!ok || i < 0 || i >= v.toArray().size() || (segment.size() > 1 && segment.startsWith(QLatin1Char('0'))))
                return Target{};
            v = v.toArray().at(i);
        } else {
            return Target{};
        }
    }
    if (!v.isObject() && !v.isBool())
        return Target{};
    return Target{Target::Outcome::Found, pointer, v, base};
}

} // namespace chronoscope::engine
