// Ed25519 report signatures: the round trip, tampering anywhere in the content, the expected-key
// check, unsigned reports, malformed signature members, and PEM public keys.
#include "report/Ed25519.h"
#include "report/ExaminationReport.h"
#include "report/ReportSignature.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace chronoscope;

namespace {

QJsonObject sampleReport()
{
    QList<RecordedEvent> events;
    for (quint64 r = 0; r < 40; ++r) {
        RecordedEvent e;
        e.streamId = "account-42";
        e.id = QUuid::fromString(QStringLiteral("00000000-0000-4000-8000-%1").arg(r, 12, 10, QLatin1Char('0')));
        e.revision = r;
        e.type = "Deposited";
        e.contentType = "application/json";
        e.data = "{\"amount\":" + QByteArray::number(r) + '}';
        events.append(e);
    }
    ExaminationReport::Examined x;
    x.connection = QStringLiteral("kurrentdb://127.0.0.1:2113?tls=false");
    x.stream = "account-42";
    x.reducer = QStringLiteral("merge");
    x.cursor = 7;
    x.cursorEvent = events.at(7);
    x.stateAtCursor = QJsonObject{{QStringLiteral("amount"), 0.1}, {QStringLiteral("big"), qint64(1) << 60},
                                  {QStringLiteral("text"), QStringLiteral("r\u00e9sum\u00e9 \"quoted\"\n")}};
    x.note = QStringLiteral("March review");
    return ExaminationReport::toJson(x, ExaminationReport::digest(events), QDateTime::fromMSecsSinceEpoch(0, Qt::UTC));
}

/// As a verifier gets it: the report written indented and read back.
QJsonObject throughFile(const QJsonObject &report)
{
    return QJsonDocument::fromJson(QJsonDocument(report).toJson(QJsonDocument::Indented)).object();
}

} // namespace

class TestReportSignature : public QObject
{
    Q_OBJECT

