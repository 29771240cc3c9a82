#include "CliRunner.h"
#include "archive/ArchiveReader.h"
#include "archive/ArchiveWriter.h"
#include "client/StreamsClient.h"
#include "demo/DemoHistory.h"
#include "session/ServerTimelineSource.h"
#include "support/DemoSandbox.h"
#include "support/ServerArchive.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace chronoscope;

/// `chronoscope-cli … --archive FILE` as a process: an archive written from the sandbox folds to the
/// state the same stream folds to online, and exports the same lines; a damaged archive is read up
/// to the damage and says so on stderr; --archive beside --stream or a connection, a missing file or
/// a file that is no archive are a clear message and exit 1.
class TestCliArchive : public QObject
{
    Q_OBJECT

private:
    DemoSandbox m_sandbox;
    std::shared_ptr<const StreamsClient> m_client;
    CliRunner m_cli;
    QTemporaryDir m_dir;
    QByteArray m_order;
    QString m_orderArchive, m_allArchive;
    const QString m_reducer = QStringLiteral(CHRONOSCOPE_SOURCE_DIR "/resources/reducers/demo-orders.reducer.json");

    QString writeArchive(const QByteArray &stream, const QString &name, int chunkEvents)
    {
        const QString file = m_dir.filePath(name);
        const QString error = archiveFromServer(m_client, stream, file, chunkEvents, m_sandbox.connectionString());
        return error.isEmpty() ? file : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        DemoHistory::Options options;
        options.eventCount = 3000;
        QVERIFY2(m_sandbox.start(options.eventCount), qPrintable(m_sandbox.error()));
        m_client = std::make_shared<const StreamsClient>(m_sandbox.settings());
        const auto incident = DemoHistory(options).firstDoubleCharge();
        QVERIFY(incident);
        m_order = incident->orderStream;
        m_orderArchive = writeArchive(m_order, QStringLiteral("order.chronarc"), 2);
        m_allArchive = writeArchive("$all", QStringLiteral("all.chronarc"), 500);
        QVERIFY(!m_orderArchive.isEmpty() && !m_allArchive.isEmpty());
    }

    void foldOfAnArchiveEqualsTheOnlineFold()
    {
        for (const QString &at : {QStringLiteral("@1"), QStringLiteral("head")}) {
            const auto online = m_cli.run({QStringLiteral("fold"), QStringLiteral("--connect"),
                                           m_sandbox.connectionString(), QStringLiteral("--stream"),
                                           QString::fromUtf8(m_order), QStringLiteral("--reducer"), m_reducer,
                                           QStringLiteral("--at"), at, QStringLiteral("--json")});
            QVERIFY2(online.finished && online.exitCode == 0, online.describe().constData());
            const auto offline = m_cli.run({QStringLiteral("fold"), QStringLiteral("--archive"), m_orderArchive,
                                            QStringLiteral("--reducer"), m_reducer, QStringLiteral("--at"), at,
                                            QStringLiteral("--json")});
            QVERIFY2(offline.finished && offline.exitCode == 0, offline.describe().constData());
            QVERIFY(!online.json().value(QLatin1String("state")).toObject().isEmpty());
            QCOMPARE(offline.json().value(QLatin1String("state")), online.json().value(QLatin1String("state")));
            QCOMPARE(offline.json().value(QLatin1String("count")), online.json().value(QLatin1String("count")));
            QCOMPARE(offline.json().value(QLatin1String("stream")).toString(), QString::fromUtf8(m_order));
        }
    }

    void exportOfAnArchiveEqualsTheOnlineExport()
    {
        const auto online = m_cli.run({QStringLiteral("export"), QStringLiteral("--connect"),
                                       m_sandbox.connectionString(), QStringLiteral("--stream"),
                                       QStringLiteral("$all")});
        QVERIFY2(online.finished && online.exitCode == 0, online.describe().constData());
        const auto offline = m_cli.run({QStringLiteral("export"), QStringLiteral("--archive"), m_allArchive});
        QVERIFY2(offline.finished && offline.exitCode == 0, offline.describe().constData());
        QVERIFY(online.out.count(QLatin1Char('\n')) >= 3000);
        QCOMPARE(offline.out, online.out);
        QCOMPARE(offline.err, QString()); // intact and unsigned: nothing to say
    }

    void damagedArchiveIsReadUpToTheDamage()
    {
        archive::ArchiveReader reader;
        QVERIFY(reader.open(m_allArchive));
        QVERIFY(reader.eventChunks().size() >= 4);
        const archive::ArchiveEventChunk third = reader.eventChunks().at(2);
        QFile in(m_allArchive);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray bytes = in.readAll();
        bytes[qsizetype(third.payloadOffset + 100)] = char(bytes.at(qsizetype(third.payloadOffset + 100)) ^ 1);
        const QString damaged = m_dir.filePath(QStringLiteral("damaged.chronarc"));
        QFile out(damaged);
        QVERIFY(out.open(QIODevice::WriteOnly) && out.write(bytes) == bytes.size());
        out.close();

        const auto r = m_cli.run({QStringLiteral("export"), QStringLiteral("--archive"), damaged});
        QVERIFY2(r.finished && r.exitCode == 0, r.describe().constData());
        QCOMPARE(r.out.count(QLatin1Char('\n')), qsizetype(third.firstOrdinal));
        QVERIFY2(r.err.contains(QStringLiteral("damaged: chunk %1 at offset %2").arg(third.sequence).arg(third.offset)),
                 r.describe().constData());
    }

