#include "SubscriptionsActions.h"

#include "Workspace.h"
#include "client/PersistentSubscriptionsClient.h"
#include "client/StreamsClient.h"
#include "connection/ConnectionSettings.h"
#include "subscriptions/SubscriptionsPane.h"

#include <QDockWidget>

namespace chronoscope {

SubscriptionsActions::SubscriptionsActions(QWidget *window, Workspace *workspace)
    : QObject(window)
    , m_workspace(workspace)
    , m_pane(new views::SubscriptionsPane(window))
    , m_dock(new QDockWidget(tr("Subscriptions"), window))
{
    m_pane->setObjectName(QStringLiteral("subscriptionsPane"));
    m_dock->setObjectName(QStringLiteral("subscriptionsDock"));
    m_dock->setWidget(m_pane);
    m_pane->setWriteAccess(workspace->writeGuard(), workspace->auditLog(), workspace->auditOperator());
}

void SubscriptionsActions::setConnection(const ConnectionSettings &settings)
{
    auto client = std::make_shared<const PersistentSubscriptionsClient>(settings);
    if (client->error() || !m_workspace->client()) {
        m_pane->setClients({}, {});
        return;
    }
    m_pane->setAuditOperator(m_workspace->auditOperator());
    m_pane->setClients(std::move(client), m_workspace->client());
}

void SubscriptionsActions::clearConnection()
{
    m_pane->setClients({}, {});
}

} // namespace chronoscope
