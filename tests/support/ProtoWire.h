#pragma once

// Protobuf wire bytes written by hand for the protobuf decoder's tests, so the expected results
// do not come from the library under test. Messages follow tests/data/protobuf/payments.proto.

#include <QByteArray>
#include <QString>

namespace chronoscope::test {

/// A descriptor set protoc made from tests/data/protobuf at build time (tests/CMakeLists.txt:
/// payments.desc, payments-no-imports.desc, legacy-no-imports.desc).
inline QString descriptorSet(const char *file = "payments.desc")
{
    return QStringLiteral(CHRONOSCOPE_TEST_DESCRIPTORS "/") + QLatin1String(file);
}
/// The packages of payments.proto and legacy.proto, with the trailing dot.
inline const QString kPaymentsPackage = QStringLiteral("chronoscope.test.payments.");
inline const QString kLegacyPackage = QStringLiteral("chronoscope.test.legacy.");

struct ProtoWire
{
    enum WireType { Varint = 0, Fixed64 = 1, Length = 2, Fixed32 = 5 };

    static QByteArray varint(quint64 v)
    {
        QByteArray out;
        do {
            const char low = char(v & 0x7f);
            v >>= 7;
            out.append(v ? char(low | 0x80) : low);
        } while (v);
        return out;
    }
    static QByteArray tag(int field, WireType type) { return varint(quint64(field) << 3 | type); }
    static QByteArray number(int field, quint64 v) { return tag(field, Varint) + varint(v); }
    static QByteArray bytes(int field, const QByteArray &v) { return tag(field, Length) + varint(quint64(v.size())) + v; }

    /// payments.Money
    static QByteArray money(const QByteArray &currency, quint64 minorUnits)
    {
        return bytes(1, currency) + number(2, minorUnits);
    }

    /// A payments.PaymentProcessed with every kind of field set, and the JSON the decoder gives
    /// for it (proto3 mapping: int64 as strings, enums by name, Timestamp as RFC 3339).
    static QByteArray paymentProcessed()
    {
        return bytes(1, "pay-42") + number(2, 1250) + number(3, 1 /* CARD */) + bytes(4, money("EUR", 1250))
            + bytes(5, "KB-MECH x1") + bytes(5, "USB-C cable x2") + bytes(6, money("EUR", 30))
            + bytes(6, money("EUR", 5)) + bytes(7, number(1, 1700000000) /* Timestamp.seconds */)
            + number(8, 1);
    }
    static QString paymentProcessedJson()
    {
        return QStringLiteral(
            R"({"payment_id":"pay-42","amount_minor":"1250","method":"CARD",)"
            R"("total":{"currency":"EUR","minor_units":"1250"},"order_lines":["KB-MECH x1","USB-C cable x2"],)"
            R"("fees":[{"currency":"EUR","minor_units":"30"},{"currency":"EUR","minor_units":"5"}],)"
            R"("captured":true,"processed_at":"2023-11-14T22:13:20Z"})"); // 3.21 prints the Timestamp after field 8
    }
};

} // namespace chronoscope::test
