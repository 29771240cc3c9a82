#pragma once

#include "readmodel/local/LocalPostgres.h"
#include "support/ServerProcess.h"

/// A real PostgreSQL for tests: core's LocalPostgres (the demo's read models start the same), run as the
/// `postgres` user when the test runs as root. CHRONOSCOPE_PG_BIN points at another PostgreSQL.
class PostgresServer : public chronoscope::readmodel::local::LocalPostgres
{
public:
    static QString binDir() { return defaultBinDir(); }
    static QString missingReason() { return LocalPostgres::missingReason(); }
};
