// A secure sandbox (TLS, users, stream ACLs) against our client: authentication, authorization
// and the TLS options of the connection string, with certificates generated at test time.
#include "ProjectionsService.h"
#include "SandboxCluster.h"
#include "SandboxServer.h"
#include "client/StreamsClient.h"
#include "support/TestCertificates.h"

#include "gossip.grpc.pb.h"
#include "projections.grpc.pb.h"

#include <grpcpp/grpcpp.h>

#include <QFile>
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

namespace ppb = event_store::client::projections;

/// A gRPC call's outcome as the tests below check it: the status and the `exception` trailer.
struct Outcome
{
    grpc::StatusCode code = grpc::StatusCode::OK;
    std::string message;
    std::string exception;
};

Outcome outcomeOf(const grpc::Status &status, const grpc::ClientContext &ctx)
{
    Outcome o{status.error_code(), status.error_message(), {}};
    const auto &trailers = ctx.GetServerTrailingMetadata();
    if (const auto it = trailers.find("exception"); it != trailers.end())
        o.exception.assign(it->second.data(), it->second.size());
    return o;
}

/// `who`: "anonymous", "bad" (a wrong password), "ops" or "admin".
void authenticateAs(grpc::ClientContext *ctx, const QString &who)
{
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    const QByteArray pair = who == QLatin1String("bad") ? QByteArray("admin:wrong")
                          : who == QLatin1String("anonymous") ? QByteArray()
                                                              : who.toUtf8() + ":changeit";
    if (!pair.isEmpty())
        ctx->AddMetadata("authorization", "Basic " + pair.toBase64().toStdString());
}

/// A projections call whose request names one projection (State, Result, Enable, Disable).
template<typename Req, typename Resp>
grpc::Status callNamed(ppb::Projections::Stub &stub, grpc::Status (ppb::Projections::Stub::*method)(grpc::ClientContext *, const Req &, Resp *),
                       grpc::ClientContext *ctx, const std::string &projection)
{
    Req req;
    req.mutable_options()->set_name(projection);
    Resp resp;
    return (stub.*method)(ctx, req, &resp);
}

/// One call of the Projections or Gossip service, by name, as `who`.
Outcome callAs(const std::shared_ptr<grpc::Channel> &channel, const QString &method, const QString &who,
               const std::string &projection = "$by_category")
{
    grpc::ClientContext ctx;
    authenticateAs(&ctx, who);
    const auto projections = ppb::Projections::NewStub(channel);
    using Stub = ppb::Projections::Stub;
    grpc::Status status;
    if (method == QLatin1String("statistics")) {
        ppb::StatisticsReq req;
        req.mutable_options()->mutable_all();
        auto reader = projections->Statistics(&ctx, req);
        ppb::StatisticsResp resp;
        while (reader->Read(&resp)) {
        }
        status = reader->Finish();
    } else if (method == QLatin1String("state")) {
        status = callNamed(*projections, &Stub::State, &ctx, projection);
    } else if (method == QLatin1String("result")) {
        status = callNamed(*projections, &Stub::Result, &ctx, projection);
    } else if (method == QLatin1String("enable")) {
        status = callNamed(*projections, &Stub::Enable, &ctx, projection);
    } else if (method == QLatin1String("disable")) {
        status = callNamed(*projections, &Stub::Disable, &ctx, projection); // authorization does not look at write_checkpoint
    } else if (method == QLatin1String("gossip")) {
        event_store::client::gossip::ClusterInfo info;
        status = event_store::client::gossip::Gossip::NewStub(channel)->Read(&ctx, event_store::client::Empty(), &info);
    } else {
        qFatal("unknown method %s", qPrintable(method));
    }
    return outcomeOf(status, ctx);
}

} // namespace

class TestSandboxSecurity : public QObject
{
    Q_OBJECT

    test::TestCertificates m_certs;
    sandbox::SandboxServer m_server;
    int m_port = 0;
    std::unique_ptr<StreamsClient> m_client; ///< TLS with the test CA, no default user
    // A secure node with the projection subsystem and Gossip (a cluster of one), for the services
    // besides Streams; its projections start stopped.
    sandbox::SandboxServer m_full;
    std::unique_ptr<sandbox::SandboxCluster> m_fullCluster;
    std::shared_ptr<grpc::Channel> m_fullChannel;

    bool projectionRunning(const std::string &name) const
    {
        for (const sandbox::ProjectionStatus &p : const_cast<sandbox::SandboxServer &>(m_full).store().projectionStatuses())
            if (p.name == name)
                return p.running;
        return false;
    }

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

