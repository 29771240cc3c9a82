#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace chronoscope::auditchain {

/// How one audit record is written as one line, and read back.
///
///     {"seq":7,"prev":"<64 hex>","kind":"attempt","time":"2024-05-01T09:30:00.123Z",…fields…,"sha256":"<64 hex>"}
///
/// - `seq` counts records from 1; `prev` is the SHA-256 of the previous line's bytes (without its
///   line end), kGenesis for the first: a removed, reordered or edited line breaks the chain.
/// - `sha256`, last, is the SHA-256 of the line's bytes before `,"sha256"`: an edit shows on the
///   edited line itself, the last one included, not only on the line after it.
/// - seq, prev, kind and time come first so a person reading the file sees them first; the hashes
///   are over bytes, so the order is fixed by the writer and never re-serialised.

/// The `prev` of the first record.
inline const QByteArray kGenesis = QByteArray(64, '0');

QByteArray sha256Hex(const QByteArray &bytes);

/// The line for a record (no line end). Keys of `fields` named like the frame's are dropped.
QByteArray makeLine(qint64 seq, const QByteArray &prev, const QString &kind, const QDateTime &time,
                    const QJsonObject &fields);

struct ParsedLine
{
    enum class State {
        NotJson,    ///< not a JSON object
        NotARecord, ///< JSON, but without a seq, prev, kind and a trailing sha256
        BadHash,    ///< a record whose content does not match its own sha256
        Record,     ///< a whole record
    };
    State state = State::NotJson;
    qint64 seq = 0;
    QByteArray prev;
    QString kind;
    QJsonObject object; ///< the whole record, when JSON
    QString why;        ///< for the states other than Record
};
ParsedLine parseLine(const QByteArray &line);

/// Whether `fragment` (a last line without its line end) can be the beginning of the record that
/// was due next, i.e. a write cut short: it starts as `{"seq":<seq>,"prev":"<prev>",…` would, as far
/// as it goes. Garbage, or a line for another place in the chain, is not.
bool isTornRecord(const QByteArray &fragment, qint64 seq, const QByteArray &prev);

} // namespace chronoscope::auditchain
