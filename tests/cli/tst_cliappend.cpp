#include "CliRunner.h"
#include "client/StreamsClient.h"
#include "connection/ConnectionProfiles.h"
#include "correct/AuditLog.h"
#include "demo/DemoHistory.h"
#include "support/DemoSandbox.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QSettings>
#include <QTest>

using namespace chronoscope;

namespace {

QJsonObject object(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

QString uuidText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

} // namespace

/// `chronoscope-cli append` against the real sandbox, run as a process: what it appends (read back from
/// the server, with its metadata), its exit codes for every outcome, its dry run, its JSON.
class TestCliAppend : public QObject
{
    Q_OBJECT

private:
    DemoSandbox m_sandbox;
    std::unique_ptr<StreamsClient> m_client;
    CliRunner m_cli;
    QString m_auditLog;
    QByteArray m_paymentStream; ///< the demo's first double charge
    RecordedEvent m_duplicate;  ///< its second PaymentProcessed
    const QString m_reducer = QStringLiteral(CHRONOSCOPE_SOURCE_DIR "/resources/reducers/demo-orders.reducer.json");

    QStringList base() const
    {
        return {QStringLiteral("append"), QStringLiteral("--connection"), m_sandbox.connectionString(),
                QStringLiteral("--audit-log"), m_auditLog};
    }
    QList<RecordedEvent> events(const QByteArray &stream) const
    {
        const ReadResult r = m_client->readAll(ReadRequest::forStream(stream));
        QList<RecordedEvent> out;
        for (const ResolvedEvent &e : r.events)
            out.append(*e.event);
        return out;
    }
    static QByteArray freshStream(const char *prefix)
    {
        return QByteArray(prefix) + '-' + QUuid::createUuid().toString(QUuid::Id128).left(12).toUtf8();
    }
    /// A refund of the duplicate charge: `amount` in minor units.
    QStringList refund(qint64 amount) const
    {
        const QJsonObject charged = object(m_duplicate.data);
        QJsonObject data{{QStringLiteral("paymentId"), charged.value(QLatin1String("paymentId"))},
                         {QStringLiteral("orderId"), charged.value(QLatin1String("orderId"))},
                         {QStringLiteral("amount"), amount},
                         {QStringLiteral("currency"), charged.value(QLatin1String("currency"))},
                         {QStringLiteral("reason"), QStringLiteral("duplicate charge")}};
        return base() << QStringLiteral("--stream") << QString::fromUtf8(m_paymentStream) << QStringLiteral("--type")
                      << QStringLiteral("PaymentRefunded") << QStringLiteral("--data")
                      << QString::fromUtf8(QJsonDocument(data).toJson(QJsonDocument::Compact))
                      << QStringLiteral("--reducer") << m_reducer;
    }
    qint64 charged() const { return object(m_duplicate.data).value(QLatin1String("amount")).toInteger(); }
    QString head(const QByteArray &stream) const { return QString::number(events(stream).size() - 1); }
    qint64 auditSize() const { return QFileInfo(m_auditLog).size(); }

private Q_SLOTS:
    void initTestCase()
    {
        DemoHistory::Options options;
        options.eventCount = 8000;
        QVERIFY2(m_sandbox.start(options.eventCount), qPrintable(m_sandbox.error()));
        m_client = std::make_unique<StreamsClient>(m_sandbox.settings());
        m_auditLog = m_cli.home() + QStringLiteral("/audit.jsonl");
        const auto incident = DemoHistory(options).firstDoubleCharge();
        QVERIFY(incident);
        m_paymentStream = incident->paymentStream;
        const QList<RecordedEvent> payment = events(m_paymentStream);
        QVERIFY(payment.size() > int(incident->duplicateRevision));
        m_duplicate = payment.at(int(incident->duplicateRevision));
        QCOMPARE(m_duplicate.type, QByteArray("PaymentProcessed"));
    }

