#include "DemoReducer.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>

namespace chronoscope {

namespace {
const char *const kFiles[] = {"demo-orders.reducer.json", "demo-orders.projection.js"};
}

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
        if (QFile::exists(target))
            continue; // the user's copy, perhaps edited: never overwritten
        QFile source(QStringLiteral(":/reducers/") + QLatin1String(name));
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
