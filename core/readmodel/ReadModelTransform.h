#pragma once

#include "readmodel/ReadModelMapping.h"

#include <memory>

namespace chronoscope::readmodel {

/// A mapping's JavaScript transform, `(row) => ({…the fold's shape…})`, run in a JsSandbox (no I/O, time
/// and memory limits). A JavaScript engine belongs to its thread: make one transform per thread. Without a
/// transform in the mapping, apply() returns the row as it is.
class ReadModelTransform
{
public:
    explicit ReadModelTransform(const ReadModelMapping &mapping);
    ~ReadModelTransform();

    /// Empty when the transform compiled (or there is none); otherwise "line N: message".
    QString error() const { return m_error; }
    /// The transformed row, or why not ("line 2: TypeError: …", "returned undefined").
    Coerced apply(const QJsonValue &row) const;

    /// Compiles `source` in a throw-away sandbox: empty when it is a function, else "line N: message".
    static QString check(const QString &source);

private:
    struct Engine; // the sandbox and its values: QtQml stays out of this header
    std::unique_ptr<Engine> m_engine;
    QString m_error;
};

} // namespace chronoscope::readmodel
