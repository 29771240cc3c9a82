#pragma once
// Throw-away TLS material for a test, made at test time by make-test-certs.sh (see there for the
// files). Nothing of it is committed; the folder goes away with the object.

#include <QDir>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace chronoscope::test {

class TestCertificates
{
public:
    /// Runs the script; `ok()` is false (with `error()`) when openssl or the script failed.
    TestCertificates()
    {
        const QString script = QStringLiteral(CHRONOSCOPE_TEST_SUPPORT "/make-test-certs.sh");
        QProcess p;
        p.start(QStringLiteral("bash"), {script, m_dir.path()});
        if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
            m_error = QStringLiteral("make-test-certs.sh failed: ") + QString::fromLocal8Bit(p.readAllStandardError());
    }
    bool ok() const { return m_dir.isValid() && m_error.isEmpty(); }
    QString error() const { return m_error; }
    /// e.g. path("ca.crt"), path("server.key")
    QString path(const char *name) const { return QDir(m_dir.path()).filePath(QLatin1String(name)); }

private:
    QTemporaryDir m_dir;
    QString m_error;
};

} // namespace chronoscope::test
