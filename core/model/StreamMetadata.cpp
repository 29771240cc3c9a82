#include "model/StreamMetadata.h"

#include "model/Types.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <limits>

namespace chronoscope {
namespace {

const QLatin1String kMaxCount("$maxCount"), kMaxAge("$maxAge"), kTb("$tb"), kCacheControl("$cacheControl"),
    kAcl("$acl");

// The form is kept as given (`"ops"` or `["ops"]`): the official clients write what they are
// given, and another form would change the record's bytes and so every later `$all` position.
QJsonValue rolesToJson(const QStringList &roles, bool asString)
{
    if (asString && roles.size() == 1)
        return roles.first();
    return QJsonArray::fromStringList(roles);
}

bool rolesFromJson(const QJsonObject &acl, const QString &key, QStringList *out, QStringList *singleStringKeys)
{
    const QJsonValue v = acl.value(key);
    if (v.isUndefined() || v.isNull())
        return true;
    if (v.isString()) {
        *out = QStringList{v.toString()};
        *singleStringKeys << key;
        return true;
    }
    if (!v.isArray())
        return false;
    const QJsonArray a = v.toArray();
    for (const QJsonValue &e : a) {
        if (!e.isString())
            return false;
        *out << e.toString();
    }
    return true;
}

bool integerValue(const QJsonObject &o, QLatin1String key, std::optional<qint64> *out, QString *error)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined() || v.isNull())
        return true;
    // Qt keeps JSON integers as exact 64-bit values, so $tb = long.MaxValue survives the round trip.
    constexpr qint64 notAnInteger = std::numeric_limits<qint64>::min();
    const qint64 n = v.isDouble() ? v.toInteger(notAnInteger) : notAnInteger;
    if (n == notAnInteger) {
        if (error)
            *error = QStringLiteral("metadata key '%1' must be an integer").arg(key);
        return false;
    }
    *out = n;
    return true;
}

} // namespace

bool StreamAcl::isEmpty() const
{
    return readRoles.isEmpty() && writeRoles.isEmpty() && deleteRoles.isEmpty() && metaReadRoles.isEmpty()
        && metaWriteRoles.isEmpty();
}

bool operator==(const StreamAcl &a, const StreamAcl &b)
{
    return a.readRoles == b.readRoles && a.writeRoles == b.writeRoles && a.deleteRoles == b.deleteRoles
        && a.metaReadRoles == b.metaReadRoles && a.metaWriteRoles == b.metaWriteRoles
        && a.singleStringKeys == b.singleStringKeys;
}

bool StreamMetadata::isSoftDeleted() const
{
    return truncateBefore && quint64(*truncateBefore) == kTombstoneRevision;
}

QJsonObject StreamMetadata::toJson() const
{
    QJsonObject o = custom;
    if (maxCount) o.insert(kMaxCount, *maxCount);
    if (maxAgeSeconds) o.insert(kMaxAge, *maxAgeSeconds);
    if (truncateBefore) o.insert(kTb, *truncateBefore);
    if (cacheControlSeconds) o.insert(kCacheControl, *cacheControlSeconds);
    if (acl) {
        QJsonObject a;
        if (!acl->readRoles.isEmpty()) a.insert(QLatin1String("$r"), rolesToJson(acl->readRoles, acl->singleStringKeys.contains(QLatin1String("$r"))));
        if (!acl->writeRoles.isEmpty()) a.insert(QLatin1String("$w"), rolesToJson(acl->writeRoles, acl->singleStringKeys.contains(QLatin1String("$w"))));
        if (!acl->deleteRoles.isEmpty()) a.insert(QLatin1String("$d"), rolesToJson(acl->deleteRoles, acl->singleStringKeys.contains(QLatin1String("$d"))));
        if (!acl->metaReadRoles.isEmpty()) a.insert(QLatin1String("$mr"), rolesToJson(acl->metaReadRoles, acl->singleStringKeys.contains(QLatin1String("$mr"))));
        if (!acl->metaWriteRoles.isEmpty()) a.insert(QLatin1String("$mw"), rolesToJson(acl->metaWriteRoles, acl->singleStringKeys.contains(QLatin1String("$mw"))));
        o.insert(kAcl, a);
    }
    return o;
}

QByteArray StreamMetadata::toJsonBytes() const
{
    return QJsonDocument(toJson()).toJson(QJsonDocument::Compact);
}

std::optional<StreamMetadata> StreamMetadata::fromJson(const QByteArray &json, QString *error)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (!doc.isObject()) {
        if (error)
            *error = pe.error != QJsonParseError::NoError ? QStringLiteral("metadata is not valid JSON: ") + pe.errorString()
                                                          : QStringLiteral("metadata must be a JSON object");
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    StreamMetadata m;
    if (!integerValue(o, kMaxCount, &m.maxCount, error) || !integerValue(o, kMaxAge, &m.maxAgeSeconds, error)
        || !integerValue(o, kTb, &m.truncateBefore, error)
        || !integerValue(o, kCacheControl, &m.cacheControlSeconds, error))
        return std::nullopt;
    if (o.contains(kAcl)) {
        const QJsonValue av = o.value(kAcl);
        if (!av.isObject()) {
            if (error)
                *error = QStringLiteral("metadata key '$acl' must be an object");
            return std::nullopt;
        }
        const QJsonObject a = av.toObject();
        StreamAcl acl;
        if (!rolesFromJson(a, QStringLiteral("$r"), &acl.readRoles, &acl.singleStringKeys)
            || !rolesFromJson(a, QStringLiteral("$w"), &acl.writeRoles, &acl.singleStringKeys)
            || !rolesFromJson(a, QStringLiteral("$d"), &acl.deleteRoles, &acl.singleStringKeys)
            || !rolesFromJson(a, QStringLiteral("$mr"), &acl.metaReadRoles, &acl.singleStringKeys)
            || !rolesFromJson(a, QStringLiteral("$mw"), &acl.metaWriteRoles, &acl.singleStringKeys)) {
            if (error)
                *error = QStringLiteral("'$acl' entries must be a string or an array of strings");
            return std::nullopt;
        }
        m.acl = acl;
    }
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString &k = it.key();
        if (k != kMaxCount && k != kMaxAge && k != kTb && k != kCacheControl && k != kAcl)
            m.custom.insert(k, it.value());
    }
    return m;
}

bool operator==(const StreamMetadata &a, const StreamMetadata &b)
{
    return a.maxCount == b.maxCount && a.maxAgeSeconds == b.maxAgeSeconds && a.truncateBefore == b.truncateBefore
        && a.cacheControlSeconds == b.cacheControlSeconds && a.acl == b.acl && a.custom == b.custom;
}

} // namespace chronoscope
