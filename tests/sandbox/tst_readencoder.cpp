// The hand-written ReadResp encoder must produce what protobuf produces for the same message:
// each encoded reply is parsed back with the generated code and compared with the message
// built through the generated setters (wire::fillRecorded, the reference).
#include "ReadEncoder.h"
#include "WireFormat.h"

#include <google/protobuf/util/message_differencer.h>

#include <QTest>

using namespace chronoscope;
using namespace chronoscope::sandbox;
namespace spb = event_store::client::streams;

namespace {

StoredRecord record(const std::string &stream, quint64 revision, quint64 position, std::string data,
                    std::string metadata, bool isJson, qint64 created)
{
    StoredRecord r;
    r.stream = stream;
    r.revision = revision;
    r.position = position;
    r.type = isJson ? "OrderPlaced" : "Blob";
    r.isJson = isJson;
    r.createdTicks = created;
    r.data = std::move(data);
    r.metadata = std::move(metadata);
    r.id = QUuid::fromString(QStringLiteral("{8f2c11d5-0b6e-4a8c-9d3e-6f1a2b3c4d5e}"));
    r.idString = r.id.toString(QUuid::WithoutBraces).toStdString();
    return r;
}

/// The message as the generated code builds it.
spb::ReadResp reference(const StoredRecord *event, const StoredRecord *link, quint64 commit, bool structured)
{
    spb::ReadResp resp;
    auto *ev = resp.mutable_event();
    if (event)
        wire::fillRecorded(ev->mutable_event(), *event, structured);
    if (link)
        wire::fillRecorded(ev->mutable_link(), *link, structured);
    ev->set_commit_position(commit);
    return resp;
}

std::string message(const wire::ReadEncoder::Batch &b, size_t i)
{
    const size_t begin = i == 0 ? 0 : b.ends[i - 1];
    return b.bytes.substr(begin, b.ends[i] - begin);
}

void expectSame(const std::string &encoded, const spb::ReadResp &expected)
{
    spb::ReadResp parsed;
    QVERIFY2(parsed.ParseFromString(encoded), "the encoded reply does not parse");
    std::string report;
    google::protobuf::util::MessageDifferencer differ;
    differ.ReportDifferencesToString(&report);
    QVERIFY2(differ.Compare(expected, parsed), report.c_str());
    // Same fields, same encodings: the sizes agree (the map's entry order may differ, not its size).
    QCOMPARE(encoded.size(), expected.ByteSizeLong());
}

} // namespace

class TestReadEncoder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void event_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<quint64>("revision");
        QTest::addColumn<quint64>("position");
        QTest::addColumn<int>("dataSize");
        QTest::addColumn<bool>("withMetadata");
        QTest::addColumn<bool>("isJson");
        QTest::addColumn<qint64>("created");
        QTest::addColumn<bool>("structured");
        QTest::newRow("typical") << QByteArray("order-17") << quint64(3) << quint64(4711) << 300 << true << true
                                 << qint64(17828640000000000) << false;
        QTest::newRow("structured ids") << QByteArray("order-17") << quint64(3) << quint64(4711) << 300 << true
                                        << true << qint64(17828640000000000) << true;
        QTest::newRow("first event, position 0 (proto3 omits zeros)")
            << QByteArray("a") << quint64(0) << quint64(0) << 10 << false << true << qint64(1) << true;
        QTest::newRow("empty data and metadata") << QByteArray("s") << quint64(1) << quint64(99) << 0 << false << true
                                                 << qint64(0) << false;
        QTest::newRow("binary") << QByteArray("blob-1") << quint64(7) << quint64(1) << 64 << false << false
                                << qint64(5) << false;
        QTest::newRow("large payload (3-byte length)") << QByteArray("big") << quint64(1) << quint64(1) << 70000
                                                       << true << true << qint64(12345) << true;
        QTest::newRow("huge revision and position")
            << QByteArray("x") << quint64(std::numeric_limits<qint64>::max()) << (quint64(1) << 62) << 1 << false
            << true << qint64(1) << false;
        QTest::newRow("empty stream name") << QByteArray() << quint64(1) << quint64(1) << 1 << false << true
                                           << qint64(1) << false;
        QTest::newRow("negative created") << QByteArray("x") << quint64(1) << quint64(1) << 1 << false << true
                                          << qint64(-42) << false;
    }
    void event()
    {
        QFETCH(QByteArray, stream);
        QFETCH(quint64, revision);
        QFETCH(quint64, position);
        QFETCH(int, dataSize);
        QFETCH(bool, withMetadata);
        QFETCH(bool, isJson);
        QFETCH(qint64, created);
        QFETCH(bool, structured);
        const StoredRecord r = record(stream.toStdString(), revision, position, std::string(size_t(dataSize), 'd'),
                                      withMetadata ? std::string("{\"$correlationId\":\"c\"}") : std::string(),
                                      isJson, created);
        wire::ReadEncoder::Batch batch;
        wire::ReadEncoder(structured).appendEvent(batch, &r, nullptr, r.position);
        QCOMPARE(batch.count(), size_t(1));
        expectSame(message(batch, 0), reference(&r, nullptr, r.position, structured));
    }

    void resolvedLinkAndMissingTarget()
    {
        const StoredRecord target = record("order-1", 4, 100, "{\"a\":1}", "", true, 10);
        StoredRecord link = record("$ce-order", 9, 200, "4@order-1", "{\"$v\":\"1:-1:1:4\"}", false, 11);
        link.type = SystemEventTypes::LinkTo;
        wire::ReadEncoder encoder(true);
        wire::ReadEncoder::Batch batch;
        encoder.appendEvent(batch, &target, &link, link.position);
        encoder.appendEvent(batch, nullptr, &link, link.position);
        QCOMPARE(batch.count(), size_t(2));
        expectSame(message(batch, 0), reference(&target, &link, link.position, true));
        expectSame(message(batch, 1), reference(nullptr, &link, link.position, true));
    }

    void trailersAndNotFound()
    {
        wire::ReadEncoder::Batch batch;
        wire::ReadEncoder::appendStreamPosition(batch, spb::ReadResp::kLastStreamPosition, 0);
        wire::ReadEncoder::appendStreamPosition(batch, spb::ReadResp::kFirstStreamPosition, 300);
        wire::ReadEncoder::appendStreamNotFound(batch, "missing-stream");
        QCOMPARE(batch.count(), size_t(3));
        spb::ReadResp last, first, missing;
        last.set_last_stream_position(0);
        first.set_first_stream_position(300);
        missing.mutable_stream_not_found()->mutable_stream_identifier()->set_stream_name("missing-stream");
        expectSame(message(batch, 0), last);
        expectSame(message(batch, 1), first);
        expectSame(message(batch, 2), missing);
    }
};

QTEST_GUILESS_MAIN(TestReadEncoder)
#include "tst_readencoder.moc"
