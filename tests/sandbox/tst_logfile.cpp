// The sandbox's log file: round trip through EventStore, torn tails, damage in the middle, foreign files.
#include "EventStore.h"
#include "LogFile.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace chronoscope;
using namespace chronoscope::sandbox;

namespace {

ProposedEvent proposed(int n, const std::string &type = "Tested", const std::string &metadata = {})
{
    return ProposedEvent{QUuid::createUuid(), type, true, "{\"n\":" + std::to_string(n) + "}", metadata, 0};
}

std::vector<StoredRecord> allRecords(const EventStore &store)
{
    std::vector<StoredRecord> out;
    store.readLog(0, true, size_t(-1), {}, size_t(-1), [&](const StoredRecord &r) { out.push_back(r); });
    return out;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), bytes.size());
}

struct Opened
{
    std::unique_ptr<EventStore> store;
    bool ok = false;
    std::string error;
    std::string notice;
};

Opened openStore(const QString &path)
{
    Opened o;
    o.store = std::make_unique<EventStore>();
    o.ok = o.store->openLog(path.toStdString(), &o.error, &o.notice);
    return o;
}

} // namespace

class TestLogFile : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_fiveRecords;      ///< a log of five appends, one event each
    std::vector<qint64> m_ends; ///< file offset after each record of it

    QString path(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_fiveRecords = path(QStringLiteral("five.log"));
        Opened o = openStore(m_fiveRecords);
        QVERIFY2(o.ok, o.error.c_str());
        m_ends.push_back(qint64(LogFile::kHeaderSize));
        for (int i = 0; i < 5; ++i) {
            QVERIFY(!o.store->append("five-1", EventStore::Expected::Any, 0, {proposed(i)}).error);
            m_ends.push_back(QFileInfo(m_fiveRecords).size());
        }
    }

    void crcMatchesZlib()
    {
        // The check value of CRC-32/ISO-HDLC, the CRC zlib computes.
        QCOMPARE(LogFile::crc32("123456789", 9), quint32(0xCBF43926));
    }

    void roundTripRebuildsTheSameStore()
    {
        const QString file = path(QStringLiteral("roundtrip.log"));
        std::vector<StoredRecord> before;
        quint64 endBefore = 0;
        {
            Opened o = openStore(file);
            QVERIFY2(o.ok, o.error.c_str());
            EventStore &s = *o.store;
            s.configureProjections(true, true);
            QVERIFY(!s.append("order-1", EventStore::Expected::NoStream, 0,
                              {proposed(1, "OrderPlaced", "{\"$correlationId\":\"c-1\"}"), proposed(2, "OrderPaid")}).error);
            ProposedEvent binary{QUuid::createUuid(), "Blob", false, std::string("\0\x01\xff", 3), "not json", 0};
            QVERIFY(!s.append("blob-1", EventStore::Expected::Any, 0, {binary}).error);
            QVERIFY(!s.append("$$order-1", EventStore::Expected::Any, 0,
                              {ProposedEvent{QUuid::createUuid(), "$metadata", true, "{\"$maxCount\":5}", {}, 0}}).error);
            QVERIFY(!s.softDelete("blob-1", EventStore::Expected::Any, 0).error);
            QVERIFY(!s.append("blob-1", EventStore::Expected::Any, 0, {proposed(3)}).error); // recreated after the soft delete
            QVERIFY(!s.append("gone-1", EventStore::Expected::Any, 0, {proposed(4)}).error);
            QVERIFY(!s.tombstone("gone-1", EventStore::Expected::Any, 0).error);
            before = allRecords(s);
            endBefore = s.endPosition();
        }
        QVERIFY(before.size() > 10); // events, metadata, tombstone and projection links

        Opened o = openStore(file);
        QVERIFY2(o.ok, o.error.c_str());
        QVERIFY2(o.notice.empty(), o.notice.c_str());
        o.store->configureProjections(true, true); // caught up already: must add nothing
        const std::vector<StoredRecord> after = allRecords(*o.store);
        QCOMPARE(after.size(), before.size());
        for (size_t i = 0; i < before.size(); ++i) {
            const StoredRecord &a = before[i];
            const StoredRecord &b = after[i];
            QCOMPARE(b.stream, a.stream);
            QCOMPARE(b.revision, a.revision);
            QCOMPARE(b.position, a.position);
            QCOMPARE(b.type, a.type);
            QCOMPARE(b.isJson, a.isJson);
            QCOMPARE(b.createdTicks, a.createdTicks);
            QCOMPARE(b.data, a.data);
            QCOMPARE(b.metadata, a.metadata);
            QCOMPARE(b.id, a.id);
            QCOMPARE(b.idString, a.idString);
        }
        EventStore &s = *o.store;
        QCOMPARE(s.endPosition(), endBefore);
        QCOMPARE(int(s.view("gone-1").state), int(StreamView::State::Tombstoned));
        QCOMPARE(s.view("blob-1").firstVisible, quint64(1));
        QCOMPARE(s.view("order-1").last, quint64(1));
        QCOMPARE(s.append("gone-1", EventStore::Expected::Any, 0, {proposed(5)}).error.kind, WriteError::Kind::StreamDeleted);
        const WriteResult more = s.append("order-1", EventStore::Expected::Revision, 1, {proposed(6)});
        QVERIFY(!more.error);
        QCOMPARE(*more.currentRevision, quint64(2));
        QCOMPARE(*more.position, endBefore);
    }

    void tornTail_data()
    {
        QTest::addColumn<qint64>("cut");
        const qint64 last = m_ends[5] - m_ends[4];
        for (qint64 cut = 1; cut < last; ++cut)
            QTest::addRow("cut %lld of %lld", static_cast<long long>(cut), static_cast<long long>(last)) << cut;
    }

    void tornTail()
    {
        QFETCH(qint64, cut);
        const QString file = path(QStringLiteral("torn.log"));
        writeFile(file, readFile(m_fiveRecords).chopped(cut));
        {
            Opened o = openStore(file);
            QVERIFY2(o.ok, o.error.c_str());
            QVERIFY2(o.notice.find("torn") != std::string::npos, o.notice.c_str());
            QVERIFY2(o.notice.find("offset " + std::to_string(m_ends[4])) != std::string::npos, o.notice.c_str());
            QCOMPARE(o.store->logSize(), size_t(4));
            QCOMPARE(QFileInfo(file).size(), m_ends[4]);
            QVERIFY(!o.store->append("five-1", EventStore::Expected::Revision, 3, {proposed(9)}).error);
        }
        Opened again = openStore(file); // the append after the cut is whole and readable
        QVERIFY2(again.ok, again.error.c_str());
        QVERIFY(again.notice.empty());
        QCOMPARE(again.store->logSize(), size_t(5));
    }

    void wholeLastRecordMissingIsClean()
    {
        const QString file = path(QStringLiteral("short.log"));
        writeFile(file, readFile(m_fiveRecords).left(m_ends[4]));
        Opened o = openStore(file);
        QVERIFY2(o.ok, o.error.c_str());
        QVERIFY(o.notice.empty());
        QCOMPARE(o.store->logSize(), size_t(4));
    }

    void damagedTail_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("bad checksum in the last record") << QStringLiteral("checksum");
        QTest::newRow("zeros after the last record") << QStringLiteral("zeros");
        QTest::newRow("frame shorter than 8 bytes") << QStringLiteral("frame");
    }

    void damagedTail()
    {
        QFETCH(QString, kind);
        QByteArray bytes = readFile(m_fiveRecords);
        if (kind == QLatin1String("checksum"))
            bytes[bytes.size() - 3] = char(bytes[bytes.size() - 3] ^ 0x40);
        else if (kind == QLatin1String("zeros"))
            bytes.append(QByteArray(4096, '\0'));
        else
            bytes.append("\x10\0\0", 3);
        const QString file = path(QStringLiteral("tail.log"));
        writeFile(file, bytes);
        Opened o = openStore(file);
        QVERIFY2(o.ok, o.error.c_str());
        QVERIFY2(!o.notice.empty(), "the cut must be reported");
        QCOMPARE(o.store->logSize(), size_t(kind == QLatin1String("checksum") ? 4 : 5));
    }

    void damageInTheMiddle_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("checksum") << QStringLiteral("checksum");
        QTest::newRow("length") << QStringLiteral("length");
        QTest::newRow("length reaching past the end") << QStringLiteral("long");
    }

    void damageInTheMiddle()
    {
        QFETCH(QString, kind);
        QByteArray bytes = readFile(m_fiveRecords);
        const qint64 at = m_ends[2]; // the third record
        if (kind == QLatin1String("checksum"))
            bytes[at + 20] = char(bytes[at + 20] ^ 0x01);
        else if (kind == QLatin1String("length"))
            bytes.replace(at, 4, QByteArray("\xf0\xff\xff\xff", 4));
        else
            bytes[at + 2] = char(bytes[at + 2] ^ 0x10); // one bit: 1 MiB longer than the file
        const QString file = path(QStringLiteral("middle.log"));
        writeFile(file, bytes);
        Opened o = openStore(file);
        QVERIFY(!o.ok);
        QVERIFY2(o.error.find("offset " + std::to_string(at)) != std::string::npos, o.error.c_str());
        QCOMPARE(o.store->logSize(), size_t(0)); // nothing half-loaded
        QCOMPARE(readFile(file), bytes);          // and nothing cut off
    }

    void emptyFileStartsALog()
    {
        const QString file = path(QStringLiteral("empty.log"));
        writeFile(file, {});
        Opened o = openStore(file);
        QVERIFY2(o.ok, o.error.c_str());
        QCOMPARE(o.store->logSize(), size_t(0));
        QCOMPARE(QFileInfo(file).size(), qint64(LogFile::kHeaderSize));
        QVERIFY(!o.store->append("e-1", EventStore::Expected::Any, 0, {proposed(1)}).error);
        o.store.reset();
        Opened again = openStore(file);
        QVERIFY2(again.ok, again.error.c_str());
        QCOMPARE(again.store->logSize(), size_t(1));
    }

    void foreignFiles_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        QTest::newRow("text") << QByteArray("hello, this is not a log at all\n") << QStringLiteral("bad magic");
        QTest::newRow("short text") << QByteArray("hi\n") << QStringLiteral("bad magic");
        QByteArray future = readFile(m_fiveRecords);
        future[8] = 9;
        QTest::newRow("newer version") << future << QStringLiteral("version 9");
    }

    void foreignFiles()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        const QString file = path(QStringLiteral("foreign.log"));
        writeFile(file, bytes);
        Opened o = openStore(file);
        QVERIFY(!o.ok);
        QVERIFY2(o.error.find(expected.toStdString()) != std::string::npos, o.error.c_str());
        QCOMPARE(readFile(file), bytes);
    }

    void tornHeaderIsCompleted()
    {
        const QString file = path(QStringLiteral("header.log"));
        writeFile(file, QByteArray("CHRNS"));
        Opened o = openStore(file);
        QVERIFY2(o.ok, o.error.c_str());
        QVERIFY(!o.notice.empty());
        QCOMPARE(QFileInfo(file).size(), qint64(LogFile::kHeaderSize));
    }

    void secondOpenerIsRefused()
    {
        const QString file = path(QStringLiteral("locked.log"));
        Opened first = openStore(file);
        QVERIFY2(first.ok, first.error.c_str());
        Opened second = openStore(file);
        QVERIFY(!second.ok);
        QVERIFY2(second.error.find("in use") != std::string::npos, second.error.c_str());
    }
};

QTEST_GUILESS_MAIN(TestLogFile)
#include "tst_logfile.moc"
