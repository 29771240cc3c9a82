#pragma once

#include "CliCommand.h"

namespace chronoscope::cli {

/// `chronoscope-cli export`: a stream's or `$all`'s events, a range and a type filter, as JSON Lines
/// (lossless) or CSV, line for line what the window's Export Events writes (EventExport).
class ExportCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("export"); }
    QString summary() const override;
    QString help() const override;
    int run(const QStringList &arguments, Output &out) override;
};

} // namespace chronoscope::cli
