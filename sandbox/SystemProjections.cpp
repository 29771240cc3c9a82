#include "SystemProjections.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace chronoscope::sandbox {
namespace {

enum Id { Streams, ByCategory, ByEventType, ByCorrelationId, StreamByCategory };

constexpr const char *kNames[SystemProjections::kCount] = {
    "$streams", "$by_category", "$by_event_type", "$by_correlation_id", "$stream_by_category",
};
constexpr const char *kEmittedPrefixes[SystemProjections::kCount] = {"$streams", "$ce-", "$et-", "$bc-", "$category-"};

std::string jsonString(const std::string &s)
{
    std::string out = "\"";
    for (const char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (quint8(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", quint8(c));
                out += buf;
            } else {
                out += c;
            }
        }
    }
    return out + '"';
}

/// The category as the server's "first separator" extractor sees it: the name before the first
/// '-', none when there is no '-' or it comes first.
std::optional<std::string> categoryOf(const std::string &stream)
{
    const size_t dash = stream.find('-');
    if (dash == std::string::npos || dash == 0)
        return std::nullopt;
    return stream.substr(0, dash);
}

/// `$correlationId` of a JSON metadata object, when it is a string.
std::optional<std::string> correlationIdOf(const StoredRecord &r)
{
    if (r.metadata.find("$correlationId") == std::string::npos) // cheap test before parsing
        return std::nullopt;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromRawData(r.metadata.data(), qsizetype(r.metadata.size())));
    const QJsonValue v = doc.object().value(QLatin1String("$correlationId"));
    if (!v.isString())
        return std::nullopt;
    return v.toString().toStdString();
}

/// `"2023-11-14T22:13:20.000000Z"`: the server's `$eventTimestamp` (microseconds, UTC).
std::string timestampJson(qint64 ticks)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ticks / kTicksPerMillisecond, Qt::UTC);
    char micro[8];
    std::snprintf(micro, sizeof micro, "%06lld", static_cast<long long>((ticks % 10000000) / 10));
    return '"' + t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")).toStdString() + '.' + micro + "Z\"";
}

std::string metadataFor(int id, const StoredRecord &r, const std::vector<std::pair<const char *, std::string>> &extras)
{
    const std::string position = std::to_string(r.position);
    std::string m = "{\"$v\":\"" + std::to_string(id + 1) + ":-1:1:4\",\"$c\":" + position + ",\"$p\":" + position;
    for (const auto &kv : extras)
        m += std::string(",\"") + kv.first + "\":" + kv.second;
    m += ",\"$causedBy\":" + jsonString(r.idString);
    if (const auto correlation = correlationIdOf(r))
        m += ",\"$correlationId\":" + jsonString(*correlation);
    return m + '}';
}

/// What a link to `r` points at: `r` itself, or for a link event the event it links to.
std::string linkTarget(const StoredRecord &r)
{
    return r.type == SystemEventTypes::LinkTo ? r.data : std::to_string(r.revision) + '@' + r.stream;
}

} // namespace

const char *SystemProjections::name(int id)
{
    return id >= 0 && id < kCount ? kNames[id] : "";
}

int SystemProjections::find(const std::string &name)
{
    for (int i = 0; i < kCount; ++i)
        if (name == kNames[i])
            return i;
    return -1;
}

bool SystemProjections::process(int id, const StoredRecord &r, std::vector<Emission> &out)
{
    if (r.stream.empty() || r.stream[0] == '$')
        return false;
    const bool tombstone = r.revision == kTombstoneRevision;
    const std::string link = SystemEventTypes::LinkTo;
    switch (Id(id)) {
    case Streams:
        if (r.revision == 0)
            out.push_back({"$streams", link, "0@" + r.stream, metadataFor(id, r, {})});
        break;
    case ByCategory:
        if (const auto category = categoryOf(r.stream)) {
            std::vector<std::pair<const char *, std::string>> extras{{"$o", jsonString(r.stream)}};
            if (tombstone)
                extras.emplace_back("$deleted", "-1");
            out.push_back({"$ce-" + *category, link, linkTarget(r), metadataFor(id, r, extras)});
        }
        break;
    case ByEventType:
        if (r.type != SystemEventTypes::LinkTo) {
            const std::string type = tombstone ? std::string("$deleted") : r.type;
            out.push_back({"$et-" + type, link, linkTarget(r), metadataFor(id, r, {})});
        }
        break;
    case ByCorrelationId:
        if (const auto correlation = correlationIdOf(r))
            out.push_back({"$bc-" + *correlation, link, linkTarget(r),
                           metadataFor(id, r, {{"$eventTimestamp", timestampJson(r.createdTicks)}})});
        break;
    case StreamByCategory:
        if (r.revision == 0)
            if (const auto category = categoryOf(r.stream))
                out.push_back({"$category-" + *category, SystemEventTypes::StreamReference, r.stream, metadataFor(id, r, {})});
        break;
    }
    return true;
}

std::optional<std::pair<int, quint64>> SystemProjections::emittedBy(const StoredRecord &r)
{
    if (r.type != SystemEventTypes::LinkTo && r.type != SystemEventTypes::StreamReference)
        return std::nullopt;
    static const std::string head = "{\"$v\":\"";
    if (r.metadata.compare(0, head.size(), head) != 0)
        return std::nullopt;
    const int id = std::atoi(r.metadata.c_str() + head.size()) - 1;
    if (id < 0 || id >= kCount || r.stream.compare(0, std::string(kEmittedPrefixes[id]).size(), kEmittedPrefixes[id]) != 0)
        return std::nullopt;
    const size_t c = r.metadata.find("\"$c\":");
    if (c == std::string::npos)
        return std::nullopt;
    return std::make_pair(id, quint64(std::strtoull(r.metadata.c_str() + c + 5, nullptr, 10)));
}

} // namespace chronoscope::sandbox
