// MainWindow's part in the demo's read models (issue 14 item 7): start them, tell what they do, hand their
// endpoints to the lag chart and their passwords to the session's credential store.
#include "ConnectionController.h"
#include "DemoReadModels.h"
#include "MainWindow.h"
#include "ReadModelDocks.h"
#include "ReadModelLagDock.h"
#include "connection/ConnectionSettings.h"
#include "connection/SessionCredentialStore.h"
#include "readmodel/DriftReportView.h"
#include "readmodel/ReadModelLagChart.h"
#include "readmodel/RowBesideFoldView.h"

namespace chronoscope {

void MainWindow::startDemoReadModels(const DemoHistory::Options &options, const QString &connection)
{
    if (m_demoReadModels)
        return;
    const ConnectionString::Result parsed = ConnectionString::parse(connection);
    if (!parsed.ok())
        return;
    m_demoReadModels = new DemoReadModels(this);
    m_lagDock->chart()->setNotice(tr("Starting the demo's read models…"));
    connect(m_demoReadModels, &DemoReadModels::progress, this, [this](const QString &step) { showStatus(step, 8000); });
    connect(m_demoReadModels, &DemoReadModels::unavailable, this, [this](const QString &what, const QString &why) {
        showError(tr("The demo's %1 read model is not available: the rest of the demo works without it").arg(what),
                  why);
    });
    connect(m_demoReadModels, &DemoReadModels::endpointReady, this,
            [this](const ReadModelEndpoint &endpoint, const QString &password) {
                // The demo profile's endpoints: their passwords for this session only, in memory.
                m_connections->credentials()->keepForSession(endpoint.credentialKey(DemoReadModels::profileName()),
                                                             password);
                // The Read Model and Drift Report docks find the demo reducer's endpoints by name, in memory.
                m_readModels->endpoints()->addInMemory(endpoint, password);
                m_readModels->driftView()->reloadMappings();
                m_readModels->rowView()->refresh();
                QHash<QString, QString> passwords;
                for (const ReadModelEndpoint &e : m_demoReadModels->endpoints())
                    passwords.insert(e.name, m_demoReadModels->password(e.name));
                m_lagDock->watch(m_workspace.client(), m_demoReducerPath, m_demoReadModels->endpoints(), passwords);
            });
    connect(m_demoReadModels, &DemoReadModels::finished, this, [this]() {
        if (m_demoReadModels->endpoints().isEmpty())
            m_lagDock->chart()->setNotice(tr("Neither of the demo's read-model servers started (see the notices)."));
        checkSettled();
    });
    DemoReadModels::Options demo;
    demo.catchUpEvents = 10; // the Redis summary's projector recovers on screen; the orders table's stays stalled
    m_demoReadModels->start(options, parsed.settings, demo);
}

} // namespace chronoscope
