#pragma once

#include <QObject>

#include <memory>

class QDockWidget;

namespace chronoscope {

class Workspace;
struct ConnectionSettings;

namespace views {
class SubscriptionsPane;
}

/// The Subscriptions pane in the window (issue 18): its dock ("subscriptionsDock"), a
/// PersistentSubscriptionsClient for each connection, and the workspace's write guard, audit log
/// and operator for its writes. Whoever builds it connects the pane's requests (open a stream,
/// unlock writes) to the window.
class SubscriptionsActions : public QObject
{
    Q_OBJECT
public:
    SubscriptionsActions(QWidget *window, Workspace *workspace);

    QDockWidget *dock() const { return m_dock; }
    views::SubscriptionsPane *pane() const { return m_pane; }

    /// A new connection (the workspace's client is already the new one): the pane lists its groups.
    void setConnection(const ConnectionSettings &settings);
    /// No server (an archive): the pane is empty.
    void clearConnection();

private:
    Workspace *m_workspace;
    views::SubscriptionsPane *m_pane;
    QDockWidget *m_dock;
};

} // namespace chronoscope
