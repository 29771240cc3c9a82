// Read-model mappings come with reducer files from colleagues, rows from a database someone else
// writes (docs/READ-MODELS.md): the mapping's parsing, the coercion of every value of arbitrary rows and
// states to every field type, the shapes compared for drift, the JavaScript transform, and PostgreSQL's
// value texts (arrays too). Whatever comes in: a mapping or a refusal naming its field, a coerced value
// or a reason — and a coerced value is canonical (coercing it again gives it back), an exact integer
// stays exact.
// Input: a flag byte, then NUL-separated: the reducer file's JSON, a row's JSON, a state's JSON, and a
// PostgreSQL value's text. Flag bits 0-3 pick the value's type; bit 4 runs the mapping's transform.
#include "FuzzSupport.h"
#include "readmodel/ReadModelMapping.h"
#include "readmodel/ReadModelTransform.h"
#include "readmodel/postgres/PostgresValues.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QVariant>

#include <cstdio>

using namespace chronoscope;
using namespace chronoscope::fuzz;
using namespace chronoscope::readmodel;

namespace {

constexpr unsigned kOids[16] = {16, 20, 21, 23, 114, 700, 701, 790, 1082, 1114, 1184, 1700, 3802, 1016, 1231, 1185};
constexpr FieldType kTypes[] = {FieldType::Auto,  FieldType::String, FieldType::Integer, FieldType::Decimal,
                                FieldType::Cents, FieldType::Number, FieldType::Boolean, FieldType::Timestamp,
                                FieldType::Date,  FieldType::Json};

/// Every value of a JSON document (at most `budget` of them), the containers too.
void collect(const QJsonValue &v, QList<QJsonValue> *out, int budget)
{
    if (out->size() >= budget)
        return;
    out->append(v);
    if (v.isArray()) {
        for (const QJsonValue &x : v.toArray())
            collect(x, out, budget);
    } else if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            collect(it.value(), out, budget);
    }
}

QByteArray shown(const QJsonValue &v)
{
    return QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact).left(200);
}

bool isExactInteger(const QJsonValue &v)
{
    return v.toVariant().typeId() == QMetaType::LongLong;
}

void checkCoercion(const QJsonValue &in)
{
    for (const FieldType type : kTypes) {
        for (const bool missing : {false, true}) {
            FieldCoercion how;
            how.type = type;
            how.nullIsMissing = missing;
            how.naiveIsUtc = type == FieldType::Timestamp && missing;
            const Coerced c = value::coerce(in, how);
            if (!c.ok()) {
                require(c.value.isUndefined(), "a refused value has no value");
                require(c.error.startsWith(QLatin1String("expected ")), "a refusal says what was expected");
                continue;
            }
            if (in.isNull()) {
                require(missing ? c.value.isUndefined() : c.value.isNull(), "NULL is null or missing, as asked");
                continue;
            }
            require(!c.value.isUndefined(), "a value coerces to a value");
            // Not idempotent by design: a string holding JSON is parsed once, an amount becomes hundredths once.
            if (type == FieldType::Auto || type == FieldType::Json || type == FieldType::Cents)
                continue;
            const Coerced again = value::coerce(c.value, how);
            if (!again.ok() || again.value != c.value)
                std::fprintf(stderr, "%s: %s -> %s -> %s %s\n", qPrintable(value::typeName(type)),
                             shown(in).constData(), shown(c.value).constData(), shown(again.value).constData(),
                             qPrintable(again.error));
            require(again.ok() && again.value == c.value, "a coerced value is canonical: coercing it again keeps it");
            if (type == FieldType::Integer && isExactInteger(in))
                require(isExactInteger(c.value) && c.value.toInteger() == in.toInteger(),
                        "an exact integer stays exact");
            if (type == FieldType::Decimal && isExactInteger(in))
                require(c.value.toString() == QString::number(in.toInteger()), "an exact integer's decimal is exact");
        }
    }
}

QJsonValue parsed(const QByteArray &text)
{
    const QJsonDocument doc = QJsonDocument::fromJson("[" + text + "]");
    return doc.isArray() && doc.array().size() == 1 ? doc.array().first() : QJsonValue(QString::fromUtf8(text));
}

void checkMapping(const ReadModelMapping &m, const QJsonValue &row, const QJsonValue &state, bool transform)
{
    require(!m.name().isNull() && !m.category().isEmpty() && !m.endpoint().isEmpty(), "a mapping has its parts");
    const QString id = QStringLiteral("42");
    require(m.aggregateIdOf(m.streamOf(id)) == id, "the aggregate id of its stream is the id");
    if (m.backend() == ReadModelMapping::Backend::Redis) {
        require(m.aggregateIdOfKey(m.keyOf(id)) == id, "the aggregate id of its key is the id");
        require(!m.keyGlob().isEmpty(), "the key glob is a glob");
    }
    QJsonValue source = row;
    if (transform && !m.transformSource().isEmpty()) {
        const ReadModelTransform t(m);
        require(t.error().isEmpty(), "a transform that parsed compiles");
        const Coerced out = t.apply(row);
        require(out.ok() != out.value.isUndefined(), "a transform gives a value or a reason");
        if (out.ok())
            source = out.value;
    }
    QStringList problems;
    (void)m.rowShape(source, &problems);
    (void)m.foldShape(state, &problems);
    for (const QString &p : problems)
        require(!p.isEmpty(), "a problem says what it is");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ensureApplication();
    if (size < 1)
        return 0;
    const uint8_t flags = data[0];
    const QByteArrayList p = parts(bytesOf(data + 1, size - 1), 4);

    ReadModelMapping::ParseError error;
    const std::optional<QList<ReadModelMapping>> mappings = ReadModelMapping::fromReducerFile(p[0], &error);
    const QJsonValue row = parsed(p[1]);
    const QJsonValue state = parsed(p[2]);
    if (!mappings) {
        require(!error.message.isEmpty(), "a refusal says why");
        require(error.field.isEmpty() || error.field.startsWith(QLatin1String("readModels")),
                "a refusal names the field at fault");
    } else {
        for (const ReadModelMapping &m : *mappings)
            checkMapping(m, row, state, flags & 0x10);
    }

    QList<QJsonValue> values;
    collect(row, &values, 64);
    collect(state, &values, 128);
    const QJsonValue pg = postgres::valueFromText(kOids[flags & 0x0f], p[3].constData(), int(p[3].size()));
    collect(pg, &values, 192);
    for (const QJsonValue &v : values)
        checkCoercion(v);
    return 0;
}
