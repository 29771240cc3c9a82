#pragma once

#include "readmodel/EndpointSource.h"

#include <memory>

namespace chronoscope::readmodel {

/// A Redis read model through hiredis (target chronoscope_readmodel_redis; hiredis stays private). One key
/// per aggregate (the mapping's key pattern), a hash (HGETALL) or a JSON string (GET). The scan walks the
/// keys with SCAN … MATCH (never KEYS, which blocks the server) and reads each page's values in one pipeline;
/// SCAN may name a key twice, so keys are deduplicated.
class RedisSource : public EndpointSource
{
public:
    /// `password` comes from the keychain (CredentialStore) and is kept in memory only.
    RedisSource(ReadModelEndpoint endpoint, QString password, ReadModelMapping mapping);
    ~RedisSource() override;

    ReadModelError connect() override;
    ReadModelError scan(int batchSize, const CancellationPtr &cancel, const BatchSink &sink) override;
    CheckpointLookup readCheckpoint() override;

private:
    RowLookup fetchRowOnce(const QString &aggregateId) override;
    bool hasConnection() const override;

    struct Session;
    std::unique_ptr<Session> m_session;
};

} // namespace chronoscope::readmodel
