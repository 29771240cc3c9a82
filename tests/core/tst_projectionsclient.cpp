// ProjectionsClient against the sandbox: every call, its typed errors, and what it reads back.
#include "EventStore.h"
#include "SandboxServer.h"
#include "TestCertificates.h"
#include "UserProjections.h"
#include "client/ProjectionsClient.h"

#include <QJsonObject>
#include <QTest>

using namespace chronoscope;
using chronoscope::test::TestCertificates;

namespace {

const char *kTotals = R"(fromCategory('order').partitionBy(function (e) { return e.body.customer; }).when({
    $init: function () { return { total: 0 }; },
    OrderPlaced: function (s, e) { s.total += e.body.amount; }
}).transformBy(function (s) { return { doubled: s.total * 2 }; }).outputState();)";

sandbox::ProposedEvent placed(const char *customer, int amount)
{
    const std::string data = "{\"customer\":\"" + std::string(customer) + "\",\"amount\":" + std::to_string(amount)
        + "}";
    return sandbox::ProposedEvent{QUuid::createUuid(), "OrderPlaced", true, data, {}, 0};
}

ConnectionSettings settingsFor(int port, const QString &extra = QString())
{
    return ConnectionString::parse(QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false%2").arg(port).arg(extra))
        .settings;
}

} // namespace

class TestProjectionsClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyCall()
    {
        sandbox::SandboxServer server;
        server.store().configureProjections(true, false);
        QString why;
        const int port = server.start(QStringLiteral("127.0.0.1:0"), &why);
        QVERIFY2(port > 0, qPrintable(why));
        auto &store = server.store();
        QVERIFY(!store.append("order-1", sandbox::EventStore::Expected::Any, 0, {placed("ann", 10), placed("bob", 4)})
                     .error);
        QVERIFY(!store.append("order-2", sandbox::EventStore::Expected::Any, 0, {placed("ann", 5)}).error);

        ProjectionsClient client(settingsFor(port));
        QVERIFY(!client.error());
        QVERIFY(!client.createContinuous(QStringLiteral("totals"), QString::fromUtf8(kTotals)).error);
        QCOMPARE(client.createContinuous(QStringLiteral("totals"), QString::fromUtf8(kTotals)).error.kind,
                 ClientError::Kind::AlreadyExists);
        QVERIFY(store.userProjections()->waitIdle(10000));

        ProjectionValueResult s = client.state(QStringLiteral("totals"), QStringLiteral("ann"));
        QVERIFY(!s.error);
        QCOMPARE(s.value.toObject().value(QLatin1String("total")).toDouble(), 15.0);
        s = client.result(QStringLiteral("totals"), QStringLiteral("bob"));
        QVERIFY(!s.error);
        QCOMPARE(s.value.toObject().value(QLatin1String("doubled")).toDouble(), 8.0);
        s = client.state(QStringLiteral("totals"), QStringLiteral("nobody"));
        QVERIFY(!s.error);
        QCOMPARE(s.value, QJsonValue(QJsonObject())); // an empty state is {}
        QCOMPARE(client.state(QStringLiteral("missing")).error.kind, ClientError::Kind::NotFound);
        QCOMPARE(client.result(QStringLiteral("missing")).error.kind, ClientError::Kind::NotFound);

        ProjectionStatusResult st = client.status(QStringLiteral("totals"));
        QVERIFY(!st.error);
        QCOMPARE(st.details.name, QStringLiteral("totals"));
        QCOMPARE(st.details.effectiveName, QStringLiteral("totals"));
        QCOMPARE(st.details.mode, QStringLiteral("Continuous"));
        QCOMPARE(st.details.status, QStringLiteral("Running"));
        QCOMPARE(st.details.eventsProcessedAfterRestart, qint64(3));
        QCOMPARE(st.details.partitionsCached, 2);
        QCOMPARE(st.details.progress, 100.0f);
        QVERIFY(st.details.position.startsWith(QLatin1String("C:")));
        QCOMPARE(client.status(QStringLiteral("missing")).error.kind, ClientError::Kind::NotFound);

        ProjectionListResult all = client.list();
        QVERIFY(!all.error);
        QCOMPARE(all.projections.size(), 6);
        QCOMPARE(client.list(ProjectionsClient::Mode::Continuous).projections.size(), 6);
        QVERIFY(!client.createTransient(QStringLiteral("peek"), QString::fromUtf8(kTotals)).error);
        QVERIFY(!client.createOneTime(QString::fromUtf8(kTotals)).error);
        QVERIFY(store.userProjections()->waitIdle(10000));
        const ProjectionListResult oneTime = client.list(ProjectionsClient::Mode::OneTime);
        QCOMPARE(oneTime.projections.size(), 1);
        QCOMPARE(oneTime.projections.constFirst().status, QStringLiteral("Completed"));
        QCOMPARE(client.state(oneTime.projections.constFirst().name, QStringLiteral("ann"))
                     .value.toObject()
                     .value(QLatin1String("total"))
                     .toDouble(),
                 15.0);
        QCOMPARE(client.list(ProjectionsClient::Mode::Transient).projections.constFirst().name, QStringLiteral("peek"));

        QVERIFY(!client.disable(QStringLiteral("totals")).error);
        QCOMPARE(client.status(QStringLiteral("totals")).details.status, QStringLiteral("Stopped"));
        QVERIFY(!client.enable(QStringLiteral("totals")).error);
        QVERIFY(!client.abort(QStringLiteral("totals")).error);
        QCOMPARE(client.status(QStringLiteral("totals")).details.status, QStringLiteral("Aborted"));
        QVERIFY(!client.reset(QStringLiteral("totals")).error);
        QVERIFY(!client.update(QStringLiteral("totals"), QString::fromUtf8(kTotals), false).error);
        QVERIFY(!client.enable(QStringLiteral("totals")).error);
        QVERIFY(store.userProjections()->waitIdle(10000));
        QCOMPARE(client.state(QStringLiteral("totals"), QStringLiteral("ann"))
                     .value.toObject()
                     .value(QLatin1String("total"))
                     .toDouble(),
                 15.0);
        for (const char *name : {"enable", "disable", "abort", "reset", "update", "remove"}) {
            const QString missing = QStringLiteral("missing");
            ClientError e;
            const QString n = QString::fromLatin1(name);
            if (n == QLatin1String("enable"))
                e = client.enable(missing).error;
            else if (n == QLatin1String("disable"))
                e = client.disable(missing).error;
            else if (n == QLatin1String("abort"))
                e = client.abort(missing).error;
            else if (n == QLatin1String("reset"))
                e = client.reset(missing).error;
            else if (n == QLatin1String("update"))
                e = client.update(missing, QString::fromUtf8(kTotals)).error;
            else
                e = client.remove(missing).error;
            QVERIFY2(e.kind == ClientError::Kind::NotFound, name);
        }
        QVERIFY(client.remove(QStringLiteral("totals")).error); // running: refused
        QVERIFY(!client.disable(QStringLiteral("totals")).error);
        QVERIFY(!client.remove(QStringLiteral("totals"), true, true, true).error);
        QCOMPARE(client.status(QStringLiteral("totals")).error.kind, ClientError::Kind::NotFound);
        server.shutdown();
    }

    void unusableSettings()
    {
        const ProjectionsClient noHost{ConnectionSettings()};
        QCOMPARE(noHost.error().kind, ClientError::Kind::InvalidArgument);
        QCOMPARE(noHost.list().error.kind, ClientError::Kind::InvalidArgument);
        const ProjectionsClient badCa(
            ConnectionString::parse(QStringLiteral("kurrentdb://127.0.0.1:1?tls=true&tlsCAFile=/nonexistent/ca.crt"))
                .settings);
        QVERIFY(badCa.error());
        QVERIFY(badCa.state(QStringLiteral("x")).error);
        const ProjectionsClient nobody(settingsFor(1)); // nothing listens there
        QCOMPARE(nobody.status(QStringLiteral("x")).error.kind, ClientError::Kind::Unavailable);
    }

    void secureServerRefusesAnonymous()
    {
        TestCertificates certs;
        QVERIFY2(certs.ok(), qPrintable(certs.error()));
        sandbox::SandboxServer server;
        server.store().configureProjections(true, false);
        QVERIFY(server.enableSecurity({certs.path("server.crt"), certs.path("server.key"), certs.path("ca.crt")})
                    .isEmpty());
        QString why;
        const int port = server.start(QStringLiteral("127.0.0.1:0"), &why);
        QVERIFY2(port > 0, qPrintable(why));
        const QString tls = QStringLiteral("tls=true&tlsCAFile=") + certs.path("ca.crt");
        ProjectionsClient anonymous(
            ConnectionString::parse(QStringLiteral("kurrentdb://127.0.0.1:%1?%2").arg(port).arg(tls)).settings);
        QCOMPARE(anonymous.createContinuous(QStringLiteral("x"), QString::fromUtf8(kTotals)).error.kind,
                 ClientError::Kind::AccessDenied);
        QCOMPARE(anonymous.list().error.kind, ClientError::Kind::AccessDenied);
        ProjectionsClient admin(
            ConnectionString::parse(QStringLiteral("kurrentdb://admin:changeit@127.0.0.1:%1?%2").arg(port).arg(tls))
                .settings);
        QVERIFY(!admin.createContinuous(QStringLiteral("x"), QString::fromUtf8(kTotals)).error);
        QCOMPARE(admin.status(QStringLiteral("x")).details.mode, QStringLiteral("Continuous"));
        server.shutdown();
    }
};

QTEST_GUILESS_MAIN(TestProjectionsClient)
#include "tst_projectionsclient.moc"
