// A JSON Schema document (a reducer file's, draft-07) and a payload checked against it: compiling
// never crashes or loops ($ref cycles, huge patterns), and every finding points somewhere.
// Input: schema JSON, NUL, document JSON; byte 0 of the document part picks the origin.
#include "FuzzSupport.h"
#include "json/JsonSchema.h"
#include "payload/PayloadDecoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace chronoscope;
using namespace chronoscope::engine;
using namespace chronoscope::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayList p = parts(bytesOf(data, size), 2);
    QJsonParseError pe;
    const QJsonDocument schemaDoc = QJsonDocument::fromJson(p.at(0), &pe);
    if (pe.error != QJsonParseError::NoError)
        return 0;
    const QJsonValue schemaValue = schemaDoc.isObject() ? QJsonValue(schemaDoc.object())
                                                        : QJsonValue(schemaDoc.array());
    const JsonSchema schema = JsonSchema::compile(schemaValue);
    if (!schema.isUsable())
        require(!schema.problems().isEmpty(), "an unusable schema names its problem");
    DecodeOptions options;
    options.maxBytes = 1024 * 1024;
    const DecodedPayload doc = PayloadDecoder::decode(p.at(1), QByteArrayLiteral("application/json"), options);
    if (!doc.isJson())
        return 0;
    for (const JsonSchemaOrigin origin : {JsonSchemaOrigin::Declared, JsonSchemaOrigin::Inferred}) {
        const JsonSchemaResult r = schema.validate(doc.json, origin);
        for (const JsonSchemaIssue &issue : r.issues) {
            require(!issue.message.isEmpty(), "a finding says what is wrong");
            require(issue.pointer.isEmpty() || issue.pointer.startsWith(QLatin1Char('/')),
                    "a finding's pointer is a JSON Pointer");
        }
        if (!schema.isUsable())
            require(!r.isValid(), "an unusable schema accepts nothing");
    }
    return 0;
}
