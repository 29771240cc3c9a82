#include "AppendCommand.h"
#include "ArchiveCommand.h"
#include "CliCommand.h"
#include "DiffCommand.h"
#include "DriftCommand.h"
#include "ExportCommand.h"
#include "FoldCommand.h"
#include "ProjectionsCommand.h"
#include "SubscriptionsCommand.h"
#include "VerifyReportCommand.h"

namespace chronoscope::cli {

void registerCommands(CommandRegistry &registry)
{
    // One line per command, in the order `--help` lists them.
    registry.add(std::make_unique<ExportCommand>());
    registry.add(std::make_unique<FoldCommand>());
    registry.add(std::make_unique<DiffCommand>());
    registry.add(std::make_unique<VerifyReportCommand>());
    registry.add(std::make_unique<ArchiveCommand>());
    registry.add(std::make_unique<AppendCommand>());
    registry.add(std::make_unique<ProjectionsCommand>());
    registry.add(std::make_unique<DriftCommand>());
    registry.add(std::make_unique<SubscriptionsCommand>());
}

} // namespace chronoscope::cli
