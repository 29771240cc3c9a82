#pragma once

#include "support/ServerProcess.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>

#include <csignal>

/// A real PostgreSQL for tests: a fresh cluster (initdb) in a temporary folder, served on a free loopback
/// port with its unix socket in the same folder, password authentication (scram-sha-256) for the user
/// `chronoscope`, and a database `readmodel`. PostgreSQL refuses to run as root: when the test runs as root
/// (CI), initdb and postgres run as the `postgres` user (the Debian package creates it) and the folder is
/// given to that user. Everything is removed when the object dies.
class PostgresServer
{
public:
    static QString binDir()
    {
        const QByteArray env = qgetenv("CHRONOSCOPE_PG_BIN");
        return env.isEmpty() ? QStringLiteral("/usr/lib/postgresql/15/bin") : QString::fromLocal8Bit(env);
    }
    /// Why a server cannot be started here (empty when it can): for a clear QSKIP.
    static QString missingReason()
    {
        for (const char *tool : {"initdb", "postgres", "pg_isready", "psql"}) {
            if (!QFileInfo(binDir() + QLatin1Char('/') + QLatin1String(tool)).isExecutable())
                return QStringLiteral("PostgreSQL 15 is not installed (%1/%2 missing; Debian package postgresql)")
                    .arg(binDir(), QLatin1String(tool));
        }
        return {};
    }

    ~PostgresServer() { stop(); }

    QString host() const { return QStringLiteral("127.0.0.1"); }
    quint16 port() const { return m_port; }
    QString user() const { return QStringLiteral("chronoscope"); }
    QString password() const { return m_password; }
    QString database() const { return QStringLiteral("readmodel"); }
    QString error() const { return m_error; }
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }

    /// initdb (once) and start. Returns false with error() set.
    bool start()
    {
        if (isRunning())
            return true;
        return m_initialised ? launch() : initialise();
    }

    /// Fast shutdown (SIGINT = "fast": clients are disconnected, the cluster is kept for a restart).
    void stop() { signalAndWait(SIGINT); }
    /// An immediate shutdown (SIGQUIT): the postmaster and every backend die at once, as in a crash.
    void crash() { signalAndWait(SIGQUIT); }
    /// The same signal, callable from any thread: it waits for the postmaster to be gone but leaves QProcess to
    /// the owning thread, which reaps it in stop() or the destructor.
    void crashFromAnyThread()
    {
        const qint64 pid = postmasterPid();
        if (pid <= 0)
            return;
        ::kill(static_cast<pid_t>(pid), SIGQUIT);
        // The postmaster exits once every backend is gone: wait for that, so the crash has happened on return.
        serverprocess::waitFor([pid] { return ::kill(static_cast<pid_t>(pid), 0) != 0; }, 10000);
    }

    /// Runs SQL through psql (ON_ERROR_STOP); the output (unaligned, tuples only) goes to `output`.
    bool psql(const QString &sql, QString *output = nullptr, const QString &db = {}) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PGPASSWORD"), m_password); // the child's environment, never a file
        return serverprocess::runToEnd(binDir() + QStringLiteral("/psql"),
                                       {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-A"),
                                        QStringLiteral("-t"), QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"),
                                        QStringLiteral("-h"), host(), QStringLiteral("-p"), QString::number(m_port),
                                        QStringLiteral("-U"), user(), QStringLiteral("-d"),
                                        db.isEmpty() ? database() : db, QStringLiteral("-f"), QStringLiteral("-")},
                                       output, nullptr, 60000, env, sql.toUtf8());
    }

