#include "DiffCommand.h"

#include "CliOutput.h"
#include "CliReducer.h"
#include "CliTimeline.h"
#include "CommandLine.h"
#include "json/DiffText.h"
#include "json/JsonDiff.h"
#include "json/UnifiedDiff.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace chronoscope::cli {

namespace {

struct Side
{
    QJsonValue value;
    QString label;
};

/// A JSON document from a file (`-`: stdin); any JSON value at the top.
std::optional<QJsonValue> readJson(const QString &path, QString *error)
{
    QFile file;
    if (path == QLatin1String("-")) {
        if (!file.open(stdin, QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read stdin");
            return std::nullopt;
        }
    } else {
        file.setFileName(path);
        if (!file.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
            return std::nullopt;
        }
    }
    const QByteArray bytes = file.readAll();
    // Wrapped in an array so that a scalar document parses too.
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + bytes + "\n]", &pe);
    if (pe.error != QJsonParseError::NoError || doc.array().size() != 1) {
        QJsonParseError direct;
        QJsonDocument::fromJson(bytes, &direct);
        *error = QStringLiteral("%1 is not JSON: %2 at byte %3")
                     .arg(path == QLatin1String("-") ? QStringLiteral("stdin") : path,
                          direct.error != QJsonParseError::NoError ? direct.errorString() : pe.errorString())
                     .arg(direct.error != QJsonParseError::NoError ? direct.offset : pe.offset);
        return std::nullopt;
    }
    return doc.array().first();
}

QString kindName(engine::DiffEntry::Kind kind)
{
    switch (kind) {
    case engine::DiffEntry::Kind::Added: return QStringLiteral("added");
    case engine::DiffEntry::Kind::Removed: return QStringLiteral("removed");
    case engine::DiffEntry::Kind::Changed: return QStringLiteral("changed");
    case engine::DiffEntry::Kind::Moved: return QStringLiteral("moved");
    }
    return {};
}

QJsonObject diffJson(const engine::DiffResult &d, const Side &before, const Side &after)
{
    QJsonArray entries;
    for (const engine::DiffEntry &e : d.entries) {
        QJsonObject o{{QStringLiteral("kind"), kindName(e.kind)}, {QStringLiteral("path"), e.path.toPointer()}};
        if (e.kind != engine::DiffEntry::Kind::Added && !(e.beforePath.toPointer() == e.path.toPointer()))
            o.insert(QStringLiteral("beforePath"), e.beforePath.toPointer());
        if (!e.before.isUndefined())
            o.insert(QStringLiteral("before"), e.before);
        if (!e.after.isUndefined())
            o.insert(QStringLiteral("after"), e.after);
        entries.append(o);
    }
    const bool same = d.isEmpty();
    return {{QStringLiteral("outcome"), same ? QStringLiteral("same") : QStringLiteral("different")},
            {QStringLiteral("before"), before.label},
            {QStringLiteral("after"), after.label},
            {QStringLiteral("summary"),
             QJsonObject{{QStringLiteral("added"), d.summary.added},
                         {QStringLiteral("removed"), d.summary.removed},
                         {QStringLiteral("changed"), d.summary.changed},
                         {QStringLiteral("moved"), d.summary.moved}}},
            {QStringLiteral("entries"), entries},
            {QStringLiteral("notes"), QJsonArray::fromStringList(d.notes)},
            {QStringLiteral("exitCode"), same ? kExitOk : kExitDifferences}};
}

/// The stream's states at --from and --to, folded in one read.
std::optional<std::pair<Side, Side>> foldedSides(const CommandLine &line, QString *idKey, Output &out, QString *error)
{
    std::optional<TimelinePoint> from, to;
    if (!line.isSet(QStringLiteral("from"))) {
        *error = QStringLiteral("diff of a stream: give --from <point> (and --to <point>, default head)");
        return std::nullopt;
    }
    from = TimelinePoint::parse(QStringLiteral("from"), line.value(QStringLiteral("from")), error);
    if (from)
        to = TimelinePoint::parse(QStringLiteral("to"), line.value(QStringLiteral("to")), error);
    if (!from || !to)
        return std::nullopt;
    const std::optional<TimelineInput> in = TimelineInput::open(line, error);
    if (!in)
        return std::nullopt;
    if (!in->warning.isEmpty())
        out.message(in->warning);
    if (in->isAll() && (from->kind == TimelinePoint::Kind::Revision || to->kind == TimelinePoint::Kind::Revision)) {
        *error = QStringLiteral("'$all' has no revisions of its own: give --from and --to as times");
        return std::nullopt;
    }
    std::optional<CliReducer> reducer = CliReducer::load(line.value(QStringLiteral("reducer")), in->stream, out, error);
    if (!reducer)
        return std::nullopt;
    if (idKey->isEmpty())
        *idKey = reducer->arrayIdKey;
    const FoldAlong r = foldAlong(*in->source, *reducer->reducer, {*from, *to}, out);
    if (!r.error.isEmpty()) {
        *error = QStringLiteral("cannot fold %1: %2").arg(in->description, r.error);
        return std::nullopt;
    }
    for (const FoldedPoint &p : r.points) {
        if (!p.error.isEmpty()) {
            *error = QStringLiteral("%1: %2").arg(in->description, p.error);
            return std::nullopt;
        }
    }
    if (r.errorCount > 0)
        out.message(QStringLiteral("%1 fold error(s), folding went on past them; the first: event #%2: %3")
                        .arg(r.errorCount)
                        .arg(r.errors.constFirst().index)
                        .arg(r.errors.constFirst().message));
    const auto side = [&in](const FoldedPoint &p) {
        return Side{p.state, QStringLiteral("%1 %2 (%3 events)").arg(in->stream, p.point.describe()).arg(p.count)};
    };
    return std::make_pair(side(r.points.at(0)), side(r.points.at(1)));
}

} // namespace

