#include "AppIdentity.h"

#include <QApplication>

namespace chronoscope::AppIdentity {

QString applicationId()
{
    return QStringLiteral(CHRONOSCOPE_APP_ID);
}

QIcon icon()
{
    // The sizes app/CMakeLists.txt renders; 16-24 px come from the drawing made for the pixel grid.
    QIcon icon;
    for (int size : {16, 22, 24, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/icons/hicolor/%1x%1/apps/%2.png").arg(size).arg(applicationId()),
                     QSize(size, size));
    return icon;
}

void apply()
{
    QApplication::setOrganizationName(QStringLiteral("Chronoscope"));
    QApplication::setApplicationName(QStringLiteral("chronoscope"));
    QApplication::setApplicationDisplayName(QStringLiteral("Chronoscope"));
    QApplication::setApplicationVersion(QStringLiteral(CHRONOSCOPE_VERSION));
    QGuiApplication::setDesktopFileName(applicationId());
    QApplication::setWindowIcon(icon());
}

} // namespace chronoscope::AppIdentity