    Ed25519::KeyPair m_key;
    Ed25519::KeyPair m_otherKey;

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        auto a = Ed25519::generate(&error), b = Ed25519::generate(&error);
        QVERIFY2(a && b, qPrintable(error));
        m_key = *a;
        m_otherKey = *b;
        QCOMPARE(m_key.privateKey.size(), 32);
        QCOMPARE(m_key.publicKey.size(), 32);
        QVERIFY(m_key.publicKey != m_otherKey.publicKey);
        QCOMPARE(Ed25519::publicKeyOf(m_key.privateKey), m_key.publicKey);
    }

    void rfc8032TestVector()
    {
        // RFC 8032 section 7.1, TEST 2: a one-byte message.
        const QByteArray secret = QByteArray::fromHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
        const QByteArray publicKey = QByteArray::fromHex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
        const QByteArray signature = QByteArray::fromHex(
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
            "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
        QCOMPARE(Ed25519::publicKeyOf(secret), publicKey);
        QCOMPARE(Ed25519::sign(secret, QByteArray::fromHex("72")), signature);
        QVERIFY(Ed25519::verify(publicKey, QByteArray::fromHex("72"), signature));
        QVERIFY(!Ed25519::verify(publicKey, QByteArray::fromHex("73"), signature));
    }

    void signAndVerifyRoundTrip()
    {
        const QJsonObject report = sampleReport();
        QString error;
        const QJsonObject signedReport = ReportSignature::sign(report, m_key.privateKey, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QJsonObject sig = signedReport.value(QStringLiteral("signature")).toObject();
        QCOMPARE(sig.value(QStringLiteral("algorithm")).toString(), QStringLiteral("Ed25519"));
        QCOMPARE(QByteArray::fromBase64(sig.value(QStringLiteral("publicKey")).toString().toLatin1()), m_key.publicKey);
        QCOMPARE(sig.value(QStringLiteral("publicKeyFingerprint")).toString(), Ed25519::fingerprint(m_key.publicKey));
        QCOMPARE(QByteArray::fromBase64(sig.value(QStringLiteral("value")).toString().toLatin1()).size(), 64);
        // The signature covers everything but itself.
        QCOMPARE(ReportSignature::canonicalBytes(signedReport), ReportSignature::canonicalBytes(report));

        const ReportSignature::Check c = ReportSignature::verify(throughFile(signedReport));
        QVERIFY2(c.valid(), qPrintable(c.message));
        QCOMPARE(c.fingerprint, Ed25519::fingerprint(m_key.publicKey));
        QVERIFY(c.message.contains(ReportSignature::shortFingerprint(c.fingerprint)));
        const ReportSignature::Check expected = ReportSignature::verify(throughFile(signedReport), m_key.publicKey);
        QVERIFY2(expected.valid(), qPrintable(expected.message));

        // Signing again replaces the signature.
        const QJsonObject resigned = ReportSignature::sign(signedReport, m_otherKey.privateKey);
        QCOMPARE(ReportSignature::verify(resigned, m_otherKey.publicKey).status, ReportSignature::Status::Valid);
    }

    void anyChangedByteInTheContentFails()
    {
        const QJsonObject signedReport = ReportSignature::sign(sampleReport(), m_key.privateKey);
        const QByteArray file = QJsonDocument(signedReport).toJson(QJsonDocument::Indented);
        // Flip one character inside every string value (outside the signature member) in turn.
        const qsizetype sigAt = file.indexOf("\"signature\"");
        const qsizetype sigEnd = file.indexOf('}', sigAt);
        int checked = 0;
        for (qsizetype i = 0; i + 1 < file.size(); ++i) {
            if (i >= sigAt && i <= sigEnd)
                continue;
            const char ch = file.at(i);
            if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) || file.at(i - 1) == '\\')
                continue;
            QByteArray changed = file;
            changed[i] = ch == 'z' ? 'y' : ch == '9' ? '8' : char(ch + 1);
            QJsonParseError parse{};
            const QJsonObject o = QJsonDocument::fromJson(changed, &parse).object();
            if (parse.error != QJsonParseError::NoError || !o.contains(QStringLiteral("signature")))
                continue; // not JSON any more (a changed "true", a number's form): a reader refuses it anyway
            const ReportSignature::Check c = ReportSignature::verify(o);
            QVERIFY2(c.status == ReportSignature::Status::Invalid,
                     qPrintable(QStringLiteral("byte %1 changed from '%2': %3").arg(i).arg(QLatin1Char(ch)).arg(c.message)));
            ++checked;
        }
        QVERIFY2(checked > 500, qPrintable(QString::number(checked)));

        // A member added, removed or renamed.
        QJsonObject added = signedReport;
        added.insert(QStringLiteral("verdict"), QStringLiteral("all fine"));
        QCOMPARE(ReportSignature::verify(added).status, ReportSignature::Status::Invalid);
        QJsonObject removed = signedReport;
        removed.remove(QStringLiteral("note"));
        QCOMPARE(ReportSignature::verify(removed).status, ReportSignature::Status::Invalid);
        QJsonObject events = signedReport.value(QStringLiteral("events")).toObject();
        QJsonArray blocks = events.value(QStringLiteral("blocks")).toArray();
        blocks.append(QStringLiteral("00"));
        events.insert(QStringLiteral("blocks"), blocks);
        QJsonObject nested = signedReport;
        nested.insert(QStringLiteral("events"), events);
        QCOMPARE(ReportSignature::verify(nested).status, ReportSignature::Status::Invalid);
    }

    void anotherKeyFailsTheExpectedKeyCheck()
    {
        const QJsonObject signedReport = ReportSignature::sign(sampleReport(), m_otherKey.privateKey);
        const ReportSignature::Check c = ReportSignature::verify(signedReport, m_key.publicKey);
        QCOMPARE(c.status, ReportSignature::Status::WrongKey);
        QVERIFY(c.message.contains(ReportSignature::shortFingerprint(Ed25519::fingerprint(m_otherKey.publicKey))));
        QVERIFY(c.message.contains(ReportSignature::shortFingerprint(Ed25519::fingerprint(m_key.publicKey))));

        // Someone re-signing an altered report with their own key passes alone, not against the key.
        QJsonObject altered = sampleReport();
        altered.insert(QStringLiteral("note"), QStringLiteral("nothing to see"));
        const QJsonObject forged = ReportSignature::sign(altered, m_otherKey.privateKey);
        QVERIFY(ReportSignature::verify(forged).valid());
        QCOMPARE(ReportSignature::verify(forged, m_key.publicKey).status, ReportSignature::Status::WrongKey);
    }

    void unsignedReportIsReportedAsUnsigned()
    {
        const ReportSignature::Check c = ReportSignature::verify(sampleReport());
        QCOMPARE(c.status, ReportSignature::Status::Unsigned);
        QVERIFY(c.fingerprint.isEmpty());
        QCOMPARE(ReportSignature::verify(sampleReport(), m_key.publicKey).status, ReportSignature::Status::Unsigned);
    }

    void malformedSignaturesGiveClearErrors_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("says");
        QTest::addRow("not an object") << QString() << QJsonValue(QStringLiteral("yes")) << QStringLiteral("not an object");
        QTest::addRow("algorithm") << QStringLiteral("algorithm") << QJsonValue(QStringLiteral("RSA")) << QStringLiteral("not Ed25519");
        QTest::addRow("no algorithm") << QStringLiteral("algorithm") << QJsonValue(QJsonValue::Undefined) << QStringLiteral("no \"algorithm\"");
        QTest::addRow("key not base64") << QStringLiteral("publicKey") << QJsonValue(QStringLiteral("***")) << QStringLiteral("publicKey");
        QTest::addRow("key short") << QStringLiteral("publicKey") << QJsonValue(QStringLiteral("AAAA")) << QStringLiteral("32 bytes");
        QTest::addRow("key a number") << QStringLiteral("publicKey") << QJsonValue(42) << QStringLiteral("publicKey");
        QTest::addRow("value missing") << QStringLiteral("value") << QJsonValue(QJsonValue::Undefined) << QStringLiteral("64 bytes");
        QTest::addRow("value short") << QStringLiteral("value") << QJsonValue(QStringLiteral("AAAA")) << QStringLiteral("64 bytes");
        QTest::addRow("value not base64") << QStringLiteral("value") << QJsonValue(QStringLiteral("!!")) << QStringLiteral("\"value\"");
        QTest::addRow("fingerprint") << QStringLiteral("publicKeyFingerprint") << QJsonValue(QStringLiteral("00ff"))
                                     << QStringLiteral("publicKeyFingerprint");
    }
    void malformedSignaturesGiveClearErrors()
    {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QFETCH(QString, says);
        QJsonObject report = ReportSignature::sign(sampleReport(), m_key.privateKey);
        if (field.isEmpty()) {
            report.insert(QStringLiteral("signature"), value);
        } else {
            QJsonObject sig = report.value(QStringLiteral("signature")).toObject();
            if (value.isUndefined())
                sig.remove(field);
            else
                sig.insert(field, value);
            report.insert(QStringLiteral("signature"), sig);
        }
        const ReportSignature::Check c = ReportSignature::verify(report, m_key.publicKey);
        QCOMPARE(c.status, ReportSignature::Status::Malformed);
        QVERIFY2(c.message.startsWith(QStringLiteral("the report's signature cannot be checked")), qPrintable(c.message));
        QVERIFY2(c.message.contains(says), qPrintable(c.message));
    }

    void badPrivateKeysAreRefused()
    {
        QString error;
        const QJsonObject out = ReportSignature::sign(sampleReport(), QByteArray(31, 'k'), &error);
        QVERIFY(!out.contains(QStringLiteral("signature")));
        QVERIFY2(error.contains(QStringLiteral("32 bytes")), qPrintable(error));
        QVERIFY(Ed25519::sign(QByteArray(), "x").isEmpty());
    }

    void publicKeysAsPem()
    {
        QString error;
        const QByteArray pem = Ed25519::publicKeyToPem(m_key.publicKey, &error);
        QVERIFY2(pem.startsWith("-----BEGIN PUBLIC KEY-----\n"), pem.constData());
        QCOMPARE(Ed25519::publicKeyFromPem(pem, &error), m_key.publicKey);
        // Not PEM, or PEM of another kind of key: refused with the reason.
        QVERIFY(Ed25519::publicKeyFromPem("hello", &error).isEmpty());
        QVERIFY2(error.contains(QStringLiteral("not a PEM public key")), qPrintable(error));
        // A key written by `openssl genpkey -algorithm ed25519 | openssl pkey -pubout` reads the same.
        const QByteArray fromCli = "-----BEGIN PUBLIC KEY-----\n"
                                   "MCowBQYDK2VwAyEA5kD0RRaTftUoeRhLQ43uDf2XDTJWfwj2SIlMv1fEak4=\n"
                                   "-----END PUBLIC KEY-----\n";
        QCOMPARE(Ed25519::publicKeyFromPem(fromCli, &error).toHex(),
                 QByteArray("e640f44516937ed52879184b438dee0dfd970d32567f08f648894cbf57c46a4e"));
        // An X25519 key (same size, other algorithm) is not a signing key.
        const QByteArray x25519 = "-----BEGIN PUBLIC KEY-----\n"
                                  "MCowBQYDK2VuAyEAoRXCeuredrD2yniwl76g0i6OxFSqb8+LtEMsgb1Rz30=\n"
                                  "-----END PUBLIC KEY-----\n";
        QVERIFY(Ed25519::publicKeyFromPem(x25519, &error).isEmpty());
        QVERIFY2(error.contains(QStringLiteral("X25519")) && error.contains(QStringLiteral("not an Ed25519")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestReportSignature)
#include "tst_reportsignature.moc"
