#pragma once

#include "CliOutput.h"

#include <QString>

#include <optional>

namespace chronoscope {
struct ConnectionSettings;
}

namespace chronoscope::cli {

/// `projections compare NAME [--source FILE]`: ProjectionCompare headless (issue 13 item 6). Partitions that
/// are not equal as lines (NDJSON with --json), then a summary. Exit 0 all equal, 2 any partition differs or
/// is missing on a side, 1 an error.
int compareProjection(const ConnectionSettings &settings, const QString &name, const std::optional<QString> &sourceFile,
                      int concurrency, Output &out);

} // namespace chronoscope::cli
