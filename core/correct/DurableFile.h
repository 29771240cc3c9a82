#pragma once

#include <QByteArray>
#include <QFileDevice>
#include <QString>

namespace chronoscope::durable {

/// Replaces `path` with `bytes` so that a crash at any moment leaves either the old file or the
/// new one, whole: QSaveFile writes a temporary file beside it, which is fsync'd, renamed over the
/// old one, and the directory is fsync'd so the rename itself survives a power cut. Returns an
/// error message, empty on success. The file gets `permissions` (drafts and logs hold payloads).
QString replaceFile(const QString &path, const QByteArray &bytes,
                    QFileDevice::Permissions permissions = QFileDevice::ReadOwner | QFileDevice::WriteOwner);

/// fsync of a directory: makes a create, rename or remove in it durable. False when it failed.
bool syncDirectory(const QString &directory);

/// Creates `directory` (and its parents) readable by the owner only when it does not exist.
QString makeDirectory(const QString &directory);

} // namespace chronoscope::durable
