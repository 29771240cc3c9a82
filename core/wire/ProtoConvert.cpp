#include "wire/ProtoConvert.h"

#include "wire/ReadRespDecoder.h"

#include <QtEndian>

namespace chronoscope::proto {

void setUuid(event_store::client::UUID *out, const QUuid &id, bool structured)
{
    if (!structured) {
        out->set_string(id.toString(QUuid::WithoutBraces).toStdString());
        return;
    }
    const QByteArray rfc = id.toRfc4122();
    auto *s = out->mutable_structured();
    s->set_most_significant_bits(qFromBigEndian<qint64>(rfc.constData()));
    s->set_least_significant_bits(qFromBigEndian<qint64>(rfc.constData() + 8));
}

QUuid uuidFrom(const event_store::client::UUID &in)
{
    switch (in.value_case()) {
    case event_store::client::UUID::kString: {
        const std::string &s = in.string();
        return QUuid::fromString(QLatin1String(s.data(), int(s.size())));
    }
    case event_store::client::UUID::kStructured: {
        char rfc[16];
        qToBigEndian<qint64>(in.structured().most_significant_bits(), rfc);
        qToBigEndian<qint64>(in.structured().least_significant_bits(), rfc + 8);
        return QUuid::fromRfc4122(QByteArrayView(rfc, 16));
    }
    default:
        return QUuid();
    }
}

namespace {
QByteArray bytes(const std::string &s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}
QByteArray shared(const std::string &s, ByteInterner *interner)
{
    return interner ? interner->get(s) : bytes(s);
}
QByteArray sharedRun(const std::string &s, ByteInterner *interner)
{
    return interner ? interner->getRun(s) : bytes(s);
}
} // namespace

QByteArray ByteInterner::getRun(const std::string &s)
{
    if (s != m_lastRun) {
        m_lastRun = s;
        m_lastRunBytes = bytes(s);
    }
    return m_lastRunBytes;
}

QByteArray ByteInterner::get(const std::string &s)
{
    const auto it = m_strings.find(s);
    if (it != m_strings.end())
        return it->second;
    if (m_strings.size() >= kMaxEntries)
        m_strings.clear();
    return m_strings.emplace(s, bytes(s)).first->second;
}

void recordedEventFrom(const event_store::client::streams::ReadResp::ReadEvent::RecordedEvent &in,
                       RecordedEvent *out, ByteInterner *interner)
{
    out->id = in.has_id() ? uuidFrom(in.id()) : QUuid();
    out->streamId = in.has_stream_identifier() ? sharedRun(in.stream_identifier().stream_name(), interner) : QByteArray();
    out->revision = in.stream_revision();
    out->position = Position{in.commit_position(), in.prepare_position()};
    const auto &md = in.metadata();
    const auto type = md.find("type");
    // Fallbacks as the Node client has them.
    out->type = type != md.end() ? shared(type->second, interner) : QByteArrayLiteral("<no-event-type-provided>");
    const auto ct = md.find("content-type");
    out->contentType = ct != md.end() ? shared(ct->second, interner) : QByteArrayLiteral("application/octet-stream");
    const auto created = md.find("created");
    out->createdTicks = created != md.end() ? createdTicksFrom(created->second.data(), created->second.size()) : 0;
    out->data = bytes(in.data());
    out->metadata = bytes(in.custom_metadata());
}

ResolvedEvent resolvedEventFrom(const event_store::client::streams::ReadResp::ReadEvent &in, ByteInterner *interner)
{
    ResolvedEvent r;
    if (in.has_event()) {
        r.event.emplace();
        recordedEventFrom(in.event(), &*r.event, interner);
    }
    if (in.has_link()) {
        r.link.emplace();
        recordedEventFrom(in.link(), &*r.link, interner);
    }
    if (in.position_case() == event_store::client::streams::ReadResp::ReadEvent::kCommitPosition)
        r.commitPosition = in.commit_position();
    return r;
}

} // namespace chronoscope::proto
