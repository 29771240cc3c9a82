#pragma once

#include "connection/ReadModelEndpoint.h"
#include "readmodel/ReadModelMapping.h"

#include <QString>

#include <optional>

namespace chronoscope::cli {

class CommandLine;

/// Where `drift` reads the read model: the mapping's endpoint from the saved profile, or one given by
/// `--postgres <url>` / `--redis <host:port>`; with its password from CHRONOSCOPE_READMODEL_PASSWORD or the
/// keychain (under ReadModelEndpoint::credentialKey), never from the command line.
struct DriftEndpoint
{
    ReadModelEndpoint endpoint;
    QString password; ///< in memory only; never printed

    static constexpr const char *kPasswordVariable = "CHRONOSCOPE_READMODEL_PASSWORD";

    /// None with `error` set: no endpoint named by the mapping in the profile, a URL that does not parse or
    /// holds a password, a backend that is not the mapping's.
    static std::optional<DriftEndpoint> resolve(const CommandLine &line, const readmodel::ReadModelMapping &mapping,
                                                QString *error);
};

} // namespace chronoscope::cli
