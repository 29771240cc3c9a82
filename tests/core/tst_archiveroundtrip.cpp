// Archive round trip (issue 15 "Prove"): the demo's streams and `$all` read from a sandbox, archived, opened
// offline (verified whole, and by the index as the window opens one) and folded with the demo reducer at the
// same points as online: the state hashes are equal. A flipped byte is located by either opening (its chunk,
// its offset); a truncated file opens up to the damage and folds there as online.
#include "archive/ArchiveReader.h"
#include "archive/ArchiveTimelineSource.h"
#include "archive/ArchiveWriter.h"
#include "client/StreamsClient.h"
#include "demo/DemoHistory.h"
#include "fold/FoldEngine.h"
#include "fold/MergeReducer.h"
#include "report/ArchiveSigning.h"
#include "script/ReducerFile.h"
#include "session/ServerTimelineSource.h"
#include "session/TimelineSession.h"
#include "support/DemoSandbox.h"
#include "support/FileBytes.h"
#include "support/ServerArchive.h"
#include "timeline/EventSource.h"
#include "timeline/IndexBatch.h"
#include "timeline/PayloadCache.h"
#include "timeline/TimelineIndex.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace chronoscope;
using namespace chronoscope::archive;

namespace {

const QString kReducer = QStringLiteral(CHRONOSCOPE_SOURCE_DIR "/resources/reducers/demo-orders.reducer.json");

/// A timeline loaded as the window loads one (index, payload cache) and folded with the demo reducer.
struct Folded
{
    quint64 size = 0;
    QString error;
    QList<QByteArray> hashes; ///< the state hash after each of the counts asked for
};

QByteArray stateHash(const QJsonValue &state)
{
    // QJsonObject keeps its keys sorted: the compact form is canonical.
    const QByteArray bytes = QJsonDocument(QJsonArray{state}).toJson(QJsonDocument::Compact);
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

/// Counts beyond the timeline's size are folded to its end.
Folded fold(engine::TimelineSource &source, const QList<quint64> &counts)
{
    Folded out;
    auto index = std::make_shared<engine::TimelineIndex>();
    auto payloads = std::make_shared<engine::PayloadCache>(source.eventSource(index));
    const ClientError read = source.read(
        [&](const QList<RecordedEvent> &batch) {
            index->appendBatch(engine::IndexBatch(batch));
            return true;
        },
        nullptr, 4096);
    out.size = index->size();
    if (read)
        out.error = read.message;
    engine::ReducerFile::LoadError error;
    const auto file = engine::ReducerFile::load(kReducer, &error);
    if (!file) {
        out.error = QStringLiteral("reducer file");
        return out;
    }
    auto reducer = file->createReducer(&error, [] { return std::make_unique<engine::MergeReducer>(); });
    engine::FoldEngine engine(*index, *payloads, std::move(reducer));
    for (const quint64 count : counts)
        out.hashes.append(stateHash(engine.stateAfter(std::min(count, out.size)).state));
    return out;
}

} // namespace

class TestArchiveRoundTrip : public QObject
{
    Q_OBJECT

    DemoSandbox m_sandbox;
    std::shared_ptr<const StreamsClient> m_client;
    QTemporaryDir m_dir;
    QList<QByteArray> m_streams; ///< the incident's order and payment streams, and more of each category
    QString m_all;               ///< `$all`, archived in chunks of 200 events

    QString archive(const QByteArray &stream, const QString &name, int chunkEvents)
    {
        const QString path = m_dir.filePath(name);
        const QString error = archiveFromServer(m_client, stream, path, chunkEvents, m_sandbox.connectionString());
        return error.isEmpty() ? path : QString();
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
        m_streams = {incident->orderStream, incident->paymentStream};
        QHash<QByteArray, int> perCategory;
        DemoHistory(options).generate([&](const DemoEvent &e) {
            const QByteArray category = e.stream.left(e.stream.indexOf('-'));
            if (!m_streams.contains(e.stream) && perCategory[category] < 3) {
                ++perCategory[category];
                m_streams.append(e.stream);
            }
            return true;
        });
        QVERIFY2(perCategory.size() >= 3, qPrintable(QString::number(perCategory.size())));
        m_all = archive(TimelineSession::allStream(), QStringLiteral("all.chronarc"), 200);
        QVERIFY(!m_all.isEmpty());
    }

