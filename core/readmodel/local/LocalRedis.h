#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace chronoscope::readmodel::local {

/// A private redis-server (Debian's package `redis-server`): a free loopback port, no persistence (no RDB, no
/// AOF), a password (`requirepass`, handed over on stdin, never in the process list), its working folder in a
/// temporary directory. Stopped and removed when the object dies; kill() ends it abruptly (SIGKILL).
///
/// Blocking, and bound to the thread that created it (its QProcess), as LocalPostgres is.
class LocalRedis
{
public:
    LocalRedis();
    ~LocalRedis();
    LocalRedis(const LocalRedis &) = delete;
    LocalRedis &operator=(const LocalRedis &) = delete;

    /// On PATH; empty when not found.
    static QString serverBinary();
    static QString cliBinary();
    /// Why a server cannot be started here (empty when it can), naming the package.
    static QString missingReason();

    QString host() const { return QStringLiteral("127.0.0.1"); }
    quint16 port() const { return m_port; }
    QString password() const { return m_password; }
    QString error() const { return m_error; }
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    qint64 processId() const { return m_process.processId(); }

    bool start();
    void stop();
    /// SIGKILL: the server vanishes mid-conversation.
    void kill();

    /// Runs redis-cli commands (one per line on stdin); the replies go to `output`.
    bool cli(const QString &commands, QString *output = nullptr) const;

private:
    bool fail(const QString &why);

    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_password;
    QString m_error;
};

} // namespace chronoscope::readmodel::local
