#pragma once

#include <QDockWidget>

class QToolButton;

namespace chronoscope {

class Workspace;
struct ConnectionSettings;

namespace views {
class ProjectionsPane;
}

/// The Projections dock ("projectionsDock", issue 13): the pane over the connection's server, and the status
/// bar's health button (hidden while every projection is healthy; a click shows the dock). The window
/// hands in each connection (useConnection()); the guard, audit log and operator are the workspace's.
class ProjectionDock : public QDockWidget
{
    Q_OBJECT
public:
    ProjectionDock(Workspace *workspace, QWidget *parent = nullptr);

    views::ProjectionsPane *pane() const { return m_pane; }
    /// For the status bar.
    QToolButton *healthButton() const { return m_health; }

    /// A new connection: the pane watches its server (a client that cannot be built leaves it empty).
    void useConnection(const ConnectionSettings &settings);
    /// No server (an archive is open).
    void clear();
    void reveal();

private:
    Workspace *m_workspace;
    views::ProjectionsPane *m_pane;
    QToolButton *m_health;
};

} // namespace chronoscope
