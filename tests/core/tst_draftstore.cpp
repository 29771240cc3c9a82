// EventDraft and DraftStore: drafts round-trip exactly (even half-typed JSON), keep their event id
// through every save, are moved aside (never deleted) when damaged, and are never torn by a crash:
// a child process saving in a loop is killed with SIGKILL, and every draft file on disk is still
// the previous or the new complete version.
#include "correct/DraftStore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

#include <sys/types.h>

using namespace chronoscope;

namespace {

EventDraft fullDraft()
{
    EventDraft d = EventDraft::create(QStringLiteral("payment-42"), ExpectedState::at(17));
    d.eventType = QStringLiteral("PaymentRefunded");
    d.data = QStringLiteral(
        "{\n  \"amount\": 12.5,\n  \"note\": \"Rückerstattung — ünïcödé\",\n  \"half"); // as typed: not JSON yet
    d.customMetadata = QStringLiteral("{\"ticket\": \"SUP-1234\"}");
    d.correctsEventId = QUuid::createUuid();
    d.correlationId = QStringLiteral("corr-7");
    d.reason = QStringLiteral("duplicate charge on the incident day");
    return d;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(bytes), bytes.size());
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestDraftStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTripKeepsWhatWasTyped()
    {
        QTemporaryDir dir;
        const DraftStore store(dir.path() + QStringLiteral("/drafts"));
        const EventDraft d = fullDraft();
        QCOMPARE(store.save(d), QString());
        const DraftStore::Loaded loaded = store.load(d.draftId);
        QVERIFY2(loaded.draft, qPrintable(loaded.error));
        QCOMPARE(*loaded.draft, d);
        QCOMPARE(loaded.draft->data, d.data); // the unfinished JSON, byte for byte
        QCOMPARE(loaded.draft->expected->revision, quint64(17));
        // Payloads can be personal data: the file and the folder are the user's alone.
        const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup
            | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
        QCOMPARE(QFile::permissions(store.fileFor(d.draftId)) & others, QFileDevice::Permissions());
        QCOMPARE(QFile::permissions(dir.path() + QStringLiteral("/drafts")) & others, QFileDevice::Permissions());
        QVERIFY(
            QFile::permissions(store.fileFor(d.draftId)).testFlags(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        const QJsonObject json = QJsonDocument::fromJson(readFile(store.fileFor(d.draftId))).object();
        QCOMPARE(json.value(QLatin1String("format")).toString(), QStringLiteral("chronoscope-draft"));
        QCOMPARE(json.value(QLatin1String("formatVersion")).toInt(), EventDraft::kFormatVersion);
        QCOMPARE(json.value(QLatin1String("expectedRevision")).toInteger(), qint64(17));

        EventDraft fresh = EventDraft::create(QStringLiteral("order-1"), ExpectedState::noStream());
        fresh.eventType = QStringLiteral("OrderPlaced");
        QCOMPARE(store.save(fresh), QString());
        QCOMPARE(store.load(fresh.draftId).draft->expected, std::optional(ExpectedState::noStream()));
    }

    void eventIdIsFixedOnceAndKept()
    {
        QTemporaryDir dir;
        const DraftStore store(dir.path());
        EventDraft d = fullDraft();
        const QUuid eventId = d.eventId;
        QVERIFY(!eventId.isNull());
        QVERIFY(eventId != d.draftId);
        QCOMPARE(store.save(d), QString());
        for (int edit = 0; edit < 3; ++edit) {
            EventDraft again = *store.load(d.draftId).draft;
            again.data += QStringLiteral(" more");
            again.reason = QStringLiteral("edit %1").arg(edit);
            again.touch();
            QCOMPARE(store.save(again), QString());
        }
        const DraftStore::Listing listing = store.loadAll();
        QCOMPARE(listing.drafts.size(), 1);
        QCOMPARE(listing.drafts.first().eventId, eventId);
        QCOMPARE(listing.drafts.first().reason, QStringLiteral("edit 2"));
        QVERIFY(listing.drafts.first().modified >= listing.drafts.first().created);

        // A draft read back never gets a new id: without one it is not a draft.
        QJsonObject json = QJsonDocument::fromJson(d.toJson()).object();
        json.remove(QLatin1String("eventId"));
        const ParsedEventDraft parsed = EventDraft::fromJson(QJsonDocument(json).toJson());
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error.contains(QLatin1String("eventId")), qPrintable(parsed.error));
    }

    void neverAnyExpectedRevision()
    {
        QTemporaryDir dir;
        const DraftStore store(dir.path());
        EventDraft d = fullDraft();
        d.expected = ExpectedState::any();
        QVERIFY(store.save(d).contains(QLatin1String("\"any\"")));
        d.expected = ExpectedState::streamExists();
        QVERIFY(!store.save(d).isEmpty());
        QVERIFY(!QFile::exists(store.fileFor(d.draftId)));
        QVERIFY(d.appendBlocker().contains(QLatin1String("not pinned")));

        d.expected.reset(); // not inspected yet: it may be saved, but not appended
        QCOMPARE(store.save(d), QString());
        QVERIFY(d.appendBlocker().contains(QLatin1String("no expected revision")));
        QVERIFY(!store.load(d.draftId).draft->expected);
        d.expected = ExpectedState::at(3);
        QCOMPARE(d.appendBlocker(), QString());

        // A file that says "any" was not written by us: it is damaged, not silently "pinned".
        const ParsedEventDraft parsed = EventDraft::fromJson(
            d.toJson().replace("\"expectedRevision\": 3", "\"expectedRevision\": \"any\""));
        QVERIFY(parsed.error.contains(QLatin1String("expectedRevision")));
    }

    void likeThisEvent()
    {
        RecordedEvent e;
        e.streamId = "payment-42";
        e.id = QUuid::createUuid();
        e.revision = 3;
        e.type = "PaymentProcessed";
        e.contentType = "application/json";
        e.data = R"({"amount":12.5})";
        e.metadata = R"({"$correlationId":"order-42-checkout","$causationId":"x","source":"web"})";
        const EventDraft d = EventDraft::likeEvent(e, ExpectedState::at(9));
        QCOMPARE(d.stream, QStringLiteral("payment-42"));
        QCOMPARE(d.expected, std::optional(ExpectedState::at(9))); // the head inspected, not the event's revision
        QCOMPARE(d.eventType, QStringLiteral("PaymentProcessed"));
        QCOMPARE(d.data, QStringLiteral(R"({"amount":12.5})"));
        QCOMPARE(d.correctsEventId, e.id);
        QCOMPARE(d.correlationId, QStringLiteral("order-42-checkout"));
        // The automatic fields are the Corrector's: the template keeps the custom ones only.
        QCOMPARE(QJsonDocument::fromJson(d.customMetadata.toUtf8()).object(),
                 QJsonObject({{QStringLiteral("source"), QStringLiteral("web")}}));
        QVERIFY(d.eventId != e.id);

        e.metadata = "{}";
        QCOMPARE(EventDraft::likeEvent(e, ExpectedState::at(9)).correlationId, e.id.toString(QUuid::WithoutBraces));
        e.contentType = "application/octet-stream"; // bytes are no template for a JSON event
        QCOMPARE(EventDraft::likeEvent(e, ExpectedState::at(9)).data, QString());
    }

    void newerFormatIsRefused()
    {
        const QByteArray json = fullDraft().toJson().replace("\"formatVersion\": 1", "\"formatVersion\": 2");
        const ParsedEventDraft parsed = EventDraft::fromJson(json);
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error.contains(QLatin1String("version 2")), qPrintable(parsed.error));
    }

