#include "DemoServer.h"

#include "SandboxServer.h"
#include "demo/DemoProjections.h"
#include "demo/DemoSeeder.h"

namespace chronoscope {

DemoServer::DemoServer(QObject *parent)
    : QObject(parent)
    , m_server(std::make_unique<sandbox::SandboxServer>())
{
    m_sampler.setInterval(100);
    connect(&m_sampler, &QTimer::timeout, this, &DemoServer::sample);
}

DemoServer::~DemoServer() = default;

void DemoServer::start(const DemoHistory::Options &options)
{
    if (m_starting || m_port != 0)
        return; // one history per server: the store cannot be emptied
    m_starting = true;
    m_total = options.eventCount;
    Q_EMIT progress(0, m_total);
    m_sampler.start();
    sandbox::SandboxServer *server = m_server.get();
    m_jobs.start([this, server, options](const JobTracker::Job &job) {
        sandbox::seedDemoHistory(server->store(), options);
        // The system projections ($streams, $ce-, $et-, …) as a server with standard projections
        // has them, so the stream browser shows categories and event types. Started after the
        // seed: they catch up in one go and the seeding progress stays a count of demo events.
        server->store().configureProjections(true, true);
        // A user projection with a deliberate bug (demo/DemoProjections.h), for the projection comparison.
        std::string projectionError;
        if (!sandbox::createDemoProjections(server->store(), &projectionError))
            qWarning("demo: no order-totals projection: %s", projectionError.c_str());
        // Where the demo lands: regenerating the history up to the incident is quicker than asking
        // the server, and deterministic. Found before the server is announced, so that the landing
        // comes right after ready() and nothing (a screenshot, a test) sees the demo settled
        // without it.
        const std::optional<DemoHistory::DoubleCharge> charge = DemoHistory(options).firstDoubleCharge();
        QString error;
        const int port = server->start(QStringLiteral("127.0.0.1:0"), &error);
        job.post([this, port, error]() {
            m_sampler.stop();
            m_starting = false;
            m_port = port;
            if (port == 0) {
                Q_EMIT failed(tr("The demo server could not start: %1").arg(error));
                return;
            }
            sample();
            Q_EMIT ready(QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(port));
        });
        if (port != 0 && charge)
            job.post([this, c = *charge]() { Q_EMIT incidentFound(c); });
    });
}

void DemoServer::sample()
{
    // logSize() takes the store's shared lock: cheap, and safe while the seeder writes.
    Q_EMIT progress(quint64(m_server->store().logSize()), m_total);
}

} // namespace chronoscope
