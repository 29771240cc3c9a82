#include "ProjectionDock.h"

#include "DemoReducer.h"
#include "Workspace.h"
#include "client/ProjectionsClient.h"
#include "connection/ConnectionSettings.h"
#include "projections/ProjectionCompareView.h"
#include "projections/ProjectionDetailView.h"
#include "projections/ProjectionsPane.h"

#include <QToolButton>

namespace chronoscope {

ProjectionDock::ProjectionDock(Workspace *workspace, QWidget *parent)
    : QDockWidget(tr("Projections"), parent)
    , m_workspace(workspace)
    , m_pane(new views::ProjectionsPane(workspace->writeGuard(), workspace->auditLog(), this))
    , m_health(new QToolButton(this))
{
    setObjectName(QStringLiteral("projectionsDock"));
    setWidget(m_pane);
    // Local projection sources live beside the reducer files (the demo's order-totals as it should be).
    m_pane->detail()->compare()->setSourceFolder(DemoReducer::folder());
    m_health->setObjectName(QStringLiteral("projectionHealthButton"));
    m_health->setAutoRaise(true);
    m_health->setVisible(false);
    connect(m_health, &QToolButton::clicked, this, &ProjectionDock::reveal);
    connect(m_pane, &views::ProjectionsPane::healthChanged, this,
            [this](const QString &summary, const QString &details) {
                m_health->setVisible(!summary.isEmpty());
                m_health->setText(QStringLiteral("⚠ ") + summary);
                m_health->setToolTip(details + tr("\nClick to show the projections"));
            });
    connect(workspace, &Workspace::archiveOpened, this, &ProjectionDock::clear);
}

void ProjectionDock::useConnection(const ConnectionSettings &settings)
{
    auto projections = std::make_shared<const ProjectionsClient>(settings);
    if (projections->error()) {
        clear();
        return;
    }
    m_pane->setClients(std::move(projections), m_workspace->client(), m_workspace->auditOperator());
}

void ProjectionDock::clear()
{
    m_pane->setClients({}, {}, m_workspace->auditOperator());
    m_health->setVisible(false);
}

void ProjectionDock::reveal()
{
    show();
    raise();
}

} // namespace chronoscope
