#include "SubscriptionCursor.h"

#include "ReadCursor.h"
#include "WireFormat.h"

#include "streams.pb.h"

#include <QDateTime>
#include <QUuid>

namespace chronoscope::sandbox {

namespace spb = event_store::client::streams;

namespace wire {
namespace {

/// The rare subscription replies go through protobuf: only events are on the hot path.
void appendMessage(ReadEncoder::Batch &out, const spb::ReadResp &message)
{
    out.bytes += message.SerializeAsString();
    out.ends.push_back(out.bytes.size());
}

void setNow(google::protobuf::Timestamp *t)
{
    const qint64 ms = QDateTime::currentMSecsSinceEpoch();
    t->set_seconds(ms / 1000);
    t->set_nanos(int(ms % 1000) * 1000000);
}

} // namespace

void appendCheckpoint(ReadEncoder::Batch &out, quint64 position)
{
    spb::ReadResp r;
    auto *c = r.mutable_checkpoint();
    c->set_commit_position(position);
    c->set_prepare_position(position);
    setNow(c->mutable_timestamp());
    appendMessage(out, r);
}

void appendCaughtUp(ReadEncoder::Batch &out, std::optional<quint64> streamRevision, std::optional<quint64> position)
{
    spb::ReadResp r;
    auto *c = r.mutable_caught_up();
    setNow(c->mutable_timestamp());
    if (streamRevision)
        c->set_stream_revision(qint64(*streamRevision));
    if (position) {
        c->mutable_position()->set_commit_position(*position);
        c->mutable_position()->set_prepare_position(*position);
    }
    appendMessage(out, r);
}

} // namespace wire

SubscriptionCursor::SubscriptionCursor() : m_id(QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString()) {}

void SubscriptionCursor::confirmOnce(wire::ReadEncoder::Batch &out)
{
    if (m_confirmed)
        return;
    m_confirmed = true;
    spb::ReadResp r;
    r.mutable_confirmation()->set_subscription_id(m_id);
    wire::appendMessage(out, r);
}

StreamSubscriptionCursor::StreamSubscriptionCursor(const EventStore &store, StreamSubscriptionSpec spec,
                                                   grpc::ServerContextBase *context)
    : m_store(store), m_spec(std::move(spec)), m_context(context), m_encoder(m_spec.structuredIds)
{
}

SubscriptionCursor::State StreamSubscriptionCursor::next(wire::ReadEncoder::Batch &out)
{
    out.clear();
    confirmOnce(out);
    if (m_store.view(m_spec.stream).state == StreamView::State::Tombstoned) {
        m_status = wire::streamDeleted(m_context, m_spec.stream);
        return State::Ended;
    }
    // A missing or soft-deleted stream reads as empty: the subscription waits for its (re)creation.
    const size_t n = m_store.readStream(m_spec.stream, m_spec.next, true, kBatch, [&](const StoredRecord &r) {
        encodeRecord(m_encoder, out, m_store, r, m_spec.resolveLinks);
        m_spec.next = r.revision + 1;
    });
    if (n == kBatch)
        return State::More;
    if (!m_caughtUp) {
        m_caughtUp = true;
        wire::appendCaughtUp(out, m_spec.next > 0 ? std::optional<quint64>(m_spec.next - 1) : std::nullopt,
                             std::nullopt);
    }
    return State::Idle;
}

AllSubscriptionCursor::AllSubscriptionCursor(const EventStore &store, AllSubscriptionSpec spec)
    : m_store(store), m_spec(std::move(spec)), m_encoder(m_spec.structuredIds), m_index(m_spec.index),
      m_checkpoint(m_spec.checkpoint)
{
}

SubscriptionCursor::State AllSubscriptionCursor::next(wire::ReadEncoder::Batch &out)
{
    out.clear();
    confirmOnce(out);
    return m_caughtUp ? live(out) : catchUpPages(out);
}

void AllSubscriptionCursor::checkpoint(wire::ReadEncoder::Batch &out, std::optional<quint64> position)
{
    if (!position || (m_lastCheckpoint && *position <= *m_lastCheckpoint))
        return;
    m_lastCheckpoint = position;
    wire::appendCheckpoint(out, *position);
}

SubscriptionCursor::State AllSubscriptionCursor::catchUpPages(wire::ReadEncoder::Batch &out)
{
    // Unfiltered subscriptions read in batches; filtered ones in pages of `window` records, as the
    // server's filtered catch-up reads, counting every record considered towards the interval.
    const size_t page = m_spec.filter ? std::max<size_t>(m_spec.window, 1) : kBatch;
    size_t scannedNow = 0;
    while (out.count() < kBatch && scannedNow < ReadCursor::kScanLimit) {
        std::optional<quint64> pageStart;
        bool sent = false;
        auto keep = [&](const StoredRecord &r) {
            if (!pageStart)
                pageStart = r.position;
            return !hiddenFromAll(r) && (!m_spec.filter || m_spec.filter->matches(r));
        };
        const size_t from = m_index;
        m_index = m_store.readLog(m_index, true, page, keep, page, [&](const StoredRecord &r) {
            encodeRecord(m_encoder, out, m_store, r, m_spec.resolveLinks);
            m_checkpoint = r.position;
            sent = true;
        });
        const size_t scanned = m_index - from;
        scannedNow += scanned;
        m_scanned += scanned;
        if (!sent && pageStart && (!m_checkpoint || *pageStart > *m_checkpoint))
            m_checkpoint = pageStart;
        if (scanned < page) { // the head of the log
            m_caughtUp = true;
            if (m_spec.filter && m_scanned > 0)
                checkpoint(out, m_checkpoint); // at least one checkpoint per interval, also when going live
            m_counter = 0;
            wire::appendCaughtUp(out, std::nullopt, m_checkpoint);
            return State::Idle;
        }
        if (m_spec.filter) {
            m_counter += scanned;
            if (m_counter >= m_spec.checkpointInterval) {
                m_counter %= m_spec.checkpointInterval;
                checkpoint(out, m_checkpoint);
            }
        }
    }
    return State::More;
}

SubscriptionCursor::State AllSubscriptionCursor::live(wire::ReadEncoder::Batch &out)
{
    const size_t from = m_index;
    m_index = m_store.readLog(m_index, true, kBatch, {}, kBatch, [&](const StoredRecord &r) {
        if (!hiddenFromAll(r) && (!m_spec.filter || m_spec.filter->matches(r))) {
            encodeRecord(m_encoder, out, m_store, r, m_spec.resolveLinks);
            m_checkpoint = r.position;
        }
        if (m_spec.filter && ++m_counter >= m_spec.checkpointInterval) {
            m_counter = 0;
            checkpoint(out, r.position);
        }
    });
    return m_index - from == kBatch ? State::More : State::Idle;
}

} // namespace chronoscope::sandbox
