#pragma once

#include "EventStore.h"
#include "demo/DemoHistory.h"
#include "model/Types.h"

#include <vector>

namespace chronoscope::bench {

/// The demo history's events (real types, times and payload sizes), `count` of them, all in one stream
/// of an in-process sandbox's store, appended a thousand at a time. How many were written.
inline quint64 seedDemoStream(sandbox::EventStore &store, const QByteArray &stream, quint64 count)
{
    DemoHistory::Options options;
    options.eventCount = count;
    std::vector<sandbox::ProposedEvent> batch;
    batch.reserve(1000);
    quint64 n = 0;
    auto flush = [&]() {
        store.append(stream.toStdString(), sandbox::EventStore::Expected::Any, 0, batch);
        batch.clear();
    };
    DemoHistory(options).generate([&](const DemoEvent &e) {
        sandbox::ProposedEvent p;
        p.id = e.id;
        p.type = e.type.toStdString();
        p.data = e.data.toStdString();
        p.metadata = e.metadata.toStdString();
        p.createdTicks = e.createdMs * kTicksPerMillisecond;
        batch.push_back(std::move(p));
        if (batch.size() == 1000)
            flush();
        ++n;
        return true;
    });
    if (!batch.empty())
        flush();
    return n;
}

} // namespace chronoscope::bench
