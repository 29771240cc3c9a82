#include "CliRunner.h"
#include "SandboxServer.h"
#include "connection/ConnectionProfiles.h"
#include "support/TestCertificates.h"

#include <QDirIterator>
#include <QFile>
#include <QSettings>
#include <QTest>

using namespace chronoscope;

namespace {
const QString kPassword = QStringLiteral("changeit"); // the secure sandbox's password for ops
}

/// `chronoscope-cli append` against a secure sandbox (TLS, users): the password comes from the
/// environment, the connection's user is in the event's metadata, and the password is never printed
/// nor written to the audit log, whether it is right or wrong.
class TestCliAppendSecure : public QObject
{
    Q_OBJECT

private:
    test::TestCertificates m_certs;
    sandbox::SandboxServer m_server;
    int m_port = 0;
    CliRunner m_cli;

    QString connection() const
    {
        return QStringLiteral("kurrentdb://127.0.0.1:%1?tlsCAFile=%2").arg(m_port).arg(m_certs.path("ca.crt"));
    }
    QStringList args(const QString &stream) const
    {
        return {QStringLiteral("append"),
                QStringLiteral("--audit-log"),
                m_cli.home() + QStringLiteral("/audit.jsonl"),
                QStringLiteral("--stream"),
                stream,
                QStringLiteral("--type"),
                QStringLiteral("NoteAdded"),
                QStringLiteral("--data"),
                QStringLiteral(R"({"note":"secure"})"),
                QStringLiteral("--expected-revision"),
                QStringLiteral("no_stream"),
                QStringLiteral("--reason"),
                QStringLiteral("secure test")};
    }
    /// Nothing the CLI printed or logged holds the password.
    void verifyNoPassword(const CliRunner::Run &r, const QString &password)
    {
        QVERIFY2(!r.out.contains(password) && !r.err.contains(password), r.describe().constData());
        QFile log(m_cli.home() + QStringLiteral("/audit.jsonl"));
        if (log.open(QIODevice::ReadOnly))
            QVERIFY(!log.readAll().contains(password.toUtf8()));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_certs.ok(), qPrintable(m_certs.error()));
        QVERIFY(m_server.enableSecurity({m_certs.path("server.crt"), m_certs.path("server.key"), {}}).isEmpty());
        QString error;
        m_port = m_server.start(QStringLiteral("127.0.0.1:0"), &error);
        QVERIFY2(m_port > 0, qPrintable(error));
    }

    void passwordFromTheEnvironment()
    {
        m_cli.setEnv(QStringLiteral("CHRONOSCOPE_PASSWORD"), kPassword);
        const auto r = m_cli.run(QStringList(args(QStringLiteral("cli-secure-1")))
                                 << QStringLiteral("--connection") << connection() << QStringLiteral("--username")
                                 << QStringLiteral("ops") << QStringLiteral("--json"));
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        verifyNoPassword(r, kPassword);
        // The connection's user is the operator's, in the audit log (the event's metadata has it too).
        QFile log(m_cli.home() + QStringLiteral("/audit.jsonl"));
        QVERIFY(log.open(QIODevice::ReadOnly));
        QVERIFY(log.readAll().contains("\"connectionUser\":\"ops\""));
    }

    void wrongPasswordIsAnErrorThatDoesNotShowIt()
    {
        const QString wrong = QStringLiteral("Wr0ng-pa55word");
        m_cli.setEnv(QStringLiteral("CHRONOSCOPE_PASSWORD"), wrong);
        const auto r = m_cli.run(QStringList(args(QStringLiteral("cli-secure-2")))
                                 << QStringLiteral("--connection") << connection() << QStringLiteral("--username")
                                 << QStringLiteral("ops"));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("cannot read cli-secure-2")), r.describe().constData());
        verifyNoPassword(r, wrong);
    }

    /// A saved profile with a user: the password from the environment; without it, the keychain (none
    /// here: the test's environment has no session bus) and a clear error.
    void profileWithAUser()
    {
        {
            QSettings settings(m_cli.settingsFile(), QSettings::IniFormat);
            ConnectionProfiles profiles(&settings);
            ConnectionProfile p{QStringLiteral("secure"),
                                connection(),
                                QStringLiteral("ops"),
                                QStringLiteral("#3b82f6"),
                                false,
                                false,
                                {}};
            QVERIFY(profiles.save(p).isEmpty());
        }
        const QStringList withProfile = QStringList(args(QStringLiteral("cli-secure-3")))
            << QStringLiteral("--profile") << QStringLiteral("secure");
        m_cli.setEnv(QStringLiteral("CHRONOSCOPE_PASSWORD"), QString());
        const auto none = m_cli.run(withProfile);
        QCOMPARE(none.exitCode, 1);
        QVERIFY2(none.err.contains(QStringLiteral("no password for the profile \"secure\": set CHRONOSCOPE_PASSWORD")),
                 none.describe().constData());
        m_cli.setEnv(QStringLiteral("CHRONOSCOPE_PASSWORD"), kPassword);
        const auto r = m_cli.run(withProfile);
        QVERIFY2(r.exitCode == 0 && r.out.startsWith(QStringLiteral("Appended")), r.describe().constData());
        verifyNoPassword(r, kPassword);
    }
};

QTEST_GUILESS_MAIN(TestCliAppendSecure)
#include "tst_cliappendsecure.moc"
