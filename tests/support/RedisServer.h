#pragma once

#include "support/ServerProcess.h"

#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>

/// A real redis-server for tests: a free loopback port, no persistence (no RDB, no AOF), a password
/// (`requirepass`, so AUTH is exercised), its working folder in a temporary directory. Stopped and removed
/// when the object dies; kill() ends it abruptly (SIGKILL) for the server-gone tests.
class RedisServer
{
public:
    static QString serverBinary() { return QStandardPaths::findExecutable(QStringLiteral("redis-server")); }
    static QString cliBinary() { return QStandardPaths::findExecutable(QStringLiteral("redis-cli")); }
    /// Why a server cannot be started here (empty when it can): for a clear QSKIP.
    static QString missingReason()
    {
        if (serverBinary().isEmpty() || cliBinary().isEmpty())
            return QStringLiteral("redis-server or redis-cli is not installed (Debian package redis-server)");
        return {};
    }

    ~RedisServer() { stop(); }

    QString host() const { return QStringLiteral("127.0.0.1"); }
    quint16 port() const { return m_port; }
    QString password() const { return m_password; }
    QString error() const { return m_error; }
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }

    bool start()
    {
        if (isRunning())
            return true;
        if (!m_dir.isValid())
            return fail(QStringLiteral("no temporary folder"));
        if (m_password.isEmpty())
            m_password = serverprocess::randomPassword();
        if (m_port == 0) // a restart keeps its port, as a real server does
            m_port = serverprocess::freeLoopbackPort();
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.setProgram(serverBinary());
        // The password goes in on stdin as a config file ("-"), so it is not in the process list.
        m_process.setArguments({QStringLiteral("-")});
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
        if (!serverprocess::waitFor([this] { return !isRunning() || ping(); }, 15000) || !isRunning()) {
            m_process.waitForReadyRead(200);
            const QString log = QString::fromUtf8(m_process.readAll());
            stop();
            return fail(QStringLiteral("redis-server did not come up on port %1: %2").arg(m_port).arg(log.right(800)));
        }
        return true;
    }

    void stop()
    {
        if (!isRunning())
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(10000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    /// SIGKILL: the server vanishes mid-conversation.
    void kill()
    {
        if (!isRunning())
            return;
        m_process.kill();
        m_process.waitForFinished(5000);
    }

    /// Runs redis-cli commands (one per line on stdin); the replies go to `output`.
    bool cli(const QString &commands, QString *output = nullptr) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("REDISCLI_AUTH"), m_password); // the child's environment, never argv or a file
        return serverprocess::runToEnd(cliBinary(),
                                       {QStringLiteral("-h"), host(), QStringLiteral("-p"), QString::number(m_port)},
                                       output, nullptr, 60000, env, commands.toUtf8());
    }

private:
    bool fail(const QString &why)
    {
        m_error = why;
        return false;
    }

    bool ping() const
    {
        QTcpSocket s;
        s.connectToHost(host(), m_port);
        if (!s.waitForConnected(500))
            return false;
        s.write("AUTH " + m_password.toUtf8() + "\r\nPING\r\n");
        QByteArray got;
        while (got.count('\n') < 2 && s.waitForReadyRead(500))
            got += s.readAll();
        return got == "+OK\r\n+PONG\r\n";
    }

    QTemporaryDir m_dir{QDir::tempPath() + QStringLiteral("/chronoscope-redis-XXXXXX")};
    QProcess m_process;
    quint16 m_port = 0;
    QString m_password;
    QString m_error;
};
