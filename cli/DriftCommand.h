#pragma once

#include "CliCommand.h"

namespace chronoscope::cli {

/// `chronoscope-cli drift` (issue 14 item 6): the drift scan headless, for a nightly job — every aggregate of
/// a category folded and compared with its read-model row (PostgreSQL or Redis), NDJSON per drifted aggregate
/// and a summary; exit 0 no drift, 2 drift found, 1 error.
class DriftCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("drift"); }
    QString summary() const override;
    QString help() const override;
    int run(const QStringList &arguments, Output &out) override;
};

} // namespace chronoscope::cli
