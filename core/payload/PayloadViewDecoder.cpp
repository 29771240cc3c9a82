#include "payload/PayloadViewDecoder.h"

#include "payload/PayloadDecoder.h"

#include <QCoreApplication>

#include <optional>

namespace chronoscope {

namespace {

QString tr(const char *s) { return QCoreApplication::translate("PayloadViewDecoders", s); }

PayloadView textView(const QByteArray &bytes, const QString &decoder)
{
    const qsizetype bad = engine::PayloadDecoder::invalidUtf8Offset(bytes);
    if (bad >= 0)
        return PayloadView::binary(bytes, decoder, tr("Not valid UTF-8 (first bad byte at offset %1): shown as bytes").arg(bad));
    PayloadView v;
    v.kind = PayloadView::Kind::Text;
    v.bytes = bytes;
    v.decoder = decoder;
    if (bytes.size() > PayloadViewDecoders::kMaxTextBytes) {
        QByteArray cut = bytes.left(PayloadViewDecoders::kMaxTextBytes);
        while (!cut.isEmpty() && (uchar(cut.back()) & 0xC0) == 0x80) // do not split a character
            cut.chop(1);
        if (!cut.isEmpty() && uchar(cut.back()) >= 0xC0)
            cut.chop(1);
        v.text = QString::fromUtf8(cut);
        v.message = tr("Showing the first %1 of %2 bytes").arg(cut.size()).arg(bytes.size());
    } else {
        v.text = QString::fromUtf8(bytes);
    }
    return v;
}

bool mostlyPrintable(const QByteArray &bytes)
{
    const qsizetype n = std::min<qsizetype>(bytes.size(), 4096);
    qsizetype control = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const uchar c = uchar(bytes[i]);
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t')
            ++control;
    }
    return control == 0;
}

class JsonDecoder : public PayloadViewDecoder
{
public:
    QString id() const override { return QStringLiteral("json"); }
    QString name() const override { return tr("JSON"); }
    int score(const QByteArray &bytes, const QByteArray &contentType, const QByteArray &) const override
    {
        if (engine::PayloadDecoder::isJsonContentType(contentType))
            return 100;
        const QByteArray t = bytes.trimmed().left(1);
        return (t == "{" || t == "[") && engine::PayloadDecoder::decodeJson(bytes).isJson() ? 90 : 0;
    }
    PayloadView decode(const QByteArray &bytes, const QByteArray &, const QByteArray &) const override
    {
        const engine::DecodedPayload d = engine::PayloadDecoder::decodeJson(bytes);
        if (!d.isJson())
            return PayloadView::binary(bytes, id(), d.message.isEmpty() ? tr("Not JSON") : d.message);
        PayloadView v;
        v.kind = PayloadView::Kind::Json;
        v.json = d.json;
        v.bytes = bytes;
        v.decoder = id();
        v.message = d.warnings.join(QLatin1Char('\n'));
        return v;
    }
};

class Utf8Decoder : public PayloadViewDecoder
{
public:
    QString id() const override { return QStringLiteral("utf8"); }
    QString name() const override { return tr("UTF-8 text"); }
    int score(const QByteArray &bytes, const QByteArray &contentType, const QByteArray &) const override
    {
        if (bytes.isEmpty() || engine::PayloadDecoder::invalidUtf8Offset(bytes) >= 0)
            return 0;
        if (contentType.startsWith("text/"))
            return 80;
        return mostlyPrintable(bytes) ? 50 : 0;
    }
    PayloadView decode(const QByteArray &bytes, const QByteArray &, const QByteArray &) const override { return textView(bytes, id()); }
};

class Base64Decoder : public PayloadViewDecoder
{
public:
    QString id() const override { return QStringLiteral("base64"); }
    QString name() const override { return tr("Base64"); }
    static std::optional<QByteArray> decoded(const QByteArray &bytes)
    {
        const QByteArray t = bytes.trimmed();
        if (t.isEmpty())
            return std::nullopt;
        const auto r = QByteArray::fromBase64Encoding(t, QByteArray::AbortOnBase64DecodingErrors);
        if (!r)
            return std::nullopt;
        return *r;
    }
    int score(const QByteArray &bytes, const QByteArray &, const QByteArray &) const override
    {
        // Only worth choosing unasked when it clearly is base64 and hides something readable.
        if (bytes.size() < 8 || bytes.trimmed().size() % 4 != 0)
            return 0;
        const auto d = decoded(bytes);
        if (!d)
            return 0;
        return engine::PayloadDecoder::invalidUtf8Offset(*d) < 0 && mostlyPrintable(*d) ? 60 : 0;
    }
    PayloadView decode(const QByteArray &bytes, const QByteArray &, const QByteArray &) const override
    {
        const auto d = decoded(bytes);
        if (!d)
            return PayloadView::binary(bytes, id(), tr("Not base64: shown as bytes"));
        const engine::DecodedPayload json = engine::PayloadDecoder::decodeJson(*d);
        PayloadView v;
        if (json.isJson()) {
            v.kind = PayloadView::Kind::Json;
            v.json = json.json;
            v.bytes = *d;
        } else if (engine::PayloadDecoder::invalidUtf8Offset(*d) < 0 && mostlyPrintable(*d)) {
            v = textView(*d, id());
        } else {
            v = PayloadView::binary(*d, id(), QString());
        }
        v.decoder = id();
        v.message = tr("Decoded from base64 (%1 bytes)").arg(d->size());
        return v;
    }
};

class HexDecoder : public PayloadViewDecoder
{
public:
    QString id() const override { return QStringLiteral("hex"); }
    QString name() const override { return tr("Hex"); }
    int score(const QByteArray &, const QByteArray &, const QByteArray &) const override { return 1; }
    PayloadView decode(const QByteArray &bytes, const QByteArray &, const QByteArray &) const override
    {
        return PayloadView::binary(bytes, id(), QString());
    }
};

} // namespace

