#include "json/JsonSchema.h"
#include "json/JsonSchemaEvaluator.h"
#include "json/JsonSchemaFormats.h"
#include "json/JsonSchemaValidator.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace chronoscope::engine;

namespace {

// Any JSON text, scalars included, written with ' for " to keep the tables readable.
QJsonValue json(QByteArray text)
{
    text.replace('\'', '"');
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + text + ']', &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad JSON in a test: %s", text.constData());
    return doc.array().at(0);
}

QStringList strings(const QList<JsonSchemaIssue> &issues)
{
    QStringList out;
    for (const JsonSchemaIssue &i : issues)
        out.append(i.toString());
    return out;
}

const QByteArray kOrder = "{'type':'object','required':['orderId','total'],'properties':{"
                          "'orderId':{'type':'string'},'total':{'type':'integer'},"
                          "'lines':{'type':'array','items':{'type':'object','properties':{'sku':{'type':'string'}}}}}}";

} // namespace

class TestJsonSchema : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void messages_data()
    {
        QTest::addColumn<QByteArray>("schema");
        QTest::addColumn<QByteArray>("document");
        QTest::addColumn<QStringList>("expected");

        const QByteArray lines = "{'type':'object','properties':{'items':{'type':'array','items':{'type':'object',"
                                 "'required':['amount'],'properties':{'amount':{'type':'integer','minimum':0}}}}}}";
        QTest::newRow("valid") << lines << QByteArray("{'items':[{'amount':0}]}") << QStringList();
        QTest::newRow("nested pointer") << lines << QByteArray("{'items':[{'amount':-5},{}]}")
                                        << QStringList{QStringLiteral("/items/0/amount: must be at least 0 (it is -5)"),
                                                       QStringLiteral("/items/1/amount: is required")};
        const QByteArray currency = "{'properties':{'currency':{'pattern':'^[A-Z]{3}$'}}}";
        QTest::newRow("pattern") << currency << QByteArray("{'currency':'eur'}")
                                 << QStringList{QStringLiteral("/currency: must match pattern ^[A-Z]{3}$")};
        QTest::newRow("pattern: $ is the end, as in ECMA-262")
            << currency << QByteArray("{'currency':'EUR\\n'}")
            << QStringList{QStringLiteral("/currency: must match pattern ^[A-Z]{3}$")};
        QTest::newRow("pattern: not anchored")
            << QByteArray("{'pattern':'[0-9]'}") << QByteArray("'a1'") << QStringList();
        QTest::newRow("a number as a string")
            << QByteArray("{'type':'number'}") << QByteArray("'12'")
            << QStringList{QStringLiteral("(root): must be a number, not the string \"12\"")};
        QTest::newRow("type list") << QByteArray("{'type':['string','null']}") << QByteArray("5")
                                   << QStringList{QStringLiteral("(root): must be a string or null, not the number 5")};
        QTest::newRow("1.0 is an integer") << QByteArray("{'type':'integer'}") << QByteArray("1.0") << QStringList();
        QTest::newRow("1.5 is not") << QByteArray("{'type':'integer'}") << QByteArray("1.5")
                                    << QStringList{
                                           QStringLiteral("(root): must be a whole number, not the number 1.5")};
        QTest::newRow("exclusiveMinimum")
            << QByteArray("{'exclusiveMinimum':0,'exclusiveMaximum':10}") << QByteArray("0")
            << QStringList{QStringLiteral("(root): must be greater than 0 (it is 0)")};
        QTest::newRow("exclusiveMaximum")
            << QByteArray("{'exclusiveMinimum':0,'exclusiveMaximum':10}") << QByteArray("10")
            << QStringList{QStringLiteral("(root): must be less than 10 (it is 10)")};
        QTest::newRow("maximum") << QByteArray("{'maximum':9}") << QByteArray("9.5")
                                 << QStringList{QStringLiteral("(root): must be at most 9 (it is 9.5)")};
        QTest::newRow("multipleOf, decimal")
            << QByteArray("{'multipleOf':0.01}") << QByteArray("19.99") << QStringList();
        QTest::newRow("multipleOf, off") << QByteArray("{'multipleOf':0.01}") << QByteArray("10.005")
                                         << QStringList{
                                                QStringLiteral("(root): must be a multiple of 0.01 (it is 10.005)")};
        QTest::newRow("length counts code points")
            << QByteArray("{'maxLength':2}") << QByteArray("'\\ud83d\\udca9\\ud83d\\udca9'") << QStringList();
        QTest::newRow("minLength") << QByteArray("{'minLength':3}") << QByteArray("'\\ud83d\\udca9\\ud83d\\udca9'")
                                   << QStringList{
                                          QStringLiteral("(root): must be at least 3 characters long (it has 2)")};
        QTest::newRow("maxLength, one") << QByteArray("{'maxLength':1}") << QByteArray("'ab'")
                                        << QStringList{
                                               QStringLiteral("(root): must be at most 1 character long (it has 2)")};
        QTest::newRow("format") << QByteArray("{'format':'date-time'}") << QByteArray("'2024-02-30T10:00:00Z'")
                                << QStringList{QStringLiteral(
                                       "(root): must be an RFC 3339 date-time such as 2024-05-01T12:30:00Z")};
        QTest::newRow("format, valid") << QByteArray("{'format':'date-time'}")
                                       << QByteArray("'2024-02-29T10:00:00.5+01:00'") << QStringList();
        QTest::newRow("format ignores other types")
            << QByteArray("{'format':'email'}") << QByteArray("12") << QStringList();
        QTest::newRow("enum") << QByteArray("{'enum':['EUR','GBP']}") << QByteArray("'USD'")
                              << QStringList{QStringLiteral("(root): must be one of \"EUR\", \"GBP\"")};
        QTest::newRow("const") << QByteArray("{'const':{'v':2}}") << QByteArray("{'v':3}")
                               << QStringList{QStringLiteral("(root): must be exactly {\"v\":2}")};
        QTest::newRow("additionalProperties false")
            << QByteArray("{'properties':{'a':{},'b':{}},'additionalProperties':false}") << QByteArray("{'a':1,'c':2}")
            << QStringList{QStringLiteral("/c: is not an allowed field (the fields are: a, b)")};
        QTest::newRow("additionalProperties schema")
            << QByteArray("{'properties':{'a':{}},'additionalProperties':{'type':'string'}}")
            << QByteArray("{'a':1,'c':2}") << QStringList{QStringLiteral("/c: must be a string, not the number 2")};
        QTest::newRow("patternProperties")
            << QByteArray("{'patternProperties':{'^x-':{'type':'string'}},'additionalProperties':false}")
            << QByteArray("{'x-a':'ok','x-b':1}")
            << QStringList{QStringLiteral("/x-b: must be a string, not the number 1")};
        QTest::newRow("key with a slash")
            << QByteArray("{'properties':{'a/b':{'type':'string'}}}") << QByteArray("{'a/b':1}")
            << QStringList{QStringLiteral("/a~1b: must be a string, not the number 1")};
        QTest::newRow("false schema") << QByteArray("{'properties':{'legacy':false}}") << QByteArray("{'legacy':1}")
                                      << QStringList{QStringLiteral("/legacy: is not allowed here")};
        QTest::newRow("additionalItems false")
            << QByteArray("{'items':[{'type':'string'}],'additionalItems':false}") << QByteArray("['a','b']")
            << QStringList{QStringLiteral("/1: is not allowed: the array takes at most 1 item")};
        QTest::newRow("uniqueItems") << QByteArray("{'uniqueItems':true}") << QByteArray("[1,2,1.0]")
                                     << QStringList{QStringLiteral(
                                            "(root): must not contain duplicates (items 0 and 2 are equal)")};
        QTest::newRow("minItems") << QByteArray("{'minItems':2}") << QByteArray("[1]")
                                  << QStringList{QStringLiteral("(root): must have at least 2 items (it has 1)")};
        QTest::newRow("contains") << QByteArray("{'contains':{'minimum':5}}") << QByteArray("[1,2]")
                                  << QStringList{QStringLiteral(
                                         "(root): must contain at least one matching item (none of its 2 items does; "
                                         "/0: must be at least 5 (it is 1))")};
        QTest::newRow("minProperties") << QByteArray("{'minProperties':1}") << QByteArray("{}")
                                       << QStringList{QStringLiteral("(root): must have at least 1 field (it has 0)")};
        QTest::newRow("dependencies, names")
            << QByteArray("{'dependencies':{'refund':['payment']}}") << QByteArray("{'refund':1}")
            << QStringList{QStringLiteral("/payment: is required when \"refund\" is present")};
        QTest::newRow("dependencies, schema")
            << QByteArray("{'dependencies':{'refund':{'required':['reason']}}}") << QByteArray("{'refund':1}")
            << QStringList{QStringLiteral("/reason: is required")};
        QTest::newRow("propertyNames") << QByteArray("{'propertyNames':{'pattern':'^[a-z]+$'}}")
                                       << QByteArray("{'ok':1,'Bad':2}")
                                       << QStringList{QStringLiteral("/Bad: field name must match pattern ^[a-z]+$")};
        QTest::newRow("anyOf")
            << QByteArray("{'anyOf':[{'type':'string'},{'type':'integer','minimum':0}]}") << QByteArray("-1")
            << QStringList{
                   QStringLiteral("(root): must match at least one of the 2 alternatives (anyOf), but matches none: "
                                  "alternative 1: must be a string, not the number -1; "
                                  "alternative 2: must be at least 0 (it is -1)")};
        QTest::newRow("anyOf, nested finding")
            << QByteArray("{'anyOf':[{'required':['a']},{'required':['b']}]}") << QByteArray("{}")
            << QStringList{QStringLiteral("(root): must match at least one of the 2 alternatives (anyOf), "
                                          "but matches none: alternative 1: /a: is required; "
                                          "alternative 2: /b: is required")};
        QTest::newRow("oneOf, two")
            << QByteArray("{'oneOf':[{'type':'integer'},{'minimum':0}]}") << QByteArray("3")
            << QStringList{
                   QStringLiteral("(root): must match exactly one of the 2 alternatives (oneOf), but matches 1 and 2")};
        QTest::newRow("oneOf, one") << QByteArray("{'oneOf':[{'type':'integer'},{'minimum':0}]}") << QByteArray("-3")
                                    << QStringList();
        QTest::newRow("not") << QByteArray("{'not':{'type':'null'}}") << QByteArray("null")
                             << QStringList{QStringLiteral("(root): must not match the schema under \"not\"")};
        const QByteArray refund = "{'if':{'properties':{'kind':{'const':'refund'}}},'then':{'required':['reason']}}";
        QTest::newRow("if/then") << refund << QByteArray("{'kind':'refund'}")
                                 << QStringList{QStringLiteral("/reason: is required")};
        QTest::newRow("if/then, not taken") << refund << QByteArray("{'kind':'sale'}") << QStringList();
        QTest::newRow("$ref to definitions")
            << QByteArray("{'definitions':{'money':{'type':'object','required':['amount','currency'],"
                          "'properties':{'amount':{'type':'integer','minimum':0}}}},'properties':{'total':{'$ref':'#/"
                          "definitions/money'}}}")
            << QByteArray("{'total':{'amount':-1}}")
            << QStringList{QStringLiteral("/total/currency: is required"),
                           QStringLiteral("/total/amount: must be at least 0 (it is -1)")};
        QTest::newRow("$ref by $id") << QByteArray(
            "{'$id':'http://example.com/order.json','definitions':{'a':{'$id':'#money','type':'integer'}},"
            "'properties':{'x':{'$ref':'#money'},'y':{'$ref':'order.json#/definitions/a'}}}")
                                     << QByteArray("{'x':'1','y':true}")
                                     << QStringList{QStringLiteral("/x: must be a whole number, not the string \"1\""),
                                                    QStringLiteral("/y: must be a whole number, not true")};
        QTest::newRow("recursive $ref") << QByteArray("{'properties':{'child':{'$ref':'#'}},'required':['id']}")
                                        << QByteArray("{'id':1,'child':{'id':2,'child':{}}}")
                                        << QStringList{QStringLiteral("/child/child/id: is required")};
        QTest::newRow("annotations check nothing")
            << QByteArray("{'title':'t','default':5,'readOnly':true,'examples':['x']}") << QByteArray("\"x\"")
            << QStringList();
    }

    void messages()
    {
        QFETCH(QByteArray, schema);
        QFETCH(QByteArray, document);
        QFETCH(QStringList, expected);
        const JsonSchema s = JsonSchema::compile(json(schema));
        QVERIFY2(s.problems().isEmpty(), qPrintable(strings(s.problems()).join(QLatin1Char('\n'))));
        const JsonSchemaResult r = s.validate(json(document));
        QCOMPARE(r.toStringList(), expected);
        QCOMPARE(r.isValid(), expected.isEmpty());
        QCOMPARE(JsonSchemaValidator::validate(json(document), json(schema)).toStringList(), expected);
    }

    void issueFields()
    {
        const JsonSchemaResult r = JsonSchemaValidator::validate(
            json("{'amount':-1}"), json("{'required':['currency'],'properties':{'amount':{'minimum':0}}}"));
        QCOMPARE(r.issues.size(), 2);
        const JsonSchemaIssue &required = r.issues.at(0);
        QCOMPARE(required.pointer, QStringLiteral("/currency"));
        QCOMPARE(required.keyword, QStringLiteral("required"));
        QCOMPARE(required.message, QStringLiteral("is required"));
        QCOMPARE(required.schemaPointer, QStringLiteral("/required"));
        QCOMPARE(required.severity, JsonSchemaSeverity::Error);
        const JsonSchemaIssue &minimum = r.issues.at(1);
        QCOMPARE(minimum.pointer, QStringLiteral("/amount"));
        QCOMPARE(minimum.keyword, QStringLiteral("minimum"));
        QCOMPARE(minimum.message, QStringLiteral("must be at least 0 (it is -1)"));
        QCOMPARE(minimum.schemaPointer, QStringLiteral("/properties/amount/minimum"));
        QCOMPARE(r.errorCount(), 2);
        QCOMPARE(r.warningCount(), 0);
    }

    void loadProblems_data()
    {
        QTest::addColumn<QByteArray>("schema");
        QTest::addColumn<QStringList>("expected"); // an entry ending in '*' is a prefix

        QTest::newRow("typo, nested") << QByteArray("{'properties':{'total':{'properties':{'amount':{'minimun':0}}}}}")
                                      << QStringList{QStringLiteral(
                                             "/properties/total/properties/amount/minimun: unknown keyword "
                                             "\"minimun\" (did you mean \"minimum\"?)")};
        QTest::newRow("unknown") << QByteArray("{'frobnicate':1}")
                                 << QStringList{QStringLiteral("/frobnicate: unknown keyword \"frobnicate\"")};
        QTest::newRow("in unused definitions")
            << QByteArray("{'definitions':{'x':{'maxLenght':3}}}")
            << QStringList{QStringLiteral("/definitions/x/maxLenght: unknown keyword \"maxLenght\" "
                                          "(did you mean \"maxLength\"?)")};
        QTest::newRow("later draft")
            << QByteArray("{'$defs':{}}")
            << QStringList{QStringLiteral(
                   "/$defs: \"$defs\" belongs to a later draft (2019-09); in draft-07 use \"definitions\"")};
        QTest::newRow("OpenAPI")
            << QByteArray("{'type':'string','nullable':true}")
            << QStringList{QStringLiteral(
                   "/nullable: \"nullable\" is OpenAPI, not JSON Schema; use \"type\": [\"…\", \"null\"]")};
        QTest::newRow("format not supported")
            << QByteArray("{'format':'uri'}")
            << QStringList{QStringLiteral("/format: format \"uri\" is not supported (supported: date-time, "
                                          "date, time, email, hostname, ipv4, ipv6, json-pointer, regex)")};
        QTest::newRow("remote $ref")
            << QByteArray("{'properties':{'a':{'$ref':'https://example.com/money.json'}}}")
            << QStringList{QStringLiteral(
                   "/properties/a/$ref: remote $ref is not supported: \"https://example.com/money.json\" "
                   "is outside this schema (only references within it, such as \"#/definitions/money\")")};
        QTest::newRow("relative $ref no $id declares")
            << QByteArray("{'$ref':'money.json'}")
            << QStringList{QStringLiteral("/$ref: remote $ref is not supported*")};
        QTest::newRow("$ref to nothing")
            << QByteArray("{'$ref':'#/definitions/nope'}")
            << QStringList{
                   QStringLiteral("/$ref: \"#/definitions/nope\" does not point to a schema within this document")};
        QTest::newRow("$ref loop")
            << QByteArray("{'definitions':{'a':{'$ref':'#/definitions/b'},'b':{'$ref':'#/definitions/a'}}}")
            << QStringList{
                   QStringLiteral(
                       "/definitions/a/$ref: is a loop: the references lead back here without reaching a schema"),
                   QStringLiteral(
                       "/definitions/b/$ref: is a loop: the references lead back here without reaching a schema")};
        QTest::newRow("bad regex") << QByteArray("{'pattern':'^(abc'}")
                                   << QStringList{
                                          QStringLiteral("/pattern: \"^(abc\" is not a valid regular expression: *")};
        QTest::newRow("bad patternProperties regex")
            << QByteArray("{'patternProperties':{'[':{}}}")
            << QStringList{QStringLiteral("/patternProperties/[: \"[\" is not a valid regular expression: *")};
        QTest::newRow("bad type")
            << QByteArray("{'properties':{'n':{'type':'int'}}}")
            << QStringList{
                   QStringLiteral("/properties/n/type: unknown type \"int\" (the types are object, array, string, "
                                  "number, integer, boolean and null)")};
        QTest::newRow("minimum as a string")
            << QByteArray("{'minimum':'0'}") << QStringList{QStringLiteral("/minimum: must be a number")};
        QTest::newRow("draft-04 exclusiveMaximum")
            << QByteArray("{'maximum':5,'exclusiveMaximum':true}")
            << QStringList{QStringLiteral("/exclusiveMaximum: must be a number: in draft-07 it is the limit "
                                          "itself, not a flag beside \"maximum\"")};
        QTest::newRow("$schema draft-04")
            << QByteArray("{'$schema':'http://json-schema.org/draft-04/schema#'}")
            << QStringList{QStringLiteral("/$schema: only JSON Schema draft-07 is supported "
                                          "(\"http://json-schema.org/draft-07/schema#\")")};
        QTest::newRow("items not a schema")
            << QByteArray("{'items':5}")
            << QStringList{QStringLiteral("/items: must be a schema (an object, true or false)")};
        QTest::newRow("required twice") << QByteArray("{'required':['a','a']}")
                                        << QStringList{QStringLiteral(
                                               "/required: must be an array of distinct property names")};
        QTest::newRow("negative length") << QByteArray(
            "{'minLength':-1}") << QStringList{QStringLiteral("/minLength: must be a whole number, 0 or more")};
        QTest::newRow("empty allOf") << QByteArray("{'allOf':[]}")
                                     << QStringList{QStringLiteral("/allOf: must be a non-empty array of schemas")};
        QTest::newRow("title not a string")
            << QByteArray("{'title':1}") << QStringList{QStringLiteral("/title: must be a string")};
        QTest::newRow("not a schema") << QByteArray(
            "5") << QStringList{QStringLiteral("(root): a schema must be an object, true or false")};
        QTest::newRow("beside $ref: a warning")
            << QByteArray("{'definitions':{'m':{}},'properties':{'a':{'$ref':'#/definitions/"
                          "m','minimum':0,'description':'d'}}}")
            << QStringList{QStringLiteral(
                   "/properties/a/minimum: is ignored: in draft-07 \"$ref\" replaces every keyword beside it "
                   "(put both in an \"allOf\") (warning)")};
        QTest::newRow("additionalItems alone: a warning")
            << QByteArray("{'additionalItems':false}")
            << QStringList{QStringLiteral("/additionalItems: is ignored: \"additionalItems\" only applies beside an "
                                          "\"items\" array (warning)")};
        QTest::newRow("then without if: a warning")
            << QByteArray("{'then':{}}") << QStringList{QStringLiteral("/then: is ignored without \"if\" (warning)")};
        QTest::newRow("annotations") << QByteArray(
            "{'$schema':'http://json-schema.org/draft-07/schema#','$id':'http://example.com/e.json',"
            "'title':'t','description':'d','default':{},'examples':[1],'$comment':'c','readOnly':true,'writeOnly':"
            "false,"
            "'contentMediaType':'application/json','contentEncoding':'base64','definitions':{'x':{}}}")
                                     << QStringList();
        QTest::newRow("every assertion") << QByteArray(
            "{'type':'object','enum':[{}],'const':{},'multipleOf':1,'maximum':1,"
            "'exclusiveMaximum':1,'minimum':0,'exclusiveMinimum':0,'maxLength':1,'minLength':0,'pattern':'x','format':'"
            "date',"
            "'items':[{}],'additionalItems':{},'maxItems':1,'minItems':0,'uniqueItems':true,'contains':{},'"
            "maxProperties':1,"
            "'minProperties':0,'required':[],'properties':{},'patternProperties':{},'additionalProperties':{},"
            "'dependencies':{'a':['b'],'c':{}},'propertyNames':{},'if':{},'then':{},'else':{},'allOf':[{}],'anyOf':[{}]"
            ","
            "'oneOf':[{}],'not':{}}") << QStringList();
        QTest::newRow("an unknown member a $ref uses")
            << QByteArray("{'money':{'type':'integer'},'properties':{'a':{'$ref':'#/money'}}}") << QStringList();
        QTest::newRow("an unknown member no $ref uses")
            << QByteArray("{'money':{'type':'integer'}}")
            << QStringList{QStringLiteral("/money: unknown keyword \"money\"")};
        QTest::newRow("boolean schemas") << QByteArray("{'properties':{'a':true,'b':false}}") << QStringList();
    }

    void loadProblems()
    {
        QFETCH(QByteArray, schema);
        QFETCH(QStringList, expected);
        const QStringList got = strings(JsonSchemaValidator::checkSchema(json(schema)));
        QCOMPARE(got.size(), expected.size());
        for (qsizetype i = 0; i < got.size(); ++i) {
            if (expected.at(i).endsWith(QLatin1Char('*')))
                QVERIFY2(got.at(i).startsWith(expected.at(i).chopped(1)), qPrintable(got.at(i)));
            else
                QCOMPARE(got.at(i), expected.at(i));
        }
        const JsonSchema compiled = JsonSchema::compile(json(schema));
        const bool anyError = std::any_of(compiled.problems().cbegin(), compiled.problems().cend(),
                                          [](const JsonSchemaIssue &i) { return i.isError(); });
        QCOMPARE(compiled.isUsable(), !anyError);
    }

    void unusableSchema()
    {
        const JsonSchema s = JsonSchema::compile(json("{'properties':{'a':{'minimun':0}}}"));
        QVERIFY(!s.isUsable());
        QCOMPARE(s.problems().constFirst().keyword, QStringLiteral("minimun"));
        const JsonSchemaResult r = s.validate(json("{}"));
        QVERIFY(!r.isValid());
        QCOMPARE(r.toStringList(),
                 QStringList{
                     QStringLiteral("(root): cannot be checked: the schema has an error at "
                                    "/properties/a/minimun: unknown keyword \"minimun\" (did you mean \"minimum\"?)")});
    }

    void inferred_data()
    {
        QTest::addColumn<QByteArray>("schema");
        QTest::addColumn<QByteArray>("document");
        QTest::addColumn<int>("origin");
        QTest::addColumn<QStringList>("expected");
        QTest::addColumn<bool>("valid");
        const int declared = int(JsonSchemaOrigin::Declared), inferred = int(JsonSchemaOrigin::Inferred);
        const QByteArray changed = "{'orderId':'o-1','total':'12.50','channel':'web','lines':[{'sku':'a','qty':2}]}";
        QTest::newRow("inferred: new fields and a changed type warn")
            << kOrder << changed << inferred
            << QStringList{QStringLiteral("/channel: is a new field: no existing event has it (warning)"),
                           QStringLiteral("/lines/0/qty: is a new field: no existing event has it (warning)"),
                           QStringLiteral(
                               "/total: is the string \"12.50\"; existing events have a whole number here (warning)")}
            << true;
        QTest::newRow("declared: new fields are fine, the type is an error")
            << kOrder << changed << declared
            << QStringList{QStringLiteral("/total: must be a whole number, not the string \"12.50\"")} << false;
        QTest::newRow("inferred: a missing required field is an error")
            << kOrder << QByteArray("{'total':1}") << inferred << QStringList{QStringLiteral("/orderId: is required")}
            << false;
        QTest::newRow("inferred: other keywords stay errors")
            << QByteArray("{'properties':{'c':{'enum':['EUR']}},'additionalProperties':false}")
            << QByteArray("{'c':'USD','x':1}") << inferred
            << QStringList{QStringLiteral("/c: must be one of \"EUR\""),
                           QStringLiteral("/x: is not an allowed field (the fields are: c)")}
            << false;
        QTest::newRow("inferred: conditions are judged strictly")
            << QByteArray("{'if':{'properties':{'v':{'type':'integer'}}},'then':{'required':['w']}}")
            << QByteArray("{'v':'x'}") << inferred << QStringList() << true;
        QTest::newRow("inferred: the matching alternative's warnings")
            << QByteArray("{'oneOf':[{'type':'string'},{'type':'object','properties':{'a':{}}}]}")
            << QByteArray("{'a':1,'b':2}") << inferred
            << QStringList{QStringLiteral("/b: is a new field: no existing event has it (warning)")} << true;
    }

    void inferred()
    {
        QFETCH(QByteArray, schema);
        QFETCH(QByteArray, document);
        QFETCH(int, origin);
        QFETCH(QStringList, expected);
        QFETCH(bool, valid);
        const JsonSchemaResult r = JsonSchema::compile(json(schema)).validate(json(document), JsonSchemaOrigin(origin));
        QCOMPARE(r.toStringList(), expected);
        QCOMPARE(r.isValid(), valid);
        QCOMPARE(r.errors().size() + r.warnings().size(), r.issues.size());
        for (const JsonSchemaIssue &w : r.warnings())
            QVERIFY(w.keyword == QLatin1String("type") || w.keyword == QLatin1String("properties"));
    }

    void equality_data()
    {
        QTest::addColumn<QByteArray>("a");
        QTest::addColumn<QByteArray>("b");
        QTest::addColumn<bool>("equal");
        QTest::newRow("1 and 1.0") << QByteArray("1") << QByteArray("1.0") << true;
        QTest::newRow("big integers") << QByteArray("9007199254740993") << QByteArray("9007199254740992") << false;
        QTest::newRow("key order") << QByteArray("{'a':1,'b':[1,{'c':null}]}")
                                   << QByteArray("{'b':[1.0,{'c':null}],'a':1}") << true;
        QTest::newRow("true and 1") << QByteArray("true") << QByteArray("1") << false;
        QTest::newRow("array order") << QByteArray("[1,2]") << QByteArray("[2,1]") << false;
        QTest::newRow("more keys") << QByteArray("{'a':1}") << QByteArray("{'a':1,'b':1}") << false;
    }

    void equality()
    {
        QFETCH(QByteArray, a);
        QFETCH(QByteArray, b);
        QFETCH(bool, equal);
        QCOMPARE(JsonSchemaEvaluator::equal(json(a), json(b)), equal);
        QCOMPARE(JsonSchemaEvaluator::equal(json(b), json(a)), equal);
    }

    void loopAtRuntime()
    {
        // Not a pure $ref chain (allOf in between), so it loads; validation must still end.
        const JsonSchemaResult r = JsonSchemaValidator::validate(json("1"), json("{'allOf':[{'$ref':'#'}]}"));
        QVERIFY(!r.isValid());
        QCOMPARE(r.issues.constFirst().message, QStringLiteral("the schema refers to itself without end here"));
    }

    void copiesShareOneCompiledSchema()
    {
        const JsonSchema a = JsonSchema::compile(json("{'minimum':1}"));
        const JsonSchema b = a;
        QCOMPARE(b.validate(json("0")).toStringList(),
                 QStringList{QStringLiteral("(root): must be at least 1 (it is 0)")});
        QCOMPARE(b.source(), a.source());
        QVERIFY(JsonSchema().validate(json("[1]")).isValid());
    }

    // The formats we assert, against the official suite's optional format tests.
    void formatsAgainstSuite_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QJsonValue>("data");
        QTest::addColumn<bool>("valid");
        const QDir dir(QStringLiteral(CHRONOSCOPE_JSON_SCHEMA_SUITE "/draft7/optional/format"));
        for (const QString &format : JsonSchemaFormats::supported()) {
            QFile file(dir.filePath(format + QStringLiteral(".json")));
            if (!file.open(QIODevice::ReadOnly))
                continue;
            for (const QJsonValue &group : QJsonDocument::fromJson(file.readAll()).array()) {
                for (const QJsonValue &t : group.toObject().value(QLatin1String("tests")).toArray()) {
                    const QJsonObject test = t.toObject();
                    QTest::addRow("%s: %s", qPrintable(format),
                                  qPrintable(test.value(QLatin1String("description")).toString()))
                        << format << test.value(QLatin1String("data")) << test.value(QLatin1String("valid")).toBool();
                }
            }
        }
        if (!dir.exists())
            QTest::addRow("suite missing") << QString() << QJsonValue() << false;
    }

    void formatsAgainstSuite()
    {
        QFETCH(QString, format);
        QFETCH(QJsonValue, data);
        QFETCH(bool, valid);
        if (format.isEmpty())
            QFAIL("json-schema-test-suite is not installed (scripts/setup.sh)");
        const JsonSchemaResult r = JsonSchema::compile(QJsonObject{{QStringLiteral("format"), format}}).validate(data);
        QCOMPARE(r.isValid(), valid);
    }
};

QTEST_GUILESS_MAIN(TestJsonSchema)
#include "tst_jsonschema.moc"
