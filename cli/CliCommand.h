#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace chronoscope::cli {

class Output;

/// The exit codes of every command (issue 15: stable and documented).
enum ExitCode {
    kExitOk = 0,          ///< done (appended, or already appended)
    kExitError = 1,       ///< anything went wrong: bad arguments, unreachable server, unreadable file
    kExitDifferences = 2, ///< differences or drift found (diff, verify, drift)
    kExitRefused = 3,     ///< refused: validation failed, a conflict, a guard
};

/// One subcommand of chronoscope-cli (`append`, later `read`, `fold`, `diff`, `export`, `verify-report`,
/// `archive`, …): one class, one file, standing on the same core objects as the window.
class Command
{
public:
    virtual ~Command() = default;
    /// The word after `chronoscope-cli`.
    virtual QString name() const = 0;
    /// One line for the command list.
    virtual QString summary() const = 0;
    /// The whole help: usage, options, exit codes (`chronoscope-cli help <command>`, `<command> --help`).
    virtual QString help() const = 0;
    /// Runs with the arguments after the command's name and returns the exit code. Prints its result
    /// on `out` (JSON with --json), messages on its error stream.
    virtual int run(const QStringList &arguments, Output &out) = 0;
};

/// The commands, in the order the help lists them, and the dispatch of a command line to one.
class CommandRegistry
{
public:
    void add(std::unique_ptr<Command> command);
    Command *find(const QString &name) const;
    QList<Command *> commands() const;

    /// The top-level help: usage, the command list, the common conventions, the exit codes.
    QString usage() const;
    /// Runs `arguments` (without the program name): `--help`, `--version`, `help [command]`, or a command.
    int dispatch(const QStringList &arguments, Output &out) const;

private:
    std::vector<std::unique_ptr<Command>> m_commands;
};

/// Adds every command of chronoscope-cli to `registry` (Commands.cpp: one line per command).
void registerCommands(CommandRegistry &registry);

} // namespace chronoscope::cli
