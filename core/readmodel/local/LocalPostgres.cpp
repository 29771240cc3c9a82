#include "readmodel/local/LocalPostgres.h"

#include "readmodel/local/ServerProcess.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <csignal>

namespace chronoscope::readmodel::local {

LocalPostgres::LocalPostgres(const QString &binDir)
    : m_binDir(binDir.isEmpty() ? defaultBinDir() : binDir)
    , m_dir(QDir::tempPath() + QStringLiteral("/chronoscope-pg-XXXXXX"))
{}

LocalPostgres::~LocalPostgres()
{
    stop();
}

QString LocalPostgres::defaultBinDir()
{
    const QByteArray env = qgetenv("CHRONOSCOPE_PG_BIN");
    return env.isEmpty() ? QStringLiteral("/usr/lib/postgresql/15/bin") : QString::fromLocal8Bit(env);
}

QString LocalPostgres::missingReason(const QString &binDir)
{
    const QString dir = binDir.isEmpty() ? defaultBinDir() : binDir;
    for (const char *name : {"initdb", "postgres", "pg_isready", "psql"}) {
        if (!QFileInfo(dir + QLatin1Char('/') + QLatin1String(name)).isExecutable())
            return QStringLiteral("PostgreSQL 15 is not installed (%1/%2 missing; Debian package postgresql)")
                .arg(dir, QLatin1String(name));
    }
    return {};
}

QString LocalPostgres::tool(const char *name) const
{
    return m_binDir + QLatin1Char('/') + QLatin1String(name);
}

bool LocalPostgres::start()
{
    if (isRunning())
        return true;
    if (const QString why = missingReason(m_binDir); !why.isEmpty())
        return fail(why);
    return m_initialised ? launch() : initialise();
}

void LocalPostgres::stop()
{
    signalAndWait(SIGINT);
}

void LocalPostgres::crash()
{
    signalAndWait(SIGQUIT);
}

void LocalPostgres::crashFromAnyThread()
{
    const qint64 pid = postmasterPid();
    if (pid <= 0)
        return;
    ::kill(static_cast<pid_t>(pid), SIGQUIT);
    // The postmaster exits once every backend is gone: wait for that, so the crash has happened on return.
    waitFor([pid] { return ::kill(static_cast<pid_t>(pid), 0) != 0; }, 10000);
}

bool LocalPostgres::psql(const QString &sql, QString *output, const QString &db) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PGPASSWORD"), m_password); // the child's environment, never a file or argv
    return runToEnd(tool("psql"),
                    {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-A"), QStringLiteral("-t"),
                     QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-h"), host(),
                     QStringLiteral("-p"), QString::number(m_port), QStringLiteral("-U"), user(), QStringLiteral("-d"),
                     db.isEmpty() ? database() : db, QStringLiteral("-f"), QStringLiteral("-")},
                    output, nullptr, 60000, env, sql.toUtf8());
}

bool LocalPostgres::launch()
{
    if (m_port == 0) // a restart keeps its port, as a real server does
        m_port = freeLoopbackPort();
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    prepareAs(m_process, "postgres", tool("postgres"),
              {QStringLiteral("-D"), dataDir(), QStringLiteral("-p"), QString::number(m_port), QStringLiteral("-k"),
               m_dir.path(), QStringLiteral("-c"), QStringLiteral("listen_addresses=127.0.0.1"), QStringLiteral("-c"),
               QStringLiteral("fsync=off"), QStringLiteral("-c"), QStringLiteral("full_page_writes=off"),
               QStringLiteral("-c"), QStringLiteral("synchronous_commit=off"), QStringLiteral("-c"),
               QStringLiteral("shared_buffers=16MB"), QStringLiteral("-c"), QStringLiteral("max_connections=30")});
    m_process.start();
    if (!m_process.waitForStarted(10000))
        return fail(QStringLiteral("cannot start postgres: ") + m_process.errorString());
    const bool ready = waitFor(
        [this] {
            return m_process.state() == QProcess::NotRunning
                || runToEnd(tool("pg_isready"),
                            {QStringLiteral("-q"), QStringLiteral("-h"), host(), QStringLiteral("-p"),
                             QString::number(m_port)},
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

bool LocalPostgres::fail(const QString &why)
{
    m_error = why;
    return false;
}

bool LocalPostgres::initialise()
{
    if (!m_dir.isValid())
        return fail(QStringLiteral("no temporary folder"));
    if (!chownTo(m_dir.path(), "postgres"))
        return fail(QStringLiteral("running as root, but there is no `postgres` user to run PostgreSQL as"));
    m_password = randomPassword();
    const QString pwfile = m_dir.path() + QStringLiteral("/pwfile");
    {
        QFile f(pwfile);
        if (!f.open(QIODevice::WriteOnly) || f.write(m_password.toUtf8() + '\n') < 0)
            return fail(QStringLiteral("cannot write the initdb password file"));
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
    chownTo(pwfile, "postgres");
    QString out;
    const bool ok = runToEnd(tool("initdb"),
                             {QStringLiteral("-D"), dataDir(), QStringLiteral("-U"), user(), QStringLiteral("--pwfile"),
                              pwfile, QStringLiteral("--auth=scram-sha-256"), QStringLiteral("-E"),
                              QStringLiteral("UTF8"), QStringLiteral("--locale=C"), QStringLiteral("--no-sync")},
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

qint64 LocalPostgres::postmasterPid() const
{
    QFile f(dataDir() + QStringLiteral("/postmaster.pid"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    return f.readLine().trimmed().toLongLong();
}

void LocalPostgres::signalAndWait(int sig)
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

} // namespace chronoscope::readmodel::local
