#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <memory>
#include <vector>

namespace chronoscope {

/// What the inspector shows for a payload: a JSON document, text, or bytes.
struct PayloadView
{
    enum class Kind { Json, Text, Binary };
    Kind kind = Kind::Binary;
    QJsonValue json{QJsonValue::Undefined}; ///< Json
    QString text;                           ///< Text (capped, see PayloadViewDecoders::kMaxTextBytes)
    QByteArray bytes;                       ///< the bytes the view stands for (after decoding, e.g. base64)
    /// Json: the JSON text when it is not `bytes` (protobuf's bytes are the wire format), so the
    /// text view can keep the decoder's field order; null otherwise.
    QByteArray jsonText;
    QString decoder;                        ///< id of the decoder that produced it
    QString message;                        ///< why it is not what was asked for, or notes; empty when clean

    /// The fallback every decoder gives for input it cannot read: the bytes, and why.
    static PayloadView binary(const QByteArray &bytes, const QString &decoder, const QString &message);
};

/// One way to read a payload (pluggable: register more with PayloadViewDecoders::add()).
/// score() and decode() may run on worker threads, several at once.
class PayloadViewDecoder
{
public:
    virtual ~PayloadViewDecoder() = default;
    virtual QString id() const = 0;
    virtual QString name() const = 0;
    /// How well this decoder fits the payload when chosen automatically: 0 = not at all, higher wins.
    /// `eventType` is the event's type, for decoders whose schema depends on it (protobuf).
    virtual int score(const QByteArray &bytes, const QByteArray &contentType, const QByteArray &eventType) const = 0;
    /// Never throws; bad input gives a Binary view with a message.
    virtual PayloadView decode(const QByteArray &bytes, const QByteArray &contentType,
                               const QByteArray &eventType) const = 0;
};

/// The decoders the inspector offers: JSON, UTF-8 text, base64 and hex, plus any added.
class PayloadViewDecoders
{
public:
    PayloadViewDecoders();
    ~PayloadViewDecoders();

    void add(std::unique_ptr<PayloadViewDecoder> decoder);
    QList<const PayloadViewDecoder *> decoders() const;
    const PayloadViewDecoder *find(const QString &id) const;
    /// The best fit (hex when nothing else fits).
    const PayloadViewDecoder *choose(const QByteArray &bytes, const QByteArray &contentType,
                                     const QByteArray &eventType = {}) const;
    /// Decodes with `id`, or the best fit when `id` is empty or unknown.
    PayloadView decode(const QByteArray &bytes, const QByteArray &contentType, const QString &id = {},
                       const QByteArray &eventType = {}) const;

    /// Text views are cut here (the hex view has its own cap); the message says so.
    static constexpr qsizetype kMaxTextBytes = 1 << 20;

private:
    std::vector<std::unique_ptr<PayloadViewDecoder>> m_decoders;
};

} // namespace chronoscope
