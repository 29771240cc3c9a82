#include "ReadModelDocks.h"

#include "ConnectionController.h"
#include "MainWindow.h"
#include "StateDocks.h"
#include "Workspace.h"
#include "connection/SessionCredentialStore.h"
#include "readmodel/DriftReportView.h"
#include "readmodel/RowBesideFoldView.h"
#include "state/DiffPane.h"

#include <QDockWidget>

namespace chronoscope {

ReadModelDocks::ReadModelDocks(MainWindow *window, Workspace *workspace, DiffDock *diff)
    : QObject(window)
    , m_rowView(new views::RowBesideFoldView(workspace->fold(), &m_endpoints, window))
    , m_driftView(new views::DriftReportView(
          workspace->fold(), &m_endpoints, [workspace] { return workspace->client(); }, window))
    , m_rowDock(new QDockWidget(tr("Read Model"), window))
    , m_driftDock(new QDockWidget(tr("Drift Report"), window))
{
    m_rowView->setObjectName(QStringLiteral("rowBesideFold"));
    m_driftView->setObjectName(QStringLiteral("driftReport"));
    m_rowDock->setObjectName(QStringLiteral("readModelDock"));
    m_rowDock->setWidget(m_rowView);
    m_driftDock->setObjectName(QStringLiteral("driftDock"));
    m_driftDock->setWidget(m_driftView);

    connect(m_rowView, &views::RowBesideFoldView::diffReady, diff,
            [diff](const engine::DiffResult &d, const QString &title, const QString &before, const QString &after,
                   const QString &message) { diff->pane()->showReadModel(d, title, before, after, message); });
    connect(m_rowView, &views::RowBesideFoldView::jumpRequested, window, &MainWindow::openStreamAt);
    // A drifted aggregate opens its stream, with its row beside the fold.
    connect(m_driftView, &views::DriftReportView::openStreamRequested, window, [this, window](const QByteArray &s) {
        window->openStream(s);
        m_rowDock->show();
        m_rowDock->raise();
    });
}

void ReadModelDocks::useProfile(const QString &profileName, ConnectionController *connections)
{
    const std::optional<ConnectionProfile> profile = profileName.isEmpty()
        ? std::nullopt
        : connections->profiles().profile(profileName);
    if (!profile)
        m_endpoints.clearProfile();
    else
        m_endpoints.setProfile(profileName, profile->readModels, connections->credentials());
    m_driftView->reloadMappings();
}

} // namespace chronoscope
