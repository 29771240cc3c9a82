#include "FoldCommand.h"

#include "CliOutput.h"
#include "CliReducer.h"
#include "CliTimeline.h"
#include "CommandLine.h"
#include "fold/FoldEngine.h"
#include "fold/StatePredicate.h"
#include "fold/TimelineQueries.h"
#include "timeline/PayloadCache.h"
#include "timeline/TimelineIndex.h"
#include "timeline/TimelineSource.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace chronoscope::cli {

namespace {

QString pretty(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented)).trimmed();
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented)).trimmed();
    // A scalar: QJsonDocument holds containers only.
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

QJsonArray errorsJson(const QList<engine::FoldError> &errors)
{
    QJsonArray a;
    for (const engine::FoldError &e : errors) {
        QJsonObject o{{QStringLiteral("ordinal"), QString::number(e.index)}, {QStringLiteral("message"), e.message}};
        if (e.line >= 0)
            o.insert(QStringLiteral("line"), e.line);
        if (e.fatal)
            o.insert(QStringLiteral("fatal"), true);
        a.append(o);
    }
    return a;
}

void reportFoldErrors(Output &out, const QList<engine::FoldError> &errors, quint64 count)
{
    if (count == 0 || out.json())
        return;
    out.message(QStringLiteral("%1 fold error(s), folding went on past them; the first: event #%2: %3")
                    .arg(count)
                    .arg(errors.constFirst().index)
                    .arg(errors.constFirst().message));
}

/// `state.total > 100` (JavaScript) or `/total > 100`, `/status == "paid"`, `/coupon exists` (a JSON
/// Pointer compared with a JSON literal).
std::optional<StatePredicate::Spec> predicateSpec(const QString &text, QString *error)
{
    StatePredicate::Spec spec;
    const QString t = text.trimmed();
    if (t.isEmpty()) {
        *error = QStringLiteral("--bisect: an empty predicate");
        return std::nullopt;
    }
    if (!t.startsWith(QLatin1Char('/'))) {
        spec.kind = StatePredicate::Kind::JavaScript;
        spec.expression = t;
        return spec;
    }
    static const QRegularExpression re(
        QStringLiteral("^(\\S+)\\s+(==|!=|<=|>=|<|>|exists|missing|is missing)(?:\\s+(.+))?$"));
    const QRegularExpressionMatch m = re.match(t);
    if (!m.hasMatch()) {
        *error = QStringLiteral("--bisect \"%1\": a pointer predicate is /path OP value (OP: == != < <= > >=) or "
                                "/path exists | missing")
                     .arg(text);
        return std::nullopt;
    }
    spec.kind = StatePredicate::Kind::PathComparison;
    spec.pointer = m.captured(1);
    const QString op = m.captured(2);
    using Op = StatePredicate::Op;
    spec.op = op == QLatin1String("==") ? Op::Equal
        : op == QLatin1String("!=")     ? Op::NotEqual
        : op == QLatin1String("<")      ? Op::Less
        : op == QLatin1String("<=")     ? Op::LessOrEqual
        : op == QLatin1String(">")      ? Op::Greater
        : op == QLatin1String(">=")     ? Op::GreaterOrEqual
        : op == QLatin1String("exists") ? Op::Exists
                                        : Op::Missing;
    spec.value = m.captured(3);
    const bool unary = spec.op == Op::Exists || spec.op == Op::Missing;
    if (unary != spec.value.isEmpty()) {
        *error = unary ? QStringLiteral("--bisect \"%1\": %2 takes no value").arg(text, op)
                       : QStringLiteral("--bisect \"%1\": %2 needs a JSON value after it").arg(text, op);
        return std::nullopt;
    }
    return spec;
}

int fold(const TimelineInput &in, CliReducer &reducer, const TimelinePoint &at, Output &out)
{
    const FoldAlong r = foldAlong(*in.source, *reducer.reducer, {at}, out);
    if (!r.error.isEmpty())
        return out.error(QStringLiteral("cannot fold %1: %2").arg(in.description, r.error));
    const FoldedPoint &p = r.points.constFirst();
    if (!p.error.isEmpty())
        return out.error(QStringLiteral("%1: %2").arg(in.description, p.error));
    reportFoldErrors(out, r.errors, r.errorCount);
    if (!out.json()) {
        out.line(pretty(p.state));
        return kExitOk;
    }
    QJsonObject o{{QStringLiteral("outcome"), QStringLiteral("folded")},
                  {QStringLiteral("stream"), in.stream},
                  {QStringLiteral("at"), at.toJson()},
                  {QStringLiteral("reducer"), reducer.name},
                  {QStringLiteral("count"), QString::number(p.count)},
                  {QStringLiteral("state"), p.state},
                  {QStringLiteral("errors"), errorsJson(r.errors)},
                  {QStringLiteral("errorCount"), QString::number(r.errorCount)},
                  {QStringLiteral("exitCode"), kExitOk}};
    o.insert(QStringLiteral("lastEvent"), p.last ? QJsonValue(eventIdentity(*p.last, in.isAll())) : QJsonValue());
    out.object(o);
    return kExitOk;
}

