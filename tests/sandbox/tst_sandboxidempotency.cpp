// What the sandbox decides when an append is retried, as the real server's IndexWriter.CheckCommit
// does (docs/SANDBOX-IDEMPOTENCY.md): every rule through our client's Append and through a raw
// BatchAppend call (data-driven on the RPC), each in streams of its own on one in-process sandbox.
#include "SandboxServer.h"
#include "support/IdempotencyProbe.h"

#include <QTemporaryDir>
#include <QTest>

using namespace chronoscope;
using test::Appender;
using test::Outcome;
using test::Rpc;

namespace {

/// Ids fixed by name, so a failure names the event ("a", "b" …) rather than a random UUID.
QUuid id(const QByteArray &stream, const char *name)
{
    return QUuid::createUuidV5(QUuid(), QString::fromUtf8(stream + '/' + name));
}

QByteArray rpcName(Rpc rpc)
{
    return rpc == Rpc::Append ? "append" : "batch";
}

} // namespace

class TestSandboxIdempotency : public QObject
{
    Q_OBJECT

    sandbox::SandboxServer m_server;
    int m_port = 0;

    /// A stream of this test and RPC only.
    static QByteArray streamFor(const char *name, Rpc rpc) { return "idem-" + rpcName(rpc) + '-' + name; }

    static void addRpcRows()
    {
        QTest::addColumn<Rpc>("rpc");
        QTest::addRow("Append") << Rpc::Append;
        QTest::addRow("BatchAppend") << Rpc::BatchAppend;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        m_port = m_server.start(QStringLiteral("127.0.0.1:0"), &error);
        QVERIFY2(m_port > 0, qPrintable(error));
    }

    // The store says which answers came from an original (WriteResult::idempotent).
    void storeTellsRetriesApart()
    {
        sandbox::EventStore store;
        const std::vector<sandbox::ProposedEvent> one{{id("store", "a"), "Tested", true, "{}", {}, 0}};
        const sandbox::WriteResult first = store.append("store", sandbox::EventStore::Expected::NoStream, 0, one);
        QVERIFY(!first.error && !first.idempotent);
        const sandbox::WriteResult retry = store.append("store", sandbox::EventStore::Expected::NoStream, 0, one);
        QVERIFY(!retry.error && retry.idempotent);
        QCOMPARE(retry.position, first.position);
        const sandbox::WriteResult weak = store.append("store", sandbox::EventStore::Expected::Any, 0, one);
        QVERIFY(!weak.error && weak.idempotent);
        QCOMPARE(store.logSize(), size_t(1));
    }

    // Strong check (exact revision): the ids after the expected revision are the ids proposed.
    void exactRevisionRetryWritesNothing_data() { addRpcRows(); }
    void exactRevisionRetryWritesNothing()
    {
        QFETCH(Rpc, rpc);
        Appender a(m_port, rpc);
        const QByteArray s = streamFor("exact", rpc);
        QVERIFY(a.append(s, ExpectedState::noStream(), {id(s, "x0"), id(s, "x1")}).ok());
        const QList<QUuid> batch{id(s, "a"), id(s, "b"), id(s, "c")};
        const Outcome first = a.append(s, ExpectedState::at(1), batch);
        QVERIFY2(first.ok(), qPrintable(first.toString()));
        QCOMPARE(first.next, std::optional<quint64>(4));

        const Outcome retry = a.append(s, ExpectedState::at(1), batch);
        QVERIFY2(retry.ok(), qPrintable(retry.toString()));
        QCOMPARE(retry.next, first.next);         // the original's revision
        QCOMPARE(retry.position, first.position); // and the position of its last event
        // A retry of a first part of the append is the same append as far as the server can tell.
        const Outcome prefix = a.append(s, ExpectedState::at(1), {id(s, "a"), id(s, "b")});
        QVERIFY2(prefix.ok(), qPrintable(prefix.toString()));
        QCOMPARE(prefix.next, std::optional<quint64>(3));
        QCOMPARE(a.idsOf(s), (QList<QUuid>{id(s, "x0"), id(s, "x1"), id(s, "a"), id(s, "b"), id(s, "c")}));
    }

