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
    /// The connection in use, redacted (no credentials), and the version its server said.
    QString connectionText() const { return m_connectionText; }
    QString serverVersion() const { return m_serverVersion; }
    bool isAskingServer() const { return m_infoPending; }
    /// Asking the server, listing streams or loading the timeline.
    bool isBusy() const { return m_infoPending || m_loader.isRunning() || m_session.isLoading(); }

    /// Lists the server's streams again.
    void rescan();
    /// Stops the timeline load and the stream scan; what was read stays.
    void cancelLoading();
    /// Loads `stream` into the session (links resolved for `$ce-`/`$et-` streams), unless it is loading it already.
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

private:
    void askServer();

    // Members that run jobs come after the client so that their workers end first; the fold
    // controller and the cursor request follow the session they watch.
    std::shared_ptr<const StreamsClient> m_client;
    StreamListModel m_streams;
    StreamListLoader m_loader;
    TimelineSession m_session;
    CursorRequest m_cursorRequest{&m_session};
    FoldController m_fold{&m_session};
    JobTracker m_infoJob{this};
    bool m_infoPending = false;
    QString m_connectionText;
    QString m_serverVersion;
    WriteGuard m_writeGuard{WriteProfile::adHoc()};
    AuditLog m_auditLog;
    DraftStore m_drafts;
    AuditOperator m_operator;
};

} // namespace chronoscope
