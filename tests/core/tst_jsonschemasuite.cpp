// Runs the official JSON-Schema-Test-Suite (draft7/*.json, not optional/) through JsonSchema and
// ends with one line: "N passed, M failed, K skipped". A case is skipped only when our compiler
// refuses its schema for remote `$ref`s alone (we never fetch); every skipped case is listed.
// Exits non-zero on any failure, and when the suite is not installed.

#include "json/JsonSchema.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace chronoscope::engine;

namespace {

void print(const QString &line)
{
    std::fputs(qPrintable(line + QLatin1Char('\n')), stdout);
}

bool onlyRemoteRefs(const QList<JsonSchemaIssue> &problems)
{
    return std::all_of(problems.cbegin(), problems.cend(), [](const JsonSchemaIssue &i) {
        return !i.isError()
            || (i.keyword == QLatin1String("$ref") && i.message.startsWith(QLatin1String("remote $ref")));
    });
}

QString joined(const QList<JsonSchemaIssue> &issues)
{
    QStringList out;
    for (const JsonSchemaIssue &i : issues)
        out.append(i.toString());
    return out.join(QStringLiteral("; "));
}

} // namespace

int main(int argc, char **argv)
{
    const QString root = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral(CHRONOSCOPE_JSON_SCHEMA_SUITE);
    const QDir dir(root + QStringLiteral("/draft7"));
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    if (files.isEmpty()) {
        print(QStringLiteral("JSON-Schema-Test-Suite not found (looked in \"%1\"). Install it with "
                             "`apt-get install json-schema-test-suite` (scripts/setup.sh does) and re-run cmake.")
                  .arg(dir.path()));
        return 2;
    }
    int passed = 0, failed = 0;
    QStringList skipped;
    for (const QString &name : files) {
        QFile file(dir.filePath(name));
        QJsonParseError error;
        const QJsonDocument doc = file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll(), &error)
                                                                 : QJsonDocument();
        if (!doc.isArray()) {
            print(QStringLiteral("FAIL %1: cannot read (%2)").arg(name, error.errorString()));
            ++failed;
            continue;
        }
        for (const QJsonValue &g : doc.array()) {
            const QJsonObject group = g.toObject();
            const QString groupName = name + QStringLiteral(": ")
                + group.value(QLatin1String("description")).toString();
            const JsonSchema schema = JsonSchema::compile(group.value(QLatin1String("schema")));
            const QJsonArray tests = group.value(QLatin1String("tests")).toArray();
            for (const QJsonValue &t : tests) {
                const QJsonObject test = t.toObject();
                const QString caseName = groupName + QStringLiteral(" / ")
                    + test.value(QLatin1String("description")).toString();
                if (!schema.isUsable()) {
                    if (onlyRemoteRefs(schema.problems())) {
                        skipped.append(caseName + QStringLiteral(" (") + schema.problems().constFirst().toString()
                                       + QLatin1Char(')'));
                    } else {
                        print(QStringLiteral("FAIL %1: schema refused: %2").arg(caseName, joined(schema.problems())));
                        ++failed;
                    }
                    continue;
                }
                const bool expected = test.value(QLatin1String("valid")).toBool();
                const JsonSchemaResult result = schema.validate(test.value(QLatin1String("data")));
                if (result.isValid() == expected) {
                    ++passed;
                } else {
                    print(QStringLiteral("FAIL %1: expected %2, got %3 %4")
                              .arg(caseName, expected ? QStringLiteral("valid") : QStringLiteral("invalid"),
                                   result.isValid() ? QStringLiteral("valid") : QStringLiteral("invalid"),
                                   joined(result.issues)));
                    ++failed;
                }
            }
        }
    }
    for (const QString &s : std::as_const(skipped))
        print(QStringLiteral("SKIP ") + s);
    print(QStringLiteral("%1 passed, %2 failed, %3 skipped").arg(passed).arg(failed).arg(skipped.size()));
    return failed == 0 && passed > 0 ? 0 : 1;
}
