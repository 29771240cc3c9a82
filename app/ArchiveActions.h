#pragma once

#include "base/JobTracker.h"

#include <QObject>

class QAction;
class QMenu;
class QToolBar;

namespace chronoscope {

class MainWindow;
class ReportSigningKey;
class Workspace;

namespace views {
class ArchiveBanner;
class LoadIndicator;
} // namespace views

/// Archives in the window (issue 15): File ▸ Open Archive… (also a dropped file, and `chronoscope
/// ARCHIVE`) opens one offline as the workspace's source, with a banner and the window title saying
/// so; File ▸ Export Archive… writes the loaded timeline into one, signed with the report signing key
/// when there is one. Opening checks every hash in a worker and writing runs in one too, each with
/// progress and Cancel in the status bar; an export is whole or not at all (ArchiveWriter).
class ArchiveActions : public QObject
{
    Q_OBJECT
public:
    /// Adds File ▸ Open Archive… to `file`, the banner above the docks of `window`, and accepts
    /// archives dropped on it.
    ArchiveActions(MainWindow *window, Workspace *workspace, QMenu *file);

    /// Adds File ▸ Export Archive… to `file`; it signs with `key` (not owned) when a key was made.
    void addExport(QMenu *file, ReportSigningKey *key);

    /// Opens `path` instead of the server (the workspace does; this shows it).
    void openArchive(const QString &path);
    /// Writes the events 0 … the loaded count of the timeline to `path`.
    void exportArchive(const QString &path);
    void cancelExport();
    bool isExporting() const { return m_exporting; }

    views::ArchiveBanner *banner() const { return m_banner; }
    QAction *openAction() const { return m_open; }
    QAction *exportAction() const { return m_export; }

Q_SIGNALS:
    /// An export ended: `error` is empty when written, "cancelled" after cancelExport().
    void exported(const QString &path, const QString &error);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void askOpen();
    void askExport();
    void onOpened();
    void onConnected();
    void runExport(const QString &path, const QByteArray &privateKey, const QString &signingNote);
    void exportDone(const QString &path, const QString &error, const QString &note);

    MainWindow *m_window;
    Workspace *m_workspace;
    views::ArchiveBanner *m_banner;
    QToolBar *m_bar = nullptr;
    QAction *m_open;
    QAction *m_export = nullptr;
    ReportSigningKey *m_signingKey = nullptr;
    views::LoadIndicator *m_openIndicator;
    views::LoadIndicator *m_exportIndicator;
    JobTracker m_job{this};
    bool m_exporting = false;
    quint64 m_exportId = 0; ///< the export asked for last (a cancelled one's key fetch is ignored)
};

} // namespace chronoscope
