#pragma once

#include "EventExport.h"
#include "JobTracker.h"

#include <QObject>

class QAction;
class QMenu;

namespace chronoscope {

class MainWindow;

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
    ExportActions(MainWindow *window, QMenu *file);

    /// Exports the events the list shows (its type filter and search apply), in timeline order.
    void exportEvents(const QString &path, EventExport::Format format);
    /// Exports events 0 … cursor and the folded state at the cursor.
    void exportFixture(const QString &path);
    /// Writes an examination report of the loaded stream (JSON at `path`, HTML beside it).
    void exportReport(const QString &path, const QString &note = {});
    /// Reads the report's events again from the server and checks them against its digest.
    void verifyReport(const QString &path);
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    /// `error` is empty on success, "cancelled" after cancel().
    void finished(const QString &path, const QString &error);
    void verified(const QString &path, bool unchanged, const QString &message);

private:
    void askEvents();
    void askFixture();
    void askReport();
    void askVerify();
    QList<quint64> listedOrdinals() const;
    void run(const QString &what, const QString &path,
             std::function<QString(engine::PayloadCache &, const EventExport::Progress &)> write);
    void done(const QString &path, const QString &error);

    MainWindow *m_window;
    QAction *m_events;
    QAction *m_fixture;
    QAction *m_report;
    QAction *m_verify;
    views::LoadIndicator *m_indicator;
    JobTracker m_job{this};
    bool m_running = false;
};

} // namespace chronoscope
