// Credentials never appear in log output or error texts: every Qt message (all categories, debug
// included) and every error string produced by good and bad logins, TLS failures and malformed
// connection strings is collected and searched for the password and its Basic-auth encoding. Each test
// searches what it produced itself, so any of them can run alone or in any order.
#include "SandboxServer.h"
#include "client/StreamsClient.h"
#include "support/TestCertificates.h"

#include <QLoggingCategory>
#include <QMutex>
#include <QTest>

using namespace chronoscope;

namespace {

QMutex g_mutex;
QStringList g_log;

void capture(QtMsgType, const QMessageLogContext &, const QString &message)
{
    QMutexLocker lock(&g_mutex);
    g_log << message;
}

// Distinctive passwords, each with characters that move the connection string's split points.
const QString kSecret = QStringLiteral("Zq7-Secret-Xy9");
const QStringList kNastySecrets = {QStringLiteral("Zq7x/Secret?Xy9w@Qrst"), QStringLiteral("Zq7x:Secr%40etW"),
                                   QStringLiteral("Zq7x?tls=maybeW"), QStringLiteral("Zq7x/Secret")};

} // namespace

class TestCredentialRedaction : public QObject
{
    Q_OBJECT

    test::TestCertificates m_certs;
    sandbox::SandboxServer m_server;
    int m_port = 0;
    QStringList m_errors; ///< every error text the client handed back

    void record(const ClientError &e)
    {
        // As the app does: errors are shown and logged.
        m_errors << e.toString() << e.message;
        qWarning() << "call failed:" << e.toString();
        qDebug() << "details:" << e.message << e.grpcCode;
    }
    void exercise(const QString &connectionString)
    {
        const auto cs = ConnectionString::parse(connectionString);
        if (!cs.ok()) {
            m_errors << cs.error;
            qWarning() << "connection string:" << cs.error;
            return;
        }
        for (const QString &w : cs.settings.warnings)
            qInfo() << "warning:" << w;
        qInfo() << "connecting to" << cs.settings.toRedactedString();
        StreamsClient client(cs.settings);
        record(client.error());
        const AppendResult a = client.append("redact-1", ExpectedState::any(), {EventData::json("T", "{}")});
        record(a.error);
        record(client.readAll(ReadRequest::forStream("redact-1")).error);
        record(client.readAll(ReadRequest::forAll().count(3)).error);
        record(client.getStreamMetadata("redact-1").error);
        record(client.deleteStream("redact-missing", ExpectedState::streamExists()).error);
        record(client.readAll(ReadRequest::forStream("redact-1"), UserCredentials{QStringLiteral("ops"), kSecret}).error);
    }
    /// Every message logged and every error text recorded since this test function began.
    QStringList captured() const
    {
        QMutexLocker lock(&g_mutex);
        return g_log + m_errors;
    }
    /// None of `texts` shows a secret, whole or as a telling piece of it (the parts between the
    /// characters that split strings, from four characters on), nor `user:secret` in Basic-auth form.
    static void verifyNoSecretIn(const QStringList &texts, const QStringList &secrets)
    {
        for (const QString &secret : secrets) {
            const QString basic = QString::fromLatin1((QStringLiteral("admin:") + secret).toUtf8().toBase64());
            QStringList pieces;
            for (const QString &piece :
                 secret.split(QRegularExpression(QStringLiteral("[/?@:%=]")), Qt::SkipEmptyParts))
                if (piece.size() >= 4)
                    pieces << piece;
            for (const QString &t : texts) {
                QVERIFY2(!t.contains(secret), qPrintable(t));
                QVERIFY2(!t.contains(basic), qPrintable(t));
                for (const QString &piece : std::as_const(pieces))
                    QVERIFY2(!t.contains(piece), qPrintable(t + QStringLiteral(" shows ") + piece));
            }
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_certs.ok(), qPrintable(m_certs.error()));
        QVERIFY(m_server.enableSecurity({m_certs.path("server.crt"), m_certs.path("server.key"), {}}).isEmpty());
        QString error;
        m_port = m_server.start(QStringLiteral("127.0.0.1:0"), &error);
        QVERIFY2(m_port > 0, qPrintable(error));
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=true"));
        qInstallMessageHandler(capture);
    }