    // Corrupted idempotency: the first id matches, a later one does not (or is not there at all).
    void exactRevisionPartialMatchIsWrongExpectedVersion_data() { addRpcRows(); }
    void exactRevisionPartialMatchIsWrongExpectedVersion()
    {
        QFETCH(Rpc, rpc);
        Appender a(m_port, rpc);
        const QByteArray s = streamFor("partial", rpc);
        QVERIFY(a.append(s, ExpectedState::noStream(), {id(s, "a"), id(s, "b")}).ok());
        for (const QList<QUuid> &proposed :
             {QList<QUuid>{id(s, "a"), id(s, "other")}, QList<QUuid>{id(s, "a"), id(s, "b"), id(s, "c")},
              QList<QUuid>{id(s, "other"), id(s, "b")}}) {
            const Outcome o = a.append(s, ExpectedState::noStream(), proposed);
            QCOMPARE(o.error, QStringLiteral("wrong-expected-version"));
            QCOMPARE(o.expected, QStringLiteral("no_stream"));
            QCOMPARE(o.actual, std::optional<quint64>(1));
        }
        QCOMPARE(a.idsOf(s), (QList<QUuid>{id(s, "a"), id(s, "b")}));
    }

    // The ids are there, but not right after the expected revision: no retry of this append.
    void exactRevisionIdsElsewhereIsWrongExpectedVersion_data() { addRpcRows(); }
    void exactRevisionIdsElsewhereIsWrongExpectedVersion()
    {
        QFETCH(Rpc, rpc);
        Appender a(m_port, rpc);
        const QByteArray s = streamFor("elsewhere", rpc);
        QVERIFY(a.append(s, ExpectedState::noStream(), {id(s, "a"), id(s, "b"), id(s, "c")}).ok());
        const Outcome shifted = a.append(s, ExpectedState::at(1), {id(s, "b")}); // b is at 1, not 2
        QCOMPARE(shifted.error, QStringLiteral("wrong-expected-version"));
        QCOMPARE(shifted.expected, QStringLiteral("1"));
        QCOMPARE(shifted.actual, std::optional<quint64>(2));
        const Outcome beyond = a.append(s, ExpectedState::at(5), {id(s, "a")});
        QCOMPARE(beyond.error, QStringLiteral("wrong-expected-version"));
        QCOMPARE(beyond.actual, std::optional<quint64>(2));
        // Nothing to compare an empty append with: behind the stream it is a conflict.
        QCOMPARE(a.append(s, ExpectedState::at(0), {}).error, QStringLiteral("wrong-expected-version"));
        QCOMPARE(a.idsOf(s).size(), 3);
    }

    // no_stream is the strong check from before the first event.
    void noStreamRetry_data() { addRpcRows(); }
    void noStreamRetry()
    {
        QFETCH(Rpc, rpc);
        Appender a(m_port, rpc);
        const QByteArray s = streamFor("nostream", rpc);
        const Outcome first = a.append(s, ExpectedState::noStream(), {id(s, "a"), id(s, "b")});
        QVERIFY(first.ok());
        const Outcome retry = a.append(s, ExpectedState::noStream(), {id(s, "a"), id(s, "b")});
        QVERIFY2(retry.ok(), qPrintable(retry.toString()));
        QCOMPARE(retry.next, std::optional<quint64>(1));
        QCOMPARE(retry.position, first.position);
        const Outcome other = a.append(s, ExpectedState::noStream(), {id(s, "c")});
        QCOMPARE(other.error, QStringLiteral("wrong-expected-version"));
        QCOMPARE(other.actual, std::optional<quint64>(1));
        QCOMPARE(a.idsOf(s).size(), 2);
    }

    // Weak check (any, stream_exists): each id looked up among those recently committed.
    void anyRetryWritesNothing_data() { addRpcRows(); }
    void anyRetryWritesNothing()
    {
        QFETCH(Rpc, rpc);
        Appender a(m_port, rpc);
        const QByteArray s = streamFor("any", rpc);
        const Outcome first = a.append(s, ExpectedState::any(), {id(s, "a"), id(s, "b")});
        QVERIFY(first.ok());
        QVERIFY(a.append(s, ExpectedState::any(), {id(s, "c")}).ok());
        const Outcome retry = a.append(s, ExpectedState::any(), {id(s, "a"), id(s, "b")});
        QVERIFY2(retry.ok(), qPrintable(retry.toString()));
        QCOMPARE(retry.next, first.next); // the original's revisions, though the stream moved on
        QCOMPARE(retry.position, first.position);
        const Outcome exists = a.append(s, ExpectedState::streamExists(), {id(s, "c")});
        QVERIFY2(exists.ok(), qPrintable(exists.toString()));
        QCOMPARE(exists.next, std::optional<quint64>(2));
        // Where in the stream the ids went does not matter to the weak check.
        const Outcome second = a.append(s, ExpectedState::any(), {id(s, "b")});
        QVERIFY2(second.ok(), qPrintable(second.toString()));
        QCOMPARE(second.next, std::optional<quint64>(1));
        QCOMPARE(a.idsOf(s), (QList<QUuid>{id(s, "a"), id(s, "b"), id(s, "c")}));
    }