    void appendsAndReadsBack()
    {
        const QByteArray stream = freshStream("cli-note");
        const auto r = m_cli.run(base() << QStringLiteral("--stream") << QString::fromUtf8(stream)
                                        << QStringLiteral("--type") << QStringLiteral("NoteAdded")
                                        << QStringLiteral("--data") << QStringLiteral(R"({"note":"hello","n":1})")
                                        << QStringLiteral("--metadata") << QStringLiteral(R"({"ticket":"SUP-1"})")
                                        << QStringLiteral("--expected-revision") << QStringLiteral("no_stream")
                                        << QStringLiteral("--reason") << QStringLiteral("support ticket SUP-1"));
        QVERIFY2(r.finished && r.exitCode == 0, r.describe().constData());
        QVERIFY2(r.out.startsWith(QStringLiteral("Appended: NoteAdded to ") + QString::fromUtf8(stream)),
                 r.describe().constData());
        const QList<RecordedEvent> got = events(stream);
        QCOMPARE(got.size(), 1);
        const RecordedEvent &e = got.first();
        QCOMPARE(e.type, QByteArray("NoteAdded"));
        QCOMPARE(object(e.data), object(R"({"note":"hello","n":1})"));
        QVERIFY2(r.out.contains(QStringLiteral("Event id ") + uuidText(e.id)),
                 r.describe().constData()); // the id to retry with
        const QJsonObject meta = object(e.metadata);
        QCOMPARE(meta.value(QLatin1String("ticket")).toString(), QStringLiteral("SUP-1"));
        QCOMPARE(meta.value(QLatin1String("reason")).toString(), QStringLiteral("support ticket SUP-1"));
        QCOMPARE(meta.value(QLatin1String("tool")).toString(), QStringLiteral("chronoscope-cli"));
        QVERIFY2(!meta.value(QLatin1String("operator")).toObject().value(QLatin1String("osUser")).toString().isEmpty(),
                 e.metadata.constData());
        // The audit log tells it: an attempt and its outcome, chained and whole.
        const AuditVerification v = AuditLog(m_auditLog).verify();
        QVERIFY2(v.ok(), qPrintable(v.toString()));
        QVERIFY(v.records >= 2);
        QByteArray content;
        QVERIFY(AuditLog(m_auditLog).readContent(&content).isEmpty());
        QVERIFY(content.contains(uuidText(e.id).toUtf8()));
    }

    void dataFromStdin()
    {
        const QByteArray stream = freshStream("cli-stdin");
        QStringList connect = base();
        connect[1] = QStringLiteral("--connect"); // issue 15's spelling: a string or a profile name
        const auto r = m_cli.run(connect << QStringLiteral("--stream") << QString::fromUtf8(stream)
                                         << QStringLiteral("--type") << QStringLiteral("NoteAdded")
                                         << QStringLiteral("--data") << QStringLiteral("-")
                                         << QStringLiteral("--expected-revision") << QStringLiteral("no_stream")
                                         << QStringLiteral("--reason") << QStringLiteral("from a pipe"),
                                 QByteArray("{\n  \"note\": \"piped\"\n}\n"));
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QCOMPARE(object(events(stream).value(0).data).value(QLatin1String("note")).toString(), QStringLiteral("piped"));
    }