QString DiffCommand::summary() const
{
    return QStringLiteral("what changed between two points of a stream, or two JSON files (exit 2 if anything)");
}

QString DiffCommand::help() const
{
    return QStringLiteral(
        "Usage: chronoscope-cli diff <before.json> <after.json> [--id-key <key>] [--unified] [--json]\n"
        "       chronoscope-cli diff --connect <string|profile> --stream <stream> --from <point> [--to <point>]\n"
        "                            [--reducer <file>] [--id-key <key>] [--unified] [--json]\n"
        "\n"
        "The structural diff of the window's diff pane: objects member by member, arrays by index or by an id\n"
        "key, numbers by value. Of two JSON files (- for stdin), or of a stream's states folded at two\n"
        "points (one read; a reducer file or the merge reducer).\n"
        "\n"
        "Output: one line per change, sorted by path:\n"
        "  + /items/2: {\"id\":7}            added\n"
        "  - /coupon: \"X\"                   removed\n"
        "  ~ /status: \"placed\" -> \"paid\"    changed\n"
        "  > /items/0: moved from /items/2  moved (id-paired arrays)\n"
        "--unified prints both documents pretty-printed as a unified diff instead; --json one object\n"
        "{outcome: same | different, before, after, summary {added, removed, changed, moved}, entries\n"
        "[{kind, path, beforePath?, before?, after?}], notes, exitCode}.\n"
        "\n"
        "Options:\n"
        "  --connect <string|name>    a connection string or a saved profile (also --connection, --profile)\n"
        "  --stream <stream>          the stream, or '$all' (times only)\n"
        "  --archive <file>           an archive (docs/ARCHIVE-FORMAT.md) instead of a server, offline:\n"
        "                             no --stream or connection options; a damaged one is read up to the damage\n"
        "  --resolve-links            read a link stream with its links resolved\n"
        "  --from <point>             @N (after revision N), an ISO 8601 time, or head: the before state\n"
        "  --to <point>               the after state (default head)\n"
        "  --reducer <file>           a reducer file (its arrayIdKey pairs arrays); default: the merge reducer\n"
        "  --id-key <k1,k2…>          pair array elements by the first of these keys they all carry\n"
        "  --context <N>              with --unified: unchanged lines kept around each change (default: all)\n"
        "  --unified                  a unified diff of the pretty-printed documents\n"
        "  --json                     one JSON object on stdout\n"
        "\n"
        "Exit codes: 0 the same, 2 different,\n"
        "            1 error: bad arguments, an unreadable or invalid file, unreachable server, no such\n"
        "              stream or revision, the server went away mid-read\n");
}

