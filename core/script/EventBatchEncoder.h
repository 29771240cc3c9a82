#pragma once

#include "model/Reducer.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <vector>

namespace chronoscope::engine {

/// Packs events for projection_runtime.js's foldBatch: every text field of every event back to back
/// in one string, plus kStride doubles per event (offset, lengths in UTF-16 units, sequence number,
/// index, flags); an event type is sent once per batch, later events refer to it by number. Two
/// conversions per batch instead of a dozen per event is what makes the fold fast.
///
/// Payload checks happen here, in C++, so that every bad event gets a precise message:
/// - JSON data must be valid UTF-8 and nest at most kMaxJsonDepth levels, else the event is refused;
/// - non-JSON data, metadata, stream names and types that are not valid UTF-8 are decoded with U+FFFD
///   replacement characters (documented fallback: `bodyRaw` is then lossy, `body` stays null).
class EventBatchEncoder
{
public:
    static constexpr int kStride = 10;
    static constexpr int kFlagJson = 1;
    static constexpr int kMaxJsonDepth = 512;

    void clear();
    /// Adds one event. Returns false (and says why in `problem`) when the event must not be folded.
    bool add(const FoldEvent &event, QString *problem);
    /// Adds an event with replaced data (upcast), otherwise as add().
    bool add(const FoldEvent &event, const QByteArray &data, QString *problem);

    int count() const { return m_count; }
    bool isEmpty() const { return m_count == 0; }
    /// The packed text (decoded once per batch) and the numbers as the bytes of a Float64Array.
    QString text() const { return QString::fromUtf8(m_text); }
    QByteArray numbers() const;
    /// The same without copies: the packed text as UTF-8 (always valid) and the numbers.
    const QByteArray &utf8() const { return m_text; }
    const std::vector<double> &numberVector() const { return m_numbers; }
    /// Whether the packed text is pure ASCII (as payloads usually are): then its bytes are its characters.
    bool isAscii() const { return m_utf16 == m_text.size(); }

    /// Checks UTF-8 and (for JSON) nesting; on success returns the UTF-16 length.
    static qsizetype scan(const QByteArray &bytes, bool json, QString *problem);

private:
    qsizetype appendField(const QByteArray &bytes);

    QByteArray m_text;
    std::vector<double> m_numbers;
    int m_count = 0;
    qsizetype m_utf16 = 0; ///< UTF-16 length of m_text
    QHash<QByteArray, int> m_types; ///< event types already sent in this batch (sent once, then by number)
};

} // namespace chronoscope::engine
