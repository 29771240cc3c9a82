#pragma once

#include "json/JsonSchemaIssue.h"

#include <QJsonValue>

namespace chronoscope::engine {

/// The words validation messages are made of, for people who read them without the schema at hand.
class JsonSchemaWording
{
public:
    /// "a string or null", from JsonSchemaType bits ("integer" reads "a whole number").
    static QString types(quint8 types);
    /// What a value is, for "must be X, not Y": "the number 5", "the string \"12\"", "an object", "null".
    static QString describe(const QJsonValue &v);
    /// Compact JSON, shortened with an ellipsis past 60 characters.
    static QString json(const QJsonValue &v);
    /// 5, 0.01, 1e+20: whole numbers without a decimal point.
    static QString number(double d);
    /// "1 item", "3 items".
    static QString count(qint64 n, const char *one, const char *many);
    /// What each failed `anyOf`/`oneOf` alternative said: "alternative 1: must be a string;
    /// alternative 2: /a: is required" (a finding at `here` without its pointer; three at most each).
    static QString alternatives(const QList<QList<JsonSchemaIssue>> &failures, const QString &here);
};

} // namespace chronoscope::engine
