#include "CliOutput.h"

#include "CliCommand.h"

#include <QJsonDocument>

#include <unistd.h>

namespace chronoscope::cli {

Output::Output() : m_out(stdout), m_err(stderr), m_terminal(::isatty(STDERR_FILENO) == 1)
{
    m_out.setEncoding(QStringConverter::Utf8);
    m_err.setEncoding(QStringConverter::Utf8);
}

Output::Output(QString *out, QString *err) : m_out(out), m_err(err) {}

void Output::line(const QString &text)
{
    m_out << text << '\n';
    m_out.flush();
}

void Output::object(const QJsonObject &object)
{
    m_out << QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)) << '\n';
    m_out.flush();
}

void Output::message(const QString &text)
{
    finishProgress();
    m_err << text << '\n';
    m_err.flush();
}

namespace {

int failure(Output &out, bool json, const QString &text, const QString &outcome, int code)
{
    out.message(QStringLiteral("chronoscope-cli: ") + text);
    if (json)
        out.object(QJsonObject{{QStringLiteral("outcome"), outcome},
                               {QStringLiteral("message"), text},
                               {QStringLiteral("exitCode"), code}});
    return code;
}

} // namespace

int Output::error(const QString &text)
{
    return failure(*this, m_json, text, QStringLiteral("error"), kExitError);
}

int Output::refused(const QString &text)
{
    return failure(*this, m_json, text, QStringLiteral("refused"), kExitRefused);
}

void Output::progress(const QString &text)
{
    if (!m_terminal)
        return;
    m_err << '\r' << text << QStringLiteral("\x1b[K");
    m_err.flush();
    m_progressShown = true;
}

void Output::finishProgress()
{
    if (!m_progressShown)
        return;
    m_err << '\n';
    m_err.flush();
    m_progressShown = false;
}

} // namespace chronoscope::cli
