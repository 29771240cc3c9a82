#pragma once

#include "connection/ReadModelEndpoint.h"
#include "readmodel/ReadModelMapping.h"
#include "readmodel/postgres/PostgresSource.h"
#include "readmodel/redis/RedisSource.h"

#include <memory>

namespace chronoscope::readmodel {

/// The source for an endpoint of either backend (target chronoscope_readmodel_sources, which links both): what
/// the CLI's `drift` and the window use. The password is the keychain's, handed in memory.
inline std::unique_ptr<ReadModelSource> openSource(const ReadModelEndpoint &endpoint, const QString &password,
                                                   const ReadModelMapping &mapping)
{
    if (endpoint.backend == ReadModelEndpoint::Backend::Redis)
        return std::make_unique<RedisSource>(endpoint, password, mapping);
    return std::make_unique<PostgresSource>(endpoint, password, mapping);
}

} // namespace chronoscope::readmodel
