#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace chronoscope::readmodel::local {

/// A private PostgreSQL (Debian's package `postgresql`): a fresh cluster (initdb) in a temporary folder, served on
/// a free loopback port with its unix socket in the same folder, password authentication (scram-sha-256) for the
/// user `chronoscope`, and a database `readmodel`. PostgreSQL refuses to run as root: when we are root (CI, a
/// container), initdb and postgres run as the `postgres` user the package creates, and the folder is given to it.
/// Everything is stopped and removed when the object dies. The demo's read models and the tests use it.
///
/// Blocking, and bound to the thread that created it (its QProcess): create, start and destroy it on one worker
/// thread, never the GUI thread. The server gets SIGTERM if that thread ends without stopping it.
class LocalPostgres
{
public:
    /// `binDir`: where initdb, postgres, pg_isready and psql are; empty = defaultBinDir().
    explicit LocalPostgres(const QString &binDir = {});
    ~LocalPostgres();
    LocalPostgres(const LocalPostgres &) = delete;
    LocalPostgres &operator=(const LocalPostgres &) = delete;

    /// $CHRONOSCOPE_PG_BIN, else /usr/lib/postgresql/15/bin (Debian 12).
    static QString defaultBinDir();
    /// Why a server cannot be started from `binDir` (empty when it can), naming the missing program and package.
    static QString missingReason(const QString &binDir = {});

    QString host() const { return QStringLiteral("127.0.0.1"); }
    quint16 port() const { return m_port; }
    QString user() const { return QStringLiteral("chronoscope"); }
    QString password() const { return m_password; }
    QString database() const { return QStringLiteral("readmodel"); }
    QString error() const { return m_error; }
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    /// The postmaster's process id (0 when not running).
    qint64 postmasterPid() const;

    /// initdb (once) and start. Returns false with error() set.
    bool start();
    /// Fast shutdown (SIGINT = "fast": clients are disconnected, the cluster is kept for a restart).
    void stop();
    /// An immediate shutdown (SIGQUIT): the postmaster and every backend die at once, as in a crash.
    void crash();
    /// The same signal, callable from any thread: it waits for the postmaster to be gone but leaves QProcess to
    /// the owning thread, which reaps it in stop() or the destructor.
    void crashFromAnyThread();

    /// Runs SQL through psql (ON_ERROR_STOP); the output (unaligned, tuples only) goes to `output`.
    bool psql(const QString &sql, QString *output = nullptr, const QString &db = {}) const;

private:
    bool launch();
    bool initialise();
    bool fail(const QString &why);
    void signalAndWait(int sig);
    QString dataDir() const { return m_dir.path() + QStringLiteral("/data"); }
    QString tool(const char *name) const;

    QString m_binDir;
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_password;
    QString m_error;
    bool m_initialised = false;
};

} // namespace chronoscope::readmodel::local