int bisect(const TimelineInput &in, CliReducer &reducer, const TimelinePoint &upTo, const QString &predicateText,
           bool monotone, Output &out)
{
    QString error;
    const std::optional<StatePredicate::Spec> spec = predicateSpec(predicateText, &error);
    if (!spec)
        return out.error(error);
    const std::unique_ptr<StatePredicate> predicate = StatePredicate::create(*spec, &error);
    if (!predicate)
        return out.error(QStringLiteral("--bisect: ") + error);

    LoadedTimeline t = LoadedTimeline::load(*in.source, upTo, out);
    if (!t.error.isEmpty())
        return out.error(QStringLiteral("cannot read %1: %2").arg(in.description, t.error));
    engine::FoldEngine engine(*t.index, *t.payloads, std::move(reducer.reducer));
    engine::TimelineQueries queries(engine);
    const engine::TimelineQueries::BisectResult b = queries.bisect(
        [&predicate](const QJsonValue &state) { return predicate->holds(state); }, monotone);
    if (!b.error.isEmpty())
        return out.error(QStringLiteral("bisect over %1 failed: %2").arg(in.description, b.error));
    reportFoldErrors(out, b.errors, quint64(b.errors.size()));
    if (!predicate->lastError().isEmpty())
        out.message(QStringLiteral("note: the predicate threw on some states (counted as false): ")
                    + predicate->lastError());

    std::optional<RecordedEvent> found;
    QJsonValue stateThere;
    if (b.ordinal) {
        const engine::PayloadCache::BlockResult block = t.payloads->blockFor(*b.ordinal);
        if (!block.events)
            return out.error(QStringLiteral("cannot read the event found (#%1): %2").arg(*b.ordinal).arg(block.error));
        found = block.events->at(qsizetype(*b.ordinal - block.first));
        stateThere = queries.stateAfter(*b.ordinal + 1).state;
    }
    const QString outcome = b.holdsInitially ? QStringLiteral("holds-initially")
        : found                              ? QStringLiteral("found")
                                             : QStringLiteral("never");
    if (!out.json()) {
        if (found)
            out.line(QStringLiteral("first event after which %1 holds: #%2 %3")
                         .arg(spec->describe())
                         .arg(*b.ordinal)
                         .arg(eventText(*found, in.isAll())));
        else if (b.holdsInitially)
            out.line(QStringLiteral("%1 holds before the first event").arg(spec->describe()));
        else
            out.line(QStringLiteral("%1 never holds in the %2 events up to %3")
                         .arg(spec->describe())
                         .arg(t.index->size())
                         .arg(upTo.describe()));
        return kExitOk;
    }
    QJsonObject o{{QStringLiteral("outcome"), outcome},
                  {QStringLiteral("found"), bool(found)},
                  {QStringLiteral("stream"), in.stream},
                  {QStringLiteral("predicate"), spec->describe()},
                  {QStringLiteral("reducer"), reducer.name},
                  {QStringLiteral("searched"), QString::number(t.index->size())},
                  {QStringLiteral("method"),
                   b.method == engine::TimelineQueries::BisectMethod::Binary ? QStringLiteral("binary")
                                                                             : QStringLiteral("linear")},
                  {QStringLiteral("evaluations"), QString::number(b.evaluations)},
                  {QStringLiteral("exitCode"), kExitOk}};
    if (found) {
        o.insert(QStringLiteral("ordinal"), QString::number(*b.ordinal));
        o.insert(QStringLiteral("event"), eventIdentity(*found, in.isAll()));
        o.insert(QStringLiteral("state"), stateThere);
    }
    out.object(o);
    return kExitOk;
}

} // namespace

QString FoldCommand::summary() const
{
    return QStringLiteral("a stream's state at a revision or a time, as JSON; --bisect: when a condition began");
}

