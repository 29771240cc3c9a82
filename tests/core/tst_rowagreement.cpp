// "Since which event do the fold and the read model disagree" (issue 14 item 3): RowAgreement over a seeded
// stream folded by the merge reducer, each answer an exact revision; the drift report's JSON and CSV writer
// shared by the CLI and the window; and the window's endpoint directory (profile + keychain, in memory).
#include "fold/FoldEngine.h"
#include "fold/MergeReducer.h"
#include "readmodel/DriftReportText.h"
#include "readmodel/EndpointDirectory.h"
#include "readmodel/RowAgreement.h"
#include "support/FakeCredentialStore.h"
#include "timeline/InMemoryEventSource.h"
#include "timeline/PayloadCache.h"
#include "timeline/TimelineIndex.h"

#include <QJsonDocument>
#include <QTest>

using namespace chronoscope;
using namespace chronoscope::readmodel;
using Verdict = AgreementResult::Verdict;

namespace {

// Revision: event — the mapped state after it (status, total).
//  0 OrderPlaced   placed 10
//  1 ItemAdded     placed 15
//  2 NoteAdded     placed 15   (the note is not mapped)
//  3 OrderPaid     paid   15
//  4 OrderShipped  shipped 15
//  5 StatusFixed   paid   15   (back to an earlier value: equality is not monotone)
//  6 OrderShipped  shipped 15
const char *const kEvents[][2] = {
    {"OrderPlaced", R"({"status":"placed","total":10})"},
    {"ItemAdded", R"({"total":15})"},
    {"NoteAdded", R"({"note":"ring twice"})"},
    {"OrderPaid", R"({"status":"paid"})"},
    {"OrderShipped", R"({"status":"shipped"})"},
    {"StatusFixed", R"({"status":"paid"})"},
    {"OrderShipped", R"({"status":"shipped","carrier":"DHL"})"},
};

QList<RecordedEvent> events()
{
    QList<RecordedEvent> out;
    for (const auto &e : kEvents) {
        RecordedEvent r;
        r.streamId = "order-1";
        r.revision = quint64(out.size());
        r.position = {quint64(out.size()) * 100 + 100, quint64(out.size()) * 100 + 100};
        r.id = QUuid::createUuidV5(QUuid(), QString::number(out.size()));
        r.type = e[0];
        r.contentType = "application/json";
        r.data = e[1];
        out.append(r);
    }
    return out;
}

ReadModelMapping mapping()
{
    ReadModelMapping::ParseError error;
    const auto m = ReadModelMapping::parse(QStringLiteral("orders"),
                                           QJsonDocument::fromJson(
                                               R"({"backend": "postgresql", "category": "order", "endpoint": "db",
            "row": "SELECT * FROM orders WHERE id = $1", "scan": "SELECT * FROM orders",
            "fields": {"state.status": "status", "state.total": {"column": "total", "type": "integer"}}})")
                                               .object(),
                                           &error);
    if (!m)
        qFatal("%s", qPrintable(error.toString()));
    return *m;
}

} // namespace

class TestRowAgreement : public QObject
{
    Q_OBJECT

    struct Timeline
    {
        Timeline() : source(std::make_shared<engine::InMemoryEventSource>(events())), cache(source, 1 << 20, 2)
        {
            index.appendBatch(events());
        }
        std::shared_ptr<engine::InMemoryEventSource> source;
        engine::PayloadCache cache;
        engine::TimelineIndex index;
    };

    AgreementResult find(const QByteArray &rowJson)
    {
        Timeline t;
        engine::FoldEngine engine(t.index, t.cache, std::make_unique<engine::MergeReducer>());
        const ReadModelMapping m = mapping();
        QStringList problems;
        const QJsonObject row = m.rowShape(QJsonDocument::fromJson(rowJson).object(), &problems);
        if (!problems.isEmpty())
            qFatal("%s", qPrintable(problems.join(QLatin1Char(';'))));
        return RowAgreement::find(engine, m, row);
    }

    static const PathAgreement *path(const AgreementResult &r, const QString &p)
    {
        for (const PathAgreement &a : r.paths)
            if (a.path == p)
                return &a;
        return nullptr;
    }

private Q_SLOTS:
    void equalAtTheHead()
    {
        const AgreementResult r = find(R"({"status":"shipped","total":15})");
        QCOMPARE(r.verdict, Verdict::Equal);
        QCOMPARE(r.size, quint64(7));
        QCOMPARE(r.lastEqualCount, std::optional<quint64>(7));
        QVERIFY(!r.sinceOrdinal());
        QVERIFY(r.paths.isEmpty());
    }

