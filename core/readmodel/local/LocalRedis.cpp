#include "readmodel/local/LocalRedis.h"

#include "readmodel/local/ServerProcess.h"

#include <QDir>
#include <QStandardPaths>

namespace chronoscope::readmodel::local {

LocalRedis::LocalRedis() : m_dir(QDir::tempPath() + QStringLiteral("/chronoscope-redis-XXXXXX")) {}

LocalRedis::~LocalRedis()
{
    stop();
}

QString LocalRedis::serverBinary()
{
    return QStandardPaths::findExecutable(QStringLiteral("redis-server"));
}

QString LocalRedis::cliBinary()
{
    return QStandardPaths::findExecutable(QStringLiteral("redis-cli"));
}

QString LocalRedis::missingReason()
{
    if (serverBinary().isEmpty() || cliBinary().isEmpty())
        return QStringLiteral("redis-server or redis-cli is not installed (Debian package redis-server)");
    return {};
}

bool LocalRedis::start()
{
    if (isRunning())
        return true;
    if (const QString why = missingReason(); !why.isEmpty())
        return fail(why);
    if (!m_dir.isValid())
        return fail(QStringLiteral("no temporary folder"));
    if (m_password.isEmpty())
        m_password = randomPassword();
    if (m_port == 0) // a restart keeps its port, as a real server does
        m_port = freeLoopbackPort();
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    // The password goes in on stdin as a config file ("-"), so it is not in the process list.
    prepareAs(m_process, nullptr, serverBinary(), {QStringLiteral("-")});
    m_process.start();
    if (!m_process.waitForStarted(10000))
        return fail(QStringLiteral("cannot start redis-server: ") + m_process.errorString());
    const QString config = QStringLiteral("port %1\nbind 127.0.0.1\nsave \"\"\nappendonly no\ndir %2\n"
                                          "requirepass %3\ndaemonize no\nprotected-mode yes\n")
                               .arg(m_port)
                               .arg(m_dir.path(), m_password);
    m_process.write(config.toUtf8());
    m_process.waitForBytesWritten(5000); // no event loop here: push the config out now
    m_process.closeWriteChannel();
    if (!waitFor([this] { return !isRunning() || acceptsConnections(m_port, 500); }, 15000) || !isRunning()) {
        m_process.waitForReadyRead(200);
        const QString log = QString::fromUtf8(m_process.readAll());
        stop();
        return fail(QStringLiteral("redis-server did not come up on port %1: %2").arg(m_port).arg(log.right(800)));
    }
    return true;
}

void LocalRedis::stop()
{
    if (!isRunning())
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(10000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

void LocalRedis::kill()
{
    if (!isRunning())
        return;
    m_process.kill();
    m_process.waitForFinished(5000);
}

bool LocalRedis::cli(const QString &commands, QString *output) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("REDISCLI_AUTH"), m_password); // the child's environment, never argv or a file
    return runToEnd(cliBinary(), {QStringLiteral("-h"), host(), QStringLiteral("-p"), QString::number(m_port)}, output,
                    nullptr, 60000, env, commands.toUtf8());
}

bool LocalRedis::fail(const QString &why)
{
    m_error = why;
    return false;
}

} // namespace chronoscope::readmodel::local
