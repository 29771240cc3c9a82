#include "demo/DemoSeeder.h"

namespace chronoscope::sandbox {

quint64 seedDemoHistory(EventStore &store, const DemoHistory::Options &options)
{
    std::vector<ProposedEvent> one(1);
    return DemoHistory(options).generate([&](const DemoEvent &e) {
        ProposedEvent &p = one.front();
        p.id = e.id;
        p.type = e.type.toStdString();
        p.isJson = true;
        p.data = e.data.toStdString();
        p.metadata = e.metadata.toStdString();
        p.createdTicks = e.createdMs * kTicksPerMillisecond;
        store.append(e.stream.toStdString(), EventStore::Expected::Any, 0, one);
        return true;
    });
}

} // namespace chronoscope::sandbox
