#include "CliCommand.h"
#include "CliOutput.h"

#include <QCoreApplication>

namespace chronoscope::cli {

void CommandRegistry::add(std::unique_ptr<Command> command)
{
    m_commands.push_back(std::move(command));
}

Command *CommandRegistry::find(const QString &name) const
{
    for (const auto &c : m_commands) {
        if (c->name() == name)
            return c.get();
    }
    return nullptr;
}

QList<Command *> CommandRegistry::commands() const
{
    QList<Command *> out;
    for (const auto &c : m_commands)
        out.append(c.get());
    return out;
}

QString CommandRegistry::usage() const
{
    QString text = QStringLiteral("Usage: chronoscope-cli <command> [options]\n"
                                  "       chronoscope-cli help <command> | --help | --version\n"
                                  "\n"
                                  "Chronoscope from a shell: the same core as the window, for scripts and CI.\n"
                                  "\n"
                                  "Commands:\n");
    int width = 0;
    for (const auto &c : m_commands)
        width = std::max(width, int(c->name().size()));
    for (const auto &c : m_commands)
        text += QStringLiteral("  ") + c->name().leftJustified(width + 2) + c->summary() + QLatin1Char('\n');
    text += QStringLiteral(
        "\n"
        "Every command:\n"
        "  --connection <string>  a connection string (esdb://, kurrentdb://…), without a password\n"
        "  --username <name>      the user to authenticate as, with --connection\n"
        "  --profile <name>       a saved connection profile (the window's); its password from the keychain\n"
        "  --connect <either>     a connection string (with ://) or a profile name\n"
        "  --json                 one JSON object on stdout and nothing else; messages on stderr\n"
        "  --help                 the command's help\n"
        "  The password comes from the environment variable CHRONOSCOPE_PASSWORD (or, with --profile, the\n"
        "  keychain); it is never read from the command line and never printed.\n"
        "\n"
        "Exit codes: 0 done, 1 error (bad arguments, unreachable server, unreadable file),\n"
        "            2 differences found, 3 refused (the validation failed, or a conflict).\n");
    return text;
}

int CommandRegistry::dispatch(const QStringList &arguments, Output &out) const
{
    if (arguments.isEmpty()) {
        out.message(usage());
        return kExitError;
    }
    const QString first = arguments.first();
    if (first == QLatin1String("--help") || first == QLatin1String("-h")) {
        out.line(usage());
        return kExitOk;
    }
    if (first == QLatin1String("--version") || first == QLatin1String("-V")) {
        out.line(QStringLiteral("chronoscope-cli ") + QCoreApplication::applicationVersion());
        return kExitOk;
    }
    if (first == QLatin1String("help")) {
        if (arguments.size() == 1) {
            out.line(usage());
            return kExitOk;
        }
        if (const Command *c = find(arguments.at(1))) {
            out.line(c->help());
            return kExitOk;
        }
        return out.error(QStringLiteral("no command \"%1\" (chronoscope-cli --help lists them)").arg(arguments.at(1)));
    }
    Command *command = find(first);
    if (!command) {
        if (first.startsWith(QLatin1Char('-')))
            return out.error(
                QStringLiteral("unknown option \"%1\": a command comes first (chronoscope-cli --help)").arg(first));
        return out.error(QStringLiteral("no command \"%1\" (chronoscope-cli --help lists them)").arg(first));
    }
    return command->run(arguments.mid(1), out); // its CommandLine answers --help
}

} // namespace chronoscope::cli
