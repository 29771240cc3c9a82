#pragma once

#include "CliCommand.h"

namespace chronoscope::cli {

/// `chronoscope-cli projections list | state NAME [--partition P] [--result]`: the server's projections
/// (every statistics field) and one projection's state or result per partition, through ProjectionsClient.
class ProjectionsCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("projections"); }
    QString summary() const override;
    QString help() const override;
    int run(const QStringList &arguments, Output &out) override;
};

} // namespace chronoscope::cli