private:
    bool launch()
    {
        if (m_port == 0) // a restart keeps its port, as a real server does
            m_port = serverprocess::freeLoopbackPort();
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        serverprocess::prepareAs(
            m_process, "postgres", binDir() + QStringLiteral("/postgres"),
            {QStringLiteral("-D"), dataDir(), QStringLiteral("-p"), QString::number(m_port), QStringLiteral("-k"),
             m_dir.path(), QStringLiteral("-c"), QStringLiteral("listen_addresses=127.0.0.1"), QStringLiteral("-c"),
             QStringLiteral("fsync=off"), QStringLiteral("-c"), QStringLiteral("full_page_writes=off"),
             QStringLiteral("-c"), QStringLiteral("synchronous_commit=off"), QStringLiteral("-c"),
             QStringLiteral("shared_buffers=16MB"), QStringLiteral("-c"), QStringLiteral("max_connections=30")});
        m_process.start();
        if (!m_process.waitForStarted(10000))
            return fail(QStringLiteral("cannot start postgres: ") + m_process.errorString());
        const bool ready = serverprocess::waitFor(
            [this] {
                return m_process.state() == QProcess::NotRunning
                    || serverprocess::runToEnd(binDir() + QStringLiteral("/pg_isready"),
                                               {QStringLiteral("-q"), QStringLiteral("-h"), host(),
                                                QStringLiteral("-p"), QString::number(m_port)},
                                               nullptr, nullptr, 5000);
            },
            20000);
        if (!ready || m_process.state() == QProcess::NotRunning) {
            m_process.waitForReadyRead(200);
            const QString log = QString::fromUtf8(m_process.readAll());
            stop();
            return fail(QStringLiteral("postgres did not come up on port %1: %2").arg(m_port).arg(log.right(800)));
        }
        return true;
    }

    QString dataDir() const { return m_dir.path() + QStringLiteral("/data"); }

    bool fail(const QString &why)
    {
        m_error = why;
        return false;
    }

    bool initialise()
    {
        if (!m_dir.isValid())
            return fail(QStringLiteral("no temporary folder"));
        if (!serverprocess::chownTo(m_dir.path(), "postgres"))
            return fail(QStringLiteral("running as root, but there is no `postgres` user to run PostgreSQL as"));
        m_password = serverprocess::randomPassword();
        const QString pwfile = m_dir.path() + QStringLiteral("/pwfile");
        {
            QFile f(pwfile);
            if (!f.open(QIODevice::WriteOnly) || f.write(m_password.toUtf8() + '\n') < 0)
                return fail(QStringLiteral("cannot write the initdb password file"));
            f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        }
        serverprocess::chownTo(pwfile, "postgres");
        QString out;
        const bool ok = serverprocess::runToEnd(
            binDir() + QStringLiteral("/initdb"),
            {QStringLiteral("-D"), dataDir(), QStringLiteral("-U"), user(), QStringLiteral("--pwfile"), pwfile,
             QStringLiteral("--auth=scram-sha-256"), QStringLiteral("-E"), QStringLiteral("UTF8"),
             QStringLiteral("--locale=C"), QStringLiteral("--no-sync")},
            &out, "postgres");
        QFile::remove(pwfile); // the password lives on in memory only
        if (!ok)
            return fail(QStringLiteral("initdb failed: ") + out.right(800));
        m_initialised = true;
        if (!launch())
            return false;
        QString created;
        if (!psql(QStringLiteral("CREATE DATABASE readmodel;"), &created, QStringLiteral("postgres")))
            return fail(QStringLiteral("cannot create the database: ") + created);
        return true;
    }

    qint64 postmasterPid() const
    {
        QFile f(dataDir() + QStringLiteral("/postmaster.pid"));
        if (!f.open(QIODevice::ReadOnly))
            return 0;
        return f.readLine().trimmed().toLongLong();
    }

    void signalAndWait(int sig)
    {
        if (!isRunning())
            return;
        const qint64 pid = postmasterPid();
        if (pid > 0)
            ::kill(static_cast<pid_t>(pid), sig);
        else
            m_process.terminate();
        if (!m_process.waitForFinished(15000)) {
            if (pid > 0)
                ::kill(static_cast<pid_t>(pid), SIGKILL);
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    QTemporaryDir m_dir{QDir::tempPath() + QStringLiteral("/chronoscope-pg-XXXXXX")};
    QProcess m_process;
    quint16 m_port = 0;
    QString m_password;
    QString m_error;
    bool m_initialised = false;
};