    // The first id decides: known and then one unknown is corrupted idempotency; unknown first is
    // a new append, even when later ids are known (they are written again).
    void anyPartialMatch_data() { addRpcRows(); }
    void anyPartialMatch()
    {
        QFETCH(Rpc, rpc);
        Appender a(m_port, rpc);
        const QByteArray s = streamFor("anypartial", rpc);
        QVERIFY(a.append(s, ExpectedState::any(), {id(s, "a"), id(s, "b")}).ok());
        const Outcome corrupted = a.append(s, ExpectedState::any(), {id(s, "a"), id(s, "new")});
        QCOMPARE(corrupted.error, QStringLiteral("wrong-expected-version"));
        QCOMPARE(corrupted.expected, QStringLiteral("any"));
        QCOMPARE(corrupted.actual, std::optional<quint64>(1));
        const Outcome exists = a.append(s, ExpectedState::streamExists(), {id(s, "b"), id(s, "new")});
        QCOMPARE(exists.error, QStringLiteral("wrong-expected-version"));
        QCOMPARE(exists.expected, QStringLiteral("stream_exists"));
        QCOMPARE(a.idsOf(s).size(), 2);

        const Outcome unknownFirst = a.append(s, ExpectedState::any(), {id(s, "new"), id(s, "a")});
        QVERIFY2(unknownFirst.ok(), qPrintable(unknownFirst.toString()));
        QCOMPARE(a.idsOf(s), (QList<QUuid>{id(s, "a"), id(s, "b"), id(s, "new"), id(s, "a")}));
    }

    // The weak check remembers the stream an id went to: the same id to another stream is new.
    void anyIdOfAnotherStreamIsWrittenAgain_data() { addRpcRows(); }
    void anyIdOfAnotherStreamIsWrittenAgain()
    {
        QFETCH(Rpc, rpc);
        Appender a(m_port, rpc);
        const QByteArray s1 = streamFor("one", rpc);
        const QByteArray s2 = streamFor("two", rpc);
        QVERIFY(a.append(s1, ExpectedState::any(), {id(s1, "a")}).ok());
        const Outcome o = a.append(s2, ExpectedState::any(), {id(s1, "a")});
        QVERIFY2(o.ok(), qPrintable(o.toString()));
        QCOMPARE(o.next, std::optional<quint64>(0));
        QCOMPARE(a.idsOf(s2), QList<QUuid>{id(s1, "a")});
    }

    // stream_exists: a stream that has only metadata exists (upstream looks at `$$stream`).
    void streamExistsWithOnlyMetadata()
    {
        Appender a(m_port, Rpc::Append);
        QVERIFY(!a.client().setStreamMetadata("idem-meta-only", StreamMetadata()).error);
        const Outcome o = a.append("idem-meta-only", ExpectedState::streamExists(), {id("idem-meta-only", "a")});
        QVERIFY2(o.ok(), qPrintable(o.toString()));
        QCOMPARE(a.append("idem-nothing", ExpectedState::streamExists(), {id("idem-nothing", "a")}).error,
                 QStringLiteral("wrong-expected-version"));
    }

    // The weak memory is bounded (8 MiB of upstream's estimate by default) and forgets the oldest
    // ids first: a retry after enough other appends is written twice; the strong check never forgets.
    void boundedMemoryForgetsOldestFirst_data() { addRpcRows(); }
    void boundedMemoryForgetsOldestFirst()
    {
        QFETCH(Rpc, rpc);
        sandbox::SandboxServer server;
        const QByteArray s = streamFor("bounded", rpc);
        const quint64 entry = sandbox::CommittedEvents::entryBytes(s.toStdString());
        server.store().setCommittedEventsLimit(10 * entry); // ten ids (eleven, upstream counts "over")
        QString error;
        const int port = server.start(QStringLiteral("127.0.0.1:0"), &error);
        QVERIFY2(port > 0, qPrintable(error));
        Appender a(port, rpc);
        QVERIFY(a.append(s, ExpectedState::any(), {id(s, "first")}).ok());
        QVERIFY(a.append(s, ExpectedState::any(), {id(s, "first")}).ok()); // still remembered
        QCOMPARE(a.idsOf(s).size(), 1);
        for (int i = 0; i < 11; ++i)
            QVERIFY(a.append(s, ExpectedState::any(), {QUuid::createUuid()}).ok());
        QVERIFY(server.store().committedEventsRemembered() <= 11);
        const Outcome forgotten = a.append(s, ExpectedState::any(), {id(s, "first")});
        QVERIFY2(forgotten.ok(), qPrintable(forgotten.toString()));
        QCOMPARE(forgotten.next, std::optional<quint64>(12)); // a new event: the duplicate
        QCOMPARE(a.idsOf(s).count(id(s, "first")), 2);
        const Outcome strong = a.append(s, ExpectedState::noStream(), {id(s, "first")});
        QVERIFY2(strong.ok(), qPrintable(strong.toString()));
        QCOMPARE(strong.next, std::optional<quint64>(0)); // the original at revision 0
        QCOMPARE(a.idsOf(s).size(), 13);
    }

