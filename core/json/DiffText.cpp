#include "json/DiffText.h"

#include "json/JsonFormat.h"

namespace chronoscope::engine {

QString DiffText::pathText(const JsonPath &path)
{
    const QString shown = path.display();
    QString out;
    out.reserve(shown.size());
    for (const QChar c : shown) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            out += QStringLiteral("\\u%1").arg(uint(c.unicode()), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

QString DiffText::line(const DiffEntry &entry, const DiffTextOptions &options)
{
    const qsizetype max = options.maxValueChars;
    switch (entry.kind) {
    case DiffEntry::Kind::Added:
        return QLatin1String("+ ") % pathText(entry.path) % QLatin1String(": ") % JsonFormat::compact(entry.after, max);
    case DiffEntry::Kind::Removed:
        return QLatin1String("- ") % pathText(entry.path) % QLatin1String(": ") % JsonFormat::compact(entry.before, max);
    case DiffEntry::Kind::Changed:
        return QLatin1String("~ ") % pathText(entry.path) % QLatin1String(": ") % JsonFormat::compact(entry.before, max)
            % QLatin1String(" -> ") % JsonFormat::compact(entry.after, max);
    case DiffEntry::Kind::Moved:
        return QLatin1String("> ") % pathText(entry.path) % QLatin1String(": moved from ") % pathText(entry.beforePath);
    }
    return QString();
}

QString DiffText::render(const QList<DiffEntry> &entries, const DiffTextOptions &options)
{
    QString out;
    for (const DiffEntry &e : entries) {
        out += line(e, options);
        out += QLatin1Char('\n');
    }
    return out;
}

} // namespace chronoscope::engine
