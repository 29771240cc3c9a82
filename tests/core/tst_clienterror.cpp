#include "model/ClientError.h"

#include <QTest>

using namespace chronoscope;
using Trailers = std::multimap<std::string, std::string>;
Q_DECLARE_METATYPE(ClientError::Kind)

class TestClientError : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mapping_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("exception");
        QTest::addColumn<ClientError::Kind>("kind");
        using K = ClientError::Kind;
        QTest::addRow("stream-deleted") << 9 << QStringLiteral("stream-deleted") << K::StreamDeleted;
        QTest::addRow("access-denied") << 7 << QStringLiteral("access-denied") << K::AccessDenied;
        QTest::addRow("not-leader") << 5 << QStringLiteral("not-leader") << K::NotLeader;
        QTest::addRow("max append") << 3 << QStringLiteral("maximum-append-size-exceeded") << K::MaximumAppendSizeExceeded;
        QTest::addRow("missing metadata") << 3 << QStringLiteral("missing-required-metadata-property") << K::MissingRequiredMetadata;
        QTest::addRow("aborted") << 10 << QString() << K::Timeout;
        QTest::addRow("deadline") << 4 << QString() << K::DeadlineExceeded;
        QTest::addRow("unavailable") << 14 << QString() << K::Unavailable;
        QTest::addRow("internal") << 13 << QString() << K::Unavailable;
        QTest::addRow("unauthenticated") << 16 << QString() << K::AccessDenied;
        QTest::addRow("not found") << 5 << QString() << K::NotFound;
        QTest::addRow("cancelled") << 1 << QString() << K::Cancelled;
        QTest::addRow("unimplemented") << 12 << QString() << K::Unimplemented;
        QTest::addRow("out of range") << 11 << QString() << K::Unknown;
    }
    void mapping()
    {
        QFETCH(int, code);
        QFETCH(QString, exception);
        QFETCH(ClientError::Kind, kind);
        Trailers t;
        if (!exception.isEmpty())
            t.emplace("exception", exception.toStdString());
        const ClientError e = ClientError::fromStatus(code, "msg", t);
        QCOMPARE(e.kind, kind);
        QVERIFY(e.isError());
        QVERIFY2(e.message.contains(QLatin1String("msg")), qPrintable(e.message)); // the server's words are kept
    }

    void authenticationFailureSaysSo()
    {
        const ClientError bad = ClientError::fromStatus(16, "Unauthenticated", {});
        QVERIFY(bad.isAuthenticationFailure());
        QVERIFY(bad.message.startsWith(QLatin1String("authentication failed")));
        const ClientError denied = ClientError::fromStatus(7, "Access Denied", {{"exception", "access-denied"}});
        QCOMPARE(denied.kind, ClientError::Kind::AccessDenied);
        QVERIFY(!denied.isAuthenticationFailure());
        QCOMPARE(denied.message, QStringLiteral("Access Denied"));
    }

    void tlsFailures_data()
    {
        QTest::addColumn<QString>("grpcText");
        QTest::addColumn<QString>("explains");
        // What gRPC 1.51 with OpenSSL 3 says (seen against the secure sandbox).
        QTest::addRow("unknown CA") << QStringLiteral("failed to connect to all addresses; last error: UNKNOWN: "
                                                      "ipv4:127.0.0.1:1: Ssl handshake failed: SSL_ERROR_SSL: "
                                                      "error:0A000086:SSL routines::certificate verify failed")
                                    << QStringLiteral("trusted CA");
        QTest::addRow("host name") << QStringLiteral("failed to connect to all addresses; last error: UNKNOWN: "
                                                     "ipv4:127.0.0.1:1: Peer name 127.0.0.1 is not in peer certificate")
                                   << QStringLiteral("host name");
        QTest::addRow("plain server") << QStringLiteral("failed to connect to all addresses; last error: UNKNOWN: "
                                                        "ipv4:127.0.0.1:1: Ssl handshake failed: SSL_ERROR_SSL: "
                                                        "error:0A00010B:SSL routines::wrong version number")
                                      << QStringLiteral("tls=false");
    }
    void tlsFailures()
    {
        QFETCH(QString, grpcText);
        QFETCH(QString, explains);
        const ClientError e = ClientError::fromStatus(14, grpcText.toStdString(), {});
        QCOMPARE(e.kind, ClientError::Kind::TlsFailure);
        QCOMPARE(e.kindName(), QStringLiteral("tls-failure"));
        QVERIFY2(e.message.contains(explains), qPrintable(e.message));
        QVERIFY(e.message.contains(grpcText));
        // A plain connection failure stays Unavailable.
        QCOMPARE(ClientError::fromStatus(14, "failed to connect to all addresses; last error: UNKNOWN: "
                                             "ipv4:127.0.0.1:1: Failed to connect to remote host: Connection refused", {})
                     .kind,
                 ClientError::Kind::Unavailable);
    }

    void okIsNoError()
    {
        QVERIFY(!ClientError::fromStatus(0, "", {}).isError());
    }

    void wrongExpectedVersionTrailers()
    {
        const ClientError e = ClientError::fromStatus(
            9, "wev", {{"exception", "wrong-expected-version"}, {"stream-name", "s"}, {"expected-version", "-1"}, {"actual-version", "4"}});
        QCOMPARE(e.kind, ClientError::Kind::WrongExpectedVersion);
        QVERIFY(e.expected == ExpectedState::noStream());
        QCOMPARE(e.actualRevision.value(), quint64(4));
        QCOMPARE(e.streamName, QByteArray("s"));
        const ClientError n = ClientError::fromStatus(
            9, "wev", {{"exception", "wrong-expected-version"}, {"expected-version", "7"}, {"actual-version", ""}});
        QVERIFY(n.expected == ExpectedState::at(7));
        QVERIFY(!n.actualRevision.has_value());
    }

    void notLeaderEndpoint()
    {
        const ClientError e = ClientError::fromStatus(
            5, "Leader info available",
            {{"exception", "not-leader"}, {"leader-endpoint-host", "10.0.0.2"}, {"leader-endpoint-port", "2113"}});
        QCOMPARE(e.leaderHost, QStringLiteral("10.0.0.2"));
        QCOMPARE(e.leaderPort, 2113);
    }
};

QTEST_GUILESS_MAIN(TestClientError)
#include "tst_clienterror.moc"
