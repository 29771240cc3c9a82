#include "script/JsSandbox.h"

#include <QJSEngine>
#include <QRegularExpression>

namespace chronoscope::engine {

QString ScriptError::toString() const
{
    QString where = file;
    if (line > 0)
        where += QLatin1Char(':') + QString::number(line);
    return where.isEmpty() ? message : where + QStringLiteral(": ") + message;
}

JsSandbox::JsSandbox(const ScriptLimits &limits)
    : m_limits(limits), m_engine(std::make_unique<QJSEngine>())
{
    // Deliberately no installExtensions(): the global object keeps only the ECMAScript built-ins.
    QJSEngine *engine = m_engine.get();
    m_watchdog = std::make_unique<ScriptWatchdog>([engine](bool on) { engine->setInterrupted(on); });
}

JsSandbox::~JsSandbox()
{
    m_watchdog.reset(); // stop the thread before the engine it points at goes away
}

ScriptError JsSandbox::errorFrom(const QJSValue &value)
{
    ScriptError e;
    e.message = value.toString();
    if (e.message.isEmpty())
        e.message = QStringLiteral("unknown script error");
    e.line = value.property(QStringLiteral("lineNumber")).toInt();
    e.file = value.property(QStringLiteral("fileName")).toString();
    // V4 reports file names as URLs ("file:name"); the stack has the innermost frame first.
    const QString stack = value.property(QStringLiteral("stack")).toString();
    static const QRegularExpression frame(QStringLiteral("@(?:file:)?(.*):(\\d+)$"), QRegularExpression::MultilineOption);
    const QRegularExpressionMatch m = frame.match(stack);
    if (m.hasMatch()) {
        e.file = m.captured(1);
        e.line = m.captured(2).toInt();
    }
    if (e.file.startsWith(QLatin1String("file:")))
        e.file = e.file.mid(5);
    if (e.line <= 0)
        e.line = -1;
    return e;
}

QJSValue JsSandbox::guarded(const std::function<QJSValue()> &run, ScriptError *error, int timeLimitMs)
{
    const int limitMs = timeLimitMs > 0 ? timeLimitMs : m_limits.timeLimitMs;
    m_watchdog->arm(limitMs, m_limits.memoryLimitBytes);
    QJSValue result = run();
    const ScriptWatchdog::Trip trip = m_watchdog->disarm();
    if (trip != ScriptWatchdog::Trip::None) {
        error->interrupted = true;
        error->message = trip == ScriptWatchdog::Trip::Time
            ? QStringLiteral("script interrupted: it ran longer than the time limit of %1 ms").arg(limitMs)
            : QStringLiteral("script interrupted: the process grew by more than the memory limit of %1 MiB")
                  .arg(m_limits.memoryLimitBytes >> 20);
        return {};
    }
    if (result.isError()) {
        *error = errorFrom(result);
        return {};
    }
    return result;
}

QJSValue JsSandbox::evaluate(const QString &source, const QString &fileName, ScriptError *error)
{
    QStringList stack;
    QJSValue result = guarded([&] { return m_engine->evaluate(source, fileName, 1, &stack); }, error);
    // A thrown non-Error value (throw "x") has no properties: the engine still tells us where.
    if (error->isError() && !error->interrupted && error->line < 0 && !stack.isEmpty()) {
        static const QRegularExpression frame(QStringLiteral(":(\\d+)$"));
        const QRegularExpressionMatch m = frame.match(stack.constFirst());
        if (m.hasMatch())
            error->line = m.captured(1).toInt();
    }
    if (error->isError() && error->file.isEmpty())
        error->file = fileName;
    return result;
}

QJSValue JsSandbox::call(const QJSValue &self, const QString &method, const QJSValueList &args, ScriptError *error,
                         int timeLimitMs)
{
    return guarded([&] { return self.property(method).callWithInstance(self, args); }, error, timeLimitMs);
}

} // namespace chronoscope::engine
