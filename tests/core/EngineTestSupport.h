#pragma once

// Shared helpers for the engine tests: demo events as RecordedEvents, an independent reference
// merge patch over QJsonValue, and reference folds.
#include "demo/DemoHistory.h"
#include "model/Types.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace enginetest {

using chronoscope::RecordedEvent;

/// The first `n` demo events as an `$all` timeline: per-stream revisions, increasing commit positions.
inline QList<RecordedEvent> demoEvents(quint64 n, bool singleStream = false)
{
    QList<RecordedEvent> out;
    QHash<QByteArray, quint64> revisions;
    chronoscope::DemoHistory::Options o;
    o.eventCount = n;
    chronoscope::DemoHistory(o).generate([&](const chronoscope::DemoEvent &d) {
        RecordedEvent e;
        e.streamId = singleStream ? QByteArray("demo") : d.stream;
        e.id = d.id;
        e.revision = revisions[e.streamId]++;
        e.position = {quint64(out.size()) * 512 + 100, quint64(out.size()) * 512 + 100};
        e.type = d.type;
        e.contentType = "application/json";
        e.createdTicks = d.createdMs * chronoscope::kTicksPerMillisecond;
        e.data = d.data;
        e.metadata = d.metadata;
        out.append(e);
        return true;
    });
    return out;
}

/// RFC 7386 MergePatch, written straight from the RFC's pseudo code over QJsonValue.
inline QJsonValue mergePatch(const QJsonValue &target, const QJsonValue &patch)
{
    if (!patch.isObject())
        return patch;
    QJsonObject result = target.isObject() ? target.toObject() : QJsonObject();
    const QJsonObject p = patch.toObject();
    for (auto it = p.begin(); it != p.end(); ++it) {
        if (it.value().isNull())
            result.remove(it.key());
        else
            result.insert(it.key(), mergePatch(result.value(it.key()), it.value()));
    }
    return result;
}

/// The merge reducer's expected states after folding `events[0, n)` for every n where `wanted(n)`,
/// computed independently (the others are left undefined).
template<typename Wanted>
QList<QJsonValue> referenceStates(const QList<RecordedEvent> &events, qsizetype count, Wanted wanted)
{
    QList<QJsonValue> out;
    QJsonValue merged = QJsonObject();
    QHash<QString, qint64> counts;
    qint64 unmerged = 0;
    for (qsizetype i = 0;; ++i) {
        if (wanted(i)) {
            QJsonObject c;
            for (auto it = counts.cbegin(); it != counts.cend(); ++it)
                c.insert(it.key(), it.value());
            QJsonObject o;
            o.insert(QLatin1String("state"), merged);
            o.insert(QLatin1String("counts"), c);
            o.insert(QLatin1String("events"), qint64(i));
            o.insert(QLatin1String("unmerged"), unmerged);
            out.append(o);
        } else {
            out.append(QJsonValue());
        }
        if (i == count)
            break;
        const RecordedEvent &e = events.at(i);
        ++counts[QString::fromUtf8(e.type)];
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(e.data, &error);
        if (error.error != QJsonParseError::NoError || e.contentType != "application/json") {
            ++unmerged;
            continue;
        }
        merged = mergePatch(merged, doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()));
    }
    return out;
}

inline QJsonValue referenceState(const QList<RecordedEvent> &events, qsizetype count)
{
    return referenceStates(events, count, [count](qsizetype n) { return n == count; }).last();
}

} // namespace enginetest
