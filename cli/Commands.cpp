#include "AppendCommand.h"
#include "CliCommand.h"

namespace chronoscope::cli {

void registerCommands(CommandRegistry &registry)
{
    // One line per command, in the order `--help` lists them. Issue 15 adds read, export, fold, diff,
    // verify-report and archive here; the projections and read-model issues add projections and drift.
    registry.add(std::make_unique<AppendCommand>());
}

} // namespace chronoscope::cli
