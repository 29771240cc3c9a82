#pragma once

#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace chronoscope {

/// Access control lists of a stream (`$acl`): each entry a list of roles or users.
struct StreamAcl
{
    QStringList readRoles, writeRoles, deleteRoles, metaReadRoles, metaWriteRoles;
    /// Keys ("$r", "$w", …) given as a bare string rather than an array: kept so that what is
    /// written back is byte for byte what was read, as the official clients do.
    QStringList singleStringKeys;
    bool isEmpty() const;
    friend bool operator==(const StreamAcl &a, const StreamAcl &b);
};

/// The JSON object stored in `$$<stream>` (protocol sheet §12): the system keys typed, the rest kept.
struct StreamMetadata
{
    std::optional<qint64> maxCount;        ///< $maxCount
    std::optional<qint64> maxAgeSeconds;   ///< $maxAge
    std::optional<qint64> truncateBefore;  ///< $tb
    std::optional<qint64> cacheControlSeconds; ///< $cacheControl
    std::optional<StreamAcl> acl;          ///< $acl
    QJsonObject custom;                    ///< every key that is not a system key

    /// Soft deletion is `$tb` = long.MaxValue.
    bool isSoftDeleted() const;
    QJsonObject toJson() const;
    QByteArray toJsonBytes() const;
    /// Parses a metadata object; a key of the wrong type is an error naming the key.
    static std::optional<StreamMetadata> fromJson(const QByteArray &json, QString *error = nullptr);
    friend bool operator==(const StreamMetadata &a, const StreamMetadata &b);
};

} // namespace chronoscope