    // The row stayed at "placed 15": the states after revisions 1 and 2 both equal it (the note is not mapped);
    // the last of them counts, so they disagree since revision 3, OrderPaid, the event the read model missed.
    void sinceTheFirstEventTheRowDoesNotHave()
    {
        const AgreementResult r = find(R"({"status":"placed","total":15})");
        QCOMPARE(r.verdict, Verdict::Since);
        QCOMPARE(r.firstEqualCount, std::optional<quint64>(2)); // after revision 1
        QCOMPARE(r.lastEqualCount, std::optional<quint64>(3));  // after revision 2
        QCOMPARE(r.sinceOrdinal(), std::optional<quint64>(3));  // revision 3, OrderPaid
        QCOMPARE(r.evaluations, quint64(9));                    // the head, then the 8 states
        QCOMPARE(r.paths.size(), 1);
        QCOMPARE(r.paths.at(0).path, QStringLiteral("/state/status"));
        QCOMPARE(r.paths.at(0).fold, QJsonValue(QStringLiteral("shipped")));
        QCOMPARE(r.paths.at(0).row, QJsonValue(QStringLiteral("placed")));
        QCOMPARE(r.paths.at(0).lastEqualCount, std::optional<quint64>(3));
    }

    // "paid 15" holds after revisions 3 and 5: the last one wins (revision 6 is the event since which they
    // disagree). A binary search over a non-monotone predicate could have answered revision 4.
    void theLastAgreementWhenAValueComesBack()
    {
        const AgreementResult r = find(R"({"status":"paid","total":15})");
        QCOMPARE(r.verdict, Verdict::Since);
        QCOMPARE(r.firstEqualCount, std::optional<quint64>(4));
        QCOMPARE(r.lastEqualCount, std::optional<quint64>(6));
        QCOMPARE(r.sinceOrdinal(), std::optional<quint64>(6));
    }

    // A row written from something else: no state equals it. Each path still says where it last agreed.
    void neverEqual()
    {
        const AgreementResult r = find(R"({"status":"paid","total":99})");
        QCOMPARE(r.verdict, Verdict::Never);
        QVERIFY(!r.lastEqualCount);
        QVERIFY(!r.sinceOrdinal());
        QCOMPARE(r.paths.size(), 2);
        QVERIFY(path(r, QStringLiteral("/state/total")));
        QVERIFY(!path(r, QStringLiteral("/state/total"))->lastEqualCount);
        QCOMPARE(path(r, QStringLiteral("/state/total"))->row, QJsonValue(99));
        QCOMPARE(path(r, QStringLiteral("/state/status"))->lastEqualCount, std::optional<quint64>(6));
    }

    // The initial state (no keys) equals an empty row: the read model took in nothing, since revision 0.
    void sinceTheFirstEvent()
    {
        const AgreementResult r = find(R"({})");
        QCOMPARE(r.verdict, Verdict::Since);
        QCOMPARE(r.lastEqualCount, std::optional<quint64>(0));
        QCOMPARE(r.sinceOrdinal(), std::optional<quint64>(0));
    }

    void cancelled()
    {
        Timeline t;
        engine::FoldEngine engine(t.index, t.cache, std::make_unique<engine::MergeReducer>());
        const ReadModelMapping m = mapping();
        const std::atomic<bool> cancel{true};
        const AgreementResult r = RowAgreement::find(
            engine, m, m.rowShape(QJsonObject{{QStringLiteral("status"), QStringLiteral("x")}}), &cancel);
        QCOMPARE(r.verdict, Verdict::Failed);
        QVERIFY(r.cancelled || !r.error.isEmpty());
        QVERIFY(!r.lastEqualCount);
    }

