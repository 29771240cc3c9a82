#pragma once

#include "CliCommand.h"

namespace chronoscope::cli {

/// `chronoscope-cli append`: one corrective event through the window's write path (issue 12 item 9):
/// the same WriteGuard, CorrectionTarget, Corrector and AuditLog as the composer.
class AppendCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("append"); }
    QString summary() const override;
    QString help() const override;
    int run(const QStringList &arguments, Output &out) override;
};

} // namespace chronoscope::cli
