#include "DemoLanding.h"

#include "Workspace.h"
#include "timeline/TimelineIndex.h"

#include <QTimer>

#include <utility>

namespace chronoscope {

DemoLanding::DemoLanding(Workspace *workspace, QObject *parent) : QObject(parent), m_workspace(workspace)
{
    connect(workspace->cursorRequest(), &CursorRequest::placed, this, &DemoLanding::onPlaced);
    connect(workspace->cursorRequest(), &CursorRequest::missing, this, [this] { m_stream.clear(); });
}

void DemoLanding::land(const DemoHistory::DoubleCharge &charge)
{
    m_stream = charge.paymentStream;
    m_revision = qint64(charge.duplicateRevision);
    Q_EMIT openRequested(m_stream, m_revision);
}

// The double-charge rule: the charge before the duplicate is the first charge when it is of the
// same type; then A is on it and B on the duplicate.
void DemoLanding::onPlaced(const QByteArray &stream, qint64 revision, quint64 duplicate)
{
    if (std::exchange(m_stream, QByteArray()) != stream || revision != m_revision)
        return; // the cursor went where someone else asked
    TimelineSession *session = m_workspace->session();
    const engine::TimelineIndex &index = session->index();
    if (duplicate == 0 || index.typeId(duplicate - 1) != index.typeId(duplicate))
        return;
    session->cursor()->setMarkerA(qint64(duplicate - 1));
    session->cursor()->setMarkerB(qint64(duplicate));
    Q_EMIT landed(tr("Demo: %1 was charged twice on day %2 (markers A and B): the incident")
                      .arg(QString::fromUtf8(stream))
                      .arg(DemoHistory::kIncidentDay));
    // Then the demo's second story, once the incident's message has had its time: a server projection
    // whose state is wrong (sandbox/demo/DemoProjections.h).
    QTimer::singleShot(kHintDelayMs, this, [this] { Q_EMIT landed(projectionHint()); });
}

QString DemoLanding::projectionHint()
{
    return tr("Demo: the server's projection order-totals is wrong for refunded orders. Projections pane (View ▸ "
              "Panes), Compare tab: Compare with local fold, pick an order, Find the event that made it wrong");
}

} // namespace chronoscope
