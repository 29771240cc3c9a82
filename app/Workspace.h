#pragma once

#include "base/JobTracker.h"
#include "catalog/StreamListLoader.h"
#include "catalog/StreamListModel.h"
#include "correct/AuditEntry.h"
#include "correct/AuditLog.h"
#include "correct/DraftStore.h"
#include "correct/WriteGuard.h"
#include "fold/FoldController.h"
#include "session/CursorRequest.h"
#include "session/TimelineSession.h"

#include <QObject>

#include <memory>

namespace chronoscope {

class StreamsClient;
struct ConnectionSettings;

namespace archive {
class ArchiveReader;
}

/// What one window works on, GUI-free: the client of the connection, the server's stream list, the
/// one loaded timeline with its cursor request, and the fold controller over it. MainWindow owns it
/// and hands its parts to the docks and actions that show them; nobody looks them up.
class Workspace : public QObject
{
    Q_OBJECT
public:
    explicit Workspace(QObject *parent = nullptr);
    ~Workspace() override;

    /// Drops what was loaded and connects with `settings`: builds the client, asks the server who it
    /// is (serverAnswered() or serverUnreachable()) and lists its streams. A client that cannot be
    /// built (bad TLS files, …) is the returned error, and the workspace stays as it was.
    ClientError connectTo(const ConnectionSettings &settings);
    std::shared_ptr<const StreamsClient> client() const { return m_client; }

    /// Opens the archive at `path` instead of a server (issue 15): in a worker, by its index (only the
    /// manifest, index and footer are checked; each events chunk is checked when it is read, so no event
    /// of a damaged chunk is shown), then the connection is dropped, the stream list holds the archive's
    /// streams, writes are off for good (WriteProfile::archive) and the archive's whole timeline loads
    /// (its intact prefix when damaged). archiveOpened() or archiveFailed() ends it; cancelLoading()
    /// stops it, leaving the workspace as it was. Meanwhile a second worker hashes every chunk and the
    /// whole file and checks the signature; archiveVerified() says when verifiedArchive() holds that.
    void openArchive(const QString &path);
    /// The archive in use instead of a server; null when connected (or nothing is open).
    std::shared_ptr<const archive::ArchiveReader> archive() const { return m_archive; }
    /// The archive in use, checked whole (damage, the file's hash, the signature); null until the
    /// check has ended (or when the first opening already checked everything: then archive()).
    std::shared_ptr<const archive::ArchiveReader> verifiedArchive() const;
    bool isOpeningArchive() const { return m_archivePending; }
    /// The connection in use, redacted (no credentials), and the version its server said.
    QString connectionText() const { return m_connectionText; }
    QString serverVersion() const { return m_serverVersion; }
    bool isAskingServer() const { return m_infoPending; }
    /// Asking the server, listing streams, loading the timeline or checking an archive whole.
    bool isBusy() const
    {
        return m_infoPending || m_archivePending || m_verifyPending || m_loader.isRunning() || m_session.isLoading();
    }

    /// Lists the server's streams again.
    void rescan();
    /// Stops the timeline load and the stream scan; what was read stays.
    void cancelLoading();
    /// Loads `stream` into the session (links resolved for `$ce-`/`$et-` and parked streams), unless it is loading it
    /// already. With an archive open: the archive's whole timeline for its own name or `$all`, else
    /// the events of `stream` in it.
    void load(const QByteArray &stream);

    StreamListModel *streams() { return &m_streams; }
    StreamListLoader *loader() { return &m_loader; }
    TimelineSession *session() { return &m_session; }
    CursorRequest *cursorRequest() { return &m_cursorRequest; }
    FoldController *fold() { return &m_fold; }
    /// Corrections (F9): the one write guard of the window (locked at every new connection), the
    /// audit log and the drafts on disk. connectTo() gives the guard an ad-hoc profile; a saved
    /// profile's flags are set by whoever connected with it (setProfile()).
    WriteGuard *writeGuard() { return &m_writeGuard; }
    const AuditLog *auditLog() const { return &m_auditLog; }
    const DraftStore *drafts() const { return &m_drafts; }
    /// Who appends: this OS user, host and the connection (redacted).
    const AuditOperator &auditOperator() const { return m_operator; }

Q_SIGNALS:
    /// A new client is in use (the stream list and timeline were cleared).
    void connected(const QString &redactedConnection);
    /// The server said who it is; `node` is the node the client talks to (empty: not known).
    void serverAnswered(const QString &node, const QString &version);
    void serverUnreachable(const chronoscope::ClientError &error);
    /// An archive replaced the connection (the stream list holds its streams; its timeline loads).
    void archiveOpened(const QString &path);
    /// The file is not a readable archive; the workspace is as it was.
    void archiveFailed(const QString &path, const QString &error);
    /// The archive in use has been checked whole: verifiedArchive() says what was found.
    void archiveVerified(const QString &path);
    /// cancelLoading() stopped opening an archive; the workspace is as it was.
    void archiveCancelled();

private:
    void askServer();
    void useArchive(std::shared_ptr<const archive::ArchiveReader> reader);
    void verifyArchive();

    // Members that run jobs come after the client so that their workers end first; the fold
    // controller and the cursor request follow the session they watch.
    std::shared_ptr<const StreamsClient> m_client;
    StreamListModel m_streams;
    StreamListLoader m_loader;
    TimelineSession m_session;
    CursorRequest m_cursorRequest{&m_session};
    FoldController m_fold{&m_session};
    std::shared_ptr<const archive::ArchiveReader> m_archive;
    std::shared_ptr<const archive::ArchiveReader> m_archiveVerified;
    JobTracker m_infoJob{this};
    JobTracker m_archiveJob{this};
    JobTracker m_verifyJob{this};
    bool m_infoPending = false;
    bool m_archivePending = false;
    bool m_verifyPending = false; ///< the whole check of an archive opened by its index
    QString m_connectionText;
    QString m_serverVersion;
    WriteGuard m_writeGuard{WriteProfile::adHoc()};
    AuditLog m_auditLog;
    DraftStore m_drafts;
    AuditOperator m_operator;
};

} // namespace chronoscope
