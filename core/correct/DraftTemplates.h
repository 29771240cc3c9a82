#pragma once

#include "correct/EventDraft.h"
#include "model/Types.h"
#include "script/ReducerTemplate.h"

#include <QList>
#include <QStringList>

#include <optional>

namespace chronoscope {

namespace engine {
class ReducerFile;
}

/// A reducer file's corrective-event templates (F9), turned into drafts: what the composer and
/// `chronoscope-cli append --template` offer for a stream or an event ("Refund this payment" on the
/// demo's duplicate charge).
class DraftTemplates
{
public:
    /// The templates of `file` that fit: the file applies to `stream` (its `appliesTo`); with a
    /// `source` event, those whose `from` holds its type or is empty; without one, only those with
    /// no `from` (they need no source). `eventType` non-empty keeps those producing that type only.
    /// In file order.
    static QList<engine::ReducerTemplate> applicable(const engine::ReducerFile &file, const QByteArray &stream,
                                                     const RecordedEvent *source = nullptr,
                                                     const QByteArray &eventType = {});
    /// The template called `name` among applicable(…), if there is one.
    static std::optional<engine::ReducerTemplate> find(const engine::ReducerFile &file, const QString &name,
                                                       const QByteArray &stream, const RecordedEvent *source = nullptr);

    struct Instantiated
    {
        EventDraft draft;
        /// Placeholders the source did not have (left as null in the draft), one line each:
        /// "data /amount: ${data.total} (not in the source event)".
        QStringList missing;
    };
    /// A new draft from `tmpl`, as EventDraft::create() for `stream`, pinned to `inspected`. With a
    /// `source` event (likeEvent() semantics): its stream is the target, `correctsEventId` is its id
    /// and its `$correlationId` is kept (its own id when it has none). Data and custom metadata are
    /// the template's, placeholders replaced, as indented JSON text (metadata empty when the
    /// template's is empty).
    static Instantiated instantiate(const engine::ReducerTemplate &tmpl, const QString &stream,
                                    std::optional<ExpectedState> inspected, const RecordedEvent *source = nullptr);
};

} // namespace chronoscope
