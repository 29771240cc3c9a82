#pragma once

#include "model/Types.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QUuid>

#include <optional>

namespace chronoscope {

struct ParsedEventDraft;

/// A corrective event being composed (F9), as the user typed it: nothing in it is normalised, so a
/// half-typed, invalid JSON payload survives a save, a crash and a reload exactly.
///
/// The event id is drawn once, when the draft is created, and is kept with the draft through every
/// save, load and retry: a retry after a lost answer sends the same id with the same pinned
/// expected revision, which the server's strong idempotency check answers without writing twice
/// (protocol sheet §18). Nothing here ever draws a new id for an existing draft.
struct EventDraft
{
    /// The `formatVersion` written by toJson(); fromJson() refuses newer ones.
    static constexpr int kFormatVersion = 1;

    QUuid draftId;
    QUuid eventId;  ///< fixed at creation; the id the event is appended with
    QString stream; ///< target stream (sent as UTF-8)
    /// The revision the user inspected: an exact revision, or NoStream for a stream that did not
    /// exist. Never Any or StreamExists (their retries are decided by a cache a restart empties).
    /// Empty until the user has inspected the stream; a draft without one cannot be appended.
    std::optional<ExpectedState> expected;
    QString eventType;
    QString data;           ///< the data JSON text as typed, valid or not
    QString customMetadata; ///< the custom-metadata JSON text as typed (without the automatic fields)
    QUuid correctsEventId;  ///< "like this event": the corrected event (the `$causationId`); null otherwise
    QString correlationId;  ///< "like this event": its `$correlationId`, kept; empty otherwise
    QString reason;
    QDateTime created;  ///< UTC
    QDateTime modified; ///< UTC; set by touch() when the user edits

    /// A new draft with fresh draft and event ids, created and modified now.
    static EventDraft create(const QString &stream, std::optional<ExpectedState> expected = std::nullopt);
    /// A draft "like this event": its stream, type, data and custom metadata as a template, its id as
    /// the corrected event and its `$correlationId` kept. `inspected` is the stream's revision the user
    /// looked at (usually the head, not the corrected event's own revision).
    static EventDraft likeEvent(const RecordedEvent &corrected, std::optional<ExpectedState> inspected);

    /// True for the expectations a correction may be pinned to: an exact revision or NoStream.
    static bool isPinned(const ExpectedState &expected);
    /// Why this draft cannot be appended yet (no expected revision, no type, no stream, …); empty
    /// when nothing in the draft itself stands in the way. Validation of the payload is elsewhere.
    QString appendBlocker() const;

    /// Marks the draft as edited now.
    void touch();

    /// The draft file's content: indented JSON with `format` and `formatVersion`.
    QByteArray toJson() const;

    /// Reads what toJson() wrote. Anything missing that the draft cannot do without (the ids above
    /// all: an event id is never invented for a draft read back) is an error naming the field.
    static ParsedEventDraft fromJson(const QByteArray &json);

    friend bool operator==(const EventDraft &a, const EventDraft &b);
    friend bool operator!=(const EventDraft &a, const EventDraft &b) { return !(a == b); }
};

/// A draft file read back: the draft, or why it is not one.
struct ParsedEventDraft
{
    EventDraft draft;
    QString error; ///< empty when the text is a complete draft
    bool ok() const { return error.isEmpty(); }
};

} // namespace chronoscope
