#pragma once

#include "SandboxServer.h"
#include "connection/ConnectionSettings.h"
#include "demo/DemoSeeder.h"

#include <QString>

/// A sandbox server on a free loopback port, seeded with a small demo history, for tests.
class DemoSandbox
{
public:
    /// Seeds `events` demo events and starts listening; returns false (with `error()`) on failure.
    bool start(quint64 events)
    {
        chronoscope::DemoHistory::Options options;
        options.eventCount = events;
        m_seeded = chronoscope::sandbox::seedDemoHistory(m_server.store(), options);
        return m_server.start(QStringLiteral("127.0.0.1:0"), &m_error) != 0;
    }

    chronoscope::sandbox::SandboxServer &server() { return m_server; }
    quint64 seeded() const { return m_seeded; }
    QString error() const { return m_error; }
    QString connectionString() const
    {
        return QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(m_server.port());
    }
    chronoscope::ConnectionSettings settings() const
    {
        return chronoscope::ConnectionString::parse(connectionString()).settings;
    }

private:
    chronoscope::sandbox::SandboxServer m_server;
    quint64 m_seeded = 0;
    QString m_error;
};
