#pragma once

#include <QJsonObject>
#include <QString>
#include <QTextStream>

#include <cstdio>

namespace chronoscope::cli {

/// Where a command writes: its result on stdout (text, or one JSON object with --json, and nothing
/// else), messages and errors on stderr, progress on stderr only when stderr is a terminal.
/// Tests give it strings instead of the process's streams.
class Output
{
public:
    /// The process's stdout and stderr.
    Output();
    /// Strings, for tests of the commands' code without a process.
    Output(QString *out, QString *err);

    void setJson(bool json) { m_json = json; }
    bool json() const { return m_json; }

    /// A line of the result on stdout (text mode).
    void line(const QString &text);
    /// The result as JSON on stdout: one compact object on one line.
    void object(const QJsonObject &object);
    /// A message on stderr.
    void message(const QString &text);
    /// An error: on stderr, and with --json also `{"outcome":"error","message":…,"exitCode":1}` on
    /// stdout, so a script reading stdout always gets one object. Returns kExitError.
    int error(const QString &text);
    /// A refusal (e.g. a private key others may read): as error(), with "refused" and kExitRefused.
    int refused(const QString &text);
    /// A progress line on stderr, only on a terminal (rewritten in place); finishProgress() ends it.
    void progress(const QString &text);
    void finishProgress();

private:
    QTextStream m_out;
    QTextStream m_err;
    bool m_json = false;
    bool m_terminal = false;
    bool m_progressShown = false;
};

} // namespace chronoscope::cli
