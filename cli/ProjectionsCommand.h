#pragma once

#include "CliCommand.h"

namespace chronoscope::cli {

/// `chronoscope-cli projections list | state NAME [--partition P] [--result]
/// | compare NAME [--source FILE]`: the server's projections (every statistics field), one projection's state or
/// result per partition, through ProjectionsClient, and ProjectionCompare headless (ProjectionsCompare.cpp).
class ProjectionsCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("projections"); }
    QString summary() const override;
    QString help() const override;
    int run(const QStringList &arguments, Output &out) override;
};

} // namespace chronoscope::cli