    void cleanupTestCase() { qInstallMessageHandler(nullptr); }

    void init()
    {
        QMutexLocker lock(&g_mutex);
        g_log.clear();
        m_errors.clear();
    }

    void callsNeverShowThePassword()
    {
        const QString ca = QStringLiteral("tlsCAFile=") + m_certs.path("ca.crt");
        const QString other = QStringLiteral("tlsCAFile=") + m_certs.path("other-ca.crt");
        const QString host = QStringLiteral("127.0.0.1:%1").arg(m_port);
        // Good credentials (the secret only per call), bad ones, TLS failures with credentials.
        exercise(QStringLiteral("kurrentdb://admin:changeit@%1?%2").arg(host, ca));
        exercise(QStringLiteral("kurrentdb://admin:%1@%2?%3").arg(kSecret, host, ca));
        exercise(QStringLiteral("kurrentdb://admin:%1@%2?%3").arg(kSecret, host, other));
        exercise(QStringLiteral("kurrentdb://admin:%1@%2?tls=true").arg(kSecret, host));
        exercise(QStringLiteral("kurrentdb://admin:%1@%2?tls=false").arg(kSecret, host));
        exercise(QStringLiteral("kurrentdb://admin:%1@%2?tls=true&tlsCAFile=/nonexistent/ca.crt").arg(kSecret, host));

        const QStringList texts = captured();
        QVERIFY2(texts.size() > 40, "too little was captured for the check to mean anything");
        // The bad-login and TLS failures did produce errors (so the texts searched are the real ones).
        QVERIFY(m_errors.join(QLatin1Char('\n')).contains(QLatin1String("authentication failed")));
        QVERIFY(m_errors.join(QLatin1Char('\n')).contains(QLatin1String("TLS handshake failed")));
        verifyNoSecretIn(texts, {kSecret, QStringLiteral("changeit")});
    }

    void parseErrorsNeverShowThePassword_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("secret");
        for (const QString &s : kNastySecrets) {
            QTest::addRow("raw %s", qPrintable(s)) << QStringLiteral("kurrentdb://admin:%1@127.0.0.1:2113").arg(s) << s;
            QTest::addRow("bad port %s", qPrintable(s)) << QStringLiteral("kurrentdb://admin:%1@127.0.0.1:99999").arg(s) << s;
            QTest::addRow("bad key %s", qPrintable(s))
                << QStringLiteral("kurrentdb://admin:%1@127.0.0.1?tls=perhaps&whatever=1").arg(s) << s;
            QTest::addRow("no host %s", qPrintable(s)) << QStringLiteral("kurrentdb://admin:%1@").arg(s) << s;
            QTest::addRow("bad scheme %s", qPrintable(s)) << QStringLiteral("http://admin:%1@127.0.0.1").arg(s) << s;
        }
        QTest::addRow("no '@'") << QStringLiteral("kurrentdb://admin:%1").arg(kSecret) << kSecret;
    }

    void parseErrorsNeverShowThePassword()
    {
        QFETCH(QString, text);
        QFETCH(QString, secret);
        const auto r = ConnectionString::parse(text);
        QStringList texts = r.settings.warnings;
        texts << r.error;
        if (r.ok())
            texts << r.settings.toRedactedString();
        texts.removeAll(QString());
        QVERIFY2(!texts.isEmpty(), "the parse said nothing: nothing to search");
        for (const QString &t : std::as_const(texts))
            qWarning() << t; // as the app logs them
        verifyNoSecretIn(texts, {secret});
        verifyNoSecretIn(captured(), {secret});
    }
};

QTEST_GUILESS_MAIN(TestCredentialRedaction)
#include "tst_credentialredaction.moc"