QString FoldCommand::help() const
{
    return QStringLiteral(
        "Usage: chronoscope-cli fold --connect <string|profile> --stream <stream> [--at <point>]\n"
        "                            [--reducer <file>] [--bisect <predicate> [--monotone]] [--json]\n"
        "\n"
        "Folds the stream (or '$all') from its first event with a reducer file (the window's reducer files:\n"
        "JavaScript projections, upcasters, invariants) or, without one, the merge reducer, and prints the\n"
        "state: indented JSON, or with --json {outcome, stream, at, reducer, count, lastEvent, state, errors,\n"
        "errorCount, exitCode}. Events are read once and folded as they arrive; the read stops at the point.\n"
        "\n"
        "Options:\n"
        "  --connect <string|name>    a connection string (esdb://host:2113?tls=false) or a saved profile\n"
        "                             (also --connection <string> [--username <name>] | --profile <name>)\n"
        "  --stream <stream>          the stream, or '$all' (without system events, as the window shows it)\n"
        "  --archive <file>           an archive (docs/ARCHIVE-FORMAT.md) instead of a server, offline:\n"
        "                             no --stream or connection options; a damaged one is read up to the damage\n"
        "  --resolve-links            read a link stream ($ce-…, $et-…) with its links resolved\n"
        "  --at <point>               @N: right after the event at revision N; an ISO 8601 time\n"
        "                             (2026-08-30T12:00:00Z; without an offset: UTC): after every event\n"
        "                             created at or before it; head (the default): after the last event\n"
        "  --reducer <file>           a reducer file (*.reducer.json); default: the merge reducer\n"
        "  --bisect <predicate>       print the first event after which the predicate holds on the state, up\n"
        "                             to --at: a JavaScript expression over `state` (state.totals.doubleCharged\n"
        "                             > 0) or a JSON Pointer comparison (/totals/doubleCharged > 0,\n"
        "                             /status == \"paid\", /coupon exists, /coupon missing)\n"
        "  --monotone                 with --bisect: the predicate stays true once true (binary search over\n"
        "                             the fold's checkpoints instead of a linear scan, which takes the state\n"
        "                             after every event: minutes for 10 000s of events with a JavaScript\n"
        "                             reducer whose state grows)\n"
        "  --json                     one JSON object on stdout; with --bisect {outcome: found | never |\n"
        "                             holds-initially, found, predicate, ordinal, event, state, …}\n"
        "\n"
        "Fold errors (an invariant broken, a payload the reducer cannot read) do not stop the fold: they are\n"
        "counted on stderr (listed with --json).\n"
        "\n"
        "Exit codes: 0 folded (with --bisect: answered, whether or not the predicate ever holds)\n"
        "            1 error: bad arguments, unreadable reducer file, unreachable server, no such stream or\n"
        "              revision, the server went away mid-read, the reducer stopped\n");
}

int FoldCommand::run(const QStringList &arguments, Output &out)
{
    CommandLine line(*this);
    line.addConnectionOptions();
    line.addOption(QStringLiteral("stream"), QStringLiteral("the stream"), QStringLiteral("stream"));
    line.addOption(QStringLiteral("archive"), QStringLiteral("an archive file"), QStringLiteral("file"));
    line.addOption(QStringLiteral("resolve-links"), QStringLiteral("resolve links"));
    line.addOption(QStringLiteral("at"), QStringLiteral("the point"), QStringLiteral("point"));
    line.addOption(QStringLiteral("reducer"), QStringLiteral("a reducer file"), QStringLiteral("file"));
    line.addOption(QStringLiteral("bisect"), QStringLiteral("a predicate"), QStringLiteral("predicate"));
    line.addOption(QStringLiteral("monotone"), QStringLiteral("the predicate is monotone"));
    if (const std::optional<int> done = line.parse(arguments, out))
        return *done;

    QString error;
    const std::optional<TimelinePoint> at = TimelinePoint::parse(QStringLiteral("at"), line.value(QStringLiteral("at")),
                                                                 &error);
    if (!at)
        return out.error(error);
    if (line.isSet(QStringLiteral("monotone")) && !line.isSet(QStringLiteral("bisect")))
        return out.error(QStringLiteral("--monotone goes with --bisect"));
    const std::optional<TimelineInput> in = TimelineInput::open(line, &error);
    if (!in)
        return out.error(error);
    if (!in->warning.isEmpty())
        out.message(in->warning);
    if (in->isAll() && at->kind == TimelinePoint::Kind::Revision)
        return out.error(QStringLiteral("--at %1: '$all' has no revisions of its own; give a time").arg(at->text));
    std::optional<CliReducer> reducer = CliReducer::load(line.value(QStringLiteral("reducer")), in->stream, out,
                                                         &error);
    if (!reducer)
        return out.error(error);
    if (line.isSet(QStringLiteral("bisect")))
        return bisect(*in, *reducer, *at, line.value(QStringLiteral("bisect")), line.isSet(QStringLiteral("monotone")),
                      out);
    return fold(*in, *reducer, *at, out);
}

} // namespace chronoscope::cli
