// Archives (docs/ARCHIVE-FORMAT.md) against a sandbox: a stream and `$all` read from the server, written
// to an archive, opened offline, equal event for event and as a loaded session; a flipped byte found
// in the chunk that holds it; a truncated file opening up to the damage; a signature that holds, is
// another key's, or breaks with the events; a cancelled write leaving nothing.
#include "archive/ArchiveReader.h"
#include "archive/ArchiveTimelineSource.h"
#include "archive/ArchiveWriter.h"
#include "client/StreamsClient.h"
#include "report/ArchiveSigning.h"
#include "report/Ed25519.h"
#include "session/ServerTimelineSource.h"
#include "session/TimelineSession.h"
#include "support/DemoSandbox.h"
#include "support/FileBytes.h"
#include "timeline/InMemoryTimelineSource.h"
#include "timeline/LiveFeed.h"
#include "timeline/PayloadCache.h"
#include "timeline/TimelineIndex.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace chronoscope;
using namespace chronoscope::archive;

namespace {

/// Every field of an event, payloads as hex: two lists equal exactly when the events are.
QStringList lines(const QList<RecordedEvent> &events)
{
    QStringList out;
    for (const RecordedEvent &e : events)
        out.append(QStringLiteral("%1@%2 %3 pos %4/%5 %6 %7 %8 data %9 meta %10")
                       .arg(QString::fromUtf8(e.streamId))
                       .arg(e.revision)
                       .arg(e.id.toString())
                       .arg(e.position.commit)
                       .arg(e.position.prepare)
                       .arg(e.createdTicks)
                       .arg(QString::fromUtf8(e.type), QString::fromUtf8(e.contentType),
                            QString::fromLatin1(e.data.toHex()), QString::fromLatin1(e.metadata.toHex())));
    return out;
}

QList<RecordedEvent> readAll(engine::TimelineSource &source)
{
    QList<RecordedEvent> out;
    const ClientError error = source.read(
        [&](const QList<RecordedEvent> &batch) {
            out.append(batch);
            return true;
        },
        {}, 100);
    if (error)
        qWarning("read failed: %s", qPrintable(error.message));
    return out;
}

/// What a loaded session shows, one line per ordinal (index and payloads).
QStringList sessionLines(TimelineSession &session, std::shared_ptr<engine::TimelineSource> source)
{
    QSignalSpy finished(&session, &TimelineSession::loadFinished);
    session.load(std::move(source));
    if (!finished.wait(15000) || finished.first().at(0).value<ClientError>().isError())
        return {QStringLiteral("load failed")};
    const engine::TimelineIndex &index = session.index();
    QStringList out;
    for (quint64 o = 0; o < index.size(); ++o)
        out.append(QStringLiteral("%1 %2@%3 pos %4 %5 %6")
                       .arg(o)
                       .arg(QString::fromUtf8(index.streamName(o)))
                       .arg(index.revision(o))
                       .arg(index.commitPosition(o))
                       .arg(QString::fromUtf8(index.typeName(o)))
                       .arg(index.createdTicks(o)));
    const engine::FetchResult fetched = session.payloads()->events(0, index.size());
    if (!fetched.ok())
        return {fetched.error};
    return out + lines(fetched.events);
}

} // namespace

class TestArchive : public QObject
{
    Q_OBJECT

    DemoSandbox m_sandbox;
    std::shared_ptr<const StreamsClient> m_client;
    QTemporaryDir m_dir;
    QString m_mixed; ///< an archive of "archive-mix", 3 events a chunk
    QList<RecordedEvent> m_mixedEvents;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    ArchiveWriter::Provenance provenance() const
    {
        ArchiveWriter::Provenance p;
        p.connection = QStringLiteral("kurrentdb://127.0.0.1?tls=false");
        p.createdBy = QStringLiteral("tst_archive");
        return p;
    }

