// Catch-up subscriptions: a Read with the `subscription` option (protocol sheet §4.1, §4.2),
// kept out of StreamsService.cpp. Validation mirrors reads; the reactor does the rest.
#include "StreamsService.h"

#include "ReadReactor.h"
#include "SubscriptionReactor.h"
#include "WireFormat.h"

namespace chronoscope::sandbox {

namespace spb = event_store::client::streams;
using Options = spb::ReadReq::Options;

namespace {
constexpr quint32 kDefaultWindow = 32; // the server's read batch size, the `count` window
}

grpc::ServerWriteReactor<EncodedReply> *StreamsService::subscribe(grpc::CallbackServerContext *context,
                                                                      const Options &o)
{
    const bool structured = o.uuid_option().content_case() == Options::UUIDOption::kStructured;
    if (o.stream_option_case() == Options::kStream) {
        StreamSubscriptionSpec spec;
        spec.stream = o.stream().stream_identifier().stream_name();
        spec.resolveLinks = o.resolve_links();
        spec.structuredIds = structured;
        const StreamView v = m_store.view(spec.stream);
        if (v.state == StreamView::State::Tombstoned)
            return new ReadReactor(wire::streamDeleted(context, spec.stream));
        switch (o.stream().revision_option_case()) {
        case Options::StreamOptions::kRevision: spec.next = o.stream().revision() + 1; break; // exclusive
        case Options::StreamOptions::kEnd: spec.next = v.state == StreamView::State::Present ? v.last + 1 : 0; break;
        default: spec.next = 0; break;
        }
        return new SubscriptionReactor(m_subscribers,
                                       std::make_unique<StreamSubscriptionCursor>(m_store, std::move(spec), context));
    }
    AllSubscriptionSpec spec;
    spec.resolveLinks = o.resolve_links();
    spec.structuredIds = structured;
    switch (o.all().all_option_case()) {
    case Options::AllOptions::kPosition: {
        const auto &p = o.all().position();
        const std::optional<size_t> at = p.prepare_position() <= p.commit_position()
            ? m_store.indexOfPosition(p.commit_position()) : std::nullopt;
        if (!at)
            return new ReadReactor(
                grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "Trying to read from an invalid position."));
        // Exclusive: the record at the position is already behind the client.
        spec.index = *at < m_store.logSize() ? *at + 1 : *at;
        spec.checkpoint = p.commit_position();
        break;
    }
    case Options::AllOptions::kEnd: {
        m_store.readLog(m_store.logSize(), false, 1, {}, 1, [&](const StoredRecord &r) {
            spec.checkpoint = r.position;
        });
        spec.index = m_store.logSize();
        break;
    }
    default: spec.index = 0; break;
    }
    if (o.filter_option_case() == Options::kFilter) {
        const auto &f = o.filter();
        spec.filter.emplace(f);
        if (!spec.filter->valid())
            return new ReadReactor(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, spec.filter->error()));
        spec.window = f.window_case() == Options::FilterOptions::kMax ? f.max() : kDefaultWindow;
        if (spec.window == 0)
            return new ReadReactor(
                grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "The filter's max search window must be greater than 0."));
        if (f.checkpointintervalmultiplier() == 0)
            return new ReadReactor(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                                "The checkpoint interval multiplier must be greater than 0."));
        spec.checkpointInterval = quint64(f.checkpointintervalmultiplier()) * spec.window;
    }
    return new SubscriptionReactor(m_subscribers, std::make_unique<AllSubscriptionCursor>(m_store, std::move(spec)));
}

} // namespace chronoscope::sandbox
