#include "script/ReducerFile.h"

#include "json/JsonSchema.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace chronoscope::engine {

namespace {

class Parser
{
public:
    Parser(const QString &file, ReducerFile::LoadError *error) : m_file(file), m_error(error) {}
    bool fail(const QString &field, const QString &message, int line = -1)
    {
        *m_error = ReducerFile::LoadError{m_file, field, line, message};
        return false;
    }
    /// A function field: a string, or an array of strings joined with newlines.
    bool script(const QJsonValue &v, const QString &field, QString *out)
    {
        if (v.isString()) {
            *out = v.toString();
        } else if (v.isArray()) {
            QStringList lines;
            for (const QJsonValue &l : v.toArray()) {
                if (!l.isString())
                    return fail(field, QStringLiteral("every line must be a string"));
                lines.append(l.toString());
            }
            *out = lines.join(QLatin1Char('\n'));
        } else {
            return fail(field, QStringLiteral("must be a string or an array of lines"));
        }
        if (out->trimmed().isEmpty())
            return fail(field, QStringLiteral("is empty"));
        return true;
    }

private:
    QString m_file;
    ReducerFile::LoadError *m_error;
};

QRegularExpression globToRegex(const QString &glob)
{
    // Stream names are not paths: '*' matches any run of characters, '/' included ('?' one character).
    QString re = QRegularExpression::escape(glob);
    re.replace(QLatin1String("\\*"), QLatin1String(".*")).replace(QLatin1String("\\?"), QLatin1String("."));
    return QRegularExpression(QRegularExpression::anchoredPattern(re));
}

} // namespace

QString ReducerFile::LoadError::toString() const
{
    QString s = file;
    if (!field.isEmpty())
        s += QStringLiteral(": ") + field;
    if (line > 0)
        s += QStringLiteral(": line ") + QString::number(line);
    return s + QStringLiteral(": ") + message;
}

std::optional<ReducerFile> ReducerFile::load(const QString &path, LoadError *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = LoadError{path, {}, -1, QStringLiteral("cannot read: ") + f.errorString()};
        return std::nullopt;
    }
    return parse(f.readAll(), path, error);
}

