#include "json/SchemaInference.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace chronoscope::engine;

namespace {
QJsonValue json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}
} // namespace

class TestSchemaInference : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void noExamplesAcceptsEverything()
    {
        SchemaInference inference;
        QCOMPARE(inference.schema(), QJsonValue(true));
        QVERIFY(inference.compile().validate(json(R"({"x":1})")).isValid());
    }

    void typesRequiredAndItems()
    {
        SchemaInference inference;
        inference.add(json(R"({"orderId":"o-1","amount":2500,"currency":"EUR","lines":[{"sku":"a","qty":1}],"note":"x"})"));
        inference.add(json(R"({"orderId":"o-2","amount":1999,"currency":"GBP","lines":[],"rate":0.5})"));
        QCOMPARE(inference.exampleCount(), 2);
        const QJsonObject schema = inference.schema().toObject();
        QCOMPARE(schema.value(QStringLiteral("type")).toString(), QStringLiteral("object"));
        const QJsonObject properties = schema.value(QStringLiteral("properties")).toObject();
        QCOMPARE(properties.value(QStringLiteral("amount")).toObject().value(QStringLiteral("type")).toString(),
                 QStringLiteral("integer"));
        QCOMPARE(properties.value(QStringLiteral("rate")).toObject().value(QStringLiteral("type")).toString(),
                 QStringLiteral("number"));
        QStringList required;
        for (const QJsonValue &r : schema.value(QStringLiteral("required")).toArray())
            required.append(r.toString());
        required.sort();
        QCOMPARE(required, (QStringList{QStringLiteral("amount"), QStringLiteral("currency"), QStringLiteral("lines"),
                                        QStringLiteral("orderId")}));
        const QJsonObject items = properties.value(QStringLiteral("lines")).toObject().value(QStringLiteral("items")).toObject();
        QCOMPARE(items.value(QStringLiteral("type")).toString(), QStringLiteral("object"));
    }

    void inferredFindingsAreWarningsExceptMissingRequired()
    {
        SchemaInference inference;
        inference.add(json(R"({"paymentId":"p-1","amount":2500})"));
        inference.add(json(R"({"paymentId":"p-2","amount":100})"));
        const JsonSchema schema = inference.compile();
        QVERIFY(schema.isUsable());

        const JsonSchemaResult fine = schema.validate(json(R"({"paymentId":"p-3","amount":7})"), JsonSchemaOrigin::Inferred);
        QVERIFY(fine.issues.isEmpty());

        // An unseen member and a changed type: shown, but they do not block.
        const JsonSchemaResult odd =
            schema.validate(json(R"({"paymentId":"p-3","amount":"7","extra":true})"), JsonSchemaOrigin::Inferred);
        QVERIFY2(odd.isValid(), qPrintable(odd.toStringList().join(QLatin1Char('\n'))));
        QCOMPARE(odd.warningCount(), 2);

        // A missing required member is an error.
        const JsonSchemaResult missing = schema.validate(json(R"({"paymentId":"p-3"})"), JsonSchemaOrigin::Inferred);
        QCOMPARE(missing.errorCount(), 1);
        QCOMPARE(missing.errors().first().keyword, QStringLiteral("required"));
    }

    void mixedTypesAreListed()
    {
        SchemaInference inference;
        inference.add(json(R"({"v":1})"));
        inference.add(json(R"({"v":"one"})"));
        inference.add(json(R"({"v":null})"));
        const QJsonValue type = inference.schema()
                                    .toObject()
                                    .value(QStringLiteral("properties"))
                                    .toObject()
                                    .value(QStringLiteral("v"))
                                    .toObject()
                                    .value(QStringLiteral("type"));
        QCOMPARE(type.toArray().size(), 3);
        QVERIFY(inference.compile().validate(json(R"({"v":2})")).isValid());
        QVERIFY(!inference.compile().validate(json(R"({"v":true})")).isValid());
    }

    void deepDocumentsDoNotOverflow()
    {
        QByteArray deep;
        for (int i = 0; i < 500; ++i)
            deep += "{\"a\":";
        deep += "1";
        for (int i = 0; i < 500; ++i)
            deep += "}";
        SchemaInference inference;
        inference.add(QJsonDocument::fromJson(deep).object());
        QVERIFY(inference.compile().isUsable());
    }
};

QTEST_GUILESS_MAIN(TestSchemaInference)
#include "tst_schemainference.moc"
