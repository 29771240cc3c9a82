// Our client against the sandbox in-process: the Streams semantics of the real server.
#include "ProjectionsRegistration.h"
#include "SandboxServer.h"
#include "StandardUsers.h"
#include "client/StreamsClient.h"
#include "demo/DemoSeeder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace chronoscope;

class TestSandboxStreams : public QObject
{
    Q_OBJECT

    sandbox::SandboxServer m_server;
    std::unique_ptr<StreamsClient> m_client;

    static QList<EventData> events(int n, const QByteArray &type = "Tested")
    {
        QList<EventData> list;
        for (int i = 0; i < n; ++i)
            list << EventData::json(type, "{\"n\":" + QByteArray::number(i) + '}', "{\"$correlationId\":\"c\"}");
        return list;
    }
    static QList<quint64> revisions(const ReadResult &r)
    {
        QList<quint64> out;
        for (const ResolvedEvent &e : r.events)
            out << e.originalEvent().revision;
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        const int port = m_server.start(QStringLiteral("127.0.0.1:0"), &error);
        QVERIFY2(port > 0, qPrintable(error));
        const auto cs = ConnectionString::parse(QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(port));
        QVERIFY(cs.ok());
        m_client = std::make_unique<StreamsClient>(cs.settings);
    }

    void serverInfo()
    {
        const ServerInfo info = m_client->serverInfo();
        QVERIFY2(!info.error, qPrintable(info.error.toString()));
        QCOMPARE(info.version, QStringLiteral("24.10.0"));
        QVERIFY(info.supports(QStringLiteral("event_store.client.streams.Streams"), QStringLiteral("Read")));
        QVERIFY(info.supports(QStringLiteral("event_store.client.streams.Streams"), QStringLiteral("BatchAppend")));
    }

    void appendExpectedStates()
    {
        const AppendResult first = m_client->append("acct-1", ExpectedState::noStream(), events(3));
        QVERIFY2(!first.error, qPrintable(first.error.toString()));
        QCOMPARE(first.nextExpectedRevision.value(), quint64(2));
        QVERIFY(first.position.has_value());

        const AppendResult conflict = m_client->append("acct-1", ExpectedState::noStream(), events(1));
        QCOMPARE(conflict.error.kind, ClientError::Kind::WrongExpectedVersion);
        QVERIFY(conflict.error.expected == ExpectedState::noStream());
        QCOMPARE(conflict.error.actualRevision.value(), quint64(2));

        const AppendResult stale = m_client->append("acct-1", ExpectedState::at(1), events(1));
        QCOMPARE(stale.error.kind, ClientError::Kind::WrongExpectedVersion);
        QVERIFY(stale.error.expected == ExpectedState::at(1));

        QVERIFY(!m_client->append("acct-1", ExpectedState::at(2), events(1)).error);
        QVERIFY(!m_client->append("acct-1", ExpectedState::streamExists(), events(1)).error);
        QVERIFY(!m_client->append("acct-1", ExpectedState::any(), events(1)).error);

        const AppendResult missing = m_client->append("acct-none", ExpectedState::streamExists(), events(1));
        QCOMPARE(missing.error.kind, ClientError::Kind::WrongExpectedVersion);
        QVERIFY(!missing.error.actualRevision.has_value());
    }

    void idempotentRetry()
    {
        const QList<EventData> batch = events(2);
        const AppendResult a = m_client->append("idem-1", ExpectedState::noStream(), batch);
        const AppendResult b = m_client->append("idem-1", ExpectedState::noStream(), batch);
        QVERIFY(!a.error);
        QVERIFY2(!b.error, qPrintable(b.error.toString()));
        QCOMPARE(b.nextExpectedRevision, a.nextExpectedRevision);
        QCOMPARE(m_client->readAll(ReadRequest::forStream("idem-1")).events.size(), 2);
    }

