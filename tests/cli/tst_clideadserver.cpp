#include "CliRunner.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTest>

#include <csignal>

/// A server that dies mid-command: chronoscope-sandbox, a process of its own, killed (SIGKILL) while
/// `export` streams and while `fold` reads. The CLI ends soon with exit 1 and a clear message; what
/// it printed before is whole lines, and with --json the last line is the error object; an --output
/// file is not written at all.
class TestCliDeadServer : public QObject
{
    Q_OBJECT

private:
    CliRunner m_cli;
    QProcess m_sandbox;
    int m_port = 0;
    static constexpr int kEvents = 200000;

    void startSandbox()
    {
        m_sandbox.start(QStringLiteral(CHRONOSCOPE_SANDBOX_BIN),
                        {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--insecure"),
                         QStringLiteral("--demo-events"), QString::number(kEvents)});
        QVERIFY(m_sandbox.waitForReadyRead(120000));
        const QByteArray line = m_sandbox.readLine().trimmed();
        m_port = line.mid(line.lastIndexOf(':') + 1).toInt();
        QVERIFY2(line.startsWith("listening on") && m_port > 0, line.constData());
    }
    void killSandbox()
    {
        ::kill(pid_t(m_sandbox.processId()), SIGKILL);
        QVERIFY(m_sandbox.waitForFinished(10000));
    }
    QString connection() const { return QStringLiteral("esdb://127.0.0.1:%1?tls=false").arg(m_port); }
    /// Starts the CLI in its home; the caller waits.
    void start(QProcess &p, const QStringList &arguments)
    {
        p.setProcessEnvironment(m_cli.environment());
        p.start(QStringLiteral(CHRONOSCOPE_CLI_BIN), arguments);
        QVERIFY(p.waitForStarted(10000));
    }

private Q_SLOTS:
    void init() { startSandbox(); }
    void cleanup()
    {
        if (m_sandbox.state() != QProcess::NotRunning) {
            m_sandbox.kill();
            m_sandbox.waitForFinished(5000);
        }
    }

    void exportToStdout()
    {
        QProcess p;
        start(p,
              {QStringLiteral("export"), QStringLiteral("--connect"), connection(), QStringLiteral("--stream"),
               QStringLiteral("$all"), QStringLiteral("--json")});
        QByteArray out;
        QElapsedTimer t;
        t.start();
        while (out.size() < (1 << 20) && t.elapsed() < 60000 && p.state() == QProcess::Running)
            if (p.waitForReadyRead(1000))
                out += p.readAllStandardOutput();
        QVERIFY2(out.size() >= (1 << 20), "the export did not stream");
        killSandbox();
        t.restart();
        QVERIFY2(p.waitForFinished(30000), "the CLI did not end after the server died");
        qInfo("the CLI ended %lld ms after the server died", t.elapsed());
        out += p.readAllStandardOutput();
        const QByteArray err = p.readAllStandardError();
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QVERIFY2(p.exitCode() == 1, err.constData());
        QVERIFY2(err.contains("cannot read $all on esdb://127.0.0.1:") && err.contains("events written"),
                 err.constData());
        // Whole lines: events, then the error object.
        QVERIFY(out.endsWith('\n'));
        const QList<QByteArray> lines = out.trimmed().split('\n');
        QVERIFY(lines.size() > 1000 && lines.size() < kEvents);
        for (qsizetype i = 0; i + 1 < lines.size(); ++i)
            QVERIFY2(QJsonDocument::fromJson(lines.at(i)).object().contains(QLatin1String("eventId")),
                     lines.at(i).constData());
        const QJsonObject last = QJsonDocument::fromJson(lines.constLast()).object();
        QCOMPARE(last.value(QLatin1String("outcome")).toString(), QStringLiteral("error"));
        QCOMPARE(last.value(QLatin1String("exitCode")).toInt(), 1);
    }

    void exportToAFileLeavesNothing()
    {
        const QString path = m_cli.home() + QStringLiteral("/dead.jsonl");
        QProcess p;
        start(p,
              {QStringLiteral("export"), QStringLiteral("--connect"), connection(), QStringLiteral("--stream"),
               QStringLiteral("$all"), QStringLiteral("--output"), path});
        // QSaveFile writes an unnamed temporary file (O_TMPFILE) that only gets its name when committed, so
        // there is nothing to watch: the server dies 400 ms in, seconds before 200 000 events are exported.
        QTest::qWait(400);
        QCOMPARE(p.state(), QProcess::Running);
        killSandbox();
        QVERIFY(p.waitForFinished(30000));
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(p.exitCode() == 1, err.constData());
        QVERIFY2(err.contains("cannot read $all on esdb://127.0.0.1:") && err.contains("not written"), err.constData());
        QVERIFY(!QFile::exists(path));
        QVERIFY(QDir(m_cli.home()).entryList({QStringLiteral("dead.jsonl*")}, QDir::Files | QDir::Hidden).isEmpty());
        QCOMPARE(p.readAllStandardOutput(), QByteArray());
    }

    void foldMidRead()
    {
        QProcess p;
        start(p,
              {QStringLiteral("fold"), QStringLiteral("--connect"), connection(), QStringLiteral("--stream"),
               QStringLiteral("$all"), QStringLiteral("--reducer"),
               QStringLiteral(CHRONOSCOPE_SOURCE_DIR "/resources/reducers/demo-orders.reducer.json"),
               QStringLiteral("--json")});
        // The whole fold of 200 000 events takes about 1.5 s on a quiet machine (read and folded as they arrive),
        // so the server dies 300 ms in: mid-read, or before the read on a loaded machine — an error either way.
        QTest::qWait(300);
        QCOMPARE(p.state(), QProcess::Running);
        killSandbox();
        QVERIFY(p.waitForFinished(30000));
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(p.exitCode() == 1, err.constData());
        QVERIFY2(err.contains("cannot fold $all on esdb://127.0.0.1:"), err.constData());
        const QJsonObject o = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        QCOMPARE(o.value(QLatin1String("outcome")).toString(), QStringLiteral("error"));
    }
};

QTEST_GUILESS_MAIN(TestCliDeadServer)
#include "tst_clideadserver.moc"
