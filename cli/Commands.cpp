#include "AppendCommand.h"
#include "ArchiveCommand.h"
#include "CliCommand.h"
#include "DiffCommand.h"
#include "ExportCommand.h"
#include "FoldCommand.h"
#include "VerifyReportCommand.h"

namespace chronoscope::cli {

void registerCommands(CommandRegistry &registry)
{
    // One line per command, in the order `--help` lists them. The projections
    // and read-model issues add projections and drift.
    registry.add(std::make_unique<ExportCommand>());
    registry.add(std::make_unique<FoldCommand>());
    registry.add(std::make_unique<DiffCommand>());
    registry.add(std::make_unique<VerifyReportCommand>());
    registry.add(std::make_unique<ArchiveCommand>());
    registry.add(std::make_unique<AppendCommand>());
}

} // namespace chronoscope::cli
