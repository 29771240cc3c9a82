#pragma once

#include "connection/ReadModelEndpoint.h"
#include "readmodel/ReadModelMapping.h"
#include "readmodel/ReadModelSource.h"

namespace chronoscope::readmodel {

/// What the PostgreSQL and Redis sources share: an endpoint of the connection profile, its password (from the
/// keychain, in memory only) and the mapping they read.
class EndpointSource : public ReadModelSource
{
public:
    /// "postgresql chronoscope@127.0.0.1:5432/readmodel, mapping orders" — never the password.
    QString describe() const override
    {
        return m_endpoint.describe() + QStringLiteral(", mapping ") + m_mapping.name();
    }

    /// The row; when a connection kept from an earlier call turns out to be broken (the server restarted in
    /// between), one fresh connection is tried before ServerGone is reported: a read is safe to repeat.
    RowLookup fetchRow(const QString &aggregateId) final
    {
        const bool reused = hasConnection();
        RowLookup r = fetchRowOnce(aggregateId);
        if (reused && r.error.kind == ReadModelError::Kind::ServerGone)
            r = fetchRowOnce(aggregateId);
        return r;
    }

protected:
    virtual RowLookup fetchRowOnce(const QString &aggregateId) = 0;
    virtual bool hasConnection() const = 0;

    EndpointSource(ReadModelEndpoint endpoint, QString password, ReadModelMapping mapping)
        : m_endpoint(std::move(endpoint)), m_password(std::move(password)), m_mapping(std::move(mapping))
    {}

    /// A Configuration error when the mapping is for another backend.
    ReadModelError checkBackend(ReadModelMapping::Backend backend) const
    {
        if (m_mapping.backend() == backend)
            return {};
        return ReadModelError{ReadModelError::Kind::Configuration,
                              QStringLiteral("mapping %1 is for another backend than %2")
                                  .arg(m_mapping.name(), ReadModelEndpoint::backendName(m_endpoint.backend)),
                              {}};
    }

    ReadModelEndpoint m_endpoint;
    QString m_password;
    ReadModelMapping m_mapping;
};

} // namespace chronoscope::readmodel
