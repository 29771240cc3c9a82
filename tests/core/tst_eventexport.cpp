// EventExport: JSON Lines that give every byte back, CSV a spreadsheet reads safely, fixtures, and
// files written whole or not at all.
#include "archive/EventExport.h"
#include "timeline/InMemoryEventSource.h"
#include "timeline/PayloadCache.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace chronoscope;
using namespace chronoscope::engine;

namespace {

RecordedEvent makeEvent(quint64 revision, const QByteArray &type, const QByteArray &data, const QByteArray &metadata = "{}",
                    const QByteArray &contentType = "application/json")
{
    RecordedEvent e;
    e.streamId = "payment-7";
    e.id = QUuid::fromString(QStringLiteral("00000000-0000-4000-8000-%1").arg(revision, 12, 10, QLatin1Char('0')));
    e.revision = revision;
    e.position = {1000 + revision * 100, 1000 + revision * 100};
    e.type = type;
    e.contentType = contentType;
    e.createdTicks = (1767225600000LL + qint64(revision) * 1000) * kTicksPerMillisecond; // 2026-01-01
    e.data = data;
    e.metadata = metadata;
    return e;
}

/// The payload bytes a JSON Lines object stands for, from its value and encoding.
QByteArray payloadBack(const QByteArray &line, const QString &key)
{
    const QJsonObject o = QJsonDocument::fromJson(line).object();
    const QString encoding = o.value(key + QStringLiteral("Encoding")).toString();
    if (encoding == QLatin1String("base64"))
        return QByteArray::fromBase64(o.value(key).toString().toLatin1());
    if (encoding == QLatin1String("utf8"))
        return o.value(key).toString().toUtf8();
    if (encoding == QLatin1String("none"))
        return {};
    // json: verbatim in the line, so take the raw text between the key and its encoding.
    const QByteArray start = QByteArray("\"" + key.toUtf8() + "\":");
    const qsizetype from = line.indexOf(start) + start.size();
    const qsizetype to = line.indexOf(QByteArray(",\"" + key.toUtf8() + "Encoding\""));
    return line.mid(from, to - from);
}

struct Store
{
    std::shared_ptr<InMemoryEventSource> source = std::make_shared<InMemoryEventSource>();
    PayloadCache cache{source, 1 << 20, 4};
};

} // namespace

class TestEventExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonLinesGiveEveryByteBack_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("encoding");
        QTest::addRow("json, key order and spacing kept") << QByteArray("{\"b\":1, \"a\":[2,3],\"b\":4}") << "json";
        QTest::addRow("json across lines") << QByteArray("{\"a\":\n1}") << "utf8";
        QTest::addRow("text") << QByteArray("plain \"text\", é") << "utf8";
        QTest::addRow("binary") << QByteArray("\x00\xff\xfe\x01", 4) << "base64";
        QTest::addRow("empty") << QByteArray() << "none";
        QTest::addRow("big integer") << QByteArray("{\"n\":123456789012345678901234567890}") << "json";
    }
    void jsonLinesGiveEveryByteBack()
    {
        QFETCH(QByteArray, data);
        QFETCH(QString, encoding);
        const RecordedEvent e = makeEvent(3, "PaymentProcessed", data, "{\"$correlationId\":\"c-1\"}");
        const QByteArray line = EventExport::jsonLine(e);
        QVERIFY(!line.contains('\n'));
        QJsonParseError error{};
        const QJsonObject o = QJsonDocument::fromJson(line, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QCOMPARE(o.value(QStringLiteral("dataEncoding")).toString(), encoding);
        QCOMPARE(payloadBack(line, QStringLiteral("data")), data);
        QCOMPARE(payloadBack(line, QStringLiteral("metadata")), QByteArray("{\"$correlationId\":\"c-1\"}"));
        QCOMPARE(o.value(QStringLiteral("eventId")).toString(), e.id.toString(QUuid::WithoutBraces));
        QCOMPARE(o.value(QStringLiteral("revision")).toString(), QStringLiteral("3"));
        QCOMPARE(o.value(QStringLiteral("position")).toObject().value(QStringLiteral("commit")).toString(), QStringLiteral("1300"));
        QCOMPARE(o.value(QStringLiteral("created")).toString(), QStringLiteral("2026-01-01T00:00:03.000Z"));
        QCOMPARE(o.value(QStringLiteral("createdTicks")).toString(), QString::number(e.createdTicks));
    }

    void csvQuotesAndDefusesFormulas()
    {
        RecordedEvent e = makeEvent(1, "=cmd|' /C calc'!A0", "{\"note\":\"a, \\\"quoted\\\"\\nline\"}",
                                "{\"$correlationId\":\"corr-1\",\"$causationId\":\"cause-1\"}");
        const QByteArray row = EventExport::csvRow(e);
        QVERIFY(row.endsWith("\r\n"));
        QVERIFY2(row.contains(",'=cmd|' /C calc'!A0,"), row.constData()); // not a formula any more
        QVERIFY(row.contains("\"{\"\"note\"\":\"\"a, \\\"\"quoted\\\"\"\\nline\"\"}\""));
        QVERIFY(row.contains(",corr-1,cause-1,"));
        QVERIFY(row.startsWith("1,1100,1100,payment-7,00000000-0000-4000-8000-000000000001,"));
        QCOMPARE(EventExport::csvHeader().count(','), row.count(',') - 2); // one comma in the data, one in the metadata
        const RecordedEvent binary = makeEvent(2, "Blob", QByteArray("\x00\xff", 2), {}, "application/octet-stream");
        QVERIFY(EventExport::csvRow(binary).contains(",base64:AP8=,"));
    }

    void writesTheChosenEventsWholeOrNotAtAll()
    {
        Store s;
        for (quint64 r = 0; r < 1000; ++r)
            s.source->append(makeEvent(r, r % 2 ? "ItemAdded" : "OrderPlaced", QByteArray(QByteArray("{\"n\":") + QByteArray::number(r) + '}')));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("slice.jsonl"));
        QList<quint64> odd;
        for (quint64 o = 1; o < 1000; o += 2)
            odd << o;
        quint64 reported = 0;
        QCOMPARE(EventExport::write(s.cache, odd, EventExport::Format::JsonLines, path,
                                    [&](quint64 done, quint64 total) { reported = done; return total == 500; }),
                 QString());
        QCOMPARE(reported, quint64(500));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.size(), 501); // 500 lines and the empty rest after the last newline
        QCOMPARE(QJsonDocument::fromJson(lines[2]).object().value(QStringLiteral("revision")).toString(), QStringLiteral("5"));
        file.close();

        // Cancelled half way: the earlier file stays as it was, no partial file beside it.
        const QByteArray before = [&] { QFile f(path); f.open(QIODevice::ReadOnly); return f.readAll(); }();
        QCOMPARE(EventExport::write(s.cache, odd, EventExport::Format::Csv, path,
                                    [](quint64 done, quint64) { return done < 256; }),
                 QStringLiteral("cancelled"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), before);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("slice.jsonl")});

        // An event that cannot be read fails the export with its ordinal, and writes nothing.
        const QString missing = dir.filePath(QStringLiteral("missing.csv"));
        const QString error = EventExport::write(s.cache, {1, 5000}, EventExport::Format::Csv, missing);
        QVERIFY2(error.contains(QStringLiteral("#5000")), qPrintable(error));
        QVERIFY(!QFile::exists(missing));
        QVERIFY(EventExport::write(s.cache, {1}, EventExport::Format::Csv, dir.filePath(QStringLiteral("no/such/dir.csv")))
                    .startsWith(QStringLiteral("cannot write")));
    }

    void fixtureHoldsTheSliceAndItsState()
    {
        Store s;
        for (quint64 r = 0; r < 10; ++r)
            s.source->append(makeEvent(r, "Tick", QByteArray(QByteArray("{\"n\":") + QByteArray::number(r) + '}')));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("fixture.json"));
        EventExport::Fixture f{"payment-7", QStringLiteral("merge"), QJsonObject{{QStringLiteral("n"), 4}}};
        QCOMPARE(EventExport::writeFixture(s.cache, {0, 1, 2, 3, 4}, f, path), QString());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonParseError error{};
        const QJsonObject o = QJsonDocument::fromJson(file.readAll(), &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QCOMPARE(o.value(QStringLiteral("format")).toString(), QStringLiteral("chronoscope-fixture/1"));
        QCOMPARE(o.value(QStringLiteral("stream")).toString(), QStringLiteral("payment-7"));
        QCOMPARE(o.value(QStringLiteral("reducer")).toString(), QStringLiteral("merge"));
        const QJsonArray events = o.value(QStringLiteral("events")).toArray();
        QCOMPARE(events.size(), 5);
        QCOMPARE(events.last().toObject().value(QStringLiteral("data")).toObject().value(QStringLiteral("n")).toInt(), 4);
        QCOMPARE(o.value(QStringLiteral("expectedState")).toObject().value(QStringLiteral("n")).toInt(), 4);
    }
};

QTEST_GUILESS_MAIN(TestEventExport)
#include "tst_eventexport.moc"