std::optional<ReducerFile> ReducerFile::parse(const QByteArray &json, const QString &path, LoadError *error)
{
    Parser p(path, error);
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError) {
        const int line = int(json.left(pe.offset).count('\n')) + 1;
        *error = LoadError{path, {}, -1, QStringLiteral("not valid JSON at line %1 (offset %2): %3").arg(line).arg(pe.offset).arg(pe.errorString())};
        return std::nullopt;
    }
    if (!doc.isObject()) {
        p.fail({}, QStringLiteral("the top level must be an object"));
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    ReducerFile r;
    r.m_path = path;
    const QJsonValue format = o.value(QLatin1String("format"));
    if (!format.isUndefined() && format.toString() != QLatin1String("chronoscope-reducer/1")) {
        p.fail(QStringLiteral("format"), QStringLiteral("unsupported format (expected \"chronoscope-reducer/1\")"));
        return std::nullopt;
    }
    r.m_name = o.value(QLatin1String("name")).toString();
    if (r.m_name.isEmpty()) {
        p.fail(QStringLiteral("name"), QStringLiteral("missing or not a non-empty string"));
        return std::nullopt;
    }
    r.m_description = o.value(QLatin1String("description")).toString();
    const QString kind = o.value(QLatin1String("kind")).toString();
    if (kind == QLatin1String("merge")) {
        r.m_kind = Kind::Merge;
    } else if (kind == QLatin1String("javascript")) {
        r.m_kind = Kind::JavaScript;
    } else {
        p.fail(QStringLiteral("kind"), QStringLiteral("must be \"merge\" or \"javascript\""));
        return std::nullopt;
    }
    const QJsonValue engine = o.value(QLatin1String("engine"));
    if (!engine.isUndefined()) {
        if (!engine.isString() || !ProjectionEngine::kindFromName(engine.toString(), &r.m_engine)) {
            p.fail(QStringLiteral("engine"), QStringLiteral("must be \"default\", \"spidermonkey\" or \"qjsengine\""));
            return std::nullopt;
        }
        if (!ProjectionEngine::isAvailable(r.m_engine)) {
            p.fail(QStringLiteral("engine"), QStringLiteral("\"%1\" is not built into this Chronoscope").arg(engine.toString()));
            return std::nullopt;
        }
    }
    const QJsonValue applies = o.value(QLatin1String("appliesTo"));
    if (applies.isString()) {
        r.m_appliesTo = QStringList{applies.toString()};
    } else if (applies.isArray()) {
        for (const QJsonValue &v : applies.toArray()) {
            if (!v.isString() || v.toString().isEmpty()) {
                p.fail(QStringLiteral("appliesTo"), QStringLiteral("every pattern must be a non-empty string"));
                return std::nullopt;
            }
            r.m_appliesTo.append(v.toString());
        }
    } else if (!applies.isUndefined()) {
        p.fail(QStringLiteral("appliesTo"), QStringLiteral("must be a stream pattern or an array of them"));
        return std::nullopt;
    }
    r.m_arrayIdKey = o.value(QLatin1String("arrayIdKey")).toString();

    const QString base = QFileInfo(path).fileName();
    if (r.m_kind == Kind::JavaScript) {
        if (o.contains(QLatin1String("projectionFile"))) {
            const QString rel = o.value(QLatin1String("projectionFile")).toString();
            QFile js(QFileInfo(path).dir().filePath(rel));
            if (rel.isEmpty() || !js.open(QIODevice::ReadOnly)) {
                p.fail(QStringLiteral("projectionFile"), QStringLiteral("cannot read \"%1\"").arg(rel));
                return std::nullopt;
            }
            r.m_projection = QString::fromUtf8(js.readAll());
            r.m_projectionFileName = rel;
        } else if (o.contains(QLatin1String("projection"))) {
            if (!p.script(o.value(QLatin1String("projection")), QStringLiteral("projection"), &r.m_projection))
                return std::nullopt;
            r.m_projectionFileName = base + QStringLiteral("#projection");
        } else {
            p.fail(QStringLiteral("projection"), QStringLiteral("a javascript reducer needs \"projection\" or \"projectionFile\""));
            return std::nullopt;
        }
    } else if (o.contains(QLatin1String("projection")) || o.contains(QLatin1String("projectionFile"))) {
        p.fail(QStringLiteral("projection"), QStringLiteral("a merge reducer has no projection source"));
        return std::nullopt;
    }

    const QJsonArray ups = o.value(QLatin1String("upcasters")).toArray();
    if (o.contains(QLatin1String("upcasters")) && !o.value(QLatin1String("upcasters")).isArray()) {
        p.fail(QStringLiteral("upcasters"), QStringLiteral("must be an array"));
        return std::nullopt;
    }
    for (qsizetype i = 0; i < ups.size(); ++i) {
        const QString field = QStringLiteral("upcasters[%1]").arg(i);
        const QJsonObject u = ups.at(i).toObject();
        UpcasterSpec spec;
        spec.eventType = u.value(QLatin1String("eventType")).toString().toUtf8();
        if (spec.eventType.isEmpty()) {
            p.fail(field + QStringLiteral(".eventType"), QStringLiteral("missing"));
            return std::nullopt;
        }
        if (!u.value(QLatin1String("version")).isDouble()) {
            p.fail(field + QStringLiteral(".version"), QStringLiteral("missing or not a number"));
            return std::nullopt;
        }
        spec.version = u.value(QLatin1String("version")).toInt();
        spec.toVersion = u.value(QLatin1String("toVersion")).toInt(spec.version + 1);
        if (spec.toVersion <= spec.version) {
            p.fail(field + QStringLiteral(".toVersion"), QStringLiteral("must be greater than version"));
            return std::nullopt;
        }
        spec.versionFrom = u.value(QLatin1String("versionFrom")).toString(spec.versionFrom);
        if (!spec.versionFrom.startsWith(QLatin1String("metadata.")) && !spec.versionFrom.startsWith(QLatin1String("data."))) {
            p.fail(field + QStringLiteral(".versionFrom"), QStringLiteral("must start with \"metadata.\" or \"data.\""));
            return std::nullopt;
        }
        spec.defaultVersion = u.value(QLatin1String("defaultVersion")).toInt(1);
        if (!p.script(u.value(QLatin1String("function")), field + QStringLiteral(".function"), &spec.source))
            return std::nullopt;
        spec.fileName = base + QLatin1Char('#') + field + QStringLiteral(".function");
        r.m_upcasters.append(spec);
    }

    const QJsonArray invs = o.value(QLatin1String("invariants")).toArray();
    for (qsizetype i = 0; i < invs.size(); ++i) {
        const QString field = QStringLiteral("invariants[%1]").arg(i);
        const QJsonObject inv = invs.at(i).toObject();
        JsInvariant j;
        j.name = inv.value(QLatin1String("name")).toString(field);
        if (!p.script(inv.value(QLatin1String("function")), field + QStringLiteral(".function"), &j.source))
            return std::nullopt;
        j.fileName = base + QLatin1Char('#') + field + QStringLiteral(".function");
        r.m_invariants.append(j);
    }
    if (!r.m_invariants.isEmpty() && r.m_kind == Kind::Merge) {
        p.fail(QStringLiteral("invariants"), QStringLiteral("invariants need kind \"javascript\""));
        return std::nullopt;
    }

    const QJsonObject schemas = o.value(QLatin1String("schemas")).toObject();
    for (auto it = schemas.begin(); it != schemas.end(); ++it) {
        const QString field = QStringLiteral("schemas.") + it.key();
        if (!it.value().isObject()) {
            p.fail(field, QStringLiteral("must be a schema object"));
            return std::nullopt;
        }
        // Warnings (a keyword draft-07 ignores where it stands) are refused too: whoever wrote it
        // expected it to check something, and a reducer file is fixed more easily than a wrong verdict.
        const JsonSchema schema = JsonSchema::compile(it.value());
        if (!schema.problems().isEmpty()) {
            QStringList said;
            for (const JsonSchemaIssue &problem : schema.problems().mid(0, 5))
                said.append((problem.pointer.isEmpty() ? QStringLiteral("(root)") : problem.pointer)
                            + QLatin1String(": ") + problem.message);
            if (schema.problems().size() > 5)
                said.append(QStringLiteral("%1 more").arg(schema.problems().size() - 5));
            p.fail(field, said.join(QStringLiteral("; ")));
            return std::nullopt;
        }
        r.m_schemas.insert(it.key().toUtf8(), it.value().toObject());
        r.m_compiledSchemas.insert(it.key().toUtf8(), schema);
    }

    QString templateField, templateMessage;
    const auto templates = ReducerTemplate::parseAll(o.value(QLatin1String("templates")), &templateField,
                                                     &templateMessage);
    if (!templates) {
        p.fail(templateField, templateMessage);
        return std::nullopt;
    }
    r.m_templates = *templates;

    const QJsonObject limits = o.value(QLatin1String("limits")).toObject();
    r.m_limits.timeLimitMs = limits.value(QLatin1String("timeLimitMs")).toInt(r.m_limits.timeLimitMs);
    r.m_limits.memoryLimitBytes = qint64(limits.value(QLatin1String("memoryLimitMB")).toDouble(double(r.m_limits.memoryLimitBytes >> 20))) << 20;
    r.m_limits.stateLimitBytes = qint64(limits.value(QLatin1String("stateLimitMB")).toDouble(double(r.m_limits.stateLimitBytes >> 20))) << 20;
    if (r.m_limits.timeLimitMs <= 0) {
        p.fail(QStringLiteral("limits.timeLimitMs"), QStringLiteral("must be positive"));
        return std::nullopt;
    }

    // Compile every script now, so that a broken file fails at load with its field and line.
    if (r.m_kind == Kind::JavaScript && !r.createReducer(error))
        return std::nullopt;
    if (r.m_kind == Kind::Merge && !r.m_upcasters.isEmpty()) {
        ScriptError se;
        if (!UpcastingReducer::create(std::unique_ptr<Reducer>(), r.m_upcasters, r.m_limits, &se)) {
            const QString field = se.file.section(QLatin1Char('#'), 1);
            *error = LoadError{path, field, se.line, se.message};
            return std::nullopt;
        }
    }
    return r;
}