    void damagedFilesAreMovedAsideNotDeleted()
    {
        QTemporaryDir dir;
        const DraftStore store(dir.path());
        const EventDraft good = fullDraft();
        QCOMPARE(store.save(good), QString());

        const QUuid garbled = QUuid::createUuid(), torn = QUuid::createUuid(), noId = QUuid::createUuid(),
                    renamed = QUuid::createUuid();
        const QByteArray garbledBytes = "\x01\x02 not a draft at all";
        const QByteArray tornBytes = fullDraft().toJson().left(120);
        QJsonObject withoutId = QJsonDocument::fromJson(fullDraft().toJson()).object();
        withoutId.remove(QLatin1String("eventId"));
        writeFile(store.fileFor(garbled), garbledBytes);
        writeFile(store.fileFor(torn), tornBytes);
        writeFile(store.fileFor(noId), QJsonDocument(withoutId).toJson());
        writeFile(store.fileFor(renamed), fullDraft().toJson()); // a draft under another draft's name
        // Not drafts at all: an interrupted save's temporary file, and a note.
        writeFile(store.fileFor(good.draftId) + QStringLiteral(".Ab12Cd"), "{\"format\": \"chronos");
        writeFile(dir.filePath(QStringLiteral("README.txt")), "notes");

        const DraftStore::Listing listing = store.loadAll();
        QCOMPARE(listing.error, QString());
        QCOMPARE(listing.drafts.size(), 1);
        QCOMPARE(listing.drafts.first(), good);
        QCOMPARE(listing.damaged.size(), 4);
        QHash<QString, DraftStore::Damaged> byFile;
        for (const DraftStore::Damaged &d : listing.damaged)
            byFile.insert(QFileInfo(d.file).fileName(), d);
        auto damaged = [&](const QUuid &id) { return byFile.value(QFileInfo(store.fileFor(id)).fileName()); };
        QVERIFY2(damaged(garbled).error.startsWith(QLatin1String("not JSON")), qPrintable(damaged(garbled).error));
        QVERIFY2(damaged(torn).error.startsWith(QLatin1String("not JSON")), qPrintable(damaged(torn).error));
        QVERIFY2(damaged(noId).error.contains(QLatin1String("eventId")), qPrintable(damaged(noId).error));
        QVERIFY2(damaged(renamed).error.contains(QLatin1String("file name")), qPrintable(damaged(renamed).error));
        // Moved, byte for byte, into damaged/; gone from the drafts, so they are reported once.
        for (const DraftStore::Damaged &d : listing.damaged) {
            QVERIFY(!QFile::exists(d.file));
            QVERIFY2(d.movedTo.startsWith(store.damagedDirectory() + QLatin1Char('/')), qPrintable(d.movedTo));
            QVERIFY(QFile::exists(d.movedTo));
        }
        QCOMPARE(readFile(damaged(garbled).movedTo), garbledBytes);
        QCOMPARE(readFile(damaged(torn).movedTo), tornBytes);
        QCOMPARE(store.loadAll().damaged.size(), 0);
        QCOMPARE(store.loadAll().drafts.size(), 1);

        // load() of one damaged draft says so and where it went.
        writeFile(store.fileFor(torn), tornBytes);
        const DraftStore::Loaded loaded = store.load(torn);
        QVERIFY(!loaded.draft);
        QVERIFY(loaded.damaged);
        QVERIFY2(loaded.error.contains(loaded.damaged->movedTo), qPrintable(loaded.error));
        QCOMPARE(QDir(store.damagedDirectory()).entryList(QDir::Files).size(), 5);
        QVERIFY(store.load(QUuid::createUuid()).error.startsWith(QLatin1String("no draft")));
    }

