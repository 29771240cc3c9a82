// Signed examination reports through the real main window against an in-process sandbox: the key
// made in the app and kept only in the credential store, the public key exported as PEM, a signed
// report verified offline and online, an altered report, another signer's key, and `$all`.
#include "ExportActions.h"
#include "MainWindow.h"
#include "ReportSigningKey.h"
#include "common/ErrorBanner.h"
#include "common/StatusMessage.h"
#include "fold/FoldController.h"
#include "report/Ed25519.h"
#include "report/ReportSignature.h"
#include "support/DemoSandbox.h"
#include "support/FakeCredentialStore.h"
#include "timeline/TimelineIndex.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace chronoscope;

namespace {

bool openLoaded(MainWindow &window, const QByteArray &stream, const DemoSandbox &sandbox)
{
    window.show();
    window.openStream(stream);
    window.connectTo(sandbox.settings());
    return QTest::qWaitFor([&] { return window.session()->stream() == stream && !window.session()->isLoading(); }, 45000);
}

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

bool writeJson(const QString &path, const QJsonObject &o)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(QJsonDocument(o).toJson()) > 0;
}

/// Every file under `dir` (recursively) that contains `needle`.
QStringList filesContaining(const QString &dir, const QByteArray &needle)
{
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly) && f.readAll().contains(needle))
            out << f.fileName();
    }
    return out;
}

} // namespace

class TestExaminationSigning : public QObject
{
    Q_OBJECT

    DemoSandbox m_sandbox;

    /// Exports a report of what `window` shows and waits for it.
    static bool exportReport(MainWindow &window, const QString &path)
    {
        auto *exports = window.findChild<ExportActions *>();
        QSignalSpy finished(exports, &ExportActions::finished);
        exports->exportReport(path, QStringLiteral("signed review"));
        return finished.wait(30000) && finished.last().at(1).toString().isEmpty();
    }
    /// Verifies and returns (signature status, unchanged, message).
    static std::tuple<int, bool, QString> verify(MainWindow &window, const QString &path, const QString &pem = {})
    {
        auto *exports = window.findChild<ExportActions *>();
        QSignalSpy signature(exports, &ExportActions::signatureChecked);
        QSignalSpy verified(exports, &ExportActions::verified);
        exports->verifyReport(path, pem);
        if (verified.isEmpty() && !verified.wait(30000))
            return {-1, false, QStringLiteral("no answer")};
        return {signature.isEmpty() ? -1 : signature.last().at(1).toInt(), verified.last().at(1).toBool(),
                verified.last().at(2).toString()};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(m_sandbox.start(2000), qPrintable(m_sandbox.error()));
    }

