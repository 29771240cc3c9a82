#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace chronoscope::engine {

/// Finds object keys that appear more than once in one object of a JSON text. QJsonDocument accepts
/// such documents silently and keeps the last value, so the decoder runs this pass to say so.
/// Keys are compared after unescaping ("a" and "\u0061" are the same key). The scan is iterative
/// (no recursion, any depth) and linear; on malformed text it stops quietly (the parser reports
/// the syntax error).
class DuplicateKeyScanner
{
public:
    struct Duplicate
    {
        QString pointer;      ///< JSON Pointer of the repeated member, e.g. "/orders/3/total"
        QString key;
        qsizetype offset = 0; ///< byte offset of the repeated key's opening quote
    };

    /// Returns at most `limit` duplicates; `total` (optional) receives how many there are.
    static QList<Duplicate> scan(const QByteArray &json, qsizetype limit, qsizetype *total = nullptr);

    /// Unescapes a JSON string body (the bytes between the quotes); invalid escapes are kept as is.
    static QString unescape(const char *begin, const char *end);
};

} // namespace chronoscope::engine
