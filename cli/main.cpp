#include "CliCommand.h"
#include "CliOutput.h"

#include <QCoreApplication>

using namespace chronoscope::cli;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    // The window's organisation and application names: the same saved profiles and the same audit log.
    QCoreApplication::setOrganizationName(QStringLiteral("Chronoscope"));
    QCoreApplication::setApplicationName(QStringLiteral("chronoscope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CHRONOSCOPE_VERSION));

    CommandRegistry registry;
    registerCommands(registry);
    Output out;
    return registry.dispatch(QCoreApplication::arguments().mid(1), out);
}
