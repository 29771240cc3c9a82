#pragma once

#include "readmodel/EndpointSource.h"

#include <memory>

namespace chronoscope::readmodel {

/// A PostgreSQL read model through libpqxx (target chronoscope_readmodel_postgres; libpqxx stays private).
/// The session is read-only (default_transaction_read_only), speaks ISO dates in UTC and C money, and has
/// the endpoint's statement_timeout. The row query runs with $1 = the aggregate id; the scan query runs
/// through a server-side cursor (DECLARE … NO SCROLL CURSOR, FETCH n), so memory holds one batch at a time.
class PostgresSource : public EndpointSource
{
public:
    /// `password` comes from the keychain (CredentialStore) and is kept in memory only.
    PostgresSource(ReadModelEndpoint endpoint, QString password, ReadModelMapping mapping);
    ~PostgresSource() override;

    ReadModelError connect() override;
    ReadModelError scan(int batchSize, const CancellationPtr &cancel, const BatchSink &sink) override;
    ReadModelError scanBlocks(int batchSize, const CancellationPtr &cancel, const BlockSink &sink) override;
    CheckpointLookup readCheckpoint() override;

private:
    RowLookup fetchRowOnce(const QString &aggregateId) override;
    bool hasConnection() const override;

    struct Session;
    std::unique_ptr<Session> m_session;
};

} // namespace chronoscope::readmodel