bool ReducerFile::appliesToStream(const QByteArray &streamId) const
{
    if (m_appliesTo.isEmpty())
        return true;
    const QString s = QString::fromUtf8(streamId);
    for (const QString &glob : m_appliesTo) {
        if (globToRegex(glob).match(s).hasMatch())
            return true;
    }
    return false;
}

JsonSchemaResult ReducerFile::checkPayload(const RecordedEvent &event) const
{
    const auto it = m_compiledSchemas.constFind(event.type);
    if (it == m_compiledSchemas.constEnd())
        return {};
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + event.data + ']', &pe);
    if (pe.error != QJsonParseError::NoError)
        return JsonSchemaResult{
            {JsonSchemaIssue{QString(), QString(), QStringLiteral("is not valid JSON (%1)").arg(pe.errorString()),
                             JsonSchemaSeverity::Error, QString()}}};
    return it.value().validate(doc.array().at(0));
}

QStringList ReducerFile::validatePayload(const RecordedEvent &event) const
{
    return checkPayload(event).toStringList();
}

std::unique_ptr<Reducer> ReducerFile::createReducer(LoadError *error,
                                                    const std::function<std::unique_ptr<Reducer>()> &makeMerge) const
{
    std::unique_ptr<Reducer> reducer;
    if (m_kind == Kind::JavaScript) {
        JsReducerOptions o;
        o.name = QStringLiteral("javascript: ") + QFileInfo(m_path).fileName();
        o.source = m_projection;
        o.fileName = m_projectionFileName;
        o.limits = m_limits;
        o.invariants = m_invariants;
        o.engine = m_engine;
        ScriptError se;
        reducer = JsReducer::create(o, &se);
        if (!reducer) {
            const bool inProjection = se.file == m_projectionFileName || se.file.isEmpty();
            *error = LoadError{m_path, inProjection ? (m_projectionFileName.contains(QLatin1Char('#')) ? QStringLiteral("projection") : QStringLiteral("projectionFile"))
                                                    : se.file.section(QLatin1Char('#'), 1),
                               se.line, se.message};
            return nullptr;
        }
    } else {
        if (!makeMerge) {
            *error = LoadError{m_path, QStringLiteral("kind"), -1, QStringLiteral("no merge reducer factory given")};
            return nullptr;
        }
        reducer = makeMerge();
    }
    if (m_upcasters.isEmpty())
        return reducer;
    ScriptError se;
    auto up = UpcastingReducer::create(std::move(reducer), m_upcasters, m_limits, &se);
    if (!up) {
        *error = LoadError{m_path, se.file.section(QLatin1Char('#'), 1), se.line, se.message};
        return nullptr;
    }
    return up;
}

} // namespace chronoscope::engine