    // The report writer the CLI and the window share: one JSON document and RFC 4180 CSV.
    void reportAsJsonAndCsv()
    {
        DriftReport report;
        report.counts.aggregates = 3;
        report.counts.equal = 1;
        report.counts.different = 1;
        report.counts.missingRow = 1;
        AggregateDrift d;
        d.aggregateId = QStringLiteral("7");
        d.paths = {QStringLiteral("/state/note")};
        d.pathCount = 1;
        d.values = {
            DriftValue{QStringLiteral("/state/note"), QStringLiteral("say \"hi\", twice"), QJsonValue::Undefined}};
        AggregateDrift missing;
        missing.aggregateId = QStringLiteral("8");
        missing.status = AggregateDrift::Status::MissingRow;
        report.drifts = {d, missing};
        const ReadModelMapping m = mapping();
        const DriftReportText text{report, m, 1.5};

        const QStringList lines = QString::fromUtf8(text.csv()).split(QStringLiteral("\r\n"));
        QCOMPARE(lines.size(), 4); // header, two rows, the empty string after the last CRLF
        QCOMPARE(lines.at(0), QStringLiteral("aggregate_id,stream,kind,path,fold,row,problem"));
        QCOMPARE(lines.at(1), QStringLiteral(R"(7,order-7,different,/state/note,"""say \""hi\"", twice""",,)"));
        QCOMPARE(lines.at(2), QStringLiteral("8,order-8,missing-row,,,,"));

        const QJsonObject doc = QJsonDocument::fromJson(text.jsonDocument()).object();
        QCOMPARE(doc.value(QStringLiteral("summary"))[QStringLiteral("outcome")].toString(), QStringLiteral("drift"));
        QCOMPARE(doc.value(QStringLiteral("summary"))[QStringLiteral("different")].toInt(), 1);
        QCOMPARE(doc.value(QStringLiteral("summary"))[QStringLiteral("exitCode")].toInt(), 2);
        const QJsonArray drifts = doc.value(QStringLiteral("drifts")).toArray();
        QCOMPARE(drifts.size(), 2);
        QCOMPARE(drifts.at(0)[QStringLiteral("stream")].toString(), QStringLiteral("order-7"));
        QCOMPARE(drifts.at(0)[QStringLiteral("paths")][0][QStringLiteral("fold")].toString(),
                 QStringLiteral("say \"hi\", twice"));
        QVERIFY(!drifts.at(0)[QStringLiteral("paths")][0].toObject().contains(QStringLiteral("row")));
        QCOMPARE(drifts.at(1)[QStringLiteral("kind")].toString(), QStringLiteral("missing-row"));
    }

    // The window's endpoints: a profile's, its password read from the keychain when asked; one in memory wins.
    void endpointDirectory()
    {
        FakeCredentialStore keychain;
        ReadModelEndpoint db;
        db.name = QStringLiteral("orders-db");
        keychain.secrets.insert(db.credentialKey(QStringLiteral("prod")), QStringLiteral("s3cret"));
        EndpointDirectory directory;
        directory.setProfile(QStringLiteral("prod"), {db}, &keychain);
        const auto lookup = [&directory](const QString &name) {
            std::optional<EndpointDirectory::Lookup> got;
            directory.lookup(name, [&got](const EndpointDirectory::Lookup &l) { got = l; });
            if (!QTest::qWaitFor([&got] { return got.has_value(); }, 5000))
                qFatal("no answer from the endpoint directory");
            return *got;
        };
        EndpointDirectory::Lookup found = lookup(QStringLiteral("orders-db"));
        QVERIFY(found.endpoint && found.error.isEmpty());
        QCOMPARE(found.password, QStringLiteral("s3cret"));

        const EndpointDirectory::Lookup missing = lookup(QStringLiteral("cache"));
        QVERIFY(!missing.endpoint);
        QCOMPARE(missing.error, QStringLiteral("profile prod has no read-model endpoint \"cache\" (known: orders-db)"));

        ReadModelEndpoint local = db;
        local.port = 15432;
        directory.addInMemory(local, QStringLiteral("demo"));
        found = lookup(QStringLiteral("orders-db"));
        QCOMPARE(found.endpoint->port, quint16(15432));
        QCOMPARE(found.password, QStringLiteral("demo"));

        directory.clearInMemory();
        keychain.available = false;
        found = lookup(QStringLiteral("orders-db"));
        QVERIFY(!found.endpoint);
        QVERIFY2(found.error.contains(QStringLiteral("no secret service")), qPrintable(found.error));
        QVERIFY(!found.error.contains(QStringLiteral("s3cret")));
    }
};

QTEST_GUILESS_MAIN(TestRowAgreement)
#include "tst_rowagreement.moc"
