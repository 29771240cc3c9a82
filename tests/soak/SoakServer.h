#pragma once
// The soak's server: chronoscope-sandbox as a child process (so the test process's memory is the
// client's alone), either a cluster whose leader is killed (SIGUSR2) or one node on a --db log that
// is killed outright and started again on the same port.
#include <QProcess>
#include <QRegularExpression>
#include <QStringList>
#include <QTemporaryDir>
#include <QThread>

#include <csignal>

namespace chronoscope::soak {

class SoakServer
{
public:
    ~SoakServer() { stop(); }

    /// `nodes` > 1: a cluster of that many; 1: a single node on a log file in a temporary folder.
    bool start(int nodes, QString *error)
    {
        m_nodes = nodes;
        return launch(QStringLiteral("127.0.0.1:0"), error);
    }

    /// The connection string: every node as a seed (the client follows the leader).
    QString connectionString() const
    {
        QStringList hosts;
        for (int port : m_ports)
            hosts << QStringLiteral("127.0.0.1:%1").arg(port);
        return QStringLiteral("esdb://%1?tls=false&nodePreference=leader").arg(hosts.join(QLatin1Char(',')));
    }

    /// Cluster: the leader dies (its server stops; the next node takes over).
    void killLeader() { ::kill(pid_t(m_process.processId()), SIGUSR2); }

    /// Single node: SIGKILL, then the same log on the same port again, after `downMs` with the port
    /// closed (a server slow to come back: a long log to reload on a loaded machine).
    bool restart(QString *error, int downMs = 0)
    {
        m_process.kill();
        m_process.waitForFinished(10000);
        if (downMs > 0)
            QThread::msleep(ulong(downMs));
        return launch(QStringLiteral("127.0.0.1:%1").arg(m_ports.value(0)), error);
    }

    void stop()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(10000))
                m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

private:
    bool launch(const QString &listen, QString *error)
    {
        QStringList args{QStringLiteral("--insecure"), QStringLiteral("--listen"), listen};
        if (m_nodes > 1)
            args << QStringLiteral("--cluster") << QString::number(m_nodes);
        else
            args << QStringLiteral("--db") << m_dir.filePath(QStringLiteral("soak.db"));
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(QStringLiteral(CHRONOSCOPE_SANDBOX_BIN), args);
        const QRegularExpression listening(QStringLiteral("listening on 127\\.0\\.0\\.1:(\\d+)"));
        QByteArray output;
        QList<int> ports;
        while (ports.size() < m_nodes && m_process.waitForReadyRead(15000)) {
            output += m_process.readAll();
            ports.clear();
            for (auto it = listening.globalMatch(QString::fromUtf8(output)); it.hasNext();)
                ports << it.next().captured(1).toInt();
        }
        if (ports.size() < m_nodes) {
            *error = QStringLiteral("the sandbox did not start: ") + QString::fromUtf8(output);
            return false;
        }
        m_ports = ports;
        return true;
    }

    QTemporaryDir m_dir;
    QProcess m_process;
    QList<int> m_ports;
    int m_nodes = 1;
};

} // namespace chronoscope::soak
