#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

/// Runs chronoscope-cli as a script would, in a home of its own (settings, keychain-less, data folder).
class CliRunner
{
public:
    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
        bool finished = false;
        /// stdout as one JSON object (empty when it is not exactly one).
        QJsonObject json() const
        {
            QJsonParseError pe;
            const QJsonDocument doc = QJsonDocument::fromJson(out.toUtf8(), &pe);
            return pe.error == QJsonParseError::NoError && doc.isObject() ? doc.object() : QJsonObject();
        }
        /// stdout as NDJSON (see jsonLinesOf()).
        QList<QJsonObject> jsonLines() const { return jsonLinesOf(out); }
        /// For failure messages.
        QByteArray describe() const
        {
            return QStringLiteral("exit %1\n--- stdout\n%2--- stderr\n%3").arg(exitCode).arg(out, err).toUtf8();
        }
    };

    /// NDJSON: every line an object (an empty list when any line is not).
    static QList<QJsonObject> jsonLinesOf(const QString &out)
    {
        QList<QJsonObject> objects;
        for (const QString &line : out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            const QJsonDocument doc = QJsonDocument::fromJson(line.toUtf8());
            if (!doc.isObject())
                return {};
            objects.append(doc.object());
        }
        return objects;
    }

    CliRunner()
    {
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(QStringLiteral("HOME"), m_home.path());
        m_env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.path() + QStringLiteral("/config"));
        m_env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.path() + QStringLiteral("/data"));
        m_env.remove(QStringLiteral("CHRONOSCOPE_PASSWORD"));
        m_env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS")); // no keychain: never the real one
    }

    QString home() const { return m_home.path(); }
    /// The settings file the CLI reads its profiles from (QSettings' native format on Linux).
    QString settingsFile() const { return m_home.path() + QStringLiteral("/config/Chronoscope/chronoscope.conf"); }
    void setEnv(const QString &name, const QString &value) { m_env.insert(name, value); }
    /// The environment run() gives the CLI, for tests that drive a QProcess themselves.
    QProcessEnvironment environment() const { return m_env; }

    Run run(const QStringList &arguments, const QByteArray &stdinData = {}, int timeoutMs = 30000) const
    {
        QProcess p;
        p.setProcessEnvironment(m_env);
        p.start(QStringLiteral(CHRONOSCOPE_CLI_BIN), arguments);
        Run r;
        if (!p.waitForStarted(10000))
            return r;
        if (!stdinData.isNull())
            p.write(stdinData);
        p.closeWriteChannel();
        r.finished = p.waitForFinished(timeoutMs) && p.exitStatus() == QProcess::NormalExit;
        if (!r.finished)
            p.kill();
        r.exitCode = p.exitCode();
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

private:
    QTemporaryDir m_home;
    QProcessEnvironment m_env;
};