    void readDirections()
    {
        QVERIFY(!m_client->append("read-1", ExpectedState::noStream(), events(10)).error);
        QCOMPARE(revisions(m_client->readAll(ReadRequest::forStream("read-1"))),
                 (QList<quint64>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
        QCOMPARE(revisions(m_client->readAll(ReadRequest::forStream("read-1", Direction::Backwards).count(3))),
                 (QList<quint64>{9, 8, 7}));
        QCOMPARE(revisions(m_client->readAll(ReadRequest::forStream("read-1").fromRevision(7))),
                 (QList<quint64>{7, 8, 9}));
        QCOMPARE(revisions(m_client->readAll(ReadRequest::forStream("read-1", Direction::Backwards).fromRevision(2))),
                 (QList<quint64>{2, 1, 0}));
        const ReadResult past = m_client->readAll(ReadRequest::forStream("read-1").fromRevision(50));
        QVERIFY(!past.error);
        QVERIFY(past.events.isEmpty());

        // compatibility 1: the server reports the last revision after a forward read to the end
        ReadSummary s = m_client->read(ReadRequest::forStream("read-1"), [](ResolvedEvent &&) { return true; });
        QCOMPARE(s.lastStreamPosition.value(), quint64(9));
        QCOMPARE(s.eventCount, quint64(10));

        const ReadResult one = m_client->readAll(ReadRequest::forStream("read-1").count(1));
        const RecordedEvent &e = *one.events.first().event;
        QCOMPARE(e.streamId, QByteArray("read-1"));
        QCOMPARE(e.type, QByteArray("Tested"));
        QVERIFY(e.isJson());
        QCOMPARE(e.data, QByteArray("{\"n\":0}"));
        QCOMPARE(e.metadata, QByteArray("{\"$correlationId\":\"c\"}"));
        QVERIFY(!e.id.isNull());
        QVERIFY(qAbs(e.createdMsecsSinceEpoch() - QDateTime::currentMSecsSinceEpoch()) < 60000);
    }

    void missingStream()
    {
        const ReadResult r = m_client->readAll(ReadRequest::forStream("never-written"));
        QCOMPARE(r.error.kind, ClientError::Kind::StreamNotFound);
        QVERIFY(r.events.isEmpty());
    }

    void softDeleteAndRecreate()
    {
        QVERIFY(!m_client->append("soft-1", ExpectedState::noStream(), events(3)).error);
        const DeleteResult d = m_client->deleteStream("soft-1", ExpectedState::at(2));
        QVERIFY2(!d.error, qPrintable(d.error.toString()));
        QVERIFY(d.position.has_value());
        QCOMPARE(m_client->readAll(ReadRequest::forStream("soft-1")).error.kind, ClientError::Kind::StreamNotFound);
        const AppendResult again = m_client->append("soft-1", ExpectedState::any(), events(2));
        QVERIFY2(!again.error, qPrintable(again.error.toString()));
        QCOMPARE(again.nextExpectedRevision.value(), quint64(4)); // numbering continues
        QCOMPARE(revisions(m_client->readAll(ReadRequest::forStream("soft-1"))), (QList<quint64>{3, 4}));

        const DeleteResult never = m_client->deleteStream("soft-never", ExpectedState::any());
        QCOMPARE(never.error.kind, ClientError::Kind::WrongExpectedVersion);
        const DeleteResult wrong = m_client->deleteStream("soft-1", ExpectedState::at(0));
        QCOMPARE(wrong.error.kind, ClientError::Kind::WrongExpectedVersion);
        QVERIFY(wrong.error.expected == ExpectedState::at(0));
        QCOMPARE(wrong.error.actualRevision.value(), quint64(4));
    }

    void deleteStreamKnownOnlyByMetadata()
    {
        // StorageWriterService.Handle(WriteDelete): the delete's expected version is checked as an append's
        // (IndexWriter.CheckCommit), then a soft delete refuses only a stream with neither events nor metadata.
        StreamMetadata m;
        m.maxCount = 5;
        QVERIFY(!m_client->setStreamMetadata("meta-only-1", m).error);
        const DeleteResult d = m_client->deleteStream("meta-only-1", ExpectedState::noStream());
        QVERIFY2(!d.error, qPrintable(d.error.toString()));
        QVERIFY(d.position.has_value());
        const StreamMetadataResult after = m_client->getStreamMetadata("meta-only-1");
        QCOMPARE(after.metadata->truncateBefore.value(), std::numeric_limits<qint64>::max());
        QVERIFY(!after.metadata->maxCount); // the soft delete's metadata replaces what was there
        // Soft-deleted already: deleting again is a new `$tb`, not a conflict.
        QVERIFY(!m_client->deleteStream("meta-only-1", ExpectedState::any()).error);
        QCOMPARE(m_client->getStreamMetadata("meta-only-1").metastreamRevision.value(), quint64(2));

        // stream_exists counts the metadata too, for a tombstone as for an append.
        QVERIFY(!m_client->setStreamMetadata("meta-only-2", m).error);
        QVERIFY(!m_client->setStreamMetadata("meta-only-3", m).error);
        QVERIFY(!m_client->append("meta-only-3", ExpectedState::streamExists(), events(1)).error);
        QVERIFY(!m_client->tombstoneStream("meta-only-2", ExpectedState::streamExists()).error);
        QCOMPARE(m_client->readAll(ReadRequest::forStream("meta-only-2")).error.kind, ClientError::Kind::StreamDeleted);

        // Neither events nor metadata: the server's own wrong expected version, -1 against no stream.
        const DeleteResult never = m_client->deleteStream("meta-only-never", ExpectedState::noStream());
        QCOMPARE(never.error.kind, ClientError::Kind::WrongExpectedVersion);
        QVERIFY(!never.error.actualRevision);
        // A revision the stream does not have stays a conflict.
        QVERIFY(!m_client->setStreamMetadata("meta-only-4", m).error);
        QCOMPARE(m_client->deleteStream("meta-only-4", ExpectedState::at(0)).error.kind,
                 ClientError::Kind::WrongExpectedVersion);
    }

    /// What a fresh node writes by itself (docs/SANDBOX-FRESH-NODE.md), once: a --db restart adds nothing.
    void freshNodeRecords()
    {
        // Rfc2898DeriveBytes is PBKDF2-HMAC-SHA1: RFC 6070's vectors.
        QCOMPARE(sandbox::pbkdf2Sha1("password", "salt", 1, 20).toHex(),
                 QByteArray("0c60c80f961f0e71f3a9b524af6012062fe037a6"));
        QCOMPARE(sandbox::pbkdf2Sha1("password", "salt", 4096, 20).toHex(),
                 QByteArray("4b007901b765489abead49d926f721d065a429c1"));
        QCOMPARE(
            sandbox::pbkdf2Sha1("passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 25).toHex(),
            QByteArray("3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038"));

        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("db")).toStdString();
        std::string why, notice;
        {
            sandbox::EventStore store;
            QVERIFY2(store.openLog(path, &why, &notice), why.c_str());
            QCOMPARE(sandbox::writeStandardUsers(store), 6);
            QCOMPARE(sandbox::writeProjectionsRegistration(store, true), 16);
            std::vector<std::string> order;
            store.readLog(
                0, true, size_t(-1), [](const sandbox::StoredRecord &) { return true; }, size_t(-1),
                [&](const sandbox::StoredRecord &r) { order.push_back(r.stream + " " + r.type); });
            const std::vector<std::string> expected{"$$$user-admin $metadata",
                                                    "$$$user-ops $metadata",
                                                    "$user-admin $UserCreated",
                                                    "$user-ops $UserCreated",
                                                    "$users $User",
                                                    "$users $User",
                                                    "$projections-$all $ProjectionsInitialized"};
            QVERIFY(order.size() == 22 && std::equal(expected.begin(), expected.end(), order.begin()));
            QCOMPARE(order[7], std::string("$projections-$all $ProjectionCreated"));
            QCOMPARE(order[12], std::string("$projections-$streams $ProjectionUpdated"));
            std::optional<sandbox::StoredRecord> admin;
            store.readStream("$user-admin", 0, true, 1, [&](const sandbox::StoredRecord &r) { admin = r; });
            const QJsonObject user = QJsonDocument::fromJson(QByteArray::fromStdString(admin->data)).object();
            QCOMPARE(user.value(QLatin1String("groups")).toArray().first().toString(), QStringLiteral("$admins"));
            // The hash is the default password's under the salt, as Rfc2898PasswordHashAlgorithm.Verify checks it.
            const QByteArray salt = QByteArray::fromBase64(user.value(QLatin1String("salt")).toString().toLatin1());
            QCOMPARE(salt.size(), 16);
            QCOMPARE(user.value(QLatin1String("hash")).toString().toLatin1(),
                     sandbox::pbkdf2Sha1("changeit", salt, 1000, 20).toBase64());
        }
        sandbox::EventStore reopened;
        QVERIFY2(reopened.openLog(path, &why, &notice), why.c_str());
        QCOMPARE(sandbox::writeStandardUsers(reopened), 0);
        QCOMPARE(sandbox::writeProjectionsRegistration(reopened, true), 0);
        QCOMPARE(reopened.logSize(), size_t(22));
        // The insecure server of this test wrote neither.
        QCOMPARE(m_client->readAll(ReadRequest::forStream("$users")).error.kind, ClientError::Kind::StreamNotFound);
    }

    /// EventFilter.DefaultAllFilterStrategy: `$all` never shows these streams; reading them by name does.
    void allHidesWhatTheServerHides()
    {
        const QList<QByteArray> hidden{"$epoch-information", "$persistentsubscription-$all::g1-checkpoint",
                                       "$persistentsubscription-$all::g1-parked"};
        for (const QByteArray &stream : hidden)
            QVERIFY(!m_client->append(stream, ExpectedState::any(), events(1)).error);
        QVERIFY(!m_client->append("$persistentsubscription-$all::g1-other", ExpectedState::any(), events(1)).error);
        QVERIFY(!m_client->append("$persistentsubscription-s1::g1-parked", ExpectedState::any(), events(1)).error);
        QSet<QByteArray> seen;
        for (const ResolvedEvent &e : m_client->readAll(ReadRequest::forAll()).events)
            seen.insert(e.event->streamId);
        for (const ResolvedEvent &e : m_client->readAll(ReadRequest::forAll(Direction::Backwards)).events)
            QVERIFY2(!hidden.contains(e.event->streamId), e.event->streamId.constData());
        for (const QByteArray &stream : hidden) {
            QVERIFY2(!seen.contains(stream), stream.constData());
            QCOMPARE(m_client->readAll(ReadRequest::forStream(stream)).events.size(), 1);
        }
        QVERIFY(seen.contains("$persistentsubscription-$all::g1-other"));
        QVERIFY(seen.contains("$persistentsubscription-s1::g1-parked"));
    }

    void tombstone()
    {
        QVERIFY(!m_client->append("hard-1", ExpectedState::noStream(), events(2)).error);
        QVERIFY(!m_client->tombstoneStream("hard-1", ExpectedState::any()).error);
        QCOMPARE(m_client->readAll(ReadRequest::forStream("hard-1")).error.kind, ClientError::Kind::StreamDeleted);
        const AppendResult a = m_client->append("hard-1", ExpectedState::any(), events(1));
        QCOMPARE(a.error.kind, ClientError::Kind::StreamDeleted);
        QCOMPARE(a.error.streamName, QByteArray("hard-1"));
        QCOMPARE(m_client->deleteStream("hard-1", ExpectedState::any()).error.kind, ClientError::Kind::StreamDeleted);
        QCOMPARE(m_client->tombstoneStream("hard-1", ExpectedState::any()).error.kind, ClientError::Kind::StreamDeleted);
    }

    void metadata()
    {
        QVERIFY(!m_client->append("meta-1", ExpectedState::noStream(), events(10)).error);
        const StreamMetadataResult none = m_client->getStreamMetadata("meta-1");
        QVERIFY(!none.error);
        QVERIFY(!none.metadata.has_value());

        StreamMetadata m;
        m.maxCount = 3;
        m.custom.insert(QStringLiteral("owner"), QStringLiteral("ops"));
        QVERIFY(!m_client->setStreamMetadata("meta-1", m).error);
        const StreamMetadataResult got = m_client->getStreamMetadata("meta-1");
        QVERIFY(got.metadata.has_value());
        QVERIFY(*got.metadata == m);
        QCOMPARE(got.metastreamRevision.value(), quint64(0));
        QCOMPARE(revisions(m_client->readAll(ReadRequest::forStream("meta-1"))), (QList<quint64>{7, 8, 9}));

        m.maxCount.reset();
        m.truncateBefore = 5;
        QVERIFY(!m_client->setStreamMetadata("meta-1", m, ExpectedState::at(0)).error);
        QCOMPARE(revisions(m_client->readAll(ReadRequest::forStream("meta-1"))), (QList<quint64>{5, 6, 7, 8, 9}));
        QCOMPARE(m_client->getStreamMetadata("meta-1").metastreamRevision.value(), quint64(1));
    }

    void allWithFilters()
    {
        QVERIFY(!m_client->append("flt-a", ExpectedState::any(), events(2, "Alpha")).error);
        QVERIFY(!m_client->append("flt-b", ExpectedState::any(), events(3, "Beta")).error);
        auto count = [&](const ReadFilter &f) {
            const ReadResult r = m_client->readAll(ReadRequest::forAll().filtered(f));
            return r.error ? -1 : int(r.events.size());
        };
        QCOMPARE(count(ReadFilter::streamPrefix({QStringLiteral("flt-")})), 5);
        QCOMPARE(count(ReadFilter::streamRegex(QStringLiteral("^flt-b$"))), 3);
        QCOMPARE(count(ReadFilter::eventTypePrefix({QStringLiteral("Alp")})), 2);
        QCOMPARE(count(ReadFilter::eventTypeRegex(QStringLiteral("^(Alpha|Beta)$"))), 5);
        const ReadResult all = m_client->readAll(ReadRequest::forAll());
        const ReadResult user = m_client->readAll(ReadRequest::forAll().filtered(ReadFilter::excludeSystemEvents()));
        QVERIFY(user.events.size() < all.events.size()); // $metadata, $streamDeleted are filtered out
        for (const ResolvedEvent &e : user.events)
            QVERIFY(!e.event->type.startsWith('$'));

        const ReadResult bad = m_client->readAll(ReadRequest::forAll().filtered(ReadFilter::streamRegex(QStringLiteral("("))));
        QCOMPARE(bad.error.kind, ClientError::Kind::InvalidArgument);
    }

    void allPositions()
    {
        const ReadResult fwd = m_client->readAll(ReadRequest::forAll());
        const ReadResult bwd = m_client->readAll(ReadRequest::forAll(Direction::Backwards));
        QVERIFY(fwd.events.size() > 10);
        QCOMPARE(bwd.events.size(), fwd.events.size());
        for (int i = 1; i < fwd.events.size(); ++i)
            QVERIFY(fwd.events[i - 1].event->position < fwd.events[i].event->position);
        QCOMPARE(bwd.events.first().event->id, fwd.events.last().event->id);
        const Position mid = fwd.events[5].event->position;
        const ReadResult from = m_client->readAll(ReadRequest::forAll().fromPosition(mid).count(2));
        QCOMPARE(from.events.first().event->id, fwd.events[5].event->id); // inclusive forwards
        const ReadResult before = m_client->readAll(ReadRequest::forAll(Direction::Backwards).fromPosition(mid).count(1));
        QCOMPARE(before.events.first().event->id, fwd.events[4].event->id); // exclusive backwards
        const ReadResult invalid = m_client->readAll(ReadRequest::forAll().fromPosition({mid.commit + 1, mid.commit + 1}));
        QCOMPARE(invalid.error.kind, ClientError::Kind::InvalidArgument);
    }

    void links()
    {
        QVERIFY(!m_client->append("target-1", ExpectedState::noStream(), events(2)).error);
        QVERIFY(!m_client->append("gone-1", ExpectedState::noStream(), events(1)).error);
        QVERIFY(!m_client->append("links-1", ExpectedState::noStream(),
                                  {EventData::binary(SystemEventTypes::LinkTo, "1@target-1"),
                                   EventData::binary(SystemEventTypes::LinkTo, "0@gone-1")}).error);
        QVERIFY(!m_client->tombstoneStream("gone-1", ExpectedState::any()).error);

        const ReadResult raw = m_client->readAll(ReadRequest::forStream("links-1"));
        QCOMPARE(raw.events.size(), 2);
        QVERIFY(!raw.events[0].link.has_value());
        QCOMPARE(raw.events[0].event->type, QByteArray("$>"));

        const ReadResult resolved = m_client->readAll(ReadRequest::forStream("links-1").resolvingLinks());
        QCOMPARE(resolved.events.size(), 2);
        QCOMPARE(resolved.events[0].event->streamId, QByteArray("target-1"));
        QCOMPARE(resolved.events[0].event->revision, quint64(1));
        QCOMPARE(resolved.events[0].link->streamId, QByteArray("links-1"));
        QVERIFY(resolved.events[1].isUnresolvedLink());
        QCOMPARE(resolved.events[1].originalEvent().revision, quint64(1));
    }

    void largeStreamInBatches()
    {
        DemoHistory::Options o;
        o.eventCount = 20000;
        sandbox::seedDemoHistory(m_server.store(), o);
        quint64 n = 0;
        const ReadSummary s = m_client->read(ReadRequest::forAll().filtered(ReadFilter::streamPrefix({QStringLiteral("order-")})),
                                             [&](ResolvedEvent &&e) {
                                                 n += e.event->streamId.startsWith("order-") ? 1 : 0;
                                                 return true;
                                             });
        QVERIFY(!s.error);
        QVERIFY(n > 5000);
        QCOMPARE(s.eventCount, n);
    }

    void cancelStopsRead()
    {
        auto cancel = std::make_shared<Cancellation>();
        quint64 seen = 0;
        const ReadSummary s = m_client->read(ReadRequest::forAll(), [&](ResolvedEvent &&) {
            if (++seen == 100)
                cancel->cancel();
            return true;
        }, cancel);
        QCOMPARE(s.error.kind, ClientError::Kind::Cancelled);
        QVERIFY(seen < 5000);
    }

    void stopFromHandler()
    {
        quint64 seen = 0;
        const ReadSummary s = m_client->read(ReadRequest::forAll(), [&](ResolvedEvent &&) { return ++seen < 10; });
        QVERIFY(!s.error);
        QCOMPARE(seen, quint64(10));
    }
};

QTEST_GUILESS_MAIN(TestSandboxStreams)
#include "tst_sandboxstreams.moc"
