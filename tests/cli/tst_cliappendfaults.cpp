#include "CliRunner.h"
#include "client/StreamsClient.h"
#include "support/FaultSandbox.h"

#include <QTest>

using namespace chronoscope;
using chronoscope::sandbox::Fault;

/// `chronoscope-cli append` when the answer is lost: the CLI reads the stream back before it says
/// anything, and a script retrying with the printed --event-id never appends twice.
class TestCliAppendFaults : public QObject
{
    Q_OBJECT

private:
    test::FaultSandbox m_box;
    std::unique_ptr<StreamsClient> m_client;
    CliRunner m_cli;

    QString connection() const { return QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(m_box.port); }
    QStringList args(const QByteArray &stream, const QUuid &id) const
    {
        return {QStringLiteral("append"),
                QStringLiteral("--connection"),
                connection(),
                QStringLiteral("--audit-log"),
                m_cli.home() + QStringLiteral("/audit.jsonl"),
                QStringLiteral("--stream"),
                QString::fromUtf8(stream),
                QStringLiteral("--type"),
                QStringLiteral("NoteAdded"),
                QStringLiteral("--data"),
                QStringLiteral(R"({"note":"under a fault"})"),
                QStringLiteral("--expected-revision"),
                QStringLiteral("no_stream"),
                QStringLiteral("--reason"),
                QStringLiteral("fault test"),
                QStringLiteral("--event-id"),
                id.toString(QUuid::WithoutBraces)};
    }
    QList<QUuid> ids(const QByteArray &stream) const
    {
        QList<QUuid> out;
        for (const ResolvedEvent &e : m_client->readAll(ReadRequest::forStream(stream)).events)
            out.append(e.event->id);
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_box.start(&error), qPrintable(error));
        m_client = std::make_unique<StreamsClient>(ConnectionString::parse(connection()).settings);
    }

    /// Written, then the answer dropped: read back, it is there: "already appended", exit 0.
    void commitThenDropIsReadBackAsLanded()
    {
        const QByteArray stream = "cli-fault-landed";
        m_box.plan->at(stream.toStdString(), 1, Fault::commitThenDrop());
        const QUuid id = QUuid::createUuid();
        const auto r = m_cli.run(args(stream, id));
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QVERIFY2(r.out.startsWith(QStringLiteral("Connection lost")), r.describe().constData());
        QVERIFY2(r.out.contains(QStringLiteral("\nAlready appended")), r.describe().constData());
        QCOMPARE(ids(stream), QList<QUuid>{id});
        // The script retries anyway: still once.
        const auto again = m_cli.run(args(stream, id) << QStringLiteral("--json"));
        QVERIFY2(again.exitCode == 0, again.describe().constData());
        QCOMPARE(again.json().value(QLatin1String("outcome")).toString(), QStringLiteral("already-appended"));
        QCOMPARE(ids(stream), QList<QUuid>{id});
    }

    /// Nothing written, the answer lost: read back, it is not there: exit 1 with the id to retry with;
    /// the retry with that id appends it, once.
    void killBeforeCommitIsReadBackAsNotAppended()
    {
        const QByteArray stream = "cli-fault-lost";
        m_box.plan->at(stream.toStdString(), 1, Fault::killBeforeCommit());
        const QUuid id = QUuid::createUuid();
        const auto r = m_cli.run(args(stream, id) << QStringLiteral("--json"));
        QVERIFY2(r.exitCode == 1, r.describe().constData());
        const QJsonObject o = r.json();
        QCOMPARE(o.value(QLatin1String("outcome")).toString(), QStringLiteral("not-appended"));
        QCOMPARE(o.value(QLatin1String("firstAnswer")).toObject().value(QLatin1String("outcome")).toString(),
                 QStringLiteral("connection-lost"));
        QCOMPARE(o.value(QLatin1String("eventId")).toString(), id.toString(QUuid::WithoutBraces));
        QVERIFY(ids(stream).isEmpty());
        const auto retry = m_cli.run(args(stream, id));
        QVERIFY2(retry.exitCode == 0 && retry.out.startsWith(QStringLiteral("Appended")), retry.describe().constData());
        QCOMPARE(ids(stream), QList<QUuid>{id});
    }
};

QTEST_GUILESS_MAIN(TestCliAppendFaults)
#include "tst_cliappendfaults.moc"