    void createVerifyInfo()
    {
        const QString file = m_dir.filePath(QStringLiteral("created.chronarc"));
        const auto created = m_cli.run({QStringLiteral("archive"), QStringLiteral("create"),
                                        QStringLiteral("--connect"), m_sandbox.connectionString(),
                                        QStringLiteral("--stream"), QString::fromUtf8(m_order),
                                        QStringLiteral("--output"), file, QStringLiteral("--json")});
        QVERIFY2(created.finished && created.exitCode == 0, created.describe().constData());
        QCOMPARE(created.json().value(QLatin1String("outcome")).toString(), QStringLiteral("written"));
        QCOMPARE(created.json().value(QLatin1String("sha256")).toString().size(), 64);

        const auto verified = m_cli.run(
            {QStringLiteral("archive"), QStringLiteral("verify"), file, QStringLiteral("--json")});
        QVERIFY2(verified.exitCode == 0, verified.describe().constData());
        QCOMPARE(verified.json().value(QLatin1String("outcome")).toString(), QStringLiteral("verified"));
        QCOMPARE(verified.json().value(QLatin1String("intact")).toBool(), true);

        const auto info = m_cli.run(
            {QStringLiteral("archive"), QStringLiteral("info"), file, QStringLiteral("--json")});
        QVERIFY2(info.exitCode == 0, info.describe().constData());
        const QJsonObject source =
            info.json().value(QLatin1String("manifest")).toObject().value(QLatin1String("source")).toObject();
        QCOMPARE(source.value(QLatin1String("stream")).toString(), QString::fromUtf8(m_order));
        QVERIFY(source.value(QLatin1String("connection")).toString().contains(QStringLiteral("127.0.0.1")));
        QCOMPARE(info.json().value(QLatin1String("streams")).toArray().size(), 1);
        const auto text = m_cli.run({QStringLiteral("archive"), QStringLiteral("info"), file});
        QVERIFY2(text.exitCode == 0 && text.out.contains(QStringLiteral("hashes verified, not signed")),
                 text.describe().constData());

        // What the CLI wrote folds as the in-process writer's does.
        const auto a = m_cli.run({QStringLiteral("fold"), QStringLiteral("--archive"), file, QStringLiteral("--json")});
        const auto b = m_cli.run(
            {QStringLiteral("fold"), QStringLiteral("--archive"), m_orderArchive, QStringLiteral("--json")});
        QVERIFY2(a.exitCode == 0, a.describe().constData());
        QCOMPARE(a.json().value(QLatin1String("state")), b.json().value(QLatin1String("state")));

        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray bytes = f.readAll();
        const qsizetype at = bytes.size() / 2;
        bytes[at] = char(bytes.at(at) ^ 4);
        QVERIFY(f.seek(0) && f.write(bytes) == bytes.size());
        f.close();
        const auto damaged = m_cli.run(
            {QStringLiteral("archive"), QStringLiteral("verify"), file, QStringLiteral("--json")});
        QCOMPARE(damaged.exitCode, 2);
        const QJsonArray damage = damaged.json().value(QLatin1String("damage")).toArray();
        QVERIFY2(!damage.isEmpty(), damaged.describe().constData());
        const qint64 offset = damage.at(0).toObject().value(QLatin1String("offset")).toString().toLongLong();
        const qint64 size = damage.at(0).toObject().value(QLatin1String("size")).toString().toLongLong();
        QVERIFY2(offset <= at && at < offset + size, damaged.describe().constData());

        const auto noFile = m_cli.run({QStringLiteral("archive"), QStringLiteral("verify")});
        QCOMPARE(noFile.exitCode, 1);
        const auto unknown = m_cli.run({QStringLiteral("archive"), QStringLiteral("pack"), file});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY(unknown.err.contains(QStringLiteral("no subcommand pack")));
    }

    void badArguments()
    {
        const auto both = m_cli.run({QStringLiteral("fold"), QStringLiteral("--archive"), m_orderArchive,
                                     QStringLiteral("--stream"), QString::fromUtf8(m_order)});
        QCOMPARE(both.exitCode, 1);
        QVERIFY2(both.err.contains(QStringLiteral("leave out --stream")), both.describe().constData());
        const auto connected = m_cli.run({QStringLiteral("export"), QStringLiteral("--archive"), m_orderArchive,
                                          QStringLiteral("--connect"), m_sandbox.connectionString()});
        QCOMPARE(connected.exitCode, 1);
        QVERIFY2(connected.err.contains(QStringLiteral("leave out --connect")), connected.describe().constData());
        const auto missing = m_cli.run({QStringLiteral("fold"), QStringLiteral("--archive"),
                                        m_dir.filePath(QStringLiteral("none.chronarc")), QStringLiteral("--json")});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.json().value(QLatin1String("message")).toString().startsWith(QStringLiteral("cannot read")),
                 missing.describe().constData());
        const auto notOne = m_cli.run({QStringLiteral("export"), QStringLiteral("--archive"), m_reducer});
        QCOMPARE(notOne.exitCode, 1);
        QVERIFY2(notOne.err.contains(QStringLiteral("is not a Chronoscope archive")), notOne.describe().constData());
    }
};

QTEST_MAIN(TestCliArchive)
#include "tst_cliarchive.moc"
