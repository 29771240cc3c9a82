#pragma once

#include "base/JobTracker.h"
#include "demo/DemoHistory.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace chronoscope::sandbox {
class SandboxServer;
}

namespace chronoscope {

/// `--demo`: the sandbox server in-process, seeded with the demo history in a worker and then
/// listening on a free loopback port. Seeding progress is sampled from the store by a timer, so the
/// GUI thread never waits for the seeder.
class DemoServer : public QObject
{
    Q_OBJECT
public:
    explicit DemoServer(QObject *parent = nullptr);
    /// Waits for a seeding still running (the seeder cannot be interrupted).
    ~DemoServer() override;

    void start(const DemoHistory::Options &options);
    bool isStarting() const { return m_starting; }
    int port() const { return m_port; }

Q_SIGNALS:
    void progress(quint64 seeded, quint64 total);
    /// Listening: connect with `connectionString`.
    void ready(const QString &connectionString);
    void failed(const QString &message);
    /// After ready(): a payment the incident charged twice (none in a history too small to have one).
    void incidentFound(const chronoscope::DemoHistory::DoubleCharge &charge);

private:
    void sample();

    // Declared before m_jobs so that the worker is gone before the server is destroyed.
    std::unique_ptr<sandbox::SandboxServer> m_server;
    JobTracker m_jobs{this};
    QTimer m_sampler;
    quint64 m_total = 0;
    int m_port = 0;
    bool m_starting = false;
};

} // namespace chronoscope
