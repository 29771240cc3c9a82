#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <optional>

namespace chronoscope::cli {

class Command;
class Output;

/// A command's options: QCommandLineParser with the conventions of every command (`--help`, `--json`,
/// and the connection options for those that connect), bad arguments answered with a clear message.
class CommandLine
{
public:
    explicit CommandLine(const Command &command);

    /// `--connection <string>`, `--username <name>`, `--profile <name>` (CliConnection reads them).
    void addConnectionOptions();
    void addOption(const QString &name, const QString &description, const QString &valueName = {});
    /// Accepts up to `max` positional arguments (files, for diff and verify-report); none by default.
    void allowPositional(int max) { m_maxPositional = max; }

    /// Parses the arguments after the command's name. Returns an exit code when the command is done
    /// already (help printed: 0; a bad argument reported: 1), none to go on. Sets `out`'s JSON mode.
    std::optional<int> parse(const QStringList &arguments, Output &out);

    bool isSet(const QString &name) const { return m_parser.isSet(name); }
    QString value(const QString &name) const { return m_parser.value(name); }
    QStringList positional() const { return m_parser.positionalArguments(); }

private:
    const Command &m_command;
    QCommandLineParser m_parser;
    int m_maxPositional = 0;
};

} // namespace chronoscope::cli