    QString write(engine::TimelineSource &source, const QString &file, int chunkEvents, const Signer &signer = {})
    {
        ArchiveWriter::Options options;
        options.chunkEvents = chunkEvents;
        options.signer = signer;
        return ArchiveWriter::write(source, path(file), provenance(), options);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_sandbox.start(2000), qPrintable(m_sandbox.error()));
        m_client = std::make_shared<const StreamsClient>(m_sandbox.settings());
        // JSON, binary (every byte value, NULs included), empty payloads, metadata of both kinds.
        QByteArray everyByte;
        for (int b = 0; b < 256; ++b)
            everyByte.append(char(b));
        QList<EventData> events;
        for (int i = 0; i < 10; ++i) {
            events.append(
                EventData::json("Priced", QByteArrayLiteral("{\"n\":") + QByteArray::number(i) + "}",
                                QByteArrayLiteral("{\"$correlationId\":\"c-") + QByteArray::number(i) + "\"}"));
            events.append(EventData::binary("Blob", everyByte + QByteArray::number(i), everyByte.left(i)));
        }
        events.append(EventData::json("Empty", {}));
        QVERIFY(!m_client->append("archive-mix", ExpectedState::noStream(), events).error);

        ServerTimelineSource server(m_client, "archive-mix");
        m_mixedEvents = readAll(server);
        QCOMPARE(m_mixedEvents.size(), 21);
        m_mixed = path(QStringLiteral("mixed.chronarc"));
        QCOMPARE(write(server, QStringLiteral("mixed.chronarc"), 3), QString());
    }

    void roundTripStream()
    {
        ArchiveReader reader;
        QVERIFY2(reader.open(m_mixed), qPrintable(reader.error()));
        QVERIFY2(reader.intact(), qPrintable(reader.summary()));
        QVERIFY(reader.hashVerified());
        QVERIFY(!reader.isSigned());
        QCOMPARE(reader.eventChunks().size(), 7);
        QCOMPARE(reader.declaredEventCount(), 21u);
        QCOMPARE(
            reader.manifest().value(QStringLiteral("source")).toObject().value(QStringLiteral("stream")).toString(),
            QStringLiteral("archive-mix"));
        const QJsonArray streams = reader.index().value(QStringLiteral("streams")).toArray();
        QCOMPARE(streams.size(), 1);
        QCOMPARE(streams.at(0).toObject().value(QStringLiteral("lastRevision")).toInt(), 20);

        QString error;
        const auto opened = ArchiveTimelineSource::open(m_mixed, {}, &error);
        QVERIFY2(opened, qPrintable(error));
        QCOMPARE(QString::fromUtf8(opened->name()), QStringLiteral("archive-mix"));
        QVERIFY(!opened->isAll());
        QVERIFY(!opened->canFollowLive());
        QVERIFY(!opened->follow({}));
        QCOMPARE(lines(readAll(*opened)), lines(m_mixedEvents));
        // Payloads by ordinal across chunk boundaries.
        const auto payloads = opened->eventSource({});
        const engine::FetchResult fetched = payloads->fetch(2, 5);
        QVERIFY(fetched.ok());
        QCOMPARE(lines(fetched.events), lines(m_mixedEvents.mid(2, 5)));
        QCOMPARE(payloads->fetch(19, 10).events.size(), 2);
    }

    void roundTripAllAsSession()
    {
        ServerTimelineSource server(m_client, TimelineSession::allStream());
        QCOMPARE(write(server, QStringLiteral("all.chronarc"), 50), QString());
        QString error;
        const auto archived = ArchiveTimelineSource::open(path(QStringLiteral("all.chronarc")), {}, &error);
        QVERIFY2(archived, qPrintable(error));
        QVERIFY(archived->isAll());
        QVERIFY2(archived->reader().intact(), qPrintable(archived->reader().summary()));

        TimelineSession online, offline;
        const QStringList expected = sessionLines(
            online, std::make_shared<ServerTimelineSource>(m_client, TimelineSession::allStream()));
        QVERIFY(expected.size() > 2000);
        QCOMPARE(sessionLines(offline, archived), expected);
    }

    void flippedByteIsLocated_data()
    {
        QTest::addColumn<QString>("where");
        QTest::newRow("events payload") << QStringLiteral("payload");
        QTest::newRow("events chunk header size") << QStringLiteral("size");
        QTest::newRow("index") << QStringLiteral("index");
        QTest::newRow("footer") << QStringLiteral("footer");
    }
    void flippedByteIsLocated()
    {
        QFETCH(QString, where);
        ArchiveReader original;
        QVERIFY(original.open(m_mixed));
        const ArchiveEventChunk third = original.eventChunks().at(2);
        const qint64 indexOffset = qint64(original.footer().value(QStringLiteral("indexOffset")).toDouble());
        const QByteArray bytes = fileBytes(m_mixed);
        const qint64 footerOffset = bytes.lastIndexOf("CHNK");
        qint64 at = 0;
        if (where == QLatin1String("payload"))
            at = third.payloadOffset + third.payloadSize / 2;
        else if (where == QLatin1String("size"))
            at = third.offset + 12 + 2; // the stored size's third byte: the chunk "runs" far
        else if (where == QLatin1String("index"))
            at = indexOffset + 70;
        else
            at = footerOffset + 70;

        QByteArray damaged = bytes;
        damaged[qsizetype(at)] = char(damaged.at(qsizetype(at)) ^ 0x20);
        const QString file = path(QStringLiteral("flipped-%1.chronarc").arg(where));
        QVERIFY(writeBytes(file, damaged));

        ArchiveReader reader;
        QVERIFY2(reader.open(file), qPrintable(reader.error()));
        QVERIFY(!reader.intact());
        QVERIFY(!reader.damage().isEmpty());
        bool located = false;
        for (const ArchiveDamage &d : reader.damage())
            located = located || (d.offset <= at && at < d.offset + d.size);
        QVERIFY2(located, qPrintable(reader.summary()));
        QVERIFY(reader.summary().startsWith(QStringLiteral("damaged: chunk ")));

        QString error;
        const auto opened = ArchiveTimelineSource::open(file, {}, &error);
        QVERIFY(opened);
        const QList<RecordedEvent> events = readAll(*opened);
        if (where == QLatin1String("payload") || where == QLatin1String("size")) {
            // The first two chunks open; the third is reported; the later ones are read but not loaded.
            QCOMPARE(lines(events), lines(m_mixedEvents.mid(0, 6)));
            QCOMPARE(reader.damage().first().sequence, qint64(third.sequence));
            QCOMPARE(reader.damage().first().offset, third.offset);
            QCOMPARE(reader.eventCount(), 18u);
            QString chunkError;
            QCOMPARE(lines(reader.readChunk(2, &chunkError)), lines(m_mixedEvents.mid(9, 3)));
        } else {
            QCOMPARE(lines(events), lines(m_mixedEvents)); // every event chunk is intact
        }
    }

    void removedChunkIsReported()
    {
        ArchiveReader original;
        QVERIFY(original.open(m_mixed));
        const ArchiveEventChunk second = original.eventChunks().at(1);
        QByteArray bytes = fileBytes(m_mixed);
        bytes.remove(qsizetype(second.offset), qsizetype(second.payloadOffset + second.payloadSize - second.offset));
        const QString file = path(QStringLiteral("removed.chronarc"));
        QVERIFY(writeBytes(file, bytes));
        ArchiveReader reader;
        QVERIFY(reader.open(file));
        QVERIFY(!reader.intact());
        QVERIFY(!reader.hashVerified());
        QVERIFY(!reader.damage().isEmpty());
        QCOMPARE(reader.damage().first().offset, second.offset);
        QCOMPARE(reader.damage().first().sequence, qint64(second.sequence));
        QVERIFY2(reader.damage().first().reason.contains(QStringLiteral("missing")), qPrintable(reader.summary()));
        QCOMPARE(reader.prefixEventCount(), 3u); // the first chunk only: no hole in a timeline
        QCOMPARE(reader.eventCount(), 18u);
    }

    void truncatedOpensUpToTheDamage()
    {
        ArchiveReader original;
        QVERIFY(original.open(m_mixed));
        const QByteArray bytes = fileBytes(m_mixed);
        const ArchiveEventChunk fifth = original.eventChunks().at(4);
        for (const qint64 cut : {fifth.payloadOffset + 5, fifth.offset + 10, fifth.offset, qint64(bytes.size() - 3)}) {
            const QString file = path(QStringLiteral("cut-%1.chronarc").arg(cut));
            QVERIFY(writeBytes(file, bytes.left(qsizetype(cut))));
            ArchiveReader reader;
            QVERIFY2(reader.open(file), qPrintable(reader.error()));
            QVERIFY(reader.truncated());
            QVERIFY(!reader.intact());
            QVERIFY(!reader.hashVerified() || cut > fifth.offset + 1000);
            QString error;
            const auto opened = ArchiveTimelineSource::open(file, {}, &error);
            QVERIFY(opened);
            const qsizetype expected = cut >= qint64(bytes.size() - 3) ? 21 : 12;
            QCOMPARE(lines(readAll(*opened)), lines(m_mixedEvents.mid(0, expected)));
        }
        ArchiveReader tooShort;
        QVERIFY(writeBytes(path(QStringLiteral("short.chronarc")), bytes.left(10)));
        QVERIFY(!tooShort.open(path(QStringLiteral("short.chronarc"))));
        QVERIFY(tooShort.error().contains(QStringLiteral("not a Chronoscope archive")));
    }

    void signature()
    {
        const auto key = Ed25519::generate();
        const auto other = Ed25519::generate();
        QVERIFY(key && other);
        ServerTimelineSource server(m_client, "archive-mix");
        QCOMPARE(write(server, QStringLiteral("signed.chronarc"), 4, archiveSigning::signer(key->privateKey)),
                 QString());
        const QString file = path(QStringLiteral("signed.chronarc"));

        ArchiveReader unchecked;
        QVERIFY(unchecked.open(file));
        QVERIFY(unchecked.isSigned());
        QVERIFY(!unchecked.signatureVerified()); // nothing to check it with
        ArchiveReader reader;
        QVERIFY(reader.open(file, archiveSigning::check()));
        QVERIFY2(reader.intact(), qPrintable(reader.summary()));
        QVERIFY(reader.signatureVerified());
        QCOMPARE(reader.signerFingerprint(), Ed25519::fingerprint(key->publicKey));
        QVERIFY(reader.signerFingerprint() != Ed25519::fingerprint(other->publicKey));
        QVERIFY(reader.summary().contains(Ed25519::fingerprint(key->publicKey)));

        // Independently of Chronoscope's reader: the footer's hash is the file's prefix's, the
        // signature is Ed25519 over the documented message.
        const QByteArray bytes = fileBytes(file);
        const qsizetype footerAt = bytes.lastIndexOf("CHNK");
        const QByteArray sha = QCryptographicHash::hash(bytes.left(footerAt), QCryptographicHash::Sha256).toHex();
        QCOMPARE(reader.footer().value(QStringLiteral("sha256")).toString().toLatin1(), sha);
        const QByteArray value = QByteArray::fromBase64(reader.footer()
                                                            .value(QStringLiteral("signature"))
                                                            .toObject()
                                                            .value(QStringLiteral("value"))
                                                            .toString()
                                                            .toLatin1());
        QVERIFY(Ed25519::verify(key->publicKey, QByteArray("chronoscope-archive-v1\n").append(sha), value));

        // One byte of one event changed: neither the hashes nor the signature hold.
        QByteArray tampered = bytes;
        const qsizetype at = tampered.indexOf("{\"n\":5}") + 5;
        tampered[at] = '6';
        QVERIFY(writeBytes(path(QStringLiteral("tampered.chronarc")), tampered));
        ArchiveReader broken;
        QVERIFY(broken.open(path(QStringLiteral("tampered.chronarc")), archiveSigning::check()));
        QVERIFY(broken.isSigned());
        QVERIFY(!broken.signatureVerified());
        QVERIFY(!broken.hashVerified());
        QVERIFY(!broken.intact());
    }

    void cancelledWriteLeavesNothing()
    {
        const QString file = path(QStringLiteral("kept.chronarc"));
        QVERIFY(writeBytes(file, "what was there"));
        ServerTimelineSource server(m_client, TimelineSession::allStream());
        ArchiveWriter::Options options;
        quint64 calls = 0;
        const QString error = ArchiveWriter::write(server, file, provenance(), options, {}, [&](quint64 events) {
            ++calls;
            return events < 300;
        });
        QCOMPARE(error, QStringLiteral("cancelled"));
        QVERIFY(calls >= 1);
        QCOMPARE(fileBytes(file), QByteArray("what was there"));
        QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral("kept.chronarc*")}, QDir::Files | QDir::Hidden).size(),
                 1);

        const auto cancel = std::make_shared<Cancellation>();
        cancel->cancel();
        QCOMPARE(ArchiveWriter::write(server, path(QStringLiteral("never.chronarc")), provenance(), options, cancel),
                 QStringLiteral("cancelled"));
        QVERIFY(!QFile::exists(path(QStringLiteral("never.chronarc"))));
    }

    // The documented procedure: scripts/read-archive.py, Python's standard library alone, reads what the
    // writer wrote and finds the same damage.
    void readableWithoutChronoscope()
    {
        const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        if (python.isEmpty())
            QSKIP("python3 is not installed");
        const QString script = QStringLiteral(CHRONOSCOPE_TEST_DATA "/../../scripts/read-archive.py");
        const auto run = [&](const QString &file, QByteArray *err) {
            QProcess p;
            p.start(python, {script, file});
            p.waitForFinished(30000);
            *err = p.readAllStandardError();
            return std::make_pair(p.exitCode(), p.readAllStandardOutput());
        };
        QByteArray err;
        const auto [code, out] = run(m_mixed, &err);
        QVERIFY2(code == 0, err.constData());
        QStringList expected;
        for (const RecordedEvent &e : std::as_const(m_mixedEvents))
            expected.append(QStringLiteral("%1@%2 %3 %4 %5 %6 %7")
                                .arg(QString::fromUtf8(e.streamId))
                                .arg(e.revision)
                                .arg(e.id.toString(QUuid::WithoutBraces))
                                .arg(e.position.commit)
                                .arg(QString::fromUtf8(e.type), QString::fromUtf8(e.contentType))
                                .arg(e.data.size()));
        QStringList got = QString::fromUtf8(out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY(got.size() == expected.size() + 1); // the manifest first
        QVERIFY(got.takeFirst().contains(QStringLiteral("\"stream\": \"archive-mix\"")));
        QCOMPARE(got, expected);

        ArchiveReader reader;
        QVERIFY(reader.open(path(QStringLiteral("flipped-payload.chronarc"))));
        const auto [damagedCode, damagedOut] = run(path(QStringLiteral("flipped-payload.chronarc")), &err);
        Q_UNUSED(damagedOut);
        QCOMPARE(damagedCode, 1);
        QVERIFY2(err.contains(QStringLiteral("chunk %1 at offset %2: damaged")
                                  .arg(reader.damage().first().sequence)
                                  .arg(reader.damage().first().offset)
                                  .toUtf8()),
                 err.constData());
    }

    void emptyTimeline()
    {
        engine::InMemoryTimelineSource empty("nothing-yet");
        QCOMPARE(write(empty, QStringLiteral("empty.chronarc"), 10), QString());
        ArchiveReader reader;
        QVERIFY(reader.open(path(QStringLiteral("empty.chronarc"))));
        QVERIFY2(reader.intact(), qPrintable(reader.summary()));
        QCOMPARE(reader.declaredEventCount(), 0u);
        QCOMPARE(reader.eventChunks().size(), 0);
        const auto opened = ArchiveTimelineSource::open(path(QStringLiteral("empty.chronarc")), {}, nullptr);
        QVERIFY(opened);
        QCOMPARE(QString::fromUtf8(opened->name()), QStringLiteral("nothing-yet"));
        QVERIFY(readAll(*opened).isEmpty());
        QVERIFY(opened->eventSource({})->fetch(0, 10).events.isEmpty());
    }

    void notAnArchive()
    {
        QVERIFY(writeBytes(path(QStringLiteral("text.chronarc")), "just some text, long enough to be read"));
        ArchiveReader reader;
        QVERIFY(!reader.open(path(QStringLiteral("text.chronarc"))));
        QVERIFY(reader.error().contains(QStringLiteral("is not a Chronoscope archive")));
        QByteArray future = fileBytes(m_mixed);
        future[8] = 2;
        QVERIFY(writeBytes(path(QStringLiteral("v2.chronarc")), future));
        ArchiveReader newer;
        QVERIFY(!newer.open(path(QStringLiteral("v2.chronarc"))));
        QVERIFY(newer.error().contains(QStringLiteral("format version 2")));
        ArchiveReader missing;
        QVERIFY(!missing.open(path(QStringLiteral("none.chronarc"))));
        QVERIFY(missing.error().startsWith(QStringLiteral("cannot read")));
    }
};

QTEST_MAIN(TestArchive)
#include "tst_archive.moc"
