#include "script/QjsProjectionEngine.h"

#include "ProjectionRuntimeSource.h"
#include "script/EventBatchEncoder.h"
#include "script/JsSandbox.h"

#include <QJSEngine>

namespace chronoscope::engine {

QjsProjectionEngine::QjsProjectionEngine() = default;
QjsProjectionEngine::~QjsProjectionEngine() = default;

QString QjsProjectionEngine::engineName() const
{
    return QStringLiteral("QJSEngine (Qt %1)").arg(QLatin1String(qVersion()));
}

bool QjsProjectionEngine::load(const ProjectionDefinition &def, QByteArray *info, ScriptError *error)
{
    m_sandbox = std::make_unique<JsSandbox>(def.limits);
    const QJSValue factory = m_sandbox->evaluate(QString::fromUtf8(projectionRuntimeSource()),
                                                 QStringLiteral("projection_runtime.js"), error);
    if (error->isError())
        return false;
    QJSValue runtime = m_sandbox->call(factory, QStringLiteral("create"), {def.fileName}, error);
    if (error->isError())
        return false;
    runtime.setProperty(QStringLiteral("maxEmitted"), def.maxEmitted);
    m_sandbox->evaluate(def.source, def.fileName, error);
    if (error->isError()) {
        error->file = def.fileName; // a syntax error has no stack: name the projection, not the runtime
        return false;
    }
    for (const JsInvariant &inv : def.invariants) {
        // Parenthesised so that a function expression evaluates to the function; line 1 stays line 1.
        const QJSValue fn = m_sandbox->evaluate(QLatin1Char('(') + inv.source + QStringLiteral("\n)"), inv.fileName, error);
        if (error->isError()) {
            error->file = inv.fileName;
            error->message = QStringLiteral("invariant \"%1\": %2").arg(inv.name, error->message);
            return false;
        }
        m_sandbox->call(runtime, QStringLiteral("addInvariant"), {inv.name, fn, inv.fileName}, error);
        if (error->isError()) {
            error->file = inv.fileName;
            error->line = -1;
            return false;
        }
    }
    const QJSValue text = m_sandbox->call(runtime, QStringLiteral("finishDefinition"), {}, error);
    if (error->isError()) {
        if (error->file.isEmpty() || error->file == QLatin1String("projection_runtime.js")) {
            error->file = def.fileName;
            error->line = -1;
        }
        return false;
    }
    *info = text.toString().toUtf8();
    m_runtime = runtime;
    return true;
}

BatchOutcome QjsProjectionEngine::foldBatch(const EventBatchEncoder &batch)
{
    BatchOutcome out;
    const QJSValue errors = m_sandbox->call(
        m_runtime, QStringLiteral("foldBatch"),
        {batch.text(), m_sandbox->engine()->toScriptValue(batch.numbers()), batch.count()}, &out.fatal);
    if (out.fatal.isError()) {
        out.current = m_runtime.property(QStringLiteral("current")).toNumber();
        return out;
    }
    const int n = errors.property(QStringLiteral("length")).toInt();
    for (int k = 0; k < n; ++k) {
        const QJSValue e = errors.property(quint32(k));
        out.errors.append(ScriptFoldError{quint64(e.property(QStringLiteral("i")).toNumber()),
                                          e.property(QStringLiteral("m")).toString(),
                                          e.property(QStringLiteral("l")).toInt()});
    }
    return out;
}

QByteArray QjsProjectionEngine::call(const char *method, const QByteArray *arg, ScriptError *error, int timeLimitMs)
{
    QJSValueList args;
    if (arg)
        args.append(QString::fromUtf8(*arg));
    const QJSValue r = m_sandbox->call(m_runtime, QString::fromLatin1(method), args, error, timeLimitMs);
    return error->isError() || !r.isString() ? QByteArray() : r.toString().toUtf8();
}

QString QjsProjectionEngine::partitionKeyOf(const RecordedEvent &event, ScriptError *error)
{
    const QJSValue key = m_sandbox->call(
        m_runtime, QStringLiteral("partitionKeyOf"),
        {QString::fromUtf8(event.type), QString::fromUtf8(event.streamId), double(event.revision),
         QString::fromUtf8(event.data), event.isJson(), QString::fromUtf8(event.metadata)},
        error);
    return error->isError() || key.isNull() || key.isUndefined() ? QString() : key.toString();
}

} // namespace chronoscope::engine
