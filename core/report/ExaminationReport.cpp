#include "report/ExaminationReport.h"

#include "timeline/PayloadCache.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace chronoscope {

namespace {

QString text(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toVariant().toString().toHtmlEscaped();
}

} // namespace

/// Hashes events one at a time into the whole digest and the block digests.
struct ExaminationReport::DigestBuilder::State
{
    QCryptographicHash all{QCryptographicHash::Sha256};
    QCryptographicHash block{QCryptographicHash::Sha256};
    QList<QByteArray> blocks;
    quint64 count = 0;
    void closeBlock()
    {
        blocks.append(block.result().toHex());
        block.reset();
    }
};

ExaminationReport::DigestBuilder::DigestBuilder() : m(std::make_unique<State>()) {}
ExaminationReport::DigestBuilder::~DigestBuilder() = default;
quint64 ExaminationReport::DigestBuilder::count() const { return m->count; }

void ExaminationReport::DigestBuilder::add(const RecordedEvent &e)
{
    const QByteArray line = EventExport::jsonLine(e) + '\n';
    m->all.addData(line);
    m->block.addData(line);
    if (++m->count % kBlockEvents == 0)
        m->closeBlock();
}

ExaminationReport::Digest ExaminationReport::DigestBuilder::finish()
{
    if (m->count % kBlockEvents != 0)
        m->closeBlock();
    Digest d;
    d.count = m->count;
    d.sha256 = m->all.result().toHex();
    d.blocks = m->blocks;
    return d;
}

ExaminationReport::Digest ExaminationReport::digest(engine::PayloadCache &events, quint64 count,
                                                    const EventExport::Progress &progress)
{
    DigestBuilder hasher;
    for (quint64 o = 0; o < count; ++o) {
        const engine::PayloadCache::BlockResult block = events.blockFor(o);
        if (!block.events) {
            Digest d;
            d.error = QStringLiteral("event #%1 could not be read: %2").arg(o).arg(block.error);
            return d;
        }
        hasher.add(block.events->at(qsizetype(o - block.first)));
        if ((o + 1) % 256 == 0 && progress && !progress(o + 1, count)) {
            Digest d;
            d.error = QStringLiteral("cancelled");
            return d;
        }
    }
    return hasher.finish();
}

ExaminationReport::Digest ExaminationReport::digest(const QList<RecordedEvent> &events)
{
    DigestBuilder hasher;
    for (const RecordedEvent &e : events)
        hasher.add(e);
    return hasher.finish();
}

QJsonObject ExaminationReport::toJson(const Examined &x, const Digest &d, const QDateTime &at)
{
    QJsonObject cursor;
    if (x.cursor >= 0) {
        cursor = QJsonObject{{QStringLiteral("ordinal"), x.cursor},
                             {QStringLiteral("revision"), QString::number(x.cursorEvent.revision)},
                             {QStringLiteral("eventId"), x.cursorEvent.id.toString(QUuid::WithoutBraces)},
                             {QStringLiteral("eventType"), QString::fromUtf8(x.cursorEvent.type)},
                             {QStringLiteral("created"), QDateTime::fromMSecsSinceEpoch(x.cursorEvent.createdMsecsSinceEpoch(), Qt::UTC)
                                                              .toString(Qt::ISODateWithMs)}};
    }
    QJsonArray blocks;
    for (const QByteArray &b : d.blocks)
        blocks.append(QString::fromLatin1(b));
    return QJsonObject{
        {QStringLiteral("format"), QStringLiteral("chronoscope-report/1")},
        {QStringLiteral("tool"), QStringLiteral("Chronoscope " CHRONOSCOPE_VERSION)},
        {QStringLiteral("examinedAt"), at.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("connection"), x.connection},
        {QStringLiteral("serverVersion"), x.serverVersion},
        {QStringLiteral("stream"), QString::fromUtf8(x.stream)},
        {QStringLiteral("reducer"), x.reducer},
        {QStringLiteral("note"), x.note},
        {QStringLiteral("cursor"), cursor},
        {QStringLiteral("markerA"), x.markerA},
        {QStringLiteral("markerB"), x.markerB},
        {QStringLiteral("stateAtCursor"), x.stateAtCursor},
        {QStringLiteral("events"), QJsonObject{{QStringLiteral("count"), QString::number(d.count)},
                                               {QStringLiteral("sha256"), QString::fromLatin1(d.sha256)},
                                               {QStringLiteral("blockEvents"), qint64(kBlockEvents)},
                                               {QStringLiteral("blocks"), blocks},
                                               {QStringLiteral("digestOf"), QStringLiteral("the events' JSON Lines (EventExport), in order")}}},
    };
}

