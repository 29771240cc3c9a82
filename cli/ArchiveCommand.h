#pragma once

#include "CliCommand.h"

namespace chronoscope::cli {

/// `chronoscope-cli archive create | verify | info`: offline archives (docs/ARCHIVE-FORMAT.md) written
/// from a server's stream or `$all` (ArchiveWriter), checked (ArchiveReader: every chunk's hash, the
/// whole file's, the signature) and described.
class CommandLine;

class ArchiveCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("archive"); }
    QString summary() const override;
    QString help() const override;
    int run(const QStringList &arguments, Output &out) override;

private:
    int create(const CommandLine &line, Output &out);
    int verify(const CommandLine &line, const QString &path, Output &out);
    int info(const CommandLine &line, const QString &path, Output &out);
};

} // namespace chronoscope::cli