    void statesEqualOnlineAndOffline_data()
    {
        QTest::addColumn<QByteArray>("stream");
        for (const QByteArray &s : std::as_const(m_streams))
            QTest::newRow(s.constData()) << s;
        QTest::newRow("$all") << TimelineSession::allStream();
    }
    void statesEqualOnlineAndOffline()
    {
        QFETCH(QByteArray, stream);
        const bool all = stream == TimelineSession::allStream();
        const QString path = all ? m_all : archive(stream, QString::fromUtf8(stream) + QStringLiteral(".chronarc"), 3);
        QVERIFY(!path.isEmpty());
        ServerTimelineSource server(m_client, stream);
        // R: the first event, the middle, the head (for `$all`, ordinals: its events have no revision of their own).
        const Folded online = fold(server, {1, all ? 1500u : 2u, ~0ull});
        QVERIFY2(online.error.isEmpty() && online.size > 0, qPrintable(online.error));
        QString error;
        for (const auto &open : {&ArchiveTimelineSource::open, &ArchiveTimelineSource::openByIndex}) {
            const auto offline = open(path, archiveSigning::check(), &error);
            QVERIFY2(offline, qPrintable(error));
            const Folded folded = fold(*offline, {1, all ? 1500u : 2u, ~0ull});
            QVERIFY2(folded.error.isEmpty(), qPrintable(folded.error));
            QCOMPARE(folded.size, online.size);
            QCOMPARE(folded.hashes, online.hashes);
        }
        // The demo reducer's own streams and $all: real states that change along the timeline.
        if (stream.startsWith("order-") || all) {
            QVERIFY(online.hashes.last() != stateHash(QJsonValue(QJsonObject())));
            QVERIFY(online.hashes.first() != online.hashes.last());
        }
    }

    void flippedByteIsLocated_data()
    {
        QTest::addColumn<QString>("where");
        QTest::newRow("events payload") << QStringLiteral("payload");
        QTest::newRow("events header") << QStringLiteral("header");
        QTest::newRow("index") << QStringLiteral("index");
    }
    void flippedByteIsLocated()
    {
        QFETCH(QString, where);
        ArchiveReader original;
        QVERIFY(original.open(m_all));
        const ArchiveEventChunk chunk = original.eventChunks().at(7);
        const qint64 indexAt = qint64(original.footer().value(QStringLiteral("indexOffset")).toDouble());
        const qint64 at = where == QLatin1String("payload") ? chunk.payloadOffset + chunk.payloadSize / 2
            : where == QLatin1String("header")              ? chunk.offset + 20 // its raw size
                                                            : indexAt + 100;
        QByteArray bytes = fileBytes(m_all);
        bytes[qsizetype(at)] = char(bytes.at(qsizetype(at)) ^ 0x10);
        const QString path = m_dir.filePath(QStringLiteral("flipped-%1.chronarc").arg(where));
        QVERIFY(writeBytes(path, bytes));

        ArchiveReader verified;
        QVERIFY(verified.open(path));
        QVERIFY(!verified.intact());
        QVERIFY(!verified.damage().isEmpty());
        const ArchiveDamage &d = verified.damage().first();
        QVERIFY2(d.offset <= at && at < d.offset + d.size, qPrintable(d.describe()));

        // By the index: the events before the damaged chunk load, and the read names the chunk and its offset.
        QString error;
        const auto byIndex = ArchiveTimelineSource::openByIndex(path, archiveSigning::check(), &error);
        QVERIFY2(byIndex, qPrintable(error));
        const Folded folded = fold(*byIndex, {chunk.firstOrdinal});
        if (where == QLatin1String("index")) { // no index to trust: opened as with Verify, up to nothing damaged
            QVERIFY(byIndex->reader().verified());
            QCOMPARE(folded.size, original.eventCount());
            return;
        }
        QVERIFY(!byIndex->reader().verified());
        // Payloads asked for before any read reaches them: the damaged chunk's are refused, others given.
        const auto payloads =
            ArchiveTimelineSource::openByIndex(path, archiveSigning::check(), &error)->eventSource({});
        const engine::FetchResult refused = payloads->fetch(chunk.firstOrdinal, 1);
        QVERIFY(refused.events.isEmpty());
        QVERIFY2(refused.error.contains(QStringLiteral("at offset %1").arg(chunk.offset)), qPrintable(refused.error));
        QCOMPARE(payloads->fetch(0, 3).events.size(), 3);
        QCOMPARE(folded.size, chunk.firstOrdinal);
        QVERIFY2(folded.error.contains(QStringLiteral("chunk %1 at offset %2").arg(chunk.sequence).arg(chunk.offset)),
                 qPrintable(folded.error));
        ServerTimelineSource server(m_client, TimelineSession::allStream());
        QCOMPARE(folded.hashes, fold(server, {chunk.firstOrdinal}).hashes);
    }

