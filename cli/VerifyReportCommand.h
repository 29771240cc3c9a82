#pragma once

#include "CliCommand.h"

namespace chronoscope::cli {

/// `chronoscope-cli verify-report`: an examination report's signature, offline, and — with a
/// connection — its events read again and checked against its digest (ReportVerifier, as the
/// window's Verify Report…).
class VerifyReportCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("verify-report"); }
    QString summary() const override;
    QString help() const override;
    int run(const QStringList &arguments, Output &out) override;
};

} // namespace chronoscope::cli
