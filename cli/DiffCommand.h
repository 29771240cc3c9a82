#pragma once

#include "CliCommand.h"

namespace chronoscope::cli {

/// `chronoscope-cli diff`: the structural diff (JsonDiff, as the window's diff pane) of a stream's
/// states at two points, or of two JSON files; text, unified or JSON; exit 2 when they differ.
class DiffCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("diff"); }
    QString summary() const override;
    QString help() const override;
    int run(const QStringList &arguments, Output &out) override;
};

} // namespace chronoscope::cli
