#include "CliRunner.h"
#include "archive/ArchiveReader.h"
#include "client/StreamsClient.h"
#include "report/Ed25519.h"
#include "report/ExaminationReport.h"
#include "report/ReportSignature.h"
#include "session/TimelineSession.h"
#include "support/DemoSandbox.h"
#include "support/ServerArchive.h"

#include <QDateTime>
#include <QFile>
#include <QTest>

using namespace chronoscope;

/// `chronoscope-cli verify-report` as a process: reports made as the window makes them (ExaminationReport,
/// ReportSignature) checked offline and against the real sandbox; every verdict's exit code.
class TestCliVerifyReport : public QObject
{
    Q_OBJECT

private:
    DemoSandbox m_sandbox;
    std::unique_ptr<StreamsClient> m_client;
    CliRunner m_cli;
    Ed25519::KeyPair m_key, m_otherKey;
    QList<RecordedEvent> m_events; ///< of m_stream, as the timeline reads them
    const QByteArray m_stream = "$all";

    /// An archive of `stream` written from the sandbox as the window's Export ▸ Archive writes one.
    QString archiveOf(const QByteArray &stream, const QString &name) const
    {
        const QString path = m_cli.home() + QLatin1Char('/') + name;
        return archiveFromServer(std::make_shared<const StreamsClient>(m_sandbox.settings()), stream, path, 500,
                                 m_sandbox.connectionString())
                   .isEmpty()
            ? path
            : QString();
    }
    QStringList againstArchive(const QString &report, const QString &archive) const
    {
        return {QStringLiteral("verify-report"), report, QStringLiteral("--archive"), archive,
                QStringLiteral("--json")};
    }

