#include "InspectorDocks.h"

#include "events/EventListView.h"
#include "inspector/EventInspector.h"

namespace chronoscope {

EventsDock::EventsDock(TimelineSession *session, QWidget *parent)
    : QDockWidget(tr("Events"), parent), m_list(new views::EventListView(session, this))
{
    setObjectName(QStringLiteral("eventsDock"));
    setWidget(m_list);
}

InspectorDock::InspectorDock(TimelineSession *session, QWidget *parent)
    : QDockWidget(tr("Inspector"), parent), m_inspector(new views::EventInspector(session, this))
{
    setObjectName(QStringLiteral("inspectorDock"));
    setWidget(m_inspector);
}

QList<QDockWidget *> createInspectorDocks(TimelineSession *session, QWidget *parent)
{
    auto *events = new EventsDock(session, parent);
    auto *inspector = new InspectorDock(session, parent);
    QObject::connect(inspector->inspector(), &views::EventInspector::openStreamRequested, events,
                     &EventsDock::openStreamRequested);
    return {events, inspector};
}

} // namespace chronoscope
