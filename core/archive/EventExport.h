#pragma once

#include "model/Types.h"

#include <QJsonValue>
#include <QList>
#include <QString>

#include <functional>

namespace chronoscope {

namespace engine {
class PayloadCache;
}

/// Writes events to files for auditors and tests (F10), in a worker:
/// - JSON Lines, lossless: one event per line with its ids, revision, positions, creation time
///   (ISO and 100 ns ticks), type, content type, and data and metadata byte for byte — a JSON
///   payload verbatim, other text as a JSON string, anything else as base64 (`dataEncoding` says which);
/// - CSV (RFC 4180) for spreadsheets: one row per event, the payloads as text;
/// - a test fixture: the events of a slice and the state a reducer folds them to, one JSON document.
/// Files are written whole or not at all (QSaveFile): a cancelled or failed export leaves nothing.
class EventExport
{
public:
    enum class Format { JsonLines, Csv };

    /// Called every few hundred events; returning false cancels.
    using Progress = std::function<bool(quint64 done, quint64 total)>;

    /// Exports the events at `ordinals` (any order; written in that order). Returns an error
    /// message, empty on success; "cancelled" when `progress` said stop.
    /// One CSV cell: RFC 4180 quoting, and a text cell that a spreadsheet would run as a formula
    /// (= + - @ first) gets a leading apostrophe — the usual defence for files opened in Excel or
    /// LibreOffice. Every CSV the tool writes (events, the audit log) uses it.
    static QByteArray csvCell(const QString &text, bool isText = true);

    static QString write(engine::PayloadCache &events, const QList<quint64> &ordinals, Format format,
                         const QString &path, const Progress &progress = {});

    struct Fixture
    {
        QByteArray stream;
        QString reducer;         ///< the reducer's name ("merge", or the reducer file's name)
        QJsonValue expectedState; ///< after the last event
    };
    /// A fixture: {format, stream, reducer, events: [the JSON Lines objects], expectedState}.
    static QString writeFixture(engine::PayloadCache &events, const QList<quint64> &ordinals, const Fixture &fixture,
                                const QString &path, const Progress &progress = {});

    /// One event as its JSON Lines object (no newline).
    static QByteArray jsonLine(const RecordedEvent &event);
    static QByteArray csvHeader();
    static QByteArray csvRow(const RecordedEvent &event);
};

} // namespace chronoscope
