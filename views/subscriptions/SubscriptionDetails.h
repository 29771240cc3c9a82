#pragma once

#include "client/ParkedMessages.h"
#include "client/PersistentOverview.h"

#include <QWidget>

class QLabel;
class QTabWidget;
class QTreeWidget;

namespace chronoscope::views {

/// A group's details in the Subscriptions pane (issue 18), in tabs: its settings and counters, the
/// clients connected to it, and its parked messages with why each was parked (double-click: the
/// original event, openEventRequested()).
class SubscriptionDetails : public QWidget
{
    Q_OBJECT
public:
    explicit SubscriptionDetails(QWidget *parent = nullptr);

    /// null: nothing selected.
    void show(const PersistentGroupStatus *status);
    /// The parked messages of the group shown (`error`: why they could not be read).
    void showParked(const QList<ParkedMessage> &parked, const ClientError &error = {});
    QTreeWidget *settingsTree() const { return m_settings; }
    QTreeWidget *clientsTree() const { return m_clients; }
    QTreeWidget *parkedTree() const { return m_parked; }
    QTabWidget *tabs() const { return m_tabs; }

Q_SIGNALS:
    void openEventRequested(const QByteArray &stream, qint64 revision);

private:
    QLabel *m_title;
    QTabWidget *m_tabs;
    QTreeWidget *m_settings;
    QTreeWidget *m_clients;
    QTreeWidget *m_parked;
};

} // namespace chronoscope::views
