#include "CliRunner.h"
#include "demo/DemoHistory.h"
#include "report/Ed25519.h"
#include "support/DemoSandbox.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace chronoscope;

/// `chronoscope-cli archive create` with a selection and a signature, as a process against the sandbox:
/// a revision range of a stream, `$all` by type and stream prefix, a time range — each archive exports
/// offline exactly what `export` with the same options exports online; `--sign` with a PEM private key
/// (as `openssl genpkey` writes it, from a file or stdin) gives a signature `archive verify --key` checks;
/// a key others may read is refused (3); bad selections and keys are exit 1 with the option named.
class TestCliArchiveCreate : public QObject
{
    Q_OBJECT

private:
    DemoSandbox m_sandbox;
    CliRunner m_cli;
    QString m_order;
    QString m_key, m_publicPem, m_otherPublicPem;

    QString file(const QString &name) const { return m_cli.home() + QLatin1Char('/') + name; }

    QStringList create(const QString &stream, const QString &output, const QStringList &more = {}) const
    {
        return QStringList{QStringLiteral("archive"),   QStringLiteral("create"),
                           QStringLiteral("--connect"), m_sandbox.connectionString(),
                           QStringLiteral("--stream"),  stream,
                           QStringLiteral("--output"),  file(output)}
        + more;
    }
    /// `openssl genpkey -algorithm ed25519` into `name` (mode 600) and its public key as PEM beside it.
    bool makeKey(const QString &name)
    {
        QProcess p;
        p.start(QStringLiteral("openssl"),
                {QStringLiteral("genpkey"), QStringLiteral("-algorithm"), QStringLiteral("ed25519"),
                 QStringLiteral("-out"), file(name)});
        if (!p.waitForFinished(10000) || p.exitCode() != 0)
            return false;
        QFile::setPermissions(file(name), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        p.start(QStringLiteral("openssl"),
                {QStringLiteral("pkey"), QStringLiteral("-in"), file(name), QStringLiteral("-pubout"),
                 QStringLiteral("-out"), file(name + QStringLiteral(".pub"))});
        return p.waitForFinished(10000) && p.exitCode() == 0;
    }
    /// `export` online with `selection`, and `export --archive` of an archive created with it: equal lines.
    void compareWithExport(const QString &stream, const QStringList &selection, const QString &name, int atLeast)
    {
        const auto created = m_cli.run(create(stream, name, selection + QStringList{QStringLiteral("--json")}));
        QVERIFY2(created.finished && created.exitCode == 0, created.describe().constData());
        const auto online = m_cli.run(QStringList{QStringLiteral("export"), QStringLiteral("--connect"),
                                                  m_sandbox.connectionString(), QStringLiteral("--stream"), stream}
                                      + selection);
        QVERIFY2(online.exitCode == 0, online.describe().constData());
        const auto offline = m_cli.run({QStringLiteral("export"), QStringLiteral("--archive"), file(name)});
        QVERIFY2(offline.exitCode == 0, offline.describe().constData());
        const qsizetype lines = online.out.count(QLatin1Char('\n'));
        QVERIFY2(lines >= atLeast, qPrintable(QString::number(lines)));
        QCOMPARE(offline.out, online.out);
        QCOMPARE(created.json().value(QLatin1String("events")).toString(), QString::number(lines));
        const auto info = m_cli.run(
            {QStringLiteral("archive"), QStringLiteral("info"), file(name), QStringLiteral("--json")});
        const QJsonObject manifest = info.json().value(QLatin1String("manifest")).toObject();
        QCOMPARE(manifest.value(QLatin1String("source")).toObject().value(QLatin1String("selection")).toString(),
                 created.json().value(QLatin1String("selection")).toString());
        QVERIFY(!manifest.value(QLatin1String("selection")).toObject().isEmpty());
    }

private Q_SLOTS:
    void initTestCase()
    {
        DemoHistory::Options options;
        options.eventCount = 3000;
        QVERIFY2(m_sandbox.start(options.eventCount), qPrintable(m_sandbox.error()));
        const auto incident = DemoHistory(options).firstDoubleCharge();
        QVERIFY(incident);
        m_order = QString::fromUtf8(incident->orderStream);
        QVERIFY(makeKey(QStringLiteral("signer.key")));
        QVERIFY(makeKey(QStringLiteral("other.key")));
        m_key = file(QStringLiteral("signer.key"));
        m_publicPem = m_key + QStringLiteral(".pub");
        m_otherPublicPem = file(QStringLiteral("other.key.pub"));
    }

    void revisionRangeOfAStream()
    {
        compareWithExport(
            m_order, {QStringLiteral("--from"), QStringLiteral("@1"), QStringLiteral("--to"), QStringLiteral("@3")},
            QStringLiteral("range.chronarc"), 3);
        const auto info = m_cli.run({QStringLiteral("archive"), QStringLiteral("info"),
                                     file(QStringLiteral("range.chronarc")), QStringLiteral("--json")});
        const QJsonObject stream = info.json().value(QLatin1String("streams")).toArray().at(0).toObject();
        QCOMPARE(stream.value(QLatin1String("firstRevision")).toInt(), 1);
        QCOMPARE(stream.value(QLatin1String("lastRevision")).toInt(), 3);
    }

    void allByTypeAndStreamPrefix()
    {
        compareWithExport(QStringLiteral("$all"),
                          {QStringLiteral("--type"), QStringLiteral("OrderPlaced,PaymentProcessed"),
                           QStringLiteral("--stream-prefix"), QStringLiteral("order-")},
                          QStringLiteral("typed.chronarc"), 100);
        const auto offline = m_cli.run({QStringLiteral("export"), QStringLiteral("--archive"),
                                        file(QStringLiteral("typed.chronarc")), QStringLiteral("--json")});
        for (const QString &l : offline.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            QVERIFY2(l.contains(QLatin1String("\"streamId\":\"order-")), qPrintable(l));
            QVERIFY2(l.contains(QLatin1String("\"eventType\":\"OrderPlaced\"")), // payment-… streams are left out
                     qPrintable(l));
        }
    }

    void timeRangeOfAll()
    {
        const auto all = m_cli.run({QStringLiteral("export"), QStringLiteral("--connect"), m_sandbox.connectionString(),
                                    QStringLiteral("--stream"), QStringLiteral("$all"), QStringLiteral("--json")});
        const QStringList lines = all.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY(lines.size() >= 3000);
        const auto created = [&](int i) {
            return QJsonDocument::fromJson(lines.at(i).toUtf8()).object().value(QLatin1String("created")).toString();
        };
        compareWithExport(QStringLiteral("$all"),
                          {QStringLiteral("--from"), created(1000), QStringLiteral("--to"), created(2000)},
                          QStringLiteral("times.chronarc"), 900);
    }

    void signedWithAKeyFile()
    {
        const auto created = m_cli.run(create(m_order, QStringLiteral("signed.chronarc"),
                                              {QStringLiteral("--sign"), m_key, QStringLiteral("--json")}));
        QVERIFY2(created.exitCode == 0, created.describe().constData());
        QCOMPARE(created.json().value(QLatin1String("signed")).toBool(), true);
        QVERIFY(!created.out.contains(QLatin1String("PRIVATE")) && !created.err.contains(QLatin1String("PRIVATE")));
        QFile pub(m_publicPem);
        QVERIFY(pub.open(QIODevice::ReadOnly));
        const QByteArray publicKey = Ed25519::publicKeyFromPem(pub.readAll());
        QCOMPARE(created.json().value(QLatin1String("fingerprint")).toString(), Ed25519::fingerprint(publicKey));

        const QString archive = file(QStringLiteral("signed.chronarc"));
        const auto mine = m_cli.run({QStringLiteral("archive"), QStringLiteral("verify"), archive,
                                     QStringLiteral("--key"), m_publicPem, QStringLiteral("--json")});
        QVERIFY2(mine.exitCode == 0, mine.describe().constData());
        QCOMPARE(mine.json().value(QLatin1String("signatureVerified")).toBool(), true);
        const auto other = m_cli.run(
            {QStringLiteral("archive"), QStringLiteral("verify"), archive, QStringLiteral("--key"), m_otherPublicPem});
        QCOMPARE(other.exitCode, 2);
        QVERIFY2(other.out.contains(QLatin1String("signed by another key")), other.describe().constData());

        // From stdin, as a CI secret is piped in: the same signer.
        QFile key(m_key);
        QVERIFY(key.open(QIODevice::ReadOnly));
        const auto piped = m_cli.run(create(m_order, QStringLiteral("piped.chronarc"),
                                            {QStringLiteral("--sign"), QStringLiteral("-"), QStringLiteral("--json")}),
                                     key.readAll());
        QVERIFY2(piped.exitCode == 0, piped.describe().constData());
        QCOMPARE(piped.json().value(QLatin1String("fingerprint")), created.json().value(QLatin1String("fingerprint")));
    }

    void keysRefusedOrBad()
    {
        QVERIFY(QFile::copy(m_key, file(QStringLiteral("open.key"))));
        QFile::setPermissions(file(QStringLiteral("open.key")),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther);
        const auto open = m_cli.run(
            create(m_order, QStringLiteral("x.chronarc"),
                   {QStringLiteral("--sign"), file(QStringLiteral("open.key")), QStringLiteral("--json")}));
        QCOMPARE(open.exitCode, 3);
        QCOMPARE(open.json().value(QLatin1String("outcome")).toString(), QStringLiteral("refused"));
        QVERIFY2(open.err.contains(QLatin1String("chmod 600")), open.describe().constData());
        QVERIFY(!QFile::exists(file(QStringLiteral("x.chronarc"))));

        const auto publicOnly = m_cli.run(
            create(m_order, QStringLiteral("x.chronarc"), {QStringLiteral("--sign"), m_publicPem}));
        QCOMPARE(publicOnly.exitCode, 3); // written by openssl with 644: refused before it is read
        QFile::setPermissions(m_publicPem, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        const auto notPrivate = m_cli.run(
            create(m_order, QStringLiteral("x.chronarc"), {QStringLiteral("--sign"), m_publicPem}));
        QCOMPARE(notPrivate.exitCode, 1);
        QVERIFY2(notPrivate.err.contains(QLatin1String("not an unencrypted PEM private key")),
                 notPrivate.describe().constData());
        const auto missing = m_cli.run(create(m_order, QStringLiteral("x.chronarc"),
                                              {QStringLiteral("--sign"), file(QStringLiteral("none.key"))}));
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains(QLatin1String("cannot read")), missing.describe().constData());
        // The window's report signing key: this test's home has no keychain (and no key): a clear error, no archive.
        const auto keychain = m_cli.run(
            create(m_order, QStringLiteral("x.chronarc"), {QStringLiteral("--sign"), QStringLiteral("keychain:")}));
        QCOMPARE(keychain.exitCode, 1);
        QVERIFY2(keychain.err.contains(QLatin1String("--sign keychain: ")), keychain.describe().constData());
        QVERIFY(!QFile::exists(file(QStringLiteral("x.chronarc"))));
    }

    void badSelections()
    {
        const auto revisionsOfAll = m_cli.run(create(QStringLiteral("$all"), QStringLiteral("x.chronarc"),
                                                     {QStringLiteral("--from"), QStringLiteral("@5")}));
        QCOMPARE(revisionsOfAll.exitCode, 1);
        QVERIFY2(revisionsOfAll.err.contains(QLatin1String("no revisions of its own")),
                 revisionsOfAll.describe().constData());
        const auto prefixOfStream = m_cli.run(create(m_order, QStringLiteral("x.chronarc"),
                                                     {QStringLiteral("--stream-prefix"), QStringLiteral("order-")}));
        QCOMPARE(prefixOfStream.exitCode, 1);
        QVERIFY2(prefixOfStream.err.contains(QLatin1String("--stream-prefix")), prefixOfStream.describe().constData());
        const auto backwards = m_cli.run(
            create(m_order, QStringLiteral("x.chronarc"),
                   {QStringLiteral("--from"), QStringLiteral("@5"), QStringLiteral("--to"), QStringLiteral("@2")}));
        QCOMPARE(backwards.exitCode, 1);
        QVERIFY2(backwards.err.contains(QLatin1String("is after --to")), backwards.describe().constData());
        const auto noTypes = m_cli.run(
            create(m_order, QStringLiteral("x.chronarc"), {QStringLiteral("--type"), QStringLiteral(",")}));
        QCOMPARE(noTypes.exitCode, 1);
        const auto signVerify = m_cli.run({QStringLiteral("archive"), QStringLiteral("verify"),
                                           file(QStringLiteral("range.chronarc")), QStringLiteral("--sign"), m_key});
        QCOMPARE(signVerify.exitCode, 1);
        QVERIFY2(signVerify.err.contains(QLatin1String("leave out --sign")), signVerify.describe().constData());
        QVERIFY(!QFile::exists(file(QStringLiteral("x.chronarc"))));
    }
};

QTEST_MAIN(TestCliArchiveCreate)
#include "tst_cliarchivecreate.moc"
