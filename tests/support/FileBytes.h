#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

/// A whole file's bytes (empty when it cannot be read), and writing them back: for tests that damage files.
inline QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline bool writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}
