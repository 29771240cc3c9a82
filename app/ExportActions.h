#pragma once

#include "archive/EventExport.h"
#include "base/JobTracker.h"

#include <QObject>

class QAction;
class QMenu;

namespace chronoscope {

class CredentialStore;
class EventsDock;
class MainWindow;
class ReportSigningKey;
class Workspace;

namespace views {
class LoadIndicator;
}

/// File ▸ Export Events… (what the event list shows, as JSON Lines or CSV) and File ▸ Export Slice as
/// Test Fixture… (the events up to the cursor and the state the reducer folds them to). Exports run
/// in a worker with progress and Cancel in the status bar; the result is said once in the window.
class ExportActions : public QObject
{
    Q_OBJECT
public:
    /// Exports what `workspace` holds (the events `events` lists); the signing key is kept in
    /// `credentials` (not owned). Adds its actions to `file`; says how things went in `window`.
    ExportActions(MainWindow *window, Workspace *workspace, EventsDock *events, CredentialStore *credentials,
                  QMenu *file);

    /// Exports the events the list shows (its type filter and search apply), in timeline order.
    void exportEvents(const QString &path, EventExport::Format format);
    /// Exports events 0 … cursor and the folded state at the cursor.
    void exportFixture(const QString &path);
    /// Writes an examination report of the loaded stream (JSON at `path`, HTML beside it), signed
    /// with the user's signing key when there is one.
    void exportReport(const QString &path, const QString &note = {});
    /// Checks the report's signature (offline; against the PEM public key at `keyPemPath` when
    /// given), then, when connected, reads its events again and checks them against its digest.
    void verifyReport(const QString &path, const QString &keyPemPath = {});
    ReportSigningKey *signingKey() const { return m_signingKey; }
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    /// `error` is empty on success, "cancelled" after cancel().
    void finished(const QString &path, const QString &error);
    /// The end of a verification: `unchanged` only when the events were read again and match.
    void verified(const QString &path, bool unchanged, const QString &message);
    /// The signature part, before any read: `status` is a ReportSignature::Status.
    void signatureChecked(const QString &path, int status, const QString &message);

private:
    void askEvents();
    void askFixture();
    void askReport();
    void askVerify(bool withKey);
    void verificationFailed(const QString &path, const QString &title, const QString &problem);
    QList<quint64> listedOrdinals() const;
    void run(const QString &what, const QString &path,
             std::function<QString(engine::PayloadCache &, const EventExport::Progress &)> write);
    void done(const QString &path, const QString &error);

    MainWindow *m_window;
    Workspace *m_workspace;
    EventsDock *m_eventsDock;
    QAction *m_events;
    QAction *m_fixture;
    QAction *m_report;
    QAction *m_verify;
    QAction *m_verifyWithKey;
    ReportSigningKey *m_signingKey;
    QString m_doneNote; ///< said after "Exported to …" (a report's signature)
    views::LoadIndicator *m_indicator;
    JobTracker m_job{this};
    bool m_running = false;
    bool m_verifying = false; ///< the running job reads a report's events again
};

} // namespace chronoscope