    void dataAndMetadataFromFiles()
    {
        const QByteArray stream = freshStream("cli-files");
        const QString data = m_cli.home() + QStringLiteral("/data.json");
        const QString metadata = m_cli.home() + QStringLiteral("/metadata.json");
        for (const auto &[path, text] : {std::pair{data, QByteArray("{\"note\": \"from a file\"}")},
                                         std::pair{metadata, QByteArray("{\"ticket\": \"SUP-2\"}")}}) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly) && f.write(text) == text.size());
        }
        const auto r = m_cli.run(base() << QStringLiteral("--stream") << QString::fromUtf8(stream)
                                        << QStringLiteral("--type") << QStringLiteral("NoteAdded")
                                        << QStringLiteral("--data") << data << QStringLiteral("--metadata") << metadata
                                        << QStringLiteral("--expected-revision") << QStringLiteral("no_stream")
                                        << QStringLiteral("--reason") << QStringLiteral("from files"));
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        const RecordedEvent e = events(stream).value(0);
        QCOMPARE(object(e.data).value(QLatin1String("note")).toString(), QStringLiteral("from a file"));
        QCOMPARE(object(e.metadata).value(QLatin1String("ticket")).toString(), QStringLiteral("SUP-2"));
        // Custom metadata may not set what Chronoscope sets: refused by validation, at the field.
        const auto reserved = m_cli.run(
            base() << QStringLiteral("--stream") << QString::fromUtf8(stream) << QStringLiteral("--type")
                   << QStringLiteral("NoteAdded") << QStringLiteral("--data") << data << QStringLiteral("--metadata")
                   << QStringLiteral(R"({"$causationId":"x"})") << QStringLiteral("--expected-revision")
                   << QStringLiteral("0") << QStringLiteral("--reason") << QStringLiteral("reserved key"));
        QVERIFY2(reserved.exitCode == 3
                     && reserved.out.contains(QStringLiteral("metadata: \"$causationId\" is set automatically")),
                 reserved.describe().constData());
    }

    /// A script retries with the id the first run printed: the second run is answered "already
    /// appended" (exit 0) and the stream still holds the event once.
    void retryWithTheSameEventIdIsAlreadyAppended()
    {
        const QByteArray stream = freshStream("cli-retry");
        const QUuid id = QUuid::createUuid();
        const QStringList args = base() << QStringLiteral("--stream") << QString::fromUtf8(stream)
                                        << QStringLiteral("--type") << QStringLiteral("NoteAdded")
                                        << QStringLiteral("--data") << QStringLiteral(R"({"note":"once"})")
                                        << QStringLiteral("--expected-revision") << QStringLiteral("no_stream")
                                        << QStringLiteral("--reason") << QStringLiteral("retry test")
                                        << QStringLiteral("--event-id") << uuidText(id);
        const auto first = m_cli.run(args);
        QVERIFY2(first.exitCode == 0 && first.out.startsWith(QStringLiteral("Appended")), first.describe().constData());
        for (int i = 0; i < 2; ++i) {
            const auto again = m_cli.run(i == 0 ? args : QStringList(args) << QStringLiteral("--json"));
            QVERIFY2(again.exitCode == 0, again.describe().constData());
            if (i == 0)
                QVERIFY2(again.out.startsWith(QStringLiteral("Already appended")), again.describe().constData());
            else
                QCOMPARE(again.json().value(QLatin1String("eventId")).toString(), uuidText(id));
        }
        const QList<RecordedEvent> got = events(stream);
        QCOMPARE(got.size(), 1);
        QCOMPARE(got.first().id, id);
        const AuditVerification v = AuditLog(m_auditLog).verify();
        QVERIFY2(v.ok(), qPrintable(v.toString()));
    }

    /// Someone appended since the revision given: refused as a conflict (exit 3), the new event named.
    void conflictIsRefused()
    {
        const QByteArray stream = freshStream("cli-conflict");
        const AppendResult other = m_client->append(stream, ExpectedState::noStream(),
                                                    {EventData::json("NoteAdded", R"({"note":"someone else"})")});
        QVERIFY(other.error.kind == ClientError::Kind::None);
        const QStringList args = base() << QStringLiteral("--stream") << QString::fromUtf8(stream)
                                        << QStringLiteral("--type") << QStringLiteral("NoteAdded")
                                        << QStringLiteral("--data") << QStringLiteral(R"({"note":"mine"})")
                                        << QStringLiteral("--expected-revision") << QStringLiteral("no_stream")
                                        << QStringLiteral("--reason") << QStringLiteral("conflict test");
        const auto r = m_cli.run(args);
        QVERIFY2(r.exitCode == 3, r.describe().constData());
        QVERIFY2(r.out.startsWith(QStringLiteral("Conflict")), r.describe().constData());
        // A retry with an id of its own that never landed is the same conflict, never an append.
        const auto retry = m_cli.run(QStringList(args) << QStringLiteral("--event-id") << uuidText(QUuid::createUuid())
                                                       << QStringLiteral("--json"));
        QVERIFY2(retry.exitCode == 3, retry.describe().constData());
        QCOMPARE(retry.json().value(QLatin1String("exitCode")).toInt(), 3);
        QCOMPARE(events(stream).size(), 1);
    }

    /// --dry-run prints the validation and the state diff, appends nothing and logs nothing.
    void dryRunPrintsTheDiffAndAppendsNothing()
    {
        const int before = int(events(m_paymentStream).size());
        const qint64 audit = auditSize();
        const auto r = m_cli.run(refund(charged()) << QStringLiteral("--dry-run"));
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QVERIFY2(r.out.contains(QStringLiteral("Validation: OK")), r.describe().constData());
        QVERIFY2(r.out.contains(QStringLiteral("Schema: the reducer file's")), r.describe().constData());
        QVERIFY2(r.out.contains(QStringLiteral("Invariants checked: 2")), r.describe().constData());
        QVERIFY2(r.out.contains(QStringLiteral("State change:")) && r.out.contains(QStringLiteral("/refunded")),
                 r.describe().constData());
        QVERIFY2(r.out.contains(QStringLiteral("Nothing was appended")), r.describe().constData());

        const auto j = m_cli.run(refund(charged()) << QStringLiteral("--dry-run") << QStringLiteral("--json"));
        QVERIFY2(j.exitCode == 0, j.describe().constData());
        const QJsonObject o = j.json();
        QCOMPARE(o.value(QLatin1String("outcome")).toString(), QStringLiteral("dry-run"));
        QCOMPARE(o.value(QLatin1String("canAppend")).toBool(), true);
        QCOMPARE(o.value(QLatin1String("expectedRevision")).toInteger(), qint64(before - 1));
        const QJsonArray diff = o.value(QLatin1String("diff")).toArray();
        QVERIFY2(!diff.isEmpty(), j.describe().constData());
        QVERIFY2(j.out.contains(QStringLiteral("refunded")), j.describe().constData());

        // A dry run pinned to a revision the stream has left says an append would conflict: exit 3.
        const auto stale = m_cli.run(refund(charged()) << QStringLiteral("--dry-run")
                                                       << QStringLiteral("--expected-revision") << QStringLiteral("0"));
        QVERIFY2(stale.exitCode == 3 && stale.out.contains(QStringLiteral("would be refused")),
                 stale.describe().constData());

        QCOMPARE(int(events(m_paymentStream).size()), before);
        QCOMPARE(auditSize(), audit);
    }

    void validationFailuresAreRefused_data()
    {
        QTest::addColumn<QString>("data");
        QTest::addColumn<QString>("message");
        QTest::newRow("syntax") << QStringLiteral("{\"amount\": }") << QStringLiteral("line 1, column");
        QTest::newRow("schema") << QStringLiteral("amount:-5") << QStringLiteral("/amount");
        QTest::newRow("invariant") << QStringLiteral("amount:x3")
                                   << QStringLiteral("refunds never exceed what was paid");
    }
    void validationFailuresAreRefused()
    {
        QFETCH(QString, data);
        QFETCH(QString, message);
        QStringList args;
        if (data == QLatin1String("amount:-5")) {
            args = refund(-5);
        } else if (data == QLatin1String("amount:x3")) {
            args = refund(3 * charged()); // two charges were paid: three times is more
        } else {
            args = refund(1);
            args[args.indexOf(QStringLiteral("--data")) + 1] = data;
        }
        const QString revision = head(m_paymentStream);
        const qint64 audit = auditSize();
        const auto r = m_cli.run(QStringList(args) << QStringLiteral("--expected-revision") << revision
                                                   << QStringLiteral("--reason") << QStringLiteral("refund test"));
        QVERIFY2(r.exitCode == 3, r.describe().constData());
        QVERIFY2(r.out.contains(message), r.describe().constData());
        const auto j = m_cli.run(QStringList(args)
                                 << QStringLiteral("--expected-revision") << revision << QStringLiteral("--reason")
                                 << QStringLiteral("refund test") << QStringLiteral("--json"));
        QVERIFY2(j.exitCode == 3, j.describe().constData());
        const QJsonObject o = j.json();
        QCOMPARE(o.value(QLatin1String("exitCode")).toInt(), 3);
        const QJsonArray issues =
            o.value(QLatin1String("validation")).toObject().value(QLatin1String("issues")).toArray();
        QVERIFY2(!issues.isEmpty() && j.out.contains(message), j.describe().constData());
        QCOMPARE(head(m_paymentStream), revision);
        QCOMPARE(auditSize(), audit); // refused before any attempt
    }

    /// The natural correction: refund the duplicate charge, corrected event named. It lands with
    /// $causationId and the kept $correlationId, and --json gives one object.
    void refundOfTheDuplicateCharge()
    {
        const QString revision = head(m_paymentStream);
        const auto r = m_cli.run(refund(charged())
                                 << QStringLiteral("--expected-revision") << revision << QStringLiteral("--reason")
                                 << QStringLiteral("duplicate charge, day 60") << QStringLiteral("--corrects")
                                 << uuidText(m_duplicate.id) << QStringLiteral("--json"));
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        const QJsonObject o = r.json();
        QVERIFY2(!o.isEmpty(), r.describe().constData());
        QCOMPARE(o.value(QLatin1String("exitCode")).toInt(), 0);
        const QList<RecordedEvent> after = events(m_paymentStream);
        QCOMPARE(QString::number(after.size() - 2), revision);
        const RecordedEvent &e = after.last();
        QCOMPARE(uuidText(e.id), o.value(QLatin1String("eventId")).toString());
        QCOMPARE(e.type, QByteArray("PaymentRefunded"));
        const QJsonObject meta = object(e.metadata);
        QCOMPARE(meta.value(QLatin1String("$causationId")).toString(), uuidText(m_duplicate.id));
        QCOMPARE(meta.value(QLatin1String("$correlationId")).toString(),
                 object(m_duplicate.metadata).value(QLatin1String("$correlationId")).toString());
        QCOMPARE(meta.value(QLatin1String("reason")).toString(), QStringLiteral("duplicate charge, day 60"));
    }

    /// The reducer file's template on the duplicate charge: "Refund this payment" fills in the refund. After
    /// the refund above, a second one (both charges refunded) passes; a third breaks the invariant.
    void templateRefundsTheDuplicateCharge()
    {
        auto args = [this]() {
            return base() << QStringLiteral("--stream") << QString::fromUtf8(m_paymentStream)
                          << QStringLiteral("--reducer") << m_reducer << QStringLiteral("--template")
                          << QStringLiteral("Refund this payment") << QStringLiteral("--corrects")
                          << uuidText(m_duplicate.id) << QStringLiteral("--reason")
                          << QStringLiteral("duplicate charge, day 60") << QStringLiteral("--expected-revision")
                          << head(m_paymentStream);
        };
        // Without the event it is made from, the template is not offered.
        QStringList noSource = args();
        noSource.remove(noSource.indexOf(QStringLiteral("--corrects")), 2);
        const auto refused = m_cli.run(noSource);
        QVERIFY2(refused.exitCode == 1 && refused.err.contains(QStringLiteral("made from a PaymentProcessed event")),
                 refused.describe().constData());
        const auto unknown = m_cli.run(QStringList(args()).replaceInStrings(QStringLiteral("Refund this payment"),
                                                                            QStringLiteral("Refund it all")));
        QVERIFY2(unknown.exitCode == 1 && unknown.err.contains(QStringLiteral("offered here: \"Refund this payment\"")),
                 unknown.describe().constData());

        const auto second = m_cli.run(args());
        QVERIFY2(second.exitCode == 0, second.describe().constData());
        const RecordedEvent e = events(m_paymentStream).last();
        QCOMPARE(e.type, QByteArray("PaymentRefunded"));
        const QJsonObject charged = object(m_duplicate.data);
        const QJsonObject refund = object(e.data);
        for (const char *key : {"paymentId", "orderId", "amount", "currency"})
            QCOMPARE(refund.value(QLatin1String(key)), charged.value(QLatin1String(key)));
        QCOMPARE(refund.value(QLatin1String("reason")).toString(), QStringLiteral("duplicate charge"));
        QCOMPARE(object(e.metadata).value(QLatin1String("$causationId")).toString(), uuidText(m_duplicate.id));

        // The corrected event named by its revision in the stream instead of its id.
        const auto third = m_cli.run(QStringList(args()).replaceInStrings(
            uuidText(m_duplicate.id), QLatin1Char('@') + QString::number(m_duplicate.revision)));
        QVERIFY2(third.exitCode == 3 && third.out.contains(QStringLiteral("refunds never exceed what was paid")),
                 third.describe().constData());
        QCOMPARE(events(m_paymentStream).last().id, e.id);
    }

    /// Profiles: a read-only one cannot append; a production one needs its name typed.
    void profilesGuardWrites()
    {
        {
            QSettings settings(m_cli.settingsFile(), QSettings::IniFormat);
            ConnectionProfiles profiles(&settings);
            ConnectionProfile ro{
                QStringLiteral("ro"), m_sandbox.connectionString(), {}, QStringLiteral("#3b82f6"), false, true, {}};
            ConnectionProfile prod{
                QStringLiteral("prod"), m_sandbox.connectionString(), {}, QStringLiteral("#ef4444"), true, false, {}};
            QVERIFY(profiles.save(ro).isEmpty());
            QVERIFY(profiles.save(prod).isEmpty());
            settings.sync();
        }
        const QByteArray stream = freshStream("cli-guard");
        auto args = [&](const QString &profile) {
            return QStringList{QStringLiteral("append"),
                               QStringLiteral("--profile"),
                               profile,
                               QStringLiteral("--audit-log"),
                               m_auditLog,
                               QStringLiteral("--stream"),
                               QString::fromUtf8(stream),
                               QStringLiteral("--type"),
                               QStringLiteral("NoteAdded"),
                               QStringLiteral("--data"),
                               QStringLiteral(R"({"note":"guarded"})"),
                               QStringLiteral("--expected-revision"),
                               QStringLiteral("no_stream"),
                               QStringLiteral("--reason"),
                               QStringLiteral("guard test")};
        };
        const auto readOnly = m_cli.run(args(QStringLiteral("ro")));
        QVERIFY2(readOnly.exitCode == 1 && readOnly.out.contains(QStringLiteral("read-only")),
                 readOnly.describe().constData());
        const auto unconfirmed = m_cli.run(args(QStringLiteral("prod")));
        QVERIFY2(unconfirmed.exitCode == 1 && unconfirmed.out.contains(QStringLiteral("--confirm-profile \"prod\"")),
                 unconfirmed.describe().constData());
        const auto wrong = m_cli.run(args(QStringLiteral("prod"))
                                     << QStringLiteral("--confirm-profile") << QStringLiteral("Prod"));
        QVERIFY2(wrong.exitCode == 1, wrong.describe().constData());
        QCOMPARE(events(stream).size(), 0);
        const auto confirmed = m_cli.run(args(QStringLiteral("prod"))
                                         << QStringLiteral("--confirm-profile") << QStringLiteral("prod"));
        QVERIFY2(confirmed.exitCode == 0, confirmed.describe().constData());
        QCOMPARE(events(stream).size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestCliAppend)
#include "tst_cliappend.moc"