PayloadView PayloadView::binary(const QByteArray &bytes, const QString &decoder, const QString &message)
{
    PayloadView v;
    v.kind = Kind::Binary;
    v.bytes = bytes;
    v.decoder = decoder;
    v.message = message;
    return v;
}

PayloadViewDecoders::PayloadViewDecoders()
{
    add(std::make_unique<JsonDecoder>());
    add(std::make_unique<Utf8Decoder>());
    add(std::make_unique<Base64Decoder>());
    add(std::make_unique<HexDecoder>());
}

PayloadViewDecoders::~PayloadViewDecoders() = default;

void PayloadViewDecoders::add(std::unique_ptr<PayloadViewDecoder> decoder)
{
    if (decoder)
        m_decoders.push_back(std::move(decoder));
}

QList<const PayloadViewDecoder *> PayloadViewDecoders::decoders() const
{
    QList<const PayloadViewDecoder *> out;
    for (const auto &d : m_decoders)
        out.append(d.get());
    return out;
}

const PayloadViewDecoder *PayloadViewDecoders::find(const QString &id) const
{
    for (const auto &d : m_decoders)
        if (d->id() == id)
            return d.get();
    return nullptr;
}

const PayloadViewDecoder *PayloadViewDecoders::choose(const QByteArray &bytes, const QByteArray &contentType,
                                                      const QByteArray &eventType) const
{
    const PayloadViewDecoder *best = nullptr;
    int bestScore = -1;
    for (const auto &d : m_decoders) {
        const int s = d->score(bytes, contentType, eventType);
        if (s > bestScore) {
            best = d.get();
            bestScore = s;
        }
    }
    return best;
}

PayloadView PayloadViewDecoders::decode(const QByteArray &bytes, const QByteArray &contentType, const QString &id,
                                        const QByteArray &eventType) const
{
    const PayloadViewDecoder *d = id.isEmpty() ? nullptr : find(id);
    if (!d)
        d = choose(bytes, contentType, eventType);
    if (!d)
        return PayloadView::binary(bytes, QString(), QString());
    return d->decode(bytes, contentType, eventType);
}

} // namespace chronoscope
