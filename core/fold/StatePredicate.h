#pragma once

#include <QJsonValue>
#include <QString>

#include <memory>

namespace chronoscope {

/// A yes/no question about a folded state, for bisect: either a JavaScript expression over `state`
/// (run in the sandboxed engine, see engine::JsSandbox) or a comparison of the value at a JSON
/// Pointer with a JSON literal.
///
/// Build it on the thread that evaluates it (the script engine belongs to its thread).
class StatePredicate
{
public:
    enum class Kind { JavaScript, PathComparison };
    enum class Op { Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual, Exists, Missing };

    struct Spec
    {
        Kind kind = Kind::JavaScript;
        QString expression;  ///< JavaScript: e.g. `state.totals.doubleCharged > 0`
        QString pointer;     ///< PathComparison: RFC 6901, e.g. `/totals/doubleCharged`
        Op op = Op::Greater;
        QString value;       ///< PathComparison: a JSON literal (`0`, `"paid"`, `true`)
        /// "state.totals.doubleCharged > 0" or "/totals/doubleCharged > 0", for messages.
        QString describe() const;
    };

    /// Compiles the spec; returns null with `error` set (a syntax error, a bad pointer or literal).
    static std::unique_ptr<StatePredicate> create(const Spec &spec, QString *error);
    ~StatePredicate();

    /// Whether the predicate holds for `state`. A script exception (e.g. reading a property of
    /// undefined) counts as "does not hold"; the first such message is kept in lastError().
    bool holds(const QJsonValue &state);
    QString lastError() const { return m_lastError; }

    static QString opText(Op op);

private:
    StatePredicate() = default;
    bool compare(const QJsonValue &actual) const;

    Spec m_spec;
    QJsonValue m_literal;
    struct Script;
    std::unique_ptr<Script> m_script;
    QString m_lastError;
};

} // namespace chronoscope