    void listingIsNewestFirstAndRemoveDeletes()
    {
        QTemporaryDir dir;
        const DraftStore store(dir.path());
        QCOMPARE(DraftStore(dir.filePath(QStringLiteral("missing"))).loadAll().drafts.size(), 0);
        QList<EventDraft> drafts;
        for (int i = 0; i < 3; ++i) {
            EventDraft d = EventDraft::create(QStringLiteral("s-%1").arg(i), ExpectedState::at(quint64(i)));
            d.modified = QDateTime::currentDateTimeUtc().addSecs(i == 1 ? 100 : i);
            QCOMPARE(store.save(d), QString());
            drafts.append(d);
        }
        const DraftStore::Listing listing = store.loadAll();
        QCOMPARE(listing.drafts.size(), 3);
        QCOMPARE(listing.drafts.at(0).stream, QStringLiteral("s-1"));
        QCOMPARE(listing.drafts.at(1).stream, QStringLiteral("s-2"));
        QCOMPARE(listing.drafts.at(2).stream, QStringLiteral("s-0"));
        QCOMPARE(store.remove(drafts.at(1).draftId), QString());
        QCOMPARE(store.remove(drafts.at(1).draftId), QString());
        QCOMPARE(store.loadAll().drafts.size(), 2);
        QVERIFY(!QFile::exists(store.fileFor(drafts.at(1).draftId)));
    }

