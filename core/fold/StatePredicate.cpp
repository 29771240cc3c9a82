#include "fold/StatePredicate.h"

#include "json/JsonFormat.h"
#include "json/JsonPath.h"
#include "script/JsSandbox.h"

#include <QJSEngine>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace chronoscope {

using engine::JsonPath;

struct StatePredicate::Script
{
    engine::JsSandbox sandbox;
    QJSValue function; ///< the object holding `test`
};

QString StatePredicate::opText(Op op)
{
    switch (op) {
    case Op::Equal: return QStringLiteral("==");
    case Op::NotEqual: return QStringLiteral("!=");
    case Op::Less: return QStringLiteral("<");
    case Op::LessOrEqual: return QStringLiteral("<=");
    case Op::Greater: return QStringLiteral(">");
    case Op::GreaterOrEqual: return QStringLiteral(">=");
    case Op::Exists: return QStringLiteral("exists");
    case Op::Missing: return QStringLiteral("is missing");
    }
    return {};
}

QString StatePredicate::Spec::describe() const
{
    if (kind == Kind::JavaScript)
        return expression.simplified();
    const QString where = pointer.isEmpty() ? QStringLiteral("(root)") : pointer;
    if (op == Op::Exists || op == Op::Missing)
        return where + QLatin1Char(' ') + opText(op);
    return where + QLatin1Char(' ') + opText(op) + QLatin1Char(' ') + value.trimmed();
}

StatePredicate::~StatePredicate() = default;

std::unique_ptr<StatePredicate> StatePredicate::create(const Spec &spec, QString *error)
{
    std::unique_ptr<StatePredicate> p(new StatePredicate);
    p->m_spec = spec;
    if (spec.kind == Kind::JavaScript) {
        if (spec.expression.trimmed().isEmpty()) {
            *error = QStringLiteral("the expression is empty");
            return nullptr;
        }
        p->m_script = std::make_unique<Script>();
        engine::ScriptError se;
        // Wrapped in a function so that `state` is a parameter, not a global the script could keep.
        const QJSValue holder = p->m_script->sandbox.evaluate(
            QStringLiteral("({ test: function (state) { return (") + spec.expression + QStringLiteral("\n); } })"),
            QStringLiteral("predicate"), &se);
        const QJSValue fn = holder.property(QStringLiteral("test"));
        if (se.isError() || !fn.isCallable()) {
            *error = se.isError() ? se.toString() : QStringLiteral("the expression is not valid JavaScript");
            return nullptr;
        }
        p->m_script->function = holder;
        return p;
    }
    JsonPath path;
    if (!spec.pointer.isEmpty() && !JsonPath::fromPointer(spec.pointer, &path)) {
        *error = QStringLiteral("\"%1\" is not a JSON Pointer (it starts with '/', e.g. /totals/count)").arg(spec.pointer);
        return nullptr;
    }
    if (spec.op != Op::Exists && spec.op != Op::Missing) {
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson("[" + spec.value.toUtf8() + "]", &pe);
        if (pe.error != QJsonParseError::NoError || doc.array().size() != 1) {
            *error = QStringLiteral("the value must be one JSON literal (42, \"text\", true, null): %1")
                         .arg(spec.value.trimmed().isEmpty() ? QStringLiteral("it is empty") : pe.errorString());
            return nullptr;
        }
        p->m_literal = doc.array().first();
    }
    return p;
}

static QJsonValue valueAt(const QJsonValue &root, const QString &pointer, bool *found)
{
    JsonPath path;
    JsonPath::fromPointer(pointer, &path);
    QJsonValue v = root;
    for (const engine::PathSegment &s : path.segments()) {
        if (v.isObject() && !s.isIndex()) {
            v = engine::JsonFormat::member(v.toObject(), s.key);
        } else if (v.isObject()) {
            v = engine::JsonFormat::member(v.toObject(), QString::number(s.index));
        } else if (v.isArray() && s.isIndex() && s.index < v.toArray().size()) {
            v = v.toArray().at(s.index);
        } else {
            *found = false;
            return {};
        }
        if (v.isUndefined()) {
            *found = false;
            return {};
        }
    }
    *found = true;
    return v;
}

bool StatePredicate::compare(const QJsonValue &actual) const
{
    using engine::JsonFormat::valuesEqual;
    switch (m_spec.op) {
    case Op::Equal: return valuesEqual(actual, m_literal);
    case Op::NotEqual: return !valuesEqual(actual, m_literal);
    default: break;
    }
    int order = 0;
    if (actual.isDouble() && m_literal.isDouble()) {
        const double a = actual.toDouble(), b = m_literal.toDouble();
        order = a < b ? -1 : a > b ? 1 : 0;
    } else if (actual.isString() && m_literal.isString()) {
        order = actual.toString().compare(m_literal.toString());
    } else {
        return false; // ordering other types means nothing
    }
    switch (m_spec.op) {
    case Op::Less: return order < 0;
    case Op::LessOrEqual: return order <= 0;
    case Op::Greater: return order > 0;
    case Op::GreaterOrEqual: return order >= 0;
    default: return false;
    }
}

bool StatePredicate::holds(const QJsonValue &state)
{
    if (m_spec.kind == Kind::PathComparison) {
        bool found = false;
        const QJsonValue v = valueAt(state, m_spec.pointer, &found);
        if (m_spec.op == Op::Exists)
            return found;
        if (m_spec.op == Op::Missing)
            return !found;
        return found && compare(v);
    }
    QJSEngine *js = m_script->sandbox.engine();
    engine::ScriptError se;
    const QJSValue arg = js->toScriptValue(state);
    const QJSValue r = m_script->sandbox.call(m_script->function, QStringLiteral("test"), {arg}, &se);
    if (se.isError()) {
        if (m_lastError.isEmpty())
            m_lastError = se.toString();
        return false;
    }
    return r.toBool();
}

} // namespace chronoscope
