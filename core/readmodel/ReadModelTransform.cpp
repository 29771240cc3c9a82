#include "readmodel/ReadModelTransform.h"

#include "script/JsSandbox.h"

#include <QJSEngine>
#include <QJsonArray>
#include <QJsonDocument>

namespace chronoscope::readmodel {

struct ReadModelTransform::Engine
{
    engine::JsSandbox sandbox;
    QJSValue holder; ///< { fn: the transform }
    QJSValue json;   ///< the engine's JSON object
};

namespace {

const QString kFile = QStringLiteral("transform");

QString described(const engine::ScriptError &e)
{
    return e.line > 0 ? QStringLiteral("line %1: %2").arg(e.line).arg(e.message) : e.message;
}

/// Evaluates the transform's source as an expression; the line numbers are the source's own.
QJSValue compile(engine::JsSandbox &sandbox, const QString &source, QString *error)
{
    engine::ScriptError e;
    const QJSValue fn = sandbox.evaluate(QLatin1Char('(') + source + QStringLiteral("\n)"), kFile, &e);
    const int lines = int(source.count(QLatin1Char('\n'))) + 1;
    if (e.isError() && e.line > lines) { // met at the closing line we added: the source ended too soon
        e.line = lines;
        e.message += QStringLiteral(" (at the end)");
    }
    if (e.isError())
        *error = described(e);
    else if (!fn.isCallable())
        *error = QStringLiteral("must be a function: (row) => ({ … })");
    return fn;
}

} // namespace

ReadModelTransform::ReadModelTransform(const ReadModelMapping &mapping)
{
    if (mapping.transformSource().isEmpty())
        return;
    m_engine = std::make_unique<Engine>();
    const QJSValue fn = compile(m_engine->sandbox, mapping.transformSource(), &m_error);
    m_engine->holder = m_engine->sandbox.engine()->newObject();
    m_engine->holder.setProperty(QStringLiteral("fn"), fn);
    m_engine->json = m_engine->sandbox.engine()->globalObject().property(QStringLiteral("JSON"));
}

ReadModelTransform::~ReadModelTransform() = default;

QString ReadModelTransform::check(const QString &source)
{
    engine::JsSandbox sandbox;
    QString error;
    compile(sandbox, source, &error);
    return error;
}

Coerced ReadModelTransform::apply(const QJsonValue &row) const
{
    if (!m_engine)
        return Coerced{row, {}};
    engine::JsSandbox &sandbox = m_engine->sandbox;
    if (!m_error.isEmpty())
        return Coerced{QJsonValue::Undefined, QStringLiteral("transform: ") + m_error};
    // Rows cross as JSON text: numbers the row holds as decimal strings stay strings.
    engine::ScriptError e;
    const QByteArray text = QJsonDocument(QJsonArray{row}).toJson(QJsonDocument::Compact);
    const QJSValue parsed = sandbox.call(m_engine->json, QStringLiteral("parse"), {QJSValue(QString::fromUtf8(text))},
                                         &e);
    const QJSValue result = e.isError()
        ? QJSValue()
        : sandbox.call(m_engine->holder, QStringLiteral("fn"), {parsed.property(0)}, &e);
    if (e.isError())
        return Coerced{QJsonValue::Undefined, QStringLiteral("transform: ") + described(e)};
    if (result.isUndefined())
        return Coerced{QJsonValue::Undefined, QStringLiteral("transform: returned undefined")};
    const QJSValue out = sandbox.call(m_engine->json, QStringLiteral("stringify"), {result}, &e);
    const QJsonDocument doc = QJsonDocument::fromJson("[" + out.toString().toUtf8() + "]");
    if (e.isError() || !doc.isArray() || doc.array().size() != 1)
        return Coerced{QJsonValue::Undefined, QStringLiteral("transform: the result is not JSON")};
    return Coerced{doc.array().first(), {}};
}

} // namespace chronoscope::readmodel
