#pragma once

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcess>
#include <QTcpServer>
#include <QThread>
#include <QUuid>

#include <pwd.h>
#include <sys/types.h>
#include <unistd.h>

/// Helpers the real-server fixtures (PostgresServer, RedisServer) share: free loopback ports, passwords,
/// running a program as another user, waiting for a condition.
namespace serverprocess {

/// A port nothing listens on right now (bound and released; a race with other processes is possible but rare).
inline quint16 freeLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

/// A random password of letters and digits (no characters a shell or a URL would need to escape).
inline QString randomPassword()
{
    return QUuid::createUuid().toString(QUuid::Id128).left(24);
}

inline bool runningAsRoot()
{
    return ::geteuid() == 0;
}

/// Gives `path` to `user` (when running as root; otherwise a no-op). Returns false if the user is unknown.
inline bool chownTo(const QString &path, const char *user)
{
    if (!runningAsRoot())
        return true;
    const passwd *pw = ::getpwnam(user);
    if (!pw)
        return false;
    return ::chown(QFile::encodeName(path).constData(), pw->pw_uid, pw->pw_gid) == 0;
}

/// Sets `process` up to run `program args` as `user` when we are root (runuser), as ourselves otherwise.
inline void prepareAs(QProcess &process, const char *user, const QString &program, const QStringList &args)
{
    if (runningAsRoot()) {
        process.setProgram(QStringLiteral("runuser"));
        process.setArguments(QStringList{QStringLiteral("-u"), QString::fromLatin1(user), QStringLiteral("--"), program}
                             + args);
    } else {
        process.setProgram(program);
        process.setArguments(args);
    }
}

/// Runs a program to its end (as `user` when root and `user` is set); true on exit code 0.
inline bool runToEnd(const QString &program, const QStringList &args, QString *output, const char *user = nullptr,
                     int timeoutMs = 60000, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
                     const QByteArray &stdinData = {})
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    if (user)
        prepareAs(p, user, program, args);
    else {
        p.setProgram(program);
        p.setArguments(args);
    }
    p.start();
    if (!p.waitForStarted(10000)) {
        if (output)
            *output = QStringLiteral("cannot start %1: %2").arg(program, p.errorString());
        return false;
    }
    if (!stdinData.isEmpty())
        p.write(stdinData);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(2000);
        if (output)
            *output = QStringLiteral("%1 did not finish in %2 ms").arg(program).arg(timeoutMs);
        return false;
    }
    if (output)
        *output = QString::fromUtf8(p.readAll());
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

/// Polls `ready` every 50 ms until it holds or `timeoutMs` passes.
template<typename Predicate>
bool waitFor(Predicate ready, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        if (ready())
            return true;
        QThread::msleep(50);
    }
    return ready();
}

} // namespace serverprocess
