#pragma once

#include "readmodel/EndpointDirectory.h"

#include <QObject>

class QDockWidget;

namespace chronoscope {

class ConnectionController;
class DiffDock;
class MainWindow;
class Workspace;

namespace views {
class DriftReportView;
class RowBesideFoldView;
} // namespace views

/// Read models in the window (issue 14 items 3 and 4): the "Read Model" dock (the row beside the fold) and the
/// "Drift Report" dock, over the workspace's fold controller and client, and the read-model endpoints they
/// look up (the connected profile's, with passwords from the keychain, plus any given in memory, e.g. by the
/// demo). Wires them to the window: the row's diffs go to the diff pane, "since" and a drifted aggregate open
/// the stream.
class ReadModelDocks : public QObject
{
    Q_OBJECT
public:
    ReadModelDocks(MainWindow *window, Workspace *workspace, DiffDock *diff);

    QDockWidget *rowDock() const { return m_rowDock; }
    QDockWidget *driftDock() const { return m_driftDock; }
    views::RowBesideFoldView *rowView() const { return m_rowView; }
    views::DriftReportView *driftView() const { return m_driftView; }
    readmodel::EndpointDirectory *endpoints() { return &m_endpoints; }

    /// The connected profile's endpoints (its passwords through the controller's credential store); an empty
    /// name (an ad-hoc connection) leaves only the in-memory endpoints.
    void useProfile(const QString &profileName, ConnectionController *connections);

private:
    readmodel::EndpointDirectory m_endpoints;
    views::RowBesideFoldView *m_rowView;
    views::DriftReportView *m_driftView;
    QDockWidget *m_rowDock;
    QDockWidget *m_driftDock;
};

} // namespace chronoscope
