// A secure sandbox (TLS, users, stream ACLs) against our client: authentication, authorization
// and the TLS options of the connection string, with certificates generated at test time.
#include "SandboxServer.h"
#include "StreamsClient.h"
#include "TestCertificates.h"

#include <QTest>

using namespace chronoscope;

namespace {

const UserCredentials kAdmin{QStringLiteral("admin"), QStringLiteral("changeit")};
const UserCredentials kOps{QStringLiteral("ops"), QStringLiteral("changeit")};
const UserCredentials kBadPassword{QStringLiteral("admin"), QStringLiteral("not-the-password")};
const UserCredentials kAnonymous{};

QList<EventData> oneEvent()
{
    return {EventData::json("Tested", "{\"n\":1}")};
}

} // namespace

class TestSandboxSecurity : public QObject
{
    Q_OBJECT

    test::TestCertificates m_certs;
    sandbox::SandboxServer m_server;
    int m_port = 0;
    std::unique_ptr<StreamsClient> m_client; ///< TLS with the test CA, no default user

    std::unique_ptr<StreamsClient> connect(const QString &query, int port = 0) const
    {
        const auto cs = ConnectionString::parse(
            QStringLiteral("kurrentdb://127.0.0.1:%1?%2").arg(port ? port : m_port).arg(query));
        if (!cs.ok())
            qFatal("bad connection string in test: %s", qPrintable(cs.error));
        return std::make_unique<StreamsClient>(cs.settings);
    }
    QString caQuery() const { return QStringLiteral("tls=true&tlsCAFile=") + m_certs.path("ca.crt"); }

