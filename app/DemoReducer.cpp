#include "DemoReducer.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QStandardPaths>

namespace chronoscope {

namespace {
const char *const kFiles[] = {"demo-orders.reducer.json", "demo-orders.projection.js",
                              "demo-order-totals.projection.js"}; // the demo server's projection, as it should be

// SHA-256 of every earlier version of the files that a release shipped. A copy still byte for byte
// one of these was never edited, so it is replaced by this version's (which gained the refund
// template and invariant); any other copy is the user's and is never touched. When a file changes,
// add the hash of the version being replaced here.
const char *const kShippedBefore[] = {
    "053f9eab7d730a72b895d053cfb4ed1b4b515b36e4916365d3b7b338c0dcb8c1", // reducer.json before corrections
    "7b5112730a0ca2c012cfd1dd55be3131b774d9f3b6605e0b41d9dd59949ad649", // projection.js versions
    "c6da45f59fe80caaa4b987901b3784ef0ca3f89d8cfaab3903bd600fa5e4a40d",
    "ee92576782d3d063cee6906c8f0e6dedc73a435d7fd1b899258c2fbf57b28fd0",
};

QByteArray sha256Of(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&f);
    return hash.result().toHex();
}

bool isUneditedOlderCopy(const QString &path)
{
    const QByteArray hash = sha256Of(path);
    for (const char *old : kShippedBefore)
        if (hash == old)
            return true;
    return false;
}
} // namespace

QString DemoReducer::folder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/demo");
}

QString DemoReducer::install(QString *error)
{
    const QString dir = folder();
    if (!QDir().mkpath(dir)) {
        *error = QObject::tr("Cannot create %1").arg(dir);
        return {};
    }
    for (const char *name : kFiles) {
        const QString target = dir + QLatin1Char('/') + QLatin1String(name);
        const QString resource = QStringLiteral(":/reducers/") + QLatin1String(name);
        if (QFile::exists(target)) {
            if (!isUneditedOlderCopy(target))
                continue; // this version's copy, or the user's (perhaps edited): never overwritten
            if (!QFile::remove(target)) {
                *error = QObject::tr("Cannot update the demo reducer at %1").arg(target);
                return {};
            }
        }
        QFile source(resource);
        if (!source.copy(target)) {
            *error = QObject::tr("Cannot copy the demo reducer to %1: %2").arg(target, source.errorString());
            return {};
        }
        // Resource files copy read-only; the user's copy is theirs to edit.
        QFile::setPermissions(target, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
    }
    return dir + QLatin1Char('/') + QLatin1String(kFiles[0]);
}

} // namespace chronoscope
