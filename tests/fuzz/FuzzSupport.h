#pragma once
// Shared by the fuzz targets: the input as parts, a broken invariant as a crash, and a scratch file
// for readers that take a path (archives, audit logs).

#include <QByteArray>
#include <QByteArrayList>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace chronoscope::fuzz {

/// A broken invariant is a bug: make it a crash the fuzzer records.
inline void require(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "invariant broken: %s\n", what);
        std::abort();
    }
}

inline QByteArray bytesOf(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

/// The input cut at its first `count - 1` NUL bytes into `count` parts (missing parts are empty).
inline QByteArrayList parts(const QByteArray &input, int count)
{
    QByteArrayList out;
    qsizetype from = 0;
    for (int i = 0; i < count - 1; ++i) {
        const qsizetype nul = from <= input.size() ? input.indexOf('\0', from) : -1;
        if (nul < 0) {
            out << input.mid(from);
            from = input.size() + 1;
        } else {
            out << input.mid(from, nul - from);
            from = nul + 1;
        }
    }
    out << (from <= input.size() ? input.mid(from) : QByteArray());
    return out;
}

/// A QCoreApplication for targets whose code needs one (QJSEngine): libFuzzer has no main of ours.
inline void ensureApplication()
{
    if (QCoreApplication::instance())
        return;
    static int argc = 1;
    static char name[] = "chronoscope-fuzz";
    static char *argv[] = {name, nullptr};
    static QCoreApplication app(argc, argv);
}

/// One file per process under the temporary folder, rewritten for every input.
inline QString scratchFile(const QByteArray &content, const char *suffix)
{
    static const QString path = QDir::temp().filePath(
        QStringLiteral("chronoscope-fuzz-%1%2").arg(QCoreApplication::applicationPid()).arg(QLatin1String(suffix)));
    QFile f(path);
    require(f.open(QIODevice::WriteOnly | QIODevice::Truncate), "the scratch file opens");
    require(f.write(content) == content.size(), "the scratch file is written");
    f.close();
    return path;
}

} // namespace chronoscope::fuzz