    // A restart empties the weak memory: `any` writes the retry again; the strong check reads the
    // stored events and still answers it (with --db the data survive the restart).
    void restartForgetsWeakButNotStrong_data() { addRpcRows(); }
    void restartForgetsWeakButNotStrong()
    {
        QFETCH(Rpc, rpc);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        sandbox::SandboxServer server;
        std::string why, notice;
        QVERIFY2(server.store().openLog(dir.filePath(QStringLiteral("db")).toStdString(), &why, &notice), why.c_str());
        QString error;
        const int port = server.start(QStringLiteral("127.0.0.1:0"), &error);
        QVERIFY2(port > 0, qPrintable(error));
        const QByteArray weak = streamFor("restart-any", rpc);
        const QByteArray strong = streamFor("restart-exact", rpc);
        std::optional<Outcome> firstStrong;
        {
            Appender a(port, rpc);
            QVERIFY(a.append(weak, ExpectedState::any(), {id(weak, "a")}).ok());
            QVERIFY(a.append(strong, ExpectedState::noStream(), {id(strong, "x")}).ok());
            firstStrong = a.append(strong, ExpectedState::at(0), {id(strong, "a")});
            QVERIFY(firstStrong->ok());
        }
        QVERIFY(server.store().committedEventsRemembered() >= 3);
        QVERIFY2(server.restart(&error), qPrintable(error));
        QCOMPARE(server.port(), port);
        QCOMPARE(server.store().committedEventsRemembered(), size_t(0));

        Appender a(port, rpc);
        const Outcome again = a.append(weak, ExpectedState::any(), {id(weak, "a")});
        QVERIFY2(again.ok(), qPrintable(again.toString()));
        QCOMPARE(again.next, std::optional<quint64>(1));
        QCOMPARE(a.idsOf(weak), (QList<QUuid>{id(weak, "a"), id(weak, "a")}));

        const Outcome retry = a.append(strong, ExpectedState::at(0), {id(strong, "a")});
        QVERIFY2(retry.ok(), qPrintable(retry.toString()));
        QCOMPARE(retry.next, firstStrong->next);
        QCOMPARE(retry.position, firstStrong->position);
        QVERIFY(a.append(strong, ExpectedState::noStream(), {id(strong, "x")}).ok());
        QCOMPARE(a.idsOf(strong).size(), 2);
    }

    // Without --db a restart loses everything, as a real server's --mem-db: the exact retry finds
    // no stream (a conflict), no_stream writes it as new.
    void restartInMemoryLosesTheStream()
    {
        sandbox::SandboxServer server;
        QString error;
        const int port = server.start(QStringLiteral("127.0.0.1:0"), &error);
        QVERIFY2(port > 0, qPrintable(error));
        const QByteArray s = "idem-mem";
        {
            Appender a(port, Rpc::Append);
            QVERIFY(a.append(s, ExpectedState::noStream(), {id(s, "a"), id(s, "b")}).ok());
        }
        QVERIFY2(server.restart(&error), qPrintable(error));
        Appender a(port, Rpc::Append);
        const Outcome exact = a.append(s, ExpectedState::at(1), {id(s, "b")});
        QCOMPARE(exact.error, QStringLiteral("wrong-expected-version"));
        QCOMPARE(exact.actual, std::nullopt);
        QVERIFY(a.append(s, ExpectedState::noStream(), {id(s, "a"), id(s, "b")}).ok());
        QCOMPARE(a.idsOf(s).size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestSandboxIdempotency)
#include "tst_sandboxidempotency.moc"