    void truncatedOpensUpToTheDamage()
    {
        ArchiveReader original;
        QVERIFY(original.open(m_all));
        const ArchiveEventChunk chunk = original.eventChunks().at(5);
        const QString path = m_dir.filePath(QStringLiteral("cut.chronarc"));
        QVERIFY(writeBytes(path, fileBytes(m_all).left(qsizetype(chunk.payloadOffset + 77))));
        QString error;
        for (const auto &open : {&ArchiveTimelineSource::open, &ArchiveTimelineSource::openByIndex}) {
            const auto offline = open(path, archiveSigning::check(), &error);
            QVERIFY2(offline, qPrintable(error));
            QVERIFY(offline->reader().truncated());
            QVERIFY(offline->reader().verified()); // no trailer: opened by checking every chunk
            QCOMPARE(offline->size(), chunk.firstOrdinal);
            QVERIFY2(offline->reader().damage().first().describe().contains(QStringLiteral("truncated")),
                     qPrintable(offline->reader().summary()));
            const Folded folded = fold(*offline, {chunk.firstOrdinal});
            ServerTimelineSource server(m_client, TimelineSession::allStream());
            QCOMPARE(folded.size, chunk.firstOrdinal);
            QCOMPARE(folded.hashes, fold(server, {chunk.firstOrdinal}).hashes);
        }
    }

    void byIndexIsNotVerifiedYet()
    {
        ArchiveReader reader;
        QVERIFY(reader.open(m_all, archiveSigning::check(), ArchiveReader::OpenMode::ByIndex));
        QVERIFY(!reader.verified());
        QVERIFY(!reader.intact()); // not known yet: never said intact before it is checked
        QVERIFY(reader.summary().contains(QStringLiteral("opened by its index")));
        ArchiveReader whole;
        QVERIFY(whole.open(m_all));
        QCOMPARE(reader.eventChunks().size(), whole.eventChunks().size());
        for (qsizetype i = 0; i < whole.eventChunks().size(); ++i) {
            QCOMPARE(reader.eventChunks().at(i).offset, whole.eventChunks().at(i).offset);
            QCOMPARE(reader.eventChunks().at(i).count, whole.eventChunks().at(i).count);
            QVERIFY(!reader.checkChunk(i));
        }
        QCOMPARE(reader.manifest(), whole.manifest());
    }
};

QTEST_GUILESS_MAIN(TestArchiveRoundTrip)
#include "tst_archiveroundtrip.moc"