QByteArray ExaminationReport::toHtml(const QJsonObject &r)
{
    const QJsonObject events = r.value(QStringLiteral("events")).toObject();
    const QJsonObject cursor = r.value(QStringLiteral("cursor")).toObject();
    const QByteArray state = QJsonDocument(r.value(QStringLiteral("stateAtCursor")).toObject()).toJson(QJsonDocument::Indented);
    QString h = QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Examination of %1</title>"
                               "<style>body{font-family:sans-serif;margin:2em}td{padding:2px 12px 2px 0;vertical-align:top}"
                               "code,pre{font-family:monospace}pre{background:#f4f4f4;padding:8px}</style></head><body>\n")
                    .arg(text(r, "stream"));
    h += QStringLiteral("<h1>Examination of %1</h1>\n<table>\n").arg(text(r, "stream"));
    auto row = [&h](const QString &k, const QString &v) { h += QStringLiteral("<tr><td>%1</td><td>%2</td></tr>\n").arg(k, v); };
    row(QStringLiteral("Examined at (UTC)"), text(r, "examinedAt"));
    row(QStringLiteral("Tool"), text(r, "tool"));
    row(QStringLiteral("Server"), text(r, "connection") + QStringLiteral(" (version ") + text(r, "serverVersion") + QLatin1Char(')'));
    row(QStringLiteral("Events examined"), text(events, "count"));
    row(QStringLiteral("SHA-256 of the events"), QStringLiteral("<code>%1</code>").arg(text(events, "sha256")));
    row(QStringLiteral("Cursor"), cursor.isEmpty() ? QStringLiteral("—")
                                                   : QStringLiteral("#%1, revision %2, %3 (%4), created %5")
                                                         .arg(text(cursor, "ordinal"), text(cursor, "revision"), text(cursor, "eventType"),
                                                              text(cursor, "eventId"), text(cursor, "created")));
    row(QStringLiteral("Markers"), QStringLiteral("A = %1, B = %2").arg(text(r, "markerA"), text(r, "markerB")));
    row(QStringLiteral("Reducer"), text(r, "reducer"));
    if (!r.value(QStringLiteral("note")).toString().isEmpty())
        row(QStringLiteral("Note"), text(r, "note"));
    const QJsonObject signature = r.value(QStringLiteral("signature")).toObject();
    row(QStringLiteral("Signature"), signature.isEmpty()
                                         ? QStringLiteral("none")
                                         : QStringLiteral("%1, key fingerprint (SHA-256) <code>%2</code>")
                                               .arg(text(signature, "algorithm"), text(signature, "publicKeyFingerprint")));
    h += QStringLiteral("</table>\n<h2>State at the cursor</h2>\n<pre>%1</pre>\n").arg(QString::fromUtf8(state).toHtmlEscaped());
    h += QStringLiteral("<p>File ▸ Verify Report… in Chronoscope checks the signature of the JSON file beside this page "
                        "(offline), then reads these events again and checks them against the digest.</p>\n</body></html>\n");
    return h.toUtf8();
}

QString ExaminationReport::write(const QString &path, const QJsonObject &report)
{
    const QFileInfo info(path);
    const QString html = info.path() + QLatin1Char('/') + info.completeBaseName() + QStringLiteral(".html");
    for (const auto &[file, bytes] : {std::pair{path, QJsonDocument(report).toJson(QJsonDocument::Indented)},
                                      std::pair{html, toHtml(report)}}) {
        QSaveFile out(file);
        if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit())
            return QStringLiteral("cannot write %1: %2").arg(file, out.errorString());
    }
    return {};
}

ExaminationReport::Verification ExaminationReport::verify(const QJsonObject &report, const Digest &now)
{
    Verification v;
    const QJsonObject events = report.value(QStringLiteral("events")).toObject();
    const quint64 count = events.value(QStringLiteral("count")).toString().toULongLong();
    if (report.value(QStringLiteral("format")).toString() != QLatin1String("chronoscope-report/1") || events.isEmpty()) {
        v.message = QStringLiteral("not a Chronoscope report (format chronoscope-report/1)");
        return v;
    }
    if (now.count < count) {
        v.message = QStringLiteral("the server has %1 of the %2 events examined: events were deleted or truncated")
                        .arg(now.count)
                        .arg(count);
        return v;
    }
    if (now.sha256 == events.value(QStringLiteral("sha256")).toString().toLatin1()) {
        v.unchanged = true;
        v.message = QStringLiteral("unchanged: the %1 events examined are as they were (SHA-256 %2)")
                        .arg(count)
                        .arg(QString::fromLatin1(now.sha256.left(16)));
        return v;
    }
    const QJsonArray blocks = events.value(QStringLiteral("blocks")).toArray();
    for (qsizetype b = 0; b < blocks.size(); ++b) {
        if (b >= now.blocks.size() || blocks.at(b).toString().toLatin1() != now.blocks.at(b)) {
            v.firstDifferentBlock = b;
            v.message = QStringLiteral("changed: the events differ from event #%1 on (block %2 of %3)")
                            .arg(quint64(b) * kBlockEvents)
                            .arg(b + 1)
                            .arg(blocks.size());
            return v;
        }
    }
    v.message = QStringLiteral("changed: the digest differs");
    return v;
}

} // namespace chronoscope
