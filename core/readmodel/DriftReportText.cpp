#include "readmodel/DriftReportText.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace chronoscope::readmodel {

namespace {

QString padded(const QString &text, qsizetype width)
{
    return text.leftJustified(width, QLatin1Char(' '));
}

} // namespace

QList<QJsonObject> DriftReportText::driftObjects() const
{
    QList<QJsonObject> objects;
    for (const AggregateDrift &d : report.drifts) {
        QJsonArray paths;
        for (const DriftValue &v : d.values) {
            QJsonObject p{{QStringLiteral("path"), v.path}};
            if (!v.fold.isUndefined())
                p.insert(QStringLiteral("fold"), v.fold);
            if (!v.row.isUndefined())
                p.insert(QStringLiteral("row"), v.row);
            paths.append(p);
        }
        QJsonObject o{{QStringLiteral("aggregateId"), d.aggregateId},
                      {QStringLiteral("stream"), mapping.streamOf(d.aggregateId)},
                      {QStringLiteral("kind"), AggregateDrift::statusName(d.status)},
                      {QStringLiteral("pathCount"), d.pathCount},
                      {QStringLiteral("paths"), paths}};
        if (!d.problem.isEmpty())
            o.insert(QStringLiteral("problem"), d.problem);
        objects.append(o);
    }
    return objects;
}

QJsonObject DriftReportText::summaryObject(int exitCode) const
{
    const DriftCounts &c = report.counts;
    return {{QStringLiteral("outcome"), c.drifted() == 0 ? QStringLiteral("no-drift") : QStringLiteral("drift")},
            {QStringLiteral("readModel"), mapping.name()},
            {QStringLiteral("category"), mapping.category()},
            {QStringLiteral("aggregates"), qint64(c.aggregates)},
            {QStringLiteral("equal"), qint64(c.equal)},
            {QStringLiteral("different"), qint64(c.different)},
            {QStringLiteral("missingRow"), qint64(c.missingRow)},
            {QStringLiteral("rowWithoutEvents"), qint64(c.rowWithoutEvents)},
            {QStringLiteral("unreadable"), qint64(c.unreadable)},
            {QStringLiteral("events"), qint64(c.events)},
            {QStringLiteral("rows"), qint64(c.rows)},
            {QStringLiteral("seconds"), qRound(seconds * 1000) / 1000.0},
            {QStringLiteral("exitCode"), exitCode}};
}

QStringList DriftReportText::tableLines() const
{
    if (report.drifts.isEmpty())
        return {};
    struct Row
    {
        QString stream, kind, path, fold, row;
    };
    QList<Row> rows;
    for (const AggregateDrift &d : report.drifts) {
        const QString stream = mapping.streamOf(d.aggregateId);
        const QString kind = AggregateDrift::statusName(d.status);
        if (d.values.isEmpty())
            rows.append(Row{stream, kind, d.problem, {}, {}});
        for (const DriftValue &v : d.values)
            rows.append(
                Row{stream, kind, v.path, DriftReportText::valueText(v.fold), DriftReportText::valueText(v.row)});
        if (d.pathCount > d.values.size())
            rows.append(
                Row{stream, kind, QStringLiteral("(%1 more paths)").arg(d.pathCount - d.values.size()), {}, {}});
        if (!d.values.isEmpty() && !d.problem.isEmpty())
            rows.append(Row{stream, kind, d.problem, {}, {}});
    }
    qsizetype w[4] = {9, 4, 4, 4}; // at least the headers' widths
    for (const Row &r : rows) {
        w[0] = std::max(w[0], r.stream.size());
        w[1] = std::max(w[1], r.kind.size());
        w[2] = std::max(w[2], r.path.size());
        w[3] = std::max(w[3], r.fold.size());
    }
    const auto line = [&w](const Row &r) -> QString {
        const QString text = padded(r.stream, w[0]) + QStringLiteral("  ") + padded(r.kind, w[1]) + QStringLiteral("  ")
            + padded(r.path, w[2]) + QStringLiteral("  ") + padded(r.fold, w[3]) + QStringLiteral("  ") + r.row;
        return text.trimmed();
    };
    QStringList lines{line(Row{QStringLiteral("aggregate"), QStringLiteral("kind"), QStringLiteral("path"),
                               QStringLiteral("fold"), QStringLiteral("row")})};
    for (const Row &r : rows)
        lines.append(line(r));
    return lines;
}

QString DriftReportText::summaryLine() const
{
    const DriftCounts &c = report.counts;
    const QString head = c.drifted() == 0
        ? QStringLiteral("no drift: %1 aggregates of %2 equal to the read model %3")
              .arg(c.equal)
              .arg(mapping.category(), mapping.name())
        : QStringLiteral("drift in %1 aggregates of %2 (read model %3): %4 different, %5 missing row, %6 row "
                         "without events, %7 unreadable; %8 equal")
              .arg(c.drifted())
              .arg(mapping.category(), mapping.name())
              .arg(c.different)
              .arg(c.missingRow)
              .arg(c.rowWithoutEvents)
              .arg(c.unreadable)
              .arg(c.equal);
    return head
        + QStringLiteral(". %1 events and %2 rows read in %3 s").arg(c.events).arg(c.rows).arg(seconds, 0, 'f', 2);
}

QString DriftReportText::valueText(const QJsonValue &v)
{
    if (v.isUndefined())
        return QStringLiteral("(none)");
    return QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact).chopped(1).mid(1));
}

QByteArray DriftReportText::jsonDocument() const
{
    QJsonArray drifts;
    for (const QJsonObject &o : driftObjects())
        drifts.append(o);
    const QJsonObject doc{{QStringLiteral("summary"), summaryObject(report.counts.drifted() == 0 ? 0 : 2)},
                          {QStringLiteral("drifts"), drifts}};
    return QJsonDocument(doc).toJson(QJsonDocument::Indented);
}

QString DriftReportText::csvField(const QString &text)
{
    static const QString special = QStringLiteral(",\"\r\n");
    if (std::none_of(text.begin(), text.end(), [](QChar c) { return special.contains(c); }))
        return text;
    return QLatin1Char('"') + QString(text).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
}

QByteArray DriftReportText::csv() const
{
    const auto value = [](const QJsonValue &v) -> QString {
        return v.isUndefined() ? QString() : DriftReportText::valueText(v);
    };
    QStringList lines{QStringLiteral("aggregate_id,stream,kind,path,fold,row,problem")};
    const auto add = [&lines](const QStringList &fields) {
        QStringList quoted;
        for (const QString &f : fields)
            quoted.append(csvField(f));
        lines.append(quoted.join(QLatin1Char(',')));
    };
    for (const AggregateDrift &d : report.drifts) {
        const QString stream = mapping.streamOf(d.aggregateId);
        const QString kind = AggregateDrift::statusName(d.status);
        for (const DriftValue &v : d.values)
            add({d.aggregateId, stream, kind, v.path, value(v.fold), value(v.row), d.problem});
        if (d.values.isEmpty())
            add({d.aggregateId, stream, kind, {}, {}, {}, d.problem});
    }
    return (lines.join(QStringLiteral("\r\n")) + QStringLiteral("\r\n")).toUtf8();
}

} // namespace chronoscope::readmodel
