#pragma once
// ReadResp messages built as bytes, and the comparison of the hand decoder (wire/ReadRespDecoder)
// with protobuf parsing + proto::resolvedEventFrom: shared by test_read_resp_decoder and the
// fuzz_read_resp target (tests/fuzz), which checks the same agreement on arbitrary bytes.
#include "wire/ProtoConvert.h"
#include "wire/ReadRespDecoder.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <string>

namespace chronoscope::testsupport {

namespace spb = event_store::client::streams;
using Kind = proto::ReadRespContent::Kind;

using Recorded = spb::ReadResp::ReadEvent::RecordedEvent;

inline void fill(Recorded *r, const std::string &stream, quint64 revision, quint64 position, bool structuredId)
{
    proto::setUuid(r->mutable_id(), QUuid::fromString(QStringLiteral("8f2c11d5-0b6e-4a8c-9d3e-6f1a2b3c4d5e")),
                   structuredId);
    r->mutable_stream_identifier()->set_stream_name(stream);
    r->set_stream_revision(revision);
    r->set_prepare_position(position);
    r->set_commit_position(position);
    (*r->mutable_metadata())["type"] = "OrderPlaced";
    (*r->mutable_metadata())["content-type"] = "application/json";
    (*r->mutable_metadata())["created"] = "17828640000000000";
    r->set_custom_metadata("{\"$correlationId\":\"c\"}");
    r->set_data(std::string(300, 'd'));
}

inline std::string serialized(const google::protobuf::Message &m)
{
    return m.SerializeAsString();
}

inline spb::ReadResp typicalEvent(bool withLink, bool structured)
{
    spb::ReadResp resp;
    auto *e = resp.mutable_event();
    fill(e->mutable_event(), "order-17", 3, 4711, structured);
    if (withLink) {
        fill(e->mutable_link(), "$ce-order", 9, 4800, structured);
        (*e->mutable_link()->mutable_metadata())["type"] = "$>";
        e->mutable_link()->set_data("3@order-17");
    }
    e->set_commit_position(4711);
    return resp;
}

/// A length-delimited field (tag + length + body) as raw bytes.
inline std::string lenField(int field, const std::string &body)
{
    std::string out;
    auto varint = [&](quint64 v) {
        while (v >= 0x80) {
            out += char((v & 0x7f) | 0x80);
            v >>= 7;
        }
        out += char(v);
    };
    varint((quint64(field) << 3) | 2);
    varint(body.size());
    return out + body;
}

inline Kind kindOf(const spb::ReadResp &r)
{
    switch (r.content_case()) {
    case spb::ReadResp::kEvent: return Kind::Event;
    case spb::ReadResp::kConfirmation: return Kind::Confirmation;
    case spb::ReadResp::kCheckpoint: return Kind::Checkpoint;
    case spb::ReadResp::kStreamNotFound: return Kind::StreamNotFound;
    case spb::ReadResp::kFirstStreamPosition: return Kind::FirstStreamPosition;
    case spb::ReadResp::kLastStreamPosition: return Kind::LastStreamPosition;
    case spb::ReadResp::kLastAllStreamPosition: return Kind::LastAllStreamPosition;
    case spb::ReadResp::kCaughtUp: return Kind::CaughtUp;
    case spb::ReadResp::kFellBehind: return Kind::FellBehind;
    default: return Kind::None;
    }
}

/// Returns "" when both agree, else what differs (QCOMPARE cannot be used from the fuzz loop).
inline QString difference(const std::optional<RecordedEvent> &a, const std::optional<RecordedEvent> &b,
                          const char *what)
{
    if (a.has_value() != b.has_value())
        return QStringLiteral("%1 presence").arg(QLatin1String(what));
    if (!a)
        return {};
    QStringList d;
    if (a->id != b->id)
        d << QStringLiteral("id");
    // By value only: ByteInterner hands out a null array for an empty name it has not seen before.
    if (a->streamId != b->streamId)
        d << QStringLiteral("streamId");
    if (a->revision != b->revision)
        d << QStringLiteral("revision");
    if (a->position != b->position)
        d << QStringLiteral("position");
    if (a->type != b->type)
        d << QStringLiteral("type");
    if (a->contentType != b->contentType)
        d << QStringLiteral("contentType");
    if (a->createdTicks != b->createdTicks)
        d << QStringLiteral("created");
    if (a->data != b->data || a->data.isNull() != b->data.isNull())
        d << QStringLiteral("data");
    if (a->metadata != b->metadata || a->metadata.isNull() != b->metadata.isNull())
        d << QStringLiteral("metadata");
    return d.isEmpty() ? QString() : QStringLiteral("%1: %2").arg(QLatin1String(what), d.join(QLatin1Char(',')));
}

/// Decodes `bytes` both ways; "" when they agree (both refuse, or both accept with equal values).
inline QString compareBoth(const std::string &bytes, proto::ReadRespDecoder &decoder, bool *accepted = nullptr)
{
    spb::ReadResp parsed;
    const bool protobufOk = parsed.ParseFromString(bytes);
    proto::ReadRespContent mine;
    QString error;
    const bool mineOk = decoder.decode(bytes.data(), bytes.size(), &mine, &error);
    if (accepted)
        *accepted = mineOk;
    if (protobufOk != mineOk)
        return QStringLiteral("protobuf %1, decoder %2 (%3)")
            .arg(QLatin1String(protobufOk ? "accepts" : "refuses"), QLatin1String(mineOk ? "accepts" : "refuses"),
                 error);
    if (!mineOk)
        return error.isEmpty() ? QStringLiteral("refused without a reason") : QString();
    if (kindOf(parsed) != mine.kind)
        return QStringLiteral("kind %1 vs %2").arg(int(kindOf(parsed))).arg(int(mine.kind));
    switch (mine.kind) {
    case Kind::Event: {
        proto::ByteInterner interner;
        const ResolvedEvent expected = proto::resolvedEventFrom(parsed.event(), &interner);
        QString d = difference(expected.event, mine.event.event, "event");
        if (d.isEmpty())
            d = difference(expected.link, mine.event.link, "link");
        if (d.isEmpty() && expected.commitPosition != mine.event.commitPosition)
            d = QStringLiteral("commitPosition");
        return d;
    }
    case Kind::FirstStreamPosition:
        return parsed.first_stream_position() == mine.streamPosition ? QString() : QStringLiteral("position");
    case Kind::LastStreamPosition:
        return parsed.last_stream_position() == mine.streamPosition ? QString() : QStringLiteral("position");
    case Kind::StreamNotFound: {
        const std::string &name = parsed.stream_not_found().stream_identifier().stream_name();
        return mine.notFoundStream == QByteArray(name.data(), qsizetype(name.size())) ? QString()
                                                                                      : QStringLiteral("stream name");
    }
    default: return {};
    }
}

/// Valid messages of every kind, the seeds of the damage tests.
inline QList<std::string> seeds()
{
    QList<std::string> out;
    out << serialized(typicalEvent(false, false)) << serialized(typicalEvent(true, true));
    spb::ReadResp r;
    r.mutable_stream_not_found()->mutable_stream_identifier()->set_stream_name("missing-1");
    out << serialized(r);
    r.Clear();
    r.mutable_checkpoint()->set_commit_position(77);
    r.mutable_checkpoint()->mutable_timestamp()->set_seconds(1700000000);
    out << serialized(r);
    r.Clear();
    r.mutable_caught_up()->set_stream_revision(5);
    r.mutable_caught_up()->mutable_position()->set_commit_position(9);
    out << serialized(r);
    r.Clear();
    r.mutable_confirmation()->set_subscription_id("sub-1");
    out << serialized(r);
    r.Clear();
    r.set_last_stream_position(123456789);
    out << serialized(r);
    return out;
}

} // namespace chronoscope::testsupport
