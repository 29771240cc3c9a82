#include "CommandLine.h"

#include "CliCommand.h"
#include "CliOutput.h"

namespace chronoscope::cli {

CommandLine::CommandLine(const Command &command) : m_command(command)
{
    m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    m_parser.addOption(QCommandLineOption(QStringList{QStringLiteral("h"), QStringLiteral("help")}));
    m_parser.addOption(QCommandLineOption(QStringLiteral("json")));
}

void CommandLine::addConnectionOptions()
{
    addOption(QStringLiteral("connection"), QStringLiteral("connection string"), QStringLiteral("string"));
    addOption(QStringLiteral("profile"), QStringLiteral("saved profile"), QStringLiteral("name"));
    addOption(QStringLiteral("username"), QStringLiteral("user for --connection"), QStringLiteral("name"));
    addOption(QStringLiteral("connect"), QStringLiteral("connection string or profile"), QStringLiteral("string|name"));
}

void CommandLine::addOption(const QString &name, const QString &description, const QString &valueName)
{
    m_parser.addOption(QCommandLineOption(name, description, valueName));
}

std::optional<int> CommandLine::parse(const QStringList &arguments, Output &out)
{
    // A JSON caller wants its error as JSON too, even when the arguments around --json are wrong.
    out.setJson(arguments.contains(QLatin1String("--json")));
    if (!m_parser.parse(QStringList{QStringLiteral("chronoscope-cli")} + arguments))
        return out.error(m_parser.errorText() + QStringLiteral(" (chronoscope-cli %1 --help)").arg(m_command.name()));
    if (m_parser.isSet(QStringLiteral("help"))) {
        out.line(m_command.help());
        return kExitOk;
    }
    if (m_parser.positionalArguments().size() > m_maxPositional)
        return out.error(QStringLiteral("unexpected argument \"%1\" (chronoscope-cli %2 --help)")
                             .arg(m_parser.positionalArguments().at(m_maxPositional), m_command.name()));
    // An option given twice would silently keep one of the two values: refuse it.
    for (const QString &name : m_parser.optionNames()) {
        if (m_parser.optionNames().count(name) > 1 && m_parser.values(name).size() > 1)
            return out.error(QStringLiteral("--%1 is given more than once").arg(name));
    }
    return std::nullopt;
}

} // namespace chronoscope::cli