        m_full.store().configureProjections(true, false);
        QVERIFY(m_full.enableSecurity({m_certs.path("server.crt"), m_certs.path("server.key"), {}}).isEmpty());
        m_fullCluster = std::make_unique<sandbox::SandboxCluster>(m_full, 1);
        QString error;
        QVERIFY2(m_fullCluster->start(QStringLiteral("127.0.0.1:0"), &error), qPrintable(error));
        QFile ca(m_certs.path("ca.crt"));
        QVERIFY(ca.open(QIODevice::ReadOnly));
        grpc::SslCredentialsOptions ssl;
        ssl.pem_root_certs = ca.readAll().toStdString();
        m_fullChannel = grpc::CreateChannel("127.0.0.1:" + std::to_string(m_full.port()), grpc::SslCredentials(ssl));
    }

    void cleanupTestCase()
    {
        m_fullCluster.reset(); // stops the node before m_full goes
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

    // As the real server: authentication runs before any service (wrong credentials are
    // UNAUTHENTICATED without an `exception` trailer everywhere), projections need an authenticated
    // caller (access-denied for anonymous), Gossip.Read is open to anonymous callers.
    void otherServicesAuthenticate_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("who");
        QTest::addColumn<int>("code");
        const int ok = int(grpc::StatusCode::OK);
        const int unauthenticated = int(grpc::StatusCode::UNAUTHENTICATED);
        const int denied = int(grpc::StatusCode::PERMISSION_DENIED);
        for (const char *m : {"statistics", "state", "result", "enable", "disable"}) {
            QTest::addRow("%s anonymous", m) << m << "anonymous" << denied;
            QTest::addRow("%s bad password", m) << m << "bad" << unauthenticated;
            QTest::addRow("%s ops", m) << m << "ops" << ok;
            QTest::addRow("%s admin", m) << m << "admin" << ok;
        }
        QTest::addRow("gossip anonymous") << "gossip" << "anonymous" << ok;
        QTest::addRow("gossip bad password") << "gossip" << "bad" << unauthenticated;
        QTest::addRow("gossip ops") << "gossip" << "ops" << ok;
    }

    void otherServicesAuthenticate()
    {
        QFETCH(QString, method);
        QFETCH(QString, who);
        QFETCH(int, code);
        // Enable from stopped, disable from running: a refused call must leave it as it was.
        const bool enable = method == QLatin1String("enable");
        if (enable || method == QLatin1String("disable")) {
            sandbox::WriteError error;
            QVERIFY(m_full.store().setProjectionRunning("$by_category", !enable, &error));
            QVERIFY(!error);
        }
        const Outcome o = callAs(m_fullChannel, method, who);
        QCOMPARE(int(o.code), code);
        if (o.code == grpc::StatusCode::PERMISSION_DENIED) {
            QCOMPARE(o.message, std::string("Access Denied"));
            QCOMPARE(o.exception, std::string("access-denied"));
        }
        if (o.code == grpc::StatusCode::UNAUTHENTICATED) {
            QCOMPARE(o.message, std::string("Unauthenticated"));
            QCOMPARE(o.exception, std::string());
        }
        if (enable || method == QLatin1String("disable"))
            QCOMPARE(projectionRunning("$by_category"), o.code == grpc::StatusCode::OK ? enable : !enable);
    }

    void unknownProjectionIsNotFoundForAnAuthenticatedCaller()
    {
        QCOMPARE(int(callAs(m_fullChannel, QStringLiteral("enable"), QStringLiteral("ops"), "$nope").code),
                 int(grpc::StatusCode::NOT_FOUND));
        // Authorization comes first: an anonymous caller learns nothing about the name.
        QCOMPARE(int(callAs(m_fullChannel, QStringLiteral("enable"), QStringLiteral("anonymous"), "$nope").code),
                 int(grpc::StatusCode::PERMISSION_DENIED));
    }

    void onlyAdminsAndOpsChangeProjections()
    {
        // The sandbox has no users besides admin and ops, so the rule is checked on principals.
        sandbox::Principal admin{false, "admin", {"admin", "$admins"}};
        sandbox::Principal ops{false, "ops", {"ops", "$ops"}};
        sandbox::Principal bob{false, "bob", {"bob", "$readers"}};
        QVERIFY(sandbox::ProjectionsService::mayChange(admin).ok());
        QVERIFY(sandbox::ProjectionsService::mayChange(ops).ok());
        const grpc::Status refused = sandbox::ProjectionsService::mayChange(bob);
        QCOMPARE(int(refused.error_code()), int(grpc::StatusCode::UNKNOWN));
        QVERIFY(QByteArray::fromStdString(refused.error_message()).contains("NotAuthorized"));
    }
};

QTEST_GUILESS_MAIN(TestSandboxSecurity)
#include "tst_sandboxsecurity.moc"
