#pragma once

#include "demo/DemoHistory.h"

#include <QObject>

namespace chronoscope {

class Workspace;

/// Where `--demo` lands: the incident. Given the double charge the demo server found, it asks for
/// that payment with the cursor on the duplicate charge; once the cursor is there, it puts marker A
/// on the first charge and B on its duplicate, so that A vs B shows the incident.
class DemoLanding : public QObject
{
    Q_OBJECT
public:
    explicit DemoLanding(Workspace *workspace, QObject *parent = nullptr);

    /// Asks (openRequested()) for the duplicate charge of `charge`.
    void land(const DemoHistory::DoubleCharge &charge);
    /// Where the demo's projection comparison finds something (the order-totals projection, issue 13):
    /// landed() says it kHintDelayMs after the incident's message.
    static QString projectionHint();
    static constexpr int kHintDelayMs = 30000;

Q_SIGNALS:
    /// Open `stream` with the cursor on `revision` (the window selects it in the browser).
    void openRequested(const QByteArray &stream, qint64 revision);
    /// The markers are on the two charges; `message` says so, for the status bar.
    void landed(const QString &message);

private:
    void onPlaced(const QByteArray &stream, qint64 revision, quint64 ordinal);

    Workspace *m_workspace;
    QByteArray m_stream; ///< the landing asked for, until the cursor gets there (or elsewhere)
    qint64 m_revision = -1;
};

} // namespace chronoscope