int DiffCommand::run(const QStringList &arguments, Output &out)
{
    CommandLine line(*this);
    line.addConnectionOptions();
    line.allowPositional(2);
    line.addOption(QStringLiteral("stream"), QStringLiteral("the stream"), QStringLiteral("stream"));
    line.addOption(QStringLiteral("archive"), QStringLiteral("an archive file"), QStringLiteral("file"));
    line.addOption(QStringLiteral("resolve-links"), QStringLiteral("resolve links"));
    line.addOption(QStringLiteral("from"), QStringLiteral("before"), QStringLiteral("point"));
    line.addOption(QStringLiteral("to"), QStringLiteral("after"), QStringLiteral("point"));
    line.addOption(QStringLiteral("reducer"), QStringLiteral("a reducer file"), QStringLiteral("file"));
    line.addOption(QStringLiteral("id-key"), QStringLiteral("id keys"), QStringLiteral("keys"));
    line.addOption(QStringLiteral("context"), QStringLiteral("context lines"), QStringLiteral("N"));
    line.addOption(QStringLiteral("unified"), QStringLiteral("unified diff"));
    if (const std::optional<int> done = line.parse(arguments, out))
        return *done;

    QString error;
    int context = -1;
    if (line.isSet(QStringLiteral("context"))) {
        bool ok = false;
        context = line.value(QStringLiteral("context")).toInt(&ok);
        if (!ok || context < 0)
            return out.error(
                QStringLiteral("--context \"%1\": a whole number from 0").arg(line.value(QStringLiteral("context"))));
        if (!line.isSet(QStringLiteral("unified")))
            return out.error(QStringLiteral("--context goes with --unified"));
    }
    QString idKey = line.value(QStringLiteral("id-key"));
    const QStringList files = line.positional();
    const bool streamMode = line.isSet(QStringLiteral("stream"));
    Side before, after;
    if (files.size() == 2) {
        if (streamMode)
            return out.error(QStringLiteral("give two files or --stream with --from/--to, not both"));
        for (const char *name : {"from", "to", "reducer", "connect", "connection", "profile"})
            if (line.isSet(QLatin1String(name)))
                return out.error(
                    QStringLiteral("--%1 goes with --stream, not with two files").arg(QLatin1String(name)));
        const std::optional<QJsonValue> a = readJson(files.at(0), &error);
        if (!a)
            return out.error(error);
        const std::optional<QJsonValue> b = readJson(files.at(1), &error);
        if (!b)
            return out.error(error);
        before = Side{*a, files.at(0)};
        after = Side{*b, files.at(1)};
    } else if (files.size() == 1) {
        return out.error(QStringLiteral("diff needs two files (one given: %1)").arg(files.first()));
    } else if (streamMode) {
        const std::optional<std::pair<Side, Side>> sides = foldedSides(line, &idKey, out, &error);
        if (!sides)
            return out.error(error);
        before = sides->first;
        after = sides->second;
    } else {
        return out.error(QStringLiteral("nothing to compare: give two JSON files, or --stream with --from"));
    }

    engine::DiffOptions options;
    options.idKeys = idKey.split(QLatin1Char(','), Qt::SkipEmptyParts);
    options.buildTree = line.isSet(QStringLiteral("unified"));
    const engine::DiffResult d = engine::JsonDiff::diff(before.value, after.value, options);
    const int code = d.isEmpty() ? kExitOk : kExitDifferences;
    if (out.json()) {
        out.object(diffJson(d, before, after));
        return code;
    }
    for (const QString &note : d.notes)
        out.message(QStringLiteral("note: ") + note);
    if (line.isSet(QStringLiteral("unified"))) {
        if (!d.isEmpty()) {
            engine::UnifiedDiffOptions u;
            u.context = context;
            u.beforeLabel = before.label;
            u.afterLabel = after.label;
            QString text = engine::UnifiedDiff::render(d.tree, u);
            if (text.endsWith(QLatin1Char('\n')))
                text.chop(1);
            out.line(text);
        }
        return code;
    }
    QString text = engine::DiffText::render(d.entries);
    if (text.endsWith(QLatin1Char('\n')))
        text.chop(1);
    if (!text.isEmpty())
        out.line(text);
    return code;
}

} // namespace chronoscope::cli
