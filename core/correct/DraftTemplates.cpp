#include "correct/DraftTemplates.h"

#include "script/ReducerFile.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace chronoscope {

namespace {

QString indented(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented));
    return {}; // the loader accepts objects only
}

} // namespace

QList<engine::ReducerTemplate> DraftTemplates::applicable(const engine::ReducerFile &file, const QByteArray &stream,
                                                          const RecordedEvent *source, const QByteArray &eventType)
{
    QList<engine::ReducerTemplate> out;
    if (!file.appliesToStream(source ? source->streamId : stream))
        return out;
    for (const engine::ReducerTemplate &t : file.templates()) {
        if (!eventType.isEmpty() && t.eventType != eventType)
            continue;
        if (source ? !t.appliesToSource(source->type) : !t.from.isEmpty())
            continue;
        out.append(t);
    }
    return out;
}

std::optional<engine::ReducerTemplate> DraftTemplates::find(const engine::ReducerFile &file, const QString &name,
                                                            const QByteArray &stream, const RecordedEvent *source)
{
    const QList<engine::ReducerTemplate> fitting = applicable(file, stream, source);
    for (const engine::ReducerTemplate &t : fitting) {
        if (t.name == name)
            return t;
    }
    return std::nullopt;
}

DraftTemplates::Instantiated DraftTemplates::instantiate(const engine::ReducerTemplate &tmpl, const QString &stream,
                                                         std::optional<ExpectedState> inspected,
                                                         const RecordedEvent *source)
{
    Instantiated out;
    if (source) {
        // likeEvent() gives the corrected id and the kept correlation; the template replaces the rest.
        out.draft = EventDraft::likeEvent(*source, inspected);
    } else {
        out.draft = EventDraft::create(stream, inspected);
    }
    out.draft.eventType = QString::fromUtf8(tmpl.eventType);

    QStringList missingData, missingMetadata;
    out.draft.data = indented(engine::ReducerTemplate::substitute(tmpl.data, source, &missingData));
    const QJsonValue metadata = engine::ReducerTemplate::substitute(tmpl.metadata, source, &missingMetadata);
    out.draft.customMetadata = metadata.toObject().isEmpty() ? QString() : indented(metadata);
    for (const QString &m : std::as_const(missingData))
        out.missing.append(QStringLiteral("data ") + m);
    for (const QString &m : std::as_const(missingMetadata))
        out.missing.append(QStringLiteral("metadata ") + m);
    return out;
}

} // namespace chronoscope