    static int startSecure(sandbox::SandboxServer &server, const sandbox::TlsFiles &files)
    {
        const QString error = server.enableSecurity(files);
        if (!error.isEmpty())
            qWarning("%s", qPrintable(error));
        QString listenError;
        return error.isEmpty() ? server.start(QStringLiteral("127.0.0.1:0"), &listenError) : 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_certs.ok(), qPrintable(m_certs.error()));
        m_port = startSecure(m_server, {m_certs.path("server.crt"), m_certs.path("server.key"), m_certs.path("ca.crt")});
        QVERIFY(m_port > 0);
        m_client = connect(caQuery());
        QVERIFY2(!m_client->error(), qPrintable(m_client->error().toString()));
    }

    void missingCertificatesAreAClearError()
    {
        sandbox::SandboxServer s;
        QVERIFY(s.enableSecurity({}).contains(QLatin1String("--certificate-file")));
        const QString missing = s.enableSecurity({QStringLiteral("/nonexistent/server.crt"), m_certs.path("server.key"), {}});
        QVERIFY2(missing.contains(QLatin1String("/nonexistent/server.crt")), qPrintable(missing));
        const QString notPem = s.enableSecurity({m_certs.path("server.key"), m_certs.path("server.key"), {}});
        QVERIFY2(notPem.contains(QLatin1String("not a PEM file")), qPrintable(notPem));
        QVERIFY(!s.isSecure());
    }

    void adminCanDoEverything()
    {
        const AppendResult a = m_client->append("sec_admin-1", ExpectedState::noStream(), oneEvent(), kAdmin);
        QVERIFY2(!a.error, qPrintable(a.error.toString()));
        const ReadResult r = m_client->readAll(ReadRequest::forStream("sec_admin-1"), kAdmin);
        QVERIFY2(!r.error, qPrintable(r.error.toString()));
        QCOMPARE(r.events.size(), 1);
        QVERIFY(!m_client->append("$sec-system", ExpectedState::any(), oneEvent(), kAdmin).error);
        QVERIFY(!m_client->readAll(ReadRequest::forAll().count(5), kAdmin).error);
        QVERIFY(!m_client->deleteStream("sec_admin-1", ExpectedState::any(), kAdmin).error);
    }

    void badCredentialsAreUnauthenticated()
    {
        const ReadResult r = m_client->readAll(ReadRequest::forStream("sec_admin-1"), kBadPassword);
        QCOMPARE(r.error.kind, ClientError::Kind::AccessDenied);
        QCOMPARE(r.error.grpcCode, 16);
        QVERIFY(r.error.isAuthenticationFailure());
        QVERIFY2(r.error.message.contains(QLatin1String("authentication failed")), qPrintable(r.error.message));
        const AppendResult a = m_client->append("sec_bad-1", ExpectedState::any(), oneEvent(), kBadPassword);
        QVERIFY(a.error.isAuthenticationFailure());
        const UserCredentials unknownUser{QStringLiteral("nobody"), QStringLiteral("changeit")};
        QVERIFY(m_client->deleteStream("sec_bad-1", ExpectedState::any(), unknownUser).error.isAuthenticationFailure());
    }

    void anonymousIsDenied()
    {
        const ReadResult r = m_client->readAll(ReadRequest::forStream("sec_admin-1")); // no default user
        QCOMPARE(r.error.kind, ClientError::Kind::AccessDenied);
        QCOMPARE(r.error.grpcCode, 7);
        QVERIFY(!r.error.isAuthenticationFailure());
        QCOMPARE(m_client->append("sec_anon-1", ExpectedState::any(), oneEvent(), kAnonymous).error.kind,
                 ClientError::Kind::AccessDenied);
        // Anonymous calls outside the streams are fine: the server features still answer.
        QVERIFY(!m_client->serverInfo().error);
    }

    void opsUsesTheDefaultAcls()
    {
        QVERIFY(!m_client->append("sec_ops-1", ExpectedState::any(), oneEvent(), kOps).error);
        QVERIFY(!m_client->readAll(ReadRequest::forStream("sec_ops-1"), kOps).error);
        // System streams and $all are for $admins only by default.
        QCOMPARE(m_client->readAll(ReadRequest::forStream("$sec-system"), kOps).error.kind, ClientError::Kind::AccessDenied);
        QCOMPARE(m_client->append("$sec-system", ExpectedState::any(), oneEvent(), kOps).error.kind,
                 ClientError::Kind::AccessDenied);
        QCOMPARE(m_client->readAll(ReadRequest::forAll().count(5), kOps).error.kind, ClientError::Kind::AccessDenied);
    }

    void streamAclIsEnforced()
    {
        QVERIFY(!m_client->append("sec_acl-1", ExpectedState::any(), oneEvent(), kAdmin).error);
        StreamAcl acl;
        acl.readRoles = {QStringLiteral("$admins")};
        acl.singleStringKeys = {QStringLiteral("$r")}; // the role as a bare string
        acl.writeRoles = {QStringLiteral("ops")};      // a user name, as an array
        StreamMetadata meta;
        meta.acl = acl;
        QVERIFY(!m_client->setStreamMetadata("sec_acl-1", meta, ExpectedState::any(), kAdmin).error);

        QCOMPARE(m_client->readAll(ReadRequest::forStream("sec_acl-1"), kOps).error.kind, ClientError::Kind::AccessDenied);
        QVERIFY(!m_client->readAll(ReadRequest::forStream("sec_acl-1"), kAdmin).error);
        QVERIFY(!m_client->append("sec_acl-1", ExpectedState::any(), oneEvent(), kOps).error);
        // $mr / $mw are not in the ACL: the user-stream default ($all) applies.
        const StreamMetadataResult m = m_client->getStreamMetadata("sec_acl-1", kOps);
        QVERIFY2(!m.error, qPrintable(m.error.toString()));
        QVERIFY(m.metadata && m.metadata->acl);

        acl.metaReadRoles = {QStringLiteral("$admins")};
        acl.metaWriteRoles = {QStringLiteral("$admins")};
        acl.deleteRoles = {QStringLiteral("$admins")};
        meta.acl = acl;
        QVERIFY(!m_client->setStreamMetadata("sec_acl-1", meta, ExpectedState::any(), kAdmin).error);
        QCOMPARE(m_client->getStreamMetadata("sec_acl-1", kOps).error.kind, ClientError::Kind::AccessDenied);
        QCOMPARE(m_client->setStreamMetadata("sec_acl-1", StreamMetadata(), ExpectedState::any(), kOps).error.kind,
                 ClientError::Kind::AccessDenied);
        QCOMPARE(m_client->deleteStream("sec_acl-1", ExpectedState::any(), kOps).error.kind, ClientError::Kind::AccessDenied);
    }

    void systemStreamAclCanGrantAccess()
    {
        QVERIFY(!m_client->append("$sec-shared", ExpectedState::any(), oneEvent(), kAdmin).error);
        StreamAcl acl;
        acl.readRoles = {QStringLiteral("$ops")};
        StreamMetadata meta;
        meta.acl = acl;
        QVERIFY(!m_client->setStreamMetadata("$sec-shared", meta, ExpectedState::any(), kAdmin).error);
        QVERIFY(!m_client->readAll(ReadRequest::forStream("$sec-shared"), kOps).error);
        QCOMPARE(m_client->append("$sec-shared", ExpectedState::any(), oneEvent(), kOps).error.kind,
                 ClientError::Kind::AccessDenied);
    }

    void defaultAclComesFromSettings()
    {
        QVERIFY(!m_client->append("sec_default-1", ExpectedState::any(), oneEvent(), kAdmin).error);
        QVERIFY(!m_client->readAll(ReadRequest::forStream("sec_default-1"), kOps).error);
        QCOMPARE(m_client->append("$settings", ExpectedState::any(),
                                  {EventData::json("update-default-acl",
                                                   "{\"$userStreamAcl\":{\"$r\":\"$admins\",\"$w\":[\"$admins\"]}}")},
                                  kOps).error.kind,
                 ClientError::Kind::AccessDenied);
        const AppendResult set = m_client->append(
            "$settings", ExpectedState::any(),
            {EventData::json("update-default-acl", "{\"$userStreamAcl\":{\"$r\":\"$admins\",\"$w\":[\"$admins\"]}}")}, kAdmin);
        QVERIFY2(!set.error, qPrintable(set.error.toString()));
        QCOMPARE(m_client->readAll(ReadRequest::forStream("sec_default-1"), kOps).error.kind, ClientError::Kind::AccessDenied);
        QCOMPARE(m_client->append("sec_default-2", ExpectedState::any(), oneEvent(), kOps).error.kind,
                 ClientError::Kind::AccessDenied);
        // Keys the settings leave out keep the built-in default ($all for user streams).
        QVERIFY(!m_client->getStreamMetadata("sec_default-1", kOps).error);
        QVERIFY(!m_client->append("$settings", ExpectedState::any(), {EventData::json("update-default-acl", "{}")}, kAdmin).error);
        QVERIFY(!m_client->readAll(ReadRequest::forStream("sec_default-1"), kOps).error);
    }

    void connectionStringCredentialsAndPerCallOverride()
    {
        const auto cs = ConnectionString::parse(
            QStringLiteral("kurrentdb://ops:changeit@127.0.0.1:%1?%2").arg(m_port).arg(caQuery()));
        QVERIFY(cs.ok());
        StreamsClient ops(cs.settings);
        QVERIFY(!ops.readAll(ReadRequest::forStream("sec_ops-1")).error);
        QCOMPARE(ops.readAll(ReadRequest::forAll().count(1)).error.kind, ClientError::Kind::AccessDenied);
        QVERIFY(!ops.readAll(ReadRequest::forAll().count(1), kAdmin).error);         // per call: admin
        QCOMPARE(ops.readAll(ReadRequest::forStream("sec_ops-1"), kAnonymous).error.kind,
                 ClientError::Kind::AccessDenied);                                   // per call: anonymous
    }

    void tlsVerifyCertFalseAcceptsAnyCertificate()
    {
        // No CA file: the test CA is unknown to the system, so only tlsVerifyCert=false can connect.
        const auto strict = connect(QStringLiteral("tls=true"));
        QCOMPARE(strict->readAll(ReadRequest::forStream("sec_ops-1"), kAdmin).error.kind, ClientError::Kind::TlsFailure);
        const auto lax = connect(QStringLiteral("tls=true&tlsVerifyCert=false"));
        const ReadResult r = lax->readAll(ReadRequest::forStream("sec_ops-1"), kAdmin);
        QVERIFY2(!r.error, qPrintable(r.error.toString()));
    }

    void wrongCaIsATlsFailure()
    {
        const auto c = connect(QStringLiteral("tls=true&tlsCAFile=") + m_certs.path("other-ca.crt"));
        const ReadResult r = c->readAll(ReadRequest::forStream("sec_ops-1"), kAdmin);
        QCOMPARE(r.error.kind, ClientError::Kind::TlsFailure);
        QVERIFY2(r.error.message.contains(QLatin1String("trusted CA")), qPrintable(r.error.message));
    }

    void hostNameMismatchIsATlsFailure()
    {
        sandbox::SandboxServer other;
        const int port = startSecure(other, {m_certs.path("wrong-host.crt"), m_certs.path("wrong-host.key"), {}});
        QVERIFY(port > 0);
        const auto c = connect(caQuery(), port);
        const ReadResult r = c->readAll(ReadRequest::forStream("x"), kAdmin);
        QCOMPARE(r.error.kind, ClientError::Kind::TlsFailure);
        QVERIFY2(r.error.message.contains(QLatin1String("host name")), qPrintable(r.error.message));
        // tlsVerifyCert=false skips the host name check too.
        const auto lax = connect(QStringLiteral("tls=true&tlsVerifyCert=false"), port);
        QCOMPARE(lax->readAll(ReadRequest::forStream("x"), kAdmin).error.kind, ClientError::Kind::StreamNotFound);
    }

    void tlsAgainstAnInsecureServerIsATlsFailure()
    {
        sandbox::SandboxServer plain;
        QString error;
        const int port = plain.start(QStringLiteral("127.0.0.1:0"), &error);
        QVERIFY(port > 0);
        const ReadResult r = connect(caQuery(), port)->readAll(ReadRequest::forStream("x"), kAdmin);
        QCOMPARE(r.error.kind, ClientError::Kind::TlsFailure);
        QVERIFY2(r.error.message.contains(QLatin1String("tls=false")), qPrintable(r.error.message));
        // And the other way round: h2c against TLS fails without hanging.
        const ReadResult h2c = connect(QStringLiteral("tls=false"))->readAll(ReadRequest::forStream("x"), kAdmin);
        QVERIFY(h2c.error.isError());
    }

    void clientCertificateIsAccepted()
    {
        // The server asks for (and verifies) client certificates; credentials still decide who the user is.
        const auto c = connect(caQuery() + QStringLiteral("&userCertFile=") + m_certs.path("client-admin.crt")
                               + QStringLiteral("&userKeyFile=") + m_certs.path("client-admin.key"));
        QVERIFY2(!c->error(), qPrintable(c->error().toString()));
        QVERIFY(!c->readAll(ReadRequest::forStream("sec_ops-1"), kOps).error);
        const auto lax = connect(QStringLiteral("tls=true&tlsVerifyCert=false&userCertFile=") + m_certs.path("client-admin.crt")
                                 + QStringLiteral("&userKeyFile=") + m_certs.path("client-admin.key"));
        QVERIFY(!lax->readAll(ReadRequest::forStream("sec_ops-1"), kOps).error);
        // Without --user-certificates the certificate names nobody: the call is anonymous.
        QCOMPARE(c->readAll(ReadRequest::forStream("sec_ops-1")).error.kind, ClientError::Kind::AccessDenied);
        // A certificate from an unknown CA is refused in the handshake.
        const auto foreign = connect(caQuery() + QStringLiteral("&userCertFile=") + m_certs.path("other-ca.crt")
                                     + QStringLiteral("&userKeyFile=") + m_certs.path("other-ca.key"));
        QVERIFY(foreign->readAll(ReadRequest::forStream("sec_ops-1"), kOps).error.isError());
    }

    void userCertificateAuthenticates()
    {
        sandbox::SandboxServer server;
        sandbox::TlsFiles files{m_certs.path("server.crt"), m_certs.path("server.key"), {}, true};
        QVERIFY(server.enableSecurity(files).contains(QLatin1String("--trusted-root-certificates-path")));
        files.trustedRootCertificates = m_certs.path("ca.crt");
        const int port = startSecure(server, files);
        QVERIFY(port > 0);
        const auto c = connect(caQuery() + QStringLiteral("&userCertFile=") + m_certs.path("client-admin.crt")
                                   + QStringLiteral("&userKeyFile=") + m_certs.path("client-admin.key"),
                               port);
        // CN=admin: $all is readable without a password.
        const ReadResult all = c->readAll(ReadRequest::forAll().count(1));
        QVERIFY2(!all.error, qPrintable(all.error.toString()));
        // Credentials in the call take precedence over the certificate.
        QCOMPARE(c->readAll(ReadRequest::forAll().count(1), kOps).error.kind, ClientError::Kind::AccessDenied);
        // No certificate: anonymous.
        QCOMPARE(connect(caQuery(), port)->readAll(ReadRequest::forAll().count(1)).error.kind,
                 ClientError::Kind::AccessDenied);
    }
};

QTEST_GUILESS_MAIN(TestSandboxSecurity)
#include "tst_sandboxsecurity.moc"
