#include "EventSelection.h"

#include "CommandLine.h"

#include <QJsonArray>

#include <algorithm>

namespace chronoscope::cli {

namespace {

QStringList sortedText(const QList<QByteArray> &items)
{
    QStringList out;
    for (const QByteArray &i : items)
        out.append(QString::fromUtf8(i));
    std::sort(out.begin(), out.end());
    return out;
}

/// A comma-separated list; none with `error` set when it names nothing.
std::optional<QList<QByteArray>> listOption(const CommandLine &line, const QString &option, QString *error)
{
    QList<QByteArray> out;
    for (const QString &t : line.value(option).split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!t.trimmed().isEmpty())
            out.append(t.trimmed().toUtf8());
    if (out.isEmpty()) {
        *error = QStringLiteral("--%1: no %2 given")
                     .arg(option, option == QLatin1String("type") ? QStringLiteral("type") : QStringLiteral("prefix"));
        return std::nullopt;
    }
    return out;
}

} // namespace

void EventSelection::addOptions(CommandLine &line)
{
    line.addOption(QStringLiteral("from"), QStringLiteral("first point"), QStringLiteral("point"));
    line.addOption(QStringLiteral("to"), QStringLiteral("last point"), QStringLiteral("point"));
    line.addOption(QStringLiteral("type"), QStringLiteral("event types"), QStringLiteral("types"));
    line.addOption(QStringLiteral("stream-prefix"), QStringLiteral("stream name prefixes ($all)"),
                   QStringLiteral("prefixes"));
}

std::optional<EventSelection> EventSelection::parse(const CommandLine &line, QString *error)
{
    EventSelection s;
    for (const char *name : {"from", "to"}) {
        const QString option = QLatin1String(name);
        if (!line.isSet(option))
            continue;
        std::optional<TimelinePoint> p = TimelinePoint::parse(option, line.value(option), error);
        if (!p)
            return std::nullopt;
        if (p->kind == TimelinePoint::Kind::Head) {
            if (option == QLatin1String("from")) {
                *error = QStringLiteral("--from head: give @N or a time");
                return std::nullopt;
            }
            continue; // --to head: the default
        }
        (option == QLatin1String("from") ? s.from : s.to) = p;
    }
    if (s.from && s.to && s.from->kind == s.to->kind
        && (s.from->kind == TimelinePoint::Kind::Revision ? s.from->revision > s.to->revision
                                                          : s.from->ticks > s.to->ticks)) {
        *error = QStringLiteral("--from %1 is after --to %2").arg(s.from->text, s.to->text);
        return std::nullopt;
    }
    if (line.isSet(QStringLiteral("type"))) {
        const auto types = listOption(line, QStringLiteral("type"), error);
        if (!types)
            return std::nullopt;
        s.types = QSet<QByteArray>(types->begin(), types->end());
    }
    if (line.isSet(QStringLiteral("stream-prefix"))) {
        const auto prefixes = listOption(line, QStringLiteral("stream-prefix"), error);
        if (!prefixes)
            return std::nullopt;
        s.streamPrefixes = *prefixes;
    }
    return s;
}

QString EventSelection::checkFor(bool isAll) const
{
    const auto isRevision = [](const std::optional<TimelinePoint> &p) {
        return p && p->kind == TimelinePoint::Kind::Revision;
    };
    if (isAll && (isRevision(from) || isRevision(to)))
        return QStringLiteral("'$all' has no revisions of its own: give --from and --to as times");
    if (!isAll && !streamPrefixes.isEmpty())
        return QStringLiteral("--stream-prefix selects streams of '$all': a stream is one already");
    return {};
}

EventSelection::Verdict EventSelection::judge(const RecordedEvent &e)
{
    if (to) {
        if (to->kind == TimelinePoint::Kind::Revision && e.revision > to->revision)
            return Verdict::Stop;
        if (to->kind == TimelinePoint::Kind::Time && e.createdTicks > to->ticks)
            return Verdict::Stop;
    }
    if (!started) {
        started = !from || (from->kind == TimelinePoint::Kind::Revision && e.revision >= from->revision)
            || (from->kind == TimelinePoint::Kind::Time && e.createdTicks >= from->ticks);
        if (!started)
            return Verdict::Skip;
    }
    if (!types.isEmpty() && !types.contains(e.type))
        return Verdict::Skip;
    if (!streamPrefixes.isEmpty()
        && std::none_of(streamPrefixes.begin(), streamPrefixes.end(),
                        [&e](const QByteArray &p) { return e.streamId.startsWith(p); }))
        return Verdict::Skip;
    return Verdict::Take;
}

QString EventSelection::describe() const
{
    if (isEverything())
        return QStringLiteral("every event");
    QStringList parts;
    if (from || to) {
        const bool revisions = (from ? from->kind : to->kind) == TimelinePoint::Kind::Revision;
        parts.append(QStringLiteral("%1 %2–%3")
                         .arg(revisions ? QStringLiteral("revisions") : QStringLiteral("created"),
                              from ? from->text : QStringLiteral("the first"),
                              to ? to->text : QStringLiteral("the last")));
    }
    if (!types.isEmpty())
        parts.append(QStringLiteral("types %1").arg(sortedText(types.values()).join(QLatin1Char(','))));
    if (!streamPrefixes.isEmpty())
        parts.append(QStringLiteral("streams %1…").arg(sortedText(streamPrefixes).join(QStringLiteral("…,"))));
    return parts.join(QStringLiteral(", "));
}

QJsonObject EventSelection::toJson() const
{
    QJsonObject o;
    if (from)
        o.insert(QStringLiteral("from"), from->text);
    if (to)
        o.insert(QStringLiteral("to"), to->text);
    if (!types.isEmpty())
        o.insert(QStringLiteral("types"), QJsonArray::fromStringList(sortedText(types.values())));
    if (!streamPrefixes.isEmpty())
        o.insert(QStringLiteral("streamPrefixes"), QJsonArray::fromStringList(sortedText(streamPrefixes)));
    return o;
}

} // namespace chronoscope::cli
