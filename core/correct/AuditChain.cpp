#include "correct/AuditChain.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

namespace chronoscope::auditchain {

namespace {

const QByteArray kHashKey = QByteArrayLiteral(",\"sha256\":\"");
/// `,"sha256":"` + 64 hex digits + `"}`
constexpr int kHashSuffixSize = 11 + 64 + 2;

QByteArray jsonString(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

QByteArray framePrefix(qint64 seq, const QByteArray &prev)
{
    return "{\"seq\":" + QByteArray::number(seq) + ",\"prev\":\"" + prev + "\",";
}

bool isHex64(const QByteArray &text)
{
    if (text.size() != 64)
        return false;
    for (char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

} // namespace

QByteArray sha256Hex(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

QByteArray makeLine(qint64 seq, const QByteArray &prev, const QString &kind, const QDateTime &time,
                    const QJsonObject &fields)
{
    QJsonObject body = fields;
    for (const char *frame : {"seq", "prev", "kind", "time", "sha256"})
        body.remove(QLatin1String(frame));
    QByteArray line = framePrefix(seq, prev) + "\"kind\":" + jsonString(kind)
        + ",\"time\":" + jsonString(time.toUTC().toString(Qt::ISODateWithMs));
    const QByteArray rest = QJsonDocument(body).toJson(QJsonDocument::Compact); // {…}, keys sorted
    if (rest.size() > 2)
        line += ',' + rest.mid(1, rest.size() - 2);
    return line + kHashKey + sha256Hex(line) + "\"}";
}

ParsedLine parseLine(const QByteArray &line)
{
    ParsedLine p;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        p.why = error.error != QJsonParseError::NoError
            ? QStringLiteral("not JSON (%1 at byte %2)").arg(error.errorString()).arg(error.offset)
            : QStringLiteral("not a JSON object");
        return p;
    }
    p.object = doc.object();
    p.state = ParsedLine::State::NotARecord;
    const QJsonValue seq = p.object.value(QLatin1String("seq"));
    p.prev = p.object.value(QLatin1String("prev")).toString().toLatin1();
    p.kind = p.object.value(QLatin1String("kind")).toString();
    if (!seq.isDouble() || seq.toInteger(0) < 1 || !isHex64(p.prev) || p.kind.isEmpty() || line.size() < kHashSuffixSize
        || line.mid(line.size() - kHashSuffixSize, kHashKey.size()) != kHashKey || !line.endsWith("\"}")) {
        p.why = QStringLiteral("JSON, but not an audit record (seq, prev, kind and a trailing sha256)");
        return p;
    }
    p.seq = seq.toInteger();
    const QByteArray content = line.left(line.size() - kHashSuffixSize);
    const QByteArray stated = line.mid(line.size() - 66, 64);
    if (!content.startsWith(framePrefix(p.seq, p.prev)) || sha256Hex(content) != stated) {
        p.state = ParsedLine::State::BadHash;
        p.why = QStringLiteral("its content no longer matches its own sha256");
        return p;
    }
    p.state = ParsedLine::State::Record;
    return p;
}

bool isTornRecord(const QByteArray &fragment, qint64 seq, const QByteArray &prev)
{
    if (fragment.isEmpty() || fragment.contains('\n'))
        return false;
    const QByteArray expected = framePrefix(seq, prev);
    return fragment.size() <= expected.size() ? expected.startsWith(fragment) : fragment.startsWith(expected);
}

} // namespace chronoscope::auditchain
