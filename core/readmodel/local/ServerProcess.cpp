#include "readmodel/local/ServerProcess.h"

#include <QFile>
#include <QUuid>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>
#include <csignal>

#include <cerrno>

namespace chronoscope::readmodel::local {

namespace {
sockaddr_in loopback(quint16 port)
{
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}
} // namespace

quint16 freeLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    sockaddr_in a = loopback(0);
    socklen_t len = sizeof a;
    quint16 port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len) == 0)
        port = ntohs(a.sin_port);
    ::close(fd);
    return port;
}

QString randomPassword()
{
    return QUuid::createUuid().toString(QUuid::Id128).left(24);
}

bool runningAsRoot()
{
    return ::geteuid() == 0;
}

bool chownTo(const QString &path, const char *user)
{
    if (!runningAsRoot())
        return true;
    const passwd *pw = ::getpwnam(user);
    if (!pw)
        return false;
    return ::chown(QFile::encodeName(path).constData(), pw->pw_uid, pw->pw_gid) == 0;
}

void prepareAs(QProcess &process, const char *user, const QString &program, const QStringList &args)
{
    if (runningAsRoot() && user) {
        process.setProgram(QStringLiteral("runuser"));
        process.setArguments(QStringList{QStringLiteral("-u"), QString::fromLatin1(user), QStringLiteral("--"), program}
                             + args);
    } else {
        process.setProgram(program);
        process.setArguments(args);
    }
    process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
}

bool runToEnd(const QString &program, const QStringList &args, QString *output, const char *user, int timeoutMs,
              const QProcessEnvironment &env, const QByteArray &stdinData)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    prepareAs(p, user, program, args);
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

bool acceptsConnections(quint16 port, int timeoutMs)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return false;
    const sockaddr_in a = loopback(port);
    bool ok = ::connect(fd, reinterpret_cast<const sockaddr *>(&a), sizeof a) == 0;
    if (!ok && errno == EINPROGRESS) {
        pollfd p{fd, POLLOUT, 0};
        int err = 0;
        socklen_t len = sizeof err;
        ok = ::poll(&p, 1, timeoutMs) == 1 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0;
    }
    ::close(fd);
    return ok;
}

} // namespace chronoscope::readmodel::local