    void signedReportVerifiesOfflineAndOnline()
    {
        MainWindow window;
        FakeCredentialStore store;
        auto *exports = window.findChild<ExportActions *>();
        ReportSigningKey *key = exports->signingKey();
        key->setStore(&store);
        QVERIFY(openLoaded(window, "order-3", m_sandbox));
        QTemporaryDir dir;

        // Without a key the report is written unsigned, and the status says how to make one.
        const QString unsignedPath = dir.filePath(QStringLiteral("unsigned.report.json"));
        QVERIFY(exportReport(window, unsignedPath));
        QVERIFY(!readJson(unsignedPath).contains(QStringLiteral("signature")));
        QVERIFY(window.findChild<views::StatusMessage *>()->text().contains(QStringLiteral("unsigned")));
        auto [status, unchanged, message] = verify(window, unsignedPath);
        QCOMPARE(status, int(ReportSignature::Status::Unsigned));
        QVERIFY2(unchanged && message.startsWith(QStringLiteral("not signed; unchanged")), qPrintable(message));

        // A key, made in the app: only the credential store holds it.
        QSignalSpy generated(key, &ReportSigningKey::generated);
        key->generate();
        QVERIFY(generated.wait(5000));
        const QString fingerprint = generated.last().at(0).toString();
        QCOMPARE(fingerprint.size(), 64);
        const QString secret = store.secrets.value(QString::fromLatin1(SigningKeyStore::kStoreKey));
        const QByteArray privateKey = QByteArray::fromBase64(secret.toLatin1());
        QCOMPARE(privateKey.size(), 32);
        QCOMPARE(Ed25519::fingerprint(Ed25519::publicKeyOf(privateKey)), fingerprint);

        // The public key as PEM.
        const QString pem = dir.filePath(QStringLiteral("me.pub.pem"));
        QSignalSpy exported(key, &ReportSigningKey::exported);
        key->exportPublicKey(pem);
        QVERIFY(exported.wait(5000));
        QCOMPARE(exported.last().at(1).toString(), QString());
        QFile pemFile(pem);
        QVERIFY(pemFile.open(QIODevice::ReadOnly));
        QCOMPARE(Ed25519::publicKeyFromPem(pemFile.readAll()), Ed25519::publicKeyOf(privateKey));

        // A signed report.
        const QString path = dir.filePath(QStringLiteral("order-3.report.json"));
        QVERIFY(exportReport(window, path));
        const QJsonObject report = readJson(path);
        QCOMPARE(report.value(QStringLiteral("signature")).toObject().value(QStringLiteral("publicKeyFingerprint")).toString(),
                 fingerprint);
        QVERIFY(window.findChild<views::StatusMessage *>()->text().contains(QStringLiteral("signed, key ")));
        QFile html(dir.filePath(QStringLiteral("order-3.report.html")));
        QVERIFY(html.open(QIODevice::ReadOnly) && html.readAll().contains(fingerprint.toLatin1()));

        // Online: the signature, then the events.
        std::tie(status, unchanged, message) = verify(window, path);
        QCOMPARE(status, int(ReportSignature::Status::Valid));
        QVERIFY2(unchanged, qPrintable(message));
        QVERIFY2(message.contains(ReportSignature::shortFingerprint(fingerprint)), qPrintable(message));
        // Against the signer's PEM.
        std::tie(status, unchanged, message) = verify(window, path, pem);
        QCOMPARE(status, int(ReportSignature::Status::Valid));
        QVERIFY2(unchanged && message.contains(QStringLiteral("expected key")), qPrintable(message));

        // Altered after signing: refused before any read, with the reason shown once.
        QJsonObject altered = report;
        altered.insert(QStringLiteral("note"), QStringLiteral("nothing found"));
        const QString alteredPath = dir.filePath(QStringLiteral("altered.report.json"));
        QVERIFY(writeJson(alteredPath, altered));
        std::tie(status, unchanged, message) = verify(window, alteredPath);
        QCOMPARE(status, int(ReportSignature::Status::Invalid));
        QVERIFY(!unchanged);
        QVERIFY(window.findChild<views::ErrorBanner *>()->message().startsWith(QStringLiteral("The report's signature does not hold")));

        // Someone else's key: the signature holds, but not against my PEM.
        auto other = Ed25519::generate();
        QVERIFY(other);
        const QString forgedPath = dir.filePath(QStringLiteral("forged.report.json"));
        QVERIFY(writeJson(forgedPath, ReportSignature::sign(altered, other->privateKey)));
        std::tie(status, unchanged, message) = verify(window, forgedPath, pem);
        QCOMPARE(status, int(ReportSignature::Status::WrongKey));
        QVERIFY(!unchanged);
        // An unsigned report against a key; a PEM that is not one.
        std::tie(status, unchanged, message) = verify(window, unsignedPath, pem);
        QCOMPARE(status, int(ReportSignature::Status::Unsigned));
        QVERIFY(!unchanged);
        std::tie(status, unchanged, message) = verify(window, path, path);
        QVERIFY2(message.contains(QStringLiteral("not a usable public key")), qPrintable(message));

        // Offline: a window with no connection checks the signature alone.
        MainWindow offline;
        offline.findChild<ExportActions *>()->signingKey()->setStore(&store);
        std::tie(status, unchanged, message) = verify(offline, path, pem);
        QCOMPARE(status, int(ReportSignature::Status::Valid));
        QVERIFY(!unchanged);
        QVERIFY2(message.contains(QStringLiteral("connect to the server")), qPrintable(message));
        std::tie(status, unchanged, message) = verify(offline, alteredPath);
        QCOMPARE(status, int(ReportSignature::Status::Invalid));

        // The secret is in no file: not the reports, the key, the settings or the app's data.
        for (const QString &where : {dir.path(), QFileInfo(QSettings().fileName()).path(),
                                     QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)})
            QVERIFY2(filesContaining(where, secret.toLatin1()).isEmpty(), qPrintable(where));
    }

    void reportOverAllVerifies()
    {
        MainWindow window;
        FakeCredentialStore store;
        window.findChild<ExportActions *>()->signingKey()->setStore(&store);
        QVERIFY(openLoaded(window, "$all", m_sandbox));
        QVERIFY(window.session()->index().size() >= 2000); // the demo's events, no system ones
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("all.report.json"));
        QVERIFY(exportReport(window, path));
        QCOMPARE(readJson(path).value(QStringLiteral("stream")).toString(), QStringLiteral("$all"));
        // The read can be cancelled: it says so once and nothing more arrives.
        auto *exports = window.findChild<ExportActions *>();
        QSignalSpy verified(exports, &ExportActions::verified);
        exports->verifyReport(path);
        QVERIFY(exports->isRunning());
        exports->cancel();
        QCOMPARE(verified.count(), 1);
        QCOMPARE(verified.last().at(2).toString(), QStringLiteral("cancelled"));
        QTest::qWait(500);
        QCOMPARE(verified.count(), 1);
        QVERIFY(!exports->isRunning());

        auto [status, unchanged, message] = verify(window, path);
        QCOMPARE(status, int(ReportSignature::Status::Unsigned));
        QVERIFY2(unchanged, qPrintable(message));

        // A changed digest block is found where it is.
        QJsonObject report = readJson(path);
        QJsonObject events = report.value(QStringLiteral("events")).toObject();
        QJsonArray blocks = events.value(QStringLiteral("blocks")).toArray();
        QVERIFY(blocks.size() >= 2);
        blocks.replace(1, QStringLiteral("00"));
        events.insert(QStringLiteral("sha256"), QStringLiteral("00"));
        events.insert(QStringLiteral("blocks"), blocks);
        report.insert(QStringLiteral("events"), events);
        QVERIFY(writeJson(path, report));
        std::tie(status, unchanged, message) = verify(window, path);
        QVERIFY(!unchanged);
        QVERIFY2(message.contains(QStringLiteral("block 2 of")), qPrintable(message));
    }
};

QTEST_MAIN(TestExaminationSigning)
#include "tst_examinationsigning.moc"
