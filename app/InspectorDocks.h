#pragma once

#include <QDockWidget>
#include <QList>

namespace chronoscope {

class TimelineSession;

namespace views {
class EventInspector;
class EventListView;
}

/// The event list dock ("eventsDock"). Docks made by createInspectorDocks() also carry the
/// inspector's navigation requests (openStreamRequested()).
class EventsDock : public QDockWidget
{
    Q_OBJECT
public:
    EventsDock(TimelineSession *session, QWidget *parent = nullptr);
    views::EventListView *list() const { return m_list; }

Q_SIGNALS:
    /// Open `stream` and put the cursor on the event at `revision` (-1: at the end). Emitted for
    /// causation / correlation targets that are not in the loaded timeline (those in it just
    /// move the cursor).
    void openStreamRequested(const QByteArray &stream, qint64 revision);

private:
    views::EventListView *m_list;
};

/// The inspector dock ("inspectorDock"), following the session's cursor.
class InspectorDock : public QDockWidget
{
    Q_OBJECT
public:
    InspectorDock(TimelineSession *session, QWidget *parent = nullptr);
    views::EventInspector *inspector() const { return m_inspector; }

private:
    views::EventInspector *m_inspector;
};

/// Builds the event list and inspector docks over `session` (F3, F4): first the EventsDock
/// ("eventsDock"), then the InspectorDock ("inspectorDock"), both fully wired, parented to `parent`.
/// Shortcuts (Ctrl+G jump to revision, Ctrl+T jump to time) work while the event list has focus;
/// the two QActions are `EventsDock::list()->actions()`, for a menu.

QList<QDockWidget *> createInspectorDocks(TimelineSession *session, QWidget *parent);

} // namespace chronoscope