    // SIGKILL while a child saves drafts in a loop, again and again: every draft file is then the
    // version last reported saved or the one being saved, whole — never torn, never lost — and is
    // offered back with its event id. Rounds go on until kills have landed inside a save (the
    // child said "begin" but not "saved") a few times, so the test proves what it says. (Qt writes
    // the new version into an unnamed O_TMPFILE on Linux and links it in at commit, so a kill
    // leaves no temporary file behind either.)
    void killDuringSavesNeverTearsADraft()
    {
        QTemporaryDir dir;
        const QString drafts = dir.filePath(QStringLiteral("drafts"));
        constexpr int kDrafts = 3;
        constexpr int kPad = 256 * 1024; // big enough that a save takes a while to write and sync
        QHash<int, int> onDisk;          // k → gen, as found after the previous round
        QHash<int, QUuid> eventIds;
        int killedInSave = 0;
        int rounds = 0;
        for (; rounds < 40 && (rounds < 6 || killedInSave < 3); ++rounds) {
            QProcess child;
            child.start(QStringLiteral(CORRECT_WRITE_HELPER),
                        {QStringLiteral("drafts"), drafts, QString::number(kDrafts), QString::number(kPad)});
            QVERIFY2(child.waitForStarted(5000), qPrintable(child.errorString()));
            // Let it save a few times (the first round: create every draft), then kill it at a random moment.
            const int savesWanted = (rounds == 0 ? kDrafts : 1) + int(QRandomGenerator::global()->bounded(3));
            QByteArray output;
            QElapsedTimer waited;
            waited.start();
            while (output.count("saved") < savesWanted && waited.elapsed() < 10000) {
                child.waitForReadyRead(100);
                output += child.readAllStandardOutput();
            }
            QVERIFY2(output.count("saved") >= savesWanted, child.readAllStandardError().constData());
            QTest::qSleep(int(QRandomGenerator::global()->bounded(8)));
            QCOMPARE(::kill(pid_t(child.processId()), SIGKILL), 0); // kill -9
            QVERIFY(child.waitForFinished(5000));
            QCOMPARE(child.exitStatus(), QProcess::CrashExit);
            output += child.readAllStandardOutput();

            // What may be on disk for each draft: what it had, what was saved, and what was in flight.
            QHash<int, QSet<int>> allowed;
            for (auto it = onDisk.cbegin(); it != onDisk.cend(); ++it)
                allowed[it.key()].insert(it.value());
            QByteArray last;
            for (const QByteArray &line : output.split('\n')) {
                const QList<QByteArray> words = line.split(' ');
                if (words.size() != 3)
                    continue;
                const int k = words.at(1).toInt(), gen = words.at(2).toInt();
                if (words.at(0) == "saved")
                    allowed[k] = {gen};
                else
                    allowed[k].insert(gen);
                last = words.at(0);
            }
            if (last == "begin")
                ++killedInSave;

            const DraftStore::Listing listing = DraftStore(drafts).loadAll();
            QVERIFY2(listing.damaged.isEmpty(),
                     listing.damaged.isEmpty() ? "" : qPrintable(listing.damaged.first().error));
            QCOMPARE(listing.drafts.size(), kDrafts);
            for (const EventDraft &d : listing.drafts) {
                const QJsonObject data = QJsonDocument::fromJson(d.data.toUtf8()).object();
                const int k = data.value(QLatin1String("k")).toInt(-1),
                          gen = data.value(QLatin1String("gen")).toInt(-1);
                QVERIFY2(allowed.value(k).contains(gen),
                         qPrintable(QStringLiteral("round %1: draft %2 has version %3, not one saved or being saved")
                                        .arg(rounds)
                                        .arg(k)
                                        .arg(gen)));
                QCOMPARE(data.value(QLatin1String("pad")).toString(), QString(kPad, QChar(u'a' + gen % 26)));
                QCOMPARE(d.stream, QStringLiteral("helper-%1").arg(k));
                if (!eventIds.contains(k))
                    eventIds.insert(k, d.eventId);
                QCOMPARE(d.eventId, eventIds.value(k));
                onDisk.insert(k, gen);
            }
        }
        const QStringList leftovers = QDir(drafts).entryList({QStringLiteral("*.json.*")}, QDir::Files | QDir::Hidden);
        qInfo("%d rounds, %d kills inside a save, %d unfinished temporary files left (ignored)", rounds, killedInSave,
              int(leftovers.size()));
        QVERIFY2(killedInSave >= 1, "no kill landed inside a save: the test proved nothing");
    }
};

QTEST_GUILESS_MAIN(TestDraftStore)
#include "tst_draftstore.moc"
