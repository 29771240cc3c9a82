// The hand decoder of ReadResp must give what protobuf parsing + proto::resolvedEventFrom give for
// the same bytes, and refuse what protobuf refuses: every message here is built (or damaged) as
// bytes, then decoded both ways and compared field by field.
#include "support/ReadRespCompare.h"
#include "wire/ProtoConvert.h"
#include "wire/ReadRespDecoder.h"
#include "wire/WireReader.h"

#include <google/protobuf/stubs/logging.h>

#include <QRandomGenerator>
#include <QTest>

using namespace chronoscope;
namespace wire = proto::wire;

Q_DECLARE_METATYPE(std::string)

using namespace chronoscope::testsupport;

class TestReadRespDecoder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // protobuf logs each invalid UTF-8 string it refuses; the damage tests make many.
        google::protobuf::SetLogHandler(nullptr);
    }

    void agreesWithProtobuf_data()
    {
        QTest::addColumn<std::string>("bytes");
        QTest::addColumn<int>("kind");
        auto add = [](const char *name, const spb::ReadResp &r, Kind k) {
            QTest::newRow(name) << serialized(r) << int(k);
        };
        add("event", typicalEvent(false, false), Kind::Event);
        add("event, structured id", typicalEvent(false, true), Kind::Event);
        add("resolved link", typicalEvent(true, false), Kind::Event);
        spb::ReadResp r = typicalEvent(false, false);
        r.mutable_event()->clear_event();
        fill(r.mutable_event()->mutable_link(), "$ce-order", 1, 2, false);
        add("link whose target is gone", r, Kind::Event);
        r = typicalEvent(false, false);
        r.mutable_event()->mutable_no_position();
        add("no_position", r, Kind::Event);
        r = typicalEvent(false, false);
        r.mutable_event()->set_commit_position(0);
        add("commit position 0", r, Kind::Event);
        r = typicalEvent(false, false);
        r.mutable_event()->mutable_event()->clear_id();
        r.mutable_event()->mutable_event()->clear_stream_identifier();
        r.mutable_event()->mutable_event()->mutable_metadata()->clear();
        r.mutable_event()->mutable_event()->clear_data();
        r.mutable_event()->mutable_event()->clear_custom_metadata();
        add("missing fields", r, Kind::Event);
        r = typicalEvent(false, false);
        r.mutable_event()->mutable_event()->mutable_id()->Clear();
        r.mutable_event()->mutable_event()->mutable_stream_identifier()->Clear();
        (*r.mutable_event()->mutable_event()->mutable_metadata())["created"] = "12x";
        (*r.mutable_event()->mutable_event()->mutable_metadata())["type"] = "";
        add("empty id and stream, bad created, empty type", r, Kind::Event);
        r = typicalEvent(false, false);
        r.mutable_event()->mutable_event()->mutable_id()->set_string("not a uuid");
        (*r.mutable_event()->mutable_event()->mutable_metadata())["created"] = "99999999999999999999999";
        add("bad uuid, overflowing created", r, Kind::Event);
        for (const char *id : {"8F2C11D5-0B6E-4A8C-9D3E-6F1A2B3C4D5E", "{8f2c11d5-0b6e-4a8c-9d3e-6f1a2b3c4d5e}",
                               "8f2c11d5-0b6e-4a8c-9d3e-6f1a2b3c4d5g", "8f2c11d5-0b6e-4a8c-9d3e+6f1a2b3c4d5e",
                               "8f2c11d50b6e4a8c9d3e6f1a2b3c4d5e"}) {
            r = typicalEvent(false, false);
            r.mutable_event()->mutable_event()->mutable_id()->set_string(id);
            QTest::newRow(qPrintable(QStringLiteral("uuid text %1").arg(QLatin1String(id)))) << serialized(r) << int(Kind::Event);
        }
        r = typicalEvent(false, true);
        r.mutable_event()->mutable_event()->set_stream_revision(std::numeric_limits<quint64>::max());
        r.mutable_event()->mutable_event()->set_commit_position(std::numeric_limits<quint64>::max());
        r.mutable_event()->mutable_event()->mutable_id()->mutable_structured()->set_most_significant_bits(-1);
        add("largest values", r, Kind::Event);
        r = typicalEvent(false, false);
        r.mutable_event()->mutable_event()->set_data(std::string(70000, 'x'));
        add("large payload", r, Kind::Event);
        r.Clear();
        r.mutable_event();
        add("empty ReadEvent", r, Kind::Event);
        r.Clear();
        r.mutable_stream_not_found()->mutable_stream_identifier()->set_stream_name("missing-1");
        add("stream_not_found", r, Kind::StreamNotFound);
        r.Clear();
        r.mutable_stream_not_found();
        add("stream_not_found without identifier", r, Kind::StreamNotFound);
        r.Clear();
        r.set_first_stream_position(0);
        add("first_stream_position 0", r, Kind::FirstStreamPosition);
        r.Clear();
        r.set_last_stream_position(42);
        add("last_stream_position", r, Kind::LastStreamPosition);
        r.Clear();
        r.mutable_checkpoint()->set_commit_position(77);
        add("checkpoint", r, Kind::Checkpoint);
        r.Clear();
        r.mutable_caught_up()->set_stream_revision(5);
        add("caught_up", r, Kind::CaughtUp);
        r.Clear();
        r.mutable_fell_behind();
        add("fell_behind", r, Kind::FellBehind);
        r.Clear();
        r.mutable_confirmation()->set_subscription_id("sub-1");
        add("confirmation", r, Kind::Confirmation);
        r.Clear();
        r.mutable_last_all_stream_position()->set_commit_position(1);
        add("last_all_stream_position", r, Kind::LastAllStreamPosition);
        add("empty message", spb::ReadResp(), Kind::None);

        // Hand-made bytes: unknown fields of every wire type at every level, and a content case
        // from the future (field 10) that an older client sees as an unknown field.
        const std::string unknowns = std::string("\xa0\x06\x05", 3)               // field 100 varint
            + std::string("\xa9\x06", 2) + std::string(8, '\x01')                 // field 101 fixed64
            + std::string("\xb5\x06", 2) + std::string(4, '\x02')                 // field 102 fixed32
            + std::string("\xbb\x06\x08\x01\xbc\x06", 6)                         // field 103 group {1: 1}
            + lenField(104, "opaque");
        const std::string recorded = serialized(typicalEvent(false, false).event().event());
        QTest::newRow("unknown fields everywhere")
            << lenField(1, lenField(1, recorded + unknowns) + unknowns + std::string("\x18\x05", 2)) + unknowns
            << int(Kind::Event);
        QTest::newRow("future content case") << lenField(10, "x") << int(Kind::None);
        QTest::newRow("known field, unexpected wire type")
            << lenField(1, lenField(1, recorded + std::string("\x40\x07", 2) /* data as varint */)) << int(Kind::Event);
        // Repeated fields: scalars take the last value, messages merge, oneof cases replace.
        const std::string second = serialized(typicalEvent(true, true));
        QTest::newRow("two events merge") << serialized(typicalEvent(false, false)) + second << int(Kind::Event);
        spb::ReadResp other;
        other.mutable_event()->mutable_event()->mutable_id()->set_string("1e5e2c3a-1111-2222-3333-444455556666");
        (*other.mutable_event()->mutable_event()->mutable_metadata())["type"] = "Renamed";
        QTest::newRow("partial event merges") << second + serialized(other) << int(Kind::Event);
        spb::ReadResp position;
        position.set_last_stream_position(3);
        QTest::newRow("a later case replaces the event") << second + serialized(position) << int(Kind::LastStreamPosition);
        QTest::newRow("an event after another case starts afresh")
            << serialized(position) + serialized(other) << int(Kind::Event);
        QTest::newRow("duplicate map key: the last wins")
            << lenField(1, lenField(1, recorded + lenField(6, lenField(1, "type") + lenField(2, "Second")))) << int(Kind::Event);
        std::string deep = "\x08\x01";
        for (int i = 0; i < 100; ++i)
            deep = "\xbb\x06" + deep + "\xbc\x06";
        QTest::newRow("groups nested to protobuf's limit") << deep << int(Kind::None);
        QTest::newRow("map entry without value") << lenField(1, lenField(1, lenField(6, lenField(1, "type"))))
                                                 << int(Kind::Event);
    }
    void agreesWithProtobuf()
    {
        QFETCH(std::string, bytes);
        QFETCH(int, kind);
        proto::ReadRespDecoder decoder;
        bool accepted = false;
        const QString d = compareBoth(bytes, decoder, &accepted);
        QVERIFY2(d.isEmpty(), qPrintable(d));
        QVERIFY(accepted);
        proto::ReadRespContent content;
        QVERIFY(decoder.decode(bytes.data(), bytes.size(), &content));
        QCOMPARE(int(content.kind), kind);
    }

    void decodesTheValues()
    {
        // Independent of protobuf's parse: the values put in are the values that come out.
        const std::string bytes = serialized(typicalEvent(true, true));
        proto::ReadRespDecoder decoder;
        proto::ReadRespContent c;
        QVERIFY(decoder.decode(bytes.data(), bytes.size(), &c));
        QCOMPARE(c.kind, Kind::Event);
        QVERIFY(c.event.event && c.event.link);
        QCOMPARE(c.event.event->id, QUuid::fromString(QStringLiteral("8f2c11d5-0b6e-4a8c-9d3e-6f1a2b3c4d5e")));
        QCOMPARE(c.event.event->streamId, QByteArray("order-17"));
        QCOMPARE(c.event.event->revision, quint64(3));
        QCOMPARE(c.event.event->position, (Position{4711, 4711}));
        QCOMPARE(c.event.event->type, QByteArray("OrderPlaced"));
        QCOMPARE(c.event.event->contentType, QByteArray("application/json"));
        QCOMPARE(c.event.event->createdTicks, qint64(17828640000000000));
        QCOMPARE(c.event.event->data, QByteArray(300, 'd'));
        QCOMPARE(c.event.link->type, QByteArray("$>"));
        QCOMPARE(c.event.link->data, QByteArray("3@order-17"));
        QCOMPARE(c.event.commitPosition, std::optional<quint64>(4711));
    }

    void createdTicksAgreesWithADigitLoop()
    {
        // createdTicksFrom takes eight digits at a time; the plain loop is the reference: every
        // length, a non-digit at every place (bytes next to '0'..'9' included), values that wrap.
        const auto reference = [](const std::string &t) {
            quint64 v = 0;
            for (const char ch : t) {
                if (ch < '0' || ch > '9')
                    return qint64(0);
                v = v * 10 + quint64(ch - '0');
            }
            return qint64(v);
        };
        QRandomGenerator rng(7);
        for (size_t len = 0; len <= 26; ++len) {
            std::string t;
            for (size_t i = 0; i < len; ++i)
                t += char('0' + rng.bounded(10));
            QCOMPARE(proto::createdTicksFrom(t.data(), t.size()), reference(t));
            for (size_t at = 0; at < len; ++at)
                for (const char bad : {'/', ':', '?', '\xb0', '\xb9', ' ', '\0'}) {
                    std::string damaged = t;
                    damaged[at] = bad;
                    QCOMPARE(proto::createdTicksFrom(damaged.data(), damaged.size()), qint64(0));
                }
        }
        const std::string big(20, '9'); // wraps
        QCOMPARE(proto::createdTicksFrom(big.data(), big.size()), reference(big));
        QCOMPARE(proto::createdTicksFrom("17828640000000000", 17), qint64(17828640000000000));
    }

    void asciiAndUtf8AtEveryLength()
    {
        // isValidUtf8 checks ASCII a word at a time (overlapping words for the tail): a non-ASCII
        // byte at any place of any length must reach the full check.
        for (size_t len = 0; len <= 24; ++len) {
            const std::string ascii(len, 'a');
            QVERIFY(wire::isAscii(ascii.data(), ascii.size()));
            QVERIFY(wire::isValidUtf8(ascii.data(), ascii.size()));
            for (size_t at = 0; at < len; ++at) {
                std::string lone = ascii;
                lone[at] = '\x80'; // a continuation byte without a lead
                QVERIFY(!wire::isAscii(lone.data(), lone.size()));
                QVERIFY(!wire::isValidUtf8(lone.data(), lone.size()));
                std::string accented = ascii;
                accented.replace(at, 1, "\xc3\xa9"); // é
                QVERIFY(!wire::isAscii(accented.data(), accented.size()));
                QVERIFY(wire::isValidUtf8(accented.data(), accented.size()));
            }
        }
    }

    void malformed_data()
    {
        QTest::addColumn<std::string>("bytes");
        QTest::newRow("tag 0") << std::string("\x00\x01", 2);
        QTest::newRow("field 0") << std::string("\x02\x00", 2);
        QTest::newRow("wire type 6") << std::string("\x0e", 1);
        QTest::newRow("wire type 7") << std::string("\x0f", 1);
        QTest::newRow("end group at top") << std::string("\x0c", 1);
        QTest::newRow("unterminated group") << std::string("\x0b\x08\x01", 3);
        QTest::newRow("mismatched end group") << std::string("\x0b\x14", 2);
        QTest::newRow("length past the end") << std::string("\x0a\x05\x01", 3);
        QTest::newRow("varint of 11 bytes") << std::string("\x28") + std::string(10, '\xff') + std::string("\x01");
        QTest::newRow("tag of 6 bytes") << std::string("\x88\x80\x80\x80\x80\x00", 6);
        QTest::newRow("length of 6 bytes") << std::string("\x0a\x80\x80\x80\x80\x80\x00", 7);
        QTest::newRow("truncated fixed64") << std::string("\xa9\x06\x01\x02", 4);
        QTest::newRow("invalid UTF-8 in a metadata key")
            << lenField(1, lenField(1, lenField(6, lenField(1, "ty\xffpe") + lenField(2, "x"))));
        QTest::newRow("invalid UTF-8 in a metadata value")
            << lenField(1, lenField(1, lenField(6, lenField(1, "type") + lenField(2, "\xc0\xaf"))));
        QTest::newRow("surrogate in a uuid string") << lenField(1, lenField(1, lenField(1, lenField(2, "\xed\xa0\x80"))));
        QTest::newRow("invalid UTF-8 in a subscription id") << lenField(2, lenField(1, "\xf5\x80\x80\x80"));
        QTest::newRow("garbage inside a checkpoint timestamp") << lenField(3, lenField(3, "\x07"));
        QTest::newRow("garbage inside no_position") << lenField(1, lenField(4, "\xff"));
        std::string deep = "\x08\x01";
        for (int i = 0; i < 101; ++i)
            deep = "\xbb\x06" + deep + "\xbc\x06";
        QTest::newRow("groups nested beyond protobuf's limit") << deep;
    }
    void malformed()
    {
        QFETCH(std::string, bytes);
        proto::ReadRespDecoder decoder;
        bool accepted = true;
        const QString d = compareBoth(bytes, decoder, &accepted);
        QVERIFY2(d.isEmpty(), qPrintable(d));
        QVERIFY(!accepted);
        proto::ReadRespContent content;
        QString error;
        QVERIFY(!decoder.decode(bytes.data(), bytes.size(), &content, &error));
        QVERIFY(error.contains(QLatin1String("malformed ReadResp")));
    }

    void everyTruncation()
    {
        proto::ReadRespDecoder decoder;
        for (const std::string &seed : seeds())
            for (size_t n = 0; n < seed.size(); ++n) {
                const QString d = compareBoth(seed.substr(0, n), decoder);
                QVERIFY2(d.isEmpty(), qPrintable(QStringLiteral("cut at %1: %2").arg(n).arg(d)));
            }
    }

    void randomDamage()
    {
        // Deterministic: the same damaged messages every run.
        QRandomGenerator rng(20261123);
        const QList<std::string> base = seeds();
        proto::ReadRespDecoder decoder;
        int refused = 0;
        for (int i = 0; i < 20000; ++i) {
            std::string m = base.at(int(rng.bounded(base.size())));
            const int edits = 1 + int(rng.bounded(3));
            for (int e = 0; e < edits && !m.empty(); ++e) {
                const size_t at = rng.bounded(quint32(m.size()));
                switch (rng.bounded(4)) {
                case 0: m[at] = char(rng.bounded(256)); break;
                case 1: m[at] = char(m[at] ^ (1 << rng.bounded(8))); break;
                case 2: m.insert(at, 1, char(rng.bounded(256))); break;
                default: m.erase(at, 1); break;
                }
            }
            bool accepted = false;
            const QString d = compareBoth(m, decoder, &accepted);
            QVERIFY2(d.isEmpty(), qPrintable(QStringLiteral("case %1: %2 (%3)").arg(i).arg(d).arg(QString::fromLatin1(QByteArray::fromStdString(m).toHex()))));
            refused += accepted ? 0 : 1;
        }
        // Both outcomes were exercised.
        QVERIFY(refused > 100);
        QVERIFY(refused < 19900);
    }
};

QTEST_GUILESS_MAIN(TestReadRespDecoder)
#include "tst_readrespdecoder.moc"