    /// A report over `events` (as the window digests them), signed with `key` unless it is empty.
    QString report(const QString &name, const QList<RecordedEvent> &events, const QByteArray &key,
                   const QByteArray &stream = "$all") const
    {
        ExaminationReport::Examined x;
        x.connection = m_sandbox.connectionString();
        x.stream = stream;
        x.reducer = QStringLiteral("merge");
        QJsonObject r = ExaminationReport::toJson(x, ExaminationReport::digest(events),
                                                  QDateTime::currentDateTimeUtc());
        if (!key.isEmpty())
            r = ReportSignature::sign(r, key);
        const QString path = m_cli.home() + QLatin1Char('/') + name;
        ExaminationReport::write(path, r);
        return path;
    }
    QString pem(const QString &name, const QByteArray &publicKey) const
    {
        const QString path = m_cli.home() + QLatin1Char('/') + name;
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write(Ed25519::publicKeyToPem(publicKey));
        return path;
    }
    QStringList verify(const QString &path, bool connect = true) const
    {
        QStringList a{QStringLiteral("verify-report"), path};
        if (connect)
            a << QStringLiteral("--connect") << m_sandbox.connectionString();
        return a;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_sandbox.start(3000), qPrintable(m_sandbox.error()));
        m_client = std::make_unique<StreamsClient>(m_sandbox.settings());
        for (const ResolvedEvent &e : m_client->readAll(TimelineSession::requestFor(m_stream)).events)
            m_events.append(e.originalEvent());
        QCOMPARE(m_events.size(), 3000);
        const auto a = Ed25519::generate(), b = Ed25519::generate();
        QVERIFY(a && b);
        m_key = *a;
        m_otherKey = *b;
    }

    void signedAndUnchangedIsVerified()
    {
        const QString path = report(QStringLiteral("good.json"), m_events, m_key.privateKey);
        const auto r = m_cli.run(verify(path) << QStringLiteral("--json"));
        QVERIFY2(r.finished && r.exitCode == 0, r.describe().constData());
        const QJsonObject o = r.json();
        QCOMPARE(o.value(QLatin1String("outcome")).toString(), QStringLiteral("verified"));
        QCOMPARE(o.value(QLatin1String("exitCode")).toInt(), 0);
        QCOMPARE(o.value(QLatin1String("stream")).toString(), QStringLiteral("$all"));
        QCOMPARE(o.value(QLatin1String("count")).toString(), QStringLiteral("3000"));
        QCOMPARE(o.value(QLatin1String("signature")).toObject().value(QLatin1String("status")).toString(),
                 QStringLiteral("valid"));
        QCOMPARE(o.value(QLatin1String("signature")).toObject().value(QLatin1String("fingerprint")).toString(),
                 Ed25519::fingerprint(m_key.publicKey));
        QCOMPARE(o.value(QLatin1String("events")).toObject().value(QLatin1String("unchanged")).toBool(), true);
        // Text, with the signer's key.
        const auto t = m_cli.run(verify(path)
                                 << QStringLiteral("--key") << pem(QStringLiteral("signer.pem"), m_key.publicKey));
        QVERIFY2(t.exitCode == 0 && t.out.contains(QLatin1String(": verified: ")), t.describe().constData());
        // Offline: the signature only, and it says the events were not read.
        const auto offline = m_cli.run(verify(path, false) << QStringLiteral("--json"));
        QVERIFY2(offline.exitCode == 0, offline.describe().constData());
        QCOMPARE(offline.json().value(QLatin1String("outcome")).toString(), QStringLiteral("signature-only"));
        QVERIFY(!offline.json().contains(QLatin1String("events")));
    }

    void unsignedReports()
    {
        const QString path = report(QStringLiteral("unsigned.json"), m_events, {});
        const auto online = m_cli.run(verify(path) << QStringLiteral("--json"));
        QVERIFY2(online.exitCode == 0, online.describe().constData());
        QCOMPARE(online.json().value(QLatin1String("signature")).toObject().value(QLatin1String("status")).toString(),
                 QStringLiteral("unsigned"));
        // Offline nothing can be verified: an error, not a verdict.
        const auto offline = m_cli.run(verify(path, false));
        QVERIFY2(offline.exitCode == 1 && offline.err.contains(QLatin1String("is not signed")),
                 offline.describe().constData());
        // Asked for a signer: it is not signed by it.
        const auto keyed = m_cli.run(verify(path)
                                     << QStringLiteral("--key") << pem(QStringLiteral("k.pem"), m_key.publicKey));
        QVERIFY2(keyed.exitCode == 2, keyed.describe().constData());
    }

    void mismatchesExitTwo()
    {
        // Another signer than the one expected.
        const QString good = report(QStringLiteral("good2.json"), m_events, m_key.privateKey);
        const auto wrongKey = m_cli.run(verify(good, false) << QStringLiteral("--key")
                                                            << pem(QStringLiteral("other.pem"), m_otherKey.publicKey)
                                                            << QStringLiteral("--json"));
        QVERIFY2(wrongKey.exitCode == 2, wrongKey.describe().constData());
        QCOMPARE(wrongKey.json().value(QLatin1String("outcome")).toString(), QStringLiteral("mismatch"));
        QCOMPARE(wrongKey.json().value(QLatin1String("signature")).toObject().value(QLatin1String("status")).toString(),
                 QStringLiteral("wrong-key"));
        // Altered after signing.
        QFile f(good);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QJsonObject altered = QJsonDocument::fromJson(f.readAll()).object();
        f.close();
        altered.insert(QStringLiteral("note"), QStringLiteral("nothing to see here"));
        const QString tampered = m_cli.home() + QStringLiteral("/tampered.json");
        QFile t(tampered);
        QVERIFY(t.open(QIODevice::WriteOnly));
        t.write(QJsonDocument(altered).toJson());
        t.close();
        const auto invalid = m_cli.run(verify(tampered) << QStringLiteral("--json"));
        QVERIFY2(invalid.exitCode == 2, invalid.describe().constData());
        QCOMPARE(invalid.json().value(QLatin1String("signature")).toObject().value(QLatin1String("status")).toString(),
                 QStringLiteral("invalid"));
        // Events that are no longer what was examined: the block where they differ.
        QList<RecordedEvent> changed = m_events;
        changed[2500].data = R"({"changed":true})";
        const QString history = report(QStringLiteral("history.json"), changed, m_key.privateKey);
        const auto differs = m_cli.run(verify(history) << QStringLiteral("--json"));
        QVERIFY2(differs.exitCode == 2, differs.describe().constData());
        const QJsonObject events = differs.json().value(QLatin1String("events")).toObject();
        QCOMPARE(events.value(QLatin1String("unchanged")).toBool(), false);
        QCOMPARE(events.value(QLatin1String("firstDifferentBlock")).toInt(), 2);
        const auto text = m_cli.run(verify(history));
        QVERIFY2(text.exitCode == 2 && text.out.contains(QLatin1String("does not match")), text.describe().constData());
    }

    void againstAnArchive()
    {
        const QString all = archiveOf(m_stream, QStringLiteral("all.chronarc"));
        const QByteArray order = m_events.at(10).streamId;
        const QString one = archiveOf(order, QStringLiteral("one.chronarc"));
        QVERIFY(!all.isEmpty() && !one.isEmpty());
        QList<RecordedEvent> orderEvents;
        for (const RecordedEvent &e : std::as_const(m_events))
            if (e.streamId == order)
                orderEvents.append(e);
        QVERIFY(orderEvents.size() >= 2);

        // Made online, verified offline: $all against $all, a stream against its archive and against $all's.
        const QString good = report(QStringLiteral("archived.json"), m_events, m_key.privateKey);
        const auto r = m_cli.run(againstArchive(good, all));
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QCOMPARE(r.json().value(QLatin1String("outcome")).toString(), QStringLiteral("verified"));
        QCOMPARE(r.json().value(QLatin1String("events")).toObject().value(QLatin1String("unchanged")).toBool(), true);
        QCOMPARE(r.json().value(QLatin1String("archive")).toObject().value(QLatin1String("intact")).toBool(), true);
        const QString stream = report(QStringLiteral("stream.json"), orderEvents, {}, order);
        for (const QString &archive : {one, all}) {
            const auto s = m_cli.run(againstArchive(stream, archive));
            QVERIFY2(s.exitCode == 0, s.describe().constData()); // unsigned, yet checked: the archive is at hand
            QCOMPARE(s.json().value(QLatin1String("count")).toString(), QString::number(orderEvents.size()));
        }
        const auto text = m_cli.run({QStringLiteral("verify-report"), stream, QStringLiteral("--archive"), one});
        QVERIFY2(text.exitCode == 0 && text.out.contains(QLatin1String("verified against the archive")),
                 text.describe().constData());

        // Another stream than the archive's: 2, and what differs is named.
        const auto other = m_cli.run(againstArchive(good, one));
        QVERIFY2(other.exitCode == 2, other.describe().constData());
        const QJsonObject differs = other.json().value(QLatin1String("differs")).toObject();
        QCOMPARE(differs.value(QLatin1String("item")).toString(), QStringLiteral("stream"));
        QCOMPARE(differs.value(QLatin1String("report")).toString(), QStringLiteral("$all"));
        QCOMPARE(differs.value(QLatin1String("archive")).toString(), QString::fromUtf8(order));
        const auto otherText = m_cli.run({QStringLiteral("verify-report"), good, QStringLiteral("--archive"), one});
        QVERIFY2(
            otherText.exitCode == 2
                && otherText.out.contains(
                    QStringLiteral("the report examined $all, the archive holds %1").arg(QString::fromUtf8(order))),
            otherText.describe().constData());
        // The events differ from the archive's: the block.
        QList<RecordedEvent> changed = m_events;
        changed[1500].data = R"({"changed":true})";
        const auto history = m_cli.run(againstArchive(report(QStringLiteral("h.json"), changed, {}), all));
        QVERIFY2(history.exitCode == 2, history.describe().constData());
        QCOMPARE(history.json()
                     .value(QLatin1String("events"))
                     .toObject()
                     .value(QLatin1String("firstDifferentBlock"))
                     .toInt(),
                 1);

        // An archive of a selection only: the mismatch says so.
        const QString typed = m_cli.home() + QStringLiteral("/typed.chronarc");
        const auto created = m_cli.run({QStringLiteral("archive"), QStringLiteral("create"),
                                        QStringLiteral("--connect"), m_sandbox.connectionString(),
                                        QStringLiteral("--stream"), QStringLiteral("$all"), QStringLiteral("--type"),
                                        QStringLiteral("OrderPlaced"), QStringLiteral("--output"), typed});
        QVERIFY2(created.exitCode == 0, created.describe().constData());
        const auto partial = m_cli.run({QStringLiteral("verify-report"), good, QStringLiteral("--archive"), typed});
        QVERIFY2(partial.exitCode == 2
                     && partial.out.contains(QLatin1String("(the archive holds types OrderPlaced only)")),
                 partial.describe().constData());

        // Errors: with a connection, a missing archive, one damaged before the report's events end.
        const auto both = m_cli.run(againstArchive(good, all)
                                    << QStringLiteral("--connect") << m_sandbox.connectionString());
        QVERIFY2(both.exitCode == 1 && both.err.contains(QLatin1String("leave out the connection")),
                 both.describe().constData());
        const auto missing = m_cli.run(againstArchive(good, all + QStringLiteral(".none")));
        QVERIFY2(missing.exitCode == 1, missing.describe().constData());
        archive::ArchiveReader reader;
        QVERIFY(reader.open(all));
        QFile f(all);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray bytes = f.readAll();
        const qsizetype at = qsizetype(reader.eventChunks().at(3).payloadOffset + 10);
        bytes[at] = char(bytes.at(at) ^ 1);
        QVERIFY(f.seek(0) && f.write(bytes) == bytes.size());
        f.close();
        const auto damaged = m_cli.run(againstArchive(good, all));
        QVERIFY2(damaged.exitCode == 1 && damaged.err.contains(QLatin1String("cannot all be read")),
                 damaged.describe().constData());
    }

    void errorsExitOne()
    {
        const auto missing = m_cli.run(verify(QStringLiteral("/nonexistent.report.json")) << QStringLiteral("--json"));
        QVERIFY2(missing.exitCode == 1 && missing.err.contains(QLatin1String("not a readable JSON report")),
                 missing.describe().constData());
        QCOMPARE(missing.json().value(QLatin1String("outcome")).toString(), QStringLiteral("error"));
        const QString good = report(QStringLiteral("good3.json"), m_events, m_key.privateKey);
        const auto badKey = m_cli.run(verify(good) << QStringLiteral("--key") << good);
        QVERIFY2(badKey.exitCode == 1 && badKey.err.contains(QLatin1String("is not a usable public key")),
                 badKey.describe().constData());
        const auto none = m_cli.run({QStringLiteral("verify-report")});
        QVERIFY2(none.exitCode == 1 && none.err.contains(QLatin1String("no report")), none.describe().constData());
        const auto unreachable = m_cli.run({QStringLiteral("verify-report"), good, QStringLiteral("--connect"),
                                            QStringLiteral("esdb://127.0.0.1:1?tls=false")},
                                           {}, 60000);
        QVERIFY2(unreachable.finished && unreachable.exitCode == 1
                     && unreachable.err.contains(QLatin1String("cannot read $all")),
                 unreachable.describe().constData());
    }
};

QTEST_GUILESS_MAIN(TestCliVerifyReport)
#include "tst_cliverifyreport.moc"
