#pragma once
// What the Corrector's tests share: a small payments reducer file (a declared schema for refunds, an
// inferred one for payments, the invariant "refunds never exceed what was paid" and a handler that
// throws on purpose), targets built from it, events and drafts.
#include "correct/CorrectionTarget.h"
#include "correct/EventDraft.h"
#include "script/ReducerFile.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

#include <memory>

namespace chronoscope::test {

inline const QString kRefundInvariant = QStringLiteral("refunds never exceed what was paid");

/// `amount` 13 makes the refund handler throw ("unlucky refund"): a reducer failure, not an invariant.
inline QByteArray paymentsReducerJson()
{
    return R"json({
  "format": "chronoscope-reducer/1",
  "name": "test-payments",
  "kind": "javascript",
  "projection": [
    "fromAll().when({",
    "  $init: function () { return { paid: 0, refunded: 0, charges: 0 }; },",
    "  PaymentProcessed: function (s, e) { s.paid += e.data.amount; s.charges++; },",
    "  PaymentRefunded: function (s, e) {",
    "    if (e.data.amount === 13) throw new Error('unlucky refund');",
    "    s.refunded += e.data.amount;",
    "  }",
    "})"
  ],
  "invariants": [
    { "name": "refunds never exceed what was paid",
      "function": "function (s, e) { return s.refunded <= s.paid || ('refunded ' + s.refunded + ' of ' + s.paid + ' paid'); }" }
  ],
  "schemas": {
    "PaymentRefunded": {
      "type": "object",
      "required": ["orderId", "amount"],
      "properties": {
        "orderId": { "type": "string" },
        "amount": { "type": "integer", "minimum": 1 },
        "note": { "type": "string", "maxLength": 200 }
      }
    }
  }
})json";
}

inline std::shared_ptr<const engine::ReducerFile> paymentsReducerFile()
{
    engine::ReducerFile::LoadError error;
    auto file = engine::ReducerFile::parse(paymentsReducerJson(), QStringLiteral("test-payments.reducer.json"), &error);
    if (!file)
        qFatal("test reducer file: %s", qPrintable(error.toString()));
    return std::make_shared<const engine::ReducerFile>(std::move(*file));
}

inline std::unique_ptr<CorrectionTarget> paymentsTarget(const QByteArray &stream)
{
    auto file = paymentsReducerFile();
    engine::ReducerFile::LoadError error;
    auto reducer = file->createReducer(&error);
    if (!reducer)
        qFatal("test reducer: %s", qPrintable(error.toString()));
    return std::make_unique<CorrectionTarget>(stream, file, std::move(reducer));
}

inline QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

inline QByteArray paymentData(const QString &orderId, int amount)
{
    return json({{QStringLiteral("paymentId"), QString(QStringLiteral("p-") + orderId)},
                 {QStringLiteral("orderId"), orderId},
                 {QStringLiteral("amount"), amount},
                 {QStringLiteral("currency"), QStringLiteral("EUR")}});
}

/// An event of `stream` at `revision`, as a read would return it.
inline RecordedEvent recorded(const QByteArray &stream, quint64 revision, const QByteArray &type,
                              const QByteArray &data, const QByteArray &metadata = "{}")
{
    RecordedEvent e;
    e.streamId = stream;
    e.id = QUuid::createUuidV5(QUuid(), QString::fromUtf8(stream + '/' + QByteArray::number(revision)));
    e.revision = revision;
    e.position = Position{revision * 100, revision * 100};
    e.type = type;
    e.contentType = "application/json";
    e.data = data;
    e.metadata = metadata;
    return e;
}

/// A refund draft for `stream` pinned to the target's head.
inline EventDraft refundDraft(const CorrectionTarget &target, int amount,
                              const QString &orderId = QStringLiteral("o-1"))
{
    EventDraft d = EventDraft::create(QString::fromUtf8(target.stream()), target.headExpected());
    d.eventType = QStringLiteral("PaymentRefunded");
    d.data = QString::fromUtf8(json({{QStringLiteral("orderId"), orderId}, {QStringLiteral("amount"), amount}}));
    return d;
}

} // namespace chronoscope::test
